"""Engagement quality and the Audience Quality Score: plain functions over figures already
gathered (peer counts, metric history, posts, comments), so each can be checked by hand.

The score follows the shape of HypeAuditor's published AQS (../shared/docs/domain.md §3:
engagement rate, real audience, growth anomalies, comments not from pods) but every
component is shown with its value, its sub-score, its weight and how it was worked out,
and a component without data is left out and said to be, never guessed. The thresholds
below are heuristics, named so a reader can disagree with them; none is a vendor's secret.
"""

from __future__ import annotations

import itertools
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

# --- engagement against peers ------------------------------------------------------------

# Fewer peers than this and a percentile says little: it is still shown, with a note.
FEW_PEERS = 30
# Above this percentile an engagement rate is worth a look rather than a compliment:
# bought likes and engagement pods push rates far above a tier's norm.
SUSPICIOUSLY_HIGH_PERCENTILE = 99.0


@dataclass(frozen=True)
class PeerStanding:
    rate: float
    percentile: float  # share of peers with a lower rate, ties counted half, 0-100
    peers: int
    note: str


def peer_standing(rate: float, below: int, equal: int, peers: int) -> PeerStanding:
    """`rate`'s percentile among `peers` accounts of the same platform and tier, of which
    `below` have a lower rate and `equal` the same one (the account itself excluded): the
    mid-rank percentile, so a rate in the middle of a tie is not ranked top or bottom."""
    if peers <= 0:
        raise ValueError("a percentile needs at least one peer")
    if not 0 <= below <= peers or not 0 <= equal <= peers - below:
        raise ValueError("below and equal must be counts among the peers")
    percentile = 100.0 * (below + 0.5 * equal) / peers
    if peers < FEW_PEERS:
        note = f"only {peers} peers: a rough standing"
    elif percentile > SUSPICIOUSLY_HIGH_PERCENTILE:
        note = "higher than 99% of peers: check for bought likes or engagement pods"
    else:
        note = f"higher than {percentile:.0f}% of {peers:,} peers"
    return PeerStanding(rate, percentile, peers, note)


def peer_score(standing: PeerStanding) -> float:
    """0-100: the percentile, except that a rate above nearly every peer's scores as the
    median does, neither rewarded nor condemned until someone looks."""
    if standing.percentile > SUSPICIOUSLY_HIGH_PERCENTILE:
        return 50.0
    return standing.percentile


# --- follower growth ---------------------------------------------------------------------

# A spike: the day's follower growth is this many robust deviations above the account's
# usual, and at least this share of its followers.
SPIKE_DEVIATIONS = 3.5
SPIKE_MIN_SHARE = 0.02
# ... while likes grew by less than this fraction of the followers' growth rate.
FLAT_ENGAGEMENT = 0.5
# A drop: followers fell by at least this share between two observations (a purge).
DROP_SHARE = 0.02
MIN_HISTORY = 4  # observations needed before growth is judged at all
SPIKE_PENALTY = 25.0
DROP_PENALTY = 15.0


@dataclass(frozen=True)
class Observation:
    at: datetime
    followers: int
    avg_likes: float | None = None


@dataclass(frozen=True)
class GrowthEvent:
    kind: str  # "spike" or "drop"
    start: datetime
    end: datetime
    followers_before: int
    followers_after: int
    change_share: float  # relative change in followers over the interval
    likes_change_share: float | None
    detail: str


@dataclass(frozen=True)
class GrowthReport:
    observations: int
    events: tuple[GrowthEvent, ...]
    score: float | None
    note: str


def growth_anomalies(history: Sequence[Observation]) -> GrowthReport:
    """Spikes in followers without engagement to match (bought followers) and sudden drops
    (purges), in a metric history of any spacing: growth is compared per day, against the
    account's own median daily growth and its median absolute deviation."""
    points = sorted(history, key=lambda o: o.at)
    points = [p for i, p in enumerate(points) if i == 0 or p.at > points[i - 1].at]
    if len(points) < MIN_HISTORY:
        return GrowthReport(
            len(points), (), None, f"{len(points)} observations: at least {MIN_HISTORY} needed"
        )
    steps = list(itertools.pairwise(points))
    daily = [_daily_growth(a, b) for a, b in steps]
    centre = statistics.median(daily)
    spread = statistics.median(abs(g - centre) for g in daily) * 1.4826  # MAD as a sigma
    events: list[GrowthEvent] = []
    for (before, after), rate in zip(steps, daily, strict=True):
        change = (after.followers - before.followers) / max(before.followers, 1)
        likes_change = _relative(before.avg_likes, after.avg_likes)
        unusual = rate - centre > SPIKE_DEVIATIONS * max(spread, 1e-9)
        flat = likes_change is None or likes_change < FLAT_ENGAGEMENT * change
        if change <= -DROP_SHARE:
            kind, detail = "drop", f"followers fell {-change:.1%}: a purge of fake followers?"
        elif unusual and change >= SPIKE_MIN_SHARE and flat:
            likes = "unknown" if likes_change is None else f"{likes_change:+.1%}"
            kind, detail = "spike", f"followers grew {change:+.1%} while likes moved {likes}"
        else:
            continue
        events.append(
            GrowthEvent(
                kind,
                before.at,
                after.at,
                before.followers,
                after.followers,
                change,
                likes_change,
                detail,
            )
        )
    spikes = sum(e.kind == "spike" for e in events)
    drops = len(events) - spikes
    score = max(0.0, 100.0 - SPIKE_PENALTY * spikes - DROP_PENALTY * drops)
    note = (
        f"{spikes} spike(s), {drops} drop(s) in {len(points)} observations"
        f" from {points[0].at:%Y-%m-%d} to {points[-1].at:%Y-%m-%d}"
    )
    return GrowthReport(len(points), tuple(events), score, note)


def _daily_growth(before: Observation, after: Observation) -> float:
    days = max((after.at - before.at).total_seconds() / 86_400, 1 / 24)
    return (after.followers - before.followers) / max(before.followers, 1) / days


def _relative(before: float | None, after: float | None) -> float | None:
    if before is None or after is None or before <= 0:
        return None
    return (after - before) / before


# --- likes and comments ------------------------------------------------------------------

# Comments per like. Organic posts draw roughly one comment for every 20 to 200 likes;
# far fewer suggests likes bought without comments, far more a giveaway or a pod.
FEW_COMMENTS = 0.002
MANY_COMMENTS = 0.2
# A post is out of line when its ratio is this many times off the account's median.
POST_RATIO_FACTOR = 5.0
MIN_POSTS = 5


@dataclass(frozen=True)
class PostFigures:
    post_id: int
    likes: int | None
    comments: int | None


@dataclass(frozen=True)
class RatioReport:
    posts: int
    median_ratio: float | None  # comments per like
    outliers: tuple[int, ...]  # post ids
    score: float | None
    note: str


def like_comment_ratio(posts: Sequence[PostFigures]) -> RatioReport:
    """Comments per like across recent posts: the account's median against the organic
    range, and the posts whose own ratio is far from the account's median."""
    ratios = {p.post_id: p.comments / p.likes for p in posts if p.likes and p.comments is not None}
    if len(ratios) < MIN_POSTS:
        return RatioReport(
            len(ratios), None, (), None,
            f"{len(ratios)} posts with likes and comments: at least {MIN_POSTS} needed",
        )  # fmt: skip
    median = statistics.median(ratios.values())
    outliers = tuple(
        post_id
        for post_id, ratio in ratios.items()
        if median > 0 and (ratio > median * POST_RATIO_FACTOR or ratio < median / POST_RATIO_FACTOR)
    )
    score = 100.0
    if median < FEW_COMMENTS:
        note = f"{median:.2%} comments per like: few comments for the likes (bought likes?)"
        score -= 40.0
    elif median > MANY_COMMENTS:
        note = f"{median:.1%} comments per like: many comments (giveaways or pods?)"
        score -= 30.0
    else:
        note = f"{median:.2%} comments per like, within the organic range"
    score -= 60.0 * len(outliers) / len(ratios)
    return RatioReport(len(ratios), median, outliers, max(0.0, score), note)


# --- comments ----------------------------------------------------------------------------

# Said of anything, by anyone: the comments engagement pods and bots leave.
GENERIC_COMMENTS = frozenset(
    {
        "nice", "nice pic", "nice post", "nice one", "great", "great pic", "great post",
        "great shot", "awesome", "amazing", "love it", "love this", "wow", "cool", "beautiful",
        "gorgeous", "so cute", "cute", "perfect", "stunning", "lovely", "fire", "superb",
        "well done", "keep it up", "keep going", "good job", "great content", "nice content",
        "love your content", "follow me", "check my page", "dm me", "dm us", "first",
    }
)  # fmt: skip
# A regular: a commenter on at least this share of the posts (with enough posts to tell).
REGULAR_SHARE = 0.8
MIN_POSTS_FOR_REGULARS = 5
MIN_COMMENTS = 20
_WORDS = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


@dataclass(frozen=True)
class Comment:
    post_id: int
    author: str
    text: str


@dataclass(frozen=True)
class CommentReport:
    comments: int
    generic_share: float | None
    emoji_only_share: float | None
    regulars: tuple[str, ...]  # authors commenting on nearly every post: a pod signal
    regulars_share: float | None  # share of comments written by them
    score: float | None
    note: str
    examples: Mapping[str, list[str]] = field(default_factory=dict)


def comment_authenticity(comments: Sequence[Comment]) -> CommentReport:
    """Generic and emoji-only comments, and the same accounts commenting on nearly every
    post (engagement pods)."""
    if len(comments) < MIN_COMMENTS:
        return CommentReport(
            len(comments), None, None, (), None, None,
            f"{len(comments)} comments: at least {MIN_COMMENTS} needed",
        )  # fmt: skip
    kinds = [_kind(c.text) for c in comments]
    generic = kinds.count("generic") / len(comments)
    emoji = kinds.count("emoji") / len(comments)
    posts_by_author: dict[str, set[int]] = defaultdict(set)
    for c in comments:
        posts_by_author[c.author.lower()].add(c.post_id)
    posts = len({c.post_id for c in comments})
    regulars: tuple[str, ...] = ()
    if posts >= MIN_POSTS_FOR_REGULARS:
        regulars = tuple(
            sorted(a for a, seen in posts_by_author.items() if len(seen) >= REGULAR_SHARE * posts)
        )
    by_author = Counter(c.author.lower() for c in comments)
    regular_share = sum(by_author[a] for a in regulars) / len(comments)
    score = 100.0 * (1 - min(1.0, generic + emoji + regular_share))
    examples = {
        kind: [c.text for c, k in zip(comments, kinds, strict=True) if k == kind][:3]
        for kind in ("generic", "emoji")
    }
    note = (
        f"{generic:.0%} generic, {emoji:.0%} emoji-only, {regular_share:.0%} from"
        f" {len(regulars)} account(s) commenting on nearly every post, of {len(comments):,}"
        f" comments on {posts} posts"
    )
    return CommentReport(
        len(comments), generic, emoji, regulars, regular_share, score, note, examples
    )


def _kind(text: str) -> str:
    words = _WORDS.findall(text.lower())
    if not words:
        symbols = [ch for ch in text if not ch.isspace()]
        if symbols and all(unicodedata.category(ch) in ("So", "Sk", "Mn", "Cf") for ch in symbols):
            return "emoji"
        return "other"
    if " ".join(words) in GENERIC_COMMENTS:
        return "generic"
    return "specific"


# --- the score ---------------------------------------------------------------------------

DEFAULT_WEIGHTS: Mapping[str, float] = {
    "real_audience": 0.35,
    "engagement_vs_peers": 0.25,
    "growth": 0.20,
    "likes_to_comments": 0.10,
    "comments": 0.10,
}
LABELS: Mapping[str, str] = {
    "real_audience": "Real audience (100% - fake followers)",
    "engagement_vs_peers": "Engagement rate against platform and tier peers",
    "growth": "Follower growth without anomalies",
    "likes_to_comments": "Comments per like in the organic range",
    "comments": "Comments not generic and not from pods",
}


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    value: str  # the measured figure, as a person reads it
    score: float | None  # 0-100; None when there was nothing to measure
    weight: float
    basis: str  # how it was worked out, or why it is missing


@dataclass(frozen=True)
class QualityScore:
    score: float | None  # 0-100 over the components with data; None when none has
    components: tuple[Component, ...]
    covered_weight: float  # the share of the full weight the score rests on

    @property
    def missing(self) -> list[str]:
        return [c.key for c in self.components if c.score is None]


def audience_quality_score(components: Sequence[Component]) -> QualityScore:
    """The weighted mean of the components that have a score, their weights renormalised
    over them; `covered_weight` says how much of the whole weight it rests on."""
    total = sum(c.weight for c in components)
    scored = [c for c in components if c.score is not None and c.weight > 0]
    weight = sum(c.weight for c in scored)
    if not scored or weight <= 0:
        return QualityScore(None, tuple(components), 0.0)
    value = sum(c.weight * (c.score or 0.0) for c in scored) / weight
    return QualityScore(round(value, 1), tuple(components), weight / total)
