"""每月一总结: per grid and for the community, counts and the three rates (响应率、解决率、
满意率), medians and top volunteers; posted to grid workers' chats and the admin chat as
text and a chart, with an XLSX workbook of the month for admins."""

import io
from typing import Any

from openpyxl import Workbook
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deliberation_cards import month_summary_line
from bot.i18n import Translator
from bot.notifier import message_payload
from bot.outbox import enqueue, upload
from models.party.whistles import department_figures
from models.reports import MonthlyReport, Stats, monthly_report
from scheduler.care_reports import monthly_care_summary
from scheduler.context import JobCall, JobContext
from scheduler.fund_statement import monthly_lines as fund_monthly
from scheduler.service_sections import monthly_lines as services_monthly

CJK_FONTS = ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC", "SimHei")


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def stats_text(t: Translator, stats: Stats) -> str:
    categories = "、".join(f"{name} {count}" for name, count in sorted(stats.by_category.items()))
    return t(
        "monthly-stats",
        name=stats.name,
        total=stats.total,
        categories=categories or "-",
        response=_rate(stats.response_rate),
        resolution=_rate(stats.resolution_rate),
        satisfaction=_rate(stats.satisfaction_rate),
        claim=stats.median_claim_hours if stats.median_claim_hours is not None else "-",
        resolve=stats.median_resolve_hours if stats.median_resolve_hours is not None else "-",
    )


def chart_png(report: MonthlyReport, title: str) -> bytes:
    """Grouped bars of the three rates for each grid and the whole community."""
    # matplotlib takes half a second to import: a process that never draws a chart skips it.
    import matplotlib

    matplotlib.use("Agg")  # no screen: render straight to PNG
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    available = {f.name for f in font_manager.fontManager.ttflist}
    cjk = next((name for name in CJK_FONTS if name in available), None)
    rows = [stats for _grid, stats in report.grids] + [report.community]
    labels = [s.name if cjk else f"G{i + 1}" for i, s in enumerate(rows[:-1])] + [
        report.community.name if cjk else "ALL"
    ]
    if cjk:
        plt.rcParams["font.sans-serif"] = [cjk, "DejaVu Sans"]
    figure, axes = plt.subplots(figsize=(max(6, 1.4 * len(rows)), 4), dpi=100)
    width = 0.26
    series = (("response", "response_rate"), ("resolution", "resolution_rate"),
              ("satisfaction", "satisfaction_rate"))  # fmt: skip
    for offset, (name, attribute) in enumerate(series):
        values = [getattr(s, attribute) or 0 for s in rows]
        positions = [i + (offset - 1) * width for i in range(len(rows))]
        axes.bar(positions, values, width, label=name)
    axes.set_xticks(range(len(rows)), labels)
    axes.set_ylim(0, 100)
    axes.set_ylabel("%")
    axes.set_title(title)
    axes.legend(loc="lower right")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


def workbook_xlsx(report: MonthlyReport) -> bytes:
    book = Workbook(write_only=True)  # streamed: a month of a large community is many rows
    summary = book.create_sheet("Summary")
    summary.append(["scope", "requests", "response %", "resolution %", "satisfaction %",
                    "median hours to claim", "median hours to resolve"])  # fmt: skip
    for stats in [s for _g, s in report.grids] + [report.community]:
        summary.append([stats.name, stats.total, stats.response_rate, stats.resolution_rate,
                        stats.satisfaction_rate, stats.median_claim_hours,
                        stats.median_resolve_hours])  # fmt: skip
    for title, rows in (("Requests", report.requests), ("Checkins", report.checkins),
                        ("Ledger", report.ledger)):  # fmt: skip
        sheet = book.create_sheet(title)
        if rows:
            sheet.append(list(rows[0]))
            for row in rows:
                sheet.append(list(row.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def run(ctx: JobContext, session: AsyncSession, call: JobCall) -> dict[str, Any]:
    community, due = call.community, call.due
    report = await monthly_report(session, community.id, due.start, due.end, community.name)
    care = await monthly_care_summary(ctx, session, call)
    departments = await department_figures(session, community.id, due.start, due.end)
    if departments and community.admin_chat_id:
        t = ctx.catalog.translator(None)
        lines = [t("party-monthly-departments", month=due.period)]
        lines += [t("party-monthly-department", department=d.name, whistles=d.whistles,
                    on_time=d.on_time, done=d.done) for d in departments]  # fmt: skip
        await enqueue(session, community.admin_chat_id, message_payload("\n".join(lines), None),
                      dedup_key=f"monthly-departments:{community.id}:{due.period}")  # fmt: skip
    t = ctx.catalog.translator(None)
    services = await services_monthly(session, community, call, t)
    fund = await fund_monthly(session, community, call, t)
    if report.community.total == 0 and not report.ledger and not report.checkins and not services \
            and not fund:
        return {"sent": 0, "care": care}  # a month with nothing in it: nothing to say
    sent = 0
    for grid, stats in report.grids:
        if grid.chat_id and stats.total:
            text = t("monthly-title", month=due.period) + "\n" + stats_text(t, stats)
            sent += await enqueue(session, grid.chat_id, message_payload(text, None),
                                  dedup_key=f"monthly-grid:{grid.id}:{due.period}")  # fmt: skip
    if community.admin_chat_id:
        chat = community.admin_chat_id
        lines = [t("monthly-title", month=due.period), stats_text(t, report.community)]
        lines += [stats_text(t, stats) for _grid, stats in report.grids if stats.total]
        if report.top_by_points:
            lines.append(t("monthly-top-points", names="、".join(
                f"{v.name} {v.points}" for v in report.top_by_points)))  # fmt: skip
        if report.top_by_hours:
            lines.append(t("monthly-top-hours", names="、".join(
                f"{v.name} {v.minutes / 60:.1f}h" for v in report.top_by_hours)))  # fmt: skip
        lines += services
        lines += fund
        if deliberation := await month_summary_line(session, t, community.id, due.start, due.end):
            lines.append(deliberation)
        key = f"monthly-community:{community.id}:{due.period}"
        sent += await enqueue(
            session, chat, message_payload("\n\n".join(lines), None), dedup_key=key
        )
        chart = upload("photo", chart_png(report, due.period), f"summary-{due.period}.png")
        sent += await enqueue(session, chat, {"upload": chart, "caption": t("monthly-chart")},
                              method="sendPhoto", dedup_key=f"{key}:chart")  # fmt: skip
        book = upload(
            "document", workbook_xlsx(report), f"gridbot-{community.id}-{due.period}.xlsx"
        )
        sent += await enqueue(session, chat, {"upload": book, "caption": t("monthly-workbook")},
                              method="sendDocument", dedup_key=f"{key}:xlsx")  # fmt: skip
    return {"sent": sent, "requests": report.community.total, "care": care}
