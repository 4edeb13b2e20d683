"""The partner services' part of the rhythm jobs: the daily feedback (orders not accepted in
time, agreements about to end), the monthly summary (三公开: each partner's orders) and the
yearly commendation (the year's 服务明星)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.notifier import message_payload
from bot.outbox import enqueue
from models.jobs import JobRun, JobStatus
from models.schedule import QUARTERLY
from models.services import agreements_ending, order_label, partner_results, unaccepted
from models.structure import Community
from scheduler.context import JobCall, JobContext


def average_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


async def daily_section(ctx: JobContext, session: AsyncSession, call: JobCall) -> int:
    """To the staff chat: orders a partner has not accepted within respond_hours, and a
    reminder 30 days before a partner's agreement ends (once per agreement date)."""
    community, chat = call.community, call.community.admin_chat_id
    if chat is None:
        return 0
    t = ctx.catalog.translator(None)
    sent = 0
    late = await unaccepted(session, community.id, call.now)
    if late:
        labels = "、".join(order_label(order) for order in late)
        text = t("svc-daily-unaccepted", count=len(late), labels=labels)
        sent += await enqueue(session, chat, message_payload(text, None),
                              dedup_key=f"svc-daily:{community.id}:{call.due.period}")  # fmt: skip
    for partner in await agreements_ending(session, community, call.now):
        assert partner.agreement_until is not None
        text = t("svc-agreement-ending", partner=partner.name,
                 until=partner.agreement_until.isoformat())  # fmt: skip
        key = f"svc-agreement:{partner.id}:{partner.agreement_until.isoformat()}"
        sent += await enqueue(session, chat, message_payload(text, None), dedup_key=key)
    return sent


async def monthly_lines(
    session: AsyncSession, community: Community, call: JobCall, t: Translator
) -> list[str]:
    """三公开: each partner's orders of the month, done in time, average rating, complaints."""
    results = [r for r in await partner_results(session, community.id, call.due.start,
                                                call.due.end) if r.orders]  # fmt: skip
    if not results:
        return []
    lines = [t("svc-monthly-title")]
    lines += [
        t("svc-monthly-line", partner=r.partner.name, orders=r.orders, completed=r.completed,
          in_time=r.in_time, average=average_text(r.average), complaints=r.complaints)
        for r in results
    ]  # fmt: skip
    return ["\n".join(lines)]


async def yearly_text(session: AsyncSession, community: Community, year: str, t: Translator) -> str:
    """The partners named 服务明星 in the year's quarters, as the quarterly runs posted them."""
    results = await session.scalars(
        select(JobRun.result).where(
            JobRun.job == QUARTERLY, JobRun.community_id == community.id,
            JobRun.status == JobStatus.DONE, JobRun.period.like(f"{year}-Q%"),
        ).order_by(JobRun.period)
    )  # fmt: skip
    names = list(dict.fromkeys(name for result in results for name in result.get("stars", [])))
    return t("svc-yearly-stars", names="、".join(names)) if names else ""
