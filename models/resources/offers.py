"""The resources list (共治资源清单) and the units' agreements (共驻共建协议书)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.errors import InvalidInput, NotAllowed
from models.members import Member
from models.party import PartnerUnit
from models.resources.fund import is_treasurer
from models.resources.projects import unit_of_contact
from models.resources.tables import (
    Project,
    Resource,
    ResourceKind,
    TakeUp,
    UnitAgreement,
)
from models.services import Partner
from models.structure import Community

KINDS = {"场地": ResourceKind.SPACE, "人力": ResourceKind.HOURS, "物资": ResourceKind.GOODS,
         "资金": ResourceKind.MONEY} | {k.value: k for k in ResourceKind}  # fmt: skip
REMIND_DAYS = 30


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("fund-date-bad") from None


def _clean(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if not text or len(text) > limit:
        raise InvalidInput("fund-offer-usage")
    return text


async def offer_resource(
    session: AsyncSession, member: Member, community: Community, parts: list[str]
) -> Resource:
    """Staff record an offer naming its unit or partner first; a unit's contact offers for
    their own unit: kind | what | quantity [| until]."""
    unit_id = partner_id = None
    if is_treasurer(member, community.id):
        if len(parts) < 4:
            raise InvalidInput("fund-offer-usage")
        name, parts = " ".join(parts[0].split()), parts[1:]
        unit = await session.scalar(select(PartnerUnit).where(
            PartnerUnit.community_id == community.id, PartnerUnit.name == name))  # fmt: skip
        partner = await session.scalar(select(Partner).where(
            Partner.community_id == community.id, Partner.name == name))  # fmt: skip
        if unit is None and partner is None:
            raise InvalidInput("fund-offerer-unknown", name=name[:50])
        unit_id, partner_id = (unit.id, None) if unit else (None, partner.id if partner else None)
    else:
        unit = await unit_of_contact(session, member, community.id)
        if unit is None:
            raise NotAllowed("fund-offer-contacts-only")
        unit_id = unit.id
    if len(parts) not in (3, 4):
        raise InvalidInput("fund-offer-usage")
    kind = KINDS.get(parts[0].strip())
    if kind is None:
        raise InvalidInput("fund-offer-kind-bad")
    until = parse_date(parts[3]) if len(parts) == 4 else None
    resource = Resource(
        community_id=community.id, unit_id=unit_id, partner_id=partner_id, kind=kind,
        description=_clean(parts[1], 200), quantity=_clean(parts[2], 50),
        available_from=utcnow().date(), available_until=until, offered_by_id=member.user.id,
        created_at=utcnow(),
    )  # fmt: skip
    session.add(resource)
    await session.flush()
    return resource


async def resources_of(session: AsyncSession, community_id: int) -> list[Resource]:
    rows = await session.scalars(
        select(Resource).where(Resource.community_id == community_id).order_by(Resource.id)
    )
    return list(rows)


async def set_agreement(
    session: AsyncSession, member: Member, community: Community, unit_name: str,
    signed: str, ends: str,
) -> UnitAgreement:  # fmt: skip
    if not is_treasurer(member, community.id):
        raise NotAllowed("fund-staff-only")
    name = unit_name.strip()
    unit = await session.scalar(select(PartnerUnit).where(
        PartnerUnit.community_id == community.id, PartnerUnit.name == name))  # fmt: skip
    if unit is None:
        raise InvalidInput("fund-offerer-unknown", name=name[:50])
    signed_on, ends_on = parse_date(signed), parse_date(ends)
    if ends_on <= signed_on:
        raise InvalidInput("fund-agreement-dates")
    agreement = await session.get(UnitAgreement, unit.id)
    if agreement is None:
        agreement = UnitAgreement(unit_id=unit.id, signed_on=signed_on, ends_on=ends_on)
        session.add(agreement)
    else:
        agreement.signed_on, agreement.ends_on = signed_on, ends_on
    await session.flush()
    return agreement


@dataclass
class Lapsing:
    agreement: UnitAgreement
    unit: PartnerUnit


async def lapsing_agreements(session: AsyncSession, community_id: int, today: date
                             ) -> list[Lapsing]:  # fmt: skip
    """Agreements ending within 30 days that staff were not yet reminded of."""
    rows = await session.execute(
        select(UnitAgreement, PartnerUnit)
        .join(PartnerUnit, PartnerUnit.id == UnitAgreement.unit_id)
        .where(PartnerUnit.community_id == community_id,
               UnitAgreement.ends_on <= today + timedelta(days=REMIND_DAYS),
               UnitAgreement.ends_on >= today)
        .order_by(UnitAgreement.ends_on)
    )  # fmt: skip
    return [Lapsing(a, u) for a, u in rows.all() if a.reminded_for != a.ends_on]


@dataclass
class UnitGiving:
    projects: list[Project]
    resources: list[Resource]


async def unit_giving(
    session: AsyncSession, unit_id: int, start: datetime, end: datetime
) -> UnitGiving:
    """A unit's month for its report: the projects it claimed and the resources it offered."""
    projects = await session.scalars(
        select(Project).where(Project.unit_id == unit_id, Project.take_up == TakeUp.CLAIM)
        .order_by(Project.number)
    )  # fmt: skip
    resources = await session.scalars(
        select(Resource).where(Resource.unit_id == unit_id, Resource.created_at >= start,
                               Resource.created_at < end).order_by(Resource.id)
    )  # fmt: skip
    return UnitGiving(list(projects), list(resources))


def giving_lines(t: Any, giving: UnitGiving) -> list[str]:
    """The unit's projects and resources, for its monthly report (`t` renders a catalog id)."""
    lines = []
    if giving.projects:
        lines.append(t("fund-unit-projects", projects="、".join(
            f"{p.number}. {p.title}（{t(f'fund-project-{p.status.value}')}）"
            for p in giving.projects)))  # fmt: skip
    if giving.resources:
        lines.append(t("fund-unit-resources", resources="、".join(
            f"{r.description}（{r.quantity}）" for r in giving.resources)))  # fmt: skip
    return lines
