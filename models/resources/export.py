"""The fund's year as a workbook an auditor can reconcile: a summary (opening balance, money
in, money out, closing balance), every ledger entry with a running balance, the board's
approvals of each payment, and the goods given (valued, not money in the ledger)."""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.resources.statement import FundYear, fund_year
from models.resources.tables import Donation
from models.structure import Community

LEDGER_COLUMNS = (
    "entry", "date", "kind", "number", "type or use", "donor or payee", "project",
    "amount (fen)", "amount (yuan)", "balance (fen)", "booked by",
)  # fmt: skip


def year_bounds(community: Community, year: int) -> tuple[datetime, datetime]:
    zone = ZoneInfo(community.timezone)
    return (datetime.combine(date(year, 1, 1), time(), zone),
            datetime.combine(date(year + 1, 1, 1), time(), zone))  # fmt: skip


async def export_year(
    session: AsyncSession, community: Community, year: int
) -> tuple[FundYear, bytes]:
    start, end = year_bounds(community, year)
    fund = await fund_year(session, community.id, start, end)
    zone = ZoneInfo(community.timezone)
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Summary"
    money_in = sum(line.entry.amount for line in fund.lines if line.entry.amount > 0)
    money_out = -sum(line.entry.amount for line in fund.lines if line.entry.amount < 0)
    summary.append(["community", community.name])
    summary.append(["year", year])
    summary.append(["opening balance (fen)", fund.opening])
    summary.append(["money in (fen)", money_in])
    summary.append(["money out (fen)", money_out])
    summary.append(["closing balance (fen)", fund.closing])
    summary.append(["entries", len(fund.lines)])

    ledger = book.create_sheet("Ledger")
    ledger.append(list(LEDGER_COLUMNS))
    running = fund.opening
    for line in fund.lines:
        entry, donation, paid = line.entry, line.donation, line.disbursement
        running += entry.amount
        project = fund.projects.get(entry.bucket) if entry.bucket else None
        if donation is not None:
            kind, number, what = "donation", donation.number, donation.type.value
            who = donation.donor_name or "anonymous"
        elif paid is not None:
            kind, number, what, who = "disbursement", paid.number, paid.use.value, paid.payee
        else:  # staff moved a cancelled project's earmarked money to general use
            moved = fund.projects.get(entry.project_id or 0)
            kind, what, who = "redesignation", "cancelled project to general use", ""
            number = moved.number if moved else None
        ledger.append([entry.id, entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), kind,
                       number, what, who, project.number if project else None, entry.amount,
                       entry.amount / 100, running, entry.by_id])  # fmt: skip

    approvals = book.create_sheet("Approvals")
    approvals.append(["disbursement", "amount (fen)", "payee", "approvals needed", "approved by",
                      "receipt photo (Telegram file id)"])  # fmt: skip
    for line in fund.lines:
        if line.disbursement is not None:
            paid = line.disbursement
            approvals.append([paid.number, paid.amount, paid.payee, paid.needed,
                              "、".join(line.approvers), paid.photo_file_id])  # fmt: skip

    goods = book.create_sheet("Goods")
    goods.append(["receipt", "date", "donor", "type", "items", "estimated value (fen)"])
    given = await session.scalars(
        select(Donation)
        .where(
            Donation.community_id == community.id, Donation.goods.is_not(None),
            Donation.at >= start, Donation.at < end,
        )
        .order_by(Donation.number)
    )
    for gift in given:
        goods.append([gift.number, gift.at.astimezone(zone).strftime("%Y-%m-%d"),
                      gift.donor_name or "anonymous", gift.type.value, gift.goods,
                      gift.amount])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return fund, buffer.getvalue()
