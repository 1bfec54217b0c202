"""The documents in memory, as one matrix of vectors and one BM25 index, per process.

Scoring every document is one matrix-vector product and one sparse lookup: a few
milliseconds per 100,000 accounts, so filters never have to be pushed into the ranking.
The index is rebuilt when the stored token (models.SearchIndexState) differs from the one
it was built at; each database URL has its own.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.orm import Session

from tastemaker.discovery import ranking
from tastemaker.discovery.embedder import embedder, from_bytes
from tastemaker.discovery.repository import SearchDocumentRepository

if TYPE_CHECKING:
    # bm25s brings SciPy (a tenth of a second): loaded at the first search, not at start-up.
    from tastemaker.discovery.lexical import LexicalIndex


@dataclass(frozen=True)
class Ranking:
    """Every indexed account's scores for one description, in account-id order."""

    account_ids: NDArray[np.int64]
    semantic: ranking.Scores
    lexical: ranking.Scores
    relevance: ranking.Scores
    weights: ranking.Weights

    @functools.cached_property
    def _best_first(self) -> NDArray[np.int64]:
        positions = np.flatnonzero(self.relevance > 0)
        # Stable on id order: equal scores keep the lower id first.
        return positions[np.argsort(-self.relevance[positions], kind="stable")]

    def order(self, among: NDArray[np.int64] | None = None) -> NDArray[np.int64]:
        """Positions of the relevant accounts (relevance above 0), best first, ties by id;
        only those whose id is in `among` when given. Sorted once per ranking."""
        if among is None:
            return self._best_first
        return self._best_first[np.isin(self.account_ids[self._best_first], among)]


@dataclass(frozen=True)
class TextIndex:
    token: str
    account_ids: NDArray[np.int64]
    vectors: NDArray[np.float32]
    lexical: LexicalIndex

    @property
    def size(self) -> int:
        return len(self.account_ids)

    def rank(self, description: str, weights: ranking.Weights) -> Ranking:
        query = embedder().embed([description])[0]
        semantic = np.clip(self.vectors @ query, 0.0, None).astype(np.float32)
        lexical = ranking.saturate(self.lexical.scores(description))
        return Ranking(
            account_ids=self.account_ids,
            semantic=semantic,
            lexical=lexical,
            relevance=ranking.combine(semantic, lexical, weights),
            weights=weights.normalised(),
        )


_lock = threading.Lock()
_indexes: dict[str, TextIndex] = {}


def current(session: Session) -> TextIndex:
    """This database's index as of its stored token, built or rebuilt if needed."""
    repo = SearchDocumentRepository(session)
    token = repo.token()
    key = session.get_bind().engine.url.render_as_string()
    with _lock:
        cached = _indexes.get(key)
        if cached is not None and cached.token == token:
            return cached
        from tastemaker.discovery.lexical import LexicalIndex

        ids, texts, blobs = repo.all_documents()
        built = TextIndex(
            token=token,
            account_ids=np.asarray(ids, dtype=np.int64),
            vectors=from_bytes(blobs),
            lexical=LexicalIndex(texts),
        )
        _indexes[key] = built
        return built
