"""The campaign pages in headless Chromium: the form, and the HTMX roster picker."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tastemaker.account.service import start_session
from tastemaker.campaign.models import Campaign, RosterEntry
from tests.browser_fixtures import LiveServer
from tests.factories import make_creator, make_user, make_workspace

pytestmark = pytest.mark.browser


@dataclass
class Signed:
    slug: str
    token: str


@pytest.fixture
def manager(live_server: LiveServer) -> Iterator[Signed]:
    with Session(live_server.engine) as db:
        user = make_user(db)
        workspace = make_workspace(db, user, name="Browser Brand")
        for name in ("Alice Martin", "Alicia Stone", "Bruno Costa"):
            make_creator(db, name=name)
        token = start_session(db, user, workspace.id).token
        db.commit()
        yield Signed(workspace.slug, token)


def test_create_campaign_then_add_creators_through_the_search_box(
    live_server: LiveServer,
    browser: Any,
    manager: Signed,
) -> None:
    context = browser.new_context()
    # Signed in by cookie: this test is about campaigns, not the sign-in form.
    context.add_cookies([{"name": "tm_session", "value": manager.token, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/w/{manager.slug}/campaigns")
    page.get_by_role("link", name="New campaign").first.click()

    page.fill("#name", "Browser launch")
    page.select_option("#objective", "conversions")
    page.fill("#budget", "2,000.00")
    page.fill("#start_date", "2026-12-01")
    page.fill("#end_date", "2026-12-20")
    page.check("#platform-instagram")
    page.select_option("select[name=kpi_metric] >> nth=0", "engagement_rate")
    page.fill("input[name=kpi_target] >> nth=0", "4")
    page.click("#save-campaign")
    page.wait_for_url("**/campaigns/*")
    assert "2,000.00 EUR" in page.inner_text("#campaign-budget")

    for query, fee in (("alic", "1,200.00"), ("bruno", "1,500.00")):
        page.fill("#creator-search", query)
        page.wait_for_selector("[data-testid=creator-result] input:not([disabled])")
        page.locator("[data-testid=creator-result] input:not([disabled])").first.check()
        page.fill("#planned-fee", fee)
        page.click("#add-to-roster")
        page.wait_for_load_state()
    rows = page.locator("[data-testid=roster-row]")
    assert rows.count() == 2
    assert page.locator("[data-testid=over-budget]").is_visible()

    # The picker marks a creator already on the roster and does not offer it again.
    page.fill("#creator-search", "alice")
    page.wait_for_selector("[data-testid=creator-result]")
    assert page.locator("[data-testid=creator-result] input[disabled]").count() == 1
    context.close()

    with Session(live_server.engine) as db:
        campaign = db.scalars(select(Campaign).where(Campaign.name == "Browser launch")).one()
        fees = db.scalars(
            select(RosterEntry.planned_fee_minor).where(RosterEntry.campaign_id == campaign.id)
        ).all()
    assert (campaign.budget_minor, sorted(fees)) == (200_000, [120_000, 150_000])
