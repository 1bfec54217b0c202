"""The marketer's first hour, in headless Chromium over the demo data: sign in, filter the
creators, open one, create a campaign, put creators on its roster."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tastemaker.campaign.models import Campaign, RosterEntry
from tastemaker.demo.loader import LoadResult, load_demo
from tests.browser_fixtures import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo(live_server: LiveServer) -> LoadResult:
    with Session(live_server.engine) as db:
        result = load_demo(db, creators=300, history_days=30)
        db.commit()
    return result


def test_sign_in_filter_open_create_campaign_and_build_roster(
    live_server: LiveServer, browser: Any, demo: LoadResult
) -> None:
    page = browser.new_page()
    page.goto(f"{live_server.url}/login")
    page.fill("#email", demo.email)
    page.fill("#password", demo.password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/w/[^/]+/creators"))
    slug = page.url.split("/w/")[1].split("/")[0]
    assert page.locator("[data-testid=creator-row]").count() > 0

    page.select_option("[data-testid=filter-platform]", "instagram")
    page.select_option("[data-testid=filter-tier]", "micro")
    page.click("[data-testid=filter-apply]")
    page.wait_for_url(re.compile(r"platform=instagram.*tier=micro|tier=micro.*platform=instagram"))
    rows = page.locator("[data-testid=creator-row]")
    assert rows.count() > 0
    assert set(rows.locator("[data-testid=row-platform]").all_inner_texts()) == {"instagram"}
    assert set(rows.locator("[data-testid=row-tier]").all_inner_texts()) == {"Micro"}

    first = rows.first.locator("[data-testid=creator-link]")
    name = first.inner_text().strip()
    first.click()
    page.wait_for_selector("[data-testid=creator-name]")
    assert name in page.inner_text("[data-testid=creator-name]")
    assert page.locator("[data-testid=account-er-formula]").first.is_visible()
    assert page.locator("[data-testid=follower-chart] svg").count() >= 1

    page.goto(f"{live_server.url}/w/{slug}/campaigns")
    page.click("#new-campaign")
    page.fill("#name", "Winter glow launch")
    page.select_option("#objective", "product_launch")
    page.fill("#budget", "15,000.00")
    page.fill("#start_date", "2026-12-01")
    page.fill("#end_date", "2027-01-31")
    page.check("#platform-instagram")
    page.click("#save-campaign")
    page.wait_for_url(re.compile(r"/campaigns/\d+$"))

    # The creator opened above, then anyone else the picker offers.
    surname = name.split()[-1][:4].lower()
    for rows, (search, fee) in enumerate(((surname, "800.00"), ("a", "1,200.00")), start=1):
        page.fill("#creator-search", search)
        page.wait_for_selector("[data-testid=creator-result] input:not([disabled])")
        page.locator("[data-testid=creator-result] input:not([disabled])").first.check()
        page.fill("#planned-fee", fee)
        page.click("#add-to-roster")
        page.wait_for_function(
            f"document.querySelectorAll('[data-testid=roster-row]').length === {rows}"
        )
    page.close()

    with Session(live_server.engine) as db:
        campaign = db.scalars(select(Campaign).where(Campaign.name == "Winter glow launch")).one()
        fees = db.scalars(
            select(RosterEntry.planned_fee_minor).where(RosterEntry.campaign_id == campaign.id)
        ).all()
    assert (campaign.budget_minor, campaign.currency) == (1_500_000, "EUR")
    assert sorted(fees) == [80_000, 120_000]
