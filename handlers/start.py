"""/start: a flow under way is shown again at its current step; people who hold a role are
greeted as such; everyone else registers their address (community → micro-grid → building →
unit → room). Group deep links (`join-<micro-grid>`) lead here too."""

from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.deep_linking import create_start_link
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from handlers.callbacks import RegAction, RegPage, RegPick, RegStart
from handlers.common import payload_id
from handlers.fund_flow import DisburseFlow, DonationFlow
from handlers.fund_flow import show_step as show_fund_step
from handlers.greeting import address_text, greet_staff
from handlers.intake import IntakeFlow, show_step
from handlers.keyboards import action_keyboard, pick_keyboard
from handlers.tasks import TaskInput, show_prompt
from models.errors import DomainError
from models.members import (
    Member,
    clean_room,
    describe_residence,
    register_residence,
)
from models.structure import MicroGrid, micro_grid_for_chat, pick_place, place_options

NEXT_LEVEL = {"community": "micro_grid", "micro_grid": "building", "building": "unit"}
PARENT_KEY = {"micro_grid": "community_id", "building": "micro_grid_id", "unit": "building_id"}
JOIN_PREFIX = "join-"
MAX_ID = 10**18


class Registration(StatesGroup):
    picking = State()
    room = State()
    confirm = State()


def _parent_id(level: str, data: dict[str, Any]) -> int | None:
    return data.get(PARENT_KEY[level]) if level in PARENT_KEY else None


async def _show_level(
    target: Message,
    session: AsyncSession,
    state: FSMContext,
    t: Translator,
    level: str,
    page: int = 0,
    edit: bool = False,
    hint: str = "",
) -> Any:
    """Show the choices of one level; skip a level that has exactly one choice."""
    data = await state.get_data()
    options = await place_options(session, level, _parent_id(level, data))
    if level == "unit" and not options:
        return await _ask_room(target, state, t, edit, hint)
    if not options:
        await state.clear()
        return _say(target, t("reg-no-places"), edit)
    if len(options) == 1 and level in ("community", "micro_grid"):
        await state.update_data({f"{level}_id": options[0][0]})
        return await _show_level(target, session, state, t, NEXT_LEVEL[level], edit=edit, hint=hint)
    await state.set_state(Registration.picking)
    await state.update_data(level=level, page=page)
    keyboard = pick_keyboard(
        level, options, page, t("page-previous"), t("page-next"), [(t("reg-restart"), "restart")]
    )
    return _say(target, t(f"reg-pick-{level.replace('_', '-')}"), edit, keyboard, hint)


def _say(
    target: Message,
    text: str,
    edit: bool,
    keyboard: InlineKeyboardMarkup | None = None,
    hint: str = "",
) -> Any:
    text = f"{hint}\n\n{text}" if hint else text
    if edit:
        return target.edit_text(text, reply_markup=keyboard)
    return target.answer(text, reply_markup=keyboard)


async def _ask_room(
    target: Message, state: FSMContext, t: Translator, edit: bool, hint: str = ""
) -> Any:
    await state.set_state(Registration.room)
    keyboard = action_keyboard((t("reg-skip-room"), "skip_room"))
    return _say(target, t("reg-ask-room"), edit, keyboard, hint)


async def _ask_confirm(
    target: Message,
    session: AsyncSession,
    state: FSMContext,
    t: Translator,
    edit: bool,
    hint: str = "",
) -> Any:
    data = await state.get_data()
    names = []
    for level in ("community", "micro_grid", "building", "unit"):
        if data.get(f"{level}_id"):
            _id, name = await pick_place(
                session, level, data[f"{level}_id"], _parent_id(level, data)
            )
            names.append(name)
    if data.get("room"):
        names.append(data["room"])
    await state.set_state(Registration.confirm)
    keyboard = action_keyboard((t("reg-confirm"), "confirm"), (t("reg-restart"), "restart"))
    text = t("reg-confirm-prompt", address=" · ".join(names))
    return _say(target, text, edit, keyboard, hint)


async def _show_step(
    message: Message, session: AsyncSession, state: FSMContext, t: Translator, hint: str
) -> Any:
    """Show the registration's current step again, as a new message (the last one may not
    have arrived); what was picked and typed so far stays."""
    current = await state.get_state()
    if current == Registration.room.state:
        return await _ask_room(message, state, t, edit=False, hint=hint)
    if current == Registration.confirm.state:
        return await _ask_confirm(message, session, state, t, edit=False, hint=hint)
    data = await state.get_data()
    return await _show_level(
        message, session, state, t, data.get("level", "community"), data.get("page", 0), hint=hint
    )


async def _micro_grid(session: AsyncSession, micro_grid_id: int | None) -> MicroGrid | None:
    """The micro-grid a link or button names; ids come from the client, so odd ones are none."""
    if micro_grid_id is None or not 0 < micro_grid_id < MAX_ID:
        return None
    return await session.get(MicroGrid, micro_grid_id)


async def _begin(
    message: Message,
    session: AsyncSession,
    state: FSMContext,
    t: Translator,
    micro_grid: MicroGrid | None = None,
    edit: bool = False,
) -> Any:
    """Registration from the top, or from the buildings of a micro-grid known already."""
    await state.clear()
    if micro_grid is None:
        if not edit:
            await message.answer(t("reg-welcome"))
        return await _show_level(message, session, state, t, "community", edit=edit)
    await state.update_data(community_id=micro_grid.community_id, micro_grid_id=micro_grid.id)
    if not edit:
        await message.answer(t("reg-welcome-group", micro_grid=micro_grid.name))
    return await _show_level(message, session, state, t, "building", edit=edit)


async def start(
    message: Message,
    command: CommandObject,
    bot: Bot,
    session: AsyncSession,
    state: FSMContext,
    member: Member,
    t: Translator,
) -> Any:
    """Every `/start` but a follow link (`req-…`, see handlers/mine.py)."""
    current = await state.get_state()
    if current in Registration:
        return await _show_step(message, session, state, t, t("step-again"))
    if current in IntakeFlow:
        return await show_step(message, session, state, member, t, t("step-again"))
    if current in TaskInput:
        return await show_prompt(message, session, state, t, t("step-again"))
    if current in DonationFlow or current in DisburseFlow:
        return await show_fund_step(message, session, state, member, t, t("step-again"))
    await state.clear()
    joined = await _micro_grid(session, payload_id(command.args, JOIN_PREFIX))
    if member.has_any_role():
        return await greet_staff(message, bot, session, member, t, joined)
    if joined is not None or member.residence is None:
        return await _begin(message, session, state, t, joined)
    address = await describe_residence(session, member.residence)
    return message.answer(
        address_text(t, address), reply_markup=action_keyboard((t("reg-change"), "change"))
    )


async def register_home(
    query: CallbackQuery,
    callback_data: RegStart,
    session: AsyncSession,
    state: FSMContext,
    t: Translator,
) -> Any:
    """The button under a staff greeting: register the address of one's home."""
    await query.answer()
    assert isinstance(query.message, Message)
    micro_grid = await _micro_grid(session, callback_data.micro_grid)
    return await _begin(query.message, session, state, t, micro_grid, edit=True)


async def restart(
    query: CallbackQuery, session: AsyncSession, state: FSMContext, t: Translator
) -> Any:
    await query.answer()
    assert isinstance(query.message, Message)
    return await _begin(query.message, session, state, t, edit=True)


async def turn_page(
    query: CallbackQuery,
    callback_data: RegPage,
    session: AsyncSession,
    state: FSMContext,
    t: Translator,
) -> Any:
    await query.answer()
    level = (await state.get_data()).get("level")
    if callback_data.level != level:
        return None
    assert isinstance(query.message, Message)
    return await _show_level(query.message, session, state, t, level, callback_data.page, edit=True)


async def pick(
    query: CallbackQuery,
    callback_data: RegPick,
    session: AsyncSession,
    state: FSMContext,
    t: Translator,
) -> Any:
    data = await state.get_data()
    level = data.get("level")
    if callback_data.level != level:
        return query.answer(t("error-stale"), show_alert=True)
    try:
        place_id, _name = await pick_place(
            session, level, callback_data.id, _parent_id(level, data)
        )
    except DomainError as error:
        return query.answer(t(error.message_id, **error.args_for_message), show_alert=True)
    await query.answer()
    await state.update_data({f"{level}_id": place_id})
    assert isinstance(query.message, Message)
    if level == "unit":
        return await _ask_room(query.message, state, t, edit=True)
    return await _show_level(query.message, session, state, t, NEXT_LEVEL[level], edit=True)


async def skip_room(
    query: CallbackQuery, session: AsyncSession, state: FSMContext, t: Translator
) -> Any:
    await query.answer()
    await state.update_data(room=None)
    assert isinstance(query.message, Message)
    return await _ask_confirm(query.message, session, state, t, edit=True)


async def room_typed(
    message: Message, session: AsyncSession, state: FSMContext, t: Translator
) -> Any:
    try:
        room = clean_room(message.text or "")
    except DomainError as error:
        return message.answer(t(error.message_id, **error.args_for_message))
    await state.update_data(room=room)
    return await _ask_confirm(message, session, state, t, edit=False)


async def confirm(
    query: CallbackQuery, session: AsyncSession, state: FSMContext, member: Member, t: Translator
) -> Any:
    data = await state.get_data()
    assert isinstance(query.message, Message)
    try:
        await register_residence(
            session, member.user, data.get("building_id", 0), data.get("unit_id"), data.get("room")
        )
    except DomainError as error:
        await query.answer(t(error.message_id, **error.args_for_message), show_alert=True)
        await state.clear()
        return await _show_level(query.message, session, state, t, "community", edit=True)
    await state.clear()
    await query.answer(t("reg-done-short"))
    return query.message.edit_text(t("reg-done"))


async def expected_button(
    message: Message, session: AsyncSession, state: FSMContext, t: Translator
) -> Any:
    """Input the step cannot take (often: its buttons never arrived): ask the step again."""
    return await _show_step(message, session, state, t, t("step-use-buttons"))


async def cancel(message: Message, state: FSMContext, t: Translator) -> Any:
    had_flow = await state.get_state() is not None
    await state.clear()
    return message.answer(t("cancelled" if had_flow else "nothing-to-cancel"))


# --- groups ------------------------------------------------------------------------


async def join_link(bot: Bot, session: AsyncSession, chat_id: int) -> str:
    micro_grid = await micro_grid_for_chat(session, chat_id)
    payload = f"{JOIN_PREFIX}{micro_grid.id}" if micro_grid else "register"
    return await create_start_link(bot, payload)


def unregistered(_message: Message, member: Member) -> bool:
    return not member.known


async def group_unregistered(
    message: Message, bot: Bot, session: AsyncSession, member: Member, t: Translator
) -> Any:
    """In a group, never ask for private details: point to the private chat instead."""
    link = await join_link(bot, session, message.chat.id)
    key = "group-start-registered" if member.known else "group-register-first"
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t("open-private-chat"), url=link)]]
    )
    return message.reply(t(key), reply_markup=keyboard)


def build_router() -> Router:
    router = Router(name="start")
    private = F.chat.type == "private"
    group = F.chat.type.in_({"group", "supergroup"})
    router.message.register(start, CommandStart(), private)
    router.message.register(cancel, Command("cancel"), StateFilter("*"), private)
    router.callback_query.register(restart, RegAction.filter(F.action.in_({"change", "restart"})))
    router.callback_query.register(register_home, RegStart.filter())
    router.callback_query.register(turn_page, Registration.picking, RegPage.filter())
    router.callback_query.register(pick, Registration.picking, RegPick.filter())
    router.callback_query.register(
        skip_room, Registration.room, RegAction.filter(F.action == "skip_room")
    )
    router.message.register(room_typed, Registration.room, F.text, ~F.text.startswith("/"), private)
    router.callback_query.register(
        confirm, Registration.confirm, RegAction.filter(F.action == "confirm")
    )
    router.message.register(
        expected_button, StateFilter(Registration), private, ~F.text.startswith("/")
    )
    router.message.register(group_unregistered, group, CommandStart())
    router.message.register(
        group_unregistered, group, F.text.startswith("/"), ~Command("help", "bind"), unregistered
    )
    return router
