"""/web: a staff member asks in private for a single-use link that signs them in to the
workbench in a browser."""

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.settings import Settings
from handlers.common import refusal, url_keyboard
from models.errors import DomainError
from models.members import Member
from models.webauth import issue_login_link

LOGIN_PATH = "/workbench/login?token="


async def web_link(
    message: Message, session: AsyncSession, member: Member, settings: Settings, t: Translator
) -> Any:
    if not settings.web_url:
        return message.answer(t("web-not-configured"))
    try:
        token = await issue_login_link(session, member)
    except DomainError as error:
        return message.answer(refusal(t, error))
    keyboard = url_keyboard(t("web-command-button"), settings.web_url + LOGIN_PATH + token)
    return message.answer(t("web-command-link"), reply_markup=keyboard)


async def not_here(message: Message, t: Translator) -> Any:
    return message.reply(t("web-command-private-only"))


def build_router() -> Router:
    router = Router(name="web")
    router.message.register(web_link, Command("web"), F.chat.type == "private")
    router.message.register(not_here, Command("web"))
    return router
