from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tastemaker.kit.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tastemaker.kit.security import token_hash
from tastemaker.workspace import service
from tastemaker.workspace.models import ApiKey, Role
from tests.factories import World, add_member, context, make_user, make_workspace


def test_create_workspace_makes_creator_owner_and_unique_slug(db: Session) -> None:
    owner = make_user(db)
    first = make_workspace(db, owner, name="Glow & Co")
    second = make_workspace(db, owner, name="Glow & Co")
    assert first.slug == "glow-co" and second.slug == "glow-co-2"
    ctx = service.context_for_user(db, owner, first)
    assert ctx.role is Role.owner


@pytest.mark.parametrize(
    "field,value", [("default_currency", "XXX"), ("timezone", "Mars/Base"), ("name", "   ")]
)
def test_create_workspace_rejects_bad_input(db: Session, field: str, value: str) -> None:
    owner = make_user(db)
    kwargs = {"name": "Ok", "default_currency": "EUR", "timezone": "UTC", field: value}
    with pytest.raises(ValidationFailed) as caught:
        service.create_workspace(db, owner, **kwargs)  # type: ignore[arg-type]
    assert caught.value.details == {"field": field}


def test_non_member_gets_not_found(db: Session, world: World) -> None:
    with pytest.raises(NotFound):
        service.context_for_user(db, world.users["b_owner"], world.a)


def test_api_key_is_shown_once_and_stored_hashed(db: Session, world: World) -> None:
    created = service.create_api_key(context(db, world.a), "ci", Role.analyst)
    assert created.secret.startswith("tm_")
    stored = db.get(ApiKey, created.api_key.id)
    assert stored is not None
    assert stored.key_hash == token_hash(created.secret)
    assert created.secret not in (stored.key_hash, stored.prefix)
    assert created.secret.startswith(stored.prefix)
    ctx = service.context_for_api_key(db, created.secret)
    assert ctx is not None and ctx.workspace_id == world.a.id and ctx.role is Role.analyst


def test_revoked_api_key_stops_working(db: Session, world: World) -> None:
    created = service.create_api_key(context(db, world.a), "temp", Role.manager)
    service.revoke_api_key(context(db, world.a), created.api_key.id)
    assert service.context_for_api_key(db, created.secret) is None


def test_only_owner_manages_keys_and_members(db: Session, world: World) -> None:
    manager = context(db, world.a, Role.manager)
    with pytest.raises(PermissionDenied):
        service.create_api_key(manager, "x", Role.analyst)
    with pytest.raises(PermissionDenied):
        service.invite(manager, "someone@example.com", Role.analyst)


def test_last_owner_cannot_be_demoted_or_removed(db: Session) -> None:
    owner = make_user(db)
    workspace = make_workspace(db, owner)
    ctx = service.context_for_user(db, owner, workspace)
    membership = next(m for m, _ in service.members(ctx))
    with pytest.raises(Conflict):
        service.change_role(ctx, membership.id, Role.manager)
    with pytest.raises(Conflict):
        service.remove_member(ctx, membership.id)
    second = make_user(db)
    add_member(db, workspace, second, Role.owner)
    service.change_role(ctx, membership.id, Role.manager)
    assert membership.role is Role.manager


def test_invitation_accepted_only_by_its_addressee(db: Session, world: World) -> None:
    ctx = service.context_for_user(db, world.users["a_owner"], world.a)
    invited = service.invite(ctx, "New.Person@Example.com", Role.manager)
    stranger = make_user(db)
    with pytest.raises(ValidationFailed):
        service.accept_invitation(db, stranger, invited.token)
    newcomer = make_user(db, email="new.person@example.com")
    joined = service.accept_invitation(db, newcomer, invited.token)
    assert joined.id == world.a.id
    assert service.context_for_user(db, newcomer, world.a).role is Role.manager
    with pytest.raises(NotFound):
        service.accept_invitation(db, newcomer, invited.token)


def test_every_change_leaves_an_audit_row(db: Session, world: World) -> None:
    ctx = service.context_for_user(db, world.users["a_owner"], world.a)
    service.create_api_key(ctx, "audited", Role.analyst)
    actions = [event.action for event in service.audit_trail(ctx)]
    assert "api_key.created" in actions
    other = service.context_for_user(db, world.users["b_owner"], world.b)
    assert all(e.workspace_id == world.b.id for e in service.audit_trail(other))
