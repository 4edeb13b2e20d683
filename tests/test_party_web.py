"""The workbench's party page over real HTTP: the admins see the members and the whistles;
a leader is refused."""

import aiohttp
import pytest

from bot.app import App
from playground import FakeTelegram
from tests.helpers import World, build_world, register
from tests.test_party import join
from tests.test_workbench import browser, settings, sign_in  # noqa: F401  (fixtures)


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    return await build_world(telegram, structure)


async def test_party_page_lists_members_for_admins_only(
    world: World, browser: aiohttp.ClientSession,  # noqa: F811
) -> None:  # fmt: skip
    tg = world.telegram
    await world.admin.send("/help")
    carol = tg.user(5003, "Carol")
    await register(world.app, carol, "1号楼")
    await join(world, carol)
    await world.bob.send("/party")
    await world.bob.press(await tg.wait_for_message(world.bob.id, "请选择你的身份"), "社区党员")
    base = world.app.settings.web_url + "/workbench"

    await sign_in(world, world.admin, browser)
    async with browser.get(base + "/party") as response:
        page = await response.text()
        assert response.status == 200 and "党员双报到" in page
    members = page[page.index('id="members"'):page.index('id="whistles"')]
    assert members.index("Bob") < members.index("Carol")  # waiting ones first
    assert "待确认" in members and "区税务局" in members and "已确认" in members
    assert '<a href="/workbench/party" class="active">党建</a>' in page

    await sign_in(world, world.leader, browser)
    async with browser.get(base + "/party") as response:
        assert response.status == 403
        assert "只对社区管理员开放" in await response.text()
