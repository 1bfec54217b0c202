"""The Audience Quality Score of a stored account: each component from the data the instance
holds, worked out by hand here; the API and the page show the same, per workspace."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tastemaker.creator.models import Platform, PlatformAccount
from tastemaker.kit.time import utcnow
from tastemaker.vetting import service
from tastemaker.vetting.audience_quality import audience_quality
from tastemaker.vetting.quality import DEFAULT_WEIGHTS
from tests.creator.builders import account_of, add_post, add_snapshot
from tests.factories import World, context, make_creator, sign_in
from tests.vetting.builders import sample_csv, store_check


@pytest.fixture
def subject(db: Session) -> PlatformAccount:
    """A micro Instagram account with four micro peers on Instagram (and one on TikTok, not
    a peer), a follower spike with flat likes in its history, and eight ordinary posts."""
    # (likes + comments) / followers: the subject 4.2%; peers 2.1%, 3.1%, 4.2%, 6.2%.
    for likes in (500, 750, 1_000, 1_500):
        make_creator(db, followers=25_000, avg_likes=likes, avg_comments=25)
    make_creator(db, platform=Platform.tiktok, followers=25_000, avg_likes=9_000, avg_views=1e5)
    make_creator(db, followers=900_000, avg_likes=100)  # another tier: not a peer
    account = account_of(
        db, make_creator(db, name="Ana Lima", followers=25_000, avg_likes=1_000, avg_comments=25)
    )
    now = utcnow()
    followers = [20_000 + 40 * day for day in range(10)]
    followers[7:] = [f + 3_000 for f in followers[7:]]  # +15% overnight, likes flat
    for day, count in enumerate(followers):
        snapshot = add_snapshot(
            db, account, captured_at=now - timedelta(days=10 - day), followers=count
        )
        snapshot.avg_likes = 900.0
    for n in range(8):
        post = add_post(db, account, f"p{n}", posted_at=now - timedelta(days=n), likes=1_000 + n)
        post.comments = 20 + n
    db.flush()
    return account


def test_every_component_comes_from_the_stored_data(
    db: Session, world: World, subject: PlatformAccount
) -> None:
    check = store_check(db, world.a, subject, sample_csv(fakes=2, reals=8), "followers.csv")
    quality = audience_quality(context(db, world.a), subject.creator_id, subject.id)
    by_key = {c.key: c for c in quality.score.components}
    assert list(by_key) == list(DEFAULT_WEIGHTS)

    credibility = service.figures(check).credibility.score
    assert by_key["real_audience"].score == credibility
    assert "10 followers from followers.csv" in by_key["real_audience"].basis

    # 2 of 4 peers below, 1 equal: mid-rank percentile (2 + 0.5) / 4.
    assert quality.peers is not None and quality.peers.peers == 4
    assert by_key["engagement_vs_peers"].score == pytest.approx(62.5)
    assert "(avg likes + avg comments) / followers" in by_key["engagement_vs_peers"].basis

    assert [e.kind for e in quality.growth.events] == ["spike"]
    assert by_key["growth"].score == 75.0
    assert "10 snapshots: 10 imported" in by_key["growth"].basis

    assert by_key["likes_to_comments"].score == 100.0
    assert by_key["comments"].score is None

    present = ("real_audience", "engagement_vs_peers", "growth", "likes_to_comments")
    scores = {"real_audience": credibility, "engagement_vs_peers": 62.5, "growth": 75.0,
              "likes_to_comments": 100.0}  # fmt: skip
    weight = sum(DEFAULT_WEIGHTS[k] for k in present)
    expected = sum(DEFAULT_WEIGHTS[k] * scores[k] for k in present) / weight
    assert quality.score.score == pytest.approx(round(expected, 1))
    assert quality.score.covered_weight == pytest.approx(weight / sum(DEFAULT_WEIGHTS.values()))
    assert quality.score.missing == ["comments"]


def test_another_workspaces_audience_check_is_not_used(
    db: Session, world: World, subject: PlatformAccount
) -> None:
    store_check(db, world.a, subject, sample_csv(fakes=2, reals=8), "acme.csv")
    theirs = audience_quality(context(db, world.b), subject.creator_id, subject.id)
    real = next(c for c in theirs.score.components if c.key == "real_audience")
    assert real.score is None and "no audience check" in real.basis


def test_an_account_without_data_has_no_score_rather_than_a_guess(
    db: Session, world: World
) -> None:
    account = account_of(db, make_creator(db, followers=0, avg_likes=0))
    account.followers = None
    account.engagement_rate = None
    quality = audience_quality(context(db, world.a), account.creator_id, account.id)
    assert quality.score.score is None
    assert quality.score.missing == list(DEFAULT_WEIGHTS)


def test_the_api_gives_the_components_and_the_events(
    client: TestClient, db: Session, world: World, subject: PlatformAccount
) -> None:
    db.commit()
    path = f"/api/v1/creators/{subject.creator_id}/accounts/{subject.id}/audience-quality"
    answer = client.get(path, headers=world.headers("a_analyst"))
    assert answer.status_code == 200
    body = answer.json()
    assert [c["key"] for c in body["components"]] == list(DEFAULT_WEIGHTS)
    assert [e["kind"] for e in body["growth_events"]] == ["spike"]
    assert body["tier"] == "micro" and body["account"]["handle"] == subject.handle
    wrong_creator = path.replace(f"/creators/{subject.creator_id}/", "/creators/999999/")
    assert client.get(wrong_creator, headers=world.headers("a_analyst")).status_code == 404


def test_the_page_shows_the_score_and_each_component(
    client: TestClient, db: Session, world: World, subject: PlatformAccount
) -> None:
    store_check(db, world.a, subject, sample_csv(fakes=2, reals=8), "followers.csv")
    db.commit()
    sign_in(client, db, world.users["a_analyst"])
    creator_page = client.get(f"/w/{world.a.slug}/creators/{subject.creator_id}")
    link = f"/w/{world.a.slug}/creators/{subject.creator_id}/accounts/{subject.id}/audience-quality"
    assert link in creator_page.text
    page = client.get(link)
    assert page.status_code == 200
    for key in DEFAULT_WEIGHTS:
        assert f'data-testid="quality-{key}"' in page.text
    assert 'data-testid="quality-growth-events"' in page.text
    assert "resting on 90% of the full weight" in page.text
