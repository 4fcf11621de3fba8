"""The printed reports: each is written from the demo database and read back as
text, as a person reading the page would."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Flowable

from assessor_app.domain.dates import format_date
from assessor_app.paths import AppPaths
from assessor_app.reports.cohort_report import write_cohort_report
from assessor_app.reports.pdf_style import Page, build_pdf, escape, para
from assessor_app.reports.placement_notice import write_placement_notice
from assessor_app.reports.progress_report import write_progress_report
from assessor_app.reports.schedule_report import write_schedule_report
from assessor_app.services import passwords
from assessor_app.services.apprentice_queries import apprentice_overview, list_apprentices
from assessor_app.services.apprentices import ApprenticeInput, enrol_apprentice
from assessor_app.services.demo import build_demo
from assessor_app.services.errors import NotFound
from assessor_app.services.report_queries import (
    cohort_summary,
    find_apprentice_by_uln,
    find_cohort_by_name,
)
from assessor_app.services.roles import Actor, Role
from assessor_app.startup import open_app_database

TODAY = date(2026, 11, 23)
ADMIN = Actor(None, "admin", Role.ADMIN)
FAST = passwords.ScryptParams(log2_n=10, r=8, p=1)
ODD_NAME = ("<b>Jo &amp;", "O'Neil & Sons</b>")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "CURRENT", FAST)
        database = open_app_database(AppPaths(tmp_path_factory.mktemp("demo")))
        build_demo(database, today=TODAY)
        council = find_cohort_by_name(database, ADMIN, "Council cohort")
        # A name that looks like markup must print exactly as typed.
        enrol_apprentice(
            database,
            ADMIN,
            ApprenticeInput(
                given_name=ODD_NAME[0],
                family_name=ODD_NAME[1],
                uln="9999999999",  # not yet known
                date_of_birth=date(2000, 1, 1),
                cohort_id=council,
                start_date=TODAY - timedelta(days=30),
                planned_end_date=TODAY + timedelta(days=400),
            ),
        )
    yield database
    database.dispose()


def text_of(path: Path) -> str:
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def apprentice(db, name):
    return next(row for row in list_apprentices(db, ADMIN) if row.name == name)


def test_progress_report_has_what_a_review_meeting_needs(demo, tmp_path):
    harvey = apprentice(demo, "Harvey Singh")
    assert find_apprentice_by_uln(demo, ADMIN, harvey.uln) == harvey.id
    out = write_progress_report(
        demo, ADMIN, harvey.id, tmp_path / "harvey.pdf", today=TODAY, provider="Shire College"
    )
    text = text_of(out)
    for expected in (
        "Harvey Singh",
        harvey.uln,
        "NHS Trust cohort",
        "Royal Shire Hospitals NHS Trust",
        "Level 2 Diploma in Care",
        "RED",
        "credits are behind plan",
        "Safeguarding and protection in care settings",
        "Credits against the rules",
        "at least 46 credits",
        "Placements",
        "Care Certificate",
        "Off-the-job training",
        "Recent evidence",
        "Reviews and actions",
        "Page 1 of",
        "Shire College",
        f"Generated {format_date(TODAY)}",
    ):
        assert expected in text, expected
    signatures = text[text.index("Signatures") :]
    for label in ("Apprentice", "Assessor", "Employer", "Date"):
        assert label in signatures
    pages = len(PdfReader(out).pages)
    assert f"Page {pages} of {pages}" in text


def test_a_name_that_looks_like_markup_prints_literally(demo, tmp_path):
    odd = apprentice(demo, " ".join(ODD_NAME))
    text = text_of(write_progress_report(demo, ADMIN, odd.id, tmp_path / "odd.pdf", today=TODAY))
    assert "<b>Jo &amp; O'Neil & Sons</b>" in text
    assert "not yet known" in text  # no ULN yet


def test_cohort_report_gives_outcome_totals(demo, tmp_path):
    council = find_cohort_by_name(demo, ADMIN, "council COHORT")  # any case
    totals = cohort_summary(demo, ADMIN, council, today=TODAY).totals
    assert (totals.starts, totals.withdrawals, totals.completions) == (5, 1, 2)
    assert (totals.care_certificates, totals.diplomas, totals.employment_outcomes) == (3, 2, 2)
    text = text_of(write_cohort_report(demo, ADMIN, council, tmp_path / "c.pdf", today=TODAY))
    for expected in (
        "Starts 5",
        "Withdrawals 1",
        "Transfers 0",
        "Completions 2",
        "Care Certificates complete 3",
        "signed off) 2",
        "Employment outcomes recorded 2",
        "Chloe Evans",
        "Withdrawn on",
        "Left for a job outside care.",
        "47%",
        "RED",
        "GREEN",
        "Page 1 of",
    ):
        assert expected in text, expected


def test_cohort_report_counts_transfers(demo, tmp_path):
    trust = find_cohort_by_name(demo, ADMIN, "NHS Trust cohort")
    text = text_of(write_cohort_report(demo, ADMIN, trust, tmp_path / "t.pdf", today=TODAY))
    assert "Transfers 1" in text
    assert "Finn O'Brien" in text


def test_schedule_report_shows_periods_hosts_and_units(demo, tmp_path):
    trust = find_cohort_by_name(demo, ADMIN, "NHS Trust cohort")
    out = write_schedule_report(demo, ADMIN, trust, tmp_path / "s.pdf", today=TODAY)
    first = PdfReader(out).pages[0]
    assert first.mediabox.width > first.mediabox.height  # landscape
    text = text_of(out)
    for expected in (
        "Period 1",
        "Period 5",
        "Royal Shire Hospitals NHS Trust",
        "Brook House Care",
        "Meadowview day centre",
        "Units planned in each period",
        "Obtain and Test Capillary Blood Samples",
        "Optional units chosen",
        "Does not meet the rules",  # Grace's draft choice
        "Grace Adeyemi",
    ):
        assert expected in text, expected


def test_placement_notice_gives_dates_place_and_people(demo, tmp_path):
    ben = apprentice(demo, "Ben Carter")
    placement = apprentice_overview(demo, ADMIN, ben.id, today=TODAY).placements[1]
    out = write_placement_notice(demo, ADMIN, placement.id, tmp_path / "n.pdf")
    text = text_of(out)
    for expected in (
        "Placement notice",
        "Ben Carter",
        format_date(placement.start),
        format_date(placement.end),
        placement.host,
        placement.setting,
        placement.mentor,
        "Working days",
        "Line manager",
        "Units planned in this placement",
        "Page 1 of 1",
    ):
        assert expected in text, expected


def test_unknown_lookups_say_what_was_asked(demo):
    with pytest.raises(NotFound, match="0000000000"):
        find_apprentice_by_uln(demo, ADMIN, "0000000000")
    with pytest.raises(NotFound, match="Council cohort"):
        find_cohort_by_name(demo, ADMIN, "No such cohort")


class _Broken(Flowable):
    def wrap(self, available_width, available_height):
        raise RuntimeError("the layout failed")


def test_a_failed_write_leaves_the_old_file_and_no_half_pdf(tmp_path):
    out = tmp_path / "report.pdf"
    out.write_bytes(b"the earlier report")
    with pytest.raises(RuntimeError):
        build_pdf(out, Page("Broken"), [para("Before"), _Broken()])
    assert out.read_bytes() == b"the earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_escape_keeps_text_as_typed(tmp_path):
    assert escape('<b> & "x"\nnext') == "&lt;b&gt; &amp; &quot;x&quot;<br/>next"
    out = build_pdf(
        tmp_path / "plain.pdf", Page("Escape", provider="A & B <i>Care</i>"), [para("x < y & z")]
    )
    text = text_of(out)
    assert "x < y & z" in text
    assert "A & B <i>Care</i>" in text
