"""/start for people who hold a role, every deep link the bot makes, and flows whose prompt
may not have arrived: the real bot, the fake Bot API over HTTP."""

import pytest
from sqlalchemy import select

from bot.app import App
from models.members import Role, grant_role, touch_user
from models.requests import RequestStatus
from models.structure import Grid
from playground import FakeTelegram, FakeUser
from tests.helpers import (
    LEADERS_CHAT,
    RESIDENTS_CHAT,
    World,
    build_world,
    lose_next,
    request_by_number,
)

REFUSAL = "这个链接打不开"


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    return await build_world(telegram, structure)


def menu(telegram: FakeTelegram, user: FakeUser) -> dict[str, str]:
    """The command menu set for one person's private chat: command → description."""
    return {c["command"]: c["description"] for c in telegram.commands[(f"chat:{user.id}", "")]}


async def report(world: World, text: str = "2号楼楼道灯坏了，晚上很黑") -> None:
    await world.alice.send(f"/report {text}", chat=world.residents)
    await world.telegram.wait_for_message(LEADERS_CHAT, text[:6])


# --- staff are greeted as staff ----------------------------------------------------------


async def test_leader_is_greeted_with_role_area_work_and_menu(world: World) -> None:
    tg, leader = world.telegram, world.leader
    await report(world)
    await world.alice.send("/checkin 帮独居老人买菜", chat=world.residents)
    await tg.wait_for_message(leader.id, "帮独居老人买菜")

    await leader.send("/start")
    greeting = tg.last_message(leader.id)
    assert "你是 嘉木花园 的微网格长" in greeting.text
    assert "待认领的诉求：1 条" in greeting.text
    assert "尚未办结的：0 条" in greeting.text
    assert "等你签章的服务打卡：1 条" in greeting.text
    assert "/tasks" in greeting.text
    assert "请选择你的楼栋" not in greeting.text  # not walked through registration
    assert greeting.button_texts == ["🏠 登记我的住址"]
    assert tg.messages_in(leader.id)[-2].text != "请选择你的楼栋："
    commands = menu(tg, leader)
    assert {"tasks", "web", "activity", "start", "help", "cancel"} <= set(commands)
    assert "verify" not in commands and "adjust" not in commands
    assert commands["tasks"] == "我的待办（网格长）"

    card = tg.last_message(LEADERS_CHAT)
    await leader.press(card, "认领")
    await tg.wait_for_message(leader.id, "R-0001")  # the claimer's card, through the outbox
    await leader.send("/start")
    greeting = tg.last_message(leader.id)
    assert "待认领的诉求：0 条" in greeting.text and "尚未办结的：1 条" in greeting.text


async def test_several_roles_are_named_with_their_areas(world: World) -> None:
    """A leader who is also the grid worker: "嘉木花园 的微网格长、第一网格 的网格员"."""
    async with world.app.sessionmaker() as session:
        user = await touch_user(session, world.leader.id, "网格长甲", None, "zh", True)
        grid = await session.scalar(select(Grid).where(Grid.name == "第一网格"))
        assert grid is not None
        await grant_role(session, user, Role.GRID_WORKER, grid.community_id, grid_id=grid.id)
        await session.commit()
    await world.leader.send("/start")
    text = world.telegram.last_message(world.leader.id).text
    assert "你是 第一网格 的网格员、嘉木花园 的微网格长。" in text


async def test_worker_admin_super_admin_and_merchant(world: World) -> None:
    tg = world.telegram
    worker = tg.user(world.worker.id, "Grid worker", language_code="en")
    await worker.send("/start")
    text = tg.last_message(worker.id).text
    assert "You are grid worker of 第一网格." in text
    assert "waiting to be claimed in your area: 0" in text
    assert menu(tg, worker)["tasks"] == "My open tasks (leaders)"

    await world.admin.send("/start")
    text = tg.last_message(world.admin.id).text
    assert "你是 南华社区 的社区管理员" in text and "/bind" in text and "/adjust" in text
    assert {"adjust", "activity", "tasks"} <= set(menu(tg, world.admin))

    root = tg.user(9001, "超级管理员")  # GRIDBOT_ADMIN_IDS
    await root.send("/start")
    assert "你是 全部社区 的社区管理员" in tg.last_message(root.id).text

    merchant = tg.user(4001, "好邻居超市老板")
    await merchant.send("/start")
    text = tg.last_message(merchant.id).text
    assert "你是 好邻居超市 的爱心商家" in text and "/verify" in text
    assert "待认领" not in text  # a merchant has no requests to claim
    assert "verify" in menu(tg, merchant) and "tasks" in menu(tg, merchant)


async def test_staff_registers_home_from_the_greeting_and_then_sees_it(world: World) -> None:
    tg, leader = world.telegram, world.leader
    await leader.send("/start")
    await leader.press(tg.last_message(leader.id), "登记我的住址")
    buildings = tg.last_message(leader.id)
    assert buildings.text == "请选择你的楼栋："
    await leader.press(buildings, "1号楼")
    await leader.send("101")
    await leader.press(tg.last_message(leader.id), "确认")
    assert "登记完成" in tg.last_message(leader.id).text

    await leader.send("/start")
    greeting = tg.last_message(leader.id)
    assert "微网格长" in greeting.text
    assert "1号楼" in greeting.text and "101" in greeting.text
    assert greeting.button_texts == ["✏️ 修改住址"]


async def test_volunteer_resident_sees_role_and_address(world: World) -> None:
    tg, bob = world.telegram, world.bob
    await bob.send("/volunteer")
    await bob.send("/start")
    greeting = tg.last_message(bob.id)
    assert "嘉木花园 的志愿者" in greeting.text and "501" in greeting.text
    assert "volunteer" not in menu(tg, bob) and "checkin" in menu(tg, bob)


async def test_resident_start_is_unchanged(world: World) -> None:
    await world.alice.send("/start")
    summary = world.telegram.last_message(world.alice.id)
    assert summary.text.startswith("你已登记的住址") and "302" in summary.text
    assert ("chat:5001", "") not in world.telegram.commands


# --- deep links --------------------------------------------------------------------------


async def test_leader_opens_the_group_link_and_is_greeted(world: World) -> None:
    """The group answers a leader's /start with a join link; it greets them as a leader,
    with registering in that micro-grid one button away."""
    tg, leader = world.telegram, world.leader
    await leader.send("/start", chat=world.residents)
    link = tg.last_message(RESIDENTS_CHAT).button("私聊")["url"]
    await leader.send(f"/start {link.split('start=')[1]}")
    greeting = tg.last_message(leader.id)
    assert "微网格长" in greeting.text and "「嘉木花园」" in greeting.text
    await leader.press(greeting, "登记我的住址")
    assert tg.last_message(leader.id).text == "请选择你的楼栋："

    # Forged buttons: not a number is stale; an odd number is no micro-grid (start at the top).
    await leader.send("/cancel")
    await leader.send("/start")
    greeting = tg.last_message(leader.id)
    query_id = await leader.press(greeting, data="rgs:abc")
    assert "失效" in tg.answer_to(query_id)["text"]
    await leader.press(greeting, data="rgs:" + "9" * 40)
    assert tg.last_message(leader.id).text == "请选择你的楼栋："  # one community: its buildings


async def test_join_links_forged_or_not(telegram: FakeTelegram, structure: App) -> None:
    stranger = telegram.user(5009, "Stranger")
    for payload in ("join-abc", "join-999999", "join-" + "9" * 60, "join--1", "register", "x"):
        await stranger.send("/cancel")
        await stranger.send(f"/start {payload}")
        welcome, step = telegram.messages_in(stranger.id)[-2:]
        assert "先登记一下你的住址" in welcome.text and step.text == "请选择你的楼栋："
    await stranger.send("/cancel")
    await stranger.send("/start join-1")
    welcome = telegram.messages_in(stranger.id)[-2]
    assert "嘉木花园" in welcome.text


async def test_follow_links_show_each_person_their_view(world: World) -> None:
    tg = world.telegram
    await report(world)
    request = await request_by_number(world.app, 1)
    link = f"/start req-{request.id}"

    await world.alice.send(link)  # the resident: the follow view
    assert "R-0001" in tg.last_message(world.alice.id).text

    await world.other_leader.send(link)  # staff of the area: the team's card, claimable
    card = tg.last_message(world.other_leader.id)
    assert "R-0001" in card.text and "Alice" not in card.text and "302" not in card.text
    await world.other_leader.press(card, "认领")
    assert (await request_by_number(world.app, 1)).status == RequestStatus.CLAIMED

    await world.other_leader.send(link)  # the claimer: the private card with its buttons
    assert "已解决" in " ".join(tg.last_message(world.other_leader.id).button_texts)

    worker = world.worker
    await worker.send(link)  # the grid worker of the area sees the team's card
    assert "R-0001" in tg.last_message(worker.id).text


async def test_follow_links_refuse_the_same_way_for_others_and_forgeries(world: World) -> None:
    tg = world.telegram
    await report(world)
    request = await request_by_number(world.app, 1)
    stranger = tg.user(5009, "Stranger")
    for person, payload in (
        (world.bob, f"req-{request.id}"),  # another resident of the same building
        (stranger, f"req-{request.id}"),  # someone who never registered
        (world.admin, f"req-{request.id + 1}"),
        (world.bob, "req-999999"),
        (world.bob, "req-abc"),
        (world.bob, "req-"),
        (world.bob, "req-٣"),  # a digit, but not one the bot writes
        (world.bob, "req-" + "9" * 5000),
    ):
        await person.send(f"/start {payload}")
        answer = tg.last_message(person.id).text
        assert answer.startswith(REFUSAL), payload
        assert "R-0001" not in answer and "楼道灯" not in answer
    assert all("出了点问题" not in m.text for m in tg.messages_in(world.bob.id))  # no apology


async def test_pointer_in_the_team_chat_opens_the_claimer_card(world: World) -> None:
    """A claimer the bot cannot write to gets a pointer in the team chat; its link opens
    the private card once they pressed Start."""
    tg, leader = world.telegram, world.leader
    await report(world)
    leader.block_bot()
    await leader.press(tg.last_message(LEADERS_CHAT), "认领")
    pointer = await tg.wait_for_message(LEADERS_CHAT, "你有一条新的通知")
    payload = pointer.button("私聊")["url"].split("start=")[1]
    await leader.send(f"/start {payload}")
    card = tg.last_message(leader.id)
    assert "R-0001" in card.text and "302" not in card.text  # Alice did not share her room
    assert "已解决" in " ".join(card.button_texts)


async def test_wish_link_for_a_volunteer(world: World) -> None:
    tg, bob = world.telegram, world.bob
    await bob.send("/volunteer")
    await world.alice.send("/wish 想请人帮忙换灯泡", chat=world.residents)
    wish = await request_by_number(world.app, 1, "wish")
    await bob.send(f"/start req-{wish.id}")
    card = tg.last_message(bob.id)
    assert "W-0001" in card.text and "认领" in " ".join(card.button_texts)
    await world.worker.send(f"/start req-{wish.id}")
    assert "W-0001" in tg.last_message(world.worker.id).text


# --- a flow whose prompt may not have arrived ----------------------------------------------


async def test_report_flow_shown_again_when_a_prompt_was_lost(world: World) -> None:
    tg, alice = world.telegram, world.alice
    await alice.send("/report")
    await alice.press(tg.last_message(alice.id), "照明")
    lose_next(tg, "sendMessage")
    await alice.send("3号楼2单元楼道灯不亮了")  # the photo question is refused by Telegram
    assert "照片" not in tg.last_message(alice.id).text

    await alice.send("3号楼2单元楼道灯不亮了")  # typed again where a button is expected
    again = tg.last_message(alice.id)
    assert "照片" in again.text and "跳过" in again.button_texts

    await alice.send("/start")  # /start shows the step again, it does not restart
    again = tg.last_message(alice.id)
    assert "接着来" in again.text and "照片" in again.text
    await alice.press(again, "跳过")
    await alice.press(tg.last_message(alice.id), "跳过")  # location
    await alice.press(tg.last_message(alice.id), "不紧急")
    lose_next(tg, "sendMessage")
    await alice.press(tg.last_message(alice.id), "不允许")  # the confirm prompt is lost

    await alice.send("/start")
    confirm = tg.last_message(alice.id)
    assert "3号楼2单元楼道灯不亮了" in confirm.text  # nothing typed is lost
    await alice.press(confirm, "提交")
    assert "已提交" in confirm.text  # the notice of the new request may come after it
    request = await request_by_number(world.app, 1)
    assert request.text == "3号楼2单元楼道灯不亮了"


async def test_wish_flow_start_on_the_text_step_and_cancel(world: World) -> None:
    tg, alice = world.telegram, world.alice
    await alice.send("/wish")
    await alice.send("/start")
    assert "微心愿" in tg.last_message(alice.id).text and "接着来" in tg.last_message(alice.id).text
    await alice.send_photo()  # not text: the question again
    assert "微心愿" in tg.last_message(alice.id).text
    await alice.send("/cancel")
    assert "已取消" in tg.last_message(alice.id).text
    await alice.send("/start")
    assert tg.last_message(alice.id).text.startswith("你已登记的住址")


async def test_task_input_prompt_shown_again(world: World) -> None:
    tg, leader = world.telegram, world.leader
    await report(world)
    await leader.press(tg.last_message(LEADERS_CHAT), "认领")
    card = await tg.wait_for_message(leader.id, "R-0001")
    await tg.wait_for_message(world.alice.id, "已有人认领")  # the notices of the claim are out
    lose_next(tg, "sendMessage")
    await leader.press(card, "已解决")  # the question for a note is refused by Telegram

    await leader.send("/start")
    prompt = tg.last_message(leader.id)
    assert "接着来" in prompt.text and "R-0001" in prompt.text
    assert prompt.button_texts == ["跳过"]
    await leader.send("换了灯泡")
    assert "R-0001" in tg.last_message(leader.id).text
    assert (await request_by_number(world.app, 1)).status == RequestStatus.RESOLVED
