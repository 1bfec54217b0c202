"""Objects in workspace A for the access walk, and one valid request per route."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from tastemaker.account.models import User
from tastemaker.workspace import service as workspace_service
from tastemaker.workspace.models import Membership, Role
from tests.factories import World, context, make_user

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
    return objects


Sample = Callable[[Objects], dict[str, Any]]

API_SAMPLES: dict[str, Sample] = {
    "PATCH /api/v1/workspace/members/{membership_id}": lambda o: {"json": {"role": "analyst"}},
    "DELETE /api/v1/workspace/members/{membership_id}": lambda o: {},
    "POST /api/v1/workspace/invitations": lambda o: {
        "json": {"email": "someone.new@example.com", "role": "manager"}
    },
    "DELETE /api/v1/workspace/invitations/{invitation_id}": lambda o: {},
    "POST /api/v1/workspace/api-keys": lambda o: {"json": {"name": "reporting"}},
    "DELETE /api/v1/workspace/api-keys/{api_key_id}": lambda o: {},
}

PAGE_SAMPLES: dict[str, Sample] = {
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
}
