"""The structure file's `fund:` key: the board and K, validated with the line of each mistake,
and stored on the community for the board's cards to use."""

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.importer import StructureFileError, parse_structure
from models.resources.fund import approvals_needed, board_of
from models.structure import Community
from tests.conftest import import_structure


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("community: 社区\nfund:\n  board: [1, 2]\n  approvals: 3\n", 3, "more than the board"),
        ("community: 社区\nfund:\n  board: [1, 1, 2]\n", 3, "listed twice"),
        ("community: 社区\nfund:\n  board: [1, abc]\n", 3, "fund.board.1"),
        ("community: 社区\nfund:\n  approvals: 0\n", 3, "greater than or equal to 1"),
        ("community: 社区\nfund:\n  treasurer: 5\n", 3, "treasurer"),
        ("community: 社区\nfund:\n  need_repeat: 1\n", 3, "greater than or equal to 2"),
    ],
)
def test_bad_fund_keys_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(StructureFileError) as caught:
        parse_structure(text)
    problem = caught.value.problems[0]
    assert problem.line == line, str(caught.value)
    assert words in problem.message, problem.message


async def test_the_board_is_stored(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        assert board_of(community) == [8001, 8002, 8003] and approvals_needed(community) == 2
