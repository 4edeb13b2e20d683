"""Wishes offered to party members first (党员优先): for the first hours only confirmed party
members of the wish's micro-grid may claim it, and each of them is told once in private."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import SessionTransaction

from models.base import PinningSession, utcnow
from models.errors import InvalidState, NotAllowed, NotFound
from models.members import Member
from models.notices import Notice, emit
from models.party.tables import MembershipStatus, PartyMember, PartyWish
from models.requests.routing import route_of
from models.requests.tables import Request, RequestKind, RequestStatus
from models.requests.workflow import find_by_label, request_label
from models.structure import Community

DEFAULT_PRIORITY_HOURS = 24.0
# session.info key: each request's party window as this session knows it (None: it has none),
# so an update that draws a wish several times asks once; offer_first keeps it current.
_WINDOWS = "party-windows"


async def _window_row(session: AsyncSession, request_id: int) -> PartyWish | None:
    known: dict[int, PartyWish | None] = session.info.setdefault(_WINDOWS, {})
    if request_id not in known:
        known[request_id] = await session.get(PartyWish, request_id)
    return known[request_id]


@event.listens_for(PinningSession, "after_transaction_end")
def _forget_windows(session: PinningSession, transaction: SessionTransaction) -> None:
    # another transaction may see other rows, a savepoint's rollback undoes its own; a flush's
    # inner transaction changes nothing the session did not already know
    if transaction.parent is None or transaction.nested:
        session.info.pop(_WINDOWS, None)


def party_settings(community: Community) -> dict[str, object]:
    return dict((community.settings or {}).get("party") or {})


def priority_hours(community: Community) -> float:
    return float(party_settings(community).get("priority_hours") or DEFAULT_PRIORITY_HOURS)


async def offer_first(
    session: AsyncSession, request: Request, marked_by: int | None = None,
    now: datetime | None = None,
) -> PartyWish | None:  # fmt: skip
    """Start a wish's party window, once: the row is inserted only if absent, and only then
    are the micro-grid's confirmed members told, so a wish is offered at most once."""
    community = await session.get(Community, request.community_id)
    assert community is not None
    now = now or utcnow()
    until = now + timedelta(hours=priority_hours(community))
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    inserted = await session.execute(
        insert(PartyWish)
        .values(request_id=request.id, until=until, marked_by_id=marked_by, created_at=now)
        .on_conflict_do_nothing()
    )
    session.info.get(_WINDOWS, {}).pop(request.id, None)
    if inserted.rowcount != 1:
        return None
    members = await session.scalars(
        select(PartyMember.user_id).where(
            PartyMember.micro_grid_id == request.micro_grid_id,
            PartyMember.status == MembershipStatus.CONFIRMED,
            PartyMember.user_id != request.resident_id,
        )
    )
    for user_id in members.all():
        emit(session, Notice("copy", user_id=user_id, request_id=None, args={
            "kind": "request", "id": request.id, "variant": "party-offer"},
            dedup_key=f"party-offer:{request.id}:{user_id}"))  # fmt: skip
    return await _window_row(session, request.id)


async def wish_routed(session: AsyncSession, request: Request) -> None:
    """A new wish: offered to party members first when the community does so by default."""
    community = await session.get(Community, request.community_id)
    assert community is not None
    if request.kind == RequestKind.WISH and party_settings(community).get("wishes_first"):
        await offer_first(session, request)


async def mark_first(session: AsyncSession, member: Member, label: str) -> PartyWish:
    """Staff of a wish's area (its micro-grid's leaders, its grid's workers, the community's
    admins) offer an open wish to party members first (`/partyfirst W-0003`)."""
    communities = sorted({r.community_id for r in member.roles})
    if not communities:
        raise NotAllowed("party-staff-only")
    for community_id in communities:
        try:
            request = await find_by_label(session, community_id, label)
        except NotFound:
            continue
        route = await route_of(session, request)
        if not (member.is_leader_of(route.micro_grid.id) or member.is_worker_of(route.grid.id)
                or member.is_admin_of(community_id)):  # fmt: skip
            raise NotAllowed("party-staff-only")
        if request.kind != RequestKind.WISH:
            raise InvalidState("party-first-wishes-only", label=request_label(request))
        if request.status != RequestStatus.ROUTED:
            raise InvalidState("party-first-not-open", label=request_label(request))
        wish = await offer_first(session, request, marked_by=member.user.id)
        if wish is None:
            raise InvalidState("party-first-already", label=request_label(request))
        return wish
    raise NotFound("request-no-such-number", label=label.strip().upper())


async def check_window(session: AsyncSession, member: Member, request: Request) -> None:
    """Refuse a claim during a wish's party window from anyone who is not a confirmed party
    member of its micro-grid (called by the request loop's claim)."""
    if request.kind != RequestKind.WISH:
        return
    wish = await _window_row(session, request.id)
    if wish is None or wish.until <= utcnow():
        return
    membership = await session.scalar(
        select(PartyMember).where(PartyMember.user_id == member.user.id)
    )
    community = await session.get(Community, request.community_id)
    assert community is not None
    until = wish.until.astimezone(ZoneInfo(community.timezone)).strftime("%m-%d %H:%M")
    if membership is None or membership.status != MembershipStatus.CONFIRMED:
        raise NotAllowed("party-first-members-only", label=request_label(request), until=until)
    if membership.micro_grid_id != request.micro_grid_id:
        raise NotAllowed("party-first-other-grid", label=request_label(request), until=until)


async def window_of(session: AsyncSession, request_id: int) -> datetime | None:
    """Until when a wish is offered to party members only (None: it is not, or no longer)."""
    wish = await _window_row(session, request_id)
    return wish.until if wish is not None and wish.until > utcnow() else None
