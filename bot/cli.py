"""The `gridbot` command: run the bot, migrate the database, import the structure."""

import asyncio
import logging
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from bot.settings import Settings
from migrations import upgrade
from models.base import create_engine, create_sessionmaker
from models.importer import (
    ImportReport,
    StructureFileError,
    apply_structure,
    read_structure_file,
)

app = typer.Typer(help="gridbot: neighbourhood grid governance bot.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console(stderr=True, soft_wrap=True)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        where = f"setting {error['loc'][0]}: " if error["loc"] else ""
        message = error["msg"].removeprefix("Value error, ")
        console.print(f"gridbot: {where}{message}", highlight=False)
        raise typer.Exit(2) from None


def fail(message: str, code: int = 2) -> typer.Exit:
    console.print(f"gridbot: {message}", highlight=False, markup=False)
    return typer.Exit(code)


@app.command()
def run() -> None:
    """Apply migrations and run the bot (long polling, or a webhook when WEBHOOK_URL is set)."""
    settings = load_settings()
    if not settings.bot_token:
        raise fail("set BOT_TOKEN (the token BotFather gave you) in the environment or .env")
    from aiogram.utils.token import TokenValidationError, validate_token  # slow import

    try:
        validate_token(settings.bot_token)
    except TokenValidationError:
        raise fail("BOT_TOKEN does not look like a bot token (digits:letters)") from None
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    upgrade(settings.database_url)
    from bot.app import App

    async def main() -> None:
        application = App.build(settings)
        try:
            if settings.webhook_url:
                stopped = asyncio.Event()
                for signal_number in (signal.SIGINT, signal.SIGTERM):
                    asyncio.get_running_loop().add_signal_handler(signal_number, stopped.set)
                await application.run_webhook(stopped)
            else:
                await application.run_polling()
        finally:
            await application.stop()

    asyncio.run(main())


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or update the database schema to the latest version."""
    settings = load_settings()
    upgrade(settings.database_url)
    console.print("database is up to date")


@db_app.command("copy")
def db_copy(
    source: Annotated[str, typer.Option("--from", help="database URL to copy from")],
    target: Annotated[str, typer.Option("--to", help="empty database URL to copy into")],
) -> None:
    """Copy all data to another database, e.g. the SQLite file to PostgreSQL."""
    from models.transfer import TransferError, copy_database

    try:
        report = asyncio.run(copy_database(source, target))
    except TransferError as error:
        raise fail(str(error), code=1) from None
    for table, rows in report.rows.items():
        if rows:
            console.print(f"{table}: {rows}", highlight=False)
    console.print(f"copied {report.total} rows", highlight=False)


def _print_report(report: ImportReport) -> None:
    def fmt(bucket: dict[str, int]) -> str:
        return ", ".join(f"{n} {what}" for what, n in sorted(bucket.items())) or "nothing"

    if not report.changed:
        console.print(f"{report.community}: already up to date, nothing changed", highlight=False)
        return
    for verb, bucket in (
        ("created", report.created),
        ("updated", report.updated),
        ("removed", report.removed),
    ):
        console.print(f"{report.community}: {verb} {fmt(bucket)}", highlight=False, markup=False)


def _import(path: Path) -> ImportReport:
    try:
        parsed = read_structure_file(path)
    except StructureFileError as exc:
        for problem in exc.problems:
            console.print(f"{path}: {problem}", highlight=False, markup=False)
        raise typer.Exit(1) from None
    settings = load_settings()
    upgrade(settings.database_url)

    async def main() -> ImportReport:
        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                with Progress(
                    SpinnerColumn(),
                    TextColumn("{task.description}"),
                    TimeElapsedColumn(),
                    console=console,
                    transient=True,
                    disable=not sys.stderr.isatty(),
                ) as progress:
                    task = progress.add_task("importing", total=None)
                    report = await apply_structure(
                        session,
                        parsed.spec,
                        progress=lambda what: progress.update(task, description=what),
                    )
                await session.commit()
                return report
        finally:
            await engine.dispose()

    return asyncio.run(main())


@app.command("import")
def import_structure(file: Annotated[Path, typer.Argument(help="structure YAML file")]) -> None:
    """Import (or update) a community's structure from a YAML file."""
    _print_report(_import(file))


@app.command()
def check(file: Annotated[Path, typer.Argument(help="structure YAML file")]) -> None:
    """Validate a structure file without touching the database."""
    try:
        spec = read_structure_file(file).spec
    except StructureFileError as exc:
        for problem in exc.problems:
            console.print(f"{file}: {problem}", highlight=False, markup=False)
        raise typer.Exit(1) from None
    micro_grids = [m for g in spec.grids for m in g.micro_grids]
    console.print(
        f"{file}: valid — {spec.community}: {len(spec.grids)} grids, {len(micro_grids)} "
        f"micro-grids, {sum(len(m.buildings) for m in micro_grids)} buildings, "
        f"{len(spec.merchants)} merchants, {len(spec.rewards)} rewards",
        highlight=False,
        markup=False,
    )


points_app = typer.Typer(help="Members' points.", no_args_is_help=True)
app.add_typer(points_app, name="points")


def _with_member(community: str, member: int, action):  # type: ignore[no-untyped-def]
    """Run `action(session, community_row, user)` in one transaction, with notices queued."""
    settings = load_settings()
    upgrade(settings.database_url)

    async def main():  # type: ignore[no-untyped-def]
        from sqlalchemy import select

        from bot.i18n import Catalog
        from bot.notifier import Notifier
        from models.members import user_by_telegram_id
        from models.structure import Community

        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                row = await session.scalar(select(Community).where(Community.name == community))
                if row is None:
                    raise fail(f"no community named {community!r}", 1)
                user = await user_by_telegram_id(session, member)
                result = await action(session, row, user)
                # Deep links are not needed for points notices, so no bot username is required.
                await Notifier(Catalog(settings.language), "").flush(session)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    return asyncio.run(main())


@points_app.command("adjust")
def points_adjust(
    community: Annotated[str, typer.Option(help="community name")],
    member: Annotated[int, typer.Option(help="member's Telegram user id")],
    amount: Annotated[int, typer.Option(help="points to add (negative to take away)")],
    reason: Annotated[str, typer.Option(help="shown to the member")],
) -> None:
    """Adjust a member's points, with a reason they will see."""
    import uuid

    from models.errors import DomainError
    from models.points.ledger import adjust

    async def action(session, row, user):  # type: ignore[no-untyped-def]
        try:
            return await adjust(
                session, None, row.id, user, amount, reason, f"adjust:{uuid.uuid4()}"
            )
        except DomainError as error:
            raise fail(f"{error.message_id}: {error.args_for_message}", 1) from None

    posted = _with_member(community, member, action)
    console.print(f"{member}: {amount:+d} → balance {posted.balance}", highlight=False)


@points_app.command("show")
def points_show(
    community: Annotated[str, typer.Option(help="community name")],
    member: Annotated[int, typer.Option(help="member's Telegram user id")],
) -> None:
    """Show a member's balance and last ledger entries."""
    from models.points.ledger import balance_of, recent_entries

    async def action(session, row, user):  # type: ignore[no-untyped-def]
        return await balance_of(session, user.id, row.id), await recent_entries(
            session, user.id, row.id, 20
        )

    balance, entries = _with_member(community, member, action)
    console.print(f"{member}: balance {balance}", highlight=False)
    for entry in entries:
        when = f"{entry.created_at:%Y-%m-%d %H:%M}"
        line = f"  {when} {entry.amount:+d} {entry.reason.value} {entry.note or ''}"
        console.print(line, highlight=False, markup=False)


jobs_app = typer.Typer(help="Scheduled jobs.", no_args_is_help=True)
app.add_typer(jobs_app, name="jobs")


def _job_context(settings: Settings, engine):  # type: ignore[no-untyped-def]
    from bot.i18n import Catalog
    from bot.notifier import Notifier
    from scheduler.context import JobContext

    catalog = Catalog(settings.language)
    # Rhythm messages carry no deep links, so no bot username is needed here; the running
    # bot's outbox sender delivers what this queues.
    return JobContext(create_sessionmaker(engine), catalog, Notifier(catalog, ""), owner="cli")


@jobs_app.command("list")
def jobs_list() -> None:
    """Each community's schedule and the last job runs."""
    settings = load_settings()
    upgrade(settings.database_url)

    async def main() -> None:
        from sqlalchemy import select

        from models.base import utcnow
        from models.jobs import last_runs
        from models.schedule import latest_due, schedule_of
        from models.structure import Community

        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                for community in (await session.scalars(select(Community))).all():
                    console.print(f"{community.name} ({community.timezone})", highlight=False)
                    for job, spec in schedule_of(community).items():
                        due = latest_due(job, spec, utcnow(), community.timezone)
                        console.print(f"  {job:<20} {spec:<12} last due {due.at:%Y-%m-%d %H:%M}"
                                      f" for {due.period}", highlight=False)  # fmt: skip
                console.print("last runs:", highlight=False)
                for run in await last_runs(session):
                    finished = f"{run.finished_at:%Y-%m-%d %H:%M}" if run.finished_at else "-"
                    console.print(f"  {run.run_key:<48} {run.status.value:<8} {finished} "
                                  f"{run.result or run.error or ''}", highlight=False,
                                  markup=False)  # fmt: skip
        finally:
            await engine.dispose()

    asyncio.run(main())


@jobs_app.command("run")
def jobs_run(
    name: Annotated[
        str,
        typer.Argument(
            help="daily_feedback, weekly_redemption, monthly_summary, "
            "yearly_commendation or escalation"
        ),
    ],
    community: Annotated[str | None, typer.Option(help="community name (default: all)")] = None,
    date: Annotated[str | None, typer.Option(help="run the period due on YYYY-MM-DD")] = None,
) -> None:
    """Run one job now (once per period: a period already done is not run again)."""
    from datetime import date as date_type

    from models.schedule import JOBS

    if name not in (*JOBS, "escalation"):
        raise fail(f"unknown job {name!r}; the jobs are {', '.join(JOBS)}, escalation")
    try:
        on = date_type.fromisoformat(date) if date else None
    except ValueError:
        raise fail(f"--date must look like 2026-11-23, not {date!r}") from None
    settings = load_settings()
    upgrade(settings.database_url)

    async def main() -> None:
        from sqlalchemy import select

        from models.base import utcnow
        from models.structure import Community
        from scheduler.escalation import EscalationJob
        from scheduler.runner import JobRunner

        engine = create_engine(settings.database_url)
        try:
            context = _job_context(settings, engine)
            if name == "escalation":
                moved = await EscalationJob(context.sessionmaker, context.notifier).run()
                console.print(f"escalation: {moved} requests moved up", highlight=False)
                return
            async with context.sessionmaker() as session:
                query = select(Community).order_by(Community.id)
                if community:
                    query = query.where(Community.name == community)
                communities = (await session.scalars(query)).all()
            if not communities:
                raise fail(f"no community named {community!r}", 1)
            runner = JobRunner(context)
            for row in communities:
                ran = await runner.run_on(name, row, on or utcnow().date())
                verdict = "ran" if ran else "already done (or running elsewhere)"
                console.print(f"{name} for {row.name}: {verdict}", highlight=False)
        finally:
            await engine.dispose()

    asyncio.run(main())
