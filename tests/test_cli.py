"""The `gridbot` command as staff use it: check, import, and run without a token."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import app
from models import metadata
from models.base import create_engine, create_sessionmaker
from models.members import load_member, register_residence, touch_user
from models.notices import take_notices
from models.requests import RequestKind
from models.requests.workflow import submit
from models.structure import Building
from tests.conftest import SAMPLE_STRUCTURE, needs_pg

runner = CliRunner()


def env_for(db_url: str) -> dict[str, str]:
    return {"DATABASE_URL": db_url, "BOT_TOKEN": "", "GRIDBOT_ADMIN_IDS": ""}


def test_check_valid_file() -> None:
    result = runner.invoke(app, ["check", str(SAMPLE_STRUCTURE)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output and "1 micro-grids" in result.output


def test_check_bad_file_names_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "community: 社区\ngrids:\n  - name: 网格\n    workers: [one]\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 1
    assert "line 4" in result.output and "workers.0" in result.output


def test_import_twice_reports_no_change(tmp_path: Path) -> None:
    env = env_for(f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    first = runner.invoke(app, ["import", str(SAMPLE_STRUCTURE)], env=env)
    assert first.exit_code == 0, first.output
    assert "created" in first.output and "2 building" in first.output
    second = runner.invoke(app, ["import", str(SAMPLE_STRUCTURE)], env=env)
    assert second.exit_code == 0
    assert "nothing changed" in second.output


def test_import_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1 and "cannot read" in result.output


def test_run_without_token_says_what_to_set(tmp_path: Path) -> None:
    """Run as a real process: one line on stderr, no traceback, non-zero exit."""
    env = {**os.environ, **env_for(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "gridbot: set BOT_TOKEN (the token BotFather gave you) in the environment or .env"
    ]
    assert not (tmp_path / "x.db").exists()


def test_run_with_malformed_token(tmp_path: Path) -> None:
    env = {**os.environ, **env_for(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"), "BOT_TOKEN": "nope"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "does not look like a bot token" in done.stderr


def test_db_upgrade_creates_schema(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    result = runner.invoke(app, ["db", "upgrade"], env=env_for(f"sqlite+aiosqlite:///{db}"))
    assert result.exit_code == 0 and db.exists()


@pytest.mark.parametrize(
    ("setting", "value", "says"),
    [
        ("WEBHOOK_URL", "bot.example.org/hook", "WEBHOOK_URL must be a full address"),
        ("WEBHOOK_SECRET", "has spaces!", "may hold only letters, digits, _ and -"),
        ("DATABASE_URL", "mysql://u@h/gridbot", "mysql is not supported"),
        ("DATABASE_URL", "gridbot.db", "is not a database URL"),
    ],
)
def test_bad_settings_are_named_before_anything_starts(
    tmp_path: Path, setting: str, value: str, says: str
) -> None:
    env = {"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": "s3cret",
           "BOT_TOKEN": "123456:ABC", "DATABASE_URL": f"sqlite:///{tmp_path}/gridbot.db",
           setting: value}  # fmt: skip
    result = runner.invoke(app, ["db", "upgrade"], env=env)
    assert result.exit_code == 2 and says in result.output, result.output
    assert "Value error" not in result.output
    assert list(tmp_path.iterdir()) == []  # refused before any database was touched


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("sqlite:///{tmp}/missing.db", "there is no SQLite database"),
        ("not a url", "is not a database URL"),
        ("mysql://u@h/gridbot", "mysql is not supported"),
    ],
)
def test_db_copy_refuses_a_source_it_cannot_use(tmp_path: Path, source: str, says: str) -> None:
    target = tmp_path / "target.db"
    arguments = ["db", "copy", "--from", source.format(tmp=tmp_path), "--to", f"sqlite:///{target}"]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 1 and says in result.output, result.output
    assert not target.exists() and not (tmp_path / "missing.db").exists()


@needs_pg
def test_db_copy_moves_everything_from_sqlite_to_postgresql(tmp_path: Path, pg_url: str) -> None:
    source = tmp_path / "embedded.db"
    env = env_for(f"sqlite:///{source}")
    assert runner.invoke(app, ["import", str(SAMPLE_STRUCTURE)], env=env).exit_code == 0
    asyncio.run(_add_activity(f"sqlite+aiosqlite:///{source}"))
    plain_pg = pg_url.replace("postgresql+asyncpg://", "postgresql://")

    result = runner.invoke(app, ["db", "copy", "--from", f"sqlite:///{source}", "--to", plain_pg])
    assert result.exit_code == 0, result.output
    assert "requests: 1" in result.output

    async def counts(url: str) -> dict[str, int]:
        engine = create_engine(url)
        async with engine.connect() as connection:
            found = {
                table.name: int(await connection.scalar(select(func.count()).select_from(table)))
                for table in metadata.sorted_tables
            }
        await engine.dispose()
        return found

    assert asyncio.run(counts(pg_url)) == asyncio.run(counts(f"sqlite+aiosqlite:///{source}"))
    # The copy goes on where the file left off: new rows get fresh ids.
    asyncio.run(_add_activity(pg_url))
    assert asyncio.run(counts(pg_url))["requests"] == 2

    again = runner.invoke(app, ["db", "copy", "--from", f"sqlite:///{source}", "--to", plain_pg])
    assert again.exit_code == 1 and "already holds data" in again.output


async def _add_activity(url: str) -> None:
    """A resident and one report, made through the domain functions."""
    engine = create_engine(url)
    async with create_sessionmaker(engine)() as session:
        user = await touch_user(session, 5001, "Alice", None, "zh", True)
        building = await session.scalar(select(Building).where(Building.name == "2号楼"))
        assert building is not None
        await register_residence(session, user, building.id, None, "302")
        await submit(session, await load_member(session, user), RequestKind.REPORT, "楼道灯坏了")
        take_notices(session)
        await session.commit()
    await engine.dispose()
