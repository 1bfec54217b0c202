"""Times the creators list (the service call behind GET /creators) on 100,000 creators.

It builds a fresh database, fills it through `creator.bulk.upsert_accounts` with seeded,
skewed data (most accounts nano or micro, a few platforms and countries dominate, 1-3
categories per account, a quarter of creators on two or three platforms, some figures
missing), adds one workspace's tags, statuses and lists, then times one page of 50 for
combinations of two filters and a sort: the server time of `creator.service.list_creators`
(queries plus building the rows), warm-up runs first. It prints p50/p95 per combination and
overall, each against the targets (p50 30 ms, p95 100 ms) and against an unfiltered first
page measured in the same run. It asserts nothing: it is a measurement, not a test.

    .venv/bin/python benchmarks/creators_list.py                 # SQLite, in a temp file
    .venv/bin/python benchmarks/creators_list.py --explain       # also print query plans
    scripts/with-postgres.sh sh -c \\
      '.venv/bin/python benchmarks/creators_list.py --database-url "$TASTEMAKER_TEST_DATABASE_URL"'

With --database-url postgresql://..., everything happens in a schema of its own
(creators_bench_<pid>) which is dropped at the end; nothing else in that database is touched.
Server settings come from the server or from libpq's PGOPTIONS, for instance the SSD costing
most deployments use: PGOPTIONS='-c random_page_cost=1.1'.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("TASTEMAKER_SECRET_KEY", "benchmark-secret-key-not-for-production-0123")

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import Engine, delete, event, insert, select, text, update
from sqlalchemy.orm import Session

from tastemaker.account.models import User
from tastemaker.creator import service
from tastemaker.creator.bulk import AccountRecord, upsert_accounts
from tastemaker.creator.models import (
    Creator,
    CreatorList,
    CreatorListEntry,
    Platform,
    PlatformAccount,
    Provenance,
    RelationshipStatus,
    WorkspaceCreator,
)
from tastemaker.creator.schemas import CreatorFilters
from tastemaker.kit.bulk import in_chunks
from tastemaker.kit.db import make_engine
from tastemaker.kit.pagination import PageParams
from tastemaker.kit.time import utcnow
from tastemaker.models import Base
from tastemaker.workspace.context import Context
from tastemaker.workspace.models import Role
from tastemaker.workspace.service import create_workspace

TARGET_P50_MS = 30.0
TARGET_P95_MS = 100.0
PAGE = PageParams(page=1, per_page=50)

PLATFORMS = [
    (Platform.instagram, 45),
    (Platform.tiktok, 25),
    (Platform.youtube, 14),
    (Platform.x, 4),
    (Platform.twitch, 3),
    (Platform.facebook, 3),
    (Platform.linkedin, 2),
    (Platform.pinterest, 1.5),
    (Platform.snapchat, 1),
    (Platform.podcast, 0.75),
    (Platform.blog, 0.75),
]
COUNTRIES = [  # (country, weight, language)
    ("US", 22, "en"), ("BR", 9, "pt"), ("IN", 9, "en"), ("GB", 7, "en"), ("FR", 6, "fr"),
    ("DE", 6, "de"), ("MX", 5, "es"), ("ES", 5, "es"), ("IT", 4, "it"), ("ID", 4, "id"),
    ("JP", 3, "ja"), ("CA", 3, "en"), ("AU", 3, "en"), ("NL", 2, "nl"), ("TR", 2, "tr"),
    ("PH", 2, "en"), ("NG", 2, "en"), ("KR", 2, "ko"), ("SE", 1, "sv"), ("PL", 1, "pl"),
    ("AR", 1, "es"), ("ZA", 1, "en"),
]  # fmt: skip
CATEGORIES = [
    ("lifestyle", 14), ("fashion", 12), ("beauty", 11), ("fitness", 8), ("food", 8),
    ("travel", 7), ("gaming", 7), ("music", 6), ("tech", 5), ("comedy", 5),
    ("parenting", 4), ("sports", 4), ("education", 3), ("finance", 3), ("art", 3),
    ("home", 3), ("pets", 2), ("automotive", 2), ("health", 2), ("books", 1),
]  # fmt: skip
# (tier, share, lowest followers, highest followers, typical engagement rate)
TIER_MIX = [
    ("sub-nano", 0.05, 50, 999, 0.12),
    ("nano", 0.50, 1_000, 9_999, 0.10),
    ("micro", 0.30, 10_000, 99_999, 0.065),
    ("mid", 0.10, 100_000, 499_999, 0.045),
    ("macro", 0.03, 500_000, 999_999, 0.03),
    ("mega", 0.02, 1_000_000, 250_000_000, 0.018),
]
_FIRST_NAMES = (
    "Ada Alex Ana Anna Ben Bruno Camila Chloe Dan Diego Ella Emma Eva Felix Gabriel Hana Hugo "
    "Ines Isa Ivan Jade Jana Jon Julia Kai Karim Lara Lea Leo Lina Luca Lucas Maya Mia Mila "
    "Nadia Nina Noah Nora Omar Paul Priya Rafa Rosa Sam Sara Sofia Tom Yara Yuki Zoe"
)
_LAST_NAMES = (
    "Silva Santos Smith Jones Garcia Martin Muller Rossi Dubois Kumar Sharma Tanaka Kim Lee "
    "Nguyen Costa Lopez Perez Novak Jansen Berg Ali Khan Wong Chen Moreau Ricci Weber Fischer "
    "Brown Taylor Wilson Clark Lewis Walker Young King Wright Hill Green Adams Baker Nelson"
)
FIRST = _FIRST_NAMES.split()
LAST = _LAST_NAMES.split()
TAGS = ["vip", "summer-2026", "gifting", "ugc", "video-first", "eco", "long-term", "paid",
        "shortlist", "fr-launch", "beauty-pr", "event"]  # fmt: skip


def weighted(rng: random.Random, pairs: list[tuple[Any, float]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def follower_count(rng: random.Random) -> tuple[int, float]:
    tier = rng.choices(TIER_MIX, weights=[t[1] for t in TIER_MIX])[0]
    _, _, low, high, typical_er = tier
    followers = int(math.exp(rng.uniform(math.log(low), math.log(high))))
    return followers, typical_er


def account_record(
    rng: random.Random,
    platform: Platform,
    handle: str,
    name: str,
    country: tuple[str, float, str],
    categories: list[str],
    followers: int,
    typical_er: float,
) -> AccountRecord:
    er = max(0.001, rng.gauss(typical_er, typical_er / 3))
    video = platform in (Platform.tiktok, Platform.youtube, Platform.twitch, Platform.snapchat)
    avg_views = followers * rng.uniform(0.05, 0.8) if video else None
    base = avg_views if avg_views else followers
    likes_known = rng.random() > 0.04  # some sources give no engagement figures
    return AccountRecord(
        platform=platform,
        handle=handle,
        display_name=name,
        is_virtual=rng.random() < 0.003,
        url=f"https://{platform.value}.example/{handle}",
        followers=followers if rng.random() > 0.01 else None,
        following=int(rng.uniform(50, 3_000)),
        posts=int(rng.uniform(10, 4_000)),
        avg_likes=base * er * 0.93 if likes_known else None,
        avg_comments=base * er * 0.05 if likes_known else None,
        avg_shares=base * er * 0.02 if video and likes_known else None,
        avg_views=avg_views,
        country=country[0],
        language=country[2],
        categories=categories,
        captured_at=utcnow() - timedelta(seconds=rng.randint(0, 180 * 86_400)),
    )


def generate(session: Session, count: int, seed: int, console: Console) -> None:
    """`count` creators; a quarter of them also on a second platform, some on a third."""
    rng = random.Random(seed)
    batch = 5_000
    with Progress(console=console, transient=False) as progress:
        task = progress.add_task(f"generating {count:,} creators", total=count)
        for start in range(0, count, batch):
            primaries: list[AccountRecord] = []
            extras: list[tuple[int, AccountRecord]] = []
            for n in range(start, min(start + batch, count)):
                first, last = rng.choice(FIRST), rng.choice(LAST)
                name = f"{first} {last}"
                handle = f"{first}.{last}{n}".lower()
                country = rng.choices(COUNTRIES, weights=[c[1] for c in COUNTRIES])[0]
                cats = rng.choices([c[0] for c in CATEGORIES], [c[1] for c in CATEGORIES], k=3)
                categories = list(dict.fromkeys(cats[: rng.randint(1, 3)]))
                platform = weighted(rng, PLATFORMS)
                followers, typical = follower_count(rng)
                primaries.append(
                    account_record(
                        rng, platform, handle, name, country, categories, followers, typical
                    )
                )
                others = 2 if rng.random() < 0.05 else 1 if rng.random() < 0.25 else 0
                used = {platform}
                for _ in range(others):
                    other = weighted(rng, [p for p in PLATFORMS if p[0] not in used])
                    used.add(other)
                    scaled = max(50, int(followers * math.exp(rng.gauss(-0.5, 1.0))))
                    extras.append(
                        (
                            len(primaries) - 1,
                            account_record(
                                rng, other, handle, name, country, categories, scaled, typical
                            ),
                        )
                    )
            made = upsert_accounts(
                session, primaries, provenance=Provenance.imported, source="benchmark.csv"
            )
            if extras:
                extra_ids = upsert_accounts(
                    session,
                    [record for _, record in extras],
                    provenance=Provenance.imported,
                    source="benchmark.csv",
                ).account_ids
                _attach(session, made.account_ids, extras, extra_ids)
            session.commit()
            progress.advance(task, len(primaries))
    # Rows were written in one go; spread "last updated" as real refreshes would.
    session.execute(update(PlatformAccount).values(updated_at=PlatformAccount.metrics_at))
    session.commit()


def _attach(
    session: Session,
    primary_ids: list[int],
    extras: list[tuple[int, AccountRecord]],
    extra_ids: list[int],
) -> None:
    """upsert_accounts makes one creator per new account; move each extra account to the
    creator of its primary account and drop the creator made for it."""
    owner = _creators_of(session, primary_ids)
    spare = _creators_of(session, extra_ids)
    moves = [
        {"id": account_id, "creator_id": owner[primary_ids[index]]}
        for (index, _), account_id in zip(extras, extra_ids, strict=True)
    ]
    session.execute(update(PlatformAccount), moves)
    for condition in in_chunks(session, Creator.id, list(set(spare.values()))):
        session.execute(delete(Creator).where(condition))


def _creators_of(session: Session, account_ids: list[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for condition in in_chunks(session, PlatformAccount.id, account_ids):
        rows = session.execute(
            select(PlatformAccount.id, PlatformAccount.creator_id).where(condition)
        )
        found.update((account_id, creator_id) for account_id, creator_id in rows)
    return found


def workspace_data(session: Session, ctx: Context, seed: int) -> dict[str, Any]:
    """One brand's own data: statuses and tags on 3,000 creators, five lists."""
    rng = random.Random(seed + 1)
    creator_ids = list(session.scalars(select(Creator.id).order_by(Creator.id)))
    statuses = [s for s in RelationshipStatus if s is not RelationshipStatus.none]
    touched = rng.sample(creator_ids, 3_000)
    session.execute(
        insert(WorkspaceCreator),
        [
            {
                "workspace_id": ctx.workspace_id,
                "creator_id": creator_id,
                "notes": "",
                "tags": rng.sample(TAGS, rng.randint(1, 3)),
                "custom_fields": {},
                "relationship_status": rng.choice(statuses),
            }
            for creator_id in touched
        ],
    )
    list_ids = []
    for index, size in enumerate((1_500, 800, 400, 200, 60)):
        creator_list = CreatorList(
            workspace_id=ctx.workspace_id, name=f"List {index + 1}", description=""
        )
        session.add(creator_list)
        session.flush()
        list_ids.append(creator_list.id)
        session.execute(
            insert(CreatorListEntry),
            [
                {"workspace_id": ctx.workspace_id, "list_id": creator_list.id, "creator_id": c}
                for c in rng.sample(creator_ids, size)
            ],
        )
    session.commit()
    return {"list_ids": list_ids}


@dataclass
class Combo:
    label: str
    filters: dict[str, Any]
    sort: str
    times_ms: list[float] = field(default_factory=list)
    rows: int = 0
    has_next: bool = False


def combos(data: dict[str, Any]) -> list[Combo]:
    big_list, small_list = data["list_ids"][0], data["list_ids"][4]
    return [
        Combo("platform=instagram + country=US", {"platform": "instagram", "country": "US"},
              "-followers"),
        Combo("tier=micro + category=beauty", {"tier": "micro", "category": "beauty"},
              "-engagement_rate"),
        Combo("country=FR + ER>=5%", {"country": "FR", "min_engagement_rate": 0.05},
              "-followers"),
        Combo("platform=tiktok + tier=mega", {"platform": "tiktok", "tier": "mega"}, "name"),
        Combo("language=es + category=fitness", {"language": "es", "category": "fitness"},
              "-updated"),
        Combo("search 'sofia' + platform=youtube", {"search": "sofia", "platform": "youtube"},
              "-followers"),
        Combo("followers 50K-200K + country=BR",
              {"min_followers": 50_000, "max_followers": 200_000, "country": "BR"},
              "-engagement_rate"),
        Combo("tag=vip + tier=nano", {"tag": "vip", "tier": "nano"}, "-followers"),
        Combo("status=contacted + platform=instagram",
              {"relationship_status": "contacted", "platform": "instagram"}, "name"),
        Combo("list (1,500) + country=US", {"list_id": big_list, "country": "US"},
              "-engagement_rate"),
        Combo("list (60) + tier=micro", {"list_id": small_list, "tier": "micro"}, "-followers"),
        Combo("virtual + platform=instagram", {"is_virtual": True, "platform": "instagram"},
              "-followers"),
        Combo("category=gaming + country=DE", {"category": "gaming", "country": "DE"}, "name"),
        Combo("tier=nano + country=US", {"tier": "nano", "country": "US"}, "name"),
        Combo("platform=twitch + ER>=10%", {"platform": "twitch", "min_engagement_rate": 0.10},
              "engagement_rate"),
        Combo("category=travel + tier=mega", {"category": "travel", "tier": "mega"},
              "-followers"),
        Combo("search 'silva' + country=BR", {"search": "silva", "country": "BR"}, "name"),
        Combo("tier=macro + language=pt", {"tier": "macro", "language": "pt"}, "updated"),
        Combo("category=food + ER<=2%", {"category": "food", "max_engagement_rate": 0.02},
              "-followers"),
        Combo("platform=youtube + country=JP", {"platform": "youtube", "country": "JP"},
              "-engagement_rate"),
        Combo("status=none + country=GB", {"relationship_status": "none", "country": "GB"},
              "-updated"),
        Combo("tier=micro + platform=x", {"tier": "micro", "platform": "x"}, "followers"),
        # A common category with a rare country, and the reverse: whichever set drives, the
        # other is the larger one.
        Combo("category=lifestyle + country=SE", {"category": "lifestyle", "country": "SE"},
              "name"),
        Combo("platform=instagram + category=books",
              {"platform": "instagram", "category": "books"}, "-updated"),
    ]  # fmt: skip


@contextmanager
def captured_sql(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        statements.append((statement, params))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", grab)


def _step(statement: str) -> str:
    if "MATERIALIZED" in statement:
        return "filter-driven: matches collected from the filters' indexes, then sorted"
    if "FROM (SELECT account_category." in statement:
        return "category-driven: the page read from the category's copies of the figures"
    if statement.lstrip().startswith("SELECT platform_account.id \nFROM"):
        return "probe, step 1: ids at the start of the sort order"
    if "IS NULL" in statement:
        return "accounts without the sorted figure"
    return "probe, step 2: those rows checked against the filters (or one index read)"


def explain(session: Session, engine: Engine, ctx: Context, combo: Combo, console: Console) -> None:
    """Each statement the list ran for this combination, with its plan."""
    with captured_sql(engine) as statements:
        service.list_creators(ctx, CreatorFilters(**combo.filters), combo.sort, PAGE)
    console.print(f"[bold]{combo.label}[/bold], sort {combo.sort}")
    conn = session.connection()
    # The others check the list id or fetch the page's categories and statuses by id.
    listing = ("FROM platform_account", "JOIN platform_account")
    for statement, params in (s for s in statements if any(x in s[0] for x in listing)):
        if engine.dialect.name == "postgresql":
            rows = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, COSTS OFF) {statement}", params)
            plan = "\n".join(f"    {r[0]}" for r in rows)
        else:
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
            plan = "\n".join(f"    {r[3]}" for r in rows)
        console.print(f"  {_step(statement)}", style="dim")
        console.print(plan, markup=False, highlight=False)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low, high = math.floor(k), math.ceil(k)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def measure(ctx: Context, filters: dict[str, Any], sort: str, repeat: int) -> list[float]:
    parsed = CreatorFilters(**filters)
    for _ in range(3):  # warm-up: caches, prepared statements
        service.list_creators(ctx, parsed, sort, PAGE)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        service.list_creators(ctx, parsed, sort, PAGE)
        times.append((time.perf_counter() - started) * 1000)
    return times


def database(url: str | None, tmp: Path) -> tuple[Engine, str, str | None]:
    if not url:
        path = tmp / "creators-bench.db"
        return make_engine(f"sqlite:///{path}"), f"SQLite file {path}", None
    engine = make_engine(url)
    schema = f"creators_bench_{os.getpid()}"
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")

    @event.listens_for(engine, "connect")
    def _search_path(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET search_path TO {schema}")
        cursor.close()
        dbapi_connection.commit()

    engine.dispose()  # connections made before the listener lack the search path
    return engine, f"PostgreSQL, schema {schema}", schema


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL; SQLite temp file by default")
    parser.add_argument("--creators", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per combination")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--explain", action="store_true", help="print each query plan")
    parser.add_argument(
        "--only", metavar="TEXT", help="only the combinations whose label contains TEXT"
    )
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="skip ANALYZE / VACUUM ANALYZE (planner without statistics)",
    )
    args = parser.parse_args()
    console = Console(width=130)

    with tempfile.TemporaryDirectory() as tmp:
        engine, where, schema = database(args.database_url, Path(tmp))
        try:
            return run(engine, where, args, console)
        finally:
            if schema is not None:
                engine.dispose()
                cleanup = make_engine(args.database_url)
                with cleanup.begin() as conn:
                    conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
                cleanup.dispose()
            engine.dispose()


def _load() -> str:
    """Other work on the machine inflates every figure; say how busy it was."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def run(engine: Engine, where: str, args: argparse.Namespace, console: Console) -> int:
    console.print(f"database: {where}")
    Base.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        owner = User(email="bench@example.com", name="Bench", password_hash="!")
        session.add(owner)
        session.flush()
        workspace = create_workspace(session, owner, name="Benchmark brand")
        session.commit()
        ctx = Context(session=session, workspace=workspace, role=Role.analyst)

        started = time.perf_counter()
        generate(session, args.creators, args.seed, console)
        data = workspace_data(session, ctx, args.seed)
        generation = time.perf_counter() - started
        creators = session.scalar(text("SELECT count(*) FROM creator"))
        accounts = session.scalar(text("SELECT count(*) FROM platform_account"))
        console.print(
            f"generated {creators:,} creators with {accounts:,} accounts in {generation:.1f} s"
        )
        if not args.no_analyze:
            session.commit()
            if engine.dialect.name == "postgresql":
                # What autovacuum does to a freshly loaded table on its own: statistics, and
                # the visibility map that lets index-only scans skip the table.
                with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.exec_driver_sql("VACUUM ANALYZE")
                    # Once more: while autovacuum analyses a table it holds back the horizon,
                    # and the first pass leaves such pages out of the visibility map. Left
                    # alone, autovacuum's next pass does the same.
                    conn.exec_driver_sql("VACUUM")
                console.print("ran VACUUM ANALYZE, as autovacuum would after a bulk load")
            else:
                session.execute(text("ANALYZE"))
                session.commit()
                console.print("ran ANALYZE (statistics for the planner; --no-analyze skips it)")

        console.print(f"timing starts: {_load()}")
        baseline = measure(ctx, {}, "-followers", args.repeat)
        base_p50, base_p95 = percentile(baseline, 0.5), percentile(baseline, 0.95)
        all_times: list[float] = []
        chosen = [c for c in combos(data) if not args.only or args.only in c.label]
        for combo in chosen:
            if args.explain:
                explain(session, engine, ctx, combo, console)
            combo.times_ms = measure(ctx, combo.filters, combo.sort, args.repeat)
            page = service.list_creators(ctx, CreatorFilters(**combo.filters), combo.sort, PAGE)
            combo.rows, combo.has_next = len(page.items), page.has_next
            all_times += combo.times_ms

    table = Table(title=f"creators list, one page of {PAGE.per_page}, {args.repeat} runs each")
    for column in ("filters", "sort", "rows", "p50 ms", "p95 ms", "p50 / baseline"):
        table.add_column(column, justify="left" if column in ("filters", "sort") else "right")
    table.add_row(
        "(none: baseline)", "-followers", "50", f"{base_p50:.2f}", f"{base_p95:.2f}", "1.00"
    )
    for combo in chosen:
        p50, p95 = percentile(combo.times_ms, 0.5), percentile(combo.times_ms, 0.95)
        style = "red" if p50 > TARGET_P50_MS or p95 > TARGET_P95_MS else None
        table.add_row(
            combo.label,
            combo.sort,
            f"{combo.rows}{'+' if combo.has_next else ''}",
            f"{p50:.2f}",
            f"{p95:.2f}",
            f"{p50 / base_p50:.2f}",
            style=style,
        )
    console.print(table)
    p50, p95 = percentile(all_times, 0.5), percentile(all_times, 0.95)
    worst = max(chosen, key=lambda c: percentile(c.times_ms, 0.95))
    console.print(
        f"overall ({len(chosen)} combinations x {args.repeat} runs): "
        f"p50 {p50:.2f} ms (target {TARGET_P50_MS:.0f} ms, ratio {p50 / TARGET_P50_MS:.2f}), "
        f"p95 {p95:.2f} ms (target {TARGET_P95_MS:.0f} ms, ratio {p95 / TARGET_P95_MS:.2f}); "
        f"baseline p50 {base_p50:.2f} ms, overall p50 / baseline {p50 / base_p50:.2f}"
    )
    console.print(
        f"slowest combination by p95: {worst.label} (sort {worst.sort}), "
        f"p95 {percentile(worst.times_ms, 0.95):.2f} ms"
    )
    console.print(f"timing ends: {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
