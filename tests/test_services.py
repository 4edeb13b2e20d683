"""Partner services end to end: 居民点单—社区接单—社会力量办单—居民评单, over the fake Bot API."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.app import App
from models.requests import Request
from models.services import OrderDisclosure, OrderStatus, Partner, Service, ServiceOrder
from playground import FakeTelegram, FakeUser
from playground.fakeapi import BotMessage
from tests.conftest import import_structure
from tests.helpers import ADMIN_CHAT, GRID_CHAT, World, build_world, open_private, register

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


async def order(
    world: World, service: str, text: str, when: str | None = None, by: FakeUser | None = None
) -> BotMessage:
    """A resident (Alice unless `by`) orders through the guided flow; returns the receipt."""
    tg, alice = world.telegram, by or world.alice
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
    return confirm  # edited into the receipt; notices of earlier orders may come after it


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
    await cook.send("/orders")
    listed = tg.last_message(cook.id).text
    assert (
        "待你办理的点单（1 张）" in listed
        and "S-0001 · 助餐送餐 · 服务方已接受 · 明天中午" in listed
    )
    await cook2.send("/orders")  # a colleague's accepted order is not theirs to do
    assert "还没有服务点单" in tg.last_message(cook2.id).text

    await cook.press(offer, "预约")
    assert "约定的时间" in tg.last_message(cook.id).text
    await cook.send("12月6日 中午12点")
    assert "已预约 S-0001" in tg.last_message(cook.id).text
    await tg.wait_for_message(alice.id, "已预约：12月6日 中午12点")

    await cook.press(offer, "完成")
    await cook.send_photo("已送达，老人很满意")
    assert "已完成 S-0001" in tg.last_message(cook.id).text
    ask = await tg.wait_for_message(alice.id, "服务方已完成")
    assert "已送达，老人很满意" in ask.text and ask.has_photo  # the partner's photo of it
    await alice.press(ask, "⭐⭐⭐⭐⭐")
    assert "想说点什么" in tg.last_message(alice.id).text
    await alice.send("饭菜很可口")
    assert "谢谢你的评价" in tg.last_message(alice.id).text
    await tg.wait_for(lambda: "饭菜很可口" in card.text, what="the staff card shows the rating")

    await alice.send("/services")
    assert "悦食坊 · 已完成 1 单 · 评分 5.0" in tg.last_message(alice.id).text
    await alice.send("/orders")
    assert "S-0001 · 助餐送餐 · 已评价 · 12月6日 中午12点" in tg.last_message(alice.id).text
    async with world.app.sessionmaker() as session:
        done = await session.scalar(select(ServiceOrder))
        assert done is not None and done.status == OrderStatus.RATED and done.rating == 5
        disclosures = (await session.scalars(select(OrderDisclosure))).all()
        assert [(d.order_id, d.fields) for d in disclosures] == [(done.id, "name,address")]
        assert disclosures[0].user_id == done.accepted_by_id


async def service_id(app: App, name: str) -> int:
    async with app.sessionmaker() as session:
        found = await session.scalar(select(Service.id).where(Service.name == name))
        assert found is not None
        return found


async def test_capacity_return_decline_convert_and_auto_accept(partners: Partners) -> None:
    world, cook = partners.world, partners.cook
    tg, alice, admin = world.telegram, world.alice, world.admin
    await open_private(admin)
    assert "S-0001" in (await order(world, "助餐送餐", "午餐一份")).text
    assert "S-0002" in (await order(world, "助餐送餐", "晚餐一份")).text
    waiting = await order(world, "助餐送餐", "再要一份")
    assert "S-0003" in waiting.text and "本周名额已满" in waiting.text
    queued = await tg.wait_for_message(ADMIN_CHAT, "S-0003")
    assert "排队等候" in queued.text and "接单" in queued.button_texts[0]

    first = await tg.wait_for_message(ADMIN_CHAT, "S-0001")
    await admin.press(first, "退回")
    assert "退回 S-0001 的原因" in tg.last_message(admin.id).text
    await admin.send("原因" * 151)  # over-long: told the limit, still asked
    assert "控制在 300 字以内" in tg.last_message(admin.id).text
    await admin.send("本周送餐路线不到你家，请下周再点")
    assert "已退回 S-0001" in tg.last_message(admin.id).text
    await tg.wait_for_message(alice.id, "原因：本周送餐路线不到你家")
    assert "已退回" in first.text or (await tg.wait_for(lambda: "已退回" in first.text))

    second = await tg.wait_for_message(ADMIN_CHAT, "S-0002")
    await admin.press(second, "接单")
    offer = await tg.wait_for_message(cook.id, "S-0002")
    await cook.press(offer, "婉拒")
    await cook.send("晚餐不在我们的服务时间")
    assert "已婉拒 S-0002" in tg.last_message(cook.id).text
    again = await tg.wait_for_message(ADMIN_CHAT, "服务方婉拒")
    assert "S-0002" in again.text and "原因：晚餐不在我们的服务时间" in again.text
    await tg.wait_for(lambda: offer.button_texts == [], what="the partner's card closed")
    query = await admin.press(again, "转为诉求")
    assert "已转为诉求 R-0001" in tg.answer_to(query)["text"]
    async with world.app.sessionmaker() as session:
        request = await session.scalar(select(Request))
        assert request is not None and "S-0002 助餐送餐: 晚餐一份" in request.text
        statuses = (await session.scalars(select(ServiceOrder.status)
                                          .order_by(ServiceOrder.number))).all()  # fmt: skip
    assert statuses == [OrderStatus.RETURNED, OrderStatus.CONVERTED, OrderStatus.WAITING]

    # auto_accept: the partner gets it at once, staff are not asked.
    await order(world, "营养咨询", "血糖高怎么吃")
    direct = await tg.wait_for_message(cook.id, "S-0004")
    assert direct.button_texts == ["✅ 接受", "🙏 婉拒"]
    assert not [m for m in tg.messages_in(ADMIN_CHAT) if "S-0004" in m.text]


async def test_refusals(partners: Partners) -> None:
    world, cook, cook2, tailor = partners.world, partners.cook, partners.cook2, partners.tailor
    tg, alice, admin = world.telegram, world.alice, world.admin
    meals = await service_id(world.app, "助餐送餐")

    # An unregistered person.
    dave = tg.user(5009, "Dave")
    await dave.send("/services")
    assert "请先登记住址" in tg.last_message(dave.id).text
    query = await dave.press(tg.last_message(dave.id), data=f"svp:{meals}")
    assert "请先登记住址" in tg.answer_to(query)["text"]

    # A service that does not serve the resident's area.
    carol = tg.user(5003, "Carol")
    await register(world.app, carol, "9号楼", "101")
    await carol.send("/services")
    menu = tg.last_message(carol.id)
    assert "缝补衣物" in menu.text and "助餐送餐" not in menu.text
    query = await carol.press(menu, data=f"svp:{meals}")
    assert "「助餐送餐」不服务你所在的区域" in tg.answer_to(query)["text"]

    # Over-long text: told the limit, the step stays.
    await alice.send("/services")
    await alice.press(tg.last_message(alice.id), "助餐送餐")
    await alice.send("饭" * 501)
    assert "内容太长了（501 字）" in tg.last_message(alice.id).text
    await alice.send("午餐一份")
    assert "照片" in tg.last_message(alice.id).text
    await alice.press(tg.last_message(alice.id), "跳过")
    await alice.send("周" * 101)
    assert "控制在 100 字以内" in tg.last_message(alice.id).text
    await alice.press(tg.messages_in(alice.id)[-2], "时间不限")  # the question, still open
    await alice.press(tg.last_message(alice.id), "提交")
    card = await tg.wait_for_message(ADMIN_CHAT, "S-0001")

    # Outside one's role or area: a resident, and the worker of another grid.
    query = await world.bob.press(card, "接单")
    assert "只有社区工作人员" in tg.answer_to(query)["text"]
    other_worker = tg.user(2002, "第二网格网格员")
    query = await other_worker.press(card, "接单")
    assert "只有社区工作人员" in tg.answer_to(query)["text"]
    await admin.press(card, "接单")
    query = await admin.press(card, data=f"svo:pass:{1}")
    assert "已经有人处理过了" in tg.answer_to(query)["text"]

    # A contact of another partner; then the stale copy of a colleague.
    offer = await tg.wait_for_message(cook.id, "S-0001")
    colleague = await tg.wait_for_message(cook2.id, "S-0001")
    stale_accept = colleague.button("接受")["callback_data"]
    query = await tailor.press(offer, "接受")
    assert "不属于你所在的服务方" in tg.answer_to(query)["text"]
    # Rating an order that is not done.
    query = await alice.press(tg.last_message(alice.id), data="svr:1:5")
    assert "现在不能评价" in tg.answer_to(query)["text"]
    await cook.press(offer, "接受")
    query = await cook2.press(colleague, data=stale_accept)
    assert "已经有人处理过了" in tg.answer_to(query)["text"]
    query = await cook2.press(colleague, data="svo:complete:1")
    assert "由同事接受" in tg.answer_to(query)["text"]

    # Forged callback data.
    for data in ("svo:explode:1", "svo:accept:99999", "svr:1:9", "svp:abc"):
        query = await cook.press(offer, data=data)
        assert tg.answer_to(query) is not None, data
    assert "按钮已经过期" in tg.answer_to(await cook.press(offer, data="svo:explode:1"))["text"]
    assert "找不到" in tg.answer_to(await cook.press(offer, data="svo:accept:99999"))["text"]

    # Rating someone else's order, then a poor rating reaches staff.
    await cook.press(offer, "完成")
    await cook.send("已送达")
    ask = await tg.wait_for_message(alice.id, "服务方已完成")
    query = await world.bob.press(ask, "⭐⭐⭐⭐⭐")
    assert "不是你的点单" in tg.answer_to(query)["text"]
    await alice.press(ask, data="svr:1:2")  # ⭐⭐
    await alice.press(tg.last_message(alice.id), "不写评价")
    assert "谢谢你的评价" in tg.last_message(alice.id).text
    poor = await tg.wait_for_message(ADMIN_CHAT, "居民差评")
    assert "S-0001" in poor.text and "Alice" not in poor.text
    query = await alice.press(ask, "⭐⭐⭐⭐⭐")
    assert "现在不能评价" in tg.answer_to(query)["text"]
    async with world.app.sessionmaker() as session:
        rated = await session.scalar(select(ServiceOrder))
        assert rated is not None and rated.rating == 2


async def test_agreement_over_leaves_the_menu_and_open_orders_finish(partners: Partners) -> None:
    world, cook = partners.world, partners.cook
    tg, alice, admin = world.telegram, world.alice, world.admin
    await order(world, "助餐送餐", "午餐一份")
    card = await tg.wait_for_message(ADMIN_CHAT, "S-0001")
    await admin.press(card, "接单")
    offer = await tg.wait_for_message(cook.id, "S-0001")
    async with world.app.sessionmaker() as session:
        await session.execute(update(Partner).values(agreement_until=date(2020, 1, 1)))
        await session.commit()
    await alice.send("/services")
    assert "没有可预约的服务" in tg.last_message(alice.id).text
    query = await alice.press(
        tg.last_message(alice.id), data=f"svp:{await service_id(world.app, '助餐送餐')}"
    )
    assert "已下架或协议已到期" in tg.answer_to(query)["text"]
    await cook.press(offer, "接受")  # the open order finishes
    assert "姓名：Alice" in offer.text


async def test_a_grid_without_a_chat_has_its_workers_told_in_private(partners: Partners) -> None:
    world, tailor = partners.world, partners.tailor
    tg, admin = world.telegram, world.admin
    carol, worker = tg.user(5003, "Carol"), tg.user(2002, "第二网格网格员")
    await register(world.app, carol, "9号楼", "101")
    await open_private(worker)
    receipt = await order(world, "缝补衣物", "裤脚改短两公分", "周六下午", by=carol)
    assert "S-0001（缝补衣物）" in receipt.text
    await tg.wait_for_message(ADMIN_CHAT, "S-0001")
    card = await tg.wait_for_message(worker.id, "S-0001")
    assert "区域：锦绣园" in card.text and "Carol" not in card.text
    assert not [m for m in tg.messages_in(GRID_CHAT) if "S-0001" in m.text]  # 第一网格's chat
    query = await admin.press(card, "接单")  # an admin may act on any copy
    assert "已交给服务方" in tg.answer_to(query)["text"]
    offer = await tg.wait_for_message(tailor.id, "S-0001")
    assert offer.button_texts == ["✅ 接受", "🙏 婉拒"]
    await tg.wait_for(lambda: card.button_texts == [], what="the worker's copy updated")
