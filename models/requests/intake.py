"""A report or wish coming in: its number, the check for an open report it may repeat (the
resident decides), and its routing to the team that takes it."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.errors import NotAllowed, NotFound
from models.members import Member
from models.notices import Notice, emit
from models.requests.categories import guess_category
from models.requests.routing import route_of, routing
from models.requests.tables import Category, Request, RequestCounter, RequestKind, RequestStatus
from models.requests.workflow import (
    INSERT_EVENT,
    OPEN,
    card_to_team,
    clean_text,
    close_as_repeat,
    event_row,
    get_request,
    record_event,
    request_label,
    tell_resident,
    transition,
)

TEXT_MAX = 1000
DUPLICATE_WINDOW = timedelta(hours=24)


_COUNTERS = RequestCounter.__table__
_TAKE_NUMBER = (  # Core on the table: the ORM's bulk-update path rebuilt it at every call
    update(_COUNTERS)
    .where(_COUNTERS.c.community_id == bindparam("of_community"),
           _COUNTERS.c.kind == bindparam("of_kind", type_=_COUNTERS.c.kind.type))
    .values(last_number=_COUNTERS.c.last_number + 1)
    .returning(_COUNTERS.c.last_number)
)  # fmt: skip


async def _next_number(session: AsyncSession, community_id: int, kind: RequestKind) -> int:
    """Atomically take the next number (R-0001, R-0002 ...) of a community and kind."""
    where = {"of_community": community_id, "of_kind": kind}
    number = (await session.execute(_TAKE_NUMBER, where)).scalar_one_or_none()
    if number is not None:
        return number
    # The first of its kind: create the counter (another may be creating it this instant).
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(RequestCounter)
        .values(community_id=community_id, kind=kind, last_number=0)
        .on_conflict_do_nothing()
    )
    return (await session.execute(_TAKE_NUMBER, where)).scalar_one()


@dataclass
class Submitted:
    request: Request
    duplicate_of: Request | None  # an open report it may repeat; the resident decides


async def submit(
    session: AsyncSession,
    member: Member,
    kind: RequestKind,
    text: str | None,
    *,
    category_id: int | None = None,
    photo_file_id: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    urgent: bool = False,
    share_contact: bool = False,
) -> Submitted:
    """Save a resident's report or wish. A report that looks like a repeat of an open one
    in the same building and category is kept back until the resident says which it is."""
    residence = member.residence
    if residence is None:
        raise NotAllowed("request-register-first")
    cleaned = clean_text(text, TEXT_MAX, "request-text-empty")
    if category_id is not None:
        category = await session.get(Category, category_id)
        if category is None or category.community_id != residence.community_id:
            raise NotFound("request-category-gone")
    elif kind == RequestKind.REPORT:
        category_id = await guess_category(session, residence.community_id, cleaned)
    request = Request(
        community_id=residence.community_id,
        kind=kind,
        number=await _next_number(session, residence.community_id, kind),
        category_id=category_id,
        micro_grid_id=residence.micro_grid_id,
        building_id=residence.building_id,
        resident_id=member.user.id,
        text=cleaned,
        photo_file_id=photo_file_id,
        latitude=latitude,
        longitude=longitude,
        urgent=urgent,
        share_contact=share_contact,
        status=RequestStatus.SUBMITTED,
        version=0,
    )
    duplicate = None
    if kind == RequestKind.REPORT and not urgent:
        duplicate = await _open_duplicate(session, request)
    if duplicate is None:  # routed as it is saved: one write, the same trail
        for name, value in (await routing(session, request)).items():
            setattr(request, name, value)
        request.version = 1
    session.add(request)
    await session.flush()
    trail = [event_row(request, member.user.id, "submit", None, to_status=RequestStatus.SUBMITTED)]
    if duplicate is None:
        trail.append(event_row(request, member.user.id, "route", RequestStatus.SUBMITTED.value))
    await session.execute(INSERT_EVENT, trail)
    if duplicate is None:
        await _announce_routed(session, request)
    return Submitted(request, duplicate)


_OPEN_DUPLICATE = (  # built once: building it took a third of the check's time
    select(Request)
    .where(
        Request.kind == RequestKind.REPORT,
        Request.building_id == bindparam("building_id"),
        Request.category_id == bindparam("category_id"),
        Request.status.in_(OPEN),
        Request.created_at >= bindparam("since"),
    )
    .order_by(Request.created_at.desc())
    .limit(1)
)


async def _open_duplicate(session: AsyncSession, request: Request) -> Request | None:
    """An open report the new (not yet saved) one may repeat: one in the same building and
    category (a report always has both), made within the window."""
    params = {"building_id": request.building_id, "category_id": request.category_id,
              "since": utcnow() - DUPLICATE_WINDOW}  # fmt: skip
    return await session.scalar(_OPEN_DUPLICATE, params)


async def answer_duplicate(
    session: AsyncSession, member: Member, request_id: int, duplicate_of_id: int, same: bool
) -> Request:
    """The resident says whether their held-back report is the same as the open one."""
    request = await get_request(session, request_id)
    if request.resident_id != member.user.id:
        raise NotAllowed("request-not-yours")
    if not same:
        await _route(session, request, member.user.id)
        return request
    original = await get_request(session, duplicate_of_id)
    if original.community_id != request.community_id or original.status not in OPEN:
        # The open one was closed meanwhile: this report stands on its own.
        await _route(session, request, member.user.id)
        return request
    await close_as_repeat(session, request, original, member.user.id, (RequestStatus.SUBMITTED,))
    await record_event(session, original, member.user.id, "plus_one", original.status.value,
                       note=request_label(request))  # fmt: skip
    emit(session, Notice("refresh-cards", request_id=original.id))
    return original


async def _route(session: AsyncSession, request: Request, actor_id: int | None) -> None:
    """Route a request held back as a possible repeat, once its resident said it is not."""
    values = await routing(session, request)
    await transition(session, request, (RequestStatus.SUBMITTED,), actor_id, "route", **values)
    await _announce_routed(session, request)


async def _announce_routed(session: AsyncSession, request: Request) -> None:
    route = await route_of(session, request)
    chat_id = card_to_team(session, request, route, request.escalation_level, "new")
    if request.urgent and route.grid.chat_id and route.grid.chat_id != chat_id:
        emit(
            session,
            Notice(
                "card", request_id=request.id, chat_id=route.grid.chat_id, args={"why": "urgent"}
            ),
        )
    tell_resident(session, request, "received")
    if request.kind == RequestKind.WISH:
        from models.party.wishes import wish_routed  # the party feature builds on this module

        await wish_routed(session, request)
