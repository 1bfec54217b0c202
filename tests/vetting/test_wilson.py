"""The Wilson interval against published values (Newcombe 1998, Statistics in Medicine 17,
Table I, method 3: score interval without continuity correction)."""

from __future__ import annotations

import pytest

from tastemaker.vetting.figures import sample_size_for, wilson


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_matches_newcombe(successes: int, trials: int, low: float, high: float) -> None:
    interval = wilson(successes, trials)
    assert round(interval.low, 4) == low
    assert round(interval.high, 4) == high
    assert interval.level == 0.95


def test_bounds_are_exact_at_none_and_all() -> None:
    assert wilson(0, 3).low == 0.0
    assert wilson(3, 3).high == 1.0
    assert round(wilson(0, 3).high, 4) == 0.5615
    assert round(wilson(3, 3).low, 4) == 0.4385


def test_fractional_successes_are_allowed() -> None:
    interval = wilson(1.5, 3)
    assert interval.low < 0.5 < interval.high


def test_bad_input() -> None:
    with pytest.raises(ValueError):
        wilson(1, 0)
    with pytest.raises(ValueError):
        wilson(4, 3)


def test_sample_size_for_five_points() -> None:
    # The familiar 385 of opinion polls: +-5 points at 95% in the worst case.
    assert sample_size_for(0.05) == 385
