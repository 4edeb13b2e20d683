"""Sixty residents registering at once, then reporting in a handful of groups, with a Bot API
that refuses anything past 30 messages/s overall and 20/min per group: everyone is answered,
no update fails, nothing is logged as an error, no group gets more than its budget."""

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.settings import Settings
from models.members import Residence
from models.outbox import OutboxMessage
from models.requests import Request
from models.structure import MicroGrid
from models.updates import ProcessedUpdate
from playground import FakeTelegram
from playground.crowd import Resident, crowd_structure
from tests.conftest import REDIS_URL, import_structure, needs_pg, needs_redis

GROUPS = 5
PEOPLE = 60
FIRST_USER = 7_100_001
STEP_TIMEOUT = 60.0  # generous: answers may come through the outbox, at the limits


@pytest.fixture(params=["sqlite", pytest.param("postgresql+redis", marks=[needs_pg, needs_redis])])
def crowd_db(request: pytest.FixtureRequest) -> tuple[str, str | None]:
    """(database URL, Redis URL): SQLite alone, or PostgreSQL with Redis as at scale."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url"), None
    return request.getfixturevalue("pg_url"), REDIS_URL


@pytest.fixture
async def crowd(
    crowd_db: tuple[str, str | None], tmp_path: Path
) -> AsyncIterator[tuple[FakeTelegram, App]]:
    """The real bot handling updates concurrently, as in production, against a Bot API that
    enforces Telegram's overall and per-group limits."""
    url, redis_url = crowd_db
    telegram = FakeTelegram(token="710000:LOAD", enforce_limits=True, per_chat_limit=False)
    await telegram.start()
    settings = Settings(_env_file=None, BOT_TOKEN=telegram.token, TELEGRAM_API_URL=telegram.url,
                        DATABASE_URL=url, GRIDBOT_FLOOD_LIMIT="1000/second",
                        REDIS_URL=redis_url)  # fmt: skip
    app = App.build(settings, run_scheduler=False)
    path = tmp_path / "load.yaml"
    path.write_text(crowd_structure(GROUPS, first_chat=-1_007_100_000, first_leader=7_200_001))
    await import_structure(app.sessionmaker, path)
    polling = asyncio.create_task(app.run_polling(handle_as_tasks=True, handle_signals=False))
    # starting sets ten command menus before it polls: slower than a step on a busy machine
    await telegram.wait_for(lambda: telegram.calls_to("deleteWebhook"), timeout=30,
                            what="bot start")  # fmt: skip
    yield telegram, app
    await app.stop()
    await asyncio.wait_for(polling, 10)
    await telegram.stop()


@pytest.mark.timeout(300)
async def test_sixty_people_register_and_report_at_once(
    crowd: tuple[FakeTelegram, App], caplog: pytest.LogCaptureFixture
) -> None:
    telegram, app = crowd
    caplog.set_level(logging.INFO)
    async with app.sessionmaker() as session:
        micro_grids = (await session.scalars(select(MicroGrid).order_by(MicroGrid.id))).all()
    groups = [telegram.group(m.chat_id, m.name) for m in micro_grids]
    for m in micro_grids:
        telegram.group(m.leaders_chat_id, f"{m.name}网格长群")
    t = app.catalog.translator("zh")
    people = [Resident(telegram, t, telegram.user(FIRST_USER + n, f"居民{n}"), STEP_TIMEOUT)
              for n in range(PEOPLE)]  # fmt: skip

    await asyncio.gather(*(person.register(micro_grids[n % GROUPS].id, f"{n + 101}室")
                           for n, person in enumerate(people)))  # fmt: skip
    async with app.sessionmaker() as session:
        assert await session.scalar(select(func.count(Residence.id))) == PEOPLE

    # Everyone in a group reports the same dark stairwell: the first is received, the others
    # are asked whether it is the same thing. Each learns it in the group or privately.
    paths = Counter(await asyncio.gather(*(
        person.report(groups[n % GROUPS], f"2号楼楼道灯坏了 第{n}盏")
        for n, person in enumerate(people))))  # fmt: skip
    assert paths["group"] + paths["private"] == PEOPLE

    async with app.sessionmaker() as session:
        assert await session.scalar(select(func.count(Request.id))) == PEOPLE
        failed = await session.scalar(
            select(func.count()).where(ProcessedUpdate.error.is_not(None)))  # fmt: skip
        assert failed == 0
        keys = (await session.scalars(
            select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.is_not(None)))).all()
    assert len(keys) == len(set(keys))  # no notice queued twice
    for group in groups:
        assert telegram.max_in_window(group.id, 60) <= 20
    assert telegram.rate_limited == []  # Telegram was never provoked
    errors = [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert errors == []
