"""Import pages: upload, map columns over a preview, run with a progress bar, report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tastemaker.creator.models import Platform
from tastemaker.imports import service, tasks
from tastemaker.imports.mapping import TARGETS
from tastemaker.imports.models import ImportJob, ImportStatus
from tastemaker.imports.parsing import MAX_FILE_BYTES
from tastemaker.kit.errors import DomainError, ValidationFailed
from tastemaker.web.deps import PageContext, PageWriter, verify_csrf
from tastemaker.web.downloads import csv_download
from tastemaker.web.templating import render
from tastemaker.web.uploads import read_upload
from tastemaker.workspace.context import Context

router = APIRouter(prefix="/w/{slug}", dependencies=[Depends(verify_csrf)], include_in_schema=False)

# Files up to this many rows import within the request (under a second or so); larger ones
# in a background thread while the page polls. Tests and small installs can change it on
# app.state.import_sync_rows.
SYNC_ROWS = 5000
SHOWN_ERRORS = 100


def _index(request: Request, ctx: Context, status_code: int = 200, **extra: Any) -> Response:
    data: dict[str, Any] = {
        "nav": "imports",
        "jobs": service.list_jobs(ctx),
        "platforms": list(Platform),
        "errors": {},
        "max_mb": MAX_FILE_BYTES // 1024 // 1024,
    }
    data.update(extra)
    return render(request, "imports/index.html", data, status_code)


@router.get("/imports", response_class=HTMLResponse)
def imports_page(request: Request, ctx: PageContext) -> Response:
    return _index(request, ctx)


@router.post("/imports", response_class=HTMLResponse)
def upload(
    request: Request,
    slug: str,
    ctx: PageWriter,
    file: Annotated[UploadFile | None, File()] = None,
    platform: Annotated[str, Form()] = "",
) -> Response:
    try:
        if file is None or not file.filename:
            raise ValidationFailed(
                "choose a CSV or .xlsx file to upload", details={"field": "file"}
            )
        with ctx.session.begin_nested():  # a refused upload leaves no half-made job behind
            job = service.create_job(
                ctx, file.filename, read_upload(file), platform=platform or None
            )
    except DomainError as exc:
        status_code = exc.status_code if exc.status_code != 400 else 422
        return _index(
            request, ctx, status_code, errors={"_form": exc.message}, chosen_platform=platform
        )
    return RedirectResponse(f"/w/{slug}/imports/{job.id}", status_code=303)


def _job_page(
    request: Request, ctx: Context, job_id: int, status_code: int = 200, **extra: Any
) -> Response:
    preview = service.preview(ctx, job_id)
    job = preview.job
    data: dict[str, Any] = {
        "nav": "imports",
        "job": job,
        "preview": preview,
        "targets": list(TARGETS.values()),
        "platforms": list(Platform),
        "editable": preview.table is not None
        and (job.status in (ImportStatus.uploaded, ImportStatus.failed) or service.is_stale(job)),
        "stale": service.is_stale(job),
        "row_errors": service.row_errors(ctx, job_id, 0, SHOWN_ERRORS)
        if job.status in (ImportStatus.completed, ImportStatus.failed)
        else [],
        "error_count": service.error_count(ctx, job_id) if job.failed_count else 0,
        "errors": {},
    }
    data.update(extra)
    return render(request, "imports/job.html", data, status_code)


@router.get("/imports/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: int, ctx: PageContext) -> Response:
    return _job_page(request, ctx, job_id)


@router.post("/imports/{job_id}/mapping", response_class=HTMLResponse)
def save_mapping(
    request: Request,
    slug: str,
    job_id: int,
    ctx: PageWriter,
    target: Annotated[list[str] | None, Form()] = None,
    platform: Annotated[str, Form()] = "",
    sheet: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "preview",
) -> Response:
    """One <select name="target"> per column, in column order: the form posts them as a list
    in that order, which is how the choices are matched to columns."""
    started: ImportJob | None = None
    try:
        # A refused mapping or run leaves the job as it was: the savepoint is rolled back.
        with ctx.session.begin_nested():
            service.set_choices(ctx, job_id, target or [], platform=platform, sheet=sheet or None)
            if action == "run":
                started = service.start_run(ctx, job_id)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        status_code = exc.status_code if exc.status_code != 400 else 422
        return _job_page(request, ctx, job_id, status_code, errors={"_form": exc.message})
    if started is not None:
        _run(request, ctx, started.total_rows, job_id)
    return RedirectResponse(f"/w/{slug}/imports/{job_id}", status_code=303)


def _run(request: Request, ctx: Context, total_rows: int, job_id: int) -> None:
    """For a job start_run() has marked running."""
    if total_rows <= getattr(request.app.state, "import_sync_rows", SYNC_ROWS):
        ctx.session.commit()
        service.run_job(ctx.session, ctx.workspace_id, job_id)
        return
    factory = request.app.state.sessionmaker
    workspace_id = ctx.workspace_id
    # Only after the commit: the thread's own session must see the job running.
    ctx.after_commit.append(lambda: tasks.start_in_background(factory, workspace_id, job_id))


@router.get("/imports/{job_id}/progress", response_class=HTMLResponse)
def progress(request: Request, slug: str, job_id: int, ctx: PageContext) -> Response:
    """Polled by HTMX every second while the import runs; once it has ended, the whole page
    reloads to show the report."""
    job = service.get_job(ctx, job_id)
    if job.status is ImportStatus.running:
        return render(request, "imports/_progress.html", {"job": job})
    if request.headers.get("hx-request") == "true":
        return Response(status_code=200, headers={"HX-Refresh": "true"})
    return RedirectResponse(f"/w/{slug}/imports/{job_id}", status_code=303)


@router.get("/imports/{job_id}/errors.csv")
def errors_csv(job_id: int, ctx: PageContext) -> Response:
    job = service.get_job(ctx, job_id)
    stem = job.filename.rsplit(".", 1)[0] or "import"
    # Everything the stream needs is read here, while the request's session is open.
    body = "".join(service.errors_csv(ctx, job_id))
    return csv_download(body, f"{stem[:80]}-errors")


@router.post("/imports/{job_id}/delete")
def delete(slug: str, job_id: int, ctx: PageWriter) -> Response:
    service.delete_job(ctx, job_id)
    return RedirectResponse(f"/w/{slug}/imports", status_code=303)
