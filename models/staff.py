"""What a member who holds a role is and has to do: their roles with the names of their
areas, and counts of their open work."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.checkins import pending_reviews_count
from models.members import Member, Role, RoleAssignment
from models.points.tables import Merchant
from models.requests.queries import task_filters
from models.requests.tables import Request
from models.structure import Community, Grid, MicroGrid

# The order roles are named in: the widest area first.
ROLE_ORDER = (Role.ADMIN, Role.GRID_WORKER, Role.LEADER, Role.VOLUNTEER, Role.MERCHANT)


@dataclass(frozen=True)
class RoleInArea:
    role: Role
    area: str | None  # None: every community (a super-admin of the deployment)


@dataclass(frozen=True)
class OpenWork:
    waiting: int  # requests waiting to be claimed in the member's area
    claimed: int  # requests the member claimed and has not finished
    reviews: int  # check-ins waiting for the member's stamp


async def _area_name(session: AsyncSession, assignment: RoleAssignment) -> str:
    """The narrowest place a role is held in: a merchant, micro-grid, grid or community."""
    for model, key in (
        (Merchant, assignment.merchant_id),
        (MicroGrid, assignment.micro_grid_id),
        (Grid, assignment.grid_id),
        (Community, assignment.community_id),
    ):
        if key is not None:
            place = await session.get(model, key)
            if place is not None:
                return place.name
    return ""


async def roles_in_areas(session: AsyncSession, member: Member) -> list[RoleInArea]:
    """Each role the member holds with the name of its area, the widest area first."""
    roles = [RoleInArea(Role.ADMIN, None)] if member.super_admin else []
    for assignment in sorted(member.roles, key=lambda r: (ROLE_ORDER.index(r.role), r.id)):
        roles.append(RoleInArea(assignment.role, await _area_name(session, assignment)))
    return roles


async def open_work(session: AsyncSession, member: Member) -> OpenWork:
    """The counts behind /tasks, and the check-ins the member may stamp."""
    filters = task_filters(member)

    async def count(condition: ColumnElement[bool]) -> int:
        return await session.scalar(select(func.count(Request.id)).where(condition)) or 0

    return OpenWork(
        waiting=await count(filters.waiting),
        claimed=await count(filters.claimed),
        reviews=await pending_reviews_count(session, member),
    )
