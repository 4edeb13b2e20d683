"""The structure file's optional `deliberation:` section: screening time, seconds that put a
proposal first, publicity period, whisper limit, who votes, and each track's vote rules."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TrackSpec(_Strict):
    hours: float | None = Field(default=None, gt=0, le=24 * 60)
    # A share of the scope's households (or people) that must vote; 0 for none.
    quorum: float | None = Field(default=None, ge=0, le=1)
    # The share of the votes cast the leading option must exceed; `majority` (or null) for
    # a simple majority: more votes than any other option and than 反对.
    threshold: Annotated[float, Field(ge=0, lt=1)] | Literal["majority"] | None = None

    def settings(self) -> dict[str, Any]:
        values = self.model_dump(exclude_unset=True)
        if values.get("threshold") == "majority":
            values["threshold"] = None
        return values


class TracksSpec(_Strict):
    major: TrackSpec | None = None
    minor: TrackSpec | None = None
    urgent: TrackSpec | None = None


class DeliberationSpec(_Strict):
    screening_days: float | None = Field(default=None, gt=0, le=60)
    seconds_to_prioritise: int | None = Field(default=None, ge=1, le=100_000)
    publicity_days: float | None = Field(default=None, ge=0, le=60)
    whisper_daily_limit: int | None = Field(default=None, ge=0, le=100)
    vote_per: Literal["household", "person"] | None = None
    tracks: TracksSpec | None = None


def apply_deliberation_settings(settings: dict[str, Any], spec: DeliberationSpec | None) -> None:
    """Write the section into a community's settings (unset keys keep their defaults)."""
    if spec is None:
        return
    values: dict[str, Any] = spec.model_dump(exclude_none=True, exclude={"tracks"})
    if spec.tracks is not None:
        values["tracks"] = {
            name: track.settings()
            for name in ("major", "minor", "urgent")
            if (track := getattr(spec.tracks, name)) is not None
        }
    settings["deliberation"] = values
