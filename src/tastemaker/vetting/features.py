"""One feature schema for a follower profile, whatever platform or data set it came from.

The model, the training sets and the uploaded samples all pass through `feature_matrix`,
so a feature cannot mean one thing in training and another when scoring. Unknown values
are NaN, never 0: LightGBM learns where missing values go, and "no bio" (0) is a different
fact from "the export has no bio column" (NaN).

Columns are the currency: `feature_matrix` works on whole numpy arrays, so a million
followers cost a handful of vector operations, not a million Python calls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# Facts a source can know about one follower account. Order matters: it is the model's
# column order, recorded in the model's metadata and checked when the model is loaded.
BASE_FEATURES: tuple[str, ...] = (
    "followers",
    "following",
    "posts",
    "has_picture",
    "is_private",
    "username_length",
    "username_digit_ratio",
    "full_name_length",
    "full_name_words",
    "full_name_digit_ratio",
    "name_equals_username",
    "bio_length",
    "has_external_url",
)
# Computed from the base facts. Cresci et al. 2015 (Table 18) found friends / followers^2
# the single most informative profile feature for bought Twitter followers.
DERIVED_FEATURES: tuple[str, ...] = (
    "following_per_follower",
    "following_per_follower_squared",
)
FEATURES: tuple[str, ...] = BASE_FEATURES + DERIVED_FEATURES

# What each feature means, for reports, the model card and the CLI.
DESCRIPTIONS: dict[str, str] = {
    "followers": "accounts following this follower",
    "following": "accounts this follower follows (Twitter: friends)",
    "posts": "posts published (Twitter: statuses)",
    "has_picture": "1 if the account has its own profile picture, 0 for the default one",
    "is_private": "1 if the account is private (Twitter: protected)",
    "username_length": "characters in the username (handle)",
    "username_digit_ratio": "share of the username's characters that are digits",
    "full_name_length": "characters in the display name",
    "full_name_words": "words in the display name",
    "full_name_digit_ratio": "share of the display name's characters that are digits",
    "name_equals_username": "1 if the display name is the username (case aside)",
    "bio_length": "characters in the bio (Twitter: description)",
    "has_external_url": "1 if the profile links to a website",
    "following_per_follower": "following / max(followers, 1)",
    "following_per_follower_squared": "following / max(followers, 1)^2 (Cresci et al. 2015)",
}

# Above this many followed accounts a follower is a "mass follower": such accounts rarely
# see what they follow (a common vendor definition; Instagram caps following at 7,500).
MASS_FOLLOWING = 1_500


@dataclass(frozen=True, slots=True)
class FollowerProfile:
    """One follower account in the common schema; None where the source does not say.

    Build it from raw text with `FollowerProfile.from_account`, or directly from the
    precomputed figures some data sets publish instead of the text.
    """

    followers: float | None = None
    following: float | None = None
    posts: float | None = None
    has_picture: bool | None = None
    is_private: bool | None = None
    username_length: int | None = None
    username_digit_ratio: float | None = None
    full_name_length: int | None = None
    full_name_words: int | None = None
    full_name_digit_ratio: float | None = None
    name_equals_username: bool | None = None
    bio_length: int | None = None
    has_external_url: bool | None = None
    # Not a feature: shown in reports so a person can look the account up.
    username: str | None = None

    @classmethod
    def from_account(
        cls,
        *,
        username: str | None = None,
        full_name: str | None = None,
        bio: str | None = None,
        external_url: str | None = None,
        followers: float | None = None,
        following: float | None = None,
        posts: float | None = None,
        has_picture: bool | None = None,
        is_private: bool | None = None,
        has_external_url: bool | None = None,
    ) -> FollowerProfile:
        """The profile of an account as platforms show it. None is "unknown"; an empty string
        is "known to be empty" (a bio of length 0, no link)."""
        name = text_stats(full_name)
        if has_external_url is None and external_url is not None:
            has_external_url = bool(external_url.strip())
        # A handle is never empty: a blank one is a missing value, not a fact.
        handle = (username or "").strip().lstrip("@") or None
        same = (
            _comparable(full_name) == _comparable(handle)
            if full_name is not None and handle is not None
            else None
        )
        user = text_stats(handle)
        return cls(
            followers=followers,
            following=following,
            posts=posts,
            has_picture=has_picture,
            is_private=is_private,
            username_length=user.length,
            username_digit_ratio=user.digit_ratio,
            full_name_length=name.length,
            full_name_words=name.words,
            full_name_digit_ratio=name.digit_ratio,
            name_equals_username=same,
            bio_length=len(bio.strip()) if bio is not None else None,
            has_external_url=has_external_url,
            username=handle,
        )


@dataclass(frozen=True, slots=True)
class TextStats:
    length: int | None
    words: int | None
    digit_ratio: float | None


def text_stats(text: str | None) -> TextStats:
    if text is None:
        return TextStats(None, None, None)
    text = text.strip()
    if not text:
        # The Kaggle set writes 0 for the digit share of an empty name, not "unknown".
        return TextStats(0, 0, 0.0)
    digits = sum(1 for ch in text if ch.isdigit())
    return TextStats(len(text), len(text.split()), round(digits / len(text), 4))


def _comparable(text: str | None) -> str:
    # Case aside only: "Marie Dupont" for @marie.dupont is a person; a display name copied
    # from the handle character for character is what the Kaggle set flags (19 of its 20
    # such accounts are fake).
    return (text or "").strip().casefold()


def profile_columns(profiles: Sequence[FollowerProfile]) -> dict[str, FloatArray]:
    """The base features of many profiles as one float array each (NaN for None)."""
    n = len(profiles)
    columns: dict[str, FloatArray] = {}
    for name in BASE_FEATURES:
        columns[name] = np.fromiter(
            (_as_float(getattr(p, name)) for p in profiles), dtype=np.float64, count=n
        )
    return columns


def _as_float(value: float | bool | None) -> float:
    return np.nan if value is None else float(value)


def feature_matrix(columns: Mapping[str, npt.ArrayLike]) -> FloatArray:
    """(n, len(FEATURES)) float64 matrix in the model's column order.

    `columns` maps base feature names to arrays of equal length; a name left out is unknown
    for every row. Names that are not base features are refused, so a typo cannot silently
    turn a feature into NaN.
    """
    unknown = set(columns) - set(BASE_FEATURES)
    if unknown:
        raise ValueError(f"not base features: {', '.join(sorted(unknown))}")
    lengths = {len(np.asarray(v).reshape(-1)) for v in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"columns differ in length: {sorted(lengths)}")
    n = lengths.pop() if lengths else 0
    matrix = np.full((n, len(FEATURES)), np.nan, dtype=np.float64)
    for index, name in enumerate(BASE_FEATURES):
        if name in columns:
            matrix[:, index] = np.asarray(columns[name], dtype=np.float64).reshape(-1)
    followers = matrix[:, FEATURES.index("followers")]
    following = matrix[:, FEATURES.index("following")]
    # max(followers, 1): an account nobody follows is the clearest case, not a division error.
    base = np.fmax(followers, 1.0)
    base[np.isnan(followers)] = np.nan
    ratio = following / base
    matrix[:, FEATURES.index("following_per_follower")] = ratio
    matrix[:, FEATURES.index("following_per_follower_squared")] = ratio / base
    return matrix


def profiles_matrix(profiles: Sequence[FollowerProfile]) -> FloatArray:
    return feature_matrix(profile_columns(profiles))
