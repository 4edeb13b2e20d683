"""Direct answers under Telegram's limits: a 429 is obeyed, an answer that cannot go soon
arrives through the outbox, answers wait for the commit, and busy groups are spared."""

import asyncio
import logging

import pytest
from sqlalchemy import func, select

from bot import answers
from bot.app import App
from bot.limits import GROUP_LIMIT
from bot.settings import Settings
from models.outbox import OutboxMessage, OutboxStatus
from models.updates import ProcessedUpdate
from playground import FakeTelegram
from tests.helpers import RESIDENTS_CHAT, build_world


async def failed_updates(app: App) -> int:
    async with app.sessionmaker() as session:
        query = select(func.count()).where(ProcessedUpdate.error.is_not(None))
        return int(await session.scalar(query) or 0)


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_a_429_on_an_answer_is_obeyed_and_the_answer_retried(
    telegram: FakeTelegram, structure: App, caplog: pytest.LogCaptureFixture
) -> None:
    world = await build_world(telegram, structure)
    before = len(telegram.calls_to("sendMessage"))
    shown = len(telegram.messages_in(world.alice.id))
    telegram.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    await world.alice.send("/my")
    assert len(telegram.messages_in(world.alice.id)) == shown + 1  # arrived after the pause
    assert len(telegram.calls_to("sendMessage")) == before + 2  # refused once, then sent
    assert await failed_updates(structure) == 0
    assert tracebacks(caplog) == []


async def test_an_answer_that_cannot_go_soon_arrives_through_the_outbox_in_order(
    telegram: FakeTelegram,
    structure: App,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = await build_world(telegram, structure)
    monkeypatch.setattr(answers, "ANSWER_PATIENCE", 0.2)
    shown = len(telegram.messages_in(world.alice.id))
    telegram.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    await world.alice.send("/report")  # the category prompt is refused, then queued

    def prompt():  # type: ignore[no-untyped-def]
        return next((m for m in telegram.messages_in(world.alice.id)[shown:] if m.buttons), None)

    message = await telegram.wait_for(prompt, timeout=10, what="the queued prompt")
    async with structure.sessionmaker() as session:
        queued = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.chat_id == world.alice.id,
                                            OutboxMessage.method == "sendMessage")
            )
        ).all()  # fmt: skip
    assert len(queued) == 1  # it came through the outbox
    # the person can go on: the queued prompt's buttons work
    monkeypatch.setattr(answers, "ANSWER_PATIENCE", 5.0)
    await world.alice.press(message, "照明")
    assert "照明" not in telegram.last_message(world.alice.id).button_texts
    assert await failed_updates(structure) == 0
    assert tracebacks(caplog) == []


async def test_network_errors_on_an_answer_are_retried(
    telegram: FakeTelegram, structure: App, caplog: pytest.LogCaptureFixture
) -> None:
    world = await build_world(telegram, structure)
    shown = len(telegram.messages_in(world.bob.id))
    telegram.fail_next("sendMessage", 502, "Bad Gateway")
    await world.bob.send("/help")
    assert len(telegram.messages_in(world.bob.id)) == shown + 1
    assert await failed_updates(structure) == 0
    assert tracebacks(caplog) == []


async def test_answers_wait_for_the_commit_and_a_failed_update_sends_none(
    telegram: FakeTelegram, structure: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Registration from a join link greets, then shows the buildings. If showing them fails,
    the greeting (sent first by the handler) must not go out: nothing was saved."""
    import handlers.start

    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the structure could not be read")

    carol = telegram.user(5003, "Carol")
    monkeypatch.setattr(handlers.start, "place_options", broken)
    async with structure.sessionmaker() as session:
        from models.structure import MicroGrid

        micro_grid_id = await session.scalar(select(MicroGrid.id))
    await carol.send(f"/start join-{micro_grid_id}")
    texts = [m.text for m in telegram.messages_in(carol.id)]
    assert len(texts) == 1  # only the apology
    assert structure.catalog.translator("zh")("error-internal") in texts[0]


async def test_a_busy_group_gets_no_more_receipts_the_reporter_is_told_privately(
    telegram: FakeTelegram, structure: App, caplog: pytest.LogCaptureFixture
) -> None:
    world = await build_world(telegram, structure)
    for _ in range(GROUP_LIMIT.amount):  # the group's minute is used up
        await structure.limits.limiter.hit(GROUP_LIMIT, "group", str(RESIDENTS_CHAT))
    in_group = len(telegram.messages_in(RESIDENTS_CHAT))
    await world.alice.send("/report 2号楼楼道灯坏了", world.residents)
    assert len(telegram.messages_in(RESIDENTS_CHAT)) == in_group
    receipt = await telegram.wait_for_message(world.alice.id, "R-0001")
    assert "嘉木花园" in receipt.text  # says which group the receipt is for
    assert await failed_updates(structure) == 0
    assert tracebacks(caplog) == []


async def test_a_busy_group_receipt_for_someone_unreachable_waits_in_the_outbox(
    telegram: FakeTelegram, structure: App
) -> None:
    world = await build_world(telegram, structure)
    world.bob.block_bot()
    for _ in range(GROUP_LIMIT.amount):
        await structure.limits.limiter.hit(GROUP_LIMIT, "group", str(RESIDENTS_CHAT))
    await world.bob.send("/report 1号楼门口积水", world.residents)
    async with structure.sessionmaker() as session:
        waiting = (
            await session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.chat_id == RESIDENTS_CHAT,
                    OutboxMessage.status == OutboxStatus.PENDING,
                )
            )
        ).all()
    assert any("R-0001" in row.payload.get("text", "") for row in waiting)
    assert await failed_updates(structure) == 0


async def test_the_flood_warning_obeys_a_429_too(
    telegram: FakeTelegram, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    application = App.build(settings.model_copy(update={"flood_limit": "2/minute"}))
    polling = asyncio.create_task(
        application.run_polling(handle_as_tasks=False, handle_signals=False)
    )
    try:
        ivy = telegram.user(6004, "Ivy")
        await ivy.send("/help")
        await ivy.send("/help")
        telegram.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        await ivy.send("/help")  # over the limit: the warning is refused once, then sent
        texts = [m.text for m in telegram.messages_in(ivy.id)]
        assert len(texts) == 3 and "太快" in texts[2]
        assert await failed_updates(application) == 0
        assert tracebacks(caplog) == []
    finally:
        await application.stop()
        await polling
