"""Deliberation (议事协商): residents' proposals, screened, voted, published, implemented."""

from models.deliberation.tables import (
    ABSTAIN,
    AGAINST,
    Proposal,
    ProposalCounter,
    ProposalEvent,
    ProposalObjection,
    ProposalOption,
    ProposalSecond,
    ProposalStatus,
    ProposalVote,
    Scope,
    Track,
    Whisper,
)

__all__ = [
    "ABSTAIN",
    "AGAINST",
    "Proposal",
    "ProposalCounter",
    "ProposalEvent",
    "ProposalObjection",
    "ProposalOption",
    "ProposalSecond",
    "ProposalStatus",
    "ProposalVote",
    "Scope",
    "Track",
    "Whisper",
]
