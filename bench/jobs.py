"""District-scale jobs: daily feedback for every chat, the weekly redemption with 20,000
orders, and the monthly summary for every grid, each timed against a floor: one
hand-written SQL aggregate query of the same numbers, on the same database.

    python -m bench.jobs [--db bench/data/district.db] [--job daily|weekly|monthly]

Needs the generated district (`python -m bench.seed`; `make bench` runs it first). Each job
runs in its own process on a fresh copy of the district, so its peak memory is its own.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import uvloop
from sqlalchemy import func, select, text

from bench.common import DATA, peak_rss_mib, print_table, write_results
from bench.seed import DAY
from bot.i18n import Catalog
from bot.notifier import Notifier
from models.base import create_engine, create_sessionmaker
from models.jobs import JobRun
from models.outbox import OutboxMessage
from models.schedule import DAILY, MONTHLY, WEEKLY, due_for_date, schedule_of
from models.structure import Community
from scheduler.context import JobContext
from scheduler.runner import JobRunner

TARGET_RATIO = 3.0
TARGET_SECONDS = 30.0

# Which period each job is timed for: the district's last day, its week, its last month.
RUN_ON = {DAILY: DAY.date(), WEEKLY: DAY.date(), MONTHLY: date(2026, 11, 1)}
NAMES = {"daily": DAILY, "weekly": WEEKLY, "monthly": MONTHLY}

# The floors. Each computes the job's numbers for the whole district in one statement.
FLOOR_SQL = {
    DAILY: """
        SELECT micro_grid_id, sum(new), count(DISTINCT claimed), count(DISTINCT resolved),
               sum(overdue), sum(waiting), count(DISTINCT moved_for), count(DISTINCT remind)
        FROM (
            SELECT micro_grid_id, 1 AS new, NULL AS claimed, NULL AS resolved, 0 AS overdue,
                   0 AS waiting, NULL AS moved_for, NULL AS remind
            FROM requests WHERE created_at >= :start AND created_at < :end
            UNION ALL
            SELECT r.micro_grid_id, 0, CASE WHEN e.action = 'claim' THEN r.id END,
                   CASE WHEN e.action = 'resolve' THEN r.id END, 0, 0,
                   CASE WHEN e.actor_id IS NULL OR e.actor_id != r.resident_id
                        THEN r.resident_id END, NULL
            FROM request_events e JOIN requests r ON r.id = e.request_id
            WHERE e.at >= :start AND e.at < :end
            UNION ALL
            SELECT micro_grid_id, 0, NULL, NULL, 1, 0, NULL, NULL FROM requests
            WHERE (status = 'ROUTED' AND claim_deadline < :now)
               OR (status IN ('CLAIMED', 'IN_PROGRESS') AND resolve_deadline < :now)
            UNION ALL
            SELECT micro_grid_id, 0, NULL, NULL, 0, 1, NULL, NULL FROM checkins
            WHERE status = 'PENDING'
            UNION ALL
            SELECT micro_grid_id, 0, NULL, NULL, 0, 0, NULL, id FROM requests
            WHERE status = 'RESOLVED' AND resolved_at < :remind_before
        ) GROUP BY micro_grid_id
    """,
    WEEKLY: """
        SELECT reward_id, sum(place <= weekly_stock), sum(place > weekly_stock)
        FROM (
            SELECT o.reward_id, w.weekly_stock,
                   row_number() OVER (PARTITION BY o.reward_id ORDER BY o.id) AS place
            FROM redemption_orders o JOIN rewards w ON w.id = o.reward_id
            WHERE o.status = 'HELD' AND o.created_at <= :now
        ) GROUP BY reward_id
    """,
    MONTHLY: """
        WITH month AS (
            SELECT r.*, m.grid_id FROM requests r JOIN micro_grids m ON m.id = r.micro_grid_id
            WHERE r.created_at >= :start AND r.created_at < :end
        ), firsts AS (
            SELECT e.request_id,
                   min(CASE WHEN e.action = 'route' THEN e.at END) AS routed,
                   min(CASE WHEN e.action = 'claim' THEN e.at END) AS claimed,
                   min(CASE WHEN e.action = 'resolve' THEN e.at END) AS resolved
            FROM request_events e JOIN month ON month.id = e.request_id
            GROUP BY e.request_id
        )
        SELECT month.community_id, month.grid_id, month.category_id, month.status, count(*),
               count(f.routed),
               sum((julianday(f.claimed) - julianday(f.routed)) * 1440
                   <= coalesce(c.claim_minutes, 1440)),
               sum((julianday(f.resolved) - julianday(f.routed)) * 1440
                   <= coalesce(c.claim_minutes + c.resolve_minutes, 11520)),
               count(month.rating), sum(month.satisfied),
               avg((julianday(f.claimed) - julianday(f.routed)) * 24),
               avg((julianday(f.resolved) - julianday(f.routed)) * 24)
        FROM month LEFT JOIN firsts f ON f.request_id = month.id
        LEFT JOIN categories c ON c.id = month.category_id
        GROUP BY month.community_id, month.grid_id, month.category_id, month.status
    """,
}


async def time_job(db: Path, job: str) -> dict[str, Any]:
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    sessionmaker = create_sessionmaker(engine)
    catalog = Catalog("zh")
    runner = JobRunner(JobContext(sessionmaker, catalog, Notifier(catalog, "gridbot"),
                                  owner="bench"))  # fmt: skip
    try:
        async with sessionmaker() as session:
            communities = list((await session.scalars(select(Community))).all())
        first = communities[0]
        due = due_for_date(job, schedule_of(first)[job], RUN_ON[job], first.timezone)
        now = due.at + timedelta(minutes=1)
        params = {"start": due.start, "end": due.end, "now": now,
                  "remind_before": now - timedelta(days=1)}  # fmt: skip
        floor_times = []
        for _ in range(2):  # the first warms the cache the job will find warm as well
            async with sessionmaker() as session:
                started = time.perf_counter()
                floor_rows = (await session.execute(text(FLOOR_SQL[job]), _bind(params))).all()
                floor_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        results = []
        for community in communities:
            await runner.run_on(job, community, RUN_ON[job], now)
        elapsed = time.perf_counter() - started
        async with sessionmaker() as session:
            queued = await session.scalar(select(func.count(OutboxMessage.id)))
            for run in (await session.scalars(select(JobRun).where(JobRun.job == job))).all():
                results.append(run.result or {})
        totals: dict[str, int] = {}
        for result in results:
            for key, value in result.items():
                if isinstance(value, int):
                    totals[key] = totals.get(key, 0) + value
        return {"job": job, "period": due.period, "communities": len(communities),
                "seconds": round(elapsed, 2), "floor_seconds": round(floor_times[-1], 3),
                "floor_rows": len(floor_rows), "messages_queued": queued, "totals": totals,
                "peak_rss_mib": peak_rss_mib()}  # fmt: skip
    finally:
        await engine.dispose()


def _bind(params: dict[str, Any]) -> dict[str, Any]:
    """Datetimes as SQLite stores them: naive UTC text."""
    return {k: v.astimezone(DAY.tzinfo).strftime("%Y-%m-%d %H:%M:%S.%f") for k, v in params.items()}


def child(db: Path, job: str) -> None:
    with tempfile.TemporaryDirectory(dir=db.parent) as scratch:
        copy = Path(scratch) / "district.db"
        shutil.copyfile(db, copy)
        print(json.dumps(uvloop.run(time_job(copy, job))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DATA / "district.db")
    parser.add_argument("--job", choices=sorted(NAMES), action="append")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db} is missing: generate it with `python -m bench.seed`")
    jobs = [NAMES[name] for name in args.job or ("daily", "weekly", "monthly")]
    if args.child:
        child(args.db, jobs[0])
        return
    runs = []
    for name in args.job or ("daily", "weekly", "monthly"):
        done = subprocess.run([sys.executable, "-m", "bench.jobs", "--child", "--db",
                               str(args.db), "--job", name],
                              check=True, capture_output=True, text=True)  # fmt: skip
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    rows = []
    for run in runs:
        ratio = run["seconds"] / run["floor_seconds"]
        run["ratio_to_floor"] = round(ratio, 1)
        run["within_targets"] = ratio <= TARGET_RATIO and run["seconds"] <= TARGET_SECONDS
        rows.append([run["job"], run["period"], run["seconds"], run["floor_seconds"],
                     f"{ratio:.1f}×", run["messages_queued"], run["peak_rss_mib"],
                     ", ".join(f"{k} {v:,}" for k, v in run["totals"].items())])  # fmt: skip
    print_table(
        f"Jobs on the generated district (targets: ≤ {TARGET_RATIO:g}× floor, ≤ "
        f"{TARGET_SECONDS:g} s)",
        ["job", "period", "job s", "floor s", "ratio", "queued", "peak RSS MiB", "what it did"],
        rows,
    )
    write_results("jobs", {"runs": runs})


if __name__ == "__main__":
    main()
