"""Reading requests: for staff, who sees what (scope), filtered and sorted lists, counts; for
a resident, their own requests, and for a leader, their open work.

The scope is the bot's: an admin sees their community, a grid worker their grid, a leader
their micro-grid. Every list and every single request shown to staff passes through it.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from models.errors import NotFound
from models.members import Member, Role, User
from models.requests.routing import overdue_condition
from models.requests.tables import (
    Category,
    Request,
    RequestEvent,
    RequestKind,
    RequestStatus,
    RoutingLevel,
)
from models.requests.workflow import OPEN, parse_label
from models.structure import Community, Grid, MicroGrid


@dataclass(frozen=True)
class Scope:
    everything: bool = False  # a super-admin
    communities: frozenset[int] = frozenset()  # admin of
    grids: frozenset[int] = frozenset()  # grid worker of
    micro_grids: frozenset[int] = frozenset()  # leader of

    @property
    def empty(self) -> bool:
        return not (self.everything or self.communities or self.grids or self.micro_grids)

    def admin_of(self, community_id: int) -> bool:
        return self.everything or community_id in self.communities


def scope_of(member: Member) -> Scope:
    def ids(role: Role, attribute: str) -> frozenset[int]:
        return frozenset(getattr(r, attribute) for r in member.roles
                         if r.role == role and getattr(r, attribute))  # fmt: skip

    return Scope(
        everything=member.super_admin,
        communities=ids(Role.ADMIN, "community_id"),
        grids=ids(Role.GRID_WORKER, "grid_id"),
        micro_grids=ids(Role.LEADER, "micro_grid_id"),
    )


def in_scope(scope: Scope) -> ColumnElement[bool]:
    """The condition on `Request` for the requests a scope sees."""
    if scope.everything:
        return true()
    parts: list[ColumnElement[bool]] = []
    if scope.communities:
        parts.append(Request.community_id.in_(scope.communities))
    if scope.grids:
        parts.append(Request.micro_grid_id.in_(
            select(MicroGrid.id).where(MicroGrid.grid_id.in_(scope.grids))))  # fmt: skip
    if scope.micro_grids:
        parts.append(Request.micro_grid_id.in_(scope.micro_grids))
    return or_(*parts) if parts else false()


async def communities_in_scope(session: AsyncSession, scope: Scope) -> list[Community]:
    """The communities a staff member works in, in structure order."""
    query = select(Community).order_by(Community.id)
    if not scope.everything:
        query = query.where(or_(
            Community.id.in_(scope.communities),
            Community.id.in_(select(Grid.community_id).where(Grid.id.in_(scope.grids))),
            Community.id.in_(select(MicroGrid.community_id)
                             .where(MicroGrid.id.in_(scope.micro_grids))),
        ))  # fmt: skip
    return list((await session.scalars(query)).all())


async def micro_grids_in_scope(
    session: AsyncSession, scope: Scope, community_id: int
) -> list[MicroGrid]:
    query = select(MicroGrid).where(MicroGrid.community_id == community_id)
    if not scope.admin_of(community_id):
        query = query.where(or_(MicroGrid.grid_id.in_(scope.grids),
                                MicroGrid.id.in_(scope.micro_grids)))  # fmt: skip
    return list((await session.scalars(query.order_by(MicroGrid.id))).all())


async def request_in_scope(session: AsyncSession, scope: Scope, request_id: int) -> Request:
    """A request the scope may see; any other (or none) is simply not found."""
    request = await session.scalar(
        select(Request).where(Request.id == request_id, in_scope(scope))
    )
    if request is None:
        raise NotFound("request-not-found")
    return request


# --- lists -----------------------------------------------------------------------------

# The deadline that matters now: to claim while unclaimed, to resolve while being worked on.
DEADLINE = case(
    (Request.status == RequestStatus.ROUTED, Request.claim_deadline),
    (Request.status.in_((RequestStatus.CLAIMED, RequestStatus.IN_PROGRESS)),
     Request.resolve_deadline),
)  # fmt: skip
SORTS: dict[str, Any] = {
    "created": Request.created_at,
    "number": Request.number,
    "status": Request.status,
    "deadline": DEADLINE,
}
STATUS_FILTERS = ("open", "unclaimed", "escalated", *(s.value for s in RequestStatus))


@dataclass
class RequestFilter:
    community_id: int
    status: str = ""  # one of STATUS_FILTERS, or "" for all
    kind: str = ""  # report | wish | ""
    category_id: int | None = None
    micro_grid_id: int | None = None
    overdue: bool = False
    since: datetime | None = None  # created at or after
    until: datetime | None = None  # created before
    text: str = ""  # words in the text, or a number such as R-0042
    sort: str = "created"
    descending: bool = True

    def conditions(self, scope: Scope, now: datetime) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = [
            Request.community_id == self.community_id, in_scope(scope),
            Request.status != RequestStatus.MERGED if self.status != "merged" else true(),
        ]  # fmt: skip
        if self.status == "open":
            found.append(Request.status.in_(OPEN))
        elif self.status == "unclaimed":
            found.append(Request.status == RequestStatus.ROUTED)
        elif self.status == "escalated":
            found += [Request.status.in_(OPEN), Request.escalation_level != RoutingLevel.MICRO_GRID]
        elif self.status in {s.value for s in RequestStatus}:
            found.append(Request.status == RequestStatus(self.status))
        if self.kind in {k.value for k in RequestKind}:
            found.append(Request.kind == RequestKind(self.kind))
        if self.category_id:
            found.append(Request.category_id == self.category_id)
        if self.micro_grid_id:
            found.append(Request.micro_grid_id == self.micro_grid_id)
        if self.overdue:
            found.append(overdue_condition(now))
        if self.since:
            found.append(Request.created_at >= self.since)
        if self.until:
            found.append(Request.created_at < self.until)
        words = self.text.strip()
        if words:
            label = parse_label(words)
            if label is not None:
                found += [Request.kind == label[0], Request.number == label[1]]
            else:
                found.append(Request.text.contains(words, autoescape=True))
        return found

    def ordered(self, query: Select[Any]) -> Select[Any]:
        column = SORTS.get(self.sort, Request.created_at)
        direction = column.desc() if self.descending else column.asc()
        tie = Request.id.desc() if self.descending else Request.id.asc()
        if self.sort == "deadline":  # requests with no deadline running go last
            return query.order_by(column.is_(None), direction, tie)
        return query.order_by(direction, tie)


@dataclass
class Row:
    request: Request
    micro_grid: str
    category: Category | None
    claimer: str | None


@dataclass
class RequestPage:
    rows: list[Row]
    page: int
    pages: int
    total: int
    size: int = 50
    filters: RequestFilter | None = field(default=None, repr=False)


def _rows_query(filters: RequestFilter, scope: Scope, now: datetime) -> Select[Any]:
    return filters.ordered(
        select(Request, MicroGrid.name, Category, User.full_name)
        .join(MicroGrid, MicroGrid.id == Request.micro_grid_id)
        .outerjoin(Category, Category.id == Request.category_id)
        .outerjoin(User, User.id == Request.claimed_by_id)
        .where(*filters.conditions(scope, now))
    )


async def list_requests(
    session: AsyncSession, scope: Scope, filters: RequestFilter, now: datetime,
    page: int = 0, size: int = 50,
) -> RequestPage:  # fmt: skip
    """One page of the requests a scope sees, with the total that match."""
    total = await session.scalar(
        select(func.count()).select_from(Request).where(*filters.conditions(scope, now))
    ) or 0
    pages = max(1, -(-total // size))
    page = min(max(page, 0), pages - 1)
    query = _rows_query(filters, scope, now).offset(page * size).limit(size)
    rows = [Row(r, mg, c, name) for r, mg, c, name in (await session.execute(query)).all()]
    return RequestPage(rows, page, pages, total, size, filters)


async def export_requests(
    session: AsyncSession, scope: Scope, filters: RequestFilter, now: datetime, limit: int
) -> list[Row]:
    """Every matching request (up to `limit`) for a spreadsheet, in the list's order."""
    query = _rows_query(filters, scope, now).limit(limit)
    return [Row(r, mg, c, name) for r, mg, c, name in (await session.execute(query)).all()]


# --- the overview ------------------------------------------------------------------------


@dataclass
class Overview:
    new_today: int
    unclaimed: int
    overdue: int
    escalated: int


async def overview_counts(
    session: AsyncSession, scope: Scope, community_id: int, day_start: datetime, now: datetime
) -> Overview:
    """Today's new requests and the open ones needing attention, in one query."""
    opened = Request.status.in_(OPEN)
    row = (await session.execute(
        select(
            func.count().filter(Request.created_at >= day_start),
            func.count().filter(Request.status == RequestStatus.ROUTED),
            func.count().filter(overdue_condition(now)),
            func.count().filter(opened, Request.escalation_level != RoutingLevel.MICRO_GRID),
        ).where(Request.community_id == community_id, in_scope(scope),
                or_(opened, Request.created_at >= day_start))
    )).one()  # fmt: skip
    return Overview(*(int(value or 0) for value in row))


async def trail_with_actors(
    session: AsyncSession, request_id: int
) -> list[tuple[RequestEvent, str | None]]:
    """A request's event trail, oldest first, with each actor's name."""
    query = (
        select(RequestEvent, User.full_name)
        .outerjoin(User, User.id == RequestEvent.actor_id)
        .where(RequestEvent.request_id == request_id)
        .order_by(RequestEvent.id)
    )
    return [(event, name) for event, name in (await session.execute(query)).all()]


# --- a person's own lists -------------------------------------------------------------


@dataclass
class Page:
    items: list[Request]
    page: int
    pages: int


async def _paged(session: AsyncSession, query, page: int, size: int) -> Page:  # type: ignore[no-untyped-def]
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, -(-(total or 0) // size))
    page = min(max(page, 0), pages - 1)
    items = list((await session.scalars(query.offset(page * size).limit(size))).all())
    return Page(items, page, pages)


async def my_requests(session: AsyncSession, member: Member, page: int, size: int = 5) -> Page:
    query = (
        select(Request)
        .where(Request.resident_id == member.user.id, Request.status != RequestStatus.MERGED)
        .order_by(Request.created_at.desc(), Request.id.desc())
    )
    return await _paged(session, query, page, size)


@dataclass
class TaskFilters:
    waiting: ColumnElement[bool]  # waiting to be claimed in the member's area
    claimed: ColumnElement[bool]  # claimed by the member and not finished


def task_filters(member: Member) -> TaskFilters:
    """A leader's open work: waiting in the micro-grids they lead (and the grids they work
    for), or claimed by them."""
    led = [r.micro_grid_id for r in member.roles if r.role == Role.LEADER and r.micro_grid_id]
    worked = [r.grid_id for r in member.roles if r.role == Role.GRID_WORKER and r.grid_id]
    grids_micro = select(MicroGrid.id).where(MicroGrid.grid_id.in_(worked))
    waiting = and_(
        Request.status == RequestStatus.ROUTED,
        or_(Request.micro_grid_id.in_(led), Request.micro_grid_id.in_(grids_micro)),
    )
    mine = and_(Request.claimed_by_id == member.user.id, Request.status.in_(OPEN))
    return TaskFilters(waiting, mine)


async def open_tasks(session: AsyncSession, member: Member, page: int, size: int = 5) -> Page:
    """The member's open work (see `task_filters`), soonest deadline first."""
    filters = task_filters(member)
    deadline = case(
        (Request.status == RequestStatus.ROUTED, Request.claim_deadline),
        else_=Request.resolve_deadline,
    )
    query = (
        select(Request)
        .where(or_(filters.waiting, filters.claimed))
        .order_by(deadline.asc(), Request.id)
    )
    return await _paged(session, query, page, size)
