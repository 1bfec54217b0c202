"""Sentence embeddings from a model that ships inside an installed package, read offline.

The model is WordLlama's `l2_supercat` (MIT licence; its token embeddings were distilled
from Llama 2's, under the Llama 2 Community Licence): a 32,000-token table of 256-dimension
vectors, averaged over a text's tokens. Its weights and tokenizer are files inside the
`wordllama` wheel; they are read from there directly, because the package's own loader
looks for the tokenizer under a folder name the wheel does not use and would then try to
download it. Nothing here touches the network.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from tastemaker.kit.errors import DomainError
from tastemaker.kit.logs import root_logging_kept

MODEL = "wordllama-l2_supercat-256"
DIMENSIONS = 256
_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
_BATCH = 256

Vectors = NDArray[np.float32]


class EmbeddingModelMissing(DomainError):
    status_code = 503
    code = "embedding_model_missing"


class Embedder:
    """Texts to unit vectors; an empty or blank text to zeros, which are similar to
    nothing."""

    def __init__(self) -> None:
        try:
            from safetensors import safe_open
            from tokenizers import Tokenizer

            with root_logging_kept():
                from wordllama.inference import WordLlamaInference

            root = resources.files("wordllama")
            with resources.as_file(root / _TOKENIZER) as path:
                tokenizer = Tokenizer.from_file(str(path))
            with (
                resources.as_file(root / _WEIGHTS) as path,
                safe_open(str(path), framework="np") as weights,
            ):
                table = weights.get_tensor("embedding.weight")
        except (FileNotFoundError, ModuleNotFoundError, OSError) as exc:
            raise EmbeddingModelMissing(
                f"the embedding model {MODEL} is not installed (pip install wordllama): {exc}"
            ) from None
        self._model = WordLlamaInference(table, tokenizer)

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        raw = np.asarray(self._model.embed(list(texts), batch_size=_BATCH), dtype=np.float32)
        # The tokenizer makes a token of white space alone: such a text says nothing.
        raw[[i for i, text in enumerate(texts) if not text.strip()]] = 0.0
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            unit = np.where(norms > 0, raw / norms, 0.0)
        return np.nan_to_num(unit, copy=False).astype(np.float32, copy=False)


@functools.cache
def embedder() -> Embedder:
    """Loaded once per process (about half a second)."""
    return Embedder()


def to_bytes(vector: NDArray[np.float32]) -> bytes:
    return np.asarray(vector, dtype="<f2").tobytes()


def from_bytes(blobs: Sequence[bytes]) -> Vectors:
    """Stored vectors as one float32 matrix, one row each."""
    if not blobs:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    joined = np.frombuffer(b"".join(blobs), dtype="<f2")
    if joined.size != len(blobs) * DIMENSIONS:
        raise ValueError(f"stored vectors are not all {DIMENSIONS} values long")
    return joined.reshape(len(blobs), DIMENSIONS).astype(np.float32)
