"""Volunteer service: activities with sign-up, /checkin and /checkout, free-form service
stamped by a leader (签章)."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.notifier import Notifier
from handlers.callbacks import ActivityAction, CheckinReview
from handlers.cards import edit_card
from handlers.common import private_state, refusal
from models.base import utcnow
from models.checkins import (
    check_in,
    check_out,
    create_activity,
    free_checkin,
    review_checkin,
    sign_up,
)
from models.copies import Subject
from models.errors import DomainError
from models.members import Member
from models.structure import MicroGrid, find_micro_grid, get_community

FIELDS = 7  # title | place | start | end | points per hour | points per attendance | slots


class ReviewInput(StatesGroup):
    reason = State()


def _parse_time(text: str, zone: ZoneInfo, day: datetime | None = None) -> datetime:
    text = text.strip()
    if day is not None and len(text) <= 5:  # "11:00" on the start's day
        return datetime.combine(day.date(), datetime.strptime(text, "%H:%M").time(), zone)
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=zone)


async def new_activity(
    message: Message, command: CommandObject, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    """/activity 标题 | 地点 | 2026-11-28 09:00 | 11:00 | 10 | 5 | 20 [| 微网格]"""
    parts = [p.strip() for p in (command.args or "").split("|")]
    led = [r.micro_grid_id for r in member.roles if r.role.value == "leader" and r.micro_grid_id]
    if len(parts) not in (FIELDS, FIELDS + 1):
        return message.answer(t("activity-usage"))
    if len(parts) == FIELDS + 1:
        found = await find_micro_grid(session, parts[FIELDS])
        led = [m.id for m in found if member.is_admin_of(m.community_id)] or [0]
    if not led:
        return message.answer(t("activity-organisers-only"))
    title, place, start_text, end_text, per_hour, per_attendance, slots = parts[:FIELDS]
    try:
        micro_grid = await session.get(MicroGrid, led[0])
        community = await get_community(session, micro_grid.community_id if micro_grid else 0)
        zone = ZoneInfo(community.timezone)
        starts_at = _parse_time(start_text, zone)
        ends_at = _parse_time(end_text, zone, starts_at)
        numbers = [int(per_hour), int(per_attendance), int(slots)]
    except ValueError:
        return message.answer(t("activity-usage"))
    except DomainError as error:
        return message.answer(refusal(t, error))
    try:
        activity = await create_activity(
            session, member, led[0], title=title, place=place, starts_at=starts_at,
            ends_at=ends_at, points_per_hour=numbers[0], points_per_attendance=numbers[1],
            slots=numbers[2],
        )  # fmt: skip
    except DomainError as error:
        return message.answer(refusal(t, error))
    return message.answer(t("activity-created", title=activity.title))


async def activity_button(
    query: CallbackQuery, callback_data: ActivityAction, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    try:
        if callback_data.action == "signup":
            count = await sign_up(session, member, callback_data.id, utcnow())
            return query.answer(t("activity-signed-up", count=count), show_alert=True)
        if callback_data.action == "checkin":
            checkin = await check_in(session, member, callback_data.id, utcnow())
            return query.answer(t("checkin-done", title=checkin.description), show_alert=True)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    return query.answer(t("error-stale"), show_alert=True)


async def checkin_command(
    message: Message, command: CommandObject, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    text = command.args if command else None
    photo = message.photo[-1].file_id if message.photo else None
    if not text:
        return message.reply(t("checkin-usage"))
    try:
        await free_checkin(session, member, text, photo, utcnow())
    except DomainError as error:
        return message.reply(refusal(t, error))
    return message.reply(t("checkin-submitted"))


async def checkout_command(
    message: Message, session: AsyncSession, member: Member, t: Translator
) -> Any:
    try:
        checkin = await check_out(session, member, utcnow())
    except DomainError as error:
        return message.reply(refusal(t, error))
    return message.reply(
        t("checkout-done", minutes=checkin.minutes or 0, points=checkin.points or 0)
    )


async def review_pressed(
    query: CallbackQuery, callback_data: CheckinReview, bot: Bot, session: AsyncSession,
    member: Member, fsm_storage: BaseStorage, notifier: Notifier, t: Translator,
) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    if not callback_data.approve:
        state = private_state(bot, fsm_storage, member.user.telegram_id)
        await state.set_state(ReviewInput.reason)
        await state.update_data(checkin_id=callback_data.id)
        await query.answer()
        return query.message.answer(t("checkin-ask-reason"))
    try:
        checkin = await review_checkin(session, member, callback_data.id, True, None, utcnow())
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer()
    drawing = await notifier.copies.pressed(
        session, Subject("checkin", checkin.id), query.message.chat.id,
        query.message.message_id, t, "leader",
    )  # fmt: skip
    return edit_card(query.message, drawing) if drawing else None


async def reason_typed(
    message: Message, state: FSMContext, session: AsyncSession, member: Member, t: Translator
) -> Any:
    checkin_id = int((await state.get_data()).get("checkin_id", 0))
    try:
        checkin = await review_checkin(session, member, checkin_id, False, message.text, utcnow())
    except DomainError as error:
        if error.message_id == "request-reason-empty":
            return message.answer(refusal(t, error))
        await state.clear()
        return message.answer(refusal(t, error))
    await state.clear()
    return message.answer(t("checkin-rejected-card", what=checkin.description))


def build_router() -> Router:
    router = Router(name="checkins")
    private = F.chat.type == "private"
    router.message.register(new_activity, Command("activity"), private)
    router.callback_query.register(activity_button, ActivityAction.filter())
    router.message.register(checkin_command, Command("checkin"))
    router.message.register(checkout_command, Command("checkout"))
    router.callback_query.register(review_pressed, CheckinReview.filter())
    router.message.register(
        reason_typed, ReviewInput.reason, private, F.text, ~F.text.startswith("/")
    )
    return router
