"""Rewards, orders, the weekly redemption run and single-use vouchers.

Ordering holds the points at once (so nobody orders beyond their balance); the weekly run
fills held orders first come first served within each reward's weekly stock, issues a
voucher per filled order and refunds the rest. The run key makes a week's run happen once.
"""

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.errors import InvalidState, NotAllowed, NotFound
from models.jobs import (
    JobRun,
    JobStatus,
    RunUnfinished,
    fail_run,
    finish_run,
    run_status,
    start_run,
)
from models.members import Member, User
from models.notices import Notice, emit, take_notices
from models.points.ledger import post
from models.points.tables import (
    LedgerReason,
    Merchant,
    OrderStatus,
    RedemptionOrder,
    Reward,
    Voucher,
)
from models.structure import Community

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 8


COMMIT_EVERY = 200  # orders settled per transaction in the weekly run


def iso_week(moment: datetime, timezone: str) -> str:
    year, week, _ = moment.astimezone(ZoneInfo(timezone)).isocalendar()
    return f"{year}-W{week:02d}"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def member_community(member: Member) -> int | None:
    """The community a member acts in: where they live, else where they hold a role."""
    if member.residence is not None:
        return member.residence.community_id
    return member.roles[0].community_id if member.roles else None


@dataclass
class RewardLine:
    reward: Reward
    merchant: Merchant
    remaining: int  # of this week's stock, after the orders already placed


async def list_rewards(session: AsyncSession, community_id: int) -> list[RewardLine]:
    held = (
        select(RedemptionOrder.reward_id, func.count().label("n"))
        .where(RedemptionOrder.status == OrderStatus.HELD)
        .group_by(RedemptionOrder.reward_id)
        .subquery()
    )
    rows = (
        await session.execute(
            select(Reward, Merchant, func.coalesce(held.c.n, 0))
            .join(Merchant, Merchant.id == Reward.merchant_id)
            .outerjoin(held, held.c.reward_id == Reward.id)
            .where(Reward.community_id == community_id, Reward.active.is_(True))
            .order_by(Reward.cost, Reward.id)
        )
    ).all()
    return [RewardLine(r, m, max(0, r.weekly_stock - n)) for r, m, n in rows]


async def place_order(session: AsyncSession, member: Member, reward_id: int) -> RedemptionOrder:
    reward = await session.get(Reward, reward_id)
    if reward is None or not reward.active:
        raise NotFound("reward-gone")
    if member_community(member) != reward.community_id:
        raise NotAllowed("reward-other-community")
    # The order and its hold stand or fall together: no order without the points held.
    async with session.begin_nested():
        order = RedemptionOrder(
            community_id=reward.community_id, reward_id=reward.id, user_id=member.user.id,
            cost=reward.cost, week="", status=OrderStatus.HELD,
        )  # fmt: skip
        session.add(order)
        await session.flush()
        await post(
            session, community_id=reward.community_id, user_id=member.user.id,
            amount=-reward.cost, reason=LedgerReason.ORDER_HOLD, key=f"order:{order.id}",
            ref_type="order", ref_id=order.id, note=reward.name,
        )  # fmt: skip
    return order


@dataclass
class RedemptionResult:
    week: str
    filled: int = 0
    refunded: int = 0
    already_done: bool = False
    vouchers: list[str] = field(default_factory=list)


async def run_redemption(
    session: AsyncSession,
    community_id: int,
    now: datetime | None = None,
    flush_notices: Callable[[AsyncSession], Awaitable[object]] | None = None,
    week: str | None = None,
) -> RedemptionResult:
    """The weekly redemption of one community: the orders placed until `now`, for `week`
    (by default the week of `now`). Commits as it goes, a batch of orders at a
    time with their notices queued by `flush_notices` in the same transaction: a crash loses
    at most the batch under way, whose orders are still held and are settled by the next
    try; running it again for the same week changes nothing."""
    now = now or utcnow()

    async def commit() -> None:
        if flush_notices is not None:
            await flush_notices(session)
        await session.commit()

    community = await session.get(Community, community_id)
    if community is None:
        raise NotFound("error-place-gone")
    week = week or iso_week(now, community.timezone)
    run = await start_run(session, "redemption", week, community_id)
    result = RedemptionResult(week)
    if run is None:
        if await run_status(session, "redemption", week, community_id) != JobStatus.DONE:
            raise RunUnfinished(f"the redemption of {week} has not finished yet")
        result.already_done = True
        return result
    await commit()
    run_id = run.id
    try:
        await _redeem(session, run, community_id, week, now, result, commit)
    except Exception:
        take_notices(session)  # about orders that stay held
        await fail_run(session, run_id)
        raise
    return result


async def count_held_orders(session: AsyncSession, community_id: int) -> int:
    """Orders whose points are held: the next weekly redemption fills or refunds them."""
    held = select(func.count()).where(
        RedemptionOrder.community_id == community_id, RedemptionOrder.status == OrderStatus.HELD
    )
    return await session.scalar(held) or 0


async def _redeem(
    session: AsyncSession,
    run: JobRun,
    community_id: int,
    week: str,
    now: datetime,
    result: RedemptionResult,
    commit: Callable[[], Awaitable[None]],
) -> None:
    rewards = (
        await session.scalars(select(Reward).where(Reward.community_id == community_id))
    ).all()
    for reward in rewards:
        orders = (
            await session.scalars(
                select(RedemptionOrder)
                .where(
                    RedemptionOrder.reward_id == reward.id,
                    RedemptionOrder.status == OrderStatus.HELD,
                    RedemptionOrder.created_at <= now,
                )
                .order_by(RedemptionOrder.id)
            )
        ).all()
        # A run taken over after a crash finds part of the week's stock given out already.
        stock = reward.weekly_stock - (
            await session.scalar(
                select(func.count()).where(
                    RedemptionOrder.reward_id == reward.id,
                    RedemptionOrder.status == OrderStatus.FILLED,
                    RedemptionOrder.week == week,
                )
            )
            or 0
        ) if reward.active else 0  # fmt: skip
        for first in range(0, len(orders), COMMIT_EVERY):
            batch = orders[first : first + COMMIT_EVERY]
            filled = batch[: max(0, stock - first)]
            refunded = batch[len(filled) :]
            await _settle(session, filled, OrderStatus.FILLED, week, now)
            await _settle(session, refunded, OrderStatus.REFUNDED, week, now)
            # The holders, loaded at once for the notices that follow.
            await session.scalars(select(User).where(User.id.in_({o.user_id for o in batch})))
            result.vouchers += await _issue_vouchers(session, filled, reward, now)
            for order in refunded:
                await _refund(session, order, reward)
            result.filled += len(filled)
            result.refunded += len(refunded)
            await commit()
    finish_run(run, {"filled": result.filled, "refunded": result.refunded})
    await commit()


async def _settle(
    session: AsyncSession,
    orders: list[RedemptionOrder],
    status: OrderStatus,
    week: str,
    now: datetime,
) -> None:
    """Mark held orders settled; an order no longer held means another run got there."""
    if not orders:
        return
    changed = await session.execute(
        update(RedemptionOrder)
        .where(
            RedemptionOrder.id.in_([order.id for order in orders]),
            RedemptionOrder.status == OrderStatus.HELD,
        )
        .values(status=status, week=week, settled_at=now)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != len(orders):
        raise InvalidState()


async def _issue_vouchers(
    session: AsyncSession, orders: list[RedemptionOrder], reward: Reward, now: datetime
) -> list[str]:
    codes = [new_code() for _ in orders]
    while taken := set(
        await session.scalars(select(Voucher.code).where(Voucher.code.in_(codes)))
    ) | {code for code in codes if codes.count(code) > 1}:  # fmt: skip
        codes = [new_code() if code in taken else code for code in codes]
    for order, code in zip(orders, codes, strict=True):
        session.add(
            Voucher(order_id=order.id, merchant_id=reward.merchant_id, code=code, issued_at=now)
        )
        emit(session, Notice("voucher-issued", user_id=order.user_id,
                             args={"code": code, "reward": reward.name},
                             dedup_key=f"voucher:{order.id}"))  # fmt: skip
    return codes


async def _refund(session: AsyncSession, order: RedemptionOrder, reward: Reward) -> None:
    posted = await post(
        session, community_id=order.community_id, user_id=order.user_id, amount=order.cost,
        reason=LedgerReason.REFUND, key=f"refund:{order.id}", ref_type="order", ref_id=order.id,
        note=reward.name,
    )  # fmt: skip
    emit(session, Notice("order-refunded", user_id=order.user_id,
                         args={"reward": reward.name, "amount": order.cost,
                               "balance": posted.balance},
                         dedup_key=f"refund:{order.id}"))  # fmt: skip


@dataclass
class Verified:
    reward: str
    holder: str


async def verify_voucher(session: AsyncSession, member: Member, text: str) -> Verified:
    """A merchant redeems a code: valid and unused → marked used; else refused with why."""
    merchants = member.merchant_ids()
    if not merchants:
        raise NotAllowed("voucher-merchants-only")
    code = normalize_code(text)
    voucher = await session.scalar(select(Voucher).where(Voucher.code == code))
    if voucher is None:
        raise NotFound("voucher-unknown", code=code or "-")
    if voucher.merchant_id not in merchants:
        raise NotAllowed("voucher-foreign", code=code)
    used = await session.execute(
        update(Voucher)
        .where(Voucher.id == voucher.id, Voucher.used_at.is_(None))
        .values(used_at=utcnow(), used_by_id=member.user.id)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        await session.refresh(voucher)
        community = await session.scalar(
            select(Community)
            .join(Merchant, Merchant.community_id == Community.id)
            .where(Merchant.id == voucher.merchant_id)
        )
        when = voucher.used_at.astimezone(ZoneInfo(community.timezone if community else "UTC"))  # type: ignore[union-attr]
        raise InvalidState("voucher-used", code=code, at=when.strftime("%Y-%m-%d %H:%M"))
    order = await session.get(RedemptionOrder, voucher.order_id)
    assert order is not None
    reward = await session.get(Reward, order.reward_id)
    holder = await session.get(User, order.user_id)
    return Verified(
        reward=reward.name if reward else "-", holder=holder.full_name if holder else "-"
    )
