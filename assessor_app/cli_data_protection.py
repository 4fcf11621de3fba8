"""Command-line data protection: an apprentice's subject access package and
transfer import, and the retention list and erasure.

    assessor-app apprentice export ID_OR_ULN --out FILE.zip
    assessor-app apprentice import FILE.zip --cohort NAME_OR_ID
    assessor-app retention due [--on DATE]
    assessor-app retention erase ID_OR_ULN --confirm

cli.py adds these to its parser and hands them over here; problems are raised
as ServiceError, which it reports with exit code 2 like every other command.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from assessor_app import paths
from assessor_app.domain.wording import plural
from assessor_app.services.errors import ServiceError
from assessor_app.services.roles import Actor
from assessor_app.startup import open_app_database
from assessor_app.store.database import Database

COMMANDS = ("apprentice", "retention")


def add_commands(commands: Any) -> None:
    """Add the `apprentice` and `retention` commands to cli.py's subcommands."""
    apprentice = commands.add_parser(
        "apprentice", help="export everything held about an apprentice, or import a transfer"
    )
    actions = apprentice.add_subparsers(
        dest="apprentice_action", metavar="ACTION", parser_class=type(apprentice)
    )
    actions.required = True
    export = actions.add_parser(
        "export",
        help="subject access: a zip of the progress report, a workbook of everything held, "
        "the evidence files and a machine-readable record",
    )
    export.add_argument("apprentice", metavar="ID_OR_ULN", help="the apprentice's number or ULN")
    export.add_argument("--out", required=True, metavar="FILE.zip")
    importing = actions.add_parser(
        "import",
        help="add an apprentice transferring from another provider, from their exported zip; "
        "their evidence and sign-offs come as prior assessment",
    )
    importing.add_argument("file", metavar="FILE.zip")
    importing.add_argument(
        "--cohort", required=True, metavar="NAME_OR_ID", help="the cohort they join here"
    )

    retention = commands.add_parser("retention", help="records past their retention date")
    steps = retention.add_subparsers(
        dest="retention_action", metavar="ACTION", parser_class=type(retention)
    )
    steps.required = True
    due = steps.add_parser("due", help="list apprentices whose retention period is over")
    due.add_argument("--on", metavar="YYYY-MM-DD", help="as on this date (default: today)")
    erase = steps.add_parser(
        "erase", help="erase an apprentice's personal data after their retention date"
    )
    erase.add_argument("apprentice", metavar="ID_OR_ULN")
    erase.add_argument("--confirm", action="store_true", help="needed: erasure cannot be undone")


def run(args: argparse.Namespace, app_paths: paths.AppPaths, actor: Actor) -> int:
    db = open_app_database(app_paths, args.db)
    try:
        if args.command == "apprentice":
            return _apprentice(db, actor, args)
        return _retention(db, actor, args)
    finally:
        db.dispose()


def _find_apprentice(db: Database, actor: Actor, text: str) -> int:
    from assessor_app.services.report_queries import find_apprentice_by_uln

    wanted = text.strip()
    if len(wanted) == 10 and wanted.isdigit():
        return find_apprentice_by_uln(db, actor, wanted)
    if wanted.isdigit():
        return int(wanted)
    raise ServiceError(f"'{text}': give the apprentice's number or their 10-digit ULN.")


def _apprentice(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    if args.apprentice_action == "export":
        from assessor_app.reports.subject_access import export_apprentice

        out = Path(args.out).expanduser()
        if out.suffix.lower() != ".zip":
            raise ServiceError(f"--out {args.out}: give a file name ending in .zip.")
        if not out.parent.is_dir():
            raise ServiceError(f"--out {args.out}: the folder {out.parent} does not exist.")
        export_apprentice(db, actor, _find_apprentice(db, actor, args.apprentice), out)
        print(f"Written {out}")
        return 0
    from assessor_app.services.report_queries import find_cohort_by_name
    from assessor_app.services.subject_access import import_apprentice

    cohort_text = args.cohort.strip()
    cohort = (
        int(cohort_text) if cohort_text.isdigit() else find_cohort_by_name(db, actor, cohort_text)
    )
    summary = import_apprentice(db, actor, Path(args.file).expanduser(), cohort)
    units = plural(summary.units_signed_off, "unit")
    pieces = plural(summary.evidence, "piece")
    files = plural(summary.attachments, "file")
    placements = plural(summary.prior_placements, "earlier placement")
    print(
        f"Imported {summary.name} (number {summary.apprentice_id}) from "
        f"{summary.from_provider}: {units} signed off as prior assessment, {pieces} of "
        f"evidence with {files}, {placements} kept as history."
    )
    return 0


def _retention(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    from assessor_app.domain.dates import format_date
    from assessor_app.services.retention import due_for_erasure, erase_apprentice, retention_state

    if args.retention_action == "due":
        try:
            on = date.fromisoformat(args.on) if args.on else date.today()
        except ValueError:
            raise ServiceError(f"--on {args.on}: give the date as YYYY-MM-DD.") from None
        due = due_for_erasure(db, actor, on)
        if not due:
            print(f"No apprentice is past their retention date on {format_date(on)}.")
        for state in due:
            assert state.keep_until is not None
            print(
                f"{state.apprentice_id:>6}  {state.name}  {state.status} "
                f"{format_date(state.left_on) if state.left_on else ''}, kept until "
                f"{format_date(state.keep_until)}"
                + ("  (processing restricted)" if state.processing_restricted else "")
            )
        return 0
    apprentice_id = _find_apprentice(db, actor, args.apprentice)
    state = retention_state(db, actor, apprentice_id)
    kept = state.why_kept(date.today())
    if kept is not None:
        raise ServiceError(f"{state.name}'s personal data cannot be erased yet. {kept}")
    if not args.confirm:
        raise ServiceError(
            f"Erasing {state.name}'s personal data cannot be undone: run the command again "
            "with --confirm to go ahead."
        )
    summary = erase_apprentice(db, actor, apprentice_id)
    scrubbed = plural(summary.audit_entries_scrubbed, "audit entry", "audit entries")
    removed = plural(summary.files_removed, "evidence file")
    print(
        f"Erased the personal data of apprentice {apprentice_id}: {scrubbed} scrubbed, "
        f"{removed} removed."
    )
    return 0
