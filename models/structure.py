"""Community structure: community → grid → micro-grid → building → unit, and known chats."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, IdType, TelegramId, UTCDateTime, utcnow
from models.errors import NotFound


class Community(Base):
    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    admin_chat_id: Mapped[int | None] = mapped_column(TelegramId, index=True)
    # Schedules, point amounts and other per-community knobs; filled with defaults by features.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    grids: Mapped[list["Grid"]] = relationship(back_populates="community", order_by="Grid.id")


class Grid(Base):
    __tablename__ = "grids"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    chat_id: Mapped[int | None] = mapped_column(TelegramId, index=True)

    community: Mapped[Community] = relationship(back_populates="grids")
    micro_grids: Mapped[list["MicroGrid"]] = relationship(
        back_populates="grid", order_by="MicroGrid.id"
    )


class MicroGrid(Base):
    __tablename__ = "micro_grids"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    chat_id: Mapped[int | None] = mapped_column(TelegramId, index=True)
    leaders_chat_id: Mapped[int | None] = mapped_column(TelegramId, index=True)

    grid: Mapped[Grid] = relationship(back_populates="micro_grids")
    buildings: Mapped[list["Building"]] = relationship(
        back_populates="micro_grid", order_by="Building.id"
    )

    @property
    def task_chat_id(self) -> int | None:
        """Where leaders take work: their own chat, or the residents' group by default."""
        return self.leaders_chat_id or self.chat_id


class Building(Base):
    __tablename__ = "buildings"
    __table_args__ = (UniqueConstraint("micro_grid_id", "name"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    micro_grid_id: Mapped[int] = mapped_column(ForeignKey("micro_grids.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))

    micro_grid: Mapped[MicroGrid] = relationship(back_populates="buildings")
    units: Mapped[list["Unit"]] = relationship(back_populates="building", order_by="Unit.id")


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("building_id", "name"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))

    building: Mapped[Building] = relationship(back_populates="units")


class Chat(Base):
    """A Telegram chat the bot has been added to, and what it could see there."""

    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(TelegramId, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(255))
    can_read_all: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


# --- queries and changes -------------------------------------------------------------


async def list_communities(session: AsyncSession) -> list[Community]:
    return list((await session.scalars(select(Community).order_by(Community.id))).all())


async def get_community(session: AsyncSession, community_id: int) -> Community:
    community = await session.get(Community, community_id)
    if community is None:
        raise NotFound("error-place-gone")
    return community


async def list_micro_grids(session: AsyncSession, community_id: int) -> list[MicroGrid]:
    query = select(MicroGrid).where(MicroGrid.community_id == community_id).order_by(MicroGrid.id)
    return list((await session.scalars(query)).all())


async def list_buildings(session: AsyncSession, micro_grid_id: int) -> list[Building]:
    query = select(Building).where(Building.micro_grid_id == micro_grid_id).order_by(Building.id)
    return list((await session.scalars(query)).all())


async def list_units(session: AsyncSession, building_id: int) -> list[Unit]:
    query = select(Unit).where(Unit.building_id == building_id).order_by(Unit.id)
    return list((await session.scalars(query)).all())


async def micro_grid_for_chat(session: AsyncSession, chat_id: int) -> MicroGrid | None:
    """The micro-grid whose residents' or leaders' group this chat is."""
    query = (
        select(MicroGrid)
        .where(or_(MicroGrid.chat_id == chat_id, MicroGrid.leaders_chat_id == chat_id))
        .order_by(MicroGrid.chat_id != chat_id)  # a residents' binding wins over a leaders' one
        .limit(1)
    )
    return await session.scalar(query)


async def find_micro_grid(session: AsyncSession, name: str) -> list[MicroGrid]:
    query = select(MicroGrid).where(MicroGrid.name == name.strip()).order_by(MicroGrid.id)
    return list((await session.scalars(query)).all())


async def bind_chat(session: AsyncSession, micro_grid: MicroGrid, chat_id: int) -> MicroGrid | None:
    """Make `chat_id` the residents' group of `micro_grid`.

    Returns the micro-grid the chat was bound to before, if it was another one; that
    binding is released so a chat always belongs to one micro-grid's residents.
    """
    previous = await session.scalar(
        select(MicroGrid).where(MicroGrid.chat_id == chat_id, MicroGrid.id != micro_grid.id)
    )
    if previous is not None:
        previous.chat_id = None
    micro_grid.chat_id = chat_id
    await session.flush()
    return previous


async def remember_chat(
    session: AsyncSession, chat_id: int, chat_type: str, title: str | None, can_read_all: bool
) -> Chat:
    chat = await session.get(Chat, chat_id)
    if chat is None:
        chat = Chat(id=chat_id, type=chat_type, title=title, can_read_all=can_read_all)
        session.add(chat)
    else:
        chat.type, chat.title, chat.can_read_all = chat_type, title, can_read_all
    await session.flush()
    return chat


# --- picking a place step by step (registration) --------------------------------------

PLACE_LEVELS = ("community", "micro_grid", "building", "unit")
_PLACE_TABLES: dict[str, tuple[type[Base], Any]] = {
    "community": (Community, None),
    "micro_grid": (MicroGrid, MicroGrid.community_id),
    "building": (Building, Building.micro_grid_id),
    "unit": (Unit, Unit.building_id),
}


async def place_options(
    session: AsyncSession, level: str, parent_id: int | None
) -> list[tuple[int, str]]:
    """(id, name) of every place at `level` under `parent_id`, in structure order."""
    table, parent_column = _PLACE_TABLES[level]
    query = select(table.id, table.name).order_by(table.id)  # type: ignore[attr-defined]
    if parent_column is not None:
        query = query.where(parent_column == parent_id)
    return [(row.id, row.name) for row in (await session.execute(query)).all()]


async def pick_place(
    session: AsyncSession, level: str, place_id: int, parent_id: int | None
) -> tuple[int, str]:
    """Check that a picked place exists under the expected parent (button data is untrusted)."""
    if level not in _PLACE_TABLES:
        raise NotFound("error-place-gone")
    table, parent_column = _PLACE_TABLES[level]
    place = await session.get(table, place_id)
    if place is None or (
        parent_column is not None and getattr(place, parent_column.key) != parent_id
    ):
        raise NotFound("error-place-gone")
    return place.id, place.name  # type: ignore[attr-defined]
