"""The workbench's proposals page over real HTTP: staff see the community's proposals with
their stage; residents' names never appear; a forged filter is ignored."""

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.app import App
from bot.settings import Settings
from playground import FakeTelegram
from tests.helpers import GRID_CHAT, World, build_world, open_private
from tests.test_workbench import free_port, sign_in


@pytest.fixture
def settings(settings: Settings) -> Settings:
    port = free_port()
    return settings.model_copy(update={"web_url": f"http://127.0.0.1:{port}", "webhook_port": port})


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    world = await build_world(telegram, structure)
    await open_private(world.worker)
    return world


@pytest.fixture
async def browser() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield session


async def test_staff_see_the_proposals(world: World, browser: aiohttp.ClientSession) -> None:
    tg = world.telegram
    await world.alice.send("#议题 加装电梯 2号楼老人多<script>", chat=world.residents)
    await world.bob.send("#议题 划停车位 东侧空地划线", chat=world.residents)
    card = await tg.wait_for_message(GRID_CHAT, "P-0002")
    await world.worker.press(card, "立项·急事")
    await sign_in(world, world.leader, browser)
    base = world.app.settings.web_url
    async with browser.get(f"{base}/workbench/proposals") as response:
        assert response.status == 200
        page = await response.text()
    assert "议事" in page and "P-0001" in page and "P-0002" in page and "急事" in page
    assert "已立项，拟定方案中" in page and "待审核" in page
    assert "&lt;script&gt;" in page and "<script>" not in page.split("</head>")[1]
    assert "Alice" not in page and "Bob" not in page and "302" not in page
    async with browser.get(f"{base}/workbench/proposals?status=accepted") as response:
        filtered = await response.text()
    assert "P-0002" in filtered and "P-0001" not in filtered
    async with browser.get(f"{base}/workbench/proposals?status=%27%3Bdrop") as response:
        assert response.status == 200 and "P-0001" in await response.text()


async def test_residents_cannot_open_it(world: World, browser: aiohttp.ClientSession) -> None:
    base = world.app.settings.web_url
    async with browser.get(f"{base}/workbench/proposals", allow_redirects=False) as response:
        assert response.status in (302, 303, 401, 403)
