"""Every query of the imports domain, scoped to one workspace."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Select, delete, func, insert, select

from tastemaker.imports.models import ImportJob, ImportRowError
from tastemaker.kit.repository import WorkspaceRepository


class ImportJobRepository(WorkspaceRepository[ImportJob]):
    model = ImportJob

    def recent(self, limit: int = 50) -> Sequence[ImportJob]:
        return self.session.scalars(
            self.select().order_by(ImportJob.created_at.desc(), ImportJob.id.desc()).limit(limit)
        ).all()

    def _errors_of(self, job_id: int) -> Select[Any]:
        # Row errors carry no workspace of their own; the join to their job scopes them.
        return (
            select(ImportRowError)
            .join(ImportJob, ImportJob.id == ImportRowError.job_id)
            .where(ImportJob.workspace_id == self.workspace_id, ImportJob.id == job_id)
        )

    def errors(self, job_id: int, offset: int = 0, limit: int = 100) -> Sequence[ImportRowError]:
        return self.session.scalars(
            self._errors_of(job_id)
            .order_by(ImportRowError.row_number, ImportRowError.id)
            .offset(offset)
            .limit(limit)
        ).all()

    def error_count(self, job_id: int) -> int:
        subquery = self._errors_of(job_id).subquery()
        return self.session.scalar(select(func.count()).select_from(subquery)) or 0

    def iter_errors(self, job_id: int) -> Iterator[ImportRowError]:
        yield from self.session.scalars(
            self._errors_of(job_id)
            .order_by(ImportRowError.row_number, ImportRowError.id)
            .execution_options(yield_per=2000)
        )

    def add_errors(self, job_id: int, rows: Sequence[dict[str, Any]]) -> None:
        self.get_or_404(job_id, "import")  # never write under another workspace's job
        if rows:
            self.session.execute(insert(ImportRowError), [{**r, "job_id": job_id} for r in rows])

    def delete_errors(self, job_id: int) -> None:
        self.get_or_404(job_id, "import")
        self.session.execute(delete(ImportRowError).where(ImportRowError.job_id == job_id))
