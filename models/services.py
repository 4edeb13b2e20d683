"""Services from partners (社会力量): residents order (点单), the community's staff accept
(接单), a partner does it (办单), the resident rates it (评单); the results are public (三公开).

Partners are a table of their own with a stable id (other features refer to them). Every
order transition is a compare-and-set on the order's version, so of two contacts pressing
接受 at the same instant exactly one wins, and a stale button changes nothing.
"""

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    JSON,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IdType, UTCDateTime, utcnow
from models.copies import Subject, refresh
from models.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from models.members import Member, Residence, Role, RoleAssignment, User, load_member
from models.notices import Notice, emit
from models.requests import RequestKind
from models.requests.intake import answer_duplicate, submit
from models.structure import Building, Community, Grid, MicroGrid, Unit

TEXT_MAX = 500
WHEN_MAX = 100
REASON_MAX = 300
COMMENT_MAX = 300
STAR_MIN_COMPLETED = 5  # 服务明星 needs at least this many completed orders in the quarter
AGREEMENT_NOTICE = timedelta(days=30)
POOR_RATING = 2
STARS_NAMED = 3


class PartnerKind(enum.StrEnum):
    FIRM = "企业"
    ORGANISATION = "社会组织"
    INDIVIDUAL = "个体"


class OrderStatus(enum.StrEnum):
    WAITING = "waiting"  # past the week's capacity: with staff, queued
    SUBMITTED = "submitted"  # with staff, to be passed on, turned into a request or returned
    PASSED = "passed"  # with the partner, not yet accepted
    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    DONE = "done"  # the partner finished; the resident is asked to rate
    RATED = "rated"
    RETURNED = "returned"  # staff returned it to the resident with a reason
    CONVERTED = "converted"  # turned into an ordinary request


WITH_STAFF = (OrderStatus.WAITING, OrderStatus.SUBMITTED)
WITH_PARTNER = (OrderStatus.ACCEPTED, OrderStatus.SCHEDULED)
COMPLETED = (OrderStatus.DONE, OrderStatus.RATED)
NOT_COUNTED = (OrderStatus.WAITING, OrderStatus.RETURNED, OrderStatus.CONVERTED)


class Partner(Base):
    """A firm, social organisation or craftsperson serving the community under an agreement."""

    __tablename__ = "partners"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    agreement_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PartnerContact(Base):
    """A person who receives and does the partner's orders."""

    __tablename__ = "partner_contacts"
    __table_args__ = (UniqueConstraint("partner_id", "user_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)


class Service(Base):
    __tablename__ = "services"
    __table_args__ = (UniqueConstraint("partner_id", "name"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(50))
    price: Mapped[str] = mapped_column(String(100))
    # Micro-grids served; empty: the whole community.
    micro_grid_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    weekly_capacity: Mapped[int | None] = mapped_column(Integer)
    respond_hours: Mapped[int] = mapped_column(Integer, default=24)
    auto_accept: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)  # gone from the file: off the menu


class ServiceOrderCounter(Base):
    """Hands out order numbers (S-0001) per community."""

    __tablename__ = "service_order_counters"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class ServiceOrder(Base):
    __tablename__ = "service_orders"
    __table_args__ = (
        UniqueConstraint("community_id", "number"),
        Index("ix_service_orders_community_created", "community_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    number: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    micro_grid_id: Mapped[int] = mapped_column(ForeignKey("micro_grids.id"))
    text: Mapped[str] = mapped_column(Text)
    photo_file_id: Mapped[str | None] = mapped_column(String(255))
    preferred_time: Mapped[str | None] = mapped_column(String(WHEN_MAX))
    status: Mapped[OrderStatus] = mapped_column(Enum(OrderStatus, native_enum=False, length=12))
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    passed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    respond_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    late_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # staff told: not accepted
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    appointment: Mapped[str | None] = mapped_column(String(WHEN_MAX))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completion_note: Mapped[str | None] = mapped_column(Text)
    completion_photo_file_id: Mapped[str | None] = mapped_column(String(255))
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)  # the last return or decline reason
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))


class ServiceOrderEvent(Base):
    """The order's trail: who did what, when."""

    __tablename__ = "service_order_events"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_orders.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OrderDisclosure(Base):
    """A resident's name, address and phone shown to a partner's contact: who and when."""

    __tablename__ = "service_order_disclosures"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_orders.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    fields: Mapped[str] = mapped_column(String(50))
    disclosed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- reading ------------------------------------------------------------------------------


def order_label(order: ServiceOrder) -> str:
    return f"S-{order.number:04d}"


def local_today(community: Community, now: datetime) -> date:
    return now.astimezone(ZoneInfo(community.timezone)).date()


def agreement_open(partner: Partner, today: date) -> bool:
    return partner.agreement_until is None or today <= partner.agreement_until


def serves(service: Service, micro_grid_id: int) -> bool:
    return not service.micro_grid_ids or micro_grid_id in service.micro_grid_ids


@dataclass
class MenuItem:
    service: Service
    partner: Partner
    completed: int
    average: float | None


async def _stats(session: AsyncSession, service_ids: list[int]) -> dict[int, tuple[int, float]]:
    """Completed orders and average rating per service."""
    if not service_ids:
        return {}
    rows = await session.execute(
        select(ServiceOrder.service_id, func.count(ServiceOrder.id), func.avg(ServiceOrder.rating))
        .where(ServiceOrder.service_id.in_(service_ids), ServiceOrder.status.in_(COMPLETED))
        .group_by(ServiceOrder.service_id)
    )
    return {row[0]: (row[1], row[2]) for row in rows.all()}


async def menu_for(session: AsyncSession, member: Member, now: datetime) -> list[MenuItem]:
    """The services open to the resident's micro-grid, by category, then by name."""
    residence = member.residence
    if residence is None:
        raise NotAllowed("svc-register-first")
    community = await session.get(Community, residence.community_id)
    assert community is not None
    today = local_today(community, now)
    rows = (
        await session.execute(
            select(Service, Partner)
            .join(Partner, Partner.id == Service.partner_id)
            .where(Service.community_id == residence.community_id, Service.active.is_(True))
            .order_by(Service.category, Service.name, Service.id)
        )
    ).all()
    offered = [
        (service, partner)
        for service, partner in rows
        if agreement_open(partner, today) and serves(service, residence.micro_grid_id)
    ]
    stats = await _stats(session, [service.id for service, _ in offered])
    items = []
    for service, partner in offered:
        completed, average = stats.get(service.id, (0, None))
        items.append(MenuItem(service, partner, completed, average))
    return items


async def get_order(session: AsyncSession, order_id: int) -> ServiceOrder:
    order = await session.get(ServiceOrder, order_id)
    if order is None:
        raise NotFound("svc-order-gone")
    return order


async def find_order(session: AsyncSession, community_id: int, label: str) -> ServiceOrder | None:
    digits = label.strip().upper().removeprefix("S").lstrip("-")
    if not digits.isdigit() or len(digits) > 9:
        return None
    return await session.scalar(
        select(ServiceOrder).where(
            ServiceOrder.community_id == community_id, ServiceOrder.number == int(digits)
        )
    )


async def contact_ids(session: AsyncSession, partner_id: int) -> list[int]:
    query = select(PartnerContact.user_id).where(PartnerContact.partner_id == partner_id)
    return list((await session.scalars(query.order_by(PartnerContact.id))).all())


async def is_contact(session: AsyncSession, member: Member, partner_id: int) -> bool:
    return member.user.id in await contact_ids(session, partner_id)


async def is_staff(session: AsyncSession, member: Member, order: ServiceOrder) -> bool:
    """Admins of the community, and grid workers of the grid the resident lives in."""
    if member.is_admin_of(order.community_id):
        return True
    micro_grid = await session.get(MicroGrid, order.micro_grid_id)
    return micro_grid is not None and member.is_worker_of(micro_grid.grid_id)


@dataclass
class ResidentDetails:
    name: str
    address: str
    phone: str | None


async def resident_details(session: AsyncSession, user_id: int) -> ResidentDetails:
    user = await session.get(User, user_id)
    residence = await session.scalar(select(Residence).where(Residence.user_id == user_id))
    parts: list[str] = []
    if residence is not None:
        micro_grid = await session.get(MicroGrid, residence.micro_grid_id)
        building = await session.get(Building, residence.building_id)
        unit = await session.get(Unit, residence.unit_id) if residence.unit_id else None
        parts = [p.name for p in (micro_grid, building, unit) if p is not None]
        parts += [residence.room] if residence.room else []
    return ResidentDetails(
        name=user.full_name if user and user.full_name else "-",
        address=" ".join(parts) or "-",
        phone=residence.phone if residence else None,
    )


async def events_of(session: AsyncSession, order_id: int) -> list[ServiceOrderEvent]:
    query = select(ServiceOrderEvent).where(ServiceOrderEvent.order_id == order_id)
    return list((await session.scalars(query.order_by(ServiceOrderEvent.id))).all())


async def disclosures_of(session: AsyncSession, order_id: int) -> list[OrderDisclosure]:
    query = select(OrderDisclosure).where(OrderDisclosure.order_id == order_id)
    return list((await session.scalars(query.order_by(OrderDisclosure.id))).all())


# --- changing -----------------------------------------------------------------------------


def _clean(text: str | None, limit: int, empty_error: str) -> str:
    cleaned = "\n".join(line.strip() for line in (text or "").strip().splitlines()).strip()
    if not cleaned:
        raise InvalidInput(empty_error)
    if len(cleaned) > limit:
        raise InvalidInput("svc-text-too-long", max=limit, length=len(cleaned))
    return cleaned


async def _next_number(session: AsyncSession, community_id: int) -> int:
    take = (
        update(ServiceOrderCounter)
        .where(ServiceOrderCounter.community_id == community_id)
        .values(last_number=ServiceOrderCounter.last_number + 1)
        .returning(ServiceOrderCounter.last_number)
    )
    number = (await session.execute(take)).scalar_one_or_none()
    if number is not None:
        return number
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(ServiceOrderCounter)
        .values(community_id=community_id, last_number=0)
        .on_conflict_do_nothing()
    )
    return (await session.execute(take)).scalar_one()


def _record(
    session: AsyncSession, order: ServiceOrder, actor_id: int | None, action: str,
    from_status: str | None, note: str | None = None,
) -> None:  # fmt: skip
    session.add(ServiceOrderEvent(order_id=order.id, actor_id=actor_id, action=action,
                                  from_status=from_status, to_status=order.status.value,
                                  note=note))  # fmt: skip


async def _transition(
    session: AsyncSession, order: ServiceOrder, allowed: tuple[OrderStatus, ...],
    actor_id: int | None, action: str, note: str | None = None, **values: Any,
) -> None:  # fmt: skip
    """Move the order on if it is still in an allowed status at the version read."""
    if order.status not in allowed:
        raise InvalidState("svc-order-moved-on", label=order_label(order))
    before = order.status.value
    changed = await session.execute(
        update(ServiceOrder)
        .where(ServiceOrder.id == order.id, ServiceOrder.version == order.version)
        .values(version=order.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise InvalidState("svc-order-moved-on", label=order_label(order))
    await session.refresh(order)
    _record(session, order, actor_id, action, before, note)
    refresh(session, Subject("svc-order", order.id))


def _tell_resident(session: AsyncSession, order: ServiceOrder, kind: str, **args: Any) -> None:
    emit(session, Notice(kind, user_id=order.resident_id,
                         args={"order_id": order.id, **args},
                         dedup_key=f"{kind}:{order.id}:{order.version}"))  # fmt: skip


async def _to_staff(session: AsyncSession, order: ServiceOrder, why: str, reason: str = "") -> None:
    """The order's card to the community's staff: admins in the staff chat, the grid's workers
    in the grid's chat; whoever has no such chat gets it in private."""
    community = await session.get(Community, order.community_id)
    micro_grid = await session.get(MicroGrid, order.micro_grid_id)
    assert community is not None and micro_grid is not None
    grid = await session.get(Grid, micro_grid.grid_id)
    chats = [c for c in (community.admin_chat_id, grid.chat_id if grid else None) if c]
    args = {"order_id": order.id, "why": why, "reason": reason}
    key = f"svc-staff-card:{order.id}:{order.version}:{why}"
    for chat_id in dict.fromkeys(chats):
        emit(session, Notice("svc-staff-card", chat_id=chat_id, args=args,
                             dedup_key=f"{key}:{chat_id}"))  # fmt: skip
    roles = []
    if community.admin_chat_id is None:
        roles.append(RoleAssignment.role == Role.ADMIN)
    if grid is not None and grid.chat_id is None:
        roles.append(
            (RoleAssignment.role == Role.GRID_WORKER) & (RoleAssignment.grid_id == grid.id)
        )
    if not roles:
        return
    staff = await session.scalars(
        select(RoleAssignment.user_id).where(
            RoleAssignment.community_id == order.community_id, or_(*roles)
        )
    )
    for user_id in dict.fromkeys(staff.all()):
        emit(session, Notice("svc-staff-card", user_id=user_id, args=args,
                             dedup_key=f"{key}:u{user_id}"))  # fmt: skip


async def _to_partner(session: AsyncSession, order: ServiceOrder) -> None:
    for user_id in await contact_ids(session, order.partner_id):
        key = f"svc-partner-card:{order.id}:{order.version}:{user_id}"
        emit(session, Notice("svc-partner-card", user_id=user_id, args={"order_id": order.id},
                             dedup_key=key))  # fmt: skip


async def _week_start(community: Community, now: datetime) -> datetime:
    zone = ZoneInfo(community.timezone)
    today = now.astimezone(zone).date()
    return datetime.combine(today - timedelta(days=today.weekday()), time(), zone)


async def orderable(
    session: AsyncSession, member: Member, service_id: int, now: datetime, lock: bool = False
) -> Service:
    """The service, if the member may order it now: registered, in an area it serves, on
    the menu under an agreement still running."""
    residence = member.residence
    if residence is None:
        raise NotAllowed("svc-register-first")
    service = await session.get(Service, service_id, with_for_update=True if lock else None)
    if service is None or service.community_id != residence.community_id or not service.active:
        raise NotFound("svc-service-gone")
    partner = await session.get(Partner, service.partner_id)
    community = await session.get(Community, residence.community_id)
    assert partner is not None and community is not None
    if not agreement_open(partner, local_today(community, now)):
        raise InvalidState("svc-service-gone")
    if not serves(service, residence.micro_grid_id):
        raise NotAllowed("svc-not-your-area", service=service.name)
    return service


async def place_order(
    session: AsyncSession, member: Member, service_id: int, text: str | None,
    photo_file_id: str | None, preferred_time: str | None, now: datetime,
) -> ServiceOrder:  # fmt: skip
    """点单. Past the week's capacity the order is kept as waiting; with auto_accept it goes
    straight to the partner."""
    # Lock the service so two last-slot orders cannot both pass the count.
    service = await orderable(session, member, service_id, now, lock=True)
    residence, community = member.residence, await session.get(Community, service.community_id)
    assert residence is not None and community is not None
    cleaned = _clean(text, TEXT_MAX, "svc-text-empty")
    when = _clean(preferred_time, WHEN_MAX, "svc-text-empty") if preferred_time else None
    status = OrderStatus.SUBMITTED
    if service.weekly_capacity is not None:
        taken = await session.scalar(
            select(func.count(ServiceOrder.id)).where(
                ServiceOrder.service_id == service.id,
                ServiceOrder.created_at >= await _week_start(community, now),
                ServiceOrder.status.not_in(NOT_COUNTED),
            )
        )
        if (taken or 0) >= service.weekly_capacity:
            status = OrderStatus.WAITING
    order = ServiceOrder(
        community_id=community.id, number=await _next_number(session, community.id),
        service_id=service.id, partner_id=service.partner_id, resident_id=member.user.id,
        micro_grid_id=residence.micro_grid_id, text=cleaned, photo_file_id=photo_file_id,
        preferred_time=when, status=status, version=0, created_at=now,
    )  # fmt: skip
    session.add(order)
    await session.flush()
    _record(session, order, member.user.id, "order", None)
    if service.auto_accept and status == OrderStatus.SUBMITTED:
        await _pass(session, order, service, None, now)
    else:
        await _to_staff(session, order, "new")
    return order


async def _pass(
    session: AsyncSession, order: ServiceOrder, service: Service, actor_id: int | None,
    now: datetime,
) -> None:  # fmt: skip
    await _transition(session, order, WITH_STAFF, actor_id, "pass", status=OrderStatus.PASSED,
                      passed_at=now, respond_deadline=now + timedelta(hours=service.respond_hours),
                      reason=None)  # fmt: skip
    await _to_partner(session, order)
    _tell_resident(session, order, "svc-resident-passed")


async def staff_order(session: AsyncSession, member: Member, order_id: int) -> ServiceOrder:
    order = await get_order(session, order_id)
    if not await is_staff(session, member, order):
        raise NotAllowed("svc-staff-only")
    return order


async def pass_to_partner(
    session: AsyncSession, member: Member, order_id: int, now: datetime
) -> ServiceOrder:
    """接单: staff pass the order to the partner."""
    order = await staff_order(session, member, order_id)
    service = await session.get(Service, order.service_id)
    partner = await session.get(Partner, order.partner_id)
    community = await session.get(Community, order.community_id)
    assert service is not None and partner is not None and community is not None
    if not agreement_open(partner, local_today(community, now)) or not service.active:
        raise InvalidState("svc-agreement-over", partner=partner.name)
    await _pass(session, order, service, member.user.id, now)
    return order


async def return_order(
    session: AsyncSession, member: Member, order_id: int, reason: str | None
) -> ServiceOrder:
    """退回: the resident gets the reason."""
    order = await staff_order(session, member, order_id)
    note = _clean(reason, REASON_MAX, "svc-reason-empty")
    await _transition(session, order, WITH_STAFF, member.user.id, "return", note,
                      status=OrderStatus.RETURNED, reason=note)  # fmt: skip
    _tell_resident(session, order, "svc-resident-returned", reason=note)
    return order


async def convert_to_request(
    session: AsyncSession, member: Member, order_id: int
) -> tuple[ServiceOrder, int]:
    """转为诉求: no partner fits, so the need becomes an ordinary request of the resident's,
    routed like any other; returns the order and the request's id."""
    order = await staff_order(session, member, order_id)
    if order.status not in WITH_STAFF:
        raise InvalidState("svc-order-moved-on", label=order_label(order))
    resident = await session.get(User, order.resident_id)
    assert resident is not None
    resident_member = await load_member(session, resident)
    if resident_member.residence is None:
        raise InvalidState("svc-resident-moved")
    service = await session.get(Service, order.service_id)
    assert service is not None
    text = f"{order_label(order)} {service.name}: {order.text}"
    submitted = await submit(session, resident_member, RequestKind.REPORT, text,
                             photo_file_id=order.photo_file_id)  # fmt: skip
    if submitted.duplicate_of is not None:  # staff decided it is a request of its own
        await answer_duplicate(session, resident_member, submitted.request.id,
                               submitted.duplicate_of.id, same=False)  # fmt: skip
    await _transition(session, order, WITH_STAFF, member.user.id, "convert",
                      status=OrderStatus.CONVERTED,
                      request_id=submitted.request.id)  # fmt: skip
    return order, submitted.request.id


async def partner_order(session: AsyncSession, member: Member, order_id: int) -> ServiceOrder:
    order = await get_order(session, order_id)
    if not await is_contact(session, member, order.partner_id):
        raise NotAllowed("svc-partner-only")
    return order


async def accept(
    session: AsyncSession, member: Member, order_id: int, now: datetime
) -> ServiceOrder:
    """接受: exactly one contact wins; only now does the partner see who and where, and
    that is recorded."""
    order = await partner_order(session, member, order_id)
    await _transition(session, order, (OrderStatus.PASSED,), member.user.id, "accept",
                      status=OrderStatus.ACCEPTED, accepted_at=now,
                      accepted_by_id=member.user.id)  # fmt: skip
    details = await resident_details(session, order.resident_id)
    shown = "name,address" + (",phone" if details.phone else "")
    session.add(OrderDisclosure(order_id=order.id, partner_id=order.partner_id,
                                user_id=member.user.id, fields=shown,
                                disclosed_at=now))  # fmt: skip
    partner = await session.get(Partner, order.partner_id)
    assert partner is not None
    _tell_resident(session, order, "svc-resident-accepted", partner=partner.name)
    return order


async def decline(
    session: AsyncSession, member: Member, order_id: int, reason: str | None
) -> ServiceOrder:
    """婉拒: back to staff with the reason."""
    order = await partner_order(session, member, order_id)
    note = _clean(reason, REASON_MAX, "svc-reason-empty")
    await _transition(session, order, (OrderStatus.PASSED,), member.user.id, "decline", note,
                      status=OrderStatus.SUBMITTED, reason=note, respond_deadline=None)  # fmt: skip
    await _to_staff(session, order, "declined", note)
    return order


def require_doer(member: Member, order: ServiceOrder) -> None:
    if order.accepted_by_id is not None and order.accepted_by_id != member.user.id:
        raise NotAllowed("svc-other-contact", label=order_label(order))


async def schedule(
    session: AsyncSession, member: Member, order_id: int, when: str | None
) -> ServiceOrder:
    """预约: the resident is told the time."""
    order = await partner_order(session, member, order_id)
    require_doer(member, order)
    at = _clean(when, WHEN_MAX, "svc-when-empty")
    await _transition(session, order, WITH_PARTNER, member.user.id, "schedule", at,
                      status=OrderStatus.SCHEDULED, appointment=at)  # fmt: skip
    _tell_resident(session, order, "svc-resident-scheduled", when=at)
    return order


async def complete(
    session: AsyncSession, member: Member, order_id: int, note: str | None,
    photo_file_id: str | None, now: datetime,
) -> ServiceOrder:  # fmt: skip
    """完成: the resident is asked to confirm and rate."""
    order = await partner_order(session, member, order_id)
    require_doer(member, order)
    cleaned = _clean(note, TEXT_MAX, "svc-note-empty")
    await _transition(session, order, WITH_PARTNER, member.user.id, "complete", cleaned,
                      status=OrderStatus.DONE, completed_at=now, completion_note=cleaned,
                      completion_photo_file_id=photo_file_id)  # fmt: skip
    _tell_resident(session, order, "svc-resident-rate", note=cleaned)
    return order


async def check_ratable(session: AsyncSession, member: Member, order_id: int) -> ServiceOrder:
    order = await get_order(session, order_id)
    if order.resident_id != member.user.id:
        raise NotAllowed("svc-not-yours")
    if order.status != OrderStatus.DONE:
        raise InvalidState("svc-not-ratable", label=order_label(order))
    return order


async def rate(
    session: AsyncSession, member: Member, order_id: int, stars: int, comment: str | None,
    now: datetime,
) -> ServiceOrder:  # fmt: skip
    """评单: the resident confirms and rates; a poor rating reaches staff for follow-up."""
    order = await check_ratable(session, member, order_id)
    if not 1 <= stars <= 5:
        raise InvalidInput("svc-rating-range")
    cleaned = _clean(comment, COMMENT_MAX, "svc-text-empty") if comment else None
    await _transition(session, order, (OrderStatus.DONE,), member.user.id, "rate",
                      f"{stars}★" + (f" {cleaned}" if cleaned else ""),
                      status=OrderStatus.RATED, rating=stars, rating_comment=cleaned,
                      rated_at=now)  # fmt: skip
    if stars <= POOR_RATING:
        await _to_staff(session, order, "poor", cleaned or "")
    return order


# --- overdue, agreements, 三公开 ------------------------------------------------------------


async def flag_late(session: AsyncSession, now: datetime, limit: int = 200) -> list[int]:
    """Put before staff, once, each order its partner has not accepted within respond_hours;
    returns the orders flagged."""
    late = (
        await session.scalars(
            select(ServiceOrder).where(
                ServiceOrder.status == OrderStatus.PASSED,
                ServiceOrder.respond_deadline < now,
                ServiceOrder.late_at.is_(None),
            ).order_by(ServiceOrder.id).limit(limit)
        )
    ).all()  # fmt: skip
    flagged = []
    for order in late:
        taken = await session.execute(
            update(ServiceOrder)
            .where(ServiceOrder.id == order.id, ServiceOrder.late_at.is_(None))
            .values(late_at=now)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount == 1:  # not flagged by another process meanwhile
            await _to_staff(session, order, "late")
            flagged.append(order.id)
    return flagged


async def unaccepted(session: AsyncSession, community_id: int, now: datetime) -> list[ServiceOrder]:
    """Orders with a partner not accepted within the service's respond_hours."""
    query = select(ServiceOrder).where(
        ServiceOrder.community_id == community_id,
        ServiceOrder.status == OrderStatus.PASSED,
        ServiceOrder.respond_deadline < now,
    )
    return list((await session.scalars(query.order_by(ServiceOrder.number))).all())


async def agreements_ending(
    session: AsyncSession, community: Community, now: datetime
) -> list[Partner]:
    """Partners whose agreement ends within 30 days (and has not ended)."""
    today = local_today(community, now)
    query = select(Partner).where(
        Partner.community_id == community.id,
        Partner.agreement_until >= today,
        Partner.agreement_until <= today + AGREEMENT_NOTICE,
    )
    return list((await session.scalars(query.order_by(Partner.name))).all())


@dataclass
class PartnerResult:
    partner: Partner
    orders: int
    completed: int
    in_time: int  # accepted within respond_hours and completed
    average: float | None
    complaints: int  # ratings of 2 or less


async def partner_results(
    session: AsyncSession, community_id: int, start: datetime, end: datetime
) -> list[PartnerResult]:
    """三公开: per partner, the orders placed in [start, end) and how they went."""
    partners = (
        await session.scalars(
            select(Partner).where(Partner.community_id == community_id).order_by(Partner.name)
        )
    ).all()
    orders = (
        await session.scalars(
            select(ServiceOrder).where(
                ServiceOrder.community_id == community_id,
                ServiceOrder.created_at >= start,
                ServiceOrder.created_at < end,
            )
        )
    ).all()
    results = []
    for partner in partners:
        mine = [o for o in orders if o.partner_id == partner.id]
        done = [o for o in mine if o.status in COMPLETED]
        rated = [o.rating for o in mine if o.rating is not None]
        in_time = [
            o for o in done
            if o.accepted_at and o.respond_deadline and o.accepted_at <= o.respond_deadline
        ]  # fmt: skip
        results.append(PartnerResult(
            partner, len(mine), len(done), len(in_time),
            sum(rated) / len(rated) if rated else None,
            sum(1 for r in rated if r <= POOR_RATING),
        ))  # fmt: skip
    return results


def star_minimum(community: Community) -> int:
    return int((community.settings or {}).get("service_star_min_orders", STAR_MIN_COMPLETED))


async def service_stars(
    session: AsyncSession, community: Community, start: datetime, end: datetime
) -> list[PartnerResult]:
    """服务明星: the best-rated partners with at least N completed orders in the period."""
    minimum = star_minimum(community)
    eligible = [
        r for r in await partner_results(session, community.id, start, end)
        if r.completed >= minimum and r.average is not None
    ]  # fmt: skip
    eligible.sort(key=lambda r: (-(r.average or 0), -r.completed, r.partner.name))
    return eligible[:STARS_NAMED]


@dataclass
class ExportRow:
    order: ServiceOrder
    service: Service
    partner: Partner
    micro_grid: MicroGrid


async def export_rows(
    session: AsyncSession, community_id: int, start: datetime | None, end: datetime | None
) -> list[ExportRow]:
    """Orders for the public record: no resident's name, room or phone."""
    query = (
        select(ServiceOrder, Service, Partner, MicroGrid)
        .join(Service, Service.id == ServiceOrder.service_id)
        .join(Partner, Partner.id == ServiceOrder.partner_id)
        .join(MicroGrid, MicroGrid.id == ServiceOrder.micro_grid_id)
        .where(ServiceOrder.community_id == community_id)
        .order_by(ServiceOrder.number)
    )
    if start is not None:
        query = query.where(ServiceOrder.created_at >= start)
    if end is not None:
        query = query.where(ServiceOrder.created_at < end)
    return [ExportRow(*row) for row in (await session.execute(query)).all()]


async def orders_for_staff(
    session: AsyncSession, community_id: int, micro_grid_ids: set[int] | None,
    status: str, limit: int = 200,
) -> list[ExportRow]:  # fmt: skip
    """The newest orders of the community (of some micro-grids only, unless None), in one
    status or any; what the workbench lists, without who ordered."""
    rows = await export_rows(session, community_id, None, None)
    if micro_grid_ids is not None:
        rows = [row for row in rows if row.order.micro_grid_id in micro_grid_ids]
    if status:
        rows = [row for row in rows if row.order.status.value == status]
    return list(reversed(rows))[:limit]


@dataclass
class MyOrders:
    placed: list[tuple[ServiceOrder, Service]]  # the resident's own, newest first
    to_do: list[tuple[ServiceOrder, Service]]  # open orders of the partners one works for


OPEN_FOR_PARTNER = (OrderStatus.PASSED, OrderStatus.ACCEPTED, OrderStatus.SCHEDULED)


async def my_orders(session: AsyncSession, member: Member, limit: int = 20) -> MyOrders:
    """What /orders shows: one's own orders, and a partner contact's open work."""
    placed = (
        await session.execute(
            select(ServiceOrder, Service)
            .join(Service, Service.id == ServiceOrder.service_id)
            .where(ServiceOrder.resident_id == member.user.id)
            .order_by(ServiceOrder.id.desc())
            .limit(limit)
        )
    ).all()
    partners = select(PartnerContact.partner_id).where(PartnerContact.user_id == member.user.id)
    to_do = (
        await session.execute(
            select(ServiceOrder, Service)
            .join(Service, Service.id == ServiceOrder.service_id)
            .where(
                ServiceOrder.partner_id.in_(partners),
                ServiceOrder.status.in_(OPEN_FOR_PARTNER),
            )
            .order_by(ServiceOrder.id)
            .limit(limit * 5)
        )
    ).all()
    mine_or_free = [
        (order, service) for order, service in to_do
        if order.accepted_by_id in (None, member.user.id)
    ]  # fmt: skip
    return MyOrders([tuple(row) for row in placed], mine_or_free)  # type: ignore[misc]
