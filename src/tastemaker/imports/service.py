"""Import jobs: upload -> preview and mapping -> run in batches -> report.

A job keeps the uploaded bytes, so the preview, the mapping and the run all read the same
file. The run writes creators only through creator.bulk.upsert_accounts, which matches on
(platform, handle): running a file again updates the accounts it created, never duplicates.

Transactions: the run commits every batch of BATCH_ROWS rows on its own, together with
that batch's row errors and the job's counters, so another request can show progress.
A batch that fails is rolled back whole (it runs in a SAVEPOINT; no half batch is ever
kept); the job is then marked failed with the row range and the reason, and the batches
committed before it stay imported. Because the upsert is idempotent, running the job
again after fixing the cause finishes the import without duplicating anything.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import PurePath
from typing import Any

from sqlalchemy.orm import Session

from tastemaker.creator.bulk import AccountRecord, UpsertResult, upsert_accounts
from tastemaker.creator.models import Platform, Provenance
from tastemaker.creator.platforms import require_platform
from tastemaker.discovery import service as discovery_service
from tastemaker.imports.mapping import (
    ColumnMapping,
    ColumnSuggestion,
    RowError,
    RowMapper,
    apply_spec,
    mapping_from_choices,
    mapping_problems,
    suggest,
)
from tastemaker.imports.models import ImportJob, ImportStatus
from tastemaker.imports.parsing import Table, check_size, open_table, shorten
from tastemaker.imports.repository import ImportJobRepository
from tastemaker.kit.errors import Conflict, ValidationFailed
from tastemaker.kit.time import utcnow
from tastemaker.workspace.context import Context
from tastemaker.workspace.service import record

log = logging.getLogger(__name__)

BATCH_ROWS = 5000
PREVIEW_ROWS = 20
SAMPLE_ROWS = 200  # rows whose values inform the suggested mapping
STALE_AFTER = timedelta(minutes=5)
MAX_SOURCE = 200  # PlatformAccount.metrics_source
MAX_ROWS = 1_000_000


def clean_filename(name: str | None, limit: int = 255) -> str:
    """Only the base name (browsers on Windows send full paths), at most `limit` characters.
    A name is only shown: control characters (NUL, which neither engine stores) go."""
    base = PurePath((name or "").replace("\\", "/")).name
    printable = "".join(ch for ch in base if ch.isprintable()).strip()
    return printable[:limit] or "upload"


def _platform(value: str | None) -> Platform | None:
    if value is None or not value.strip():
        return None
    return require_platform(value, "platform")


def _jobs(ctx: Context) -> ImportJobRepository:
    return ImportJobRepository(ctx.session, ctx.workspace_id)


# --- upload, preview, mapping ------------------------------------------------------------


def create_job(
    ctx: Context,
    filename: str | None,
    content: bytes,
    *,
    platform: str | None = None,
    sheet: str | None = None,
) -> ImportJob:
    """Reads the whole file once now, so a file that cannot be imported is refused at the
    upload with its reason, not halfway through the run."""
    ctx.require_write()
    check_size(len(content))
    name = clean_filename(filename)
    table = open_table(content, sheet or None)
    total = _count_rows(table)
    if total == 0:
        raise ValidationFailed("the file has a header row but no data rows")
    mapping = _suggested(name, table, _platform(platform))
    job = ImportJob(
        workspace_id=ctx.workspace_id,
        created_by_id=ctx.user_id,
        filename=name,
        status=ImportStatus.uploaded,
        content=content,
        mapping=mapping.to_json(),
        total_rows=total,
    )
    _jobs(ctx).add(job)
    record(ctx, "import.uploaded", "import_job", job.id, filename=name, rows=total)
    return job


def _suggested(filename: str, table: Table, chosen: Platform | None) -> ColumnMapping:
    """The automatic mapping of this table; a platform the person chose outranks a guess."""
    _, mapping = suggest(table.columns, table.head(SAMPLE_ROWS), filename)
    mapping.sheet = table.sheet
    if chosen is not None:
        mapping.platform, mapping.platform_source = chosen, "chosen"
    return mapping


def _chosen_platform(mapping: ColumnMapping) -> Platform | None:
    return mapping.platform if mapping.platform_source == "chosen" else None


def _count_rows(table: Table) -> int:
    """Also the guard against a small .xlsx that unpacks to millions of rows."""
    total = 0
    for _ in table.rows():
        total += 1
        if total > MAX_ROWS:
            raise ValidationFailed(
                f"the file has more than {MAX_ROWS:,} rows; split it into smaller files"
            )
    return total


def get_job(ctx: Context, job_id: int) -> ImportJob:
    return _jobs(ctx).get_or_404(job_id, "import")


def list_jobs(ctx: Context, limit: int = 50) -> list[ImportJob]:
    return list(_jobs(ctx).recent(limit))


@dataclass
class PreviewRow:
    row: int
    values: list[str | None]
    record: AccountRecord | None = None
    errors: list[RowError] = field(default_factory=list)


@dataclass
class Preview:
    """What the mapping step shows: the file's columns with their suggestions, the mapping
    in force, and the first rows as they would be imported."""

    job: ImportJob
    table: Table | None  # None once the file is gone (completed imports)
    mapping: ColumnMapping
    suggestions: list[ColumnSuggestion] = field(default_factory=list)
    rows: list[PreviewRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def preview(ctx: Context, job_id: int, rows: int = PREVIEW_ROWS) -> Preview:
    job = get_job(ctx, job_id)
    mapping = ColumnMapping.from_json(job.mapping)
    if job.content is None:
        return Preview(job, None, mapping)
    table = open_table(job.content, mapping.sheet)
    suggestions, _ = suggest(table.columns, table.head(SAMPLE_ROWS), job.filename)
    problems = mapping_problems(mapping)
    mapper = None if problems else RowMapper(mapping, table.columns)
    shown = []
    for number, cells in table.head(rows):
        line = PreviewRow(number, [None if c is None else shorten(c, 80) for c in cells])
        if mapper is not None:
            result = mapper(number, cells)
            if isinstance(result, list):
                line.errors = result
            else:
                line.record = result
        shown.append(line)
    return Preview(job, table, mapping, suggestions, shown, problems)


def _editable(job: ImportJob) -> None:
    if job.status is ImportStatus.completed:
        raise Conflict("this import has already run; upload the file again to import it anew")
    if job.status is ImportStatus.running and not is_stale(job):
        raise Conflict("this import is running; wait for it to finish")
    if job.content is None:
        raise Conflict("the file of this import is no longer kept; upload it again")


def is_stale(job: ImportJob) -> bool:
    """A running job whose runner stopped reporting (the server was restarted mid-run)."""
    return job.status is ImportStatus.running and (
        job.heartbeat_at is None or utcnow() - job.heartbeat_at > STALE_AFTER
    )


def _open_sheet(job: ImportJob, mapping: ColumnMapping, sheet: str | None) -> Table:
    """The job's table, in another sheet when one is named: its rows are counted anew."""
    assert job.content is not None
    if sheet is None or sheet == mapping.sheet:
        return open_table(job.content, mapping.sheet)
    table = open_table(job.content, sheet)
    total = _count_rows(table)
    if total == 0:
        raise ValidationFailed(f"the sheet {sheet!r} has no data rows", details={"field": "sheet"})
    job.total_rows = total
    return table


def set_mapping(ctx: Context, job_id: int, spec: dict[str, Any]) -> ImportJob:
    """A mapping as the CLI file or the API gives it (see mapping.apply_spec): the targets it
    names override the automatic suggestions, which fill in the rest."""
    ctx.require_write()
    job = get_job(ctx, job_id)
    _editable(job)
    current = ColumnMapping.from_json(job.mapping)
    sheet = spec.get("sheet")
    table = _open_sheet(job, current, str(sheet) if sheet else None)
    suggested = _suggested(job.filename, table, _chosen_platform(current))
    job.mapping = apply_spec(spec, table.columns, suggested).to_json()
    ctx.session.flush()
    return job


def set_choices(
    ctx: Context,
    job_id: int,
    choices: Sequence[str],
    *,
    platform: str | None,
    sheet: str | None = None,
) -> ImportJob:
    """The mapping form: one target ('' to skip) per column in column order, the platform,
    and the sheet. A new sheet discards the choices (they were for the other sheet's
    columns): the suggestions start over for it."""
    ctx.require_write()
    job = get_job(ctx, job_id)
    _editable(job)
    current = ColumnMapping.from_json(job.mapping)
    if sheet and sheet != current.sheet:
        table = _open_sheet(job, current, sheet)
        job.mapping = _suggested(job.filename, table, _chosen_platform(current)).to_json()
        ctx.session.flush()
        return job
    table = _open_sheet(job, current, None)
    if len(choices) != len(table.columns):
        raise ValidationFailed(
            "the form does not match the file's columns; reload the page and choose again"
        )
    chosen = _platform(platform)
    # Submitting the form confirms a platform inferred from the file name: it is chosen now.
    job.mapping = mapping_from_choices(
        dict(enumerate(choices)),
        table.columns,
        chosen,
        "chosen" if chosen else None,
        current.sheet,
    ).to_json()
    ctx.session.flush()
    return job


# --- the run -----------------------------------------------------------------------------


def start_run(ctx: Context, job_id: int) -> ImportJob:
    """Checks the mapping and marks the job running; the caller commits, then run_job()
    (now, or in a background thread) does the work."""
    ctx.require_write()
    jobs = _jobs(ctx)
    job = jobs.get_or_404(job_id, "import")
    _editable(job)
    problems = mapping_problems(ColumnMapping.from_json(job.mapping))
    if problems:
        raise ValidationFailed(
            "cannot run yet: " + "; ".join(problems),
            details={"field": "mapping", "problems": problems},
        )
    jobs.delete_errors(job.id)
    job.status = ImportStatus.running
    job.processed_rows = job.created_count = job.updated_count = 0
    job.failed_count = job.duplicate_count = 0
    job.message = ""
    job.finished_at = None
    job.heartbeat_at = utcnow()
    record(
        ctx,
        "import.run",
        "import_job",
        job.id,
        filename=job.filename,
        rows=job.total_rows,
        mapping=job.mapping,
    )
    ctx.session.flush()
    return job


ProgressHook = Callable[[ImportJob], None]


@dataclass
class _Batch:
    records: list[AccountRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    failed: int = 0
    first_row: int = 0
    last_row: int = 0


def run_job(
    session: Session,
    workspace_id: int,
    job_id: int,
    *,
    batch_rows: int = BATCH_ROWS,
    commit: bool = True,
    on_progress: ProgressHook | None = None,
) -> ImportJob:
    """Imports a job marked running by start_run(). Never raises for what goes wrong inside
    the import: the job ends failed, with the reason in its message.

    commit=False keeps everything in the caller's transaction (the CLI's --dry-run, which
    rolls it back); batches are still savepoints, so the counts are the real ones.
    """
    jobs = ImportJobRepository(session, workspace_id)
    job = jobs.get_or_404(job_id, "import")
    if job.status is not ImportStatus.running:
        raise Conflict(f"import {job_id} is {job.status.value}, not running")
    batch = _Batch()
    seen: set[tuple[Platform, str]] = set()
    try:
        if job.content is None:
            raise ValidationFailed("the file of this import is no longer kept")
        mapping = ColumnMapping.from_json(job.mapping)
        table = open_table(job.content, mapping.sheet)
        mapper = RowMapper(mapping, table.columns)
        source = job.filename[:MAX_SOURCE]
        for number, cells in table.rows():
            if not batch.rows:
                batch.first_row = number
            batch.rows += 1
            batch.last_row = number
            result = mapper(number, cells)
            if isinstance(result, list):
                batch.errors += result
                batch.failed += 1
            else:
                batch.records.append(result)
            if batch.rows >= batch_rows:
                _write_batch(session, jobs, job, batch, seen, source, commit)
                if on_progress:
                    on_progress(job)
                batch = _Batch()
        if batch.rows:
            _write_batch(session, jobs, job, batch, seen, source, commit)
    except Exception as exc:
        log.exception("import %s failed", job_id)
        return _fail(session, jobs, job_id, batch, exc, commit)
    job.status = ImportStatus.completed
    job.finished_at = utcnow()
    job.message = summary(job)
    if commit:
        job.content = None  # the report is what stays; the upload was only needed to run
        session.commit()
    if on_progress:
        on_progress(job)
    return job


def _write_batch(
    session: Session,
    jobs: ImportJobRepository,
    job: ImportJob,
    batch: _Batch,
    seen: set[tuple[Platform, str]],
    source: str,
    commit: bool,
) -> None:
    with session.begin_nested():
        result = (
            upsert_accounts(session, batch.records, provenance=Provenance.imported, source=source)
            if batch.records
            else UpsertResult()
        )
        # Bios are search text: the accounts given one may have a new search document; a
        # row without a bio keeps the account's, and its document with it.
        discovery_service.refresh(
            session,
            [i for r, i in zip(batch.records, result.account_ids, strict=True) if r.bio],
        )
        jobs.add_errors(
            job.id,
            [
                {"row_number": e.row, "field": e.field, "message": e.message[:2000]}
                for e in batch.errors
            ],
        )
    keys = [(r.platform, r.handle) for r in batch.records]
    unique = set(keys)
    # The upsert counts a handle seen in an earlier batch of this file as an update; it is a
    # repeat within the file, and is reported as such.
    repeated = unique & seen
    seen |= unique
    job.created_count += result.created
    job.updated_count += result.updated - len(repeated)
    job.duplicate_count += len(keys) - len(unique) + len(repeated)
    job.failed_count += batch.failed
    job.processed_rows += batch.rows
    job.heartbeat_at = utcnow()
    if commit:
        session.commit()
    else:
        session.flush()


def _fail(
    session: Session,
    jobs: ImportJobRepository,
    job_id: int,
    batch: _Batch,
    exc: Exception,
    commit: bool,
) -> ImportJob:
    if commit:
        session.rollback()
    job = jobs.get_or_404(job_id, "import")
    reason = shorten(getattr(exc, "message", None) or str(exc) or type(exc).__name__, 400)
    where = f"at rows {batch.first_row}–{batch.last_row}" if batch.rows else "before the first row"
    kept = (
        f"; the {job.processed_rows:,} rows before them were imported and stay "
        "(running the import again updates them, it does not duplicate them)"
        if job.processed_rows
        else "; nothing was imported"
    )
    job.status = ImportStatus.failed
    job.message = f"stopped {where}: {reason}{kept}"
    job.finished_at = utcnow()
    if commit:
        session.commit()
    return job


def summary(job: ImportJob) -> str:
    parts = [
        f"{job.created_count:,} created",
        f"{job.updated_count:,} updated",
        f"{job.failed_count:,} failed",
    ]
    if job.duplicate_count:
        parts.append(f"{job.duplicate_count:,} repeated a handle already in the file")
    return ", ".join(parts)


def run_now(ctx: Context, job_id: int) -> ImportJob:
    """Start and run in the calling request or command: commits the start, then each batch."""
    start_run(ctx, job_id)
    ctx.session.commit()
    return run_job(ctx.session, ctx.workspace_id, job_id)


# --- report ------------------------------------------------------------------------------


def row_errors(ctx: Context, job_id: int, offset: int = 0, limit: int = 100) -> list[RowError]:
    jobs = _jobs(ctx)
    jobs.get_or_404(job_id, "import")
    rows = jobs.errors(job_id, offset, limit)
    return [RowError(r.row_number, r.field, r.message) for r in rows]


def error_count(ctx: Context, job_id: int) -> int:
    return _jobs(ctx).error_count(job_id)


def errors_csv(ctx: Context, job_id: int) -> Iterator[str]:
    """The full error report, streamed: row (as numbered in the file), field, message."""
    jobs = _jobs(ctx)
    jobs.get_or_404(job_id, "import")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["row", "field", "message"])
    for error in jobs.iter_errors(job_id):
        writer.writerow([error.row_number, error.field or "", error.message])
        if buffer.tell() > 65536:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def delete_job(ctx: Context, job_id: int) -> None:
    """Forgets the job, its file and its report; imported creators stay."""
    ctx.require_write()
    jobs = _jobs(ctx)
    job = jobs.get_or_404(job_id, "import")
    if job.status is ImportStatus.running and not is_stale(job):
        raise Conflict("this import is running; wait for it to finish")
    jobs.delete_errors(job.id)
    record(ctx, "import.deleted", "import_job", job.id, filename=job.filename)
    ctx.session.delete(job)
    ctx.session.flush()
