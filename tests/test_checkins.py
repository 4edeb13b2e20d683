"""Volunteer service end to end: activities with sign-up, check-in/out and points; free-form
service stamped or declined by a leader; the limits against abuse."""

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import App
from models.base import utcnow
from models.checkins import Checkin, CheckinStatus, check_in, create_activity, sign_up
from models.errors import DomainError
from models.members import User, load_member, register_residence, touch_user
from models.structure import Building
from playground import FakeTelegram
from tests.conftest import import_structure
from tests.helpers import RESIDENTS_CHAT, World, build_world, open_private, register

ZONE = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    return await build_world(telegram, structure)


def local(minutes_from_now: int) -> str:
    return (
        (utcnow() + timedelta(minutes=minutes_from_now)).astimezone(ZONE).strftime("%Y-%m-%d %H:%M")
    )


async def test_activity_sign_up_check_in_check_out_and_points(world: World) -> None:
    tg, leader = world.telegram, world.leader
    await leader.send(f"/activity 楼道清洁日 | 2号楼 | {local(-5)} | {local(120)} | 10 | 5 | 2")
    assert "已发布" in tg.last_message(leader.id).text
    card = await tg.wait_for_message(RESIDENTS_CHAT, "楼道清洁日")
    assert "名额：2 人" in card.text and card.button_texts == ["✋ 报名", "📍 签到"]

    carol = tg.user(5003, "Carol")
    await register(world.app, carol, "1号楼")
    query = await world.alice.press(card, "报名")
    assert "已有 1 人报名" in tg.answer_to(query)["text"]
    query = await world.alice.press(card, "报名")
    assert "已经报名" in tg.answer_to(query)["text"]
    query = await world.bob.press(card, "报名")
    assert "已有 2 人报名" in tg.answer_to(query)["text"]
    query = await carol.press(card, "报名")
    assert "名额已满" in tg.answer_to(query)["text"]

    query = await world.alice.press(card, "签到")
    assert "已签到" in tg.answer_to(query)["text"]
    query = await world.alice.press(card, "签到")
    assert "未签退" in tg.answer_to(query)["text"]
    await world.alice.send("/checkout")
    done = tg.last_message(world.alice.id)
    assert "获得 5 积分" in done.text  # checked out within the first hour: attendance only
    # the points' notice comes through the outbox: let it arrive before the next answers
    await tg.wait_for_message(world.alice.id, "已签章，获得 5 积分")
    await world.alice.send("/checkout")
    assert "没有进行中" in tg.last_message(world.alice.id).text
    await world.alice.send("/points")
    assert "当前积分：5" in tg.last_message(world.alice.id).text


async def test_check_in_outside_the_window_is_refused(world: World) -> None:
    tg = world.telegram
    await world.leader.send(
        f"/activity 周末义诊 | 活动室 | {local(24 * 60)} | {local(25 * 60)} | 0 | 5 | 30"
    )
    card = await tg.wait_for_message(RESIDENTS_CHAT, "周末义诊")
    query = await world.alice.press(card, "签到")
    assert "不在「周末义诊」的签到时间内" in tg.answer_to(query)["text"]
    await world.alice.send(f"/activity 我也发 | 家 | {local(1)} | {local(60)} | 1 | 1 | 1")
    assert "只有微网格长" in tg.last_message(world.alice.id).text
    await world.leader.send("/activity 缺字段 | 只有两个")
    assert "用法" in tg.last_message(world.leader.id).text
    await world.leader.send(f"/activity 倒着的 | 家 | {local(60)} | {local(1)} | 1 | 1 | 1")
    assert "结束时间要晚于开始时间" in tg.last_message(world.leader.id).text


async def test_free_form_service_stamped_and_declined(world: World) -> None:
    tg, leader, other = world.telegram, world.leader, world.other_leader
    await world.alice.send("/checkin 帮独居老人买菜", chat=world.residents)
    assert "等待微网格长签章" in tg.last_message(RESIDENTS_CHAT).text
    review = await tg.wait_for_message(leader.id, "帮独居老人买菜")
    second_copy = await tg.wait_for_message(other.id, "帮独居老人买菜")  # every leader's
    stale = second_copy.button("签章通过")["callback_data"]
    await leader.press(review, "签章通过")
    assert "已签章" in review.text
    await tg.wait_for_message(world.alice.id, "获得 5 积分")
    await tg.wait_for(lambda: "已签章" in second_copy.text, what="the other copy stamped")
    query = await other.press(second_copy, data=stale)  # pressed on a client not yet updated
    assert "已经处理过" in tg.answer_to(query)["text"]

    await world.alice.send("/checkin 陪邻居聊天")
    review = await tg.wait_for_message(leader.id, "陪邻居聊天")
    await leader.press(review, "不通过")
    await leader.send("这不属于志愿服务范围")
    assert "已退回" in tg.last_message(leader.id).text
    await tg.wait_for_message(world.alice.id, "这不属于志愿服务范围")
    async with world.app.sessionmaker() as session:
        statuses = (await session.scalars(select(Checkin.status).order_by(Checkin.id))).all()
    assert statuses == [CheckinStatus.APPROVED, CheckinStatus.REJECTED]


async def test_abuse_limits(world: World) -> None:
    tg, leader = world.telegram, world.leader
    # A leader cannot stamp their own service.
    await register(world.app, leader, "1号楼")
    await leader.send("/checkin 打扫楼道")
    review = await tg.wait_for_message(world.other_leader.id, "打扫楼道")
    query = await leader.press(review, "签章通过")
    assert "不能给自己的服务签章" in tg.answer_to(query)["text"]
    # A resident cannot stamp anything.
    query = await world.bob.press(review, "签章通过")
    assert "只有本微网格的网格长" in tg.answer_to(query)["text"]
    # Daily cap on free-form points: 5 each, at most 20 a day.
    for n in range(5):
        await world.alice.send(f"/checkin 第{n}次服务")
        card = await tg.wait_for_message(leader.id, f"第{n}次服务")
        await leader.press(card, "签章通过")
    async with world.app.sessionmaker() as session:
        points = (
            await session.scalars(
                select(Checkin.points).where(Checkin.status == CheckinStatus.APPROVED)
                .order_by(Checkin.id)
            )
        ).all()  # fmt: skip
    assert points == [5, 5, 5, 5, 0]
    await world.alice.send("/checkin")
    # the last stamp's notice may still be on its way: wait for the answer itself
    await tg.wait_for_message(world.alice.id, "用法")
    await open_private(tg.user(5999, "路人"))
    await tg.user(5999, "路人").send("/checkin 做好事")
    assert "登记住址" in tg.last_message(5999).text


async def test_point_amounts_come_from_the_structure_file(world: World) -> None:
    from tests.conftest import SAMPLE_STRUCTURE
    from tests.test_import import import_text

    text = (
        SAMPLE_STRUCTURE.read_text() + "points:\n  free_service: 8\n  free_service_daily_cap: 10\n"
    )
    await import_text(world.app.sessionmaker, text)
    tg, leader = world.telegram, world.leader
    for n in range(2):
        await world.alice.send(f"/checkin 服务{n}")
        card = await tg.wait_for_message(leader.id, f"服务{n}")
        await leader.press(card, "签章通过")
    async with world.app.sessionmaker() as session:
        points = (await session.scalars(select(Checkin.points).order_by(Checkin.id))).all()
    assert points == [8, 2]


async def test_two_check_ins_at_once_open_one(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Two presses of Check in at the same instant: one open check-in, the other refused."""
    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        user = await touch_user(session, 5001, "Alice", None, "zh", True)
        building = await session.scalar(select(Building))
        await register_residence(session, user, building.id, None, None)
        leader = await touch_user(session, 3001, "网格长甲", None, "zh", True)
        now = utcnow()
        activity = await create_activity(
            session, await load_member(session, leader), building.micro_grid_id,
            title="清扫楼道", place="3号楼", starts_at=now - timedelta(minutes=5),
            ends_at=now + timedelta(hours=1), points_per_hour=0, points_per_attendance=5,
            slots=10,
        )  # fmt: skip
        await sign_up(session, await load_member(session, user), activity.id, now)
        await session.commit()

    async def press() -> str:
        async with sessionmaker() as session:
            member = await load_member(session, await session.get(User, user.id))
            try:
                await check_in(session, member, activity.id, utcnow())
                await session.commit()
                return "in"
            except DomainError as error:
                await session.rollback()
                return error.message_id

    outcomes = await asyncio.gather(*(press() for _ in range(4)))
    assert sorted(outcomes) == ["checkin-already-open"] * 3 + ["in"]
    async with sessionmaker() as session:
        statuses = (await session.scalars(select(Checkin.status))).all()
        assert statuses == [CheckinStatus.OPEN]
