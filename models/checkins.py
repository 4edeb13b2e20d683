"""Volunteer service: activities with sign-up, and check-ins stamped by a leader."""

import enum
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    func,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm.attributes import set_committed_value

from models.base import Base, IdType, TelegramId, UTCDateTime, utcnow
from models.copies import Subject, refresh
from models.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from models.members import Member, Role, RoleAssignment, get_with_person
from models.notices import Notice, emit
from models.points.ledger import amount_setting, post
from models.points.tables import LedgerReason
from models.structure import Community, MicroGrid, cached_structure_values


class CheckinStatus(enum.StrEnum):
    OPEN = "open"  # checked in, not yet out
    PENDING = "pending"  # waiting for a leader's stamp
    APPROVED = "approved"
    REJECTED = "rejected"


class Activity(Base):
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    micro_grid_id: Mapped[int | None] = mapped_column(ForeignKey("micro_grids.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    points_per_hour: Mapped[int] = mapped_column(Integer, default=0)
    points_per_attendance: Mapped[int] = mapped_column(Integer, default=0)
    slots: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    announce_chat_id: Mapped[int | None] = mapped_column(TelegramId)
    announce_message_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ActivitySignup(Base):
    __tablename__ = "activity_signups"
    __table_args__ = (UniqueConstraint("activity_id", "user_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Checkin(Base):
    __tablename__ = "checkins"
    __table_args__ = (
        # One open check-in per person, also under concurrent presses.
        Index("uq_checkins_one_open", "user_id", unique=True,
              sqlite_where=text("status = 'OPEN'"), postgresql_where=text("status = 'OPEN'")),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    micro_grid_id: Mapped[int | None] = mapped_column(ForeignKey("micro_grids.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    photo_file_id: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[CheckinStatus] = mapped_column(
        Enum(CheckinStatus, native_enum=False, length=10), default=CheckinStatus.OPEN
    )
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes: Mapped[int | None] = mapped_column(Integer)
    points: Mapped[int | None] = mapped_column(Integer)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reject_reason: Mapped[str | None] = mapped_column(Text)


# --- rules --------------------------------------------------------------------------

GRACE = timedelta(minutes=15)
TITLE_MAX = 100
DESCRIPTION_MAX = 500
SLOTS_MAX = 1000
POINTS_MAX = 1000


def _may_organise(member: Member, micro_grid: MicroGrid) -> bool:
    return member.is_leader_of(micro_grid.id) or member.is_admin_of(micro_grid.community_id)


async def pending_reviews_count(session: AsyncSession, member: Member) -> int:
    """Check-ins waiting for this member's stamp: the rule of `_may_organise`, as a query."""
    led = [r.micro_grid_id for r in member.roles if r.role == Role.LEADER and r.micro_grid_id]
    administered = [r.community_id for r in member.roles if r.role == Role.ADMIN]
    area = or_(Checkin.micro_grid_id.in_(led), Checkin.community_id.in_(administered))
    query = select(func.count(Checkin.id)).where(
        Checkin.status == CheckinStatus.PENDING,
        Checkin.user_id != member.user.id,
        Checkin.micro_grid_id.is_not(None),
        true() if member.super_admin else area,
    )
    return await session.scalar(query) or 0


def _clean(text: str | None, limit: int, error: str) -> str:
    cleaned = " ".join((text or "").split())
    if not cleaned or len(cleaned) > limit:
        raise InvalidInput(error, max=limit)
    return cleaned


async def create_activity(
    session: AsyncSession,
    member: Member,
    micro_grid_id: int,
    *,
    title: str,
    place: str,
    starts_at: datetime,
    ends_at: datetime,
    points_per_hour: int,
    points_per_attendance: int,
    slots: int,
) -> Activity:
    micro_grid = await session.get(MicroGrid, micro_grid_id)
    if micro_grid is None:
        raise NotFound("error-place-gone")
    if not _may_organise(member, micro_grid):
        raise NotAllowed("activity-organisers-only")
    if ends_at <= starts_at:
        raise InvalidInput("activity-bad-times")
    if not 1 <= slots <= SLOTS_MAX:
        raise InvalidInput("activity-bad-slots", max=SLOTS_MAX)
    if not (0 <= points_per_hour <= POINTS_MAX and 0 <= points_per_attendance <= POINTS_MAX):
        raise InvalidInput("activity-bad-points", max=POINTS_MAX)
    activity = Activity(
        community_id=micro_grid.community_id, micro_grid_id=micro_grid.id,
        title=_clean(title, TITLE_MAX, "activity-bad-title"),
        place=_clean(place, TITLE_MAX, "activity-bad-title"), starts_at=starts_at,
        ends_at=ends_at, points_per_hour=points_per_hour,
        points_per_attendance=points_per_attendance, slots=slots, created_by_id=member.user.id,
    )  # fmt: skip
    session.add(activity)
    await session.flush()
    if micro_grid.chat_id:
        emit(session, Notice("activity-card", chat_id=micro_grid.chat_id,
                             args={"activity_id": activity.id}))  # fmt: skip
    return activity


async def get_activity(session: AsyncSession, activity_id: int) -> Activity:
    activity = await session.get(Activity, activity_id)
    if activity is None:
        raise NotFound("activity-gone")
    return activity


def _community_of(member: Member) -> int | None:
    if member.residence is not None:
        return member.residence.community_id
    return member.roles[0].community_id if member.roles else None


async def signups_count(session: AsyncSession, activity_id: int) -> int:
    return (
        await session.scalar(select(func.count()).where(ActivitySignup.activity_id == activity_id))
        or 0
    )


async def sign_up(session: AsyncSession, member: Member, activity_id: int, now: datetime) -> int:
    """Sign up within the slots; returns the number signed up so far."""
    # Lock the activity row so two last-slot sign-ups cannot both pass the count.
    activity = await session.get(Activity, activity_id, with_for_update=True)
    if activity is None:
        raise NotFound("activity-gone")
    if _community_of(member) != activity.community_id:
        raise NotAllowed("activity-other-community")
    if now > activity.ends_at:
        raise InvalidState("activity-over")
    existing = await session.scalar(
        select(ActivitySignup.id).where(
            ActivitySignup.activity_id == activity.id, ActivitySignup.user_id == member.user.id
        )
    )
    if existing:
        raise InvalidState("activity-already-signed")
    taken = await signups_count(session, activity.id)
    if taken >= activity.slots:
        raise InvalidState("activity-full", slots=activity.slots)
    session.add(ActivitySignup(activity_id=activity.id, user_id=member.user.id))
    await session.flush()
    refresh(session, Subject("activity", activity.id))  # the announcement shows the count
    return taken + 1


async def open_checkin(session: AsyncSession, user_id: int) -> Checkin | None:
    return await session.scalar(
        select(Checkin).where(Checkin.user_id == user_id, Checkin.status == CheckinStatus.OPEN)
    )


async def check_in(
    session: AsyncSession, member: Member, activity_id: int, now: datetime
) -> Checkin:
    activity = await get_activity(session, activity_id)
    if not activity.starts_at - GRACE <= now <= activity.ends_at + GRACE:
        raise InvalidState("checkin-outside-window", title=activity.title)
    if await open_checkin(session, member.user.id):
        raise InvalidState("checkin-already-open")
    signed = await session.scalar(
        select(ActivitySignup.id).where(
            ActivitySignup.activity_id == activity.id, ActivitySignup.user_id == member.user.id
        )
    )
    if not signed:
        await sign_up(session, member, activity.id, now)  # walk-ins take a free slot
    checkin = Checkin(
        user_id=member.user.id, community_id=activity.community_id,
        micro_grid_id=activity.micro_grid_id, activity_id=activity.id,
        description=activity.title, status=CheckinStatus.OPEN, checked_in_at=now,
    )  # fmt: skip
    try:
        async with session.begin_nested():  # two presses at once: the index lets one in
            session.add(checkin)
    except IntegrityError:
        raise InvalidState("checkin-already-open") from None
    return checkin


async def check_out(session: AsyncSession, member: Member, now: datetime) -> Checkin:
    """Close the open activity check-in; attendance inside the window is stamped at once."""
    checkin = await open_checkin(session, member.user.id)
    if checkin is None or checkin.activity_id is None:
        raise InvalidState("checkout-nothing-open")
    activity = await get_activity(session, checkin.activity_id)
    end = min(now, activity.ends_at + GRACE)
    minutes = max(0, int((end - checkin.checked_in_at).total_seconds() // 60))
    points = activity.points_per_hour * minutes // 60 + activity.points_per_attendance
    changed = await session.execute(
        update(Checkin)
        .where(Checkin.id == checkin.id, Checkin.status == CheckinStatus.OPEN)
        .values(
            status=CheckinStatus.APPROVED,
            checked_out_at=now,
            minutes=minutes,
            points=points,
            reviewed_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise InvalidState("checkout-nothing-open")
    await session.refresh(checkin)
    await _credit(session, checkin, points, activity.title)
    return checkin


async def free_checkin(
    session: AsyncSession, member: Member, description: str | None, photo_file_id: str | None,
    now: datetime,
) -> Checkin:  # fmt: skip
    """Free-form service, waiting for a leader's stamp (签章)."""
    if member.residence is None:
        raise NotAllowed("request-register-first")
    text = _clean(description, DESCRIPTION_MAX, "checkin-describe")
    if await open_checkin(session, member.user.id):
        raise InvalidState("checkin-already-open")
    checkin = Checkin(
        user_id=member.user.id, community_id=member.residence.community_id,
        micro_grid_id=member.residence.micro_grid_id, description=text,
        photo_file_id=photo_file_id, status=CheckinStatus.PENDING, checked_in_at=now,
    )  # fmt: skip
    session.add(checkin)
    await session.flush()
    leaders_query = select(RoleAssignment.user_id).where(
        RoleAssignment.role == Role.LEADER, RoleAssignment.micro_grid_id == checkin.micro_grid_id
    )
    leaders = [
        leader_id
        for leader_id in await cached_structure_values(
            session, ("leaders", checkin.micro_grid_id), leaders_query
        )
        if leader_id != member.user.id
    ]
    micro_grid = await session.get(MicroGrid, checkin.micro_grid_id)
    for leader_id in leaders:
        emit(session, Notice("checkin-review", user_id=leader_id,
                             chat_id=micro_grid.task_chat_id if micro_grid else None,
                             args={"checkin_id": checkin.id}))  # fmt: skip
    return checkin


_CHECKINS = Checkin.__table__
# What it sets comes from the parameters given; Core on the table, built once.
_REVIEW_IF_PENDING = update(_CHECKINS).where(
    _CHECKINS.c.id == bindparam("of_checkin"), _CHECKINS.c.status == CheckinStatus.PENDING
)
_EARNED_FROM_FREE_SERVICE = select(func.coalesce(func.sum(Checkin.points), 0)).where(
    Checkin.user_id == bindparam("volunteer"),
    Checkin.activity_id.is_(None),
    Checkin.status == CheckinStatus.APPROVED,
    Checkin.checked_in_at >= bindparam("since", type_=Checkin.checked_in_at.type),
    Checkin.checked_in_at < bindparam("until", type_=Checkin.checked_in_at.type),
)


async def review_checkin(
    session: AsyncSession, member: Member, checkin_id: int, approve: bool, reason: str | None,
    now: datetime,
) -> Checkin:  # fmt: skip
    checkin = await get_with_person(session, Checkin, checkin_id, Checkin.user_id)
    if checkin is None:
        raise NotFound("checkin-gone")
    micro_grid = await session.get(MicroGrid, checkin.micro_grid_id)
    if micro_grid is None or not _may_organise(member, micro_grid):
        raise NotAllowed("checkin-leaders-only")
    if checkin.user_id == member.user.id:
        raise NotAllowed("checkin-not-own")
    note = None if approve else _clean(reason, DESCRIPTION_MAX, "request-reason-empty")
    points = await _free_service_points(session, checkin, now) if approve else 0
    values = {
        "status": CheckinStatus.APPROVED if approve else CheckinStatus.REJECTED,
        "reviewer_id": member.user.id,
        "reviewed_at": now,
        "reject_reason": note,
        "points": points,
    }
    changed = await session.execute(_REVIEW_IF_PENDING, {**values, "of_checkin": checkin.id})
    if changed.rowcount != 1:
        raise InvalidState("checkin-reviewed-already")
    for name, value in values.items():  # the row now holds exactly these: no need to reload
        set_committed_value(checkin, name, value)
    refresh(session, Subject("checkin", checkin.id))  # every leader's card shows who did it
    if approve:
        await _credit(session, checkin, points, checkin.description)
    else:
        emit(session, Notice("checkin-rejected", user_id=checkin.user_id,
                             args={"what": checkin.description, "reason": note or ""}))  # fmt: skip
    return checkin


async def _free_service_points(session: AsyncSession, checkin: Checkin, now: datetime) -> int:
    """The rule's amount, within what is left of the person's daily cap."""
    community = await session.get(Community, checkin.community_id)
    assert community is not None
    zone = ZoneInfo(community.timezone)
    day_start = datetime.combine(checkin.checked_in_at.astimezone(zone).date(), time(), zone)
    earned_today = await session.scalar(_EARNED_FROM_FREE_SERVICE, {
        "volunteer": checkin.user_id, "since": day_start, "until": day_start + timedelta(days=1),
    })  # fmt: skip
    cap = amount_setting(community, "free_service_daily_cap")
    return max(0, min(amount_setting(community, "free_service"), cap - (earned_today or 0)))


async def _credit(session: AsyncSession, checkin: Checkin, points: int, what: str) -> None:
    if points > 0:
        posted = await post(
            session, community_id=checkin.community_id, user_id=checkin.user_id, amount=points,
            reason=LedgerReason.SERVICE, key=f"checkin:{checkin.id}", ref_type="checkin",
            ref_id=checkin.id, note=what,
        )  # fmt: skip
        balance = posted.balance
    else:
        balance = None
    emit(session, Notice("checkin-approved", user_id=checkin.user_id,
                         args={"what": what, "points": points,
                               "balance": balance if balance is not None else "-"}))  # fmt: skip
