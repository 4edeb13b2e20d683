"""The `gridbot` command as staff use it: results on stdout (plain text, or one JSON document
with --json), messages on stderr, exit codes 0 done / 1 refused / 2 usage; check, import,
points, jobs (the week's redemption says which week it ran and what waits), and run without
a token."""

import asyncio
import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import app
from models import metadata
from models.base import create_engine, create_sessionmaker
from models.members import load_member, register_residence, touch_user
from models.notices import take_notices
from models.points import Reward
from models.points.rewards import place_order
from models.requests import RequestKind
from models.requests.intake import submit
from models.schedule import JOBS, next_due
from models.structure import Building
from tests.conftest import SAMPLE_STRUCTURE, needs_pg

runner = CliRunner()  # keeps stdout and stderr apart (result.stdout, result.stderr)
ROOT = Path(__file__).parents[1]


def env_for(db_url: str) -> dict[str, str]:
    return {"DATABASE_URL": db_url, "BOT_TOKEN": "", "GRIDBOT_ADMIN_IDS": ""}


def sqlite_env(tmp_path: Path, name: str = "cli.db") -> dict[str, str]:
    return env_for(f"sqlite+aiosqlite:///{tmp_path / name}")


def gridbot(*arguments: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    """`python -m bot …` as a real process, its stdout and stderr real pipes."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *arguments],
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        cwd=cwd,
        capture_output=True,
        timeout=120,
    )


def test_help_names_the_exit_codes() -> None:
    for command in ([], ["jobs", "run"], ["check"]):
        shown = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
        assert shown.exit_code == 0
        assert "Exit codes: 0 done; 1 refused" in shown.stdout
        assert "2 usage error" in shown.stdout
    jobs_help = runner.invoke(app, ["jobs", "run", "--help"], env={"COLUMNS": "200"}).stdout
    assert "daily-feedback" in jobs_help and "daily_feedback" in jobs_help
    assert "--json" in runner.invoke(app, ["jobs", "list", "--help"]).stdout


def test_check_valid_file() -> None:
    result = runner.invoke(app, ["check", str(SAMPLE_STRUCTURE)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{SAMPLE_STRUCTURE}: valid — 南华社区: 1 grids, 1 micro-grids, 2 buildings, "
        "1 merchants, 1 rewards\n"
    )
    assert result.stderr == ""


def test_check_as_json() -> None:
    result = runner.invoke(app, ["check", str(SAMPLE_STRUCTURE), "--json"])
    assert result.exit_code == 0 and result.stderr == ""
    assert '"南华社区"' in result.stdout  # UTF-8, not \u escapes
    assert json.loads(result.stdout) == {
        "file": str(SAMPLE_STRUCTURE),
        "valid": True,
        "problems": [],
        "summary": {"community": "南华社区", "grids": 1, "micro_grids": 1, "buildings": 2,
                    "merchants": 1, "rewards": 1},
    }  # fmt: skip


def test_check_bad_file_names_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "community: 社区\ngrids:\n  - name: 网格\n    workers: [one]\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"{bad}: line 4: grids.0.workers.0")
    as_json = runner.invoke(app, ["check", str(bad), "--json"])
    assert as_json.exit_code == 1 and "line 4" in as_json.stderr
    document = json.loads(as_json.stdout)
    assert document["valid"] is False and document["summary"] is None
    assert document["problems"][0]["line"] == 4
    assert document["problems"][0]["message"].startswith("grids.0.workers.0")


def test_import_twice_reports_no_change(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path)
    first = runner.invoke(app, ["import", str(SAMPLE_STRUCTURE)], env=env)
    assert first.exit_code == 0, first.output
    assert first.stderr == ""  # no progress bar when stderr is not a terminal
    lines = first.stdout.splitlines()
    assert lines[0].startswith("南华社区: created ") and "2 building" in lines[0]
    assert lines[1].startswith("南华社区: updated ") and lines[2] == "南华社区: removed nothing"
    second = runner.invoke(app, ["import", str(SAMPLE_STRUCTURE), "--json"], env=env)
    assert second.exit_code == 0 and second.stderr == ""
    assert json.loads(second.stdout) == {
        "community": "南华社区", "changed": False, "created": {}, "updated": {}, "removed": {},
    }  # fmt: skip
    third = runner.invoke(app, ["import", str(SAMPLE_STRUCTURE)], env=env)
    assert third.stdout == "南华社区: already up to date, nothing changed\n"


def test_import_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", str(tmp_path / "nope.yaml"), "--json"])
    assert result.exit_code == 1 and "cannot read" in result.stderr
    assert result.stdout == ""


def test_names_with_brackets_print_as_they_are(tmp_path: Path) -> None:
    """Names are printed as plain text: nothing in [brackets] is taken for markup."""
    structure = tmp_path / "brackets.yaml"
    structure.write_text(
        SAMPLE_STRUCTURE.read_text(encoding="utf-8").replace(
            "community: 南华社区", "community: '[bold]南华[/bold]社区'"
        ),
        encoding="utf-8",
    )
    env = sqlite_env(tmp_path)
    checked = runner.invoke(app, ["check", str(structure)])
    assert "valid — [bold]南华[/bold]社区: 1 grids" in checked.stdout
    imported = runner.invoke(app, ["import", str(structure)], env=env)
    assert imported.stdout.startswith("[bold]南华[/bold]社区: created")
    listed = runner.invoke(app, ["jobs", "list"], env=env)
    assert listed.stdout.startswith("[bold]南华[/bold]社区 (Asia/Shanghai)\n")
    base = ["points", "adjust", "--community", "[bold]南华[/bold]社区", "--member", "5001"]
    runner.invoke(app, [*base, "--amount", "5", "--reason", "[red]清洁[/red]"], env=env)
    shown = runner.invoke(
        app, ["points", "show", "--community", "[bold]南华[/bold]社区", "--member", "5001"],
        env=env,
    )  # fmt: skip
    assert shown.stdout.splitlines()[1].endswith("+5 adjustment [red]清洁[/red]")
    missing = runner.invoke(app, [*base[:2], "--community", "[x]", "--member", "1",
                                  "--amount", "1", "--reason", "r"], env=env)  # fmt: skip
    assert missing.stderr == "gridbot: no community named '[x]'\n"


def test_points_adjust_and_show(any_db_url: str) -> None:
    env = env_for(any_db_url)
    assert runner.invoke(app, ["import", str(SAMPLE_STRUCTURE)], env=env).exit_code == 0
    base = ["points", "adjust", "--community", "南华社区", "--member", "5001"]
    done = runner.invoke(app, [*base, "--amount", "25", "--reason", "社区清洁日"], env=env)
    assert (done.exit_code, done.stdout, done.stderr) == (0, "5001: +25 → balance 25\n", "")
    as_json = runner.invoke(app, [*base, "--amount", "-5", "--reason", "纠错", "--json"], env=env)
    assert json.loads(as_json.stdout) == {
        "community": "南华社区", "member": 5001, "amount": -5, "reason": "纠错", "balance": 20,
    }  # fmt: skip
    refused = runner.invoke(app, [*base, "--amount", "-30", "--reason", "纠错"], env=env)
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr == (
        "gridbot: Not enough points: 30 needed, your balance is 20. (points-not-enough)\n"
    )
    shown = runner.invoke(app, ["points", "show", "--community", "南华社区", "--member", "5001"],
                          env=env)  # fmt: skip
    assert shown.exit_code == 0 and shown.stderr == ""
    lines = shown.stdout.splitlines()
    assert lines[0] == "5001: balance 20"
    assert lines[1].endswith(" -5 adjustment 纠错")
    assert lines[2].endswith(" +25 adjustment 社区清洁日")
    show = ["points", "show", "--community", "南华社区", "--member", "5001", "--json"]
    document = json.loads(runner.invoke(app, show, env=env).stdout)
    assert document["balance"] == 20 and document["member"] == 5001
    assert [(e["amount"], e["reason"], e["note"]) for e in document["entries"]] == [
        (-5, "adjustment", "纠错"), (25, "adjustment", "社区清洁日"),
    ]  # fmt: skip
    assert document["entries"][0]["at"].endswith("+08:00")  # the community's time zone
    missing = runner.invoke(
        app, ["points", "show", "--community", "无", "--member", "5001", "--json"], env=env
    )
    assert (missing.exit_code, missing.stdout) == (1, "")
    assert missing.stderr == "gridbot: no community named '无'\n"
    for _ in range(2):  # showing a stranger makes no placeholder, so the second is refused too
        unknown = runner.invoke(app, ["points", "show", "--community", "南华社区",
                                      "--member", "777"], env=env)  # fmt: skip
        assert (unknown.exit_code, unknown.stdout) == (1, "")
        assert unknown.stderr == ("gridbot: nobody with Telegram id 777 has written to the bot "
                                  "or is named in a structure file\n")  # fmt: skip
    bad_amount = runner.invoke(app, [*base, "--amount", "many", "--reason", "r"], env=env)
    assert bad_amount.exit_code == 2 and bad_amount.stdout == ""
    assert "Invalid value" in bad_amount.stderr  # click's own usage error
    for member in ("0", "-5", str(2**63)):  # no Telegram user id: a usage error, not a crash
        for command in (["show"], ["adjust", "--amount", "1", "--reason", "r"]):
            bad = runner.invoke(app, ["points", *command, "--community", "南华社区",
                                      "--member", member], env=env)  # fmt: skip
            assert (bad.exit_code, bad.stdout) == (2, ""), bad.stderr
            assert "Invalid value for '--member'" in bad.stderr


def test_jobs_list(any_db_url: str) -> None:
    env = env_for(any_db_url)
    assert runner.invoke(app, ["import", str(SAMPLE_STRUCTURE)], env=env).exit_code == 0
    ran = runner.invoke(app, ["jobs", "run", "daily-feedback", "--date", "2026-11-20"], env=env)
    assert ran.exit_code == 0, ran.output
    listed = runner.invoke(app, ["jobs", "list"], env=env)
    assert listed.exit_code == 0 and listed.stderr == ""
    lines = listed.stdout.splitlines()
    assert lines[0] == "南华社区 (Asia/Shanghai)"
    assert lines[2].startswith("  weekly_redemption    sun 10:00    last due ")
    assert lines[5].startswith("  unit_reports         1 10:00      last due ")
    last = lines.index("last runs:")  # after one line per job, however many there are
    assert lines[last + 1].startswith("  daily_feedback:1:2026-11-20")
    document = json.loads(runner.invoke(app, ["jobs", "list", "--json"], env=env).stdout)
    [community] = document["communities"]
    assert community["name"] == "南华社区" and community["timezone"] == "Asia/Shanghai"
    weekly = community["jobs"][1]
    assert set(weekly) == {"job", "schedule", "last_due", "last_period", "next_due",
                           "next_period"}  # fmt: skip
    assert weekly["job"] == "weekly_redemption" and weekly["schedule"] == "sun 10:00"
    assert weekly["last_due"] < weekly["next_due"]
    [run] = document["last_runs"]
    assert run["job"] == "daily_feedback" and run["community"] == "南华社区"
    assert (run["period"], run["status"], run["error"]) == ("2026-11-20", "done", None)


def test_jobs_run_names_and_refusals(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path)
    assert runner.invoke(app, ["import", str(SAMPLE_STRUCTURE)], env=env).exit_code == 0
    ran = runner.invoke(app, ["jobs", "run", "daily-feedback", "--date", "2026-11-20"], env=env)
    assert ran.exit_code == 0 and ran.stderr == ""
    assert ran.stdout.startswith("daily_feedback for 南华社区: ran 2026-11-20: leaders 0")
    again = runner.invoke(app, ["jobs", "run", "daily_feedback", "--date", "2026-11-20",
                                "--json"], env=env)  # fmt: skip
    [run] = json.loads(again.stdout)["runs"]
    assert (run["outcome"], run["result"], run["period"]) == ("already_done", None, "2026-11-20")
    monthly = runner.invoke(app, ["jobs", "run", "monthly-summary", "--date", "2026-11-01"],
                            env=env)  # fmt: skip
    assert monthly.stdout.startswith(
        "monthly_summary for 南华社区: ran 2026-10 (2026-10-01 to 2026-10-31): sent 0"
    )
    for arguments, says in [
        (["nightly"], "gridbot: unknown job 'nightly'; the jobs are daily-feedback, "),
        (["daily_feedback", "--date", "20/11"], "gridbot: --date must look like 2026-11-23"),
        (["daily_feedback", "--date", "2999-01-01"], "gridbot: --date 2999-01-01: daily_feedback"
                                                     " for 2999-01-01 is not due before"),
    ]:  # fmt: skip
        bad = runner.invoke(app, ["jobs", "run", *arguments, "--json"], env=env)
        assert (bad.exit_code, bad.stdout) == (2, ""), bad.output
        assert bad.stderr.startswith(says) and len(bad.stderr.splitlines()) == 1
    unknown = runner.invoke(app, ["jobs", "run", "nightly"], env=env).stderr
    assert all(job.replace("_", "-") in unknown for job in JOBS)  # every job is named
    missing = runner.invoke(app, ["jobs", "run", "weekly-redemption", "--community", "无"],
                            env=env)  # fmt: skip
    assert (missing.exit_code, missing.stdout) == (1, "")
    assert missing.stderr == "gridbot: no community named '无'\n"
    escalation = runner.invoke(app, ["jobs", "run", "escalation", "--json"], env=env)
    assert json.loads(escalation.stdout) == {"job": "escalation", "moved": 0}


def test_a_schedule_key_may_be_written_with_dashes(tmp_path: Path) -> None:
    structure = tmp_path / "dashes.yaml"
    structure.write_text(
        SAMPLE_STRUCTURE.read_text(encoding="utf-8")
        + 'schedule:\n  weekly-redemption: "sat 09:00"\n',
        encoding="utf-8",
    )
    env = sqlite_env(tmp_path)
    assert runner.invoke(app, ["import", str(structure)], env=env).exit_code == 0
    listed = json.loads(runner.invoke(app, ["jobs", "list", "--json"], env=env).stdout)
    weekly = listed["communities"][0]["jobs"][1]
    assert (weekly["job"], weekly["schedule"]) == ("weekly_redemption", "sat 09:00")


@pytest.mark.parametrize(
    ("job", "spec", "now", "zone", "expected"),
    [
        ("daily_feedback", "20:00", "2026-11-24T13:00", "Asia/Shanghai", "2026-11-24 20:00"),
        ("daily_feedback", "20:00", "2026-11-24T21:00", "Asia/Shanghai", "2026-11-25 20:00"),
        ("daily_feedback", "20:00", "2026-03-28T21:00", "Europe/Berlin", "2026-03-29 20:00"),
        ("weekly_redemption", "sun 10:00", "2026-11-24T14:00", "Asia/Shanghai",
         "2026-11-29 10:00"),
        ("weekly_redemption", "sun 10:00", "2026-11-29T10:00", "Asia/Shanghai",
         "2026-12-06 10:00"),
        ("monthly_summary", "1 09:00", "2027-01-31T12:00", "Asia/Shanghai", "2027-02-01 09:00"),
        ("monthly_summary", "28 09:00", "2027-02-28T10:00", "Asia/Shanghai", "2027-03-28 09:00"),
        ("yearly_commendation", "01-01 09:00", "2028-01-01T10:00", "Asia/Shanghai",
         "2029-01-01 09:00"),
    ],
)
def test_the_next_due_time(job: str, spec: str, now: str, zone: str, expected: str) -> None:
    moment = datetime.fromisoformat(now).replace(tzinfo=ZoneInfo(zone))
    assert f"{next_due(job, spec, moment, zone).at:%Y-%m-%d %H:%M}" == expected


async def _order_twice(url: str) -> None:
    """A resident with points orders the sample reward twice, now (points held)."""
    engine = create_engine(url)
    async with create_sessionmaker(engine)() as session:
        user = await touch_user(session, 5001, "Alice", None, "zh", True)
        building = await session.scalar(select(Building).where(Building.name == "2号楼"))
        assert building is not None
        await register_residence(session, user, building.id, None, "302")
        await session.commit()
        member = await load_member(session, user)
        reward = await session.scalar(select(Reward))
        assert reward is not None
        for _ in range(2):
            await place_order(session, member, reward.id)
        await session.commit()
    await engine.dispose()


def test_weekly_redemption_says_which_week_it_ran_and_what_waits(any_db_url: str) -> None:
    """Run for a past week, the orders placed since wait, and the output names the --date that
    runs the current week early; that run fills them."""
    env = env_for(any_db_url)
    assert runner.invoke(app, ["import", str(SAMPLE_STRUCTURE)], env=env).exit_code == 0
    adjust = ["points", "adjust", "--community", "南华社区", "--member", "5001"]
    seeded = runner.invoke(app, [*adjust, "--amount", "200", "--reason", "种子"], env=env)
    assert seeded.exit_code == 0
    asyncio.run(_order_twice(any_db_url))

    a_week_ago = str(date.today() - timedelta(days=7))
    past = runner.invoke(app, ["jobs", "run", "weekly_redemption", "--date", a_week_ago,
                               "--json"], env=env)  # fmt: skip
    assert past.exit_code == 0 and past.stderr == "", past.output
    [run] = json.loads(past.stdout)["runs"]
    assert run["outcome"] == "ran" and run["orders_held"] == 2
    assert run["result"]["filled"] == 0 and run["result"]["refunded"] == 0
    first, last = date.fromisoformat(run["first_day"]), date.fromisoformat(run["last_day"])
    assert (last - first).days == 6 and last.weekday() == 6  # Monday to Sunday
    assert run["due_at"] == f"{last}T10:00:00+08:00"
    upcoming = run["next_run"]
    early = date.fromisoformat(upcoming["date"])
    assert early.weekday() == 6 and 0 < (early - last).days <= 14
    assert upcoming["due_at"] == f"{early}T10:00:00+08:00"

    again = runner.invoke(app, ["jobs", "run", "weekly-redemption", "--date", a_week_ago],
                          env=env)  # fmt: skip
    assert again.exit_code == 0 and again.stderr == ""
    assert again.stdout.splitlines() == [
        f"weekly_redemption for 南华社区: {run['period']} ({first} to {last}) already done",
        f"weekly_redemption for 南华社区: 2 orders are held for the next run, "
        f"{upcoming['period']} (due {early} 10:00); to run it now: gridbot jobs run "
        f"weekly-redemption --community 南华社区 --date {early}",
    ]

    current = runner.invoke(app, ["jobs", "run", "weekly-redemption", "--date", str(early)],
                            env=env)  # fmt: skip
    assert current.exit_code == 0 and current.stderr == "", current.output
    ran, waiting = current.stdout.splitlines()
    assert ran.startswith(f"weekly_redemption for 南华社区: ran {upcoming['period']} (")
    assert ": filled 2, refunded 0; orders placed until " in ran
    after = early + timedelta(days=7)
    assert waiting == (f"weekly_redemption for 南华社区: 0 orders are held for the next run, "
                       f"{after:%G-W%V} (due {after} 10:00)")  # fmt: skip
    shown = runner.invoke(app, ["points", "show", "--community", "南华社区", "--member", "5001"],
                          env=env)  # fmt: skip
    assert shown.stdout.splitlines()[0] == "5001: balance 100"  # two orders of 50, filled
    listed = json.loads(runner.invoke(app, ["jobs", "list", "--json"], env=env).stdout)
    [early_run] = [r for r in listed["last_runs"] if r["job"] == "weekly_redemption"
                   and r["period"] == upcoming["period"]]  # fmt: skip
    assert early_run["result"]["placed_until"].endswith("+08:00")  # the community's time
    assert early_run["result"]["placed_until"] < upcoming["due_at"]  # until now, not Sunday
    # Without --date it is the latest week that fell due, not the current one run early.
    latest = runner.invoke(app, ["jobs", "run", "weekly-redemption", "--json"], env=env)
    [run] = json.loads(latest.stdout)["runs"]
    assert run["period"] != upcoming["period"] and run["due_at"] < upcoming["due_at"]


def test_run_without_token_says_what_to_set(tmp_path: Path) -> None:
    """Run as a real process: one line on stderr, no traceback, exit 2."""
    done = gridbot("run", env=sqlite_env(tmp_path, "x.db"), cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode().splitlines() == [
        "gridbot: set BOT_TOKEN (the token BotFather gave you) in the environment or .env"
        " — or try `make demo`, which needs no token"
    ]
    assert not (tmp_path / "x.db").exists()


def test_run_with_malformed_token(tmp_path: Path) -> None:
    done = gridbot("run", env={**sqlite_env(tmp_path, "x.db"), "BOT_TOKEN": "nope"}, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode().splitlines() == [
        "gridbot: BOT_TOKEN does not look like a bot token (digits:letters)"
    ]


def test_results_can_be_piped(tmp_path: Path) -> None:
    """Real processes: the results are on stdout (UTF-8, a pipe, not a terminal), the refusals
    alone on stderr."""
    env = {**sqlite_env(tmp_path), "LC_ALL": "C", "LANG": "C"}
    imported = gridbot("import", str(SAMPLE_STRUCTURE), "--json", env=env, cwd=tmp_path)
    assert imported.returncode == 0 and imported.stderr == b""
    assert json.loads(imported.stdout.decode("utf-8"))["community"] == "南华社区"
    listed = gridbot("jobs", "list", env=env, cwd=tmp_path)
    assert listed.returncode == 0 and listed.stderr == b""
    assert listed.stdout.decode("utf-8").startswith("南华社区 (Asia/Shanghai)\n")
    refused = gridbot("points", "show", "--community", "无", "--member", "1", env=env,
                      cwd=tmp_path)  # fmt: skip
    assert (refused.returncode, refused.stdout) == (1, b"")
    assert refused.stderr.decode("utf-8") == "gridbot: no community named '无'\n"


def test_a_reader_that_stops_early_is_no_error(tmp_path: Path) -> None:
    """`gridbot check f.yaml | head -0`: the pipe is closed before anything is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "check", str(SAMPLE_STRUCTURE)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            cwd=tmp_path,
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (0, b"")


def test_db_upgrade_creates_schema(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    result = runner.invoke(app, ["db", "upgrade"], env=env_for(f"sqlite+aiosqlite:///{db}"))
    assert result.exit_code == 0 and db.exists()
    assert (result.stdout, result.stderr) == ("database is up to date\n", "")


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
    assert result.exit_code == 2 and says in result.stderr, result.output
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("gridbot: setting ")
    assert "Value error" not in result.stderr
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
    result = runner.invoke(app, [*arguments, "--json"])
    assert result.exit_code == 1 and says in result.stderr, result.output
    assert result.stdout == "" and result.stderr.startswith("gridbot: ")
    assert not target.exists() and not (tmp_path / "missing.db").exists()


def test_db_copy_reports_rows(tmp_path: Path) -> None:
    source = tmp_path / "embedded.db"
    assert runner.invoke(app, ["import", str(SAMPLE_STRUCTURE)],
                         env=env_for(f"sqlite:///{source}")).exit_code == 0  # fmt: skip
    asyncio.run(_add_activity(f"sqlite+aiosqlite:///{source}"))
    copied = runner.invoke(app, ["db", "copy", "--from", f"sqlite:///{source}",
                                 "--to", f"sqlite:///{tmp_path / 'a.db'}"])  # fmt: skip
    assert copied.exit_code == 0 and copied.stderr == "", copied.output
    assert "requests: 1\n" in copied.stdout and copied.stdout.endswith(" rows\n")
    as_json = runner.invoke(app, ["db", "copy", "--from", f"sqlite:///{source}",
                                  "--to", f"sqlite:///{tmp_path / 'b.db'}", "--json"])  # fmt: skip
    document = json.loads(as_json.stdout)
    assert document["rows"]["requests"] == 1 and "alembic_version" not in document["rows"]
    assert document["total"] == sum(document["rows"].values())
    assert set(document["rows"]) == {table.name for table in metadata.sorted_tables}


@needs_pg
def test_db_copy_moves_everything_from_sqlite_to_postgresql(tmp_path: Path, pg_url: str) -> None:
    source = tmp_path / "embedded.db"
    env = env_for(f"sqlite:///{source}")
    assert runner.invoke(app, ["import", str(SAMPLE_STRUCTURE)], env=env).exit_code == 0
    asyncio.run(_add_activity(f"sqlite+aiosqlite:///{source}"))
    plain_pg = pg_url.replace("postgresql+asyncpg://", "postgresql://")

    result = runner.invoke(app, ["db", "copy", "--from", f"sqlite:///{source}", "--to", plain_pg])
    assert result.exit_code == 0, result.output
    assert "requests: 1" in result.stdout

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
    assert again.exit_code == 1 and "already holds data" in again.stderr
    assert again.stdout == ""


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
