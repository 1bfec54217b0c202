"""Brand-safety scans through the service: what is found and kept, which posts are read,
refusals, roles and workspaces."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tastemaker.brandsafety import service
from tastemaker.brandsafety.models import BrandSafetyScan
from tastemaker.brandsafety.report import (
    EVIDENCE_COLUMNS,
    build_report,
    write_evidence_csv,
)
from tastemaker.brandsafety.scanner import Competitor, Post, Scanner
from tastemaker.brandsafety.terms import RiskLevel
from tastemaker.creator.models import Creator, Platform, PlatformAccount
from tastemaker.creator.service import remove_account
from tastemaker.kit.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tastemaker.workspace.models import AuditEvent, Role
from tests.brandsafety.builders import NEWEST, add_captions, scan_request, store_scan
from tests.creator.builders import account_of
from tests.factories import World, add_account, context, count_rows, make_creator

DRUGS = "illegal_drugs_tobacco_vaping_alcohol"
FLAGGED = "Morning routine: detox tea, then a line of cocaine before the gym"
CLEAN = "Sunday walk by the sea"


@pytest.fixture
def creator(db: Session) -> Creator:
    return make_creator(db, name="Ana Lima", handle="ana.lima")


@pytest.fixture
def account(db: Session, creator: Creator) -> PlatformAccount:
    return account_of(db, creator)


def test_a_garm_term_and_a_brand_keyword_are_found_in_their_post(
    db: Session, world: World, account: PlatformAccount
) -> None:
    newest, flagged, _ = add_captions(db, account, CLEAN, FLAGGED, CLEAN)
    scan = store_scan(db, world.a, account, keywords=["detox tea"])

    assert scan.workspace_id == world.a.id and scan.account_id == account.id
    assert (scan.posts_scanned, scan.posts_flagged, scan.findings_count) == (3, 1, 2)
    found = {(f["category"], f["term"], f["matched"]) for f in scan.findings}
    assert found == {("brand_keyword", "detox tea", "detox tea"), (DRUGS, "cocaine", "cocaine")}
    for finding in scan.findings:
        assert finding["post_id"] == flagged.id
        assert finding["external_id"] == "ana.lima-2"
        assert finding["post_url"] == flagged.url
        assert finding["posted_at"] == flagged.posted_at.isoformat()
        # The offsets are the caption's: the words are where the evidence says.
        assert FLAGGED[finding["start"] : finding["end"]] == finding["matched"]
        excerpt_start = finding["excerpt_start"]
        assert (
            FLAGGED[excerpt_start : excerpt_start + len(finding["excerpt"])] == (finding["excerpt"])
        )
    keyword = next(f for f in scan.findings if f["source"] == "keyword")
    assert keyword["category_name"] == "Brand's blocked keywords" and keyword["level"] == "high"
    assert newest.id not in {f["post_id"] for f in scan.findings}


def test_the_stored_figures_are_the_library_report(
    db: Session, world: World, account: PlatformAccount
) -> None:
    captions = [FLAGGED, CLEAN, "Loving my #RivalBrand hoodie", CLEAN]
    add_captions(db, account, *captions)
    scan = store_scan(
        db, world.a, account, keywords=["detox tea"], competitors=[{"name": "Rival Brand"}]
    )

    scanner = Scanner(keywords=["detox tea"], competitors=[Competitor("Rival Brand")])
    expected = build_report(
        "instagram:ana.lima", scanner.scan(Post(str(n), c) for n, c in enumerate(captions))
    )
    assert expected.score is not None
    assert scan.score == expected.score.value
    # One post at "high" of four (the competitor mention does not count): 100 exp(-2.5).
    assert scan.summary == expected.summary == "2 of 4 posts flagged; brand-safety score 8.2 / 100"
    assert scan.status == "scanned" and scan.highest_level == "high"
    assert scan.lexicon_version == expected.lexicon_version
    assert scan.score_detail is not None
    assert scan.score_detail["posts_at"] == {"floor": 0, "high": 1, "medium": 0, "low": 0}
    by_category = {c["category"]: c for c in scan.categories}
    assert by_category[DRUGS]["posts_flagged"] == 1
    assert by_category[DRUGS]["share_flagged"] == 0.25
    assert by_category["competitor"]["terms"] == [{"term": "Rival Brand", "findings": 1}]
    # Every GARM category is reported, found in or not, then keywords and competitors.
    assert len(scan.categories) == len(expected.categories) == 14


def test_the_settings_are_kept_with_the_scan(
    db: Session, world: World, account: PlatformAccount
) -> None:
    add_captions(db, account, CLEAN)
    scan = store_scan(
        db,
        world.a,
        account,
        keywords=["  detox tea ", "Detox Tea", "diet pills"],
        competitors=[{"name": "Rival Brand", "aliases": ["@rival", "#rivalcola"]}],
        tolerance={"obscenity_profanity": "medium"},
        posts=10,
    )
    # Stripped, and the same keyword twice (as the scanner folds it) kept once.
    assert scan.keywords == ["detox tea", "diet pills"]
    assert scan.competitors == [{"name": "Rival Brand", "aliases": ["@rival", "#rivalcola"]}]
    assert scan.tolerance == {"obscenity_profanity": "medium"}
    assert scan.post_limit == 10


def test_only_the_most_recent_posts_are_scanned(
    db: Session, world: World, account: PlatformAccount
) -> None:
    # Newest first: the flagged caption is the third most recent.
    posts = add_captions(db, account, CLEAN, CLEAN, FLAGGED)
    two = store_scan(db, world.a, account, keywords=["detox tea"], posts=2)
    assert (two.posts_scanned, two.findings_count) == (2, 0)
    assert two.summary == "0 of 2 posts flagged; brand-safety score 100.0 / 100"
    assert (two.oldest_post_at, two.newest_post_at) == (posts[1].posted_at, NEWEST)
    three = store_scan(db, world.a, account, keywords=["detox tea"], posts=3)
    assert (three.posts_scanned, three.posts_flagged) == (3, 1)


def test_posts_without_a_caption_are_counted_apart(
    db: Session, world: World, account: PlatformAccount
) -> None:
    add_captions(db, account, FLAGGED, "", "   ", CLEAN)
    scan = store_scan(db, world.a, account)
    # Empty captions would dilute the flagged share; they are said, not scanned.
    assert (scan.posts_scanned, scan.posts_without_text, scan.posts_flagged) == (2, 2, 1)


def test_an_account_without_posts_is_refused_not_scored_clean(
    db: Session, world: World, account: PlatformAccount
) -> None:
    with pytest.raises(Conflict) as refused:
        store_scan(db, world.a, account, keywords=["detox tea"])
    assert refused.value.code == "no_posts"
    assert refused.value.message.startswith("no posts stored for instagram:ana.lima")
    assert count_rows(db, BrandSafetyScan) == 0


def test_an_account_whose_posts_have_no_caption_is_refused(
    db: Session, world: World, account: PlatformAccount
) -> None:
    add_captions(db, account, "", "")
    with pytest.raises(Conflict) as refused:
        store_scan(db, world.a, account)
    assert refused.value.code == "no_captions"
    assert "none of the 2 most recent posts of instagram:ana.lima has a caption" in (
        refused.value.message
    )
    assert count_rows(db, BrandSafetyScan) == 0


def test_a_tolerated_finding_is_evidence_but_not_scored(
    db: Session, world: World, account: PlatformAccount
) -> None:
    add_captions(db, account, "What the fuck is this weather", CLEAN)
    strict = store_scan(db, world.a, account)
    tolerant = store_scan(db, world.a, account, tolerance={"obscenity_profanity": "medium"})
    assert strict.score is not None and strict.score < 100
    assert tolerant.score == 100.0
    assert [f["term"] for f in tolerant.findings] == ["fuck"]
    assert tolerant.posts_flagged == 1


def test_the_evidence_csv_has_one_row_per_finding(
    db: Session, world: World, account: PlatformAccount
) -> None:
    add_captions(db, account, FLAGGED, "Thanks @rival for the hoodie", CLEAN)
    stored = store_scan(db, world.a, account, keywords=["detox tea"],
                        competitors=[{"name": "Rival Brand", "aliases": ["@rival"]}])  # fmt: skip
    scan = service.get_scan(context(db, world.a), stored.id)
    rows = list(csv.DictReader(io.StringIO(service.evidence_csv(scan))))
    assert len(rows) == scan.findings_count == 3
    assert list(rows[0]) == list(EVIDENCE_COLUMNS)
    assert {r["creator"] for r in rows} == {"instagram:ana.lima"}
    assert [(r["post_id"], r["matched"]) for r in rows] == [
        ("ana.lima-1", "detox tea"),
        ("ana.lima-1", "cocaine"),
        # A spreadsheet would run "@rival" as a formula: the export quotes it.
        ("ana.lima-2", "'@rival"),
    ]
    assert rows[0]["post_url"] == "https://www.instagram.com/p/ana.lima-1/"
    assert rows[1]["category_name"] == "Illegal drugs, tobacco, vaping, alcohol"


def test_the_stored_evidence_csv_is_the_reports_made_at_scan_time(
    db: Session, world: World, account: PlatformAccount
) -> None:
    posts = add_captions(db, account, FLAGGED, '=HYPERLINK("x"), "wine", @rival\nand more wine', "")
    stored = store_scan(
        db, world.a, account, keywords=["detox tea"],
        competitors=[{"name": "Rival Brand", "aliases": ["@rival"]}],
        tolerance={"obscenity_profanity": "medium"},
    )  # fmt: skip
    scan = service.get_scan(context(db, world.a), stored.id)
    # The report of the same captions, made here by the library.
    scanner = Scanner(keywords=["detox tea"], competitors=[Competitor("Rival Brand", ("@rival",))])
    result = scanner.scan(
        Post(p.external_id, p.caption, url=p.url, posted_at=p.posted_at) for p in posts if p.caption
    )
    report = build_report(
        "instagram:ana.lima", result, tolerance={"obscenity_profanity": RiskLevel.MEDIUM}
    )
    stream = io.StringIO()
    write_evidence_csv([report], stream)
    # Byte for byte: written from the stored rows, the CSV is the one the report gives.
    assert service.evidence_csv(scan) == stream.getvalue()
    assert scan.findings_count == len(report.findings) >= 4


def test_evidence_is_bounded_but_every_finding_is_counted(
    db: Session, world: World, account: PlatformAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "MAX_EVIDENCE", 2)
    add_captions(db, account, "detox tea, detox tea, detox tea")
    scan = store_scan(db, world.a, account, keywords=["detox tea"])
    assert scan.findings_count == 3 and len(scan.findings) == 2


def test_an_analyst_cannot_scan_but_reads_scans(
    db: Session, world: World, account: PlatformAccount
) -> None:
    add_captions(db, account, FLAGGED)
    stored = store_scan(db, world.a, account)
    analyst = context(db, world.a, Role.analyst, world.users["a_analyst"])
    with pytest.raises(PermissionDenied):
        service.scan_account(analyst, account.creator_id, account.id, scan_request())
    assert [s.id for s in service.list_scans(analyst, account.creator_id, account.id)] == [
        stored.id
    ]
    assert service.get_scan(analyst, stored.id).findings == stored.findings


def test_scans_are_the_workspaces_own(db: Session, world: World, account: PlatformAccount) -> None:
    add_captions(db, account, FLAGGED)
    mine = store_scan(db, world.a, account, keywords=["detox tea"])
    theirs = store_scan(db, world.b, account)
    a, b = context(db, world.a), context(db, world.b)
    assert [s.id for s in service.list_scans(a, account.creator_id, account.id)] == [mine.id]
    assert [s.id for s in service.list_scans(b, account.creator_id, account.id)] == [theirs.id]
    with pytest.raises(NotFound):
        service.get_scan(b, mine.id)


def test_list_is_newest_first(db: Session, world: World, account: PlatformAccount) -> None:
    add_captions(db, account, CLEAN)
    made = [store_scan(db, world.a, account) for _ in range(3)]
    ctx = context(db, world.a)
    listed = service.list_scans(ctx, account.creator_id, account.id)
    assert [s.id for s in listed] == [s.id for s in reversed(made)]
    assert [s.id for s in service.list_scans(ctx, account.creator_id, account.id, 1)] == [
        made[-1].id
    ]
    with pytest.raises(ValidationFailed):
        service.list_scans(ctx, account.creator_id, account.id, limit=0)


def test_the_account_must_be_the_creators(
    db: Session, world: World, account: PlatformAccount
) -> None:
    add_captions(db, account, FLAGGED)
    other = make_creator(db, name="Someone Else")
    with pytest.raises(NotFound):
        service.scan_account(context(db, world.a), other.id, account.id, scan_request())
    assert count_rows(db, BrandSafetyScan) == 0


def test_a_scan_is_audited_with_who_made_it(
    db: Session, world: World, account: PlatformAccount
) -> None:
    add_captions(db, account, FLAGGED, CLEAN)
    manager = world.users["a_manager"]
    ctx = context(db, world.a, Role.manager, manager)
    scan = service.scan_account(
        ctx, account.creator_id, account.id, scan_request(keywords=["detox tea"])
    )
    assert scan.created_by_id == manager.id
    audit = db.scalars(
        select(AuditEvent).where(
            AuditEvent.workspace_id == world.a.id,
            AuditEvent.action == "brand_safety_scan.created",
        )
    ).one()
    assert audit.subject_id == scan.id and audit.actor_user_id == manager.id
    assert audit.details["account"] == "instagram:ana.lima"
    assert (audit.details["posts_scanned"], audit.details["posts_flagged"]) == (2, 1)


def test_a_removed_account_takes_its_scans_in_every_workspace(
    db: Session, world: World, creator: Creator
) -> None:
    second = add_account(db, creator, platform=Platform.tiktok, handle="ana.tt")
    add_captions(db, second, FLAGGED)
    store_scan(db, world.a, second)
    store_scan(db, world.b, second)
    remove_account(context(db, world.a), creator.id, second.id)
    assert count_rows(db, BrandSafetyScan) == 0
