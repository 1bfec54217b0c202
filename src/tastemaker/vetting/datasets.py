"""The three public labelled sets of fake accounts, mapped to the common profile schema.

They live in the development checkout's `../shared/data/fraud/` (never in the package: a
user's fresh clone does not have them). Each loader goes through
`FollowerProfile.from_account` or the profile's own fields, the same path an uploaded
sample takes, so training and scoring see features computed one way.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tastemaker.kit.errors import NotFound
from tastemaker.vetting.features import FloatArray, FollowerProfile, profiles_matrix

# src/tastemaker/vetting/datasets.py -> the project root is three folders up from here,
# and the shared data sits beside the project (as tests/conftest.py finds it).
PROJECT_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_DATA_DIR = PROJECT_ROOT.parent / "shared" / "data"

INSTAFAKE = "instafake"
KAGGLE = "kaggle"
CRESCI = "cresci2015"
NAMES: tuple[str, ...] = (INSTAFAKE, KAGGLE, CRESCI)

TITLES = {
    INSTAFAKE: "InstaFake (Akyon & Kalfaoglu 2019)",
    KAGGLE: "Kaggle fake/spammer (Bakhshandeh 2019)",
    CRESCI: "Cresci 2015 (Twitter)",
}
LICENCES = {
    INSTAFAKE: "CC BY-NC 4.0",
    KAGGLE: "CC BY 3.0 as stated by a mirror (unverified)",
    CRESCI: "research data set, no licence stated",
}
# Cresci et al. 2015: E13 and TFP are verified humans; INT, FSF and TWT were bought.
CRESCI_FAKE_SUBSETS = frozenset({"INT", "FSF", "TWT"})
CRESCI_HUMAN_SUBSETS = frozenset({"E13", "TFP"})


class DataMissing(NotFound):
    code = "data_missing"


@dataclass
class LabelledSet:
    """One data set in the common schema: profiles, 1 = fake, and where each row came from."""

    name: str
    profiles: list[FollowerProfile]
    labels: npt.NDArray[np.int8]
    # The set's own partition of its rows (Kaggle's train/test files, Cresci's five
    # subsets); kept so evaluations can honour it.
    parts: npt.NDArray[np.str_]
    _matrix: FloatArray | None = field(default=None, repr=False)

    @property
    def title(self) -> str:
        return TITLES[self.name]

    @property
    def size(self) -> int:
        return len(self.profiles)

    @property
    def fakes(self) -> int:
        return int(self.labels.sum())

    @property
    def matrix(self) -> FloatArray:
        if self._matrix is None:
            self._matrix = profiles_matrix(self.profiles)
        return self._matrix


def fraud_dir(data_dir: Path | None = None) -> Path:
    """`<data>/fraud`, or DataMissing saying where it was looked for."""
    root = DEFAULT_DATA_DIR if data_dir is None else data_dir
    folder = root / "fraud"
    if not folder.is_dir():
        raise DataMissing(
            f"the labelled fraud data is not at {folder}. It is only in the development "
            "checkout (../shared/data beside the project); pass --data DIR to point at it."
        )
    return folder


def load_all(data_dir: Path | None = None, names: Iterable[str] = NAMES) -> dict[str, LabelledSet]:
    """The sets named (all by default), in NAMES order. Only those are read: a deployer who
    may not use one (InstaFake's licence is non-commercial) need not have its files."""
    folder = fraud_dir(data_dir)
    wanted = set(names)
    return {name: _LOADERS[name](folder / _FOLDERS[name]) for name in NAMES if name in wanted}


def _labelled(name: str, rows: list[tuple[FollowerProfile, int, str]]) -> LabelledSet:
    if not rows:
        raise DataMissing(f"the {TITLES[name]} files hold no rows")
    return LabelledSet(
        name=name,
        profiles=[profile for profile, _, _ in rows],
        labels=np.array([label for _, label, _ in rows], dtype=np.int8),
        parts=np.array([part for _, _, part in rows], dtype=np.str_),
    )


def _require(path: Path) -> Path:
    if not path.is_file():
        raise DataMissing(f"expected data file is missing: {path}")
    return path


def load_instafake(folder: Path) -> LabelledSet:
    rows: list[tuple[FollowerProfile, int, str]] = []
    for file_name in ("fakeAccountData.json", "realAccountData.json"):
        records: list[dict[str, Any]] = json.loads(_require(folder / file_name).read_text())
        for record in records:
            length = int(record["usernameLength"])
            profile = FollowerProfile(
                followers=float(record["userFollowerCount"]),
                following=float(record["userFollowingCount"]),
                posts=float(record["userMediaCount"]),
                has_picture=bool(record["userHasProfilPic"]),
                is_private=bool(record["userIsPrivate"]),
                username_length=length,
                username_digit_ratio=(
                    round(int(record["usernameDigitCount"]) / length, 4) if length else 0.0
                ),
                bio_length=int(record["userBiographyLength"]),
            )
            rows.append((profile, int(record["isFake"]), file_name.removesuffix(".json")))
    return _labelled(INSTAFAKE, rows)


def load_kaggle(folder: Path) -> LabelledSet:
    rows: list[tuple[FollowerProfile, int, str]] = []
    for part in ("train", "test"):
        with _require(folder / f"{part}.csv").open(newline="", encoding="utf-8") as handle:
            for record in csv.DictReader(handle):
                profile = FollowerProfile(
                    followers=float(record["#followers"]),
                    following=float(record["#follows"]),
                    posts=float(record["#posts"]),
                    has_picture=record["profile pic"] == "1",
                    is_private=record["private"] == "1",
                    username_digit_ratio=float(record["nums/length username"]),
                    full_name_words=int(record["fullname words"]),
                    full_name_digit_ratio=float(record["nums/length fullname"]),
                    name_equals_username=record["name==username"] == "1",
                    bio_length=int(record["description length"]),
                    has_external_url=record["external URL"] == "1",
                )
                rows.append((profile, int(record["fake"]), part))
    return _labelled(KAGGLE, rows)


def load_cresci(folder: Path) -> LabelledSet:
    rows: list[tuple[FollowerProfile, int, str]] = []
    path = _require(folder / "bas_users.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            subset = record["dataset"]
            if subset not in CRESCI_FAKE_SUBSETS | CRESCI_HUMAN_SUBSETS:
                raise ValueError(f"{path}: unknown Cresci subset {subset!r}")
            profile = FollowerProfile.from_account(
                username=record["screen_name"],
                full_name=record["name"],
                bio=record["description"],
                external_url=record["url"],
                followers=float(record["followers_count"]),
                following=float(record["friends_count"]),
                posts=float(record["statuses_count"]),
                # Twitter dumps write flags as "1.0" or leave them empty for false.
                has_picture=not _flag(record["default_profile_image"]),
                is_private=_flag(record["protected"]),
            )
            rows.append((profile, int(subset in CRESCI_FAKE_SUBSETS), subset))
    return _labelled(CRESCI, rows)


def _flag(text: str) -> bool:
    return text.strip() not in ("", "0", "0.0", "False", "false")


_FOLDERS = {
    INSTAFAKE: "instafake_fake_v1",
    KAGGLE: "kaggle_instagram_fake_spammer",
    CRESCI: "cresci2015_baseline",
}
_LOADERS: dict[str, Callable[[Path], LabelledSet]] = {
    INSTAFAKE: load_instafake,
    KAGGLE: load_kaggle,
    CRESCI: load_cresci,
}
