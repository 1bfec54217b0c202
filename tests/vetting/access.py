"""Audience-check objects in workspace A and one valid request per audience-check write route,
which tests/access_samples.py takes in (`build_vetting_objects` into `build_objects`, the
two dicts into API_SAMPLES and PAGE_SAMPLES) for the walk in tests/test_access.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from tastemaker.creator.models import PlatformAccount
from tests.factories import World
from tests.vetting.builders import sample_csv, store_check

SAMPLE = sample_csv(fakes=2, reals=3)


def build_vetting_objects(
    db: Session, world: World, marker: str, account_id: int
) -> dict[str, int]:
    """A check of the walk's account in A, its file name carrying `marker` so a leak into
    another workspace's answer shows."""
    account = db.get(PlatformAccount, account_id)
    assert account is not None
    check = store_check(db, world.a, account, SAMPLE, f"{marker} followers.csv")
    return {"check_id": check.id}


def _upload() -> dict[str, Any]:
    return {"file": ("followers.csv", SAMPLE, "text/csv")}


Sample = Callable[[Any], dict[str, Any]]

VETTING_API_SAMPLES: dict[str, Sample] = {
    "POST /api/v1/creators/{creator_id}/accounts/{account_id}/audience-checks": lambda o: {
        "files": _upload
    },
}

VETTING_PAGE_SAMPLES: dict[str, Sample] = {
    "POST /w/{slug}/creators/{creator_id}/accounts/{account_id}/audience-checks": lambda o: {
        "files": _upload
    },
}
