"""The `gridbot` command: run the bot, migrate the database, import the structure.

Results go to stdout as plain text, or as one JSON document with `--json`; diagnostics,
refusals (one `gridbot: …` line) and progress bars go to stderr, so results can be piped.
"""

import asyncio
import json
import logging
import os
import signal
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
import uvloop
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

EXIT_CODES = (
    "Exit codes: 0 done; 1 refused (no such community, a bad file, a job that failed); "
    "2 usage error (a bad option or setting, an unknown job)."
)

app = typer.Typer(
    help="gridbot: neighbourhood grid governance bot. Results go to stdout (--json for one "
    "JSON document), messages and progress to stderr.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
)
db_app = typer.Typer(help="Database maintenance.", epilog=EXIT_CODES, no_args_is_help=True)
app.add_typer(db_app, name="db")
points_app = typer.Typer(help="Members' points.", epilog=EXIT_CODES, no_args_is_help=True)
app.add_typer(points_app, name="points")

AsJson = Annotated[
    bool, typer.Option("--json", help="print the result as one JSON document on stdout")
]
# A Telegram user id is positive and fits the database's 64-bit integer: anything else is a
# usage error, not a lookup.
MemberId = Annotated[int, typer.Option(min=1, max=2**63 - 1, help="member's Telegram user id")]


def say(line: str) -> None:
    """One result line on stdout, printed as it is (no markup)."""
    try:
        typer.echo(line)
    except BrokenPipeError:
        # The reader has stopped (`| head`): stop quietly too, the work being done.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None


def say_json(document: dict[str, Any]) -> None:
    say(json.dumps(document, ensure_ascii=False, indent=2))


def say_all(as_json: bool, document: dict[str, Any], lines: Iterable[str]) -> None:
    if as_json:
        say_json(document)
    else:
        for line in lines:
            say(line)


def warn(message: str) -> None:
    """A diagnostic line on stderr."""
    typer.echo(f"gridbot: {message}", err=True)


def fail(message: str, code: int) -> typer.Exit:
    """Refuse with one line on stderr: code 1 for a refusal, 2 for a usage error."""
    warn(message)
    return typer.Exit(code)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        where = f"setting {error['loc'][0]}: " if error["loc"] else ""
        message = error["msg"].removeprefix("Value error, ")
        raise fail(f"{where}{message}", 2) from None


def iso(moment: datetime | None, timezone: str) -> str | None:
    return moment.astimezone(ZoneInfo(timezone)).isoformat() if moment else None


def clock(moment: datetime, timezone: str) -> str:
    return f"{moment.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M}"


@app.command(epilog=EXIT_CODES)
def run() -> None:
    """Apply migrations and run the bot (long polling, or a webhook when WEBHOOK_URL is set)."""
    settings = load_settings()
    if not settings.bot_token:
        raise fail(
            "set BOT_TOKEN (the token BotFather gave you) in the environment or .env"
            " — or try `make demo`, which needs no token",
            2,
        )
    from aiogram.utils.token import TokenValidationError, validate_token  # slow import

    try:
        validate_token(settings.bot_token)
    except TokenValidationError:
        raise fail("BOT_TOKEN does not look like a bot token (digits:letters)", 2) from None
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

    uvloop.run(main())


@db_app.command("upgrade", epilog=EXIT_CODES)
def db_upgrade() -> None:
    """Create or update the database schema to the latest version."""
    settings = load_settings()
    upgrade(settings.database_url)
    say("database is up to date")


@db_app.command("copy", epilog=EXIT_CODES)
def db_copy(
    source: Annotated[str, typer.Option("--from", help="database URL to copy from")],
    target: Annotated[str, typer.Option("--to", help="empty database URL to copy into")],
    as_json: AsJson = False,
) -> None:
    """Copy all data to another database, e.g. the SQLite file to PostgreSQL."""
    from models.transfer import TransferError, copy_database

    try:
        report = asyncio.run(copy_database(source, target))
    except TransferError as error:
        raise fail(str(error), 1) from None
    say_all(
        as_json,
        {"rows": report.rows, "total": report.total},
        [
            *(f"{table}: {rows}" for table, rows in report.rows.items() if rows),
            f"copied {report.total} rows",
        ],
    )


def _read(path: Path, as_json: bool = False):  # type: ignore[no-untyped-def]
    """The parsed structure file; a bad one is refused with the line of every problem."""
    try:
        return read_structure_file(path)
    except StructureFileError as exc:
        for problem in exc.problems:
            typer.echo(f"{path}: {problem}", err=True)
        if as_json:
            problems = [{"line": p.line, "message": p.message} for p in exc.problems]
            say_json({"file": str(path), "valid": False, "problems": problems, "summary": None})
        raise typer.Exit(1) from None


def _import(path: Path) -> ImportReport:
    parsed = _read(path)
    settings = load_settings()
    upgrade(settings.database_url)

    async def main() -> ImportReport:
        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                with Progress(
                    SpinnerColumn(),
                    TextColumn("{task.description}", markup=False),
                    TimeElapsedColumn(),
                    console=Console(stderr=True),
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


@app.command("import", epilog=EXIT_CODES)
def import_structure(
    file: Annotated[Path, typer.Argument(help="structure YAML file")], as_json: AsJson = False
) -> None:
    """Import (or update) a community's structure from a YAML file."""
    report = _import(file)

    def counted(bucket: dict[str, int]) -> str:
        return ", ".join(f"{n} {what}" for what, n in sorted(bucket.items())) or "nothing"

    buckets = {"created": report.created, "updated": report.updated, "removed": report.removed}
    document = {"community": report.community, "changed": report.changed, **buckets}
    if report.changed:
        lines = [f"{report.community}: {verb} {counted(b)}" for verb, b in buckets.items()]
    else:
        lines = [f"{report.community}: already up to date, nothing changed"]
    say_all(as_json, document, lines)


@app.command(epilog=EXIT_CODES)
def check(
    file: Annotated[Path, typer.Argument(help="structure YAML file")], as_json: AsJson = False
) -> None:
    """Validate a structure file without touching the database (exit 1 when it is not valid)."""
    spec = _read(file, as_json).spec
    micro_grids = [m for g in spec.grids for m in g.micro_grids]
    summary = {
        "community": spec.community,
        "grids": len(spec.grids),
        "micro_grids": len(micro_grids),
        "buildings": sum(len(m.buildings) for m in micro_grids),
        "merchants": len(spec.merchants),
        "rewards": len(spec.rewards),
    }
    say_all(
        as_json,
        {"file": str(file), "valid": True, "problems": [], "summary": summary},
        [
            f"{file}: valid — {spec.community}: {summary['grids']} grids, "
            f"{summary['micro_grids']} micro-grids, {summary['buildings']} buildings, "
            f"{summary['merchants']} merchants, {summary['rewards']} rewards"
        ],
    )


def _with_member(community: str, member: int, action, create: bool):  # type: ignore[no-untyped-def]
    """Run `action(session, community_row, user)` in one transaction, with notices queued.
    Points may be given to someone who has not written to the bot yet (`create`); showing
    them makes no one up."""
    settings = load_settings()
    upgrade(settings.database_url)

    async def main():  # type: ignore[no-untyped-def]
        from sqlalchemy import select

        from bot.i18n import Catalog
        from bot.notifier import Notifier
        from models.members import known_user, user_by_telegram_id
        from models.structure import Community

        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                row = await session.scalar(select(Community).where(Community.name == community))
                if row is None:
                    raise fail(f"no community named {community!r}", 1)
                if create:
                    user = await user_by_telegram_id(session, member)
                else:
                    user = await known_user(session, member)
                if user is None:
                    raise fail(f"nobody with Telegram id {member} has written to the bot or "
                               "is named in a structure file", 1)  # fmt: skip
                result = await action(session, row, user)
                # Deep links are not needed for points notices, so no bot username is required.
                await Notifier(Catalog(settings.language), "").flush(session)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    return asyncio.run(main())


@points_app.command("adjust", epilog=EXIT_CODES)
def points_adjust(
    community: Annotated[str, typer.Option(help="community name")],
    member: MemberId,
    amount: Annotated[int, typer.Option(help="points to add (negative to take away)")],
    reason: Annotated[str, typer.Option(help="shown to the member")],
    as_json: AsJson = False,
) -> None:
    """Adjust a member's points, with a reason they will see."""
    import uuid

    from bot.i18n import Catalog
    from models.errors import DomainError
    from models.points.ledger import adjust

    async def action(session, row, user):  # type: ignore[no-untyped-def]
        try:
            return await adjust(
                session, None, row.id, user, amount, reason, f"adjust:{uuid.uuid4()}"
            )
        except DomainError as error:
            said = Catalog("en").translator("en")(error.message_id, **error.args_for_message)
            raise fail(f"{said} ({error.message_id})", 1) from None

    posted = _with_member(community, member, action, create=True)
    say_all(
        as_json,
        {"community": community, "member": member, "amount": amount,
         "reason": " ".join(reason.split()), "balance": posted.balance},
        [f"{member}: {amount:+d} → balance {posted.balance}"],
    )  # fmt: skip


@points_app.command("show", epilog=EXIT_CODES)
def points_show(
    community: Annotated[str, typer.Option(help="community name")],
    member: MemberId,
    as_json: AsJson = False,
) -> None:
    """Show a member's balance and last ledger entries (times in the community's zone)."""
    from models.points.ledger import account

    async def action(session, row, user):  # type: ignore[no-untyped-def]
        return row.timezone, *await account(session, user.id, row.id, 20)

    timezone, balance, entries = _with_member(community, member, action, create=False)
    document = {
        "community": community,
        "member": member,
        "balance": balance,
        "entries": [
            {"at": iso(e.created_at, timezone), "amount": e.amount, "reason": e.reason.value,
             "note": e.note}
            for e in entries
        ],
    }  # fmt: skip
    lines = [f"{member}: balance {balance}"] + [
        f"  {clock(e.created_at, timezone)} {e.amount:+d} {e.reason.value} {e.note or ''}"
        for e in entries
    ]
    say_all(as_json, document, lines)


from bot.cli_jobs import jobs_app  # noqa: E402  (it uses the helpers above)

app.add_typer(jobs_app, name="jobs")

from bot.cli_care import register as register_care  # noqa: E402  (it builds on this module)

register_care(app)

from bot.cli_orders import orders_app  # noqa: E402  (it uses the helpers above)

app.add_typer(orders_app, name="orders")

from bot.cli_fund import fund_app, needs_app  # noqa: E402  (they use the helpers above)

app.add_typer(fund_app, name="fund")
app.add_typer(needs_app, name="needs")

from bot.cli_proposals import proposals_app  # noqa: E402  (it uses the helpers above)

app.add_typer(proposals_app, name="proposals")
