"""Runs the rhythm jobs: every minute it looks, for each community and job, at the latest due
period; a period without a finished run is run now (so a run missed while the process was
down happens once on start-up). The job-run key makes a period's run happen once across
processes; a crashed run is taken over and redone, and its messages are queued under
per-message keys, so nothing is sent twice."""

import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import metrics
from models.base import utcnow
from models.jobs import JobRun, JobStatus, fail_run, finish_run, run_status, start_run
from models.schedule import (
    DAILY,
    FUND_AGREEMENTS,
    FUND_NEEDS,
    FUND_STATEMENT,
    MONTHLY,
    QUARTERLY,
    UNIT_REPORTS,
    WEEKLY,
    YEARLY,
    Due,
    due_for_date,
    latest_due,
    schedule_of,
)
from models.structure import Community
from scheduler import (
    daily_feedback,
    fund_agreements,
    fund_needs,
    fund_statement,
    monthly_summary,
    service_stars,
    unit_reports,
    weekly_redemption,
    yearly_commendation,
)
from scheduler.context import JobCall, JobContext

log = logging.getLogger(__name__)

JobFunction = Callable[[JobContext, AsyncSession, JobCall], Awaitable[dict[str, Any]]]
JOBS: dict[str, JobFunction] = {
    DAILY: daily_feedback.run,
    WEEKLY: weekly_redemption.run,
    MONTHLY: monthly_summary.run,
    YEARLY: yearly_commendation.run,
    UNIT_REPORTS: unit_reports.run,
    QUARTERLY: service_stars.run,
    FUND_STATEMENT: fund_statement.run,
    FUND_NEEDS: fund_needs.run,
    FUND_AGREEMENTS: fund_agreements.run,
}


class JobRunner:
    def __init__(self, context: JobContext) -> None:
        self.context = context

    async def tick(self, now: datetime | None = None) -> list[tuple[str, str, str]]:
        """Run whatever is due and not yet done; returns (job, community, period) it ran."""
        now = now or utcnow()
        ran = []
        async with self.context.sessionmaker() as session:
            communities = (await session.scalars(select(Community).order_by(Community.id))).all()
        for community in communities:
            for job, spec in schedule_of(community).items():
                due = latest_due(job, spec, now, community.timezone)
                if due.at < community.created_at:
                    continue  # the period was over before the community was set up
                async with self.context.sessionmaker() as session:
                    # Not yet run, failed, or possibly crashed (start_run decides): run it.
                    if await run_status(session, job, due.period, community.id) == JobStatus.DONE:
                        continue
                if await self.run(job, community, due, now):
                    ran.append((job, community.name, due.period))
        return ran

    async def run_on(
        self, job: str, community: Community, on: date, now: datetime | None = None
    ) -> bool:
        """Run a job for the period due on a given day (staff running it by hand)."""
        spec = schedule_of(community)[job]
        return await self.run(job, community, due_for_date(job, spec, on, community.timezone),
                              now or utcnow())  # fmt: skip

    async def run(self, job: str, community: Community, due: Due, now: datetime) -> bool:
        return await self.run_once(job, community, due, now) is not None

    async def run_once(
        self, job: str, community: Community, due: Due, now: datetime
    ) -> dict[str, Any] | None:
        """Run one period unless it is done or running elsewhere: the job's result, or None
        when it did not run (done, running elsewhere) or failed."""
        async with self.context.sessionmaker() as session:
            claimed = await start_run(
                session, job, due.period, community.id, self.context.owner, now
            )
            if claimed is None:
                return None
            await session.commit()
            run_id = claimed.id
        async with self.context.sessionmaker() as session:
            run = await session.get(JobRun, run_id)
            assert run is not None
            try:
                result = await JOBS[job](self.context, session, JobCall(community, due, now))
                await self.context.notifier.flush(session)
                finish_run(run, result)
                await session.commit()
            except Exception:
                await fail_run(session, run_id)
                metrics.JOB_RUNS.labels(job, "failed").inc()
                log.exception("%s for %s (%s) failed", job, community.name, due.period)
                return None
        metrics.JOB_RUNS.labels(job, "done").inc()
        log.info("%s for %s (%s): %s", job, community.name, due.period, result)
        if self.context.wake:
            self.context.wake()
        return result
