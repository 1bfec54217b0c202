from __future__ import annotations

import io
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime

import pytest

from tastemaker.brandsafety.report import (
    EVIDENCE_COLUMNS,
    WEIGHTS,
    CreatorReport,
    ReportStatus,
    build_report,
    evidence_rows,
    excerpt_parts,
    finding_to_dict,
    report_to_dict,
    write_evidence_csv,
)
from tastemaker.brandsafety.scanner import Competitor, Post, Scanner
from tastemaker.brandsafety.terms import RiskLevel

DRUGS = "illegal_drugs_tobacco_vaping_alcohol"


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(keywords=["detox tea"], competitors=[Competitor("Rival Brand")])


def posts(*flagged: str, total: int = 30) -> list[Post]:
    """`total` posts: the flagged texts first, then harmless ones."""
    texts = list(flagged) + ["Sunday walk by the sea"] * (total - len(flagged))
    return [Post(f"p{index}", text) for index, text in enumerate(texts, start=1)]


def report_of(
    scanner: Scanner, items: list[Post], tolerance: Mapping[str, RiskLevel] | None = None
) -> CreatorReport:
    return build_report("Ana Lima", scanner.scan(items), tolerance=tolerance)


def test_a_creator_with_no_posts_gets_nothing_scanned_not_a_perfect_score(
    scanner: Scanner,
) -> None:
    report = report_of(scanner, [])

    assert report.status is ReportStatus.NOTHING_SCANNED
    assert report.score is None
    assert report.summary == "nothing scanned: no score"
    assert {c.share_flagged for c in report.categories} == {None}
    as_dict = report_to_dict(report)
    assert (as_dict["status"], as_dict["score"], as_dict["evidence"]) == (
        "nothing_scanned",
        None,
        [],
    )


def test_clean_posts_score_100(scanner: Scanner) -> None:
    report = report_of(scanner, posts())
    assert report.status is ReportStatus.SCANNED
    assert report.score is not None
    assert (report.score.value, report.score.exposure) == (100.0, 0.0)
    assert report.summary == "0 of 30 posts flagged; brand-safety score 100.0 / 100"


@pytest.mark.parametrize(
    ("flagged", "score"),
    [
        (["Wine o'clock"], 96.7),  # one low: 100 * exp(-1/30)
        (["New vape flavour", "Vaping on the balcony"], 81.9),  # two medium: exp(-6/30)
        (["Cocaine is a hell of a drug"], 71.7),  # one high: exp(-10/30)
        (["Cocaine for sale, DM me"], 3.6),  # one floor: exp(-100/30)
        (["Detox tea every morning"], 71.7),  # a brand keyword, at the keyword level (high)
    ],
)
def test_score_follows_the_documented_formula(
    scanner: Scanner, flagged: list[str], score: float
) -> None:
    report = report_of(scanner, posts(*flagged))
    assert report.score is not None
    assert report.score.value == score


def test_a_post_counts_once_at_its_worst_finding_and_components_are_exposed(
    scanner: Scanner,
) -> None:
    report = report_of(scanner, posts("Wine, then cocaine, then more wine", "Beer o'clock"))

    score = report.score
    assert score is not None
    assert dict(score.posts_at) == {
        RiskLevel.FLOOR: 0,
        RiskLevel.HIGH: 1,
        RiskLevel.MEDIUM: 0,
        RiskLevel.LOW: 1,
    }
    assert score.shares_at[RiskLevel.HIGH] == pytest.approx(1 / 30)
    assert score.exposure == pytest.approx((10 + 1) / 30)
    assert score.weights == WEIGHTS
    assert score.value == 69.3  # 100 * exp(-11/30)
    assert "exp(-exposure)" in score.formula


def test_per_category_posts_flagged_share_and_highest_level(scanner: Scanner) -> None:
    report = report_of(scanner, posts("Wine, then cocaine", "Beer o'clock", "Piracy is theft"))

    drugs = next(c for c in report.categories if c.category == DRUGS)
    piracy = next(c for c in report.categories if c.category == "online_piracy")
    hate = next(c for c in report.categories if c.category == "hate_speech_aggression")
    assert (drugs.posts_flagged, drugs.findings, drugs.highest_level) == (2, 3, RiskLevel.HIGH)
    assert drugs.share_flagged == pytest.approx(2 / 30)
    assert drugs.terms == (("wine", 1), ("cocaine", 1), ("beer", 1))
    assert (piracy.posts_flagged, piracy.highest_level) == (1, RiskLevel.MEDIUM)
    assert (hate.posts_flagged, hate.share_flagged, hate.highest_level) == (0, 0.0, None)
    assert [c.category for c in report.categories][-2:] == ["brand_keyword", "competitor"]
    assert len(report.categories) == 14
    assert (report.posts_flagged, report.highest_level) == (3, RiskLevel.HIGH)


def test_a_brands_tolerance_keeps_the_evidence_but_spares_the_score(scanner: Scanner) -> None:
    report = report_of(
        scanner, posts("Wine tasting", "Cocaine party"), tolerance={DRUGS: RiskLevel.LOW}
    )

    drugs = next(c for c in report.categories if c.category == DRUGS)
    assert (drugs.findings, drugs.posts_flagged, drugs.posts_counted) == (2, 2, 1)
    assert drugs.tolerance is RiskLevel.LOW
    assert report.score is not None
    assert report.score.value == 71.7  # only the high finding counts


def test_the_floor_cannot_be_tolerated_and_tolerances_need_known_categories(
    scanner: Scanner,
) -> None:
    with pytest.raises(ValueError, match="floor is never tolerated"):
        report_of(scanner, posts(), tolerance={DRUGS: RiskLevel.FLOOR})
    with pytest.raises(ValueError, match="no tolerance can be set for 'gambling'"):
        report_of(scanner, posts(), tolerance={"gambling": RiskLevel.LOW})


def test_competitor_mentions_are_reported_but_not_scored(scanner: Scanner) -> None:
    report = report_of(scanner, posts("Loving my #RivalBrand serum"))

    competitors = next(c for c in report.categories if c.category == "competitor")
    assert (competitors.posts_flagged, competitors.highest_level) == (1, None)
    assert report.posts_flagged == 1
    assert report.score is not None
    assert report.score.value == 100.0


def _evidence_report(scanner: Scanner) -> CreatorReport:
    post = Post(
        "p1",
        "Tequila night with @rivalbrand",
        url="https://instagram.com/p/p1",
        posted_at=date(2024, 5, 1),
    )
    return build_report("Ana Lima", scanner.scan([post]))


def test_evidence_rows_keep_the_exact_words(scanner: Scanner) -> None:
    rows = evidence_rows(_evidence_report(scanner))

    assert [list(row) for row in rows] == [list(EVIDENCE_COLUMNS)] * 2
    assert rows[1] == {
        "creator": "Ana Lima",
        "post_id": "p1",
        "post_url": "https://instagram.com/p/p1",
        "posted_at": "2024-05-01",
        "kind": "caption",
        "source": "competitor",
        "category": "competitor",
        "category_name": "Competitor mentions",
        "level": "",
        "term": "Rival Brand",
        "matched": "@rivalbrand",
        "start": "19",
        "end": "30",
        "via": "mention",
        "excerpt": "Tequila night with @rivalbrand",
        "excerpt_start": "0",
    }


def test_csv_export_content(scanner: Scanner) -> None:
    stream = io.StringIO()

    written = write_evidence_csv([_evidence_report(scanner)], stream)

    assert written == 2
    assert stream.getvalue() == (
        "creator,post_id,post_url,posted_at,kind,source,category,category_name,level,term,"
        "matched,start,end,via,excerpt,excerpt_start\r\n"
        "Ana Lima,p1,https://instagram.com/p/p1,2024-05-01,caption,garm,"
        'illegal_drugs_tobacco_vaping_alcohol,"Illegal drugs, tobacco, vaping, alcohol",low,'
        "tequila,Tequila,0,7,text,Tequila night with @rivalbrand,0\r\n"
        "Ana Lima,p1,https://instagram.com/p/p1,2024-05-01,caption,competitor,competitor,"
        "Competitor mentions,,Rival Brand,'@rivalbrand,19,30,mention,"
        "Tequila night with @rivalbrand,0\r\n"
    )


def test_csv_export_can_keep_cells_verbatim(scanner: Scanner) -> None:
    stream = io.StringIO()
    write_evidence_csv([_evidence_report(scanner)], stream, spreadsheet_safe=False)
    assert ",@rivalbrand," in stream.getvalue()


def test_an_excerpt_is_cut_around_its_match(scanner: Scanner) -> None:
    report = build_report("Ana Lima", scanner.scan([Post("p1", "Tequila night with @rivalbrand")]))
    rival = finding_to_dict(report.findings[1])
    assert excerpt_parts(rival) == ("Tequila night with ", "@rivalbrand", "")
    # Offsets from before the excerpt, or a match ending before it starts, cut nothing wrong.
    shifted = rival | {"start": -5, "end": -9}
    assert excerpt_parts(shifted) == ("", "", "Tequila night with @rivalbrand")


def test_json_export_round_trips_through_json(scanner: Scanner) -> None:
    post = Post("p9", "Cocaine", posted_at=datetime(2024, 5, 1, 12, 30, tzinfo=UTC))
    report = build_report("Ana Lima", scanner.scan([post]))

    as_dict = json.loads(json.dumps(report_to_dict(report)))

    assert as_dict["summary"] == "1 of 1 posts flagged; brand-safety score 0.0 / 100"
    assert as_dict["score"]["posts_at"] == {"floor": 0, "high": 1, "medium": 0, "low": 0}
    assert as_dict["score"]["weights"] == {"floor": 100.0, "high": 10.0, "medium": 3.0, "low": 1.0}
    assert as_dict["evidence"] == [
        {
            "post_id": "p9",
            "post_url": None,
            "posted_at": "2024-05-01T12:30:00+00:00",
            "kind": "caption",
            "source": "garm",
            "category": DRUGS,
            "level": "high",
            "term": "cocaine",
            "matched": "Cocaine",
            "start": 0,
            "end": 7,
            "via": "text",
            "excerpt": "Cocaine",
            "excerpt_start": 0,
        }
    ]
    drugs = next(c for c in as_dict["categories"] if c["category"] == DRUGS)
    assert (drugs["posts_flagged"], drugs["share_flagged"], drugs["highest_level"]) == (
        1,
        1.0,
        "high",
    )
