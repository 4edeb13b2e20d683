"""服务明星, once a quarter: the best-rated partners of the quarter just ended (at least N
completed orders, N from the structure file) are posted to every group of the community.
The names are kept in the run's result, so the yearly commendation names them too."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notifier import message_payload
from bot.outbox import enqueue
from models.services import service_stars, star_minimum
from scheduler.context import JobCall, JobContext
from scheduler.service_sections import average_text
from scheduler.yearly_commendation import community_chats


async def run(ctx: JobContext, session: AsyncSession, call: JobCall) -> dict[str, Any]:
    community, due = call.community, call.due
    stars = await service_stars(session, community, due.start, due.end)
    if not stars:
        return {"sent": 0, "stars": []}
    t = ctx.catalog.translator(None)
    lines = [
        t("svc-star-line", rank=rank, partner=r.partner.name, completed=r.completed,
          average=average_text(r.average))
        for rank, r in enumerate(stars, 1)
    ]  # fmt: skip
    text = t("svc-stars", quarter=due.period, community=community.name,
             minimum=star_minimum(community), stars="\n".join(lines))  # fmt: skip
    sent = 0
    for chat in await community_chats(session, community.id, community.admin_chat_id):
        key = f"svc-stars:{community.id}:{due.period}:{chat}"
        sent += await enqueue(session, chat, message_payload(text, None), dedup_key=key)
    return {"sent": sent, "stars": [r.partner.name for r in stars]}
