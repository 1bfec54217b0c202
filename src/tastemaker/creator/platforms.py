"""Platforms as people write them: 'IG', 'Tik Tok', 'twitter' -> the Platform they mean.
Used wherever a platform is typed: import files and their mapping, CLI references."""

from __future__ import annotations

from typing import Protocol

from tastemaker.creator.models import Platform
from tastemaker.kit.errors import ValidationFailed

# fmt: off
PLATFORM_ALIASES: dict[str, Platform] = {
    **{p.value: p for p in Platform},
    "ig": Platform.instagram, "insta": Platform.instagram, "tik tok": Platform.tiktok,
    "tiktoker": Platform.tiktok, "yt": Platform.youtube, "you tube": Platform.youtube,
    "youtuber": Platform.youtube, "twitter": Platform.x, "fb": Platform.facebook,
    "snap": Platform.snapchat,
}
# fmt: on


def parse_platform(text: str) -> Platform | None:
    return PLATFORM_ALIASES.get(" ".join(text.lower().replace("-", " ").split()))


def platform_names() -> str:
    return ", ".join(p.value for p in Platform)


def require_platform(text: str, field: str) -> Platform:
    """As parse_platform, refusing what it does not know with the field named."""
    found = parse_platform(text)
    if found is None:
        raise ValidationFailed(
            f"unknown platform {text.strip()!r}; use one of {platform_names()}",
            details={"field": field},
        )
    return found


class _Account(Protocol):
    """A stored account, or an answer's reference to one (creator.schemas.AccountRef)."""

    @property
    def platform(self) -> Platform: ...

    @property
    def handle(self) -> str: ...


def account_label(account: _Account) -> str:
    """An account as a command line names it (creator.service.account_by_reference):
    'instagram:ana.lima'."""
    return f"{account.platform.value}:{account.handle}"
