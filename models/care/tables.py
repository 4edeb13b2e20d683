"""Care ledgers: households with a colour, tags, dated notes and colour history; who looked at
them (the access log); visits; people enabled for the one-key call, and the calls."""

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IdType, UTCDateTime, utcnow


class Colour(enum.StrEnum):
    RED = "red"  # pressing needs
    YELLOW = "yellow"  # families or neighbours in conflict
    BLUE = "blue"  # low income, hardship, elderly living alone
    ORANGE = "orange"  # ordinary households


class Household(Base):
    """An address with people, some not on Telegram at all. The address identifies it."""

    __tablename__ = "care_households"
    __table_args__ = (UniqueConstraint("building_id", "unit_key", "room"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    micro_grid_id: Mapped[int] = mapped_column(ForeignKey("micro_grids.id"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    # The unit's id as text ('' without one), so the address is unique although unit is NULL.
    unit_key: Mapped[str] = mapped_column(String(20), default="")
    room: Mapped[str] = mapped_column(String(20))
    people: Mapped[str] = mapped_column(String(200), default="")  # names, as the ledger has them
    phone_secret: Mapped[str | None] = mapped_column(Text)  # encrypted
    colour: Mapped[Colour] = mapped_column(Enum(Colour, native_enum=False, length=10))
    colour_reason: Mapped[str] = mapped_column(String(200), default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    last_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ColourChange(Base):
    __tablename__ = "care_colour_changes"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("care_households.id"), index=True)
    colour: Mapped[Colour] = mapped_column(Enum(Colour, native_enum=False, length=10))
    reason: Mapped[str] = mapped_column(String(200), default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CareNote(Base):
    __tablename__ = "care_notes"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("care_households.id"), index=True)
    body_secret: Mapped[str] = mapped_column(Text)  # encrypted
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AccessEntry(Base):
    """One read, change, export or import of ledger data: who, when, which household, what."""

    __tablename__ = "care_access_log"
    __table_args__ = (Index("ix_care_access_log_community_at", "community_id", "at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("care_households.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the command line
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VisitOutcome(enum.StrEnum):
    WELL = "well"
    NEEDS_HELP = "needs_help"
    NOT_HOME = "not_home"


class Visit(Base):
    __tablename__ = "care_visits"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("care_households.id"), index=True)
    visitor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[VisitOutcome] = mapped_column(Enum(VisitOutcome, native_enum=False, length=12))
    note_secret: Mapped[str | None] = mapped_column(Text)  # encrypted
    photo_file_id: Mapped[str | None] = mapped_column(String(255))
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Caller(Base):
    """A household member, or a registered relative acting for them, who may make the call."""

    __tablename__ = "care_callers"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("care_households.id"), index=True)
    enabled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CallStatus(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    CANCELLED = "cancelled"
    CLOSED = "closed"


class EmergencyCall(Base):
    __tablename__ = "care_calls"
    __table_args__ = (
        Index("ix_care_calls_status_called", "status", "called_at"),
        # One call under way per household, also when the button is pressed twice at once.
        Index(
            "uq_care_calls_one_active",
            "household_id",
            unique=True,
            sqlite_where=text("status IN ('OPEN', 'ACCEPTED')"),
            postgresql_where=text("status IN ('OPEN', 'ACCEPTED')"),
        ),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("care_households.id"), index=True)
    caller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[CallStatus] = mapped_column(
        Enum(CallStatus, native_enum=False, length=10), default=CallStatus.OPEN
    )
    # Who has been alerted: 0 the micro-grid, 1 also the grid's workers, 2 also the admins.
    level: Mapped[int] = mapped_column(Integer, default=0)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    called_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
