"""An import of a creator list: the uploaded file, its column mapping, progress and report."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tastemaker.kit.db import Base, BigId
from tastemaker.kit.enums import str_enum
from tastemaker.kit.models import IdMixin, WorkspaceScoped
from tastemaker.kit.time import UTCDateTime, utcnow


class ImportStatus(enum.StrEnum):
    uploaded = "uploaded"  # waiting for the user to confirm the column mapping
    running = "running"
    completed = "completed"
    failed = "failed"


class ImportJob(IdMixin, WorkspaceScoped, Base):
    __tablename__ = "import_job"

    created_by_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    status: Mapped[ImportStatus] = mapped_column(
        str_enum(ImportStatus), default=ImportStatus.uploaded
    )
    # The uploaded bytes, kept until the import is confirmed so preview and run read the same.
    # Deferred: job lists and progress polls must not load up to 50 MB per row. Cleared once
    # the import completes; a failed import keeps it so it can be run again.
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    # Rows repeating a handle seen earlier in the same file (the later row wins).
    duplicate_count: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Touched after every committed batch: a running job silent for minutes was orphaned
    # (the server stopped mid-import) and may be run again.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ImportRowError(IdMixin, Base):
    __tablename__ = "import_row_error"

    job_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("import_job.id", ondelete="CASCADE"), index=True
    )
    row_number: Mapped[int] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(80), nullable=True)
    message: Mapped[str] = mapped_column(Text)
