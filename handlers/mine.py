"""A resident's own requests: /my, following one through a deep link, rating a resolved
report, confirming a fulfilled wish; and /volunteer."""

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.notifier import Notifier
from handlers.callbacks import FlowChoice, ListPage, Rating, WishConfirm
from handlers.cards import (
    CARD_PREFIX,
    FOLLOW_PREFIX,
    claimer_card,
    headline,
    rating_keyboard,
    status_line,
    team_card,
    wish_confirm_keyboard,
)
from handlers.common import pager_keyboard, payload_id, refusal
from models.errors import DomainError
from models.members import Member, become_volunteer
from models.requests import RequestKind, RequestStatus
from models.requests.closing import check_ratable, confirm_wish, rate
from models.requests.queries import my_requests
from models.requests.views import load_view
from models.requests.workflow import may_see_team_card, request_label


class RatingInput(StatesGroup):
    comment = State()


async def follow_link(
    message: Message, command: CommandObject, session: AsyncSession, member: Member, t: Translator
) -> Any:
    """`/start req-<id>` from a receipt or a team-chat pointer: show this person's view; a
    request that is not theirs to see is refused like one that does not exist."""
    request_id = payload_id(command.args, FOLLOW_PREFIX)
    try:
        view = await load_view(session, request_id) if request_id else None
    except DomainError:
        view = None
    if view is None:
        return message.answer(t("link-not-for-you"))
    request = view.request
    if request.claimed_by_id == member.user.id:
        text, keyboard = claimer_card(t, view)
        return message.answer(text, reply_markup=keyboard)
    if request.resident_id != member.user.id:
        if await may_see_team_card(session, member, request):
            text, keyboard = team_card(t, view)
            return message.answer(text, reply_markup=keyboard)
        return message.answer(t("link-not-for-you"))
    text = f"{headline(t, view)}\n{status_line(t, view)}"
    keyboard = None
    if request.status == RequestStatus.RESOLVED:
        keyboard = (
            wish_confirm_keyboard(request.id, t)
            if request.kind == RequestKind.WISH
            else rating_keyboard(request.id, None, t)
        )
    return message.answer(text, reply_markup=keyboard)


async def stars_given(
    query: CallbackQuery,
    callback_data: Rating,
    session: AsyncSession,
    member: Member,
    t: Translator,
) -> Any:
    if not 1 <= callback_data.stars <= 5:
        return query.answer(t("error-stale"), show_alert=True)
    try:
        await check_ratable(session, member, callback_data.id)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer()
    assert isinstance(query.message, Message)
    return query.message.edit_text(
        t("rate-ask-satisfied", stars="⭐" * callback_data.stars),
        reply_markup=rating_keyboard(callback_data.id, callback_data.stars, t),
    )


async def satisfaction_given(
    query: CallbackQuery,
    callback_data: Rating,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
    t: Translator,
) -> Any:
    try:
        await check_ratable(session, member, callback_data.id)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await state.set_state(RatingInput.comment)
    await state.update_data(
        request_id=callback_data.id,
        stars=callback_data.stars,
        satisfied=bool(callback_data.satisfied),
    )
    await query.answer()
    assert isinstance(query.message, Message)
    builder = InlineKeyboardBuilder()
    builder.button(text=t("btn-skip"), callback_data=FlowChoice(step="rate-comment", value="-"))
    key = "rate-ask-comment-bad" if not callback_data.satisfied else "rate-ask-comment"
    return query.message.edit_text(t(key), reply_markup=builder.as_markup())


async def _submit_rating(
    target: Message,
    state: FSMContext,
    session: AsyncSession,
    member: Member,
    t: Translator,
    comment: str | None,
) -> Any:
    data = await state.get_data()
    try:
        request = await rate(
            session,
            member,
            int(data.get("request_id", 0)),
            int(data.get("stars", 0)),
            bool(data.get("satisfied")),
            comment,
        )
    except DomainError as error:
        if error.message_id in ("request-text-too-long", "request-note-empty"):
            return target.answer(refusal(t, error))
        await state.clear()
        return target.answer(refusal(t, error))
    await state.clear()
    key = "rate-thanks" if request.status == RequestStatus.CLOSED else "rate-reopened"
    return target.answer(t(key, label=request_label(request)))


async def comment_typed(
    message: Message, state: FSMContext, session: AsyncSession, member: Member, t: Translator
) -> Any:
    return await _submit_rating(message, state, session, member, t, message.text)


async def comment_skipped(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, member: Member, t: Translator
) -> Any:
    if await state.get_state() != RatingInput.comment.state:
        return query.answer(t("error-stale"), show_alert=True)
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(reply_markup=None)
    return await _submit_rating(query.message, state, session, member, t, None)


async def wish_confirmed(
    query: CallbackQuery,
    callback_data: WishConfirm,
    session: AsyncSession,
    member: Member,
    t: Translator,
) -> Any:
    try:
        request = await confirm_wish(session, member, callback_data.id, callback_data.fulfilled)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer()
    assert isinstance(query.message, Message)
    key = "wish-closed" if callback_data.fulfilled else "wish-not-yet"
    return query.message.edit_text(t(key, label=request_label(request)))


async def list_mine(message: Message, session: AsyncSession, member: Member, t: Translator) -> Any:
    return await _show_mine(message, session, member, t, 0, edit=False)


async def mine_page(
    query: CallbackQuery,
    callback_data: ListPage,
    session: AsyncSession,
    member: Member,
    t: Translator,
) -> Any:
    await query.answer()
    assert isinstance(query.message, Message)
    return await _show_mine(query.message, session, member, t, callback_data.page, edit=True)


async def _show_mine(
    target: Message, session: AsyncSession, member: Member, t: Translator, page: int, edit: bool
) -> Any:
    result = await my_requests(session, member, page)
    if not result.items:
        return target.answer(t("my-empty"))
    lines = [t("my-title", page=result.page + 1, pages=result.pages)]
    for request in result.items:
        view = await load_view(session, request.id)
        lines.append(f"• {headline(t, view)}\n  {status_line(t, view)}")
    keyboard = pager_keyboard("my", result.page, result.pages, t)
    text = "\n".join(lines)
    return (
        target.edit_text(text, reply_markup=keyboard)
        if edit
        else target.answer(text, reply_markup=keyboard)
    )


async def volunteer(message: Message, session: AsyncSession, member: Member, t: Translator) -> Any:
    try:
        _role, created = await become_volunteer(session, member)
    except DomainError as error:
        return message.answer(refusal(t, error))
    return message.answer(t("volunteer-welcome" if created else "volunteer-already"))


async def card_link(
    message: Message, command: CommandObject, session: AsyncSession, member: Member,
    notifier: Notifier, t: Translator,
) -> Any:  # fmt: skip
    """`/start card-<id>` from a staff-chat pointer: the card that could not reach this person
    before they pressed Start is sent to them now; anyone else's card is refused."""
    copy_id = payload_id(command.args, CARD_PREFIX)
    sent = copy_id is not None and await notifier.copies.send_again(
        session, copy_id, member.user.telegram_id,
        member.user.language_or(notifier.catalog.default_language), member.user.id,
    )  # fmt: skip
    return None if sent else message.answer(t("link-not-for-you"))


def build_router() -> Router:
    router = Router(name="mine")
    private = F.chat.type == "private"
    router.message.register(
        follow_link, CommandStart(deep_link=True, magic=F.args.startswith(FOLLOW_PREFIX)), private
    )
    router.message.register(
        card_link, CommandStart(deep_link=True, magic=F.args.startswith(CARD_PREFIX)), private
    )
    router.callback_query.register(stars_given, Rating.filter(F.satisfied == -1))
    router.callback_query.register(satisfaction_given, Rating.filter(F.satisfied.in_({0, 1})))
    router.callback_query.register(comment_skipped, FlowChoice.filter(F.step == "rate-comment"))
    router.message.register(
        comment_typed, RatingInput.comment, private, F.text, ~F.text.startswith("/")
    )
    router.callback_query.register(wish_confirmed, WishConfirm.filter())
    router.message.register(list_mine, Command("my"), private)
    router.callback_query.register(mine_page, ListPage.filter(F.list == "my"))
    router.message.register(volunteer, Command("volunteer"), private)
    return router
