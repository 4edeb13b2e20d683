"""Per-user flood limit (moving window, via `limits`; shared through Redis when configured)."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from limits import RateLimitItem, parse, parse_many
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter

from bot.i18n import Catalog, language_for

WARNING_LIMIT = parse("1/minute")


class FloodLimitMiddleware(BaseMiddleware):
    def __init__(self, storage: Storage, limit: str, catalog: Catalog) -> None:
        self.limiter = MovingWindowRateLimiter(storage)
        self.limits: list[RateLimitItem] = parse_many(limit)
        self.catalog = catalog

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        assert isinstance(event, Update)
        key = str(user.id)
        allowed = True
        for item in self.limits:
            # Count the hit in every window, even after one refused, so bursts stay visible.
            allowed = await self.limiter.hit(item, "flood", key) and allowed
        if allowed:
            return await handler(event, data)
        # Over the limit: drop the update, and say so at most once a minute.
        if await self.limiter.hit(WARNING_LIMIT, "flood-warning", key):
            language = language_for(user.language_code, self.catalog.default_language)
            text = self.catalog.translator(language)("flood-slow-down")
            if event.callback_query:
                await event.callback_query.answer(text, show_alert=True)
            elif event.message:
                await event.message.reply(text)
        elif event.callback_query:
            await event.callback_query.answer()
        return None
