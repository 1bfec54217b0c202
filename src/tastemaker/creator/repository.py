"""Every query of the creator domain.

Public profile facts (creators, their platform accounts, categories, metric history) are
shared by the instance, so `PublicCreatorRepository` needs only a session. Everything a
workspace adds goes through `WorkspaceRepository` subclasses, which cannot be built without
a workspace. The creators list (`CreatorSearch`) mixes both: public columns filtered by the
calling workspace's own tags, statuses and lists, so it is a workspace repository too.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    Integer,
    Select,
    String,
    and_,
    any_,
    case,
    cast,
    delete,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    true,
    type_coerce,
    union,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Session, selectinload

from tastemaker.creator.models import (
    CATEGORY_COPIES,
    NAME_TRIGRAMS,
    AccountCategory,
    Creator,
    CreatorList,
    CreatorListEntry,
    CreatorRate,
    MetricSnapshot,
    Platform,
    PlatformAccount,
    Provenance,
    RelationshipStatus,
    WorkspaceCreator,
)
from tastemaker.discovery.ranking import Relevance
from tastemaker.kit.ids import is_valid_id
from tastemaker.kit.repository import WorkspaceRepository

# ----------------------------------------------------------------------------- public facts


class PublicCreatorRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def creator(self, creator_id: int) -> Creator | None:
        return self.session.get(Creator, creator_id) if is_valid_id(creator_id) else None

    def creator_with_accounts(self, creator_id: int) -> Creator | None:
        if not is_valid_id(creator_id):
            return None
        return self.session.scalars(
            select(Creator)
            .where(Creator.id == creator_id)
            .options(selectinload(Creator.accounts).selectinload(PlatformAccount.categories))
            .execution_options(populate_existing=True)
        ).first()

    def account(self, creator_id: int, account_id: int) -> PlatformAccount | None:
        if not (is_valid_id(creator_id) and is_valid_id(account_id)):
            return None
        return self.session.scalars(
            select(PlatformAccount)
            .where(PlatformAccount.id == account_id, PlatformAccount.creator_id == creator_id)
            .options(selectinload(PlatformAccount.categories))
            .execution_options(populate_existing=True)
        ).first()

    def any_accounts(self) -> bool:
        return self.session.scalar(select(PlatformAccount.id).limit(1)) is not None

    def account_ids_of(self, creator_id: int) -> list[int]:
        return list(
            self.session.scalars(
                select(PlatformAccount.id).where(PlatformAccount.creator_id == creator_id)
            )
        )

    def account_by_handle(self, platform: Platform, handle: str) -> PlatformAccount | None:
        return self.session.scalars(
            select(PlatformAccount).where(
                PlatformAccount.platform == platform, PlatformAccount.handle == handle
            )
        ).first()

    def add(self, obj: Any) -> None:
        self.session.add(obj)
        self.session.flush()

    def delete_account(self, account: PlatformAccount) -> None:
        """`account` must have its categories loaded; they go with it (ORM cascade)."""
        # Deleted explicitly, so history does not depend on an engine's foreign-key settings.
        self.session.execute(delete(MetricSnapshot).where(MetricSnapshot.account_id == account.id))
        self.session.delete(account)
        self.session.flush()

    @staticmethod
    def replace_categories(account: PlatformAccount, categories: Sequence[str]) -> None:
        """`account` must have its categories loaded; kept ones stay, others are deleted."""
        current = {c.category: c for c in account.categories}
        account.categories = [current.get(c) or AccountCategory(category=c) for c in categories]
        PublicCreatorRepository.mirror_copies(account)

    @staticmethod
    def mirror_copies(account: PlatformAccount) -> None:
        """After any change to an account's platform, country, language, followers or
        engagement rate: its categories carry copies of them (see AccountCategory). Its
        categories must be loaded."""
        for category in account.categories:
            for name in CATEGORY_COPIES:
                setattr(category, name, getattr(account, name))

    def categories_for(self, account_ids: Sequence[int]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {account_id: [] for account_id in account_ids}
        if not account_ids:
            return found
        rows = self.session.execute(
            select(AccountCategory.account_id, AccountCategory.category)
            .where(AccountCategory.account_id.in_(account_ids))
            .order_by(AccountCategory.account_id, AccountCategory.category)
        )
        for account_id, category in rows:
            found[account_id].append(category)
        return found

    def rate_counts(
        self, platform: Platform, lower: int, upper: int | None, rate: float, except_id: int
    ) -> tuple[int, int, int]:
        """Among the other accounts of the platform with followers in [lower, upper) and a
        known engagement rate: how many have a lower rate, how many the same, how many in
        all. One pass over the band (the platform's follower index)."""
        account = PlatformAccount
        conditions = [
            account.platform == platform,
            account.followers >= lower,
            account.engagement_rate.is_not(None),
            account.id != except_id,
        ]
        if upper is not None:
            conditions.append(account.followers < upper)
        below, equal, total = self.session.execute(
            select(
                func.coalesce(func.sum(case((account.engagement_rate < rate, 1), else_=0)), 0),
                func.coalesce(func.sum(case((account.engagement_rate == rate, 1), else_=0)), 0),
                func.count(),
            ).where(*conditions)
        ).one()
        return int(below), int(equal), int(total)

    def snapshots(
        self,
        account_ids: Sequence[int],
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> list[MetricSnapshot]:
        """Oldest first; with a limit, the most recent `limit` of them."""
        if not account_ids:
            return []
        stmt = select(MetricSnapshot).where(MetricSnapshot.account_id.in_(account_ids))
        if since is not None:
            stmt = stmt.where(MetricSnapshot.captured_at >= since)
        if until is not None:
            stmt = stmt.where(MetricSnapshot.captured_at <= until)
        if limit is not None:
            newest = stmt.order_by(
                MetricSnapshot.captured_at.desc(), MetricSnapshot.id.desc()
            ).limit(limit)
            return list(reversed(self.session.scalars(newest).all()))
        return list(
            self.session.scalars(
                stmt.order_by(
                    MetricSnapshot.account_id, MetricSnapshot.captured_at, MetricSnapshot.id
                )
            )
        )


# ----------------------------------------------------------------------------- the list

RowSelect = Select[*tuple[Any, ...]]


class SortField(enum.StrEnum):
    # By a description's relevance: ranked by discovery, then filtered here (matching_ids).
    relevance = "relevance"
    followers = "followers"
    engagement_rate = "engagement_rate"
    name = "name"
    updated = "updated"


@dataclass(frozen=True)
class AccountQuery:
    """Resolved filters: a tier is already a follower range here. Bounds are inclusive
    except `followers_below`, the exclusive upper bound a tier band has."""

    platform: Platform | None = None
    country: str | None = None
    language: str | None = None
    category: str | None = None
    followers_at_least: int | None = None
    followers_below: int | None = None
    min_engagement_rate: float | None = None
    max_engagement_rate: float | None = None
    search: str | None = None
    is_virtual: bool | None = None
    tag: str | None = None
    relationship_status: RelationshipStatus | None = None
    list_id: int | None = None


@dataclass
class AccountRow:
    """One row of the creators list: a platform account with its creator's name."""

    account_id: int
    creator_id: int
    display_name: str
    is_virtual: bool
    platform: Platform
    handle: str
    url: str | None
    followers: int | None
    engagement_rate: float | None
    engagement_formula: str | None
    country: str | None
    language: str | None
    metrics_provenance: Provenance
    metrics_source: str | None
    metrics_at: datetime | None
    updated_at: datetime
    categories: list[str] = field(default_factory=list)
    relationship_status: RelationshipStatus = RelationshipStatus.none
    # Set when the list is ranked by a description.
    relevance: Relevance | None = None


# What a list row needs from an account, in AccountRow's order.
_ACCOUNT_FIELDS = (
    "id",
    "creator_id",
    "platform",
    "handle",
    "url",
    "followers",
    "engagement_rate",
    "engagement_formula",
    "country",
    "language",
    "metrics_provenance",
    "metrics_source",
    "metrics_at",
    "updated_at",
)


def _row_columns() -> list[Any]:
    """In AccountRow's order."""
    return [
        PlatformAccount.id,
        PlatformAccount.creator_id,
        Creator.display_name,
        Creator.is_virtual,
        *(getattr(PlatformAccount, name) for name in _ACCOUNT_FIELDS[2:]),
    ]


def _ordered(keys: Sequence[Any], descending: bool) -> list[Any]:
    return [k.desc() if descending else k.asc() for k in keys]


def _figure_bounds(
    query: AccountQuery, *, followers: Any = None, rate: Any = None
) -> list[ColumnElement[bool]]:
    """The query's follower and engagement-rate ranges as conditions on the given
    expressions (the account's columns, a category's copies, or checks on them); a range
    whose expression is not given is left out."""
    bounds: list[ColumnElement[bool]] = []
    if followers is not None:
        if query.followers_at_least is not None:
            bounds.append(followers >= query.followers_at_least)
        if query.followers_below is not None:
            bounds.append(followers < query.followers_below)
    if rate is not None:
        if query.min_engagement_rate is not None:
            bounds.append(rate >= query.min_engagement_rate)
        if query.max_engagement_rate is not None:
            bounds.append(rate <= query.max_engagement_rate)
    return bounds


def _prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix`, in code-point
    order (SQLite's BINARY collation, PostgreSQL's "C", which handles use)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


# Equality filters that lead an index ending in (sort column, id), by sort: reading such an
# index gives the accounts matching the filter already in order. Countries first: there are
# many, so one usually narrows more than a platform does.
_LEADING_FILTERS: dict[SortField, tuple[str, ...]] = {
    SortField.followers: ("country", "language", "platform"),
    SortField.engagement_rate: ("country", "platform"),
    SortField.updated: (),
    SortField.name: (),
}
# How far along the sort order a probe reads, in multiples of the rows it must find: small
# enough to cost little when it fails, large enough to succeed for common filters. Deep
# pages go straight to the filters' indexes rather than send more ids than this.
_PROBE_FACTOR = 20
_PROBE_LIMIT = 5_000
# The filters an account category's copies (AccountCategory) answer.
_CATEGORY_FILTERS = (
    "category",
    "platform",
    "country",
    "language",
    "followers_at_least",
    "followers_below",
    "min_engagement_rate",
    "max_engagement_rate",
)
# A category whose filters match at most this many accounts drives the page.
_SMALL_CATEGORY = 5_000
# Searches naming more creators than this stay a subquery rather than a list of ids.
_SEARCH_IDS = 20_000
# Searches naming at most this many creators drive the page, as a small set does.
_SMALL_SEARCH = 5_000


class CreatorSearch(WorkspaceRepository[WorkspaceCreator]):
    """The filtered creators list, one row per platform account: the hot query.

    Left to themselves the planners fail both ways on it: SQLite has no statistics on
    ranges and walks a whole sort index for a rare filter, or sorts a fifth of the table for
    a common one; both engines join every creator for a name sort. So each page is found by
    statements whose plans are fixed by their shape:

    - When every filter is part of one index range read in sort order (say country and
      tier, sorted by followers), that range is read, one page long.
    - Otherwise a probe takes the first n x 20 ids of the sort order (through an index
      ending in the sort column, led by an equality filter when there is one) and checks
      those rows against every filter. When the filters are common along the sort order,
      the usual case, the page is there at a cost bounded by the probe.
    - When the probe comes up short (the filters are rare at the top of this order:
      engagement rate falls as followers grow, so a tier is rare at the top of an ER sort),
      or a small set (a workspace's tag, status or list; virtual creators) is among the
      filters, the matches are collected from the filters' own indexes into a materialized
      set and sorted there: the cost is bounded by the most selective filter.

    Filters come in two shapes (see `_conditions`): as the set a plan starts from, or as
    checks the planner cannot turn into a starting point. Accounts without the sorted
    figure come last, read as a second range (`_nulls_last`). Pages are read with
    LIMIT n+1 to learn whether another page exists, never with a COUNT.
    """

    model = WorkspaceCreator

    def __init__(self, session: Session, workspace_id: int) -> None:
        super().__init__(session, workspace_id)
        self._named_cache: dict[str, list[int]] = {}
        # A small category's account ids, once read (_category_is_small), drive its page.
        self._small_category: dict[AccountQuery, list[int]] = {}

    def page(
        self, query: AccountQuery, sort: SortField, descending: bool, limit: int, offset: int
    ) -> tuple[list[AccountRow], bool]:
        if self._dialect == "postgresql":
            # The filters are skewed (one country holds a fifth of the accounts, another a
            # hundredth): a generic plan cached for one value is wrong for the next. And a
            # page is a few thousand rows at most: starting parallel workers costs more.
            self.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
            self.session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
        if sort in (SortField.name, SortField.updated):
            rows = self._sorted(query, sort, descending, limit + 1, offset)
        else:
            rows = self._nulls_last(query, sort, descending, limit + 1, offset)
        return rows[:limit], len(rows) > limit

    @property
    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def _nulls_last(
        self, query: AccountQuery, sort: SortField, descending: bool, wanted: int, offset: int
    ) -> list[AccountRow]:
        """Accounts without the sorted figure come after all the others, in either direction
        and on both engines. SQLite and PostgreSQL put NULLs at opposite ends of an index, and
        `NULLS LAST` would stop one of them reading the page off the index, so the known
        figures and the unknown ones are read as two ranges."""
        known = self._sorted(query, sort, descending, wanted, offset)
        if len(known) == wanted or self._excludes_unknown(query, sort):
            return known
        column = self._sort_column(sort)
        if known or offset == 0:
            known_total = offset + len(known)
        else:
            known_total = self._count(query, column.is_not(None))
        unknown = self._rows(
            select(*_row_columns())
            .join(Creator, Creator.id == PlatformAccount.creator_id)
            .where(*self._conditions(query), column.is_(None))
            .order_by(*_ordered([PlatformAccount.id], descending))
            .limit(wanted - len(known))
            .offset(max(0, offset - known_total))
        )
        return known + unknown

    def _sorted(
        self, query: AccountQuery, sort: SortField, descending: bool, wanted: int, offset: int
    ) -> list[AccountRow]:
        """Rows with a known sort value, in order."""
        if self._has_small_set(query) or self._search_is_small(query):
            return self._filter_driven(query, sort, descending, wanted, offset)
        if self._category_covers(query, sort):
            return self._by_category(query, sort, descending, wanted, offset)
        if self._category_is_small(query):
            return self._filter_driven(query, sort, descending, wanted, offset)
        if self._index_covers(query, sort):
            # Every filter is part of the index range read in order: read just the page.
            return self._rows(
                self._in_order(query, sort, descending, _row_columns()).limit(wanted).offset(offset)
            )
        size = min((offset + wanted) * _PROBE_FACTOR, _PROBE_LIMIT)
        if size > offset + wanted:
            rows = self._probe(query, sort, descending, size, wanted, offset)
            if len(rows) == wanted:
                # The probe read the start of the sort order, so these are the first rows.
                return rows
        return self._filter_driven(query, sort, descending, wanted, offset)

    def _in_order(
        self, query: AccountQuery, sort: SortField, descending: bool, columns: list[Any]
    ) -> RowSelect:
        """`columns` of the accounts in sort order, within the leading filter and the range
        on the sort column: one index read."""
        keys = self._sort_keys(sort)
        if sort is SortField.name:
            stmt = (
                select(*columns)
                .select_from(Creator)
                .join(PlatformAccount, PlatformAccount.creator_id == Creator.id)
            )
        else:
            leading = [
                getattr(PlatformAccount, name) == getattr(query, name)
                for name in self._leading(query, sort)
            ]
            stmt = select(*columns).where(
                keys[0].is_not(None), *leading, *self._sort_range(query, sort)
            )
            if any(c.table is Creator.__table__ for c in columns):
                stmt = stmt.join(Creator, Creator.id == PlatformAccount.creator_id)
        return stmt.order_by(*_ordered(keys, descending))

    def _probe(
        self,
        query: AccountQuery,
        sort: SortField,
        descending: bool,
        size: int,
        wanted: int,
        offset: int,
    ) -> list[AccountRow]:
        """Reads the first `size` ids of the sort order, then checks those rows against the
        filters. The ids travel as a list (one array on PostgreSQL) rather than a subquery:
        with a derived table and no statistics, SQLite can nest a scan of it in a loop."""
        if sort is SortField.name:
            names = [Creator.display_name, Creator.id]
            first = select(Creator.id).order_by(*_ordered(names, descending))
            within = self._among(PlatformAccount.creator_id, first.limit(size))
        else:
            first = self._in_order(query, sort, descending, [PlatformAccount.id])
            within = self._among(PlatformAccount.id, first.limit(size))
        keys: list[Any] = self._sort_keys(sort)
        if self._dialect == "sqlite":
            # SQLite would rather walk an index in this order, testing each row against the
            # ids; it cannot walk an expression of the key, so it starts from the ids.
            keys = [
                k + 0 if isinstance(k.type, Integer | Float) else type_coerce(k, String).concat("")
                for k in keys
            ]
        return self._rows(
            select(*_row_columns())
            .join(Creator, Creator.id == PlatformAccount.creator_id)
            .where(within, *self._conditions(query))
            .order_by(*_ordered(keys, descending))
            .limit(wanted)
            .offset(offset)
        )

    # ------------------------------------------------------------ ranked elsewhere

    def matching_ids(self, query: AccountQuery, among: Sequence[int] | None = None) -> list[int]:
        """The ids of the accounts that pass every filter: of `among` when given (a ranking's
        head, checked in one statement), otherwise all of them, collected from the filters'
        own indexes."""
        stmt = select(PlatformAccount.id).join(Creator, Creator.id == PlatformAccount.creator_id)
        if among is not None:
            if not among:
                return []
            stmt = stmt.where(
                self._among_ids(PlatformAccount.id, list(among)), *self._conditions(query)
            )
        else:
            stmt = stmt.where(*self._conditions(query, driving=True))
        return list(self.session.scalars(stmt))

    def rows_for(self, account_ids: Sequence[int]) -> list[AccountRow]:
        """List rows of these accounts, in the order given."""
        if not account_ids:
            return []
        stmt = (
            select(*_row_columns())
            .join(Creator, Creator.id == PlatformAccount.creator_id)
            .where(self._among_ids(PlatformAccount.id, list(account_ids)))
        )
        found = {row.account_id: row for row in self._rows(stmt)}
        return [found[i] for i in account_ids if i in found]

    def _among(self, column: Any, ids_query: RowSelect) -> ColumnElement[bool]:
        return self._among_ids(column, list(self.session.scalars(ids_query)))

    def _among_ids(self, column: Any, ids: list[int]) -> ColumnElement[bool]:
        # One parameter, not a thousand: binding them costs more than the query. An array
        # on PostgreSQL; on SQLite a JSON array, read back as rows by json_each.
        if self._dialect == "postgresql":
            return column == any_(literal(ids, ARRAY(BigInteger)))
        listed = func.json_each(json.dumps(ids)).table_valued("value")
        return column.in_(select(listed.c.value))

    def _filter_driven(
        self, query: AccountQuery, sort: SortField, descending: bool, wanted: int, offset: int
    ) -> list[AccountRow]:
        keys = [c.label(f"key{i}") for i, c in enumerate(self._sort_keys(sort))]
        known = []
        if sort in (SortField.followers, SortField.engagement_rate):
            column = self._sort_column(sort)
            # A check, like the other filters, when a small set or a search drives.
            known.append((column + 0 if self._sets_drive(query) else column).is_not(None))
        # MATERIALIZED: collect the matches from the filters' indexes before sorting them,
        # rather than let the planner walk the sort index again.
        matches = select(*keys).where(*self._conditions(query, driving=True), *known)
        if sort is SortField.name or query.is_virtual is False:
            matches = matches.join(Creator, Creator.id == PlatformAccount.creator_id)
        matches_cte = matches.cte("matches").prefix_with("MATERIALIZED")
        ordered = [matches_cte.c[key.name] for key in keys]
        page = (
            select(*ordered)
            .order_by(*_ordered(ordered, descending))
            .limit(wanted)
            .offset(offset)
            .subquery("page")
        )
        return self._page_rows(page, [key.name for key in keys], descending)

    def _by_category(
        self, query: AccountQuery, sort: SortField, descending: bool, wanted: int, offset: int
    ) -> list[AccountRow]:
        """A category with other filters its rows carry copies of (AccountCategory), sorted
        by a figure: the page is found in the category's index alone, read in order when
        sorted by followers, or a range of it sorted when by engagement rate."""
        mirror = AccountCategory
        column = getattr(mirror, self._sort_column(sort).key)
        keys = [column.label("key0"), mirror.account_id.label("key1")]
        page = (
            select(*keys)
            .where(column.is_not(None), *self._in_category(query))
            .order_by(*_ordered([column, mirror.account_id], descending))
            .limit(wanted)
            .offset(offset)
            .subquery("page")
        )
        return self._page_rows(page, ["key0", "key1"], descending)

    def _page_rows(self, page: Any, keys: list[str], descending: bool) -> list[AccountRow]:
        """The list's rows for a page of sort keys, the account id last."""
        page_keys = [page.c[key] for key in keys]
        return self._rows(
            select(*_row_columns())
            .select_from(page)
            .join(PlatformAccount, PlatformAccount.id == page_keys[-1])
            .join(Creator, Creator.id == PlatformAccount.creator_id)
            .order_by(*_ordered(page_keys, descending))
        )

    def _count(self, query: AccountQuery, extra: ColumnElement[bool]) -> int:
        """Only when a page starts beyond the last account with the sorted figure."""
        matching = (
            select(PlatformAccount.id)
            .join(Creator, Creator.id == PlatformAccount.creator_id)
            .where(*self._conditions(query, driving=True), extra)
            .subquery()
        )
        return self.session.scalar(select(func.count()).select_from(matching)) or 0

    @staticmethod
    def _leading(query: AccountQuery, sort: SortField) -> list[str]:
        """The equality filter leading the index the probe reads, if any (at most one)."""
        return [name for name in _LEADING_FILTERS[sort] if getattr(query, name) is not None][:1]

    def _index_covers(self, query: AccountQuery, sort: SortField) -> bool:
        if sort is SortField.name:
            return query == AccountQuery()
        covered = {*self._leading(query, sort)}
        if sort is SortField.followers:
            covered |= {"followers_at_least", "followers_below"}
        elif sort is SortField.engagement_rate:
            covered |= {"min_engagement_rate", "max_engagement_rate"}
        return all(getattr(query, f.name) in (None, "") or f.name in covered for f in fields(query))

    @staticmethod
    def _category_covers(query: AccountQuery, sort: SortField) -> bool:
        """A category and at most filters on the columns it carries copies of, sorted by a
        figure."""
        return (
            query.category is not None
            and sort in (SortField.followers, SortField.engagement_rate)
            and all(
                getattr(query, f.name) in (None, "") or f.name in _CATEGORY_FILTERS
                for f in fields(query)
            )
        )

    @staticmethod
    def _has_small_set(query: AccountQuery) -> bool:
        """A workspace's tags, statuses and lists, and virtual creators, are small sets of
        creators that people curate: starting from them beats reading the sort order."""
        return (
            query.tag is not None
            or query.list_id is not None
            or query.is_virtual is True
            or query.relationship_status not in (None, RelationshipStatus.none)
        )

    @classmethod
    def _sets_drive(cls, query: AccountQuery) -> bool:
        """A small set or a search is among the filters: a filter-driven plan starts from
        it alone, and the other filters are checks."""
        return cls._has_small_set(query) or bool(query.search)

    @staticmethod
    def _excludes_unknown(query: AccountQuery, sort: SortField) -> bool:
        if sort is SortField.followers:
            return query.followers_at_least is not None or query.followers_below is not None
        return query.min_engagement_rate is not None or query.max_engagement_rate is not None

    @staticmethod
    def _sort_column(sort: SortField) -> Any:
        return {
            SortField.followers: PlatformAccount.followers,
            SortField.engagement_rate: PlatformAccount.engagement_rate,
            SortField.name: Creator.display_name,
            SortField.updated: PlatformAccount.updated_at,
        }[sort]

    def _sort_keys(self, sort: SortField) -> list[Any]:
        """The sort column, then the tie-breakers; the last is always the account id."""
        if sort is SortField.name:
            return [Creator.display_name, Creator.id, PlatformAccount.id]
        return [self._sort_column(sort), PlatformAccount.id]

    @staticmethod
    def _sort_range(query: AccountQuery, sort: SortField) -> list[ColumnElement[bool]]:
        """The range the query asks of the sorted figure, on the account's own column."""
        if sort is SortField.followers:
            return _figure_bounds(query, followers=PlatformAccount.followers)
        if sort is SortField.engagement_rate:
            return _figure_bounds(query, rate=PlatformAccount.engagement_rate)
        return []

    @staticmethod
    def _in_category(query: AccountQuery) -> list[ColumnElement[bool]]:
        """The category and the filters on the columns its rows carry copies of, as
        conditions on AccountCategory: one read of its index (category, followers, ...)."""
        mirror = AccountCategory
        conditions: list[ColumnElement[bool]] = [mirror.category == query.category]
        for name in ("platform", "country", "language"):
            if getattr(query, name) is not None:
                conditions.append(getattr(mirror, name) == getattr(query, name))
        return conditions + _figure_bounds(
            query, followers=mirror.followers, rate=mirror.engagement_rate
        )

    def _rows(self, stmt: RowSelect) -> list[AccountRow]:
        return [AccountRow(*row) for row in self.session.execute(stmt)]

    def _conditions(self, q: AccountQuery, *, driving: bool = False) -> list[ColumnElement[bool]]:
        """The filters as SQL. `driving`: shaped for the planner to start from them, as
        indexed columns or sets of ids to look accounts up by; when a small set or a search
        is among them, only those drive, and when a category is, the category's rows with
        their copies of the other filters' columns (AccountCategory) drive. Otherwise as
        checks on a row already in hand."""
        account = PlatformAccount
        category_drives = driving and q.category is not None and not self._sets_drive(q)
        indexed = driving and not self._sets_drive(q) and not category_drives

        # A check compares an expression of the column: neither engine serves `col || ''` or
        # `col + 0` from an index, so the plan starts where the caller means it to.
        def text_(column: Any) -> Any:
            return column if indexed else column.concat("")

        def number(column: Any) -> Any:
            return column if indexed else column + 0

        conditions: list[ColumnElement[bool]] = []
        if q.platform is not None:
            conditions.append(text_(account.platform) == q.platform.value)
        if q.country is not None:
            conditions.append(text_(account.country) == q.country)
        if q.language is not None:
            conditions.append(text_(account.language) == q.language)
        conditions += _figure_bounds(
            q, followers=number(account.followers), rate=number(account.engagement_rate)
        )
        if category_drives:
            # The other filters stay as checks too: the row is read for the sort key anyway.
            small = self._small_category.get(q)
            conditions.append(
                self._among_ids(account.id, small)
                if small is not None
                else account.id.in_(select(AccountCategory.account_id).where(*self._in_category(q)))
            )
        elif q.category is not None:
            # SQLite would build an `IN (subquery)` into a temporary index first.
            conditions.append(
                exists().where(
                    AccountCategory.account_id == account.id,
                    AccountCategory.category == q.category,
                )
            )
        if q.is_virtual is not None:
            if driving and q.is_virtual:
                virtual = select(Creator.id).where(Creator.is_virtual == true())
                conditions.append(account.creator_id.in_(virtual))
            else:
                conditions.append(Creator.is_virtual == (true() if q.is_virtual else false()))
        if q.search:
            conditions.append(self._search(q.search, driving))
        if q.tag is not None:
            conditions.append(account.creator_id.in_(self._tagged(q.tag)))
        if q.relationship_status is not None:
            conditions.append(self._with_status(q.relationship_status))
        if q.list_id is not None:
            conditions.append(
                account.creator_id.in_(
                    select(CreatorListEntry.creator_id).where(
                        CreatorListEntry.workspace_id == self.workspace_id,
                        CreatorListEntry.list_id == q.list_id,
                    )
                )
            )
        return conditions

    def _search(self, text_: str, driving: bool) -> ColumnElement[bool]:
        """Accounts whose creator's name contains the text, or whose handle starts with it.
        `text_` is lower-case, as `Creator.search_name` is."""
        handle = PlatformAccount.handle
        handle_prefix = and_(
            handle >= text_,
            handle < _prefix_upper_bound(text_),
            handle.startswith(text_, autoescape=True),
        )
        # SQLite's LIKE ignores (ASCII) case by itself and reads the name faster than the
        # stored lower-case copy; PostgreSQL's needs the copy to avoid ILIKE.
        name = Creator.display_name if self._dialect == "sqlite" else Creator.search_name
        name_contains = name.contains(text_, autoescape=True)
        # On SQLite the check must find the names the trigram index finds: its FTS5 table
        # folds the case of every letter ('Élodie' for 'élodie'), LIKE only ASCII's. So a
        # search the index answers is checked against the index's creators too.
        indexed = self._has_name_index(text_) and (driving or self._dialect == "sqlite")
        if indexed:
            # Neither engine can estimate how many names contain a text, and both plan for a
            # lot, scanning every account; given the (usually few) creators the trigram
            # index finds, two index lookups answer instead.
            creator_ids = self._named(text_)
            if len(creator_ids) <= _SEARCH_IDS:
                return or_(self._among_ids(PlatformAccount.creator_id, creator_ids), handle_prefix)
        if not driving:
            return or_(name_contains, handle_prefix)
        named = select(Creator.id).where(name_contains)
        by_name = select(PlatformAccount.id).where(PlatformAccount.creator_id.in_(named))
        by_handle = select(PlatformAccount.id).where(handle_prefix)
        return PlatformAccount.id.in_(union(by_name, by_handle))

    def _has_name_index(self, text_: str) -> bool:
        """Whether the trigram index answers a name search for this text: PostgreSQL's
        (creator.models.SEARCH_NAME_TRIGRAM_INDEX) for any text, SQLite's FTS5 table for
        three characters or more (one trigram)."""
        return self._dialect == "postgresql" or len(text_) >= 3

    def _named(self, text_: str) -> list[int]:
        """The creators whose name contains the text (up to one more than `_SEARCH_IDS`),
        read once per page through the trigram index."""
        if text_ not in self._named_cache:
            if self._dialect == "postgresql":
                name_contains = Creator.search_name.contains(text_, autoescape=True)
                named = select(Creator.id).where(name_contains)
            else:
                # A phrase of trigrams matches where they follow each other: a substring.
                phrase = '"' + text_.replace('"', '""') + '"'
                named = (
                    select(literal_column("rowid"))
                    .select_from(table(NAME_TRIGRAMS))
                    .where(literal_column(NAME_TRIGRAMS).op("MATCH")(phrase))
                )
            self._named_cache[text_] = list(self.session.scalars(named.limit(_SEARCH_IDS + 1)))
        return self._named_cache[text_]

    def _search_is_small(self, query: AccountQuery) -> bool:
        """A name search of three letters or more is answered by the trigram index; when it
        names few creators, they are a small set to start from, like a list."""
        if not query.search or len(query.search) < 3:
            return False
        return len(self._named(query.search)) <= _SMALL_SEARCH

    def _category_is_small(self, query: AccountQuery) -> bool:
        """A category with the filters its copies answer (German gaming creators) that
        matches few accounts is a small set to start from: reading them all costs less than
        a probe of the sort order, which would find few of them there. Read from the
        category's index, up to one more than the limit; a small set's ids are kept to drive
        the page, so the index range is read once."""
        if query.category is None or self._sets_drive(query):
            return False
        matching = select(AccountCategory.account_id).where(*self._in_category(query))
        ids = list(self.session.scalars(matching.limit(_SMALL_CATEGORY + 1)))
        if len(ids) > _SMALL_CATEGORY:
            return False
        self._small_category[query] = ids
        return True

    def _tagged(self, tag: str) -> RowSelect:
        overlay = WorkspaceCreator
        if self._dialect == "postgresql":
            has_tag: ColumnElement[bool] = cast(overlay.tags, JSONB).contains([tag])
        else:
            values = func.json_each(overlay.tags).table_valued("value")
            has_tag = exists(select(1).select_from(values).where(values.c.value == tag))
        return select(overlay.creator_id).where(overlay.workspace_id == self.workspace_id, has_tag)

    def _with_status(self, status: RelationshipStatus) -> ColumnElement[bool]:
        overlay = WorkspaceCreator
        mine = select(overlay.creator_id).where(overlay.workspace_id == self.workspace_id)
        if status is RelationshipStatus.none:
            # A creator this workspace never touched has no overlay row and no relationship.
            return PlatformAccount.creator_id.not_in(
                mine.where(overlay.relationship_status != RelationshipStatus.none)
            )
        return PlatformAccount.creator_id.in_(mine.where(overlay.relationship_status == status))

    def statuses_for(self, creator_ids: Sequence[int]) -> dict[int, RelationshipStatus]:
        if not creator_ids:
            return {}
        rows = self.session.execute(
            self.select(WorkspaceCreator.creator_id, WorkspaceCreator.relationship_status).where(
                WorkspaceCreator.creator_id.in_(creator_ids)
            )
        )
        return {creator_id: status for creator_id, status in rows}


# ----------------------------------------------------------------------------- workspace data


class WorkspaceCreatorRepository(WorkspaceRepository[WorkspaceCreator]):
    model = WorkspaceCreator

    def for_creator(self, creator_id: int) -> WorkspaceCreator | None:
        return self.session.scalars(
            self.select().where(WorkspaceCreator.creator_id == creator_id)
        ).first()


class CreatorRateRepository(WorkspaceRepository[CreatorRate]):
    model = CreatorRate

    def for_creator(self, creator_id: int) -> list[CreatorRate]:
        return list(
            self.session.scalars(
                self.select()
                .where(CreatorRate.creator_id == creator_id)
                .order_by(CreatorRate.platform, CreatorRate.deliverable, CreatorRate.id)
            )
        )

    def remove(self, rate: CreatorRate) -> None:
        self.session.delete(rate)
        self.session.flush()


@dataclass
class ListSummary:
    creator_list: CreatorList
    size: int


class CreatorListRepository(WorkspaceRepository[CreatorList]):
    model = CreatorList

    def by_name(self, name: str) -> CreatorList | None:
        return self.session.scalars(self.select().where(CreatorList.name == name)).first()

    def summaries(self) -> list[ListSummary]:
        sizes = (
            select(CreatorListEntry.list_id, func.count().label("size"))
            .where(CreatorListEntry.workspace_id == self.workspace_id)
            .group_by(CreatorListEntry.list_id)
            .subquery()
        )
        rows = self.session.execute(
            self.select(CreatorList, func.coalesce(sizes.c.size, 0))
            .outerjoin(sizes, sizes.c.list_id == CreatorList.id)
            .order_by(CreatorList.name, CreatorList.id)
        )
        return [ListSummary(creator_list, size) for creator_list, size in rows]

    def containing(self, creator_id: int) -> list[CreatorList]:
        return list(
            self.session.scalars(
                self.select()
                .join(CreatorListEntry, CreatorListEntry.list_id == CreatorList.id)
                .where(CreatorListEntry.creator_id == creator_id)
                .order_by(CreatorList.name, CreatorList.id)
            )
        )

    def remove(self, creator_list: CreatorList) -> None:
        self.session.execute(
            delete(CreatorListEntry).where(
                CreatorListEntry.workspace_id == self.workspace_id,
                CreatorListEntry.list_id == creator_list.id,
            )
        )
        self.session.delete(creator_list)
        self.session.flush()


class CreatorListEntryRepository(WorkspaceRepository[CreatorListEntry]):
    model = CreatorListEntry

    def find(self, list_id: int, creator_id: int) -> CreatorListEntry | None:
        if not (is_valid_id(list_id) and is_valid_id(creator_id)):
            return None
        return self.session.scalars(
            self.select().where(
                CreatorListEntry.list_id == list_id, CreatorListEntry.creator_id == creator_id
            )
        ).first()

    def members(self, list_id: int, limit: int, offset: int) -> list[tuple[Creator, datetime]]:
        rows = self.session.execute(
            self.select(Creator, CreatorListEntry.added_at)
            .select_from(CreatorListEntry)
            .join(Creator, Creator.id == CreatorListEntry.creator_id)
            .where(CreatorListEntry.list_id == list_id)
            .order_by(CreatorListEntry.added_at.desc(), CreatorListEntry.id.desc())
            .limit(limit)
            .offset(offset)
            .options(selectinload(Creator.accounts))
        )
        return [(creator, added_at) for creator, added_at in rows]

    def size(self, list_id: int) -> int:
        return (
            self.session.scalar(
                self.select(func.count()).where(CreatorListEntry.list_id == list_id)
            )
            or 0
        )

    def remove(self, entry: CreatorListEntry) -> None:
        self.session.delete(entry)
        self.session.flush()
