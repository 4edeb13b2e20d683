"""Direct answers: what the bot says back to a person's own message or button press.

They share Telegram's limits with the outbox (`bot.limits`) and go ahead of its notices. Sends
a handler makes are held until the update's changes are committed — a person is never told of
a change that was then rolled back, and no transaction stays open while an answer waits — and
then sent in order. A 429 is obeyed (`retry_after`) and the answer tried again while it is
within ANSWER_PATIENCE; past that, or after network errors, it is written to the outbox so it
still arrives, in order, and the update counts as handled.

A receipt in a busy group that cannot take it soon goes to the person privately instead.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.default import Default
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    TelegramObject,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.limits import SendLimits, limits_taken
from bot.outbox import METHODS as OUTBOX_METHODS
from bot.outbox import upload
from models.base import utcnow
from models.outbox import OutboxMessage

log = logging.getLogger(__name__)

ANSWER_PATIENCE = 5.0  # seconds an answer may wait for Telegram before the outbox takes it
GROUP_PATIENCE = 2.0  # seconds a group receipt waits for the group before going private
RETRY_BACKOFF = 0.25
# Sends Telegram counts against its message limits; the others are not limited.
LIMITED = (SendMessage, SendPhoto, SendDocument, EditMessageText, EditMessageCaption,
           EditMessageReplyMarkup)  # fmt: skip
HELD = (*LIMITED, AnswerCallbackQuery, DeleteMessage)
# What the outbox can carry; a callback answer cannot wait (its spinner ends without it).
QUEUEABLE = {method: name for name, method in OUTBOX_METHODS.items()}


@dataclass
class Held:
    method: TelegramMethod[Any]
    # For a reply in a group: what to send the person privately if the group cannot take it.
    privately: TelegramMethod[Any] | None = None


# The answers held for the update being handled (None outside an update, or once sent).
_held: ContextVar[list[Held] | None] = ContextVar("held_answers", default=None)


def reply_in_group(
    message: Message,
    text: str,
    *,
    privately: str,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Answer a message in a group; if the group is too busy to take the reply within
    GROUP_PATIENCE, tell the person privately instead (`privately`, with the same buttons), so
    a flood of receipts never floods the group and nobody waits long for their own answer."""
    held = _held.get()
    assert held is not None, "reply_in_group is for handlers"
    assert message.from_user is not None
    to = ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True)
    reply = SendMessage(chat_id=message.chat.id, text=text, reply_parameters=to,
                        reply_markup=reply_markup)  # fmt: skip
    instead = SendMessage(chat_id=message.from_user.id, text=privately, reply_markup=reply_markup)
    held.append(Held(reply, instead))


class DirectAnswers(BaseRequestMiddleware):
    """A Bot session middleware: every limited send that is not the outbox's takes its slot
    under the shared limits first, and is held while an update is being handled."""

    def __init__(
        self,
        limits: SendLimits,
        sessionmaker: async_sessionmaker[AsyncSession],
        on_queued: Callable[[], None] = lambda: None,
    ) -> None:
        self.limits = limits
        self.sessionmaker = sessionmaker
        self.on_queued = on_queued

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[Any],
        bot: Bot,
        method: TelegramMethod[Any],
    ) -> Any:
        if limits_taken.get() or not isinstance(method, HELD):
            return await make_request(bot, method)
        held = _held.get()
        if held is not None:
            held.append(Held(method))
            return None  # sent once the update is committed; no handler reads the result
        deadline = time.monotonic() + ANSWER_PATIENCE
        result = await self._attempt(make_request, bot, method, deadline)
        return None if result is _QUEUE else result

    async def send_held(self, bot: Bot, held: list[Held]) -> None:
        """Send an update's answers in order, after its commit. An answer that went to the
        outbox takes the later answers to the same chat with it, so their order holds."""
        queued: set[int] = set()
        for item in held:
            try:
                await self._send_one(bot, item, queued)
            except TelegramAPIError as error:  # blocked, chat gone, message too old to edit
                log.info("answer %s not delivered: %s", type(item.method).__name__, error)
            except Exception:  # the update is committed: it stays handled, the rest still go
                log.exception("answer %s failed", type(item.method).__name__)

    async def _send_one(self, bot: Bot, item: Held, queued: set[int]) -> None:
        chat_id = _chat_of(item.method)
        if chat_id is not None and chat_id in queued:
            await self._queue(item.method, chat_id, why="after an earlier answer")
            return
        deadline = time.monotonic() + ANSWER_PATIENCE
        if item.privately is not None and chat_id is not None:
            if not await self.limits.take_chat(chat_id, time.monotonic() + GROUP_PATIENCE):
                try:
                    await bot(item.privately)  # the person's own chat: no group budget spent
                    return
                except TelegramForbiddenError:  # never opened the private chat, or blocked it
                    await self._queue(item.method, chat_id, why="busy group")
                    queued.add(chat_id)
                    return
            result = await self._attempt(_unheld, bot, item.method, deadline, chat_taken=True)
        else:
            result = await self._attempt(_unheld, bot, item.method, deadline)
        if result is _QUEUE and chat_id is not None:
            queued.add(chat_id)

    async def _attempt(
        self,
        send: NextRequestMiddlewareType[Any],
        bot: Bot,
        method: TelegramMethod[Any],
        deadline: float,
        *,
        chat_taken: bool = False,
    ) -> Any:
        """Send within the limits until `deadline`; then queue it (returns _QUEUE)."""
        chat_id = _chat_of(method)
        limited = isinstance(method, LIMITED) and chat_id is not None
        if limited:
            await self.limits.note_direct_demand()
        attempt = 0
        while True:
            if limited and not chat_taken and not await self.limits.take_chat(chat_id, deadline):
                return await self._queue(method, chat_id, why="chat busy")
            chat_taken = False
            if limited and not await self.limits.take_global(direct=True, deadline=deadline):
                return await self._queue(method, chat_id, why="overall limit")
            try:
                return await send(bot, method)
            except TelegramRetryAfter as error:
                metrics.RATE_LIMITED.inc()
                if time.monotonic() + error.retry_after > deadline:
                    return await self._queue(method, chat_id, why="429",
                                             after=error.retry_after)  # fmt: skip
                await asyncio.sleep(error.retry_after)
            except (TelegramNetworkError, TelegramServerError) as error:
                pause = RETRY_BACKOFF * 2**attempt
                if time.monotonic() + pause > deadline:
                    return await self._queue(method, chat_id, why=error.message)
                await asyncio.sleep(pause)
            except TelegramBadRequest as error:
                if "not modified" in error.message:  # the message shows this already
                    return None
                raise
            finally:
                if limited:
                    await self.limits.release_global()
            attempt += 1

    async def _queue(
        self, method: TelegramMethod[Any], chat_id: int | None, *, why: str, after: float = 0
    ) -> object:
        """Write the answer to the outbox, which sends it when Telegram lets it."""
        name = QUEUEABLE.get(type(method))
        if name is None or chat_id is None:
            log.info("answer %s dropped (%s)", type(method).__name__, why)
            return _QUEUE
        async with self.sessionmaker() as session, session.begin():
            session.add(OutboxMessage(
                chat_id=chat_id, method=name, payload=outbox_payload(method),
                next_attempt_at=utcnow() + timedelta(seconds=after),
            ))  # fmt: skip
        log.info("answer to %s went to the outbox (%s)", chat_id, why)
        self.on_queued()
        return _QUEUE


_QUEUE = object()  # an answer that went to the outbox


async def _unheld(bot: Bot, method: TelegramMethod[Any]) -> Any:
    """Send an answer taken out of the hold, past the lane: its place under the limits is
    taken already."""
    token = limits_taken.set(True)
    try:
        return await bot(method)
    finally:
        limits_taken.reset(token)


def _chat_of(method: TelegramMethod[Any]) -> int | None:
    chat_id = getattr(method, "chat_id", None)
    if isinstance(chat_id, int):
        return chat_id
    if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
        return int(chat_id)
    return None


def outbox_payload(method: TelegramMethod[Any]) -> dict[str, Any]:
    """The method's fields as the outbox stores them (bot defaults are applied when sent)."""
    payload: dict[str, Any] = {}
    for name, value in method:
        if name == "chat_id":
            continue
        if isinstance(value, BufferedInputFile):
            payload["upload"] = upload(name, value.data, value.filename or name)
        elif (plain := _plain(value)) is not None:
            payload[name] = plain
    return payload


def _plain(value: Any) -> Any:
    """JSON-ready, without unset fields and bot defaults (as aiogram itself sends them)."""
    if isinstance(value, TelegramObject):
        value = value.model_dump(warnings=False)
    if isinstance(value, dict):
        return {k: v for k, item in value.items() if (v := _plain(item)) is not None}
    if isinstance(value, list):
        return [v for item in value if (v := _plain(item)) is not None]
    if isinstance(value, Default):
        return None
    return value


class HeldAnswersMiddleware(BaseMiddleware):
    """Holds the answers a handler sends until its update is committed, then sends them.
    Placed outside the database session: an update that fails sends nothing it held (the
    error boundary apologises instead)."""

    def __init__(self, answers: DirectAnswers) -> None:
        self.answers = answers

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        held: list[Held] = []
        token = _held.set(held)
        try:
            result = await handler(event, data)
        finally:
            _held.reset(token)
        await self.answers.send_held(data["bot"], held)
        return result
