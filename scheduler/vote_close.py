"""Deliberation on a clock, every minute: a vote whose deadline passed is closed and its result
published, each exactly once (a run key per proposal, and the close itself is guarded); a
proposal not screened in time moves up to the community admins once."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.notifier import Notifier
from models.base import utcnow
from models.deliberation.workflow import (
    close_vote,
    due_votes,
    escalate_screening,
    overdue_screening,
)
from models.errors import DomainError
from models.jobs import finish_run, start_run

log = logging.getLogger(__name__)


@dataclass
class VoteCloseJob:
    sessionmaker: async_sessionmaker[AsyncSession]
    notifier: Notifier
    on_sent: Callable[[], None] | None = None  # wakes the outbox sender
    every_minutes: int = 1

    async def run(self, now: datetime | None = None) -> dict[str, int]:
        """Close every vote due at `now` and move up every overdue screening; returns counts
        of what this process did (another process may have done the rest)."""
        now = now or utcnow()
        closed = escalated = 0
        async with self.sessionmaker() as session:
            for proposal_id in await due_votes(session, now):
                run = await start_run(session, "vote-close", f"p{proposal_id}")
                if run is None:
                    await session.rollback()
                    continue  # closed, or being closed, by another process
                try:
                    await close_vote(session, proposal_id, None, now=now)
                except DomainError:
                    await session.rollback()  # closed early by staff meanwhile
                    continue
                finish_run(run, {"closed": proposal_id})
                await self.notifier.flush(session)
                await session.commit()
                closed += 1
            await session.rollback()
            for proposal_id in await overdue_screening(session, now):
                try:
                    moved = await escalate_screening(session, proposal_id)
                except DomainError:
                    await session.rollback()
                    continue
                await self.notifier.flush(session)
                await session.commit()
                escalated += int(moved)
        metrics.JOB_RUNS.labels("vote-close", "done").inc()
        if (closed or escalated) and self.on_sent is not None:
            self.on_sent()
        if closed or escalated:
            log.info("deliberation at %s: %d votes closed, %d proposals moved up",
                     now.isoformat(), closed, escalated)  # fmt: skip
        return {"closed": closed, "escalated": escalated}
