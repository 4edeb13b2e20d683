"""每天一反馈: each leaders' chat gets its micro-grid's day; residents whose requests moved get
one summary; residents who have not rated a request resolved over a day ago get one reminder."""

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.notifier import message_payload
from bot.outbox import enqueue
from handlers.cards import rating_keyboard
from models.members import User
from models.reports import daily_digests, moved_today, unrated_resolved
from models.requests.workflow import request_label
from scheduler.context import JobCall, JobContext

RATE_REMINDER_AFTER = timedelta(days=1)


async def run(ctx: JobContext, session: AsyncSession, call: JobCall) -> dict[str, Any]:
    community, due = call.community, call.due
    group_t = ctx.catalog.translator(None)
    sent = {"leaders": 0, "residents": 0, "reminders": 0}
    for digest in await daily_digests(session, community.id, due.start, due.end, call.now):
        chat_id = digest.micro_grid.task_chat_id
        if digest.empty or chat_id is None:
            continue  # nothing to say, so nothing is sent
        text = group_t("daily-digest", micro_grid=digest.micro_grid.name, date=due.period,
                       new=digest.new, claimed=digest.claimed, resolved=digest.resolved,
                       overdue=digest.overdue, waiting=digest.checkins_waiting)  # fmt: skip
        if await enqueue(session, chat_id, message_payload(text, None),
                         dedup_key=f"daily:{digest.micro_grid.id}:{due.period}"):  # fmt: skip
            sent["leaders"] += 1
    for resident_id, requests in (
        await moved_today(session, community.id, due.start, due.end)
    ).items():
        user = await session.get(User, resident_id)
        if user is None or user.private_blocked:
            continue
        t = ctx.catalog.translator(user.language_or(ctx.catalog.default_language))
        lines = [t("daily-resident-title", date=due.period)]
        for request in requests:
            status = t(f"status-{request.status.value.replace('_', '-')}")
            lines.append(t("daily-resident-line", label=request_label(request), status=status))
        key = f"daily-resident:{user.id}:{due.period}"
        payload = message_payload("\n".join(lines), None)
        if await enqueue(session, user.telegram_id, payload, user_id=user.id, dedup_key=key):
            sent["residents"] += 1
    for request in await unrated_resolved(session, community.id, call.now - RATE_REMINDER_AFTER):
        user = await session.scalar(select(User).where(User.id == request.resident_id))
        if user is None or user.private_blocked:
            continue
        t = ctx.catalog.translator(user.language_or(ctx.catalog.default_language))
        payload = message_payload(t("rate-reminder", label=request_label(request)),
                           rating_keyboard(request.id, None, t))  # fmt: skip
        if await enqueue(session, user.telegram_id, payload, user_id=user.id,
                         dedup_key=f"rate-reminder:{request.id}"):  # fmt: skip
            sent["reminders"] += 1
    return sent
