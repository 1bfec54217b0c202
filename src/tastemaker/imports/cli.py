"""`tastemaker creators import FILE`: the import service, for a person at a terminal."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table as RichTable
from sqlalchemy.exc import SQLAlchemyError

from tastemaker.imports import service
from tastemaker.imports.mapping import TARGETS, ColumnMapping, RowError
from tastemaker.imports.models import ImportJob, ImportStatus
from tastemaker.imports.parsing import check_size
from tastemaker.kit.cli import WorkspaceOption, console, fail, progress_bar
from tastemaker.kit.errors import DomainError
from tastemaker.workspace.context import Context


class CliProblem(Exception):
    """Bad input: shown as one red line, never a traceback."""


def load_mapping_file(path: Path) -> dict[str, Any]:
    """TOML or JSON, by extension (TOML, then JSON, when the extension says neither)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CliProblem(f"cannot read the mapping file {path}: {exc.strerror or exc}") from exc
    suffix = path.suffix.lower()
    errors = []
    for kind in (
        ("json",) if suffix == ".json" else ("toml",) if suffix == ".toml" else ("toml", "json")
    ):
        try:
            data = json.loads(text) if kind == "json" else tomllib.loads(text)
        except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
            errors.append(f"{kind.upper()}: {exc}")
            continue
        if not isinstance(data, dict):
            raise CliProblem(f"the mapping file {path} must hold a table, not a list")
        return data
    raise CliProblem(f"the mapping file {path} is not valid: {'; '.join(errors)}")


def _read_file(path: Path) -> bytes:
    if not path.is_file():
        raise CliProblem(f"no such file: {path}")
    try:
        check_size(path.stat().st_size)
        return path.read_bytes()
    except OSError as exc:
        raise CliProblem(f"cannot read {path}: {exc.strerror or exc}") from exc
    except DomainError as exc:
        raise CliProblem(exc.message) from exc


def _print_mapping(ctx: Context, job: ImportJob, spec: dict[str, Any]) -> None:
    preview = service.preview(ctx, job.id, rows=0)
    mapping = preview.mapping
    named = set((spec.get("columns") or {}).keys())
    # File names, headers and reasons quoting them are the file's text, never markup.
    table = RichTable(
        title=f"{escape(job.filename)}: {job.total_rows:,} rows", title_justify="left"
    )
    table.add_column("column")
    table.add_column("imported as")
    table.add_column("why", style="dim")
    for suggestion in preview.suggestions:
        target = mapping.field_of(suggestion.column.index)
        if target is None and suggestion.field is None:
            continue
        why = "mapping file" if target in named else suggestion.reason
        table.add_row(
            escape(f"{suggestion.column.letter}  {suggestion.column.label}"),
            TARGETS[target].label if target else "[dim]skipped[/dim]",
            escape(why),
        )
    console.print(table)
    if mapping.platform:
        source = {"chosen": "as given", None: "as given"}.get(
            mapping.platform_source, f"from the {mapping.platform_source}"
        )
        console.print(f"platform: [bold]{mapping.platform.value}[/bold] ({source})")
    elif mapping.columns.get("platform"):
        console.print("platform: from the platform column, per row")


def _problems_hint(mapping: ColumnMapping) -> str:
    hints = []
    if mapping.platform is None and not mapping.columns.get("platform"):
        hints.append('pass --platform (or platform = "..." in the mapping file)')
    if not mapping.columns.get("handle") and not mapping.columns.get("url"):
        hints.append('name the handle column in a mapping file: [columns] handle = "..."')
    return "; ".join(hints)


@dataclass(frozen=True)
class Outcome:
    """The job's figures, read before a dry run's rollback takes the job away."""

    status: ImportStatus
    message: str
    created: int
    updated: int
    failed: int
    duplicates: int

    @classmethod
    def of(cls, job: ImportJob) -> Outcome:
        return cls(
            job.status,
            job.message,
            job.created_count,
            job.updated_count,
            job.failed_count,
            job.duplicate_count,
        )


def _summary(job: Outcome, errors: list[RowError], total_errors: int, dry_run: bool) -> None:
    verb = "would be" if dry_run else "were"
    console.print(
        f"[green]{job.created:,}[/green] {verb} created, "
        f"[green]{job.updated:,}[/green] updated, "
        f"[{'red' if job.failed else 'green'}]{job.failed:,}[/] rows failed"
        + (f", {job.duplicates:,} repeated a handle already in the file" if job.duplicates else "")
    )
    if errors:
        table = RichTable(
            title=f"first {len(errors)} of {total_errors:,} row problems", title_justify="left"
        )
        table.add_column("row", justify="right")
        table.add_column("field")
        table.add_column("problem")
        for error in errors:
            table.add_row(str(error.row), error.field or "", escape(error.message))
        console.print(table)


def import_creators(
    file: Path = typer.Argument(..., help="CSV (any delimiter, UTF-8 or Windows-1252) or .xlsx"),
    mapping: Path | None = typer.Option(
        None,
        "--mapping",
        "-m",
        help='TOML or JSON: platform = "..." and [columns] '
        'target = "column"; columns it does not name are mapped automatically',
    ),
    platform: str | None = typer.Option(
        None,
        "--platform",
        "-p",
        help="one platform for the whole file (overrides the file name and the mapping file)",
    ),
    workspace: WorkspaceOption = None,
    sheet: str | None = typer.Option(None, "--sheet", help="the .xlsx sheet; the first by default"),
    dry_run: bool = typer.Option(False, "--dry-run", help="check every row, write nothing"),
    report: Path | None = typer.Option(
        None, "--report", help="write every row problem to this CSV (row, field, message)"
    ),
    show_errors: int = typer.Option(10, "--show-errors", min=0, help="row problems to print"),
) -> None:
    """Import creators from a CSV or Excel list. Columns are mapped automatically from their
    headers and values; a mapping file settles the rest. Importing again updates, never
    duplicates (accounts are matched on platform and handle)."""
    from tastemaker.kit.db import session_scope
    from tastemaker.workspace.service import context_for_cli

    try:
        spec = load_mapping_file(mapping) if mapping else {}
        content = _read_file(file)
        with session_scope() as session:
            ctx = context_for_cli(session, workspace)
            job = service.create_job(
                ctx, file.name, content, platform=platform, sheet=sheet or spec.get("sheet")
            )
            # The sheet is read at the upload, and --platform outranks the file's platform.
            overrides = {k: v for k, v in spec.items() if k != "sheet"}
            if platform:
                overrides.pop("platform", None)
            if overrides:
                service.set_mapping(ctx, job.id, overrides)
            _print_mapping(ctx, job, spec)
            try:
                service.start_run(ctx, job.id)
            except DomainError as exc:
                hint = _problems_hint(ColumnMapping.from_json(job.mapping))
                raise CliProblem(exc.message + (f" ({hint})" if hint else "")) from exc
            if not dry_run:
                session.commit()  # the job and its start are kept even if the run fails
            outcome = Outcome.of(_run_with_progress(ctx, job, dry_run))
            total_errors = service.error_count(ctx, job.id)
            errors = service.row_errors(ctx, job.id, 0, show_errors)
            if report:
                _write_report(ctx, job.id, report)
            if dry_run:
                session.rollback()
    except CliProblem as exc:
        raise fail(str(exc)) from None
    except DomainError as exc:
        raise fail(exc.message) from None
    except SQLAlchemyError as exc:
        raise fail(
            f"the database is not ready ({type(exc).__name__}); run `tastemaker db upgrade` first"
        ) from None

    _summary(outcome, errors, total_errors, dry_run)
    if report:
        console.print(f"all {total_errors:,} row problems written to {escape(str(report))}")
    if dry_run:
        console.print("[yellow]dry run: nothing was written[/yellow]")
    if outcome.status is ImportStatus.failed:
        raise fail(f"the import failed: {outcome.message}")
    if outcome.failed and not (outcome.created or outcome.updated):
        raise fail("no row could be imported; see the problems above")
    if outcome.failed:
        console.print(
            f"[yellow]{outcome.failed:,} rows were not imported[/yellow]; "
            "fix them in the file and import it again (the rest will be updated)"
        )


def _run_with_progress(ctx: Context, job: ImportJob, dry_run: bool) -> ImportJob:
    with progress_bar() as progress:
        task = progress.add_task("importing", total=job.total_rows)
        return service.run_job(
            ctx.session,
            ctx.workspace_id,
            job.id,
            commit=not dry_run,
            on_progress=lambda j: progress.update(task, completed=j.processed_rows),
        )


def _write_report(ctx: Context, job_id: int, path: Path) -> None:
    try:
        with path.open("w", encoding="utf-8", newline="") as out:
            for chunk in service.errors_csv(ctx, job_id):
                out.write(chunk)
    except OSError as exc:
        raise CliProblem(f"cannot write the report {path}: {exc.strerror or exc}") from exc
