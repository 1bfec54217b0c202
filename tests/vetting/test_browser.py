"""An audience check in headless Chromium: a real browser's multipart upload from the creator's
page, a refusal shown beside the form, then the check on the page and in full."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tastemaker.account.service import start_session
from tastemaker.vetting.models import AudienceCheck
from tests.browser_fixtures import LiveServer
from tests.factories import make_creator, make_user, make_workspace
from tests.imports.helpers import csv_bytes
from tests.vetting.builders import sample_csv

pytestmark = pytest.mark.browser


def test_upload_a_sample_from_the_creators_page(
    live_server: LiveServer, browser: Any, tmp_path: Path
) -> None:
    with Session(live_server.engine) as db:
        user = make_user(db, timezone="Europe/Paris")
        workspace = make_workspace(db, user, name="Audience Brand")
        creator = make_creator(db, name="Vera Browser", handle="vera.browser")
        token = start_session(db, user, workspace.id).token
        db.commit()
        slug, creator_id = workspace.slug, creator.id
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["username", "followers"], ["a", "lots"]]))
    good = tmp_path / "vera followers.csv"
    good.write_bytes(sample_csv(fakes=20, reals=30))

    context = browser.new_context()
    context.add_cookies([{"name": "tm_session", "value": token, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/w/{slug}/creators/{creator_id}")
    assert page.locator("[data-testid=audience-none]").is_visible()

    form = page.locator("[data-testid=audience-form]")
    form.locator("input[type=file]").set_input_files(str(bad))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "row 2, followers: 'lots' is not a number" in page.inner_text(
        "[data-testid=audience-problems]"
    )

    form = page.locator("[data-testid=audience-form]")
    form.locator("input[type=file]").set_input_files(str(good))
    form.locator("button[type=submit]").click()
    page.wait_for_url("**#audience-*")
    assert "/ 100" in page.inner_text("[data-testid=audience-credibility]")
    assert "From vera followers.csv" in page.inner_text("[data-testid=audience-source]")
    assert "(Europe/Paris)" in page.inner_text("[data-testid=audience-source]")

    page.get_by_role("link", name="The check in full, with the flagged followers").click()
    page.wait_for_url("**/audience-checks/*")
    assert page.locator("[data-testid=evidence-row]").count() >= 15
    context.close()

    with Session(live_server.engine) as db:
        check = db.scalars(select(AudienceCheck)).one()
    assert (check.source, check.sample_size) == ("vera followers.csv", 50)
