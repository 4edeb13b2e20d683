"""Agreement reminders: the staff chat hears of every unit's 共驻共建协议书 that lapses within
30 days, once per end date (a renewed agreement is reminded again before its new end)."""

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notifier import message_payload
from bot.outbox import enqueue
from models.resources.offers import lapsing_agreements
from scheduler.context import JobCall, JobContext


async def run(ctx: JobContext, session: AsyncSession, call: JobCall) -> dict[str, Any]:
    community = call.community
    if not community.admin_chat_id:
        return {"sent": 0}
    today = call.now.astimezone(ZoneInfo(community.timezone)).date()
    t = ctx.catalog.translator(None)
    sent = 0
    for lapsing in await lapsing_agreements(session, community.id, today):
        ends = lapsing.agreement.ends_on
        text = t("fund-agreement-reminder", unit=lapsing.unit.name, ends=ends.isoformat())
        sent += await enqueue(session, community.admin_chat_id, message_payload(text, None),
                              dedup_key=f"fund-agreement:{lapsing.unit.id}:{ends.isoformat()}")
        lapsing.agreement.reminded_for = ends
    return {"sent": sent}
