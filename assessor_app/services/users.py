"""User accounts: first-run setup, administration, passwords and signing in.

Each use case checks the acting user's role, runs in one transaction and writes
an audit entry. No audit entry or log line ever holds a password or its hash.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assessor_app.services import audit, passwords
from assessor_app.services.errors import NotFound, ServiceError, StaleEdit
from assessor_app.services.roles import SYSTEM, Actor, Permission, Role
from assessor_app.store import models
from assessor_app.store.database import Database

log = logging.getLogger(__name__)

USERNAME_MIN = 3
USERNAME_MAX = 40
DISPLAY_NAME_MAX = 200
_USERNAME_CHARS = re.compile(r"[a-z0-9._-]+", re.ASCII)

PEOPLE_ROLES: tuple[Role, ...] = tuple(role for role in Role if role is not Role.SYSTEM)

# Throttling: after this many failures in a row each attempt waits for a delay
# that doubles with every further failure, up to the cap.
FREE_ATTEMPTS = 3
FIRST_DELAY_SECONDS = 5
MAX_DELAY_SECONDS = 15 * 60

NOT_RIGHT = "Username or password is not right."


class SignInRefused(ServiceError):
    """The same refusal for an unknown user, a wrong password and a deactivated account."""


class SignInThrottled(SignInRefused):
    """Too many failures in a row: the next attempt must wait."""

    def __init__(self, wait_seconds: int) -> None:
        unit = "second" if wait_seconds == 1 else "seconds"
        super().__init__(
            f"Too many sign-in attempts were not right. Wait {wait_seconds} {unit} and try again."
        )
        self.wait_seconds = wait_seconds


@dataclass(frozen=True, slots=True)
class UserSummary:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    last_signed_in_at: datetime | None
    version: int  # pass back as expected_version so a stale edit is refused


def needs_first_admin(db: Database) -> bool:
    """True on first run, before any account exists."""
    with db.reading() as session:
        return _account_count(session) == 0


def create_first_admin(db: Database, username: str, display_name: str, password: str) -> Actor:
    """Create the first administrator; refused once any account exists."""
    name = _valid_username(username)
    shown = _valid_display_name(display_name)
    passwords.check_password(password, username=name)
    stored = passwords.hash_password(password)
    with db.transaction() as session:
        if _account_count(session) > 0:
            raise ServiceError(
                "The first administrator has already been set up; sign in, or ask an "
                "administrator for an account."
            )
        user = _add_user(session, name, shown, Role.ADMIN, stored)
        audit.record(
            session,
            SYSTEM,
            "user.create_first_admin",
            "user",
            user.id,
            username=name,
            display_name=shown,
            role=Role.ADMIN.value,
        )
    log.info("First administrator %s created", name)
    return Actor(user_id=user.id, username=name, role=Role.ADMIN)


def create_user(
    db: Database, actor: Actor, username: str, display_name: str, role: Role, password: str
) -> int:
    """Add an account; returns its id."""
    actor.require(Permission.MANAGE_USERS)
    name = _valid_username(username)
    shown = _valid_display_name(display_name)
    chosen = _person_role(role)
    passwords.check_password(password, username=name)
    stored = passwords.hash_password(password)
    with db.transaction() as session:
        user = _add_user(session, name, shown, chosen, stored)
        audit.record(
            session,
            actor,
            "user.create",
            "user",
            user.id,
            username=name,
            display_name=shown,
            role=chosen.value,
        )
    log.info("%s created account %s (%s)", actor.username, name, chosen.value)
    return user.id


def set_role(
    db: Database,
    actor: Actor,
    user_id: int,
    role: Role,
    *,
    expected_version: int | None = None,
) -> int:
    """Change an account's role; returns the account's new version."""
    actor.require(Permission.MANAGE_USERS)
    chosen = _person_role(role)
    with db.transaction() as session:
        user = _user_row(session, user_id, expected_version)
        before = user.role
        if before == chosen.value:
            return user.version
        if before == Role.ADMIN.value and user.active:
            _keep_an_admin(session, user)
        user.role = chosen.value
        session.flush()
        audit.record(
            session,
            actor,
            "user.set_role",
            "user",
            user.id,
            username=user.username,
            before=before,
            after=chosen.value,
        )
        return user.version


def deactivate_user(
    db: Database, actor: Actor, user_id: int, *, expected_version: int | None = None
) -> int:
    """Stop an account signing in; its history stays. Returns the new version."""
    actor.require(Permission.MANAGE_USERS)
    if actor.user_id is not None and actor.user_id == user_id:
        raise ServiceError(
            "You cannot deactivate your own account; ask another administrator to do it."
        )
    with db.transaction() as session:
        user = _user_row(session, user_id, expected_version)
        if not user.active:
            return user.version
        if user.role == Role.ADMIN.value:
            _keep_an_admin(session, user)
        user.active = False
        session.flush()
        audit.record(session, actor, "user.deactivate", "user", user.id, username=user.username)
        return user.version


def reactivate_user(
    db: Database, actor: Actor, user_id: int, *, expected_version: int | None = None
) -> int:
    """Let a deactivated account sign in again. Returns the new version."""
    actor.require(Permission.MANAGE_USERS)
    with db.transaction() as session:
        user = _user_row(session, user_id, expected_version)
        if user.active:
            return user.version
        user.active = True
        session.flush()
        audit.record(session, actor, "user.reactivate", "user", user.id, username=user.username)
        return user.version


def reset_password(db: Database, actor: Actor, user_id: int, new_password: str) -> None:
    """An administrator sets a new password for someone who forgot theirs.

    This also lifts any sign-in delay from earlier failed attempts.
    """
    actor.require(Permission.MANAGE_USERS)
    with db.reading() as session:
        username = _user_row(session, user_id).username
    passwords.check_password(new_password, username=username)
    # Hashed before the write transaction so the database is not held for it.
    stored = passwords.hash_password(new_password)
    with db.transaction() as session:
        user = _user_row(session, user_id)
        user.password_hash = stored
        user.failed_sign_ins = 0
        user.last_failed_at = None
        session.flush()
        audit.record(session, actor, "user.reset_password", "user", user.id, username=user.username)
    log.info("%s reset the password of %s", actor.username, username)


def change_own_password(
    db: Database,
    actor: Actor,
    old_password: str,
    new_password: str,
    *,
    now: datetime | None = None,
) -> None:
    """A signed-in user replaces their own password, giving the current one.

    A wrong current password counts as a failed sign-in, so an unattended
    session cannot be used to guess the password without the same delays.
    """
    if actor.user_id is None:
        raise ServiceError("Only a signed-in person can change their own password.")
    moment = _utc(now)
    passwords.check_password(new_password, username=actor.username)
    if new_password == old_password:
        raise passwords.PasswordRejected("The new password must differ from the current one.")
    stored = passwords.hash_password(new_password)
    refusal: ServiceError | None = None
    with db.transaction() as session:
        user = _user_row(session, actor.user_id)
        if not user.active:
            raise ServiceError("This account has been deactivated; ask an administrator.")
        wait = _wait_seconds(user, moment)
        if wait > 0:
            raise SignInThrottled(wait)
        if passwords.verify_password(old_password, user.password_hash):
            user.password_hash = stored
            user.failed_sign_ins = 0
            user.last_failed_at = None
            audit.record(
                session, actor, "user.change_password", "user", user.id, username=user.username
            )
        else:
            _count_failure(user, moment)
            audit.record(
                session,
                SYSTEM,
                "user.change_password_refused",
                "user",
                user.id,
                username=user.username,
                reason="current password not right",
            )
            # Raised after the commit: the failure must be counted.
            refusal = ServiceError("Your current password is not right; nothing was changed.")
    if refusal is not None:
        log.warning("Password change refused for %s: current password not right", actor.username)
        raise refusal
    log.info("%s changed their password", actor.username)


def sign_in(db: Database, username: str, password: str, *, now: datetime | None = None) -> Actor:
    """The account's Actor when the username and password are right.

    An unknown user, a wrong password and a deactivated account all get the same
    refusal, so nobody can find out which accounts exist by trying. After three
    failures in a row each further attempt must wait (5 s, 10 s, 20 s ... up to
    15 minutes after the last failure); the caller is told how long, never made
    to sleep.
    """
    moment = _utc(now)
    with db.transaction() as session:
        outcome = _attempt_sign_in(session, username.strip().lower(), password, moment)
    if isinstance(outcome, Actor):
        return outcome
    # Raised after the commit so the failure count and the audit entry are kept.
    raise outcome


def list_users(db: Database, actor: Actor) -> list[UserSummary]:
    actor.require(Permission.MANAGE_USERS)
    with db.reading() as session:
        rows = session.scalars(select(models.User).order_by(models.User.username)).all()
        return [
            UserSummary(
                id=row.id,
                username=row.username,
                display_name=row.display_name,
                role=Role(row.role),
                active=row.active,
                last_signed_in_at=_as_utc(row.last_signed_in_at),
                version=row.version,
            )
            for row in rows
        ]


def _attempt_sign_in(
    session: Session, name: str, password: str, moment: datetime
) -> Actor | SignInRefused:
    user = session.scalar(select(models.User).where(func.lower(models.User.username) == name))
    if user is None:
        # Same work as for a real account, so timing does not tell them apart.
        passwords.verify_password(password, _decoy_hash(passwords.CURRENT))
        # What was typed is not kept: people sometimes type their password there.
        audit.record(session, SYSTEM, "user.sign_in_refused", "user", reason="unknown user")
        log.warning("Sign-in refused: unknown user")
        return SignInRefused(NOT_RIGHT)
    wait = _wait_seconds(user, moment)
    if wait > 0:
        audit.record(
            session,
            SYSTEM,
            "user.sign_in_refused",
            "user",
            user.id,
            username=user.username,
            reason="waiting after failed attempts",
        )
        log.warning("Sign-in refused for %s: %d seconds to wait", user.username, wait)
        return SignInThrottled(wait)
    right = passwords.verify_password(password, user.password_hash)
    if right and user.active:
        return _signed_in(session, user, password, moment)
    _count_failure(user, moment)
    reason = "account deactivated" if right else "password not right"
    audit.record(
        session,
        SYSTEM,
        "user.sign_in_refused",
        "user",
        user.id,
        username=user.username,
        reason=reason,
        failures=user.failed_sign_ins,
    )
    log.warning("Sign-in refused for %s: %s", user.username, reason)
    return SignInRefused(NOT_RIGHT)


def _signed_in(session: Session, user: models.User, password: str, moment: datetime) -> Actor:
    upgraded = passwords.needs_rehash(user.password_hash)
    if upgraded:
        user.password_hash = passwords.hash_password(password)
    user.failed_sign_ins = 0
    user.last_failed_at = None
    user.last_signed_in_at = moment
    actor = Actor(user_id=user.id, username=user.username, role=Role(user.role))
    audit.record(
        session,
        actor,
        "user.sign_in",
        "user",
        user.id,
        username=user.username,
        hash_upgraded=upgraded,
    )
    log.info("%s signed in", user.username)
    return actor


def _count_failure(user: models.User, moment: datetime) -> None:
    user.failed_sign_ins = (user.failed_sign_ins or 0) + 1
    user.last_failed_at = moment


def _wait_seconds(user: models.User, moment: datetime) -> int:
    """Whole seconds before the next attempt is allowed; 0 when it is allowed now."""
    failures = user.failed_sign_ins or 0
    last = _as_utc(user.last_failed_at)
    if failures < FREE_ATTEMPTS or last is None:
        return 0
    delay = min(FIRST_DELAY_SECONDS * 2 ** min(failures - FREE_ATTEMPTS, 20), MAX_DELAY_SECONDS)
    remaining = (last + timedelta(seconds=delay) - moment).total_seconds()
    return max(0, math.ceil(remaining))


@lru_cache(maxsize=4)
def _decoy_hash(params: passwords.ScryptParams) -> str:
    del params  # the cache key: a new decoy when the parameters change
    return passwords.hash_password("no account has this password")


def _add_user(
    session: Session, username: str, display_name: str, role: Role, stored: str
) -> models.User:
    taken = session.scalar(
        select(models.User.id).where(func.lower(models.User.username) == username)
    )
    if taken is not None:
        raise _username_taken(username)
    user = models.User(
        username=username,
        display_name=display_name,
        role=role.value,
        password_hash=stored,
        active=True,
        failed_sign_ins=0,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        raise _username_taken(username) from None
    return user


def _username_taken(username: str) -> ServiceError:
    return ServiceError(
        f"The username {username} is already taken (usernames ignore capitals); choose another."
    )


def _user_row(session: Session, user_id: int, expected_version: int | None = None) -> models.User:
    user = session.get(models.User, user_id)
    if user is None:
        raise NotFound(f"There is no user account with id {user_id}.")
    if expected_version is not None and user.version != expected_version:
        raise StaleEdit(
            f"The account {user.username} was changed by someone else since you opened it; "
            "reload it and make your change again."
        )
    return user


def _keep_an_admin(session: Session, leaving: models.User) -> None:
    """Refuse a change that would leave no active administrator."""
    others = session.scalar(
        select(func.count())
        .select_from(models.User)
        .where(
            models.User.role == Role.ADMIN.value,
            models.User.active.is_(True),
            models.User.id != leaving.id,
        )
    )
    if not others:
        raise ServiceError(
            f"{leaving.username} is the last active administrator; make another account an "
            "administrator first."
        )


def _account_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(models.User)) or 0


def _valid_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME_MIN <= len(name) <= USERNAME_MAX:
        raise ServiceError(
            f"A username needs {USERNAME_MIN} to {USERNAME_MAX} characters, not {len(name)}."
        )
    if not _USERNAME_CHARS.fullmatch(name):
        raise ServiceError(
            "A username may only use letters a-z, digits and . _ - (no spaces or accents)."
        )
    return name


def _valid_display_name(display_name: str) -> str:
    shown = " ".join(display_name.split())
    if not shown:
        raise ServiceError("Enter a display name: the name other people see.")
    if len(shown) > DISPLAY_NAME_MAX:
        raise ServiceError(f"A display name can have at most {DISPLAY_NAME_MAX} characters.")
    return shown


def _person_role(role: Role | str) -> Role:
    try:
        chosen = Role(role)
    except ValueError:
        chosen = None
    if chosen is None or chosen is Role.SYSTEM:
        allowed = ", ".join(r.value for r in PEOPLE_ROLES)
        raise ServiceError(f"The role must be one of: {allowed}.")
    return chosen


def _utc(now: datetime | None) -> datetime:
    return _as_utc(now) or datetime.now(UTC)


def _as_utc(moment: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes: they were stored as UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
