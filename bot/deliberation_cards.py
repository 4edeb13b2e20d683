"""How proposals and whispers look in chat (cards drawn per copy), their buttons, and turning
the deliberation notices into outbox rows."""

import html
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiogram.filters.callback_data import CallbackData
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.copies import Draw, Drawing, message_payload, renders
from bot.i18n import Translator
from handlers.cards import local_time
from models.copies import MessageCopy, Subject
from models.deliberation import (
    ABSTAIN,
    AGAINST,
    Proposal,
    ProposalOption,
    ProposalStatus,
    Scope,
    Track,
    Whisper,
)
from models.deliberation.reports import month_figures, overdue_unscreened
from models.deliberation.workflow import (
    check_can_object,
    options_of,
    proposal_label,
    tally,
    tasks_of,
)
from models.errors import DomainError
from models.members import User
from models.notices import Notice
from models.outbox import queue_message
from models.requests import Request
from models.requests.workflow import request_label
from models.structure import Community, Grid, MicroGrid

if TYPE_CHECKING:
    from bot.notifier import Notifier

TRACKS = (Track.MAJOR, Track.MINOR, Track.URGENT)
PREVIEW = 300
CIRCLED = "①②③④⑤⑥⑦⑧⑨"


class DelibAction(CallbackData, prefix="dl"):
    """A button on a proposal or whisper card; re-checked against the current state."""

    action: str  # second accept merge decline option open vote close object task done whisper
    id: int
    arg: int = 0


def _button(builder: InlineKeyboardBuilder, text: str, action: str, subject_id: int,
            arg: int = 0) -> None:  # fmt: skip
    builder.button(text=text, callback_data=DelibAction(action=action, id=subject_id, arg=arg))


def choice_label(t: Translator, choice: int) -> str:
    if choice == AGAINST:
        return t("delib-choice-against")
    if choice == ABSTAIN:
        return t("delib-choice-abstain")
    return CIRCLED[choice - 1] if 0 < choice <= len(CIRCLED) else str(choice)


class ProposalView:
    """A proposal as it stands, loaded once for all its copies."""

    def __init__(self, proposal: Proposal, options: list[ProposalOption], counts: Counter[int],
                 tasks: list[Request], place: str, timezone: str) -> None:  # fmt: skip
        self.proposal = proposal
        self.options = options
        self.counts = counts
        self.tasks = tasks
        self.place = place
        self.timezone = timezone


async def load_proposal_view(session: AsyncSession, proposal_id: int) -> ProposalView:
    proposal = await session.get(Proposal, proposal_id)
    assert proposal is not None
    community = await session.get(Community, proposal.community_id)
    assert community is not None
    if proposal.scope == Scope.MICRO_GRID and proposal.micro_grid_id:
        micro_grid = await session.get(MicroGrid, proposal.micro_grid_id)
        place = micro_grid.name if micro_grid else "-"
    elif proposal.scope == Scope.GRID and proposal.grid_id:
        grid = await session.get(Grid, proposal.grid_id)
        place = grid.name if grid else "-"
    else:
        place = community.name
    return ProposalView(proposal, await options_of(session, proposal.id),
                        await tally(session, proposal.id), await tasks_of(session, proposal.id),
                        place, community.timezone)  # fmt: skip


def _head(t: Translator, view: ProposalView) -> list[str]:
    p = view.proposal
    text = p.text if len(p.text) <= PREVIEW else p.text[:PREVIEW] + "…"
    lines = [t("delib-card-head", label=proposal_label(p), title=p.title),
             t("delib-card-scope", place=view.place), html.escape(text)]  # fmt: skip
    if p.track is not None:
        lines.append(t("delib-card-track", track=t(f"delib-track-{p.track.value}")))
    return lines


def _status(t: Translator, view: ProposalView) -> str:
    p = view.proposal
    return t("delib-card-status", status=t(f"delib-status-{p.status.value}"), seconds=p.seconds)


def _options(t: Translator, view: ProposalView) -> list[str]:
    return [t("delib-card-option", mark=choice_label(t, o.position), text=o.text)
            for o in view.options]  # fmt: skip


def _tally_line(t: Translator, view: ProposalView) -> str:
    parts = [f"{choice_label(t, o.position)} {view.counts.get(o.position, 0)}"
             for o in view.options]  # fmt: skip
    parts += [f"{choice_label(t, c)} {view.counts.get(c, 0)}" for c in (AGAINST, ABSTAIN)]
    return t("delib-card-tally", tally=" · ".join(parts), voters=sum(view.counts.values()))


def _result_lines(t: Translator, view: ProposalView) -> list[str]:
    p = view.proposal
    result = p.result or {}
    counts = Counter({int(k): v for k, v in result.get("counts", {}).items()})
    parts = [f"{choice_label(t, o.position)} {counts.get(o.position, 0)}" for o in view.options]
    parts += [f"{choice_label(t, c)} {counts.get(c, 0)}" for c in (AGAINST, ABSTAIN)]
    winner = result.get("winner")
    if result.get("passed"):
        verdict = t("delib-result-passed", mark=choice_label(t, winner))
    else:
        verdict = t("delib-result-failed" if result.get("quorum_met") else "delib-result-no-quorum")
    lines = [
        t("delib-result-tally", tally=" · ".join(parts)),
        t("delib-result-turnout", voters=result.get("voters", 0),
          eligible=result.get("eligible", 0),
          percent=f"{100 * float(result.get('turnout', 0)):.0f}"),
        verdict,
    ]  # fmt: skip
    if p.publicity_until is not None:
        lines.append(t("delib-result-publicity",
                       until=local_time(p.publicity_until, view.timezone)))  # fmt: skip
    return lines


def _task_lines(t: Translator, view: ProposalView) -> list[str]:
    return [
        t("delib-card-task", label=request_label(r),
          status=t(f"status-{r.status.value.replace('_', '-')}"))
        for r in view.tasks
    ]  # fmt: skip


def group_card(t: Translator, view: ProposalView) -> Drawing:
    """The card in the scope's residents' groups: 附议 while it is open."""
    p = view.proposal
    lines = [*_head(t, view), _status(t, view)]
    if p.status in (ProposalStatus.PASSED, ProposalStatus.IMPLEMENTED):
        lines += _task_lines(t, view)
    keyboard = None
    if p.status in (ProposalStatus.SUBMITTED, ProposalStatus.ACCEPTED):
        builder = InlineKeyboardBuilder()
        _button(builder, t("delib-btn-second", seconds=p.seconds), "second", p.id)
        keyboard = builder.as_markup()
    return "\n".join(lines), keyboard


def vote_card(t: Translator, view: ProposalView) -> Drawing:
    """The ballot in the residents' groups: one button per option, 反对 and 弃权."""
    p = view.proposal
    lines = [t("delib-vote-head", label=proposal_label(p), title=p.title),
             *_options(t, view)]  # fmt: skip
    if p.status != ProposalStatus.VOTING:
        return "\n".join([*lines, t("delib-vote-over"), *_result_lines(t, view)]), None
    lines += [_tally_line(t, view),
              t("delib-vote-until", until=local_time(p.vote_closes_at, view.timezone)),
              t("delib-vote-rule")]  # fmt: skip
    builder = InlineKeyboardBuilder()
    for option in view.options:
        _button(builder, choice_label(t, option.position), "vote", p.id, option.position)
    _button(builder, t("delib-choice-against"), "vote", p.id, AGAINST)
    _button(builder, t("delib-choice-abstain"), "vote", p.id, ABSTAIN)
    builder.adjust(len(view.options), 2)
    return "\n".join(lines), builder.as_markup()


def result_card(t: Translator, view: ProposalView) -> Drawing:
    p = view.proposal
    lines = [t("delib-result-head", label=proposal_label(p), title=p.title), *_options(t, view),
             *_result_lines(t, view), *_task_lines(t, view)]  # fmt: skip
    if p.status == ProposalStatus.IMPLEMENTED:
        lines.append(t("delib-status-implemented"))
    try:
        check_can_object(p)
    except DomainError:
        return "\n".join(lines), None
    builder = InlineKeyboardBuilder()
    _button(builder, t("delib-btn-object"), "object", p.id)
    return "\n".join(lines), builder.as_markup()


def staff_card(t: Translator, view: ProposalView, overdue: bool) -> Drawing:
    """The screening and running card for the scope's staff."""
    p = view.proposal
    lines = [t("delib-staff-overdue")] if overdue and p.status == ProposalStatus.SUBMITTED else []
    lines += [*_head(t, view), _status(t, view)]
    builder = InlineKeyboardBuilder()
    sizes: list[int] = []
    if p.status == ProposalStatus.SUBMITTED:
        lines.append(t("delib-staff-due", due=local_time(p.screening_due_at, view.timezone)))
        for index, track in enumerate(TRACKS):
            _button(builder, t("delib-btn-accept", track=t(f"delib-track-{track.value}")),
                    "accept", p.id, index)  # fmt: skip
        _button(builder, t("delib-btn-merge"), "merge", p.id)
        _button(builder, t("delib-btn-decline"), "decline", p.id)
        sizes = [3, 2]
    elif p.status == ProposalStatus.ACCEPTED:
        lines += _options(t, view) or [t("delib-staff-no-options")]
        _button(builder, t("delib-btn-option"), "option", p.id)
        sizes = [1]
        if view.options:
            _button(builder, t("delib-btn-open"), "open", p.id)
            sizes = [2]
    elif p.status == ProposalStatus.VOTING:
        lines += [
            *_options(t, view),
            _tally_line(t, view),
            t("delib-vote-until", until=local_time(p.vote_closes_at, view.timezone)),
        ]
        _button(builder, t("delib-btn-close"), "close", p.id)
        sizes = [1]
    elif p.status in (ProposalStatus.PASSED, ProposalStatus.FAILED, ProposalStatus.IMPLEMENTED):
        lines += [*_options(t, view), *_result_lines(t, view), *_task_lines(t, view)]
        if p.status == ProposalStatus.PASSED:
            _button(builder, t("delib-btn-task"), "task", p.id)
            _button(builder, t("delib-btn-done"), "done", p.id)
            sizes = [2]
    elif p.status == ProposalStatus.DECLINED:
        lines.append(t("delib-card-reason", reason=p.decline_reason or "-"))
    keyboard = builder.adjust(*sizes).as_markup() if sizes else None
    return "\n".join(lines), keyboard  # fmt: skip


@renders("proposal")
async def _proposal(session: AsyncSession, proposal_id: int) -> Draw:
    view = await load_proposal_view(session, proposal_id)

    def draw(t: Translator, copy: MessageCopy) -> Drawing:
        if copy.variant == "staff":
            return staff_card(t, view, bool((copy.context or {}).get("overdue")))
        if copy.variant == "vote":
            return vote_card(t, view)
        if copy.variant == "result":
            return result_card(t, view)
        return group_card(t, view)

    return draw


@renders("whisper")
async def _whisper(session: AsyncSession, whisper_id: int) -> Draw:
    whisper = await session.get(Whisper, whisper_id)
    assert whisper is not None

    def draw(t: Translator, copy: MessageCopy) -> Drawing:
        lines = [t("delib-whisper-card", number=whisper.id), html.escape(whisper.text)]
        if whisper.answer is not None:
            return "\n".join(
                [*lines, t("delib-whisper-card-answered", answer=whisper.answer)]
            ), None
        builder = InlineKeyboardBuilder()
        _button(builder, t("delib-btn-answer"), "whisper", whisper.id)
        return "\n".join(lines), builder.as_markup()

    return draw


# --- notices ---------------------------------------------------------------------------------


def _message_args(t: Translator, args: dict[str, Any]) -> dict[str, Any]:
    """Arguments that name a catalog word are put in the reader's language."""
    shown = dict(args)
    if "track" in shown:
        shown["track"] = t(f"delib-track-{shown['track']}")
    if "passed" in shown:
        shown["passed"] = t(f"delib-passed-{shown['passed']}")
    return shown


async def write_notice(notifier: "Notifier", session: AsyncSession, notice: Notice) -> int:
    """Outbox rows for a deliberation notice: a new copy of a card, or a message."""
    args = dict(notice.args)
    assert notice.chat_id is not None or notice.user_id is not None
    if notice.kind == "delib-copy":
        assert notice.chat_id is not None
        subject = Subject(args["kind"], args["id"])
        photo = None
        if subject.kind == "proposal" and args["variant"] == "group":
            proposal = await session.get(Proposal, subject.id)
            photo = proposal.photo_file_id if proposal else None
        await notifier.copies.send(session, subject, args["variant"], notice.chat_id,
                                   context=args.get("context") or None, photo=photo,
                                   dedup_key=notice.dedup_key)  # fmt: skip
        return 1
    if notice.kind == "delib-file":
        assert notice.chat_id is not None
        t = notifier.catalog.translator(None)
        caption = t("delib-option-file", label=args["label"],
                    mark=choice_label(t, args["position"]))  # fmt: skip
        field = "photo" if args["method"] == "sendPhoto" else "document"
        await queue_message(session, notice.chat_id, args["method"],
                            {field: args["file"], "caption": caption},
                            dedup_key=notice.dedup_key)  # fmt: skip
        return 1
    key = args.pop("key")
    if notice.user_id is not None:
        user = await session.get(User, notice.user_id)
        assert user is not None
        language = user.language_or(notifier.catalog.default_language)
        t = notifier.catalog.translator(language)
        chat_id, user_id = user.telegram_id, user.id
    else:
        assert notice.chat_id is not None
        t = notifier.catalog.translator(None)
        chat_id, user_id = notice.chat_id, None
    text = t(key, **_message_args(t, args))
    await queue_message(session, chat_id, "sendMessage", message_payload(text, None),
                        user_id=user_id, dedup_key=notice.dedup_key)  # fmt: skip
    return 1


# --- the rhythm's reports ------------------------------------------------------------------


async def overdue_screening_digest(
    session: AsyncSession, t: Translator, community_id: int, now: datetime
) -> str | None:
    """The daily feedback's list of proposals not answered within their screening time."""
    overdue = await overdue_unscreened(session, community_id, now)
    if not overdue:
        return None
    lines = [t("delib-daily-overdue-title", count=len(overdue))]
    lines += [
        t("delib-daily-overdue-line", label=proposal_label(p), title=p.title,
          days=max(1, (now - p.screening_due_at).days), seconds=p.seconds)
        for p in overdue
    ]  # fmt: skip
    return "\n".join(lines)


async def month_summary_line(
    session: AsyncSession, t: Translator, community_id: int, start: datetime, end: datetime
) -> str | None:
    """The monthly summary's deliberation figures, or None in a month without any."""
    figures = await month_figures(session, community_id, start, end)
    if figures.empty:
        return None
    return t("delib-monthly", received=figures.received, in_time=figures.answered_in_time,
             voted=figures.voted, passed=figures.passed,
             implemented=figures.implemented)  # fmt: skip
