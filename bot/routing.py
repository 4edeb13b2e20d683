"""Routing checks run in place, not in a worker thread, and a router whose handlers cannot
take an update is passed over with one check."""

import inspect
from collections.abc import Callable, Iterable
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject, HandlerObject
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.filters import Command, Filter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message

GUARDED = ("message", "callback_query")


def _in_place(check: Callable[..., Any]) -> Callable[..., Any]:
    async def call(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)

    call.__wrapped__ = check  # type: ignore[attr-defined]
    return call


def run_filters_in_place(router: Router) -> None:
    """aiogram runs every plain (not async) filter in a worker thread, in case it blocks.
    The bot's filters are pure looks at the update and the member (magic filters, states,
    role tests) that take microseconds, while each hand-off to a thread and back took
    0.1-0.5 ms, dozens of times per update as the routers are tried in turn. They are
    called in place, in this router and every router below it."""
    for observer in router.observers.values():
        filters: list[FilterObject] = list(observer._handler.filters or ())
        for handler in observer.handlers:
            filters += handler.filters or ()
        for check in filters:
            if not check.awaitable:
                check.callback, check.awaitable = _in_place(check.callback), True
    for child in router.sub_routers:
        run_filters_in_place(child)


class Keys:
    """What an update must carry for at least one of an observer's handlers to take it: one
    of their commands, one of their button prefixes, or one of their states. Each handler
    is tried by aiogram at a few microseconds a check; a message went past about thirty
    handlers, a button press past up to forty, before reaching its own."""

    def __init__(self) -> None:
        self.commands: set[str] = set()  # casefolded: a command filter may ignore case
        self.command_prefixes: set[str] = set()
        self.button_prefixes: set[tuple[str, str]] = set()  # (separator, prefix)
        self.states: set[str | None] = set()

    def learn(self, handler: HandlerObject) -> bool:
        """Note what the handler needs; False when no filter of it says (a magic filter on
        the text, a role test), and the observer must then be tried for every update."""
        return any(self._learn(inspect.unwrap(f.callback)) for f in handler.filters or ())

    def _learn(self, check: Any) -> bool:
        if isinstance(check, Command):
            if not all(isinstance(name, str) for name in check.commands):
                return False  # a pattern
            self.commands.update(name.casefold() for name in check.commands)
            self.command_prefixes.update(check.prefix)
            return True
        if isinstance(check, CallbackQueryFilter):
            data = check.callback_data
            self.button_prefixes.add((data.__separator__, data.__prefix__))
            return True
        if isinstance(check, State) and check.state != "*":
            self.states.add(check.state)
            return True
        return False


class MayTake(Filter):
    """A router-level filter: does the update carry one of the observer's keys?"""

    def __init__(self, keys: Keys) -> None:
        self.keys = keys
        self.separators = {separator for separator, _prefix in keys.button_prefixes}

    async def __call__(self, event: Message | CallbackQuery, raw_state: str | None = None) -> bool:
        keys = self.keys
        if raw_state in keys.states:
            return True
        if isinstance(event, CallbackQuery):
            data = event.data or ""
            return any((s, data.split(s, 1)[0]) in keys.button_prefixes for s in self.separators)
        text = event.text or event.caption
        if not text or text[0] not in keys.command_prefixes:
            return False
        return text.split(maxsplit=1)[0][1:].partition("@")[0].casefold() in keys.commands


def guard_observers(routers: Iterable[Router]) -> None:
    """Give each router's message and button observer a filter that passes over it at once
    when none of its handlers can take the update, when each of them needs a command, a
    button prefix or a state. A router with routers below it is left as it is: a failed
    router-level filter skips those too."""
    for router in routers:
        if router.sub_routers:
            continue
        for name in GUARDED:
            observer: TelegramEventObserver = router.observers[name]
            keys = Keys()
            if observer.handlers and all(keys.learn(h) for h in observer.handlers):
                observer.filter(MayTake(keys))
