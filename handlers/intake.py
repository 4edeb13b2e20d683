"""Reports and micro-wishes from residents: one message in a group, or a guided private flow."""

import re
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.deep_linking import create_start_link
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.answers import reply_in_group
from bot.i18n import Translator
from handlers.callbacks import Duplicate, FlowChoice
from handlers.cards import category_name
from handlers.common import refusal, url_keyboard
from models.errors import DomainError
from models.members import Member
from models.requests import RequestKind
from models.requests.categories import ensure_categories, list_categories
from models.requests.intake import TEXT_MAX, answer_duplicate, submit
from models.requests.views import load_view
from models.requests.workflow import request_label
from models.structure import micro_grid_for_chat

REPORT_TAG = "#报事"
WISH_TAG = "#微心愿"
URGENT_TAG = "#急"
COMMAND_PREFIX = re.compile(r"^/(report|wish)(@\w+)?\s*", re.IGNORECASE)


class IntakeFlow(StatesGroup):
    category = State()
    text = State()
    photo = State()
    location = State()
    urgent = State()
    share = State()
    confirm = State()


def _choices(t: Translator, step: str, *options: tuple[str, str]) -> Any:
    builder = InlineKeyboardBuilder()
    for value, label_key in options:
        builder.button(text=t(label_key), callback_data=FlowChoice(step=step, value=value))
    builder.button(text=t("btn-cancel"), callback_data=FlowChoice(step="cancel", value="-"))
    builder.adjust(2)
    return builder.as_markup()


def _strip_intake(text: str) -> tuple[str, bool]:
    """Remove the command or hashtag; `#急` marks the request urgent."""
    body = COMMAND_PREFIX.sub("", text.strip())
    for tag in (REPORT_TAG, WISH_TAG):
        if body.startswith(tag):
            body = body[len(tag) :]
    urgent = URGENT_TAG in body
    return body.replace(URGENT_TAG, "").strip(), urgent


# --- one message in a group ----------------------------------------------------------


async def group_intake(
    message: Message, bot: Bot, session: AsyncSession, member: Member, t: Translator
) -> Any:
    raw = message.text or message.caption or ""
    kind = RequestKind.WISH if raw.startswith(("/wish", WISH_TAG)) else RequestKind.REPORT
    body, urgent = _strip_intake(raw)
    if member.residence is None:
        micro_grid = await micro_grid_for_chat(session, message.chat.id)
        link = await create_start_link(bot, f"join-{micro_grid.id}" if micro_grid else "register")
        return message.reply(
            t("group-register-first"), reply_markup=url_keyboard(t("open-private-chat"), link)
        )
    if not body:
        return message.reply(t(f"intake-usage-{kind.value}"))
    photo = message.photo[-1].file_id if message.photo else None
    try:
        result = await submit(session, member, kind, body, photo_file_id=photo, urgent=urgent)
    except DomainError as error:
        return message.reply(refusal(t, error))
    if result.duplicate_of is not None:
        original = request_label(result.duplicate_of)
        return reply_in_group(
            message,
            t("intake-duplicate", label=original),
            privately=t("intake-duplicate-private", chat=message.chat.title or "-", label=original),
            reply_markup=_duplicate_keyboard(t, result.request.id, result.duplicate_of.id),
        )
    view = await load_view(session, result.request.id)
    receipt = {"label": request_label(result.request), "category": category_name(t, view),
               "status": t("status-routed")}  # fmt: skip
    return reply_in_group(
        message,
        t("intake-receipt", **receipt),
        privately=t("intake-receipt-private", chat=message.chat.title or "-", **receipt),
    )


def _duplicate_keyboard(t: Translator, request_id: int, of: int) -> Any:
    builder = InlineKeyboardBuilder()
    builder.button(text=t("btn-dup-same"), callback_data=Duplicate(id=request_id, of=of, same=True))
    builder.button(text=t("btn-dup-new"), callback_data=Duplicate(id=request_id, of=of, same=False))
    builder.adjust(1)
    return builder.as_markup()


async def duplicate_answered(
    query: CallbackQuery,
    callback_data: Duplicate,
    session: AsyncSession,
    member: Member,
    t: Translator,
) -> Any:
    try:
        request = await answer_duplicate(
            session, member, callback_data.id, callback_data.of, callback_data.same
        )
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer()
    assert isinstance(query.message, Message)
    # The answer returns the request the resident's report now counts for.
    key = "intake-plus-one" if request.id == callback_data.of else "intake-routed-anyway"
    return query.message.edit_text(t(key, label=request_label(request)))


# --- the guided private flow ------------------------------------------------------------


async def private_start(
    message: Message,
    session: AsyncSession,
    state: FSMContext,
    member: Member,
    t: Translator,
    command: CommandObject,
) -> Any:
    kind = RequestKind.WISH if command.command.lower() == "wish" else RequestKind.REPORT
    if member.residence is None:
        return message.answer(t("request-register-first"))
    await state.clear()
    await state.update_data(kind=kind.value)
    first = IntakeFlow.text if kind == RequestKind.WISH else IntakeFlow.category
    return await _ask(message, state, t, first, session=session, member=member)


async def _category_choices(session: AsyncSession, member: Member, t: Translator) -> Any:
    assert member.residence is not None
    await ensure_categories(session, member.residence.community_id)
    builder = InlineKeyboardBuilder()
    for category in await list_categories(session, member.residence.community_id):
        name = category.name_en if t.language == "en" else category.name_zh
        builder.button(text=name, callback_data=FlowChoice(step="category", value=str(category.id)))
    builder.button(text=t("btn-cancel"), callback_data=FlowChoice(step="cancel", value="-"))
    builder.adjust(3)
    return builder.as_markup()


def _prompt(t: Translator, step: str, data: dict[str, Any]) -> tuple[str, Any]:
    """A step's question and its buttons, from what was answered so far."""
    if step == "text":
        return t(f"flow-ask-text-{data['kind']}", max=TEXT_MAX), None
    if step == "photo":
        return t("flow-ask-photo"), _choices(t, "photo", ("skip", "btn-skip"))
    if step == "location":
        return t("flow-ask-location"), _choices(t, "location", ("skip", "btn-skip"))
    if step == "urgent":
        return t("flow-ask-urgent"), _choices(
            t, "urgent", ("no", "btn-not-urgent"), ("yes", "btn-urgent")
        )
    if step == "share":
        return t("flow-ask-share"), _choices(
            t, "share", ("yes", "btn-share-yes"), ("no", "btn-share-no")
        )
    text = t(
        "flow-confirm",
        text=data["text"],
        photo=t("yes" if data.get("photo") else "no"),
        urgent=t("yes" if data.get("urgent") else "no"),
        share=t("yes" if data.get("share") else "no"),
    )
    return text, _choices(t, "confirm", ("send", "btn-submit"))


async def _ask(
    target: Message,
    state: FSMContext,
    t: Translator,
    step: State,
    *,
    edit: bool = False,
    hint: str = "",
    session: AsyncSession | None = None,
    member: Member | None = None,
) -> Any:
    """Move to a step and ask its question (the category step needs the session and member)."""
    await state.set_state(step)
    name = (step.state or "").split(":")[-1]
    if name == "category":
        assert session is not None and member is not None
        text, keyboard = t("flow-ask-category"), await _category_choices(session, member, t)
    else:
        text, keyboard = _prompt(t, name, await state.get_data())
    text = f"{hint}\n\n{text}" if hint else text
    if edit:
        return target.edit_text(text, reply_markup=keyboard)
    return target.answer(text, reply_markup=keyboard)


async def show_step(
    message: Message,
    session: AsyncSession,
    state: FSMContext,
    member: Member,
    t: Translator,
    hint: str,
) -> Any:
    """Ask the current step again, as a new message: its last prompt may not have arrived."""
    name = (await state.get_state() or "").split(":")[-1]
    step = getattr(IntakeFlow, name)
    return await _ask(message, state, t, step, hint=hint, session=session, member=member)


async def category_chosen(
    query: CallbackQuery, callback_data: FlowChoice, state: FSMContext, t: Translator
) -> Any:
    if not callback_data.value.isdigit():
        return query.answer(t("error-stale"), show_alert=True)
    await state.update_data(category_id=int(callback_data.value))
    await query.answer()
    assert isinstance(query.message, Message)
    return await _ask(query.message, state, t, IntakeFlow.text, edit=True)


async def text_given(message: Message, state: FSMContext, t: Translator) -> Any:
    text = (message.text or "").strip()
    if not text:
        return message.answer(t("request-text-empty"))
    if len(text) > TEXT_MAX:
        return message.answer(t("request-text-too-long", max=TEXT_MAX, length=len(text)))
    await state.update_data(text=text)
    return await _ask(message, state, t, IntakeFlow.photo)


async def photo_given(message: Message, state: FSMContext, t: Translator) -> Any:
    assert message.photo
    await state.update_data(photo=message.photo[-1].file_id)
    return await _after_photo(message, state, t)


async def _after_photo(message: Message, state: FSMContext, t: Translator) -> Any:
    data = await state.get_data()
    if data["kind"] == RequestKind.WISH.value:
        return await _ask(message, state, t, IntakeFlow.share)
    return await _ask(message, state, t, IntakeFlow.location)


async def location_given(message: Message, state: FSMContext, t: Translator) -> Any:
    assert message.location
    await state.update_data(lat=message.location.latitude, lon=message.location.longitude)
    return await _ask(message, state, t, IntakeFlow.urgent)


async def step_choice(
    query: CallbackQuery, callback_data: FlowChoice, state: FSMContext, t: Translator
) -> Any:
    """Skip / yes / no answers of the flow's steps, checked against the current step."""
    current = (await state.get_state() or "").split(":")[-1]
    if callback_data.step != current:
        return query.answer(t("error-stale"), show_alert=True)
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(reply_markup=None)
    if current == "photo":
        return await _after_photo(query.message, state, t)
    if current == "location":
        return await _ask(query.message, state, t, IntakeFlow.urgent)
    if current == "urgent":
        await state.update_data(urgent=callback_data.value == "yes")
        return await _ask(query.message, state, t, IntakeFlow.share)
    if current == "share":
        await state.update_data(share=callback_data.value == "yes")
        return await _ask(query.message, state, t, IntakeFlow.confirm)
    return None


async def flow_cancelled(query: CallbackQuery, state: FSMContext, t: Translator) -> Any:
    await state.clear()
    await query.answer()
    assert isinstance(query.message, Message)
    return query.message.edit_text(t("cancelled"))


async def flow_confirmed(
    query: CallbackQuery, session: AsyncSession, state: FSMContext, member: Member, t: Translator
) -> Any:
    data = await state.get_data()
    assert isinstance(query.message, Message)
    try:
        result = await submit(
            session,
            member,
            RequestKind(data["kind"]),
            data.get("text"),
            category_id=data.get("category_id"),
            photo_file_id=data.get("photo"),
            latitude=data.get("lat"),
            longitude=data.get("lon"),
            urgent=bool(data.get("urgent")),
            share_contact=bool(data.get("share")),
        )
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)  # the flow and its text stay
    await state.clear()
    await query.answer()
    if result.duplicate_of is not None:
        return query.message.edit_text(
            t("intake-duplicate", label=request_label(result.duplicate_of)),
            reply_markup=_duplicate_keyboard(t, result.request.id, result.duplicate_of.id),
        )
    return query.message.edit_text(t("flow-sent", label=request_label(result.request)))


async def flow_expects_other(
    message: Message, session: AsyncSession, state: FSMContext, member: Member, t: Translator
) -> Any:
    """Input the step cannot take (often: its buttons never arrived): ask the step again."""
    return await show_step(message, session, state, member, t, t("step-use-buttons"))


def build_router() -> Router:
    router = Router(name="intake")
    group = F.chat.type.in_({"group", "supergroup"})
    private = F.chat.type == "private"
    intake_text = F.text.startswith(REPORT_TAG) | F.text.startswith(WISH_TAG)
    intake_caption = F.caption.startswith(REPORT_TAG) | F.caption.startswith(WISH_TAG)
    router.message.register(group_intake, group, Command("report", "wish"))
    router.message.register(group_intake, group, intake_text)
    router.message.register(group_intake, group, F.photo, intake_caption)
    router.message.register(group_intake, group, F.photo, F.caption.regexp(r"^/(report|wish)\b"))
    router.callback_query.register(duplicate_answered, Duplicate.filter())
    router.message.register(private_start, private, Command("report", "wish"))
    router.callback_query.register(flow_cancelled, FlowChoice.filter(F.step == "cancel"))
    router.callback_query.register(
        category_chosen, IntakeFlow.category, FlowChoice.filter(F.step == "category")
    )
    router.callback_query.register(
        flow_confirmed, IntakeFlow.confirm, FlowChoice.filter(F.step == "confirm")
    )
    router.callback_query.register(
        step_choice, FlowChoice.filter(F.step.in_({"photo", "location", "urgent", "share"}))
    )
    router.message.register(text_given, IntakeFlow.text, private, F.text, ~F.text.startswith("/"))
    router.message.register(photo_given, IntakeFlow.photo, private, F.photo)
    router.message.register(location_given, IntakeFlow.location, private, F.location)
    for step in (
        IntakeFlow.category,
        IntakeFlow.text,
        IntakeFlow.photo,
        IntakeFlow.location,
        IntakeFlow.urgent,
        IntakeFlow.share,
        IntakeFlow.confirm,
    ):
        router.message.register(flow_expects_other, step, private, ~F.text.startswith("/"))
    return router
