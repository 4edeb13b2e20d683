"""Notices of partner-service orders (kinds `svc-…`): order cards to staff and to partners'
contacts as recorded copies, and what residents are told."""

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.copies import LOADED, Draw, message_payload, renders
from bot.i18n import Translator
from handlers.service_cards import OrderView, partner_card, rating_keyboard, staff_card
from models.copies import MessageCopy, Subject
from models.members import User
from models.notices import Notice
from models.outbox import queue_message
from models.services import Partner, Service, get_order, order_label, resident_details
from models.structure import MicroGrid

if TYPE_CHECKING:
    from bot.notifier import Notifier

SUBJECT = "svc-order"


async def order_view(session: AsyncSession, order_id: int) -> OrderView:
    loaded = session.info.setdefault(LOADED, {})
    key = ("svc-order-view", order_id)
    if key not in loaded:
        order = await get_order(session, order_id)
        service = await session.get(Service, order.service_id)
        partner = await session.get(Partner, order.partner_id)
        micro_grid = await session.get(MicroGrid, order.micro_grid_id)
        assert service is not None and partner is not None and micro_grid is not None
        accepter = await session.get(User, order.accepted_by_id) if order.accepted_by_id else None
        resident = await resident_details(session, order.resident_id) if accepter else None
        loaded[key] = OrderView(
            order, service, partner, micro_grid.name,
            accepter.telegram_id if accepter else None,
            accepter.full_name if accepter and accepter.full_name else "-", resident,
        )  # fmt: skip
    return loaded[key]


@renders(SUBJECT)
async def _order(session: AsyncSession, order_id: int) -> Draw:
    view = await order_view(session, order_id)

    def draw(t: Translator, copy: MessageCopy) -> tuple[str, object]:
        if copy.variant == "partner":
            return partner_card(t, view, copy.chat_id)
        context = copy.context or {}
        return staff_card(t, view, context.get("why", ""), context.get("reason", ""))

    return draw  # type: ignore[return-value]


async def write(notifier: "Notifier", session: AsyncSession, notice: Notice) -> int:
    """Queue one service notice; returns the rows written."""
    order_id = notice.args["order_id"]
    view = await order_view(session, order_id)
    subject = Subject(SUBJECT, order_id)
    photo = view.order.photo_file_id
    if notice.kind == "svc-staff-card" and notice.chat_id is not None:
        context = {k: notice.args[k] for k in ("why", "reason") if notice.args.get(k)}
        await notifier.copies.send(session, subject, "staff", notice.chat_id, context=context,
                                   photo=photo, dedup_key=notice.dedup_key)  # fmt: skip
        return 1
    assert notice.user_id is not None
    user = await session.get(User, notice.user_id)
    assert user is not None
    language = user.language_or(notifier.catalog.default_language)
    if notice.kind in ("svc-staff-card", "svc-partner-card"):
        variant = "partner" if notice.kind == "svc-partner-card" else "staff"
        context = {k: notice.args[k] for k in ("why", "reason") if notice.args.get(k)}
        await notifier.copies.send(session, subject, variant, user.telegram_id,
                                   language=language, context=context, photo=photo,
                                   user_id=user.id, dedup_key=notice.dedup_key)  # fmt: skip
        return 1
    t = notifier.catalog.translator(language)
    args = {k: v for k, v in notice.args.items() if k != "order_id"}
    text = t(notice.kind, label=order_label(view.order), service=view.service.name, **args)
    keyboard = rating_keyboard(order_id) if notice.kind == "svc-resident-rate" else None
    method, payload = "sendMessage", message_payload(text, keyboard)
    if notice.kind == "svc-resident-rate" and view.order.completion_photo_file_id:
        # The partner's photo of the work done, with the question as its caption.
        method = "sendPhoto"
        payload = {"caption": payload.pop("text"), "photo": view.order.completion_photo_file_id,
                   **payload}  # fmt: skip
    await queue_message(session, user.telegram_id, method, payload, user_id=user.id,
                        dedup_key=notice.dedup_key)  # fmt: skip
    return 1
