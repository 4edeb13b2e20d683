"""Structure import: validation naming lines, idempotent re-import, in-place updates."""

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import metadata
from models.importer import StructureFileError, apply_structure, parse_structure
from models.members import Role, RoleAssignment, User
from models.points import Reward
from models.structure import Building, Community, MicroGrid
from tests.conftest import SAMPLE_STRUCTURE


async def row_counts(session: AsyncSession) -> dict[str, int]:
    return {
        table.name: await session.scalar(select(func.count()).select_from(table))
        for table in metadata.sorted_tables
    }


async def import_text(sessionmaker: async_sessionmaker[AsyncSession], text: str):
    async with sessionmaker() as session:
        report = await apply_structure(session, parse_structure(text).spec)
        await session.commit()
        return report


async def test_sample_file_imports_as_written(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    report = await import_text(sessionmaker, SAMPLE_STRUCTURE.read_text())
    assert report.created["micro_grid"] == 1 and report.created["building"] == 2
    async with sessionmaker() as session:
        community = await session.scalar(select(Community))
        assert (
            community and community.name == "南华社区" and community.admin_chat_id == -1001000000001
        )
        micro = await session.scalar(select(MicroGrid))
        assert micro and micro.chat_id == -1001000000003 and micro.task_chat_id == -1001000000004
        roles = {
            (telegram_id, role)
            for telegram_id, role in (
                await session.execute(
                    select(User.telegram_id, RoleAssignment.role).join(
                        User, User.id == RoleAssignment.user_id
                    )
                )
            ).all()
        }
        assert roles == {
            (1001, Role.ADMIN),
            (2001, Role.GRID_WORKER),
            (3001, Role.LEADER),
            (3002, Role.LEADER),
            (4001, Role.MERCHANT),
        }


async def test_importing_twice_changes_nothing(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await import_text(sessionmaker, SAMPLE_STRUCTURE.read_text())
    async with sessionmaker() as session:
        before = await row_counts(session)
    again = await import_text(sessionmaker, SAMPLE_STRUCTURE.read_text())
    assert not again.changed
    async with sessionmaker() as session:
        assert await row_counts(session) == before


async def test_edited_file_updates_in_place(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    await import_text(sessionmaker, SAMPLE_STRUCTURE.read_text())
    edited = (
        SAMPLE_STRUCTURE.read_text()
        .replace("leaders: [3001, 3002]", "leaders: [3001, 3003]")
        .replace('buildings: ["1号楼", "2号楼"]', 'buildings: ["1号楼", "2号楼", "3号楼"]')
        .replace("cost: 50", "cost: 40")
    )
    report = await import_text(sessionmaker, edited)
    assert report.created == {"building": 1, "role:leader": 1}
    assert report.updated == {"reward": 1}
    assert report.removed == {"role:leader": 1}
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Building)) == 3
        assert await session.scalar(select(func.count()).select_from(Community)) == 1
        assert (await session.scalar(select(Reward))).cost == 40  # type: ignore[union-attr]
        leaders = (
            await session.scalars(
                select(User.telegram_id)
                .join(RoleAssignment, RoleAssignment.user_id == User.id)
                .where(RoleAssignment.role == Role.LEADER)
            )
        ).all()
        assert sorted(leaders) == [3001, 3003]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (
            "community: 南华社区\ngrids:\n  - name: 一网格\n"
            "    micro_grids:\n      - name: [oops\n",
            6,
            "not valid YAML",
        ),
        ("community: 南华社区\ngrids:\n  - name: 一网格\n    colour: red\n", 4, "colour"),
        ("community: 南华社区\nadmins: [1001, abc]\n", 2, "admins.1"),
        ("community: 南华社区\ntimezone: Mars/Olympus\n", 2, "unknown time zone"),
        (
            "community: 南华社区\nmerchants:\n  - name: 店\nrewards:\n  - name: 米\n"
            "    merchant: 别的店\n    cost: 5\n    weekly_stock: 1\n",
            6,
            "not listed under merchants",
        ),
        (
            "community: 南华社区\ngrids:\n  - name: 一\n    micro_grids:\n      - name: 苑\n"
            "  - name: 二\n    micro_grids:\n      - name: 苑\n",
            8,
            "appears twice",
        ),
        (
            "community: 南华社区\nrewards:\n  - name: 米\n    merchant: 店\n"
            "    cost: -5\n    weekly_stock: 1\n",
            5,
            "greater than 0",
        ),
        ("community: 南华社区\ncommunity: 别的\n", 2, "duplicate key"),
        ("- just\n- a list\n", 1, "mapping"),
        ("community: 社区\ncategories:\n  - code: pets\n    claim_hours: 2\n", 3, "needs name"),
        (
            "community: 社区\nschedule:\n  monthly-summary: 31 09:00\n",
            3,
            "monthly_summary: '31 09:00': the day of a monthly job is 1 to 28",
        ),
    ],
)
def test_bad_files_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(StructureFileError) as caught:
        parse_structure(text)
    problem = caught.value.problems[0]
    assert problem.line == line, str(caught.value)
    assert words in problem.message


async def test_bad_file_imports_nothing(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    bad = SAMPLE_STRUCTURE.read_text().replace("merchant: 好邻居超市", "merchant: 不存在")
    with pytest.raises(StructureFileError):
        parse_structure(bad)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Community)) == 0


def test_units_shorthand(tmp_path: Path) -> None:
    spec = parse_structure(
        "community: 社区\ngrids:\n  - name: 网格\n    micro_grids:\n      - name: 苑\n"
        "        buildings:\n          - {name: 1栋, units: 3}\n          - 2栋\n"
    ).spec
    buildings = spec.grids[0].micro_grids[0].buildings
    assert buildings[0].units == ["1单元", "2单元", "3单元"]
    assert buildings[1].units == []


async def test_categories_are_edited_through_the_file(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    from models.requests import Category, RoutingLevel

    text = SAMPLE_STRUCTURE.read_text() + (
        "categories:\n"
        "  - code: noise\n    claim_hours: 1\n    resolve_hours: 12\n    routing: grid\n"
        "  - code: pets\n    name: 宠物\n    name_en: Pets\n    claim_hours: 4\n"
        "    resolve_hours: 48\n"
        "  - code: other\n    active: false\n"
    )
    await import_text(sessionmaker, text)
    async with sessionmaker() as session:
        by_code = {c.code: c for c in (await session.scalars(select(Category))).all()}
    assert len(by_code) == 10
    assert (
        by_code["noise"].claim_minutes == 60 and by_code["noise"].routing_level == RoutingLevel.GRID
    )
    assert by_code["pets"].name_zh == "宠物" and by_code["pets"].resolve_minutes == 48 * 60
    assert by_code["other"].active is False
    again = await import_text(sessionmaker, text)
    assert not again.changed
