"""What a partner unit is told each month about its in-service party members (报到情况):
per member, services and hours, wishes fulfilled, requests resolved, points earned and
pledges kept, including the members who did nothing that month."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.checkins import Checkin, CheckinStatus
from models.members import User
from models.party.tables import (
    MembershipKind,
    MembershipStatus,
    PartnerUnit,
    PartyMember,
    Pledge,
    PledgeLink,
)
from models.points.tables import LedgerEntry
from models.requests.tables import Request, RequestKind, RequestStatus


@dataclass
class MemberMonth:
    name: str
    services: int
    minutes: int
    wishes: int
    requests: int
    points: int
    pledges_kept: int

    @property
    def idle(self) -> bool:
        return not (self.services or self.wishes or self.requests or self.points
                    or self.pledges_kept)  # fmt: skip


@dataclass
class UnitMonth:
    unit: PartnerUnit
    members: list[MemberMonth]

    @property
    def idle(self) -> list[str]:
        return [m.name for m in self.members if m.idle]


async def _count(session: AsyncSession, query) -> int:  # type: ignore[no-untyped-def]
    return int(await session.scalar(query) or 0)


async def member_month(
    session: AsyncSession, user: User, community_id: int, start: datetime, end: datetime
) -> MemberMonth:
    stamped = (
        Checkin.user_id == user.id, Checkin.community_id == community_id,
        Checkin.status == CheckinStatus.APPROVED, Checkin.reviewed_at >= start,
        Checkin.reviewed_at < end,
    )  # fmt: skip
    services = await _count(session, select(func.count(Checkin.id)).where(*stamped))
    minutes = await _count(session, select(func.sum(Checkin.minutes)).where(*stamped))
    wishes = await _count(session, select(func.count(Request.id)).where(
        Request.claimed_by_id == user.id, Request.kind == RequestKind.WISH,
        Request.community_id == community_id, Request.status == RequestStatus.CLOSED,
        Request.closed_at >= start, Request.closed_at < end))  # fmt: skip
    requests = await _count(session, select(func.count(Request.id)).where(
        Request.claimed_by_id == user.id, Request.kind == RequestKind.REPORT,
        Request.community_id == community_id,
        Request.status.in_((RequestStatus.RESOLVED, RequestStatus.CLOSED)),
        Request.resolved_at >= start, Request.resolved_at < end))  # fmt: skip
    points = await _count(session, select(func.sum(LedgerEntry.amount)).where(
        LedgerEntry.user_id == user.id, LedgerEntry.community_id == community_id,
        LedgerEntry.amount > 0, LedgerEntry.created_at >= start,
        LedgerEntry.created_at < end))  # fmt: skip
    kept = await _count(session, select(func.count(func.distinct(Pledge.id)))
                        .join(PledgeLink, PledgeLink.pledge_id == Pledge.id)
                        .where(Pledge.user_id == user.id, PledgeLink.at >= start,
                               PledgeLink.at < end))  # fmt: skip
    return MemberMonth(user.full_name or "-", services, minutes, wishes, requests, points, kept)


async def unit_months(
    session: AsyncSession, community_id: int, start: datetime, end: datetime
) -> list[UnitMonth]:
    """Every partner unit of the community with the month of each of its confirmed
    in-service members (confirmed before the month ended)."""
    units = (await session.scalars(
        select(PartnerUnit).where(PartnerUnit.community_id == community_id)
        .order_by(PartnerUnit.id)
    )).all()  # fmt: skip
    months = []
    for unit in units:
        users = (await session.scalars(
            select(User).join(PartyMember, PartyMember.user_id == User.id)
            .where(PartyMember.unit_id == unit.id,
                   PartyMember.kind == MembershipKind.IN_SERVICE,
                   PartyMember.status == MembershipStatus.CONFIRMED,
                   PartyMember.confirmed_at < end)
            .order_by(User.id)
        )).all()  # fmt: skip
        members = [await member_month(session, user, community_id, start, end) for user in users]
        months.append(UnitMonth(unit, members))
    return months
