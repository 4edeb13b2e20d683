"""The playground's page: a chat app over the fake Telegram, where one person plays everyone.

The page reads the demo's state once (`/api/state`), then follows every change as server-sent
events (`/api/events`); what the person does is posted back and reaches the bot as updates
from the fake Telegram, exactly as Telegram's would.
"""

import asyncio
import contextlib
import json
import signal
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.i18n import LANGUAGES
from models.base import utcnow
from playground.demo import JOBS, Demo
from playground.personas import GROUPS, PERSONAS

HERE = Path(__file__).parent
LOCATION = {"latitude": 22.5431, "longitude": 114.0579}  # the community's square
MAX_PHOTO = 10 * 1024 * 1024
# The page's words that its script needs; the rest are in the template.
SCRIPT_STRINGS = (
    "playground-edited", "playground-empty-chat", "playground-file", "playground-alert-ok",
    "playground-reset-confirm", "playground-starting", "playground-writing-as",
)  # fmt: skip


class Playground:
    """The web server and the demo it shows; `reset` swaps in a fresh demo."""

    def __init__(self, database: Path, language: str = "zh") -> None:
        self.database = database
        self.demo = Demo(database, language)
        self.timeline: dict[int, dict[int, dict[str, Any]]] = {}
        self.listeners: set[asyncio.Queue[dict[str, Any] | None]] = set()
        self.touched = False  # someone acted since the demo began
        self._reset_lock = asyncio.Lock()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 8765) -> str:
        """Listen (an OSError says the port is taken), then make the demo afresh."""
        self._runner = web.AppRunner(self.web_app(), access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        try:
            await site.start()
        except OSError:
            await self._runner.cleanup()
            raise
        sockets = site._server.sockets  # type: ignore[union-attr]
        self.url = f"http://{host}:{sockets[0].getsockname()[1]}/"
        await self._start_demo()
        return self.url

    async def stop(self) -> None:
        self._broadcast(None)  # ends every event stream
        if self._runner is not None:
            await self._runner.cleanup()
        await self.demo.stop()

    async def reset(self, language: str | None = None) -> None:
        async with self._reset_lock:
            await self.demo.stop()
            self.demo = Demo(self.database, language or self.demo.language)
            await self._start_demo()
        self._broadcast({"kind": "reset"})

    async def _start_demo(self) -> None:
        self.timeline = {}
        self.touched = False
        self.demo.telegram.observe(self._observe)
        await self.demo.start()

    def web_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_PHOTO + 1024 * 1024)
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(HERE / "templates"))
        app.router.add_get("/", self.page)
        app.router.add_static("/static/", HERE / "static")
        app.router.add_get("/api/state", self.state)
        app.router.add_get("/api/events", self.events)
        app.router.add_get("/api/files/{file_id}", self.file)
        app.router.add_post("/api/send", self.send)
        app.router.add_post("/api/photo", self.photo)
        app.router.add_post("/api/location", self.location)
        app.router.add_post("/api/contact", self.contact)
        app.router.add_post("/api/press", self.press)
        app.router.add_post("/api/jobs/{job}", self.run_job)
        app.router.add_post("/api/clock", self.advance)
        app.router.add_post("/api/reset", self.reset_view)
        return app

    # --- what the page shows -------------------------------------------------------------

    def _observe(self, kind: str, data: dict[str, Any]) -> None:
        if kind in ("user_message", "message", "edit"):
            chat = self.timeline.setdefault(data["chat"]["id"], {})
            earlier = chat.get(data["message_id"])
            # Dated by the bot's clock, which the time panel moves, not the machine's.
            date = earlier["date"] if earlier else int(utcnow().timestamp())
            data = chat[data["message_id"]] = {**data, "date": date, "edited": kind == "edit"}
        elif kind == "delete":
            self.timeline.get(data["chat_id"], {}).pop(data["message_id"], None)
        if kind == "user_message":
            self.touched = True
        self._broadcast({"kind": kind, "data": data})

    def _broadcast(self, event: dict[str, Any] | None) -> None:
        for queue in self.listeners:
            queue.put_nowait(event)

    def _strings(self) -> dict[str, str]:
        return {key: self.demo.t(key) for key in SCRIPT_STRINGS}

    async def page(self, request: web.Request) -> web.Response:
        language = request.query.get("lang") or _preferred(request.headers.get("Accept-Language"))
        if language in LANGUAGES and language != self.demo.language and not self.touched:
            await self.reset(language)
        demo = self.demo
        return aiohttp_jinja2.render_template(
            "playground.html",
            request,
            {
                "t": demo.t,
                "language": demo.language,
                "other_language": next(lang for lang in LANGUAGES if lang != demo.language),
                "jobs": JOBS,
                "strings": json.dumps(self._strings(), ensure_ascii=False).replace("</", "<\\/"),
            },
        )

    async def state(self, request: web.Request) -> web.Response:
        demo = self.demo
        chats = {
            persona.id: {"id": persona.id, "title": demo.t("playground-chat-private"),
                         "type": "private"}
            for persona in PERSONAS
        }  # fmt: skip
        chats.update(
            {chat_id: {"id": chat_id, "title": demo.chat_title(chat_id), "type": "supergroup"}
             for chat_id in GROUPS}
        )  # fmt: skip
        return web.json_response({
            "language": demo.language,
            "bot_username": demo.telegram.bot_username,
            "personas": [{
                "id": p.id,
                "name": demo.name(p.id),
                "role": demo.t(f"playground-role-{p.role}"),
                "about": demo.t(f"playground-about-{p.key}"),
                "chats": [p.id, *p.groups],
            } for p in PERSONAS],
            "chats": chats,
            "messages": {chat_id: list(entries.values())
                         for chat_id, entries in self.timeline.items()},
            "keyboards": demo.telegram.reply_keyboards,
            "clock": demo.clock(),
            "timezone": demo.zone.key,
        })  # fmt: skip

    async def events(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        await response.prepare(request)
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self.listeners.add(queue)
        try:
            await response.write(b"retry: 1000\n\n")
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), 15)
                except TimeoutError:
                    await response.write(b": still here\n\n")
                    continue
                if event is None:
                    break
                payload = json.dumps(event, ensure_ascii=False)
                await response.write(f"data: {payload}\n\n".encode())
        except ConnectionResetError:
            pass  # the page went away
        finally:
            self.listeners.discard(queue)
        return response

    async def file(self, request: web.Request) -> web.Response:
        data = self.demo.telegram.files.get(request.match_info["file_id"])
        if data is None:
            raise web.HTTPNotFound()
        name = request.query.get("name")
        if name:
            disposition = f"attachment; filename*=UTF-8''{quote(name)}"
            return web.Response(body=data, headers={"Content-Disposition": disposition},
                                content_type="application/octet-stream")  # fmt: skip
        return web.Response(body=data, content_type=_image_type(data))

    # --- what the person does ------------------------------------------------------------

    async def _actor(self, body: dict[str, Any]) -> tuple[Any, Any]:
        """The persona acting and the chat they act in (one of theirs)."""
        telegram = self.demo.telegram
        try:
            persona = self.demo.persona(int(body["user"]))
            chat_id = int(body["chat"])
        except (KeyError, ValueError) as error:
            raise web.HTTPBadRequest(text="user and chat are needed") from error
        if chat_id not in (persona.id, *persona.groups):
            raise web.HTTPForbidden(text="not one of this person's chats")
        return telegram.users[persona.id], telegram.chats[chat_id]

    async def send(self, request: web.Request) -> web.Response:
        body = await request.json()
        user, chat = await self._actor(body)
        text = str(body.get("text", "")).strip()
        if not text:
            raise web.HTTPBadRequest(text="nothing to send")
        await user.send(text, chat, wait=False)
        return web.json_response({"ok": True})

    async def photo(self, request: web.Request) -> web.Response:
        form = await request.post()
        user, chat = await self._actor(dict(form))
        upload = form.get("photo")
        if not isinstance(upload, web.FileField):
            raise web.HTTPBadRequest(text="no photo")
        data = upload.file.read()
        await user.send_photo(str(form.get("caption", "")), chat, data=data, wait=False)
        return web.json_response({"ok": True})

    async def location(self, request: web.Request) -> web.Response:
        user, chat = await self._actor(await request.json())
        await user.send_location(LOCATION["latitude"], LOCATION["longitude"], chat, wait=False)
        return web.json_response({"ok": True})

    async def contact(self, request: web.Request) -> web.Response:
        user, chat = await self._actor(await request.json())
        contact = {"phone_number": f"+86138{user.id:08d}", "first_name": user.first_name,
                   "user_id": user.id}  # fmt: skip
        await self.demo.telegram.user_message(user, chat, {"contact": contact}, wait=False)
        return web.json_response({"ok": True})

    async def press(self, request: web.Request) -> web.Response:
        body = await request.json()
        user, chat = await self._actor(body)
        message = self.demo.telegram.messages.get((chat.id, int(body.get("message_id", 0))))
        if message is None or message.deleted:
            raise web.HTTPNotFound(text="no such message")
        self.touched = True
        await user.press(message, data=str(body.get("data", "")), wait=False)
        return web.json_response({"ok": True})

    # --- time and reset ------------------------------------------------------------------

    async def run_job(self, request: web.Request) -> web.Response:
        job = request.match_info["job"]
        if job not in JOBS:
            raise web.HTTPNotFound(text="no such job")
        self.touched = True
        text = await self.demo.run_job(job)
        return web.json_response({"text": text, "clock": self.demo.clock()})

    async def advance(self, request: web.Request) -> web.Response:
        body = await request.json()
        hours = body.get("hours")
        if hours not in (1, 24):
            raise web.HTTPBadRequest(text="hours is 1 or 24")
        self.touched = True
        text = await self.demo.advance(hours)
        clock = self.demo.clock()
        self._broadcast({"kind": "clock", "data": clock})
        return web.json_response({"text": text, "clock": clock})

    async def reset_view(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else {}
        language = body.get("language")
        if language is not None and language not in LANGUAGES:
            raise web.HTTPBadRequest(text="language is zh or en")
        await self.reset(language)
        return web.json_response({"ok": True, "language": self.demo.language})


def _preferred(accept_language: str | None) -> str | None:
    """The first of our languages the browser asks for (by its order, ignoring weights)."""
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return None


def _image_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:3] == b"GIF":
        return "image/gif"
    return "image/jpeg"


async def serve(database: Path, host: str, port: int, language: str) -> int:
    """Run the playground until interrupted, printing its one address."""
    try:
        playground = Playground(database, language)
    except ValueError as error:
        print(f"--database {database}: {error}", file=sys.stderr)
        return 2
    try:
        url = await playground.start(host, port)
    except OSError as error:
        print(f"cannot listen on {host}:{port} ({error.strerror}); "
              f"choose another port: make demo DEMO_PORT=8766", file=sys.stderr)  # fmt: skip
        return 1
    print(url, flush=True)
    stopping = asyncio.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signal_number, stopping.set)
    try:
        await stopping.wait()
    finally:
        with contextlib.suppress(Exception):
            await playground.stop()
    return 0
