"""How requests look in chat: team cards, the claimer's private card, residents' notices."""

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.methods import EditMessageCaption, EditMessageText
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Markup, Translator
from handlers.callbacks import (
    ActivityAction,
    CheckinReview,
    Rating,
    RequestAction,
    WhistleStart,
    WishConfirm,
)
from models.checkins import Activity, Checkin, CheckinStatus
from models.requests import RequestKind, RequestStatus, RoutingLevel
from models.requests.views import RequestView
from models.requests.workflow import request_label

PREVIEW = 300  # characters of a free text shown on a card (a photo's caption holds 1024)


def local_time(moment: datetime | None, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%m-%d %H:%M") if moment else "-"


def category_name(t: Translator, view: RequestView) -> str:
    if view.request.kind == RequestKind.WISH:
        return t("kind-wish")
    if view.category is None:
        return t("kind-report")
    return view.category.name_en if t.language == "en" else view.category.name_zh


def headline(t: Translator, view: RequestView) -> str:
    request = view.request
    urgent = " · " + t("urgent-mark") if request.urgent else ""
    return f"<b>{request_label(request)}</b> · {html.escape(category_name(t, view))}{urgent}"


def _place(view: RequestView) -> str:
    parts = [view.route.micro_grid.name, view.building.name if view.building else ""]
    return html.escape(" ".join(p for p in parts if p))


def _preview(text: str) -> str:
    return text if len(text) <= PREVIEW else text[:PREVIEW] + "…"


def _text(view: RequestView) -> str:
    return html.escape(_preview(view.request.text))


def status_line(t: Translator, view: RequestView) -> str:
    request = view.request
    status = t(f"status-{request.status.value.replace('_', '-')}")
    if request.status == RequestStatus.ROUTED:
        return t(
            "card-waiting",
            status=status,
            deadline=local_time(request.claim_deadline, view.timezone),
        )
    if request.status in (RequestStatus.CLAIMED, RequestStatus.IN_PROGRESS):
        return t(
            "card-claimed",
            status=status,
            name=party_badge(t, view.claimer.full_name if view.claimer else "-",
                             view.claimer is not None and view.claimer.id in view.party_ids),
            deadline=local_time(request.resolve_deadline, view.timezone),
        )
    if request.status in (RequestStatus.RESOLVED, RequestStatus.CLOSED) and view.claimer:
        resolver = party_badge(t, view.claimer.full_name or "-", view.claimer.id in view.party_ids)
        return t("card-status", status=status) + t("party-card-resolver", name=resolver)
    return t("card-status", status=status)


def party_badge(t: Translator, name: str, party_member: bool) -> str:
    """A confirmed party member's name carries the party badge (亮身份)."""
    return t("party-badge", name=name) if party_member else name


def team_card(
    t: Translator, view: RequestView, why: str = ""
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The card in a team chat. It never shows who the resident is or their room."""
    lines = []
    if why and why != "new":
        lines.append(t(f"card-why-{why}"))
    lines += [headline(t, view), _place(view), _text(view), status_line(t, view)]
    if view.request.rating_comment and view.request.status == RequestStatus.ROUTED:
        lines.append(t("card-resident-comment", comment=view.request.rating_comment))
    keyboard = None
    if view.request.status == RequestStatus.ROUTED:
        builder = InlineKeyboardBuilder()
        request_id = view.request.id
        builder.button(
            text=t("btn-claim"), callback_data=RequestAction(action="claim", id=request_id)
        )
        if view.request.kind == RequestKind.REPORT:
            builder.button(
                text=t("btn-escalate"),
                callback_data=RequestAction(action="escalate", id=request_id),
            )
            builder.button(
                text=t("btn-duplicate"),
                callback_data=RequestAction(action="duplicate", id=request_id),
            )
        builder.adjust(1, 2)
        keyboard = builder.as_markup()
    if why == "escalated" and view.request.escalation_level == RoutingLevel.COMMUNITY and (
        view.request.status in (RequestStatus.ROUTED, RequestStatus.CLAIMED,
                                RequestStatus.IN_PROGRESS)
    ):  # fmt: skip
        whistle = InlineKeyboardButton(text=t("party-btn-whistle"),
                                       callback_data=WhistleStart(id=view.request.id).pack())
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[*(keyboard.inline_keyboard if keyboard else []), [whistle]]
        )  # fmt: skip
    return "\n".join(lines), keyboard


def claimer_card(t: Translator, view: RequestView) -> tuple[str, InlineKeyboardMarkup | None]:
    """The claimer's private card, with what the resident agreed to share."""
    request = view.request
    lines = [
        headline(t, view),
        _place(view) + (f" {html.escape(view.unit.name)}" if view.unit else ""),
        html.escape(request.text),
        status_line(t, view),
    ]
    if request.share_contact:
        contact = mention_link(view.resident.telegram_id, view.resident.full_name)
        lines.append(t("card-contact", contact=contact, room=view.room or "-"))
    else:
        lines.append(t("card-contact-private"))
    if request.latitude is not None and request.longitude is not None:
        lines.append(
            t("card-location", lat=f"{request.latitude:.5f}", lon=f"{request.longitude:.5f}")
        )
    if request.rating_comment and request.status == RequestStatus.ROUTED:
        lines.append(t("card-resident-comment", comment=request.rating_comment))
    builder = InlineKeyboardBuilder()
    actions: list[str] = []
    if request.status == RequestStatus.CLAIMED and request.kind == RequestKind.REPORT:
        actions.append("start")
    if request.status in (RequestStatus.CLAIMED, RequestStatus.IN_PROGRESS):
        actions += ["resolve", "hand_back"]
        if request.kind == RequestKind.REPORT:
            actions += ["escalate", "reject"]
    for action in actions:
        builder.button(
            text=t(f"btn-{action.replace('_', '-')}"),
            callback_data=RequestAction(action=action, id=request.id),
        )
    builder.adjust(2)
    return "\n".join(lines), builder.as_markup() if actions else None


def resident_notice(t: Translator, view: RequestView, action: str, args: dict[str, str]) -> str:
    key = f"notice-{action.replace('_', '-')}"
    return "\n".join(
        [
            headline(t, view),
            t(key, label=request_label(view.request), **args),
        ]
    )


def rating_keyboard(request_id: int, stars: int | None, t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if stars is None:
        for n in range(1, 6):
            builder.button(text="⭐" * n, callback_data=Rating(id=request_id, stars=n))
        builder.adjust(1)
    else:
        builder.button(
            text=t("btn-satisfied"), callback_data=Rating(id=request_id, stars=stars, satisfied=1)
        )
        builder.button(
            text=t("btn-not-satisfied"),
            callback_data=Rating(id=request_id, stars=stars, satisfied=0),
        )
        builder.adjust(2)
    return builder.as_markup()


def wish_confirm_keyboard(request_id: int, t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=t("btn-wish-fulfilled"), callback_data=WishConfirm(id=request_id, fulfilled=True)
    )
    builder.button(
        text=t("btn-wish-not-yet"), callback_data=WishConfirm(id=request_id, fulfilled=False)
    )
    builder.adjust(2)
    return builder.as_markup()


def mention_link(telegram_id: int, name: str | None) -> Markup:
    return Markup(f'<a href="tg://user?id={telegram_id}">{html.escape(name or "-")}</a>')


# `/start` payloads of the links the bot hands out: follow a request, open an undelivered card.
FOLLOW_PREFIX = "req-"
CARD_PREFIX = "card-"


def follow_payload(request_id: int) -> str:
    return f"{FOLLOW_PREFIX}{request_id}"


def card_payload(copy_id: int) -> str:
    return f"{CARD_PREFIX}{copy_id}"


def link_keyboard(text: str, url: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=text, url=url)]])


def activity_card(
    t: Translator, activity: Activity, signed: int, timezone: str
) -> tuple[str, InlineKeyboardMarkup]:
    zone = ZoneInfo(timezone)
    start, end = activity.starts_at.astimezone(zone), activity.ends_at.astimezone(zone)
    text = t(
        "activity-card",
        title=activity.title,
        place=activity.place,
        start=start.strftime("%m-%d %H:%M"),
        end=end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%m-%d %H:%M"),
        per_hour=activity.points_per_hour,
        per_attendance=activity.points_per_attendance,
        slots=activity.slots,
    )
    text += "\n" + t("activity-card-signed", signed=signed, slots=activity.slots)
    builder = InlineKeyboardBuilder()
    builder.button(
        text=t("btn-signup"), callback_data=ActivityAction(action="signup", id=activity.id)
    )
    builder.button(
        text=t("btn-checkin"), callback_data=ActivityAction(action="checkin", id=activity.id)
    )
    builder.adjust(2)
    return text, builder.as_markup()


def checkin_review_card(
    t: Translator, checkin: Checkin, volunteer: str, reviewer: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """A leader's card for free-form service: buttons while it waits, then who stamped or
    declined it (every leader's copy ends the same)."""
    what, photo = _preview(checkin.description), t("yes" if checkin.photo_file_id else "no")
    if checkin.status == CheckinStatus.PENDING:
        lines = [t("checkin-review-card", name=volunteer, what=what, photo=photo)]
    else:
        lines = [t("checkin-card", name=volunteer, what=what, photo=photo)]
    if checkin.status == CheckinStatus.APPROVED:
        lines.append(t("checkin-card-stamped", reviewer=reviewer, points=checkin.points or 0))
    elif checkin.status == CheckinStatus.REJECTED:
        reason = _preview(checkin.reject_reason or "")
        lines.append(t("checkin-card-declined", reviewer=reviewer, reason=reason))
    if checkin.status != CheckinStatus.PENDING:
        return "\n".join(lines), None
    builder = InlineKeyboardBuilder()
    builder.button(text=t("btn-approve"), callback_data=CheckinReview(id=checkin.id, approve=True))
    builder.button(
        text=t("btn-disapprove"), callback_data=CheckinReview(id=checkin.id, approve=False)
    )
    builder.adjust(2)
    return "\n".join(lines), builder.as_markup()


def edit_card(
    message: Message, drawing: tuple[str, InlineKeyboardMarkup | None]
) -> EditMessageText | EditMessageCaption:
    """Show a card as drawn now on the message it was pressed on (a photo by its caption)."""
    text, keyboard = drawing
    if message.photo:
        return message.edit_caption(caption=text, reply_markup=keyboard)
    return message.edit_text(text, reply_markup=keyboard)
