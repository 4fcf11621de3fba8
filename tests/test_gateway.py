"""Gateway readiness: seven checks, in order, each with its sentence."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from assessor_app.domain.care_certificate import care_certificate_status
from assessor_app.domain.gateway import GatewayKey, gateway_readiness
from assessor_app.domain.off_the_job import off_the_job_pace
from assessor_app.domain.progress import UnitEvidence, progress
from assessor_app.store.catalogue_files import load_default_catalogue

QUAL = load_default_catalogue()
VALID = ("B1", "B2", "B4", "B5", "B8", "B9", "B15", "C7", "C10")
START = date(2025, 9, 1)
END = date(2026, 8, 31)
TODAY = date(2026, 9, 15)
SIGNED_ON = date(2026, 6, 1)


def signed_evidence(refs):
    return {ref: UnitEvidence(ref, (), frozenset(), 1, SIGNED_ON, "Sam Patel") for ref in refs}


ALL_SIGNED = progress(QUAL, VALID, signed_evidence((*QUAL.mandatory_refs, *VALID)))
CC_DONE = care_certificate_status(START, {n: date(2025, 11, 10) for n in range(1, 16)}, today=TODAY)


def otj(hours: str):
    return off_the_job_pace(
        START, END, TODAY, Decimal("37.5"), [(START, Decimal(hours))], planned_total=Decimal(400)
    )


def check(**overrides):
    values = dict(
        progress=ALL_SIGNED,
        care_certificate=CC_DONE,
        off_the_job=otj("400"),
        start=START,
        today=TODAY,
        english=("Level 1", date(2026, 1, 12)),
        maths=("Level 2", date(2026, 3, 3)),
        last_review=date(2026, 7, 20),
    )
    values.update(overrides)
    return gateway_readiness(**values)


def item(result, key):
    return next(i for i in result.items if i.key == key)


def test_ready_for_gateway():
    result = check()
    assert result.ready
    assert result.outstanding == ()
    assert [(i.key, i.label, i.ready, i.sentence) for i in result.items] == [
        (
            "units",
            "Units",
            True,
            "All 18 selected units are signed off, giving 46 credits that meet the rules of "
            "combination.",
        ),
        (
            "care_certificate",
            "Care Certificate",
            True,
            "The Care Certificate is complete: all 15 standards were completed by 10 Nov 2025.",
        ),
        (
            "off_the_job",
            "Off-the-job training",
            True,
            "Off-the-job training for the whole programme is met: 400.0 hours logged of the "
            "400.0 required.",
        ),
        (
            "duration",
            "Minimum duration",
            True,
            "The minimum duration of 12 months was reached on 1 Sep 2026 (start 1 Sep 2025).",
        ),
        ("english", "English", True, "English Level 1 was achieved on 12 Jan 2026."),
        ("maths", "Maths", True, "Maths Level 2 was achieved on 3 Mar 2026."),
        (
            "review",
            "Progress review",
            True,
            "The last progress review was on 20 Jul 2026, 57 days ago, within the 12 weeks "
            "allowed.",
        ),
    ]
    assert result.message == "Ready for gateway: all 7 checks are met."


def test_nothing_ready():
    started = progress(QUAL, VALID, signed_evidence(("A1", "A2")))
    result = check(
        progress=started,
        care_certificate=care_certificate_status(
            START, {n: START for n in range(1, 13)}, today=TODAY
        ),
        off_the_job=otj("312.5"),
        today=date(2026, 6, 1),
        english=None,
        maths=("", date(2026, 1, 1)),
        last_review=None,
    )
    assert not result.ready
    assert [i.ready for i in result.items] == [False] * 7
    assert [i.sentence for i in result.items] == [
        "2 of 18 selected units are signed off, giving 5 credits; 16 are still to be signed "
        "off; 41 more credits are needed.",
        "The Care Certificate is not complete: 12 of 15 standards done; still to do: standards "
        "13, 14 and 15.",
        "Off-the-job training is 87.5 hours short of the 400.0 required for the whole "
        "programme (312.5 logged).",
        "The minimum duration of 12 months is reached on 1 Sep 2026, in 92 days "
        "(start 1 Sep 2025).",
        "No English level is recorded: record the level and the date it was achieved.",
        "No maths level is recorded: record the level and the date it was achieved.",
        "No progress review is recorded: hold one within the 12 weeks before gateway.",
    ]
    assert result.message == (
        "Not ready for gateway: 7 of 7 checks are not met (Units, Care Certificate, "
        "Off-the-job training, Minimum duration, English, Maths and Progress review)."
    )


def test_items_are_always_in_the_same_order():
    assert [i.key for i in check().items] == list(GatewayKey)


def test_one_check_not_met():
    result = check(last_review=None)
    assert not result.ready
    assert [i.key for i in result.outstanding] == [GatewayKey.REVIEW]
    assert result.message == "Not ready for gateway: 1 of 7 checks is not met (Progress review)."


def test_units_signed_off_but_breaking_a_rule():
    chosen = ("B1", "B2", "B4", "B5", "B8", "B9", "C17", "C12")  # group C 10 > 8
    result = check(
        progress=progress(QUAL, chosen, signed_evidence((*QUAL.mandatory_refs, *chosen)))
    )
    units = item(result, GatewayKey.UNITS)
    assert not units.ready
    assert units.sentence == (
        "All 17 selected units are signed off, giving 48 credits, but they do not meet the "
        "rules of combination: Group C has 10 credits; at most 8 may count: remove 2 or more "
        "credits from group C."
    )


def test_units_all_signed_with_enough_credits_but_one_left():
    chosen = (*VALID, "C20")
    result = check(progress=progress(QUAL, chosen, signed_evidence((*QUAL.mandatory_refs, *VALID))))
    assert item(result, GatewayKey.UNITS).sentence == (
        "18 of 19 selected units are signed off, giving 46 credits; 1 is still to be signed off."
    )


def test_one_standard_outstanding():
    cc = care_certificate_status(START, {n: START for n in range(1, 15)}, today=TODAY)
    assert item(check(care_certificate=cc), GatewayKey.CARE_CERTIFICATE).sentence == (
        "The Care Certificate is not complete: 14 of 15 standards done; still to do: standard 15."
    )


def test_off_the_job_must_reach_the_whole_programme():
    assert item(check(off_the_job=otj("400")), GatewayKey.OFF_THE_JOB).ready
    assert not item(check(off_the_job=otj("399.9")), GatewayKey.OFF_THE_JOB).ready


def test_the_minimum_duration_is_reached_on_the_day():
    reached = date(2026, 9, 1)
    assert item(check(today=reached), GatewayKey.DURATION).ready
    before = item(check(today=reached - timedelta(days=1)), GatewayKey.DURATION)
    assert not before.ready
    assert before.sentence == (
        "The minimum duration of 12 months is reached on 1 Sep 2026, in 1 day (start 1 Sep 2025)."
    )
    assert item(check(minimum_months=18), GatewayKey.DURATION).sentence == (
        "The minimum duration of 18 months is reached on 1 Mar 2027, in 167 days "
        "(start 1 Sep 2025)."
    )


def test_english_and_maths_dated_after_today():
    result = check(english=("Level 1", TODAY + timedelta(days=1)))
    english = item(result, GatewayKey.ENGLISH)
    assert not english.ready
    assert english.sentence == (
        "English Level 1 is recorded as achieved on 16 Sep 2026, which is after today: "
        "check the date."
    )
    assert item(check(maths=("Level 2", TODAY)), GatewayKey.MATHS).ready


def test_the_review_window_includes_its_last_day():
    last = TODAY - timedelta(weeks=12)
    assert item(check(last_review=last), GatewayKey.REVIEW).ready
    late = item(check(last_review=last - timedelta(days=1)), GatewayKey.REVIEW)
    assert not late.ready
    assert late.sentence == (
        "The last progress review was on 22 Jun 2026, 85 days ago, more than 12 weeks ago: "
        "hold a review before gateway."
    )
    assert item(check(last_review=TODAY), GatewayKey.REVIEW).sentence == (
        "The last progress review was on 15 Sep 2026, today, within the 12 weeks allowed."
    )
    assert item(check(last_review=TODAY, review_weeks=4), GatewayKey.REVIEW).ready


def test_a_review_dated_after_today():
    future = item(check(last_review=TODAY + timedelta(days=3)), GatewayKey.REVIEW)
    assert not future.ready
    assert future.sentence == (
        "The last progress review is dated 18 Sep 2026, which is after today: check the date."
    )


@pytest.mark.parametrize(("months", "weeks"), [(-1, 12), (12, 0)])
def test_impossible_settings_are_refused(months, weeks):
    with pytest.raises(ValueError, match="cannot be checked"):
        check(minimum_months=months, review_weeks=weeks)
