"""Work on requests: card buttons (claim, escalate, duplicate), the claimer's private card
(start, resolve, hand back, escalate, reject), /tasks, and staff commands."""

from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseStorage
from aiogram.methods import SendMessage
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.notifier import Notifier
from handlers.callbacks import FlowChoice, ListPage, MergeInto, RequestAction
from handlers.cards import status_line
from handlers.common import pager_keyboard, private_state, refusal
from models.copies import Subject
from models.errors import DomainError
from models.members import Member
from models.requests.queries import open_tasks
from models.requests.views import load_view
from models.requests.workflow import (
    claim,
    escalate,
    find_by_label,
    get_request,
    hand_back,
    merge,
    merge_candidates,
    reassign,
    reject,
    request_label,
    resolve,
    start_work,
)
from models.structure import find_micro_grid

PROMPTED = {
    "escalate": "task-ask-escalate",
    "resolve": "task-ask-resolve",
    "reject": "task-ask-reject",
}


class TaskInput(StatesGroup):
    escalate = State()
    resolve = State()
    reject = State()


async def _refresh_pressed(
    query: CallbackQuery, session: AsyncSession, notifier: Notifier, t: Translator,
    claimer: bool,
) -> None:  # fmt: skip
    """Show the pressed card as things stand now (it may be an old copy); the other copies
    are brought up to date through the outbox."""
    assert isinstance(query.message, Message)
    data = RequestAction.unpack(query.data or "")
    drawing = await notifier.copies.pressed(
        session, Subject("request", data.id), query.message.chat.id, query.message.message_id,
        t, "claimer" if claimer else "team",
    )  # fmt: skip
    if drawing is None:
        return
    text, keyboard = drawing
    if text != (query.message.html_text or "") or keyboard != query.message.reply_markup:
        await query.message.edit_text(text, reply_markup=keyboard)


async def card_claim(
    query: CallbackQuery,
    callback_data: RequestAction,
    session: AsyncSession,
    member: Member,
    notifier: Notifier,
    t: Translator,
) -> Any:
    try:
        request = await claim(session, member, callback_data.id)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await session.flush()
    await _refresh_pressed(query, session, notifier, t, claimer=False)
    return query.answer(t("task-claimed", label=request_label(request)))


async def claimer_action(
    query: CallbackQuery,
    callback_data: RequestAction,
    session: AsyncSession,
    member: Member,
    notifier: Notifier,
    t: Translator,
) -> Any:
    action = {"start": start_work, "hand_back": hand_back}[callback_data.action]
    try:
        request = await action(session, member, callback_data.id)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await session.flush()
    await _refresh_pressed(query, session, notifier, t, claimer=callback_data.action == "start")
    return query.answer(
        t(f"task-done-{callback_data.action.replace('_', '-')}", label=request_label(request))
    )


async def prompt_in_private(
    query: CallbackQuery,
    callback_data: RequestAction,
    bot: Bot,
    session: AsyncSession,
    member: Member,
    fsm_storage: BaseStorage,
    t: Translator,
) -> Any:
    """Escalate, resolve and reject need words; they are asked for in the private chat."""
    if not member.user.private_chat_open:
        return query.answer(t("task-open-private-first"), show_alert=True)
    try:
        request = await get_request(session, callback_data.id)
    except DomainError as error:  # forged or stale button data
        return query.answer(refusal(t, error), show_alert=True)
    state = private_state(bot, fsm_storage, member.user.telegram_id)
    await state.set_state(getattr(TaskInput, callback_data.action))
    await state.update_data(request_id=callback_data.id)
    await query.answer(
        t("task-see-private") if query.message and query.message.chat.type != "private" else None
    )
    text, keyboard = _input_prompt(t, callback_data.action, request_label(request))
    # Sent after the step is saved: if the prompt is lost, /start asks again.
    return SendMessage(chat_id=member.user.telegram_id, text=text, reply_markup=keyboard)


def _input_prompt(t: Translator, action: str, label: str) -> tuple[str, Any]:
    if action == "reject":
        return t(PROMPTED[action], label=label), None  # a rejection always needs a reason
    skip = InlineKeyboardBuilder()
    skip.button(text=t("btn-skip"), callback_data=FlowChoice(step=f"task-{action}", value="-"))
    return t(PROMPTED[action], label=label), skip.as_markup()


async def show_prompt(
    message: Message, session: AsyncSession, state: FSMContext, t: Translator, hint: str
) -> Any:
    """Ask for the words again, as a new message: the prompt may not have arrived."""
    action = (await state.get_state() or "").split(":")[-1]
    request = await get_request(session, int((await state.get_data()).get("request_id", 0)))
    text, keyboard = _input_prompt(t, action, request_label(request))
    return message.answer(f"{hint}\n\n{text}", reply_markup=keyboard)


async def _finish_input(
    action: str,
    target: Message,
    state: FSMContext,
    session: AsyncSession,
    member: Member,
    t: Translator,
    text: str | None,
    photo: str | None = None,
) -> Any:
    data = await state.get_data()
    request_id = int(data.get("request_id", 0))
    try:
        if action == "escalate":
            request = await escalate(session, member, request_id, text)
        elif action == "resolve":
            request = await resolve(session, member, request_id, text, photo)
        else:
            request = await reject(session, member, request_id, text or "")
    except DomainError as error:
        if error.message_id in (
            "request-reason-empty",
            "request-text-too-long",
            "request-note-empty",
        ):
            return target.answer(refusal(t, error))  # stay in the step: ask again
        await state.clear()
        return target.answer(refusal(t, error))
    await state.clear()
    return target.answer(t(f"task-done-{action}", label=request_label(request)))


async def input_text(
    message: Message, state: FSMContext, session: AsyncSession, member: Member, t: Translator
) -> Any:
    action = (await state.get_state() or "").split(":")[-1]
    photo = message.photo[-1].file_id if message.photo else None
    return await _finish_input(
        action, message, state, session, member, t, message.text or message.caption, photo
    )


async def input_skipped(
    query: CallbackQuery,
    callback_data: FlowChoice,
    state: FSMContext,
    session: AsyncSession,
    member: Member,
    t: Translator,
) -> Any:
    action = (await state.get_state() or "").split(":")[-1]
    if callback_data.step != f"task-{action}":
        return query.answer(t("error-stale"), show_alert=True)
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.edit_reply_markup(reply_markup=None)
    return await _finish_input(action, query.message, state, session, member, t, None)


async def card_duplicate(
    query: CallbackQuery,
    callback_data: RequestAction,
    bot: Bot,
    session: AsyncSession,
    member: Member,
    t: Translator,
) -> Any:
    if not member.user.private_chat_open:
        return query.answer(t("task-open-private-first"), show_alert=True)
    try:
        candidates = await merge_candidates(session, member, callback_data.id)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    if not candidates:
        return query.answer(t("task-no-merge-candidates"), show_alert=True)
    builder = InlineKeyboardBuilder()
    for candidate in candidates:
        builder.button(
            text=f"{request_label(candidate)} {candidate.text[:20]}",
            callback_data=MergeInto(id=callback_data.id, into=candidate.id),
        )
    builder.adjust(1)
    view = await load_view(session, callback_data.id)
    await query.answer(
        t("task-see-private") if query.message and query.message.chat.type != "private" else None
    )
    await bot.send_message(
        member.user.telegram_id,
        t("task-ask-merge", label=request_label(view.request)),
        reply_markup=builder.as_markup(),
    )
    return None


async def merge_chosen(
    query: CallbackQuery,
    callback_data: MergeInto,
    session: AsyncSession,
    member: Member,
    t: Translator,
) -> Any:
    try:
        target = await merge(session, member, callback_data.id, into_id=callback_data.into)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await query.answer()
    assert isinstance(query.message, Message)
    return query.message.edit_text(t("task-done-merge", label=request_label(target)))


async def list_tasks(message: Message, session: AsyncSession, member: Member, t: Translator) -> Any:
    return await _show_tasks(message, session, member, t, 0, edit=False)


async def tasks_page(
    query: CallbackQuery,
    callback_data: ListPage,
    session: AsyncSession,
    member: Member,
    t: Translator,
) -> Any:
    await query.answer()
    assert isinstance(query.message, Message)
    return await _show_tasks(query.message, session, member, t, callback_data.page, edit=True)


async def _show_tasks(
    target: Message, session: AsyncSession, member: Member, t: Translator, page: int, edit: bool
) -> Any:
    if not member.has_any_role():
        return target.answer(t("tasks-staff-only"))
    result = await open_tasks(session, member, page)
    if not result.items:
        text = t("tasks-empty")
    else:
        lines = [t("tasks-title", page=result.page + 1, pages=result.pages)]
        for request in result.items:
            view = await load_view(session, request.id)
            lines.append(
                f"• <b>{request_label(request)}</b> {view.request.text[:40]!s}\n  "
                f"{status_line(t, view)}"
            )
        text = "\n".join(lines)
    keyboard = pager_keyboard("tasks", result.page, result.pages, t)
    return (
        target.edit_text(text, reply_markup=keyboard)
        if edit
        else target.answer(text, reply_markup=keyboard)
    )


async def staff_command(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    member: Member,
    t: Translator,
) -> Any:
    """/reject R-1 reason · /escalate R-1 reason · /merge R-2 R-1 · /reassign R-1 micro-grid"""
    name = command.command.lower()
    label, _, rest = (command.args or "").strip().partition(" ")
    if not label:
        return message.reply(t(f"usage-{name}"))
    communities = sorted({r.community_id for r in member.roles})
    if not communities:
        return message.reply(t("request-staff-only"))
    try:
        request = None
        for community_id in communities:
            try:
                request = await find_by_label(session, community_id, label)
                break
            except DomainError:
                if community_id == communities[-1]:
                    raise
        assert request is not None
        if name == "reject":
            result = await reject(session, member, request.id, rest)
        elif name == "escalate":
            result = await escalate(session, member, request.id, rest or None)
        elif name == "merge":
            result = await merge(session, member, request.id, into_label=rest)
        else:
            targets = [
                m
                for m in await find_micro_grid(session, rest)
                if m.community_id == request.community_id
            ]
            if not targets:
                return message.reply(t("bind-not-found", name=rest))
            result = await reassign(session, member, request.id, targets[0].id)
    except DomainError as error:
        return message.reply(refusal(t, error))
    return message.reply(t(f"task-done-{name}", label=request_label(result)))


def build_router() -> Router:
    router = Router(name="tasks")
    private = F.chat.type == "private"
    router.callback_query.register(card_claim, RequestAction.filter(F.action == "claim"))
    router.callback_query.register(
        claimer_action, RequestAction.filter(F.action.in_({"start", "hand_back"}))
    )
    router.callback_query.register(
        prompt_in_private, RequestAction.filter(F.action.in_({"escalate", "resolve", "reject"}))
    )
    router.callback_query.register(card_duplicate, RequestAction.filter(F.action == "duplicate"))
    router.callback_query.register(merge_chosen, MergeInto.filter())
    router.callback_query.register(input_skipped, FlowChoice.filter(F.step.startswith("task-")))
    for step in (TaskInput.escalate, TaskInput.resolve, TaskInput.reject):
        router.message.register(input_text, step, private, ~F.text.startswith("/"))
    router.message.register(list_tasks, Command("tasks"))
    router.callback_query.register(tasks_page, ListPage.filter(F.list == "tasks"))
    router.message.register(staff_command, Command("reject", "escalate", "merge", "reassign"))
    return router
