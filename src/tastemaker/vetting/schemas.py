"""The JSON shapes of audience checks. Every figure goes out with what it means: a share with
its count, its base and its Wilson 95% interval; the credibility score with how it is made."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from tastemaker.creator.schemas import AccountRef

# The figures' Read models take vetting's dataclasses (figures.Interval, figures.Share,
# service.Estimate, service.Credibility) as they are.


class IntervalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    low: float
    high: float
    level: float = 0.95


class ShareRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    count: int
    of: int
    value: float = Field(description="count / of")
    interval: IntervalRead
    meaning: str


class EstimateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    value: float
    interval: IntervalRead
    meaning: str


class CredibilityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    score: int = Field(ge=0, le=100)
    low: int = Field(ge=0, le=100, description="the 95% interval's lower end")
    high: int = Field(ge=0, le=100, description="the 95% interval's upper end")
    meaning: str


class ReasonRead(BaseModel):
    feature: str
    text: str
    followers: int = Field(description="flagged followers for whom it was a top reason")
    of_flagged: int = Field(description="flagged followers whose reasons were computed")
    mean_contribution: float = Field(description="mean log-odds it added toward 'fake'")
    meaning: str


class FlaggedFollowerRead(BaseModel):
    username: str | None
    where: str = Field(description="the row (CSV, XLSX) or item (JSON) in the uploaded file")
    probability: float = Field(description="the model's probability that it is fake")
    reasons: list[str]


class AudienceCheckRead(BaseModel):
    """A check without its evidence, as lists give it."""

    id: int
    account: AccountRef
    created_at: datetime
    created_by_id: int | None
    source: str
    sample_size: int
    threshold: float
    credibility: CredibilityRead
    expected_fake_share: EstimateRead
    flagged: ShareRead
    mass_followers: ShareRead | None
    reasons: list[ReasonRead]
    explained: int
    sample_note: str
    model_trained_at: str
    meanings: dict[str, str]


class AudienceCheckDetail(AudienceCheckRead):
    """A check with its evidence: the most likely fake flagged followers."""

    flagged_followers: list[FlaggedFollowerRead]


class QualityComponentRead(BaseModel):
    key: str
    label: str
    value: str = Field(description="the measured figure, as a person reads it")
    score: float | None = Field(description="0-100; null when there was nothing to measure")
    weight: float
    basis: str = Field(description="where the figures come from, or why they are missing")


class GrowthEventRead(BaseModel):
    kind: str = Field(description="'spike' (followers without engagement) or 'drop'")
    start: datetime
    end: datetime
    followers_before: int
    followers_after: int
    change_share: float
    likes_change_share: float | None
    detail: str


class AudienceQualityRead(BaseModel):
    """The Audience Quality Score of an account, worked out from the current data."""

    account: AccountRef
    score: float | None = Field(
        description="0-100: the weighted mean of the components with data; null when none has"
    )
    covered_weight: float = Field(description="share of the full weight the score rests on")
    tier: str | None
    components: list[QualityComponentRead]
    growth_events: list[GrowthEventRead]
    outlier_post_ids: list[int] = Field(
        description="recent posts whose comments per like are far from the account's median"
    )
    computed_at: datetime
