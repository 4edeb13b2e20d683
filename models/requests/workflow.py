"""The request loop after intake: claiming, working, resolving, escalating, reassigning.

Every transition is a compare-and-set on the request's version, so of two people pressing
at the same instant exactly one wins, and a stale button changes nothing. Every transition
writes an event row and emits the notices that tell people about it. Where a request goes
and by when is `models.requests.routing`; a report or wish coming in is
`models.requests.intake`; rating and confirming a resolved request is `models.requests.closing`.
"""

import functools
from datetime import datetime

from sqlalchemy import Insert, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from models.base import utcnow
from models.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from models.members import Member, Role, User, get_with_person
from models.notices import Notice, emit
from models.requests.routing import (
    LEVELS,
    Route,
    deadlines,
    is_overdue,
    route_of,
    team_chat,
)
from models.requests.tables import (
    Request,
    RequestEvent,
    RequestKind,
    RequestStatus,
    RoutingLevel,
)
from models.structure import MicroGrid

NOTE_MAX = 500
OPEN = (RequestStatus.ROUTED, RequestStatus.CLAIMED, RequestStatus.IN_PROGRESS)
PREFIX = {RequestKind.REPORT: "R", RequestKind.WISH: "W"}


def request_label(request: Request) -> str:
    return f"{PREFIX[request.kind]}-{request.number:04d}"


def parse_label(text: str) -> tuple[RequestKind, int] | None:
    """'R-0042', 'r42', 'W-7' → (kind, number)."""
    cleaned = text.strip().upper().replace("-", "").replace("#", "")
    if len(cleaned) < 2 or cleaned[0] not in "RW" or not cleaned[1:].isdigit():
        return None
    kind = RequestKind.REPORT if cleaned[0] == "R" else RequestKind.WISH
    return kind, int(cleaned[1:])


def clean_text(text: str | None, limit: int, empty_error: str) -> str:
    cleaned = "\n".join(line.strip() for line in (text or "").strip().splitlines()).strip()
    if not cleaned:
        raise InvalidInput(empty_error)
    if len(cleaned) > limit:
        raise InvalidInput("request-text-too-long", max=limit, length=len(cleaned))
    return cleaned


async def get_request(session: AsyncSession, request_id: int) -> Request:
    request = await session.get(Request, request_id)
    if request is None:
        raise NotFound("request-not-found")
    return request


async def _request_to_change(session: AsyncSession, request_id: int) -> Request:
    """`get_request` for a change the resident is told of (`get_with_person`)."""
    request = await get_with_person(session, Request, request_id, Request.resident_id)
    if request is None:
        raise NotFound("request-not-found")
    return request


async def find_by_label(session: AsyncSession, community_id: int, label: str) -> Request:
    parsed = parse_label(label)
    if parsed is None:
        raise InvalidInput("request-bad-number", text=label)
    kind, number = parsed
    request = await session.scalar(
        select(Request).where(
            Request.community_id == community_id, Request.kind == kind, Request.number == number
        )
    )
    if request is None:
        raise NotFound("request-no-such-number", label=label.strip().upper())
    return request


INSERT_EVENT = insert(RequestEvent.__table__)  # takes `event_row`s, one or several


def event_row(
    request: Request,
    actor_id: int | None,
    action: str,
    from_status: str | None,
    note: str | None = None,
    to_status: RequestStatus | None = None,
) -> dict[str, object]:
    return {
        "request_id": request.id, "actor_id": actor_id, "action": action,
        "from_status": from_status, "to_status": (to_status or request.status).value,
        "note": note,
    }  # fmt: skip


async def record_event(
    session: AsyncSession,
    request: Request,
    actor_id: int | None,
    action: str,
    from_status: str | None,
    note: str | None = None,
) -> None:
    """A step in the request's trail: one insert, without the ORM's unit of work (every
    transition writes one, and the unit of work took twice the time of the insert)."""
    await session.execute(INSERT_EVENT, event_row(request, actor_id, action, from_status, note))


_REQUESTS = Request.__table__
_EVENTS = RequestEvent.__table__
# What it sets comes from the parameters given; Core on the table, built once (the ORM's
# bulk-update path built it anew at every call).
_CHANGE_IF_UNCHANGED = update(_REQUESTS).where(
    _REQUESTS.c.id == bindparam("of_request"), _REQUESTS.c.version == bindparam("read_version")
)


@functools.cache
def _change_and_record(columns: tuple[str, ...]) -> Insert:
    """On PostgreSQL: the compare-and-set and its trail entry in one statement, the entry
    written only from the row changed (so the insert's row count says whether it was). One
    statement per set of columns a transition changes, built once."""
    changed = (
        _CHANGE_IF_UNCHANGED.values(
            {name: bindparam(f"set_{name}", type_=_REQUESTS.c[name].type) for name in columns}
        )
        .returning(_REQUESTS.c.id)
        .cte("changed")
    )
    fields = ("actor_id", "action", "from_status", "to_status", "note", "at")
    entry = [bindparam(f"event_{name}", type_=_EVENTS.c[name].type) for name in fields]
    return insert(_EVENTS).from_select(["request_id", *fields], select(changed.c.id, *entry))


async def transition(
    session: AsyncSession,
    request: Request,
    allowed_from: tuple[RequestStatus, ...],
    actor_id: int | None,
    action: str,
    note: str | None = None,
    **values: object,
) -> None:
    """Compare-and-set: change the request only if nobody changed it since it was read, and
    add the step to its trail."""
    if request.status not in allowed_from:
        raise InvalidState(_stale_reason(request), label=request_label(request))
    from_status = request.status.value
    now = utcnow()
    changes = {"version": request.version + 1, "updated_at": now, **values}
    to_status = RequestStatus(changes.get("status", request.status))
    entry = event_row(request, actor_id, action, from_status, note, to_status) | {"at": now}
    which = {"of_request": request.id, "read_version": request.version}
    in_one = session.bind.dialect.name == "postgresql"
    if in_one:
        result = await session.execute(_change_and_record(tuple(changes)), {
            **which, **{f"set_{name}": value for name, value in changes.items()},
            **{f"event_{name}": value for name, value in entry.items() if name != "request_id"},
        })  # fmt: skip
    else:
        result = await session.execute(_CHANGE_IF_UNCHANGED, {**changes, **which})
    if result.rowcount != 1:
        await session.refresh(request)
        raise InvalidState(_stale_reason(request), label=request_label(request))
    for name, value in changes.items():  # the row now holds exactly these: no need to reload
        set_committed_value(request, name, value)
    if not in_one:
        await session.execute(INSERT_EVENT, entry)


def _stale_reason(request: Request) -> str:
    if request.status in (RequestStatus.CLAIMED, RequestStatus.IN_PROGRESS):
        return "request-already-claimed"
    if request.status in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
        return "request-already-resolved"
    if request.status in (RequestStatus.REJECTED, RequestStatus.MERGED):
        return "request-already-closed"
    return "error-stale"


# --- the team's card --------------------------------------------------------------


def card_to_team(
    session: AsyncSession, request: Request, route: Route, level: RoutingLevel, why: str,
    reason: str | None = None, dedup_key: str | None = None,
) -> int | None:  # fmt: skip
    """Send the request's card to its team's chat at `level`, saying why it came (and the
    reason given); the chat it went to, or None when no chat takes it."""
    chat_id = team_chat(route, request, level)
    if chat_id:
        args = {"why": why, "reason": reason} if reason else {"why": why}
        emit(session, Notice("card", request_id=request.id, chat_id=chat_id, args=args,
                             dedup_key=dedup_key))  # fmt: skip
    return chat_id


# --- who may act ---------------------------------------------------------------------


def _is_staff_for(member: Member, route: Route) -> bool:
    return (
        member.is_leader_of(route.micro_grid.id)
        or member.is_worker_of(route.grid.id)
        or member.is_admin_of(route.community.id)
    )


def _may_claim(member: Member, request: Request, route: Route) -> bool:
    if request.kind == RequestKind.WISH:
        if request.resident_id == member.user.id:
            return False
        volunteer = any(
            r.role == Role.VOLUNTEER
            and r.community_id == route.community.id
            and r.micro_grid_id in (None, route.micro_grid.id)
            for r in member.roles
        )
        return volunteer or _is_staff_for(member, route)
    return _is_staff_for(member, route)


async def may_see_team_card(session: AsyncSession, member: Member, request: Request) -> bool:
    """Whoever may claim a request may see it as its team does (without the resident's
    private details), also once it is claimed or done."""
    return _may_claim(member, request, await route_of(session, request))


def _require_claimer(member: Member, request: Request) -> None:
    if request.claimed_by_id != member.user.id:
        raise NotAllowed("request-not-your-task")


# --- working on a request ---------------------------------------------------------------


async def claim(session: AsyncSession, member: Member, request_id: int) -> Request:
    request = await _request_to_change(session, request_id)
    route = await route_of(session, request)
    if not _may_claim(member, request, route):
        key = (
            "request-claim-wish-not-allowed"
            if request.kind == RequestKind.WISH
            else ("request-claim-not-allowed")
        )
        raise NotAllowed(key, micro_grid=route.micro_grid.name)
    from models.party.wishes import check_window  # the party feature builds on this module

    await check_window(session, member, request)
    if request.status != RequestStatus.ROUTED:
        raise InvalidState(
            _stale_reason(request),
            label=request_label(request),
            by=await _claimer_name(session, request),
        )
    try:
        await transition(
            session,
            request,
            (RequestStatus.ROUTED,),
            member.user.id,
            "claim",
            status=RequestStatus.CLAIMED,
            claimed_by_id=member.user.id,
            claimed_at=utcnow(),
        )
    except InvalidState as lost:
        lost.args_for_message["by"] = await _claimer_name(session, request)
        raise
    _announce(session, request, "claimed")
    emit(
        session,
        Notice(
            "claimer-card",
            request_id=request.id,
            user_id=member.user.id,
            chat_id=team_chat(route, request, request.escalation_level),
        ),
    )
    return request


async def _claimer_name(session: AsyncSession, request: Request) -> str:
    if request.claimed_by_id is None:
        return "-"
    user = await session.get(User, request.claimed_by_id)
    return user.full_name if user and user.full_name else "-"


def tell_resident(session: AsyncSession, request: Request, action: str, **args: object) -> None:
    """The resident hears, in private, what became of their request."""
    emit(session, Notice("resident-status", request_id=request.id, user_id=request.resident_id,
                         args={"action": action, **args}))  # fmt: skip


def _announce(session: AsyncSession, request: Request, action: str, **args: object) -> None:
    emit(session, Notice("refresh-cards", request_id=request.id))
    tell_resident(session, request, action, **args)


async def start_work(session: AsyncSession, member: Member, request_id: int) -> Request:
    request = await _request_to_change(session, request_id)
    _require_claimer(member, request)
    await transition(
        session,
        request,
        (RequestStatus.CLAIMED,),
        member.user.id,
        "start",
        status=RequestStatus.IN_PROGRESS,
    )
    _announce(session, request, "in_progress")
    return request


async def resolve(
    session: AsyncSession,
    member: Member,
    request_id: int,
    note: str | None = None,
    photo_file_id: str | None = None,
) -> Request:
    request = await _request_to_change(session, request_id)
    _require_claimer(member, request)
    cleaned = clean_text(note, NOTE_MAX, "request-note-empty") if note else None
    await transition(
        session,
        request,
        (RequestStatus.CLAIMED, RequestStatus.IN_PROGRESS),
        member.user.id,
        "resolve",
        note=cleaned,
        status=RequestStatus.RESOLVED,
        resolved_at=utcnow(),
    )
    _announce(session, request, "resolved", note=cleaned or "", photo=photo_file_id or "")
    kind = "wish-confirm-ask" if request.kind == RequestKind.WISH else "rate-ask"
    emit(session, Notice(kind, request_id=request.id, user_id=request.resident_id))
    return request


async def hand_back(session: AsyncSession, member: Member, request_id: int) -> Request:
    request = await _request_to_change(session, request_id)
    _require_claimer(member, request)
    await transition(
        session,
        request,
        (RequestStatus.CLAIMED, RequestStatus.IN_PROGRESS),
        member.user.id,
        "hand_back",
        status=RequestStatus.ROUTED,
        claimed_by_id=None,
        claimed_at=None,
    )
    _announce(session, request, "handed_back")
    return request


async def reject(session: AsyncSession, member: Member, request_id: int, reason: str) -> Request:
    request = await _request_to_change(session, request_id)
    route = await route_of(session, request)
    if not (_is_staff_for(member, route) or request.claimed_by_id == member.user.id):
        raise NotAllowed("request-staff-only")
    cleaned = clean_text(reason, NOTE_MAX, "request-reason-empty")
    await transition(
        session,
        request,
        (RequestStatus.SUBMITTED, *OPEN),
        member.user.id,
        "reject",
        note=cleaned,
        status=RequestStatus.REJECTED,
        closed_at=utcnow(),
    )
    _announce(session, request, "rejected", reason=cleaned)
    return request


async def escalate(
    session: AsyncSession,
    member: Member | None,
    request_id: int,
    reason: str | None,
    now: datetime | None = None,
) -> Request:
    """Move a request one level up (micro-grid → grid → community). `member` is None when
    the deadline job escalates; the new level gets fresh deadlines from `now`."""
    request = await _request_to_change(session, request_id)
    route = await route_of(session, request)
    if member is not None and not (
        _is_staff_for(member, route) or request.claimed_by_id == member.user.id
    ):
        raise NotAllowed("request-staff-only")
    if request.escalation_level == RoutingLevel.COMMUNITY:
        raise InvalidState("request-at-top", label=request_label(request))
    if member is None and not is_overdue(request, now or utcnow()):
        raise InvalidState("error-stale")  # claimed or resolved since it was found overdue
    level = LEVELS[LEVELS.index(request.escalation_level) + 1]
    claim_deadline, resolve_deadline = await deadlines(session, request, now or utcnow())
    cleaned = clean_text(reason, NOTE_MAX, "request-reason-empty") if reason else None
    await transition(
        session,
        request,
        OPEN,
        member.user.id if member else None,
        "escalate",
        note=cleaned or ("overdue" if member is None else None),
        escalation_level=level,
        claim_deadline=claim_deadline,
        resolve_deadline=resolve_deadline,
    )
    card_to_team(session, request, route, level, "escalated", cleaned,
                 dedup_key=f"escalate:{request.id}:{level.value}")  # fmt: skip
    _announce(session, request, "escalated")
    return request


async def reassign(
    session: AsyncSession, member: Member, request_id: int, micro_grid_id: int
) -> Request:
    """A grid worker or admin sends a request to another micro-grid of the community."""
    request = await _request_to_change(session, request_id)
    route = await route_of(session, request)
    if not (member.is_worker_of(route.grid.id) or member.is_admin_of(route.community.id)):
        raise NotAllowed("request-reassign-not-allowed")
    target = await session.get(MicroGrid, micro_grid_id)
    if target is None or target.community_id != request.community_id:
        raise NotFound("request-micro-grid-gone")
    await transition(
        session,
        request,
        OPEN,
        member.user.id,
        "reassign",
        note=target.name,
        status=RequestStatus.ROUTED,
        micro_grid_id=target.id,
        claimed_by_id=None,
        claimed_at=None,
        escalation_level=RoutingLevel.MICRO_GRID,
    )
    new_route = await route_of(session, request)
    card_to_team(session, request, new_route, RoutingLevel.MICRO_GRID, "reassigned")
    _announce(session, request, "reassigned")
    return request


async def merge_candidates(
    session: AsyncSession, member: Member, request_id: int, limit: int = 8
) -> list[Request]:
    """Open requests of the same micro-grid a report may repeat, same category first."""
    request = await get_request(session, request_id)
    route = await route_of(session, request)
    if not _is_staff_for(member, route):
        raise NotAllowed("request-staff-only")
    query = (
        select(Request)
        .where(
            Request.id != request.id,
            Request.micro_grid_id == request.micro_grid_id,
            Request.kind == request.kind,
            Request.status.in_(OPEN),
        )
        .order_by((Request.category_id == request.category_id).desc(), Request.id.desc())
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def merge(
    session: AsyncSession,
    member: Member,
    request_id: int,
    into_label: str | None = None,
    into_id: int | None = None,
) -> Request:
    """Leaders merge a request into another open one of the same community."""
    request = await _request_to_change(session, request_id)
    route = await route_of(session, request)
    if not _is_staff_for(member, route):
        raise NotAllowed("request-staff-only")
    if into_id is not None:
        target = await get_request(session, into_id)
    else:
        target = await find_by_label(session, request.community_id, into_label or "")
    if target.community_id != request.community_id:
        raise NotFound("request-not-found")
    if target.id == request.id or target.status not in OPEN:
        raise InvalidInput("request-merge-target-invalid", label=request_label(target))
    expected = (RequestStatus.SUBMITTED, *OPEN)
    await close_as_repeat(session, request, target, member.user.id, expected)
    _announce(session, request, "merged", into=request_label(target))
    return target


async def close_as_repeat(
    session: AsyncSession,
    request: Request,
    of: Request,
    actor_id: int,
    expected: tuple[RequestStatus, ...],
) -> None:
    """Close the request as a repeat of `of` (a transition from one of `expected`)."""
    await transition(
        session, request, expected, actor_id, "merge", note=request_label(of),
        status=RequestStatus.MERGED, duplicate_of_id=of.id, closed_at=utcnow(),
    )  # fmt: skip
