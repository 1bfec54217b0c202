"""One error shape: JSON `{error: {code, message, details}}` for the API, a page for people."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from tastemaker.kit.errors import DomainError
from tastemaker.web.deps import LoginRequired
from tastemaker.web.templating import render

log = logging.getLogger(__name__)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or (
        "application/json" in request.headers.get("accept", "")
        and "text/html" not in request.headers.get("accept", "")
    )


def _error_response(
    request: Request, status: int, code: str, message: str, details: Any = None
) -> Response:
    if wants_json(request):
        return JSONResponse(
            {"error": {"code": code, "message": message, "details": details}}, status_code=status
        )
    return render(
        request, "error.html", {"status": status, "message": message, "code": code}, status
    )


def _clean_validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part != "body"]
        cleaned.append({"field": ".".join(location), "message": error.get("msg", "invalid")})
    return cleaned


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if wants_json(request):
            return _error_response(request, 401, exc.code, exc.message)
        if request.headers.get("hx-request") == "true":
            return Response(status_code=401, headers={"HX-Redirect": exc.next_url})
        return RedirectResponse(exc.next_url, status_code=303)

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        return _error_response(request, exc.status_code, exc.code, exc.message, exc.details)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        details = _clean_validation_errors(list(exc.errors()))
        first = details[0] if details else {"field": "", "message": "invalid input"}
        message = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
        return _error_response(request, 422, "validation_failed", message, details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error_response(request, exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error_response(request, 500, "internal_error", "something went wrong on our side")
