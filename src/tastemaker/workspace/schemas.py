from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from tastemaker.workspace.models import Role, WorkspaceKind


class WorkspaceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    slug: str
    kind: WorkspaceKind
    default_currency: str
    timezone: str
    role: Role = Field(description="the role of the calling key in this workspace")


class MemberRead(BaseModel):
    id: int
    user_id: int
    email: str
    name: str
    role: Role


class RoleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role


class InvitationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320)
    role: Role = Role.manager


class InvitationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    role: Role
    created_at: datetime
    expires_at: datetime


class InvitationCreated(InvitationRead):
    link: str = Field(description="the acceptance link; shown once")


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    role: Role = Role.analyst


class ApiKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    role: Role
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    secret: str = Field(description="the key itself; shown only in this response")


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    action: str
    subject_type: str
    subject_id: int | None
    actor_user_id: int | None
    actor_api_key_id: int | None
    details: dict[str, object]
    at: datetime
