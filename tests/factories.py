"""Builders for test data. Each returns real rows written through the session."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tastemaker.account.models import User
from tastemaker.account.service import start_session
from tastemaker.campaign.models import Campaign, CampaignStatus, Objective
from tastemaker.creator.metrics import engagement_rate
from tastemaker.creator.models import (
    CATEGORY_COPIES,
    AccountCategory,
    Creator,
    Platform,
    PlatformAccount,
    Provenance,
)
from tastemaker.kit.security import hash_password
from tastemaker.web.deps import CSRF_COOKIE, SESSION_COOKIE
from tastemaker.workspace.context import Context
from tastemaker.workspace.models import ApiKey, Membership, Role, Workspace
from tastemaker.workspace.service import create_api_key, create_workspace

PASSWORD = "correct horse battery"
_PASSWORD_HASH = hash_password(PASSWORD)  # argon2 is slow on purpose: hash once per run
_seq = itertools.count(1)


def make_user(
    db: Session, *, email: str | None = None, name: str = "Test Person", timezone: str = "UTC"
) -> User:
    user = User(
        email=email or f"person{next(_seq)}@example.com",
        name=name,
        password_hash=_PASSWORD_HASH,
        timezone=timezone,
    )
    db.add(user)
    db.flush()
    return user


def make_workspace(
    db: Session, owner: User, *, name: str | None = None, currency: str = "EUR"
) -> Workspace:
    return create_workspace(
        db, owner, name=name or f"Brand {next(_seq)}", default_currency=currency
    )


def add_member(db: Session, workspace: Workspace, user: User, role: Role) -> Membership:
    membership = Membership(workspace_id=workspace.id, user_id=user.id, role=role)
    db.add(membership)
    db.flush()
    return membership


def context(
    db: Session, workspace: Workspace, role: Role = Role.owner, user: User | None = None
) -> Context:
    return Context(session=db, workspace=workspace, role=role, user_id=user.id if user else None)


def make_api_key(db: Session, workspace: Workspace, role: Role) -> tuple[ApiKey, str]:
    created = create_api_key(context(db, workspace), f"{role.value} key", role)
    return created.api_key, created.secret


def add_account(
    db: Session,
    creator: Creator,
    *,
    platform: Platform,
    handle: str,
    followers: int | None = 10_000,
    following: int | None = None,
    posts: int | None = None,
    avg_likes: float | None = 500.0,
    avg_comments: float | None = 20.0,
    avg_views: float | None = None,
    country: str | None = "FR",
    language: str | None = "fr",
    categories: Iterable[str] = (),
    provenance: Provenance = Provenance.imported,
    source: str = "builder",
) -> PlatformAccount:
    """An account with its engagement rate computed as the product computes it."""
    rate = engagement_rate(
        platform,
        followers=followers,
        avg_likes=avg_likes,
        avg_comments=avg_comments,
        avg_views=avg_views,
    )
    account = PlatformAccount(
        creator_id=creator.id,
        platform=platform,
        handle=handle,
        followers=followers,
        following=following,
        posts=posts,
        avg_likes=avg_likes,
        avg_comments=avg_comments,
        avg_views=avg_views,
        country=country,
        language=language,
        engagement_rate=rate.value if rate else None,
        engagement_formula=rate.formula if rate else None,
        metrics_provenance=provenance,
        metrics_source=source,
    )
    db.add(account)
    db.flush()
    db.add_all(
        AccountCategory(
            account_id=account.id,
            category=c,
            **{name: getattr(account, name) for name in CATEGORY_COPIES},
        )
        for c in categories
    )
    db.flush()
    return account


def make_creator(
    db: Session,
    *,
    name: str | None = None,
    platform: Platform = Platform.instagram,
    handle: str | None = None,
    followers: int = 25_000,
    avg_likes: float = 1_000.0,
    avg_comments: float = 50.0,
    avg_views: float | None = None,
    country: str | None = "FR",
    language: str | None = "fr",
    categories: tuple[str, ...] = ("fashion",),
    is_virtual: bool = False,
) -> Creator:
    n = next(_seq)
    creator = Creator(display_name=name or f"Creator {n}", is_virtual=is_virtual)
    db.add(creator)
    db.flush()
    add_account(
        db,
        creator,
        platform=platform,
        handle=handle or f"creator_{n}",
        followers=followers,
        following=300,
        posts=420,
        avg_likes=avg_likes,
        avg_comments=avg_comments,
        avg_views=avg_views,
        country=country,
        language=language,
        categories=categories,
        source="factory",
    )
    return creator


def make_campaign(db: Session, workspace: Workspace, **fields: Any) -> Campaign:
    values: dict[str, Any] = {
        "name": f"Campaign {next(_seq)}",
        "objective": Objective.awareness,
        "status": CampaignStatus.draft,
        "budget_minor": 1_000_000,
        "currency": workspace.default_currency,
        "start_date": date(2026, 12, 1),
        "end_date": date(2026, 12, 31),
    }
    values.update(fields)
    campaign = Campaign(workspace_id=workspace.id, **values)
    db.add(campaign)
    db.flush()
    return campaign


@dataclass
class World:
    a: Workspace
    b: Workspace
    users: dict[str, User]
    keys: dict[str, str] = field(default_factory=dict)

    def headers(self, who: str) -> dict[str, str]:
        """who: 'a_owner', 'a_manager', 'a_analyst', 'b_owner'."""
        return {"Authorization": f"Bearer {self.keys[who]}"}


def build_world(db: Session) -> World:
    users = {
        who: make_user(db, email=f"{who}.{next(_seq)}@example.com")
        for who in ("a_owner", "a_manager", "a_analyst", "b_owner")
    }
    a = make_workspace(db, users["a_owner"], name="Acme Cosmetics")
    b = make_workspace(db, users["b_owner"], name="Bolt Outdoor")
    add_member(db, a, users["a_manager"], Role.manager)
    add_member(db, a, users["a_analyst"], Role.analyst)
    world = World(a=a, b=b, users=users)
    for who, workspace, role in (
        ("a_owner", a, Role.owner),
        ("a_manager", a, Role.manager),
        ("a_analyst", a, Role.analyst),
        ("b_owner", b, Role.owner),
    ):
        world.keys[who] = make_api_key(db, workspace, role)[1]
    return world


def sign_in(client: TestClient, db: Session, user: User) -> str:
    """Signs the test client in as `user`; returns the CSRF token forms must send."""
    started = start_session(db, user, None)
    db.commit()
    client.cookies.set(SESSION_COOKIE, started.token)
    csrf = "test-csrf-token"
    client.cookies.set(CSRF_COOKIE, csrf)
    return csrf


def count_rows(db: Session, model: type[Any]) -> int:
    """How many rows of `model` are stored (to show a refusal wrote nothing)."""
    return db.scalar(select(func.count()).select_from(model)) or 0


def api_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The API's error body, after checking its status, shape and code."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    error: dict[str, Any] = body["error"]
    return error


def shown_text(html: str, testid: str) -> str:
    """The text of the element marked data-testid=`testid`, up to its own closing tag, tags
    dropped and white space collapsed."""
    found = re.search(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>', html, re.S)
    assert found is not None, testid
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(2))).strip()
