"""The `tastemaker` command: the same services as the web app, for a person at a terminal."""

from __future__ import annotations

import getpass

import typer

from tastemaker.kit.cli import console, fail
from tastemaker.kit.errors import DomainError

app = typer.Typer(help="Tastemaker: open-source influencer marketing.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
users_app = typer.Typer(help="People and their accounts.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database to the newest schema."""
    from tastemaker.kit.migrate import upgrade
    from tastemaker.kit.settings import get_settings

    url = get_settings().database_url
    upgrade(url)
    console.print(f"database is up to date: [bold]{_redact(url)}[/bold]")


def _redact(url: str) -> str:
    """Never print a database password."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
    migrate: bool = typer.Option(True, help="upgrade the database first"),
) -> None:
    """Serve the web app and the JSON API."""
    import uvicorn

    if migrate:
        db_upgrade()
    console.print(f"Tastemaker is at [bold]http://{host}:{port}[/bold] (API docs at /api/v1/docs)")
    uvicorn.run("tastemaker.app:create_app", factory=True, host=host, port=port, log_level="info")


@users_app.command("create")
def users_create(
    email: str = typer.Option(..., help="sign-in e-mail"),
    name: str = typer.Option(..., help="display name"),
    workspace: str = typer.Option("", help="also create a workspace with this name, as owner"),
    password: str = typer.Option(
        "", help="password (asked for when omitted; avoid it in shell history)"
    ),
    timezone: str = typer.Option("UTC", help="IANA time zone, e.g. Europe/Paris"),
) -> None:
    """Create a person who can sign in, optionally with a first workspace."""
    from tastemaker.account.service import register
    from tastemaker.kit.db import session_scope
    from tastemaker.workspace.service import create_workspace

    if not password:
        password = getpass.getpass("Password: ")
    try:
        with session_scope() as session:
            user = register(session, email=email, name=name, password=password, timezone=timezone)
            slug = create_workspace(session, user, name=workspace).slug if workspace else None
    except DomainError as exc:
        raise fail(exc.message) from exc
    console.print(
        f"created [bold]{user.email}[/bold]" + (f" owning workspace {slug}" if slug else "")
    )


def register_domain_commands() -> None:
    """Domains own their commands; importing them here keeps this file an index."""
    from tastemaker.brandsafety.cli import app as brandsafety_app
    from tastemaker.campaign.cli import app as campaigns_app
    from tastemaker.creator.cli import app as creators_app
    from tastemaker.demo.cli import register as register_demo
    from tastemaker.imports.cli import import_creators
    from tastemaker.vetting.cli import app as vetting_app

    creators_app.command("import")(import_creators)
    app.add_typer(creators_app, name="creators")
    app.add_typer(campaigns_app, name="campaigns")
    app.add_typer(vetting_app, name="vetting")
    app.add_typer(brandsafety_app, name="brandsafety")
    register_demo(app)


register_domain_commands()
