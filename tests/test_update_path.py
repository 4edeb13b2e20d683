"""The fixed work of every update: taking it once, reading the member and the chat state.

Counts of SQL statements are asserted (they are deterministic); times never are."""

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from aiogram.fsm.storage.base import StorageKey
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy import event, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import App, export_keyboards_shallowly
from bot.fsm_storage import DatabaseStorage, update_session
from models.base import create_engine, create_sessionmaker
from models.chat_state import ChatState, state_row
from models.importer import apply_structure, parse_structure
from models.members import (
    Acting,
    Role,
    RoleAssignment,
    grant_role,
    revoke_roles,
    take_update_as,
    user_by_telegram_id,
)
from models.structure import MicroGrid
from playground import FakeTelegram
from tests.conftest import SAMPLE_STRUCTURE, import_structure, needs_pg
from tests.helpers import build_world

LEADER_HELP = "微网格长："
NEWCOMER = 3003


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements the engine runs meanwhile."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine.sync_engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", note)


@contextmanager
def handler_start(app: App, seen: list[str]) -> Iterator[list[int]]:
    """How many statements had run when each feature handler began."""
    marks: list[int] = []

    async def mark(handler: Callable[..., Awaitable[Any]], update: Any, data: Any) -> Any:
        marks.append(len(seen))
        return await handler(update, data)

    observers = (app.dispatcher.message, app.dispatcher.callback_query)
    for observer in observers:
        observer.middleware(mark)
    try:
        yield marks
    finally:
        for observer in observers:
            observer.middleware.unregister(mark)


@pytest.fixture
async def other_process(app: App) -> Any:
    """A second connection pool on the bot's database, as another bot process or the
    command line would have."""
    engine = create_engine(app.settings.database_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


async def test_at_most_four_statements_before_the_handler(
    telegram: FakeTelegram, structure: App
) -> None:
    world = await build_world(telegram, structure)
    # Taking the update and reading the person (their roles, the chat's state) is one
    # statement on PostgreSQL; SQLite's CTEs cannot write, so there it is two.
    fixed = 1 if structure.engine.dialect.name == "postgresql" else 2
    for command in ("/help", "/points", "/help"):
        with statements(structure.engine) as seen, handler_start(structure, seen) as marks:
            await world.alice.send(command)
        assert marks == [fixed], seen
        assert "processed_updates" in seen[0] and "role_assignments" in seen[fixed - 1], seen
    # An unchanged person is not written; nothing is written for a read.
    with statements(structure.engine) as seen:
        await world.alice.send("/points")
    writes = [s for s in seen if not s.startswith("SELECT")]
    assert len(writes) == 1 and "INSERT INTO processed_updates" in writes[0], writes


async def test_a_changed_name_is_saved(telegram: FakeTelegram, structure: App) -> None:
    world = await build_world(telegram, structure)
    world.alice.first_name = "Alicia"
    with statements(structure.engine) as seen:
        await world.alice.send("/help")
    assert any(s.startswith("UPDATE users") for s in seen)
    async with structure.sessionmaker() as session:
        user = await user_by_telegram_id(session, world.alice.id)
        assert user.full_name == "Alicia"


async def test_a_role_granted_elsewhere_is_seen_by_the_next_update(
    telegram: FakeTelegram, structure: App, other_process: Any
) -> None:
    await build_world(telegram, structure)
    newcomer = telegram.user(NEWCOMER, "新网格长")
    await newcomer.send("/help")
    assert LEADER_HELP not in telegram.last_message(newcomer.id).text
    async with other_process() as session:  # granted in chat, by another process
        user = await user_by_telegram_id(session, NEWCOMER)
        micro_grid = await session.scalar(select(MicroGrid))
        assert micro_grid is not None
        await grant_role(session, user, Role.LEADER, micro_grid.community_id,
                         grid_id=micro_grid.grid_id, micro_grid_id=micro_grid.id)  # fmt: skip
        await session.commit()
    await newcomer.send("/help")
    assert LEADER_HELP in telegram.last_message(newcomer.id).text
    async with other_process() as session:  # and taken away again
        user = await user_by_telegram_id(session, NEWCOMER)
        ids = list(await session.scalars(
            select(RoleAssignment.id).where(RoleAssignment.user_id == user.id)))  # fmt: skip
        await revoke_roles(session, ids)
        await session.commit()
    await newcomer.send("/help")
    assert LEADER_HELP not in telegram.last_message(newcomer.id).text


async def test_a_role_given_by_import_is_seen_by_the_next_update(
    telegram: FakeTelegram, structure: App, other_process: Any, tmp_path: Path
) -> None:
    await build_world(telegram, structure)
    newcomer = telegram.user(NEWCOMER, "新网格长")
    await newcomer.send("/help")
    assert LEADER_HELP not in telegram.last_message(newcomer.id).text
    edited = SAMPLE_STRUCTURE.read_text().replace(
        "leaders: [3001, 3002]", f"leaders: [3001, 3002, {NEWCOMER}]"
    )
    assert edited != SAMPLE_STRUCTURE.read_text()
    async with other_process() as session:
        await apply_structure(session, parse_structure(edited).spec)
        await session.commit()
    await newcomer.send("/help")
    assert LEADER_HELP in telegram.last_message(newcomer.id).text


async def test_chat_state_is_written_only_when_it_changes(any_db_url: str) -> None:
    engine = create_engine(any_db_url)
    storage = DatabaseStorage(create_sessionmaker(engine))
    key = StorageKey(bot_id=1, chat_id=42, user_id=42)
    try:
        with statements(engine) as seen:
            await storage.set_state(key, None)  # nothing there, nothing to clear
            await storage.set_data(key, {})
        assert not [s for s in seen if not s.startswith("SELECT")]

        await storage.set_state(key, "Flow:step")
        await storage.set_data(key, {"room": "302"})
        assert await storage.get_state(key) == "Flow:step"  # read back in a new session
        assert await storage.get_data(key) == {"room": "302"}

        with statements(engine) as seen:
            await storage.set_state(key, "Flow:step")  # the same again
            await storage.set_data(key, {"room": "302"})
        assert not [s for s in seen if not s.startswith("SELECT")], seen

        await storage.set_data(key, {"room": "501"})  # a real change is saved
        assert await storage.get_data(key) == {"room": "501"}

        await storage.set_state(key, None)
        await storage.set_data(key, {})  # a finished flow leaves no row behind
        with statements(engine) as seen:
            assert await storage.get_state(key) is None
        assert len(seen) == 1
    finally:
        await engine.dispose()


@needs_pg
async def test_a_second_update_of_a_chat_waits_for_the_first_and_sees_its_step(
    pg_url: str,
) -> None:
    """The state row is locked by the statement that takes the update and reads the person
    (no round trip of its own): a second update of the same conversation waits there until
    the first commits, then reads the step the first one made."""
    engine = create_engine(pg_url)
    sessionmaker = create_sessionmaker(engine)
    key = "1:44:44:::default"
    acting = Acting(telegram_id=44, full_name="甲", username=None, telegram_language="zh",
                    private_chat=True, state_key=key)  # fmt: skip
    try:
        async with sessionmaker() as session:  # a person known, in the middle of a flow
            assert await take_update_as(session, 900, acting) is not None
            session.add(ChatState(key=key, state="Flow:room", data={}))
            await session.commit()
        async with sessionmaker() as first:
            with statements(engine) as seen:
                assert await take_update_as(first, 901, acting) is not None
                row = await state_row(first, key)
            assert len(seen) == 1 and "FOR UPDATE" in seen[0], seen
            assert row is not None and row.state == "Flow:room"

            async def second() -> str | None:
                async with sessionmaker() as session:
                    assert await take_update_as(session, 902, acting) is not None
                    seen_row = await state_row(session, key)
                    return seen_row.state if seen_row else None

            waiting = asyncio.create_task(second())
            await _until_a_backend_waits_for_a_lock(engine)
            assert not waiting.done()
            row.state = "Flow:confirm"
            await first.commit()
        assert await waiting == "Flow:confirm"
    finally:
        await engine.dispose()


async def _until_a_backend_waits_for_a_lock(engine: AsyncEngine) -> None:
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    async with engine.connect() as connection:
        for _ in range(600):
            if await connection.scalar(query):
                return
            await connection.rollback()
            await asyncio.sleep(0.05)
    raise AssertionError("the second update never waited for the first")


async def test_a_step_that_sets_state_and_data_writes_once(any_db_url: str) -> None:
    """Inside one update's session the writes wait for its commit, so several changes of one
    step make one statement."""
    engine = create_engine(any_db_url)
    sessionmaker = create_sessionmaker(engine)
    storage = DatabaseStorage(sessionmaker)
    key = StorageKey(bot_id=1, chat_id=43, user_id=43)
    try:
        async with sessionmaker() as session:
            token = update_session.set(session)
            try:
                with statements(engine) as seen:
                    assert await storage.get_state(key) is None
                    await storage.set_state(key, "Flow:one")
                    await storage.set_data(key, {"a": 1})
                    await session.commit()
            finally:
                update_session.reset(token)
        assert [s.split()[0] for s in seen] == ["SELECT", "INSERT"], seen
        assert await storage.get_data(key) == {"a": 1}
    finally:
        await engine.dispose()


async def test_a_sqlite_statement_is_one_hand_off_to_its_thread(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    hand_offs = 0
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal hand_offs
        hand_offs += 1
        return await original(self, fn, *args, **kwargs)

    engine = create_engine(sqlite_url)
    try:
        await import_structure(create_sessionmaker(engine))
        async with create_sessionmaker(engine)() as session:
            await session.execute(select(1))  # the connection is open
            monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
            rows = (await session.execute(select(MicroGrid.id, MicroGrid.name))).all()
            assert hand_offs == 1
            assert [name for _id, name in rows] == ["嘉木花园"]
    finally:
        await engine.dispose()


@needs_pg
async def test_a_connection_that_died_while_idle_is_replaced(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("models.base.IDLE_BEFORE_PING", 0.0)  # every checkout counts as idle
    engine = create_engine(pg_url)
    try:
        async with engine.connect() as connection:
            pid = await connection.scalar(text("SELECT pg_backend_pid()"))
        admin = create_engine(pg_url)
        async with admin.connect() as connection:
            await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        await admin.dispose()
        async with engine.connect() as connection:  # the ping found it dead: a new one
            assert await connection.scalar(text("SELECT pg_backend_pid()")) not in (pid, None)
    finally:
        await engine.dispose()


async def test_a_redelivered_update_costs_one_statement(
    telegram: FakeTelegram, structure: App
) -> None:
    world = await build_world(telegram, structure)
    alice = {"id": world.alice.id, "is_bot": False, "first_name": "Alice"}
    update = {"message": {"message_id": 1, "date": 0, "text": "/points", "from": alice,
                          "chat": {"id": world.alice.id, "type": "private"}}}  # fmt: skip
    await telegram.push_update(update, update_id=20_000)
    answers = len(telegram.messages_in(world.alice.id))
    assert answers  # the first delivery was answered
    with statements(structure.engine) as seen:
        await telegram.push_update(update, update_id=20_000)
    assert len(telegram.messages_in(world.alice.id)) == answers  # skipped, not answered again
    assert len(seen) == 1 and "INSERT INTO processed_updates" in seen[0], seen


def test_a_keyboard_made_is_not_changed_by_its_builder_afterwards() -> None:
    export_keyboards_shallowly()
    builder = InlineKeyboardBuilder()
    builder.button(text="认领", callback_data="a")
    builder.button(text="上报", callback_data="b")
    made = builder.as_markup()
    builder.button(text="重复", callback_data="c")
    builder.adjust(1)
    assert [[b.text for b in row] for row in made.inline_keyboard] == [["认领", "上报"]]
    assert [[b.text for b in row] for row in builder.as_markup().inline_keyboard] == [
        ["认领"], ["上报"], ["重复"]
    ]
