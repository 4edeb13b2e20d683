"""The outbox sender: delivers stored messages in order per chat, surviving errors.

A row is marked sent only after Telegram accepted it; a crash in between means it is sent
again on restart (at least once), never lost. Permanent failures are recorded, not retried.
"""

import asyncio
import base64
import logging
from datetime import timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    DeleteMessage,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import BufferedInputFile, Message
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.i18n import Catalog
from bot.limits import SendLimits, limits_taken
from bot.qr import qr_png
from handlers.cards import card_payload, follow_payload, link_keyboard, mention_link
from models.base import utcnow
from models.copies import MessageCopy, fingerprint
from models.members import User
from models.outbox import OutboxMessage, OutboxStatus, due_heads, lease, queued_keys

log = logging.getLogger(__name__)

METHODS: dict[str, type[TelegramMethod[Any]]] = {
    "sendMessage": SendMessage,
    "sendPhoto": SendPhoto,
    "sendDocument": SendDocument,
    "editMessageText": EditMessageText,
    "editMessageCaption": EditMessageCaption,
    "editMessageReplyMarkup": EditMessageReplyMarkup,
    "deleteMessage": DeleteMessage,
}
MAX_ATTEMPTS = 8
CANDIDATES = 200  # due heads looked at per pass
# Rows sent per pass: about one second of sends at the overall limit. A chat gets at most one
# row per pass, so a long pass would hold a busy chat well under its own limit.
PER_PASS = 32
IN_FLIGHT = 16  # sends under way at once, each to a different chat
LEASE = timedelta(seconds=60)  # far longer than a send may take


class OutboxSender:
    """Sends due outbox rows; several processes may run one each against the same database.

    Rows are leased to a sender before it sends them, so no row is sent by two senders, and
    a chat's next row is leased only once its previous one is settled, so each chat's order
    holds across processes. The rate limits are shared with direct answers (`SendLimits`,
    in Redis when several processes share it), and direct answers go first."""

    def __init__(
        self,
        bot: Bot,
        sessionmaker: async_sessionmaker[AsyncSession],
        catalog: Catalog,
        limits: SendLimits | None = None,
        owner: str = "sender",
        lease_for: timedelta = LEASE,
    ) -> None:
        self.bot = bot
        self.sessionmaker = sessionmaker
        self.catalog = catalog
        self.owner = owner
        self.lease_for = lease_for
        self.limits = limits or SendLimits()
        self._wake = asyncio.Event()
        self._in_flight: set[int] = set()  # chats with a send under way here
        self._slots = asyncio.Semaphore(IN_FLIGHT)

    def wake(self) -> None:
        self._wake.set()

    async def run(self, idle_seconds: float = 1.0) -> None:
        while True:
            self._wake.clear()
            try:
                started = await self.send_due()
            except Exception:
                log.exception("outbox pass failed")
                started = 0
            if not started:
                try:
                    await asyncio.wait_for(self._wake.wait(), idle_seconds)
                except TimeoutError:
                    pass

    async def send_due(self) -> int:
        """One pass: lease the oldest due row of chats that may be written to now, then send
        them. Returns how many were sent or settled."""
        now = utcnow()
        async with self.sessionmaker() as session, session.begin():
            chosen = []
            for row_id, chat_id in await due_heads(session, now, CANDIDATES):
                if chat_id in self._in_flight:
                    continue
                if await self.limits.take_for_outbox(chat_id):
                    chosen.append((row_id, chat_id))
                    if len(chosen) == PER_PASS:
                        break
            await lease(session, [row_id for row_id, _ in chosen], self.owner, now + self.lease_for)
        tasks = []
        for row_id, chat_id in chosen:
            await self._slots.acquire()
            self._in_flight.add(chat_id)
            tasks.append(asyncio.create_task(self._deliver_one(row_id, chat_id)))
        if tasks:
            await asyncio.gather(*tasks)
        return len(tasks)

    async def _send(self, method: TelegramMethod[Any], chat_id: int) -> Any:
        await self.limits.take_global(direct=False)
        token = limits_taken.set(True)
        try:
            return await self.bot(method)
        finally:
            limits_taken.reset(token)
            await self.limits.release_global()
            await self.limits.sent_to(chat_id)

    async def _deliver_one(self, row_id: int, chat_id: int) -> None:
        try:
            async with self.sessionmaker() as session:
                row = await session.get(OutboxMessage, row_id)
                if row and row.status == OutboxStatus.PENDING and row.leased_by == self.owner:
                    await self._deliver(session, row)
                    row.leased_by = row.leased_until = None
                    await session.commit()
        except Exception:
            log.exception("outbox row %s failed", row_id)
        finally:
            self._in_flight.discard(chat_id)
            self._slots.release()

    async def _deliver(self, session: AsyncSession, row: OutboxMessage) -> bool:
        """Try one row; False when it must wait (and later rows of its chat with it)."""
        user = await session.get(User, row.user_id) if row.user_id else None
        if user is not None and user.private_blocked:
            await self._give_up(session, row, user, "blocked by the user")
            return True
        fields = {"chat_id": row.chat_id, **row.payload}
        copy = await session.get(MessageCopy, row.copy_id) if row.copy_id else None
        if copy is not None and row.method.startswith("edit"):
            # Queued behind the copy's send, so its message id is known by now.
            if copy.message_id is None:
                await self._give_up(session, row, user, "the copy to edit was never delivered")
                return True
            fields["message_id"] = copy.message_id
        if "qr" in fields:  # a voucher: its QR image is drawn when it is sent
            code = fields.pop("qr")
            fields["photo"] = BufferedInputFile(qr_png(code), filename=f"{code}.png")
        if "upload" in fields:  # a chart or a workbook, stored with the row
            upload = fields.pop("upload")
            data = base64.b64decode(upload["b64"])
            fields[upload["field"]] = BufferedInputFile(data, filename=upload["filename"])
        method = METHODS[row.method].model_validate(fields)
        try:
            result = await self._send(method, row.chat_id)
        except TelegramRetryAfter as error:
            metrics.RATE_LIMITED.inc()
            row.next_attempt_at = utcnow() + timedelta(seconds=error.retry_after)
            return False
        except TelegramForbiddenError as error:
            if user is not None and "blocked" in error.message:
                user.private_blocked = True
            await self._give_up(session, row, user, error.message)
            return True
        except TelegramBadRequest as error:
            if "not modified" in error.message:
                self._mark_sent(row, None)
                if copy is not None:
                    copy.shown = fingerprint(row.payload)
                return True
            await self._give_up(session, row, user, error.message)
            return True
        except (TelegramNetworkError, TelegramServerError) as error:
            row.attempts += 1
            if row.attempts >= MAX_ATTEMPTS:
                await self._give_up(session, row, user, f"gave up: {error.message}")
                return True
            row.next_attempt_at = utcnow() + timedelta(seconds=min(300, 2**row.attempts))
            row.last_error = error.message
            metrics.OUTBOX_SENDS.labels("retry").inc()
            return False
        self._mark_sent(row, result if isinstance(result, Message) else None)
        if copy is not None:  # the copy shows what Telegram accepted
            if copy.message_id is None and isinstance(result, Message):
                copy.message_id = result.message_id
            copy.shown = fingerprint(row.payload)
        return True

    @staticmethod
    def _mark_sent(row: OutboxMessage, message: Message | None) -> None:
        metrics.OUTBOX_SENDS.labels("sent").inc()
        row.status = OutboxStatus.SENT
        row.sent_at = utcnow()
        row.sent_message_id = message.message_id if message else None

    async def _give_up(
        self, session: AsyncSession, row: OutboxMessage, user: User | None, reason: str
    ) -> None:
        """Record a permanent failure; a person we cannot write to gets a pointer in their
        team chat that opens the private card instead."""
        metrics.OUTBOX_SENDS.labels("failed").inc()
        row.status = OutboxStatus.FAILED
        row.last_error = reason
        log.info("outbox %s to %s failed: %s", row.id, row.chat_id, reason)
        if row.copy_id is not None and row.method.startswith("edit"):
            copy = await session.get(MessageCopy, row.copy_id)
            if copy is not None:  # deleted or no longer editable: later changes leave it be
                copy.message_id = None
        target = _pointer_target(row)
        if row.fallback_chat_id is None or target is None:
            return
        me = await self.bot.me()
        t = self.catalog.translator(
            user.language_or(self.catalog.default_language) if user else None
        )
        # Someone named only by their Telegram id (a board member) may have no user row yet.
        name = user.full_name if user else t("private-fallback-member")
        mention = mention_link(row.chat_id, name)
        keyboard = link_keyboard(t("btn-open-private"), f"https://t.me/{me.username}?start={target}")
        key = f"fallback:{row.chat_id}:{target}"
        if await queued_keys(session, [key]):
            return  # one pointer per person and request (or card) is enough
        session.add(
            OutboxMessage(
                chat_id=row.fallback_chat_id,
                method="sendMessage",
                payload={
                    "text": t("private-fallback", mention=mention),
                    "reply_markup": keyboard.model_dump(mode="json", exclude_none=True),
                },
                request_id=row.request_id,
                dedup_key=key,
            )
        )


def _pointer_target(row: OutboxMessage) -> str | None:
    """The deep link payload that opens in private what could not be sent: the request, or
    the card this row was sending (see handlers/mine.py)."""
    if row.request_id is not None:
        return follow_payload(row.request_id)
    if row.copy_id is not None and row.method.startswith("send"):
        return card_payload(row.copy_id)
    return None


async def enqueue(
    session: AsyncSession,
    chat_id: int,
    payload: dict[str, Any],
    *,
    dedup_key: str,
    method: str = "sendMessage",
    user_id: int | None = None,
) -> bool:
    """Queue a message once: a redo of the same job finds its key and queues nothing."""
    batch = OutboxBatch()
    batch.add(chat_id, payload, dedup_key=dedup_key, method=method, user_id=user_id)
    return await batch.write(session) == 1


class OutboxBatch:
    """Messages a job queues, written together: the keys an earlier try of the same run
    already queued are looked up in a few queries rather than one per message."""

    def __init__(self) -> None:
        self._rows: list[OutboxMessage] = []

    def add(self, chat_id: int, payload: dict[str, Any], *, dedup_key: str,
            method: str = "sendMessage", user_id: int | None = None) -> None:  # fmt: skip
        self._rows.append(OutboxMessage(chat_id=chat_id, method=method, payload=payload,
                                        dedup_key=dedup_key, user_id=user_id))  # fmt: skip

    async def write(self, session: AsyncSession) -> int:
        """Queue the messages not queued before; returns how many that was."""
        queued = await queued_keys(session, [row.dedup_key for row in self._rows])
        fresh = [row for row in self._rows if row.dedup_key not in queued]
        session.add_all(fresh)
        self._rows = []
        return len(fresh)


def upload(field: str, data: bytes, filename: str) -> dict[str, str]:
    return {"field": field, "b64": base64.b64encode(data).decode(), "filename": filename}
