"""Requests: residents' micro-wishes and issue reports, from intake to a rated resolution."""

from models.requests.tables import (
    Category,
    Request,
    RequestCounter,
    RequestEvent,
    RequestKind,
    RequestStatus,
    RoutingLevel,
)

__all__ = [
    "Category",
    "Request",
    "RequestCounter",
    "RequestEvent",
    "RequestKind",
    "RequestStatus",
    "RoutingLevel",
]
