"""Workspace settings pages: members and roles, invitations, API keys, audit trail."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tastemaker.kit.errors import DomainError
from tastemaker.kit.ids import IdPath
from tastemaker.web.deps import PageContext, PageOwner, verify_csrf
from tastemaker.web.templating import render
from tastemaker.workspace import service
from tastemaker.workspace.context import Context
from tastemaker.workspace.models import Role

router = APIRouter(prefix="/w/{slug}", dependencies=[Depends(verify_csrf)], include_in_schema=False)


def _settings(request: Request, ctx: Context, status_code: int = 200, **extra: Any) -> Response:
    owner = ctx.role.can_administer
    data: dict[str, Any] = {
        "nav": "settings",
        "members": service.members(ctx),
        "invitations": service.pending_invitations(ctx) if owner else [],
        "api_keys": service.api_keys(ctx) if owner else [],
        "audit": service.audit_trail(ctx, 50),
        "roles": list(Role),
        "errors": {},
    }
    data.update(extra)
    return render(request, "workspace/settings.html", data, status_code)


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, ctx: PageContext) -> Response:
    return _settings(request, ctx)


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError as exc:
        raise DomainError(f"unknown role {value!r}", code="validation_failed") from exc


@router.post("/settings/invitations", response_class=HTMLResponse)
def invite(
    request: Request,
    ctx: PageOwner,
    email: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "manager",
) -> Response:
    try:
        created = service.invite(ctx, email, _role(role))
    except DomainError as exc:
        return _settings(request, ctx, 422, errors={"invite": exc.message}, invite_email=email)
    return _settings(
        request,
        ctx,
        flashes=[f"Invitation sent to {created.invitation.email}."],
        invite_link=created.link,
    )


@router.post("/settings/invitations/{invitation_id}/revoke")
def revoke_invitation(slug: str, invitation_id: IdPath, ctx: PageOwner) -> Response:
    service.revoke_invitation(ctx, invitation_id)
    return RedirectResponse(f"/w/{slug}/settings", status_code=303)


@router.post("/settings/members/{membership_id}/role", response_class=HTMLResponse)
def change_role(
    request: Request,
    slug: str,
    membership_id: IdPath,
    ctx: PageOwner,
    role: Annotated[str, Form()] = "",
) -> Response:
    try:
        service.change_role(ctx, membership_id, _role(role))
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        return _settings(request, ctx, exc.status_code, errors={"members": exc.message})
    return RedirectResponse(f"/w/{slug}/settings", status_code=303)


@router.post("/settings/members/{membership_id}/remove", response_class=HTMLResponse)
def remove_member(request: Request, slug: str, membership_id: IdPath, ctx: PageOwner) -> Response:
    try:
        service.remove_member(ctx, membership_id)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        return _settings(request, ctx, exc.status_code, errors={"members": exc.message})
    return RedirectResponse(f"/w/{slug}/settings", status_code=303)


@router.post("/settings/api-keys", response_class=HTMLResponse)
def create_api_key(
    request: Request,
    ctx: PageOwner,
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "analyst",
) -> Response:
    try:
        created = service.create_api_key(ctx, name, _role(role))
    except DomainError as exc:
        return _settings(request, ctx, 422, errors={"api_key": exc.message})
    return _settings(request, ctx, new_secret=created.secret, new_key_name=created.api_key.name)


@router.post("/settings/api-keys/{api_key_id}/revoke")
def revoke_api_key(slug: str, api_key_id: IdPath, ctx: PageOwner) -> Response:
    service.revoke_api_key(ctx, api_key_id)
    return RedirectResponse(f"/w/{slug}/settings", status_code=303)
