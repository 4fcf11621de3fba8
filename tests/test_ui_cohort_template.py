"""The cohort's unit template from the Cohorts page: choosing each unit's placement
period (saved at once and audited), applying the template to every apprentice, and
who may do so."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import apprentice_id, sign_in

from assessor_app.services.audit_queries import AuditFilter, find_audit_entries
from assessor_app.services.cohorts import CohortInput, update_cohort
from assessor_app.services.planner_queries import TemplatePeriod, cohort_rows, cohort_template
from assessor_app.services.progress_queries import apprentice_progress
from assessor_app.services.unit_plans import plan_unit, set_cohort_template
from assessor_app.ui import workers
from assessor_app.ui.dialogs.cohort_template_dialog import (
    CohortTemplateDialog,
    TemplateModel,
    period_label,
)
from assessor_app.ui.pages.cohorts_page import CohortsPage
from assessor_app.ui.qt import QApplication, QComboBox, QDialog, QLabel, QMessageBox, Qt

TRUST = "NHS Trust cohort"

# Choosing a period opens the list at once; the offscreen platform says it cannot
# raise the list or give it the keyboard.
pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@pytest.fixture(autouse=True)
def _inline_tasks():
    workers.use_pool(workers.InlinePool())
    yield
    workers.use_pool(None)


def cohort_id(db, actor, name: str = TRUST) -> int:
    return next(c.id for c in cohort_rows(db, actor) if c.name == name)


def open_dialog(qtbot, db, actor, name: str = TRUST) -> CohortTemplateDialog:
    dialog = CohortTemplateDialog(db, actor, cohort_id(db, actor, name), name)
    qtbot.addWidget(dialog)
    return dialog


def period_cell(dialog: CohortTemplateDialog, ref: str):
    proxy = dialog.proxy
    for row in range(proxy.rowCount()):
        if proxy.index(row, TemplateModel.REF).data() == ref:
            return proxy.index(row, TemplateModel.PERIOD)
    raise AssertionError(f"no row for {ref}")


def shown_period(dialog: CohortTemplateDialog, ref: str) -> str:
    return period_cell(dialog, ref).data()


def choose_period(dialog: CohortTemplateDialog, ref: str, choice: str) -> None:
    """Open the unit's Period cell the way a double-click does and pick `choice`."""
    index = period_cell(dialog, ref)
    dialog.table.setCurrentIndex(index)
    dialog.table.edit(index)
    combo = dialog.table.indexWidget(index)
    assert isinstance(combo, QComboBox)
    QApplication.processEvents()  # the list opens, as it does before anyone can click
    position = combo.findText(choice)
    assert position >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(position)
    combo.hidePopup()  # as a click on the item does; a list left open outlives the test
    combo.activated.emit(position)


def stub_question(monkeypatch, reply=QMessageBox.StandardButton.Yes) -> list[str]:
    asked: list[str] = []

    def question(parent, title, text, *rest):
        asked.append(text)
        return reply

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_period_labels_give_the_dates_of_each_period():
    assert period_label(TemplatePeriod(1, date(2026, 8, 1), date(2026, 10, 31))) == (
        "Period 1 (1 Aug – 31 Oct 2026)"
    )
    assert period_label(TemplatePeriod(2, date(2026, 11, 1), date(2027, 1, 31))) == (
        "Period 2 (1 Nov 2026 – 31 Jan 2027)"
    )


def test_periods_chosen_in_the_dialog_are_saved_audited_and_shown_after_reopening(qtbot, demo):
    coordinator = sign_in(demo, "coordinator")
    dialog = open_dialog(qtbot, demo, coordinator)
    template = cohort_template(demo, coordinator, cohort_id(demo, coordinator))
    third = period_label(template.periods[2])
    assert dialog.model.rowCount() == len(template.units) == 55
    assert shown_period(dialog, "A1") == period_label(template.periods[0])  # the demo's
    assert shown_period(dialog, "B3") == "—"
    assert dialog.summary.text() == "18 of 55 units in the template; 5 placement periods."

    choose_period(dialog, "B3", third)
    assert shown_period(dialog, "B3") == third
    assert dialog.message.text() == f"B3 is now in {third}."
    choose_period(dialog, "A1", "— (not in the template)")
    assert shown_period(dialog, "A1") == "—"
    assert dialog.message.text() == "A1 is no longer in the template."
    assert dialog.summary.text().startswith("18 of 55 units")  # one in, one out

    entries = find_audit_entries(
        demo, sign_in(demo, "admin"), AuditFilter(username="coordinator", entity="cohort")
    ).rows
    changes = {
        e.detail["unit"]: e.detail["changes"]["period"]
        for e in entries
        if e.action == "cohort.unit_template"
    }
    assert changes == {"B3": [None, 3], "A1": [1, None]}

    again = open_dialog(qtbot, demo, coordinator)
    assert shown_period(again, "B3") == third
    assert shown_period(again, "A1") == "—"


def test_applying_plans_units_in_that_periods_placement_and_leaves_planned_ones_alone(
    qtbot, monkeypatch, demo
):
    coordinator = sign_in(demo, "coordinator")
    ella = apprentice_id(demo, coordinator, "Ella Thompson")
    plan_unit(demo, coordinator, ella, "A3", None)  # A3 is now unplanned for Ella
    before = apprentice_progress(demo, coordinator, ella).unit_map
    a1_before = next(r.planned_placement for r in before.rows if r.ref == "A1")
    assert a1_before == before.placements[0].id

    page = CohortsPage(demo, coordinator)
    qtbot.addWidget(page)
    assert page.template_button.isVisibleTo(page)
    assert page.table.select_where(TRUST, lambda c: c.name)
    asked = stub_question(monkeypatch)
    opened: list[CohortTemplateDialog] = []

    def run(dialog):
        opened.append(dialog)
        periods = dialog.model.periods
        choose_period(dialog, "A3", period_label(periods[2]))
        choose_period(dialog, "A1", period_label(periods[1]))  # A1 is planned already
        dialog.apply_button.click()
        return QDialog.DialogCode.Rejected  # closed with Close

    monkeypatch.setattr(CohortTemplateDialog, "exec", run)
    page.template_button.click()

    (dialog,) = opened
    assert dialog.windowTitle() == f"Unit template: {TRUST}"
    assert asked == ["Plan 1 unit for 1 apprentice; units already planned are left alone."]
    assert dialog.plans_made == 1
    assert dialog.message.text().startswith("1 unit plan made.")
    assert page.status_label.text() == f"1 unit plan made from the unit template of {TRUST}."

    after = apprentice_progress(demo, coordinator, ella).unit_map
    planned = {r.ref: r.planned_placement for r in after.rows}
    assert planned["A3"] == after.placements[2].id  # her third placement
    assert planned["A1"] == a1_before  # untouched, though the template now says period 2

    # Everything is planned now: applying again says so rather than asking.
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    asked.clear()
    dialog.apply_button.click()
    assert asked == []
    assert told[0].startswith("There is nothing to plan")


def test_a_refused_period_is_explained_in_the_dialog_and_nothing_changes(qtbot, monkeypatch, demo):
    coordinator = sign_in(demo, "coordinator")
    dialog = open_dialog(qtbot, demo, coordinator)
    fifth = period_label(dialog.model.periods[4])
    # Meanwhile someone shortens the cohort's pattern to three placements.
    row = next(c for c in cohort_rows(demo, coordinator) if c.name == TRUST)
    update_cohort(
        demo,
        sign_in(demo, "admin"),
        row.id,
        CohortInput(
            row.name,
            row.employer_id,
            row.training_provider_id,
            row.qualification_code,
            row.start_date,
            row.contracted_hours_per_week,
            row.awarding_body,
            row.off_the_job_pattern,
            placement_count=3,
            placement_months=row.placement_months,
            last_placement_pvi=row.last_placement_pvi,
        ),
        expected_version=row.version,
    )

    choose_period(dialog, "B3", fifth)

    assert dialog.message.isVisibleTo(dialog)
    assert dialog.message.text() == "Placement period must be between 1 and 3, not 5."
    assert "Traceback" not in dialog.message.text()
    template = cohort_template(demo, coordinator, row.id)
    assert next(u.period for u in template.units if u.ref == "B3") is None
    # The table was read again: three periods, and C13's period 5 says it is beyond them.
    assert len(dialog.model.periods) == 3
    assert shown_period(dialog, "B3") == "—"
    assert shown_period(dialog, "C13") == "Period 5 (beyond the cohort's 3 placements)"


def test_a_period_changed_by_someone_else_is_not_overwritten(qtbot, demo):
    coordinator = sign_in(demo, "coordinator")
    dialog = open_dialog(qtbot, demo, coordinator)
    second, third = (period_label(p) for p in dialog.model.periods[1:3])
    # Meanwhile a colleague puts B3 in the second period.
    set_cohort_template(demo, sign_in(demo, "admin"), cohort_id(demo, coordinator), "B3", 2)

    choose_period(dialog, "B3", third)

    assert dialog.message.text().startswith(
        "Someone else changed the template for B3 after you opened it: it is now in period 2."
    )
    template = cohort_template(demo, coordinator, cohort_id(demo, coordinator))
    assert next(u.period for u in template.units if u.ref == "B3") == 2  # theirs is kept
    assert shown_period(dialog, "B3") == second  # the table shows it as it is now


def test_a_role_without_choose_units_sees_no_template_button(qtbot, monkeypatch, demo):
    iqa = sign_in(demo, "iqa")
    page = CohortsPage(demo, iqa)
    qtbot.addWidget(page)
    assert page.table.current_record() is not None
    assert not page.template_button.isVisibleTo(page)
    monkeypatch.setattr(CohortTemplateDialog, "exec", lambda self: pytest.fail("opened"))
    page.unit_template()  # a shortcut or stale button press does nothing

    # Tutors choose units, so they have it.
    page.set_actor(sign_in(demo, "tutor"))
    assert page.template_button.isVisibleTo(page)


def test_the_template_reads_only_for_a_role_without_choose_units(qtbot, demo):
    dialog = open_dialog(qtbot, demo, sign_in(demo, "iqa"))
    index = period_cell(dialog, "A1")
    assert not dialog.proxy.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not dialog.apply_button.isVisibleTo(dialog)
    assert "Read only" in dialog.findChild(QLabel, "templateIntro").text()
    # Even a forced edit reaches no service.
    assert not dialog.proxy.setData(index, 3, Qt.ItemDataRole.EditRole)
    assert shown_period(dialog, "A1").startswith("Period 1")


def test_a_unit_with_no_credit_value_says_it_is_not_confirmed(qtbot, demo):
    dialog = open_dialog(qtbot, demo, sign_in(demo, "coordinator"))
    units = {u.ref: u for u in dialog.model.rows()}
    assert units["B6"].credits is None
    row = dialog.model.rows().index(units["B6"])
    assert dialog.model.index(row, TemplateModel.CREDITS).data() == "not confirmed"
    assert dialog.model.index(row, TemplateModel.GROUP).data() == "Optional units (group B)"
