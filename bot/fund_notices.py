"""Notices of the fund (kind `fund-card`): a card sent as a recorded copy, with its photo when
it has one (a disbursement's receipt goes to the board with the card as its caption), in the
language of the person it goes to. A person the bot cannot write to yet gets a pointer in the
community's staff chat instead (see the outbox's fallback)."""

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.copies import Subject
from models.members import User
from models.notices import Notice

if TYPE_CHECKING:
    from bot.notifier import Notifier


async def write(notifier: "Notifier", session: AsyncSession, notice: Notice) -> int:
    assert notice.chat_id is not None
    user = await session.scalar(select(User).where(User.telegram_id == notice.chat_id))
    args = notice.args
    await notifier.copies.send(
        session, Subject(args["kind"], args["id"]), args["variant"], notice.chat_id,
        language=user.language_or(notifier.catalog.default_language) if user else None,
        photo=args.get("photo"), user_id=user.id if user else None,
        fallback_chat_id=args.get("fallback"), dedup_key=notice.dedup_key,
    )  # fmt: skip
    return 1
