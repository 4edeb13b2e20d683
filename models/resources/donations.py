"""Donations to the fund: who gave (a unit, a partner, a party member, a resident, or anonymous),
what, and whether their name may be shown; each gift is booked to the ledger and its donor gets
a numbered receipt in private."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from models.members import Member, Residence, User
from models.notices import Notice, emit
from models.party import MembershipStatus, PartnerUnit, PartyMember
from models.resources.fund import (
    MAX_AMOUNT,
    NAME_MAX,
    book,
    clean_text,
    community_of,
    is_treasurer,
    next_number,
    private_card,
    project_by_number,
)
from models.resources.tables import FREE, Donation, DonationType, DonorKind, ProjectStatus
from models.services import Partner, PartnerContact

GOODS_MAX = 500  # the goods given, listed
ANONYMOUS_NAMES = {"匿名", "anonymous"}
# The names staff type for each type (the values are accepted too).
DONATION_TYPE_NAMES = {
    "定向捐": DonationType.DIRECTED, "爱心捐": DonationType.CARING, "公益捐": DonationType.PUBLIC,
    "带头捐": DonationType.LEADING, "互助捐": DonationType.MUTUAL,
}  # fmt: skip
DONATION_TYPES = DONATION_TYPE_NAMES | {t.value: t for t in DonationType}


def clean_goods(text: str | None) -> str:
    """The goods given, as listed (the guided /donation checks it as typed)."""
    return clean_text(text, GOODS_MAX, "fund-goods-bad")


def needs_project(type: DonationType) -> bool:
    """A directed gift (定向捐) is earmarked for a project, so it cannot be recorded without one."""
    return type == DonationType.DIRECTED


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
        await book(session, community_id, project.id if project else FREE, amount,
                    f"donation:{donation.id}", donation_id=donation.id,
                    by_id=member.user.id)  # fmt: skip
    community = await community_of(session, community_id)
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
