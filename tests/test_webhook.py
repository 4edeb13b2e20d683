"""Webhook mode: the secret token, acknowledging only handled updates, /healthz, /metrics."""

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy.exc import OperationalError

import handlers.help
from bot.app import App
from bot.settings import Settings
from models.updates import ProcessedUpdate
from playground import FakeTelegram

SECRET = "s3cret-token_for-tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def webhook_settings(settings: Settings, port: int) -> Settings:
    return settings.model_copy(
        update={
            "webhook_url": f"http://127.0.0.1:{port}/telegram/webhook",
            "webhook_secret": SECRET,
            "webhook_host": "127.0.0.1",
            "webhook_port": port,
        }
    )


async def start_webhook_app(
    settings: Settings, telegram: FakeTelegram
) -> tuple[App, asyncio.Event]:
    application = App.build(settings)
    stopped = asyncio.Event()
    application_task = asyncio.create_task(application.run_webhook(stopped))
    await telegram.wait_for(lambda: telegram.webhook is not None or application_task.done(),
                            timeout=20, what="setWebhook")  # fmt: skip
    if application_task.done():
        application_task.result()
    return application, stopped


@pytest.fixture
async def hooked(settings: Settings, telegram: FakeTelegram) -> AsyncIterator[App]:
    application, stopped = await start_webhook_app(
        webhook_settings(settings, free_port()), telegram
    )
    yield application
    stopped.set()
    await application.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def private_update(update_id: int, user_id: int, text: str) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_700_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": "Ivy"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Ivy"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        },
    }


async def test_the_bot_registers_its_webhook_with_the_secret(
    telegram: FakeTelegram, hooked: App
) -> None:
    assert telegram.webhook == {"url": hooked.settings.webhook_url, "secret_token": SECRET}
    ivy = telegram.user(6101, "Ivy")
    await ivy.send("/help")
    assert "/start" in telegram.last_message(ivy.id).text
    assert [status for _id, _target, status in telegram.webhook_posts] == [200]


async def test_posts_without_the_secret_are_refused_and_not_handled(
    telegram: FakeTelegram, hooked: App, http: aiohttp.ClientSession
) -> None:
    url = hooked.settings.webhook_url
    assert url
    ivy = telegram.user(6102, "Ivy")
    ivy.started = True
    update = private_update(501, ivy.id, "/help")
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
        async with http.post(url, json=update, headers=headers) as response:
            assert response.status == 403
    async with http.post(
        url, data=b"{not json", headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    ) as response:
        assert response.status == 400
    assert telegram.messages_in(ivy.id) == []
    async with hooked.sessionmaker() as session:
        assert await session.get(ProcessedUpdate, 501) is None


async def test_a_passing_failure_is_answered_503_and_the_redelivery_handled(
    telegram: FakeTelegram, hooked: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_help = handlers.help.help_text
    failures = iter(range(3))  # the first try and both retries fail: the database is away

    def flaky(*args: object, **kwargs: object) -> str:
        if next(failures, None) is not None:
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError("database is away"))
        return real_help(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(handlers.help, "help_text", flaky)
    ivy = telegram.user(6103, "Ivy")
    await ivy.send("/help")
    assert [status for _id, _target, status in telegram.webhook_posts] == [503, 200]
    texts = [m.text for m in telegram.messages_in(ivy.id)]
    assert len(texts) == 1 and "/start" in texts[0]  # handled once, no apology


async def test_a_permanent_failure_is_recorded_apologised_for_and_acknowledged(
    telegram: FakeTelegram,
    hooked: App,
    monkeypatch: pytest.MonkeyPatch,
    http: aiohttp.ClientSession,
) -> None:
    def broken(*_args: object, **_kwargs: object) -> str:
        raise ValueError("a bug")

    monkeypatch.setattr(handlers.help, "help_text", broken)
    ivy = telegram.user(6104, "Ivy")
    await ivy.send("/help")
    update_id = telegram.webhook_posts[-1][0]
    assert [status for _id, _target, status in telegram.webhook_posts] == [200]
    assert "出了点问题" in telegram.last_message(ivy.id).text
    async with hooked.sessionmaker() as session:
        recorded = await session.get(ProcessedUpdate, update_id)
        assert recorded is not None and "a bug" in (recorded.error or "")
    # Telegram delivering it again changes nothing: it is acknowledged and skipped.
    monkeypatch.undo()
    url = hooked.settings.webhook_url
    assert url
    update = private_update(update_id, ivy.id, "/help")
    async with http.post(
        url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    ) as r:
        assert r.status == 200
    assert len(telegram.messages_in(ivy.id)) == 1


async def test_healthz_and_metrics(
    telegram: FakeTelegram, hooked: App, http: aiohttp.ClientSession
) -> None:
    base = f"http://127.0.0.1:{hooked.settings.webhook_port}"
    ivy = telegram.user(6105, "Ivy")
    await ivy.send("/help")
    async with http.get(f"{base}/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"ok": True, "database": "up"}
    async with http.get(f"{base}/metrics") as response:
        assert response.status == 200
        body = await response.text()
    series = 'gridbot_updates_total{outcome="handled",type="message"}'
    handled = [line for line in body.splitlines() if line.startswith(series)]
    assert handled and float(handled[0].split()[-1]) >= 1
    for name in ("gridbot_update_seconds_bucket", "gridbot_outbox_pending",
                 "gridbot_outbox_sends_total", "gridbot_telegram_429_total",
                 "gridbot_job_runs_total"):  # fmt: skip
        assert name in body


async def test_healthz_reports_a_database_that_is_down(
    settings: Settings, telegram: FakeTelegram, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    unreachable = f"sqlite+aiosqlite:///{tmp_path}/no/such/dir/gridbot.db"
    down = webhook_settings(settings, free_port()).model_copy(update={"database_url": unreachable})
    application, stopped = await start_webhook_app(down, telegram)
    try:
        async with http.get(f"http://127.0.0.1:{down.webhook_port}/healthz") as response:
            assert response.status == 503
            assert await response.json() == {"ok": False, "database": "down"}
    finally:
        stopped.set()
        await application.stop()


@pytest.mark.filterwarnings("ignore:Detected unknown update type:RuntimeWarning")
async def test_an_update_of_a_kind_the_bot_does_not_know_is_acknowledged(
    telegram: FakeTelegram, hooked: App, http: aiohttp.ClientSession
) -> None:
    url = hooked.settings.webhook_url
    assert url
    odd = {"update_id": 777, "some_future_kind": {"id": 1}}
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with http.post(url, json=odd, headers=headers) as response:
        assert response.status == 200
    ivy = telegram.user(6106, "Ivy")
    await ivy.send("/help")  # and the bot goes on
    assert "/start" in telegram.last_message(ivy.id).text
