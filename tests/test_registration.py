"""A resident registers end to end: the real bot polls the fake Bot API over HTTP."""

from sqlalchemy import select

from bot.app import App
from models.members import Residence, User
from models.structure import Building
from playground import FakeTelegram
from tests.conftest import DATA, import_structure
from tests.helpers import lose_next

RESIDENTS_GROUP = -1001000000003


async def residence_of(app: App, telegram_id: int) -> Residence | None:
    async with app.sessionmaker() as session:
        return await session.scalar(
            select(Residence)
            .join(User, User.id == Residence.user_id)
            .where(User.telegram_id == telegram_id)
        )


async def test_resident_registers_in_private_chat(telegram: FakeTelegram, structure: App) -> None:
    alice = telegram.user(5001, "Alice")
    await alice.send("/start")
    welcome, buildings = telegram.messages_in(alice.id)[-2:]
    assert "登记" in welcome.text
    # One community and one micro-grid: those steps are skipped, buildings come first.
    assert buildings.text == "请选择你的楼栋："
    assert buildings.button_texts[:2] == ["1号楼", "2号楼"]

    await alice.press(buildings, "2号楼")
    ask_room = telegram.last_message(alice.id)
    assert "门牌号" in ask_room.text and ask_room.message_id == buildings.message_id

    await alice.send("302")
    confirm = telegram.last_message(alice.id)
    assert "南华社区 · 嘉木花园 · 2号楼 · 302" in confirm.text

    await alice.press(confirm, "确认")
    assert "登记完成" in telegram.last_message(alice.id).text
    residence = await residence_of(structure, 5001)
    assert residence is not None and residence.room == "302"

    await alice.send("/start")
    summary = telegram.last_message(alice.id)
    assert "2号楼" in summary.text and "302" in summary.text
    assert summary.button_texts == ["✏️ 修改住址"]


async def test_group_command_from_stranger_links_to_private_chat(
    telegram: FakeTelegram, structure: App
) -> None:
    group = telegram.group(RESIDENTS_GROUP, "嘉木花园居民群")
    bob = telegram.user(5002, "Bob")
    await bob.send("/report 楼道灯坏了", chat=group)
    reply = telegram.last_message(RESIDENTS_GROUP)
    assert "私聊" in reply.text and "302" not in reply.text
    link = reply.button("私聊")["url"]
    assert link.startswith("https://t.me/gridbot_test_bot?start=join-")

    await bob.send(f"/start {link.split('start=')[1]}")
    greeting, buildings = telegram.messages_in(bob.id)[-2:]
    assert "嘉木花园" in greeting.text
    await bob.press(buildings, "1号楼")
    await bob.press(telegram.last_message(bob.id), "跳过")
    await bob.press(telegram.last_message(bob.id), "确认")
    residence = await residence_of(structure, 5002)
    assert residence is not None and residence.room is None


async def test_every_level_is_picked_when_there_is_a_choice(
    telegram: FakeTelegram, structure: App
) -> None:
    await import_structure(structure.sessionmaker, DATA / "district.yaml")
    carol = telegram.user(5003, "Carol", language_code="en")
    await carol.send("/start")
    step = telegram.last_message(carol.id)
    assert step.text == "Pick your community:"
    await carol.press(step, "北街社区")
    step = telegram.last_message(carol.id)
    assert step.button_texts[:2] == ["东苑", "西苑"]
    await carol.press(step, "东苑")
    await carol.press(telegram.last_message(carol.id), "2栋")
    step = telegram.last_message(carol.id)
    assert step.text == "Pick your unit:" and step.button_texts[:2] == ["甲单元", "乙单元"]
    await carol.press(step, "乙单元")
    await carol.press(telegram.last_message(carol.id), "Skip")
    confirm = telegram.last_message(carol.id)
    assert "北街社区 · 东苑 · 2栋 · 乙单元" in confirm.text
    await carol.press(confirm, "Confirm")
    assert "registered" in telegram.last_message(carol.id).text


async def test_forged_and_foreign_buttons_change_nothing(
    telegram: FakeTelegram, structure: App
) -> None:
    await import_structure(structure.sessionmaker, DATA / "district.yaml")
    dave = telegram.user(5004, "Dave")
    await dave.send("/start")
    communities = telegram.last_message(dave.id)
    await dave.press(communities, "南华社区")
    buildings = telegram.last_message(dave.id)

    # A real building id, but of another micro-grid than the one being registered in.
    async with structure.sessionmaker() as session:
        foreign = await session.scalar(select(Building).where(Building.name == "A座"))
    assert foreign is not None
    query_id = await dave.press(buildings, data=f"rg:building:{foreign.id}")
    assert "不存在" in telegram.answer_to(query_id)["text"]

    # Not a payload the bot ever made.
    query_id = await dave.press(buildings, data="rg:building:not-a-number")
    assert "失效" in telegram.answer_to(query_id)["text"]
    query_id = await dave.press(buildings, data="x" * 64)
    assert "失效" in telegram.answer_to(query_id)["text"]
    # A level the flow is not at.
    query_id = await dave.press(buildings, data="rg:unit:1")
    assert "失效" in telegram.answer_to(query_id)["text"]

    assert await residence_of(structure, 5004) is None
    await dave.press(buildings, "1号楼")  # the flow still works after all that
    assert "门牌号" in telegram.last_message(dave.id).text


async def test_odd_room_input_is_refused_politely_and_flow_continues(
    telegram: FakeTelegram, structure: App
) -> None:
    erin = telegram.user(5005, "Erin")
    await erin.send("/start")
    await erin.press(telegram.last_message(erin.id), "1号楼")
    await erin.send("3" * 5000)
    assert "20 个字以内" in telegram.last_message(erin.id).text
    await erin.send("   ")
    assert "20 个字以内" in telegram.last_message(erin.id).text
    await erin.send("1201 <b>室</b>")
    confirm = telegram.last_message(erin.id)
    assert "1201 <b>室</b>" in confirm.text  # shown as typed, not as markup
    await erin.press(confirm, "确认")
    residence = await residence_of(structure, 5005)
    assert residence is not None and residence.room == "1201 <b>室</b>"


async def test_cancel_and_stray_text(telegram: FakeTelegram, structure: App) -> None:
    frank = telegram.user(5006, "Frank")
    await frank.send("/start")
    await frank.send("hello?")
    assert "按钮" in telegram.last_message(frank.id).text
    await frank.send("/cancel")
    assert "已取消" in telegram.last_message(frank.id).text
    await frank.send("/cancel")
    assert "没有进行中" in telegram.last_message(frank.id).text
    await frank.send("hello?")
    assert "/help" in telegram.last_message(frank.id).text


async def test_no_structure_yet(telegram: FakeTelegram, app: App) -> None:
    gina = telegram.user(5007, "Gina")
    await gina.send("/start")
    assert "导入网格结构" in telegram.last_message(gina.id).text


# --- a step whose prompt may not have arrived is shown again --------------------------


async def test_lost_confirm_prompt_is_shown_again(telegram: FakeTelegram, structure: App) -> None:
    hana = telegram.user(5008, "Hana")
    await hana.send("/start")
    await hana.press(telegram.last_message(hana.id), "2号楼")
    lose_next(telegram, "sendMessage")
    await hana.send("302")  # Telegram refuses the confirm prompt
    assert "门牌号" in telegram.last_message(hana.id).text

    await hana.send("302")  # the person repeats what they typed
    confirm = telegram.last_message(hana.id)
    assert "南华社区 · 嘉木花园 · 2号楼 · 302" in confirm.text
    assert confirm.button_texts == ["✅ 确认登记", "↩️ 重新选择"]

    await hana.send("/start")  # or sends /start: the same step again, not a new start
    confirm = telegram.last_message(hana.id)
    assert "接着来" in confirm.text and "2号楼 · 302" in confirm.text
    await hana.press(confirm, "确认")
    residence = await residence_of(structure, 5008)
    assert residence is not None and residence.room == "302"


async def test_lost_pick_and_room_prompts_are_shown_again(
    telegram: FakeTelegram, structure: App
) -> None:
    await import_structure(structure.sessionmaker, DATA / "district.yaml")
    ivan = telegram.user(5010, "Ivan")
    await ivan.send("/start")
    communities = telegram.last_message(ivan.id)
    lose_next(telegram, "editMessageText")
    await ivan.press(communities, "北街社区")  # the micro-grid question is lost
    assert telegram.last_message(ivan.id).text == "请选择你所在的社区："

    await ivan.send("/start")
    step = telegram.last_message(ivan.id)
    assert "接着来" in step.text and "微网格" in step.text
    assert step.button_texts[:2] == ["东苑", "西苑"]
    await ivan.send("东苑")  # typed where a button is expected: the buttons again
    step = telegram.last_message(ivan.id)
    assert "微网格" in step.text and step.button_texts[:2] == ["东苑", "西苑"]
    await ivan.press(step, "东苑")
    await ivan.press(telegram.last_message(ivan.id), "2栋")
    lose_next(telegram, "editMessageText")
    await ivan.press(telegram.last_message(ivan.id), "乙单元")  # the room question is lost

    await ivan.send("/start")
    ask_room = telegram.last_message(ivan.id)
    assert "门牌号" in ask_room.text and ask_room.button_texts == ["跳过"]
    await ivan.send("8")
    confirm = telegram.last_message(ivan.id)
    assert "北街社区 · 东苑 · 2栋 · 乙单元 · 8" in confirm.text
    await ivan.send("/cancel")
    assert "已取消" in telegram.last_message(ivan.id).text
    assert await residence_of(structure, 5010) is None
