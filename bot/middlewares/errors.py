"""The error boundary: one bad update gets a polite answer and a log line, never a crash.

Failures are of two kinds. A passing one (the database or Redis unreachable for a moment) is
retried here, then raised as `UpdateDeferred` so that the update is delivered again later
(the webhook answers 503, and Telegram retries). Any other failure would fail again on
redelivery: the update is recorded with its error, the user gets an apology, and the update
is acknowledged.
"""

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.exceptions import TelegramAPIError
from aiogram.types import TelegramObject, Update
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.i18n import Catalog, language_for
from models.updates import record_update

log = logging.getLogger(__name__)

PASSING_ERRORS = (
    OperationalError,
    InterfaceError,
    PoolTimeoutError,
    ConnectionError,
    TimeoutError,
    RedisConnectionError,
    RedisTimeoutError,
)


class UpdateDeferred(Exception):
    """Handling failed for a passing reason; the update must be delivered again."""


# PostgreSQL error classes a retry may cure: connection lost or refused (08), too many
# connections (53), server shutting down or not accepting connections (57, 55000), and
# serialization failures and deadlocks (40).
PASSING_SQLSTATE_CLASSES = ("08", "40", "53", "57")
PASSING_SQLSTATES = ("55000",)


def is_passing(error: BaseException) -> bool:
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        sqlstate = getattr(error.orig, "sqlstate", None) or ""
        if sqlstate[:2] in PASSING_SQLSTATE_CLASSES or sqlstate in PASSING_SQLSTATES:
            return True
    return isinstance(error, PASSING_ERRORS)


class ErrorBoundaryMiddleware(BaseMiddleware):
    def __init__(
        self,
        catalog: Catalog,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        retries: int = 3,
        backoff: float = 0.2,
    ) -> None:
        self.catalog = catalog
        self.sessionmaker = sessionmaker
        self.retries = retries
        self.backoff = backoff

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        attempt = 0
        while True:
            try:
                return await handler(event, data)
            except Exception as error:
                if not is_passing(error):
                    log.exception("update %s failed", event.update_id)
                    await self._record_failure(event, error)
                    await self._apologise(event, data)
                    data[metrics.OUTCOME] = "failed"
                    return None
                if attempt == self.retries:
                    log.warning("update %s deferred: %s", event.update_id, error)
                    raise UpdateDeferred(event.update_id) from error
            await asyncio.sleep(self.backoff * 2**attempt)
            attempt += 1

    async def _record_failure(self, update: Update, error: Exception) -> None:
        """Remember the failed update so a redelivery is not tried again (best effort: if
        even that fails, a redelivery gets one more try)."""
        detail = "".join(traceback.format_exception_only(error)).strip()[:2000]
        try:
            async with self.sessionmaker() as session:
                await record_update(session, update.update_id, error=detail)
                await session.commit()
        except Exception:
            log.exception("could not record failed update %s", update.update_id)

    async def _apologise(self, update: Update, data: dict[str, Any]) -> None:
        translate = data.get("t")
        if translate is None:
            user = data.get("event_from_user")
            language = language_for(
                user.language_code if user else None, self.catalog.default_language
            )
            translate = self.catalog.translator(language)
        text = translate("error-internal")
        try:
            if update.callback_query:
                await update.callback_query.answer(text, show_alert=True)
            elif update.message:
                await update.message.reply(text)
        except TelegramAPIError:
            log.warning("could not tell the user about failed update %s", update.update_id)
