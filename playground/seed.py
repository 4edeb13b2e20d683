"""The demo community's database: the structure of demo.yaml, its people, and some history made
with the domain's own functions (the clock moved back for each step), so that the monthly
summary, /my, /points and the rewards have something to show from the first minute."""

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import Translator
from bot.notifier import Notifier
from models.base import clock_offset, set_clock_offset
from models.checkins import free_checkin, review_checkin
from models.importer import apply_structure, read_structure_file
from models.members import (
    Member,
    load_member,
    register_residence,
    touch_user,
    user_by_telegram_id,
)
from models.notices import take_notices
from models.points.ledger import adjust
from models.points.rewards import list_rewards, place_order
from models.requests import RequestKind
from models.requests.categories import list_categories
from models.requests.closing import confirm_wish, rate
from models.requests.intake import submit
from models.requests.workflow import claim, resolve
from models.structure import Building, list_communities
from playground.personas import NEIGHBOURS, OTHER_STAFF, PERSONAS

DEMO_STRUCTURE = Path(__file__).parent / "demo.yaml"


class Seeder:
    def __init__(self, session: AsyncSession, t: Translator, telegram_language: str) -> None:
        self.session = session
        self.t = t
        self.telegram_language = telegram_language
        self.members: dict[int, Member] = {}
        self.categories: dict[str, int] = {}
        self.community_id = 0

    @contextlib.asynccontextmanager
    async def at(self, moment: datetime) -> AsyncIterator[None]:
        """Let the domain believe it is `moment` (it reads the time through utcnow()); what
        it changed is flushed before the clock goes back, so column defaults hold `moment`."""
        previous = clock_offset()
        set_clock_offset(moment - datetime.now(UTC))
        try:
            yield
            await self.session.flush()
        finally:
            set_clock_offset(previous)

    async def member(self, telegram_id: int) -> Member:
        """The member as of now (roles and residence reloaded: they change while seeding)."""
        return await load_member(self.session, await user_by_telegram_id(self.session, telegram_id))

    async def person(self, telegram_id: int, name: str, home: tuple[str, str] | None) -> None:
        user = await touch_user(
            self.session, telegram_id, name, None, self.telegram_language, True
        )
        if home:
            building = await self.session.scalar(select(Building).where(
                Building.community_id == self.community_id, Building.name == home[0]))  # fmt: skip
            assert building is not None
            await register_residence(self.session, user, building.id, None, home[1])

    async def closed_report(
        self, start: datetime, resident: int, leader: int, text: str, category: str, *,
        claim_after: timedelta, resolve_after: timedelta, stars: int | None = None,
    ) -> None:  # fmt: skip
        """A report from submission to its rating, each step at its own time."""
        session = self.session
        async with self.at(start):
            submitted = await submit(
                session, await self.member(resident), RequestKind.REPORT, self.t(text),
                category_id=self.categories[category],
            )  # fmt: skip
        request_id = submitted.request.id
        async with self.at(start + claim_after):
            await claim(session, await self.member(leader), request_id)
        async with self.at(start + claim_after + resolve_after):
            await resolve(session, await self.member(leader), request_id,
                          self.t("playground-seed-bulb" if category == "lighting"
                                 else "playground-seed-done"))  # fmt: skip
        if stars is None:
            return
        rated = start + claim_after + resolve_after + timedelta(hours=2)
        async with self.at(rated):
            await rate(session, await self.member(resident), request_id, stars, stars >= 3, None)
        if stars < 3:  # not satisfied: it came back to the micro-grid, and was done again
            async with self.at(rated + timedelta(hours=1)):
                await claim(session, await self.member(leader), request_id)
            async with self.at(rated + timedelta(hours=5)):
                await resolve(session, await self.member(leader), request_id,
                              self.t("playground-seed-done"))  # fmt: skip
            async with self.at(rated + timedelta(hours=7)):
                await rate(session, await self.member(resident), request_id, 4, True, None)


async def seed(
    sessionmaker: async_sessionmaker[AsyncSession],
    t: Translator,
    notifier: Notifier,
    names: dict[int, str],
    telegram_language: str,
) -> None:
    """Fill an empty, migrated database. `names` are the people's names in the page's
    language. The history's notices are dropped (it happened before the demo began); what is
    still open is announced as it would have been, so its cards are in the chats."""
    async with sessionmaker() as session:
        await apply_structure(session, read_structure_file(DEMO_STRUCTURE).spec)
        community = (await list_communities(session))[0]
        seeder = Seeder(session, t, telegram_language)
        seeder.community_id = community.id
        seeder.categories = {c.code: c.id for c in await list_categories(session, community.id)}
        for persona in PERSONAS:
            await seeder.person(persona.id, names[persona.id], persona.home)
        for telegram_id, building in NEIGHBOURS:
            room = f"{telegram_id % 100}01"
            await seeder.person(telegram_id, names[telegram_id], (building, room))
        for _key, telegram_id in OTHER_STAFF:
            await seeder.person(telegram_id, names[telegram_id], None)

        await _last_month(seeder, ZoneInfo(community.timezone))
        take_notices(session)
        await session.commit()

        await _this_week(seeder)
        await notifier.flush(session)
        await session.commit()


def _local(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour, minute), zone).astimezone(UTC)


async def _last_month(seeder: Seeder, zone: ZoneInfo) -> None:
    """Last month's work, for the monthly summary: on time and late, pleased and not."""
    first = (datetime.now(zone).date().replace(day=1) - timedelta(days=1)).replace(day=1)
    hours = timedelta(hours=1)
    await seeder.closed_report(_local(first + timedelta(days=2), 8, 30, zone), 5001, 3001,
                               "playground-seed-lift-light", "lighting",
                               claim_after=hours / 2, resolve_after=5 * hours, stars=5)
    await seeder.closed_report(_local(first + timedelta(days=6), 19, 10, zone), 5002, 3002,
                               "playground-seed-parking", "parking",
                               claim_after=hours, resolve_after=20 * hours, stars=4)
    await seeder.closed_report(_local(first + timedelta(days=9), 12, 5, zone), 6001, 3002,
                               "playground-seed-noise", "noise",
                               claim_after=3 * hours, resolve_after=30 * hours, stars=2)
    await seeder.closed_report(_local(first + timedelta(days=14), 7, 40, zone), 6002, 3003,
                               "playground-seed-bins", "hygiene",
                               claim_after=hours, resolve_after=3 * hours, stars=5)
    await seeder.closed_report(_local(first + timedelta(days=20), 16, 0, zone), 6003, 3004,
                               "playground-seed-clutter", "hazard",
                               claim_after=2 * hours, resolve_after=40 * hours)  # fmt: skip

    # A micro-wish fulfilled by the volunteer, and a stamped free-form service.
    session, t = seeder.session, seeder.t
    start = _local(first + timedelta(days=11), 10, 0, zone)
    async with seeder.at(start):
        wish = await submit(session, await seeder.member(5001), RequestKind.WISH,
                            t("playground-seed-wheelchair"))  # fmt: skip
    async with seeder.at(start + timedelta(hours=1)):
        await claim(session, await seeder.member(5003), wish.request.id)
    async with seeder.at(start + timedelta(hours=26)):
        await resolve(session, await seeder.member(5003), wish.request.id)
    async with seeder.at(start + timedelta(hours=30)):
        await confirm_wish(session, await seeder.member(5001), wish.request.id, True)
    moment = _local(first + timedelta(days=17), 15, 0, zone)
    async with seeder.at(moment):
        checkin = await free_checkin(session, await seeder.member(5003),
                                     t("playground-seed-shopping"), None, moment)  # fmt: skip
        await review_checkin(session, await seeder.member(3001), checkin.id, True, None, moment)
    for user_id, amount, reason in ((5003, 60, "playground-seed-cleanup"),
                                    (5001, 30, "playground-seed-meeting")):  # fmt: skip
        async with seeder.at(moment + timedelta(days=3)):
            member = await seeder.member(user_id)
            await adjust(session, None, seeder.community_id, member.user, amount, t(reason),
                         key=f"demo:{user_id}:{reason}")  # fmt: skip


async def _this_week(seeder: Seeder) -> None:
    """What is still open: a report nobody has claimed, ten minutes before its claim deadline
    (so moving the clock an hour escalates it), and an order waiting for the weekly run."""
    session = seeder.session
    repair_claim_time = timedelta(hours=4)
    async with seeder.at(datetime.now(UTC) - repair_claim_time + timedelta(minutes=10)):
        await submit(session, await seeder.member(5002), RequestKind.REPORT,
                     seeder.t("playground-seed-door"), category_id=seeder.categories["repair"])
    rewards = await list_rewards(session, seeder.community_id)
    reward = next(line.reward for line in rewards if line.reward.cost == 50)
    await place_order(session, await seeder.member(5003), reward.id)
