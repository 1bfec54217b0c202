"""The GARM term lexicon: loading, validating and extending `lexicon/garm.json`.

The file's shape is described in `lexicon/README.md`. Every term is expanded here, once,
into the folded surface forms the scanner matches (its regular plural, its listed forms,
the one-word spelling of a phrase as a hashtag would write it), so what a term matches can
be read off the loaded lexicon rather than guessed from the matcher.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tastemaker.brandsafety.text import english_plural, tokens

SCHEMA = 1
# A one-word spelling shorter than this ("hm" for "H&M") is too likely an ordinary word.
MIN_COMPACT = 4


class RiskLevel(StrEnum):
    """GARM's floor (never suitable for advertising) and its three suitability risk levels."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    FLOOR = "floor"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {level: rank for rank, level in enumerate(RiskLevel)}


class LexiconError(ValueError):
    """The lexicon data is malformed; the message names the place."""


@dataclass(frozen=True, slots=True)
class Term:
    term: str  # as written in the lexicon
    category: str
    level: RiskLevel
    lang: str
    forms: tuple[str, ...]  # folded token sequences, space-separated; the term's own first
    hashtag_only: bool = False  # only as a #hashtag ("#420")
    ascii_only: bool = False  # only spelt in plain ASCII: Turkish "gün" is not "gun"
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """A word deliberately not matched on its own, and why."""

    word: str
    note: str


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    name: str
    description: str
    terms: tuple[Term, ...]
    ambiguous: tuple[Ambiguity, ...] = ()


@dataclass(frozen=True, slots=True)
class SafePhrase:
    """A benign phrase; a GARM match overlapping it is dropped ("massage gun")."""

    phrase: str
    forms: tuple[str, ...]
    note: str | None = None
    example: str | None = None  # a text it protects a term in, where the phrase alone has none


@dataclass(frozen=True)
class Lexicon:
    version: str
    source: str
    levels: Mapping[RiskLevel, str]
    categories: tuple[Category, ...]
    safe_phrases: tuple[SafePhrase, ...]

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        known = ", ".join(c.id for c in self.categories)
        raise KeyError(f"unknown category {category_id!r}; known: {known}")

    def terms(self) -> Iterator[Term]:
        for category in self.categories:
            yield from category.terms

    def extended(self, additions: Mapping[str, Any]) -> Lexicon:
        """This lexicon plus a workspace's terms and safe phrases, in garm.json's shape.

        `additions` holds "categories" (each an "id" of an existing category and its
        "terms" groups) and/or "safe_phrases". Categories cannot be added: GARM's are fixed,
        and a brand's own words belong in its keyword list.
        """
        _expect_keys(additions, {"categories", "safe_phrases"}, "additions")
        added: dict[str, list[Term]] = {}
        for index, entry in enumerate(_list(additions.get("categories", []), "categories")):
            where = f"categories[{index}]"
            _expect_keys(entry, {"id", "terms"}, where)
            category_id = _str(entry.get("id"), f"{where}.id")
            if all(c.id != category_id for c in self.categories):
                raise LexiconError(
                    f"{where}.id: unknown category {category_id!r}; GARM's categories are fixed"
                )
            terms = _parse_groups(entry.get("terms", []), category_id, where)
            added.setdefault(category_id, []).extend(terms)
        categories = tuple(
            _with_terms(c, c.terms + tuple(added.get(c.id, ()))) for c in self.categories
        )
        safe = self.safe_phrases + _parse_safe(additions.get("safe_phrases", []))
        return replace(self, categories=categories, safe_phrases=safe)

    def without(self, words: Iterable[str], *, category: str | None = None) -> Lexicon:
        """This lexicon without the terms written as `words` (compared folded)."""
        if category is not None:
            self.category(category)
        dropped = {" ".join(tokens(word)) for word in words}
        categories = tuple(
            c
            if category not in (None, c.id)
            else _with_terms(c, tuple(t for t in c.terms if t.forms[0] not in dropped))
            for c in self.categories
        )
        return replace(self, categories=categories)


def surface_forms(
    text: str, *, extra: Sequence[str] = (), inflect: bool, compact: bool
) -> tuple[str, ...]:
    """The folded token sequences a term matches, the term's own first.

    `inflect` adds the regular English plural of the last word; `compact` adds the one-word
    spelling of each multi-word form ("rival brand" -> "rivalbrand") as hashtags, handles
    and camel-case names write it.
    """
    base = tokens(text)
    if not base:
        raise LexiconError(f"{text!r} has no letters or digits to match")
    variants = [base]
    if inflect and (plural := english_plural(base[-1])):
        variants.append([*base[:-1], plural])
    variants.extend(tokens(form) for form in extra)
    if compact:
        variants.extend(
            ["".join(v)] for v in list(variants) if len(v) > 1 and len("".join(v)) >= MIN_COMPACT
        )
    return tuple(dict.fromkeys(" ".join(v) for v in variants if v))


@cache
def _shipped() -> Lexicon:
    data = resources.files("tastemaker.brandsafety").joinpath("lexicon", "garm.json")
    return parse_lexicon(json.loads(data.read_text(encoding="utf-8")))


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The shipped GARM lexicon (read once), or the one at `path`."""
    if path is None:
        return _shipped()
    return parse_lexicon(json.loads(path.read_text(encoding="utf-8")))


def parse_lexicon(data: Mapping[str, Any]) -> Lexicon:
    _expect_keys(data, {"schema", "version", "source", "levels", "categories", "safe_phrases"}, "")
    if data.get("schema") != SCHEMA:
        raise LexiconError(f"schema must be {SCHEMA}, not {data.get('schema')!r}")
    levels_data = data.get("levels", {})
    if not isinstance(levels_data, Mapping) or set(levels_data) != {r.value for r in RiskLevel}:
        raise LexiconError("levels must describe exactly: " + ", ".join(RiskLevel))
    categories: list[Category] = []
    for index, entry in enumerate(_list(data.get("categories"), "categories")):
        where = f"categories[{index}]"
        _expect_keys(entry, {"id", "name", "description", "terms", "ambiguous"}, where)
        category_id = _str(entry.get("id"), f"{where}.id")
        if any(c.id == category_id for c in categories):
            raise LexiconError(f"{where}: category {category_id!r} appears twice")
        ambiguous = tuple(
            Ambiguity(
                _str(a.get("word"), f"{where}.ambiguous[{i}].word"),
                _str(a.get("note"), f"{where}.ambiguous[{i}].note"),
            )
            for i, a in enumerate(_list(entry.get("ambiguous", []), f"{where}.ambiguous"))
        )
        category = Category(
            id=category_id,
            name=_str(entry.get("name"), f"{where}.name"),
            description=_str(entry.get("description", ""), f"{where}.description", empty=True),
            terms=(),
            ambiguous=ambiguous,
        )
        terms = _parse_groups(entry.get("terms"), category_id, where)
        categories.append(_with_terms(category, tuple(terms)))
    return Lexicon(
        version=_str(data.get("version"), "version"),
        source=_str(data.get("source"), "source"),
        levels=MappingProxyType(
            {RiskLevel(k): _str(v, f"levels.{k}") for k, v in levels_data.items()}
        ),
        categories=tuple(categories),
        safe_phrases=_parse_safe(data.get("safe_phrases", [])),
    )


def _with_terms(category: Category, terms: tuple[Term, ...]) -> Category:
    seen: dict[str, str] = {}
    for term in terms:
        if term.forms[0] in seen:
            raise LexiconError(
                f"{category.id}: {term.term!r} repeats {seen[term.forms[0]]!r} (same when folded)"
            )
        seen[term.forms[0]] = term.term
    return replace(category, terms=terms)


_GROUP_KEYS = {"level", "lang", "words", "inflect", "compact", "note"}
_WORD_KEYS = {"term", "forms", "hashtag_only", "ascii_only", "inflect", "note"}


def _parse_groups(groups: Any, category_id: str, where: str) -> list[Term]:
    terms: list[Term] = []
    for g_index, group in enumerate(_list(groups, f"{where}.terms")):
        g_where = f"{where}.terms[{g_index}]"
        _expect_keys(group, _GROUP_KEYS, g_where)
        try:
            level = RiskLevel(group.get("level"))
        except ValueError:
            raise LexiconError(f"{g_where}.level: {group.get('level')!r} is not a level") from None
        lang = _str(group.get("lang"), f"{g_where}.lang")
        # The plural rule is English; other languages list their forms.
        inflect = _bool(group.get("inflect", lang == "en"), f"{g_where}.inflect")
        compact = _bool(group.get("compact", True), f"{g_where}.compact")
        group_note = group.get("note")
        for w_index, word in enumerate(_list(group.get("words"), f"{g_where}.words")):
            w_where = f"{g_where}.words[{w_index}]"
            spec = {"term": word} if isinstance(word, str) else word
            _expect_keys(spec, _WORD_KEYS, w_where)
            text = _str(spec.get("term"), f"{w_where}.term")
            extra = [_str(f, f"{w_where}.forms") for f in _list(spec.get("forms", []), w_where)]
            hashtag_only = _bool(spec.get("hashtag_only", False), f"{w_where}.hashtag_only")
            ascii_only = _bool(spec.get("ascii_only", False), f"{w_where}.ascii_only")
            word_inflect = _bool(spec.get("inflect", inflect), f"{w_where}.inflect")
            forms = surface_forms(text, extra=extra, inflect=word_inflect, compact=compact)
            if hashtag_only and any(" " in form for form in forms):
                raise LexiconError(f"{w_where}: hashtag_only needs a one-word term")
            note = spec.get("note", group_note)
            terms.append(
                Term(
                    term=text,
                    category=category_id,
                    level=level,
                    lang=lang,
                    forms=forms,
                    hashtag_only=hashtag_only,
                    ascii_only=ascii_only,
                    note=_str(note, f"{w_where}.note") if note is not None else None,
                )
            )
    return terms


def _parse_safe(entries: Any) -> tuple[SafePhrase, ...]:
    phrases: list[SafePhrase] = []
    for index, entry in enumerate(_list(entries, "safe_phrases")):
        where = f"safe_phrases[{index}]"
        _expect_keys(entry, {"phrase", "note", "example"}, where)
        phrase = _str(entry.get("phrase"), f"{where}.phrase")
        note = entry.get("note")
        example = entry.get("example")
        phrases.append(
            SafePhrase(
                phrase=phrase,
                forms=surface_forms(phrase, inflect=True, compact=True),
                note=_str(note, f"{where}.note") if note is not None else None,
                example=_str(example, f"{where}.example") if example is not None else None,
            )
        )
    return tuple(phrases)


def _expect_keys(value: Any, allowed: set[str], where: str) -> None:
    if not isinstance(value, Mapping):
        raise LexiconError(f"{where or 'the lexicon'} must be an object")
    unknown = set(value) - allowed
    if unknown:
        raise LexiconError(f"{where or 'the lexicon'}: unknown keys {sorted(unknown)}")


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise LexiconError(f"{where} must be a list")
    return value


def _str(value: Any, where: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise LexiconError(f"{where} must be a non-empty string")
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise LexiconError(f"{where} must be true or false")
    return value
