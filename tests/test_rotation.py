"""Proposing a cohort's rotation: periods, hard rules, requirements and the problems reported."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessor_app.domain.dates import add_months, age_on
from assessor_app.domain.rotation import (
    ProblemCode,
    ProposedSlot,
    RotationApprentice,
    RotationHost,
    RotationPattern,
    RotationPlan,
    Sector,
    periods,
    propose_rotation,
)
from assessor_app.domain.schedule import PlacementSlot, check_host_capacity

START = date(2025, 9, 1)
EMPLOYER = 10

SAM = RotationApprentice(1, "Sam Smith", date(2008, 6, 1), EMPLOYER)  # 17 throughout
ALI = RotationApprentice(2, "Ali Khan", date(2000, 1, 1), EMPLOYER)
JO = RotationApprentice(3, "Jo Bloggs", date(2001, 2, 2), EMPLOYER)

NORTHSHIRE = RotationHost(EMPLOYER, "Northshire Care", Sector.SOCIAL_CARE, 1)
CITY = RotationHost(11, "City Hospital", Sector.HEALTH, 2, 18, ("Ward 4", "A&E streaming"))
RIVERSIDE = RotationHost(12, "Riverside Day Centre", Sector.PVI, 1)

ONE_PLAIN = RotationPattern(1, 3, first_with_employer=False, last_with_pvi=False)


def propose(apprentices, hosts, pattern, start=START) -> RotationPlan:
    return propose_rotation(apprentices, hosts, start=start, pattern=pattern)


def hosts_of(plan: RotationPlan, apprentice_id: int) -> list[int]:
    return [s.host_id for s in plan.slots if s.apprentice_id == apprentice_id]


def messages(plan: RotationPlan, code: ProblemCode) -> list[str]:
    return [p.message for p in plan.problems if p.code is code]


# ---------------------------------------------------------------------------
# Periods and month arithmetic


def test_months_are_added_with_the_day_clamped_to_a_shorter_month():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 15), -13) == date(2023, 12, 15)


def test_five_periods_of_three_months_each_end_the_day_before_the_next():
    assert periods(START, 5, 3) == [
        (date(2025, 9, 1), date(2025, 11, 30)),
        (date(2025, 12, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 5, 31)),
        (date(2026, 6, 1), date(2026, 8, 31)),
        (date(2026, 9, 1), date(2026, 11, 30)),
    ]


def test_periods_from_the_31st_do_not_drift():
    assert periods(date(2025, 1, 31), 3, 1) == [
        (date(2025, 1, 31), date(2025, 2, 27)),
        (date(2025, 2, 28), date(2025, 3, 30)),
        (date(2025, 3, 31), date(2025, 4, 29)),
    ]


def test_a_pattern_needs_a_placement_of_a_month_or_more():
    with pytest.raises(ValueError, match="at least one placement of at least one month, not 0"):
        periods(START, 0, 3)
    with pytest.raises(ValueError, match="not 2 of 0"):
        periods(START, 2, 0)


# ---------------------------------------------------------------------------
# Plans that meet every requirement


def test_a_cohort_rotates_through_five_hosts_from_the_employer_to_a_pvi_host():
    hosts = [
        RotationHost(EMPLOYER, "Northshire Care", Sector.SOCIAL_CARE, 4, None, ("Oak House",)),
        RotationHost(11, "City Hospital", Sector.HEALTH, 2, 18, ("Ward 4", "A&E streaming")),
        RotationHost(12, "Hilltop Mental Health Unit", Sector.HEALTH, 2),
        RotationHost(13, "Meadow Day Centre", Sector.SOCIAL_CARE, 2),
        RotationHost(14, "Riverside Day Centre", Sector.PVI, 2),
        RotationHost(15, "Sunny Lodge", Sector.PVI, 2),
    ]
    cohort = [
        RotationApprentice(i, name, date(1999 + i, 3, 1), EMPLOYER)
        for i, name in enumerate(["Ali Khan", "Jo Bloggs", "Lee Chan", "Pat Jones"], start=1)
    ]
    plan = propose(cohort, hosts, RotationPattern(5, 3))
    assert plan.problems == ()
    assert len(plan.slots) == 20
    pvi = {14, 15}
    for person in cohort:
        visited = hosts_of(plan, person.id)
        assert len(visited) == 5
        assert len(set(visited)) == 5  # never the same host twice
        assert visited[0] == EMPLOYER
        assert visited[-1] in pvi
    first = next(s for s in plan.slots if s.apprentice_id == 1)
    assert first == ProposedSlot(
        1, "Ali Khan", EMPLOYER, "Northshire Care", "Oak House", 1, START, date(2025, 11, 30)
    )


def test_three_hosts_three_apprentices_three_periods_is_a_latin_square():
    hosts = [RotationHost(i, f"Host {i}", Sector.HEALTH, 1) for i in (21, 22, 23)]
    cohort = [RotationApprentice(i, f"Apprentice {i}", date(2000, 1, 1), 21) for i in (1, 2, 3)]
    plan = propose(cohort, hosts, RotationPattern(3, 4, False, False))
    assert plan.problems == ()
    for person in cohort:
        assert len(set(hosts_of(plan, person.id))) == 3
    for period in (1, 2, 3):
        assert sorted(s.host_id for s in plan.slots if s.period == period) == [21, 22, 23]


def test_two_placements_of_six_months():
    plan = propose([ALI], [NORTHSHIRE, RIVERSIDE], RotationPattern(2, 6))
    assert plan.problems == ()
    assert [(s.host_name, s.start, s.end) for s in plan.slots] == [
        ("Northshire Care", date(2025, 9, 1), date(2026, 2, 28)),
        ("Riverside Day Centre", date(2026, 3, 1), date(2026, 8, 31)),
    ]


def test_a_single_placement_is_with_the_employer_and_needs_no_pvi_host():
    plan = propose([ALI], [NORTHSHIRE, RIVERSIDE], RotationPattern(1, 12))
    assert plan.problems == ()
    assert hosts_of(plan, ALI.id) == [EMPLOYER]


def test_settings_are_shared_out_between_apprentices_at_one_host():
    hosts = [RotationHost(11, "City Hospital", Sector.HEALTH, 2, None, ("Ward 4", "A&E"))]
    plan = propose([ALI, JO], hosts, RotationPattern(2, 6, False, False))
    assert [(s.apprentice_name, s.period, s.setting_name) for s in plan.slots] == [
        ("Ali Khan", 1, "Ward 4"),
        ("Ali Khan", 2, "A&E"),
        ("Jo Bloggs", 1, "A&E"),
        ("Jo Bloggs", 2, "Ward 4"),
    ]


def test_the_plan_does_not_depend_on_the_order_of_the_input():
    hosts = [NORTHSHIRE, CITY, RIVERSIDE, RotationHost(13, "Sunny Lodge", Sector.PVI, 1)]
    cohort = [SAM, ALI, JO]
    plan = propose(cohort, hosts, RotationPattern(4, 3))
    assert propose(cohort[::-1], hosts[::-1], RotationPattern(4, 3)) == plan


def test_ids_must_be_unique():
    with pytest.raises(ValueError, match=r"Each host must appear once; repeated ids: \[10\]"):
        propose([ALI], [NORTHSHIRE, NORTHSHIRE], ONE_PLAIN)
    with pytest.raises(ValueError, match=r"Each apprentice must appear once"):
        propose([ALI, ALI], [NORTHSHIRE], ONE_PLAIN)


def test_an_empty_cohort_gets_an_empty_plan():
    plan = propose([], [NORTHSHIRE], RotationPattern(2, 6))
    assert plan.slots == () and plan.problems == ()
    assert len(plan.periods) == 2


# ---------------------------------------------------------------------------
# Problems, each worded exactly once


def test_no_host_takes_apprentices_of_their_age():
    plan = propose([SAM], [CITY], ONE_PLAIN)
    assert plan.slots == ()
    [problem] = plan.problems
    assert (problem.code, problem.apprentice_ids, problem.period) == (ProblemCode.NO_HOST, (1,), 1)
    assert problem.message == (
        "No host can take Sam Smith in period 1 (1 Sep 2025 – 30 Nov 2025): every host with room "
        "has a minimum age of 18 and Sam Smith will be 17. Add a host that takes apprentices "
        "aged 17."
    )


def test_minimum_ages_that_differ_are_given_as_the_lowest_or_more():
    hosts = [CITY, RotationHost(13, "Hilltop Mental Health Unit", Sector.HEALTH, 1, 21)]
    [message] = messages(propose([SAM], hosts, ONE_PLAIN), ProblemCode.NO_HOST)
    assert "every host with room has a minimum age of 18 or more and Sam Smith will be 17." in (
        message
    )


def test_no_host_has_room():
    plan = propose([ALI, JO], [RIVERSIDE], ONE_PLAIN)
    assert hosts_of(plan, ALI.id) == [RIVERSIDE.id]
    assert messages(plan, ProblemCode.NO_HOST) == [
        "No host can take Jo Bloggs in period 1 (1 Sep 2025 – 30 Nov 2025): every host is full. "
        "Add a host, or raise a host's capacity."
    ]


def test_no_date_of_birth_keeps_an_apprentice_from_hosts_with_a_minimum_age():
    lee = RotationApprentice(4, "Lee Chan", None, EMPLOYER)
    assert messages(propose([lee], [CITY], ONE_PLAIN), ProblemCode.NO_HOST) == [
        "No host can take Lee Chan in period 1 (1 Sep 2025 – 30 Nov 2025): every host with room "
        "has a minimum age and Lee Chan's date of birth is not recorded. Record Lee Chan's date "
        "of birth."
    ]
    assert hosts_of(propose([lee], [RIVERSIDE], ONE_PLAIN), lee.id) == [RIVERSIDE.id]


def test_the_age_limit_is_checked_on_the_first_day_of_each_period():
    turns_18 = RotationApprentice(5, "Max Reid", date(2008, 3, 1), EMPLOYER)  # 18 on 1 Mar 2026
    plan = propose([turns_18], [CITY], RotationPattern(2, 6, False, False))
    assert [s.period for s in plan.slots] == [2]
    assert [p.period for p in plan.problems] == [1]


def test_the_employer_is_full():
    plan = propose([ALI, JO], [NORTHSHIRE, CITY], RotationPattern(2, 6, last_with_pvi=False))
    assert hosts_of(plan, ALI.id) == [EMPLOYER, CITY.id]
    assert hosts_of(plan, JO.id) == [CITY.id, EMPLOYER]
    [problem] = plan.problems
    assert problem.code is ProblemCode.NOT_WITH_EMPLOYER
    assert problem.message == (
        "Jo Bloggs's first placement, in period 1 (1 Sep 2025 – 28 Feb 2026), cannot be with the "
        "employer, Northshire Care: it is full (1 place). Jo Bloggs is proposed for City "
        "Hospital instead. Raise Northshire Care's capacity if it can take more."
    )


def test_the_employer_has_no_places():
    closed = RotationHost(EMPLOYER, "Northshire Care", Sector.SOCIAL_CARE, 0)
    plan = propose([ALI], [closed, CITY], RotationPattern(1, 6))
    [message] = messages(plan, ProblemCode.NOT_WITH_EMPLOYER)
    assert "cannot be with the employer, Northshire Care: it has no places for apprentices." in (
        message
    )


def test_the_employer_has_a_minimum_age():
    strict = RotationHost(EMPLOYER, "Northshire Care", Sector.SOCIAL_CARE, 3, 18)
    plan = propose([SAM], [strict, RIVERSIDE], RotationPattern(1, 6))
    assert messages(plan, ProblemCode.NOT_WITH_EMPLOYER) == [
        "Sam Smith's first placement, in period 1 (1 Sep 2025 – 28 Feb 2026), cannot be with the "
        "employer, Northshire Care: it has a minimum age of 18 and Sam Smith will be 17. Sam "
        "Smith is proposed for Riverside Day Centre instead. Check the minimum age recorded for "
        "Northshire Care."
    ]


def test_every_pvi_host_is_full():
    plan = propose([ALI, JO], [NORTHSHIRE, CITY, RIVERSIDE], RotationPattern(3, 4))
    assert messages(plan, ProblemCode.NOT_WITH_PVI) == [
        "Jo Bloggs's last placement, in period 3 (1 May 2026 – 31 Aug 2026), cannot be with a "
        "private, voluntary or independent (PVI) host: every PVI host is full. Jo Bloggs is "
        "proposed for Northshire Care instead. Add a PVI host, or raise a PVI host's capacity."
    ]
    assert not messages(plan, ProblemCode.HOST_REPEATED)


def test_every_pvi_host_has_a_minimum_age():
    strict_pvi = RotationHost(12, "Riverside Day Centre", Sector.PVI, 1, 18)
    plan = propose([SAM], [NORTHSHIRE, strict_pvi], RotationPattern(2, 6))
    assert messages(plan, ProblemCode.NOT_WITH_PVI) == [
        "Sam Smith's last placement, in period 2 (1 Mar 2026 – 31 Aug 2026), cannot be with a "
        "private, voluntary or independent (PVI) host: every PVI host with room has a minimum "
        "age of 18 and Sam Smith will be 17. Sam Smith is proposed for Northshire Care instead. "
        "Add a PVI host that takes apprentices aged 17."
    ]
    assert messages(plan, ProblemCode.HOST_REPEATED) == [
        "Sam Smith is proposed for Northshire Care in period 2 (1 Mar 2026 – 31 Aug 2026) as well "
        "as in period 1: every host new to Sam Smith with room has a minimum age above Sam "
        "Smith's age of 17. Add a host that takes apprentices aged 17 to avoid the repeat."
    ]


def test_a_repeat_when_every_host_has_been_visited():
    plan = propose([ALI], [CITY], RotationPattern(3, 4, False, False))
    assert hosts_of(plan, ALI.id) == [CITY.id] * 3
    assert messages(plan, ProblemCode.HOST_REPEATED) == [
        "Ali Khan is proposed for City Hospital in period 2 (1 Jan 2026 – 30 Apr 2026) as well "
        "as in period 1: Ali Khan has been to every host. Add a host to avoid the repeat.",
        "Ali Khan is proposed for City Hospital in period 3 (1 May 2026 – 31 Aug 2026) as well "
        "as in periods 1 and 2: Ali Khan has been to every host. Add a host to avoid the repeat.",
    ]


def test_a_repeat_when_every_new_host_is_full():
    hosts = [
        RotationHost(13, "Sunny Lodge", Sector.HEALTH, 3),
        RotationHost(14, "Elm House", Sector.HEALTH, 1),
    ]
    plan = propose([ALI, JO, SAM], hosts, RotationPattern(2, 6, False, False))
    assert Counter(s.host_id for s in plan.slots) == {13: 4, 14: 2}
    [problem] = [p for p in plan.problems if p.code is ProblemCode.HOST_REPEATED]
    assert problem.message == (
        "Jo Bloggs is proposed for Sunny Lodge in period 2 (1 Mar 2026 – 31 Aug 2026) as well as "
        "in period 1: every host new to Jo Bloggs is full. Add a host, or raise a host's "
        "capacity, to avoid the repeat."
    )


def test_the_employer_and_pvi_hosts_are_missing_from_the_hosts():
    city = RotationHost(11, "City Hospital", Sector.HEALTH, 3)
    plan = propose([ALI, JO], [city], RotationPattern(2, 6))
    assert [(p.code, p.apprentice_ids, p.period) for p in plan.problems[:2]] == [
        (ProblemCode.EMPLOYER_NOT_A_HOST, (2, 3), 1),
        (ProblemCode.NO_PVI_HOST, (2, 3), 2),
    ]
    assert plan.problems[0].message == (
        "The employer of Ali Khan and Jo Bloggs (organisation 10) is not among the hosts, so the "
        "first placement, in period 1 (1 Sep 2025 – 28 Feb 2026), cannot be with the employer: "
        "add the employer to the hosts with its capacity."
    )
    assert plan.problems[1].message == (
        "No private, voluntary or independent (PVI) host is among the hosts, so the last "
        "placement, in period 2 (1 Mar 2026 – 31 Aug 2026), cannot be with one: add a PVI host."
    )
    # Said once for the cohort, not again for each apprentice.
    assert not messages(plan, ProblemCode.NOT_WITH_EMPLOYER)
    assert not messages(plan, ProblemCode.NOT_WITH_PVI)


def test_no_hosts_at_all():
    plan = propose([ALI], [], RotationPattern(2, 6))
    assert plan.slots == ()
    [problem] = plan.problems
    assert problem.code is ProblemCode.NO_HOSTS
    assert problem.message == (
        "No hosts are listed, so no placements can be proposed: add the hosts that take "
        "apprentices, with their capacities."
    )


def test_a_scarce_pvi_host_is_kept_for_the_last_period():
    # Planning period by period in date order would spend Riverside in period 2.
    hosts = [
        RotationHost(EMPLOYER, "Northshire Care", Sector.SOCIAL_CARE, 2),
        RotationHost(11, "City Hospital", Sector.HEALTH, 2),
        RotationHost(12, "Riverside Day Centre", Sector.PVI, 2),
    ]
    plan = propose([ALI, JO], hosts, RotationPattern(3, 4))
    assert plan.problems == ()
    for person in (ALI, JO):
        assert hosts_of(plan, person.id) == [EMPLOYER, 11, 12]


def test_a_larger_cohort_is_planned_quickly():
    rng = random.Random(7)
    hosts = [
        RotationHost(
            i,
            f"Host {i}",
            rng.choice(list(Sector)),
            rng.randint(1, 6),
            rng.choice([None, None, 18]),
        )
        for i in range(1, 16)
    ]
    cohort = [
        RotationApprentice(100 + i, f"Apprentice {i}", date(rng.randint(1990, 2008), 5, 1), 1)
        for i in range(30)
    ]
    plan = propose(cohort, hosts, RotationPattern(5, 3))
    assert_plan_is_sound(cohort, hosts, RotationPattern(5, 3), START, plan)


# ---------------------------------------------------------------------------
# Properties of every plan


def max_placeable(cohort, hosts, on: date) -> int:
    """Most apprentices that can be placed at once: augmenting paths over host places."""
    places = [h for h in hosts for _ in range(max(h.capacity, 0))]

    def fits(person, host) -> bool:
        if host.min_age is None:
            return True
        dob = person.date_of_birth
        return dob is not None and age_on(dob, on) >= host.min_age

    holder: dict[int, int] = {}

    def try_place(i: int, seen: set[int]) -> bool:
        for j, host in enumerate(places):
            if j in seen or not fits(cohort[i], host):
                continue
            seen.add(j)
            if j not in holder or try_place(holder[j], seen):
                holder[j] = i
                return True
        return False

    return sum(try_place(i, set()) for i in range(len(cohort)))


def assert_plan_is_sound(cohort, hosts, pattern, start, plan):
    spans = periods(start, pattern.placements, pattern.months)
    assert list(plan.periods) == spans
    assert spans[0][0] == start
    for (_, end), (next_start, _) in pairwise(spans):
        assert end + timedelta(days=1) == next_start
    by_host = {h.id: h for h in hosts}
    people = {a.id: a for a in cohort}
    for s in plan.slots:
        assert (s.start, s.end) == spans[s.period - 1]
        host = by_host[s.host_id]
        assert s.host_name == host.name
        assert s.setting_name in (host.settings or ("",))
        if host.min_age is not None:
            dob = people[s.apprentice_id].date_of_birth
            assert dob is not None and age_on(dob, s.start) >= host.min_age
    per_period = Counter((s.period, s.apprentice_id) for s in plan.slots)
    assert all(n == 1 for n in per_period.values())
    load = Counter((s.period, s.host_id) for s in plan.slots)
    assert all(n <= by_host[h].capacity for (_, h), n in load.items())

    # The schedule checker agrees that no host is over capacity.
    as_slots = [
        PlacementSlot(
            i,
            s.apprentice_id,
            s.apprentice_name,
            s.host_id,
            s.host_name,
            s.setting_name,
            s.start,
            s.end,
        )
        for i, s in enumerate(plan.slots)
    ]
    assert check_host_capacity(as_slots, {h.id: max(h.capacity, 0) for h in hosts}) == []

    problems = Counter((p.code, p.apprentice_ids, p.period) for p in plan.problems)
    for period, (begin, _) in enumerate(spans, start=1):
        placed = {s.apprentice_id for s in plan.slots if s.period == period}
        assert len(placed) == max_placeable(cohort, hosts, begin)
        for person in cohort:
            if person.id not in placed:
                assert problems[ProblemCode.NO_HOST, (person.id,), period] == 1
                # No host with room would have taken them.
                for h in hosts:
                    room = load[period, h.id] < h.capacity
                    assert not room or not fits_age(person, h, begin)

    has_pvi = any(h.sector is Sector.PVI for h in hosts)
    for person in cohort:
        mine = sorted(
            (s for s in plan.slots if s.apprentice_id == person.id), key=lambda s: s.period
        )
        seen: set[int] = set()
        for s in mine:
            repeated = problems[ProblemCode.HOST_REPEATED, (person.id,), s.period]
            assert repeated == (1 if s.host_id in seen else 0)
            seen.add(s.host_id)
            if s.host_id in {x.host_id for x in mine if x.period != s.period}:
                assert_repeat_was_needed(person, s, mine, hosts, load, pattern, len(spans))
        first = next((s for s in mine if s.period == 1), None)
        if pattern.first_with_employer and first and person.employer_id in by_host:
            missed = first.host_id != person.employer_id
            assert problems[ProblemCode.NOT_WITH_EMPLOYER, (person.id,), 1] == int(missed)
        last = next((s for s in mine if s.period == len(spans)), None)
        if pattern.last_with_pvi and len(spans) > 1 and last and has_pvi:
            missed = by_host[last.host_id].sector is not Sector.PVI
            assert problems[ProblemCode.NOT_WITH_PVI, (person.id,), len(spans)] == int(missed)

    for p in plan.problems:
        assert p.message.endswith(".")
        assert "None" not in p.message and "  " not in p.message and " ." not in p.message


def fits_age(person, host, on):
    if host.min_age is None:
        return True
    return person.date_of_birth is not None and age_on(person.date_of_birth, on) >= host.min_age


def assert_repeat_was_needed(person, slot, mine, hosts, load, pattern, count):
    """Moving to a host the apprentice never visits would break an age limit or requirement."""

    def misses(host) -> int:
        index = slot.period - 1
        n = 0
        if pattern.first_with_employer and index == 0 and host.id != person.employer_id:
            n += 1
        if pattern.last_with_pvi and count > 1 and index == count - 1 and host.sector != "pvi":
            n += 1
        return n

    visited = {s.host_id for s in mine if s.period != slot.period}
    current = next(h for h in hosts if h.id == slot.host_id)
    for h in hosts:
        if h.id in visited or h.id == slot.host_id or load[slot.period, h.id] >= h.capacity:
            continue
        assert not fits_age(person, h, slot.start) or misses(h) > misses(current)


@st.composite
def cohorts(draw):
    host_count = draw(st.integers(min_value=0, max_value=5))
    hosts = [
        RotationHost(
            id=20 + i,
            name=f"Host {i}",
            sector=draw(st.sampled_from(list(Sector))),
            capacity=draw(st.integers(min_value=0, max_value=3)),
            min_age=draw(st.sampled_from([None, None, 18, 19])),
            settings=tuple(f"Setting {k}" for k in range(draw(st.integers(0, 2)))),
        )
        for i in range(host_count)
    ]
    start = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)))
    employers = [h.id for h in hosts] + [99]
    cohort = [
        RotationApprentice(
            id=i + 1,
            name=f"Apprentice {chr(65 + i)}",
            date_of_birth=draw(
                st.one_of(
                    st.none(),
                    st.dates(
                        min_value=start.replace(day=1) - timedelta(days=365 * 20),
                        max_value=start.replace(day=1) - timedelta(days=365 * 16),
                    ),
                )
            ),
            employer_id=draw(st.sampled_from(employers)),
        )
        for i in range(draw(st.integers(min_value=0, max_value=6)))
    ]
    pattern = RotationPattern(
        placements=draw(st.integers(min_value=1, max_value=5)),
        months=draw(st.integers(min_value=1, max_value=6)),
        first_with_employer=draw(st.booleans()),
        last_with_pvi=draw(st.booleans()),
    )
    return cohort, hosts, pattern, start


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(cohorts(), st.randoms(use_true_random=False))
def test_every_plan_respects_capacity_and_age_and_places_all_it_can(case, rng):
    cohort, hosts, pattern, start = case
    plan = propose(cohort, hosts, pattern, start)
    if hosts:
        assert_plan_is_sound(cohort, hosts, pattern, start, plan)
    else:
        assert plan.slots == ()
        assert [p.code for p in plan.problems] == ([ProblemCode.NO_HOSTS] if cohort else [])
    shuffled_cohort, shuffled_hosts = cohort[:], hosts[:]
    rng.shuffle(shuffled_cohort)
    rng.shuffle(shuffled_hosts)
    assert propose(shuffled_cohort, shuffled_hosts, pattern, start) == plan
