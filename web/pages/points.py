"""积分: members' balances and the ledger searched, rewards with this week's stock and held
orders, and an admin's adjustment with a reason (the same call as /adjust in chat)."""

import secrets
from zoneinfo import ZoneInfo

import aiohttp_jinja2
from aiohttp import web

from models.errors import DomainError, InvalidInput
from models.points.ledger import ADJUST_LIMIT, adjust, balance_of
from models.points.queries import balances, held_orders, ledger_search, member_by_telegram_id
from models.points.rewards import list_rewards
from web.context import NavEntry, db, link, staff, translator

routes = web.RouteTableDef()
NAV = NavEntry("/points", "web-nav-points", 30)


async def _render(
    request: web.Request, message: str | None = None, error: str | None = None, status: int = 200
) -> web.StreamResponse:
    session, current = db(request), staff(request)
    community_id = current.community.id
    words = request.query.get("q", "")[:50]
    response = aiohttp_jinja2.render_template("points.html", request, {
        "q": words, "balances": await balances(session, community_id, words),
        "ledger": await ledger_search(session, community_id, words),
        "rewards": await list_rewards(session, community_id),
        "held": await held_orders(session, community_id),
        "timezone": ZoneInfo(current.community.timezone),
        "admin": current.scope.admin_of(community_id), "message": message, "error": error,
        # Names this adjustment, so a form sent twice books it once.
        "adjust_key": secrets.token_hex(8),
    })  # fmt: skip
    response.set_status(status)
    return response


@routes.get("/points")
async def points(request: web.Request) -> web.StreamResponse:
    adjusted = request.query.get("adjusted", "")
    if not adjusted.isdigit():
        return await _render(request)
    session, current = db(request), staff(request)
    try:
        user = await member_by_telegram_id(session, int(adjusted))
    except DomainError:
        return await _render(request)
    balance = await balance_of(session, user.id, current.community.id)
    done = translator(request)("web-points-adjust-done", name=user.full_name or adjusted,
                               balance=balance)  # fmt: skip
    return await _render(request, message=done)


@routes.post("/points/adjust")
async def points_adjust(request: web.Request) -> web.StreamResponse:
    session, current, t = db(request), staff(request), translator(request)
    form = await request.post()
    try:
        async with session.begin_nested():
            member_id = str(form.get("member", "")).strip()
            amount = str(form.get("amount", "")).strip()
            if not amount.lstrip("-").isdigit():
                raise InvalidInput("points-amount-invalid", limit=ADJUST_LIMIT)
            user = await member_by_telegram_id(session, int(member_id) if member_id.isdigit()
                                               else 0)  # fmt: skip
            key = "".join(ch for ch in str(form.get("key", "")) if ch.isalnum())[:32]
            await adjust(session, current.member, current.community.id, user,
                                  int(amount), str(form.get("reason", ""))[:200],
                                  key=f"web-adjust:{key or secrets.token_hex(8)}")  # fmt: skip
    except DomainError as error:
        return await _render(request, error=t(error.message_id, **error.args_for_message),
                             status=409)  # fmt: skip
    raise web.HTTPSeeOther(link(request, "/points", adjusted=user.telegram_id))
