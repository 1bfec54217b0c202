from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tastemaker.creator.models import Platform
from tastemaker.kit.db import Base, BigId
from tastemaker.kit.enums import str_enum
from tastemaker.kit.models import IdMixin, TimestampMixin, WorkspaceScoped
from tastemaker.kit.time import UTCDateTime, utcnow


class Objective(enum.StrEnum):
    awareness = "awareness"
    engagement = "engagement"
    conversions = "conversions"
    product_launch = "product_launch"
    ugc = "ugc"
    event = "event"
    education = "education"


class CampaignStatus(enum.StrEnum):
    draft = "draft"
    planned = "planned"
    active = "active"
    completed = "completed"
    cancelled = "cancelled"


# The only legal moves; anything else is refused with 409.
STATUS_TRANSITIONS: dict[CampaignStatus, frozenset[CampaignStatus]] = {
    CampaignStatus.draft: frozenset({CampaignStatus.planned, CampaignStatus.cancelled}),
    CampaignStatus.planned: frozenset(
        {CampaignStatus.draft, CampaignStatus.active, CampaignStatus.cancelled}
    ),
    CampaignStatus.active: frozenset({CampaignStatus.completed, CampaignStatus.cancelled}),
    CampaignStatus.completed: frozenset(),
    CampaignStatus.cancelled: frozenset(),
}


def next_statuses(status: CampaignStatus) -> list[CampaignStatus]:
    """In the enum's order, so buttons and messages list the moves the same way each time."""
    return [s for s in CampaignStatus if s in STATUS_TRANSITIONS[status]]


# Final states: nothing about a finished or abandoned campaign may change afterwards.
READ_ONLY_STATUSES = frozenset(s for s, moves in STATUS_TRANSITIONS.items() if not moves)


class CollaborationModel(enum.StrEnum):
    sponsored_post = "sponsored_post"
    gifting = "gifting"
    ambassador = "ambassador"
    affiliate = "affiliate"
    product_collaboration = "product_collaboration"
    event = "event"
    co_created = "co_created"
    equity = "equity"


class KpiMetric(enum.StrEnum):
    reach = "reach"
    impressions = "impressions"
    engagements = "engagements"
    engagement_rate = "engagement_rate"
    video_views = "video_views"
    clicks = "clicks"
    ctr = "ctr"
    conversions = "conversions"
    revenue = "revenue"
    cpm = "cpm"
    cpe = "cpe"
    cpc = "cpc"
    cpa = "cpa"
    roas = "roas"
    posts = "posts"
    ugc_submissions = "ugc_submissions"


# KPIs whose targets are money, kept in the campaign currency's minor units.
MONEY_KPIS = frozenset(
    {KpiMetric.revenue, KpiMetric.cpm, KpiMetric.cpe, KpiMetric.cpc, KpiMetric.cpa}
)


# Rates and click-through are fractions (0.035 = 3.5%); ROAS is a multiple of cost.
RATIO_KPIS = frozenset({KpiMetric.engagement_rate, KpiMetric.ctr})
MULTIPLE_KPIS = frozenset({KpiMetric.roas})


class KpiUnit(enum.StrEnum):
    quantity = "quantity"  # a whole number of things: reach, clicks, posts
    ratio = "ratio"  # a fraction in 0..1
    money = "money"  # minor units of the campaign currency
    multiple = "multiple"  # a non-negative factor, e.g. ROAS 3.5


def kpi_unit(metric: KpiMetric) -> KpiUnit:
    if metric in MONEY_KPIS:
        return KpiUnit.money
    if metric in RATIO_KPIS:
        return KpiUnit.ratio
    if metric in MULTIPLE_KPIS:
        return KpiUnit.multiple
    return KpiUnit.quantity


class RosterStatus(enum.StrEnum):
    proposed = "proposed"
    invited = "invited"
    confirmed = "confirmed"
    declined = "declined"


class Campaign(IdMixin, WorkspaceScoped, TimestampMixin, Base):
    __tablename__ = "campaign"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    objective: Mapped[Objective] = mapped_column(str_enum(Objective))
    status: Mapped[CampaignStatus] = mapped_column(
        str_enum(CampaignStatus), default=CampaignStatus.draft, index=True
    )
    budget_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    target_countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_age_bands: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_genders: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    platforms: Mapped[list[str]] = mapped_column(JSON, default=list)
    tiers: Mapped[list[str]] = mapped_column(JSON, default=list)
    collaboration_models: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )

    kpis: Mapped[list[CampaignKpi]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="CampaignKpi.id"
    )
    roster: Mapped[list[RosterEntry]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="RosterEntry.id"
    )


class CampaignKpi(IdMixin, WorkspaceScoped, Base):
    __tablename__ = "campaign_kpi"
    __table_args__ = (UniqueConstraint("campaign_id", "metric"),)

    campaign_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    metric: Mapped[KpiMetric] = mapped_column(str_enum(KpiMetric))
    # Exact decimal: counts, ratios (0.035 = 3.5%) or minor units for money KPIs.
    target: Mapped[Decimal] = mapped_column(Numeric(24, 6))


class RosterEntry(IdMixin, WorkspaceScoped, Base):
    __tablename__ = "roster_entry"
    __table_args__ = (UniqueConstraint("campaign_id", "creator_id"),)

    campaign_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    creator_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("creator.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[Platform | None] = mapped_column(str_enum(Platform), nullable=True)
    planned_fee_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[RosterStatus] = mapped_column(
        str_enum(RosterStatus), default=RosterStatus.proposed
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
