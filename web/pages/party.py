"""党建 Party: the community's party members and registrations, and its whistles with how far
each department got; for the community's admins."""

from zoneinfo import ZoneInfo

import aiohttp_jinja2
from aiohttp import web

from models.party.membership import roster
from models.party.whistles import recent_whistles
from web.context import NavEntry, db, now, staff, translator

routes = web.RouteTableDef()
NAV = NavEntry("/party", "party-web-nav", 45)


@routes.get("/party")
async def party(request: web.Request) -> web.StreamResponse:
    current, t = staff(request), translator(request)
    community = current.community
    if not current.scope.admin_of(community.id):
        raise web.HTTPForbidden(text=t("party-web-admins-only"))
    zone = ZoneInfo(community.timezone)

    def local(moment):  # type: ignore[no-untyped-def]
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    return aiohttp_jinja2.render_template("party.html", request, {
        "members": await roster(db(request), community.id),
        "whistles": await recent_whistles(db(request), community.id),
        "local": local, "now": now(request),
    })  # fmt: skip
