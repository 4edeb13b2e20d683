"""每周一兑换: the week's redemption run of one community (fills, vouchers, refunds)."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.points.rewards import run_redemption
from scheduler.context import JobCall, JobContext


async def run(ctx: JobContext, session: AsyncSession, call: JobCall) -> dict[str, Any]:
    result = await run_redemption(
        session, call.community.id, call.due.at, flush_notices=ctx.notifier.flush
    )
    if result.unfinished:
        # Running in another process, or crashed and not yet taken over: this run fails, so
        # the scheduler tries again at its next tick instead of calling the week done.
        raise RuntimeError(f"the redemption of {result.week} has not finished yet")
    return {"week": result.week, "filled": result.filled, "refunded": result.refunded}
