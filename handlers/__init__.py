"""Chat features, one router per feature; order matters: the fallback router is last."""

from aiogram import Router


def feature_routers() -> list[Router]:
    """Fresh routers (a router can belong to one dispatcher only). `mine` comes before `start`
    so a follow link (`/start req-…`) is not taken for registration."""
    from handlers import (
        admin,
        care,
        checkins,
        deliberation,
        fallback,
        help,
        intake,
        mine,
        points,
        services,
        sos,
        start,
        tasks,
        web,
    )
    from handlers.party import build_router as party_router
    from handlers.whistle import build_router as whistle_router

    return [
        mine.build_router(),
        start.build_router(),
        admin.build_router(),
        intake.build_router(),
        tasks.build_router(),
        points.build_router(),
        checkins.build_router(),
        deliberation.build_router(),
        help.build_router(),
        web.build_router(),
        sos.build_router(),
        care.build_router(),
        services.build_router(),
        party_router(),
        whistle_router(),
        fallback.build_router(),
    ]
