"""Routing: a router is passed over with one check when none of its handlers can take the
update, and the handler chosen is the one it would be without that check."""

import enum
import inspect
import itertools
from typing import Any, get_args

from aiogram import Bot, Dispatcher, F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData, CallbackQueryFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Update

from bot.routing import MayTake, guard_observers, run_filters_in_place
from handlers import feature_routers
from models.members import Member, User

BOT = Bot("123456:TEST")
PERSON = {"id": 555, "is_bot": False, "first_name": "居民"}
CHATS = {"private": {"id": 555, "type": "private", "first_name": "居民"},
         "group": {"id": -100, "type": "supergroup", "title": "小区群"}}  # fmt: skip


def message(text: str, chat: dict[str, Any]) -> Update:
    body: dict[str, Any] = {"message_id": 1, "date": 0, "chat": chat, "from": PERSON, "text": text}
    if text.startswith("/"):
        body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return Update.model_validate({"update_id": 1, "message": body}, context={"bot": BOT})


def press(data: str, chat: dict[str, Any]) -> Update:
    card = {"message_id": 2, "date": 0, "chat": chat, "from": PERSON, "text": "card"}
    query = {"id": "1", "from": PERSON, "message": card, "chat_instance": "1", "data": data}
    return Update.model_validate({"update_id": 1, "callback_query": query}, context={"bot": BOT})


def chooser(guarded: bool) -> tuple[Dispatcher, dict[str, str]]:
    """The bot's routers; the handler aiogram picks is noted instead of being run."""
    dispatcher = Dispatcher()
    dispatcher.include_routers(*feature_routers())
    if guarded:
        guard_observers(dispatcher.sub_routers)
    run_filters_in_place(dispatcher)
    chosen: dict[str, str] = {}

    async def note(_handler: Any, _event: Any, data: dict[str, Any]) -> None:
        chosen["handler"] = f"{data['event_router'].name}.{data['handler'].callback.__name__}"

    dispatcher.message.middleware(note)
    dispatcher.callback_query.middleware(note)
    return dispatcher, chosen


def filters_of(dispatcher: Dispatcher) -> list[Any]:
    return [inspect.unwrap(check.callback) for router in dispatcher.sub_routers
            for observer in router.observers.values() for handler in observer.handlers
            for check in handler.filters or ()]  # fmt: skip


def sample_value(annotation: Any) -> Any:
    """A value of a button's field, to pack button data its filter unpacks."""
    for kind in (*get_args(annotation), annotation):
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return next(iter(kind))
        if kind is bool:
            return True
        if kind is int:
            return 7
        if kind is str:
            return "claim"
    return 7


def sample_data(data: type[CallbackData]) -> str:
    fields = {name: sample_value(field.annotation) for name, field in data.model_fields.items()}
    return data(**fields).pack()


async def test_guarded_routers_choose_the_handler_unguarded_ones_do() -> None:
    """Every command, state and button of the bot, with plain texts, unknown commands and
    unknown buttons, in a private chat and a group: the same handler is chosen either way."""
    plain, guarded = chooser(False), chooser(True)
    checks = filters_of(plain[0])
    commands = {name for c in checks if isinstance(c, Command) for name in c.commands}
    states = {c.state for c in checks if isinstance(c, State)}
    buttons = {sample_data(c.callback_data) for c in checks if isinstance(c, CallbackQueryFilter)}
    texts = [f"/{name}" for name in sorted(commands)] + [f"/{name} 12 理由" for name in commands]
    texts += ["/START", "/nosuchcommand", "302", "#报事 楼道灯坏了", "#微心愿 买菜", "你好", "/"]
    buttons_data = [*sorted(buttons), "zz:1", "", "rq"]
    cases = [(message(text, chat), None) for text in texts for chat in CHATS.values()]
    cases += [(press(data, chat), None) for data in buttons_data for chat in CHATS.values()]
    # in the middle of a flow: what it expects, and what it does not
    in_flows = [message(text, chat) for text in ("302", "/cancel", "#报事 灯坏了")
                for chat in CHATS.values()]  # fmt: skip
    in_flows += [press(data, CHATS["private"]) for data in buttons_data]
    cases += list(itertools.product(in_flows, sorted(states)))
    assert len(commands) > 30 and len(states) > 30 and len(buttons) > 30
    member = Member(user=User(id=1, telegram_id=555), residence=None, roles=[])
    picked: set[str | None] = set()
    for update, raw_state in cases:
        choices = []
        for dispatcher, chosen in (plain, guarded):
            chosen.clear()
            await dispatcher.propagate_event(
                update.event_type, update.event, bot=BOT, event_update=update, member=member,
                event_from_user=update.event.from_user, raw_state=raw_state, state=None,
            )  # fmt: skip
            choices.append(chosen.get("handler"))
        assert choices[0] == choices[1], (update.event_type, update.event, raw_state)
        picked.add(choices[0])
    assert len(picked) > 100  # the cases reach most of the bot's handlers


class Step(StatesGroup):
    typing = State()


class Pick(CallbackData, prefix="pk"):
    id: int


async def nothing(_event: Any) -> None:
    return None


async def test_a_router_none_of_whose_handlers_can_take_the_update_is_passed_over() -> None:
    tried: list[str] = []

    def seen(name: str) -> Any:
        def check(_event: Any) -> bool:
            tried.append(name)
            return True

        return check

    keyed, open_ = Router(name="keyed"), Router(name="open")
    keyed.message.register(nothing, Command("go", ignore_case=True), seen("go"))
    keyed.message.register(nothing, Step.typing, seen("typing"))
    keyed.callback_query.register(nothing, Pick.filter(), seen("pick"))
    open_.message.register(nothing, F.text.startswith("#"), seen("hashtag"))
    dispatcher = Dispatcher()
    dispatcher.include_routers(keyed, open_)
    guard_observers(dispatcher.sub_routers)
    run_filters_in_place(dispatcher)
    assert [type(f.callback) for f in keyed.message._handler.filters or ()] == [MayTake]
    assert not open_.message._handler.filters  # a magic filter says nothing of the update

    async def route(update: Update, raw_state: str | None = None) -> list[str]:
        tried.clear()
        await dispatcher.propagate_event(update.event_type, update.event, bot=BOT,
                                         raw_state=raw_state)  # fmt: skip
        return list(tried)

    private = CHATS["private"]
    assert await route(message("/GO now", private)) == ["go"]
    assert await route(message("/stop", private)) == []
    assert await route(message("#报事", private)) == ["hashtag"]
    assert await route(message("写好了", private), Step.typing.state) == ["typing"]
    assert await route(press(Pick(id=3).pack(), private)) == ["pick"]
    assert await route(press("pkx:3", private)) == []
