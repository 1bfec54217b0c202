from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tastemaker.imports import parsing
from tests.factories import World
from tests.imports.helpers import VENDOR_LIKE, csv_bytes

API = "/api/v1/imports"


def _upload(
    client: TestClient,
    world: World,
    who: str = "a_manager",
    content: bytes | None = None,
    filename: str = "creators - instagram.csv",
    **form: str,
) -> Any:
    return client.post(
        API,
        headers=world.headers(who),
        data=form,
        files={
            "file": (filename, csv_bytes(VENDOR_LIKE) if content is None else content, "text/csv")
        },
    )


def test_upload_returns_suggested_mapping_and_preview(client: TestClient, world: World) -> None:
    response = _upload(client, world)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "uploaded"
    assert body["total_rows"] == 6
    assert body["mapping"]["platform"] == "instagram"
    assert body["mapping"]["platform_source"] == "file name"
    assert body["mapping"]["columns"]["handle"] == "Influencer insta name"
    assert body["mapping"]["columns"]["categories"] == ["category_1", "category_2"]
    followers = next(c for c in body["columns"] if c["label"] == "Followers (2)")
    assert followers["mapped_to"] is None and "repeats column F" in followers["reason"]
    assert body["preview"][0]["record"]["handle"] == "cristiano"
    assert body["preview"][0]["record"]["followers"] == 475_800_000
    assert body["preview"][3]["errors"][0]["row"] == 5
    assert {t["name"] for t in body["targets"]} >= {"handle", "followers", "categories"}


def test_mapping_run_report_and_errors(client: TestClient, world: World) -> None:
    job_id = _upload(client, world).json()["id"]
    writer = world.headers("a_manager")

    bad = client.put(
        f"{API}/{job_id}/mapping",
        headers=writer,
        json={"columns": {"handel": "x", "followers": "Folowers"}},
    )
    assert bad.status_code == 422
    assert "handel" in bad.json()["error"]["message"]
    assert "'Folowers'" in bad.json()["error"]["message"]

    mapped = client.put(
        f"{API}/{job_id}/mapping",
        headers=writer,
        json={
            "platform": "instagram",
            "columns": {"followers": "Followers (2)", "categories": None},
        },
    )
    assert mapped.status_code == 200
    assert mapped.json()["mapping"]["columns"]["followers"] == "Followers (2)"
    assert "categories" not in mapped.json()["mapping"]["columns"]

    report = client.post(f"{API}/{job_id}/run", headers=writer)
    assert report.status_code == 200
    body = report.json()
    assert body["status"] == "completed"
    # The full-number column leaves '12x' and '-5' of the short one blank: only the row
    # without a handle fails.
    assert (body["created"], body["updated"], body["failed"]) == (5, 0, 1)
    assert body["error_count"] == 1
    assert [e["row"] for e in body["errors"]] == [5]

    errors = client.get(f"{API}/{job_id}/errors?per_page=1", headers=world.headers("a_analyst"))
    assert errors.status_code == 200
    assert errors.json()["total"] == 1 and errors.json()["has_next"] is False
    assert errors.json()["items"][0] == {
        "row": 5,
        "field": "handle",
        "message": "no handle: column 'Influencer insta name' is empty",
    }

    listed = client.get(API, headers=world.headers("a_analyst")).json()
    assert [j["id"] for j in listed] == [job_id]
    assert listed[0]["created"] == 5

    again = client.post(f"{API}/{job_id}/run", headers=writer)
    assert again.status_code == 409


def test_anonymous_is_401(client: TestClient, world: World) -> None:
    job_id = _upload(client, world).json()["id"]
    for method, path in (
        ("get", API),
        ("get", f"{API}/{job_id}"),
        ("put", f"{API}/{job_id}/mapping"),
        ("post", f"{API}/{job_id}/run"),
        ("get", f"{API}/{job_id}/errors"),
        ("delete", f"{API}/{job_id}"),
    ):
        response = client.request(method.upper(), path, json={})
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "not_authenticated"
    upload = client.post(API, files={"file": ("x.csv", b"a,b\r\n1,2\r\n", "text/csv")})
    assert upload.status_code == 401


def test_another_workspace_is_404(client: TestClient, world: World) -> None:
    job_id = _upload(client, world).json()["id"]
    other = world.headers("b_owner")
    for method, path in (
        ("get", f"{API}/{job_id}"),
        ("put", f"{API}/{job_id}/mapping"),
        ("post", f"{API}/{job_id}/run"),
        ("get", f"{API}/{job_id}/errors"),
        ("delete", f"{API}/{job_id}"),
    ):
        response = client.request(method.upper(), path, headers=other, json={})
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"
    assert client.get(API, headers=other).json() == []


def test_analyst_writes_are_403(client: TestClient, world: World) -> None:
    assert _upload(client, world, "a_analyst").status_code == 403
    job_id = _upload(client, world).json()["id"]
    analyst = world.headers("a_analyst")
    assert client.get(f"{API}/{job_id}", headers=analyst).status_code == 200
    for method, path in (
        ("put", f"{API}/{job_id}/mapping"),
        ("post", f"{API}/{job_id}/run"),
        ("delete", f"{API}/{job_id}"),
    ):
        response = client.request(method.upper(), path, headers=analyst, json={})
        assert response.status_code == 403, path
        assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old Excel .xls"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "neither a CSV nor an .xlsx"),
        (b"handle,followers\r\n", "no data rows"),
    ],
)
def test_bad_files_are_422_with_the_reason(
    client: TestClient, world: World, content: bytes, message: str
) -> None:
    response = _upload(client, world, content=content, filename="list.csv")
    assert response.status_code == 422
    assert message in response.json()["error"]["message"]


def test_missing_file_is_422(client: TestClient, world: World) -> None:
    response = client.post(API, headers=world.headers("a_manager"), data={"platform": "x"})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "file"


def test_too_large_is_413(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parsing, "MAX_FILE_BYTES", 100)
    response = _upload(client, world, content=b"handle,followers\r\n" + b"a,1\r\n" * 50)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file_too_large"


def test_delete(client: TestClient, world: World) -> None:
    job_id = _upload(client, world).json()["id"]
    assert client.delete(f"{API}/{job_id}", headers=world.headers("a_owner")).status_code == 204
    assert client.get(f"{API}/{job_id}", headers=world.headers("a_owner")).status_code == 404
