"""The command line: `assessor-app` and `python -m assessor_app`.

Exit codes are a stable contract: 0 success (for check-selection: valid),
1 the check failed (invalid selection, database problems found), 2 bad input or
usage, with a message naming the file, line or option; 3 an internal error, with
details in the log file. No input produces a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from assessor_app import __version__, cli_data_protection, logs, paths
from assessor_app.domain.credit_rules import check_selection
from assessor_app.selection_input import (
    SelectionInputError,
    read_text_file,
    resolve_selection,
)
from assessor_app.services.catalogue_queries import load_qualification, units_outside
from assessor_app.services.errors import ServiceError
from assessor_app.services.roles import Actor, Role
from assessor_app.startup import open_app_database
from assessor_app.store.database import (
    DatabaseError,
    open_database,
    upgrade_schema,
)
from assessor_app.verdict_output import verdict_json, verdict_text

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
IMPORT_KINDS = ("apprentices", "placements", "catalogue", "evidence")

log = logging.getLogger(__name__)


class UsageError(Exception):
    """Bad input from the command line; the message says what to change."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message}\nRun '{self.prog} --help' for usage.")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="assessor-app",
        description="Assessor: records for health and social care apprenticeships. "
        "With no command, starts the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"assessor-app {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or URL (default: assessor.sqlite3 in the data folder)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="FOLDER",
        help="folder for the database, backups and logs (default: the user data folder; "
        "or set ASSESSOR_DATA_DIR)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser(
        "check-selection",
        help="check a choice of optional units against the rules of combination",
        description="Check optional units listed one per line (title or unit reference; "
        "blank lines and lines starting with # are ignored). Exit 0 when valid, 1 when "
        "not, 2 for bad input.",
    )
    check.add_argument("file", metavar="FILE", help="text file listing the optional units")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.add_argument(
        "--qualification", metavar="CODE", help="qualification code (default: L2-CARE)"
    )
    check.add_argument(
        "--achieved",
        metavar="FILE",
        help="units already achieved, one per line: they always count and are never "
        "suggested for removal",
    )

    demo = commands.add_parser(
        "demo",
        help="create a demo database (two cohorts like the pilot's) and print its accounts",
    )
    demo.add_argument(
        "--db",
        dest="demo_db",
        metavar="PATH",
        help="the new database file (default: demo.sqlite3 in the data folder)",
    )

    report = commands.add_parser("report", help="write a printable PDF report")
    kinds = report.add_subparsers(dest="report_kind", metavar="KIND", parser_class=_Parser)
    kinds.required = True
    progress = kinds.add_parser("progress", help="an apprentice's progress report")
    progress.add_argument("--apprentice", required=True, metavar="ULN")
    for name, text in (
        ("cohort", "one row per apprentice, with the outcome totals"),
        ("schedule", "the cohort's placements by period and the units planned in each"),
    ):
        kind = kinds.add_parser(name, help=text)
        kind.add_argument("--cohort", required=True, metavar="NAME")
    notice = kinds.add_parser("notice", help="advance notice of one placement")
    notice.add_argument("--placement", required=True, type=int, metavar="ID")
    for kind in (progress, *kinds.choices.values()):
        if not any(a.dest == "out" for a in kind._actions):
            kind.add_argument("--out", required=True, metavar="FILE.pdf")
            kind.add_argument(
                "--provider",
                metavar="NAME",
                help="name printed in the header "
                "(default: the apprentice's or cohort's training provider)",
            )
            kind.add_argument("--logo", metavar="IMAGE", help="logo printed in the header")

    export = commands.add_parser("export", help="write a spreadsheet")
    exports = export.add_subparsers(dest="export_kind", metavar="KIND", parser_class=_Parser)
    exports.required = True
    tracker = exports.add_parser("tracker", help="the cohort tracker workbook")
    tracker.add_argument("--cohort", required=True, metavar="NAME")
    tracker.add_argument("--out", required=True, metavar="FILE.xlsx")

    importing = commands.add_parser(
        "import",
        help="import a spreadsheet (all rows or none), or write its template",
        description="Every row is checked first; nothing is imported unless the whole file "
        "is valid. Exit 0 when imported (or valid on --dry-run), 2 when there are problems.",
    )
    importing.add_argument(
        "kind", choices=IMPORT_KINDS, metavar="KIND", help=f"one of: {', '.join(IMPORT_KINDS)}"
    )
    importing.add_argument("file", nargs="?", metavar="FILE.xlsx", help="the workbook to import")
    importing.add_argument(
        "--dry-run", action="store_true", help="check every row and report, without saving anything"
    )
    importing.add_argument(
        "--template",
        metavar="FILE.xlsx",
        help="write an empty template for KIND instead of importing",
    )
    importing.add_argument(
        "--errors", metavar="FILE.xlsx", help="also write the problems to this workbook"
    )

    db = commands.add_parser("db", help="database upkeep")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", parser_class=_Parser)
    db_commands.required = True
    db_commands.add_parser("upgrade", help="bring the schema up to date (backs up first)")
    db_commands.add_parser(
        "check",
        help="integrity and foreign-key checks, schema version, and every evidence file's hash",
    )
    backup = commands.add_parser(
        "backup",
        help="back up the database",
        description="FILE.zip: a portable backup of every record and evidence file, for "
        "either kind of database (restore it with 'restore'). FILE.sqlite3: a copy of a SQLite "
        "database file alone, without the evidence files.",
    )
    backup.add_argument("--out", required=True, metavar="FILE", help="FILE.zip or FILE.sqlite3")
    restore = commands.add_parser(
        "restore",
        help="restore a backup into a new or empty database",
        description="Restore FILE (.zip from 'backup', or a .sqlite3 backup) into the database "
        "given by --db (default: the usual one). A database that already holds records is "
        "refused unless --replace is given; it is then kept beside the restored one.",
    )
    restore.add_argument("file", metavar="FILE", help="the backup to restore")
    restore.add_argument(
        "--replace",
        action="store_true",
        help="replace a database that holds records (it is kept, renamed .replaced-TIME)",
    )
    selftest = commands.add_parser(
        "selftest",
        help="check this copy of the app end to end in a temporary folder (no display needed); "
        "exit 0 when every step passes, 1 with the step that failed",
    )
    selftest.add_argument("--keep", metavar="FOLDER", help="keep the files it writes in FOLDER")
    cli_data_protection.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(args_list)
    except UsageError as exc:
        _err(str(exc))
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)

    app_paths = paths.resolve(args.data_dir)
    logs.configure(app_paths.log_file)
    if args.command is None:
        from assessor_app.ui.app import run_app  # Qt only when the window is wanted

        return run_app(app_paths, args.db)
    try:
        if args.command == "check-selection":
            return _check_selection(args, app_paths)
        if args.command == "db":
            return _db(args, app_paths)
        if args.command == "demo":
            return _demo(args, app_paths)
        if args.command == "report":
            return _report(args, app_paths)
        if args.command == "export":
            return _export(args, app_paths)
        if args.command == "import":
            return _import(args, app_paths)
        if args.command in cli_data_protection.COMMANDS:
            return cli_data_protection.run(args, app_paths, command_line_actor())
        if args.command in ("backup", "restore"):
            return (
                _backup(args, app_paths) if args.command == "backup" else _restore(args, app_paths)
            )
        if args.command == "selftest":
            from assessor_app.selftest import run_selftest

            keep = Path(args.keep).expanduser() if args.keep else None
            return EXIT_OK if run_selftest(work_dir=keep) else EXIT_FAILED
    except (UsageError, SelectionInputError, DatabaseError, ServiceError) as exc:
        _err(str(exc))
        if getattr(args, "json", False):
            problems = getattr(exc, "problems", [])
            print(json.dumps({"error": str(exc), "problems": problems}, indent=2))
        return EXIT_BAD_INPUT
    except Exception:
        log.critical("internal error in %s", args.command, exc_info=True)
        _err(
            f"internal error: the command could not finish. Details are in "
            f"{app_paths.log_file}; please report them."
        )
        return EXIT_INTERNAL
    return EXIT_BAD_INPUT


def _err(message: str) -> None:
    print(f"assessor-app: {message}", file=sys.stderr)


def _check_selection(args: argparse.Namespace, app_paths: paths.AppPaths) -> int:
    selection_path = Path(args.file)
    text = read_text_file(selection_path)
    achieved_text = read_text_file(Path(args.achieved)) if args.achieved else ""
    db = open_app_database(app_paths, args.db)
    try:
        qual = load_qualification(db, args.qualification)
        others = units_outside(db, qual.code)
    finally:
        db.dispose()
    chosen = resolve_selection(str(selection_path), text, qual, others)
    achieved = (
        resolve_selection(str(args.achieved), achieved_text, qual, others)
        if args.achieved
        else None
    )
    if achieved and achieved.names:
        ref = next(iter(achieved.names))
        raise SelectionInputError(
            f"{args.achieved}: {achieved.names[ref]} ({ref}) is not a unit of the {qual.title}; "
            "list only this qualification's achieved units."
        )
    verdict = check_selection(
        qual, chosen.refs, achieved.refs if achieved else (), names=chosen.names
    )
    if args.json:
        lines = [(line.number, line.text, ref) for line, ref in chosen.lines]
        print(json.dumps(verdict_json(verdict, qual, names=chosen.names, lines=lines), indent=2))
    else:
        print(verdict_text(verdict, qual))
    return EXIT_OK if verdict.valid else EXIT_FAILED


def _db(args: argparse.Namespace, app_paths: paths.AppPaths) -> int:
    target = args.db or str(app_paths.database)
    if args.db_command == "upgrade":
        db = open_database(target, upgrade=False)
        try:
            result = upgrade_schema(db, backup_dir=app_paths.backups)
        finally:
            db.dispose()
        if not result.changed:
            print(f"Schema is up to date (revision {result.after}).")
        else:
            print(f"Schema upgraded from {result.before or 'empty'} to {result.after}.")
            if result.backup:
                print(f"Backup of the previous database: {result.backup}")
        return EXIT_OK
    if not _exists(target):
        raise UsageError(f"{target} does not exist; nothing to check.")
    from assessor_app.services.backups import check_everything

    db = open_database(target, upgrade=False)
    try:
        full = check_everything(db)
        report = full.database
    finally:
        db.dispose()
    print(f"Database: {db.location}")  # a server URL without its password
    print(f"Schema revision: {report.revision or 'none'} (this version expects {report.head})")
    print(f"Evidence files checked: {full.evidence_files}")
    if full.ok:
        print("Integrity: ok")
        return EXIT_OK
    print("Problems found:")
    for problem in (*report.problems, *full.evidence_problems):
        print(f"  - {problem}")
    return EXIT_FAILED


def _backup(args: argparse.Namespace, app_paths: paths.AppPaths) -> int:
    from assessor_app.services.backups import copy_database, export_backup

    out = Path(args.out).expanduser()
    kind = out.suffix.lower()
    if kind not in (".zip", ".sqlite3"):
        raise UsageError(f"--out {args.out}: give a file name ending in .zip or .sqlite3.")
    if not out.parent.is_dir():
        raise UsageError(f"--out {args.out}: the folder {out.parent} does not exist.")
    if out.exists():
        raise UsageError(f"--out {args.out} already exists; give a new file name.")
    db = open_app_database(app_paths, args.db)
    try:
        if kind == ".zip":
            summary = export_backup(db, command_line_actor(), out)
            print(
                f"Backed up {summary.total_rows} records and {summary.evidence_files} evidence "
                f"files (schema {summary.revision}) to {out}"
            )
        else:
            copy_database(db, command_line_actor(), out)
            print(f"Database copied to {out} (evidence files are only in a .zip backup)")
    finally:
        db.dispose()
    return EXIT_OK


def _restore(args: argparse.Namespace, app_paths: paths.AppPaths) -> int:
    from assessor_app.services.backups import restore_database

    target = args.db or str(app_paths.database)
    outcome = restore_database(
        target,
        Path(args.file).expanduser(),
        command_line_actor(),
        app_paths.backups,
        replace=args.replace,
    )
    what = f"{outcome.rows} records" if outcome.rows is not None else "the database file"
    print(f"Restored {what} and {outcome.evidence_files} evidence files into {outcome.target}")
    if outcome.replaced is not None:
        print(f"The database it replaced is kept as {outcome.replaced}")
    return EXIT_OK


def _demo(args: argparse.Namespace, app_paths: paths.AppPaths) -> int:
    from assessor_app.services.demo import build_demo

    target = args.demo_db or args.db or str(app_paths.data_dir / "demo.sqlite3")
    if "://" not in target and Path(target).expanduser().exists():
        raise UsageError(
            f"{target} already exists; the demo is built in a new file. Remove it or give "
            "another path with --db."
        )
    db = open_app_database(app_paths, target)
    try:
        summary = build_demo(db)
    except BaseException:
        db.dispose()
        if db.path is not None:  # leave no half-built demo behind
            for leftover in db.path.parent.glob(db.path.name + "*"):
                leftover.unlink()
        raise
    db.dispose()
    print(f"Demo database: {db.location}")  # a server URL without its password
    print(
        f"{summary.cohorts} cohorts, {summary.apprentices} apprentices, "
        f"{summary.placements} placements."
    )
    print("Accounts (username / password / role):")
    for account in summary.accounts:
        print(f"  {account.username:12} {account.password:24} {account.role.value}")
    print(f"Open it with: assessor-app --db {db.location}")
    return EXIT_OK


def command_line_actor() -> Actor:
    """Commands run by whoever is at the keyboard of this PC: audited under their
    operating-system user name."""
    try:
        who = getpass.getuser()
    except (OSError, KeyError):
        who = "unknown"
    return Actor(user_id=None, username=f"command line ({who})", role=Role.SYSTEM)


def _output(path_text: str, suffix: str) -> Path:
    out = Path(path_text).expanduser()
    if out.suffix.lower() != suffix:
        raise UsageError(f"--out {path_text}: give a file name ending in {suffix}.")
    if not out.parent.is_dir():
        raise UsageError(f"--out {path_text}: the folder {out.parent} does not exist.")
    return out


def _report(args: argparse.Namespace, app_paths: paths.AppPaths) -> int:
    from assessor_app.reports.cohort_report import write_cohort_report
    from assessor_app.reports.placement_notice import write_placement_notice
    from assessor_app.reports.progress_report import write_progress_report
    from assessor_app.reports.schedule_report import write_schedule_report
    from assessor_app.services import report_queries

    out = _output(args.out, ".pdf")
    logo = Path(args.logo).expanduser() if args.logo else None
    if logo is not None and not logo.is_file():
        raise UsageError(f"--logo {args.logo}: no such image file.")
    actor = command_line_actor()
    db = open_app_database(app_paths, args.db)
    try:
        if args.report_kind == "progress":
            apprentice = report_queries.find_apprentice_by_uln(db, actor, args.apprentice)
            provider = (
                args.provider or report_queries.programme_details(db, actor, apprentice).provider
            )
            write_progress_report(db, actor, apprentice, out, provider=provider, logo=logo)
        elif args.report_kind == "notice":
            provider = (
                args.provider or report_queries.placement_notice(db, actor, args.placement).provider
            )
            write_placement_notice(db, actor, args.placement, out, provider=provider, logo=logo)
        else:
            cohort = report_queries.find_cohort_by_name(db, actor, args.cohort)
            provider = args.provider or report_queries.cohort_details(db, actor, cohort).provider
            write = write_cohort_report if args.report_kind == "cohort" else write_schedule_report
            write(db, actor, cohort, out, provider=provider, logo=logo)
    finally:
        db.dispose()
    print(f"Written {out}")
    return EXIT_OK


def _export(args: argparse.Namespace, app_paths: paths.AppPaths) -> int:
    from assessor_app.reports.tracker_export import export_tracker
    from assessor_app.services.report_queries import find_cohort_by_name

    out = _output(args.out, ".xlsx")
    actor = command_line_actor()
    db = open_app_database(app_paths, args.db)
    try:
        export_tracker(db, actor, find_cohort_by_name(db, actor, args.cohort), out)
    finally:
        db.dispose()
    print(f"Written {out}")
    return EXIT_OK


def _import(args: argparse.Namespace, app_paths: paths.AppPaths) -> int:
    from assessor_app.services.imports import import_file
    from assessor_app.services.imports.workbooks import write_error_workbook, write_template

    if args.template:
        if args.file:
            raise UsageError("Give either a FILE to import or --template FILE, not both.")
        out = _output(args.template, ".xlsx")
        write_template(args.kind, out)
        print(f"Template for {args.kind} written to {out}")
        return EXIT_OK
    if not args.file:
        raise UsageError(
            f"Give the workbook to import, e.g. assessor-app import {args.kind} "
            "FILE.xlsx (or --template FILE.xlsx for an empty one)."
        )
    errors_out = _output(args.errors, ".xlsx") if args.errors else None
    db = open_app_database(app_paths, args.db)
    try:
        report = import_file(
            db, command_line_actor(), args.kind, Path(args.file), dry_run=args.dry_run
        )
    finally:
        db.dispose()
    print(report.summary())
    for problem in report.problems:
        print(f"  {args.file} row {problem.row}, column '{problem.column}': {problem.message}")
    if errors_out is not None and report.problems:
        write_error_workbook(report, errors_out)
        print(f"Problems written to {errors_out}")
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


def _exists(target: str) -> bool:
    return "://" in target or Path(target).expanduser().exists()
