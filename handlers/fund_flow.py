"""The guided /donation and /disburse: sent without arguments in private by staff, each asks
one thing at a time, with buttons where there is a choice, and ends on a card to confirm,
change or cancel. Bad input gets one sentence and the same step again; what was given
before stays. /start shows the current step again, /cancel drops the flow."""

from typing import Any

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from handlers.common import refusal
from models.errors import DomainError, InvalidInput, NotFound
from models.members import Member
from models.notices import Notice, emit
from models.party.membership import list_units
from models.points.rewards import member_community
from models.resources.donations import (
    clean_goods,
    needs_project,
    picked_donor,
    record_donation,
    search_people,
)
from models.resources.fund import (
    ask_disbursement,
    clean_payee,
    is_treasurer,
    parse_amount,
    project_by_number,
    yuan,
)
from models.resources.projects import live_projects, partners_of
from models.resources.tables import DisbursementUse, DonationType


class DonationFlow(StatesGroup):
    amount = State()  # money, or the 捐物资 button
    items = State()  # goods: what was given
    value = State()  # goods: their estimated value
    type = State()
    donor = State()
    project = State()
    confirm = State()


class DisburseFlow(StatesGroup):
    amount = State()
    use = State()
    project = State()
    payee = State()
    photo = State()
    confirm = State()


class FundPick(CallbackData, prefix="ffp"):
    """A button of a guided step: `step` names the step it answers, so a press on an older
    step's message is stale."""

    step: str
    value: str = ""


def _community_of_staff(member: Member) -> int | None:
    community_id = member_community(member)
    return community_id if community_id and is_treasurer(member, community_id) else None


def _buttons(*rows: tuple[str, FundPick], width: int = 2) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for text, data in rows:
        builder.button(text=text, callback_data=data)
    builder.adjust(width)
    return builder.as_markup()


async def _project_buttons(session: AsyncSession, community_id: int, t: Translator,
                           optional: bool) -> list[tuple[str, FundPick]]:  # fmt: skip
    rows = [(f"{p.number}. {p.title}"[:60], FundPick(step="project", value=str(p.number)))
            for p in await live_projects(session, community_id)]  # fmt: skip
    if optional:
        rows.append((t("fund-btn-no-project"), FundPick(step="project")))
    return rows


async def _project_title(session: AsyncSession, community_id: int, number: int | None,
                         t: Translator) -> str:  # fmt: skip
    if number is None:
        return t("fund-no-project")
    try:
        project = await project_by_number(session, community_id, number)
    except NotFound:
        return str(number)
    return f"{number}. {project.title}"


async def _prompt(session: AsyncSession, state: FSMContext, community_id: int, t: Translator
                  ) -> tuple[str, InlineKeyboardMarkup | None]:  # fmt: skip
    """The question of the current step, with its buttons."""
    current, data = await state.get_state(), await state.get_data()
    confirm_rows = (
        (t("fund-btn-confirm"), FundPick(step="confirm")),
        (t("fund-btn-edit"), FundPick(step="edit")),
        (t("fund-btn-flow-cancel"), FundPick(step="cancel")),
    )
    if current == DonationFlow.amount.state:
        return t("fund-donation-ask-amount"), _buttons((t("fund-btn-goods"),
                                                        FundPick(step="goods")))  # fmt: skip
    if current == DonationFlow.items.state:
        return t("fund-donation-ask-items"), None
    if current == DonationFlow.value.state:
        return t("fund-donation-ask-value"), None
    if current == DonationFlow.type.state:
        return t("fund-donation-ask-type"), _buttons(*(
            (t(f"fund-type-{kind.value}"), FundPick(step="type", value=kind.value))
            for kind in DonationType), width=3)  # fmt: skip
    if current == DonationFlow.donor.state:
        rows = [(u.name, FundPick(step="donor", value=f"unit-{u.id}"))
                for u in await list_units(session, community_id)]  # fmt: skip
        rows += [(p.name, FundPick(step="donor", value=f"partner-{p.id}"))
                 for p in await partners_of(session, community_id)]  # fmt: skip
        rows.append((t("fund-btn-anonymous"), FundPick(step="donor", value="anonymous")))
        return t("fund-donation-ask-donor"), _buttons(*rows)
    if current == DonationFlow.project.state:
        required = needs_project(DonationType(data["type"]))
        rows = await _project_buttons(session, community_id, t, optional=not required)
        return t("fund-donation-ask-project"), _buttons(*rows, width=1)
    if current == DonationFlow.confirm.state:
        goods = data.get("goods")
        text = t("fund-donation-confirm", kind="goods" if goods else "money", items=goods or "",
                 amount=yuan(data["amount"]), type=t(f"fund-type-{data['type']}"),
                 donor=data.get("donor_name") or t("fund-anonymous"),
                 project=await _project_title(session, community_id, data.get("project"), t))
        return text, _buttons(*confirm_rows, width=3)
    if current == DisburseFlow.amount.state:
        return t("fund-disburse-ask-amount"), None
    if current == DisburseFlow.use.state:
        return t("fund-disburse-ask-use"), _buttons(*(
            (t(f"fund-use-{use.value}"), FundPick(step="use", value=use.value))
            for use in DisbursementUse), width=4)  # fmt: skip
    if current == DisburseFlow.project.state:
        rows = await _project_buttons(session, community_id, t, optional=False)
        return t("fund-disburse-ask-project"), _buttons(*rows, width=1)
    if current == DisburseFlow.payee.state:
        return t("fund-disburse-ask-payee"), None
    if current == DisburseFlow.photo.state:
        return t("fund-disburse-ask-photo"), _buttons((t("fund-btn-skip"), FundPick(step="skip")))
    assert current == DisburseFlow.confirm.state, current
    text = t("fund-disburse-confirm", amount=yuan(data["amount"]),
             use=t(f"fund-use-{data['use']}"), payee=data["payee"],
             project=await _project_title(session, community_id, data.get("project"), t),
             photo="yes" if data.get("photo") else "no")  # fmt: skip
    return text, _buttons(*confirm_rows, width=3)


async def show_step(message: Message, session: AsyncSession, state: FSMContext, member: Member,
                    t: Translator, hint: str = "") -> Any:  # fmt: skip
    """Ask the current step (again) as a new message, after `hint` (why it is asked again)."""
    community_id = _community_of_staff(member)
    if community_id is None:
        await state.clear()
        return message.answer(t("fund-staff-only"))
    text, keyboard = await _prompt(session, state, community_id, t)
    return message.answer(f"{hint}\n\n{text}" if hint else text, reply_markup=keyboard)


async def _next(target: Message, session: AsyncSession, state: FSMContext, member: Member,
                t: Translator, step: State, edit: bool = False, **data: Any) -> Any:  # fmt: skip
    await state.update_data(**data)
    await state.set_state(step)
    if not edit:
        return await show_step(target, session, state, member, t)
    community_id = _community_of_staff(member)
    assert community_id is not None
    text, keyboard = await _prompt(session, state, community_id, t)
    return target.edit_text(text, reply_markup=keyboard)


async def begin(message: Message, session: AsyncSession, state: FSMContext, member: Member,
                t: Translator, flow: type[StatesGroup]) -> Any:  # fmt: skip
    await state.clear()
    first = DonationFlow.amount if flow is DonationFlow else DisburseFlow.amount
    return await _next(message, session, state, member, t, first)


# --- typed answers ---------------------------------------------------------------------------


async def amount_typed(message: Message, session: AsyncSession, state: FSMContext,
                       member: Member, t: Translator) -> Any:  # fmt: skip
    """An amount: the money given or asked for, or the goods' estimated value."""
    try:
        fen = parse_amount(message.text or "")
    except DomainError as error:
        return await show_step(message, session, state, member, t, refusal(t, error))
    current = await state.get_state()
    if current == DisburseFlow.amount.state:
        return await _next(message, session, state, member, t, DisburseFlow.use, amount=fen)
    goods = {} if current == DonationFlow.value.state else {"goods": None}
    return await _next(message, session, state, member, t, DonationFlow.type, amount=fen,
                       **goods)  # fmt: skip


async def text_typed(message: Message, session: AsyncSession, state: FSMContext,
                     member: Member, t: Translator) -> Any:  # fmt: skip
    """Goods' items or a payee: plain text within the domain's limit."""
    items = await state.get_state() == DonationFlow.items.state
    try:
        text = clean_goods(message.text) if items else clean_payee(message.text)
    except DomainError as error:
        return await show_step(message, session, state, member, t, refusal(t, error))
    if items:
        return await _next(message, session, state, member, t, DonationFlow.value, goods=text)
    return await _next(message, session, state, member, t, DisburseFlow.photo, payee=text)


async def donor_typed(message: Message, session: AsyncSession, state: FSMContext,
                      member: Member, t: Translator) -> Any:  # fmt: skip
    """A person's name, room or phone: the registered residents it finds, each a button, and
    the words themselves as a last button (a donor who is not registered)."""
    community_id = _community_of_staff(member)
    if community_id is None:
        return await show_step(message, session, state, member, t)
    words = " ".join((message.text or "").split())
    try:
        found = await search_people(session, community_id, words)
    except DomainError as error:
        return await show_step(message, session, state, member, t, refusal(t, error))
    await state.update_data(typed=words)
    rows = [(f"{user.full_name or user.telegram_id} {residence.room or ''}".strip()[:60],
             FundPick(step="donor", value=f"person-{user.id}")) for user, residence in found]
    rows.append((t("fund-btn-as-typed", name=words[:40]), FundPick(step="donor", value="text")))
    key = "fund-donor-found" if found else "fund-donor-none-found"
    return message.answer(t(key, words=words), reply_markup=_buttons(*rows, width=1))


async def photo_sent(message: Message, session: AsyncSession, state: FSMContext,
                     member: Member, t: Translator) -> Any:  # fmt: skip
    assert message.photo
    return await _next(message, session, state, member, t, DisburseFlow.confirm,
                       photo=message.photo[-1].file_id)  # fmt: skip


async def buttons_expected(message: Message, session: AsyncSession, state: FSMContext,
                           member: Member, t: Translator) -> Any:  # fmt: skip
    """Typing where a button is asked for (the buttons may never have arrived)."""
    return await show_step(message, session, state, member, t, t("fund-step-use-buttons"))


# --- buttons ---------------------------------------------------------------------------------

# The state each button answers.
STEP_STATES = {
    "goods": (DonationFlow.amount,), "type": (DonationFlow.type,),
    "donor": (DonationFlow.donor,), "project": (DonationFlow.project, DisburseFlow.project),
    "use": (DisburseFlow.use,), "skip": (DisburseFlow.photo,),
    "confirm": (DonationFlow.confirm, DisburseFlow.confirm),
    "edit": (DonationFlow.confirm, DisburseFlow.confirm),
    "cancel": (DonationFlow.confirm, DisburseFlow.confirm),
}  # fmt: skip


async def picked(query: CallbackQuery, callback_data: FundPick, session: AsyncSession,
                 state: FSMContext, member: Member, t: Translator) -> Any:  # fmt: skip
    assert isinstance(query.message, Message)
    message, step, value = query.message, callback_data.step, callback_data.value
    community_id = _community_of_staff(member)
    if community_id is None:
        return query.answer(t("fund-staff-only"), show_alert=True)
    current = await state.get_state()
    if current not in {s.state for s in STEP_STATES.get(step, ())}:
        return query.answer(t("error-stale"), show_alert=True)
    data = await state.get_data()
    try:
        if step == "goods":
            await query.answer()
            return await _next(message, session, state, member, t, DonationFlow.items, True)
        if step == "type":
            kind = DonationType(value)
            if needs_project(kind) and not await live_projects(session, community_id):
                raise InvalidInput("fund-no-live-projects")
            await query.answer()
            return await _next(message, session, state, member, t, DonationFlow.donor, True,
                               type=kind.value)  # fmt: skip
        if step == "donor":
            kind, _, ref = value.partition("-")
            ref_id = int(ref) if ref.isdigit() else 0
            donor = await picked_donor(session, community_id, kind, ref_id, data.get("typed", ""))
            await query.answer()
            return await _next(message, session, state, member, t, DonationFlow.project, True,
                               donor=[kind, ref_id],
                               donor_name=donor.name or t("fund-btn-anonymous"))  # fmt: skip
        if step == "project":
            number = int(value) if value.isdigit() else None
            if number is None and (current == DisburseFlow.project.state
                                   or needs_project(DonationType(data["type"]))):
                raise InvalidInput("error-stale")
            following = (DonationFlow.confirm if current == DonationFlow.project.state
                         else DisburseFlow.payee)  # fmt: skip
            await query.answer()
            return await _next(message, session, state, member, t, following, True,
                               project=number)  # fmt: skip
        if step == "use":
            use = DisbursementUse(value)
            following = DisburseFlow.project if use == DisbursementUse.PROJECT else (
                DisburseFlow.payee)  # fmt: skip
            await query.answer()
            return await _next(message, session, state, member, t, following, True,
                               use=use.value, project=None)  # fmt: skip
        if step == "skip":
            await query.answer()
            return await _next(message, session, state, member, t, DisburseFlow.confirm, True,
                               photo=None)  # fmt: skip
        if step == "edit":  # from the top; each step asks again, what was given stays
            await query.answer()
            first = DonationFlow.amount if current in DonationFlow else DisburseFlow.amount
            return await _next(message, session, state, member, t, first, True)
        if step == "cancel":
            await state.clear()
            await query.answer()
            return message.edit_text(t("fund-flow-cancelled"))
        return await _confirmed(query, session, state, member, t, community_id, data)
    except (ValueError, DomainError) as error:
        text = refusal(t, error) if isinstance(error, DomainError) else t("error-stale")
        return query.answer(text, show_alert=True)


async def _confirmed(query: CallbackQuery, session: AsyncSession, state: FSMContext,
                     member: Member, t: Translator, community_id: int, data: dict[str, Any]
                     ) -> Any:  # fmt: skip
    """Record it; a refusal (say, more than is free to spend) is told and the card stays,
    to change or cancel."""
    assert isinstance(query.message, Message)
    if await state.get_state() == DonationFlow.confirm.state:
        kind, ref = data["donor"]
        donor = await picked_donor(session, community_id, kind, ref, data.get("typed", ""))
        donation = await record_donation(
            session, member, community_id, amount=data["amount"], type=DonationType(data["type"]),
            donor=donor, goods=data.get("goods"), project_number=data.get("project"),
        )  # fmt: skip
        subject = {"kind": "fund-receipt", "id": donation.id}
        done = t("fund-flow-donation-done", number=donation.number)
    else:
        disbursement = await ask_disbursement(
            session, member, community_id, amount=data["amount"],
            use=DisbursementUse(data["use"]), payee=data["payee"],
            project_number=data.get("project"), photo_file_id=data.get("photo"),
        )  # fmt: skip
        subject = {"kind": "fund-disbursement", "id": disbursement.id}
        done = t("fund-flow-disbursement-done", number=disbursement.number)
    await state.clear()
    emit(session, Notice("copy", user_id=member.user.id, args=subject | {"variant": "staff"}))
    await query.answer()
    return query.message.edit_text(done)


def register(router: Router) -> None:
    private = F.chat.type == "private"
    typed = (private, F.text, ~F.text.startswith("/"))
    router.message.register(amount_typed, DonationFlow.amount, *typed)
    router.message.register(amount_typed, DonationFlow.value, *typed)
    router.message.register(amount_typed, DisburseFlow.amount, *typed)
    router.message.register(text_typed, DonationFlow.items, *typed)
    router.message.register(text_typed, DisburseFlow.payee, *typed)
    router.message.register(donor_typed, DonationFlow.donor, *typed)
    router.message.register(photo_sent, DisburseFlow.photo, private, F.photo)
    for step in (DonationFlow.type, DonationFlow.project, DonationFlow.confirm, DisburseFlow.use,
                 DisburseFlow.project, DisburseFlow.photo, DisburseFlow.confirm):
        router.message.register(buttons_expected, step, private, ~F.text.startswith("/"))
    router.callback_query.register(picked, FundPick.filter())
