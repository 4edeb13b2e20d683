"""Monthly unit reports (报到情况): each partner unit's contacts get a summary of how its
in-service party members took part in the community, with an XLSX workbook, once per unit and
month (the run key makes the month's run happen once; each message has its own key)."""

import io
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.notifier import message_payload
from bot.outbox import enqueue, upload
from models.members import User
from models.party.reports import UnitMonth, unit_months
from models.resources.offers import giving_lines, unit_giving
from scheduler.context import JobCall, JobContext

COLUMNS = ("member", "services", "hours", "wishes fulfilled", "requests resolved",
           "points earned", "pledges kept", "did nothing")  # fmt: skip


def summary_text(t: Translator, month: UnitMonth, period: str) -> str:
    members = month.members
    lines = [t("party-unit-report-title", unit=month.unit.name, month=period,
               members=len(members), active=len(members) - len(month.idle))]  # fmt: skip
    for member in members:
        if not member.idle:
            lines.append(t("party-unit-report-line", name=member.name,
                           services=member.services, hours=f"{member.minutes / 60:.1f}",
                           wishes=member.wishes, requests=member.requests,
                           points=member.points, pledges=member.pledges_kept))  # fmt: skip
    if month.idle:
        lines.append(t("party-unit-report-idle", names="、".join(month.idle)))
    return "\n".join(lines)


def workbook_xlsx(month: UnitMonth) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Members"
    sheet.append(list(COLUMNS))
    for m in month.members:
        sheet.append([m.name, m.services, round(m.minutes / 60, 1), m.wishes, m.requests,
                      m.points, m.pledges_kept, "yes" if m.idle else ""])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def run(ctx: JobContext, session: AsyncSession, call: JobCall) -> dict[str, Any]:
    community, due = call.community, call.due
    sent = 0
    units = 0
    for month in await unit_months(session, community.id, due.start, due.end):
        giving = await unit_giving(session, month.unit.id, due.start, due.end)
        if not (month.members or giving.projects or giving.resources) or not month.unit.contacts:
            continue  # no one and nothing to report on, or no one to tell
        units += 1
        book = workbook_xlsx(month)
        for telegram_id in month.unit.contacts:
            user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
            t = ctx.catalog.translator(
                user.language_or(ctx.catalog.default_language) if user else None
            )
            key = f"unit-report:{month.unit.id}:{due.period}:{telegram_id}"
            text = "\n".join([summary_text(t, month, due.period), *giving_lines(t, giving)])
            sent += await enqueue(session, telegram_id, message_payload(text, None),
                                  dedup_key=key, user_id=user.id if user else None)  # fmt: skip
            document = upload("document", book, f"unit-{month.unit.id}-{due.period}.xlsx")
            sent += await enqueue(session, telegram_id,
                                  {"upload": document, "caption": t("party-unit-report-workbook")},
                                  method="sendDocument", dedup_key=f"{key}:xlsx",
                                  user_id=user.id if user else None)  # fmt: skip
    return {"units": units, "sent": sent}
