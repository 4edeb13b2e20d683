"""Structure rows kept between updates: never stale, whichever process or connection changed them.

A process keeps the structure rows (places, chats, categories) it read while the structure
version, read by each update's first statement, stays the same; every write to a structure
table sets a new version in its own transaction. Counts of SQL statements are asserted (they
are deterministic); times never are."""

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, inspect, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import App
from models.base import create_engine, create_sessionmaker
from models.members import (
    Role,
    RoleAssignment,
    grant_role,
    revoke_roles,
    touch_user,
    user_by_telegram_id,
)
from models.requests import Category, Request, RequestStatus, RoutingLevel
from models.requests.categories import list_categories
from models.structure import _CACHES, Community, MicroGrid, bind_chat, cached_structure_values
from models.updates import record_update
from playground import FakeTelegram
from tests.conftest import import_structure
from tests.helpers import GRID_CHAT, LEADERS_CHAT, build_world

UPDATES = iter(range(10_000, 1_000_000))


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine.sync_engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", note)


@pytest.fixture
async def two_processes(
    any_db_url: str,
) -> AsyncIterator[tuple[tuple[AsyncEngine, async_sessionmaker[AsyncSession]], ...]]:
    """Two connection pools on one database with the sample structure, as two bot processes
    (or a bot and the command line) have."""
    engines = (create_engine(any_db_url), create_engine(any_db_url))
    await import_structure(create_sessionmaker(engines[1]))
    yield tuple((engine, create_sessionmaker(engine)) for engine in engines)
    for engine in engines:
        await engine.dispose()


async def first_micro_grid_id(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        micro_grid_id = await session.scalar(select(MicroGrid.id).order_by(MicroGrid.id))
        assert micro_grid_id is not None
        return micro_grid_id


async def read_in_update(
    sessionmaker: async_sessionmaker[AsyncSession], micro_grid_id: int
) -> tuple[int | None, str]:
    """What an update sees of a micro-grid: its residents' chat and name."""
    async with sessionmaker() as session:
        assert await record_update(session, next(UPDATES))
        micro_grid = await session.get(MicroGrid, micro_grid_id)
        assert micro_grid is not None
        seen = micro_grid.chat_id, micro_grid.name
        await session.commit()
        return seen


async def test_a_kept_row_is_read_without_a_statement(two_processes: Any) -> None:
    (engine, sessionmaker), _other = two_processes
    micro_grid_id = await first_micro_grid_id(sessionmaker)
    await read_in_update(sessionmaker, micro_grid_id)
    with statements(engine) as seen:
        await read_in_update(sessionmaker, micro_grid_id)
    assert [s for s in seen if "micro_grids" in s] == [], seen


async def test_a_change_by_another_process_is_seen_by_the_next_update(
    two_processes: Any,
) -> None:
    (_engine, bot), (_other_engine, other) = two_processes
    micro_grid_id = await first_micro_grid_id(bot)
    before, _name = await read_in_update(bot, micro_grid_id)
    async with other() as session:  # /bind in another process
        micro_grid = await session.get(MicroGrid, micro_grid_id)
        assert micro_grid is not None
        await bind_chat(session, micro_grid, -1009999)
        await session.commit()
    assert before != -1009999
    assert (await read_in_update(bot, micro_grid_id))[0] == -1009999
    async with other() as session:  # a plain SQL update, not through the ORM's objects
        await session.execute(
            update(MicroGrid).where(MicroGrid.id == micro_grid_id).values(name="新名字")
        )
        await session.commit()
    assert (await read_in_update(bot, micro_grid_id))[1] == "新名字"


async def test_a_category_edit_elsewhere_is_seen_by_the_next_update(two_processes: Any) -> None:
    (_engine, bot), (_other_engine, other) = two_processes

    async def lighting_level() -> RoutingLevel:
        async with bot() as session:
            assert await record_update(session, next(UPDATES))
            community_id = await session.scalar(select(MicroGrid.community_id))
            assert community_id is not None
            categories = await list_categories(session, community_id)
            await session.commit()
            return next(c.routing_level for c in categories if c.code == "lighting")

    assert await lighting_level() == RoutingLevel.MICRO_GRID
    async with other() as session:
        await session.execute(
            update(Category).where(Category.code == "lighting")
            .values(routing_level=RoutingLevel.GRID)
        )  # fmt: skip
        await session.commit()
    assert await lighting_level() == RoutingLevel.GRID


async def test_a_change_rolled_back_is_never_kept(two_processes: Any) -> None:
    (_engine, bot), _other = two_processes
    micro_grid_id = await first_micro_grid_id(bot)
    _chat, name = await read_in_update(bot, micro_grid_id)
    async with bot() as session:
        assert await record_update(session, next(UPDATES))
        micro_grid = await session.get(MicroGrid, micro_grid_id)
        assert micro_grid is not None
        micro_grid.name = "未提交"
        await session.flush()
        # The update changed the structure: it reads it from the database from now on.
        same = await session.get(MicroGrid, micro_grid_id)
        assert same is micro_grid and same.name == "未提交"
        await session.rollback()
    assert (await read_in_update(bot, micro_grid_id))[1] == name


async def test_a_cached_row_is_the_session_s_own_copy(two_processes: Any) -> None:
    (_engine, bot), _other = two_processes
    micro_grid_id = await first_micro_grid_id(bot)
    _chat, name = await read_in_update(bot, micro_grid_id)
    async with bot() as session:  # an update that changes a kept row and then fails
        assert await record_update(session, next(UPDATES))
        micro_grid = await session.get(MicroGrid, micro_grid_id)
        assert micro_grid is not None
        micro_grid.name = "改了又没提交"
        await session.rollback()
    assert (await read_in_update(bot, micro_grid_id))[1] == name


async def test_a_kept_row_is_an_ordinary_object_of_the_update_s_session(
    two_processes: Any,
) -> None:
    (engine, bot), _other = two_processes
    micro_grid_id = await first_micro_grid_id(bot)
    _chat, name = await read_in_update(bot, micro_grid_id)
    async with bot() as session:  # its community is kept too
        assert await record_update(session, next(UPDATES))
        community_id = await session.scalar(
            select(MicroGrid.community_id).where(MicroGrid.id == micro_grid_id)
        )
        assert await session.get(Community, community_id) is not None
        await session.commit()
    key = (MicroGrid, (micro_grid_id,), None)
    rows = _CACHES[engine.sync_engine].rows
    kept = rows[key]
    async with bot() as session:
        assert await record_update(session, next(UPDATES))
        with statements(engine) as seen:
            micro_grid = await session.get(MicroGrid, micro_grid_id)
        assert micro_grid is not None and seen == []
        sync_session = session.sync_session
        state = inspect(micro_grid)
        assert state.persistent and not state.modified and not state.expired_attributes
        assert sync_session.identity_map.get(key) is micro_grid
        assert micro_grid in sync_session.info["pinned"]
        assert await session.get(MicroGrid, micro_grid_id) is micro_grid
        # relationships load lazily, as from any loaded object
        grid = await session.run_sync(lambda _session: micro_grid.grid)
        assert micro_grid in await session.run_sync(lambda _session: grid.micro_grids)
        community = await session.get(Community, community_id)
        assert community is not None
        community.settings["changed in place"] = True
        assert "changed in place" not in rows[(Community, (community_id,), None)]["settings"]
        micro_grid.name = "改名了"
        with statements(engine) as seen:
            await session.flush()
        assert any(s.startswith("UPDATE micro_grids") for s in seen), seen
        assert kept["name"] == name  # the cache's copy is not the session's
        await session.commit()
    assert (await read_in_update(bot, micro_grid_id))[1] == "改名了"


async def test_a_change_after_a_rolled_back_savepoint_changes_the_version(
    two_processes: Any,
) -> None:
    (_engine, bot), (_other_engine, other) = two_processes
    micro_grid_id = await first_micro_grid_id(bot)
    await read_in_update(bot, micro_grid_id)
    async with other() as session:
        savepoint = await session.begin_nested()  # its change, and its version, undone
        await session.execute(
            update(MicroGrid).where(MicroGrid.id == micro_grid_id).values(name="回滚了")
        )
        await savepoint.rollback()
        await session.execute(
            update(MicroGrid).where(MicroGrid.id == micro_grid_id).values(name="留下了")
        )
        await session.commit()
    assert (await read_in_update(bot, micro_grid_id))[1] == "留下了"

# --- through the bot: the other process is the command line or a second bot process --------


@pytest.fixture
async def other_process(app: App) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(app.settings.database_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


async def test_a_category_moved_up_elsewhere_routes_the_next_report_there(
    telegram: FakeTelegram, structure: App, other_process: Any
) -> None:
    world = await build_world(telegram, structure)
    await world.alice.send("#报事 楼上装修噪音太大", chat=world.residents)
    await telegram.wait_for_message(LEADERS_CHAT, "R-0001")  # the rows are kept by now
    async with other_process() as session:
        await session.execute(
            update(Category).where(Category.code == "lighting")
            .values(routing_level=RoutingLevel.GRID)
        )  # fmt: skip
        await session.commit()
    await world.bob.send("#报事 1号楼门口的路灯不亮", chat=world.residents)
    await telegram.wait_for_message(GRID_CHAT, "R-0002")
    assert not any("R-0002" in m.text for m in telegram.messages_in(LEADERS_CHAT))


async def test_a_leader_whose_role_was_revoked_elsewhere_cannot_claim(
    telegram: FakeTelegram, structure: App, other_process: Any
) -> None:
    world = await build_world(telegram, structure)
    await world.alice.send("#报事 2号楼楼道灯坏了", chat=world.residents)
    card = await telegram.wait_for_message(LEADERS_CHAT, "R-0001")
    async with other_process() as session:
        user = await user_by_telegram_id(session, world.other_leader.id)
        ids = list(await session.scalars(
            select(RoleAssignment.id).where(RoleAssignment.user_id == user.id)))  # fmt: skip
        await revoke_roles(session, ids)
        await session.commit()
    query = await world.other_leader.press(card, "认领")
    assert "只有" in telegram.answer_to(query)["text"]
    async with structure.sessionmaker() as session:
        request = await session.scalar(select(Request))
        assert request is not None and request.status == RequestStatus.ROUTED
    query = await world.leader.press(card, "认领")
    assert "已认领 R-0001" in telegram.answer_to(query)["text"]


async def test_leaders_kept_for_notices_follow_a_grant_elsewhere(two_processes: Any) -> None:
    (_engine, bot), (_other_engine, other) = two_processes
    micro_grid_id = await first_micro_grid_id(bot)
    query = select(RoleAssignment.user_id).where(
        RoleAssignment.role == Role.LEADER, RoleAssignment.micro_grid_id == micro_grid_id
    )

    async def leaders() -> set[int]:
        async with bot() as session:
            assert await record_update(session, next(UPDATES))
            found = await cached_structure_values(session, ("leaders", micro_grid_id), query)
            await session.commit()
            return set(found)

    before = await leaders()
    async with other() as session:
        user = await touch_user(session, 7007, "新网格长", None, "zh", False)
        micro_grid = await session.get(MicroGrid, micro_grid_id)
        assert micro_grid is not None
        await grant_role(session, user, Role.LEADER, micro_grid.community_id,
                         grid_id=micro_grid.grid_id, micro_grid_id=micro_grid_id)  # fmt: skip
        await session.commit()
    assert await leaders() == before | {user.id}
