"""The fund under concurrency (SQLite and PostgreSQL): two disbursements that do not both fit
are approved at the same instant and exactly one is paid; two board members making K at once
pay a disbursement once; the balance is the ledger's sum and never negative; a project
cancelled and claimed at once ends one way."""

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.errors import DomainError, NotAllowed
from models.members import Member, User, load_member, touch_user
from models.notices import take_notices
from models.resources import Disbursement, DisbursementStatus, DisbursementUse, DonationType
from models.resources.donations import find_donor, record_donation
from models.resources.fund import approve, ask_disbursement, balance_of, ledger_sum
from models.resources.projects import add_need, cancel, claim, create_project, find_scope
from models.resources.tables import Approval, FundEntry, Project, ProjectStatus
from models.structure import Community
from tests.conftest import import_structure

ADMIN, BOARD, HOSPITAL = 1001, (8001, 8002, 8003), 6002


async def seed(sessionmaker: async_sessionmaker[AsyncSession], amounts: list[int]) -> list[int]:
    """¥1,000 in the fund, a disbursement per amount, each approved by the first member."""
    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        admin_user = await touch_user(session, ADMIN, "书记", None, "zh", True)
        admin = await load_member(session, admin_user)
        for n, telegram_id in enumerate(BOARD, 1):
            await touch_user(session, telegram_id, f"监事{n}", None, "zh", True)
        donor = await find_donor(session, community.id, "王先生")
        await record_donation(session, admin, community.id, amount=100_000,
                              type=DonationType.CARING, donor=donor)  # fmt: skip
        ids = []
        for amount in amounts:
            asked = await ask_disbursement(session, admin, community.id, amount=amount,
                                           use=DisbursementUse.EMERGENCY, payee="某户")  # fmt: skip
            ids.append(asked.id)
        first = await load_member(session, await touch_user(session, BOARD[0], "监事1", None,
                                                            "zh", True))  # fmt: skip
        for disbursement_id in ids:
            await approve(session, first, disbursement_id)
        take_notices(session)
        await session.commit()
        return ids


Act = Callable[[AsyncSession, Member], Awaitable[str]]


async def race(
    sessionmaker: async_sessionmaker[AsyncSession], acts: list[tuple[int, Act]]
) -> list[str]:
    """Each (person, act) runs in its own session, all at once; what each act returned, or
    the message id of its refusal, in order."""
    start = asyncio.Event()

    async def run(telegram_id: int, act: Act) -> str:
        async with sessionmaker() as session:
            user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
            assert user is not None
            member = await load_member(session, user)
            await session.commit()
            await start.wait()
            try:
                outcome = await act(session, member)
                take_notices(session)
                await session.commit()
                return outcome
            except DomainError as refused:
                await session.rollback()
                return refused.message_id

    tasks = [asyncio.create_task(run(*a)) for a in acts]
    await asyncio.sleep(0)
    start.set()
    return list(await asyncio.gather(*tasks))


def approving(disbursement_id: int) -> Act:
    async def act(session: AsyncSession, member: Member) -> str:
        return (await approve(session, member, disbursement_id)).status.value

    return act


async def totals(sessionmaker: async_sessionmaker[AsyncSession]) -> tuple[int, int, int]:
    async with sessionmaker() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        entries = await session.scalar(select(func.count()).select_from(FundEntry))
        return (await balance_of(session, community.id), await ledger_sum(session, community.id),
                entries or 0)  # fmt: skip


async def test_two_disbursements_that_do_not_both_fit(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    first, second = await seed(sessionmaker, [60_000, 60_000])
    results = sorted(
        await race(sessionmaker, [(BOARD[1], approving(first)), (BOARD[2], approving(second))])
    )
    assert results == ["fund-not-enough", "paid"]
    assert await totals(sessionmaker) == (40_000, 40_000, 2)
    async with sessionmaker() as session:
        statuses = sorted(s.value for s in await session.scalars(select(Disbursement.status)))
        assert statuses == ["paid", "pending"]
        # The refused approval left no trace: the pending one still has its first only.
        assert await session.scalar(select(func.count()).select_from(Approval)) == 3


async def test_two_members_making_k_at_once_pay_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    (only,) = await seed(sessionmaker, [30_000])
    results = sorted(
        await race(sessionmaker, [(BOARD[1], approving(only)), (BOARD[2], approving(only))])
    )
    assert results == ["fund-already-paid", "paid"]
    assert await totals(sessionmaker) == (70_000, 70_000, 2)
    async with sessionmaker() as session:
        paid = await session.get(Disbursement, only)
        assert paid is not None and paid.status == DisbursementStatus.PAID


async def test_the_one_who_asks_does_not_approve(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    (asked,) = await seed(sessionmaker, [10_000])
    async with sessionmaker() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        community.settings = community.settings | {"fund": {"board": [ADMIN, *BOARD[:2]],
                                                            "approvals": 2}}  # fmt: skip
        await session.commit()
    async with sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == ADMIN))
        assert user is not None
        admin = await load_member(session, user)
        with pytest.raises(NotAllowed) as refused:
            await approve(session, admin, asked)
        assert refused.value.message_id == "fund-own-request"
    assert await totals(sessionmaker) == (100_000, 100_000, 1)


async def test_gifts_recorded_at_once_get_their_own_receipts(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await seed(sessionmaker, [])
    start = asyncio.Event()

    async def give(n: int) -> int:
        async with sessionmaker() as session:
            user = await session.scalar(select(User).where(User.telegram_id == ADMIN))
            assert user is not None
            admin = await load_member(session, user)
            community = await session.scalar(select(Community))
            assert community is not None
            await session.commit()
            await start.wait()
            donor = await find_donor(session, community.id, f"邻居{n}")
            gift = await record_donation(session, admin, community.id, amount=1_000 * (n + 1),
                                         type=DonationType.MUTUAL, donor=donor)  # fmt: skip
            number = gift.number
            take_notices(session)
            await session.commit()
            return number

    tasks = [asyncio.create_task(give(n)) for n in range(4)]
    await asyncio.sleep(0)
    start.set()
    assert sorted(await asyncio.gather(*tasks)) == [2, 3, 4, 5]  # the seed's gift is no. 1
    assert await totals(sessionmaker) == (110_000, 110_000, 5)


async def test_cancel_and_claim_at_once_end_one_way(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Staff cancel a project while a unit claims it: one happens first, the other is
    refused or finds it moved on; the project never ends claimed and cancelled by one race."""
    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        admin = await load_member(session, await touch_user(session, ADMIN, "书记", None, "zh",
                                                            True))  # fmt: skip
        await touch_user(session, HOSPITAL, "医院联络人", None, "zh", True)
        scope = await find_scope(session, community, "社区")
        await add_need(session, admin, community, title="楼道灯", scope=scope, people=10)
        project = await create_project(
            session,
            admin,
            community,
            need_numbers=[1],
            title="照明",
            budget="100",
            people="10",
            plan="换灯",
        )
        take_notices(session)
        await session.commit()
        project_id = project.id

    async def cancelling(session: AsyncSession, member: Member) -> str:
        await cancel(session, member, project_id, "方案取消")
        return "cancel"

    async def claiming(session: AsyncSession, member: Member) -> str:
        await claim(session, member, project_id)
        return "claim"

    cancelled, claimed = await race(sessionmaker, [(ADMIN, cancelling), (HOSPITAL, claiming)])
    async with sessionmaker() as session:
        project = await session.get(Project, project_id)
        assert project is not None
    if project.status == ProjectStatus.CANCELLED:
        # The claim lost, or came first and was then cancelled (its unit is told).
        assert cancelled == "cancel"
        assert claimed in ("claim", "fund-project-cancelled-already", "fund-project-stale")
        assert (project.unit_id is not None) == (claimed == "claim")
    else:
        assert project.status == ProjectStatus.TAKEN and claimed == "claim"
        assert cancelled == "fund-project-stale" and project.cancel_reason is None
