"""A Bot API session that answers every call in memory: no network, but the same request
serialisation and response parsing a real session does, so the bot's own cost is measured."""

import itertools
import json
import time
from collections import Counter
from collections.abc import AsyncGenerator
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.methods import GetChatMember, GetMe, TelegramMethod
from aiogram.methods.base import TelegramType

BOT_USER = {"id": 123456, "is_bot": True, "first_name": "gridbot", "username": "gridbot"}
TOKEN = "123456:OFFLINE"


class OfflineSession(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.calls: Counter[str] = Counter()
        self._message_ids = itertools.count(1_000_000)

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        self.calls[method.__api_method__] += 1
        files: dict[str, Any] = {}
        for value in method.model_dump(warnings=False).values():
            self.prepare_value(value, bot=bot, files=files)  # what a real session posts
        content = json.dumps({"ok": True, "result": self._result(method)})
        return self.check_response(bot, method, 200, content).result

    def _result(self, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetMe):
            return BOT_USER
        if isinstance(method, GetChatMember):
            return {"status": "member", "user": {"id": method.user_id, "is_bot": False,
                                                 "first_name": "member"}}  # fmt: skip
        returning = str(method.__returning__)
        if "Message" in returning:
            chat_id = int(getattr(method, "chat_id", None) or 0)
            chat_type = "private" if chat_id > 0 else "supergroup"
            message: dict[str, Any] = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": chat_type},
                "from": BOT_USER,
            }
            if isinstance(getattr(method, "text", None), str):
                message["text"] = method.text
            return message
        return True

    async def stream_content(self, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        yield b""

    async def close(self) -> None:
        pass


def offline_bot() -> Bot:
    return Bot(TOKEN, session=OfflineSession(),
               default=DefaultBotProperties(parse_mode=ParseMode.HTML))  # fmt: skip
