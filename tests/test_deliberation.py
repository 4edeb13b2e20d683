"""Deliberation (议事协商) end to end: people in chats, the real bot, the fake Bot API over HTTP,
from a proposal to its published, implemented and archived decision."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App
from models.base import utcnow
from models.deliberation import Proposal, ProposalStatus
from models.requests import Request
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
)


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    world = await build_world(telegram, structure)
    for staff in (world.worker, world.admin):
        await open_private(staff)
    return world


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
    await person.press(card, button)
    await tg.wait_for_message(person.id, "")
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


async def test_proposal_to_implemented_decision(world: World) -> None:
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
    ballot = await tg.wait_for_message(RESIDENTS_CHAT, "表决")
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
    proposal = await proposal_row(app)
    assert proposal.status == ProposalStatus.IMPLEMENTED
    async with app.sessionmaker() as session:
        linked = await session.scalar(
            select(func.count()).where(Request.proposal_id == proposal.id)
        )
        assert linked == 1

    await alice.send("/topics")
    assert "没有你的议题" in tg.last_message(alice.id).text
