"""Party members (双报到、亮身份、承诺践行): /party to register or leave, the admins' confirm and
decline, /pledge and /pledges, and /partyfirst for staff to offer a wish to party members."""

from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.notifier import Notifier
from handlers.cards import edit_card
from handlers.common import private_state, refusal
from handlers.party_cards import PartyJoin, PartyLeave, PartyReview, PledgeLinkPick, PledgePick
from models.copies import Subject
from models.errors import DomainError, InvalidInput
from models.members import Member
from models.party import pledges
from models.party.membership import (
    ask_to_join,
    check_reviewable,
    leave,
    list_units,
    membership_of,
    review,
    show_pending,
)
from models.party.tables import MembershipKind, MembershipStatus, PartnerUnit
from models.party.wishes import mark_first
from models.requests.workflow import get_request, request_label


class DeclineInput(StatesGroup):
    reason = State()


async def party_command(
    message: Message, session: AsyncSession, member: Member, t: Translator
) -> Any:
    """Where the person stands, and what they can do next; an admin also gets the cards of
    the registrations waiting for them."""
    waiting = await show_pending(session, member)
    if waiting:
        return message.answer(t("party-pending-cards", count=waiting))
    if member.residence is None:
        return message.answer(t("party-register-first"))
    membership = await membership_of(session, member.user.id)
    if membership is not None and membership.status in (
        MembershipStatus.PENDING, MembershipStatus.CONFIRMED,
    ):  # fmt: skip
        unit = await session.get(PartnerUnit, membership.unit_id) if membership.unit_id else None
        builder = InlineKeyboardBuilder()
        builder.button(text=t("party-btn-leave"), callback_data=PartyLeave())
        return message.answer(
            t(f"party-you-are-{membership.status.value}", unit=unit.name if unit else "-"),
            reply_markup=builder.as_markup(),
        )
    builder = InlineKeyboardBuilder()
    builder.button(text=t("party-btn-in-service"), callback_data=PartyJoin(kind="in_service"))
    builder.button(text=t("party-btn-community"), callback_data=PartyJoin(kind="community"))
    builder.adjust(1)
    return message.answer(t("party-choose-kind"), reply_markup=builder.as_markup())


async def join_pressed(
    query: CallbackQuery, callback_data: PartyJoin, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    if callback_data.kind not in {k.value for k in MembershipKind}:
        return query.answer(t("error-stale"), show_alert=True)
    kind = MembershipKind(callback_data.kind)
    if kind == MembershipKind.IN_SERVICE and not callback_data.unit:
        if member.residence is None:
            return query.answer(t("party-register-first"), show_alert=True)
        units = await list_units(session, member.residence.community_id)
        if not units:
            return query.answer(t("party-no-units"), show_alert=True)
        builder = InlineKeyboardBuilder()
        for unit in units:
            builder.button(text=unit.name, callback_data=PartyJoin(kind=kind, unit=unit.id))
        builder.adjust(1)
        await query.answer()
        return query.message.edit_text(t("party-choose-unit"), reply_markup=builder.as_markup())
    try:
        await ask_to_join(session, member, kind, callback_data.unit or None)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer()
    return query.message.edit_text(t("party-asked"))


async def review_pressed(
    query: CallbackQuery, callback_data: PartyReview, bot: Bot, session: AsyncSession,
    member: Member, fsm_storage: BaseStorage, notifier: Notifier, t: Translator,
) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    if not callback_data.confirm:
        try:  # nothing changes yet: the reason is asked for first
            await check_reviewable(session, member, callback_data.id)
        except DomainError as error:
            return query.answer(refusal(t, error), show_alert=True)
        state = private_state(bot, fsm_storage, member.user.telegram_id)
        await state.set_state(DeclineInput.reason)
        await state.update_data(membership_id=callback_data.id)
        await query.answer()
        return query.message.answer(t("party-ask-reason"))
    try:
        await review(session, member, callback_data.id, True)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer(t("party-confirmed-done"))
    drawing = await notifier.copies.pressed(
        session, Subject("party-member", callback_data.id), query.message.chat.id,
        query.message.message_id, t, "admin",
    )  # fmt: skip
    return edit_card(query.message, drawing) if drawing else None


async def reason_typed(
    message: Message, state: FSMContext, session: AsyncSession, member: Member, t: Translator
) -> Any:
    membership_id = int((await state.get_data()).get("membership_id", 0))
    try:
        await review(session, member, membership_id, False, message.text)
    except DomainError as error:
        if not isinstance(error, InvalidInput):  # an empty or over-long text may be sent again
            await state.clear()
        return message.answer(refusal(t, error))
    await state.clear()
    return message.answer(t("party-declined-done"))


async def leave_pressed(
    query: CallbackQuery, callback_data: PartyLeave, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    if not callback_data.sure:
        builder = InlineKeyboardBuilder()
        builder.button(text=t("party-btn-leave-sure"), callback_data=PartyLeave(sure=True))
        await query.answer()
        return query.message.edit_text(t("party-leave-ask"), reply_markup=builder.as_markup())
    try:
        await leave(session, member)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer()
    return query.message.edit_text(t("party-left"))


async def pledge_command(
    message: Message, command: CommandObject, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    if not command.args:
        return message.answer(t("party-pledge-usage"))
    try:
        pledge = await pledges.make_pledge(session, member, command.args)
    except DomainError as error:
        return message.answer(refusal(t, error))
    return message.answer(t("party-pledge-made", year=pledge.year, text=pledge.text))


async def pledges_command(
    message: Message, session: AsyncSession, member: Member, t: Translator
) -> Any:
    try:
        progress = await pledges.my_pledges(session, member)
    except DomainError as error:
        return message.answer(refusal(t, error))
    if not progress:
        return message.answer(t("party-pledges-none"))
    lines = [t("party-pledges-title", year=progress[0].pledge.year)]
    builder = InlineKeyboardBuilder()
    for number, item in enumerate(progress, 1):
        kept = "、".join(item.kept) if item.kept else "-"
        lines.append(t("party-pledge-line", number=number, text=item.pledge.text,
                       count=len(item.kept), kept=kept))  # fmt: skip
        builder.button(text=t("party-btn-link", number=number),
                       callback_data=PledgePick(pledge=item.pledge.id))  # fmt: skip
    builder.adjust(3)
    return message.answer("\n".join(lines), reply_markup=builder.as_markup())


async def pledge_picked(
    query: CallbackQuery, callback_data: PledgePick, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    try:
        fulfilments = await pledges.open_fulfilments(session, member)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    if not fulfilments:
        return query.answer(t("party-pledge-nothing-to-link"), show_alert=True)
    builder = InlineKeyboardBuilder()
    for item in fulfilments:
        title = item.title if len(item.title) <= 40 else item.title[:40] + "…"
        builder.button(text=title, callback_data=PledgeLinkPick(
            pledge=callback_data.pledge, ref=item.ref_type, id=item.ref_id))  # fmt: skip
    builder.adjust(1)
    await query.answer()
    return query.message.answer(t("party-pledge-choose"), reply_markup=builder.as_markup())


async def link_picked(
    query: CallbackQuery, callback_data: PledgeLinkPick, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    try:
        pledge = await pledges.link(
            session, member, callback_data.pledge, callback_data.ref, callback_data.id
        )
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer()
    return query.message.edit_text(t("party-pledge-linked", text=pledge.text))


async def party_first_command(
    message: Message, command: CommandObject, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    label = (command.args or "").strip()
    if not label or len(label) > 12:
        return message.answer(t("party-first-usage"))
    try:
        wish = await mark_first(session, member, label)
    except DomainError as error:
        return message.answer(refusal(t, error))
    request = await get_request(session, wish.request_id)
    return message.answer(t("party-first-done", label=request_label(request)))


def build_router() -> Router:
    router = Router(name="party")
    private = F.chat.type == "private"
    router.message.register(party_command, Command("party"), private)
    router.callback_query.register(join_pressed, PartyJoin.filter())
    router.callback_query.register(review_pressed, PartyReview.filter())
    router.callback_query.register(leave_pressed, PartyLeave.filter())
    router.message.register(
        reason_typed, DeclineInput.reason, private, F.text, ~F.text.startswith("/")
    )
    router.message.register(pledge_command, Command("pledge"), private)
    router.message.register(pledges_command, Command("pledges"), private)
    router.callback_query.register(pledge_picked, PledgePick.filter())
    router.callback_query.register(link_picked, PledgeLinkPick.filter())
    router.message.register(party_first_command, Command("partyfirst"))
    return router
