"""The daily look for needs: requests of one category that keep coming back in one micro-grid,
wishes left unclaimed past their deadline, and passed proposals become proposed needs, each
on a card in the staff chat to accept or dismiss. A cause is proposed once (its key)."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.resources.projects import propose_needs
from scheduler.context import JobCall, JobContext


async def run(ctx: JobContext, session: AsyncSession, call: JobCall) -> dict[str, Any]:
    return {"proposed": await propose_needs(session, call.community, call.now)}
