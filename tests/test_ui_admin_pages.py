"""The administrators' pages: user accounts (create, role, deactivate, reset
password) and the audit trail (filters, limits, before/after detail)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from assessor_app.services import passwords, users
from assessor_app.services.audit_queries import (
    AuditFilter,
    audit_filter_choices,
    count_audit_entries,
    find_audit_entries,
)
from assessor_app.services.errors import FieldError
from assessor_app.services.roles import Actor, PermissionDenied, Role
from assessor_app.store import models
from assessor_app.ui.pages import users_page as users_page_module
from assessor_app.ui.pages.audit_page import AuditPage, describe_detail
from assessor_app.ui.pages.users_page import UsersPage
from assessor_app.ui.qt import QDate

GOOD = "kettle on at half past"


pytestmark = pytest.mark.usefixtures("inline_tasks")


@pytest.fixture
def admin(db):
    return users.create_first_admin(db, "jsmith", "Jo Smith", GOOD)


@pytest.fixture
def tutor_id(db, admin):
    return users.create_user(db, admin, "tbrooks", "Taylor Brooks", Role.TUTOR, GOOD)


def by_name(page: UsersPage, username: str):
    return next(u for u in page.table.source.rows() if u.username == username)


def select(page: UsersPage, username: str) -> None:
    assert page.table.select_where(username, lambda u: u.username)


@pytest.fixture
def page(qtbot, db, admin, tutor_id):
    widget = UsersPage(db)
    qtbot.addWidget(widget)
    widget.set_actor(admin)
    return widget


def fill_dialog(monkeypatch, **fields):
    """Replace run_dialog: type into the dialog's fields, press OK, report acceptance."""
    shown = []

    def run(dialog):
        shown.append(dialog)
        for name, value in fields.items():
            widget = getattr(dialog, name)
            if hasattr(widget, "setCurrentIndex"):
                widget.setCurrentIndex(widget.findData(value))
            else:
                widget.setText(value)
        dialog.save_button.click()
        return dialog.result() == 1

    monkeypatch.setattr(users_page_module, "run_dialog", run)
    return shown


# User accounts


def test_the_list_shows_every_account_with_role_and_status(page):
    rows = page.table.source.rows()
    assert [u.username for u in rows] == ["jsmith", "tbrooks"]
    tutor_row = page.table.shown().index(by_name(page, "tbrooks"))
    assert page.table.model().index(tutor_row, 2).data() == "Tutor"
    assert page.table.model().index(tutor_row, 3).data() == "active"
    assert not page.role_button.isEnabled()  # nothing chosen yet
    select(page, "tbrooks")
    assert page.role_button.isEnabled() and page.reset_button.isEnabled()


def test_creating_an_account_adds_it_to_the_list(page, db, monkeypatch):
    fill_dialog(
        monkeypatch,
        username_edit="ash.w",
        name_edit="Ash Williams",
        role_combo=Role.ASSESSOR.value,
        password_edit=GOOD,
        repeat_edit=GOOD,
    )
    page.new_button.click()
    assert by_name(page, "ash.w").role is Role.ASSESSOR
    assert "ash.w created" in page.message_label.text()
    assert users.sign_in(db, "ash.w", GOOD).role is Role.ASSESSOR


def test_a_bad_username_is_marked_at_its_field_and_nothing_is_created(page, monkeypatch):
    shown = fill_dialog(
        monkeypatch,
        username_edit="a b",
        name_edit="Ash Williams",
        password_edit=GOOD,
        repeat_edit=GOOD,
    )
    page.new_button.click()
    dialog = shown[0]
    assert "characters" in dialog.field_error("username") or "spaces" in dialog.field_error(
        "username"
    )
    assert dialog.result() != 1
    assert [u.username for u in page.table.source.rows()] == ["jsmith", "tbrooks"]


def test_mismatched_passwords_are_marked_before_asking_the_service(page, monkeypatch):
    shown = fill_dialog(
        monkeypatch,
        username_edit="ashw",
        name_edit="Ash Williams",
        password_edit=GOOD,
        repeat_edit=GOOD + "!",
    )
    page.new_button.click()
    assert "not the same" in shown[0].field_error("repeat")
    assert len(page.table.source.rows()) == 2


def test_a_short_password_is_marked_at_the_password_field(page, monkeypatch):
    shown = fill_dialog(
        monkeypatch,
        username_edit="ashw",
        name_edit="Ash",
        password_edit="short",
        repeat_edit="short",
    )
    page.new_button.click()
    assert f"at least {passwords.MIN_LENGTH}" in shown[0].field_error("password")


def test_changing_a_role(page, monkeypatch):
    select(page, "tbrooks")
    fill_dialog(monkeypatch, role_combo=Role.COORDINATOR.value)
    page.role_button.click()
    assert by_name(page, "tbrooks").role is Role.COORDINATOR


def test_the_last_administrator_cannot_lose_the_role_and_the_refusal_is_shown(page, monkeypatch):
    select(page, "jsmith")
    shown = fill_dialog(monkeypatch, role_combo=Role.TUTOR.value)
    page.role_button.click()
    assert shown[0].result() != 1
    assert shown[0].message.text() or shown[0].field_error("role")
    assert by_name(page, "jsmith").role is Role.ADMIN


def test_deactivating_asks_first_and_cancel_changes_nothing(page, db, monkeypatch):
    asked = []
    monkeypatch.setattr(users_page_module, "ask_to_confirm", lambda *a: asked.append(a[2]) or False)
    select(page, "tbrooks")
    page.active_button.click()
    assert "Taylor Brooks" in asked[0]
    assert by_name(page, "tbrooks").active

    monkeypatch.setattr(users_page_module, "ask_to_confirm", lambda *a: True)
    page.active_button.click()
    assert not by_name(page, "tbrooks").active
    assert page.active_button.text().replace("&", "") == "Reactivate…"
    with pytest.raises(users.SignInRefused):
        users.sign_in(db, "tbrooks", GOOD)

    # The refused sign-in changed the account since the list was read: a stale edit.
    page.active_button.click()
    assert "changed" in page.message_label.text() or "reload" in page.message_label.text()
    assert not by_name(page, "tbrooks").active  # the list was read again meanwhile
    page.active_button.click()
    assert by_name(page, "tbrooks").active
    assert users.sign_in(db, "tbrooks", GOOD).role is Role.TUTOR


def test_deactivating_yourself_is_refused_with_the_reason(page, monkeypatch):
    monkeypatch.setattr(users_page_module, "ask_to_confirm", lambda *a: True)
    select(page, "jsmith")
    page.active_button.click()
    assert "your own account" in page.message_label.text()
    assert by_name(page, "jsmith").active


def test_resetting_a_password(page, db, monkeypatch):
    select(page, "tbrooks")
    fill_dialog(monkeypatch, password_edit="a brand new secret", repeat_edit="a brand new secret")
    page.reset_button.click()
    assert users.sign_in(db, "tbrooks", "a brand new secret").role is Role.TUTOR
    assert "new password" in page.message_label.text()


def test_a_role_that_may_not_manage_users_gets_nothing(qtbot, db, admin, tutor_id):
    tutor = users.sign_in(db, "tbrooks", GOOD)
    widget = UsersPage(db)
    qtbot.addWidget(widget)
    widget.set_actor(tutor)
    assert widget.table.source.rows() == []
    assert not widget.new_button.isEnabled()


# The audit trail: the query


def test_audit_query_filters_by_user_record_text_and_dates(db, admin, tutor_id):
    users.set_role(db, admin, tutor_id, Role.ASSESSOR)
    everything = find_audit_entries(db, admin).rows
    assert everything[0].action == "user.set_role"  # newest first
    assert everything[0].detail["before"] == "tutor"

    by_admin = find_audit_entries(db, admin, AuditFilter(username="jsmith")).rows
    assert by_admin and all(r.username == "jsmith" for r in by_admin)
    assert all(
        r.entity == "user" for r in find_audit_entries(db, admin, AuditFilter(entity="user")).rows
    )
    found = find_audit_entries(db, admin, AuditFilter(text="tbrooks set_role")).rows
    assert [r.action for r in found] == ["user.set_role"]

    today = date.today()
    assert find_audit_entries(db, admin, AuditFilter(since=today, until=today)).rows
    assert not find_audit_entries(db, admin, AuditFilter(until=today - timedelta(days=2))).rows
    with pytest.raises(FieldError) as refused:
        find_audit_entries(db, admin, AuditFilter(since=today, until=today - timedelta(days=1)))
    assert refused.value.field == "since"


def test_audit_query_is_limited_and_says_there_is_more(db, admin, tutor_id):
    total = count_audit_entries(db, admin)
    assert total >= 3
    page = find_audit_entries(db, admin, limit=2)
    assert len(page.rows) == 2 and page.more
    assert not find_audit_entries(db, admin, limit=total).more


def test_old_entries_are_found_by_date(db, admin, tutor_id):
    long_ago = datetime(2020, 3, 4, 10, 0, tzinfo=UTC)
    with db.transaction() as session:
        session.execute(
            update(models.AuditEntry)
            .where(models.AuditEntry.action == "user.create")
            .values(at=long_ago)
        )
    old = find_audit_entries(
        db, admin, AuditFilter(since=date(2020, 3, 4), until=date(2020, 3, 4))
    ).rows
    assert [r.action for r in old] == ["user.create"]


def test_only_admins_and_quality_assurers_read_the_trail(db, admin):
    iqa_id = users.create_user(db, admin, "indira", "Indira Shah", Role.IQA, GOOD)
    assert iqa_id
    iqa = users.sign_in(db, "indira", GOOD)
    assert find_audit_entries(db, iqa).rows
    tutor = Actor(None, "tutor", Role.TUTOR)
    with pytest.raises(PermissionDenied):
        find_audit_entries(db, tutor)
    with pytest.raises(PermissionDenied):
        audit_filter_choices(db, tutor)


# The audit trail: the page


@pytest.fixture
def audit_page(qtbot, db, admin, tutor_id):
    users.set_role(db, admin, tutor_id, Role.ASSESSOR)
    widget = AuditPage(db)
    qtbot.addWidget(widget)
    widget.set_actor(admin)
    return widget


def test_audit_page_lists_newest_first_and_shows_before_and_after(audit_page):
    shown = audit_page.table.shown()
    assert shown[0].action == "user.set_role"
    assert audit_page.table.currentIndex().row() == 0
    detail = audit_page.detail_view.toPlainText()
    assert "before → after" in detail
    assert "tutor → assessor" in detail


def test_audit_page_filters_by_person_and_words(qtbot, audit_page):
    combo = audit_page.user_combo
    assert combo.itemText(0) == "Everyone"
    combo.setCurrentIndex(combo.findData("system"))
    assert {r.username for r in audit_page.table.shown()} == {"system"}
    combo.setCurrentIndex(0)

    qtbot.keyClicks(audit_page.text_edit, "set_role")
    audit_page.reload()  # what the pause after typing does
    assert [r.action for r in audit_page.table.shown()] == ["user.set_role"]
    assert audit_page.count_label.text() == "1 entries match."


def test_audit_page_says_when_dates_are_the_wrong_way_round(audit_page):
    audit_page.since_check.setChecked(True)
    audit_page.until_check.setChecked(True)
    audit_page.since_edit.setDate(QDate(2026, 5, 2))
    audit_page.until_edit.setDate(QDate(2026, 5, 1))
    audit_page.reload()
    assert "after the end date" in audit_page.message_label.text()
    assert audit_page.table.shown() == []


def test_audit_page_with_a_small_limit_says_to_narrow_the_filter(qtbot, db, admin, tutor_id):
    widget = AuditPage(db, limit=1)
    qtbot.addWidget(widget)
    widget.set_actor(admin)
    assert len(widget.table.shown()) == 1
    assert "narrow" in widget.count_label.text()


def test_detail_reads_changes_in_either_shape():
    from assessor_app.services.audit_queries import AuditRow

    row = AuditRow(
        1,
        datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
        "admin",
        "settings.change",
        "app_setting",
        "lock_after_minutes",
        {"changes": {"lock_after_minutes": [10, 5]}},
    )
    assert "lock_after_minutes: 10 → 5" in describe_detail(row)
    nested = AuditRow(
        2,
        datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
        "admin",
        "catalogue.set_unit_credits",
        "unit",
        "L2-CARE/B6",
        {"before": {"credits": None}, "after": {"credits": 3}, "note": "spec"},
    )
    text = describe_detail(nested)
    assert "credits: (none) → 3" in text
    assert "note: spec" in text
