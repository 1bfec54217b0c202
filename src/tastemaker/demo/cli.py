"""`tastemaker demo ...`: load the demo workspace, or generate large creator sets."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.progress import Progress, TaskID

from tastemaker.demo import scenario
from tastemaker.demo.loader import DEFAULT_CREATORS, DEFAULT_HISTORY_DAYS, DEFAULT_SEED
from tastemaker.kit.cli import console, fail, progress_bar
from tastemaker.kit.errors import DomainError

app = typer.Typer(
    help="Demo data: a ready-made workspace, or large creator sets.", no_args_is_help=True
)


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="demo")


class RichProgress:
    """The loader's Progress protocol drawn as one bar per phase."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None
        self.total = 0

    def start(self, description: str, total: int) -> None:
        if self.task is not None:
            # A phase that finished early (steps estimated high) still shows as done.
            self.progress.update(self.task, completed=self.total)
        self.total = max(total, 1)
        self.task = self.progress.add_task(description, total=self.total)

    def advance(self, amount: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, amount)


@contextmanager
def _progress() -> Iterator[RichProgress]:
    with progress_bar(on=console, transient=False) as progress:
        yield RichProgress(progress)


@app.command("load")
def load(
    seed: int = typer.Option(DEFAULT_SEED, help="same seed, same data"),
    creators: int = typer.Option(DEFAULT_CREATORS, min=10, help="creators to generate"),
    if_empty: bool = typer.Option(
        False, "--if-empty", help="do nothing when the demo user already exists"
    ),
    email: str = typer.Option(scenario.DEFAULT_EMAIL, help="the demo user's sign-in e-mail"),
    password: str = typer.Option(
        scenario.DEFAULT_PASSWORD,
        help="the demo user's password (set again on every load; 10+ characters)",
    ),
    history_days: int = typer.Option(
        DEFAULT_HISTORY_DAYS, min=0, help="days of daily metric history per account"
    ),
) -> None:
    """Load the demo: a user, a brand and an agency-client workspace, creators with
    history, notes, lists and five campaigns. Run again, it rebuilds them."""
    from tastemaker.demo.loader import load_demo
    from tastemaker.kit.db import session_scope

    started = time.perf_counter()
    try:
        with session_scope() as session, _progress() as progress:
            result = load_demo(
                session,
                seed=seed,
                creators=creators,
                email=email,
                password=password,
                if_empty=if_empty,
                history_days=history_days,
                progress=progress,
            )
    except DomainError as exc:
        raise fail(exc.message) from exc
    if not result.loaded:
        console.print(
            f"demo user [bold]{result.email}[/bold] already exists; nothing loaded "
            "(run without --if-empty to rebuild the demo)"
        )
        console.print(f"sign in at [bold]{result.url}[/bold] as {result.email}")
        return
    elapsed = time.perf_counter() - started
    console.print(
        f"loaded {result.creators:,} creators ({result.accounts:,} accounts, "
        f"{result.snapshots:,} daily snapshots), {result.campaigns} campaigns in "
        f"{', '.join(result.workspaces)} in {elapsed:.1f} s"
    )
    console.print(f"\nSign in at [bold]{result.url}[/bold]")
    console.print(f"  e-mail:   [bold]{result.email}[/bold]")
    console.print(f"  password: [bold]{result.password}[/bold]")
    console.print(f"  (teammates with the same password: {', '.join(result.colleagues)})")


@app.command("generate")
def generate(
    creators: int = typer.Option(100_000, min=1, help="creators to generate"),
    seed: int = typer.Option(DEFAULT_SEED, help="same seed, same creators"),
    history_days: int = typer.Option(
        0, min=0, help="days of daily metric history per account (0 for none)"
    ),
) -> None:
    """Generate creators only (no user or workspace), for large sets and benchmarks.
    A second run with the same seed updates the same creators rather than adding more."""
    from tastemaker.demo.loader import generate_creators
    from tastemaker.kit.db import session_scope

    started = time.perf_counter()
    with session_scope() as session, _progress() as progress:
        written = generate_creators(
            session, creators, seed, history_days=history_days, progress=progress
        )
    elapsed = time.perf_counter() - started
    console.print(
        f"generated {written.creators:,} creators ({written.accounts:,} accounts, "
        f"{written.snapshots:,} snapshots) in {elapsed:.1f} s "
        f"({written.creators / max(elapsed, 1e-9):,.0f} creators/s)"
    )
