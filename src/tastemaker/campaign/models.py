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
MONEY_KPIS = frozenset({KpiMetric.revenue, KpiMetric.cpm, KpiMetric.cpe, KpiMetric.cpc,
                        KpiMetric.cpa})


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
