"""Deliberation rules: the tracks' defaults, their settings from the structure file (errors
naming lines), and how a vote is decided under them."""

from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.deliberation import ABSTAIN, AGAINST
from models.deliberation.workflow import DEFAULTS, decide, settings_of
from models.importer import StructureFileError, apply_structure, parse_structure
from models.structure import Community
from tests.conftest import SAMPLE_STRUCTURE

MAJOR, MINOR = DEFAULTS["tracks"]["major"], DEFAULTS["tracks"]["minor"]


def test_simple_majority_needs_a_clear_lead_over_others_and_against() -> None:
    assert decide(Counter({1: 3, AGAINST: 2}), [1], 10, MINOR)["passed"]
    assert not decide(Counter({1: 2, AGAINST: 2}), [1], 10, MINOR)["passed"]
    assert not decide(Counter({1: 2, 2: 2}), [1, 2], 10, MINOR)["passed"]  # a tie
    result = decide(Counter({1: 1, 2: 3, ABSTAIN: 5}), [1, 2], 10, MINOR)
    assert result["passed"] and result["winner"] == 2 and result["voters"] == 9
    assert not decide(Counter(), [1], 10, MINOR)["passed"]  # nobody voted


def test_major_needs_half_the_households_and_more_than_half_the_votes() -> None:
    too_few = decide(Counter({1: 4}), [1], 10, MAJOR)
    assert not too_few["passed"] and not too_few["quorum_met"] and too_few["turnout"] == 0.4
    assert decide(Counter({1: 3, AGAINST: 2}), [1], 10, MAJOR)["passed"]
    # Abstentions count as votes cast: 3 of 6 is not more than half.
    assert not decide(Counter({1: 3, AGAINST: 1, ABSTAIN: 2}), [1], 10, MAJOR)["passed"]


async def test_tracks_come_from_the_structure_file(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    text = SAMPLE_STRUCTURE.read_text().replace("vote_per: household", "vote_per: person")
    text = text.replace("major: {hours: 168, quorum: 0.5", "major: {hours: 240, quorum: 0.6")
    async with sessionmaker() as session:
        await apply_structure(session, parse_structure(text).spec)
        await session.commit()
        community = await session.scalar(select(Community))
        assert community is not None
        settings = settings_of(community)
    assert settings["vote_per"] == "person" and settings["screening_days"] == 3
    assert settings["tracks"]["major"] == {"hours": 240, "quorum": 0.6, "threshold": 0.5}
    assert settings["tracks"]["urgent"] == {"hours": 24, "quorum": 0, "threshold": None}


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ("quorum: 0.5", "quorum: 1.5"),
        ("vote_per: household", "vote_per: room"),
        ("threshold: 0.5}", "threshold: 1}"),
        ("publicity_days: 5", "publicity_days: soon"),
    ],
)
def test_bad_deliberation_settings_name_their_line(change: str, says: str) -> None:
    text = SAMPLE_STRUCTURE.read_text().replace(change, says)
    with pytest.raises(StructureFileError) as refused:
        parse_structure(text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if says in row)
    assert f"line {line}:" in str(refused.value) and "deliberation" in str(refused.value)
