"""Reads and writes of the search documents, and of the text they are made from.

The text belongs to the creator domain (an account's bio, its posts' captions); it is read
here with plain queries because a document is an index over it, written in bulk, like the
database's own indexes are, and it must not load accounts one by one to do so.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from tastemaker.creator.models import PlatformAccount, Post
from tastemaker.discovery.documents import RECENT_CAPTIONS
from tastemaker.discovery.models import SearchDocument, SearchIndexState
from tastemaker.kit.bulk import in_chunks
from tastemaker.kit.time import utcnow

_STATE_ID = 1


@dataclass
class Source:
    account_id: int
    bio: str | None
    captions: list[str]  # newest first


class SearchDocumentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # ----------------------------------------------------------------- the token

    def token(self) -> str:
        return self.session.scalar(select(SearchIndexState.token)) or ""

    def bump_token(self) -> None:
        state = self.session.get(SearchIndexState, _STATE_ID)
        if state is None:
            self.session.add(SearchIndexState(id=_STATE_ID, token=secrets.token_hex(16)))
        else:
            state.token = secrets.token_hex(16)
            state.changed_at = utcnow()
        self.session.flush()

    # ----------------------------------------------------------------- documents

    def all_documents(self) -> tuple[list[int], list[str], list[bytes]]:
        ids: list[int] = []
        texts: list[str] = []
        blobs: list[bytes] = []
        stmt = select(SearchDocument.account_id, SearchDocument.text, SearchDocument.vector)
        for account_id, text, vector in self.session.execute(
            stmt.order_by(SearchDocument.account_id).execution_options(yield_per=10_000)
        ):
            ids.append(account_id)
            texts.append(text)
            blobs.append(vector)
        return ids, texts, blobs

    def digests(self, account_ids: list[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for condition in in_chunks(self.session, SearchDocument.account_id, account_ids):
            stmt = select(SearchDocument.account_id, SearchDocument.digest).where(condition)
            found.update((i, d) for i, d in self.session.execute(stmt))
        return found

    def replace(self, rows: list[dict[str, object]]) -> None:
        """Writes these documents, each in place of the account's old one."""
        if not rows:
            return
        self.remove([int(row["account_id"]) for row in rows])  # type: ignore[call-overload]
        self.session.execute(insert(SearchDocument), rows)

    def remove(self, account_ids: list[int]) -> None:
        for condition in in_chunks(self.session, SearchDocument.account_id, account_ids):
            self.session.execute(delete(SearchDocument).where(condition))

    # ----------------------------------------------------------------- their sources

    def account_count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(PlatformAccount)) or 0

    def account_ids(self, after: int, limit: int) -> list[int]:
        """Every account, in id order, one batch at a time."""
        stmt = (
            select(PlatformAccount.id)
            .where(PlatformAccount.id > after)
            .order_by(PlatformAccount.id)
            .limit(limit)
        )
        return list(self.session.scalars(stmt))

    def sources(self, account_ids: Sequence[int]) -> list[Source]:
        """The accounts' bios and most recent captions; accounts that no longer exist are
        left out."""
        ids = list(account_ids)
        found: dict[int, Source] = {}
        for condition in in_chunks(self.session, PlatformAccount.id, ids):
            for account_id, bio in self.session.execute(
                select(PlatformAccount.id, PlatformAccount.bio).where(condition)
            ):
                found[account_id] = Source(account_id, bio, [])
        if not found:
            return []
        newest = (
            func.row_number()
            .over(
                partition_by=Post.account_id,
                order_by=(Post.posted_at.desc(), Post.id.desc()),
            )
            .label("n")
        )
        for condition in in_chunks(self.session, Post.account_id, list(found)):
            ranked = select(Post.account_id, Post.caption, newest).where(condition).subquery()
            stmt = (
                select(ranked.c.account_id, ranked.c.caption)
                .where(ranked.c.n <= RECENT_CAPTIONS)
                .order_by(ranked.c.account_id, ranked.c.n)
            )
            for account_id, caption in self.session.execute(stmt):
                found[account_id].captions.append(caption or "")
        return [found[i] for i in sorted(found)]
