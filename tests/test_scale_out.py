"""Several bot processes in webhook mode on one PostgreSQL and Redis: still exactly once.

The processes are real `gridbot run` processes; the fake Bot API spreads its webhook posts
over them in turn, as a load balancer in front of them would, and retries any post not
answered 200, as Telegram does.
"""

import asyncio
import os
import sys
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from models.base import create_engine, create_sessionmaker, utcnow
from models.jobs import JobRun
from models.outbox import OutboxMessage, OutboxStatus
from models.requests import Request, RequestEvent
from models.structure import Community
from models.updates import ProcessedUpdate
from playground import FakeChat, FakeTelegram, FakeUser
from tests.conftest import REDIS_URL, import_structure, needs_pg, needs_redis
from tests.helpers import LEADERS_CHAT, RESIDENTS_CHAT, register
from tests.test_webhook import SECRET, free_port

# Each process answers within Telegram's limits (a burst of 30 reports from one person is
# answered at a few a second), so these take a while, the more on a busy machine.
pytestmark = [needs_pg, needs_redis, pytest.mark.timeout(240)]

PROCESSES = 2
REPORTS_EACH = 12
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class People:
    residents: FakeChat
    alice: FakeUser
    bob: FakeUser
    leader: FakeUser
    other_leader: FakeUser


@pytest.fixture
async def database(pg_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(pg_url)
    sessionmaker = create_sessionmaker(engine)
    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        community.created_at = utcnow() - timedelta(days=2)  # its daily runs are due
        community.settings = {**(community.settings or {}), "schedule": {
            "daily_feedback": "23:59", "weekly_redemption": "sun 23:59",
            "monthly_summary": "28 23:59", "yearly_commendation": "12-31 23:59"}}  # fmt: skip
        await session.commit()
    yield sessionmaker
    await engine.dispose()


async def start_processes(
    telegram: FakeTelegram, pg_url: str, tmp_path: Path
) -> tuple[list[asyncio.subprocess.Process], list[int]]:
    ports = [free_port() for _ in range(PROCESSES)]
    processes = []
    for n, port in enumerate(ports):
        env = {
            **os.environ,
            "BOT_TOKEN": telegram.token,
            "TELEGRAM_API_URL": telegram.url,
            "DATABASE_URL": pg_url,
            "REDIS_URL": REDIS_URL or "",
            "WEBHOOK_URL": "https://gridbot.example.org/telegram/webhook",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_HOST": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            "GRIDBOT_FLOOD_LIMIT": "1000/second",
            "GRIDBOT_SCHEDULER_TICK": "1",
        }
        log = (tmp_path / f"process-{n}.log").open("wb")
        processes.append(
            await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", env=env, cwd=ROOT,
                stdout=log, stderr=asyncio.subprocess.STDOUT,
            )
        )  # fmt: skip
    async with aiohttp.ClientSession() as http:
        for port in ports:
            for _ in range(300):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"process on {port} did not come up: see {tmp_path}")
    telegram.webhook_targets = [f"http://127.0.0.1:{p}/telegram/webhook" for p in ports]
    return processes, ports


async def stop_processes(processes: list[asyncio.subprocess.Process]) -> None:
    for process in processes:
        if process.returncode is None:
            process.terminate()
    for process in processes:
        await asyncio.wait_for(process.wait(), 20)


async def count(sessionmaker: async_sessionmaker[AsyncSession], query) -> int:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        return int(await session.scalar(query) or 0)


@pytest.fixture
async def people(telegram: FakeTelegram, database: async_sessionmaker[AsyncSession]) -> People:
    """The residents' and leaders' chats, two registered residents and two leaders."""
    found = People(
        residents=telegram.group(RESIDENTS_CHAT, "嘉木花园居民群"),
        alice=telegram.user(5001, "Alice"),
        bob=telegram.user(5002, "Bob"),
        leader=telegram.user(3001, "网格长甲"),
        other_leader=telegram.user(3002, "网格长乙"),
    )
    telegram.group(LEADERS_CHAT, "嘉木花园网格长群")
    owner = SimpleNamespace(sessionmaker=database)
    await register(owner, found.alice, "2号楼", "302")  # type: ignore[arg-type]
    await register(owner, found.bob, "2号楼", "501")  # type: ignore[arg-type]
    return found


async def test_two_processes_handle_each_update_once_and_send_each_row_once(
    telegram: FakeTelegram,
    pg_url: str,
    database: async_sessionmaker[AsyncSession],
    people: People,
    tmp_path: Path,
) -> None:
    residents, alice, bob = people.residents, people.alice, people.bob
    leader, other_leader = people.leader, people.other_leader
    processes, _ports = await start_processes(telegram, pg_url, tmp_path)
    try:
        assert len(telegram.calls_to("setWebhook")) == PROCESSES
        for person in (alice, bob, leader, other_leader):
            await person.send("/help")

        # A burst split across both processes, every update delivered twice.
        before = telegram.posted_update_ids
        sends = [
            person.send(f"/report 2号楼 {person.first_name} 第{n}处漏水", residents, wait=False)
            for n in range(REPORTS_EACH)
            for person in (alice, bob)
        ]
        await asyncio.gather(*sends)
        burst_ids = telegram.posted_update_ids - before
        await asyncio.gather(*(telegram.redeliver(u, wait=False) for u in burst_ids))

        def answered() -> Counter[int]:
            return Counter(u for u, _target, status in telegram.webhook_posts
                           if u in burst_ids and status == 200)  # fmt: skip

        await telegram.wait_for(lambda: answered() == dict.fromkeys(burst_ids, 2), timeout=150,
                                what="both deliveries of every update answered 200")  # fmt: skip
        targets = Counter(target for _id, target, _status in telegram.webhook_posts)
        assert len(targets) == PROCESSES  # both processes took part

        assert await count(database, select(func.count()).select_from(Request)) == 2 * REPORTS_EACH
        assert await count(
            database, select(func.count()).select_from(ProcessedUpdate)
        ) == len(telegram.acknowledged())

        # Two leaders press Claim on the same card at once, through different processes.
        card = await telegram.wait_for_message(LEADERS_CHAT, "R-0001", timeout=30)
        await asyncio.gather(leader.press(card, "认领"), other_leader.press(card, "认领"))
        async with database() as session:
            claims = await session.scalar(
                select(func.count()).where(RequestEvent.action == "claim")
            )
        assert claims == 1

        # The daily feedback falls due now: every process's scheduler sees it.
        async with database() as session:
            community = await session.scalar(select(Community))
            assert community is not None
            local = utcnow().astimezone(ZoneInfo(community.timezone))
            due = max(local - timedelta(minutes=1), local.replace(hour=0, minute=0))
            community.settings = {**community.settings, "schedule": {
                **community.settings["schedule"], "daily_feedback": f"{due:%H:%M}"}}  # fmt: skip
            await session.commit()
        await telegram.wait_for_message(LEADERS_CHAT, "每日反馈", timeout=30)
        await asyncio.sleep(3)  # three more ticks in each process: nothing more may come
        runs = select(func.count()).where(
            JobRun.job == "daily_feedback", JobRun.period == local.date().isoformat()
        )
        assert await count(database, runs) == 1
        digests = [m for m in telegram.messages_in(LEADERS_CHAT) if "每日反馈" in m.text]
        assert len(digests) == 1

        # Every outbox row is sent, and exactly once.
        pending = select(func.count()).where(OutboxMessage.status == OutboxStatus.PENDING)
        for _ in range(300):
            if await count(database, pending) == 0:
                break
            await asyncio.sleep(0.1)
        async with database() as session:
            rows = (await session.scalars(select(OutboxMessage))).all()
        assert rows and all(row.status == OutboxStatus.SENT for row in rows)
        senders = {row.leased_by for row in rows}
        assert senders == {None}  # leases are released once a row is settled
        sent = Counter(
            (int(params["chat_id"]), params["text"])
            for method, params in telegram.calls
            if method == "sendMessage"
        )
        for row in rows:
            if row.method == "sendMessage":
                assert sent[(row.chat_id, row.payload["text"])] == 1, row.payload
    finally:
        await stop_processes(processes)
    for n in range(PROCESSES):
        log = (tmp_path / f"process-{n}.log").read_text()
        assert "Traceback" not in log, log[-3000:]


async def test_no_acknowledged_update_is_lost_when_the_database_goes_away(
    telegram: FakeTelegram,
    pg_url: str,
    database: async_sessionmaker[AsyncSession],
    people: People,
    tmp_path: Path,
) -> None:
    residents, alice = people.residents, people.alice
    processes, _ports = await start_processes(telegram, pg_url, tmp_path)
    name = pg_url.rsplit("/", 1)[1]
    admin_url = pg_url.rsplit("/", 1)[0] + "/postgres"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        await alice.send("/help")
        burst = [alice.send(f"/report 2号楼 第{n}处漏水", residents, wait=False) for n in range(30)]
        first_half = asyncio.gather(*burst[:15])
        await first_half
        # The database goes away mid-burst: new connections refused, open ones cut.
        async with admin.connect() as connection:
            await connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            await connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"))  # fmt: skip
        await asyncio.gather(*burst[15:])
        # The database stays away until a process has refused a post for it (how long that
        # takes depends on the machine's load, not on anything under test).
        await telegram.wait_for(
            lambda: any(status != 200 for _update, _target, status in telegram.webhook_posts),
            timeout=60, what="a post refused while the database is away",
        )  # fmt: skip
        async with admin.connect() as connection:
            await connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        await telegram.wait_for(lambda: len(telegram.acknowledged()) == 31, timeout=150,
                                what="every update acknowledged")  # fmt: skip
        acknowledged = telegram.acknowledged()
        assert await count(database, select(func.count()).select_from(Request)) == 30
        assert await count(
            database, select(func.count()).select_from(ProcessedUpdate)
        ) == len(acknowledged)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        await admin.dispose()
        await stop_processes(processes)
