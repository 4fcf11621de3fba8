"""The audit trail, for administrators and quality assurers: who changed what and
when, filtered by dates, person, kind of record and words, with the values
before and after each change."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from assessor_app.services.audit_queries import (
    DEFAULT_LIMIT,
    AuditChoices,
    AuditFilter,
    AuditResults,
    AuditRow,
    audit_filter_choices,
    find_audit_entries,
)
from assessor_app.services.errors import FieldError, ServiceError
from assessor_app.services.roles import Actor, Permission, PermissionDenied
from assessor_app.ui.models.column_table_model import Column
from assessor_app.ui.pages.record_tab import (
    date_edit,
    from_qdate,
    message_label,
    show_message,
)
from assessor_app.ui.qt import (
    QAction,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.widgets.record_table import RecordTable
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database


def _when(row: AuditRow) -> str:
    return row.at.astimezone().strftime("%d %b %Y %H:%M:%S")


def _show(value: Any) -> str:
    if value is None or value == "":
        return tr("(none)")
    if isinstance(value, list | tuple):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k} {_show(v)}" for k, v in value.items())
    return str(value)


def describe_detail(row: AuditRow) -> str:
    """The entry in lines a person can read: what changed from what to what, then the rest."""
    detail = dict(row.detail)
    lines = [
        tr("{when} — {who}").format(when=_when(row), who=row.username),
        tr("{action} on {entity} {id}")
        .format(action=row.action, entity=row.entity, id=row.entity_id)
        .rstrip(),
        "",
    ]
    changes: dict[str, tuple[Any, Any]] = {}
    for field, pair in dict(detail.pop("changes", None) or {}).items():
        if isinstance(pair, list | tuple) and len(pair) == 2:
            changes[field] = (pair[0], pair[1])
    before, after = detail.get("before"), detail.get("after")
    if isinstance(before, dict) or isinstance(after, dict):
        detail.pop("before", None)
        detail.pop("after", None)
        old = before if isinstance(before, dict) else {}
        new = after if isinstance(after, dict) else {}
        for field in [*old, *(k for k in new if k not in old)]:
            changes[field] = (old.get(field), new.get(field))
    elif "before" in detail and "after" in detail:
        changes[tr("value")] = (detail.pop("before"), detail.pop("after"))
    if changes:
        lines.append(tr("Changed (before → after):"))
        lines += [
            tr("  {field}: {before} → {after}").format(
                field=field, before=_show(old), after=_show(new)
            )
            for field, (old, new) in changes.items()
        ]
    if detail:
        if changes:
            lines.append("")
        lines += [f"{key}: {_show(value)}" for key, value in sorted(detail.items())]
    if not changes and not detail:
        lines.append(tr("No further detail was recorded."))
    return "\n".join(lines)


COLUMNS: list[Column[AuditRow]] = [
    Column(tr("When"), _when, sort=lambda r: (r.at.timestamp(), r.id)),
    Column(tr("Who"), lambda r: r.username),
    Column(tr("Action"), lambda r: r.action),
    Column(tr("Record"), lambda r: r.entity),
    Column(tr("Record id"), lambda r: r.entity_id),
]


class AuditPage(QWidget):
    def __init__(
        self, db: Database, parent: QWidget | None = None, *, limit: int = DEFAULT_LIMIT
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._actor: Actor | None = None
        self._limit = limit
        self.page: AuditResults | None = None

        today = date.today()
        self.since_check = QCheckBox(tr("&From"))
        self.since_check.setObjectName("sinceOn")
        self.since_edit = date_edit(today - timedelta(days=30), "since")
        self.until_check = QCheckBox(tr("&To"))
        self.until_check.setObjectName("untilOn")
        self.until_edit = date_edit(today, "until")
        self.user_combo = QComboBox()
        self.user_combo.setObjectName("auditUser")
        self.entity_combo = QComboBox()
        self.entity_combo.setObjectName("auditEntity")
        for combo in (self.user_combo, self.entity_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("auditText")
        self.text_edit.setPlaceholderText(tr("Words in the action or detail, e.g. B5"))
        self.text_edit.setClearButtonEnabled(True)
        self.refresh_button = QPushButton(tr("&Refresh"))
        self.refresh_button.setObjectName("refreshAudit")
        self.refresh_button.setToolTip(tr("Read the audit trail again (F5)"))
        user_label = QLabel(tr("&Who:"))
        user_label.setBuddy(self.user_combo)
        entity_label = QLabel(tr("Rec&ord:"))
        entity_label.setBuddy(self.entity_combo)
        text_label = QLabel(tr("&Search:"))
        text_label.setBuddy(self.text_edit)

        # Two short rows rather than one long one, so a small laptop screen shows them whole.
        dates = QHBoxLayout()
        for widget in (
            self.since_check,
            self.since_edit,
            self.until_check,
            self.until_edit,
            user_label,
            self.user_combo,
        ):
            dates.addWidget(widget)
        dates.addStretch(1)
        words = QHBoxLayout()
        words.addWidget(entity_label)
        words.addWidget(self.entity_combo)
        words.addWidget(text_label)
        words.addWidget(self.text_edit, 1)
        words.addWidget(self.refresh_button)

        self.count_label = QLabel()
        self.count_label.setObjectName("auditCount")
        self.message_label = message_label("auditMessage")
        self.table: RecordTable[AuditRow] = RecordTable(COLUMNS, stretch=2, search_columns=())
        self.table.setObjectName("auditTable")
        # One line of text and some air, as in the catalogue: more rows without scrolling.
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.detail_view = QPlainTextEdit()
        self.detail_view.setObjectName("auditDetail")
        self.detail_view.setReadOnly(True)
        self.detail_view.setPlaceholderText(tr("Choose an entry to see what it changed."))
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("auditSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail_view)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(dates)
        layout.addLayout(words)
        layout.addWidget(self.count_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.splitter, 1)

        # Typing in the search box waits for a pause before asking the database.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.reload)
        self.text_edit.textChanged.connect(lambda _t: self._debounce.start())
        for check in (self.since_check, self.until_check):
            check.toggled.connect(self._dates_toggled)
        for edit in (self.since_edit, self.until_edit):
            edit.dateChanged.connect(lambda _d: self._debounce.start())
        self.user_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.entity_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.refresh_button.clicked.connect(self.refresh)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_detail())
        self._dates_toggled()

        find = QAction(tr("Find in the audit trail"), self)
        find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(lambda: self.text_edit.setFocus(Qt.FocusReason.ShortcutFocusReason))
        again = QAction(tr("Refresh"), self)
        again.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        again.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        again.triggered.connect(self.refresh)
        self.addActions([find, again])

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self.table.set_rows([])
        self.detail_view.clear()
        if actor is not None and actor.can(Permission.VIEW_AUDIT):
            self.refresh()

    def wanted(self) -> AuditFilter:
        return AuditFilter(
            since=from_qdate(self.since_edit.date()) if self.since_check.isChecked() else None,
            until=from_qdate(self.until_edit.date()) if self.until_check.isChecked() else None,
            username=self.user_combo.currentData() or "",
            entity=self.entity_combo.currentData() or "",
            text=self.text_edit.text(),
        )

    def refresh(self) -> None:
        """Read the lists of people and records again, then the entries."""
        actor = self._actor
        if actor is None:
            return
        db = self._db
        run_task(
            lambda: audit_filter_choices(db, actor), self._choices_loaded, self._failed, owner=self
        )

    def _choices_loaded(self, choices: AuditChoices) -> None:
        for combo, everyone, values in (
            (self.user_combo, tr("Everyone"), choices.usernames),
            (self.entity_combo, tr("All records"), choices.entities),
        ):
            kept = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, None)
            for value in values:
                combo.addItem(value, value)
            found = combo.findData(kept)
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        actor = self._actor
        if actor is None:
            return
        self._debounce.stop()
        show_message(self.message_label, "")
        self.since_edit.setStyleSheet("")
        db, wanted, limit = self._db, self.wanted(), self._limit
        run_task(
            lambda: find_audit_entries(db, actor, wanted, limit=limit),
            self._loaded,
            self._failed,
            owner=self,
        )

    def _loaded(self, page: AuditResults) -> None:
        self.page = page
        self.table.set_rows(page.rows)
        self.table.resizeColumnsToContents()
        if page.more:
            text = tr(
                "Showing the newest {count} entries that match; narrow the dates or the "
                "search to see older ones."
            ).format(count=len(page.rows))
        elif page.rows:
            text = tr("{count} entries match.").format(count=len(page.rows))
        else:
            text = tr("No entries match; clear a filter to see more.")
        self.count_label.setText(text)
        if page.rows:
            self.table.selectRow(0)
        self._show_detail()

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, ServiceError | PermissionDenied):
            raise exc
        if isinstance(exc, FieldError):
            self.since_edit.setStyleSheet("border: 2px solid #a4000f;")
        self.table.set_rows([])
        self.count_label.clear()
        show_message(self.message_label, str(exc), error=True)

    def _dates_toggled(self) -> None:
        self.since_edit.setEnabled(self.since_check.isChecked())
        self.until_edit.setEnabled(self.until_check.isChecked())
        self._debounce.start()

    def _show_detail(self) -> None:
        index = self.table.currentIndex()
        row = self.table.record_at(index) if index.isValid() else None
        self.detail_view.setPlainText(describe_detail(row) if row is not None else "")
