"""Wiring: Bot, Dispatcher, storage, middlewares and routers, and the polling runner."""

import asyncio
import contextlib
import functools
import gc
import logging
import os
import socket
from dataclasses import dataclass, field

import aiogram.methods
from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.redis import DefaultKeyBuilder, RedisStorage
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response
from aiogram.utils.keyboard import KeyboardBuilder
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from limits.aio.storage import Storage as LimitStorage
from limits.storage import storage_from_string
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.answers import DirectAnswers, HeldAnswersMiddleware
from bot.commands import register_commands
from bot.fsm_storage import DatabaseStorage
from bot.i18n import Catalog
from bot.limits import PacedMemoryStorage, SendLimits
from bot.middlewares import (
    DbSessionMiddleware,
    ErrorBoundaryMiddleware,
    FloodLimitMiddleware,
    MemberMiddleware,
    MetricsMiddleware,
)
from bot.notifier import Notifier
from bot.outbox import OutboxSender
from bot.routing import guard_observers, run_filters_in_place
from bot.settings import Settings
from bot.web import WebServer
from handlers import feature_routers
from models.base import create_engine, create_sessionmaker
from models.care.crypto import use_key
from scheduler import (
    EmergencyEscalationJob,
    EscalationJob,
    JobRunner,
    RunningCalls,
    VoteCloseJob,
    build_scheduler,
)
from scheduler.context import JobContext
from scheduler.service_late import LateOrdersJob, schedule_late_orders

log = logging.getLogger(__name__)

SCHEDULED_CALLS_GRACE = 10.0  # seconds a stopping process waits for scheduled work under way


@functools.cache
def keep_response_types() -> tuple[type, ...]:
    """The parsed-answer classes of every Bot API method, held for the process's life.
    aiogram parametrises `Response[...]` for each answer and pydantic caches those classes
    only weakly, so after a garbage collection the next answer rebuilt one: about 1 ms per
    API call instead of 0.15 ms."""
    returning = {
        repr(method.__returning__): method.__returning__
        for method in vars(aiogram.methods).values()
        if isinstance(method, type) and issubclass(method, TelegramMethod)
        and method is not TelegramMethod
    }  # fmt: skip
    return tuple(Response[kind] for kind in returning.values())


def export_keyboards_shallowly() -> None:
    """aiogram's keyboard builder deep-copies every button (pydantic models) when it makes
    its markup, so the builder can change afterwards without changing the markup: about
    0.2 ms per keyboard, and an update draws one for every copy of a card. The rows are
    copied and the buttons shared: the builder never changes a button, it only arranges
    them into rows."""
    KeyboardBuilder.export = lambda self: [list(row) for row in self._markup]  # type: ignore[method-assign]


def create_bot(settings: Settings) -> Bot:
    keep_response_types()
    export_keyboards_shallowly()
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    return Bot(
        token=settings.bot_token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


def create_fsm_storage(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> BaseStorage:
    if settings.redis_url:
        return RedisStorage.from_url(
            settings.redis_url, key_builder=DefaultKeyBuilder(with_destiny=True)
        )
    return DatabaseStorage(sessionmaker)


def create_limit_storage(settings: Settings) -> LimitStorage:
    if settings.redis_url:
        storage = storage_from_string(f"async+{settings.redis_url}", implementation="redispy")
        assert isinstance(storage, LimitStorage)
        return storage
    return PacedMemoryStorage()


def create_dispatcher(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    catalog: Catalog,
    storage: BaseStorage,
    limit_storage: LimitStorage,
    answers: DirectAnswers,
) -> Dispatcher:
    # With Redis, one chat's updates are handled one at a time across all processes.
    isolation = storage.create_isolation() if isinstance(storage, RedisStorage) else None
    # State kept in the database is read in the update's own transaction, so its middleware
    # runs inside the session's (below) rather than first, with a connection of its own.
    state_in_database = isinstance(storage, DatabaseStorage)
    dispatcher = Dispatcher(
        storage=storage,
        events_isolation=isolation,
        disable_fsm=state_in_database,
        settings=settings,
        catalog=catalog,
    )
    dispatcher.update.outer_middleware(MetricsMiddleware())
    # Behind a webhook a passing failure is answered 503 soon, and Telegram retries; with
    # polling nothing would deliver the update again, so it is retried longer here.
    retries = 2 if settings.webhook_url else 6
    dispatcher.update.outer_middleware(
        ErrorBoundaryMiddleware(catalog, sessionmaker, retries=retries)
    )
    dispatcher.update.outer_middleware(
        FloodLimitMiddleware(limit_storage, settings.flood_limit, catalog)
    )
    dispatcher.update.outer_middleware(HeldAnswersMiddleware(answers))
    members = MemberMiddleware(settings, catalog, dispatcher.fsm if state_in_database else None)
    dispatcher.update.outer_middleware(DbSessionMiddleware(sessionmaker, members))
    dispatcher.update.outer_middleware(members)
    if state_in_database:
        dispatcher.update.outer_middleware(dispatcher.fsm)
    dispatcher.include_routers(*feature_routers())
    guard_observers(dispatcher.sub_routers)
    run_filters_in_place(dispatcher)
    return dispatcher


@dataclass
class App:
    """Everything one bot process holds; `start`/`stop` run it in an existing event loop."""

    settings: Settings
    bot: Bot
    dispatcher: Dispatcher
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    catalog: Catalog
    limits: SendLimits
    answers: DirectAnswers
    run_scheduler: bool = True
    notifier: Notifier = field(init=False)
    sender: OutboxSender = field(init=False)
    escalation: EscalationJob = field(init=False)
    emergency: EmergencyEscalationJob = field(init=False)
    vote_close: VoteCloseJob = field(init=False)
    jobs: JobRunner = field(init=False)
    scheduler: AsyncIOScheduler | None = field(default=None, init=False)
    scheduled: RunningCalls = field(default_factory=RunningCalls, init=False)
    web: WebServer | None = field(default=None, init=False)
    owner: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    _tasks: list[asyncio.Task[None]] = field(default_factory=list, init=False)

    @classmethod
    def build(cls, settings: Settings, *, run_scheduler: bool = True) -> "App":
        use_key(settings.data_key)
        engine = create_engine(settings.database_url)
        sessionmaker = create_sessionmaker(engine)
        catalog = Catalog(settings.language)
        limit_storage = create_limit_storage(settings)
        # Direct answers and the outbox share Telegram's limits, in every process.
        limits = SendLimits(limit_storage)
        answers = DirectAnswers(limits, sessionmaker)
        bot = create_bot(settings)
        bot.session.middleware(answers)
        dispatcher = create_dispatcher(
            settings,
            sessionmaker,
            catalog,
            create_fsm_storage(settings, sessionmaker),
            limit_storage,
            answers,
        )
        return cls(settings, bot, dispatcher, engine, sessionmaker, catalog, limits, answers,
                   run_scheduler)  # fmt: skip

    async def prepare(self) -> None:
        """Everything a process needs before it takes updates: the notifier (it needs the
        bot's username for deep links), the outbox sender and the scheduled jobs."""
        me = await self.bot.me()
        self.notifier = Notifier(self.catalog, me.username or "")
        self.sender = OutboxSender(
            self.bot, self.sessionmaker, self.catalog, self.limits, owner=self.owner
        )
        self.answers.on_queued = self.sender.wake
        self.escalation = EscalationJob(self.sessionmaker, self.notifier, on_sent=self.sender.wake)
        self.emergency = EmergencyEscalationJob(
            self.sessionmaker, self.notifier, on_sent=self.sender.wake
        )
        self.vote_close = VoteCloseJob(self.sessionmaker, self.notifier, on_sent=self.sender.wake)
        self.jobs = JobRunner(
            JobContext(self.sessionmaker, self.catalog, self.notifier, wake=self.sender.wake,
                       owner=self.owner)
        )  # fmt: skip
        self.dispatcher["notifier"] = self.notifier
        self.dispatcher["outbox_sender"] = self.sender
        await register_commands(self.bot, self.catalog)
        self._tasks.append(asyncio.create_task(self.sender.run(), name="outbox"))
        if self.run_scheduler:
            self.scheduler = build_scheduler(
                self.escalation, self.jobs, self.scheduled, self.settings.scheduler_tick_seconds,
                emergency=self.emergency,
                vote_close=self.vote_close,
            )  # fmt: skip
            late = LateOrdersJob(self.sessionmaker, self.notifier, on_sent=self.sender.wake)
            schedule_late_orders(self.scheduler, late, self.scheduled.tracked)
            self.scheduler.start()
        # What start-up built (aiogram's hundreds of types, the ORM's mappings) lives as long
        # as the process: kept out of the collector's way, a full collection no longer walks
        # it, which cost an update or a page a pause of a quarter of a second now and then.
        gc.freeze()

    async def run_polling(
        self, *, handle_as_tasks: bool = True, handle_signals: bool = True
    ) -> None:
        await self.prepare()
        if self.settings.web_url:  # the workbench (and /healthz, /metrics) serve beside polling
            self.web = WebServer(self)
            await self.web.start(self.settings.webhook_host, self.settings.webhook_port)
        await self.bot.delete_webhook(drop_pending_updates=False)
        await self.dispatcher.start_polling(
            self.bot,
            handle_as_tasks=handle_as_tasks,
            handle_signals=handle_signals,
            polling_timeout=30,
            close_bot_session=False,
        )

    async def run_webhook(self, stopped: asyncio.Event) -> None:
        """Serve the webhook (and /healthz, /metrics) until `stopped` is set."""
        settings = self.settings
        assert settings.webhook_url
        await self.prepare()
        self.web = WebServer(self)
        await self.web.start(settings.webhook_host, settings.webhook_port)
        await self.bot.set_webhook(
            settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=self.dispatcher.resolve_used_update_types(),
            drop_pending_updates=False,
        )
        await stopped.wait()

    async def stop_sender(self) -> None:
        """Stop this process's outbox sender (the rows stay for another sender)."""
        for task in [t for t in self._tasks if t.get_name() == "outbox"]:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            self._tasks.remove(task)

    async def stop(self) -> None:
        with contextlib.suppress(RuntimeError):  # polling was not running
            await self.dispatcher.stop_polling()
        if self.web is not None:
            await self.web.stop()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.pause()  # nothing new starts; what runs may finish its step
            await self.scheduled.finish(timeout=SCHEDULED_CALLS_GRACE)
            self.scheduler.shutdown(wait=False)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.bot.session.close()
        await self.dispatcher.storage.close()
        await self.engine.dispose()
