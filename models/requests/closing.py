"""Closing the loop: the resident rates a resolved report (or reopens it), confirms a wish
came true, and the claimer earns the points for it."""

from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.errors import InvalidInput, InvalidState, NotAllowed
from models.members import Member
from models.notices import Notice, emit
from models.points.ledger import amount_setting, post
from models.points.tables import LedgerReason
from models.requests.routing import deadlines, route_of
from models.requests.tables import Request, RequestStatus, RoutingLevel
from models.requests.workflow import (
    NOTE_MAX,
    card_to_team,
    clean_text,
    get_request,
    request_label,
    transition,
)
from models.structure import Community


async def check_ratable(session: AsyncSession, member: Member, request_id: int) -> Request:
    """Rating buttons stay pressable for ever: only the resident, only while resolved."""
    request = await get_request(session, request_id)
    if request.resident_id != member.user.id:
        raise NotAllowed("request-not-yours")
    if request.status != RequestStatus.RESOLVED:
        raise InvalidState("request-not-ratable", label=request_label(request))
    return request


async def rate(
    session: AsyncSession,
    member: Member,
    request_id: int,
    stars: int,
    satisfied: bool,
    comment: str | None,
) -> Request:
    """The resident rates a resolved report: satisfied closes it, not satisfied reopens it
    to the same micro-grid with the comment attached."""
    request = await get_request(session, request_id)
    if request.resident_id != member.user.id:
        raise NotAllowed("request-not-yours")
    if not 1 <= stars <= 5:
        raise InvalidInput("request-rating-range")
    cleaned = clean_text(comment, NOTE_MAX, "request-note-empty") if comment else None
    note = f"{stars}★ {'satisfied' if satisfied else 'not satisfied'}" + (
        f": {cleaned}" if cleaned else ""
    )
    values: dict[str, object] = {"rating": stars, "satisfied": satisfied, "rating_comment": cleaned}
    if satisfied:
        await transition(
            session,
            request,
            (RequestStatus.RESOLVED,),
            member.user.id,
            "rate",
            note=note,
            status=RequestStatus.CLOSED,
            closed_at=utcnow(),
            **values,
        )
        emit(session, Notice("refresh-cards", request_id=request.id))
        await _reward_claimer(session, request, "task")
        return request
    claim_deadline, resolve_deadline = await deadlines(session, request, utcnow())
    await transition(
        session,
        request,
        (RequestStatus.RESOLVED,),
        member.user.id,
        "reopen",
        note=note,
        status=RequestStatus.ROUTED,
        claimed_by_id=None,
        claimed_at=None,
        resolved_at=None,
        escalation_level=RoutingLevel.MICRO_GRID,
        claim_deadline=claim_deadline,
        resolve_deadline=resolve_deadline,
        **values,
    )
    route = await route_of(session, request)
    card_to_team(session, request, route, RoutingLevel.MICRO_GRID, "reopened", cleaned)
    emit(session, Notice("refresh-cards", request_id=request.id))
    return request


async def confirm_wish(
    session: AsyncSession, member: Member, request_id: int, fulfilled: bool
) -> Request:
    request = await get_request(session, request_id)
    if request.resident_id != member.user.id:
        raise NotAllowed("request-not-yours")
    if fulfilled:
        action, changes = "confirm", {"status": RequestStatus.CLOSED, "closed_at": utcnow(),
                                      "satisfied": True}  # fmt: skip
    else:
        action, changes = "not_fulfilled", {"status": RequestStatus.CLAIMED, "resolved_at": None}
    await transition(
        session, request, (RequestStatus.RESOLVED,), member.user.id, action, **changes
    )
    emit(session, Notice("refresh-cards", request_id=request.id))
    if fulfilled:
        await _reward_claimer(session, request, "wish")
    if request.claimed_by_id:
        told = "confirmed" if fulfilled else "not_fulfilled"
        emit(session, Notice("claimer-status", request_id=request.id,
                             user_id=request.claimed_by_id, args={"action": told}))  # fmt: skip
    return request


async def _reward_claimer(session: AsyncSession, request: Request, kind: str) -> None:
    """Points to whoever resolved a report well or fulfilled a wish, once per request."""
    if request.claimed_by_id is None:
        return
    community = await session.get(Community, request.community_id)
    assert community is not None
    amount = amount_setting(community, kind)
    if amount <= 0:
        return
    posted = await post(
        session, community_id=request.community_id, user_id=request.claimed_by_id,
        amount=amount, reason=LedgerReason.TASK if kind == "task" else LedgerReason.WISH,
        key=f"{kind}:{request.id}", ref_type="request", ref_id=request.id,
        note=request_label(request),
    )  # fmt: skip
    if posted.entry_id is not None:
        emit(session, Notice("points-earned", user_id=request.claimed_by_id,
                             args={"amount": amount, "why": request_label(request),
                                   "balance": posted.balance}))  # fmt: skip
