"""关爱台账: the households the signed-in staff member may see, and one household's ledger.
Access goes through the same domain function as in chat, so every list and read is in the
access log, and a household outside the member's area is "not found" like a missing one."""

from zoneinfo import ZoneInfo

import aiohttp_jinja2
from aiohttp import web

from models.care.access import Viewer, log_access
from models.care.households import address_of, read_household, visible_households
from models.errors import DomainError
from web.context import NavEntry, db, staff, translator

routes = web.RouteTableDef()
NAV = NavEntry("/care", "care-web-nav", 45)


@routes.get("/care")
async def care_list(request: web.Request) -> web.StreamResponse:
    session, current = db(request), staff(request)
    viewer = Viewer.of(current.member)
    rows = []
    for household in await visible_households(session, viewer, current.community.id):
        log_access(session, viewer, household.community_id, household.id, "list", "web")
        rows.append((household, await address_of(session, household)))
    return aiohttp_jinja2.render_template("care.html", request, {"rows": rows, "ledger": None})


@routes.get(r"/care/{household:\d{1,18}}")
async def care_household(request: web.Request) -> web.StreamResponse:
    session, current = db(request), staff(request)
    try:
        ledger = await read_household(
            session, Viewer.of(current.member), int(request.match_info["household"])
        )
    except DomainError as error:
        await session.commit()  # the refused attempt stays in the access log
        raise web.HTTPNotFound(text=translator(request)(error.message_id)) from None
    return aiohttp_jinja2.render_template("care.html", request, {
        "rows": [], "ledger": ledger, "timezone": ZoneInfo(current.community.timezone),
    })  # fmt: skip
