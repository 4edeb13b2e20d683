"""People: Telegram users, where residents live, and the roles members hold."""

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Enum,
    ForeignKey,
    FromClause,
    Select,
    String,
    UniqueConstraint,
    bindparam,
    delete,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, aliased, mapped_column

from models.base import Base, IdType, TelegramId, UTCDateTime, held, utcnow
from models.chat_state import ChatState, remember_state
from models.errors import InvalidInput, NotAllowed, NotFound
from models.structure import Building, Community, MicroGrid, Unit, watch_structure_tables
from models.updates import record_update_and_read

ROOM_MAX_LENGTH = 20


class Role(enum.StrEnum):
    VOLUNTEER = "volunteer"
    LEADER = "leader"
    GRID_WORKER = "grid_worker"
    ADMIN = "admin"
    MERCHANT = "merchant"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(TelegramId, unique=True)
    full_name: Mapped[str] = mapped_column(String(255), default="")
    username: Mapped[str | None] = mapped_column(String(64))
    # The language the person chose with /language; otherwise their Telegram app's language.
    language: Mapped[str | None] = mapped_column(String(8))
    telegram_language: Mapped[str | None] = mapped_column(String(8))
    # A bot may write to a person only after they pressed Start in a private chat.
    private_chat_open: Mapped[bool] = mapped_column(default=False)
    private_blocked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def language_or(self, default: str) -> str:
        return self.language or self.telegram_language or default


class Residence(Base):
    """Where a resident registered. Room and phone are private and never shown in groups."""

    __tablename__ = "residences"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    micro_grid_id: Mapped[int] = mapped_column(ForeignKey("micro_grids.id"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    room: Mapped[str | None] = mapped_column(String(ROOM_MAX_LENGTH))
    phone: Mapped[str | None] = mapped_column(String(32))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RoleAssignment(Base):
    """A role held in a scope: a community, one of its grids or micro-grids, or a merchant."""

    __tablename__ = "role_assignments"
    __table_args__ = (UniqueConstraint("user_id", "role", "scope_key"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"))
    micro_grid_id: Mapped[int | None] = mapped_column(ForeignKey("micro_grids.id"), index=True)
    merchant_id: Mapped[int | None] = mapped_column(ForeignKey("merchants.id"))
    # One string naming the scope, so uniqueness holds although most scope columns are NULL.
    scope_key: Mapped[str] = mapped_column(String(80))
    # "import" rows follow the structure file; "chat" rows were granted in chat.
    source: Mapped[str] = mapped_column(String(10), default="chat")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @staticmethod
    def make_scope_key(
        community_id: int,
        grid_id: int | None = None,
        micro_grid_id: int | None = None,
        merchant_id: int | None = None,
    ) -> str:
        return f"c{community_id}:g{grid_id or ''}:m{micro_grid_id or ''}:s{merchant_id or ''}"


watch_structure_tables(RoleAssignment)


@dataclass
class Member:
    """Who is acting in an update: their user row, residence and roles."""

    user: User
    residence: Residence | None = None
    roles: list[RoleAssignment] = field(default_factory=list)
    super_admin: bool = False

    @property
    def known(self) -> bool:
        return self.super_admin or self.residence is not None or bool(self.roles)

    def has_any_role(self) -> bool:
        return self.super_admin or bool(self.roles)

    def has_role(self, role: Role) -> bool:
        return any(r.role == role for r in self.roles)

    def is_admin_of(self, community_id: int) -> bool:
        return self.super_admin or any(
            r.role == Role.ADMIN and r.community_id == community_id for r in self.roles
        )

    def is_admin_anywhere(self) -> bool:
        return self.super_admin or self.has_role(Role.ADMIN)

    def is_leader_of(self, micro_grid_id: int) -> bool:
        return any(r.role == Role.LEADER and r.micro_grid_id == micro_grid_id for r in self.roles)

    def is_worker_of(self, grid_id: int) -> bool:
        return any(r.role == Role.GRID_WORKER and r.grid_id == grid_id for r in self.roles)

    def merchant_ids(self) -> set[int]:
        return {r.merchant_id for r in self.roles if r.role == Role.MERCHANT and r.merchant_id}


def _keep_fresh(
    user: User,
    full_name: str,
    username: str | None,
    telegram_language: str | None,
    private_chat: bool,
) -> None:
    """Bring the user's Telegram name, language and reachability up to date; attributes
    are set only when they differ, so an unchanged user is not written."""
    for attribute, value in (
        ("full_name", full_name),
        ("username", username),
        ("telegram_language", telegram_language),
    ):
        if getattr(user, attribute) != value:
            setattr(user, attribute, value)
    if private_chat and not user.private_chat_open:
        user.private_chat_open = True
        user.private_blocked = False


async def _flush_if_changed(session: AsyncSession, user: User) -> None:
    if user in session.new or session.is_modified(user):
        await session.flush()


async def touch_user(
    session: AsyncSession,
    telegram_id: int,
    full_name: str,
    username: str | None,
    telegram_language: str | None,
    private_chat: bool,
) -> User:
    """Find or create the user for a Telegram account, keeping name, language and
    reachability fresh (people imported by id are created before they ever write)."""
    user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
    if user is None:
        user = User(telegram_id=telegram_id)
        session.add(user)
    _keep_fresh(user, full_name, username, telegram_language, private_chat)
    await _flush_if_changed(session, user)
    return user


async def residence_of(session: AsyncSession, user_id: int) -> Residence | None:
    """A person's residence. The one the session already holds (the acting member's, read
    with them) is taken without a statement: a user has at most one."""
    if not any(isinstance(instance, Residence) for instance in session.new):
        for instance in session.identity_map.values():
            if isinstance(instance, Residence) and instance.__dict__.get("user_id") == user_id:
                return instance
    return await session.scalar(select(Residence).where(Residence.user_id == user_id))


_USERS_WITH_RESIDENCE = (
    select(User, Residence).outerjoin(Residence, Residence.user_id == User.id)
    .where(User.id.in_(bindparam("user_ids", expanding=True)))
)  # fmt: skip


async def user_and_residence(
    session: AsyncSession, user_id: int
) -> tuple[User | None, Residence | None]:
    """A person and their residence, in one statement (none when the session holds both)."""
    user = held(session.sync_session, User, user_id)
    if user is not None:
        return user, await residence_of(session, user_id)
    row = (await session.execute(_USERS_WITH_RESIDENCE, {"user_ids": [user_id]})).first()
    return (row[0], row[1]) if row is not None else (None, None)


async def get_with_person(session: AsyncSession, entity: Any, ident: int, person_id: Any) -> Any:
    """`session.get(entity, ident)`, bringing the person its column `person_id` names and
    their residence in the same statement: a change that person is told of reads them anyway
    (`load_users`), in a statement of its own."""
    present = held(session.sync_session, entity, ident)
    if present is not None:
        return present
    row = (await session.execute(_with_person(entity, person_id), {"ident": ident})).first()
    return row[0] if row is not None else None


@cache
def _with_person(entity: Any, person_id: Any) -> Select[Any]:
    return (
        select(entity, User, Residence)
        .outerjoin(User, User.id == person_id)
        .outerjoin(Residence, Residence.user_id == User.id)
        .where(entity.id == bindparam("ident"))
    )


async def load_users(session: AsyncSession, user_ids: set[int]) -> None:
    """Bring these users and their residences into the session in one statement (those it
    does not hold yet), so that reading them one by one afterwards costs nothing."""
    missing = [i for i in user_ids if session.identity_map.get((User, (i,), None)) is None]
    if missing:
        (await session.execute(_USERS_WITH_RESIDENCE, {"user_ids": missing})).all()


async def load_member(session: AsyncSession, user: User, super_admin: bool = False) -> Member:
    residence = await session.scalar(select(Residence).where(Residence.user_id == user.id))
    roles = (
        await session.scalars(select(RoleAssignment).where(RoleAssignment.user_id == user.id))
    ).all()
    return Member(user=user, residence=residence, roles=list(roles), super_admin=super_admin)


def _member_rows(taken: FromClause | None) -> Select[Any]:
    """The user, their residence, their roles (a row per role) and the state of their
    conversation in this chat, in one statement; only the bound telegram id and state key
    differ between updates. From `taken` (see `record_update_and_read`) the user is joined to
    it, and a person not yet known gives one row without a user.

    The state row is read for update (`state_row` says why), in a subquery: PostgreSQL locks
    no row on the nullable side of an outer join."""
    locked_state = (
        select(ChatState).where(ChatState.key == bindparam("state_key")).with_for_update()
    )
    state = aliased(ChatState, locked_state.subquery("chat_state"))
    entities = select(User, Residence, RoleAssignment, state)
    is_acting = User.telegram_id == bindparam("telegram_id")
    query = (
        entities.where(is_acting) if taken is None
        else entities.select_from(taken).outerjoin(User, is_acting)
    )  # fmt: skip
    return (
        query.outerjoin(Residence, Residence.user_id == User.id)
        .outerjoin(RoleAssignment, RoleAssignment.user_id == User.id)
        .outerjoin(state, true())
        .order_by(RoleAssignment.id)
    )


@dataclass(frozen=True)
class Acting:
    """Who acts in an update, as Telegram describes them."""

    telegram_id: int
    full_name: str
    username: str | None
    telegram_language: str | None
    private_chat: bool
    super_admin: bool = False
    state_key: str | None = None  # their conversation's state row, read along


async def take_update_as(session: AsyncSession, update_id: int, acting: Acting) -> Member | None:
    """Take the update (`record_update`) and enter the person acting in it: their user row,
    residence, roles and conversation state in one read, made by the same round trip on
    PostgreSQL (`record_update_and_read`), and a write only when the user is new or their
    Telegram details changed. None when another delivery of the update was recorded first.

    Nothing is kept between updates: roles change by import and by grants in chat, in any
    process, and the user row must be read anyway, so reading the roles with it costs no
    round trip and is never stale."""
    params = {"telegram_id": acting.telegram_id, "state_key": acting.state_key}
    rows = await record_update_and_read(session, update_id, _member_rows, params)
    return None if rows is None else await _entered(session, acting, rows)


async def _entered(session: AsyncSession, acting: Acting, rows: Sequence[Any]) -> Member:
    if rows and acting.state_key is not None:
        remember_state(session, acting.state_key, rows[0][3], locked=True)
    if rows and rows[0][0] is not None:
        user, residence = rows[0][0], rows[0][1]
        roles = [role for _user, _residence, role, _state in rows if role is not None]
    else:
        user, residence, roles = User(telegram_id=acting.telegram_id), None, []
        session.add(user)
    _keep_fresh(user, acting.full_name, acting.username, acting.telegram_language,
                acting.private_chat)  # fmt: skip
    await _flush_if_changed(session, user)
    return Member(user=user, residence=residence, roles=roles, super_admin=acting.super_admin)


async def set_language(session: AsyncSession, user: User, language: str) -> None:
    if language not in ("zh", "en"):
        raise InvalidInput()
    user.language = language
    await session.flush()


def clean_room(text: str) -> str:
    room = " ".join(text.split())
    if not room or len(room) > ROOM_MAX_LENGTH:
        raise InvalidInput("error-room-invalid", max=ROOM_MAX_LENGTH)
    return room


async def register_residence(
    session: AsyncSession,
    user: User,
    building_id: int,
    unit_id: int | None,
    room: str | None,
) -> Residence:
    """Register (or move) a resident to a building and unit.

    The ids come from chat buttons, so they are checked against the structure here.
    """
    building = await session.get(Building, building_id)
    if building is None:
        raise NotFound("error-place-gone")
    if unit_id is not None:
        unit = await session.get(Unit, unit_id)
        if unit is None or unit.building_id != building.id:
            raise NotFound("error-place-gone")
    micro_grid = await session.get(MicroGrid, building.micro_grid_id)
    assert micro_grid is not None
    residence = await session.scalar(select(Residence).where(Residence.user_id == user.id))
    if residence is None:
        residence = Residence(user_id=user.id)
        session.add(residence)
    residence.community_id = building.community_id
    residence.micro_grid_id = micro_grid.id
    residence.building_id = building.id
    residence.unit_id = unit_id
    residence.room = clean_room(room) if room else None
    residence.registered_at = utcnow()
    await session.flush()
    return residence


@dataclass
class Address:
    community: str
    micro_grid: str
    building: str
    unit: str | None
    room: str | None


async def describe_residence(session: AsyncSession, residence: Residence) -> Address:

    community = await session.get(Community, residence.community_id)
    micro_grid = await session.get(MicroGrid, residence.micro_grid_id)
    building = await session.get(Building, residence.building_id)
    unit = await session.get(Unit, residence.unit_id) if residence.unit_id else None
    assert community and micro_grid and building
    return Address(
        community=community.name,
        micro_grid=micro_grid.name,
        building=building.name,
        unit=unit.name if unit else None,
        room=residence.room,
    )


async def grant_role(
    session: AsyncSession,
    user: User,
    role: Role,
    community_id: int,
    *,
    grid_id: int | None = None,
    micro_grid_id: int | None = None,
    merchant_id: int | None = None,
    source: str = "chat",
) -> tuple[RoleAssignment, bool]:
    """Give `user` a role in a scope; returns the assignment and whether it is new."""
    scope_key = RoleAssignment.make_scope_key(community_id, grid_id, micro_grid_id, merchant_id)
    existing = await session.scalar(
        select(RoleAssignment).where(
            RoleAssignment.user_id == user.id,
            RoleAssignment.role == role,
            RoleAssignment.scope_key == scope_key,
        )
    )
    if existing is not None:
        return existing, False
    assignment = RoleAssignment(
        user_id=user.id,
        role=role,
        community_id=community_id,
        grid_id=grid_id,
        micro_grid_id=micro_grid_id,
        merchant_id=merchant_id,
        scope_key=scope_key,
        source=source,
    )
    session.add(assignment)
    await session.flush()
    return assignment, True


async def become_volunteer(session: AsyncSession, member: Member) -> tuple[RoleAssignment, bool]:
    """A registered resident signs up as a volunteer of their own micro-grid."""
    if member.residence is None:
        raise NotAllowed("request-register-first")
    micro_grid = await session.get(MicroGrid, member.residence.micro_grid_id)
    assert micro_grid is not None
    return await grant_role(
        session,
        member.user,
        Role.VOLUNTEER,
        micro_grid.community_id,
        grid_id=micro_grid.grid_id,
        micro_grid_id=micro_grid.id,
    )


async def revoke_roles(session: AsyncSession, ids: list[int]) -> None:
    if ids:
        await session.execute(delete(RoleAssignment).where(RoleAssignment.id.in_(ids)))


async def known_user(session: AsyncSession, telegram_id: int) -> User | None:
    """The user for a Telegram id, if they ever wrote to the bot or were named in a structure
    file; None otherwise (a look-up that creates nothing)."""
    return await session.scalar(select(User).where(User.telegram_id == telegram_id))


async def user_by_telegram_id(session: AsyncSession, telegram_id: int) -> User:
    """The user for a Telegram id, created as a placeholder if they never wrote to the bot."""
    user = await known_user(session, telegram_id)
    if user is None:
        user = User(telegram_id=telegram_id)
        session.add(user)
        await session.flush()
    return user
