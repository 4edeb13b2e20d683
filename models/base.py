"""Declarative base, shared column types and the engine/session factory."""

import collections
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    Integer,
    MetaData,
    bindparam,
    event,
    select,
    text,
    util,
)
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.types import TypeDecorator
from sqlalchemy.util.concurrency import await_

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Telegram ids exceed 32 bits. SQLite only autoincrements a primary key declared INTEGER.
TelegramId = BigInteger
IdType = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# How far this process's clock is moved from the real one. Only the playground (`make demo`)
# moves it, so that deadlines, escalations and scheduled runs can be shown in minutes.
_clock_offset = timedelta(0)


def utcnow() -> datetime:
    return datetime.now(UTC) + _clock_offset


def clock_offset() -> timedelta:
    return _clock_offset


def set_clock_offset(offset: timedelta) -> None:
    global _clock_offset
    _clock_offset = offset


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


def database_url(url: str) -> str:
    """The async URL for a database gridbot can use; plain `sqlite:///…` and
    `postgresql://…` are accepted too. ValueError says what is wrong with any other."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError(f"{url!r} is not a database URL (e.g. sqlite:///gridbot.db)") from None
    backend = parsed.get_backend_name()
    if backend not in ASYNC_DRIVERS:
        raise ValueError(f"{backend} is not supported: use SQLite or PostgreSQL")
    return parsed.set(drivername=ASYNC_DRIVERS[backend]).render_as_string(hide_password=False)


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    if url.startswith("sqlite"):
        # statements may also run on the event loop's thread (short_statements)
        connect_args = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        engine = create_async_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_async_engine(url, pool_size=10, max_overflow=10, **kwargs)
    event.listen(engine.sync_engine.pool, "connect", _note_return)
    event.listen(engine.sync_engine.pool, "checkin", _note_return)
    dialect = engine.dialect

    def ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get("returned_at")
        if returned is not None and time.monotonic() - returned < IDLE_BEFORE_PING:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:  # the pool takes another connection
            raise DisconnectionError("pooled connection is gone") from error

    event.listen(engine.sync_engine.pool, "checkout", ping_if_idle)
    return engine


# A pooled connection idle for longer than this is pinged before use. One used a moment ago is
# taken as it is: a ping per checkout was a round trip per update, and a connection that died
# meanwhile fails its first statement, which invalidates the pool, and the update is retried.
IDLE_BEFORE_PING = 5.0  # seconds


def _note_return(_dbapi_connection: Any, record: Any) -> None:
    record.info["returned_at"] = time.monotonic()


async def ping(engine: AsyncEngine) -> None:
    """Raise unless the database answers."""
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


BUSY_TIMEOUT_MS = 30_000

# True while every statement run is short (an update being handled): SQLite then runs them on
# the event loop's own thread. Handing a statement to aiosqlite's thread and back cost about
# 100 µs of CPU here, several times what a short statement itself takes.
_on_loop_thread: ContextVar[bool] = ContextVar("sqlite_on_loop_thread", default=False)


@contextmanager
def short_statements() -> Iterator[None]:
    """Within this block, SQLite runs statements without the hand-off to its thread (a
    statement that would wait for another connection's lock still goes there: the loop never
    waits on a lock). Only for work of short statements: a long one would hold up the loop."""
    token = _on_loop_thread.set(True)
    try:
        yield
    finally:
        _on_loop_thread.reset(token)


def _busy(error: sqlite3.OperationalError) -> bool:
    return error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY


def _without_waiting(call: Callable[[], Any]) -> tuple[bool, Any]:
    """(True, what `call` returned) if it ran at once; (False, None) if it would have to wait
    for another connection's lock (nothing was done: SQLite undoes a statement it refuses).
    A connection's busy timeout is 0 between calls (see `_waiting`)."""
    try:
        return True, call()
    except sqlite3.OperationalError as error:
        if _busy(error):
            return False, None
        raise


def _waiting(call: Callable[[sqlite3.Connection], Any]) -> Callable[[sqlite3.Connection], Any]:
    """`call`, run in the connection's thread, waiting up to the busy timeout for another
    connection's lock. The timeout is set only for such a call, so a statement run in place
    needs no change of setting before and after it (two more calls into SQLite each time)."""

    def run(connection: sqlite3.Connection) -> Any:
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        try:
            return call(connection)
        finally:
            connection.execute("PRAGMA busy_timeout=0")

    return run


async def lock_for_writing(session: AsyncSession) -> None:
    """Begin the session's transaction holding SQLite's write lock (waiting for it as long
    as any write may). A transaction that read first is refused its first write at once
    ("database is locked") when another connection committed after that read; one that
    holds the lock from the start cannot be. For a session that reads before it writes
    while others write, as a staff page does (an update writes first: it records itself).
    PostgreSQL locks rows as they are written: nothing to do."""
    if session.bind.dialect.name == "sqlite":
        await session.execute(text("BEGIN IMMEDIATE"))


class _OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """aiosqlite runs each sqlite3 call in its connection's thread, and SQLAlchemy's adapter
    makes four such calls per statement (open the cursor, execute, fetch, close), each a
    hand-off to the thread and back through the event loop. This cursor makes one: the
    statement is opened, run, read and closed in a single call to the thread; or none, within
    `short_statements`."""

    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any) -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = util.EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: Any = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    async def _run(self, run: Callable[[Any], Any], operation: Any, parameters: Any) -> None:
        def statement(connection: sqlite3.Connection) -> tuple[Any, list[Any], int, Any]:
            cursor = connection.cursor()
            try:
                run(cursor)(operation, parameters)
                rows = cursor.fetchall() if cursor.description else []
                return cursor.description, rows, cursor.rowcount, cursor.lastrowid
            finally:
                cursor.close()

        mutex = self._adapt_connection._execute_mutex
        connection = self._connection._conn
        done, outcome = False, None
        if _on_loop_thread.get() and not mutex.locked():
            done, outcome = _without_waiting(lambda: statement(connection))
        if not done:
            async with mutex:
                outcome = await self._connection._execute(_waiting(statement), connection)
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)

    async def _execute_async(self, operation: Any, parameters: Any) -> None:
        await self._run(lambda cursor: cursor.execute, operation, () if parameters is None
                        else parameters)  # fmt: skip

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> None:
        await self._run(lambda cursor: cursor.executemany, operation, seq_of_parameters)

    async def _async_soft_close(self) -> None:
        pass

    def close(self) -> None:
        self._rows.clear()


class _OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = _OneHopCursor

    def _end(self, name: str) -> None:
        """Commit or roll back: on the loop's thread within `short_statements`, unless that
        would wait for a lock."""
        raw = self._connection._connection
        if raw is None:
            return
        if _on_loop_thread.get() and not self._execute_mutex.locked():
            done, _ = _without_waiting(getattr(raw, name))
            if done:
                return
        end = _waiting(lambda connection: getattr(connection, name)())
        try:
            await_(self._connection._execute(end, raw))
        except Exception as error:
            self._handle_exception(error)

    def commit(self) -> None:
        self._end("commit")

    def rollback(self) -> None:
        self._end("rollback")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.__class__ = _OneHopConnection
    # WAL lets readers proceed while one writer commits; the busy timeout queues writers.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=0")  # set for the calls that may wait (`_waiting`)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# session.info key: an object whose `get(session, entity, ident, load)` may answer
# `Session.get` from rows kept between sessions, and `kept(session, entity, ident)` without
# reading anything (the structure cache, models/structure.py).
row_cache = "row-cache"


class PinningSession(Session):
    """Holds on to every object it loaded until it closes. The identity map alone keeps
    objects weakly, so a community or micro-grid that one step of an update loaded and let go
    of was selected again by the next step (several times per update)."""

    def get(self, entity: Any, ident: Any, **options: Any) -> Any:
        # Plain gets only: AsyncSession passes every option, unset ones as None.
        if any(options.values()) or _by_key(entity, ident) is None:
            return super().get(entity, ident, **options)
        cache = self.info.get(row_cache)
        if cache is None:
            return self._load(entity, ident)
        return cache.get(self, entity, ident, self._load)

    def _load(self, entity: Any, ident: Any) -> Any:
        """What `Session.get` does for one integer key, with its select built once per class
        (`Session.get` builds it anew each time): the object this session holds, if it holds
        it unexpired; otherwise the row, selected after an autoflush, as `Session.get`."""
        found = held(self, entity, ident)
        if found is not None:
            return found
        statement = _by_key(entity, ident)
        return self.execute(statement, {"key": ident}).unique().scalar_one_or_none()


def held(session: Session, entity: Any, ident: Any) -> Any:
    """The object of this class and primary key the session holds with nothing expired (what
    `Session.get` returns without reading), or None."""
    present = session.identity_map.get((entity, (ident,), None))
    if present is None or instance_state(present).expired_attributes:
        return None
    return present


_BY_KEY: dict[type, Any] = {}


def _by_key(entity: Any, ident: Any) -> Any:
    """The select of one object of a mapped class by its integer primary key, built once; None
    for any other kind of get."""
    if not isinstance(ident, int) or not isinstance(entity, type):
        return None
    statement = _BY_KEY.get(entity)
    if statement is None and entity not in _BY_KEY:
        mapper = getattr(entity, "__mapper__", None)
        keys = mapper.primary_key if mapper is not None and not mapper.inherits else ()
        statement = _BY_KEY[entity] = (
            select(entity).where(keys[0] == bindparam("key")) if len(keys) == 1 else None
        )
    return statement


@event.listens_for(PinningSession, "loaded_as_persistent")
@event.listens_for(PinningSession, "pending_to_persistent")
@event.listens_for(PinningSession, "detached_to_persistent")
def _pin(session: Session, instance: object) -> None:
    session.info.setdefault("pinned", set()).add(instance)


@event.listens_for(PinningSession, "persistent_to_detached")
@event.listens_for(PinningSession, "persistent_to_deleted")
@event.listens_for(PinningSession, "persistent_to_transient")
def _unpin(session: Session, instance: object) -> None:
    session.info.get("pinned", set()).discard(instance)


class UpdateSession(AsyncSession):
    """The async session of the bot, its jobs and its pages."""

    async def get(self, entity: Any, ident: Any, **options: Any) -> Any:
        """An object this session already holds, or a structure row its process keeps, is
        returned at once, as `Session.get` would return it, without the hand-off to the
        session's greenlet and the ORM's option handling that `AsyncSession.get` takes each
        time (an update asks for the same community, micro-grid and person many times)."""
        if not any(options.values()) and isinstance(ident, int):
            sync_session = self.sync_session
            found = held(sync_session, entity, ident)
            cache = sync_session.info.get(row_cache)
            if found is None and cache is not None:  # a structure row kept by the process
                found = cache.kept(sync_session, entity, ident)
            if found is not None:
                return found
        return await super().get(entity, ident, **options)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=UpdateSession, expire_on_commit=False,
                              sync_session_class=PinningSession)  # fmt: skip
