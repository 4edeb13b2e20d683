"""街道吹哨、部门报到 end to end: a request escalated to the community, the whistle, a department
that reports in late (reminded once, listed in the daily feedback), then done with a note; the
resident told at each step without learning who the staff are."""

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import App
from models.base import set_clock_offset, utcnow
from models.errors import DomainError
from models.members import load_member, touch_user
from models.party import Department, Whistle
from models.party.whistles import blow, report_in
from models.requests import RequestEvent
from models.schedule import DAILY, MONTHLY, latest_due
from models.structure import Community
from playground import FakeTelegram
from tests.helpers import (
    ADMIN_CHAT,
    LEADERS_CHAT,
    World,
    build_world,
    open_private,
    request_by_number,
)

DEPARTMENT_CHAT = -1001000000009
OTHER_DEPARTMENT_CHAT = -1001000000010


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    return await build_world(telegram, structure)


@pytest.fixture(autouse=True)
def real_clock():  # type: ignore[no-untyped-def]
    yield
    set_clock_offset(timedelta(0))


async def escalated_to_community(world: World, text: str = "小区门口占道经营，无法通行") -> None:
    tg, app = world.telegram, world.app
    await world.alice.send(f"/report {text}", chat=world.residents)
    await tg.wait_for_message(LEADERS_CHAT, text[:6])
    start = utcnow()
    assert await app.escalation.run(now=start + timedelta(hours=5)) >= 1
    assert await app.escalation.run(now=start + timedelta(hours=10)) >= 1


async def test_whistle_reported_in_late_then_done(world: World) -> None:
    tg, app, admin, alice = world.telegram, world.app, world.admin, world.alice
    tg.group(DEPARTMENT_CHAT, "城管执法中队工作群")
    officer, other_officer = tg.user(7001, "城管老王"), tg.user(7002, "住建小李")
    await open_private(officer)
    await open_private(admin)
    await escalated_to_community(world)
    card = await tg.wait_for_message(ADMIN_CHAT, "R-0001")
    assert "📣 吹哨" in card.button_texts

    query = await world.leader.press(card, "吹哨")
    assert "只有本社区的管理员可以吹哨" in tg.answer_to(query)["text"]
    await admin.press(card, "吹哨")
    choose = await tg.wait_for_message(ADMIN_CHAT, "向哪个部门吹哨")
    assert choose.button_texts == ["城管执法中队", "区住建局"]
    await admin.press(choose, "城管执法中队")
    assert "已为 R-0001 向 城管执法中队 吹哨" in choose.text
    query = await admin.press(choose, data=choose.raw.get("reply_markup", {}).get(
        "inline_keyboard", [[{"callback_data": "wp:1:1"}]])[0][0]["callback_data"])
    assert "已经为 R-0001 向 城管执法中队 吹过哨" in tg.answer_to(query)["text"]

    whistle_card = await tg.wait_for_message(DEPARTMENT_CHAT, "社区吹哨")
    assert "占道经营" in whistle_card.text and whistle_card.button_texts == ["🙋 报到"]
    assert "Alice" not in whistle_card.text and "302" not in whistle_card.text
    await tg.wait_for_message(alice.id, "已由社区吹哨，交由 城管执法中队 处理")

    # Another department's contact, and forged buttons: nothing changes.
    query = await other_officer.press(whistle_card, "报到")
    assert "只有城管执法中队的联络人" in tg.answer_to(query)["text"]
    for data in ("wh:report_in:999", "wh:explode:1", "wh:done", "ws:999", "wp:1:999", "wp:x:1"):
        query = await officer.press(whistle_card, data=data)
        assert tg.answer_to(query)["text"]
    query = await admin.press(choose, data="wp:1:999")
    assert "这个部门已不在本社区名单中" in tg.answer_to(query)["text"]
    query = await officer.press(whistle_card, data="wh:done:1")
    assert "请先点“报到”" in tg.answer_to(query)["text"]

    # Not reported in by its response time: reminded once, and listed in the daily feedback.
    later = utcnow() + timedelta(hours=25)
    await app.escalation.run(now=later)
    reminder = await tg.wait_for_message(DEPARTMENT_CHAT, "尚未报到")
    assert "R-0001" in reminder.text
    await app.escalation.run(now=later + timedelta(hours=1))
    assert len([m for m in tg.messages_in(DEPARTMENT_CHAT) if "尚未报到" in m.text]) == 1
    async with app.sessionmaker() as session:
        community = await session.scalar(select(Community))
        assert community is not None
    set_clock_offset(timedelta(hours=25))
    today = utcnow().astimezone(ZoneInfo(community.timezone)).date()
    assert await app.jobs.run_on(DAILY, community, today, utcnow())
    daily = await tg.wait_for_message(ADMIN_CHAT, "吹哨未按时报到的部门")
    assert "城管执法中队：R-0001" in daily.text

    await officer.press(whistle_card, "报到")
    assert "超时" in whistle_card.text and whistle_card.button_texts == ["✅ 办结"]
    await tg.wait_for_message(alice.id, "城管执法中队 已就 R-0001 报到")
    query = await officer.press(whistle_card, data="wh:report_in:1")
    assert "已经报到过了" in tg.answer_to(query)["text"]

    await officer.press(whistle_card, "办结")
    await tg.wait_for_message(officer.id, "请发送办结说明")
    await officer.send("已清理占道摊位，恢复通行")
    await tg.wait_for_message(officer.id, "已办结，说明已记录并告知居民")
    await tg.wait_for(lambda: "已办结" in whistle_card.text and not whistle_card.button_texts,
                      what="the department card done")  # fmt: skip
    told = await tg.wait_for_message(alice.id, "已办结 R-0001：已清理占道摊位")
    resident_texts = "".join(m.text for m in tg.messages_in(alice.id))
    assert "老王" not in resident_texts and "书记" not in resident_texts and told

    request = await request_by_number(app, 1)
    async with app.sessionmaker() as session:
        events = (await session.scalars(select(RequestEvent).where(
            RequestEvent.request_id == request.id).order_by(RequestEvent.id))).all()  # fmt: skip
    steps = [(e.action, e.note) for e in events if e.action in
             ("whistle", "report_in", "department_done")]  # fmt: skip
    assert steps == [("whistle", "城管执法中队"), ("report_in", "城管执法中队 (late)"),
                     ("department_done", "城管执法中队: 已清理占道摊位，恢复通行")]  # fmt: skip

    # The monthly summary counts it per department.
    first_of_next_month = (utcnow().replace(day=1) + timedelta(days=32)).replace(day=1, hour=12)
    due = latest_due(MONTHLY, "1 09:00", first_of_next_month, community.timezone)
    assert await app.jobs.run(MONTHLY, community, due, first_of_next_month)
    summary = await tg.wait_for_message(ADMIN_CHAT, "街道吹哨、部门报到")
    assert "城管执法中队：吹哨 1 次，按时报到 0 次，办结 1 次" in summary.text


async def test_whistle_refusals(world: World) -> None:
    tg, admin = world.telegram, world.admin
    tg.group(OTHER_DEPARTMENT_CHAT, "区住建局工作群")
    await open_private(admin)
    await world.alice.send("/report 楼道里堆满杂物", chat=world.residents)
    await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    await admin.send("/whistle R-0001 城管执法中队 堆物需清理")
    await tg.wait_for_message(admin.id, "还没有上报到社区")
    await admin.send("/whistle R-0001")
    await tg.wait_for_message(admin.id, "用法：/whistle")
    await admin.send("/whistle R-9999 城管执法中队")
    await tg.wait_for_message(admin.id, "没有编号为 R-9999 的记录")
    await world.leader.send("/whistle R-0001 城管执法中队")
    await tg.wait_for_message(world.leader.id, "只有本社区的管理员可以吹哨")
    await escalated_to_community(world, "消防通道被私家车堵塞")
    await admin.send("/whistle R-0002 不存在的部门 原因")
    await tg.wait_for_message(admin.id, "没有名为“不存在的部门”的部门")
    await admin.send("/whistle R-0002 区住建局 " + "长" * 400)
    await tg.wait_for_message(admin.id, "内容太长了（400 字）")
    await admin.send("/whistle R-0002 区住建局 消防通道需疏通")
    await tg.wait_for_message(admin.id, "已为 R-0002 向 区住建局 吹哨")
    card = await tg.wait_for_message(OTHER_DEPARTMENT_CHAT, "消防通道需疏通")
    assert "R-0002" in card.text
    async with world.app.sessionmaker() as session:
        whistles = (await session.scalars(select(Whistle))).all()
        assert len(whistles) == 1


async def test_concurrent_report_ins_count_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    from tests.conftest import import_structure

    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        from models.members import register_residence
        from models.requests import RequestKind, RoutingLevel
        from models.requests.intake import submit
        from models.structure import Building

        user = await touch_user(session, 5001, "Alice", None, "zh", True)
        building = await session.scalar(select(Building).where(Building.name == "2号楼"))
        assert building is not None
        await register_residence(session, user, building.id, None, "302")
        submitted = await submit(session, await load_member(session, user), RequestKind.REPORT,
                                 "路灯坏了")  # fmt: skip
        submitted.request.escalation_level = RoutingLevel.COMMUNITY
        department = await session.scalar(
            select(Department).where(Department.name == "城管执法中队")
        )
        assert department is not None
        whistle = Whistle(community_id=submitted.request.community_id,
                          request_id=submitted.request.id, department_id=department.id,
                          due_at=datetime.now(UTC) + timedelta(hours=24))  # fmt: skip
        session.add(whistle)
        await touch_user(session, 7001, "城管老王", None, "zh", True)
        await session.commit()

    async def press() -> bool:
        async with sessionmaker() as session:
            officer = await load_member(session, await touch_user(session, 7001, "城管老王",
                                                                   None, "zh", True))  # fmt: skip
            try:
                await report_in(session, officer, whistle.id)
                await session.commit()
                return True
            except DomainError:
                await session.rollback()
                return False

    assert sorted(await asyncio.gather(press(), press(), press())) == [False, False, True]
    async with sessionmaker() as session:
        events = (await session.scalars(
            select(RequestEvent).where(RequestEvent.action == "report_in"))).all()  # fmt: skip
        assert len(events) == 1


async def test_two_admins_whistling_at_once_whistle_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    from tests.conftest import import_structure

    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        from models.members import register_residence
        from models.requests import RequestKind, RoutingLevel
        from models.requests.intake import submit
        from models.structure import Building

        user = await touch_user(session, 5001, "Alice", None, "zh", True)
        building = await session.scalar(select(Building).where(Building.name == "2号楼"))
        assert building is not None
        await register_residence(session, user, building.id, None, "302")
        request = (await submit(session, await load_member(session, user), RequestKind.REPORT,
                                "井盖缺失")).request  # fmt: skip
        request.escalation_level = RoutingLevel.COMMUNITY
        department = await session.scalar(
            select(Department).where(Department.name == "城管执法中队")
        )
        assert department is not None
        await session.commit()

    async def whistle() -> bool:
        async with sessionmaker() as session:
            admin = await load_member(session, await touch_user(session, 1001, "书记", None,
                                                                 "zh", True))  # fmt: skip
            try:
                await blow(session, admin, request.id, department.id, "井盖缺失有危险")
                await session.commit()
                return True
            except DomainError:
                await session.rollback()
                return False

    assert sorted(await asyncio.gather(whistle(), whistle())) == [False, True]
    async with sessionmaker() as session:
        events = (await session.scalars(
            select(RequestEvent).where(RequestEvent.action == "whistle"))).all()  # fmt: skip
        assert [e.note for e in events] == ["城管执法中队: 井盖缺失有危险"]
