"""The shipped model, loaded from the package with the network shut, and its reports."""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tastemaker.kit.errors import ValidationFailed
from tastemaker.vetting.features import FEATURES, FollowerProfile, feature_matrix, profiles_matrix
from tastemaker.vetting.scoring import (
    EXPLAINED_MAX,
    ModelUnavailable,
    load_model,
    report,
    score,
)
from tastemaker.vetting.training import METADATA_FILE, MODEL_DIR, MODEL_FILE


def bought(n: int = 0) -> FollowerProfile:
    """What a bought follower looks like in every data set: empty, following thousands."""
    return FollowerProfile.from_account(
        username=f"jessica{84729361 + n}", full_name="", bio="", external_url="",
        followers=3, following=7_500, posts=0, has_picture=False, is_private=False,
    )  # fmt: skip


def person(n: int = 0) -> FollowerProfile:
    return FollowerProfile.from_account(
        username=f"marie.dupont{'' if n == 0 else '.' + 'x' * n}",
        full_name="Marie Dupont",
        bio="Photographer in Lyon. Coffee, film cameras and long walks.",
        external_url="https://mariedupont.example",
        followers=850, following=420, posts=312, has_picture=True, is_private=False,
    )  # fmt: skip


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No socket can connect, and the model is read afresh from the package."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the model tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    load_model.cache_clear()
    yield
    load_model.cache_clear()


def test_shipped_model_is_text_with_matching_metadata() -> None:
    content = (MODEL_DIR / MODEL_FILE).read_bytes()
    assert content.startswith(b"tree\nversion=")  # LightGBM's text format, not a pickle
    metadata = json.loads((MODEL_DIR / METADATA_FILE).read_text())
    assert metadata["format"] == "lightgbm-text"
    assert metadata["features"] == list(FEATURES)
    assert metadata["model_sha256"] == hashlib.sha256(content).hexdigest()
    assert 0 < metadata["threshold"] < 1
    assert {"instafake", "kaggle", "cresci2015"} <= set(metadata["datasets"])
    assert (MODEL_DIR / "MODEL_CARD.md").read_text().startswith("# Model card")


def test_loads_offline_once_and_scores_clear_cut_profiles(offline: None) -> None:
    model = load_model()
    assert load_model() is model  # cached: read once per process
    fake, real = score([bought(), person()])
    assert fake > 0.9
    assert real < 0.1


def test_unknown_everything_still_gives_a_probability() -> None:
    (p,) = score([FollowerProfile()])
    assert 0 <= p <= 1


def test_matrix_and_profiles_score_alike() -> None:
    profiles = [bought(), person()]
    from_matrix = score(feature_matrix({"followers": [3, 850], "following": [7500, 420]}))
    assert from_matrix.shape == (2,)
    assert len(score(np.empty((0, len(FEATURES))))) == 0
    with pytest.raises(ValueError, match="feature matrix"):
        score(np.zeros((2, 3)))
    assert score(profiles).shape == (2,)
    np.testing.assert_array_equal(score(profiles), score(profiles_matrix(profiles)))


def test_a_sample_of_three_is_reported_as_saying_little() -> None:
    result = report([bought(), person(), person(1)])
    assert result.sample_size == 3
    assert result.flagged.count == 1
    assert result.flagged.value == pytest.approx(1 / 3)
    # Wilson 95% for 1 of 3: 0.0615 to 0.7923.
    assert round(result.flagged.interval.low, 4) == 0.0615
    assert round(result.flagged.interval.high, 4) == 0.7923
    assert "says very little" in result.sample_note
    assert "6% to 79%" in result.sample_note
    assert 0.3 < result.expected_fake_share < 0.4
    assert result.mass_followers is not None
    assert (result.mass_followers.count, result.mass_followers.of) == (1, 3)
    assert result.meanings["flagged"]


def test_reasons_name_the_facts_behind_the_flags() -> None:
    result = report([bought(n) for n in range(25)] + [person(n) for n in range(25)])
    assert result.flagged.count == 25
    assert result.flagged.interval.low < 0.5 < result.flagged.interval.high
    assert "within" in result.sample_note
    assert result.reasons
    assert all(r.of_flagged == 25 and 0 < r.followers <= 25 for r in result.reasons)
    assert all(r.feature in FEATURES and r.mean_contribution > 0 for r in result.reasons)
    texts = " | ".join(r.text for r in result.reasons)
    assert any(word in texts for word in ("no posts", "follows", "no profile picture"))
    followers = result.followers
    assert all(f.reasons for f in followers if f.flagged)
    assert not any(f.reasons for f in followers if not f.flagged)
    assert followers[0].username == "jessica84729361"
    as_dict = result.to_dict()
    assert as_dict["flagged"]["interval"]["level"] == 0.95
    json.dumps(as_dict)  # the CLI's --json prints exactly this


def test_large_samples_explain_a_subset() -> None:
    n = EXPLAINED_MAX + 500
    columns = {"followers": np.full(n, 3.0), "following": np.full(n, 7500.0)}
    result = report(feature_matrix(columns))
    assert result.explained == EXPLAINED_MAX
    assert result.sample_size == n
    assert result.flagged.interval.high - result.flagged.interval.low < 0.01


def test_a_sample_without_following_counts_has_no_mass_follower_share() -> None:
    result = report([FollowerProfile(followers=10, posts=0)])
    assert result.mass_followers is None


def test_an_empty_sample_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="empty"):
        report([])


def test_a_tampered_model_is_refused(tmp_path: Path) -> None:
    for name in (MODEL_FILE, METADATA_FILE):
        shutil.copy(MODEL_DIR / name, tmp_path / name)
    assert load_model(tmp_path).threshold == load_model().threshold
    with (tmp_path / MODEL_FILE).open("a") as handle:
        handle.write("\n")
    load_model.cache_clear()
    with pytest.raises(ModelUnavailable, match="does not match"):
        load_model(tmp_path)
    with pytest.raises(ModelUnavailable, match="tastemaker vetting train"):
        load_model(tmp_path / "missing")
    load_model.cache_clear()
