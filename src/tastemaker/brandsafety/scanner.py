"""Find GARM terms, a brand's blocked keywords and its competitors in captions.

One token trie holds every surface form of every term (see `terms.surface_forms`);
a text is folded (case, accents, styled letters: see `text.py`), cut into tokens, and
walked through the trie once. Most captions contain no term at all, so a caption is first
checked with set operations (in C) for the words of every form, and only those holding all
the words of some form pay for offsets and the walk.

What matches:
- whole words and phrases only ("gun" is not found in "begun" or "gunmetal"), in any case
  and with or without accents, inside #hashtags and @handles, next to emoji; a few short
  terms marked `ascii_only` in the lexicon are matched only where spelt in plain letters,
  because folding makes other languages' words of them (Turkish "gün" is not "gun");
- each term's listed forms and regular English plural, and the one-word spelling of a
  phrase ("#MassShooting", "@rivalbrand"); a possessive ("rivalbrand's") matches too;
- a phrase only when its words are separated by spaces, hyphens, underscores or a handle's
  dots, never across a line or sentence break.

What does not:
- negation and stance are NOT attempted: "no drugs", "say no to vaping" and a news report
  about a shooting are found like an endorsement would be. A finding is evidence for a
  person to read, not a verdict.
- a GARM match overlapping one of the lexicon's safe phrases ("massage gun", "drunk
  elephant") is dropped; a match inside a longer match of the same source is dropped
  ("crack cocaine" is one finding, not two). Matches from different sources never hide
  each other: a brand's keyword is reported even where a GARM term covers it.

Offsets are Python string indices (code points) into the text as given; a JavaScript
client counting UTF-16 units must convert them for text with emoji.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from tastemaker.brandsafety.terms import Lexicon, RiskLevel, load_lexicon, surface_forms
from tastemaker.brandsafety.text import (
    SIGILS,
    TOKEN_RE,
    fold,
    fold_with_offsets,
    gap_joins_phrase,
    sigil_before,
)

KEYWORD_CATEGORY = "brand_keyword"
COMPETITOR_CATEGORY = "competitor"
EXCERPT_RADIUS = 40  # characters either side of a match, widened to whole words

Via = Literal["text", "hashtag", "mention"]


class Source(StrEnum):
    GARM = "garm"
    KEYWORD = "keyword"
    COMPETITOR = "competitor"


@dataclass(frozen=True, slots=True)
class Post:
    """One text of a creator's post; `kind` tells a caption from a transcript or comment."""

    id: str
    text: str
    url: str | None = None
    posted_at: date | datetime | None = None
    kind: str = "caption"


@dataclass(frozen=True, slots=True)
class Competitor:
    """A competing brand: its name and the handles, hashtags and spellings it goes by."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    """A term found in a text; `matched` is text[start:end], a #/@ sigil included."""

    source: Source
    category: str
    term: str
    level: RiskLevel | None  # None for a competitor: a conflict, not a safety risk
    matched: str
    start: int
    end: int
    via: Via


@dataclass(frozen=True, slots=True)
class Finding:
    """A match with the post it was found in and the words around it."""

    post_id: str
    post_url: str | None
    posted_at: date | datetime | None
    kind: str
    source: Source
    category: str
    term: str
    level: RiskLevel | None
    matched: str
    start: int
    end: int
    via: Via
    excerpt: str  # text[excerpt_start:excerpt_start + len(excerpt)], line breaks as spaces
    excerpt_start: int


@dataclass(frozen=True)
class ScanResult:
    post_ids: frozenset[str]  # every post scanned, flagged or not
    findings: tuple[Finding, ...]

    @property
    def posts_scanned(self) -> int:
        return len(self.post_ids)

    @property
    def posts_flagged(self) -> int:
        return len({f.post_id for f in self.findings})


@dataclass(frozen=True, slots=True)
class _Entry:
    source: Source | None  # None: a safe phrase
    category: str
    term: str
    level: RiskLevel | None
    hashtag_only: bool = False
    ascii_only: bool = False


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    entries: list[_Entry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Candidate:
    first: int  # token indices, inclusive
    last: int
    entry: _Entry


class Scanner:
    """Compiled once per brand (lexicon + keywords + competitors), then reused for every text.

    `keywords` are the brand's blocked words and phrases, matched like GARM terms (plural
    included) and scored at `keyword_level`. `competitors` are names or `Competitor`s; a
    name also matches its one-word spelling, so "Rival Brand" finds "#rivalbrand".
    """

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        *,
        keywords: Iterable[str] = (),
        competitors: Iterable[Competitor | str] = (),
        keyword_level: RiskLevel = RiskLevel.HIGH,
        excerpt_radius: int = EXCERPT_RADIUS,
    ) -> None:
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        self.excerpt_radius = excerpt_radius
        self._root = _Node()
        # Every form's words, filed under the longest of them (the rarest, roughly): a text
        # holding none of these anchors cannot match, and one holding an anchor can only
        # if it holds all the words of one of its forms. Both are set operations in C, and
        # they rule out most captions before any Python loop over their words.
        self._needs: dict[str, set[frozenset[str]]] = {}
        for term in self.lexicon.terms():
            entry = _Entry(
                Source.GARM,
                term.category,
                term.term,
                term.level,
                hashtag_only=term.hashtag_only,
                ascii_only=term.ascii_only,
            )
            for form in term.forms:
                self._add(form, entry)
        for phrase in self.lexicon.safe_phrases:
            safe = _Entry(None, "", phrase.phrase, None)
            for form in phrase.forms:
                self._add(form, safe)
        for keyword in keywords:
            entry = _Entry(Source.KEYWORD, KEYWORD_CATEGORY, keyword, keyword_level)
            for form in surface_forms(keyword, inflect=True, compact=True):
                self._add(form, entry)
        for competitor in competitors:
            if isinstance(competitor, str):
                competitor = Competitor(competitor)
            entry = _Entry(Source.COMPETITOR, COMPETITOR_CATEGORY, competitor.name, None)
            for alias in (competitor.name, *competitor.aliases):
                for form in surface_forms(alias, inflect=False, compact=True):
                    self._add(form, entry)

    def _add(self, form: str, entry: _Entry) -> None:
        words = form.split(" ")
        node = self._root
        for word in words:
            node = node.children.setdefault(word, _Node())
        if entry not in node.entries:
            node.entries.append(entry)
        if entry.source is not None:
            self._needs.setdefault(max(words, key=len), set()).add(frozenset(words))

    def find(self, text: str) -> list[Match]:
        """Every match in `text`, in order of position."""
        folded = fold(text)
        words = TOKEN_RE.findall(folded)
        present = set(words)
        anchors = self._needs.keys() & present
        if not anchors or not any(
            need <= present for anchor in anchors for need in self._needs[anchor]
        ):
            return []
        exact = fold_with_offsets(text, folded)
        spans = [m.span() for m in TOKEN_RE.finditer(folded)]
        candidates = self._walk(words, folded, spans)
        safe = [(c.first, c.last) for c in candidates if c.entry.source is None]
        unsafe = [
            c
            for c in candidates
            if c.entry.source is not None
            and not (
                c.entry.source is Source.GARM
                and any(c.first <= last and first <= c.last for first, last in safe)
            )
        ]
        kept = [c for c in unsafe if not _inside_longer(c, unsafe)]
        matches: list[Match] = []
        seen: set[tuple[int, int, Source, str]] = set()
        for c in kept:
            source = c.entry.source
            assert source is not None  # safe phrases were filtered out above
            key = (c.first, c.last, source, c.entry.category)
            if key in seen:
                continue
            start, end = exact.span(spans[c.first][0], spans[c.last][1])
            via: Via = sigil_before(text, start) or "text"
            if c.entry.hashtag_only and via != "hashtag":
                continue
            if c.entry.ascii_only and not text[start:end].isascii():
                continue
            seen.add(key)
            if via != "text" and start > 0 and text[start - 1] in SIGILS:
                start -= 1
            matches.append(
                Match(
                    source=source,
                    category=c.entry.category,
                    term=c.entry.term,
                    level=c.entry.level,
                    matched=text[start:end],
                    start=start,
                    end=end,
                    via=via,
                )
            )
        matches.sort(key=lambda m: (m.start, m.end))
        return matches

    def _walk(
        self, words: list[str], folded: str, spans: list[tuple[int, int]]
    ) -> list[_Candidate]:
        """Every trie entry along the words, a phrase stopping at a sentence or line break."""
        found: list[_Candidate] = []
        count = len(words)
        for first, word in enumerate(words):
            node = self._root.children.get(word)
            last = first
            while node is not None:
                found.extend(_Candidate(first, last, entry) for entry in node.entries)
                last += 1
                if last == count or not gap_joins_phrase(folded, *spans[last - 1], spans[last][0]):
                    break
                node = node.children.get(words[last])
        return found

    def scan_post(self, post: Post) -> list[Finding]:
        findings = []
        for match in self.find(post.text):
            excerpt, excerpt_start = excerpt_of(
                post.text, match.start, match.end, self.excerpt_radius
            )
            findings.append(
                Finding(
                    post_id=post.id,
                    post_url=post.url,
                    posted_at=post.posted_at,
                    kind=post.kind,
                    source=match.source,
                    category=match.category,
                    term=match.term,
                    level=match.level,
                    matched=match.matched,
                    start=match.start,
                    end=match.end,
                    via=match.via,
                    excerpt=excerpt,
                    excerpt_start=excerpt_start,
                )
            )
        return findings

    def scan(self, posts: Iterable[Post]) -> ScanResult:
        post_ids: set[str] = set()
        findings: list[Finding] = []
        for post in posts:
            post_ids.add(post.id)
            findings.extend(self.scan_post(post))
        return ScanResult(frozenset(post_ids), tuple(findings))


def _inside_longer(candidate: _Candidate, candidates: list[_Candidate]) -> bool:
    """Whether a longer match of the same source covers this one."""
    return any(
        other.entry.source is candidate.entry.source
        and other.first <= candidate.first
        and candidate.last <= other.last
        and other.last - other.first > candidate.last - candidate.first
        for other in candidates
    )


_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\v": " ", "\f": " "})


def excerpt_of(text: str, start: int, end: int, radius: int) -> tuple[str, int]:
    """The words around text[start:end], about `radius` characters either side.

    Returns the excerpt and its offset in `text`; it is cut at spaces, not inside words,
    has no surrounding blanks, and has its line breaks turned into spaces, one for one, so
    the match sits at excerpt[start - offset:end - offset].
    """
    left = max(0, start - radius)
    if left > 0:
        space = _first_space(text, left, start)
        left = space + 1 if space is not None else left
    right = min(len(text), end + radius)
    if right < len(text):
        space = _last_space(text, end, right)
        right = space if space is not None else right
    while left < start and text[left].isspace():
        left += 1
    while right > end and text[right - 1].isspace():
        right -= 1
    return text[left:right].translate(_BREAKS), left


def _first_space(text: str, start: int, stop: int) -> int | None:
    for index in range(start, stop):
        if text[index].isspace():
            return index
    return None


def _last_space(text: str, start: int, stop: int) -> int | None:
    for index in range(stop - 1, start - 1, -1):
        if text[index].isspace():
            return index
    return None
