"""Seeded, reproducible demo creators and their metric history; no database here.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, so the same seed and
anchor date give the same records on every machine. Dates are offsets from the anchor (the
caller passes "today", computed once), so the history always ends on the day it is loaded.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Generic, NamedTuple, TypeVar

from tastemaker.creator.bulk import AccountRecord
from tastemaker.creator.metrics import VIEW_BASED
from tastemaker.creator.models import Platform
from tastemaker.demo import distributions as dist
from tastemaker.demo import names

T = TypeVar("T")

# Platforms whose handles cannot contain dots use another separator; the mapping is
# one-to-one because generated handles hold only [a-z0-9.].
HANDLE_SEPARATOR: dict[Platform, str] = {
    Platform.x: "_",
    Platform.twitch: "_",
    Platform.pinterest: "_",
    Platform.podcast: "-",
}
# No public "following" count on these.
NO_FOLLOWING = frozenset({Platform.youtube, Platform.podcast})


@dataclass(frozen=True, slots=True)
class BoughtFollowers:
    days_ago: int  # the jump happened between this day and the one before it
    jump: float  # fraction of the organic audience added in one day


@dataclass(slots=True)
class GeneratedAccount:
    record: AccountRecord
    tier: str  # the band its engagement rate was drawn in
    organic_followers: int  # followers without bought ones (== record.followers mostly)
    target_engagement_rate: float  # with the platform's formula, on organic figures
    daily_growth: float
    bought_followers: BoughtFollowers | None
    history_seed: int


@dataclass(slots=True)
class GeneratedCreator:
    index: int
    display_name: str
    is_virtual: bool
    country: str
    language: str
    category: str
    accounts: list[GeneratedAccount] = field(default_factory=list)


class DailyMetrics(NamedTuple):
    captured_at: datetime
    followers: int
    following: int | None
    posts: int
    avg_likes: float
    avg_comments: float
    avg_shares: float | None
    avg_views: float | None


class _Picker(Generic[T]):
    """Weighted choice by bisecting a cumulative table: one random() per draw, and fast."""

    def __init__(self, weighted: Sequence[tuple[T, float]]) -> None:
        self.items = [item for item, _ in weighted]
        self.cumulative = list(itertools.accumulate(weight for _, weight in weighted))

    def __call__(self, rng: random.Random) -> T:
        point = rng.random() * self.cumulative[-1]
        return self.items[min(bisect.bisect_right(self.cumulative, point), len(self.items) - 1)]


class _Quantiles:
    """Inverse CDF by linear interpolation between (probability, value) points."""

    def __init__(self, points: Sequence[tuple[float, float]]) -> None:
        self.probs = [p for p, _ in points]
        self.values = [v for _, v in points]

    def __call__(self, u: float) -> float:
        i = bisect.bisect_right(self.probs, u)
        if i <= 0:
            return self.values[0]
        if i >= len(self.probs):
            return self.values[-1]
        p0, p1 = self.probs[i - 1], self.probs[i]
        v0, v1 = self.values[i - 1], self.values[i]
        return v0 + (v1 - v0) * (u - p0) / (p1 - p0)


_COUNTRY = _Picker([((c, lang), share) for c, lang, share in dist.COUNTRY_LANGUAGE_SHARES])
_CATEGORY = _Picker(list(dist.CATEGORY_SHARES.items()))
_TIER = _Picker(list(dist.TIER_SHARES.items()))
_PRIMARY_PLATFORM = _Picker(list(dist.PRIMARY_PLATFORM_SHARES.items()))
_EXTRA_ACCOUNTS = _Picker(list(dist.EXTRA_ACCOUNTS_SHARES.items()))
_LOG_FOLLOWERS = {tier: _Quantiles(q) for tier, q in dist.FOLLOWER_LOG10_QUANTILES.items()}
_FOLLOWING = _Quantiles(dist.FOLLOWING_QUANTILES)
_POSTS = _Quantiles(dist.POSTS_QUANTILES)
_COMMENTS_PER_LIKE = _Quantiles(dist.COMMENTS_PER_LIKE_QUANTILES)


@lru_cache(maxsize=4096)
def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _triangle(rng: random.Random, spec: tuple[float, float, float]) -> float:
    low, mode, high = spec
    return rng.triangular(low, high, mode)


_TIER_BOUNDS = sorted(dist.TIER_LOWER_BOUNDS.items(), key=lambda item: item[1])


def tier_of(followers: int) -> str:
    """creator.metrics.tier_for on the demo's bands, without re-sorting them per call.
    Accounts under the lowest band are measured against the nano band, the nearest one."""
    found = _TIER_BOUNDS[0][0]
    for name, lower in _TIER_BOUNDS:
        if followers < lower:
            break
        found = name
    return found


def _pick(rng: random.Random, options: Sequence[T]) -> T:
    # rng.choice's rejection sampling costs more than the demo's 100K creators can afford.
    return options[int(rng.random() * len(options))]


def platform_handle(base: str, platform: Platform) -> str:
    separator = HANDLE_SEPARATOR.get(platform)
    return base.replace(".", separator) if separator else base


class _Handles:
    """Unique base handles across all creators, so every platform's handle is unique too."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, rng: random.Random, index: int, given: str, surname: str, topic: str) -> str:
        first, last = _ascii(given), _ascii(surname)
        candidates = (
            f"{first}.{topic}.demo",
            f"{first}{last}.demo",
            f"{first}.{last}.{topic}.demo",
            f"{first}.{topic}{rng.randint(2, 99)}.demo",
        )
        for candidate in candidates:
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        # The index is unique, so this always is; it is needed only for large sets.
        fallback = f"{first}.{last}.{index}.demo"
        self.taken.add(fallback)
        return fallback


def _engagement(
    rng: random.Random, platform: Platform, tier: str, organic_followers: int
) -> tuple[float, float, float, float | None, float | None]:
    """(rate, likes, comments, shares, views): averages per post consistent with a rate drawn
    inside the tier's band, using the formula creator.metrics applies to this platform."""
    low, high = dist.ER_BANDS[tier]
    rate = rng.triangular(low, high, low + dist.ER_MODE_POSITION * (high - low))
    views_spec = dist.VIEWS_PER_FOLLOWER[platform]
    # Bought followers neither watch nor like: views and engagement follow the organic base.
    views = (
        float(max(1, round(organic_followers * _triangle(rng, views_spec)))) if views_spec else None
    )
    comments_per_like = _COMMENTS_PER_LIKE(rng.random())
    shares_spec = dist.SHARES_PER_LIKE[platform]
    shares_per_like = _triangle(rng, shares_spec) if shares_spec else None
    if platform in VIEW_BASED and views:
        total = rate * views
        likes = total / (1 + comments_per_like + (shares_per_like or 0.0))
    else:
        total = rate * organic_followers
        likes = total / (1 + comments_per_like)
        if views is not None:
            # A follower-based rate can exceed what the views allow; keep engagements at
            # most about a quarter of the views, as on real posts.
            views = max(views, float(round(total * rng.uniform(4.0, 8.0))))
    comments = likes * comments_per_like
    shares = likes * shares_per_like if shares_per_like is not None else None
    # Round to cents of an interaction: stable text in hashes, no visible precision noise.
    return (
        rate,
        round(likes, 2),
        round(comments, 2),
        round(shares, 2) if shares is not None else None,
        views,
    )


def _account(
    rng: random.Random,
    platform: Platform,
    handle: str,
    organic_followers: int,
    creator: GeneratedCreator,
    bio: str,
    contact_email: str | None,
    captured_at: datetime,
) -> GeneratedAccount:
    tier = tier_of(organic_followers)
    rate, likes, comments, shares, views = _engagement(rng, platform, tier, organic_followers)
    bought: BoughtFollowers | None = None
    followers = organic_followers
    if rng.random() < dist.BOUGHT_FOLLOWERS_SHARE:
        bought = BoughtFollowers(
            days_ago=rng.randint(*dist.BOUGHT_FOLLOWERS_DAYS_AGO),
            jump=round(rng.uniform(*dist.BOUGHT_FOLLOWERS_JUMP), 3),
        )
        followers = round(organic_followers * (1 + bought.jump))
    following = None if platform in NO_FOLLOWING else round(_FOLLOWING(rng.random()))
    posts = max(3, round(_POSTS(rng.random()) * dist.POSTS_FACTOR[platform]))
    growth = min(0.006, max(-0.004, rng.gauss(dist.DAILY_GROWTH_MEAN, dist.DAILY_GROWTH_SD)))
    record = AccountRecord(
        platform=platform,
        handle=handle,
        display_name=creator.display_name,
        is_virtual=creator.is_virtual,
        followers=followers,
        following=following,
        posts=posts,
        avg_likes=likes,
        avg_comments=comments,
        avg_shares=shares,
        avg_views=views,
        country=creator.country,
        language=creator.language,
        bio=bio,
        contact_email=contact_email,
        categories=[creator.category],
        captured_at=captured_at,
    )
    return GeneratedAccount(
        record=record,
        tier=tier,
        organic_followers=organic_followers,
        target_engagement_rate=rate,
        daily_growth=round(growth, 6),
        bought_followers=bought,
        history_seed=rng.getrandbits(63),
    )


def anchor_datetime(anchor: date) -> datetime:
    """Snapshots are taken at midnight UTC, so the newest one is never in the future."""
    return datetime(anchor.year, anchor.month, anchor.day, tzinfo=UTC)


def iter_creators(seed: int, count: int, anchor: date) -> Iterator[GeneratedCreator]:
    """`count` creators, one after another (large sets need not sit in memory at once)."""
    rng = random.Random(seed)
    handles = _Handles()
    captured_at = anchor_datetime(anchor)
    stems, virtual_first, virtual_last = (
        names.SURNAME_STEMS,
        names.VIRTUAL_FIRST,
        names.VIRTUAL_LAST,
    )
    secondary = list(dist.SECONDARY_PLATFORM_WEIGHTS.items())
    log_low, log_high = (math.log10(f) for f in dist.SECONDARY_FOLLOWER_FACTOR)
    for index in range(count):
        country, language = _COUNTRY(rng)
        category = _CATEGORY(rng)
        is_virtual = rng.random() < dist.VIRTUAL_SHARE
        if is_virtual:
            given, surname = _pick(rng, virtual_first), _pick(rng, virtual_last)
        else:
            given = _pick(rng, names.GIVEN_NAMES[language])
            surname = _pick(rng, stems) + _pick(rng, names.SURNAME_ENDINGS[language])
        topic = _pick(rng, names.TOPIC_WORDS[category])
        base = handles.claim(rng, index, given, surname, topic)
        creator = GeneratedCreator(
            index=index,
            display_name=f"{given} {surname}",
            is_virtual=is_virtual,
            country=country,
            language=language,
            category=category,
        )
        phrase = _pick(rng, names.TOPIC_PHRASES[category])
        place = "Virtual creator (CGI)" if is_virtual else _pick(rng, names.CITIES[country])
        bio = f"{phrase} · {place}. {names.DEMO_BIO_SUFFIX}"
        email = (
            f"{base.replace('.', '-')}@creators.example"
            if rng.random() < dist.CONTACT_EMAIL_SHARE
            else None
        )

        primary = _PRIMARY_PLATFORM(rng)
        tier = _TIER(rng)
        primary_followers = round(10 ** _LOG_FOLLOWERS[tier](rng.random()))
        platforms = [primary]
        for _ in range(_EXTRA_ACCOUNTS(rng)):
            options = [(p, w) for p, w in secondary if p not in platforms]
            platforms.append(_Picker(options)(rng))
        for position, platform in enumerate(platforms):
            if position == 0:
                followers = primary_followers
            else:
                factor = 10 ** rng.uniform(log_low, log_high)
                # A second account still has an audience worth listing: at least 1K-3K.
                followers = max(
                    round(primary_followers * factor), round(1_000 * (1 + 2 * rng.random()))
                )
            creator.accounts.append(
                _account(
                    rng,
                    platform,
                    platform_handle(base, platform),
                    followers,
                    creator,
                    bio,
                    email,
                    captured_at,
                )
            )
        yield creator


def generate_creators(seed: int, count: int, anchor: date) -> list[GeneratedCreator]:
    return list(iter_creators(seed, count, anchor))


def history_dates(anchor: date, days: int) -> list[datetime]:
    """The capture times of a `days`-long daily history ending on the anchor, oldest first."""
    end = anchor_datetime(anchor)
    return [end - timedelta(days=back) for back in range(days - 1, -1, -1)]


def account_history(account: GeneratedAccount, dates: Sequence[datetime]) -> list[DailyMetrics]:
    """Daily figures ending exactly on the account's current ones, walked back in time:
    followers shrink by the account's growth plus noise, posts by the posting cadence, the
    averages follow the organic audience; bought followers vanish before their jump day."""
    days = len(dates)
    if days == 0:
        return []
    rng = random.Random(account.history_seed)
    record = account.record
    bought = account.bought_followers
    cadence = dist.POSTS_PER_DAY[record.platform]
    whole, fraction = int(cadence), cadence - int(cadence)
    noise = dist.DAILY_GROWTH_NOISE_SD
    organic_today = float(account.organic_followers)
    organic = organic_today
    following = record.following
    posts = record.posts or 0
    likes, comments = record.avg_likes or 0.0, record.avg_comments or 0.0
    shares, views = record.avg_shares, record.avg_views
    newest_first: list[DailyMetrics] = []
    for back in range(days):
        if back == 0:
            # Today's snapshot is exactly the current profile, so the two never disagree.
            newest_first.append(
                DailyMetrics(
                    dates[-1],
                    record.followers or 0,
                    following,
                    posts,
                    likes,
                    comments,
                    shares,
                    views,
                )
            )
            continue
        organic /= 1 + account.daily_growth + rng.gauss(0.0, noise)
        posts = max(0, posts - whole - (1 if rng.random() < fraction else 0))
        if following is not None:
            following = max(0, following - round(rng.gauss(0.3, 2.0)))
        followers = round(organic)
        if bought is not None and back < bought.days_ago:
            followers = round(organic * (1 + bought.jump))
        # Engagement moves with the real audience, with the week-to-week wobble of content.
        scale = organic / organic_today * (1 + rng.gauss(0.0, 0.04))
        newest_first.append(
            DailyMetrics(
                dates[days - 1 - back],
                max(0, followers),
                following,
                posts,
                round(likes * scale, 2),
                round(comments * scale, 2),
                round(shares * scale, 2) if shares is not None else None,
                round(views * scale) if views is not None else None,
            )
        )
    newest_first.reverse()
    return newest_first
