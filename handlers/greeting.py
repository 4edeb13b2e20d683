"""How `/start` greets people who hold a role: who they are and where, their open work, what
they can do, and a private command menu for their roles. Registering a home address stays
one button away for those who also live in the community."""

import logging
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import register_personal_commands
from bot.i18n import Translator
from handlers.callbacks import RegAction, RegStart
from models.members import Address, Member, Role, describe_residence
from models.staff import RoleInArea, open_work, roles_in_areas
from models.structure import MicroGrid

log = logging.getLogger(__name__)

# Roles that work on requests: their greeting counts what waits for them.
TASK_ROLES = (Role.ADMIN, Role.GRID_WORKER, Role.LEADER, Role.VOLUNTEER)
AREA_ROLES = (Role.GRID_WORKER, Role.LEADER)  # requests wait in their area
STAMP_ROLES = (Role.ADMIN, Role.LEADER)  # check-ins wait for their stamp
# Roles whose greeting says what they can do (their work comes to them otherwise).
CAN_DO = ((Role.ADMIN, "greeting-can-admin"), (Role.MERCHANT, "greeting-can-merchant"))


def address_text(t: Translator, address: Address) -> str:
    return t(
        "reg-already",
        community=address.community,
        micro_grid=address.micro_grid,
        building=address.building,
        unit=address.unit or "-",
        room=address.room or "-",
    )


def _role_text(t: Translator, role: RoleInArea) -> str:
    name = t(f"role-{role.role.value.replace('_', '-')}")
    if role.area is None:
        return t("role-everywhere", role=name)
    return t("role-in-area", role=name, area=role.area)


async def _work_lines(
    session: AsyncSession, member: Member, roles: set[Role], t: Translator
) -> list[str]:
    lines = []
    if roles & set(TASK_ROLES):
        work = await open_work(session, member)
        if roles & set(AREA_ROLES):
            lines.append(t("greeting-waiting", count=work.waiting))
        lines.append(t("greeting-claimed", count=work.claimed))
        if roles & set(STAMP_ROLES):
            lines.append(t("greeting-reviews", count=work.reviews))
        lines.append(t("greeting-see-tasks"))
    lines += [t(key) for role, key in CAN_DO if role in roles]
    return lines


def _keyboard(
    t: Translator, registered: bool, micro_grid: MicroGrid | None
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if registered:
        builder.button(text=t("reg-change"), callback_data=RegAction(action="change"))
    else:
        target = micro_grid.id if micro_grid else 0
        builder.button(text=t("btn-register-home"), callback_data=RegStart(micro_grid=target))
    return builder.as_markup()


async def greet_staff(
    message: Message,
    bot: Bot,
    session: AsyncSession,
    member: Member,
    t: Translator,
    micro_grid: MicroGrid | None = None,
) -> Any:
    """`micro_grid`: the person came through a group's join link; registering there is
    offered with that micro-grid chosen already."""
    held = await roles_in_areas(session, member)
    roles = {role.role for role in held}
    listed = t("greeting-list-separator").join(_role_text(t, role) for role in held)
    parts = [t("greeting-hello", name=member.user.full_name or "-", roles=listed)]
    parts.append("\n".join(await _work_lines(session, member, roles, t)))
    parts.append(t("greeting-menu"))
    if member.residence is not None:
        parts.append(address_text(t, await describe_residence(session, member.residence)))
    elif micro_grid is not None:
        parts.append(t("greeting-register-here", micro_grid=micro_grid.name))
    else:
        parts.append(t("greeting-register-offer"))
    try:
        await register_personal_commands(bot, t, member.user.telegram_id, roles)
    except TelegramAPIError as error:
        # The general private menu still works; the next /start tries again.
        log.warning("could not set the menu of %s: %s", member.user.telegram_id, error)
    return message.answer(
        "\n\n".join(parts),
        reply_markup=_keyboard(t, member.residence is not None, micro_grid),
    )
