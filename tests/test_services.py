"""Partner services end to end: 居民点单—社区接单—社会力量办单—居民评单, over the fake Bot API."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from models.services import OrderDisclosure, OrderStatus, ServiceOrder
from playground import FakeTelegram, FakeUser
from playground.fakeapi import BotMessage
from tests.conftest import import_structure
from tests.helpers import ADMIN_CHAT, GRID_CHAT, World, build_world, open_private

SERVICES = Path(__file__).parent / "data" / "services.yaml"


@dataclass
class Partners:
    world: World
    cook: FakeUser  # 悦食坊's contacts
    cook2: FakeUser
    tailor: FakeUser  # 巧手裁缝铺's contact


@pytest.fixture
async def partners(telegram: FakeTelegram, structure: App) -> Partners:
    world = await build_world(telegram, structure)
    await import_structure(structure.sessionmaker, SERVICES)
    found = Partners(world, telegram.user(8001, "王师傅"), telegram.user(8002, "李师傅"),
                     telegram.user(8101, "张裁缝"))  # fmt: skip
    for person in (found.cook, found.cook2, found.tailor):
        await open_private(person)
    return found


async def order(world: World, service: str, text: str, when: str | None = None) -> BotMessage:
    """The resident orders through the guided flow; returns the receipt."""
    tg, alice = world.telegram, world.alice
    await alice.send("/services")
    await alice.press(tg.last_message(alice.id), service)
    assert f"你选择了「{service}」" in tg.last_message(alice.id).text
    await alice.send(text)
    await alice.press(tg.last_message(alice.id), "跳过")
    if when is None:
        await alice.press(tg.last_message(alice.id), "时间不限")
    else:
        await alice.send(when)
    confirm = tg.last_message(alice.id)
    assert "请确认你的点单" in confirm.text and text in confirm.text
    await alice.press(confirm, "提交")
    return tg.last_message(alice.id)


async def test_order_accept_do_and_rate(partners: Partners) -> None:
    world, cook, cook2 = partners.world, partners.cook, partners.cook2
    tg, alice, admin = world.telegram, world.alice, world.admin

    await alice.send("/services")
    menu = tg.last_message(alice.id)
    assert "助餐送餐 · 低偿 12元/餐 · 悦食坊 · 已完成 0 单 · 评分 暂无" in menu.text
    assert "【elderly】" in menu.text and "营养咨询 · 公益" in menu.text
    assert "缝补衣物" not in menu.text  # serves 锦绣园 only

    receipt = await order(world, "助餐送餐", "每天中午送一份午餐，少盐", "明天中午")
    assert "已收到你的点单 S-0001（助餐送餐）" in receipt.text

    card = await tg.wait_for_message(ADMIN_CHAT, "S-0001")
    assert "新的服务点单" in card.text and "区域：嘉木花园" in card.text
    assert "Alice" not in card.text and "302" not in card.text  # never who, in a group
    grid_copy = await tg.wait_for_message(GRID_CHAT, "S-0001")
    await admin.press(card, "接单")
    assert "待服务方接受" in card.text and card.button_texts == []
    await tg.wait_for(lambda: grid_copy.button_texts == [], what="the grid's copy updated")
    await tg.wait_for_message(alice.id, "已交给服务方")

    offer = await tg.wait_for_message(cook.id, "S-0001")
    other = await tg.wait_for_message(cook2.id, "S-0001")
    assert offer.button_texts == ["✅ 接受", "🙏 婉拒"]
    assert "302" not in offer.text and "Alice" not in offer.text  # not before 接受
    await cook.press(offer, "接受")
    assert "姓名：Alice" in offer.text and "嘉木花园 2号楼 302" in offer.text
    assert offer.button_texts == ["📅 预约时间", "🏁 完成"]
    await tg.wait_for(lambda: "已由 王师傅 接受" in other.text, what="the colleague's copy")
    assert "302" not in other.text and other.button_texts == []
    await tg.wait_for_message(alice.id, "已由「悦食坊」接受")

    await cook.press(offer, "预约")
    assert "约定的时间" in tg.last_message(cook.id).text
    await cook.send("12月6日 中午12点")
    assert "已预约 S-0001" in tg.last_message(cook.id).text
    await tg.wait_for_message(alice.id, "已预约：12月6日 中午12点")

    await cook.press(offer, "完成")
    await cook.send_photo("已送达，老人很满意")
    assert "已完成 S-0001" in tg.last_message(cook.id).text
    ask = await tg.wait_for_message(alice.id, "请打分")
    assert "已送达，老人很满意" in ask.text
    await alice.press(ask, "⭐⭐⭐⭐⭐")
    assert "想说点什么" in tg.last_message(alice.id).text
    await alice.send("饭菜很可口")
    assert "谢谢你的评价" in tg.last_message(alice.id).text
    await tg.wait_for(lambda: "饭菜很可口" in card.text, what="the staff card shows the rating")

    await alice.send("/services")
    assert "悦食坊 · 已完成 1 单 · 评分 5.0" in tg.last_message(alice.id).text
    async with world.app.sessionmaker() as session:
        done = await session.scalar(select(ServiceOrder))
        assert done is not None and done.status == OrderStatus.RATED and done.rating == 5
        disclosures = (await session.scalars(select(OrderDisclosure))).all()
        assert [(d.order_id, d.fields) for d in disclosures] == [(done.id, "name,address")]
        assert disclosures[0].user_id == done.accepted_by_id
