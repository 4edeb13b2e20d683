"""Needs, resources and projects end to end (一书三单): a need proposed from recurring requests
and accepted; a project claimed by one unit, carried out, accepted, rated by residents and its
成效 recorded; resources offered; an agreement's reminder before it lapses."""

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner

from bot.app import App
from bot.cli import app as cli
from models.base import utcnow
from models.errors import DomainError
from models.members import load_member, touch_user, user_by_telegram_id
from models.notices import take_notices
from models.requests import Category, RequestKind
from models.requests.intake import submit
from models.resources.projects import add_need, claim, create_project, find_scope
from models.resources.tables import Project, ProjectStage, Resource
from models.schedule import FUND_AGREEMENTS, FUND_NEEDS, UNIT_REPORTS, latest_due
from models.structure import Community
from playground import FakeTelegram
from tests.conftest import SAMPLE_STRUCTURE, import_structure
from tests.helpers import (
    ADMIN_CHAT,
    RESIDENTS_CHAT,
    World,
    build_world,
    open_private,
)

TAX, HOSPITAL = 6001, 6002
SERVICES = Path(__file__).parent / "data" / "services.yaml"
runner = CliRunner()


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    world = await build_world(telegram, structure)
    await open_private(world.admin)
    return world


async def community_of(app: App) -> Community:
    async with app.sessionmaker() as session:
        row = await session.scalar(select(Community))
        assert row is not None
        return row


async def test_recurring_requests_become_a_need_that_becomes_a_claimed_project(
    world: World,
) -> None:
    tg, app, admin, alice = world.telegram, world.app, world.admin, world.alice
    async with app.sessionmaker() as session:
        lights = await session.scalar(select(Category).where(Category.code == "lighting"))
        assert lights is not None
        for n in range(5):
            resident = (world.alice, world.bob)[n % 2].id
            member = await load_member(session, await user_by_telegram_id(session, resident))
            await submit(session, member, RequestKind.REPORT, f"楼道灯又坏了（第{n + 1}次）",
                         category_id=lights.id)  # fmt: skip
        take_notices(session)
        await session.commit()
    row = await community_of(app)
    now = utcnow()
    due = latest_due(FUND_NEEDS, "07:30", now, row.timezone)
    assert await app.jobs.run(FUND_NEEDS, row, due, now)
    card = await tg.wait_for_message(ADMIN_CHAT, "需求第 1 号")
    assert "嘉木花园 30 天内 5 次" in card.text and "同类诉求反复出现" in card.text
    query = await alice.press(card, "纳入需求清单")
    assert "只有本社区的工作人员" in tg.answer_to(query)["text"]
    await admin.press(card, "纳入需求清单")
    assert "已纳入需求清单" in card.text and card.button_texts == []
    query = await admin.press(card, data="fn:1:0")  # the old dismiss button
    assert "已经处理过了" in tg.answer_to(query)["text"]
    # The same streak is not proposed again the next day.
    later = now + timedelta(days=1)
    assert await app.jobs.run(FUND_NEEDS, row, latest_due(FUND_NEEDS, "07:30", later,
                                                          row.timezone), later)  # fmt: skip
    assert len([m for m in tg.messages_in(ADMIN_CHAT) if "需求第" in m.text]) == 1

    await admin.send("/need 老年助餐点 | 嘉木花园 | 60")
    assert "需求第 2 号" in tg.last_message(admin.id).text
    await admin.send("/need 老年助餐点 | 不存在的小区 | 60")
    assert "没有叫“不存在的小区”的微网格" in tg.last_message(admin.id).text
    for typed, answer in (
        ("/need " + "长" * 101 + " | 社区 | 1", "最多 100 个字"),
        ("/need 助餐 | 社区 | 很多", "受益人数请写"),
        ("/need 助餐 | 社区", "添加需求：/need"),
        ("/need " + "x" * 2000, "添加需求：/need"),
        ("/project 2 | 助餐 | 100 | 10 | " + "计" * 1001, "最多 1000 个字"),
        ("/project 2 | 助餐 | 0 | 10 | 计划", "大于零"),
        ("/project a,b | 助餐 | 100 | 10 | 计划", "立项：/project"),
        ("/project 2 | 助餐 | 100 | 10 | 计划 | P-0042", "P-0042"),
    ):
        await admin.send(typed)
        assert answer in tg.last_message(admin.id).text, typed
    await alice.send("/need 助餐 | 社区 | 1")
    assert "只有本社区的工作人员" in tg.last_message(alice.id).text
    await admin.send("/project 1,9 | 楼道照明改造 | 3000 | 120 | 更换声控灯")
    assert "没有需求第 9 号" in tg.last_message(admin.id).text
    await admin.send("/project 1 | 楼道照明改造 | 3000 | 120 | 更换 40 盏声控灯")
    staff = await tg.wait_for_message(admin.id, "项目第 1 号")
    assert "预算：3,000.00 元" in staff.text and "范围：嘉木花园" in staff.text
    await admin.send("/project 1 | 再立一次 | 100 | 1 | 计划")
    assert "不在可立项的清单上" in tg.last_message(admin.id).text

    tax, hospital = tg.user(TAX, "税务局联络人"), tg.user(HOSPITAL, "医院联络人")
    for contact in (tax, hospital):
        await open_private(contact)
    await admin.press(staff, "交共建单位认领")
    offers = [await tg.wait_for_message(c.id, "项目第 1 号") for c in (tax, hospital)]
    assert offers[0].button_texts == ["🙋 认领"]
    stale_claim = offers[0].button("认领")["callback_data"]  # the edit may remove it any time
    query = await alice.press(offers[0], "认领")
    assert "只有共建单位的联系人" in tg.answer_to(query)["text"]
    query = await hospital.press(offers[1], "认领")
    assert "由你们单位承办" in tg.answer_to(query)["text"]
    assert "认领单位：区人民医院" in offers[1].text and "· 认领" in offers[1].text
    assert "医院联络人" in offers[1].text  # each stage names who took it
    query = await tax.press(offers[0], data=stale_claim)
    assert "已经有承办方" in tg.answer_to(query)["text"]
    await tg.wait_for(lambda: "认领单位：区人民医院" in staff.text, what="the staff card")
    await tg.wait_for(lambda: "认领单位：区人民医院" in offers[0].text, what="the other card")
    assert offers[0].button_texts == [] and offers[1].button_texts == ["开始实施"]

    query = await tax.press(offers[1], data="fp:start:1")  # the other unit cannot start it
    assert "认领单位的联系人" in tg.answer_to(query)["text"]
    await hospital.press(offers[1], "开始实施")
    await tg.wait_for(lambda: "实施中" in staff.text, what="the staff card under way")
    await admin.press(staff, "验收")
    assert "已验收" in staff.text
    rate = await tg.wait_for_message(RESIDENTS_CHAT, "项目第 1 号")
    assert rate.button_texts == ["★", "★★", "★★★", "★★★★", "★★★★★"]
    assert "区人民医院" in rate.text and "立项" not in rate.text
    query = await alice.press(rate, "★★★★★")
    assert "谢谢你的评价" in tg.answer_to(query)["text"]
    query = await alice.press(rate, "★★★★★")
    assert "已经评价过" in tg.answer_to(query)["text"]
    query = await world.bob.press(rate, data="fr:1:4")
    assert "居民评价：2 人，平均 4.5 星" in rate.text
    query = await tg.user(5099, "路人").press(rate, data="fr:1:1")
    assert "只有项目范围内登记的居民" in tg.answer_to(query)["text"]
    query = await alice.press(rate, data="fr:1:9")  # forged stars
    assert tg.answer_to(query)["text"]

    await admin.send("/outcome 1 118 | 40 盏灯全部更换，夜间出行更安全")
    assert "成效已记录" in tg.last_message(admin.id).text
    await tg.wait_for(lambda: "成效：受益 118 人" in staff.text, what="the outcome on the card")
    await admin.send("/outcome 1 118 | 再记一次")
    assert "已经不在这一步" in tg.last_message(admin.id).text
    async with app.sessionmaker() as session:
        stages = (await session.scalars(select(ProjectStage.stage).order_by(ProjectStage.id))).all()
        assert stages == ["created", "claimed", "underway", "accepted", "outcome"]
    await alice.send("/projects")
    assert "楼道照明改造（状态：已完成" in tg.last_message(alice.id).text

    # The unit's monthly report lists the project it claimed.
    next_month = (utcnow().replace(day=1) + timedelta(days=32)).replace(day=1, hour=12)
    assert await app.jobs.run(UNIT_REPORTS, row,
                              latest_due(UNIT_REPORTS, "1 10:00", next_month, row.timezone),
                              next_month)  # fmt: skip
    report = await tg.wait_for_message(HOSPITAL, "认领项目：")
    assert "1. 楼道照明改造（状态：已完成" in report.text


async def test_resources_offered_and_an_agreement_reminded(world: World) -> None:
    tg, app, admin, alice = world.telegram, world.app, world.admin, world.alice
    tax = tg.user(TAX, "税务局联络人")
    await open_private(tax)
    await tax.send("/offer 场地 | 三楼会议室 | 每周 2 次")
    assert "已登记到资源清单：三楼会议室" in tg.last_message(tax.id).text
    await admin.send("/offer 区人民医院 | 人力 | 义诊医生 | 4 人 | 2027-06-30")
    assert "义诊医生" in tg.last_message(admin.id).text
    await admin.send("/offer 不存在的单位 | 人力 | 义诊医生 | 4 人")
    assert "没有叫“不存在的单位”的共建单位" in tg.last_message(admin.id).text
    await tax.send("/offer 飞机 | 一架 | 1")
    assert "资源类型请写" in tg.last_message(tax.id).text
    await alice.send("/offer 场地 | 我家客厅 | 1 间")
    assert "只有共建单位的联系人" in tg.last_message(alice.id).text
    async with app.sessionmaker() as session:
        assert len((await session.scalars(select(Resource))).all()) == 2
    row = await community_of(app)
    next_month = (utcnow().replace(day=1) + timedelta(days=32)).replace(day=1, hour=12)
    due = latest_due(UNIT_REPORTS, "1 10:00", next_month, row.timezone)
    assert await app.jobs.run(UNIT_REPORTS, row, due, next_month)
    report = await tg.wait_for_message(TAX, "本月提供资源：")
    assert "三楼会议室（每周 2 次）" in report.text

    today = utcnow().date()
    ends = (today + timedelta(days=20)).isoformat()
    await admin.send(f"/agreement 区税务局 | 2026-01-01 | {ends}")
    assert f"到期日 {ends}" in tg.last_message(admin.id).text
    await admin.send("/agreement 区税务局 | 2026-01-01 | 2025-01-01")
    assert "到期日期要晚于签订日期" in tg.last_message(admin.id).text
    await admin.send("/agreement 区税务局 | 2026-01-01 | 明年")
    assert "2026-12-31 这样的格式" in tg.last_message(admin.id).text
    now = utcnow()
    due = latest_due(FUND_AGREEMENTS, "08:30", now, row.timezone)
    assert await app.jobs.run(FUND_AGREEMENTS, row, due, now)
    reminder = await tg.wait_for_message(ADMIN_CHAT, "共驻共建协议")
    assert f"区税务局 的共驻共建协议将于 {ends} 到期" in reminder.text
    later = now + timedelta(days=1)
    due = latest_due(FUND_AGREEMENTS, "08:30", later, row.timezone)
    assert await app.jobs.run(FUND_AGREEMENTS, row, due, later)
    assert len([m for m in tg.messages_in(ADMIN_CHAT) if "共驻共建协议" in m.text]) == 1


async def test_two_units_claiming_at_once_one_wins(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        admin = await load_member(session, await touch_user(session, 1001, "书记", None, "zh",
                                                            True))  # fmt: skip
        for telegram_id in (TAX, HOSPITAL):
            await touch_user(session, telegram_id, f"联络人{telegram_id}", None, "zh", True)
        scope = await find_scope(session, community, "社区")
        need = await add_need(session, admin, community, title="楼道照明", scope=scope, people=10)
        assert need is not None
        project = await create_project(session, admin, community, need_numbers=[need.number],
                                       title="楼道照明改造", budget="100", people="10",
                                       plan="换灯")  # fmt: skip
        take_notices(session)
        await session.commit()
    start = asyncio.Event()

    async def press(telegram_id: int) -> str:
        async with sessionmaker() as session:
            user = await touch_user(session, telegram_id, "", None, "zh", True)
            member = await load_member(session, user)
            await session.commit()
            await start.wait()
            try:
                await claim(session, member, project.id)
                take_notices(session)
                await session.commit()
                return "won"
            except DomainError as lost:
                await session.rollback()
                return lost.message_id

    tasks = [asyncio.create_task(press(i)) for i in (TAX, HOSPITAL)]
    await asyncio.sleep(0)
    start.set()
    assert sorted(await asyncio.gather(*tasks)) == ["fund-project-had-taker", "won"]
    async with sessionmaker() as session:
        claimed = await session.get(Project, project.id)
        assert claimed is not None and claimed.unit_id is not None
        stages = (await session.scalars(select(ProjectStage.stage))).all()
        assert sorted(stages) == ["claimed", "created"]


def test_needs_add_from_the_command_line(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}", "BOT_TOKEN": "",
           "GRIDBOT_ADMIN_IDS": ""}  # fmt: skip
    assert runner.invoke(cli, ["db", "upgrade"], env=env).exit_code == 0
    assert runner.invoke(cli, ["import", str(SAMPLE_STRUCTURE)], env=env).exit_code == 0
    arguments = ["needs", "add", "--community", "南华社区", "--title", "老年助餐点",
                 "--scope", "嘉木花园", "--people", "60", "--json"]  # fmt: skip
    added = runner.invoke(cli, arguments, env=env)
    assert added.exit_code == 0, added.stderr
    assert json.loads(added.stdout) == {"community": "南华社区", "number": 1,
                                        "title": "老年助餐点", "scope": "micro_grid",
                                        "people": 60}  # fmt: skip
    refused = runner.invoke(cli, ["needs", "add", "--community", "南华社区", "--title", "x",
                                  "--scope", "火星"], env=env)  # fmt: skip
    assert refused.exit_code == 1 and "fund-scope-unknown" in refused.stderr
    assert refused.stdout == ""
    unknown = runner.invoke(cli, ["needs", "add", "--community", "北华社区", "--title", "x",
                                  "--scope", "社区"], env=env)  # fmt: skip
    assert unknown.exit_code == 1 and "no community named" in unknown.stderr
    bad = runner.invoke(cli, ["needs", "add", "--community", "南华社区", "--title", "x",
                              "--scope", "社区", "--people", "-1"], env=env)  # fmt: skip
    assert bad.exit_code == 2


async def test_bought_from_a_partner_or_undertaken_and_forged_presses(world: World) -> None:
    tg, app, admin, alice = world.telegram, world.app, world.admin, world.alice
    await import_structure(app.sessionmaker, SERVICES)  # the community's partners
    await admin.send("/need 老人吃饭难 | 嘉木花园 | 40")
    await admin.send("/need 楼道堆物 | 第一网格 | 300")
    await admin.send("/project 1 | 长者助餐 | 5000 | 40 | 每周五天午餐")
    meals = await tg.wait_for_message(admin.id, "项目第 1 号")
    assert meals.button_texts == ["交共建单位认领", "社区承接", "向社会力量购买", "撤销项目"]
    query = await alice.press(meals, "向社会力量购买")
    assert "只有本社区的工作人员" in tg.answer_to(query)["text"]
    await admin.press(meals, "向社会力量购买")
    pick = await tg.wait_for_message(admin.id, "向哪家社会力量购买")
    assert pick.button_texts == ["悦食坊", "巧手裁缝铺"]
    query = await alice.press(pick, "悦食坊")
    assert "只有本社区的工作人员" in tg.answer_to(query)["text"]
    await admin.press(pick, "悦食坊")
    assert "已确定向社会力量购买" in pick.text
    await tg.wait_for(lambda: "购买服务：悦食坊" in meals.text, what="the card bought")
    query = await admin.press(pick, data="fpp:1:2")  # the other partner, too late
    assert "已经有承办方" in tg.answer_to(query)["text"]

    await admin.send("/project 2 | 楼道清理 | 800 | 300 | 清理楼道堆物")
    cleanup = await tg.wait_for_message(admin.id, "项目第 2 号")
    await admin.press(cleanup, "社区承接")
    assert "承接：全社区" in cleanup.text and cleanup.button_texts == ["开始实施", "撤销项目"]

    for data in ("fp:bogus:1", "fp:claim:999", "fpp:1:999", "fr:999:3", "fn:999:1", "fp:units:x",
                 "fp:" + "a" * 70):  # fmt: skip
        query = await admin.press(cleanup, data=data)
        answer = tg.answer_to(query)
        assert answer is not None and answer.get("text"), data
    assert "承接：全社区" in cleanup.text
    async with app.sessionmaker() as session:
        taken = (await session.scalars(select(Project.take_up).order_by(Project.number))).all()
    assert [t.value for t in taken] == ["purchase", "undertake"]


async def test_a_need_added_step_by_step(world: World) -> None:
    tg, admin = world.telegram, world.admin
    await admin.send("/need")
    assert "请发来需求的标题" in tg.last_message(admin.id).text
    await admin.send("长" * 101)
    assert "最多 100 个字" in tg.last_message(admin.id).text
    await admin.send("老年助餐点")
    scopes = tg.last_message(admin.id)
    assert scopes.button_texts == ["全社区", "第一网格", "嘉木花园"]
    query = await world.alice.press(scopes, "嘉木花园")
    assert "只有本社区的工作人员" in tg.answer_to(query)["text"]
    query = await admin.press(scopes, data="fns:micro_grid:999")  # forged
    assert tg.answer_to(query)["text"]
    await admin.press(scopes, "嘉木花园")
    assert "能帮到多少人" in scopes.text
    await admin.send("好多")
    assert "受益人数请写" in tg.last_message(admin.id).text
    await admin.send("60")
    assert "需求第 1 号" in tg.last_message(admin.id).text
    query = await admin.press(scopes, data="fns:micro_grid:1")  # the old button, flow over
    assert tg.answer_to(query)["text"]
    await admin.send("/needs")
    assert "1. 老年助餐点（已纳入需求清单，受益 60 人）" in tg.last_message(admin.id).text
