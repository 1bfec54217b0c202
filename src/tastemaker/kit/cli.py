"""What every `tastemaker ...` command shares: its consoles, the red error line, the bar."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

console = Console()
err_console = Console(stderr=True)


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
