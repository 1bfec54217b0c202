"""Fake-follower scoring of 1,000,000 generated follower profiles, end to end from arrays.

    .venv/bin/python benchmarks/fake_followers.py [--followers N] [--objects]

Prints the time to score them (feature matrix + the shipped LightGBM model) against the
5 s target and, as a baseline measured in the same run, the time of building the feature
matrix alone, so the model's share of the time shows. With --objects it also times the
path from a list of FollowerProfile objects (their creation not counted). Never asserts:
a benchmark informs, the test suite decides.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from tastemaker.vetting.features import (
    BASE_FEATURES,
    FloatArray,
    FollowerProfile,
    feature_matrix,
    profile_columns,
)
from tastemaker.vetting.scoring import load_model, score

TARGET_SECONDS = 5.0


def generate(n: int, seed: int = 7) -> dict[str, FloatArray]:
    """Columns shaped roughly like real follower samples: heavy-tailed counts, a minority
    of empty profiles, and some fields unknown, as exports leave them."""
    rng = np.random.default_rng(seed)
    followers = np.floor(rng.lognormal(5.0, 1.8, n))
    following = np.minimum(np.floor(rng.lognormal(5.8, 1.2, n)), 7_500)
    posts = np.where(rng.random(n) < 0.2, 0, np.floor(rng.lognormal(3.5, 1.5, n)))
    username_length = rng.integers(4, 31, n).astype(np.float64)
    digits = np.floor(rng.random(n) * username_length * (rng.random(n) < 0.35))
    name_words = rng.choice([0, 1, 2, 3], n, p=[0.15, 0.35, 0.4, 0.1]).astype(np.float64)
    columns = {
        "followers": followers,
        "following": following,
        "posts": posts,
        "has_picture": (rng.random(n) < 0.9).astype(np.float64),
        "is_private": (rng.random(n) < 0.4).astype(np.float64),
        "username_length": username_length,
        "username_digit_ratio": digits / username_length,
        "full_name_length": name_words * rng.integers(3, 9, n),
        "full_name_words": name_words,
        "full_name_digit_ratio": np.where(rng.random(n) < 0.05, 0.2, 0.0),
        "name_equals_username": (rng.random(n) < 0.03).astype(np.float64),
        "bio_length": np.where(rng.random(n) < 0.5, 0, rng.integers(1, 150, n)).astype(float),
        "has_external_url": (rng.random(n) < 0.1).astype(np.float64),
    }
    # A third of the rows come from exports without name or bio columns.
    unknown = rng.random(n) < 0.33
    for name in ("full_name_length", "full_name_words", "full_name_digit_ratio", "bio_length"):
        columns[name][unknown] = np.nan
    assert set(columns) == set(BASE_FEATURES)
    return columns


def _timed(label: str, seconds: float, n: int) -> None:
    print(f"{label:<46} {seconds:7.3f} s   {n / seconds:>12,.0f} followers/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=1_000_000)
    parser.add_argument("--objects", action="store_true", help="also time FollowerProfile lists")
    args = parser.parse_args()
    n = args.followers
    print(f"{n:,} generated followers, {os.cpu_count()} CPUs")
    columns = generate(n)

    started = time.perf_counter()
    model = load_model()
    load_seconds = time.perf_counter() - started
    print(f"{'loading the shipped model (once per process)':<46} {load_seconds:7.3f} s")

    started = time.perf_counter()
    feature_matrix(columns)
    baseline = time.perf_counter() - started
    _timed("baseline: feature matrix alone", baseline, n)

    started = time.perf_counter()
    probabilities = score(feature_matrix(columns), model)
    total = time.perf_counter() - started
    _timed("end to end: feature matrix + model", total, n)
    print(
        f"  target {TARGET_SECONDS:.0f} s: {total / TARGET_SECONDS:.0%} of it "
        f"({'within' if total <= TARGET_SECONDS else 'OVER'}); the feature matrix is "
        f"{baseline / total:.0%} of the time, the model {1 - baseline / total:.0%}"
    )
    flagged = float((probabilities >= model.threshold).mean())
    print(f"  flagged {flagged:.1%} of the generated followers (a sanity figure, not a result)")

    if args.objects:
        profiles = [
            FollowerProfile(
                **{
                    name: None if np.isnan(value) else value
                    for name, value in zip(BASE_FEATURES, row, strict=True)
                }
            )
            for row in np.column_stack([columns[name] for name in BASE_FEATURES]).tolist()
        ]
        started = time.perf_counter()
        score(feature_matrix(profile_columns(profiles)), model)
        _timed("from FollowerProfile objects", time.perf_counter() - started, n)


if __name__ == "__main__":
    main()
