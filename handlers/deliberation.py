"""Deliberation (议事协商) in chat: /propose and `#议题` to collect, card buttons to second,
screen, plan, vote, object and follow through, /topics, and the /whisper mailbox."""

import re
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseStorage
from aiogram.methods import SendMessage
from aiogram.types import CallbackQuery, Message
from aiogram.utils.deep_linking import create_start_link
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.answers import reply_in_group
from bot.deliberation_cards import TRACKS, DelibAction, choice_label
from bot.i18n import Translator
from bot.notifier import Notifier
from handlers.common import private_state, refusal, url_keyboard
from models.copies import Subject
from models.deliberation import Scope, Whisper
from models.deliberation.workflow import (
    TEXT_MAX,
    TITLE_MAX,
    accept,
    add_option,
    add_task,
    answer_whisper,
    cast_vote,
    check_can_object,
    close_vote,
    decline,
    get_proposal,
    mark_implemented,
    merge,
    object_to,
    open_vote,
    proposal_label,
    second,
    send_whisper,
    submit_proposal,
    topics_for,
)
from models.errors import DomainError
from models.members import Member
from models.requests.workflow import request_label
from models.structure import micro_grid_for_chat

TOPIC_TAG = "#议题"
COMMAND_PREFIX = re.compile(r"^/(propose|whisper)(@\w+)?\s*", re.IGNORECASE)
# Buttons that need words: they are asked for in the presser's private chat.
NEEDS_WORDS = {"merge", "decline", "option", "object", "task", "whisper"}


class ProposeFlow(StatesGroup):
    title = State()
    text = State()
    photo = State()
    scope = State()
    confirm = State()


class DelibInput(StatesGroup):
    merge = State()
    decline = State()
    option = State()
    object = State()
    task = State()
    whisper = State()


class ProposeChoice(CallbackData, prefix="dlf"):
    step: str  # photo | scope | confirm | cancel
    value: str


def _flow_keyboard(t: Translator, step: str, *options: tuple[str, str]) -> Any:
    builder = InlineKeyboardBuilder()
    for value, label in options:
        builder.button(text=label, callback_data=ProposeChoice(step=step, value=value))
    builder.button(text=t("btn-cancel"), callback_data=ProposeChoice(step="cancel", value="-"))
    builder.adjust(1)
    return builder.as_markup()


# --- collect: one message in a group ------------------------------------------------------


async def group_topic(
    message: Message, bot: Bot, session: AsyncSession, member: Member, t: Translator
) -> Any:
    body = (message.text or message.caption or "").strip().removeprefix(TOPIC_TAG)
    body = COMMAND_PREFIX.sub("", body).strip()
    if member.residence is None:
        micro_grid = await micro_grid_for_chat(session, message.chat.id)
        link = await create_start_link(bot, f"join-{micro_grid.id}" if micro_grid else "register")
        return message.reply(
            t("group-register-first"), reply_markup=url_keyboard(t("open-private-chat"), link)
        )
    title, _, text = body.partition(" ")
    if not title.strip() or not text.strip():
        return message.reply(t("delib-group-usage"))
    photo = message.photo[-1].file_id if message.photo else None
    try:
        proposal = await submit_proposal(session, member, title, text, Scope.MICRO_GRID, photo)
    except DomainError as error:
        return message.reply(refusal(t, error))
    label = proposal_label(proposal)
    return reply_in_group(
        message,
        t("delib-group-receipt", label=label),
        privately=t("delib-group-receipt-private", label=label, chat=message.chat.title or "-"),
    )


# --- collect: the guided private flow -------------------------------------------------------


async def propose_start(message: Message, state: FSMContext, member: Member, t: Translator) -> Any:
    if member.residence is None:
        return message.answer(t("delib-register-first"))
    await state.clear()
    await state.set_state(ProposeFlow.title)
    return message.answer(
        t("delib-ask-title", max=TITLE_MAX), reply_markup=_flow_keyboard(t, "title")
    )


async def title_given(message: Message, state: FSMContext, t: Translator) -> Any:
    title = " ".join((message.text or "").split())
    if not title:
        return message.answer(t("delib-title-empty"))
    if len(title) > TITLE_MAX:
        return message.answer(t("delib-too-long", max=TITLE_MAX, length=len(title)))
    await state.update_data(title=title)
    await state.set_state(ProposeFlow.text)
    return message.answer(t("delib-ask-text", max=TEXT_MAX), reply_markup=_flow_keyboard(t, "text"))


async def text_given(message: Message, state: FSMContext, t: Translator) -> Any:
    text = (message.text or "").strip()
    if not text:
        return message.answer(t("delib-text-empty"))
    if len(text) > TEXT_MAX:
        return message.answer(t("delib-too-long", max=TEXT_MAX, length=len(text)))
    await state.update_data(text=text)
    await state.set_state(ProposeFlow.photo)
    return message.answer(
        t("delib-ask-photo"), reply_markup=_flow_keyboard(t, "photo", ("skip", t("btn-skip")))
    )


async def _ask_scope(message: Message, state: FSMContext, t: Translator) -> Any:
    await state.set_state(ProposeFlow.scope)
    scopes = [(scope.value, t(f"delib-scope-{scope.value}")) for scope in Scope]
    return message.answer(t("delib-ask-scope"), reply_markup=_flow_keyboard(t, "scope", *scopes))


async def photo_given(message: Message, state: FSMContext, t: Translator) -> Any:
    assert message.photo
    await state.update_data(photo=message.photo[-1].file_id)
    return await _ask_scope(message, state, t)


async def flow_choice(
    query: CallbackQuery, callback_data: ProposeChoice, session: AsyncSession,
    state: FSMContext, member: Member, t: Translator,
) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    current = (await state.get_state() or "").split(":")[-1]
    if callback_data.step == "cancel":
        await state.clear()
        await query.answer()
        return query.message.edit_text(t("cancelled"))
    if callback_data.step != current or not current:
        return query.answer(t("error-stale"), show_alert=True)
    if current == "photo":
        await query.answer()
        await query.message.edit_reply_markup(reply_markup=None)
        return await _ask_scope(query.message, state, t)
    if current == "scope":
        if callback_data.value not in {s.value for s in Scope}:
            return query.answer(t("error-stale"), show_alert=True)
        await state.update_data(scope=callback_data.value)
        await state.set_state(ProposeFlow.confirm)
        data = await state.get_data()
        await query.answer()
        return query.message.edit_text(
            t("delib-confirm", title=data["title"], text=data["text"],
              scope=t(f"delib-scope-{data['scope']}"),
              photo=t("yes" if data.get("photo") else "no")),
            reply_markup=_flow_keyboard(t, "confirm", ("send", t("btn-submit"))),
        )  # fmt: skip
    if current == "confirm":
        data = await state.get_data()
        try:
            proposal = await submit_proposal(session, member, data.get("title"), data.get("text"),
                                             Scope(data["scope"]), data.get("photo"))  # fmt: skip
        except DomainError as error:
            return query.answer(refusal(t, error), show_alert=True)  # the flow stays
        await state.clear()
        await query.answer()
        return query.message.edit_text(t("delib-sent", label=proposal_label(proposal)))
    return query.answer(t("error-stale"), show_alert=True)


async def flow_expects_other(message: Message, state: FSMContext, t: Translator) -> Any:
    """Input the step cannot take: say what it needs."""
    step = (await state.get_state() or "").split(":")[-1]
    return message.answer(t(f"delib-step-{step}"))


# --- card buttons ---------------------------------------------------------------------------


async def _redraw_pressed(
    query: CallbackQuery, session: AsyncSession, notifier: Notifier, t: Translator,
    subject: Subject,
) -> None:  # fmt: skip
    """Show the pressed card as things stand now; other copies follow through the outbox."""
    message = query.message
    if not isinstance(message, Message):
        return
    await session.flush()
    drawing = await notifier.copies.pressed(
        session, subject, message.chat.id, message.message_id, t, "staff"
    )
    if drawing is None:
        return
    text, keyboard = drawing
    shown = message.html_text if message.text is not None else (message.caption or "")
    if text != shown or keyboard != message.reply_markup:
        if message.caption is not None:
            await message.edit_caption(caption=text, reply_markup=keyboard)
        else:
            await message.edit_text(text, reply_markup=keyboard)


async def card_pressed(
    query: CallbackQuery, callback_data: DelibAction, session: AsyncSession, member: Member,
    notifier: Notifier, t: Translator,
) -> Any:  # fmt: skip
    action, proposal_id, arg = callback_data.action, callback_data.id, callback_data.arg
    try:
        if action == "second":
            proposal = await second(session, member, proposal_id)
            answer = t("delib-seconded", label=proposal_label(proposal), seconds=proposal.seconds)
        elif action == "vote":
            ballot = await cast_vote(session, member, proposal_id, arg)
            key = "delib-vote-changed" if ballot.replaced else "delib-vote-recorded"
            # Only the voter sees their choice; the tally on the cards follows via the outbox,
            # whose edits are merged and paced within Telegram's limits.
            label = proposal_label(ballot.proposal)
            choice = choice_label(t, ballot.choice)
            return query.answer(t(key, label=label, choice=choice), show_alert=True)
        elif action == "accept":
            if not 0 <= arg < len(TRACKS):
                return query.answer(t("delib-stale-button"), show_alert=True)
            proposal = await accept(session, member, proposal_id, TRACKS[arg].value)
            answer = t("delib-accepted", label=proposal_label(proposal))
        elif action == "open":
            proposal = await open_vote(session, member, proposal_id)
            answer = t("delib-vote-opened", label=proposal_label(proposal))
        elif action == "close":
            proposal = await close_vote(session, proposal_id, member)
            answer = t("delib-vote-closed-by-staff", label=proposal_label(proposal))
        elif action == "done":
            proposal = await mark_implemented(session, member, proposal_id)
            answer = t("delib-implemented", label=proposal_label(proposal))
        else:
            return query.answer(t("delib-stale-button"), show_alert=True)
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    await _redraw_pressed(query, session, notifier, t, Subject("proposal", proposal_id))
    return query.answer(answer)


async def prompt_in_private(
    query: CallbackQuery, callback_data: DelibAction, bot: Bot, session: AsyncSession,
    member: Member, fsm_storage: BaseStorage, t: Translator,
) -> Any:  # fmt: skip
    """Merge, decline, options, objections, tasks and answers need words, asked for in the
    presser's private chat; who may give them is checked here and again when they arrive."""
    action = callback_data.action
    try:
        if action == "whisper":
            whisper = await session.get(Whisper, callback_data.id)
            if whisper is None or not member.is_admin_of(whisper.community_id):
                return query.answer(t("delib-staff-only"), show_alert=True)
            label = f"#{whisper.id}"
        else:
            proposal = await get_proposal(session, callback_data.id)
            label = proposal_label(proposal)
            if action == "object":
                check_can_object(proposal)  # said at once, before any words are asked for
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    if not member.user.private_chat_open:
        return query.answer(t("delib-open-private-first"), show_alert=True)
    state = private_state(bot, fsm_storage, member.user.telegram_id)
    await state.set_state(getattr(DelibInput, action))
    await state.update_data(subject_id=callback_data.id)
    in_group = query.message is not None and query.message.chat.type != "private"
    await query.answer(t("delib-see-private") if in_group else None)
    return SendMessage(chat_id=member.user.telegram_id, text=t(f"delib-ask-{action}", label=label))


async def words_given(
    message: Message, state: FSMContext, session: AsyncSession, member: Member, t: Translator
) -> Any:
    action = (await state.get_state() or "").split(":")[-1]
    subject_id = int((await state.get_data()).get("subject_id", 0))
    text = message.text or message.caption
    try:
        if action == "merge":
            proposal, target = await merge(session, member, subject_id, text or "")
            reply = t("delib-merged", label=proposal_label(proposal), into=proposal_label(target))
        elif action == "decline":
            proposal = await decline(session, member, subject_id, text)
            reply = t("delib-declined", label=proposal_label(proposal))
        elif action == "option":
            photo = message.photo[-1].file_id if message.photo else None
            document = message.document.file_id if message.document else None
            option = await add_option(session, member, subject_id, text, photo, document)
            proposal = await get_proposal(session, subject_id)
            reply = t("delib-option-added", label=proposal_label(proposal),
                      mark=choice_label(t, option.position))  # fmt: skip
        elif action == "object":
            await object_to(session, member, subject_id, text)
            reply = t(
                "delib-objection-sent",
                label=proposal_label(await get_proposal(session, subject_id)),
            )
        elif action == "task":
            request = await add_task(session, member, subject_id, text)
            reply = t("delib-task-added", task=request_label(request))
        else:
            await answer_whisper(session, member, subject_id, text)
            reply = t("delib-whisper-answered-ok")
    except DomainError as error:
        if error.message_id in {"delib-too-long", "delib-reason-empty", "delib-option-empty",
                                "delib-objection-empty", "delib-task-empty",
                                "delib-answer-empty", "delib-bad-number", "delib-no-such-number",
                                "delib-merge-target"}:  # fmt: skip
            return message.answer(refusal(t, error))  # stay in the step: ask again
        await state.clear()
        return message.answer(refusal(t, error))
    await state.clear()
    return message.answer(reply)


# --- lists and the mailbox ------------------------------------------------------------------


async def show_topics(
    message: Message, session: AsyncSession, member: Member, t: Translator
) -> Any:
    topics = await topics_for(session, member)
    lines = [t("delib-topics-title")]
    if topics.to_screen:
        lines.append(t("delib-topics-screen"))
        lines += [t("delib-topics-line", label=proposal_label(p), title=p.title,
                    status=t(f"delib-status-{p.status.value}"), seconds=p.seconds)
                  for p in topics.to_screen]  # fmt: skip
    if topics.to_vote:
        lines.append(t("delib-topics-vote"))
        lines += [t("delib-topics-vote-line", label=proposal_label(p), title=p.title,
                    voted=t("delib-voted" if voted else "delib-not-voted"))
                  for p, voted in topics.to_vote]  # fmt: skip
    if topics.mine:
        lines.append(t("delib-topics-mine"))
        lines += [t("delib-topics-line", label=proposal_label(p), title=p.title,
                    status=t(f"delib-status-{p.status.value}"), seconds=p.seconds)
                  for p in topics.mine]  # fmt: skip
    if len(lines) == 1:
        lines.append(t("delib-topics-none"))
    return message.answer("\n".join(lines))


async def whisper(
    message: Message, session: AsyncSession, member: Member, t: Translator,
    command: CommandObject,
) -> Any:  # fmt: skip
    if not (command.args or "").strip():
        return message.answer(t("delib-whisper-usage"))
    try:
        await send_whisper(session, member, command.args)
    except DomainError as error:
        return message.answer(refusal(t, error))
    return message.answer(t("delib-whisper-sent"))


async def whisper_in_group(message: Message, t: Translator) -> Any:
    """A whisper typed in a group is no longer anonymous: it is not taken."""
    return message.reply(t("delib-whisper-private-only"))


def build_router() -> Router:
    router = Router(name="deliberation")
    group = F.chat.type.in_({"group", "supergroup"})
    private = F.chat.type == "private"
    router.message.register(group_topic, group, Command("propose"))
    router.message.register(group_topic, group, F.text.startswith(TOPIC_TAG))
    router.message.register(group_topic, group, F.photo, F.caption.startswith(TOPIC_TAG))
    router.message.register(propose_start, private, Command("propose"))
    router.message.register(show_topics, private, Command("topics"))
    router.message.register(whisper, private, Command("whisper"))
    router.message.register(whisper_in_group, group, Command("whisper"))
    router.callback_query.register(flow_choice, ProposeChoice.filter())
    router.callback_query.register(prompt_in_private, DelibAction.filter(F.action.in_(NEEDS_WORDS)))
    router.callback_query.register(card_pressed, DelibAction.filter())
    not_command = ~F.text.startswith("/")
    router.message.register(title_given, ProposeFlow.title, private, F.text, not_command)
    router.message.register(text_given, ProposeFlow.text, private, F.text, not_command)
    router.message.register(photo_given, ProposeFlow.photo, private, F.photo)
    for step in (DelibInput.merge, DelibInput.decline, DelibInput.option, DelibInput.object,
                 DelibInput.task, DelibInput.whisper):  # fmt: skip
        router.message.register(words_given, step, private, not_command)
    for step in (ProposeFlow.title, ProposeFlow.text, ProposeFlow.photo, ProposeFlow.scope,
                 ProposeFlow.confirm):  # fmt: skip
        router.message.register(flow_expects_other, step, private, not_command)
    return router
