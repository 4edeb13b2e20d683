"""每周一兑换: the week's redemption run of one community (fills, vouchers, refunds)."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.points.rewards import run_redemption
from scheduler.context import JobCall, JobContext


async def run(ctx: JobContext, session: AsyncSession, call: JobCall) -> dict[str, Any]:
    result = await run_redemption(
        session, call.community.id, call.due.at, flush_notices=ctx.notifier.flush
    )
    return {"week": result.week, "filled": result.filled, "refunded": result.refunded}
