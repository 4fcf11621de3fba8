"""The benchmark's data generator makes data the app's own queries read as real
records: a tiny database, checked through the services."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from assessor_app.services.apprentice_list import apprentice_list
from assessor_app.services.apprentice_queries import apprentice_overview
from assessor_app.services.progress_queries import (
    apprentice_progress,
    overview_and_progress,
    progress_of_many,
)
from assessor_app.services.report_queries import cohort_summary
from assessor_app.services.roles import Actor, Role
from assessor_app.services.tracker_queries import cohort_evidence, cohort_placements
from assessor_app.store.database import check_database, open_database

# bench/ is a folder of scripts beside the package, not installed with it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.generate import generate

VIEWER = Actor(None, "viewer", Role.VIEWER)
TODAY = date(2026, 6, 1)


def test_generated_records_read_through_the_services(tmp_path):
    out = tmp_path / "bench.sqlite3"
    summary = generate(out, 5, seed=3, today=TODAY)
    again = generate(tmp_path / "again.sqlite3", 5, seed=3, today=TODAY)
    assert summary.rows == again.rows  # the same seed gives the same data
    db = open_database(str(out))
    try:
        assert check_database(db).ok
        rows = apprentice_list(db, VIEWER, today=TODAY)
        assert len(rows) == 5
        assert {r.rag for r in rows} <= {"red", "amber", "green"}
        first = rows[0].id
        overview = apprentice_overview(db, VIEWER, first, today=TODAY)
        assert len(overview.placements) == 5
        assert overview.chosen_units
        assert not overview.units_verdict.errors or overview.units_verdict.suggestions
        progress = apprentice_progress(db, VIEWER, first, today=TODAY)
        assert progress.unit_map.rows  # every unit in scope is planned in a placement
        assert all(row.planned_placement is not None for row in progress.unit_map.rows)
        # Batched progress is exactly the progress of each apprentice on their own.
        many = progress_of_many(db, VIEWER, [r.id for r in rows], today=TODAY)
        assert many[first] == progress
        assert overview_and_progress(db, VIEWER, first, today=TODAY) == (overview, progress)
        cohort_id = 1
        evidence = cohort_evidence(db, VIEWER, cohort_id)
        assert len(evidence) == 5 * 60
        assert any(e.units for e in evidence)
        assert len(cohort_placements(db, VIEWER, cohort_id)) == 25
        summary_report = cohort_summary(db, VIEWER, cohort_id, today=TODAY)
        assert summary_report.totals.starts == 5
        by_id = {m.apprentice_id: m for m in summary_report.members}
        assert by_id[first].percent_complete == progress.progress.percent_complete
        assert by_id[first].rag == progress.rag.colour
    finally:
        db.dispose()
