"""Request dependencies: the request's transaction, who is calling, and CSRF."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from tastemaker.account.models import User, UserSession
from tastemaker.account.service import resolve_session
from tastemaker.kit.errors import DomainError, NotAuthenticated, NotFound, PermissionDenied
from tastemaker.kit.security import constant_time_equals
from tastemaker.workspace import repository as workspace_repo
from tastemaker.workspace.context import Context
from tastemaker.workspace.models import Workspace, WorkspaceKind
from tastemaker.workspace.service import context_for_api_key, context_for_user

SESSION_COOKIE = "tm_session"
CSRF_COOKIE = "tm_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def get_db(request: Request) -> Iterator[Session]:
    """The request owns the transaction: commit on success, roll back on any error, and run
    side effects (e-mails) only once the commit has succeeded."""
    session: Session = request.app.state.sessionmaker()
    request.state.after_commit = []
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        request.state.after_commit = []
        raise
    finally:
        session.close()
    for effect in request.state.after_commit:
        effect()


Db = Annotated[Session, Depends(get_db, scope="function")]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def api_context(request: Request, db: Db) -> Context:
    """API callers authenticate with a workspace API key: `Authorization: Bearer tm_...`."""
    secret = _bearer(request)
    if secret is None:
        raise NotAuthenticated("send an API key as 'Authorization: Bearer tm_...'")
    ctx = context_for_api_key(db, secret)
    if ctx is None:
        raise NotAuthenticated("this API key is unknown or revoked", code="invalid_api_key")
    ctx.after_commit = request.state.after_commit
    return ctx


ApiContext = Annotated[Context, Depends(api_context)]


def api_writer(ctx: ApiContext) -> Context:
    ctx.require_write()
    return ctx


def api_owner(ctx: ApiContext) -> Context:
    ctx.require_owner()
    return ctx


ApiWriter = Annotated[Context, Depends(api_writer)]
ApiOwner = Annotated[Context, Depends(api_owner)]


class LoginRequired(DomainError):
    """Raised by pages for anonymous visitors; rendered as a redirect to the sign-in page."""

    status_code = 401
    code = "login_required"

    def __init__(self, next_url: str) -> None:
        super().__init__("sign in to continue")
        self.next_url = next_url


def login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/login?next={quote(target)}"


@dataclass(frozen=True)
class Viewer:
    """Who is looking, copied out of the session so error pages can still be rendered
    after the request's transaction has been rolled back."""

    id: int
    email: str
    name: str
    timezone: str


@dataclass(frozen=True)
class WorkspaceView:
    id: int
    name: str
    slug: str
    kind: WorkspaceKind
    default_currency: str
    timezone: str


def remember_viewer(request: Request, user: User, workspace: Workspace | None = None) -> None:
    request.state.user = Viewer(user.id, user.email, user.name, user.timezone)
    if workspace is not None:
        request.state.workspace = WorkspaceView(
            workspace.id,
            workspace.name,
            workspace.slug,
            workspace.kind,
            workspace.default_currency,
            workspace.timezone,
        )


def optional_user(request: Request, db: Db) -> tuple[UserSession, User] | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return resolve_session(db, token)


OptionalUser = Annotated[tuple[UserSession, User] | None, Depends(optional_user)]


def current_user(request: Request, found: OptionalUser) -> tuple[UserSession, User]:
    if found is None:
        raise LoginRequired(login_url(request))
    return found


CurrentUser = Annotated[tuple[UserSession, User], Depends(current_user)]


def page_context(request: Request, slug: str, db: Db, found: CurrentUser) -> Context:
    """Pages live under /w/{slug}/...; a workspace the user is not in is a 404."""
    user_session, user = found
    workspace = workspace_repo.workspace_by_slug(db, slug)
    if workspace is None:
        raise NotFound("workspace not found")
    ctx = context_for_user(db, user, workspace)
    ctx.after_commit = request.state.after_commit
    if user_session.current_workspace_id != workspace.id:
        user_session.current_workspace_id = workspace.id
    remember_viewer(request, user, workspace)
    request.state.role = ctx.role
    return ctx


PageContext = Annotated[Context, Depends(page_context)]


def page_writer(ctx: PageContext) -> Context:
    ctx.require_write()
    return ctx


def page_owner(ctx: PageContext) -> Context:
    ctx.require_owner()
    return ctx


PageWriter = Annotated[Context, Depends(page_writer)]
PageOwner = Annotated[Context, Depends(page_owner)]


async def verify_csrf(request: Request) -> None:
    """Double-submit check on every unsafe page request: the form field (or the header HTMX
    sends) must equal the CSRF cookie; a cross-site form cannot read that cookie."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else ""
    if not cookie or not sent or not constant_time_equals(cookie, sent):
        raise PermissionDenied(
            "the form expired or came from another site; reload the page and try again",
            code="csrf_failed",
        )


async def posted_form(request: Request) -> FormData:
    # Starlette caches the parsed form on the request, so verify_csrf's read is reused.
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


def form_text(form: FormData, name: str) -> str:
    """A text field as typed, trimmed; '' when absent or a file."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""
