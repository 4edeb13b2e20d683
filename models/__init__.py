"""The domain: tables and the plain async functions that change them."""

from models import (  # noqa: F401  (import every aggregate so the metadata is complete)
    care,
    chat_state,
    checkins,
    deliberation,
    jobs,
    members,
    outbox,
    party,
    points,
    requests,
    resources,
    services,
    structure,
    updates,
    webauth,
)
from models.base import Base

metadata = Base.metadata
