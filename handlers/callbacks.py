"""Callback data factories. Data comes back from the client, so every field is re-checked
against the current state by the handler that receives it."""

from aiogram.filters.callback_data import CallbackData


class RegPick(CallbackData, prefix="rg"):
    """Registration: a community, micro-grid, building or unit was picked."""

    level: str  # community | micro_grid | building | unit
    id: int


class RegPage(CallbackData, prefix="rgp"):
    level: str
    page: int


class RegAction(CallbackData, prefix="rga"):
    action: str  # change | skip_room | confirm | restart


class RegStart(CallbackData, prefix="rgs"):
    """Start registering a home address, in a micro-grid known already (0: none known)."""

    micro_grid: int = 0


class LanguagePick(CallbackData, prefix="lang"):
    code: str


class RequestAction(CallbackData, prefix="rq"):
    """A button on a request card: claim, escalate, duplicate, start, resolve, back, reject."""

    action: str
    id: int


class Duplicate(CallbackData, prefix="dp"):
    """A resident answers whether their report repeats an open one."""

    id: int
    of: int
    same: bool


class MergeInto(CallbackData, prefix="mg"):
    id: int
    into: int


class Rating(CallbackData, prefix="rt"):
    id: int
    stars: int
    satisfied: int = -1  # -1: not asked yet; 0/1: the answer


class WishConfirm(CallbackData, prefix="wc"):
    id: int
    fulfilled: bool


class ListPage(CallbackData, prefix="pg"):
    list: str  # my | tasks
    page: int


class FlowChoice(CallbackData, prefix="fl"):
    """A choice inside the private /report or /wish flow."""

    step: str
    value: str


class OrderReward(CallbackData, prefix="or"):
    reward: int


class ActivityAction(CallbackData, prefix="ac"):
    action: str  # signup | checkin
    id: int


class CheckinReview(CallbackData, prefix="cr"):
    id: int
    approve: bool


class WhistleStart(CallbackData, prefix="ws"):
    """吹哨 on a card of a request escalated to the community: departments are offered next."""

    id: int
