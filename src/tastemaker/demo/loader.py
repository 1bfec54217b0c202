"""Writes generated demo data to the database through the domains' own services.

Creators go through creator.bulk (the same path imports take), people and workspaces
through account and workspace services, campaigns, lists and notes through theirs, so the
demo exercises the rules and audit trail real use does. The one thing written here
directly is the generated metric history, in executemany batches: it is the generator's
own invented past, which no service has a reason to accept from outside.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Table, delete, exists, insert, select, update
from sqlalchemy.orm import Session

from tastemaker.account.models import User
from tastemaker.account.service import (
    check_password_strength,
    normalise_email,
    register,
    user_by_email,
)
from tastemaker.campaign import service as campaign_service
from tastemaker.campaign.schemas import CampaignCreate, KpiTarget, RosterEntryCreate
from tastemaker.creator import service as creator_service
from tastemaker.creator.bulk import RECORD_FIELDS as _RECORD_FIELDS
from tastemaker.creator.bulk import AccountRecord, upsert_accounts
from tastemaker.creator.models import Creator, MetricSnapshot, PlatformAccount, Provenance
from tastemaker.creator.schemas import ListCreate, RateCreate, WorkspaceDataUpdate
from tastemaker.demo import generator, scenario
from tastemaker.demo.scenario import CampaignPlan, WorkspaceContent
from tastemaker.discovery import service as discovery_service
from tastemaker.kit.security import hash_password
from tastemaker.kit.settings import get_settings
from tastemaker.kit.time import utcnow
from tastemaker.workspace.context import Context
from tastemaker.workspace.models import Membership, Role, Workspace
from tastemaker.workspace.service import accept_invitation, create_workspace, invite

DEMO_SOURCE = "demo generator"
DEFAULT_SEED = 42
DEFAULT_CREATORS = 2_000
DEFAULT_HISTORY_DAYS = 90
# Creators per upsert; history rows of a batch go in one executemany.
BATCH_SIZE = 1_000
_SNAPSHOT_TABLE: Table = MetricSnapshot.__table__  # type: ignore[assignment]
# Under SQLite's bound-parameter limit in IN (...) lists.
_IN_CHUNK = 900


class Progress(Protocol):
    """What the loader reports; the CLI draws it as a Rich progress bar."""

    def start(self, description: str, total: int) -> None: ...

    def advance(self, amount: int = 1) -> None: ...


class _Silent:
    def start(self, description: str, total: int) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass


@dataclass
class WrittenCreators:
    creators: int = 0
    accounts: int = 0
    snapshots: int = 0
    # GeneratedCreator.index -> Creator.id, for the scenario's picks.
    creator_ids: dict[int, int] = field(default_factory=dict)


def today() -> date:
    """The anchor of a run: computed once, so every date of one load agrees."""
    return utcnow().date()


def _batches(
    items: Iterable[generator.GeneratedCreator], size: int
) -> Iterator[list[generator.GeneratedCreator]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _chunks(items: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), _IN_CHUNK):
        yield items[start : start + _IN_CHUNK]


def _empty_columns(record: AccountRecord) -> tuple[bool, ...]:
    return tuple(getattr(record, name) is None for name in _RECORD_FIELDS)


def _join_accounts(
    session: Session, batch: Sequence[generator.GeneratedCreator], account_ids: Sequence[int]
) -> list[int]:
    """creator.bulk makes one creator per new account; a person with accounts on several
    platforms is one creator, so their other accounts move to the first one's creator and
    the emptied creators go. Returns the creator id of each generated creator."""
    position = 0
    owners: list[list[int]] = []
    for creator in batch:
        owners.append(list(account_ids[position : position + len(creator.accounts)]))
        position += len(creator.accounts)
    creator_of: dict[int, int] = {}
    for chunk in _chunks(account_ids):
        rows = session.execute(
            select(PlatformAccount.id, PlatformAccount.creator_id).where(
                PlatformAccount.id.in_(chunk)
            )
        )
        creator_of.update((account_id, creator_id) for account_id, creator_id in rows)
    moves: list[dict[str, Any]] = []
    emptied: set[int] = set()
    for ids in owners:
        keep = creator_of[ids[0]]
        for account_id in ids[1:]:
            if creator_of[account_id] != keep:
                moves.append({"id": account_id, "creator_id": keep})
                emptied.add(creator_of[account_id])
    if moves:
        session.execute(update(PlatformAccount), moves)
        # Only creators left with no account at all: an existing creator that still has
        # other accounts (say, from an import) is never removed.
        for chunk in _chunks(sorted(emptied)):
            session.execute(
                delete(Creator).where(
                    Creator.id.in_(chunk),
                    ~exists().where(PlatformAccount.creator_id == Creator.id),
                )
            )
    return [creator_of[ids[0]] for ids in owners]


def _write_history(
    session: Session,
    batch: Sequence[generator.GeneratedCreator],
    account_ids: Sequence[int],
    dates: Sequence[datetime],
    replace: bool,
) -> int:
    if not dates:
        return 0
    if replace:
        # A reload replaces the demo's own history, never another source's snapshots.
        for chunk in _chunks(account_ids):
            session.execute(
                delete(MetricSnapshot).where(
                    MetricSnapshot.account_id.in_(chunk), MetricSnapshot.source == DEMO_SOURCE
                )
            )
    rows: list[dict[str, Any]] = []
    accounts = (account for creator in batch for account in creator.accounts)
    for account, account_id in zip(accounts, account_ids, strict=True):
        for day in generator.account_history(account, dates):
            rows.append(
                {
                    "account_id": account_id,
                    "captured_at": day.captured_at,
                    "followers": day.followers,
                    "following": day.following,
                    "posts": day.posts,
                    "avg_likes": day.avg_likes,
                    "avg_comments": day.avg_comments,
                    "avg_shares": day.avg_shares,
                    "avg_views": day.avg_views,
                    "provenance": Provenance.reported,
                    "source": DEMO_SOURCE,
                }
            )
    # Core executemany on the table: the ORM's bulk path would re-sort and re-batch 200K
    # plain rows that need none of its bookkeeping, at several times the cost.
    session.connection().execute(insert(_SNAPSHOT_TABLE), rows)
    return len(rows)


def write_creators(
    session: Session,
    creators: Iterable[generator.GeneratedCreator],
    *,
    dates: Sequence[datetime] = (),
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> WrittenCreators:
    """Upserts generated creators (matching on platform and handle, so a second run with
    the same seed updates rather than duplicates) and writes their history for `dates`."""
    report = progress or _Silent()
    written = WrittenCreators()
    for batch in _batches(creators, batch_size):
        records = [account.record for creator in batch for account in creator.accounts]
        # The ORM starts a new INSERT statement whenever the set of non-empty columns
        # changes between consecutive rows; grouping rows by that set turns hundreds of
        # small statements per batch into a handful (5x faster on PostgreSQL).
        ordered = sorted(records, key=_empty_columns)
        result = upsert_accounts(
            session,
            ordered,
            provenance=Provenance.reported,
            source=DEMO_SOURCE,
            write_snapshots=False,
        )
        id_of = {
            (r.platform, r.handle): i for r, i in zip(ordered, result.account_ids, strict=True)
        }
        account_ids = [id_of[(r.platform, r.handle)] for r in records]
        creator_ids = _join_accounts(session, batch, account_ids)
        for creator, creator_id in zip(batch, creator_ids, strict=True):
            written.creator_ids[creator.index] = creator_id
        written.snapshots += _write_history(
            session, batch, account_ids, dates, replace=result.updated > 0
        )
        written.creators += len(batch)
        written.accounts += len(records)
        report.advance(len(batch))
    session.flush()
    return written


def generate_creators(
    session: Session,
    count: int,
    seed: int = DEFAULT_SEED,
    *,
    history_days: int = 0,
    anchor: date | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> WrittenCreators:
    """`count` seeded creators (no workspace data), for large demo sets and benchmarks.
    The caller owns the transaction."""
    if count < 0 or history_days < 0:
        raise ValueError("count and history_days must not be negative")
    day = anchor or today()
    if progress is not None:
        progress.start(
            "creators" + (f" + {history_days}-day history" if history_days else ""), count
        )
    return write_creators(
        session,
        generator.iter_creators(seed, count, day),
        dates=generator.history_dates(day, history_days),
        batch_size=batch_size,
        progress=progress,
    )


@dataclass
class LoadResult:
    loaded: bool
    email: str
    password: str | None  # None when nothing was loaded and the password is not known
    url: str
    colleagues: list[str] = field(default_factory=list)
    workspaces: list[str] = field(default_factory=list)  # slugs, the brand's first
    creators: int = 0
    accounts: int = 0
    snapshots: int = 0
    campaigns: int = 0


def load_demo(
    session: Session,
    *,
    seed: int = DEFAULT_SEED,
    creators: int = DEFAULT_CREATORS,
    email: str = scenario.DEFAULT_EMAIL,
    password: str = scenario.DEFAULT_PASSWORD,
    if_empty: bool = False,
    history_days: int = DEFAULT_HISTORY_DAYS,
    anchor: date | None = None,
    progress: Progress | None = None,
) -> LoadResult:
    """The demo user, two workspaces (a brand with teammates, an agency client), creators
    with history, notes, rates, lists and five campaigns in five statuses.

    Run again, it rebuilds the demo workspaces and refreshes the creators, and the demo
    user's password is set to `password` again; with `if_empty` it leaves an existing demo
    user alone. The caller owns the transaction."""
    email = normalise_email(email)
    url = get_settings().base_url
    owner = user_by_email(session, email)
    if owner is not None and if_empty:
        return LoadResult(loaded=False, email=email, password=None, url=url)
    check_password_strength(password)
    report = progress or _Silent()
    day = anchor or today()

    report.start(f"creators + {history_days}-day history", creators)
    generated = generator.generate_creators(seed, creators, day)
    written = write_creators(
        session, generated, dates=generator.history_dates(day, history_days), progress=report
    )
    report.start("search index of bios", written.accounts)
    discovery_service.refresh(session, progress=report.advance)
    plan = scenario.plan(seed, generated, day)

    steps = sum(_steps(content) for content in (plan.brand, plan.agency_client))
    report.start("workspaces, lists and campaigns", steps + 1)
    if owner is None:
        owner = register(
            session,
            email=email,
            name=scenario.OWNER_NAME,
            password=password,
            timezone=scenario.BRAND.timezone,
        )
    else:
        owner.password_hash = hash_password(password)
        _drop_demo_workspaces(session, owner)
    colleagues = [_colleague(session, c, owner.password_hash) for c in scenario.COLLEAGUES]
    report.advance()

    brand = _build_workspace(session, owner, plan.brand, written.creator_ids, report)
    for colleague, spec in zip(colleagues, scenario.COLLEAGUES, strict=True):
        ctx = _owner_context(session, brand, owner)
        accept_invitation(session, colleague, invite(ctx, colleague.email, spec.role).token)
    agency = _build_workspace(session, owner, plan.agency_client, written.creator_ids, report)
    session.flush()
    return LoadResult(
        loaded=True,
        email=email,
        password=password,
        url=url,
        colleagues=[c.email for c in colleagues],
        workspaces=[brand.slug, agency.slug],
        creators=written.creators,
        accounts=written.accounts,
        snapshots=written.snapshots,
        campaigns=len(plan.brand.campaigns) + len(plan.agency_client.campaigns),
    )


def _steps(content: WorkspaceContent) -> int:
    return (
        1 + len(content.overlays) + len(content.rates) + len(content.lists) + len(content.campaigns)
    )


def _colleague(session: Session, colleague: scenario.Colleague, password_hash: str) -> User:
    user = user_by_email(session, colleague.email)
    if user is None:
        # Registered with the default, then given the owner's hash: teammates share the
        # printed password whatever it is.
        user = register(
            session,
            email=colleague.email,
            name=colleague.name,
            password=scenario.DEFAULT_PASSWORD,
            timezone=scenario.BRAND.timezone,
        )
    user.password_hash = password_hash
    return user


def _drop_demo_workspaces(session: Session, owner: User) -> None:
    """Workspaces of a previous load, recognised by name among those the demo user owns.
    No service deletes workspaces (yet); rows below them go by ON DELETE CASCADE."""
    names = [plan.name for plan in scenario.WORKSPACES]
    ids = session.scalars(
        select(Workspace.id)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(
            Membership.user_id == owner.id, Membership.role == Role.owner, Workspace.name.in_(names)
        )
    ).all()
    if ids:
        session.execute(delete(Workspace).where(Workspace.id.in_(ids)))
        session.expire_all()


def _owner_context(session: Session, workspace: Workspace, owner: User) -> Context:
    return Context(
        session=session,
        workspace=workspace,
        role=Role.owner,
        user_id=owner.id,
        timezone=workspace.timezone,
    )


def _build_workspace(
    session: Session,
    owner: User,
    content: WorkspaceContent,
    creator_ids: dict[int, int],
    report: Progress,
) -> Workspace:
    spec = content.workspace
    workspace = create_workspace(
        session,
        owner,
        name=spec.name,
        kind=spec.kind,
        default_currency=spec.currency,
        timezone=spec.timezone,
    )
    ctx = _owner_context(session, workspace, owner)
    report.advance()
    for overlay in content.overlays:
        creator_service.update_workspace_data(
            ctx,
            creator_ids[overlay.creator],
            WorkspaceDataUpdate(
                notes=overlay.notes,
                tags=overlay.tags,
                relationship_status=overlay.relationship_status,
            ),
        )
        report.advance()
    for rate in content.rates:
        creator_service.add_rate(
            ctx,
            creator_ids[rate.pick.creator],
            RateCreate(
                platform=rate.pick.platform,
                deliverable=rate.deliverable,
                amount_minor=rate.amount_minor,
                currency=spec.currency,
            ),
        )
        report.advance()
    for list_plan in content.lists:
        created = creator_service.create_list(
            ctx, ListCreate(name=list_plan.name, description=list_plan.description)
        )
        for index in dict.fromkeys(list_plan.creators):
            creator_service.add_to_list(ctx, created.id, creator_ids[index])
        report.advance()
    for campaign in content.campaigns:
        _create_campaign(ctx, campaign, creator_ids)
        report.advance()
    return workspace


def _create_campaign(ctx: Context, plan: CampaignPlan, creator_ids: dict[int, int]) -> None:
    campaign = campaign_service.create_campaign(
        ctx,
        CampaignCreate(
            name=plan.name,
            description=plan.description,
            objective=plan.objective,
            budget_minor=plan.budget_minor,
            currency=ctx.workspace.default_currency,
            start_date=plan.start_date,
            end_date=plan.end_date,
            target_countries=plan.target_countries,
            target_languages=plan.target_languages,
            target_age_bands=plan.target_age_bands,
            target_genders=plan.target_genders,
            target_interests=plan.target_interests,
            platforms=plan.platforms,
            tiers=plan.tiers,
            collaboration_models=plan.collaboration_models,
            kpis=[KpiTarget(metric=k.metric, target=k.target) for k in plan.kpis],
        ),
    )
    # The roster is settled while the campaign can still change; finished ones are read-only.
    for entry in plan.roster:
        campaign_service.add_to_roster(
            ctx,
            campaign.id,
            RosterEntryCreate(
                creator_id=creator_ids[entry.pick.creator],
                planned_fee_minor=entry.fee_minor,
                platform=entry.pick.platform,
                status=entry.status,
                notes=entry.notes,
            ),
        )
    for status in scenario.STATUS_PATHS[plan.status]:
        campaign_service.change_status(ctx, campaign.id, status)
