"""Fake Telegram Bot API: the subset of methods gridbot uses, with Telegram's own errors."""

import asyncio
import html
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, web

JSON_FIELDS = {
    "chat_id", "message_id", "reply_markup", "entities", "caption_entities", "commands",
    "scope", "show_alert", "cache_time", "offset", "limit", "timeout", "allowed_updates",
    "user_id", "disable_notification", "latitude", "longitude", "reply_parameters",
    "link_preview_options", "drop_pending_updates", "max_connections", "protect_content",
    "message_thread_id", "reply_to_message_id", "disable_web_page_preview",
}  # fmt: skip
TAG = re.compile(r"<[^>]+>")
LIMITED_METHODS = {"sendMessage", "sendPhoto", "sendDocument", "editMessageText"}
GLOBAL_PER_SECOND = 30
GROUP_PER_MINUTE = 20
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64


class TelegramFault(Exception):
    """An error answer, shaped as Telegram shapes it."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def plain_text(markup: str) -> str:
    """What a person reads: HTML tags dropped and entities unescaped."""
    return html.unescape(TAG.sub("", markup))


@dataclass
class BotMessage:
    """A message the bot sent, as it stands now (edits applied)."""

    chat_id: int
    message_id: int
    raw: dict[str, Any]
    edits: int = 0
    deleted: bool = False

    @property
    def text(self) -> str:
        return plain_text(self.raw.get("text") or self.raw.get("caption") or "")

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        markup = self.raw.get("reply_markup") or {}
        return markup.get("inline_keyboard", [])

    @property
    def button_texts(self) -> list[str]:
        return [button["text"] for row in self.buttons for button in row]

    def button(self, text: str) -> dict[str, Any]:
        """The inline button whose label contains `text`."""
        for row in self.buttons:
            for button in row:
                if text in button["text"]:
                    return button
        raise LookupError(f"no button {text!r} in {self.button_texts}")

    @property
    def reply_to(self) -> int | None:
        """The id of the message this one replies to, if any."""
        return (self.raw.get("reply_to_message") or {}).get("message_id")

    @property
    def has_photo(self) -> bool:
        return "photo" in self.raw

    @property
    def document_name(self) -> str | None:
        document = self.raw.get("document")
        return document.get("file_name") if document else None


@dataclass
class FakeChat:
    id: int
    type: str
    title: str | None = None
    bot_status: str = "member"  # the bot's status in a group: member or administrator

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.title:
            data["title"] = self.title
        return data


@dataclass
class FakeUser:
    telegram: "FakeTelegram"
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "zh-hans"
    started: bool = False  # has pressed Start in a private chat with the bot
    blocked: bool = False  # has blocked the bot

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    @property
    def private_chat(self) -> FakeChat:
        return self.telegram.private_chat(self)

    async def send(
        self, text: str, chat: FakeChat | None = None, *, wait: bool = True
    ) -> dict[str, Any]:
        """Send a text message (to the bot's private chat unless `chat` is given)."""
        return await self.telegram.user_message(self, chat, {"text": text}, wait=wait)

    async def send_photo(
        self,
        caption: str = "",
        chat: FakeChat | None = None,
        *,
        data: bytes = b"",
        wait: bool = True,
    ) -> dict[str, Any]:
        """Send a photo; `data` is what the bot gets if it downloads it."""
        file_id = self.telegram.new_file_id("photo")
        self.telegram.files[file_id] = data
        content: dict[str, Any] = {
            "photo": [{"file_id": file_id, "file_unique_id": file_id, "width": 640, "height": 480}]
        }
        if caption:
            content["caption"] = caption
        return await self.telegram.user_message(self, chat, content, wait=wait)

    async def send_location(
        self, latitude: float, longitude: float, chat: FakeChat | None = None, *, wait: bool = True
    ) -> dict[str, Any]:
        content = {"location": {"latitude": latitude, "longitude": longitude}}
        return await self.telegram.user_message(self, chat, content, wait=wait)

    async def press(
        self,
        message: BotMessage,
        text: str | None = None,
        *,
        data: str | None = None,
        wait: bool = True,
    ) -> int:
        """Press an inline button by (part of) its label, or send arbitrary callback `data`."""
        if data is None:
            if text is None:
                raise ValueError("press needs a button text or data")
            data = message.button(text)["callback_data"]
        return await self.telegram.callback(self, message, data, wait=wait)

    def block_bot(self) -> None:
        self.blocked = True


class FakeTelegram:
    def __init__(
        self,
        token: str = "123456:TEST",
        bot_username: str = "gridbot_test_bot",
        can_read_all_group_messages: bool = False,
        enforce_limits: bool = False,
        per_chat_limit: bool = True,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":")[0])
        self.bot_username = bot_username
        self.can_read_all = can_read_all_group_messages
        self.users: dict[int, FakeUser] = {}
        self.chats: dict[int, FakeChat] = {}
        self.messages: dict[tuple[int, int], BotMessage] = {}
        self.sent: list[BotMessage] = []  # every message the bot sent, in order
        self.calls: list[tuple[str, dict[str, Any]]] = []  # every API call, in order
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.files: dict[str, bytes] = {}
        self._faults: list[tuple[str, TelegramFault]] = []
        self._updates: list[dict[str, Any]] = []  # queued, not yet confirmed by an offset
        self._handled: set[int] = set()  # ids of queue entries (not update ids) confirmed
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._entries = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._closing = False
        # Telegram's flood limits, answered with 429 and retry_after when enforce_limits is on.
        self.enforce_limits = enforce_limits
        # Telegram tolerates short bursts in one private chat; off, only 30/s overall and
        # 20/min per group are enforced.
        self.per_chat_limit = per_chat_limit
        self.received: list[tuple[float, int]] = []  # (time, chat id) of every counted send
        self.rate_limited: list[tuple[float, int]] = []  # the 429s given
        self.url = ""
        # Webhook mode: set by the bot with setWebhook; updates are then posted to it, and
        # retried until answered 200, as Telegram does. `webhook_targets`, when set, stands
        # for a load balancer spreading the posts over several bot processes in turn.
        self.webhook: dict[str, Any] | None = None
        self.webhook_targets: list[str] = []
        self.webhook_posts: list[tuple[int, str, int]] = []  # (update id, target, status)
        self._target_turn = itertools.count()
        self._http: ClientSession | None = None
        self._deliveries: set[asyncio.Task[None]] = set()
        self._posted: dict[int, dict[str, Any]] = {}  # webhook updates by id, for redelivery
        # What a chat app shows (the playground): every change as it happens, and the
        # persistent reply keyboard the bot last set in each chat.
        self.observers: list[Callable[[str, dict[str, Any]], None]] = []
        self.reply_keyboards: dict[int, dict[str, Any]] = {}
        self._query_users: dict[str, int] = {}  # callback query id -> who pressed

    # --- lifecycle --------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._runner = web.AppRunner(self.app())
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        sockets = site._server.sockets  # type: ignore[union-attr]
        self.url = f"http://{host}:{sockets[0].getsockname()[1]}"
        return self.url

    async def stop(self) -> None:
        async with self._changed:
            self._closing = True  # release long polls at once instead of at their timeout
            self._changed.notify_all()
        for task in self._deliveries:
            task.cancel()
        await asyncio.gather(*self._deliveries, return_exceptions=True)
        if self._http is not None:
            await self._http.close()
        if self._runner:
            await self._runner.cleanup()

    # --- the people and chats a test plays ---------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "zh-hans",
    ) -> FakeUser:
        user = FakeUser(self, user_id, first_name, last_name, username, language_code)
        self.users[user_id] = user
        return user

    def group(self, chat_id: int, title: str, *, bot_admin: bool = False) -> FakeChat:
        chat = FakeChat(chat_id, "supergroup", title, "administrator" if bot_admin else "member")
        self.chats[chat_id] = chat
        return chat

    def private_chat(self, user: FakeUser) -> FakeChat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = self.chats[user.id] = FakeChat(user.id, "private")
        return chat

    def new_file_id(self, kind: str) -> str:
        return f"{kind}-{next(self._file_ids)}"

    # --- reading what the bot did ------------------------------------------------------

    def messages_in(self, chat_id: int) -> list[BotMessage]:
        return [m for m in self.sent if m.chat_id == chat_id and not m.deleted]

    def last_message(self, chat_id: int) -> BotMessage:
        messages = self.messages_in(chat_id)
        if not messages:
            raise LookupError(f"the bot sent nothing to chat {chat_id}")
        return messages[-1]

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    async def wait_for(
        self, predicate: Callable[[], Any], timeout: float = 5.0, what: str = "condition"
    ) -> Any:
        """Wait until `predicate()` is truthy (checked after every API call the bot makes)."""
        async with self._changed:
            try:
                return await asyncio.wait_for(self._changed.wait_for(predicate), timeout)
            except TimeoutError:
                raise AssertionError(f"timed out waiting for {what}") from None

    async def wait_for_message(
        self, chat_id: int, contains: str = "", timeout: float = 5.0
    ) -> BotMessage:
        def found() -> BotMessage | None:
            for message in reversed(self.messages_in(chat_id)):
                if contains in message.text:
                    return message
            return None

        return await self.wait_for(found, timeout, f"a message with {contains!r} in {chat_id}")

    def observe(self, observer: Callable[[str, dict[str, Any]], None]) -> None:
        """Call `observer(kind, data)` on every change a chat app would show: `user_message`,
        `message` (the bot sent one), `edit`, `delete`, `answer` (to a button press, with
        `user_id`) and `keyboard` (a chat's reply keyboard set, or None when removed)."""
        self.observers.append(observer)

    def _notify(self, kind: str, data: dict[str, Any]) -> None:
        for observer in self.observers:
            observer(kind, data)

    # --- failures on command ------------------------------------------------------------

    def fail_next(
        self, method: str, code: int, description: str, retry_after: int | None = None
    ) -> None:
        """The next call of `method` gets this error instead of being served."""
        self._faults.append((method, TelegramFault(code, description, retry_after)))

    # --- updates ----------------------------------------------------------------------

    async def push_update(
        self, payload: dict[str, Any], *, wait: bool = True, update_id: int | None = None
    ) -> int:
        """Queue an update for the bot. Giving an `update_id` already used redelivers it."""
        update_id = next(self._update_ids) if update_id is None else update_id
        entry = next(self._entries)
        if self.webhook is not None:
            update = {"update_id": update_id, **payload}
            self._posted[update_id] = update
            task = asyncio.create_task(self._post_update(update, entry))
            self._deliveries.add(task)
            task.add_done_callback(self._deliveries.discard)
        else:
            async with self._changed:
                self._updates.append({"update_id": update_id, **payload, "_entry": entry})
                self._changed.notify_all()
        if wait:
            await self.wait_handled(entry)
        return update_id

    @property
    def posted_update_ids(self) -> set[int]:
        """Ids of the updates posted to the webhook so far (answered or not)."""
        return set(self._posted)

    def acknowledged(self) -> set[int]:
        return {update_id for update_id, _target, status in self.webhook_posts if status == 200}

    async def redeliver(self, update_id: int, *, wait: bool = True) -> None:
        """Post an update already delivered once more, as Telegram sometimes does."""
        update = self._posted[update_id]
        await self.push_update({k: v for k, v in update.items() if k != "update_id"},
                               wait=wait, update_id=update_id)  # fmt: skip

    async def _post_update(self, update: dict[str, Any], entry: int) -> None:
        """Post an update to the webhook until it is answered 200, backing off between tries."""
        assert self.webhook is not None
        if self._http is None:
            self._http = ClientSession(timeout=ClientTimeout(total=60))
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook.get("secret_token", "")}
        for attempt in itertools.count():
            targets = self.webhook_targets or [self.webhook["url"]]
            target = targets[next(self._target_turn) % len(targets)]
            try:
                async with self._http.post(target, json=update, headers=headers) as response:
                    status = response.status
            except (ClientError, TimeoutError):
                status = 0  # connection refused or cut: the process is down
            async with self._changed:
                self.webhook_posts.append((update["update_id"], target, status))
                if status == 200:
                    self._handled.add(entry)
                self._changed.notify_all()
            if status == 200:
                return
            await asyncio.sleep(min(2.0, 0.05 * 2**attempt))

    async def wait_handled(self, entry: int, timeout: float = 10.0) -> None:
        """Wait until the bot confirmed a queued update by fetching past it; with sequential
        handling that means it was handled."""
        await self.wait_for(lambda: entry in self._handled, timeout, f"update entry {entry}")

    async def user_message(
        self, user: FakeUser, chat: FakeChat | None, content: dict[str, Any], *, wait: bool
    ) -> dict[str, Any]:
        chat = chat or self.private_chat(user)
        self.chats.setdefault(chat.id, chat)
        if chat.type == "private":
            user.started = True
            user.blocked = False
        message = {
            "message_id": self._next_message_id(chat.id),
            "date": int(time.time()),
            "chat": chat.as_dict(),
            "from": user.as_dict(),
            **content,
        }
        text = content.get("text", "")
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        self._notify("user_message", message)
        await self.push_update({"message": message}, wait=wait)
        return message

    async def callback(self, user: FakeUser, message: BotMessage, data: str, *, wait: bool) -> int:
        query_id = str(next(self._callback_ids))
        self._query_users[query_id] = user.id
        payload = {
            "callback_query": {
                "id": query_id,
                "from": user.as_dict(),
                "message": message.raw,
                "chat_instance": str(message.chat_id),
                "data": data,
            }
        }
        await self.push_update(payload, wait=wait)
        return int(query_id)

    def answer_to(self, query_id: int) -> dict[str, Any] | None:
        return self.callback_answers.get(str(query_id))

    # --- HTTP -------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            fault = TelegramFault(404, "Not Found: method not found")
            return web.json_response(fault.payload(), status=404)
        try:
            for index, (name, fault) in enumerate(self._faults):
                if name == method:
                    del self._faults[index]
                    raise fault
            if method in LIMITED_METHODS and "chat_id" in params:
                self._count_send(int(params["chat_id"]))
            result = await handler(params)
        except TelegramFault as fault:
            status = 429 if fault.code == 429 else fault.code
            return web.json_response(fault.payload(), status=status)
        finally:
            if method != "getUpdates":
                async with self._changed:
                    self.calls.append((method, params))
                    self._changed.notify_all()
        return web.json_response({"ok": True, "result": result})

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        params[f"file:{key}"] = value.file.read()
                        params[f"name:{key}"] = value.filename
                    else:
                        params[key] = value
        for key in list(params):
            value = params[key]
            if key in JSON_FIELDS and isinstance(value, str):
                try:
                    params[key] = json.loads(value)
                except json.JSONDecodeError:
                    pass
        return params

    async def _download(self, request: web.Request) -> web.Response:
        data = self.files.get(request.match_info["path"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data)

    def _count_send(self, chat_id: int) -> None:
        """Count a send against Telegram's limits, or refuse it with 429 and retry_after."""
        now = time.monotonic()
        if self.enforce_limits:
            windows = (
                (1.0, GLOBAL_PER_SECOND, lambda c: True),
                (1.0, 1 if self.per_chat_limit else 10**9, lambda c: c == chat_id),
                (60.0, GROUP_PER_MINUTE if chat_id < 0 else 10**9, lambda c: c == chat_id),
            )
            for seconds, allowed, same in windows:
                recent = [t for t, c in self.received if t > now - seconds and same(c)]
                if len(recent) >= allowed:
                    retry_after = max(1, int(recent[0] + seconds - now + 0.999))
                    self.rate_limited.append((now, chat_id))
                    raise TelegramFault(429, f"Too Many Requests: retry after {retry_after}",
                                        retry_after)  # fmt: skip
        self.received.append((now, chat_id))

    def max_in_window(self, chat_id: int, seconds: float) -> int:
        """The most sends counted for a chat within any window of `seconds`."""
        times = [t for t, c in self.received if c == chat_id]
        return max((sum(1 for u in times if t <= u < t + seconds) for t in times), default=0)

    # --- helpers for API methods ---------------------------------------------------------

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _chat_for_send(self, chat_id: Any) -> FakeChat:
        chat = self.chats.get(int(chat_id)) if str(chat_id).lstrip("-").isdigit() else None
        if chat is None:
            user = self.users.get(int(chat_id)) if str(chat_id).isdigit() else None
            if user is None:
                raise TelegramFault(400, "Bad Request: chat not found")
            chat = self.private_chat(user)
        if chat.type == "private":
            user = self.users.get(chat.id)
            if user is None:
                raise TelegramFault(400, "Bad Request: chat not found")
            if user.blocked:
                raise TelegramFault(403, "Forbidden: bot was blocked by the user")
            if not user.started:
                raise TelegramFault(403, "Forbidden: bot can't initiate conversation with a user")
        return chat

    def _check_markup(self, markup: Any) -> None:
        if not markup:
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and len(data.encode()) > MAX_CALLBACK_DATA:
                    raise TelegramFault(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise TelegramFault(
                        400, "Bad Request: text buttons are unallowed in the inline keyboard"
                    )

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "gridbot",
            "username": self.bot_username,
        }

    async def _record(self, chat: FakeChat, content: dict[str, Any]) -> dict[str, Any]:
        message_id = self._next_message_id(chat.id)
        raw = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat.as_dict(),
            "from": self._bot_user(),
            **{k: v for k, v in content.items() if v is not None},
        }
        message = BotMessage(chat.id, message_id, raw)
        self.messages[(chat.id, message_id)] = message
        self.sent.append(message)
        self._notify("message", raw)
        markup = content.get("reply_markup") or {}
        if "keyboard" in markup:
            self.reply_keyboards[chat.id] = markup
            self._notify("keyboard", {"chat_id": chat.id, "keyboard": markup})
        elif markup.get("remove_keyboard") and self.reply_keyboards.pop(chat.id, None):
            self._notify("keyboard", {"chat_id": chat.id, "keyboard": None})
        if markup and "inline_keyboard" not in markup:  # Telegram echoes inline keyboards only
            return {k: v for k, v in raw.items() if k != "reply_markup"}
        return raw

    def _stored(self, params: dict[str, Any]) -> BotMessage:
        message = self.messages.get((int(params["chat_id"]), int(params["message_id"])))
        if message is None or message.deleted:
            raise TelegramFault(400, "Bad Request: message to edit not found")
        return message

    # --- API methods ----------------------------------------------------------------------

    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": self.can_read_all,
            "supports_inline_queries": False,
        }

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise TelegramFault(409, "Conflict: can't use getUpdates method while webhook is "
                                "active; use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        async with self._changed:
            confirmed = [u for u in self._updates if u.get("_fetched") and u["update_id"] < offset]
            if confirmed:
                self._handled.update(u["_entry"] for u in confirmed)
                self._updates = [u for u in self._updates if u not in confirmed]
                self._changed.notify_all()
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: bool(self._updates) or self._closing),
                    timeout=timeout,
                )
            except TimeoutError:
                return []
            batch = self._updates[: int(params.get("limit") or 100)]
            for update in batch:
                update["_fetched"] = True
            return [{k: v for k, v in u.items() if not k.startswith("_")} for u in batch]

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {"url": params["url"], "secret_token": params.get("secret_token", "")}
        return True

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat_for_send(params["chat_id"])
        text = params.get("text", "")
        if not plain_text(text).strip():
            raise TelegramFault(400, "Bad Request: message text is empty")
        if len(plain_text(text)) > MAX_TEXT:
            raise TelegramFault(400, "Bad Request: message is too long")
        self._check_markup(params.get("reply_markup"))
        content = {"text": text, "reply_markup": params.get("reply_markup")}
        replied = (params.get("reply_parameters") or {}).get("message_id")
        if replied is not None:  # as Telegram does, without the whole replied-to message
            content["reply_to_message"] = {"message_id": replied, "date": int(time.time()),
                                           "chat": chat.as_dict()}  # fmt: skip
        return await self._record(chat, content)

    async def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat_for_send(params["chat_id"])
        caption = params.get("caption")
        if caption and len(plain_text(caption)) > MAX_CAPTION:
            raise TelegramFault(400, "Bad Request: message caption is too long")
        self._check_markup(params.get("reply_markup"))
        photo = params.get("photo", "")
        if photo.startswith("attach://"):
            file_id = self.new_file_id("photo")
            self.files[file_id] = params.get(f"file:{photo.removeprefix('attach://')}", b"")
        else:
            file_id = photo
        content = {
            "photo": [{"file_id": file_id, "file_unique_id": file_id, "width": 640, "height": 480}],
            "caption": caption,
            "reply_markup": params.get("reply_markup"),
        }
        return await self._record(chat, content)

    async def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat_for_send(params["chat_id"])
        document = params.get("document", "")
        file_id = self.new_file_id("document")
        name = file_id
        if document.startswith("attach://"):
            key = document.removeprefix("attach://")
            self.files[file_id] = params.get(f"file:{key}", b"")
            name = params.get(f"name:{key}", file_id)
        content = {
            "document": {"file_id": file_id, "file_unique_id": file_id, "file_name": name},
            "caption": params.get("caption"),
        }
        return await self._record(chat, content)

    async def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._stored(params)
        text = params.get("text", "")
        markup = params.get("reply_markup")
        self._check_markup(markup)
        if text == message.raw.get("text") and markup == message.raw.get("reply_markup"):
            raise TelegramFault(400, "Bad Request: message is not modified")
        message.raw["text"] = text
        message.raw.pop("reply_markup", None)
        if markup:
            message.raw["reply_markup"] = markup
        message.edits += 1
        self._notify("edit", message.raw)
        return message.raw

    async def _api_editMessageCaption(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._stored(params)
        message.raw["caption"] = params.get("caption", "")
        message.raw.pop("reply_markup", None)
        if params.get("reply_markup"):
            message.raw["reply_markup"] = params["reply_markup"]
        message.edits += 1
        self._notify("edit", message.raw)
        return message.raw

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._stored(params)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        if markup == message.raw.get("reply_markup"):
            raise TelegramFault(400, "Bad Request: message is not modified")
        message.raw.pop("reply_markup", None)
        if markup:
            message.raw["reply_markup"] = markup
        message.edits += 1
        self._notify("edit", message.raw)
        return message.raw

    async def _api_deleteMessage(self, params: dict[str, Any]) -> bool:
        message = self._stored(params)
        message.deleted = True
        self._notify("delete", {"chat_id": message.chat_id, "message_id": message.message_id})
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query_id = str(params["callback_query_id"])
        self.callback_answers[query_id] = params
        self._notify("answer", {**params, "user_id": self._query_users.get(query_id)})
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        scope = params.get("scope") or {"type": "default"}
        # A chat's own menu is kept under "chat:<chat id>".
        name = f"chat:{scope['chat_id']}" if scope["type"] == "chat" else scope["type"]
        self.commands[(name, params.get("language_code", ""))] = params["commands"]
        return True

    async def _api_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self.chats.get(int(params["chat_id"]))
        if chat is None:
            raise TelegramFault(400, "Bad Request: chat not found")
        user_id = int(params["user_id"])
        if user_id == self.bot_id:
            status = chat.bot_status
            user = self._bot_user()
        else:
            status = "member"
            user = (
                self.users[user_id].as_dict()
                if user_id in self.users
                else {"id": user_id, "is_bot": False, "first_name": "?"}
            )
        member: dict[str, Any] = {"status": status, "user": user}
        if status == "administrator":
            member.update(
                can_be_edited=False,
                is_anonymous=False,
                can_manage_chat=True,
                can_delete_messages=True,
                can_manage_video_chats=False,
                can_restrict_members=False,
                can_promote_members=False,
                can_change_info=False,
                can_invite_users=True,
                can_post_stories=False,
                can_edit_stories=False,
                can_delete_stories=False,
                can_send_welcome_messages=False,
            )
        return member

    async def _api_getChat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self.chats.get(int(params["chat_id"]))
        if chat is None:
            raise TelegramFault(400, "Bad Request: chat not found")
        return {**chat.as_dict(), "accent_color_id": 0, "max_reaction_count": 11}

    async def _api_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = params["file_id"]
        if file_id not in self.files:
            raise TelegramFault(400, "Bad Request: invalid file_id")
        size = len(self.files[file_id])
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": size,
            "file_path": file_id,
        }

    async def _api_sendChatAction(self, params: dict[str, Any]) -> bool:
        return True
