"""Follower samples built in the tests, and audience checks stored through the service."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tastemaker.creator.models import PlatformAccount
from tastemaker.vetting import service
from tastemaker.vetting.models import AudienceCheck
from tastemaker.workspace.models import Role, Workspace
from tests.factories import context
from tests.imports.helpers import csv_bytes

HEADER = ["username", "full_name", "followers", "following", "posts", "biography",
          "external_url", "has_profile_pic", "is_private"]  # fmt: skip


def bought_row(n: int) -> list[str]:
    """What a bought follower looks like in every data set: empty, following thousands."""
    return [f"jessica{84729361 + n}", "", "3", "7,500", "0", "", "", "no", "no"]


def real_row(n: int) -> list[str]:
    return [f"marie.dupont{n}", "Marie Dupont", "850", "420", "312",
            "Photographer in Lyon. Coffee, film cameras and long walks.",
            "https://mariedupont.example", "yes", "no"]  # fmt: skip


def sample_csv(fakes: int, reals: int) -> bytes:
    """A CSV of `fakes` clearly bought followers, then `reals` clearly real ones."""
    rows = [bought_row(n) for n in range(fakes)] + [real_row(n) for n in range(reals)]
    return csv_bytes([HEADER, *rows])


def store_check(
    db: Session,
    workspace: Workspace,
    account: PlatformAccount,
    content: bytes,
    filename: str = "followers.csv",
) -> AudienceCheck:
    """A check stored as an owner of `workspace` stores one, through the service."""
    ctx = context(db, workspace, Role.owner)
    return service.check_audience(ctx, account.creator_id, account.id, content, filename)
