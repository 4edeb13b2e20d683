"""Needs (治理需求清单) and projects (服务项目清单): staff add needs or accept the ones the bot
proposes; a project made from needs is taken up one way (认领 by a unit, 购买 from a partner,
承接 by the community), carried out, accepted, rated by residents of its scope, and its 成效
told. Every step is dated with its actor; every change is a compare-and-set."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.deliberation import Proposal, ProposalStatus
from models.deliberation.workflow import find_proposal
from models.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from models.members import Member
from models.notices import Notice, emit
from models.party import PartnerUnit
from models.party.membership import list_units
from models.requests import Category, Request, RequestKind, RequestStatus
from models.resources.fund import (
    clean_text,
    fund_settings,
    is_treasurer,
    next_number,
    parse_amount,
    private_card,
)
from models.resources.tables import (
    Need,
    NeedSource,
    NeedStatus,
    Project,
    ProjectNeed,
    ProjectRating,
    ProjectStage,
    ProjectStatus,
    ScopeKind,
    TakeUp,
)
from models.services import Partner
from models.structure import Community, Grid, MicroGrid

COMMUNITY_WORDS = {"社区", "全社区", "community"}
DEFAULT_REPEAT, DEFAULT_DAYS = 5, 30
MAX_PEOPLE = 1_000_000
# A project may be cancelled (撤销) until it is accepted (验收).
CANCELLABLE = (ProjectStatus.OPEN, ProjectStatus.TAKEN, ProjectStatus.UNDERWAY)
# Projects money may still be earmarked for or spent on.
LIVE = (*CANCELLABLE, ProjectStatus.ACCEPTED)
CANCEL_REASON_MAX = 200


@dataclass
class Scope:
    kind: ScopeKind
    grid_id: int | None = None
    micro_grid_id: int | None = None


async def find_scope(session: AsyncSession, community: Community, name: str) -> Scope:
    """A micro-grid or grid of the community by its name, or the whole community."""
    name = name.strip()
    if name in COMMUNITY_WORDS or name == community.name:
        return Scope(ScopeKind.COMMUNITY)
    micro = await session.scalar(select(MicroGrid).where(
        MicroGrid.community_id == community.id, MicroGrid.name == name))  # fmt: skip
    if micro is not None:
        return Scope(ScopeKind.MICRO_GRID, micro.grid_id, micro.id)
    grid = await session.scalar(select(Grid).where(
        Grid.community_id == community.id, Grid.name == name))  # fmt: skip
    if grid is not None:
        return Scope(ScopeKind.GRID, grid.id)
    raise InvalidInput("fund-scope-unknown", name=name[:50])


def parse_people(text: str) -> int:
    text = text.strip()
    if not text.isdigit() or not 0 <= int(text) <= MAX_PEOPLE:
        raise InvalidInput("fund-people-bad")
    return int(text)


async def scope_chats(session: AsyncSession, community_id: int, scope: Any) -> list[int]:
    """The residents' groups of a need's or project's scope."""
    query = select(MicroGrid.chat_id).where(
        MicroGrid.community_id == community_id, MicroGrid.chat_id.is_not(None)
    )
    if scope.scope == ScopeKind.MICRO_GRID:
        query = query.where(MicroGrid.id == scope.micro_grid_id)
    elif scope.scope == ScopeKind.GRID:
        query = query.where(MicroGrid.grid_id == scope.grid_id)
    return list(dict.fromkeys(c for c in await session.scalars(query.order_by(MicroGrid.id)) if c))


async def scope_name(session: AsyncSession, thing: Any) -> str | None:
    """The micro-grid's or grid's name; None for the whole community."""
    if thing.scope == ScopeKind.MICRO_GRID:
        micro = await session.get(MicroGrid, thing.micro_grid_id)
        return micro.name if micro else None
    if thing.scope == ScopeKind.GRID:
        grid = await session.get(Grid, thing.grid_id)
        return grid.name if grid else None
    return None


def _require_staff(member: Member, community_id: int) -> None:
    if not is_treasurer(member, community_id):
        raise NotAllowed("fund-staff-only")


# --- needs --------------------------------------------------------------------------------


async def add_need(
    session: AsyncSession, member: Member | None, community: Community, *, title: str,
    scope: Scope, people: int, source: NeedSource = NeedSource.STAFF,
    source_key: str | None = None,
) -> Need | None:  # fmt: skip
    """Staff's need (on the list at once; `member` is None from the command line), or the
    bot's proposal for staff to decide; a cause proposed before is not proposed again (None)."""
    if member is not None:
        _require_staff(member, community.id)
    need = Need(
        community_id=community.id, title=clean_text(title, 100, "fund-title-bad"),
        scope=scope.kind, grid_id=scope.grid_id, micro_grid_id=scope.micro_grid_id, source=source,
        source_key=source_key, people=people,
        status=NeedStatus.OPEN if source == NeedSource.STAFF else NeedStatus.PROPOSED,
        created_by_id=member.user.id if member else None, created_at=utcnow(),
    )  # fmt: skip
    try:
        async with session.begin_nested():
            need.number = await next_number(session, community.id, "need")
            session.add(need)
            await session.flush()
    except IntegrityError:
        return None  # its cause was proposed already
    if need.status == NeedStatus.PROPOSED and community.admin_chat_id:
        emit(session, Notice("copy", chat_id=community.admin_chat_id, args={
            "kind": "fund-need", "id": need.id, "variant": "staff"},
            dedup_key=f"fund-need:{need.id}"))  # fmt: skip
    return need


async def decide_need(session: AsyncSession, member: Member, need_id: int, accept: bool) -> Need:
    need = await session.get(Need, need_id)
    if need is None:
        raise NotFound()
    _require_staff(member, need.community_id)
    moved = await session.execute(
        update(Need)
        .where(Need.id == need.id, Need.status == NeedStatus.PROPOSED)
        .values(status=NeedStatus.OPEN if accept else NeedStatus.DISMISSED,
                decided_by_id=member.user.id, decided_at=utcnow(), version=Need.version + 1)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    await session.refresh(need)
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidState("fund-need-decided", number=need.number)
    emit(session, Notice("refresh", args={"kind": "fund-need", "id": need.id}))
    return need


async def needs_of(session: AsyncSession, community_id: int, statuses: tuple[NeedStatus, ...]
                   ) -> list[Need]:  # fmt: skip
    rows = await session.scalars(
        select(Need)
        .where(Need.community_id == community_id, Need.status.in_(statuses))
        .order_by(Need.number)
    )
    return list(rows)


async def propose_needs(session: AsyncSession, community: Community, now: datetime) -> int:
    """The daily look: needs proposed from recurring requests, wishes left unclaimed past
    their deadline and passed proposals. Returns how many were proposed."""
    settings = fund_settings(community)
    repeat = int(settings.get("need_repeat", DEFAULT_REPEAT))
    days = int(settings.get("need_days", DEFAULT_DAYS))
    proposed = 0
    since = now - timedelta(days=days)
    rows = await session.execute(
        select(Request.micro_grid_id, Request.category_id, func.count())
        .where(Request.community_id == community.id, Request.kind == RequestKind.REPORT,
               Request.category_id.is_not(None), Request.created_at >= since,
               Request.status != RequestStatus.MERGED)
        .group_by(Request.micro_grid_id, Request.category_id)
        .having(func.count() >= repeat)
    )  # fmt: skip
    for micro_grid_id, category_id, count in rows.all():
        micro = await session.get(MicroGrid, micro_grid_id)
        category = await session.get(Category, category_id)
        assert micro is not None and category is not None
        # One proposal per place, category and month: a streak that goes on is not re-asked.
        key = f"recurring:{micro.id}:{category.id}:{now:%Y-%m}"
        title = f"{category.name_zh}：{micro.name} {days} 天内 {count} 次"
        scope = Scope(ScopeKind.MICRO_GRID, micro.grid_id, micro.id)
        if await add_need(session, None, community, title=title, scope=scope, people=0,
                          source=NeedSource.RECURRING, source_key=key):  # fmt: skip
            proposed += 1
    wishes = await session.scalars(
        select(Request).where(
            Request.community_id == community.id, Request.kind == RequestKind.WISH,
            Request.status.in_((RequestStatus.SUBMITTED, RequestStatus.ROUTED)),
            Request.claim_deadline.is_not(None), Request.claim_deadline < now,
        ).order_by(Request.id)
    )  # fmt: skip
    for wish in wishes:
        micro = await session.get(MicroGrid, wish.micro_grid_id)
        assert micro is not None
        scope = Scope(ScopeKind.MICRO_GRID, micro.grid_id, micro.id)
        title = " ".join(wish.text.split())[:100]
        if await add_need(session, None, community, title=title, scope=scope, people=1,
                          source=NeedSource.WISH, source_key=f"wish:{wish.id}"):  # fmt: skip
            proposed += 1
    passed = await session.scalars(select(Proposal).where(
        Proposal.community_id == community.id, Proposal.status == ProposalStatus.PASSED
    ).order_by(Proposal.id))  # fmt: skip
    for proposal in passed:
        scope = Scope(ScopeKind(proposal.scope.value), proposal.grid_id, proposal.micro_grid_id)
        if await add_need(session, None, community, title=proposal.title, scope=scope,
                          people=0, source=NeedSource.PROPOSAL,
                          source_key=f"proposal:{proposal.id}"):  # fmt: skip
            proposed += 1
    return proposed


# --- projects -----------------------------------------------------------------------------


async def get_project(session: AsyncSession, project_id: int) -> Project:
    project = await session.get(Project, project_id)
    if project is None:
        raise NotFound()
    return project


def _stage(session: AsyncSession, project: Project, stage: str, actor_id: int | None) -> None:
    session.add(ProjectStage(project_id=project.id, stage=stage, actor_id=actor_id, at=utcnow()))


async def stages_of(session: AsyncSession, project_id: int) -> list[ProjectStage]:
    rows = await session.scalars(
        select(ProjectStage).where(ProjectStage.project_id == project_id).order_by(ProjectStage.id)
    )
    return list(rows)


async def create_project(
    session: AsyncSession, member: Member, community: Community, *, need_numbers: list[int],
    title: str, budget: str, people: str, plan: str, proposal_label: str | None = None,
) -> Project:  # fmt: skip
    """立项 from one or more open needs; the scope is the first need's."""
    _require_staff(member, community.id)
    if not need_numbers or len(need_numbers) > 20:
        raise InvalidInput("fund-project-usage")
    needs = []
    for number in dict.fromkeys(need_numbers):
        need = await session.scalar(select(Need).where(
            Need.community_id == community.id, Need.number == number))  # fmt: skip
        if need is None:
            raise NotFound("fund-need-unknown", number=number)
        if need.status != NeedStatus.OPEN:
            raise InvalidState("fund-need-not-open", number=number)
        needs.append(need)
    proposal = None
    if proposal_label:
        proposal = await find_proposal(session, community.id, proposal_label)
        if proposal.status not in (ProposalStatus.PASSED, ProposalStatus.IMPLEMENTED):
            raise InvalidState("fund-proposal-not-passed", label=proposal_label)
    first = needs[0]
    # Everything is checked before the number is taken: a refusal leaves no gap.
    title = clean_text(title, 100, "fund-title-bad")
    plan = clean_text(plan, 1000, "fund-plan-bad")
    fen, helped = parse_amount(budget), parse_people(people)
    project = Project(
        community_id=community.id, number=await next_number(session, community.id, "project"),
        title=title, scope=first.scope, grid_id=first.grid_id,
        micro_grid_id=first.micro_grid_id, plan=plan, budget=fen, people=helped,
        proposal_id=proposal.id if proposal else None, status=ProjectStatus.OPEN,
        created_by_id=member.user.id, created_at=utcnow(), photos=[],
    )  # fmt: skip
    session.add(project)
    await session.flush()
    for need in needs:
        need.status = NeedStatus.IN_PROJECT
        session.add(ProjectNeed(project_id=project.id, need_id=need.id))
    _stage(session, project, "created", member.user.id)
    emit(session, Notice("copy", user_id=member.user.id, args={
        "kind": "fund-project", "id": project.id, "variant": "staff"}))  # fmt: skip
    return project


async def _move(
    session: AsyncSession, project: Project, frm: ProjectStatus, to: ProjectStatus,
    **values: Any,
) -> None:  # fmt: skip
    moved = await session.execute(
        update(Project)
        .where(Project.id == project.id, Project.status == frm,
               Project.version == project.version)
        .values(status=to, version=Project.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(project)
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        if project.status == ProjectStatus.CANCELLED:
            raise InvalidState("fund-project-cancelled-already", number=project.number)
        if project.take_up is not None and frm == ProjectStatus.OPEN:
            raise InvalidState("fund-project-had-taker", number=project.number)
        raise InvalidState("fund-project-stale", number=project.number)
    emit(session, Notice("refresh", args={"kind": "fund-project", "id": project.id}))


async def partners_of(session: AsyncSession, community_id: int) -> list[Partner]:
    rows = await session.scalars(
        select(Partner).where(Partner.community_id == community_id).order_by(Partner.id)
    )
    return list(rows)


async def unit_of_contact(session: AsyncSession, member: Member, community_id: int
                          ) -> PartnerUnit | None:  # fmt: skip
    for unit in await list_units(session, community_id):
        if member.user.telegram_id in (unit.contacts or []):
            return unit
    return None


async def offer_to_units(session: AsyncSession, member: Member, project_id: int) -> int:
    """The project's card with a 认领 button to every contact of the community's units."""
    project = await get_project(session, project_id)
    _require_staff(member, project.community_id)
    if project.status != ProjectStatus.OPEN:
        raise InvalidState("fund-project-had-taker", number=project.number)
    community = await session.get(Community, project.community_id)
    assert community is not None
    sent = 0
    for unit in await list_units(session, project.community_id):
        for telegram_id in unit.contacts or []:
            emit(session, private_card(community, telegram_id, "fund-project", project.id,
                                       "unit", dedup_key=f"fund-offer:{project.id}:{telegram_id}"))
            sent += 1
    if not sent:
        raise InvalidState("fund-no-unit-contacts")
    return sent


async def claim(session: AsyncSession, member: Member, project_id: int) -> Project:
    """认领: the first unit to press wins; every other press is told who has it."""
    project = await get_project(session, project_id)
    unit = await unit_of_contact(session, member, project.community_id)
    if unit is None:
        raise NotAllowed("fund-unit-contacts-only")
    await _move(session, project, ProjectStatus.OPEN, ProjectStatus.TAKEN,
                take_up=TakeUp.CLAIM, unit_id=unit.id)  # fmt: skip
    _stage(session, project, "claimed", member.user.id)
    return project


async def undertake(session: AsyncSession, member: Member, project_id: int) -> Project:
    project = await get_project(session, project_id)
    _require_staff(member, project.community_id)
    await _move(session, project, ProjectStatus.OPEN, ProjectStatus.TAKEN,
                take_up=TakeUp.UNDERTAKE)  # fmt: skip
    _stage(session, project, "undertaken", member.user.id)
    return project


async def purchase(
    session: AsyncSession, member: Member, project_id: int, partner_id: int
) -> Project:
    project = await get_project(session, project_id)
    _require_staff(member, project.community_id)
    partner = await session.get(Partner, partner_id)
    if partner is None or partner.community_id != project.community_id:
        raise NotFound()
    await _move(session, project, ProjectStatus.OPEN, ProjectStatus.TAKEN,
                take_up=TakeUp.PURCHASE, partner_id=partner.id)  # fmt: skip
    _stage(session, project, "purchased", member.user.id)
    return project


async def staff_project(session: AsyncSession, member: Member, project_id: int) -> Project:
    """A project of a community the member is staff of; anyone else is refused."""
    project = await get_project(session, project_id)
    _require_staff(member, project.community_id)
    return project


def check_cancellable(project: Project) -> None:
    """撤销 is possible until 验收, once."""
    if project.status == ProjectStatus.CANCELLED:
        raise InvalidState("fund-project-cancelled-already", number=project.number)
    if project.status not in CANCELLABLE:
        raise InvalidState("fund-project-cancel-too-late", number=project.number)


def clean_cancel_reason(reason: str | None) -> str:
    return clean_text(reason, CANCEL_REASON_MAX, "fund-cancel-reason-bad")


async def cancel(session: AsyncSession, member: Member, project_id: int, reason: str
                 ) -> Project:  # fmt: skip
    """撤销 by staff before 验收, with a reason. A compare-and-set like every step: of a cancel
    and a claim at once, one happens first and the other finds the project moved on. Money
    earmarked for it stays earmarked until staff re-designate it (fund.redesignate)."""
    project = await staff_project(session, member, project_id)
    reason = clean_cancel_reason(reason)
    check_cancellable(project)
    moved = await session.execute(
        update(Project)
        .where(Project.id == project.id, Project.status.in_(CANCELLABLE),
               Project.version == project.version)
        .values(status=ProjectStatus.CANCELLED, version=Project.version + 1,
                cancel_reason=reason)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    await session.refresh(project)
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidState("fund-project-stale", number=project.number)
    _stage(session, project, "cancelled", member.user.id)
    emit(session, Notice("refresh", args={"kind": "fund-project", "id": project.id}))
    unit = await session.get(PartnerUnit, project.unit_id) if project.unit_id else None
    if unit is not None:  # the unit that took it up hears it is off, with the reason
        community = await session.get(Community, project.community_id)
        assert community is not None
        for telegram_id in unit.contacts or []:
            emit(session, private_card(community, telegram_id, "fund-project", project.id,
                                       "unit", dedup_key=f"fund-cancel:{project.id}:{telegram_id}"))
    return project


async def live_projects(session: AsyncSession, community_id: int) -> list[Project]:
    """Projects money may be earmarked for or paid to (not cancelled, not finished)."""
    rows = await session.scalars(select(Project).where(
        Project.community_id == community_id, Project.status.in_(LIVE)
    ).order_by(Project.number).limit(30))  # fmt: skip
    return list(rows)


async def _may_carry_out(session: AsyncSession, member: Member, project: Project) -> bool:
    if is_treasurer(member, project.community_id):
        return True
    unit = await unit_of_contact(session, member, project.community_id)
    return unit is not None and unit.id == project.unit_id


async def start(session: AsyncSession, member: Member, project_id: int) -> Project:
    """实施: staff or the claiming unit's contact."""
    project = await get_project(session, project_id)
    if not await _may_carry_out(session, member, project):
        raise NotAllowed("fund-project-doers-only")
    await _move(session, project, ProjectStatus.TAKEN, ProjectStatus.UNDERWAY)
    _stage(session, project, "underway", member.user.id)
    return project


async def accept(session: AsyncSession, member: Member, project_id: int) -> Project:
    """验收 by staff; the residents' groups of the scope are asked to rate it."""
    project = await get_project(session, project_id)
    _require_staff(member, project.community_id)
    await _move(session, project, ProjectStatus.UNDERWAY, ProjectStatus.ACCEPTED)
    _stage(session, project, "accepted", member.user.id)
    for chat in await scope_chats(session, project.community_id, project):
        emit(session, Notice("copy", chat_id=chat, args={
            "kind": "fund-project", "id": project.id, "variant": "rate"},
            dedup_key=f"fund-rate-ask:{project.id}:{chat}"))  # fmt: skip
    return project


async def rate(session: AsyncSession, member: Member, project_id: int, stars: int) -> Project:
    project = await get_project(session, project_id)
    if not 1 <= stars <= 5:
        raise InvalidInput("error-stale")
    residence = member.residence
    if residence is None or residence.community_id != project.community_id:
        raise NotAllowed("fund-rate-residents-only")
    micro = await session.get(MicroGrid, residence.micro_grid_id)
    assert micro is not None
    if (project.scope == ScopeKind.MICRO_GRID and micro.id != project.micro_grid_id) or (
        project.scope == ScopeKind.GRID and micro.grid_id != project.grid_id
    ):
        raise NotAllowed("fund-rate-residents-only")
    if project.status not in (ProjectStatus.ACCEPTED, ProjectStatus.DONE):
        raise InvalidState("fund-project-stale", number=project.number)
    try:
        async with session.begin_nested():
            session.add(ProjectRating(project_id=project.id, user_id=member.user.id,
                                      stars=stars, at=utcnow()))  # fmt: skip
            await session.flush()
    except IntegrityError as error:
        raise InvalidState("fund-rated-already") from error
    emit(session, Notice("refresh", args={"kind": "fund-project", "id": project.id}))
    return project


async def ratings_of(session: AsyncSession, project_id: int) -> tuple[int, float | None]:
    count, average = (await session.execute(
        select(func.count(), func.avg(ProjectRating.stars))
        .where(ProjectRating.project_id == project_id)
    )).one()  # fmt: skip
    return int(count), (round(float(average), 1) if average is not None else None)


async def record_outcome(
    session: AsyncSession, member: Member, project_id: int, helped: str, outcome: str,
    photo_file_id: str | None = None,
) -> Project:  # fmt: skip
    """成效: people actually helped, what came of it, and photos."""
    project = await get_project(session, project_id)
    _require_staff(member, project.community_id)
    await _move(session, project, ProjectStatus.ACCEPTED, ProjectStatus.DONE,
                helped=parse_people(helped),
                outcome=clean_text(outcome, 1000, "fund-outcome-bad"),
                photos=[photo_file_id] if photo_file_id else [])  # fmt: skip
    _stage(session, project, "outcome", member.user.id)
    return project


async def project_by_label(session: AsyncSession, community_id: int, text: str) -> Project:
    digits = text.strip().lstrip("#")
    if not digits.isdigit() or len(digits) > 6:
        raise InvalidInput("fund-project-number-bad")
    project = await session.scalar(select(Project).where(
        Project.community_id == community_id, Project.number == int(digits)))  # fmt: skip
    if project is None:
        raise NotFound("fund-project-unknown", number=int(digits))
    return project

