"""The demo database, and an apprentice's overview with every check applied."""

from __future__ import annotations

import contextlib
import io
from datetime import date
from decimal import Decimal

import pytest

from assessor_app.cli import main
from assessor_app.domain.schedule import ScheduleCode
from assessor_app.paths import AppPaths
from assessor_app.services import passwords
from assessor_app.services.app_settings import change_setting, change_settings, get_settings
from assessor_app.services.apprentice_queries import (
    apprentice_history,
    apprentice_overview,
    cohort_schedule_findings,
    list_apprentices,
)
from assessor_app.services.demo import ACCOUNTS, build_demo
from assessor_app.services.errors import FieldError, ServiceError
from assessor_app.services.progress_records import (
    complete_care_certificate_standard,
    log_off_the_job,
    record_review,
)
from assessor_app.services.roles import Actor, PermissionDenied, Role
from assessor_app.services.users import sign_in
from assessor_app.startup import open_app_database

TODAY = date(2026, 11, 23)
ADMIN = Actor(None, "admin", Role.ADMIN)


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch):
    monkeypatch.setattr(passwords, "CURRENT", FAST)


FAST = passwords.ScryptParams(log2_n=10, r=8, p=1)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One demo database for the module: these tests only read it or are refused."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "CURRENT", FAST)
        database = open_app_database(AppPaths(tmp_path_factory.mktemp("demo")))
        build_demo(database, today=TODAY)
    yield database
    database.dispose()


def by_name(db):
    return {row.name: row for row in list_apprentices(db, ADMIN)}


def test_the_demo_has_two_cohorts_eight_apprentices_in_varied_states(demo):
    rows = by_name(demo)
    assert len(rows) == 8
    assert {r.cohort for r in rows.values()} == {"Council cohort", "NHS Trust cohort"}
    statuses = sorted(r.status for r in rows.values())
    assert statuses.count("active") == 3
    assert {"withdrawn", "transferred", "completed", "break_in_learning"} <= set(statuses)
    for row in rows.values():
        overview = apprentice_overview(demo, ADMIN, row.id, today=TODAY)
        expected = 0 if row.status == "transferred" else 5
        assert len(overview.placements) == expected, row.name


def test_demo_accounts_sign_in_with_the_printed_passwords(demo):
    for account in ACCOUNTS:
        actor = sign_in(demo, account.username, account.password)
        assert actor.role is account.role


def test_the_demo_refuses_a_database_that_has_users(demo):
    with pytest.raises(ServiceError, match="already has user accounts"):
        build_demo(demo, today=TODAY)


def test_the_demo_shows_the_checks_at_work(demo):
    rows = by_name(demo)
    grace = apprentice_overview(demo, ADMIN, rows["Grace Adeyemi"].id, today=TODAY)
    assert not grace.units_verdict.valid  # a draft choice, shown as invalid
    assert grace.care_certificate.overdue
    harvey = apprentice_overview(demo, ADMIN, rows["Harvey Singh"].id, today=TODAY)
    assert "behind" in harvey.off_the_job.message
    assert ScheduleCode.MENTOR_MISSING in {f.code for f in harvey.schedule_findings}
    amira = apprentice_overview(demo, ADMIN, rows["Amira Hussain"].id, today=TODAY)
    assert amira.units_verdict.valid
    assert amira.care_certificate.complete
    first = amira.placements[0]
    assert first.host == "Shire County Council"  # the first placement is with the employer
    last = amira.placements[-1]
    assert last.host in ("Brook House Care", "Meadowview Day Services")  # last with a PVI host


def test_no_host_is_over_capacity_in_the_demo(demo):
    for cohort_id in (1, 2):
        codes = {f.code for f in cohort_schedule_findings(demo, ADMIN, cohort_id, today=TODAY)}
        assert ScheduleCode.HOST_OVER_CAPACITY not in codes
        assert ScheduleCode.PLACEMENT_OVERLAP not in codes


def test_history_lists_every_change_to_an_apprentice_newest_first(demo):
    amira = by_name(demo)["Amira Hussain"].id
    history = apprentice_history(demo, ADMIN, amira)
    actions = [h.action for h in history]
    assert actions[-1] == "apprentice.enrol"
    assert {
        "apprentice.choose_units",
        "placement.schedule",
        "care_certificate.complete",
        "off_the_job.log",
        "apprentice.change_status",
    } <= set(actions)
    assert [h.at for h in history] == sorted((h.at for h in history), reverse=True)


def test_the_demo_command_prints_the_accounts(tmp_path, monkeypatch):
    monkeypatch.setattr(passwords, "CURRENT", passwords.ScryptParams(log2_n=10, r=8, p=1))
    out = io.StringIO()
    target = tmp_path / "demo.sqlite3"
    with contextlib.redirect_stdout(out):
        code = main(["demo", "--db", str(target)])
    assert code == 0
    text = out.getvalue()
    assert "8 apprentices" in text
    for account in ACCOUNTS:
        assert account.username in text and account.password in text
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["demo", "--db", str(target)]) == 2
    assert "already exists" in err.getvalue()


def test_progress_records_refuse_bad_values_naming_the_field(demo):
    ella = by_name(demo)["Ella Thompson"].id
    tutor = Actor(None, "tutor", Role.TUTOR)
    cases = [
        (
            lambda: log_off_the_job(
                demo, tutor, ella, TODAY, Decimal("0"), "e-learning", today=TODAY
            ),
            "hours",
        ),
        (
            lambda: log_off_the_job(demo, tutor, ella, TODAY, Decimal("3"), "napping", today=TODAY),
            "activity",
        ),
        (
            lambda: log_off_the_job(
                demo, tutor, ella, date(2027, 1, 1), Decimal("3"), "e-learning", today=TODAY
            ),
            "on_date",
        ),
        (
            lambda: complete_care_certificate_standard(demo, tutor, ella, 16, TODAY, today=TODAY),
            "standard",
        ),
        (
            lambda: record_review(
                demo, tutor, ella, "progress_review", TODAY, "Taylor", "", today=TODAY
            ),
            "summary",
        ),
    ]
    before = len(apprentice_history(demo, ADMIN, ella))
    for call, field in cases:
        with pytest.raises(FieldError) as refused:
            call()
        assert refused.value.field == field
    assert len(apprentice_history(demo, ADMIN, ella)) == before


def test_a_viewer_cannot_log_hours(demo):
    ella = by_name(demo)["Ella Thompson"].id
    with pytest.raises(PermissionDenied):
        log_off_the_job(
            demo,
            Actor(None, "v", Role.VIEWER),
            ella,
            TODAY,
            Decimal("2"),
            "e-learning",
            today=TODAY,
        )


def test_settings_change_the_checks(db):
    assert get_settings(db)["placement_notice_weeks"] == 4
    change_setting(db, ADMIN, "placement_notice_weeks", 6)
    assert get_settings(db)["placement_notice_weeks"] == 6
    with pytest.raises(FieldError, match="between 0 and 26"):
        change_setting(db, ADMIN, "placement_notice_weeks", 40)
    with pytest.raises(PermissionDenied):
        change_setting(db, Actor(None, "t", Role.TUTOR), "placement_notice_weeks", 2)
    assert get_settings(db)["placement_notice_weeks"] == 6


def test_the_lock_can_be_set_to_never_and_defaults_to_ten_minutes(db):
    assert get_settings(db)["lock_after_minutes"] == 10
    change_setting(db, ADMIN, "lock_after_minutes", 0)  # 0: never lock
    assert get_settings(db)["lock_after_minutes"] == 0
    with pytest.raises(FieldError, match=r"between 0 \(never\) and 240, not -1") as refused:
        change_setting(db, ADMIN, "lock_after_minutes", -1)
    assert refused.value.field == "lock_after_minutes"
    assert get_settings(db)["lock_after_minutes"] == 0


def test_several_settings_are_saved_all_or_none(db):
    with pytest.raises(FieldError) as refused:
        change_settings(db, ADMIN, {"placement_notice_weeks": 6, "backups_to_keep": 0})
    assert refused.value.field == "backups_to_keep"
    assert get_settings(db)["placement_notice_weeks"] == 4  # nothing half-saved
    assert change_settings(db, ADMIN, {"placement_notice_weeks": 6, "backups_to_keep": 14}) == [
        "placement_notice_weeks"  # the other was already 14: no change to audit
    ]


def test_the_cohort_view_puts_risks_and_waiting_work_first(demo):
    from assessor_app.domain.rag import Rag
    from assessor_app.services.cohort_queries import cohort_view

    view = cohort_view(demo, ADMIN, 2, today=TODAY)
    assert [(r.name, r.colour) for r in view.at_risk] == [
        ("Grace Adeyemi", Rag.RED),
        ("Harvey Singh", Rag.RED),
    ]
    harvey = view.at_risk[1]
    assert any("credits are behind plan" in reason for reason in harvey.reasons)
    assert [(w.name, w.title) for w in view.evidence_waiting] == [
        ("Harvey Singh", "Observed practice at Ward 12 (medical)")
    ]
    assert all(p.starts > TODAY for p in view.upcoming_placements)


def test_completed_apprentices_have_every_unit_signed_off(demo):
    from assessor_app.services.progress_queries import apprentice_progress

    amira = by_name(demo)["Amira Hussain"].id
    result = apprentice_progress(demo, ADMIN, amira, today=TODAY)
    assert result.progress.percent_complete == 100
    assert result.progress.achieved_verdict.valid
