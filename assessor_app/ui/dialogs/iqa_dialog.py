"""An internal quality assurer samples an assessor's decision: a piece of assessed
evidence or a signed-off unit, agreed or with action required, with comments and the
date; the earlier samples of the same piece or unit are shown with their comments."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import TYPE_CHECKING

from assessor_app.domain.dates import format_date
from assessor_app.domain.wording import plural
from assessor_app.services.errors import FieldError
from assessor_app.services.evidence import record_iqa_sample
from assessor_app.services.evidence_queries import EvidenceRow, SampleRow, UnitEvidenceState
from assessor_app.services.roles import Actor
from assessor_app.ui.dialogs.form_dialog import FormDialog
from assessor_app.ui.models.evidence_table_model import samples_text, status_text
from assessor_app.ui.pages.record_tab import (
    date_edit,
    from_qdate,
    to_qdate,
)
from assessor_app.ui.qt import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    Qt,
    QVBoxLayout,
    QWidget,
    tr,
)

if TYPE_CHECKING:
    from assessor_app.store.database import Database

_PLACEHOLDERS = {
    "agreed": "Optional: what was done well, or anything to note.",
    "action_required": "What the assessor needs to do, and by when.",
}


def _evidence_intro(evidence: EvidenceRow) -> str:
    intro = tr("<b>{title}</b> ({method}, {on}) covers {covers}.").format(
        title=escape(evidence.title),
        method=escape(evidence.method_label),
        on=format_date(evidence.on_date),
        covers=escape(evidence.covers_text),
    )
    if evidence.assessed_on is not None:
        intro += " " + tr("{status} by {name} on {on}.").format(
            status=status_text(evidence.status),
            name=escape(evidence.assessed_by or tr("unknown")),
            on=format_date(evidence.assessed_on),
        )
    if evidence.feedback:
        intro += "<br>" + tr("Feedback: {feedback}").format(feedback=escape(evidence.feedback))
    return intro


def _unit_intro(unit: UnitEvidenceState) -> str:
    if unit.signed_off_on is None:
        return tr("Unit <b>{ref} {title}</b> is not signed off.").format(
            ref=escape(unit.ref), title=escape(unit.title)
        )
    return tr(
        "Unit <b>{ref} {title}</b> was signed off on {on} by {name}, backed by "
        "{pieces} of accepted evidence."
    ).format(
        ref=escape(unit.ref),
        title=escape(unit.title),
        on=format_date(unit.signed_off_on),
        name=escape(unit.signed_off_by or tr("unknown")),
        pieces=plural(unit.accepted_pieces, tr("piece"), tr("pieces")),
    )


class SampleDialog(FormDialog):
    """Record a quality assurance sample of one assessed piece of evidence or one
    signed-off unit (give exactly one). The service's refusal is shown at its field,
    or under the form, and what was typed stays."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        apprentice_id: int,
        *,
        evidence: EvidenceRow | None = None,
        unit: UnitEvidenceState | None = None,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        if (evidence is None) == (unit is None):
            raise ValueError("sample either one piece of evidence or one unit")
        samples: tuple[SampleRow, ...]
        if evidence is not None:
            title = tr("Sample evidence: {title}").format(title=evidence.title)
            intro_text, samples, decided = (
                _evidence_intro(evidence),
                evidence.samples,
                evidence.assessed_on,
            )
        else:
            assert unit is not None
            title = tr("Sample unit {ref}").format(ref=unit.ref)
            intro_text, samples, decided = _unit_intro(unit), unit.samples, unit.signed_off_on
        top = QWidget()
        super().__init__(title, parent, intro=top, save_text=tr("&Save sample"))
        self._db = db
        self._actor = actor
        self._apprentice_id = apprentice_id
        self.evidence = evidence
        self.unit = unit
        self.setObjectName("sampleDialog")
        self.save_button.setObjectName("saveSample")

        intro = QLabel(intro_text)
        intro.setObjectName("sampleSubject")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.earlier = QPlainTextEdit()
        self.earlier.setObjectName("earlierSamples")
        self.earlier.setReadOnly(True)
        self.earlier.setPlainText(samples_text(samples) if samples else tr("Not sampled before."))
        self.earlier.setMaximumHeight(110 if samples else 34)
        earlier_box = QGroupBox(tr("Earlier samples"))
        QVBoxLayout(earlier_box).addWidget(self.earlier)
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(intro)
        column.addWidget(earlier_box)

        self.agreed_radio = QRadioButton(tr("&Agreed"))
        self.agreed_radio.setObjectName("sampleAgreed")
        self.agreed_radio.setToolTip(tr("The assessor's decision is sound and well evidenced"))
        self.action_radio = QRadioButton(tr("Action &required"))
        self.action_radio.setObjectName("sampleActionRequired")
        self.action_radio.setToolTip(tr("The assessor must do something; say what in comments"))
        decision = QWidget()
        decision.setObjectName("sampleDecision")
        radios = QHBoxLayout(decision)
        radios.setContentsMargins(0, 0, 0, 0)
        radios.addWidget(self.agreed_radio)
        radios.addWidget(self.action_radio)
        radios.addStretch(1)
        for radio in (self.agreed_radio, self.action_radio):
            radio.toggled.connect(self._decision_changed)

        self.date_edit = date_edit(today or date.today(), "sampleDate")
        self.date_edit.setMaximumDate(self.date_edit.date())
        if decided is not None and decided <= from_qdate(self.date_edit.date()):
            # A sample follows the decision it checks.
            self.date_edit.setMinimumDate(to_qdate(decided))
        self.comments_edit = QPlainTextEdit()
        self.comments_edit.setObjectName("sampleComments")
        self.comments_edit.setTabChangesFocus(True)

        self.add_field("decision", tr("Decision:"), decision)
        self.add_field("on", tr("&Date:"), self.date_edit)
        self.add_field("comments", tr("&Comments:"), self.comments_edit)
        hint = QLabel(tr("Comments are needed when action is required."))
        hint.setWordWrap(True)
        self.form.addRow("", hint)
        self._decision_changed()
        self.resize(580, 480)

    def decision(self) -> str | None:
        if self.agreed_radio.isChecked():
            return "agreed"
        if self.action_radio.isChecked():
            return "action_required"
        return None

    def _decision_changed(self) -> None:
        chosen = self.decision()
        self.comments_edit.setPlaceholderText(
            tr(_PLACEHOLDERS[chosen]) if chosen else tr("Choose a decision first.")
        )

    def submit(self) -> None:
        decision = self.decision()
        if decision is None:
            raise FieldError("decision", tr("Choose Agreed or Action required."))
        db, actor, apprentice_id = self._db, self._actor, self._apprentice_id
        comments, on = self.comments_edit.toPlainText(), from_qdate(self.date_edit.date())
        unit_ref = self.unit.ref if self.unit is not None else None
        evidence_id = self.evidence.id if self.evidence is not None else None
        self.run(
            lambda: record_iqa_sample(
                db,
                actor,
                apprentice_id,
                decision=decision,
                comments=comments,
                unit_ref=unit_ref,
                evidence_id=evidence_id,
                on=on,
            )
        )
