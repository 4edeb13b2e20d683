"""Cards sent as several copies: how each kind of subject is drawn, sending a copy, and bringing
every copy of a subject up to date through the outbox.

A kind of subject takes part by registering a renderer (`@renders("kind")`): given the session
and the subject's id it loads the subject once and returns a function that draws one copy
(text and buttons) in a language and variant. Sending a copy, refreshing all copies after a
change (`models.copies.refresh`) and redrawing the copy a person pressed then work for it.
"""

import itertools
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import event, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session

from bot.i18n import Catalog, Translator
from handlers.cards import (
    activity_card,
    checkin_review_card,
    claimer_card,
    party_badge,
    team_card,
)
from models.base import PinningSession
from models.checkins import Activity, Checkin, signups_count
from models.copies import MessageCopy, Subject, fingerprint
from models.members import User
from models.outbox import (
    OutboxMessage,
    OutboxStatus,
    copies_and_pressed,
    copies_with_pending,
    first_send,
    queue_message,
    queued_keys,
    rewrite_or_queue,
)
from models.party.membership import confirmed_ids
from models.requests.views import RequestView, load_view
from models.structure import Community

Drawing = tuple[str, InlineKeyboardMarkup | None]
Draw = Callable[[Translator, MessageCopy], Drawing]
Renderer = Callable[[AsyncSession, int], Awaitable[Draw]]

RENDERERS: dict[str, Renderer] = {}
SHOWN_KEYS = ("text", "caption", "reply_markup")
# session.info key: what was loaded to draw this transaction's notices and copies. It stays
# while the session writes nothing but deliveries (copies, outbox rows), which no drawing shows:
# the card a handler drew for the pressed message is the one its other copies get.
LOADED = "loaded-for-notices"
DELIVERY_TABLES = (MessageCopy.__table__, OutboxMessage.__table__)
# session.info key: a subject's copies with their waiting rows, as the pressed copy was looked
# up among them, for the refresh of the same change. Any write but a copy's shown fingerprint
# drops them: it may be a copy or a queued row.
COPIES_READ = "copies-read"


@event.listens_for(PinningSession, "after_flush")
def _forget_after_changes(session: Session, _context: Any) -> None:
    changed = itertools.chain(session.new, session.dirty, session.deleted)
    if any(inspect(instance).mapper.local_table not in DELIVERY_TABLES for instance in changed):
        session.info.pop(LOADED, None)
    if session.new or session.deleted or any(
        not isinstance(instance, MessageCopy) for instance in session.dirty
    ):
        session.info.pop(COPIES_READ, None)


@event.listens_for(PinningSession, "do_orm_execute")
def _forget_after_statement(state: ORMExecuteState) -> None:
    statement = state.statement
    if statement.is_dml:
        state.session.info.pop(COPIES_READ, None)
        if getattr(statement, "table", None) not in DELIVERY_TABLES:
            state.session.info.pop(LOADED, None)


def renders(kind: str) -> Callable[[Renderer], Renderer]:
    def register(renderer: Renderer) -> Renderer:
        RENDERERS[kind] = renderer
        return renderer

    return register


def message_payload(text: str, keyboard: InlineKeyboardMarkup | None) -> dict[str, Any]:
    payload: dict[str, Any] = {"text": text}
    if keyboard is not None:
        payload["reply_markup"] = keyboard.model_dump(mode="json", exclude_none=True)
    return payload


def copy_payload(copy: MessageCopy, drawing: Drawing) -> dict[str, Any]:
    """What a copy shows: a photo's caption, otherwise its text; and its buttons (none when
    the payload has none, which removes them on an edit)."""
    payload = message_payload(*drawing)
    if copy.captioned:
        payload["caption"] = payload.pop("text")
    return payload


# --- renderers ------------------------------------------------------------------------------


async def request_view(session: AsyncSession, request_id: int) -> RequestView:
    """A request as it stands, loaded once for all its notices and copies."""
    loaded: dict[object, Any] = session.info.setdefault(LOADED, {})
    key = ("request-view", request_id)
    if key not in loaded:
        loaded[key] = await load_view(session, request_id)
    return loaded[key]


@renders("request")
async def _request(session: AsyncSession, request_id: int) -> Draw:
    view = await request_view(session, request_id)

    def draw(t: Translator, copy: MessageCopy) -> Drawing:
        if copy.variant == "claimer":
            return claimer_card(t, view)
        if copy.variant == "party-offer":
            return party_offer_card(t, view)
        context = copy.context or {}
        text, keyboard = team_card(t, view, context.get("why", ""))
        if context.get("reason"):
            text += "\n" + t("card-reason", reason=context["reason"])
        return text, keyboard

    return draw


def _name(user: User | None) -> str:
    return user.full_name if user and user.full_name else "-"


@renders("checkin")
async def _checkin(session: AsyncSession, checkin_id: int) -> Draw:
    checkin = await session.get(Checkin, checkin_id)
    assert checkin is not None
    volunteer = _name(await session.get(User, checkin.user_id))
    reviewer = _name(await session.get(User, checkin.reviewer_id)) if checkin.reviewer_id else "-"
    party = checkin.user_id in await confirmed_ids(session, [checkin.user_id])
    return lambda t, copy: checkin_review_card(
        t, checkin, party_badge(t, volunteer, party), reviewer
    )


@renders("activity")
async def _activity(session: AsyncSession, activity_id: int) -> Draw:
    activity = await session.get(Activity, activity_id)
    assert activity is not None
    community = await session.get(Community, activity.community_id)
    assert community is not None
    signed = await signups_count(session, activity.id)
    return lambda t, copy: activity_card(t, activity, signed, community.timezone)


# --- sending and refreshing ------------------------------------------------------------------


class Copies:
    """Queues copies and edits of copies; the catalog draws them in each copy's language."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def translator(self, copy: MessageCopy) -> Translator:
        return self.catalog.translator(copy.language)

    async def _draw(self, session: AsyncSession, subject: Subject) -> Draw:
        loaded: dict[object, Any] = session.info.setdefault(LOADED, {})
        if subject not in loaded:
            loaded[subject] = await RENDERERS[subject.kind](session, subject.id)
        return loaded[subject]

    @staticmethod
    def forget(session: AsyncSession) -> None:
        """Drop what was loaded: the next drawing reads the subject again."""
        session.info.pop(LOADED, None)

    async def send(
        self,
        session: AsyncSession,
        subject: Subject,
        variant: str,
        chat_id: int,
        *,
        language: str | None = None,
        context: dict[str, Any] | None = None,
        photo: str | None = None,
        user_id: int | None = None,
        fallback_chat_id: int | None = None,
        dedup_key: str | None = None,
        request_id: int | None = None,
        priority: int = 0,
    ) -> None:
        """Queue a new copy of the subject's card to a chat (with a photo: as its caption)."""
        copy = MessageCopy(
            subject_kind=subject.kind, subject_id=subject.id, variant=variant,
            language=language, context=context or None, chat_id=chat_id,
            captioned=photo is not None,
        )  # fmt: skip
        draw = await self._draw(session, subject)
        payload = copy_payload(copy, draw(self.translator(copy), copy))
        if photo is not None:
            payload["photo"] = photo
        await queue_message(
            session, chat_id, "sendPhoto" if photo else "sendMessage", payload,
            new_copy=copy, user_id=user_id,
            fallback_chat_id=fallback_chat_id, dedup_key=dedup_key, request_id=request_id,
            priority=priority,
        )  # fmt: skip

    async def refresh(self, session: AsyncSession, subject: Subject) -> int:
        """Edit every copy of the subject whose drawing differs from what it will show once
        its chat's queue is sent: an edit still waiting is rewritten rather than followed by
        another; a copy whose send is under way gets an edit queued behind it. Returns the
        copies that will change."""
        await session.flush()  # as a read would: a change not yet written drops what was read
        copies = session.info.get(COPIES_READ, {}).pop(subject, None)
        if copies is None:
            copies = await copies_with_pending(session, subject)
        if not copies:
            return 0
        draw = await self._draw(session, subject)
        changed = 0
        for copy, latest in copies:
            if latest is None and copy.message_id is None:
                continue  # its send failed for good: there is nothing to edit
            drawn = copy_payload(copy, draw(self.translator(copy), copy))
            if fingerprint(drawn) == (fingerprint(latest.payload) if latest else copy.shown):
                continue
            changed += 1
            method = "editMessageCaption" if copy.captioned else "editMessageText"
            if latest is not None and not latest.taken:
                kept = {k: v for k, v in latest.payload.items() if k not in SHOWN_KEYS}
                await rewrite_or_queue(session, latest.id, kept | drawn, copy.chat_id, method,
                                       drawn, copy_id=copy.id)  # fmt: skip
            else:
                await queue_message(session, copy.chat_id, method, drawn, copy_id=copy.id)
        return changed

    async def send_again(
        self, session: AsyncSession, copy_id: int, chat_id: int, language: str | None,
        user_id: int | None,
    ) -> bool:  # fmt: skip
        """A card that could not be delivered (the person had not pressed Start), sent anew
        now that they opened the private chat from the pointer; only to the chat it was for.
        False when there is no such undelivered card of theirs."""
        copy = await session.get(MessageCopy, copy_id)
        if copy is None or copy.chat_id != chat_id or copy.message_id is not None:
            return False
        sent = await first_send(session, copy.id)
        again = f"card-again:{copy.id}"  # a second press of the link sends nothing more
        if sent is None or sent.status != OutboxStatus.FAILED or await queued_keys(session,
                                                                                    [again]):
            return False
        await self.send(session, copy.subject, copy.variant, chat_id, language=language,
                        photo=sent.payload.get("photo"), user_id=user_id, context=copy.context,
                        dedup_key=again)  # fmt: skip
        return True

    async def pressed(
        self,
        session: AsyncSession,
        subject: Subject,
        chat_id: int,
        message_id: int,
        t: Translator,
        variant: str,
    ) -> Drawing | None:
        """What the copy a person pressed shows now, for the handler to edit it in its answer;
        it is recorded as shown so the refresh leaves that copy alone. A card sent before
        copies were recorded is drawn in the presser's language; None when the pressed
        message is a copy of something else (forged button data)."""
        copies, copy = await copies_and_pressed(session, subject, chat_id, message_id)
        session.info.setdefault(COPIES_READ, {})[subject] = copies
        if copy is not None and copy.subject != subject:
            return None  # a copy of something else
        draw = await self._draw(session, subject)
        if copy is None:
            stand_in = MessageCopy(subject_kind=subject.kind, subject_id=subject.id,
                                   variant=variant, chat_id=chat_id)  # fmt: skip
            return draw(t, stand_in)
        drawing = draw(self.translator(copy), copy)
        copy.shown = fingerprint(copy_payload(copy, drawing))
        return drawing


# The party feature's cards register themselves; it draws the wishes offered to party members.
from handlers.party_cards import party_offer_card  # noqa: E402
