"""The generator without a database: reproducible, and calibrated as its constants say."""

from __future__ import annotations

import csv
import hashlib
import itertools
import math
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tastemaker.creator.metrics import VIEW_BASED, engagement_rate
from tastemaker.creator.models import Platform
from tastemaker.demo import distributions as dist
from tastemaker.demo import names
from tastemaker.demo.generator import (
    GeneratedCreator,
    account_history,
    generate_creators,
    history_dates,
    tier_of,
)
from tastemaker.kit.settings import Settings

ANCHOR = date(2026, 3, 14)
SAMPLE = 12_000


@pytest.fixture(scope="module")
def sample() -> list[GeneratedCreator]:
    return generate_creators(7, SAMPLE, ANCHOR)


def _digest(creators: list[GeneratedCreator], days: int) -> str:
    dates = history_dates(ANCHOR, days)
    text = repr(creators) + repr([account_history(a, dates) for c in creators for a in c.accounts])
    return hashlib.sha256(text.encode()).hexdigest()


def test_same_seed_gives_the_same_records_and_history() -> None:
    first = _digest(generate_creators(42, 400, ANCHOR), 30)
    second = _digest(generate_creators(42, 400, ANCHOR), 30)
    assert first == second


def test_another_seed_gives_other_records() -> None:
    assert _digest(generate_creators(42, 400, ANCHOR), 30) != _digest(
        generate_creators(43, 400, ANCHOR), 30
    )


def test_a_larger_set_starts_with_the_smaller_one() -> None:
    # Benchmarks at 100K and the demo at 2K describe the same first creators.
    small = generate_creators(5, 100, ANCHOR)
    large = generate_creators(5, 300, ANCHOR)
    assert repr(large[:100]) == repr(small)


def test_primary_account_tiers_follow_the_calibrated_mix(sample: list[GeneratedCreator]) -> None:
    tiers = Counter(tier_of(c.accounts[0].organic_followers) for c in sample)
    for tier, share in dist.TIER_SHARES.items():
        assert tiers[tier] / SAMPLE == pytest.approx(share, abs=0.015), tier


def test_categories_follow_kim2020(sample: list[GeneratedCreator]) -> None:
    categories = Counter(c.category for c in sample)
    assert set(categories) == set(dist.CATEGORY_SHARES)
    for category, share in dist.CATEGORY_SHARES.items():
        assert categories[category] / SAMPLE == pytest.approx(share, abs=0.015), category
    assert categories.most_common(1)[0][0] == "fashion"


def test_engagement_rates_sit_inside_the_domain_bands(sample: list[GeneratedCreator]) -> None:
    checked = 0
    for creator in sample:
        for account in creator.accounts:
            record = account.record
            rate = engagement_rate(
                record.platform,
                followers=record.followers,
                avg_likes=record.avg_likes,
                avg_comments=record.avg_comments,
                avg_shares=record.avg_shares,
                avg_views=record.avg_views,
            )
            assert rate is not None
            assert rate.formula == ("views" if record.platform in VIEW_BASED else "followers")
            low, high = dist.ER_BANDS[account.tier]
            assert account.tier == tier_of(account.organic_followers)
            diluted = account.bought_followers is not None and rate.formula == "followers"
            if diluted:
                # Bought followers do not engage: the rate drops by the jump, as in real fraud.
                assert account.bought_followers is not None
                expected = account.target_engagement_rate / (1 + account.bought_followers.jump)
                assert rate.value == pytest.approx(expected, rel=0.01)
            else:
                assert low <= rate.value <= high, (record.handle, account.tier, rate.value)
                checked += 1
    assert checked > SAMPLE


def test_engagement_rates_spread_across_the_band(sample: list[GeneratedCreator]) -> None:
    micro = sorted(
        a.target_engagement_rate for c in sample for a in c.accounts if a.tier == "micro"
    )
    low, high = dist.ER_BANDS["micro"]
    assert micro[0] < low + 0.1 * (high - low)
    assert micro[-1] > high - 0.1 * (high - low)
    median = micro[len(micro) // 2]
    assert low + 0.25 * (high - low) < median < low + 0.55 * (high - low)  # right-skewed


def test_platforms_accounts_and_flags(sample: list[GeneratedCreator]) -> None:
    accounts = [a for c in sample for a in c.accounts]
    platforms = Counter(a.record.platform for a in accounts)
    assert {Platform.instagram, Platform.tiktok, Platform.youtube, Platform.x} <= set(platforms)
    assert {Platform.twitch, Platform.pinterest, Platform.podcast} <= set(platforms)
    sizes = Counter(len(c.accounts) for c in sample)
    assert set(sizes) == {1, 2, 3}
    assert sizes[2] / SAMPLE == pytest.approx(dist.EXTRA_ACCOUNTS_SHARES[1], abs=0.02)
    for creator in sample:
        assert len({a.record.platform for a in creator.accounts}) == len(creator.accounts)
    virtual = sum(c.is_virtual for c in sample)
    assert 0 < virtual < 0.01 * SAMPLE
    bought = sum(a.bought_followers is not None for a in accounts)
    assert 0 < bought < 0.03 * len(accounts)


def test_handles_are_unique_per_platform_and_obviously_fictitious(
    sample: list[GeneratedCreator],
) -> None:
    by_platform = Counter((a.record.platform, a.record.handle) for c in sample for a in c.accounts)
    assert max(by_platform.values()) == 1
    for creator in sample:
        for account in creator.accounts:
            assert account.record.handle.endswith(("demo", "_demo", "-demo"))
            assert account.record.handle == account.record.handle.lower()
            assert names.DEMO_BIO_SUFFIX in (account.record.bio or "")


def test_countries_and_languages_come_in_consistent_pairs(
    sample: list[GeneratedCreator],
) -> None:
    pairs = {(country, language) for country, language, _ in dist.COUNTRY_LANGUAGE_SHARES}
    seen = Counter((c.country, c.language) for c in sample)
    assert set(seen) <= pairs
    assert len({country for country, _ in seen}) >= 10
    for creator in sample[:200]:
        for account in creator.accounts:
            assert (account.record.country, account.record.language) == (
                creator.country,
                creator.language,
            )


def test_likes_comments_and_views_are_consistent(sample: list[GeneratedCreator]) -> None:
    for creator in sample[:3000]:
        for account in creator.accounts:
            record = account.record
            assert record.avg_likes is not None and record.avg_comments is not None
            assert record.avg_comments <= record.avg_likes * dist.COMMENTS_PER_LIKE_QUANTILES[-1][1]
            if record.avg_views is not None:
                assert record.avg_likes + record.avg_comments <= record.avg_views


def test_history_has_one_snapshot_a_day_ending_with_the_current_figures(
    sample: list[GeneratedCreator],
) -> None:
    dates = history_dates(ANCHOR, 90)
    end = datetime(2026, 3, 14, tzinfo=UTC)
    assert dates[-1] == end and dates[0] == end - timedelta(days=89)
    for creator in sample[:300]:
        for account in creator.accounts:
            days = account_history(account, dates)
            assert [d.captured_at for d in days] == dates
            today = days[-1]
            record = account.record
            assert (today.followers, today.posts, today.avg_likes) == (
                record.followers,
                record.posts,
                record.avg_likes,
            )
            assert all(a.posts <= b.posts for a, b in itertools.pairwise(days))
            if account.bought_followers is None:
                # Organic change from one day to the next stays small.
                for a, b in itertools.pairwise(days):
                    assert abs(b.followers - a.followers) <= max(5, 0.02 * a.followers)


def test_bought_followers_show_as_a_one_day_jump(sample: list[GeneratedCreator]) -> None:
    dates = history_dates(ANCHOR, 90)
    spiked = [a for c in sample for a in c.accounts if a.bought_followers is not None]
    assert spiked
    for account in spiked:
        assert account.bought_followers is not None
        days = account_history(account, dates)
        jump_at = len(days) - account.bought_followers.days_ago
        before, after = days[jump_at - 1], days[jump_at]
        assert after.followers / before.followers > 1 + account.bought_followers.jump * 0.8
        # ...while engagement does not move with it.
        assert after.avg_likes / before.avg_likes < 1.2


def test_an_empty_history_is_empty(sample: list[GeneratedCreator]) -> None:
    assert account_history(sample[0].accounts[0], history_dates(ANCHOR, 0)) == []


def test_bands_are_the_domain_notes_and_the_settings_defaults() -> None:
    # domain.md §2; a change there is a decision, not a drift.
    assert dist.ER_BANDS == {
        "nano": (0.08, 0.15),
        "micro": (0.05, 0.10),
        "mid": (0.03, 0.07),
        "macro": (0.02, 0.05),
        "mega": (0.01, 0.03),
    }
    assert Settings().tier_bands == dist.TIER_LOWER_BOUNDS
    for shares in (dist.TIER_SHARES, dist.CATEGORY_SHARES, dist.PRIMARY_PLATFORM_SHARES):
        assert sum(shares.values()) == pytest.approx(1.0, abs=1e-9)
    assert sum(s for _, _, s in dist.COUNTRY_LANGUAGE_SHARES) == pytest.approx(1.0, abs=1e-9)


@pytest.mark.shared_data
def test_calibrated_constants_match_the_kim2020_sample(shared_data: Path) -> None:
    """Recomputes the embedded aggregates from the development data set, where present."""
    path = shared_data / "creators" / "instagram_kim2020_dev" / "influencers.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    tiers = Counter(tier_of(int(row["followers"])) for row in rows)
    categories = Counter(row["category"] for row in rows)
    for tier, share in dist.TIER_SHARES.items():
        assert tiers[tier] / len(rows) == pytest.approx(share, abs=1e-4), tier
    for category, share in dist.CATEGORY_SHARES.items():
        assert categories[category] / len(rows) == pytest.approx(share, abs=1e-4), category
    for tier, points in dist.FOLLOWER_LOG10_QUANTILES.items():
        logs = sorted(
            math.log10(int(r["followers"])) for r in rows if tier_of(int(r["followers"])) == tier
        )
        median = logs[int(0.5 * (len(logs) - 1))]
        assert dict(points)[0.5] == pytest.approx(median, abs=1e-3), tier
