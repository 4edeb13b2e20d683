"""The fund's monthly statement (每月公示): the month's donations (donors named only where
they agreed), its payments by use and project, and the balance, to every residents' group of
the community and to the staff chat. Once per community and month: the run key makes the
month's run happen once, and each message has its own key."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.notifier import message_payload
from bot.outbox import enqueue
from handlers.fund_cards import month_text
from models.resources.statement import fund_month
from models.structure import Community, MicroGrid
from scheduler.context import JobCall, JobContext


async def residents_chats(session: AsyncSession, community_id: int) -> list[int]:
    chats = await session.scalars(
        select(MicroGrid.chat_id)
        .where(MicroGrid.community_id == community_id, MicroGrid.chat_id.is_not(None))
        .order_by(MicroGrid.id)
    )
    return list(dict.fromkeys(c for c in chats if c))


async def statement_text(
    session: AsyncSession, community: Community, call: JobCall, t: Translator
) -> str | None:
    """The month's statement, or None for a month the fund did not move."""
    month = await fund_month(session, community.id, call.due.start, call.due.end)
    if month.empty:
        return None
    return month_text(t, month, call.due.period, community.name)


async def monthly_lines(
    session: AsyncSession, community: Community, call: JobCall, t: Translator
) -> list[str]:
    """The fund's part of the monthly summary."""
    text = await statement_text(session, community, call, t)
    return [text] if text else []


async def run(ctx: JobContext, session: AsyncSession, call: JobCall) -> dict[str, Any]:
    community = call.community
    t = ctx.catalog.translator(None)
    text = await statement_text(session, community, call, t)
    if text is None:
        return {"sent": 0}
    text = t("fund-monthly-title") + "\n" + text
    sent = 0
    for chat in await residents_chats(session, community.id):
        key = f"fund-statement:{community.id}:{call.due.period}:{chat}"
        sent += await enqueue(session, chat, message_payload(text, None), dedup_key=key)
    return {"sent": sent}
