"""Generate a district for the job and start-up benchmarks (not committed; about 1 GB).

50 communities, 2,000 micro-grids, 200,000 members, 500,000 requests over a year with their
event trails, 1,000,000 ledger entries, and 20,000 reward orders waiting for this week's
redemption. The structure goes through the real importer; the history is written in bulk.

    python -m bench.seed [--out bench/data/district.db] [--force]

The district's "today" is fixed (DAY below), so every run times the same work.
"""

import argparse
import asyncio
import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import DATA, console
from migrations import upgrade_async
from models.base import create_engine, create_sessionmaker
from models.checkins import CheckinStatus
from models.importer import apply_structure, parse_structure
from models.members import Role
from models.points import LedgerReason, OrderStatus
from models.points.rewards import iso_week
from models.requests import RequestKind, RoutingLevel
from models.requests import RequestStatus as Status

DAY = datetime(2026, 11, 22, tzinfo=UTC)  # the last full day before the jobs run
COMMUNITIES = 50
GRIDS_PER_COMMUNITY = 8
MICRO_GRIDS_PER_GRID = 5  # 2,000 micro-grids
BUILDINGS_PER_MICRO_GRID = 3
MEMBERS = 200_000  # 100 per micro-grid
VOLUNTEERS_PER_MICRO_GRID = 10
REQUESTS = 500_000
LEDGER_ENTRIES = 1_000_000
ORDERS = 20_000
CHECKINS = 40_000
REWARD_STOCKS = (100, 150, 100)
SEED = 20261122
EARNED = (LedgerReason.SERVICE, LedgerReason.SERVICE, LedgerReason.WISH, LedgerReason.TASK)


def micro_grid_index(c: int, g: int, m: int) -> int:
    return (c * GRIDS_PER_COMMUNITY + g) * MICRO_GRIDS_PER_GRID + m


def structure_yaml(c: int) -> str:
    lines = [f"community: 第{c + 1}社区", "timezone: Asia/Shanghai", f"admins: [{10_000 + c}]",
             f"admin_chat: {-1008000000000 - c}", "grids:"]  # fmt: skip
    for g in range(GRIDS_PER_COMMUNITY):
        lines += [f"  - name: 第{g + 1}网格", f"    workers: [{20_000 + c * 100 + g}]",
                  f"    chat: {-1008100000000 - c * 100 - g}", "    micro_grids:"]  # fmt: skip
        for m in range(MICRO_GRIDS_PER_GRID):
            n = micro_grid_index(c, g, m)
            lines += [
                f"      - name: 小区{n + 1}",
                f"        chat: {-1008200000000 - n}",
                f"        leaders_chat: {-1008300000000 - n}",
                f"        leaders: [{100_000 + 2 * n}, {100_001 + 2 * n}]",
                '        buildings: ["1号楼", "2号楼", "3号楼"]',
            ]
    lines += ["merchants:", "  - name: 好邻居超市", f"    members: [{30_000 + c}]", "rewards:"]
    for r, stock in enumerate(REWARD_STOCKS):
        lines += [f"  - name: 礼品{r + 1}", "    merchant: 好邻居超市", f"    cost: {20 + 10 * r}",
                  f"    weekly_stock: {stock}"]  # fmt: skip
    return "\n".join(lines) + "\n"


async def import_structure(url: str) -> None:
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        for c in range(COMMUNITIES):
            async with create_sessionmaker(engine)() as session:
                await apply_structure(session, parse_structure(structure_yaml(c)).spec)
                await session.commit()
    finally:
        await engine.dispose()


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


class History:
    """Writes a year of activity straight into the tables the importer created."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.rng = random.Random(SEED)
        self.start = DAY - timedelta(days=365)

    def moment(self, days_back_max: float = 365.0, days_back_min: float = 0.0) -> datetime:
        back = self.rng.uniform(days_back_min, days_back_max)
        return DAY + timedelta(days=1) - timedelta(days=back)

    def ids(self, sql: str) -> list[tuple]:
        return list(self.db.execute(sql))

    def insert(self, table: str, columns: str, rows: list[tuple]) -> None:
        """Rows whose values follow `columns` (names separated by spaces), in bulk."""
        names = columns.split()
        self.db.executemany(f"INSERT INTO {table} ({', '.join(names)})"
                            f" VALUES ({', '.join('?' * len(names))})", rows)  # fmt: skip

    def run(self) -> None:
        self.structure()
        self.members()
        self.requests()
        self.checkins()
        self.ledger_and_orders()

    def structure(self) -> None:
        self.micro_grids = self.ids(
            "SELECT id, community_id FROM micro_grids ORDER BY community_id, id")
        self.buildings: dict[int, list[int]] = {}
        for building_id, micro_grid_id in self.db.execute(
            "SELECT id, micro_grid_id FROM buildings ORDER BY id"
        ):
            self.buildings.setdefault(micro_grid_id, []).append(building_id)
        self.categories: dict[int, list[tuple[int, int, int]]] = {}
        for row in self.db.execute(
            "SELECT community_id, id, claim_minutes, resolve_minutes FROM categories"
        ):
            self.categories.setdefault(row[0], []).append(row[1:])
        self.leaders: dict[int, list[int]] = {}
        for user_id, micro_grid_id in self.db.execute(
            "SELECT user_id, micro_grid_id FROM role_assignments WHERE role = ?",
            (Role.LEADER.name,),
        ):
            self.leaders.setdefault(micro_grid_id, []).append(user_id)

    def members(self) -> None:
        per_micro_grid = MEMBERS // len(self.micro_grids)
        created = stamp(self.start)
        users, residences, roles = [], [], []
        next_id = self.db.execute("SELECT max(id) FROM users").fetchone()[0] + 1
        self.residents: dict[int, list[int]] = {}
        self.volunteers: dict[int, list[int]] = {}
        self.community_of: dict[int, int] = {}
        for micro_grid_id, community_id in self.micro_grids:
            grid_id = self.db.execute(
                "SELECT grid_id FROM micro_grids WHERE id = ?", (micro_grid_id,)).fetchone()[0]
            for n in range(per_micro_grid):
                user_id = next_id
                next_id += 1
                users.append((user_id, 5_000_000 + user_id, f"居民{user_id}", "zh", 1, 0, created))
                building = self.buildings[micro_grid_id][n % BUILDINGS_PER_MICRO_GRID]
                residences.append((user_id, community_id, micro_grid_id, building,
                                   f"{n % 30 + 1}0{n % 4 + 1}", created))  # fmt: skip
                self.residents.setdefault(micro_grid_id, []).append(user_id)
                self.community_of[user_id] = community_id
                if n < VOLUNTEERS_PER_MICRO_GRID:
                    self.volunteers.setdefault(micro_grid_id, []).append(user_id)
                    scope = f"c{community_id}:g{grid_id}:m{micro_grid_id}:s"
                    roles.append((user_id, Role.VOLUNTEER.name, community_id, grid_id,
                                  micro_grid_id, scope, "chat", created))  # fmt: skip
        self.insert("users", "id telegram_id full_name telegram_language private_chat_open"
                    " private_blocked created_at", users)
        self.insert("residences", "user_id community_id micro_grid_id building_id room"
                    " registered_at", residences)
        self.insert("role_assignments", "user_id role community_id grid_id micro_grid_id"
                    " scope_key source created_at", roles)

    def requests(self) -> None:
        """Most requests are long closed; those of the last days are still moving."""
        rng = self.rng
        rows, events = [], []
        numbers: dict[tuple[int, str], int] = {}
        for request_id in range(1, REQUESTS + 1):
            micro_grid_id, community_id = self.micro_grids[request_id % len(self.micro_grids)]
            resident = rng.choice(self.residents[micro_grid_id])
            wish = rng.random() < 0.2
            kind = (RequestKind.WISH if wish else RequestKind.REPORT).name
            numbers[(community_id, kind)] = number = numbers.get((community_id, kind), 0) + 1
            category_id, claim_minutes, resolve_minutes = (
                (None, 24 * 60, 7 * 24 * 60) if wish else rng.choice(self.categories[community_id])
            )
            created = self.moment()
            age = (DAY + timedelta(days=1) - created).total_seconds() / 86400
            claimer = rng.choice(self.volunteers[micro_grid_id] if wish
                                 else self.leaders[micro_grid_id])  # fmt: skip
            claimed_at = created + timedelta(minutes=rng.expovariate(1 / (claim_minutes * 0.6)))
            resolved_at = claimed_at + timedelta(
                minutes=rng.expovariate(1 / (resolve_minutes * 0.5)))  # fmt: skip
            now = DAY + timedelta(days=1)
            routed = created + timedelta(seconds=1)
            trail = [("submit", resident, None, "submitted", created),
                     ("route", None, "submitted", "routed", routed)]  # fmt: skip
            status, rating, satisfied, closed_at = Status.ROUTED, None, None, None
            if rng.random() < 0.03:
                status = Status.REJECTED
                trail.append(("reject", claimer, "routed", "rejected", claimed_at))
                claimed_at = resolved_at = None
            elif claimed_at >= now:
                claimed_at = resolved_at = None
            else:
                trail.append(("claim", claimer, "routed", "claimed", claimed_at))
                trail.append(("start", claimer, "claimed", "in_progress",
                              claimed_at + timedelta(minutes=5)))  # fmt: skip
                status = Status.IN_PROGRESS
                if resolved_at < now:
                    status = Status.RESOLVED
                    trail.append(("resolve", claimer, "in_progress", "resolved", resolved_at))
                    rated_at = resolved_at + timedelta(hours=rng.uniform(1, 30))
                    if age > 4 or rated_at < now - timedelta(days=1):
                        status, closed_at = Status.CLOSED, rated_at
                        if rng.random() < 0.8:
                            rating = rng.choice((3, 4, 4, 5, 5, 5))
                            satisfied = int(rating >= 4)
                        trail.append(("rate", resident, "resolved", "closed", rated_at))
                else:
                    resolved_at = None
            if status not in (Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED):
                claimer = None
            claim_deadline = created + timedelta(minutes=claim_minutes)
            resolve_deadline = claim_deadline + timedelta(minutes=resolve_minutes)
            last = trail[-1][4]
            rows.append((
                request_id, community_id, kind, number, category_id, micro_grid_id,
                self.buildings[micro_grid_id][resident % BUILDINGS_PER_MICRO_GRID], resident,
                f"需要处理的事项 {request_id}", 0, 0, status.name, len(trail), claimer,
                claimed_at and stamp(claimed_at), resolved_at and stamp(resolved_at),
                closed_at and stamp(closed_at), stamp(claim_deadline), stamp(resolve_deadline),
                RoutingLevel.MICRO_GRID.name, rating, satisfied, stamp(created), stamp(last),
            ))  # fmt: skip
            events += [(request_id, actor, action, before, after, stamp(at))
                       for action, actor, before, after, at in trail]  # fmt: skip
            if len(rows) >= 50_000:
                self._write_requests(rows, events)
                rows, events = [], []
        self._write_requests(rows, events)
        self.insert("request_counters", "community_id kind last_number",
                    [(c, k, n) for (c, k), n in numbers.items()])

    def _write_requests(self, rows: list[tuple], events: list[tuple]) -> None:
        self.insert("requests", "id community_id kind number category_id micro_grid_id"
                    " building_id resident_id text urgent share_contact status version"
                    " claimed_by_id claimed_at resolved_at closed_at claim_deadline"
                    " resolve_deadline escalation_level rating satisfied created_at updated_at",
                    rows)
        self.insert("request_events", "request_id actor_id action from_status to_status at",
                    events)

    def checkins(self) -> None:
        rng, rows = self.rng, []
        for n in range(CHECKINS):
            micro_grid_id, community_id = self.micro_grids[n % len(self.micro_grids)]
            volunteer = rng.choice(self.volunteers[micro_grid_id])
            at = self.moment()
            pending = (DAY + timedelta(days=1) - at) < timedelta(days=2) and rng.random() < 0.5
            minutes = rng.choice((30, 60, 90, 120))
            status = CheckinStatus.PENDING if pending else CheckinStatus.APPROVED
            rows.append((volunteer, community_id, micro_grid_id, "社区服务", status.name, stamp(at),
                         stamp(at + timedelta(minutes=minutes)), minutes,
                         None if pending else minutes // 6,
                         None if pending else self.leaders[micro_grid_id][0],
                         None if pending else stamp(at + timedelta(hours=3))))  # fmt: skip
        self.insert("checkins", "user_id community_id micro_grid_id description status"
                    " checked_in_at checked_out_at minutes points reviewer_id reviewed_at", rows)

    def ledger_and_orders(self) -> None:
        """Credits for service, wishes and tasks; holds for past and this week's orders."""
        rng = self.rng
        earners = [
            (user_id, community_id)
            for micro_grid_id, community_id in self.micro_grids
            for user_id in self.volunteers[micro_grid_id] + self.leaders[micro_grid_id]
        ]
        balances: dict[tuple[int, int], int] = {}
        rows = []
        week_start = DAY - timedelta(days=DAY.weekday())  # Monday of the redemption week
        week = iso_week(DAY, "UTC")
        rewards: dict[int, list[tuple[int, int]]] = {}
        for reward_id, community_id, cost in self.db.execute(
            "SELECT id, community_id, cost FROM rewards ORDER BY id"
        ):
            rewards.setdefault(community_id, []).append((reward_id, cost))
        orders = []
        for n in range(LEDGER_ENTRIES - ORDERS):
            user_id, community_id = earners[n % len(earners)]
            reason = rng.choice(EARNED).name
            amount = rng.randint(5, 20)
            rows.append((community_id, user_id, amount, reason, f"seed:{n}", stamp(self.moment())))
            balances[(user_id, community_id)] = balances.get((user_id, community_id), 0) + amount
        by_community: dict[int, list[int]] = {}
        for user_id, community_id in earners:
            by_community.setdefault(community_id, []).append(user_id)
        order_id = 0
        for community_id, people in sorted(by_community.items()):
            for _ in range(ORDERS // len(by_community)):
                reward_id, cost = rng.choice(rewards[community_id])
                user_id = rng.choice(people)
                if balances[(user_id, community_id)] < cost:
                    continue
                order_id += 1
                balances[(user_id, community_id)] -= cost
                at = week_start + timedelta(seconds=rng.uniform(0, 6 * 86400))
                orders.append((order_id, community_id, reward_id, user_id, cost, week,
                               OrderStatus.HELD.name, stamp(at)))  # fmt: skip
                rows.append((community_id, user_id, -cost, LedgerReason.ORDER_HOLD.name,
                             f"order:{order_id}", stamp(at)))  # fmt: skip
        self.insert("ledger_entries", "community_id user_id amount reason idempotency_key"
                    " created_at", rows)
        self.insert("redemption_orders", "id community_id reward_id user_id cost week status"
                    " created_at", orders)
        self.insert("point_balances", "user_id community_id balance",
                    [(u, c, b) for (u, c), b in balances.items()])


def seed(path: Path) -> dict[str, int]:
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(".partial")
    scratch.unlink(missing_ok=True)
    asyncio.run(import_structure(f"sqlite+aiosqlite:///{scratch}"))
    db = sqlite3.connect(scratch)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    # The importer counts from the real "now"; the district's history starts a year back.
    db.execute("UPDATE communities SET created_at = ?", (stamp(DAY - timedelta(days=400)),))
    with db:
        History(db).run()
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("ANALYZE")
    counts = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("communities", "micro_grids", "users", "requests", "request_events",
                            "ledger_entries", "redemption_orders", "checkins")}  # fmt: skip
    db.close()
    scratch.rename(path)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA / "district.db")
    parser.add_argument("--force", action="store_true", help="generate again if it exists")
    args = parser.parse_args()
    if args.out.exists() and not args.force:
        console.print(f"{args.out} exists; --force generates it again")
        return
    started = time.perf_counter()
    counts = seed(args.out)
    console.print(f"generated {args.out} in {time.perf_counter() - started:.0f} s: "
                  + ", ".join(f"{n:,} {table}" for table, n in counts.items()))  # fmt: skip


if __name__ == "__main__":
    main()
