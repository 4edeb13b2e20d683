"""/help for the asker's role and place, and /language."""

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog, Translator
from handlers.callbacks import LanguagePick
from models.care.access import Viewer
from models.errors import DomainError
from models.members import Member, Role, set_language

ROLE_SECTIONS = (
    (Role.VOLUNTEER, "help-volunteer"),
    (Role.LEADER, "help-leader"),
    (Role.GRID_WORKER, "help-grid-worker"),
    (Role.MERCHANT, "help-merchant"),
)


def help_text(t: Translator, member: Member, in_group: bool) -> str:
    place = "group" if in_group else "private"
    sections = [t(f"help-intro-{place}")]
    if not member.known and not in_group:
        sections.append(t("help-unregistered"))
    sections.append(t(f"help-resident-{place}"))
    sections += [] if in_group else [t("svc-help")]
    sections.append(t(f"delib-help-{place}"))
    sections += [t(key) for role, key in ROLE_SECTIONS if member.has_role(role)]
    sections.append(t("party-help"))
    sections.append(t("fund-help"))
    if member.is_admin_anywhere():
        sections.append(t("help-admin"))
        sections.append(t("party-help-admin"))
        sections.append(t("fund-help-admin"))
    if member.is_admin_anywhere() or member.has_role(Role.GRID_WORKER):
        sections.append(t("delib-help-staff"))
    if not in_group and Viewer.of(member).is_staff():
        sections.append(t("care-help"))
    sections.append(t(f"help-footer-{place}"))
    return "\n\n".join(sections)


async def show_help(message: Message, member: Member, t: Translator) -> Any:
    return message.answer(help_text(t, member, message.chat.type != "private"))


async def choose_language(message: Message, t: Translator) -> Any:
    builder = InlineKeyboardBuilder()
    builder.button(text="中文", callback_data=LanguagePick(code="zh"))
    builder.button(text="English", callback_data=LanguagePick(code="en"))
    return message.answer(t("language-choose"), reply_markup=builder.as_markup())


async def language_picked(
    query: CallbackQuery,
    callback_data: LanguagePick,
    session: AsyncSession,
    member: Member,
    catalog: Catalog,
    t: Translator,
) -> Any:
    try:
        await set_language(session, member.user, callback_data.code)
    except DomainError as error:
        return query.answer(t(error.message_id), show_alert=True)
    new_t = catalog.translator(callback_data.code)
    return query.answer(new_t("language-set"), show_alert=True)


def build_router() -> Router:
    router = Router(name="help")
    router.message.register(show_help, Command("help"))
    router.message.register(choose_language, Command("language"), F.chat.type == "private")
    router.callback_query.register(language_picked, LanguagePick.filter())
    return router
