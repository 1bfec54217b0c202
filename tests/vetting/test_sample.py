"""Reading uploaded follower samples: flexible headers, human numbers, row-numbered errors."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tastemaker.kit.errors import ValidationFailed
from tastemaker.vetting.datasets import load_kaggle
from tastemaker.vetting.features import profiles_matrix
from tastemaker.vetting.sample import SampleError, field_for, read_sample, read_sample_file
from tests.imports.helpers import csv_bytes, xlsx_bytes

HEADER = ["user_name", "name", "followersCount", "friends_count", "statuses_count", "bio",
          "url", "profile_pic", "private", "Notes"]  # fmt: skip


def problems(exc: pytest.ExceptionInfo[SampleError]) -> list[str]:
    return [f"{p['where']}|{p['field']}" for p in exc.value.details["problems"]]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("followers", "followers"), ("follower_count", "followers"),
        ("followersCount", "followers"), ("#followers", "followers"),
        ("following", "following"), ("follows", "following"), ("friends_count", "following"),
        ("posts", "posts"), ("media_count", "posts"), ("statuses_count", "posts"),
        ("username", "username"), ("user_name", "username"), ("Screen Name", "username"),
        ("full_name", "full_name"), ("name", "full_name"),
        ("biography", "bio"), ("bio", "bio"), ("external_url", "external_url"),
        ("url", "external_url"), ("has_profile_pic", "has_picture"),
        ("profile_pic", "has_picture"), ("is_private", "is_private"), ("private", "is_private"),
        ("Notes", None), ("fake", None),
    ],
)  # fmt: skip
def test_header_names(header: str, field: str | None) -> None:
    assert field_for(header) == field


def test_a_good_csv() -> None:
    anna_row = ["anna84729361", "", "1,234", "7.5K", "0", "", "", "no", "false", "from tool X"]
    marie_row = ["marie.dupont", "Marie Dupont", "850", "420", "312", "Photographer",
                 "https://m.fr", "yes", "0", ""]  # fmt: skip
    content = csv_bytes([HEADER, anna_row, marie_row])
    sample = read_sample(content)
    assert sample.format == "csv"
    assert sample.rows == ["row 2", "row 3"]
    assert sample.ignored == ["Notes"]
    assert sample.columns["following"] == "friends_count"
    anna, marie = sample.profiles
    assert (anna.followers, anna.following, anna.posts) == (1234, 7500, 0)
    assert anna.has_picture is False and anna.is_private is False
    assert anna.username_length == 12 and anna.username_digit_ratio == round(8 / 12, 4)
    assert anna.full_name_words == 0 and anna.bio_length == 0 and anna.has_external_url is False
    assert marie.has_picture is True and marie.has_external_url is True
    assert marie.full_name_words == 2 and marie.name_equals_username is False


def test_json_list_and_wrapped_list() -> None:
    followers = [
        {"username": "a1", "follower_count": 12, "follows": "1.2k", "is_private": True},
        {"username": "b2", "edge_followed_by": {"count": 5}, "media_count": None},
    ]
    for document in (followers, {"data": followers}):
        sample = read_sample(json.dumps(document).encode())
        assert sample.format == "json"
        assert sample.rows == ["item 1", "item 2"]
        first, second = sample.profiles
        assert (first.followers, first.following, first.is_private) == (12, 1200, True)
        # A second followers key (edge_followed_by) is reported, not merged.
        assert second.followers is None
        assert any("edge_followed_by" in c for c in sample.ignored)


def test_xlsx() -> None:
    content = xlsx_bytes({"followers": [["username", "followers", "following"], ["x", 3, 900]]})
    sample = read_sample(content)
    assert sample.format == "xlsx"
    assert (sample.profiles[0].followers, sample.profiles[0].following) == (3, 900)


def test_bad_values_are_all_reported_with_row_and_field() -> None:
    content = csv_bytes(
        [
            ["username", "followers", "following", "private"],
            ["ok", "10", "20", "no"],
            ["a", "many", "20", "no"],
            ["b", "-3", "1.2%", "maybe"],
        ]
    )
    with pytest.raises(SampleError) as exc:
        read_sample(content)
    assert isinstance(exc.value, ValidationFailed)
    assert exc.value.status_code == 422
    # The first bad field of each row: a person fixes it and re-uploads.
    assert problems(exc) == ["row 3|followers", "row 4|followers"]
    assert exc.value.message.startswith("2 problems in the follower sample: row 3, followers:")
    assert "'many' is not a number" in exc.value.message
    assert "negative" in exc.value.message


def test_row_numbers_count_the_header_and_blank_lines() -> None:
    content = b"followers,following\n1,2\n\n3,x\n"
    with pytest.raises(SampleError) as exc:
        read_sample(content)
    assert problems(exc) == ["row 4|following"]


def test_flags_and_ratios() -> None:
    content = csv_bytes([["followers", "is_private"], ["1", "perhaps"]])
    with pytest.raises(SampleError, match=r"row 2, is_private: 'perhaps' is not yes/no"):
        read_sample(content)
    ratio = csv_bytes([["followers", "nums/length username"], ["1", "40%"], ["1", "0.25"]])
    assert [p.username_digit_ratio for p in read_sample(ratio).profiles] == [0.4, 0.25]
    with pytest.raises(SampleError, match="share between 0 and 1"):
        read_sample(csv_bytes([["followers", "nums/length username"], ["1", "3"]]))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty: the file holds nothing"),
        (b"  \n\n", "empty: the file holds nothing"),
        (b"followers,following\n", "empty: the file has column names but no followers"),
        (b"[]", "empty: the JSON list has no followers"),
        (b"colour,size\nred,3\n", "none of the columns is a follower field"),
        (b'[{"followers": 1,}]', "the JSON cannot be read"),
        (b'{"followers": 12}', "must be a list of follower objects"),
    ],
)
def test_files_that_are_not_samples(content: bytes, message: str) -> None:
    with pytest.raises(SampleError, match=message):
        read_sample(content)


def test_json_items_that_are_not_followers() -> None:
    content = json.dumps([{"followers": 1}, 7, {"followers": None}, {"bio": {"x": 1}}])
    with pytest.raises(SampleError) as exc:
        read_sample(content.encode())
    assert problems(exc) == ["item 2|", "item 3|", "item 4|bio"]
    assert "item 2 is not an object" in exc.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SampleError, match="cannot read"):
        read_sample_file(tmp_path / "nope.csv")


@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_counts_read_back(count: int) -> None:
    content = f'followers\n"{count:,}"\n'.encode()
    assert read_sample(content).profiles[0].followers == count


@pytest.mark.shared_data
def test_kaggle_file_reads_as_its_loader_maps_it(shared_data: Path) -> None:
    """The Kaggle CSV scored as an upload gives the features the model was trained on."""
    folder = shared_data / "fraud" / "kaggle_instagram_fake_spammer"
    sample = read_sample_file(folder / "test.csv")
    assert sample.ignored == ["fake"]
    loaded = load_kaggle(folder)
    expected = loaded.matrix[loaded.parts == "test"]
    np.testing.assert_array_equal(profiles_matrix(sample.profiles), expected)


def test_utf16_json_with_a_byte_order_mark() -> None:
    content = json.dumps([{"username": "zoë", "followers": 4}]).encode("utf-16")
    sample = read_sample(content)
    assert sample.profiles[0].username == "zoë"


@pytest.mark.parametrize(
    ("bom", "codec"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_utf16_json_after_blank_lines(bom: bytes, codec: str) -> None:
    content = bom + ("\r\n  " + json.dumps([{"followers": 4}])).encode(codec)
    sample = read_sample(content)
    assert (sample.format, sample.profiles[0].followers) == ("json", 4)
