"""Discovery builders: creators whose bios and captions say what they are about."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from tastemaker.creator.models import Creator, PlatformAccount
from tastemaker.kit.time import utcnow
from tests.creator.builders import account_of, add_post
from tests.factories import make_creator

# Four creators, each plainly about one thing; none of the descriptions the tests use
# repeats their words exactly.
TOPICS = {
    "vegan": (
        "Plant-based cook in Berlin. Vegan recipes every week.",
        [
            "Tofu scramble with spinach, ready in ten minutes #vegan #recipe",
            "My lentil bolognese, no meat and nobody noticed",
        ],
    ),
    "gaming": (
        "Streaming shooters and speedruns every night",
        ["New personal best in the speedrun, controller almost broke", "Ranked grind tonight"],
    ),
    "fitness": (
        "Personal trainer. Strength, mobility, marathon prep.",
        ["Leg day: squats 5x5 then sprints", "Marathon training week 12, long run done"],
    ),
    "travel": (
        "Backpacking the world on a budget",
        ["Sunrise over the temples of Bagan", "Night train from Hanoi to Hue, cheapest sleeper"],
    ),
}


def make_topical(db: Session, topic: str, **fields: Any) -> Creator:
    bio, captions = TOPICS[topic]
    creator = make_creator(db, name=f"{topic.title()} Creator", **fields)
    account = account_of(db, creator)
    account.bio = bio
    for n, caption in enumerate(captions):
        add_post(
            db, account, f"{topic}-{n}", posted_at=utcnow() - timedelta(days=n + 1), caption=caption
        )
    db.flush()
    return creator


def make_topicals(db: Session, **fields: Any) -> dict[str, PlatformAccount]:
    return {topic: account_of(db, make_topical(db, topic, **fields)) for topic in TOPICS}
