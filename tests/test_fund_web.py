"""The workbench's fund page over real HTTP: the ledger with a running balance and the board's
approvals; admins see donors' names, a leader sees only the names the public sees."""

import aiohttp
import pytest

from bot.app import App
from playground import FakeTelegram
from tests.helpers import World, build_world, open_private
from tests.test_workbench import browser, settings, sign_in  # noqa: F401  (fixtures)


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    return await build_world(telegram, structure)


async def test_fund_page_shows_the_ledger(
    world: World, browser: aiohttp.ClientSession,  # noqa: F811
) -> None:  # fmt: skip
    tg, admin = world.telegram, world.admin
    await open_private(admin)
    first, second = tg.user(8001, "监事1"), tg.user(8002, "监事2")
    for member in (first, second):
        await open_private(member)
    await admin.send("/donation 1000 带头捐 王先生")
    await tg.wait_for_message(admin.id, "收据第 1 号")
    await admin.send("/disburse 300 救困 困难家庭")
    await first.press(await tg.wait_for_message(first.id, "支出申请第 1 号"), "批准")
    await second.press(await tg.wait_for_message(second.id, "支出申请第 1 号"), "批准")
    await admin.send("/disburse 100 奖励 优秀志愿者")
    await tg.wait_for_message(first.id, "支出申请第 2 号")
    base = world.app.settings.web_url + "/workbench"

    await sign_in(world, admin, browser)
    async with browser.get(base + "/fund") as response:
        page = await response.text()
        assert response.status == 200
    assert "当前余额 700.00 元" in page
    ledger = page[page.index('id="ledger"'):page.index('id="pending"')]
    assert "王先生" in ledger and "1,000.00" in ledger and "-300.00" in ledger
    assert "700.00" in ledger and "监事1、监事2" in ledger
    pending = page[page.index('id="pending"'):page.index('id="projects"')]
    assert "优秀志愿者" in pending and "100.00" in pending
    assert '<a href="/workbench/fund" class="active">基金</a>' in page

    await sign_in(world, world.leader, browser)
    async with browser.get(base + "/fund") as response:
        page = await response.text()
        assert response.status == 200
    assert "王先生" not in page and "爱心人士" in page
