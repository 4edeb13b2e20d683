"""Structure file import: validate a YAML file, then apply it idempotently in one transaction.

Errors name the line of the file they are about. Natural keys (names) identify rows, so
importing the same file twice changes nothing and an edited file updates rows in place.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.care.structure_spec import CareSpec, care_settings
from models.deliberation.spec import DeliberationSpec, apply_deliberation_settings
from models.members import Role, RoleAssignment, grant_role, revoke_roles, user_by_telegram_id
from models.party.structure import apply_party_structure
from models.points import Merchant, Reward
from models.requests import Category, RoutingLevel
from models.requests.categories import DEFAULT_CATEGORIES, ensure_categories
from models.resources.structure import FundSpec, apply_fund_structure
from models.schedule import JOBS, UnusableSpec, job_name, validate_spec
from models.services_import import PartnerSpec, apply_partners, check_partners
from models.structure import Building, Community, Grid, MicroGrid, Unit

Name = str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class BuildingSpec(_Strict):
    name: Name = Field(min_length=1, max_length=100)
    units: list[Name] = Field(default_factory=list)

    @field_validator("units", mode="before")
    @classmethod
    def _count_to_names(cls, value: Any) -> Any:
        # `units: 3` is shorthand for 1单元, 2单元, 3单元.
        if isinstance(value, int) and not isinstance(value, bool):
            if not 0 < value <= 50:
                raise ValueError("units must be between 1 and 50")
            return [f"{n}单元" for n in range(1, value + 1)]
        return value


class MicroGridSpec(_Strict):
    name: Name = Field(min_length=1, max_length=100)
    chat: int | None = None
    leaders_chat: int | None = None
    leaders: list[int] = Field(default_factory=list)
    volunteers: list[int] = Field(default_factory=list)
    buildings: list[BuildingSpec] = Field(default_factory=list)

    @field_validator("buildings", mode="before")
    @classmethod
    def _plain_names(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"name": str(b)} if isinstance(b, str | int) else b for b in value]
        return value


class GridSpec(_Strict):
    name: Name = Field(min_length=1, max_length=100)
    workers: list[int] = Field(default_factory=list)
    chat: int | None = None
    micro_grids: list[MicroGridSpec] = Field(default_factory=list)


class MerchantSpec(_Strict):
    name: Name = Field(min_length=1, max_length=100)
    members: list[int] = Field(default_factory=list)


class RewardSpec(_Strict):
    name: Name = Field(min_length=1, max_length=100)
    merchant: Name
    cost: int = Field(gt=0)
    weekly_stock: int = Field(ge=0)


class CategorySpec(_Strict):
    """Overrides a default category (by code) or adds a new one."""

    code: str = Field(min_length=1, max_length=32, pattern=r"^[a-z0-9_]+$")
    name: Name | None = Field(default=None, max_length=50)
    name_en: Name | None = Field(default=None, max_length=50)
    claim_hours: float | None = Field(default=None, gt=0, le=24 * 30)
    resolve_hours: float | None = Field(default=None, gt=0, le=24 * 90)
    routing: RoutingLevel | None = None
    active: bool = True


class PointsSpec(_Strict):
    """Point amounts of the community; unset ones keep their defaults."""

    task: int | None = Field(default=None, ge=0, le=10_000)
    wish: int | None = Field(default=None, ge=0, le=10_000)
    free_service: int | None = Field(default=None, ge=0, le=10_000)
    free_service_daily_cap: int | None = Field(default=None, ge=0, le=100_000)


class PartnerUnitSpec(_Strict):
    """A partner unit (共建单位); its contacts receive its members' monthly report."""

    name: Name = Field(min_length=1, max_length=100)
    contacts: list[int] = Field(default_factory=list)


class DepartmentSpec(_Strict):
    """A department the community may whistle for (街道吹哨、部门报到)."""

    name: Name = Field(min_length=1, max_length=100)
    chat: int | None = None
    contacts: list[int] = Field(default_factory=list)
    response_hours: float = Field(default=24, gt=0, le=24 * 30)


class PartySpec(_Strict):
    """Whether wishes are offered to party members first by default, and for how long."""

    wishes_first: bool = False
    priority_hours: float = Field(default=24, gt=0, le=24 * 14)


class StructureSpec(_Strict):
    community: Name = Field(min_length=1, max_length=100)
    timezone: str = "Asia/Shanghai"
    admins: list[int] = Field(default_factory=list)
    admin_chat: int | None = None
    grids: list[GridSpec] = Field(default_factory=list)
    merchants: list[MerchantSpec] = Field(default_factory=list)
    rewards: list[RewardSpec] = Field(default_factory=list)
    categories: list[CategorySpec] = Field(default_factory=list)
    points: PointsSpec | None = None
    schedule: dict[str, str] | None = None
    care: CareSpec | None = None
    units: list[PartnerUnitSpec] = Field(default_factory=list)
    departments: list[DepartmentSpec] = Field(default_factory=list)
    party: PartySpec | None = None
    partners: list[PartnerSpec] = Field(default_factory=list)
    service_star_min_orders: int = Field(default=5, ge=1, le=10_000)
    fund: FundSpec | None = None
    deliberation: DeliberationSpec | None = None

    @field_validator("schedule")
    @classmethod
    def _readable_schedule(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is None:
            return None
        value = {job_name(job): spec for job, spec in value.items()}
        for job, spec in value.items():
            if job not in JOBS:
                raise ValueError(f"unknown job {job!r}; the jobs are {', '.join(JOBS)}")
            try:
                validate_spec(job, spec)
            except UnusableSpec as exc:
                raise ValueError(f"{job}: {spec!r}: {exc}") from exc
            except (ValueError, IndexError) as exc:
                raise ValueError(f"cannot read {job}: {spec!r}") from exc
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


@dataclass
class FileProblem:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class StructureFileError(Exception):
    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class ParsedStructure:
    spec: StructureSpec
    line_of: Callable[[tuple[Any, ...]], int | None]


def _node_to_python(
    node: yaml.Node, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int]
) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = yaml.safe_load(yaml.serialize(key_node))
            if key in result:
                raise StructureFileError(
                    [FileProblem(key_node.start_mark.line + 1, f"duplicate key {key!r}")]
                )
            result[key] = _node_to_python(value_node, (*path, key), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _node_to_python(item, (*path, index), lines) for index, item in enumerate(node.value)
        ]
    return yaml.safe_load(yaml.serialize(node))


def parse_structure(text: str) -> ParsedStructure:
    """Parse and validate a structure file; raise StructureFileError naming lines."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise StructureFileError([FileProblem(line, f"not valid YAML: {exc.problem}")]) from exc
    if root is None:
        raise StructureFileError([FileProblem(None, "the file is empty")])
    lines: dict[tuple[Any, ...], int] = {}
    data = _node_to_python(root, (), lines)
    if not isinstance(data, dict):
        raise StructureFileError([FileProblem(1, "the file must be a mapping with `community:`")])

    def line_of(loc: tuple[Any, ...]) -> int | None:
        for end in range(len(loc), -1, -1):
            if loc[:end] in lines:
                return lines[loc[:end]]
        return None

    try:
        spec = StructureSpec.model_validate(data)
    except ValidationError as exc:
        problems = [
            FileProblem(
                line_of(tuple(err["loc"])),
                f"{'.'.join(str(p) for p in err['loc']) or 'file'}: {err['msg']}",
            )
            for err in exc.errors()
        ]
        raise StructureFileError(problems) from exc
    problems = _check_references(spec, line_of)
    if problems:
        raise StructureFileError(problems)
    return ParsedStructure(spec=spec, line_of=line_of)


def _check_references(
    spec: StructureSpec, line_of: Callable[[tuple[Any, ...]], int | None]
) -> list[FileProblem]:
    problems: list[FileProblem] = []

    def unique(names: list[str], path: Callable[[int], tuple[Any, ...]], what: str) -> None:
        seen: set[str] = set()
        for index, name in enumerate(names):
            if name in seen:
                problems.append(FileProblem(line_of(path(index)), f"{what} {name!r} appears twice"))
            seen.add(name)

    unique([g.name for g in spec.grids], lambda i: ("grids", i, "name"), "grid")
    micro_names = [
        (gi, mi, m.name) for gi, g in enumerate(spec.grids) for mi, m in enumerate(g.micro_grids)
    ]
    seen_micro: set[str] = set()
    for gi, mi, name in micro_names:
        if name in seen_micro:
            problems.append(
                FileProblem(
                    line_of(("grids", gi, "micro_grids", mi, "name")),
                    f"micro-grid {name!r} appears twice in the community",
                )
            )
        seen_micro.add(name)
        micro = spec.grids[gi].micro_grids[mi]
        unique(
            [b.name for b in micro.buildings],
            lambda i, gi=gi, mi=mi: ("grids", gi, "micro_grids", mi, "buildings", i),
            "building",
        )
    unique([m.name for m in spec.merchants], lambda i: ("merchants", i, "name"), "merchant")
    unique([c.code for c in spec.categories], lambda i: ("categories", i, "code"), "category")
    unique([u.name for u in spec.units], lambda i: ("units", i, "name"), "unit")
    unique([d.name for d in spec.departments], lambda i: ("departments", i, "name"), "department")
    default_codes = {d.code for d in DEFAULT_CATEGORIES}
    for index, category in enumerate(spec.categories):
        if category.code not in default_codes and not (
            category.name and category.claim_hours and category.resolve_hours
        ):
            problems.append(
                FileProblem(
                    line_of(("categories", index, "code")),
                    f"new category {category.code!r} needs name, claim_hours and resolve_hours",
                )
            )
    merchant_names = {m.name for m in spec.merchants}
    seen_rewards: set[tuple[str, str]] = set()
    for index, reward in enumerate(spec.rewards):
        if reward.merchant not in merchant_names:
            problems.append(
                FileProblem(
                    line_of(("rewards", index, "merchant")),
                    f"reward {reward.name!r} names merchant {reward.merchant!r}, "
                    "which is not listed under merchants",
                )
            )
        if (reward.merchant, reward.name) in seen_rewards:
            problems.append(
                FileProblem(
                    line_of(("rewards", index, "name")), f"reward {reward.name!r} appears twice"
                )
            )
        seen_rewards.add((reward.merchant, reward.name))
    problems += check_partners(spec, line_of)
    return problems


@dataclass
class ImportReport:
    community: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], what: str) -> None:
        bucket[what] = bucket.get(what, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


def _assign(obj: Any, report: ImportReport, what: str, **values: Any) -> None:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    if changed:
        report.count(report.updated, what)


async def apply_structure(
    session: AsyncSession,
    spec: StructureSpec,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Create or update everything the file names. The caller owns the transaction."""
    step = progress or (lambda _what: None)
    report = ImportReport(community=spec.community)

    community = await session.scalar(select(Community).where(Community.name == spec.community))
    if community is None:
        community = Community(name=spec.community, timezone=spec.timezone, settings={})
        session.add(community)
        await session.flush()
        report.count(report.created, "community")
    settings = dict(community.settings or {})
    if spec.points is not None:
        settings["points"] = spec.points.model_dump(exclude_none=True)
    if spec.schedule is not None:
        settings["schedule"] = spec.schedule
    settings.update(care_settings(spec.care))
    apply_deliberation_settings(settings, spec.deliberation)
    _assign(
        community, report, "community",
        timezone=spec.timezone, admin_chat_id=spec.admin_chat, settings=settings,
    )  # fmt: skip

    if await ensure_categories(session, community.id):
        report.count(report.created, "categories")
    await _apply_categories(session, community, spec.categories, report)
    wanted_roles: set[tuple[int, Role, str]] = set()

    async def want(telegram_id: int, role: Role, **scope: int | None) -> None:
        user = await user_by_telegram_id(session, telegram_id)
        assignment, created = await grant_role(
            session, user, role, community.id, source="import", **scope
        )
        if created:
            report.count(report.created, f"role:{role.value}")
        wanted_roles.add((user.id, role, assignment.scope_key))

    for telegram_id in spec.admins:
        await want(telegram_id, Role.ADMIN)

    for grid_spec in spec.grids:
        step(f"grid {grid_spec.name}")
        grid = await session.scalar(
            select(Grid).where(Grid.community_id == community.id, Grid.name == grid_spec.name)
        )
        if grid is None:
            grid = Grid(community_id=community.id, name=grid_spec.name)
            session.add(grid)
            await session.flush()
            report.count(report.created, "grid")
        _assign(grid, report, "grid", chat_id=grid_spec.chat)
        for telegram_id in grid_spec.workers:
            await want(telegram_id, Role.GRID_WORKER, grid_id=grid.id)

        for micro_spec in grid_spec.micro_grids:
            step(f"micro-grid {micro_spec.name}")
            micro = await session.scalar(
                select(MicroGrid).where(
                    MicroGrid.community_id == community.id, MicroGrid.name == micro_spec.name
                )
            )
            if micro is None:
                micro = MicroGrid(community_id=community.id, grid_id=grid.id, name=micro_spec.name)
                session.add(micro)
                await session.flush()
                report.count(report.created, "micro_grid")
            _assign(
                micro,
                report,
                "micro_grid",
                grid_id=grid.id,
                chat_id=micro_spec.chat,
                leaders_chat_id=micro_spec.leaders_chat,
            )
            for telegram_id in micro_spec.leaders:
                await want(telegram_id, Role.LEADER, grid_id=grid.id, micro_grid_id=micro.id)
            for telegram_id in micro_spec.volunteers:
                await want(telegram_id, Role.VOLUNTEER, grid_id=grid.id, micro_grid_id=micro.id)
            await _apply_buildings(session, community, micro, micro_spec.buildings, report)

    merchants: dict[str, Merchant] = {}
    for merchant_spec in spec.merchants:
        merchant = await session.scalar(
            select(Merchant).where(
                Merchant.community_id == community.id, Merchant.name == merchant_spec.name
            )
        )
        if merchant is None:
            merchant = Merchant(community_id=community.id, name=merchant_spec.name)
            session.add(merchant)
            await session.flush()
            report.count(report.created, "merchant")
        merchants[merchant.name] = merchant
        for telegram_id in merchant_spec.members:
            await want(telegram_id, Role.MERCHANT, merchant_id=merchant.id)

    for reward_spec in spec.rewards:
        merchant = merchants[reward_spec.merchant]
        reward = await session.scalar(
            select(Reward).where(Reward.merchant_id == merchant.id, Reward.name == reward_spec.name)
        )
        if reward is None:
            reward = Reward(
                community_id=community.id,
                merchant_id=merchant.id,
                name=reward_spec.name,
                cost=reward_spec.cost,
                weekly_stock=reward_spec.weekly_stock,
            )
            session.add(reward)
            report.count(report.created, "reward")
        else:
            _assign(
                reward,
                report,
                "reward",
                cost=reward_spec.cost,
                weekly_stock=reward_spec.weekly_stock,
            )

    await apply_party_structure(session, community, spec, report)
    await apply_partners(session, community, spec, report)
    await apply_fund_structure(community, spec, report)

    # Roles that came from an earlier version of the file and are gone from it now.
    stale = [
        assignment
        for assignment in (
            await session.scalars(
                select(RoleAssignment).where(
                    RoleAssignment.community_id == community.id, RoleAssignment.source == "import"
                )
            )
        ).all()
        if (assignment.user_id, assignment.role, assignment.scope_key) not in wanted_roles
    ]
    for assignment in stale:
        report.count(report.removed, f"role:{assignment.role.value}")
    await revoke_roles(session, [a.id for a in stale])
    await session.flush()
    return report


async def _apply_categories(
    session: AsyncSession, community: Community, specs: list[CategorySpec], report: ImportReport
) -> None:
    for spec in specs:
        category = await session.scalar(
            select(Category).where(
                Category.community_id == community.id, Category.code == spec.code
            )
        )
        if category is None:
            category = Category(
                community_id=community.id, code=spec.code, name_zh=spec.name or spec.code,
                name_en=spec.name_en or spec.name,
                claim_minutes=round((spec.claim_hours or 0) * 60),
                resolve_minutes=round((spec.resolve_hours or 0) * 60),
                routing_level=spec.routing or RoutingLevel.MICRO_GRID, sort_order=100,
            )  # fmt: skip
            session.add(category)
            report.count(report.created, "category")
            continue
        values: dict[str, Any] = {"active": spec.active}
        if spec.name:
            values["name_zh"] = spec.name
        if spec.name_en:
            values["name_en"] = spec.name_en
        if spec.claim_hours:
            values["claim_minutes"] = round(spec.claim_hours * 60)
        if spec.resolve_hours:
            values["resolve_minutes"] = round(spec.resolve_hours * 60)
        if spec.routing:
            values["routing_level"] = spec.routing
        _assign(category, report, "category", **values)


async def _apply_buildings(
    session: AsyncSession,
    community: Community,
    micro: MicroGrid,
    specs: list[BuildingSpec],
    report: ImportReport,
) -> None:
    existing = {
        b.name: b
        for b in (
            await session.scalars(select(Building).where(Building.micro_grid_id == micro.id))
        ).all()
    }
    for building_spec in specs:
        building = existing.get(building_spec.name)
        if building is None:
            building = Building(
                community_id=community.id, micro_grid_id=micro.id, name=building_spec.name
            )
            session.add(building)
            await session.flush()
            report.count(report.created, "building")
        units = set(
            (await session.scalars(select(Unit.name).where(Unit.building_id == building.id))).all()
        )
        for unit_name in building_spec.units:
            if unit_name not in units:
                session.add(Unit(building_id=building.id, name=unit_name))
                report.count(report.created, "unit")


def read_structure_file(path: Path) -> ParsedStructure:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StructureFileError(
            [FileProblem(None, f"cannot read {path}: {exc.strerror}")]
        ) from exc
    except UnicodeDecodeError as exc:
        raise StructureFileError([FileProblem(None, f"{path} is not UTF-8 text")]) from exc
    return parse_structure(text)
