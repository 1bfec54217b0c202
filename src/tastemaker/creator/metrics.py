"""Tier and engagement rate, each with the formula that produced it (domain.md §2-3)."""

from __future__ import annotations

from dataclasses import dataclass

from tastemaker.creator.models import Platform

TIER_ORDER = ("nano", "micro", "mid", "macro", "mega")
TIER_LABELS = {
    "nano": "Nano",
    "micro": "Micro",
    "mid": "Mid-tier",
    "macro": "Macro",
    "mega": "Mega",
}

# Platforms where engagement is measured against views (video-first), per HypeAuditor's
# TikTok definition; the rest against followers, per HypeAuditor's Instagram definition.
VIEW_BASED = frozenset({Platform.tiktok, Platform.youtube, Platform.twitch, Platform.snapchat})

FORMULAS = {
    "followers": "(avg likes + avg comments) / followers",
    "views": "(avg likes + avg comments + avg shares) / avg views",
}


@dataclass(frozen=True)
class EngagementRate:
    value: float
    formula: str  # a key of FORMULAS

    @property
    def description(self) -> str:
        return FORMULAS[self.formula]


def tier_for(followers: int | None, bands: dict[str, int]) -> str | None:
    """Highest band whose lower bound the follower count reaches; None below the lowest."""
    if followers is None:
        return None
    found: str | None = None
    for name, lower in sorted(bands.items(), key=lambda item: item[1]):
        if followers >= lower:
            found = name
    return found


def tier_range(tier: str, bands: dict[str, int]) -> tuple[int, int | None]:
    """[lower, upper) follower bounds of a tier, for filtering in SQL."""
    ordered = sorted(bands.items(), key=lambda item: item[1])
    for index, (name, lower) in enumerate(ordered):
        if name == tier:
            upper = ordered[index + 1][1] if index + 1 < len(ordered) else None
            return lower, upper
    raise ValueError(f"unknown tier {tier!r}; known: {', '.join(n for n, _ in ordered)}")


def engagement_rate(
    platform: Platform,
    *,
    followers: int | None,
    avg_likes: float | None,
    avg_comments: float | None,
    avg_shares: float | None = None,
    avg_views: float | None = None,
) -> EngagementRate | None:
    if avg_likes is None and avg_comments is None:
        return None
    likes = avg_likes or 0.0
    comments = avg_comments or 0.0
    if platform in VIEW_BASED and avg_views:
        return EngagementRate((likes + comments + (avg_shares or 0.0)) / avg_views, "views")
    if followers:
        return EngagementRate((likes + comments) / followers, "followers")
    return None
