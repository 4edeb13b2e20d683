"""Partner services in the rhythm: the quarterly 服务明星 (exactly once across two processes),
the daily feedback's late orders and agreement reminders, 三公开 in the monthly summary, the
yearly commendation naming the stars."""

import asyncio
import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.i18n import Catalog
from bot.notifier import Notifier
from models.base import create_engine, create_sessionmaker, utcnow
from models.jobs import JobRun
from models.members import load_member, register_residence, touch_user
from models.notices import take_notices
from models.outbox import OutboxMessage
from models.requests import RequestKind
from models.requests.intake import submit
from models.schedule import DAILY, MONTHLY, QUARTERLY, YEARLY, latest_due, schedule_of
from models.services import (
    Partner,
    Service,
    accept,
    complete,
    pass_to_partner,
    place_order,
    rate,
)
from models.structure import Building, Community
from scheduler import JobRunner
from scheduler.context import JobContext
from scheduler.service_late import LateOrdersJob
from tests.conftest import import_structure
from tests.test_cli import env_for
from tests.test_services import SERVICES

ADMIN_CHAT = -1001000000001
runner_cli = CliRunner()


def runner(sessionmaker: async_sessionmaker[AsyncSession], owner: str) -> JobRunner:
    catalog = Catalog()
    return JobRunner(JobContext(sessionmaker, catalog, Notifier(catalog, "gridbot"), owner=owner))


async def seed(sessionmaker: async_sessionmaker[AsyncSession], ratings: list[int]) -> Community:
    """悦食坊 completes one order per rating; one more order is passed and never accepted."""
    await import_structure(sessionmaker, SERVICES)
    async with sessionmaker() as session:
        people = {}
        for telegram_id, name in ((5001, "Alice"), (1001, "书记"), (8001, "王师傅")):
            people[telegram_id] = await touch_user(session, telegram_id, name, None, "zh", True)
        building = await session.scalar(select(Building).where(Building.name == "2号楼"))
        assert building is not None
        await register_residence(session, people[5001], building.id, None, "302")
        alice, admin, cook = [await load_member(session, people[i]) for i in (5001, 1001, 8001)]
        service = await session.scalar(select(Service).where(Service.name == "营养咨询"))
        assert service is not None
        now = utcnow()
        for stars in ratings:
            order = await place_order(session, alice, service.id, "咨询", None, None, now)
            await accept(session, cook, order.id, now)  # auto_accept: with the partner already
            await complete(session, cook, order.id, "已答复", None, now)
            await rate(session, alice, order.id, stars, None, now)
        late = await place_order(session, alice, service.id, "再问一次", None, None, now)
        assert late.status.value == "passed"
        meals = await session.scalar(select(Service).where(Service.name == "助餐送餐"))
        assert meals is not None
        waiting = await place_order(session, alice, meals.id, "午餐", None, None, now)
        await pass_to_partner(session, admin, waiting.id, now)
        await submit(session, alice, RequestKind.REPORT, "楼道灯坏了")
        take_notices(session)
        await session.commit()
        community = await session.scalar(select(Community))
        assert community is not None
        return community


async def texts(sessionmaker: async_sessionmaker[AsyncSession], key: str) -> list[str]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.dedup_key.like(f"{key}%"))
        )
        return [row.payload.get("text", "") for row in rows.all()]


async def test_service_stars_once_across_two_processes_and_in_the_year(
    sessionmaker: async_sessionmaker[AsyncSession], any_db_url: str
) -> None:
    community = await seed(sessionmaker, [5, 4, 5])
    next_quarter = utcnow() + timedelta(days=93)
    due = latest_due(QUARTERLY, schedule_of(community)[QUARTERLY], next_quarter,
                     community.timezone)  # fmt: skip
    assert due.start <= utcnow() < due.end
    other_engine = create_engine(any_db_url)  # a second process, with its own connections
    try:
        first = runner(sessionmaker, "process-1")
        second = runner(create_sessionmaker(other_engine), "process-2")
        results = await asyncio.gather(
            first.run_once(QUARTERLY, community, due, next_quarter),
            second.run_once(QUARTERLY, community, due, next_quarter),
        )
    finally:
        await other_engine.dispose()
    assert sorted(r is not None for r in results) == [False, True]
    posted = await texts(sessionmaker, "svc-stars:")
    assert len(posted) == 4  # the staff chat, the grid's chat, both groups of the micro-grid
    assert all(
        "服务明星" in text and "1. 悦食坊 · 完成 3 单 · 平均 4.7 星" in text for text in posted
    )
    assert all("巧手裁缝铺" not in text and "Alice" not in text for text in posted)
    async with sessionmaker() as session:
        assert (
            await session.scalar(select(func.count(JobRun.id)).where(JobRun.job == QUARTERLY)) == 1
        )

    year_end = datetime(int(due.period[:4]) + 1, 1, 2, 12, tzinfo=ZoneInfo(community.timezone))
    yearly = latest_due(YEARLY, schedule_of(community)[YEARLY], year_end, community.timezone)
    assert yearly.period == due.period[:4]
    assert await runner(sessionmaker, "process-1").run(YEARLY, community, yearly, year_end)
    commended = await texts(sessionmaker, f"yearly:{community.id}:")
    assert commended and all("年度服务明星：悦食坊" in text for text in commended)


async def test_too_few_completed_orders_name_no_star(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    community = await seed(sessionmaker, [5])  # N is 2 in the file
    later = utcnow() + timedelta(days=93)
    due = latest_due(QUARTERLY, schedule_of(community)[QUARTERLY], later, community.timezone)
    assert await runner(sessionmaker, "p").run_once(QUARTERLY, community, due, later) == {
        "sent": 0, "stars": []
    }  # fmt: skip
    assert await texts(sessionmaker, "svc-stars:") == []


async def test_daily_feedback_lists_late_orders_and_reminds_of_agreements(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    community = await seed(sessionmaker, [5])
    async with sessionmaker() as session:
        ending = (utcnow() + timedelta(days=20)).date()
        await session.execute(update(Partner).where(Partner.name == "悦食坊")
                              .values(agreement_until=ending))  # fmt: skip
        await session.commit()
    tomorrow = utcnow() + timedelta(hours=25)  # past respond_hours (24)
    due = latest_due(DAILY, "23:59", tomorrow, community.timezone)
    assert await runner(sessionmaker, "p").run(DAILY, community, due, tomorrow)
    late = await texts(sessionmaker, "svc-daily:")
    assert late == [
        "⏰ 有 2 张服务点单超过答复时限仍未被服务方接受：S-0002、S-0003。请联系服务方或重新安排。"
    ]
    reminders = await texts(sessionmaker, "svc-agreement:")
    assert (
        len(reminders) == 1
        and f"「悦食坊」的合伙服务协议将于 {ending.isoformat()} 到期" in reminders[0]
    )
    # The next day's run reminds no one again of the same agreement.
    day_after = tomorrow + timedelta(days=1)
    due = latest_due(DAILY, "23:59", day_after, community.timezone)
    assert await runner(sessionmaker, "p").run(DAILY, community, due, day_after)
    assert len(await texts(sessionmaker, "svc-agreement:")) == 1


async def test_monthly_summary_makes_partner_results_public(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    community = await seed(sessionmaker, [5, 1])
    next_month = (utcnow().replace(day=1) + timedelta(days=32)).replace(day=2)
    due = latest_due(MONTHLY, "1 09:00", next_month, community.timezone)
    assert await runner(sessionmaker, "p").run(MONTHLY, community, due, next_month)
    summary = await texts(sessionmaker, f"monthly-community:{community.id}:{due.period}")
    text = next(t for t in summary if "社会力量服务" in t)
    assert "悦食坊：点单 4 · 完成 2 · 按时接单 2 · 平均 3.0 星 · 差评 1" in text


def test_orders_export_writes_a_workbook(any_db_url: str, tmp_path: Path) -> None:
    async def seeded() -> str:
        engine = create_engine(any_db_url)
        try:
            community = await seed(create_sessionmaker(engine), [5, 2])
            return f"{utcnow().astimezone(ZoneInfo(community.timezone)):%Y-%m-%d}"
        finally:
            await engine.dispose()

    today = asyncio.run(seeded())
    env = env_for(any_db_url)
    path = tmp_path / "orders.xlsx"
    base = ["orders", "export", "--community", "南华社区"]
    span = ["--from", today, "--to", today]
    result = runner_cli.invoke(cli, [*base, *span, "-o", str(path), "--json"], env=env)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"community": "南华社区", "file": str(path), "orders": 4}
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == ("order", "created", "service", "category", "price", "partner",
                           "micro-grid", "status")  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["S-0001", "S-0002", "S-0003", "S-0004"]
    first = rows[1]
    assert first[2:8] == ("营养咨询", "health", "公益", "悦食坊", "嘉木花园", "rated")
    assert first[12] == 5
    assert not any("Alice" in str(cell) or "302" in str(cell) for row in rows for cell in row)

    earlier = runner_cli.invoke(cli, [*base, "--to", "2020-01-01", "-o", str(path)], env=env)
    assert earlier.exit_code == 0 and earlier.stdout.strip() == f"{path}: 0 orders"
    missing = runner_cli.invoke(cli, ["orders", "export", "--community", "无此社区"], env=env)
    assert missing.exit_code == 1 and "no community named '无此社区'" in missing.stderr
    backwards = runner_cli.invoke(
        cli, [*base, "--from", "2026-02-01", "--to", "2026-01-01"], env=env
    )
    assert backwards.exit_code == 2 and "--from must not be after --to" in backwards.stderr
    bad = runner_cli.invoke(cli, [*base, "--from", "yesterday"], env=env)
    assert bad.exit_code == 2 and "--from must look like 2026-11-23" in bad.stderr


async def test_late_orders_are_put_before_staff_once(
    sessionmaker: async_sessionmaker[AsyncSession], any_db_url: str
) -> None:
    await seed(sessionmaker, [])
    catalog = Catalog()
    later = utcnow() + timedelta(hours=25)  # past respond_hours (24)
    other_engine = create_engine(any_db_url)
    try:
        makers = (sessionmaker, create_sessionmaker(other_engine))
        jobs = [LateOrdersJob(maker, Notifier(catalog, "gridbot")) for maker in makers]
        flagged = await asyncio.gather(jobs[0].run(later), jobs[1].run(later))
        assert sorted(flagged) == [0, 2]
        assert await jobs[0].run(later + timedelta(minutes=10)) == 0  # told once
    finally:
        await other_engine.dispose()
    cards = await texts(sessionmaker, "svc-staff-card:")
    late = [text for text in cards if "超过答复时限" in text]
    assert len(late) == 4  # two orders, each to the staff chat and the grid's chat
    assert {text.split("\n")[1].split(" ")[0] for text in late} == {
        "<b>S-0001</b>",
        "<b>S-0002</b>",
    }
