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
        fund,
        help,
        intake,
        mine,
        party,
        points,
        resources,
        services,
        sos,
        start,
        tasks,
        web,
        whistle,
    )

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
        party.build_router(),
        whistle.build_router(),
        services.build_router(),
        fund.build_router(),
        resources.build_router(),
        fallback.build_router(),
    ]
