"""The fund in chat: /fund for anyone registered, /donation and /disburse for staff (in one
line, or guided step by step when sent alone: handlers/fund_flow.py), and the board's
approvals, staff's withdrawals and donors' consent by buttons."""

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.notifier import Notifier
from handlers import fund_flow
from handlers.cards import edit_card
from handlers.common import refusal
from handlers.fund_cards import FundApprove, FundConsent, FundWithdraw, gift_args, month_text
from models.base import utcnow
from models.copies import Subject
from models.errors import DomainError, InvalidInput
from models.members import Member
from models.notices import Notice, emit
from models.points.rewards import member_community
from models.resources.donations import (
    DONATION_TYPE_NAMES,
    DONATION_TYPES,
    donation_by_number,
    find_donor,
    public_donor,
    record_donation,
    set_publish_name,
)
from models.resources.fund import (
    USE_NAMES,
    USES,
    approve,
    ask_disbursement,
    board_card,
    board_community,
    is_treasurer,
    parse_amount,
    waiting_for,
    withdraw,
)
from models.resources.statement import fund_month
from models.structure import Community

PROJECT = re.compile(r"#([0-9]{1,6})")
GOODS_MARKS = ("物资:", "物资：", "goods:")
MAX_ARGS = 800


def _project_and_rest(words: list[str]) -> tuple[int | None, list[str]]:
    numbers = [int(m.group(1)) for w in words if (m := PROJECT.fullmatch(w))]
    if len(numbers) > 1:
        raise InvalidInput("fund-one-project")
    return (numbers[0] if numbers else None), [w for w in words if not PROJECT.fullmatch(w)]


def _split_goods(text: str) -> tuple[str, str | None]:
    for mark in GOODS_MARKS:
        if mark in text:
            head, _, items = text.partition(mark)
            return head, items
    return text, None


async def fund_command(
    message: Message, command: CommandObject, session: AsyncSession, member: Member,
    t: Translator,
) -> Any:  # fmt: skip
    community_id = member_community(member)
    board = await board_community(session, member)
    if community_id is None and board is None:
        return message.answer(t("fund-register-first"))
    community = await session.get(Community, community_id) if community_id else board
    assert community is not None
    community_id = community.id
    args = (command.args or "").strip()
    if args:
        if not re.fullmatch(r"[0-9]{1,6}", args):
            return message.answer(t("fund-usage"))
        try:
            donation = await donation_by_number(session, community_id, int(args))
        except DomainError as error:
            return message.answer(refusal(t, error))
        shown = public_donor(donation, t("fund-anonymous"))
        lines = [t("fund-public-receipt", number=donation.number, donor=shown,
                   type=t(f"fund-type-{donation.type.value}"),
                   date=donation.at.strftime("%Y-%m-%d"), **gift_args(donation))]  # fmt: skip
        if not donation.publish_name:
            lines.append(t("fund-donor-private"))
        return message.answer("\n".join(lines))
    now = utcnow()
    local = now.astimezone(ZoneInfo(community.timezone))
    start = datetime.combine(local.date().replace(day=1), datetime.min.time(), local.tzinfo)
    month = await fund_month(session, community_id, start, now)
    text = month_text(t, month, local.strftime("%Y-%m"), community.name)
    await message.answer(text + "\n\n" + t("fund-footer"))
    if board is not None and board.id == community.id:
        for waiting in await waiting_for(session, member, community):
            emit(session, board_card(community, waiting, member.user.telegram_id))
    return None


async def donation_command(
    message: Message, command: CommandObject, state: FSMContext, session: AsyncSession,
    member: Member, t: Translator,
) -> Any:  # fmt: skip
    community_id = member_community(member)
    args = (command.args or "").strip()
    if community_id is None or not is_treasurer(member, community_id):
        return message.answer(t("fund-staff-only"))
    if not args:
        return await fund_flow.begin(message, session, state, member, t, fund_flow.DonationFlow)
    if len(args) > MAX_ARGS:
        return message.answer(t("fund-donation-usage"))
    head, goods = _split_goods(args)
    try:
        project, words = _project_and_rest(head.split())
        if len(words) < 3:
            return message.answer(t("fund-donation-usage"))
        if words[1] not in DONATION_TYPES:
            return message.answer(t("fund-type-unknown", types="、".join(DONATION_TYPE_NAMES)))
        amount = parse_amount(words[0])
        donor = await find_donor(session, community_id, " ".join(words[2:]))
        donation = await record_donation(
            session, member, community_id, amount=amount, type=DONATION_TYPES[words[1]],
            donor=donor, goods=goods, project_number=project,
        )  # fmt: skip
    except DomainError as error:
        return message.answer(refusal(t, error))
    emit(session, Notice("copy", user_id=member.user.id, args={
        "kind": "fund-receipt", "id": donation.id, "variant": "staff"}))  # fmt: skip
    return None


async def disburse_command(
    message: Message, command: CommandObject, state: FSMContext, session: AsyncSession,
    member: Member, t: Translator,
) -> Any:  # fmt: skip
    community_id = member_community(member)
    args = (command.args or "").strip()
    if community_id is None or not is_treasurer(member, community_id):
        return message.answer(t("fund-staff-only"))
    if not args and not message.photo:
        return await fund_flow.begin(message, session, state, member, t, fund_flow.DisburseFlow)
    if len(args) > MAX_ARGS:
        return message.answer(t("fund-disburse-usage"))
    try:
        project, words = _project_and_rest(args.split())
        if len(words) < 3:
            return message.answer(t("fund-disburse-usage"))
        if words[1] not in USES:
            return message.answer(t("fund-use-unknown", uses="、".join(USE_NAMES)))
        disbursement = await ask_disbursement(
            session, member, community_id, amount=parse_amount(words[0]), use=USES[words[1]],
            payee=" ".join(words[2:]), project_number=project,
            photo_file_id=message.photo[-1].file_id if message.photo else None,
        )  # fmt: skip
    except DomainError as error:
        return message.answer(refusal(t, error))
    emit(session, Notice("copy", user_id=member.user.id, args={
        "kind": "fund-disbursement", "id": disbursement.id, "variant": "staff"}))  # fmt: skip
    return None


async def _redraw(
    query: CallbackQuery, session: AsyncSession, notifier: Notifier, t: Translator,
    subject: Subject, variant: str,
) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    drawing = await notifier.copies.pressed(
        session, subject, query.message.chat.id, query.message.message_id, t, variant
    )
    return edit_card(query.message, drawing) if drawing else None


async def approve_pressed(
    query: CallbackQuery, callback_data: FundApprove, session: AsyncSession, member: Member,
    notifier: Notifier, t: Translator,
) -> Any:  # fmt: skip
    try:
        disbursement = await approve(session, member, callback_data.id)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    paid = disbursement.status.value == "paid"
    await query.answer(t("fund-paid-done" if paid else "fund-approved-done"))
    return await _redraw(query, session, notifier, t,
                         Subject("fund-disbursement", disbursement.id), "board")  # fmt: skip


async def withdraw_pressed(
    query: CallbackQuery, callback_data: FundWithdraw, session: AsyncSession, member: Member,
    notifier: Notifier, t: Translator,
) -> Any:  # fmt: skip
    try:
        disbursement = await withdraw(session, member, callback_data.id)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer(t("fund-withdrawn-done"))
    return await _redraw(query, session, notifier, t,
                         Subject("fund-disbursement", disbursement.id), "staff")  # fmt: skip


async def consent_pressed(
    query: CallbackQuery, callback_data: FundConsent, session: AsyncSession, member: Member,
    notifier: Notifier, t: Translator,
) -> Any:  # fmt: skip
    try:
        donation = await set_publish_name(session, member, callback_data.id, callback_data.publish)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer(t("fund-name-published" if donation.publish_name else "fund-name-hidden"))
    return await _redraw(query, session, notifier, t,
                         Subject("fund-receipt", donation.id), "donor")  # fmt: skip


def build_router() -> Router:
    router = Router(name="fund")
    private = F.chat.type == "private"
    router.message.register(fund_command, Command("fund"), private)
    router.message.register(donation_command, Command("donation"), private)
    router.message.register(disburse_command, Command("disburse"), private)
    router.callback_query.register(approve_pressed, FundApprove.filter())
    router.callback_query.register(withdraw_pressed, FundWithdraw.filter())
    router.callback_query.register(consent_pressed, FundConsent.filter())
    fund_flow.register(router)
    return router
