"""Bulk writes store what the ORM would store, on both engines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tastemaker.creator.models import Creator, RelationshipStatus, WorkspaceCreator
from tastemaker.kit.bulk import allocate_ids, insert_rows
from tastemaker.kit.db import NulInText
from tests.factories import World

WHEN = datetime(2026, 11, 21, 9, 30, 0, tzinfo=UTC)  # no microseconds: a format's edge


def _stored(db: Session, table: str, columns: str, ids: list[int]) -> list[tuple[object, ...]]:
    """The values as the database holds them, read past the column types."""
    rows = db.execute(
        text(f"SELECT {columns} FROM {table} WHERE id IN ({', '.join(map(str, ids))}) ORDER BY id")
    )
    return [tuple(row) for row in rows]


def test_bulk_rows_are_stored_as_the_orm_stores_them(db: Session, world: World) -> None:
    by_orm = Creator(display_name="Orm", is_virtual=True, created_at=WHEN, updated_at=WHEN)
    db.add(by_orm)
    db.flush()
    [bulk_id] = allocate_ids(db, Creator, 1)
    insert_rows(
        db,
        Creator,
        [
            {
                "id": bulk_id,
                "display_name": "Bulk",
                "is_virtual": True,
                "created_at": WHEN,
                "updated_at": WHEN,
            }
        ],
    )
    orm_row, bulk_row = _stored(
        db, "creator", "is_virtual, created_at, updated_at", [by_orm.id, bulk_id]
    )
    assert orm_row == bulk_row

    overlay = {
        "workspace_id": world.a.id,
        "notes": "",
        "tags": ["vip", "été"],
        "custom_fields": {"size": "M"},
        "relationship_status": RelationshipStatus.contacted,
        "created_at": WHEN,
        "updated_at": WHEN,
    }
    orm_overlay = WorkspaceCreator(creator_id=by_orm.id, **overlay)
    db.add(orm_overlay)
    db.flush()
    [overlay_id] = allocate_ids(db, WorkspaceCreator, 1)
    insert_rows(db, WorkspaceCreator, [{"id": overlay_id, "creator_id": bulk_id, **overlay}])
    columns = "tags, custom_fields, relationship_status, created_at"
    orm_row, bulk_row = _stored(db, "workspace_creator", columns, [orm_overlay.id, overlay_id])
    assert orm_row == bulk_row
    db.expire_all()
    loaded = db.scalars(select(WorkspaceCreator).where(WorkspaceCreator.id == overlay_id)).one()
    assert (loaded.tags, loaded.relationship_status, loaded.created_at) == (
        ["vip", "été"],
        RelationshipStatus.contacted,
        WHEN,
    )


def test_bulk_rows_with_a_nul_character_are_refused(db: Session) -> None:
    [creator_id] = allocate_ids(db, Creator, 1)
    row = {
        "id": creator_id,
        "display_name": "bad\x00name",
        "is_virtual": False,
        "created_at": WHEN,
        "updated_at": WHEN,
    }
    with pytest.raises(NulInText), db.begin_nested():
        insert_rows(db, Creator, [row])
    assert db.get(Creator, creator_id) is None
