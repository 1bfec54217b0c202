"""`tastemaker brandsafety ...`: scan an account's recent captions at a terminal, through the
same service as the API, and keep the scan in a workspace."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table

from tastemaker.brandsafety.report import excerpt_parts
from tastemaker.brandsafety.schemas import (
    DEFAULT_POSTS,
    MAX_POSTS,
    ScanCreate,
    ScanDetail,
    parse_competitor,
)
from tastemaker.kit.cli import WorkspaceOption, console, domain_failure, fail, validation_failure
from tastemaker.kit.errors import DomainError

if TYPE_CHECKING:
    from tastemaker.workspace.context import Context

app = typer.Typer(
    help="Brand safety: scan a creator's captions for the GARM categories, your blocked "
    "keywords and your competitors.",
    no_args_is_help=True,
)

SHOWN_FINDINGS = 20
# Payload fields as the options that fill them are typed, for refusals.
OPTION_NAMES = {"keywords": "--keyword", "competitors": "--competitor", "tolerance": "--tolerance"}


def _tolerance(pairs: list[str]) -> dict[str, str]:
    tolerance: dict[str, str] = {}
    for pair in pairs:
        category, equals, level = pair.partition("=")
        if not equals:
            raise fail(f"{pair!r}: write it as CATEGORY=LEVEL, e.g. obscenity_profanity=medium",
                       "--tolerance")  # fmt: skip
        tolerance[category.strip()] = level.strip().lower()
    return tolerance


@app.command("scan")
def scan(
    account: str = typer.Argument(
        ..., metavar="PLATFORM:HANDLE", help="the account, e.g. instagram:ana.lima"
    ),
    workspace: WorkspaceOption = None,
    keyword: list[str] = typer.Option(
        [], "--keyword", "-k", help="a blocked word or phrase (plurals match too); repeat"
    ),
    competitor: list[str] = typer.Option(
        [],
        "--competitor",
        "-c",
        help="a competitor: its name, then its handles after commas ('Rival, @rival'); repeat",
    ),
    tolerance: list[str] = typer.Option(
        [],
        "--tolerance",
        metavar="CATEGORY=LEVEL",
        help="the highest level accepted in a category (low, medium or high): still shown, "
        "not scored; repeat",
    ),
    posts: int = typer.Option(
        DEFAULT_POSTS, "--posts", help=f"how many of the most recent posts to scan (1-{MAX_POSTS})"
    ),
    show: int = typer.Option(SHOWN_FINDINGS, help="findings to list"),
    as_json: bool = typer.Option(False, "--json", help="print the scan as the API gives it"),
) -> None:
    """Scan an account's most recent captions and keep the scan in the workspace."""
    from tastemaker.creator.service import account_label
    from tastemaker.kit.db import session_scope
    from tastemaker.workspace.service import context_for_cli

    payload = {
        "keywords": keyword,
        "competitors": [parse_competitor(text) for text in competitor],
        "tolerance": _tolerance(tolerance),
        "posts": posts,
    }
    try:
        data = ScanCreate.model_validate(payload)
    except ValidationError as exc:
        raise validation_failure(exc, OPTION_NAMES) from None
    try:
        with session_scope() as session:
            ctx = context_for_cli(session, workspace)
            detail = _scan(ctx, account, data)
            slug = ctx.workspace.slug
    except DomainError as exc:
        raise domain_failure(exc, OPTION_NAMES) from None
    if as_json:
        typer.echo(json.dumps(detail.model_dump(mode="json"), indent=2))
        return
    print_scan(detail, show)
    console.print(
        f"saved brand-safety scan [bold]{detail.id}[/bold] of "
        f"{escape(account_label(detail.account))} in workspace {escape(slug)}",
        highlight=False,
    )


def _scan(ctx: Context, reference: str, data: ScanCreate) -> ScanDetail:
    from tastemaker.brandsafety import service

    # The API's shape, so --json prints what GET /brand-safety-scans/{id} answers.
    from tastemaker.brandsafety.endpoints import scan_detail
    from tastemaker.creator import service as creator_service

    account = creator_service.account_by_reference(ctx.session, reference)
    stored = service.run_scan(ctx, account, data)
    return scan_detail(stored)


def print_scan(detail: ScanDetail, show: int) -> None:
    from tastemaker.creator.service import account_label

    # Captions, keywords and handles are typed by people: escaped, they are text, not markup.
    account = account_label(detail.account)
    console.print(f"[bold]{escape(account)}[/bold]: {escape(detail.summary)}", highlight=False)
    summary = Table(show_header=False, box=None, padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    summary.add_row("score", f"{detail.score.value:.1f} / 100" if detail.score else "–")
    summary.add_row("highest level", detail.highest_level or "none found")
    window = (
        f"{detail.posts_scanned} captions, posted {_day(detail.oldest_post_at)} to "
        f"{_day(detail.newest_post_at)}"
    )
    if detail.posts_without_text:
        window += f"; {detail.posts_without_text} more posts had no caption"
    summary.add_row("scanned", window)
    summary.add_row("keywords", escape(", ".join(detail.settings.keywords)) or "–")
    summary.add_row(
        "competitors", escape(", ".join(c.name for c in detail.settings.competitors)) or "–"
    )
    console.print(summary)
    found = [c for c in detail.categories if c.findings]
    if found:
        table = Table(title="By category", title_justify="left")
        table.add_column("category", ratio=2)
        table.add_column("posts", justify="right")
        table.add_column("share", justify="right")
        table.add_column("found", justify="right")
        table.add_column("level")
        table.add_column("terms", ratio=2)
        for c in found:
            table.add_row(
                escape(c.name), str(c.posts_flagged),
                f"{c.share_flagged:.1%}" if c.share_flagged is not None else "–",
                str(c.findings), c.highest_level or "–",
                escape(", ".join(f"{t.term} ×{t.findings}" for t in c.terms[:5])),
            )  # fmt: skip
        console.print(table)
    if show > 0 and detail.findings:
        evidence = Table(title="Evidence", title_justify="left")
        evidence.add_column("posted")
        evidence.add_column("post")
        evidence.add_column("category")
        evidence.add_column("level")
        evidence.add_column("in context")
        for f in detail.findings[:show]:
            before, match, after = excerpt_parts(f.model_dump())
            context = f"{escape(before)}[bold red]{escape(match)}[/bold red]{escape(after)}"
            evidence.add_row(
                _day(f.posted_at), escape(f.external_id), escape(f.category_name),
                f.level or "conflict", context,
            )  # fmt: skip
        console.print(evidence)
        shown = min(show, detail.findings_kept)
        if detail.findings_count > shown:
            console.print(
                f"{shown} of {detail.findings_count} findings shown; {_kept(detail)}", style="dim"
            )
    console.print(
        "Negation is not read: a finding is evidence for a person to read, not a verdict.",
        style="dim",
    )


def _kept(detail: ScanDetail) -> str:
    """Where the findings not shown are: the evidence keeps them all, or only the first."""
    where = "in --json and in the evidence CSV"
    if detail.findings_kept == detail.findings_count:
        return f"all of them {where}"
    return f"the first {detail.findings_kept} are kept as evidence, {where}"


def _day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value is not None else "–"
