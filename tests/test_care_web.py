"""The workbench's care ledger page over real HTTP: staff of the area see the households and a
household's ledger, each look logged; staff of another area get "not found" for it, exactly as
for a household that does not exist."""

import re
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from sqlalchemy import select

from bot.app import App
from bot.settings import Settings
from models.care.tables import AccessEntry
from playground import FakeTelegram, FakeUser
from tests.care_helpers import add_household, add_other_area, data_key
from tests.helpers import World, build_world

__all__ = ["data_key"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def settings(settings: Settings) -> Settings:
    port = free_port()
    return settings.model_copy(update={"web_url": f"http://127.0.0.1:{port}", "webhook_port": port})


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    return await build_world(telegram, structure)


@pytest.fixture
async def browser() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield session


async def sign_in(world: World, user: FakeUser, browser: aiohttp.ClientSession) -> None:
    await user.send("/web")
    link = str(world.telegram.last_message(user.id).buttons[0][0]["url"])
    async with browser.get(link) as response:
        assert response.status == 200 and response.url.path == "/workbench/"


async def test_staff_of_the_area_read_the_ledger_and_others_get_not_found(
    world: World, browser: aiohttp.ClientSession
) -> None:
    base = world.app.settings.web_url
    household_id = await add_household(world.app)
    await sign_in(world, world.leader, browser)
    async with browser.get(f"{base}/workbench/care") as response:
        page = await response.text()
    assert response.status == 200 and "2号楼 302" in page and "关爱台账" in page
    async with browser.get(f"{base}/workbench/care/{household_id}") as response:
        page = await response.text()
    assert response.status == 200 and "13800001111" in page and "独居老人" in page

    other = await add_other_area(world.app, world.telegram)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as stranger:
        await sign_in(world, other, stranger)
        async with stranger.get(f"{base}/workbench/care") as response:
            # a room number, not the same digits inside a token on the page
            assert not re.search(r"(?<![0-9A-Za-z])302(?![0-9A-Za-z])", await response.text())
        async with stranger.get(f"{base}/workbench/care/{household_id}") as response:
            refused = (response.status, await response.text())
        async with stranger.get(f"{base}/workbench/care/999999") as response:
            missing = (response.status, await response.text())
    assert refused == missing and refused[0] == 404 and "没有找到这户" in refused[1]

    async with world.app.sessionmaker() as session:
        log = (
            await session.execute(
                select(AccessEntry.action, AccessEntry.detail)
                .where(AccessEntry.household_id == household_id)
                .order_by(AccessEntry.id)
            )
        ).all()
    assert [tuple(entry) for entry in log][1:] == [
        ("list", "web"),
        ("read", ""),
        ("refused", "read"),
    ]
