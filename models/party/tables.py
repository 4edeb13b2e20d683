"""Party building tables: partner units (共建单位), departments a community may whistle for,
party members (双报到), wishes offered to them first, their pledges, and whistles."""

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IdType, TelegramId, UTCDateTime, utcnow


class PartnerUnit(Base):
    """An employer of in-service party members, or any unit building the community together
    with it. Contacts (Telegram ids) receive the unit's monthly report."""

    __tablename__ = "partner_units"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    contacts: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Department(Base):
    """A body the community whistles for (街道吹哨、部门报到): its chat gets the card, its
    contacts may report in, and it must do so within `response_hours`."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    chat_id: Mapped[int | None] = mapped_column(TelegramId)
    contacts: Mapped[list[int]] = mapped_column(JSON, default=list)
    response_hours: Mapped[float] = mapped_column(Float, default=24)


class MembershipKind(enum.StrEnum):
    IN_SERVICE = "in_service"  # 在职党员: works at a unit, registered where they live
    COMMUNITY = "community"  # 社区党员: the community's own party organisation


class MembershipStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    LEFT = "left"


class PartyMember(Base):
    """One person's registration as a party member of the community they live in."""

    __tablename__ = "party_members"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    micro_grid_id: Mapped[int] = mapped_column(ForeignKey("micro_grids.id"), index=True)
    kind: Mapped[MembershipKind] = mapped_column(Enum(MembershipKind, native_enum=False, length=20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("partner_units.id"), index=True)
    status: Mapped[MembershipStatus] = mapped_column(
        Enum(MembershipStatus, native_enum=False, length=20)
    )
    # Compare-and-set guard: a confirm and a decline pressed at once cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(Text)  # why it was declined
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PartyWish(Base):
    """A wish offered to the micro-grid's party members first (党员优先), until `until`."""

    __tablename__ = "party_wishes"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id"), primary_key=True, autoincrement=False
    )
    until: Mapped[datetime] = mapped_column(UTCDateTime)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Pledge(Base):
    """A member's pledge for a year (承诺践行)."""

    __tablename__ = "pledges"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PledgeLink(Base):
    """A stamped service or a fulfilled wish that keeps a pledge; each counts for one."""

    __tablename__ = "pledge_links"
    __table_args__ = (UniqueConstraint("ref_type", "ref_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"), index=True)
    ref_type: Mapped[str] = mapped_column(String(20))  # checkin | request
    ref_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Whistle(Base):
    """The community blew the whistle for a department on an escalated request."""

    __tablename__ = "whistles"
    __table_args__ = (UniqueConstraint("request_id", "department_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    whistled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    whistled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
