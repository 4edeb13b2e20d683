"""Turns the notices a state change emitted into outbox rows, in the same transaction."""

from typing import Any

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bot import fund_notices, service_notices
from bot.copies import Copies, message_payload, request_view
from bot.deliberation_cards import write_notice as write_deliberation_notice
from bot.i18n import Catalog
from handlers.cards import (
    follow_payload,
    link_keyboard,
    rating_keyboard,
    resident_notice,
    wish_confirm_keyboard,
)
from models.checkins import Checkin
from models.copies import Subject
from models.members import User, load_users
from models.notices import Notice, take_notices
from models.outbox import batched, queue_message, queued_keys
from models.requests.workflow import request_label

__all__ = ["Notifier", "message_payload"]


class Notifier:
    def __init__(self, catalog: Catalog, bot_username: str) -> None:
        self.catalog = catalog
        self.bot_username = bot_username
        self.copies = Copies(catalog)

    def deep_link(self, payload: str) -> str:
        return f"https://t.me/{self.bot_username}?start={payload}"

    async def flush(self, session: AsyncSession) -> int:
        """Write outbox rows for every pending notice of `session`; returns rows written.
        Copies of a changed subject are refreshed last, once each. New copies and rows are
        written together at the end (`batched`): a new copy is drawn as things stand, so the
        refresh, which does not see it, has nothing to change in it."""
        notices = take_notices(session)
        queued = await queued_keys(session, [n.dedup_key for n in notices if n.dedup_key])
        await load_users(session, {n.user_id for n in notices if n.user_id})
        written = 0
        refreshed: dict[Subject, None] = {}  # in the order asked, each once
        try:
            async with batched(session):
                for notice in notices:
                    if notice.kind == "refresh-cards":
                        assert notice.request_id is not None
                        refreshed[Subject("request", notice.request_id)] = None
                        continue
                    if notice.kind == "refresh":
                        refreshed[Subject(notice.args["kind"], notice.args["id"])] = None
                        continue
                    if notice.dedup_key:
                        if notice.dedup_key in queued:
                            continue
                        queued.add(notice.dedup_key)
                    written += await self._write(session, notice)
                for subject in refreshed:
                    written += await self.copies.refresh(session, subject)
        finally:
            self.copies.forget(session)
        return written

    async def _write(self, session: AsyncSession, notice: Notice) -> int:
        if notice.request_id is None:
            return await self._write_personal(session, notice)
        subject = Subject("request", notice.request_id)
        if notice.kind == "card":
            assert notice.chat_id is not None
            context = {k: notice.args[k] for k in ("why", "reason") if notice.args.get(k)}
            await self.copies.send(
                session, subject, "team", notice.chat_id, context=context,
                dedup_key=notice.dedup_key, request_id=notice.request_id,
            )  # fmt: skip
            return 1
        view = await request_view(session, notice.request_id)  # every change is made by now
        assert notice.user_id is not None
        user = await session.get(User, notice.user_id)
        assert user is not None
        language = user.language_or(self.catalog.default_language)
        t = self.catalog.translator(language)
        fallback = (
            view.route.micro_grid.chat_id
            if user.id == view.request.resident_id
            else notice.chat_id or view.route.micro_grid.task_chat_id
        )
        if notice.kind == "claimer-card":
            await self.copies.send(
                session, subject, "claimer", user.telegram_id, language=language,
                user_id=user.id, fallback_chat_id=fallback, dedup_key=notice.dedup_key,
                request_id=notice.request_id,
            )  # fmt: skip
            return 1
        keyboard: InlineKeyboardMarkup | None = None
        label = request_label(view.request)
        if notice.kind == "resident-status":
            text = resident_notice(t, view, notice.args["action"], _strings(notice.args))
            if notice.args["action"] == "received":
                follow = self.deep_link(follow_payload(view.request.id))
                keyboard = link_keyboard(t("btn-follow"), follow)
        elif notice.kind == "claimer-status":
            text = resident_notice(t, view, f"claimer-{notice.args['action']}", {})
        elif notice.kind == "rate-ask":
            text, keyboard = t("rate-ask", label=label), rating_keyboard(view.request.id, None, t)
        elif notice.kind == "wish-confirm-ask":
            text = t("wish-confirm-ask", label=label)
            keyboard = wish_confirm_keyboard(view.request.id, t)
        else:
            raise ValueError(f"unknown notice kind {notice.kind}")
        await queue_message(
            session, user.telegram_id, "sendMessage", message_payload(text, keyboard),
            user_id=user.id, fallback_chat_id=fallback, dedup_key=notice.dedup_key,
            request_id=notice.request_id,
        )  # fmt: skip
        return 1

    async def _write_personal(self, session: AsyncSession, notice: Notice) -> int:
        """Notices that are not about a request: activities, service, points, vouchers."""
        if notice.kind.startswith("svc-"):
            return await service_notices.write(self, session, notice)
        if notice.kind.startswith("delib-"):
            return await write_deliberation_notice(self, session, notice)
        if notice.kind.startswith("fund-"):
            return await fund_notices.write(self, session, notice)
        if notice.kind == "activity-card":
            assert notice.chat_id is not None
            subject = Subject("activity", notice.args["activity_id"])
            await self.copies.send(session, subject, "announcement", notice.chat_id)
            return 1
        if notice.kind in ("copy", "message"):
            return await self._write_feature(session, notice)
        assert notice.user_id is not None
        user = await session.get(User, notice.user_id)
        assert user is not None
        language = user.language_or(self.catalog.default_language)
        if notice.kind == "checkin-review":
            checkin = await session.get(Checkin, notice.args["checkin_id"])
            assert checkin is not None
            await self.copies.send(
                session, Subject("checkin", checkin.id), "leader", user.telegram_id,
                language=language, photo=checkin.photo_file_id, user_id=user.id,
                fallback_chat_id=notice.chat_id, dedup_key=notice.dedup_key,
            )  # fmt: skip
            return 1
        text = self.catalog.render(language, f"notice-{notice.kind}", notice.args)
        method, payload = "sendMessage", message_payload(text, None)
        if notice.kind == "voucher-issued":
            method, payload = "sendPhoto", {"caption": payload["text"], "qr": notice.args["code"]}
        await queue_message(
            session, user.telegram_id, method, payload, user_id=user.id,
            dedup_key=notice.dedup_key, fallback_chat_id=notice.chat_id,
        )  # fmt: skip
        return 1

    async def _write_feature(self, session: AsyncSession, notice: Notice) -> int:
        """A feature's card (a copy of a subject with a renderer) or catalog message, to a
        person in private (`chat_id` is then their team chat) or to a group chat."""
        user = await session.get(User, notice.user_id) if notice.user_id else None
        language = user.language_or(self.catalog.default_language) if user else None
        chat_id = user.telegram_id if user else notice.chat_id
        assert chat_id is not None
        fallback, user_id = (notice.chat_id, user.id) if user else (None, None)
        if notice.kind == "copy":
            subject = Subject(notice.args["kind"], notice.args["id"])
            await self.copies.send(
                session, subject, notice.args["variant"], chat_id, language=language,
                user_id=user_id, fallback_chat_id=fallback, dedup_key=notice.dedup_key,
            )  # fmt: skip
            return 1
        text = self.catalog.render(language, notice.args["message"], notice.args["args"])
        await queue_message(
            session, chat_id, "sendMessage", message_payload(text, None), user_id=user_id,
            dedup_key=notice.dedup_key, fallback_chat_id=fallback,
        )  # fmt: skip
        return 1


def _strings(args: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in args.items() if k != "action" and k != "photo"}
