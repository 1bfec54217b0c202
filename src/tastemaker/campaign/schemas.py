"""What the API (and, through it, the forms and the CLI) accepts and returns for campaigns.

Shape and bounds are checked here; rules that need the stored campaign or the settings
(dates in order, tiers, KPI units, currencies of fees) are the service's."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
)

from tastemaker.campaign.models import (
    READ_ONLY_STATUSES,
    Campaign,
    CampaignKpi,
    CampaignStatus,
    CollaborationModel,
    KpiMetric,
    KpiUnit,
    Objective,
    RosterEntry,
    RosterStatus,
    kpi_unit,
    next_statuses,
)
from tastemaker.creator.models import Platform
from tastemaker.kit.ids import MAX_ID
from tastemaker.kit.iso import COUNTRY_CODES, LANGUAGE_CODES
from tastemaker.kit.money import format_minor, validate_currency

# The bands the platforms report audiences in (13-17 included: TikTok and Instagram do).
AgeBand = Literal["13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
AGE_BANDS: tuple[str, ...] = get_args(AgeBand)
Gender = Literal["female", "male", "other"]
GENDERS: tuple[str, ...] = get_args(Gender)

# Far above any real budget, far below BIGINT; keeps absurd input from overflowing a column.
MAX_AMOUNT_MINOR = 10**15
# Numeric(24, 6) holds 18 digits before the point; a trillion leaves room and stays exact.
MAX_KPI_TARGET = Decimal(10**12)


def _unique(items: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


def _storable_text(value: str) -> str:
    # Neither engine stores NUL or a lone surrogate; refuse them here, not with a 500 later.
    if "\x00" in value:
        raise ValueError("text may not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text must be valid Unicode") from exc
    return value


def _countries(values: list[str]) -> list[str]:
    codes = [v.strip().upper() for v in values if v.strip()]
    for code in codes:
        if code not in COUNTRY_CODES:
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return _unique(codes)


def _languages(values: list[str]) -> list[str]:
    codes = [v.strip().lower() for v in values if v.strip()]
    for code in codes:
        if code not in LANGUAGE_CODES:
            raise ValueError(f"{code!r} is not an ISO 639-1 language code")
    return _unique(codes)


def _words(values: list[str]) -> list[str]:
    # Lower-case so interests and tiers compare equal to creator categories and band names.
    return _unique(v.strip().lower() for v in values if v.strip())


def _currency(value: str | None) -> str | None:
    return None if value is None else validate_currency(value)


# Placed after the length bounds, so length errors read as a string's ("at least 1 character").
Storable = AfterValidator(_storable_text)
Name = Annotated[str, Field(min_length=1, max_length=200), Storable]
Description = Annotated[str, Field(max_length=10_000), Storable]
Notes = Annotated[str, Field(max_length=2_000), Storable]
AmountMinor = Annotated[int, Field(ge=0, le=MAX_AMOUNT_MINOR, strict=True)]
Currency = Annotated[
    str | None,
    Field(description="ISO 4217 code; the campaign's (or workspace's) currency when omitted"),
    AfterValidator(_currency),
]
Countries = Annotated[
    list[str],
    Field(max_length=250, description="ISO 3166-1 alpha-2 codes, e.g. FR"),
    AfterValidator(_countries),
]
Languages = Annotated[
    list[str],
    Field(max_length=200, description="ISO 639-1 codes, e.g. fr"),
    AfterValidator(_languages),
]
AgeBands = Annotated[list[AgeBand], Field(max_length=len(AGE_BANDS)), AfterValidator(_unique)]
Genders = Annotated[list[Gender], Field(max_length=len(GENDERS)), AfterValidator(_unique)]
Interests = Annotated[
    list[Annotated[str, Field(max_length=60), Storable]],
    Field(max_length=50),
    AfterValidator(_words),
]
Platforms = Annotated[list[Platform], Field(max_length=len(Platform)), AfterValidator(_unique)]
Tiers = Annotated[
    list[Annotated[str, Field(max_length=40), Storable]],
    Field(max_length=20, description="names of the configured tier bands, e.g. micro"),
    AfterValidator(_words),
]
CollaborationModels = Annotated[
    list[CollaborationModel], Field(max_length=len(CollaborationModel)), AfterValidator(_unique)
]


def _as_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# Exact in storage; a plain JSON number on the wire, which is what API clients expect.
KpiNumber = Annotated[Decimal, PlainSerializer(_as_number, return_type=int | float)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class KpiTarget(_Input):
    metric: KpiMetric
    target: Decimal = Field(
        ge=0,
        le=MAX_KPI_TARGET,
        decimal_places=6,
        description=(
            "counts are whole numbers; engagement_rate and ctr are fractions in 0..1; "
            "revenue, cpm, cpe, cpc and cpa are minor units of the campaign currency"
        ),
    )


KpiTargets = Annotated[list[KpiTarget], Field(max_length=len(KpiMetric))]


def dates_out_of_order(start: date | None, end: date | None) -> str | None:
    """The message when a campaign would end before it starts, else None."""
    if start is not None and end is not None and end < start:
        return f"the end date {end} is before the start date {start}"
    return None


class CampaignCreate(_Input):
    name: Name
    description: Description = ""
    objective: Objective
    budget_minor: AmountMinor = 0
    currency: Currency = None
    start_date: date | None = None
    end_date: date | None = None
    target_countries: Countries = Field(default_factory=list)
    target_languages: Languages = Field(default_factory=list)
    target_age_bands: AgeBands = Field(default_factory=list)
    target_genders: Genders = Field(default_factory=list)
    target_interests: Interests = Field(default_factory=list)
    platforms: Platforms = Field(default_factory=list)
    tiers: Tiers = Field(default_factory=list)
    collaboration_models: CollaborationModels = Field(default_factory=list)
    kpis: KpiTargets = Field(default_factory=list)

    @field_validator("end_date")
    @classmethod
    def _ends_after_start(cls, end: date | None, info: ValidationInfo) -> date | None:
        # Checked here too (the service checks updates against stored dates) so a form
        # shows this error together with the others.
        message = dates_out_of_order(info.data.get("start_date"), end)
        if message:
            raise ValueError(message)
        return end


class CampaignUpdate(_Input):
    """Only the fields sent change; dates may be cleared with null, nothing else may."""

    name: Name | None = None
    description: Description | None = None
    objective: Objective | None = None
    budget_minor: AmountMinor | None = None
    currency: Currency = None
    start_date: date | None = None
    end_date: date | None = None
    target_countries: Countries | None = None
    target_languages: Languages | None = None
    target_age_bands: AgeBands | None = None
    target_genders: Genders | None = None
    target_interests: Interests | None = None
    platforms: Platforms | None = None
    tiers: Tiers | None = None
    collaboration_models: CollaborationModels | None = None

    @field_validator(
        "name",
        "description",
        "objective",
        "budget_minor",
        "currency",
        "target_countries",
        "target_languages",
        "target_age_bands",
        "target_genders",
        "target_interests",
        "platforms",
        "tiers",
        "collaboration_models",
        mode="before",
    )
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Runs only for fields the caller sent: an explicit null is refused, absence is not.
        if value is None:
            raise ValueError("may not be null; leave the field out to keep its value")
        return value


class StatusChange(_Input):
    status: CampaignStatus


class KpiSet(_Input):
    kpis: KpiTargets


class RosterEntryCreate(_Input):
    creator_id: int = Field(ge=1, le=MAX_ID)
    planned_fee_minor: AmountMinor = 0
    currency: Currency = None
    platform: Platform | None = None
    status: RosterStatus = RosterStatus.proposed
    notes: Notes = ""


class RosterEntryUpdate(_Input):
    planned_fee_minor: AmountMinor | None = None
    platform: Platform | None = None
    status: RosterStatus | None = None
    notes: Notes | None = None

    @field_validator("planned_fee_minor", "status", "notes", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null; leave the field out to keep its value")
        return value


class MoneyRead(BaseModel):
    amount_minor: int
    currency: str
    formatted: str = Field(description="for people, e.g. '12,500.00 EUR'")

    @classmethod
    def of(cls, amount_minor: int, currency: str) -> MoneyRead:
        return cls(
            amount_minor=amount_minor,
            currency=currency,
            formatted=format_minor(amount_minor, currency),
        )


class KpiRead(BaseModel):
    metric: KpiMetric
    unit: KpiUnit
    target: KpiNumber
    target_money: MoneyRead | None = Field(description="money KPIs only")

    @classmethod
    def of(cls, kpi: CampaignKpi, currency: str) -> KpiRead:
        unit = kpi_unit(kpi.metric)
        money = MoneyRead.of(int(kpi.target), currency) if unit is KpiUnit.money else None
        return cls(metric=kpi.metric, unit=unit, target=kpi.target, target_money=money)


class CampaignRead(BaseModel):
    id: int
    name: str
    description: str
    objective: Objective
    status: CampaignStatus
    next_statuses: list[CampaignStatus] = Field(description="the moves allowed from here")
    read_only: bool = Field(description="completed and cancelled campaigns cannot change")
    budget: MoneyRead
    start_date: date | None
    end_date: date | None
    target_countries: list[str]
    target_languages: list[str]
    target_age_bands: list[str]
    target_genders: list[str]
    target_interests: list[str]
    platforms: list[Platform]
    tiers: list[str]
    collaboration_models: list[CollaborationModel]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, campaign: Campaign) -> CampaignRead:
        return cls(**_campaign_fields(campaign))


def _campaign_fields(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.id,
        "name": campaign.name,
        "description": campaign.description,
        "objective": campaign.objective,
        "status": campaign.status,
        "next_statuses": next_statuses(campaign.status),
        "read_only": campaign.status in READ_ONLY_STATUSES,
        "budget": MoneyRead.of(campaign.budget_minor, campaign.currency),
        "start_date": campaign.start_date,
        "end_date": campaign.end_date,
        "target_countries": campaign.target_countries,
        "target_languages": campaign.target_languages,
        "target_age_bands": campaign.target_age_bands,
        "target_genders": campaign.target_genders,
        "target_interests": campaign.target_interests,
        "platforms": campaign.platforms,
        "tiers": campaign.tiers,
        "collaboration_models": campaign.collaboration_models,
        "created_at": campaign.created_at,
        "updated_at": campaign.updated_at,
    }


class RosterEntryRead(BaseModel):
    id: int
    creator_id: int
    creator_name: str
    platform: Platform | None
    planned_fee: MoneyRead
    status: RosterStatus
    notes: str
    added_at: datetime

    @classmethod
    def of(cls, entry: RosterEntry, creator_name: str) -> RosterEntryRead:
        return cls(
            id=entry.id,
            creator_id=entry.creator_id,
            creator_name=creator_name,
            platform=entry.platform,
            planned_fee=MoneyRead.of(entry.planned_fee_minor, entry.currency),
            status=entry.status,
            notes=entry.notes,
            added_at=entry.added_at,
        )


class BudgetRead(BaseModel):
    budget: MoneyRead
    planned_fees: MoneyRead = Field(description="sum of planned fees, declined creators excluded")
    remaining: MoneyRead = Field(description="negative when over budget")
    over_budget: bool


class CampaignDetail(CampaignRead):
    kpis: list[KpiRead]
    roster: list[RosterEntryRead]
    totals: BudgetRead


class CampaignPage(BaseModel):
    items: list[CampaignRead]
    page: int
    per_page: int
    has_next: bool
