"""JSON API of brand-safety scans: scan an account's recent captions, read the reports,
export the evidence. Thin: call the service, shape the answer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, status
from fastapi.responses import Response

from tastemaker.brandsafety import service
from tastemaker.brandsafety.models import BrandSafetyScan
from tastemaker.brandsafety.schemas import (
    CategoryRead,
    FindingRead,
    ScanCreate,
    ScanDetail,
    ScanRead,
    ScanSettings,
    ScoreRead,
)
from tastemaker.creator import service as creator_service
from tastemaker.creator.schemas import AccountRef
from tastemaker.kit.ids import IdPath
from tastemaker.kit.pagination import MAX_PAGE_SIZE
from tastemaker.web.deps import ApiContext, ApiWriter
from tastemaker.web.downloads import csv_download

router = APIRouter(tags=["brand-safety scans"])

SCANS_PATH = "/creators/{creator_id}/accounts/{account_id}/brand-safety-scans"


def _fields(scan: BrandSafetyScan) -> dict[str, Any]:
    account = scan.account
    return {
        "id": scan.id,
        "account": AccountRef.model_validate(account),
        "created_at": scan.created_at,
        "created_by_id": scan.created_by_id,
        "settings": ScanSettings.model_validate(
            {
                "keywords": scan.keywords,
                "competitors": scan.competitors,
                "tolerance": scan.tolerance,
                "posts": scan.post_limit,
                "lexicon_version": scan.lexicon_version,
            }
        ),
        "status": scan.status,
        "summary": scan.summary,
        "posts_scanned": scan.posts_scanned,
        "posts_flagged": scan.posts_flagged,
        "posts_without_text": scan.posts_without_text,
        "oldest_post_at": scan.oldest_post_at,
        "newest_post_at": scan.newest_post_at,
        "highest_level": scan.highest_level,
        "score": ScoreRead.model_validate(scan.score_detail) if scan.score_detail else None,
        "categories": [CategoryRead.model_validate(c) for c in scan.categories],
        "findings_count": scan.findings_count,
        "meanings": service.MEANINGS,
    }


def scan_read(scan: BrandSafetyScan) -> ScanRead:
    return ScanRead(**_fields(scan))


def scan_detail(scan: BrandSafetyScan) -> ScanDetail:
    """`scan` must have its evidence loaded (service.get_scan, or just created)."""
    return ScanDetail(
        **_fields(scan),
        findings=[FindingRead.model_validate(f) for f in scan.findings],
        findings_kept=len(scan.findings),
    )


@router.post(SCANS_PATH, response_model=ScanDetail, status_code=status.HTTP_201_CREATED)
def create_scan(
    creator_id: IdPath,
    account_id: IdPath,
    ctx: ApiWriter,
    data: Annotated[ScanCreate | None, Body()] = None,
) -> ScanDetail:
    """Scans the account's most recent captions (50 unless `posts` says otherwise) for the
    GARM categories, the brand's keywords and its competitors, and stores the report with
    its evidence in this workspace. No body scans for the GARM categories alone. An account
    with no stored posts, or none with a caption, is refused (409): nothing scanned is not a
    clean score."""
    scan = service.scan_account(ctx, creator_id, account_id, data or ScanCreate())
    return scan_detail(scan)


@router.get(SCANS_PATH, response_model=list[ScanRead])
def list_scans(
    creator_id: IdPath,
    account_id: IdPath,
    ctx: ApiContext,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = service.DEFAULT_LIST,
) -> list[ScanRead]:
    """This workspace's scans of the account, newest first, without their evidence."""
    return [scan_read(s) for s in service.list_scans(ctx, creator_id, account_id, limit)]


@router.get("/brand-safety-scans/{scan_id}", response_model=ScanDetail)
def read_scan(scan_id: IdPath, ctx: ApiContext) -> ScanDetail:
    return scan_detail(service.get_scan(ctx, scan_id))


@router.get(
    "/brand-safety-scans/{scan_id}/evidence.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "one row per finding"}},
)
def evidence_csv(scan_id: IdPath, ctx: ApiContext) -> Response:
    """The evidence as CSV, one row per finding; a value a spreadsheet would run as a
    formula starts with an apostrophe."""
    return evidence_download(service.get_scan(ctx, scan_id))


def evidence_download(scan: BrandSafetyScan) -> Response:
    """The scan's evidence CSV as a download, named after the account and the scan; for the
    pages too. `scan` must have its evidence loaded (service.get_scan)."""
    stem = f"{creator_service.account_label(scan.account)}-brand-safety-{scan.id}"
    return csv_download(service.evidence_csv(scan), stem)
