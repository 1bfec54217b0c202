"""Feature values in words."""

from __future__ import annotations

import math

import pytest

from tastemaker.vetting.features import FEATURES
from tastemaker.vetting.reasons import describe


@pytest.mark.parametrize(
    ("feature", "value", "text"),
    [
        ("following", 7500, "follows 7,500 accounts"),
        ("following", 1, "follows 1 account"),
        ("followers", 12, "has 12 followers"),
        ("posts", 0, "no posts"),
        ("has_picture", 0, "no profile picture"),
        ("is_private", 1, "private account"),
        ("username_digit_ratio", 0.4, "40% of the username is digits"),
        ("full_name_words", 0, "no display name"),
        ("bio_length", 0, "empty bio"),
        ("has_external_url", 0, "no link in profile"),
        ("following_per_follower", 2500, "follows 2,500 accounts per follower"),
        ("following_per_follower", 1.25, "follows 1.2 accounts per follower"),
        ("bio_length", math.nan, "bio length unknown"),
    ],
)
def test_describe(feature: str, value: float, text: str) -> None:
    assert describe(feature, value) == text


def test_every_feature_has_words() -> None:
    for feature in FEATURES:
        assert "=" not in describe(feature, 1.0)
