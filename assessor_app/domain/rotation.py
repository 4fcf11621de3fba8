"""Proposing a cohort's placement rotation.

The cohort moves together: a pattern of N placements of M months from the
cohort's start date, each period ending the day before the next starts. The
proposal weighs, highest first:

1. never over a host's capacity, never under a host's minimum age (hard rules);
2. as many apprentices placed in each period as possible;
3. the first placement with the apprentice's employer and the last with a
   private, voluntary or independent (PVI) host, where the pattern asks;
4. no apprentice back at a host they have already been to;
5. a mix of sectors for each apprentice, and apprentices spread across hosts.

Each period is first planned as an exact assignment (a minimum-cost flow); then
whole periods and whole apprentices' rotations are re-planned, each exactly with
the rest fixed, until no such change makes the plan better. That is not a
search of every possible plan (which grows too fast), but it avoids the usual
trap of using up the hosts an apprentice could go to later. Every requirement
that is not met is reported in plain English. The result depends only on the
input values, not their order.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum, StrEnum

from assessor_app.domain.dates import add_months, age_on, format_period
from assessor_app.domain.wording import join_and, plural


class Sector(StrEnum):
    HEALTH = "health"
    SOCIAL_CARE = "social_care"
    PVI = "pvi"  # private, voluntary or independent


@dataclass(frozen=True, slots=True)
class RotationHost:
    id: int
    name: str
    sector: Sector
    capacity: int  # apprentices it can take at once
    min_age: int | None = None
    settings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RotationApprentice:
    id: int
    name: str
    date_of_birth: date | None
    employer_id: int  # the organisation that employs them, normally one of the hosts


@dataclass(frozen=True, slots=True)
class RotationPattern:
    placements: int
    months: int
    first_with_employer: bool = True
    last_with_pvi: bool = True  # ignored for a single placement, which is the employer's


@dataclass(frozen=True, slots=True)
class ProposedSlot:
    apprentice_id: int
    apprentice_name: str
    host_id: int
    host_name: str
    setting_name: str
    period: int  # 1 for the first period
    start: date
    end: date  # the last day of the placement


class ProblemCode(StrEnum):
    """Stable codes for requirements a proposal could not meet."""

    NO_HOSTS = "NO_HOSTS"
    EMPLOYER_NOT_A_HOST = "EMPLOYER_NOT_A_HOST"
    NO_PVI_HOST = "NO_PVI_HOST"
    NO_HOST = "NO_HOST"
    NOT_WITH_EMPLOYER = "NOT_WITH_EMPLOYER"
    NOT_WITH_PVI = "NOT_WITH_PVI"
    HOST_REPEATED = "HOST_REPEATED"


@dataclass(frozen=True, slots=True)
class RotationProblem:
    code: ProblemCode
    message: str
    apprentice_ids: tuple[int, ...] = ()
    period: int | None = None  # 1 for the first period; None for the whole cohort


@dataclass(frozen=True, slots=True)
class RotationPlan:
    periods: tuple[tuple[date, date], ...]
    slots: tuple[ProposedSlot, ...]  # by apprentice (name, then id), then period
    problems: tuple[RotationProblem, ...]


_PVI_HOST = "private, voluntary or independent (PVI) host"


def periods(start: date, count: int, months: int) -> list[tuple[date, date]]:
    """`count` consecutive periods of `months` months from `start`, as (first, last) days.

    Each period starts the same number of months after `start` (clamped to the end
    of a shorter month) and ends the day before the next one starts, so the days
    of the month do not drift: 31 Jan, 28 Feb, 31 Mar for monthly periods.
    """
    if count < 1 or months < 1:
        raise ValueError(
            f"A rotation needs at least one placement of at least one month, not {count} "
            f"of {months}."
        )
    starts = [add_months(start, i * months) for i in range(count + 1)]
    return [(starts[i], starts[i + 1] - timedelta(days=1)) for i in range(count)]


def propose_rotation(
    apprentices: Sequence[RotationApprentice],
    hosts: Sequence[RotationHost],
    *,
    start: date,
    pattern: RotationPattern,
) -> RotationPlan:
    """Propose a host for every apprentice in every period of the pattern."""
    spans = periods(start, pattern.placements, pattern.months)
    _require_unique_ids(apprentices, hosts)
    people = sorted(apprentices, key=lambda a: a.id)
    places = sorted(hosts, key=lambda h: h.id)
    if not people:
        return RotationPlan(tuple(spans), (), ())
    if not places:
        no_hosts = RotationProblem(
            ProblemCode.NO_HOSTS,
            "No hosts are listed, so no placements can be proposed: add the hosts that take "
            "apprentices, with their capacities.",
            tuple(a.id for a in people),
        )
        return RotationPlan(tuple(spans), (), (no_hosts,))

    planner = _Planner(people, places, spans, pattern)
    planner.plan()
    return RotationPlan(tuple(spans), tuple(planner.slots()), tuple(planner.problems()))


def _require_unique_ids(
    apprentices: Sequence[RotationApprentice], hosts: Sequence[RotationHost]
) -> None:
    for kind, ids in (("apprentice", [a.id for a in apprentices]), ("host", [h.id for h in hosts])):
        repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
        if repeated:
            raise ValueError(f"Each {kind} must appear once; repeated ids: {repeated}.")


def _age_ok(person: RotationApprentice, host: RotationHost, on: date) -> bool:
    if host.min_age is None:
        return True
    dob = person.date_of_birth
    return dob is not None and age_on(dob, on) >= host.min_age


class _Planner:
    """Holds the plan while it is improved, a period or an apprentice at a time."""

    def __init__(
        self,
        people: list[RotationApprentice],
        places: list[RotationHost],
        spans: list[tuple[date, date]],
        pattern: RotationPattern,
    ) -> None:
        self.people = people
        self.places = places
        self.spans = spans
        self.pattern = pattern
        self.by_id = {h.id: h for h in places}
        self.pvi = [h for h in places if h.sector is Sector.PVI]
        # A single placement is the first one: the employer's, not a PVI host's.
        self.pvi_period = len(spans) - 1 if pattern.last_with_pvi and len(spans) > 1 else None
        self.chosen: dict[int, dict[int, int]] = {}  # period index -> apprentice id -> host id
        self.best = (0, 0)  # the score of `chosen`
        # Costs in tiers, each outweighing everything below it put together: spread
        # costs under n*n a period and sector mix under count*count an apprentice;
        # pairs of visits to one host number under count*count an apprentice.
        n, count = len(people), len(spans)
        self.repeat_unit = n * count * (n + count) + 1
        self.miss_unit = self.repeat_unit * (n * count * count + 1)

    def plan(self) -> None:
        """Plan every period, then re-plan while that makes the plan better.

        A move re-plans one period with the other periods fixed, or one apprentice
        with the other apprentices fixed; each is solved exactly, and one is kept
        only when it places more apprentices or costs less, so the loop ends. At the
        end no single period or apprentice can be improved on its own.
        """
        # The first and last periods have the strictest requirements, so they choose
        # first; the periods between then steer clear of the hosts those used.
        last = len(self.spans) - 1
        for index in dict.fromkeys([0, last, *range(1, last)]):
            self.chosen[index] = self.solve_period(index)
        self.best = self.score(self.chosen)
        improved = True
        while improved:
            improved = False
            for index in range(len(self.spans)):
                improved |= self.keep_if_better({**self.chosen, index: self.solve_period(index)})
            for person in self.people:
                rotation = self.solve_person(person)
                improved |= self.keep_if_better(self.with_rotation(person, rotation))

    def keep_if_better(self, plan: dict[int, dict[int, int]]) -> bool:
        score = self.score(plan)
        if score < self.best:
            self.chosen, self.best = plan, score
            return True
        return False

    def with_rotation(
        self, person: RotationApprentice, hosts: dict[int, int]
    ) -> dict[int, dict[int, int]]:
        """The plan with `person` at `hosts` (period index -> host id) and nowhere else."""
        plan = {}
        for index, chosen in self.chosen.items():
            others = {a: h for a, h in chosen.items() if a != person.id}
            if index in hosts:
                others[person.id] = hosts[index]
            plan[index] = others
        return plan

    def misses(self, index: int, person: RotationApprentice, host: RotationHost) -> list[str]:
        """The pattern's requirements that placing `person` at `host` in this period breaks."""
        missed = []
        if self.pattern.first_with_employer and index == 0 and host.id != person.employer_id:
            missed.append("employer")
        if self.pvi_period == index and host.sector is not Sector.PVI:
            missed.append("pvi")
        return missed

    def elsewhere(self, index: int, person_id: int) -> list[tuple[int, int]]:
        """(period index, host id) of the person's placements in the other periods."""
        return sorted(
            (k, chosen[person_id])
            for k, chosen in self.chosen.items()
            if k != index and person_id in chosen
        )

    def score(self, plan: dict[int, dict[int, int]]) -> tuple[int, int]:
        """(minus the places filled, cost): lower is better.

        The cost counts each requirement missed, each pair of visits by one
        apprentice to one host, each pair of one apprentice's placements in one
        sector, and each pair of apprentices at one host in one period.
        """
        people = {a.id: a for a in self.people}
        filled = cost = 0
        visits: Counter[tuple[int, int]] = Counter()
        sectors: Counter[tuple[int, Sector]] = Counter()
        for index, chosen in plan.items():
            filled += len(chosen)
            for person_id, host_id in chosen.items():
                host = self.by_id[host_id]
                cost += self.miss_unit * len(self.misses(index, people[person_id], host))
                visits[person_id, host_id] += 1
                sectors[person_id, host.sector] += 1
            cost += sum(_pairs(n) for n in Counter(chosen.values()).values())
        cost += self.repeat_unit * sum(_pairs(n) for n in visits.values())
        cost += sum(_pairs(n) for n in sectors.values())
        return -filled, cost

    def solve_period(self, index: int) -> dict[int, int]:
        """The best hosts for everyone in one period, the other periods as they are."""
        begin = self.spans[index][0]
        flow = _Flow()
        people = {a.id: flow.node() for a in self.people}
        hosts = {h.id: flow.node() for h in self.places}
        choices = []
        for person in self.people:
            flow.add(flow.source, people[person.id], 0)
            other = [self.by_id[h] for _, h in self.elsewhere(index, person.id)]
            for host in self.places:
                if host.capacity > 0 and _age_ok(person, host, begin):
                    cost = (
                        self.miss_unit * len(self.misses(index, person, host))
                        + self.repeat_unit * sum(1 for h in other if h.id == host.id)
                        + sum(1 for h in other if h.sector is host.sector)
                    )
                    edge = flow.add(people[person.id], hosts[host.id], cost)
                    choices.append((person.id, host.id, edge))
        for host in self.places:
            # The k-th apprentice at a host costs k - 1, which spreads them out.
            for k in range(min(host.capacity, len(self.people))):
                flow.add(hosts[host.id], flow.sink, k)
        flow.run()
        return {person_id: host_id for person_id, host_id, edge in choices if edge.used}

    def solve_person(self, person: RotationApprentice) -> dict[int, int]:
        """The best host in each period for one apprentice, the others as they are."""
        flow = _Flow()
        slots = [flow.node() for _ in self.spans]
        hosts = {h.id: flow.node() for h in self.places}
        sectors = {s: flow.node() for s in Sector}
        count = len(self.spans)
        choices = []
        for index, (begin, _) in enumerate(self.spans):
            flow.add(flow.source, slots[index], 0)
            load = Counter(h for a, h in self.chosen.get(index, {}).items() if a != person.id)
            for host in self.places:
                if load[host.id] < host.capacity and _age_ok(person, host, begin):
                    cost = self.miss_unit * len(self.misses(index, person, host)) + load[host.id]
                    edge = flow.add(slots[index], hosts[host.id], cost)
                    choices.append((index, host.id, edge))
        for host in self.places:
            # The k-th visit to a host costs (k - 1) repeats; likewise for sectors.
            for k in range(count):
                flow.add(hosts[host.id], sectors[host.sector], self.repeat_unit * k)
        for sector in Sector:
            for k in range(count):
                flow.add(sectors[sector], flow.sink, k)
        flow.run()
        return {index: host_id for index, host_id, edge in choices if edge.used}

    def slots(self) -> list[ProposedSlot]:
        people = {a.id: a for a in self.people}
        slots = []
        for index, chosen in self.chosen.items():
            start, end = self.spans[index]
            at_host: dict[int, list[RotationApprentice]] = {}
            for person_id, host_id in chosen.items():
                at_host.setdefault(host_id, []).append(people[person_id])
            for host_id, group in at_host.items():
                host = self.by_id[host_id]
                for i, person in enumerate(sorted(group, key=lambda a: (a.name, a.id))):
                    # Rotate settings between periods so a host's settings are shared out.
                    setting = (
                        host.settings[(index + i) % len(host.settings)] if host.settings else ""
                    )
                    slots.append(
                        ProposedSlot(
                            person.id,
                            person.name,
                            host.id,
                            host.name,
                            setting,
                            index + 1,
                            start,
                            end,
                        )
                    )
        order = {a.id: (a.name, a.id) for a in self.people}
        slots.sort(key=lambda s: (order[s.apprentice_id], s.period))
        return slots

    def problems(self) -> list[RotationProblem]:
        problems = self.cohort_problems()
        for index in range(len(self.spans)):
            chosen = self.chosen[index]
            used = Counter(chosen.values())
            for person in sorted(self.people, key=lambda a: (a.name, a.id)):
                problems.extend(self.problems_for(index, person, chosen.get(person.id), used))
        return problems

    def cohort_problems(self) -> list[RotationProblem]:
        problems: list[RotationProblem] = []
        first, last = self.spans[0], self.spans[-1]
        if self.pattern.first_with_employer:
            missing: dict[int, list[RotationApprentice]] = {}
            for a in self.people:
                if a.employer_id not in self.by_id:
                    missing.setdefault(a.employer_id, []).append(a)
            for employer_id, staff in sorted(missing.items()):
                names = join_and(sorted(a.name for a in staff))
                problems.append(
                    RotationProblem(
                        ProblemCode.EMPLOYER_NOT_A_HOST,
                        f"The employer of {names} (organisation {employer_id}) is not among "
                        f"the hosts, so the first placement, in period 1 "
                        f"({format_period(*first)}), cannot be with the employer: add the "
                        "employer to the hosts with its capacity.",
                        tuple(a.id for a in staff),
                        1,
                    )
                )
        if self.pvi_period is not None and not self.pvi:
            problems.append(
                RotationProblem(
                    ProblemCode.NO_PVI_HOST,
                    f"No {_PVI_HOST} is among the hosts, so the last placement, in period "
                    f"{len(self.spans)} ({format_period(*last)}), cannot be with one: add a "
                    "PVI host.",
                    tuple(a.id for a in self.people),
                    len(self.spans),
                )
            )
        return problems

    def problems_for(
        self,
        index: int,
        person: RotationApprentice,
        host_id: int | None,
        used: Counter[int],
    ) -> list[RotationProblem]:
        number = index + 1
        when = format_period(*self.spans[index])
        begin = self.spans[index][0]
        name = person.name
        ids = (person.id,)

        def has_room(h: RotationHost) -> bool:
            return used[h.id] < h.capacity

        if host_id is None:
            reason, why = _why_not(person, self.places, has_room, begin, "every host")
            action = {
                _Why.FULL: "Add a host, or raise a host's capacity.",
                _Why.AGE: f"Add a host that takes apprentices aged {_age(person, begin)}.",
                _Why.NO_BIRTH_DATE: f"Record {name}'s date of birth.",
            }[why]
            return [
                RotationProblem(
                    ProblemCode.NO_HOST,
                    f"No host can take {name} in period {number} ({when}): {reason}. {action}",
                    ids,
                    number,
                )
            ]

        host = self.by_id[host_id]
        problems = []
        missed = self.misses(index, person, host)
        employer = self.by_id.get(person.employer_id)
        if "employer" in missed and employer is not None:
            reason, why = _why_not(person, [employer], has_room, begin, "it")
            action = {
                _Why.FULL: f"Raise {employer.name}'s capacity if it can take more.",
                _Why.AGE: f"Check the minimum age recorded for {employer.name}.",
                _Why.NO_BIRTH_DATE: f"Record {name}'s date of birth.",
            }[why]
            problems.append(
                RotationProblem(
                    ProblemCode.NOT_WITH_EMPLOYER,
                    f"{name}'s first placement, in period {number} ({when}), cannot be with the "
                    f"employer, {employer.name}: {reason}. {name} is proposed for {host.name} "
                    f"instead. {action}",
                    ids,
                    number,
                )
            )
        if "pvi" in missed and self.pvi:
            reason, why = _why_not(person, self.pvi, has_room, begin, "every PVI host")
            action = {
                _Why.FULL: "Add a PVI host, or raise a PVI host's capacity.",
                _Why.AGE: f"Add a PVI host that takes apprentices aged {_age(person, begin)}.",
                _Why.NO_BIRTH_DATE: f"Record {name}'s date of birth.",
            }[why]
            problems.append(
                RotationProblem(
                    ProblemCode.NOT_WITH_PVI,
                    f"{name}'s last placement, in period {number} ({when}), cannot be with a "
                    f"{_PVI_HOST}: {reason}. {name} is proposed for {host.name} instead. {action}",
                    ids,
                    number,
                )
            )
        # A repeat is reported at the later visit.
        before = [k + 1 for k, h in self.elsewhere(index, person.id) if h == host.id and k < index]
        if before:
            other = "period" if len(before) == 1 else "periods"
            reason, action = self.why_repeat(index, person, host, has_room)
            problems.append(
                RotationProblem(
                    ProblemCode.HOST_REPEATED,
                    f"{name} is proposed for {host.name} in period {number} ({when}) as well "
                    f"as in {other} {join_and([str(p) for p in before])}: {reason}. {action}",
                    ids,
                    number,
                )
            )
        return problems

    def why_repeat(
        self,
        index: int,
        person: RotationApprentice,
        host: RotationHost,
        has_room: Callable[[RotationHost], bool],
    ) -> tuple[str, str]:
        """Why no new host was chosen, and what would help.

        No period can be improved on its own, so moving the apprentice to a new host
        with room would have to break its minimum age or a requirement the current
        host meets.
        """
        name = person.name
        begin = self.spans[index][0]
        been = {h for _, h in self.elsewhere(index, person.id)}
        unvisited = [h for h in self.places if h.id not in been]
        if not unvisited:
            return f"{name} has been to every host", "Add a host to avoid the repeat."
        generic = "Add a host, or raise a host's capacity, to avoid the repeat."
        new = [h for h in unvisited if has_room(h)]
        if not new:
            return f"every host new to {name} is full", generic
        held = set(self.misses(index, person, host))
        reasons: list[str] = []
        action = generic
        if any(not _age_ok(person, h, begin) for h in new):
            if person.date_of_birth is None:
                reasons.append(f"has a minimum age and {name}'s date of birth is not recorded")
                action = f"Record {name}'s date of birth."
            else:
                age = _age(person, begin)
                reasons.append(f"has a minimum age above {name}'s age of {age}")
                action = f"Add a host that takes apprentices aged {age} to avoid the repeat."
        broken = {m for h in new for m in self.misses(index, person, h)} - held
        if "employer" in broken:
            reasons.append(f"is not {name}'s employer")
        if "pvi" in broken:
            reasons.append("is not a PVI host")
        if len(reasons) > 1:
            action = generic
        return f"every host new to {name} with room {' or '.join(reasons)}", action


class _Why(Enum):
    FULL = "full"
    AGE = "age"
    NO_BIRTH_DATE = "no birth date"


def _age(person: RotationApprentice, on: date) -> int | None:
    return None if person.date_of_birth is None else age_on(person.date_of_birth, on)


def _why_not(
    person: RotationApprentice,
    candidates: Sequence[RotationHost],
    has_room: Callable[[RotationHost], bool],
    on: date,
    every: str,
) -> tuple[str, _Why]:
    """Why none of `candidates` took `person`: a clause, and which reason it is.

    No period can be improved on its own and as many apprentices as possible are
    placed, so each candidate with room must be closed to the apprentice by its
    minimum age. `every` is 'it' for a single host.
    """
    single = every == "it"
    open_hosts = [h for h in candidates if has_room(h)]
    if not open_hosts:
        if not single:
            return f"{every} is full", _Why.FULL
        if candidates[0].capacity <= 0:
            return "it has no places for apprentices", _Why.FULL
        return f"it is full ({plural(candidates[0].capacity, 'place')})", _Why.FULL
    who = f"{every} with room" if not single else "it"
    limits = sorted({h.min_age for h in open_hosts if h.min_age is not None})
    age = _age(person, on)
    if age is None or not limits:
        return (
            f"{who} has a minimum age and {person.name}'s date of birth is not recorded",
            _Why.NO_BIRTH_DATE,
        )
    floor = f"{limits[0]} or more" if len(limits) > 1 else str(limits[0])
    return f"{who} has a minimum age of {floor} and {person.name} will be {age}", _Why.AGE


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


@dataclass(slots=True)
class _Edge:
    to: int
    room: int
    cost: int
    back: int  # index of the reverse edge in the graph[to]

    @property
    def used(self) -> bool:
        return self.room == 0


class _Flow:
    """A minimum-cost maximum flow on unit edges, by successive cheapest paths.

    Every edge carries one unit; parallel edges with rising costs model
    capacities whose cost grows with use.
    """

    def __init__(self) -> None:
        self.graph: list[list[_Edge]] = [[], []]
        self.source, self.sink = 0, 1

    def node(self) -> int:
        self.graph.append([])
        return len(self.graph) - 1

    def add(self, u: int, v: int, cost: int) -> _Edge:
        edge = _Edge(v, 1, cost, len(self.graph[v]))
        self.graph[u].append(edge)
        self.graph[v].append(_Edge(u, 0, -cost, len(self.graph[u]) - 1))
        return edge

    def run(self) -> None:
        while self.augment():
            pass

    def augment(self) -> bool:
        """Push one unit along a cheapest path (queue-based Bellman-Ford); False if none.

        Residual edges can cost less than nothing, but always taking a cheapest
        path means there is never a negative cycle, so the search ends.
        """
        dist = {self.source: 0}
        came: dict[int, tuple[int, int]] = {}
        queue = deque([self.source])
        queued = {self.source}
        while queue:
            u = queue.popleft()
            queued.discard(u)
            for k, edge in enumerate(self.graph[u]):
                if edge.room <= 0:
                    continue
                through = dist[u] + edge.cost
                if edge.to not in dist or through < dist[edge.to]:
                    dist[edge.to] = through
                    came[edge.to] = (u, k)
                    if edge.to not in queued:
                        queued.add(edge.to)
                        queue.append(edge.to)
        if self.sink not in dist:
            return False
        v = self.sink
        while v != self.source:
            u, k = came[v]
            edge = self.graph[u][k]
            edge.room -= 1
            self.graph[v][edge.back].room += 1
            v = u
        return True
