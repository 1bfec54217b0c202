"""Every real vendor export imports unedited (skipped where ../shared/data is absent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tastemaker.creator.models import PlatformAccount
from tastemaker.imports import service
from tastemaker.imports.mapping import ColumnMapping
from tastemaker.imports.models import ImportStatus
from tastemaker.workspace.models import Role
from tests.factories import World, context

pytestmark = pytest.mark.shared_data

# The one file whose headers lie about more than the country column: under "Likes avg" it
# has the authentic engagement, under "Comments avg." the average engagement.
MAPPINGS: dict[str, dict[str, Any]] = {
    "social media influencers-instagram june 2022 - june 2022.csv": {
        "columns": {"avg_engagement": "Comments avg.", "avg_likes": None},
    },
}
# Rows that cannot be imported as they are, and why (checked below, not just counted).
EXPECTED_FAILURES = {
    "global_youtube_statistics_2023.csv": (57, "encoding lost"),
    "social media influencers-instagram june 2022 - june 2022.csv": (3, "unknown country"),
    "top_insta_influencers_data.csv": (1, "handles have no spaces"),
}


def _files(shared_data: Path) -> list[Path]:
    return sorted((shared_data / "creators" / "vendor_exports").iterdir())


def test_every_vendor_export_imports(db: Session, world: World, shared_data: Path) -> None:
    files = _files(shared_data)
    assert len(files) == 17
    ctx = context(db, world.a, Role.manager, world.users["a_manager"])
    for path in files:
        job = service.create_job(ctx, path.name, path.read_bytes())
        mapping = ColumnMapping.from_json(job.mapping)
        assert mapping.platform is not None, f"{path.name}: no platform inferred"
        assert mapping.columns.get("handle"), path.name
        assert mapping.columns.get("followers"), path.name
        if path.name in MAPPINGS:
            service.set_mapping(ctx, job.id, MAPPINGS[path.name])
        job = service.run_now(ctx, job.id)
        assert job.status is ImportStatus.completed, f"{path.name}: {job.message}"
        assert job.processed_rows == job.total_rows
        assert (
            job.created_count + job.updated_count + job.duplicate_count + job.failed_count
        ) == job.total_rows
        failed, reason = EXPECTED_FAILURES.get(path.name, (0, ""))
        assert job.failed_count == failed, f"{path.name}: {job.message}"
        errors = service.row_errors(ctx, job.id, 0, 1000)
        for error in errors:
            assert 2 <= error.row <= job.total_rows + 60, (path.name, error)
            assert error.field and reason in error.message, (path.name, error)
    # Months of the same lists overlap: the second sighting of an account is an update.
    accounts = db.scalar(select(func.count()).select_from(PlatformAccount))
    assert accounts is not None and 4_000 < accounts < 17_000


def test_reimporting_a_vendor_export_updates_it(
    db: Session, world: World, shared_data: Path
) -> None:
    path = shared_data / "creators" / "vendor_exports" / "social media influencers - tiktok.csv"
    ctx = context(db, world.a)
    first = service.run_now(ctx, service.create_job(ctx, path.name, path.read_bytes()).id)
    second = service.run_now(ctx, service.create_job(ctx, path.name, path.read_bytes()).id)
    assert first.created_count > 900
    assert second.created_count == 0
    assert second.updated_count == first.created_count


def test_kim2020_influencers_with_a_chosen_platform(
    db: Session, world: World, shared_data: Path
) -> None:
    path = shared_data / "creators" / "instagram_kim2020_dev" / "influencers.csv"
    ctx = context(db, world.a)
    job = service.create_job(ctx, path.name, path.read_bytes(), platform="instagram")
    assert ColumnMapping.from_json(job.mapping).columns == {
        "handle": [0],
        "categories": [1],
        "followers": [2],
        "following": [3],
        "posts": [4],
    }
    job = service.run_now(ctx, job.id)
    assert (job.created_count, job.failed_count) == (job.total_rows, 0)
