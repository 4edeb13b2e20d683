"""Last router: whatever nobody else handled gets a hint instead of silence."""

from typing import Any

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator


async def stale_button(query: CallbackQuery, t: Translator) -> Any:
    """Forged, outdated or foreign buttons: change nothing and say so."""
    return query.answer(t("error-stale"), show_alert=True)


async def unknown_private(message: Message, t: Translator) -> Any:
    return message.answer(t("unknown-private"))


def build_router() -> Router:
    router = Router(name="fallback")
    router.callback_query.register(stale_button)
    router.message.register(unknown_private, F.chat.type == "private")
    return router
