"""The community fund end to end: donations with numbered receipts and the donor's consent,
a disbursement approved by 2 of the 3 board members and paid once, /fund in the open, and
every refusal answered with one sentence while nothing changes."""

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from bot.app import App
from bot.cli import app as cli
from models.base import utcnow
from models.resources import (
    Approval,
    Disbursement,
    DisbursementStatus,
    Donation,
    FundEntry,
    Project,
    ProjectStatus,
)
from models.resources.fund import balance_of, ledger_sum
from models.schedule import FUND_STATEMENT, MONTHLY, latest_due
from models.structure import Community
from playground import FakeTelegram, FakeUser
from tests.conftest import DATA, import_structure
from tests.helpers import ADMIN_CHAT, RESIDENTS_CHAT, World, build_world, open_private

BOARD = (8001, 8002, 8003)
TAX_CONTACT = 6001
HOSPITAL_CONTACT = 6002
OTHER_ADMIN = 1201  # 东城社区's admin, on its own fund board too
runner = CliRunner()


async def gridbot(*arguments: str, env: dict[str, str]) -> Result:
    """The command line in a thread of its own: it runs its own event loop."""
    return await asyncio.to_thread(runner.invoke, cli, list(arguments), env=env)


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    world = await build_world(telegram, structure)
    await open_private(world.admin)
    return world


async def board(world: World) -> list[FakeUser]:
    members = [world.telegram.user(i, f"监事{n}") for n, i in enumerate(BOARD, 1)]
    for member in members:
        await open_private(member)
    return members


async def fund_state(app: App) -> tuple[int, int, int]:
    """The balance, the ledger's sum, and how many entries it has."""
    async with app.sessionmaker() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        entries = await session.scalar(select(func.count()).select_from(FundEntry))
        return (await balance_of(session, community.id), await ledger_sum(session, community.id),
                entries or 0)  # fmt: skip


async def test_donations_and_a_disbursement_approved_by_two_of_three(world: World) -> None:
    tg, admin, alice = world.telegram, world.admin, world.alice
    first, second, third = await board(world)
    contact = tg.user(TAX_CONTACT, "税务局联络人")
    await open_private(contact)

    await admin.send("/donation 1000 爱心捐 区税务局")
    receipt = await tg.wait_for_message(admin.id, "收据第 1 号")
    assert "区税务局" in receipt.text and "人民币 1,000.00 元" in receipt.text
    assert "不显示捐赠人姓名" in receipt.text  # no consent until the donor gives it
    # The unit's contact gets the thank-you receipt and gives consent to be named.
    theirs = await tg.wait_for_message(TAX_CONTACT, "感谢信")
    await contact.press(theirs, "同意公示姓名")
    assert "可以在公示中显示" in theirs.text
    await tg.wait_for(lambda: "可以在公示中显示" in receipt.text, what="the staff copy updated")

    await admin.send("/donation 500.50 带头捐 王先生")
    await tg.wait_for_message(admin.id, "收据第 2 号")
    await admin.send("/donation 300 互助捐 好邻居超市 物资:大米 10 袋")
    goods = await tg.wait_for_message(admin.id, "收据第 3 号")
    assert "物资：大米 10 袋（估值 300.00 元）" in goods.text
    assert await fund_state(world.app) == (150050, 150050, 2)  # goods are no money to spend

    await admin.send_photo("/disburse 800 救急 3号楼困难家庭")
    staff_card = await tg.wait_for_message(admin.id, "支出申请第 1 号")
    assert staff_card.has_photo is False and staff_card.button_texts == ["撤回申请"]
    cards = [await tg.wait_for_message(m.id, "支出申请第 1 号") for m in (first, second, third)]
    assert "800.00 元" in cards[0].text and "批准：0/2" in cards[0].text
    assert cards[0].has_photo  # the receipt goes to the board with the card
    assert "3号楼困难家庭" in cards[0].text

    query = await alice.press(cards[0], "批准")  # not on the board
    assert "只有本社区监事会成员" in tg.answer_to(query)["text"]
    query = await first.press(cards[0], "批准")
    assert "等待其他监事会成员" in tg.answer_to(query)["text"]
    assert "批准：1/2（监事1）" in cards[0].text
    query = await first.press(cards[0], "批准")
    assert "已经批准过" in tg.answer_to(query)["text"]
    assert await fund_state(world.app) == (150050, 150050, 2)

    query = await second.press(cards[1], "批准")
    assert "已支付" in tg.answer_to(query)["text"]
    # The answer edits the pressed card; an edit the outbox had under way to that card (its
    # 1/2 from the first approval) may land after it, and the refresh then edits it again.
    await tg.wait_for(lambda: "已支付" in cards[1].text and cards[1].button_texts == [],
                      what="the pressed card paid")  # fmt: skip
    await tg.wait_for(lambda: "已支付" in cards[2].text, what="the third member's card updated")
    await tg.wait_for(lambda: "已支付" in staff_card.text, what="the staff card updated")
    await tg.wait_for_message(admin.id, "已获监事会批准并记账支付")
    query = await third.press(cards[2], data="fa:1")  # the button as it was before
    assert "已经支付" in tg.answer_to(query)["text"]
    # /fund sends a board member the cards still waiting for them again (say, when they
    # pressed Start only after they were asked).
    await admin.send("/disburse 50 奖励 优秀志愿者")
    await tg.wait_for_message(third.id, "支出申请第 2 号")
    await third.send("/fund")

    def copies_of_second() -> int:
        return len([m for m in tg.messages_in(third.id) if "支出申请第 2 号" in m.text])

    await tg.wait_for(lambda: copies_of_second() == 2, what="the waiting card again")
    assert not any("支出申请第 1 号" in m.text and m.button_texts for m in tg.messages_in(third.id))
    assert await fund_state(world.app) == (70050, 70050, 3)

    # In the open: the balance, the month's gifts by type (named only with consent) and uses.
    await alice.send("/fund")
    shown = tg.last_message(alice.id).text
    assert "当前余额：700.50 元" in shown
    assert "第 1 号 区税务局" in shown and "第 2 号 爱心人士" in shown and "王先生" not in shown
    assert "救急：800.00 元" in shown and "爱心捐：1,000.00 元" in shown
    await alice.send("/fund 2")
    asked = tg.last_message(alice.id).text
    assert "爱心人士" in asked and "没有同意公开姓名" in asked and "王先生" not in asked
    await alice.send("/fund 1")
    assert "区税务局" in tg.last_message(alice.id).text


async def test_refusals_change_nothing(world: World) -> None:
    tg, admin, alice = world.telegram, world.admin, world.alice
    first, second, _third = await board(world)

    for typed, answer in (
        ("/donation 0 爱心捐 王先生", "大于零"),
        ("/donation -5 爱心捐 王先生", "大于零"),
        ("/donation 12.345 爱心捐 王先生", "最多两位小数"),
        ("/donation 99999999 爱心捐 王先生", "金额太大"),
        ("/donation 100 随便捐 王先生", "捐赠类型请写其中之一"),
        ("/donation 100 定向捐 王先生", "定向捐要写明项目编号"),
        ("/donation 100 定向捐 王先生 #9", "没有编号为 9 的项目"),
        ("/donation 100 爱心捐", "登记捐赠：/donation 金额 类型 捐赠人"),
        ("/donation 100 爱心捐 " + "名" * 101, "不超过 100 个字"),
        ("/donation", "登记捐赠"),
    ):
        await admin.send(typed)
        assert answer in tg.last_message(admin.id).text, typed
    await admin.send("/donation 1 爱心捐 <b>老王</b> & 家人")  # shown as typed, not as markup
    odd = await tg.wait_for_message(admin.id, "收据第 1 号")
    assert "&lt;b&gt;老王&lt;/b&gt; &amp; 家人" in odd.raw["text"]  # Telegram shows the tags
    await admin.send("/offer <i>某单位</i> | 场地 | 会议室 | 1 间")
    assert "没有叫“&lt;i&gt;某单位&lt;/i&gt;”" in tg.last_message(admin.id).raw["text"]
    await alice.send("/donation 100 爱心捐 王先生")  # a resident is no treasurer
    assert "只有本社区的工作人员" in tg.last_message(alice.id).text
    await alice.send("/disburse 100 救急 某人")
    assert "只有本社区的工作人员" in tg.last_message(alice.id).text
    assert await fund_state(world.app) == (100, 100, 1)

    await admin.send("/donation 999 公益捐 匿名")
    receipt = await tg.wait_for_message(admin.id, "收据第 2 号")
    assert "爱心人士" in receipt.text and receipt.button_texts == []  # nothing to publish
    for typed, answer in (
        ("/disburse 1000.01 救急 某人", "只能从 1,000.00 元里出"),
        ("/disburse 0 救急 某人", "大于零"),
        ("/disburse 100 买烟 某人", "支出用途请写其中之一"),
        ("/disburse 100 项目 某人", "要写明项目编号"),
        ("/disburse 100 救急 某人 #1", "只有用途为“项目”的支出"),
    ):
        await admin.send(typed)
        assert answer in tg.last_message(admin.id).text, typed

    # Two requests that each fit, but not both: the second to reach K is refused at paying.
    await admin.send("/disburse 600 扶老 甲")
    await admin.send("/disburse 600 扶孤 乙")
    card_a = await tg.wait_for_message(first.id, "支出申请第 1 号")
    card_b = await tg.wait_for_message(first.id, "支出申请第 2 号")
    await first.press(card_a, "批准")
    await first.press(card_b, "批准")
    query = await second.press(await tg.wait_for_message(second.id, "支出申请第 1 号"), "批准")
    assert "已支付" in tg.answer_to(query)["text"]
    query = await second.press(await tg.wait_for_message(second.id, "支出申请第 2 号"), "批准")
    assert "只能从 400.00 元里出" in tg.answer_to(query)["text"]
    assert await fund_state(world.app) == (40000, 40000, 3)

    # Withdrawn: no approval can pay it any more.
    staff_b = await tg.wait_for_message(admin.id, "支出申请第 2 号")
    query = await alice.press(staff_b, "撤回")
    assert "只有本社区的工作人员" in tg.answer_to(query)["text"]
    query = await admin.press(staff_b, "撤回")
    assert "已撤回这笔支出申请" in tg.answer_to(query)["text"]
    assert "已撤回" in staff_b.text and staff_b.button_texts == []
    query = await second.press(card_b, data="fa:2")
    assert "已经撤回" in tg.answer_to(query)["text"]
    query = await admin.press(staff_b, data="fw:2")
    assert "已经撤回" in tg.answer_to(query)["text"]

    # Forged and stale callback data.
    for data in ("fa:999", "fa:abc", "fa:", "fw:-1", "fc:1:maybe", "fa:1:2:3", "fa:" + "9" * 60):
        query = await first.press(card_a, data=data)
        answer = tg.answer_to(query)
        assert answer is not None and answer.get("text"), data
    query = await alice.press(receipt, data="fc:2:1")
    assert "只有捐赠人的联系人" in tg.answer_to(query)["text"]
    query = await admin.press(receipt, data="fc:2:1")
    assert "匿名捐赠" in tg.answer_to(query)["text"]
    async with world.app.sessionmaker() as session:
        statuses = (await session.scalars(select(Disbursement.status).order_by(
            Disbursement.number))).all()  # fmt: skip
    assert statuses == [DisbursementStatus.PAID, DisbursementStatus.WITHDRAWN]
    assert await fund_state(world.app) == (40000, 40000, 3)


async def test_monthly_statement_summary_and_the_auditors_workbook(
    world: World, tmp_path: Path, bot_db_url: str
) -> None:
    tg, app, admin = world.telegram, world.app, world.admin
    first, second, _third = await board(world)
    contact = tg.user(TAX_CONTACT, "税务局联络人")
    await open_private(contact)
    await admin.send("/donation 1000 爱心捐 区税务局")
    receipt = await tg.wait_for_message(admin.id, "收据第 1 号")
    assert receipt.button_texts == []  # the unit's contact decides, on their own receipt
    await contact.press(await tg.wait_for_message(TAX_CONTACT, "感谢信"), "同意公示姓名")
    await admin.send("/donation 500 带头捐 王先生")
    await admin.send("/donation 200 互助捐 好邻居超市 物资:食用油 20 桶")
    await admin.send("/disburse 800 扶老 独居老人午餐")
    card = await tg.wait_for_message(first.id, "支出申请第 1 号")
    await first.press(card, "批准")
    await second.press(await tg.wait_for_message(second.id, "支出申请第 1 号"), "批准")
    await world.bob.send("#报事 2号楼的灯不亮", chat=world.residents)

    async with app.sessionmaker() as session:
        community = await session.scalar(select(Community))
        assert community is not None
    next_month = (utcnow().replace(day=1) + timedelta(days=32)).replace(day=2, hour=12)
    due = latest_due(FUND_STATEMENT, "1 09:15", next_month, community.timezone)
    assert await app.jobs.run(FUND_STATEMENT, community, due, next_month)
    statement = await tg.wait_for_message(RESIDENTS_CHAT, "每月公示")
    assert "当前余额：700.00 元" in statement.text
    assert "第 1 号 区税务局" in statement.text and "第 2 号 爱心人士" in statement.text
    assert "王先生" not in statement.text
    assert "食用油 20 桶（估值 200.00 元）" in statement.text
    assert "扶老：800.00 元" in statement.text
    # Once per month: running the month again posts nothing more.
    posted = len(tg.messages_in(RESIDENTS_CHAT))
    assert not await app.jobs.run(FUND_STATEMENT, community, due, next_month)
    assert len(tg.messages_in(RESIDENTS_CHAT)) == posted
    # The monthly summary to the staff carries the same statement.
    summary_due = latest_due(MONTHLY, "1 09:00", next_month, community.timezone)
    assert await app.jobs.run(MONTHLY, community, summary_due, next_month)
    summary = await tg.wait_for_message(ADMIN_CHAT, "共建实践金")
    assert "区税务局" in summary.text and "扶老：800.00 元" in summary.text

    # The auditor's workbook reconciles to the balance.
    out = tmp_path / "fund.xlsx"
    env = {"DATABASE_URL": bot_db_url, "BOT_TOKEN": "", "GRIDBOT_ADMIN_IDS": ""}
    year = str(due.start.year)
    result = await gridbot("fund", "export", "--community", community.name, "--year", year,
                           "--out", str(out), "--json", env=env)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["closing"] == 70000
    book = load_workbook(out)
    summary_rows = dict(book["Summary"].iter_rows(values_only=True))
    ledger = list(book["Ledger"].iter_rows(values_only=True))
    header, entries = ledger[0], ledger[1:]
    amount, balance = header.index("amount (fen)"), header.index("balance (fen)")
    assert [row[header.index("kind")] for row in entries] == ["donation", "donation",
                                                              "disbursement"]  # fmt: skip
    assert summary_rows["opening balance (fen)"] + sum(r[amount] for r in entries) == (
        summary_rows["closing balance (fen)"]
    )
    assert entries[-1][balance] == summary_rows["closing balance (fen)"] == 70000
    assert await fund_state(app) == (70000, 70000, 3)
    approvals = list(book["Approvals"].iter_rows(values_only=True))
    assert approvals[1][0] == 1 and approvals[1][4] == "监事1、监事2"
    goods = list(book["Goods"].iter_rows(values_only=True))
    assert goods[1][4] == "食用油 20 桶" and goods[1][5] == 20000

    result = await gridbot("fund", "export", "--community", "没有这个社区", "--year", year,
                           env=env)  # fmt: skip
    assert result.exit_code == 1 and "no community named" in result.stderr


async def test_a_directed_gift_pays_only_its_project(world: World) -> None:
    tg, admin, alice = world.telegram, world.admin, world.alice
    first, second, _third = await board(world)
    await admin.send("/need 楼道灯不亮 | 社区 | 120")
    await admin.send("/project 1 | 楼道照明改造 | 3000 | 120 | 更换 40 盏声控灯")
    await tg.wait_for_message(admin.id, "项目第 1 号")
    await admin.send("/donation 2000 定向捐 区人民医院 #1")
    receipt = await tg.wait_for_message(admin.id, "收据第 1 号")
    assert "定向用于项目 1：楼道照明改造" in receipt.text
    await admin.send("/donation 500 爱心捐 匿名")
    await tg.wait_for_message(admin.id, "收据第 2 号")

    await admin.send("/disburse 2500 项目 施工队 #1")
    assert "只能从 2,000.00 元里出" in tg.last_message(admin.id).text
    await admin.send("/disburse 600 救急 某户")  # the project's money is not free to spend
    assert "只能从 500.00 元里出" in tg.last_message(admin.id).text
    await admin.send("/disburse 1500 项目 施工队 #1")
    card = await tg.wait_for_message(first.id, "支出申请第 1 号")
    assert "（项目 1：楼道照明改造）" in card.text
    await first.press(card, "批准")
    await second.press(await tg.wait_for_message(second.id, "支出申请第 1 号"), "批准")
    await tg.wait_for(lambda: "已支付" in card.text, what="the payment made")
    assert await fund_state(world.app) == (100000, 100000, 3)

    await alice.send("/fund")
    shown = tg.last_message(alice.id).text
    assert "当前余额：1,000.00 元" in shown and "项目 1「楼道照明改造」：1,500.00 元" in shown


async def test_another_communitys_admin_has_no_say_here(world: World) -> None:
    """An admin and board member of 东城社区 forges every fund and project button of 南华社区:
    each press gets one sentence and nothing moves, no card changes, nobody is told."""
    tg, admin = world.telegram, world.admin
    await import_structure(world.app.sessionmaker, DATA / "structure_second_community.yaml")
    other = tg.user(OTHER_ADMIN, "东城书记")
    await open_private(other)
    first, _second, _third = await board(world)
    hospital = tg.user(HOSPITAL_CONTACT, "医院联络人")
    await open_private(hospital)
    await admin.send("/need 楼道灯不亮 | 社区 | 120")
    await admin.send("/project 1 | 楼道照明改造 | 3000 | 120 | 更换声控灯")
    staff = await tg.wait_for_message(admin.id, "项目第 1 号")
    await admin.send("/donation 2000 定向捐 区人民医院 #1")
    await admin.send("/donation 500 爱心捐 匿名")
    receipt = await tg.wait_for_message(HOSPITAL_CONTACT, "收据第 1 号")
    await admin.send("/disburse 100 救急 某户")
    card = await tg.wait_for_message(first.id, "支出申请第 1 号")
    await first.press(card, "批准")
    before = (staff.text, staff.button_texts, card.text, len(tg.messages_in(HOSPITAL_CONTACT)))
    state, recorded = await fund_state(world.app), await _records(world.app)

    staff_only = "只有本社区的工作人员"
    for data, answer in (
        ("fp:cancel:1", staff_only), ("fp:cancel-yes:1", staff_only), ("fp:release:1", staff_only),
        ("fp:release-yes:1", staff_only), ("fp:units:1", staff_only),
        ("fp:undertake:1", staff_only), ("fp:partners:1", staff_only),
        ("fpp:1:1", staff_only), ("fn:1:0", staff_only),
        ("fa:1", "只有本社区监事会成员可以批准支出"), ("fw:1", staff_only),
        ("fc:1:0", "只有捐赠人的联系人或社区工作人员"),
    ):  # fmt: skip
        query = await other.press(staff, data=data)
        text = tg.answer_to(query)["text"]
        assert answer in text and text.count("。") == 1, data
    # Numbers are per community: their #1 is not ours.
    await other.send("/disburse 100 项目 施工队 #1")
    assert "没有编号为 1 的项目" in tg.last_message(other.id).text

    after = (staff.text, staff.button_texts, card.text, len(tg.messages_in(HOSPITAL_CONTACT)))
    assert after == before and await fund_state(world.app) == state
    assert "同意公示姓名" in receipt.button_texts
    assert await _records(world.app) == recorded
    assert recorded[:6] == (ProjectStatus.OPEN, None, None, DisbursementStatus.PENDING, 1, False)


async def _records(app: App) -> tuple[object, ...]:
    """What a press on the fund's and projects' buttons could change, and the project's
    version (any step bumps it)."""
    async with app.sessionmaker() as session:
        project = await session.scalar(select(Project))
        disbursement = await session.scalar(select(Disbursement))
        donation = await session.scalar(select(Donation).where(Donation.number == 1))
        approvals = await session.scalar(select(func.count()).select_from(Approval))
    assert project is not None and disbursement is not None and donation is not None
    return (project.status, project.cancel_reason, project.take_up, disbursement.status,
            approvals, donation.publish_name, project.version)  # fmt: skip
