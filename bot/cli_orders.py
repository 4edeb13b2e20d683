"""`gridbot orders export`: a community's partner-service orders as an XLSX workbook, the
public record (三公开) — services, partners, statuses, times and ratings, never who ordered."""

import asyncio
import io
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from bot.cli import EXIT_CODES, AsJson, fail, load_settings, say_all
from migrations import upgrade
from models.base import create_engine, create_sessionmaker

orders_app = typer.Typer(help="Partner-service orders.", epilog=EXIT_CODES, no_args_is_help=True)

HEADER = ["order", "created", "service", "category", "price", "partner", "micro-grid", "status",
          "preferred time", "appointment", "accepted", "completed", "rating", "comment",
          "request"]  # fmt: skip


def _day(text: str | None, option: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise fail(f"{option} must look like 2026-11-23, not {text!r}", 2) from None


def workbook(rows: list[Any], timezone: str) -> bytes:
    from openpyxl import Workbook  # only when exporting: the CLI starts faster without it

    from models.services import order_label

    zone = ZoneInfo(timezone)

    def local(moment: datetime | None) -> str:
        return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}" if moment else ""

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Orders")
    sheet.append(HEADER)
    for row in rows:
        order = row.order
        sheet.append([
            order_label(order), local(order.created_at), row.service.name, row.service.category,
            row.service.price, row.partner.name, row.micro_grid.name, order.status.value,
            order.preferred_time or "", order.appointment or "", local(order.accepted_at),
            local(order.completed_at), order.rating, order.rating_comment or "",
            order.request_id,
        ])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@orders_app.command("export", epilog=EXIT_CODES)
def export(
    community: Annotated[str, typer.Option(help="community name", show_default=False)],
    from_text: Annotated[
        str | None, typer.Option("--from", help="first day, YYYY-MM-DD (default: the first order)")
    ] = None,
    to_text: Annotated[
        str | None, typer.Option("--to", help="last day, YYYY-MM-DD, included (default: today)")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="where to write (default: orders-<from>-<to>.xlsx)"),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Write the community's orders placed in a span of days (community time) to an XLSX."""
    first, last = _day(from_text, "--from"), _day(to_text, "--to")
    if first and last and first > last:
        raise fail("--from must not be after --to", 2)
    settings = load_settings()
    upgrade(settings.database_url)

    async def main() -> tuple[list[Any], str]:
        from sqlalchemy import select

        from models.services import export_rows
        from models.structure import Community

        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                row = await session.scalar(select(Community).where(Community.name == community))
                if row is None:
                    raise fail(f"no community named {community!r}", 1)
                zone = ZoneInfo(row.timezone)
                start = datetime.combine(first, time(), zone) if first else None
                end = datetime.combine(last + timedelta(days=1), time(), zone) if last else None
                return await export_rows(session, row.id, start, end), row.timezone
        finally:
            await engine.dispose()

    rows, timezone = asyncio.run(main())
    path = output or Path(f"orders-{first or 'start'}-{last or 'today'}.xlsx")
    try:
        path.write_bytes(workbook(rows, timezone))
    except OSError as exc:
        raise fail(f"cannot write {path}: {exc.strerror}", 1) from None
    document = {"community": community, "file": str(path), "orders": len(rows)}
    say_all(as_json, document, [f"{path}: {len(rows)} orders"])
