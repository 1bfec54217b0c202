"""Brand-safety scans: a workspace's scan of one platform account's recent captions against
the GARM lexicon and its own keyword and competitor lists.

The account and its posts are public (shared by the instance); the lists a brand scanned
for, and what they found, are that workspace's own work, never shown to another workspace.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tastemaker.brandsafety.report import ReportStatus, summary_of
from tastemaker.brandsafety.terms import RiskLevel
from tastemaker.creator.models import PlatformAccount
from tastemaker.kit.db import Base, BigId
from tastemaker.kit.models import IdMixin, WorkspaceScoped
from tastemaker.kit.time import UTCDateTime, utcnow


class BrandSafetyScan(IdMixin, WorkspaceScoped, Base):
    """One brandsafety.report, stored with the settings that made it, so every face shows it
    again later, and its evidence exports, without scanning again: the captions may have
    changed or gone since, and the evidence is what was seen then."""

    __tablename__ = "brand_safety_scan"
    # An account's scans, newest first.
    __table_args__ = (
        Index(
            "ix_brand_safety_scan_workspace_account_created",
            "workspace_id",
            "account_id",
            "created_at",
        ),
    )

    # Indexed on its own too: deleting an account (any workspace may) must find its scans
    # in every workspace without a table scan.
    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("platform_account.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The settings: what was looked for, in which posts, with which lexicon.
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    competitors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # name, aliases
    tolerance: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # category -> level
    post_limit: Mapped[int] = mapped_column(Integer)  # the most recent posts asked for
    lexicon_version: Mapped[str] = mapped_column(String(40))

    # What the report said.
    posts_scanned: Mapped[int] = mapped_column(Integer)
    posts_flagged: Mapped[int] = mapped_column(Integer)
    # Among the posts read, those with no caption: nothing to scan, so not in posts_scanned,
    # where they would dilute the share of flagged posts.
    posts_without_text: Mapped[int] = mapped_column(Integer)
    oldest_post_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    newest_post_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # report_to_dict's "score" (value, exposure, posts per level, weights, formula) and
    # "categories"; the score and the highest level are read from them.
    score_detail: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    categories: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    findings_count: Mapped[int] = mapped_column(Integer)
    # Evidence: per finding the post, the words and where they are. Deferred, and raising
    # when not asked for, so lists of scans never drag every excerpt along.
    findings: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, deferred=True, deferred_raiseload=True
    )

    account: Mapped[PlatformAccount] = relationship(lazy="raise")

    # A scan is stored only when there were captions to scan (brandsafety.service), so its
    # status is always that; its one line is the report's, from the stored figures.
    status = ReportStatus.SCANNED.value

    @property
    def score(self) -> float | None:
        """0-100; None when nothing was scanned."""
        return float(self.score_detail["value"]) if self.score_detail else None

    @property
    def highest_level(self) -> str | None:
        """The highest risk level of any finding: every finding is in its category's."""
        levels = [RiskLevel(c["highest_level"]) for c in self.categories if c["highest_level"]]
        return max(levels, key=lambda level: level.rank).value if levels else None

    @property
    def summary(self) -> str:
        return summary_of(self.posts_scanned, self.posts_flagged, self.score)
