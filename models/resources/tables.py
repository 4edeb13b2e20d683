"""The community fund (共建实践金 / 社区微基金) and the projects it pays for.

Money is in fen. The ledger is append-only: a donation credits it, a paid disbursement debits
it, and each entry's key names its cause so nothing is booked twice. Balances are kept per
bucket (0: free to spend; a project's id: money earmarked for that project) and are never
negative: every debit is one conditional UPDATE.
"""

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IdType, UTCDateTime, utcnow

FREE = 0  # the bucket of unearmarked money


def _enum(kind: type[enum.Enum]) -> Enum:
    return Enum(kind, native_enum=False, length=20)


class DonorKind(enum.StrEnum):
    UNIT = "unit"  # a 共建单位
    PARTNER = "partner"  # a social organisation or business
    PARTY_MEMBER = "party_member"
    RESIDENT = "resident"
    ANONYMOUS = "anonymous"


class DonationType(enum.StrEnum):
    DIRECTED = "directed"  # 定向捐: for one project
    CARING = "caring"  # 爱心捐
    PUBLIC = "public"  # 公益捐
    LEADING = "leading"  # 带头捐: party members and cadres first
    MUTUAL = "mutual"  # 互助捐


class DisbursementUse(enum.StrEnum):
    EMERGENCY = "emergency"  # 救急
    DISASTER = "disaster"  # 救难
    HARDSHIP = "hardship"  # 救困
    ELDERLY = "elderly"  # 扶老
    ORPHANS = "orphans"  # 扶孤
    PUBLIC_GOOD = "public_good"  # 扶持公益
    AWARD = "award"  # 奖励
    PROJECT = "project"  # a project's earmarked money


class DisbursementStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the board's approvals
    PAID = "paid"
    WITHDRAWN = "withdrawn"


class ProjectStatus(enum.StrEnum):
    OPEN = "open"  # 立项: waiting to be taken up
    TAKEN = "taken"  # 认领 / 购买 / 承接
    UNDERWAY = "underway"  # 实施
    ACCEPTED = "accepted"  # 验收
    DONE = "done"  # 成效 recorded
    CANCELLED = "cancelled"


class FundEntry(Base):
    """One line of a community's fund ledger: never changed, never deleted."""

    __tablename__ = "fund_entries"
    __table_args__ = (Index("ix_fund_entries_community_at", "community_id", "at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    bucket: Mapped[int] = mapped_column(Integer, default=FREE)
    amount: Mapped[int] = mapped_column(BigInteger)  # fen; negative spends
    key: Mapped[str] = mapped_column(String(64), unique=True)  # the cause, booked once
    donation_id: Mapped[int | None] = mapped_column(ForeignKey("fund_donations.id"))
    disbursement_id: Mapped[int | None] = mapped_column(ForeignKey("fund_disbursements.id"))
    # A re-designation: the cancelled project whose earmarked money moved to general use.
    project_id: Mapped[int | None] = mapped_column(ForeignKey("fund_projects.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class FundBalance(Base):
    """The running total of one bucket; it equals the sum of the bucket's entries."""

    __tablename__ = "fund_balances"

    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id"), primary_key=True, autoincrement=False
    )
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    balance: Mapped[int] = mapped_column(BigInteger, default=0)


class FundCounter(Base):
    """The last receipt or disbursement number given in a community."""

    __tablename__ = "fund_counters"

    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id"), primary_key=True, autoincrement=False
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # donation | disbursement
    last: Mapped[int] = mapped_column(Integer, default=0)


class Donation(Base):
    """A gift to the fund: money (booked in the ledger) or goods (listed with an estimated
    value, not money the fund can spend). Its number is the thank-you receipt's number."""

    __tablename__ = "fund_donations"
    __table_args__ = (UniqueConstraint("community_id", "number"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    donor_kind: Mapped[DonorKind] = mapped_column(_enum(DonorKind))
    donor_name: Mapped[str | None] = mapped_column(String(100))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("partner_units.id"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    # A registered person who gave: their receipt, and the choice to be named, go to them.
    donor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    type: Mapped[DonationType] = mapped_column(_enum(DonationType))
    amount: Mapped[int] = mapped_column(BigInteger)  # fen: the money, or the goods' value
    goods: Mapped[str | None] = mapped_column(Text)  # the items; None for money
    project_id: Mapped[int | None] = mapped_column(ForeignKey("fund_projects.id"))
    publish_name: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Disbursement(Base):
    """Money going out: paid once K of the board's N members approved it."""

    __tablename__ = "fund_disbursements"
    __table_args__ = (UniqueConstraint("community_id", "number"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    use: Mapped[DisbursementUse] = mapped_column(_enum(DisbursementUse))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("fund_projects.id"))
    payee: Mapped[str] = mapped_column(String(100))
    amount: Mapped[int] = mapped_column(BigInteger)
    photo_file_id: Mapped[str | None] = mapped_column(String(200))  # the receipt
    status: Mapped[DisbursementStatus] = mapped_column(_enum(DisbursementStatus))
    needed: Mapped[int] = mapped_column(Integer)  # approvals needed (K), fixed when asked
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # paid or withdrawn


class Approval(Base):
    """A board member's approval of a disbursement; one each."""

    __tablename__ = "fund_approvals"
    __table_args__ = (UniqueConstraint("disbursement_id", "user_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    disbursement_id: Mapped[int] = mapped_column(ForeignKey("fund_disbursements.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ScopeKind(enum.StrEnum):
    MICRO_GRID = "micro_grid"
    GRID = "grid"
    COMMUNITY = "community"


class NeedSource(enum.StrEnum):
    STAFF = "staff"  # added by staff in chat or from the command line
    RECURRING = "recurring"  # a category of request that keeps coming back in one place
    WISH = "wish"  # a micro-wish left unclaimed past its deadline
    PROPOSAL = "proposal"  # a passed deliberation proposal


class NeedStatus(enum.StrEnum):
    PROPOSED = "proposed"  # by the bot, for staff to accept or dismiss
    OPEN = "open"  # on the needs list
    DISMISSED = "dismissed"
    IN_PROJECT = "in_project"


class Need(Base):
    """A line of the needs list (治理需求清单)."""

    __tablename__ = "resource_needs"
    __table_args__ = (UniqueConstraint("community_id", "number"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(100))
    scope: Mapped[ScopeKind] = mapped_column(_enum(ScopeKind))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"))
    micro_grid_id: Mapped[int | None] = mapped_column(ForeignKey("micro_grids.id"))
    source: Mapped[NeedSource] = mapped_column(_enum(NeedSource))
    # What the bot proposed it from, so a cause proposes one need once.
    source_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    people: Mapped[int] = mapped_column(Integer, default=0)  # people it would help
    status: Mapped[NeedStatus] = mapped_column(_enum(NeedStatus))
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ResourceKind(enum.StrEnum):
    SPACE = "space"
    HOURS = "hours"  # people-hours
    GOODS = "goods"
    MONEY = "money"


class Resource(Base):
    """A line of the resources list (共治资源清单): what a unit or partner offers."""

    __tablename__ = "resource_offers"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("partner_units.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    kind: Mapped[ResourceKind] = mapped_column(_enum(ResourceKind))
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[str] = mapped_column(String(50))
    available_from: Mapped[date | None] = mapped_column(Date)
    available_until: Mapped[date | None] = mapped_column(Date)
    offered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TakeUp(enum.StrEnum):
    CLAIM = "claim"  # 认领 by a unit
    PURCHASE = "purchase"  # 购买 from a partner
    UNDERTAKE = "undertake"  # 承接 by the community


class Project(Base):
    """A line of the project list (服务项目清单): what money may be earmarked for and what
    disbursements may pay; taken up one way, then carried out, accepted and its 成效 told."""

    __tablename__ = "fund_projects"
    __table_args__ = (UniqueConstraint("community_id", "number"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(100))
    scope: Mapped[ScopeKind] = mapped_column(_enum(ScopeKind), default=ScopeKind.COMMUNITY)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"))
    micro_grid_id: Mapped[int | None] = mapped_column(ForeignKey("micro_grids.id"))
    plan: Mapped[str] = mapped_column(Text, default="")
    budget: Mapped[int] = mapped_column(BigInteger, default=0)  # fen
    people: Mapped[int] = mapped_column(Integer, default=0)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))
    status: Mapped[ProjectStatus] = mapped_column(_enum(ProjectStatus), default=ProjectStatus.OPEN)
    # Compare-and-set guard: of two units pressing 认领 at once, one wins.
    version: Mapped[int] = mapped_column(Integer, default=0)
    take_up: Mapped[TakeUp | None] = mapped_column(_enum(TakeUp))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("partner_units.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    helped: Mapped[int | None] = mapped_column(Integer)  # 成效: people actually helped
    outcome: Mapped[str | None] = mapped_column(Text)
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)
    cancel_reason: Mapped[str | None] = mapped_column(Text)  # 撤销: why staff cancelled it
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProjectNeed(Base):
    __tablename__ = "fund_project_needs"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("fund_projects.id"), primary_key=True, autoincrement=False
    )
    need_id: Mapped[int] = mapped_column(
        ForeignKey("resource_needs.id"), primary_key=True, autoincrement=False
    )


class ProjectStage(Base):
    """A dated step of a project with who took it: 立项, 认领/购买/承接, 实施, 验收, 成效."""

    __tablename__ = "fund_project_stages"
    __table_args__ = (UniqueConstraint("project_id", "stage"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("fund_projects.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProjectRating(Base):
    """A resident of the project's scope rates it once it is accepted; once each."""

    __tablename__ = "fund_project_ratings"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("fund_projects.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    stars: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UnitAgreement(Base):
    """A unit's 共驻共建协议书: its dates; staff are reminded before it lapses."""

    __tablename__ = "unit_agreements"

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("partner_units.id"), primary_key=True, autoincrement=False
    )
    signed_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    # The end date a reminder was sent for, so a renewed agreement is reminded again.
    reminded_for: Mapped[date | None] = mapped_column(Date)
