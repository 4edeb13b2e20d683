"""`gridbot proposals`: the deliberation archive (有备案) of a community as an XLSX workbook."""

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from bot.cli import EXIT_CODES, AsJson, fail, load_settings, say_all
from migrations import upgrade
from models.base import create_engine, create_sessionmaker

proposals_app = typer.Typer(
    help="Deliberation (议事协商) proposals.", epilog=EXIT_CODES, no_args_is_help=True
)


def archive_workbook(rows: list[list[Any]], columns: tuple[str, ...], path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Proposals"
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    book.save(path)


@proposals_app.command("export", epilog=EXIT_CODES)
def export(
    community: Annotated[str, typer.Option(help="community name")],
    year: Annotated[
        int | None, typer.Option(help="only proposals submitted in this year (local time)")
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="where to write the XLSX (default: in this folder)")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Write the archive: one row per proposal with every step (dates and the roles of who
    took it), options, tallies, turnout, objections and implementation tasks."""
    if year is not None and not 2000 <= year <= 2100:
        raise fail(f"--year {year} is not a year between 2000 and 2100", 2)
    settings = load_settings()
    upgrade(settings.database_url)

    async def main() -> tuple[list[list[Any]], tuple[str, ...]]:
        from sqlalchemy import select

        from models.deliberation.reports import ARCHIVE_COLUMNS, archive_rows
        from models.structure import Community

        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                row = await session.scalar(select(Community).where(Community.name == community))
                if row is None:
                    raise fail(f"no community named {community!r}", 1)
                start = end = None
                if year is not None:
                    zone = ZoneInfo(row.timezone)
                    start = datetime(year, 1, 1, tzinfo=zone)
                    end = datetime(year + 1, 1, 1, tzinfo=zone)
                return await archive_rows(session, row.id, start, end), ARCHIVE_COLUMNS
        finally:
            await engine.dispose()

    rows, columns = asyncio.run(main())
    path = output or Path(f"proposals-{community}-{year or 'all'}.xlsx")
    try:
        archive_workbook(rows, columns, path)
    except OSError as error:
        raise fail(f"cannot write {path}: {error.strerror or error}", 1) from None
    document = {"community": community, "year": year, "file": str(path), "proposals": len(rows)}
    say_all(as_json, document, [f"{path}: {len(rows)} proposals of {community}"])
