"""Visits (走访): /visits lists a worker's households by when a visit is due, a visit is two
taps and a message (or a photo with a caption); the daily feedback counts overdue visits in
the grid's chat (numbers only) and names them to the workers in private; the monthly summary
reports coverage per colour per grid and the one-key calls. Intervals come from the
structure file."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text, update

from bot.app import App
from models.base import utcnow
from models.care.tables import Colour, Household, Visit, VisitOutcome
from models.care.visits import visit_days
from models.importer import StructureFileError, parse_structure
from models.schedule import DAILY, MONTHLY, latest_due
from models.structure import Community
from playground import FakeTelegram
from tests.care_helpers import add_household, data_key
from tests.conftest import SAMPLE_STRUCTURE
from tests.helpers import ADMIN_CHAT, GRID_CHAT, World, build_world

__all__ = ["data_key"]
ZONE = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    world = await build_world(telegram, structure)
    await world.worker.send("/help")
    return world


async def put_on_ledger(app: App) -> None:
    """Red 302 ten days ago (overdue), yellow 501 yesterday, orange 101 ten days ago."""
    for room, colour, days in (
        ("302", Colour.RED, 10),
        ("501", Colour.YELLOW, 1),
        ("101", Colour.ORANGE, 10),
    ):
        household_id = await add_household(app, room=room, colour=colour, phone=None)
        async with app.sessionmaker() as session:
            await session.execute(
                update(Household)
                .where(Household.id == household_id)
                .values(created_at=utcnow() - timedelta(days=days))
            )
            await session.commit()


async def community(app: App) -> Community:
    async with app.sessionmaker() as session:
        row = await session.scalar(select(Community))
        assert row is not None
        return row


async def test_visits_are_listed_by_due_date_and_logged_in_two_taps(world: World) -> None:
    tg, worker = world.telegram, world.worker
    await put_on_ledger(world.app)
    await worker.send("/visits")
    plan = tg.last_message(worker.id)
    lines = plan.text.splitlines()[1:]
    assert lines[0].startswith("⚠️🔴 红色 2号楼 302")  # overdue first
    assert "🟡 黄色 2号楼 501" in lines[1] and "🟠 橙色 2号楼 101" in lines[2]
    assert plan.button_texts[0] == "🔴 红色 2号楼 302"

    await worker.press(plan, "2号楼 302")  # tap 1
    ask = tg.last_message(worker.id)
    assert "走访 2号楼 302" in ask.text
    await worker.press(ask, "一切安好")  # tap 2
    await worker.send("血压正常，精神很好")  # the message
    next_due = (utcnow() + timedelta(days=7)).astimezone(ZONE).strftime("%Y-%m-%d")
    assert f"走访已记录，下次走访：{next_due}" in tg.last_message(worker.id).text

    await worker.press(plan, "2号楼 501")
    await worker.press(tg.last_message(worker.id), "不在家")
    await worker.send_photo("门上留了联系卡")
    assert "走访已记录" in tg.last_message(worker.id).text

    await worker.send("/visits")
    assert not tg.last_message(worker.id).text.splitlines()[1].startswith("⚠️")
    async with world.app.sessionmaker() as session:
        visits = (await session.scalars(select(Visit).order_by(Visit.id))).all()
        assert [v.outcome for v in visits] == [VisitOutcome.WELL, VisitOutcome.NOT_HOME]
        assert visits[1].photo_file_id is not None
        raw = await session.scalar(text("SELECT note_secret FROM care_visits ORDER BY id"))
    assert raw.startswith("gAAAA") and "血压" not in raw


async def test_daily_feedback_counts_overdue_visits_and_names_them_in_private(
    world: World,
) -> None:
    tg = world.telegram
    await put_on_ledger(world.app)
    row = await community(world.app)
    today = utcnow().astimezone(ZONE).date()
    assert await world.app.jobs.run_on(DAILY, row, today)
    group = await tg.wait_for_message(GRID_CHAT, "关爱走访")
    assert "第一网格 有 1 户已超过走访期限" in group.text
    assert "302" not in group.text and "王奶奶" not in group.text
    private = await tg.wait_for_message(world.worker.id, "超过走访期限")
    assert "2号楼 302 王奶奶" in private.text and "501" not in private.text
    assert not await world.app.jobs.run_on(DAILY, row, today)  # once a day


async def test_monthly_summary_reports_coverage_and_calls(world: World) -> None:
    tg, worker = world.telegram, world.worker
    await put_on_ledger(world.app)
    await worker.send("/visits")
    await worker.press(tg.last_message(worker.id), "2号楼 302")
    await worker.press(tg.last_message(worker.id), "需要帮助")
    await worker.send("需要申请助餐")
    row = await community(world.app)
    now = utcnow()
    first_of_next_month = (now.replace(day=1) + timedelta(days=32)).replace(day=1, hour=12)
    due = latest_due(MONTHLY, "1 09:00", first_of_next_month, row.timezone)
    async with world.app.sessionmaker() as session:  # within the month, whatever the hour
        await session.execute(update(Visit).values(visited_at=due.start + timedelta(days=1)))
        await session.commit()
    assert await world.app.jobs.run(MONTHLY, row, due, first_of_next_month)
    summary = await tg.wait_for_message(ADMIN_CHAT, "关爱走访覆盖")
    assert "第一网格 🔴 红色：1 / 1" in summary.text
    assert "第一网格 🟡 黄色：0 / 1" in summary.text
    assert "一键呼叫 0 次" in summary.text
    assert "302" not in summary.text
    grid = await tg.wait_for_message(GRID_CHAT, "关爱走访覆盖")
    assert "第一网格 🟠 橙色：0 / 1" in grid.text


def test_visit_intervals_come_from_the_structure_file() -> None:
    sample = SAMPLE_STRUCTURE.read_text(encoding="utf-8")
    assert parse_structure(sample).spec.care is not None
    changed = sample.replace("red: 7,", "red: 3,")
    spec = parse_structure(changed).spec
    assert spec.care is not None and spec.care.visit_days is not None
    assert spec.care.visit_days.red == 3
    community = Community(name="x", settings={"care": {"visit_days": {"red": 3}}})
    assert visit_days(community)[Colour.RED] == 3 and visit_days(community)[Colour.BLUE] == 14
    with pytest.raises(StructureFileError) as refused:
        parse_structure(sample.replace("red: 7,", "red: 0,"))
    visit_line = next(n for n, line in enumerate(sample.splitlines(), 1) if "visit_days" in line)
    assert refused.value.problems[0].line == visit_line
    with pytest.raises(StructureFileError):
        parse_structure(sample.replace("red: 7,", "purple: 7,"))
