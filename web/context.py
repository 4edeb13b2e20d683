"""What every workbench request goes through: its database session, who is signed in and what
they may see (the bot's scope), the CSRF check of every POST, and the template helpers."""

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from aiohttp import web
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator, language_for
from models.base import lock_for_writing, utcnow
from models.members import Member, load_member
from models.requests.queries import Scope, communities_in_scope, scope_of
from models.structure import Community
from models.webauth import session_user

if TYPE_CHECKING:
    from bot.app import App

PREFIX = "/workbench"
COOKIE = "gridbot_workbench"
APP_KEY: web.AppKey["App"] = web.AppKey("gridbot")
NAV_KEY: web.AppKey[list["NavEntry"]] = web.AppKey("nav")
NOW_KEY: web.RequestKey[datetime] = web.RequestKey("now")
DB_KEY: web.RequestKey[AsyncSession] = web.RequestKey("db")
T_KEY: web.RequestKey[Translator] = web.RequestKey("t")
STAFF_KEY: web.RequestKey["Staff"] = web.RequestKey("staff")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class NavEntry:
    path: str  # under /workbench
    title_id: str  # catalog message id
    order: int


@dataclass
class Staff:
    """The signed-in staff member of a request, and the community being looked at."""

    member: Member
    scope: Scope
    communities: list[Community]
    community: Community
    session_token: str

    @property
    def csrf(self) -> str:
        return hmac.new(self.session_token.encode(), b"csrf", hashlib.sha256).hexdigest()


def public(handler: Handler) -> Handler:
    """Mark a route that anonymous visitors may open (only the login pages)."""
    handler.public = True  # type: ignore[attr-defined]
    return handler


def gridbot(request: web.Request) -> "App":
    return request.app[APP_KEY]


def db(request: web.Request) -> AsyncSession:
    return request[DB_KEY]


def staff(request: web.Request) -> Staff:
    return request[STAFF_KEY]


def translator(request: web.Request) -> Translator:
    return request[T_KEY]


def now(request: web.Request) -> datetime:
    return request[NOW_KEY]


def link(request: web.Request, path: str, **query: Any) -> str:
    """A workbench address keeping the community being looked at."""
    params = {k: v for k, v in query.items() if v not in (None, "", False)}
    current: Staff | None = request.get(STAFF_KEY)
    if current is not None and len(current.communities) > 1:
        params.setdefault("c", current.community.id)
    return PREFIX + path + (f"?{urlencode(params)}" if params else "")


def _is_public(request: web.Request, handler: Handler) -> bool:
    resource = request.match_info.route.resource
    return getattr(handler, "public", False) or (
        resource is not None and resource.name == "static"
    )


async def _sign_in(request: web.Request, session: AsyncSession) -> None:
    """Find the staff member of this request; raise the answer when they may not go on."""
    app = gridbot(request)
    token = request.cookies.get(COOKIE, "")
    user = await session_user(session, token) if token else None
    if user is None:
        await session.commit()  # an idle session is gone for good
        if request.method == "GET":
            raise web.HTTPFound(PREFIX + "/login")
        raise web.HTTPForbidden(text=request[T_KEY]("web-sign-in-first"))
    request[T_KEY] = app.catalog.translator(user.language_or(app.settings.language))
    member = await load_member(session, user, user.telegram_id in app.settings.admin_ids)
    scope = scope_of(member)
    communities = await communities_in_scope(session, scope) if not scope.empty else []
    if not communities:
        raise web.HTTPForbidden(text=request[T_KEY]("web-staff-only"))
    wanted = request.query.get("c", "")
    community = next((c for c in communities if str(c.id) == wanted), communities[0])
    request[STAFF_KEY] = Staff(member, scope, communities, community, token)
    if request.method == "POST":
        form = await request.post()
        sent = str(form.get("csrf", ""))
        if not hmac.compare_digest(sent.encode(), request[STAFF_KEY].csrf.encode()):
            raise web.HTTPForbidden(text=request[T_KEY]("web-csrf-refused"))


@web.middleware
async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    app = gridbot(request)
    request[NOW_KEY] = utcnow()
    async with app.sessionmaker() as session:
        if request.method == "POST":  # a change, decided on what it reads first
            await lock_for_writing(session)
        request[DB_KEY] = session
        request[T_KEY] = app.catalog.translator(
            language_for(request.headers.get("Accept-Language", "")[:5], app.settings.language)
        )
        if not _is_public(request, handler):
            await _sign_in(request, session)
        try:
            response = await handler(request)
        except web.HTTPException as exception:
            if exception.status >= 400:
                raise
            response = exception  # a redirect after a change: commit the change first
        queued = await app.notifier.flush(session)
        await session.commit()
        if queued:
            app.sender.wake()
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")  # login links stay private
    if response.content_type == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    if isinstance(response, web.HTTPException):
        raise response
    return response


async def template_context(request: web.Request) -> dict[str, Any]:
    t = translator(request)

    def text(message_id: str, **args: Any) -> Markup:
        # Catalog text is markup and its string arguments come escaped.
        return Markup(t(message_id, **args))

    return {
        "t": text,
        "lang": t.language,
        "staff": request.get(STAFF_KEY),
        "nav": request.app[NAV_KEY],
        "path": request.path.removeprefix(PREFIX) or "/",
        "link": lambda path, **query: link(request, path, **query),
        "prefix": PREFIX,
    }
