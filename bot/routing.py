"""Routing checks run in place, not in a worker thread."""

from collections.abc import Callable
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject


def _in_place(check: Callable[..., Any]) -> Callable[..., Any]:
    async def call(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)

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
