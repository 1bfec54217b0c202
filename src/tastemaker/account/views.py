"""Sign-up, sign-in, sign-out, password reset, invitations and the workspace picker."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tastemaker.account import service
from tastemaker.account.models import User
from tastemaker.kit.errors import DomainError
from tastemaker.kit.settings import get_settings
from tastemaker.web.deps import (
    SESSION_COOKIE,
    CurrentUser,
    Db,
    OptionalUser,
    PageContext,
    remember_viewer,
    verify_csrf,
)
from tastemaker.web.templating import render
from tastemaker.workspace import repository as workspace_repo
from tastemaker.workspace import service as workspace_service
from tastemaker.workspace.models import WorkspaceKind

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after sign-in would help phishing."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _signed_in(request: Request, db: Db, user: User, target: str) -> Response:
    memberships = workspace_repo.workspaces_of_user(db, user.id)
    # A new session opens the workspace the person joined first (their own, usually).
    first = (
        min(memberships, key=lambda wm: (wm[1].created_at, wm[1].id))[0].id if memberships else None
    )
    started = service.start_session(db, user, first)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        started.token,
        max_age=int(service.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=get_settings().cookies_secure,
        path="/",
    )
    return response


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, found: OptionalUser, next: str = "/") -> Response:
    if found is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "account/login.html", {"next": _safe_next(next), "errors": {}})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    db: Db,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        user = service.authenticate(db, email=email, password=password, client=_client(request))
    except DomainError as exc:
        # The failed attempt must be recorded even though the page shows an error.
        db.commit()
        return render(
            request,
            "account/login.html",
            {"next": _safe_next(next), "email": email, "errors": {"_form": exc.message}},
            status_code=exc.status_code,
        )
    return _signed_in(request, db, user, _safe_next(next))


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request, next: str = "/") -> Response:
    return render(request, "account/signup.html", {"next": _safe_next(next), "errors": {}})


@router.post("/signup", response_class=HTMLResponse)
def signup(
    request: Request,
    db: Db,
    email: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    workspace_name: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    values = {"email": email, "name": name, "workspace_name": workspace_name}
    try:
        with db.begin_nested():
            user = service.register(db, email=email, name=name, password=password)
            if workspace_name.strip():
                workspace_service.create_workspace(db, user, name=workspace_name)
    except DomainError as exc:
        field = (
            (exc.details or {}).get("field", "_form") if isinstance(exc.details, dict) else "_form"
        )
        if field == "name" and "workspace" in exc.message:
            field = "workspace_name"
        return render(
            request,
            "account/signup.html",
            {"next": _safe_next(next), "errors": {field: exc.message}, **values},
            status_code=exc.status_code,
        )
    return _signed_in(request, db, user, _safe_next(next))


@router.post("/logout")
def logout(request: Request, db: Db) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        service.end_session(db, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/forgot-password", response_class=HTMLResponse)
def forgot_page(request: Request) -> Response:
    return render(request, "account/forgot.html", {"sent": False})


@router.post("/forgot-password", response_class=HTMLResponse)
def forgot(request: Request, db: Db, email: Annotated[str, Form()] = "") -> Response:
    service.request_password_reset(db, email, request.state.after_commit)
    # The same answer whether or not an account exists.
    return render(request, "account/forgot.html", {"sent": True})


@router.get("/reset-password", response_class=HTMLResponse)
def reset_page(request: Request, token: str = "") -> Response:
    return render(request, "account/reset.html", {"token": token, "errors": {}})


@router.post("/reset-password", response_class=HTMLResponse)
def reset(
    request: Request,
    db: Db,
    token: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    try:
        service.reset_password(db, token, password)
    except DomainError as exc:
        return render(
            request,
            "account/reset.html",
            {"token": token, "errors": {"_form": exc.message}},
            status_code=exc.status_code,
        )
    return render(
        request,
        "account/login.html",
        {"next": "/", "errors": {}, "flashes": ["Your password was changed. Sign in with it."]},
    )


@router.get("/invitations/{token}", response_class=HTMLResponse)
def invitation_page(request: Request, token: str, db: Db, found: OptionalUser) -> Response:
    invitation, workspace = workspace_service.invitation_for_token(db, token)
    return render(
        request,
        "account/invitation.html",
        {
            "invitation": invitation,
            "invited_workspace": workspace,
            "token": token,
            "signed_in_user": found[1] if found else None,
            "next": f"/invitations/{token}",
        },
    )


@router.post("/invitations/{token}")
def accept_invitation(token: str, db: Db, found: CurrentUser) -> Response:
    _session, user = found
    workspace = workspace_service.accept_invitation(db, user, token)
    return RedirectResponse(f"/w/{workspace.slug}/creators", status_code=303)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, db: Db, found: OptionalUser) -> Response:
    if found is None:
        return RedirectResponse("/login", status_code=303)
    user_session, user = found
    memberships = workspace_repo.workspaces_of_user(db, user.id)
    for workspace, _membership in memberships:
        if workspace.id == user_session.current_workspace_id:
            return RedirectResponse(f"/w/{workspace.slug}/creators", status_code=303)
    if memberships:
        return RedirectResponse(f"/w/{memberships[0][0].slug}/creators", status_code=303)
    return RedirectResponse("/workspaces", status_code=303)


@router.get("/workspaces", response_class=HTMLResponse)
def workspaces_page(request: Request, db: Db, found: CurrentUser) -> Response:
    _session, user = found
    remember_viewer(request, user)
    return render(
        request,
        "account/workspaces.html",
        {
            "memberships": workspace_repo.workspaces_of_user(db, user.id),
            "errors": {},
            "kinds": list(WorkspaceKind),
        },
    )


@router.post("/workspaces", response_class=HTMLResponse)
def create_workspace(
    request: Request,
    db: Db,
    found: CurrentUser,
    name: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "brand",
    default_currency: Annotated[str, Form()] = "USD",
    timezone: Annotated[str, Form()] = "UTC",
) -> Response:
    _session, user = found
    remember_viewer(request, user)
    try:
        workspace_kind = WorkspaceKind(kind)
        workspace = workspace_service.create_workspace(
            db,
            user,
            name=name,
            kind=workspace_kind,
            default_currency=default_currency,
            timezone=timezone,
        )
    except (DomainError, ValueError) as exc:
        message = exc.message if isinstance(exc, DomainError) else f"unknown kind {kind!r}"
        return render(
            request,
            "account/workspaces.html",
            {
                "memberships": workspace_repo.workspaces_of_user(db, user.id),
                "errors": {"_form": message},
                "name": name,
                "kinds": list(WorkspaceKind),
            },
            status_code=422,
        )
    return RedirectResponse(f"/w/{workspace.slug}/creators", status_code=303)


@router.get("/w/{slug}")
def workspace_home(slug: str, ctx: PageContext) -> Response:
    return RedirectResponse(f"/w/{slug}/creators", status_code=303)
