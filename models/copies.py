"""Copies of one message: a card about one thing (a request, a check-in, an activity) that went
to several people or chats.

Each copy is recorded when it is queued and gets its message id once Telegram accepted it. When
the thing changes, every copy is drawn again and edited where what it would show differs from
what it shows, so no copy keeps buttons or a status the others have moved past.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Index,
    Integer,
    String,
    UniqueConstraint,
    insert,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IdType, TelegramId
from models.notices import Notice, emit


@dataclass(frozen=True)
class Subject:
    """What copies are about: a kind with a renderer (request, checkin, activity) and an id."""

    kind: str
    id: int

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


class MessageCopy(Base):
    __tablename__ = "message_copies"
    __table_args__ = (
        Index("ix_message_copies_subject", "subject_kind", "subject_id"),
        UniqueConstraint("chat_id", "message_id"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(BigInteger)
    # How this copy is drawn (team, claimer, leader, announcement) and in which language
    # (None: the default language, as in group chats).
    variant: Mapped[str] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(8))
    # What this copy shows beyond its subject's state, e.g. why the card came to this chat.
    context: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    chat_id: Mapped[int] = mapped_column(TelegramId)
    message_id: Mapped[int | None] = mapped_column(Integer)  # once Telegram accepted the send
    captioned: Mapped[bool] = mapped_column(default=False)  # a photo: its caption is its text
    # Fingerprint of the text and buttons the copy shows, as Telegram last accepted them.
    shown: Mapped[str | None] = mapped_column(String(64))

    @property
    def subject(self) -> Subject:
        return Subject(self.subject_kind, self.subject_id)


def fingerprint(payload: dict[str, Any]) -> str:
    """Of what a message payload shows: its text (or caption) and its buttons."""
    shown = {
        "text": payload.get("text", payload.get("caption")),
        "buttons": payload.get("reply_markup"),
    }
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()


# Rows come back in the order of the parameters, so several copies can go in one statement.
INSERT_COPIES = insert(MessageCopy.__table__).returning(
    MessageCopy.__table__.c.id, sort_by_parameter_order=True
)


def copy_row(copy: MessageCopy) -> dict[str, Any]:
    """The values of a new copy, to write it without the ORM's unit of work (its message id
    and what it shows are unknown until Telegram accepts it)."""
    return {
        "subject_kind": copy.subject_kind, "subject_id": copy.subject_id,
        "variant": copy.variant, "language": copy.language, "context": copy.context,
        "chat_id": copy.chat_id, "captioned": bool(copy.captioned),
    }  # fmt: skip


def refresh(session: AsyncSession, subject: Subject) -> None:
    """Ask for every copy of `subject` to be brought up to date when the change is committed."""
    emit(session, Notice("refresh", args={"kind": subject.kind, "id": subject.id}))


async def copies_of(session: AsyncSession, subject: Subject) -> list[MessageCopy]:
    query = (
        select(MessageCopy)
        .where(MessageCopy.subject_kind == subject.kind, MessageCopy.subject_id == subject.id)
        .order_by(MessageCopy.id)
    )
    return list((await session.scalars(query)).all())
