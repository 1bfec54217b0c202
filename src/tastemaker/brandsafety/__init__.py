"""Brand-safety vetting: scan a creator's captions for the GARM categories (domain.md §8),
a brand's blocked keywords and its competitors, keep the evidence, score and export it.

    scanner = Scanner(keywords=["diet pill"], competitors=[Competitor("Rival", ("@rival",))])
    report = build_report("@creator", scanner.scan(posts))
    write_evidence_csv([report], stream)

A pure library: no database, no network. The lexicon ships as `lexicon/garm.json`.
"""

from tastemaker.brandsafety.report import (
    CreatorReport,
    ReportStatus,
    build_report,
    evidence_rows,
    report_to_dict,
    write_evidence_csv,
    write_evidence_rows,
)
from tastemaker.brandsafety.scanner import Competitor, Finding, Post, Scanner, ScanResult
from tastemaker.brandsafety.terms import Lexicon, LexiconError, RiskLevel, load_lexicon

__all__ = [
    "Competitor",
    "CreatorReport",
    "Finding",
    "Lexicon",
    "LexiconError",
    "Post",
    "ReportStatus",
    "RiskLevel",
    "ScanResult",
    "Scanner",
    "build_report",
    "evidence_rows",
    "load_lexicon",
    "report_to_dict",
    "write_evidence_csv",
    "write_evidence_rows",
]
