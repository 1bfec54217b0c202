"""Engagement quality: each component against figures worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tastemaker.vetting.quality import (
    DEFAULT_WEIGHTS,
    Comment,
    Component,
    Observation,
    PostFigures,
    audience_quality_score,
    comment_authenticity,
    growth_anomalies,
    like_comment_ratio,
    peer_score,
    peer_standing,
)

START = datetime(2026, 8, 1, tzinfo=UTC)


# --- peers -------------------------------------------------------------------------------


def test_the_percentile_counts_ties_as_half() -> None:
    standing = peer_standing(0.05, below=30, equal=10, peers=100)
    assert standing.percentile == pytest.approx(35.0)
    assert standing.note == "higher than 35% of 100 peers"
    assert peer_score(standing) == pytest.approx(35.0)


def test_few_peers_are_said_to_be_few() -> None:
    assert "only 12 peers" in peer_standing(0.05, below=6, equal=0, peers=12).note


def test_a_rate_above_nearly_every_peer_is_a_flag_not_a_reward() -> None:
    standing = peer_standing(0.4, below=995, equal=0, peers=1000)
    assert "bought likes" in standing.note
    assert peer_score(standing) == 50.0


@pytest.mark.parametrize(("below", "equal", "peers"), [(0, 0, 0), (5, 0, 4), (3, 2, 4)])
def test_counts_that_cannot_be_are_refused(below: int, equal: int, peers: int) -> None:
    with pytest.raises(ValueError):
        peer_standing(0.05, below=below, equal=equal, peers=peers)


# --- growth ------------------------------------------------------------------------------


def _history(followers: list[int], likes: list[float] | None = None, days: int = 1) -> list:
    likes = likes or [1_000.0] * len(followers)
    return [
        Observation(START + timedelta(days=i * days), f, lk)
        for i, (f, lk) in enumerate(zip(followers, likes, strict=True))
    ]


def _steady(n: int, start: int = 100_000, daily: float = 0.002) -> list[int]:
    return [round(start * (1 + daily) ** i) for i in range(n)]


def test_steady_growth_has_no_anomalies() -> None:
    report = growth_anomalies(_history(_steady(12)))
    assert (report.events, report.score, report.observations) == ((), 100.0, 12)


def test_a_jump_in_followers_with_flat_likes_is_a_spike_and_a_fall_is_a_drop() -> None:
    followers = _steady(10)
    followers[6:] = [round(f * 1.10) for f in followers[6:]]  # +10% overnight
    followers[8:] = [round(f * 0.95) for f in followers[8:]]  # -5% a day later
    report = growth_anomalies(_history(followers))
    assert [(e.kind, e.start.day) for e in report.events] == [("spike", 6), ("drop", 8)]
    spike, drop = report.events
    assert spike.change_share == pytest.approx(1.10 * 1.002 - 1, rel=0.001)
    assert spike.likes_change_share == 0.0
    assert drop.change_share == pytest.approx(0.95 * 1.002 - 1, rel=0.001)
    assert report.score == 100 - 25 - 15


def test_a_jump_that_likes_follow_is_not_a_spike() -> None:
    followers = _steady(10)
    followers[6:] = [round(f * 1.10) for f in followers[6:]]
    likes = [1_000.0] * 6 + [1_120.0] * 4  # a post that went viral: likes rose too
    assert growth_anomalies(_history(followers, likes)).events == ()


def test_growth_is_compared_per_day_whatever_the_spacing() -> None:
    # Weekly observations of the same steady daily growth: nothing unusual.
    followers = [round(100_000 * 1.002 ** (7 * i)) for i in range(8)]
    history = _history(followers, days=7)
    history.insert(4, Observation(history[3].at + timedelta(days=1), round(followers[3] * 1.002)))
    assert growth_anomalies(history).events == ()


def test_a_short_history_is_not_judged() -> None:
    report = growth_anomalies(_history([1_000, 1_100, 1_400]))
    assert report.score is None
    assert report.note == "3 observations: at least 4 needed"


# --- likes and comments ------------------------------------------------------------------


def test_organic_ratios_score_full() -> None:
    posts = [PostFigures(i, 1_000 + i * 10, 20 + i) for i in range(10)]
    report = like_comment_ratio(posts)
    assert report.outliers == ()
    assert report.score == 100.0
    assert "within the organic range" in report.note


def test_a_post_far_from_the_accounts_ratio_is_an_outlier() -> None:
    posts = [PostFigures(i, 1_000, 20) for i in range(9)] + [PostFigures(99, 1_000, 400)]
    report = like_comment_ratio(posts)
    assert report.outliers == (99,)
    assert report.median_ratio == pytest.approx(0.02)
    assert report.score == pytest.approx(100 - 60 / 10)


def test_likes_without_comments_are_flagged() -> None:
    report = like_comment_ratio([PostFigures(i, 100_000, 50) for i in range(6)])
    assert "bought likes" in report.note
    assert report.score == 60.0


def test_too_few_posts_are_not_judged() -> None:
    report = like_comment_ratio([PostFigures(1, 100, 2), PostFigures(2, 0, 5)])
    assert (report.posts, report.score) == (1, None)


# --- comments ----------------------------------------------------------------------------


def _comments(texts: list[str], posts: int = 6) -> list[Comment]:
    return [Comment(i % posts, f"fan{i}", text) for i, text in enumerate(texts)]


def test_specific_comments_from_many_people_score_full() -> None:
    texts = [f"Which flour did you use for loaf number {i}?" for i in range(30)]
    report = comment_authenticity(_comments(texts))
    assert (report.generic_share, report.emoji_only_share, report.regulars) == (0.0, 0.0, ())
    assert report.score == 100.0


def test_generic_and_emoji_only_comments_are_counted() -> None:
    texts = ["Nice pic!", "🔥🔥🔥", "LOVE IT", "👏🏽 🙌"] + [
        f"Recipe {i} please" for i in range(16)
    ]
    report = comment_authenticity(_comments(texts))
    assert report.generic_share == pytest.approx(2 / 20)
    assert report.emoji_only_share == pytest.approx(2 / 20)
    assert report.examples["emoji"] == ["🔥🔥🔥", "👏🏽 🙌"]
    assert report.score == pytest.approx(80.0)


def test_the_same_accounts_on_every_post_are_a_pod_signal() -> None:
    comments = [Comment(p, "PodPal", "what a view from the ridge") for p in range(6)]
    comments += [Comment(p, "podpal2", "the light here is unreal") for p in range(6)]
    comments += [Comment(p, f"fan{p}", "where is this trail?") for p in range(6)] * 2
    report = comment_authenticity(comments)
    assert report.regulars == ("podpal", "podpal2")
    assert report.regulars_share == pytest.approx(12 / 24)
    assert report.score == pytest.approx(50.0)


def test_few_comments_are_not_judged() -> None:
    assert comment_authenticity(_comments(["nice"] * 5)).score is None


# --- the score ---------------------------------------------------------------------------


def _component(key: str, score: float | None) -> Component:
    return Component(key, key, "-", score, DEFAULT_WEIGHTS[key], "test")


def test_the_score_is_the_weighted_mean_of_the_components_with_data() -> None:
    score = audience_quality_score(
        [
            _component("real_audience", 80.0),
            _component("engagement_vs_peers", 60.0),
            _component("growth", None),
            _component("comments", None),
            _component("likes_to_comments", None),
        ]
    )
    assert score.score == pytest.approx(round((0.35 * 80 + 0.25 * 60) / 0.6, 1))
    assert score.covered_weight == pytest.approx(0.6)
    assert score.missing == ["growth", "comments", "likes_to_comments"]


def test_no_data_gives_no_score() -> None:
    score = audience_quality_score([_component("growth", None)])
    assert (score.score, score.covered_weight) == (None, 0.0)
