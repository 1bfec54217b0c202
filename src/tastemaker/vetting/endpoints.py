"""JSON API of audience checks: upload a follower sample of an account, read the reports.
Thin: read the upload, call the service, shape the answer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile, status

from tastemaker.creator.schemas import AccountRef
from tastemaker.kit.ids import IdPath
from tastemaker.kit.pagination import MAX_PAGE_SIZE
from tastemaker.vetting import service
from tastemaker.vetting.audience_quality import AudienceQuality, audience_quality
from tastemaker.vetting.models import AudienceCheck
from tastemaker.vetting.schemas import (
    AudienceCheckDetail,
    AudienceCheckRead,
    AudienceQualityRead,
    CredibilityRead,
    EstimateRead,
    FlaggedFollowerRead,
    GrowthEventRead,
    QualityComponentRead,
    ReasonRead,
    ShareRead,
)
from tastemaker.web.deps import ApiContext, ApiWriter
from tastemaker.web.uploads import read_upload

router = APIRouter(tags=["audience checks"])

CHECKS_PATH = "/creators/{creator_id}/accounts/{account_id}/audience-checks"


def _fields(check: AudienceCheck) -> dict[str, Any]:
    shown = service.figures(check)
    account = check.account
    return {
        "id": check.id,
        "account": AccountRef.model_validate(account),
        "created_at": check.created_at,
        "created_by_id": check.created_by_id,
        "source": check.source,
        "sample_size": check.sample_size,
        "threshold": check.threshold,
        "credibility": CredibilityRead.model_validate(shown.credibility),
        "expected_fake_share": EstimateRead.model_validate(shown.expected_fake_share),
        "flagged": ShareRead.model_validate(shown.flagged),
        "mass_followers": (
            ShareRead.model_validate(shown.mass_followers) if shown.mass_followers else None
        ),
        "reasons": [ReasonRead.model_validate(r) for r in check.reasons],
        "explained": check.explained,
        "sample_note": check.sample_note,
        "model_trained_at": check.model_trained_at,
        "meanings": service.MEANINGS,
    }


def check_read(check: AudienceCheck) -> AudienceCheckRead:
    return AudienceCheckRead(**_fields(check))


def check_detail(check: AudienceCheck) -> AudienceCheckDetail:
    """`check` must have its evidence loaded (service.get_check, or just created)."""
    return AudienceCheckDetail(
        **_fields(check),
        flagged_followers=[FlaggedFollowerRead.model_validate(f) for f in check.flagged_followers],
    )


@router.post(CHECKS_PATH, response_model=AudienceCheckDetail, status_code=status.HTTP_201_CREATED)
def create_check(
    creator_id: IdPath,
    account_id: IdPath,
    ctx: ApiWriter,
    file: Annotated[
        UploadFile, File(description="a follower sample: CSV (any delimiter), .xlsx or JSON")
    ],
) -> AudienceCheckDetail:
    """Scores a sample of the account's followers with the shipped fake-follower model and
    stores the report in this workspace. The file is not kept. A sample that cannot be read
    is refused (422) with every problem's row or item and field in `details.problems`."""
    check = service.check_audience(ctx, creator_id, account_id, read_upload(file), file.filename)
    return check_detail(check)


@router.get(CHECKS_PATH, response_model=list[AudienceCheckRead])
def list_checks(
    creator_id: IdPath,
    account_id: IdPath,
    ctx: ApiContext,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = service.DEFAULT_LIST,
) -> list[AudienceCheckRead]:
    """This workspace's checks of the account, newest first, without their evidence."""
    return [check_read(c) for c in service.list_checks(ctx, creator_id, account_id, limit)]


@router.get("/audience-checks/{check_id}", response_model=AudienceCheckDetail)
def read_check(check_id: IdPath, ctx: ApiContext) -> AudienceCheckDetail:
    return check_detail(service.get_check(ctx, check_id))


def quality_read(quality: AudienceQuality) -> AudienceQualityRead:
    account = quality.account
    return AudienceQualityRead(
        account=AccountRef.model_validate(account),
        score=quality.score.score,
        covered_weight=quality.score.covered_weight,
        tier=quality.tier.name if quality.tier else None,
        components=[QualityComponentRead(**vars(c)) for c in quality.score.components],
        growth_events=[GrowthEventRead(**vars(e)) for e in quality.growth.events],
        outlier_post_ids=list(quality.ratio.outliers),
        computed_at=quality.computed_at,
    )


@router.get(
    "/creators/{creator_id}/accounts/{account_id}/audience-quality",
    response_model=AudienceQualityRead,
)
def read_audience_quality(
    creator_id: IdPath, account_id: IdPath, ctx: ApiContext
) -> AudienceQualityRead:
    """The account's Audience Quality Score 0-100 with every component (real audience from
    this workspace's latest audience check, engagement rate against platform and tier
    peers, follower-growth anomalies, comments per like), each with its value, weight and
    where it comes from; components without data are listed as missing, not guessed."""
    return quality_read(audience_quality(ctx, creator_id, account_id))
