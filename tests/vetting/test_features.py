"""The common feature schema: profiles from raw text, and the vectorised matrix."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tastemaker.vetting.features import (
    BASE_FEATURES,
    FEATURES,
    FollowerProfile,
    feature_matrix,
    profile_columns,
    profiles_matrix,
    text_stats,
)


def col(name: str) -> int:
    return FEATURES.index(name)


def test_every_base_feature_is_a_profile_field() -> None:
    profile = FollowerProfile()
    for name in BASE_FEATURES:
        assert getattr(profile, name) is None


def test_from_account_computes_the_text_features() -> None:
    profile = FollowerProfile.from_account(
        username="@anna2024",
        full_name="Anna 2 Smith",
        bio="  Coffee & film  ",
        external_url="https://anna.example",
        followers=120,
        following=80,
        posts=14,
        has_picture=True,
        is_private=False,
    )
    assert profile.username == "anna2024"
    assert profile.username_length == 8
    assert profile.username_digit_ratio == 0.5
    assert profile.full_name_length == 12
    assert profile.full_name_words == 3
    assert profile.full_name_digit_ratio == round(1 / 12, 4)
    assert profile.name_equals_username is False
    assert profile.bio_length == len("Coffee & film")
    assert profile.has_external_url is True


def test_unknown_text_stays_unknown_and_empty_text_is_a_fact() -> None:
    unknown = FollowerProfile.from_account(followers=10)
    assert unknown.bio_length is None
    assert unknown.full_name_words is None
    assert unknown.has_external_url is None
    assert unknown.name_equals_username is None
    empty = FollowerProfile.from_account(username="  ", full_name="", bio="", external_url="")
    assert empty.username is None  # a blank handle is missing, not empty
    assert empty.username_length is None
    assert (empty.full_name_length, empty.full_name_words, empty.full_name_digit_ratio) == (
        0,
        0,
        0.0,
    )
    assert empty.bio_length == 0
    assert empty.has_external_url is False


@pytest.mark.parametrize(
    ("full_name", "username", "same"),
    [("anna_84", "Anna_84", True), ("Anna Smith", "anna.smith", False), ("x", "y", False)],
)
def test_name_equals_username_ignores_case_only(full_name: str, username: str, same: bool) -> None:
    profile = FollowerProfile.from_account(username=username, full_name=full_name)
    assert profile.name_equals_username is same


def test_text_stats() -> None:
    assert text_stats("ab12") == text_stats(" ab12 ")
    assert text_stats("ab12").digit_ratio == 0.5
    assert text_stats(None).length is None


def test_matrix_has_the_model_column_order_and_derived_ratios() -> None:
    matrix = feature_matrix(
        {"followers": [0, 10, np.nan], "following": [7500, 50, 20], "has_picture": [0, 1, 1]}
    )
    assert matrix.shape == (3, len(FEATURES))
    assert matrix.dtype == np.float64
    # Nobody following counts as one follower: the ratio is the following count itself.
    assert matrix[0, col("following_per_follower")] == 7500
    assert matrix[0, col("following_per_follower_squared")] == 7500
    assert matrix[1, col("following_per_follower")] == 5
    assert matrix[1, col("following_per_follower_squared")] == 0.5
    assert math.isnan(matrix[2, col("following_per_follower")])
    assert math.isnan(matrix[0, col("bio_length")])  # never given: unknown, not 0
    assert list(matrix[:, col("has_picture")]) == [0, 1, 1]


def test_matrix_refuses_unknown_names_and_ragged_columns() -> None:
    with pytest.raises(ValueError, match="not base features: folowers"):
        feature_matrix({"folowers": [1]})
    with pytest.raises(ValueError, match="differ in length"):
        feature_matrix({"followers": [1, 2], "following": [1]})
    assert feature_matrix({}).shape == (0, len(FEATURES))


def test_profiles_and_columns_give_the_same_matrix() -> None:
    profiles = [
        FollowerProfile(followers=5, following=900, has_picture=False, bio_length=0),
        FollowerProfile(followers=3000, posts=40, is_private=True),
    ]
    columns = profile_columns(profiles)
    assert math.isnan(columns["following"][1])
    assert columns["has_picture"][0] == 0.0
    np.testing.assert_array_equal(profiles_matrix(profiles), feature_matrix(columns))
