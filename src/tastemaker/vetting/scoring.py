"""Scoring followers with the shipped model, and the creator-level report built from them.

The model is read from the package (never downloaded) once per process. Probabilities
come from whole feature matrices; the per-feature explanations (LightGBM's SHAP values,
`pred_contrib=True`) cost far more per row, so they are computed on a seeded random subset
of at most `EXPLAINED_MAX` followers, which says as much about the *reasons* as the whole
sample does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import numpy.typing as npt

from tastemaker.kit.errors import DomainError, ValidationFailed
from tastemaker.vetting.features import (
    FEATURES,
    MASS_FOLLOWING,
    FloatArray,
    FollowerProfile,
    profiles_matrix,
)
from tastemaker.vetting.figures import (
    MEANINGS,
    SAMPLE_HINT,
    Interval,
    Share,
    sample_size_for,
    share,
    wilson,
)
from tastemaker.vetting.reasons import describe, summarise
from tastemaker.vetting.training import METADATA_FILE, MODEL_DIR, MODEL_FILE

EXPLAINED_MAX = 2_000
REASONS_PER_FOLLOWER = 3
TOP_REASONS = 5


class ModelUnavailable(DomainError):
    status_code = 503
    code = "model_unavailable"


@dataclass(frozen=True)
class ShippedModel:
    booster: lgb.Booster
    threshold: float
    trained_at: str
    metadata: dict[str, Any]


@lru_cache(maxsize=4)
def load_model(model_dir: Path | None = None) -> ShippedModel:
    """The model and its metadata, checked against each other and against this code's
    feature schema: a mismatch would silently score the wrong columns. By default the
    package's, MODEL_DIR, looked up when the model is first loaded."""
    model_dir = model_dir or MODEL_DIR
    model_path = model_dir / MODEL_FILE
    metadata_path = model_dir / METADATA_FILE
    if not model_path.is_file() or not metadata_path.is_file():
        raise ModelUnavailable(
            f"no fake-follower model in {model_dir}; build one with `tastemaker vetting train`"
        )
    metadata: dict[str, Any] = json.loads(metadata_path.read_text())
    content = model_path.read_bytes()
    if hashlib.sha256(content).hexdigest() != metadata.get("model_sha256"):
        raise ModelUnavailable(f"{model_path} does not match {metadata_path}; retrain the model")
    if tuple(metadata.get("features", ())) != FEATURES:
        raise ModelUnavailable(
            "the shipped model was trained on another feature schema; retrain the model"
        )
    booster = lgb.Booster(model_str=content.decode("utf-8"))
    if tuple(booster.feature_name()) != FEATURES:
        raise ModelUnavailable(f"{model_path} names other features than its metadata")
    return ShippedModel(
        booster=booster,
        threshold=float(metadata["threshold"]),
        trained_at=str(metadata.get("trained_at", "")),
        metadata=metadata,
    )


def _as_matrix(followers: Sequence[FollowerProfile] | FloatArray) -> FloatArray:
    if isinstance(followers, np.ndarray):
        if followers.ndim != 2 or followers.shape[1] != len(FEATURES):
            raise ValueError(f"expected a (n, {len(FEATURES)}) feature matrix")
        return followers
    return profiles_matrix(followers)


def score(
    followers: Sequence[FollowerProfile] | FloatArray, model: ShippedModel | None = None
) -> npt.NDArray[np.float64]:
    """Probability that each follower is fake, in input order."""
    matrix = _as_matrix(followers)
    if len(matrix) == 0:
        return np.empty(0, dtype=np.float64)
    booster = (model or load_model()).booster
    return np.asarray(booster.predict(matrix), dtype=np.float64)


def contributions(matrix: FloatArray, model: ShippedModel | None = None) -> FloatArray:
    """(n, features) log-odds each feature added toward "fake" for each row (SHAP values)."""
    booster = (model or load_model()).booster
    raw = np.asarray(booster.predict(matrix, pred_contrib=True), dtype=np.float64)
    return raw[:, : len(FEATURES)]  # the last column is the model's base value


# --- the report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    feature: str
    text: str
    followers: int
    of_flagged: int
    mean_contribution: float
    meaning: str


@dataclass(frozen=True)
class FollowerScore:
    position: int  # 0-based, in the order given
    username: str | None
    probability: float
    flagged: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class VettingReport:
    sample_size: int
    threshold: float
    expected_fake_share: float
    expected_fake_share_interval: Interval
    flagged: Share
    mass_followers: Share | None
    reasons: tuple[Reason, ...]
    explained: int
    sample_note: str
    model_trained_at: str
    followers: tuple[FollowerScore, ...]
    meanings: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Below this size the interval is wider than +-15 points at a 50% share (43 followers).
SMALL_SAMPLE = sample_size_for(0.15)


def sample_note(size: int, flagged: Share) -> str:
    width = flagged.interval.high - flagged.interval.low
    span = f"{flagged.interval.low:.0%} to {flagged.interval.high:.0%}"
    if size < SMALL_SAMPLE:
        return (
            f"A sample of {size} follower{'s' if size != 1 else ''} says very little: the "
            f"true flagged share could be anywhere from {span}. About {SAMPLE_HINT} randomly "
            "chosen followers give +-5 points."
        )
    return (
        f"{size:,} followers: the flagged share is known to within {width / 2:.0%} either "
        f"way ({span}), if the sample is random."
    )


def report(
    followers: Sequence[FollowerProfile] | FloatArray,
    model: ShippedModel | None = None,
    seed: int = 0,
) -> VettingReport:
    """The creator-level report over a sample of their followers."""
    model = model or load_model()
    matrix = _as_matrix(followers)
    size = len(matrix)
    if size == 0:
        raise ValidationFailed("the follower sample is empty: there is nothing to score")
    probabilities = score(matrix, model)
    flagged_mask = probabilities >= model.threshold
    flagged_count = int(flagged_mask.sum())
    flagged = share(flagged_count, size, MEANINGS["flagged"])
    expected = float(probabilities.mean())

    explained_rows = _explained_rows(size, seed)
    explained = matrix[explained_rows]
    contrib = contributions(explained, model)
    per_row_reasons: dict[int, tuple[str, ...]] = {}
    for local, row in enumerate(explained_rows):
        if flagged_mask[row]:
            per_row_reasons[int(row)] = _top_reasons(explained[local], contrib[local])
    reasons = summarise(
        explained,
        contrib,
        flagged_mask[explained_rows],
        top=TOP_REASONS,
        per_follower=REASONS_PER_FOLLOWER,
    )
    usernames: list[str | None] = (
        [None] * size if isinstance(followers, np.ndarray) else [f.username for f in followers]
    )
    return VettingReport(
        sample_size=size,
        threshold=model.threshold,
        expected_fake_share=expected,
        expected_fake_share_interval=wilson(expected * size, size),
        flagged=flagged,
        mass_followers=_mass_followers(matrix),
        reasons=tuple(Reason(**r) for r in reasons),
        explained=len(explained_rows),
        sample_note=sample_note(size, flagged),
        model_trained_at=model.trained_at,
        followers=tuple(
            FollowerScore(
                position=i,
                username=usernames[i],
                probability=float(probabilities[i]),
                flagged=bool(flagged_mask[i]),
                reasons=per_row_reasons.get(i, ()),
            )
            for i in range(size)
        ),
        meanings=MEANINGS,
    )


def _explained_rows(size: int, seed: int) -> npt.NDArray[np.int64]:
    if size <= EXPLAINED_MAX:
        return np.arange(size)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(size, EXPLAINED_MAX, replace=False))


def _top_reasons(row: FloatArray, contrib: FloatArray) -> tuple[str, ...]:
    order = np.argsort(-contrib)[:REASONS_PER_FOLLOWER]
    return tuple(describe(FEATURES[j], float(row[j])) for j in order if contrib[j] > 0)


def _mass_followers(matrix: FloatArray) -> Share | None:
    following = matrix[:, FEATURES.index("following")]
    known = ~np.isnan(following)
    total = int(known.sum())
    if total == 0:
        return None
    count = int((following[known] > MASS_FOLLOWING).sum())
    return share(count, total, MEANINGS["mass_followers"])
