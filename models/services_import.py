"""The structure file's `partners:` key: partners, their contacts and the services they offer,
validated with the rest of the file and applied by natural keys (names)."""

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.members import user_by_telegram_id
from models.services import Partner, PartnerContact, PartnerKind, Service
from models.structure import Community, Grid, MicroGrid

if TYPE_CHECKING:
    from models.importer import FileProblem, ImportReport, StructureSpec

LineOf = Callable[[tuple[Any, ...]], int | None]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ServiceSpec(_Strict):
    name: str = Field(min_length=1, max_length=100)
    category: str = Field(min_length=1, max_length=50)
    price: str = Field(default="公益", min_length=1, max_length=100)  # shown as written
    areas: list[str] = Field(default_factory=list)  # grids or micro-grids; none: everywhere
    weekly_capacity: int | None = Field(default=None, ge=0, le=100_000)
    respond_hours: int = Field(default=24, ge=1, le=24 * 30)
    auto_accept: bool = False


class PartnerSpec(_Strict):
    name: str = Field(min_length=1, max_length=100)
    kind: PartnerKind
    contacts: list[int] = Field(min_length=1)
    agreement_until: date | None = None
    services: list[ServiceSpec] = Field(default_factory=list)


def check_partners(spec: "StructureSpec", line_of: LineOf) -> list["FileProblem"]:
    """Names used twice, and areas that are neither a grid nor a micro-grid of the file."""
    from models.importer import FileProblem

    problems: list[FileProblem] = []
    places = {g.name for g in spec.grids} | {m.name for g in spec.grids for m in g.micro_grids}
    seen: set[str] = set()
    for index, partner in enumerate(spec.partners):
        if partner.name in seen:
            problems.append(FileProblem(line_of(("partners", index, "name")),
                                        f"partner {partner.name!r} appears twice"))  # fmt: skip
        seen.add(partner.name)
        names: set[str] = set()
        for s_index, service in enumerate(partner.services):
            path = ("partners", index, "services", s_index)
            if service.name in names:
                problems.append(FileProblem(line_of((*path, "name")),
                                            f"service {service.name!r} appears twice"))  # fmt: skip
            names.add(service.name)
            for a_index, area in enumerate(service.areas):
                if area not in places:
                    problems.append(FileProblem(
                        line_of((*path, "areas", a_index)),
                        f"area {area!r} is neither a grid nor a micro-grid of the community",
                    ))  # fmt: skip
    return problems


async def apply_partners(
    session: AsyncSession, community: Community, spec: "StructureSpec", report: "ImportReport"
) -> None:
    """Create or update partners, contacts and services; a service gone from the file leaves
    the menu (its open orders finish)."""
    settings = dict(community.settings or {})
    if settings.get("service_star_min_orders") != spec.service_star_min_orders:
        settings["service_star_min_orders"] = spec.service_star_min_orders
        community.settings = settings
    grids = {g.name: g.id for g in (await session.scalars(
        select(Grid).where(Grid.community_id == community.id))).all()}  # fmt: skip
    micro_grids = (
        await session.scalars(select(MicroGrid).where(MicroGrid.community_id == community.id))
    ).all()
    kept: set[int] = set()
    for partner_spec in spec.partners:
        partner = await session.scalar(
            select(Partner).where(
                Partner.community_id == community.id, Partner.name == partner_spec.name
            )
        )
        if partner is None:
            partner = Partner(community_id=community.id, name=partner_spec.name,
                              kind=partner_spec.kind.value)  # fmt: skip
            session.add(partner)
            await session.flush()
            report.count(report.created, "partner")
        partner.kind = partner_spec.kind.value
        if partner.agreement_until != partner_spec.agreement_until:
            partner.agreement_until = partner_spec.agreement_until
            report.count(report.updated, "partner")
        await _apply_contacts(session, partner, partner_spec.contacts)
        for service_spec in partner_spec.services:
            ids: list[int] = []
            for area in service_spec.areas:
                if area in grids:
                    ids += [m.id for m in micro_grids if m.grid_id == grids[area]]
                ids += [m.id for m in micro_grids if m.name == area]
            service = await session.scalar(
                select(Service).where(
                    Service.partner_id == partner.id, Service.name == service_spec.name
                )
            )
            if service is None:
                service = Service(community_id=community.id, partner_id=partner.id,
                                  name=service_spec.name)  # fmt: skip
                session.add(service)
                report.count(report.created, "service")
            values = {
                "category": service_spec.category, "price": service_spec.price,
                "micro_grid_ids": sorted(set(ids)),
                "weekly_capacity": service_spec.weekly_capacity,
                "respond_hours": service_spec.respond_hours,
                "auto_accept": service_spec.auto_accept, "active": True,
            }  # fmt: skip
            for key, value in values.items():
                setattr(service, key, value)
            await session.flush()
            kept.add(service.id)
    gone = await session.scalars(
        select(Service).where(Service.community_id == community.id, Service.active.is_(True))
    )
    for service in gone.all():
        if service.id not in kept:
            service.active = False
            report.count(report.removed, "service")


async def _apply_contacts(session: AsyncSession, partner: Partner, telegram_ids: list[int]) -> None:
    wanted = {(await user_by_telegram_id(session, t)).id for t in telegram_ids}
    existing = (
        await session.scalars(select(PartnerContact).where(PartnerContact.partner_id == partner.id))
    ).all()
    for contact in existing:
        if contact.user_id not in wanted:
            await session.delete(contact)
    for user_id in wanted - {c.user_id for c in existing}:
        session.add(PartnerContact(partner_id=partner.id, user_id=user_id))
