"""Every few minutes: an order its partner has not accepted within the service's respond_hours
is put before the community's staff again, once (the daily feedback lists it too)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.notifier import Notifier
from models.base import utcnow
from models.jobs import finish_run, start_run
from models.services import flag_late

log = logging.getLogger(__name__)
JOB = "service_late"


@dataclass
class LateOrdersJob:
    sessionmaker: async_sessionmaker[AsyncSession]
    notifier: Notifier
    on_sent: Callable[[], None] | None = None  # wakes the outbox sender
    every_minutes: int = 5

    def period(self, now: datetime) -> str:
        slot = now.replace(second=0, microsecond=0)
        slot = slot.replace(minute=slot.minute - slot.minute % self.every_minutes)
        return slot.strftime("%Y-%m-%dT%H:%M")

    async def run(self, now: datetime | None = None) -> int:
        """Flag what is late at `now`; returns how many orders were put before staff."""
        now = now or utcnow()
        async with self.sessionmaker() as session:
            run = await start_run(session, JOB, self.period(now))
            if run is None:
                return 0  # another process has this slot
            await session.commit()
            flagged = await flag_late(session, now)
            await self.notifier.flush(session)
            finish_run(run, {"flagged": len(flagged)})
            await session.commit()
        metrics.JOB_RUNS.labels(JOB, "done").inc()
        if flagged and self.on_sent is not None:
            self.on_sent()
        log.info("late service orders at %s: %d", now.isoformat(), len(flagged))
        return len(flagged)


def schedule_late_orders(
    scheduler: AsyncIOScheduler, job: LateOrdersJob, tracked: Callable[[Any], Any]
) -> None:
    scheduler.add_job(tracked(job.run), IntervalTrigger(minutes=job.every_minutes),
                      id=JOB, max_instances=1, coalesce=True)  # fmt: skip
