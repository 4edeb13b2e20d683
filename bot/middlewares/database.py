"""One database session per update; the update is recorded as handled in its transaction."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.fsm_storage import update_session
from bot.middlewares.member import MemberMiddleware
from models.base import short_statements
from models.members import take_update_as
from models.updates import record_update

log = logging.getLogger(__name__)


class DbSessionMiddleware(BaseMiddleware):
    """Opens the session handlers use and commits it when the handler returns.

    The update is recorded first, in the transaction the handler's changes join: a
    redelivered update (Telegram retrying, or another process given the same update) is
    skipped, and a delivery arriving while the first is under way waits for its outcome
    (skipped if it commits, handled if it rolls back). Notices the handler emitted become
    outbox rows in the same transaction. A handler that returns a Telegram method (its
    reply) has it sent after the commit, so a user is never told about a change that was
    then rolled back.

    The person acting (as `members` says) is read by the statement that records the update
    (one round trip on PostgreSQL, see `record_update_and_read`), and given to handlers as
    `member`.
    """

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], members: MemberMiddleware
    ) -> None:
        self.sessionmaker = sessionmaker
        self.members = members

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        with short_statements():
            return await self._handle(handler, event, data)

    async def _handle(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: Update,
        data: dict[str, Any],
    ) -> Any:
        async with self.sessionmaker() as session:
            acting = self.members.acting(event, data)
            if acting is None:
                taken = await record_update(session, event.update_id)
            else:
                member = await take_update_as(session, event.update_id, acting)
                taken = member is not None
                data["member"] = member
            if not taken:
                await session.rollback()
                return self._duplicate(event, data)
            data["session"] = session
            token = update_session.set(session)
            try:
                result = await handler(event, data)
            finally:
                update_session.reset(token)
            queued = await data["notifier"].flush(session)
            await session.commit()
            if queued:
                data["outbox_sender"].wake()
            return result

    @staticmethod
    def _duplicate(update: Update, data: dict[str, Any]) -> None:
        log.info("update %s was already handled; skipped", update.update_id)
        data[metrics.OUTCOME] = "duplicate"
