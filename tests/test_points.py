"""Points: the ledger never goes negative nor pays a cause twice; orders, the weekly run,
vouchers and merchants' verification; earning from requests; admin adjustments."""

import asyncio
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner

from bot.app import App
from bot.cli import app as cli
from bot.i18n import Catalog
from bot.notifier import Notifier
from bot.qr import qr_png
from models.base import create_engine, create_sessionmaker, utcnow
from models.jobs import JobRun, JobStatus, start_run
from models.members import User, load_member, register_residence, touch_user
from models.points import (
    LedgerEntry,
    LedgerReason,
    OrderStatus,
    PointBalance,
    RedemptionOrder,
    Reward,
    Voucher,
    rewards,
)
from models.points.ledger import NotEnoughPoints, account, balance_of, post
from models.points.rewards import place_order, run_redemption
from models.schedule import WEEKLY, due_for_date, schedule_of
from models.structure import Building, Community
from playground import FakeTelegram
from scheduler.context import JobContext
from scheduler.runner import JobRunner
from tests.conftest import SAMPLE_STRUCTURE, import_structure
from tests.helpers import (
    World,
    build_world,
    member_for,
    open_private,
    register,
    request_by_number,
    statements_run,
)

HOLDER_ID = 5001


async def community_and_user(sessionmaker: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    """The sample community and a resident of it."""
    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        user = await touch_user(session, HOLDER_ID, "Alice", None, "zh", True)
        building = await session.scalar(select(Building))
        assert building is not None
        await register_residence(session, user, building.id, None, None)
        community = await session.scalar(select(Community))
        await session.commit()
        assert community is not None
        return community.id, user.id


async def test_a_cause_pays_once_and_spending_stops_at_zero(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    community_id, user_id = await community_and_user(sessionmaker)
    async with sessionmaker() as session:
        kwargs = {"community_id": community_id, "user_id": user_id}
        first = await post(session, **kwargs, amount=30, reason=LedgerReason.SERVICE, key="c:1")
        again = await post(session, **kwargs, amount=30, reason=LedgerReason.SERVICE, key="c:1")
        assert first.entry_id is not None and again.entry_id is None and again.balance == 30
        with pytest.raises(NotEnoughPoints):
            await post(session, **kwargs, amount=-31, reason=LedgerReason.ORDER_HOLD, key="o:1")
        refused = select(LedgerEntry).where(LedgerEntry.idempotency_key == "o:1")
        assert await session.scalar(refused) is None  # a refused spend leaves no entry
        spent = await post(session, **kwargs, amount=-30, reason=LedgerReason.ORDER_HOLD, key="o:2")
        assert spent.balance == 0
        await session.commit()
        assert await balance_of(session, user_id, community_id) == 0
        assert await session.scalar(select(func.sum(LedgerEntry.amount))) == 0


async def test_an_earning_is_booked_with_its_balance_change_by_one_statement(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """On PostgreSQL; a cause booked already also reads the balance it reports."""
    community_id, user_id = await community_and_user(sessionmaker)
    async with sessionmaker() as session:
        mine = {"community_id": community_id, "user_id": user_id, "reason": LedgerReason.SERVICE}
        with statements_run(session.bind) as written:
            first = await post(session, **mine, amount=10, key="earn:1")
            again = await post(session, **mine, amount=10, key="earn:1")
            second = await post(session, **mine, amount=5, key="earn:2")
        await session.commit()
    assert (first.balance, again.entry_id, again.balance, second.balance) == (10, None, 10, 15)
    assert len(written) == (4 if session.bind.dialect.name == "postgresql" else 6), written
    async with sessionmaker() as session:
        assert await account(session, user_id, community_id) == (15, list(await session.scalars(
            select(LedgerEntry).order_by(LedgerEntry.id.desc()))))  # fmt: skip


async def test_an_account_is_its_balance_and_newest_entries_in_one_read(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    community_id, user_id = await community_and_user(sessionmaker)
    async with sessionmaker() as session:
        assert await account(session, user_id, community_id, 3) == (0, [])  # nothing yet
        for n in range(5):
            await post(session, community_id=community_id, user_id=user_id, amount=n + 1,
                       reason=LedgerReason.SERVICE, key=f"acct:{n}")  # fmt: skip
        await session.commit()
    async with sessionmaker() as session:
        balance, entries = await account(session, user_id, community_id, 3)
    assert balance == 15 and [e.amount for e in entries] == [5, 4, 3]


async def test_one_cause_booked_at_once_by_two_transactions_pays_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    community_id, user_id = await community_and_user(sessionmaker)

    async def book() -> bool:
        async with sessionmaker() as session:
            posted = await post(session, community_id=community_id, user_id=user_id, amount=25,
                                reason=LedgerReason.SERVICE, key="checkin:7")  # fmt: skip
            await session.commit()
            return posted.entry_id is not None

    results = await asyncio.gather(*(book() for _ in range(6)))
    assert results.count(True) == 1
    async with sessionmaker() as session:
        assert await balance_of(session, user_id, community_id) == 25
        assert await session.scalar(select(func.count()).select_from(LedgerEntry)) == 1


async def test_concurrent_spending_never_goes_below_zero(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    community_id, user_id = await community_and_user(sessionmaker)
    async with sessionmaker() as session:
        await post(session, community_id=community_id, user_id=user_id, amount=100,
                   reason=LedgerReason.ADJUSTMENT, key="seed")  # fmt: skip
        await session.commit()

    async def spend(n: int) -> bool:
        async with sessionmaker() as session:
            try:
                await post(session, community_id=community_id, user_id=user_id, amount=-30,
                           reason=LedgerReason.ORDER_HOLD, key=f"spend:{n}")  # fmt: skip
                await session.commit()
                return True
            except NotEnoughPoints:
                await session.rollback()
                return False

    results = await asyncio.gather(*(spend(n) for n in range(10)))
    assert results.count(True) == 3
    async with sessionmaker() as session:
        assert await balance_of(session, user_id, community_id) == 10
        total = await session.scalar(select(func.sum(LedgerEntry.amount)))
        assert total == 10


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("earn"), st.integers(1, 80)),
        st.tuples(st.just("order"), st.integers(0, 0)),
        st.tuples(st.just("run"), st.integers(0, 3)),
        st.tuples(st.just("adjust"), st.integers(-60, 60)),
        st.tuples(st.just("repeat"), st.integers(0, 5)),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_balance_always_equals_the_ledger(sqlite_template, tmp_path_factory, operations) -> None:
    """Random earn/order/run/refund/adjust sequences: balance = ledger sum, never below zero."""
    import shutil

    path = tmp_path_factory.mktemp("prop") / "gridbot.db"
    shutil.copy(sqlite_template, path)

    async def scenario() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        maker = create_sessionmaker(engine)
        community_id, user_id = await community_and_user(maker)
        keys: list[str] = []
        week = 0
        try:
            for step, (operation, value) in enumerate(operations):
                async with maker() as session:
                    member = await load_member(session, await session.get(User, user_id))
                    try:
                        mine = {"community_id": community_id, "user_id": user_id}
                        if operation == "earn":
                            keys.append(f"earn:{step}")
                            await post(session, **mine, amount=value,
                                       reason=LedgerReason.SERVICE, key=keys[-1])  # fmt: skip
                        elif operation == "adjust" and value:
                            keys.append(f"adjust:{step}")
                            await post(session, **mine, amount=value,
                                       reason=LedgerReason.ADJUSTMENT, key=keys[-1])  # fmt: skip
                        elif operation == "repeat" and keys:  # a cause paid again: no effect
                            await post(session, **mine, amount=50, reason=LedgerReason.SERVICE,
                                       key=keys[value % len(keys)])  # fmt: skip
                        elif operation == "order":
                            await place_order(session, member, 1)  # the 50-point reward
                        elif operation == "run":
                            week += 1
                            await run_redemption(
                                session, community_id, utcnow() + timedelta(weeks=week)
                            )
                        await session.commit()
                    except NotEnoughPoints:
                        await session.rollback()
                async with maker() as session:
                    balance = await balance_of(session, user_id, community_id)
                    total = await session.scalar(
                        select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                            LedgerEntry.user_id == user_id
                        )
                    )
                    assert balance == total
                    assert balance >= 0
        finally:
            await engine.dispose()

    asyncio.run(scenario())


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    return await build_world(telegram, structure)


async def give(app: App, telegram_id: int, amount: int) -> None:
    async with app.sessionmaker() as session:
        user = await touch_user(session, telegram_id, "", None, "zh", True)
        community = await session.scalar(select(Community))
        assert community is not None
        await post(session, community_id=community.id, user_id=user.id, amount=amount,
                   reason=LedgerReason.ADJUSTMENT, key=f"gift:{telegram_id}:{amount}")  # fmt: skip
        await session.commit()


async def test_order_weekly_run_fills_and_refunds_and_merchant_verifies_once(world: World) -> None:
    tg, app = world.telegram, world.app
    shop = tg.user(4001, "好邻居超市店员")
    await open_private(shop)
    async with app.sessionmaker() as session:
        from models.points import Reward

        reward = await session.scalar(select(Reward))
        assert reward is not None
        reward.weekly_stock = 2
        await session.commit()
    carol = tg.user(5003, "Carol")
    await register(app, carol, "1号楼")
    customers = [world.alice, world.bob, carol]
    for customer in customers:
        await give(app, customer.id, 60)
        await open_private(customer)
    await world.alice.send("/rewards")
    listing = tg.last_message(world.alice.id)
    assert "洗衣液一瓶（好邻居超市）— 50 分，本周剩余 2" in listing.text
    for customer in customers:
        await customer.send("/rewards")
        query = await customer.press(tg.last_message(customer.id), "兑换")
        assert "预扣 50 分，剩余 10 分" in tg.answer_to(query)["text"]
    query = await world.alice.press(listing, "兑换")  # a second order: only 10 points left
    assert "积分不足" in tg.answer_to(query)["text"]
    async with app.sessionmaker() as session:  # the refused order left nothing behind
        assert await session.scalar(select(func.count()).select_from(RedemptionOrder)) == 3

    async with app.sessionmaker() as session:
        community = await session.scalar(select(Community))
        result = await run_redemption(session, community.id, flush_notices=app.notifier.flush)
        again = await run_redemption(session, community.id, flush_notices=app.notifier.flush)
    app.sender.wake()
    assert (result.filled, result.refunded) == (2, 1) and again.already_done

    voucher_msg = await tg.wait_for_message(world.alice.id, "兑换码")
    assert voucher_msg.has_photo
    refund = await tg.wait_for_message(customers[2].id, "已退回")
    assert "当前积分 60" in refund.text
    code = result.vouchers[0]
    await shop.send(f"/verify {code.lower()}")
    assert "已核销" in tg.last_message(shop.id).text and "洗衣液" in tg.last_message(shop.id).text
    await shop.send(f"/verify {code}")
    assert "不能重复使用" in tg.last_message(shop.id).text
    await shop.send("/verify NOPE1234")
    assert "不存在" in tg.last_message(shop.id).text
    await shop.send_photo(data=qr_png(result.vouchers[1]))  # a photo of the customer's QR
    assert "已核销" in tg.last_message(shop.id).text
    await shop.send_photo(data=b"not an image")
    assert "没有在照片里识别到二维码" in tg.last_message(shop.id).text
    await world.alice.send(f"/verify {result.vouchers[0]}")
    assert "只有爱心商家" in tg.last_message(world.alice.id).text
    async with app.sessionmaker() as session:
        statuses = (await session.scalars(select(RedemptionOrder.status))).all()
        assert sorted(statuses) == [OrderStatus.FILLED, OrderStatus.FILLED, OrderStatus.REFUNDED]


async def test_resolver_earns_points_once_for_a_satisfied_report(world: World) -> None:
    tg = world.telegram
    await world.alice.send("/report 2号楼楼道灯坏了", chat=world.residents)
    card = await tg.wait_for_message(-1001000000004, "R-0001")
    await world.leader.press(card, "认领")
    private_card = await tg.wait_for_message(world.leader.id, "R-0001")
    await world.leader.press(private_card, "已解决")
    await world.leader.press(tg.last_message(world.leader.id), "跳过")
    ask = await tg.wait_for_message(world.alice.id, "请为这次服务打分")
    await world.alice.press(ask, "⭐⭐⭐⭐")
    await world.alice.press(tg.last_message(world.alice.id), "满意")
    await world.alice.press(tg.last_message(world.alice.id), "跳过")
    await tg.wait_for_message(world.leader.id, "获得 10 积分")
    await world.leader.send("/points")
    assert "当前积分：10" in tg.last_message(world.leader.id).text
    assert "办结诉求" in tg.last_message(world.leader.id).text
    request = await request_by_number(world.app, 1)
    assert request.status.value == "closed"


def test_cli_adjust_and_show(tmp_path) -> None:
    runner = CliRunner()
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'p.db'}", "BOT_TOKEN": ""}
    assert runner.invoke(cli, ["import", str(SAMPLE_STRUCTURE)], env=env).exit_code == 0
    base = ["points", "adjust", "--community", "南华社区", "--member", "5001"]
    done = runner.invoke(cli, [*base, "--amount", "25", "--reason", "社区清洁日"], env=env)
    assert done.exit_code == 0, done.output
    assert "balance 25" in done.output
    refused = runner.invoke(cli, [*base, "--amount", "-30", "--reason", "纠错"], env=env)
    assert refused.exit_code == 1 and "points-not-enough" in refused.output
    shown = runner.invoke(
        cli, ["points", "show", "--community", "南华社区", "--member", "5001"], env=env
    )
    assert "balance 25" in shown.output and "社区清洁日" in shown.output
    missing = runner.invoke(
        cli, ["points", "show", "--community", "无", "--member", "5001"], env=env
    )
    assert missing.exit_code == 1 and "no community" in missing.output


async def test_admin_adjusts_in_chat_and_member_is_told(world: World) -> None:
    tg = world.telegram
    await open_private(world.admin)
    await world.admin.send("/adjust 5001 15 参加社区清洁日")
    assert "当前积分 15" in tg.last_message(world.admin.id).text
    await tg.wait_for_message(world.alice.id, "参加社区清洁日")
    await world.leader.send("/adjust 5001 15 随便")
    assert "只有社区管理员" in tg.last_message(world.leader.id).text
    await world.admin.send("/adjust 5001 abc")
    assert "用法" in tg.last_message(world.admin.id).text
    async with world.app.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(PointBalance)) >= 1
    member = await member_for(world.app, 5001)
    assert member.user.telegram_id == 5001


async def test_a_weekly_run_taken_over_after_a_crash_gives_out_the_stock_once(
    sessionmaker: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    community_id, user_id = await community_and_user(sessionmaker)
    async with sessionmaker() as session:
        await post(session, community_id=community_id, user_id=user_id, amount=1000,
                   reason=LedgerReason.ADJUSTMENT, key="seed")  # fmt: skip
        member = await load_member(session, await session.get(User, user_id))
        reward = await session.scalar(select(Reward).where(Reward.community_id == community_id))
        assert reward is not None and reward.weekly_stock == 10
        for _ in range(15):
            await place_order(session, member, reward.id)
        await session.commit()

    monkeypatch.setattr(rewards, "COMMIT_EVERY", 1)
    flushes = 0

    async def crash_on_the_fifth_order(_session: AsyncSession) -> None:
        nonlocal flushes
        flushes += 1
        if flushes == 6:  # the run's start, then four orders, then the process dies
            raise RuntimeError("the process died")

    async with sessionmaker() as session:
        with pytest.raises(RuntimeError):
            await run_redemption(session, community_id, flush_notices=crash_on_the_fifth_order)
    async with sessionmaker() as session:  # the failed run is taken over by the next try
        assert await session.scalar(select(JobRun.status)) == JobStatus.FAILED
        again = await run_redemption(session, community_id)
        assert (again.filled, again.refunded) == (6, 5)
        statuses = (await session.scalars(select(RedemptionOrder.status))).all()
        assert statuses.count(OrderStatus.FILLED) == 10
        assert statuses.count(OrderStatus.REFUNDED) == 5
        assert await session.scalar(select(func.count(Voucher.id))) == 10
        assert await balance_of(session, user_id, community_id) == 1000 - 10 * reward.cost


async def test_a_week_still_being_redeemed_elsewhere_is_tried_again(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Another process is in the middle of the week's redemption: the scheduled job does not
    call the week done, so the scheduler tries it again at its next tick."""
    community_id, _user = await community_and_user(sessionmaker)
    async with sessionmaker() as session:
        community = await session.get(Community, community_id)
        today = utcnow().date()
        due = due_for_date(WEEKLY, schedule_of(community)[WEEKLY], today, community.timezone)
        week = rewards.iso_week(due.at, community.timezone)
        await start_run(session, "redemption", week, community_id, owner="elsewhere")
        await session.commit()
    catalog = Catalog("zh")
    runner = JobRunner(JobContext(sessionmaker, catalog, Notifier(catalog, "gridbot")))
    assert not await runner.run_on(WEEKLY, community, today)
    async with sessionmaker() as session:
        statuses = dict((await session.execute(select(JobRun.job, JobRun.status))).all())
    assert statuses == {"redemption": JobStatus.RUNNING, WEEKLY: JobStatus.FAILED}
