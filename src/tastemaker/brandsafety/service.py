"""Brand-safety scans: an account's most recent captions run through the scanner with the
workspace's keyword and competitor lists, the report kept as the workspace's own evidence.

Which posts: the account's most recent `posts` (default 50, at most 200) stored posts,
whatever their age, rather than a window of days: a window gives a creator who posts
twice a month two captions to judge and one who posts ten times a day hundreds, while a
count gives every creator a comparable sample of their current voice. The oldest and
newest dates scanned are kept with the scan, so a reader sees how far back it went.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from itertools import islice

from tastemaker.brandsafety.models import BrandSafetyScan
from tastemaker.brandsafety.report import (
    FORMULA,
    CreatorReport,
    build_report,
    evidence_values,
    report_to_dict,
    write_evidence_rows,
)
from tastemaker.brandsafety.repository import BrandSafetyScanRepository
from tastemaker.brandsafety.scanner import Competitor, Post, Scanner
from tastemaker.brandsafety.schemas import ScanCreate
from tastemaker.brandsafety.terms import load_lexicon
from tastemaker.creator import service as creator_service
from tastemaker.creator.models import PlatformAccount
from tastemaker.creator.models import Post as StoredPost
from tastemaker.kit.errors import Conflict
from tastemaker.kit.pagination import check_page_size
from tastemaker.workspace.context import Context
from tastemaker.workspace.service import record

DEFAULT_LIST = 50
# Evidence kept per scan. 200 captions rarely give more than a few hundred findings; the
# bound is for a caption pasting one blocked word thousands of times, which would otherwise
# make one row of megabytes. The figures are computed on every finding all the same.
MAX_EVIDENCE = 5000

MEANINGS: dict[str, str] = {
    "score": f"0-100, 100 when nothing counted was found: {FORMULA}",
    "posts_scanned": "the account's most recent stored posts with a caption, as asked for",
    "posts_flagged": "scanned posts with at least one finding, competitor mentions included",
    "posts_without_text": "of the most recent posts read, those without a caption to scan",
    "highest_level": "the highest GARM risk level among the findings (floor is the worst)",
    "categories": (
        "per GARM category, then the brand's keywords and competitors: posts flagged, their "
        "share of the posts scanned, findings and the terms found most"
    ),
    "findings": (
        "evidence: each match with its post, the words matched and the words around them; "
        "offsets count code points in the caption as it was scanned"
    ),
    "tolerance": "per category, the highest level the brand accepts: kept as evidence, not scored",
    "negation": (
        "negation and stance are not read: 'say no to drugs' is found like an endorsement "
        "would be. A finding is evidence for a person to read, not a verdict"
    ),
}


def _scans(ctx: Context) -> BrandSafetyScanRepository:
    return BrandSafetyScanRepository(ctx.session, ctx.workspace_id)


# ----------------------------------------------------------------------------- scanning


def scan_account(
    ctx: Context, creator_id: int, account_id: int, request: ScanCreate
) -> BrandSafetyScan:
    """Scans the account's most recent captions and stores the report in this workspace."""
    account = creator_service.get_account(ctx.session, creator_id, account_id)
    return run_scan(ctx, account, request)


def run_scan(ctx: Context, account: PlatformAccount, request: ScanCreate) -> BrandSafetyScan:
    """`account` must come from creator_service; every scan goes through here. An
    account without stored posts is refused (409): a scan of nothing is not a clean one."""
    ctx.require_write()
    label = creator_service.account_label(account)
    posts = creator_service.posts_of(ctx.session, account.id, limit=request.posts)
    if not posts:
        raise Conflict(
            f"no posts stored for {label}: import its posts or connect the platform, then"
            " scan again",
            code="no_posts",
        )
    with_text = [p for p in posts if p.caption.strip()]
    if not with_text:
        raise Conflict(
            f"none of the {len(posts)} most recent posts of {label} has a caption to scan",
            code="no_captions",
        )
    lexicon = load_lexicon()
    scanner = Scanner(
        lexicon,
        keywords=request.keywords,
        competitors=[Competitor(c.name, tuple(c.aliases)) for c in request.competitors],
    )
    # The platform's id names a post in the evidence: unique within the account, and what
    # a brand finds the post by.
    result = scanner.scan(
        Post(p.external_id, p.caption, url=p.url, posted_at=p.posted_at) for p in with_text
    )
    report = build_report(label, result, lexicon=lexicon, tolerance=request.tolerance)
    return _save(ctx, account, request, report, with_text, len(posts) - len(with_text))


def _save(
    ctx: Context,
    account: PlatformAccount,
    request: ScanCreate,
    report: CreatorReport,
    scanned: Sequence[StoredPost],
    without_text: int,
) -> BrandSafetyScan:
    as_dict = report_to_dict(report)
    by_external = {p.external_id: p for p in scanned}
    scan = _scans(ctx).add(
        BrandSafetyScan(
            workspace_id=ctx.workspace_id,
            account_id=account.id,
            account=account,
            created_by_id=ctx.user_id,
            keywords=list(request.keywords),
            competitors=[c.model_dump() for c in request.competitors],
            tolerance={category: level.value for category, level in request.tolerance.items()},
            post_limit=request.posts,
            lexicon_version=report.lexicon_version,
            posts_scanned=report.posts_scanned,
            posts_flagged=report.posts_flagged,
            posts_without_text=without_text,
            oldest_post_at=min(p.posted_at for p in scanned),
            newest_post_at=max(p.posted_at for p in scanned),
            score_detail=as_dict["score"],
            categories=as_dict["categories"],
            findings_count=len(report.findings),
            # The evidence names its post by our id and by the platform's.
            findings=[
                {
                    **values,
                    "post_id": by_external[values["post_id"]].id,
                    "external_id": values["post_id"],
                }
                for values in islice(evidence_values(report), MAX_EVIDENCE)
            ],
        )
    )
    record(
        ctx,
        "brand_safety_scan.created",
        "brand_safety_scan",
        scan.id,
        creator_id=account.creator_id,
        account=creator_service.account_label(account),
        keywords=len(scan.keywords),
        competitors=len(scan.competitors),
        posts_scanned=scan.posts_scanned,
        posts_flagged=scan.posts_flagged,
        score=scan.score,
    )
    return scan


# ----------------------------------------------------------------------------- reading


def list_scans(
    ctx: Context, creator_id: int, account_id: int, limit: int = DEFAULT_LIST
) -> Sequence[BrandSafetyScan]:
    """This workspace's scans of the account, newest first."""
    account = creator_service.get_account(ctx.session, creator_id, account_id)
    return scans_of(ctx, account, limit)


def scans_of(
    ctx: Context, account: PlatformAccount, limit: int = DEFAULT_LIST
) -> Sequence[BrandSafetyScan]:
    """As list_scans, for a caller that already has the account."""
    check_page_size(limit)
    return _scans(ctx).for_account(account, limit)


def get_scan(ctx: Context, scan_id: int) -> BrandSafetyScan:
    """One of this workspace's scans, with its account and evidence; another workspace's
    scan is not found, as if it did not exist."""
    return _scans(ctx).with_evidence(scan_id)


def evidence_csv(scan: BrandSafetyScan) -> str:
    """The scan's evidence as brandsafety.report writes a report's: one row per finding
    kept, the platform's post id in post_id, spreadsheet-safe. `scan` must have its findings
    loaded (get_scan). Written from the stored findings, not from the captions, which may
    have changed since."""
    creator = creator_service.account_label(scan.account)
    stream = io.StringIO()
    write_evidence_rows(
        ({**row, "creator": creator, "post_id": row["external_id"]} for row in scan.findings),
        stream,
    )
    return stream.getvalue()
