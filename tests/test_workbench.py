"""The staff workbench over real HTTP: login links from the bot, sessions, scope, CSRF, staff
actions that reach the chats, and the spreadsheets."""

import hashlib
import hmac
import io
import re
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from bot.app import App
from bot.settings import Settings
from models.base import utcnow
from models.members import User, load_member
from models.reports import monthly_report
from models.requests import RequestEvent, RequestKind, RequestStatus
from models.requests.intake import submit
from models.webauth import LoginToken, WebSession, token_hash
from playground import FakeTelegram, FakeUser
from playground.fakeapi import BotMessage
from tests.conftest import DATA, import_structure
from tests.helpers import LEADERS_CHAT, World, build_world, request_by_number
from web import workbench_app
from web.pages.reports import month_bounds

OTHER_LEADERS_CHAT = -1001000000006


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The tests' settings, with the workbench served on a port of its own."""
    port = free_port()
    return settings.model_copy(update={"web_url": f"http://127.0.0.1:{port}", "webhook_port": port})


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    await import_structure(structure.sessionmaker, DATA / "structure_two_micro_grids.yaml")
    telegram.group(OTHER_LEADERS_CHAT, "锦绣园网格长群")
    return await build_world(telegram, structure)


@pytest.fixture
async def browser() -> AsyncIterator[aiohttp.ClientSession]:
    # The server is on 127.0.0.1: an unsafe jar keeps cookies of an IP address.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield session


async def login_link(world: World, user: FakeUser) -> str:
    tg = world.telegram
    await user.send("/web")

    def link() -> BotMessage | None:  # the answer, not a notice that came after it
        return next((m for m in reversed(tg.messages_in(user.id))
                     if "?token=" in str(m.raw.get("reply_markup"))), None)  # fmt: skip

    message = await tg.wait_for(link, what="the sign-in link")
    assert "10 分钟" in message.text or "10 minutes" in message.text
    return str(message.buttons[0][0]["url"])


async def sign_in(world: World, user: FakeUser, browser: aiohttp.ClientSession) -> None:
    async with browser.get(await login_link(world, user)) as response:
        assert response.status == 200 and response.url.path == "/workbench/"


def visible_text(page: str) -> str:
    """What a reader of the page sees: its text without tags, so a random token cannot match."""
    return re.sub(r"<[^>]*>", " ", page)


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert match, "the page has a CSRF token"
    return match.group(1)


async def report(world: World, text: str = "2号楼楼道灯坏了，晚上很黑") -> int:
    await world.alice.send(f"/report {text}", chat=world.residents)
    await world.telegram.wait_for_message(LEADERS_CHAT, text[:6])
    return (await request_by_number(world.app, 1)).id


async def test_login_link_works_once_and_for_ten_minutes(
    world: World, browser: aiohttp.ClientSession
) -> None:
    link = await login_link(world, world.admin)
    assert link.startswith(world.app.settings.web_url + "/workbench/login?token=")
    async with browser.get(link) as response:
        page = await response.text()
        assert response.status == 200 and "概览" in page and "南华社区" in page
        cookie = response.history[0].headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    async with aiohttp.ClientSession() as stranger, stranger.get(link) as again:
        assert again.status == 401 and "已失效" in await again.text()

    late = await login_link(world, world.admin)
    async with world.app.sessionmaker() as session:  # the link is 11 minutes old
        await session.execute(update(LoginToken).values(
            expires_at=utcnow() - timedelta(minutes=1)))  # fmt: skip
        await session.commit()
    async with aiohttp.ClientSession() as stranger, stranger.get(late) as response:
        assert response.status == 401
    async with world.app.sessionmaker() as session:  # only hashes are kept, used links go
        stored = (await session.scalars(select(LoginToken.token_hash))).all()
        assert stored == [token_hash(late.rsplit("=", 1)[1])]


async def test_session_ends_after_12_idle_hours_and_on_logout(
    world: World, browser: aiohttp.ClientSession
) -> None:
    base = world.app.settings.web_url + "/workbench"
    await sign_in(world, world.admin, browser)
    async with world.app.sessionmaker() as session:
        await session.execute(update(WebSession).values(
            last_seen_at=utcnow() - timedelta(hours=12, minutes=1)))  # fmt: skip
        await session.commit()
    async with browser.get(base + "/requests", allow_redirects=False) as response:
        assert response.status == 302 and response.headers["Location"] == "/workbench/login"

    await sign_in(world, world.admin, browser)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as laptop:
        await sign_in(world, world.admin, laptop)
        async with browser.get(base + "/") as response:
            token = csrf_of(await response.text())
        async with browser.post(base + "/logout", data={"csrf": token}) as response:
            assert response.url.path == "/workbench/login"
        async with laptop.get(base + "/", allow_redirects=False) as response:
            assert response.status == 302  # logged out everywhere


async def test_web_is_for_staff_in_private(world: World) -> None:
    tg = world.telegram
    await world.alice.send("/web")
    assert "只对社区工作人员开放" in tg.last_message(world.alice.id).text
    assert not tg.last_message(world.alice.id).buttons
    await world.leader.send("/web", chat=world.leaders_chat)
    assert "私聊" in tg.last_message(LEADERS_CHAT).text


async def test_every_route_but_login_refuses_anonymous_access(world: World) -> None:
    base = world.app.settings.web_url + "/workbench"
    public = set()
    async with aiohttp.ClientSession() as anonymous:
        for route in workbench_app(world.app).router.routes():
            info = route.resource.get_info() if route.resource else {}
            path = info.get("path") or info.get("formatter") or info["prefix"] + "/workbench.css"
            if route.method == "HEAD":
                continue
            url = base + re.sub(r"\{[^}]+\}", "1", path)
            async with anonymous.request(route.method, url, allow_redirects=False,
                                         data={"csrf": "x"}) as response:  # fmt: skip
                refused = response.status == 403 or (
                    response.status == 302 and response.headers["Location"] == "/workbench/login"
                )
                if not refused:
                    public.add(path)
    assert public == {"/login", "/login/telegram", "/static/workbench.css"}


async def test_a_post_without_the_csrf_token_is_refused(
    world: World, browser: aiohttp.ClientSession
) -> None:
    request_id = await report(world)
    await sign_in(world, world.admin, browser)
    url = f"{world.app.settings.web_url}/workbench/requests/{request_id}/reject"
    async with browser.post(url, data={"text": "不属于社区事务"}) as response:
        assert response.status == 403 and "页面已过期" in await response.text()
    async with browser.post(url, data={"text": "不属于社区事务", "csrf": "0" * 64}) as response:
        assert response.status == 403
    assert (await request_by_number(world.app, 1)).status == RequestStatus.ROUTED


async def test_a_leader_cannot_open_another_micro_grids_request(
    world: World, browser: aiohttp.ClientSession
) -> None:
    request_id = await report(world)  # in 嘉木花园
    other = world.telegram.user(3201, "锦绣园网格长")
    await sign_in(world, other, browser)
    base = world.app.settings.web_url + "/workbench"
    async with browser.get(base + "/requests") as response:
        page = await response.text()
        assert "R-0001" not in page and "共 0 条" in page
        token = csrf_of(page)
    for path in (f"/requests/{request_id}", f"/requests/{request_id}/photo"):
        async with browser.get(base + path) as response:
            assert response.status == 404
    async with browser.post(base + f"/requests/{request_id}/reject",
                            data={"csrf": token, "text": "不是我们的"}) as response:  # fmt: skip
        assert response.status == 404
    assert (await request_by_number(world.app, 1)).status == RequestStatus.ROUTED

    await sign_in(world, world.leader, browser)  # the leader of 嘉木花园 sees it
    async with browser.get(base + f"/requests/{request_id}") as response:
        assert response.status == 200 and "2号楼楼道灯坏了" in await response.text()


async def test_reassign_from_the_web_reaches_the_chats(
    world: World, browser: aiohttp.ClientSession
) -> None:
    tg = world.telegram
    request_id = await report(world)
    card = await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    base = world.app.settings.web_url + "/workbench"

    await sign_in(world, world.leader, browser)  # a leader may not reassign: same refusal
    async with browser.get(base + f"/requests/{request_id}") as response:
        token = csrf_of(await response.text())
    async with browser.post(base + f"/requests/{request_id}/reassign",
                            data={"csrf": token, "micro_grid": "2"}) as response:  # fmt: skip
        assert response.status == 409 and "只有网格员或社区管理员可以改派" in await response.text()

    await sign_in(world, world.worker, browser)
    async with browser.get(base + "/requests?status=unclaimed&q=楼道灯") as response:
        page = await response.text()
        assert "R-0001" in page and "共 1 条" in page
    async with browser.get(base + f"/requests/{request_id}") as response:
        page = await response.text()
        assert "锦绣园" in page and "派单" in page
    target = re.search(r'<option value="(\d+)">锦绣园', page)
    assert target is not None
    form = {"csrf": csrf_of(page), "micro_grid": target[1]}
    async with browser.post(base + f"/requests/{request_id}/reassign", data=form) as response:
        page = await response.text()
        assert response.status == 200 and "已转派" in page and "转派" in page
    await tg.wait_for_message(OTHER_LEADERS_CHAT, "改派到本微网格")
    await tg.wait_for(lambda: card.edits > 0, what="the old card is edited")
    assert "🙋 认领" not in card.button_texts or "锦绣园" in card.text
    async with world.app.sessionmaker() as session:
        event = await session.scalar(select(RequestEvent).where(
            RequestEvent.request_id == request_id, RequestEvent.action == "reassign"))  # fmt: skip
        worker = await session.scalar(select(User).where(User.telegram_id == world.worker.id))
        assert event is not None and worker is not None and event.actor_id == worker.id

    async with browser.get(base + "/requests/export.xlsx?q=楼道灯") as response:
        assert response.status == 200
        sheet = load_workbook(io.BytesIO(await response.read())).active
        rows = list(sheet.values)
        assert rows[0][0] == "编号" and rows[1][0] == "R-0001" and rows[1][2] == "锦绣园"


async def test_monthly_report_page_and_workbook_have_the_chat_summarys_figures(
    world: World, browser: aiohttp.ClientSession
) -> None:
    await report(world)
    async with world.app.sessionmaker() as session:
        request = await request_by_number(world.app, 1)
        first = request.created_at.astimezone(ZoneInfo("Asia/Shanghai")).date().replace(day=1)
        start, end = month_bounds(first, "Asia/Shanghai")
        figures = await monthly_report(session, request.community_id, start, end, "南华社区")
    month = f"{first:%Y-%m}"
    base = world.app.settings.web_url + "/workbench"
    await sign_in(world, world.admin, browser)
    async with browser.get(base + f"/reports?month={month}") as response:
        page = await response.text()
        assert response.status == 200 and f"报表 · {month}" in page and "第一网格" in page
    async with browser.get(base + f"/reports/{month}.xlsx") as response:
        assert response.status == 200
        book = load_workbook(io.BytesIO(await response.read()))
    summary = list(book["Summary"].values)
    assert summary[-1][:2] == ("南华社区", figures.community.total) == ("南华社区", 1)
    assert list(book["Requests"].values)[1][0] == "R-0001"

    await sign_in(world, world.leader, browser)  # the workbook is the admins'
    async with browser.get(base + f"/reports/{month}.xlsx") as response:
        assert response.status == 403


async def test_admin_adjusts_points_with_a_reason_once(
    world: World, browser: aiohttp.ClientSession
) -> None:
    tg, base = world.telegram, world.app.settings.web_url + "/workbench"
    await sign_in(world, world.admin, browser)
    async with browser.get(base + "/points") as response:
        page = await response.text()
        assert "洗衣液一瓶" in page and "好邻居超市" in page
    key = re.search(r'name="key" value="([0-9a-f]+)"', page)
    assert key is not None
    form = {"csrf": csrf_of(page), "key": key[1], "member": str(world.alice.id),
            "amount": "20", "reason": "参加社区清洁日"}  # fmt: skip
    for _twice in range(2):  # a form sent twice books once
        async with browser.post(base + "/points/adjust", data=form) as response:
            assert response.status == 200 and "余额是 20 分" in await response.text()
    await tg.wait_for_message(world.alice.id, "参加社区清洁日")
    async with browser.get(base + "/points?q=Alice") as response:
        page = await response.text()
        assert "参加社区清洁日" in page and "管理员调整" in page
    async with browser.post(base + "/points/adjust", data={**form, "key": "x", "reason": " "}
                            ) as response:  # fmt: skip
        assert response.status == 409 and "请写明调整原因" in await response.text()

    await sign_in(world, world.leader, browser)
    async with browser.get(base + "/points") as response:
        page = await response.text()
        assert "调整积分" not in page
    async with browser.post(base + "/points/adjust", data={**form, "csrf": csrf_of(page),
                                                          "key": "y"}) as response:  # fmt: skip
        assert response.status == 409 and "只有社区管理员可以调整积分" in await response.text()


async def test_photo_comes_through_the_bot_and_pages_speak_english(
    world: World, browser: aiohttp.ClientSession
) -> None:
    await world.alice.send_photo("/report 2号楼楼道灯坏了", chat=world.residents,
                                 data=b"\x89PNG picture")  # fmt: skip
    await world.telegram.wait_for_message(LEADERS_CHAT, "R-0001")
    request = await request_by_number(world.app, 1)
    assert request.photo_file_id
    async with world.app.sessionmaker() as session:
        await session.execute(update(User).where(User.telegram_id == world.admin.id)
                              .values(language="en"))  # fmt: skip
        await session.commit()
    await sign_in(world, world.admin, browser)
    base = world.app.settings.web_url + "/workbench"
    async with browser.get(base + f"/requests/{request.id}") as response:
        page = await response.text()
        assert "Trail" in page and "Reassign to" in page and "办理记录" not in page
        assert world.telegram.token not in page and "/photo" in page
    async with browser.get(base + f"/requests/{request.id}/photo") as response:
        assert response.status == 200 and await response.read() == b"\x89PNG picture"


async def test_telegram_login_widget_is_accepted_only_with_telegrams_hash(
    world: World, browser: aiohttp.ClientSession
) -> None:
    def signed(telegram_id: int, token: str) -> dict[str, str]:
        fields = {"id": str(telegram_id), "first_name": "书记",
                  "auth_date": str(int(utcnow().timestamp()))}  # fmt: skip
        check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
        secret = hashlib.sha256(token.encode()).digest()
        return {**fields, "hash": hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()}

    url = world.app.settings.web_url + "/workbench/login/telegram"
    forged = signed(world.admin.id, "123:not-the-bot-token")
    async with browser.get(url, params=forged) as response:
        assert response.status == 401 and "已失效" in await response.text()
    async with browser.get(url, params=signed(world.alice.id, world.telegram.token)) as response:
        assert response.status == 401  # a resident is no staff
    async with browser.get(url, params=signed(world.admin.id, world.telegram.token)) as response:
        assert response.status == 200 and response.url.path == "/workbench/"


async def test_leader_merges_and_rejects_from_the_web_with_the_chats_refusals(
    world: World, browser: aiohttp.ClientSession
) -> None:
    tg, base = world.telegram, world.app.settings.web_url + "/workbench"
    await report(world, "2号楼门口的灯坏了")
    await world.bob.send("/report 2号楼单元门禁坏了", chat=world.residents)
    await tg.wait_for_message(LEADERS_CHAT, "R-0002")
    second = await request_by_number(world.app, 2)
    await sign_in(world, world.leader, browser)
    async with browser.get(base + f"/requests/{second.id}") as response:
        page = await response.text()
        assert '<option value="R-0001">' in page  # offered as in chat
    token = csrf_of(page)
    async with browser.post(base + f"/requests/{second.id}/merge",
                            data={"csrf": token, "text": "R-0002"}) as response:  # fmt: skip
        assert response.status == 409 and "不能合并到 R-0002" in await response.text()
    async with browser.post(base + f"/requests/{second.id}/reject",
                            data={"csrf": token, "text": "  "}) as response:  # fmt: skip
        assert response.status == 409 and "请写明原因" in await response.text()
    async with browser.post(base + f"/requests/{second.id}/merge",
                            data={"csrf": token, "text": "r-1"}) as response:  # fmt: skip
        page = await response.text()
        assert response.status == 200 and "已合并。" in page
    assert (await request_by_number(world.app, 2)).status == RequestStatus.MERGED
    await tg.wait_for_message(world.bob.id, "R-0001")
    async with browser.post(base + f"/requests/{second.id}/reject",
                            data={"csrf": token, "text": "重复"}) as response:  # fmt: skip
        assert response.status == 409 and "R-0002 已关闭" in await response.text()
    assert (await request_by_number(world.app, 2)).status == RequestStatus.MERGED


async def test_the_list_pages_and_sorts_on_the_server(
    world: World, browser: aiohttp.ClientSession
) -> None:
    async with world.app.sessionmaker() as session:
        alice = await session.scalar(select(User).where(User.telegram_id == world.alice.id))
        assert alice is not None
        member = await load_member(session, alice)
        for n in range(50):
            await submit(session, member, RequestKind.REPORT, f"第{n + 1}号问题：楼道堆物",
                         urgent=n == 7)  # fmt: skip
        await submit(session, member, RequestKind.WISH, "想借轮椅一周")
        await session.commit()
    base = world.app.settings.web_url + "/workbench"
    await sign_in(world, world.admin, browser)
    async with browser.get(base + "/requests") as response:
        page = await response.text()
        assert "共 51 条" in page and "第 1 / 2 页" in page and page.count("<tr class") == 50
        assert page.index("W-0001") < page.index("R-0050")  # newest first
    async with browser.get(base + "/requests?sort=number&order=asc&page=1") as response:
        page = await response.text()
        assert "第 2 / 2 页" in page and page.count("<tr class") == 1
    async with browser.get(base + "/requests?sort=deadline&order=asc") as response:
        page = await response.text()  # the urgent one is due first
        assert re.findall(r">([RW]-\d{4})</a>", page)[0] == "R-0008"
    async with browser.get(base + "/requests?kind=wish&status=bogus&page=x") as response:
        page = await response.text()
        assert response.status == 200 and "共 1 条" in page
