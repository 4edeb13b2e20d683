"""Telegram update ids already handled, so a redelivered update is processed once.

An update is recorded at the start of the transaction in which its handler makes its
changes: when that transaction commits, the update is done; when it rolls back, a redelivery
does it again, and a redelivery arriving meanwhile waits for the outcome.
An update that fails for good is recorded with its error, so it is acknowledged once.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, FromClause, Select, Text, bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.structure import VERSION_ROW, StructureVersion, use_structure_cache


class ProcessedUpdate(Base):
    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Set when handling failed for a reason a redelivery would not cure.
    error: Mapped[str | None] = mapped_column(Text)


def _insert_once(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING RETURNING update_id and the structure version, in
    the dialect's spelling."""
    insert = sqlite_insert if dialect == "sqlite" else postgresql_insert
    table = ProcessedUpdate.__table__  # Core: the ORM's bulk-insert machinery is not needed
    version = (
        select(StructureVersion.__table__.c.version)
        .where(StructureVersion.__table__.c.id == VERSION_ROW)
        .scalar_subquery()
    )
    return (
        insert(table)
        .on_conflict_do_nothing(index_elements=[table.c.update_id])
        .returning(table.c.update_id, version.label("structure_version"))
    )


_INSERT_ONCE = {dialect: _insert_once(dialect) for dialect in ("sqlite", "postgresql")}


async def record_update(session: AsyncSession, update_id: int, error: str | None = None) -> bool:
    """Record the update as handled in the session's transaction, in one statement; False
    when another delivery of it was recorded first. A delivery recorded by a transaction
    still under way makes this wait for it: its commit means False, its rollback True.

    Recording at the start of an update's transaction takes the update for that
    transaction: the write it makes first also keeps SQLite from refusing a later write
    of the same transaction (a reader upgraded to a writer can be refused at once).

    The same statement reads the structure version, so the session may use the structure
    rows its process kept under that version (`models.structure`) at no extra round trip."""
    statement = _INSERT_ONCE[session.get_bind().dialect.name]
    recorded = await session.execute(statement, _taking(update_id, error))
    row = recorded.first()
    if row is None:
        return False
    if error is None:
        await _use_structure_cache(session, row[1])
    return True


def _taking(update_id: int, error: str | None = None) -> dict[str, Any]:
    return {"update_id": update_id, "received_at": utcnow(), "error": error}


async def _use_structure_cache(session: AsyncSession, version: int | None) -> None:
    connection = await session.connection()
    use_structure_cache(session, version, connection.sync_connection)


Read = Callable[[FromClause | None], Select[Any]]


@cache
def _joined_to_the_take(read: Read) -> Select[Any]:
    # within a CTE, an insert's values are not taken from the execution's parameters
    columns = ("update_id", "received_at", "error")
    values = _INSERT_ONCE["postgresql"].values({c: bindparam(c) for c in columns})
    taken = values.cte("taken")
    return read(taken).add_columns(taken.c.structure_version)


async def record_update_and_read(
    session: AsyncSession, update_id: int, read: Read, params: dict[str, Any]
) -> Sequence[Any] | None:
    """`record_update`, and the rows of a read every update makes (the acting member), in
    one round trip on PostgreSQL: the read is joined to the recording insert, a CTE it
    starts from, and so returns no rows when the update was recorded before (None here).
    `read(taken)` builds the read from that CTE, or from its own tables when given None;
    it is built once. On SQLite, whose CTEs cannot write, the two are separate statements.
    """
    if session.get_bind().dialect.name != "postgresql":
        if not await record_update(session, update_id):
            return None
        return (await session.execute(_built(read), params)).all()
    rows = (await session.execute(_joined_to_the_take(read), _taking(update_id) | params)).all()
    if not rows:
        return None
    await _use_structure_cache(session, rows[0][-1])
    return [row[:-1] for row in rows]


@cache
def _built(read: Read) -> Select[Any]:
    return read(None)
