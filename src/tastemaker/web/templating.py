"""Jinja2 environment and the filters every page uses (money, times in the user's zone)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from tastemaker.kit.money import format_minor
from tastemaker.kit.time import to_zone

TEMPLATES_DIR = Path(__file__).parent / "templates"


def compact_number(value: float | int | None) -> str:
    if value is None:
        return "–"
    number = float(value)
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(number) >= threshold:
            return f"{number / threshold:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{number:,.0f}"


def percent(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def money(amount_minor: int | None, currency: str) -> str:
    return "–" if amount_minor is None else format_minor(amount_minor, currency)


templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.filters["compact"] = compact_number
templates.env.filters["percent"] = percent
templates.env.filters["money"] = money


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Renders a page, or only its fragment block when HTMX asks for `HX-Target`-sized HTML."""
    user = getattr(request.state, "user", None)
    zone = user.timezone if user is not None else "UTC"

    def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
        return "–" if value is None else to_zone(value, zone).strftime(fmt)

    data: dict[str, Any] = {
        "user": user,
        "workspace": getattr(request.state, "workspace", None),
        "role": getattr(request.state, "role", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "local_time": local_time,
        "user_zone": zone,
        "is_htmx": request.headers.get("hx-request") == "true",
    }
    data.update(context or {})
    return templates.TemplateResponse(request, name, data, status_code=status_code)
