"""`tastemaker vetting ...`: train, evaluate and use the fake-follower model at a terminal.

LightGBM and scikit-learn take a while to import, so every command imports what it needs
inside itself: `tastemaker --help` stays quick.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from rich.table import Table

from tastemaker.kit.cli import (
    WorkspaceOption,
    console,
    domain_failure,
    err_console,
    fail,
    progress_bar,
)
from tastemaker.kit.errors import DomainError

if TYPE_CHECKING:
    from tastemaker.vetting.evaluation import EvaluationReport
    from tastemaker.vetting.figures import Interval, Share
    from tastemaker.vetting.sample import FollowerSample
    from tastemaker.vetting.scoring import VettingReport

app = typer.Typer(
    help="Vetting: is a creator's audience real? The fake-follower model.",
    no_args_is_help=True,
)

DATA_HELP = "the shared data folder (holding fraud/); default: ../shared/data beside the project"
SHOWN_FOLLOWERS = 10
SHOWN_PROBLEMS = 20


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None]]:
    with progress_bar() as progress:
        task = progress.add_task("training", total=total)

        def step(description: str) -> None:
            progress.update(task, advance=1, description=description)

        yield step


@app.command("train")
def train(
    out: Path | None = typer.Option(
        None, "--out", help="folder to write the model into; default: the package's model/"
    ),
    data: Path | None = typer.Option(None, "--data", help=DATA_HELP),
    without: list[str] = typer.Option(
        [], "--without", help="leave a data set out: instafake, kaggle or cresci2015"
    ),
    evaluate: bool = typer.Option(
        True, help="measure the recipe first and write the figures into the model card"
    ),
) -> None:
    """Train the fake-follower model on the public labelled sets and write it with its card."""
    from tastemaker.vetting.build import build_model, build_steps, choose_sets
    from tastemaker.vetting.training import MODEL_DIR

    out_dir = out or MODEL_DIR
    try:
        sets = choose_sets(data, without)
        with _progress(build_steps(sets, evaluate)) as step:
            result = build_model(sets, out_dir, evaluate=evaluate, progress=step)
    except DomainError as exc:
        raise fail(exc.message) from None
    if result.report is not None:
        print_evaluation(result.report)
    sizes = ", ".join(f"{s.name} {s.size:,}" for s in sets.values())
    console.print(f"trained on {sizes} rows; {result.saved.metadata['num_trees']} trees")
    for path in (result.saved.model_path, result.saved.metadata_path, result.card_path):
        console.print(f"wrote [bold]{escape(str(path))}[/bold]", highlight=False)


@app.command("evaluate")
def evaluate(
    data: Path | None = typer.Option(None, "--data", help=DATA_HELP),
    as_json: bool = typer.Option(False, "--json", help="print the figures as JSON"),
) -> None:
    """Measure the training recipe per data set and across them, next to published figures."""
    from tastemaker.vetting.build import choose_sets
    from tastemaker.vetting.evaluation import evaluate as run_evaluation
    from tastemaker.vetting.evaluation import step_count

    try:
        sets = choose_sets(data)
        with _progress(step_count(sets)) as step:
            report = run_evaluation(sets, progress=step)
    except DomainError as exc:
        raise fail(exc.message) from None
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
        return
    print_evaluation(report)


def print_evaluation(report: EvaluationReport) -> None:
    from tastemaker.vetting.card import HEADINGS
    from tastemaker.vetting.datasets import TITLES
    from tastemaker.vetting.evaluation import (
        METRICS,
        PROTOCOLS,
        PUBLISHED,
        ROW_ORDER,
        SHORT_LABELS,
        comparison,
    )

    rows = comparison(report)
    for name in dict.fromkeys(row.dataset for row in rows):
        table = Table(title=TITLES[name], title_justify="left")
        table.add_column("protocol", no_wrap=True)
        for metric in METRICS:
            table.add_column(HEADINGS[metric], justify="right")
        published = PUBLISHED[name].figures
        for row in rows:
            if row.dataset != name:
                continue
            cells = []
            for metric in METRICS:
                value = row.values[metric]
                text = "–" if value is None else f"{value:.3f}"
                # Ours against the published figure: green at or above it, red below.
                target = published.get(metric)
                if not row.published and value is not None and target is not None:
                    text = f"[{'green' if value >= target else 'red'}]{text}[/]"
                cells.append(text)
            label = f"[italic]{row.short_label}[/italic]" if row.published else row.short_label
            table.add_row(label, *cells)
        console.print(table)
        source, note = PUBLISHED[name].source, PUBLISHED[name].note
        console.print(f"  published: {source}", style="dim", highlight=False)
        if note:
            console.print(f"  {note}", style="dim", highlight=False)
    legend = "; ".join(f"{SHORT_LABELS[p]}: {PROTOCOLS[p]}" for p in ROW_ORDER)
    console.print(
        f"{legend}. Threshold {report.threshold}, CV seed {report.seed}; metrics pooled over "
        "out-of-fold predictions; green/red: at or above / below the published figure.",
        style="dim",
        highlight=False,
    )


@app.command("score")
def score(
    file: Path = typer.Argument(..., help="follower sample: CSV, XLSX or JSON list of objects"),
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON"),
    show: int = typer.Option(SHOWN_FOLLOWERS, help="followers to list, most likely fake first"),
    save: str | None = typer.Option(
        None,
        "--save",
        metavar="ACCOUNT",
        help="store the report as an audience check of this account, as platform:handle "
        "(e.g. instagram:ana.lima)",
    ),
    workspace: WorkspaceOption = None,
) -> None:
    """Score a sample of a creator's followers with the shipped model."""
    from tastemaker.vetting.sample import read_sample_file
    from tastemaker.vetting.scoring import report as build_report

    saved: _Saved | None = None
    try:
        sample = read_sample_file(file)
        if save is None:
            result = build_report(sample.profiles)
        else:
            result, saved = _score_and_save(file, sample, save, workspace)
    except DomainError as exc:
        _print_problems(exc)
        # The account reference is typed as --save.
        raise domain_failure(exc, {"account": "--save"}) from None
    if sample.ignored:
        err_console.print(
            "ignored columns: " + "; ".join(sample.ignored),
            style="yellow",
            highlight=False,
            markup=False,
        )
    if as_json:
        answer = _json_answer(file, sample, result)
        if saved is not None:
            answer["saved"] = asdict(saved)
        typer.echo(json.dumps(answer, indent=2))
        return
    _print_report(file, sample, result, show)
    if saved is not None:
        console.print(
            f"saved audience check [bold]{saved.check_id}[/bold] of {escape(saved.account)} "
            f"in workspace {escape(saved.workspace)}",
            highlight=False,
        )


@dataclass(frozen=True)
class _Saved:
    check_id: int
    workspace: str
    account: str


def _score_and_save(
    file: Path, sample: FollowerSample, reference: str, workspace: str | None
) -> tuple[VettingReport, _Saved]:
    """The workspace and the account are found before the sample is scored, so a mistyped
    handle fails at once; nothing is stored unless the whole report is."""
    from tastemaker.creator import service as creator_service
    from tastemaker.kit.db import session_scope
    from tastemaker.vetting import service
    from tastemaker.vetting.scoring import report as build_report
    from tastemaker.workspace.service import context_for_cli

    with session_scope() as session:
        ctx = context_for_cli(session, workspace)
        account = creator_service.account_by_reference(ctx.session, reference)
        result = build_report(sample.profiles)
        check = service.save_report(ctx, account, sample, result, file.name)
        saved = _Saved(
            check_id=check.id,
            workspace=ctx.workspace.slug,
            account=creator_service.account_label(account),
        )
    return result, saved


def _print_problems(exc: DomainError) -> None:
    details = exc.details if isinstance(exc.details, dict) else {}
    problems = details.get("problems") or []
    for problem in problems[:SHOWN_PROBLEMS]:
        where, name, message = problem["where"], problem["field"], problem["message"]
        err_console.print(
            f"  {where}{', ' + name if name else ''}: {message}", highlight=False, markup=False
        )
    hidden = len(problems) - min(len(problems), SHOWN_PROBLEMS) + details.get("more_problems", 0)
    if hidden:
        err_console.print(f"  ... and {hidden} more", highlight=False)


def _json_answer(file: Path, sample: FollowerSample, result: VettingReport) -> dict[str, Any]:
    answer = result.to_dict()
    for follower in answer["followers"]:
        follower["where"] = sample.rows[follower["position"]]
    return {
        "file": str(file),
        "format": sample.format,
        "columns": sample.columns,
        "ignored_columns": sample.ignored,
        "report": answer,
    }


def _interval(interval: Interval) -> str:
    return f"95% interval {interval.low:.1%} – {interval.high:.1%}"


def _share(share: Share) -> str:
    return f"{share.count:,} of {share.of:,} = {share.value:.1%}  ({_interval(share.interval)})"


def _print_report(file: Path, sample: FollowerSample, result: VettingReport, show: int) -> None:
    from tastemaker.vetting.scoring import SMALL_SAMPLE

    # File names, headers and usernames come from the file: escaped, they are text.
    console.print(
        f"[bold]{escape(file.name)}[/bold]: {result.sample_size:,} followers ({sample.format}); "
        f"columns used: {escape(', '.join(sample.columns.values()))}",
        highlight=False,
    )
    summary = Table(show_header=False, box=None, padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    summary.add_row(
        "expected fake share",
        f"{result.expected_fake_share:.1%}  ({_interval(result.expected_fake_share_interval)})",
    )
    summary.add_row(f"flagged (p >= {result.threshold:g})", _share(result.flagged))
    summary.add_row(
        "mass followers",
        _share(result.mass_followers) if result.mass_followers else "– (following unknown)",
    )
    console.print(summary)
    console.print(
        result.sample_note, style="yellow" if result.sample_size < SMALL_SAMPLE else "dim"
    )
    if result.reasons:
        reasons = Table(title="Why followers were flagged", title_justify="left")
        reasons.add_column("reason")
        reasons.add_column("flagged followers", justify="right")
        reasons.add_column("mean push (log-odds)", justify="right")
        for reason in result.reasons:
            reasons.add_row(
                reason.text, f"{reason.followers:,} of {reason.of_flagged:,}",
                f"{reason.mean_contribution:+.2f}",
            )  # fmt: skip
        console.print(reasons)
        if result.explained < result.sample_size:
            console.print(
                f"reasons from a random {result.explained:,} of the followers", style="dim"
            )
    if show > 0:
        likely = sorted(result.followers, key=lambda f: -f.probability)[:show]
        table = Table(title="Most likely fake", title_justify="left")
        table.add_column("where")
        table.add_column("username")
        table.add_column("p(fake)", justify="right")
        table.add_column("reasons")
        for follower in likely:
            table.add_row(
                escape(sample.rows[follower.position]),
                escape(follower.username or "–"),
                f"{follower.probability:.2f}",
                "; ".join(follower.reasons) or "–",
            )
        console.print(table)
    console.print(
        f"model trained {result.model_trained_at}; read its limits in vetting/model/MODEL_CARD.md",
        style="dim",
        highlight=False,
    )
