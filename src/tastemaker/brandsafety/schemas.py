"""The JSON shapes of brand-safety scans. Inputs refuse unknown fields and name the field
they refuse; every figure of a scan goes out with what it means."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from tastemaker.brandsafety.report import check_tolerance
from tastemaker.brandsafety.scanner import Source, Via
from tastemaker.brandsafety.terms import RiskLevel, load_lexicon
from tastemaker.brandsafety.text import tokens
from tastemaker.creator.schemas import AccountRef
from tastemaker.kit.db import storable_text

MAX_KEYWORDS = 200
MAX_COMPETITORS = 50
MAX_ALIASES = 20
MAX_TERM = 100
DEFAULT_POSTS = 50
MAX_POSTS = 200


def _matchable(value: str) -> str:
    """A term the scanner can match: storable, and with a letter or digit to match on
    ("#", "!!!" would make the scanner refuse the whole list)."""
    storable_text(value)
    if not tokens(value):
        raise ValueError(f"{value!r} has no letters or digits to match")
    return value


# Checked one by one, so a refusal names the entry: "keywords.3".
Term = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TERM),
    AfterValidator(_matchable),
]


def parse_competitor(line: str) -> dict[str, Any]:
    """'Rival Brand, @rivalbrand, #rivalcola', as a form's line or a --competitor option
    gives it: the name, then its handles and spellings, as CompetitorIn takes them."""
    parts = [part.strip() for part in line.split(",")]
    return {"name": parts[0], "aliases": [part for part in parts[1:] if part]}


def _unique(values: list[str]) -> list[str]:
    """The first of each term as the scanner sees it: "Detox Tea" and "detox tea" would
    report every match twice."""
    seen: set[str] = set()
    kept = []
    for value in values:
        folded = " ".join(tokens(value))
        if folded not in seen:
            seen.add(folded)
            kept.append(value)
    return kept


class CompetitorIn(BaseModel):
    """A competing brand: its name and the handles, hashtags and spellings it goes by. Its
    name also matches written as one word ("Rival Brand" finds "#rivalbrand")."""

    model_config = ConfigDict(extra="forbid")

    name: Term
    aliases: Annotated[list[Term], Field(max_length=MAX_ALIASES)] = []

    @field_validator("aliases")
    @classmethod
    def _aliases_once(cls, values: list[str]) -> list[str]:
        return _unique(values)


class ScanCreate(BaseModel):
    """What to scan an account's most recent captions for, besides the GARM lexicon."""

    model_config = ConfigDict(extra="forbid")

    keywords: Annotated[
        list[Term],
        Field(
            max_length=MAX_KEYWORDS,
            description="the brand's blocked words and phrases; plurals match too",
        ),
    ] = []
    competitors: Annotated[list[CompetitorIn], Field(max_length=MAX_COMPETITORS)] = []
    tolerance: Annotated[
        dict[str, RiskLevel],
        Field(
            description="category -> the highest level the brand accepts there: a finding at "
            "or below it is kept as evidence but does not lower the score. GARM categories and "
            "'brand_keyword'; never 'floor'",
        ),
    ] = {}
    posts: Annotated[
        int, Field(ge=1, le=MAX_POSTS, description="how many of the most recent posts to scan")
    ] = DEFAULT_POSTS

    @field_validator("keywords")
    @classmethod
    def _keywords_once(cls, values: list[str]) -> list[str]:
        return _unique(values)

    @field_validator("tolerance")
    @classmethod
    def _tolerable(cls, values: dict[str, RiskLevel]) -> dict[str, RiskLevel]:
        # What build_report accepts, checked here so a refusal is a 422 naming the key.
        lexicon = load_lexicon()
        for category, level in values.items():
            check_tolerance(category, level, lexicon)
        return values


# ----------------------------------------------------------------------------- answers


class CompetitorRead(BaseModel):
    name: str
    aliases: list[str]


class ScanSettings(BaseModel):
    keywords: list[str]
    competitors: list[CompetitorRead]
    tolerance: dict[str, RiskLevel]
    posts: int = Field(description="the most recent posts asked for")
    lexicon_version: str


class TermCount(BaseModel):
    term: str
    findings: int


class CategoryRead(BaseModel):
    category: str
    name: str
    source: Source
    posts_flagged: int
    share_flagged: float | None
    findings: int
    highest_level: RiskLevel | None
    tolerance: RiskLevel | None
    posts_counted: int
    terms: list[TermCount]


class ScoreRead(BaseModel):
    value: float = Field(ge=0, le=100)
    exposure: float
    posts_scanned: int
    posts_at: dict[str, int]
    shares_at: dict[str, float]
    weights: dict[str, float]
    formula: str


class FindingRead(BaseModel):
    post_id: int = Field(description="the stored post's id")
    external_id: str = Field(description="the platform's id of the post")
    post_url: str | None
    posted_at: datetime | None
    kind: str = Field(description="which text of the post: 'caption'")
    source: Source
    category: str
    category_name: str
    level: RiskLevel | None
    term: str
    matched: str
    start: int = Field(description="offset of the match in the caption, in code points")
    end: int
    via: Via
    excerpt: str
    excerpt_start: int = Field(description="offset of the excerpt in the caption")


class ScanRead(BaseModel):
    """A scan without its evidence, as lists give it."""

    id: int
    account: AccountRef
    created_at: datetime
    created_by_id: int | None
    settings: ScanSettings
    status: str
    summary: str
    posts_scanned: int
    posts_flagged: int
    posts_without_text: int
    oldest_post_at: datetime | None
    newest_post_at: datetime | None
    highest_level: RiskLevel | None
    score: ScoreRead | None
    categories: list[CategoryRead]
    findings_count: int
    meanings: dict[str, str]


class ScanDetail(ScanRead):
    """A scan with its evidence: every finding, with its post and words."""

    findings: list[FindingRead]
    findings_kept: int = Field(description="findings stored as evidence, of findings_count")
