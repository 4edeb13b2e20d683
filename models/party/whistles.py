"""街道吹哨、部门报到: on a request escalated to the community, an admin blows the whistle for a
department; the department's contacts report in (报到) and then report it done (办结) with a
note. Each step is in the request's trail and the resident is told, never who the staff are.
A department that has not reported in by its response time is reminded once."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.copies import Subject, refresh
from models.errors import InvalidState, NotAllowed, NotFound
from models.members import Member, user_by_telegram_id
from models.notices import Notice, emit
from models.party.membership import message
from models.party.tables import Department, Whistle
from models.requests.tables import Request, RoutingLevel
from models.requests.workflow import (
    OPEN,
    clean_text,
    find_by_label,
    get_request,
    record_event,
    request_label,
)

REASON_MAX = 300
NOTE_MAX = 500


async def list_departments(session: AsyncSession, community_id: int) -> list[Department]:
    query = (
        select(Department).where(Department.community_id == community_id).order_by(Department.id)
    )
    return list((await session.scalars(query)).all())


async def find_department(session: AsyncSession, community_id: int, name: str) -> Department:
    department = await session.scalar(
        select(Department).where(Department.community_id == community_id,
                                 Department.name == name.strip())
    )
    if department is None:
        raise NotFound("party-department-unknown", name=name.strip())
    return department


async def _trail(
    session: AsyncSession, request: Request, actor_id: int | None, action: str, note: str
) -> None:
    """A whistle step in the request's trail; it does not change the request's status."""
    await record_event(session, request, actor_id, action, request.status.value, note)


async def blow(
    session: AsyncSession, member: Member, request_id: int, department_id: int,
    reason: str | None,
) -> Whistle:  # fmt: skip
    """Whistle for a department on an open request that has been escalated to the community."""
    request = await get_request(session, request_id)
    if not member.is_admin_of(request.community_id):
        raise NotAllowed("party-whistle-admins-only")
    if request.escalation_level != RoutingLevel.COMMUNITY or request.status not in OPEN:
        raise InvalidState("party-whistle-not-escalated", label=request_label(request))
    department = await session.get(Department, department_id)
    if department is None or department.community_id != request.community_id:
        raise NotFound("party-department-gone")
    cleaned = clean_text(reason, REASON_MAX, "party-reason-empty") if reason else None
    now = utcnow()
    whistle = Whistle(
        community_id=request.community_id, request_id=request.id, department_id=department.id,
        reason=cleaned, whistled_by_id=member.user.id, whistled_at=now,
        due_at=now + timedelta(hours=department.response_hours),
    )  # fmt: skip
    try:
        async with session.begin_nested():
            session.add(whistle)
    except IntegrityError:
        raise InvalidState("party-whistle-already", label=request_label(request),
                           department=department.name) from None  # fmt: skip
    await _trail(session, request, member.user.id, "whistle",
                 department.name + (f": {cleaned}" if cleaned else ""))  # fmt: skip
    for notice in await _to_department(session, department, whistle):
        emit(session, notice)
    emit(session, message(request.resident_id, "party-resident-whistled",
                          label=request_label(request), department=department.name))  # fmt: skip
    return whistle


async def _to_department(
    session: AsyncSession, department: Department, whistle: Whistle
) -> list[Notice]:
    """The whistle card goes to the department's chat; without one, to each contact."""
    card = {"kind": "whistle", "id": whistle.id, "variant": "department"}
    if department.chat_id:
        return [Notice("copy", chat_id=department.chat_id, args=card,
                       dedup_key=f"whistle-card:{whistle.id}")]  # fmt: skip
    contacts = [await user_by_telegram_id(session, telegram_id)
                for telegram_id in department.contacts or []]  # fmt: skip
    return [
        Notice("copy", user_id=user.id, args=card, dedup_key=f"whistle-card:{whistle.id}:{user.id}")
        for user in contacts
    ]


async def blow_by_label(
    session: AsyncSession, member: Member, label: str, department_name: str, reason: str | None
) -> Whistle:
    """`/whistle R-0042 城管执法中队 原因` by an admin of one or more communities."""
    communities = sorted({r.community_id for r in member.roles
                          if member.is_admin_of(r.community_id)})  # fmt: skip
    if not communities:
        raise NotAllowed("party-whistle-admins-only")
    last_error: Exception | None = None
    for community_id in communities:
        try:
            request = await find_by_label(session, community_id, label)
        except NotFound as error:
            last_error = error
            continue
        department = await find_department(session, community_id, department_name)
        return await blow(session, member, request.id, department.id, reason)
    assert last_error is not None
    raise last_error


async def _step(
    session: AsyncSession, member: Member, whistle_id: int
) -> tuple[Whistle, Department, Request]:
    whistle = await session.get(Whistle, whistle_id)
    if whistle is None:
        raise NotFound("party-whistle-gone")
    department = await session.get(Department, whistle.department_id)
    assert department is not None
    if member.user.telegram_id not in (department.contacts or []):
        raise NotAllowed("party-whistle-not-your-department", department=department.name)
    return whistle, department, await get_request(session, whistle.request_id)


async def _set(session: AsyncSession, whistle: Whistle, unset: object, **values: object) -> bool:
    """Compare-and-set: the step happens once however often or by whom it is pressed."""
    result = await session.execute(
        update(Whistle).where(Whistle.id == whistle.id, unset)  # type: ignore[arg-type]
        .values(**values).execution_options(synchronize_session=False)
    )  # fmt: skip
    if result.rowcount != 1:
        return False
    await session.refresh(whistle)
    return True


async def report_in(session: AsyncSession, member: Member, whistle_id: int) -> Whistle:
    whistle, department, request = await _step(session, member, whistle_id)
    now = utcnow()
    if not await _set(session, whistle, Whistle.reported_at.is_(None),
                      reported_at=now, reported_by_id=member.user.id):  # fmt: skip
        raise InvalidState("party-whistle-reported-already", department=department.name)
    late = now > whistle.due_at
    await _trail(session, request, member.user.id, "report_in",
                 department.name + (" (late)" if late else ""))  # fmt: skip
    emit(session, message(request.resident_id, "party-resident-reported-in",
                          label=request_label(request), department=department.name))  # fmt: skip
    refresh(session, Subject("whistle", whistle.id))
    return whistle


async def check_done(session: AsyncSession, member: Member, whistle_id: int) -> Whistle:
    """Whether the member may report the whistle done now (before asking them for a note)."""
    whistle, department, _request = await _step(session, member, whistle_id)
    if whistle.reported_at is None:
        raise InvalidState("party-whistle-report-in-first")
    if whistle.done_at is not None:
        raise InvalidState("party-whistle-done-already", department=department.name)
    return whistle


async def finish(
    session: AsyncSession, member: Member, whistle_id: int, note: str | None
) -> Whistle:
    whistle = await check_done(session, member, whistle_id)
    department = await session.get(Department, whistle.department_id)
    request = await get_request(session, whistle.request_id)
    assert department is not None
    cleaned = clean_text(note, NOTE_MAX, "party-note-empty")
    if not await _set(session, whistle, Whistle.done_at.is_(None), done_at=utcnow(),
                      done_by_id=member.user.id, note=cleaned):  # fmt: skip
        raise InvalidState("party-whistle-done-already", department=department.name)
    await _trail(session, request, member.user.id, "department_done",
                 f"{department.name}: {cleaned}")  # fmt: skip
    emit(session, message(request.resident_id, "party-resident-done", label=request_label(request),
                          department=department.name, note=cleaned))  # fmt: skip
    refresh(session, Subject("whistle", whistle.id))
    return whistle


async def remind_late(session: AsyncSession, now: datetime) -> int:
    """Remind, once each, the departments that have not reported in by their response time."""
    late = (await session.scalars(
        select(Whistle).where(Whistle.reported_at.is_(None), Whistle.reminded_at.is_(None),
                              Whistle.due_at < now).order_by(Whistle.id).limit(200)
    )).all()  # fmt: skip
    reminded = 0
    for whistle in late:
        if not await _set(session, whistle, Whistle.reminded_at.is_(None), reminded_at=now):
            continue
        department = await session.get(Department, whistle.department_id)
        request = await session.get(Request, whistle.request_id)
        assert department is not None and request is not None
        args = {"label": request_label(request), "department": department.name}
        if department.chat_id:
            emit(session, Notice("message", chat_id=department.chat_id, args={
                "message": "party-whistle-reminder", "args": args},
                dedup_key=f"whistle-reminder:{whistle.id}"))  # fmt: skip
        else:
            for telegram_id in department.contacts or []:
                user = await user_by_telegram_id(session, telegram_id)
                emit(session, message(user.id, "party-whistle-reminder", **args))
        reminded += 1
    return reminded


async def overdue_departments(
    session: AsyncSession, community_id: int, now: datetime
) -> list[tuple[str, str]]:
    """(department, request label) of whistles not reported in by their response time."""
    rows = (await session.execute(
        select(Department.name, Request)
        .join(Whistle, Whistle.department_id == Department.id)
        .join(Request, Request.id == Whistle.request_id)
        .where(Whistle.community_id == community_id, Whistle.reported_at.is_(None),
               Whistle.due_at < now)
        .order_by(Whistle.id)
    )).all()  # fmt: skip
    return [(name, request_label(request)) for name, request in rows]


@dataclass
class DepartmentFigures:
    name: str
    whistles: int
    on_time: int
    done: int


async def department_figures(
    session: AsyncSession, community_id: int, start: datetime, end: datetime
) -> list[DepartmentFigures]:
    """Per department, the whistles of a period: how many, reported in on time, done."""
    on_time = func.sum(case((Whistle.reported_at <= Whistle.due_at, 1), else_=0))
    done = func.sum(case((Whistle.done_at.is_not(None), 1), else_=0))
    rows = (await session.execute(
        select(Department.name, func.count(Whistle.id), on_time, done)
        .join(Whistle, Whistle.department_id == Department.id)
        .where(Whistle.community_id == community_id, Whistle.whistled_at >= start,
               Whistle.whistled_at < end)
        .group_by(Department.id, Department.name)
        .order_by(Department.id)
    )).all()  # fmt: skip
    return [DepartmentFigures(name, count, int(ok or 0), int(finished or 0))
            for name, count, ok, finished in rows]  # fmt: skip



@dataclass
class WhistleRow:
    label: str
    department: str
    whistled_at: datetime
    due_at: datetime
    reported_at: datetime | None
    done_at: datetime | None
    note: str | None


async def recent_whistles(
    session: AsyncSession, community_id: int, limit: int = 50
) -> list[WhistleRow]:
    """The community's latest whistles and how far each department got."""
    rows = (await session.execute(
        select(Whistle, Department.name, Request)
        .join(Department, Department.id == Whistle.department_id)
        .join(Request, Request.id == Whistle.request_id)
        .where(Whistle.community_id == community_id)
        .order_by(Whistle.whistled_at.desc(), Whistle.id.desc())
        .limit(limit)
    )).all()  # fmt: skip
    return [WhistleRow(request_label(request), name, w.whistled_at, w.due_at, w.reported_at,
                       w.done_at, w.note) for w, name, request in rows]  # fmt: skip
