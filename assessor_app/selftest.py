"""`assessor-app selftest`: prove that this copy of the app works on this PC.

Runs the real code end to end in a throwaway folder: a new database (migrations), the
catalogue, accounts, an apprentice with a checked choice of units, evidence with an
attached file, a sign-off, the progress PDF and the tracker workbook, both read back;
then Qt on the offscreen platform (no display needed). A bundle that is missing a data
file, a driver, a shared library or a Qt plugin fails here with the step that broke.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from assessor_app import __version__
from assessor_app.domain.credit_rules import check_selection
from assessor_app.domain.dates import add_months
from assessor_app.domain.uln import uln_check_digit
from assessor_app.services import users
from assessor_app.services.apprentices import ApprenticeInput, choose_units, enrol_apprentice
from assessor_app.services.catalogue import ensure_default_catalogue
from assessor_app.services.catalogue_queries import load_qualification
from assessor_app.services.cohorts import CohortInput, create_cohort
from assessor_app.services.evidence import (
    EvidenceInput,
    assess_evidence,
    open_attachment,
    record_evidence,
    sign_off_unit,
    submit_evidence,
)
from assessor_app.services.evidence_queries import evidence_book
from assessor_app.services.organisations import OrganisationInput, add_setting, create_organisation
from assessor_app.services.progress_queries import apprentice_progress
from assessor_app.services.roles import Actor, Role
from assessor_app.store.database import Database, check_database, open_database

# A valid choice of optional units (the demo's), and one short of credits.
VALID_UNITS = ("B1", "B2", "B4", "B5", "B8", "B9", "C12", "C13")
INVALID_UNITS = ("B1", "B2", "C1", "C12", "C13")
SIGNED_UNIT = "B1"
APPRENTICE = ("Selftest", "Apprentice")
ATTACHMENT_TEXT = "Notes of the discussion: duty of care and raising concerns.\n"


class SelftestFailure(Exception):
    """A check that did not hold; the message says what was expected and what was found."""


@dataclass
class _Run:
    folder: Path
    today: date
    db: Database | None = None
    facts: dict[str, int] = field(default_factory=dict)
    admin: Actor | None = None
    assessor: Actor | None = None
    pdf: Path | None = None
    workbook: Path | None = None

    @property
    def database(self) -> Database:
        assert self.db is not None, "the database step runs first"
        return self.db


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise SelftestFailure(message)


def _open_database(run: _Run) -> str:
    run.db = open_database(str(run.folder / "selftest.sqlite3"), backup_dir=run.folder / "backups")
    report = check_database(run.db)
    _expect(report.ok, "the new database fails its checks: " + "; ".join(report.problems))
    return f"schema at revision {report.revision}"


def _catalogue(run: _Run) -> str:
    ensure_default_catalogue(run.database)
    qual = load_qualification(run.database)
    _expect(len(qual.units) > 0, f"the catalogue installed no units for {qual.code}")
    return f"{qual.code}: {len(qual.units)} units"


def _credit_check(run: _Run) -> str:
    qual = load_qualification(run.database)
    good = check_selection(qual, VALID_UNITS)
    _expect(good.valid, f"a valid choice was judged invalid: {[f.code for f in good.errors]}")
    bad = check_selection(qual, INVALID_UNITS)
    _expect(not bad.valid and bool(bad.errors), "a choice short of credits was judged valid")
    _expect(bool(bad.suggestions), "no fix was suggested for an invalid choice")
    code = bad.errors[0].code
    return f"valid choice {good.credits.total} credits; invalid one explained ({code})"


def _records(run: _Run) -> str:
    db = run.database
    run.admin = users.create_first_admin(
        db, "selftest-admin", "Selftest Admin", "selftest-admin-pw1"
    )
    assessor_id = users.create_user(
        db, run.admin, "selftest-assessor", "Selftest Assessor", Role.ASSESSOR, "selftest-assr-pw1"
    )
    run.assessor = users.sign_in(db, "selftest-assessor", "selftest-assr-pw1")
    _expect(run.assessor.user_id == assessor_id, "signing in returned another account")
    coordinator = Actor(run.admin.user_id, "selftest-admin", Role.COORDINATOR)
    employer = create_organisation(
        db,
        coordinator,
        OrganisationInput("Selftest Care Home", "social_care", is_employer=True, is_host=True),
    )
    provider = create_organisation(
        db,
        coordinator,
        OrganisationInput("Selftest Training", "social_care", is_training_provider=True),
    )
    add_setting(db, coordinator, employer, "Selftest Lodge", "residential_home", "Selftown")
    start = add_months(run.today.replace(day=1), -3)
    cohort = create_cohort(
        db,
        coordinator,
        CohortInput("Selftest cohort", employer, provider, "L2-CARE", start, Decimal("37.5")),
    )
    prefix = "412345678"
    uln = prefix + str(uln_check_digit(prefix))
    apprentice = enrol_apprentice(
        db,
        coordinator,
        ApprenticeInput(
            given_name=APPRENTICE[0],
            family_name=APPRENTICE[1],
            uln=uln,
            date_of_birth=add_months(start, -12 * 20),
            cohort_id=cohort,
            start_date=start,
            planned_end_date=add_months(start, 15) - timedelta(days=1),
            assessor_id=assessor_id,
        ),
    )
    verdict = choose_units(db, coordinator, apprentice, list(VALID_UNITS))
    _expect(verdict.valid, "the apprentice's valid choice of units was saved as invalid")
    run.facts.update(cohort=cohort, apprentice=apprentice)
    return f"apprentice {uln} enrolled with {verdict.credits.total} credits chosen"


def _evidence(run: _Run) -> str:
    db, assessor = run.database, run.assessor
    assert assessor is not None and run.admin is not None
    apprentice = run.facts["apprentice"]
    statement = run.folder / "discussion-notes.txt"
    statement.write_text(ATTACHMENT_TEXT, encoding="utf-8")
    piece = record_evidence(
        db,
        assessor,
        EvidenceInput(
            apprentice,
            run.today - timedelta(days=2),
            "professional_discussion",
            "Discussion of the duty of care",
            context="college",
            coverage=[(SIGNED_UNIT, None)],
        ),
        [statement],
        today=run.today,
    )
    submit_evidence(db, assessor, piece)
    assess_evidence(db, assessor, piece, accept=True, on=run.today - timedelta(days=1))
    sign_off_unit(
        db, assessor, apprentice, SIGNED_UNIT, on=run.today, judgement="Meets every outcome."
    )
    [item] = [e for e in evidence_book(db, assessor, apprentice).evidence if e.id == piece]
    _expect(len(item.attachments) == 1, "the attached file was not kept with the evidence")
    copy = open_attachment(db, assessor, item.attachments[0].id, run.folder / "opened")
    _expect(
        copy.read_text(encoding="utf-8") == ATTACHMENT_TEXT,
        f"the attachment read back from {copy} differs from the file attached",
    )
    result = apprentice_progress(db, run.admin, apprentice, today=run.today).progress
    _expect(result.achieved.total > 0, f"unit {SIGNED_UNIT} was signed off but no credit counts")
    return f"unit {SIGNED_UNIT} signed off; {result.achieved.total} credits achieved"


def _progress_pdf(run: _Run) -> str:
    import pypdfium2 as pdfium

    from assessor_app.reports.progress_report import write_progress_report

    assert run.admin is not None
    run.pdf = write_progress_report(
        run.database,
        run.admin,
        run.facts["apprentice"],
        run.folder / "progress.pdf",
        today=run.today,
        provider="Selftest Training",
    )
    pdf = pdfium.PdfDocument(str(run.pdf))
    try:
        pages = len(pdf)
        _expect(pages > 0, f"{run.pdf} has no pages")
        page = pdf[0]
        text = page.get_textpage().get_text_range()
        bitmap = page.render(scale=0.5)
        size = (bitmap.width, bitmap.height)
    finally:
        pdf.close()
    name = " ".join(APPRENTICE)
    _expect(name in text, f"{run.pdf}: page 1 does not name the apprentice ({name})")
    _expect(size[0] > 0 and size[1] > 0, f"{run.pdf}: page 1 could not be drawn")
    return f"{pages} page(s), {run.pdf.stat().st_size} bytes"


def _tracker(run: _Run) -> str:
    from openpyxl import load_workbook

    from assessor_app.reports.tracker_export import export_tracker

    assert run.admin is not None
    run.workbook = export_tracker(
        run.database, run.admin, run.facts["cohort"], run.folder / "tracker.xlsx", today=run.today
    )
    book = load_workbook(run.workbook, read_only=True)
    try:
        cells = {
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        }
        sheets = len(book.worksheets)
    finally:
        book.close()
    _expect(
        any(APPRENTICE[1] in cell for cell in cells),
        f"{run.workbook}: the apprentice ({' '.join(APPRENTICE)}) is not in the tracker",
    )
    return f"{sheets} sheet(s), {run.workbook.stat().st_size} bytes"


def _qt_offscreen(run: _Run) -> str:
    # No display is needed or wanted: the check is that Qt and its plugins load.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from assessor_app.reports.pdf_render import render_pages
    from assessor_app.ui.qt import QApplication, QImage, qt_versions

    app = QApplication.instance() or QApplication(["assessor-app"])
    platform = QApplication.platformName() if isinstance(app, QApplication) else "?"
    _expect(platform == "offscreen", f"Qt started the {platform!r} platform, not offscreen")
    icon = Path(__file__).resolve().parent / "resources" / "icons" / "assessor.svg"
    image = QImage(str(icon))
    _expect(not image.isNull(), f"Qt cannot read the SVG icon {icon} (image format plugin)")
    assert run.pdf is not None
    page = next(render_pages(run.pdf, dpi=36))
    preview = QImage(page.rgb, page.width, page.height, page.stride, QImage.Format.Format_RGB888)
    _expect(not preview.isNull(), "the report preview could not be turned into a Qt image")
    return qt_versions()


STEPS: tuple[tuple[str, Callable[[_Run], str]], ...] = (
    ("database", _open_database),
    ("catalogue", _catalogue),
    ("credit check", _credit_check),
    ("records", _records),
    ("evidence", _evidence),
    ("progress report", _progress_pdf),
    ("tracker workbook", _tracker),
    ("Qt offscreen", _qt_offscreen),
)


def run_selftest(
    *,
    work_dir: Path | None = None,
    today: date | None = None,
    say: Callable[[str], None] = print,
) -> bool:
    """Run every step, saying how each went; True when all passed. Stops at the first
    failure. Files go to a temporary folder (removed afterwards) unless `work_dir` is
    given, which must be new or empty."""
    say(f"Assessor {__version__} selftest")
    with tempfile.TemporaryDirectory(prefix="assessor-selftest-") as temp:
        run = _Run(folder=work_dir or Path(temp), today=today or date.today())
        try:
            for name, step in (("folder", _folder), *STEPS):
                started = time.perf_counter()
                try:
                    detail = step(run)
                except Exception as exc:  # any failure is reported, never a traceback
                    reason = str(exc) or type(exc).__name__
                    say(f"FAILED {name}: {reason}")
                    say("selftest failed")
                    return False
                say(f"ok     {name}: {detail} ({time.perf_counter() - started:.2f} s)")
        finally:
            if run.db is not None:
                run.db.dispose()
    say("selftest passed")
    return True


def _folder(run: _Run) -> str:
    run.folder.mkdir(parents=True, exist_ok=True)
    _expect(
        not any(run.folder.iterdir()),
        f"{run.folder} is not empty; give a new or empty folder to keep the selftest's files in",
    )
    return str(run.folder)
