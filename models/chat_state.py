"""Conversation state (multi-step flows) kept in the database, so it survives a restart."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class ChatState(Base):
    __tablename__ = "chat_states"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(100))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


# session.info keys: the state rows this session has read, by key (None: there is none), and
# which of them it read with a lock.
_KNOWN = "chat_states"
_LOCKED = "chat_states_locked"


def known_states(session: AsyncSession) -> dict[str, ChatState | None]:
    return session.info.setdefault(_KNOWN, {})


def remember_state(
    session: AsyncSession, key: str, row: ChatState | None, *, locked: bool = False
) -> None:
    """A state row read along with something else (the acting member, without a lock), or
    one this session has just inserted or deleted (which holds it)."""
    known_states(session)[key] = row
    if locked:
        session.info.setdefault(_LOCKED, set()).add(key)


async def state_row(session: AsyncSession, key: str) -> ChatState | None:
    """The state row of `key`, read once per session. A row that exists is read for update:
    on PostgreSQL a second process handling the same chat waits rather than overwriting this
    one's step (SQLite has one writer at a time anyway); there is nothing to lock when the
    row does not exist. The read of the acting member brings the row locked already."""
    known = known_states(session)
    locked: set[str] = session.info.setdefault(_LOCKED, set())
    if key in known and (
        known[key] is None or key in locked or session.bind.dialect.name == "sqlite"
    ):
        return known[key]
    row = await session.get(ChatState, key, with_for_update=True, populate_existing=True)
    known[key] = row
    locked.add(key)
    return row
