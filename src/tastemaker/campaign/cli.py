"""`tastemaker campaigns ...`: list and create campaigns from a terminal.

Every refusal is one red line naming the field, with exit status 1; never a traceback."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table

from tastemaker.campaign import service
from tastemaker.campaign.models import CampaignStatus, Objective
from tastemaker.campaign.schemas import CampaignCreate, CampaignRead
from tastemaker.creator.models import Platform
from tastemaker.kit.cli import (
    WorkspaceOption,
    console,
    domain_failure,
    failure,
    validation_failure,
)
from tastemaker.kit.db import session_scope
from tastemaker.kit.errors import DomainError
from tastemaker.kit.money import MoneyError, format_minor, parse_major, validate_currency
from tastemaker.workspace.service import context_for_cli

app = typer.Typer(help="Campaigns: plan, budget and roster.", no_args_is_help=True)


# Schema field -> the option a person typed, so the message names what they can fix.
OPTION_NAMES = {
    "budget_minor": "budget",
    "start_date": "start",
    "end_date": "end",
    "platforms": "platform",
}


def _fail(message: str, field: str | None = None) -> typer.Exit:
    return failure(message, field, OPTION_NAMES, dashed=False)


def _domain_failure(exc: DomainError) -> typer.Exit:
    return domain_failure(exc, OPTION_NAMES, dashed=False)


def _validation_failure(exc: ValidationError) -> typer.Exit:
    return validation_failure(exc, OPTION_NAMES, dashed=False)


def _choice(kind: type[Any], value: str, field: str) -> Any:
    try:
        return kind(value.strip().lower())
    except ValueError as exc:
        choices = ", ".join(member.value for member in kind)
        raise _fail(f"unknown value {value!r}; one of {choices}", field) from exc


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise _fail(f"{value!r} is not a date (YYYY-MM-DD)", field) from exc


@app.command("list")
def list_campaigns(
    status: Annotated[
        str | None, typer.Option(help="only campaigns in this status, e.g. active")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of a table")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """List the workspace's campaigns, newest first."""
    wanted = _choice(CampaignStatus, status, "status") if status else None
    try:
        with session_scope() as session:
            ctx = context_for_cli(session, workspace)
            campaigns = service.list_campaigns(ctx, wanted)
            totals = service.roster_totals(ctx, campaigns)
            rows = [(CampaignRead.of(c), totals[c.id]) for c in campaigns]
    except DomainError as exc:
        raise _domain_failure(exc) from exc
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        **read.model_dump(mode="json"),
                        "roster_size": total.size,
                        "planned_fees_minor": total.planned_minor,
                    }
                    for read, total in rows
                ],
                indent=2,
            )
        )
        return
    if not rows:
        console.print("no campaigns yet; create one with `tastemaker campaigns create`")
        return
    # Figures and dates never wrap; the name gives way on narrow terminals. The rest of a
    # campaign is in --json.
    table = Table("id")
    table.add_column("name")
    table.add_column("status", no_wrap=True)
    table.add_column("budget", justify="right", no_wrap=True)
    table.add_column("planned", justify="right", no_wrap=True)
    table.add_column("start", no_wrap=True)
    table.add_column("end", no_wrap=True)
    for read, total in rows:
        table.add_row(
            str(read.id),
            escape(read.name),
            read.status.value,
            read.budget.formatted,
            format_minor(total.planned_minor, read.budget.currency),
            str(read.start_date or "–"),
            str(read.end_date or "–"),
        )
    console.print(table)


@app.command("create")
def create_campaign(
    name: Annotated[str, typer.Option(help="campaign name")],
    objective: Annotated[str, typer.Option(help=f"one of {', '.join(o.value for o in Objective)}")],
    budget: Annotated[str, typer.Option(help='in major units, e.g. "12,500.00"')] = "0",
    currency: Annotated[
        str | None, typer.Option(help="ISO 4217 code; the workspace's currency when omitted")
    ] = None,
    start: Annotated[str | None, typer.Option(help="start date, YYYY-MM-DD")] = None,
    end: Annotated[str | None, typer.Option(help="end date, YYYY-MM-DD")] = None,
    platform: Annotated[
        list[str] | None, typer.Option(help="a platform to run on; repeat for more")
    ] = None,
    description: Annotated[str, typer.Option(help="what the campaign is for")] = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Create a draft campaign."""
    chosen_objective = _choice(Objective, objective, "objective")
    platforms = [_choice(Platform, p, "platform") for p in platform or []]
    start_date = _date(start, "start")
    end_date = _date(end, "end")
    try:
        with session_scope() as session:
            ctx = context_for_cli(session, workspace)
            try:
                code = validate_currency(currency or ctx.workspace.default_currency)
            except MoneyError as exc:
                raise _fail(str(exc), "currency") from exc
            try:
                budget_minor = parse_major(budget, code)
            except MoneyError as exc:
                raise _fail(str(exc), "budget") from exc
            try:
                data = CampaignCreate(
                    name=name,
                    description=description,
                    objective=chosen_objective,
                    budget_minor=budget_minor,
                    currency=code,
                    start_date=start_date,
                    end_date=end_date,
                    platforms=platforms,
                )
            except ValidationError as exc:
                raise _validation_failure(exc) from exc
            campaign = service.create_campaign(ctx, data)
            summary = (
                f"created campaign [bold]#{campaign.id}[/bold] {escape(campaign.name)} "
                f"({campaign.status.value}, budget "
                f"{format_minor(campaign.budget_minor, campaign.currency)}) "
                f"in {escape(ctx.workspace.slug)}"
            )
    except DomainError as exc:
        raise _domain_failure(exc) from exc
    console.print(summary)
