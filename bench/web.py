"""The workbench's pages on the generated district: each page rendered for a community admin
over real HTTP, timed from request to last byte; p50 and p99 per page.

    python -m bench.web [--db bench/data/district.db] [--rounds 50]

Needs the generated district (`python -m bench.seed`; `make bench` runs it first). Runs on
a copy of it, so the district stays as generated. The bot talks to a fake Bot API here; no
page but the login page and photos calls it.
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import aiohttp
import uvloop
from sqlalchemy import func, select

from bench.common import DATA, at_least, percentile, print_table, write_results
from bot.app import App
from bot.settings import Settings
from bot.web import WebServer
from migrations import upgrade
from models.members import load_member, user_by_telegram_id
from models.requests import Request
from models.webauth import issue_login_link
from playground import FakeTelegram

ADMIN = 10_000  # the admin of the district's first community (bench.seed)
TARGET_MS = 200.0


Timings = dict[str, list[float]]


async def pages(session_url: str, rounds: int) -> tuple[Timings, Timings]:
    telegram = FakeTelegram()
    await telegram.start()
    settings = Settings(_env_file=None, BOT_TOKEN=telegram.token, TELEGRAM_API_URL=telegram.url,
                        DATABASE_URL=session_url, GRIDBOT_WEB_URL="http://127.0.0.1")  # fmt: skip
    app = App.build(settings, run_scheduler=False)
    await app.prepare()
    server = WebServer(app)
    await server.start("127.0.0.1", 0)
    base = f"http://127.0.0.1:{server.port}/workbench"
    async with app.sessionmaker() as session:
        admin = await load_member(session, await user_by_telegram_id(session, ADMIN))
        token = await issue_login_link(session, admin)
        community_id = admin.roles[0].community_id
        some_request = await session.scalar(
            select(func.max(Request.id)).where(Request.community_id == community_id)
        )
        await session.commit()
    timings: Timings = {}
    cpu: Timings = {}  # server and client share this process: its CPU time
    paths = {
        "overview": "/",
        "requests": "/requests",
        "requests, open and overdue": "/requests?status=open&overdue=1",
        "requests, text search": "/requests?q=灯",
        "requests, page 20 by number": "/requests?sort=number&order=asc&page=19",
        "request": f"/requests/{some_request}",
        "points": "/points",
        "points, search": "/points?q=居民",
        "reports (a month)": "/reports?month=2026-10",
        "monthly workbook (XLSX)": "/reports/2026-10.xlsx",
        "requests export (XLSX, open)": "/requests/export.xlsx?status=open",
    }
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as client:
        async with client.get(f"{base}/login?token={token}") as response:
            assert response.status == 200, response.status
        for name, path in paths.items():
            for _ in range(rounds):
                started, cpu_started = time.perf_counter(), time.process_time()
                async with client.get(base + path) as response:
                    await response.read()
                    assert response.status == 200, (path, response.status)
                timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)
                cpu.setdefault(name, []).append((time.process_time() - cpu_started) * 1000)
    await app.stop()
    await telegram.stop()
    return timings, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DATA / "district.db")
    parser.add_argument("--rounds", type=at_least(3), default=50)
    args = parser.parse_args()
    if not args.db.exists():
        raise SystemExit(f"{args.db} is missing: run python -m bench.seed first")
    with tempfile.TemporaryDirectory(dir=args.db.parent) as scratch:
        copy = Path(scratch) / "district.db"
        shutil.copyfile(args.db, copy)
        url = f"sqlite+aiosqlite:///{copy}"
        upgrade(url)  # a district generated before the workbench lacks its tables
        timings, cpu = uvloop.run(pages(url, args.rounds))
    rows, figures = [], {}
    for name, values in timings.items():
        p50, p99 = percentile(values, 50), percentile(values, 99)
        cpu50 = percentile(cpu[name], 50)
        figures[name] = {"p50_ms": round(p50, 1), "p99_ms": round(p99, 1),
                         "cpu_p50_ms": round(cpu50, 1), "n": len(values)}  # fmt: skip
        rows.append([name, f"{p50:.1f}", f"{p99:.1f}", f"{cpu50:.1f}",
                     "yes" if p99 < TARGET_MS else "NO"])  # fmt: skip
    print_table(f"Workbench pages for a community admin ({args.rounds} rounds each)",
                ["page", "p50 ms", "p99 ms", "CPU p50 ms", f"p99 < {TARGET_MS:.0f} ms"],
                rows)  # fmt: skip
    write_results("web", {"rounds": args.rounds, "target_ms": TARGET_MS, "pages": figures})


if __name__ == "__main__":
    main()
