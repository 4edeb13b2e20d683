"""The one-key call end to end: staff enable it, the caller gets the 🆘 button, one press
alerts the micro-grid's leaders and on-duty volunteers (privately, with address and phone)
and the leaders' chat (without them); the first 我去处理 wins and the caller is told; an
unanswered call reaches the grid's workers, then the admins, each once; a false alarm can be
cancelled. Also: exactly one winner under concurrent presses, and urgent outbox rows first."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import App
from models.base import set_clock_offset, utcnow
from models.care.access import Viewer
from models.care.calls import accept_call, enable_caller, raise_call
from models.care.households import save_household
from models.care.tables import CallStatus, Colour, EmergencyCall
from models.checkins import Checkin, CheckinStatus
from models.errors import InvalidState
from models.members import Role, grant_role, load_member, touch_user
from models.notices import take_notices
from models.outbox import OutboxMessage, due_heads
from models.structure import Building, MicroGrid
from playground import FakeTelegram
from tests.care_helpers import add_household, data_key
from tests.conftest import import_structure
from tests.helpers import ADMIN_CHAT, GRID_CHAT, LEADERS_CHAT, World, build_world

__all__ = ["data_key"]


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    return await build_world(telegram, structure)


@pytest.fixture(autouse=True)
def clock_back() -> object:
    yield
    set_clock_offset(timedelta(0))


async def enable_alice(world: World) -> None:
    """The leader enables the call for Alice (5001) on the household at 2号楼 302."""
    tg, leader = world.telegram, world.leader
    await add_household(world.app)
    await leader.send("/care")
    await leader.press(tg.last_message(leader.id), "2号楼 302")
    await leader.press(tg.last_message(leader.id), "开通一键呼叫")
    await leader.send("5001")
    assert "已为 Alice 开通一键呼叫" in tg.last_message(leader.id).text
    await tg.wait_for(lambda: tg.reply_keyboards.get(world.alice.id), what="the 🆘 keyboard")


async def test_call_alerts_the_micro_grid_and_the_first_to_accept_goes(world: World) -> None:
    tg, alice = world.telegram, world.alice
    carol, dave = tg.user(5003, "Carol"), tg.user(5004, "Dave")  # volunteers; Carol on duty
    for person in (carol, dave):
        await person.send("/help")
    async with world.app.sessionmaker() as session:
        micro_grid = await session.scalar(select(MicroGrid))
        assert micro_grid is not None
        for person in (carol, dave):
            user = await touch_user(session, person.id, person.first_name, None, "zh", True)
            await grant_role(
                session,
                user,
                Role.VOLUNTEER,
                micro_grid.community_id,
                grid_id=micro_grid.grid_id,
                micro_grid_id=micro_grid.id,
            )
            if person is carol:
                session.add(
                    Checkin(
                        user_id=user.id,
                        community_id=micro_grid.community_id,
                        micro_grid_id=micro_grid.id,
                        status=CheckinStatus.OPEN,
                    )
                )
        await session.commit()
    await enable_alice(world)
    keyboard = tg.reply_keyboards[alice.id]
    assert keyboard["keyboard"][0][0]["text"] == "🆘 一键呼叫" and keyboard["is_persistent"]

    await alice.send("🆘 一键呼叫")
    # her own card of the call comes through the outbox, before or after this answer
    await tg.wait_for_message(alice.id, "你的呼叫（")
    assert any("已发出呼叫" in m.text for m in tg.messages_in(alice.id))
    for person in (world.leader, world.other_leader, carol):
        alert = await tg.wait_for_message(person.id, "呼叫时间")
        assert "2号楼 302" in alert.text and "13800001111" in alert.text
        assert alert.button_texts == ["我去处理"]
    group = await tg.wait_for_message(LEADERS_CHAT, "呼叫时间")
    assert "2号楼" in group.text and "302" not in group.text and "1380000" not in group.text
    assert "王奶奶" not in group.text
    assert not any("呼叫时间" in m.text for m in tg.messages_in(dave.id))  # not on duty
    async with world.app.sessionmaker() as session:
        priorities = set(
            await session.scalars(
                select(OutboxMessage.priority).where(OutboxMessage.dedup_key.like("care-call:%"))
            )
        )
    assert priorities == {1}

    await alice.send("/sos")  # pressed again: nobody is alerted twice
    assert "正在处理中" in tg.last_message(alice.id).text

    other_copy = await tg.wait_for_message(world.other_leader.id, "呼叫时间")
    query = await world.other_leader.press(other_copy, "我去处理")
    assert "呼叫人已收到通知" in tg.answer_to(query)["text"]
    assert "网格长乙 正在赶来" in (await tg.wait_for_message(alice.id, "正在赶来")).text
    leader_copy = await tg.wait_for_message(world.leader.id, "网格长乙 已接单")
    assert leader_copy.button_texts == ["已到达", "处理完毕"]
    async with world.app.sessionmaker() as session:
        call_id = await session.scalar(select(EmergencyCall.id))
    # The leader's 我去处理 pressed late (an old copy keeps its button until it is edited).
    query = await world.leader.press(leader_copy, data=f"sos:accept:{call_id}")
    assert "网格长乙 已经在处理" in tg.answer_to(query)["text"]

    mine = await tg.wait_for_message(world.other_leader.id, "已接单")
    await world.other_leader.press(mine, "已到达")
    await world.other_leader.press(tg.last_message(world.other_leader.id), "处理完毕")
    async with world.app.sessionmaker() as session:
        call = await session.scalar(select(EmergencyCall))
        assert call is not None and call.status == CallStatus.CLOSED
        assert call.accepted_at and call.arrived_at and call.closed_at and call.seen_at
        assert call.called_at <= call.seen_at <= call.accepted_at <= call.arrived_at
        assert call.arrived_at <= call.closed_at
    await tg.wait_for_message(LEADERS_CHAT, "已处理完毕")


async def call_level(app: App) -> int:
    async with app.sessionmaker() as session:
        level = await session.scalar(select(EmergencyCall.level))
        assert level is not None
        return level


async def test_unanswered_call_reaches_workers_then_admins_once_each(world: World) -> None:
    tg = world.telegram
    await world.worker.send("/help")
    await world.admin.send("/help")
    await enable_alice(world)
    await world.alice.send("/sos")
    await tg.wait_for_message(world.leader.id, "呼叫时间")
    job = world.app.emergency
    assert await job.run() == 0  # within the first three minutes nobody else is told

    # The running bot's own scheduler may take a run as well: what is checked is the outcome.
    set_clock_offset(timedelta(minutes=3, seconds=1))
    await job.run()
    alert = await tg.wait_for_message(world.worker.id, "呼叫时间")
    assert "2号楼 302" in alert.text and "13800001111" in alert.text
    group = await tg.wait_for_message(GRID_CHAT, "呼叫时间")
    assert "302" not in group.text
    await tg.wait_for_message(world.leader.id, "已通知网格员")  # every copy says so
    assert await job.run(utcnow() + timedelta(seconds=30)) == 0  # once
    assert await call_level(world.app) == 1
    assert not any("呼叫时间" in m.text for m in tg.messages_in(world.admin.id))

    set_clock_offset(timedelta(minutes=6, seconds=2))
    await job.run()
    await tg.wait_for_message(world.admin.id, "呼叫时间")
    await tg.wait_for_message(ADMIN_CHAT, "呼叫时间")
    set_clock_offset(timedelta(minutes=20))
    assert await job.run() == 0
    assert await call_level(world.app) == 2
    async with world.app.sessionmaker() as session:
        keys = list(
            await session.scalars(
                select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.like("care-call:%"))
            )
        )
    # Each person and chat was alerted once: 2 leaders, the worker, the admin; 3 staff chats.
    assert len(keys) == len(set(keys)) == 2 + 1 + 1 + 3 + 1  # and the caller's own card

    # The worker takes it at last; the caller cancels it as a false alarm.
    await world.worker.press(tg.last_message(world.worker.id), "我去处理")
    await tg.wait_for_message(world.alice.id, "网格员 正在赶来")
    mine = next(m for m in reversed(tg.messages_in(world.alice.id)) if m.buttons)
    query = await world.alice.press(mine, "取消呼叫")
    assert tg.answer_to(query)["text"]
    await tg.wait_for_message(world.worker.id, "已取消")
    async with world.app.sessionmaker() as session:
        call = await session.scalar(select(EmergencyCall))
        assert call is not None and call.status == CallStatus.CANCELLED and call.level == 2


async def test_sos_from_someone_not_enabled_alerts_nobody(world: World) -> None:
    tg = world.telegram
    await world.bob.send("/sos")
    assert "还没有开通一键呼叫" in tg.last_message(world.bob.id).text
    await world.bob.send("🆘 一键呼叫")
    assert "还没有开通一键呼叫" in tg.last_message(world.bob.id).text
    async with world.app.sessionmaker() as session:
        assert await session.scalar(select(func.count(EmergencyCall.id))) == 0
    assert not any("呼叫时间" in m.text for m in tg.messages_in(LEADERS_CHAT))
    assert not any("呼叫时间" in m.text for m in tg.messages_in(world.leader.id))
    # A forged button on someone else's call is refused like a stale one.
    query = await world.bob.press(tg.last_message(world.bob.id), data="sos:accept:1")
    assert "按钮已失效" in tg.answer_to(query)["text"]
    query = await world.bob.press(tg.last_message(world.bob.id), data="sos:teleport:1")
    assert "按钮已失效" in tg.answer_to(query)["text"]


async def test_enabling_needs_a_person_who_pressed_start(world: World) -> None:
    tg, leader = world.telegram, world.leader
    await add_household(world.app)
    await leader.send("/care")
    await leader.press(tg.last_message(leader.id), "2号楼 302")
    await leader.press(tg.last_message(leader.id), "开通一键呼叫")
    await leader.send("abc")
    assert "请输入数字 ID" in tg.last_message(leader.id).text
    await leader.send("777777")
    assert "没有找到这个人" in tg.last_message(leader.id).text


# --- concurrency, on SQLite and PostgreSQL ------------------------------------------------


PRESSERS = 6


async def seed_call(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        micro_grid = await session.scalar(select(MicroGrid))
        building = await session.scalar(select(Building).where(Building.name == "2号楼"))
        assert micro_grid is not None and building is not None
        for n in range(PRESSERS):
            leader = await touch_user(session, 7000 + n, f"网格长{n}", None, "zh", True)
            await grant_role(
                session,
                leader,
                Role.LEADER,
                micro_grid.community_id,
                grid_id=micro_grid.grid_id,
                micro_grid_id=micro_grid.id,
            )
        staff = await load_member(session, await touch_user(session, 7000, "", None, "zh", True))
        household, _ = await save_household(
            session,
            Viewer.of(staff),
            building_id=building.id,
            unit_id=None,
            room="302",
            colour=Colour.RED,
            reason="独居",
        )
        await touch_user(session, 5001, "Alice", None, "zh", True)
        await enable_caller(session, Viewer.of(staff), household.id, 5001)
        await session.commit()
        return household.id


async def test_two_presses_of_the_button_make_one_call_and_one_acceptance_wins(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await seed_call(sessionmaker)
    start = asyncio.Event()

    async def call_once() -> bool:
        async with sessionmaker() as session:
            member = await load_member(
                session, await touch_user(session, 5001, "Alice", None, "zh", True)
            )
            await session.commit()
            await start.wait()
            alert = await raise_call(session, member, utcnow())
            take_notices(session)
            await session.commit()
            return alert is not None

    calls = [asyncio.create_task(call_once()) for _ in range(3)]
    await asyncio.sleep(0.05)
    start.set()
    assert sorted(await asyncio.gather(*calls)) == [False, False, True]
    async with sessionmaker() as session:
        call_id = await session.scalar(select(EmergencyCall.id))
        assert call_id is not None

    go = asyncio.Event()

    async def press(n: int) -> str:
        async with sessionmaker() as session:
            member = await load_member(
                session, await touch_user(session, 7000 + n, f"网格长{n}", None, "zh", True)
            )
            await session.commit()
            await go.wait()
            try:
                await accept_call(session, member, call_id, utcnow())
                take_notices(session)
                await session.commit()
                return "won"
            except InvalidState as lost:
                await session.rollback()
                return f"lost:{lost.args_for_message.get('name')}"

    presses = [asyncio.create_task(press(n)) for n in range(PRESSERS)]
    await asyncio.sleep(0.05)
    go.set()
    results = await asyncio.gather(*presses)
    assert results.count("won") == 1
    winner = results.index("won")
    assert all(r == f"lost:网格长{winner}" for r in results if r != "won")
    async with sessionmaker() as session:
        call = await session.get(EmergencyCall, call_id)
        assert call is not None and call.status == CallStatus.ACCEPTED


async def test_urgent_outbox_rows_are_sent_before_older_ones(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session:
        for n in range(5):
            session.add(
                OutboxMessage(
                    chat_id=100 + n, method="sendMessage", payload={"text": f"digest {n}"}
                )
            )
        session.add(OutboxMessage(chat_id=100, method="sendMessage", payload={"text": "later"}))
        session.add(
            OutboxMessage(chat_id=100, method="sendMessage", payload={"text": "sos"}, priority=1)
        )
        session.add(
            OutboxMessage(chat_id=200, method="sendMessage", payload={"text": "sos 2"}, priority=1)
        )
        await session.commit()
    async with sessionmaker() as session, session.begin():
        heads = await due_heads(session, utcnow(), 2)
        texts = [(await session.get(OutboxMessage, row_id)).payload["text"] for row_id, _ in heads]
    # The urgent rows come first, the one in chat 100 ahead of that chat's older rows.
    assert texts == ["sos", "sos 2"]
    async with sessionmaker() as session, session.begin():
        heads = await due_heads(session, utcnow(), 10)
        assert len(heads) == 1 + 2 + 4  # chat 100's urgent row, chat 200, and the other chats
