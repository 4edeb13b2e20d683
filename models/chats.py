"""Binding group chats to micro-grids, with the permission rule for who may do it."""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from models.errors import InvalidInput, NotAllowed, NotFound
from models.members import Member
from models.structure import MicroGrid, bind_chat, find_micro_grid, get_community


@dataclass
class BindResult:
    micro_grid: MicroGrid
    community_name: str
    released: MicroGrid | None  # the micro-grid this chat was bound to before, if another


async def bind_group(session: AsyncSession, member: Member, name: str, chat_id: int) -> BindResult:
    """Bind a group to the micro-grid named `name` ("社区/微网格" when a name is ambiguous).

    Only an admin of the micro-grid's community (or a super-admin) may bind.
    """
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("bind-usage")
    community_name, _, micro_name = name.rpartition("/")
    candidates = await find_micro_grid(session, micro_name)
    if community_name:
        candidates = [
            m
            for m in candidates
            if (await get_community(session, m.community_id)).name == community_name.strip()
        ]
    if not candidates:
        raise NotFound("bind-not-found", name=name)
    allowed = [m for m in candidates if member.is_admin_of(m.community_id)]
    if not allowed:
        raise NotAllowed("bind-not-admin")
    if len(allowed) > 1:
        raise InvalidInput("bind-ambiguous", name=micro_name)
    micro_grid = allowed[0]
    released = await bind_chat(session, micro_grid, chat_id)
    community = await get_community(session, micro_grid.community_id)
    return BindResult(micro_grid=micro_grid, community_name=community.name, released=released)
