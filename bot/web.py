"""The process's web server: the Telegram webhook, /healthz, /metrics and the workbench.

An update is acknowledged (200) only once it is handled and committed, or recorded as failed
for good; an update that could not be handled for a passing reason gets 503 so Telegram
delivers it again. Requests without the webhook's secret token are refused.
"""

import asyncio
import hmac
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiogram import Dispatcher
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import ValidationError

from bot import metrics
from bot.middlewares import UpdateDeferred
from models.base import ping
from models.outbox import pending_count

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_TIMEOUT = 2.0
WORKBENCH_PATH = "/workbench"


def webhook_path(webhook_url: str) -> str:
    return urlsplit(webhook_url).path or "/"


class WebServer:
    def __init__(self, app: "App") -> None:
        self.app = app
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    def application(self) -> web.Application:
        web_app = web.Application(client_max_size=2 * 1024 * 1024)
        settings = self.app.settings
        if settings.webhook_url:
            web_app.router.add_post(webhook_path(settings.webhook_url), self.handle_update)
        web_app.router.add_get("/healthz", self.healthz)
        web_app.router.add_get("/metrics", self.metrics)
        if settings.web_url:
            from web import workbench_app

            web_app.add_subapp(WORKBENCH_PATH, workbench_app(self.app))
        return web_app

    async def start(self, host: str, port: int) -> None:
        self._runner = web.AppRunner(self.application(), handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("web server listening on %s:%s", host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()  # waits for updates being handled

    async def handle_update(self, request: web.Request) -> web.Response:
        secret = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(secret.encode(), self.app.settings.webhook_secret.encode()):
            log.warning("webhook call without the right secret token from %s", request.remote)
            return web.json_response({"ok": False, "description": "Forbidden"}, status=403)
        bot = self.app.bot
        try:
            update = Update.model_validate(await request.json(), context={"bot": bot})
        except (ValueError, ValidationError):
            return web.json_response({"ok": False, "description": "Bad update"}, status=400)
        try:
            result = await self.app.dispatcher.feed_update(bot, update)
        except UpdateDeferred:
            return web.json_response({"ok": False, "description": "Retry later"}, status=503)
        except Exception:
            # Outside the error boundary (chat state storage, say): let Telegram retry.
            log.exception("update %s escaped the error boundary", update.update_id)
            return web.json_response({"ok": False, "description": "Retry later"}, status=500)
        if isinstance(result, TelegramMethod):
            await Dispatcher.silent_call_request(bot, result)
        return web.json_response({"ok": True})

    async def healthz(self, _request: web.Request) -> web.Response:
        checks: dict[str, Any] = {"database": await self._check(ping(self.app.engine))}
        storage = self.app.dispatcher.storage
        if isinstance(storage, RedisStorage):  # the Redis that chat state and limits use
            checks["redis"] = await self._check(storage.redis.ping())
        healthy = all(value == "up" for value in checks.values())
        return web.json_response({"ok": healthy, **checks}, status=200 if healthy else 503)

    async def metrics(self, _request: web.Request) -> web.Response:
        try:
            async with self.app.sessionmaker() as session:
                metrics.OUTBOX_PENDING.set(await pending_count(session))
        except Exception:
            log.warning("outbox depth unavailable", exc_info=True)
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    @staticmethod
    async def _check(probe: Awaitable[Any]) -> str:
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT):
                await probe
        except Exception as error:
            log.warning("health check failed: %r", error)
            return "down"
        return "up"

