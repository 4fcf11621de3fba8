"""Browse a qualification's units and its rules of combination."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from assessor_app.domain.catalogue import CreditRule, Qualification, RuleScope, Unit, ValueStatus
from assessor_app.services.catalogue_queries import list_qualifications, load_qualification
from assessor_app.services.errors import ServiceError
from assessor_app.services.roles import Actor, Permission
from assessor_app.ui.dialogs.catalogue_dialogs import (
    BarredPairsDialog,
    RuleDialog,
    UnitSettingsDialog,
    UnitValueDialog,
)
from assessor_app.ui.dialogs.outcomes_dialog import OutcomesDialog
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SortFilterProxy
from assessor_app.ui.models.unit_table_model import UnitTableModel
from assessor_app.ui.pages.record_tab import run_dialog
from assessor_app.ui.qt import (
    QAbstractItemView,
    QAction,
    QComboBox,
    QFont,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.widgets.column_fit import ColumnFitter

if TYPE_CHECKING:
    from assessor_app.store.database import Database

# (at least, at most, between, exactly) for each kind of rule.
_RULE_WORDING = {
    RuleScope.TOTAL: (
        "at least {min} credits in total",
        "at most {max} credits in total",
        "{min} to {max} credits in total",
        "exactly {min} credits in total",
    ),
    RuleScope.OPTIONAL: (
        "at least {min} optional credits",
        "at most {max} optional credits",
        "{min} to {max} optional credits",
        "exactly {min} optional credits",
    ),
    RuleScope.GROUP: (
        "at least {min} from group {group}",
        "at most {max} from group {group}",
        "{min} to {max} from group {group}",
        "exactly {min} from group {group}",
    ),
}


def _rule_clause(rule: CreditRule) -> str:
    at_least, at_most, between, exactly = _RULE_WORDING[rule.scope]
    if rule.max_credits is None:
        template = at_least
    elif rule.min_credits is None:
        template = at_most
    elif rule.min_credits == rule.max_credits:
        template = exactly
    else:
        template = between
    return tr(template).format(min=rule.min_credits, max=rule.max_credits, group=rule.group)


def describe_rules(qual: Qualification) -> str:
    """The rules of combination as one plain sentence, built from the rules data."""
    group_order = {group.code: n for n, group in enumerate(qual.groups)}
    clauses = [_rule_clause(r) for r in qual.rules if r.scope is RuleScope.TOTAL]
    clauses += [
        tr("all group {group} units").format(group=g.code) for g in qual.groups if g.mandatory
    ]
    clauses += [_rule_clause(r) for r in qual.rules if r.scope is RuleScope.OPTIONAL]
    group_rules = [r for r in qual.rules if r.scope is RuleScope.GROUP]
    group_rules.sort(key=lambda r: group_order.get(r.group or "", len(group_order)))
    clauses += [_rule_clause(r) for r in group_rules]
    if not clauses:
        return tr("No rules of combination are recorded for this qualification.")
    sentence = tr("{clauses}.").format(clauses=tr("; ").join(clauses))
    sentence = sentence[:1].upper() + sentence[1:]
    if qual.barred_pairs:
        pairs = tr("; ").join(
            tr("{unit_a} with {unit_b}").format(unit_a=p.unit_a, unit_b=p.unit_b)
            for p in qual.barred_pairs
        )
        sentence = tr("{rules} Units that cannot be taken together: {pairs}.").format(
            rules=sentence, pairs=pairs
        )
    return sentence


def summarise_units(qual: Qualification) -> str:
    """How many units each group holds, and how many credit values are not confirmed."""
    per_group = Counter(unit.group for unit in qual.units)
    groups = tr(", ").join(
        tr("{count} in group {group}").format(count=per_group[g.code], group=g.code)
        for g in qual.groups
    )
    statuses = Counter(unit.value_status for unit in qual.units)
    indicative = statuses[ValueStatus.INDICATIVE]
    missing = statuses[ValueStatus.MISSING]
    text = tr("{total} units: {groups}.").format(total=len(qual.units), groups=groups)
    if indicative or missing:
        text = tr(
            "{units} Credit values: {indicative} indicative (to confirm), "
            "{missing} missing (those units cannot count yet)."
        ).format(units=text, indicative=indicative, missing=missing)
    else:
        text = tr("{units} All credit values are confirmed.").format(units=text)
    return text


class CataloguePage(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._actor: Actor | None = None
        self.qualification: Qualification | None = None

        self.qualification_combo = QComboBox()
        self.qualification_combo.setObjectName("qualificationCombo")
        self.qualification_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        chooser_label = QLabel(tr("&Qualification:"))
        chooser_label.setBuddy(self.qualification_combo)

        self.title_label = QLabel()
        self.title_label.setObjectName("qualificationTitle")
        title_font = QFont(self.title_label.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.5)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.awarding_body_label = QLabel()
        self.awarding_body_label.setObjectName("awardingBody")

        rules_caption = QLabel(tr("Rules of combination:"))
        caption_font = QFont(rules_caption.font())
        caption_font.setBold(True)
        rules_caption.setFont(caption_font)
        rules_caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.rules_label = QLabel()
        self.rules_label.setObjectName("rulesOfCombination")
        self.rules_label.setWordWrap(True)
        self.rules_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rules_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("unitSummary")
        self.summary_label.setWordWrap(True)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("unitSearch")
        self.search_edit.setPlaceholderText(tr("Search units by title or ref, e.g. dementia"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(200)
        search_label = QLabel(tr("&Search:"))
        search_label.setBuddy(self.search_edit)

        self.group_combo = QComboBox()
        self.group_combo.setObjectName("groupFilter")
        self.group_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        group_label = QLabel(tr("&Group:"))
        group_label.setBuddy(self.group_combo)

        self.count_label = QLabel()
        self.count_label.setObjectName("shownCount")

        # Everyone may read a unit's outcomes and criteria; administrators add to them.
        self.outcomes_button = QPushButton(tr("Ou&tcomes and criteria…"))
        self.outcomes_button.setObjectName("unitOutcomes")
        self.outcomes_button.setToolTip(
            tr("The chosen unit's learning outcomes and the criteria evidence is recorded against")
        )
        self.outcomes_button.clicked.connect(self.show_outcomes)

        self.model = UnitTableModel(self)
        self.proxy = SortFilterProxy(
            text_columns=(UnitTableModel.REF, UnitTableModel.TITLE),
            category_column=UnitTableModel.GROUP,
            parent=self,
        )
        self.proxy.setSourceModel(self.model)

        self.table = QTableView()
        self.table.setObjectName("unitTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(UnitTableModel.REF, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        # The style's default leaves room for two lines; one line of text and some
        # air shows half as many rows again without scrolling.
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(UnitTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        self.columns = ColumnFitter(self)

        # Administrators correct the catalogue here; everyone else only reads it.
        self.edit_unit_button = QPushButton(tr("&Edit credit value…"))
        self.edit_unit_button.setObjectName("editUnitValue")
        self.edit_unit_button.setToolTip(
            tr("Enter or correct the chosen unit's credits and value status")
        )
        self.settings_button = QPushButton(tr("&Where it can be evidenced…"))
        self.settings_button.setObjectName("editUnitSettings")
        self.settings_button.setToolTip(
            tr("Say how often each kind of placement setting gives the chance to evidence the unit")
        )
        self.rules_button = QPushButton(tr("R&ules and groups…"))
        self.rules_button.setObjectName("editRules")
        self.rules_button.setToolTip(tr("Set the credit limits and group names"))
        self.pairs_button = QPushButton(tr("&Barred pairs…"))
        self.pairs_button.setObjectName("editBarredPairs")
        self.pairs_button.setToolTip(tr("Add or remove units that cannot count together"))
        self.edit_row = QWidget()
        self.edit_row.setObjectName("catalogueEditing")
        edit_layout = QHBoxLayout(self.edit_row)
        edit_layout.setContentsMargins(0, 0, 0, 0)
        edit_layout.addWidget(self.edit_unit_button)
        edit_layout.addWidget(self.settings_button)
        edit_layout.addWidget(self.rules_button)
        edit_layout.addWidget(self.pairs_button)
        self.edit_row.hide()
        self.edit_unit_button.clicked.connect(self.edit_unit)
        self.settings_button.clicked.connect(self.edit_unit_settings)
        self.rules_button.clicked.connect(self.edit_rules)
        self.pairs_button.clicked.connect(self.edit_barred_pairs)
        self.table.doubleClicked.connect(lambda _index: self.edit_unit())
        self.table.selectionModel().selectionChanged.connect(self._update_edit_buttons)

        find = QAction(tr("Find a unit"), self)
        find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(self._focus_search)
        self.addAction(find)

        chooser_row = QHBoxLayout()
        chooser_row.addWidget(chooser_label)
        chooser_row.addWidget(self.qualification_combo)
        chooser_row.addStretch(1)

        rules_row = QHBoxLayout()
        rules_row.addWidget(rules_caption)
        rules_row.addWidget(self.rules_label, 1)

        filter_row = QHBoxLayout()
        filter_row.addWidget(search_label)
        filter_row.addWidget(self.search_edit, 1)
        filter_row.addSpacing(12)
        filter_row.addWidget(group_label)
        filter_row.addWidget(self.group_combo)
        filter_row.addSpacing(12)
        filter_row.addWidget(self.count_label)

        layout = QVBoxLayout(self)
        layout.addLayout(chooser_row)
        layout.addSpacing(4)
        layout.addWidget(self.title_label)
        layout.addWidget(self.awarding_body_label)
        layout.addLayout(rules_row)
        layout.addWidget(self.summary_label)
        layout.addSpacing(4)
        layout.addLayout(filter_row)
        unit_row = QHBoxLayout()
        unit_row.addWidget(self.outcomes_button)
        unit_row.addWidget(self.edit_row)
        unit_row.addStretch(1)
        layout.addLayout(unit_row)
        layout.addWidget(self.table, 1)

        self.search_edit.textChanged.connect(self._search_changed)
        self.group_combo.currentIndexChanged.connect(self._group_changed)
        self._fill_qualifications()
        self.qualification_combo.currentIndexChanged.connect(self._qualification_chosen)

    @property
    def can_edit(self) -> bool:
        return self._actor is not None and self._actor.can(Permission.EDIT_CATALOGUE)

    def set_actor(self, actor: Actor | None) -> None:
        """Editing is offered only to a role that may edit the catalogue."""
        self._actor = actor
        self.edit_row.setVisible(self.can_edit)
        self._update_edit_buttons()

    def _update_edit_buttons(self) -> None:
        self.outcomes_button.setEnabled(self.selected_unit() is not None)
        chosen = self.can_edit and self.selected_unit() is not None
        self.edit_unit_button.setEnabled(chosen)
        self.settings_button.setEnabled(chosen)
        self.rules_button.setEnabled(self.can_edit and self.qualification is not None)
        self.pairs_button.setEnabled(self.can_edit and self.qualification is not None)

    def selected_unit(self) -> Unit | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        unit = self.proxy.data(rows[0], ROW_ROLE)
        return unit if isinstance(unit, Unit) else None

    def _reshow(self, ref: str | None = None) -> None:
        """Show the saved catalogue, keeping the chosen unit and the filters."""
        if self.qualification is None:
            return
        search, group = self.search_edit.text(), self.group_combo.currentIndex()
        self.show_qualification(self.qualification.code)
        self.group_combo.setCurrentIndex(group)
        self.search_edit.setText(search)
        if ref is not None:
            for row in range(self.proxy.rowCount()):
                if self.proxy.data(self.proxy.index(row, 0), ROW_ROLE).ref == ref:
                    self.table.selectRow(row)
                    break

    def edit_unit(self) -> None:
        unit = self.selected_unit()
        if not self.can_edit or unit is None or self.qualification is None:
            return
        assert self._actor is not None
        dialog = UnitValueDialog(self._db, self._actor, self.qualification.code, unit, self)
        if run_dialog(dialog):
            self._reshow(unit.ref)
        dialog.deleteLater()

    def edit_unit_settings(self) -> None:
        unit = self.selected_unit()
        if not self.can_edit or unit is None or self.qualification is None:
            return
        assert self._actor is not None
        dialog = UnitSettingsDialog(self._db, self._actor, self.qualification.code, unit, self)
        run_dialog(dialog)
        dialog.deleteLater()

    def show_outcomes(self) -> None:
        unit = self.selected_unit()
        if unit is None or self.qualification is None or self._actor is None:
            return
        dialog = OutcomesDialog(
            self._db, self._actor, self.qualification.code, unit, self, may_edit=self.can_edit
        )
        run_dialog(dialog)
        dialog.deleteLater()

    def edit_rules(self) -> None:
        if not self.can_edit or self.qualification is None:
            return
        assert self._actor is not None
        dialog = RuleDialog(self._db, self._actor, self.qualification, self)
        if run_dialog(dialog):
            self._reshow()
        dialog.deleteLater()

    def edit_barred_pairs(self) -> None:
        if not self.can_edit or self.qualification is None:
            return
        assert self._actor is not None
        dialog = BarredPairsDialog(self._db, self._actor, self.qualification, self)
        run_dialog(dialog)
        if dialog.changed:
            self._reshow()
        dialog.deleteLater()

    def show_qualification(self, code: str | None) -> None:
        """Show one qualification (None: the default one)."""
        try:
            qual = load_qualification(self._db, code)
        except ServiceError as exc:
            self._show_problem(str(exc))
            return
        self.qualification = qual
        self.title_label.setText(qual.title)
        self.awarding_body_label.setText(
            tr("Awarding body: {body}").format(body=qual.awarding_body or tr("not recorded"))
        )
        self.rules_label.setText(describe_rules(qual))
        self.summary_label.setText(summarise_units(qual))
        group_names = {g.code: g.name for g in qual.groups}
        self.model.set_rows(qual.units, group_names)
        self._fill_groups(qual)
        self._select_qualification(qual.code)
        self.columns.fit(self.table)  # the window starts on another page
        self._update_count()
        self._update_edit_buttons()

    def _fill_qualifications(self) -> None:
        summaries = list_qualifications(self._db)
        self.qualification_combo.blockSignals(True)
        for summary in summaries:
            self.qualification_combo.addItem(
                tr("{title} ({code})").format(title=summary.title, code=summary.code),
                summary.code,
            )
        self.qualification_combo.blockSignals(False)
        self.show_qualification(None)

    def _select_qualification(self, code: str) -> None:
        row = self.qualification_combo.findData(code)
        if row >= 0 and row != self.qualification_combo.currentIndex():
            self.qualification_combo.blockSignals(True)
            self.qualification_combo.setCurrentIndex(row)
            self.qualification_combo.blockSignals(False)

    def _fill_groups(self, qual: Qualification) -> None:
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        self.group_combo.addItem(tr("All groups"), None)
        for group in qual.groups:
            self.group_combo.addItem(
                tr("{code}: {name}").format(code=group.code, name=group.name), group.code
            )
        self.group_combo.setCurrentIndex(0)
        self.group_combo.blockSignals(False)
        self.proxy.set_category(None)

    def _show_problem(self, message: str) -> None:
        self.qualification = None
        self.title_label.setText(tr("No qualification to show"))
        self.awarding_body_label.setText(message)
        self.rules_label.clear()
        self.summary_label.clear()
        self.model.set_rows([])
        self._update_count()

    def _qualification_chosen(self, row: int) -> None:
        if row >= 0:
            self.show_qualification(self.qualification_combo.itemData(row))

    def _search_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _group_changed(self, row: int) -> None:
        self.proxy.set_category(self.group_combo.itemData(row) if row >= 0 else None)
        self._update_count()

    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        all_shown = tr("Showing all {total} units").format(total=total)
        some_shown = tr("Showing {shown} of {total} units")
        none_shown = tr("No units match")
        if total and not shown:
            text = none_shown
            self.count_label.setToolTip(tr("Clear the search or choose All groups."))
        else:
            text = all_shown if shown == total else some_shown.format(shown=shown, total=total)
            self.count_label.setToolTip("")
        self.count_label.setText(text)
        # As wide as the widest wording, so the search box does not jump as people type.
        metrics = self.count_label.fontMetrics()
        widest = max(
            metrics.horizontalAdvance(candidate)
            for candidate in (all_shown, none_shown, some_shown.format(shown=total, total=total))
        )
        self.count_label.setMinimumWidth(widest)
