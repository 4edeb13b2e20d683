"""街道吹哨、部门报到 in chat: 吹哨 on an escalated request's card or `/whistle R-0042 部门 原因`,
and the department's 报到 and 办结 (with a note asked for in private)."""

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
from handlers.callbacks import WhistleStart
from handlers.cards import edit_card
from handlers.common import private_state, refusal
from handlers.party_cards import WhistlePick, WhistleStep
from models.copies import Subject
from models.errors import DomainError, InvalidInput, InvalidState, NotAllowed
from models.members import Member
from models.party.tables import Department
from models.party.whistles import (
    blow,
    blow_by_label,
    check_done,
    finish,
    list_departments,
    report_in,
)
from models.requests.tables import RoutingLevel
from models.requests.workflow import OPEN, get_request, request_label


class DoneInput(StatesGroup):
    note = State()


async def whistle_command(
    message: Message, command: CommandObject, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    parts = (command.args or "").split(maxsplit=2)
    if len(parts) < 2:
        return message.answer(t("party-whistle-usage"))
    label, department, reason = parts[0], parts[1], (parts[2] if len(parts) > 2 else None)
    try:
        whistle = await blow_by_label(session, member, label, department, reason)
    except DomainError as error:
        return message.answer(refusal(t, error))
    request = await get_request(session, whistle.request_id)
    return message.answer(t("party-whistled", label=request_label(request), department=department))


async def whistle_pressed(
    query: CallbackQuery, callback_data: WhistleStart, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    """The departments to whistle for, once the request is checked (nothing changes yet)."""
    assert isinstance(query.message, Message)
    try:
        request = await get_request(session, callback_data.id)
        if not member.is_admin_of(request.community_id):
            raise NotAllowed("party-whistle-admins-only")
        if request.escalation_level != RoutingLevel.COMMUNITY or request.status not in OPEN:
            raise InvalidState("party-whistle-not-escalated", label=request_label(request))
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    departments = await list_departments(session, request.community_id)
    if not departments:
        return query.answer(t("party-no-departments"), show_alert=True)
    builder = InlineKeyboardBuilder()
    for department in departments:
        pick = WhistlePick(request=request.id, department=department.id)
        builder.button(text=department.name, callback_data=pick)
    builder.adjust(1)
    await query.answer()
    return query.message.answer(
        t("party-whistle-choose", label=request_label(request)), reply_markup=builder.as_markup()
    )


async def department_picked(
    query: CallbackQuery, callback_data: WhistlePick, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    try:
        whistle = await blow(session, member, callback_data.request, callback_data.department,
                             None)  # fmt: skip
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    request = await get_request(session, whistle.request_id)
    department = await session.get(Department, whistle.department_id)
    assert department is not None
    await query.answer()
    return query.message.edit_text(
        t("party-whistled", label=request_label(request), department=department.name)
    )


async def step_pressed(
    query: CallbackQuery, callback_data: WhistleStep, bot: Bot, session: AsyncSession,
    member: Member, fsm_storage: BaseStorage, notifier: Notifier, t: Translator,
) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    try:
        if callback_data.action == "report_in":
            await report_in(session, member, callback_data.id)
        elif callback_data.action == "done":
            await check_done(session, member, callback_data.id)
        else:
            return query.answer(t("error-stale"), show_alert=True)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    if callback_data.action == "done":  # the note is asked for in private, then it is done
        state = private_state(bot, fsm_storage, member.user.telegram_id)
        await state.set_state(DoneInput.note)
        await state.update_data(whistle_id=callback_data.id)
        await query.answer(t("party-whistle-note-in-private"), show_alert=True)
        await bot.send_message(member.user.telegram_id, t("party-whistle-ask-note"))
        return None
    await query.answer(t("party-whistle-reported-in"))
    drawing = await notifier.copies.pressed(
        session, Subject("whistle", callback_data.id), query.message.chat.id,
        query.message.message_id, t, "department",
    )  # fmt: skip
    return edit_card(query.message, drawing) if drawing else None


async def note_typed(
    message: Message, state: FSMContext, session: AsyncSession, member: Member, t: Translator
) -> Any:
    whistle_id = int((await state.get_data()).get("whistle_id", 0))
    try:
        await finish(session, member, whistle_id, message.text)
    except DomainError as error:
        if not isinstance(error, InvalidInput):  # an empty or over-long text may be sent again
            await state.clear()
        return message.answer(refusal(t, error))
    await state.clear()
    return message.answer(t("party-whistle-done-recorded"))


def build_router() -> Router:
    router = Router(name="whistle")
    router.message.register(whistle_command, Command("whistle"))
    router.callback_query.register(whistle_pressed, WhistleStart.filter())
    router.callback_query.register(department_picked, WhistlePick.filter())
    router.callback_query.register(step_pressed, WhistleStep.filter())
    router.message.register(
        note_typed, DoneInput.note, F.chat.type == "private", F.text, ~F.text.startswith("/")
    )
    return router
