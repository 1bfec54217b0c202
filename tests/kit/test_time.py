from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tastemaker.account.models import User
from tastemaker.kit.time import to_zone
from tests.factories import make_user


def test_times_come_back_aware_utc_on_every_engine(db: Session) -> None:
    user = make_user(db)
    db.commit()
    db.expire_all()
    stored = db.scalars(select(User.created_at).where(User.id == user.id)).one()
    assert stored.tzinfo is not None and stored.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_naive_datetimes_are_refused(db: Session) -> None:
    user = make_user(db)
    user.created_at = datetime(2026, 1, 1)
    with pytest.raises(Exception, match="naive datetime"):
        db.flush()
    db.rollback()


def test_shown_in_the_users_zone() -> None:
    moment = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert to_zone(moment, "Europe/Paris").hour == 14
    assert to_zone(moment, "Not/AZone").hour == 12
