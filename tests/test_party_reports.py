"""The monthly unit report: each partner unit's contacts get their in-service party members'
month as text and as a workbook, once, with the members who did nothing named too."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.app import App
from models.base import utcnow
from models.jobs import JobRun
from models.schedule import UNIT_REPORTS, latest_due
from models.structure import Community
from playground import FakeTelegram
from tests.helpers import LEADERS_CHAT, World, build_world, open_private, register
from tests.test_party import join

TAX_CONTACT, HOSPITAL_CONTACT = 6001, 6002


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    return await build_world(telegram, structure)


async def test_unit_report_with_its_workbook(world: World) -> None:
    tg, app, leader = world.telegram, world.app, world.leader
    await world.admin.send("/help")
    carol, frank = tg.user(5003, "Carol"), tg.user(5007, "Frank")
    for person in (carol, frank):
        await register(app, person, "1号楼")
        await join(world, person)
    await carol.send("/pledge 每月服务一次")
    await carol.send("/checkin 帮邻居修水管")
    review = await tg.wait_for_message(leader.id, "帮邻居修水管")
    await leader.press(review, "签章通过")
    await tg.wait_for_message(carol.id, "获得 5 积分")
    await carol.send("/pledges")
    await carol.press(await tg.wait_for_message(carol.id, "承诺践诺"), "关联到第 1 项")
    await carol.press(await tg.wait_for_message(carol.id, "选择践行这项承诺"), "帮邻居修水管")
    # A wish Carol fulfils, and a report the leader (a member of the same unit) resolves.
    await world.bob.send("#微心愿 想借一辆轮椅", chat=world.residents)
    wish = await tg.wait_for_message(world.residents.id, "想借一辆轮椅")
    await carol.press(wish, "认领")
    private_card = await tg.wait_for_message(carol.id, "W-0001")
    await carol.press(private_card, "已解决")
    await carol.press(await tg.wait_for_message(carol.id, "处理说明"), "跳过")
    await world.bob.press(await tg.wait_for_message(world.bob.id, "确认实现了吗"), "已实现")
    await tg.wait_for_message(carol.id, "感谢你的帮助")
    await register(app, leader, "2号楼")
    await join(world, leader)
    await world.alice.send("/report 2号楼楼道灯坏了", chat=world.residents)
    card = await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    await leader.press(card, "认领")
    leader_card = await tg.wait_for_message(leader.id, "R-0001")
    await leader.press(leader_card, "已解决")
    await leader.press(await tg.wait_for_message(leader.id, "处理说明"), "跳过")
    contact, other_contact = tg.user(TAX_CONTACT, "税务局联络人"), tg.user(HOSPITAL_CONTACT, "医院")
    await open_private(contact)
    await open_private(other_contact)

    async with app.sessionmaker() as session:
        row = await session.scalar(select(Community))
        assert row is not None
    first_of_next_month = (utcnow().replace(day=1) + timedelta(days=32)).replace(day=1, hour=12)
    due = latest_due(UNIT_REPORTS, "1 10:00", first_of_next_month, row.timezone)
    assert await app.jobs.run(UNIT_REPORTS, row, due, first_of_next_month)

    summary = await tg.wait_for_message(TAX_CONTACT, "在职党员社区报到情况")
    assert "报到党员 3 人，本月参与 2 人" in summary.text
    carol_line = "Carol：服务 1 次 0.0 小时，微心愿 1 个，办结诉求 0 件，积分 10，践诺 1 项"
    assert carol_line in summary.text
    assert "网格长甲：服务 0 次 0.0 小时，微心愿 0 个，办结诉求 1 件，积分 0" in summary.text
    assert "本月未参与：Frank" in summary.text
    document = await tg.wait_for(
        lambda: next((m for m in tg.messages_in(TAX_CONTACT) if m.document_name), None),
        what="the unit's workbook",
    )
    assert document.document_name.endswith(".xlsx")
    book = load_workbook(io.BytesIO(tg.files[document.raw["document"]["file_id"]]))
    rows = [list(r) for r in book["Members"].iter_rows(values_only=True)]
    assert rows[0][:3] == ["member", "services", "hours"]
    assert rows[1:] == [  # in the order people first came to the bot
        ["网格长甲", 0, 0, 0, 1, 0, 0, None],
        ["Carol", 1, 0, 1, 0, 10, 1, None],
        ["Frank", 0, 0, 0, 0, 0, 0, "yes"],
    ]
    # The hospital has no member here: its contact is told nothing.
    assert not any("报到情况" in m.text for m in tg.messages_in(HOSPITAL_CONTACT))

    # The month's run happens once: running it again sends nothing more.
    sent = len(tg.messages_in(TAX_CONTACT))
    assert not await app.jobs.run(UNIT_REPORTS, row, due, first_of_next_month)
    async with app.sessionmaker() as session:
        runs = (await session.scalars(select(JobRun).where(JobRun.job == UNIT_REPORTS))).all()
        assert [r.result for r in runs] == [{"units": 1, "sent": 2}]  # the summary and the workbook
    assert len(tg.messages_in(TAX_CONTACT)) == sent
