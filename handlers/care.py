"""Care ledgers in private chat: /care (households: add, colour, notes, tags, phone, enable
the one-key call), /visits (log a visit in two taps and a message), /audit for admins.

Every household is opened through models.care, which checks the viewer's area and logs the
access; a refusal reads like "not found", so nobody learns a household is on a ledger."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog, Translator
from handlers.common import refusal
from handlers.sos import queue_welcome
from models.base import utcnow
from models.care import Colour, VisitOutcome
from models.care.access import Viewer, access_log, log_access
from models.care.calls import enable_caller
from models.care.households import (
    PEOPLE_MAX,
    REASON_MAX,
    Ledger,
    add_note,
    address_of,
    buildings_for,
    clean_text,
    colour_named,
    read_household,
    save_household,
    set_colour,
    set_phone,
    set_tags,
    visible_households,
)
from models.care.visits import due_at, log_visit, visit_days, visit_queue
from models.errors import DomainError, NotFound
from models.members import ROOM_MAX_LENGTH, Member
from models.structure import Community

PAGE = 8
AUDIT_SHOWN = 30
NOTE_SHOWN = 300  # characters of a note on a card
SKIP = "-"


class CareAction(CallbackData, prefix="ca"):
    """A press on a ledger card or list; `id` is a household (or building, or page)."""

    action: str
    id: int
    value: str = ""


class CareInput(StatesGroup):
    room = State()
    reason = State()
    people = State()
    phone = State()
    edit = State()  # a colour reason, a note, tags, a phone or a person's id for a card
    visit_note = State()


async def _zone(session: AsyncSession, member: Member) -> ZoneInfo:
    """The time zone of the member's community (where their roles are)."""
    community_id = member.roles[0].community_id if member.roles else None
    community = await session.get(Community, community_id) if community_id else None
    return ZoneInfo(community.timezone if community else "Asia/Shanghai")


def _day(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d")


def colour_label(t: Translator, colour: Colour) -> str:
    return t(f"care-colour-{colour.value}")


def _short(text: str) -> str:
    """A note as a card shows it: the card stays within one message."""
    return text if len(text) <= NOTE_SHOWN else text[: NOTE_SHOWN - 1] + "…"


def card(t: Translator, ledger: Ledger) -> tuple[str, InlineKeyboardMarkup]:
    household, zone = ledger.household, ZoneInfo(ledger.timezone)
    none = t("care-none")
    phone = ledger.phone or (t("care-phone-hidden") if household.phone_secret else none)
    lines = [
        t(
            "care-card",
            colour=colour_label(t, household.colour),
            address=ledger.address,
            micro_grid=ledger.micro_grid,
            people=household.people or none,
            phone=phone,
            tags="、".join(household.tags or []) or none,
            reason=household.colour_reason or none,
            visited=_day(household.last_visit_at, zone) if household.last_visit_at else none,
        )
    ]
    if ledger.notes:
        lines.append(t("care-card-notes"))
        lines += [
            t("care-card-note", date=_day(at, zone), text=_short(text)) for at, text in ledger.notes
        ]
    lines.append(t("care-card-history"))
    lines += [
        t(
            "care-card-change",
            date=_day(c.changed_at, zone),
            colour=colour_label(t, c.colour),
            reason=c.reason,
        )
        for c in ledger.history
    ]
    builder = InlineKeyboardBuilder()
    for action in ("colour", "note", "tags", "phone", "sos", "visit"):
        builder.button(
            text=t(f"care-btn-{action}"), callback_data=CareAction(action=action, id=household.id)
        )
    builder.adjust(3, 2, 1)
    return "\n".join(lines), builder.as_markup()


def _colour_keyboard(t: Translator, action: str, target: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for colour in Colour:
        builder.button(
            text=colour_label(t, colour),
            callback_data=CareAction(action=action, id=target, value=colour.value),
        )
    builder.adjust(2)
    return builder.as_markup()


async def show_ledgers(
    message: Message, session: AsyncSession, member: Member, t: Translator, page: int = 0
) -> Any:
    viewer = Viewer.of(member)
    if not viewer.is_staff():
        return message.answer(t("care-staff-only"))
    households = await visible_households(session, viewer)
    builder = InlineKeyboardBuilder()
    pages = max(1, -(-len(households) // PAGE))
    page = min(max(page, 0), pages - 1)
    for household in households[page * PAGE : (page + 1) * PAGE]:
        log_access(session, viewer, household.community_id, household.id, "list", "care")
        label = f"{colour_label(t, household.colour)} {await address_of(session, household)}"
        builder.button(text=label, callback_data=CareAction(action="open", id=household.id))
    if page > 0:
        builder.button(
            text=t("page-previous"), callback_data=CareAction(action="page", id=page - 1)
        )
    if page < pages - 1:
        builder.button(text=t("page-next"), callback_data=CareAction(action="page", id=page + 1))
    builder.button(text=t("care-btn-add"), callback_data=CareAction(action="add", id=0))
    builder.adjust(1)
    title = t("care-list-title", count=len(households)) if households else t("care-list-empty")
    return message.answer(title, reply_markup=builder.as_markup())


async def care_command(
    message: Message, state: FSMContext, session: AsyncSession, member: Member, t: Translator
) -> Any:
    await state.clear()
    return await show_ledgers(message, session, member, t)


async def open_card(
    message: Message, session: AsyncSession, member: Member, t: Translator, household_id: int
) -> Any:
    ledger = await read_household(session, Viewer.of(member), household_id)
    text, keyboard = card(t, ledger)
    return message.answer(text, reply_markup=keyboard)


PROMPTS = {
    "note": "care-ask-note",
    "tags": "care-ask-tags",
    "phone": "care-ask-phone",
    "sos": "care-ask-sos",
}


async def pressed(
    query: CallbackQuery,
    callback_data: CareAction,
    state: FSMContext,
    session: AsyncSession,
    member: Member,
    t: Translator,
) -> Any:
    """Every ledger button; its data is untrusted, so each press is checked again."""
    assert isinstance(query.message, Message)
    message, action, target = query.message, callback_data.action, callback_data.id
    viewer = Viewer.of(member)
    try:
        if action == "page":
            await query.answer()
            return await show_ledgers(message, session, member, t, target)
        if action == "open":
            await query.answer()
            return await open_card(message, session, member, t, target)
        if action == "add":
            return await _start_add(query, session, viewer, t)
        if action == "building":
            if target not in {b.id for b, _name in await buildings_for(session, viewer)}:
                raise NotFound("care-not-found")
            await state.set_state(CareInput.room)
            await state.set_data({"building": target})
            await query.answer()
            return message.answer(t("care-add-room"))
        if action == "newcolour":
            data = await state.get_data()
            if await state.get_state() != CareInput.reason.state or "room" not in data:
                return query.answer(t("care-stale"), show_alert=True)
            await state.update_data(colour=colour_named(callback_data.value).value)
            await query.answer()
            return message.answer(t("care-add-reason"))
        # The rest act on one household: it is opened (checked and logged) first.
        ledger = await read_household(session, viewer, target)
        if action == "colour":
            await query.answer()
            return message.answer(
                t("care-pick-colour"), reply_markup=_colour_keyboard(t, "setcolour", target)
            )
        if action == "setcolour":
            colour = colour_named(callback_data.value)
            await state.set_state(CareInput.edit)
            await state.set_data({"household": target, "field": "colour", "colour": colour.value})
            await query.answer()
            return message.answer(t("care-ask-reason", colour=colour_label(t, colour)))
        if action in PROMPTS:
            await state.set_state(CareInput.edit)
            await state.set_data({"household": target, "field": action})
            await query.answer()
            return message.answer(t(PROMPTS[action]))
        if action == "visit":
            await query.answer()
            text, keyboard = _visit_prompt(t, ledger.address, target)
            return message.answer(text, reply_markup=keyboard)
        if action == "outcome":
            if callback_data.value not in {o.value for o in VisitOutcome}:
                return query.answer(t("care-stale"), show_alert=True)
            await state.set_state(CareInput.visit_note)
            await state.set_data({"household": target, "outcome": callback_data.value})
            await query.answer()
            return message.answer(t("care-visit-ask-note"))
    except DomainError as error:
        return query.answer(refusal(t, error), show_alert=True)
    return query.answer(t("care-stale"), show_alert=True)


def _visit_prompt(
    t: Translator, address: str, household_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    for outcome in VisitOutcome:
        builder.button(
            text=t(f"care-outcome-{outcome.value}"),
            callback_data=CareAction(action="outcome", id=household_id, value=outcome.value),
        )
    builder.adjust(1)
    return t("care-visit-pick", address=address), builder.as_markup()


async def _start_add(
    query: CallbackQuery, session: AsyncSession, viewer: Viewer, t: Translator
) -> Any:
    assert isinstance(query.message, Message)
    buildings = await buildings_for(session, viewer)
    if not buildings:
        return query.answer(t("care-staff-only"), show_alert=True)
    builder = InlineKeyboardBuilder()
    for building, micro_grid in buildings:
        builder.button(
            text=f"{micro_grid} {building.name}",
            callback_data=CareAction(action="building", id=building.id),
        )
    builder.adjust(2)
    await query.answer()
    return query.message.answer(t("care-add-building"), reply_markup=builder.as_markup())


async def room_typed(message: Message, state: FSMContext, t: Translator) -> Any:
    try:
        room = clean_text(message.text, ROOM_MAX_LENGTH, "care-bad-room")
    except DomainError as error:
        return message.answer(refusal(t, error))
    await state.update_data(room=room)
    await state.set_state(CareInput.reason)
    return message.answer(t("care-add-colour"), reply_markup=_colour_keyboard(t, "newcolour", 0))


async def reason_typed(message: Message, state: FSMContext, t: Translator) -> Any:
    data = await state.get_data()
    if "colour" not in data:
        return message.answer(t("care-add-colour"),
                              reply_markup=_colour_keyboard(t, "newcolour", 0))  # fmt: skip
    try:
        reason = clean_text(message.text, REASON_MAX, "care-bad-reason")
    except DomainError as error:
        return message.answer(refusal(t, error))
    await state.update_data(reason=reason)
    await state.set_state(CareInput.people)
    return message.answer(t("care-add-people"))


async def people_typed(message: Message, state: FSMContext, t: Translator) -> Any:
    text = (message.text or "").strip()
    try:
        people = "" if text == SKIP else clean_text(text, PEOPLE_MAX, "care-bad-people")
    except DomainError as error:
        return message.answer(refusal(t, error))
    await state.update_data(people=people)
    await state.set_state(CareInput.phone)
    return message.answer(t("care-add-phone"))


async def phone_typed(
    message: Message, state: FSMContext, session: AsyncSession, member: Member, t: Translator
) -> Any:
    data = await state.get_data()
    text = (message.text or "").strip()
    try:
        household, _created = await save_household(
            session,
            Viewer.of(member),
            building_id=int(data["building"]),
            unit_id=None,
            room=data["room"],
            colour=Colour(data["colour"]),
            reason=data.get("reason", ""),
            people=data.get("people", ""),
            phone=None if text == SKIP else text,
        )
    except DomainError as error:
        if error.message_id in ("care-bad-phone", "care-no-key"):
            return message.answer(refusal(t, error))  # the rest is kept: send it again
        await state.clear()
        return message.answer(refusal(t, error))
    await state.clear()
    await message.answer(t("care-added"))
    return await open_card(message, session, member, t, household.id)


async def edit_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    member: Member,
    t: Translator,
    catalog: Catalog,
) -> Any:
    data = await state.get_data()
    household_id, field, text = int(data.get("household", 0)), data.get("field"), message.text
    viewer = Viewer.of(member)
    try:
        if field == "colour":
            await set_colour(session, viewer, household_id, Colour(data["colour"]), text or "")
        elif field == "note":
            await add_note(session, viewer, household_id, text or "")
        elif field == "tags":
            await set_tags(session, viewer, household_id, text or "")
        elif field == "phone":
            await set_phone(session, viewer, household_id, text or "")
        elif field == "sos":
            return await _enable_sos(message, state, session, viewer, t, catalog, household_id)
        else:
            await state.clear()
            return message.answer(t("care-stale"))
    except DomainError as error:
        if error.message_id == "care-not-found":
            await state.clear()
        return message.answer(refusal(t, error))
    await state.clear()
    await message.answer(t("care-saved"))
    return await open_card(message, session, member, t, household_id)


async def _enable_sos(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    viewer: Viewer,
    t: Translator,
    catalog: Catalog,
    household_id: int,
) -> Any:
    text = (message.text or "").strip()
    if not text.isdigit() or len(text) > 18:
        return message.answer(t("care-bad-number"))
    user = await enable_caller(session, viewer, household_id, int(text))
    await state.clear()
    queue_welcome(session, catalog, user, household_id)
    return message.answer(t("care-sos-enabled", name=user.full_name or text))


async def visits_command(
    message: Message, state: FSMContext, session: AsyncSession, member: Member, t: Translator
) -> Any:
    await state.clear()
    viewer = Viewer.of(member)
    if not viewer.is_staff():
        return message.answer(t("care-staff-only"))
    queue = await visit_queue(session, viewer)
    if not queue:
        return message.answer(t("care-visits-empty"))
    now, zone = utcnow(), await _zone(session, member)
    builder = InlineKeyboardBuilder()
    lines = [t("care-visits-title")]
    for item in queue[: PAGE * 3]:
        colour = colour_label(t, item.household.colour)
        lines.append(
            t(
                "care-visits-line",
                overdue=t("care-visits-overdue") if item.due < now else "",
                colour=colour,
                address=item.address,
                due=_day(item.due, zone),
            )
        )
        builder.button(
            text=f"{colour} {item.address}",
            callback_data=CareAction(action="visit", id=item.household.id),
        )
    builder.adjust(1)
    return message.answer("\n".join(lines), reply_markup=builder.as_markup())


async def visit_note_typed(
    message: Message, state: FSMContext, session: AsyncSession, member: Member, t: Translator
) -> Any:
    data = await state.get_data()
    photo = message.photo[-1].file_id if message.photo else None
    text = message.text or message.caption
    viewer = Viewer.of(member)
    try:
        visit = await log_visit(
            session,
            viewer,
            int(data.get("household", 0)),
            str(data.get("outcome")),
            text,
            photo,
            utcnow(),
        )
    except DomainError as error:
        if error.message_id != "care-bad-note":
            await state.clear()
        return message.answer(refusal(t, error))
    await state.clear()
    ledger = await read_household(session, viewer, visit.household_id)
    community = await session.get(Community, ledger.household.community_id)
    assert community is not None
    due = due_at(ledger.household, visit_days(community))
    return message.answer(t("care-visit-saved", due=_day(due, ZoneInfo(community.timezone))))


async def audit_command(
    message: Message, session: AsyncSession, member: Member, t: Translator
) -> Any:
    community_ids = [r.community_id for r in member.roles if r.role.value == "admin"]
    if not community_ids:
        return message.answer(t("care-audit-admins-only"))
    community = await session.get(Community, community_ids[0])
    assert community is not None
    viewer = Viewer.of(member)
    entries = await access_log(session, community.id, limit=AUDIT_SHOWN)
    log_access(session, viewer, community.id, None, "audit", "chat")
    if not entries:
        return message.answer(t("care-audit-empty"))
    zone = ZoneInfo(community.timezone)
    lines = [t("care-audit-title", count=len(entries))]
    lines += [
        t(
            "care-audit-line",
            at=e.at.astimezone(zone).strftime("%m-%d %H:%M"),
            actor=e.actor,
            action=e.action,
            household=f"#{e.household_id}" if e.household_id else "",
            detail=e.detail,
        )
        for e in entries
    ]
    return message.answer("\n".join(lines))


def build_router() -> Router:
    router = Router(name="care")
    private = F.chat.type == "private"
    typed = (private, F.text, ~F.text.startswith("/"))
    router.message.register(care_command, Command("care"), private)
    router.message.register(visits_command, Command("visits"), private)
    router.message.register(audit_command, Command("audit"), private)
    router.callback_query.register(pressed, CareAction.filter())
    router.message.register(room_typed, CareInput.room, *typed)
    router.message.register(reason_typed, CareInput.reason, *typed)
    router.message.register(people_typed, CareInput.people, *typed)
    router.message.register(phone_typed, CareInput.phone, *typed)
    router.message.register(edit_typed, CareInput.edit, *typed)
    router.message.register(visit_note_typed, CareInput.visit_note, private, F.photo)
    router.message.register(visit_note_typed, CareInput.visit_note, *typed)
    return router
