"""Migrations create exactly the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from models import metadata
from models.base import create_engine


async def test_migrated_schema_matches_models(any_db_url: str) -> None:
    engine = create_engine(any_db_url)
    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), metadata
            )
        )
    await engine.dispose()
    assert diff == []
