"""The command line: `assessor-app` and `python -m assessor_app`.

Exit codes are a stable contract: 0 success (for check-selection: valid),
1 the check failed (invalid selection, database problems found), 2 bad input or
usage, with a message naming the file, line or option; 3 an internal error, with
details in the log file. No input produces a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from assessor_app import __version__, logs, paths
from assessor_app.domain.credit_rules import check_selection
from assessor_app.selection_input import (
    SelectionInputError,
    read_text_file,
    resolve_selection,
)
from assessor_app.services.catalogue_queries import load_qualification, units_outside
from assessor_app.services.errors import ServiceError
from assessor_app.startup import open_app_database
from assessor_app.store.database import (
    DatabaseError,
    check_database,
    open_database,
    schema_revisions,
    upgrade_schema,
)
from assessor_app.verdict_output import verdict_json, verdict_text

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

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

    db = commands.add_parser("db", help="database upkeep")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", parser_class=_Parser)
    db_commands.required = True
    db_commands.add_parser("upgrade", help="bring the schema up to date (backs up first)")
    db_commands.add_parser("check", help="integrity and foreign-key checks, schema version")
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
    db = open_database(target, upgrade=False)
    try:
        report = check_database(db)
        revision, head = schema_revisions(db)
    finally:
        db.dispose()
    print(f"Database: {db.path or db.url}")
    print(f"Schema revision: {revision or 'none'} (this version expects {head})")
    if report.ok:
        print("Integrity: ok")
        return EXIT_OK
    print("Problems found:")
    for problem in report.problems:
        print(f"  - {problem}")
    return EXIT_FAILED


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
    print(f"Demo database: {db.path or db.url}")
    print(
        f"{summary.cohorts} cohorts, {summary.apprentices} apprentices, "
        f"{summary.placements} placements."
    )
    print("Accounts (username / password / role):")
    for account in summary.accounts:
        print(f"  {account.username:12} {account.password:24} {account.role.value}")
    print(f"Open it with: assessor-app --db {db.path or db.url}")
    return EXIT_OK


def _exists(target: str) -> bool:
    return "://" in target or Path(target).expanduser().exists()
