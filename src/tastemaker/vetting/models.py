"""Audience checks: a workspace's fake-follower reports on one platform account.

The account is public (shared by the instance); the follower sample a marketer uploaded and
what the model made of it are that workspace's own due-diligence work, never shown to
another workspace.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tastemaker.creator.models import PlatformAccount
from tastemaker.kit.db import Base, BigId
from tastemaker.kit.models import IdMixin, WorkspaceScoped
from tastemaker.kit.time import UTCDateTime, utcnow


class AudienceCheck(IdMixin, WorkspaceScoped, Base):
    """The figures of one scoring.report, stored as the library gave them: the page, the API
    and the CLI show them again later without the sample, which is not kept."""

    __tablename__ = "audience_check"
    # An account's checks, newest first, and the latest one per account for a creator's page.
    __table_args__ = (
        Index(
            "ix_audience_check_workspace_account_created",
            "workspace_id",
            "account_id",
            "created_at",
        ),
    )

    # Indexed on its own too: deleting an account (any workspace may) must find its checks
    # in every workspace without a scan.
    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("platform_account.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(200))  # the uploaded file's name
    sample_size: Mapped[int] = mapped_column(Integer)
    threshold: Mapped[float] = mapped_column(Float)
    flagged_count: Mapped[int] = mapped_column(Integer)
    expected_fake_share: Mapped[float] = mapped_column(Float)
    # None when no follower's following count was known.
    mass_followers_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    mass_followers_of: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Followers whose reasons were computed; reasons' counts are out of the flagged among them.
    explained: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    sample_note: Mapped[str] = mapped_column(Text)
    model_trained_at: Mapped[str] = mapped_column(String(40))
    # Evidence: the most likely fake flagged followers. Deferred, and raising when not asked
    # for, so lists of checks never drag up to 200 followers per row along.
    flagged_followers: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, deferred=True, deferred_raiseload=True
    )

    account: Mapped[PlatformAccount] = relationship(lazy="raise")
