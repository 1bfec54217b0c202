"""Walks every API route and every workspace page and checks who may do what:
anonymous -> 401 (pages: redirect to sign-in), another workspace -> 404 (and never a glimpse
of this workspace's data), analyst writing -> 403, own member -> success.

A new route fails here until it has a sample request below: that is the point."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.access_samples import API_SAMPLES, PAGE_SAMPLES, PUBLIC_PAGES, Objects, build_objects
from tests.factories import World, sign_in

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MARKER = "acme-private"
# Public profile facts are shared by the instance (a creator is the same person for every
# workspace); only what a workspace adds to them is private.
PUBLIC_PARAMS = {"creator_id", "account_id"}


@dataclass(frozen=True)
class Route:
    method: str
    path: str

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)

    @property
    def private_params(self) -> list[str]:
        return [p for p in self.params if p not in PUBLIC_PARAMS and p != "slug"]


def _routes(app: FastAPI) -> Iterator[tuple[Route, bool]]:
    for top in app.routes:
        contexts = (
            top.effective_route_contexts() if hasattr(top, "effective_route_contexts") else []
        )
        for context in contexts:
            path = getattr(context, "path", None) or getattr(context, "path_format", "")
            for method in sorted(context.methods or []):
                if method != "HEAD":
                    yield Route(method, path), bool(context.include_in_schema)


def _all_routes() -> tuple[list[Route], list[Route]]:
    from tastemaker.app import create_app

    app = create_app()
    api, pages = [], []
    for route, _in_schema in _routes(app):
        if route.path.startswith("/api/"):
            api.append(route)
        elif route.path not in PUBLIC_PAGES and route.id not in PUBLIC_PAGES:
            pages.append(route)
    return api, pages


API_ROUTES, PAGE_ROUTES = _all_routes()


def _url(route: Route, objects: Objects, slug: str) -> str:
    url = route.path
    for param in route.params:
        value = slug if param == "slug" else objects.ids.get(param)
        assert value is not None, f"tests/access_samples.py needs an object for {{{param}}}"
        url = url.replace("{" + param + "}", str(value))
    return url


def _call(
    client: TestClient,
    route: Route,
    url: str,
    sample: dict[str, Any] | None,
    headers: dict[str, str] | None = None,
    form: bool = False,
) -> Any:
    kwargs: dict[str, Any] = {"headers": headers or {}, "follow_redirects": False}
    sample = sample or {}
    if form:
        kwargs["data"] = sample.get("data", {})
        if "files" in sample:
            kwargs["files"] = sample["files"]()
    elif "json" in sample:
        kwargs["json"] = sample["json"]
    elif "files" in sample:
        kwargs["files"] = sample["files"]()
    if "params" in sample:
        kwargs["params"] = sample["params"]
    return client.request(route.method, url, **kwargs)


@pytest.fixture
def objects(db: Session, world: World) -> Objects:
    built = build_objects(db, world, MARKER)
    db.commit()
    return built


def _sample(
    samples: dict[str, Callable[[Objects], dict[str, Any]]], route: Route, objects: Objects
) -> dict[str, Any] | None:
    factory = samples.get(route.id)
    if factory is None:
        if route.method in WRITE_METHODS or route.id in samples:
            pytest.fail(f"add a sample request for {route.id} to tests/access_samples.py")
        return None
    return factory(objects)


# ---------------------------------------------------------------- JSON API


@pytest.mark.parametrize("route", API_ROUTES, ids=lambda r: r.id)
def test_api_anonymous_is_401(
    client: TestClient, world: World, objects: Objects, route: Route
) -> None:
    response = _call(
        client, route, _url(route, objects, world.a.slug), _sample(API_SAMPLES, route, objects)
    )
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] in {"not_authenticated", "invalid_api_key"}


@pytest.mark.parametrize("route", API_ROUTES, ids=lambda r: r.id)
def test_api_other_workspace_sees_nothing(
    client: TestClient, world: World, objects: Objects, route: Route
) -> None:
    response = _call(
        client,
        route,
        _url(route, objects, world.a.slug),
        _sample(API_SAMPLES, route, objects),
        world.headers("b_owner"),
    )
    if route.private_params:
        assert response.status_code == 404, response.text
    else:
        assert response.status_code < 500, response.text
    assert MARKER not in response.text.lower()


@pytest.mark.parametrize(
    "route", [r for r in API_ROUTES if r.method in WRITE_METHODS], ids=lambda r: r.id
)
def test_api_analyst_cannot_write(
    client: TestClient, world: World, objects: Objects, route: Route
) -> None:
    response = _call(
        client,
        route,
        _url(route, objects, world.a.slug),
        _sample(API_SAMPLES, route, objects),
        world.headers("a_analyst"),
    )
    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("route", API_ROUTES, ids=lambda r: r.id)
def test_api_own_member_succeeds(
    client: TestClient, world: World, objects: Objects, route: Route
) -> None:
    response = _call(
        client,
        route,
        _url(route, objects, world.a.slug),
        _sample(API_SAMPLES, route, objects),
        world.headers("a_owner"),
    )
    assert 200 <= response.status_code < 300, response.text


# ---------------------------------------------------------------- pages


def _page_sample(route: Route, objects: Objects, csrf: str) -> dict[str, Any]:
    sample = _sample(PAGE_SAMPLES, route, objects) or {}
    if route.method in WRITE_METHODS:
        sample = {**sample, "data": {"csrf_token": csrf, **sample.get("data", {})}}
    return sample


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=lambda r: r.id)
def test_page_anonymous_is_sent_to_sign_in(
    client: TestClient, world: World, objects: Objects, route: Route
) -> None:
    client.cookies.set("tm_csrf", "anon-csrf")
    response = _call(
        client,
        route,
        _url(route, objects, world.a.slug),
        _page_sample(route, objects, "anon-csrf"),
        form=True,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(
    "route", [r for r in PAGE_ROUTES if "{slug}" in r.path], ids=lambda r: r.id
)
def test_page_other_workspace_is_404(
    client: TestClient, db: Session, world: World, objects: Objects, route: Route
) -> None:
    csrf = sign_in(client, db, world.users["b_owner"])
    response = _call(
        client,
        route,
        _url(route, objects, world.a.slug),
        _page_sample(route, objects, csrf),
        form=True,
    )
    assert response.status_code == 404, response.text
    assert MARKER not in response.text.lower()


@pytest.mark.parametrize(
    "route",
    [r for r in PAGE_ROUTES if r.method in WRITE_METHODS and "{slug}" in r.path],
    ids=lambda r: r.id,
)
def test_page_analyst_cannot_write(
    client: TestClient, db: Session, world: World, objects: Objects, route: Route
) -> None:
    csrf = sign_in(client, db, world.users["a_analyst"])
    response = _call(
        client,
        route,
        _url(route, objects, world.a.slug),
        _page_sample(route, objects, csrf),
        form=True,
    )
    assert response.status_code == 403, response.text


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=lambda r: r.id)
def test_page_own_member_succeeds(
    client: TestClient, db: Session, world: World, objects: Objects, route: Route
) -> None:
    user = objects.invitee if route.path.startswith("/invitations/") else world.users["a_owner"]
    csrf = sign_in(client, db, user)
    response = _call(
        client,
        route,
        _url(route, objects, world.a.slug),
        _page_sample(route, objects, csrf),
        form=True,
    )
    assert response.status_code in (200, 201, 204, 303), response.text
    # A form whose hidden CSRF field rendered empty would be refused in a real browser.
    assert 'name="csrf_token" value=""' not in response.text
    if response.status_code == 303:
        assert not response.headers["location"].startswith("/login")


def test_every_workspace_page_is_under_the_workspace_slug() -> None:
    stray = [
        r.id
        for r in PAGE_ROUTES
        if "{slug}" not in r.path
        and r.path not in {"/", "/workspaces", "/invitations/{token}", "/w/{slug}"}
    ]
    assert stray == [], "pages outside /w/{slug} must be listed as public or account pages"
