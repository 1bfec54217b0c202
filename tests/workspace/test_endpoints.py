from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import World


def test_workspace_endpoint_names_the_key_role(client: TestClient, world: World) -> None:
    body = client.get("/api/v1/workspace", headers=world.headers("a_analyst")).json()
    assert body["slug"] == world.a.slug and body["role"] == "analyst"


def test_missing_or_bad_key_is_401_with_error_shape(client: TestClient, world: World) -> None:
    missing = client.get("/api/v1/workspace")
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "not_authenticated"
    wrong = client.get("/api/v1/workspace", headers={"Authorization": "Bearer tm_nope"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_api_key"


def test_api_key_lifecycle(client: TestClient, world: World) -> None:
    owner = world.headers("a_owner")
    created = client.post(
        "/api/v1/workspace/api-keys", json={"name": "bot", "role": "manager"}, headers=owner
    )
    assert created.status_code == 201
    secret = created.json()["secret"]
    listed = client.get("/api/v1/workspace/api-keys", headers=owner).json()
    assert all("secret" not in key for key in listed)
    assert (
        client.get("/api/v1/workspace", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    revoked = client.delete(f"/api/v1/workspace/api-keys/{created.json()['id']}", headers=owner)
    assert revoked.json()["revoked_at"] is not None
    assert (
        client.get("/api/v1/workspace", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )


def test_manager_key_cannot_manage_keys(client: TestClient, world: World) -> None:
    response = client.post(
        "/api/v1/workspace/api-keys", json={"name": "x"}, headers=world.headers("a_manager")
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_invalid_body_is_422_naming_the_field(client: TestClient, world: World) -> None:
    response = client.post(
        "/api/v1/workspace/invitations",
        json={"email": "not-an-email", "role": "emperor"},
        headers=world.headers("a_owner"),
    )
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["error"]["details"]}
    assert "role" in fields


def test_other_workspace_member_is_404(client: TestClient, world: World) -> None:
    members = client.get("/api/v1/workspace/members", headers=world.headers("a_owner")).json()
    response = client.patch(
        f"/api/v1/workspace/members/{members[0]['id']}",
        json={"role": "analyst"},
        headers=world.headers("b_owner"),
    )
    assert response.status_code == 404


def test_nul_in_text_is_refused_on_every_engine(client: TestClient, world: World) -> None:
    response = client.post(
        "/api/v1/workspace/api-keys",
        json={"name": "bad\u0000name"},
        headers=world.headers("a_owner"),
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_text"
    names = [
        k["name"]
        for k in client.get("/api/v1/workspace/api-keys", headers=world.headers("a_owner")).json()
    ]
    assert "bad\u0000name" not in names
