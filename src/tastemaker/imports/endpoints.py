"""JSON API of creator imports: upload, preview and map, run, report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile, status

from tastemaker.imports import service
from tastemaker.imports.schemas import (
    ImportJobDetail,
    ImportJobRead,
    ImportReport,
    MappingUpdate,
    RowErrorPage,
    RowErrorRead,
)
from tastemaker.web.deps import ApiContext, ApiWriter
from tastemaker.web.uploads import read_upload
from tastemaker.workspace.context import Context

router = APIRouter(prefix="/imports", tags=["imports"])

REPORT_ERRORS = 100


def _detail(ctx: Context, job_id: int) -> ImportJobDetail:
    return ImportJobDetail.of_preview(service.preview(ctx, job_id))


@router.post("", response_model=ImportJobDetail, status_code=status.HTTP_201_CREATED)
def upload(
    ctx: ApiWriter,
    file: Annotated[UploadFile, File(description="a CSV (any delimiter) or .xlsx file")],
    platform: Annotated[str | None, Form(description="one platform for the file")] = None,
    sheet: Annotated[str | None, Form(description="the .xlsx sheet; the first by default")] = None,
) -> ImportJobDetail:
    """Uploads a creator list; answers with the suggested mapping and a preview of the first
    rows. Nothing is imported until `POST /imports/{id}/run`."""
    job = service.create_job(ctx, file.filename, read_upload(file), platform=platform, sheet=sheet)
    return _detail(ctx, job.id)


@router.get("", response_model=list[ImportJobRead])
def list_imports(
    ctx: ApiContext, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[ImportJobRead]:
    return [ImportJobRead.of(job) for job in service.list_jobs(ctx, limit)]


@router.get("/{job_id}", response_model=ImportJobDetail)
def read_import(job_id: int, ctx: ApiContext) -> ImportJobDetail:
    return _detail(ctx, job_id)


@router.put("/{job_id}/mapping", response_model=ImportJobDetail)
def update_mapping(job_id: int, body: MappingUpdate, ctx: ApiWriter) -> ImportJobDetail:
    service.set_mapping(ctx, job_id, body.spec())
    return _detail(ctx, job_id)


@router.post("/{job_id}/run", response_model=ImportReport)
def run_import(job_id: int, ctx: ApiWriter) -> ImportReport:
    """Runs the import within the request and answers with the report. Batches commit as
    they go; if one fails, the job ends `failed` (still a 200: the request did its work)
    with the row range and reason in `message`, and the batches before it stay."""
    job = service.run_now(ctx, job_id)
    return ImportReport(
        **ImportJobRead.of(job).model_dump(),
        error_count=service.error_count(ctx, job_id),
        errors=[RowErrorRead.of(e) for e in service.row_errors(ctx, job_id, 0, REPORT_ERRORS)],
    )


@router.get("/{job_id}/errors", response_model=RowErrorPage)
def list_errors(
    job_id: int,
    ctx: ApiContext,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> RowErrorPage:
    errors = service.row_errors(ctx, job_id, (page - 1) * per_page, per_page + 1)
    return RowErrorPage(
        items=[RowErrorRead.of(e) for e in errors[:per_page]],
        page=page,
        per_page=per_page,
        has_next=len(errors) > per_page,
        total=service.error_count(ctx, job_id),
    )


@router.delete("/{job_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_import(job_id: int, ctx: ApiWriter) -> None:
    service.delete_job(ctx, job_id)
