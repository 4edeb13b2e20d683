"""The ledger: every change of a balance is an entry whose idempotency key names its cause.

An entry and its balance change are written together, the entry first: a cause that already
paid changes nothing, and a debit that would take the balance below zero is refused and leaves
no entry.
"""

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models.errors import DomainError, InvalidInput, NotAllowed
from models.members import Member, User
from models.notices import Notice, emit
from models.points.tables import LedgerEntry, LedgerReason, PointBalance
from models.structure import Community

DEFAULT_AMOUNTS = {
    "task": 10,  # a resolved report the resident was satisfied with, to its claimer
    "wish": 5,  # a fulfilled micro-wish, to its claimer
    "free_service": 5,  # an approved free-form service check-in
    "free_service_daily_cap": 20,  # most points a person earns a day from free-form service
}
ADJUST_LIMIT = 100_000


class NotEnoughPoints(DomainError):
    message_id = "points-not-enough"


def amount_setting(community: Community, name: str) -> int:
    return int((community.settings or {}).get("points", {}).get(name, DEFAULT_AMOUNTS[name]))


@dataclass
class Posted:
    entry: LedgerEntry | None  # None when the cause had been booked already
    balance: int


async def balance_of(session: AsyncSession, user_id: int, community_id: int) -> int:
    value = await session.scalar(
        select(PointBalance.balance).where(
            PointBalance.user_id == user_id, PointBalance.community_id == community_id
        )
    )
    return value or 0


async def post(
    session: AsyncSession,
    *,
    community_id: int,
    user_id: int,
    amount: int,
    reason: LedgerReason,
    key: str,
    ref_type: str | None = None,
    ref_id: int | None = None,
    note: str | None = None,
    created_by_id: int | None = None,
) -> Posted:
    """Book `amount` (negative spends) once for the cause named by `key`."""
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    # The entry first: a second booking of the same cause waits here for the first one's
    # transaction and then finds its key taken, before it touches the balance.
    entry = await session.scalar(
        insert(LedgerEntry)
        .values(community_id=community_id, user_id=user_id, amount=amount, reason=reason,
                ref_type=ref_type, ref_id=ref_id, note=note, idempotency_key=key,
                created_by_id=created_by_id)
        .on_conflict_do_nothing(index_elements=[LedgerEntry.idempotency_key])
        .returning(LedgerEntry)
    )  # fmt: skip
    if entry is None:
        return Posted(None, await balance_of(session, user_id, community_id))
    if amount >= 0:
        moved = (
            insert(PointBalance)
            .values(user_id=user_id, community_id=community_id, balance=amount)
            .on_conflict_do_update(
                index_elements=[PointBalance.user_id, PointBalance.community_id],
                set_={"balance": PointBalance.balance + amount},
            )
        )
    else:
        # One conditional UPDATE: concurrent spenders are serialised by the row lock and
        # none can pass zero (no row: nothing to spend).
        moved = (
            update(PointBalance)
            .where(
                PointBalance.user_id == user_id,
                PointBalance.community_id == community_id,
                PointBalance.balance + amount >= 0,
            )
            .values(balance=PointBalance.balance + amount)
        )
    balance = await session.scalar(moved.returning(PointBalance.balance))
    if balance is None:
        await session.execute(delete(LedgerEntry).where(LedgerEntry.id == entry.id))
        raise NotEnoughPoints(need=-amount, have=await balance_of(session, user_id, community_id))
    return Posted(entry, balance)


async def recent_entries(
    session: AsyncSession, user_id: int, community_id: int, limit: int = 10
) -> list[LedgerEntry]:
    query = (
        select(LedgerEntry)
        .where(LedgerEntry.user_id == user_id, LedgerEntry.community_id == community_id)
        .order_by(LedgerEntry.id.desc())
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def adjust(
    session: AsyncSession,
    admin: Member | None,
    community_id: int,
    user: User,
    amount: int,
    reason: str,
    key: str,
) -> Posted:
    """An admin's correction, with a reason shown to the member. `admin` is None from the CLI
    (whoever runs it already holds the database)."""
    if admin is not None and not admin.is_admin_of(community_id):
        raise NotAllowed("points-admin-only")
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput("points-reason-needed")
    if amount == 0 or abs(amount) > ADJUST_LIMIT:
        raise InvalidInput("points-amount-invalid", limit=ADJUST_LIMIT)
    posted = await post(
        session, community_id=community_id, user_id=user.id, amount=amount,
        reason=LedgerReason.ADJUSTMENT, key=key, note=reason,
        created_by_id=admin.user.id if admin else None,
    )  # fmt: skip
    if posted.entry is not None:
        args = {"amount": amount, "reason": reason, "balance": posted.balance}
        emit(session, Notice("points-adjusted", user_id=user.id, args=args))
    return posted
