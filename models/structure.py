"""Community structure: community → grid → micro-grid → building → unit, and known chats."""

import copy
import secrets
import weakref
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Connection,
    Engine,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
    event,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.orm.attributes import instance_state

from models.base import Base, IdType, TelegramId, UTCDateTime, held, row_cache, utcnow
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


# --- the structure cache ---------------------------------------------------------------
#
# Structure rows (places, their chats, categories) are read by almost every update and change
# only by import, /bind, category edits and the like. Each process keeps the rows it read, per
# database engine, for as long as the structure version stays the same. The version is one
# row, set to a fresh random number by every transaction that writes a structure table (in
# that transaction, before its first such write), and it is read by each update's first
# statement (`models.updates.record_update`), so checking costs no round trip. A row is kept
# only when it was read after that statement and the version was unchanged, so a kept row is
# never older than the version it is kept under. A random number, not a counter: a database
# made anew (tests, the playground) can never repeat a version another process remembers.


class StructureVersion(Base):
    __tablename__ = "structure_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)


VERSION_ROW = 1
# Tables whose writes change the version: the cached ones, and role assignments (who leads or
# serves where is structure too, and a cached answer may depend on it).
STRUCTURE_TABLES: set[Table] = set()
# Mapped classes whose rows are kept (by primary key), and the tables they map.
CACHED_CLASSES: set[type[Base]] = set()


def cache_structure_rows(*classes: type[Base]) -> None:
    """Keep these classes' rows between updates (their writes change the version)."""
    for cls in classes:
        CACHED_CLASSES.add(cls)
        STRUCTURE_TABLES.add(cls.__table__)  # type: ignore[arg-type]


def watch_structure_tables(*tables: Any) -> None:
    """Writes to these tables change the version (their rows are not kept themselves)."""
    STRUCTURE_TABLES.update(getattr(t, "__table__", t) for t in tables)


def new_version() -> int:
    return secrets.randbits(62)


def _bump_statement(dialect: str) -> Any:
    insert = sqlite_insert if dialect == "sqlite" else postgresql_insert
    table = StructureVersion.__table__
    statement = insert(table).values(id=VERSION_ROW)
    return statement.on_conflict_do_update(
        index_elements=[table.c.id], set_={"version": statement.excluded.version}
    )


_BUMP = {dialect: _bump_statement(dialect) for dialect in ("sqlite", "postgresql")}
# connection.info keys, each holding the transaction it is true of: the version was changed
# in it (outside any savepoint, so it holds until that transaction ends); the structure was
# written in it (even if a savepoint was then rolled back).
_BUMPED = "structure-version-bumped"
_WRITTEN = "structure-written"


@event.listens_for(Engine, "before_execute")
def _bump_on_structure_write(
    connection: Connection, clause: Any, _multiparams: Any, _params: Any, _options: Any
) -> None:
    """Any insert, update or delete of a structure table, by the ORM or Core, through any
    session or connection, changes the version in the same transaction: once per
    transaction, or at every write within a savepoint (whose rollback would undo it)."""
    if not getattr(clause, "is_dml", False) or getattr(clause, "table", None) not in (
        STRUCTURE_TABLES
    ):
        return
    transaction = connection.get_transaction()
    if transaction is None or connection.info.get(_BUMPED) is transaction:
        return
    connection.info[_WRITTEN] = transaction
    if not connection.in_nested_transaction():
        connection.info[_BUMPED] = transaction
    connection.execute(_BUMP[connection.dialect.name], {"version": new_version()})


_IdentityKey = tuple[type[Base], tuple[Any, ...], None]


class StructureCache:
    """The structure rows one process read from one database, under one version."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.rows: dict[_IdentityKey, dict[str, Any]] = {}
        self.lists: dict[Any, list[_IdentityKey]] = {}
        self.values: dict[Any, list[Any]] = {}

    def validate(self, version: int) -> None:
        if version != self.version:
            self.rows.clear()
            self.lists.clear()
            self.values.clear()
            self.version = version


_CACHES: "weakref.WeakKeyDictionary[Engine, StructureCache]" = weakref.WeakKeyDictionary()


def _snapshot(instance: Any) -> dict[str, Any]:
    state = instance.__dict__
    return {key: state[key] for key in instance.__mapper__.column_attrs.keys()}


def _attach(session: Session, key: _IdentityKey, values: dict[str, Any]) -> Any:
    """The kept row as a persistent object of the session, as if just loaded (its own copy:
    a change to it is written by the session as usual and never reaches the cache)."""
    # Built as the ORM's loader builds an object for a row (no constructor, no attribute
    # events), and attached by the step of `Session.add` that attaches a detached object,
    # without the save-update cascade (nothing related is loaded): the constructor, its events
    # and the cascade took about three quarters of the time spent here.
    instance = key[0].__mapper__.class_manager.new_instance()
    instance.__dict__.update(
        {k: copy.deepcopy(v) if isinstance(v, dict | list) else v for k, v in values.items()}
    )
    state = instance_state(instance)
    state.key = key
    session._update_impl(state)
    return instance


class UpdateStructure:
    """The structure cache as one update's session uses it: only while the version its first
    statement read is the cache's, and until the update writes the structure itself."""

    def __init__(self, cache: StructureCache, version: int, connection: Connection) -> None:
        self.cache = cache
        self.version = version
        self.connection = connection
        self.transaction = connection.get_transaction()

    @property
    def usable(self) -> bool:
        """In the transaction that read the version, while the cache is of that version and
        the transaction has not written the structure."""
        transaction = self.connection.get_transaction()
        return (
            self.cache.version == self.version
            and transaction is self.transaction
            and self.connection.info.get(_WRITTEN) is not transaction
        )

    def get(self, session: Session, entity: Any, ident: Any, load: Callable[..., Any]) -> Any:
        """`Session.get` for one primary key, from the cache when it has the row."""
        if entity not in CACHED_CLASSES or isinstance(ident, tuple | dict | list):
            return load(entity, ident)
        found = held(session, entity, ident)  # what `Session.get` returns, without its machinery
        if found is None:
            found = self.kept(session, entity, ident)
        if found is not None:
            return found
        instance = load(entity, ident)
        if instance is not None and self.usable and not session.is_modified(instance):
            self.cache.rows[(entity, (ident,), None)] = _snapshot(instance)
        return instance

    def kept(self, session: Session, entity: Any, ident: int) -> Any:
        """The kept row of a cached class as the session's object, when this update may use
        the cache and the session does not hold the object yet; None otherwise. It reads
        nothing, so the async session calls it without a hand-off to its greenlet."""
        key = (entity, (ident,), None)
        if entity not in CACHED_CLASSES or not self.usable or key in session.identity_map:
            return None
        values = self.cache.rows.get(key)
        return None if values is None else _attach(session, key, values)

    def present(self, session: Session, key: _IdentityKey) -> Any:
        instance = session.identity_map.get(key)
        return instance if instance is not None else _attach(session, key, self.cache.rows[key])


def use_structure_cache(session: AsyncSession, version: int | None, connection: Connection) -> None:
    """Let this update's session read structure rows from its process's cache (called by the
    update's first statement with the version it read; None: the database has none yet)."""
    if version is None:
        return
    engine = connection.engine
    cache = _CACHES.get(engine)
    if cache is None:
        cache = _CACHES[engine] = StructureCache()
    cache.validate(version)
    session.info[row_cache] = UpdateStructure(cache, version, connection)


async def cached_structure_query(
    session: AsyncSession, key: Any, query: Any, params: dict[str, Any] | None = None
) -> list[Any]:
    """The rows (of one cached class) `query` selects, from the cache when this update may
    use it; `key` names the query and its parameters (`params`, for a query built once with
    bound parameters)."""
    structure: UpdateStructure | None = session.info.get(row_cache)
    sync_session = session.sync_session
    if (
        structure is None
        or not structure.usable
        or any(type(instance) in CACHED_CLASSES for instance in sync_session.new)
    ):
        return list((await session.scalars(query, params)).all())
    keys = structure.cache.lists.get(key)
    if keys is not None and all(k in structure.cache.rows for k in keys):
        return [structure.present(sync_session, k) for k in keys]
    rows = list((await session.scalars(query, params)).all())
    if structure.usable:
        keys = []
        for instance in rows:
            instance_key = (type(instance), (instance.id,), None)
            keys.append(instance_key)
            if not sync_session.is_modified(instance):
                structure.cache.rows[instance_key] = _snapshot(instance)
        if all(k in structure.cache.rows for k in keys):
            structure.cache.lists[key] = keys
    return rows


async def cached_structure_values(
    session: AsyncSession, key: Any, query: Any, params: dict[str, Any] | None = None
) -> list[Any]:
    """The plain values `query` selects from structure tables (e.g. who leads a micro-grid),
    as tuples when it selects several columns, from the cache when this update may use it;
    `key` names the query and its parameters (`params`, for a query built once with bound
    parameters)."""
    structure: UpdateStructure | None = session.info.get(row_cache)
    if structure is None or not structure.usable:
        return await _values(session, query, params)
    values = structure.cache.values.get(key)
    if values is None:
        values = await _values(session, query, params)
        if structure.usable:
            structure.cache.values[key] = values
    return list(values)


async def _values(session: AsyncSession, query: Any, params: dict[str, Any] | None) -> list[Any]:
    result = await session.execute(query, params)
    if len(query.selected_columns) == 1:
        return list(result.scalars())
    return [tuple(row) for row in result]


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


cache_structure_rows(Community, Grid, MicroGrid, Building, Unit)
