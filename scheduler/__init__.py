"""Scheduled jobs, one per file. Each run takes a unique run key first, so a period's run
happens once however many processes are scheduled to do it."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.escalation import EscalationJob
from scheduler.runner import JobRunner
from scheduler.vote_close import VoteCloseJob

__all__ = ["EscalationJob", "JobRunner", "RunningCalls", "VoteCloseJob", "build_scheduler"]


class RunningCalls:
    """The scheduled calls under way. APScheduler cancels them when it shuts down (and logs
    each as a failed job); a stopping process lets them finish first instead."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def tracked(self, call: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[Any]]:
        async def tracked_call() -> Any:
            task = asyncio.current_task()
            assert task is not None
            self._tasks.add(task)
            try:
                return await call()
            finally:
                self._tasks.discard(task)

        return tracked_call

    async def finish(self, timeout: float) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)


def build_scheduler(
    escalation: EscalationJob, runner: JobRunner, running: RunningCalls, tick_seconds: int = 60,
    vote_close: VoteCloseJob | None = None,
) -> AsyncIOScheduler:  # fmt: skip
    """Escalation every few minutes; the rhythm jobs are looked at every tick, and once at
    start-up so that a run missed while the process was down happens now."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(running.tracked(escalation.run),
                      IntervalTrigger(minutes=escalation.every_minutes),
                      id="escalation", max_instances=1, coalesce=True)  # fmt: skip
    scheduler.add_job(running.tracked(runner.tick), IntervalTrigger(seconds=tick_seconds),
                      id="rhythm", max_instances=1, coalesce=True,
                      next_run_time=datetime.now(UTC))  # fmt: skip
    if vote_close is not None:
        scheduler.add_job(running.tracked(vote_close.run),
                          IntervalTrigger(minutes=vote_close.every_minutes),
                          id="vote-close", max_instances=1, coalesce=True)  # fmt: skip
    return scheduler
