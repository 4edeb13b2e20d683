"""Telegram update ids already handled, so a redelivered update is processed once.

An update is recorded in the same transaction as the changes its handler made: when that
transaction commits, the update is done; when it rolls back, a redelivery does it again.
An update that fails for good is recorded with its error, so it is acknowledged once.
"""

from datetime import datetime

from sqlalchemy import BigInteger, Text, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class ProcessedUpdate(Base):
    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Set when handling failed for a reason a redelivery would not cure.
    error: Mapped[str | None] = mapped_column(Text)


async def was_handled(session: AsyncSession, update_id: int) -> bool:
    found = await session.scalar(
        select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id == update_id)
    )
    return found is not None


async def record_update(session: AsyncSession, update_id: int, error: str | None = None) -> bool:
    """Record the update as handled in the session's transaction; False when another
    delivery of it was recorded first (its transaction has committed)."""
    try:
        async with session.begin_nested():
            await session.execute(
                insert(ProcessedUpdate).values(update_id=update_id, error=error)
            )
    except IntegrityError:
        return False
    return True
