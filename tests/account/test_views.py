from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tastemaker.account.models import User
from tastemaker.web.deps import CSRF_COOKIE, SESSION_COOKIE
from tests.factories import PASSWORD, make_user

CSRF = "csrf-value-for-tests"


def _form(client: TestClient, **fields: str) -> dict[str, str]:
    client.cookies.set(CSRF_COOKIE, CSRF)
    return {"csrf_token": CSRF, **fields}


def test_sign_up_creates_account_and_workspace_and_signs_in(
    client: TestClient, db: Session
) -> None:
    response = client.post(
        "/signup",
        data=_form(
            client,
            name="Ada",
            email="Ada@Example.com",
            password="a long password",
            workspace_name="Ada's Brand",
        ),
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert SESSION_COOKIE in response.cookies
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    user = db.scalars(select(User).where(User.email == "ada@example.com")).one()
    assert user.password_hash.startswith("$argon2id$")
    page = client.get("/workspaces")
    assert page.status_code == 200
    assert "Ada&#39;s Brand" in page.text or "Ada's Brand" in page.text


def test_sign_up_rejects_short_password_inline(client: TestClient) -> None:
    response = client.post(
        "/signup", data=_form(client, name="Bo", email="bo@example.com", password="short")
    )
    assert response.status_code == 422
    assert "at least 10 characters" in response.text


def test_form_without_csrf_token_is_refused(client: TestClient) -> None:
    response = client.post("/login", data={"email": "x@example.com", "password": "whatever"})
    assert response.status_code == 403
    assert "reload the page" in response.text


def test_sign_in_same_message_for_unknown_email_and_wrong_password(
    client: TestClient, db: Session
) -> None:
    user = make_user(db)
    db.commit()
    unknown = client.post(
        "/login", data=_form(client, email="nobody@example.com", password=PASSWORD)
    )
    wrong = client.post("/login", data=_form(client, email=user.email, password="nope nope nope"))
    assert unknown.status_code == wrong.status_code == 401
    assert "Invalid e-mail or password." in unknown.text
    assert "Invalid e-mail or password." in wrong.text


def test_sign_in_is_rate_limited(client: TestClient, db: Session) -> None:
    user = make_user(db)
    db.commit()
    for _ in range(10):
        client.post("/login", data=_form(client, email=user.email, password="wrong password!"))
    blocked = client.post("/login", data=_form(client, email=user.email, password=PASSWORD))
    assert blocked.status_code == 429


def test_sign_in_and_out(client: TestClient, db: Session) -> None:
    user = make_user(db)
    db.commit()
    response = client.post(
        "/login",
        data=_form(client, email=user.email, password=PASSWORD, next="/workspaces"),
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/workspaces"
    assert client.get("/workspaces").status_code == 200
    client.post("/logout", data=_form(client), follow_redirects=False)
    assert client.get("/workspaces", follow_redirects=False).status_code == 303


def test_next_parameter_cannot_redirect_off_site(client: TestClient, db: Session) -> None:
    user = make_user(db)
    db.commit()
    response = client.post(
        "/login",
        data=_form(client, email=user.email, password=PASSWORD, next="//evil.example/x"),
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"
