"""Creators: public profiles, their accounts and history, and each workspace's own data.

Public profile facts (a creator, their platform accounts, metric history) are shared by the
whole instance: any workspace may read them and any writer may correct them. What a
workspace adds (notes, tags, custom fields, relationship status, agreed rates, lists) is
read and written only through that workspace's context and never shown to another.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tastemaker.creator.bulk import METRIC_FIELDS, PROFILE_FIELDS, normalise_handle
from tastemaker.creator.metrics import (
    FORMULAS,
    TIER_LABELS,
    engagement_rate,
    tier_for,
    tier_range,
)
from tastemaker.creator.models import (
    AccountCategory,
    Creator,
    CreatorList,
    CreatorListEntry,
    CreatorRate,
    MetricSnapshot,
    Platform,
    PlatformAccount,
    Post,
    Provenance,
    RelationshipStatus,
    WorkspaceCreator,
)

# account_label: how every face names an account; other domains call it from here.
from tastemaker.creator.platforms import account_label, require_platform
from tastemaker.creator.posts import recent_posts
from tastemaker.creator.repository import (
    AccountQuery,
    AccountRow,
    CreatorListEntryRepository,
    CreatorListRepository,
    CreatorRateRepository,
    CreatorSearch,
    ListSummary,
    PublicCreatorRepository,
    SortField,
    WorkspaceCreatorRepository,
)
from tastemaker.creator.schemas import (
    DEFAULT_SORT,
    SORT_VALUES,
    AccountCreate,
    AccountFacts,
    AccountUpdate,
    CreatorCreate,
    CreatorFilters,
    CreatorUpdate,
    ListCreate,
    ListUpdate,
    RateCreate,
    WorkspaceDataUpdate,
)
from tastemaker.discovery import service as discovery_service
from tastemaker.discovery.ranking import Relevance
from tastemaker.kit.errors import Conflict, NotFound, ValidationFailed
from tastemaker.kit.iso import COUNTRY_CODES
from tastemaker.kit.money import Money, MoneyError, format_minor
from tastemaker.kit.pagination import MAX_PAGE_SIZE, Page, PageParams, check_page_size
from tastemaker.kit.settings import get_settings
from tastemaker.kit.time import utcnow
from tastemaker.workspace.context import Context
from tastemaker.workspace.service import record

__all__ = [
    "DEFAULT_SORT",
    "SORT_VALUES",
    "AccountDetail",
    "AccountRow",
    "CreatorDetail",
    "ListMember",
    "ListSummary",
    "Tier",
]

MANUAL_SOURCE = "manual"
HISTORY_WINDOW = timedelta(days=90)

# A BCP 47 language tag's language and optional region or script: 'en', 'pt-BR', 'zh-Hant'.
_LANGUAGE = re.compile(r"^([a-z]{2,3})(?:-([a-z]{2}|[0-9]{3}|[a-z]{4}))?$", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")


def _invalid(message: str, field: str) -> ValidationFailed:
    return ValidationFailed(message, details={"field": field})


# ----------------------------------------------------------------------------- lookups


def get_creator(session: Session, creator_id: int) -> Creator:
    """Public profile facts are shared by the instance, so any workspace may read them."""
    creator = PublicCreatorRepository(session).creator(creator_id)
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
        .where(Creator.display_name.ilike(f"%{text}%") | Creator.id.in_(by_handle))
        .order_by(Creator.display_name)
        .limit(limit)
    ).all()


# ----------------------------------------------------------------------------- tiers


@dataclass(frozen=True)
class Tier:
    name: str
    label: str
    min_followers: int
    max_followers: int | None  # exclusive


def tier_names() -> list[str]:
    bands = get_settings().tier_bands
    return [name for name, _ in sorted(bands.items(), key=lambda item: item[1])]


def tier_of(followers: int | None) -> Tier | None:
    bands = get_settings().tier_bands
    name = tier_for(followers, bands)
    if name is None:
        return None
    lower, upper = tier_range(name, bands)
    return Tier(name, tier_label(name), lower, upper)


def tier_label(name: str) -> str:
    return TIER_LABELS.get(name, name.replace("_", " ").title())


# The engagement-rate formulas by name, as the API and pages write them out.
FORMULA_TEXTS = dict(FORMULAS)


def formula_text(formula: str | None) -> str | None:
    return FORMULAS.get(formula) if formula else None


# ----------------------------------------------------------------------------- the list


def parse_sort(value: str) -> tuple[SortField, bool]:
    if value not in SORT_VALUES:
        raise ValidationFailed(
            f"unknown sort {value!r}; use one of {', '.join(SORT_VALUES)}",
            details={"field": "sort"},
        )
    return SortField(value.lstrip("-")), value.startswith("-")


def _blank(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None


def normalise_country(value: str | None, field: str = "country") -> str | None:
    code = _blank(value)
    if code is None:
        return None
    code = code.upper()
    if code not in COUNTRY_CODES:
        raise _invalid(f"{value!r} is not an ISO 3166 two-letter country code", field)
    return code


def normalise_language(value: str | None, field: str = "language") -> str | None:
    tag = _blank(value)
    if tag is None:
        return None
    match = _LANGUAGE.match(tag.replace("_", "-"))
    if match is None:
        raise _invalid(f"{value!r} is not a language code such as 'en' or 'pt-BR'", field)
    language, sub = match.group(1).lower(), match.group(2)
    if sub is None:
        return language
    return f"{language}-{sub.title() if len(sub) == 4 else sub.upper()}"


def normalise_tag(value: str, field: str = "tags") -> str:
    tag = _WHITESPACE.sub(" ", value).strip().lower()
    if not tag:
        raise _invalid("a tag cannot be empty", field)
    if len(tag) > 40:
        raise _invalid(f"the tag {tag[:40]!r}… is too long (40 characters at most)", field)
    if "," in tag:
        raise _invalid(f"a tag cannot contain a comma: {tag!r}", field)
    return tag


def normalise_category(value: str) -> str:
    return _WHITESPACE.sub(" ", value).strip().lower()


def resolve_filters(ctx: Context, filters: CreatorFilters) -> AccountQuery:
    """Checks what the schema cannot (codes, tier names, ranges, the list's workspace) and
    turns a tier into the follower range it stands for: tiers are never stored."""
    at_least = filters.min_followers
    below = filters.max_followers + 1 if filters.max_followers is not None else None
    tier = _blank(filters.tier)
    if tier is not None:
        try:
            lower, upper = tier_range(tier.lower(), get_settings().tier_bands)
        except ValueError:
            raise _invalid(
                f"unknown tier {tier!r}; use one of {', '.join(tier_names())}", "tier"
            ) from None
        at_least = lower if at_least is None else max(at_least, lower)
        if upper is not None:
            below = upper if below is None else min(below, upper)
    if (
        filters.min_followers is not None
        and filters.max_followers is not None
        and filters.min_followers > filters.max_followers
    ):
        raise _invalid("the minimum followers is above the maximum", "min_followers")
    if (
        filters.min_engagement_rate is not None
        and filters.max_engagement_rate is not None
        and filters.min_engagement_rate > filters.max_engagement_rate
    ):
        raise _invalid("the minimum engagement rate is above the maximum", "min_engagement_rate")
    if filters.list_id is not None:
        CreatorListRepository(ctx.session, ctx.workspace_id).get_or_404(filters.list_id, "list")
    search = _blank(filters.search)
    category = _blank(filters.category)
    tag = _blank(filters.tag)
    return AccountQuery(
        platform=filters.platform,
        country=normalise_country(filters.country),
        language=normalise_language(filters.language),
        category=normalise_category(category) if category else None,
        followers_at_least=at_least,
        followers_below=below,
        min_engagement_rate=filters.min_engagement_rate,
        max_engagement_rate=filters.max_engagement_rate,
        search=(search.lower().lstrip("@") or None) if search else None,
        is_virtual=filters.is_virtual,
        tag=normalise_tag(tag, "tag") if tag else None,
        relationship_status=filters.relationship_status,
        list_id=filters.list_id,
    )


def list_creators(
    ctx: Context,
    filters: CreatorFilters | None = None,
    sort: str = DEFAULT_SORT,
    page: PageParams | None = None,
) -> Page[AccountRow]:
    """One page of the creators list, one row per platform account."""
    page = page or PageParams()
    if page.page < 1:
        raise _invalid("pages start at 1", "page")
    check_page_size(page.per_page, "per_page")
    filters = filters or CreatorFilters()
    query = resolve_filters(ctx, filters)
    field, descending = parse_sort(sort)
    search = CreatorSearch(ctx.session, ctx.workspace_id)
    about = discovery_service.clean_description(filters.about)
    relevance: dict[int, Relevance] = {}
    if about is not None:
        rows, has_next, relevance = _ranked_page(search, query, about, page)
    elif field is SortField.relevance:
        raise _invalid("sorting by relevance needs a description of the creators", "about")
    else:
        rows, has_next = search.page(query, field, descending, page.per_page, page.offset)
    categories = PublicCreatorRepository(ctx.session).categories_for(
        [row.account_id for row in rows]
    )
    statuses = search.statuses_for(sorted({row.creator_id for row in rows}))
    for row in rows:
        row.categories = categories[row.account_id]
        row.relationship_status = statuses.get(row.creator_id, RelationshipStatus.none)
        row.relevance = relevance.get(row.account_id)
    return Page(rows, page.page, page.per_page, has_next)


# A ranking's head is checked against the filters first; only when too few of these pass
# are all the matching accounts collected.
_RANKED_PROBE = 2_000


def _ranked_page(
    search: CreatorSearch, query: AccountQuery, about: str, page: PageParams
) -> tuple[list[AccountRow], bool, dict[int, Relevance]]:
    """One page of the accounts ranked by relevance to the description, filtered."""
    ranking = discovery_service.rank(search.session, about)
    order = ranking.order()
    wanted = page.offset + page.per_page + 1
    if query != AccountQuery():
        head = ranking.account_ids[order[: max(wanted * 20, _RANKED_PROBE)]].tolist()
        passing = set(search.matching_ids(query, head))
        ids = [i for i in head if i in passing]
        if len(ids) < wanted and len(head) < len(order):
            among = np.asarray(search.matching_ids(query), dtype=np.int64)
            ids = ranking.account_ids[ranking.order(among)[:wanted]].tolist()
    else:
        ids = ranking.account_ids[order[:wanted]].tolist()
    chosen = ids[page.offset : page.offset + page.per_page]
    rows = search.rows_for(chosen)
    return (
        rows,
        len(ids) > page.offset + page.per_page,
        discovery_service.relevance_of(ranking, chosen),
    )


def any_accounts(ctx: Context) -> bool:
    """Whether the instance knows any creator yet: an empty list then says how to start."""
    return PublicCreatorRepository(ctx.session).any_accounts()


# ----------------------------------------------------------------------------- detail


DETAIL_POSTS = 5  # per account, on the creator's page


@dataclass
class CreatorDetail:
    creator: Creator  # accounts and their categories loaded
    snapshots: dict[int, list[MetricSnapshot]]  # by account id, oldest first
    posts: dict[int, list[Post]]  # by account id, the latest few, newest first
    workspace_data: WorkspaceCreator | None
    rates: list[CreatorRate]
    lists: list[CreatorList]

    def categories(self, account: PlatformAccount) -> list[str]:
        return sorted(c.category for c in account.categories)


def creator_detail(ctx: Context, creator_id: int) -> CreatorDetail:
    public = PublicCreatorRepository(ctx.session)
    creator = public.creator_with_accounts(creator_id)
    if creator is None:
        raise NotFound(f"creator {creator_id} not found")
    snapshots: dict[int, list[MetricSnapshot]] = {a.id: [] for a in creator.accounts}
    for snapshot in public.snapshots(list(snapshots), since=utcnow() - HISTORY_WINDOW):
        snapshots[snapshot.account_id].append(snapshot)
    posts: dict[int, list[Post]] = {a.id: [] for a in creator.accounts}
    for post in recent_posts(ctx.session, list(posts), DETAIL_POSTS):
        posts[post.account_id].append(post)
    return CreatorDetail(
        creator=creator,
        snapshots=snapshots,
        posts=posts,
        workspace_data=WorkspaceCreatorRepository(ctx.session, ctx.workspace_id).for_creator(
            creator_id
        ),
        rates=CreatorRateRepository(ctx.session, ctx.workspace_id).for_creator(creator_id),
        lists=CreatorListRepository(ctx.session, ctx.workspace_id).containing(creator_id),
    )


@dataclass
class AccountDetail:
    account: PlatformAccount  # categories loaded
    snapshots: list[MetricSnapshot]  # the last 90 days, oldest first


def get_account(session: Session, creator_id: int, account_id: int) -> PlatformAccount:
    """A public profile fact, like the creator: any workspace may read it."""
    account = PublicCreatorRepository(session).account(creator_id, account_id)
    if account is None:
        raise NotFound(f"account {account_id} of creator {creator_id} not found")
    return account


def account_by_handle(session: Session, platform: Platform, handle: str) -> PlatformAccount:
    """`handle` as typed (an @, a profile URL); a clear message when it is not known."""
    cleaned = clean_handle(handle, "account")
    account = PublicCreatorRepository(session).account_by_handle(platform, cleaned)
    if account is None:
        raise NotFound(f"no {platform.value} account @{cleaned} is known on this instance")
    return account


def account_by_reference(session: Session, reference: str) -> PlatformAccount:
    """'instagram:ana.lima' (or 'IG:@Ana.Lima', or a profile URL after the colon) -> the
    account, as a command line names one."""
    platform_text, colon, handle_text = reference.partition(":")
    if not colon or not handle_text.strip():
        raise _invalid(
            f"name the account as platform:handle, e.g. instagram:ana.lima (got {reference!r})",
            "account",
        )
    platform = require_platform(platform_text, "account")
    try:
        return account_by_handle(session, platform, handle_text)
    except NotFound as exc:
        raise NotFound(exc.message, details={"field": "account"}) from None


@dataclass(frozen=True)
class PeerCounts:
    """How an account's engagement rate ranks among its peers: the other accounts of its
    platform and tier with a known rate."""

    tier: Tier
    below: int
    equal: int
    peers: int


def engagement_peers(session: Session, account: PlatformAccount) -> PeerCounts | None:
    """None when the account has no engagement rate or no tier (no follower count)."""
    tier = tier_of(account.followers)
    if tier is None or account.engagement_rate is None:
        return None
    below, equal, peers = PublicCreatorRepository(session).rate_counts(
        account.platform, tier.min_followers, tier.max_followers, account.engagement_rate,
        account.id,
    )  # fmt: skip
    return PeerCounts(tier, below, equal, peers)


def account_detail(ctx: Context, creator_id: int, account_id: int) -> AccountDetail:
    account = get_account(ctx.session, creator_id, account_id)
    snapshots = PublicCreatorRepository(ctx.session).snapshots(
        [account.id], since=utcnow() - HISTORY_WINDOW
    )
    return AccountDetail(account, snapshots)


def account_snapshots(
    ctx: Context,
    creator_id: int,
    account_id: int,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
) -> list[MetricSnapshot]:
    """An account's metric history, oldest first; the most recent `limit` in the window."""
    get_account(ctx.session, creator_id, account_id)
    if since is not None and until is not None and since > until:
        raise _invalid("'since' is after 'until'", "since")
    return snapshots_of(ctx.session, account_id, since=since, until=until, limit=limit)


def snapshots_of(
    session: Session,
    account_id: int,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
) -> list[MetricSnapshot]:
    """As account_snapshots, for a caller that already has the account."""
    return PublicCreatorRepository(session).snapshots(
        [account_id], since=since, until=until, limit=limit
    )


def account_posts(ctx: Context, creator_id: int, account_id: int, *, limit: int = 50) -> list[Post]:
    """An account's latest posts, newest first."""
    get_account(ctx.session, creator_id, account_id)
    return posts_of(ctx.session, account_id, limit=limit)


def posts_of(session: Session, account_id: int, *, limit: int = 50) -> list[Post]:
    """As account_posts, for a caller that already has the account."""
    return recent_posts(session, [account_id], limit)


def _clean_url(value: str | None, field: str) -> str | None:
    url = _blank(value)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
        raise _invalid(f"{url!r} is not a web address (http:// or https://)", field)
    return url


def _clean_email(value: str | None, field: str) -> str | None:
    email = _blank(value)
    if email is None:
        return None
    try:
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise _invalid(f"{email!r} is not a valid e-mail address", field) from None


def clean_handle(raw: str, field: str = "handle") -> str:
    handle = normalise_handle(raw)
    if not handle:
        raise _invalid("a handle is required", field)
    if _WHITESPACE.search(handle) or any(ord(ch) < 32 for ch in handle):
        raise _invalid(f"a handle has no spaces: {raw.strip()!r}", field)
    if len(handle) > 200:
        raise _invalid("the handle is too long (200 characters at most)", field)
    return handle


def _clean_categories(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(c for c in (normalise_category(v) for v in values) if c))


def _clean_facts(facts: AccountFacts, names: Iterable[str], prefix: str) -> dict[str, Any]:
    """The sent fields of an account, normalised; `names` are the ones the caller set."""
    cleaned: dict[str, Any] = {}
    for name in names:
        value = getattr(facts, name)
        field = prefix + name
        if name == "url":
            cleaned[name] = _clean_url(value, field)
        elif name == "country":
            cleaned[name] = normalise_country(value, field)
        elif name == "language":
            cleaned[name] = normalise_language(value, field)
        elif name == "contact_email":
            cleaned[name] = _clean_email(value, field)
        elif name == "bio":
            cleaned[name] = _blank(value)
        elif name == "categories":
            cleaned[name] = _clean_categories(value or [])
        elif name in METRIC_FIELDS:
            cleaned[name] = value
    return cleaned


def _rate_of(platform: Platform, account: PlatformAccount) -> tuple[float | None, str | None]:
    rate = engagement_rate(
        platform,
        followers=account.followers,
        avg_likes=account.avg_likes,
        avg_comments=account.avg_comments,
        avg_shares=account.avg_shares,
        avg_views=account.avg_views,
    )
    return (rate.value, rate.formula) if rate else (None, None)


def _record_metrics(
    session: Session, account: PlatformAccount, provenance: Provenance, at: datetime | None
) -> None:
    """The account's metrics just changed by hand: keep them as its latest figures, say
    where they came from, and add them to its history."""
    captured = at or utcnow()
    account.engagement_rate, account.engagement_formula = _rate_of(account.platform, account)
    account.metrics_provenance = provenance
    account.metrics_source = MANUAL_SOURCE
    account.metrics_at = captured
    session.add(
        MetricSnapshot(
            account_id=account.id,
            captured_at=captured,
            provenance=provenance,
            source=MANUAL_SOURCE,
            **{name: getattr(account, name) for name in METRIC_FIELDS},
        )
    )


def _flush_unique(session: Session, platform: Platform, handle: str, field: str) -> None:
    """The checks before catch duplicates; this catches the one a concurrent writer made."""
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(
            f"{platform.value} account @{handle} already exists", details={"field": field}
        ) from None


def _ensure_handle_free(
    public: PublicCreatorRepository,
    platform: Platform,
    handle: str,
    field: str,
    except_account: int | None = None,
) -> None:
    existing = public.account_by_handle(platform, handle)
    if existing is not None and existing.id != except_account:
        raise Conflict(
            f"{platform.value} account @{handle} already exists (creator {existing.creator_id})",
            details={"field": field, "creator_id": existing.creator_id},
        )


def _insert_account(
    session: Session, creator: Creator, data: AccountCreate, handle: str, prefix: str
) -> PlatformAccount:
    facts = _clean_facts(data, [*PROFILE_FIELDS, *METRIC_FIELDS, "categories"], prefix)
    categories = facts.pop("categories")
    account = PlatformAccount(
        creator_id=creator.id,
        platform=data.platform,
        handle=handle,
        metrics_provenance=data.provenance,
        metrics_source=MANUAL_SOURCE,
        categories=[AccountCategory(category=c) for c in categories],
        **facts,
    )
    account.engagement_rate, account.engagement_formula = _rate_of(data.platform, account)
    PublicCreatorRepository.mirror_copies(account)
    session.add(account)
    _flush_unique(session, data.platform, handle, prefix + "handle")
    if any(facts.get(name) is not None for name in METRIC_FIELDS):
        _record_metrics(session, account, data.provenance, data.captured_at)
    else:
        account.metrics_at = data.captured_at
    return account


def _prepare_accounts(
    public: PublicCreatorRepository, accounts: Sequence[AccountCreate], prefix: str
) -> list[str]:
    """Every check before the first write, so a refused request writes nothing."""
    handles: list[str] = []
    seen: set[tuple[Platform, str]] = set()
    for index, data in enumerate(accounts):
        field_prefix = f"{prefix}{index}." if prefix else ""
        handle = clean_handle(data.handle, field_prefix + "handle")
        if (data.platform, handle) in seen:
            raise _invalid(
                f"{data.platform.value} account @{handle} is given twice", field_prefix + "handle"
            )
        seen.add((data.platform, handle))
        _clean_facts(data, [*PROFILE_FIELDS, "categories"], field_prefix)
        _ensure_handle_free(public, data.platform, handle, field_prefix + "handle")
        handles.append(handle)
    return handles


def create_creator(ctx: Context, data: CreatorCreate) -> Creator:
    ctx.require_write()
    public = PublicCreatorRepository(ctx.session)
    handles = _prepare_accounts(public, data.accounts, "accounts.")
    creator = Creator(display_name=data.display_name, is_virtual=data.is_virtual)
    public.add(creator)
    for index, (account, handle) in enumerate(zip(data.accounts, handles, strict=True)):
        _insert_account(ctx.session, creator, account, handle, f"accounts.{index}.")
    ctx.session.flush()
    discovery_service.refresh(ctx.session, public.account_ids_of(creator.id))
    record(
        ctx,
        "creator.created",
        "creator",
        creator.id,
        display_name=creator.display_name,
        accounts=[f"{a.platform.value}:{h}" for a, h in zip(data.accounts, handles, strict=True)],
    )
    return creator


def update_creator(ctx: Context, creator_id: int, data: CreatorUpdate) -> Creator:
    ctx.require_write()
    creator = get_creator(ctx.session, creator_id)
    changed: dict[str, Any] = {}
    if data.display_name is not None and data.display_name != creator.display_name:
        creator.display_name = changed["display_name"] = data.display_name
    if data.is_virtual is not None and data.is_virtual != creator.is_virtual:
        creator.is_virtual = changed["is_virtual"] = data.is_virtual
    if changed:
        ctx.session.flush()
        record(ctx, "creator.updated", "creator", creator.id, **changed)
    return creator


def add_account(ctx: Context, creator_id: int, data: AccountCreate) -> PlatformAccount:
    ctx.require_write()
    creator = get_creator(ctx.session, creator_id)
    public = PublicCreatorRepository(ctx.session)
    (handle,) = _prepare_accounts(public, [data], "")
    account = _insert_account(ctx.session, creator, data, handle, "")
    creator.updated_at = utcnow()
    ctx.session.flush()
    discovery_service.refresh(ctx.session, [account.id])
    record(
        ctx,
        "creator.account_added",
        "platform_account",
        account.id,
        creator_id=creator.id,
        account=account_label(account),
    )
    return account


def update_account(
    ctx: Context, creator_id: int, account_id: int, data: AccountUpdate
) -> PlatformAccount:
    """Changes only the fields sent. New metrics become the account's latest figures, with
    the provenance given ('reported' unless said otherwise), and a snapshot in its history."""
    ctx.require_write()
    public = PublicCreatorRepository(ctx.session)
    account = public.account(creator_id, account_id)
    if account is None:
        raise NotFound(f"account {account_id} of creator {creator_id} not found")
    sent = data.model_fields_set - {"provenance", "captured_at"}
    facts = _clean_facts(data, sent - {"handle"}, "")
    if "handle" in sent:
        if data.handle is None:
            raise _invalid("a handle is required", "handle")
        handle = clean_handle(data.handle)
        _ensure_handle_free(public, account.platform, handle, "handle", except_account=account.id)
        account.handle = handle
    categories = facts.pop("categories", None)
    for name, value in facts.items():
        setattr(account, name, value)
    if categories is not None:
        public.replace_categories(account, categories)
    if any(name in METRIC_FIELDS for name in sent):
        _record_metrics(ctx.session, account, data.provenance, data.captured_at)
    if sent:
        public.mirror_copies(account)
        account.updated_at = utcnow()
        _flush_unique(ctx.session, account.platform, account.handle, "handle")
        if "bio" in sent:
            discovery_service.refresh(ctx.session, [account.id])
        record(
            ctx,
            "creator.account_updated",
            "platform_account",
            account.id,
            creator_id=creator_id,
            fields=sorted(sent),
        )
    return account


def remove_account(ctx: Context, creator_id: int, account_id: int) -> None:
    ctx.require_write()
    public = PublicCreatorRepository(ctx.session)
    account = public.account(creator_id, account_id)
    if account is None:
        raise NotFound(f"account {account_id} of creator {creator_id} not found")
    if len(public.account_ids_of(creator_id)) == 1:
        raise Conflict(
            "this is the creator's only account; a creator needs at least one",
            details={"field": "account_id"},
        )
    label = account_label(account)
    discovery_service.forget(ctx.session, [account.id])
    public.delete_account(account)
    record(
        ctx,
        "creator.account_removed",
        "platform_account",
        account_id,
        creator_id=creator_id,
        account=label,
    )


# ----------------------------------------------------------------------------- workspace data


def _clean_custom_fields(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for raw_key, value in values.items():
        key = _WHITESPACE.sub(" ", raw_key).strip()
        if not key or len(key) > 60:
            raise _invalid(
                f"a custom field needs a name of 1 to 60 characters: {raw_key!r}", "custom_fields"
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise _invalid(f"custom field {key!r} is not a finite number", "custom_fields")
        cleaned[key] = value.strip() if isinstance(value, str) else value
    return cleaned


def update_workspace_data(
    ctx: Context, creator_id: int, data: WorkspaceDataUpdate
) -> WorkspaceCreator:
    ctx.require_write()
    get_creator(ctx.session, creator_id)
    tags = (
        list(dict.fromkeys(normalise_tag(t) for t in data.tags)) if data.tags is not None else None
    )
    custom_fields = (
        _clean_custom_fields(data.custom_fields) if data.custom_fields is not None else None
    )
    overlays = WorkspaceCreatorRepository(ctx.session, ctx.workspace_id)
    overlay = overlays.for_creator(creator_id)
    if overlay is None:
        overlay = overlays.add(
            WorkspaceCreator(
                workspace_id=ctx.workspace_id,
                creator_id=creator_id,
                notes="",
                tags=[],
                custom_fields={},
                relationship_status=RelationshipStatus.none,
            )
        )
    changed: list[str] = []
    if data.notes is not None and data.notes != overlay.notes:
        overlay.notes = data.notes
        changed.append("notes")
    if tags is not None and tags != overlay.tags:
        overlay.tags = tags
        changed.append("tags")
    if custom_fields is not None and custom_fields != overlay.custom_fields:
        overlay.custom_fields = custom_fields
        changed.append("custom_fields")
    if (
        data.relationship_status is not None
        and data.relationship_status != overlay.relationship_status
    ):
        overlay.relationship_status = data.relationship_status
        changed.append("relationship_status")
    if changed:
        ctx.session.flush()
        record(
            ctx,
            "creator.workspace_data_updated",
            "creator",
            creator_id,
            fields=changed,
            relationship_status=overlay.relationship_status.value,
        )
    return overlay


def add_rate(ctx: Context, creator_id: int, data: RateCreate) -> CreatorRate:
    ctx.require_write()
    get_creator(ctx.session, creator_id)
    try:
        money = Money(data.amount_minor, data.currency)
    except MoneyError as exc:
        raise _invalid(str(exc), "currency") from None
    rate = CreatorRateRepository(ctx.session, ctx.workspace_id).add(
        CreatorRate(
            workspace_id=ctx.workspace_id,
            creator_id=creator_id,
            platform=data.platform,
            deliverable=data.deliverable,
            amount_minor=money.amount_minor,
            currency=money.currency,
        )
    )
    record(
        ctx,
        "creator.rate_added",
        "creator_rate",
        rate.id,
        creator_id=creator_id,
        platform=rate.platform.value,
        deliverable=rate.deliverable,
        amount=format_minor(rate.amount_minor, rate.currency),
    )
    return rate


def remove_rate(ctx: Context, creator_id: int, rate_id: int) -> None:
    ctx.require_write()
    rates = CreatorRateRepository(ctx.session, ctx.workspace_id)
    rate = rates.get(rate_id)
    if rate is None or rate.creator_id != creator_id:
        raise NotFound(f"rate {rate_id} of creator {creator_id} not found")
    record(
        ctx,
        "creator.rate_removed",
        "creator_rate",
        rate.id,
        creator_id=creator_id,
        deliverable=rate.deliverable,
        amount=format_minor(rate.amount_minor, rate.currency),
    )
    rates.remove(rate)


# ----------------------------------------------------------------------------- lists


def lists(ctx: Context) -> list[ListSummary]:
    return CreatorListRepository(ctx.session, ctx.workspace_id).summaries()


def get_list(ctx: Context, list_id: int) -> CreatorList:
    return CreatorListRepository(ctx.session, ctx.workspace_id).get_or_404(list_id, "list")


def list_size(ctx: Context, list_id: int) -> int:
    return CreatorListEntryRepository(ctx.session, ctx.workspace_id).size(list_id)


def _ensure_name_free(repo: CreatorListRepository, name: str, except_id: int | None) -> None:
    existing = repo.by_name(name)
    if existing is not None and existing.id != except_id:
        raise Conflict(f"there is already a list named {name!r}", details={"field": "name"})


def create_list(ctx: Context, data: ListCreate) -> CreatorList:
    ctx.require_write()
    repo = CreatorListRepository(ctx.session, ctx.workspace_id)
    _ensure_name_free(repo, data.name, None)
    creator_list = repo.add(
        CreatorList(workspace_id=ctx.workspace_id, name=data.name, description=data.description)
    )
    record(ctx, "list.created", "creator_list", creator_list.id, name=creator_list.name)
    return creator_list


def update_list(ctx: Context, list_id: int, data: ListUpdate) -> CreatorList:
    ctx.require_write()
    repo = CreatorListRepository(ctx.session, ctx.workspace_id)
    creator_list = repo.get_or_404(list_id, "list")
    changed: dict[str, Any] = {}
    if data.name is not None and data.name != creator_list.name:
        _ensure_name_free(repo, data.name, creator_list.id)
        creator_list.name = changed["name"] = data.name
    if data.description is not None and data.description != creator_list.description:
        creator_list.description = data.description
        changed["description"] = True
    if changed:
        ctx.session.flush()
        record(ctx, "list.updated", "creator_list", creator_list.id, **changed)
    return creator_list


def delete_list(ctx: Context, list_id: int) -> None:
    ctx.require_write()
    repo = CreatorListRepository(ctx.session, ctx.workspace_id)
    creator_list = repo.get_or_404(list_id, "list")
    record(ctx, "list.deleted", "creator_list", creator_list.id, name=creator_list.name)
    repo.remove(creator_list)


def add_to_list(ctx: Context, list_id: int, creator_id: int) -> tuple[CreatorListEntry, bool]:
    """Idempotent: a creator already in the list stays as is. Says whether it was added."""
    ctx.require_write()
    creator_list = get_list(ctx, list_id)
    get_creator(ctx.session, creator_id)
    entries = CreatorListEntryRepository(ctx.session, ctx.workspace_id)
    existing = entries.find(list_id, creator_id)
    if existing is not None:
        return existing, False
    entry = entries.add(
        CreatorListEntry(workspace_id=ctx.workspace_id, list_id=list_id, creator_id=creator_id)
    )
    creator_list.updated_at = utcnow()
    record(
        ctx,
        "list.creator_added",
        "creator_list",
        list_id,
        creator_id=creator_id,
        list=creator_list.name,
    )
    return entry, True


def remove_from_list(ctx: Context, list_id: int, creator_id: int) -> None:
    ctx.require_write()
    creator_list = get_list(ctx, list_id)
    entries = CreatorListEntryRepository(ctx.session, ctx.workspace_id)
    entry = entries.find(list_id, creator_id)
    if entry is None:
        raise NotFound(f"creator {creator_id} is not in the list {creator_list.name!r}")
    entries.remove(entry)
    creator_list.updated_at = utcnow()
    record(
        ctx,
        "list.creator_removed",
        "creator_list",
        list_id,
        creator_id=creator_id,
        list=creator_list.name,
    )


@dataclass
class ListMember:
    creator: Creator  # accounts loaded
    added_at: datetime


def list_members(ctx: Context, list_id: int, page: PageParams | None = None) -> Page[ListMember]:
    """Most recently added first."""
    page = page or PageParams()
    if page.page < 1 or not 1 <= page.per_page <= MAX_PAGE_SIZE:
        raise _invalid(f"page from 1, per_page from 1 to {MAX_PAGE_SIZE}", "page")
    get_list(ctx, list_id)
    entries = CreatorListEntryRepository(ctx.session, ctx.workspace_id).members(
        list_id, page.per_page + 1, page.offset
    )
    members = [ListMember(creator, added_at) for creator, added_at in entries]
    return Page(members[: page.per_page], page.page, page.per_page, len(members) > page.per_page)
