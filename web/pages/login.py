"""Signing in (a single-use link from the bot, or the Telegram Login Widget) and out."""

from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web

from models.webauth import (
    TelegramLogin,
    login_with_telegram,
    logout_everywhere,
    redeem_login_link,
)
from web.context import COOKIE, PREFIX, db, gridbot, now, public, staff

routes = web.RouteTableDef()


def _signed_in(request: web.Request, session_token: str) -> web.HTTPFound:
    settings = gridbot(request).settings
    found = web.HTTPFound(PREFIX + "/")
    found.set_cookie(
        COOKIE, session_token, path=PREFIX, httponly=True, samesite="Lax",
        secure=urlsplit(settings.web_url or "").scheme == "https",
    )  # fmt: skip
    return found


@routes.get("/login")
@public
async def login(request: web.Request) -> web.StreamResponse:
    token = request.query.get("token", "")
    if token:
        session_token = await redeem_login_link(db(request), token, now(request))
        if session_token is not None:
            raise _signed_in(request, session_token)
    app = gridbot(request)
    me = await app.bot.me()
    response = aiohttp_jinja2.render_template(
        "login.html", request,
        {"link_failed": bool(token), "bot_username": me.username,
         "widget": app.settings.web_login_widget},
    )  # fmt: skip
    response.set_status(401 if token else 200)
    return response


@routes.get("/login/telegram")
@public
async def login_telegram(request: web.Request) -> web.StreamResponse:
    """Where the Telegram Login Widget sends a person back, signed by Telegram."""
    app = gridbot(request)
    telegram_id = TelegramLogin(dict(request.query)).verified_id(app.settings.bot_token,
                                                                  now(request))  # fmt: skip
    if telegram_id is not None:
        session_token = await login_with_telegram(
            db(request), telegram_id, telegram_id in app.settings.admin_ids, now(request)
        )
        if session_token is not None:
            raise _signed_in(request, session_token)
    raise web.HTTPFound(PREFIX + "/login?token=-")


@routes.post("/logout")
async def logout(request: web.Request) -> web.StreamResponse:
    """Sign out on every browser this staff member used."""
    await logout_everywhere(db(request), staff(request).member.user.id)
    found = web.HTTPFound(PREFIX + "/login")
    found.del_cookie(COOKIE, path=PREFIX)
    raise found
