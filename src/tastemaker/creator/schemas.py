"""The creator domain's JSON shapes. Inputs refuse unknown fields; every metric figure goes out
with its provenance (where it came from, which source, when) and the engagement rate with the
formula that produced it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from tastemaker.creator.models import Platform, PostFormat, Provenance, RelationshipStatus
from tastemaker.kit.db import storable_text
from tastemaker.kit.ids import MAX_ID

SortParam = Literal[
    "relevance",
    "followers",
    "-followers",
    "engagement_rate",
    "-engagement_rate",
    "name",
    "-name",
    "updated",
    "-updated",
]
SORT_VALUES: tuple[str, ...] = SortParam.__args__  # type: ignore[attr-defined]
DEFAULT_SORT: SortParam = "-followers"

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Count = Annotated[int, Field(ge=0, le=10**12)]
Average = Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)]
Rate = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Category = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
CustomValue = Annotated[str, StringConstraints(max_length=1000)] | bool | int | float | None


def _storable(value: Any) -> Any:
    """Every text in an input, inside lists and dicts too: bad input, not a 500."""
    if isinstance(value, str):
        storable_text(value)
    elif isinstance(value, list):
        for item in value:
            _storable(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _storable(key)
            _storable(item)
    return value


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _text_is_storable(cls, value: Any) -> Any:
        return _storable(value)


# ----------------------------------------------------------------------------- list filters


class CreatorFilters(Input):
    """Filters of the creators list. Public facts, then this workspace's own data (tag,
    relationship status, list). Every filter is optional; they combine with AND."""

    platform: Platform | None = None
    country: Annotated[str | None, Field(max_length=2, description="ISO 3166 alpha-2")] = None
    language: Annotated[str | None, Field(max_length=8, description="e.g. 'en', 'pt-BR'")] = None
    tier: Annotated[
        str | None, Field(max_length=20, description="a tier band name, e.g. nano, micro, mid")
    ] = None
    category: Annotated[str | None, Field(max_length=60)] = None
    min_followers: Count | None = None
    max_followers: Count | None = None
    min_engagement_rate: Annotated[Rate | None, Field(description="a ratio: 0.05 is 5%")] = None
    max_engagement_rate: Rate | None = None
    search: Annotated[
        str | None,
        Field(max_length=100, description="display name contains, or handle starts with"),
    ] = None
    about: Annotated[
        str | None,
        Field(
            max_length=500,
            description=(
                "what the creators are about, in plain words ('vegan recipes, plant-based"
                " baking'): ranks the accounts by the relevance of their bio and recent"
                " captions, whatever the sort; accounts with no text are left out"
            ),
        ),
    ] = None
    is_virtual: bool | None = None
    tag: Annotated[str | None, Field(max_length=40)] = None
    relationship_status: RelationshipStatus | None = None
    list_id: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None


class CreatorQuery(CreatorFilters):
    sort: SortParam = DEFAULT_SORT
    page: Annotated[int, Field(ge=1, le=100_000)] = 1
    per_page: Annotated[int, Field(ge=1, le=200)] = 50


# ----------------------------------------------------------------------------- inputs


class AccountFacts(Input):
    """Public facts of one platform account; metrics are the latest known values."""

    url: Annotated[str | None, Field(max_length=500)] = None
    followers: Count | None = None
    following: Count | None = None
    posts: Count | None = None
    avg_likes: Average | None = None
    avg_comments: Average | None = None
    avg_shares: Average | None = None
    avg_views: Average | None = None
    country: Annotated[str | None, Field(max_length=2)] = None
    language: Annotated[str | None, Field(max_length=8)] = None
    bio: Annotated[str | None, Field(max_length=5000)] = None
    contact_email: Annotated[str | None, Field(max_length=320)] = None
    categories: Annotated[list[Category] | None, Field(max_length=20)] = None
    provenance: Provenance = Field(
        default=Provenance.reported,
        description="where the metrics come from; manual entry defaults to 'reported'",
    )
    captured_at: AwareDatetime | None = Field(
        default=None, description="when the metrics were read; now when omitted"
    )


class AccountCreate(AccountFacts):
    platform: Platform
    handle: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class AccountUpdate(AccountFacts):
    """Only the fields sent change; send null to clear a field."""

    handle: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
        | None
    ) = None


class CreatorCreate(Input):
    display_name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    is_virtual: bool = Field(default=False, description="a virtual (AI or CGI) influencer")
    accounts: Annotated[list[AccountCreate], Field(min_length=1, max_length=11)]


class CreatorUpdate(Input):
    display_name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
        | None
    ) = None
    is_virtual: bool | None = None


class WorkspaceDataUpdate(Input):
    """This workspace's own notes on a creator. Fields left out keep their value."""

    notes: Annotated[str | None, Field(max_length=20_000)] = None
    tags: Annotated[list[Tag] | None, Field(max_length=30)] = None
    custom_fields: Annotated[dict[str, CustomValue] | None, Field(max_length=50)] = None
    relationship_status: RelationshipStatus | None = None


class RateCreate(Input):
    platform: Platform
    deliverable: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)
    ] = Field(examples=["1 Instagram reel"])
    amount_minor: Annotated[int, Field(ge=0, le=10**13)] = Field(
        description="integer minor units: 120000 EUR is 1,200.00 EUR"
    )
    currency: Annotated[str, Field(min_length=3, max_length=3)] = Field(examples=["EUR"])


class ListCreate(Input):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    description: Annotated[str, Field(max_length=5000)] = ""


class ListUpdate(Input):
    name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
        | None
    ) = None
    description: Annotated[str | None, Field(max_length=5000)] = None


# ----------------------------------------------------------------------------- outputs


class Figure(BaseModel):
    """One metric figure and where it came from."""

    value: int | float | None = Field(description="counts are integers, averages decimals")
    provenance: Provenance
    source: str | None
    at: datetime | None


class EngagementRateRead(BaseModel):
    value: float | None = Field(description="a ratio: 0.05 is 5%")
    formula: str | None = Field(description="'followers' or 'views'")
    formula_text: str | None = Field(examples=["(avg likes + avg comments) / followers"])
    provenance: Provenance = Field(description="provenance of the figures it was computed from")
    source: str | None
    at: datetime | None


class TierRead(BaseModel):
    name: str
    label: str
    min_followers: int
    max_followers: int | None = Field(description="exclusive; null for the top band")


class CreatorRowRead(BaseModel):
    """One row of the creators list: a creator's account on one platform."""

    account_id: int
    creator_id: int
    display_name: str
    is_virtual: bool
    platform: Platform
    handle: str
    url: str | None
    followers: Figure
    engagement_rate: EngagementRateRead
    tier: TierRead | None
    country: str | None
    language: str | None
    categories: list[str]
    relationship_status: RelationshipStatus = Field(description="in the calling workspace")
    credibility: CredibilityBadgeRead | None = Field(
        default=None, description="the calling workspace's latest audience check; null if none"
    )
    relevance: RelevanceRead | None = Field(
        default=None, description="set when the list is ranked by a description (about)"
    )


class AccountRef(BaseModel):
    """Which account a workspace's report (an audience check, a scan) is about."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    creator_id: int
    platform: Platform
    handle: str


class RelevanceRead(BaseModel):
    """How well the account's bio and recent captions answer the description (`about`)."""

    score: float = Field(description="0-1: semantic_weight x semantic + lexical_weight x lexical")
    semantic: float = Field(description="0-1: cosine similarity of meaning")
    lexical: float = Field(description="0-1: BM25 / (BM25 + the median BM25 of the matches)")
    semantic_weight: float
    lexical_weight: float


class CredibilityBadgeRead(BaseModel):
    """From the calling workspace's latest audience check of the account."""

    score: int = Field(description="0-100: 100 x (1 - expected fake-follower share)")
    low: int = Field(description="95% interval, lower end")
    high: int = Field(description="95% interval, upper end")
    level: str = Field(description="genuine (80+), doubtful (75-79) or suspect (under 75)")
    meaning: str = Field(description="what the level says")
    check_id: int
    checked_at: datetime


class CreatorPageRead(BaseModel):
    items: list[CreatorRowRead]
    page: int
    per_page: int
    has_next: bool


class SnapshotRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    account_id: int
    captured_at: datetime
    followers: int | None
    following: int | None
    posts: int | None
    avg_likes: float | None
    avg_comments: float | None
    avg_shares: float | None
    avg_views: float | None
    provenance: Provenance
    source: str


class PostRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    account_id: int
    external_id: str
    url: str | None
    format: PostFormat
    caption: str
    posted_at: datetime
    likes: int | None
    comments: int | None
    shares: int | None
    views: int | None
    is_paid_partnership: bool | None
    provenance: Provenance
    source: str
    captured_at: datetime


class AccountRead(BaseModel):
    id: int
    creator_id: int
    platform: Platform
    handle: str
    url: str | None
    followers: Figure
    following: Figure
    posts: Figure
    avg_likes: Figure
    avg_comments: Figure
    avg_shares: Figure
    avg_views: Figure
    engagement_rate: EngagementRateRead
    tier: TierRead | None
    country: str | None
    language: str | None
    bio: str | None
    contact_email: str | None
    categories: list[str]
    updated_at: datetime


class AccountDetailRead(AccountRead):
    snapshots: list[SnapshotRead] = Field(description="the last 90 days, oldest first")


class WorkspaceDataRead(BaseModel):
    """Only the calling workspace's own data; never another workspace's."""

    notes: str
    tags: list[str]
    custom_fields: dict[str, CustomValue]
    relationship_status: RelationshipStatus
    updated_at: datetime | None


class RateRead(BaseModel):
    id: int
    creator_id: int
    platform: Platform
    deliverable: str
    amount_minor: int
    currency: str
    formatted: str = Field(examples=["1,200.00 EUR"])
    created_at: datetime


class ListRef(BaseModel):
    id: int
    name: str


class CreatorRead(BaseModel):
    id: int
    display_name: str
    is_virtual: bool
    created_at: datetime
    updated_at: datetime
    accounts: list[AccountDetailRead]
    workspace_data: WorkspaceDataRead
    rates: list[RateRead]
    lists: list[ListRef] = Field(description="this workspace's lists holding the creator")


class ListRead(BaseModel):
    id: int
    name: str
    description: str
    size: int
    created_at: datetime
    updated_at: datetime


class ListMemberRead(BaseModel):
    creator_id: int
    display_name: str
    is_virtual: bool
    added_at: datetime
    accounts: list[str] = Field(description="'platform:handle' of each account")


class ListDetailRead(ListRead):
    members: list[ListMemberRead] = Field(description="one page, most recently added first")
    page: int
    per_page: int
    has_next: bool


class ListEntryRead(BaseModel):
    list_id: int
    creator_id: int
    added_at: datetime
