"""Builders the campaign tests share, on top of tests/factories.py."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tastemaker.campaign.models import Campaign, RosterEntry, RosterStatus
from tastemaker.workspace.context import Context
from tastemaker.workspace.models import AuditEvent, Role, Workspace
from tests.factories import World, context

ROLES = {"a_owner": Role.owner, "a_manager": Role.manager, "a_analyst": Role.analyst}


def ctx_as(db: Session, world: World, who: str = "a_owner") -> Context:
    """A service context for one of the world's people in workspace A ('b_owner' for B)."""
    workspace = world.b if who == "b_owner" else world.a
    return context(db, workspace, ROLES.get(who, Role.owner), user=world.users[who])


def audit_rows(db: Session, workspace: Workspace, action: str) -> list[AuditEvent]:
    return list(
        db.scalars(
            select(AuditEvent)
            .where(AuditEvent.workspace_id == workspace.id, AuditEvent.action == action)
            .order_by(AuditEvent.id)
        )
    )


def campaign_count(db: Session, workspace: Workspace) -> int:
    return (
        db.scalar(select(func.count(Campaign.id)).where(Campaign.workspace_id == workspace.id)) or 0
    )


def add_entry(
    db: Session, campaign: Campaign, creator_id: int, fee_minor: int = 0, **fields: Any
) -> RosterEntry:
    values: dict[str, Any] = {"status": RosterStatus.proposed}
    values.update(fields)
    entry = RosterEntry(
        workspace_id=campaign.workspace_id,
        campaign_id=campaign.id,
        creator_id=creator_id,
        planned_fee_minor=fee_minor,
        currency=campaign.currency,
        **values,
    )
    db.add(entry)
    db.flush()
    return entry
