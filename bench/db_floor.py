"""The database floor of bench.updates: the same updates handled by minimal hand-written
aiogram handlers that make the same essential reads and writes as the bot, in the fewest
statements (SQLAlchemy Core, one transaction per update), and send the same kind of reply.

What is left out is what makes the bot a product rather than a benchmark: texts from the
catalogs, keyboards, categories, deadlines, permission rules, notices rendered per reader
and the checks of bad input. Each update does, in one transaction: take the update
(INSERT … ON CONFLICT DO NOTHING RETURNING), read the person with their residence, roles and
chat state (one statement; on PostgreSQL the same statement as the take, whose insert is a
CTE the read joins), then its own writes; the reply is sent after the commit.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Dispatcher, F, Router
from aiogram.types import CallbackQuery, Message, TelegramObject, Update
from sqlalchemy import Table, and_, bindparam, delete, func, literal, select, true, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from handlers.callbacks import CheckinReview, RegAction, RegPick, RequestAction
from models.base import short_statements, utcnow
from models.chat_state import ChatState
from models.checkins import Checkin, CheckinStatus
from models.members import Residence, RoleAssignment, User
from models.outbox import OutboxMessage
from models.points.tables import LedgerEntry, LedgerReason, PointBalance
from models.requests import Request, RequestEvent, RequestKind, RequestStatus
from models.structure import Building, MicroGrid
from models.updates import ProcessedUpdate

users: Table = User.__table__  # type: ignore[assignment]
residences: Table = Residence.__table__  # type: ignore[assignment]
roles: Table = RoleAssignment.__table__  # type: ignore[assignment]
states: Table = ChatState.__table__  # type: ignore[assignment]
requests: Table = Request.__table__  # type: ignore[assignment]
events: Table = RequestEvent.__table__  # type: ignore[assignment]
outbox: Table = OutboxMessage.__table__  # type: ignore[assignment]
checkins: Table = Checkin.__table__  # type: ignore[assignment]
ledger: Table = LedgerEntry.__table__  # type: ignore[assignment]
balances: Table = PointBalance.__table__  # type: ignore[assignment]
micro_grids: Table = MicroGrid.__table__  # type: ignore[assignment]
buildings: Table = Building.__table__  # type: ignore[assignment]
processed: Table = ProcessedUpdate.__table__  # type: ignore[assignment]

MEMBER_COLUMNS = (
    users.c.id, residences.c.community_id, residences.c.micro_grid_id, roles.c.role,
    roles.c.micro_grid_id.label("role_micro_grid"), states.c.state, states.c.data,
)  # fmt: skip
IS_ACTING = users.c.telegram_id == bindparam("telegram_id")


def _member(query: Any) -> Any:
    return (
        query.outerjoin(residences, residences.c.user_id == users.c.id)
        .outerjoin(roles, roles.c.user_id == users.c.id)
        .outerjoin(states, states.c.key == bindparam("state_key"))
    )  # fmt: skip


MEMBER = _member(select(*MEMBER_COLUMNS).select_from(users)).where(IS_ACTING)
# PostgreSQL: the update is taken by a CTE the member's read is joined to, one round trip
# (no row: taken before; a row without a user: a newcomer)
TAKEN = (
    postgresql_insert(processed)
    .values(update_id=bindparam("update_id"), received_at=bindparam("received_at"))
    .on_conflict_do_nothing()
    .returning(processed.c.update_id)
    .cte("taken")
)
TAKE_AND_MEMBER = _member(select(*MEMBER_COLUMNS).select_from(TAKEN).outerjoin(users, IS_ACTING))
POINTS_SHOWN = 10
# the balance and the latest entries in one statement, both joined to a single row
RECENT = (
    select(ledger.c.id, ledger.c.amount, ledger.c.reason, ledger.c.created_at)
    .where(ledger.c.user_id == bindparam("user_id"),
           ledger.c.community_id == bindparam("community_id"))
    .order_by(ledger.c.id.desc()).limit(bindparam("limit")).subquery("recent")
)  # fmt: skip
ACCOUNT = (
    select(balances.c.balance, RECENT.c.amount, RECENT.c.reason, RECENT.c.created_at)
    .select_from(select(literal(1).label("one")).subquery("member"))
    .outerjoin(balances, and_(balances.c.user_id == bindparam("user_id"),
                              balances.c.community_id == bindparam("community_id")))
    .outerjoin(RECENT, true()).order_by(RECENT.c.id.desc())
)  # fmt: skip


class Floor:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.insert = sqlite_insert if engine.dialect.name == "sqlite" else postgresql_insert

    def dispatcher(self) -> Dispatcher:
        dispatcher = Dispatcher(disable_fsm=True)
        dispatcher.update.outer_middleware(self.transaction)
        router = Router()
        router.message.register(self.join, F.text.startswith("/start join-"))
        router.message.register(self.points, F.text == "/points")
        router.message.register(self.checkin, F.text.startswith("/checkin"))
        router.message.register(self.report, F.text.startswith("#"))
        router.message.register(self.text_step)
        router.callback_query.register(self.pick_building, RegPick.filter())
        router.callback_query.register(self.confirm, RegAction.filter())
        router.callback_query.register(self.request_press, RequestAction.filter())
        router.callback_query.register(self.approve, CheckinReview.filter())
        dispatcher.include_router(router)
        return dispatcher

    async def transaction(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        with short_statements():  # as the bot runs an update's statements
            return await self._in_transaction(handler, event, data)

    async def _in_transaction(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: Update,
        data: dict[str, Any],
    ) -> Any:
        person, chat = data["event_from_user"], data["event_chat"]
        taking = {"update_id": event.update_id, "received_at": utcnow()}
        key = f"{chat.id}:{person.id}"
        reading = {"telegram_id": person.id, "state_key": key}
        async with self.engine.begin() as connection:
            if self.engine.dialect.name == "postgresql":
                rows = (await connection.execute(TAKE_AND_MEMBER, taking | reading)).all()
                if not rows:
                    return None
            else:
                taken = await connection.execute(
                    self.insert(processed).on_conflict_do_nothing().returning(
                        processed.c.update_id), taking)  # fmt: skip
                if taken.first() is None:
                    return None
                rows = (await connection.execute(MEMBER, reading)).all()
            if not rows or rows[0].id is None:
                user_id = await connection.scalar(
                    users.insert().returning(users.c.id),
                    {"telegram_id": person.id, "full_name": person.full_name,
                     "private_chat_open": chat.type == "private"},
                )  # fmt: skip
                rows = [(user_id, None, None, None, None, None, None)]
            data.update(db=connection, me=rows[0], state_key=key)
            return await handler(event, data)

    async def _set_state(self, db: AsyncConnection, key: str, state: str, data: Any) -> None:
        upsert = self.insert(states).values(key=key, state=state, data=data, updated_at=utcnow())
        await db.execute(upsert.on_conflict_do_update(
            index_elements=[states.c.key],
            set_={"state": upsert.excluded.state, "data": upsert.excluded.data}))  # fmt: skip

    async def _notify(self, db: AsyncConnection, chat_id: int, text: str,
                      request_id: int | None = None) -> None:  # fmt: skip
        await db.execute(outbox.insert(), {
            "chat_id": chat_id, "method": "sendMessage", "request_id": request_id,
            "payload": {"chat_id": chat_id, "text": text}})  # fmt: skip

    # registration: join link, building, room, confirm
    async def join(self, message: Message, db: AsyncConnection, state_key: str) -> Any:
        assert message.text
        micro_grid_id = int(message.text.removeprefix("/start join-"))
        names = (await db.execute(select(buildings.c.id, buildings.c.name).where(
            buildings.c.micro_grid_id == micro_grid_id))).all()  # fmt: skip
        await self._set_state(db, state_key, "picking", {"micro_grid": micro_grid_id})
        return message.answer(" / ".join(name for _id, name in names))

    async def pick_building(self, query: CallbackQuery, callback_data: RegPick,
                            db: AsyncConnection, state_key: str, me: Any) -> Any:  # fmt: skip
        await self._set_state(db, state_key, "room", {**me.data, "building": callback_data.id})
        return query.answer()

    async def text_step(self, message: Message, db: AsyncConnection, state_key: str,
                        me: Any) -> Any:  # fmt: skip
        if me.state == "room":
            await self._set_state(db, state_key, "confirm", {**me.data, "room": message.text})
            return message.answer(f"{message.text}?")
        if me.state == "note":  # a leader's resolve note
            changed = (await db.execute(
                update(requests).where(requests.c.id == me.data["request"])
                .values(status=RequestStatus.RESOLVED, resolved_at=utcnow(),
                        version=requests.c.version + 1)
                .returning(requests.c.resident_id))).first()  # fmt: skip
            await db.execute(events.insert(), {
                "request_id": me.data["request"], "actor_id": me.id, "action": "resolve",
                "note": message.text})  # fmt: skip
            resident = await db.scalar(select(users.c.telegram_id).where(
                users.c.id == changed.resident_id))  # fmt: skip
            await self._notify(db, resident, "resolved", me.data["request"])
            await db.execute(delete(states).where(states.c.key == state_key))
            return message.answer("resolved")
        return None

    async def confirm(self, query: CallbackQuery, db: AsyncConnection, state_key: str,
                      me: Any) -> Any:  # fmt: skip
        await db.execute(residences.insert().from_select(
            ["user_id", "community_id", "micro_grid_id", "building_id", "room", "registered_at"],
            select(literal(me.id), micro_grids.c.community_id, micro_grids.c.id,
                   literal(me.data["building"]), literal(me.data["room"]), literal(utcnow()))
            .where(micro_grids.c.id == me.data["micro_grid"])))  # fmt: skip
        await db.execute(delete(states).where(states.c.key == state_key))
        return query.answer("registered")

    # requests: a report or wish in the group, the leaders' buttons
    async def report(self, message: Message, db: AsyncConnection, me: Any) -> Any:
        assert message.text
        kind = RequestKind.REPORT if message.text.startswith("#报事") else RequestKind.WISH
        number = (select(func.coalesce(func.max(requests.c.number), 0) + 1)
                  .where(requests.c.community_id == micro_grids.c.community_id)
                  .scalar_subquery())  # fmt: skip
        made = (await db.execute(requests.insert().from_select(
            ["community_id", "kind", "number", "micro_grid_id", "resident_id", "text",
             "status", "version", "escalation_level", "created_at", "updated_at"],
            select(micro_grids.c.community_id, literal(kind.name), number, micro_grids.c.id,
                   literal(me.id), literal(message.text), literal(RequestStatus.SUBMITTED.name),
                   literal(0), literal("MICRO_GRID"), literal(utcnow()), literal(utcnow()))
            .where(micro_grids.c.chat_id == message.chat.id))
            .returning(requests.c.id, requests.c.micro_grid_id))).first()  # fmt: skip
        assert made is not None
        await db.execute(events.insert(), {"request_id": made.id, "actor_id": me.id,
                                           "action": "submit"})  # fmt: skip
        leaders_chat = await db.scalar(select(micro_grids.c.leaders_chat_id).where(
            micro_grids.c.id == made.micro_grid_id))  # fmt: skip
        await self._notify(db, leaders_chat, message.text, made.id)
        return message.reply(f"#{made.id}")

    async def request_press(self, query: CallbackQuery, callback_data: RequestAction,
                            db: AsyncConnection, state_key: str, me: Any) -> Any:  # fmt: skip
        if callback_data.action == "resolve":  # the note comes next
            await self._set_state(db, state_key, "note", {"request": callback_data.id})
            return query.answer("note?")
        status = {"claim": RequestStatus.CLAIMED, "start": RequestStatus.IN_PROGRESS}
        changed = (await db.execute(
            update(requests).where(requests.c.id == callback_data.id)
            .values(status=status[callback_data.action], claimed_by_id=me.id,
                    version=requests.c.version + 1, updated_at=utcnow())
            .returning(requests.c.resident_id))).first()  # fmt: skip
        assert changed is not None
        await db.execute(events.insert(), {"request_id": callback_data.id, "actor_id": me.id,
                                           "action": callback_data.action})  # fmt: skip
        resident = await db.scalar(select(users.c.telegram_id).where(
            users.c.id == changed.resident_id))  # fmt: skip
        await self._notify(db, resident, callback_data.action, callback_data.id)
        return query.answer(callback_data.action)

    # service: a check-in and its approval, and the points it earns
    async def checkin(self, message: Message, db: AsyncConnection, me: Any) -> Any:
        assert message.text
        await db.execute(checkins.insert(), {
            "user_id": me.id, "community_id": me.community_id, "micro_grid_id": me.micro_grid_id,
            "description": message.text.removeprefix("/checkin").strip(),
            "status": CheckinStatus.PENDING, "minutes": 60})  # fmt: skip
        leaders_chat = await db.scalar(select(micro_grids.c.leaders_chat_id).where(
            micro_grids.c.id == me.micro_grid_id))  # fmt: skip
        await self._notify(db, leaders_chat, message.text)
        return message.answer("checked in")

    async def approve(self, query: CallbackQuery, callback_data: CheckinReview,
                      db: AsyncConnection, me: Any) -> Any:  # fmt: skip
        points = 10
        done = (await db.execute(
            update(checkins).where(checkins.c.id == callback_data.id)
            .values(status=CheckinStatus.APPROVED, points=points, reviewer_id=me.id,
                    reviewed_at=utcnow())
            .returning(checkins.c.user_id, checkins.c.community_id))).first()  # fmt: skip
        assert done is not None
        await db.execute(ledger.insert(), {
            "community_id": done.community_id, "user_id": done.user_id, "amount": points,
            "reason": LedgerReason.SERVICE,
            "idempotency_key": f"checkin:{callback_data.id}"})  # fmt: skip
        upsert = self.insert(balances).values(
            user_id=done.user_id, community_id=done.community_id, balance=points)
        await db.execute(upsert.on_conflict_do_update(
            index_elements=[balances.c.user_id, balances.c.community_id],
            set_={"balance": balances.c.balance + points}))  # fmt: skip
        owner = await db.scalar(select(users.c.telegram_id).where(users.c.id == done.user_id))
        await self._notify(db, owner, f"+{points}")
        return query.answer("approved")

    async def points(self, message: Message, db: AsyncConnection, me: Any) -> Any:
        rows = (await db.execute(ACCOUNT, {"user_id": me.id, "community_id": me.community_id,
                                           "limit": POINTS_SHOWN})).all()  # fmt: skip
        lines = [f"{rows[0].balance or 0}",
                 *(f"{e.amount:+d} {e.reason}" for e in rows if e.amount is not None)]  # fmt: skip
        return message.answer("\n".join(lines))
