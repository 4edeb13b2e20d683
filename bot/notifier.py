"""Turns the notices a state change emitted into outbox rows, in the same transaction."""

from typing import Any

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog, Translator
from handlers.cards import (
    activity_card,
    checkin_review_card,
    claimer_card,
    link_keyboard,
    rating_keyboard,
    resident_notice,
    team_card,
    wish_confirm_keyboard,
)
from models.checkins import Activity, Checkin
from models.members import User
from models.notices import Notice, take_notices
from models.outbox import OutboxMessage, queued_keys
from models.requests import RequestCard
from models.requests.views import RequestView, load_view
from models.requests.workflow import request_label
from models.structure import Community


def message_payload(text: str, keyboard: InlineKeyboardMarkup | None) -> dict[str, Any]:
    payload: dict[str, Any] = {"text": text}
    if keyboard is not None:
        payload["reply_markup"] = keyboard.model_dump(mode="json", exclude_none=True)
    return payload


class Notifier:
    def __init__(self, catalog: Catalog, bot_username: str) -> None:
        self.catalog = catalog
        self.bot_username = bot_username

    def deep_link(self, payload: str) -> str:
        return f"https://t.me/{self.bot_username}?start={payload}"

    async def flush(self, session: AsyncSession) -> int:
        """Write outbox rows for every pending notice of `session`; returns rows written."""
        notices = take_notices(session)
        queued = await queued_keys(session, [n.dedup_key for n in notices if n.dedup_key])
        written = 0
        views: dict[int, RequestView] = {}  # every change is made by now: one view per request
        for notice in notices:
            if notice.dedup_key:
                if notice.dedup_key in queued:
                    continue
                queued.add(notice.dedup_key)
            written += await self._write(session, notice, views)
        return written

    async def _write(
        self, session: AsyncSession, notice: Notice, views: dict[int, RequestView]
    ) -> int:
        if notice.request_id is None:
            return await self._write_personal(session, notice)
        if notice.request_id not in views:
            views[notice.request_id] = await load_view(session, notice.request_id)
        view = views[notice.request_id]
        group_t = self.catalog.translator(None)
        if notice.kind == "card":
            assert notice.chat_id is not None
            text, keyboard = team_card(group_t, view, notice.args.get("why", ""))
            if notice.args.get("reason"):
                text += "\n" + group_t("card-reason", reason=notice.args["reason"])
            self._add(
                session, notice, notice.chat_id, message_payload(text, keyboard), audience="team"
            )
            return 1
        if notice.kind == "refresh-cards":
            return await self._refresh(session, view, group_t)
        assert notice.user_id is not None
        user = await session.get(User, notice.user_id)
        assert user is not None
        t = self.catalog.translator(user.language_or(self.catalog.default_language))
        fallback = (
            view.route.micro_grid.chat_id
            if user.id == view.request.resident_id
            else notice.chat_id or view.route.micro_grid.task_chat_id
        )
        audience = None
        keyboard: InlineKeyboardMarkup | None = None
        label = request_label(view.request)
        if notice.kind == "claimer-card":
            text, keyboard = claimer_card(t, view)
            audience = "claimer"
        elif notice.kind == "resident-status":
            text = resident_notice(t, view, notice.args["action"], _strings(notice.args))
            if notice.args["action"] == "received":
                keyboard = link_keyboard(t("btn-follow"), self.deep_link(f"req-{view.request.id}"))
        elif notice.kind == "claimer-status":
            text = resident_notice(t, view, f"claimer-{notice.args['action']}", {})
        elif notice.kind == "rate-ask":
            text, keyboard = t("rate-ask", label=label), rating_keyboard(view.request.id, None, t)
        elif notice.kind == "wish-confirm-ask":
            text = t("wish-confirm-ask", label=label)
            keyboard = wish_confirm_keyboard(view.request.id, t)
        else:
            raise ValueError(f"unknown notice kind {notice.kind}")
        self._add(session, notice, user.telegram_id, message_payload(text, keyboard), user=user,
                  fallback=fallback, audience=audience)  # fmt: skip
        return 1

    async def _write_personal(self, session: AsyncSession, notice: Notice) -> int:
        """Notices that are not about a request: activities, service, points, vouchers."""
        if notice.kind == "activity-card":
            assert notice.chat_id is not None
            activity = await session.get(Activity, notice.args["activity_id"])
            assert activity is not None
            community = await session.get(Community, activity.community_id)
            assert community is not None
            text, keyboard = activity_card(
                self.catalog.translator(None), activity, 0, community.timezone
            )
            session.add(OutboxMessage(chat_id=notice.chat_id, method="sendMessage",
                                      payload=message_payload(text, keyboard)))  # fmt: skip
            return 1
        assert notice.user_id is not None
        user = await session.get(User, notice.user_id)
        assert user is not None
        t = self.catalog.translator(user.language_or(self.catalog.default_language))
        method, payload = "sendMessage", {}
        if notice.kind == "checkin-review":
            checkin = await session.get(Checkin, notice.args["checkin_id"])
            assert checkin is not None
            volunteer = await session.get(User, checkin.user_id)
            name = volunteer.full_name if volunteer and volunteer.full_name else "-"
            payload = message_payload(*checkin_review_card(t, checkin, name))
        else:
            text = t(f"notice-{notice.kind}", **notice.args)
            payload = message_payload(text, None)
        if notice.kind == "voucher-issued":
            method, payload = "sendPhoto", {"caption": payload["text"], "qr": notice.args["code"]}
        session.add(
            OutboxMessage(
                chat_id=user.telegram_id, user_id=user.id, method=method, payload=payload,
                dedup_key=notice.dedup_key, fallback_chat_id=notice.chat_id,
            )
        )  # fmt: skip
        return 1

    async def _refresh(self, session: AsyncSession, view: RequestView, group_t: Translator) -> int:
        cards = (
            await session.scalars(
                select(RequestCard).where(RequestCard.request_id == view.request.id)
            )
        ).all()
        for card in cards:
            if card.audience == "claimer":
                claimer = await session.scalar(select(User).where(User.telegram_id == card.chat_id))
                t = self.catalog.translator(
                    claimer.language_or(self.catalog.default_language) if claimer else None
                )
                text, keyboard = claimer_card(t, view)
            else:
                text, keyboard = team_card(group_t, view)
            payload = message_payload(text, keyboard) | {"message_id": card.message_id}
            session.add(
                OutboxMessage(
                    chat_id=card.chat_id,
                    method="editMessageText",
                    payload=payload,
                    request_id=view.request.id,
                )
            )
        return len(cards)

    def _add(
        self,
        session: AsyncSession,
        notice: Notice,
        chat_id: int,
        payload: dict[str, Any],
        *,
        user: User | None = None,
        fallback: int | None = None,
        audience: str | None = None,
    ) -> None:
        session.add(
            OutboxMessage(
                chat_id=chat_id,
                user_id=user.id if user else None,
                fallback_chat_id=fallback,
                method="sendMessage",
                payload=payload,
                dedup_key=notice.dedup_key,
                request_id=notice.request_id,
                card_audience=audience,
            )
        )


def _strings(args: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in args.items() if k != "action" and k != "photo"}
