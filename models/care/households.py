"""Households on the care ledgers: adding, colours with history, tags, dated notes, phones."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.care.access import Viewer, log_access, open_household
from models.care.crypto import decrypt, encrypt
from models.care.tables import CareNote, Colour, ColourChange, Household
from models.errors import InvalidInput, NotFound
from models.members import ROOM_MAX_LENGTH, Role
from models.structure import Building, Community, MicroGrid, Unit

REASON_MAX = 200
PEOPLE_MAX = 200
NOTE_MAX = 1000
TAG_MAX = 20
TAGS_MAX = 10
PHONE_MAX = 32
NOTES_SHOWN = 3
HISTORY_SHOWN = 5

COLOUR_NAMES = {
    "red": Colour.RED,
    "红": Colour.RED,
    "红色": Colour.RED,
    "yellow": Colour.YELLOW,
    "黄": Colour.YELLOW,
    "黄色": Colour.YELLOW,
    "blue": Colour.BLUE,
    "蓝": Colour.BLUE,
    "蓝色": Colour.BLUE,
    "orange": Colour.ORANGE,
    "橙": Colour.ORANGE,
    "橙色": Colour.ORANGE,
}


def colour_named(name: str) -> Colour:
    colour = COLOUR_NAMES.get(name.strip().lower())
    if colour is None:
        raise InvalidInput("care-bad-colour")
    return colour


def clean_text(text: str | None, limit: int, error: str, *, optional: bool = False) -> str:
    """One line of text within `limit`; never a formula (it would run in a spreadsheet)."""
    cleaned = " ".join((text or "").split())
    if (not cleaned and not optional) or len(cleaned) > limit or cleaned.startswith("="):
        raise InvalidInput(error, max=limit)
    return cleaned


def clean_tags(text: str) -> list[str]:
    tags = [
        t
        for t in (
            " ".join(p.split()) for p in text.replace("，", ",").replace("、", ",").split(",")
        )
        if t
    ]
    if len(tags) > TAGS_MAX or any(len(t) > TAG_MAX or t.startswith("=") for t in tags):
        raise InvalidInput("care-bad-tags", max=TAGS_MAX, length=TAG_MAX)
    return list(dict.fromkeys(tags))


def clean_phone(text: str) -> str:
    phone = "".join(text.split())
    if not phone or len(phone) > PHONE_MAX or not all(c.isdigit() or c in "+-" for c in phone):
        raise InvalidInput("care-bad-phone")
    return phone


@dataclass(frozen=True)
class Place:
    micro_grid: MicroGrid
    building: Building
    unit: Unit | None


async def place_of(session: AsyncSession, household: Household) -> Place:
    micro_grid = await session.get(MicroGrid, household.micro_grid_id)
    building = await session.get(Building, household.building_id)
    unit = await session.get(Unit, household.unit_id) if household.unit_id else None
    assert micro_grid is not None and building is not None
    return Place(micro_grid, building, unit)


async def address_of(session: AsyncSession, household: Household, *, room: bool = True) -> str:
    """Building, unit and (unless for a group chat) room, e.g. 2号楼 1单元 302."""
    place = await place_of(session, household)
    parts = [place.building.name, place.unit.name if place.unit else ""]
    return " ".join(p for p in [*parts, household.room if room else ""] if p)


def areas_of(viewer: Viewer) -> tuple[set[int], set[int], set[int]] | None:
    """(micro-grids, grids, communities) whose ledgers the viewer sees; None: all."""
    member = viewer.member
    if member is None or member.super_admin:
        return None
    roles = member.roles
    return (
        {r.micro_grid_id for r in roles if r.role == Role.LEADER and r.micro_grid_id},
        {r.grid_id for r in roles if r.role == Role.GRID_WORKER and r.grid_id},
        {r.community_id for r in roles if r.role == Role.ADMIN},
    )


async def visible_households(
    session: AsyncSession, viewer: Viewer, community_id: int | None = None
) -> list[Household]:
    """Every household the viewer may see (the rule of `Viewer.may_see`, as a query)."""
    query = select(Household).order_by(Household.id)
    areas = areas_of(viewer)
    if areas is not None:
        micro_grids, grids, communities = areas
        query = query.where(
            or_(
                Household.micro_grid_id.in_(micro_grids),
                Household.grid_id.in_(grids),
                Household.community_id.in_(communities),
            )
        )
    if community_id is not None:
        query = query.where(Household.community_id == community_id)
    return [h for h in await session.scalars(query) if viewer.may_see(h)]


async def buildings_for(session: AsyncSession, viewer: Viewer) -> list[tuple[Building, str]]:
    """The buildings the viewer may put households in, with their micro-grid's name."""
    rows = await session.execute(
        select(Building, MicroGrid)
        .join(MicroGrid, MicroGrid.id == Building.micro_grid_id)
        .order_by(MicroGrid.id, Building.id)
    )
    return [
        (building, micro_grid.name)
        for building, micro_grid in rows.all()
        if viewer.may_see(_stand_in(micro_grid))
    ]


def _stand_in(micro_grid: MicroGrid) -> Household:
    """A household of the micro-grid, to ask whether a viewer may see its ledgers."""
    return Household(
        community_id=micro_grid.community_id,
        grid_id=micro_grid.grid_id,
        micro_grid_id=micro_grid.id,
    )


async def find_by_address(
    session: AsyncSession, building_id: int, unit_id: int | None, room: str
) -> Household | None:
    return await session.scalar(
        select(Household).where(
            Household.building_id == building_id,
            Household.unit_key == str(unit_id or ""),
            Household.room == room,
        )
    )


async def save_household(
    session: AsyncSession,
    viewer: Viewer,
    *,
    building_id: int,
    unit_id: int | None,
    room: str,
    colour: Colour,
    reason: str,
    people: str = "",
    tags: list[str] | None = None,
    phone: str | None = None,
    action: str = "create",
) -> tuple[Household, bool]:
    """Add a household, or update the one at the same address; returns it and whether new."""
    building = await session.get(Building, building_id)
    if building is None:
        raise NotFound("care-not-found")
    micro_grid = await session.get(MicroGrid, building.micro_grid_id)
    assert micro_grid is not None
    if not viewer.may_see(_stand_in(micro_grid)):
        raise NotFound("care-not-found")
    if unit_id is not None:
        unit = await session.get(Unit, unit_id)
        if unit is None or unit.building_id != building.id:
            raise NotFound("care-not-found")
    room = clean_text(room, ROOM_MAX_LENGTH, "care-bad-room")
    reason = clean_text(reason, REASON_MAX, "care-bad-reason", optional=True)
    people = clean_text(people, PEOPLE_MAX, "care-bad-people", optional=True)
    household = await find_by_address(session, building.id, unit_id, room)
    created = household is None
    if household is None:
        household = Household(
            community_id=micro_grid.community_id,
            grid_id=micro_grid.grid_id,
            micro_grid_id=micro_grid.id,
            building_id=building.id,
            unit_id=unit_id,
            unit_key=str(unit_id or ""),
            room=room,
            colour=colour,
            colour_reason=reason,
            people=people,
            tags=tags or [],
        )
        session.add(household)
        await session.flush()
        session.add(
            ColourChange(
                household_id=household.id,
                colour=colour,
                reason=reason,
                changed_by_id=viewer.user_id,
            )
        )
    else:
        if household.colour != colour or household.colour_reason != reason:
            session.add(
                ColourChange(
                    household_id=household.id,
                    colour=colour,
                    reason=reason,
                    changed_by_id=viewer.user_id,
                )
            )
        household.colour, household.colour_reason = colour, reason
        household.people = people or household.people
        household.tags = tags if tags is not None else household.tags
        household.updated_at = utcnow()
    if phone:
        household.phone_secret = encrypt(clean_phone(phone))
    log_access(session, viewer, household.community_id, household.id, action)
    await session.flush()
    return household, created


async def set_colour(
    session: AsyncSession, viewer: Viewer, household_id: int, colour: Colour, reason: str
) -> Household:
    household = await open_household(
        session, viewer, household_id, "colour", colour.value, lock=True
    )
    reason = clean_text(reason, REASON_MAX, "care-bad-reason")
    household.colour, household.colour_reason = colour, reason
    household.updated_at = utcnow()
    session.add(
        ColourChange(
            household_id=household.id, colour=colour, reason=reason, changed_by_id=viewer.user_id
        )
    )
    await session.flush()
    return household


async def set_tags(
    session: AsyncSession, viewer: Viewer, household_id: int, text: str
) -> Household:
    household = await open_household(session, viewer, household_id, "tags")
    household.tags = clean_tags(text)
    household.updated_at = utcnow()
    await session.flush()
    return household


async def set_phone(
    session: AsyncSession, viewer: Viewer, household_id: int, text: str
) -> Household:
    household = await open_household(session, viewer, household_id, "phone")
    household.phone_secret = encrypt(clean_phone(text))
    household.updated_at = utcnow()
    await session.flush()
    return household


async def add_note(session: AsyncSession, viewer: Viewer, household_id: int, text: str) -> CareNote:
    household = await open_household(session, viewer, household_id, "note")
    note = CareNote(
        household_id=household.id,
        author_id=viewer.user_id,
        body_secret=encrypt(clean_text(text, NOTE_MAX, "care-bad-note")),
    )
    session.add(note)
    await session.flush()
    return note


@dataclass(frozen=True)
class Ledger:
    """What a card shows of a household: its address, phone, notes and colour history."""

    household: Household
    address: str
    micro_grid: str
    timezone: str
    phone: str | None
    notes: list[tuple[datetime, str]]
    history: list[ColourChange]


async def read_household(session: AsyncSession, viewer: Viewer, household_id: int) -> Ledger:
    household = await open_household(session, viewer, household_id, "read")
    return await ledger_of(session, household)


async def ledger_of(session: AsyncSession, household: Household) -> Ledger:
    """For a household whose access was checked and logged already."""
    notes = await session.scalars(
        select(CareNote)
        .where(CareNote.household_id == household.id)
        .order_by(CareNote.created_at.desc(), CareNote.id.desc())
        .limit(NOTES_SHOWN)
    )
    history = await session.scalars(
        select(ColourChange)
        .where(ColourChange.household_id == household.id)
        .order_by(ColourChange.changed_at.desc(), ColourChange.id.desc())
        .limit(HISTORY_SHOWN)
    )
    place = await place_of(session, household)
    community = await session.get(Community, household.community_id)
    assert community is not None
    return Ledger(
        household=household,
        address=await address_of(session, household),
        micro_grid=place.micro_grid.name,
        timezone=community.timezone,
        phone=decrypt(household.phone_secret),
        notes=[(n.created_at, decrypt(n.body_secret) or "") for n in notes],
        history=list(history),
    )
