"""Reading points for staff: balances, the ledger searched, held orders per reward."""

from dataclasses import dataclass

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.errors import NotFound
from models.members import User
from models.points.tables import LedgerEntry, OrderStatus, PointBalance, RedemptionOrder


def _who(words: str):  # type: ignore[no-untyped-def]
    """Members matching a name, @username or Telegram id."""
    words = words.strip().lstrip("@")
    return or_(User.full_name.contains(words, autoescape=True),
               User.username.contains(words, autoescape=True),
               cast(User.telegram_id, String) == words)  # fmt: skip


@dataclass
class BalanceRow:
    user: User
    balance: int


async def balances(
    session: AsyncSession, community_id: int, words: str = "", limit: int = 50
) -> list[BalanceRow]:
    """Members' balances in a community, largest first, optionally matching `words`."""
    query = (
        select(User, PointBalance.balance)
        .join(PointBalance, PointBalance.user_id == User.id)
        .where(PointBalance.community_id == community_id)
        .order_by(PointBalance.balance.desc(), User.id)
        .limit(limit)
    )
    if words.strip():
        query = query.where(_who(words))
    return [BalanceRow(user, balance) for user, balance in (await session.execute(query)).all()]


async def ledger_search(
    session: AsyncSession, community_id: int, words: str = "", limit: int = 100
) -> list[tuple[LedgerEntry, User]]:
    """The newest ledger entries of a community, for members or notes matching `words`."""
    query = (
        select(LedgerEntry, User)
        .join(User, User.id == LedgerEntry.user_id)
        .where(LedgerEntry.community_id == community_id)
        .order_by(LedgerEntry.id.desc())
        .limit(limit)
    )
    if words.strip():
        query = query.where(or_(_who(words), LedgerEntry.note.contains(words.strip(),
                                                                      autoescape=True)))
    return [(entry, user) for entry, user in (await session.execute(query)).all()]


async def held_orders(session: AsyncSession, community_id: int) -> dict[int, int]:
    """Orders waiting for the weekly redemption, per reward id."""
    query = (
        select(RedemptionOrder.reward_id, func.count())
        .where(RedemptionOrder.community_id == community_id,
               RedemptionOrder.status == OrderStatus.HELD)
        .group_by(RedemptionOrder.reward_id)
    )  # fmt: skip
    return dict((await session.execute(query)).all())  # type: ignore[arg-type]


async def member_by_telegram_id(session: AsyncSession, telegram_id: int) -> User:
    """A known member (the workbench never creates people)."""
    user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
    if user is None:
        raise NotFound("web-member-unknown", id=telegram_id)
    return user
