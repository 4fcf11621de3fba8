"""User accounts: hashing, rules, administration, signing in and throttling."""

from __future__ import annotations

import base64
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from assessor_app.services import passwords
from assessor_app.services.errors import ServiceError
from assessor_app.services.passwords import (
    PasswordRejected,
    ScryptParams,
    hash_password,
    needs_rehash,
    verify_password,
)
from assessor_app.services.roles import SYSTEM, Actor, PermissionDenied, Role
from assessor_app.services.users import (
    SignInRefused,
    SignInThrottled,
    change_own_password,
    create_first_admin,
    create_user,
    deactivate_user,
    list_users,
    needs_first_admin,
    reactivate_user,
    reset_password,
    set_role,
    sign_in,
)
from assessor_app.store import models

OWASP = passwords.CURRENT  # read before any test lowers it
FAST = ScryptParams(log2_n=10, r=8, p=1)

ADMIN_PW = "kettle-on-at-four"
TUTOR_PW = "blue shed by the gate"
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch):
    """Real parameters take about half a second per hash; one test keeps them."""
    monkeypatch.setattr(passwords, "CURRENT", FAST)


@pytest.fixture
def admin(db):
    return create_first_admin(db, "Admin", "Ada Admin", ADMIN_PW)


@pytest.fixture
def tutor_id(db, admin):
    return create_user(db, admin, "tutor1", "Tom Tutor", Role.TUTOR, TUTOR_PW)


def count(db, model):
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def audit_entries(db, action=None):
    with db.reading() as session:
        query = select(models.AuditEntry).order_by(models.AuditEntry.id)
        if action is not None:
            query = query.where(models.AuditEntry.action == action)
        return session.scalars(query).all()


def user_row(db, username):
    with db.reading() as session:
        return session.scalar(select(models.User).where(models.User.username == username))


# Hashing


def test_owasp_parameters_are_the_real_ones(monkeypatch):
    monkeypatch.setattr(passwords, "CURRENT", OWASP)
    stored = hash_password("correct horse battery")
    scheme, log2_n, r, p, salt, _digest = stored.split("$")
    assert (scheme, int(log2_n), int(r), int(p)) == ("scrypt", 17, 8, 1)
    assert 2 ** int(log2_n) == 2**17
    assert len(base64.b64decode(salt)) == 16
    assert verify_password("correct horse battery", stored)
    assert not needs_rehash(stored)


def test_hash_format_and_verify():
    stored = hash_password("correct horse battery")
    scheme, log2_n, r, p, salt, digest = stored.split("$")
    assert (scheme, log2_n, r, p) == ("scrypt", "10", "8", "1")
    assert len(base64.b64decode(salt)) == 16
    assert len(base64.b64decode(digest)) == 32
    assert "correct horse battery" not in stored
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterY", stored)
    assert not verify_password("", stored)
    assert hash_password("correct horse battery") != stored  # a new salt each time


def test_the_same_password_typed_in_another_unicode_form_still_verifies():
    stored = hash_password("caf\u00e9 au lait please")  # é as one code point
    assert verify_password("cafe\u0301 au lait please", stored)  # e + combining accent


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "plain text",
        "scrypt$10$8$1$c2FsdA==",
        "scrypt$10$8$1$!!!!$!!!!",
        "scrypt$ten$8$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==",
        "scrypt$0$8$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==",
        "scrypt$10$0$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==",
        "scrypt$30$255$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==",
        "scrypt$10$8$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaA==",
        "scrypt$10$8$1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA==",
        "bcrypt$10$8$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==",
        " scrypt$10$8$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==",
        "pbkdf2_sha256$600000$salt$hash",
    ],
)
def test_a_damaged_stored_hash_never_verifies_and_never_raises(stored):
    assert verify_password("anything at all", stored) is False
    assert needs_rehash(stored)


def test_needs_rehash_only_for_weaker_parameters(monkeypatch):
    stored = hash_password("correct horse battery")
    assert not needs_rehash(stored)
    monkeypatch.setattr(passwords, "CURRENT", ScryptParams(log2_n=11, r=8, p=1))
    assert needs_rehash(stored)
    monkeypatch.setattr(passwords, "CURRENT", ScryptParams(log2_n=10, r=16, p=1))
    assert needs_rehash(stored)
    monkeypatch.setattr(passwords, "CURRENT", ScryptParams(log2_n=9, r=4, p=1))
    assert not needs_rehash(stored)


def test_sign_in_upgrades_a_weaker_hash(db, monkeypatch):
    create_first_admin(db, "admin", "Ada Admin", ADMIN_PW)
    weak = user_row(db, "admin").password_hash
    assert weak.startswith("scrypt$10$8$1$")
    monkeypatch.setattr(passwords, "CURRENT", ScryptParams(log2_n=11, r=8, p=1))
    sign_in(db, "admin", ADMIN_PW, now=T0)
    upgraded = user_row(db, "admin").password_hash
    assert upgraded.startswith("scrypt$11$8$1$")
    assert verify_password(ADMIN_PW, upgraded)
    assert not needs_rehash(upgraded)
    sign_in(db, "admin", ADMIN_PW, now=T0)
    assert user_row(db, "admin").password_hash == upgraded  # no rehash when current


# Password rules


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("short1!", "at least 10 characters"),
        ("", "at least 10 characters"),
        ("zzzzzzzzzzzzzz", "same character repeated"),
        ("carer.jones", "same as the username"),
        ("CARER.JONES", "same as the username"),
    ],
)
def test_weak_passwords_are_refused_naming_the_rule_and_nothing_is_saved(db, admin, password, rule):
    users_before, audit_before = count(db, models.User), count(db, models.AuditEntry)
    with pytest.raises(PasswordRejected, match=rule):
        create_user(db, admin, "carer.jones", "Cara Jones", Role.ASSESSOR, password)
    assert count(db, models.User) == users_before
    assert count(db, models.AuditEntry) == audit_before


def test_password_rejected_is_a_service_error():
    assert issubclass(PasswordRejected, ServiceError)


# First administrator


def test_the_first_admin_can_be_created_only_once(db):
    assert needs_first_admin(db)
    actor = create_first_admin(db, " Ada.Admin ", "Ada  Admin", ADMIN_PW)
    assert actor == Actor(user_id=actor.user_id, username="ada.admin", role=Role.ADMIN)
    assert not needs_first_admin(db)
    with pytest.raises(ServiceError, match="already been set up"):
        create_first_admin(db, "mallory", "Mallory", "a sneaky second admin")
    assert count(db, models.User) == 1
    [entry] = audit_entries(db, "user.create_first_admin")
    assert entry.username == SYSTEM.username
    assert entry.user_id is None
    assert entry.entity_id == str(actor.user_id)


def test_the_first_admin_follows_the_same_rules(db):
    with pytest.raises(PasswordRejected, match="10 characters"):
        create_first_admin(db, "admin", "Ada Admin", "admin")
    with pytest.raises(ServiceError, match="3 to 40"):
        create_first_admin(db, "ad", "Ada Admin", ADMIN_PW)
    assert needs_first_admin(db)


# Creating accounts


def test_an_admin_creates_accounts_stored_lower_case(db, admin):
    new_id = create_user(db, admin, "Mary.Jones", "Mary Jones", Role.ASSESSOR, TUTOR_PW)
    summaries = {s.username: s for s in list_users(db, admin)}
    assert set(summaries) == {"admin", "mary.jones"}
    mary = summaries["mary.jones"]
    assert (mary.id, mary.display_name, mary.role, mary.active) == (
        new_id,
        "Mary Jones",
        Role.ASSESSOR,
        True,
    )
    assert mary.last_signed_in_at is None
    assert sign_in(db, "MARY.JONES", TUTOR_PW, now=T0).role is Role.ASSESSOR
    [entry] = audit_entries(db, "user.create")
    assert (entry.username, entry.entity_id) == ("admin", str(new_id))


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.TUTOR, Role.ASSESSOR, Role.IQA])
def test_only_admins_manage_accounts(db, admin, role):
    create_user(db, admin, "someone", "Some One", role, TUTOR_PW)
    actor = sign_in(db, "someone", TUTOR_PW, now=T0)
    users_before, audit_before = count(db, models.User), count(db, models.AuditEntry)
    with pytest.raises(PermissionDenied):
        create_user(db, actor, "another", "An Other", Role.TUTOR, TUTOR_PW)
    with pytest.raises(PermissionDenied):
        list_users(db, actor)
    with pytest.raises(PermissionDenied):
        set_role(db, actor, actor.user_id, Role.ADMIN)
    with pytest.raises(PermissionDenied):
        reset_password(db, actor, admin.user_id, "taking over the admin")
    with pytest.raises(PermissionDenied):
        deactivate_user(db, actor, admin.user_id)
    assert count(db, models.User) == users_before
    assert count(db, models.AuditEntry) == audit_before
    assert user_row(db, "another") is None


def test_usernames_are_unique_ignoring_capitals(db, admin, tutor_id):
    with pytest.raises(ServiceError, match="already taken"):
        create_user(db, admin, "TUTOR1", "Another Tutor", Role.TUTOR, "different words here")
    with pytest.raises(ServiceError, match="already taken"):
        create_user(db, admin, "Admin", "Second Admin", Role.ADMIN, "different words here")
    assert count(db, models.User) == 2


@pytest.mark.parametrize(
    ("username", "rule"),
    [
        ("ab", "3 to 40 characters"),
        ("   ", "3 to 40 characters"),
        ("a" * 41, "3 to 40 characters"),
        ("mary jones", "only use letters"),
        ("jöhn", "only use letters"),
        ("mary@example.org", "only use letters"),
        ("tab\there", "only use letters"),
    ],
)
def test_bad_usernames_are_refused_naming_the_rule_and_nothing_is_saved(db, admin, username, rule):
    users_before, audit_before = count(db, models.User), count(db, models.AuditEntry)
    with pytest.raises(ServiceError, match=rule):
        create_user(db, admin, username, "Some One", Role.TUTOR, TUTOR_PW)
    assert count(db, models.User) == users_before
    assert count(db, models.AuditEntry) == audit_before


@pytest.mark.parametrize("role", [Role.SYSTEM, "wizard", "ADMIN"])
def test_only_people_roles_can_be_given(db, admin, role):
    with pytest.raises(ServiceError, match="role must be one of"):
        create_user(db, admin, "someone", "Some One", role, TUTOR_PW)
    assert user_row(db, "someone") is None


def test_a_display_name_is_required(db, admin):
    with pytest.raises(ServiceError, match="display name"):
        create_user(db, admin, "someone", "  ", Role.TUTOR, TUTOR_PW)


# Signing in


def test_sign_in_refusals_look_the_same(db, admin, tutor_id):
    deactivate_user(db, admin, tutor_id)
    create_user(db, admin, "viewer1", "Vera Viewer", Role.VIEWER, "a fine password")
    refusals = []
    for username, password in [
        ("nobody", TUTOR_PW),  # unknown user
        ("viewer1", TUTOR_PW),  # wrong password
        ("tutor1", TUTOR_PW),  # right password, deactivated account
        ("tutor1", "wrong words entirely"),  # wrong password, deactivated account
    ]:
        with pytest.raises(SignInRefused) as caught:
            sign_in(db, username, password, now=T0)
        refusals.append((type(caught.value), str(caught.value)))
    assert set(refusals) == {(SignInRefused, "Username or password is not right.")}


def test_a_successful_sign_in_is_recorded(db, admin, tutor_id):
    actor = sign_in(db, "  Tutor1 ", TUTOR_PW, now=T0)
    assert actor == Actor(user_id=tutor_id, username="tutor1", role=Role.TUTOR)
    [summary] = [s for s in list_users(db, admin) if s.id == tutor_id]
    assert summary.last_signed_in_at == T0
    [entry] = audit_entries(db, "user.sign_in")
    assert (entry.user_id, entry.username, entry.entity_id) == (tutor_id, "tutor1", str(tutor_id))


def test_after_three_failures_attempts_wait_and_the_delay_grows(db, tutor_id):
    for seconds in range(3):
        with pytest.raises(SignInRefused, match="not right"):
            sign_in(db, "tutor1", "wrong guess number", now=T0 + timedelta(seconds=seconds))
    assert user_row(db, "tutor1").failed_sign_ins == 3

    # The last failure was at T0+2s: 5 seconds from then, even with the right password.
    with pytest.raises(SignInThrottled, match="Wait 4 seconds") as caught:
        sign_in(db, "tutor1", TUTOR_PW, now=T0 + timedelta(seconds=3))
    assert caught.value.wait_seconds == 4
    with pytest.raises(SignInThrottled, match="Wait 1 second "):
        sign_in(db, "tutor1", TUTOR_PW, now=T0 + timedelta(seconds=6, milliseconds=500))
    assert user_row(db, "tutor1").failed_sign_ins == 3  # waiting does not add to the count

    # A fourth failure doubles the delay to 10 seconds.
    with pytest.raises(SignInRefused, match="not right"):
        sign_in(db, "tutor1", "wrong guess number", now=T0 + timedelta(seconds=7))
    with pytest.raises(SignInThrottled, match="Wait 10 seconds"):
        sign_in(db, "tutor1", TUTOR_PW, now=T0 + timedelta(seconds=7))

    actor = sign_in(db, "tutor1", TUTOR_PW, now=T0 + timedelta(seconds=17))
    assert actor.user_id == tutor_id
    row = user_row(db, "tutor1")
    assert (row.failed_sign_ins, row.last_failed_at) == (0, None)
    # The count starts again from nothing.
    with pytest.raises(SignInRefused, match="not right"):
        sign_in(db, "tutor1", "wrong guess number", now=T0 + timedelta(seconds=18))
    assert sign_in(db, "tutor1", TUTOR_PW, now=T0 + timedelta(seconds=18)).user_id == tutor_id


def test_the_delay_is_capped_at_fifteen_minutes(db, tutor_id):
    moment = T0
    for _ in range(20):
        with pytest.raises(SignInRefused):
            sign_in(db, "tutor1", "wrong guess number", now=moment)
        moment += timedelta(hours=1)
    last_failure = moment - timedelta(hours=1)
    with pytest.raises(SignInThrottled, match="Wait 900 seconds"):
        sign_in(db, "tutor1", TUTOR_PW, now=last_failure)
    assert sign_in(db, "tutor1", TUTOR_PW, now=last_failure + timedelta(minutes=15)).user_id


def test_an_admin_password_reset_lifts_the_delay(db, admin, tutor_id):
    for _ in range(5):
        with pytest.raises(SignInRefused):
            sign_in(db, "tutor1", "wrong guess number", now=T0)
    reset_password(db, admin, tutor_id, "a brand new phrase")
    with pytest.raises(SignInRefused, match="not right"):
        sign_in(db, "tutor1", TUTOR_PW, now=T0)
    assert sign_in(db, "tutor1", "a brand new phrase", now=T0).user_id == tutor_id


def test_reset_password_follows_the_rules(db, admin):
    user_id = create_user(db, admin, "longusername", "Long Name", Role.TUTOR, TUTOR_PW)
    before = user_row(db, "longusername").password_hash
    with pytest.raises(PasswordRejected, match="same as the username"):
        reset_password(db, admin, user_id, "LongUserName")
    with pytest.raises(PasswordRejected, match="10 characters"):
        reset_password(db, admin, user_id, "short")
    assert user_row(db, "longusername").password_hash == before
    assert audit_entries(db, "user.reset_password") == []


# Changing one's own password


def test_changing_your_own_password(db, tutor_id):
    actor = sign_in(db, "tutor1", TUTOR_PW, now=T0)
    with pytest.raises(ServiceError, match="current password is not right"):
        change_own_password(db, actor, "not my password", "a better phrase now", now=T0)
    with pytest.raises(PasswordRejected, match="10 characters"):
        change_own_password(db, actor, TUTOR_PW, "short", now=T0)
    with pytest.raises(PasswordRejected, match="differ"):
        change_own_password(db, actor, TUTOR_PW, TUTOR_PW, now=T0)
    change_own_password(db, actor, TUTOR_PW, "a better phrase now", now=T0)
    with pytest.raises(SignInRefused):
        sign_in(db, "tutor1", TUTOR_PW, now=T0)
    assert sign_in(db, "tutor1", "a better phrase now", now=T0).user_id == tutor_id
    assert len(audit_entries(db, "user.change_password")) == 1


def test_guessing_the_current_password_is_throttled_too(db, tutor_id):
    actor = sign_in(db, "tutor1", TUTOR_PW, now=T0)
    for _ in range(3):
        with pytest.raises(ServiceError, match="current password is not right"):
            change_own_password(db, actor, "a wrong guess", "a better phrase now", now=T0)
    with pytest.raises(SignInThrottled, match="Wait 5 seconds"):
        change_own_password(db, actor, TUTOR_PW, "a better phrase now", now=T0)
    with pytest.raises(SignInThrottled):
        sign_in(db, "tutor1", TUTOR_PW, now=T0)


def test_the_system_actor_has_no_password_to_change(db, admin):
    with pytest.raises(ServiceError, match="signed-in person"):
        change_own_password(db, SYSTEM, ADMIN_PW, "whatever new phrase")


# Roles and deactivation


def test_roles_change_and_are_audited(db, admin, tutor_id):
    version = set_role(db, admin, tutor_id, Role.ASSESSOR)
    assert sign_in(db, "tutor1", TUTOR_PW, now=T0).role is Role.ASSESSOR
    [entry] = audit_entries(db, "user.set_role")
    assert '"before": "tutor"' in entry.detail
    assert '"after": "assessor"' in entry.detail
    with pytest.raises(ServiceError, match="changed by someone else"):
        set_role(db, admin, tutor_id, Role.IQA, expected_version=version - 1)
    with pytest.raises(ServiceError, match="role must be one of"):
        set_role(db, admin, tutor_id, Role.SYSTEM)
    with pytest.raises(ServiceError, match="no user account"):
        set_role(db, admin, 9999, Role.TUTOR)


def test_the_last_active_admin_stays(db, admin):
    with pytest.raises(ServiceError, match="your own account"):
        deactivate_user(db, admin, admin.user_id)
    with pytest.raises(ServiceError, match="last active administrator"):
        deactivate_user(db, SYSTEM, admin.user_id)
    with pytest.raises(ServiceError, match="last active administrator"):
        set_role(db, admin, admin.user_id, Role.TUTOR)
    assert user_row(db, "admin").active
    assert user_row(db, "admin").role == "admin"

    second = create_user(db, admin, "admin2", "Second Admin", Role.ADMIN, "another long phrase")
    deactivate_user(db, admin, second)
    # A deactivated admin does not count as keeping the system administered.
    with pytest.raises(ServiceError, match="last active administrator"):
        set_role(db, admin, admin.user_id, Role.TUTOR)
    reactivate_user(db, admin, second)
    set_role(db, admin, admin.user_id, Role.COORDINATOR)
    assert user_row(db, "admin").role == "coordinator"


def test_deactivate_and_reactivate(db, admin, tutor_id):
    deactivate_user(db, admin, tutor_id)
    assert not user_row(db, "tutor1").active
    with pytest.raises(SignInRefused, match="not right"):
        sign_in(db, "tutor1", TUTOR_PW, now=T0)
    reactivate_user(db, admin, tutor_id)
    assert sign_in(db, "tutor1", TUTOR_PW, now=T0).user_id == tutor_id
    assert [e.action for e in audit_entries(db) if e.action.endswith("activate")] == [
        "user.deactivate",
        "user.reactivate",
    ]


# Nothing secret in the audit trail or the log


def test_every_change_is_audited_and_no_entry_holds_a_password_or_hash(db, caplog):
    caplog.set_level(logging.DEBUG)
    secrets = [
        ADMIN_PW,
        TUTOR_PW,
        "reset phrase one two",
        "changed phrase three",
        "wrong guess phrase",
    ]
    admin = create_first_admin(db, "admin", "Ada Admin", ADMIN_PW)
    tutor_id = create_user(db, admin, "tutor1", "Tom Tutor", Role.TUTOR, TUTOR_PW)
    hashes = {user_row(db, "tutor1").password_hash, user_row(db, "admin").password_hash}
    with pytest.raises(SignInRefused):
        sign_in(db, "tutor1", "wrong guess phrase", now=T0)
    # Someone types their password into the username box.
    with pytest.raises(SignInRefused):
        sign_in(db, TUTOR_PW, TUTOR_PW, now=T0)
    set_role(db, admin, tutor_id, Role.ASSESSOR)
    reset_password(db, admin, tutor_id, "reset phrase one two")
    hashes.add(user_row(db, "tutor1").password_hash)
    actor = sign_in(db, "tutor1", "reset phrase one two", now=T0)
    with pytest.raises(ServiceError):
        change_own_password(db, actor, "wrong guess phrase", "changed phrase three", now=T0)
    change_own_password(db, actor, "reset phrase one two", "changed phrase three", now=T0)
    hashes.add(user_row(db, "tutor1").password_hash)
    deactivate_user(db, admin, tutor_id)
    reactivate_user(db, admin, tutor_id)

    entries = audit_entries(db)
    assert {e.action for e in entries} >= {
        "user.create_first_admin",
        "user.create",
        "user.sign_in",
        "user.sign_in_refused",
        "user.set_role",
        "user.reset_password",
        "user.change_password",
        "user.change_password_refused",
        "user.deactivate",
        "user.reactivate",
    }
    fragments = set(secrets)
    for stored in hashes:
        fragments.add(stored)
        fragments.update(stored.split("$")[4:])  # the salt and the digest on their own
    for entry in entries:
        text = " ".join([entry.username, entry.action, entry.entity, entry.entity_id, entry.detail])
        leaked = [f for f in fragments if f in text]
        assert leaked == [], f"{entry.action} holds a secret"

    assert caplog.records  # the use cases do log
    for secret in secrets:
        assert secret not in caplog.text
