"""Pydantic shapes of the imports API."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tastemaker.creator.models import Platform
from tastemaker.imports.mapping import TARGETS, ColumnMapping, RowError
from tastemaker.imports.models import ImportJob, ImportStatus
from tastemaker.imports.service import Preview

ColumnRef = str | int


class MappingRead(BaseModel):
    platform: Platform | None = Field(description="one platform for the whole file, if set")
    platform_source: str | None = Field(
        description="'chosen', or where it was inferred from: 'file name', 'column headers'"
    )
    sheet: str | None
    columns: dict[str, str | list[str]] = Field(
        description="target field -> column label (a list for categories)"
    )


class MappingUpdate(BaseModel):
    """Targets named here replace the automatic suggestion for that target; the rest stay
    suggested. A column is named by its label, its header, or its 1-based number; an empty
    value leaves the target out."""

    model_config = ConfigDict(extra="forbid")

    platform: str | None = None
    sheet: str | None = None
    columns: dict[str, ColumnRef | list[ColumnRef] | None] = Field(default_factory=dict)

    def spec(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class ColumnRead(BaseModel):
    number: int = Field(description="1-based position")
    letter: str
    label: str = Field(description="unique name: the header, with ' (2)' on repeats")
    header: str
    mapped_to: str | None
    suggested: str | None
    reason: str
    samples: list[str]


class RowErrorRead(BaseModel):
    row: int = Field(description="row number in the file as a spreadsheet shows it")
    field: str | None
    message: str

    @classmethod
    def of(cls, error: RowError) -> RowErrorRead:
        return cls(row=error.row, field=error.field, message=error.message)


class PreviewRowRead(BaseModel):
    row: int
    values: list[str | None]
    record: dict[str, Any] | None = Field(description="what would be imported")
    errors: list[RowErrorRead]


class TargetRead(BaseModel):
    name: str
    label: str
    multi: bool


class ImportJobRead(BaseModel):
    id: int
    filename: str
    status: ImportStatus
    total_rows: int
    processed_rows: int
    created: int
    updated: int
    duplicates: int = Field(description="rows repeating a handle earlier in the same file")
    failed: int
    message: str
    platform: Platform | None
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, job: ImportJob) -> ImportJobRead:
        return cls(**_job_fields(job))


def _job_fields(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "filename": job.filename,
        "status": job.status,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "created": job.created_count,
        "updated": job.updated_count,
        "duplicates": job.duplicate_count,
        "failed": job.failed_count,
        "message": job.message,
        "platform": ColumnMapping.from_json(job.mapping).platform,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


class ImportJobDetail(ImportJobRead):
    mapping: MappingRead
    format: str | None
    sheets: list[str]
    columns: list[ColumnRead]
    preview: list[PreviewRowRead]
    problems: list[str] = Field(description="what must be chosen before the import can run")
    targets: list[TargetRead]

    @classmethod
    def of_preview(cls, preview: Preview) -> ImportJobDetail:
        table, mapping = preview.table, preview.mapping
        columns = table.columns if table else []
        mapping_read = MappingRead(
            platform=mapping.platform,
            platform_source=mapping.platform_source,
            sheet=mapping.sheet,
            columns=mapping.labels(columns),
        )
        return cls(
            **_job_fields(preview.job),
            mapping=mapping_read,
            format=table.format if table else None,
            sheets=table.sheets if table else [],
            columns=[
                ColumnRead(
                    number=s.column.number,
                    letter=s.column.letter,
                    label=s.column.label,
                    header=s.column.header,
                    mapped_to=mapping.field_of(s.column.index),
                    suggested=s.field,
                    reason=s.reason,
                    samples=s.samples,
                )
                for s in preview.suggestions
            ],
            preview=[
                PreviewRowRead(
                    row=r.row,
                    values=r.values,
                    record=_record(r.record) if r.record else None,
                    errors=[RowErrorRead.of(e) for e in r.errors],
                )
                for r in preview.rows
            ],
            problems=preview.problems,
            targets=[
                TargetRead(name=t.name, label=t.label, multi=t.multi) for t in TARGETS.values()
            ],
        )


def _record(record: Any) -> dict[str, Any]:
    data = asdict(record)
    data["platform"] = record.platform.value
    return {k: v for k, v in data.items() if v is not None}


class ImportReport(ImportJobRead):
    error_count: int
    errors: list[RowErrorRead] = Field(description="the first row errors, by row")


class RowErrorPage(BaseModel):
    items: list[RowErrorRead]
    page: int
    per_page: int
    has_next: bool
    total: int
