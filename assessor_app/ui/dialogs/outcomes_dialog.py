"""A unit's learning outcomes and assessment criteria, as the awarding body's
specification lists them: evidence is recorded against the criteria. Administrators
add an outcome with its criteria here, or many at once with File > Import."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assessor_app.domain.wording import plural
from assessor_app.services import catalogue
from assessor_app.services.catalogue_queries import OutcomeView, unit_outcomes
from assessor_app.services.errors import FieldError
from assessor_app.ui.dialogs.catalogue_dialogs import CatalogueListDialog
from assessor_app.ui.models.column_table_model import Column
from assessor_app.ui.pages.record_tab import FieldMarks, ask_to_confirm, with_error_line
from assessor_app.ui.qt import (
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from assessor_app.domain.catalogue import Unit
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database

# "1.2 Explain why..." or "1.2: Explain..." or "1.2 - Explain...": a number, then the text.
_CRITERION_LINE = re.compile(r"^\s*(\S+?)[\s:.\-–]*\s+(\S.*)$")


@dataclass(frozen=True)
class CriterionRow:
    outcome_number: str
    outcome: str  # "1 Understand ..."
    number: str
    text: str


def parse_criteria(text: str) -> list[tuple[str, str]]:
    """One criterion a line, its number first: [(number, text)]. A line without both
    is refused naming the line; blank lines are skipped."""
    criteria: list[tuple[str, str]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _CRITERION_LINE.match(line)
        if match is None:
            raise FieldError(
                "criteria",
                tr(
                    "Line {line} needs the criterion's number, then its text, "
                    "e.g. '1.1 Describe what duty of care means'."
                ).format(line=n),
            )
        criteria.append((match.group(1).rstrip(".:"), match.group(2).strip()))
    if not criteria:
        raise FieldError("criteria", tr("List the outcome's criteria, one a line."))
    return criteria


def _rows(outcomes: list[OutcomeView]) -> list[CriterionRow]:
    return [
        CriterionRow(
            o.number, tr("{number} {text}").format(number=o.number, text=o.text), number, text
        )
        for o in outcomes
        for number, text in o.criteria
    ]


class OutcomesDialog(CatalogueListDialog):
    def __init__(
        self,
        db: Database,
        actor: Actor,
        code: str,
        unit: Unit,
        parent: QWidget | None = None,
        *,
        may_edit: bool = True,
    ) -> None:
        super().__init__(
            tr("Outcomes and criteria of {ref}").format(ref=unit.ref), "outcomeMessage", parent
        )
        self._db, self._actor, self._code, self._unit = db, actor, code, unit
        self.outcomes: list[OutcomeView] = []
        columns: list[Column[CriterionRow]] = [
            Column(tr("Learning outcome"), lambda r: r.outcome, cell_tip=lambda r: r.outcome),
            Column(tr("Criterion"), lambda r: r.number),
            Column(tr("Assessment criterion"), lambda r: r.text, cell_tip=lambda r: r.text),
        ]
        self.table: RecordTable[CriterionRow] = RecordTable(columns, stretch=2)
        self.table.setObjectName("criteriaTable")
        # An outcome's wording repeats on each of its criteria: a narrower column (the
        # tooltip has it whole) leaves the criteria their room.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, self.fontMetrics().averageCharWidth() * 36)
        self.empty_label = QLabel(
            tr(
                "No learning outcomes are recorded for this unit yet: evidence is recorded "
                "against the unit as a whole until they are."
            )
        )
        self.empty_label.setWordWrap(True)
        self.remove_button = QPushButton(tr("&Remove outcome…"))
        self.remove_button.setObjectName("removeOutcome")
        self.remove_button.setToolTip(
            tr("Take the chosen criterion's outcome, with all its criteria, out of the unit")
        )
        self.remove_button.setVisible(may_edit)

        self.marks = FieldMarks()
        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("outcomeNumber")
        self.number_edit.setPlaceholderText(tr("e.g. 1"))
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("outcomeText")
        self.text_edit.setPlaceholderText(tr("e.g. Understand the meaning of duty of care"))
        self.criteria_edit = QPlainTextEdit()
        self.criteria_edit.setObjectName("outcomeCriteria")
        self.criteria_edit.setPlaceholderText(
            tr("One a line, number first:\n1.1 Define duty of care\n1.2 Describe how …")
        )
        self.criteria_edit.setTabChangesFocus(True)
        self.criteria_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 6)
        self.add_button = QPushButton(tr("&Add outcome"))
        self.add_button.setObjectName("addOutcome")
        self.add_button.setToolTip(tr("Add the learning outcome with its criteria"))

        self.add_box = QGroupBox(tr("Add a learning outcome"))
        form = QFormLayout(self.add_box)
        for field, label, widget in (
            ("number", tr("&Number:"), self.number_edit),
            ("text", tr("&Outcome:"), self.text_edit),
            ("criteria", tr("&Criteria:"), self.criteria_edit),
        ):
            form.addRow(label, with_error_line(widget, self.marks.add(field, widget)))
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        form.addRow(add_row)
        self.add_box.setVisible(may_edit)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        intro = QLabel(tr("{ref} {title}.").format(ref=unit.ref, title=unit.title))
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_button)
        layout.addLayout(remove_row)
        layout.addWidget(self.add_box)
        layout.addWidget(self.message_label)
        layout.addWidget(close)
        self.resize(820, 600)

        self.add_button.clicked.connect(self.add_outcome)
        self.remove_button.clicked.connect(self.remove_outcome)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._show(unit_outcomes(db, code, unit.ref))

    def _show(self, outcomes: list[OutcomeView]) -> None:
        self.outcomes = outcomes
        self.table.set_rows(_rows(outcomes))
        self.empty_label.setVisible(not outcomes)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.table.current_record() is not None)

    def remove_outcome(self) -> None:
        row = self.table.current_record()
        if row is None:
            return
        outcome = next(o for o in self.outcomes if o.number == row.outcome_number)
        if not ask_to_confirm(
            self,
            tr("Remove learning outcome"),
            tr("Remove outcome {outcome} and its {criteria} from {ref}?").format(
                outcome=row.outcome,
                criteria=plural(len(outcome.criteria), "criterion", "criteria"),
                ref=self._unit.ref,
            ),
            tr("Remove"),
        ):
            return
        db, actor, code, ref = self._db, self._actor, self._code, self._unit.ref
        self.run_change(
            lambda: catalogue.remove_learning_outcome(db, actor, code, ref, outcome.number),
            lambda: unit_outcomes(db, code, ref),
            self._show,
            tr("Outcome {number} removed.").format(number=outcome.number),
        )

    def add_outcome(self) -> None:
        self.marks.clear()
        number, text = self.number_edit.text().strip(), self.text_edit.text().strip()
        try:
            if not number:
                raise FieldError("number", tr("Give the outcome's number, e.g. 1."))
            if not text:
                raise FieldError("text", tr("Give the outcome's wording."))
            criteria = parse_criteria(self.criteria_edit.toPlainText())
        except FieldError as exc:
            self.marks.show_refusal(exc, self.message_label)
            return
        db, actor, code, ref = self._db, self._actor, self._code, self._unit.ref

        def shown(outcomes: list[OutcomeView]) -> None:
            self._show(outcomes)
            for edit in (self.number_edit, self.text_edit):
                edit.clear()
            self.criteria_edit.clear()

        self.run_change(
            lambda: catalogue.add_learning_outcome(db, actor, code, ref, number, text, criteria),
            lambda: unit_outcomes(db, code, ref),
            shown,
            tr("Outcome {number} added with {criteria}.").format(
                number=number, criteria=plural(len(criteria), "criterion", "criteria")
            ),
        )
