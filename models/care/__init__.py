"""Care ledgers: colour-coded households with audited access, visits, the one-key call."""

from models.care.tables import (
    AccessEntry,
    Caller,
    CallStatus,
    CareNote,
    Colour,
    ColourChange,
    EmergencyCall,
    Household,
    Visit,
    VisitOutcome,
)

__all__ = [
    "AccessEntry",
    "CallStatus",
    "Caller",
    "CareNote",
    "Colour",
    "ColourChange",
    "EmergencyCall",
    "Household",
    "Visit",
    "VisitOutcome",
]
