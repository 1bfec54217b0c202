"""Creators: public profiles, their accounts and history, and each workspace's own data."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from tastemaker.creator.models import Creator, PlatformAccount
from tastemaker.kit.errors import NotFound


def get_creator(session: Session, creator_id: int) -> Creator:
    """Public profile facts are shared by the instance, so any workspace may read them."""
    creator = session.get(Creator, creator_id)
    if creator is None:
        raise NotFound(f"creator {creator_id} not found")
    return creator


def search_creators(session: Session, query: str, limit: int = 20) -> Sequence[Creator]:
    """By display name or handle prefix; for pickers (roster, lists)."""
    text = query.strip().lower().lstrip("@")
    if not text:
        return []
    by_handle = select(PlatformAccount.creator_id).where(
        PlatformAccount.handle.startswith(text, autoescape=True)
    )
    return session.scalars(
        select(Creator)
        .where(
            Creator.display_name.ilike(f"%{text}%")
            | Creator.id.in_(by_handle)
        )
        .order_by(Creator.display_name)
        .limit(limit)
    ).all()
