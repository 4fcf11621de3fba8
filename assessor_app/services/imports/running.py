"""Running an import: every row checked, then all of them saved or none.

All rows run inside one transaction, each in its own SAVEPOINT, through the same
session-level service functions the forms use, so each row is checked against
the database as it stands after the rows before it (a ULN repeated in the file
is caught) and writes its usual audit entry. A refused row's savepoint is rolled
back and the next row goes on; at the end the whole transaction is rolled back
if anything was refused or this is a dry run, and committed otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from assessor_app.domain.wording import plural
from assessor_app.services import audit
from assessor_app.services.errors import FieldError, ServiceError
from assessor_app.services.imports.kinds import KINDS, Kind, Step
from assessor_app.services.imports.spreadsheet import ImportFileError, Problem, read_sheet
from assessor_app.services.roles import Actor
from assessor_app.store.database import WRITE_LOCK_OPTION, Database


@dataclass(frozen=True)
class ImportReport:
    kind: str
    rows_read: int
    rows_imported: int  # 0 for a dry run or when anything was refused
    problems: tuple[Problem, ...]
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One sentence for a status line or the command line."""
        if self.problems:
            rows = len({p.row for p in self.problems})
            return (
                f"Nothing was imported: {plural(len(self.problems), 'problem')} to fix, "
                f"in {plural(rows, 'row')} of the file."
            )
        if self.dry_run:
            return (
                f"{plural(self.rows_read, 'row')} checked: all can be imported "
                "(nothing was saved: this was a dry run)."
            )
        return f"Imported {plural(self.rows_imported, 'row')}."


def kind_named(kind: str) -> Kind:
    try:
        return KINDS[kind]
    except KeyError:
        raise ImportFileError(
            f"'{kind}' is not something that can be imported: choose {', '.join(KINDS)}."
        ) from None


def import_file(
    db: Database,
    actor: Actor,
    kind: str,
    path: Path | str,
    *,
    dry_run: bool = False,
    today: date | None = None,
) -> ImportReport:
    """Import a spreadsheet of `kind` (apprentices, placements, catalogue, evidence).

    Raises ImportFileError when the file as a whole cannot be read (not a workbook,
    damaged, unsafe); problems with headings, rows and cells are in the report.
    """
    spec = kind_named(kind)
    actor.require(spec.permission)
    path = Path(path)
    sheet = read_sheet(path, spec.name, spec.columns)
    problems = list(sheet.problems)
    imported = 0
    session = db.sessions()
    try:
        _begin(session)
        steps = spec.plan(session, sheet.rows, problems, today or date.today())
        for step in steps:
            _run(session, actor, step, problems)
        if problems or dry_run:
            session.rollback()
        else:
            imported = sum(step.rows for step in steps)
            audit.record(session, actor, f"import.{spec.name}", "import", path.name, rows=imported)
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    problems.sort(key=lambda p: p.row)
    return ImportReport(spec.name, len(sheet.rows), imported, tuple(problems), dry_run)


def _begin(session: Session) -> None:
    # Take the write lock now (waiting out the busy timeout), so another writer
    # cannot make the import fail half way through.
    session.connection(execution_options={WRITE_LOCK_OPTION: True})


def _run(session: Session, actor: Actor, step: Step, problems: list[Problem]) -> None:
    savepoint = session.begin_nested()
    try:
        step.apply(session, actor)
    except FieldError as exc:
        savepoint.rollback()
        problems.append(Problem(step.row, step.fields.get(exc.field, step.column), str(exc)))
    except ServiceError as exc:
        savepoint.rollback()
        problems.append(Problem(step.row, step.column, str(exc)))
    except (IntegrityError, DataError) as exc:
        # The checks above should catch everything; this keeps a value the database
        # still refuses (e.g. too long for a column on PostgreSQL) a row problem.
        savepoint.rollback()
        problems.append(
            Problem(step.row, step.column, f"The database refused this row: {exc.orig}")
        )
    else:
        savepoint.commit()
