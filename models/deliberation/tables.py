"""Deliberation (议事协商) tables: proposals, their seconds, options, votes, objections and
event trail, and the anonymous mailbox."""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IdType, UTCDateTime, utcnow


class ProposalStatus(enum.StrEnum):
    SUBMITTED = "submitted"  # waiting for screening
    ACCEPTED = "accepted"  # 立项: options are being drafted
    MERGED = "merged"
    DECLINED = "declined"
    VOTING = "voting"
    PASSED = "passed"
    FAILED = "failed"
    IMPLEMENTED = "implemented"


class Scope(enum.StrEnum):
    MICRO_GRID = "micro_grid"
    GRID = "grid"
    COMMUNITY = "community"


class Track(enum.StrEnum):
    MAJOR = "major"  # 大事
    MINOR = "minor"  # 小事
    URGENT = "urgent"  # 急事


# Vote choices beside the options (which are numbered from 1).
AGAINST = -1
ABSTAIN = 0


class Proposal(Base):
    __tablename__ = "proposals"
    __table_args__ = (
        UniqueConstraint("community_id", "number"),
        Index("ix_proposals_status_deadline", "status", "vote_closes_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    scope: Mapped[Scope] = mapped_column(Enum(Scope, native_enum=False, length=20))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"))
    micro_grid_id: Mapped[int | None] = mapped_column(ForeignKey("micro_grids.id"))
    proposer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    photo_file_id: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[ProposalStatus] = mapped_column(
        Enum(ProposalStatus, native_enum=False, length=20), default=ProposalStatus.SUBMITTED
    )
    # Compare-and-set guard: every transition bumps it, so of two presses one wins.
    version: Mapped[int] = mapped_column(Integer, default=0)
    track: Mapped[Track | None] = mapped_column(Enum(Track, native_enum=False, length=10))
    seconds: Mapped[int] = mapped_column(Integer, default=0)
    screening_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # 0: with the scope's first staff level; 1: moved up to the community admins.
    escalation: Mapped[int] = mapped_column(Integer, default=0)
    screened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    screened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))
    vote_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    vote_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The rules the vote runs under, fixed when it opens: per, hours, quorum, threshold.
    rules: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The result as published: tallies per choice, voters, eligible, turnout, winner.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    publicity_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    implemented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ProposalCounter(Base):
    """Hands out P-0001, P-0002 … per community."""

    __tablename__ = "proposal_counters"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class ProposalSecond(Base):
    __tablename__ = "proposal_seconds"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProposalOption(Base):
    __tablename__ = "proposal_options"
    __table_args__ = (UniqueConstraint("proposal_id", "position"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1, 2, … as shown on the buttons
    text: Mapped[str] = mapped_column(Text)
    photo_file_id: Mapped[str | None] = mapped_column(String(255))
    document_file_id: Mapped[str | None] = mapped_column(String(255))
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProposalVote(Base):
    """One ballot per voter key (a household, or a person), replaced when the vote changes."""

    __tablename__ = "proposal_votes"
    __table_args__ = (UniqueConstraint("proposal_id", "voter_key"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    voter_key: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    choice: Mapped[int] = mapped_column(Integer)  # an option's position, AGAINST or ABSTAIN
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProposalObjection(Base):
    __tablename__ = "proposal_objections"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProposalEvent(Base):
    """One step of a proposal, with the role the actor acted in (for the archive)."""

    __tablename__ = "proposal_events"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(20))  # resident, grid_worker, admin, system
    action: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Whisper(Base):
    """大树下的悄悄话: an anonymous message to the community staff. The sender is kept only
    for abuse handling by the database's operators; no chat message or button carries it."""

    __tablename__ = "whispers"
    __table_args__ = (Index("ix_whispers_sender_at", "sender_id", "at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
