"""Care ledger test helpers: a data key, a second grid with its own leader, a household."""

import pytest
from sqlalchemy import select

from bot.app import App
from models.care.access import Viewer
from models.care.crypto import new_key
from models.care.households import save_household
from models.care.tables import Colour, Household
from models.members import Role, grant_role, load_member, touch_user
from models.structure import Building, Grid, MicroGrid
from playground import FakeTelegram, FakeUser

OTHER_LEADER = 3009  # leads 东苑, a micro-grid of another grid


@pytest.fixture(autouse=True)
def data_key(monkeypatch: pytest.MonkeyPatch) -> str:
    """Every care test's bot has a data key (settings read it from the environment)."""
    key = new_key()
    monkeypatch.setenv("GRIDBOT_DATA_KEY", key)
    return key


async def add_other_area(app: App, telegram: FakeTelegram) -> FakeUser:
    """A second grid and micro-grid with a leader of their own, who has pressed Start."""
    async with app.sessionmaker() as session:
        first = await session.scalar(select(Grid))
        assert first is not None
        grid = Grid(community_id=first.community_id, name="第二网格")
        session.add(grid)
        await session.flush()
        micro_grid = MicroGrid(community_id=grid.community_id, grid_id=grid.id, name="东苑")
        session.add(micro_grid)
        await session.flush()
        session.add(
            Building(community_id=grid.community_id, micro_grid_id=micro_grid.id, name="9号楼")
        )
        user = await touch_user(session, OTHER_LEADER, "东苑网格长", None, "zh", True)
        await grant_role(
            session,
            user,
            Role.LEADER,
            grid.community_id,
            grid_id=grid.id,
            micro_grid_id=micro_grid.id,
        )
        await session.commit()
    person = telegram.user(OTHER_LEADER, "东苑网格长")
    await person.send("/help")
    return person


async def add_household(
    app: App,
    room: str = "302",
    colour: Colour = Colour.RED,
    phone: str | None = "13800001111",
    building: str = "2号楼",
    people: str = "王奶奶",
) -> int:
    """A household put on the ledger by the leader of 嘉木花园 (3001)."""
    async with app.sessionmaker() as session:
        leader = await touch_user(session, 3001, "网格长甲", None, "zh", True)
        member = await load_member(session, leader)
        building_row = await session.scalar(select(Building).where(Building.name == building))
        assert building_row is not None
        household, _ = await save_household(
            session,
            Viewer.of(member),
            building_id=building_row.id,
            unit_id=None,
            room=room,
            colour=colour,
            reason="独居老人",
            people=people,
            phone=phone,
        )
        await session.commit()
        return household.id


async def household_at(app: App, room: str) -> Household:
    async with app.sessionmaker() as session:
        household = await session.scalar(select(Household).where(Household.room == room))
        assert household is not None
        return household
