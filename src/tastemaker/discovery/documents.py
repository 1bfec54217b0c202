"""An account's search document: its bio, then its most recent captions, one per line."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

# Enough posts to say what an account is about now, few enough that last year's theme
# fades out as the account moves on.
RECENT_CAPTIONS = 12
# Hashtag blocks make captions long; past this a document says nothing new and only costs
# embedding time.
MAX_CHARS = 6_000


def document_text(bio: str | None, captions: Sequence[str]) -> str:
    parts = [part.strip() for part in (bio or "", *captions[:RECENT_CAPTIONS])]
    return "\n".join(part for part in parts if part)[:MAX_CHARS]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
