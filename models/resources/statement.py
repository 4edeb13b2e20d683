"""What the fund shows in the open: a month's donations and uses, and the year's ledger an
auditor reconciles (opening balance, every entry with its approvals, closing balance)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.members import User
from models.resources.tables import (
    Approval,
    Disbursement,
    DisbursementStatus,
    Donation,
    FundEntry,
    Project,
)


@dataclass
class FundMonth:
    balance: int  # at the end of the period
    donations: list[Donation] = field(default_factory=list)
    paid: list[Disbursement] = field(default_factory=list)
    projects: dict[int, Project] = field(default_factory=dict)  # paid for in the period

    @property
    def money_by_type(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for d in self.donations:
            if d.goods is None:
                counts[d.type.value] += d.amount
        return counts

    @property
    def goods(self) -> list[Donation]:
        return [d for d in self.donations if d.goods is not None]

    @property
    def paid_by_use(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for d in self.paid:
            counts[d.use.value] += d.amount
        return counts

    @property
    def empty(self) -> bool:
        return not self.donations and not self.paid


async def balance_at(session: AsyncSession, community_id: int, moment: datetime) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(FundEntry.amount), 0)).where(
            FundEntry.community_id == community_id, FundEntry.at < moment
        )
    )
    return int(total or 0)


async def fund_month(
    session: AsyncSession, community_id: int, start: datetime, end: datetime
) -> FundMonth:
    donations = await session.scalars(
        select(Donation)
        .where(Donation.community_id == community_id, Donation.at >= start, Donation.at < end)
        .order_by(Donation.number)
    )
    paid = await session.scalars(
        select(Disbursement)
        .where(Disbursement.community_id == community_id,
               Disbursement.status == DisbursementStatus.PAID,
               Disbursement.closed_at >= start, Disbursement.closed_at < end)
        .order_by(Disbursement.number)
    )
    month = FundMonth(await balance_at(session, community_id, end), list(donations), list(paid))
    ids = {d.project_id for d in month.paid if d.project_id}
    if ids:
        projects = await session.scalars(select(Project).where(Project.id.in_(ids)))
        month.projects = {p.id: p for p in projects}
    return month


@dataclass
class LedgerLine:
    entry: FundEntry
    donation: Donation | None
    disbursement: Disbursement | None
    approvers: list[str]  # board members' names, in the order they approved


@dataclass
class FundYear:
    opening: int
    lines: list[LedgerLine]
    closing: int
    projects: dict[int, Project]


async def fund_year(
    session: AsyncSession, community_id: int, start: datetime, end: datetime
) -> FundYear:
    entries = list(await session.scalars(
        select(FundEntry)
        .where(FundEntry.community_id == community_id, FundEntry.at >= start, FundEntry.at < end)
        .order_by(FundEntry.at, FundEntry.id)
    ))  # fmt: skip
    donation_ids = {e.donation_id for e in entries if e.donation_id}
    disbursement_ids = {e.disbursement_id for e in entries if e.disbursement_id}
    donations = {d.id: d for d in await session.scalars(
        select(Donation).where(Donation.id.in_(donation_ids)))}  # fmt: skip
    disbursements = {d.id: d for d in await session.scalars(
        select(Disbursement).where(Disbursement.id.in_(disbursement_ids)))}  # fmt: skip
    approvers: dict[int, list[str]] = {}
    rows = await session.execute(
        select(Approval.disbursement_id, User.full_name, User.telegram_id)
        .join(User, User.id == Approval.user_id)
        .where(Approval.disbursement_id.in_(disbursements))
        .order_by(Approval.id)
    )
    for disbursement_id, name, telegram_id in rows.all():
        approvers.setdefault(disbursement_id, []).append(name or str(telegram_id))
    projects = {p.id: p for p in await session.scalars(
        select(Project).where(Project.community_id == community_id))}  # fmt: skip
    lines = [
        LedgerLine(e, donations.get(e.donation_id or 0), disbursements.get(e.disbursement_id or 0),
                   approvers.get(e.disbursement_id or 0, []))
        for e in entries
    ]  # fmt: skip
    opening = await balance_at(session, community_id, start)
    closing = opening + sum(e.amount for e in entries)
    return FundYear(opening, lines, closing, projects)

