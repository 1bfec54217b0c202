from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tastemaker.campaign.models import Campaign, CampaignStatus, RosterStatus
from tests.campaign.builders import add_entry, audit_rows
from tests.factories import World, make_campaign, make_creator

API = "/api/v1/campaigns"

CREATE_BODY: dict[str, Any] = {
    "name": "Autumn serum launch",
    "objective": "product_launch",
    "budget_minor": 1_250_000,
    "start_date": "2026-12-01",
    "end_date": "2026-12-31",
    "target_countries": ["FR", "BE"],
    "target_languages": ["fr"],
    "target_age_bands": ["18-24", "25-34"],
    "target_genders": ["female"],
    "target_interests": ["skincare"],
    "platforms": ["instagram", "tiktok"],
    "tiers": ["micro"],
    "collaboration_models": ["sponsored_post"],
    "kpis": [
        {"metric": "engagement_rate", "target": 0.035},
        {"metric": "revenue", "target": 5_000_000},
    ],
}


def _routes(campaign_id: int, entry_id: int, creator_id: int) -> list[tuple[str, str, Any, int]]:
    """Every campaign operation: a body valid for an owner, and the status it succeeds with."""
    base = f"{API}/{campaign_id}"
    return [
        ("GET", API, None, 200),
        ("POST", API, CREATE_BODY, 201),
        ("GET", base, None, 200),
        ("PATCH", base, {"name": "Renamed"}, 200),
        ("POST", f"{base}/status", {"status": "planned"}, 200),
        ("PUT", f"{base}/kpis", {"kpis": [{"metric": "reach", "target": 100}]}, 200),
        ("GET", f"{base}/roster", None, 200),
        ("POST", f"{base}/roster", {"creator_id": creator_id, "planned_fee_minor": 100}, 201),
        ("PATCH", f"{base}/roster/{entry_id}", {"status": "invited"}, 200),
        ("DELETE", f"{base}/roster/{entry_id}", None, 204),
    ]


@pytest.fixture
def setup(db: Session, world: World) -> tuple[Campaign, int, int]:
    campaign = make_campaign(db, world.a)
    entry = add_entry(db, campaign, make_creator(db).id, 10_000)
    spare = make_creator(db)
    db.commit()
    return campaign, entry.id, spare.id


def _call(
    client: TestClient, method: str, url: str, body: Any, headers: dict[str, str] | None = None
) -> Any:
    return client.request(method, url, json=body, headers=headers or {})


def _error(response: Any) -> dict[str, Any]:
    payload = response.json()
    assert set(payload) == {"error"}
    assert set(payload["error"]) == {"code", "message", "details"}
    return payload["error"]


def test_every_operation_needs_a_key(
    client: TestClient, world: World, setup: tuple[Campaign, int, int]
) -> None:
    campaign, entry_id, creator_id = setup
    for method, url, body, _ok in _routes(campaign.id, entry_id, creator_id):
        response = _call(client, method, url, body)
        assert response.status_code == 401, (method, url)
        assert _error(response)["code"] == "not_authenticated"


def test_another_workspace_sees_nothing(
    client: TestClient, world: World, setup: tuple[Campaign, int, int]
) -> None:
    campaign, entry_id, creator_id = setup
    for method, url, body, _ok in _routes(campaign.id, entry_id, creator_id)[2:]:
        response = _call(client, method, url, body, world.headers("b_owner"))
        assert response.status_code == 404, (method, url)
        assert _error(response)["code"] == "not_found"
    listed = client.get(API, headers=world.headers("b_owner")).json()
    assert listed["items"] == []


def test_analyst_reads_but_cannot_write(
    client: TestClient, world: World, setup: tuple[Campaign, int, int]
) -> None:
    campaign, entry_id, creator_id = setup
    for method, url, body, _ok in _routes(campaign.id, entry_id, creator_id):
        response = _call(client, method, url, body, world.headers("a_analyst"))
        expected = 200 if method == "GET" else 403
        assert response.status_code == expected, (method, url, response.text)
        if expected == 403:
            assert _error(response)["code"] == "permission_denied"


@pytest.mark.parametrize("who", ["a_owner", "a_manager"])
def test_writers_can_do_everything(
    client: TestClient, world: World, who: str, setup: tuple[Campaign, int, int]
) -> None:
    campaign, entry_id, creator_id = setup
    for method, url, body, ok in _routes(campaign.id, entry_id, creator_id):
        response = _call(client, method, url, body, world.headers(who))
        assert response.status_code == ok, (method, url, response.text)


def test_create_read_update_round_trip(client: TestClient, world: World, db: Session) -> None:
    headers = world.headers("a_manager")
    created = client.post(API, json=CREATE_BODY, headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "draft"
    assert body["next_statuses"] == ["planned", "cancelled"]
    assert body["read_only"] is False
    assert body["budget"] == {
        "amount_minor": 1_250_000,
        "currency": "EUR",
        "formatted": "12,500.00 EUR",
    }
    assert body["kpis"] == [
        {"metric": "engagement_rate", "unit": "ratio", "target": 0.035, "target_money": None},
        {
            "metric": "revenue",
            "unit": "money",
            "target": 5_000_000,
            "target_money": {
                "amount_minor": 5_000_000,
                "currency": "EUR",
                "formatted": "50,000.00 EUR",
            },
        },
    ]
    assert body["totals"]["over_budget"] is False
    assert body["roster"] == []
    campaign_id = body["id"]

    read = client.get(f"{API}/{campaign_id}", headers=world.headers("a_analyst")).json()
    assert read == body

    patched = client.patch(
        f"{API}/{campaign_id}", json={"name": "Renamed", "end_date": "2027-01-15"}, headers=headers
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["name"], patched.json()["end_date"]) == ("Renamed", "2027-01-15")
    assert patched.json()["target_countries"] == ["FR", "BE"]
    assert len(audit_rows(db, world.a, "campaign.updated")) == 1


def test_list_filters_and_pages(client: TestClient, world: World, db: Session) -> None:
    for n in range(3):
        make_campaign(db, world.a, name=f"Listed {n}")
    make_campaign(db, world.a, name="Running", status=CampaignStatus.active)
    db.commit()
    headers = world.headers("a_analyst")
    first = client.get(API, params={"per_page": 2}, headers=headers).json()
    assert (len(first["items"]), first["has_next"], first["page"]) == (2, True, 1)
    assert [
        c["name"]
        for c in client.get(API, params={"status": "active"}, headers=headers).json()["items"]
    ] == ["Running"]
    assert len(client.get(API, params={"search": "listed"}, headers=headers).json()["items"]) == 3
    assert client.get(API, params={"objective": "ugc"}, headers=headers).json()["items"] == []
    bad = client.get(API, params={"status": "paused"}, headers=headers)
    assert bad.status_code == 422
    assert _error(bad)["details"][0]["field"] == "query.status"


def test_status_moves_and_illegal_move_is_409(
    client: TestClient, world: World, db: Session
) -> None:
    campaign = make_campaign(db, world.a)
    db.commit()
    headers = world.headers("a_owner")
    url = f"{API}/{campaign.id}/status"
    illegal = client.post(url, json={"status": "completed"}, headers=headers)
    assert illegal.status_code == 409
    error = _error(illegal)
    assert error["code"] == "conflict"
    assert "planned" in error["message"] and "cancelled" in error["message"]
    assert error["details"] == {"field": "status", "allowed": ["planned", "cancelled"]}
    for step in ("planned", "active", "completed"):
        moved = client.post(url, json={"status": step}, headers=headers)
        assert moved.status_code == 200 and moved.json()["status"] == step
    assert moved.json()["read_only"] is True
    assert moved.json()["next_statuses"] == []
    frozen = client.patch(f"{API}/{campaign.id}", json={"name": "Too late"}, headers=headers)
    assert frozen.status_code == 409
    assert "read-only" in _error(frozen)["message"]


def test_kpis_are_replaced(client: TestClient, world: World, db: Session) -> None:
    campaign = make_campaign(db, world.a)
    db.commit()
    url = f"{API}/{campaign.id}/kpis"
    headers = world.headers("a_owner")
    response = client.put(
        url,
        json={"kpis": [{"metric": "cpm", "target": 850}, {"metric": "roas", "target": 3.5}]},
        headers=headers,
    )
    assert response.status_code == 200
    assert [(k["metric"], k["unit"], k["target"]) for k in response.json()] == [
        ("cpm", "money", 850),
        ("roas", "multiple", 3.5),
    ]
    refused = client.put(url, json={"kpis": [{"metric": "ctr", "target": 2}]}, headers=headers)
    assert refused.status_code == 422
    assert _error(refused)["details"] == {"field": "kpis.0.target"}
    kept = client.get(f"{API}/{campaign.id}", headers=headers).json()["kpis"]
    assert [k["metric"] for k in kept] == ["cpm", "roas"]


def test_roster_add_update_remove(client: TestClient, world: World, db: Session) -> None:
    campaign = make_campaign(db, world.a, budget_minor=100_000)
    creator = make_creator(db, name="Mia Rossi")
    db.commit()
    headers = world.headers("a_manager")
    url = f"{API}/{campaign.id}/roster"
    added = client.post(
        url,
        json={"creator_id": creator.id, "planned_fee_minor": 150_000, "platform": "tiktok"},
        headers=headers,
    )
    assert added.status_code == 201, added.text
    entry = added.json()
    assert entry["creator_name"] == "Mia Rossi"
    assert entry["planned_fee"] == {
        "amount_minor": 150_000,
        "currency": "EUR",
        "formatted": "1,500.00 EUR",
    }
    assert entry["status"] == "proposed"

    duplicate = client.post(url, json={"creator_id": creator.id}, headers=headers)
    assert duplicate.status_code == 409
    assert _error(duplicate)["details"] == {"field": "creator_id"}

    detail = client.get(f"{API}/{campaign.id}", headers=headers).json()
    assert detail["totals"]["over_budget"] is True
    assert detail["totals"]["remaining"]["amount_minor"] == -50_000
    assert [r["creator_name"] for r in client.get(url, headers=headers).json()] == ["Mia Rossi"]

    patched = client.patch(f"{url}/{entry['id']}", json={"status": "declined"}, headers=headers)
    assert patched.status_code == 200 and patched.json()["status"] == RosterStatus.declined
    detail = client.get(f"{API}/{campaign.id}", headers=headers).json()
    assert detail["totals"]["planned_fees"]["amount_minor"] == 0

    assert client.delete(f"{url}/{entry['id']}", headers=headers).status_code == 204
    assert client.delete(f"{url}/{entry['id']}", headers=headers).status_code == 404
    assert client.get(url, headers=headers).json() == []


def test_roster_fee_currency_must_match(client: TestClient, world: World, db: Session) -> None:
    campaign = make_campaign(db, world.a)
    creator = make_creator(db)
    db.commit()
    response = client.post(
        f"{API}/{campaign.id}/roster",
        json={"creator_id": creator.id, "planned_fee_minor": 100, "currency": "USD"},
        headers=world.headers("a_owner"),
    )
    assert response.status_code == 422
    assert _error(response)["details"] == {"field": "currency"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**CREATE_BODY, "name": ""}, "name"),
        ({**CREATE_BODY, "budget_minor": -1}, "budget_minor"),
        ({**CREATE_BODY, "budget_minor": "12,500.00"}, "budget_minor"),
        ({**CREATE_BODY, "currency": "XXX"}, "currency"),
        ({**CREATE_BODY, "target_countries": ["UK"]}, "target_countries"),
        ({**CREATE_BODY, "unexpected": True}, "unexpected"),
        ({k: v for k, v in CREATE_BODY.items() if k != "objective"}, "objective"),
    ],
)
def test_malformed_create_is_422_with_field_list(
    client: TestClient, world: World, body: dict[str, Any], field: str
) -> None:
    response = client.post(API, json=body, headers=world.headers("a_owner"))
    assert response.status_code == 422
    error = _error(response)
    assert error["code"] == "validation_failed"
    assert field in {d["field"] for d in error["details"]}


def test_domain_rule_violation_is_422_with_field(client: TestClient, world: World) -> None:
    # Tier names are configuration, so the service (not the schema) checks them.
    response = client.post(
        API, json={**CREATE_BODY, "tiers": ["giga"]}, headers=world.headers("a_owner")
    )
    assert response.status_code == 422
    error = _error(response)
    assert error["details"] == {"field": "tiers"}
    assert "nano, micro, mid, macro, mega" in error["message"]
    assert client.get(API, headers=world.headers("a_owner")).json()["items"] == []


def test_dates_out_of_order(client: TestClient, world: World, db: Session) -> None:
    headers = world.headers("a_owner")
    response = client.post(API, json={**CREATE_BODY, "end_date": "2026-11-01"}, headers=headers)
    assert response.status_code == 422
    assert [d["field"] for d in _error(response)["details"]] == ["end_date"]
    campaign = make_campaign(db, world.a, start_date=date(2026, 12, 1), end_date=None)
    db.commit()
    patched = client.patch(f"{API}/{campaign.id}", json={"end_date": "2026-11-30"}, headers=headers)
    assert patched.status_code == 422
    assert _error(patched)["details"] == {"field": "end_date"}


@pytest.mark.parametrize(
    "path", [f"{API}/0", f"{API}/{2**63}", f"{API}/abc", f"{API}/1/roster/{2**64}"]
)
def test_absurd_ids_are_422_not_500(client: TestClient, world: World, path: str) -> None:
    response = client.get(path, headers=world.headers("a_owner"))
    assert response.status_code in (404, 405, 422)
    _error(response)


def test_nul_in_search_is_harmless(client: TestClient, world: World) -> None:
    response = client.get(API, params={"search": "a\x00b"}, headers=world.headers("a_owner"))
    assert response.status_code == 200
