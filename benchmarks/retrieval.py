"""Does a plain-words brief find creators of the right kind? Checked on real captions.

    .venv/bin/python benchmarks/retrieval.py [--data ../shared/data/creators/instagram_kim2020_dev]

Loads the Kim et al. 2020 Instagram sample (influencers and their posts' captions) into a
fresh SQLite file through the product's own writers (`creator.bulk.upsert_accounts`,
`creator.posts.upsert_posts`), without their categories: the category is the ground truth
and nothing the search sees. `discovery.service.refresh` builds the search documents. Then,
for each of the sample's 9 categories, a one-sentence brief that does not contain the
category's own name ranks the accounts through `creator.service.list_creators(about=...)`,
exactly as the API does, and the first 10 and 50 results are checked against the category.

Baselines measured in the same run, over the same indexed accounts:
- random: the mean precision of 200 seeded random orderings;
- keyword only: BM25 alone (relevance weights 0 / 1);
- meaning only: the embedding similarity alone (weights 1 / 0).

Only the accounts with at least one caption have a document (11,322 of 16,976); they are
the pool every method ranks. Prints a table per category and overall; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from tastemaker.account.models import User
from tastemaker.creator import service as creator_service
from tastemaker.creator.bulk import AccountRecord, upsert_accounts
from tastemaker.creator.models import Platform, PlatformAccount, Provenance
from tastemaker.creator.posts import PostRecord, upsert_posts
from tastemaker.creator.schemas import CreatorFilters
from tastemaker.discovery import index, service
from tastemaker.discovery.ranking import Weights
from tastemaker.kit.db import make_engine
from tastemaker.kit.pagination import PageParams
from tastemaker.models import Base
from tastemaker.workspace.context import Context
from tastemaker.workspace.models import Role
from tastemaker.workspace.service import create_workspace

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/creators/instagram_kim2020_dev"
SOURCE = "instagram_kim2020_dev"
RANDOM_DRAWS = 200

# One sentence per category, written before any result was seen, none containing its
# category's name. "other" is the sample's catch-all (music, art, cars, sport, ...): a
# brief can only name some of what it holds.
BRIEFS = {
    "fashion": "Stylish creators sharing outfits of the day, streetwear and designer looks.",
    "beauty": "Creators who do makeup tutorials, skincare routines and cosmetics reviews.",
    "food": "Home cooks and restaurant lovers posting recipes and the dishes they eat.",
    "travel": "Creators exploring destinations, hotels, beaches and adventures abroad.",
    "fitness": "Athletes and personal trainers sharing workouts and gym sessions.",
    "family": "Parents sharing everyday life with their kids, babies and motherhood.",
    "pet": "Accounts starring dogs and cats, puppies, kittens and their owners.",
    "interior": "Home decor lovers showing living rooms, furniture and house renovations.",
    "other": "Musicians, artists, photographers and car enthusiasts sharing their passion.",
}
CUTOFFS = (10, 50)


def _account(row: dict[str, str]) -> AccountRecord:
    return AccountRecord(
        platform=Platform.instagram,
        handle=row["username"].lower(),
        display_name=row["username"],
        followers=int(row["followers"]),
        following=int(row["followees"]),
        posts=int(row["posts"]),
    )


def _post(row: dict[str, str]) -> PostRecord:
    return PostRecord(
        platform=Platform.instagram,
        handle=row["owner"].lower(),
        external_id=row["shortcode"],
        posted_at=datetime.fromtimestamp(int(row["taken_at_timestamp"]), UTC),
        caption=row["caption"],
        likes=int(row["likes"]),
        comments=int(row["comments"]),
    )


def load(session: Session, data: Path, console: Console) -> dict[str, str]:
    """Accounts and posts from the sample; returns handle -> category (kept here only)."""
    with (data / "influencers.csv").open(encoding="utf-8") as f:
        influencers = list(csv.DictReader(f))
    with (data / "posts.csv").open(encoding="utf-8") as f:
        posts = list(csv.DictReader(f))
    categories = {row["username"].lower(): row["category"] for row in influencers}
    steps: list[tuple[str, list[dict[str, str]], Callable[[list[dict[str, str]]], object]]] = [
        (
            "accounts",
            influencers,
            lambda rows: upsert_accounts(
                session, [_account(r) for r in rows], provenance=Provenance.imported, source=SOURCE
            ),
        ),
        (
            "posts",
            posts,
            lambda rows: upsert_posts(
                session, [_post(r) for r in rows], provenance=Provenance.imported, source=SOURCE
            ),
        ),
    ]
    with Progress(console=console, transient=True) as progress:
        for label, rows, write in steps:
            task = progress.add_task(label, total=len(rows))
            for start in range(0, len(rows), 5_000):
                batch = rows[start : start + 5_000]
                write(batch)
                progress.advance(task, len(batch))
        task = progress.add_task("search documents", total=len(influencers))
        started = time.perf_counter()
        result = service.refresh(session, progress=lambda n: progress.advance(task, n))
        took = time.perf_counter() - started
    console.print(
        f"{len(influencers):,} influencers, {len(posts):,} posts; {result.embedded:,} documents"
        f" embedded in {took:.1f} s ({result.embedded / took:,.0f}/s)"
    )
    return categories


def precision(handles: list[str], categories: dict[str, str], category: str, k: int) -> float:
    top = handles[:k]
    return sum(categories[h] == category for h in top) / k


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    console = Console()
    if not (args.data / "posts.csv").exists():
        console.print(f"[red]no sample at {args.data}[/red] (see ../shared/data/README.md)")
        return 2
    for category, brief in BRIEFS.items():
        if category in brief.lower():
            raise SystemExit(f"the {category} brief names its category")

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/retrieval.db")
        Base.metadata.create_all(engine)
        with Session(engine, expire_on_commit=False) as session:
            owner = User(email="bench@example.com", name="Bench", password_hash="!")
            session.add(owner)
            session.flush()
            workspace = create_workspace(session, owner, name="Retrieval")
            categories = load(session, args.data, console)
            session.commit()
            ctx = Context(session=session, workspace=workspace, role=Role.analyst)
            text_index = index.current(session)
            handle_of: dict[int, str] = {
                i: h for i, h in session.execute(select(PlatformAccount.id, PlatformAccount.handle))
            }
            pool = [handle_of[i] for i in text_index.account_ids.tolist()]
            shares = Counter(categories[h] for h in pool)
            rng = random.Random(args.seed)

            def ranked(brief: str, weights: Weights) -> list[str]:
                found = text_index.rank(brief, weights)
                order = found.order()[: max(CUTOFFS)]
                return [handle_of[i] for i in found.account_ids[order].tolist()]

            results: dict[str, dict[str, tuple[float, float]]] = {}
            timings: list[float] = []
            for category, brief in BRIEFS.items():
                started = time.perf_counter()
                page = creator_service.list_creators(
                    ctx, CreatorFilters(about=brief), page=PageParams(1, max(CUTOFFS))
                )
                timings.append(time.perf_counter() - started)
                hybrid = [row.handle for row in page.items]
                keyword = ranked(brief, Weights(0, 1))
                meaning = ranked(brief, Weights(1, 0))
                draws = [rng.sample(pool, max(CUTOFFS)) for _ in range(RANDOM_DRAWS)]
                results[category] = {
                    "hybrid (product)": _at(hybrid, categories, category),
                    "meaning only": _at(meaning, categories, category),
                    "keyword only (BM25)": _at(keyword, categories, category),
                    "random": tuple(  # type: ignore[dict-item]
                        sum(precision(d, categories, category, k) for d in draws) / RANDOM_DRAWS
                        for k in CUTOFFS
                    ),
                }
    _print(console, results, shares, len(pool))
    timings.sort()
    console.print(
        f"search time per brief over {len(pool):,} documents: median"
        f" {timings[len(timings) // 2] * 1000:.0f} ms (service call, index warm)"
    )
    return 0


def _at(handles: list[str], categories: dict[str, str], category: str) -> tuple[float, float]:
    p10, p50 = (precision(handles, categories, category, k) for k in CUTOFFS)
    return p10, p50


def _print(
    console: Console,
    results: dict[str, dict[str, tuple[float, float]]],
    shares: Counter[str],
    pool: int,
) -> None:
    methods = list(next(iter(results.values())))
    table = Table(title=f"Precision@10 / @50 on instagram_kim2020_dev ({pool:,} accounts)")
    table.add_column("category")
    table.add_column("share", justify="right")
    for method in methods:
        table.add_column(method, justify="right")
    for category, by_method in results.items():
        table.add_row(
            category,
            f"{shares[category] / pool:.2f}",
            *(f"{by_method[m][0]:.2f} / {by_method[m][1]:.2f}" for m in methods),
        )
    overall = {
        m: tuple(sum(r[m][i] for r in results.values()) / len(results) for i in range(2))
        for m in methods
    }
    table.add_row(
        "[bold]overall (mean)[/bold]",
        "",
        *(f"[bold]{overall[m][0]:.2f} / {overall[m][1]:.2f}[/bold]" for m in methods),
    )
    console.print(table)


if __name__ == "__main__":
    sys.exit(main())
