from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tastemaker.creator import service as creator_service
from tastemaker.creator.schemas import CreatorFilters
from tastemaker.discovery import service
from tastemaker.discovery.documents import RECENT_CAPTIONS
from tastemaker.discovery.embedder import DIMENSIONS, from_bytes
from tastemaker.discovery.models import SearchDocument
from tastemaker.kit.errors import ValidationFailed
from tastemaker.kit.pagination import PageParams
from tastemaker.kit.time import utcnow
from tests.creator.builders import account_of, add_post
from tests.discovery.builders import make_topicals
from tests.factories import World, context, make_creator


def _documents(db: Session) -> dict[int, SearchDocument]:
    return {d.account_id: d for d in db.scalars(select(SearchDocument))}


def test_refresh_embeds_each_account_with_text_once(db: Session) -> None:
    accounts = make_topicals(db)
    silent = account_of(db, make_creator(db))  # no bio, no posts: nothing to index

    first = service.refresh(db)
    again = service.refresh(db)

    assert (first.embedded, first.unchanged, first.removed) == (4, 0, 0)
    assert (again.embedded, again.unchanged, again.removed) == (0, 4, 0)
    documents = _documents(db)
    assert set(documents) == {a.id for a in accounts.values()}
    assert silent.id not in documents
    vegan = documents[accounts["vegan"].id]
    assert vegan.text.startswith("Plant-based cook in Berlin.")
    assert "Tofu scramble" in vegan.text
    vector = from_bytes([vegan.vector])[0]
    assert vector.shape == (DIMENSIONS,)
    assert abs(float((vector**2).sum()) - 1.0) < 0.01


def test_refresh_follows_changed_and_removed_text(db: Session) -> None:
    accounts = make_topicals(db)
    service.refresh(db)
    before = _documents(db)[accounts["travel"].id].digest

    accounts["travel"].bio = "Slow travel and train journeys across Europe"
    accounts["gaming"].bio = None
    for post in creator_service.posts_of(db, accounts["gaming"].id):
        db.delete(post)
    db.flush()
    result = service.refresh(db, [a.id for a in accounts.values()])

    assert (result.embedded, result.unchanged, result.removed) == (1, 2, 1)
    documents = _documents(db)
    assert documents[accounts["travel"].id].digest != before
    assert "train journeys" in documents[accounts["travel"].id].text
    assert accounts["gaming"].id not in documents


def test_only_the_most_recent_captions_count(db: Session) -> None:
    account = account_of(db, make_creator(db))
    now = utcnow()
    add_post(db, account, "old", posted_at=now - timedelta(days=400), caption="ancient theme")
    for n in range(RECENT_CAPTIONS):
        add_post(db, account, f"p{n}", posted_at=now - timedelta(days=n), caption=f"fresh {n}")
    service.refresh(db, [account.id])

    text = _documents(db)[account.id].text
    assert "fresh 0" in text and f"fresh {RECENT_CAPTIONS - 1}" in text
    assert "ancient theme" not in text
    # Newest first.
    assert text.index("fresh 0") < text.index("fresh 1")


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("plant-based cooking without meat", "vegan"),
        ("video game streamers", "gaming"),
        ("runners and gym workouts", "fitness"),
        ("budget trips through Asia", "travel"),
    ],
)
def test_a_description_ranks_the_creator_it_describes_first(
    db: Session, world: World, description: str, expected: str
) -> None:
    accounts = make_topicals(db)
    service.refresh(db)
    ctx = context(db, world.a)

    page = creator_service.list_creators(ctx, CreatorFilters(about=description))

    assert page.items[0].account_id == accounts[expected].id
    top = page.items[0].relevance
    assert top is not None
    scores = [row.relevance.score for row in page.items if row.relevance]
    assert scores == sorted(scores, reverse=True)
    assert top.score == pytest.approx(
        top.semantic_weight * top.semantic + top.lexical_weight * top.lexical, abs=1e-6
    )


def test_filters_apply_to_the_ranking(db: Session, world: World) -> None:
    make_topicals(db, country="FR")
    german = make_topicals(db, country="DE")
    service.refresh(db)
    ctx = context(db, world.a)

    page = creator_service.list_creators(
        ctx, CreatorFilters(about="vegan recipes", country="DE"), page=PageParams(1, 2)
    )

    assert page.items[0].account_id == german["vegan"].id
    assert {row.country for row in page.items} == {"DE"}
    assert page.has_next


def test_a_change_is_seen_by_the_next_search(db: Session, world: World) -> None:
    accounts = make_topicals(db)
    service.refresh(db)
    ctx = context(db, world.a)
    assert (
        creator_service.list_creators(ctx, CreatorFilters(about="knitting and wool"))
        .items[0]
        .account_id
        != accounts["gaming"].id
    )

    accounts["gaming"].bio = "Knitting patterns, wool and yarn reviews"
    db.flush()
    service.refresh(db, [accounts["gaming"].id])

    top = creator_service.list_creators(ctx, CreatorFilters(about="knitting and wool")).items[0]
    assert top.account_id == accounts["gaming"].id


def test_relevance_sort_without_a_description_is_refused(db: Session, world: World) -> None:
    ctx = context(db, world.a)
    with pytest.raises(ValidationFailed, match="description") as caught:
        creator_service.list_creators(ctx, CreatorFilters(), sort="relevance")
    assert caught.value.details == {"field": "about"}


def test_nothing_indexed_gives_an_empty_page(db: Session, world: World) -> None:
    make_creator(db)
    ctx = context(db, world.a)
    page = creator_service.list_creators(ctx, CreatorFilters(about="anything at all"))
    assert page.items == [] and not page.has_next
