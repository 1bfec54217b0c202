from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tastemaker.imports import service, tasks
from tastemaker.imports.models import ImportJob
from tests.factories import World, context, sign_in
from tests.imports.helpers import VENDOR_LIKE, csv_bytes


def _upload(
    client: TestClient,
    slug: str,
    csrf: str,
    content: bytes,
    filename: str = "social media influencers - instagram.csv",
    platform: str = "",
) -> Any:
    return client.post(
        f"/w/{slug}/imports",
        data={"csrf_token": csrf, "platform": platform},
        files={"file": (filename, content, "text/csv")},
        follow_redirects=False,
    )


def _job_id(response: Any) -> int:
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/w/[^/]+/imports/(\d+)", response.headers["location"])
    assert match
    return int(match.group(1))


def _selected_targets(page: str) -> list[str]:
    """The chosen option of each column's select, in column order."""
    targets = []
    for select in re.findall(r'<select name="target".*?</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', select)
        targets.append(chosen.group(1) if chosen else "")
    return targets


def test_upload_preview_map_run_report(client: TestClient, db: Session, world: World) -> None:
    csrf = sign_in(client, db, world.users["a_manager"])
    slug = world.a.slug
    index = client.get(f"/w/{slug}/imports")
    assert index.status_code == 200
    assert 'enctype="multipart/form-data"' in index.text
    form = index.text.split('enctype="multipart/form-data"', 1)[1]
    assert f'name="csrf_token" value="{csrf}"' in form.split("</form>", 1)[0]

    job_id = _job_id(_upload(client, slug, csrf, csv_bytes(VENDOR_LIKE)))
    page = client.get(f"/w/{slug}/imports/{job_id}")
    assert page.status_code == 200
    assert "Map the columns" in page.text
    assert "Guessed from the file name; please confirm." in page.text
    assert "Influencer insta name" in page.text
    assert "✓ instagram @cristiano · 475.8M" in page.text
    assert "no handle: column &#39;Influencer insta name&#39; is empty" in page.text
    mapping_form = page.text.split(f'action="/w/{slug}/imports/{job_id}/mapping"', 1)[1]
    assert f'name="csrf_token" value="{csrf}"' in mapping_form.split("</form>", 1)[0]
    targets = _selected_targets(page.text)
    assert targets == [
        "",
        "handle",
        "display_name",
        "categories",
        "categories",
        "followers",
        "",
        "country",
        "",
        "avg_engagement",
        "engagement_rate",
    ]

    # Confirm the platform, use the full-number followers column, and run.
    targets[5], targets[6] = "", "followers"
    ran = client.post(
        f"/w/{slug}/imports/{job_id}/mapping",
        data={"csrf_token": csrf, "platform": "instagram", "target": targets, "action": "run"},
        follow_redirects=False,
    )
    assert ran.status_code == 303
    report = client.get(f"/w/{slug}/imports/{job_id}")
    assert '<strong id="count-created">5</strong>' in report.text
    assert '<strong id="count-failed">1</strong>' in report.text
    assert "Rows that were not imported" in report.text
    assert f"/w/{slug}/imports/{job_id}/errors.csv" in report.text

    download = client.get(f"/w/{slug}/imports/{job_id}/errors.csv")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert (
        "social_media_influencers_-_instagram-errors.csv"
        in (download.headers["content-disposition"])
    )
    assert download.text.splitlines() == [
        "row,field,message",
        "5,handle,no handle: column 'Influencer insta name' is empty",
    ]

    history = client.get(f"/w/{slug}/imports")
    assert "social media influencers - instagram.csv" in history.text
    assert "completed" in history.text


def test_bad_uploads_are_shown_inline(client: TestClient, db: Session, world: World) -> None:
    csrf = sign_in(client, db, world.users["a_manager"])
    slug = world.a.slug
    for content, message in (
        (b"", "the file is empty"),
        (b"\x00\x01\x02PK" * 50, "neither a CSV nor an .xlsx"),
        (b"handle\r\n", "no data rows"),
    ):
        response = _upload(client, slug, csrf, content, "list.csv")
        assert response.status_code == 422
        assert message in response.text
        assert 'role="alert"' in response.text
    no_file = client.post(
        f"/w/{slug}/imports",
        data={"csrf_token": csrf},
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert no_file.status_code == 422
    assert "choose a CSV or .xlsx file" in no_file.text
    assert db.query(ImportJob).count() == 0


def test_mapping_errors_are_shown_inline(client: TestClient, db: Session, world: World) -> None:
    csrf = sign_in(client, db, world.users["a_manager"])
    slug = world.a.slug
    job_id = _job_id(_upload(client, slug, csrf, csv_bytes(VENDOR_LIKE), "list.csv"))
    page = client.get(f"/w/{slug}/imports/{job_id}")
    assert "choose…" in page.text  # no platform in the name "list.csv"
    targets = _selected_targets(page.text)
    targets[6] = "followers"
    response = client.post(
        f"/w/{slug}/imports/{job_id}/mapping",
        data={"csrf_token": csrf, "platform": "", "target": targets, "action": "run"},
    )
    assert response.status_code == 422
    assert "is chosen for &#39;Followers&#39; and &#39;Followers (2)&#39;; pick one" in (
        response.text
    )
    targets[6] = ""
    response = client.post(
        f"/w/{slug}/imports/{job_id}/mapping",
        data={"csrf_token": csrf, "platform": "", "target": targets, "action": "run"},
    )
    assert response.status_code == 422
    assert "cannot run yet: choose the platform" in response.text
    stale_form = client.post(
        f"/w/{slug}/imports/{job_id}/mapping",
        data={"csrf_token": csrf, "platform": "instagram", "target": targets[:-1]},
    )
    assert stale_form.status_code == 422
    assert "the form does not match the file&#39;s columns" in stale_form.text


def test_analyst_sees_but_cannot_upload_or_run(
    client: TestClient, db: Session, world: World
) -> None:
    job = service.create_job(context(db, world.a), "x instagram.csv", csv_bytes(VENDOR_LIKE))
    db.commit()
    csrf = sign_in(client, db, world.users["a_analyst"])
    slug = world.a.slug
    index = client.get(f"/w/{slug}/imports")
    assert index.status_code == 200 and 'type="file"' not in index.text
    page = client.get(f"/w/{slug}/imports/{job.id}")
    assert page.status_code == 200 and "Run import" not in page.text
    assert _upload(client, slug, csrf, csv_bytes(VENDOR_LIKE)).status_code == 403
    run = client.post(
        f"/w/{slug}/imports/{job.id}/mapping",
        data={"csrf_token": csrf, "action": "run", "target": [""] * 11},
    )
    assert run.status_code == 403


def test_another_workspace_is_404_and_csrf_is_checked(
    client: TestClient, db: Session, world: World
) -> None:
    job = service.create_job(context(db, world.a), "x instagram.csv", csv_bytes(VENDOR_LIKE))
    db.commit()
    csrf = sign_in(client, db, world.users["b_owner"])
    assert client.get(f"/w/{world.a.slug}/imports").status_code == 404
    assert client.get(f"/w/{world.b.slug}/imports/{job.id}").status_code == 404
    assert client.get(f"/w/{world.b.slug}/imports/{job.id}/errors.csv").status_code == 404
    forged = client.post(
        f"/w/{world.b.slug}/imports",
        data={"platform": ""},
        files={"file": ("a.csv", csv_bytes(VENDOR_LIKE), "text/csv")},
    )
    assert forged.status_code == 403
    assert "reload the page" in forged.text
    assert csrf


def test_progress_polls_while_running_then_refreshes(
    client: TestClient, db: Session, world: World
) -> None:
    ctx = context(db, world.a)
    job = service.create_job(ctx, "x instagram.csv", csv_bytes(VENDOR_LIKE))
    service.start_run(ctx, job.id)
    db.commit()
    sign_in(client, db, world.users["a_manager"])
    url = f"/w/{world.a.slug}/imports/{job.id}/progress"
    running = client.get(url, headers={"HX-Request": "true"})
    assert running.status_code == 200
    assert '<progress id="import-progress-bar" max="6" value="0">' in running.text
    assert 'hx-trigger="every 1s"' in running.text
    page = client.get(f"/w/{world.a.slug}/imports/{job.id}")
    assert "Importing… 0 of 6 rows" in page.text

    service.run_job(db, world.a.id, job.id)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"
    assert client.get(url, follow_redirects=False).status_code == 303


def test_large_files_run_in_a_background_thread(
    app: FastAPI, client: TestClient, db: Session, world: World
) -> None:
    app.state.import_sync_rows = 0
    csrf = sign_in(client, db, world.users["a_manager"])
    slug = world.a.slug
    rows = [["Tiktoker name", "Followers"]] + [[f"creator{i}", f"{i}K"] for i in range(30)]
    job_id = _job_id(_upload(client, slug, csrf, csv_bytes(rows), "tiktok.csv"))
    targets = _selected_targets(client.get(f"/w/{slug}/imports/{job_id}").text)
    assert targets == ["handle", "followers"]
    ran = client.post(
        f"/w/{slug}/imports/{job_id}/mapping",
        data={"csrf_token": csrf, "platform": "tiktok", "target": targets, "action": "run"},
        follow_redirects=False,
    )
    assert ran.status_code == 303
    tasks.wait_for(job_id, timeout=30)
    report = client.get(f"/w/{slug}/imports/{job_id}")
    assert '<strong id="count-created">30</strong>' in report.text


def test_delete_from_the_page(client: TestClient, db: Session, world: World) -> None:
    csrf = sign_in(client, db, world.users["a_manager"])
    slug = world.a.slug
    job_id = _job_id(_upload(client, slug, csrf, csv_bytes(VENDOR_LIKE)))
    response = client.post(
        f"/w/{slug}/imports/{job_id}/delete", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert response.status_code == 303
    assert client.get(f"/w/{slug}/imports/{job_id}").status_code == 404
