"""Resources and the community fund (一书三单、共建实践金): the fund's ledger, donations,
disbursements and the board's approvals, and the projects money is earmarked for."""

from models.resources.tables import (
    Approval,
    Disbursement,
    DisbursementStatus,
    DisbursementUse,
    Donation,
    DonationType,
    DonorKind,
    FundBalance,
    FundCounter,
    FundEntry,
    Project,
    ProjectStatus,
)

__all__ = [
    "Approval",
    "Disbursement",
    "DisbursementStatus",
    "DisbursementUse",
    "Donation",
    "DonationType",
    "DonorKind",
    "FundBalance",
    "FundCounter",
    "FundEntry",
    "Project",
    "ProjectStatus",
]
