"""Households from and to the spreadsheets communities keep (XLSX or CSV, one household a row).

Columns, by their header in the first row (Chinese or English, in any order):
  微网格 micro_grid | 楼栋 building | 单元 unit (may be empty) | 房号 room | 颜色 colour
  | 原因 reason | 标签 tags (comma-separated) | 住户 people | 电话 phone
The address (micro-grid, building, unit, room) identifies a household, so importing a file
again changes nothing. A file with any problem is refused whole, each problem named by its row
and column."""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.care.access import Viewer, log_access
from models.care.crypto import can_encrypt, decrypt
from models.care.households import (
    COLOUR_NAMES,
    PEOPLE_MAX,
    REASON_MAX,
    clean_phone,
    clean_tags,
    find_by_address,
    place_of,
    save_household,
    visible_households,
)
from models.care.tables import Colour
from models.errors import InvalidInput
from models.members import ROOM_MAX_LENGTH
from models.structure import Building, MicroGrid, Unit

COLUMNS = ("micro_grid", "building", "unit", "room", "colour", "reason", "tags", "people", "phone")
HEADERS = {
    "micro_grid": "微网格",
    "building": "楼栋",
    "unit": "单元",
    "room": "房号",
    "colour": "颜色",
    "reason": "原因",
    "tags": "标签",
    "people": "住户",
    "phone": "电话",
}
REQUIRED = ("micro_grid", "building", "room", "colour")
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class SpreadsheetError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Row:
    number: int
    values: dict[str, str]
    formulas: set[str] = field(default_factory=set)


def read_rows(path: Path) -> list[Row]:
    """The rows of an .xlsx or .csv file as text by column name (header row is row 1)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        table = [
            [(cell, cell.startswith("=")) for cell in line]
            for line in csv.reader(io.StringIO(text))
        ]
    elif suffix == ".xlsx":
        sheet = load_workbook(path, read_only=True, data_only=False).worksheets[0]
        table = [
            [("" if c.value is None else str(c.value), c.data_type == "f") for c in line]
            for line in sheet.iter_rows()
        ]
    else:
        raise SpreadsheetError([Problem(0, "-", "the file must be .xlsx or .csv")])
    if not table:
        raise SpreadsheetError([Problem(1, "-", "the file is empty")])
    names = {**{k: k for k in COLUMNS}, **{v: k for k, v in HEADERS.items()}}
    header = [names.get(cell.strip().lower(), names.get(cell.strip())) for cell, _f in table[0]]
    missing = [HEADERS[c] for c in REQUIRED if c not in header]
    if missing:
        raise SpreadsheetError([Problem(1, "-", f"missing columns: {', '.join(missing)}")])
    if len(table) - 1 > MAX_ROWS:
        raise SpreadsheetError([Problem(MAX_ROWS + 2, "-", f"more than {MAX_ROWS} rows")])
    rows = []
    for number, line in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell, _f in line):
            continue  # a blank line
        row = Row(number, {})
        for column, (cell, formula) in zip(header, line, strict=False):
            if column is not None:
                row.values[column] = " ".join(cell.split())
                if formula:
                    row.formulas.add(column)
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Planned:
    row: int
    building_id: int
    unit_id: int | None
    room: str
    colour: Colour
    reason: str
    tags: list[str]
    people: str
    phone: str | None


async def plan_import(session: AsyncSession, community_id: int, rows: list[Row]) -> list[Planned]:
    """Check every row against the community's structure; all problems at once."""
    micro_grids = {
        m.name: m
        for m in await session.scalars(
            select(MicroGrid).where(MicroGrid.community_id == community_id)
        )
    }
    buildings = {
        (b.micro_grid_id, b.name): b
        for b in await session.scalars(
            select(Building).where(Building.community_id == community_id)
        )
    }
    units = {
        (u.building_id, u.name): u
        for u in await session.scalars(
            select(Unit).join(Building).where(Building.community_id == community_id)
        )
    }
    problems: list[Problem] = []
    planned: list[Planned] = []
    seen: dict[tuple[int, int | None, str], int] = {}
    for row in rows:
        before = len(problems)

        def problem(column: str, message: str, row: Row = row) -> None:
            problems.append(Problem(row.number, HEADERS[column], message))

        for column in sorted(row.formulas, key=COLUMNS.index):
            problem(column, "a formula; type the value itself")
        if row.formulas:
            continue
        get = row.values.get
        micro_grid = micro_grids.get(get("micro_grid", ""))
        building = unit = None
        if micro_grid is None:
            problem("micro_grid", f"unknown micro-grid {get('micro_grid', '')!r}")
        else:
            building = buildings.get((micro_grid.id, get("building", "")))
            if building is None:
                problem(
                    "building", f"unknown building {get('building', '')!r} in {micro_grid.name}"
                )
            elif get("unit"):
                unit = units.get((building.id, get("unit", "")))
                if unit is None:
                    problem("unit", f"unknown unit {get('unit', '')!r} in {building.name}")
        room = get("room", "")
        if not room or len(room) > ROOM_MAX_LENGTH or room.startswith("="):
            problem("room", f"a room number of 1-{ROOM_MAX_LENGTH} characters is needed")
        colour = COLOUR_NAMES.get(get("colour", "").lower())
        if colour is None:
            problem(
                "colour",
                f"unknown colour {get('colour', '')!r}: use red, yellow, blue or "
                "orange (红色, 黄色, 蓝色, 橙色)",
            )
        for column, limit in (("reason", REASON_MAX), ("people", PEOPLE_MAX)):
            if len(get(column, "")) > limit or get(column, "").startswith("="):
                problem(column, f"at most {limit} characters, not starting with '='")
        tags: list[str] = []
        try:
            tags = clean_tags(get("tags", ""))
        except InvalidInput:
            problem("tags", "at most 10 tags of at most 20 characters each")
        phone = get("phone") or None
        if phone is not None:
            try:
                phone = clean_phone(phone)
            except InvalidInput:
                problem("phone", "only digits, + and - please")
            if not can_encrypt():
                problem("phone", "phone numbers need GRIDBOT_DATA_KEY to be set")
        if building is not None and room:
            address = (building.id, unit.id if unit else None, room)
            if address in seen:
                problem("room", f"the same address as row {seen[address]}")
            seen.setdefault(address, row.number)
        if len(problems) == before and building is not None and colour is not None:
            planned.append(
                Planned(
                    row.number,
                    building.id,
                    unit.id if unit else None,
                    room,
                    colour,
                    get("reason", ""),
                    tags,
                    get("people", ""),
                    phone,
                )
            )
    if problems:
        raise SpreadsheetError(problems)
    return planned


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


async def import_households(
    session: AsyncSession, viewer: Viewer, community_id: int, rows: list[Row]
) -> ImportCounts:
    """Apply a checked file in the caller's transaction; each household's import is logged."""
    counts = ImportCounts()
    for plan in await plan_import(session, community_id, rows):
        existing = await find_by_address(session, plan.building_id, plan.unit_id, plan.room)
        before = None if existing is None else _snapshot(existing)
        if existing is not None and decrypt(existing.phone_secret) == plan.phone:
            phone = None  # the same number: not encrypted again, so nothing changes
        else:
            phone = plan.phone
        household, created = await save_household(
            session,
            viewer,
            building_id=plan.building_id,
            unit_id=plan.unit_id,
            room=plan.room,
            colour=plan.colour,
            reason=plan.reason,
            people=plan.people,
            tags=plan.tags,
            phone=phone,
            action="import",
        )
        if created:
            counts.created += 1
        elif before != _snapshot(household) or phone is not None:
            counts.updated += 1
        else:
            counts.unchanged += 1
    return counts


def _snapshot(household: object) -> tuple[object, ...]:
    return tuple(
        getattr(household, name)
        for name in ("colour", "colour_reason", "people", "tags", "phone_secret")
    )


async def export_rows(session: AsyncSession, viewer: Viewer, community_id: int) -> list[list[str]]:
    """The community's households in the import layout (header first); each one is logged."""
    table = [[HEADERS[c] for c in COLUMNS]]
    for household in await visible_households(session, viewer, community_id):
        place = await place_of(session, household)
        log_access(session, viewer, community_id, household.id, "export")
        table.append(
            [
                place.micro_grid.name,
                place.building.name,
                place.unit.name if place.unit else "",
                household.room,
                household.colour.value,
                household.colour_reason,
                ", ".join(household.tags or []),
                household.people,
                decrypt(household.phone_secret) or "",
            ]
        )
    return table


def write_rows(path: Path, table: list[list[str]]) -> None:
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(table)
        return
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in table:
        sheet.append(line)
    for row in sheet.iter_rows():
        for cell in row:
            cell.data_type = "s"  # text stays text, whatever it starts with
    book.save(path)
