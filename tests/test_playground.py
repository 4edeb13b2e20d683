"""The playground (make demo): a real Chromium plays the demo community by clicking and typing
on the page, against the real bot and the fake Telegram, as a newcomer would."""

import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession
from PIL import Image, ImageDraw

from playground import FakeTelegram
from playground.personas import JIAMU_LEADERS, JIAMU_RESIDENTS
from playground.web import Playground
from tests.browser import screenshot_path

pytestmark = pytest.mark.timeout(180)
WAIT = 20_000  # ms the page may take to show what the bot sent (a busy machine is slow)


@pytest.fixture
async def playground(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Playground]:
    monkeypatch.chdir(tmp_path)  # where a gridbot.db would appear if anything wrote one
    server = Playground(tmp_path / "demo" / "playground.db", "zh")
    await server.start(port=0)
    yield server
    await server.stop()


@pytest.fixture
async def page(chromium: Any, playground: Playground) -> AsyncIterator[Any]:
    from playwright.async_api import expect

    expect.set_options(timeout=WAIT)
    context = await chromium.new_context(locale="zh-CN", viewport={"width": 1440, "height": 860})
    page = await context.new_page()
    await page.goto(playground.url)
    await expect(page.locator(".persona").first).to_be_visible()
    yield page
    await context.close()


class Person:
    """Acts on the page as one persona: picks them and their chat, types, presses."""

    def __init__(self, page: Any, name: str) -> None:
        self.page, self.name = page, name

    async def open(self, chat: str) -> None:
        from playwright.async_api import expect

        await self.page.locator(".persona", has_text=self.name).click()
        await self.page.locator(".chat", has_text=chat).click()
        await expect(self.page.locator("#chat-title")).to_have_text(chat)

    async def say(self, text: str) -> None:
        await self.page.locator("#text").fill(text)
        await self.page.locator("#text").press("Enter")

    def message(self, text: str) -> Any:
        """The latest message on screen that contains `text`."""
        return self.page.locator(".message", has_text=text).last

    async def press(self, text: str, button: str) -> None:
        await self.message(text).get_by_role("button", name=button, exact=True).click()


def photo() -> bytes:
    image = Image.new("RGB", (320, 240), (40, 40, 60))
    ImageDraw.Draw(image).rectangle((140, 20, 180, 60), fill=(250, 240, 180))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


PRIVATE = "gridbot（私聊）"
RESIDENTS = "嘉木花园居民群"
LEADERS = "嘉木花园网格长群"


async def test_a_report_and_a_check_in_played_on_the_page(page: Any) -> None:
    from playwright.async_api import expect

    wang, zhang, zhao = Person(page, "王阿姨"), Person(page, "张网格长"), Person(page, "小赵")

    # A resident reports in her building's group, with a photo of the dark stairway; the
    # demo's history holds R-0001..R-0006.
    await wang.open(RESIDENTS)
    await page.locator("#text").fill("/report 2号楼楼道灯坏了，晚上很黑")
    await page.locator("#photo").set_input_files(
        files=[{"name": "stairway.png", "mimeType": "image/png", "buffer": photo()}]
    )
    await expect(wang.message("已收到 R-0007")).to_be_visible()
    mine = page.locator(".message.mine", has_text="/report 2号楼楼道灯坏了")
    await expect(mine.locator("img.photo")).to_be_visible()

    # A leader claims the card in the leaders' group: the answer shows as a toast, the card
    # is edited in place and loses its claim button.
    await zhang.open(LEADERS)
    card = zhang.message("R-0007")
    await expect(card).to_contain_text("2号楼楼道灯坏了")
    await expect(card).not_to_contain_text("302")  # the resident's room stays private
    await zhang.press("R-0007", "🙋 认领")
    await expect(page.locator("#toast")).to_contain_text("已认领 R-0007")
    await expect(card).to_contain_text("认领人 张网格长")
    await expect(card.get_by_role("button", name="🙋 认领")).to_have_count(0)
    await expect(card.locator(".meta")).to_contain_text("已编辑")
    await page.screenshot(path=screenshot_path("playground-claimed"))

    # In private, the leader resolves it with a note.
    await zhang.open(PRIVATE)
    await zhang.press("R-0007", "✅ 已解决")
    await expect(zhang.message("处理说明")).to_be_visible()
    await zhang.say("已更换灯泡")
    await expect(zhang.message("已标记为解决")).to_be_visible()

    # The resident is told, and rates it: five stars, satisfied, no comment.
    await wang.open(PRIVATE)
    await expect(wang.message("已更换灯泡")).to_be_visible()
    await wang.press("请为这次服务打分", "⭐⭐⭐⭐⭐")
    await wang.press("满意", "😊 满意")
    await wang.press("跳过", "跳过")
    await expect(wang.message("已办结")).to_contain_text("R-0007")
    await page.screenshot(path=screenshot_path("playground-rated"))

    # A volunteer checks in free-form service; the leader stamps it; points are paid.
    await zhao.open(RESIDENTS)
    await zhao.say("/checkin 帮邻居修自行车")
    await expect(zhao.message("等待微网格长签章")).to_be_visible()
    await zhang.open(PRIVATE)
    await zhang.press("帮邻居修自行车", "✅ 签章通过")
    await expect(zhang.message("帮邻居修自行车")).to_contain_text("已签章")
    await zhao.open(PRIVATE)
    await expect(zhao.message("获得 5 积分")).to_be_visible()
    await zhao.say("/points")
    await expect(zhao.message("帮邻居修自行车").last).to_be_visible()
    await page.screenshot(path=screenshot_path("playground-points"))


async def test_the_time_panel_runs_jobs_and_moves_the_clock(page: Any) -> None:
    from playwright.async_api import expect

    # Last month's summary, from the demo's history, with its chart, in the staff group.
    await page.locator(".jobs li", has_text="每月一总结").get_by_role("button").click()
    await expect(page.locator("#time-result")).to_contain_text("已运行")
    secretary = Person(page, "何书记")
    await secretary.open("南华社区工作群")
    await expect(secretary.message("月度总结")).to_contain_text("满意率")
    await expect(page.locator(".message img.photo").first).to_be_visible()
    await page.screenshot(path=screenshot_path("playground-summary"))

    # An hour later the unclaimed door report (R-0006) misses its claim deadline and moves
    # up to the grid workers' group.
    await page.get_by_role("button", name="拨快 1 小时").click()
    await expect(page.locator("#time-result")).to_contain_text("超时上报检查")
    await expect(page.locator("#clock-ahead")).to_contain_text("1 小时")
    worker = Person(page, "刘网格员")
    await worker.open("第一网格工作群")
    await expect(worker.message("R-0006")).to_contain_text("超时")


REPORT = {"user": 5001, "chat": JIAMU_RESIDENTS, "text": "/report 2号楼楼道灯坏了"}


async def test_the_page_and_the_bot_speak_english_when_the_browser_prefers_it(
    chromium: Any, playground: Playground
) -> None:
    from playwright.async_api import expect

    context = await chromium.new_context(locale="en-GB", viewport={"width": 1440, "height": 860})
    page = await context.new_page()
    await page.goto(playground.url)
    await expect(page.locator("h1")).to_have_text("gridbot playground")
    wang = Person(page, "Auntie Wang")
    await wang.open("gridbot (private)")
    await wang.say("/help")
    await expect(wang.message("Community grid assistant")).to_be_visible(timeout=WAIT)
    await page.locator("#send-location").click()
    await expect(page.locator(".message.mine .location")).to_be_visible(timeout=WAIT)
    await context.close()
    assert playground.demo.language == "en"


async def post(session: ClientSession, url: str, body: dict[str, Any]) -> dict[str, Any]:
    async with session.post(url, json=body) as response:
        assert response.status == 200, await response.text()
        return await response.json()


async def test_reset_starts_afresh_and_nothing_touches_the_real_database(
    playground: Playground, tmp_path: Path
) -> None:
    telegram = playground.demo.telegram
    async with ClientSession() as session:
        await post(session, playground.url + "api/send", REPORT)
        await telegram.wait_for_message(JIAMU_RESIDENTS, "R-0007", timeout=20)
        not_hers = {**REPORT, "chat": JIAMU_LEADERS}
        async with session.post(playground.url + "api/send", json=not_hers) as answer:
            assert answer.status == 403  # not one of 王阿姨's chats

        await post(session, playground.url + "api/reset", {})
        assert playground.demo.telegram is not telegram
        async with session.get(playground.url + "api/state") as response:
            state = await response.json()
        texts = [m.get("text", "") for chat in state["messages"].values() for m in chat]
        assert not any("R-0007" in text for text in texts)
        await post(session, playground.url + "api/send", REPORT)
        await playground.demo.telegram.wait_for_message(JIAMU_RESIDENTS, "R-0007", timeout=20)

    assert not (tmp_path / "gridbot.db").exists()  # the working directory
    assert playground.demo.app is not None
    assert playground.demo.app.settings.telegram_api_url.startswith("http://127.0.0.1:")
    assert str(tmp_path / "demo") in playground.demo.app.settings.database_url



async def test_the_fake_telegram_reports_every_change_a_chat_app_shows(
    telegram: FakeTelegram,
) -> None:
    """What the page follows: messages sent, edited, deleted, button answers (with who
    pressed) and the persistent reply keyboard of each chat."""
    changes: list[tuple[str, dict[str, Any]]] = []
    telegram.observe(lambda kind, data: changes.append((kind, data)))
    person = telegram.user(5001, "王阿姨")
    await person.send("/start", wait=False)
    keyboard = {"keyboard": [[{"text": "📍 发送位置", "request_location": True}]],
                "resize_keyboard": True}  # fmt: skip
    buttons = {"inline_keyboard": [[{"text": "认领", "callback_data": "rq:claim:1"}]]}
    async with ClientSession(f"{telegram.url}/bot{telegram.token}/") as session:
        await call(session, "sendMessage", chat_id=5001, text="请发送位置", reply_markup=keyboard)
        assert telegram.reply_keyboards[5001] == keyboard
        sent = await call(session, "sendMessage", chat_id=5001, text="<b>R-0001</b>",
                          reply_markup=buttons)  # fmt: skip
        card = telegram.messages[(5001, sent["message_id"])]
        query = await person.press(card, "认领", wait=False)
        await call(session, "answerCallbackQuery", callback_query_id=str(query), text="已认领",
                   show_alert=True)  # fmt: skip
        await call(session, "editMessageText", chat_id=5001, message_id=sent["message_id"],
                   text="已认领")  # fmt: skip
        await call(session, "sendMessage", chat_id=5001, text="好的",
                   reply_markup={"remove_keyboard": True})  # fmt: skip
        await call(session, "deleteMessage", chat_id=5001, message_id=sent["message_id"])

    assert [kind for kind, _ in changes] == [
        "user_message", "message", "keyboard", "message", "answer", "edit", "message",
        "keyboard", "delete",
    ]  # fmt: skip
    assert changes[0][1]["text"] == "/start"
    assert changes[2][1] == {"chat_id": 5001, "keyboard": keyboard}
    assert changes[4][1]["user_id"] == 5001 and changes[4][1]["show_alert"] is True
    assert "reply_markup" not in changes[5][1]  # the edit took the buttons away
    assert changes[7][1] == {"chat_id": 5001, "keyboard": None}
    assert 5001 not in telegram.reply_keyboards


async def call(session: ClientSession, method: str, **params: Any) -> Any:
    async with session.post(method, json=params) as response:
        body = await response.json()
        assert body["ok"], body
        return body["result"]
