"""What every `tastemaker ...` command shares: its consoles, the red error line, the bar."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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
