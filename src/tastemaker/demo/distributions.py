"""The numbers the demo generator draws from, each with where it came from.

Two kinds of constant live here:

* Calibrated: aggregates computed once, at development time, from the public Kim et al.
  2020 Instagram influencer sample (``shared/data/creators/instagram_kim2020_dev``:
  16,976 influencers in influencers.csv, 19,670 posts in posts.csv). Only these aggregate
  figures are kept; no row of the data set is copied, and nothing reads it at run time.
* From the domain notes (docs/domain.md §2: tier bands, engagement-rate bands, cost per
  post) or, where no public figure was at hand, chosen for the demo and labelled as such.
"""

from __future__ import annotations

from tastemaker.creator.models import Platform

KIM2020 = "Kim et al. 2020 Instagram sample (instagram_kim2020_dev), aggregated"

# Lower follower bound of each tier, domain.md §2 (the same as Settings.tier_bands' default).
TIER_LOWER_BOUNDS: dict[str, int] = {
    "nano": 1_000,
    "micro": 10_000,
    "mid": 100_000,
    "macro": 500_000,
    "mega": 1_000_000,
}

# Share of influencers per tier: influencers.csv `followers`, binned by the bands above.
# 6,387 nano / 7,838 micro / 2,040 mid / 344 macro / 367 mega of 16,976. The sample has no
# account under 1,000 followers, and micro (not nano) is its largest tier: a crawl seeded
# from hashtags finds accounts with some reach first. Kept as measured rather than
# reshaped to folklore.
TIER_SHARES: dict[str, float] = {
    "nano": 0.3762,
    "micro": 0.4617,
    "mid": 0.1202,
    "macro": 0.0203,
    "mega": 0.0216,
}

# Within a tier, log10(followers) at these quantiles (influencers.csv, per tier). Drawing
# by linear interpolation between them reproduces the sample's skew inside each band (most
# micro accounts sit near 25K, not uniformly up to 100K; mega has a long tail to ~80M).
FOLLOWER_LOG10_QUANTILES: dict[str, tuple[tuple[float, float], ...]] = {
    "nano": (
        (0.0, 3.0),
        (0.1, 3.097),
        (0.25, 3.261),
        (0.5, 3.528),
        (0.75, 3.772),
        (0.9, 3.91),
        (0.99, 3.992),
        (1.0, 3.9999),
    ),
    "micro": (
        (0.0, 4.0),
        (0.1, 4.072),
        (0.25, 4.186),
        (0.5, 4.4),
        (0.75, 4.655),
        (0.9, 4.843),
        (0.99, 4.983),
        (1.0, 4.9999),
    ),
    "mid": (
        (0.0, 5.0),
        (0.1, 5.034),
        (0.25, 5.113),
        (0.5, 5.253),
        (0.75, 5.426),
        (0.9, 5.593),
        (0.99, 5.688),
        (1.0, 5.6989),
    ),
    "macro": (
        (0.0, 5.701),
        (0.1, 5.723),
        (0.25, 5.771),
        (0.5, 5.838),
        (0.75, 5.905),
        (0.9, 5.966),
        (0.99, 5.994),
        (1.0, 5.9999),
    ),
    "mega": (
        (0.0, 6.001),
        (0.1, 6.047),
        (0.25, 6.118),
        (0.5, 6.276),
        (0.75, 6.565),
        (0.9, 6.826),
        (0.99, 7.453),
        (1.0, 7.908),
    ),
}

# Share of influencers per category: influencers.csv `category` (9 values), e.g. 5,918
# fashion of 16,976.
CATEGORY_SHARES: dict[str, float] = {
    "fashion": 0.3486,
    "other": 0.1684,
    "travel": 0.1254,
    "family": 0.1209,
    "food": 0.1053,
    "beauty": 0.0464,
    "fitness": 0.0331,
    "interior": 0.0331,
    "pet": 0.0188,
}

# Accounts followed (influencers.csv `followees`) and posts published (`posts`) at these
# quantiles; 7,794 followed is Instagram's own cap of 7,500 plus a little lag.
FOLLOWING_QUANTILES: tuple[tuple[float, float], ...] = (
    (0.0, 0),
    (0.01, 34),
    (0.1, 291),
    (0.25, 553),
    (0.5, 971),
    (0.75, 1_830),
    (0.9, 3_611),
    (0.99, 7_431),
    (1.0, 7_794),
)
POSTS_QUANTILES: tuple[tuple[float, float], ...] = (
    (0.0, 100),
    (0.01, 245),
    (0.1, 367),
    (0.25, 532),
    (0.5, 933),
    (0.75, 1_730),
    (0.9, 3_026),
    (0.99, 8_381),
    (1.0, 107_256),
)

# Comments per like on one post (posts.csv, 19,667 posts with likes): quantiles of the
# ratio. Splits an engagement total into likes and comments the way real posts do.
COMMENTS_PER_LIKE_QUANTILES: tuple[tuple[float, float], ...] = (
    (0.0, 0.0),
    (0.1, 0.0027),
    (0.25, 0.01),
    (0.5, 0.026),
    (0.75, 0.0596),
    (0.9, 0.1136),
    (1.0, 0.25),  # the top decile capped: beyond it are giveaway posts, not a typical average
)

# Engagement-rate bands per tier, domain.md §2 ("Influencer Marketing", 2025). Each
# account's rate is drawn inside its band with the platform's own formula (creator.metrics).
ER_BANDS: dict[str, tuple[float, float]] = {
    "nano": (0.08, 0.15),
    "micro": (0.05, 0.10),
    "mid": (0.03, 0.07),
    "macro": (0.02, 0.05),
    "mega": (0.01, 0.03),
}
# Where the mode of the triangular draw sits inside the band. Kim 2020's per-account rates
# are right-skewed (median near the bottom third of each band), so the demo is too.
ER_MODE_POSITION = 0.35

# Cost per sponsored post in USD, domain.md §2; mega has no upper bound there, so 50,000
# (the table's celebrity floor) closes it.
COST_PER_POST_USD: dict[str, tuple[int, int]] = {
    "nano": (10, 100),
    "micro": (100, 1_000),
    "mid": (1_000, 5_000),
    "macro": (5_000, 15_000),
    "mega": (15_000, 50_000),
}
# Fixed conversion for demo fees only (roughly the 2024-2025 average); a real rate would
# come from a rates service and carry its own date.
EUR_PER_USD = 0.92

# --- Chosen for the demo (no public figure in the shared data) -----------------------

# Platform of each creator's main account. Kim 2020 is Instagram only, so the mix across
# platforms is a plausible spread for a European beauty brand's discovery pool.
PRIMARY_PLATFORM_SHARES: dict[Platform, float] = {
    Platform.instagram: 0.46,
    Platform.tiktok: 0.24,
    Platform.youtube: 0.14,
    Platform.x: 0.07,
    Platform.twitch: 0.03,
    Platform.pinterest: 0.04,
    Platform.podcast: 0.02,
}
# Most creators have one account the demo knows of; some two or three.
EXTRA_ACCOUNTS_SHARES: dict[int, float] = {0: 0.74, 1: 0.19, 2: 0.07}
# Platforms a creator adds beside the main one, weighted.
SECONDARY_PLATFORM_WEIGHTS: dict[Platform, float] = {
    Platform.instagram: 0.30,
    Platform.tiktok: 0.25,
    Platform.youtube: 0.18,
    Platform.x: 0.12,
    Platform.pinterest: 0.08,
    Platform.twitch: 0.04,
    Platform.podcast: 0.03,
}
# A secondary account's followers as a fraction of the main account's (log-uniform).
SECONDARY_FOLLOWER_FACTOR = (0.05, 1.3)

# avg views per post / followers, and shares per like, as (low, mode, high) triangles.
VIEWS_PER_FOLLOWER: dict[Platform, tuple[float, float, float] | None] = {
    Platform.instagram: (0.15, 0.35, 1.0),  # reel plays
    Platform.tiktok: (0.15, 0.45, 1.6),
    Platform.youtube: (0.03, 0.12, 0.5),
    Platform.x: (0.05, 0.15, 0.6),  # impressions
    Platform.twitch: (0.02, 0.06, 0.2),  # VOD views
    Platform.pinterest: None,
    Platform.podcast: (0.3, 0.5, 0.9),  # downloads per episode
}
SHARES_PER_LIKE: dict[Platform, tuple[float, float, float] | None] = {
    Platform.instagram: (0.01, 0.03, 0.08),
    Platform.tiktok: (0.03, 0.07, 0.15),
    Platform.youtube: (0.01, 0.02, 0.05),
    Platform.x: (0.10, 0.20, 0.40),  # reposts
    Platform.twitch: (0.005, 0.01, 0.02),
    Platform.pinterest: (0.20, 0.40, 1.0),  # saves
    Platform.podcast: None,
}
# Posts relative to Instagram's counts (Kim 2020 is Instagram): X posts far more often,
# YouTube and podcasts far less.
POSTS_FACTOR: dict[Platform, float] = {
    Platform.instagram: 1.0,
    Platform.tiktok: 0.6,
    Platform.youtube: 0.15,
    Platform.x: 6.0,
    Platform.twitch: 0.4,
    Platform.pinterest: 2.0,
    Platform.podcast: 0.1,
}
# New posts per day, for the history.
POSTS_PER_DAY: dict[Platform, float] = {
    Platform.instagram: 0.5,
    Platform.tiktok: 0.9,
    Platform.youtube: 0.12,
    Platform.x: 3.0,
    Platform.twitch: 0.4,
    Platform.pinterest: 1.5,
    Platform.podcast: 0.15,
}

# Country of a creator and the language it posts in (consistent pairs). An EU-leaning mix
# to suit the demo brand; not from a data set.
COUNTRY_LANGUAGE_SHARES: tuple[tuple[str, str, float], ...] = (
    ("FR", "fr", 0.16),
    ("US", "en", 0.14),
    ("DE", "de", 0.13),
    ("GB", "en", 0.11),
    ("ES", "es", 0.09),
    ("IT", "it", 0.08),
    ("BR", "pt", 0.06),
    ("NL", "nl", 0.05),
    ("PL", "pl", 0.04),
    ("SE", "sv", 0.03),
    ("PT", "pt", 0.03),
    ("MX", "es", 0.03),
    ("CA", "en", 0.03),
    ("BE", "fr", 0.02),
)

# Daily follower growth: mean per account ~ N(mean, sd), clipped; daily noise around it.
# About one account in six shrinks over the quarter, as real lists show.
DAILY_GROWTH_MEAN = 0.0012
DAILY_GROWTH_SD = 0.0015
DAILY_GROWTH_NOISE_SD = 0.0015
# Bought followers: a one-day jump in followers with flat engagement (domain.md §3,
# "growth anomalies"), kept rare so fraud features have something to find.
BOUGHT_FOLLOWERS_SHARE = 0.01
BOUGHT_FOLLOWERS_JUMP = (0.2, 0.7)  # +20% to +70% in a day
BOUGHT_FOLLOWERS_DAYS_AGO = (5, 80)

VIRTUAL_SHARE = 0.004  # virtual influencers (CGI personas) are a curiosity, not a tier
CONTACT_EMAIL_SHARE = 0.6  # share of accounts with a public business e-mail
