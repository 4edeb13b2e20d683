"""How partner-service orders look in chat: the staff card, the partner's card, the buttons.
Button data comes back from the client, so every field is re-checked by the handler."""

import html
from dataclasses import dataclass

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Translator
from models.services import (
    WITH_PARTNER,
    WITH_STAFF,
    OrderStatus,
    Partner,
    ResidentDetails,
    Service,
    ServiceOrder,
    order_label,
)

PREVIEW = 300


class ServicePick(CallbackData, prefix="svp"):
    """A service picked from the /services menu."""

    id: int


class ServiceFlow(CallbackData, prefix="svf"):
    """A choice inside the ordering flow: skip a step, send, cancel."""

    step: str
    value: str


class OrderAction(CallbackData, prefix="svo"):
    """A button on an order card: pass, convert, return (staff); accept, decline, schedule,
    complete (partner)."""

    action: str
    id: int


class OrderRating(CallbackData, prefix="svr"):
    id: int
    stars: int


@dataclass
class OrderView:
    order: ServiceOrder
    service: Service
    partner: Partner
    place: str  # the micro-grid's name: never who or which room
    accepted_by_telegram_id: int | None
    accepted_by_name: str
    resident: ResidentDetails | None  # loaded once accepted; shown to the one who accepted


def status_name(t: Translator, status: OrderStatus) -> str:
    return t(f"svc-status-{status.value}")


def _preview(text: str) -> str:
    return html.escape(text if len(text) <= PREVIEW else text[:PREVIEW] + "…")


def _body(t: Translator, view: OrderView) -> list[str]:
    order = view.order
    lines = [
        t("svc-card-head", label=order_label(order), service=view.service.name,
          partner=view.partner.name),
        t("svc-card-text", text=_preview(order.text)),
        t("svc-card-when", when=order.preferred_time or t("svc-when-any")),
        t("svc-card-status", status=status_name(t, order.status)),
    ]  # fmt: skip
    if order.appointment:
        lines.append(t("svc-card-appointment", when=order.appointment))
    if order.completion_note:
        lines.append(t("svc-card-note", note=_preview(order.completion_note)))
    if order.rating is not None:
        lines.append(t("svc-card-rating", stars="⭐" * order.rating,
                       comment=order.rating_comment or "-"))  # fmt: skip
    return lines


def staff_card(
    t: Translator, view: OrderView, why: str, reason: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The card for the community's staff; it may be in a group, so it never names the
    resident or their room."""
    lines = [t(f"svc-why-{why}")] if why else []
    lines += _body(t, view)
    lines.insert(2 if why else 1, t("svc-card-place", place=view.place))
    if reason:
        lines.append(t("svc-card-reason", reason=html.escape(reason)))
    if view.order.status not in WITH_STAFF:
        return "\n".join(lines), None
    builder = InlineKeyboardBuilder()
    for action in ("pass", "convert", "return"):
        builder.button(text=t(f"svc-btn-{action}"),
                       callback_data=OrderAction(action=action, id=view.order.id))  # fmt: skip
    builder.adjust(1, 2)
    return "\n".join(lines), builder.as_markup()


def partner_card(
    t: Translator, view: OrderView, chat_id: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The card each contact of the partner gets in private. The resident's name, address
    and phone appear only on the copy of the contact who accepted."""
    order = view.order
    lines = _body(t, view)
    mine = view.accepted_by_telegram_id == chat_id
    if view.accepted_by_telegram_id is not None and not mine:
        lines.append(t("svc-card-taken", name=view.accepted_by_name))
    if mine and view.resident is not None and order.status != OrderStatus.RATED:
        lines.append(t("svc-card-resident", name=view.resident.name,
                       address=view.resident.address,
                       phone=view.resident.phone or t("svc-phone-none")))  # fmt: skip
    if order.status == OrderStatus.PASSED:
        actions = ("accept", "decline")
    elif order.status in WITH_PARTNER and mine:
        actions = ("schedule", "complete")
    else:
        return "\n".join(lines), None
    builder = InlineKeyboardBuilder()
    for action in actions:
        builder.button(text=t(f"svc-btn-{action}"),
                       callback_data=OrderAction(action=action, id=order.id))  # fmt: skip
    builder.adjust(2)
    return "\n".join(lines), builder.as_markup()


def rating_keyboard(order_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for stars in range(5, 0, -1):
        builder.button(text="⭐" * stars, callback_data=OrderRating(id=order_id, stars=stars))
    builder.adjust(1)
    return builder.as_markup()
