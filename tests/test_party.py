"""Party members end to end: 双报到 with the admins' confirmation, the badge on cards (亮身份),
wishes offered to party members first, and pledges kept."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import App
from models.base import set_clock_offset
from models.errors import DomainError
from models.members import load_member, touch_user
from models.party import MembershipKind, MembershipStatus, PartnerUnit, PartyMember
from models.party.membership import ask_to_join, review
from playground import FakeTelegram, FakeUser
from tests.conftest import import_structure
from tests.helpers import (
    ADMIN_CHAT,
    RESIDENTS_CHAT,
    World,
    build_world,
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
    choice = tg.last_message(person.id)
    if unit is None:
        await person.press(choice, "社区党员")
    else:
        await person.press(choice, "在职党员")
        await person.press(tg.last_message(person.id), unit)
    assert "等待社区确认" in tg.last_message(person.id).text
    card = await tg.wait_for_message(world.admin.id, f"党员报到：{person.first_name}")
    await world.admin.press(card, "确认")
    await tg.wait_for(lambda: "已确认" in card.text, what="the admin's card confirmed")
    await tg.wait_for_message(person.id, "已获社区确认")


async def test_register_confirm_badge_and_leave(world: World) -> None:
    tg, alice, admin = world.telegram, world.alice, world.admin
    await admin.send("/help")  # the admin opened a private chat with the bot
    await alice.send("/party")
    choice = tg.last_message(alice.id)
    assert choice.button_texts == ["🏢 在职党员", "🏠 社区党员"]
    await alice.press(choice, "在职党员")
    units = tg.last_message(alice.id)
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

    await alice.send("/help")
    assert "🎖" in tg.last_message(alice.id).text

    await alice.send("/party")
    status = tg.last_message(alice.id)
    assert "确认的党员" in status.text
    await alice.press(status, "退出党员身份")
    await alice.press(tg.last_message(alice.id), "确定退出")
    assert "已退出" in tg.last_message(alice.id).text
    async with world.app.sessionmaker() as session:
        membership = await session.scalar(select(PartyMember))
        assert membership is not None and membership.status == MembershipStatus.LEFT


async def test_decline_with_a_reason_and_refusals(world: World) -> None:
    tg, alice, admin = world.telegram, world.alice, world.admin
    await admin.send("/help")
    stranger = tg.user(5009, "Stranger")
    await stranger.send("/party")
    assert "请先登记住址" in tg.last_message(stranger.id).text
    await alice.send("/party")
    await alice.press(tg.last_message(alice.id), "社区党员")
    card = await tg.wait_for_message(admin.id, "党员报到：Alice")
    await alice.send("/party")
    assert "正在等待社区确认" in tg.last_message(alice.id).text

    await admin.press(card, "退回")
    assert "退回原因" in tg.last_message(admin.id).text
    await admin.send("未在本社区党组织登记")
    assert "已退回" in tg.last_message(admin.id).text
    await tg.wait_for(lambda: "已退回" in card.text and card.button_texts == [], what="declined")
    await tg.wait_for_message(alice.id, "未在本社区党组织登记")

    # Forged and odd button data: a polite sentence, nothing changes.
    for data in ("pj:nonsense:0", "pj:in_service:999999", "pr:999999:1", "pj:in_service"):
        query = await alice.press(tg.last_message(alice.id), data=data)
        assert tg.answer_to(query)["text"]
    async with world.app.sessionmaker() as session:
        rows = (await session.scalars(select(PartyMember))).all()
        assert [r.status for r in rows] == [MembershipStatus.DECLINED]
        assert rows[0].reason == "未在本社区党组织登记"


async def test_concurrent_confirm_and_decline_one_wins(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
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
