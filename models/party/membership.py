"""Registering as a party member (双报到): a resident asks, a community admin confirms or
declines with a reason, a member may leave the role. Only confirmed members count."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from models.base import utcnow
from models.copies import Subject, refresh
from models.errors import InvalidState, NotAllowed, NotFound
from models.members import (
    Member,
    Role,
    RoleAssignment,
    User,
    become_volunteer,
    load_member,
)
from models.notices import Notice, emit
from models.party.tables import MembershipKind, MembershipStatus, PartnerUnit, PartyMember
from models.requests.workflow import clean_text
from models.structure import Community, MicroGrid, cached_structure_values, watch_structure_tables

REASON_MAX = 300
# Who carries the party badge is read for nearly every card drawn and changes rarely: it is
# kept with the structure rows, and any change to memberships is a change of the structure.
watch_structure_tables(PartyMember)


def message(user_id: int, message_id: str, chat_id: int | None = None, **args: object) -> Notice:
    """A plain private message from the party catalog (see `Notifier` kind "message")."""
    return Notice("message", user_id=user_id, chat_id=chat_id,
                  args={"message": message_id, "args": args})  # fmt: skip


async def list_units(session: AsyncSession, community_id: int) -> list[PartnerUnit]:
    query = (
        select(PartnerUnit).where(PartnerUnit.community_id == community_id).order_by(PartnerUnit.id)
    )
    return list((await session.scalars(query)).all())


async def membership_of(session: AsyncSession, user_id: int) -> PartyMember | None:
    return await session.scalar(select(PartyMember).where(PartyMember.user_id == user_id))


_CONFIRMED = select(PartyMember.user_id).where(
    PartyMember.user_id.in_(bindparam("user_ids", expanding=True)),
    PartyMember.status == MembershipStatus.CONFIRMED,
)


async def confirmed_ids(session: AsyncSession, user_ids: list[int]) -> set[int]:
    """Which of these users are confirmed party members (who carry the badge)."""
    wanted = sorted({user_id for user_id in user_ids if user_id})
    if not wanted:
        return set()
    key = ("party-confirmed", tuple(wanted))
    return set(await cached_structure_values(session, key, _CONFIRMED, {"user_ids": wanted}))


async def community_admins(session: AsyncSession, community_id: int) -> list[User]:
    query = (
        select(User)
        .join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.role == Role.ADMIN, RoleAssignment.community_id == community_id)
        .order_by(User.id)
        .distinct()
    )
    return list((await session.scalars(query)).all())


async def ask_to_join(
    session: AsyncSession, member: Member, kind: MembershipKind, unit_id: int | None
) -> PartyMember:
    """A registered resident asks to be recorded as a party member of their community; every
    admin of the community gets a card to confirm or decline."""
    residence = member.residence
    if residence is None:
        raise NotAllowed("party-register-first")
    if kind == MembershipKind.IN_SERVICE:
        unit = await session.get(PartnerUnit, unit_id or 0)
        if unit is None or unit.community_id != residence.community_id:
            raise NotFound("party-unit-gone")
    else:
        unit_id = None
    existing = await membership_of(session, member.user.id)
    if existing is not None and existing.status in (
        MembershipStatus.PENDING, MembershipStatus.CONFIRMED,
    ):  # fmt: skip
        raise InvalidState(f"party-already-{existing.status.value}")
    fields = {
        "community_id": residence.community_id, "micro_grid_id": residence.micro_grid_id,
        "kind": kind, "unit_id": unit_id, "status": MembershipStatus.PENDING, "reason": None,
        "reviewed_by_id": None, "requested_at": utcnow(), "confirmed_at": None, "left_at": None,
    }  # fmt: skip
    if existing is None:
        existing = PartyMember(user_id=member.user.id, version=0, **fields)
        session.add(existing)
    else:
        for key, value in fields.items():
            setattr(existing, key, value)
        existing.version += 1
    await session.flush()
    community = await session.get(Community, residence.community_id)
    assert community is not None
    admins = await community_admins(session, community.id)
    for admin in admins:
        emit(session, Notice("copy", user_id=admin.id, args={
            "kind": "party-member", "id": existing.id, "variant": "admin"},
            dedup_key=f"party-ask:{existing.id}:{existing.version}:{admin.id}"))  # fmt: skip
    if community.admin_chat_id and not any(a.private_chat_open for a in admins):
        # No admin can be written to privately: a pointer in the staff group, without names.
        emit(session, Notice("message", chat_id=community.admin_chat_id, args={
            "message": "party-admins-pointer", "args": {}},
            dedup_key=f"party-pointer:{existing.id}:{existing.version}"))  # fmt: skip
    return existing


async def show_pending(session: AsyncSession, member: Member) -> int:
    """Send an admin, in private, the cards of the registrations waiting for them (also for an
    admin who could not be written to when they were made); returns how many."""
    waiting = await pending(session, member)
    for membership in waiting:
        emit(session, Notice("copy", user_id=member.user.id, args={
            "kind": "party-member", "id": membership.id, "variant": "admin"}))  # fmt: skip
    return len(waiting)


async def pending(session: AsyncSession, member: Member) -> list[PartyMember]:
    """Registrations waiting in the communities this member is an admin of."""
    communities = [r.community_id for r in member.roles if member.is_admin_of(r.community_id)]
    if not communities and not member.super_admin:
        return []
    query = select(PartyMember).where(PartyMember.status == MembershipStatus.PENDING)
    if not member.super_admin:
        query = query.where(PartyMember.community_id.in_(communities))
    return list((await session.scalars(query.order_by(PartyMember.id).limit(20))).all())


async def _set_status(
    session: AsyncSession, membership: PartyMember, allowed: tuple[MembershipStatus, ...],
    **values: object,
) -> None:  # fmt: skip
    """Compare-and-set on the version: of two admins pressing at once, one wins."""
    if membership.status not in allowed:
        raise InvalidState(f"party-already-{membership.status.value}")
    changes = {"version": membership.version + 1, **values}
    result = await session.execute(
        update(PartyMember)
        .where(PartyMember.id == membership.id, PartyMember.version == membership.version)
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        await session.refresh(membership)
        raise InvalidState(f"party-already-{membership.status.value}")
    for name, value in changes.items():
        set_committed_value(membership, name, value)


async def check_reviewable(
    session: AsyncSession, member: Member, membership_id: int
) -> PartyMember:
    """A registration this admin may confirm or decline now (asked before a reason is)."""
    membership = await session.get(PartyMember, membership_id)
    if membership is None:
        raise NotFound("party-not-found")
    if not member.is_admin_of(membership.community_id):
        raise NotAllowed("party-admins-only")
    if membership.status != MembershipStatus.PENDING:
        raise InvalidState(f"party-already-{membership.status.value}")
    return membership


async def review(
    session: AsyncSession, member: Member, membership_id: int, confirm: bool,
    reason: str | None = None,
) -> PartyMember:  # fmt: skip
    """An admin of the member's community confirms, or declines with a reason."""
    membership = await check_reviewable(session, member, membership_id)
    if confirm:
        await _set_status(session, membership, (MembershipStatus.PENDING,),
                          status=MembershipStatus.CONFIRMED, confirmed_at=utcnow(),
                          reviewed_by_id=member.user.id)  # fmt: skip
        applicant = await session.get(User, membership.user_id)
        assert applicant is not None
        # A party member takes wishes like a volunteer of their micro-grid.
        await become_volunteer(session, await load_member(session, applicant))
        emit(session, message(membership.user_id, "party-notice-confirmed"))
    else:
        cleaned = clean_text(reason, REASON_MAX, "party-reason-empty")
        await _set_status(session, membership, (MembershipStatus.PENDING,),
                          status=MembershipStatus.DECLINED, reason=cleaned,
                          reviewed_by_id=member.user.id)  # fmt: skip
        emit(session, message(membership.user_id, "party-notice-declined", reason=cleaned))
    refresh(session, Subject("party-member", membership.id))
    return membership


async def leave(session: AsyncSession, member: Member) -> PartyMember:
    """A member steps down from the role (or withdraws a request not yet confirmed)."""
    membership = await membership_of(session, member.user.id)
    if membership is None or membership.status not in (
        MembershipStatus.PENDING, MembershipStatus.CONFIRMED,
    ):  # fmt: skip
        raise InvalidState("party-not-a-member")
    await _set_status(session, membership, (MembershipStatus.PENDING, MembershipStatus.CONFIRMED),
                      status=MembershipStatus.LEFT, left_at=utcnow())  # fmt: skip
    refresh(session, Subject("party-member", membership.id))
    return membership


@dataclass
class RosterRow:
    name: str
    kind: MembershipKind
    unit: str | None
    micro_grid: str
    status: MembershipStatus
    since: datetime


async def roster(session: AsyncSession, community_id: int) -> list[RosterRow]:
    """The community's party members and registrations, waiting ones first."""
    rows = (await session.execute(
        select(PartyMember, User.full_name, PartnerUnit.name, MicroGrid.name)
        .join(User, User.id == PartyMember.user_id)
        .join(MicroGrid, MicroGrid.id == PartyMember.micro_grid_id)
        .outerjoin(PartnerUnit, PartnerUnit.id == PartyMember.unit_id)
        .where(PartyMember.community_id == community_id)
        .order_by(PartyMember.status != MembershipStatus.PENDING, PartyMember.id)
    )).all()  # fmt: skip
    return [RosterRow(name or "-", m.kind, unit, micro_grid, m.status,
                      m.confirmed_at or m.requested_at)
            for m, name, unit, micro_grid in rows]  # fmt: skip
