"""Requests: residents' micro-wishes and issue reports, from intake to a rated resolution."""

from models.requests.tables import (
    Category,
    Request,
    RequestCard,
    RequestCounter,
    RequestEvent,
    RequestKind,
    RequestStatus,
    RoutingLevel,
)

__all__ = [
    "Category",
    "Request",
    "RequestCard",
    "RequestCounter",
    "RequestEvent",
    "RequestKind",
    "RequestStatus",
    "RoutingLevel",
]
