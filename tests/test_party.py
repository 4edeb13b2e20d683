"""Party members end to end: 双报到 with the admins' confirmation, the badge on cards (亮身份),
wishes offered to party members first, and pledges kept."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import App
from models.base import set_clock_offset, utcnow
from models.errors import DomainError
from models.members import load_member, touch_user
from models.party import MembershipKind, MembershipStatus, PartnerUnit, PartyMember
from models.party.membership import ask_to_join, review
from models.schedule import YEARLY, latest_due
from models.structure import Community
from playground import FakeTelegram, FakeUser
from tests.conftest import import_structure
from tests.helpers import (
    ADMIN_CHAT,
    RESIDENTS_CHAT,
    World,
    build_world,
    register,
    request_by_number,
)


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    return await build_world(telegram, structure)


@pytest.fixture(autouse=True)
def real_clock():  # type: ignore[no-untyped-def]
    yield
    set_clock_offset(timedelta(0))


async def join(world: World, person: FakeUser, unit: str | None = "区税务局") -> None:
    """`person` registers as a party member and the admin confirms."""
    tg = world.telegram
    await person.send("/party")
    choice = await tg.wait_for_message(person.id, "请选择你的身份")
    if unit is None:
        await person.press(choice, "社区党员")
    else:
        await person.press(choice, "在职党员")
        await person.press(choice, unit)
    assert "等待社区确认" in choice.text
    card = await tg.wait_for_message(world.admin.id, f"党员报到：{person.first_name}")
    await world.admin.press(card, "确认")
    await tg.wait_for(lambda: "已确认" in card.text, what="the admin's card confirmed")
    await tg.wait_for_message(person.id, "已获社区确认")


async def test_register_confirm_badge_and_leave(world: World) -> None:
    tg, alice, admin = world.telegram, world.alice, world.admin
    await admin.send("/help")  # the admin opened a private chat with the bot
    await alice.send("/party")
    choice = await tg.wait_for_message(alice.id, "请选择你的身份")
    assert choice.button_texts == ["🏢 在职党员", "🏠 社区党员"]
    await alice.press(choice, "在职党员")
    units = await tg.wait_for_message(alice.id, "请选择你所在的共建单位")
    assert units.button_texts == ["区税务局", "区人民医院"]
    await alice.press(units, "区税务局")
    assert "等待社区确认" in units.text
    card = await tg.wait_for_message(admin.id, "党员报到：Alice")
    assert "在职党员（区税务局）" in card.text and "嘉木花园" in card.text
    assert "Alice" not in "".join(m.text for m in tg.messages_in(ADMIN_CHAT))

    # Not yet confirmed: no badge when she claims a wish.
    await world.bob.send("#微心愿 想请人帮忙修自行车", chat=world.residents)
    wish = await tg.wait_for_message(RESIDENTS_CHAT, "修自行车")
    refused = await alice.press(wish, "认领")
    assert "志愿者" in tg.answer_to(refused)["text"]  # an unconfirmed member is no volunteer

    # A leader is no admin of the community: the press changes nothing.
    query = await world.leader.press(card, "确认")
    assert "只有本社区的管理员" in tg.answer_to(query)["text"]
    await admin.press(card, "确认")
    assert "已确认" in card.text and card.button_texts == []
    await tg.wait_for_message(alice.id, "已获社区确认")
    query = await admin.press(card, data="pr:1:1")  # the old button pressed again
    assert "已经是本社区确认的党员" in tg.answer_to(query)["text"]

    claimed = await alice.press(wish, "认领")
    assert "已认领" in tg.answer_to(claimed)["text"]
    assert "认领人 🎖Alice" in wish.text  # 亮身份
    private_card = await tg.wait_for_message(alice.id, "办结时限")  # her card of the wish
    await alice.press(private_card, "已解决")
    await alice.press(await tg.wait_for_message(alice.id, "处理说明"), "跳过")
    await tg.wait_for(lambda: "已解决 · 办理人 🎖Alice" in wish.text, what="the resolver's badge")

    await alice.send("/help")
    await tg.wait_for_message(alice.id, "/party 双报到（在职党员或社区党员）")

    await alice.send("/party")
    status = await tg.wait_for_message(alice.id, "确认的党员（单位")
    assert "确认的党员" in status.text
    await alice.press(status, "退出党员身份")
    await alice.press(status, "确定退出")
    assert "已退出" in status.text
    async with world.app.sessionmaker() as session:
        membership = await session.scalar(select(PartyMember))
        assert membership is not None and membership.status == MembershipStatus.LEFT


async def test_an_admin_who_never_wrote_gets_a_pointer_then_the_cards(world: World) -> None:
    tg, admin = world.telegram, world.admin
    await world.alice.send("/party")
    await world.alice.press(await tg.wait_for_message(world.alice.id, "请选择你的身份"), "社区党员")
    pointer = await tg.wait_for_message(ADMIN_CHAT, "有新的党员报到等待确认")
    assert "Alice" not in pointer.text
    await admin.send("/party")
    await tg.wait_for_message(admin.id, "有 1 份党员报到等待确认")
    card = await tg.wait_for_message(admin.id, "党员报到：Alice")
    await admin.press(card, "确认")
    await tg.wait_for_message(world.alice.id, "已获社区确认")


async def test_decline_with_a_reason_and_refusals(world: World) -> None:
    tg, alice, admin = world.telegram, world.alice, world.admin
    await admin.send("/help")
    stranger = tg.user(5009, "Stranger")
    await stranger.send("/party")
    await tg.wait_for_message(stranger.id, "请先登记住址")
    await alice.send("/party")
    await alice.press(await tg.wait_for_message(alice.id, "请选择你的身份"), "社区党员")
    card = await tg.wait_for_message(admin.id, "党员报到：Alice")
    await alice.send("/party")
    await tg.wait_for_message(alice.id, "正在等待社区确认")

    await admin.press(card, "退回")
    await tg.wait_for_message(admin.id, "退回原因")
    await admin.send("未在本社区党组织登记")
    await tg.wait_for_message(admin.id, "已退回，并已告知申请人原因")
    await tg.wait_for(lambda: "已退回" in card.text and card.button_texts == [], what="declined")
    await tg.wait_for_message(alice.id, "未在本社区党组织登记")

    # Forged and odd button data: a polite sentence, nothing changes.
    for data in ("pj:nonsense:0", "pj:in_service:999999", "pr:999999:1", "pj:in_service"):
        query = await alice.press(await tg.wait_for_message(alice.id, "已提交党员报到"), data=data)
        assert tg.answer_to(query)["text"]
    async with world.app.sessionmaker() as session:
        rows = (await session.scalars(select(PartyMember))).all()
        assert [r.status for r in rows] == [MembershipStatus.DECLINED]
        assert rows[0].reason == "未在本社区党组织登记"


async def test_concurrent_confirm_and_decline_one_wins(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        from models.members import register_residence
        from models.structure import Building

        user = await touch_user(session, 5101, "Carol", None, "zh", True)
        building = await session.scalar(select(Building).where(Building.name == "1号楼"))
        assert building is not None
        await register_residence(session, user, building.id, None, None)
        unit = await session.scalar(select(PartnerUnit).where(PartnerUnit.name == "区税务局"))
        assert unit is not None
        membership = await ask_to_join(
            session, await load_member(session, user), MembershipKind.IN_SERVICE, unit.id
        )
        await session.commit()

    async def act(confirm: bool) -> bool:
        async with sessionmaker() as session:
            admin = await load_member(session, await touch_user(session, 1001, "书记", None,
                                                                 "zh", True))  # fmt: skip
            try:
                await review(session, admin, membership.id, confirm, "重复报到")
                await session.commit()
                return True
            except DomainError:
                await session.rollback()
                return False

    results = await asyncio.gather(act(True), act(False), act(True))
    assert sum(results) == 1
    async with sessionmaker() as session:
        row = await session.get(PartyMember, membership.id)
        assert row is not None and row.status in (MembershipStatus.CONFIRMED,
                                                  MembershipStatus.DECLINED)  # fmt: skip


async def test_wish_offered_to_party_members_first(world: World) -> None:
    tg, bob, leader = world.telegram, world.bob, world.leader
    carol = tg.user(5003, "Carol")
    await register(world.app, carol, "1号楼")
    await world.admin.send("/help")
    await join(world, carol)
    dave = tg.user(5004, "Dave")  # a volunteer, not a party member
    await register(world.app, dave, "1号楼")
    await dave.send("/volunteer")
    erin = tg.user(5006, "Erin")  # registered as a member, not confirmed yet
    await register(world.app, erin, "1号楼")
    await erin.send("/volunteer")
    await erin.send("/party")
    await erin.press(await tg.wait_for_message(erin.id, "请选择你的身份"), "社区党员")

    await bob.send("#微心愿 想请人陪我去医院复查", chat=world.residents)
    card = await tg.wait_for_message(RESIDENTS_CHAT, "陪我去医院复查")
    await dave.send("/partyfirst W-0001")
    await tg.wait_for_message(dave.id, "只有本微网格的网格长")
    await leader.send("/partyfirst W-0001")
    await tg.wait_for_message(leader.id, "已将 W-0001 设为党员优先")
    await leader.send("/partyfirst W-0001")
    await tg.wait_for_message(leader.id, "已经是党员优先")
    offer = await tg.wait_for_message(carol.id, "党员优先")
    assert "陪我去医院复查" in offer.text and offer.button_texts == ["🙋 认领"]
    offered = "仅本微网格党员可认领"
    assert not any(offered in m.text for m in tg.messages_in(dave.id) + tg.messages_in(bob.id))

    for person in (dave, erin):
        query = await person.press(card, "认领")
        assert "只有本微网格确认的党员可以认领" in tg.answer_to(query)["text"]
    assert (await request_by_number(world.app, 1, "wish")).status == "routed"

    query = await carol.press(offer, "认领")
    assert "已认领 W-0001" in tg.answer_to(query)["text"]
    await tg.wait_for(lambda: "认领人 🎖Carol" in card.text, what="the badge on the group card")

    # After the window anyone who may claim wishes can.
    await bob.send("#微心愿 想借一把梯子", chat=world.residents)
    second = await tg.wait_for_message(RESIDENTS_CHAT, "想借一把梯子")
    await leader.send("/partyfirst W-0002")
    query = await dave.press(second, "认领")
    assert "党员优先" in tg.answer_to(query)["text"]
    set_clock_offset(timedelta(hours=24, minutes=1))
    query = await dave.press(second, "认领")
    assert "已认领 W-0002" in tg.answer_to(query)["text"]
    assert "认领人 Dave" in second.text


async def test_wishes_first_by_default_in_a_community(
    telegram: FakeTelegram, app: App, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import SAMPLE_STRUCTURE

    path = tmp_path / "structure.yaml"
    path.write_text(SAMPLE_STRUCTURE.read_text(encoding="utf-8")
                    + "party:\n  wishes_first: true\n  priority_hours: 2\n", encoding="utf-8")
    await import_structure(app.sessionmaker, path)
    world = await build_world(telegram, app)
    tg = world.telegram
    carol = tg.user(5003, "Carol")
    await register(app, carol, "1号楼")
    await world.admin.send("/help")
    await join(world, carol, unit=None)
    await world.bob.send("#微心愿 想请人帮忙换灯泡", chat=world.residents)
    offer = await tg.wait_for_message(carol.id, "党员优先")
    assert "换灯泡" in offer.text
    card = await tg.wait_for_message(RESIDENTS_CHAT, "换灯泡")
    query = await world.leader.press(card, "认领")
    assert "党员优先" in tg.answer_to(query)["text"]
    set_clock_offset(timedelta(hours=2, minutes=1))
    query = await world.leader.press(card, "认领")
    assert "已认领 W-0001" in tg.answer_to(query)["text"]

    # In English the offer and the badge read in words.
    await carol.send("/language")
    await carol.press(await tg.wait_for_message(carol.id, "Choose a language"), "English")
    await world.bob.send("#微心愿 想请人帮忙搬花盆", chat=world.residents)
    offer = await tg.wait_for_message(carol.id, "Party members first")
    assert "搬花盆" in offer.text and offer.button_texts == ["🙋 Claim"]
    await carol.press(offer, "Claim")
    mine = await tg.wait_for_message(carol.id, "by Carol [Party member]")
    assert "W-0002" in mine.text


async def test_pledge_kept_by_a_stamped_service_and_commended(world: World) -> None:
    tg, leader = world.telegram, world.leader
    carol = tg.user(5003, "Carol")
    await register(world.app, carol, "1号楼")
    await world.admin.send("/help")
    await carol.send("/pledge 每月帮独居老人买菜")
    await tg.wait_for_message(carol.id, "只有社区确认的党员")
    await join(world, carol)
    await carol.send("/pledge")
    await tg.wait_for_message(carol.id, "用法：/pledge 承诺内容")
    await carol.send("/pledge " + "长" * 300)
    await tg.wait_for_message(carol.id, "内容太长了（300 字）")
    await carol.send("/pledge 每月帮独居老人买菜")
    await tg.wait_for_message(carol.id, "已记录你")
    await carol.send("/pledges")
    listing = await tg.wait_for_message(carol.id, "承诺践诺")
    assert "已践诺 0 次" in listing.text
    query = await carol.press(listing, "关联到第 1 项")
    assert "没有可关联的记录" in tg.answer_to(query)["text"]

    await carol.send("/checkin 帮独居老人买菜")
    review = await tg.wait_for_message(leader.id, "帮独居老人买菜")
    assert "🎖Carol" in review.text
    await leader.press(review, "签章通过")
    assert "已签章" in review.text and "🎖Carol" in review.text
    await carol.press(listing, "关联到第 1 项")
    choose = await tg.wait_for_message(carol.id, "选择践行这项承诺")
    assert choose.button_texts == ["帮独居老人买菜"]
    # Forged: another's pledge, something that is not hers, an unknown kind.
    for data in ("pk:999:checkin:1", "pk:1:checkin:999", "pk:1:wallet:1", "pk:1:checkin"):
        query = await carol.press(choose, data=data)
        assert tg.answer_to(query)["text"]
    query = await world.bob.press(choose, data=choose.buttons[0][0]["callback_data"])
    assert "只有社区确认的党员" in tg.answer_to(query)["text"]
    await carol.press(choose, "帮独居老人买菜")
    assert "已关联到承诺" in choose.text
    query = await carol.press(choose, data=choose.raw.get("reply_markup", {}).get(
        "inline_keyboard", [[{"callback_data": "pk:1:checkin:1"}]])[0][0]["callback_data"])
    assert "已经关联过" in tg.answer_to(query)["text"]
    await carol.send("/pledges")
    await tg.wait_for_message(carol.id, "已践诺 1 次：帮独居老人买菜")

    async with world.app.sessionmaker() as session:
        row = await session.scalar(select(Community))
        assert row is not None
    next_new_year = datetime(utcnow().year + 1, 1, 1, 12, tzinfo=UTC)
    due = latest_due(YEARLY, "01-01 09:00", next_new_year, row.timezone)
    assert await world.app.jobs.run(YEARLY, row, due, next_new_year)
    roll = await tg.wait_for_message(RESIDENTS_CHAT, "践诺党员")
    assert "Carol（1 项承诺）" in roll.text
