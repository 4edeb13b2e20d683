"""Visits (走访): each colour has an interval; a household is due that long after its last
visit (or after it was put on the ledger)."""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.care.access import Viewer, log_access, open_household
from models.care.crypto import encrypt
from models.care.households import NOTE_MAX, address_of, clean_text, visible_households
from models.care.tables import Colour, EmergencyCall, Household, Visit, VisitOutcome
from models.errors import InvalidInput
from models.members import Role, RoleAssignment
from models.structure import Community, Grid

DEFAULT_VISIT_DAYS = {Colour.RED: 7, Colour.YELLOW: 14, Colour.BLUE: 14, Colour.ORANGE: 90}


def visit_days(community: Community) -> dict[Colour, int]:
    """The community's intervals (structure file `care: visit_days:`), over the defaults."""
    chosen = ((community.settings or {}).get("care") or {}).get("visit_days") or {}
    return {
        colour: int(chosen.get(colour.value, days)) for colour, days in DEFAULT_VISIT_DAYS.items()
    }


def due_at(household: Household, days: dict[Colour, int]) -> datetime:
    return (household.last_visit_at or household.created_at) + timedelta(
        days=days[household.colour]
    )


@dataclass(frozen=True)
class DueVisit:
    household: Household
    address: str
    due: datetime


async def visit_queue(session: AsyncSession, viewer: Viewer) -> list[DueVisit]:
    """The viewer's households, the visit due soonest first; each one shown is logged."""
    queue = []
    communities: dict[int, dict[Colour, int]] = {}
    for household in await visible_households(session, viewer):
        if household.community_id not in communities:
            community = await session.get(Community, household.community_id)
            assert community is not None
            communities[household.community_id] = visit_days(community)
        address = await address_of(session, household)
        queue.append(
            DueVisit(household, address, due_at(household, communities[household.community_id]))
        )
        log_access(session, viewer, household.community_id, household.id, "list", "visits")
    return sorted(queue, key=lambda item: (item.due, item.household.id))


async def log_visit(
    session: AsyncSession,
    viewer: Viewer,
    household_id: int,
    outcome: str,
    note: str | None,
    photo_file_id: str | None,
    now: datetime,
) -> Visit:
    if outcome not in {o.value for o in VisitOutcome}:
        raise InvalidInput("care-stale")
    text = clean_text(note, NOTE_MAX, "care-bad-note", optional=True)
    household = await open_household(session, viewer, household_id, "visit", outcome)
    assert viewer.user_id is not None
    visit = Visit(
        household_id=household.id,
        visitor_id=viewer.user_id,
        outcome=VisitOutcome(outcome),
        note_secret=encrypt(text) if text else None,
        photo_file_id=photo_file_id,
        visited_at=now,
    )
    session.add(visit)
    household.last_visit_at = now
    await session.flush()
    return visit


async def overdue_by_grid(
    session: AsyncSession, community_id: int, now: datetime
) -> dict[int, list[Household]]:
    """Each grid's households whose visit is overdue at `now`."""
    community = await session.get(Community, community_id)
    assert community is not None
    days = visit_days(community)
    overdue: dict[int, list[Household]] = {}
    households = await session.scalars(
        select(Household).where(Household.community_id == community_id).order_by(Household.id)
    )
    for household in households:
        if due_at(household, days) < now:
            overdue.setdefault(household.grid_id, []).append(household)
    return overdue


async def grid_workers(session: AsyncSession, grid_id: int) -> list[int]:
    query = select(RoleAssignment.user_id).where(
        RoleAssignment.role == Role.GRID_WORKER, RoleAssignment.grid_id == grid_id
    )
    return list(dict.fromkeys(await session.scalars(query)))


@dataclass(frozen=True)
class Coverage:
    grid: Grid
    colour: Colour
    households: int
    visited: int


async def visit_coverage(
    session: AsyncSession, community_id: int, start: datetime, end: datetime
) -> list[Coverage]:
    """Per grid and colour: households on the ledger, and how many were visited in the period."""
    visited = set(
        await session.scalars(
            select(Visit.household_id).where(Visit.visited_at >= start, Visit.visited_at < end)
        )
    )
    counts: dict[tuple[int, Colour], list[int]] = {}
    households = await session.scalars(
        select(Household).where(Household.community_id == community_id)
    )
    for household in households:
        row = counts.setdefault((household.grid_id, household.colour), [0, 0])
        row[0] += 1
        row[1] += household.id in visited
    grids = {
        g.id: g
        for g in await session.scalars(select(Grid).where(Grid.community_id == community_id))
    }
    order = list(Colour)
    return [
        Coverage(grids[grid_id], colour, total, done)
        for (grid_id, colour), (total, done) in sorted(
            counts.items(), key=lambda item: (item[0][0], order.index(item[0][1]))
        )
    ]


@dataclass(frozen=True)
class CallStats:
    calls: int
    accepted: int
    median_minutes: float | None


async def call_stats(
    session: AsyncSession, community_id: int, start: datetime, end: datetime
) -> CallStats:
    calls = list(
        await session.scalars(
            select(EmergencyCall).where(
                EmergencyCall.community_id == community_id,
                EmergencyCall.called_at >= start,
                EmergencyCall.called_at < end,
            )
        )
    )
    waits = [(c.accepted_at - c.called_at).total_seconds() / 60 for c in calls if c.accepted_at]
    median = round(statistics.median(waits), 1) if waits else None
    return CallStats(len(calls), len(waits), median)


async def households_count(session: AsyncSession, community_id: int) -> int:
    query = select(func.count(Household.id)).where(Household.community_id == community_id)
    return await session.scalar(query) or 0
