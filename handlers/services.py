"""Partner services: the /services menu, ordering (点单), the staff's card (接单), the partner's
card (办单) and the resident's rating (评单)."""

from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.notifier import Notifier
from handlers.cards import edit_card
from handlers.common import private_state, refusal
from handlers.service_cards import (
    OrderAction,
    OrderRating,
    ServiceFlow,
    ServicePick,
    status_name,
)
from models.base import utcnow
from models.copies import Subject
from models.errors import DomainError
from models.members import Member
from models.requests import Request
from models.requests.workflow import request_label
from models.services import (
    COMMENT_MAX,
    REASON_MAX,
    TEXT_MAX,
    WHEN_MAX,
    OrderStatus,
    Service,
    ServiceOrder,
    accept,
    check_ratable,
    complete,
    convert_to_request,
    decline,
    menu_for,
    my_orders,
    order_label,
    orderable,
    partner_order,
    pass_to_partner,
    place_order,
    rate,
    require_doer,
    return_order,
    schedule,
    staff_order,
)

ASKED_BY_TEXT = {"return": "reason", "decline": "reason", "schedule": "when", "complete": "note"}


class OrderFlow(StatesGroup):
    text = State()
    photo = State()
    when = State()
    confirm = State()


class OrderInput(StatesGroup):
    """A staff member or partner contact types what a button asked for."""

    reason = State()
    when = State()
    note = State()
    comment = State()


def _choices(t: Translator, step: str, *options: tuple[str, str]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for value, label_key in options:
        builder.button(text=t(label_key), callback_data=ServiceFlow(step=step, value=value))
    builder.button(text=t("svc-btn-cancel"), callback_data=ServiceFlow(step="cancel", value="-"))
    builder.adjust(2)
    return builder.as_markup()


# --- the menu and ordering ------------------------------------------------------------------


async def services_menu(
    message: Message, session: AsyncSession, member: Member, t: Translator
) -> Any:
    try:
        items = await menu_for(session, member, utcnow())
    except DomainError as error:
        return message.answer(refusal(t, error))
    if not items:
        return message.answer(t("svc-menu-empty"))
    lines, builder, category = [t("svc-menu-title")], InlineKeyboardBuilder(), None
    for item in items:
        if item.service.category != category:
            category = item.service.category
            lines.append("\n" + t("svc-menu-category", category=category))
        average = f"{item.average:.1f}" if item.average is not None else t("svc-no-rating")
        lines.append(t("svc-menu-line", service=item.service.name, price=item.service.price,
                       partner=item.partner.name, completed=item.completed,
                       average=average))  # fmt: skip
        builder.button(text=item.service.name, callback_data=ServicePick(id=item.service.id))
    builder.adjust(2)
    lines.append("\n" + t("svc-menu-hint"))
    return message.answer("\n".join(lines), reply_markup=builder.as_markup())


async def service_picked(
    query: CallbackQuery, callback_data: ServicePick, session: AsyncSession, state: FSMContext,
    member: Member, t: Translator,
) -> Any:  # fmt: skip
    try:
        service = await orderable(session, member, callback_data.id, utcnow())
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await state.clear()
    await state.set_state(OrderFlow.text)
    await state.update_data(service_id=service.id, service=service.name)
    await query.answer()
    assert isinstance(query.message, Message)
    return query.message.answer(t("svc-ask-text", service=service.name, max=TEXT_MAX),
                                reply_markup=_choices(t, "text"))  # fmt: skip


async def text_given(message: Message, state: FSMContext, t: Translator) -> Any:
    text = (message.text or "").strip()
    if len(text) > TEXT_MAX:
        return message.answer(t("svc-text-too-long", max=TEXT_MAX, length=len(text)))
    await state.update_data(text=text)
    await state.set_state(OrderFlow.photo)
    return message.answer(
        t("svc-ask-photo"), reply_markup=_choices(t, "photo", ("skip", "svc-btn-skip"))
    )


async def photo_given(message: Message, state: FSMContext, t: Translator) -> Any:
    assert message.photo
    await state.update_data(photo=message.photo[-1].file_id)
    return await _ask_when(message, state, t)


async def _ask_when(message: Message, state: FSMContext, t: Translator) -> Any:
    await state.set_state(OrderFlow.when)
    keyboard = _choices(t, "when", ("skip", "svc-btn-any-time"))
    return message.answer(t("svc-ask-when", max=WHEN_MAX), reply_markup=keyboard)


async def when_given(message: Message, state: FSMContext, t: Translator) -> Any:
    when = (message.text or "").strip()
    if len(when) > WHEN_MAX:
        return message.answer(t("svc-text-too-long", max=WHEN_MAX, length=len(when)))
    await state.update_data(when=when)
    return await _confirm(message, state, t)


async def _confirm(message: Message, state: FSMContext, t: Translator) -> Any:
    await state.set_state(OrderFlow.confirm)
    data = await state.get_data()
    text = t("svc-confirm", service=data["service"], text=data["text"],
             photo=t("svc-yes" if data.get("photo") else "svc-no"),
             when=data.get("when") or t("svc-when-any"))  # fmt: skip
    return message.answer(text, reply_markup=_choices(t, "confirm", ("send", "svc-btn-send")))


async def flow_choice(
    query: CallbackQuery, callback_data: ServiceFlow, session: AsyncSession, state: FSMContext,
    member: Member, t: Translator,
) -> Any:  # fmt: skip
    """Skip, send and cancel, checked against the step the flow is at."""
    assert isinstance(query.message, Message)
    current = (await state.get_state() or "").split(":")[-1]
    if callback_data.step == "cancel" and current:
        await state.clear()
        await query.answer()
        return query.message.edit_text(t("svc-cancelled"))
    if callback_data.step != current or not current:
        return query.answer(t("svc-stale"), show_alert=True)
    if current == "photo":
        await query.answer()
        await query.message.edit_reply_markup(reply_markup=None)
        return await _ask_when(query.message, state, t)
    if current == "when":
        await query.answer()
        await query.message.edit_reply_markup(reply_markup=None)
        return await _confirm(query.message, state, t)
    if current == "confirm":
        return await _send(query, session, state, member, t)
    if current == "comment":
        return await _rate(query.message, session, state, member, t, None, query)
    return query.answer(t("svc-stale"), show_alert=True)


async def _send(
    query: CallbackQuery, session: AsyncSession, state: FSMContext, member: Member, t: Translator
) -> Any:
    assert isinstance(query.message, Message)
    data = await state.get_data()
    try:
        order = await place_order(
            session, member, int(data["service_id"]), data.get("text"), data.get("photo"),
            data.get("when") or None, utcnow(),
        )  # fmt: skip
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)  # the flow and its text stay
    await state.clear()
    await query.answer()
    key = "svc-receipt-waiting" if order.status == OrderStatus.WAITING else "svc-receipt"
    return query.message.edit_text(t(key, label=order_label(order), service=data["service"]))


async def flow_expects_other(message: Message, t: Translator) -> Any:
    return message.answer(t("svc-use-buttons"))


# --- the staff's and the partner's buttons --------------------------------------------------


async def _show_pressed(
    query: CallbackQuery, session: AsyncSession, notifier: Notifier, t: Translator,
    order_id: int, variant: str,
) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    drawing = await notifier.copies.pressed(session, Subject("svc-order", order_id),
                                            query.message.chat.id, query.message.message_id,
                                            t, variant)  # fmt: skip
    return edit_card(query.message, drawing) if drawing else None


async def order_button(
    query: CallbackQuery, callback_data: OrderAction, bot: Bot, session: AsyncSession,
    member: Member, fsm_storage: BaseStorage, notifier: Notifier, t: Translator,
) -> Any:  # fmt: skip
    action, order_id = callback_data.action, callback_data.id
    try:
        if action == "pass":
            await pass_to_partner(session, member, order_id, utcnow())
            answer = t("svc-passed")
        elif action == "convert":
            order, request_id = await convert_to_request(session, member, order_id)
            request = await session.get(Request, request_id)
            assert request is not None
            answer = t("svc-converted", label=order_label(order), request=request_label(request))
        elif action == "accept":
            await accept(session, member, order_id, utcnow())
            answer = t("svc-accepted")
        elif action in ASKED_BY_TEXT:
            return await _ask_for_text(
                query, bot, session, member, fsm_storage, t, action, order_id
            )
        else:
            return query.answer(t("svc-stale"), show_alert=True)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer(answer, show_alert=action == "convert")
    variant = "partner" if action == "accept" else "staff"
    return await _show_pressed(query, session, notifier, t, order_id, variant)


async def _ask_for_text(
    query: CallbackQuery, bot: Bot, session: AsyncSession, member: Member,
    fsm_storage: BaseStorage, t: Translator, action: str, order_id: int,
) -> Any:  # fmt: skip
    """Check the presser may do it now, then ask in private for the reason, time or note."""
    if action == "return":
        order = await staff_order(session, member, order_id)
        if order.status not in (OrderStatus.WAITING, OrderStatus.SUBMITTED):
            return query.answer(t("svc-order-moved-on", label=order_label(order)), show_alert=True)
    else:
        order = await partner_order(session, member, order_id)
        require_doer(member, order)
        allowed = (
            (OrderStatus.PASSED,)
            if action == "decline"
            else (OrderStatus.ACCEPTED, OrderStatus.SCHEDULED)
        )
        if order.status not in allowed:
            return query.answer(t("svc-order-moved-on", label=order_label(order)), show_alert=True)
    step = ASKED_BY_TEXT[action]
    max_length = {"reason": REASON_MAX, "when": WHEN_MAX, "note": TEXT_MAX}[step]
    asked = t(f"svc-ask-{action}", label=order_label(order), max=max_length)
    try:  # asked in private: a reason or a resident's time has no place in a group
        await bot.send_message(member.user.telegram_id, asked)
    except TelegramAPIError:
        return query.answer(t("svc-open-private"), show_alert=True)
    state = private_state(bot, fsm_storage, member.user.telegram_id)
    await state.set_state(getattr(OrderInput, step))
    await state.update_data(action=action, order_id=order.id)
    return query.answer()


async def text_answered(
    message: Message, state: FSMContext, session: AsyncSession, member: Member, t: Translator
) -> Any:
    """The reason, time or note a button asked for (a photo's caption is a note)."""
    data = await state.get_data()
    action, order_id = data.get("action"), int(data.get("order_id", 0))
    text = message.text or message.caption
    photo = message.photo[-1].file_id if message.photo else None
    try:
        if action == "return":
            order = await return_order(session, member, order_id, text)
        elif action == "decline":
            order = await decline(session, member, order_id, text)
        elif action == "schedule":
            order = await schedule(session, member, order_id, text)
        elif action == "complete":
            order = await complete(session, member, order_id, text, photo, utcnow())
        else:
            await state.clear()
            return message.answer(t("svc-stale"))
    except DomainError as error:
        if error.message_id in (
            "svc-text-too-long",
            "svc-reason-empty",
            "svc-when-empty",
            "svc-note-empty",
        ):
            return message.answer(refusal(t, error))  # still asked: type it again
        await state.clear()
        return message.answer(refusal(t, error))
    await state.clear()
    return message.answer(t(f"svc-done-{action}", label=order_label(order)))


# --- rating ---------------------------------------------------------------------------------


async def rating_pressed(
    query: CallbackQuery, callback_data: OrderRating, session: AsyncSession, state: FSMContext,
    member: Member, t: Translator,
) -> Any:  # fmt: skip
    try:
        order = await check_ratable(session, member, callback_data.id)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    if not 1 <= callback_data.stars <= 5:
        return query.answer(t("svc-rating-range"), show_alert=True)
    await state.set_state(OrderInput.comment)
    await state.update_data(order_id=order.id, stars=callback_data.stars)
    await query.answer()
    assert isinstance(query.message, Message)
    return query.message.answer(
        t("svc-ask-comment", stars="⭐" * callback_data.stars, max=COMMENT_MAX),
        reply_markup=_choices(t, "comment", ("skip", "svc-btn-no-comment")),
    )


async def comment_given(
    message: Message, session: AsyncSession, state: FSMContext, member: Member, t: Translator
) -> Any:
    return await _rate(message, session, state, member, t, message.text, None)


async def _rate(
    message: Message, session: AsyncSession, state: FSMContext, member: Member, t: Translator,
    comment: str | None, query: CallbackQuery | None,
) -> Any:  # fmt: skip
    data = await state.get_data()
    try:
        order = await rate(session, member, int(data.get("order_id", 0)), int(data.get("stars", 0)),
                           comment, utcnow())  # fmt: skip
    except DomainError as error:
        if error.message_id == "svc-text-too-long" and query is None:
            return message.answer(refusal(t, error))
        await state.clear()
        if query is not None:
            return query.answer(refusal(t, error), show_alert=True)
        return message.answer(refusal(t, error))
    await state.clear()
    if query is not None:
        await query.answer()
    return message.answer(t("svc-rated", label=order_label(order)))


async def orders_command(
    message: Message, session: AsyncSession, member: Member, t: Translator
) -> Any:
    """/orders: a resident's own orders; a partner contact's open work (to accept or to do)."""
    found = await my_orders(session, member)
    if not found.placed and not found.to_do:
        return message.answer(t("svc-orders-none"))
    lines = []
    if found.to_do:
        lines.append(t("svc-orders-to-do", count=len(found.to_do)))
        lines += [_order_line(t, order, service) for order, service in found.to_do]
    if found.placed:
        lines.append(t("svc-orders-placed"))
        lines += [_order_line(t, order, service) for order, service in found.placed]
    return message.answer("\n".join(lines))


def _order_line(t: Translator, order: ServiceOrder, service: Service) -> str:
    when = order.appointment or order.preferred_time or t("svc-when-any")
    return t("svc-orders-line", label=order_label(order), service=service.name,
             status=status_name(t, order.status), when=when)  # fmt: skip


def build_router() -> Router:
    router = Router(name="services")
    private = F.chat.type == "private"
    not_command = ~F.text.startswith("/")
    router.message.register(services_menu, Command("services"), private)
    router.message.register(orders_command, Command("orders"), private)
    router.callback_query.register(service_picked, ServicePick.filter())
    router.callback_query.register(flow_choice, ServiceFlow.filter())
    router.message.register(text_given, OrderFlow.text, private, F.text, not_command)
    router.message.register(photo_given, OrderFlow.photo, private, F.photo)
    router.message.register(when_given, OrderFlow.when, private, F.text, not_command)
    for step in (OrderFlow.text, OrderFlow.photo, OrderFlow.when, OrderFlow.confirm):
        router.message.register(flow_expects_other, step, private, not_command)
    router.callback_query.register(order_button, OrderAction.filter())
    for step in (OrderInput.reason, OrderInput.when, OrderInput.note):
        router.message.register(text_answered, step, private, F.text, not_command)
    router.message.register(text_answered, OrderInput.note, private, F.photo)
    router.callback_query.register(rating_pressed, OrderRating.filter())
    router.message.register(comment_given, OrderInput.comment, private, F.text, not_command)
    return router
