"""Exactly one claimer wins, also when many press at the same instant (SQLite and PostgreSQL)."""

import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.errors import InvalidState
from models.members import Role, User, grant_role, load_member, register_residence, touch_user
from models.notices import take_notices
from models.requests import Request, RequestEvent, RequestKind, RequestStatus
from models.requests.intake import submit
from models.requests.workflow import claim
from models.structure import Building, MicroGrid
from tests.conftest import import_structure
from tests.helpers import statements_run

CLAIMERS = 8


async def seed(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        resident = await touch_user(session, 5001, "Alice", None, "zh", True)
        building = await session.scalar(select(Building).where(Building.name == "2号楼"))
        micro = await session.scalar(select(MicroGrid))
        assert building and micro
        await register_residence(session, resident, building.id, None, "302")
        for n in range(CLAIMERS):
            leader = await touch_user(session, 7000 + n, f"网格长{n}", None, "zh", True)
            await grant_role(
                session, leader, Role.LEADER, micro.community_id,
                grid_id=micro.grid_id, micro_grid_id=micro.id,
            )  # fmt: skip
        member = await load_member(session, resident)
        submitted = await submit(session, member, RequestKind.REPORT, "楼道灯坏了")
        take_notices(session)
        await session.commit()
        return submitted.request.id


async def test_concurrent_claims_have_one_winner(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    request_id = await seed(sessionmaker)
    start = asyncio.Event()

    async def press(n: int) -> str:
        async with sessionmaker() as session:
            user = await touch_user(session, 7000 + n, f"网格长{n}", None, "zh", True)
            member = await load_member(session, user)
            await session.commit()
            await start.wait()
            try:
                await claim(session, member, request_id)
                take_notices(session)
                await session.commit()
                return "won"
            except InvalidState as lost:
                await session.rollback()
                return f"lost:{lost.args_for_message.get('by')}"

    tasks = [asyncio.create_task(press(n)) for n in range(CLAIMERS)]
    await asyncio.sleep(0.05)
    start.set()
    results = await asyncio.gather(*tasks)

    assert results.count("won") == 1
    async with sessionmaker() as session:
        request = await session.get(Request, request_id)
        assert request is not None and request.status == RequestStatus.CLAIMED
        winner_index = results.index("won")
        winner = await session.scalar(select(User).where(User.telegram_id == 7000 + winner_index))
        assert winner is not None and request.claimed_by_id == winner.id
        # Every loser was told who has it.
        assert all(r == f"lost:{winner.full_name}" for r in results if r != "won")
        claims = await session.scalar(
            select(func.count()).where(
                RequestEvent.request_id == request_id, RequestEvent.action == "claim"
            )
        )
        assert claims == 1


async def test_a_claim_and_its_trail_entry_are_written_together(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """The change and its step in the trail carry the same instant; on PostgreSQL a single
    statement writes both."""
    request_id = await seed(sessionmaker)
    async with sessionmaker() as session:
        user = await touch_user(session, 7000, "网格长0", None, "zh", True)
        member = await load_member(session, user)
        with statements_run(session.bind, lambda statement: (
                "UPDATE requests" in statement or "INSERT INTO request_events" in statement)
        ) as written:  # fmt: skip
            await claim(session, member, request_id)
        take_notices(session)
        await session.commit()
    assert len(written) == (1 if session.bind.dialect.name == "postgresql" else 2), written
    async with sessionmaker() as session:
        request = await session.get(Request, request_id)
        step = await session.scalar(select(RequestEvent).where(
            RequestEvent.request_id == request_id, RequestEvent.action == "claim"))  # fmt: skip
    assert request is not None and step is not None
    assert (step.actor_id, step.from_status, step.to_status, step.note) == (
        user.id, RequestStatus.ROUTED.value, RequestStatus.CLAIMED.value, None)
    assert step.at == request.updated_at
