"""Where a request goes and by when: the micro-grid, grid and community it belongs to, the
chat its card goes to at each level, the deadlines it is routed with, and which requests are
past them."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.requests.categories import URGENT_CLAIM_MINUTES, URGENT_RESOLVE_MINUTES
from models.requests.tables import Category, Request, RequestKind, RequestStatus, RoutingLevel
from models.structure import Community, Grid, MicroGrid

WISH_CLAIM_MINUTES = 24 * 60  # an unclaimed wish is surfaced again after a day
WISH_RESOLVE_MINUTES = 7 * 24 * 60
LEVELS = (RoutingLevel.MICRO_GRID, RoutingLevel.GRID, RoutingLevel.COMMUNITY)


@dataclass
class Route:
    micro_grid: MicroGrid
    grid: Grid
    community: Community


async def route_of(session: AsyncSession, request: Request) -> Route:
    micro_grid = await session.get(MicroGrid, request.micro_grid_id)
    assert micro_grid is not None
    grid = await session.get(Grid, micro_grid.grid_id)
    community = await session.get(Community, request.community_id)
    assert grid is not None and community is not None
    return Route(micro_grid, grid, community)


def team_chat(route: Route, request: Request, level: RoutingLevel) -> int | None:
    """Where a request's card goes at a level; a missing chat falls through to the next level."""
    if request.kind == RequestKind.WISH and level == RoutingLevel.MICRO_GRID:
        return route.micro_grid.chat_id
    chats = {
        RoutingLevel.MICRO_GRID: route.micro_grid.task_chat_id,
        RoutingLevel.GRID: route.grid.chat_id,
        RoutingLevel.COMMUNITY: route.community.admin_chat_id,
    }
    for candidate in LEVELS[LEVELS.index(level) :]:
        if chats[candidate]:
            return chats[candidate]
    return None


async def deadlines(
    session: AsyncSession, request: Request, start: datetime
) -> tuple[datetime, datetime]:
    """When a request must be claimed and resolved, counted from `start`: a wish's and an
    uncategorised request's own, an urgent report's, or its category's."""
    category = await _category(session, request)
    if request.kind == RequestKind.WISH or category is None:
        claim, resolve = WISH_CLAIM_MINUTES, WISH_RESOLVE_MINUTES
    elif request.urgent:
        claim, resolve = URGENT_CLAIM_MINUTES, URGENT_RESOLVE_MINUTES
    else:
        claim, resolve = category.claim_minutes, category.resolve_minutes
    return start + timedelta(minutes=claim), start + timedelta(minutes=claim + resolve)


async def routing(session: AsyncSession, request: Request) -> dict[str, object]:
    """The level, status and deadlines a request is routed with, from now."""
    category = await _category(session, request)
    claim_deadline, resolve_deadline = await deadlines(session, request, utcnow())
    return {
        "escalation_level": category.routing_level if category else RoutingLevel.MICRO_GRID,
        "status": RequestStatus.ROUTED,
        "claim_deadline": claim_deadline,
        "resolve_deadline": resolve_deadline,
    }


async def _category(session: AsyncSession, request: Request) -> Category | None:
    return await session.get(Category, request.category_id) if request.category_id else None


def is_overdue(request: Request, now: datetime) -> bool:
    if request.status == RequestStatus.ROUTED:
        return request.claim_deadline is not None and request.claim_deadline < now
    if request.status in (RequestStatus.CLAIMED, RequestStatus.IN_PROGRESS):
        return request.resolve_deadline is not None and request.resolve_deadline < now
    return False


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(Request.status == RequestStatus.ROUTED, Request.claim_deadline < now),
        and_(Request.status.in_((RequestStatus.CLAIMED, RequestStatus.IN_PROGRESS)),
             Request.resolve_deadline < now),
    )  # fmt: skip


async def overdue_requests(session: AsyncSession, now: datetime, limit: int = 500) -> list[int]:
    """Open requests past their claim deadline (unclaimed) or resolve deadline (claimed)."""
    query = (
        select(Request.id)
        .where(overdue_condition(now), Request.escalation_level != RoutingLevel.COMMUNITY)
        .order_by(Request.id)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())
