"""Small helpers shared by handlers: rendering refusals, private-chat state, deep links."""

import re

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Translator
from handlers.callbacks import ListPage
from models.errors import DomainError


def refusal(t: Translator, error: DomainError) -> str:
    return t(error.message_id, **error.args_for_message)


def private_state(bot: Bot, storage: BaseStorage, telegram_id: int) -> FSMContext:
    """The conversation state of a person's private chat, e.g. to ask there for a reason
    after they pressed a button in a group."""
    key = StorageKey(bot_id=bot.id, chat_id=telegram_id, user_id=telegram_id)
    return FSMContext(storage=storage, key=key)


# A deep link's number: what the bot puts in its links, nothing longer (the payload is typed
# or forged by anyone).
PAYLOAD_ID = re.compile(r"[0-9]{1,18}")


def payload_id(args: str | None, prefix: str) -> int | None:
    """The id in a `/start <prefix><id>` payload, or None when it is not one the bot made."""
    raw = (args or "").removeprefix(prefix)
    return int(raw) if PAYLOAD_ID.fullmatch(raw) else None


def url_keyboard(text: str, url: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=text, url=url)]])


def pager_keyboard(name: str, page: int, pages: int, t: Translator) -> InlineKeyboardMarkup | None:
    """Previous / next buttons for a paged list, or nothing when it fits one page."""
    if pages <= 1:
        return None
    builder = InlineKeyboardBuilder()
    if page > 0:
        builder.button(text=t("page-previous"), callback_data=ListPage(list=name, page=page - 1))
    if page < pages - 1:
        builder.button(text=t("page-next"), callback_data=ListPage(list=name, page=page + 1))
    return builder.as_markup()
