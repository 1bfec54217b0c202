"""Text folding and tokenising shared by the lexicon and the scanner.

Folding is NFKD, then casefold, then every combining mark dropped: "COCAÍNA" and
"cocaína" both become "cocaina", the styled letters captions use for effect (mathematical
bold, fullwidth) become plain letters, and "Scheiße" becomes "scheisse". Folding a whole text
gives exactly the concatenation of its characters folded one by one (casefold has no
context, and the only reordering NFKD does is among combining marks, which are all
dropped), so a text can be folded fast in one call and, when its offsets are needed, char
by char with a map back to the original.

A token is a maximal run of letters and digits of the folded text. The underscore, the
hyphen, "#", "@", the apostrophe, emoji and every other symbol separate tokens, so
"@rival_brand", "#RivalBrand" and "e-cigarette" tokenise like plain words would.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Literal

TOKEN_RE = re.compile(r"[^\W_]+")

# Between the tokens of one phrase: spaces, hyphens, dashes, underscores, apostrophes, "&",
# "+", "/", "*" (as in "f*ck"), and a "." or ":" not followed by a space (handles, "1:1").
# A newline, "!", "?", "," or ". " ends the phrase: words on both sides of a sentence break
# are not a phrase. The one exception is ". " after an initial or a two-letter abbreviation
# ("J. Crew", "Dr. Martens", "Roe v. Wade"), where a sentence rarely ends.
_GAP_RE = re.compile(r"(?:[ \t\-\u2010-\u2015_'\u2019&+/*]|[.:](?![ \t]))+")
_ABBREVIATION_GAP_RE = re.compile(r"\.[ \t]+")
_ABBREVIATION = 2

_HASH = frozenset("#\uff03")
_AT = frozenset("@\uff20")
SIGILS = _HASH | _AT  # what starts a #hashtag or an @handle, fullwidth forms included


@cache
def _marks() -> tuple[frozenset[str], dict[int, None]]:
    # Every combining mark (Unicode 15) sits below U+1F000; 6 ms, once, on first use.
    codes = [cp for cp in range(0x300, 0x1F000) if unicodedata.combining(chr(cp))]
    return frozenset(map(chr, codes)), dict.fromkeys(codes)


def fold(text: str) -> str:
    """The text as it is matched: compatibility-decomposed, casefolded, without accents."""
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKD", text).casefold()
    marks, table = _marks()
    # Most non-ASCII captions owe it to emoji alone; the membership test is 4x cheaper
    # than the translation it spares them.
    return folded if marks.isdisjoint(folded) else folded.translate(table)


_CHAR_FOLDS: dict[str, str] = {}


def _fold_char(char: str) -> str:
    folded = _CHAR_FOLDS.get(char)
    if folded is None:
        folded = _CHAR_FOLDS[char] = fold(char)
    return folded


_ONE_FOR_ONE: set[str] = set()  # chars seen to fold to exactly one char


def _one_for_one(text: str) -> bool:
    for char in set(text) - _ONE_FOR_ONE:
        if len(_fold_char(char)) != 1:
            return False
        _ONE_FOR_ONE.add(char)
    return True


@dataclass(frozen=True, slots=True)
class FoldedText:
    """A folded text and, where folding changed lengths, where each folded char came from."""

    original: str
    folded: str
    origin: tuple[int, ...] | None  # None: offsets are the same in both

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span [start, end), accents after it included."""
        if self.origin is None:
            return start, end
        first = self.origin[start]
        stop = self.origin[end - 1] + 1
        # A decomposed accent after the last letter folds to nothing; it belongs to the word.
        while stop < len(self.original) and not _fold_char(self.original[stop]):
            stop += 1
        return first, stop


def fold_with_offsets(text: str, folded: str | None = None) -> FoldedText:
    """`folded`, if given, must be fold(text): it saves folding twice."""
    if folded is None:
        folded = fold(text)
    if text.isascii() or _one_for_one(text):
        # One char in, one char out, everywhere: offsets carry over unchanged.
        return FoldedText(text, folded, None)
    origin: list[int] = []
    for index, char in enumerate(text):
        origin.extend([index] * len(_fold_char(char)))
    return FoldedText(text, folded, tuple(origin))


def tokens(text: str) -> list[str]:
    """The folded tokens of a text, in order."""
    return TOKEN_RE.findall(fold(text))


def gap_joins_phrase(folded: str, prev_start: int, prev_end: int, next_start: int) -> bool:
    """Whether the gap between a token at [prev_start, prev_end) and the next keeps a phrase."""
    if _GAP_RE.fullmatch(folded, prev_end, next_start) is not None:
        return True
    return (
        prev_end - prev_start <= _ABBREVIATION
        and _ABBREVIATION_GAP_RE.fullmatch(folded, prev_end, next_start) is not None
    )


def sigil_before(text: str, start: int) -> Literal["hashtag", "mention"] | None:
    """ "hashtag" or "mention" when the word at `start` is inside a #tag or an @handle."""
    index = start
    while index > 0 and (text[index - 1].isalnum() or text[index - 1] in "_."):
        index -= 1
    if index == 0:
        return None
    if text[index - 1] in _HASH:
        return "hashtag"
    if text[index - 1] in _AT:
        return "mention"
    return None


def english_plural(word: str) -> str | None:
    """The regular English plural of a lower-case word, or None where a rule would guess.

    Words already ending in a single "s" (likely plural already), in "ed" (a participle)
    or in "self" get none.
    """
    if len(word) < 3 or not word.isalpha() or not word.isascii():
        return None
    if (word.endswith("s") and not word.endswith("ss")) or word.endswith(("ed", "self")):
        return None
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"
