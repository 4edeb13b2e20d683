"""每天一反馈: each leaders' chat gets its micro-grid's day; residents whose requests moved get
one summary; residents who have not rated a request resolved over a day ago get one reminder."""

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.deliberation_cards import overdue_screening_digest
from bot.notifier import message_payload
from bot.outbox import OutboxBatch
from handlers.cards import rating_keyboard
from models.party.whistles import overdue_departments
from models.reports import daily_digests, moved_today, unrated_resolved
from models.requests.workflow import request_label
from scheduler.context import JobCall, JobContext
from scheduler.service_sections import daily_section as services_daily

RATE_REMINDER_AFTER = timedelta(days=1)


async def run(ctx: JobContext, session: AsyncSession, call: JobCall) -> dict[str, Any]:
    community, due = call.community, call.due
    group_t = ctx.catalog.translator(None)
    leaders, residents, reminders = OutboxBatch(), OutboxBatch(), OutboxBatch()
    for digest in await daily_digests(session, community.id, due.start, due.end, call.now):
        chat_id = digest.micro_grid.task_chat_id
        if digest.empty or chat_id is None:
            continue  # nothing to say, so nothing is sent
        text = group_t("daily-digest", micro_grid=digest.micro_grid.name, date=due.period,
                       new=digest.new, claimed=digest.claimed, resolved=digest.resolved,
                       overdue=digest.overdue, waiting=digest.checkins_waiting)  # fmt: skip
        leaders.add(chat_id, message_payload(text, None),
                    dedup_key=f"daily:{digest.micro_grid.id}:{due.period}")  # fmt: skip
    proposals = await overdue_screening_digest(session, group_t, community.id, call.now)
    if proposals and community.admin_chat_id:
        leaders.add(community.admin_chat_id, message_payload(proposals, None),
                    dedup_key=f"daily-proposals:{community.id}:{due.period}")  # fmt: skip
    for user, requests in (await moved_today(session, community.id, due.start, due.end)).items():
        if user.private_blocked:
            continue
        t = ctx.catalog.translator(user.language_or(ctx.catalog.default_language))
        lines = [t("daily-resident-title", date=due.period)]
        for request in requests:
            status = t(f"status-{request.status.value.replace('_', '-')}")
            lines.append(t("daily-resident-line", label=request_label(request), status=status))
        residents.add(user.telegram_id, message_payload("\n".join(lines), None), user_id=user.id,
                      dedup_key=f"daily-resident:{user.id}:{due.period}")  # fmt: skip
    for request, user in await unrated_resolved(
        session, community.id, call.now - RATE_REMINDER_AFTER
    ):
        if user.private_blocked:
            continue
        t = ctx.catalog.translator(user.language_or(ctx.catalog.default_language))
        payload = message_payload(t("rate-reminder", label=request_label(request)),
                                  rating_keyboard(request.id, None, t))  # fmt: skip
        reminders.add(user.telegram_id, payload, user_id=user.id,
                      dedup_key=f"rate-reminder:{request.id}")  # fmt: skip
    late_departments = await overdue_departments(session, community.id, call.now)
    if late_departments and community.admin_chat_id:
        lines = [group_t("party-daily-late-departments", date=due.period)]
        lines += [group_t("party-daily-late-department", department=name, label=label)
                  for name, label in late_departments]  # fmt: skip
        leaders.add(community.admin_chat_id, message_payload("\n".join(lines), None),
                    dedup_key=f"daily-whistles:{community.id}:{due.period}")  # fmt: skip
    return {
        "leaders": await leaders.write(session),
        "residents": await residents.write(session),
        "reminders": await reminders.write(session),
        "services": await services_daily(ctx, session, call),
    }
