"""Keeping the search documents current, and ranking accounts by a description."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from tastemaker.discovery import index, ranking
from tastemaker.discovery.documents import digest, document_text
from tastemaker.discovery.embedder import MODEL, embedder, to_bytes
from tastemaker.discovery.index import Ranking
from tastemaker.discovery.ranking import Relevance
from tastemaker.discovery.repository import SearchDocumentRepository
from tastemaker.kit.errors import ValidationFailed
from tastemaker.kit.settings import get_settings
from tastemaker.kit.time import utcnow

BATCH = 2_000
MAX_DESCRIPTION = 500

Progress = Callable[[int], None]


@dataclass
class RefreshResult:
    embedded: int = 0  # new or changed text
    unchanged: int = 0
    removed: int = 0  # the account has no text any more

    @property
    def changed(self) -> bool:
        return bool(self.embedded or self.removed)


def refresh(
    session: Session,
    account_ids: Iterable[int] | None = None,
    *,
    progress: Progress | None = None,
) -> RefreshResult:
    """Brings these accounts' documents (every account's when None) in line with their bios
    and captions: a text whose digest is unchanged is not embedded again. Call it after
    writing bios or posts; the in-memory indexes follow at their next search."""
    repo = SearchDocumentRepository(session)
    result = RefreshResult()
    for batch in _batches(repo, account_ids):
        _refresh_batch(repo, batch, result)
        if progress is not None:
            progress(len(batch))
    if result.changed:
        repo.bump_token()
    return result


def _batches(
    repo: SearchDocumentRepository, account_ids: Iterable[int] | None
) -> Iterable[list[int]]:
    if account_ids is not None:
        ids = sorted(set(account_ids))
        for start in range(0, len(ids), BATCH):
            yield ids[start : start + BATCH]
        return
    after = 0
    while batch := repo.account_ids(after, BATCH):
        yield batch
        after = batch[-1]


def _refresh_batch(repo: SearchDocumentRepository, batch: list[int], result: RefreshResult) -> None:
    stored = repo.digests(batch)
    sources = {source.account_id: source for source in repo.sources(batch)}
    gone = [i for i in stored if i not in sources]
    changed: list[tuple[int, str, str]] = []
    for account_id, source in sources.items():
        text = document_text(source.bio, source.captions)
        if not text:
            if account_id in stored:
                gone.append(account_id)
            continue
        text_digest = digest(text)
        if stored.get(account_id) == text_digest:
            result.unchanged += 1
        else:
            changed.append((account_id, text, text_digest))
    repo.remove(gone)
    result.removed += len(gone)
    if not changed:
        return
    vectors = embedder().embed([text for _, text, _ in changed])
    now = utcnow()
    repo.replace(
        [
            {
                "account_id": account_id,
                "digest": text_digest,
                "text": text,
                "model": MODEL,
                "vector": to_bytes(vector),
                "indexed_at": now,
            }
            for (account_id, text, text_digest), vector in zip(changed, vectors, strict=True)
        ]
    )
    result.embedded += len(changed)


def forget(session: Session, account_ids: list[int]) -> None:
    """Before accounts are deleted: their documents go with them, and so, at their next
    search, do the in-memory indexes' copies."""
    repo = SearchDocumentRepository(session)
    repo.remove(account_ids)
    repo.bump_token()


def weights() -> ranking.Weights:
    settings = get_settings()
    return ranking.Weights(settings.search_semantic_weight, settings.search_lexical_weight)


def clean_description(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    if not text:
        return None
    if len(text) > MAX_DESCRIPTION:
        raise ValidationFailed(
            f"a description is at most {MAX_DESCRIPTION} characters",
            details={"field": "about"},
        )
    return text


def rank(session: Session, description: str) -> Ranking:
    """Every indexed account's relevance to the description."""
    return index.current(session).rank(description, weights())


def account_count(session: Session) -> int:
    """How many accounts a full refresh reads (for its progress bar)."""
    return SearchDocumentRepository(session).account_count()


def relevance_of(found: Ranking, account_ids: Iterable[int]) -> dict[int, Relevance]:
    """The scores of these accounts, for showing beside them."""
    wanted = np.asarray(list(account_ids), dtype=np.int64)
    positions = np.searchsorted(found.account_ids, wanted)
    out: dict[int, Relevance] = {}
    for account_id, position in zip(wanted.tolist(), positions.tolist(), strict=True):
        if position < len(found.account_ids) and found.account_ids[position] == account_id:
            out[account_id] = Relevance(
                score=float(found.relevance[position]),
                semantic=float(found.semantic[position]),
                lexical=float(found.lexical[position]),
                semantic_weight=found.weights.semantic,
                lexical_weight=found.weights.lexical,
            )
    return out
