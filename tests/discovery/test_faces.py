"""The description filter through every face: the API, the page, the CLI, and imports
that keep the documents current."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tastemaker.cli import app
from tastemaker.creator.models import Creator, PlatformAccount
from tastemaker.discovery import service
from tastemaker.discovery.models import SearchDocument
from tastemaker.imports import service as imports_service
from tastemaker.kit import db as kit_db
from tastemaker.workspace.models import Role
from tests.creator.builders import make_list, overlay
from tests.discovery.builders import make_topicals
from tests.factories import World, context, make_user, make_workspace, sign_in
from tests.imports.helpers import csv_bytes


def test_api_ranks_by_the_description_and_shows_the_parts(
    client: TestClient, db: Session, world: World
) -> None:
    accounts = make_topicals(db)
    service.refresh(db)

    response = client.get(
        "/api/v1/creators",
        params={"about": "dog-free zone: squats, sprints and long runs", "per_page": 2},
        headers=world.headers("a_analyst"),
    )

    assert response.status_code == 200
    body = response.json()
    assert body["items"][0]["account_id"] == accounts["fitness"].id
    assert len(body["items"]) == 2 and body["has_next"]
    relevance = body["items"][0]["relevance"]
    assert relevance["score"] == pytest.approx(
        relevance["semantic_weight"] * relevance["semantic"]
        + relevance["lexical_weight"] * relevance["lexical"],
        abs=1e-6,
    )
    assert relevance["semantic_weight"] + relevance["lexical_weight"] == pytest.approx(1)
    plain = client.get("/api/v1/creators", headers=world.headers("a_analyst")).json()
    assert all(row["relevance"] is None for row in plain["items"])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "relevance"}, "about"),
        ({"about": "x" * 501}, "query.about"),
    ],
)
def test_api_refusals_name_the_field(
    client: TestClient, world: World, params: dict[str, str], field: str
) -> None:
    response = client.get("/api/v1/creators", params=params, headers=world.headers("a_owner"))
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert (details if isinstance(details, dict) else details[0])["field"] == field


def test_page_ranks_and_explains_relevance(client: TestClient, db: Session, world: World) -> None:
    accounts = make_topicals(db)
    service.refresh(db)
    sign_in(client, db, world.users["a_owner"])

    page = client.get(f"/w/{world.a.slug}/creators", params={"about": "tofu and lentils"})

    assert page.status_code == 200
    ids = re.findall(r'data-testid="creator-row" data-account-id="(\d+)"', page.text)
    assert ids[0] == str(accounts["vegan"].id)
    assert 'data-testid="row-relevance"' in page.text
    assert "Relevance: relevance = w_semantic" in page.text
    assert re.search(r'<option value="relevance"\s+selected', page.text)
    refused = client.get(f"/w/{world.a.slug}/creators", params={"sort": "relevance"})
    assert refused.status_code == 422
    assert "needs a description" in refused.text


def test_a_missing_embedding_model_is_a_503_not_a_500(
    client: TestClient, db: Session, world: World, no_embedding_model: None
) -> None:
    response = client.get(
        "/api/v1/creators", params={"about": "vegan recipes"}, headers=world.headers("a_owner")
    )
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "embedding_model_missing" and "wordllama" in error["message"]


def test_workspace_filters_of_a_ranked_search_are_the_callers_own(
    client: TestClient, db: Session, world: World
) -> None:
    accounts = make_topicals(db)
    service.refresh(db)
    travel, vegan = accounts["travel"], accounts["vegan"]
    vegan_creator = db.get_one(Creator, vegan.creator_id)
    overlay(db, world.a, db.get_one(Creator, travel.creator_id), tags=["shortlist"])
    overlay(db, world.b, vegan_creator, tags=["shortlist"])

    def ranked(who: str) -> list[int]:
        response = client.get(
            "/api/v1/creators",
            params={"about": "vegan recipes", "tag": "shortlist"},
            headers=world.headers(who),
        )
        assert response.status_code == 200
        return [row["account_id"] for row in response.json()["items"]]

    assert ranked("a_owner") == [travel.id]
    assert ranked("b_owner") == [vegan.id]
    b_list = make_list(db, world.b, "B's list", [vegan_creator])
    other = client.get(
        "/api/v1/creators",
        params={"about": "vegan recipes", "list_id": b_list.id},
        headers=world.headers("a_owner"),
    )
    assert other.status_code == 404


@pytest.fixture
def cli_session(cli_tables: str, monkeypatch: pytest.MonkeyPatch) -> Session:
    monkeypatch.setenv("COLUMNS", "200")
    return Session(kit_db.get_engine(), expire_on_commit=False)


def test_cli_indexes_then_searches(cli_session: Session) -> None:
    make_workspace(cli_session, make_user(cli_session), name="Acme")
    accounts = make_topicals(cli_session)
    cli_session.commit()
    runner = CliRunner()

    indexed = runner.invoke(app, ["creators", "index"])
    again = runner.invoke(app, ["creators", "index"])
    found = runner.invoke(
        app, ["creators", "search", "temples, night trains and cheap hostels", "--json"]
    )
    table = runner.invoke(app, ["creators", "list", "--about", "speedrun streams"])

    assert indexed.exit_code == 0, indexed.output
    assert "4 embedded, 0 unchanged" in indexed.output
    assert "0 embedded, 4 unchanged" in again.output
    assert found.exit_code == 0, found.output
    items = json.loads(found.stdout)["items"]
    assert items[0]["account_id"] == accounts["travel"].id
    assert items[0]["relevance"]["score"] > items[-1]["relevance"]["score"]
    assert table.exit_code == 0, table.output
    assert "sorted relevance" in table.output and "relevance:" in table.output
    too_long = runner.invoke(app, ["creators", "search", "x" * 501])
    assert too_long.exit_code == 1 and "--about" in too_long.output


def test_an_import_indexes_the_bios_it_writes(db: Session, world: World) -> None:
    rows = [
        ["handle", "followers", "bio"],
        ["leafy", "12000", "Vegan baking and plant-based desserts"],
        ["blank", "9000", ""],
    ]
    ctx = context(db, world.a, Role.manager, world.users["a_manager"])
    job = imports_service.create_job(ctx, "instagram.csv", csv_bytes(rows))
    imports_service.run_now(ctx, job.id)

    leafy = db.scalar(select(PlatformAccount).where(PlatformAccount.handle == "leafy"))
    assert leafy is not None
    documents = db.scalars(select(SearchDocument)).all()
    assert [d.account_id for d in documents] == [leafy.id]
    assert documents[0].text == "Vegan baking and plant-based desserts"


def test_editing_a_bio_reindexes_the_account(client: TestClient, db: Session, world: World) -> None:
    accounts = make_topicals(db)
    service.refresh(db)
    travel = accounts["travel"]

    response = client.patch(
        f"/api/v1/creators/{travel.creator_id}/accounts/{travel.id}",
        json={"bio": "Sourdough, pastries and home baking"},
        headers=world.headers("a_manager"),
    )

    assert response.status_code == 200
    document = db.get(SearchDocument, travel.id)
    assert document is not None and document.text.startswith("Sourdough")
    found = client.get(
        "/api/v1/creators", params={"about": "bread baking"}, headers=world.headers("a_owner")
    )
    assert found.json()["items"][0]["account_id"] == travel.id


def test_removing_an_account_takes_it_out_of_the_ranking(
    client: TestClient, db: Session, world: World
) -> None:
    accounts = make_topicals(db)
    service.refresh(db)
    vegan = accounts["vegan"]
    client.post(
        f"/api/v1/creators/{vegan.creator_id}/accounts",
        json={"platform": "tiktok", "handle": "vegan_two"},
        headers=world.headers("a_manager"),
    )
    before = service.rank(db, "vegan recipes")

    removed = client.delete(
        f"/api/v1/creators/{vegan.creator_id}/accounts/{vegan.id}",
        headers=world.headers("a_manager"),
    )

    assert removed.status_code == 204
    assert vegan.id in before.account_ids.tolist()
    assert vegan.id not in service.rank(db, "vegan recipes").account_ids.tolist()
