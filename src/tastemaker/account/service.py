"""Sign-up, sign-in with rate limiting, browser sessions, password reset."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tastemaker.account.models import LoginAttempt, PasswordResetToken, User, UserSession
from tastemaker.kit.errors import Conflict, NotAuthenticated, RateLimited, ValidationFailed
from tastemaker.kit.mail import send_mail
from tastemaker.kit.security import (
    DUMMY_HASH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    keyed_hash,
    new_token,
    token_hash,
    verify_password,
)
from tastemaker.kit.settings import get_settings
from tastemaker.kit.time import is_valid_zone, utcnow

SESSION_LIFETIME = timedelta(days=14)
RESET_LIFETIME = timedelta(hours=1)
INVALID_CREDENTIALS = "Invalid e-mail or password."


def normalise_email(raw: str) -> str:
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationFailed(
            f"{raw!r} is not a valid e-mail address", details={"field": "email"}
        ) from exc


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"the password must have at least {MIN_PASSWORD_LENGTH} characters",
            details={"field": "password"},
        )


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email)).first()


def register(
    session: Session, *, email: str, name: str, password: str, timezone: str = "UTC"
) -> User:
    email = normalise_email(email)
    name = name.strip()
    if not name:
        raise ValidationFailed("a name is required", details={"field": "name"})
    check_password_strength(password)
    if not is_valid_zone(timezone):
        raise ValidationFailed(f"unknown time zone {timezone!r}", details={"field": "timezone"})
    if user_by_email(session, email) is not None:
        raise Conflict("an account with this e-mail already exists", details={"field": "email"})
    user = User(email=email, name=name, password_hash=hash_password(password), timezone=timezone)
    session.add(user)
    session.flush()
    return user


def _attempt_keys(email: str, client: str) -> list[str]:
    secret = get_settings().secret_key
    return [keyed_hash(secret, f"email:{email.lower()}"), keyed_hash(secret, f"client:{client}")]


def authenticate(session: Session, *, email: str, password: str, client: str) -> User:
    """Same message and comparable work whether or not the e-mail exists."""
    settings = get_settings()
    since = utcnow() - timedelta(seconds=settings.login_window_seconds)
    keys = _attempt_keys(email.strip(), client)
    recent = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.key_hash.in_(keys), LoginAttempt.attempted_at >= since)
        .group_by(LoginAttempt.key_hash)
        .order_by(func.count().desc())
        .limit(1)
    )
    if recent is not None and recent >= settings.login_attempts_per_window:
        raise RateLimited("too many sign-in attempts; wait a few minutes and try again")
    user = user_by_email(session, email.strip().lower())
    ok = verify_password(user.password_hash if user else DUMMY_HASH, password)
    if user is None or not ok or not user.is_active:
        session.add_all([LoginAttempt(key_hash=key) for key in keys])
        session.flush()
        raise NotAuthenticated(INVALID_CREDENTIALS, code="invalid_credentials")
    return user


@dataclass
class StartedSession:
    token: str
    record: UserSession


def start_session(session: Session, user: User, workspace_id: int | None) -> StartedSession:
    token = new_token()
    record = UserSession(
        token_hash=token_hash(token),
        user_id=user.id,
        csrf_token=new_token(16),
        current_workspace_id=workspace_id,
        expires_at=utcnow() + SESSION_LIFETIME,
    )
    session.add(record)
    session.flush()
    return StartedSession(token, record)


def resolve_session(session: Session, token: str) -> tuple[UserSession, User] | None:
    row = session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == token_hash(token))
    ).first()
    if row is None:
        return None
    record, user = row
    if record.expires_at <= utcnow() or not user.is_active:
        return None
    return record, user


def end_session(session: Session, token: str) -> None:
    session.execute(delete(UserSession).where(UserSession.token_hash == token_hash(token)))


def request_password_reset(
    session: Session, email: str, after_commit: list[Callable[[], object]]
) -> None:
    """Silently does nothing for unknown e-mails: the answer never reveals who has an account."""
    try:
        normalised = normalise_email(email)
    except ValidationFailed:
        return
    user = user_by_email(session, normalised)
    if user is None:
        return
    token = new_token()
    session.add(
        PasswordResetToken(
            token_hash=token_hash(token), user_id=user.id, expires_at=utcnow() + RESET_LIFETIME
        )
    )
    session.flush()
    link = f"{get_settings().base_url}/reset-password?token={token}"
    after_commit.append(
        lambda: send_mail(
            user.email,
            "Reset your Tastemaker password",
            f"Someone asked to reset the password of this account.\n\n"
            f"To choose a new password, open:\n{link}\n\n"
            f"The link works once, for an hour. If it was not you, ignore this e-mail.",
        )
    )


def reset_password(session: Session, token: str, new_password: str) -> User:
    check_password_strength(new_password)
    record = session.scalars(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == token_hash(token))
    ).first()
    if record is None or record.used_at is not None or record.expires_at <= utcnow():
        raise ValidationFailed("this reset link is invalid or has expired", code="invalid_token")
    user = session.get(User, record.user_id)
    if user is None:
        raise ValidationFailed("this reset link is invalid or has expired", code="invalid_token")
    record.used_at = utcnow()
    user.password_hash = hash_password(new_password)
    # A reset signs the account out everywhere.
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    session.flush()
    return user
