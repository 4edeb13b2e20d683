"""Needs proposed from a wish nobody claimed in time and from a passed proposal, each once,
and a project that carries out the proposal (SQLite and PostgreSQL)."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.base import utcnow
from models.deliberation import Proposal, ProposalStatus
from models.deliberation.tables import Scope
from models.errors import InvalidState
from models.members import load_member, register_residence, touch_user
from models.notices import take_notices
from models.requests import Request, RequestKind
from models.requests.intake import submit
from models.resources.projects import create_project, decide_need, propose_needs
from models.resources.tables import Need, NeedSource, NeedStatus
from models.structure import Building, Community
from tests.conftest import import_structure


async def test_wishes_and_passed_proposals_become_needs_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        community = await session.scalar(select(Community))
        building = await session.scalar(select(Building).where(Building.name == "2号楼"))
        assert community is not None and building is not None
        alice = await touch_user(session, 5001, "Alice", None, "zh", True)
        await register_residence(session, alice, building.id, None, "302")
        resident = await load_member(session, alice)
        wish = await submit(session, resident, RequestKind.WISH, "想请人教我用智能手机")
        await session.execute(update(Request).where(Request.id == wish.request.id)
                              .values(claim_deadline=utcnow() - timedelta(hours=1)))  # fmt: skip
        session.add(Proposal(
            community_id=community.id, number=1, scope=Scope.COMMUNITY, proposer_id=alice.id,
            title="小区加装充电桩", text="电动车充电难", status=ProposalStatus.PASSED,
            screening_due_at=utcnow(),
        ))  # fmt: skip
        admin = await load_member(session, await touch_user(session, 1001, "书记", None, "zh",
                                                            True))  # fmt: skip
        take_notices(session)
        await session.commit()

    async with sessionmaker() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        assert await propose_needs(session, community, utcnow()) == 2
        assert await propose_needs(session, community, utcnow()) == 0  # each cause once
        needs = (await session.scalars(select(Need).order_by(Need.number))).all()
        assert [(n.source, n.status) for n in needs] == [
            (NeedSource.WISH, NeedStatus.PROPOSED), (NeedSource.PROPOSAL, NeedStatus.PROPOSED)
        ]  # fmt: skip
        assert needs[0].title == "想请人教我用智能手机" and needs[1].title == "小区加装充电桩"
        await decide_need(session, admin, needs[1].id, True)
        with pytest.raises(InvalidState) as refused:
            await decide_need(session, admin, needs[1].id, False)
        assert refused.value.message_id == "fund-need-decided"
        project = await create_project(
            session, admin, community, need_numbers=[needs[1].number], title="加装充电桩",
            budget="20000", people="300", plan="在 2 号楼旁装 10 个充电桩",
            proposal_label="P-0001",
        )  # fmt: skip
        proposal = await session.scalar(select(Proposal))
        assert proposal is not None and project.proposal_id == proposal.id
        take_notices(session)
        await session.commit()
