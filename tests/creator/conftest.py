from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tastemaker.creator.models import Creator
from tests.creator.builders import make_crew


@pytest.fixture
def crew(db: Session) -> dict[str, Creator]:
    """tests/creator/builders.make_crew, committed so requests through the app see it."""
    made = make_crew(db)
    db.commit()
    return made
