"""The command menus Telegram shows, per language and per scope (setMyCommands)."""

from aiogram import Bot
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeDefault,
)

from bot.i18n import LANGUAGES, Catalog

PRIVATE_COMMANDS = (
    "start",
    "report",
    "wish",
    "my",
    "tasks",
    "volunteer",
    "help",
    "language",
    "cancel",
)
GROUP_COMMANDS = ("report", "wish", "checkin", "checkout", "help", "start")
GROUP_ADMIN_COMMANDS = (*GROUP_COMMANDS, "bind")


def _commands(catalog: Catalog, language: str, names: tuple[str, ...]) -> list[BotCommand]:
    t = catalog.translator(language)
    return [BotCommand(command=name, description=t(f"cmd-{name}")) for name in names]


async def register_commands(bot: Bot, catalog: Catalog) -> None:
    scopes = (
        (BotCommandScopeAllPrivateChats(), PRIVATE_COMMANDS),
        (BotCommandScopeAllGroupChats(), GROUP_COMMANDS),
        (BotCommandScopeAllChatAdministrators(), GROUP_ADMIN_COMMANDS),
    )
    for scope, names in scopes:
        # Without a language code: the menu for everyone whose language has no own menu.
        await bot.set_my_commands(_commands(catalog, catalog.default_language, names), scope=scope)
        for language in LANGUAGES:
            await bot.set_my_commands(
                _commands(catalog, language, names), scope=scope, language_code=language
            )
    await bot.set_my_commands(
        _commands(catalog, catalog.default_language, PRIVATE_COMMANDS),
        scope=BotCommandScopeDefault(),
    )
