"""Repair suggestions: the smallest sets of additions and removals that make a
selection valid, or the reason no valid completion exists.

The search deepens one change at a time and enumerates change sets in a fixed
order (removals first, then additions, each largest credit first), pruning any
branch whose best case cannot meet every rule with the changes left. Units that
must go whatever else happens (no credit value, not in the qualification, barred
by an achieved unit) are removed up front and listed in every suggestion.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from assessor_app.domain.catalogue import Qualification, Unit, ValueStatus
from assessor_app.domain.credit_rules import (
    Repair,
    describe_changes,
    summarise_credits,
    unit_label,
)
from assessor_app.domain.wording import credits, plural

MAX_SUGGESTIONS = 5
SOLUTION_CAP = 200  # minimal repairs collected before ranking
NODE_BUDGET = 200_000  # bounds the work on pathological catalogues
_INF = 1 << 30

_Change = tuple[tuple[str, ...], tuple[str, ...]]  # (units added, units removed)


@dataclass(frozen=True, slots=True)
class RepairOutcome:
    repairs: tuple[Repair, ...]
    alternatives: int  # minimal repairs found (at most SOLUTION_CAP)
    impossible: str  # why no valid completion exists, or "" when one may
    searched_up_to: int  # the largest number of changes fully searched


def find_repairs(
    qual: Qualification,
    selected: set[str],
    locked: set[str],
    foreign: Sequence[str] = (),
) -> RepairOutcome:
    """Smallest change sets that turn `selected` into a valid selection.

    `locked` units (achieved and mandatory) are never removed. Mandatory units
    missing from `selected` are added in every repair.
    """
    forced_add = [r for r in qual.mandatory_refs if r not in selected]
    for ref in forced_add:
        if not qual.unit(ref).has_credit_value:
            return _impossible(
                f"Mandatory unit {unit_label(qual.unit(ref))} has no confirmed credit value: "
                "enter its value in the catalogue; until then no selection can be valid."
            )
    for ref in sorted(selected & locked, key=_order(qual)):
        if not qual.unit(ref).has_credit_value:
            return _impossible(
                f"{unit_label(qual.unit(ref))} must stay in the selection but has no confirmed "
                "credit value: enter its value in the catalogue; until then no selection can "
                "be valid."
            )
    keep_locked = (selected & locked) | set(forced_add)
    forced_remove = {r for r in selected - locked if not qual.unit(r).has_credit_value}
    for pair in qual.barred_pairs:
        a_locked, b_locked = pair.unit_a in keep_locked, pair.unit_b in keep_locked
        if a_locked and b_locked:
            return _impossible(
                f"{unit_label(qual.unit(pair.unit_a))} and {unit_label(qual.unit(pair.unit_b))} "
                "are a barred combination and both must stay (achieved or mandatory), so no "
                "valid selection exists."
            )
        if a_locked and pair.unit_b in selected:
            forced_remove.add(pair.unit_b)
        if b_locked and pair.unit_a in selected:
            forced_remove.add(pair.unit_a)

    base = (selected | set(forced_add)) - forced_remove
    search = _Search(qual, base, keep_locked)
    reason = search.impossible_reason()
    if reason:
        return _impossible(reason)

    found, depth, exhausted = search.run()
    if exhausted:
        keeping = selected & locked - set(qual.mandatory_refs)
        return _impossible(
            "No choice of the available units meets every rule at once"
            f"{' while keeping the achieved units' if keeping else ''}: check the "
            "qualification's credit limits and barred pairs, or enter the missing credit values."
        )
    order = _order(qual)
    fixed_remove = sorted(forced_remove, key=order)
    repairs = []
    for adds, removes in sorted(found, key=lambda s: _rank(qual, base, s, order)):
        add = sorted(set(forced_add) | set(adds), key=order)
        remove = [*fixed_remove, *sorted(removes, key=order), *foreign]
        final = (base | set(adds)) - set(removes)
        after = summarise_credits(qual, final)
        groups = ", ".join(f"{g} {after.groups[g]}" for g in after.groups)
        message = (
            f"{describe_changes(qual, add, remove)} That gives {credits(after.total)} in total "
            f"({groups})."
        )
        repairs.append(Repair(tuple(add), tuple(remove), after, message))
        if len(repairs) == MAX_SUGGESTIONS:
            break
    return RepairOutcome(tuple(repairs), len(found), "", depth)


def _impossible(reason: str) -> RepairOutcome:
    return RepairOutcome((), 0, reason, 0)


def _order(qual: Qualification) -> _UnitOrder:
    return _UnitOrder({u.ref: i for i, u in enumerate(qual.units)})


class _UnitOrder:
    def __init__(self, index: dict[str, int]) -> None:
        self._index = index

    def __call__(self, ref: str) -> int:
        return self._index.get(ref, len(self._index))


def _rank(
    qual: Qualification, base: set[str], change: _Change, order: _UnitOrder
) -> tuple[int, int, int, list[int]]:
    """Prefer confirmed values, fewer removals, then the least extra work."""
    adds, removes = change
    indicative = sum(1 for r in adds if qual.unit(r).value_status is ValueStatus.INDICATIVE)
    total = sum(qual.unit(r).countable_credits for r in (base | set(adds)) - set(removes))
    return indicative, len(removes), total, sorted(order(r) for r in (*adds, *removes))


class _Search:
    """Iterative deepening over change sets with a credit-based lower bound."""

    def __init__(self, qual: Qualification, base: set[str], locked: set[str]) -> None:
        self.qual = qual
        self.groups = [g.code for g in qual.groups]
        gindex = {g: i for i, g in enumerate(self.groups)}
        self.rules = [
            (
                [gindex[g] for g in qual.groups_in_scope(rule)],
                rule.min_credits,
                rule.max_credits,
                rule,
            )
            for rule in qual.rules
        ]
        self.base = base
        self.locked = locked
        order = _order(qual)

        def by_credit(u: Unit) -> tuple[int, int]:
            return -u.countable_credits, order(u.ref)

        removable = sorted((qual.unit(r) for r in base - locked), key=by_credit)
        barred_with_locked = {
            p.other(r) for r in locked for p in qual.barred_pairs if p.involves(r)
        }
        addable = sorted(
            (
                u
                for u in qual.optional_units
                if u.ref not in base and u.has_credit_value and u.ref not in barred_with_locked
            ),
            key=by_credit,
        )
        self.n_remove = len(removable)
        self.moves: list[Unit] = [*removable, *addable]
        self.move_group = [gindex[u.group] for u in self.moves]
        self.move_credit = [u.countable_credits for u in self.moves]
        self.partners: list[list[str]] = [
            [p.other(u.ref) for p in qual.barred_pairs if p.involves(u.ref)] for u in self.moves
        ]
        self.index_of = {u.ref: i for i, u in enumerate(self.moves)}
        # Per rule: the moves in scope as (positions, cumulative credits), so the
        # best gain from the moves after any point is two lookups.
        self.add_scope: list[tuple[list[int], list[int]]] = []
        self.rem_scope: list[tuple[list[int], list[int]]] = []
        for scope, _lo, _hi, _rule in self.rules:
            members = set(scope)
            self.add_scope.append(self._cumulative(range(self.n_remove, len(self.moves)), members))
            self.rem_scope.append(self._cumulative(range(self.n_remove), members))
        self.violated_pairs = [
            (self.index_of[p.unit_a], self.index_of[p.unit_b])
            for p in qual.barred_pairs
            if p.unit_a in base and p.unit_b in base
        ]
        self.sums = [0] * len(self.groups)
        for ref in base:
            unit = qual.unit(ref)
            self.sums[gindex[unit.group]] += unit.countable_credits
        self.present = set(base)
        self.taken: list[int] = []
        self.nodes = 0

    def _cumulative(self, positions: range, groups: set[int]) -> tuple[list[int], list[int]]:
        idx = [i for i in positions if self.move_group[i] in groups]
        cum = [0]
        for i in idx:
            cum.append(cum[-1] + self.move_credit[i])
        return idx, cum

    def impossible_reason(self) -> str:
        """Explain a rule that no choice of the available units can meet."""
        qual = self.qual
        fixed_by_group = dict.fromkeys(self.groups, 0)
        for ref in self.locked:
            fixed_by_group[qual.unit(ref).group] += qual.unit(ref).countable_credits
        avail_by_group = dict.fromkeys(self.groups, 0)
        for unit in self.moves:
            avail_by_group[unit.group] += unit.countable_credits
        caps = {rule.group: hi for _s, _lo, hi, rule in self.rules if rule.group and hi is not None}
        for gi_scope, lo, hi, rule in self.rules:
            scope = {self.groups[i] for i in gi_scope}
            fixed = sum(fixed_by_group[g] for g in scope)
            if hi is not None and fixed > hi:
                return (
                    f"{rule.label} already has {credits(fixed)} from achieved and mandatory "
                    f"units; at most {hi} may count, and those units cannot be removed, so no "
                    "valid selection exists."
                )
            if lo is None:
                continue
            reachable = sum(
                min(fixed_by_group[g] + avail_by_group[g], caps.get(g, _INF)) for g in scope
            )
            if reachable < lo:
                unvalued = [u for u in qual.units if u.group in scope and not u.has_credit_value]
                hint = (
                    f" {plural(len(unvalued), 'unit')} in scope "
                    f"{'has' if len(unvalued) == 1 else 'have'} no confirmed credit value: "
                    "entering those values may make a valid selection possible."
                    if unvalued
                    else ""
                )
                capped = [g for g in sorted(scope) if g in caps and rule.group != g]
                limit = (
                    " (" + "; ".join(f"group {g} counts at most {caps[g]}" for g in capped) + ")"
                    if capped
                    else ""
                )
                return (
                    f"{rule.label} can reach at most {credits(reachable)} with every available "
                    f"unit{limit}; at least {lo} are needed, so no valid selection exists.{hint}"
                )
        return ""

    def run(self) -> tuple[list[_Change], int, bool]:
        """(smallest repairs, changes searched without success, whether every
        possible change set was ruled out)."""
        found: list[_Change] = []
        start = min(self._lower_bound(0), len(self.moves) + 1)
        searched = start - 1
        for k in range(start, len(self.moves) + 1):
            self._dfs(0, k, found)
            if found or self.nodes > NODE_BUDGET:
                return found, max(searched, 0), False
            searched = k
        return found, max(searched, 0), not found

    def _dfs(self, start: int, remaining: int, found: list[_Change]) -> None:
        self.nodes += 1
        if remaining == 0:
            if self._satisfied():
                adds = tuple(self.moves[i].ref for i in self.taken if i >= self.n_remove)
                removes = tuple(self.moves[i].ref for i in self.taken if i < self.n_remove)
                found.append((adds, removes))
            return
        if self.nodes > NODE_BUDGET or len(found) >= SOLUTION_CAP:
            return
        if self._lower_bound(start) > remaining:
            return
        for i in range(start, len(self.moves) - remaining + 1):
            ref = self.moves[i].ref
            g, c = self.move_group[i], self.move_credit[i]
            if i < self.n_remove:
                self.present.discard(ref)
                self.sums[g] -= c
            else:
                if any(p in self.present for p in self.partners[i]):
                    continue
                self.present.add(ref)
                self.sums[g] += c
            self.taken.append(i)
            self._dfs(i + 1, remaining - 1, found)
            self.taken.pop()
            if i < self.n_remove:
                self.present.add(ref)
                self.sums[g] += c
            else:
                self.present.discard(ref)
                self.sums[g] -= c
            if len(found) >= SOLUTION_CAP or self.nodes > NODE_BUDGET:
                return

    def _satisfied(self) -> bool:
        for scope, lo, hi, _rule in self.rules:
            have = sum(self.sums[i] for i in scope)
            if (lo is not None and have < lo) or (hi is not None and have > hi):
                return False
        return all(
            self.moves[a].ref not in self.present or self.moves[b].ref not in self.present
            for a, b in self.violated_pairs
        )

    def _lower_bound(self, start: int) -> int:
        adds_needed = 0
        removes_needed = 0
        for r, (scope, lo, hi, _rule) in enumerate(self.rules):
            have = sum(self.sums[i] for i in scope)
            if lo is not None and have < lo:
                adds_needed = max(adds_needed, _moves_to_cover(self.add_scope[r], start, lo - have))
            elif hi is not None and have > hi:
                removes_needed = max(
                    removes_needed, _moves_to_cover(self.rem_scope[r], start, have - hi)
                )
        pairs_needed = 0
        used: set[int] = set()
        for a, b in self.violated_pairs:
            ref_a, ref_b = self.moves[a].ref, self.moves[b].ref
            if ref_a not in self.present or ref_b not in self.present:
                continue
            if a < start and b < start:
                return _INF
            if a not in used and b not in used:
                used.update((a, b))
                pairs_needed += 1
        return adds_needed + max(removes_needed, pairs_needed)


def _moves_to_cover(scope: tuple[list[int], list[int]], start: int, gap: int) -> int:
    """Fewest of the in-scope moves at or after `start` whose credits reach `gap`."""
    idx, cum = scope
    p = bisect_left(idx, start)
    base = cum[p]
    target = base + gap
    q = bisect_left(cum, target, lo=p)
    return q - p if q < len(cum) else _INF
