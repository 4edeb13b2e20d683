"""Inline keyboards shared by handlers."""

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.callbacks import RegAction, RegPage, RegPick

PAGE_SIZE = 8


def pick_keyboard(
    level: str,
    options: Sequence[tuple[int, str]],
    page: int,
    previous_label: str,
    next_label: str,
    extra: Sequence[tuple[str, str]] = (),
) -> InlineKeyboardMarkup:
    """A paged two-column list of (id, label) options for one registration level."""
    builder = InlineKeyboardBuilder()
    pages = max(1, -(-len(options) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = options[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    for option_id, label in shown:
        builder.button(text=label, callback_data=RegPick(level=level, id=option_id))
    sizes = [2] * (len(shown) // 2) + ([1] if len(shown) % 2 else [])
    nav = 0
    if page > 0:
        builder.button(text=previous_label, callback_data=RegPage(level=level, page=page - 1))
        nav += 1
    if page < pages - 1:
        builder.button(text=next_label, callback_data=RegPage(level=level, page=page + 1))
        nav += 1
    if nav:
        sizes.append(nav)
    for label, action in extra:
        builder.button(text=label, callback_data=RegAction(action=action))
        sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


def action_keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for label, action in buttons:
        builder.button(text=label, callback_data=RegAction(action=action))
    builder.adjust(1)
    return builder.as_markup()
