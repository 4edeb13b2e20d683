"""Everything needed to show a request to someone, loaded in one place."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from models.members import User, user_and_residence
from models.party.membership import confirmed_ids
from models.party.wishes import window_of
from models.requests.routing import Route, route_of
from models.requests.tables import Category, Request
from models.requests.workflow import get_request
from models.structure import Building, Unit


@dataclass
class RequestView:
    request: Request
    route: Route
    category: Category | None
    building: Building | None
    resident: User
    claimer: User | None
    unit: Unit | None
    room: str | None
    party_ids: set[int]  # who of the people shown are confirmed party members (badge)
    party_until: datetime | None  # a wish offered to party members first, until then

    @property
    def timezone(self) -> str:
        return self.route.community.timezone


async def load_view(session: AsyncSession, request_id: int) -> RequestView:
    request = await get_request(session, request_id)
    route = await route_of(session, request)
    category = await session.get(Category, request.category_id) if request.category_id else None
    building = await session.get(Building, request.building_id) if request.building_id else None
    resident, residence = await user_and_residence(session, request.resident_id)
    assert resident is not None
    claimer = await session.get(User, request.claimed_by_id) if request.claimed_by_id else None
    unit = await session.get(Unit, residence.unit_id) if residence and residence.unit_id else None
    return RequestView(
        request=request,
        route=route,
        category=category,
        building=building,
        resident=resident,
        claimer=claimer,
        unit=unit,
        room=residence.room if residence else None,
        party_ids=await confirmed_ids(session, [request.claimed_by_id or 0]),
        party_until=await window_of(session, request.id) if request.kind == "wish" else None,
    )
