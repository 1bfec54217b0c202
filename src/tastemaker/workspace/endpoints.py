from __future__ import annotations

from fastapi import APIRouter, status

from tastemaker.kit.ids import IdPath
from tastemaker.web.deps import ApiContext, ApiOwner
from tastemaker.workspace import service
from tastemaker.workspace.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    AuditEventRead,
    InvitationCreate,
    InvitationCreated,
    InvitationRead,
    MemberRead,
    RoleUpdate,
    WorkspaceRead,
)

router = APIRouter(prefix="/workspace", tags=["workspace"])


@router.get("", response_model=WorkspaceRead)
def read_workspace(ctx: ApiContext) -> WorkspaceRead:
    ws = ctx.workspace
    return WorkspaceRead(
        id=ws.id,
        name=ws.name,
        slug=ws.slug,
        kind=ws.kind,
        default_currency=ws.default_currency,
        timezone=ws.timezone,
        role=ctx.role,
    )


@router.get("/members", response_model=list[MemberRead])
def list_members(ctx: ApiContext) -> list[MemberRead]:
    return [
        MemberRead(id=m.id, user_id=u.id, email=u.email, name=u.name, role=m.role)
        for m, u in service.members(ctx)
    ]


@router.patch("/members/{membership_id}", response_model=MemberRead)
def update_member(membership_id: IdPath, body: RoleUpdate, ctx: ApiOwner) -> MemberRead:
    membership = service.change_role(ctx, membership_id, body.role)
    user = next(u for m, u in service.members(ctx) if m.id == membership.id)
    return MemberRead(
        id=membership.id, user_id=user.id, email=user.email, name=user.name, role=membership.role
    )


@router.delete("/members/{membership_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_member(membership_id: IdPath, ctx: ApiOwner) -> None:
    service.remove_member(ctx, membership_id)


@router.get("/invitations", response_model=list[InvitationRead])
def list_invitations(ctx: ApiOwner) -> list[InvitationRead]:
    return [InvitationRead.model_validate(i) for i in service.pending_invitations(ctx)]


@router.post("/invitations", response_model=InvitationCreated, status_code=201)
def create_invitation(body: InvitationCreate, ctx: ApiOwner) -> InvitationCreated:
    created = service.invite(ctx, body.email, body.role)
    return InvitationCreated(
        **InvitationRead.model_validate(created.invitation).model_dump(), link=created.link
    )


@router.delete("/invitations/{invitation_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_invitation(invitation_id: IdPath, ctx: ApiOwner) -> None:
    service.revoke_invitation(ctx, invitation_id)


@router.get("/api-keys", response_model=list[ApiKeyRead])
def list_api_keys(ctx: ApiOwner) -> list[ApiKeyRead]:
    return [ApiKeyRead.model_validate(k) for k in service.api_keys(ctx)]


@router.post("/api-keys", response_model=ApiKeyCreated, status_code=201)
def create_api_key(body: ApiKeyCreate, ctx: ApiOwner) -> ApiKeyCreated:
    created = service.create_api_key(ctx, body.name, body.role)
    return ApiKeyCreated(
        **ApiKeyRead.model_validate(created.api_key).model_dump(), secret=created.secret
    )


@router.delete("/api-keys/{api_key_id}", response_model=ApiKeyRead)
def revoke_api_key(api_key_id: IdPath, ctx: ApiOwner) -> ApiKeyRead:
    return ApiKeyRead.model_validate(service.revoke_api_key(ctx, api_key_id))


@router.get("/audit", response_model=list[AuditEventRead])
def audit(ctx: ApiContext, limit: int = 100) -> list[AuditEventRead]:
    return [
        AuditEventRead.model_validate(e) for e in service.audit_trail(ctx, max(1, min(limit, 500)))
    ]
