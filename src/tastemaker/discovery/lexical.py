"""BM25 over the search documents, by bm25s (Lucene's variant, k1 = 1.5, b = 0.75), on
Snowball's English stems: "recipe" finds "recipes"."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import bm25s
import numpy as np
import Stemmer
from numpy.typing import NDArray

# Words a description of creators uses that say nothing about their content: "vegan food
# creators who post recipe reels" is about vegan food and recipes.
DESCRIPTION_WORDS = frozenset(
    [
        "creator",
        "creators",
        "influencer",
        "influencers",
        "account",
        "accounts",
        "people",
        "person",
        "someone",
        "who",
        "whose",
        "post",
        "posts",
        "posting",
        "share",
        "shares",
        "sharing",
        "make",
        "makes",
        "making",
        "content",
        "looking",
        "find",
        "want",
        "like",
    ]
)
# bm25s sets its own logger to DEBUG on import, which would print every index build.
logging.getLogger("bm25s").setLevel(logging.WARNING)
STOPWORDS = sorted(set(bm25s.stopwords.STOPWORDS_EN) | DESCRIPTION_WORDS)
_STEMMER = Stemmer.Stemmer("english")


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    tokenized = bm25s.tokenize(
        list(texts),
        lower=True,
        stopwords=STOPWORDS,
        stemmer=_STEMMER,
        return_ids=False,
        show_progress=False,
    )
    return [list(tokens) for tokens in tokenized]


class LexicalIndex:
    def __init__(self, texts: Sequence[str]) -> None:
        self.size = len(texts)
        self._bm25 = bm25s.BM25()
        self._vocabulary: set[str] = set()
        tokens = tokenize(texts) if texts else []
        # Documents of emoji, numbers or stop words alone have no terms; with no terms at
        # all there is nothing to index (and bm25s cannot build an empty vocabulary).
        if any(tokens):
            self._bm25.index(tokens, show_progress=False)
            self._vocabulary = set(self._bm25.vocab_dict or {}) - {""}

    def terms(self, query: str) -> list[str]:
        """The query's words that any document has: the rest cannot score."""
        return [t for t in dict.fromkeys(tokenize([query])[0]) if t in self._vocabulary]

    def scores(self, query: str) -> NDArray[np.float32]:
        terms = self.terms(query)
        if not terms:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(terms), dtype=np.float32)
