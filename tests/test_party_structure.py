"""The structure file's `units:`, `departments:` and `party:` keys: validated with line
numbers, applied by name, idempotent; and the party window's refusals that need a second
community or two processes at once."""

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.importer import StructureFileError, apply_structure, parse_structure
from models.members import become_volunteer, load_member, register_residence, touch_user
from models.party import Department, MembershipKind, PartnerUnit, PartyWish
from models.party.membership import ask_to_join, review
from models.party.wishes import offer_first
from models.requests import RequestKind
from models.requests.intake import submit
from models.requests.workflow import claim
from models.structure import Building
from tests.conftest import SAMPLE_STRUCTURE, import_structure

BASE = "community: 南华社区\nadmins: [1001]\n"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (BASE + "units:\n  - name: 区税务局\n  - name: 区税务局\n", 5, "'区税务局' appears twice"),
        (BASE + "departments:\n  - name: 城管\n    response_hours: 0\n", 5, "greater than 0"),
        (BASE + "departments:\n  - name: 城管\n  - name: 城管\n", 5, "department '城管'"),
        (BASE + "units:\n  - name: 区税务局\n    contact: [6001]\n", 5, "contact"),
        (BASE + "units:\n  - name: 区税务局\n    contacts: [someone]\n", 5, "integer"),
        (BASE + "party:\n  priority_hours: -1\n", 4, "greater than 0"),
    ],
    ids=["unit-twice", "no-response-time", "department-twice", "unknown-key", "bad-contact",
         "negative-window"],
)
def test_bad_party_keys_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(StructureFileError) as caught:
        parse_structure(text)
    problem = caught.value.problems[0]
    assert problem.line == line, str(caught.value)
    assert words in problem.message, str(caught.value)


async def test_units_and_departments_import_by_name(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        again = await apply_structure(session, parse_structure(
            SAMPLE_STRUCTURE.read_text(encoding="utf-8")).spec)  # fmt: skip
        assert not again.changed
        units = (await session.scalars(select(PartnerUnit).order_by(PartnerUnit.id))).all()
        assert [(u.name, u.contacts) for u in units] == [
            ("区税务局", [6001]), ("区人民医院", [6002]),
        ]  # fmt: skip
        edited = SAMPLE_STRUCTURE.read_text(encoding="utf-8").replace(
            "contacts: [7001]", "contacts: [7001, 7003]")  # fmt: skip
        report = await apply_structure(session, parse_structure(edited).spec)
        assert report.updated == {"department": 1}
        department = await session.scalar(
            select(Department).where(Department.name == "城管执法中队")
        )
        assert department is not None and department.contacts == [7001, 7003]
        assert department.chat_id == -1001000000009 and department.response_hours == 24
        await session.commit()


async def _member(session: AsyncSession, telegram_id: int, building: str):  # type: ignore[no-untyped-def]
    user = await touch_user(session, telegram_id, f"user{telegram_id}", None, "zh", True)
    row = await session.scalar(select(Building).where(Building.name == building))
    assert row is not None
    await register_residence(session, user, row.id, None, None)
    return await load_member(session, user)


async def test_a_member_of_another_community_cannot_claim_in_the_window(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await import_structure(sessionmaker)
    other = ("community: 北苑社区\nadmins: [1101]\ngrids:\n  - name: 北一网格\n    micro_grids:\n"
             "      - name: 北苑小区\n        buildings: [\"9号楼\"]\n")  # fmt: skip
    async with sessionmaker() as session:
        await apply_structure(session, parse_structure(other).spec)
        outsider = await _member(session, 5201, "9号楼")
        membership = await ask_to_join(session, outsider, MembershipKind.COMMUNITY, None)
        admin = await load_member(session, await touch_user(session, 1101, "", None, "zh", True))
        await review(session, admin, membership.id, True)
        resident = await _member(session, 5202, "2号楼")
        wish = (await submit(session, resident, RequestKind.WISH, "想借轮椅")).request
        await offer_first(session, wish)
        await session.commit()
    async with sessionmaker() as session:
        outsider = await load_member(session, await touch_user(session, 5201, "", None, "zh", True))
        with pytest.raises(Exception) as refused:
            await claim(session, outsider, wish.id)
        assert getattr(refused.value, "message_id", "") == "request-claim-wish-not-allowed"
        # Even a volunteer role of their own micro-grid does not reach another community.
        await become_volunteer(session, outsider)
        with pytest.raises(Exception) as refused:
            await claim(session, await load_member(session, outsider.user), wish.id)
        assert getattr(refused.value, "message_id", "") == "request-claim-wish-not-allowed"


async def test_a_wish_is_offered_once_however_often_it_is_marked(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        resident = await _member(session, 5301, "2号楼")
        wish = (await submit(session, resident, RequestKind.WISH, "想请人读报")).request
        await session.commit()

    async def mark() -> bool:
        async with sessionmaker() as session:
            offered = await offer_first(session, wish) is not None
            await session.commit()
            return offered

    assert sorted(await asyncio.gather(mark(), mark(), mark())) == [False, False, True]
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(PartyWish)) == 1
