"""Update throughput and latency: a realistic mix of updates through the real Dispatcher.

Residents register, report issues and post wishes in their groups; leaders claim, start and
resolve reports; volunteers claim wishes and record service that leaders approve; people
ask for their points. Every update goes through the bot's whole stack (middlewares, database,
chat state, outbox) with a Bot session that answers in memory. Two floors are fed the very
same updates: aiogram's own Dispatcher with a no-op handler, and per backend a database
floor (bench/db_floor.py: minimal handlers making the same essential reads and writes in the
fewest statements), round by round as the bot handles them, so a machine whose speed drifts
during the run slows both alike. Updates are handled one after another, as one polling loop
does when each handler is awaited. The SQL statements of each update are counted, and those run
before its handler began.

    python -m bench.updates [--rounds N] [--micro-grids N]

Set GRIDBOT_BENCH_PG_URL (a PostgreSQL server URL) to run on PostgreSQL as well; the script
creates and drops its own database there.
"""

import argparse
import itertools
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvloop
from aiogram import Bot, Dispatcher, Router
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.common import at_least, peak_rss_mib, percentile, print_table, write_results
from bench.db_floor import Floor
from bench.offline import BOT_USER, TOKEN, offline_bot
from bench.pg import scratch_database
from bot import answers
from bot.app import App
from bot.settings import Settings
from handlers.callbacks import CheckinReview, RegAction, RegPick, RequestAction
from migrations import upgrade_async
from models.base import create_engine, create_sessionmaker, database_url
from models.checkins import Checkin
from models.importer import apply_structure, parse_structure
from models.members import (
    User,
    become_volunteer,
    load_member,
    register_residence,
    touch_user,
)
from models.requests import Request, RequestKind
from models.structure import Building, MicroGrid
from models.updates import ProcessedUpdate

RESIDENTS_PER_MICRO_GRID = 10
UPDATES_PER_MICRO_GRID_ROUND = 14  # what `drive` sends for one micro-grid in one round
REPORT_TEXTS = ("楼道灯坏了，晚上看不见", "小区门口有车乱停堵住消防通道", "楼上装修噪音太大",
                "垃圾桶满了没人清理", "单元门禁坏了关不上", "路面井盖松动有安全隐患")  # fmt: skip
WISH_TEXTS = ("想请人帮忙买菜送到家", "家里老人需要陪同去医院复诊", "孩子想借几本课外书")


def structure_yaml(micro_grids: int) -> str:
    lines = ["community: 基准社区", "timezone: Asia/Shanghai", "admins: [1001]",
             "admin_chat: -1009000000001", "grids:"]  # fmt: skip
    per_grid = 5
    for g in range(-(-micro_grids // per_grid)):
        lines += [f"  - name: 第{g + 1}网格", f"    workers: [{2000 + g}]",
                  f"    chat: {-1009000001000 - g}", "    micro_grids:"]  # fmt: skip
        for m in range(g * per_grid, min(micro_grids, (g + 1) * per_grid)):
            lines += [
                f"      - name: 小区{m + 1}",
                f"        chat: {chat_of(m)}",
                f"        leaders_chat: {leaders_chat_of(m)}",
                f"        leaders: [{leader_of(m, 0)}, {leader_of(m, 1)}]",
                '        buildings: ["1号楼", "2号楼", "3号楼"]',
            ]
    lines += ["merchants:", "  - name: 好邻居超市", "    members: [4001]",
              "rewards:", "  - name: 洗衣液一瓶", "    merchant: 好邻居超市", "    cost: 50",
              "    weekly_stock: 10"]  # fmt: skip
    return "\n".join(lines) + "\n"


def chat_of(m: int) -> int:
    return -1009000100000 - m


def leaders_chat_of(m: int) -> int:
    return -1009000200000 - m


def leader_of(m: int, n: int) -> int:
    return 300_000 + 2 * m + n


def resident_of(m: int, n: int) -> int:
    return 500_000 + RESIDENTS_PER_MICRO_GRID * m + n


def name_of(telegram_id: int) -> str:
    return f"居民{telegram_id}"


@dataclass
class Traffic:
    """Builds updates as Telegram would send them, and remembers each with its kind."""

    bot_id: int = BOT_USER["id"]
    ids: "itertools.count[int]" = field(default_factory=lambda: itertools.count(1))
    message_ids: "itertools.count[int]" = field(default_factory=lambda: itertools.count(1))
    log: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @staticmethod
    def person(telegram_id: int) -> dict[str, Any]:
        return {"id": telegram_id, "is_bot": False, "first_name": name_of(telegram_id),
                "language_code": "zh-hans"}  # fmt: skip

    @staticmethod
    def chat(chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "居民"}
        return {"id": chat_id, "type": "supergroup", "title": "群"}

    def message(self, kind: str, sender: int, chat_id: int, text: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self.message_ids), "date": int(time.time()),
            "chat": self.chat(chat_id), "from": self.person(sender), "text": text,
        }  # fmt: skip
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._update(kind, {"message": message})

    def press(self, kind: str, sender: int, chat_id: int, data: str) -> dict[str, Any]:
        card = {"message_id": next(self.message_ids), "date": int(time.time()),
                "chat": self.chat(chat_id), "from": BOT_USER, "text": "card"}  # fmt: skip
        query = {"id": str(next(self.ids)), "from": self.person(sender), "message": card,
                 "chat_instance": str(chat_id), "data": data}  # fmt: skip
        return self._update(kind, {"callback_query": query})

    def _update(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self.ids), **body}
        self.log.append((kind, update))
        return update


Handle = Callable[[dict[str, Any]], Awaitable[None]]


def handler_for(dispatcher: Dispatcher, bot: Bot) -> Handle:
    """What a polling loop does with one update: parse it, dispatch it, and send the method
    a handler returned."""

    async def handle(raw: dict[str, Any]) -> None:
        update = Update.model_validate(raw, context={"bot": bot})
        result = await dispatcher.feed_update(bot, update)
        if isinstance(result, TelegramMethod):
            await bot(result)

    return handle


class StatementCounter:
    """Counts the SQL statements an engine runs, and where the update's handler began."""

    def __init__(self, engine: AsyncEngine | None = None) -> None:
        self.count = 0
        self.at_handler: int | None = None
        if engine is not None:
            event.listen(engine.sync_engine, "before_cursor_execute", self._counted)

    def _counted(self, *_args: Any) -> None:
        self.count += 1

    def watch_handlers(self, dispatcher: Dispatcher) -> None:
        """Notes the count when a feature handler is about to run (an inner middleware on the
        root router runs for every handler of every router below it)."""

        async def mark(handler: Callable[..., Awaitable[Any]], event: Any, data: Any) -> Any:
            if self.at_handler is None:
                self.at_handler = self.count
            return await handler(event, data)

        dispatcher.message.middleware(mark)
        dispatcher.callback_query.middleware(mark)


class Recorder:
    def __init__(self, handle: Handle, statements: StatementCounter | None = None) -> None:
        self.handle = handle
        self.statements = statements or StatementCounter()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.counts: dict[str, list[int]] = defaultdict(list)
        self.before_handler: dict[str, list[int]] = defaultdict(list)
        self.busy = 0.0
        self.cpu = 0.0  # the process's CPU time (all its threads) while handling

    async def __call__(self, kind: str, update: dict[str, Any]) -> None:
        statements = self.statements
        first, statements.at_handler = statements.count, None
        started, cpu_started = time.perf_counter(), time.process_time()
        await self.handle(update)
        elapsed = time.perf_counter() - started
        self.busy += elapsed
        self.cpu += time.process_time() - cpu_started
        self.latencies[kind].append(elapsed * 1000)
        self.counts[kind].append(statements.count - first)
        at_handler = statements.count if statements.at_handler is None else statements.at_handler
        self.before_handler[kind].append(at_handler - first)


async def _setup(
    sessionmaker: async_sessionmaker[AsyncSession], micro_grids: int
) -> dict[int, list[int]]:
    """The structure, and residents who are registered volunteers with their private chat
    open; returns each micro-grid's building ids."""
    async with sessionmaker() as session:
        await apply_structure(session, parse_structure(structure_yaml(micro_grids)).spec)
        await session.flush()
        grids = (await session.scalars(select(MicroGrid).order_by(MicroGrid.id))).all()
        buildings: dict[int, list[int]] = {}
        for m, micro_grid in enumerate(grids):
            buildings[m] = list((await session.scalars(
                select(Building.id).where(Building.micro_grid_id == micro_grid.id)
                .order_by(Building.id))).all())  # fmt: skip
            for n in (0, 1):
                await touch_user(session, leader_of(m, n), name_of(leader_of(m, n)), None, "zh",
                                 True)  # fmt: skip
            for n in range(RESIDENTS_PER_MICRO_GRID):
                resident = resident_of(m, n)
                user = await touch_user(session, resident, name_of(resident), None, "zh", True)
                await register_residence(session, user, buildings[m][n % 3], None, f"{n + 1}01")
                await become_volunteer(session, await load_member(session, user))
        await session.commit()
        return buildings


async def _newest(app: App, telegram_id: int, id_column: Any, owner_column: Any,
                  *conditions: Any) -> int:  # fmt: skip
    """The id of the newest row (request, check-in) this person made, to press its buttons."""
    async with app.sessionmaker() as session:
        user_id = select(User.id).where(User.telegram_id == telegram_id).scalar_subquery()
        newest = await session.scalar(select(id_column).where(owner_column == user_id, *conditions)
                                      .order_by(id_column.desc()).limit(1))  # fmt: skip
        assert newest is not None, f"nothing from {telegram_id}"
        return newest


Record = Callable[[str, dict[str, Any]], Awaitable[None]]


async def drive(app: App, record: Record, traffic: Traffic, rounds: int, micro_grids: int,
                buildings: dict[int, list[int]]) -> None:  # fmt: skip
    """The day's traffic, micro-grid by micro-grid, round after round."""

    async def say(kind: str, sender: int, chat: int, text: str) -> None:
        await record(kind, traffic.message(kind, sender, chat, text))

    async def press(kind: str, sender: int, chat: int, data: str) -> None:
        await record(kind, traffic.press(kind, sender, chat, data))

    newcomers = itertools.count(900_000)
    for r in range(rounds):
        for m in range(micro_grids):
            group, leaders = chat_of(m), leaders_chat_of(m)
            leader = leader_of(m, r % 2)
            reporter = resident_of(m, r % RESIDENTS_PER_MICRO_GRID)
            wisher = resident_of(m, (r + 3) % RESIDENTS_PER_MICRO_GRID)
            helper = resident_of(m, (r + 6) % RESIDENTS_PER_MICRO_GRID)

            newcomer = next(newcomers)  # registers from the group's join link
            await say("registration", newcomer, newcomer, f"/start join-{m + 1}")
            building = RegPick(level="building", id=buildings[m][r % 3])
            await press("registration", newcomer, newcomer, building.pack())
            await say("registration", newcomer, newcomer, "302")
            await press("registration", newcomer, newcomer, RegAction(action="confirm").pack())

            text = REPORT_TEXTS[(r + m) % len(REPORT_TEXTS)]
            await say("group report", reporter, group, f"#报事 {text}（第{r + 1}次）")
            await say("group wish", wisher, group, f"#微心愿 {WISH_TEXTS[r % 3]}")

            report = await _newest(app, reporter, Request.id, Request.resident_id,
                                   Request.kind == RequestKind.REPORT)  # fmt: skip
            wish = await _newest(app, wisher, Request.id, Request.resident_id,
                                 Request.kind == RequestKind.WISH)  # fmt: skip
            for action in ("claim", "start", "resolve"):
                data = RequestAction(action=action, id=report).pack()
                await press(f"{action} press", leader, leaders if action == "claim" else leader,
                            data)  # fmt: skip
            await say("resolve note", leader, leader, "已处理完毕")
            await press("claim press", helper, group, RequestAction(action="claim", id=wish).pack())

            await say("check-in", helper, helper, "/checkin 陪社区老人聊天一小时")
            checkin = await _newest(app, helper, Checkin.id, Checkin.user_id)
            approve = CheckinReview(id=checkin, approve=True)
            await press("approve press", leader, leader, approve.pack())
            await say("/points", reporter, reporter, "/points")


async def bot_run(database_url: str, floor_url: str, rounds: int,
                  micro_grids: int) -> dict[str, Any]:  # fmt: skip
    """The day's traffic through the bot and, round by round, the same updates through the
    database floor on a database of its own: a machine whose speed drifts over a run (a
    virtual machine's does, by a third within a minute) then slows or speeds both alike, and
    their ratio holds. Whole rounds, not update by update, so neither runs with its caches
    just emptied by the other."""
    await upgrade_async(database_url)
    settings = Settings(BOT_TOKEN=TOKEN, DATABASE_URL=database_url, GRIDBOT_ADMIN_IDS="1001",
                        # a day's traffic compressed into seconds; each person's limit
                        # would otherwise refuse it
                        GRIDBOT_FLOOD_LIMIT="1000/second")  # fmt: skip
    app = App.build(settings, run_scheduler=False)
    # Answers go straight to the offline session, and a receipt a group cannot take at once
    # goes privately without waiting: this run sends a day's posts to a group within seconds,
    # and Telegram's limits would pace it; bench.answers measures them.
    answers.GROUP_PATIENCE = 0.0
    app.bot = offline_bot()
    await app.prepare()
    await app.stop_sender()  # sending is measured by bench.delivery
    await upgrade_async(floor_url)
    floor_engine = create_engine(floor_url)
    try:
        buildings = await _setup(app.sessionmaker, micro_grids)
        # the floor's rows are made in the same order, so the ids in the buttons match
        await _setup(create_sessionmaker(floor_engine), micro_grids)
        statements = StatementCounter(app.engine)
        statements.watch_handlers(app.dispatcher)
        record = Recorder(handler_for(app.dispatcher, app.bot), statements)
        floor_dispatcher = Floor(floor_engine).dispatcher()
        floor_statements = StatementCounter(floor_engine)
        floor_statements.watch_handlers(floor_dispatcher)
        floor = Recorder(handler_for(floor_dispatcher, offline_bot()), floor_statements)

        round_of_updates = UPDATES_PER_MICRO_GRID_ROUND * micro_grids
        this_round: list[tuple[str, dict[str, Any]]] = []

        async def both(kind: str, update: dict[str, Any]) -> None:
            await record(kind, update)
            this_round.append((kind, update))
            if len(this_round) == round_of_updates:
                await replay()

        async def replay() -> None:
            for update in this_round:
                await floor(*update)
            this_round.clear()

        traffic = Traffic()
        await drive(app, both, traffic, rounds, micro_grids, buildings)
        await replay()
        async with app.sessionmaker() as session:
            outcome = {
                "updates recorded": await session.scalar(
                    select(func.count(ProcessedUpdate.update_id))),
                "updates failed": await session.scalar(
                    select(func.count()).where(ProcessedUpdate.error.is_not(None))),
                "requests": await session.scalar(select(func.count(Request.id))),
                "resolved": await session.scalar(
                    select(func.count()).where(Request.resolved_at.is_not(None))),
                "check-ins approved": await session.scalar(
                    select(func.count()).where(Checkin.points.is_not(None))),
            }  # fmt: skip
        return {"record": record, "floor": floor, "traffic": traffic, "outcome": outcome,
                "calls": dict(app.bot.session.calls)}  # fmt: skip
    finally:
        await floor_engine.dispose()
        await app.stop()


async def floor_run(updates: list[tuple[str, dict[str, Any]]]) -> Recorder:
    bot = offline_bot()
    router = Router()

    async def nothing(_event: Any) -> None:
        return None

    router.message.register(nothing)
    router.callback_query.register(nothing)
    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    for _kind, update in updates[:200]:  # warm up, as the bot's run is by its setup
        await handler_for(dispatcher, bot)(update)
    record = Recorder(handler_for(dispatcher, bot))
    for kind, update in updates:
        await record(kind, update)
    return record


def summarise(name: str, record: Recorder) -> dict[str, Any]:
    count = sum(len(v) for v in record.latencies.values())
    per_kind = {
        kind: {"count": len(values), "p50_ms": round(percentile(values, 50), 2),
               "p99_ms": round(percentile(values, 99), 2), "max_ms": round(max(values), 2),
               "statements": round(sum(record.counts[kind]) / len(values), 1),
               "statements_before_handler": max(record.before_handler[kind])}
        for kind, values in sorted(record.latencies.items())
    }  # fmt: skip
    return {"backend": name, "updates": count, "busy_s": round(record.busy, 3),
            "updates_per_s": round(count / record.busy, 1),
            "cpu_ms_per_update": round(1000 * record.cpu / count, 2),
            "per_type": per_kind}  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=at_least(1), default=6)
    parser.add_argument("--micro-grids", type=at_least(1), default=20)
    args = parser.parse_args()
    server = os.environ.get("GRIDBOT_BENCH_PG_URL")
    if server:
        try:
            database_url(server)
        except ValueError as error:
            parser.error(f"GRIDBOT_BENCH_PG_URL: {error}")

    runs: list[dict[str, Any]] = []  # per backend: the bot, then its database floor
    with tempfile.TemporaryDirectory() as scratch:
        sqlite = await bot_run(f"sqlite+aiosqlite:///{Path(scratch) / 'bench.db'}",
                               f"sqlite+aiosqlite:///{Path(scratch) / 'floor.db'}",
                               args.rounds, args.micro_grids)  # fmt: skip
    log = sqlite["traffic"].log
    runs.append(summarise("sqlite", sqlite["record"]) | {"outcome": sqlite["outcome"]})
    runs.append(summarise("sqlite database floor", sqlite["floor"]))
    if server:
        try:
            async with (scratch_database(server, "gridbot_bench_updates") as url,
                        scratch_database(server, "gridbot_bench_floor") as floor_url):
                postgres = await bot_run(url, floor_url, args.rounds, args.micro_grids)
        except OSError as error:  # no server there
            sys.exit(f"GRIDBOT_BENCH_PG_URL={server}: {error}")
        runs.append(summarise("postgresql", postgres["record"]) | {"outcome": postgres["outcome"]})
        runs.append(summarise("postgresql database floor", postgres["floor"]))
    floor = summarise("aiogram floor (no-op handler)", await floor_run(log))
    bots = runs[::2]
    db_floors = {run["backend"]: floor_of for run, floor_of in zip(bots, runs[1::2], strict=True)}

    def share(run: dict[str, Any], of: dict[str, Any]) -> float:
        return round(100 * run["updates_per_s"] / of["updates_per_s"], 1)

    rows = [[run["backend"], run["updates"], run["updates_per_s"], run["cpu_ms_per_update"],
             f"{share(run, floor)}%",
             f"{share(run, db_floors[run['backend']])}%" if run in bots else ""]
            for run in [floor, *runs]]  # fmt: skip
    columns = ["run", "updates", "updates/s", "CPU ms/update", "of aiogram floor",
               "of database floor"]
    print_table("Throughput (one update after another)", columns, rows)
    kinds = list(runs[0]["per_type"])
    names = {run["backend"]: run["backend"].replace("database floor", "db floor")
             .replace(" (no-op handler)", "") for run in [floor, *runs]}  # fmt: skip
    columns = ["update type", "count"]
    for run in [floor, *runs]:
        columns += [f"{names[run['backend']]} p50 ms", "p99 ms"]
    table = []
    for kind in kinds:
        row: list[Any] = [kind, runs[0]["per_type"][kind]["count"]]
        for run in [floor, *runs]:
            row += [run["per_type"][kind]["p50_ms"], run["per_type"][kind]["p99_ms"]]
        table.append(row)
    print_table("Latency per update type", columns, table)
    columns = ["update type"]
    for run in runs:
        columns += [f"{names[run['backend']]}", "before handler (most)"]
    print_table("SQL statements per update (mean)", columns, [
        [kind, *itertools.chain.from_iterable(
            (run["per_type"][kind]["statements"],
             run["per_type"][kind]["statements_before_handler"]) for run in runs)]
        for kind in kinds])  # fmt: skip
    for run in bots:
        print_table(f"What the {run['backend']} run did", ["outcome", "count"],
                    [[k, v] for k, v in run["outcome"].items()])  # fmt: skip
    targets = {
        "share_of_database_floor_pct": {run["backend"]: share(run, db_floors[run["backend"]])
                                        for run in bots},
        "worst_p99_ms": {run["backend"]: max(v["p99_ms"] for v in run["per_type"].values())
                         for run in bots},
        "most_statements_before_handler": max(v["statements_before_handler"]
                                              for run in bots for v in run["per_type"].values()),
    }  # fmt: skip
    print_table("Targets", ["target", "measured"], [
        *[[f"≥ 50% of the database floor's throughput ({name})", f"{value}%"]
          for name, value in targets["share_of_database_floor_pct"].items()],
        *[[f"p50 /points ≤ 3 ms, group report ≤ 6 ms ({run['backend']})",
           f"{run['per_type']['/points']['p50_ms']} ms, "
           f"{run['per_type']['group report']['p50_ms']} ms"] for run in bots],
        *[[f"p99 ≤ 15 ms for every type ({name})", f"worst {value} ms"]
          for name, value in targets["worst_p99_ms"].items()],
        ["≤ 4 statements before the handler", targets["most_statements_before_handler"]],
    ])  # fmt: skip
    write_results("updates", {"floor": floor, "runs": runs, "targets": targets,
                              "bot_api_calls": sqlite["calls"], "peak_rss_mib": peak_rss_mib()})


if __name__ == "__main__":
    uvloop.run(main())
