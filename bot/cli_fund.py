"""`gridbot fund …` and `gridbot needs …`: the fund's yearly workbook for auditors."""

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from bot.cli import EXIT_CODES, AsJson, fail, load_settings, say_all
from models.base import create_engine, create_sessionmaker
from models.structure import Community

fund_app = typer.Typer(help="The community fund.", epilog=EXIT_CODES, no_args_is_help=True)


@fund_app.command("export", epilog=EXIT_CODES)
def fund_export(
    community: Annotated[str, typer.Option(help="community name")],
    year: Annotated[int, typer.Option(min=2000, max=2100, help="calendar year")],
    out: Annotated[Path | None, typer.Option(help="XLSX file to write")] = None,
    as_json: AsJson = False,
) -> None:
    """Write the fund's year as XLSX: opening balance, every entry, approvals, closing balance."""
    from models.resources.export import export_year

    settings = load_settings()
    target = out or Path(f"fund-{community}-{year}.xlsx")

    async def main():  # type: ignore[no-untyped-def]
        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                row = await session.scalar(select(Community).where(Community.name == community))
                if row is None:
                    return None
                return await export_year(session, row, year)
        finally:
            await engine.dispose()

    exported = asyncio.run(main())
    if exported is None:
        raise fail(f"no community named {community!r}", 1)
    fund, workbook = exported
    try:
        target.write_bytes(workbook)
    except OSError as error:
        raise fail(f"cannot write {target}: {error.strerror}", 1) from None
    document = {
        "community": community, "year": year, "file": str(target),
        "opening": fund.opening, "closing": fund.closing, "entries": len(fund.lines),
    }  # fmt: skip
    say_all(as_json, document, [
        f"{target}: {len(fund.lines)} entries, opening {fund.opening} fen, "
        f"closing {fund.closing} fen",
    ])  # fmt: skip


needs_app = typer.Typer(help="The needs list (治理需求清单).", epilog=EXIT_CODES,
                        no_args_is_help=True)  # fmt: skip


@needs_app.command("add", epilog=EXIT_CODES)
def needs_add(
    community: Annotated[str, typer.Option(help="community name")],
    title: Annotated[str, typer.Option(help="what is needed")],
    scope: Annotated[str, typer.Option(help="a micro-grid's or grid's name, or 'community'")],
    people: Annotated[int, typer.Option(min=0, max=1_000_000, help="people it would help")] = 0,
    as_json: AsJson = False,
) -> None:
    """Add a need to a community's needs list, as staff would in chat."""
    from models.errors import DomainError
    from models.resources.projects import add_need, find_scope

    settings = load_settings()

    async def main():  # type: ignore[no-untyped-def]
        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                row = await session.scalar(select(Community).where(Community.name == community))
                if row is None:
                    return None
                need = await add_need(session, None, row, title=title, people=people,
                                      scope=await find_scope(session, row, scope))  # fmt: skip
                await session.commit()
                return need
        finally:
            await engine.dispose()

    try:
        need = asyncio.run(main())
    except DomainError as error:
        raise fail(f"refused: {error.message_id} {error.args_for_message}", 1) from None
    if need is None:
        raise fail(f"no community named {community!r}", 1)
    document = {"community": community, "number": need.number, "title": need.title,
                "scope": need.scope.value, "people": need.people}  # fmt: skip
    say_all(as_json, document, [f"need {need.number}: {need.title}"])
