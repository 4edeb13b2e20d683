"""A month's figures for the overview and the reports page, computed by the monthly summary's
own function and kept for a minute per process: a dashboard opened by a whole office reads
them once a minute, not once a view."""

import time
from datetime import datetime

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from models.reports import MonthlyReport, monthly_report
from models.structure import Community

FRESH_SECONDS = 60.0
Kept = dict[tuple[int, datetime], tuple[float, MonthlyReport]]
FIGURES_KEY: web.AppKey[Kept] = web.AppKey("figures")


async def month_figures(
    kept_figures: Kept, session: AsyncSession, community: Community, start: datetime, end: datetime
) -> MonthlyReport:
    """The figures of [start, end) for a community; `end` may be now for the month under way.
    `kept_figures` is the workbench's own store (one per running bot)."""
    key = (community.id, start)
    kept = kept_figures.get(key)
    if kept is not None and time.monotonic() - kept[0] < FRESH_SECONDS:
        return kept[1]
    report = await monthly_report(session, community.id, start, end, community.name)
    moment = time.monotonic()
    for stale in [k for k, (at, _) in kept_figures.items() if moment - at >= FRESH_SECONDS]:
        del kept_figures[stale]
    kept_figures[key] = (time.monotonic(), report)
    return report
