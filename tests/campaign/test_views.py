from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from tastemaker.campaign.models import (
    Campaign,
    CampaignKpi,
    CampaignStatus,
    KpiMetric,
    RosterEntry,
    RosterStatus,
)
from tests.campaign.builders import add_entry, campaign_count
from tests.factories import World, make_campaign, make_creator, sign_in

VALID_FORM: dict[str, Any] = {
    "name": "Holiday glow",
    "description": "Gift sets for December",
    "objective": "conversions",
    "budget": "12,500.00",
    "currency": "EUR",
    "start_date": "2026-12-01",
    "end_date": "2026-12-31",
    "target_countries": "fr, BE",
    "target_languages": "fr",
    "target_interests": "Skincare, gifts",
    "target_age_bands": ["18-24", "25-34"],
    "target_genders": ["female"],
    "platforms": ["instagram", "tiktok"],
    "tiers": ["micro"],
    "collaboration_models": ["sponsored_post", "gifting"],
    "kpi_metric": ["engagement_rate", "revenue", "reach", ""],
    "kpi_target": ["3.5", "50,000.00", "1,000,000", ""],
}


def _signed_in(client: TestClient, db: Session, world: World, who: str = "a_owner") -> str:
    return sign_in(client, db, world.users[who])


def _base(world: World) -> str:
    return f"/w/{world.a.slug}/campaigns"


def _only_campaign(db: Session, world: World) -> Campaign:
    return db.scalars(select(Campaign).where(Campaign.workspace_id == world.a.id)).one()


def test_empty_list_invites_a_first_campaign(client: TestClient, db: Session, world: World) -> None:
    _signed_in(client, db, world)
    page = client.get(_base(world))
    assert page.status_code == 200
    assert 'data-testid="campaigns-empty"' in page.text
    assert f'href="{_base(world)}/new"' in page.text


def test_list_shows_status_badges_budget_and_planned_fees(
    client: TestClient, db: Session, world: World
) -> None:
    campaign = make_campaign(
        db, world.a, name="Listed one", status=CampaignStatus.active, budget_minor=1_000_000
    )
    add_entry(db, campaign, make_creator(db).id, 250_000)
    make_campaign(db, world.b, name="Not ours")
    _signed_in(client, db, world)
    page = client.get(_base(world)).text
    assert 'class="badge status-active"' in page
    assert "10,000.00 EUR" in page and "2,500.00 EUR" in page
    assert "Listed one" in page and "Not ours" not in page
    filtered = client.get(_base(world), params={"status": "draft"}).text
    assert "Listed one" not in filtered


def test_create_through_the_form(client: TestClient, db: Session, world: World) -> None:
    csrf = _signed_in(client, db, world, "a_manager")
    form = client.get(f"{_base(world)}/new")
    assert form.status_code == 200
    for name in (
        "name",
        "objective",
        "budget",
        "currency",
        "start_date",
        "end_date",
        "target_countries",
        "target_languages",
        "target_age_bands",
        "target_genders",
        "target_interests",
        "platforms",
        "tiers",
        "collaboration_models",
        "kpi_metric",
        "kpi_target",
    ):
        assert f'name="{name}"' in form.text, name
    response = client.post(
        _base(world), data={**VALID_FORM, "csrf_token": csrf}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    campaign = _only_campaign(db, world)
    assert response.headers["location"] == f"{_base(world)}/{campaign.id}"
    assert (campaign.name, campaign.budget_minor, campaign.currency) == (
        "Holiday glow",
        1_250_000,
        "EUR",
    )
    assert (campaign.start_date, campaign.end_date) == (date(2026, 12, 1), date(2026, 12, 31))
    assert campaign.target_countries == ["FR", "BE"]
    assert campaign.target_interests == ["skincare", "gifts"]
    assert campaign.platforms == ["instagram", "tiktok"]
    kpis = {k.metric: k.target for k in db.scalars(_kpi_query(campaign.id))}
    assert kpis == {
        KpiMetric.engagement_rate: Decimal("0.035"),
        KpiMetric.revenue: Decimal(5_000_000),
        KpiMetric.reach: Decimal(1_000_000),
    }
    detail = client.get(response.headers["location"]).text
    assert "Holiday glow" in detail and "12,500.00 EUR" in detail
    assert "3.50%" in detail and "50,000.00 EUR" in detail and "1,000,000" in detail


def _kpi_query(campaign_id: int) -> Select[CampaignKpi]:
    return select(CampaignKpi).where(CampaignKpi.campaign_id == campaign_id)


def test_form_errors_are_inline_and_keep_the_input(
    client: TestClient, db: Session, world: World
) -> None:
    csrf = _signed_in(client, db, world)
    bad = {
        **VALID_FORM,
        "name": "",
        "budget": "12.345",
        "target_countries": "FR, XX",
        "kpi_metric": ["ctr", ""],
        "kpi_target": ["abc", ""],
        "csrf_token": csrf,
    }
    response = client.post(_base(world), data=bad)
    assert response.status_code == 422
    text = response.text
    errors = re.findall(r'<p class="field-error" role="alert">([^<]*)</p>', text)
    assert "this field is required" in errors
    assert any("EUR has 2 decimal places" in e for e in errors)
    assert any("&#39;XX&#39; is not an ISO 3166-1" in e for e in errors)
    assert any("CTR" in e and "not a number" in e for e in errors)
    # What the person typed is still there.
    assert 'value="12.345"' in text
    assert 'value="FR, XX"' in text
    assert 'value="instagram" checked' in text
    assert campaign_count(db, world.a) == 0


def test_end_before_start_is_shown_beside_the_end_date(
    client: TestClient, db: Session, world: World
) -> None:
    csrf = _signed_in(client, db, world)
    response = client.post(
        _base(world), data={**VALID_FORM, "end_date": "2026-11-01", "csrf_token": csrf}
    )
    assert response.status_code == 422
    end_field = response.text.split('id="end_date"', 1)[1].split("</div>", 1)[0]
    assert "is before the start date" in end_field
    assert campaign_count(db, world.a) == 0


def test_edit_with_a_bad_kpi_saves_nothing(client: TestClient, db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a, name="Original")
    csrf = _signed_in(client, db, world)
    page = client.get(f"{_base(world)}/{campaign.id}/edit")
    assert page.status_code == 200 and 'value="Original"' in page.text
    response = client.post(
        f"{_base(world)}/{campaign.id}",
        # Readable as a form, refused by the service after the other fields were applied.
        data={
            **VALID_FORM,
            "name": "Changed",
            "kpi_metric": ["reach", "reach"],
            "kpi_target": ["1,000", "2,000"],
            "csrf_token": csrf,
        },
    )
    assert response.status_code == 422
    assert "reach is listed twice" in response.text
    db.expire_all()
    assert db.get(Campaign, campaign.id).name == "Original"  # type: ignore[union-attr]


def test_edit_saves_fields_and_kpis(client: TestClient, db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a, name="Original")
    csrf = _signed_in(client, db, world)
    response = client.post(
        f"{_base(world)}/{campaign.id}",
        data={**VALID_FORM, "name": "Changed", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    db.expire_all()
    assert db.get(Campaign, campaign.id).name == "Changed"  # type: ignore[union-attr]
    assert len(db.scalars(_kpi_query(campaign.id)).all()) == 3
    # The edit form shows KPI targets the way they are typed: percent and major units.
    page = client.get(f"{_base(world)}/{campaign.id}/edit").text
    assert 'value="3.5"' in page and 'value="50,000.00"' in page


def test_status_buttons_offer_only_legal_moves(
    client: TestClient, db: Session, world: World
) -> None:
    campaign = make_campaign(db, world.a, status=CampaignStatus.planned)
    csrf = _signed_in(client, db, world)
    page = client.get(f"{_base(world)}/{campaign.id}").text
    offered = set(re.findall(r'data-testid="status-(\w+)"', page))
    assert offered == {"draft", "active", "cancelled"}
    moved = client.post(
        f"{_base(world)}/{campaign.id}/status",
        data={"status": "active", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    refused = client.post(
        f"{_base(world)}/{campaign.id}/status", data={"status": "draft", "csrf_token": csrf}
    )
    assert refused.status_code == 409
    assert "allowed: completed, cancelled" in refused.text


def test_creator_search_fragment(client: TestClient, db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a)
    found = make_creator(db, name="Quinn Searchable")
    make_creator(db, name="Someone Else")
    _signed_in(client, db, world)
    response = client.get(
        f"{_base(world)}/{campaign.id}/creator-search",
        params={"q": "quinn"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert re.findall(r'data-testid="creator-result" data-creator-id="(\d+)"', response.text) == [
        str(found.id)
    ]
    none = client.get(f"{_base(world)}/{campaign.id}/creator-search", params={"q": "zzzz"})
    assert 'data-testid="creator-no-results"' in none.text


def test_add_creator_to_roster_through_the_form(
    client: TestClient, db: Session, world: World
) -> None:
    campaign = make_campaign(db, world.a, budget_minor=100_000)
    creator = make_creator(db, name="Rosa Roster")
    csrf = _signed_in(client, db, world, "a_manager")
    detail = client.get(f"{_base(world)}/{campaign.id}").text
    assert 'id="creator-search"' in detail and 'hx-get="' in detail
    response = client.post(
        f"{_base(world)}/{campaign.id}/roster",
        data={
            "creator_id": str(creator.id),
            "planned_fee": "1,500.00",
            "platform": "instagram",
            "q": "rosa",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    entry = db.scalars(select(RosterEntry).where(RosterEntry.campaign_id == campaign.id)).one()
    assert (entry.creator_id, entry.planned_fee_minor, entry.currency) == (
        creator.id,
        150_000,
        "EUR",
    )
    page = client.get(f"{_base(world)}/{campaign.id}").text
    assert page.count('data-testid="roster-row"') == 1
    assert "Rosa Roster" in page
    assert 'data-testid="over-budget"' in page and "over budget by 500.00 EUR" in page
    assert 'id="budget-bar"' in page and 'width="300.0"' in page

    duplicate = client.post(
        f"{_base(world)}/{campaign.id}/roster",
        data={"creator_id": str(creator.id), "planned_fee": "10", "q": "rosa", "csrf_token": csrf},
    )
    assert duplicate.status_code == 409
    assert "already on this campaign" in duplicate.text
    assert 'value="10"' in duplicate.text


def test_roster_add_errors_are_inline(client: TestClient, db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a)
    creator = make_creator(db, name="Fee Trouble")
    csrf = _signed_in(client, db, world)
    unchosen = client.post(
        f"{_base(world)}/{campaign.id}/roster", data={"planned_fee": "100", "csrf_token": csrf}
    )
    assert unchosen.status_code == 422
    assert "choose one" in unchosen.text
    bad_fee = client.post(
        f"{_base(world)}/{campaign.id}/roster",
        data={
            "creator_id": str(creator.id),
            "planned_fee": "1.005",
            "q": "fee trouble",
            "csrf_token": csrf,
        },
    )
    assert bad_fee.status_code == 422
    assert "EUR has 2 decimal places" in bad_fee.text
    # The chosen creator stays chosen among the re-rendered search results.
    assert re.search(rf'value="{creator.id}"\s+checked', bad_fee.text)
    assert db.scalars(select(RosterEntry)).all() == []


def test_edit_fee_and_status_then_remove(client: TestClient, db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a)
    entry_id = add_entry(db, campaign, make_creator(db).id, 1_000).id
    csrf = _signed_in(client, db, world)
    url = f"{_base(world)}/{campaign.id}/roster/{entry_id}"
    saved = client.post(
        url,
        data={"planned_fee": "2,000.50", "status": "confirmed", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    db.expire_all()
    stored = db.get(RosterEntry, entry_id)
    assert stored is not None
    assert (stored.planned_fee_minor, stored.status) == (200_050, RosterStatus.confirmed)
    refused = client.post(
        url, data={"planned_fee": "-3", "status": "confirmed", "csrf_token": csrf}
    )
    assert refused.status_code == 422
    removed = client.post(f"{url}/remove", data={"csrf_token": csrf}, follow_redirects=False)
    assert removed.status_code == 303
    db.expire_all()
    assert db.get(RosterEntry, entry_id) is None


def test_analyst_sees_no_write_controls_and_cannot_post(
    client: TestClient, db: Session, world: World
) -> None:
    campaign = make_campaign(db, world.a)
    entry = add_entry(db, campaign, make_creator(db).id, 1_000)
    creator = make_creator(db)
    csrf = _signed_in(client, db, world, "a_analyst")
    listing = client.get(_base(world)).text
    assert "New campaign" not in listing
    page = client.get(f"{_base(world)}/{campaign.id}").text
    assert 'data-testid="roster-row"' in page
    for control in (
        'id="roster-add"',
        'id="creator-search"',
        'data-testid="status-',
        'id="edit-campaign"',
        'data-testid="roster-remove"',
        '<form method="post" action="/w',
    ):
        assert control not in page, control
    base = f"{_base(world)}/{campaign.id}"
    for url, data in (
        (_base(world), VALID_FORM),
        (base, VALID_FORM),
        (f"{base}/status", {"status": "planned"}),
        (f"{base}/roster", {"creator_id": str(creator.id), "planned_fee": "1"}),
        (f"{base}/roster/{entry.id}", {"planned_fee": "2", "status": "invited"}),
        (f"{base}/roster/{entry.id}/remove", {}),
    ):
        assert client.post(url, data={**data, "csrf_token": csrf}).status_code == 403, url
    assert client.get(f"{_base(world)}/new").status_code == 403
    assert campaign_count(db, world.a) == 1


def test_other_workspace_campaign_is_not_found(
    client: TestClient, db: Session, world: World
) -> None:
    theirs = make_campaign(db, world.b)
    _signed_in(client, db, world)
    assert client.get(f"{_base(world)}/{theirs.id}").status_code == 404
    assert client.get(f"/w/{world.b.slug}/campaigns").status_code == 404


def test_read_only_campaign_has_no_edit_controls(
    client: TestClient, db: Session, world: World
) -> None:
    campaign = make_campaign(db, world.a, status=CampaignStatus.completed)
    _signed_in(client, db, world)
    page = client.get(f"{_base(world)}/{campaign.id}").text
    assert 'id="read-only-note"' in page
    assert 'id="roster-add"' not in page and 'id="edit-campaign"' not in page
    assert client.get(f"{_base(world)}/{campaign.id}/edit").status_code == 409


def test_anonymous_visitor_is_sent_to_sign_in(client: TestClient, world: World) -> None:
    response = client.get(_base(world), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_forms_carry_the_csrf_token(client: TestClient, db: Session, world: World) -> None:
    # Macros imported without context would render an empty token and every post would 403.
    campaign = make_campaign(db, world.a)
    csrf = _signed_in(client, db, world)
    for url in (f"{_base(world)}/new", f"{_base(world)}/{campaign.id}"):
        tokens = re.findall(r'name="csrf_token" value="([^"]*)"', client.get(url).text)
        assert tokens and set(tokens) == {csrf}, url


def test_rates_are_typed_in_percent(client: TestClient, db: Session, world: World) -> None:
    csrf = _signed_in(client, db, world)
    response = client.post(
        _base(world),
        data={**VALID_FORM, "kpi_metric": ["ctr"], "kpi_target": ["150"], "csrf_token": csrf},
    )
    assert response.status_code == 422
    assert "CTR: a rate is between 0 and 100%" in response.text
    created = client.post(
        _base(world),
        data={**VALID_FORM, "kpi_metric": ["ctr"], "kpi_target": ["1.25%"], "csrf_token": csrf},
        follow_redirects=False,
    )
    assert created.status_code == 303
    [kpi] = db.scalars(_kpi_query(_only_campaign(db, world).id)).all()
    assert kpi.target == Decimal("0.0125")


def test_roster_of_a_finished_campaign_cannot_change(
    client: TestClient, db: Session, world: World
) -> None:
    campaign = make_campaign(db, world.a, status=CampaignStatus.cancelled)
    entry = add_entry(db, campaign, make_creator(db).id, 1_000)
    csrf = _signed_in(client, db, world)
    url = f"{_base(world)}/{campaign.id}/roster/{entry.id}"
    for target, data in (
        (url, {"planned_fee": "5.00", "status": "confirmed"}),
        (f"{url}/remove", {}),
    ):
        response = client.post(target, data={**data, "csrf_token": csrf})
        assert response.status_code == 409
        assert 'class="form-error" role="alert">this campaign is cancelled' in response.text
