"""The audience-check API: uploads, reports with their meanings, refusals in the one error
shape, and workspaces that never see each other's checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tastemaker.creator.models import Creator, PlatformAccount
from tastemaker.imports.parsing import MAX_FILE_BYTES
from tastemaker.vetting.models import AudienceCheck
from tastemaker.vetting.sample import read_sample
from tastemaker.vetting.scoring import report
from tests.creator.builders import account_of
from tests.factories import World, api_error, count_rows, make_creator
from tests.imports.helpers import csv_bytes, xlsx_bytes
from tests.vetting.builders import HEADER, bought_row, real_row, sample_csv


@pytest.fixture
def account(db: Session) -> PlatformAccount:
    made = account_of(db, make_creator(db, name="Ana Lima", handle="ana.lima"))
    db.commit()
    return made


def _path(account: PlatformAccount, creator_id: int | None = None) -> str:
    creator = account.creator_id if creator_id is None else creator_id
    return f"/api/v1/creators/{creator}/accounts/{account.id}/audience-checks"


def _upload(
    client: TestClient,
    world: World,
    account: PlatformAccount,
    content: bytes,
    name: str = "followers.csv",
    who: str = "a_owner",
) -> Any:
    return client.post(
        _path(account), files={"file": (name, content, "text/csv")}, headers=world.headers(who)
    )


def test_upload_answers_with_the_report(
    client: TestClient, world: World, account: PlatformAccount
) -> None:
    content = sample_csv(fakes=40, reals=60)
    expected = report(read_sample(content).profiles)
    response = _upload(client, world, account, content, "ana.csv")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["account"] == {
        "id": account.id,
        "creator_id": account.creator_id,
        "platform": "instagram",
        "handle": "ana.lima",
    }
    assert body["source"] == "ana.csv" and body["sample_size"] == 100
    fake = body["expected_fake_share"]
    assert fake["value"] == expected.expected_fake_share
    assert fake["interval"]["low"] == expected.expected_fake_share_interval.low
    assert fake["interval"]["high"] == expected.expected_fake_share_interval.high
    assert fake["meaning"].startswith("mean of the followers' fake probabilities")
    assert body["credibility"]["score"] == round(100 * (1 - expected.expected_fake_share))
    assert body["credibility"]["low"] <= body["credibility"]["score"] <= body["credibility"]["high"]
    assert "100 x (1 - expected fake share)" in body["credibility"]["meaning"]
    flagged = body["flagged"]
    assert (flagged["count"], flagged["of"]) == (expected.flagged.count, 100)
    assert flagged["interval"]["low"] == expected.flagged.interval.low
    assert expected.mass_followers is not None
    assert body["mass_followers"]["count"] == expected.mass_followers.count
    assert [r["text"] for r in body["reasons"]] == [r.text for r in expected.reasons]
    assert all(r["meaning"] for r in body["reasons"])
    assert body["sample_note"] == expected.sample_note
    assert set(body["meanings"]) >= {"credibility", "flagged", "flagged_followers"}
    evidence = body["flagged_followers"]
    assert len(evidence) == expected.flagged.count
    assert evidence[0]["username"].startswith("jessica") and evidence[0]["where"] == "row 2"


def test_list_is_newest_first_without_evidence_and_one_check_has_it(
    client: TestClient, world: World, account: PlatformAccount
) -> None:
    first = _upload(client, world, account, sample_csv(fakes=3, reals=0)).json()
    second = _upload(client, world, account, sample_csv(fakes=0, reals=3)).json()
    listed = client.get(_path(account), headers=world.headers("a_analyst"))
    assert listed.status_code == 200
    assert [c["id"] for c in listed.json()] == [second["id"], first["id"]]
    assert "flagged_followers" not in listed.json()[0]
    one_only = client.get(_path(account), params={"limit": 1}, headers=world.headers("a_owner"))
    assert [c["id"] for c in one_only.json()] == [second["id"]]
    read = client.get(f"/api/v1/audience-checks/{first['id']}", headers=world.headers("a_analyst"))
    assert read.status_code == 200
    assert read.json() == first


def test_a_fake_heavy_sample_scores_below_a_real_one(
    client: TestClient, world: World, account: PlatformAccount
) -> None:
    mixed = _upload(client, world, account, sample_csv(fakes=30, reals=30)).json()
    real = _upload(client, world, account, sample_csv(fakes=0, reals=60)).json()
    assert mixed["expected_fake_share"]["value"] > real["expected_fake_share"]["value"] + 0.3
    assert mixed["credibility"]["score"] < real["credibility"]["score"]


def test_a_three_follower_sample_is_stored_and_says_how_little_it_means(
    client: TestClient, world: World, account: PlatformAccount
) -> None:
    body = _upload(client, world, account, sample_csv(fakes=2, reals=1)).json()
    assert body["sample_size"] == 3
    assert "says very little" in body["sample_note"]
    interval = body["flagged"]["interval"]
    assert interval["high"] - interval["low"] > 0.5


def test_xlsx_and_json_samples(client: TestClient, world: World, account: PlatformAccount) -> None:
    rows = [HEADER, bought_row(0), real_row(0)]
    xlsx = _upload(client, world, account, xlsx_bytes({"followers": rows}), "f.xlsx")
    assert xlsx.status_code == 201, xlsx.text
    items = b'[{"username": "a", "followers": 3, "following": 7500}, {"username": "b"}]'
    json_sample = _upload(client, world, account, items, "f.json")
    assert json_sample.status_code == 201, json_sample.text
    assert json_sample.json()["flagged_followers"][0]["where"] == "item 1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the follower sample is empty"),
        (csv_bytes([["username", "followers"]]), "the follower sample is empty"),
        (csv_bytes([["colour", "mood"], ["red", "calm"]]), "none of the columns is a follower"),
        (b"\x00\x01\x02 not a table", None),
        (b'{"followers": 12}', "a list of follower objects"),
    ],
    ids=["empty", "header-only", "unknown-columns", "binary", "json-object"],
)
def test_unreadable_samples_are_422(
    client: TestClient,
    db: Session,
    world: World,
    account: PlatformAccount,
    content: bytes,
    message: str | None,
) -> None:
    response = _upload(client, world, account, content)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["message"] and (message is None or message in error["message"])
    assert count_rows(db, AudienceCheck) == 0


def test_a_malformed_sample_lists_its_problems(
    client: TestClient, db: Session, world: World, account: PlatformAccount
) -> None:
    content = csv_bytes([["username", "followers", "is_private"], ["a", "lots", "no"],
                         ["b", "12", "perhaps"]])  # fmt: skip
    error = api_error(_upload(client, world, account, content), 422, "invalid_follower_sample")
    assert error["message"].startswith("2 problems in the follower sample: row 2, followers")
    problems = [(p["where"], p["field"]) for p in error["details"]["problems"]]
    assert problems == [("row 2", "followers"), ("row 3", "is_private")]
    assert count_rows(db, AudienceCheck) == 0


def test_no_file_is_422(client: TestClient, world: World, account: PlatformAccount) -> None:
    headers = world.headers("a_owner")
    nothing = client.post(_path(account), headers=headers)
    assert "file" in api_error(nothing, 422, "validation_failed")["message"]
    as_text = client.post(_path(account), data={"file": "username,followers"}, headers=headers)
    api_error(as_text, 422, "validation_failed")
    as_json = client.post(_path(account), json={"file": "x"}, headers=headers)
    api_error(as_json, 422, "validation_failed")
    wrong_field = client.post(
        _path(account), files={"sample": ("f.csv", b"username\r\na\r\n")}, headers=headers
    )
    api_error(wrong_field, 422, "validation_failed")


def test_a_file_over_the_limit_is_413(
    client: TestClient, db: Session, world: World, account: PlatformAccount
) -> None:
    response = _upload(client, world, account, b"x" * (MAX_FILE_BYTES + 1))
    assert "the limit is" in api_error(response, 413, "file_too_large")["message"]
    assert count_rows(db, AudienceCheck) == 0


def test_without_the_model_an_upload_is_503_and_stores_nothing(
    client: TestClient, db: Session, world: World, account: PlatformAccount, no_model: Path
) -> None:
    response = _upload(client, world, account, sample_csv(fakes=2, reals=3))
    assert "tastemaker vetting train" in api_error(response, 503, "model_unavailable")["message"]
    assert count_rows(db, AudienceCheck) == 0


def test_the_account_must_be_the_creators(
    client: TestClient, db: Session, world: World, account: PlatformAccount
) -> None:
    other: Creator = make_creator(db)
    db.commit()
    headers = world.headers("a_owner")
    files = {"file": ("f.csv", sample_csv(fakes=1, reals=2), "text/csv")}
    wrong = client.post(_path(account, other.id), files=files, headers=headers)
    assert "not found" in api_error(wrong, 404, "not_found")["message"]
    api_error(client.get(_path(account, other.id), headers=headers), 404, "not_found")
    api_error(client.get(_path(account, 10**9), headers=headers), 404, "not_found")
    assert count_rows(db, AudienceCheck) == 0


def test_another_workspaces_check_is_not_found(
    client: TestClient, world: World, account: PlatformAccount
) -> None:
    made = _upload(client, world, account, sample_csv(fakes=1, reals=2), "acme secret.csv")
    check_id = made.json()["id"]
    theirs = client.get(f"/api/v1/audience-checks/{check_id}", headers=world.headers("b_owner"))
    error = api_error(theirs, 404, "not_found")
    assert "acme" not in theirs.text.lower() and str(check_id) in error["message"]
    listed = client.get(_path(account), headers=world.headers("b_owner"))
    assert listed.status_code == 200 and listed.json() == []
    for bad in ("0", "abc", str(10**30)):
        response = client.get(f"/api/v1/audience-checks/{bad}", headers=world.headers("a_owner"))
        api_error(response, 422, "validation_failed")


def test_an_analyst_reads_but_cannot_upload(
    client: TestClient, db: Session, world: World, account: PlatformAccount
) -> None:
    refused = _upload(client, world, account, sample_csv(fakes=1, reals=2), who="a_analyst")
    api_error(refused, 403, "permission_denied")
    assert count_rows(db, AudienceCheck) == 0
    assert client.get(_path(account), headers=world.headers("a_analyst")).status_code == 200
