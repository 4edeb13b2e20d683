"""The fund's ledger, disbursements and the supervisory board's approvals (donations, which
add to the ledger, are in models/resources/donations.py).

A disbursement is asked for by staff, approved by K of the board's N members, and paid by the
approval that makes K: the debit, the status change and the approval are one transaction, so
a disbursement is paid once, and never with money that is not free to spend.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.errors import DomainError, InvalidInput, InvalidState, NotAllowed, NotFound
from models.members import Member
from models.notices import Notice, emit
from models.resources.tables import (
    FREE,
    Approval,
    Disbursement,
    DisbursementStatus,
    DisbursementUse,
    FundBalance,
    FundCounter,
    FundEntry,
    Project,
    ProjectStatus,
)
from models.structure import Community

MAX_AMOUNT = 100_000_000  # fen: ¥1,000,000, more than any one gift or payment here
NAME_MAX = 100  # a donor's or payee's name
DEFAULT_BOARD_NEEDED = 2
# The names staff type for each use (the values are accepted too).
USE_NAMES = {
    "救急": DisbursementUse.EMERGENCY, "救难": DisbursementUse.DISASTER,
    "救困": DisbursementUse.HARDSHIP, "扶老": DisbursementUse.ELDERLY,
    "扶孤": DisbursementUse.ORPHANS, "扶持公益": DisbursementUse.PUBLIC_GOOD,
    "奖励": DisbursementUse.AWARD, "项目": DisbursementUse.PROJECT,
}  # fmt: skip
USES = USE_NAMES | {u.value: u for u in DisbursementUse}
AMOUNT = re.compile(r"[0-9]{1,9}(\.[0-9]{1,2})?")


class NotEnoughFree(DomainError):
    message_id = "fund-not-enough"


def parse_amount(text: str) -> int:
    """Yuan as typed (`500`, `12.5`) into fen; zero, negative and absurd amounts refused."""
    text = text.strip().removeprefix("¥").removesuffix("元")
    if not AMOUNT.fullmatch(text):
        raise InvalidInput("fund-amount-bad")
    try:
        fen = int(Decimal(text) * 100)
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise InvalidInput("fund-amount-bad") from error
    if fen <= 0:
        raise InvalidInput("fund-amount-bad")
    if fen > MAX_AMOUNT:
        raise InvalidInput("fund-amount-too-large", most=yuan(MAX_AMOUNT))
    return fen


def clean_text(text: str | None, limit: int, error: str) -> str:
    """Text as typed, its whitespace folded; empty or longer than `limit` is refused."""
    text = " ".join((text or "").split())
    if not text or len(text) > limit:
        raise InvalidInput(error, limit=str(limit))  # a plain number, not 1,000
    return text


def clean_payee(text: str | None) -> str:
    """Who is paid (the guided /disburse checks it as typed)."""
    return clean_text(text, NAME_MAX, "fund-payee-bad")


def yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}" if fen >= 0 else f"-{yuan(-fen)}"


# --- the board ---------------------------------------------------------------------------


def fund_settings(community: Community) -> dict[str, Any]:
    return dict((community.settings or {}).get("fund") or {})


def board_of(community: Community) -> list[int]:
    """The supervisory board's Telegram ids."""
    return [int(i) for i in fund_settings(community).get("board", [])]


def approvals_needed(community: Community) -> int:
    board = board_of(community)
    needed = int(fund_settings(community).get("approvals", DEFAULT_BOARD_NEEDED))
    return max(1, min(needed, len(board))) if board else needed


def is_treasurer(member: Member, community_id: int) -> bool:
    """Who records donations and asks for disbursements: the community's admins."""
    return member.is_admin_of(community_id)


async def community_of(session: AsyncSession, community_id: int) -> Community:
    community = await session.get(Community, community_id)
    if community is None:
        raise NotFound()
    return community


# --- the ledger ---------------------------------------------------------------------------


def _insert(session: AsyncSession) -> Any:
    return pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert


async def book(
    session: AsyncSession, community_id: int, bucket: int, amount: int, key: str, **refs: Any
) -> None:
    """Append one entry and move its bucket's balance in the same savepoint; a debit that
    would take the bucket below zero changes nothing and raises NotEnoughFree."""
    async with session.begin_nested():
        await session.execute(
            _insert(session)(FundBalance)
            .values(community_id=community_id, bucket=bucket, balance=0)
            .on_conflict_do_nothing()
        )
        moved = await session.execute(
            update(FundBalance)
            .where(FundBalance.community_id == community_id, FundBalance.bucket == bucket,
                   FundBalance.balance + amount >= 0)
            .values(balance=FundBalance.balance + amount)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise NotEnoughFree()
        session.add(FundEntry(community_id=community_id, bucket=bucket, amount=amount, key=key,
                              at=utcnow(), **refs))  # fmt: skip
        await session.flush()


async def balances(session: AsyncSession, community_id: int) -> dict[int, int]:
    rows = await session.execute(
        select(FundBalance.bucket, FundBalance.balance).where(
            FundBalance.community_id == community_id
        )
    )
    return {bucket: balance for bucket, balance in rows.all()}


async def balance_of(session: AsyncSession, community_id: int) -> int:
    return sum((await balances(session, community_id)).values())


async def ledger_sum(session: AsyncSession, community_id: int) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(FundEntry.amount), 0)).where(
            FundEntry.community_id == community_id
        )
    )
    return int(total or 0)


async def next_number(session: AsyncSession, community_id: int, kind: str) -> int:
    await session.execute(
        _insert(session)(FundCounter)
        .values(community_id=community_id, kind=kind, last=0)
        .on_conflict_do_nothing()
    )
    number = await session.scalar(
        update(FundCounter)
        .where(FundCounter.community_id == community_id, FundCounter.kind == kind)
        .values(last=FundCounter.last + 1)
        .returning(FundCounter.last)
    )
    assert number is not None
    return int(number)


# --- projects (the part the fund needs) ------------------------------------------------------


async def project_by_number(session: AsyncSession, community_id: int, number: int) -> Project:
    project = await session.scalar(
        select(Project).where(Project.community_id == community_id, Project.number == number)
    )
    if project is None:
        raise NotFound("fund-project-unknown", number=number)
    return project


# --- disbursements ------------------------------------------------------------------------


async def free_to_spend(session: AsyncSession, community_id: int, bucket: int) -> int:
    return (await balances(session, community_id)).get(bucket, 0)


async def ask_disbursement(
    session: AsyncSession,
    member: Member,
    community_id: int,
    *,
    amount: int,
    use: DisbursementUse,
    payee: str,
    project_number: int | None = None,
    photo_file_id: str | None = None,
) -> Disbursement:
    """Staff ask the board to pay; each board member gets a card with an approve button."""
    if not is_treasurer(member, community_id):
        raise NotAllowed("fund-staff-only")
    community = await community_of(session, community_id)
    board = board_of(community)
    if not board:
        raise InvalidState("fund-no-board")
    if not 0 < amount <= MAX_AMOUNT:
        raise InvalidInput("fund-amount-bad")
    payee = clean_payee(payee)
    project = None
    if use == DisbursementUse.PROJECT:
        if project_number is None:
            raise InvalidInput("fund-use-needs-project")
        project = await project_by_number(session, community_id, project_number)
    elif project_number is not None:
        raise InvalidInput("fund-project-use-only")
    bucket = project.id if project else FREE
    free = await free_to_spend(session, community_id, bucket)
    if amount > free:
        raise NotEnoughFree(free=yuan(free))
    disbursement = Disbursement(
        community_id=community_id,
        number=await next_number(session, community_id, "disbursement"),
        use=use, project_id=project.id if project else None, payee=payee, amount=amount,
        photo_file_id=photo_file_id, status=DisbursementStatus.PENDING,
        needed=approvals_needed(community), requested_by_id=member.user.id,
        requested_at=utcnow(),
    )  # fmt: skip
    session.add(disbursement)
    await session.flush()
    for telegram_id in board:  # the receipt photo goes with the card
        emit(session, board_card(community, disbursement, telegram_id,
                                 dedup_key=f"fund-ask:{disbursement.id}:{telegram_id}"))
    return disbursement


def private_card(
    community: Community, telegram_id: int, kind: str, subject_id: int, variant: str, *,
    photo: str | None = None, dedup_key: str | None = None,
) -> Notice:  # fmt: skip
    """A card for someone named by their Telegram id (a board member, a unit's contact, a
    donor): if they never pressed Start, the staff chat gets a pointer that opens it."""
    return Notice("fund-card", chat_id=telegram_id, dedup_key=dedup_key, args={
        "kind": kind, "id": subject_id, "variant": variant, "photo": photo,
        "fallback": community.admin_chat_id})  # fmt: skip


def board_card(community: Community, disbursement: Disbursement, telegram_id: int,
               dedup_key: str | None = None) -> Notice:  # fmt: skip
    """A board member's card of a disbursement, with its receipt photo when it has one."""
    return private_card(community, telegram_id, "fund-disbursement", disbursement.id, "board",
                        photo=disbursement.photo_file_id, dedup_key=dedup_key)


async def get_disbursement(session: AsyncSession, disbursement_id: int) -> Disbursement:
    disbursement = await session.get(Disbursement, disbursement_id)
    if disbursement is None:
        raise NotFound()
    return disbursement


async def approvals_of(session: AsyncSession, disbursement_id: int) -> list[Approval]:
    rows = await session.scalars(
        select(Approval).where(Approval.disbursement_id == disbursement_id).order_by(Approval.id)
    )
    return list(rows)


def _require_pending(disbursement: Disbursement) -> None:
    if disbursement.status == DisbursementStatus.PAID:
        raise InvalidState("fund-already-paid", number=disbursement.number)
    if disbursement.status == DisbursementStatus.WITHDRAWN:
        raise InvalidState("fund-withdrawn", number=disbursement.number)


async def approve(session: AsyncSession, member: Member, disbursement_id: int) -> Disbursement:
    """One board member's approval; the K-th pays. Refused for anyone off the board, twice
    by the same member, and once the disbursement is paid or withdrawn."""
    disbursement = await get_disbursement(session, disbursement_id)
    community = await community_of(session, disbursement.community_id)
    if member.user.telegram_id not in board_of(community):
        raise NotAllowed("fund-board-only")
    if member.user.id == disbursement.requested_by_id:
        raise NotAllowed("fund-own-request")  # the one who asks does not approve
    _require_pending(disbursement)
    # One savepoint: an approval that cannot pay (not enough money) leaves no trace.
    try:
        async with session.begin_nested():
            session.add(Approval(disbursement_id=disbursement.id, user_id=member.user.id,
                                 at=utcnow()))  # fmt: skip
            await session.flush()
            if len(await approvals_of(session, disbursement.id)) >= disbursement.needed:
                await _pay(session, disbursement, member)
    except IntegrityError as error:
        session.expire(disbursement)
        raise InvalidState("fund-approved-already") from error
    except DomainError:
        session.expire(disbursement)
        raise
    emit(session, Notice("refresh", args={"kind": "fund-disbursement", "id": disbursement.id}))
    return disbursement


async def _pay(session: AsyncSession, disbursement: Disbursement, member: Member) -> None:
    # Compare-and-set: of two approvals that both make K, one pays; the other finds it paid.
    moved = await session.execute(
        update(Disbursement)
        .where(Disbursement.id == disbursement.id,
               Disbursement.status == DisbursementStatus.PENDING)
        .values(status=DisbursementStatus.PAID, closed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidState("fund-already-paid", number=disbursement.number)
    bucket = disbursement.project_id or FREE
    try:
        await book(session, disbursement.community_id, bucket, -disbursement.amount,
                    f"disbursement:{disbursement.id}", disbursement_id=disbursement.id,
                    by_id=member.user.id)  # fmt: skip
    except NotEnoughFree as error:
        free = await free_to_spend(session, disbursement.community_id, bucket)
        raise NotEnoughFree(free=yuan(free)) from error
    await session.refresh(disbursement)
    if disbursement.requested_by_id:
        emit(session, Notice("message", user_id=disbursement.requested_by_id, args={
            "message": "fund-paid-notice",
            "args": {"number": disbursement.number, "amount": yuan(disbursement.amount),
                     "payee": disbursement.payee}},
            dedup_key=f"fund-paid:{disbursement.id}"))  # fmt: skip


async def board_community(session: AsyncSession, member: Member) -> Community | None:
    """The community whose supervisory board the person sits on, if any."""
    for community in await session.scalars(select(Community).order_by(Community.id)):
        if member.user.telegram_id in board_of(community):
            return community
    return None


async def waiting_for(
    session: AsyncSession, member: Member, community: Community
) -> list[Disbursement]:
    """Pending disbursements this board member has not approved yet (their cards are sent
    again on /fund, e.g. to a member who pressed Start only after they were asked)."""
    approved = select(Approval.disbursement_id).where(Approval.user_id == member.user.id)
    rows = await session.scalars(
        select(Disbursement)
        .where(Disbursement.community_id == community.id,
               Disbursement.status == DisbursementStatus.PENDING,
               Disbursement.requested_by_id != member.user.id,
               Disbursement.id.not_in(approved))
        .order_by(Disbursement.number)
    )  # fmt: skip
    return list(rows)


async def withdraw(session: AsyncSession, member: Member, disbursement_id: int) -> Disbursement:
    disbursement = await get_disbursement(session, disbursement_id)
    if not is_treasurer(member, disbursement.community_id):
        raise NotAllowed("fund-staff-only")
    moved = await session.execute(
        update(Disbursement)
        .where(Disbursement.id == disbursement.id,
               Disbursement.status == DisbursementStatus.PENDING)
        .values(status=DisbursementStatus.WITHDRAWN, closed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    await session.refresh(disbursement)
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        _require_pending(disbursement)
    emit(session, Notice("refresh", args={"kind": "fund-disbursement", "id": disbursement.id}))
    return disbursement


# --- a cancelled project's earmarked money ---------------------------------------------------


async def earmarked_for(session: AsyncSession, project: Project) -> int:
    return await free_to_spend(session, project.community_id, project.id)


def releasable(project: Project, earmarked: int) -> bool:
    """Whether staff are offered to re-designate the project's earmarked money (what
    `redesignate` would move): a cancelled project with money still earmarked for it."""
    return project.status == ProjectStatus.CANCELLED and earmarked > 0


async def redesignate(session: AsyncSession, member: Member, project_id: int) -> int:
    """Staff move what is still earmarked for a cancelled project to general use: two ledger
    entries (out of the project's bucket, into the free one) that name the project and who
    did it, so the auditor sees why the money changed purpose. Returns the amount moved."""
    project = await session.get(Project, project_id)
    if project is None:
        raise NotFound()
    if not is_treasurer(member, project.community_id):
        raise NotAllowed("fund-staff-only")
    if project.status != ProjectStatus.CANCELLED:
        raise InvalidState("fund-redesignate-not-cancelled", number=project.number)
    amount = await earmarked_for(session, project)
    if amount <= 0:
        raise InvalidState("fund-redesignate-nothing", number=project.number)
    refs = {"project_id": project.id, "by_id": member.user.id}
    try:
        async with session.begin_nested():
            await book(session, project.community_id, project.id, -amount,
                        f"redesignate:{project.id}:out", **refs)  # fmt: skip
            await book(session, project.community_id, FREE, amount,
                        f"redesignate:{project.id}:in", **refs)  # fmt: skip
    except (IntegrityError, NotEnoughFree) as error:  # done already, or paid out meanwhile
        raise InvalidState("fund-redesignate-nothing", number=project.number) from error
    emit(session, Notice("refresh", args={"kind": "fund-project", "id": project.id}))
    return amount
