"""Workspaces, members and roles, invitations, API keys, and the audit trail."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tastemaker.account.models import User
from tastemaker.account.service import normalise_email
from tastemaker.kit.errors import Conflict, NotFound, ValidationFailed
from tastemaker.kit.mail import send_mail
from tastemaker.kit.money import MoneyError, validate_currency
from tastemaker.kit.security import new_token, token_hash
from tastemaker.kit.settings import get_settings
from tastemaker.kit.time import is_valid_zone, utcnow
from tastemaker.workspace import repository as repo
from tastemaker.workspace.context import Context
from tastemaker.workspace.models import (
    ApiKey,
    AuditEvent,
    Invitation,
    Membership,
    Role,
    Workspace,
    WorkspaceKind,
)

API_KEY_PREFIX = "tm_"
INVITATION_LIFETIME = timedelta(days=7)


def record(
    ctx: Context, action: str, subject_type: str, subject_id: int | None, **details: Any
) -> None:
    ctx.session.add(
        AuditEvent(
            workspace_id=ctx.workspace_id,
            actor_user_id=ctx.user_id,
            actor_api_key_id=ctx.api_key_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            details=details,
        )
    )


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:60] or "workspace"


def create_workspace(
    session: Session,
    owner: User,
    *,
    name: str,
    kind: WorkspaceKind = WorkspaceKind.brand,
    default_currency: str = "USD",
    timezone: str = "UTC",
) -> Workspace:
    name = name.strip()
    if not name:
        raise ValidationFailed("a workspace name is required", details={"field": "name"})
    if len(name) > 200:
        raise ValidationFailed("the name is too long (200 at most)", details={"field": "name"})
    try:
        currency = validate_currency(default_currency)
    except MoneyError as exc:
        raise ValidationFailed(str(exc), details={"field": "default_currency"}) from exc
    if not is_valid_zone(timezone):
        raise ValidationFailed(f"unknown time zone {timezone!r}", details={"field": "timezone"})
    base = slugify(name)
    slug, n = base, 1
    while repo.slug_taken(session, slug):
        n += 1
        slug = f"{base}-{n}"
    workspace = Workspace(
        name=name, slug=slug, kind=kind, default_currency=currency, timezone=timezone
    )
    session.add(workspace)
    session.flush()
    session.add(Membership(workspace_id=workspace.id, user_id=owner.id, role=Role.owner))
    session.add(
        AuditEvent(
            workspace_id=workspace.id,
            actor_user_id=owner.id,
            action="workspace.created",
            subject_type="workspace",
            subject_id=workspace.id,
            details={"name": name},
        )
    )
    session.flush()
    return workspace


def context_for_user(session: Session, user: User, workspace: Workspace) -> Context:
    """404, not 403, for a workspace the user is not in: its existence is not revealed."""
    membership = repo.MembershipRepository(session, workspace.id).for_user(user.id)
    if membership is None:
        raise NotFound("workspace not found")
    return Context(
        session=session,
        workspace=workspace,
        role=membership.role,
        user_id=user.id,
        timezone=user.timezone,
    )


def members(ctx: Context) -> Sequence[tuple[Membership, User]]:
    return repo.MembershipRepository(ctx.session, ctx.workspace_id).with_users()


def change_role(ctx: Context, membership_id: int, role: Role) -> Membership:
    ctx.require_owner()
    memberships = repo.MembershipRepository(ctx.session, ctx.workspace_id)
    membership = memberships.get_or_404(membership_id, "member")
    if membership.role is Role.owner and role is not Role.owner:
        _ensure_another_owner(ctx, membership)
    membership.role = role
    record(ctx, "member.role_changed", "membership", membership.id, role=role.value)
    ctx.session.flush()
    return membership


def remove_member(ctx: Context, membership_id: int) -> None:
    ctx.require_owner()
    memberships = repo.MembershipRepository(ctx.session, ctx.workspace_id)
    membership = memberships.get_or_404(membership_id, "member")
    if membership.role is Role.owner:
        _ensure_another_owner(ctx, membership)
    record(ctx, "member.removed", "membership", membership.id, user_id=membership.user_id)
    ctx.session.delete(membership)
    ctx.session.flush()


def _ensure_another_owner(ctx: Context, leaving: Membership) -> None:
    owners = [m for m, _ in members(ctx) if m.role is Role.owner and m.id != leaving.id]
    if not owners:
        raise Conflict("a workspace needs at least one owner")


@dataclass
class NewInvitation:
    invitation: Invitation
    token: str
    link: str


def invite(ctx: Context, email: str, role: Role) -> NewInvitation:
    ctx.require_owner()
    email = normalise_email(email)
    for _membership, user in members(ctx):
        if user.email == email:
            raise Conflict(f"{email} is already a member", details={"field": "email"})
    token = new_token()
    invitation = Invitation(
        workspace_id=ctx.workspace_id,
        email=email,
        role=role,
        token_hash=token_hash(token),
        invited_by_id=ctx.user_id,
        expires_at=utcnow() + INVITATION_LIFETIME,
    )
    repo.InvitationRepository(ctx.session, ctx.workspace_id).add(invitation)
    record(ctx, "member.invited", "invitation", invitation.id, email=email, role=role.value)
    link = f"{get_settings().base_url}/invitations/{token}"
    workspace_name = ctx.workspace.name
    ctx.after_commit.append(
        lambda: send_mail(
            email,
            f"You are invited to {workspace_name} on Tastemaker",
            f"You have been invited to join {workspace_name} as {role.value}.\n\n"
            f"Accept the invitation (valid 7 days):\n{link}\n",
        )
    )
    return NewInvitation(invitation, token, link)


def pending_invitations(ctx: Context) -> Sequence[Invitation]:
    return repo.InvitationRepository(ctx.session, ctx.workspace_id).pending()


def revoke_invitation(ctx: Context, invitation_id: int) -> None:
    ctx.require_owner()
    invitation = repo.InvitationRepository(ctx.session, ctx.workspace_id).get_or_404(
        invitation_id, "invitation"
    )
    invitation.revoked_at = utcnow()
    record(ctx, "member.invitation_revoked", "invitation", invitation.id)
    ctx.session.flush()


def invitation_for_token(session: Session, token: str) -> tuple[Invitation, Workspace]:
    invitation = repo.invitation_by_hash(session, token_hash(token))
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= utcnow()
    ):
        raise NotFound("this invitation is invalid, used or expired")
    workspace = session.get(Workspace, invitation.workspace_id)
    if workspace is None:
        raise NotFound("this invitation is invalid, used or expired")
    return invitation, workspace


def accept_invitation(session: Session, user: User, token: str) -> Workspace:
    invitation, workspace = invitation_for_token(session, token)
    if invitation.email != user.email:
        raise ValidationFailed("this invitation was sent to another e-mail address")
    memberships = repo.MembershipRepository(session, workspace.id)
    if memberships.for_user(user.id) is None:
        memberships.add(
            Membership(workspace_id=workspace.id, user_id=user.id, role=invitation.role)
        )
    invitation.accepted_at = utcnow()
    session.add(
        AuditEvent(
            workspace_id=workspace.id,
            actor_user_id=user.id,
            action="member.joined",
            subject_type="invitation",
            subject_id=invitation.id,
            details={"role": invitation.role.value},
        )
    )
    session.flush()
    return workspace


@dataclass
class NewApiKey:
    api_key: ApiKey
    secret: str  # shown once, never stored


def create_api_key(ctx: Context, name: str, role: Role) -> NewApiKey:
    ctx.require_owner()
    name = name.strip()
    if not name:
        raise ValidationFailed("a key name is required", details={"field": "name"})
    if len(name) > 120:
        raise ValidationFailed("the name is too long (120 at most)", details={"field": "name"})
    secret = API_KEY_PREFIX + new_token(30)
    api_key = ApiKey(
        workspace_id=ctx.workspace_id,
        name=name,
        prefix=secret[:10],
        key_hash=token_hash(secret),
        role=role,
        created_by_id=ctx.user_id,
    )
    repo.ApiKeyRepository(ctx.session, ctx.workspace_id).add(api_key)
    record(ctx, "api_key.created", "api_key", api_key.id, name=name, role=role.value)
    return NewApiKey(api_key, secret)


def api_keys(ctx: Context) -> Sequence[ApiKey]:
    return repo.ApiKeyRepository(ctx.session, ctx.workspace_id).all()


def revoke_api_key(ctx: Context, api_key_id: int) -> ApiKey:
    ctx.require_owner()
    api_key = repo.ApiKeyRepository(ctx.session, ctx.workspace_id).get_or_404(api_key_id, "API key")
    if api_key.revoked_at is None:
        api_key.revoked_at = utcnow()
        record(ctx, "api_key.revoked", "api_key", api_key.id)
    ctx.session.flush()
    return api_key


def context_for_api_key(session: Session, secret: str) -> Context | None:
    if not secret.startswith(API_KEY_PREFIX):
        return None
    api_key = repo.api_key_by_hash(session, token_hash(secret))
    if api_key is None:
        return None
    workspace = session.get(Workspace, api_key.workspace_id)
    if workspace is None:
        return None
    api_key.last_used_at = utcnow()
    return Context(
        session=session,
        workspace=workspace,
        role=api_key.role,
        api_key_id=api_key.id,
        timezone=workspace.timezone,
    )


def audit_trail(ctx: Context, limit: int = 100) -> Sequence[AuditEvent]:
    return repo.AuditRepository(ctx.session, ctx.workspace_id).recent(limit)


def context_for_cli(session: Session, slug: str | None) -> Context:
    """The CLI runs as the machine's operator: owner rights in the named workspace. With no
    name given it takes the only workspace there is, and otherwise says which exist."""

    if slug:
        workspace = repo.workspace_by_slug(session, slug)
        if workspace is None:
            raise NotFound(f"no workspace {slug!r}; `--workspace` takes a slug")
    else:
        found = session.scalars(select(Workspace).order_by(Workspace.slug).limit(11)).all()
        if len(found) != 1:
            names = ", ".join(w.slug for w in found[:10]) or "none yet"
            raise ValidationFailed(
                f"name a workspace with --workspace (or TASTEMAKER_WORKSPACE); there are: {names}"
            )
        workspace = found[0]
    return Context(
        session=session, workspace=workspace, role=Role.owner, timezone=workspace.timezone
    )
