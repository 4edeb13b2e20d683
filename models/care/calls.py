"""The one-key call (一键呼叫): staff enable it for a household member or a registered
relative; a press alerts the micro-grid at once, and nobody accepting within a few minutes
brings in the grid's workers, then the community's admins."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.care.access import Viewer, open_household
from models.care.tables import Caller, CallStatus, EmergencyCall, Household
from models.checkins import Checkin, CheckinStatus
from models.copies import Subject, refresh
from models.errors import InvalidState, NotAllowed, NotFound
from models.members import Member, Role, RoleAssignment, User
from models.outbox import OutboxMessage
from models.structure import Community, Grid, MicroGrid

ESCALATE_AFTER = timedelta(minutes=3)
TOP_LEVEL = 2  # 0 the micro-grid, 1 its grid's workers, 2 the community's admins
ACTIVE = (CallStatus.OPEN, CallStatus.ACCEPTED)


async def enable_caller(
    session: AsyncSession, viewer: Viewer, household_id: int, telegram_id: int
) -> User:
    """Let a person who has pressed Start in the bot make the call for a household."""
    household = await open_household(session, viewer, household_id, "enable-sos", str(telegram_id))
    user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
    if user is None or not user.private_chat_open:
        raise NotFound("care-sos-unknown-person")
    caller = await session.scalar(select(Caller).where(Caller.user_id == user.id))
    if caller is None:
        session.add(
            Caller(user_id=user.id, household_id=household.id, enabled_by_id=viewer.user_id)
        )
    else:
        caller.household_id, caller.enabled_by_id = household.id, viewer.user_id
    await session.flush()
    return user


async def caller_household(session: AsyncSession, user_id: int) -> Household | None:
    caller = await session.scalar(select(Caller).where(Caller.user_id == user_id))
    return await session.get(Household, caller.household_id) if caller else None


@dataclass(frozen=True)
class Alert:
    """Who is told about a call at one level: people in private, and a staff chat."""

    call: EmergencyCall
    household: Household
    user_ids: list[int]
    chat_id: int | None
    level: int


async def raise_call(session: AsyncSession, member: Member, now: datetime) -> Alert | None:
    """A press of the button: a new call and its first alert, or None when the household's
    call is under way already (a second press alerts nobody again)."""
    household = await caller_household(session, member.user.id)
    if household is None:
        raise NotAllowed("care-sos-not-enabled")
    call = EmergencyCall(
        community_id=household.community_id,
        household_id=household.id,
        caller_id=member.user.id,
        called_at=now,
    )
    try:
        async with session.begin_nested():  # the index lets one active call per household
            session.add(call)
    except IntegrityError:
        return None
    return await alert_for(session, call, household, 0)


async def active_call(session: AsyncSession, user_id: int) -> EmergencyCall | None:
    household = await caller_household(session, user_id)
    if household is None:
        return None
    return await session.scalar(
        select(EmergencyCall).where(
            EmergencyCall.household_id == household.id, EmergencyCall.status.in_(ACTIVE)
        )
    )


async def _holders(session: AsyncSession, role: Role, **scope: int) -> list[int]:
    query = select(RoleAssignment.user_id).where(RoleAssignment.role == role)
    for column, value in scope.items():
        query = query.where(getattr(RoleAssignment, column) == value)
    return list(dict.fromkeys(await session.scalars(query.order_by(RoleAssignment.id))))


async def on_duty_volunteers(session: AsyncSession, micro_grid_id: int) -> list[int]:
    """The micro-grid's volunteers checked in for service right now (在岗)."""
    volunteers = await _holders(session, Role.VOLUNTEER, micro_grid_id=micro_grid_id)
    checked_in = set(
        await session.scalars(
            select(Checkin.user_id).where(
                Checkin.status == CheckinStatus.OPEN, Checkin.user_id.in_(volunteers)
            )
        )
    )
    return [v for v in volunteers if v in checked_in]


async def alert_for(
    session: AsyncSession, call: EmergencyCall, household: Household, level: int
) -> Alert:
    micro_grid = await session.get(MicroGrid, household.micro_grid_id)
    assert micro_grid is not None
    if level == 0:
        users = await _holders(session, Role.LEADER, micro_grid_id=micro_grid.id)
        users += await on_duty_volunteers(session, micro_grid.id)
        chat = micro_grid.leaders_chat_id  # a staff chat only, never the residents' group
    elif level == 1:
        users = await _holders(session, Role.GRID_WORKER, grid_id=household.grid_id)
        grid = await session.get(Grid, household.grid_id)
        chat = grid.chat_id if grid else None
    else:
        users = await _holders(session, Role.ADMIN, community_id=household.community_id)
        community = await session.get(Community, household.community_id)
        chat = community.admin_chat_id if community else None
    users = [u for u in dict.fromkeys(users) if u != call.caller_id]
    return Alert(call, household, users, chat, level)


async def _may_answer(session: AsyncSession, member: Member, call: EmergencyCall) -> bool:
    """The area's staff, and the micro-grid's volunteers (the on-duty ones were alerted)."""
    household = await session.get(Household, call.household_id)
    assert household is not None
    return Viewer.of(member).may_see(household) or any(
        r.role == Role.VOLUNTEER and r.micro_grid_id == household.micro_grid_id
        for r in member.roles
    )


async def _first_delivery(session: AsyncSession, call: EmergencyCall) -> datetime | None:
    """When Telegram first accepted one of the call's private alerts: the call was seen."""
    return await session.scalar(
        select(func.min(OutboxMessage.sent_at)).where(
            OutboxMessage.dedup_key.like(f"care-call:{call.id}:user:%")
        )
    )


async def get_call(session: AsyncSession, call_id: int) -> EmergencyCall:
    call = await session.get(EmergencyCall, call_id)
    if call is None:
        raise NotFound("care-call-stale")
    return call


async def accept_call(
    session: AsyncSession, member: Member, call_id: int, now: datetime
) -> EmergencyCall:
    """我去处理: the first press is recorded; a later one is told who went."""
    call = await get_call(session, call_id)
    if not await _may_answer(session, member, call):
        raise NotFound("care-call-stale")
    changed = await session.execute(
        update(EmergencyCall)
        .where(EmergencyCall.id == call.id, EmergencyCall.status == CallStatus.OPEN)
        .values(status=CallStatus.ACCEPTED, accepted_by_id=member.user.id, accepted_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(call)
    if call.seen_at is None:
        call.seen_at = await _first_delivery(session, call) or now
    if changed.rowcount != 1:
        if call.status == CallStatus.ACCEPTED and call.accepted_by_id != member.user.id:
            taker = await session.get(User, call.accepted_by_id)
            raise InvalidState("care-call-taken", name=taker.full_name if taker else "-")
        if call.status != CallStatus.ACCEPTED:
            raise InvalidState("care-call-over")
    await session.flush()
    refresh(session, Subject("care-call", call.id))
    return call


async def arrive(
    session: AsyncSession, member: Member, call_id: int, now: datetime
) -> EmergencyCall:
    call = await get_call(session, call_id)
    if call.accepted_by_id != member.user.id:
        raise NotFound("care-call-stale")
    if call.status != CallStatus.ACCEPTED or call.arrived_at is not None:
        raise InvalidState("care-call-over")
    call.arrived_at = now
    await session.flush()
    refresh(session, Subject("care-call", call.id))
    return call


async def close_call(
    session: AsyncSession, member: Member, call_id: int, now: datetime
) -> EmergencyCall:
    """The one who went closes the call when it is dealt with; the caller may cancel a false
    alarm while it is under way."""
    call = await get_call(session, call_id)
    is_caller = call.caller_id == member.user.id
    if not is_caller and call.accepted_by_id != member.user.id:
        raise NotFound("care-call-stale")
    status = CallStatus.CANCELLED if is_caller else CallStatus.CLOSED
    changed = await session.execute(
        update(EmergencyCall)
        .where(EmergencyCall.id == call.id, EmergencyCall.status.in_(ACTIVE))
        .values(status=status, closed_at=now)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise InvalidState("care-call-over")
    await session.refresh(call)
    refresh(session, Subject("care-call", call.id))
    return call


async def unanswered_calls(session: AsyncSession, now: datetime) -> list[int]:
    """Open calls nobody accepted within the wait of their level."""
    calls = await session.scalars(
        select(EmergencyCall)
        .where(EmergencyCall.status == CallStatus.OPEN, EmergencyCall.level < TOP_LEVEL)
        .order_by(EmergencyCall.called_at)
    )
    return [c.id for c in calls if c.called_at + ESCALATE_AFTER * (c.level + 1) <= now]


async def escalate_call(session: AsyncSession, call_id: int) -> Alert | None:
    """Bring in the next level once; None when the call moved on meanwhile."""
    call = await get_call(session, call_id)
    level = call.level
    changed = await session.execute(
        update(EmergencyCall)
        .where(
            EmergencyCall.id == call.id,
            EmergencyCall.status == CallStatus.OPEN,
            EmergencyCall.level == level,
        )
        .values(level=level + 1)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        return None
    await session.refresh(call)
    refresh(session, Subject("care-call", call.id))
    household = await session.get(Household, call.household_id)
    assert household is not None
    return await alert_for(session, call, household, call.level)
