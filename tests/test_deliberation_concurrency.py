"""Deliberation under concurrency, on SQLite and PostgreSQL: one ballot per household however
many presses arrive at once, one screening wins, a vote and the close never interleave, and two
processes' jobs close a vote exactly once."""

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import Catalog
from bot.notifier import Notifier
from models.base import create_engine, create_sessionmaker, utcnow
from models.deliberation import (
    AGAINST,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    ProposalVote,
    Scope,
)
from models.deliberation.workflow import (
    accept,
    add_option,
    cast_vote,
    close_vote,
    decline,
    open_vote,
    submit_proposal,
)
from models.errors import DomainError, InvalidState
from models.jobs import JobRun
from models.members import Member, load_member, register_residence, touch_user
from models.notices import take_notices
from models.outbox import OutboxMessage
from models.structure import Building
from scheduler.vote_close import VoteCloseJob
from tests.conftest import import_structure

HOUSEHOLDS = 4  # two residents each
WORKER, ADMIN = 2001, 1001


def resident_id(n: int) -> int:
    return 7000 + n


async def member(session: AsyncSession, telegram_id: int) -> Member:
    user = await touch_user(session, telegram_id, f"user{telegram_id}", None, "zh", True)
    return await load_member(session, user)


async def seed(sessionmaker: async_sessionmaker[AsyncSession], open_it: bool = True) -> int:
    """Residents of HOUSEHOLDS rooms of 2号楼, and a proposal (voting when `open_it`)."""
    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        building = await session.scalar(select(Building).where(Building.name == "2号楼"))
        assert building is not None
        for n in range(HOUSEHOLDS * 2):
            user = await touch_user(session, resident_id(n), f"居民{n}", None, "zh", True)
            await register_residence(session, user, building.id, None, f"{101 + n // 2}")
        proposer = await member(session, resident_id(0))
        proposal = await submit_proposal(session, proposer, "加装电梯", "需要电梯", Scope.GRID)
        if open_it:
            admin = await member(session, ADMIN)
            await accept(session, admin, proposal.id, "minor")
            await add_option(session, admin, proposal.id, "加装")
            await add_option(session, admin, proposal.id, "不装，改扶手")
            await open_vote(session, admin, proposal.id)
        take_notices(session)
        await session.commit()
        return proposal.id


async def test_concurrent_votes_count_once_per_household(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    proposal_id = await seed(sessionmaker)
    start = asyncio.Event()

    async def press(n: int, choice: int) -> int:
        async with sessionmaker() as session:
            voter = await member(session, resident_id(n))
            await session.commit()
            await start.wait()
            await cast_vote(session, voter, proposal_id, choice)
            take_notices(session)
            await session.commit()
            return choice

    # Every resident presses twice at once; both residents of a household press.
    presses = [(n, choice) for n in range(HOUSEHOLDS * 2) for choice in (1, AGAINST)]
    tasks = [asyncio.create_task(press(n, choice)) for n, choice in presses]
    await asyncio.sleep(0.05)
    start.set()
    assert len(await asyncio.gather(*tasks)) == len(presses)  # every press is taken
    async with sessionmaker() as session:
        ballots = (
            await session.scalars(
                select(ProposalVote).where(ProposalVote.proposal_id == proposal_id)
            )
        ).all()
        assert len(ballots) == HOUSEHOLDS
        assert len({ballot.voter_key for ballot in ballots}) == HOUSEHOLDS
        assert all(ballot.choice in (1, AGAINST) for ballot in ballots)


async def test_concurrent_screening_has_one_winner(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    proposal_id = await seed(sessionmaker, open_it=False)
    start = asyncio.Event()

    async def screen(telegram_id: int) -> str:
        async with sessionmaker() as session:
            staff = await member(session, telegram_id)
            await session.commit()
            await start.wait()
            try:
                if telegram_id == WORKER:
                    await accept(session, staff, proposal_id, "major")
                else:
                    await decline(session, staff, proposal_id, "不属于居民议事范围")
            except InvalidState:
                await session.rollback()
                return "lost"
            take_notices(session)
            await session.commit()
            return "accepted" if telegram_id == WORKER else "declined"

    tasks = [asyncio.create_task(screen(who)) for who in (WORKER, ADMIN, WORKER, ADMIN)]
    await asyncio.sleep(0.05)
    start.set()
    results = await asyncio.gather(*tasks)
    winners = [r for r in results if r != "lost"]
    assert len(winners) == 1
    async with sessionmaker() as session:
        proposal = await session.get(Proposal, proposal_id)
        assert proposal is not None
        expected = ProposalStatus.ACCEPTED if winners[0] == "accepted" else ProposalStatus.DECLINED
        assert proposal.status == expected
        screenings = await session.scalar(
            select(func.count()).where(
                ProposalEvent.proposal_id == proposal_id,
                ProposalEvent.action.in_(("accept", "decline")),
            )
        )
        assert screenings == 1


async def test_votes_racing_the_close_are_counted_or_refused(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    proposal_id = await seed(sessionmaker)
    start = asyncio.Event()

    async def vote(n: int) -> bool:
        async with sessionmaker() as session:
            voter = await member(session, resident_id(n))
            await session.commit()
            await start.wait()
            try:
                await cast_vote(session, voter, proposal_id, 1)
            except InvalidState:
                await session.rollback()
                return False
            take_notices(session)
            await session.commit()
            return True

    async def close() -> None:
        async with sessionmaker() as session:
            admin = await member(session, ADMIN)
            await session.commit()
            await start.wait()
            await close_vote(session, proposal_id, admin)
            take_notices(session)
            await session.commit()

    voters = [asyncio.create_task(vote(n)) for n in range(0, HOUSEHOLDS * 2, 2)]
    closer = asyncio.create_task(close())
    await asyncio.sleep(0.05)
    start.set()
    taken = await asyncio.gather(*voters)
    await closer
    async with sessionmaker() as session:
        proposal = await session.get(Proposal, proposal_id)
        assert proposal is not None and proposal.result is not None
        ballots = await session.scalar(
            select(func.count()).where(ProposalVote.proposal_id == proposal_id)
        )
        # No ballot is in the table but missing from the published result.
        assert proposal.result["voters"] == ballots == sum(taken)


async def test_two_processes_close_a_vote_once(any_db_url: str) -> None:
    engines = [create_engine(any_db_url), create_engine(any_db_url)]
    makers = [create_sessionmaker(engine) for engine in engines]
    try:
        proposal_id = await seed(makers[0])
        async with makers[0]() as session:
            voter = await member(session, resident_id(0))
            await cast_vote(session, voter, proposal_id, 1)
            take_notices(session)
            await session.commit()
        notifier = Notifier(Catalog(), "gridbot_test_bot")
        jobs = [VoteCloseJob(maker, notifier) for maker in makers]
        later = utcnow() + timedelta(days=4)
        runs: list[dict[str, Any]] = await asyncio.gather(*(job.run(now=later) for job in jobs))
        assert sorted(run["closed"] for run in runs) == [0, 1]
        assert (await jobs[0].run(now=later))["closed"] == 0
        async with makers[1]() as session:
            proposal = await session.get(Proposal, proposal_id)
            assert proposal is not None and proposal.status == ProposalStatus.PASSED
            closes = await session.scalar(
                select(func.count()).where(
                    ProposalEvent.proposal_id == proposal_id, ProposalEvent.action == "close"
                )
            )
            assert closes == 1
            results = await session.scalar(
                select(func.count()).where(OutboxMessage.dedup_key.like(f"p{proposal_id}:result:%"))
            )
            assert results == 2  # one result card to the residents' group, one to the admins
            told = await session.scalar(
                select(func.count()).where(OutboxMessage.dedup_key == f"p{proposal_id}:result")
            )
            assert told == 1  # the proposer
            runs_kept = await session.scalar(select(func.count()).where(JobRun.job == "vote-close"))
            assert runs_kept == 1
    finally:
        for engine in engines:
            await engine.dispose()


async def test_a_ballot_outside_the_rules_changes_nothing(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    proposal_id = await seed(sessionmaker)
    async with sessionmaker() as session:
        voter = await member(session, resident_id(1))
        for choice in (3, 99, -7):
            try:
                await cast_vote(session, voter, proposal_id, choice)
            except DomainError as refused:
                assert refused.message_id == "delib-stale-button"
            else:
                raise AssertionError(f"choice {choice} was taken")
        assert await session.scalar(select(func.count()).select_from(ProposalVote)) == 0
