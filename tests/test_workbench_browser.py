"""The workbench in a real Chromium: a staff member signs in through the link the bot sent,
filters the requests, opens one, reassigns it (the card in the chat changes), reads the
points and downloads the month's workbook. Each page is saved as a screenshot."""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.app import App
from playground import FakeTelegram
from tests.browser import screenshot_path
from tests.conftest import DATA, import_structure
from tests.helpers import LEADERS_CHAT, World, build_world
from tests.test_workbench import OTHER_LEADERS_CHAT, settings  # noqa: F401  (the web server)


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    await import_structure(structure.sessionmaker, DATA / "structure_two_micro_grids.yaml")
    telegram.group(OTHER_LEADERS_CHAT, "锦绣园网格长群")
    return await build_world(telegram, structure)


async def test_a_staff_member_works_in_the_browser(
    world: World, chromium: Any, tmp_path: Any
) -> None:
    tg = world.telegram
    await world.alice.send("/report 2号楼楼道灯坏了，晚上很黑", chat=world.residents)
    await world.bob.send("/report 小区门口乱停车", chat=world.residents)
    card = await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    await world.admin.send("/web")
    link = tg.last_message(world.admin.id).button("打开工作台")["url"]

    context = await chromium.new_context(locale="zh-CN", accept_downloads=True,
                                         viewport={"width": 1280, "height": 800})  # fmt: skip
    page = await context.new_page()
    await page.goto(link)
    await page.get_by_text("今日新增").first.wait_for()
    assert await page.get_by_role("link", name="嘉木花园").count() == 1  # today, by micro-grid
    await page.screenshot(path=screenshot_path("workbench-overview"), full_page=True)

    await page.get_by_role("link", name="诉求", exact=True).click()
    await page.get_by_placeholder("搜索内容或编号").fill("楼道灯")
    await page.get_by_label("状态").select_option("unclaimed")
    await page.get_by_role("button", name="筛选").click()
    await page.get_by_text("共 1 条").wait_for()
    assert await page.get_by_text("小区门口乱停车").count() == 0
    await page.screenshot(path=screenshot_path("workbench-requests"), full_page=True)

    await page.get_by_role("link", name="R-0001").click()
    await page.get_by_text("办理记录").wait_for()
    await page.locator("select[name=micro_grid]").select_option(label="锦绣园")
    await page.get_by_role("button", name="转派到").click()
    await page.get_by_text("已转派").wait_for()
    assert "锦绣园" in await page.locator("#micro-grid").inner_text()
    await page.screenshot(path=screenshot_path("workbench-request"), full_page=True)
    await tg.wait_for_message(OTHER_LEADERS_CHAT, "改派到本微网格")
    await tg.wait_for(lambda: card.edits > 0, what="the card in the leaders' chat changes")

    await page.get_by_role("link", name="积分", exact=True).click()
    await page.get_by_text("洗衣液一瓶").wait_for()
    await page.screenshot(path=screenshot_path("workbench-points"), full_page=True)

    month = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    await page.get_by_role("link", name="报表", exact=True).click()
    await page.get_by_label("月份").fill(month)
    await page.get_by_role("button", name="查看").click()
    await page.get_by_text(f"报表 · {month}").wait_for()
    await page.screenshot(path=screenshot_path("workbench-reports"), full_page=True)
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="下载该月 Excel 报表").click()
    download = await waiting.value
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)
    summary = list(load_workbook(saved)["Summary"].values)
    assert summary[-1][:2] == ("南华社区", 2)

    await page.set_viewport_size({"width": 390, "height": 844})  # a phone
    await page.get_by_role("link", name="诉求", exact=True).click()
    await page.get_by_text("共 2 条").wait_for()
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page fits a phone's width (tables scroll inside their box)"
    await page.screenshot(path=screenshot_path("workbench-phone"), full_page=True)
    await context.close()
