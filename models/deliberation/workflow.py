"""The six steps of a proposal: collect, screen, plan, vote, publish and follow through.

Every transition is a compare-and-set on the proposal's status, so of two staff pressing at the
same instant exactly one wins and a stale button changes nothing. A ballot is one row per voter
key, written by an upsert after the proposal row is locked by a guarded update, so a vote and
the close never interleave: a ballot is in the result or refused as late, never lost.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.copies import Subject, refresh
from models.deliberation.tables import (
    ABSTAIN,
    AGAINST,
    Proposal,
    ProposalCounter,
    ProposalEvent,
    ProposalObjection,
    ProposalOption,
    ProposalSecond,
    ProposalStatus,
    ProposalVote,
    Scope,
    Track,
    Whisper,
)
from models.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from models.members import Member, Residence, User, load_member
from models.notices import Notice, emit
from models.requests import Request, RequestKind, RequestStatus
from models.requests.intake import answer_duplicate, submit
from models.requests.workflow import request_label
from models.structure import Community, Grid, MicroGrid

TITLE_MAX = 60
TEXT_MAX = 1000
OPTION_MAX = 500
REASON_MAX = 500
WHISPER_MAX = 1000
MAX_OPTIONS = 6  # the vote keyboard keeps one row per option

DEFAULTS: dict[str, Any] = {
    "screening_days": 3,
    "seconds_to_prioritise": 10,
    "publicity_days": 5,
    "whisper_daily_limit": 3,
    "vote_per": "household",
    "tracks": {
        "urgent": {"hours": 24, "quorum": 0.0, "threshold": None},
        "minor": {"hours": 72, "quorum": 0.0, "threshold": None},
        "major": {"hours": 168, "quorum": 0.5, "threshold": 0.5},
    },
}
OPEN_STATUSES = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.ACCEPTED,
    ProposalStatus.VOTING,
    ProposalStatus.PASSED,
)
TASK_DONE = (RequestStatus.RESOLVED, RequestStatus.CLOSED, RequestStatus.REJECTED,
             RequestStatus.MERGED)  # fmt: skip


def settings_of(community: Community) -> dict[str, Any]:
    """The community's deliberation settings over the defaults (the structure file sets them)."""
    own = (community.settings or {}).get("deliberation", {})
    merged = {**DEFAULTS, **{k: v for k, v in own.items() if k != "tracks"}}
    merged["tracks"] = {
        track: {**rules, **own.get("tracks", {}).get(track, {})}
        for track, rules in DEFAULTS["tracks"].items()
    }
    return merged


def proposal_label(proposal: Proposal) -> str:
    return f"P-{proposal.number:04d}"


def parse_proposal_label(text: str) -> int | None:
    cleaned = text.strip().upper().replace("-", "").replace("#", "")
    if len(cleaned) < 2 or cleaned[0] != "P" or not cleaned[1:].isdigit():
        return None
    return int(cleaned[1:])


def clean(text: str | None, limit: int, empty_error: str) -> str:
    cleaned = "\n".join(line.strip() for line in (text or "").strip().splitlines()).strip()
    if not cleaned:
        raise InvalidInput(empty_error)
    if len(cleaned) > limit:
        raise InvalidInput("delib-too-long", max=limit, length=len(cleaned))
    return cleaned


def _insert(session: AsyncSession) -> Any:
    return pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert


async def _next_number(session: AsyncSession, community_id: int) -> int:
    take = (
        update(ProposalCounter)
        .where(ProposalCounter.community_id == community_id)
        .values(last_number=ProposalCounter.last_number + 1)
        .returning(ProposalCounter.last_number)
    )
    number = (await session.execute(take)).scalar_one_or_none()
    if number is not None:
        return number
    await session.execute(
        _insert(session)(ProposalCounter)
        .values(community_id=community_id, last_number=0)
        .on_conflict_do_nothing()
    )
    return (await session.execute(take)).scalar_one()


async def get_proposal(session: AsyncSession, proposal_id: int) -> Proposal:
    proposal = await session.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound("delib-not-found")
    return proposal


async def find_proposal(session: AsyncSession, community_id: int, label: str) -> Proposal:
    number = parse_proposal_label(label)
    if number is None:
        raise InvalidInput("delib-bad-number", text=label[:20])
    proposal = await session.scalar(
        select(Proposal).where(Proposal.community_id == community_id, Proposal.number == number)
    )
    if proposal is None:
        raise NotFound("delib-no-such-number", label=label.strip().upper()[:20])
    return proposal


def _record(session: AsyncSession, proposal: Proposal, actor_id: int | None, role: str,
            action: str, note: str | None = None) -> None:  # fmt: skip
    session.add(ProposalEvent(proposal_id=proposal.id, actor_id=actor_id, actor_role=role,
                              action=action, note=note, at=utcnow()))  # fmt: skip


async def _transition(
    session: AsyncSession, proposal: Proposal, allowed: tuple[ProposalStatus, ...],
    values: dict[str, Any],
) -> None:  # fmt: skip
    """Move the proposal on if it still stands where the caller saw it; InvalidState if
    someone else moved it first (their change is what the caller is told about)."""
    if proposal.status not in allowed:
        raise InvalidState("delib-stale", label=proposal_label(proposal))
    moved = await session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.version == proposal.version)
        .values(version=Proposal.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        await session.refresh(proposal)
        raise InvalidState("delib-stale", label=proposal_label(proposal))
    await session.refresh(proposal)


# --- who is who --------------------------------------------------------------------------


async def scope_micro_grids(session: AsyncSession, proposal: Proposal) -> list[MicroGrid]:
    query = select(MicroGrid).where(MicroGrid.community_id == proposal.community_id)
    if proposal.scope == Scope.MICRO_GRID:
        query = query.where(MicroGrid.id == proposal.micro_grid_id)
    elif proposal.scope == Scope.GRID:
        query = query.where(MicroGrid.grid_id == proposal.grid_id)
    return list((await session.scalars(query.order_by(MicroGrid.id))).all())


async def group_chats(session: AsyncSession, proposal: Proposal) -> list[int]:
    """The residents' groups of the proposal's scope."""
    return [m.chat_id for m in await scope_micro_grids(session, proposal) if m.chat_id]


def staff_role(member: Member, proposal: Proposal) -> str | None:
    """The role in which a member may screen and run a proposal, or None."""
    if member.is_admin_of(proposal.community_id):
        return "admin"
    if (
        proposal.scope != Scope.COMMUNITY
        and proposal.grid_id
        and member.is_worker_of(proposal.grid_id)
    ):
        return "grid_worker"
    return None


def _require_staff(member: Member, proposal: Proposal) -> str:
    role = staff_role(member, proposal)
    if role is None:
        raise NotAllowed("delib-staff-only")
    return role


async def _in_scope(session: AsyncSession, residence: Residence | None, proposal: Proposal) -> bool:
    if residence is None or residence.community_id != proposal.community_id:
        return False
    if proposal.scope == Scope.COMMUNITY:
        return True
    if proposal.scope == Scope.MICRO_GRID:
        return residence.micro_grid_id == proposal.micro_grid_id
    micro_grid = await session.get(MicroGrid, residence.micro_grid_id)
    return micro_grid is not None and micro_grid.grid_id == proposal.grid_id


def voter_key(residence: Residence, per: str) -> str:
    """A household votes once (a room of a building and unit); a resident who gave no room,
    or a community voting per person, votes as a person."""
    if per == "household" and residence.room:
        return f"h:{residence.building_id}:{residence.unit_id or 0}:{residence.room}"
    return f"u:{residence.user_id}"


async def eligible_voters(session: AsyncSession, proposal: Proposal, per: str) -> int:
    micro_ids = [m.id for m in await scope_micro_grids(session, proposal)]
    residences = (
        await session.scalars(select(Residence).where(Residence.micro_grid_id.in_(micro_ids)))
    ).all()
    return len({voter_key(residence, per) for residence in residences})


async def _screening_chat(session: AsyncSession, proposal: Proposal, level: int) -> int | None:
    """Where the screening card goes: the grid workers' group first (a proposal of a grid or
    micro-grid), the community admins' group otherwise and after escalation."""
    if level == 0 and proposal.scope != Scope.COMMUNITY and proposal.grid_id:
        grid = await session.get(Grid, proposal.grid_id)
        if grid is not None and grid.chat_id:
            return grid.chat_id
    community = await session.get(Community, proposal.community_id)
    return community.admin_chat_id if community else None


def _copy(session: AsyncSession, kind: str, subject_id: int, variant: str, chat_id: int,
          dedup: str, **context: Any) -> None:  # fmt: skip
    emit(session, Notice("delib-copy", chat_id=chat_id, dedup_key=dedup,
                         args={"kind": kind, "id": subject_id, "variant": variant,
                               "context": context}))  # fmt: skip


def _tell(session: AsyncSession, key: str, *, user_id: int | None = None,
          chat_id: int | None = None, dedup: str | None = None, **args: Any) -> None:  # fmt: skip
    emit(session, Notice("delib-message", user_id=user_id, chat_id=chat_id, dedup_key=dedup,
                         args={"key": key, **args}))  # fmt: skip


async def _tell_scope(session: AsyncSession, proposal: Proposal, key: str, admin_too: bool,
                      dedup: str, **args: Any) -> None:  # fmt: skip
    chats = await group_chats(session, proposal)
    if admin_too:
        community = await session.get(Community, proposal.community_id)
        if community and community.admin_chat_id:
            chats.append(community.admin_chat_id)
    for chat_id in chats:
        _tell(session, key, chat_id=chat_id, dedup=f"{dedup}:{chat_id}",
              label=proposal_label(proposal), **args)  # fmt: skip


# --- 1. collect ----------------------------------------------------------------------------


async def submit_proposal(
    session: AsyncSession, member: Member, title: str | None, text: str | None,
    scope: Scope, photo_file_id: str | None = None,
) -> Proposal:  # fmt: skip
    residence = member.residence
    if residence is None:
        raise NotAllowed("delib-register-first")
    title = clean(title, TITLE_MAX, "delib-title-empty").replace("\n", " ")
    text = clean(text, TEXT_MAX, "delib-text-empty")
    micro_grid = await session.get(MicroGrid, residence.micro_grid_id)
    community = await session.get(Community, residence.community_id)
    assert micro_grid is not None and community is not None
    now = utcnow()
    proposal = Proposal(
        community_id=community.id,
        number=await _next_number(session, community.id),
        scope=scope,
        grid_id=micro_grid.grid_id if scope != Scope.COMMUNITY else None,
        micro_grid_id=micro_grid.id if scope == Scope.MICRO_GRID else None,
        proposer_id=member.user.id, title=title, text=text, photo_file_id=photo_file_id,
        status=ProposalStatus.SUBMITTED, version=0, seconds=0, escalation=0,
        screening_due_at=now + timedelta(days=settings_of(community)["screening_days"]),
        created_at=now,
    )  # fmt: skip
    session.add(proposal)
    await session.flush()
    _record(session, proposal, member.user.id, "resident", "submit")
    _tell(session, "delib-receipt", user_id=member.user.id, dedup=f"p{proposal.id}:receipt",
          label=proposal_label(proposal), title=title,
          days=settings_of(community)["screening_days"])  # fmt: skip
    for chat_id in await group_chats(session, proposal):
        _copy(session, "proposal", proposal.id, "group", chat_id, f"p{proposal.id}:card:{chat_id}")
    staff_chat = await _screening_chat(session, proposal, 0)
    if staff_chat:
        _copy(session, "proposal", proposal.id, "staff", staff_chat,
              f"p{proposal.id}:staff:{staff_chat}")  # fmt: skip
    return proposal


async def second(session: AsyncSession, member: Member, proposal_id: int) -> Proposal:
    """附议: one per registered resident of the proposal's scope, while it is open."""
    proposal = await get_proposal(session, proposal_id)
    if proposal.status not in (ProposalStatus.SUBMITTED, ProposalStatus.ACCEPTED):
        raise InvalidState("delib-second-closed", label=proposal_label(proposal))
    if member.residence is None:
        raise NotAllowed("delib-register-first")
    if not await _in_scope(session, member.residence, proposal):
        raise NotAllowed("delib-outside-scope", label=proposal_label(proposal))
    if proposal.proposer_id == member.user.id:
        raise NotAllowed("delib-own-proposal")
    added = await session.execute(
        _insert(session)(ProposalSecond)
        .values(proposal_id=proposal.id, user_id=member.user.id, at=utcnow())
        .on_conflict_do_nothing()
    )
    if added.rowcount != 1:
        raise InvalidState("delib-seconded-already", label=proposal_label(proposal))
    await session.execute(
        update(Proposal).where(Proposal.id == proposal.id)
        .values(seconds=Proposal.seconds + 1).execution_options(synchronize_session=False)
    )  # fmt: skip
    await session.refresh(proposal)
    community = await session.get(Community, proposal.community_id)
    assert community is not None
    if (proposal.status == ProposalStatus.SUBMITTED
            and proposal.seconds == settings_of(community)["seconds_to_prioritise"]):  # fmt: skip
        staff_chat = await _screening_chat(session, proposal, proposal.escalation)
        if staff_chat:
            _tell(session, "delib-prioritised", chat_id=staff_chat, dedup=f"p{proposal.id}:prio",
                  label=proposal_label(proposal), seconds=proposal.seconds)  # fmt: skip
    refresh(session, Subject("proposal", proposal.id))
    return proposal


# --- 2. screen -----------------------------------------------------------------------------


async def accept(session: AsyncSession, member: Member, proposal_id: int, track: str) -> Proposal:
    """立项 on a track (大事 / 小事 / 急事)."""
    proposal = await get_proposal(session, proposal_id)
    role = _require_staff(member, proposal)
    if track not in {t.value for t in Track}:
        raise InvalidInput("delib-stale-button")
    now = utcnow()
    await _transition(session, proposal, (ProposalStatus.SUBMITTED,), {
        "status": ProposalStatus.ACCEPTED, "track": Track(track),
        "screened_by_id": member.user.id, "screened_at": now,
    })  # fmt: skip
    _record(session, proposal, member.user.id, role, "accept", track)
    _tell(session, "delib-accepted-notice", user_id=proposal.proposer_id,
          dedup=f"p{proposal.id}:accepted", label=proposal_label(proposal),
          track=track)  # fmt: skip
    refresh(session, Subject("proposal", proposal.id))
    return proposal


async def decline(
    session: AsyncSession, member: Member, proposal_id: int, reason: str | None
) -> Proposal:
    """不予立项, with a reason the proposer is told (提议事事有回音)."""
    proposal = await get_proposal(session, proposal_id)
    role = _require_staff(member, proposal)
    reason = clean(reason, REASON_MAX, "delib-reason-empty")
    await _transition(session, proposal, (ProposalStatus.SUBMITTED,), {
        "status": ProposalStatus.DECLINED, "decline_reason": reason,
        "screened_by_id": member.user.id, "screened_at": utcnow(),
    })  # fmt: skip
    _record(session, proposal, member.user.id, role, "decline", reason)
    _tell(session, "delib-declined-notice", user_id=proposal.proposer_id,
          dedup=f"p{proposal.id}:declined", label=proposal_label(proposal),
          reason=reason)  # fmt: skip
    refresh(session, Subject("proposal", proposal.id))
    return proposal


async def merge(
    session: AsyncSession, member: Member, proposal_id: int, into_label: str
) -> tuple[Proposal, Proposal]:
    """合并 into another open proposal of the community; the seconds stay with each."""
    proposal = await get_proposal(session, proposal_id)
    role = _require_staff(member, proposal)
    target = await find_proposal(session, proposal.community_id, into_label)
    if target.id == proposal.id or target.status not in OPEN_STATUSES[:3]:
        raise InvalidInput("delib-merge-target", label=proposal_label(target))
    await _transition(session, proposal, (ProposalStatus.SUBMITTED,), {
        "status": ProposalStatus.MERGED, "merged_into_id": target.id,
        "screened_by_id": member.user.id, "screened_at": utcnow(),
    })  # fmt: skip
    _record(session, proposal, member.user.id, role, "merge", proposal_label(target))
    _tell(session, "delib-merged-notice", user_id=proposal.proposer_id,
          dedup=f"p{proposal.id}:merged", label=proposal_label(proposal),
          into=proposal_label(target), title=target.title)  # fmt: skip
    refresh(session, Subject("proposal", proposal.id))
    return proposal, target


async def overdue_screening(session: AsyncSession, now: datetime) -> list[int]:
    """Proposals past their screening time and not yet moved up."""
    query = select(Proposal.id).where(
        Proposal.status == ProposalStatus.SUBMITTED,
        Proposal.screening_due_at <= now,
        Proposal.escalation == 0,
    )
    return list((await session.scalars(query.order_by(Proposal.id))).all())


async def escalate_screening(session: AsyncSession, proposal_id: int) -> bool:
    """Move an unanswered proposal up one level: its screening card goes to the community
    admins, marked overdue. False when it was answered or moved meanwhile."""
    proposal = await get_proposal(session, proposal_id)
    if proposal.status != ProposalStatus.SUBMITTED or proposal.escalation != 0:
        return False
    before = await _screening_chat(session, proposal, 0)
    await _transition(session, proposal, (ProposalStatus.SUBMITTED,), {"escalation": 1})
    _record(session, proposal, None, "system", "escalate")
    after = await _screening_chat(session, proposal, 1)
    if after:
        if after != before:
            _copy(session, "proposal", proposal.id, "staff", after,
                  f"p{proposal.id}:staff:{after}", overdue=True)  # fmt: skip
        else:
            _tell(session, "delib-overdue-notice", chat_id=after, dedup=f"p{proposal.id}:overdue",
                  label=proposal_label(proposal))  # fmt: skip
    return True


async def awaiting_screening(session: AsyncSession, community_id: int) -> list[Proposal]:
    """The screening queue: enough seconds put a proposal first, then the oldest."""
    community = await session.get(Community, community_id)
    assert community is not None
    enough = settings_of(community)["seconds_to_prioritise"]
    query = (
        select(Proposal)
        .where(Proposal.community_id == community_id, Proposal.status == ProposalStatus.SUBMITTED)
        .order_by((Proposal.seconds >= enough).desc(), Proposal.created_at, Proposal.id)
    )
    return list((await session.scalars(query)).all())


# --- 3. plan -------------------------------------------------------------------------------


async def options_of(session: AsyncSession, proposal_id: int) -> list[ProposalOption]:
    query = select(ProposalOption).where(ProposalOption.proposal_id == proposal_id)
    return list((await session.scalars(query.order_by(ProposalOption.position))).all())


async def add_option(
    session: AsyncSession, member: Member, proposal_id: int, text: str | None,
    photo_file_id: str | None = None, document_file_id: str | None = None,
) -> ProposalOption:  # fmt: skip
    proposal = await get_proposal(session, proposal_id)
    role = _require_staff(member, proposal)
    text = clean(text, OPTION_MAX, "delib-option-empty")
    if proposal.status != ProposalStatus.ACCEPTED:
        raise InvalidState("delib-stale", label=proposal_label(proposal))
    # Lock the proposal while numbering, so two staff adding at once get 1 and 2.
    await _transition(session, proposal, (ProposalStatus.ACCEPTED,), {})
    count = await session.scalar(
        select(func.count()).where(ProposalOption.proposal_id == proposal.id)
    )
    if count >= MAX_OPTIONS:
        raise InvalidInput("delib-too-many-options", max=MAX_OPTIONS)
    option = ProposalOption(proposal_id=proposal.id, position=count + 1, text=text,
                            photo_file_id=photo_file_id, document_file_id=document_file_id,
                            added_by_id=member.user.id, at=utcnow())  # fmt: skip
    session.add(option)
    await session.flush()
    _record(session, proposal, member.user.id, role, "option", text)
    refresh(session, Subject("proposal", proposal.id))
    return option


async def open_vote(session: AsyncSession, member: Member, proposal_id: int) -> Proposal:
    proposal = await get_proposal(session, proposal_id)
    role = _require_staff(member, proposal)
    options = await options_of(session, proposal.id)
    if not options:
        raise InvalidState("delib-no-options", label=proposal_label(proposal))
    community = await session.get(Community, proposal.community_id)
    assert community is not None and proposal.track is not None
    settings = settings_of(community)
    rules = {**settings["tracks"][proposal.track.value], "per": settings["vote_per"]}
    now = utcnow()
    await _transition(session, proposal, (ProposalStatus.ACCEPTED,), {
        "status": ProposalStatus.VOTING, "vote_opened_at": now, "rules": rules,
        "vote_closes_at": now + timedelta(hours=rules["hours"]),
    })  # fmt: skip
    _record(session, proposal, member.user.id, role, "open_vote")
    for chat_id in await group_chats(session, proposal):
        # An option's photo or file goes before the ballot, so residents see what they vote on.
        for option in options:
            for method, file_id in (("sendPhoto", option.photo_file_id),
                                    ("sendDocument", option.document_file_id)):  # fmt: skip
                if file_id:
                    emit(session, Notice("delib-file", chat_id=chat_id,
                                         dedup_key=f"option:{option.id}:{method}:{chat_id}",
                                         args={"method": method, "file": file_id,
                                               "label": proposal_label(proposal),
                                               "position": option.position}))  # fmt: skip
        _copy(session, "proposal", proposal.id, "vote", chat_id, f"p{proposal.id}:vote:{chat_id}")
    refresh(session, Subject("proposal", proposal.id))
    return proposal


# --- 4. vote -------------------------------------------------------------------------------


async def tally(session: AsyncSession, proposal_id: int) -> Counter[int]:
    rows = await session.execute(
        select(ProposalVote.choice, func.count())
        .where(ProposalVote.proposal_id == proposal_id)
        .group_by(ProposalVote.choice)
    )
    return Counter({choice: count for choice, count in rows.all()})


@dataclass
class Ballot:
    proposal: Proposal
    choice: int
    replaced: bool  # the household had voted already: its vote now counts as this one


async def cast_vote(session: AsyncSession, member: Member, proposal_id: int, choice: int) -> Ballot:
    proposal = await get_proposal(session, proposal_id)
    if member.residence is None:
        raise NotAllowed("delib-register-first")
    if not await _in_scope(session, member.residence, proposal):
        raise NotAllowed("delib-outside-scope", label=proposal_label(proposal))
    if proposal.status != ProposalStatus.VOTING:
        raise InvalidState("delib-vote-closed", label=proposal_label(proposal))
    positions = {o.position for o in await options_of(session, proposal.id)}
    if choice not in positions | {AGAINST, ABSTAIN}:
        raise InvalidInput("delib-stale-button")
    # Holds the proposal row until commit: the close waits for this ballot, or this ballot
    # sees the vote closed.
    locked = await session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.status == ProposalStatus.VOTING,
               Proposal.vote_closes_at > utcnow())
        .values(version=Proposal.version)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    if locked.rowcount != 1:
        raise InvalidState("delib-vote-closed", label=proposal_label(proposal))
    assert proposal.rules is not None
    key = voter_key(member.residence, proposal.rules["per"])
    previous = await session.scalar(
        select(ProposalVote.choice).where(
            ProposalVote.proposal_id == proposal.id, ProposalVote.voter_key == key
        )
    )
    insert = _insert(session)(ProposalVote).values(
        proposal_id=proposal.id, voter_key=key, user_id=member.user.id, choice=choice, at=utcnow()
    )
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=["proposal_id", "voter_key"],
            set_={"choice": insert.excluded.choice, "user_id": insert.excluded.user_id,
                  "at": insert.excluded.at},
        )
    )  # fmt: skip
    refresh(session, Subject("proposal", proposal.id))
    return Ballot(proposal, choice, previous is not None)


def decide(counts: Counter[int], options: list[int], eligible: int,
           rules: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    """The result of a vote under its track's rules.

    Simple majority (no threshold): the leading option has more votes than every other option
    and than 反对. With a threshold: the leading option has more than that share of all votes
    cast (abstentions included). A quorum is a share of the eligible households (or people)."""
    voters = sum(counts.values())
    turnout = voters / eligible if eligible else 0.0
    ranked = sorted(options, key=lambda p: counts.get(p, 0), reverse=True)
    best = ranked[0] if ranked else None
    best_votes = counts.get(best, 0) if best is not None else 0
    unique = (
        best is not None
        and best_votes > 0
        and all(counts.get(p, 0) < best_votes for p in ranked[1:])
    )
    quorum_met = turnout >= float(rules.get("quorum") or 0)
    threshold = rules.get("threshold")
    if threshold is None:
        carried = unique and best_votes > counts.get(AGAINST, 0)
    else:
        carried = unique and best_votes > float(threshold) * voters
    return {
        "counts": {str(choice): n for choice, n in sorted(counts.items())},
        "voters": voters, "eligible": eligible, "turnout": round(turnout, 4),
        "quorum_met": quorum_met, "winner": best if carried and quorum_met else None,
        "passed": bool(carried and quorum_met),
    }  # fmt: skip


async def close_vote(
    session: AsyncSession, proposal_id: int, member: Member | None = None,
    now: datetime | None = None,
) -> Proposal:  # fmt: skip
    """Close a vote: by staff early, or by the scheduled job at its deadline (member None).
    Exactly once: the guarded update lets one closer through."""
    proposal = await get_proposal(session, proposal_id)
    role = _require_staff(member, proposal) if member is not None else "system"
    now = now or utcnow()
    if member is None and (proposal.vote_closes_at is None or proposal.vote_closes_at > now):
        raise InvalidState("delib-stale", label=proposal_label(proposal))
    if proposal.status != ProposalStatus.VOTING:
        raise InvalidState("delib-vote-closed", label=proposal_label(proposal))
    closed = await session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.status == ProposalStatus.VOTING)
        .values(status=ProposalStatus.FAILED, closed_at=now, version=Proposal.version + 1,
                closed_by_id=member.user.id if member else None)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    if closed.rowcount != 1:
        raise InvalidState("delib-vote-closed", label=proposal_label(proposal))
    await session.refresh(proposal)
    assert proposal.rules is not None
    community = await session.get(Community, proposal.community_id)
    assert community is not None
    positions = [o.position for o in await options_of(session, proposal.id)]
    eligible = await eligible_voters(session, proposal, proposal.rules["per"])
    result = decide(await tally(session, proposal.id), positions, eligible, proposal.rules)
    proposal.result = result
    proposal.status = ProposalStatus.PASSED if result["passed"] else ProposalStatus.FAILED
    proposal.publicity_until = now + timedelta(days=settings_of(community)["publicity_days"])
    await session.flush()
    _record(session, proposal, member.user.id if member else None, role, "close",
            "passed" if result["passed"] else "failed")  # fmt: skip
    chats = await group_chats(session, proposal)
    if community.admin_chat_id:
        chats.append(community.admin_chat_id)
    for chat_id in chats:
        _copy(session, "proposal", proposal.id, "result", chat_id,
              f"p{proposal.id}:result:{chat_id}")  # fmt: skip
    _tell(session, "delib-result-notice", user_id=proposal.proposer_id,
          dedup=f"p{proposal.id}:result", label=proposal_label(proposal),
          passed="yes" if result["passed"] else "no")  # fmt: skip
    refresh(session, Subject("proposal", proposal.id))
    return proposal


async def due_votes(session: AsyncSession, now: datetime) -> list[int]:
    query = select(Proposal.id).where(
        Proposal.status == ProposalStatus.VOTING, Proposal.vote_closes_at <= now
    )
    return list((await session.scalars(query.order_by(Proposal.id))).all())


# --- 5. publish and follow through ---------------------------------------------------------


CLOSED_VOTE = (ProposalStatus.PASSED, ProposalStatus.FAILED, ProposalStatus.IMPLEMENTED)


async def object_to(
    session: AsyncSession, member: Member, proposal_id: int, text: str | None
) -> ProposalObjection:
    """异议 during the publicity period, from a resident of the scope; staff are told."""
    proposal = await get_proposal(session, proposal_id)
    check_can_object(proposal)
    if not await _in_scope(session, member.residence, proposal):
        raise NotAllowed("delib-outside-scope", label=proposal_label(proposal))
    text = clean(text, REASON_MAX, "delib-objection-empty")
    objection = ProposalObjection(proposal_id=proposal.id, user_id=member.user.id, text=text,
                                  at=utcnow())  # fmt: skip
    session.add(objection)
    await session.flush()
    _record(session, proposal, member.user.id, "resident", "objection", text)
    staff_chat = await _screening_chat(session, proposal, 1)
    if staff_chat:
        _tell(session, "delib-objection-notice", chat_id=staff_chat,
              dedup=f"objection:{objection.id}", label=proposal_label(proposal),
              text=text)  # fmt: skip
    return objection


def check_can_object(proposal: Proposal) -> None:
    if (proposal.status not in CLOSED_VOTE or proposal.publicity_until is None
            or proposal.publicity_until <= utcnow()):  # fmt: skip
        raise InvalidState("delib-publicity-over", label=proposal_label(proposal))


async def tasks_of(session: AsyncSession, proposal_id: int) -> list[Request]:
    query = select(Request).where(Request.proposal_id == proposal_id).order_by(Request.id)
    return list((await session.scalars(query)).all())


async def add_task(
    session: AsyncSession, member: Member, proposal_id: int, text: str | None
) -> Request:
    """An implementation task of a passed proposal: an ordinary request (claimable, with its
    deadlines and rating) on the proposer's behalf, so they follow its progress."""
    proposal = await get_proposal(session, proposal_id)
    role = _require_staff(member, proposal)
    if proposal.status != ProposalStatus.PASSED:
        raise InvalidState("delib-not-passed", label=proposal_label(proposal))
    user = await session.get(User, proposal.proposer_id)
    assert user is not None
    on_behalf = await load_member(session, user)
    if on_behalf.residence is None:
        raise NotAllowed("delib-proposer-moved")
    body = f"[{proposal_label(proposal)}] " + clean(text, OPTION_MAX, "delib-task-empty")
    submitted = await submit(session, on_behalf, RequestKind.REPORT, body)
    request = submitted.request
    if submitted.duplicate_of is not None:
        await answer_duplicate(session, on_behalf, request.id, submitted.duplicate_of.id, False)
    request.proposal_id = proposal.id
    await session.flush()
    _record(session, proposal, member.user.id, role, "task", request_label(request))
    await _tell_scope(session, proposal, "delib-task-notice", False, f"task:{request.id}",
                      task=request_label(request))  # fmt: skip
    refresh(session, Subject("proposal", proposal.id))
    return request


async def mark_implemented(session: AsyncSession, member: Member, proposal_id: int) -> Proposal:
    proposal = await get_proposal(session, proposal_id)
    role = _require_staff(member, proposal)
    open_tasks = [r for r in await tasks_of(session, proposal.id) if r.status not in TASK_DONE]
    if proposal.status == ProposalStatus.PASSED and open_tasks:
        raise InvalidState("delib-tasks-open", label=proposal_label(proposal),
                           tasks=", ".join(request_label(r) for r in open_tasks))  # fmt: skip
    await _transition(session, proposal, (ProposalStatus.PASSED,), {
        "status": ProposalStatus.IMPLEMENTED, "implemented_at": utcnow(),
    })  # fmt: skip
    _record(session, proposal, member.user.id, role, "implemented")
    await _tell_scope(session, proposal, "delib-implemented-notice", False,
                      f"p{proposal.id}:implemented", title=proposal.title)  # fmt: skip
    _tell(session, "delib-implemented-notice", user_id=proposal.proposer_id,
          dedup=f"p{proposal.id}:implemented:proposer", label=proposal_label(proposal),
          title=proposal.title)  # fmt: skip
    refresh(session, Subject("proposal", proposal.id))
    return proposal


# --- 6. archive and lists ------------------------------------------------------------------


async def passed_proposals(session: AsyncSession, community_id: int) -> list[Proposal]:
    """Proposals the residents passed (being implemented or implemented), oldest first: what
    projects and funds can be tied to."""
    query = select(Proposal).where(
        Proposal.community_id == community_id,
        Proposal.status.in_((ProposalStatus.PASSED, ProposalStatus.IMPLEMENTED)),
    )
    return list((await session.scalars(query.order_by(Proposal.number))).all())


@dataclass
class Topics:
    mine: list[Proposal]
    to_vote: list[tuple[Proposal, bool]]  # and whether the household voted already
    to_screen: list[Proposal]


async def topics_for(session: AsyncSession, member: Member) -> Topics:
    mine = list((await session.scalars(
        select(Proposal).where(Proposal.proposer_id == member.user.id,
                               Proposal.status.in_(OPEN_STATUSES)).order_by(Proposal.id)
    )).all())  # fmt: skip
    to_vote: list[tuple[Proposal, bool]] = []
    residence = member.residence
    if residence is not None:
        voting = (await session.scalars(
            select(Proposal).where(Proposal.community_id == residence.community_id,
                                   Proposal.status == ProposalStatus.VOTING).order_by(Proposal.id)
        )).all()  # fmt: skip
        for proposal in voting:
            if await _in_scope(session, residence, proposal):
                assert proposal.rules is not None
                voted = await session.scalar(select(ProposalVote.id).where(
                    ProposalVote.proposal_id == proposal.id,
                    ProposalVote.voter_key == voter_key(residence, proposal.rules["per"]),
                ))  # fmt: skip
                to_vote.append((proposal, voted is not None))
    to_screen: list[Proposal] = []
    for community_id in {r.community_id for r in member.roles}:
        for proposal in await awaiting_screening(session, community_id):
            if staff_role(member, proposal):
                to_screen.append(proposal)
    return Topics(mine, to_vote, to_screen)


# --- the anonymous mailbox -----------------------------------------------------------------


async def send_whisper(session: AsyncSession, member: Member, text: str | None) -> Whisper:
    """大树下的悄悄话: the text goes to the community admins as written, with nothing about
    who sent it; a sender may send a few a day (their community's local day)."""
    if member.residence is None:
        raise NotAllowed("delib-register-first")
    text = clean(text, WHISPER_MAX, "delib-whisper-empty")
    community = await session.get(Community, member.residence.community_id)
    assert community is not None
    limit = int(settings_of(community)["whisper_daily_limit"])
    local_now = utcnow().astimezone(ZoneInfo(community.timezone))
    day_start = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    sent = await session.scalar(
        select(func.count()).where(Whisper.sender_id == member.user.id, Whisper.at >= day_start)
    )
    if sent >= limit:
        raise NotAllowed("delib-whisper-limit", limit=limit)
    whisper = Whisper(community_id=community.id, sender_id=member.user.id, text=text, at=utcnow())
    session.add(whisper)
    await session.flush()
    if community.admin_chat_id:
        _copy(session, "whisper", whisper.id, "staff", community.admin_chat_id,
              f"whisper:{whisper.id}")  # fmt: skip
    return whisper


async def answer_whisper(
    session: AsyncSession, member: Member, whisper_id: int, text: str | None
) -> Whisper:
    whisper = await session.get(Whisper, whisper_id)
    if whisper is None:
        raise NotFound("delib-not-found")
    if not member.is_admin_of(whisper.community_id):
        raise NotAllowed("delib-staff-only")
    text = clean(text, WHISPER_MAX, "delib-answer-empty")
    answered = await session.execute(
        update(Whisper)
        .where(Whisper.id == whisper.id, Whisper.answered_at.is_(None))
        .values(answer=text, answered_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if answered.rowcount != 1:
        raise InvalidState("delib-whisper-answered")
    await session.refresh(whisper)
    _tell(session, "delib-whisper-answer", user_id=whisper.sender_id,
          dedup=f"whisper-answer:{whisper.id}", text=text, asked=whisper.text[:100])  # fmt: skip
    refresh(session, Subject("whisper", whisper.id))
    return whisper


async def community_proposals(
    session: AsyncSession, community_id: int, status: ProposalStatus | None = None
) -> list[Proposal]:
    """A community's proposals, newest first (at most 500), optionally of one status."""
    query = select(Proposal).where(Proposal.community_id == community_id)
    if status is not None:
        query = query.where(Proposal.status == status)
    return list((await session.scalars(query.order_by(Proposal.number.desc()).limit(500))).all())
