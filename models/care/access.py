"""Who may see a household, and the access log every read, change and export is written to.

Only the staff of a household's area may see it: its micro-grid's leaders, its grid's workers,
its community's admins (and, on the command line, an operator naming the community). Everyone
else is told a household is not found, whether it exists or not."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.care.tables import AccessEntry, Household
from models.errors import NotFound
from models.members import Member, Role


@dataclass(frozen=True)
class Viewer:
    """Someone looking at ledgers: a member in chat, or an operator on the command line."""

    user_id: int | None
    name: str
    may_see: Callable[[Household], bool]
    member: Member | None = None

    @classmethod
    def of(cls, member: Member) -> "Viewer":
        def may_see(household: Household) -> bool:
            return (
                member.is_leader_of(household.micro_grid_id)
                or member.is_worker_of(household.grid_id)
                or member.is_admin_of(household.community_id)
            )

        name = member.user.full_name or str(member.user.telegram_id)
        return cls(member.user.id, name, may_see, member)

    @classmethod
    def operator(cls, community_id: int) -> "Viewer":
        return cls(None, "cli", lambda household: household.community_id == community_id)

    def is_staff(self) -> bool:
        """Holds a role that may see some ledger (says nothing about which)."""
        member = self.member
        if member is None:
            return True
        return member.super_admin or any(
            r.role in (Role.LEADER, Role.GRID_WORKER, Role.ADMIN) for r in member.roles
        )


def log_access(
    session: AsyncSession,
    viewer: Viewer,
    community_id: int,
    household_id: int | None,
    action: str,
    detail: str = "",
) -> None:
    session.add(
        AccessEntry(
            community_id=community_id,
            household_id=household_id,
            user_id=viewer.user_id,
            actor=viewer.name[:100],
            action=action,
            detail=detail[:200],
            at=utcnow(),
        )
    )


async def open_household(
    session: AsyncSession,
    viewer: Viewer,
    household_id: int,
    action: str,
    detail: str = "",
    *,
    lock: bool = False,
) -> Household:
    """The household, if the viewer may see it, with the access logged; otherwise NotFound,
    the same answer as for a household that does not exist (a refusal is logged too)."""
    household = await session.get(Household, household_id, with_for_update=lock)
    if household is None:
        raise NotFound("care-not-found")
    if not viewer.may_see(household):
        log_access(session, viewer, household.community_id, household.id, "refused", action)
        raise NotFound("care-not-found")
    log_access(session, viewer, household.community_id, household.id, action, detail)
    return household


async def access_log(
    session: AsyncSession, community_id: int, since: datetime | None = None, limit: int = 10_000
) -> list[AccessEntry]:
    query = select(AccessEntry).where(AccessEntry.community_id == community_id)
    if since is not None:
        query = query.where(AccessEntry.at >= since)
    query = query.order_by(AccessEntry.at.desc(), AccessEntry.id.desc()).limit(limit)
    return list((await session.scalars(query)).all())
