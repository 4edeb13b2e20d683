"""Outermost middleware: counts each update by type and outcome, and times it."""

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiogram.types.update import UpdateTypeLookupError

from bot import metrics
from bot.middlewares.errors import UpdateDeferred


class MetricsMiddleware(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        try:
            kind = event.event_type
        except UpdateTypeLookupError:  # a kind of update newer than this aiogram
            kind = "unknown"
        started = time.perf_counter()
        try:
            result = await handler(event, data)
        except UpdateDeferred:
            metrics.UPDATES.labels(kind, "deferred").inc()
            raise
        metrics.UPDATE_SECONDS.labels(kind).observe(time.perf_counter() - started)
        metrics.UPDATES.labels(kind, data.get(metrics.OUTCOME, "handled")).inc()
        return result
