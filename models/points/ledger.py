"""The ledger: every change of a balance is an entry whose idempotency key names its cause.

An entry and its balance change are written together, the entry first: a cause that already
paid changes nothing, and a debit that would take the balance below zero is refused and leaves
no entry.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, delete, literal, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.base import utcnow
from models.errors import DomainError, InvalidInput, NotAllowed
from models.members import Member, User
from models.notices import Notice, emit
from models.points.tables import LedgerEntry, LedgerReason, PointBalance
from models.structure import Community

DEFAULT_AMOUNTS = {
    "task": 10,  # a resolved report the resident was satisfied with, to its claimer
    "wish": 5,  # a fulfilled micro-wish, to its claimer
    "free_service": 5,  # an approved free-form service check-in
    "free_service_daily_cap": 20,  # most points a person earns a day from free-form service
}
ADJUST_LIMIT = 100_000


class NotEnoughPoints(DomainError):
    message_id = "points-not-enough"


def amount_setting(community: Community, name: str) -> int:
    return int((community.settings or {}).get("points", {}).get(name, DEFAULT_AMOUNTS[name]))


@dataclass
class Posted:
    entry_id: int | None  # None when the cause had been booked already
    balance: int


_BALANCE = select(PointBalance.balance).where(
    PointBalance.user_id == bindparam("user_id"),
    PointBalance.community_id == bindparam("community_id"),
)


async def balance_of(session: AsyncSession, user_id: int, community_id: int) -> int:
    value = await session.scalar(_BALANCE, {"user_id": user_id, "community_id": community_id})
    return value or 0


def _booking_statements(dialect: str) -> tuple[Any, Any, Any, Any]:
    """The entry, an earning, a spend, and a refused spend's undoing, built once: Core
    statements on the tables, without the ORM's bulk-write machinery."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    entries, balances = LedgerEntry.__table__, PointBalance.__table__
    entry = (
        insert(entries)
        .on_conflict_do_nothing(index_elements=[entries.c.idempotency_key])
        .returning(entries.c.id)
    )
    owner = (balances.c.user_id == bindparam("owner"))
    place = (balances.c.community_id == bindparam("place"))
    earn = insert(balances).values(
        user_id=bindparam("owner"), community_id=bindparam("place"), balance=bindparam("amount")
    )
    earn = earn.on_conflict_do_update(
        index_elements=[balances.c.user_id, balances.c.community_id],
        set_={"balance": balances.c.balance + earn.excluded.balance},
    ).returning(balances.c.balance)
    # One conditional UPDATE: concurrent spenders are serialised by the row lock and none
    # can pass zero (no row: nothing to spend).
    spend = (
        update(balances)
        .where(owner, place, balances.c.balance + bindparam("amount") >= 0)
        .values(balance=balances.c.balance + bindparam("amount"))
        .returning(balances.c.balance)
    )
    undo = delete(entries).where(entries.c.id == bindparam("entry_id"))
    return entry, earn, spend, undo


_BOOKING = {dialect: _booking_statements(dialect) for dialect in ("sqlite", "postgresql")}
_ENTRY_COLUMNS = ("community_id", "user_id", "amount", "reason", "ref_type", "ref_id", "note",
                  "idempotency_key", "created_by_id", "created_at")  # fmt: skip


def _earning_statement() -> Any:
    """On PostgreSQL an earning's entry and its balance change are one statement: the balance
    is raised from the entry inserted, so a cause booked already (no entry) changes nothing
    and gives no row."""
    entries, balances = LedgerEntry.__table__, PointBalance.__table__
    entry = (
        pg_insert(entries)
        .values({name: bindparam(f"entry_{name}", type_=entries.c[name].type)
                 for name in _ENTRY_COLUMNS})
        .on_conflict_do_nothing(index_elements=[entries.c.idempotency_key])
        .returning(entries.c.id)
        .cte("entry")
    )  # fmt: skip
    owner = [bindparam(name, type_=balances.c[column].type)
             for name, column in (("owner", "user_id"), ("place", "community_id"),
                                  ("amount", "balance"))]  # fmt: skip
    raise_balance = pg_insert(balances).from_select(
        ["user_id", "community_id", "balance"], select(*owner).select_from(entry)
    )
    earned = (
        raise_balance.on_conflict_do_update(
            index_elements=[balances.c.user_id, balances.c.community_id],
            set_={"balance": balances.c.balance + raise_balance.excluded.balance},
        )
        .returning(balances.c.balance)
        .cte("earned")
    )
    return select(entry.c.id, earned.c.balance).select_from(entry).join(earned, true())


_EARN_IN_ONE = _earning_statement()


async def post(
    session: AsyncSession,
    *,
    community_id: int,
    user_id: int,
    amount: int,
    reason: LedgerReason,
    key: str,
    ref_type: str | None = None,
    ref_id: int | None = None,
    note: str | None = None,
    created_by_id: int | None = None,
) -> Posted:
    """Book `amount` (negative spends) once for the cause named by `key`."""
    dialect = session.bind.dialect.name
    entry, earn, spend, undo = _BOOKING[dialect]
    values = {
        "community_id": community_id, "user_id": user_id, "amount": amount, "reason": reason,
        "ref_type": ref_type, "ref_id": ref_id, "note": note, "idempotency_key": key,
        "created_by_id": created_by_id, "created_at": utcnow(),
    }  # fmt: skip
    owner = {"owner": user_id, "place": community_id, "amount": amount}
    if amount >= 0 and dialect == "postgresql":
        params = owner | {f"entry_{name}": value for name, value in values.items()}
        booked = (await session.execute(_EARN_IN_ONE, params)).first()
        if booked is None:
            return Posted(None, await balance_of(session, user_id, community_id))
        return Posted(booked[0], booked[1])
    # The entry first: a second booking of the same cause waits here for the first one's
    # transaction and then finds its key taken, before it touches the balance.
    entry_id = await session.scalar(entry, values)
    if entry_id is None:
        return Posted(None, await balance_of(session, user_id, community_id))
    balance = await session.scalar(earn if amount >= 0 else spend, owner)
    if balance is None:
        await session.execute(undo, {"entry_id": entry_id})
        raise NotEnoughPoints(need=-amount, have=await balance_of(session, user_id, community_id))
    return Posted(entry_id, balance)


# The balance and the latest entries, in one statement: the entries (a limited subquery) and
# the balance are both joined to a single row, so a member with neither still gets one row.
_RECENT = (
    select(LedgerEntry)
    .where(LedgerEntry.user_id == bindparam("user_id"),
           LedgerEntry.community_id == bindparam("community_id"))
    .order_by(LedgerEntry.id.desc())
    .limit(bindparam("limit"))
    .subquery("recent")
)  # fmt: skip
_RECENT_ENTRY = aliased(LedgerEntry, _RECENT)
_ACCOUNT = (
    select(PointBalance.balance, _RECENT_ENTRY)
    .select_from(select(literal(1).label("one")).subquery("member"))
    .outerjoin(PointBalance, and_(PointBalance.user_id == bindparam("user_id"),
                                  PointBalance.community_id == bindparam("community_id")))
    .outerjoin(_RECENT_ENTRY, true())
    .order_by(_RECENT_ENTRY.id.desc())
)  # fmt: skip


async def account(
    session: AsyncSession, user_id: int, community_id: int, limit: int = 10
) -> tuple[int, list[LedgerEntry]]:
    """A member's balance and their latest `limit` ledger entries, newest first."""
    params = {"user_id": user_id, "community_id": community_id, "limit": limit}
    rows = (await session.execute(_ACCOUNT, params)).all()
    return rows[0][0] or 0, [entry for _balance, entry in rows if entry is not None]


async def adjust(
    session: AsyncSession,
    admin: Member | None,
    community_id: int,
    user: User,
    amount: int,
    reason: str,
    key: str,
) -> Posted:
    """An admin's correction, with a reason shown to the member. `admin` is None from the CLI
    (whoever runs it already holds the database)."""
    if admin is not None and not admin.is_admin_of(community_id):
        raise NotAllowed("points-admin-only")
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput("points-reason-needed")
    if amount == 0 or abs(amount) > ADJUST_LIMIT:
        raise InvalidInput("points-amount-invalid", limit=ADJUST_LIMIT)
    posted = await post(
        session, community_id=community_id, user_id=user.id, amount=amount,
        reason=LedgerReason.ADJUSTMENT, key=key, note=reason,
        created_by_id=admin.user.id if admin else None,
    )  # fmt: skip
    if posted.entry_id is not None:
        args = {"amount": amount, "reason": reason, "balance": posted.balance}
        emit(session, Notice("points-adjusted", user_id=user.id, args=args))
    return posted
