"""The one-key call (一键呼叫): the persistent 🆘 button and /sos, the alert cards with 我去处理,
and the caller's own card to follow the call or cancel a false alarm.

Alerts are copies of one card (bot/copies.py), so every copy shows who took the call; they are
queued as urgent outbox rows, sent before other due messages."""

from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from bot.copies import Draw, Drawing, message_payload, renders
from bot.i18n import LANGUAGES, Catalog, Translator
from bot.notifier import Notifier
from bot.outbox import OutboxSender
from handlers.cards import edit_card
from handlers.common import refusal
from models.base import utcnow
from models.care import CallStatus, EmergencyCall, Household
from models.care.calls import Alert, accept_call, arrive, close_call, raise_call
from models.care.crypto import decrypt
from models.care.households import address_of, place_of
from models.copies import MessageCopy, Subject
from models.errors import DomainError
from models.members import Member, User
from models.outbox import OutboxMessage, queued_keys
from models.structure import Community

URGENT = 1  # outbox priority of everything about a call


class SosAction(CallbackData, prefix="sos"):
    action: str  # accept | arrived | close | cancel
    id: int


def sos_keyboard(t: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=t("care-sos-button"))]],
        resize_keyboard=True,
        is_persistent=True,
    )


def queue_welcome(session: AsyncSession, catalog: Catalog, user: User, household_id: int) -> None:
    """Tell a person the call is enabled for them, and give them the button."""
    t = catalog.translator(user.language_or(catalog.default_language))
    payload = {
        "text": t("care-sos-welcome"),
        "reply_markup": sos_keyboard(t).model_dump(mode="json", exclude_none=True),
    }
    session.add(
        OutboxMessage(
            chat_id=user.telegram_id,
            user_id=user.id,
            method="sendMessage",
            payload=payload,
            dedup_key=f"care-sos-welcome:{user.id}:{household_id}",
        )
    )


def _name(user: User | None) -> str:
    return user.full_name if user and user.full_name else "-"


@renders("care-call")
async def _call_card(session: AsyncSession, call_id: int) -> Draw:
    call = await session.get(EmergencyCall, call_id)
    assert call is not None
    household = await session.get(Household, call.household_id)
    community = await session.get(Community, call.community_id)
    assert household is not None and community is not None
    address = await address_of(session, household)
    place = await place_of(session, household)
    phone = decrypt(household.phone_secret)
    taker = _name(await session.get(User, call.accepted_by_id)) if call.accepted_by_id else "-"
    zone = ZoneInfo(community.timezone)

    def clock(moment: Any) -> str:
        return moment.astimezone(zone).strftime("%H:%M") if moment else "-"

    def draw(t: Translator, copy: MessageCopy) -> Drawing:
        at = clock(call.called_at)
        if copy.variant == "caller":
            lines = [t("care-call-caller", at=at)]
        elif copy.variant == "group":  # a staff chat: no room, name or phone
            lines = [
                t(
                    "care-call-alert-group",
                    micro_grid=place.micro_grid.name,
                    building=place.building.name,
                    at=at,
                )
            ]
        else:
            lines = [
                t(
                    "care-call-alert",
                    address=address,
                    people=household.people or "-",
                    phone=phone or "-",
                    at=at,
                )
            ]
        if call.status == CallStatus.OPEN:
            lines.append(t("care-call-waiting"))
        elif call.status == CallStatus.ACCEPTED and call.arrived_at:
            lines.append(t("care-call-arrived", name=taker, at=clock(call.arrived_at)))
        elif call.status == CallStatus.ACCEPTED:
            lines.append(t("care-call-accepted", name=taker, at=clock(call.accepted_at)))
        else:
            lines.append(t(f"care-call-{call.status.value}"))
        if copy.variant != "caller" and call.status == CallStatus.OPEN:
            lines += [t(f"care-call-escalated-{level}") for level in range(1, call.level + 1)]
        return "\n".join(lines), _buttons(t, call, copy.variant)

    return draw


def _buttons(t: Translator, call: EmergencyCall, variant: str) -> InlineKeyboardMarkup | None:
    if call.status not in (CallStatus.OPEN, CallStatus.ACCEPTED):
        return None
    builder = InlineKeyboardBuilder()
    if variant == "caller":
        builder.button(
            text=t("care-btn-cancel"), callback_data=SosAction(action="cancel", id=call.id)
        )
    elif call.status == CallStatus.OPEN:
        builder.button(
            text=t("care-btn-accept"), callback_data=SosAction(action="accept", id=call.id)
        )
    else:
        if call.arrived_at is None:
            builder.button(
                text=t("care-btn-arrived"), callback_data=SosAction(action="arrived", id=call.id)
            )
        builder.button(
            text=t("care-btn-close"), callback_data=SosAction(action="close", id=call.id)
        )
    return builder.as_markup()


async def send_alert(session: AsyncSession, notifier: Notifier, alert: Alert) -> int:
    """Queue the alert of one level: a private copy to each person, one to the staff chat.
    A person told at an earlier level is not told again."""
    subject = Subject("care-call", alert.call.id)
    wanted: list[tuple[str, int, User | None]] = []
    for user_id in alert.user_ids:
        user = await session.get(User, user_id)
        if user is not None and not user.private_blocked:
            wanted.append((f"care-call:{alert.call.id}:user:{user.id}", user.telegram_id, user))
    if alert.chat_id:
        wanted.append((f"care-call:{alert.call.id}:chat:{alert.chat_id}", alert.chat_id, None))
    queued = await queued_keys(session, [key for key, _chat, _user in wanted])
    sent = 0
    for key, chat_id, user in wanted:
        if key in queued:
            continue
        language = user.language_or(notifier.catalog.default_language) if user else None
        await notifier.copies.send(
            session,
            subject,
            "private" if user else "group",
            chat_id,
            language=language,
            user_id=user.id if user else None,
            dedup_key=key,
            priority=URGENT,
        )
        sent += 1
    return sent


def wake_after_commit(session: AsyncSession, sender: OutboxSender) -> None:
    """Have the sender look at the outbox as soon as the call's rows are committed."""
    event.listen(session.sync_session, "after_commit", lambda _session: sender.wake(), once=True)


async def sos_command(
    message: Message, session: AsyncSession, member: Member, notifier: Notifier,
    outbox_sender: OutboxSender, t: Translator,
) -> Any:  # fmt: skip
    try:
        alert = await raise_call(session, member, utcnow())
    except DomainError as error:
        return message.answer(refusal(t, error))
    if alert is None:
        return message.answer(t("care-sos-already"))
    await send_alert(session, notifier, alert)
    await notifier.copies.send(
        session,
        Subject("care-call", alert.call.id),
        "caller",
        member.user.telegram_id,
        language=t.language,
        user_id=member.user.id,
        priority=URGENT,
        dedup_key=f"care-call:{alert.call.id}:caller",
    )
    wake_after_commit(session, outbox_sender)
    return message.answer(t("care-sos-sent"))


def _tell_caller(
    session: AsyncSession, catalog: Catalog, call: EmergencyCall, caller: User, taker: Member
) -> None:
    t = catalog.translator(caller.language_or(catalog.default_language))
    session.add(
        OutboxMessage(
            chat_id=caller.telegram_id,
            user_id=caller.id,
            method="sendMessage",
            payload=message_payload(t("care-sos-coming", name=_name(taker.user)), None),
            dedup_key=f"care-call:{call.id}:coming",
            priority=URGENT,
        )
    )


async def sos_pressed(
    query: CallbackQuery,
    callback_data: SosAction,
    session: AsyncSession,
    member: Member,
    notifier: Notifier,
    t: Translator,
) -> Any:
    assert isinstance(query.message, Message)
    now, action = utcnow(), callback_data.action
    try:
        if action == "accept":
            call = await accept_call(session, member, callback_data.id, now)
            caller = await session.get(User, call.caller_id)
            assert caller is not None
            if not await queued_keys(session, [f"care-call:{call.id}:coming"]):
                _tell_caller(session, notifier.catalog, call, caller, member)
            answer = t("care-call-accepted-you")
        elif action == "arrived":
            call = await arrive(session, member, callback_data.id, now)
            answer = t("care-call-done")
        elif action in ("close", "cancel"):
            call = await close_call(session, member, callback_data.id, now)
            answer = t("care-call-done")
        else:
            return query.answer(t("care-call-stale"), show_alert=True)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer(answer)
    variant = "caller" if call.caller_id == member.user.id else "private"
    drawing = await notifier.copies.pressed(
        session,
        Subject("care-call", call.id),
        query.message.chat.id,
        query.message.message_id,
        t,
        variant,
    )
    return edit_card(query.message, drawing) if drawing else None


def build_router() -> Router:
    router = Router(name="sos")
    private = F.chat.type == "private"
    buttons = {Catalog().translator(language)("care-sos-button") for language in LANGUAGES}
    router.message.register(sos_command, Command("sos"), private)
    router.message.register(sos_command, private, F.text.in_(buttons))
    router.callback_query.register(sos_pressed, SosAction.filter())
    return router
