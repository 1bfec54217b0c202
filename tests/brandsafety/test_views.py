"""Brand-safety pages: the way in from the creator's page, the scan form and its inline
refusals, one scan with its highlighted evidence and its CSV, and workspaces apart."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tastemaker.brandsafety import service
from tastemaker.brandsafety.models import BrandSafetyScan
from tastemaker.creator.models import Creator, PlatformAccount
from tastemaker.workspace.models import Role
from tests.brandsafety.builders import add_captions, store_scan
from tests.creator.builders import account_of
from tests.factories import (
    World,
    add_member,
    count_rows,
    make_creator,
    make_user,
    shown_text,
    sign_in,
)

FLAGGED = "Morning routine: detox tea, then a line of cocaine before the gym"
CLEAN = "Sunday walk by the sea"


@pytest.fixture
def creator(db: Session) -> Creator:
    made = make_creator(db, name="Ana Lima", handle="ana.lima")
    db.commit()
    return made


@pytest.fixture
def account(db: Session, creator: Creator) -> PlatformAccount:
    return account_of(db, creator)


@pytest.fixture
def scan(db: Session, world: World, account: PlatformAccount) -> BrandSafetyScan:
    """Workspace A's scan of one flagged caption for "detox tea", committed."""
    add_captions(db, account, FLAGGED)
    made = store_scan(db, world.a, account, keywords=["detox tea"])
    db.commit()
    return made


def _account_page(world: World, account: PlatformAccount) -> str:
    return f"/w/{world.a.slug}/creators/{account.creator_id}/accounts/{account.id}/brand-safety"


def _submit(
    client: TestClient, world: World, account: PlatformAccount, csrf: str, **fields: str
) -> Any:
    data = {"csrf_token": csrf, "keywords": "", "competitors": "", "posts": "50", **fields}
    return client.post(_account_page(world, account), data=data, follow_redirects=False)


def test_the_creators_page_leads_to_the_accounts_scans(
    client: TestClient, db: Session, world: World, creator: Creator, account: PlatformAccount
) -> None:
    sign_in(client, db, world.users["a_owner"])
    page = client.get(f"/w/{world.a.slug}/creators/{creator.id}")
    assert page.status_code == 200
    assert f'href="{_account_page(world, account)}"' in page.text


def test_a_scan_from_the_form_shows_its_highlighted_evidence(
    client: TestClient, db: Session, world: World, account: PlatformAccount
) -> None:
    add_captions(db, account, CLEAN, FLAGGED, "Thanks @rival for the hoodie")
    csrf = sign_in(client, db, world.users["a_manager"])
    response = _submit(
        client, world, account, csrf,
        keywords="detox tea\ndiet pills, Detox Tea", competitors="Rival Brand, @rival",
    )  # fmt: skip
    assert response.status_code == 303, response.text
    scan = db.scalars(select(BrandSafetyScan)).one()
    assert response.headers["location"] == f"/w/{world.a.slug}/brand-safety-scans/{scan.id}"
    assert scan.keywords == ["detox tea", "diet pills"]
    assert scan.competitors == [{"name": "Rival Brand", "aliases": ["@rival"]}]
    assert scan.created_by_id == world.users["a_manager"].id

    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert shown_text(page.text, "scan-flagged") == "2 of 3 posts"
    assert scan.score is not None
    assert shown_text(page.text, "scan-score").startswith(f"{scan.score:.1f} / 100")
    assert 'data-category="illegal_drugs_tobacco_vaping_alcohol"' in page.text
    assert 'data-category="terrorism"' not in page.text  # nothing found there: listed as clean
    assert "Terrorism" in shown_text(page.text, "clean-categories")
    excerpts = re.findall(r'data-testid="evidence-excerpt">(.*?)</td>', page.text, re.S)
    assert len(excerpts) == 3
    assert "a line of <mark>cocaine</mark> before" in excerpts[1]
    assert "Thanks <mark>@rival</mark> for" in excerpts[2]
    assert 'data-post="ana.lima-2"' in page.text
    assert 'href="https://www.instagram.com/p/ana.lima-2/"' in page.text
    assert f'href="/w/{world.a.slug}/brand-safety-scans/{scan.id}/evidence.csv"' in page.text


def test_the_evidence_downloads_as_csv_one_row_per_finding(
    client: TestClient, db: Session, world: World, scan: BrandSafetyScan
) -> None:
    sign_in(client, db, world.users["a_analyst"])
    response = client.get(f"/w/{world.a.slug}/brand-safety-scans/{scan.id}/evidence.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["post_id"], r["matched"]) for r in rows] == [
        ("ana.lima-1", "detox tea"),
        ("ana.lima-1", "cocaine"),
    ]


def test_a_caption_is_text_on_the_page_never_markup(
    client: TestClient, db: Session, world: World, account: PlatformAccount
) -> None:
    add_captions(db, account, "<script>alert(1)</script> cocaine <b>now</b>")
    scan = store_scan(db, world.a, account)
    db.commit()
    sign_in(client, db, world.users["a_owner"])
    page = client.get(f"/w/{world.a.slug}/brand-safety-scans/{scan.id}")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>cocaine</mark> &lt;b&gt;" in page.text


def test_the_account_page_lists_past_scans_and_an_analyst_gets_no_form(
    client: TestClient, db: Session, world: World, account: PlatformAccount, scan: BrandSafetyScan
) -> None:
    sign_in(client, db, world.users["a_analyst"])
    page = client.get(_account_page(world, account))
    assert page.status_code == 200
    assert 'data-testid="scan-form"' not in page.text
    assert f'href="/w/{world.a.slug}/brand-safety-scans/{scan.id}"' in page.text
    (row,) = re.findall(r'data-testid="history-row">(.*?)</tr>', page.text, re.S)
    assert "<td>detox tea</td>" in row


def test_times_are_shown_in_the_viewers_zone(
    client: TestClient, db: Session, world: World, account: PlatformAccount
) -> None:
    add_captions(db, account, FLAGGED)  # posted 2026-11-20 18:30 UTC
    scan = store_scan(db, world.a, account)
    tokyo = make_user(db, timezone="Asia/Tokyo")
    add_member(db, world.a, tokyo, Role.analyst)
    db.commit()
    sign_in(client, db, tokyo)
    page = client.get(f"/w/{world.a.slug}/brand-safety-scans/{scan.id}")
    assert "posted 2026-11-21 to 2026-11-21" in shown_text(page.text, "scan-source")
    assert re.search(r'data-testid="evidence-row"[^>]*>\s*<td>2026-11-21</td>', page.text)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"keywords": "detox tea\n!!!"}, "&#39;!!!&#39; has no letters or digits"),
        (
            {"keywords": "detox tea\n" + "x" * 101},
            f"&#39;{'x' * 60}&#39;: String should have at most",
        ),
        ({"keywords": "x" * 101}, "at most 100 characters"),
        ({"keywords": ", ".join(f"w{n}" for n in range(201))}, "at most 200 items"),
        ({"competitors": "#, @rival"}, "has no letters or digits"),
        ({"posts": "lots"}, "valid integer"),
        ({"posts": "0"}, "greater than or equal to 1"),
    ],
)
def test_a_refused_form_says_why_beside_the_field_and_stores_nothing(
    client: TestClient,
    db: Session,
    world: World,
    account: PlatformAccount,
    fields: dict[str, str],
    message: str,
) -> None:
    add_captions(db, account, FLAGGED)
    csrf = sign_in(client, db, world.users["a_owner"])
    response = _submit(client, world, account, csrf, **fields)
    assert response.status_code == 422
    assert 'class="field-error"' in response.text and message in response.text
    assert 'data-testid="scan-form"' in response.text
    (value,) = fields.values()
    assert value[:50] in response.text  # what was typed stays in the form
    assert count_rows(db, BrandSafetyScan) == 0


def test_an_account_without_posts_says_so_on_the_page(
    client: TestClient, db: Session, world: World, account: PlatformAccount
) -> None:
    csrf = sign_in(client, db, world.users["a_owner"])
    response = _submit(client, world, account, csrf, keywords="detox tea")
    assert response.status_code == 409
    assert "no posts stored for instagram:ana.lima" in response.text
    assert count_rows(db, BrandSafetyScan) == 0


def test_an_account_whose_posts_have_no_caption_says_so_on_the_page(
    client: TestClient, db: Session, world: World, account: PlatformAccount
) -> None:
    add_captions(db, account, "", "   ")
    csrf = sign_in(client, db, world.users["a_owner"])
    response = _submit(client, world, account, csrf, keywords="detox tea")
    assert response.status_code == 409
    assert "none of the 2 most recent posts of instagram:ana.lima has a caption" in response.text
    assert 'data-testid="scan-form"' in response.text and "detox tea" in response.text
    assert count_rows(db, BrandSafetyScan) == 0


def test_evidence_kept_short_of_the_findings_says_how_many_were_kept(
    client: TestClient,
    db: Session,
    world: World,
    account: PlatformAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(service, "MAX_EVIDENCE", 2)
    add_captions(db, account, "detox tea, detox tea, detox tea")
    scan = store_scan(db, world.a, account, keywords=["detox tea"])
    db.commit()
    sign_in(client, db, world.users["a_analyst"])
    page = client.get(f"/w/{world.a.slug}/brand-safety-scans/{scan.id}")
    assert page.status_code == 200
    assert len(re.findall(r'data-testid="evidence-row"', page.text)) == 2
    assert "3 findings in all; the first 2 are kept as evidence." in page.text


def test_another_workspace_cannot_open_a_scan(
    client: TestClient, db: Session, world: World, account: PlatformAccount
) -> None:
    add_captions(db, account, FLAGGED)
    scan = store_scan(db, world.a, account, keywords=["acme secret launch"])
    db.commit()
    sign_in(client, db, world.users["b_owner"])
    for path in (f"/w/{world.b.slug}/brand-safety-scans/{scan.id}",
                 f"/w/{world.b.slug}/brand-safety-scans/{scan.id}/evidence.csv"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 404 and "acme secret" not in response.text
    theirs = client.get(
        f"/w/{world.b.slug}/creators/{account.creator_id}/accounts/{account.id}/brand-safety"
    )
    assert theirs.status_code == 200 and "acme secret" not in theirs.text
    assert 'data-testid="scan-none"' in theirs.text
