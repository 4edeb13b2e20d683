"""The structure file's optional `care:` key: visit intervals per colour, in days.

    care:
      visit_days: {red: 7, yellow: 14, blue: 14, orange: 90}
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Days = Field(default=None, ge=1, le=366)


class VisitDaysSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    red: int | None = Days
    yellow: int | None = Days
    blue: int | None = Days
    orange: int | None = Days


class CareSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    visit_days: VisitDaysSpec | None = None


def care_settings(spec: CareSpec | None) -> dict[str, Any]:
    """What the community's settings hold for the `care:` key (nothing when it is absent)."""
    if spec is None or spec.visit_days is None:
        return {}
    return {"care": {"visit_days": spec.visit_days.model_dump(exclude_none=True)}}
