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
from playground import BotMessage, FakeTelegram, FakeUser
from tests.conftest import REDIS_URL, import_structure, needs_pg, needs_redis

GROUPS = 5
PEOPLE = 60
FIRST_USER = 7_100_001
GROUP_BASE = -1_007_100_000
STEP_TIMEOUT = 60.0  # generous: answers may come through the outbox, at the limits


def structure_yaml() -> str:
    lines = ["community: 负载社区", "admins: [7100000]", "grids:", "  - name: 一网格",
             "    micro_grids:"]  # fmt: skip
    for n in range(GROUPS):
        lines += [
            f"      - name: 小区{n + 1}",
            f"        chat: {GROUP_BASE - 2 * n}",
            f"        leaders_chat: {GROUP_BASE - 2 * n - 1}",
            f"        leaders: [{7_200_000 + n}]",
            '        buildings: ["1号楼", "2号楼"]',
        ]
    return "\n".join(lines) + "\n"


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
    path.write_text(structure_yaml(), encoding="utf-8")
    await import_structure(app.sessionmaker, path)
    polling = asyncio.create_task(app.run_polling(handle_as_tasks=True, handle_signals=False))
    await telegram.wait_for(lambda: telegram.calls_to("deleteWebhook"), what="bot start")
    yield telegram, app
    await app.stop()
    await asyncio.wait_for(polling, 10)
    await telegram.stop()


async def next_message(
    telegram: FakeTelegram, chat_id: int, after: int, has_button: str
) -> BotMessage:
    def found() -> BotMessage | None:
        return next((m for m in telegram.messages_in(chat_id)[after:]
                     if has_button in m.button_texts), None)  # fmt: skip

    return await telegram.wait_for(found, STEP_TIMEOUT, f"a message with {has_button!r}")


async def register(telegram: FakeTelegram, app: App, person: FakeUser, micro_grid_id: int) -> None:
    t = app.catalog.translator("zh")
    seen = len(telegram.messages_in(person.id))
    await person.send(f"/start join-{micro_grid_id}", wait=False)
    buildings = await next_message(telegram, person.id, seen, "2号楼")
    await person.press(buildings, "2号楼", wait=False)
    await telegram.wait_for(lambda: t("reg-skip-room") in buildings.button_texts, STEP_TIMEOUT,
                            "the room question")  # fmt: skip
    seen = len(telegram.messages_in(person.id))
    await person.send(f"{person.id % 1000}室", wait=False)
    confirm = await next_message(telegram, person.id, seen, t("reg-confirm"))
    await person.press(confirm, t("reg-confirm"), wait=False)
    await telegram.wait_for(lambda: t("reg-done") in confirm.text, STEP_TIMEOUT, "registered")


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
    people = [telegram.user(FIRST_USER + n, f"居民{n}") for n in range(PEOPLE)]

    await asyncio.gather(*(register(telegram, app, person, micro_grids[n % GROUPS].id)
                           for n, person in enumerate(people)))  # fmt: skip
    async with app.sessionmaker() as session:
        assert await session.scalar(select(func.count(Residence.id))) == PEOPLE

    t = app.catalog.translator("zh")
    seen = {person.id: len(telegram.messages_in(person.id)) for person in people}
    posts = await asyncio.gather(*(
        person.send(f"/report 2号楼楼道灯坏了 第{n}盏", groups[n % GROUPS], wait=False)
        for n, person in enumerate(people)))  # fmt: skip

    def answered(n: int) -> str | None:
        """Where the reporter got their answer (a receipt, or the question whether an open
        report is the same thing): a reply in the group, or privately."""
        group, person = groups[n % GROUPS], people[n]
        if any(m.reply_to == posts[n]["message_id"] for m in telegram.messages_in(group.id)):
            return "group"
        for message in telegram.messages_in(person.id)[seen[person.id]:]:
            if message.text.startswith("✅") or t("btn-dup-same") in message.button_texts:
                return "private"
        return None

    await telegram.wait_for(lambda: all(answered(n) for n in range(PEOPLE)), STEP_TIMEOUT,
                            "an answer to every reporter")  # fmt: skip
    paths = Counter(answered(n) for n in range(PEOPLE))
    assert paths["group"] + paths["private"] == PEOPLE

    async with app.sessionmaker() as session:
        assert await session.scalar(select(func.count(Request.id))) == PEOPLE
        failed = await session.scalar(
            select(func.count()).where(ProcessedUpdate.error.is_not(None)))  # fmt: skip
        assert failed == 0
    for group in groups:
        assert telegram.max_in_window(group.id, 60) <= 20
    assert telegram.rate_limited == []  # Telegram was never provoked
    errors = [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert errors == []
    # Every notice is sent once: one "received" notice per reporter, privately.
    async with app.sessionmaker() as session:
        keys = (await session.scalars(
            select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.is_not(None)))).all()
    assert len(keys) == len(set(keys))
