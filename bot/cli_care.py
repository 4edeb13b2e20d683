"""`gridbot households import|export`, `gridbot audit` and `gridbot keys new`: the care
ledgers on the command line. The operator names the community; every household read,
imported or exported is written to the access log, as in chat."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

import typer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli import EXIT_CODES, AsJson, clock, fail, iso, load_settings, say, say_all, warn
from migrations import upgrade
from models.base import create_engine, create_sessionmaker

households_app = typer.Typer(
    help="Care ledger households, from and to spreadsheets (XLSX or CSV).",
    epilog=EXIT_CODES,
    no_args_is_help=True,
)
keys_app = typer.Typer(
    help="The data key notes and phones are encrypted with.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
)

Community = Annotated[str, typer.Option("--community", help="community name")]
T = TypeVar("T")


def _in_community(community: str, action: Callable[[AsyncSession, Any], Awaitable[T]]) -> T:
    """Run `action(session, community_row)` in one transaction with the data key in use."""
    from models.care.crypto import use_key
    from models.structure import Community as CommunityRow

    settings = load_settings()
    use_key(settings.data_key)
    upgrade(settings.database_url)

    async def main() -> T:
        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                row = await session.scalar(
                    select(CommunityRow).where(CommunityRow.name == community)
                )
                if row is None:
                    raise fail(f"no community named {community!r}", 1)
                result = await action(session, row)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    return asyncio.run(main())


@households_app.command("import", epilog=EXIT_CODES)
def households_import(
    file: Annotated[Path, typer.Argument(help="an .xlsx or .csv file")],
    community: Community,
    as_json: AsJson = False,
) -> None:
    """Add or update households from a spreadsheet; the address identifies a household, so a
    second import changes nothing. A file with any problem is refused whole (row and column of
    each problem on stderr). Columns: 微网格 楼栋 单元 房号 颜色 原因 标签 住户 电话."""
    from models.care.access import Viewer
    from models.care.spreadsheet import SpreadsheetError, import_households, read_rows

    if not file.is_file():
        raise fail(f"{file}: no such file", 2)

    async def action(session: AsyncSession, row: Any) -> Any:
        try:
            return await import_households(
                session, Viewer.operator(row.id), row.id, read_rows(file)
            )
        except SpreadsheetError as error:
            for problem in error.problems:
                warn(f"{file}: {problem}")
            raise typer.Exit(1) from None

    counts = _in_community(community, action)
    say_all(
        as_json,
        {
            "community": community,
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
        },
        [
            f"{community}: {counts.created} created, {counts.updated} updated, "
            f"{counts.unchanged} unchanged"
        ],
    )


@households_app.command("export", epilog=EXIT_CODES)
def households_export(
    file: Annotated[Path, typer.Argument(help="the .xlsx or .csv file to write")],
    community: Community,
    as_json: AsJson = False,
) -> None:
    """Write the community's households in the import layout (phones in plain text: keep the
    file safe). The export of each household is written to the access log."""
    from models.care.access import Viewer
    from models.care.spreadsheet import export_rows, write_rows

    if file.suffix.lower() not in (".xlsx", ".csv"):
        raise fail("the file must end in .xlsx or .csv", 2)

    async def action(session: AsyncSession, row: Any) -> list[list[str]]:
        return await export_rows(session, Viewer.operator(row.id), row.id)

    table = _in_community(community, action)
    write_rows(file, table)
    say_all(
        as_json,
        {"community": community, "file": str(file), "households": len(table) - 1},
        [f"{community}: {len(table) - 1} households written to {file}"],
    )


def audit(
    community: Community,
    since: Annotated[
        str | None, typer.Option(help="from this day (YYYY-MM-DD, community time) on")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Print who read, changed or exported which household and when, newest first."""
    from models.care.access import Viewer, access_log, log_access

    try:
        day = date.fromisoformat(since) if since else None
    except ValueError:
        raise fail(f"--since {since!r} is not a date (YYYY-MM-DD)", 2) from None

    async def action(session: AsyncSession, row: Any) -> tuple[str, list[Any]]:
        start = datetime.combine(day, time(), ZoneInfo(row.timezone)) if day else None
        entries = await access_log(session, row.id, start)
        log_access(session, Viewer.operator(row.id), row.id, None, "audit", "cli")
        return row.timezone, entries

    timezone, entries = _in_community(community, action)
    document = {
        "community": community,
        "since": since,
        "entries": [
            {
                "at": iso(e.at, timezone),
                "actor": e.actor,
                "user_id": e.user_id,
                "action": e.action,
                "household": e.household_id,
                "detail": e.detail,
            }
            for e in entries
        ],
    }
    lines = [
        f"{clock(e.at, timezone)}  {e.actor}  {e.action}  "
        f"{'#' + str(e.household_id) if e.household_id else '-'}  {e.detail}".rstrip()
        for e in entries
    ]
    say_all(as_json, document, lines or ["no access recorded"])


@keys_app.command("new", epilog=EXIT_CODES)
def keys_new() -> None:
    """Print a new data key for GRIDBOT_DATA_KEY (keep it secret, and keep it: notes and phones
    stored with a key cannot be read without it)."""
    from models.care.crypto import new_key

    say(new_key())


def register(app: typer.Typer) -> None:
    app.add_typer(households_app, name="households")
    app.add_typer(keys_app, name="keys")
    app.command("audit", epilog=EXIT_CODES)(audit)
