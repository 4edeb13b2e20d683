"""The request loop end to end: people in chats, the real bot, the fake Bot API over HTTP."""

from datetime import timedelta

import pytest

from bot.app import App
from models.base import utcnow
from models.requests import RequestStatus, RoutingLevel
from playground import FakeTelegram
from tests.conftest import DATA, import_structure
from tests.helpers import (
    ADMIN_CHAT,
    GRID_CHAT,
    LEADERS_CHAT,
    RESIDENTS_CHAT,
    World,
    build_world,
    open_private,
    register,
    request_by_number,
    trail,
)


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    return await build_world(telegram, structure)


async def report_in_group(world: World, text: str = "2号楼楼道灯坏了，晚上很黑") -> None:
    await world.alice.send(f"/report {text}", chat=world.residents)


async def test_report_claim_resolve_rate(world: World) -> None:
    tg, alice, leader = world.telegram, world.alice, world.leader
    await report_in_group(world)
    receipt = tg.last_message(RESIDENTS_CHAT)
    assert "R-0001" in receipt.text and "照明" in receipt.text
    assert "302" not in receipt.text and "Alice" not in receipt.text

    card = await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    assert "2号楼楼道灯坏了" in card.text and "302" not in card.text and "Alice" not in card.text
    assert card.button_texts == ["🙋 认领", "⬆️ 上报", "🔁 重复"]
    await tg.wait_for_message(alice.id, "已收到 R-0001")

    query = await leader.press(card, "认领")
    assert "已认领 R-0001" in tg.answer_to(query)["text"]
    assert "认领人 网格长甲" in card.text and "🙋 认领" not in card.button_texts
    private_card = await tg.wait_for_message(leader.id, "R-0001")
    assert "居民未公开联系方式" in private_card.text
    await tg.wait_for_message(alice.id, "已有人认领")

    await leader.press(private_card, "开始处理")
    await tg.wait_for_message(alice.id, "正在处理中")
    await leader.press(private_card, "已解决")
    assert "处理说明" in tg.last_message(leader.id).text
    await leader.send("已更换灯泡")
    assert "已标记为解决" in tg.last_message(leader.id).text
    await tg.wait_for_message(alice.id, "已更换灯泡")

    ask = await tg.wait_for_message(alice.id, "请为这次服务打分")
    await alice.press(ask, "⭐⭐⭐⭐⭐")
    await alice.press(tg.last_message(alice.id), "满意")
    await alice.press(tg.last_message(alice.id), "跳过")
    assert "已办结" in tg.last_message(alice.id).text

    request = await request_by_number(world.app, 1)
    assert request.status == RequestStatus.CLOSED and request.rating == 5 and request.satisfied
    assert await trail(world.app, request.id) == [
        "submit", "route", "claim", "start", "resolve", "rate",
    ]  # fmt: skip
    await tg.wait_for(lambda: "已办结" in card.text, what="the team card shows it closed")


async def test_bad_rating_reopens_to_the_same_micro_grid(world: World) -> None:
    tg, alice, leader = world.telegram, world.alice, world.leader
    await report_in_group(world)
    card = await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    await leader.press(card, "认领")
    private_card = await tg.wait_for_message(leader.id, "R-0001")
    await leader.press(private_card, "已解决")
    await leader.press(tg.last_message(leader.id), "跳过")
    ask = await tg.wait_for_message(alice.id, "请为这次服务打分")
    await alice.press(ask, "⭐⭐")
    await alice.press(tg.last_message(alice.id), "不满意")
    await alice.send("灯还是不亮")
    assert "已重新打开" in tg.last_message(alice.id).text

    reopened = await tg.wait_for_message(LEADERS_CHAT, "居民不满意")
    assert "灯还是不亮" in reopened.text and "🙋 认领" in reopened.button_texts
    request = await request_by_number(world.app, 1)
    assert request.status == RequestStatus.ROUTED and request.claimed_by_id is None
    assert (await trail(world.app, request.id))[-1] == "reopen"


async def test_wish_is_claimed_by_a_volunteer_and_confirmed(world: World) -> None:
    tg, alice = world.telegram, world.alice
    volunteer = tg.user(5005, "志愿者小王")
    await register(world.app, volunteer, "1号楼")
    await volunteer.send("/volunteer")
    assert "志愿者" in tg.last_message(volunteer.id).text

    await alice.send("#微心愿 想借一辆轮椅用一周", chat=world.residents)
    assert "W-0001" in tg.last_message(RESIDENTS_CHAT).text
    card = await tg.wait_for_message(RESIDENTS_CHAT, "想借一辆轮椅")
    assert card.button_texts == ["🙋 认领"]

    own = await alice.press(card, "认领")
    assert "发布人本人不能认领" in tg.answer_to(own)["text"]
    await volunteer.press(card, "认领")
    private_card = await tg.wait_for_message(volunteer.id, "W-0001")
    await volunteer.press(private_card, "已解决")
    await volunteer.press(tg.last_message(volunteer.id), "跳过")
    ask = await tg.wait_for_message(alice.id, "确认实现了吗")
    await alice.press(ask, "已实现")
    assert "已实现" in tg.last_message(alice.id).text
    await tg.wait_for_message(volunteer.id, "感谢你的帮助")
    wish = await request_by_number(world.app, 1, "wish")
    assert wish.status == RequestStatus.CLOSED


async def test_unclaimed_report_escalates_one_level_at_a_time(world: World) -> None:
    tg, app = world.telegram, world.app
    await report_in_group(world)
    await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    start = utcnow()

    assert await app.escalation.run(now=start + timedelta(hours=1)) == 0  # not overdue yet
    # Two schedulers (two processes) firing for the same slot: one run does the work.
    import asyncio

    twice = await asyncio.gather(
        app.escalation.run(now=start + timedelta(hours=5)),
        app.escalation.run(now=start + timedelta(hours=5)),
    )
    assert sorted(twice) == [0, 1]
    grid_card = await tg.wait_for_message(GRID_CHAT, "R-0001")
    assert "上报" in grid_card.text and "🙋 认领" in grid_card.button_texts
    assert await app.escalation.run(now=start + timedelta(hours=5)) == 0  # same slot: no rerun
    assert (
        await app.escalation.run(now=start + timedelta(hours=5, minutes=5)) == 0
    )  # fresh deadline
    assert len(tg.messages_in(GRID_CHAT)) == 1

    assert await app.escalation.run(now=start + timedelta(hours=10)) == 1
    await tg.wait_for_message(ADMIN_CHAT, "R-0001")
    assert await app.escalation.run(now=start + timedelta(hours=20)) == 0  # already at the top
    request = await request_by_number(app, 1)
    assert request.escalation_level == RoutingLevel.COMMUNITY
    assert (await trail(app, request.id)).count("escalate") == 2
    await tg.wait_for_message(world.alice.id, "已上报到上一级")
    assert len(tg.messages_in(ADMIN_CHAT)) == 1


async def test_refusals_change_nothing(telegram: FakeTelegram, world: World) -> None:
    tg = world.telegram
    await import_structure(world.app.sessionmaker, DATA / "district.yaml")
    foreign_leader = tg.user(3101, "别的网格长")
    await report_in_group(world)
    card = await tg.wait_for_message(LEADERS_CHAT, "R-0001")

    query = await world.bob.press(card, "认领")  # a resident
    assert "只有「嘉木花园」的微网格长" in tg.answer_to(query)["text"]
    query = await foreign_leader.press(card, "认领")  # a leader of another community
    assert "只有「嘉木花园」的微网格长" in tg.answer_to(query)["text"]
    query = await world.leader.press(card, data="rq:claim:99999")  # forged id
    assert "没有找到" in tg.answer_to(query)["text"]
    query = await world.leader.press(card, data="rq:resolve:99999")  # forged id, asks for words
    assert "没有找到" in tg.answer_to(query)["text"]
    query = await world.leader.press(card, data="rq:detonate:1")  # forged action
    assert "失效" in tg.answer_to(query)["text"]
    query = await world.other_leader.press(card, data="rq:start:1")  # not the claimer
    assert "只有认领人" in tg.answer_to(query)["text"]
    request = await request_by_number(world.app, 1)
    assert request.status == RequestStatus.ROUTED and request.version == 1

    await world.leader.press(card, "认领")
    query = await world.other_leader.press(card, data="rq:claim:1")  # an old copy of the card
    assert "已由 网格长甲 认领" in tg.answer_to(query)["text"]
    query = await world.alice.press(card, data="rt:1:5:1")  # rating before it is resolved
    assert "不能评价" in tg.answer_to(query)["text"]
    request = await request_by_number(world.app, 1)
    assert request.status == RequestStatus.CLAIMED


async def test_duplicate_report_offers_plus_one(world: World) -> None:
    tg = world.telegram
    await report_in_group(world, "2号楼电梯门口的灯坏了")
    await world.bob.send("#报事 2号楼的灯不亮", chat=world.residents)
    offer = tg.last_message(RESIDENTS_CHAT)
    assert "R-0001" in offer.text
    query = await world.alice.press(offer, "是同一件事")
    assert "不是你提交的" in tg.answer_to(query)["text"]
    await world.bob.press(offer, "是同一件事")
    assert "+1" in offer.text
    second = await request_by_number(world.app, 2)
    assert second.status == RequestStatus.MERGED
    assert (await trail(world.app, (await request_by_number(world.app, 1)).id))[-1] == "plus_one"


async def test_private_flow_survives_a_restart(
    telegram: FakeTelegram, world: World, settings
) -> None:
    tg, alice = world.telegram, world.alice
    await alice.send("/report")
    await alice.press(tg.last_message(alice.id), "安全隐患")
    await alice.send("楼道里堆放了很多纸箱，有火灾隐患")
    assert "照片" in tg.last_message(alice.id).text

    await world.app.stop()  # the process goes down in the middle of the flow
    import asyncio

    restarted = App.build(settings, run_scheduler=False)
    polling = asyncio.create_task(
        restarted.run_polling(handle_as_tasks=False, handle_signals=False)
    )
    try:
        await alice.send_photo()
        await alice.press(tg.last_message(alice.id), "跳过")  # location
        await alice.press(tg.last_message(alice.id), "🔴 紧急")
        await alice.press(tg.last_message(alice.id), "允许")
        confirm = tg.last_message(alice.id)
        assert "纸箱" in confirm.text and "照片：是" in confirm.text
        await alice.press(confirm, "提交")
        assert "已提交 R-0001" in confirm.text  # the notice of it may come after it
        card = await tg.wait_for_message(LEADERS_CHAT, "R-0001")
        assert "紧急" in card.text
        await tg.wait_for_message(GRID_CHAT, "紧急事项")
        await world.leader.press(card, "认领")
        private_card = await tg.wait_for_message(world.leader.id, "R-0001")
        assert "Alice" in private_card.text and "302" in private_card.text
        # the resident's name is a link to them, not HTML shown as text
        assert "<a" not in private_card.text
        assert f'<a href="tg://user?id={alice.id}">Alice' in private_card.raw["text"]
    finally:
        await restarted.stop()
        await polling


async def test_reject_with_reason_by_command(world: World) -> None:
    tg = world.telegram
    await report_in_group(world, "小区外面马路上的井盖丢了")
    await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    await world.leader.send("/reject R-0001 属于市政管辖，已转告12345热线", chat=world.leaders_chat)
    assert "已驳回" in tg.last_message(LEADERS_CHAT).text
    await tg.wait_for_message(world.alice.id, "属于市政管辖")
    await world.bob.send("/reject R-0001 随便", chat=world.residents)
    assert "只有负责的" in tg.last_message(RESIDENTS_CHAT).text


async def test_odd_input_in_group(world: World) -> None:
    tg = world.telegram
    await world.alice.send("/report", chat=world.residents)
    assert "请在命令后写上问题" in tg.last_message(RESIDENTS_CHAT).text
    await world.alice.send("/report " + "灯" * 1500, chat=world.residents)
    assert "1,000 字以内" in tg.last_message(RESIDENTS_CHAT).text
    stranger = tg.user(5999, "路人")
    await stranger.send("#报事 有问题", chat=world.residents)
    assert "私聊中登记" in tg.last_message(RESIDENTS_CHAT).text


async def test_my_and_tasks_paginate(world: World) -> None:
    tg = world.telegram
    for n in range(7):
        await world.alice.send(f"#报事 #急 第{n}个问题：电梯异响", chat=world.residents)
    await world.alice.send("/my")
    # The notices of her seven reports may still be arriving around the answer.
    first = await tg.wait_for_message(world.alice.id, "第 1/2 页")
    assert first.button_texts == ["下一页 ▶️"]
    await world.alice.press(first, "下一页")
    assert "第 2/2 页" in first.text
    await world.leader.send("/tasks")
    tasks = await tg.wait_for_message(world.leader.id, "第 1/2 页")
    assert "R-0001" in tasks.text


async def test_unreachable_resident_gets_one_pointer_in_the_group(
    telegram: FakeTelegram, world: World
) -> None:
    tg = world.telegram
    world.alice.block_bot()
    await report_in_group(world)
    pointer = await tg.wait_for_message(RESIDENTS_CHAT, "你有一条新的通知")
    assert pointer.button("私聊")["url"].endswith("start=req-1")
    card = await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    await world.leader.press(card, "认领")
    await tg.wait_for_message(world.leader.id, "R-0001")
    pointers = [m for m in tg.messages_in(RESIDENTS_CHAT) if "新的通知" in m.text]
    assert len(pointers) == 1
    await open_private(world.alice)
    await world.alice.send("/start req-1")
    # the claim's notice, queued while she blocked the bot, may still arrive after this
    await tg.wait_for_message(world.alice.id, "已认领")


async def test_simultaneous_presses_through_the_dispatcher(world: World) -> None:
    """Several leaders' presses handled at once, as the polling runner does in production."""
    import asyncio

    tg, app = world.telegram, world.app
    await report_in_group(world)
    card = await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    pressers = [world.leader, world.other_leader, tg.user(2001, "网格员"), tg.user(1001, "书记")]

    def press(n: int, person) -> dict:
        return {
            "update_id": 50_000 + n,
            "callback_query": {
                "id": str(90_000 + n),
                "from": person.as_dict(),
                "message": card.raw,
                "chat_instance": "x",
                "data": card.button("认领")["callback_data"],
            },
        }

    answers = await asyncio.gather(
        *(app.dispatcher.feed_raw_update(app.bot, press(n, p)) for n, p in enumerate(pressers))
    )
    texts = [answer.text for answer in answers]
    assert sum("已认领 R-0001" in text for text in texts) == 1
    assert sum("认领。" in text and "已由" in text for text in texts) == len(pressers) - 1
    request = await request_by_number(app, 1)
    assert request.status == RequestStatus.CLAIMED
    assert (await trail(app, request.id)).count("claim") == 1


async def test_leader_escalates_with_a_reason_and_worker_reassigns(world: World) -> None:
    tg = world.telegram
    await import_structure(world.app.sessionmaker, DATA / "structure_two_micro_grids.yaml")
    other_leaders = tg.group(-1001000000006, "锦绣园网格长群")
    await report_in_group(world)
    card = await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    await world.leader.press(card, "上报")
    assert "上报 R-0001 的原因" in tg.last_message(world.leader.id).text
    await world.leader.send("需要物业配合更换线路")
    assert "已上报到上一级" in tg.last_message(world.leader.id).text
    grid_card = await tg.wait_for_message(GRID_CHAT, "需要物业配合")
    assert "🙋 认领" in grid_card.button_texts

    worker = tg.user(2001, "网格员")
    await worker.send("/reassign R-0001 锦绣园", chat=world.grid_chat)
    assert "已改派" in tg.last_message(GRID_CHAT).text
    await tg.wait_for_message(other_leaders.id, "改派到本微网格")
    await world.leader.send("/reassign R-0001 嘉木花园", chat=world.leaders_chat)
    assert "只有网格员或社区管理员" in tg.last_message(LEADERS_CHAT).text
    assert (await trail(world.app, 1))[-2:] == ["escalate", "reassign"]


async def test_leader_merges_duplicates(world: World) -> None:
    tg = world.telegram
    await report_in_group(world, "2号楼门口的灯坏了")
    await world.bob.send("/report 2号楼单元门禁坏了", chat=world.residents)
    await tg.wait_for_message(LEADERS_CHAT, "R-0002")
    card = await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    await world.leader.press(card, "重复")
    choice = tg.last_message(world.leader.id)
    assert "R-0002" in choice.button_texts[0]
    await world.leader.press(choice, "R-0002")
    assert "已合并到 R-0002" in tg.last_message(world.leader.id).text
    await tg.wait_for_message(world.alice.id, "已合并处理")
    merged = await request_by_number(world.app, 1)
    assert merged.status == RequestStatus.MERGED
    await world.leader.send("/merge R-0002 R-0001", chat=world.leaders_chat)
    assert "不能合并到" in tg.last_message(LEADERS_CHAT).text
