"""The rhythm (四个一) with a controllable clock: each job's output on a seeded community,
exactly once under concurrent runs and after a crash, and the catch-up of a missed run."""

import asyncio
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from bot.app import App
from bot.cli import app as cli
from bot.settings import Settings
from models.base import utcnow
from models.jobs import JobRun, JobStatus, start_run
from models.outbox import OutboxMessage
from models.requests import Request
from models.schedule import DAILY, MONTHLY, YEARLY, latest_due
from models.structure import Community
from playground import FakeTelegram
from scheduler import JobRunner
from tests.conftest import DATA, SAMPLE_STRUCTURE, import_structure
from tests.helpers import (
    ADMIN_CHAT,
    GRID_CHAT,
    LEADERS_CHAT,
    RESIDENTS_CHAT,
    World,
    build_world,
)

ZONE = "Asia/Shanghai"


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    await import_structure(structure.sessionmaker, DATA / "structure_two_micro_grids.yaml")
    telegram.group(-1001000000005, "锦绣园居民群")
    telegram.group(-1001000000006, "锦绣园网格长群")
    return await build_world(telegram, structure)


async def community(app: App) -> Community:
    async with app.sessionmaker() as session:
        row = await session.scalar(select(Community))
        assert row is not None
        return row


async def resolved_and_rated(world: World, satisfied: bool = True) -> None:
    """A report claimed, resolved and rated today."""
    tg = world.telegram
    await world.alice.send("/report 2号楼楼道灯坏了", chat=world.residents)
    card = await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    await world.leader.press(card, "认领")
    private_card = await tg.wait_for_message(world.leader.id, "R-0001")
    await world.leader.press(private_card, "已解决")
    await world.leader.press(tg.last_message(world.leader.id), "跳过")
    if satisfied:
        ask = await tg.wait_for_message(world.alice.id, "请为这次服务打分")
        await world.alice.press(ask, "⭐⭐⭐⭐⭐")
        await world.alice.press(tg.last_message(world.alice.id), "满意")
        await world.alice.press(tg.last_message(world.alice.id), "跳过")


def local_today() -> date:
    """The community's date now (not the machine's: they differ for hours of every day)."""
    return utcnow().astimezone(ZoneInfo(ZONE)).date()


async def outbox_keys(app: App, prefix: str) -> list[str]:
    async with app.sessionmaker() as session:
        return list(
            (
                await session.scalars(
                    select(OutboxMessage.dedup_key).where(
                        OutboxMessage.dedup_key.like(f"{prefix}%")
                    )
                )
            ).all()
        )


async def test_daily_feedback(world: World) -> None:
    tg, app = world.telegram, world.app
    await resolved_and_rated(world, satisfied=False)
    async with app.sessionmaker() as session:  # resolved two days ago and still not rated
        await session.execute(update(Request).values(resolved_at=utcnow() - timedelta(days=2)))
        await session.commit()
    row = await community(app)
    today = local_today()
    assert await app.jobs.run_on(DAILY, row, today)

    digest = await tg.wait_for_message(LEADERS_CHAT, "每日反馈")
    assert "新增诉求：1" in digest.text and "已解决：1" in digest.text
    summary = await tg.wait_for_message(world.alice.id, "你的诉求有了新进展")
    assert "R-0001：已解决" in summary.text
    reminder = await tg.wait_for_message(world.alice.id, "还没有收到你的评价")
    assert reminder.button_texts[0] == "⭐"
    assert tg.messages_in(-1001000000006) == []  # a micro-grid with nothing to say
    assert not await app.jobs.run_on(DAILY, row, today)  # the same day again: nothing
    await asyncio.sleep(1.2)
    assert len([m for m in tg.messages_in(LEADERS_CHAT) if "每日反馈" in m.text]) == 1


async def test_two_concurrent_runs_send_once(world: World) -> None:
    app = world.app
    await resolved_and_rated(world)
    row = await community(app)
    today = local_today()
    results = await asyncio.gather(app.jobs.run_on(DAILY, row, today),
                                   app.jobs.run_on(DAILY, row, today))  # fmt: skip
    assert sorted(results) == [False, True]
    assert len(await outbox_keys(app, "daily:")) == 1


async def test_a_crashed_run_is_redone_without_sending_twice(world: World) -> None:
    app = world.app
    await resolved_and_rated(world)
    row = await community(app)
    due = latest_due(DAILY, "23:59", utcnow(), row.timezone)
    micro_grid_id = 1
    async with app.sessionmaker() as session:
        # A process took the run an hour ago, queued the first digest, and died.
        run = await start_run(session, DAILY, due.period, row.id, "dead-process")
        assert run is not None
        run.started_at = utcnow() - timedelta(hours=1)
        session.add(OutboxMessage(chat_id=LEADERS_CHAT, method="sendMessage",
                                  payload={"text": "digest from the crashed run"},
                                  dedup_key=f"daily:{micro_grid_id}:{due.period}"))  # fmt: skip
        await session.commit()
    assert await app.jobs.run(DAILY, row, due, utcnow())
    assert await outbox_keys(app, "daily:") == [f"daily:{micro_grid_id}:{due.period}"]
    async with app.sessionmaker() as session:
        status = await session.scalar(select(JobRun.status).where(JobRun.job == DAILY))
        assert status == JobStatus.DONE


async def test_missed_runs_happen_once_on_start_up(world: World) -> None:
    app = world.app
    async with app.sessionmaker() as session:  # the community has been running for a while
        await session.execute(update(Community).values(created_at=utcnow() - timedelta(days=400)))
        await session.commit()
    now = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    ran = await app.jobs.tick(now)
    assert sorted(job for job, _c, _p in ran) == sorted(
        ["daily_feedback", "weekly_redemption", "monthly_summary", "yearly_commendation",
         "unit_reports", "service_stars", "fund_statement", "fund_needs", "fund_agreements"]
    )  # fmt: skip
    assert {period for _j, _c, period in ran} == {
        "2026-11-22", "2026-W47", "2026-10", "2025", "2026-Q3",
        "2026-11-23",  # the fund's daily looks run in the morning
    }  # fmt: skip
    assert await app.jobs.tick(now) == []
    assert await app.jobs.tick(now + timedelta(minutes=30)) == []


async def test_monthly_summary_chart_and_workbook(world: World) -> None:
    tg, app = world.telegram, world.app
    await resolved_and_rated(world)
    await world.bob.send("/report 1号楼门口有垃圾", chat=world.residents)
    row = await community(app)
    first_of_next_month = (utcnow().replace(day=1) + timedelta(days=32)).replace(day=1, hour=12)
    due = latest_due(MONTHLY, "1 09:00", first_of_next_month, row.timezone)
    assert await app.jobs.run(MONTHLY, row, due, first_of_next_month)

    text = await tg.wait_for_message(ADMIN_CHAT, "月度总结")
    assert "南华社区</b>" not in text.text and "南华社区：诉求 2 件" in text.text
    # One report claimed and resolved at once, one still waiting: half responded.
    assert "响应率 50.0% · 解决率 50.0% · 满意率 100.0%" in text.text
    grid_text = await tg.wait_for_message(GRID_CHAT, "月度总结")
    assert "第一网格：诉求 2 件" in grid_text.text
    chart = await tg.wait_for(
        lambda: next((m for m in tg.messages_in(ADMIN_CHAT) if m.has_photo), None),
        timeout=10, what="the chart",
    )
    png = tg.files[chart.raw["photo"][0]["file_id"]]
    assert Image.open(io.BytesIO(png)).format == "PNG"
    document = await tg.wait_for(
        lambda: next((m for m in tg.messages_in(ADMIN_CHAT) if m.document_name), None),
        timeout=10, what="the workbook",
    )  # fmt: skip
    assert document.document_name.endswith(".xlsx")
    book = load_workbook(io.BytesIO(tg.files[document.raw["document"]["file_id"]]))
    assert book.sheetnames == ["Summary", "Requests", "Checkins", "Ledger"]
    assert book["Requests"].max_row == 3  # header + 2 requests
    assert book["Ledger"].max_row == 2  # header + the resolver's 10 points


async def test_yearly_honour_roll_goes_to_every_group(world: World) -> None:
    tg, app = world.telegram, world.app
    await resolved_and_rated(world)
    row = await community(app)
    next_new_year = datetime(utcnow().year + 1, 1, 1, 12, tzinfo=UTC)
    due = latest_due(YEARLY, "01-01 09:00", next_new_year, row.timezone)
    assert await app.jobs.run(YEARLY, row, due, next_new_year)
    for chat in (
        ADMIN_CHAT,
        GRID_CHAT,
        RESIDENTS_CHAT,
        LEADERS_CHAT,
        -1001000000005,
        -1001000000006,
    ):
        roll = await tg.wait_for_message(chat, "年度表彰", timeout=10)
        assert "网格长甲（办结 1 件）" in roll.text
        assert "嘉木花园（办结 1 件，满意率 100.0%）" in roll.text


async def test_empty_month_sends_nothing(world: World) -> None:
    row = await community(world.app)
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    due = latest_due(MONTHLY, "1 09:00", now, row.timezone)
    assert await world.app.jobs.run(MONTHLY, row, due, now)
    async with world.app.sessionmaker() as session:
        assert (
            await session.scalar(
                select(func.count()).where(OutboxMessage.dedup_key.like("monthly:%"))
            )
            == 0
        )


def test_jobs_cli(tmp_path) -> None:
    runner = CliRunner()
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'j.db'}", "BOT_TOKEN": ""}
    assert runner.invoke(cli, ["import", str(SAMPLE_STRUCTURE)], env=env).exit_code == 0
    listed = runner.invoke(cli, ["jobs", "list"], env=env)
    assert (
        listed.exit_code == 0 and "daily_feedback" in listed.output and "sun 10:00" in listed.output
    )
    ran = runner.invoke(cli, ["jobs", "run", "daily_feedback", "--community", "南华社区",
                              "--date", "2026-11-20"], env=env)  # fmt: skip
    assert ran.exit_code == 0, ran.output
    assert "daily_feedback for 南华社区: ran" in ran.output
    again = runner.invoke(cli, ["jobs", "run", "daily_feedback", "--date", "2026-11-20"], env=env)
    assert "already done" in again.output
    assert "daily_feedback:1:2026-11-20" in runner.invoke(cli, ["jobs", "list"], env=env).output
    bad = runner.invoke(cli, ["jobs", "run", "nightly"], env=env)
    assert bad.exit_code == 2 and "unknown job" in bad.output
    bad_date = runner.invoke(cli, ["jobs", "run", "daily_feedback", "--date", "20/11"], env=env)
    assert bad_date.exit_code == 2
    escalation = runner.invoke(cli, ["jobs", "run", "escalation"], env=env)
    assert "0 requests moved up" in escalation.output


async def test_a_stopping_process_lets_the_scheduled_step_under_way_finish(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Stopping while the scheduler's look at due jobs is under way: it finishes its step
    rather than being cancelled midway (and logged as a failed job)."""
    started, finished = asyncio.Event(), asyncio.Event()

    async def slow_tick(_runner: JobRunner, now: datetime | None = None) -> list:
        started.set()
        await asyncio.sleep(0.5)
        finished.set()
        return []

    monkeypatch.setattr(JobRunner, "tick", slow_tick)
    application = App.build(settings)
    await application.prepare()
    await asyncio.wait_for(started.wait(), 5)  # the tick runs at start-up
    await application.stop()
    assert finished.is_set()
    assert "raised an exception" not in caplog.text
