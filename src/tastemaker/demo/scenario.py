"""The demo's story, as plain data: who works where, which campaigns exist and who is on
them, what the brand noted about creators. Built from the seed, the generated creators and
the anchor date; the loader turns it into rows through the domain services.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from tastemaker.campaign.models import (
    CampaignStatus,
    CollaborationModel,
    KpiMetric,
    Objective,
    RosterStatus,
)
from tastemaker.creator.models import Platform, RelationshipStatus
from tastemaker.demo import distributions as dist
from tastemaker.demo.generator import GeneratedAccount, GeneratedCreator
from tastemaker.workspace.models import Role, WorkspaceKind

DEFAULT_EMAIL = "demo@tastemaker.example"
DEFAULT_PASSWORD = "tastemaker-demo"
OWNER_NAME = "Dana Demo"


@dataclass(frozen=True)
class Colleague:
    name: str
    email: str
    role: Role


# Teammates in the brand workspace, so the roles (manager writes, analyst reads) can be
# tried by signing in as them with the same demo password.
COLLEAGUES = (
    Colleague("Maya Manager", "maya.manager@tastemaker.example", Role.manager),
    Colleague("Arlo Analyst", "arlo.analyst@tastemaker.example", Role.analyst),
)


@dataclass(frozen=True)
class WorkspacePlan:
    name: str
    kind: WorkspaceKind
    currency: str
    timezone: str


BRAND = WorkspacePlan("Lumen Skincare (demo)", WorkspaceKind.brand, "EUR", "Europe/Paris")
# A second workspace, as an agency running a client, so the workspace switcher has a choice.
AGENCY_CLIENT = WorkspacePlan(
    "Café Aurora · Harbour Agency (demo)", WorkspaceKind.agency_client, "EUR", "Europe/Dublin"
)
WORKSPACES = (BRAND, AGENCY_CLIENT)


@dataclass(frozen=True)
class Pick:
    """A generated creator by position, and the account a plan uses."""

    creator: int  # GeneratedCreator.index
    platform: Platform


@dataclass(frozen=True)
class RosterPlan:
    pick: Pick
    fee_minor: int
    status: RosterStatus
    notes: str


@dataclass(frozen=True)
class KpiPlan:
    metric: KpiMetric
    target: Decimal


@dataclass
class CampaignPlan:
    name: str
    description: str
    objective: Objective
    status: CampaignStatus
    budget_minor: int
    start_date: date
    end_date: date
    target_countries: list[str]
    target_languages: list[str]
    target_age_bands: list[str]
    target_genders: list[str]
    target_interests: list[str]
    platforms: list[Platform]
    tiers: list[str]
    collaboration_models: list[CollaborationModel]
    kpis: list[KpiPlan]
    roster: list[RosterPlan] = field(default_factory=list)


@dataclass(frozen=True)
class OverlayPlan:
    creator: int
    notes: str
    tags: list[str]
    relationship_status: RelationshipStatus


@dataclass(frozen=True)
class RatePlan:
    pick: Pick
    deliverable: str
    amount_minor: int


@dataclass(frozen=True)
class ListPlan:
    name: str
    description: str
    creators: list[int]


@dataclass
class WorkspaceContent:
    workspace: WorkspacePlan
    campaigns: list[CampaignPlan] = field(default_factory=list)
    overlays: list[OverlayPlan] = field(default_factory=list)
    rates: list[RatePlan] = field(default_factory=list)
    lists: list[ListPlan] = field(default_factory=list)


@dataclass
class DemoPlan:
    brand: WorkspaceContent
    agency_client: WorkspaceContent


# The path through STATUS_TRANSITIONS (campaign.models) that reaches each status legally.
STATUS_PATHS: dict[CampaignStatus, tuple[CampaignStatus, ...]] = {
    CampaignStatus.draft: (),
    CampaignStatus.planned: (CampaignStatus.planned,),
    CampaignStatus.active: (CampaignStatus.planned, CampaignStatus.active),
    CampaignStatus.completed: (
        CampaignStatus.planned,
        CampaignStatus.active,
        CampaignStatus.completed,
    ),
    CampaignStatus.cancelled: (CampaignStatus.planned, CampaignStatus.cancelled),
}

DELIVERABLES: dict[Platform, str] = {
    Platform.instagram: "1 Instagram reel",
    Platform.tiktok: "1 TikTok video",
    Platform.youtube: "1 YouTube integration (60-90 s)",
    Platform.x: "1 X post",
    Platform.pinterest: "3 Idea Pins",
    Platform.twitch: "1 sponsored stream segment",
    Platform.podcast: "1 host-read ad",
}

_TIER_ORDER = ("nano", "micro", "mid", "macro", "mega")


def fee_minor(tier: str, followers: int, rng: random.Random) -> int:
    """A planned fee per post in EUR cents: within domain.md §2's USD band for the tier,
    higher for accounts near the top of their band, +-15% for negotiation."""
    low_usd, high_usd = dist.COST_PER_POST_USD[tier]
    lower = dist.TIER_LOWER_BOUNDS[tier]
    index = _TIER_ORDER.index(tier)
    upper = (
        dist.TIER_LOWER_BOUNDS[_TIER_ORDER[index + 1]]
        if index + 1 < len(_TIER_ORDER)
        else 10_000_000
    )
    position = min(1.0, max(0.0, math.log(max(followers, lower) / lower) / math.log(upper / lower)))
    usd = low_usd * (high_usd / low_usd) ** position * rng.uniform(0.85, 1.15)
    eur = min(high_usd, max(low_usd, usd)) * dist.EUR_PER_USD
    step = 5 if eur < 100 else 10 if eur < 1_000 else 50  # round the way people quote
    return max(step, round(eur / step) * step) * 100


def _round_up(amount_minor: int, step_minor: int) -> int:
    return -(-amount_minor // step_minor) * step_minor


@dataclass(frozen=True)
class _Spec:
    name: str
    description: str
    objective: Objective
    status: CampaignStatus
    days: tuple[int, int]  # start and end, relative to the anchor
    countries: tuple[str, ...]
    languages: tuple[str, ...]
    age_bands: tuple[str, ...]
    interests: tuple[str, ...]
    platforms: tuple[Platform, ...]
    tiers: tuple[str, ...]
    models: tuple[CollaborationModel, ...]
    kpis: tuple[tuple[KpiMetric, str], ...]
    roster_size: int
    # Share of the budget the planned fees take; the rest pays product, ads and tools.
    fee_share: float
    roster_statuses: tuple[RosterStatus, ...]


_BRAND_CAMPAIGNS = (
    _Spec(
        "Barrier Serum launch",
        "Launch of the ceramide barrier serum in France, Belgium and Germany: first-look "
        "reels and TikToks, a seeding kit for every creator, two weeks of paid amplification.",
        Objective.product_launch,
        CampaignStatus.active,
        (-18, 24),
        ("FR", "BE", "DE"),
        ("fr", "de"),
        ("18-24", "25-34", "35-44"),
        ("skincare", "beauty", "sensitive skin"),
        (Platform.instagram, Platform.tiktok),
        ("micro", "mid"),
        (CollaborationModel.sponsored_post, CollaborationModel.gifting),
        (
            (KpiMetric.reach, "1800000"),
            (KpiMetric.engagement_rate, "0.045"),
            (KpiMetric.video_views, "900000"),
            (KpiMetric.conversions, "1200"),
            (KpiMetric.cpe, "35"),
        ),
        18,
        0.7,
        (RosterStatus.confirmed,) * 5 + (RosterStatus.invited, RosterStatus.declined),
    ),
    _Spec(
        "Daily SPF habit",
        "Always-on awareness for the SPF 50 fluid: routine videos from creators who already "
        "talk about sun care, with one YouTube deep-dive per market.",
        Objective.awareness,
        CampaignStatus.planned,
        (21, 80),
        ("FR", "ES", "IT", "GB"),
        ("fr", "es", "it", "en"),
        ("25-34", "35-44", "45-54"),
        ("skincare", "travel", "wellness"),
        (Platform.instagram, Platform.youtube, Platform.tiktok),
        ("micro", "mid", "macro"),
        (CollaborationModel.sponsored_post, CollaborationModel.ambassador),
        (
            (KpiMetric.reach, "3500000"),
            (KpiMetric.impressions, "5250000"),
            (KpiMetric.engagement_rate, "0.035"),
            (KpiMetric.cpm, "1200"),
        ),
        14,
        0.65,
        (RosterStatus.invited, RosterStatus.confirmed, RosterStatus.proposed),
    ),
    _Spec(
        "Night Repair UGC library",
        "Gifted night cream to nano creators in exchange for usage rights on honest "
        "before/after clips for the product page and ads.",
        Objective.ugc,
        CampaignStatus.draft,
        (45, 105),
        ("FR", "NL", "DE"),
        ("fr", "nl", "de"),
        ("25-34", "35-44"),
        ("skincare", "self-care"),
        (Platform.instagram, Platform.tiktok),
        ("nano",),
        (CollaborationModel.gifting, CollaborationModel.co_created),
        ((KpiMetric.ugc_submissions, "40"), (KpiMetric.posts, "25")),
        10,
        0.5,
        (RosterStatus.proposed,),
    ),
    _Spec(
        "Gift sets affiliate push",
        "Affiliate codes and links on the three gift sets, with a flat fee for one post and "
        "12% commission; ran before the current launch.",
        Objective.conversions,
        CampaignStatus.completed,
        (-130, -70),
        ("FR", "DE", "GB", "US"),
        ("fr", "de", "en"),
        ("18-24", "25-34", "35-44"),
        ("skincare", "gifts", "beauty"),
        (Platform.instagram, Platform.youtube, Platform.tiktok, Platform.pinterest),
        ("nano", "micro", "mid"),
        (CollaborationModel.affiliate, CollaborationModel.sponsored_post),
        (
            (KpiMetric.conversions, "2500"),
            (KpiMetric.revenue, "12500000"),
            (KpiMetric.roas, "3.5"),
            (KpiMetric.cpa, "1400"),
            (KpiMetric.clicks, "60000"),
            (KpiMetric.ctr, "0.012"),
        ),
        22,
        0.75,
        (RosterStatus.confirmed,),
    ),
    _Spec(
        "Paris clinic open day",
        "Skin-check open day at a partner dermatology clinic with live stories; cancelled "
        "when the venue fell through.",
        Objective.event,
        CampaignStatus.cancelled,
        (10, 10),
        ("FR",),
        ("fr",),
        ("25-34", "35-44", "45-54"),
        ("skincare", "events"),
        (Platform.instagram,),
        ("micro", "mid"),
        (CollaborationModel.event,),
        ((KpiMetric.reach, "250000"), (KpiMetric.posts, "12")),
        6,
        0.6,
        (RosterStatus.invited, RosterStatus.proposed),
    ),
)

_AGENCY_CAMPAIGNS = (
    _Spec(
        "Autumn blend tasting",
        "Tasting evenings in three Dublin cafés with food creators from Ireland and the UK "
        "(the agency's draft, for the client's approval).",
        Objective.event,
        CampaignStatus.draft,
        (30, 44),
        ("IE", "GB"),
        ("en",),
        ("18-24", "25-34"),
        ("coffee", "food"),
        (Platform.instagram, Platform.tiktok),
        ("nano", "micro"),
        (CollaborationModel.event, CollaborationModel.gifting),
        ((KpiMetric.reach, "150000"), (KpiMetric.posts, "15")),
        6,
        0.6,
        (RosterStatus.proposed,),
    ),
)

_NOTE_TEMPLATES = (
    "Replied within two days; prefers {platform} over other formats.",
    "Met at the spring press day. Audience skews {age}; very engaged comments.",
    "Asked for a usage-rights fee on top of the post fee.",
    "Has worked with a competitor in the last 6 months; check exclusivity.",
    "Sensitive-skin content performs best for her; keep the brief about the routine.",
    "Agent: reach out through the contact e-mail, not DMs.",
    "Delivered on time last campaign, captions needed one round of edits.",
    "Loves the product already (posted it unpaid in {month}).",
)
_TAGS = (
    "skincare",
    "sensitive-skin",
    "video-first",
    "gifted-before",
    "fast-reply",
    "needs-brief",
    "fr-market",
    "high-er",
    "ugc",
)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# A workspace's roster creators get the relationship their campaign implies.
_RELATIONSHIP_BY_STATUS: dict[CampaignStatus, RelationshipStatus] = {
    CampaignStatus.active: RelationshipStatus.active,
    CampaignStatus.completed: RelationshipStatus.past,
    CampaignStatus.planned: RelationshipStatus.negotiating,
    CampaignStatus.draft: RelationshipStatus.prospect,
    CampaignStatus.cancelled: RelationshipStatus.contacted,
}


def _candidates(
    creators: Sequence[GeneratedCreator], spec: _Spec, strictness: int
) -> list[tuple[GeneratedCreator, GeneratedAccount]]:
    """Accounts fitting the brief; with a small creator pool the country, then the tier
    conditions are dropped so every campaign still gets a roster."""
    found = []
    for creator in creators:
        if creator.is_virtual:
            continue
        if strictness < 1 and creator.country not in spec.countries:
            continue
        for account in creator.accounts:
            if account.record.platform not in spec.platforms:
                continue
            if strictness < 2 and account.tier not in spec.tiers:
                continue
            # Brands avoid accounts with bought followers, when they notice them.
            if account.bought_followers is not None:
                continue
            found.append((creator, account))
            break
    return found


def _campaign(
    rng: random.Random, spec: _Spec, creators: Sequence[GeneratedCreator], anchor: date
) -> CampaignPlan:
    chosen: list[tuple[GeneratedCreator, GeneratedAccount]] = []
    for strictness in range(3):
        taken = {creator.index for creator, _ in chosen}
        pool = [c for c in _candidates(creators, spec, strictness) if c[0].index not in taken]
        rng.shuffle(pool)
        chosen += pool[: spec.roster_size - len(chosen)]
        if len(chosen) >= spec.roster_size:
            break
    roster = []
    for creator, account in chosen:
        record = account.record
        tier = account.tier
        followers = record.followers or 0
        status = spec.roster_statuses[int(rng.random() * len(spec.roster_statuses))]
        roster.append(
            RosterPlan(
                pick=Pick(creator.index, record.platform),
                fee_minor=fee_minor(tier, followers, rng),
                status=status,
                notes=f"{DELIVERABLES[record.platform]}; {tier} tier, "
                f"{followers:,} followers on {record.platform.value}.",
            )
        )
    planned = sum(r.fee_minor for r in roster if r.status is not RosterStatus.declined)
    budget = _round_up(max(int(planned / spec.fee_share), 100_000), 100_000)
    start, end = spec.days
    return CampaignPlan(
        name=spec.name,
        description=spec.description,
        objective=spec.objective,
        status=spec.status,
        budget_minor=budget,
        start_date=anchor + timedelta(days=start),
        end_date=anchor + timedelta(days=end),
        target_countries=list(spec.countries),
        target_languages=list(spec.languages),
        target_age_bands=list(spec.age_bands),
        target_genders=["female", "male"] if spec.objective is Objective.event else ["female"],
        target_interests=list(spec.interests),
        platforms=list(spec.platforms),
        tiers=list(spec.tiers),
        collaboration_models=list(spec.models),
        kpis=[KpiPlan(metric, Decimal(target)) for metric, target in spec.kpis],
        roster=roster,
    )


def _overlays(
    rng: random.Random,
    creators: Sequence[GeneratedCreator],
    campaigns: Sequence[CampaignPlan],
    wanted: int,
    categories: tuple[str, ...],
) -> list[OverlayPlan]:
    by_index = {c.index: c for c in creators}
    relationship: dict[int, RelationshipStatus] = {}
    # Campaign order matters: the newest involvement (active) wins over older ones.
    for plan in sorted(campaigns, key=lambda p: p.start_date):
        for entry in plan.roster:
            relationship[entry.pick.creator] = _RELATIONSHIP_BY_STATUS[plan.status]
    others = [c.index for c in creators if c.category in categories and c.index not in relationship]
    rng.shuffle(others)
    for index in others[: max(0, wanted - len(relationship))]:
        relationship[index] = (
            RelationshipStatus.prospect if rng.random() < 0.7 else RelationshipStatus.none
        )
    overlays = []
    for index in sorted(relationship):
        creator = by_index[index]
        template = _NOTE_TEMPLATES[int(rng.random() * len(_NOTE_TEMPLATES))]
        notes = template.format(
            platform=creator.accounts[0].record.platform.value,
            age=("18-24", "25-34", "35-44")[int(rng.random() * 3)],
            month=_MONTHS[int(rng.random() * 12)],
        )
        tags = sorted(set(rng.sample(_TAGS, k=1 + int(rng.random() * 3))))
        if relationship[index] is RelationshipStatus.prospect:
            tags.append("shortlist")
        overlays.append(OverlayPlan(index, notes, tags, relationship[index]))
    return overlays


def _rates(rng: random.Random, campaigns: Sequence[CampaignPlan], count: int) -> list[RatePlan]:
    """Rates agreed with creators of campaigns that got to a negotiation."""
    agreed = [
        entry
        for plan in campaigns
        if plan.status in (CampaignStatus.active, CampaignStatus.completed, CampaignStatus.planned)
        for entry in plan.roster
        if entry.status is not RosterStatus.declined
    ]
    seen: set[tuple[int, Platform]] = set()
    rates = []
    for entry in agreed:
        if (entry.pick.creator, entry.pick.platform) in seen:
            continue
        seen.add((entry.pick.creator, entry.pick.platform))
        rates.append(RatePlan(entry.pick, DELIVERABLES[entry.pick.platform], entry.fee_minor))
    rng.shuffle(rates)
    return rates[:count]


def plan(seed: int, creators: Sequence[GeneratedCreator], anchor: date) -> DemoPlan:
    """The same seed, creators and anchor give the same plan."""
    rng = random.Random(f"tastemaker-demo-scenario:{seed}")
    brand = WorkspaceContent(BRAND)
    brand.campaigns = [_campaign(rng, spec, creators, anchor) for spec in _BRAND_CAMPAIGNS]
    beauty_adjacent = ("beauty", "fashion", "fitness", "family")
    brand.overlays = _overlays(
        rng, creators, brand.campaigns, min(160, max(40, len(creators) // 12)), beauty_adjacent
    )
    brand.rates = _rates(rng, brand.campaigns, 30)
    prospects = [
        o.creator for o in brand.overlays if o.relationship_status is RelationshipStatus.prospect
    ]
    french = [
        c.index
        for c in creators
        if c.country in ("FR", "BE")
        and c.category in beauty_adjacent
        and c.accounts[0].tier == "micro"
    ]
    careful = [c.index for c in creators if any(a.bought_followers is not None for a in c.accounts)]
    brand.lists = [
        ListPlan(
            "Shortlist: Daily SPF habit",
            "Prospects for the SPF campaign; first pass.",
            prospects[:30],
        ),
        ListPlan(
            "French-speaking micro creators",
            "Beauty-adjacent micro accounts in France and Belgium.",
            french[:40],
        ),
        ListPlan(
            "Check before contacting",
            "Follower jumps that look bought; vet before any offer.",
            careful[:10],
        ),
    ]

    agency = WorkspaceContent(AGENCY_CLIENT)
    agency.campaigns = [_campaign(rng, spec, creators, anchor) for spec in _AGENCY_CAMPAIGNS]
    agency.overlays = _overlays(rng, creators, agency.campaigns, 20, ("food",))
    food_uk = [c.index for c in creators if c.category == "food" and c.language == "en"]
    agency.lists = [
        ListPlan("Coffee & brunch creators (UK)", "For the tasting evenings.", food_uk[:25])
    ]
    return DemoPlan(brand=brand, agency_client=agency)
