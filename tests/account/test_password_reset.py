"""Password reset and invitations send real e-mail through an SMTP server on loopback."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tastemaker.kit.settings import get_settings
from tests.factories import PASSWORD, make_user
from tests.smtp import Inbox, smtp_server

CSRF = "csrf-for-reset-tests"


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    with smtp_server() as (received, port):
        monkeypatch.setenv("TASTEMAKER_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("TASTEMAKER_SMTP_PORT", str(port))
        get_settings.cache_clear()
        yield received
    get_settings.cache_clear()


def _post(client: TestClient, path: str, **fields: str) -> httpx.Response:
    client.cookies.set("tm_csrf", CSRF)
    return client.post(path, data={"csrf_token": CSRF, **fields}, follow_redirects=False)


def test_reset_mail_is_sent_and_link_changes_password(
    client: TestClient, db: Session, inbox: Inbox
) -> None:
    user = make_user(db)
    db.commit()
    page = _post(client, "/forgot-password", email=user.email)
    assert "If an account exists" in page.text
    assert len(inbox.messages) == 1
    assert inbox.messages[0]["To"] == user.email
    token = re.search(r"token=([\w-]+)", inbox.bodies()[0]).group(1)  # type: ignore[union-attr]

    done = _post(client, "/reset-password", token=token, password="a brand new password")
    assert done.status_code == 200
    signed_in = _post(client, "/login", email=user.email, password="a brand new password")
    assert signed_in.status_code == 303
    old = _post(client, "/login", email=user.email, password=PASSWORD)
    assert old.status_code == 401
    reused = _post(client, "/reset-password", token=token, password="yet another password")
    assert reused.status_code == 422


def test_reset_for_unknown_email_answers_the_same_and_sends_nothing(
    client: TestClient, inbox: Inbox
) -> None:
    page = _post(client, "/forgot-password", email="nobody@example.com")
    assert page.status_code == 200
    assert "If an account exists" in page.text
    assert inbox.messages == []


def test_invitation_mail_lets_the_invitee_join(
    client: TestClient, db: Session, inbox: Inbox
) -> None:
    from tests.factories import make_workspace, sign_in

    owner = make_user(db)
    workspace = make_workspace(db, owner, name="Invite Test Brand")
    invitee = make_user(db, email="invitee@example.com")
    db.commit()
    csrf = sign_in(client, db, owner)
    response = client.post(
        f"/w/{workspace.slug}/settings/invitations",
        data={"csrf_token": csrf, "email": invitee.email, "role": "analyst"},
    )
    assert response.status_code == 200
    assert len(inbox.messages) == 1
    link = re.search(r"(/invitations/[\w-]+)", inbox.bodies()[0]).group(1)  # type: ignore[union-attr]

    client.cookies.clear()
    csrf = sign_in(client, db, invitee)
    assert "Join Invite Test Brand" in client.get(link).text
    joined = client.post(link, data={"csrf_token": csrf}, follow_redirects=False)
    assert joined.status_code == 303
    settings_page = client.get(f"/w/{workspace.slug}/settings")
    assert settings_page.status_code == 200
    assert "analyst" in settings_page.text
