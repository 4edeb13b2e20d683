"""Deliberation (议事协商) end to end: people in chats, the real bot, the fake Bot API over HTTP,
from a proposal to its published, implemented and archived decision."""

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.app import App
from bot.cli import app as cli
from models.base import set_clock_offset, utcnow
from models.deliberation import Proposal, ProposalStatus, ProposalVote
from models.requests import Request
from models.schedule import DAILY, MONTHLY, latest_due
from models.structure import Building, Community, Grid, MicroGrid
from playground import FakeTelegram, FakeUser
from playground.fakeapi import BotMessage
from tests.helpers import (
    ADMIN_CHAT,
    GRID_CHAT,
    LEADERS_CHAT,
    RESIDENTS_CHAT,
    World,
    build_world,
    open_private,
    register,
)


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    world = await build_world(telegram, structure)
    for staff in (world.worker, world.admin):
        await open_private(staff)
    return world


async def community_row(app: App) -> Community:
    async with app.sessionmaker() as session:
        row = await session.scalar(select(Community))
        assert row is not None
        return row


async def proposal_row(app: App, number: int = 1) -> Proposal:
    async with app.sessionmaker() as session:
        proposal = await session.scalar(select(Proposal).where(Proposal.number == number))
        assert proposal is not None
        return proposal


async def propose_privately(world: World, title: str = "加装电梯") -> None:
    tg, alice = world.telegram, world.alice
    await alice.send("/propose")
    assert "标题" in tg.last_message(alice.id).text
    await alice.send(title)
    await alice.send("2号楼老人多，上下楼困难，希望加装电梯")
    await alice.press(tg.last_message(alice.id), "跳过")
    await alice.press(tg.last_message(alice.id), "本小区")
    confirm = tg.last_message(alice.id)
    assert title in confirm.text and "本小区" in confirm.text
    await alice.press(confirm, "提交")
    assert "P-0001" in tg.last_message(alice.id).text


async def give_words(
    person: FakeUser, tg: FakeTelegram, card: BotMessage, button: str, words: str
) -> str:
    """Press a button that asks for words in private, send them, return the bot's answer."""
    # the card gains the button with an edit of its own, which may come after the answer
    # to the press that changed it
    await tg.wait_for(lambda: any(button in text for text in card.button_texts),
                      what=f"the {button} button")  # fmt: skip
    await person.press(card, button)  # the bot asks in private as part of handling the press
    await person.send(words)
    return tg.last_message(person.id).text


async def accept_and_open(world: World, track: str = "小事") -> None:
    tg, worker = world.telegram, world.worker
    staff = await tg.wait_for_message(GRID_CHAT, "P-0001")
    query = await worker.press(staff, f"立项·{track}")
    assert "已立项 P-0001" in tg.answer_to(query)["text"]
    answer = await give_words(
        worker, tg, staff, "添加方案", "由物业牵头申请加装电梯，费用按楼层分摊"
    )
    assert "已为 P-0001 添加方案①" in answer
    await tg.wait_for(lambda: "🗳 开始表决" in staff.button_texts, what="the open button")
    await worker.press(staff, "开始表决")


async def export_archive(world: World, folder: Path) -> Any:
    """`gridbot proposals export` as staff run it, beside the running bot."""
    runner = CliRunner()
    env = {"DATABASE_URL": world.app.settings.database_url, "BOT_TOKEN": ""}
    path = folder / "archive.xlsx"
    year = utcnow().astimezone(ZoneInfo("Asia/Shanghai")).year
    args = ["proposals", "export", "--community", "南华社区", "--output", str(path)]
    done = await asyncio.to_thread(runner.invoke, cli, [*args, "--year", str(year)], env=env)
    assert done.exit_code == 0, done.output
    assert f"{path}: 1 proposals of 南华社区" in done.stdout
    other = [*args[:-1], str(folder / "2001.xlsx"), "--year", "2001"]
    other_year = await asyncio.to_thread(runner.invoke, cli, other, env=env)
    assert other_year.exit_code == 0 and ": 0 proposals" in other_year.stdout
    missing = await asyncio.to_thread(
        runner.invoke, cli, ["proposals", "export", "--community", "北华社区"], env=env
    )
    assert missing.exit_code == 1 and "no community named" in missing.stderr
    return load_workbook(path)


async def test_proposal_to_implemented_decision(world: World, tmp_path: Path) -> None:
    tg, app, alice, bob, worker = world.telegram, world.app, world.alice, world.bob, world.worker
    await propose_privately(world)
    receipt = await tg.wait_for_message(alice.id, "已收到你的议题 P-0001")
    assert "3 天内" in receipt.text

    card = await tg.wait_for_message(RESIDENTS_CHAT, "P-0001")
    assert "加装电梯" in card.text and "Alice" not in card.text and "302" not in card.text
    assert card.button_texts == ["👍 附议（0）"]
    query = await bob.press(card, "附议")
    assert "已附议 P-0001，目前共 1 人附议" in tg.answer_to(query)["text"]
    assert "附议 1 人" in card.text and card.button_texts == ["👍 附议（1）"]
    again = await bob.press(card, "附议")
    assert "已经附议过" in tg.answer_to(again)["text"]
    own = await alice.press(card, "附议")
    assert "自己提的议题" in tg.answer_to(own)["text"]

    staff = await tg.wait_for_message(GRID_CHAT, "P-0001")
    assert "Alice" not in staff.text and "302" not in staff.text
    assert staff.button_texts[:3] == ["立项·大事", "立项·小事", "立项·急事"]
    await accept_and_open(world)
    await tg.wait_for_message(alice.id, "已立项（小事）")
    ballot = await tg.wait_for_message(RESIDENTS_CHAT, "P-0001 表决：")
    assert ballot.button_texts == ["①", "反对", "弃权"]
    assert "费用按楼层分摊" in ballot.text

    first = await alice.press(ballot, "①")
    assert "已记录你家对 P-0001 的选择：①" in tg.answer_to(first)["text"]
    await bob.press(ballot, "反对")
    changed = await bob.press(ballot, "①")
    assert "改为：①" in tg.answer_to(changed)["text"]
    await tg.wait_for(lambda: "① 2 · 反对 0 · 弃权 0" in ballot.text, what="the tally")
    assert "Bob" not in ballot.text and "Alice" not in ballot.text

    # The deadline passes: the job closes the vote once, and the result is published.
    assert (await app.vote_close.run(now=utcnow() + timedelta(hours=1)))["closed"] == 0
    assert (await app.vote_close.run(now=utcnow() + timedelta(days=4)))["closed"] == 1
    assert (await app.vote_close.run(now=utcnow() + timedelta(days=4)))["closed"] == 0
    result = await tg.wait_for_message(RESIDENTS_CHAT, "表决结果公示")
    assert "表决通过：方案①" in result.text and "参与：2 / 2 户（100%）" in result.text
    await tg.wait_for_message(ADMIN_CHAT, "表决结果公示")
    await tg.wait_for_message(alice.id, "表决结果：通过")
    await tg.wait_for(lambda: not ballot.buttons, what="the ballot closes")
    late = await bob.press(ballot, data="dl:vote:1:-1")  # an old copy of the ballot
    assert "表决已结束" in tg.answer_to(late)["text"]

    # 异议 during the publicity period reaches staff without the objector's name.
    answer = await give_words(bob, tg, result, "异议", "分摊方式对低楼层不公平")
    assert "已转给社区工作人员" in answer
    objection = await tg.wait_for_message(ADMIN_CHAT, "分摊方式对低楼层不公平")
    assert "Bob" not in objection.text and "501" not in objection.text

    # Follow through: an implementation task is an ordinary request, linked to the proposal.
    staff = await tg.wait_for_message(GRID_CHAT, "表决通过")
    answer = await give_words(worker, tg, staff, "落实任务", "联系电梯公司上门勘察2号楼")
    assert "已派发落实任务 R-0001" in answer
    await tg.wait_for_message(RESIDENTS_CHAT, "落实任务 R-0001 已派发")
    task_card = await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    assert "P-0001" in task_card.text
    early = await worker.press(staff, "已落实")
    assert "还有未完成的落实任务：R-0001" in tg.answer_to(early)["text"]
    await world.leader.press(task_card, "认领")
    private_card = await tg.wait_for_message(world.leader.id, "R-0001")
    await world.leader.press(private_card, "已解决")
    await world.leader.press(tg.last_message(world.leader.id), "跳过")
    await tg.wait_for_message(alice.id, "请为这次服务打分")  # the proposer follows the task
    done = await worker.press(staff, "已落实")
    assert "已将 P-0001 标记为已落实" in tg.answer_to(done)["text"]
    await tg.wait_for_message(RESIDENTS_CHAT, "已落实。感谢大家参与议事")
    await tg.wait_for_message(alice.id, "已落实。感谢大家参与议事")  # before her /topics answer
    proposal = await proposal_row(app)
    assert proposal.status == ProposalStatus.IMPLEMENTED
    async with app.sessionmaker() as session:
        linked = await session.scalar(
            select(func.count()).where(Request.proposal_id == proposal.id)
        )
        assert linked == 1

    await alice.send("/topics")
    assert "没有你的议题" in tg.last_message(alice.id).text

    # The month's summary counts the proposal at every step.
    row = await community_row(app)
    local_now = utcnow().astimezone(ZoneInfo(row.timezone))  # the community's month
    next_month = (local_now.replace(day=1) + timedelta(days=32)).replace(day=1, hour=12)
    due = latest_due(MONTHLY, "1 09:00", next_month, row.timezone)
    assert await app.jobs.run(MONTHLY, row, due, next_month)
    summary = await tg.wait_for_message(ADMIN_CHAT, "月度总结")
    assert "收到议题 1 件，按时答复 1 件；表决 1 件，通过 1 件；落实 1 件" in summary.text

    # 有备案: the archive, one row per proposal with every step.
    book = await export_archive(world, tmp_path)
    sheet = book["Proposals"]
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert sheet.max_row == 2, row
    assert row["number"] == "P-0001", row
    assert row["status"] == "implemented" and row["track"] == "minor"
    assert row["screened by"] == "grid_worker" and row["closed by"] == "system"
    assert row["voters"] == 2 and row["eligible"] == 2 and row["turnout %"] == 100
    assert "分摊方式对低楼层不公平" in row["objections"] and "R-0001 resolved" in row["tasks"]
    assert "submit (resident)" in row["steps"] and "implemented (grid_worker)" in row["steps"]
    assert all("Alice" not in str(value) and "Bob" not in str(value) for value in row.values())


async def second_micro_grid_resident(app: App, person: FakeUser) -> None:
    """A resident of another micro-grid (枫林苑) of the same grid."""
    async with app.sessionmaker() as session:
        grid = await session.scalar(select(Grid))
        assert grid is not None
        micro = MicroGrid(community_id=grid.community_id, grid_id=grid.id, name="枫林苑")
        session.add(micro)
        await session.flush()
        session.add(Building(community_id=grid.community_id, micro_grid_id=micro.id, name="9号楼"))
        await session.commit()
    await register(app, person, "9号楼", "101")


async def test_vote_refusals_and_early_close(world: World) -> None:
    tg, alice, bob, worker = world.telegram, world.alice, world.bob, world.worker
    await propose_privately(world)
    staff = await tg.wait_for_message(GRID_CHAT, "P-0001")
    await worker.press(staff, "立项·急事")
    await tg.wait_for(lambda: any("添加方案" in t for t in staff.button_texts), what="添加方案")
    await worker.press(staff, "添加方案")
    await worker.send_photo("")  # a photo alone says nothing: the option needs words
    assert "方案说明不能为空" in tg.last_message(worker.id).text
    await worker.send_photo("在2号楼西侧加装外挂电梯，见示意图")
    assert "已为 P-0001 添加方案①" in tg.last_message(worker.id).text
    await tg.wait_for(lambda: "🗳 开始表决" in staff.button_texts, what="the open button")
    await worker.press(staff, "开始表决")
    attachment = await tg.wait_for_message(RESIDENTS_CHAT, "P-0001 方案① 的附件")
    assert attachment.has_photo
    ballot = await tg.wait_for_message(RESIDENTS_CHAT, "P-0001 表决：")
    carol = tg.user(5003, "Carol")
    await second_micro_grid_resident(world.app, carol)
    outside = await carol.press(ballot, "①")
    assert "不在你登记的住址范围内" in tg.answer_to(outside)["text"]
    stranger = await tg.user(5009, "Dave").press(ballot, "①")
    assert "请先发送 /start 登记住址" in tg.answer_to(stranger)["text"]
    for forged, says in (
        ("dl:vote:1:9", "按钮已失效"),  # no option 9
        ("dl:vote:999:1", "议题不存在"),
        ("dl:launch:1:0", "按钮已失效"),
        ("dl:vote:one", "按钮已失效"),
        ("dl:accept:1:0", "只有负责这个范围"),  # a resident screening
    ):
        query = await alice.press(ballot, data=forged)
        assert says in tg.answer_to(query)["text"], forged
    await alice.press(ballot, "①")

    staff = await tg.wait_for_message(GRID_CHAT, "表决中")
    not_staff = await bob.press(staff, "提前结束表决")
    assert "只有负责这个范围的网格员或社区管理员" in tg.answer_to(not_staff)["text"]
    closed = await worker.press(staff, "提前结束表决")
    assert "已提前结束 P-0001 的表决" in tg.answer_to(closed)["text"]
    result = await tg.wait_for_message(RESIDENTS_CHAT, "表决结果公示")
    assert "表决通过：方案①" in result.text and "参与：1 / 2 户（50%）" in result.text
    late = await bob.press(ballot, data="dl:vote:1:1")
    assert "表决已结束" in tg.answer_to(late)["text"]
    again = await worker.press(staff, data="dl:close:1:0")
    assert "表决已结束" in tg.answer_to(again)["text"]
    proposal = await proposal_row(world.app)
    assert proposal.status == ProposalStatus.PASSED and proposal.result is not None
    assert proposal.result["voters"] == 1
    async with world.app.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(ProposalVote)) == 1
    set_clock_offset(timedelta(days=6))  # the publicity period (5 days) is over
    try:
        over = await bob.press(result, "异议")
        assert "公示期已结束" in tg.answer_to(over)["text"]
    finally:
        set_clock_offset(timedelta(0))


async def test_group_topic_and_bad_input(world: World) -> None:
    tg, alice = world.telegram, world.alice
    await alice.send("#议题 加装电梯", chat=world.residents)
    assert "#议题 标题 内容" in tg.last_message(RESIDENTS_CHAT).text
    await alice.send("#议题 划停车位 小区停车位不够，建议在东侧空地划线", chat=world.residents)
    # the proposal's card comes to the same group through the outbox, around this answer
    await tg.wait_for_message(RESIDENTS_CHAT, "已收到议题 P-0001")
    card = await tg.wait_for_message(RESIDENTS_CHAT, "划停车位")
    assert "东侧空地" in card.text and "Alice" not in card.text
    stranger = tg.user(5009, "Dave")
    await stranger.send("#议题 装路灯 东门太黑", chat=world.residents)
    assert "请先在私聊中登记住址" in tg.last_message(RESIDENTS_CHAT).text

    await alice.send("/propose")
    await alice.send("长" * 61)
    assert "内容太长（61 字）" in tg.last_message(alice.id).text
    await alice.send_photo("")
    assert "请发送议题的标题" in tg.last_message(alice.id).text
    await alice.send("装路灯")
    await alice.send("灯" * 1001)
    assert "内容太长（1001 字）" in tg.last_message(alice.id).text
    await alice.send("东门晚上太黑，建议装两盏路灯")
    await alice.send_photo("")  # a photo of the dark gate
    stale = await alice.press(tg.last_message(alice.id), data="dlf:scope:moon")
    assert "按钮已失效" in tg.answer_to(stale)["text"]
    await alice.press(tg.last_message(alice.id), "全社区")
    await alice.press(tg.last_message(alice.id), "提交")
    assert "P-0002" in tg.last_message(alice.id).text
    # A community-wide proposal is screened by the community admins.
    await tg.wait_for_message(ADMIN_CHAT, "装路灯")
    card = await tg.wait_for_message(RESIDENTS_CHAT, "P-0002 · 议题：装路灯")
    assert card.has_photo and card.button_texts == ["👍 附议（0）"]
    seconded = await world.bob.press(card, "附议")
    assert "目前共 1 人附议" in tg.answer_to(seconded)["text"]
    await tg.wait_for(lambda: "附议 1 人" in card.text, what="the captioned card is edited")


async def test_screening_decline_merge_and_overdue(world: World) -> None:
    tg, app, alice, worker, admin = (
        world.telegram,
        world.app,
        world.alice,
        world.worker,
        world.admin,
    )
    async with app.sessionmaker() as session:  # two seconds put a proposal first here
        row = await session.scalar(select(Community))
        assert row is not None
        row.settings = {**row.settings, "deliberation": {"seconds_to_prioritise": 2}}
        await session.commit()
    for text in (
        "#议题 加装电梯 2号楼需要电梯",
        "#议题 电梯 想装电梯",
        "#议题 养狗 希望规定遛狗时间",
    ):
        await alice.send(text, chat=world.residents)
    # three receipts and three cards to one group, one a second through the outbox
    dogs = await tg.wait_for_message(RESIDENTS_CHAT, "养狗", timeout=20)
    carol = tg.user(5003, "Carol")
    await register(app, carol, "1号楼", "101")
    for neighbour in (world.bob, carol):
        await neighbour.press(dogs, "附议")
    await tg.wait_for_message(GRID_CHAT, "P-0003 已有 2 人附议，已排到审核队列最前面")
    await worker.send("/topics")
    queue = tg.last_message(worker.id).text
    assert queue.index("P-0003") < queue.index("P-0001") < queue.index("P-0002")
    second = await tg.wait_for_message(GRID_CHAT, "P-0002")
    answer = await give_words(worker, tg, second, "合并", "P-9")
    assert "本社区没有议题 P-9" in answer
    await worker.send("P-0001")
    assert "已将 P-0002 合并到 P-0001" in tg.last_message(worker.id).text
    await tg.wait_for_message(alice.id, "已合并办理")

    third = await tg.wait_for_message(GRID_CHAT, "P-0003 · 议题")
    old_accept = third.button("立项·小事")["callback_data"]
    answer = await give_words(worker, tg, third, "不予立项", "属于物业管理规约，请向业委会反映")
    assert "不予立项" in answer
    await tg.wait_for_message(alice.id, "理由：属于物业管理规约")
    lost = await admin.press(third, data=old_accept)
    assert "已有新的进展" in tg.answer_to(lost)["text"]

    # P-0001 is not answered in time: it moves up to the community admins, once.
    assert (await app.vote_close.run(now=utcnow() + timedelta(days=2)))["escalated"] == 0
    assert (await app.vote_close.run(now=utcnow() + timedelta(days=4)))["escalated"] == 1
    assert (await app.vote_close.run(now=utcnow() + timedelta(days=5)))["escalated"] == 0
    overdue = await tg.wait_for_message(ADMIN_CHAT, "超过审核时限")
    assert "P-0001" in overdue.text
    # The daily feedback lists it to the admins until it is answered.
    later = utcnow() + timedelta(days=4)
    row = await community_row(app)
    assert await app.jobs.run_on(DAILY, row, later.date(), now=later)
    daily = await tg.wait_for_message(ADMIN_CHAT, "超过审核时限仍未答复的议题 1 件")
    assert "P-0001 加装电梯 · 超期 1 天" in daily.text and "Alice" not in daily.text
    await admin.press(overdue, "立项·大事")
    await tg.wait_for(lambda: "已立项" in overdue.text, what="the admin's card moves on")


async def test_whisper_is_anonymous_and_answered_privately(world: World) -> None:
    tg, alice, bob, admin = world.telegram, world.alice, world.bob, world.admin
    await alice.send("/whisper")
    assert "/whisper 你想说的话" in tg.last_message(alice.id).text
    await alice.send("/whisper 我是Alice，楼上每天半夜很吵", chat=world.residents)
    assert "请在私聊中发送" in tg.last_message(RESIDENTS_CHAT).text
    await alice.send("/whisper 我是Alice，楼上每天半夜很吵")
    assert "已匿名送达" in tg.last_message(alice.id).text
    card = await tg.wait_for_message(ADMIN_CHAT, "悄悄话")
    # Sent as written (the sender named herself); the bot adds nothing about who sent it.
    assert "我是Alice，楼上每天半夜很吵" in card.text
    for identity in ("5001", "302", "2号楼", "嘉木花园"):
        assert identity not in card.text and identity not in str(card.raw.get("reply_markup"))
    assert str(alice.id) not in card.button("回复")["callback_data"]

    refused = await bob.press(card, "回复")
    assert "只有负责" in tg.answer_to(refused)["text"]
    answer = await give_words(admin, tg, card, "回复", "已联系楼上住户，请他们注意")
    assert "已私下转给留言的人" in answer
    relayed = await tg.wait_for_message(alice.id, "社区回复了你的悄悄话")
    assert "已联系楼上住户" in relayed.text
    await tg.wait_for(lambda: "已回复" in card.text and not card.buttons, what="answered card")
    await admin.press(card, data="dl:whisper:1:0")  # the old button, pressed again
    await admin.send("再补充一句")
    assert "已经有人回复过了" in tg.last_message(admin.id).text

    await alice.send("/whisper 第二条")
    await alice.send("/whisper 第三条")
    await alice.send("/whisper 第四条")
    assert "每天最多发送 3 条" in tg.last_message(alice.id).text
