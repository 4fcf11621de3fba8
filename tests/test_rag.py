"""Red, amber and green: units behind plan, the Care Certificate and off-the-job pace."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessor_app.domain.care_certificate import care_certificate_status
from assessor_app.domain.off_the_job import off_the_job_pace
from assessor_app.domain.rag import Rag, rag_status

START = date(2025, 9, 1)  # Care Certificate due 24 Nov 2025
PLACEMENT_1 = date(2025, 11, 30)
PLACEMENT_2 = date(2026, 2, 28)
TODAY = date(2026, 4, 1)  # both placements ended more than 28 days ago

TITLES = {
    "B4": "Awareness of Dementia",
    "C13": "Obtain and Test Capillary Blood Samples",
    "B6": "Understanding the Role of Communication and Interactions with Individuals who "
    "have Dementia",
}


def cc(today=TODAY, done=15):
    return care_certificate_status(
        START, {n: (START if n <= done else None) for n in range(1, 16)}, today=today
    )


def otj(logged="50", today=None):
    # 100 days, 100 hours: by day n, n hours are expected.
    begin = date(2026, 1, 1)
    return off_the_job_pace(
        begin,
        begin + timedelta(days=99),
        today or begin + timedelta(days=49),
        Decimal("37.5"),
        [(begin, Decimal(logged))],
        planned_total=Decimal(100),
    )


def status(expected=(), signed_off=None, *, today=TODAY, care=None, pace=None, grace=28):
    return rag_status(
        today=today,
        expected_units=list(expected),
        signed_off=signed_off or {},
        care_certificate=care or cc(today),
        off_the_job=pace or otj(),
        grace_days=grace,
        titles=TITLES,
    )


def test_green_with_nothing_due_yet():
    result = status()
    assert result.colour is Rag.GREEN
    assert result.reasons == (
        "On plan: no unit is due for sign-off yet, the Care Certificate is complete and "
        "off-the-job training is on track (50.0 of 50.0 hours expected by today).",
    )


def test_green_when_every_expected_unit_is_signed_off():
    result = status(
        [("B4", 2, PLACEMENT_1), ("C13", 4, PLACEMENT_2)],
        {"B4": date(2025, 12, 1), "C13": date(2026, 3, 1)},
        care=cc(date(2025, 10, 1), done=3),
        pace=otj("60"),
    )
    assert result.colour is Rag.GREEN
    assert result.reasons == (
        "On plan: all 2 units planned for placements that ended more than 28 days ago are "
        "signed off, the Care Certificate is not overdue (due 24 Nov 2025) and off-the-job "
        "training is ahead (60.0 of 50.0 hours expected by today).",
    )


def test_green_with_one_unit_and_no_hours_expected_yet():
    result = status(
        [("B4", 2, PLACEMENT_1)], {"B4": PLACEMENT_1}, pace=otj("0", today=date(2025, 12, 1))
    )
    assert result.reasons == (
        "On plan: the 1 unit planned for a placement that ended more than 28 days ago is "
        "signed off, the Care Certificate is complete and no off-the-job hours are expected "
        "yet.",
    )


def test_amber_when_a_unit_is_behind_plan():
    result = status([("B4", 2, PLACEMENT_2)])
    assert result.colour is Rag.AMBER
    assert result.reasons == (
        "2 credits are behind plan: B4 'Awareness of Dementia' (2 credits) was planned for "
        "the placement ending 28 Feb 2026 and is not signed off.",
    )


def test_red_when_six_credits_are_behind_plan():
    result = status([("C13", 4, PLACEMENT_2), ("B4", 2, PLACEMENT_1), ("A1", 3, TODAY)])
    assert result.colour is Rag.RED
    assert result.reasons == (
        "6 credits are behind plan: B4 'Awareness of Dementia' (2 credits, placement ending "
        "30 Nov 2025) and C13 'Obtain and Test Capillary Blood Samples' (4 credits, placement "
        "ending 28 Feb 2026) are not signed off.",
    )


@pytest.mark.parametrize(("behind", "colour"), [(0, Rag.GREEN), (5, Rag.AMBER), (6, Rag.RED)])
def test_the_credit_threshold(behind, colour):
    units = [(f"U{n}", 1, PLACEMENT_1) for n in range(behind)]
    assert status(units).colour is colour


def test_exactly_at_the_end_of_the_grace_period_a_unit_is_not_yet_expected():
    boundary = PLACEMENT_2 + timedelta(days=28)
    on_the_day = status([("C13", 4, PLACEMENT_2)], today=boundary)
    assert on_the_day.colour is Rag.GREEN
    assert "no unit is due for sign-off yet" in on_the_day.reasons[0]
    day_after = status([("C13", 4, PLACEMENT_2)], today=boundary + timedelta(days=1))
    assert day_after.colour is Rag.AMBER
    assert day_after.reasons[0].startswith("4 credits are behind plan: C13 'Obtain")


def test_the_grace_period_can_be_changed():
    assert status([("C13", 4, TODAY - timedelta(days=2))], grace=1).colour is Rag.AMBER
    assert status([("C13", 4, TODAY - timedelta(days=1))], grace=0).colour is Rag.AMBER
    assert status([("C13", 4, TODAY)], grace=0).colour is Rag.GREEN


def test_a_sign_off_dated_after_today_does_not_count_yet():
    result = status([("B4", 2, PLACEMENT_1)], {"B4": TODAY + timedelta(days=1)})
    assert result.colour is Rag.AMBER
    assert status([("B4", 2, PLACEMENT_1)], {"B4": TODAY}).colour is Rag.GREEN


def test_a_unit_with_no_credit_value_behind_plan_is_amber():
    result = status([("B6", 0, PLACEMENT_1)])
    assert result.colour is Rag.AMBER
    assert result.reasons == (
        "1 unit is behind plan: B6 'Understanding the Role of Communication and Interactions "
        "with Individuals who have Dementia' (no credit value) was planned for the placement "
        "ending 30 Nov 2025 and is not signed off.",
    )


def test_units_without_a_title_are_named_by_reference():
    result = status([("X1", 1, PLACEMENT_1)])
    assert result.reasons == (
        "1 credit is behind plan: X1 (1 credit) was planned for the placement ending "
        "30 Nov 2025 and is not signed off.",
    )


def test_care_certificate_overdue_is_amber_up_to_four_weeks_then_red():
    due = date(2025, 11, 24)
    four_weeks = cc(due + timedelta(days=28), done=12)
    result = status(today=due + timedelta(days=28), care=four_weeks)
    assert result.colour is Rag.AMBER
    assert result.reasons == (
        "The Care Certificate is 28 days overdue (due 24 Nov 2025): 12 of 15 standards complete.",
    )
    later = status(today=due + timedelta(days=29), care=cc(due + timedelta(days=29), done=12))
    assert later.colour is Rag.RED


@pytest.mark.parametrize(
    ("logged", "colour"),
    [("45", Rag.GREEN), ("44.9", Rag.AMBER), ("37.5", Rag.AMBER), ("37.4", Rag.RED)],
)
def test_off_the_job_thresholds(logged, colour):
    assert status(pace=otj(logged)).colour is colour


def test_off_the_job_reason():
    result = status(pace=otj("40"))
    assert result.colour is Rag.AMBER
    assert result.reasons == (
        "Off-the-job training is behind: 40.0 hours logged against 50.0 expected by today (80%).",
    )


def test_every_reason_is_given_red_ones_first():
    due = date(2025, 11, 24)
    today = due + timedelta(days=10)
    result = status(
        [("B4", 2, date(2025, 10, 1))], today=today, care=cc(today, done=14), pace=otj("30")
    )
    assert result.colour is Rag.RED
    assert [r.split(" ")[0:2] for r in result.reasons] == [
        ["Off-the-job", "training"],
        ["2", "credits"],
        ["The", "Care"],
    ]


def test_a_negative_grace_period_is_refused():
    with pytest.raises(ValueError, match="grace period cannot be negative"):
        status(grace=-1)


@settings(max_examples=200, deadline=None)
@given(
    units=st.lists(
        st.tuples(
            st.sampled_from(["A1", "B4", "C13", "C12", "B6", "C17", "X1"]),
            st.integers(0, 6),
            st.dates(date(2025, 6, 1), date(2026, 8, 1)),
        ),
        max_size=8,
        unique_by=lambda u: u[0],
    ),
    signed=st.dictionaries(
        st.sampled_from(["A1", "B4", "C13", "C12", "B6", "C17", "X1"]),
        st.dates(date(2025, 6, 1), date(2026, 8, 1)),
    ),
    grace=st.integers(0, 60),
)
def test_units_alone_decide_the_colour_by_credits_behind(units, signed, grace):
    result = status(units, signed, grace=grace)
    late = [
        (ref, value)
        for ref, value, due in units
        if due + timedelta(days=grace) < TODAY and not (ref in signed and signed[ref] <= TODAY)
    ]
    behind = sum(value for _, value in late)
    if behind >= 6:
        assert result.colour is Rag.RED
    elif late:
        assert result.colour is Rag.AMBER
    else:
        assert result.colour is Rag.GREEN
    assert len(result.reasons) == 1
    assert result.reasons[0].endswith(".")
