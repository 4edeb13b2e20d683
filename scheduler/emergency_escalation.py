"""One-key calls nobody took, every half minute: after 3 minutes the grid's workers are
alerted, after 3 more the community's admins, each level once."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.notifier import Notifier
from handlers.sos import send_alert
from models.base import utcnow
from models.care.calls import escalate_call, unanswered_calls
from models.jobs import finish_run, start_run

log = logging.getLogger(__name__)


@dataclass
class EmergencyEscalationJob:
    sessionmaker: async_sessionmaker[AsyncSession]
    notifier: Notifier
    on_sent: Callable[[], None] | None = None  # wakes the outbox sender
    every_seconds: int = 30

    def period(self, now: datetime) -> str:
        second = now.second - now.second % self.every_seconds
        return now.replace(second=second, microsecond=0).strftime("%Y-%m-%dT%H:%M:%S")

    async def run(self, now: datetime | None = None) -> int:
        """Escalate every call unanswered at `now`; returns how many moved up."""
        now = now or utcnow()
        async with self.sessionmaker() as session:
            unanswered = await unanswered_calls(session, now)
            if not unanswered:
                return 0  # the usual case: no run recorded for nothing
            run = await start_run(session, "emergency-escalation", self.period(now))
            if run is None:
                return 0  # another process has this slot
            await session.commit()
            escalated = 0
            for call_id in unanswered:
                alert = await escalate_call(session, call_id)
                if alert is None:
                    await session.rollback()  # taken or moved up meanwhile
                    continue
                await send_alert(session, self.notifier, alert)
                await self.notifier.flush(session)
                await session.commit()
                escalated += 1
            finish_run(run, {"escalated": escalated})
            await session.commit()
        metrics.JOB_RUNS.labels("emergency-escalation", "done").inc()
        if escalated and self.on_sent is not None:
            self.on_sent()
        if escalated:
            log.info("emergency escalation at %s: %d calls moved up", now.isoformat(), escalated)
        return escalated
