"""Import a transfer: an apprentice moving here from another provider, from the
package their old provider exported (services/subject_access.py).

The page asks for the zip (`ask_transfer_package`), reads the package's record
and the cohorts on its qualification off the window's thread (`prepare_transfer`),
then this dialog shows whose record it is and asks which cohort they join. The
import itself runs on a worker thread while the dialog shows that it is working;
a refusal is shown in the dialog with the file named, and nothing is imported
(the service checks everything, then writes in one transaction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assessor_app.domain.dates import format_date
from assessor_app.domain.wording import plural
from assessor_app.services.errors import FieldError, ServiceError
from assessor_app.services.planner_queries import CohortRow, cohort_rows
from assessor_app.services.roles import Permission
from assessor_app.services.subject_access import ImportSummary, import_apprentice, read_record
from assessor_app.ui.dialogs.form_dialog import FormDialog
from assessor_app.ui.qt import (
    QComboBox,
    QFileDialog,
    QFont,
    QLabel,
    Qt,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.widgets.file_task import BusyIndicator, file_problem

if TYPE_CHECKING:
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database


def ask_transfer_package(parent: QWidget) -> Path | None:
    """The package to import, or None if the person cancels; tests replace this."""
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        tr("Import a transfer: choose the apprentice's package"),
        "",
        tr("Apprentice packages (*.zip);;All files (*)"),
    )
    return Path(name) if name else None


def _text(data: Any, key: str) -> str:
    """A text value from the package's record, or '' (the import checks it properly)."""
    value = data.get(key) if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) else ""


def _items(data: Any, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


@dataclass(frozen=True, slots=True)
class TransferPreview:
    """Who the package is about and what it holds, as its record says."""

    path: Path
    name: str
    uln: str
    provider: str
    qualification_code: str
    qualification_title: str
    exported_on: date | None
    evidence: int
    files: int
    units_signed_off: int
    placements: int

    @classmethod
    def read(cls, path: Path) -> TransferPreview:
        """Read the package's record; raises PackageError naming the file when it is not
        a readable Assessor package of a version this one reads."""
        record = read_record(path)
        person = record.get("apprentice")
        qualification = record.get("qualification")
        try:
            exported: date | None = datetime.fromisoformat(_text(record, "exported_at")).date()
        except ValueError:
            exported = None
        evidence = _items(record, "evidence")
        return cls(
            path=path,
            name=" ".join(
                part for part in (_text(person, "given_name"), _text(person, "family_name")) if part
            ),
            uln=_text(person, "uln"),
            provider=_text(record, "provider"),
            qualification_code=_text(qualification, "code"),
            qualification_title=_text(qualification, "title"),
            exported_on=exported,
            evidence=len(evidence),
            files=sum(len(_items(e, "attachments")) for e in evidence),
            units_signed_off=sum(
                1
                for s in _items(record, "sign_offs")
                if isinstance(s, dict) and s.get("revoked_on") is None
            ),
            placements=len(_items(record, "placements")) + len(_items(record, "prior_placements")),
        )


@dataclass(frozen=True, slots=True)
class TransferChoices:
    preview: TransferPreview
    cohorts: tuple[CohortRow, ...]  # those on the package's qualification, by name


def prepare_transfer(db: Database, actor: Actor, package: Path) -> TransferChoices:
    """Runs on a worker thread: the package's record, read and checked, and the cohorts
    here that the apprentice could join."""
    actor.require(Permission.MANAGE_APPRENTICES)
    preview = TransferPreview.read(package)
    cohorts = sorted(
        (c for c in cohort_rows(db, actor) if c.qualification_code == preview.qualification_code),
        key=lambda c: c.name.casefold(),
    )
    return TransferChoices(preview, tuple(cohorts))


def no_cohort_text(preview: TransferPreview) -> str:
    return tr(
        "{file} holds {name}'s record on {qualification} ({code}), but no cohort here is on "
        "that qualification. Add a cohort for it on the Cohorts page, then import the "
        "transfer again."
    ).format(
        file=preview.path.name,
        name=preview.name or tr("an apprentice"),
        qualification=preview.qualification_title or tr("a qualification"),
        code=preview.qualification_code or tr("no code"),
    )


def summary_text(summary: ImportSummary, cohort: str) -> str:
    """What arrived, for the message shown once the import is done."""
    return tr(
        "{name} has joined {cohort}, transferring from {provider}.\n\n"
        "Prior assessment brought over: {units} signed off, {pieces} of evidence with "
        "{files}.\n"
        "Kept as history: {placements}.\n\n"
        "Their page shows the evidence and sign-offs under {provider}'s name."
    ).format(
        name=summary.name,
        cohort=cohort,
        provider=summary.from_provider,
        units=plural(summary.units_signed_off, tr("unit")),
        pieces=plural(summary.evidence, tr("piece")),
        files=(
            plural(summary.attachments, tr("evidence file"))
            if summary.attachments
            else tr("no evidence files")
        ),
        placements=plural(summary.prior_placements, tr("earlier placement")),
    )


def _cohort_text(cohort: CohortRow) -> str:
    return tr("{name} – {employer}, from {start}").format(
        name=cohort.name, employer=cohort.employer, start=format_date(cohort.start_date)
    )


class TransferDialog(FormDialog):
    """Whose record the package holds, and the cohort they join; Import runs the
    import off the window's thread and the dialog closes only once it is done."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        choices: TransferChoices,
        parent: QWidget | None = None,
    ) -> None:
        p = choices.preview
        intro = QWidget()
        super().__init__(tr("Import a transfer"), parent, intro=intro, save_text=tr("&Import"))
        self._db, self._actor = db, actor
        self.preview = p
        self.joined = ""  # the chosen cohort's name

        self.who_label = QLabel(
            tr("{name} (ULN {uln})").format(name=p.name or tr("Unnamed apprentice"), uln=p.uln)
            if p.uln
            else (p.name or tr("Unnamed apprentice"))
        )
        self.who_label.setObjectName("transferWho")
        self.who_label.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.who_label.font())
        bold.setPointSizeF(bold.pointSizeF() * 1.2)
        bold.setBold(True)
        self.who_label.setFont(bold)
        exported = (
            tr("{file}, exported on {day}").format(file=p.path.name, day=format_date(p.exported_on))
            if p.exported_on is not None
            else p.path.name
        )
        self.about_label = QLabel(
            tr(
                "Transferring from {provider}, on the {qualification}.\n"
                "Package: {exported}.\n\n"
                "Arrives as prior assessment: {units} signed off, {pieces} of evidence "
                "with {files}.\n"
                "Kept as history, not as placements here: {placements}."
            ).format(
                provider=p.provider or tr("another provider"),
                qualification=p.qualification_title or p.qualification_code,
                exported=exported,
                units=plural(p.units_signed_off, tr("unit")),
                pieces=plural(p.evidence, tr("piece")),
                files=plural(p.files, tr("file")) if p.files else tr("no files"),
                placements=plural(p.placements, tr("earlier placement")),
            )
        )
        self.about_label.setObjectName("transferAbout")
        self.about_label.setTextFormat(Qt.TextFormat.PlainText)
        self.about_label.setWordWrap(True)
        self.about_label.setToolTip(str(p.path))
        column = QVBoxLayout(intro)
        column.setContentsMargins(0, 0, 0, 8)
        column.addWidget(self.who_label)
        column.addWidget(self.about_label)

        self.cohort_combo = QComboBox()
        self.cohort_combo.setObjectName("transferCohort")
        self._cohort_names = {c.id: c.name for c in choices.cohorts}
        for cohort in choices.cohorts:
            self.cohort_combo.addItem(_cohort_text(cohort), cohort.id)
        self.cohort_combo.setPlaceholderText(tr("Choose a cohort…"))
        # One cohort is the answer; with several, the person chooses rather than
        # accepting whichever happens to be first.
        self.cohort_combo.setCurrentIndex(0 if len(choices.cohorts) == 1 else -1)
        self.add_field("cohort_id", tr("&Joins cohort:"), self.cohort_combo)

        self.busy = BusyIndicator(
            "transferBusy", tr("Importing: checking every file against its fingerprint…")
        )
        self.form.addRow(self.busy)

        self.save_button.setToolTip(tr("Add the apprentice to the chosen cohort (Ctrl+S)"))
        self.setMinimumWidth(620)

    @property
    def summary(self) -> ImportSummary | None:
        """What arrived, once imported."""
        return self.result_value if isinstance(self.result_value, ImportSummary) else None

    @property
    def saved_id(self) -> int | None:
        return self.summary.apprentice_id if self.summary is not None else None

    def submit(self) -> None:
        cohort_id = self.cohort_combo.currentData()
        if cohort_id is None:
            raise FieldError("cohort_id", tr("Choose the cohort the apprentice joins here."))
        self.joined = self._cohort_names[int(cohort_id)]
        db, actor, path = self._db, self._actor, self.preview.path
        self.run(lambda: import_apprentice(db, actor, path, int(cohort_id)))

    def set_running(self, running: bool) -> None:
        super().set_running(running)
        self.busy.setVisible(running)
        self.cohort_combo.setEnabled(not running)
        # Grow to fit the working row: a dialog does not grow by itself and would
        # squeeze the word-wrapped description above to make room.
        self.adjustSize()

    def refusal(self, exc: Exception) -> Exception:
        if isinstance(exc, FieldError) and exc.field == "cohort_id":
            return exc
        reason = file_problem(exc, self.preview.path, reading=True)
        return ServiceError(
            tr("Nothing was imported from {file}.\n\n{reason}").format(
                file=self.preview.path.name, reason=reason
            )
        )
