"""Time the app at provider scale on a database made by bench.generate.

    python -m bench.generate            # once: bench/data/provider.sqlite3
    python -m bench.run [--db PATH] [--repeat N] [--only NAME ...]

Prints one line per measurement: the median over the runs, the target, the
bare-library baseline for the same content where there is one, and the ratio
of the two. Baselines: the same rows read with raw SQL (sqlite3, no ORM), the
same PDF story laid out by bare reportlab (SimpleDocTemplate, no page
furniture), the same cell values streamed by bare openpyxl in write-only mode.
Writes go to a copy of the database, so the generated one never changes.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.generate import DEFAULT_OUT, DEFAULT_TODAY, uln

TODAY = DEFAULT_TODAY


@dataclass
class Figure:
    name: str
    median_ms: float
    target_ms: float | None = None
    baseline_ms: float | None = None
    note: str = ""

    def line(self) -> str:
        target = f"{self.target_ms:>9.0f}" if self.target_ms is not None else f"{'':>9}"
        base = f"{self.baseline_ms:>10.1f}" if self.baseline_ms is not None else f"{'':>10}"
        ratio = f"{self.median_ms / self.baseline_ms:>6.2f}x" if self.baseline_ms else f"{'':>7}"
        base_cpu = getattr(self.baseline_ms, "cpu", None)
        app_cpu = getattr(self.median_ms, "cpu", None)
        cpu_ratio = f"{app_cpu / base_cpu:>6.2f}x" if app_cpu and base_cpu else f"{'':>7}"
        cpu = getattr(self.median_ms, "cpu", None)
        cpu_text = f"{cpu:>9.1f}" if cpu is not None else f"{'':>9}"
        verdict = ""
        if self.target_ms is not None:
            verdict = "ok" if self.median_ms < self.target_ms else "MISSED"
        return (
            f"{self.name:44} {self.median_ms:>10.1f} {cpu_text} {target} {verdict:>6} {base} "
            f"{ratio} {cpu_ratio}  "
            f"{self.note}"
        )


HEADER = (
    f"{'measurement':44} {'median ms':>10} {'cpu ms':>9} {'target':>9} {'':>6} "
    f"{'baseline':>10} {'ratio':>7} {'cpu':>7}"
)


class Ms(float):
    """Milliseconds of wall-clock time, with the processor time beside them: other
    programs on a busy machine inflate the first but hardly the second."""

    cpu: float | None = None


def per(total: Ms, count: int) -> Ms:
    result = Ms(total / count)
    result.cpu = total.cpu / count if total.cpu is not None else None
    return result


def median_ms(fn: Callable[[], object], repeat: int, warm: bool = True) -> Ms:
    """The median time of `fn` over `repeat` runs (after one to warm up)."""
    if warm:
        fn()
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    result = Ms(statistics.median(times) * 1000)
    result.cpu = statistics.median(cpu) * 1000
    return result


# --- cold start ----------------------------------------------------------------------

_CHILD = r"""
import os, sys, time
t0 = float(sys.argv[2])
from assessor_app.paths import AppPaths
from assessor_app.services.roles import Actor, Role
from assessor_app.ui.app import open_for_window
from assessor_app.ui.qt import QApplication, QSettings
from assessor_app.ui.main_window import MainWindow
app = QApplication.instance() or QApplication(sys.argv[:1])
paths = AppPaths(__import__("pathlib").Path(sys.argv[3]))
db = open_for_window(paths, sys.argv[1])  # as the app opens it (the backup on a worker)
settings = QSettings(os.path.join(sys.argv[3], "window.ini"), QSettings.Format.IniFormat)
window = MainWindow(db, settings, actor=Actor(None, "bench", Role.COORDINATOR))
window.show()
app.processEvents()
shown = time.time() - t0
shown_cpu = time.process_time()
page = window.apprentices_page
board = window.dashboard_page
listed = boarded = None
while listed is None or boarded is None:
    app.processEvents()
    if listed is None and not page.loading:
        listed, listed_cpu = time.time() - t0, time.process_time()
    if boarded is None and board.data is not None:
        app.processEvents()  # the tiles and lists laid out
        boarded, boarded_cpu = time.time() - t0, time.process_time()
    time.sleep(0.002)
import resource
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{shown:.4f} {listed:.4f} {page.model.rowCount()} {rss} {shown_cpu:.4f} {listed_cpu:.4f}"
      f" {boarded:.4f} {boarded_cpu:.4f}")
"""


def _ms(wall: list[float], cpu: list[float]) -> Ms:
    result = Ms(statistics.median(wall))
    result.cpu = statistics.median(cpu)
    return result


def cold_start(db_path: Path, repeat: int) -> list[Figure]:
    shown, listed, rss, shown_cpu, listed_cpu, boarded, boarded_cpu = [], [], [], [], [], [], []
    rows = 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as data:
            t0 = time.time()
            out = subprocess.run(
                [sys.executable, "-c", _CHILD, str(db_path), repr(t0), data],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            ).stdout.split()
        shown.append(float(out[0]) * 1000)
        listed.append(float(out[1]) * 1000)
        rows = int(out[2])
        rss.append(int(out[3]) / 1024)
        shown_cpu.append(float(out[4]) * 1000)
        listed_cpu.append(float(out[5]) * 1000)
        boarded.append(float(out[6]) * 1000)
        boarded_cpu.append(float(out[7]) * 1000)
    return [
        Figure("cold start: main window shown", _ms(shown, shown_cpu), 1500),
        Figure(
            "cold start: window with the list filled",
            _ms(listed, listed_cpu),
            note=f"{rows} apprentices",
        ),
        Figure("cold start: dashboard shown (the first page)", _ms(boarded, boarded_cpu)),
        Figure("peak memory of that process (MB)", statistics.median(rss), 400),
    ]


# --- raw SQL baselines -------------------------------------------------------------

LIST_SQL = (
    "SELECT a.id, a.given_name, a.family_name, a.uln, c.name, a.status, a.status_date,"
    " a.start_date, a.planned_end_date, u.display_name FROM apprentice a"
    " JOIN cohort c ON c.id = a.cohort_id LEFT JOIN user_account u ON u.id = a.assessor_id"
    " ORDER BY a.family_name, a.given_name",
    "SELECT apprentice_id, unit_id FROM chosen_unit",
    "SELECT p.*, s.name, s.setting_type, o.name FROM placement p"
    " JOIN setting s ON s.id = p.setting_id JOIN organisation o ON o.id = s.organisation_id",
    "SELECT apprentice_id, standard_id, completed_on FROM care_certificate_completion",
    "SELECT apprentice_id, on_date, hours FROM off_the_job_entry",
    "SELECT apprentice_id, held_on FROM review WHERE kind = 'progress_review'",
    "SELECT apprentice_id, unit_id, signed_off_on, signed_off_by_name FROM unit_sign_off"
    " WHERE revoked_on IS NULL",
    "SELECT apprentice_id, unit_id, placement_id FROM unit_plan",
)
EVIDENCE_SQL = (
    "SELECT e.apprentice_id, c.evidence_id, e.placement_id, e.context, c.unit_id,"
    " c.criterion_id FROM evidence_coverage c JOIN evidence e ON e.id = c.evidence_id"
    " WHERE e.status = 'accepted' AND e.apprentice_id IN ({ids})"
)


def raw_rows(db_path: Path, queries: tuple[str, ...], where: str = "") -> int:
    conn = sqlite3.connect(db_path)
    try:
        count = 0
        for sql in queries:
            if where and "apprentice_id" in sql and "WHERE" not in sql:
                sql = f"{sql} WHERE apprentice_id IN ({where})"
            count += len(conn.execute(sql).fetchall())
        return count
    finally:
        conn.close()


# --- the measurements ----------------------------------------------------------------


@contextmanager
def _inline_tasks() -> Iterator[None]:
    from assessor_app.ui.workers import InlinePool, use_pool

    use_pool(InlinePool())
    try:
        yield
    finally:
        use_pool(None)


def _cohort_of_size(db: Any, size: int) -> int:
    from sqlalchemy import func, select

    from assessor_app.store.models import Apprentice

    with db.reading() as session:
        counts = session.execute(
            select(Apprentice.cohort_id, func.count()).group_by(Apprentice.cohort_id)
        ).all()
    return max(counts, key=lambda c: (c[1] <= size, -abs(c[1] - size)))[0]


def _sample(db: Any, count: int = 5) -> list[int]:
    """Apprentices spread through the database, the same ones every run."""
    from sqlalchemy import select

    from assessor_app.store.models import Apprentice

    with db.reading() as session:
        ids = list(session.scalars(select(Apprentice.id).order_by(Apprentice.id)))
    return [ids[(i * 2 + 1) * len(ids) // (count * 2)] for i in range(count)]


def measure(db_path: Path, repeat: int, only: set[str]) -> Iterator[Figure]:
    from assessor_app.services.roles import Actor, Role
    from assessor_app.store.database import open_database

    actor = Actor(None, "bench", Role.COORDINATOR)
    want = lambda name: not only or name in only  # noqa: E731
    work = Path(tempfile.mkdtemp(prefix="assessor-bench-"))
    copy = work / "bench.sqlite3"
    shutil.copy(db_path, copy)
    db = open_database(str(copy), backup_dir=work / "backups")
    try:
        if want("start"):
            yield from (cold_start(copy, max(1, min(repeat, 3))))
        if want("list"):
            yield from (_list(db, copy, actor, repeat))
        if want("page"):
            yield from (_page(db, copy, actor, repeat))
        if want("selection"):
            yield from (_selection(db, copy, actor, repeat))
        if want("pdf"):
            yield from (_pdfs(db, actor, work, repeat))
        if want("tracker"):
            yield from (_tracker(db, actor, work, max(1, min(repeat, 3))))
        if want("import"):
            yield from (_import(db, actor, work, max(1, min(repeat, 3))))
    finally:
        db.dispose()
        shutil.rmtree(work, ignore_errors=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    yield Figure("peak memory of the benchmark process (MB)", rss, 400)


def _list(db: Any, path: Path, actor: Any, repeat: int) -> list[Figure]:
    from assessor_app.services.apprentice_list import apprentice_list
    from assessor_app.ui.pages.apprentices_page import ApprenticesPage

    load = median_ms(lambda: apprentice_list(db, actor, today=TODAY), repeat)
    raw = median_ms(lambda: raw_rows(path, LIST_SQL), repeat)
    with _inline_tasks():
        page = ApprenticesPage(db, actor)
    searches = ["smi", "", "patel", "10000", ""]

    def search() -> None:
        for text in searches:
            page.search_edit.setText(text)

    per_filter = per(median_ms(search, repeat), len(searches))

    def combo() -> None:
        page.set_filter("rag", "red")
        page.set_filter("rag", None)

    per_combo = per(median_ms(combo, repeat), 2)
    shown = page.proxy.rowCount()

    # The same on screen: laying out and painting the rows, as a person waits for them.
    # The first showing sizes the columns to the rows' contents, so it is timed once.
    from assessor_app.ui.qt import QApplication

    page.resize(1280, 800)
    first = median_ms(lambda: (page.show(), QApplication.processEvents()), 1, warm=False)

    def search_on_screen() -> None:
        for text in searches:
            page.search_edit.setText(text)
            QApplication.processEvents()

    per_painted = per(median_ms(search_on_screen, repeat), len(searches))
    page.hide()
    page.deleteLater()
    return [
        Figure("apprentice list: load (service)", load, None, raw, f"{shown} rows"),
        Figure("apprentice list: search as typed", per_filter, 50),
        Figure("apprentice list: RAG filter chosen", per_combo, 50),
        Figure("apprentice list: first shown on screen", first, None, note="one run"),
        Figure("apprentice list: search as typed, painted", per_painted, 50),
    ]


def _page(db: Any, path: Path, actor: Any, repeat: int) -> list[Figure]:
    from assessor_app.ui.main_window import ApprenticesTab

    with _inline_tasks():
        tab = ApprenticesTab(db)
        tab.set_actor(actor)
        ids = _sample(db)
        index = [0]

        def open_one() -> None:
            tab.open_apprentice(ids[index[0] % len(ids)])
            index[0] += 1

        opened = median_ms(open_one, repeat)
    ids_sql = ",".join(map(str, ids[:1]))
    raw = median_ms(
        lambda: raw_rows(path, (*LIST_SQL[1:], EVIDENCE_SQL.format(ids=ids_sql)), ids_sql),
        repeat,
    )
    tab.deleteLater()
    return [Figure("apprentice page opened (every tab loaded)", opened, 150, raw)]


def _selection(db: Any, path: Path, actor: Any, repeat: int) -> list[Figure]:
    from sqlalchemy import select

    from assessor_app.domain.credit_rules import check_selection
    from assessor_app.services.apprentice_queries import load_catalogue
    from assessor_app.store.models import ChosenUnit, Cohort, Unit
    from assessor_app.ui.widgets.selection_editor import SelectionEditor

    with _inline_tasks():
        editor = SelectionEditor(db, actor, _sample(db)[2])
    refs = ["C16", "B3"]
    flips = [0]

    def toggle() -> None:
        ref = refs[flips[0] % 2]
        editor.set_ticked(ref, flips[0] // 2 % 2 == 0)
        flips[0] += 1

    toggled = median_ms(toggle, repeat * 4)
    editor.deleteLater()

    def check_all() -> int:
        with db.reading() as session:
            qual_id = session.scalars(select(Cohort.qualification_id)).first()
            catalogue = load_catalogue(session, qual_id)
            chosen: dict[int, list[str]] = {}
            for apprentice_id, ref in session.execute(
                select(ChosenUnit.apprentice_id, Unit.ref).join(Unit)
            ):
                chosen.setdefault(apprentice_id, []).append(ref)
        return sum(1 for refs in chosen.values() if check_selection(catalogue.qual, refs).valid)

    every = median_ms(check_all, max(1, repeat // 2))
    raw = median_ms(lambda: raw_rows(path, (LIST_SQL[1],)), repeat)
    return [
        Figure("unit choice: check after a toggle (with fixes)", toggled, 5),
        Figure("unit choice: check every apprentice's choice", every, None, raw),
    ]


def _pdfs(db: Any, actor: Any, work: Path, repeat: int) -> list[Figure]:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    from assessor_app.reports import cohort_report, progress_report
    from assessor_app.reports.pdf_style import MARGIN

    who = _sample(db)[2]
    captured: list[Any] = []
    real_build = progress_report.build_pdf

    def capture(out: Path, page: Any, story: list[Any]) -> Path:
        captured.append(story)
        return out

    progress_report.build_pdf = capture
    try:
        progress_report.write_progress_report(db, actor, who, work / "x.pdf", today=TODAY)
    finally:
        progress_report.build_pdf = real_build
    story = captured[0]

    def bare() -> None:
        # Flowables are laid out afresh on each build, so the same story is reused.
        # The same frame as the app's pages, so the same tables fit.
        SimpleDocTemplate(
            io.BytesIO(),
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
        ).build(list(story))

    app = median_ms(
        lambda: progress_report.write_progress_report(
            db, actor, who, work / "progress.pdf", today=TODAY
        ),
        repeat,
    )
    base = median_ms(bare, repeat)
    cohort = _cohort_of_size(db, 200)
    report = median_ms(
        lambda: cohort_report.write_cohort_report(
            db, actor, cohort, work / "cohort.pdf", today=TODAY
        ),
        max(1, min(repeat, 3)),
    )
    return [
        Figure("progress report PDF", app, 300, base),
        Figure("cohort report PDF, 200 apprentices", report, 5000),
    ]


def _tracker(db: Any, actor: Any, work: Path, repeat: int) -> list[Figure]:
    from openpyxl import Workbook

    from assessor_app.reports import tracker_export

    cohort = _cohort_of_size(db, 500)
    tables: list[Any] = []
    real_save = tracker_export._save

    def capture(made: list[Any], title: str, out: Path) -> Path:
        tables.extend(made)
        return out

    tracker_export._save = capture
    try:
        tracker_export.export_tracker(db, actor, cohort, work / "t.xlsx", today=TODAY)
    finally:
        tracker_export._save = real_save

    def bare() -> None:
        workbook = Workbook(write_only=True)
        for table in tables:
            sheet = workbook.create_sheet(table.title)
            for row in [table.headers, *table.rows]:
                sheet.append([getattr(v, "value", v) for v in row])
        workbook.save(work / "bare.xlsx")

    cells = sum(len(r) for t in tables for r in t.rows)
    app = median_ms(
        lambda: tracker_export.export_tracker(
            db, actor, cohort, work / "tracker.xlsx", today=TODAY
        ),
        repeat,
        warm=False,
    )
    base = median_ms(bare, repeat, warm=False)
    members = len(tables[1].rows)
    return [
        Figure(
            f"tracker export, {members} apprentices",
            app,
            None,
            base,
            f"{cells:,} cells; target 1.2x bare",
        )
    ]


def _import(db: Any, actor: Any, work: Path, repeat: int) -> list[Figure]:
    from openpyxl import Workbook
    from sqlalchemy import select

    from assessor_app.services.imports.kinds import APPRENTICE_COLUMNS
    from assessor_app.services.imports.running import import_file
    from assessor_app.services.roles import Actor, Role
    from assessor_app.store.models import Cohort

    with db.reading() as session:
        cohort = session.scalars(select(Cohort.name).order_by(Cohort.id.desc())).first()
    coordinator = Actor(None, "bench", Role.COORDINATOR)
    times, cpu = [], []
    for run in range(repeat):
        book = Workbook()
        sheet = book.active
        sheet.title = "Apprentices"
        sheet.append([c.heading for c in APPRENTICE_COLUMNS])
        start = TODAY - timedelta(days=30)
        for n in range(1000):
            sheet.append(
                [
                    "Given",
                    f"Family{run}x{n}",
                    uln(800_000_000 + run * 20_000 + n * 13),
                    date(2000, 1, 1),
                    cohort,
                    start,
                    start + timedelta(days=450),
                    "",
                    "",
                    "",
                ]
            )
        path = work / f"import{run}.xlsx"
        book.save(path)
        began, began_cpu = time.perf_counter(), time.process_time()
        report = import_file(db, coordinator, "apprentices", path, today=TODAY)
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        if report.rows_imported != 1000:
            raise SystemExit(f"the import took {report.rows_imported} rows: {report.problems[:3]}")
    return [Figure("import 1,000 apprentice rows", _ms(times, cpu), 3000)]


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} cores, {model or 'unknown CPU'}, Python {sys.version.split()[0]}, "
        f"load average {load:.1f}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--db", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--only",
        nargs="*",
        default=[],
        choices=["start", "list", "page", "selection", "pdf", "tracker", "import"],
    )
    args = parser.parse_args(argv)
    if not args.db.exists():
        raise SystemExit(f"{args.db} does not exist: run python -m bench.generate first.")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from assessor_app.ui.qt import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841
    print(machine())
    print(HEADER)
    for figure in measure(args.db, args.repeat, set(args.only)):
        print(figure.line(), flush=True)


if __name__ == "__main__":
    main()
