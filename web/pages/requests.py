"""诉求: the requests a staff member sees, filtered, sorted and paged; one request with its
trail, its photo and the staff actions (reassign, escalate, reject, merge); an XLSX export."""

import io
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import aiohttp_jinja2
from aiogram.exceptions import TelegramAPIError
from aiohttp import web
from openpyxl import Workbook

from models.errors import DomainError
from models.requests.categories import list_categories
from models.requests.queries import (
    STATUS_FILTERS,
    RequestFilter,
    export_requests,
    list_requests,
    micro_grids_in_scope,
    request_in_scope,
    trail_with_actors,
)
from models.requests.routing import is_overdue
from models.requests.views import load_view
from models.requests.workflow import (
    OPEN,
    escalate,
    merge,
    merge_candidates,
    reassign,
    reject,
    request_label,
)
from models.structure import list_micro_grids
from web.context import NavEntry, db, gridbot, link, now, staff, translator

routes = web.RouteTableDef()
NAV = NavEntry("/requests", "web-nav-requests", 20)
PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def _day(text: str, timezone: str) -> datetime | None:
    try:
        return datetime.combine(datetime.strptime(text, "%Y-%m-%d").date(), time(),
                                ZoneInfo(timezone))  # fmt: skip
    except ValueError:
        return None


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def filters_from(request: web.Request) -> RequestFilter:
    """The list's filters from the query string; anything unreadable is ignored."""
    query, community = request.query, staff(request).community
    until = _day(query.get("until", ""), community.timezone)
    return RequestFilter(
        community_id=community.id,
        status=query.get("status", "") if query.get("status", "") in STATUS_FILTERS else "",
        kind=query.get("kind", ""),
        category_id=_int(query.get("category", "")),
        micro_grid_id=_int(query.get("micro_grid", "")),
        overdue=query.get("overdue") == "1",
        since=_day(query.get("since", ""), community.timezone),
        until=until + timedelta(days=1) if until else None,
        text=query.get("q", "")[:100],
        sort=query.get("sort", "created"),
        descending=query.get("order", "desc") != "asc",
    )


@routes.get("/requests")
async def request_list(request: web.Request) -> web.StreamResponse:
    session, current = db(request), staff(request)
    filters = filters_from(request)
    page = await list_requests(session, current.scope, filters, now(request),
                               _int(request.query.get("page", "")) or 0, PAGE_SIZE)  # fmt: skip
    query = {k: v for k, v in request.query.items() if k not in ("page", "c")}
    return aiohttp_jinja2.render_template("requests.html", request, {
        "page": page, "query": query, "statuses": STATUS_FILTERS,
        "categories": await list_categories(session, current.community.id),
        "micro_grids": await micro_grids_in_scope(session, current.scope, current.community.id),
        "label": request_label, "overdue": lambda r: is_overdue(r, now(request)),
        "timezone": ZoneInfo(current.community.timezone),
    })  # fmt: skip


@routes.get("/requests/export.xlsx")
async def request_export(request: web.Request) -> web.StreamResponse:
    """The filtered list as a spreadsheet (the filters of the page it was asked from)."""
    current, t = staff(request), translator(request)
    rows = await export_requests(db(request), current.scope, filters_from(request),
                                 now(request), EXPORT_LIMIT)  # fmt: skip
    zone = ZoneInfo(current.community.timezone)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(t("web-nav-requests"))
    sheet.append([t(f"web-col-{name}") for name in (
        "number", "category", "micro-grid", "text", "status", "urgent", "claimer", "created",
        "rating")])  # fmt: skip
    for row in rows:
        r = row.request
        category = row.category
        sheet.append([
            request_label(r),
            (category.name_en if t.language == "en" else category.name_zh) if category
            else t("kind-wish" if r.kind == "wish" else "kind-report"),
            row.micro_grid, r.text, t(f"status-{r.status.value.replace('_', '-')}"),
            t("web-yes") if r.urgent else "", row.claimer or "",
            r.created_at.astimezone(zone).replace(tzinfo=None), r.rating,
        ])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    name = f"requests-{now(request).astimezone(zone):%Y%m%d-%H%M}.xlsx"
    return web.Response(
        body=buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def _render_one(
    request: web.Request, request_id: int, error: str | None = None, status: int = 200
) -> web.StreamResponse:
    session, current = db(request), staff(request)
    found = await request_in_scope(session, current.scope, request_id)
    view = await load_view(session, found.id)
    response = aiohttp_jinja2.render_template("request.html", request, {
        "view": view, "request_row": found, "label": request_label(found),
        "trail": await trail_with_actors(session, found.id),
        "open": found.status in OPEN, "overdue": is_overdue(found, now(request)),
        "micro_grids": [mg for mg in await list_micro_grids(session, found.community_id)
                        if mg.id != found.micro_grid_id],
        "merge_candidates": await _merge_candidates(request, found.id),
        "timezone": ZoneInfo(view.timezone), "error": error,
        "done": request.query.get("done", ""),
        "may_reassign": current.member.is_worker_of(view.route.grid.id)
                        or current.member.is_admin_of(found.community_id),
    })  # fmt: skip
    response.set_status(status)
    return response


async def _merge_candidates(request: web.Request, request_id: int) -> list[str]:
    """Open requests this one may repeat, as the chat offers them (none where it refuses)."""
    try:
        found = await merge_candidates(db(request), staff(request).member, request_id)
    except DomainError:
        return []
    return [request_label(candidate) for candidate in found]


async def _in_scope_or_404(request: web.Request) -> int:
    request_id = _int(request.match_info["id"])
    if request_id is None:
        raise web.HTTPNotFound()
    try:
        await request_in_scope(db(request), staff(request).scope, request_id)
    except DomainError:
        raise web.HTTPNotFound(text=translator(request)("request-not-found")) from None
    return request_id


@routes.get("/requests/{id}")
async def request_page(request: web.Request) -> web.StreamResponse:
    return await _render_one(request, await _in_scope_or_404(request))


@routes.get("/requests/{id}/photo")
async def request_photo(request: web.Request) -> web.StreamResponse:
    """The request's photo fetched through the Bot API: the browser never sees the token."""
    request_id = await _in_scope_or_404(request)
    found = await request_in_scope(db(request), staff(request).scope, request_id)
    if not found.photo_file_id:
        raise web.HTTPNotFound()
    bot = gridbot(request).bot
    try:
        file = await bot.get_file(found.photo_file_id)
        assert file.file_path is not None
        data = await bot.download_file(file.file_path)
    except (TelegramAPIError, AssertionError):
        raise web.HTTPNotFound() from None
    assert data is not None
    return web.Response(body=data.read(), content_type="image/jpeg",
                        headers={"Cache-Control": "private, max-age=3600"})  # fmt: skip


ACTIONS = ("reassign", "escalate", "reject", "merge")


@routes.post("/requests/{id}/{action}")
async def request_action(request: web.Request) -> web.StreamResponse:
    """A staff action, through the same domain call as in chat (and its refusals)."""
    request_id = await _in_scope_or_404(request)
    action = request.match_info["action"]
    if action not in ACTIONS:
        raise web.HTTPNotFound()
    form, member, session = await request.post(), staff(request).member, db(request)
    text = str(form.get("text", ""))
    try:
        async with session.begin_nested():  # a refusal undoes only this action
            if action == "reassign":
                target = _int(str(form.get("micro_grid", ""))) or 0
                await reassign(session, member, request_id, target)
            elif action == "escalate":
                await escalate(session, member, request_id, text or None)
            elif action == "reject":
                await reject(session, member, request_id, text)
            else:
                await merge(session, member, request_id, into_label=text)
    except DomainError as error:
        message = translator(request)(error.message_id, **error.args_for_message)
        return await _render_one(request, request_id, message, status=409)
    raise web.HTTPSeeOther(link(request, f"/requests/{request_id}", done=action))
