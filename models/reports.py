"""The numbers behind the rhythm: daily digests, monthly rates and the yearly honour roll.

Rates come from the request event trail: response = first claim within the claim window
after routing; resolution = first resolve within claim + resolve window; satisfaction =
satisfied ratings / ratings.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.checkins import Checkin, CheckinStatus
from models.members import Role, RoleAssignment, User
from models.points import LedgerEntry, LedgerReason
from models.requests import Category, Request, RequestEvent, RequestStatus
from models.requests.categories import URGENT_CLAIM_MINUTES, URGENT_RESOLVE_MINUTES
from models.requests.routing import WISH_CLAIM_MINUTES, WISH_RESOLVE_MINUTES
from models.requests.workflow import OPEN, request_label
from models.structure import Grid, MicroGrid


@dataclass
class MicroGridDigest:
    micro_grid: MicroGrid
    new: int
    claimed: int
    resolved: int
    overdue: int
    checkins_waiting: int

    @property
    def empty(self) -> bool:
        return not (
            self.new or self.claimed or self.resolved or self.overdue or self.checkins_waiting
        )


async def _per_micro_grid(session: AsyncSession, query: Select[tuple[int, int]]) -> dict[int, int]:
    return {micro_grid_id: count for micro_grid_id, count in (await session.execute(query)).all()}


async def daily_digests(
    session: AsyncSession, community_id: int, start: datetime, end: datetime, now: datetime
) -> list[MicroGridDigest]:
    """Each micro-grid's day; one grouped query per number for the whole community."""
    micro_grids = (
        await session.scalars(
            select(MicroGrid).where(MicroGrid.community_id == community_id).order_by(MicroGrid.id)
        )
    ).all()
    by_grid = Request.micro_grid_id
    new = await _per_micro_grid(session, select(by_grid, func.count()).where(
        Request.community_id == community_id, Request.created_at >= start,
        Request.created_at < end).group_by(by_grid))  # fmt: skip
    overdue = await _per_micro_grid(session, select(by_grid, func.count()).where(
        Request.community_id == community_id,
        or_(and_(Request.status == RequestStatus.ROUTED, Request.claim_deadline < now),
            and_(Request.status.in_((RequestStatus.CLAIMED, RequestStatus.IN_PROGRESS)),
                 Request.resolve_deadline < now)),
    ).group_by(by_grid))  # fmt: skip
    waiting = await _per_micro_grid(session, select(Checkin.micro_grid_id, func.count()).where(
        Checkin.community_id == community_id, Checkin.status == CheckinStatus.PENDING,
    ).group_by(Checkin.micro_grid_id))  # fmt: skip
    moved: dict[str, dict[int, int]] = {"claim": {}, "resolve": {}}
    for micro_grid_id, action, count in (
        await session.execute(
            select(by_grid, RequestEvent.action, func.count(func.distinct(RequestEvent.request_id)))
            .join(Request, Request.id == RequestEvent.request_id)
            .where(Request.community_id == community_id, RequestEvent.at >= start,
                   RequestEvent.at < end, RequestEvent.action.in_(("claim", "resolve")))
            .group_by(by_grid, RequestEvent.action)
        )
    ).all():  # fmt: skip
        moved[action][micro_grid_id] = count
    return [
        MicroGridDigest(
            micro_grid=micro_grid,
            new=new.get(micro_grid.id, 0),
            claimed=moved["claim"].get(micro_grid.id, 0),
            resolved=moved["resolve"].get(micro_grid.id, 0),
            overdue=overdue.get(micro_grid.id, 0),
            checkins_waiting=waiting.get(micro_grid.id, 0),
        )
        for micro_grid in micro_grids
    ]


async def moved_today(
    session: AsyncSession, community_id: int, start: datetime, end: datetime
) -> dict[User, list[Request]]:
    """Residents whose requests were changed by someone else in [start, end), and those requests."""
    rows = (
        await session.execute(
            select(Request, User)
            .join(User, User.id == Request.resident_id)
            .where(
                Request.id.in_(
                    select(RequestEvent.request_id)
                    .join(Request, Request.id == RequestEvent.request_id)
                    .where(
                        Request.community_id == community_id,
                        RequestEvent.at >= start,
                        RequestEvent.at < end,
                        or_(RequestEvent.actor_id.is_(None),
                            RequestEvent.actor_id != Request.resident_id),
                    )
                )
            )
            .order_by(Request.id)
        )
    ).all()  # fmt: skip
    by_resident: dict[User, list[Request]] = {}
    for request, resident in rows:
        by_resident.setdefault(resident, []).append(request)
    return by_resident


async def unrated_resolved(
    session: AsyncSession, community_id: int, resolved_before: datetime
) -> list[tuple[Request, User]]:
    """Resolved requests nobody has rated since before `resolved_before`, with their residents."""
    query = (
        select(Request, User)
        .join(User, User.id == Request.resident_id)
        .where(
            Request.community_id == community_id,
            Request.status == RequestStatus.RESOLVED,
            Request.resolved_at < resolved_before,
        )
    )
    rows = (await session.execute(query.order_by(Request.id))).all()
    return [(request, user) for request, user in rows]


# --- monthly -----------------------------------------------------------------------


@dataclass
class Stats:
    name: str
    total: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    routed: int = 0
    responded: int = 0
    resolved_in_time: int = 0
    ratings: int = 0
    satisfied: int = 0
    claim_hours: list[float] = field(default_factory=list)
    resolve_hours: list[float] = field(default_factory=list)

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def response_rate(self) -> float | None:
        return self._rate(self.responded, self.routed)

    @property
    def resolution_rate(self) -> float | None:
        return self._rate(self.resolved_in_time, self.routed)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied, self.ratings)

    @property
    def median_claim_hours(self) -> float | None:
        return round(median(self.claim_hours), 1) if self.claim_hours else None

    @property
    def median_resolve_hours(self) -> float | None:
        return round(median(self.resolve_hours), 1) if self.resolve_hours else None


@dataclass
class Leader:
    name: str
    points: int = 0
    minutes: int = 0


@dataclass
class MonthlyReport:
    community: Stats
    grids: list[tuple[Grid, Stats]]
    top_by_points: list[Leader]
    top_by_hours: list[Leader]
    requests: list[dict[str, object]]
    checkins: list[dict[str, object]]
    ledger: list[dict[str, object]]


def _windows(request: Request, category: Category | None) -> tuple[int, int]:
    if category is None:
        return WISH_CLAIM_MINUTES, WISH_CLAIM_MINUTES + WISH_RESOLVE_MINUTES
    if request.urgent:
        return URGENT_CLAIM_MINUTES, URGENT_CLAIM_MINUTES + URGENT_RESOLVE_MINUTES
    return category.claim_minutes, category.claim_minutes + category.resolve_minutes


async def monthly_report(
    session: AsyncSession, community_id: int, start: datetime, end: datetime, community_name: str
) -> MonthlyReport:
    grids = (
        await session.scalars(
            select(Grid).where(Grid.community_id == community_id).order_by(Grid.id)
        )
    ).all()
    grid_of_micro = dict(
        (
            await session.execute(
                select(MicroGrid.id, MicroGrid.grid_id).where(
                    MicroGrid.community_id == community_id
                )
            )
        ).all()
    )
    categories = {
        c.id: c
        for c in (
            await session.scalars(select(Category).where(Category.community_id == community_id))
        ).all()
    }
    requests = (
        await session.scalars(
            select(Request)
            .where(
                Request.community_id == community_id,
                Request.created_at >= start,
                Request.created_at < end,
            )
            .order_by(Request.id)
        )
    ).all()
    firsts: dict[tuple[int, str], datetime] = {}
    if requests:
        for request_id, action, at in (
            await session.execute(
                select(RequestEvent.request_id, RequestEvent.action, func.min(RequestEvent.at))
                .where(
                    RequestEvent.request_id.in_([r.id for r in requests]),
                    RequestEvent.action.in_(("route", "claim", "resolve")),
                )
                .group_by(RequestEvent.request_id, RequestEvent.action)
            )
        ).all():
            firsts[(request_id, action)] = at if at.tzinfo else at.replace(tzinfo=start.tzinfo)
    overall = Stats(community_name)
    per_grid = {grid.id: Stats(grid.name) for grid in grids}
    rows: list[dict[str, object]] = []
    for request in requests:
        category = categories.get(request.category_id or 0)
        category_name = category.name_zh if category else "微心愿"
        for stats in (overall, per_grid.get(grid_of_micro.get(request.micro_grid_id, 0))):
            if stats is None:
                continue
            stats.total += 1
            stats.by_category[category_name] = stats.by_category.get(category_name, 0) + 1
            stats.by_status[request.status.value] = stats.by_status.get(request.status.value, 0) + 1
            routed = firsts.get((request.id, "route"))
            if routed is None:
                continue
            stats.routed += 1
            claim_window, resolve_window = _windows(request, category)
            claimed = firsts.get((request.id, "claim"))
            resolved = firsts.get((request.id, "resolve"))
            if claimed is not None:
                stats.claim_hours.append((claimed - routed).total_seconds() / 3600)
                stats.responded += claimed - routed <= timedelta(minutes=claim_window)
            if resolved is not None:
                stats.resolve_hours.append((resolved - routed).total_seconds() / 3600)
                stats.resolved_in_time += resolved - routed <= timedelta(minutes=resolve_window)
            if request.satisfied is not None and request.rating is not None:
                stats.ratings += 1
                stats.satisfied += bool(request.satisfied)
        rows.append({
            "number": request_label(request), "category": category_name,
            "status": request.status.value, "urgent": request.urgent,
            "created_at": request.created_at.replace(tzinfo=None),
            "rating": request.rating, "satisfied": request.satisfied,
        })  # fmt: skip
    points = (
        await session.execute(
            select(User.full_name, func.sum(LedgerEntry.amount))
            .join(User, User.id == LedgerEntry.user_id)
            .where(
                LedgerEntry.community_id == community_id,
                LedgerEntry.created_at >= start,
                LedgerEntry.created_at < end,
                LedgerEntry.reason.in_(
                    (LedgerReason.SERVICE, LedgerReason.WISH, LedgerReason.TASK)
                ),
            )
            .group_by(User.id, User.full_name)
            .order_by(func.sum(LedgerEntry.amount).desc())
            .limit(5)
        )
    ).all()
    hours = (
        await session.execute(
            select(User.full_name, func.sum(Checkin.minutes))
            .join(User, User.id == Checkin.user_id)
            .where(
                Checkin.community_id == community_id,
                Checkin.status == CheckinStatus.APPROVED,
                Checkin.checked_in_at >= start,
                Checkin.checked_in_at < end,
                Checkin.minutes.is_not(None),
            )
            .group_by(User.id, User.full_name)
            .order_by(func.sum(Checkin.minutes).desc())
            .limit(5)
        )
    ).all()
    # The workbook's rows are read as plain columns: thousands of them need no ORM objects.
    checkins = [
        {"volunteer": name, "what": what, "status": status.value, "minutes": minutes,
         "points": points, "at": at.replace(tzinfo=None)}
        for name, what, status, minutes, points, at in (
            await session.execute(
                select(User.full_name, Checkin.description, Checkin.status, Checkin.minutes,
                       Checkin.points, Checkin.checked_in_at)
                .join(User, User.id == Checkin.user_id).where(
                    Checkin.community_id == community_id, Checkin.checked_in_at >= start,
                    Checkin.checked_in_at < end)
            )
        ).all()
    ]  # fmt: skip
    ledger = [
        {"member": name, "amount": amount, "reason": reason.value, "note": note,
         "at": at.replace(tzinfo=None)}
        for name, amount, reason, note, at in (
            await session.execute(
                select(User.full_name, LedgerEntry.amount, LedgerEntry.reason, LedgerEntry.note,
                       LedgerEntry.created_at)
                .join(User, User.id == LedgerEntry.user_id)
                .where(LedgerEntry.community_id == community_id, LedgerEntry.created_at >= start,
                       LedgerEntry.created_at < end).order_by(LedgerEntry.id)
            )
        ).all()
    ]  # fmt: skip
    return MonthlyReport(
        community=overall,
        grids=[(grid, per_grid[grid.id]) for grid in grids],
        top_by_points=[Leader(name or "-", points=int(total or 0)) for name, total in points],
        top_by_hours=[Leader(name or "-", minutes=int(total or 0)) for name, total in hours],
        requests=rows,
        checkins=checkins,
        ledger=ledger,
    )


# --- yearly ------------------------------------------------------------------------


@dataclass
class HonourRoll:
    volunteers: list[tuple[str, int]]  # name, points earned
    leaders: list[tuple[str, int]]  # name, requests resolved
    micro_grids: list[tuple[str, int, float | None]]  # name, resolved, satisfaction %


async def honour_roll(
    session: AsyncSession, community_id: int, start: datetime, end: datetime, size: int = 10
) -> HonourRoll:
    volunteers = (
        await session.execute(
            select(User.full_name, func.sum(LedgerEntry.amount))
            .join(User, User.id == LedgerEntry.user_id)
            .where(
                LedgerEntry.community_id == community_id,
                LedgerEntry.created_at >= start,
                LedgerEntry.created_at < end,
                LedgerEntry.reason.in_((LedgerReason.SERVICE, LedgerReason.WISH)),
            )
            .group_by(User.id, User.full_name)
            .order_by(func.sum(LedgerEntry.amount).desc())
            .limit(size)
        )
    ).all()
    leaders = (
        await session.execute(
            select(User.full_name, func.count(func.distinct(RequestEvent.request_id)))
            .join(User, User.id == RequestEvent.actor_id)
            .join(Request, Request.id == RequestEvent.request_id)
            .join(
                RoleAssignment,
                and_(RoleAssignment.user_id == User.id, RoleAssignment.role == Role.LEADER),
            )
            .where(
                Request.community_id == community_id,
                RequestEvent.action == "resolve",
                RequestEvent.at >= start,
                RequestEvent.at < end,
            )
            .group_by(User.id, User.full_name)
            .order_by(func.count(func.distinct(RequestEvent.request_id)).desc())
            .limit(size)
        )
    ).all()
    micro_rows = (
        await session.execute(
            select(
                MicroGrid.name,
                func.count(Request.id).filter(Request.resolved_at.is_not(None)),
                func.count(Request.id).filter(Request.satisfied.is_(True)),
                func.count(Request.id).filter(Request.rating.is_not(None)),
            )
            .join(Request, Request.micro_grid_id == MicroGrid.id)
            .where(
                MicroGrid.community_id == community_id,
                Request.created_at >= start,
                Request.created_at < end,
                Request.status.not_in(OPEN),
            )
            .group_by(MicroGrid.id, MicroGrid.name)
        )
    ).all()
    micro_grids = sorted(
        ((name, resolved, round(100 * good / rated, 1) if rated else None)
         for name, resolved, good, rated in micro_rows),
        key=lambda row: (row[2] or 0, row[1]),
        reverse=True,
    )[:size]  # fmt: skip
    return HonourRoll(
        volunteers=[(name or "-", int(total or 0)) for name, total in volunteers],
        leaders=[(name or "-", int(count)) for name, count in leaders],
        micro_grids=micro_grids,
    )
