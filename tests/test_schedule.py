"""Placement schedule checks: every code, its exact wording once, and the edges."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from assessor_app.domain.credit_rules import Severity
from assessor_app.domain.dates import age_on, format_date, format_period, turns_age_on
from assessor_app.domain.schedule import (
    SEVERITY,
    ApprenticeDates,
    PlacementSlot,
    ScheduleCode,
    check_apprentice_schedule,
    check_host_capacity,
)

SAM = ApprenticeDates(1, "Sam Smith", date(2025, 9, 1), date(2027, 8, 31), date(2000, 10, 14))
TODAY = date(2025, 6, 1)


def slot(
    id_: int,
    start: date,
    end: date,
    *,
    apprentice: tuple[int, str] = (1, "Sam Smith"),
    host: tuple[int, str] = (10, "Oak House"),
    setting: str = "Residential",
    mentor: str = "Pat Jones",
    notice: date | str | None = "early",
    min_age: int | None = None,
) -> PlacementSlot:
    sent = start - timedelta(weeks=6) if notice == "early" else notice
    assert sent is None or isinstance(sent, date)
    return PlacementSlot(
        id=id_,
        apprentice_id=apprentice[0],
        apprentice_name=apprentice[1],
        organisation_id=host[0],
        organisation_name=host[1],
        setting_name=setting,
        start=start,
        end=end,
        mentor=mentor,
        notice_sent_on=sent,
        host_min_age=min_age,
    )


def check(placements, apprentice=SAM, today=TODAY, **kw):
    return check_apprentice_schedule(apprentice, placements, today=today, **kw)


def codes(findings) -> list[str]:
    return [str(f.code) for f in findings]


# ---------------------------------------------------------------------------
# Dates


def test_dates_are_written_without_a_leading_zero():
    assert format_date(date(2025, 3, 3)) == "3 Mar 2025"
    assert format_date(date(2025, 9, 30)) == "30 Sep 2025"
    assert format_period(date(2025, 9, 1), date(2025, 11, 30)) == "1 Sep 2025 – 30 Nov 2025"


def test_age_counts_whole_years():
    dob = date(2007, 9, 2)
    assert age_on(dob, date(2025, 9, 1)) == 17
    assert age_on(dob, date(2025, 9, 2)) == 18


def test_a_29_february_birthday_comes_on_1_march_in_other_years():
    dob = date(2008, 2, 29)
    assert age_on(dob, date(2026, 2, 28)) == 17
    assert age_on(dob, date(2026, 3, 1)) == 18
    assert age_on(dob, date(2028, 2, 28)) == 19
    assert age_on(dob, date(2028, 2, 29)) == 20
    assert turns_age_on(dob, 18) == date(2026, 3, 1)
    assert turns_age_on(dob, 20) == date(2028, 2, 29)


# ---------------------------------------------------------------------------
# One apprentice's schedule


def test_a_sound_schedule_has_no_findings():
    placements = [
        slot(1, date(2025, 9, 1), date(2025, 11, 30)),
        slot(2, date(2025, 12, 1), date(2026, 2, 28), host=(11, "City Hospital")),
    ]
    assert check(placements) == []


def test_every_code_has_a_severity_errors_for_what_cannot_stand():
    assert set(SEVERITY) == set(ScheduleCode)
    errors = {c for c, s in SEVERITY.items() if s is Severity.ERROR}
    assert errors == {
        ScheduleCode.PLACEMENT_ENDS_BEFORE_IT_STARTS,
        ScheduleCode.PLACEMENT_BEFORE_START,
        ScheduleCode.PLACEMENT_AFTER_END,
        ScheduleCode.PLACEMENT_OVERLAP,
        ScheduleCode.UNDER_MINIMUM_AGE,
        ScheduleCode.HOST_OVER_CAPACITY,
    }


def test_overlapping_placements():
    a = slot(1, date(2025, 9, 1), date(2025, 11, 30))
    b = slot(2, date(2025, 11, 15), date(2026, 2, 28), host=(11, "City Hospital"), setting="Ward 4")
    [finding] = check([b, a])
    assert finding.code is ScheduleCode.PLACEMENT_OVERLAP
    assert finding.severity is Severity.ERROR
    assert finding.placement_ids == (1, 2)
    assert finding.period == (date(2025, 11, 15), date(2025, 11, 30))
    assert finding.message == (
        "Sam Smith's placements at Oak House (Residential) from 1 Sep 2025 to 30 Nov 2025 and "
        "at City Hospital (Ward 4) from 15 Nov 2025 to 28 Feb 2026 overlap from 15 Nov 2025 to "
        "30 Nov 2025: change the dates so that one ends before the other starts."
    )


def test_sharing_one_day_is_an_overlap_on_that_day():
    a = slot(1, date(2025, 9, 1), date(2025, 11, 30))
    b = slot(2, date(2025, 11, 30), date(2026, 2, 28), setting="")
    [finding] = check([a, b])
    assert finding.period == (date(2025, 11, 30), date(2025, 11, 30))
    assert "Oak House from 30 Nov 2025 to 28 Feb 2026 overlap on 30 Nov 2025:" in finding.message


def test_touching_placements_neither_overlap_nor_leave_a_gap():
    a = slot(1, date(2025, 9, 1), date(2025, 11, 30))
    b = slot(2, date(2025, 12, 1), date(2025, 12, 1))  # a placement of one day
    c = slot(3, date(2025, 12, 2), date(2026, 2, 28))
    assert check([a, b, c]) == []


def test_a_placement_inside_another_overlaps_it_and_each_pair_is_reported():
    long = slot(1, date(2025, 9, 1), date(2026, 2, 28))
    inner = slot(2, date(2025, 10, 1), date(2025, 10, 31))
    later_inner = slot(3, date(2025, 12, 1), date(2025, 12, 31))
    findings = check([long, inner, later_inner])
    assert [f.placement_ids for f in findings] == [(1, 2), (1, 3)]
    assert [f.period for f in findings] == [
        (date(2025, 10, 1), date(2025, 10, 31)),
        (date(2025, 12, 1), date(2025, 12, 31)),
    ]
    # The long placement covers the time between the inner ones: no gap.
    assert codes(findings) == ["PLACEMENT_OVERLAP", "PLACEMENT_OVERLAP"]


def test_a_gap_of_more_than_a_week():
    a = slot(1, date(2025, 9, 1), date(2025, 11, 30))
    b = slot(2, date(2025, 12, 25), date(2026, 2, 28), host=(11, "City Hospital"), setting="Ward 4")
    [finding] = check([a, b])
    assert finding.code is ScheduleCode.PLACEMENT_GAP
    assert finding.severity is Severity.WARNING
    assert finding.placement_ids == (1, 2)
    assert finding.period == (date(2025, 12, 1), date(2025, 12, 24))
    assert finding.message == (
        "Sam Smith has no placement for 24 days, from 1 Dec 2025 to 24 Dec 2025, between "
        "Oak House (Residential) and City Hospital (Ward 4): extend one of them or add a "
        "placement for those days."
    )


def test_a_weekend_or_a_week_between_placements_is_not_a_gap():
    friday = date(2025, 11, 28)
    weekend = [slot(1, date(2025, 9, 1), friday), slot(2, date(2025, 12, 1), date(2026, 2, 28))]
    assert check(weekend) == []
    week = [slot(1, date(2025, 9, 1), friday), slot(2, date(2025, 12, 6), date(2026, 2, 28))]
    assert check(week) == []  # 7 days between
    eight = [slot(1, date(2025, 9, 1), friday), slot(2, date(2025, 12, 7), date(2026, 2, 28))]
    assert codes(check(eight)) == ["PLACEMENT_GAP"]
    assert codes(check(eight, max_gap_days=8)) == []


def test_no_gap_is_looked_for_before_the_first_or_after_the_last_placement():
    assert check([slot(1, date(2026, 1, 5), date(2026, 3, 31))]) == []


def test_a_placement_that_ends_before_it_starts():
    bad = slot(1, date(2025, 11, 30), date(2025, 9, 1))
    [finding] = check([bad, slot(2, date(2025, 9, 1), date(2025, 11, 29))])
    assert finding.code is ScheduleCode.PLACEMENT_ENDS_BEFORE_IT_STARTS
    assert finding.placement_ids == (1,)
    assert finding.message == (
        "Sam Smith's placement at Oak House (Residential) ends on 1 Sep 2025, before it starts "
        "on 30 Nov 2025: correct the dates."
    )


def test_a_placement_before_the_apprenticeship_starts():
    [finding] = check([slot(1, date(2025, 8, 18), date(2025, 11, 30))])
    assert finding.code is ScheduleCode.PLACEMENT_BEFORE_START
    assert finding.message == (
        "Sam Smith's placement at Oak House (Residential) starts on 18 Aug 2025, before the "
        "apprenticeship starts on 1 Sep 2025: start the placement on or after 1 Sep 2025, or "
        "correct the apprenticeship's start date."
    )


def test_a_placement_after_the_planned_end():
    [finding] = check([slot(1, date(2027, 6, 1), date(2027, 9, 15))])
    assert finding.code is ScheduleCode.PLACEMENT_AFTER_END
    assert finding.severity is Severity.ERROR
    assert finding.message == (
        "Sam Smith's placement at Oak House (Residential) ends on 15 Sep 2027, after the "
        "apprenticeship's planned end on 31 Aug 2027: end the placement by 31 Aug 2027, or "
        "record a new planned end date."
    )


def test_placements_on_the_first_and_last_days_are_inside_the_programme():
    first = slot(1, date(2025, 9, 1), date(2025, 9, 1))
    last = slot(2, date(2025, 9, 2), date(2027, 8, 31))
    assert check([first, last]) == []


def test_under_the_hosts_minimum_age():
    young = ApprenticeDates(2, "Ali Khan", date(2025, 9, 1), date(2027, 8, 31), date(2007, 10, 14))
    p = slot(
        1,
        date(2025, 9, 1),
        date(2025, 11, 30),
        apprentice=(2, "Ali Khan"),
        host=(11, "City Hospital"),
        setting="Ward 4",
        min_age=18,
    )
    [finding] = check([p], apprentice=young)
    assert finding.code is ScheduleCode.UNDER_MINIMUM_AGE
    assert finding.severity is Severity.ERROR
    assert finding.message == (
        "Ali Khan is 17 on 1 Sep 2025, the start of the placement at City Hospital (Ward 4), "
        "but City Hospital takes only apprentices aged 18 or over: choose another host, or "
        "start the placement on or after 14 Oct 2025, when Ali Khan turns 18."
    )


def test_the_age_limit_on_a_29_february_birthday():
    leap = ApprenticeDates(3, "Jo Bloggs", date(2025, 9, 1), date(2027, 8, 31), date(2008, 2, 29))
    kw = {"apprentice": (3, "Jo Bloggs"), "min_age": 18}
    day_before = slot(1, date(2026, 2, 28), date(2026, 5, 31), **kw)
    [finding] = check([day_before], apprentice=leap)
    assert finding.code is ScheduleCode.UNDER_MINIMUM_AGE
    assert "on or after 1 Mar 2026, when Jo Bloggs turns 18" in finding.message
    assert check([slot(1, date(2026, 3, 1), date(2026, 5, 31), **kw)], apprentice=leap) == []


def test_an_unknown_date_of_birth_cannot_be_checked_against_an_age_limit():
    unknown = ApprenticeDates(1, "Sam Smith", date(2025, 9, 1), date(2027, 8, 31), None)
    [finding] = check([slot(1, date(2025, 9, 1), date(2025, 11, 30), min_age=18)], unknown)
    assert finding.code is ScheduleCode.DATE_OF_BIRTH_MISSING
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "Oak House takes only apprentices aged 18 or over, and Sam Smith's date of birth is not "
        "recorded: record it so that the placement starting 1 Sep 2025 can be checked."
    )
    assert check([slot(1, date(2025, 9, 1), date(2025, 11, 30))], unknown) == []


def test_notice_sent_late():
    p = slot(1, date(2025, 9, 1), date(2025, 11, 30), notice=date(2025, 8, 20))
    [finding] = check([p])
    assert finding.code is ScheduleCode.NOTICE_LATE
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "Notice of Sam Smith's placement at Oak House (Residential) from 1 Sep 2025 was sent on "
        "20 Aug 2025, 12 days before the start; 4 weeks' notice meant sending it by 4 Aug 2025: "
        "check that Sam Smith and the host have the dates, location, working days and hours."
    )


def test_notice_on_the_last_day_is_in_time_and_a_day_later_is_late():
    start = date(2025, 9, 1)
    assert check([slot(1, start, date(2025, 11, 30), notice=date(2025, 8, 4))]) == []
    assert codes(check([slot(1, start, date(2025, 11, 30), notice=date(2025, 8, 5))])) == [
        "NOTICE_LATE"
    ]
    assert (
        check([slot(1, start, date(2025, 11, 30), notice=date(2025, 8, 5))], notice_weeks=2) == []
    )


def test_notice_sent_on_or_after_the_start_day():
    on_day = slot(1, date(2025, 9, 1), date(2025, 11, 30), notice=date(2025, 9, 1))
    assert "sent on 1 Sep 2025, on the first day;" in check([on_day])[0].message
    after = slot(1, date(2025, 9, 1), date(2025, 11, 30), notice=date(2025, 9, 2))
    message = check([after], notice_weeks=1)[0].message
    assert "sent on 2 Sep 2025, 1 day after the start; 1 week's notice meant" in message


def test_notice_not_sent_for_a_placement_starting_within_the_notice_period():
    p = slot(1, date(2025, 9, 1), date(2025, 11, 30), notice=None)
    [finding] = check([p], today=date(2025, 8, 10))
    assert finding.code is ScheduleCode.NOTICE_NOT_SENT
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "No notice of Sam Smith's placement at Oak House (Residential) from 1 Sep 2025 has been "
        "sent; 4 weeks' notice means sending it by 4 Aug 2025: send the dates, location, "
        "working days and hours to Sam Smith and the host now, and record the date sent."
    )


def test_notice_not_sent_is_reported_from_the_day_it_is_due_until_the_placement_ends():
    p = slot(1, date(2025, 9, 1), date(2025, 11, 30), notice=None)
    assert check([p], today=date(2025, 8, 3)) == []
    assert codes(check([p], today=date(2025, 8, 4))) == ["NOTICE_NOT_SENT"]
    assert codes(check([p], today=date(2025, 11, 30))) == ["NOTICE_NOT_SENT"]
    assert check([p], today=date(2025, 12, 1)) == []


def test_notice_not_sent_for_a_placement_already_started():
    p = slot(1, date(2025, 9, 1), date(2025, 11, 30), notice=None)
    [finding] = check([p], today=date(2025, 9, 10))
    assert finding.message == (
        "Sam Smith's placement at Oak House (Residential) started on 1 Sep 2025 with no notice "
        "recorded: record the date notice was sent, or send the dates, location, working days "
        "and hours to Sam Smith and the host now."
    )


def test_no_mentor_named():
    for mentor in ("", "   "):
        [finding] = check([slot(1, date(2025, 9, 1), date(2025, 11, 30), mentor=mentor)])
        assert finding.code is ScheduleCode.MENTOR_MISSING
        assert finding.severity is Severity.WARNING
        assert finding.message == (
            "No mentor is named for Sam Smith's placement at Oak House (Residential) from "
            "1 Sep 2025 to 30 Nov 2025: ask the host for a mentor and record their name."
        )


def test_other_apprentices_placements_are_ignored():
    other = slot(5, date(2025, 9, 1), date(2025, 11, 30), apprentice=(2, "Ali Khan"), mentor="")
    mine = slot(1, date(2025, 9, 1), date(2025, 11, 30))
    assert check([other, mine]) == []


def test_findings_come_in_date_order_and_a_broken_placement_gets_only_date_checks_that_fit():
    broken = slot(3, date(2026, 6, 1), date(2026, 5, 1), mentor="")
    early = slot(1, date(2025, 8, 1), date(2025, 9, 30))
    overlapping = slot(2, date(2025, 9, 15), date(2025, 12, 31), notice=None)
    findings = check([broken, overlapping, early], today=date(2025, 10, 1))
    assert [(str(f.code), f.placement_ids) for f in findings] == [
        ("PLACEMENT_BEFORE_START", (1,)),
        ("PLACEMENT_OVERLAP", (1, 2)),
        ("NOTICE_NOT_SENT", (2,)),
        ("PLACEMENT_ENDS_BEFORE_IT_STARTS", (3,)),
        ("MENTOR_MISSING", (3,)),
    ]


# ---------------------------------------------------------------------------
# Host capacity


def at(id_, who, start, end, host=(10, "Oak House")):
    return slot(id_, start, end, apprentice=who, host=host)


SAM_ = (1, "Sam Smith")
ALI = (2, "Ali Khan")
JO = (3, "Jo Bloggs")


def test_a_host_over_capacity():
    placements = [
        at(1, SAM_, date(2025, 9, 1), date(2025, 11, 30)),
        at(2, ALI, date(2025, 9, 1), date(2025, 11, 30)),
        at(3, JO, date(2025, 10, 1), date(2025, 10, 31)),
    ]
    [finding] = check_host_capacity(placements, {10: 2})
    assert finding.code is ScheduleCode.HOST_OVER_CAPACITY
    assert finding.severity is Severity.ERROR
    assert finding.placement_ids == (1, 2, 3)
    assert finding.period == (date(2025, 10, 1), date(2025, 10, 31))
    assert finding.message == (
        "Oak House can host 2 apprentices at once, but 3 are placed there from 1 Oct 2025 to "
        "31 Oct 2025: Ali Khan, Jo Bloggs and Sam Smith. Move 1 of them to another host or "
        "change the dates."
    )


def test_capacity_of_one_and_of_none():
    two = [
        at(1, SAM_, date(2025, 9, 1), date(2025, 9, 30)),
        at(2, ALI, date(2025, 9, 30), date(2025, 10, 31)),
    ]
    [finding] = check_host_capacity(two, {10: 1})
    assert finding.message == (
        "Oak House can host 1 apprentice at once, but 2 are placed there on 30 Sep 2025: "
        "Ali Khan and Sam Smith. Move 1 of them to another host or change the dates."
    )
    [none] = check_host_capacity(two[:1], {10: 0})
    assert none.message == (
        "Oak House has no places for apprentices, but 1 is placed there from 1 Sep 2025 to "
        "30 Sep 2025: Sam Smith. Move this apprentice to another host or change the dates."
    )


def test_touching_placements_do_not_share_a_place():
    placements = [
        at(1, SAM_, date(2025, 9, 1), date(2025, 9, 30)),
        at(2, ALI, date(2025, 10, 1), date(2025, 10, 31)),
    ]
    assert check_host_capacity(placements, {10: 1}) == []


def test_a_new_finding_each_time_the_apprentices_present_change():
    placements = [
        at(1, SAM_, date(2025, 9, 1), date(2025, 11, 30)),
        at(2, ALI, date(2025, 9, 1), date(2025, 9, 30)),
        at(3, JO, date(2025, 10, 1), date(2025, 10, 31)),
    ]
    findings = check_host_capacity(placements, {10: 1})
    assert [(f.period, f.placement_ids) for f in findings] == [
        ((date(2025, 9, 1), date(2025, 9, 30)), (1, 2)),
        ((date(2025, 10, 1), date(2025, 10, 31)), (1, 3)),
    ]


def test_one_apprentice_in_two_settings_of_a_host_counts_once():
    placements = [
        at(1, SAM_, date(2025, 9, 1), date(2025, 11, 30)),
        at(2, SAM_, date(2025, 10, 1), date(2025, 10, 31)),
    ]
    assert check_host_capacity(placements, {10: 1}) == []


def test_apprentices_who_share_a_name_are_both_listed():
    other_sam = (4, "Sam Smith")
    placements = [
        at(1, SAM_, date(2025, 9, 1), date(2025, 9, 30)),
        at(2, other_sam, date(2025, 9, 1), date(2025, 9, 30)),
    ]
    [finding] = check_host_capacity(placements, {10: 1})
    assert "2 are placed there from 1 Sep 2025 to 30 Sep 2025: Sam Smith and Sam Smith." in (
        finding.message
    )


def test_hosts_without_a_capacity_and_broken_placements_are_not_checked():
    placements = [
        at(1, SAM_, date(2025, 9, 1), date(2025, 9, 30), host=(11, "City Hospital")),
        at(2, ALI, date(2025, 9, 1), date(2025, 9, 30), host=(11, "City Hospital")),
        at(3, JO, date(2025, 9, 30), date(2025, 9, 1)),
    ]
    assert check_host_capacity(placements, {10: 0}) == []


def test_hosts_are_reported_in_date_order():
    city = (11, "City Hospital")
    placements = [
        at(1, SAM_, date(2025, 10, 1), date(2025, 10, 31)),
        at(2, ALI, date(2025, 10, 1), date(2025, 10, 31)),
        at(3, SAM_, date(2025, 9, 1), date(2025, 9, 30), host=city),
        at(4, JO, date(2025, 9, 1), date(2025, 9, 30), host=city),
    ]
    findings = check_host_capacity(placements, {10: 1, 11: 1})
    assert [f.placement_ids for f in findings] == [(3, 4), (1, 2)]


def test_years_of_placements_are_swept_not_counted_day_by_day():
    placements = [
        at(i, (i % 50, f"Apprentice {i % 50}"), date(2000, 1, 1), date(2099, 12, 31))
        for i in range(1, 201)
    ]
    [finding] = check_host_capacity(placements, {10: 49})
    assert finding.period == (date(2000, 1, 1), date(2099, 12, 31))
    assert len(finding.placement_ids) == 200


# Property: the sweep agrees with counting every day.

BASE = date(2025, 1, 1)


@st.composite
def schedules(draw):
    count = draw(st.integers(min_value=0, max_value=10))
    placements = []
    for i in range(count):
        start = draw(st.integers(min_value=0, max_value=40))
        length = draw(st.integers(min_value=-2, max_value=20))  # some end before they start
        who = draw(st.integers(min_value=1, max_value=4))
        host = draw(st.integers(min_value=1, max_value=3))
        placements.append(
            at(
                i + 1,
                (who, f"Apprentice {who}"),
                BASE + timedelta(days=start),
                BASE + timedelta(days=start + length),
                host=(host, f"Host {host}"),
            )
        )
    capacity = draw(
        st.dictionaries(st.integers(min_value=1, max_value=3), st.integers(0, 3), max_size=3)
    )
    return placements, capacity


def naive_over_capacity(placements, capacity):
    """(host, day) -> ids of the placements there that day, where the host is over capacity."""
    over = {}
    for host, limit in capacity.items():
        mine = [p for p in placements if p.organisation_id == host and p.end >= p.start]
        if not mine:
            continue
        day = min(p.start for p in mine)
        while day <= max(p.end for p in mine):
            present = [p for p in mine if p.start <= day <= p.end]
            if len({p.apprentice_id for p in present}) > limit:
                over[host, day] = tuple(sorted(p.id for p in present))
            day += timedelta(days=1)
    return over


@settings(max_examples=300, deadline=None)
@given(schedules())
def test_the_sweep_matches_a_day_by_day_count(case):
    placements, capacity = case
    by_id = {p.id: p for p in placements}
    swept = defaultdict(list)
    for finding in check_host_capacity(placements, capacity):
        assert finding.period is not None
        host = by_id[finding.placement_ids[0]].organisation_id
        day, last = finding.period
        while day <= last:
            swept[host, day].append(finding.placement_ids)
            day += timedelta(days=1)
    assert all(len(ids) == 1 for ids in swept.values())  # findings never overlap
    assert {key: ids[0] for key, ids in swept.items()} == naive_over_capacity(placements, capacity)
