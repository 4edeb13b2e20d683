"""Shared fixtures: databases (SQLite always, PostgreSQL when configured), the fake Bot API
server over real HTTP, and the real bot polling it."""

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvloop
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from bot.app import App
from bot.settings import Settings
from migrations import upgrade
from models import metadata
from models.base import create_engine, create_sessionmaker
from models.importer import apply_structure, read_structure_file
from playground import FakeTelegram

pytest_plugins = ["tests.browser"]

DATA = Path(__file__).parent / "data"
SAMPLE_STRUCTURE = DATA / "structure.yaml"
PG_URL = os.environ.get("GRIDBOT_TEST_PG_URL")
REDIS_URL = os.environ.get("GRIDBOT_TEST_REDIS_URL")
needs_pg = pytest.mark.skipif(not PG_URL, reason="GRIDBOT_TEST_PG_URL is not set")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="GRIDBOT_TEST_REDIS_URL is not set")
# The database the bot under test runs on: sqlite (default) or postgresql, so the whole
# suite can be run on either.
BACKEND = os.environ.get("GRIDBOT_TEST_DATABASE", "sqlite")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a copy (migrating per test is slow)."""
    path = tmp_path_factory.mktemp("template") / "gridbot.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A PostgreSQL database of its own for this test session, migrated once."""
    if not PG_URL:
        pytest.skip("GRIDBOT_TEST_PG_URL is not set")
    name = f"gridbot_test_{uuid.uuid4().hex[:8]}"

    async def admin(statement: str) -> None:
        engine = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(statement))
        await engine.dispose()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    upgrade(url)
    yield url
    asyncio.run(admin(f'DROP DATABASE "{name}" WITH (FORCE)'))


async def _truncate_pg(url: str) -> None:
    engine = create_async_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "gridbot.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def pg_url(pg_database: str) -> str:
    asyncio.run(_truncate_pg(pg_database))
    return pg_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_pg)])
def any_db_url(request: pytest.FixtureRequest) -> str:
    """The same test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
async def sessionmaker(any_db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(any_db_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


async def import_structure(
    sessionmaker: async_sessionmaker[AsyncSession], path: Path = SAMPLE_STRUCTURE
) -> None:
    async with sessionmaker() as session:
        await apply_structure(session, read_structure_file(path).spec)
        await session.commit()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def bot_db_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("pg_url" if BACKEND == "postgresql" else "sqlite_url")


@pytest.fixture
def settings(bot_db_url: str, telegram: FakeTelegram) -> Settings:
    return Settings(
        _env_file=None,
        BOT_TOKEN=telegram.token,
        TELEGRAM_API_URL=telegram.url,
        DATABASE_URL=bot_db_url,
        GRIDBOT_ADMIN_IDS="9001",
        GRIDBOT_FLOOD_LIMIT="1000/second",
    )


@pytest.fixture
async def app(settings: Settings, telegram: FakeTelegram) -> AsyncIterator[App]:
    """The real bot, long-polling the fake Bot API. Updates are handled one after another
    so that a test step returns once the bot has fully answered it."""
    application = App.build(settings)
    polling = asyncio.create_task(
        application.run_polling(handle_as_tasks=False, handle_signals=False)
    )
    # starting sets ten command menus before it polls: slower than a step on a busy machine
    await telegram.wait_for(lambda: telegram.calls_to("deleteWebhook"), timeout=30,
                            what="bot start")  # fmt: skip
    yield application
    await application.stop()
    await asyncio.wait_for(polling, 10)


@pytest.fixture
async def structure(app: App) -> App:
    await import_structure(app.sessionmaker)
    return app


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL pass, run only the tests whose bot uses the chosen database; the
    rest ran on the first pass already (and choose their databases themselves)."""
    if BACKEND != "postgresql":
        return
    selected = [item for item in items if "bot_db_url" in getattr(item, "fixturenames", ())]
    config.hook.pytest_deselected(items=[item for item in items if item not in selected])
    items[:] = selected


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    """Tests run on the event loop the bot's processes run on."""
    return {"uvloop": uvloop.new_event_loop}
