"""SQLite statements of an update run on the event loop's own thread; one that would wait for
another connection's lock goes to SQLite's thread instead, so the loop never waits on a lock."""

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from models.base import create_engine, short_statements


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
