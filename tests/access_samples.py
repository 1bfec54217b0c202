"""Objects in workspace A for the access walk, and one valid request per route."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from tastemaker.account.models import User
from tastemaker.campaign.models import RosterEntry
from tastemaker.imports.service import create_job
from tastemaker.workspace import service as workspace_service
from tastemaker.workspace.models import Membership, Role
from tests.brandsafety.access import (
    BRANDSAFETY_API_SAMPLES,
    BRANDSAFETY_PAGE_SAMPLES,
    build_brandsafety_objects,
)
from tests.creator.access import (
    CREATOR_API_SAMPLES,
    CREATOR_PAGE_SAMPLES,
    build_creator_objects,
)
from tests.factories import World, context, make_campaign, make_creator, make_user
from tests.vetting.access import (
    VETTING_API_SAMPLES,
    VETTING_PAGE_SAMPLES,
    build_vetting_objects,
)

# Pages anyone may open, signed in or not ("/" only redirects to sign-in or a workspace; an
# invitation shows whom it is for so the invitee can sign up or sign in).
PUBLIC_PAGES = {
    "/",
    "/login",
    "/signup",
    "/logout",
    "/forgot-password",
    "/reset-password",
    "GET /invitations/{token}",
}


@dataclass
class Objects:
    ids: dict[str, int | str] = field(default_factory=dict)
    invitee: User | None = None


def build_objects(db: Session, world: World, marker: str) -> Objects:
    owner_ctx = context(db, world.a, Role.owner, world.users["a_owner"])
    objects = Objects()
    manager = (
        db.query(Membership)
        .filter_by(workspace_id=world.a.id, user_id=world.users["a_manager"].id)
        .one()
    )
    objects.ids["membership_id"] = manager.id
    invitee = make_user(db, email=f"{marker}-invitee@example.com")
    invitation = workspace_service.invite(owner_ctx, invitee.email, Role.analyst)
    objects.ids["invitation_id"] = invitation.invitation.id
    objects.ids["token"] = invitation.token
    objects.invitee = invitee
    key = workspace_service.create_api_key(owner_ctx, f"{marker} key", Role.analyst)
    objects.ids["api_key_id"] = key.api_key.id
    objects.ids.update(build_creator_objects(db, world, marker))
    objects.ids.update(build_vetting_objects(db, world, marker, int(objects.ids["account_id"])))
    objects.ids.update(build_brandsafety_objects(db, world, marker, int(objects.ids["account_id"])))
    objects.ids["job_id"] = create_job(
        owner_ctx, f"{marker} list.csv", IMPORT_CSV, platform="instagram"
    ).id
    campaign = make_campaign(db, world.a, name=f"{marker} campaign")
    # Creators are public profiles shared by the instance: no marker in their names.
    on_roster, spare = make_creator(db), make_creator(db)
    entry = RosterEntry(
        workspace_id=world.a.id,
        campaign_id=campaign.id,
        creator_id=on_roster.id,
        planned_fee_minor=100_000,
        currency=campaign.currency,
        notes=f"{marker} notes",
    )
    db.add(entry)
    db.flush()
    objects.ids["campaign_id"] = campaign.id
    objects.ids["entry_id"] = entry.id
    objects.ids["spare_creator_id"] = spare.id
    return objects


IMPORT_CSV = b"username,followers\r\nsomeone,1.2K\r\n"


def _csv_upload() -> dict[str, Any]:
    return {"file": ("list.csv", IMPORT_CSV, "text/csv")}


Sample = Callable[[Objects], dict[str, Any]]

API_SAMPLES: dict[str, Sample] = {
    "POST /api/v1/imports": lambda o: {"files": _csv_upload},
    "PUT /api/v1/imports/{job_id}/mapping": lambda o: {
        "json": {"platform": "tiktok", "columns": {"handle": "username"}}
    },
    "POST /api/v1/imports/{job_id}/run": lambda o: {},
    "DELETE /api/v1/imports/{job_id}": lambda o: {},
    "PATCH /api/v1/workspace/members/{membership_id}": lambda o: {"json": {"role": "analyst"}},
    "DELETE /api/v1/workspace/members/{membership_id}": lambda o: {},
    "POST /api/v1/workspace/invitations": lambda o: {
        "json": {"email": "someone.new@example.com", "role": "manager"}
    },
    "DELETE /api/v1/workspace/invitations/{invitation_id}": lambda o: {},
    "POST /api/v1/workspace/api-keys": lambda o: {"json": {"name": "reporting"}},
    "DELETE /api/v1/workspace/api-keys/{api_key_id}": lambda o: {},
    "POST /api/v1/campaigns": lambda o: {"json": {"name": "New", "objective": "awareness"}},
    "PATCH /api/v1/campaigns/{campaign_id}": lambda o: {"json": {"name": "Renamed"}},
    "POST /api/v1/campaigns/{campaign_id}/status": lambda o: {"json": {"status": "planned"}},
    "PUT /api/v1/campaigns/{campaign_id}/kpis": lambda o: {
        "json": {"kpis": [{"metric": "reach", "target": 1000}]}
    },
    "POST /api/v1/campaigns/{campaign_id}/roster": lambda o: {
        "json": {"creator_id": o.ids["spare_creator_id"], "planned_fee_minor": 50_000}
    },
    "PATCH /api/v1/campaigns/{campaign_id}/roster/{entry_id}": lambda o: {
        "json": {"status": "invited"}
    },
    "DELETE /api/v1/campaigns/{campaign_id}/roster/{entry_id}": lambda o: {},
}

PAGE_SAMPLES: dict[str, Sample] = {
    "POST /w/{slug}/imports": lambda o: {"data": {"platform": "instagram"}, "files": _csv_upload},
    "POST /w/{slug}/imports/{job_id}/mapping": lambda o: {
        "data": {"target": ["handle", "followers"], "platform": "instagram", "action": "run"}
    },
    "POST /w/{slug}/imports/{job_id}/delete": lambda o: {},
    "POST /workspaces": lambda o: {"data": {"name": "Another brand"}},
    "POST /invitations/{token}": lambda o: {},
    "POST /w/{slug}/settings/invitations": lambda o: {
        "data": {"email": "someone.new@example.com", "role": "analyst"}
    },
    "POST /w/{slug}/settings/invitations/{invitation_id}/revoke": lambda o: {},
    "POST /w/{slug}/settings/members/{membership_id}/role": lambda o: {"data": {"role": "analyst"}},
    "POST /w/{slug}/settings/members/{membership_id}/remove": lambda o: {},
    "POST /w/{slug}/settings/api-keys": lambda o: {"data": {"name": "k", "role": "analyst"}},
    "POST /w/{slug}/settings/api-keys/{api_key_id}/revoke": lambda o: {},
    "POST /w/{slug}/campaigns": lambda o: {
        "data": {"name": "New", "objective": "awareness", "budget": "100.00", "currency": "EUR"}
    },
    "POST /w/{slug}/campaigns/{campaign_id}": lambda o: {
        "data": {"name": "Renamed", "objective": "awareness", "budget": "1.00", "currency": "EUR"}
    },
    "POST /w/{slug}/campaigns/{campaign_id}/status": lambda o: {"data": {"status": "planned"}},
    "POST /w/{slug}/campaigns/{campaign_id}/roster": lambda o: {
        "data": {"creator_id": str(o.ids["spare_creator_id"]), "planned_fee": "500.00"}
    },
    "POST /w/{slug}/campaigns/{campaign_id}/roster/{entry_id}": lambda o: {
        "data": {"planned_fee": "750.00", "status": "confirmed"}
    },
    "POST /w/{slug}/campaigns/{campaign_id}/roster/{entry_id}/remove": lambda o: {},
}

API_SAMPLES.update(CREATOR_API_SAMPLES)
API_SAMPLES.update(VETTING_API_SAMPLES)
PAGE_SAMPLES.update(CREATOR_PAGE_SAMPLES)
PAGE_SAMPLES.update(VETTING_PAGE_SAMPLES)
API_SAMPLES.update(BRANDSAFETY_API_SAMPLES)
PAGE_SAMPLES.update(BRANDSAFETY_PAGE_SAMPLES)
