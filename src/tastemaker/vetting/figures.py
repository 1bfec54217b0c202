"""The vetting report's figures (shares with their intervals) and what each one means,
without the model: the web app imports these at start-up, and LightGBM loads only when a
sample is scored (vetting.scoring)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from tastemaker.vetting.features import MASS_FOLLOWING, FloatArray

Z_95 = 1.959963984540054  # two-sided 95% normal quantile


# --- intervals ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    level: float = 0.95


def wilson(successes: float, trials: int, z: float = Z_95) -> Interval:
    """Wilson score interval for a proportion (Wilson 1927): unlike the textbook normal
    interval it stays inside [0, 1] and is honest for small samples and shares near 0 or 1.
    `successes` may be fractional (a sum of probabilities)."""
    if trials <= 0:
        raise ValueError("an interval needs at least one observation")
    if not 0 <= successes <= trials:
        raise ValueError("successes must lie between 0 and the number of trials")
    _, low, high = wilson_arrays(np.array([successes]), np.array([trials]), z)
    return Interval(float(low[0]), float(high[0]))


def wilson_arrays(
    successes: npt.NDArray[Any], trials: npt.NDArray[Any], z: float = Z_95
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The share and its Wilson bounds element-wise, for many proportions at once; NaN where
    there are no trials."""
    with np.errstate(divide="ignore", invalid="ignore"):
        n = trials.astype(np.float64)
        p = successes / n
        z2 = z * z
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    # At p = 0 or 1 the bound is exactly 0 or 1; rounding would make it 5e-17.
    low = np.where(successes == 0, 0.0, np.maximum(0.0, centre - half))
    high = np.where(successes == trials, 1.0, np.minimum(1.0, centre + half))
    return p, low, high


def sample_size_for(margin: float, z: float = Z_95) -> int:
    """Followers needed for a +-`margin` interval at the worst case, a 50% share."""
    return math.ceil(z * z * 0.25 / (margin * margin))


# Followers that give a +-5 point interval at worst (385): what the upload form and a small
# sample's note suggest.
SAMPLE_HINT = sample_size_for(0.05)


@dataclass(frozen=True)
class Share:
    count: int
    of: int
    value: float
    interval: Interval
    meaning: str


def share(count: int, of: int, meaning: str) -> Share:
    """`count` of `of` with its share and Wilson interval."""
    return Share(count, of, count / of, wilson(count, of), meaning)


MEANINGS = {
    "sample_size": "followers scored",
    "threshold": "a follower with a fake probability at or above this is flagged",
    "expected_fake_share": (
        "mean of the followers' fake probabilities: the model's estimate of the fake share "
        "of the whole audience, if the sample is random"
    ),
    "expected_fake_share_interval": (
        "Wilson 95% interval for that share, from the sample size alone (the model's own "
        "errors come on top)"
    ),
    "flagged": "followers at or above the threshold, with a Wilson 95% interval",
    "mass_followers": (
        f"followers that follow more than {MASS_FOLLOWING:,} accounts (they rarely see a post), "
        "among those whose following count is known"
    ),
    "reasons": (
        "the features that pushed flagged followers toward 'fake' most, from the model's "
        "SHAP contributions; followers = flagged followers for whom it was a top reason"
    ),
    "explained": "followers whose contributions were computed (a seeded random subset)",
    "followers": (
        "each follower's probability, in the order given, and for a flagged follower the "
        "features that pushed it most toward 'fake'"
    ),
}
