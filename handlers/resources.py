"""Needs, resources and projects in chat (一书三单): /need, /needs, /project, /projects,
/outcome, /offer and /agreement, and the buttons of need and project cards."""

import re
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.notifier import Notifier
from handlers.cards import edit_card
from handlers.common import refusal
from handlers.resource_cards import (
    NeedDecide,
    NeedScope,
    ProjectPartner,
    ProjectRate,
    ProjectStep,
    partner_keyboard,
)
from models.copies import Subject
from models.errors import DomainError, InvalidInput
from models.members import Member
from models.points.rewards import member_community
from models.resources import fund, offers, projects
from models.resources.tables import NeedStatus, Project
from models.structure import Community, Grid, MicroGrid, list_micro_grids

MAX_ARGS = 1500
NUMBERS = re.compile(r"[0-9]{1,6}(,[0-9]{1,6}){0,19}")
STEPS = {
    "claim": projects.claim, "undertake": projects.undertake, "start": projects.start,
    "accept": projects.accept,
}  # fmt: skip


async def _staff_community(session: AsyncSession, member: Member) -> Community | None:
    community_id = member_community(member)
    if community_id is None or not member.is_admin_of(community_id):
        return None
    return await session.get(Community, community_id)


def _parts(args: str | None) -> list[str] | None:
    if not args or len(args) > MAX_ARGS:
        return None
    return [part.strip() for part in args.split("|")]


class NeedFlow(StatesGroup):
    """/need without arguments: the title, then the scope by a button, then the people."""

    title = State()
    people = State()


async def need_command(
    message: Message, command: CommandObject, state: FSMContext, session: AsyncSession,
    member: Member, t: Translator,
) -> Any:  # fmt: skip
    community = await _staff_community(session, member)
    if community is None:
        return message.answer(t("fund-staff-only"))
    if not command.args:
        await state.set_state(NeedFlow.title)
        return message.answer(t("fund-need-ask-title"))
    parts = _parts(command.args)
    if parts is None or len(parts) != 3:
        return message.answer(t("fund-need-usage"))
    try:
        need = await projects.add_need(
            session, member, community, title=parts[0],
            scope=await projects.find_scope(session, community, parts[1]),
            people=projects.parse_people(parts[2]),
        )  # fmt: skip
    except DomainError as error:
        return message.answer(refusal(t, error))
    assert need is not None
    return message.answer(t("fund-need-added", number=need.number))


async def need_title_typed(
    message: Message, state: FSMContext, session: AsyncSession, member: Member, t: Translator
) -> Any:
    community = await _staff_community(session, member)
    if community is None:
        await state.clear()
        return message.answer(t("fund-staff-only"))
    title = " ".join((message.text or "").split())
    if not title or len(title) > 100:
        return message.answer(t("fund-title-bad", limit="100"))  # the title is asked again
    await state.update_data(title=title)
    builder = InlineKeyboardBuilder()
    builder.button(text=t("fund-scope-community"), callback_data=NeedScope(kind="community"))
    for grid in await session.scalars(
        select(Grid).where(Grid.community_id == community.id).order_by(Grid.id)
    ):
        builder.button(text=grid.name, callback_data=NeedScope(kind="grid", id=grid.id))
    for micro in await list_micro_grids(session, community.id):
        builder.button(text=micro.name, callback_data=NeedScope(kind="micro_grid", id=micro.id))
    builder.adjust(2)
    return message.answer(t("fund-need-ask-scope", title=title),
                          reply_markup=builder.as_markup())  # fmt: skip


async def need_scope_picked(
    query: CallbackQuery, callback_data: NeedScope, state: FSMContext, session: AsyncSession,
    member: Member, t: Translator,
) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    community = await _staff_community(session, member)
    if community is None:
        return query.answer(t("fund-staff-only"), show_alert=True)
    if await state.get_state() != NeedFlow.title.state or "title" not in await state.get_data():
        return query.answer(t("error-stale"), show_alert=True)
    name = {"grid": Grid, "micro_grid": MicroGrid}.get(callback_data.kind)
    place = await session.get(name, callback_data.id) if name else None
    if callback_data.kind != "community" and (place is None
                                              or place.community_id != community.id):
        return query.answer(t("error-stale"), show_alert=True)
    await state.update_data(scope=place.name if place else community.name)
    await state.set_state(NeedFlow.people)
    await query.answer()
    return query.message.edit_text(t("fund-need-ask-people"))


async def need_people_typed(
    message: Message, state: FSMContext, session: AsyncSession, member: Member, t: Translator
) -> Any:
    community = await _staff_community(session, member)
    data = await state.get_data()
    if community is None:
        await state.clear()
        return message.answer(t("fund-staff-only"))
    try:
        people = projects.parse_people(message.text or "")
        need = await projects.add_need(
            session, member, community, title=data["title"],
            scope=await projects.find_scope(session, community, data["scope"]), people=people,
        )  # fmt: skip
    except DomainError as error:
        if error.message_id != "fund-people-bad":
            await state.clear()
        return message.answer(refusal(t, error))
    await state.clear()
    assert need is not None
    return message.answer(t("fund-need-added", number=need.number))


async def needs_command(
    message: Message, session: AsyncSession, member: Member, t: Translator
) -> Any:
    community = await _staff_community(session, member)
    if community is None:
        return message.answer(t("fund-staff-only"))
    needs = await projects.needs_of(session, community.id,
                                    (NeedStatus.PROPOSED, NeedStatus.OPEN))  # fmt: skip
    if not needs:
        return message.answer(t("fund-needs-none"))
    lines = [t("fund-needs-title")] + [
        t("fund-needs-line", number=n.number, title=n.title,
          status=t(f"fund-need-{n.status.value}"), people=n.people)
        for n in needs[:50]
    ]  # fmt: skip
    return message.answer("\n".join(lines))


async def project_command(
    message: Message, command: CommandObject, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    community = await _staff_community(session, member)
    if community is None:
        return message.answer(t("fund-staff-only"))
    parts = _parts(command.args)
    if parts is None or len(parts) not in (5, 6) or not NUMBERS.fullmatch(parts[0]):
        return message.answer(t("fund-project-usage"))
    try:
        await projects.create_project(
            session, member, community, need_numbers=[int(n) for n in parts[0].split(",")],
            title=parts[1], budget=parts[2], people=parts[3], plan=parts[4],
            proposal_label=parts[5] if len(parts) == 6 else None,
        )  # fmt: skip
    except DomainError as error:
        return message.answer(refusal(t, error))
    return None  # the project's card is the answer


async def projects_command(
    message: Message, session: AsyncSession, member: Member, t: Translator
) -> Any:
    community_id = member_community(member)
    if community_id is None:
        return message.answer(t("fund-register-first"))
    rows = list(await session.scalars(
        select(Project).where(Project.community_id == community_id).order_by(Project.number)
    ))  # fmt: skip
    if not rows:
        return message.answer(t("fund-projects-none"))
    lines = [t("fund-projects-title")] + [
        t("fund-projects-line", number=p.number, title=p.title,
          status=t(f"fund-project-{p.status.value}"))
        for p in rows[-50:]
    ]  # fmt: skip
    return message.answer("\n".join(lines))


async def outcome_command(
    message: Message, command: CommandObject, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    community = await _staff_community(session, member)
    if community is None:
        return message.answer(t("fund-staff-only"))
    parts = _parts(command.args)
    head = parts[0].split() if parts else []
    if parts is None or len(parts) != 2 or len(head) != 2:
        return message.answer(t("fund-outcome-usage"))
    try:
        project = await projects.project_by_label(session, community.id, head[0])
        await projects.record_outcome(
            session, member, project.id, head[1], parts[1],
            message.photo[-1].file_id if message.photo else None,
        )  # fmt: skip
    except DomainError as error:
        return message.answer(refusal(t, error))
    return message.answer(t("fund-outcome-done", number=project.number))


async def offer_command(
    message: Message, command: CommandObject, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    community_id = member_community(member)
    community = await session.get(Community, community_id) if community_id else None
    if community is None:
        # A unit's contact need not live here: their unit names the community.
        unit = None
        for candidate in await session.scalars(select(Community)):
            unit = await projects.unit_of_contact(session, member, candidate.id)
            if unit is not None:
                community = candidate
                break
        if community is None:
            return message.answer(t("fund-offer-contacts-only"))
    parts = _parts(command.args)
    if parts is None:
        return message.answer(t("fund-offer-usage"))
    try:
        resource = await offers.offer_resource(session, member, community, parts)
    except DomainError as error:
        return message.answer(refusal(t, error))
    return message.answer(t("fund-offer-done", description=resource.description,
                            quantity=resource.quantity))  # fmt: skip


async def agreement_command(
    message: Message, command: CommandObject, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    community = await _staff_community(session, member)
    if community is None:
        return message.answer(t("fund-staff-only"))
    parts = _parts(command.args)
    if parts is None or len(parts) != 3:
        return message.answer(t("fund-agreement-usage"))
    try:
        agreement = await offers.set_agreement(session, member, community, *parts)
    except DomainError as error:
        return message.answer(refusal(t, error))
    return message.answer(t("fund-agreement-done", unit=parts[0],
                            ends=agreement.ends_on.isoformat()))  # fmt: skip


async def _redraw(query: CallbackQuery, session: AsyncSession, notifier: Notifier,
                  t: Translator, subject: Subject, variant: str) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    drawing = await notifier.copies.pressed(
        session, subject, query.message.chat.id, query.message.message_id, t, variant
    )
    return edit_card(query.message, drawing) if drawing else None


async def need_decided(
    query: CallbackQuery, callback_data: NeedDecide, session: AsyncSession, member: Member,
    notifier: Notifier, t: Translator,
) -> Any:  # fmt: skip
    try:
        need = await projects.decide_need(session, member, callback_data.id, callback_data.accept)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer(t(f"fund-need-{need.status.value}"))
    return await _redraw(query, session, notifier, t, Subject("fund-need", need.id), "staff")


async def project_step(
    query: CallbackQuery, callback_data: ProjectStep, state: FSMContext, session: AsyncSession,
    member: Member, notifier: Notifier, t: Translator,
) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    action = callback_data.action
    try:
        if action == "units":
            sent = await projects.offer_to_units(session, member, callback_data.id)
            return query.answer(t("fund-offered-to-units", count=sent), show_alert=True)
        if action == "partners":
            project = await projects.staff_project(session, member, callback_data.id)
            partners = await projects.partners_of(session, project.community_id)
            await query.answer()
            return query.message.answer(t("fund-pick-partner", number=project.number),
                                        reply_markup=partner_keyboard(t, project.id, partners))
        if action in CONFIRMING:
            return await CONFIRMING[action](query, callback_data.id, state, session, member, t)
        if action not in STEPS:
            raise InvalidInput("error-stale")
        project = await STEPS[action](session, member, callback_data.id)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer(t(f"fund-step-{action}-done", number=project.number))
    staff_card = action != "claim" and member.is_admin_of(project.community_id)
    variant = "staff" if staff_card else "unit"
    return await _redraw(query, session, notifier, t, Subject("fund-project", project.id),
                         variant)  # fmt: skip


class CancelFlow(StatesGroup):
    """撤销 from the staff card: the reason typed, then a confirmation."""

    reason = State()


async def cancel_asked(query: CallbackQuery, project_id: int, state: FSMContext,
                       session: AsyncSession, member: Member, t: Translator) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    project = await projects.staff_project(session, member, project_id)
    projects.check_cancellable(project)
    await state.set_state(CancelFlow.reason)
    await state.set_data({"project": project.id})
    await query.answer()
    return query.message.answer(t("fund-cancel-ask-reason", number=project.number,
                                  title=project.title))  # fmt: skip


async def cancel_reason_typed(message: Message, state: FSMContext, session: AsyncSession,
                              member: Member, t: Translator) -> Any:  # fmt: skip
    data = await state.get_data()
    try:
        project = await projects.staff_project(session, member, data.get("project", 0))
    except DomainError as error:
        await state.clear()
        return message.answer(refusal(t, error))
    try:
        reason = projects.clean_cancel_reason(message.text)
    except DomainError as error:
        return message.answer(refusal(t, error))  # asked again
    await state.update_data(reason=reason)
    builder = InlineKeyboardBuilder()
    builder.button(text=t("fund-btn-cancel-yes"),
                   callback_data=ProjectStep(action="cancel-yes", id=project.id))
    builder.button(text=t("fund-btn-keep"), callback_data=ProjectStep(action="keep", id=project.id))
    return message.answer(t("fund-cancel-confirm", number=project.number, title=project.title,
                            reason=reason), reply_markup=builder.as_markup())  # fmt: skip


async def cancel_confirmed(query: CallbackQuery, project_id: int, state: FSMContext,
                           session: AsyncSession, member: Member, t: Translator
                           ) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    # someone else's project: say so first
    await projects.staff_project(session, member, project_id)
    data = await state.get_data()
    if await state.get_state() != CancelFlow.reason.state or data.get("project") != project_id \
            or "reason" not in data:  # fmt: skip
        raise InvalidInput("error-stale")
    project = await projects.cancel(session, member, project_id, data["reason"])
    await state.clear()
    await query.answer(t("fund-step-cancel-done", number=project.number))
    return query.message.edit_text(t("fund-step-cancel-done", number=project.number))


async def cancel_kept(query: CallbackQuery, project_id: int, state: FSMContext,
                      session: AsyncSession, member: Member, t: Translator) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    await state.clear()
    await query.answer()
    return query.message.edit_text(t("fund-cancel-kept"))


async def release_asked(query: CallbackQuery, project_id: int, state: FSMContext,
                        session: AsyncSession, member: Member, t: Translator) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    project = await projects.staff_project(session, member, project_id)
    amount = await fund.earmarked_for(session, project)
    builder = InlineKeyboardBuilder()
    builder.button(text=t("fund-btn-release-yes"),
                   callback_data=ProjectStep(action="release-yes", id=project.id))
    await query.answer()
    return query.message.answer(t("fund-release-confirm", number=project.number,
                                  amount=fund.yuan(amount)), reply_markup=builder.as_markup())


async def release_confirmed(query: CallbackQuery, project_id: int, state: FSMContext,
                            session: AsyncSession, member: Member, t: Translator
                            ) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    amount = await fund.redesignate(session, member, project_id)
    await query.answer()
    return query.message.edit_text(t("fund-release-done", amount=fund.yuan(amount)))


CONFIRMING = {
    "cancel": cancel_asked, "cancel-yes": cancel_confirmed, "keep": cancel_kept,
    "release": release_asked, "release-yes": release_confirmed,
}  # fmt: skip


async def partner_picked(
    query: CallbackQuery, callback_data: ProjectPartner, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    try:
        project = await projects.purchase(session, member, callback_data.id,
                                          callback_data.partner)  # fmt: skip
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer()
    return query.message.edit_text(t("fund-step-purchase-done", number=project.number))


async def rated(
    query: CallbackQuery, callback_data: ProjectRate, session: AsyncSession, member: Member,
    notifier: Notifier, t: Translator,
) -> Any:  # fmt: skip
    try:
        project = await projects.rate(session, member, callback_data.id, callback_data.stars)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer(t("fund-rated-done"))
    return await _redraw(query, session, notifier, t, Subject("fund-project", project.id), "rate")


def build_router() -> Router:
    router = Router(name="resources")
    private = F.chat.type == "private"
    router.message.register(need_command, Command("need"), private)
    typed = (private, F.text, ~F.text.startswith("/"))
    router.message.register(need_title_typed, NeedFlow.title, *typed)
    router.message.register(need_people_typed, NeedFlow.people, *typed)
    router.message.register(cancel_reason_typed, CancelFlow.reason, *typed)
    router.callback_query.register(need_scope_picked, NeedScope.filter())
    router.message.register(needs_command, Command("needs"), private)
    router.message.register(project_command, Command("project"), private)
    router.message.register(projects_command, Command("projects"), private)
    router.message.register(outcome_command, Command("outcome"), private)
    router.message.register(offer_command, Command("offer"), private)
    router.message.register(agreement_command, Command("agreement"), private)
    router.callback_query.register(need_decided, NeedDecide.filter())
    router.callback_query.register(project_step, ProjectStep.filter())
    router.callback_query.register(partner_picked, ProjectPartner.filter())
    router.callback_query.register(rated, ProjectRate.filter())
    return router
