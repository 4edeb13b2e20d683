"""Copying a whole gridbot database to another engine (the embedded SQLite file to
PostgreSQL when a deployment outgrows one process)."""

from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Table, delete, func, insert, select, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from migrations import alembic_config, upgrade_async
from models import metadata
from models.base import create_engine, database_url
from models.structure import StructureVersion

STRUCTURE_VERSION = StructureVersion.__table__

BATCH = 2000


class TransferError(Exception):
    """The copy cannot be made; the message says what to do."""


@dataclass
class CopyReport:
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _usable(url: str) -> str:
    try:
        return database_url(url)
    except ValueError as error:
        raise TransferError(str(error)) from None


def _check_source_exists(url: str) -> None:
    """SQLite would create a missing file, and the copy would be of nothing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not (
        parsed.database and Path(parsed.database).is_file()
    ):
        raise TransferError(f"there is no SQLite database at {parsed.database!r}")


async def copy_database(source_url: str, target_url: str) -> CopyReport:
    """Copy every row from source to target in one target transaction. The source must be
    at the latest schema revision; the target is migrated to it and must be empty."""
    source_url, target_url = _usable(source_url), _usable(target_url)
    _check_source_exists(source_url)
    source = create_engine(source_url)
    try:
        async with source.connect() as reader:
            head = ScriptDirectory.from_config(alembic_config(source_url)).get_current_head()
            if await reader.run_sync(_revision) != head:
                raise TransferError(
                    "the source database is not at the latest schema: "
                    "run `gridbot db upgrade` against it first"
                )
            await upgrade_async(target_url)
            target = create_engine(target_url)
            try:
                async with target.begin() as writer:
                    return await _copy_all(reader, writer)
            finally:
                await target.dispose()
    finally:
        await source.dispose()


async def _copy_all(reader: AsyncConnection, writer: AsyncConnection) -> CopyReport:
    for table in metadata.sorted_tables:
        if table is STRUCTURE_VERSION:  # the migration gave the target its row
            continue
        if await writer.scalar(select(func.count()).select_from(table)):
            raise TransferError(f"the target already holds data (table {table.name})")
    rows = {table.name: await _copy_table(reader, writer, table)
            for table in metadata.sorted_tables}  # fmt: skip
    if writer.dialect.name == "postgresql":
        await _reset_sequences(writer)
    return CopyReport(rows)


async def _copy_table(reader: AsyncConnection, writer: AsyncConnection, table: Table) -> int:
    copied = 0
    if table is STRUCTURE_VERSION:  # the target's row, from its migration or the copy's writes
        await writer.execute(delete(table))
    result = await reader.stream(select(table).order_by(*table.primary_key.columns))
    async for batch in result.partitions(BATCH):
        await writer.execute(insert(table), [dict(row._mapping) for row in batch])
        copied += len(batch)
    return copied


async def _reset_sequences(writer: AsyncConnection) -> None:
    """Rows came with their ids; each id sequence must continue after the largest."""
    for table in metadata.sorted_tables:
        for column in table.primary_key.columns:
            sequence = await writer.scalar(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            )
            if sequence:  # only serial keys have one
                await writer.execute(
                    text(f'SELECT setval(:sequence, COALESCE((SELECT MAX("{column.name}") '
                         f'FROM "{table.name}"), 0) + 1, false)'),
                    {"sequence": sequence},
                )  # fmt: skip
