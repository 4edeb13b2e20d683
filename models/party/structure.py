"""The structure file's `units:`, `departments:` and `party:` keys, applied by name so that
importing the same file twice changes nothing."""

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.party.tables import Department, PartnerUnit
from models.structure import Community

if TYPE_CHECKING:  # the importer calls this module
    from models.importer import ImportReport, StructureSpec


async def apply_party_structure(
    session: AsyncSession, community: Community, spec: "StructureSpec", report: "ImportReport"
) -> None:
    """Create or update the community's partner units and departments, and its party
    settings. Units and departments left out of the file are kept: members, whistles and
    reports refer to them."""
    for unit_spec in spec.units:
        unit = await session.scalar(
            select(PartnerUnit).where(
                PartnerUnit.community_id == community.id, PartnerUnit.name == unit_spec.name
            )
        )
        if unit is None:
            session.add(PartnerUnit(community_id=community.id, name=unit_spec.name,
                                    contacts=list(unit_spec.contacts)))  # fmt: skip
            report.count(report.created, "partner_unit")
        elif unit.contacts != list(unit_spec.contacts):
            unit.contacts = list(unit_spec.contacts)
            report.count(report.updated, "partner_unit")
    for department_spec in spec.departments:
        values = {
            "chat_id": department_spec.chat,
            "contacts": list(department_spec.contacts),
            "response_hours": department_spec.response_hours,
        }
        department = await session.scalar(
            select(Department).where(
                Department.community_id == community.id, Department.name == department_spec.name
            )
        )
        if department is None:
            session.add(Department(community_id=community.id, name=department_spec.name,
                                   **values))  # fmt: skip
            report.count(report.created, "department")
        elif any(getattr(department, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(department, key, value)
            report.count(report.updated, "department")
    if spec.party is not None:
        settings = dict(community.settings or {})
        wanted = spec.party.model_dump()
        if settings.get("party") != wanted:
            settings["party"] = wanted
            community.settings = settings
            report.count(report.updated, "community")
    await session.flush()
