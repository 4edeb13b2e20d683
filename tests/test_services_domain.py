"""Partner services below the chat: the structure file's `partners:` key, and exactly one of a
partner's contacts winning 接受 under concurrent presses (SQLite and PostgreSQL)."""

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.base import utcnow
from models.errors import InvalidState
from models.importer import StructureFileError, apply_structure, parse_structure
from models.members import load_member, register_residence, touch_user
from models.notices import take_notices
from models.services import (
    OrderDisclosure,
    OrderStatus,
    Partner,
    Service,
    ServiceOrder,
    ServiceOrderEvent,
    accept,
    pass_to_partner,
    place_order,
)
from models.structure import Building
from tests.conftest import import_structure
from tests.test_services import SERVICES

CONTACTS = 6


def with_partners(partners: str) -> str:
    base = SERVICES.read_text(encoding="utf-8").split("service_star_min_orders:")[0]
    return base + partners


def test_partners_key_is_validated_with_line_numbers() -> None:
    text = with_partners(
        "partners:\n"
        "  - name: 悦食坊\n"
        "    kind: 公司\n"
        "    contacts: [8001]\n"
        "    services:\n"
        "      - name: 助餐送餐\n"
        "        category: elderly\n"
        "        areas: [第九网格]\n"
        "        respond_hours: 0\n"
        "  - name: 悦食坊\n"
        "    kind: 企业\n"
        "    contacts: []\n"
    )
    first = text.count("\n", 0, text.index("partners:")) + 1
    with pytest.raises(StructureFileError) as caught:
        parse_structure(text)
    problems = [str(p) for p in caught.value.problems]
    assert any(p.startswith(f"line {first + 2}: partners.0.kind") for p in problems), problems
    assert any(p.startswith(f"line {first + 8}: partners.0.services.0.respond_hours")
               for p in problems), problems  # fmt: skip
    assert any(p.startswith(f"line {first + 11}: partners.1.contacts") for p in problems), problems
    fixed = text.replace("公司", "企业").replace("respond_hours: 0", "respond_hours: 24")
    fixed = fixed.replace("contacts: []", "contacts: [8002]")
    with pytest.raises(StructureFileError) as caught:
        parse_structure(fixed)
    problems = [str(p) for p in caught.value.problems]
    assert f"line {first + 7}: area '第九网格' is neither a grid nor a micro-grid" in problems[0]
    assert f"line {first + 9}: partner '悦食坊' appears twice" in problems[1]


async def test_reimport_updates_in_place_and_removed_services_leave_the_menu(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await import_structure(sessionmaker, SERVICES)
    await import_structure(sessionmaker, SERVICES)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count(Partner.id))) == 2
        partner_id = await session.scalar(select(Partner.id).where(Partner.name == "悦食坊"))
        assert await session.scalar(select(func.count(Service.id))) == 3
    text = SERVICES.read_text(encoding="utf-8")
    text = text.replace("      - name: 营养咨询\n        category: health\n        price: 公益\n"
                        "        auto_accept: true\n", "")  # fmt: skip
    async with sessionmaker() as session:
        report = await apply_structure(session, parse_structure(text).spec)
        await session.commit()
    assert report.removed == {"service": 1}
    async with sessionmaker() as session:
        # The partner keeps its id: other features refer to it.
        assert (
            await session.scalar(select(Partner.id).where(Partner.name == "悦食坊")) == partner_id
        )
        gone = await session.scalar(select(Service).where(Service.name == "营养咨询"))
        assert gone is not None and not gone.active


async def seed(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    """An order passed to 悦食坊, which has CONTACTS contacts."""
    text = SERVICES.read_text(encoding="utf-8").replace(
        "contacts: [8001, 8002]", f"contacts: [{', '.join(str(8001 + n) for n in range(CONTACTS))}]"
    )
    async with sessionmaker() as session:
        await apply_structure(session, parse_structure(text).spec)
        await session.commit()
    async with sessionmaker() as session:
        resident = await touch_user(session, 5001, "Alice", None, "zh", True)
        building = await session.scalar(select(Building).where(Building.name == "2号楼"))
        assert building is not None
        await register_residence(session, resident, building.id, None, "302")
        service = await session.scalar(select(Service).where(Service.name == "助餐送餐"))
        assert service is not None
        order = await place_order(session, await load_member(session, resident), service.id,
                                  "午餐一份", None, None, utcnow())  # fmt: skip
        admin = await touch_user(session, 1001, "书记", None, "zh", True)
        await pass_to_partner(session, await load_member(session, admin), order.id, utcnow())
        take_notices(session)
        await session.commit()
        return order.id


async def test_concurrent_accepts_have_one_winner(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    order_id = await seed(sessionmaker)
    start = asyncio.Event()

    async def press(n: int) -> str:
        async with sessionmaker() as session:
            user = await touch_user(session, 8001 + n, f"师傅{n}", None, "zh", True)
            member = await load_member(session, user)
            await session.commit()
            await start.wait()
            try:
                await accept(session, member, order_id, utcnow())
                take_notices(session)
                await session.commit()
                return "won"
            except InvalidState:
                await session.rollback()
                return "lost"

    tasks = [asyncio.create_task(press(n)) for n in range(CONTACTS)]
    await asyncio.sleep(0.05)
    start.set()
    results = await asyncio.gather(*tasks)

    assert results.count("won") == 1
    async with sessionmaker() as session:
        order = await session.get(ServiceOrder, order_id)
        assert order is not None and order.status == OrderStatus.ACCEPTED
        disclosures = (await session.scalars(select(OrderDisclosure))).all()
        assert [d.user_id for d in disclosures] == [order.accepted_by_id]
        accepts = await session.scalar(
            select(func.count()).where(
                ServiceOrderEvent.order_id == order_id, ServiceOrderEvent.action == "accept"
            )
        )
        assert accepts == 1
