"""The workbench's orders page over HTTP: the orders staff may see, and the partners' month."""

import aiohttp

from playground import FakeTelegram
from tests.helpers import ADMIN_CHAT
from tests.test_services import Partners, order, partners  # noqa: F401  (the fixture)
from tests.test_workbench import browser, settings, sign_in, visible_text  # noqa: F401


async def test_orders_page_lists_what_staff_may_see_without_who(
    partners: Partners,  # noqa: F811
    telegram: FakeTelegram,
    browser: aiohttp.ClientSession,  # noqa: F811
) -> None:
    world = partners.world
    await order(world, "助餐送餐", "午餐一份，少盐")
    card = await telegram.wait_for_message(ADMIN_CHAT, "S-0001")
    await world.admin.press(card, "接单")
    offer = await telegram.wait_for_message(partners.cook.id, "S-0001")
    await partners.cook.press(offer, "接受")
    base = world.app.settings.web_url + "/workbench"

    await sign_in(world, world.admin, browser)
    async with browser.get(base + "/orders") as response:
        page = await response.text()
    assert response.status == 200 and "服务点单" in page
    assert "S-0001" in page and "助餐送餐" in page and "服务方已接受" in page
    shown = visible_text(page)
    assert "Alice" not in shown and "302" not in shown  # who ordered is not the page's business
    results = page.split('id="partner-results"')[1]
    assert "悦食坊" in results and "巧手裁缝铺" not in results  # partners with orders this month
    async with browser.get(base + "/orders?status=rated") as response:
        assert "S-0001" not in await response.text()
    async with browser.get(base + "/orders?status=<script>") as response:
        assert response.status == 200 and "S-0001" in await response.text()  # ignored

    other_worker = telegram.user(2002, "第二网格网格员")
    await sign_in(world, other_worker, browser)
    async with browser.get(base + "/orders") as response:
        page = await response.text()
    assert response.status == 200 and "S-0001" not in page  # another grid's order
