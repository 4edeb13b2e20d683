"""Outgoing messages, written in the same transaction as the change that caused them."""

import enum
import functools
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    JSON,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    and_,
    bindparam,
    case,
    exists,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship
from sqlalchemy.sql.dml import Update

from models.base import Base, IdType, TelegramId, UTCDateTime, utcnow
from models.copies import INSERT_COPIES, MessageCopy, Subject, copy_row


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_chat_order", "chat_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    chat_id: Mapped[int] = mapped_column(TelegramId)
    # For a private send: whose chat it is, so an unreachable person gets the team fallback.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    fallback_chat_id: Mapped[int | None] = mapped_column(TelegramId)
    method: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Unique name of the cause, so the same notification is never queued twice.
    dedup_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(OutboxStatus, native_enum=False, length=10), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Urgent rows (an emergency call's alerts) are sent before every other due row.
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The sender process that has taken the row, and until when (see `lease`).
    leased_by: Mapped[str | None] = mapped_column(String(100))
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_message_id: Mapped[int | None] = mapped_column(Integer)
    # The request the message is about, if any: a person it cannot reach gets a pointer to it.
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))
    # The copy of a card this row sends or edits (see models/copies.py).
    copy_id: Mapped[int | None] = mapped_column(ForeignKey("message_copies.id"), index=True)
    copy: Mapped[MessageCopy | None] = relationship()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


_QUEUE = insert(OutboxMessage.__table__)
# session.info key: the rows queued within `batched`, written at its end.
_BATCH = "outbox-batch"


@dataclass
class _Batch:
    copies: list[dict[str, Any]] = field(default_factory=list)
    # each row with the index of the new copy it sends, if it sends one
    messages: list[tuple[dict[str, Any], int | None]] = field(default_factory=list)
    # waiting rows to send something else; each has a row in `messages` queued unless it is
    # rewritten (its `unless_rewritten`)
    rewrites: dict[int, dict[str, Any]] = field(default_factory=dict)

    def add(self, row: dict[str, Any], new_copy: MessageCopy | None) -> None:
        if new_copy is None:
            self.messages.append((row, None))
        else:
            self.copies.append(copy_row(new_copy))
            self.messages.append((row, len(self.copies) - 1))


@asynccontextmanager
async def batched(session: AsyncSession) -> AsyncIterator[None]:
    """Within this block, rewrites of waiting rows, new copies and queued messages are kept
    and written together when it ends without error, in the order queued: on PostgreSQL by
    one statement. What is queued within it cannot be read back before it ends."""
    batch = session.info[_BATCH] = _Batch()
    try:
        yield
    finally:
        del session.info[_BATCH]
    await _write(session, batch)


# On PostgreSQL a batch is one statement. Copies are inserted in their order and a serial
# column numbers them in that order (what SQLAlchemy's own batched inserts rely on), so the
# n-th new id is the n-th copy's. The rewrite sees only rows queued before the statement.
_BATCH_WRITE = text("""
WITH rewritten AS (
    UPDATE outbox SET payload = r.payload
    FROM json_to_recordset(:rewrites) AS r(id bigint, payload json)
    WHERE outbox.id = r.id AND outbox.status = :pending AND outbox.leased_by IS NULL
    RETURNING outbox.id
), new_copies AS (
    INSERT INTO message_copies
        (subject_kind, subject_id, variant, language, context, chat_id, captioned)
    SELECT c.subject_kind, c.subject_id, c.variant, c.language, c.context, c.chat_id,
           c.captioned
    FROM json_to_recordset(:copies) AS c(
        subject_kind varchar, subject_id bigint, variant varchar, language varchar,
        context json, chat_id bigint, captioned boolean, n bigint)
    ORDER BY c.n
    RETURNING id
), numbered AS (
    SELECT id, row_number() OVER (ORDER BY id) AS n FROM new_copies
)
INSERT INTO outbox (chat_id, user_id, fallback_chat_id, method, payload, dedup_key, status,
                    attempts, next_attempt_at, priority, request_id, copy_id, created_at)
SELECT m.chat_id, m.user_id, m.fallback_chat_id, m.method, m.payload, m.dedup_key, :pending,
       0, :now, m.priority, m.request_id, coalesce(m.copy_id, numbered.id), :now
FROM json_to_recordset(:messages) AS m(
    chat_id bigint, user_id bigint, fallback_chat_id bigint, method varchar, payload json,
    dedup_key varchar, priority integer, request_id bigint, copy_id bigint, copy_n bigint,
    unless_rewritten bigint, n bigint)
LEFT JOIN numbered ON numbered.n = m.copy_n
WHERE m.unless_rewritten IS NULL OR m.unless_rewritten NOT IN (SELECT id FROM rewritten)
ORDER BY m.n
""").bindparams(
    bindparam("rewrites", type_=JSON), bindparam("copies", type_=JSON),
    bindparam("messages", type_=JSON), bindparam("now", type_=UTCDateTime),
    bindparam("pending", OutboxStatus.PENDING.name),
)  # fmt: skip


async def _write(session: AsyncSession, batch: _Batch) -> None:
    if (batch.copies or batch.rewrites) and session.bind.dialect.name == "postgresql":
        params = {
            "rewrites": [{"id": row_id, "payload": payload}
                         for row_id, payload in batch.rewrites.items()],
            "copies": [row | {"n": n} for n, row in enumerate(batch.copies, 1)],
            "messages": [row | {"n": n, "copy_n": None if index is None else index + 1}
                         for n, (row, index) in enumerate(batch.messages, 1)],
            "now": utcnow(),
        }  # fmt: skip
        await session.execute(_BATCH_WRITE, params)
        return
    rewritten = await replace_pending_payloads(session, batch.rewrites)
    ids: list[int] = []
    if batch.copies:
        ids = list((await session.execute(INSERT_COPIES, batch.copies)).scalars())
    rows = [
        {k: v for k, v in row.items() if k != "unless_rewritten"}
        | ({} if index is None else {"copy_id": ids[index]})
        for row, index in batch.messages
        if row.get("unless_rewritten") not in rewritten
    ]
    if rows:
        await session.execute(_QUEUE, rows)


def _row(
    chat_id: int, method: str, payload: dict[str, Any], *, copy_id: int | None = None,
    user_id: int | None = None, fallback_chat_id: int | None = None,
    dedup_key: str | None = None, request_id: int | None = None, priority: int = 0,
) -> dict[str, Any]:  # fmt: skip
    return {
        "chat_id": chat_id, "user_id": user_id, "fallback_chat_id": fallback_chat_id,
        "method": method, "payload": payload, "dedup_key": dedup_key, "priority": priority,
        "request_id": request_id, "copy_id": copy_id,
    }  # fmt: skip


async def _queue(session: AsyncSession, alter: Callable[[_Batch], None]) -> None:
    """Into the open batch, or written at once as a batch of its own."""
    batch: _Batch | None = session.info.get(_BATCH)
    if batch is not None:
        alter(batch)
        return
    alone = _Batch()
    alter(alone)
    await _write(session, alone)


async def queue_message(
    session: AsyncSession,
    chat_id: int,
    method: str,
    payload: dict[str, Any],
    *,
    new_copy: MessageCopy | None = None,
    copy_id: int | None = None,
    user_id: int | None = None,
    fallback_chat_id: int | None = None,
    dedup_key: str | None = None,
    request_id: int | None = None,
    priority: int = 0,
) -> None:
    """Queue one message (sending `new_copy`, recorded with it, or editing copy `copy_id`).
    Written by a single insert, without the ORM's unit of work: notices write a row or more
    on most updates, and the unit of work took twice the time of the insert. The columns
    left out (status, attempts, times) take their defaults."""
    row = _row(chat_id, method, payload, copy_id=copy_id, user_id=user_id,
               fallback_chat_id=fallback_chat_id, dedup_key=dedup_key, request_id=request_id,
               priority=priority)  # fmt: skip
    await _queue(session, lambda batch: batch.add(row, new_copy))


async def rewrite_or_queue(
    session: AsyncSession, row_id: int, rewritten: dict[str, Any], chat_id: int, method: str,
    payload: dict[str, Any], *, copy_id: int,
) -> None:  # fmt: skip
    """Make the waiting row `row_id` send `rewritten` instead; if a sender has taken it (or
    sent it) by the time this is written, queue `method` with `payload` behind it."""
    row = _row(chat_id, method, payload, copy_id=copy_id) | {"unless_rewritten": row_id}

    def alter(batch: _Batch) -> None:
        batch.rewrites[row_id] = rewritten
        batch.add(row, None)

    await _queue(session, alter)


async def due_heads(session: AsyncSession, now: datetime, limit: int) -> list[tuple[int, int]]:
    """(id, chat id) of due rows that are the oldest unsent row of their chat and not leased
    to a sender, urgent rows first. On PostgreSQL the rows are locked and rows another sender
    is choosing at this moment are skipped, so concurrent senders pick different rows; a
    chat's later rows wait until its earlier ones are settled, which keeps each chat's order
    (an urgent row waits only for earlier urgent ones)."""
    earlier = aliased(OutboxMessage)
    query = (
        select(OutboxMessage.id, OutboxMessage.chat_id)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.leased_until.is_(None), OutboxMessage.leased_until < now),
            ~exists().where(
                earlier.chat_id == OutboxMessage.chat_id,
                earlier.status == OutboxStatus.PENDING,
                earlier.id < OutboxMessage.id,
                earlier.priority >= OutboxMessage.priority,
            ),
        )
        .order_by(OutboxMessage.priority.desc(), OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=OutboxMessage)
    )
    return [(row_id, chat_id) for row_id, chat_id in (await session.execute(query)).all()]


async def lease(
    session: AsyncSession, ids: list[int], owner: str, until: datetime
) -> None:
    """Reserve rows for one sender until `until`; a sender that dies leaves them to others
    once the lease runs out."""
    if ids:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(leased_by=owner, leased_until=until)
            .execution_options(synchronize_session=False)
        )


async def pending_count(session: AsyncSession) -> int:
    count = await session.scalar(
        select(func.count()).select_from(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
    )  # fmt: skip
    return int(count or 0)


KEY_LOOKUP_CHUNK = 1000  # keys per query, well under every driver's limit on parameters


async def first_send(session: AsyncSession, copy_id: int) -> "OutboxMessage | None":
    """The row that sent (or tried to send) a copy in the first place."""
    return await session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.copy_id == copy_id, OutboxMessage.method.startswith("send"))
        .order_by(OutboxMessage.id)
        .limit(1)
    )


_QUEUED_KEYS = select(OutboxMessage.dedup_key).where(
    OutboxMessage.dedup_key.in_(bindparam("keys", expanding=True))
)


async def queued_keys(session: AsyncSession, keys: list[str]) -> set[str]:
    """Which of these notification keys are in the outbox already."""
    queued: set[str] = set()
    for at in range(0, len(keys), KEY_LOOKUP_CHUNK):
        chunk = keys[at : at + KEY_LOOKUP_CHUNK]
        rows = await session.scalars(_QUEUED_KEYS, {"keys": chunk})
        queued.update(key for key in rows if key is not None)
    return queued


class QueuedRow(NamedTuple):
    id: int
    payload: dict[str, Any]
    taken: bool  # leased to a sender, which may be sending it right now


def _copies_with_pending(which: Any) -> Select[Any]:
    return (
        select(MessageCopy, OutboxMessage.id, OutboxMessage.payload, OutboxMessage.leased_by)
        .outerjoin(OutboxMessage, and_(
            OutboxMessage.copy_id == MessageCopy.id,
            OutboxMessage.status == OutboxStatus.PENDING,
        ))
        .where(which)
        .order_by(MessageCopy.id, OutboxMessage.id)
    )  # fmt: skip


_OF_SUBJECT = and_(
    MessageCopy.subject_kind == bindparam("kind"), MessageCopy.subject_id == bindparam("id")
)
_COPIES_WITH_PENDING = _copies_with_pending(_OF_SUBJECT)
# and the copy at a pressed message, whatever it is a copy of
_COPIES_WITH_PENDING_AND_AT = _copies_with_pending(or_(_OF_SUBJECT, and_(
    MessageCopy.chat_id == bindparam("chat_id"),
    MessageCopy.message_id == bindparam("message_id"),
)))  # fmt: skip


async def copies_with_pending(
    session: AsyncSession, subject: Subject
) -> list[tuple[MessageCopy, QueuedRow | None]]:
    """Every copy of a subject, each with its latest unsent row if it has one (what the copy
    will show once its chat's queue is sent), in one statement."""
    rows = await session.execute(_COPIES_WITH_PENDING, {"kind": subject.kind, "id": subject.id})
    return _latest(rows.all())


async def copies_and_pressed(
    session: AsyncSession, subject: Subject, chat_id: int, message_id: int
) -> tuple[list[tuple[MessageCopy, QueuedRow | None]], MessageCopy | None]:
    """`copies_with_pending` and the copy at the message a person pressed (None: it is no
    recorded copy), which may be a copy of something else, in one statement."""
    params = {"kind": subject.kind, "id": subject.id, "chat_id": chat_id,
              "message_id": message_id}  # fmt: skip
    rows = (await session.execute(_COPIES_WITH_PENDING_AND_AT, params)).all()
    at = (chat_id, message_id)
    pressed = next((row[0] for row in rows if (row[0].chat_id, row[0].message_id) == at), None)
    mine = [row for row in rows if row[0].subject == subject]
    return _latest(mine), pressed


def _latest(rows: Sequence[Any]) -> list[tuple[MessageCopy, QueuedRow | None]]:
    latest: dict[MessageCopy, QueuedRow | None] = {}
    for copy, row_id, payload, leased_by in rows:
        if row_id is not None or copy not in latest:  # rows come oldest first: keep the last
            latest[copy] = None if row_id is None else QueuedRow(row_id, payload,
                                                                 leased_by is not None)  # fmt: skip
    return list(latest.items())


_OUTBOX = OutboxMessage.__table__


@functools.cache
def _rewrite(rows: int) -> Update:
    """The statement that rewrites `rows` queued rows: Core on the table, built once for each
    number of rows (the ORM's bulk-update path rebuilt its statement at every call)."""
    ids = [bindparam(f"id_{n}") for n in range(rows)]
    payloads = [bindparam(f"payload_{n}", type_=_OUTBOX.c.payload.type) for n in range(rows)]
    return (
        update(_OUTBOX)
        .where(
            _OUTBOX.c.id.in_(ids),
            _OUTBOX.c.status == OutboxStatus.PENDING,
            _OUTBOX.c.leased_by.is_(None),
        )
        .values(payload=case(*zip((_OUTBOX.c.id == i for i in ids), payloads, strict=True),
                             else_=_OUTBOX.c.payload))
        .returning(_OUTBOX.c.id)
    )  # fmt: skip


async def replace_pending_payloads(
    session: AsyncSession, payloads: dict[int, dict[str, Any]]
) -> set[int]:
    """Change what queued rows will send, all in one statement; returns the rows changed. A
    row a sender has taken meanwhile is left as it is."""
    if not payloads:
        return set()
    values: dict[str, Any] = {}
    for n, (row_id, payload) in enumerate(payloads.items()):
        values[f"id_{n}"], values[f"payload_{n}"] = row_id, payload
    return set((await session.execute(_rewrite(len(payloads)), values)).scalars())
