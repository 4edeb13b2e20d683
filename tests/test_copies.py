"""Copies of one card: every leader's check-in card, request cards at several levels, activity
announcements. A change shows on every copy through the outbox, and only copies whose text
or buttons would change are edited."""

import asyncio
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiogram.methods import TelegramMethod
from alembic import command
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import App
from handlers.callbacks import CheckinReview
from migrations import alembic_config
from models.base import create_engine, create_sessionmaker, utcnow
from models.checkins import Checkin, CheckinStatus, review_checkin
from models.copies import MessageCopy, Subject
from models.members import load_member, register_residence, set_language, touch_user
from models.notices import Notice, emit, take_notices
from models.outbox import (
    OutboxMessage,
    OutboxStatus,
    batched,
    queue_message,
    replace_pending_payloads,
    rewrite_or_queue,
)
from models.points.tables import LedgerEntry
from models.requests import Request, RequestKind, RequestStatus
from models.requests.intake import submit
from models.structure import Building
from playground import BotMessage, FakeTelegram
from tests.conftest import import_structure
from tests.helpers import (
    GRID_CHAT,
    LEADERS_CHAT,
    World,
    build_world,
    request_by_number,
    statements_run,
)

STAMP, DECLINE = "签章通过", "不通过"


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    return await build_world(telegram, structure)


async def outbox_settled(app: App) -> None:
    """Wait until the sender has settled every queued row (sent or failed), so that what
    the fake Bot API saw is all there will be."""
    for _ in range(400):
        async with app.sessionmaker() as session:
            left = await session.scalar(
                select(func.count()).where(OutboxMessage.status == OutboxStatus.PENDING)
            )
        if not left:
            return
        await asyncio.sleep(0.05)  # polls the condition; nothing depends on how long it takes
    raise AssertionError("the outbox did not drain")


def edits_of(tg: FakeTelegram, message: BotMessage, method: str = "editMessageText") -> int:
    return sum(
        1
        for call in tg.calls_to(method)
        if int(call["chat_id"]) == message.chat_id
        and int(call["message_id"]) == message.message_id
    )


async def two_review_cards(world: World, what: str) -> tuple[BotMessage, BotMessage]:
    """Alice's service, as both leaders' cards, delivered and recorded."""
    await world.alice.send(f"/checkin {what}", chat=world.residents)
    mine = await world.telegram.wait_for_message(world.leader.id, what)
    theirs = await world.telegram.wait_for_message(world.other_leader.id, what)
    await outbox_settled(world.app)
    return mine, theirs


def reads_of_copies(world: World) -> AbstractContextManager[list[str]]:
    """The statements that read copies of cards meanwhile (the sender, which reads single
    copies by id, aside)."""

    def reads(statement: str) -> bool:
        return "FROM message_copies" in statement and "message_copies.id = " not in statement

    return statements_run(world.app.engine, reads)


async def test_a_stamp_shows_on_every_leaders_copy(world: World) -> None:
    tg, leader, other = world.telegram, world.leader, world.other_leader
    mine, theirs = await two_review_cards(world, "帮独居老人买菜")
    assert mine.button_texts == theirs.button_texts == ["✅ 签章通过", "⛔ 不通过"]
    stale_data = theirs.button(STAMP)["callback_data"]

    with reads_of_copies(world) as copies_read:
        await leader.press(mine, STAMP)
    assert "网格长甲 已签章（5 分）" in mine.text and mine.buttons == []
    await tg.wait_for(lambda: "网格长甲 已签章" in theirs.text, what="the other copy stamped")
    # The press found its copy among the card's copies; the refresh used that same read.
    assert len(copies_read) == 1, copies_read
    assert theirs.buttons == [] and theirs.text == mine.text
    await outbox_settled(world.app)
    # The pressed copy was edited by the answer, the other one through the outbox; once each.
    assert edits_of(tg, mine) == 1 and edits_of(tg, theirs) == 1

    # A stale copy (an old client still shows its buttons) answers politely, changes nothing.
    query = await tg.callback(other, theirs, stale_data, wait=True)
    assert "已经处理过" in tg.answer_to(query)["text"]
    await outbox_settled(world.app)
    assert edits_of(tg, mine) == 1 and edits_of(tg, theirs) == 1
    async with world.app.sessionmaker() as session:
        credited = await session.scalar(select(func.count()).select_from(LedgerEntry))
    assert credited == 1


async def test_a_decline_shows_who_declined_and_why_on_every_copy(world: World) -> None:
    tg, leader = world.telegram, world.leader
    mine, theirs = await two_review_cards(world, "陪邻居聊天")
    await leader.press(mine, DECLINE)
    assert mine.buttons != []  # nothing decided until the reason is given
    await leader.send("这不属于志愿服务范围")
    for copy in (mine, theirs):
        await tg.wait_for(lambda c=copy: "网格长甲 未通过" in c.text, what="declined copy")
        assert "这不属于志愿服务范围" in copy.text and copy.buttons == []


async def test_photo_cards_are_edited_by_their_caption(world: World) -> None:
    tg = world.telegram
    await world.alice.send_photo("/checkin 帮邻居修好了自行车", chat=world.residents)
    mine = await tg.wait_for_message(world.leader.id, "修好了自行车")
    theirs = await tg.wait_for_message(world.other_leader.id, "修好了自行车")
    assert mine.has_photo and theirs.has_photo and "签章通过" in theirs.button_texts[0]
    await outbox_settled(world.app)
    await world.leader.press(mine, STAMP)
    await tg.wait_for(lambda: "网格长甲 已签章" in theirs.text, what="the other caption")
    assert theirs.buttons == [] and mine.buttons == []
    assert edits_of(tg, theirs, "editMessageCaption") == 1
    assert tg.calls_to("editMessageText") == []


async def test_forged_button_data_leaves_the_pressed_card_alone(world: World) -> None:
    tg, leader = world.telegram, world.leader
    first, _ = await two_review_cards(world, "第一次服务")
    second, second_theirs = await two_review_cards(world, "第二次服务")
    forged = CheckinReview(id=2, approve=True).pack()  # the second check-in, on the first card
    with reads_of_copies(world) as copies_read:
        await tg.callback(leader, first, forged, wait=True)
    assert "第一次服务" in first.text and first.button_texts[0].endswith(STAMP)
    # The second card's copies and the pressed one (the first card's) came in one read.
    assert len(copies_read) == 1, copies_read
    for copy in (second, second_theirs):  # the second one was stamped; its cards say so
        await tg.wait_for(lambda c=copy: "已签章" in c.text, what="the stamped card")
    assert edits_of(tg, first) == 0


async def test_two_leaders_stamping_at_once(world: World) -> None:
    """Both presses handled at the same moment: one stamp, and both copies end the same."""
    tg, app = world.telegram, world.app
    mine, theirs = await two_review_cards(world, "清扫楼道")

    def press(n: int, person: Any, card: BotMessage) -> dict[str, Any]:
        return {
            "update_id": 70_000 + n,
            "callback_query": {
                "id": str(80_000 + n), "from": person.as_dict(), "message": card.raw,
                "chat_instance": "x", "data": card.button(STAMP)["callback_data"],
            },
        }  # fmt: skip

    answers = await asyncio.gather(
        app.dispatcher.feed_raw_update(app.bot, press(0, world.leader, mine)),
        app.dispatcher.feed_raw_update(app.bot, press(1, world.other_leader, theirs)),
    )
    for answer in answers:  # what the polling loop would send as each handler's answer
        if isinstance(answer, TelegramMethod):
            await app.bot(answer)
    async with app.sessionmaker() as session:
        checkin = await session.scalar(select(Checkin))
        assert checkin is not None and checkin.status == CheckinStatus.APPROVED
        credited = await session.scalar(select(func.count()).select_from(LedgerEntry))
    assert credited == 1
    await outbox_settled(app)
    assert mine.text == theirs.text and "已签章（5 分）" in mine.text
    assert mine.buttons == theirs.buttons == []
    refused = [tg.answer_to(80_000 + n) for n in range(2)]
    assert sum("已经处理过" in (a or {}).get("text", "") for a in refused) == 1


async def test_copies_still_queued_are_rewritten_and_sends_under_way_get_an_edit_behind(
    world: World,
) -> None:
    """A card whose send is still queued goes out as things stand; one being sent at that
    moment is edited right after it, in its chat's order."""
    tg, app = world.telegram, world.app
    await app.stop_sender()
    await world.alice.send("/checkin 帮忙搬家", chat=world.residents)
    async with app.sessionmaker() as session:
        rows = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.copy_id.is_not(None)))
        ).all()
        by_chat = {row.chat_id: row.id for row in rows}
        # Another process is sending the second leader's card at this moment.
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == by_chat[world.other_leader.id])
            .values(leased_by="another process", leased_until=utcnow() + timedelta(minutes=5))
        )
        await session.commit()
    async with app.sessionmaker() as session:
        member = await load_member(session, await touch_user(session, 3001, "网格长甲", None,
                                                              "zh", True))  # fmt: skip
        await review_checkin(session, member, 1, True, None, utcnow())
        await app.notifier.flush(session)
        await session.commit()
    async with app.sessionmaker() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
        methods = [(row.chat_id, row.method) for row in rows if row.copy_id]
        # That process died: its lease runs out and this one sends the card, then the edit.
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.leased_by == "another process")
            .values(leased_until=utcnow() - timedelta(seconds=1))
        )
        await session.commit()
    assert sorted(methods) == [
        (world.leader.id, "sendMessage"),
        (world.other_leader.id, "editMessageText"),
        (world.other_leader.id, "sendMessage"),
    ]
    app._tasks.append(asyncio.create_task(app.sender.run(idle_seconds=0.05)))
    mine = await tg.wait_for_message(world.leader.id, "帮忙搬家")
    theirs = await tg.wait_for_message(world.other_leader.id, "帮忙搬家")
    await tg.wait_for(lambda: "网格长甲 已签章" in theirs.text, what="the edit behind the send")
    assert "网格长甲 已签章" in mine.text and mine.buttons == [] and theirs.buttons == []
    assert edits_of(tg, mine) == 0 and edits_of(tg, theirs) == 1


async def test_queued_rows_are_rewritten_together_but_not_once_taken_or_sent(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """One statement rewrites several waiting rows, each with its own payload; a row a sender
    has taken, or has sent, keeps what it had, and the caller learns which rows changed."""
    async with sessionmaker() as session:
        for chat_id in (1, 2, 3, 4):
            payload = {"chat_id": chat_id, "text": "old"}
            await queue_message(session, chat_id, "sendMessage", payload)
        ids = list(await session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)))
        await session.execute(update(OutboxMessage).where(OutboxMessage.id == ids[2])
                              .values(leased_by="another process",
                                      leased_until=utcnow() + timedelta(minutes=5)))  # fmt: skip
        await session.execute(update(OutboxMessage).where(OutboxMessage.id == ids[3])
                              .values(status=OutboxStatus.SENT))  # fmt: skip
        new = {row_id: {"chat_id": n + 1, "text": f"new {n + 1}"} for n, row_id in enumerate(ids)}
        assert await replace_pending_payloads(session, new) == {ids[0], ids[1]}
        assert await replace_pending_payloads(session, {}) == set()
        await session.commit()
    async with sessionmaker() as session:
        rows = (await session.execute(select(OutboxMessage.id, OutboxMessage.payload)
                                      .order_by(OutboxMessage.id))).all()  # fmt: skip
    assert [payload["text"] for _id, payload in rows] == ["new 1", "new 2", "old", "old"]


async def test_new_copies_and_the_rows_sending_them_are_written_together_in_order(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Rows queued together (a card to two chats, a plain message between) are written in
    the order queued, each row with the copy it sends, and the rows' defaults filled; on
    PostgreSQL by a single statement."""
    async with sessionmaker() as session:
        with statements_run(session.bind) as written:
            async with batched(session):
                await queue_message(session, 11, "sendMessage", {"text": "card"}, new_copy=(
                    MessageCopy(subject_kind="request", subject_id=7, variant="team",
                                chat_id=11)), dedup_key="card-to-11")  # fmt: skip
                await queue_message(session, 12, "sendMessage", {"text": "plain"}, priority=1)
                await queue_message(session, 13, "sendPhoto", {"caption": "card", "photo": "p"},
                                    new_copy=MessageCopy(subject_kind="request", subject_id=7,
                                                         variant="team", chat_id=13,
                                                         context={"why": "urgent"},
                                                         language="en", captioned=True),
                                    fallback_chat_id=-5)  # fmt: skip
        await session.commit()
    if session.bind.dialect.name == "postgresql":
        assert len(written) == 1, written
    async with sessionmaker() as session:
        rows = list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        copies = list(await session.scalars(select(MessageCopy).order_by(MessageCopy.id)))
    assert [(c.chat_id, c.variant, c.language, c.context, c.captioned) for c in copies] == [
        (11, "team", None, None, False), (13, "team", "en", {"why": "urgent"}, True)]
    assert [(r.chat_id, r.method, r.payload, r.copy_id, r.dedup_key, r.priority,
             r.fallback_chat_id) for r in rows] == [
        (11, "sendMessage", {"text": "card"}, copies[0].id, "card-to-11", 0, None),
        (12, "sendMessage", {"text": "plain"}, None, None, 1, None),
        (13, "sendPhoto", {"caption": "card", "photo": "p"}, copies[1].id, None, 0, -5),
    ]  # fmt: skip
    assert {(r.status, r.attempts, r.sent_at) for r in rows} == {(OutboxStatus.PENDING, 0, None)}
    assert all(r.created_at <= utcnow() and r.next_attempt_at <= utcnow() for r in rows)


async def test_a_waiting_row_is_rewritten_unless_taken_when_written_then_an_edit_follows(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Within a batch, a waiting send is rewritten in place; one a sender took before the
    batch was written keeps what it had, and the edit is queued behind it. On PostgreSQL
    the rewrites and the new rows are one statement."""
    async with sessionmaker() as session:
        copies = [MessageCopy(subject_kind="request", subject_id=7, variant="team", chat_id=chat)
                  for chat in (1, 2)]  # fmt: skip
        for copy in copies:
            await queue_message(session, copy.chat_id, "sendMessage", {"text": "old"},
                                new_copy=copy)  # fmt: skip
        waiting, taken = list(await session.scalars(
            select(OutboxMessage.id).order_by(OutboxMessage.id)))  # fmt: skip
        copy_ids = list(await session.scalars(select(MessageCopy.id).order_by(MessageCopy.id)))
        await session.commit()
    async with sessionmaker() as session:
        with statements_run(session.bind) as written:
            async with batched(session):
                for row_id, chat, copy_id in zip((waiting, taken), (1, 2), copy_ids, strict=True):
                    await rewrite_or_queue(session, row_id, {"text": "new", "kept": True}, chat,
                                           "editMessageText", {"text": "new"},
                                           copy_id=copy_id)  # fmt: skip
                await queue_message(session, 3, "sendMessage", {"text": "another"})
                # a sender takes one of them before the batch is written
                lease = {"leased_by": "sender", "leased_until": utcnow()}
                await session.execute(update(OutboxMessage)
                                      .where(OutboxMessage.id == taken).values(lease))  # fmt: skip
        await session.commit()
    if session.bind.dialect.name == "postgresql":
        assert len(written) == 2, written  # the sender's lease, then the whole batch
    async with sessionmaker() as session:
        rows = (await session.execute(select(OutboxMessage.chat_id, OutboxMessage.method,
                                             OutboxMessage.payload)
                                      .order_by(OutboxMessage.id))).all()  # fmt: skip
    assert [tuple(row) for row in rows] == [
        (1, "sendMessage", {"text": "new", "kept": True}),
        (2, "sendMessage", {"text": "old"}),
        (2, "editMessageText", {"text": "new"}),
        (3, "sendMessage", {"text": "another"}),
    ]


async def test_a_refresh_that_changes_nothing_edits_nothing(world: World) -> None:
    tg = world.telegram
    await world.alice.send("/report 2号楼电梯门口的灯坏了", chat=world.residents)
    card = await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    await world.bob.send("#报事 2号楼的灯不亮", chat=world.residents)
    offer = tg.last_message(world.residents.id)
    await world.bob.press(offer, "是同一件事")  # R-0001 gets a +1, which its card does not show
    assert "+1" in offer.text
    await outbox_settled(world.app)
    assert edits_of(tg, card) == 0
    async with world.app.sessionmaker() as session:
        to_leaders = await session.scalar(
            select(func.count()).where(OutboxMessage.chat_id == LEADERS_CHAT)
        )
    assert to_leaders == 1  # the card itself; no edit queued for it


@pytest.mark.parametrize("write", ["by the ORM", "by a statement"])
async def test_a_card_drawn_before_a_change_is_drawn_again_for_the_other_copies(
    world: World, write: str
) -> None:
    """A handler draws the pressed card, then the same transaction changes the request: its
    copies are refreshed as the request stands at the end (here: who claimed it, which the
    drawing read separately), not as it was drawn."""
    tg, app = world.telegram, world.app
    await world.alice.send("/report 2号楼楼道灯坏了", chat=world.residents)
    card = await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    await outbox_settled(app)
    async with app.sessionmaker() as session:
        leader = await touch_user(session, world.leader.id, "网格长甲", None, "zh", True)
        request = await request_by_number(app, 1)
        drawing = await app.notifier.copies.pressed(
            session, Subject("request", request.id), LEADERS_CHAT, card.message_id,
            app.catalog.translator("zh"), "team",
        )  # fmt: skip
        assert drawing is not None and "网格长甲" not in drawing[0]
        claimed = {"status": RequestStatus.CLAIMED, "claimed_by_id": leader.id,
                   "claimed_at": utcnow()}  # fmt: skip
        if write == "by the ORM":
            for name, value in claimed.items():
                setattr(await session.get(Request, request.id), name, value)
        else:
            await session.execute(
                update(Request).where(Request.id == request.id).values(**claimed)
            )
        emit(session, Notice("refresh-cards", request_id=request.id))
        await app.notifier.flush(session)
        await session.commit()
    await tg.wait_for(lambda: "网格长甲" in card.text, what="the copy edited to show the claim")


async def test_cards_at_two_levels_both_show_the_claim(world: World) -> None:
    tg, app = world.telegram, world.app
    await world.alice.send("/report 2号楼楼道灯坏了", chat=world.residents)
    team_card = await tg.wait_for_message(LEADERS_CHAT, "R-0001")
    assert await app.escalation.run(now=utcnow() + timedelta(hours=5)) == 1
    grid_card = await tg.wait_for_message(GRID_CHAT, "R-0001")
    assert "上报" in grid_card.text and "🙋 认领" in grid_card.button_texts
    await tg.wait_for(
        lambda: "🙋 认领" in team_card.button_texts and edits_of(tg, team_card) == 1,
        what="the first card shows the new deadline",
    )

    worker = tg.user(2001, "网格员")
    await outbox_settled(app)
    await worker.press(grid_card, "认领")
    for card in (team_card, grid_card):
        await tg.wait_for(lambda c=card: "认领人 网格员" in c.text, what="claimed on each card")
        assert "🙋 认领" not in card.button_texts
    assert grid_card.text.startswith("⬆️")  # the escalated card keeps saying why it came
    await outbox_settled(app)
    assert edits_of(tg, grid_card) == 1 and edits_of(tg, team_card) == 2
    request = await request_by_number(app, 1)
    async with app.sessionmaker() as session:
        copies = (
            await session.scalars(
                select(MessageCopy).where(MessageCopy.subject_id == request.id)
                .order_by(MessageCopy.id)
            )
        ).all()  # fmt: skip
    assert [(c.chat_id, c.variant) for c in copies] == [
        (LEADERS_CHAT, "team"), (GRID_CHAT, "team"), (worker.id, "claimer"),
    ]  # fmt: skip


def activity_times() -> str:
    """Start | end of an activity two hours from now, as a leader types them."""
    zone, start = ZoneInfo("Asia/Shanghai"), utcnow() + timedelta(hours=2)
    return " | ".join(
        moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        for moment in (start, start + timedelta(hours=1))
    )


async def test_an_activity_announcement_counts_sign_ups(world: World) -> None:
    tg = world.telegram
    await world.leader.send(f"/activity 楼道清洁日 | 2号楼 | {activity_times()} | 10 | 5 | 5")
    card = await tg.wait_for_message(world.residents.id, "楼道清洁日")
    assert "已报名：0 / 5 人" in card.text
    await world.alice.press(card, "报名")
    await world.bob.press(card, "报名")
    await tg.wait_for(lambda: "已报名：2 / 5 人" in card.text, what="the count on the card")
    assert card.button_texts == ["✋ 报名", "📍 签到"]


# --- the migration ------------------------------------------------------------------------


def _migrate(url: str, revision: str, down: bool = False) -> None:
    (command.downgrade if down else command.upgrade)(alembic_config(url), revision)


async def test_request_cards_move_into_copies_and_back(
    any_db_url: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await import_structure(sessionmaker)
    async with sessionmaker() as session:
        resident = await touch_user(session, 5001, "Alice", None, "zh", True)
        leader = await touch_user(session, 3001, "网格长甲", None, "zh", True)
        await set_language(session, leader, "en")
        building = await session.scalar(select(Building).where(Building.name == "2号楼"))
        await register_residence(session, resident, building.id, None, "302")
        submitted = await submit(
            session, await load_member(session, resident), RequestKind.REPORT, "楼道灯坏了"
        )
        take_notices(session)
        request_id = submitted.request.id
        session.add_all([
            MessageCopy(subject_kind="request", subject_id=request_id, variant="team",
                        chat_id=LEADERS_CHAT, message_id=11, shown="x"),
            MessageCopy(subject_kind="request", subject_id=request_id, variant="claimer",
                        language="en", chat_id=3001, message_id=12),
            MessageCopy(subject_kind="checkin", subject_id=1, variant="leader",
                        chat_id=3002, message_id=13),
        ])  # fmt: skip
        await session.commit()

    await asyncio.to_thread(_migrate, any_db_url, "0003", True)
    engine = create_engine(any_db_url)
    async with engine.connect() as conn:
        cards = (
            await conn.execute(
                text("SELECT request_id, chat_id, message_id, audience FROM request_cards "
                     "ORDER BY id")
            )
        ).all()  # fmt: skip
    await engine.dispose()
    assert [tuple(card) for card in cards] == [
        (request_id, LEADERS_CHAT, 11, "team"), (request_id, 3001, 12, "claimer"),
    ]  # fmt: skip

    await asyncio.to_thread(_migrate, any_db_url, "head")
    engine = create_engine(any_db_url)
    async with create_sessionmaker(engine)() as session:
        copies = (await session.scalars(select(MessageCopy).order_by(MessageCopy.id))).all()
    await engine.dispose()
    assert [
        (c.subject_kind, c.subject_id, c.variant, c.language, c.chat_id, c.message_id, c.shown)
        for c in copies
    ] == [
        ("request", request_id, "team", None, LEADERS_CHAT, 11, None),
        ("request", request_id, "claimer", "en", 3001, 12, None),
    ]


async def test_a_deleted_copy_is_tried_once_then_left_alone(world: World) -> None:
    tg = world.telegram
    await world.leader.send(f"/activity 义务理发 | 活动室 | {activity_times()} | 0 | 5 | 5")
    card = await tg.wait_for_message(world.residents.id, "义务理发")
    card.deleted = True  # a group admin deleted the announcement
    await world.alice.press(card, "报名")
    await outbox_settled(world.app)
    await world.bob.press(card, "报名")
    await outbox_settled(world.app)
    assert edits_of(tg, card) == 1  # the first edit found it gone; the second was not tried
    async with world.app.sessionmaker() as session:
        copy = await session.scalar(
            select(MessageCopy).where(MessageCopy.subject_kind == "activity")
        )
    assert copy is not None and copy.message_id is None
