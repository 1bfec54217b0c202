"""The Audience Quality Score of one account, assembled from what this instance stores: the
workspace's latest audience check, the account's engagement rate against its peers, its
follower history and its recent posts (vetting.quality has the arithmetic).

Each component says where its figures come from, with their provenance, and a component
without data is shown as missing rather than guessed. Nothing is stored: the score is
worked out again from the current data whenever it is asked for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tastemaker.creator import service as creator_service
from tastemaker.creator.models import PlatformAccount
from tastemaker.kit.time import utcnow
from tastemaker.vetting import service
from tastemaker.vetting.models import AudienceCheck
from tastemaker.vetting.quality import (
    DEFAULT_WEIGHTS,
    LABELS,
    Component,
    GrowthReport,
    Observation,
    PeerStanding,
    PostFigures,
    QualityScore,
    RatioReport,
    audience_quality_score,
    growth_anomalies,
    like_comment_ratio,
    peer_score,
    peer_standing,
)
from tastemaker.workspace.context import Context

HISTORY_WINDOW = timedelta(days=180)
RECENT_POSTS = 30


@dataclass(frozen=True)
class AudienceQuality:
    account: PlatformAccount
    score: QualityScore
    peers: PeerStanding | None
    tier: creator_service.Tier | None
    growth: GrowthReport
    ratio: RatioReport
    computed_at: datetime


def audience_quality(ctx: Context, creator_id: int, account_id: int) -> AudienceQuality:
    account = creator_service.get_account(ctx.session, creator_id, account_id)
    now = utcnow()
    check = service.latest_checks(ctx, [account.id]).get(account.id)
    counts = creator_service.engagement_peers(ctx.session, account)
    history = creator_service.snapshots_of(ctx.session, account.id, since=now - HISTORY_WINDOW)
    posts = creator_service.posts_of(ctx.session, account.id, limit=RECENT_POSTS)

    standing = None
    if counts is not None and counts.peers > 0 and account.engagement_rate is not None:
        standing = peer_standing(account.engagement_rate, counts.below, counts.equal, counts.peers)
    growth = growth_anomalies(
        [
            Observation(s.captured_at, s.followers, s.avg_likes)
            for s in history
            if s.followers is not None
        ]
    )
    ratio = like_comment_ratio([PostFigures(p.id, p.likes, p.comments) for p in posts])
    components = (
        _real_audience(check),
        _engagement(account, counts, standing),
        _component(
            "growth",
            growth.note,
            growth.score,
            f"follower counts of the last {HISTORY_WINDOW.days} days: "
            + _provenance((s.provenance.value for s in history), "snapshots"),
        ),
        _component(
            "likes_to_comments",
            ratio.note,
            ratio.score,
            f"the latest {RECENT_POSTS} posts at most: "
            + _provenance((p.provenance.value for p in posts), "posts"),
        ),
        _component(
            "comments",
            "not measured",
            None,
            "no comments are stored for this account; they come with the platform connectors",
        ),
    )
    return AudienceQuality(
        account=account,
        score=audience_quality_score(components),
        peers=standing,
        tier=counts.tier if counts else creator_service.tier_of(account.followers),
        growth=growth,
        ratio=ratio,
        computed_at=now,
    )


def _component(key: str, value: str, score: float | None, basis: str) -> Component:
    return Component(key, LABELS[key], value, score, DEFAULT_WEIGHTS[key], basis)


def _real_audience(check: AudienceCheck | None) -> Component:
    if check is None:
        return _component(
            "real_audience",
            "not measured",
            None,
            "no audience check of this account in this workspace yet: upload a follower sample",
        )
    credibility = service.check_credibility(check)
    return _component(
        "real_audience",
        f"{credibility.score}% real (95% interval {credibility.low}-{credibility.high}%)",
        float(credibility.score),
        f"this workspace's latest audience check, {check.sample_size:,} followers from "
        f"{check.source} scored on {check.created_at:%Y-%m-%d} (estimated by the model)",
    )


def _engagement(
    account: PlatformAccount,
    counts: creator_service.PeerCounts | None,
    standing: PeerStanding | None,
) -> Component:
    if account.engagement_rate is None or counts is None:
        return _component(
            "engagement_vs_peers",
            "not measured",
            None,
            "the account has no engagement rate or no follower count",
        )
    tier = counts.tier.label.lower()
    platform = account.platform.value
    if standing is None:
        return _component(
            "engagement_vs_peers",
            f"{account.engagement_rate:.2%}",
            None,
            f"no other {platform} {tier} account on this instance has an engagement rate",
        )
    formula = creator_service.formula_text(account.engagement_formula) or "formula not recorded"
    return _component(
        "engagement_vs_peers",
        f"{account.engagement_rate:.2%}: {standing.note}",
        peer_score(standing),
        f"{formula}; {account.metrics_provenance.value} by {account.metrics_source or 'unknown'}"
        f"; peers: {platform} accounts with {counts.tier.label} follower counts",
    )


def _provenance(values: Iterable[str], noun: str) -> str:
    """'12 snapshots: 10 imported, 2 reported'."""
    counted = Counter(values)
    if not counted:
        return f"no {noun} stored"
    parts = ", ".join(f"{n} {kind}" for kind, n in counted.most_common())
    return f"{sum(counted.values())} {noun}: {parts}"
