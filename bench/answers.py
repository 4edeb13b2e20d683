"""Answers under load: how long a person waits for the bot's answer to their own message or
button while the outbox is busy and Telegram's limits are enforced.

Sixty residents register at once from their groups' join links (start, pick building, room,
confirm) and then report in five groups, while 1,500 notices to 500 other people wait in the
outbox. The fake Bot API answers 429 past 30 messages/s overall and 20/min per group. The bot
handles updates concurrently, as in production (long polling, SQLite).

    python -m bench.answers [--people 60] [--backlog 1500]
"""

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import uvloop
from sqlalchemy import select

from bench.common import at_least, percentile, print_table, write_results
from bot.app import App
from bot.notifier import message_payload
from bot.outbox import enqueue
from bot.settings import Settings
from migrations import upgrade_async
from models.importer import apply_structure, parse_structure
from models.outbox import OutboxMessage, OutboxStatus
from models.structure import MicroGrid
from playground import FakeTelegram
from playground.crowd import Resident, crowd_structure

GROUPS = 5
BACKLOG_CHATS = 500
STEP_TIMEOUT = 300.0


async def measure(people: int, backlog: int) -> dict[str, Any]:
    fake = FakeTelegram(enforce_limits=True, per_chat_limit=False)
    await fake.start()
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'answers.db'}"
        await upgrade_async(url)
        settings = Settings(_env_file=None, BOT_TOKEN=fake.token, TELEGRAM_API_URL=fake.url,
                            DATABASE_URL=url, GRIDBOT_FLOOD_LIMIT="1000/second")  # fmt: skip
        app = App.build(settings, run_scheduler=False)
        async with app.sessionmaker() as session:
            structure = crowd_structure(GROUPS, first_chat=-1_008_100_000, first_leader=8_200_001)
            await apply_structure(session, parse_structure(structure).spec)
            for n in range(backlog):  # evening notices waiting for 500 people
                reader = fake.user(8_500_000 + n % BACKLOG_CHATS, f"reader {n}")
                reader.started = True
                await enqueue(session, reader.id, message_payload(f"notice {n}", None),
                              dedup_key=f"backlog:{n}")  # fmt: skip
            await session.commit()
            micro_grids = (await session.scalars(select(MicroGrid).order_by(MicroGrid.id))).all()
        groups = [fake.group(m.chat_id, m.name) for m in micro_grids]
        for m in micro_grids:
            fake.group(m.leaders_chat_id, f"{m.name} leaders")
        polling = asyncio.create_task(app.run_polling(handle_as_tasks=True, handle_signals=False))
        t = app.catalog.translator("zh")
        crowd = [Resident(fake, t, fake.user(8_100_001 + n, f"resident {n}"), STEP_TIMEOUT)
                 for n in range(people)]  # fmt: skip
        try:
            await fake.wait_for(lambda: fake.calls_to("deleteWebhook"), what="bot start")
            started = time.monotonic()
            await asyncio.gather(*(person.register(micro_grids[n % GROUPS].id, f"{n + 101}")
                                   for n, person in enumerate(crowd)))  # fmt: skip
            paths = Counter(await asyncio.gather(*(
                person.report(groups[n % GROUPS], f"2号楼楼道灯坏了 {n}")
                for n, person in enumerate(crowd))))  # fmt: skip
            crowd_seconds = time.monotonic() - started
            async with app.sessionmaker() as session:
                backlog_sent = len((await session.scalars(select(OutboxMessage.id).where(
                    OutboxMessage.dedup_key.like("backlog:%"),
                    OutboxMessage.status == OutboxStatus.SENT))).all())  # fmt: skip
        finally:
            await app.stop()
            await asyncio.wait_for(polling, 10)
            await fake.stop()
    waits: dict[str, list[float]] = {}
    for person in crowd:
        for step, seconds in person.waits:
            waits.setdefault(step, []).append(seconds)
    every = [seconds for values in waits.values() for seconds in values]
    steps = {step: {"answers": len(values), "p50_s": round(percentile(values, 50), 3),
                    "p99_s": round(percentile(values, 99), 3), "max_s": round(max(values), 3)}
             for step, values in [*waits.items(), ("every answer", every)]}  # fmt: skip
    return {"people": people, "backlog": backlog, "steps": steps,
            "receipts": dict(paths), "crowd_seconds": round(crowd_seconds, 1),
            "backlog_sent_meanwhile": backlog_sent, "rate_limited_429": len(fake.rate_limited),
            "max_per_group_60s": max(fake.max_in_window(g.id, 60) for g in groups)}  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=at_least(1), default=60)
    parser.add_argument("--backlog", type=at_least(0), default=1500)
    args = parser.parse_args()
    figures = await measure(args.people, args.backlog)
    rows = [[step, f["answers"], f"{f['p50_s']} s", f"{f['p99_s']} s", f"{f['max_s']} s"]
            for step, f in figures["steps"].items()]  # fmt: skip
    print_table("Press to answer, under load", ["step", "answers", "p50", "p99", "max"], rows)
    print_table("Around it", ["measure", "figure"], [
        ["people / outbox backlog", f"{figures['people']} / {figures['backlog']}"],
        ["receipts in the group / privately",
         f"{figures['receipts'].get('group', 0)} / {figures['receipts'].get('private', 0)}"],
        ["crowd done in", f"{figures['crowd_seconds']} s"],
        ["backlog notices sent meanwhile", figures["backlog_sent_meanwhile"]],
        ["429s received", figures["rate_limited_429"]],
        ["most to one group in any 60 s", figures["max_per_group_60s"]],
    ])  # fmt: skip
    write_results("answers", figures)


if __name__ == "__main__":
    uvloop.run(main())
