"""The workbench's fund page over real HTTP: the ledger with a running balance and the board's
approvals; admins see donors' names, a leader sees only the names the public sees; admins
cancel a project and re-designate its earmarked money, and the chat cards follow."""

import aiohttp
import pytest
from sqlalchemy import select

from bot.app import App
from models.resources import Project, ProjectStatus
from models.resources.fund import balances
from playground import FakeTelegram
from tests.conftest import DATA, import_structure
from tests.helpers import World, build_world, open_private
from tests.test_fund import HOSPITAL_CONTACT, OTHER_ADMIN
from tests.test_workbench import browser, csrf_of, settings, sign_in  # noqa: F401  (fixtures)


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


async def _project(world: World, number: int) -> Project:
    async with world.app.sessionmaker() as session:
        project = await session.scalar(select(Project).where(Project.number == number))
    assert project is not None
    return project


async def test_admin_cancels_a_project_from_the_workbench_and_the_cards_follow(
    world: World, browser: aiohttp.ClientSession,  # noqa: F811
) -> None:  # fmt: skip
    tg, admin = world.telegram, world.admin
    await import_structure(world.app.sessionmaker, DATA / "structure_second_community.yaml")
    hospital = tg.user(HOSPITAL_CONTACT, "医院联络人")
    for person in (admin, hospital, tg.user(OTHER_ADMIN, "东城书记")):
        await open_private(person)
    await admin.send("/need 楼道灯不亮 | 社区 | 120")
    await admin.send("/project 1 | 楼道照明改造 | 3000 | 120 | 更换声控灯")
    staff_card = await tg.wait_for_message(admin.id, "项目第 1 号")
    await admin.send("/donation 2000 定向捐 区人民医院 #1")
    await admin.press(staff_card, "交共建单位认领")
    offer = await tg.wait_for_message(HOSPITAL_CONTACT, "项目第 1 号")
    assert offer.button_texts == ["🙋 认领"]
    project_id = (await _project(world, 1)).id
    base = world.app.settings.web_url + "/workbench"
    cancel_url = f"{base}/fund/projects/{project_id}/cancel"

    async with aiohttp.ClientSession() as anonymous:
        async with anonymous.post(cancel_url, data={"csrf": "x", "reason": "试试"}) as response:
            assert response.status == 403
    # 东城社区's admin does not see 南华社区's project, and cannot reach it by its address.
    await sign_in(world, tg.user(OTHER_ADMIN, "东城书记"), browser)
    async with browser.get(base + "/fund") as response:
        page = await response.text()
        assert response.status == 200 and "楼道照明改造" not in page
    async with browser.post(cancel_url, data={"csrf": csrf_of(page), "reason": "越界"}
                            ) as response:  # fmt: skip
        assert response.status == 404
    # A micro-grid leader sees the projects but neither the forms nor the power.
    await sign_in(world, world.leader, browser)
    async with browser.get(base + "/fund") as response:
        page = await response.text()
        assert "楼道照明改造" in page and "/cancel" not in page
    async with browser.post(cancel_url, data={"csrf": csrf_of(page), "reason": "不要了"}
                            ) as response:  # fmt: skip
        assert response.status == 409 and "只有本社区的工作人员" in await response.text()
    assert (await _project(world, 1)).status == ProjectStatus.OPEN

    await sign_in(world, admin, browser)
    async with browser.get(base + "/fund") as response:
        page = await response.text()
        assert f'/fund/projects/{project_id}/cancel"' in page and "撤销项目" in page
    token = csrf_of(page)
    async with browser.post(cancel_url, data={"reason": "没有令牌"}) as response:
        assert response.status == 403 and "页面已过期" in await response.text()
    async with browser.post(cancel_url, data={"csrf": token, "reason": "  "}) as response:
        assert response.status == 409 and "撤销原因不能为空" in await response.text()
    assert (await _project(world, 1)).status == ProjectStatus.OPEN

    async with browser.post(cancel_url, data={"csrf": token, "reason": "施工方案未获业主同意"}
                            ) as response:  # fmt: skip
        page = await response.text()
        assert response.status == 200 and response.url.path == "/workbench/fund"
    assert "项目第 1 号已撤销" in page and "撤销原因：施工方案未获业主同意" in page
    assert "转为非定向资金" in page  # its 2,000.00 stay earmarked until moved
    await tg.wait_for(lambda: "已撤销" in offer.text and offer.button_texts == [],
                      what="the unit's card loses its claim button")  # fmt: skip
    await tg.wait_for(lambda: staff_card.button_texts == ["转为非定向资金"],
                      what="the staff card offers the re-designation")  # fmt: skip
    await tg.wait_for_message(HOSPITAL_CONTACT, "撤销原因")  # the unit is told
    async with browser.post(cancel_url, data={"csrf": token, "reason": "再撤一次"}) as response:
        assert response.status == 409 and "已经撤销了" in await response.text()

    release_url = f"{base}/fund/projects/{project_id}/release"
    async with browser.post(release_url, data={"csrf": token}) as response:
        page = await response.text()
        assert response.status == 200 and "定向资金已转为非定向资金" in page
    await tg.wait_for(lambda: staff_card.button_texts == [], what="nothing left to move")
    async with world.app.sessionmaker() as session:
        buckets = await balances(session, (await _project(world, 1)).community_id)
    assert buckets[project_id] == 0 and buckets[0] == 200000
    async with browser.post(release_url, data={"csrf": token}) as response:
        assert response.status == 409 and "已经没有定向资金" in await response.text()

    # An accepted project is refused politely and offered no form.
    await admin.send("/need 老人助餐 | 社区 | 30")
    await admin.send("/project 2 | 助餐点 | 1000 | 30 | 午餐")
    second = await tg.wait_for_message(admin.id, "项目第 2 号")
    for step in ("社区承接", "开始实施", "验收"):
        await admin.press(second, step)
    accepted = (await _project(world, 2)).id
    async with browser.get(base + "/fund") as response:
        assert f"/fund/projects/{accepted}/cancel" not in await response.text()
    async with browser.post(f"{base}/fund/projects/{accepted}/cancel",
                            data={"csrf": token, "reason": "晚了"}) as response:  # fmt: skip
        assert response.status == 409 and "已经验收，不能再撤销" in await response.text()
    assert (await _project(world, 2)).status == ProjectStatus.ACCEPTED
