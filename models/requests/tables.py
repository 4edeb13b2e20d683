"""Requests: residents' micro-wishes and issue reports, their categories and event trail."""

import enum
from datetime import datetime

from sqlalchemy import (
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IdType, UTCDateTime, utcnow


class RequestKind(enum.StrEnum):
    REPORT = "report"
    WISH = "wish"


class RequestStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    ROUTED = "routed"
    CLAIMED = "claimed"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    MERGED = "merged"


class RoutingLevel(enum.StrEnum):
    MICRO_GRID = "micro_grid"
    GRID = "grid"
    COMMUNITY = "community"


class Category(Base):
    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("community_id", "code"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(50))
    claim_minutes: Mapped[int] = mapped_column(Integer)
    resolve_minutes: Mapped[int] = mapped_column(Integer)
    routing_level: Mapped[RoutingLevel] = mapped_column(
        Enum(RoutingLevel, native_enum=False, length=20), default=RoutingLevel.MICRO_GRID
    )
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Request(Base):
    __tablename__ = "requests"
    __table_args__ = (
        UniqueConstraint("community_id", "kind", "number"),
        Index("ix_requests_open_by_grid", "micro_grid_id", "status"),
        Index("ix_requests_deadlines", "status", "claim_deadline", "resolve_deadline"),
        # A community's requests of a period, newest first (monthly summary, workbench lists).
        Index("ix_requests_community_created", "community_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    kind: Mapped[RequestKind] = mapped_column(Enum(RequestKind, native_enum=False, length=10))
    number: Mapped[int] = mapped_column(Integer)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    micro_grid_id: Mapped[int] = mapped_column(ForeignKey("micro_grids.id"))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    photo_file_id: Mapped[str | None] = mapped_column(String(255))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    urgent: Mapped[bool] = mapped_column(default=False)
    share_contact: Mapped[bool] = mapped_column(default=False)
    status: Mapped[RequestStatus] = mapped_column(
        Enum(RequestStatus, native_enum=False, length=20), default=RequestStatus.SUBMITTED
    )
    # Compare-and-set guard: every transition bumps it, so a stale button changes nothing.
    version: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolve_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalation_level: Mapped[RoutingLevel] = mapped_column(
        Enum(RoutingLevel, native_enum=False, length=20), default=RoutingLevel.MICRO_GRID
    )
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))
    rating: Mapped[int | None] = mapped_column(Integer)
    satisfied: Mapped[bool | None] = mapped_column()
    rating_comment: Mapped[str | None] = mapped_column(Text)
    # An implementation task of a passed proposal (议事协商), when it is one.
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class RequestEvent(Base):
    """One transition of a request: who, when, from which status to which, and why."""

    __tablename__ = "request_events"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class RequestCounter(Base):
    """Hands out human-friendly numbers (R-0042, W-0007) per community and kind."""

    __tablename__ = "request_counters"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    kind: Mapped[RequestKind] = mapped_column(
        Enum(RequestKind, native_enum=False, length=10), primary_key=True
    )
    last_number: Mapped[int] = mapped_column(Integer, default=0)
