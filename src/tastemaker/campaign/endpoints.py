"""JSON routes for campaigns, their KPIs and their roster (under /api/v1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from tastemaker.campaign import service
from tastemaker.campaign.models import Campaign, CampaignStatus, Objective
from tastemaker.campaign.schemas import (
    BudgetRead,
    CampaignCreate,
    CampaignDetail,
    CampaignPage,
    CampaignRead,
    CampaignUpdate,
    KpiRead,
    KpiSet,
    MoneyRead,
    RosterEntryCreate,
    RosterEntryRead,
    RosterEntryUpdate,
    StatusChange,
)
from tastemaker.kit.ids import IdPath
from tastemaker.kit.pagination import MAX_PAGE_SIZE, PageParams
from tastemaker.web.deps import ApiContext, ApiWriter
from tastemaker.workspace.context import Context

router = APIRouter(prefix="/campaigns", tags=["campaigns"])


def _detail(ctx: Context, campaign: Campaign) -> CampaignDetail:
    totals = service.budget_summary(campaign)
    return CampaignDetail(
        **CampaignRead.of(campaign).model_dump(),
        kpis=[KpiRead.of(k, campaign.currency) for k in campaign.kpis],
        roster=[
            RosterEntryRead.of(row.entry, row.creator_name)
            for row in service.roster_rows(ctx, campaign)
        ],
        totals=BudgetRead(
            budget=MoneyRead.of(totals.budget_minor, totals.currency),
            planned_fees=MoneyRead.of(totals.planned_minor, totals.currency),
            remaining=MoneyRead.of(totals.remaining_minor, totals.currency),
            over_budget=totals.over_budget,
        ),
    )


@router.get("", response_model=CampaignPage)
def list_campaigns(
    ctx: ApiContext,
    status: CampaignStatus | None = None,
    objective: Objective | None = None,
    search: Annotated[str | None, Query(max_length=200, description="part of the name")] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> CampaignPage:
    found = service.page_campaigns(
        ctx, status, objective=objective, search=search, page=PageParams(page, per_page)
    )
    return CampaignPage(
        items=[CampaignRead.of(c) for c in found.items],
        page=found.page,
        per_page=found.per_page,
        has_next=found.has_next,
    )


@router.post("", response_model=CampaignDetail, status_code=status.HTTP_201_CREATED)
def create_campaign(body: CampaignCreate, ctx: ApiWriter) -> CampaignDetail:
    return _detail(ctx, service.create_campaign(ctx, body))


@router.get("/{campaign_id}", response_model=CampaignDetail)
def read_campaign(campaign_id: IdPath, ctx: ApiContext) -> CampaignDetail:
    return _detail(ctx, service.get_campaign(ctx, campaign_id))


@router.patch("/{campaign_id}", response_model=CampaignDetail)
def update_campaign(campaign_id: IdPath, body: CampaignUpdate, ctx: ApiWriter) -> CampaignDetail:
    return _detail(ctx, service.update_campaign(ctx, campaign_id, body))


@router.post(
    "/{campaign_id}/status",
    response_model=CampaignDetail,
    responses={409: {"description": "not a legal move from the current status"}},
)
def change_status(campaign_id: IdPath, body: StatusChange, ctx: ApiWriter) -> CampaignDetail:
    return _detail(ctx, service.change_status(ctx, campaign_id, body.status))


@router.put("/{campaign_id}/kpis", response_model=list[KpiRead])
def replace_kpis(campaign_id: IdPath, body: KpiSet, ctx: ApiWriter) -> list[KpiRead]:
    campaign = service.replace_kpis(ctx, campaign_id, body.kpis)
    return [KpiRead.of(k, campaign.currency) for k in campaign.kpis]


@router.get("/{campaign_id}/roster", response_model=list[RosterEntryRead])
def list_roster(campaign_id: IdPath, ctx: ApiContext) -> list[RosterEntryRead]:
    campaign = service.get_campaign(ctx, campaign_id)
    return [
        RosterEntryRead.of(row.entry, row.creator_name)
        for row in service.roster_rows(ctx, campaign)
    ]


@router.post(
    "/{campaign_id}/roster",
    response_model=RosterEntryRead,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "the creator is already on the roster"}},
)
def add_to_roster(campaign_id: IdPath, body: RosterEntryCreate, ctx: ApiWriter) -> RosterEntryRead:
    row = service.roster_row(ctx, service.add_to_roster(ctx, campaign_id, body))
    return RosterEntryRead.of(row.entry, row.creator_name)


@router.patch("/{campaign_id}/roster/{entry_id}", response_model=RosterEntryRead)
def update_roster_entry(
    campaign_id: IdPath, entry_id: IdPath, body: RosterEntryUpdate, ctx: ApiWriter
) -> RosterEntryRead:
    row = service.roster_row(ctx, service.update_roster_entry(ctx, campaign_id, entry_id, body))
    return RosterEntryRead.of(row.entry, row.creator_name)


@router.delete("/{campaign_id}/roster/{entry_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_from_roster(campaign_id: IdPath, entry_id: IdPath, ctx: ApiWriter) -> None:
    service.remove_from_roster(ctx, campaign_id, entry_id)
