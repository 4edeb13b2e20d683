"""Test helpers: a seeded community with people in their chats, and the statements an
engine runs."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import App
from models.members import load_member, register_residence, touch_user
from models.requests import Request, RequestEvent
from models.structure import Building
from playground import FakeChat, FakeTelegram, FakeUser

ADMIN_CHAT = -1001000000001
GRID_CHAT = -1001000000002
RESIDENTS_CHAT = -1001000000003
LEADERS_CHAT = -1001000000004


@dataclass
class World:
    app: App
    telegram: FakeTelegram
    residents: FakeChat
    leaders_chat: FakeChat
    grid_chat: FakeChat
    admin_chat: FakeChat
    alice: FakeUser  # resident of 2号楼, room 302
    bob: FakeUser  # resident of 2号楼
    leader: FakeUser  # 3001
    other_leader: FakeUser  # 3002
    worker: FakeUser  # 2001
    admin: FakeUser  # 1001


async def register(app: App, user: FakeUser, building: str, room: str | None = None) -> None:
    async with app.sessionmaker() as session:
        db_user = await touch_user(session, user.id, user.first_name, None, "zh", True)
        building_row = await session.scalar(select(Building).where(Building.name == building))
        assert building_row is not None
        await register_residence(session, db_user, building_row.id, None, room)
        await session.commit()


def lose_next(telegram: FakeTelegram, method: str) -> None:
    """Telegram refuses the bot's next `method` with a long flood wait: the bot puts that
    answer in its outbox, where it waits past the end of the test (a prompt that has not
    arrived). A short wait would have it arrive in the middle of the test's later steps."""
    telegram.fail_next(method, 429, "Too Many Requests: retry after 60", retry_after=60)


async def open_private(user: FakeUser) -> None:
    """The person presses Start (here: asks for help) so the bot may write to them."""
    await user.send("/help")


async def build_world(telegram: FakeTelegram, app: App) -> World:
    world = World(
        app=app,
        telegram=telegram,
        residents=telegram.group(RESIDENTS_CHAT, "嘉木花园居民群"),
        leaders_chat=telegram.group(LEADERS_CHAT, "嘉木花园网格长群"),
        grid_chat=telegram.group(GRID_CHAT, "第一网格工作群"),
        admin_chat=telegram.group(ADMIN_CHAT, "南华社区工作群"),
        alice=telegram.user(5001, "Alice"),
        bob=telegram.user(5002, "Bob"),
        leader=telegram.user(3001, "网格长甲"),
        other_leader=telegram.user(3002, "网格长乙"),
        worker=telegram.user(2001, "网格员"),
        admin=telegram.user(1001, "书记"),
    )
    await register(app, world.alice, "2号楼", "302")
    await register(app, world.bob, "2号楼", "501")
    for person in (world.alice, world.bob, world.leader, world.other_leader):
        await open_private(person)
    return world


async def request_by_number(app: App, number: int, kind: str = "report") -> Request:
    async with app.sessionmaker() as session:
        request = await session.scalar(
            select(Request).where(Request.number == number, Request.kind == kind)
        )
        assert request is not None
        return request


async def trail(app: App, request_id: int) -> list[str]:
    async with app.sessionmaker() as session:
        events = await session.scalars(
            select(RequestEvent)
            .where(RequestEvent.request_id == request_id)
            .order_by(RequestEvent.id)
        )
        return [event.action for event in events]


async def member_for(app: App, telegram_id: int):  # type: ignore[no-untyped-def]
    async with app.sessionmaker() as session:
        user = await touch_user(session, telegram_id, "", None, "zh", False)
        return await load_member(session, user)


@contextmanager
def statements_run(
    engine: AsyncEngine, which: Callable[[str], bool] = lambda _statement: True
) -> Iterator[list[str]]:
    """The SQL statements (those `which` picks) the engine runs meanwhile."""
    seen: list[str] = []

    def note(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if which(statement):
            seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", note)
