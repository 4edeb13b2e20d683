"""How the party feature looks in chat: the admins' card of a registration, the private offer
of a wish to party members first, the department's whistle card, and their buttons' data."""

import html

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.copies import Draw, Drawing, renders, request_view
from bot.i18n import Translator
from handlers.cards import headline, local_time, team_card
from models.copies import MessageCopy
from models.members import User
from models.party.tables import (
    Department,
    MembershipKind,
    MembershipStatus,
    PartnerUnit,
    PartyMember,
    Whistle,
)
from models.requests.views import RequestView
from models.structure import MicroGrid

PREVIEW = 300


class PartyJoin(CallbackData, prefix="pj"):
    """/party: in service (with the unit picked, 0 until then) or a community member."""

    kind: str  # in_service | community
    unit: int = 0


class PartyReview(CallbackData, prefix="pr"):
    id: int
    confirm: bool


class PartyLeave(CallbackData, prefix="pl"):
    sure: bool = False


class PledgePick(CallbackData, prefix="pp"):
    """/pledges: a pledge whose fulfilments to link are shown."""

    pledge: int


class PledgeLinkPick(CallbackData, prefix="pk"):
    pledge: int
    ref: str  # checkin | request
    id: int


class WhistlePick(CallbackData, prefix="wp"):
    request: int
    department: int


class WhistleStep(CallbackData, prefix="wh"):
    action: str  # report_in | done
    id: int


def party_offer_card(t: Translator, view: RequestView) -> Drawing:
    """A wish offered to a party member first, in their private chat, with its claim button."""
    text, keyboard = team_card(t, view)
    until = view.party_until
    title = (
        t("party-offer-title", until=local_time(until, view.timezone))
        if until else t("party-offer-title-open")
    )  # fmt: skip
    return title + "\n" + text, keyboard


@renders("party-member")
async def _membership(session: AsyncSession, membership_id: int) -> Draw:
    membership = await session.get(PartyMember, membership_id)
    assert membership is not None
    user = await session.get(User, membership.user_id)
    micro_grid = await session.get(MicroGrid, membership.micro_grid_id)
    unit = await session.get(PartnerUnit, membership.unit_id) if membership.unit_id else None
    assert user is not None and micro_grid is not None

    def draw(t: Translator, copy: MessageCopy) -> Drawing:
        kind = (
            t("party-kind-in-service", unit=unit.name if unit else "-")
            if membership.kind == MembershipKind.IN_SERVICE else t("party-kind-community")
        )  # fmt: skip
        lines = [t("party-review-card", name=user.full_name or "-", kind=kind,
                   micro_grid=micro_grid.name),
                 t(f"party-status-{membership.status.value}")]  # fmt: skip
        if membership.status == MembershipStatus.DECLINED and membership.reason:
            lines.append(t("party-declined-reason", reason=membership.reason))
        if membership.status != MembershipStatus.PENDING:
            return "\n".join(lines), None
        builder = InlineKeyboardBuilder()
        builder.button(text=t("party-btn-confirm"),
                       callback_data=PartyReview(id=membership.id, confirm=True))  # fmt: skip
        builder.button(text=t("party-btn-decline"),
                       callback_data=PartyReview(id=membership.id, confirm=False))  # fmt: skip
        return "\n".join(lines), builder.as_markup()

    return draw


@renders("whistle")
async def _whistle(session: AsyncSession, whistle_id: int) -> Draw:
    whistle = await session.get(Whistle, whistle_id)
    assert whistle is not None
    department = await session.get(Department, whistle.department_id)
    assert department is not None
    view = await request_view(session, whistle.request_id)
    return lambda t, copy: whistle_card(t, whistle, department, view)


def whistle_card(
    t: Translator, whistle: Whistle, department: Department, view: RequestView
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The department's card: what the request is and where, never who the resident is."""
    zone = view.timezone
    text = view.request.text
    place = " ".join(p for p in (view.route.micro_grid.name,
                                 view.building.name if view.building else "") if p)  # fmt: skip
    lines = [
        t("party-whistle-card", department=department.name),
        headline(t, view),
        html.escape(place),
        html.escape(text if len(text) <= PREVIEW else text[:PREVIEW] + "…"),
    ]
    if whistle.reason:
        lines.append(t("party-whistle-reason", reason=whistle.reason))
    lines.append(t("party-whistle-due", due=local_time(whistle.due_at, zone)))
    if whistle.reported_at:
        late = whistle.reported_at > whistle.due_at
        lines.append(t("party-whistle-reported-late" if late else "party-whistle-reported",
                       at=local_time(whistle.reported_at, zone)))  # fmt: skip
    if whistle.done_at:
        lines.append(t("party-whistle-done", at=local_time(whistle.done_at, zone),
                       note=whistle.note or "-"))  # fmt: skip
    builder = InlineKeyboardBuilder()
    if whistle.reported_at is None:
        builder.button(text=t("party-btn-report-in"),
                       callback_data=WhistleStep(action="report_in", id=whistle.id))  # fmt: skip
    elif whistle.done_at is None:
        builder.button(text=t("party-btn-done"),
                       callback_data=WhistleStep(action="done", id=whistle.id))  # fmt: skip
    else:
        return "\n".join(lines), None
    return "\n".join(lines), builder.as_markup()

