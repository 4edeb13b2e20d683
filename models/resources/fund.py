"""The fund's ledger, donations, disbursements and the supervisory board's approvals.

A disbursement is asked for by staff, approved by K of the board's N members, and paid by the
approval that makes K: the debit, the status change and the approval are one transaction, so
a disbursement is paid once, and never with money that is not free to spend.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.errors import DomainError, InvalidInput, InvalidState, NotAllowed, NotFound
from models.members import Member, Residence, User
from models.notices import Notice, emit
from models.party import MembershipStatus, PartnerUnit, PartyMember
from models.resources.tables import (
    FREE,
    Approval,
    Disbursement,
    DisbursementStatus,
    DisbursementUse,
    Donation,
    DonationType,
    DonorKind,
    FundBalance,
    FundCounter,
    FundEntry,
    Project,
    ProjectStatus,
)
from models.services import Partner, PartnerContact
from models.structure import Community

MAX_AMOUNT = 100_000_000  # fen: ¥1,000,000, more than any one gift or payment here
NAME_MAX = 100  # a donor's or payee's name
GOODS_MAX = 500  # the goods given, listed
DEFAULT_BOARD_NEEDED = 2
ANONYMOUS_NAMES = {"匿名", "anonymous"}
# What staff type for a type or use, in either language.
# The names staff type for each type and use (the values are accepted too).
DONATION_TYPE_NAMES = {
    "定向捐": DonationType.DIRECTED, "爱心捐": DonationType.CARING, "公益捐": DonationType.PUBLIC,
    "带头捐": DonationType.LEADING, "互助捐": DonationType.MUTUAL,
}  # fmt: skip
DONATION_TYPES = DONATION_TYPE_NAMES | {t.value: t for t in DonationType}
USE_NAMES = {
    "救急": DisbursementUse.EMERGENCY, "救难": DisbursementUse.DISASTER,
    "救困": DisbursementUse.HARDSHIP, "扶老": DisbursementUse.ELDERLY,
    "扶孤": DisbursementUse.ORPHANS, "扶持公益": DisbursementUse.PUBLIC_GOOD,
    "奖励": DisbursementUse.AWARD, "项目": DisbursementUse.PROJECT,
}  # fmt: skip
USES = USE_NAMES | {u.value: u for u in DisbursementUse}
AMOUNT = re.compile(r"[0-9]{1,9}(\.[0-9]{1,2})?")


class NotEnoughFree(DomainError):
    message_id = "fund-not-enough"


def parse_amount(text: str) -> int:
    """Yuan as typed (`500`, `12.5`) into fen; zero, negative and absurd amounts refused."""
    text = text.strip().removeprefix("¥").removesuffix("元")
    if not AMOUNT.fullmatch(text):
        raise InvalidInput("fund-amount-bad")
    try:
        fen = int(Decimal(text) * 100)
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise InvalidInput("fund-amount-bad") from error
    if fen <= 0:
        raise InvalidInput("fund-amount-bad")
    if fen > MAX_AMOUNT:
        raise InvalidInput("fund-amount-too-large", most=yuan(MAX_AMOUNT))
    return fen


def clean_text(text: str | None, limit: int, error: str) -> str:
    """Text as typed, its whitespace folded; empty or longer than `limit` is refused."""
    text = " ".join((text or "").split())
    if not text or len(text) > limit:
        raise InvalidInput(error, limit=str(limit))  # a plain number, not 1,000
    return text


def clean_goods(text: str | None) -> str:
    """The goods given, as listed (the guided /donation checks it as typed)."""
    return clean_text(text, GOODS_MAX, "fund-goods-bad")


def clean_payee(text: str | None) -> str:
    """Who is paid (the guided /disburse checks it as typed)."""
    return clean_text(text, NAME_MAX, "fund-payee-bad")


def yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}" if fen >= 0 else f"-{yuan(-fen)}"


# --- the board ---------------------------------------------------------------------------


def fund_settings(community: Community) -> dict[str, Any]:
    return dict((community.settings or {}).get("fund") or {})


def board_of(community: Community) -> list[int]:
    """The supervisory board's Telegram ids."""
    return [int(i) for i in fund_settings(community).get("board", [])]


def approvals_needed(community: Community) -> int:
    board = board_of(community)
    needed = int(fund_settings(community).get("approvals", DEFAULT_BOARD_NEEDED))
    return max(1, min(needed, len(board))) if board else needed


def needs_project(type: DonationType) -> bool:
    """A directed gift (定向捐) is earmarked for a project, so it cannot be recorded without one."""
    return type == DonationType.DIRECTED


def is_treasurer(member: Member, community_id: int) -> bool:
    """Who records donations and asks for disbursements: the community's admins."""
    return member.is_admin_of(community_id)


async def _community(session: AsyncSession, community_id: int) -> Community:
    community = await session.get(Community, community_id)
    if community is None:
        raise NotFound()
    return community


# --- the ledger ---------------------------------------------------------------------------


def _insert(session: AsyncSession) -> Any:
    return pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert


async def _book(
    session: AsyncSession, community_id: int, bucket: int, amount: int, key: str, **refs: Any
) -> None:
    """Append one entry and move its bucket's balance in the same savepoint; a debit that
    would take the bucket below zero changes nothing and raises NotEnoughFree."""
    async with session.begin_nested():
        await session.execute(
            _insert(session)(FundBalance)
            .values(community_id=community_id, bucket=bucket, balance=0)
            .on_conflict_do_nothing()
        )
        moved = await session.execute(
            update(FundBalance)
            .where(FundBalance.community_id == community_id, FundBalance.bucket == bucket,
                   FundBalance.balance + amount >= 0)
            .values(balance=FundBalance.balance + amount)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise NotEnoughFree()
        session.add(FundEntry(community_id=community_id, bucket=bucket, amount=amount, key=key,
                              at=utcnow(), **refs))  # fmt: skip
        await session.flush()


async def balances(session: AsyncSession, community_id: int) -> dict[int, int]:
    rows = await session.execute(
        select(FundBalance.bucket, FundBalance.balance).where(
            FundBalance.community_id == community_id
        )
    )
    return {bucket: balance for bucket, balance in rows.all()}


async def balance_of(session: AsyncSession, community_id: int) -> int:
    return sum((await balances(session, community_id)).values())


async def ledger_sum(session: AsyncSession, community_id: int) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(FundEntry.amount), 0)).where(
            FundEntry.community_id == community_id
        )
    )
    return int(total or 0)


async def next_number(session: AsyncSession, community_id: int, kind: str) -> int:
    await session.execute(
        _insert(session)(FundCounter)
        .values(community_id=community_id, kind=kind, last=0)
        .on_conflict_do_nothing()
    )
    number = await session.scalar(
        update(FundCounter)
        .where(FundCounter.community_id == community_id, FundCounter.kind == kind)
        .values(last=FundCounter.last + 1)
        .returning(FundCounter.last)
    )
    assert number is not None
    return int(number)


# --- projects (the part the fund needs) ------------------------------------------------------


async def project_by_number(session: AsyncSession, community_id: int, number: int) -> Project:
    project = await session.scalar(
        select(Project).where(Project.community_id == community_id, Project.number == number)
    )
    if project is None:
        raise NotFound("fund-project-unknown", number=number)
    return project


# --- donations ----------------------------------------------------------------------------


@dataclass
class Donor:
    kind: DonorKind
    name: str | None
    unit_id: int | None = None
    partner_id: int | None = None
    user_id: int | None = None  # a registered person: the receipt goes to them


async def _confirmed_party_member(session: AsyncSession, community_id: int, user_id: int
                                  ) -> bool:  # fmt: skip
    found = await session.scalar(select(PartyMember.id).where(
        PartyMember.community_id == community_id, PartyMember.user_id == user_id,
        PartyMember.status == MembershipStatus.CONFIRMED).limit(1))  # fmt: skip
    return found is not None


async def search_people(
    session: AsyncSession, community_id: int, words: str, limit: int = 8
) -> list[tuple[User, Residence]]:
    """Registered residents of the community whose name contains the words, or whose room
    or phone is what was typed (staff pick the donor among them)."""
    words = clean_text(words, NAME_MAX, "fund-donor-bad")
    rows = await session.execute(
        select(User, Residence).join(Residence, Residence.user_id == User.id)
        .where(Residence.community_id == community_id,
               User.full_name.contains(words, autoescape=True) | (Residence.room == words)
               | (Residence.phone == words.replace(" ", "")))
        .order_by(User.full_name, User.id).limit(limit)
    )  # fmt: skip
    return [(user, residence) for user, residence in rows.all()]


async def person_donor(session: AsyncSession, community_id: int, user_id: int) -> Donor:
    """A registered resident of the community (a party member when confirmed) as the donor."""
    user = await session.get(User, user_id)
    residence = await session.scalar(select(Residence).where(Residence.user_id == user_id))
    if user is None or residence is None or residence.community_id != community_id:
        raise NotFound()
    kind = (DonorKind.PARTY_MEMBER if await _confirmed_party_member(session, community_id,
                                                                    user.id)
            else DonorKind.RESIDENT)  # fmt: skip
    return Donor(kind, (user.full_name or str(user.telegram_id))[:NAME_MAX], user_id=user.id)


async def organisation_donor(
    session: AsyncSession, community_id: int, kind: DonorKind, organisation_id: int
) -> Donor:
    """A unit (共建单位) or partner of the community as the donor, picked by a button."""
    if kind == DonorKind.UNIT:
        unit = await session.get(PartnerUnit, organisation_id)
        if unit is not None and unit.community_id == community_id:
            return Donor(DonorKind.UNIT, unit.name, unit_id=unit.id)
    elif kind == DonorKind.PARTNER:
        partner = await session.get(Partner, organisation_id)
        if partner is not None and partner.community_id == community_id:
            return Donor(DonorKind.PARTNER, partner.name, partner_id=partner.id)
    raise NotFound()


async def find_donor(session: AsyncSession, community_id: int, name: str) -> Donor:
    """A donor named as staff typed them: a unit or partner of the community by its name,
    anonymous, a confirmed party member or a resident otherwise (named as typed)."""
    name = clean_text(name, NAME_MAX, "fund-donor-bad")
    if name.lower() in ANONYMOUS_NAMES:
        return Donor(DonorKind.ANONYMOUS, None)
    unit = await session.scalar(
        select(PartnerUnit).where(PartnerUnit.community_id == community_id,
                                  PartnerUnit.name == name)
    )
    if unit is not None:
        return Donor(DonorKind.UNIT, unit.name, unit_id=unit.id)
    partner = await session.scalar(
        select(Partner).where(Partner.community_id == community_id, Partner.name == name)
    )
    if partner is not None:
        return Donor(DonorKind.PARTNER, partner.name, partner_id=partner.id)
    member = await session.scalar(
        select(PartyMember.id).join(User, User.id == PartyMember.user_id)
        .where(PartyMember.community_id == community_id, User.full_name == name,
               PartyMember.status == MembershipStatus.CONFIRMED).limit(1)
    )  # fmt: skip
    return Donor(DonorKind.PARTY_MEMBER if member else DonorKind.RESIDENT, name)


async def donor_contacts(session: AsyncSession, donation: Donation) -> list[int]:
    """Who receives the thank-you receipt in private and says whether the donor may be
    named (Telegram ids): the registered person who gave, or the organisation's contacts."""
    if donation.donor_user_id:
        user = await session.get(User, donation.donor_user_id)
        return [user.telegram_id] if user else []
    if donation.unit_id:
        unit = await session.get(PartnerUnit, donation.unit_id)
        return list(unit.contacts) if unit else []
    if donation.partner_id:
        rows = await session.scalars(
            select(User.telegram_id)
            .join(PartnerContact, PartnerContact.user_id == User.id)
            .where(PartnerContact.partner_id == donation.partner_id)
        )
        return list(rows)
    return []


async def record_donation(
    session: AsyncSession,
    member: Member,
    community_id: int,
    *,
    amount: int,
    type: DonationType,
    donor: Donor,
    goods: str | None = None,
    project_number: int | None = None,
    publish_name: bool = False,
) -> Donation:
    if not is_treasurer(member, community_id):
        raise NotAllowed("fund-staff-only")
    if not 0 < amount <= MAX_AMOUNT:
        raise InvalidInput("fund-amount-bad")
    project = None
    if project_number is not None:
        project = await project_by_number(session, community_id, project_number)
        if project.status == ProjectStatus.CANCELLED:
            raise InvalidState("fund-project-closed", number=project.number)
    elif needs_project(type):
        raise InvalidInput("fund-directed-needs-project")
    if goods is not None:
        goods = clean_goods(goods)
    donation = Donation(
        community_id=community_id, number=await next_number(session, community_id, "donation"),
        donor_kind=donor.kind, donor_name=donor.name, unit_id=donor.unit_id,
        partner_id=donor.partner_id, donor_user_id=donor.user_id, type=type, amount=amount,
        goods=goods,
        project_id=project.id if project else None,
        publish_name=publish_name and donor.kind != DonorKind.ANONYMOUS,
        recorded_by_id=member.user.id, at=utcnow(),
    )  # fmt: skip
    session.add(donation)
    await session.flush()
    if goods is None:  # goods are listed at their value but are not money to spend
        await _book(session, community_id, project.id if project else FREE, amount,
                    f"donation:{donation.id}", donation_id=donation.id,
                    by_id=member.user.id)  # fmt: skip
    community = await _community(session, community_id)
    for telegram_id in await donor_contacts(session, donation):
        emit(session, private_card(community, telegram_id, "fund-receipt", donation.id, "donor",
                                   dedup_key=f"fund-receipt:{donation.id}:{telegram_id}"))
    return donation


async def get_donation(session: AsyncSession, donation_id: int) -> Donation:
    donation = await session.get(Donation, donation_id)
    if donation is None:
        raise NotFound()
    return donation


async def donation_by_number(session: AsyncSession, community_id: int, number: int) -> Donation:
    donation = await session.scalar(
        select(Donation).where(Donation.community_id == community_id, Donation.number == number)
    )
    if donation is None:
        raise NotFound("fund-receipt-unknown", number=number)
    return donation


async def set_publish_name(
    session: AsyncSession, member: Member, donation_id: int, publish: bool
) -> Donation:
    """The donor (the person, or an organisation's contact) or staff record whether the name
    may be shown."""
    donation = await get_donation(session, donation_id)
    if not (
        is_treasurer(member, donation.community_id)
        or member.user.telegram_id in await donor_contacts(session, donation)
    ):
        raise NotAllowed("fund-not-your-gift")
    if donation.donor_kind == DonorKind.ANONYMOUS:
        raise InvalidState("fund-anonymous-stays")
    donation.publish_name = publish
    emit(session, Notice("refresh", args={"kind": "fund-receipt", "id": donation.id}))
    return donation


def public_donor(donation: Donation, anonymous: str) -> str:
    """The name shown in public: the donor's where they agreed, else 爱心人士."""
    return donation.donor_name if donation.publish_name and donation.donor_name else anonymous


# --- disbursements ------------------------------------------------------------------------


async def free_to_spend(session: AsyncSession, community_id: int, bucket: int) -> int:
    return (await balances(session, community_id)).get(bucket, 0)


async def ask_disbursement(
    session: AsyncSession,
    member: Member,
    community_id: int,
    *,
    amount: int,
    use: DisbursementUse,
    payee: str,
    project_number: int | None = None,
    photo_file_id: str | None = None,
) -> Disbursement:
    """Staff ask the board to pay; each board member gets a card with an approve button."""
    if not is_treasurer(member, community_id):
        raise NotAllowed("fund-staff-only")
    community = await _community(session, community_id)
    board = board_of(community)
    if not board:
        raise InvalidState("fund-no-board")
    if not 0 < amount <= MAX_AMOUNT:
        raise InvalidInput("fund-amount-bad")
    payee = clean_payee(payee)
    project = None
    if use == DisbursementUse.PROJECT:
        if project_number is None:
            raise InvalidInput("fund-use-needs-project")
        project = await project_by_number(session, community_id, project_number)
    elif project_number is not None:
        raise InvalidInput("fund-project-use-only")
    bucket = project.id if project else FREE
    free = await free_to_spend(session, community_id, bucket)
    if amount > free:
        raise NotEnoughFree(free=yuan(free))
    disbursement = Disbursement(
        community_id=community_id,
        number=await next_number(session, community_id, "disbursement"),
        use=use, project_id=project.id if project else None, payee=payee, amount=amount,
        photo_file_id=photo_file_id, status=DisbursementStatus.PENDING,
        needed=approvals_needed(community), requested_by_id=member.user.id,
        requested_at=utcnow(),
    )  # fmt: skip
    session.add(disbursement)
    await session.flush()
    for telegram_id in board:  # the receipt photo goes with the card
        emit(session, board_card(community, disbursement, telegram_id,
                                 dedup_key=f"fund-ask:{disbursement.id}:{telegram_id}"))
    return disbursement


def private_card(
    community: Community, telegram_id: int, kind: str, subject_id: int, variant: str, *,
    photo: str | None = None, dedup_key: str | None = None,
) -> Notice:  # fmt: skip
    """A card for someone named by their Telegram id (a board member, a unit's contact, a
    donor): if they never pressed Start, the staff chat gets a pointer that opens it."""
    return Notice("fund-card", chat_id=telegram_id, dedup_key=dedup_key, args={
        "kind": kind, "id": subject_id, "variant": variant, "photo": photo,
        "fallback": community.admin_chat_id})  # fmt: skip


def board_card(community: Community, disbursement: Disbursement, telegram_id: int,
               dedup_key: str | None = None) -> Notice:  # fmt: skip
    """A board member's card of a disbursement, with its receipt photo when it has one."""
    return private_card(community, telegram_id, "fund-disbursement", disbursement.id, "board",
                        photo=disbursement.photo_file_id, dedup_key=dedup_key)


async def get_disbursement(session: AsyncSession, disbursement_id: int) -> Disbursement:
    disbursement = await session.get(Disbursement, disbursement_id)
    if disbursement is None:
        raise NotFound()
    return disbursement


async def approvals_of(session: AsyncSession, disbursement_id: int) -> list[Approval]:
    rows = await session.scalars(
        select(Approval).where(Approval.disbursement_id == disbursement_id).order_by(Approval.id)
    )
    return list(rows)


def _require_pending(disbursement: Disbursement) -> None:
    if disbursement.status == DisbursementStatus.PAID:
        raise InvalidState("fund-already-paid", number=disbursement.number)
    if disbursement.status == DisbursementStatus.WITHDRAWN:
        raise InvalidState("fund-withdrawn", number=disbursement.number)


async def approve(session: AsyncSession, member: Member, disbursement_id: int) -> Disbursement:
    """One board member's approval; the K-th pays. Refused for anyone off the board, twice
    by the same member, and once the disbursement is paid or withdrawn."""
    disbursement = await get_disbursement(session, disbursement_id)
    community = await _community(session, disbursement.community_id)
    if member.user.telegram_id not in board_of(community):
        raise NotAllowed("fund-board-only")
    if member.user.id == disbursement.requested_by_id:
        raise NotAllowed("fund-own-request")  # the one who asks does not approve
    _require_pending(disbursement)
    # One savepoint: an approval that cannot pay (not enough money) leaves no trace.
    try:
        async with session.begin_nested():
            session.add(Approval(disbursement_id=disbursement.id, user_id=member.user.id,
                                 at=utcnow()))  # fmt: skip
            await session.flush()
            if len(await approvals_of(session, disbursement.id)) >= disbursement.needed:
                await _pay(session, disbursement, member)
    except IntegrityError as error:
        session.expire(disbursement)
        raise InvalidState("fund-approved-already") from error
    except DomainError:
        session.expire(disbursement)
        raise
    emit(session, Notice("refresh", args={"kind": "fund-disbursement", "id": disbursement.id}))
    return disbursement


async def _pay(session: AsyncSession, disbursement: Disbursement, member: Member) -> None:
    # Compare-and-set: of two approvals that both make K, one pays; the other finds it paid.
    moved = await session.execute(
        update(Disbursement)
        .where(Disbursement.id == disbursement.id,
               Disbursement.status == DisbursementStatus.PENDING)
        .values(status=DisbursementStatus.PAID, closed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidState("fund-already-paid", number=disbursement.number)
    bucket = disbursement.project_id or FREE
    try:
        await _book(session, disbursement.community_id, bucket, -disbursement.amount,
                    f"disbursement:{disbursement.id}", disbursement_id=disbursement.id,
                    by_id=member.user.id)  # fmt: skip
    except NotEnoughFree as error:
        free = await free_to_spend(session, disbursement.community_id, bucket)
        raise NotEnoughFree(free=yuan(free)) from error
    await session.refresh(disbursement)
    if disbursement.requested_by_id:
        emit(session, Notice("message", user_id=disbursement.requested_by_id, args={
            "message": "fund-paid-notice",
            "args": {"number": disbursement.number, "amount": yuan(disbursement.amount),
                     "payee": disbursement.payee}},
            dedup_key=f"fund-paid:{disbursement.id}"))  # fmt: skip


async def board_community(session: AsyncSession, member: Member) -> Community | None:
    """The community whose supervisory board the person sits on, if any."""
    for community in await session.scalars(select(Community).order_by(Community.id)):
        if member.user.telegram_id in board_of(community):
            return community
    return None


async def waiting_for(
    session: AsyncSession, member: Member, community: Community
) -> list[Disbursement]:
    """Pending disbursements this board member has not approved yet (their cards are sent
    again on /fund, e.g. to a member who pressed Start only after they were asked)."""
    approved = select(Approval.disbursement_id).where(Approval.user_id == member.user.id)
    rows = await session.scalars(
        select(Disbursement)
        .where(Disbursement.community_id == community.id,
               Disbursement.status == DisbursementStatus.PENDING,
               Disbursement.requested_by_id != member.user.id,
               Disbursement.id.not_in(approved))
        .order_by(Disbursement.number)
    )  # fmt: skip
    return list(rows)


async def withdraw(session: AsyncSession, member: Member, disbursement_id: int) -> Disbursement:
    disbursement = await get_disbursement(session, disbursement_id)
    if not is_treasurer(member, disbursement.community_id):
        raise NotAllowed("fund-staff-only")
    moved = await session.execute(
        update(Disbursement)
        .where(Disbursement.id == disbursement.id,
               Disbursement.status == DisbursementStatus.PENDING)
        .values(status=DisbursementStatus.WITHDRAWN, closed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    await session.refresh(disbursement)
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        _require_pending(disbursement)
    emit(session, Notice("refresh", args={"kind": "fund-disbursement", "id": disbursement.id}))
    return disbursement


# --- a cancelled project's earmarked money ---------------------------------------------------


async def earmarked_for(session: AsyncSession, project: Project) -> int:
    return await free_to_spend(session, project.community_id, project.id)


def releasable(project: Project, earmarked: int) -> bool:
    """Whether staff are offered to re-designate the project's earmarked money (what
    `redesignate` would move): a cancelled project with money still earmarked for it."""
    return project.status == ProjectStatus.CANCELLED and earmarked > 0


async def redesignate(session: AsyncSession, member: Member, project_id: int) -> int:
    """Staff move what is still earmarked for a cancelled project to general use: two ledger
    entries (out of the project's bucket, into the free one) that name the project and who
    did it, so the auditor sees why the money changed purpose. Returns the amount moved."""
    project = await session.get(Project, project_id)
    if project is None:
        raise NotFound()
    if not is_treasurer(member, project.community_id):
        raise NotAllowed("fund-staff-only")
    if project.status != ProjectStatus.CANCELLED:
        raise InvalidState("fund-redesignate-not-cancelled", number=project.number)
    amount = await earmarked_for(session, project)
    if amount <= 0:
        raise InvalidState("fund-redesignate-nothing", number=project.number)
    refs = {"project_id": project.id, "by_id": member.user.id}
    try:
        async with session.begin_nested():
            await _book(session, project.community_id, project.id, -amount,
                        f"redesignate:{project.id}:out", **refs)  # fmt: skip
            await _book(session, project.community_id, FREE, amount,
                        f"redesignate:{project.id}:in", **refs)  # fmt: skip
    except (IntegrityError, NotEnoughFree) as error:  # done already, or paid out meanwhile
        raise InvalidState("fund-redesignate-nothing", number=project.number) from error
    emit(session, Notice("refresh", args={"kind": "fund-project", "id": project.id}))
    return amount


async def picked_donor(
    session: AsyncSession, community_id: int, kind: str, ref: int, typed: str
) -> Donor:
    """The donor as picked in the guided /donation: a unit or partner by its button, a
    registered person found by search, anonymous, or a name as typed."""
    if kind == "anonymous":
        return Donor(DonorKind.ANONYMOUS, None)
    if kind in (DonorKind.UNIT, DonorKind.PARTNER):
        return await organisation_donor(session, community_id, DonorKind(kind), ref)
    if kind == "person":
        return await person_donor(session, community_id, ref)
    return await find_donor(session, community_id, typed)
