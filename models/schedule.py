"""When each community's rhythm jobs are due (每天一反馈、每周一兑换、每月一总结、每年一表彰).

A job's time is written per community (structure file `schedule:`), read in the community's
time zone. For a moment `now`, `latest_due` gives the most recent due time and the period it
covers; a job runs once per period, so a run missed while the process was down happens once
when it is back.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models.structure import Community

DAILY, WEEKLY, MONTHLY, YEARLY = (
    "daily_feedback", "weekly_redemption", "monthly_summary", "yearly_commendation",
)  # fmt: skip
UNIT_REPORTS = "unit_reports"  # partner units' monthly reports of their party members
QUARTERLY = "service_stars"  # 服务明星: the quarter's best partners
FUND_STATEMENT = "fund_statement"  # the fund's monthly statement to the residents' groups
FUND_NEEDS = "fund_needs"  # needs proposed from what the bot knows, daily
FUND_AGREEMENTS = "fund_agreements"  # units' agreements about to lapse, daily
JOBS = (DAILY, WEEKLY, MONTHLY, YEARLY, UNIT_REPORTS, QUARTERLY, FUND_STATEMENT, FUND_NEEDS,
        FUND_AGREEMENTS)  # fmt: skip
DEFAULT_SCHEDULE = {
    DAILY: "20:00",
    WEEKLY: "sun 10:00",
    MONTHLY: "1 09:00",
    YEARLY: "01-01 09:00",
    UNIT_REPORTS: "1 10:00",
    QUARTERLY: "1 09:30",  # day of the quarter's first month
    FUND_STATEMENT: "1 09:15",
    FUND_NEEDS: "07:30",
    FUND_AGREEMENTS: "08:30",
}
# Jobs whose schedule reads like another's (a day of the month and a time).
SAME_RHYTHM = {UNIT_REPORTS: MONTHLY, FUND_STATEMENT: MONTHLY, FUND_NEEDS: DAILY,
               FUND_AGREEMENTS: DAILY}  # fmt: skip
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Days from one due time to a moment past the next one but before the one after it.
_ONE_STEP = {DAILY: 1, WEEKLY: 7, MONTHLY: 32, YEARLY: 366, UNIT_REPORTS: 32, QUARTERLY: 93,
             FUND_STATEMENT: 32, FUND_NEEDS: 1, FUND_AGREEMENTS: 1}  # fmt: skip


class UnusableSpec(ValueError):
    """A schedule entry that reads but could not run as written (its message says why)."""


@dataclass(frozen=True)
class Due:
    at: datetime  # when the run was due (aware, community time)
    period: str  # the period the run covers, e.g. 2026-11-23, 2026-W47, 2026-10, 2025
    start: datetime  # the covered period, [start, end)
    end: datetime


def _clock(text: str) -> time:
    hours, minutes = text.strip().split(":")
    return time(int(hours), int(minutes))


def job_name(text: str) -> str:
    """A job's name as staff may type it: `daily-feedback` is `daily_feedback`."""
    return text.strip().lower().replace("-", "_")


def validate_spec(job: str, spec: str) -> None:
    """Raise ValueError when a schedule entry cannot be read."""
    latest_due(job, spec, datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("UTC")), "UTC")


def schedule_of(community: Community) -> dict[str, str]:
    return {**DEFAULT_SCHEDULE, **((community.settings or {}).get("schedule") or {})}


def latest_due(job: str, spec: str, now: datetime, timezone: str) -> Due:
    job = SAME_RHYTHM.get(job, job)
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    if job == DAILY:
        at = datetime.combine(local.date(), _clock(spec), zone)
        if at > local:
            at -= timedelta(days=1)
        start = datetime.combine(at.date(), time(), zone)
        return Due(at, at.date().isoformat(), start, start + timedelta(days=1))
    if job == WEEKLY:
        day, clock = spec.split()
        weekday = WEEKDAYS.index(day.lower()[:3])
        at = datetime.combine(local.date(), _clock(clock), zone)
        at -= timedelta(days=(local.weekday() - weekday) % 7)
        if at > local:
            at -= timedelta(days=7)
        year, week, _ = at.isocalendar()
        start = datetime.combine(at.date() - timedelta(days=at.weekday()), time(), zone)
        return Due(at, f"{year}-W{week:02d}", start, start + timedelta(days=7))
    if job == MONTHLY:
        day, clock = spec.split()
        if not 1 <= int(day) <= 28:
            raise UnusableSpec("the day of a monthly job is 1 to 28, so that every month has it")
        at = datetime.combine(local.date().replace(day=int(day)), _clock(clock), zone)
        if at > local:
            previous = local.date().replace(day=1) - timedelta(days=1)
            at = datetime.combine(previous.replace(day=int(day)), _clock(clock), zone)
        month_end = datetime.combine(at.date().replace(day=1), time(), zone)
        last_month = (month_end.date() - timedelta(days=1)).replace(day=1)
        start = datetime.combine(last_month, time(), zone)
        return Due(at, f"{last_month:%Y-%m}", start, month_end)
    if job == YEARLY:
        month_day, clock = spec.split()
        month, day = (int(part) for part in month_day.split("-"))
        at = datetime.combine(date(local.year, month, day), _clock(clock), zone)
        if at > local:
            at = at.replace(year=local.year - 1)
        year = at.year - 1
        start = datetime.combine(date(year, 1, 1), time(), zone)
        return Due(at, str(year), start, datetime.combine(date(year + 1, 1, 1), time(), zone))
    if job == QUARTERLY:
        return _latest_quarter(spec, local, zone)
    raise ValueError(f"unknown job {job}")


def _quarter_start(year: int, quarter: int) -> date:
    """The first day of a quarter (1-4), stepping across years."""
    year, index = year + (quarter - 1) // 4, (quarter - 1) % 4
    return date(year, index * 3 + 1, 1)


def _latest_quarter(spec: str, local: datetime, zone: ZoneInfo) -> Due:
    """Due on a day of each quarter's first month; covers the quarter before."""
    day, clock = spec.split()
    if not 1 <= int(day) <= 28:
        raise ValueError("the day of a quarterly job is 1 to 28")
    quarter = (local.month - 1) // 3 + 1
    at = datetime.combine(_quarter_start(local.year, quarter).replace(day=int(day)),
                          _clock(clock), zone)  # fmt: skip
    if at > local:
        quarter -= 1
        at = datetime.combine(_quarter_start(local.year, quarter).replace(day=int(day)),
                              _clock(clock), zone)  # fmt: skip
    covered = _quarter_start(local.year, quarter - 1)
    start = datetime.combine(covered, time(), zone)
    end = datetime.combine(_quarter_start(covered.year, (covered.month - 1) // 3 + 2), time(), zone)
    return Due(at, f"{covered.year}-Q{(covered.month - 1) // 3 + 1}", start, end)


def due_for_date(job: str, spec: str, on: date, timezone: str) -> Due:
    """The run that is due on a given day (for running a job by hand for a past date)."""
    end_of_day = datetime.combine(on, time(23, 59), ZoneInfo(timezone))
    return latest_due(job, spec, end_of_day, timezone)


def next_due(job: str, spec: str, now: datetime, timezone: str) -> Due:
    """The first run due after `now`: the current period, which staff may run early."""
    latest = latest_due(job, spec, now, timezone)
    return latest_due(job, spec, latest.at + timedelta(days=_ONE_STEP[job]), timezone)


def due_by_hand(job: str, spec: str, on: date | None, now: datetime, timezone: str) -> Due:
    """The run staff ask for: the latest one due, or the one due on the day `on`. The current
    period may be run early; a later one is refused (ValueError), as it has not begun."""
    if on is None:
        return latest_due(job, spec, now, timezone)
    due = due_for_date(job, spec, on, timezone)
    if due.at > next_due(job, spec, now, timezone).at:
        raise ValueError(f"{job} for {due.period} is not due before {due.at:%Y-%m-%d %H:%M}")
    return due
