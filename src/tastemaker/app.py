"""The FastAPI application: JSON API under /api/v1, the web UI, static files."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker

from tastemaker import __version__
from tastemaker.account import views as account_views
from tastemaker.brandsafety import endpoints as brandsafety_endpoints
from tastemaker.brandsafety import views as brandsafety_views
from tastemaker.campaign import endpoints as campaign_endpoints
from tastemaker.campaign import views as campaign_views
from tastemaker.creator import endpoints as creator_endpoints
from tastemaker.creator import views as creator_views
from tastemaker.imports import endpoints as import_endpoints
from tastemaker.imports import views as import_views
from tastemaker.kit.db import get_sessionmaker
from tastemaker.kit.logs import install_redaction
from tastemaker.kit.security import new_token
from tastemaker.kit.settings import get_settings
from tastemaker.vetting import endpoints as vetting_endpoints
from tastemaker.vetting import views as vetting_views
from tastemaker.web.deps import CSRF_COOKIE
from tastemaker.web.errors import install_error_handlers
from tastemaker.workspace import endpoints as workspace_endpoints
from tastemaker.workspace import views as workspace_views

API_PREFIX = "/api/v1"
STATIC_DIR = Path(__file__).parent / "web" / "static"


def create_app(session_factory: sessionmaker[Session] | None = None) -> FastAPI:
    app = FastAPI(
        title="Tastemaker API",
        version=__version__,
        description=(
            "The public contract of Tastemaker, the open-source influencer-marketing platform. "
            "Authenticate with a workspace API key: `Authorization: Bearer tm_...`. Errors "
            "always have the shape `{error: {code, message, details}}`."
        ),
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.sessionmaker = session_factory or get_sessionmaker()
    install_redaction()
    secure = get_settings().cookies_secure

    @app.middleware("http")
    async def csrf_cookie_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        token = request.cookies.get(CSRF_COOKIE) or new_token(24)
        request.state.csrf_token = token
        response = await call_next(request)
        if CSRF_COOKIE not in request.cookies:
            response.set_cookie(
                CSRF_COOKIE, token, httponly=True, samesite="lax", secure=secure, path="/"
            )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    install_error_handlers(app)
    for module in (
        workspace_endpoints,
        creator_endpoints,
        vetting_endpoints,
        brandsafety_endpoints,
        campaign_endpoints,
        import_endpoints,
    ):
        app.include_router(module.router, prefix=API_PREFIX)
    for module in (
        account_views,
        workspace_views,
        creator_views,
        vetting_views,
        brandsafety_views,
        campaign_views,
        import_views,
    ):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
