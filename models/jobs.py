"""Scheduled job runs. The unique run key makes each (job, community, period) run once."""

import enum
import traceback
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, String, Text, and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IdType, UTCDateTime, utcnow


class JobStatus(enum.StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class JobRun(Base):
    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    period: Mapped[str] = mapped_column(String(20))
    run_key: Mapped[str] = mapped_column(String(100), unique=True)
    status: Mapped[JobStatus] = mapped_column(
        Enum(JobStatus, native_enum=False, length=10), default=JobStatus.RUNNING
    )
    owner: Mapped[str | None] = mapped_column(String(100))
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


LEASE = timedelta(minutes=15)  # a run still "running" after this is taken to have crashed


def _run_key(job: str, period: str, community_id: int | None) -> str:
    """The unique name of one run: a job, for a community, for a period."""
    return f"{job}:{community_id or '-'}:{period}"


async def start_run(
    session: AsyncSession,
    job: str,
    period: str,
    community_id: int | None = None,
    owner: str | None = None,
    now: datetime | None = None,
) -> JobRun | None:
    """Take the run of `job` for `period` (and community). None when it is done, or running
    elsewhere; a run that crashed (failed, or its lease expired) is taken over and redone."""
    now = now or utcnow()
    run_key = _run_key(job, period, community_id)
    try:
        async with session.begin_nested():
            run = JobRun(job=job, community_id=community_id, period=period, run_key=run_key,
                         owner=owner, result={}, started_at=utcnow())  # fmt: skip
            session.add(run)
        return run
    except IntegrityError:
        pass
    taken = await session.execute(
        update(JobRun)
        .where(
            JobRun.run_key == run_key,
            or_(
                JobRun.status == JobStatus.FAILED,
                and_(JobRun.status == JobStatus.RUNNING, JobRun.started_at < utcnow() - LEASE),
            ),
        )
        .values(status=JobStatus.RUNNING, owner=owner, started_at=utcnow(), error=None)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        return None
    return await session.scalar(select(JobRun).where(JobRun.run_key == run_key))


def finish_run(run: JobRun, result: dict[str, Any]) -> None:
    run.status = JobStatus.DONE
    run.result = result
    run.finished_at = utcnow()


async def fail_run(session: AsyncSession, run_id: int) -> None:
    """Record that a run failed with the exception being handled, dropping whatever it had
    not committed; the next try takes it over at once instead of after the lease."""
    await session.rollback()
    run = await session.get(JobRun, run_id)
    assert run is not None
    run.status = JobStatus.FAILED
    run.error = traceback.format_exc()[:2000]
    run.finished_at = utcnow()
    await session.commit()


class RunUnfinished(Exception):
    """The run is taken by another try that has not finished (running elsewhere, or crashed
    and not yet taken over)."""


async def last_runs(session: AsyncSession, limit: int = 20) -> list[JobRun]:
    query = select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)
    return list((await session.scalars(query)).all())


async def run_status(
    session: AsyncSession, job: str, period: str, community_id: int | None
) -> JobStatus | None:
    run_key = _run_key(job, period, community_id)
    return await session.scalar(select(JobRun.status).where(JobRun.run_key == run_key))
