"""The fund's guided flows and what closes issue 19's gaps: /donation and /disburse step by
step (bad input asked again, /start and /cancel mid-flow), the donor's own receipt, a board
member who never pressed Start reached through the staff chat, and cancelling a project."""

import pytest
from sqlalchemy import func, select

from bot.app import App
from models.resources import FundEntry, Project, ProjectStatus
from models.resources.fund import balances
from playground import FakeTelegram, FakeUser
from tests.helpers import ADMIN_CHAT, World, build_world, open_private
from tests.test_fund import BOARD, TAX_CONTACT, board, fund_state

HOSPITAL_CONTACT = 6002


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    world = await build_world(telegram, structure)
    await open_private(world.admin)
    return world


def last_text(tg: FakeTelegram, user: FakeUser) -> str:
    return tg.last_message(user.id).text


async def test_guided_donation_to_a_registered_resident_who_decides_on_their_receipt(
    world: World,
) -> None:
    tg, admin, alice, bob = world.telegram, world.admin, world.alice, world.bob
    await admin.send("/donation")
    assert "请发来捐赠金额" in last_text(tg, admin)
    for typed, answer in (("0", "大于零"), ("-5", "大于零"), ("abc", "大于零"),
                          ("99999999", "金额太大")):  # fmt: skip
        await admin.send(typed)
        assert answer in last_text(tg, admin) and "请发来捐赠金额" in last_text(tg, admin)
    await admin.send("500")
    asked = tg.last_message(admin.id)
    assert "请选择捐赠类型" in asked.text and "带头捐" in asked.button_texts
    await admin.send("随便")  # typing where a button is asked for
    assert "请点按钮" in last_text(tg, admin) and "请选择捐赠类型" in last_text(tg, admin)
    await admin.send("/start")  # the current step again, nothing lost
    again = tg.last_message(admin.id)
    assert "请选择捐赠类型" in again.text
    await admin.press(again, "带头捐")
    assert "捐赠人是谁" in again.text and "区税务局" in again.button_texts
    await admin.send("名" * 101)
    assert "不超过 100 个字" in last_text(tg, admin)
    await admin.send("302")  # Alice's room
    found = tg.last_message(admin.id)
    assert found.button_texts[0] == "Alice 302" and "按原样记录" in found.button_texts[-1]
    await admin.press(found, "Alice")
    assert "定向用于哪个项目" in found.text and found.button_texts == ["不定向"]
    await admin.press(found, "不定向")
    assert "请核对这笔捐赠" in found.text and "人民币 500.00 元" in found.text
    assert "捐赠人：Alice" in found.text and "带头捐" in found.text
    await admin.press(found, "确认")
    assert "第 1 号捐赠" in found.text
    query = await admin.press(found, data="ffp:confirm:")  # pressed again: the flow is over
    assert tg.answer_to(query)["text"]
    assert await fund_state(world.app) == (50000, 50000, 1)

    # Alice gets the thank-you receipt and decides herself; staff keep the record.
    theirs = await tg.wait_for_message(alice.id, "感谢信")
    staff = await tg.wait_for_message(admin.id, "感谢信 · 收据第 1 号")
    assert staff.button_texts == [] and "由捐赠人在自己收到的感谢信上决定" in staff.text
    await bob.send("/fund 1")
    assert "爱心人士" in last_text(tg, bob) and "Alice" not in last_text(tg, bob)
    query = await bob.press(theirs, "同意公示姓名")  # not Bob's gift
    assert "只有捐赠人" in tg.answer_to(query)["text"]
    await alice.press(theirs, "同意公示姓名")
    await tg.wait_for(lambda: "可以在公示中显示" in staff.text, what="the staff record updated")
    await bob.send("/fund 1")
    assert "Alice" in last_text(tg, bob)

    # Goods from a unit, picked by its button; the unit's contact gets the receipt.
    contact = tg.user(TAX_CONTACT, "税务局联络人")
    await open_private(contact)
    await admin.send("/donation")
    await admin.press(tg.last_message(admin.id), "捐物资")
    await admin.send("大米 10 袋")
    await admin.send("0")
    assert "大于零" in last_text(tg, admin) and "估值多少元" in last_text(tg, admin)
    await admin.send("300")
    step = tg.last_message(admin.id)
    await admin.press(step, "互助捐")
    await admin.press(step, "区税务局")
    await admin.press(step, "不定向")
    assert "物资：大米 10 袋（估值 300.00 元）" in step.text
    await admin.press(step, "修改")  # from the top again
    assert "请发来捐赠金额" in step.text
    await admin.send("/cancel")
    assert "已取消" in last_text(tg, admin)
    await admin.send("300")  # no flow any more: nothing is recorded
    assert await fund_state(world.app) == (50000, 50000, 1)

    await admin.send("/donation")
    await admin.press(tg.last_message(admin.id), "捐物资")
    await admin.send("大米 10 袋")
    await admin.send("300")
    step = tg.last_message(admin.id)
    for button in ("互助捐", "区税务局", "不定向", "确认"):
        await admin.press(step, button)
    assert "第 2 号捐赠" in step.text
    await tg.wait_for_message(TAX_CONTACT, "收据第 2 号")
    await tg.wait_for_message(admin.id, "收据第 2 号")  # staff keep the record: after it, steps
    assert await fund_state(world.app) == (50000, 50000, 1)  # goods are no money to spend

    # Anonymous, and a name as typed.
    await admin.send("/donation")
    await admin.send("20")
    step = tg.last_message(admin.id)
    await admin.press(step, "爱心捐")
    await admin.press(step, "匿名")
    await admin.press(step, "不定向")
    await admin.press(step, "确认")
    assert "收据第 3 号" in (await tg.wait_for_message(admin.id, "收据第 3 号")).text
    await admin.send("/donation")
    await admin.send("30")
    step = tg.last_message(admin.id)
    await admin.press(step, "公益捐")
    await admin.send("张大爷")
    found = tg.last_message(admin.id)
    assert "没有找到登记的居民" in found.text and found.button_texts == ["按原样记录：张大爷"]
    await admin.press(found, "按原样记录")
    await admin.press(found, "不定向")
    await admin.press(found, "确认")
    receipt = await tg.wait_for_message(admin.id, "收据第 4 号")
    assert "张大爷" in receipt.text and "同意公示姓名" in receipt.button_texts  # handed over
    assert await fund_state(world.app) == (55000, 55000, 3)

    await alice.send("/donation")  # residents are no treasurers
    assert "只有本社区的工作人员" in last_text(tg, alice)


async def test_guided_disbursement_refused_over_what_is_free_then_asked(world: World) -> None:
    tg, admin = world.telegram, world.admin
    first, _second, _third = await board(world)
    await admin.send("/donation 1000 爱心捐 匿名")
    await tg.wait_for_message(admin.id, "收据第 1 号")  # the record comes through the outbox
    await admin.send("/disburse")
    assert "请发来支出金额" in last_text(tg, admin)
    await admin.send("-5")
    assert "大于零" in last_text(tg, admin)
    await admin.send("1500")
    step = tg.last_message(admin.id)
    await admin.press(step, "救急")
    await admin.send("户" * 101)
    assert "不超过 100 个字" in last_text(tg, admin) and "收款人是谁" in last_text(tg, admin)
    await admin.send("3号楼困难家庭")
    await admin.send("没有照片")
    assert "请发来收据照片" in last_text(tg, admin)
    await admin.send_photo()
    confirm = tg.last_message(admin.id)
    assert "1,500.00 元" in confirm.text and "收据照片：有" in confirm.text
    query = await admin.press(confirm, "确认")
    assert "只能从 1,000.00 元里出" in tg.answer_to(query)["text"]
    assert "请核对这笔支出申请" in confirm.text  # the card stays, to change or cancel
    await admin.press(confirm, "修改")
    await admin.send("800")
    step = tg.last_message(admin.id)
    await admin.press(step, "救急")
    await admin.send("3号楼困难家庭")
    await admin.send("/start")
    assert "请发来收据照片" in last_text(tg, admin)
    await admin.press(tg.last_message(admin.id), "跳过")
    confirm = tg.last_message(admin.id)
    assert "收据照片：无" in confirm.text and "800.00 元" in confirm.text
    await admin.press(confirm, "确认")
    assert "第 1 号支出申请" in confirm.text
    card = await tg.wait_for_message(first.id, "支出申请第 1 号")
    assert "3号楼困难家庭" in card.text and card.button_texts == ["✅ 批准"]


async def test_a_board_member_who_never_started_gets_a_pointer_and_approves(
    world: World,
) -> None:
    tg, admin = world.telegram, world.admin
    first = tg.user(BOARD[0], "监事1")  # never pressed Start
    second = tg.user(BOARD[1], "监事2")
    await open_private(second)
    await admin.send("/donation 1000 爱心捐 匿名")
    await admin.send("/disburse 800 救急 3号楼困难家庭")
    pointer = await tg.wait_for(lambda: next((m for m in tg.messages_in(ADMIN_CHAT)
                                              if f"id={first.id}" in m.raw["text"]), None),
                                what="the pointer for the first member")  # fmt: skip
    assert "你有一条新的通知" in pointer.text
    assert "800.00" not in pointer.text and "困难家庭" not in pointer.text  # nothing private
    link = pointer.buttons[0][0]["url"]
    assert "?start=card-" in link
    payload = link.split("?start=")[1]

    await world.alice.send(f"/start {payload}")  # not hers
    assert "不是给你的" in last_text(tg, world.alice) or "link" in last_text(tg, world.alice)
    await first.send(f"/start {payload}")
    card = await tg.wait_for_message(first.id, "支出申请第 1 号")
    assert card.button_texts == ["✅ 批准"]
    await first.send(f"/start {payload}")  # the link again sends nothing more
    await first.press(card, "批准")
    await second.press(await tg.wait_for_message(second.id, "支出申请第 1 号"), "批准")
    await tg.wait_for(lambda: "已支付" in card.text, what="the card paid")
    assert len([m for m in tg.messages_in(first.id) if "支出申请第 1 号" in m.text]) == 1
    assert await fund_state(world.app) == (20000, 20000, 2)


async def make_project(world: World, title: str, number: int) -> None:
    await world.admin.send(f"/need {title} | 社区 | 10")
    await world.admin.send(f"/project {number} | {title} | 3000 | 10 | 计划")


async def test_cancelling_a_project_keeps_its_money_until_re_designated(world: World) -> None:
    tg, app, admin, alice = world.telegram, world.app, world.admin, world.alice
    hospital = tg.user(HOSPITAL_CONTACT, "医院联络人")
    await open_private(hospital)
    await make_project(world, "楼道照明改造", 1)
    staff = await tg.wait_for_message(admin.id, "项目第 1 号")
    await admin.send("/donation 2000 定向捐 区人民医院 #1")
    await admin.send("/donation 100 爱心捐 匿名")
    await admin.press(staff, "交共建单位认领")
    offer = await tg.wait_for_message(HOSPITAL_CONTACT, "项目第 1 号")
    await hospital.press(offer, "认领")
    await tg.wait_for(lambda: "撤销项目" in staff.button_texts and "开始实施" in
                      staff.button_texts, what="the staff card taken")  # fmt: skip

    query = await alice.press(staff, data="fp:cancel:1")
    assert "只有本社区的工作人员" in tg.answer_to(query)["text"]
    query = await world.leader.press(staff, data="fp:cancel:1")  # staff of a micro-grid only
    assert "只有本社区的工作人员" in tg.answer_to(query)["text"]
    query = await admin.press(staff, data="fp:cancel-yes:1")  # forged: no reason given
    assert tg.answer_to(query)["text"]
    await admin.press(staff, "撤销项目")
    assert "请发来撤销原因" in last_text(tg, admin)
    await admin.send("原" * 201)
    assert "最多 200 个字" in last_text(tg, admin)
    await admin.send("施工方案未获业主同意")
    confirm = tg.last_message(admin.id)
    assert "不会自动挪用" in confirm.text
    await admin.press(confirm, "确认撤销")
    assert "已撤销" in confirm.text
    await tg.wait_for(lambda: "已撤销" in staff.text, what="the staff card cancelled")
    assert "施工方案未获业主同意" in staff.text and "2,000.00" in staff.text
    assert staff.button_texts == ["转为非定向资金"]
    await tg.wait_for(lambda: "已撤销" in offer.text and offer.button_texts == [],
                      what="the unit's card refreshed")  # fmt: skip
    told = await tg.wait_for_message(HOSPITAL_CONTACT, "撤销原因")
    assert told is not offer and told.button_texts == []

    query = await admin.press(offer, data="fp:cancel:1")
    assert "已经撤销" in tg.answer_to(query)["text"]
    query = await hospital.press(offer, data="fp:start:1")
    assert "已经撤销" in tg.answer_to(query)["text"]
    await admin.send("/donation 10 定向捐 王先生 #1")
    assert "已取消，不能再定向捐赠" in last_text(tg, admin)
    # The money stays earmarked: it is not free to spend.
    await admin.send("/disburse 500 救急 某户")
    assert "只能从 100.00 元里出" in last_text(tg, admin)
    assert await fund_state(app) == (210000, 210000, 2)

    await admin.press(staff, "转为非定向资金")
    await admin.press(tg.last_message(admin.id), "确认转为非定向资金")
    assert "已把 2,000.00 元转为非定向资金" in last_text(tg, admin)
    await tg.wait_for(lambda: staff.button_texts == [], what="nothing left to re-designate")
    query = await admin.press(staff, data="fp:release-yes:1")
    assert "已经没有定向资金" in tg.answer_to(query)["text"]
    async with app.sessionmaker() as session:
        project = await session.scalar(select(Project))
        assert project is not None
        buckets = await balances(session, project.community_id)
        moved = await session.scalar(select(func.count()).select_from(FundEntry).where(
            FundEntry.project_id == project.id))  # fmt: skip
    assert buckets[project.id] == 0 and buckets[0] == 210000 and moved == 2
    assert await fund_state(app) == (210000, 210000, 4)

    # An accepted project can no longer be cancelled.
    await make_project(world, "助餐点", 2)
    second = await tg.wait_for_message(admin.id, "项目第 2 号")
    await admin.press(second, "社区承接")
    await admin.press(second, "开始实施")
    await admin.press(second, "验收")
    query = await admin.press(second, data="fp:cancel:2")
    assert "已经验收，不能再撤销" in tg.answer_to(query)["text"]
    async with app.sessionmaker() as session:
        statuses = (await session.scalars(select(Project.status).order_by(Project.number))).all()
    assert statuses == [ProjectStatus.CANCELLED, ProjectStatus.ACCEPTED]
