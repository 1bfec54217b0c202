"""Every campaign query, scoped to one workspace by construction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import case, func
from sqlalchemy.orm import selectinload

from tastemaker.campaign.models import (
    Campaign,
    CampaignStatus,
    Objective,
    RosterEntry,
    RosterStatus,
)
from tastemaker.kit.errors import NotFound
from tastemaker.kit.repository import WorkspaceRepository


class CampaignRepository(WorkspaceRepository[Campaign]):
    model = Campaign

    def get_full(self, campaign_id: int) -> Campaign | None:
        """With KPIs and roster, which are lazy="raise" and would fail loudly otherwise.

        populate_existing: a campaign already in the session may hold collections loaded
        before rows were added beside them; autoflush has written pending changes first."""
        return self.session.scalars(
            self.select()
            .where(Campaign.id == campaign_id)
            .options(selectinload(Campaign.kpis), selectinload(Campaign.roster))
            .execution_options(populate_existing=True)
        ).first()

    def get_full_or_404(self, campaign_id: int) -> Campaign:
        campaign = self.get_full(campaign_id)
        if campaign is None:
            raise NotFound(f"campaign {campaign_id} not found")
        return campaign

    def search(
        self,
        *,
        status: CampaignStatus | None = None,
        objective: Objective | None = None,
        text: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> Sequence[Campaign]:
        stmt = self.select()
        if status is not None:
            stmt = stmt.where(Campaign.status == status)
        if objective is not None:
            stmt = stmt.where(Campaign.objective == objective)
        if text:
            stmt = stmt.where(func.lower(Campaign.name).contains(text.lower(), autoescape=True))
        stmt = stmt.order_by(Campaign.created_at.desc(), Campaign.id.desc()).offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        return self.session.scalars(stmt).all()


class RosterRepository(WorkspaceRepository[RosterEntry]):
    model = RosterEntry

    def for_creator(self, campaign_id: int, creator_id: int) -> RosterEntry | None:
        return self.session.scalars(
            self.select().where(
                RosterEntry.campaign_id == campaign_id, RosterEntry.creator_id == creator_id
            )
        ).first()

    def totals(self, campaign_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
        """campaign id -> (creators on the roster, planned fees without declined creators)."""
        if not campaign_ids:
            return {}
        counted = RosterEntry.status != RosterStatus.declined
        rows = self.session.execute(
            self.select(
                RosterEntry.campaign_id,
                func.count(RosterEntry.id),
                func.sum(case((counted, RosterEntry.planned_fee_minor), else_=0)),
            )
            .where(RosterEntry.campaign_id.in_(campaign_ids))
            .group_by(RosterEntry.campaign_id)
        ).all()
        return {campaign_id: (int(count), int(fees)) for campaign_id, count, fees in rows}
