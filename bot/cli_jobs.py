"""`gridbot jobs list` and `gridbot jobs run`: each community's schedule and last runs, and a
scheduled job run by hand for one period (once per period, as the scheduler runs it)."""

import asyncio
import re
import shlex
from datetime import date, datetime, timedelta
from typing import Annotated, Any

import typer

from bot.cli import EXIT_CODES, AsJson, clock, fail, iso, load_settings, say_all
from bot.settings import Settings
from migrations import upgrade
from models.base import create_engine, create_sessionmaker
from models.schedule import JOBS, job_name

UNSAFE_IN_SHELL = re.compile(r"""[\s'"\\$`!*?&;|<>()\[\]{}#~]""")
# The scheduled jobs, and the escalation of overdue requests that runs every few minutes.
RUNNABLE = (*JOBS, "escalation")
JOB_NAMES = ", ".join(job.replace("_", "-") for job in RUNNABLE)

jobs_app = typer.Typer(help="Scheduled jobs.", epilog=EXIT_CODES, no_args_is_help=True)


def _job_context(settings: Settings, engine):  # type: ignore[no-untyped-def]
    from bot.i18n import Catalog
    from bot.notifier import Notifier
    from scheduler.context import JobContext

    catalog = Catalog(settings.language)
    # Rhythm messages carry no deep links, so no bot username is needed here; the running
    # bot's outbox sender delivers what this queues.
    return JobContext(create_sessionmaker(engine), catalog, Notifier(catalog, ""), owner="cli")


def _last_line(text: str | None) -> str | None:
    lines = (text or "").strip().splitlines()
    return lines[-1] if lines else None


@jobs_app.command("list", epilog=EXIT_CODES)
def jobs_list(as_json: AsJson = False) -> None:
    """Each community's schedule (the last and next due times) and the last job runs."""
    settings = load_settings()
    upgrade(settings.database_url)

    async def main() -> tuple[dict[str, Any], list[str]]:
        from sqlalchemy import select

        from models.base import utcnow
        from models.jobs import last_runs
        from models.schedule import latest_due, next_due, schedule_of
        from models.structure import Community

        now = utcnow()
        communities, lines, names = [], [], {}
        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                for row in await session.scalars(select(Community).order_by(Community.id)):
                    names[row.id], zone, jobs = row.name, row.timezone, []
                    lines.append(f"{row.name} ({zone})")
                    for job, spec in schedule_of(row).items():
                        last = latest_due(job, spec, now, zone)
                        then = next_due(job, spec, now, zone)
                        jobs.append({
                            "job": job, "schedule": spec,
                            "last_due": iso(last.at, zone), "last_period": last.period,
                            "next_due": iso(then.at, zone), "next_period": then.period,
                        })  # fmt: skip
                        lines.append(f"  {job:<20} {spec:<12} last due {clock(last.at, zone)} "
                                     f"for {last.period}, next {clock(then.at, zone)}")  # fmt: skip
                    communities.append({"name": row.name, "timezone": zone, "jobs": jobs})
                runs = await last_runs(session)
        finally:
            await engine.dispose()
        lines.append("last runs:")
        listed = []
        for run in runs:
            error = _last_line(run.error)
            listed.append({
                "job": run.job, "community": names.get(run.community_id), "period": run.period,
                "status": run.status.value, "started_at": iso(run.started_at, "UTC"),
                "finished_at": iso(run.finished_at, "UTC"), "result": run.result or None,
                "error": error,
            })  # fmt: skip
            finished = f"{run.finished_at:%Y-%m-%d %H:%M}" if run.finished_at else "-"
            said = run.result or error or ""
            lines.append(f"  {run.run_key:<48} {run.status.value:<8} {finished} {said}")
        return {"communities": communities, "last_runs": listed}, lines

    document, lines = asyncio.run(main())
    say_all(as_json, document, lines)


def _shell_word(word: str) -> str:
    """A word to paste into a shell: quoted only when it must be (names are mostly Chinese)."""
    return shlex.quote(word) if UNSAFE_IN_SHELL.search(word) else word


def _local_clock(text: str) -> str:
    """An ISO time, already in the community's zone, as staff read it."""
    return f"{datetime.fromisoformat(text):%Y-%m-%d %H:%M}"


@jobs_app.command("run", epilog=EXIT_CODES)
def jobs_run(
    name: Annotated[
        str,
        typer.Argument(
            help=f"{JOB_NAMES} (daily_feedback and so on work too)", show_default=False
        ),
    ],
    community: Annotated[str | None, typer.Option(help="community name (default: all)")] = None,
    date_text: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="run the period due on YYYY-MM-DD (default: the latest one due); the "
            "current period may be run early by naming the day it falls due",
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Run one job now (once per period: a period already done is not run again). It says
    which period it ran; the weekly redemption also says how many orders wait for the next
    run, and the --date that runs the current week early."""
    job = job_name(name)
    if job not in RUNNABLE:
        raise fail(f"unknown job {name!r}; the jobs are {JOB_NAMES}", 2)
    try:
        on = date.fromisoformat(date_text) if date_text else None
    except ValueError:
        raise fail(f"--date must look like 2026-11-23, not {date_text!r}", 2) from None
    settings = load_settings()
    upgrade(settings.database_url)

    async def main() -> tuple[dict[str, Any], list[str], bool]:
        from sqlalchemy import select

        from models.structure import Community
        from scheduler.escalation import EscalationJob

        engine = create_engine(settings.database_url)
        try:
            context = _job_context(settings, engine)
            if job == "escalation":
                moved = await EscalationJob(context.sessionmaker, context.notifier).run()
                said = f"escalation: {moved} requests moved up"
                return {"job": job, "moved": moved}, [said], True
            async with context.sessionmaker() as session:
                query = select(Community).order_by(Community.id)
                if community:
                    query = query.where(Community.name == community)
                communities = (await session.scalars(query)).all()
            if not communities:
                raise fail(f"no community named {community!r}", 1)
            return await _run_job(context, job, communities, on)
        finally:
            await engine.dispose()

    document, lines, succeeded = asyncio.run(main())
    say_all(as_json, document, lines)
    if not succeeded:
        raise typer.Exit(1)


async def _run_job(context, job: str, communities, on: date | None):  # type: ignore[no-untyped-def]
    """Run `job` for each community: the document, its lines, and whether none failed."""
    from models.base import utcnow
    from models.schedule import due_by_hand, next_due, schedule_of
    from scheduler.runner import JobRunner

    now = utcnow()
    wanted = []
    for row in communities:
        spec = schedule_of(row)[job]
        try:
            wanted.append((row, spec, due_by_hand(job, spec, on, now, row.timezone)))
        except ValueError as error:
            current = next_due(job, spec, now, row.timezone)
            raise fail(f"--date {on}: {error}; the current period, {current.period}, can be "
                       f"run early with --date {current.at.date()}", 2) from None  # fmt: skip
    runner = JobRunner(context)
    runs = [await _run_for(runner, job, row, spec, due, now) for row, spec, due in wanted]
    lines = [line for entry in runs for line in _run_lines(job, entry)]
    return {"job": job, "runs": runs}, lines, all(e["outcome"] != "failed" for e in runs)


async def _run_for(runner, job: str, row, spec: str, due, now: datetime) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Run one community's period; what happened, and what comes next."""
    from models.jobs import JobStatus, run_status
    from models.points.rewards import count_held_orders
    from models.schedule import WEEKLY, next_due

    zone = row.timezone
    result = await runner.run_once(job, row, due, now)
    async with runner.context.sessionmaker() as session:
        status = await run_status(session, job, due.period, row.id)
        outcome = "ran" if result is not None else {
            JobStatus.DONE: "already_done", JobStatus.RUNNING: "running_elsewhere",
        }.get(status, "failed")  # fmt: skip
        # The next run: the current period, or the one after it when that was run early.
        following = next_due(job, spec, now, zone)
        current = await run_status(session, job, following.period, row.id) != JobStatus.DONE
        if not current:
            following = next_due(job, spec, following.at, zone)
        entry = {
            "community": row.name, "period": due.period, "first_day": str(due.start.date()),
            "last_day": str((due.end - timedelta(days=1)).date()), "due_at": iso(due.at, zone),
            "outcome": outcome, "result": result,
            "next_run": {"period": following.period, "due_at": iso(following.at, zone),
                         "date": str(following.at.date()), "current": current},
        }  # fmt: skip
        if job == WEEKLY:
            entry["orders_held"] = await count_held_orders(session, row.id)
    return entry


def _run_lines(job: str, entry: dict[str, Any]) -> list[str]:
    heading, result = f"{job} for {entry['community']}", entry["result"] or {}
    first, last = entry["first_day"], entry["last_day"]
    days = first if first == last else f"{first} to {last}"
    period = entry["period"] if entry["period"] == days else f"{entry['period']} ({days})"
    if entry["outcome"] == "ran":
        shown = {k: v for k, v in result.items() if k not in ("week", "placed_until")}
        done = ", ".join(f"{k} {v}" for k, v in shown.items())
        if "placed_until" in result:
            done += f"; orders placed until {_local_clock(result['placed_until'])}"
        lines = [f"{heading}: ran {period}: {done}"]
    else:
        lines = [f"{heading}: {period} {entry['outcome'].replace('_', ' ')}"]
    if "orders_held" in entry:
        held, following = entry["orders_held"], entry["next_run"]
        orders = "1 order is" if held == 1 else f"{held} orders are"
        waiting = (f"{heading}: {orders} held for the next run, {following['period']} "
                   f"(due {_local_clock(following['due_at'])})")  # fmt: skip
        if following["current"]:
            command = ["gridbot", "jobs", "run", job.replace("_", "-"),
                       "--community", entry["community"], "--date", following["date"]]  # fmt: skip
            waiting += f"; to run it now: {' '.join(map(_shell_word, command))}"
        lines.append(waiting)
    return lines
