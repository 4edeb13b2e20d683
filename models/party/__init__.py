"""Party members and partner units (双报到、亮身份、承诺践行) and the departments a community
whistles for (街道吹哨、部门报到): tables and the functions that change them."""

from models.party.tables import (
    Department,
    MembershipKind,
    MembershipStatus,
    PartnerUnit,
    PartyMember,
    PartyWish,
    Pledge,
    PledgeLink,
    Whistle,
)

__all__ = [
    "Department",
    "MembershipKind",
    "MembershipStatus",
    "PartnerUnit",
    "PartyMember",
    "PartyWish",
    "Pledge",
    "PledgeLink",
    "Whistle",
]
