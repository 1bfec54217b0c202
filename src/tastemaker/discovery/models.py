"""The stored search documents: one per platform account that has any text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

# The foreign key's table must be in the metadata first.
from tastemaker.creator import models as _creator_models  # noqa: F401
from tastemaker.kit.db import Base, BigId
from tastemaker.kit.time import UTCDateTime, utcnow


class SearchDocument(Base):
    """An account's bio and recent captions as one text, with its embedding. Derived from
    the account and its posts like a database index is: service.refresh rewrites it when the
    text's digest changes, and deleting the account deletes it."""

    __tablename__ = "search_document"

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("platform_account.id", ondelete="CASCADE"), primary_key=True
    )
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of text
    text: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(String(80))
    # float16 little-endian, `embedder.DIMENSIONS` of them, unit length.
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    indexed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SearchIndexState(Base):
    """One row: a token that changes whenever any document does. Every process keeps its
    in-memory index (discovery.index) while the token is the one it was built at, so a
    refresh in one process (an import, the CLI) is seen by the web process at its next
    search. A random token, not a counter: a rolled-back refresh never reuses it."""

    __tablename__ = "search_index_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
