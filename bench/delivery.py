"""Delivery rate: the outbox sender against a fake Bot API that enforces Telegram's limits
(30 messages/s overall, 1/s per chat, 20/min per group; over them it answers 429).

5,000 messages are queued at once, as a district's evening digests are, to 2,000 chats:
1,500 people, 490 groups and 10 busy groups that get 40 messages each. The sender runs as in
the bot (same process, real HTTP to the fake), on SQLite.

    python -m bench.delivery [--messages 5000] [--chats 2000]

At Telegram's 30/s, 5,000 messages cannot take less than 167 s (and a busy group's 40 no
less than 117 s at 20/min), so this script takes about three minutes.
"""

import argparse
import bisect
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import uvloop

from bench.common import at_least, peak_rss_mib, print_table, write_results
from bot.app import App
from bot.notifier import message_payload
from bot.outbox import enqueue
from bot.settings import Settings
from migrations import upgrade_async
from playground import FakeTelegram
from playground.fakeapi import GLOBAL_PER_SECOND, GROUP_PER_MINUTE

BUSY_GROUPS = 10
BUSY_GROUP_MESSAGES = 40


def plan(fake: FakeTelegram, messages: int, chats: int, busy_groups: int) -> list[tuple[int, str]]:
    """Which chat gets each message, in the order they are queued."""
    groups = chats // 4
    busy = [fake.group(-3_000_000 - n, f"busy {n}").id for n in range(busy_groups)]
    quiet = [fake.group(-4_000_000 - n, f"group {n}").id for n in range(groups - busy_groups)]
    people = []
    for n in range(chats - groups):
        person = fake.user(6_000_000 + n, f"person {n}")
        person.started = True
        people.append(person.id)
    targets = [chat for chat in busy for _ in range(BUSY_GROUP_MESSAGES)]
    others = quiet + people
    targets += [others[n % len(others)] for n in range(messages - len(targets))]
    random.Random(5000).shuffle(targets)  # the busy groups' messages spread through the queue
    return [(chat, f"message {n}") for n, chat in enumerate(targets)]


async def measure(messages: int, chats: int, busy_groups: int) -> dict[str, Any]:
    fake = FakeTelegram(enforce_limits=True)
    await fake.start()
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'delivery.db'}"
        await upgrade_async(url)
        settings = Settings(BOT_TOKEN=fake.token, TELEGRAM_API_URL=fake.url, DATABASE_URL=url)
        app = App.build(settings, run_scheduler=False)
        await app.prepare()
        try:
            queue = plan(fake, messages, chats, busy_groups)
            async with app.sessionmaker() as session:
                for n, (chat, text) in enumerate(queue):
                    await enqueue(session, chat, message_payload(text, None), dedup_key=f"b:{n}")
                await session.commit()
            started = time.monotonic()
            app.sender.wake()
            await fake.wait_for(lambda: len(fake.sent) >= messages, timeout=max(300, messages / 10),
                                what=f"{messages} messages")  # fmt: skip
            finished = time.monotonic()
        finally:
            await app.stop()
            await fake.stop()
    groups = {chat for chat, _ in queue if chat < 0}
    per_group = max(fake.max_in_window(chat, 60) for chat in groups)
    per_chat = max(fake.max_in_window(chat, 1) for chat, _ in queue)
    times = sorted(t for t, _ in fake.received)
    busiest_second = max(bisect.bisect_left(times, t + 1) - n for n, t in enumerate(times))
    rate = messages / (finished - started)
    # Sends per 10 s from the first: the steady rate, and how the last chats trail off.
    steps = [0] * (int((times[-1] - times[0]) // 10) + 1)
    for t in times:
        steps[int((t - times[0]) // 10)] += 1
    return {
        "messages": messages, "chats": chats, "groups": len(groups),
        "seconds": round(finished - started, 1), "messages_per_s": round(rate, 2),
        "share_of_ceiling_pct": round(100 * rate / GLOBAL_PER_SECOND, 1),
        "rate_limited_429": len(fake.rate_limited), "busiest_second": busiest_second,
        "max_per_group_60s": per_group, "max_per_chat_1s": per_chat,
        "per_10s": steps, "peak_rss_mib": peak_rss_mib(),
    }  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=at_least(1), default=5000)
    parser.add_argument("--chats", type=at_least(8), default=2000)
    parser.add_argument("--busy-groups", type=at_least(0), default=BUSY_GROUPS)
    args = parser.parse_args()
    if args.chats // 4 <= args.busy_groups:
        parser.error(f"a quarter of the chats are groups: {args.chats} chats leave no room "
                     f"for {args.busy_groups} busy groups besides quiet ones")  # fmt: skip
    if args.messages <= (busy := args.busy_groups * BUSY_GROUP_MESSAGES):
        parser.error(f"{args.busy_groups} busy groups alone get {busy} messages; send more")
    figures = await measure(args.messages, args.chats, args.busy_groups)
    print_table("Delivery against Telegram's limits", ["measure", "figure", "target"], [
        ["messages / chats / groups",
         f"{figures['messages']} / {figures['chats']} / {figures['groups']}", ""],
        ["time to deliver all", f"{figures['seconds']} s", ""],
        ["messages/s", figures["messages_per_s"], f"≥ {0.9 * GLOBAL_PER_SECOND:g} (90% of 30)"],
        ["share of the 30/s ceiling", f"{figures['share_of_ceiling_pct']}%", "≥ 90%"],
        ["429s received", figures["rate_limited_429"], "0"],
        ["most sends in any 1 s", figures["busiest_second"], f"≤ {GLOBAL_PER_SECOND}"],
        ["most to one group in any 60 s", figures["max_per_group_60s"], f"≤ {GROUP_PER_MINUTE}"],
        ["most to one chat in any 1 s", figures["max_per_chat_1s"], "≤ 1"],
        ["sends per 10 s, first to last", " ".join(map(str, figures["per_10s"])), ""],
    ])  # fmt: skip
    write_results("delivery", figures)


if __name__ == "__main__":
    uvloop.run(main())
