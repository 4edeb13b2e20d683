"""Pledges (承诺践行): a confirmed member records what they pledge for the year, links the
stamped services and fulfilled wishes that keep each pledge, and sees their progress."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.checkins import Checkin, CheckinStatus
from models.errors import InvalidState, NotAllowed, NotFound
from models.members import Member, User
from models.party.membership import membership_of
from models.party.tables import MembershipStatus, PartyMember, Pledge, PledgeLink
from models.requests.tables import Request, RequestKind, RequestStatus
from models.requests.workflow import clean_text, request_label
from models.structure import Community

PLEDGE_MAX = 200
PLEDGES_PER_YEAR = 10
CHECKIN, REQUEST = "checkin", "request"


async def _confirmed(session: AsyncSession, member: Member) -> PartyMember:
    membership = await membership_of(session, member.user.id)
    if membership is None or membership.status != MembershipStatus.CONFIRMED:
        raise NotAllowed("party-members-only")
    return membership


async def _year(session: AsyncSession, community_id: int) -> int:
    community = await session.get(Community, community_id)
    assert community is not None
    return utcnow().astimezone(ZoneInfo(community.timezone)).year


async def make_pledge(session: AsyncSession, member: Member, text: str | None) -> Pledge:
    membership = await _confirmed(session, member)
    cleaned = clean_text(text, PLEDGE_MAX, "party-pledge-empty")
    year = await _year(session, membership.community_id)
    count = await session.scalar(
        select(func.count(Pledge.id)).where(Pledge.user_id == member.user.id, Pledge.year == year)
    )
    if (count or 0) >= PLEDGES_PER_YEAR:
        raise InvalidState("party-pledge-too-many", max=PLEDGES_PER_YEAR)
    pledge = Pledge(user_id=member.user.id, community_id=membership.community_id, year=year,
                    text=cleaned)  # fmt: skip
    session.add(pledge)
    await session.flush()
    return pledge


@dataclass
class PledgeProgress:
    pledge: Pledge
    kept: list[str]  # what keeps it: service descriptions and wish labels


async def my_pledges(session: AsyncSession, member: Member) -> list[PledgeProgress]:
    membership = await _confirmed(session, member)
    year = await _year(session, membership.community_id)
    pledges = (await session.scalars(
        select(Pledge).where(Pledge.user_id == member.user.id, Pledge.year == year)
        .order_by(Pledge.id)
    )).all()  # fmt: skip
    progress = []
    for pledge in pledges:
        links = (await session.scalars(
            select(PledgeLink).where(PledgeLink.pledge_id == pledge.id).order_by(PledgeLink.id)
        )).all()  # fmt: skip
        progress.append(PledgeProgress(pledge, [await _describe(session, link) for link in links]))
    return progress


async def _describe(session: AsyncSession, link: PledgeLink) -> str:
    if link.ref_type == CHECKIN:
        checkin = await session.get(Checkin, link.ref_id)
        return checkin.description if checkin else "-"
    request = await session.get(Request, link.ref_id)
    return request_label(request) if request else "-"


@dataclass
class Fulfilment:
    ref_type: str
    ref_id: int
    title: str


async def open_fulfilments(session: AsyncSession, member: Member) -> list[Fulfilment]:
    """The member's stamped services and claimed wishes not yet linked to any pledge."""
    await _confirmed(session, member)
    linked = select(PledgeLink.ref_id).where(PledgeLink.ref_type == CHECKIN)
    checkins = (await session.scalars(
        select(Checkin).where(Checkin.user_id == member.user.id,
                              Checkin.status == CheckinStatus.APPROVED,
                              Checkin.id.not_in(linked))
        .order_by(Checkin.id.desc()).limit(8)
    )).all()  # fmt: skip
    linked_requests = select(PledgeLink.ref_id).where(PledgeLink.ref_type == REQUEST)
    wishes = (await session.scalars(
        select(Request).where(Request.claimed_by_id == member.user.id,
                              Request.kind == RequestKind.WISH,
                              Request.status.in_(_CLAIMED), Request.id.not_in(linked_requests))
        .order_by(Request.id.desc()).limit(8)
    )).all()  # fmt: skip
    return [Fulfilment(CHECKIN, c.id, c.description) for c in checkins] + [
        Fulfilment(REQUEST, w.id, f"{request_label(w)} {w.text}") for w in wishes
    ]


_CLAIMED = (RequestStatus.CLAIMED, RequestStatus.IN_PROGRESS, RequestStatus.RESOLVED,
            RequestStatus.CLOSED)  # fmt: skip


async def link(
    session: AsyncSession, member: Member, pledge_id: int, ref_type: str, ref_id: int
) -> Pledge:
    """Link one of the member's own stamped services or claimed wishes to one of their
    pledges; a service or wish keeps one pledge only (the ids come from buttons)."""
    await _confirmed(session, member)
    pledge = await session.get(Pledge, pledge_id)
    if pledge is None or pledge.user_id != member.user.id:
        raise NotFound("party-pledge-gone")
    if ref_type == CHECKIN:
        checkin = await session.get(Checkin, ref_id)
        if checkin is None or checkin.user_id != member.user.id:
            raise NotFound("party-pledge-link-gone")
        if checkin.status != CheckinStatus.APPROVED:
            raise InvalidState("party-pledge-not-stamped")
    elif ref_type == REQUEST:
        request = await session.get(Request, ref_id)
        if (request is None or request.claimed_by_id != member.user.id
                or request.kind != RequestKind.WISH or request.status not in _CLAIMED):  # fmt: skip
            raise NotFound("party-pledge-link-gone")
    else:
        raise NotFound("party-pledge-link-gone")
    try:
        async with session.begin_nested():
            session.add(PledgeLink(pledge_id=pledge.id, ref_type=ref_type, ref_id=ref_id))
    except IntegrityError:
        raise InvalidState("party-pledge-linked-already") from None
    return pledge


async def pledge_keepers(
    session: AsyncSession, community_id: int, year: int
) -> list[tuple[str, int]]:
    """Members who kept every pledge they made for the year: (name, pledges kept)."""
    rows = (await session.execute(
        select(User.full_name, Pledge.id, func.count(PledgeLink.id))
        .join(User, User.id == Pledge.user_id)
        .join(PartyMember, PartyMember.user_id == Pledge.user_id)
        .outerjoin(PledgeLink, PledgeLink.pledge_id == Pledge.id)
        .where(Pledge.community_id == community_id, Pledge.year == year,
               PartyMember.status == MembershipStatus.CONFIRMED)
        .group_by(User.id, User.full_name, Pledge.id)
        .order_by(User.id, Pledge.id)
    )).all()  # fmt: skip
    kept: dict[str, list[bool]] = {}
    for name, _pledge_id, links in rows:
        kept.setdefault(name or "-", []).append(links > 0)
    return [(name, len(flags)) for name, flags in kept.items() if all(flags)]

