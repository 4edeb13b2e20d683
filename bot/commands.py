"""The command menus Telegram shows, per language and per scope (setMyCommands), and the
menu of one person's private chat that matches their roles."""

from collections.abc import Iterable

from aiogram import Bot
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
)

from bot.i18n import LANGUAGES, Catalog, Translator
from models.members import Role

PRIVATE_COMMANDS = (
    "start",
    "report",
    "wish",
    "services",
    "orders",
    "my",
    "tasks",
    "volunteer",
    "party",
    "help",
    "language",
    "cancel",
    "propose",
    "topics",
    "whisper",
    "fund",
    "projects",
)
GROUP_COMMANDS = ("report", "wish", "checkin", "checkout", "help", "start", "propose")
GROUP_ADMIN_COMMANDS = (*GROUP_COMMANDS, "bind")
# What each role adds to the private menu of the person who holds it.
ROLE_COMMANDS = {
    Role.ADMIN: ("activity", "adjust", "web", "care", "visits", "audit", "whistle", "partyfirst",
                 "donation", "disburse", "needs", "project"),
    Role.GRID_WORKER: ("web", "care", "visits"),
    Role.LEADER: ("activity", "web", "care", "visits", "partyfirst"),
    Role.VOLUNTEER: ("checkin", "checkout", "points", "rewards", "pledge", "pledges"),
    Role.MERCHANT: ("verify",),
}
# The order of a personal menu: the work of a role first, then what everyone has.
PERSONAL_ORDER = (
    "start", "tasks", "care", "visits", "audit",
    "web", "verify", "activity", "adjust", "checkin", "checkout", "report",
    "wish", "services", "orders", "propose", "topics", "whisper",
    "my", "points", "rewards", "volunteer", "help", "language", "cancel",
    "party", "pledge", "pledges", "whistle", "partyfirst",
    "fund", "projects", "donation", "disburse", "needs", "project",
)  # fmt: skip


def _commands(t: Translator, names: Iterable[str]) -> list[BotCommand]:
    return [BotCommand(command=name, description=t(f"cmd-{name}")) for name in names]


def personal_commands(roles: Iterable[Role]) -> list[str]:
    roles = set(roles)
    names = set(PRIVATE_COMMANDS).union(*(ROLE_COMMANDS[role] for role in roles))
    if Role.VOLUNTEER in roles:
        names.discard("volunteer")  # signed up already
    return [name for name in PERSONAL_ORDER if name in names]


async def register_commands(bot: Bot, catalog: Catalog) -> None:
    scopes = (
        (BotCommandScopeAllPrivateChats(), PRIVATE_COMMANDS),
        (BotCommandScopeAllGroupChats(), GROUP_COMMANDS),
        (BotCommandScopeAllChatAdministrators(), GROUP_ADMIN_COMMANDS),
    )
    for scope, names in scopes:
        # Without a language code: the menu for everyone whose language has no own menu.
        await bot.set_my_commands(
            _commands(catalog.translator(catalog.default_language), names), scope=scope
        )
        for language in LANGUAGES:
            await bot.set_my_commands(
                _commands(catalog.translator(language), names),
                scope=scope,
                language_code=language,
            )
    await bot.set_my_commands(
        _commands(catalog.translator(catalog.default_language), PRIVATE_COMMANDS),
        scope=BotCommandScopeDefault(),
    )


async def register_personal_commands(
    bot: Bot, t: Translator, telegram_id: int, roles: Iterable[Role]
) -> None:
    """The menu of one person's private chat, in the language the bot speaks with them.
    Without a language code it wins over the general menus in every language."""
    await bot.set_my_commands(
        _commands(t, personal_commands(roles)), scope=BotCommandScopeChat(chat_id=telegram_id)
    )
