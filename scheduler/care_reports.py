"""The care ledgers' part of the daily feedback and the monthly summary.

Group chats get numbers only; the addresses of overdue visits go to each grid worker in
private (and that is written to the access log)."""

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notifier import message_payload
from bot.outbox import OutboxBatch, enqueue
from models.care.access import Viewer, log_access
from models.care.households import address_of
from models.care.visits import call_stats, grid_workers, overdue_by_grid, visit_coverage
from models.members import User
from models.structure import Grid
from scheduler.context import JobCall, JobContext

ADDRESSES_SHOWN = 30


async def daily_overdue_visits(ctx: JobContext, session: AsyncSession, call: JobCall) -> int:
    """Each grid's chat: how many visits are overdue; each of its workers: which ones."""
    community, period = call.community, call.due.period
    group_t = ctx.catalog.translator(None)
    batch = OutboxBatch()
    for grid_id, households in (await overdue_by_grid(session, community.id, call.now)).items():
        grid = await session.get(Grid, grid_id)
        assert grid is not None
        if grid.chat_id:
            text = group_t("care-daily-overdue", grid=grid.name, count=len(households))
            batch.add(
                grid.chat_id,
                message_payload(text, None),
                dedup_key=f"care-daily:{grid.id}:{period}",
            )
        for user_id in await grid_workers(session, grid_id):
            user = await session.get(User, user_id)
            if user is None or user.private_blocked:
                continue
            viewer = Viewer(user.id, "daily-feedback", lambda _household: True)
            shown = households[:ADDRESSES_SHOWN]
            for household in shown:
                log_access(session, viewer, community.id, household.id, "list", "daily")
            addresses = "\n".join(
                [f"{await address_of(session, h)} {h.people}".strip() for h in shown]
            )
            t = ctx.catalog.translator(user.language_or(ctx.catalog.default_language))
            text = t("care-daily-overdue-private", count=len(households), addresses=addresses)
            batch.add(
                user.telegram_id,
                message_payload(text, None),
                user_id=user.id,
                dedup_key=f"care-daily-worker:{grid.id}:{user.id}:{period}",
            )
    return await batch.write(session)


async def monthly_care_summary(ctx: JobContext, session: AsyncSession, call: JobCall) -> int:
    """Visit coverage per colour per grid and the one-key calls of the month, in numbers."""
    community, due = call.community, call.due
    coverage = await visit_coverage(session, community.id, due.start, due.end)
    calls = await call_stats(session, community.id, due.start, due.end)
    if not coverage and not calls.calls:
        return 0
    t = ctx.catalog.translator(None)

    def lines(grid_id: int | None) -> list[str]:
        return [
            t(
                "care-monthly-line",
                grid=c.grid.name,
                colour=t(f"care-colour-{c.colour.value}"),
                visited=c.visited,
                total=c.households,
            )
            for c in coverage
            if grid_id is None or c.grid.id == grid_id
        ]

    sent = 0
    for grid in {c.grid.id: c.grid for c in coverage}.values():
        if grid.chat_id:
            text = "\n".join([t("care-monthly-title"), *lines(grid.id)])
            sent += await enqueue(
                session,
                grid.chat_id,
                message_payload(text, None),
                dedup_key=f"care-monthly-grid:{grid.id}:{due.period}",
            )
    if community.admin_chat_id:
        median = "-" if calls.median_minutes is None else calls.median_minutes
        text = "\n".join(
            [
                t("care-monthly-title"),
                *lines(None),
                t("care-monthly-calls", calls=calls.calls, accepted=calls.accepted, median=median),
            ]
        )
        sent += await enqueue(
            session,
            community.admin_chat_id,
            message_payload(text, None),
            dedup_key=f"care-monthly:{community.id}:{due.period}",
        )
    return sent
