"""How needs and projects look in chat: a proposed need's card for staff, a project's card for
staff, for the units' contacts (with 认领) and for the residents' groups (with stars)."""

from aiogram.filters.callback_data import CallbackData
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.copies import Draw, Drawing, renders
from bot.i18n import Translator
from models.copies import MessageCopy
from models.deliberation import Proposal
from models.deliberation.workflow import proposal_label
from models.members import User
from models.party import PartnerUnit
from models.resources.fund import earmarked_for, releasable, yuan
from models.resources.projects import (
    CANCELLABLE,
    get_project,
    partners_of,
    ratings_of,
    scope_name,
    stages_of,
)
from models.resources.tables import Need, NeedStatus, ProjectStatus
from models.services import Partner


class NeedDecide(CallbackData, prefix="fn"):
    id: int
    accept: bool


class NeedScope(CallbackData, prefix="fns"):
    """The guided /need: the scope picked (the community, a grid or a micro-grid)."""

    kind: str
    id: int = 0


class ProjectStep(CallbackData, prefix="fp"):
    # units | undertake | partners | claim | start | accept | cancel | cancel-yes | release |
    # release-yes
    action: str
    id: int


class ProjectPartner(CallbackData, prefix="fpp"):
    id: int
    partner: int


class ProjectRate(CallbackData, prefix="fr"):
    id: int
    stars: int


@renders("fund-need")
async def _need(session: AsyncSession, need_id: int) -> Draw:
    need = await session.get(Need, need_id)
    assert need is not None
    place = await scope_name(session, need)

    def draw(t: Translator, copy: MessageCopy) -> Drawing:
        text = "\n".join([
            t("fund-need-card", number=need.number, title=need.title,
              scope=place or t("fund-scope-community"),
              source=t(f"fund-source-{need.source.value}")),
            t(f"fund-need-{need.status.value}"),
        ])  # fmt: skip
        if need.status != NeedStatus.PROPOSED:
            return text, None
        builder = InlineKeyboardBuilder()
        builder.button(text=t("fund-btn-need-accept"), callback_data=NeedDecide(id=need.id,
                                                                              accept=True))
        builder.button(text=t("fund-btn-need-dismiss"), callback_data=NeedDecide(id=need.id,
                                                                               accept=False))
        return text, builder.as_markup()

    return draw


@renders("fund-project")
async def _project(session: AsyncSession, project_id: int) -> Draw:
    project = await get_project(session, project_id)
    place = await scope_name(session, project)
    unit = await session.get(PartnerUnit, project.unit_id) if project.unit_id else None
    partner = await session.get(Partner, project.partner_id) if project.partner_id else None
    proposal = await session.get(Proposal, project.proposal_id) if project.proposal_id else None
    stages = await stages_of(session, project.id)
    actors = {}
    for stage in stages:
        user = await session.get(User, stage.actor_id) if stage.actor_id else None
        actors[stage.id] = user.full_name or str(user.telegram_id) if user else "-"
    count, average = await ratings_of(session, project.id)
    partners = await partners_of(session, project.community_id)
    earmarked = await earmarked_for(session, project)

    def draw(t: Translator, copy: MessageCopy) -> Drawing:
        lines = [t("fund-project-card", number=project.number, title=project.title,
                   scope=place or t("fund-scope-community"),
                   budget=yuan(project.budget), people=project.people,
                   plan=project.plan)]  # fmt: skip
        if proposal is not None:
            lines.append(t("fund-project-proposal", label=proposal_label(proposal),
                           title=proposal.title))  # fmt: skip
        if project.take_up is not None:
            by = unit.name if unit else partner.name if partner else t("fund-scope-community")
            lines.append(t(f"fund-take-up-{project.take_up.value}", by=by))
        lines.append(t(f"fund-project-{project.status.value}"))
        if project.cancel_reason:
            lines.append(t("fund-project-cancel-reason", reason=project.cancel_reason))
        if copy.variant != "rate":
            lines += [t(f"fund-stage-{s.stage}", date=s.at.strftime("%Y-%m-%d"),
                        actor=actors[s.id]) for s in stages]  # fmt: skip
        if count:
            lines.append(t("fund-project-rated", count=count, average=average))
        if project.helped is not None:
            lines.append(t("fund-project-outcome", helped=project.helped,
                           outcome=project.outcome or ""))  # fmt: skip
        builder = InlineKeyboardBuilder()
        status = project.status
        if copy.variant == "rate" and status in (ProjectStatus.ACCEPTED, ProjectStatus.DONE):
            for stars in range(1, 6):
                builder.button(text="★" * stars, callback_data=ProjectRate(id=project.id,
                                                                          stars=stars))
            builder.adjust(5)
        elif copy.variant == "unit":
            if status == ProjectStatus.OPEN:
                builder.button(text=t("fund-btn-claim"),
                               callback_data=ProjectStep(action="claim", id=project.id))
            elif status == ProjectStatus.TAKEN and unit and copy.chat_id in (unit.contacts or []):
                builder.button(text=t("fund-btn-start"),
                               callback_data=ProjectStep(action="start", id=project.id))
        elif copy.variant == "staff":
            if status == ProjectStatus.OPEN:
                for action in ("units", "undertake") + (("partners",) if partners else ()):
                    builder.button(text=t(f"fund-btn-{action}"),
                                   callback_data=ProjectStep(action=action, id=project.id))
                builder.adjust(1)
            elif status == ProjectStatus.TAKEN:
                builder.button(text=t("fund-btn-start"),
                               callback_data=ProjectStep(action="start", id=project.id))
            elif status == ProjectStatus.UNDERWAY:
                builder.button(text=t("fund-btn-accept"),
                               callback_data=ProjectStep(action="accept", id=project.id))
            elif status == ProjectStatus.ACCEPTED:
                lines.append(t("fund-outcome-hint", number=project.number))
            if status in CANCELLABLE:
                builder.button(text=t("fund-btn-cancel"),
                               callback_data=ProjectStep(action="cancel", id=project.id))
                builder.adjust(1)
            elif releasable(project, earmarked):
                lines.append(t("fund-project-earmarked-left", amount=yuan(earmarked)))
                builder.button(text=t("fund-btn-release"),
                               callback_data=ProjectStep(action="release", id=project.id))
        markup = builder.as_markup()
        return "\n".join(lines), markup if markup.inline_keyboard else None

    return draw


def partner_keyboard(t: Translator, project_id: int, partners: list[Partner]):  # type: ignore[no-untyped-def]
    builder = InlineKeyboardBuilder()
    for partner in partners:
        builder.button(text=partner.name,
                       callback_data=ProjectPartner(id=project_id, partner=partner.id))  # fmt: skip
    builder.adjust(1)
    return builder.as_markup()
