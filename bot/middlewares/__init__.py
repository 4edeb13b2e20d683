"""Update middlewares, outermost first: metrics → errors → flood limit → DB session → member."""

from bot.middlewares.database import DbSessionMiddleware
from bot.middlewares.errors import ErrorBoundaryMiddleware, UpdateDeferred
from bot.middlewares.member import MemberMiddleware
from bot.middlewares.metrics import MetricsMiddleware
from bot.middlewares.throttling import FloodLimitMiddleware

__all__ = [
    "DbSessionMiddleware",
    "ErrorBoundaryMiddleware",
    "FloodLimitMiddleware",
    "MemberMiddleware",
    "MetricsMiddleware",
    "UpdateDeferred",
]
