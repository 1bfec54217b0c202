"""Public profile facts (Creator, PlatformAccount, MetricSnapshot) are shared by the instance;
what a workspace adds (WorkspaceCreator, CreatorRate, CreatorList) is that workspace's alone."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    BigInteger,
    Boolean,
    Computed,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tastemaker.kit.db import Base, BigId
from tastemaker.kit.enums import str_enum
from tastemaker.kit.models import IdMixin, TimestampMixin, WorkspaceScoped
from tastemaker.kit.time import UTCDateTime, utcnow


class Platform(enum.StrEnum):
    instagram = "instagram"
    tiktok = "tiktok"
    youtube = "youtube"
    x = "x"
    linkedin = "linkedin"
    twitch = "twitch"
    facebook = "facebook"
    pinterest = "pinterest"
    snapchat = "snapchat"
    podcast = "podcast"
    blog = "blog"


class Provenance(enum.StrEnum):
    """Where a figure came from (domain.md §3); the UI always shows which."""

    measured = "measured"  # from the platform, with the creator's authorisation
    reported = "reported"  # a platform's public counter
    imported = "imported"  # a file
    estimated = "estimated"  # a model


class RelationshipStatus(enum.StrEnum):
    none = "none"
    prospect = "prospect"
    contacted = "contacted"
    negotiating = "negotiating"
    active = "active"
    past = "past"
    do_not_contact = "do_not_contact"


class Creator(IdMixin, TimestampMixin, Base):
    __tablename__ = "creator"

    display_name: Mapped[str] = mapped_column(String(200), index=True)
    # Name search is a substring scan; comparing a stored lower-case copy with LIKE is several
    # times cheaper than ILIKE on PostgreSQL, and the database keeps it in step with every
    # writer (bulk imports included).
    search_name: Mapped[str] = mapped_column(
        String(200), Computed("lower(display_name)", persisted=True)
    )
    is_virtual: Mapped[bool] = mapped_column(Boolean, default=False, index=True)

    accounts: Mapped[list[PlatformAccount]] = relationship(
        back_populates="creator", lazy="raise", order_by="PlatformAccount.followers.desc()"
    )


# Name search is "contains", which no b-tree serves; a trigram index does: PostgreSQL's
# pg_trgm on the lower-case copy, and on SQLite an FTS5 table with the trigram tokenizer over
# the names, which its triggers keep in step with every writer (bulk imports included). Both
# are kept out of the metadata because Alembic can read neither (operator classes, virtual
# tables): create_all makes them here, the migrations for upgraded databases, and the
# migration check skips them (migrations/env.py).
SEARCH_NAME_TRIGRAM_INDEX = "ix_creator_search_name_trgm"
NAME_TRIGRAMS = "creator_name_trigram"
NAME_TRIGRAMS_DDL = (
    f"CREATE VIRTUAL TABLE {NAME_TRIGRAMS} USING fts5(display_name, content='creator',"
    " content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {NAME_TRIGRAMS}_insert AFTER INSERT ON creator BEGIN"
    f" INSERT INTO {NAME_TRIGRAMS}(rowid, display_name) VALUES (new.id, new.display_name);"
    " END",
    f"CREATE TRIGGER {NAME_TRIGRAMS}_delete AFTER DELETE ON creator BEGIN"
    f" INSERT INTO {NAME_TRIGRAMS}({NAME_TRIGRAMS}, rowid, display_name)"
    " VALUES ('delete', old.id, old.display_name);"
    " END",
    f"CREATE TRIGGER {NAME_TRIGRAMS}_update AFTER UPDATE OF display_name ON creator BEGIN"
    f" INSERT INTO {NAME_TRIGRAMS}({NAME_TRIGRAMS}, rowid, display_name)"
    " VALUES ('delete', old.id, old.display_name);"
    f" INSERT INTO {NAME_TRIGRAMS}(rowid, display_name) VALUES (new.id, new.display_name);"
    " END",
)
event.listen(
    Creator.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)
event.listen(
    Creator.__table__,
    "after_create",
    DDL(
        f"CREATE INDEX {SEARCH_NAME_TRIGRAM_INDEX} ON creator USING gin (search_name gin_trgm_ops)"
    ).execute_if(dialect="postgresql"),
)
for _statement in NAME_TRIGRAMS_DDL:
    event.listen(Creator.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
# Its triggers go with the creator table; the index itself would outlive it, stale.
event.listen(
    Creator.__table__,
    "after_drop",
    DDL(f"DROP TABLE IF EXISTS {NAME_TRIGRAMS}").execute_if(dialect="sqlite"),
)

# When the list collects the accounts matching its filters and sorts them (a tier and a
# category, say), PostgreSQL reads these from the filter's index instead of visiting the
# table's wide rows: an index-only scan. SQLite ignores them.
_SORT_KEYS = ["engagement_rate", "updated_at", "creator_id"]


class PlatformAccount(IdMixin, TimestampMixin, Base):
    """One creator's presence on one platform, with its latest metrics denormalised for
    fast filtering; the history lives in MetricSnapshot."""

    __tablename__ = "platform_account"
    # The creators list (creator.repository.CreatorSearch) filters on one or two of these
    # columns and sorts on another, one page at a time. Every index ends in the sort column
    # and then `id`, the tie-breaker, so a page is read straight off an index on both
    # engines, whichever of them the planner drives from; see benchmarks/creators_list.py.
    __table_args__ = (
        UniqueConstraint("platform", "handle"),
        Index(
            "ix_platform_account_platform_followers",
            "platform",
            "followers",
            "id",
            postgresql_include=_SORT_KEYS,
        ),
        Index("ix_platform_account_platform_engagement_rate", "platform", "engagement_rate", "id"),
        Index(
            "ix_platform_account_country_followers",
            "country",
            "followers",
            "id",
            postgresql_include=_SORT_KEYS,
        ),
        Index("ix_platform_account_country_engagement_rate", "country", "engagement_rate", "id"),
        Index(
            "ix_platform_account_language_followers",
            "language",
            "followers",
            "id",
            postgresql_include=_SORT_KEYS,
        ),
        Index("ix_platform_account_followers", "followers", "id", postgresql_include=_SORT_KEYS),
        Index("ix_platform_account_engagement_rate", "engagement_rate", "id"),
        Index("ix_platform_account_updated_at", "updated_at", "id"),
        # Handle prefix search.
        Index("ix_platform_account_handle", "handle"),
    )

    creator_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("creator.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[Platform] = mapped_column(str_enum(Platform))
    # Stored lower-case without a leading '@': the key imports match on. Byte order ("C") on
    # PostgreSQL, as SQLite's BINARY, so a handle-prefix search is an index range there too.
    handle: Mapped[str] = mapped_column(
        String(200).with_variant(String(200, collation="C"), "postgresql")
    )
    url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    followers: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    following: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    posts: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    avg_likes: Mapped[float | None] = mapped_column(Float, nullable=True)
    avg_comments: Mapped[float | None] = mapped_column(Float, nullable=True)
    avg_shares: Mapped[float | None] = mapped_column(Float, nullable=True)
    avg_views: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Computed from the averages by creator.metrics, with the formula's name beside it.
    engagement_rate: Mapped[float | None] = mapped_column(Float, nullable=True)
    engagement_formula: Mapped[str | None] = mapped_column(String(64), nullable=True)
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    bio: Mapped[str | None] = mapped_column(Text, nullable=True)
    contact_email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    metrics_provenance: Mapped[Provenance] = mapped_column(
        str_enum(Provenance), default=Provenance.imported
    )
    metrics_source: Mapped[str | None] = mapped_column(String(200), nullable=True)
    metrics_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    creator: Mapped[Creator] = relationship(back_populates="accounts", lazy="raise")
    categories: Mapped[list[AccountCategory]] = relationship(
        lazy="raise", cascade="all, delete-orphan"
    )


# The account's columns its categories carry copies of (see AccountCategory).
CATEGORY_COPIES = ("platform", "country", "language", "followers", "engagement_rate")


class AccountCategory(Base):
    """An account's category, with copies of the account's platform, country, language,
    followers and engagement rate: a category with any of those filters or a figure sort
    (German gaming creators, beauty micro-creators by engagement) is then one read of this
    table's index, not a join of two large sets. Every writer keeps the copies equal to the
    account's: creator.bulk for imports, and
    creator.repository.PublicCreatorRepository.mirror_copies for single accounts; the test
    suite checks it after every test (tests/conftest.py)."""

    __tablename__ = "account_category"
    __table_args__ = (
        Index(
            "ix_account_category_figures",
            "category",
            "followers",
            "account_id",
            "engagement_rate",
            "platform",
            "country",
            "language",
        ),
    )

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("platform_account.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(60), primary_key=True)
    platform: Mapped[Platform | None] = mapped_column(str_enum(Platform), nullable=True)
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    followers: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    engagement_rate: Mapped[float | None] = mapped_column(Float, nullable=True)


class MetricSnapshot(IdMixin, Base):
    __tablename__ = "metric_snapshot"
    __table_args__ = (Index("ix_metric_snapshot_account_captured", "account_id", "captured_at"),)

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("platform_account.id", ondelete="CASCADE")
    )
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime)
    followers: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    following: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    posts: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    avg_likes: Mapped[float | None] = mapped_column(Float, nullable=True)
    avg_comments: Mapped[float | None] = mapped_column(Float, nullable=True)
    avg_shares: Mapped[float | None] = mapped_column(Float, nullable=True)
    avg_views: Mapped[float | None] = mapped_column(Float, nullable=True)
    provenance: Mapped[Provenance] = mapped_column(str_enum(Provenance))
    source: Mapped[str] = mapped_column(String(200))


class PostFormat(enum.StrEnum):
    post = "post"
    carousel = "carousel"
    reel = "reel"
    story = "story"
    short = "short"
    video = "video"
    live = "live"
    podcast_episode = "podcast_episode"
    blog_post = "blog_post"


class Post(IdMixin, Base):
    """A piece of content an account published, as last seen: its text feeds search, brand
    safety and disclosure checks, its figures engagement analyses. Public, like the account."""

    __tablename__ = "post"
    __table_args__ = (
        # The platform's own id (or shortcode) within the account: what re-imports match on.
        UniqueConstraint("account_id", "external_id"),
        Index("ix_post_account_posted", "account_id", "posted_at"),
    )

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("platform_account.id", ondelete="CASCADE")
    )
    external_id: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    format: Mapped[PostFormat] = mapped_column(str_enum(PostFormat), default=PostFormat.post)
    caption: Mapped[str] = mapped_column(Text, default="")
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    likes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    comments: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    shares: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    views: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # The platform's own paid-partnership label, when it says (None: not known).
    is_paid_partnership: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    provenance: Mapped[Provenance] = mapped_column(str_enum(Provenance))
    source: Mapped[str] = mapped_column(String(200))
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WorkspaceCreator(IdMixin, WorkspaceScoped, TimestampMixin, Base):
    """A workspace's own view of a creator: notes, tags, custom fields, relationship."""

    __tablename__ = "workspace_creator"
    __table_args__ = (
        UniqueConstraint("workspace_id", "creator_id"),
        Index("ix_workspace_creator_workspace_id_status", "workspace_id", "relationship_status"),
    )

    creator_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("creator.id", ondelete="CASCADE"), index=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    relationship_status: Mapped[RelationshipStatus] = mapped_column(
        str_enum(RelationshipStatus), default=RelationshipStatus.none
    )


class CreatorRate(IdMixin, WorkspaceScoped, Base):
    """A rate this workspace agreed with a creator, e.g. 1 Instagram reel for 1,200.00 EUR."""

    __tablename__ = "creator_rate"

    creator_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("creator.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[Platform] = mapped_column(str_enum(Platform))
    deliverable: Mapped[str] = mapped_column(String(120))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CreatorList(IdMixin, WorkspaceScoped, TimestampMixin, Base):
    __tablename__ = "creator_list"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")


class CreatorListEntry(IdMixin, WorkspaceScoped, Base):
    __tablename__ = "creator_list_entry"
    __table_args__ = (UniqueConstraint("list_id", "creator_id"),)

    list_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("creator_list.id", ondelete="CASCADE"), index=True
    )
    creator_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("creator.id", ondelete="CASCADE"), index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
