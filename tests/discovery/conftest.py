"""Fixtures the discovery tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def no_embedding_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An installation whose embedding model has no weights file, and nothing loaded before
    is kept."""
    from tastemaker.discovery import embedder

    monkeypatch.setattr(embedder, "_WEIGHTS", "weights/absent.safetensors")
    embedder.embedder.cache_clear()
    yield
    embedder.embedder.cache_clear()
