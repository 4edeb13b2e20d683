"""基金 Fund: the community fund's balance, this year's ledger with a running balance, payments
waiting for the board, and the projects list. Donors are named to admins; other staff see
the names the public sees."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy import select

from models.resources.fund import balances, public_donor, yuan
from models.resources.statement import fund_year
from models.resources.tables import FREE, Disbursement, DisbursementStatus, Project
from web.context import NavEntry, db, now, staff, translator

routes = web.RouteTableDef()
NAV = NavEntry("/fund", "fund-web-nav", 48)


@routes.get("/fund")
async def fund(request: web.Request) -> web.StreamResponse:
    current, t, session = staff(request), translator(request), db(request)
    community = current.community
    admin = current.scope.admin_of(community.id)
    zone = ZoneInfo(community.timezone)
    year = now(request).astimezone(zone).year
    start = datetime.combine(date(year, 1, 1), time(), zone)
    ledger = await fund_year(session, community.id, start,
                             datetime.combine(date(year + 1, 1, 1), time(), zone))  # fmt: skip
    anonymous = t("fund-anonymous")
    rows, running = [], ledger.opening
    for line in ledger.lines:
        running += line.entry.amount
        if line.donation is not None:
            who = line.donation.donor_name if admin else public_donor(line.donation, anonymous)
            what = t(f"fund-type-{line.donation.type.value}")
            number = line.donation.number
        elif line.disbursement is not None:
            who, number = line.disbursement.payee, line.disbursement.number
            what = t(f"fund-use-{line.disbursement.use.value}")
        else:  # a cancelled project's earmarked money moved to general use
            moved = ledger.projects.get(line.entry.project_id or 0)
            number = moved.number if moved else None
            who, what = "-", t("fund-web-redesignation", number=number or "-")
        rows.append({
            "at": line.entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), "number": number,
            "what": what, "who": who or anonymous, "amount": yuan(line.entry.amount),
            "balance": yuan(running), "approvers": "、".join(line.approvers),
        })  # fmt: skip
    buckets = await balances(session, community.id)
    pending = (await session.scalars(
        select(Disbursement).where(Disbursement.community_id == community.id,
                                   Disbursement.status == DisbursementStatus.PENDING)
        .order_by(Disbursement.number)
    )).all()  # fmt: skip
    projects = (await session.scalars(
        select(Project).where(Project.community_id == community.id).order_by(Project.number)
    )).all()  # fmt: skip
    return aiohttp_jinja2.render_template("fund.html", request, {
        "year": year, "balance": yuan(sum(buckets.values())),
        "free": yuan(buckets.get(FREE, 0)), "opening": yuan(ledger.opening),
        "closing": yuan(ledger.closing), "rows": rows, "yuan": yuan,
        "pending": pending, "projects": projects, "earmarked": buckets,
    })  # fmt: skip
