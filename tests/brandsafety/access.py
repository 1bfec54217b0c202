"""Brand-safety objects in workspace A and one valid request per brand-safety write route,
which tests/access_samples.py takes in (`build_brandsafety_objects` into `build_objects`,
the two dicts into API_SAMPLES and PAGE_SAMPLES) for the walk in tests/test_access.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from tastemaker.creator.models import PlatformAccount
from tests.brandsafety.builders import store_scan
from tests.factories import World


def build_brandsafety_objects(
    db: Session, world: World, marker: str, account_id: int
) -> dict[str, int]:
    """A scan of the walk's account (it has a post) in A, a keyword carrying `marker` so a
    leak into another workspace's answer shows."""
    account = db.get(PlatformAccount, account_id)
    assert account is not None
    scan = store_scan(db, world.a, account, keywords=[f"{marker} word"])
    return {"scan_id": scan.id}


Sample = Callable[[Any], dict[str, Any]]

# No marker in the requests: another workspace may scan the public account for itself.
BRANDSAFETY_API_SAMPLES: dict[str, Sample] = {
    "POST /api/v1/creators/{creator_id}/accounts/{account_id}/brand-safety-scans": lambda o: {
        "json": {"keywords": ["detox tea"], "competitors": [{"name": "Rival Brand"}]}
    },
}

BRANDSAFETY_PAGE_SAMPLES: dict[str, Sample] = {
    "POST /w/{slug}/creators/{creator_id}/accounts/{account_id}/brand-safety": lambda o: {
        "data": {"keywords": "detox tea", "competitors": "Rival Brand, @rival", "posts": "50"}
    },
}
