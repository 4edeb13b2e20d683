"""议事协商: the community's proposals with their stage, seconds and results, newest first.
Proposals are public in the residents' groups already; the page adds no personal data."""

from zoneinfo import ZoneInfo

import aiohttp_jinja2
from aiohttp import web

from models.deliberation import ProposalStatus
from models.deliberation.workflow import community_proposals, proposal_label
from web.context import NavEntry, db, staff

routes = web.RouteTableDef()
NAV = NavEntry("/proposals", "delib-web-nav", 25)
STATUSES = tuple(status.value for status in ProposalStatus)


@routes.get("/proposals")
async def proposal_list(request: web.Request) -> web.StreamResponse:
    status = request.query.get("status", "")
    status = status if status in STATUSES else ""
    community = staff(request).community
    proposals = await community_proposals(
        db(request), community.id, ProposalStatus(status) if status else None
    )
    return aiohttp_jinja2.render_template("deliberation.html", request, {
        "proposals": proposals, "label": proposal_label, "statuses": STATUSES,
        "status": status, "timezone": ZoneInfo(community.timezone),
    })  # fmt: skip
