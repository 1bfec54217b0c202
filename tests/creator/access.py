"""Creator-domain objects in workspace A and one valid request per creator write route, which
tests/access_samples.py takes in (`build_creator_objects` into `build_objects`, the two dicts
into API_SAMPLES and PAGE_SAMPLES) for the walk in tests/test_access.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from tastemaker.creator.models import Platform
from tastemaker.kit.time import utcnow
from tests.creator.builders import add_post, make_list, make_rate, overlay
from tests.factories import World, add_account, make_creator


def build_creator_objects(db: Session, world: World, marker: str) -> dict[str, int]:
    """A public creator with two accounts; A's private notes, rate and list on it, each
    carrying `marker` so a leak into another workspace's answer shows."""
    creator = make_creator(db, name="Walk Through", handle="walk.through")
    account = add_account(db, creator, platform=Platform.tiktok, handle="walk.through.tt")
    # Public, like the account: a post carries no marker, and every workspace may read it.
    add_post(db, account, "walk-1", posted_at=utcnow(), caption="A public post")
    overlay(db, world.a, creator, notes=f"{marker} notes", tags=[f"{marker}-tag"])
    rate = make_rate(db, world.a, creator, deliverable=f"{marker} reel")
    creator_list = make_list(db, world.a, f"{marker} list", [creator])
    return {
        "creator_id": creator.id,
        "account_id": account.id,
        "rate_id": rate.id,
        "list_id": creator_list.id,
    }


Sample = Callable[[Any], dict[str, Any]]

CREATOR_API_SAMPLES: dict[str, Sample] = {
    "POST /api/v1/creators": lambda o: {
        "json": {
            "display_name": "Someone New",
            "accounts": [{"platform": "instagram", "handle": "someone.new", "followers": 1200}],
        }
    },
    "PATCH /api/v1/creators/{creator_id}": lambda o: {"json": {"display_name": "Walked"}},
    "POST /api/v1/creators/{creator_id}/accounts": lambda o: {
        "json": {"platform": "youtube", "handle": "walk.through.yt"}
    },
    "PATCH /api/v1/creators/{creator_id}/accounts/{account_id}": lambda o: {
        "json": {"followers": 12_345}
    },
    "DELETE /api/v1/creators/{creator_id}/accounts/{account_id}": lambda o: {},
    "PUT /api/v1/creators/{creator_id}/workspace-data": lambda o: {"json": {"notes": "hello"}},
    "POST /api/v1/creators/{creator_id}/rates": lambda o: {
        "json": {
            "platform": "instagram",
            "deliverable": "1 post",
            "amount_minor": 50_000,
            "currency": "EUR",
        }
    },
    "DELETE /api/v1/creators/{creator_id}/rates/{rate_id}": lambda o: {},
    "POST /api/v1/lists": lambda o: {"json": {"name": "Fresh list"}},
    "PATCH /api/v1/lists/{list_id}": lambda o: {"json": {"description": "updated"}},
    "DELETE /api/v1/lists/{list_id}": lambda o: {},
    "POST /api/v1/lists/{list_id}/creators/{creator_id}": lambda o: {},
    "DELETE /api/v1/lists/{list_id}/creators/{creator_id}": lambda o: {},
}

CREATOR_PAGE_SAMPLES: dict[str, Sample] = {
    "POST /w/{slug}/creators": lambda o: {
        "data": {"display_name": "Someone New", "platform": "instagram", "handle": "someone.new"}
    },
    "POST /w/{slug}/creators/{creator_id}": lambda o: {"data": {"display_name": "Walked"}},
    "POST /w/{slug}/creators/{creator_id}/accounts": lambda o: {
        "data": {"platform": "youtube", "handle": "walk.through.yt"}
    },
    "POST /w/{slug}/creators/{creator_id}/accounts/{account_id}": lambda o: {
        "data": {"followers": "12345", "provenance": "reported"}
    },
    "POST /w/{slug}/creators/{creator_id}/accounts/{account_id}/delete": lambda o: {},
    "POST /w/{slug}/creators/{creator_id}/workspace-data": lambda o: {"data": {"notes": "hello"}},
    "POST /w/{slug}/creators/{creator_id}/rates": lambda o: {
        "data": {
            "platform": "instagram",
            "deliverable": "1 post",
            "amount": "500",
            "currency": "EUR",
        }
    },
    "POST /w/{slug}/creators/{creator_id}/rates/{rate_id}/delete": lambda o: {},
    "POST /w/{slug}/creators/{creator_id}/lists": lambda o: {
        "data": {"list_id": str(o.ids["list_id"])}
    },
    "POST /w/{slug}/lists": lambda o: {"data": {"name": "Fresh list"}},
    "POST /w/{slug}/lists/{list_id}": lambda o: {"data": {"name": "Renamed list"}},
    "POST /w/{slug}/lists/{list_id}/delete": lambda o: {},
    "POST /w/{slug}/lists/{list_id}/creators/{creator_id}/delete": lambda o: {},
}
