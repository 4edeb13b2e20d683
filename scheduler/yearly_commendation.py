"""每年一表彰: the honour roll of volunteers, leaders and micro-grids, posted to every group of
the community."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.notifier import message_payload
from bot.outbox import enqueue
from models.party.pledges import pledge_keepers
from models.reports import honour_roll
from models.structure import Grid, MicroGrid
from scheduler.context import JobCall, JobContext
from scheduler.service_sections import yearly_text as services_yearly


async def community_chats(
    session: AsyncSession, community_id: int, admin_chat: int | None
) -> list[int]:
    chats: list[int] = [admin_chat] if admin_chat else []
    grids = (await session.scalars(select(Grid).where(Grid.community_id == community_id))).all()
    micro = (
        await session.scalars(select(MicroGrid).where(MicroGrid.community_id == community_id))
    ).all()
    for chat in [g.chat_id for g in grids] + [
        c for m in micro for c in (m.chat_id, m.leaders_chat_id)
    ]:
        if chat and chat not in chats:
            chats.append(chat)
    return chats


async def run(ctx: JobContext, session: AsyncSession, call: JobCall) -> dict[str, Any]:
    community, due = call.community, call.due
    roll = await honour_roll(session, community.id, due.start, due.end)
    keepers = await pledge_keepers(session, community.id, int(due.period))
    t = ctx.catalog.translator(None)
    stars = await services_yearly(session, community, due.period, t)
    if not (roll.volunteers or roll.leaders or roll.micro_grids or keepers or stars):
        return {"sent": 0}

    def listing(rows: list[str]) -> str:
        return "\n".join(f"{n}. {row}" for n, row in enumerate(rows, 1)) or "-"

    text = t(
        "yearly-roll",
        year=due.period,
        community=community.name,
        volunteers=listing([t("yearly-volunteer", name=name, points=points)
                            for name, points in roll.volunteers]),
        leaders=listing([t("yearly-leader", name=name, count=count)
                         for name, count in roll.leaders]),
        micro_grids=listing([
            t("yearly-micro-grid", name=name, resolved=resolved,
              rate="-" if rate is None else f"{rate}%")
            for name, resolved, rate in roll.micro_grids
        ]),
    )  # fmt: skip
    if keepers:
        kept = [t("party-yearly-keeper", name=name, count=count) for name, count in keepers]
        text += "\n\n" + t("party-yearly-pledges", names=listing(kept))
    text += f"\n\n{stars}" if stars else ""
    sent = 0
    for chat in await community_chats(session, community.id, community.admin_chat_id):
        sent += await enqueue(session, chat, message_payload(text, None),
                              dedup_key=f"yearly:{community.id}:{due.period}:{chat}")  # fmt: skip
    return {"sent": sent}
