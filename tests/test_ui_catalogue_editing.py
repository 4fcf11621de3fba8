"""Administrators edit the catalogue (credit values, rules, group names, barred
pairs) through audited services; everyone else sees it read-only."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from assessor_app.domain.catalogue import RuleScope, ValueStatus
from assessor_app.services import catalogue
from assessor_app.services.catalogue_queries import (
    load_qualification,
    unit_affinities,
    unit_outcomes,
)
from assessor_app.services.errors import FieldError, NotFound, ServiceError
from assessor_app.services.roles import Actor, PermissionDenied, Role
from assessor_app.store import models
from assessor_app.ui.dialogs import catalogue_dialogs
from assessor_app.ui.dialogs.catalogue_dialogs import BarredPairsDialog
from assessor_app.ui.dialogs.outcomes_dialog import OutcomesDialog, parse_criteria
from assessor_app.ui.pages import catalogue_page as catalogue_page_module
from assessor_app.ui.pages.catalogue_page import CataloguePage

ADMIN = Actor(None, "admin", Role.ADMIN)
TUTOR = Actor(None, "tutor", Role.TUTOR)
CODE = "L2-CARE"


pytestmark = [
    pytest.mark.usefixtures("inline_tasks"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),  # the offscreen platform, on showing
]


def rule(db, scope, group=None):
    qual = load_qualification(db, CODE)
    return next((r for r in qual.rules if r.scope is scope and r.group == group), None)


def last_audit(db):
    with db.reading() as session:
        entry = session.scalars(
            select(models.AuditEntry).order_by(models.AuditEntry.id.desc())
        ).first()
        return entry.action, json.loads(entry.detail)


# The services


def test_group_limits_change_and_are_audited_with_before_and_after(db):
    catalogue.set_credit_rule(db, ADMIN, CODE, RuleScope.GROUP, 10, None, group="B")
    assert (
        rule(db, RuleScope.GROUP, "B").min_credits,
        rule(db, RuleScope.GROUP, "B").max_credits,
    ) == (
        10,
        None,
    )
    action, detail = last_audit(db)
    assert action == "catalogue.set_credit_rule"
    assert detail["before"] == {"min_credits": 14, "max_credits": None}
    assert detail["after"] == {"min_credits": 10, "max_credits": None}


def test_a_rule_can_be_added_and_removed(db):
    assert rule(db, RuleScope.GROUP, "A") is None
    catalogue.set_credit_rule(db, ADMIN, CODE, RuleScope.GROUP, None, 30, group="A")
    assert rule(db, RuleScope.GROUP, "A").max_credits == 30
    catalogue.set_credit_rule(db, ADMIN, CODE, RuleScope.GROUP, None, None, group="A")
    assert rule(db, RuleScope.GROUP, "A") is None


@pytest.mark.parametrize(
    ("low", "high", "group", "words"),
    [
        (20, 10, "B", "more than the maximum"),
        (-1, None, "B", "between 0 and"),
        (500, None, "C", "no choice of units could meet it"),
    ],
)
def test_contradictory_limits_are_refused_and_nothing_changes(db, low, high, group, words):
    before = load_qualification(db, CODE).rules
    with pytest.raises(FieldError) as refused:
        catalogue.set_credit_rule(db, ADMIN, CODE, RuleScope.GROUP, low, high, group=group)
    assert words in str(refused.value)
    assert load_qualification(db, CODE).rules == before


def test_unknown_group_and_a_tutor_are_refused(db):
    with pytest.raises(NotFound):
        catalogue.set_credit_rule(db, ADMIN, CODE, RuleScope.GROUP, 1, None, group="Z")
    with pytest.raises(PermissionDenied):
        catalogue.set_credit_rule(db, TUTOR, CODE, RuleScope.TOTAL, 40, None)
    with pytest.raises(PermissionDenied):
        catalogue.remove_barred_pair(db, TUTOR, CODE, "B1", "B2")
    with pytest.raises(PermissionDenied):
        catalogue.rename_group(db, TUTOR, CODE, "B", "Health")


def test_barred_pairs_are_removed_and_audited(db):
    catalogue.add_barred_pair(db, ADMIN, CODE, "B4", "B5", "both about dementia")
    assert load_qualification(db, CODE).barred_pairs
    catalogue.remove_barred_pair(db, ADMIN, CODE, "B5", "B4")  # either order
    assert load_qualification(db, CODE).barred_pairs == ()
    action, detail = last_audit(db)
    assert action == "catalogue.remove_barred_pair"
    assert detail["reason"] == "both about dementia"
    with pytest.raises(NotFound):
        catalogue.remove_barred_pair(db, ADMIN, CODE, "B4", "B5")


def test_renaming_a_group(db):
    catalogue.rename_group(db, ADMIN, CODE, "B", "  Health and wellbeing  ")
    assert load_qualification(db, CODE).group("B").name == "Health and wellbeing"
    with pytest.raises(FieldError) as refused:
        catalogue.rename_group(db, ADMIN, CODE, "B", "   ")
    assert refused.value.field == "name"


# The page


@pytest.fixture
def page(qtbot, db):
    widget = CataloguePage(db)
    qtbot.addWidget(widget)
    widget.set_actor(ADMIN)
    return widget


def select_unit(page, ref):
    for row in range(page.proxy.rowCount()):
        if page.proxy.index(row, 0).data() == ref:
            page.table.selectRow(row)
            return
    raise AssertionError(ref)


def test_editing_is_hidden_from_roles_that_may_not_edit(qtbot, db):
    widget = CataloguePage(db)
    qtbot.addWidget(widget)
    widget.set_actor(TUTOR)
    assert widget.edit_row.isHidden()
    widget.set_actor(ADMIN)
    assert widget.edit_row.isVisibleTo(widget)
    assert not widget.edit_unit_button.isEnabled()  # until a unit is chosen
    select_unit(widget, "B6")
    assert widget.edit_unit_button.isEnabled()


def test_entering_a_missing_value_updates_the_table_and_summary(page, db, monkeypatch):
    def fill(dialog):
        dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("confirmed"))
        dialog.credits_spin.setValue(4)
        dialog.save_button.click()
        return dialog.result() == 1

    monkeypatch.setattr(catalogue_page_module, "run_dialog", fill)
    missing_before = sum(u.value_status is ValueStatus.MISSING for u in page.qualification.units)
    select_unit(page, "B6")
    page.edit_unit_button.click()
    unit = page.qualification.unit("B6")
    assert (unit.credits, unit.value_status) == (4, ValueStatus.CONFIRMED)
    assert page.selected_unit().ref == "B6"  # the same unit stays chosen
    assert f"{missing_before - 1} missing" in page.summary_label.text()


def test_a_missing_value_disables_the_credits(page, db):
    unit = load_qualification(db, CODE).unit("B1")
    dialog = catalogue_dialogs.UnitValueDialog(db, ADMIN, CODE, unit)
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("missing"))
    assert not dialog.credits_spin.isEnabled()
    dialog.save_button.click()
    assert load_qualification(db, CODE).unit("B1").value_status is ValueStatus.MISSING
    dialog.deleteLater()


def test_a_rule_change_is_shown_in_the_rules_sentence(page, monkeypatch):
    def fill(dialog):
        dialog.rule_combo.setCurrentIndex(3)  # Total, Optional, A, B, ...
        assert dialog.min_spin.value() == 14
        dialog.min_spin.setValue(12)
        dialog.name_edit.setText("Health and wellbeing")
        dialog.save_button.click()
        return dialog.result() == 1

    monkeypatch.setattr(catalogue_page_module, "run_dialog", fill)
    page.rules_button.click()
    assert "at least 12 from group B" in page.rules_label.text()
    assert "B: Health and wellbeing" in [
        page.group_combo.itemText(i) for i in range(page.group_combo.count())
    ]


def test_a_refused_rule_is_marked_in_the_dialog_and_nothing_changes(page, db, monkeypatch):
    seen = []

    def fill(dialog):
        seen.append(dialog)
        dialog.rule_combo.setCurrentIndex(3)
        dialog.min_spin.setValue(20)
        dialog.max_spin.setValue(10)
        dialog.save_button.click()
        return dialog.result() == 1

    monkeypatch.setattr(catalogue_page_module, "run_dialog", fill)
    page.rules_button.click()
    assert "more than the maximum" in seen[0].field_error("min_credits")
    assert rule(db, RuleScope.GROUP, "B").min_credits == 14
    assert "at least 14 from group B" in page.rules_label.text()


def test_barred_pairs_are_added_and_removed_in_the_dialog(qtbot, db, monkeypatch):
    dialog = BarredPairsDialog(db, ADMIN, load_qualification(db, CODE))
    qtbot.addWidget(dialog)
    dialog.unit_a_combo.setCurrentIndex(dialog.unit_a_combo.findData("B4"))
    dialog.unit_b_combo.setCurrentIndex(dialog.unit_b_combo.findData("B5"))
    dialog.reason_edit.setText("both about dementia")
    dialog.add_button.click()
    assert [(p.unit_a, p.unit_b) for p in dialog.table.source.rows()] == [("B4", "B5")]
    assert dialog.changed

    dialog.add_button.click()  # the same pair again
    assert "already a barred pair" in dialog.message_label.text()

    dialog.table.selectRow(0)
    monkeypatch.setattr(catalogue_dialogs, "ask_to_confirm", lambda *a: False)
    dialog.remove_button.click()
    assert len(dialog.table.source.rows()) == 1
    monkeypatch.setattr(catalogue_dialogs, "ask_to_confirm", lambda *a: True)
    dialog.remove_button.click()
    assert dialog.table.source.rows() == []
    assert load_qualification(db, CODE).barred_pairs == ()


def test_a_pair_of_one_unit_is_refused_with_the_reason(qtbot, db):
    dialog = BarredPairsDialog(db, ADMIN, load_qualification(db, CODE))
    qtbot.addWidget(dialog)
    dialog.add_button.click()  # both lists start on the same unit
    assert "cannot be barred with itself" in dialog.message_label.text()
    assert load_qualification(db, CODE).barred_pairs == ()


def test_services_refuse_without_a_traceback_reaching_the_dialog(qtbot, db):
    dialog = BarredPairsDialog(db, TUTOR, load_qualification(db, CODE))
    qtbot.addWidget(dialog)
    dialog.unit_b_combo.setCurrentIndex(1)
    dialog.add_button.click()
    assert "may not edit the catalogue" in dialog.message_label.text()


# Where a unit can be evidenced


def test_affinities_change_together_and_each_change_is_audited(db):
    before = unit_affinities(db, CODE, "B6")
    entries = audit_count(db)
    wanted = {"ward": "rarely", "community": None, "day_centre": "often"}
    changed = catalogue.set_unit_affinities(db, ADMIN, CODE, "B6", wanted)
    after = unit_affinities(db, CODE, "B6")
    assert after["ward"] == "rarely" and after["day_centre"] == "often"
    assert "community" not in after
    differing = [kind for kind, level in wanted.items() if before.get(kind) != level]
    assert changed == len(differing) > 0
    assert audit_count(db) == entries + changed
    action, detail = last_audit(db)
    assert action == "catalogue.set_affinity"
    last = differing[-1]
    assert detail == {
        "setting_type": last,
        "changes": {"affinity": [before.get(last), wanted[last]]},
    }


def test_a_bad_affinity_changes_nothing(db):
    before = unit_affinities(db, CODE, "B6")
    with pytest.raises(ServiceError, match="often, sometimes or rarely"):
        catalogue.set_unit_affinities(db, ADMIN, CODE, "B6", {"ward": "rarely", "day_centre": "x"})
    with pytest.raises(ServiceError, match="not a setting type"):
        catalogue.set_unit_affinities(db, ADMIN, CODE, "B6", {"ward": "rarely", "moon": "often"})
    with pytest.raises(PermissionDenied):
        catalogue.set_unit_affinities(db, TUTOR, CODE, "B6", {"ward": "rarely"})
    assert unit_affinities(db, CODE, "B6") == before


def test_the_settings_dialog_shows_and_saves_the_table(page, db, monkeypatch):
    saved = unit_affinities(db, CODE, "B6")
    shown = {}

    def fill(dialog):
        shown.update({kind: combo.currentData() for kind, combo in dialog.combos.items()})
        dialog.combos["mental_health_unit"].setCurrentIndex(
            dialog.combos["mental_health_unit"].findData("rarely")
        )
        dialog.combos["ward"].setCurrentIndex(dialog.combos["ward"].findData(None))
        dialog.save_button.click()
        return dialog.result() == 1

    monkeypatch.setattr(catalogue_page_module, "run_dialog", fill)
    assert not page.settings_button.isEnabled()  # until a unit is chosen
    select_unit(page, "B6")
    page.settings_button.click()
    assert {k: v for k, v in shown.items() if v is not None} == saved
    after = unit_affinities(db, CODE, "B6")
    assert after["mental_health_unit"] == "rarely"
    assert "ward" not in after


def test_an_unchanged_settings_dialog_saves_nothing(page, db):
    unit = load_qualification(db, CODE).unit("B6")
    dialog = catalogue_dialogs.UnitSettingsDialog(db, ADMIN, CODE, unit)
    count = audit_count(db)
    dialog.save_button.click()
    assert dialog.result() == 1
    assert audit_count(db) == count
    dialog.deleteLater()


def audit_count(db):
    with db.reading() as session:
        return session.scalar(select(func.count(models.AuditEntry.id)))


# Learning outcomes and criteria


def criteria_rows(dialog):
    return [
        (dialog.table.model().index(r, 1).data(), dialog.table.model().index(r, 2).data())
        for r in range(dialog.table.model().rowCount())
    ]


def test_criteria_lines_are_read_with_their_numbers():
    text = "1.1 Define duty of care\n\n1.2: Describe how it affects work\n  1.3 - Explain why"
    assert parse_criteria(text) == [
        ("1.1", "Define duty of care"),
        ("1.2", "Describe how it affects work"),
        ("1.3", "Explain why"),
    ]
    with pytest.raises(FieldError, match="Line 2 needs"):
        parse_criteria("1.1 Define\nDescribe")
    with pytest.raises(FieldError, match="one a line"):
        parse_criteria("  \n")


def test_an_outcome_added_in_the_dialog_is_listed_saved_and_audited(qtbot, db):
    unit = load_qualification(db, CODE).unit("A4")
    dialog = OutcomesDialog(db, ADMIN, CODE, unit)
    qtbot.addWidget(dialog)
    assert criteria_rows(dialog) == []
    assert dialog.empty_label.isVisibleTo(dialog)

    dialog.number_edit.setText("1")
    dialog.text_edit.setText("Understand the implications of duty of care")
    dialog.criteria_edit.setPlainText("1.1 Define duty of care\n1.2 Describe how it affects work")
    dialog.add_button.click()

    assert criteria_rows(dialog) == [
        ("1.1", "Define duty of care"),
        ("1.2", "Describe how it affects work"),
    ]
    assert dialog.message_label.text() == "Outcome 1 added with 2 criteria."
    assert dialog.number_edit.text() == "" and dialog.criteria_edit.toPlainText() == ""
    assert dialog.changed
    assert [o.number for o in unit_outcomes(db, CODE, "A4")] == ["1"]
    action, detail = last_audit(db)
    assert action == "catalogue.add_learning_outcome"
    assert detail["criteria"] == ["1.1", "1.2"]


def test_a_refused_outcome_keeps_the_typing_and_changes_nothing(qtbot, db):
    catalogue.add_learning_outcome(db, ADMIN, CODE, "A4", "1", "Understand", [("1.1", "Define")])
    dialog = OutcomesDialog(db, ADMIN, CODE, load_qualification(db, CODE).unit("A4"))
    qtbot.addWidget(dialog)
    dialog.number_edit.setText("2")
    dialog.text_edit.setText("Know how to respond")
    dialog.criteria_edit.setPlainText("1.1 Reused number")
    dialog.add_button.click()
    assert "must be unique within unit A4: 1.1" in dialog.message_label.text()
    assert dialog.criteria_edit.toPlainText() == "1.1 Reused number"  # kept to correct
    assert [o.number for o in unit_outcomes(db, CODE, "A4")] == ["1"]

    dialog.number_edit.clear()
    dialog.add_button.click()
    assert dialog.marks.message("number") == "Give the outcome's number, e.g. 1."


def test_everyone_reads_outcomes_and_only_an_administrator_adds(qtbot, db, monkeypatch):
    catalogue.add_learning_outcome(db, ADMIN, CODE, "A4", "1", "Understand", [("1.1", "Define")])
    seen = []

    def look(dialog):
        seen.append((criteria_rows(dialog), dialog.add_box.isVisibleTo(dialog)))
        return False

    monkeypatch.setattr(catalogue_page_module, "run_dialog", look)
    widget = CataloguePage(db)
    qtbot.addWidget(widget)
    widget.set_actor(TUTOR)
    assert not widget.outcomes_button.isEnabled()  # until a unit is chosen
    select_unit(widget, "A4")
    widget.outcomes_button.click()
    widget.set_actor(ADMIN)
    widget.outcomes_button.click()
    assert seen == [([("1.1", "Define")], False), ([("1.1", "Define")], True)]


def test_an_outcome_is_removed_after_asking_and_a_tutor_has_no_remove(qtbot, db, monkeypatch):
    from assessor_app.ui.dialogs import outcomes_dialog

    catalogue.add_learning_outcome(db, ADMIN, CODE, "A4", "1", "Understand", [("1.1", "Define")])
    catalogue.add_learning_outcome(db, ADMIN, CODE, "A4", "2", "Know", [("2.1", "Describe")])
    asked = []
    monkeypatch.setattr(
        outcomes_dialog, "ask_to_confirm", lambda parent, title, text, action: asked.append(text)
    )
    unit = load_qualification(db, CODE).unit("A4")
    dialog = OutcomesDialog(db, ADMIN, CODE, unit)
    qtbot.addWidget(dialog)
    assert not dialog.remove_button.isEnabled()  # until a criterion is chosen
    dialog.table.selectRow(1)
    dialog.remove_button.click()
    assert asked == ["Remove outcome 2 Know and its 1 criterion from A4?"]
    assert [o.number for o in unit_outcomes(db, CODE, "A4")] == ["1", "2"]  # said no

    monkeypatch.setattr(outcomes_dialog, "ask_to_confirm", lambda *args: True)
    dialog.remove_button.click()
    assert criteria_rows(dialog) == [("1.1", "Define")]
    assert dialog.message_label.text() == "Outcome 2 removed."
    assert [o.number for o in unit_outcomes(db, CODE, "A4")] == ["1"]

    tutor_view = OutcomesDialog(db, TUTOR, CODE, unit, may_edit=False)
    qtbot.addWidget(tutor_view)
    assert tutor_view.remove_button.isHidden()
