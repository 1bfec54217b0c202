"""The demo's story as data: campaigns in every status, fees priced by tier."""

from __future__ import annotations

import random
from datetime import date

import pytest

from tastemaker.campaign.models import STATUS_TRANSITIONS, CampaignStatus, RosterStatus
from tastemaker.demo import distributions as dist
from tastemaker.demo import scenario
from tastemaker.demo.generator import generate_creators

ANCHOR = date(2026, 3, 14)


@pytest.mark.parametrize("tier", list(dist.COST_PER_POST_USD))
def test_fees_stay_inside_the_tier_cost_band(tier: str) -> None:
    rng = random.Random(1)
    low_usd, high_usd = dist.COST_PER_POST_USD[tier]
    lower = dist.TIER_LOWER_BOUNDS[tier]
    for followers in (lower, lower * 2, lower * 3, lower * 40):
        fee = scenario.fee_minor(tier, followers, rng)
        eur = fee / 100
        # Rounding to the nearest 5, 10 or 50 EUR may step just outside the converted band.
        assert low_usd * dist.EUR_PER_USD - 5 <= eur <= high_usd * dist.EUR_PER_USD + 50


def test_bigger_accounts_of_a_tier_cost_more() -> None:
    small = [scenario.fee_minor("micro", 11_000, random.Random(n)) for n in range(50)]
    large = [scenario.fee_minor("micro", 95_000, random.Random(n)) for n in range(50)]
    assert sum(large) > 3 * sum(small)


def test_status_paths_are_legal_moves() -> None:
    for target, path in scenario.STATUS_PATHS.items():
        current = CampaignStatus.draft
        for step in path:
            assert step in STATUS_TRANSITIONS[current]
            current = step
        assert current is target


@pytest.mark.parametrize("count", [300, 2_000])
def test_the_plan_has_five_campaigns_in_five_statuses(count: int) -> None:
    creators = generate_creators(42, count, ANCHOR)
    plan = scenario.plan(42, creators, ANCHOR)
    campaigns = plan.brand.campaigns
    assert {c.status for c in campaigns} == set(CampaignStatus)
    by_index = {c.index: c for c in creators}
    for campaign in campaigns:
        assert 5 <= len(campaign.roster) <= 25
        assert len({r.pick.creator for r in campaign.roster}) == len(campaign.roster)
        planned = sum(r.fee_minor for r in campaign.roster if r.status is not RosterStatus.declined)
        assert planned <= campaign.budget_minor
        assert campaign.start_date <= campaign.end_date
        for entry in campaign.roster:
            creator = by_index[entry.pick.creator]
            assert entry.pick.platform in {a.record.platform for a in creator.accounts}
            assert entry.pick.platform in campaign.platforms
    active = next(c for c in campaigns if c.status is CampaignStatus.active)
    assert active.start_date < ANCHOR < active.end_date
    completed = next(c for c in campaigns if c.status is CampaignStatus.completed)
    assert completed.end_date < ANCHOR
    assert plan.brand.overlays and plan.brand.rates and len(plan.brand.lists) >= 2
    assert all(entries.creators for entries in plan.brand.lists)


def test_the_plan_is_reproducible() -> None:
    creators = generate_creators(3, 300, ANCHOR)
    assert repr(scenario.plan(3, creators, ANCHOR)) == repr(scenario.plan(3, creators, ANCHOR))
