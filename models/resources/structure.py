"""The structure file's `fund:` key: the supervisory board (监事会) and how many of its
members must approve a disbursement."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.structure import Community


class FundSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    board: list[int] = Field(default_factory=list, max_length=50)  # Telegram ids
    approvals: int = Field(default=2, ge=1, le=50)
    # A need is proposed when this many reports of one category come from one micro-grid
    # within `need_days` days.
    need_repeat: int = Field(default=5, ge=2, le=1000)
    need_days: int = Field(default=30, ge=1, le=365)

    @model_validator(mode="after")
    def _enough_members(self) -> "FundSpec":
        if len(set(self.board)) != len(self.board):
            raise ValueError("a board member is listed twice")
        if self.board and self.approvals > len(self.board):
            raise ValueError(
                f"approvals ({self.approvals}) is more than the board's {len(self.board)} members"
            )
        return self


async def apply_fund_structure(community: Community, spec: Any, report: Any) -> None:
    if spec.fund is None:
        return
    wanted = spec.fund.model_dump()
    settings = dict(community.settings or {})
    if settings.get("fund") != wanted:
        settings["fund"] = wanted
        community.settings = settings
        report.count(report.updated, "community")
