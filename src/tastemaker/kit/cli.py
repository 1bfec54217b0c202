"""What every `tastemaker ...` command shares: its consoles, the red error line, the bar."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tastemaker.kit.errors import DomainError

console = Console()
err_console = Console(stderr=True)

# The workspace a command acts in: `workspace: WorkspaceOption = None`.
WorkspaceOption = Annotated[
    str | None,
    typer.Option(
        "--workspace",
        "-w",
        envvar="TASTEMAKER_WORKSPACE",
        metavar="SLUG",
        help="the workspace's slug (may be left out when there is only one)",
    ),
]


def fail(message: str, field: str | None = None) -> typer.Exit:
    """Prints one red line to stderr, naming the field when there is one; the caller raises
    what it returns (exit status 1), so a refusal is never a traceback.

    Messages quote what was typed: escaped, a '[/x]' in one is text, not broken markup."""
    prefix = f"{field}: " if field else ""
    err_console.print(f"[red]error:[/red] {escape(prefix + message)}", highlight=False)
    return typer.Exit(1)


def failure(
    message: str,
    field: str | None,
    option_names: Mapping[str, str] = {},
    *,
    dashed: bool = True,
) -> typer.Exit:
    """fail(), with a schema field path ('keywords.0') named as the option a person typed:
    from `option_names`, else as `--field-name` (or the bare name when not `dashed`)."""
    if field:
        head, _, rest = field.partition(".")
        name = option_names.get(head) or (f"--{head.replace('_', '-')}" if dashed else head)
        field = name + (f".{rest}" if rest else "")
    return fail(message, field)


def validation_failure(
    exc: ValidationError, option_names: Mapping[str, str] = {}, *, dashed: bool = True
) -> typer.Exit:
    """The first of a schema's refusals, as failure() names it."""
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first.get("loc", ())) or None
    message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    return failure(message, field, option_names, dashed=dashed)


def domain_failure(
    exc: DomainError, option_names: Mapping[str, str] = {}, *, dashed: bool = True
) -> typer.Exit:
    """A service's refusal, with the field its details name, as failure() names it."""
    field = exc.details.get("field") if isinstance(exc.details, dict) else None
    return failure(exc.message, str(field) if field else None, option_names, dashed=dashed)


def progress_bar(*, on: Console = err_console, transient: bool = True) -> Progress:
    """One line per task: its description, a bar, done of total, time elapsed. On stderr and
    gone once done by default, so it never mixes with what a command prints (--json)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=on,
        transient=transient,
    )
