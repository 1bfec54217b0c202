"""How a description scores a document: the formula every face shows.

    relevance = w_semantic x semantic + w_lexical x lexical        (weights sum to 1)
    semantic  = max(0, cosine(description, document))            (embedder vectors)
    lexical   = BM25 / (BM25 + m), m = the median BM25 of the documents that contain
                any of the description's words                   (0 when none does)

BM25 has no upper bound and its scale changes with the description's words, so it is
saturated against this description's own typical match: a document as good as the median
match scores 0.5, one far better approaches 1. On the Kim et al. 2020 sample
(benchmarks/retrieval.py) similarity does most of the work, and words sharpen it: the
default weights are 0.8 and 0.2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FORMULA = (
    "relevance = w_semantic × semantic + w_lexical × lexical; semantic = cosine similarity of"
    " the description and the bio + recent captions; lexical = BM25 / (BM25 + the median"
    " BM25 of the documents matching any of its words)"
)

Scores = NDArray[np.float32]


@dataclass(frozen=True)
class Weights:
    semantic: float
    lexical: float

    def __post_init__(self) -> None:
        if self.semantic < 0 or self.lexical < 0 or self.semantic + self.lexical <= 0:
            raise ValueError("the relevance weights must be non-negative, not both zero")

    def normalised(self) -> Weights:
        total = self.semantic + self.lexical
        return Weights(self.semantic / total, self.lexical / total)


def saturate(bm25: Scores) -> Scores:
    matched = bm25[bm25 > 0]
    if matched.size == 0:
        return np.zeros_like(bm25)
    median = float(np.median(matched))
    return (bm25 / (bm25 + median)).astype(np.float32)


def combine(semantic: Scores, lexical: Scores, weights: Weights) -> Scores:
    w = weights.normalised()
    return (w.semantic * semantic + w.lexical * lexical).astype(np.float32)


@dataclass(frozen=True)
class Relevance:
    """One account's scores, as shown beside it."""

    score: float
    semantic: float
    lexical: float
    semantic_weight: float
    lexical_weight: float
