"""Points in chat: /points, /rewards and ordering, /verify for merchants, /adjust for admins."""

import uuid
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.qr import read_qr
from handlers.callbacks import OrderReward
from handlers.common import refusal
from models.errors import DomainError
from models.members import Member, user_by_telegram_id
from models.points.ledger import account, adjust, balance_of
from models.points.rewards import list_rewards, member_community, place_order, verify_voucher

ENTRIES_SHOWN = 10


async def show_points(
    message: Message, session: AsyncSession, member: Member, t: Translator
) -> Any:
    community_id = member_community(member)
    if community_id is None:
        return message.answer(t("points-register-first"))
    balance, entries = await account(session, member.user.id, community_id, ENTRIES_SHOWN)
    lines = [t("points-balance", balance=balance)]
    for entry in entries:
        lines.append(t("points-entry", amount=f"{entry.amount:+d}",
                       reason=t(f"ledger-{entry.reason.value.replace('_', '-')}"),
                       note=entry.note or "", date=entry.created_at.strftime("%m-%d")))  # fmt: skip
    return message.answer("\n".join(lines))


async def show_rewards(
    message: Message, session: AsyncSession, member: Member, t: Translator
) -> Any:
    community_id = member_community(member)
    if community_id is None:
        return message.answer(t("points-register-first"))
    lines = await list_rewards(session, community_id)
    if not lines:
        return message.answer(t("rewards-none"))
    balance = await balance_of(session, member.user.id, community_id)
    builder = InlineKeyboardBuilder()
    text = [t("rewards-title", balance=balance)]
    for line in lines:
        text.append(t("rewards-line", name=line.reward.name, merchant=line.merchant.name,
                      cost=line.reward.cost, remaining=line.remaining))  # fmt: skip
        builder.button(text=t("btn-order", name=line.reward.name, cost=line.reward.cost),
                       callback_data=OrderReward(reward=line.reward.id))  # fmt: skip
    builder.adjust(1)
    return message.answer("\n".join(text), reply_markup=builder.as_markup())


async def order(
    query: CallbackQuery, callback_data: OrderReward, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    try:
        placed = await place_order(session, member, callback_data.reward)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    balance = await balance_of(session, member.user.id, placed.community_id)
    return query.answer(t("order-placed", cost=placed.cost, balance=balance), show_alert=True)


async def verify(
    message: Message, command: CommandObject, session: AsyncSession, member: Member, t: Translator
) -> Any:
    if not command.args:
        return message.answer(t("verify-usage"))
    try:
        verified = await verify_voucher(session, member, command.args)
    except DomainError as error:
        return message.answer(refusal(t, error))
    return message.answer(t("verify-ok", reward=verified.reward, holder=verified.holder))


async def verify_photo(
    message: Message, bot: Bot, session: AsyncSession, member: Member, t: Translator
) -> Any:
    """A merchant sends a photo of the customer's QR image instead of typing the code."""
    assert message.photo
    downloaded = await bot.download(message.photo[-1].file_id)
    code = read_qr(downloaded.read()) if downloaded else None
    if code is None:
        return message.answer(t("verify-no-qr"))
    try:
        verified = await verify_voucher(session, member, code)
    except DomainError as error:
        return message.answer(refusal(t, error))
    return message.answer(t("verify-ok", reward=verified.reward, holder=verified.holder))


def is_merchant(_message: Message, member: Member) -> bool:
    return bool(member.merchant_ids())


async def admin_adjust(
    message: Message, command: CommandObject, session: AsyncSession, member: Member, t: Translator
) -> Any:
    """/adjust TELEGRAM_ID AMOUNT REASON"""
    parts = (command.args or "").split(maxsplit=2)
    if len(parts) < 3 or not parts[0].isdigit() or not parts[1].lstrip("+-").isdigit():
        return message.answer(t("adjust-usage"))
    community_id = next((r.community_id for r in member.roles if r.role.value == "admin"), None)
    if community_id is None:
        return message.answer(t("points-admin-only"))
    target = await user_by_telegram_id(session, int(parts[0]))
    try:
        posted = await adjust(session, member, community_id, target, int(parts[1]), parts[2],
                              key=f"adjust:{uuid.uuid4()}")  # fmt: skip
    except DomainError as error:
        return message.answer(refusal(t, error))
    return message.answer(t("adjust-done", balance=posted.balance))


def build_router() -> Router:
    router = Router(name="points")
    private = F.chat.type == "private"
    router.message.register(show_points, Command("points"), private)
    router.message.register(show_rewards, Command("rewards"), private)
    router.callback_query.register(order, OrderReward.filter())
    router.message.register(verify, Command("verify"), private)
    router.message.register(verify_photo, private, F.photo, is_merchant)
    router.message.register(admin_adjust, Command("adjust"), private)
    return router
