"""Platforms as people write them: 'IG', 'Tik Tok', 'twitter' -> the Platform they mean.
Used wherever a platform is typed: import files and their mapping, CLI references."""

from __future__ import annotations

from tastemaker.creator.models import Platform

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
