"""每周一兑换: the week's redemption run of one community (fills, vouchers, refunds)."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.points.rewards import run_redemption
from scheduler.context import JobCall, JobContext


async def run(ctx: JobContext, session: AsyncSession, call: JobCall) -> dict[str, Any]:
    # The week's orders are those placed until it fell due; run early by hand, until now.
    cutoff = min(call.due.at, call.now).astimezone(call.due.at.tzinfo)
    result = await run_redemption(
        session, call.community.id, cutoff, flush_notices=ctx.notifier.flush,
        week=call.due.period,
    )  # fmt: skip
    return {"week": result.week, "filled": result.filled, "refunded": result.refunded,
            "placed_until": cutoff.isoformat()}  # fmt: skip
