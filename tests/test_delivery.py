"""The outbox sender against a fake Bot API that enforces Telegram's limits and fails on
command: nothing lost after a crash, no 429 under load, permanent failures recorded."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.notifier import message_payload
from bot.outbox import OutboxSender, enqueue
from bot.settings import Settings
from models.members import touch_user
from models.outbox import OutboxMessage, OutboxStatus
from playground import FakeTelegram


@pytest.fixture
async def limited() -> FakeTelegram:
    fake = FakeTelegram(enforce_limits=True)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def sender_app(limited: FakeTelegram, settings: Settings) -> App:
    """The bot's pieces against the limited fake, without polling or scheduled jobs."""
    application = App.build(
        settings.model_copy(update={"telegram_api_url": limited.url}), run_scheduler=False
    )
    await application.prepare()
    yield application
    await application.stop()


async def queue(app: App, messages: list[tuple[int, str]]) -> None:
    async with app.sessionmaker() as session:
        for n, (chat_id, text) in enumerate(messages):
            await enqueue(session, chat_id, message_payload(text, None), dedup_key=f"load:{n}")
        await session.commit()


async def pending(app: App) -> int:
    async with app.sessionmaker() as session:
        return await session.scalar(
            select(func.count()).where(OutboxMessage.status == OutboxStatus.PENDING)
        )


async def settled(app: App, timeout: float = 10) -> int:
    """Wait for the sender to record what it sent; returns the rows still pending."""
    for _ in range(int(timeout / 0.05)):
        if (left := await pending(app)) == 0:
            return 0
        await asyncio.sleep(0.05)
    return left


def make_chats(fake: FakeTelegram, groups: int, people: int) -> list[int]:
    chats = [fake.group(-2_000_000 - n, f"group {n}").id for n in range(groups)]
    for n in range(people):
        user = fake.user(700_000 + n, f"person {n}")
        user.started = True
        chats.append(user.id)
    return chats


async def test_500_messages_to_200_chats_without_a_single_429(
    limited: FakeTelegram, sender_app: App
) -> None:
    chats = make_chats(limited, groups=100, people=100)
    messages = [(chats[n % len(chats)], f"message {n}") for n in range(500)]
    await queue(sender_app, messages)
    sender_app.sender.wake()
    await limited.wait_for(lambda: len(limited.sent) == 500, timeout=60, what="500 sent")
    assert limited.rate_limited == []
    assert await settled(sender_app) == 0
    for chat in chats:  # order kept within every chat
        texts = [m.text for m in limited.messages_in(chat)]
        assert texts == sorted(texts, key=lambda t: int(t.split()[1]))
        assert limited.max_in_window(chat, 60) <= 20
        assert limited.max_in_window(chat, 1) <= 1


async def test_nothing_is_lost_when_the_sender_dies_midway(
    limited: FakeTelegram, sender_app: App
) -> None:
    chats = make_chats(limited, groups=10, people=20)
    messages = [(chats[n % len(chats)], f"message {n}") for n in range(90)]
    await queue(sender_app, messages)
    await sender_app.stop_sender()
    # Rows a dead sender had taken go to another once its lease (short here) runs out.
    lease_for = timedelta(seconds=2)
    first = OutboxSender(sender_app.bot, sender_app.sessionmaker, sender_app.catalog,
                         owner="first", lease_for=lease_for)  # fmt: skip
    task = asyncio.create_task(first.run())
    await limited.wait_for(lambda: len(limited.sent) >= 30, timeout=30, what="a third sent")
    task.cancel()  # the process dies in the middle of its work
    await asyncio.gather(task, return_exceptions=True)
    assert await pending(sender_app) > 0

    second = OutboxSender(sender_app.bot, sender_app.sessionmaker, sender_app.catalog,
                          owner="second", lease_for=lease_for)  # fmt: skip
    task = asyncio.create_task(second.run())
    try:
        assert await settled(sender_app, timeout=30) == 0
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert {m.text for m in limited.sent} == {text for _c, text in messages}
    # At least once: a send cut off between Telegram's answer and the commit is repeated, so
    # at most the sends under way when the process died arrive twice.
    assert len(limited.sent) - len(messages) <= 16


async def test_failures_retries_and_permanent_errors(
    limited: FakeTelegram, sender_app: App
) -> None:
    group = limited.group(-3_000_001, "group")
    gone = limited.group(-3_000_002, "gone")
    del limited.chats[gone.id]  # the bot was removed from it
    blocker = limited.user(800_001, "blocker")
    blocker.started = True
    blocker.block_bot()
    async with sender_app.sessionmaker() as session:
        user = await touch_user(session, blocker.id, "blocker", None, "zh", True)
        await session.commit()
        user_id = user.id
    limited.fail_next("sendMessage", 500, "Internal Server Error")
    limited.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    async with sender_app.sessionmaker() as session:
        await enqueue(session, group.id, message_payload("after a 500 and a 429", None),
                      dedup_key="a")  # fmt: skip
        await session.commit()
    sender_app.sender.wake()
    await limited.wait_for_message(group.id, "after a 500", timeout=15)
    assert await settled(sender_app) == 0

    async with sender_app.sessionmaker() as session:
        await enqueue(session, gone.id, message_payload("to a chat that is gone", None),
                      dedup_key="b")  # fmt: skip
        for n in range(2):
            await enqueue(session, blocker.id, message_payload(f"private {n}", None),
                          user_id=user_id, dedup_key=f"c{n}")  # fmt: skip
        await session.commit()
    sender_app.sender.wake()
    assert await settled(sender_app) == 0
    async with sender_app.sessionmaker() as session:
        rows = {r.dedup_key: r for r in (await session.scalars(select(OutboxMessage))).all()}
        assert rows["a"].status == OutboxStatus.SENT and rows["a"].attempts == 1
        assert rows["b"].status == OutboxStatus.FAILED and "chat not found" in rows["b"].last_error
        assert rows["c0"].status == OutboxStatus.FAILED and "blocked" in rows["c0"].last_error
        assert rows["c1"].status == OutboxStatus.FAILED
        blocked_user = await session.get(type(user), user_id)
        assert blocked_user.private_blocked
    private_calls = [p for name, p in limited.calls if p.get("chat_id") == blocker.id]
    assert len(private_calls) == 1  # after "blocked", no more attempts to that person
