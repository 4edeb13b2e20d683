"""报表: any month's summary, the same figures as the monthly summary in chat (the same
function computes them), and that month's XLSX workbook."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import aiohttp_jinja2
from aiohttp import web

from models.reports import MonthlyReport
from models.requests.queries import micro_grids_in_scope
from scheduler.monthly_summary import workbook_xlsx
from web.charts import rate_bars
from web.context import NavEntry, Staff, db, now, staff, translator
from web.figures import FIGURES_KEY, month_figures

routes = web.RouteTableDef()
NAV = NavEntry("/reports", "web-nav-reports", 40)


def _month(text: str, today: date) -> date:
    """The first day of the month asked for ('2026-10'); last month when unreadable."""
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return (today.replace(day=1) - date.resolution).replace(day=1)


def month_bounds(first: date, timezone: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(timezone)
    following = (first.replace(day=28) + (date.resolution * 4)).replace(day=1)
    return datetime.combine(first, time(), zone), datetime.combine(following, time(), zone)


async def _report(request: web.Request, first: date) -> MonthlyReport:
    community = staff(request).community
    start, end = month_bounds(first, community.timezone)
    end = min(end, now(request))
    return await month_figures(request.app[FIGURES_KEY], db(request), community, start, end)


@routes.get("/reports")
async def reports(request: web.Request) -> web.StreamResponse:
    current = staff(request)
    today = now(request).astimezone(ZoneInfo(current.community.timezone)).date()
    first = _month(request.query.get("month", ""), today)
    report = await _report(request, first)
    admin = current.scope.admin_of(current.community.id)
    visible = {mg.grid_id for mg in await micro_grids_in_scope(db(request), current.scope,
                                                                current.community.id)}  # fmt: skip
    rows = [stats for grid, stats in report.grids if grid.id in visible]
    if admin:
        rows.append(report.community)
    return aiohttp_jinja2.render_template("reports.html", request, {
        "month": f"{first:%Y-%m}", "rows": rows, "report": report, "admin": admin,
        "chart": rate_bars(translator(request), [(s.name, s, None) for s in rows]),
    })  # fmt: skip


def _admin_only(current: Staff, refusal: str) -> None:
    if not current.scope.admin_of(current.community.id):
        raise web.HTTPForbidden(text=refusal)


@routes.get("/reports/{month}.xlsx")
async def report_workbook(request: web.Request) -> web.StreamResponse:
    """The month's workbook, as the admin chat gets it (requests, check-ins, ledger)."""
    current = staff(request)
    _admin_only(current, translator(request)("web-report-admin-only"))
    today = now(request).astimezone(ZoneInfo(current.community.timezone)).date()
    first = _month(request.match_info["month"], today)
    body = workbook_xlsx(await _report(request, first))
    return web.Response(
        body=body,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="summary-{first:%Y-%m}.xlsx"'},
    )
