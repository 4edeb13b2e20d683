"""The care ledgers on the command line: households import (idempotent, a bad file refused
whole with row and column of each problem) and export in the same layout, the audit of every
access, and a new data key."""

import asyncio
import csv
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import text
from typer.testing import CliRunner

from bot.cli import app
from models.base import create_engine, create_sessionmaker
from models.care.crypto import new_key, valid_key
from tests.conftest import SAMPLE_STRUCTURE

runner = CliRunner()
HEADER = ["微网格", "楼栋", "单元", "房号", "颜色", "原因", "标签", "住户", "电话"]


@pytest.fixture
def env(any_db_url: str) -> dict[str, str]:
    environment = {"DATABASE_URL": any_db_url, "BOT_TOKEN": "", "GRIDBOT_DATA_KEY": new_key()}
    imported = runner.invoke(app, ["import", str(SAMPLE_STRUCTURE)], env=environment)
    assert imported.exit_code == 0, imported.stderr
    return environment


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def count(url: str, statement: str) -> int:
    async def counted() -> int:
        engine = create_engine(url)
        try:
            async with create_sessionmaker(engine)() as session:
                return int(await session.scalar(text(statement)) or 0)
        finally:
            await engine.dispose()

    return asyncio.run(counted())


GOOD = [
    ["嘉木花园", "2号楼", "", "302", "红色", "独居老人", "独居, 残疾", "王奶奶", "13800001111"],
    ["嘉木花园", "1号楼", "", "101", "orange", "", "", "", ""],
]


def test_import_is_idempotent_and_export_writes_the_same_layout(
    env: dict[str, str], tmp_path: Path
) -> None:
    url = env["DATABASE_URL"]
    source = write_csv(tmp_path / "ledger.csv", GOOD)
    first = runner.invoke(
        app, ["households", "import", str(source), "--community", "南华社区"], env=env
    )
    assert first.exit_code == 0, first.stderr
    assert first.stdout.strip() == "南华社区: 2 created, 0 updated, 0 unchanged"
    again = runner.invoke(
        app, ["households", "import", str(source), "--community", "南华社区", "--json"], env=env
    )
    assert (
        again.exit_code == 0 and '"unchanged": 2' in again.stdout and '"created": 0' in again.stdout
    )
    assert count(url, "SELECT count(*) FROM care_households") == 2
    assert count(url, "SELECT count(*) FROM care_colour_changes") == 2
    stored = count(url, "SELECT count(*) FROM care_households WHERE phone_secret LIKE '%1380000%'")
    assert stored == 0  # encrypted at rest

    changed = write_csv(
        tmp_path / "changed.csv", [[*GOOD[0][:4], "黄色", "邻里纠纷", *GOOD[0][6:]]]
    )
    third = runner.invoke(
        app, ["households", "import", str(changed), "--community", "南华社区"], env=env
    )
    assert "0 created, 1 updated" in third.stdout
    assert count(url, "SELECT count(*) FROM care_colour_changes") == 3  # history kept

    exported = tmp_path / "export.xlsx"
    result = runner.invoke(
        app, ["households", "export", str(exported), "--community", "南华社区"], env=env
    )
    assert result.exit_code == 0 and "2 households written" in result.stdout
    rows = [
        [c or "" for c in row] for row in load_workbook(exported).active.iter_rows(values_only=True)
    ]
    assert rows[0] == HEADER
    assert [
        "嘉木花园",
        "2号楼",
        "",
        "302",
        "yellow",
        "邻里纠纷",
        "独居, 残疾",
        "王奶奶",
        "13800001111",
    ] in rows
    back = runner.invoke(
        app, ["households", "import", str(exported), "--community", "南华社区"], env=env
    )
    assert back.stdout.strip() == "南华社区: 0 created, 0 updated, 2 unchanged"

    audit = runner.invoke(app, ["audit", "--community", "南华社区"], env=env)
    assert audit.exit_code == 0
    actions = [line.split()[3] for line in audit.stdout.splitlines()]
    assert actions.count("import") == 2 + 2 + 1 + 2 and actions.count("export") == 2
    assert all(line.split()[2] == "cli" for line in audit.stdout.splitlines())
    later = runner.invoke(
        app, ["audit", "--community", "南华社区", "--since", "2999-01-01"], env=env
    )
    assert later.stdout.strip() == "no access recorded"
    bad = runner.invoke(app, ["audit", "--community", "南华社区", "--since", "yesterday"], env=env)
    assert bad.exit_code == 2 and "is not a date" in bad.stderr
    nowhere = runner.invoke(app, ["audit", "--community", "北极社区"], env=env)
    assert nowhere.exit_code == 1 and "no community named" in nowhere.stderr


def test_a_bad_spreadsheet_is_refused_whole_with_row_and_column(
    env: dict[str, str], tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["嘉木花园", "2号楼", "", "302", "红色", "独居", "", "王奶奶", ""])  # fine alone
    sheet.append(["嘉木花园", "2号楼", "", "501", "紫色", "", "", "", ""])  # wrong colour
    sheet.append(["嘉木花园", "8号楼", "", "101", "红色", "", "", "", ""])  # unknown building
    sheet.append(["嘉木花园", "2号楼", "", "302", "蓝色", "", "", "", ""])  # duplicate address
    sheet.append(["嘉木花园", "1号楼", "", "201", "红色", '=HYPERLINK("x")', "", "", ""])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    result = runner.invoke(
        app, ["households", "import", str(path), "--community", "南华社区"], env=env
    )
    assert result.exit_code == 1 and result.stdout == ""
    problems = result.stderr.splitlines()
    assert any("row 3, column 颜色: unknown colour '紫色'" in p for p in problems)
    assert any("row 4, column 楼栋: unknown building '8号楼'" in p for p in problems)
    assert any("row 5, column 房号: the same address as row 2" in p for p in problems)
    assert any("row 6, column 原因: a formula" in p for p in problems)
    assert count(env["DATABASE_URL"], "SELECT count(*) FROM care_households") == 0

    missing = write_csv(tmp_path / "short.csv", [])
    missing.write_text("楼栋,房号\n2号楼,302\n", encoding="utf-8")
    result = runner.invoke(
        app, ["households", "import", str(missing), "--community", "南华社区"], env=env
    )
    assert result.exit_code == 1 and "missing columns: 微网格, 颜色" in result.stderr
    formula = write_csv(
        tmp_path / "formula.csv", [["嘉木花园", "2号楼", "", "=1+1", "红色", "", "", "", ""]]
    )
    result = runner.invoke(
        app, ["households", "import", str(formula), "--community", "南华社区"], env=env
    )
    assert result.exit_code == 1 and "row 2, column 房号: a formula" in result.stderr
    result = runner.invoke(
        app,
        ["households", "import", str(tmp_path / "none.csv"), "--community", "南华社区"],
        env=env,
    )
    assert result.exit_code == 2


def test_phones_need_a_key_and_keys_new_prints_one(env: dict[str, str], tmp_path: Path) -> None:
    source = write_csv(tmp_path / "ledger.csv", GOOD)
    keyless = {**env, "GRIDBOT_DATA_KEY": ""}
    result = runner.invoke(
        app, ["households", "import", str(source), "--community", "南华社区"], env=keyless
    )
    assert (
        result.exit_code == 1
        and "row 2, column 电话: phone numbers need GRIDBOT_DATA_KEY" in result.stderr
    )
    key = runner.invoke(app, ["keys", "new"], env=env)
    assert key.exit_code == 0 and valid_key(key.stdout.strip())
    wrong = runner.invoke(
        app, ["audit", "--community", "南华社区"], env={**env, "GRIDBOT_DATA_KEY": "not-a-key"}
    )
    assert wrong.exit_code == 2 and "gridbot keys new" in wrong.stderr
    url = env["DATABASE_URL"]
    assert count(url, "SELECT count(*) FROM care_households") == 0
    assert count(url, "SELECT count(*) FROM care_access_log") == 0  # nothing was read
