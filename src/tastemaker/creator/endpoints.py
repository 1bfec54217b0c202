"""JSON API of creators and lists. Thin: parse, call the service, shape the answer. Every
metric figure goes out with its provenance; the engagement rate with its formula."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Query, Response, status
from pydantic import AwareDatetime

from tastemaker.creator import service
from tastemaker.creator.bulk import METRIC_FIELDS
from tastemaker.creator.models import (
    CreatorList,
    CreatorRate,
    MetricSnapshot,
    PlatformAccount,
    RelationshipStatus,
    WorkspaceCreator,
)
from tastemaker.creator.schemas import (
    AccountCreate,
    AccountDetailRead,
    AccountUpdate,
    CreatorCreate,
    CreatorPageRead,
    CreatorQuery,
    CreatorRead,
    CreatorRowRead,
    CreatorUpdate,
    CredibilityBadgeRead,
    EngagementRateRead,
    Figure,
    ListCreate,
    ListDetailRead,
    ListEntryRead,
    ListMemberRead,
    ListRead,
    ListRef,
    ListUpdate,
    PostRead,
    RateCreate,
    RateRead,
    RelevanceRead,
    SnapshotRead,
    TierRead,
    WorkspaceDataRead,
    WorkspaceDataUpdate,
)
from tastemaker.kit.ids import IdPath
from tastemaker.kit.money import format_minor
from tastemaker.kit.pagination import Page, PageParams
from tastemaker.vetting import service as vetting_service
from tastemaker.web.deps import ApiContext, ApiWriter
from tastemaker.workspace.context import Context

router = APIRouter()


class _Measured(Protocol):
    """A list row or an account: both carry the latest metrics and where they came from."""

    followers: int | None
    engagement_rate: float | None
    engagement_formula: str | None

    @property
    def metrics_provenance(self) -> Any: ...
    @property
    def metrics_source(self) -> str | None: ...
    @property
    def metrics_at(self) -> Any: ...


def _figure(value: float | None, measured: _Measured) -> Figure:
    return Figure(
        value=value,
        provenance=measured.metrics_provenance,
        source=measured.metrics_source,
        at=measured.metrics_at,
    )


def _engagement(measured: _Measured) -> EngagementRateRead:
    return EngagementRateRead(
        value=measured.engagement_rate,
        formula=measured.engagement_formula,
        formula_text=service.formula_text(measured.engagement_formula),
        provenance=measured.metrics_provenance,
        source=measured.metrics_source,
        at=measured.metrics_at,
    )


def _tier(followers: int | None) -> TierRead | None:
    tier = service.tier_of(followers)
    if tier is None:
        return None
    return TierRead(
        name=tier.name,
        label=tier.label,
        min_followers=tier.min_followers,
        max_followers=tier.max_followers,
    )


def row_read(row: service.AccountRow, badge: CredibilityBadgeRead | None = None) -> CreatorRowRead:
    return CreatorRowRead(
        account_id=row.account_id,
        creator_id=row.creator_id,
        display_name=row.display_name,
        is_virtual=row.is_virtual,
        platform=row.platform,
        handle=row.handle,
        url=row.url,
        followers=_figure(row.followers, row),
        engagement_rate=_engagement(row),
        tier=_tier(row.followers),
        country=row.country,
        language=row.language,
        categories=row.categories,
        relationship_status=row.relationship_status,
        credibility=badge,
        relevance=RelevanceRead(**vars(row.relevance)) if row.relevance else None,
    )


def page_read(ctx: Context, page: Page[service.AccountRow]) -> CreatorPageRead:
    """The list's answer, as the API and `tastemaker creators list --json` give it."""
    badges = {
        account_id: CredibilityBadgeRead(**vars(badge))
        for account_id, badge in vetting_service.credibility_badges(
            ctx, [row.account_id for row in page.items]
        ).items()
    }
    return CreatorPageRead(
        items=[row_read(row, badges.get(row.account_id)) for row in page.items],
        page=page.page,
        per_page=page.per_page,
        has_next=page.has_next,
    )


def _account_read(
    account: PlatformAccount, snapshots: Sequence[MetricSnapshot]
) -> AccountDetailRead:
    return AccountDetailRead(
        id=account.id,
        creator_id=account.creator_id,
        platform=account.platform,
        handle=account.handle,
        url=account.url,
        **{name: _figure(getattr(account, name), account) for name in METRIC_FIELDS},
        engagement_rate=_engagement(account),
        tier=_tier(account.followers),
        country=account.country,
        language=account.language,
        bio=account.bio,
        contact_email=account.contact_email,
        categories=sorted(c.category for c in account.categories),
        updated_at=account.updated_at,
        snapshots=[SnapshotRead.model_validate(s) for s in snapshots],
    )


def _workspace_data_read(overlay: WorkspaceCreator | None) -> WorkspaceDataRead:
    if overlay is None:
        return WorkspaceDataRead(
            notes="",
            tags=[],
            custom_fields={},
            relationship_status=RelationshipStatus.none,
            updated_at=None,
        )
    return WorkspaceDataRead(
        notes=overlay.notes,
        tags=overlay.tags,
        custom_fields=overlay.custom_fields,
        relationship_status=overlay.relationship_status,
        updated_at=overlay.updated_at,
    )


def _rate_read(rate: CreatorRate) -> RateRead:
    return RateRead(
        id=rate.id,
        creator_id=rate.creator_id,
        platform=rate.platform,
        deliverable=rate.deliverable,
        amount_minor=rate.amount_minor,
        currency=rate.currency,
        formatted=format_minor(rate.amount_minor, rate.currency),
        created_at=rate.created_at,
    )


def _creator_read(detail: service.CreatorDetail) -> CreatorRead:
    creator = detail.creator
    return CreatorRead(
        id=creator.id,
        display_name=creator.display_name,
        is_virtual=creator.is_virtual,
        created_at=creator.created_at,
        updated_at=creator.updated_at,
        accounts=[_account_read(a, detail.snapshots[a.id]) for a in creator.accounts],
        workspace_data=_workspace_data_read(detail.workspace_data),
        rates=[_rate_read(r) for r in detail.rates],
        lists=[ListRef(id=cl.id, name=cl.name) for cl in detail.lists],
    )


def _list_read(creator_list: CreatorList, size: int) -> ListRead:
    return ListRead(
        id=creator_list.id,
        name=creator_list.name,
        description=creator_list.description,
        size=size,
        created_at=creator_list.created_at,
        updated_at=creator_list.updated_at,
    )


# ----------------------------------------------------------------------------- creators


@router.get("/creators", response_model=CreatorPageRead, tags=["creators"])
def list_creators(ctx: ApiContext, query: Annotated[CreatorQuery, Query()]) -> CreatorPageRead:
    """One row per platform account. Filters combine with AND; `tier` stands for its
    follower band (configurable); `tag`, `relationship_status` and `list_id` are this
    workspace's own. Sorts: followers, engagement_rate, name, updated; `-` for descending.
    Accounts without the sorted figure come last. With `about` (a description in plain
    words), the accounts are ranked by relevance instead, and each row shows its scores."""
    return page_read(
        ctx, service.list_creators(ctx, query, query.sort, PageParams(query.page, query.per_page))
    )


@router.post(
    "/creators", response_model=CreatorRead, status_code=status.HTTP_201_CREATED, tags=["creators"]
)
def create_creator(body: CreatorCreate, ctx: ApiWriter) -> CreatorRead:
    """A creator entered by hand, with one or more accounts. A platform and handle already
    known answer 409 with the creator's id in `details`."""
    creator = service.create_creator(ctx, body)
    return _creator_read(service.creator_detail(ctx, creator.id))


@router.get("/creators/{creator_id}", response_model=CreatorRead, tags=["creators"])
def read_creator(creator_id: IdPath, ctx: ApiContext) -> CreatorRead:
    """Public facts, the last 90 days of metric history, and this workspace's own data."""
    return _creator_read(service.creator_detail(ctx, creator_id))


@router.patch("/creators/{creator_id}", response_model=CreatorRead, tags=["creators"])
def update_creator(creator_id: IdPath, body: CreatorUpdate, ctx: ApiWriter) -> CreatorRead:
    service.update_creator(ctx, creator_id, body)
    return _creator_read(service.creator_detail(ctx, creator_id))


@router.post(
    "/creators/{creator_id}/accounts",
    response_model=AccountDetailRead,
    status_code=status.HTTP_201_CREATED,
    tags=["creators"],
)
def add_account(creator_id: IdPath, body: AccountCreate, ctx: ApiWriter) -> AccountDetailRead:
    account = service.add_account(ctx, creator_id, body)
    found = service.account_detail(ctx, creator_id, account.id)
    return _account_read(found.account, found.snapshots)


@router.patch(
    "/creators/{creator_id}/accounts/{account_id}",
    response_model=AccountDetailRead,
    tags=["creators"],
)
def update_account(
    creator_id: IdPath, account_id: IdPath, body: AccountUpdate, ctx: ApiWriter
) -> AccountDetailRead:
    """Only the fields sent change. New metrics are recorded with the `provenance` given
    ('reported' by default) and source 'manual', and added to the account's history."""
    service.update_account(ctx, creator_id, account_id, body)
    found = service.account_detail(ctx, creator_id, account_id)
    return _account_read(found.account, found.snapshots)


@router.delete(
    "/creators/{creator_id}/accounts/{account_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["creators"],
)
def remove_account(creator_id: IdPath, account_id: IdPath, ctx: ApiWriter) -> None:
    service.remove_account(ctx, creator_id, account_id)


@router.get(
    "/creators/{creator_id}/accounts/{account_id}/snapshots",
    response_model=list[SnapshotRead],
    tags=["creators"],
)
def account_snapshots(
    creator_id: IdPath,
    account_id: IdPath,
    ctx: ApiContext,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> list[SnapshotRead]:
    """Metric history, oldest first: the most recent `limit` snapshots in the window."""
    snapshots = service.account_snapshots(
        ctx, creator_id, account_id, since=since, until=until, limit=limit
    )
    return [SnapshotRead.model_validate(s) for s in snapshots]


@router.get(
    "/creators/{creator_id}/accounts/{account_id}/posts",
    response_model=list[PostRead],
    tags=["creators"],
)
def account_posts(
    creator_id: IdPath,
    account_id: IdPath,
    ctx: ApiContext,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[PostRead]:
    """The account's latest posts, newest first, each with its provenance and source."""
    posts = service.account_posts(ctx, creator_id, account_id, limit=limit)
    return [PostRead.model_validate(p) for p in posts]


@router.put(
    "/creators/{creator_id}/workspace-data", response_model=WorkspaceDataRead, tags=["creators"]
)
def update_workspace_data(
    creator_id: IdPath, body: WorkspaceDataUpdate, ctx: ApiWriter
) -> WorkspaceDataRead:
    """This workspace's notes, tags, custom fields and relationship status. Fields left out
    keep their value. No other workspace ever sees them."""
    return _workspace_data_read(service.update_workspace_data(ctx, creator_id, body))


@router.post(
    "/creators/{creator_id}/rates",
    response_model=RateRead,
    status_code=status.HTTP_201_CREATED,
    tags=["creators"],
)
def add_rate(creator_id: IdPath, body: RateCreate, ctx: ApiWriter) -> RateRead:
    return _rate_read(service.add_rate(ctx, creator_id, body))


@router.delete(
    "/creators/{creator_id}/rates/{rate_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["creators"],
)
def remove_rate(creator_id: IdPath, rate_id: IdPath, ctx: ApiWriter) -> None:
    service.remove_rate(ctx, creator_id, rate_id)


# ----------------------------------------------------------------------------- lists


@router.get("/lists", response_model=list[ListRead], tags=["lists"])
def list_lists(ctx: ApiContext) -> list[ListRead]:
    return [_list_read(s.creator_list, s.size) for s in service.lists(ctx)]


@router.post("/lists", response_model=ListRead, status_code=status.HTTP_201_CREATED, tags=["lists"])
def create_list(body: ListCreate, ctx: ApiWriter) -> ListRead:
    return _list_read(service.create_list(ctx, body), 0)


@router.get("/lists/{list_id}", response_model=ListDetailRead, tags=["lists"])
def read_list(
    list_id: IdPath,
    ctx: ApiContext,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ListDetailRead:
    """The list and one page of its members, most recently added first."""
    creator_list = service.get_list(ctx, list_id)
    members = service.list_members(ctx, list_id, PageParams(page, per_page))
    return ListDetailRead(
        **_list_read(creator_list, service.list_size(ctx, list_id)).model_dump(),
        members=[
            ListMemberRead(
                creator_id=m.creator.id,
                display_name=m.creator.display_name,
                is_virtual=m.creator.is_virtual,
                added_at=m.added_at,
                accounts=[f"{a.platform.value}:{a.handle}" for a in m.creator.accounts],
            )
            for m in members.items
        ],
        page=members.page,
        per_page=members.per_page,
        has_next=members.has_next,
    )


@router.patch("/lists/{list_id}", response_model=ListRead, tags=["lists"])
def update_list(list_id: IdPath, body: ListUpdate, ctx: ApiWriter) -> ListRead:
    creator_list = service.update_list(ctx, list_id, body)
    return _list_read(creator_list, service.list_size(ctx, list_id))


@router.delete("/lists/{list_id}", status_code=status.HTTP_204_NO_CONTENT, tags=["lists"])
def delete_list(list_id: IdPath, ctx: ApiWriter) -> None:
    service.delete_list(ctx, list_id)


@router.post(
    "/lists/{list_id}/creators/{creator_id}",
    response_model=ListEntryRead,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": ListEntryRead, "description": "already in the list"}},
    tags=["lists"],
)
def add_to_list(
    list_id: IdPath, creator_id: IdPath, ctx: ApiWriter, response: Response
) -> ListEntryRead:
    """Idempotent: 201 when added, 200 when the creator was already in the list."""
    entry, added = service.add_to_list(ctx, list_id, creator_id)
    if not added:
        response.status_code = status.HTTP_200_OK
    return ListEntryRead(
        list_id=entry.list_id, creator_id=entry.creator_id, added_at=entry.added_at
    )


@router.delete(
    "/lists/{list_id}/creators/{creator_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["lists"],
)
def remove_from_list(list_id: IdPath, creator_id: IdPath, ctx: ApiWriter) -> None:
    service.remove_from_list(ctx, list_id, creator_id)
