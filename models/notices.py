"""Notices: what a state change wants people to be told.

Domain functions emit them into the session; whoever commits the session (the bot's
per-update middleware, a scheduled job, the CLI) turns them into outbox rows first, so the
messages are stored in the same transaction as the change that caused them.
"""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class Notice:
    kind: str
    request_id: int | None = None
    user_id: int | None = None  # a person (users.id), told in private
    chat_id: int | None = None  # a group chat
    args: dict[str, Any] = field(default_factory=dict)
    dedup_key: str | None = None  # names the cause, so a notice is queued at most once


def emit(session: AsyncSession, notice: Notice) -> None:
    session.info.setdefault("notices", []).append(notice)


def take_notices(session: AsyncSession) -> list[Notice]:
    return session.info.pop("notices", [])
