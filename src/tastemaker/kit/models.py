"""Column mixins every domain's models reuse."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from tastemaker.kit.db import BigId
from tastemaker.kit.time import UTCDateTime, utcnow


class IdMixin:
    id: Mapped[int] = mapped_column(BigId, primary_key=True)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class WorkspaceScoped:
    """Rows that belong to one workspace; repositories filter on this column always."""

    @declared_attr
    def workspace_id(cls) -> Mapped[int]:
        return mapped_column(
            BigId, ForeignKey("workspace.id", ondelete="CASCADE"), index=True, nullable=False
        )
