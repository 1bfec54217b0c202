from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tastemaker.creator import bulk
from tastemaker.creator.models import AccountCategory, Creator, Platform, PlatformAccount
from tastemaker.imports import service
from tastemaker.imports.models import ImportJob, ImportRowError, ImportStatus
from tastemaker.kit.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tastemaker.kit.time import utcnow
from tastemaker.workspace.models import AuditEvent, Role
from tests.factories import World, context
from tests.imports.helpers import VENDOR_LIKE, csv_bytes, xlsx_bytes


def _accounts(db: Session, platform: Platform = Platform.instagram) -> dict[str, PlatformAccount]:
    rows = db.scalars(select(PlatformAccount).where(PlatformAccount.platform == platform)).all()
    return {a.handle: a for a in rows}


def _import(
    db: Session,
    world: World,
    content: bytes,
    filename: str = "creators instagram.csv",
    **kwargs: Any,
) -> ImportJob:
    ctx = context(db, world.a, Role.manager, world.users["a_manager"])
    job = service.create_job(ctx, filename, content, **kwargs)
    return service.run_now(ctx, job.id)


def test_upload_suggests_a_mapping_and_previews_rows(db: Session, world: World) -> None:
    ctx = context(db, world.a, Role.manager, world.users["a_manager"])
    job = service.create_job(
        ctx, "C:\\Users\\me\\social media influencers - instagram.csv", csv_bytes(VENDOR_LIKE)
    )
    assert job.filename == "social media influencers - instagram.csv"
    assert job.status is ImportStatus.uploaded
    assert job.total_rows == 6
    assert job.mapping["platform"] == "instagram"
    assert job.mapping["platform_source"] == "file name"
    preview = service.preview(ctx, job.id)
    assert preview.problems == []
    assert [r.row for r in preview.rows] == [2, 3, 4, 5, 6, 7]
    assert preview.rows[0].record is not None
    assert preview.rows[0].record.handle == "cristiano"
    assert preview.rows[3].errors[0].field == "handle"
    audit = db.scalars(
        select(AuditEvent.action).where(
            AuditEvent.workspace_id == world.a.id, AuditEvent.subject_id == job.id
        )
    ).all()
    assert "import.uploaded" in audit


def test_run_imports_good_rows_and_keeps_row_errors(db: Session, world: World) -> None:
    job = _import(db, world, csv_bytes(VENDOR_LIKE))
    assert job.status is ImportStatus.completed
    assert (job.created_count, job.updated_count, job.failed_count) == (3, 0, 3)
    assert job.processed_rows == 6
    assert job.content is None  # the file is not kept after a completed import
    assert job.message == "3 created, 0 updated, 3 failed"
    accounts = _accounts(db)
    assert set(accounts) == {"cristiano", "kyliejenner", "leomessi"}
    messi = accounts["leomessi"]
    assert messi.followers == 357_300_000
    assert messi.metrics_source == "creators instagram.csv"
    assert messi.metrics_provenance.value == "imported"
    assert messi.engagement_rate == pytest.approx(4_000_000 / 357_300_000)
    categories = db.scalars(
        select(AccountCategory.category).where(AccountCategory.account_id == messi.id)
    ).all()
    assert sorted(categories) == ["family", "sports with a ball"]
    ctx = context(db, world.a)
    errors = service.row_errors(ctx, job.id)
    assert [(e.row, e.field) for e in errors] == [(5, "handle"), (6, "followers"), (7, "followers")]
    report = "".join(service.errors_csv(ctx, job.id)).splitlines()
    assert report[0] == "row,field,message"
    assert report[1].startswith("5,handle,no handle")
    actions = db.scalars(
        select(AuditEvent.action).where(
            AuditEvent.subject_type == "import_job", AuditEvent.subject_id == job.id
        )
    ).all()
    assert "import.run" in actions


def test_reimport_updates_instead_of_duplicating(db: Session, world: World) -> None:
    _import(db, world, csv_bytes(VENDOR_LIKE))
    changed = [row[:] for row in VENDOR_LIKE]
    changed[1][5] = "480M"
    again = _import(db, world, csv_bytes(changed), "creators instagram (1).csv")
    assert (again.created_count, again.updated_count) == (0, 3)
    assert _accounts(db)["cristiano"].followers == 480_000_000
    handles = db.scalars(
        select(PlatformAccount.handle).where(PlatformAccount.platform == Platform.instagram)
    ).all()
    assert sorted(handles) == ["cristiano", "kyliejenner", "leomessi"]
    assert db.scalar(select(func.count()).select_from(Creator)) == 3


def test_repeated_handles_in_one_file_are_counted_once(db: Session, world: World) -> None:
    rows = [["handle", "followers"]] + [[f"h{i % 1500}", str(i)] for i in range(2500)]
    ctx = context(db, world.a)
    job = service.create_job(ctx, "tiktok.csv", csv_bytes(rows))
    service.start_run(ctx, job.id)
    job = service.run_job(db, world.a.id, job.id, batch_rows=1000)
    assert (job.created_count, job.updated_count, job.duplicate_count) == (1500, 0, 1000)
    assert _accounts(db, Platform.tiktok)["h0"].followers == 1500  # the last row wins


def test_batches_progress_and_a_failed_batch_rolls_back_whole(
    db: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [["handle", "followers"]] + [[f"user{i}", str(i)] for i in range(25)]
    ctx = context(db, world.a)
    job = service.create_job(ctx, "youtube.csv", csv_bytes(rows))
    service.start_run(ctx, job.id)
    db.commit()

    calls: list[int] = []
    real_upsert = bulk.upsert_accounts

    def upsert_then_break(session: Session, records: Any, **kwargs: Any) -> Any:
        calls.append(len(records))
        result = real_upsert(session, records, **kwargs)
        if len(calls) == 2:  # after writing: the whole batch must still be rolled back
            raise RuntimeError("disk full")
        return result

    monkeypatch.setattr(service, "upsert_accounts", upsert_then_break)
    progress: list[int] = []
    job = service.run_job(
        db,
        world.a.id,
        job.id,
        batch_rows=10,
        on_progress=lambda j: progress.append(j.processed_rows),
    )
    assert job.status is ImportStatus.failed
    assert progress == [10]
    assert job.processed_rows == 10 and job.created_count == 10
    assert job.message.startswith(
        "stopped at rows 12–21: disk full; the 10 rows before them were imported and stay"
    )
    assert job.content is not None  # kept, so it can run again
    assert sorted(_accounts(db, Platform.youtube), key=lambda h: int(h[4:])) == [
        f"user{i}" for i in range(10)
    ]

    monkeypatch.setattr(service, "upsert_accounts", real_upsert)
    again = service.run_now(ctx, job.id)
    assert again.status is ImportStatus.completed
    assert (again.created_count, again.updated_count) == (15, 10)
    assert len(_accounts(db, Platform.youtube)) == 25


def test_xlsx_with_a_named_sheet(db: Session, world: World) -> None:
    content = xlsx_bytes(
        {
            "Notes": [["nothing here", "really"]],
            "Creators": [
                ["Tiktoker name", "Tiktok name", "Followers", "Views (Avg.)", "Likes (Avg.)"],
                ["khaby.lame", "Khabane lame", "149.2M", 17_300_000, "2.3M"],
            ],
        }
    )
    job = _import(db, world, content, "export.xlsx", sheet="Creators")
    assert job.mapping["sheet"] == "Creators"
    assert job.mapping["platform_source"] == "column headers"
    assert job.created_count == 1
    khaby = _accounts(db, Platform.tiktok)["khaby.lame"]
    assert khaby.avg_views == 17_300_000
    assert khaby.engagement_formula == "views"


def test_changing_the_sheet_starts_the_suggestions_over(db: Session, world: World) -> None:
    content = xlsx_bytes(
        {
            "A": [["username", "followers"], ["a", 1]],
            "B": [["x", "channel name", "subscribers"], ["1", "c", 2], ["2", "d", 3]],
        }
    )
    ctx = context(db, world.a)
    job = service.create_job(ctx, "export.xlsx", content, platform="youtube")
    job = service.set_mapping(ctx, job.id, {"sheet": "B"})
    assert job.total_rows == 2
    assert job.mapping["sheet"] == "B"
    assert job.mapping["columns"] == {"handle": [1], "followers": [2]}
    assert job.mapping["platform"] == "youtube"  # a chosen platform survives


def test_the_form_switches_the_sheet_then_needs_one_choice_per_column(
    db: Session, world: World
) -> None:
    content = xlsx_bytes(
        {
            "A": [["username", "followers"], ["a", 1]],
            "B": [["x", "channel name", "subscribers"], ["1", "c", 2], ["2", "d", 3]],
        }
    )
    ctx = context(db, world.a)
    job = service.create_job(ctx, "export.xlsx", content, platform="youtube")
    job = service.set_choices(ctx, job.id, ["handle", "followers"], platform="", sheet="B")
    assert (job.total_rows, job.mapping["sheet"]) == (2, "B")
    assert job.mapping["columns"] == {"handle": [1], "followers": [2]}
    assert job.mapping["platform"] == "youtube"
    with pytest.raises(ValidationFailed, match="the form does not match the file's columns"):
        service.set_choices(ctx, job.id, ["handle", "followers"], platform="youtube")
    job = service.set_choices(ctx, job.id, ["", "handle", ""], platform="youtube", sheet="B")
    assert job.mapping["columns"] == {"handle": [1]}


def test_a_run_needs_a_platform_and_a_handle(db: Session, world: World) -> None:
    ctx = context(db, world.a)
    job = service.create_job(ctx, "influencers.csv", csv_bytes([["who", "followers"], ["a", "1"]]))
    with pytest.raises(ValidationFailed) as caught:
        service.start_run(ctx, job.id)
    assert caught.value.details["problems"] == [
        "choose the column that holds the handle",
        "choose the platform (or a column that names it)",
    ]
    service.set_mapping(ctx, job.id, {"platform": "instagram", "columns": {"handle": "who"}})
    assert service.run_now(ctx, job.id).created_count == 1


def test_refused_uploads(db: Session, world: World) -> None:
    ctx = context(db, world.a)
    with pytest.raises(ValidationFailed, match="no data rows"):
        service.create_job(ctx, "empty.csv", b"handle,followers\r\n")
    with pytest.raises(ValidationFailed, match="unknown platform 'myspace'"):
        service.create_job(ctx, "x.csv", csv_bytes(VENDOR_LIKE), platform="myspace")
    with pytest.raises(ValidationFailed, match="neither a CSV"):
        service.create_job(ctx, "x.csv", b"\x00\x01\x02\x03" * 100)


def test_row_limit(db: Session, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "MAX_ROWS", 5)
    with pytest.raises(ValidationFailed, match="more than 5 rows; split it"):
        service.create_job(context(db, world.a), "x instagram.csv", csv_bytes(VENDOR_LIKE))


def test_analysts_cannot_import(db: Session, world: World) -> None:
    analyst = context(db, world.a, Role.analyst, world.users["a_analyst"])
    with pytest.raises(PermissionDenied):
        service.create_job(analyst, "x.csv", csv_bytes(VENDOR_LIKE))
    job = service.create_job(context(db, world.a), "x instagram.csv", csv_bytes(VENDOR_LIKE))
    with pytest.raises(PermissionDenied):
        service.start_run(analyst, job.id)
    assert service.preview(analyst, job.id).job.id == job.id  # reading is fine


def test_another_workspaces_job_is_not_found(db: Session, world: World) -> None:
    job = service.create_job(context(db, world.a), "x instagram.csv", csv_bytes(VENDOR_LIKE))
    other = context(db, world.b)
    for call in (
        lambda: service.get_job(other, job.id),
        lambda: service.start_run(other, job.id),
        lambda: service.row_errors(other, job.id),
        lambda: list(service.errors_csv(other, job.id)),
        lambda: service.delete_job(other, job.id),
    ):
        with pytest.raises(NotFound):
            call()
    assert service.list_jobs(other) == []


def test_a_completed_import_cannot_run_again_but_a_stale_one_can(db: Session, world: World) -> None:
    ctx = context(db, world.a)
    job = _import(db, world, csv_bytes(VENDOR_LIKE))
    with pytest.raises(Conflict, match="already run"):
        service.start_run(ctx, job.id)

    running = service.create_job(ctx, "x instagram.csv", csv_bytes(VENDOR_LIKE))
    service.start_run(ctx, running.id)
    with pytest.raises(Conflict, match="is running"):
        service.start_run(ctx, running.id)
    running.heartbeat_at = utcnow() - timedelta(minutes=10)
    assert service.is_stale(running)
    assert service.run_now(ctx, running.id).status is ImportStatus.completed


def test_delete_forgets_the_job_but_not_the_creators(db: Session, world: World) -> None:
    job = _import(db, world, csv_bytes(VENDOR_LIKE))
    ctx = context(db, world.a)
    service.delete_job(ctx, job.id)
    assert db.get(ImportJob, job.id) is None
    assert (
        db.scalar(
            select(func.count()).select_from(ImportRowError).where(ImportRowError.job_id == job.id)
        )
        == 0
    )
    assert len(_accounts(db)) == 3


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("C:\\Users\\ana\\creators.csv", "creators.csv"),
        ("../../etc/creators.csv", "creators.csv"),
        ("crea\x00tors\x1b.csv", "creators.csv"),
        ("\x00\x01", "upload"),
        (None, "upload"),
    ],
)
def test_an_upload_keeps_only_a_printable_base_name(sent: str | None, kept: str) -> None:
    assert service.clean_filename(sent) == kept
    assert service.clean_filename("x" * 300, 20) == "x" * 20
