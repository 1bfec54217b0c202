"""The pure parts: the embedder, BM25, the formula."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from tastemaker.discovery import ranking
from tastemaker.discovery.documents import MAX_CHARS, document_text
from tastemaker.discovery.embedder import DIMENSIONS, embedder, from_bytes, to_bytes
from tastemaker.discovery.lexical import LexicalIndex
from tastemaker.kit.settings import Settings


def test_embeddings_are_unit_vectors_that_put_related_texts_close() -> None:
    vectors = embedder().embed(
        ["vegan recipes and plant-based cooking", "tofu curry with lentils", "esports tournament"]
    )
    assert vectors.shape == (3, DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.15


def test_empty_text_embeds_to_zeros_not_nan() -> None:
    vectors = embedder().embed(["", "   "])
    assert not np.isnan(vectors).any() and not vectors.any()


def test_vectors_round_trip_through_their_stored_bytes() -> None:
    vector = embedder().embed(["hiking trails"])[0]
    assert np.allclose(from_bytes([to_bytes(vector)])[0], vector, atol=1e-3)
    with pytest.raises(ValueError, match="256"):
        from_bytes([b"\x00\x01"])


def test_bm25_stems_and_drops_the_words_every_description_has() -> None:
    index = LexicalIndex(["Vegan recipes in Berlin", "gaming streams", "vegan cake #vegan"])
    assert index.terms("vegan food creators in Berlin who post recipe reels") == [
        "vegan",
        "berlin",
        "recip",
    ]
    scores = index.scores("recipe")
    assert scores[0] > 0 and scores[1] == 0 and scores[2] == 0
    assert not LexicalIndex([]).scores("anything").size
    wordless = LexicalIndex(["🔥🔥", "a b c", "the and of"])
    assert wordless.scores("fire").tolist() == [0, 0, 0]


def test_lexical_saturation_puts_the_median_match_at_one_half() -> None:
    saturated = ranking.saturate(np.array([0, 1, 2, 3], dtype=np.float32))
    assert saturated.tolist() == pytest.approx([0, 1 / 3, 0.5, 0.6])
    assert not ranking.saturate(np.zeros(3, dtype=np.float32)).any()


def test_weights_are_normalised_and_both_zero_is_refused() -> None:
    assert ranking.Weights(4, 1).normalised() == ranking.Weights(0.8, 0.2)
    with pytest.raises(ValueError):
        ranking.Weights(0, 0)
    with pytest.raises(ValidationError, match="cannot both be 0"):
        Settings(search_semantic_weight=0, search_lexical_weight=0)


def test_a_document_is_the_bio_then_the_captions_and_is_capped() -> None:
    assert document_text("  Bio ", ["one", "", " two "]) == "Bio\none\ntwo"
    assert document_text(None, []) == ""
    assert len(document_text("x" * (MAX_CHARS + 10), [])) == MAX_CHARS
