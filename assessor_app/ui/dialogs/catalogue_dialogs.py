"""An administrator's catalogue edits: a unit's credit value, one rule of
combination (with a group's name), and the barred pairs. Each change is one
service call, so a refused change leaves the catalogue as it was."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from assessor_app.domain.catalogue import (
    BarredPair,
    Qualification,
    RuleScope,
    Unit,
    ValueStatus,
)
from assessor_app.domain.unit_map import SETTING_TYPES
from assessor_app.services import catalogue
from assessor_app.services.catalogue_queries import load_qualification, unit_affinities
from assessor_app.services.errors import FieldError, ServiceError
from assessor_app.services.roles import PermissionDenied
from assessor_app.ui.dialogs.form_dialog import FormDialog
from assessor_app.ui.dialogs.organisation_dialog import setting_type_label
from assessor_app.ui.models.column_table_model import Column
from assessor_app.ui.models.unit_table_model import status_label
from assessor_app.ui.pages.record_tab import ask_to_confirm, message_label, show_message
from assessor_app.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.widgets.record_table import RecordTable
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database

T = TypeVar("T")
NO_LIMIT = -1  # the spin boxes' lowest value, shown as "no limit"


class UnitValueDialog(FormDialog):
    """Enter or correct one unit's credits and how far the value can be trusted."""

    def __init__(
        self, db: Database, actor: Actor, code: str, unit: Unit, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            tr("Credit value of {ref}").format(ref=unit.ref),
            parent,
            intro=tr(
                "{ref} {title}. Confirmed: from the awarding body's specification. "
                "Indicative: borrowed from a similar unit, to confirm. Missing: the unit "
                "cannot count until a value is entered."
            ).format(ref=unit.ref, title=unit.title),
        )
        self._db, self._actor, self._code, self._unit = db, actor, code, unit
        self.status_combo = QComboBox()
        for status in ValueStatus:
            self.status_combo.addItem(status_label(status), status.value)
        self.status_combo.setCurrentIndex(self.status_combo.findData(unit.value_status.value))
        self.add_field("value_status", tr("&Value:"), self.status_combo)
        self.credits_spin = QSpinBox()
        self.credits_spin.setRange(1, catalogue.MAX_UNIT_CREDITS)
        self.credits_spin.setValue(unit.credits or 1)
        self.add_field("credits", tr("&Credits:"), self.credits_spin)
        self.status_combo.currentIndexChanged.connect(self._status_changed)
        self._status_changed()

    def status(self) -> ValueStatus:
        return ValueStatus(self.status_combo.currentData())

    def _status_changed(self) -> None:
        self.credits_spin.setEnabled(self.status() is not ValueStatus.MISSING)

    def submit(self) -> None:
        status = self.status()
        credits = None if status is ValueStatus.MISSING else self.credits_spin.value()
        db, actor, code, ref = self._db, self._actor, self._code, self._unit.ref
        self.run(lambda: catalogue.set_unit_credits(db, actor, code, ref, credits, status))

    def field_for(self, exc: ServiceError) -> str | None:
        return "credits" if "credit" in str(exc).lower() else None


_AFFINITY_CHOICES = (
    (None, tr("Not judged")),
    ("often", tr("Often")),
    ("sometimes", tr("Sometimes")),
    ("rarely", tr("Rarely")),
)


class UnitSettingsDialog(FormDialog):
    """How often each kind of placement setting gives the chance to evidence one unit:
    the unit map and its placement suggestions read this table."""

    def __init__(
        self, db: Database, actor: Actor, code: str, unit: Unit, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            tr("Where {ref} can be evidenced").format(ref=unit.ref),
            parent,
            intro=tr(
                "{ref} {title}. For each kind of setting, how often does a placement there "
                "give the chance to evidence this unit? The unit map suggests placements "
                "from these answers and warns when a unit is planned where it is rarely "
                "seen. Not judged: no suggestion either way."
            ).format(ref=unit.ref, title=unit.title),
        )
        self._db, self._actor, self._code, self._unit = db, actor, code, unit
        self.saved = unit_affinities(db, code, unit.ref)
        self.combos: dict[str, QComboBox] = {}
        for setting_type in SETTING_TYPES:
            combo = QComboBox()
            for level, text in _AFFINITY_CHOICES:
                combo.addItem(text, level)
            combo.setCurrentIndex(combo.findData(self.saved.get(setting_type)))
            # A label's & marks its shortcut key: 'A&E' must show its ampersand.
            label = tr("{setting}:").format(
                setting=setting_type_label(setting_type).replace("&", "&&")
            )
            self.add_field(setting_type, label, combo)
            self.combos[setting_type] = combo

    def levels(self) -> dict[str, str | None]:
        """The answers that differ from what is saved."""
        chosen = {kind: combo.currentData() for kind, combo in self.combos.items()}
        return {kind: level for kind, level in chosen.items() if level != self.saved.get(kind)}

    def submit(self) -> int:
        changes = self.levels()
        if not changes:
            return 0
        db, actor, code, ref = self._db, self._actor, self._code, self._unit.ref
        return catalogue.set_unit_affinities(db, actor, code, ref, changes)


@dataclass(frozen=True)
class _RuleChoice:
    scope: RuleScope
    group: str | None


class RuleDialog(FormDialog):
    """The limits of one rule (total, optional units or a group) and a group's name."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        qual: Qualification,
        parent: QWidget | None = None,
        *,
        group: str | None = None,
    ) -> None:
        super().__init__(
            tr("Rules of combination"),
            parent,
            intro=tr(
                "Choose a rule, then set its minimum and maximum credits (either may be "
                "'no limit'; both removes the rule). Every apprentice's choice is checked "
                "against the new limits at once."
            ),
        )
        self._db, self._actor, self._qual = db, actor, qual
        self.rule_combo = QComboBox()
        self._choices: list[_RuleChoice] = [
            _RuleChoice(RuleScope.TOTAL, None),
            _RuleChoice(RuleScope.OPTIONAL, None),
        ]
        self.rule_combo.addItem(tr("Total credits"))
        self.rule_combo.addItem(tr("Optional credits"))
        for g in qual.groups:
            self._choices.append(_RuleChoice(RuleScope.GROUP, g.code))
            self.rule_combo.addItem(tr("Group {code}: {name}").format(code=g.code, name=g.name))
        self.add_field("rule", tr("&Rule:"), self.rule_combo)
        self.name_edit = self.line("name", tr("Group &name:"))
        self.min_spin = self._limit_spin()
        self.add_field("min_credits", tr("&At least:"), self.min_spin)
        self.max_spin = self._limit_spin()
        self.add_field("max_credits", tr("At &most:"), self.max_spin)
        self.rule_combo.currentIndexChanged.connect(self._rule_chosen)
        if group is not None:
            self.rule_combo.setCurrentIndex(
                next(i for i, c in enumerate(self._choices) if c.group == group)
            )
        self._rule_chosen()

    @staticmethod
    def _limit_spin() -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(NO_LIMIT, catalogue.MAX_RULE_CREDITS)
        spin.setSpecialValueText(tr("no limit"))
        spin.setSuffix(tr(" credits"))
        return spin

    def choice(self) -> _RuleChoice:
        return self._choices[self.rule_combo.currentIndex()]

    def _rule_chosen(self) -> None:
        choice = self.choice()
        rule = next(
            (r for r in self._qual.rules if r.scope is choice.scope and r.group == choice.group),
            None,
        )
        self.min_spin.setValue(
            NO_LIMIT if rule is None or rule.min_credits is None else rule.min_credits
        )
        self.max_spin.setValue(
            NO_LIMIT if rule is None or rule.max_credits is None else rule.max_credits
        )
        is_group = choice.group is not None
        self.name_edit.setEnabled(is_group)
        self.name_edit.setText(self._qual.group(choice.group).name if is_group else "")
        self.marks.clear()

    def submit(self) -> None:
        choice = self.choice()
        low = None if self.min_spin.value() == NO_LIMIT else self.min_spin.value()
        high = None if self.max_spin.value() == NO_LIMIT else self.max_spin.value()
        name = self.name_edit.text()
        db, actor, code = self._db, self._actor, self._qual.code
        renamed = choice.group is not None and name.strip() != self._qual.group(choice.group).name
        if renamed and not name.strip():
            raise FieldError("name", tr("Give the group a name."))

        def save() -> None:
            catalogue.set_credit_rule(db, actor, code, choice.scope, low, high, group=choice.group)
            if renamed and choice.group is not None:
                catalogue.rename_group(db, actor, code, choice.group, name)

        self.run(save)


def _pair_text(qual: Qualification, ref: str) -> str:
    return tr("{ref} {title}").format(ref=ref, title=qual.unit(ref).title)


class CatalogueListDialog(QDialog):
    """A list of catalogue entries with changes made one at a time: each runs off
    the window's thread, then the list is read again and a message says what changed
    (or why it was refused). `changed` tells the page to show the catalogue again."""

    def __init__(self, title: str, message_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.changed = False
        self.message_label = message_label(message_name)

    def run_change(
        self,
        work: Callable[[], object],
        reread: Callable[[], T],
        show: Callable[[T], None],
        done_text: str,
    ) -> None:
        def change() -> T:
            work()
            return reread()

        def done(value: T) -> None:
            self.changed = True
            show(value)
            show_message(self.message_label, done_text)

        def failed(exc: Exception) -> None:
            if not isinstance(exc, ServiceError | PermissionDenied):
                raise exc
            show_message(self.message_label, str(exc), error=True)

        run_task(change, done, failed, owner=self)


class BarredPairsDialog(CatalogueListDialog):
    """List the pairs that cannot count together; add or remove one at a time."""

    def __init__(
        self, db: Database, actor: Actor, qual: Qualification, parent: QWidget | None = None
    ) -> None:
        super().__init__(tr("Barred pairs"), "pairMessage", parent)
        self._db, self._actor, self._qual = db, actor, qual
        columns: list[Column[BarredPair]] = [
            Column(tr("Unit"), lambda p: _pair_text(self._qual, p.unit_a)),
            Column(tr("Cannot count with"), lambda p: _pair_text(self._qual, p.unit_b)),
            Column(tr("Reason"), lambda p: p.reason),
        ]
        self.table: RecordTable[BarredPair] = RecordTable(columns, stretch=2)
        self.table.setObjectName("barredPairTable")
        self.remove_button = QPushButton(tr("&Remove pair…"))
        self.remove_button.setObjectName("removePair")
        self.remove_button.setToolTip(tr("Let the chosen two units count together again"))

        self.unit_a_combo = QComboBox()
        self.unit_a_combo.setObjectName("pairUnitA")
        self.unit_b_combo = QComboBox()
        self.unit_b_combo.setObjectName("pairUnitB")
        for unit in qual.optional_units:
            for combo in (self.unit_a_combo, self.unit_b_combo):
                combo.addItem(_pair_text(qual, unit.ref), unit.ref)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("pairReason")
        self.reason_edit.setPlaceholderText(tr("e.g. the same content at another level"))
        self.add_button = QPushButton(tr("&Add pair"))
        self.add_button.setObjectName("addPair")

        add_box = QGroupBox(tr("Add a barred pair"))
        add_form = QFormLayout(add_box)
        add_form.addRow(tr("&Unit:"), self.unit_a_combo)
        add_form.addRow(tr("&Cannot count with:"), self.unit_b_combo)
        add_form.addRow(tr("R&eason:"), self.reason_edit)
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        add_form.addRow(add_row)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_button)
        intro = QLabel(
            tr(
                "Each pair below cannot both count towards {title}: a choice with both is "
                "shown as a problem to fix."
            ).format(title=qual.title)
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(remove_row)
        layout.addWidget(add_box)
        layout.addWidget(self.message_label)
        layout.addWidget(close)
        self.resize(760, 520)

        self.add_button.clicked.connect(self.add_pair)
        self.remove_button.clicked.connect(self.remove_pair)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._show(qual)

    def _show(self, qual: Qualification) -> None:
        self._qual = qual
        self.table.set_rows(list(qual.barred_pairs))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.table.current_record() is not None)

    def _run(self, work: Callable[[], object], done_text: str) -> None:
        db, code = self._db, self._qual.code
        self.run_change(work, lambda: load_qualification(db, code), self._show, done_text)

    def add_pair(self) -> None:
        a, b = self.unit_a_combo.currentData(), self.unit_b_combo.currentData()
        reason = self.reason_edit.text()
        db, actor, code = self._db, self._actor, self._qual.code
        self.reason_edit.clear()
        self._run(
            lambda: catalogue.add_barred_pair(db, actor, code, a, b, reason),
            tr("{a} and {b} can no longer count together.").format(a=a, b=b),
        )

    def remove_pair(self) -> None:
        pair = self.table.current_record()
        if pair is None:
            return
        if not ask_to_confirm(
            self,
            tr("Remove barred pair"),
            tr("Let {a} and {b} count together again?").format(a=pair.unit_a, b=pair.unit_b),
            tr("Remove"),
        ):
            return
        db, actor, code = self._db, self._actor, self._qual.code
        self._run(
            lambda: catalogue.remove_barred_pair(db, actor, code, pair.unit_a, pair.unit_b),
            tr("{a} and {b} can count together again.").format(a=pair.unit_a, b=pair.unit_b),
        )
