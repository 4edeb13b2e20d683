"""SQLite statements of an update run on the event loop's own thread; one that would wait for
another connection's lock goes to SQLite's thread instead, so the loop never waits on a lock."""

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from models.base import create_engine, create_sessionmaker, lock_for_writing, short_statements


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'statements.db'}")

    @event.listens_for(engine.sync_engine, "connect")
    def _thread_function(dbapi_connection: object, _record: object) -> None:
        # the thread a statement runs on, as SQL can see it
        dbapi_connection.create_function("thread_id", 0, threading.get_ident)  # type: ignore[attr-defined]

    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE notes (body TEXT)"))
    yield engine
    await engine.dispose()


async def _thread_of_statements(engine: AsyncEngine) -> int:
    async with engine.begin() as connection:
        return (await connection.execute(text("SELECT thread_id()"))).scalar_one()


async def test_short_statements_run_on_the_loops_thread(engine: AsyncEngine) -> None:
    loop_thread = threading.get_ident()
    assert await _thread_of_statements(engine) != loop_thread
    with short_statements():
        assert await _thread_of_statements(engine) == loop_thread
    assert await _thread_of_statements(engine) != loop_thread


async def test_a_write_that_must_wait_for_a_lock_waits_off_the_loop(engine: AsyncEngine) -> None:
    about_to_write = asyncio.Event()

    async def second_writer() -> None:
        with short_statements():
            async with engine.begin() as connection:
                about_to_write.set()
                await connection.execute(text("INSERT INTO notes VALUES ('second')"))

    async with engine.begin() as first:
        await first.execute(text("INSERT INTO notes VALUES ('first')"))  # holds the write lock
        writer = asyncio.create_task(second_writer())
        await about_to_write.wait()
        # Back here only once the second writer is waiting: had it waited on the loop's thread,
        # nothing else would run until SQLite gave up on the lock, and its insert would fail.
        assert not writer.done()
    await writer
    async with engine.connect() as connection:
        rows = (await connection.execute(text("SELECT body FROM notes ORDER BY rowid"))).all()
    assert [body for (body,) in rows] == ["first", "second"]


async def test_a_transaction_that_reads_first_keeps_its_write_once_it_holds_the_lock(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    """A staff page reads, then writes. Without the write lock taken first, a commit by another
    connection in between makes SQLite refuse that write at once; with it, no other connection
    can commit in between, so the write goes through."""
    sessionmaker = create_sessionmaker(engine)
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO notes VALUES ('first')"))

    def write_elsewhere() -> None:  # another process, which will not wait for a lock
        other = sqlite3.connect(tmp_path / "statements.db", timeout=0)
        try:
            other.execute("INSERT INTO notes VALUES ('elsewhere')")
            other.commit()
        finally:
            other.close()

    async with sessionmaker() as session:
        async with session.begin_nested():
            await session.execute(text("SELECT count(*) FROM notes"))
            write_elsewhere()
            with pytest.raises(OperationalError, match="database is locked"):
                await session.execute(text("INSERT INTO notes VALUES ('refused')"))

    async with sessionmaker() as session:
        await lock_for_writing(session)
        async with session.begin_nested():
            assert (await session.scalar(text("SELECT count(*) FROM notes"))) == 2
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                write_elsewhere()
            await session.execute(text("INSERT INTO notes VALUES ('kept')"))
        await session.commit()
    async with engine.connect() as connection:
        notes = (await connection.scalars(text("SELECT body FROM notes"))).all()
    assert notes == ["first", "elsewhere", "kept"]
