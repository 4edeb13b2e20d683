"""Deadline escalation, every few minutes: an overdue request moves up one level
(micro-grid → grid workers → community admins) and is announced there once."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.notifier import Notifier
from models.base import utcnow
from models.errors import DomainError
from models.jobs import finish_run, start_run
from models.party.whistles import remind_late
from models.requests.routing import overdue_requests
from models.requests.workflow import escalate

log = logging.getLogger(__name__)


@dataclass
class EscalationJob:
    sessionmaker: async_sessionmaker[AsyncSession]
    notifier: Notifier
    on_sent: Callable[[], None] | None = None  # wakes the outbox sender
    every_minutes: int = 5

    def period(self, now: datetime) -> str:
        slot = now.replace(second=0, microsecond=0)
        return slot.replace(minute=slot.minute - slot.minute % self.every_minutes).strftime(
            "%Y-%m-%dT%H:%M"
        )

    async def run(self, now: datetime | None = None) -> int:
        """Escalate everything overdue at `now`; returns how many requests moved up."""
        now = now or utcnow()
        async with self.sessionmaker() as session:
            run = await start_run(session, "escalation", self.period(now))
            if run is None:
                return 0  # another process has this slot
            await session.commit()
            escalated = 0
            for request_id in await overdue_requests(session, now):
                try:
                    await escalate(session, None, request_id, None, now=now)
                except DomainError:
                    await session.rollback()  # changed meanwhile; the next run looks again
                    continue
                await self.notifier.flush(session)
                await session.commit()
                escalated += 1
            reminded = await remind_late(session, now)  # departments late to report in
            await self.notifier.flush(session)
            await session.commit()
            finish_run(run, {"escalated": escalated, "whistle_reminders": reminded})
            await session.commit()
        metrics.JOB_RUNS.labels("escalation", "done").inc()
        if (escalated or reminded) and self.on_sent is not None:
            self.on_sent()
        log.info("escalation at %s: %d requests moved up", now.isoformat(), escalated)
        return escalated
