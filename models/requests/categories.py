"""Request categories: defaults seeded per community, each with deadlines and a routing level."""

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.requests.tables import Category, RoutingLevel
from models.structure import (
    cache_structure_rows,
    cached_structure_query,
    cached_structure_values,
)

cache_structure_rows(Category)

H = 60  # minutes in an hour


@dataclass(frozen=True)
class CategoryDefault:
    code: str
    name_zh: str
    name_en: str
    claim_minutes: int
    resolve_minutes: int
    routing_level: RoutingLevel
    keywords: tuple[str, ...]


DEFAULT_CATEGORIES = (
    CategoryDefault(
        "lighting",
        "照明",
        "Lighting",
        4 * H,
        48 * H,
        RoutingLevel.MICRO_GRID,
        ("灯", "照明", "路灯", "light", "lamp"),
    ),
    CategoryDefault(
        "parking",
        "停车",
        "Parking",
        4 * H,
        72 * H,
        RoutingLevel.MICRO_GRID,
        ("停车", "车位", "堵车", "占道", "parking", "car"),
    ),
    CategoryDefault(
        "noise",
        "噪音",
        "Noise",
        2 * H,
        24 * H,
        RoutingLevel.MICRO_GRID,
        ("噪音", "吵", "装修声", "noise", "loud"),
    ),
    CategoryDefault(
        "hygiene",
        "环境卫生",
        "Hygiene",
        4 * H,
        48 * H,
        RoutingLevel.MICRO_GRID,
        ("垃圾", "卫生", "脏", "异味", "清扫", "rubbish", "trash", "dirty"),
    ),
    CategoryDefault(
        "dispute",
        "邻里纠纷",
        "Neighbour dispute",
        4 * H,
        72 * H,
        RoutingLevel.GRID,
        ("纠纷", "吵架", "矛盾", "邻居", "dispute", "neighbour"),
    ),
    CategoryDefault(
        "hazard",
        "安全隐患",
        "Safety hazard",
        1 * H,
        24 * H,
        RoutingLevel.MICRO_GRID,
        ("隐患", "危险", "电线", "燃气", "消防", "hazard", "danger", "fire", "gas"),
    ),
    CategoryDefault(
        "repair",
        "设施报修",
        "Facility repair",
        4 * H,
        72 * H,
        RoutingLevel.MICRO_GRID,
        ("坏", "维修", "报修", "漏水", "电梯", "门禁", "repair", "broken", "leak"),
    ),
    CategoryDefault(
        "elderly",
        "助老服务",
        "Elderly help",
        4 * H,
        48 * H,
        RoutingLevel.MICRO_GRID,
        ("老人", "助老", "独居", "轮椅", "elderly", "wheelchair"),
    ),
    CategoryDefault("other", "其他", "Other", 8 * H, 96 * H, RoutingLevel.MICRO_GRID, ()),
)
FALLBACK_CODE = "other"
URGENT_CLAIM_MINUTES = 30
URGENT_RESOLVE_MINUTES = 12 * H


async def ensure_categories(session: AsyncSession, community_id: int) -> int:
    """Add the default categories a community lacks; admins' edits are kept. Returns added."""
    existing = set(
        (
            await session.scalars(
                select(Category.code).where(Category.community_id == community_id)
            )
        ).all()
    )
    added = 0
    for order, default in enumerate(DEFAULT_CATEGORIES):
        if default.code in existing:
            continue
        session.add(
            Category(
                community_id=community_id,
                code=default.code,
                name_zh=default.name_zh,
                name_en=default.name_en,
                claim_minutes=default.claim_minutes,
                resolve_minutes=default.resolve_minutes,
                routing_level=default.routing_level,
                sort_order=order,
            )
        )
        added += 1
    await session.flush()
    return added


_ACTIVE = (Category.community_id == bindparam("community_id"), Category.active.is_(True))
_ORDER = (Category.sort_order, Category.id)
_ACTIVE_CATEGORIES = select(Category).where(*_ACTIVE).order_by(*_ORDER)
_ACTIVE_CODES = select(Category.code, Category.id).where(*_ACTIVE).order_by(*_ORDER)


async def list_categories(session: AsyncSession, community_id: int) -> list[Category]:
    key, params = ("active-categories", community_id), {"community_id": community_id}
    return await cached_structure_query(session, key, _ACTIVE_CATEGORIES, params)


async def guess_category(session: AsyncSession, community_id: int, text: str) -> int:
    """The category for a one-message report, from its words; "other" when none fits."""
    lowered = text.lower()
    key, params = ("active-category-codes", community_id), {"community_id": community_id}
    ids = dict(await cached_structure_values(session, key, _ACTIVE_CODES, params))
    for default in DEFAULT_CATEGORIES:
        if default.code in ids and any(word in lowered for word in default.keywords):
            return ids[default.code]
    fallback = ids.get(FALLBACK_CODE) or next(iter(ids.values()), None)
    if fallback is None:
        await ensure_categories(session, community_id)
        return await guess_category(session, community_id, text)
    return fallback
