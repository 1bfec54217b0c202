"""Creator CSV import, end to end: parse + map + upsert of a messy 100,000-row list.

    .venv/bin/python benchmarks/import_csv.py                      # a temporary SQLite file
    .venv/bin/python benchmarks/import_csv.py --database-url postgresql://...   # emptied first!

Prints rows/s of a first import (all rows new) and of a re-import (all rows updated)
against the 5,000 rows/s target, and, as a baseline measured in the same run, the rate of
parsing and mapping alone, so the share of the time spent in the database shows. Times
the service the web page and the CLI call (create_job + run_now), not a shortcut. Never
asserts: a benchmark informs, the test suite decides.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from tastemaker.account.service import register
from tastemaker.creator.models import Platform
from tastemaker.imports import service
from tastemaker.imports.mapping import RowMapper, suggest
from tastemaker.imports.parsing import open_table
from tastemaker.kit.db import make_engine
from tastemaker.models import Base
from tastemaker.workspace.context import Context
from tastemaker.workspace.models import Role, Workspace
from tastemaker.workspace.service import create_workspace

TARGET = 5_000  # rows/s, end to end

HEADER = [
    "S.no",
    "Influencer insta name",
    "instagram name",
    "category_1",
    "category_2",
    "Followers",
    "Followers",
    "Audience country(mostly)",
    "Authentic engagement\n",
    "Engagement avg\r\n",
    "Engagement rate",
]
COUNTRIES = [
    "United States",
    "India",
    "Brazil",
    "Indonesia",
    "Spain",
    "N/A",
    "",
    "Mexico",
    "United Kingdom",
    "Türkiye",
    "South Korea",
]
CATEGORIES = [
    "Music",
    "Lifestyle",
    "Sports with a ball",
    "Cinema & Actors/actresses",
    "Fashion",
    "Beauty",
    "",
    "Humor & Fun & Happiness",
]


def compact(n: float) -> str:
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if n >= threshold:
            return f"{n / threshold:.1f}".rstrip("0").rstrip(".") + suffix
    return str(int(n))


def write_list(path: Path, rows: int, seed: int = 7) -> None:
    """Shaped like the vendor exports: repeated headers with line breaks, '475.8M' beside
    '475800000', 'N/A', thousands separators, percentages, and about 1% bad rows."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(rows):
            followers = int(10 ** rng.uniform(3, 8.7))
            engagement = followers * rng.uniform(0.002, 0.08)
            full = f"{followers:,}" if i % 3 else str(followers)
            handle = f"creator_{i:06d}" if i % 97 else ""  # ~1% without a handle
            shown = compact(followers) if i % 101 else "lots"  # ~1% unparsable
            writer.writerow(
                [
                    i + 1,
                    handle,
                    f"Creator {i} ✨",
                    rng.choice(CATEGORIES),
                    rng.choice(CATEGORIES),
                    shown,
                    full,
                    rng.choice(COUNTRIES),
                    compact(engagement * 0.8),
                    compact(engagement) if i % 13 else "N/A",
                    f"{engagement / followers * 100:.2f}%",
                ]
            )


def fresh_database(url: str) -> sessionmaker[Session]:
    engine = make_engine(url)
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        Base.metadata.create_all(conn)
    return sessionmaker(bind=engine, expire_on_commit=False)


def timed_import(
    factory: sessionmaker[Session], workspace_id: int, path: Path
) -> tuple[float, str]:
    with factory() as session:
        workspace = session.get(Workspace, workspace_id)
        assert workspace is not None
        ctx = Context(session=session, workspace=workspace, role=Role.owner)
        start = time.perf_counter()
        job = service.create_job(ctx, path.name, path.read_bytes(), platform="instagram")
        job = service.run_now(ctx, job.id)
        elapsed = time.perf_counter() - start
        session.commit()
        return elapsed, f"{job.status.value}: {job.message}"


def parse_and_map_only(path: Path) -> float:
    start = time.perf_counter()
    table = open_table(path.read_bytes())
    _, mapping = suggest(table.columns, table.head(200), path.name)
    mapping.platform = Platform.instagram
    mapper = RowMapper(mapping, table.columns)
    table.count_rows()  # create_job counts the rows once too
    for number, cells in table.rows():
        mapper(number, cells)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        default="",
        help="default: a SQLite file in a temporary directory; a PostgreSQL "
        "database given here is emptied first",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        url = args.database_url or f"sqlite:///{tmp_dir}/bench.db"
        engine_name = url.split(":", 1)[0].split("+", 1)[0]
        path = tmp_dir / "creators - instagram.csv"
        write_list(path, args.rows)
        size_mb = path.stat().st_size / 1024 / 1024
        print(f"{args.rows:,} rows, {size_mb:.1f} MB CSV, {engine_name}")

        factory = fresh_database(url)
        with factory() as session:
            user = register(
                session, email="bench@example.com", name="Bench", password="benchmark password"
            )
            workspace_id = create_workspace(session, user, name="Bench").id
            session.commit()

        baseline = parse_and_map_only(path)
        first, first_result = timed_import(factory, workspace_id, path)
        second, second_result = timed_import(factory, workspace_id, path)
        factory.kw["bind"].dispose()

    rate = lambda seconds: args.rows / seconds  # noqa: E731
    print(f"parse + map only (baseline): {rate(baseline):>9,.0f} rows/s  ({baseline:.2f} s)")
    for label, seconds, result in (
        ("import (all new)", first, first_result),
        ("re-import (all updates)", second, second_result),
    ):
        print(
            f"{label + ':':<29}{rate(seconds):>9,.0f} rows/s  ({seconds:.2f} s)  "
            f"= {rate(seconds) / TARGET:.2f}x the {TARGET:,} rows/s target; "
            f"{baseline / seconds:.0%} of the time is parsing and mapping"
        )
        print(f"    {result}")


if __name__ == "__main__":
    main()
