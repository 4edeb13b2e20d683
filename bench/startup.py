"""Start-up on the generated district: a real `gridbot run` process (long polling, SQLite)
against the fake Bot API, from launch to the first update handled (a resident's /points,
waiting in the queue before launch), and its resident memory once it idles.

    python -m bench.startup [--db bench/data/district.db] [--starts 3]

The district's scheduled runs are recorded as done before each start, as after a normal
restart; a start after days of downtime first catches up on the missed runs (timed by
bench.jobs).
"""

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import uvloop
from sqlalchemy import select

from bench.common import DATA, RESULTS, at_least, print_table, write_results
from models.base import create_engine, create_sessionmaker, utcnow
from models.jobs import finish_run, start_run
from models.members import Residence, User
from models.schedule import latest_due, schedule_of
from models.structure import Community
from playground import FakeTelegram

IDLE_SECONDS = 10


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


async def prepare(db: Path) -> int:
    """Mark every run due by now as done; returns a resident's Telegram id."""
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    try:
        async with create_sessionmaker(engine)() as session:
            now = utcnow()
            for community in (await session.scalars(select(Community))).all():
                for job, spec in schedule_of(community).items():
                    due = latest_due(job, spec, now, community.timezone)
                    run = await start_run(session, job, due.period, community.id, "bench")
                    assert run is not None
                    finish_run(run, {})
            resident = await session.scalar(
                select(User.telegram_id).join(Residence, Residence.user_id == User.id).limit(1))
            await session.commit()
            assert resident is not None
            return resident
    finally:
        await engine.dispose()


async def one_start(db: Path, resident: int) -> dict[str, Any]:
    fake = FakeTelegram()
    await fake.start()
    person = fake.user(resident, "居民")
    await person.send("/points", wait=False)  # waiting for the bot before it starts
    env = {**os.environ, "BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.url,
           "DATABASE_URL": f"sqlite+aiosqlite:///{db}", "PYTHONUNBUFFERED": "1"}  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    log = (RESULTS / "startup-gridbot.log").open("ab")  # the process's own log, to read
    launched = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    try:
        await fake.wait_for(lambda: any(m == "getMe" for m, _ in fake.calls),
                            timeout=60, what="the first call to the Bot API")  # fmt: skip
        polling = time.monotonic()  # settings read, migrations checked, the bot built
        await fake.wait_for_message(resident, timeout=60)
        answered = time.monotonic()
        rss_at_first = rss_mib(process.pid)
        await asyncio.sleep(IDLE_SECONDS)
        rss_idle = rss_mib(process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.wait(), 30)
        await fake.stop()
        log.close()
    return {"to_first_api_call_s": round(polling - launched, 2),
            "to_first_update_s": round(answered - launched, 2),
            "rss_first_update_mib": rss_at_first, "rss_idle_mib": rss_idle}  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DATA / "district.db")
    parser.add_argument("--starts", type=at_least(1), default=3)
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db} is missing: generate it with `python -m bench.seed`")
    starts = []
    for _ in range(args.starts):  # each start on a fresh copy: nothing handled before
        with tempfile.TemporaryDirectory(dir=args.db.parent) as scratch:
            copy = Path(scratch) / "district.db"
            shutil.copyfile(args.db, copy)
            starts.append(await one_start(copy, await prepare(copy)))
    rows = [[n + 1, s["to_first_api_call_s"], s["to_first_update_s"], s["rss_first_update_mib"],
             s["rss_idle_mib"]] for n, s in enumerate(starts)]  # fmt: skip
    medians = {key: statistics.median(s[key] for s in starts) for key in starts[0]}
    rows.append(["median", *medians.values()])
    print_table(f"Start-up on the generated district (idle RSS {IDLE_SECONDS} s after)",
                ["start", "to first API call s", "to first update s", "RSS then MiB",
                 "RSS idle MiB"], rows)  # fmt: skip
    write_results("startup", {"starts": starts, "median": medians})


if __name__ == "__main__":
    uvloop.run(main())
