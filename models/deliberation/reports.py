"""Deliberation figures for the rhythm's reports and the archive: overdue screenings, a month's
counts, and one row per proposal with every step for the XLSX export."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.deliberation.tables import (
    Proposal,
    ProposalEvent,
    ProposalObjection,
    ProposalOption,
    ProposalStatus,
)
from models.deliberation.workflow import proposal_label, tasks_of
from models.requests.workflow import request_label


async def overdue_unscreened(
    session: AsyncSession, community_id: int, now: datetime
) -> list[Proposal]:
    """Proposals of a community past their screening time with no answer yet."""
    query = select(Proposal).where(
        Proposal.community_id == community_id,
        Proposal.status == ProposalStatus.SUBMITTED,
        Proposal.screening_due_at <= now,
    )
    return list((await session.scalars(query.order_by(Proposal.number))).all())


@dataclass
class MonthFigures:
    received: int
    answered_in_time: int
    voted: int
    passed: int
    implemented: int

    @property
    def empty(self) -> bool:
        return not (self.received or self.voted or self.implemented)


async def month_figures(
    session: AsyncSession, community_id: int, start: datetime, end: datetime
) -> MonthFigures:
    """Proposals received in the period and of those answered within the screening time;
    votes closed, passed and proposals implemented in the period."""

    def count(*where: Any) -> Any:
        return select(func.count()).where(Proposal.community_id == community_id, *where)

    received = and_(Proposal.created_at >= start, Proposal.created_at < end)
    closed = and_(Proposal.closed_at >= start, Proposal.closed_at < end)
    passed = Proposal.status.in_((ProposalStatus.PASSED, ProposalStatus.IMPLEMENTED))
    return MonthFigures(
        received=await session.scalar(count(received)) or 0,
        answered_in_time=await session.scalar(
            count(received, Proposal.screened_at <= Proposal.screening_due_at)
        ) or 0,
        voted=await session.scalar(count(closed)) or 0,
        passed=await session.scalar(count(closed, passed)) or 0,
        implemented=await session.scalar(
            count(Proposal.implemented_at >= start, Proposal.implemented_at < end)
        ) or 0,
    )  # fmt: skip


ARCHIVE_COLUMNS = (
    "number", "title", "text", "scope", "track", "status", "seconds", "submitted",
    "screened", "screened by", "decline reason", "merged into", "options", "vote opened",
    "vote closed", "closed by", "tallies", "voters", "eligible", "turnout %", "passed",
    "objections", "tasks", "implemented", "steps",
)  # fmt: skip


def _day(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


async def archive_rows(
    session: AsyncSession, community_id: int, start: datetime | None, end: datetime | None
) -> list[list[Any]]:
    """One row per proposal of the community (submitted in [start, end) when given): every
    step with its date and the role of who took it; never a resident's name."""
    query = select(Proposal).where(Proposal.community_id == community_id)
    if start is not None and end is not None:
        query = query.where(Proposal.created_at >= start, Proposal.created_at < end)
    proposals = (await session.scalars(query.order_by(Proposal.number))).all()
    labels = {p.id: proposal_label(p) for p in proposals}
    rows: list[list[Any]] = []
    for p in proposals:
        events = (await session.scalars(
            select(ProposalEvent).where(ProposalEvent.proposal_id == p.id)
            .order_by(ProposalEvent.at, ProposalEvent.id)
        )).all()  # fmt: skip
        roles = {e.action: e.actor_role for e in events}
        options = (await session.scalars(
            select(ProposalOption).where(ProposalOption.proposal_id == p.id)
            .order_by(ProposalOption.position)
        )).all()  # fmt: skip
        objections = (await session.scalars(
            select(ProposalObjection).where(ProposalObjection.proposal_id == p.id)
            .order_by(ProposalObjection.at)
        )).all()  # fmt: skip
        tasks = await tasks_of(session, p.id)
        result = p.result or {}
        merged_into = labels.get(p.merged_into_id or 0)
        if p.merged_into_id and merged_into is None:
            target = await session.get(Proposal, p.merged_into_id)
            merged_into = proposal_label(target) if target else ""
        rows.append([
            labels[p.id], p.title, p.text, p.scope.value, p.track.value if p.track else "",
            p.status.value, p.seconds, _day(p.created_at), _day(p.screened_at),
            next((roles[a] for a in ("accept", "decline", "merge") if a in roles), ""),
            p.decline_reason or "", merged_into or "",
            "\n".join(f"{o.position}. {o.text}" for o in options), _day(p.vote_opened_at),
            _day(p.closed_at), roles.get("close", ""),
            "; ".join(f"{k}: {v}" for k, v in result.get("counts", {}).items()),
            result.get("voters", ""), result.get("eligible", ""),
            round(100 * result["turnout"], 1) if "turnout" in result else "",
            {True: "yes", False: "no"}.get(result.get("passed"), ""),
            "\n".join(f"{_day(o.at)} {o.text}" for o in objections),
            "\n".join(f"{request_label(r)} {r.status.value}" for r in tasks),
            _day(p.implemented_at),
            "\n".join(f"{_day(e.at)} {e.action} ({e.actor_role})" for e in events),
        ])  # fmt: skip
    return rows
