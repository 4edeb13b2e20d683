"""Flood limit, duplicate updates, and the error boundary, through the real Dispatcher."""

import asyncio
import time

import pytest

import handlers.help
from bot.app import App
from bot.settings import Settings
from models.updates import record_update
from playground import FakeTelegram
from tests.conftest import needs_redis


def private_update(update_id: int, user_id: int, text: str) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Dup"},
            "text": text,
        },
    }


async def test_redelivered_update_is_handled_once(telegram: FakeTelegram, app: App) -> None:
    user = telegram.user(6001, "Dup")
    user.started = True
    update = private_update(10_000, user.id, "/help")
    payload = {"message": update["message"]}
    await telegram.push_update(payload, update_id=10_000)
    await telegram.push_update(payload, update_id=10_000)
    assert len(telegram.messages_in(user.id)) == 1
    await user.send("/help")  # a new update is handled as usual
    assert len(telegram.messages_in(user.id)) == 2


async def test_concurrent_duplicates_are_handled_once(telegram: FakeTelegram, app: App) -> None:
    """Five deliveries of one update handled at the same time (as several processes would)."""
    user = telegram.user(6002, "Dup")
    user.started = True
    update = private_update(10_001, user.id, "/help")
    results = await asyncio.gather(
        *(app.dispatcher.feed_raw_update(app.bot, update) for _ in range(5))
    )
    replies = [r for r in results if r is not None]
    assert len(replies) == 1  # one delivery produced the answer, four were skipped


async def test_update_record_is_exclusive_across_sessions(sessionmaker) -> None:
    async def take() -> bool:
        async with sessionmaker() as session:
            taken = await record_update(session, 77)
            await session.commit()
            return taken

    results = await asyncio.gather(*(take() for _ in range(6)))
    assert sorted(results) == [False] * 5 + [True]


async def test_one_failing_update_gets_an_apology_and_the_bot_goes_on(
    telegram: FakeTelegram, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(handlers.help, "help_text", broken)
    henry = telegram.user(6003, "Henry")
    await henry.send("/help")
    assert "出了点问题" in telegram.last_message(henry.id).text
    monkeypatch.undo()
    await henry.send("/help")
    assert "/start" in telegram.last_message(henry.id).text


@pytest.fixture
def strict_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"flood_limit": "3/minute"})


async def test_flood_is_dropped_with_one_warning(
    telegram: FakeTelegram, strict_settings: Settings
) -> None:
    application = App.build(strict_settings)
    polling = asyncio.create_task(
        application.run_polling(handle_as_tasks=False, handle_signals=False)
    )
    try:
        ivy = telegram.user(6004, "Ivy")
        for _ in range(8):
            await ivy.send("/help")
        texts = [m.text for m in telegram.messages_in(ivy.id)]
        assert len(texts) == 4  # three answers, then one warning, then silence
        assert "太快" in texts[3]
        other = telegram.user(6005, "Jack")  # one person's flood does not slow others
        await other.send("/help")
        assert "/start" in telegram.last_message(other.id).text
    finally:
        await application.stop()
        await polling


@needs_redis
async def test_flood_limit_is_shared_through_redis(
    telegram: FakeTelegram, strict_settings: Settings
) -> None:
    import os
    import uuid

    from redis.asyncio import Redis

    redis_url = os.environ["GRIDBOT_TEST_REDIS_URL"]
    shared = strict_settings.model_copy(update={"redis_url": redis_url})
    first, second = App.build(shared, run_scheduler=False), App.build(shared, run_scheduler=False)
    await first.prepare()
    await second.prepare()
    user_id = 60_000 + uuid.uuid4().int % 10_000  # keys of earlier runs must not interfere
    kate = telegram.user(user_id, "Kate")
    kate.started = True
    try:
        answered = 0
        for n, application in enumerate([first, second, first, second, first]):
            reply = await application.dispatcher.feed_raw_update(
                application.bot, private_update(20_000 + n + user_id * 10, kate.id, "/help")
            )
            answered += reply is not None
        # Three answers across both processes; the 4th update got the (directly sent) warning.
        assert answered == 3
        texts = [m.text for m in telegram.messages_in(kate.id)]
        assert len(texts) == 1 and "太快" in texts[0]
    finally:
        await first.stop()
        await second.stop()
        client = Redis.from_url(redis_url)
        await client.aclose()
