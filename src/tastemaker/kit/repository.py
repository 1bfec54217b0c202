"""Tenant scoping is structural: a workspace repository cannot be built without one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.base import ExecutableOption

from tastemaker.kit.errors import NotFound
from tastemaker.kit.ids import is_valid_id

M = TypeVar("M")


class WorkspaceRepository(Generic[M]):
    model: type[M]

    def __init__(self, session: Session, workspace_id: int) -> None:
        if not isinstance(workspace_id, int) or workspace_id <= 0:
            # Fail closed: a missing or bogus workspace never widens a query.
            raise ValueError("a workspace repository needs a workspace id")
        self.session = session
        self.workspace_id = workspace_id

    def select(self, *entities: Any) -> Select[Any]:
        stmt = select(*entities) if entities else select(self.model)
        return stmt.where(self.model.workspace_id == self.workspace_id)  # type: ignore[attr-defined]

    def get(self, object_id: int, options: Sequence[ExecutableOption] = ()) -> M | None:
        """`options`: loader options (joinedload, undefer...) for what the caller needs."""
        if not is_valid_id(object_id):
            return None
        return self.session.scalars(
            self.select()
            .where(self.model.id == object_id)  # type: ignore[attr-defined]
            .options(*options)
        ).first()

    def get_or_404(
        self, object_id: int, what: str | None = None, options: Sequence[ExecutableOption] = ()
    ) -> M:
        found = self.get(object_id, options)
        if found is None:
            raise NotFound(f"{what or self.model.__name__.lower()} {object_id} not found")
        return found

    def add(self, obj: M) -> M:
        if obj.workspace_id != self.workspace_id:  # type: ignore[attr-defined]
            raise ValueError("object belongs to another workspace")
        self.session.add(obj)
        self.session.flush()
        return obj


class AccountReportRepository(WorkspaceRepository[M]):
    """A workspace's reports about platform accounts (audience checks, brand-safety scans):
    models with `account_id`, `created_at` and an `account` relationship."""

    def for_account(self, account: Any, limit: int) -> Sequence[M]:
        """Newest first; the id breaks ties between reports saved in the same instant. Each
        report's `account` is the one given, not joined again onto every row."""
        model: Any = self.model
        reports = self.session.scalars(
            self.select()
            .where(model.account_id == account.id)
            .order_by(model.created_at.desc(), model.id.desc())
            .limit(limit)
        ).all()
        for report in reports:
            set_committed_value(report, "account", account)
        return reports
