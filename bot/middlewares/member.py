"""Who is acting: the user row (created on first sight), their roles, and their language.

The member is entered by the session's middleware (`DbSessionMiddleware`), in the round trip
that takes the update; this one says who acts, and gives handlers their language."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.types import TelegramObject, Update

from bot.fsm_storage import state_key_of
from bot.i18n import Catalog, language_for
from bot.settings import Settings
from models.members import Acting


class MemberMiddleware(BaseMiddleware):
    def __init__(
        self, settings: Settings, catalog: Catalog, fsm: FSMContextMiddleware | None = None
    ) -> None:
        self.settings = settings
        self.catalog = catalog
        # With conversation state in the database, it is read with the member.
        self.fsm = fsm

    def acting(self, update: Update, data: dict[str, Any]) -> Acting | None:
        """The person acting in this update; None for a bot or for no one."""
        from_user = data.get("event_from_user")
        if from_user is None or from_user.is_bot:
            return None
        chat = data.get("event_chat")
        return Acting(
            telegram_id=from_user.id,
            full_name=from_user.full_name,
            username=from_user.username,
            telegram_language=language_for(from_user.language_code, self.settings.language),
            private_chat=chat is not None and chat.type == "private" and update.message is not None,
            super_admin=from_user.id in self.settings.admin_ids,
            state_key=state_key_of(self.fsm, data["bot"], data) if self.fsm else None,
        )

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        member = data.get("member")
        language = member.user.language_or(self.settings.language) if member else None
        data["t"] = self.catalog.translator(language)
        return await handler(event, data)
