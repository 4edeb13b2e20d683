"""One run of the playground: a demo database of its own, the fake Telegram with the demo's
people and groups, and the real bot (dispatcher, outbox, scheduler) against it."""

import asyncio
import contextlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import App
from bot.i18n import Catalog
from bot.notifier import Notifier
from bot.settings import Settings
from migrations import upgrade_async
from models.base import clock_offset, create_engine, create_sessionmaker, set_clock_offset, utcnow
from models.importer import read_structure_file
from models.schedule import DAILY, MONTHLY, WEEKLY, YEARLY, due_for_date, schedule_of
from models.structure import Community, list_communities
from playground.fakeapi import FakeTelegram
from playground.personas import GROUPS, NEIGHBOURS, OTHER_STAFF, PERSONAS, Persona
from playground.seed import DEMO_STRUCTURE, seed

TOKEN = "700000:PLAYGROUND"
BOT_USERNAME = "gridbot_demo_bot"
TELEGRAM_LANGUAGE = {"zh": "zh-hans", "en": "en"}
ESCALATION = "escalation"
JOBS = (DAILY, WEEKLY, MONTHLY, YEARLY, ESCALATION)  # what the time panel can run now


class Demo:
    """The demo community from scratch (`start`), until `stop`. `language` is the page's: the
    people's Telegram language and the bot's default, so groups read in it too."""

    def __init__(self, database: Path, language: str = "zh") -> None:
        if database.name == "gridbot.db":  # the bot's own default file: start() deletes it
            raise ValueError("the playground makes its database afresh; give it another file")
        self.database = database
        self.language = language
        self.catalog = Catalog(language)
        self.t = self.catalog.translator(language)
        self.telegram = FakeTelegram(TOKEN, BOT_USERNAME, can_read_all_group_messages=True)
        self.app: App | None = None
        self._polling: asyncio.Task[None] | None = None
        self.zone = ZoneInfo(read_structure_file(DEMO_STRUCTURE).spec.timezone)

    @property
    def url(self) -> str:
        return f"sqlite+aiosqlite:///{self.database}"

    def name(self, user_id: int) -> str:
        keys = {p.id: p.key for p in PERSONAS} | {i: key for key, i in OTHER_STAFF}
        if user_id in keys:
            return self.t(f"playground-persona-{keys[user_id]}")
        return self.t("playground-persona-neighbour", n=user_id % 100)

    def chat_title(self, chat_id: int) -> str:
        kind, place = GROUPS[chat_id]
        return self.t(f"playground-chat-{kind}", place=place)

    async def start(self) -> None:
        set_clock_offset(timedelta(0))
        self.database.parent.mkdir(parents=True, exist_ok=True)
        for path in _database_files(self.database):
            path.unlink(missing_ok=True)
        await upgrade_async(self.url)
        await self._seed()
        self._people()
        await self.telegram.start()
        settings = Settings(
            _env_file=None,
            BOT_TOKEN=TOKEN,
            TELEGRAM_API_URL=self.telegram.url,
            DATABASE_URL=self.url,
            REDIS_URL=None,
            WEBHOOK_URL=None,
            GRIDBOT_LANGUAGE=self.language,
            GRIDBOT_ADMIN_IDS="",
            GRIDBOT_FLOOD_LIMIT="1000/second",
            GRIDBOT_SCHEDULER_TICK=10,
        )
        self.app = App.build(settings)
        # One update after another, so a step on the page returns once the bot answered it.
        self._polling = asyncio.create_task(
            self.app.run_polling(handle_as_tasks=False, handle_signals=False)
        )
        await self.telegram.wait_for(
            lambda: self.telegram.calls_to("deleteWebhook") or self._polling.done(),
            timeout=30, what="the bot to start",
        )  # fmt: skip
        if self._polling.done():
            self._polling.result()  # raises what stopped it

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
        if self._polling is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._polling, 10)
        await self.telegram.stop()
        set_clock_offset(timedelta(0))

    async def _seed(self) -> None:
        engine = create_engine(self.url)
        try:
            names = {user_id: self.name(user_id) for user_id in _everyone()}
            await seed(create_sessionmaker(engine), self.t, Notifier(self.catalog, BOT_USERNAME),
                       names, TELEGRAM_LANGUAGE[self.language])  # fmt: skip
        finally:
            await engine.dispose()

    def _people(self) -> None:
        for chat_id in GROUPS:
            self.telegram.group(chat_id, self.chat_title(chat_id), bot_admin=True)
        for user_id in _everyone():
            user = self.telegram.user(
                user_id, self.name(user_id), language_code=TELEGRAM_LANGUAGE[self.language]
            )
            user.started = True  # everyone has pressed Start already
            self.telegram.private_chat(user)

    def persona(self, user_id: int) -> Persona:
        for persona in PERSONAS:
            if persona.id == user_id:
                return persona
        raise KeyError(user_id)

    # --- the time panel ------------------------------------------------------------------

    async def _community(self) -> Community:
        assert self.app is not None
        async with self.app.sessionmaker() as session:
            return (await list_communities(session))[0]

    async def run_job(self, job: str) -> str:
        """Run a scheduled job now, as the scheduler would, and say what happened."""
        assert self.app is not None
        title = self.t(f"playground-job-{job}")
        if job == ESCALATION:
            moved = await self.app.escalation.run()
            return self.t("playground-job-escalated", count=moved)
        community = await self._community()
        on = _run_date(job, utcnow().astimezone(self.zone).date())
        due = due_for_date(job, schedule_of(community)[job], on, community.timezone)
        ran = await self.app.jobs.run_on(job, community, on)
        key = "playground-job-ran" if ran else "playground-job-ran-before"
        return self.t(key, job=title, period=due.period)

    async def advance(self, hours: int) -> str:
        """Move the clock ahead, then look at what fell due, as the scheduler does."""
        assert self.app is not None
        set_clock_offset(clock_offset() + timedelta(hours=hours))
        ran = [self.t(f"playground-job-{job}") for job, _c, _p in await self.app.jobs.tick()]
        if await self.app.escalation.run():
            ran.append(self.t("playground-job-escalation"))
        time = self.clock()["local"]
        if ran:
            return self.t("playground-clock-moved-ran", time=time, jobs="、".join(ran))
        return self.t("playground-clock-moved", time=time)

    def clock(self) -> dict[str, Any]:
        local = utcnow().astimezone(self.zone)
        ahead = int(clock_offset().total_seconds() // 3600)
        return {
            "local": local.strftime("%Y-%m-%d %H:%M"),
            "ahead": self.t("playground-clock-ahead", hours=ahead) if ahead else "",
        }


def _run_date(job: str, today: date) -> date:
    """The day whose run shows the most: today's feedback, this week's redemption (the orders
    placed so far), last month's summary, this year's honour roll."""
    if job == WEEKLY:
        return today + timedelta(days=6 - today.weekday())
    if job == YEARLY:
        return date(today.year + 1, 1, 1)
    return today


def _everyone() -> list[int]:
    return [
        *(p.id for p in PERSONAS),
        *(user_id for user_id, _ in NEIGHBOURS),
        *(user_id for _, user_id in OTHER_STAFF),
    ]


def _database_files(database: Path) -> list[Path]:
    return [database, *(database.with_name(database.name + suffix) for suffix in ("-wal", "-shm"))]
