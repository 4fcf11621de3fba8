"""The apprentice's optional units: tick units, see at once whether the choice meets
the rules of combination and, if not, what to change.

Every tick re-runs the rules engine on the window's thread (it answers in a few
milliseconds), so the credit lines, findings and suggested repairs always match
the ticks. Loading, saving and the what-if check read or write the database and
run through `run_task`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

from assessor_app.domain.catalogue import CreditRule, Qualification, RuleScope
from assessor_app.domain.credit_rules import Repair, Verdict, check_selection, unit_label
from assessor_app.domain.what_if import WhatIf
from assessor_app.services.apprentices import choose_units
from assessor_app.services.errors import ServiceError, StaleEdit
from assessor_app.services.progress_queries import try_unit_choice
from assessor_app.services.roles import Actor, PermissionDenied
from assessor_app.services.unit_choice_queries import UnitChoice, unit_choice
from assessor_app.store.database import Database
from assessor_app.ui.colours import Tone, tone_colour, tone_style
from assessor_app.ui.models.sort_proxy import SortFilterProxy
from assessor_app.ui.models.unit_choice_model import UnitChoiceModel
from assessor_app.ui.qt import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QPushButton,
    QScrollArea,
    QShortcut,
    QSizePolicy,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
    tr,
)
from assessor_app.ui.widgets.check_outline import CheckOutlineDelegate
from assessor_app.ui.workers import run_task

# The banner's own colours: dark text on a pale fill, the same in any theme.
GOOD = "#1e5c30"
GOOD_BACKGROUND = "#e3f4e6"
BAD = "#8a1f24"
BAD_BACKGROUND = "#fbe3e4"
CAUTION = "#5a4300"
CAUTION_BACKGROUND = "#fff1c2"

_BANNER = "QLabel {{ color: {fg}; background: {bg}; border: 1px solid {fg}; border-radius: 4px; padding: 8px; font-weight: bold; }}"  # noqa: E501


def limit_text(rule: CreditRule) -> str:
    if rule.min_credits is not None and rule.max_credits is not None:
        return tr("{low} to {high}").format(low=rule.min_credits, high=rule.max_credits)
    if rule.min_credits is not None:
        return tr("at least {count}").format(count=rule.min_credits)
    return tr("at most {count}").format(count=rule.max_credits)


def rule_state(rule: CreditRule, have: int) -> tuple[bool, str]:
    """Whether the rule is met, and a few words saying by how much it is not."""
    if rule.min_credits is not None and have < rule.min_credits:
        return False, tr("✗ {count} short").format(count=rule.min_credits - have)
    if rule.max_credits is not None and have > rule.max_credits:
        return False, tr("✗ {count} over").format(count=have - rule.max_credits)
    return True, tr("✓ met")


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)
    return label


def _sentence(text: str, colour: str | None = None) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if colour:
        label.setStyleSheet(f"QLabel {{ color: {colour}; }}")
    return label


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            # Hidden at once: deletion waits for the event loop.
            widget.hide()
            widget.deleteLater()


class _CreditLine:
    """One line of the credit panel: a group's credits, or one rule's."""

    def __init__(self, grid: QGridLayout, row: int, label: str, rule: CreditRule | None) -> None:
        self.rule = rule
        self.name = QLabel(label)
        self.value = QLabel()
        self.state = QLabel()
        for column, widget in enumerate((self.name, self.value, self.state)):
            grid.addWidget(widget, row, column)

    def show(self, have: int, mandatory: bool) -> None:
        if self.rule is None:
            self.value.setText(str(have))
            self.state.setText(tr("always included") if mandatory else "")
            self.value.setStyleSheet("")
            self.state.setStyleSheet("")
            return
        met, words = rule_state(self.rule, have)
        self.value.setText(tr("{have} / {limit}").format(have=have, limit=limit_text(self.rule)))
        self.state.setText(words)
        style = f"QLabel {{ {tone_style(Tone.GOOD if met else Tone.BAD, bold=True)} }}"
        self.value.setStyleSheet(style)
        self.state.setStyleSheet(style)

    def text(self) -> str:
        return f"{self.name.text()} {self.value.text()} {self.state.text()}".strip()


class SelectionEditor(QWidget):
    """Edit one apprentice's optional units against the rules of combination."""

    saved = Signal()  # the choice was saved; the page may refresh what depends on it

    def __init__(
        self, db: Database, actor: Actor, apprentice_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._apprentice_id = apprentice_id
        self._choice: UnitChoice | None = None
        self._working: frozenset[str] = frozenset()
        self._before_what_if: frozenset[str] = frozenset()
        self._before_what_if_undo: list[frozenset[str]] = []
        # Earlier working choices, newest last: Undo steps back through the ticks,
        # suggestions and reverts made since the choice was loaded or saved.
        self._undo: list[frozenset[str]] = []
        self._verdict: Verdict | None = None
        self._what_if: WhatIf | None = None
        self._what_if_asked = 0  # the newest what-if request; older answers are ignored
        self._busy = False
        self._message_is_error = False
        self._credit_lines: list[tuple[_CreditLine, frozenset[str], bool]] = []
        self._suggestion_buttons: list[QPushButton] = []

        self.model = UnitChoiceModel(self)
        self.model.edited.connect(self._edited)
        self._build()
        self.reload()

    # -- what tests and the page read -------------------------------------------------

    def working_choice(self) -> tuple[str, ...]:
        return self._ordered(self._working)

    def saved_choice(self) -> tuple[str, ...]:
        return self._choice.chosen if self._choice else ()

    def verdict(self) -> Verdict | None:
        return self._verdict

    def what_if_result(self) -> WhatIf | None:
        return self._what_if

    def in_what_if(self) -> bool:
        return self.what_if_button.isChecked()

    def credit_texts(self) -> list[str]:
        return [line.text() for line, _groups, _mandatory in self._credit_lines]

    def findings_text(self) -> str:
        return self._texts(self._findings_box)

    def suggestion_buttons(self) -> list[QPushButton]:
        return list(self._suggestion_buttons)

    def message(self) -> str:
        return self.message_label.text()

    def what_if_text(self) -> str:
        return self._texts(self._what_if_box) if not self._what_if_frame.isHidden() else ""

    # -- actions ------------------------------------------------------------------------

    def set_ticked(self, ref: str, ticked: bool) -> None:
        """Tick or untick a unit as the user would (locked units do not change)."""
        self.model.setData(
            self.model.index_of(ref),
            Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked,
            Qt.ItemDataRole.CheckStateRole,
        )

    def reload(self) -> None:
        """Read the saved choice again. Unsaved changes stay, to be saved over the
        newest version (after someone else's save) or reverted."""
        self._set_busy(True)
        apprentice_id = self._apprentice_id
        self._run(
            lambda: unit_choice(self._db, self._actor, apprentice_id),
            self._loaded,
        )

    def revert(self) -> None:
        if self._choice is None:
            return
        self._show_message("")
        self._change(frozenset(self._choice.chosen))

    def undo(self) -> None:
        """Step back to the working choice before the last change."""
        if not self._undo or self._busy:
            return
        self._working = self._undo.pop()
        self._show_message(tr("Undone: the choice is as it was before your last change."))
        self._refresh()

    def save(self) -> None:
        if self._choice is None or self.in_what_if() or self._busy:
            return
        refs = list(self.working_choice())
        version = self._choice.version
        db, actor, apprentice_id = self._db, self._actor, self._apprentice_id

        def work() -> tuple[Verdict, UnitChoice]:
            verdict = choose_units(db, actor, apprentice_id, refs, expected_version=version)
            return verdict, unit_choice(db, actor, apprentice_id)

        self._set_busy(True)
        self._run(work, self._saved_done)

    def apply_suggestion(self, repair: Repair) -> None:
        self._change((self._working - set(repair.remove)) | set(repair.add))

    def _change(self, working: frozenset[str]) -> None:
        if working != self._working:
            self._undo.append(self._working)
            self._working = working
        self._refresh()

    # -- building -----------------------------------------------------------------------

    def _build(self) -> None:
        self.title_label = _heading("")
        self._sections = QVBoxLayout()
        self._sections.setSpacing(6)
        sections = QWidget()
        sections.setLayout(self._sections)
        left = QScrollArea()
        left.setWidgetResizable(True)
        left.setWidget(sections)
        left.setFrameShape(QFrame.Shape.NoFrame)

        panel = QWidget()
        self._panel = QVBoxLayout(panel)
        self.verdict_label = QLabel()
        self.verdict_label.setWordWrap(True)
        self._what_if_frame = QFrame()
        self._what_if_frame.setStyleSheet(
            f"QFrame {{ background: {CAUTION_BACKGROUND}; border-radius: 4px; }}"
        )
        self._what_if_box = QVBoxLayout(self._what_if_frame)
        self._what_if_frame.hide()
        self._credit_grid = QGridLayout()
        self._credit_grid.setColumnStretch(0, 1)
        self._credit_grid.setHorizontalSpacing(16)
        self._findings_box = QVBoxLayout()
        self._suggestions_box = QVBoxLayout()
        self._suggestions_heading = _heading(tr("Ways to fix it"))
        self._panel.addWidget(self.verdict_label)
        self._panel.addWidget(self._what_if_frame)
        self._panel.addWidget(_heading(tr("Credits")))
        self._panel.addLayout(self._credit_grid)
        self._panel.addSpacing(6)
        self._findings_heading = _heading(tr("What to change"))
        self._panel.addWidget(self._findings_heading)
        self._panel.addLayout(self._findings_box)
        self._panel.addSpacing(6)
        self._panel.addWidget(self._suggestions_heading)
        self._panel.addLayout(self._suggestions_box)
        self._panel.addStretch(1)
        right = QScrollArea()
        right.setWidgetResizable(True)
        right.setWidget(panel)
        right.setMinimumWidth(430)
        right.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.what_if_button = QPushButton(tr("What if…"))
        self.what_if_button.setCheckable(True)
        self.what_if_button.setToolTip(
            tr("Try a different choice, signed-off units included, without saving it.")
        )
        self.what_if_button.toggled.connect(self._what_if_toggled)
        self.undo_button = QPushButton(tr("Undo"))
        self.undo_button.setToolTip(tr("Undo your last change to the ticks (Ctrl+Z)."))
        self.undo_button.clicked.connect(self.undo)
        undo = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self, self.undo)
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.revert_button = QPushButton(tr("Revert"))
        self.revert_button.setToolTip(tr("Go back to the saved choice."))
        self.revert_button.clicked.connect(self.revert)
        self.reload_button = QPushButton(tr("Reload"))
        self.reload_button.setToolTip(
            tr("Read the saved choice again; your unsaved changes stay ticked.")
        )
        self.reload_button.clicked.connect(self.reload)
        self.save_button = QPushButton(tr("Save choice"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.message_label = _sentence("")
        self.message_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        buttons = QHBoxLayout()
        buttons.addWidget(self.what_if_button)
        buttons.addWidget(self.message_label, 1)
        for button in (self.undo_button, self.revert_button, self.reload_button, self.save_button):
            buttons.addWidget(button)

        body = QHBoxLayout()
        body.addWidget(left, 3)
        body.addWidget(right, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)

    def _build_for(self, qual: Qualification) -> None:
        """One table per group, and one credit line per group and per rule."""
        self.model.set_rows(qual)
        _clear(self._sections)
        self._credit_lines = []
        while self._credit_grid.count():
            item = self._credit_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for group in qual.groups:
            rules = [r for r in qual.rules if r.scope is RuleScope.GROUP and r.group == group.code]
            limits = ", ".join(limit_text(r) for r in rules)
            title = (
                tr("Group {code}: {name}, {limits} credits").format(
                    code=group.code, name=group.name, limits=limits
                )
                if limits
                else tr("Group {code}: {name}").format(code=group.code, name=group.name)
            )
            self._sections.addWidget(_heading(title))
            self._sections.addWidget(self._group_table(group.code))
            label = (
                tr("Group {code} (mandatory)").format(code=group.code)
                if group.mandatory
                else tr("Group {code}").format(code=group.code)
            )
            lines: list[CreditRule | None] = list(rules) or [None]
            for rule in lines:
                self._add_credit_line(label, rule, frozenset((group.code,)), group.mandatory)
        optional = frozenset(g.code for g in qual.groups if not g.mandatory)
        for rule in qual.rules:
            if rule.scope is RuleScope.OPTIONAL:
                self._add_credit_line(tr("Optional units"), rule, optional, False)
        for rule in qual.rules:
            if rule.scope is RuleScope.TOTAL:
                everything = frozenset(g.code for g in qual.groups)
                self._add_credit_line(tr("Total"), rule, everything, False)
        self._sections.addStretch(1)

    def _add_credit_line(
        self, label: str, rule: CreditRule | None, groups: frozenset[str], mandatory: bool
    ) -> None:
        line = _CreditLine(self._credit_grid, len(self._credit_lines), label, rule)
        self._credit_lines.append((line, groups, mandatory))

    def _group_table(self, group: str) -> QTableView:
        proxy = SortFilterProxy(text_columns=(), category_column=UnitChoiceModel.GROUP, parent=self)
        proxy.setSourceModel(self.model)
        proxy.set_category(group)
        view = QTableView()
        view.setModel(proxy)
        view.setColumnHidden(UnitChoiceModel.GROUP, True)
        view.setItemDelegateForColumn(UnitChoiceModel.REF, CheckOutlineDelegate(view))
        view.verticalHeader().hide()
        view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        view.setWordWrap(False)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = view.horizontalHeader()
        header.setSectionResizeMode(UnitChoiceModel.REF, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(UnitChoiceModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(UnitChoiceModel.CREDITS, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(UnitChoiceModel.NOTE, QHeaderView.ResizeMode.Fixed)
        view.setColumnWidth(UnitChoiceModel.REF, 70)
        view.setColumnWidth(UnitChoiceModel.CREDITS, 110)
        view.setColumnWidth(UnitChoiceModel.NOTE, 150)
        # The whole group shows at once: the page scrolls, not each table.
        rows = proxy.rowCount()
        height = view.verticalHeader().defaultSectionSize() * rows + header.sizeHint().height()
        view.setFixedHeight(height + 2 * view.frameWidth())
        return view

    # -- reacting -----------------------------------------------------------------------

    def _run(self, fn: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        run_task(fn, on_done, self._failed)

    def _loaded(self, choice: UnitChoice) -> None:
        self._set_busy(False)
        previous = self._choice
        if previous is None or previous.qualification.code != choice.qualification.code:
            self._build_for(choice.qualification)
            self.title_label.setText(
                tr("{name}: units of the {qualification}").format(
                    name=choice.apprentice_name, qualification=choice.qualification.title
                )
            )
        keep = previous is not None and self._dirty()
        self._choice = choice
        if keep:
            self._show_message(
                tr(
                    "Reloaded the saved choice. Your changes are still ticked: "
                    "save them over it, or revert to the saved choice."
                )
            )
        else:
            self._working = frozenset(choice.chosen)
            self._undo.clear()
            if previous is not None:
                self._show_message("")
        self._refresh()

    def _saved_done(self, result: tuple[Verdict, UnitChoice]) -> None:
        verdict, choice = result
        self._choice = choice
        self._working = frozenset(choice.chosen)
        self._undo.clear()
        self._set_busy(False)
        if verdict.valid:
            self._show_message(tr("Saved. The choice meets the rules of combination."))
        else:
            self._show_message(
                tr("Saved as a draft: the choice does not yet meet the rules."), error=True
            )
        self._refresh()
        self.saved.emit()

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if not isinstance(exc, ServiceError | PermissionDenied):
            raise exc
        self._show_message(str(exc), error=True)
        if isinstance(exc, StaleEdit):
            self.reload_button.setFocus()
        self._refresh()

    def _edited(self, ref: str, ticked: bool) -> None:
        if not self._message_is_error:
            self._show_message("")
        self._change(self._working | {ref} if ticked else self._working - {ref})

    def _what_if_toggled(self, on: bool) -> None:
        self.what_if_button.setText(tr("Leave What if…") if on else tr("What if…"))
        if on:
            self._before_what_if = self._working
            self._before_what_if_undo = list(self._undo)
        else:
            self._working = self._before_what_if
            self._undo = self._before_what_if_undo  # what-if changes are not kept
            self._what_if = None
        self._what_if_frame.setVisible(on)
        self._refresh()

    def _ask_what_if(self) -> None:
        self._what_if_asked += 1
        asked = self._what_if_asked
        proposed = list(self.working_choice())
        db, actor, apprentice_id = self._db, self._actor, self._apprentice_id

        def done(result: WhatIf) -> None:
            if asked == self._what_if_asked and self.in_what_if():
                self._what_if = result
                self._show_what_if()

        run_task(lambda: try_unit_choice(db, actor, apprentice_id, proposed), done, self._failed)

    # -- showing ------------------------------------------------------------------------

    def _refresh(self) -> None:
        choice = self._choice
        if choice is None:
            self._update_buttons()
            return
        qual = choice.qualification
        what_if = self.in_what_if()
        self.model.set_state(
            self._working, choice.chosen, choice.signed_off, lock_signed_off=not what_if
        )
        self._verdict = verdict = check_selection(qual, list(self.working_choice()))
        self._show_verdict(verdict)
        for line, groups, mandatory in self._credit_lines:
            line.show(sum(verdict.credits.groups[g] for g in groups), mandatory)
        self._show_findings(verdict)
        self._show_suggestions(qual, verdict)
        self._update_buttons()
        if what_if:
            self._show_what_if()
            self._ask_what_if()

    def _show_verdict(self, verdict: Verdict) -> None:
        if verdict.valid:
            text = tr("✓ This choice meets the rules of combination.")
            if verdict.warnings:
                text = tr("✓ This choice meets the rules of combination; {count} to check.").format(
                    count=len(verdict.warnings)
                )
            style = _BANNER.format(fg=GOOD, bg=GOOD_BACKGROUND)
        else:
            count = len(verdict.errors)
            text = (
                tr("✗ Not valid yet: 1 problem to fix.")
                if count == 1
                else tr("✗ Not valid yet: {count} problems to fix.").format(count=count)
            )
            style = _BANNER.format(fg=BAD, bg=BAD_BACKGROUND)
        self.verdict_label.setText(text)
        self.verdict_label.setStyleSheet(style)

    def _show_findings(self, verdict: Verdict) -> None:
        _clear(self._findings_box)
        for finding in verdict.errors:
            self._findings_box.addWidget(
                _sentence(tr("✗ {text}").format(text=finding.message), tone_colour(Tone.BAD))
            )
        for finding in verdict.warnings:
            self._findings_box.addWidget(
                _sentence(tr("! {text}").format(text=finding.message), tone_colour(Tone.CAUTION))
            )
        if not verdict.findings:
            self._findings_box.addWidget(_sentence(tr("Nothing: every rule is met.")))

    def _show_suggestions(self, qual: Qualification, verdict: Verdict) -> None:
        _clear(self._suggestions_box)
        self._suggestion_buttons = []
        self._suggestions_heading.setVisible(bool(verdict.suggestions))
        for repair in verdict.suggestions:
            row = QFrame()
            row.setFrameShape(QFrame.Shape.StyledPanel)
            line = QHBoxLayout(row)
            line.addWidget(_sentence(repair.message), 1)
            button = QPushButton(tr("Apply"))
            button.setToolTip(tr("Change the ticks as this suggestion says; nothing is saved yet."))
            button.clicked.connect(lambda _=False, r=repair: self.apply_suggestion(r))
            line.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self._suggestions_box.addWidget(row)
            self._suggestion_buttons.append(button)

    def _show_what_if(self) -> None:
        _clear(self._what_if_box)
        self._what_if_box.addWidget(
            _sentence(
                tr("What if… Nothing here is saved; leave What if… to go back."),
                tone_colour(Tone.CAUTION),
            )
        )
        result = self._what_if
        choice = self._choice
        if result is None or choice is None:
            return
        qual = choice.qualification
        if result.dropped_signed_off:
            labels = [unit_label(qual.unit(r)) for r in result.dropped_signed_off]
            self._what_if_box.addWidget(
                _sentence(
                    tr("Signed-off units that would be dropped: {units}.").format(
                        units="; ".join(labels)
                    ),
                    tone_colour(Tone.BAD),
                )
            )
        if result.orphaned_evidence:
            self._what_if_box.addWidget(
                _sentence(
                    tr("Pieces of accepted evidence that would stop counting: {count}.").format(
                        count=len(result.orphaned_evidence)
                    ),
                    tone_colour(Tone.BAD),
                )
            )
        self._what_if_box.addWidget(_sentence(result.summary))

    def _show_message(self, text: str, *, error: bool = False) -> None:
        self._message_is_error = error and bool(text)
        self.message_label.setText(text)
        self.message_label.setStyleSheet(
            f"QLabel {{ {tone_style(Tone.BAD, bold=True)} }}" if self._message_is_error else ""
        )

    def _update_buttons(self) -> None:
        loaded = self._choice is not None
        what_if = self.in_what_if()
        self.save_button.setEnabled(loaded and not self._busy and not what_if and self._dirty())
        self.revert_button.setEnabled(loaded and not self._busy and self._dirty())
        self.undo_button.setEnabled(loaded and not self._busy and bool(self._undo))
        self.reload_button.setEnabled(not self._busy and not what_if)
        self.what_if_button.setEnabled(loaded and not self._busy)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    # -- helpers ------------------------------------------------------------------------

    def _dirty(self) -> bool:
        return self._choice is not None and self._working != frozenset(self._choice.chosen)

    def _ordered(self, refs: Collection[str]) -> tuple[str, ...]:
        if self._choice is None:
            return tuple(sorted(refs))
        return tuple(u.ref for u in self._choice.qualification.units if u.ref in refs)

    @staticmethod
    def _texts(layout: QVBoxLayout) -> str:
        items = (layout.itemAt(i) for i in range(layout.count()))
        return "\n".join(_label_texts(item.widget() for item in items if item is not None))


def _label_texts(widgets: Iterable[QWidget | None]) -> list[str]:
    texts = []
    for widget in widgets:
        if isinstance(widget, QLabel):
            texts.append(widget.text())
        elif widget is not None:
            texts.extend(label.text() for label in widget.findChildren(QLabel))
    return texts
