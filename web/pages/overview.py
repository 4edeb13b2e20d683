"""概览: what needs attention today, and this month's three rates against last month's."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import aiohttp_jinja2
from aiohttp import web

from models.reports import daily_digests
from models.requests.queries import micro_grids_in_scope, overview_counts
from web.charts import rate_bars
from web.context import NavEntry, db, now, staff, translator
from web.figures import FIGURES_KEY, month_figures

routes = web.RouteTableDef()
NAV = NavEntry("/", "web-nav-overview", 10)


def month_start(moment: datetime) -> datetime:
    return datetime.combine(moment.date().replace(day=1), time(), moment.tzinfo)


@routes.get("/")
async def overview(request: web.Request) -> web.StreamResponse:
    session, current, t = db(request), staff(request), translator(request)
    community = current.community
    local = now(request).astimezone(ZoneInfo(community.timezone))
    day_start = datetime.combine(local.date(), time(), local.tzinfo)
    counts = await overview_counts(session, current.scope, community.id, day_start, now(request))
    this_start = month_start(local)
    last_start = month_start(this_start - timedelta(days=1))
    kept = request.app[FIGURES_KEY]
    this_month = await month_figures(kept, session, community, this_start, now(request))
    last_month = await month_figures(kept, session, community, last_start, this_start)
    scoped = await micro_grids_in_scope(session, current.scope, community.id)
    visible = {mg.grid_id for mg in scoped}
    before = {grid.id: stats for grid, stats in last_month.grids}
    shown = [(grid.name, stats, before.get(grid.id))
             for grid, stats in this_month.grids if grid.id in visible]  # fmt: skip
    if current.scope.admin_of(community.id):
        shown.append((t("web-whole-community"), this_month.community, last_month.community))
    digests = await daily_digests(session, community.id, day_start, now(request), now(request))
    mine = {mg.id for mg in scoped}
    micro_grids = [d for d in digests if d.micro_grid.id in mine and not d.empty]
    return aiohttp_jinja2.render_template("overview.html", request, {
        "micro_grids": sorted(micro_grids, key=lambda d: (-d.overdue, -d.new)),
        "counts": counts, "chart": rate_bars(t, shown), "today": local.date().isoformat(),
    })  # fmt: skip
