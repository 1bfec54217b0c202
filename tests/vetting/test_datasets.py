"""The three public sets mapped to the common schema (skipped where ../shared/data is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tastemaker.vetting.build import choose_sets
from tastemaker.vetting.datasets import DEFAULT_DATA_DIR, DataMissing, fraud_dir, load_all
from tastemaker.vetting.evaluation import followers_rule, measure
from tastemaker.vetting.features import FEATURES
from tastemaker.vetting.training import known_features
from tests.conftest import SHARED_DATA


def test_the_data_is_looked_for_where_the_tests_look() -> None:
    assert DEFAULT_DATA_DIR == SHARED_DATA


def test_a_missing_folder_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(DataMissing, match=str(tmp_path / "fraud")):
        fraud_dir(tmp_path)


@pytest.mark.shared_data
def test_sizes_and_labels_match_the_readme(shared_data: Path) -> None:
    sets = load_all(shared_data)
    sizes = {name: (s.size, s.fakes) for name, s in sets.items()}
    assert sizes == {"instafake": (1194, 200), "kaggle": (696, 348), "cresci2015": (3900, 1950)}
    kaggle = sets["kaggle"]
    assert (kaggle.parts == "test").sum() == 120
    assert set(sets["cresci2015"].parts) == {"E13", "TFP", "INT", "FSF", "TWT"}


@pytest.mark.shared_data
def test_rows_are_mapped_field_by_field(shared_data: Path) -> None:
    sets = load_all(shared_data)
    # InstaFake's first fake: 25 followers, 1,937 following, 0 bio, 0 posts, pic, private.
    first = sets["instafake"].profiles[0]
    assert (first.followers, first.following, first.posts, first.bio_length) == (25, 1937, 0, 0)
    assert (first.has_picture, first.is_private, first.username_length) == (True, True, 10)
    # Kaggle train.csv row 2: 1,0.27,0,0,0,53,0,0,32,1000,955,0.
    row = sets["kaggle"].profiles[0]
    assert (row.has_picture, row.username_digit_ratio, row.full_name_words) == (True, 0.27, 0)
    assert (row.bio_length, row.has_external_url, row.is_private) == (53, False, False)
    assert (row.posts, row.followers, row.following) == (32, 1000, 955)
    # Cresci's first user: @braddd, "Davide Dellacasa", with a URL and a description.
    user = sets["cresci2015"].profiles[0]
    assert user.username == "braddd" and user.username_length == 6
    assert (user.full_name_words, user.has_external_url, user.has_picture) == (2, True, True)
    assert (user.posts, user.followers, user.following) == (20370, 5470, 2385)
    assert sets["cresci2015"].labels[0] == 0


@pytest.mark.shared_data
def test_the_followers_rule_reproduces_cresci_table_8(shared_data: Path) -> None:
    """Our mapping of Cresci's data gives the paper's own baseline: accuracy 0.881."""
    cresci = load_all(shared_data)["cresci2015"]
    assert measure(cresci.labels, followers_rule(cresci)).accuracy == pytest.approx(
        0.881, abs=0.002
    )


@pytest.mark.shared_data
def test_each_set_knows_its_own_features(shared_data: Path) -> None:
    sets = load_all(shared_data)

    def known(name: str) -> set[str]:
        return set(known_features(sets[name]))

    assert "full_name_words" not in known("instafake")
    assert "username_length" not in known("kaggle")
    assert known("cresci2015") == set(FEATURES)


@pytest.mark.shared_data
def test_a_set_left_out_need_not_be_there(shared_data: Path, tmp_path: Path) -> None:
    """The model card's advice: a commercial deployer retrains without InstaFake, whose
    files they may not hold at all."""
    fraud = tmp_path / "fraud"
    fraud.mkdir()
    for folder in ("kaggle_instagram_fake_spammer", "cresci2015_baseline"):
        (fraud / folder).symlink_to(shared_data / "fraud" / folder)
    sets = choose_sets(tmp_path, without=["instafake"])
    assert list(sets) == ["kaggle", "cresci2015"]
    with pytest.raises(DataMissing, match="instafake_fake_v1"):
        choose_sets(tmp_path)
