"""基金 Fund: the community fund's balance, this year's ledger with a running balance, payments
waiting for the board, and the projects list. Donors are named to admins; other staff see
the names the public sees. Admins cancel (撤销) a project with a reason, and move a cancelled
project's earmarked money to general use, by the same domain calls as the chat's buttons."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy import select

from models.errors import DomainError
from models.resources import projects as project_steps
from models.resources.donations import public_donor
from models.resources.fund import balances, redesignate, releasable, yuan
from models.resources.statement import fund_year
from models.resources.tables import FREE, Disbursement, DisbursementStatus, Project
from web.context import NavEntry, db, link, now, staff, translator

routes = web.RouteTableDef()
NAV = NavEntry("/fund", "fund-web-nav", 48)


# The actions on a project from this page, each with the message shown once it is done.
PROJECT_ACTIONS = {"cancel": "fund-step-cancel-done", "release": "fund-web-release-done"}


@routes.get("/fund")
async def fund(request: web.Request) -> web.StreamResponse:
    done, number = request.query.get("done", ""), request.query.get("project", "")
    message = None
    if done in PROJECT_ACTIONS and number.isdigit():
        message = translator(request)(PROJECT_ACTIONS[done], number=number)
    return await _render(request, message=message)


@routes.post("/fund/projects/{id}/{action}")
async def project_action(request: web.Request) -> web.StreamResponse:
    """Cancel a project or re-designate its earmarked money, through the same domain calls as
    the chat's buttons (and their refusals); the chat cards follow through the notifier."""
    action = request.match_info["action"]
    if action not in PROJECT_ACTIONS:
        raise web.HTTPNotFound()
    project = await _project_in_scope_or_404(request)
    session, member, t = db(request), staff(request).member, translator(request)
    form = await request.post()
    try:
        async with session.begin_nested():  # a refusal undoes only this action
            if action == "cancel":
                await project_steps.cancel(session, member, project.id,
                                           str(form.get("reason", "")))  # fmt: skip
            else:
                await redesignate(session, member, project.id)
    except DomainError as error:
        return await _render(request, error=t(error.message_id, **error.args_for_message),
                             status=409)  # fmt: skip
    raise web.HTTPSeeOther(link(request, "/fund", done=action, project=project.number))


async def _project_in_scope_or_404(request: web.Request) -> Project:
    """A project of a community the signed-in staff member sees; any other is not found."""
    text = request.match_info["id"]
    project = await db(request).get(Project, int(text)) if text.isdigit() else None
    current = staff(request)
    if project is None or project.community_id not in {c.id for c in current.communities}:
        raise web.HTTPNotFound(text=translator(request)("error-not-found"))
    return project


async def _render(request: web.Request, message: str | None = None, error: str | None = None,
                  status: int = 200) -> web.StreamResponse:  # fmt: skip
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
    response = aiohttp_jinja2.render_template("fund.html", request, {
        "year": year, "balance": yuan(sum(buckets.values())),
        "free": yuan(buckets.get(FREE, 0)), "opening": yuan(ledger.opening),
        "closing": yuan(ledger.closing), "rows": rows, "yuan": yuan,
        "pending": pending, "projects": projects, "earmarked": buckets, "admin": admin,
        "cancellable": project_steps.CANCELLABLE, "releasable": releasable,
        "reason_max": project_steps.CANCEL_REASON_MAX, "message": message, "error": error,
    })  # fmt: skip
    response.set_status(status)
    return response
