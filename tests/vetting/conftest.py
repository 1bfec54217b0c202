"""Fixtures the vetting tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def no_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An installation without the fake-follower model: the loader looks in an empty folder,
    and nothing it loaded before is kept."""
    from tastemaker.vetting import scoring

    monkeypatch.setattr(scoring, "MODEL_DIR", tmp_path)
    scoring.load_model.cache_clear()
    yield tmp_path
    scoring.load_model.cache_clear()
