"""Community staff commands in chat: /bind a group to a micro-grid."""

from typing import Any

from aiogram import Bot, F, Router
from aiogram.enums import ChatMemberStatus
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from models.chats import bind_group
from models.errors import DomainError
from models.members import Member
from models.structure import remember_chat


async def bind(
    message: Message,
    command: CommandObject,
    bot: Bot,
    session: AsyncSession,
    member: Member,
    t: Translator,
) -> Any:
    try:
        result = await bind_group(session, member, command.args or "", message.chat.id)
    except DomainError as error:
        return message.reply(t(error.message_id, **error.args_for_message))
    me = await bot.me()
    bot_member = await bot.get_chat_member(message.chat.id, me.id)
    sees_all = bool(me.can_read_all_group_messages) or bot_member.status in (
        ChatMemberStatus.ADMINISTRATOR,
        ChatMemberStatus.CREATOR,
    )
    await remember_chat(session, message.chat.id, message.chat.type, message.chat.title, sees_all)
    text = t("bind-done", micro_grid=result.micro_grid.name, community=result.community_name)
    if result.released is not None:
        text += "\n" + t("bind-released", micro_grid=result.released.name)
    if not sees_all:
        text += "\n\n" + t("bind-privacy-warning", bot=me.username or "")
    return message.reply(text)


def build_router() -> Router:
    router = Router(name="admin")
    router.message.register(bind, Command("bind"), F.chat.type.in_({"group", "supergroup"}))
    return router
