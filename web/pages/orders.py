"""服务点单: the community's partner-service orders (newest first, by status) and this month's
results per partner (三公开), as staff see them in chat: never who ordered."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy import select

from models.services import OrderStatus, order_label, orders_for_staff, partner_results
from models.structure import MicroGrid
from web.context import NavEntry, db, now, staff

routes = web.RouteTableDef()
NAV = NavEntry("/orders", "svc-web-nav", 35)


@routes.get("/orders")
async def order_list(request: web.Request) -> web.StreamResponse:
    session, current = db(request), staff(request)
    community, scope = current.community, current.scope
    if scope.admin_of(community.id):
        visible: set[int] | None = None
    else:  # grid workers their grids, leaders their micro-grids
        micro_grids = (
            await session.scalars(select(MicroGrid).where(MicroGrid.community_id == community.id))
        ).all()
        visible = {m.id for m in micro_grids
                   if m.grid_id in scope.grids or m.id in scope.micro_grids}  # fmt: skip
    status = request.query.get("status", "")
    status = status if status in {s.value for s in OrderStatus} else ""
    zone = ZoneInfo(community.timezone)
    today = now(request).astimezone(zone).date()
    month_start = datetime.combine(today.replace(day=1), time(), zone)
    return aiohttp_jinja2.render_template("orders.html", request, {
        "rows": await orders_for_staff(session, community.id, visible, status),
        "results": [r for r in await partner_results(session, community.id, month_start,
                                                     now(request)) if r.orders],
        "statuses": [s.value for s in OrderStatus], "status": status, "label": order_label,
        "timezone": zone, "month": f"{today:%Y-%m}",
    })  # fmt: skip
