"""Scheduled jobs, one per file. Each run takes a unique run key first, so a period's run
happens once however many processes are scheduled to do it."""

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.escalation import EscalationJob
from scheduler.runner import JobRunner

__all__ = ["EscalationJob", "JobRunner", "build_scheduler"]


def build_scheduler(
    escalation: EscalationJob, runner: JobRunner, tick_seconds: int = 60
) -> AsyncIOScheduler:
    """Escalation every few minutes; the rhythm jobs are looked at every tick, and once at
    start-up so that a run missed while the process was down happens now."""
    from datetime import UTC, datetime

    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(escalation.run, IntervalTrigger(minutes=escalation.every_minutes),
                      id="escalation", max_instances=1, coalesce=True)  # fmt: skip
    scheduler.add_job(runner.tick, IntervalTrigger(seconds=tick_seconds), id="rhythm",
                      max_instances=1, coalesce=True, next_run_time=datetime.now(UTC))  # fmt: skip
    return scheduler
