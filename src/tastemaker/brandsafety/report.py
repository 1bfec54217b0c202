"""A creator's brand-safety report: per-category figures, a 0-100 score, exportable evidence.

The score, with every component kept on `Score`:

    score    = 100 * exp(-exposure)                         (rounded to 0.1)
    exposure = sum over levels L of  W[L] * posts_at[L] / posts_scanned
    W        = floor 100, high 10, medium 3, low 1

`posts_at[L]` counts the scanned posts whose worst *counted* finding is at level L; a
post counts once, at its worst. Counted are GARM and brand-keyword findings above the
brand's tolerance for their category (domain.md §8: "a brand sets its own tolerance per
category"); a finding within tolerance stays in the evidence but costs nothing. Competitor
mentions never count: they are a conflict to review, not a safety risk.

What it gives, for 30 posts scanned: nothing found 100; one low 96.7; two medium 81.9;
one high 71.7; one floor 3.6, because the floor is what no brand should be next to. The
exponential keeps the score above zero and ordered however much is found, and dividing
by the posts scanned makes creators who post a lot comparable with those who post little.

No post scanned gives no score (status "nothing_scanned"), never a perfect 100.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TextIO

from tastemaker.brandsafety.scanner import (
    COMPETITOR_CATEGORY,
    KEYWORD_CATEGORY,
    Finding,
    ScanResult,
    Source,
)
from tastemaker.brandsafety.terms import Lexicon, RiskLevel, load_lexicon

WEIGHTS: Mapping[RiskLevel, float] = MappingProxyType(
    {RiskLevel.FLOOR: 100.0, RiskLevel.HIGH: 10.0, RiskLevel.MEDIUM: 3.0, RiskLevel.LOW: 1.0}
)
FORMULA = (
    "100 * exp(-exposure); exposure = sum of W[level] * posts at that level / posts scanned; "
    f"W = {', '.join(f'{level.value} {weight:g}' for level, weight in WEIGHTS.items())}; "
    "a post counts once, at its worst finding above the brand's tolerance; competitor "
    "mentions do not count"
)
CATEGORY_NAMES = {
    KEYWORD_CATEGORY: "Brand's blocked keywords",
    COMPETITOR_CATEGORY: "Competitor mentions",
}
EVIDENCE_COLUMNS = (
    "creator",
    "post_id",
    "post_url",
    "posted_at",
    "kind",
    "source",
    "category",
    "category_name",
    "level",
    "term",
    "matched",
    "start",
    "end",
    "via",
    "excerpt",
    "excerpt_start",
)
# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ReportStatus(StrEnum):
    SCANNED = "scanned"
    NOTHING_SCANNED = "nothing_scanned"


@dataclass(frozen=True)
class CategorySummary:
    category: str
    name: str
    source: Source
    posts_flagged: int  # posts with at least one finding in this category
    share_flagged: float | None  # of the posts scanned; None when nothing was scanned
    findings: int
    highest_level: RiskLevel | None
    tolerance: RiskLevel | None  # the highest level the brand accepts here, if it set one
    posts_counted: int  # posts with a finding above the tolerance: these reach the score
    terms: tuple[tuple[str, int], ...]  # (term, findings), most found first


@dataclass(frozen=True)
class Score:
    value: float
    exposure: float
    posts_scanned: int
    posts_at: Mapping[RiskLevel, int]  # posts whose worst counted finding is at the level
    shares_at: Mapping[RiskLevel, float]
    weights: Mapping[RiskLevel, float]
    formula: str = FORMULA


@dataclass(frozen=True)
class CreatorReport:
    creator: str
    status: ReportStatus
    posts_scanned: int
    posts_flagged: int  # posts with any finding, competitor mentions included
    highest_level: RiskLevel | None
    categories: tuple[CategorySummary, ...]  # every GARM category, then keywords, competitors
    score: Score | None  # None when nothing was scanned
    findings: tuple[Finding, ...]
    lexicon_version: str

    @property
    def summary(self) -> str:
        score = self.score.value if self.score is not None else None
        return summary_of(self.posts_scanned, self.posts_flagged, score)


def summary_of(posts_scanned: int, posts_flagged: int, score: float | None) -> str:
    """A report's one line, from its figures: also how a stored scan says it again."""
    if score is None:
        return "nothing scanned: no score"
    return f"{posts_flagged} of {posts_scanned} posts flagged; brand-safety score {score:.1f} / 100"


def build_report(
    creator: str,
    result: ScanResult,
    *,
    lexicon: Lexicon | None = None,
    tolerance: Mapping[str, RiskLevel] | None = None,
) -> CreatorReport:
    """The report of one creator's scan; `tolerance` maps a category to the highest level
    the brand accepts in it (GARM categories and "brand_keyword"; never the floor)."""
    lexicon = lexicon if lexicon is not None else load_lexicon()
    tolerance = dict(tolerance or {})
    for category, level in tolerance.items():
        check_tolerance(category, level, lexicon)
    names = {c.id: c.name for c in lexicon.categories} | CATEGORY_NAMES

    scanned = result.posts_scanned
    by_category: dict[str, list[Finding]] = {name: [] for name in names}
    worst: dict[str, RiskLevel] = {}  # post id -> its worst counted level
    for finding in result.findings:
        by_category.setdefault(finding.category, []).append(finding)
        if _counts(finding, tolerance):
            assert finding.level is not None  # only competitor findings lack a level
            known = worst.get(finding.post_id)
            if known is None or finding.level.rank > known.rank:
                worst[finding.post_id] = finding.level

    categories = tuple(
        _summarise(category, names.get(category, category), found, scanned, tolerance)
        for category, found in by_category.items()
    )
    levels = [f.level for f in result.findings if f.level is not None]
    return CreatorReport(
        creator=creator,
        status=ReportStatus.SCANNED if scanned else ReportStatus.NOTHING_SCANNED,
        posts_scanned=scanned,
        posts_flagged=result.posts_flagged,
        highest_level=max(levels, key=lambda level: level.rank) if levels else None,
        categories=categories,
        score=_score(worst, scanned) if scanned else None,
        findings=result.findings,
        lexicon_version=lexicon.version,
    )


def check_tolerance(category: str, level: RiskLevel, lexicon: Lexicon) -> None:
    """Refuses (ValueError, naming the category) a tolerance no brand can set: one for a
    category the lexicon does not know, or for competitor mentions, which are never scored;
    or the floor, which GARM never tolerates."""
    known = [c.id for c in lexicon.categories] + [KEYWORD_CATEGORY]
    if category not in known:
        raise ValueError(
            f"no tolerance can be set for {category[:60]!r}; one of " + ", ".join(known)
        )
    if level is RiskLevel.FLOOR:
        raise ValueError(f"{category}: the floor is never tolerated (GARM)")


def _counts(finding: Finding, tolerance: Mapping[str, RiskLevel]) -> bool:
    if finding.source is Source.COMPETITOR or finding.level is None:
        return False
    accepted = tolerance.get(finding.category)
    return accepted is None or finding.level.rank > accepted.rank


def _summarise(
    category: str,
    name: str,
    found: list[Finding],
    scanned: int,
    tolerance: Mapping[str, RiskLevel],
) -> CategorySummary:
    flagged = len({f.post_id for f in found})
    levels = [f.level for f in found if f.level is not None]
    if category == KEYWORD_CATEGORY:
        source = Source.KEYWORD
    elif category == COMPETITOR_CATEGORY:
        source = Source.COMPETITOR
    else:
        source = Source.GARM
    return CategorySummary(
        category=category,
        name=name,
        source=source,
        posts_flagged=flagged,
        share_flagged=flagged / scanned if scanned else None,
        findings=len(found),
        highest_level=max(levels, key=lambda level: level.rank) if levels else None,
        tolerance=tolerance.get(category),
        posts_counted=len({f.post_id for f in found if _counts(f, tolerance)}),
        terms=tuple(Counter(f.term for f in found).most_common()),
    )


def _score(worst: Mapping[str, RiskLevel], scanned: int) -> Score:
    posts_at = {level: 0 for level in sorted(RiskLevel, key=lambda lv: -lv.rank)}
    for level in worst.values():
        posts_at[level] += 1
    shares_at = {level: count / scanned for level, count in posts_at.items()}
    exposure = sum(WEIGHTS[level] * share for level, share in shares_at.items())
    return Score(
        value=round(100 * math.exp(-exposure), 1),
        exposure=exposure,
        posts_scanned=scanned,
        posts_at=MappingProxyType(posts_at),
        shares_at=MappingProxyType(shares_at),
        weights=WEIGHTS,
    )


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """A finding as JSON-ready values (ISO dates, plain strings and ints)."""
    return {
        "post_id": finding.post_id,
        "post_url": finding.post_url,
        "posted_at": finding.posted_at.isoformat() if finding.posted_at else None,
        "kind": finding.kind,
        "source": finding.source.value,
        "category": finding.category,
        "level": finding.level.value if finding.level else None,
        "term": finding.term,
        "matched": finding.matched,
        "start": finding.start,
        "end": finding.end,
        "via": finding.via,
        "excerpt": finding.excerpt,
        "excerpt_start": finding.excerpt_start,
    }


def report_to_dict(report: CreatorReport) -> dict[str, Any]:
    """The whole report, evidence included, as JSON-ready values."""
    score = report.score
    return {
        "creator": report.creator,
        "status": report.status.value,
        "summary": report.summary,
        "posts_scanned": report.posts_scanned,
        "posts_flagged": report.posts_flagged,
        "highest_level": report.highest_level.value if report.highest_level else None,
        "lexicon_version": report.lexicon_version,
        "score": None
        if score is None
        else {
            "value": score.value,
            "exposure": score.exposure,
            "posts_scanned": score.posts_scanned,
            "posts_at": {level.value: n for level, n in score.posts_at.items()},
            "shares_at": {level.value: s for level, s in score.shares_at.items()},
            "weights": {level.value: w for level, w in score.weights.items()},
            "formula": score.formula,
        },
        "categories": [
            {
                "category": c.category,
                "name": c.name,
                "source": c.source.value,
                "posts_flagged": c.posts_flagged,
                "share_flagged": c.share_flagged,
                "findings": c.findings,
                "highest_level": c.highest_level.value if c.highest_level else None,
                "tolerance": c.tolerance.value if c.tolerance else None,
                "posts_counted": c.posts_counted,
                "terms": [{"term": term, "findings": n} for term, n in c.terms],
            }
            for c in report.categories
        ],
        "evidence": [finding_to_dict(f) for f in report.findings],
    }


def evidence_values(report: CreatorReport) -> Iterator[dict[str, Any]]:
    """Each finding's values (finding_to_dict's) with its category's name, in order."""
    names = {c.category: c.name for c in report.categories}
    for finding in report.findings:
        values = finding_to_dict(finding)
        values["category_name"] = names.get(finding.category, finding.category)
        yield values


def evidence_rows(report: CreatorReport) -> list[dict[str, str]]:
    """One row per finding, keyed by EVIDENCE_COLUMNS, every value a string ("" for none)."""
    return [evidence_cells({**v, "creator": report.creator}) for v in evidence_values(report)]


def evidence_cells(values: Mapping[str, Any]) -> dict[str, str]:
    """A finding's values (finding_to_dict's, with "creator" and "category_name") as one
    evidence row: EVIDENCE_COLUMNS only, every value a string ("" for none)."""
    return {
        column: "" if values[column] is None else str(values[column]) for column in EVIDENCE_COLUMNS
    }


def write_evidence_csv(
    reports: Iterable[CreatorReport], stream: TextIO, *, spreadsheet_safe: bool = True
) -> int:
    """Write the evidence of `reports` as CSV (header first); returns the rows written.
    As write_evidence_rows, for reports."""
    rows = ({**v, "creator": r.creator} for r in reports for v in evidence_values(r))
    return write_evidence_rows(rows, stream, spreadsheet_safe=spreadsheet_safe)


def write_evidence_rows(
    rows: Iterable[Mapping[str, Any]], stream: TextIO, *, spreadsheet_safe: bool = True
) -> int:
    """Write evidence rows as CSV (header first); returns the rows written. A row is a
    finding's values as evidence_cells takes them: evidence_rows gives a report's, and a
    stored scan its kept findings.

    `spreadsheet_safe` puts a "'" before any value a spreadsheet would run as a formula
    ("@rivalbrand", "=HYPERLINK(...)" in a caption), as OWASP advises for CSV exports; the
    JSON export and `evidence_rows` keep the exact words.
    """
    writer = csv.DictWriter(stream, fieldnames=EVIDENCE_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    written = 0
    for values in rows:
        row = evidence_cells(values)
        if spreadsheet_safe:
            row = {k: "'" + v if v.startswith(_FORMULA_STARTS) else v for k, v in row.items()}
        writer.writerow(row)
        written += 1
    return written


def excerpt_parts(finding: Mapping[str, Any]) -> tuple[str, str, str]:
    """A finding's excerpt cut around its match (before, match, after), from its values as
    finding_to_dict gives them; offsets outside the excerpt are clamped to it."""
    excerpt: str = finding["excerpt"]
    start = max(0, finding["start"] - finding["excerpt_start"])
    end = max(start, finding["end"] - finding["excerpt_start"])
    return excerpt[:start], excerpt[start:end], excerpt[end:]
