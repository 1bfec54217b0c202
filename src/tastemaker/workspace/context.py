"""Who is acting, in which workspace, with which role: passed to every workspace service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from tastemaker.kit.errors import PermissionDenied
from tastemaker.workspace.models import Role, Workspace


@dataclass
class Context:
    session: Session
    workspace: Workspace
    role: Role
    user_id: int | None = None
    api_key_id: int | None = None
    timezone: str = "UTC"
    # Side effects (e-mails) run only after the request's transaction commits.
    after_commit: list[Callable[[], object]] = field(default_factory=list)

    @property
    def workspace_id(self) -> int:
        return self.workspace.id

    def require_write(self) -> None:
        if not self.role.can_write:
            raise PermissionDenied("your role in this workspace is read-only")

    def require_owner(self) -> None:
        if not self.role.can_administer:
            raise PermissionDenied("only a workspace owner can do this")
