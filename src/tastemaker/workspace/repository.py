from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from tastemaker.account.models import User
from tastemaker.kit.repository import WorkspaceRepository
from tastemaker.workspace.models import ApiKey, AuditEvent, Invitation, Membership, Workspace


def workspaces_of_user(session: Session, user_id: int) -> Sequence[tuple[Workspace, Membership]]:
    rows = session.execute(
        select(Workspace, Membership)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(Membership.user_id == user_id)
        .order_by(Workspace.name)
    ).all()
    return [(w, m) for w, m in rows]


def workspace_by_slug(session: Session, slug: str) -> Workspace | None:
    return session.scalars(select(Workspace).where(Workspace.slug == slug)).first()


def slug_taken(session: Session, slug: str) -> bool:
    return session.scalar(select(Workspace.id).where(Workspace.slug == slug)) is not None


def api_key_by_hash(session: Session, key_hash: str) -> ApiKey | None:
    return session.scalars(
        select(ApiKey).where(ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None))
    ).first()


def invitation_by_hash(session: Session, token_hash: str) -> Invitation | None:
    return session.scalars(select(Invitation).where(Invitation.token_hash == token_hash)).first()


class MembershipRepository(WorkspaceRepository[Membership]):
    model = Membership

    def for_user(self, user_id: int) -> Membership | None:
        return self.session.scalars(self.select().where(Membership.user_id == user_id)).first()

    def with_users(self) -> Sequence[tuple[Membership, User]]:
        rows = self.session.execute(
            self.select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .order_by(User.email)
        ).all()
        return [(m, u) for m, u in rows]


class InvitationRepository(WorkspaceRepository[Invitation]):
    model = Invitation

    def pending(self) -> Sequence[Invitation]:
        return self.session.scalars(
            self.select()
            .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
            .order_by(Invitation.created_at.desc())
        ).all()


class ApiKeyRepository(WorkspaceRepository[ApiKey]):
    model = ApiKey

    def all(self) -> Sequence[ApiKey]:
        return self.session.scalars(self.select().order_by(ApiKey.created_at.desc())).all()


class AuditRepository(WorkspaceRepository[AuditEvent]):
    model = AuditEvent

    def recent(self, limit: int = 100) -> Sequence[AuditEvent]:
        return self.session.scalars(
            self.select().order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
        ).all()
