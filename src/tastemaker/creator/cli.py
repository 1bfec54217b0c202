"""`tastemaker creators ...`: the creators list, for a person at a terminal."""

from __future__ import annotations

import json

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table

from tastemaker.creator import service
from tastemaker.creator.models import Platform, RelationshipStatus
from tastemaker.creator.schemas import DEFAULT_SORT, SORT_VALUES, CreatorFilters, CreatorPageRead
from tastemaker.discovery.ranking import FORMULA as RELEVANCE_FORMULA
from tastemaker.kit.cli import WorkspaceOption, console, fail, validation_failure
from tastemaker.kit.errors import DomainError
from tastemaker.kit.pagination import MAX_PAGE_SIZE, PageParams

app = typer.Typer(help="Creators and their platform accounts.", no_args_is_help=True)


# Filter fields whose options are named otherwise, for refusals.
OPTION_NAMES = {
    "min_engagement_rate": "--min-er",
    "relationship_status": "--status",
    "list_id": "--list",
}


@app.command("list")
def list_creators(
    platform: Platform | None = typer.Option(None, help="only accounts on this platform"),
    country: str | None = typer.Option(None, help="ISO 3166 two-letter code, e.g. FR"),
    language: str | None = typer.Option(None, help="language code, e.g. fr or pt-BR"),
    tier: str | None = typer.Option(None, help="nano, micro, mid, macro or mega"),
    category: str | None = typer.Option(None, help="e.g. beauty"),
    min_followers: int | None = typer.Option(None, help="at least this many followers"),
    max_followers: int | None = typer.Option(None, help="at most this many followers"),
    min_er: float | None = typer.Option(None, help="engagement rate from, in percent: 3.5"),
    search: str | None = typer.Option(None, help="name contains, or handle starts with"),
    about: str | None = typer.Option(
        None, help="what they are about, in plain words: ranks by relevance"
    ),
    tag: str | None = typer.Option(None, help="this workspace's tag"),
    status: RelationshipStatus | None = typer.Option(None, help="this workspace's relationship"),
    list_id: int | None = typer.Option(None, "--list", help="id of one of this workspace's lists"),
    sort: str = typer.Option(
        DEFAULT_SORT, help=f"one of {', '.join(SORT_VALUES)}; '-' sorts descending"
    ),
    page: int = typer.Option(1, help="page number, from 1"),
    per_page: int = typer.Option(50, help=f"rows per page, up to {MAX_PAGE_SIZE}"),
    as_json: bool = typer.Option(False, "--json", help="print JSON, as the API answers"),
    workspace: WorkspaceOption = None,
) -> None:
    """One row per platform account, filtered and sorted, one page at a time."""
    try:
        filters = CreatorFilters(
            platform=platform,
            country=country,
            language=language,
            tier=tier,
            category=category,
            min_followers=min_followers,
            max_followers=max_followers,
            min_engagement_rate=None if min_er is None else min_er / 100,
            search=search,
            about=about,
            tag=tag,
            relationship_status=status,
            list_id=list_id,
        )
    except ValidationError as exc:
        raise validation_failure(exc, OPTION_NAMES) from None
    _show(filters, "relevance" if about else sort, page, per_page, as_json, workspace)


@app.command("search")
def search_creators(
    description: str = typer.Argument(
        ..., help="who you are looking for, e.g. 'vegan food creators who post recipe reels'"
    ),
    platform: Platform | None = typer.Option(None, help="only accounts on this platform"),
    country: str | None = typer.Option(None, help="ISO 3166 two-letter code, e.g. FR"),
    language: str | None = typer.Option(None, help="language code, e.g. fr or pt-BR"),
    tier: str | None = typer.Option(None, help="nano, micro, mid, macro or mega"),
    category: str | None = typer.Option(None, help="e.g. beauty"),
    page: int = typer.Option(1, help="page number, from 1"),
    per_page: int = typer.Option(20, help=f"rows per page, up to {MAX_PAGE_SIZE}"),
    as_json: bool = typer.Option(False, "--json", help="print JSON, as the API answers"),
    workspace: WorkspaceOption = None,
) -> None:
    """Accounts ranked by how well their bio and recent captions match a description
    (`creators list --about` with every other filter)."""
    try:
        filters = CreatorFilters(
            about=description,
            platform=platform,
            country=country,
            language=language,
            tier=tier,
            category=category,
        )
    except ValidationError as exc:
        raise validation_failure(exc, OPTION_NAMES) from None
    _show(filters, "relevance", page, per_page, as_json, workspace)


@app.command("index")
def index_creators() -> None:
    """Bring every account's search document (bio + recent captions, embedded) up to date;
    unchanged texts are skipped. Imports do this by themselves."""
    from tastemaker.discovery import service as discovery_service
    from tastemaker.kit.cli import progress_bar
    from tastemaker.kit.db import session_scope

    # Accounts are public: one index serves every workspace.
    with session_scope() as session, progress_bar() as progress:
        total = discovery_service.account_count(session)
        task = progress.add_task("search documents", total=max(total, 1))
        result = discovery_service.refresh(session, progress=lambda n: progress.advance(task, n))
    console.print(
        f"{result.embedded:,} embedded, {result.unchanged:,} unchanged, "
        f"{result.removed:,} removed (accounts with no text left)"
    )


def _show(
    filters: CreatorFilters,
    sort: str,
    page: int,
    per_page: int,
    as_json: bool,
    workspace: str | None,
) -> None:
    from tastemaker.creator.endpoints import page_read
    from tastemaker.kit.db import session_scope
    from tastemaker.workspace.service import context_for_cli

    try:
        with session_scope() as session:
            ctx = context_for_cli(session, workspace)
            found = service.list_creators(ctx, filters, sort, PageParams(page, per_page))
            slug = ctx.workspace.slug
            answer = page_read(ctx, found)
    except DomainError as exc:
        raise fail(exc.message) from None
    if as_json:
        typer.echo(json.dumps(answer.model_dump(mode="json"), indent=2))
        return
    _print_table(answer, slug, sort)


def _print_table(answer: CreatorPageRead, slug: str, sort: str) -> None:
    if not answer.items:
        console.print(
            "No creator matches." if answer.page == 1 else f"No creators on page {answer.page}."
        )
        return
    table = Table(title=f"Creators in {slug} · page {answer.page} · sorted {sort}")
    for column in ("creator", "platform", "handle"):
        table.add_column(column)
    ranked = any(row.relevance for row in answer.items)
    if ranked:
        table.add_column("relevance", justify="right")
    table.add_column("followers", justify="right")
    table.add_column("ER", justify="right")
    for column in ("tier", "country", "categories", "figures"):
        table.add_column(column)
    for row in answer.items:
        followers, rate = row.followers, row.engagement_rate
        # Names, categories and sources come from imported files: escaped, they are text.
        relevance = [f"{row.relevance.score:.2f}" if row.relevance else "–"] if ranked else []
        table.add_row(
            escape(row.display_name) + (" (virtual)" if row.is_virtual else ""),
            row.platform.value,
            escape(f"@{row.handle}"),
            *relevance,
            f"{followers.value:,.0f}" if followers.value is not None else "–",
            f"{rate.value * 100:.2f}%" if rate.value is not None else "–",
            row.tier.label if row.tier else "–",
            row.country or "–",
            escape(", ".join(row.categories)),
            # Where the figures come from, as every face shows them.
            followers.provenance.value
            + (f" · {escape(followers.source)}" if followers.source else "")
            + (f" · {followers.at:%Y-%m-%d}" if followers.at else ""),
        )
    console.print(table)
    if ranked:
        console.print(f"relevance: {RELEVANCE_FORMULA}", style="dim")
    formulas = sorted({r.engagement_rate.formula_text or "" for r in answer.items} - {""})
    if formulas:
        console.print("ER = " + "; or ".join(formulas), style="dim")
    if answer.has_next:
        console.print(f"More: --page {answer.page + 1}", style="dim")
