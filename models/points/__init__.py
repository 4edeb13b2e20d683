"""Points: an append-only ledger with balances, rewards, weekly redemption and vouchers."""

from models.points.tables import (
    LedgerEntry,
    LedgerReason,
    Merchant,
    OrderStatus,
    PointBalance,
    RedemptionOrder,
    Reward,
    Voucher,
)

__all__ = [
    "LedgerEntry",
    "LedgerReason",
    "Merchant",
    "OrderStatus",
    "PointBalance",
    "RedemptionOrder",
    "Reward",
    "Voucher",
]
