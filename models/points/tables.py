"""Points: the append-only ledger, balances, merchants, rewards, orders and vouchers."""

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
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


class Merchant(Base):
    __tablename__ = "merchants"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)


class Reward(Base):
    __tablename__ = "rewards"
    __table_args__ = (
        UniqueConstraint("merchant_id", "name"),
        CheckConstraint("cost > 0", name="cost_positive"),
        CheckConstraint("weekly_stock >= 0", name="stock_not_negative"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    cost: Mapped[int] = mapped_column(Integer)
    weekly_stock: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(default=True)


class LedgerReason(enum.StrEnum):
    SERVICE = "service"
    WISH = "wish"
    TASK = "task"
    ORDER_HOLD = "order_hold"
    REFUND = "refund"
    ADJUSTMENT = "adjustment"


class LedgerEntry(Base):
    """Append-only. The idempotency key names the cause, so one cause can never pay twice."""

    __tablename__ = "ledger_entries"
    # A community's entries of a period (monthly summary, workbench) without the others'.
    __table_args__ = (Index("ix_ledger_entries_community_created", "community_id", "created_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    reason: Mapped[LedgerReason] = mapped_column(Enum(LedgerReason, native_enum=False, length=20))
    ref_type: Mapped[str | None] = mapped_column(String(20))
    ref_id: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class PointBalance(Base):
    """The running sum of a member's ledger, updated in the same transaction as each entry."""

    __tablename__ = "point_balances"
    __table_args__ = (CheckConstraint("balance >= 0", name="balance_not_negative"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    balance: Mapped[int] = mapped_column(Integer, default=0)


class OrderStatus(enum.StrEnum):
    HELD = "held"
    FILLED = "filled"
    REFUNDED = "refunded"


class RedemptionOrder(Base):
    __tablename__ = "redemption_orders"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    reward_id: Mapped[int] = mapped_column(ForeignKey("rewards.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    cost: Mapped[int] = mapped_column(Integer)
    week: Mapped[str] = mapped_column(String(10), index=True)  # ISO week, e.g. 2026-W48
    status: Mapped[OrderStatus] = mapped_column(
        Enum(OrderStatus, native_enum=False, length=10), default=OrderStatus.HELD
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Voucher(Base):
    __tablename__ = "vouchers"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("redemption_orders.id"), unique=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id"), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
