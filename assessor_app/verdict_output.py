"""A credit-check verdict as JSON (for scripts) or as text (for people)."""

from __future__ import annotations

from typing import Any

from assessor_app.domain.catalogue import CreditRule, Qualification, RuleScope
from assessor_app.domain.credit_rules import CreditSummary, Severity, Verdict
from assessor_app.domain.wording import credits


def _unit_json(qual: Qualification, ref: str, names: dict[str, str]) -> dict[str, Any]:
    if not qual.has_unit(ref):
        return {"ref": ref, "title": names.get(ref, ""), "in_qualification": False}
    unit = qual.unit(ref)
    return {
        "ref": unit.ref,
        "title": unit.title,
        "group": unit.group,
        "credits": unit.credits,
        "value_status": unit.value_status.value,
        "mandatory": qual.is_mandatory(ref),
    }


def _credits_json(summary: CreditSummary) -> dict[str, Any]:
    return {"total": summary.total, "optional": summary.optional, "groups": dict(summary.groups)}


def _rule_json(rule: CreditRule) -> dict[str, Any]:
    return {
        "scope": rule.scope.value,
        "group": rule.group,
        "min": rule.min_credits,
        "max": rule.max_credits,
    }


def verdict_json(
    verdict: Verdict,
    qual: Qualification,
    *,
    names: dict[str, str] | None = None,
    lines: list[tuple[int, str, str]] | None = None,
) -> dict[str, Any]:
    names = names or {}
    return {
        "valid": verdict.valid,
        "qualification": {"code": qual.code, "title": qual.title},
        "credits": _credits_json(verdict.credits),
        "rules": [_rule_json(r) for r in qual.rules],
        "units": [_unit_json(qual, r, names) for r in verdict.selection],
        "findings": [
            {
                "code": str(f.code),
                "severity": f.severity.value,
                "message": f.message,
                "units": list(f.units),
                "group": f.group,
            }
            for f in verdict.findings
        ],
        "suggestions": [
            {
                "add": [_unit_json(qual, r, names) for r in s.add],
                "remove": [_unit_json(qual, r, names) for r in s.remove],
                "changes": s.size,
                "credits_after": _credits_json(s.credits_after),
                "message": s.message,
            }
            for s in verdict.suggestions
        ],
        "alternatives": verdict.alternatives,
        "completable": verdict.completable,
        "relies_on_indicative": verdict.relies_on_indicative,
        "lines": [{"line": n, "text": t, "ref": r} for n, t, r in (lines or [])],
    }


def _limit_text(rule: CreditRule) -> str:
    parts = []
    if rule.min_credits is not None:
        parts.append(f"at least {rule.min_credits}")
    if rule.max_credits is not None:
        parts.append(f"at most {rule.max_credits}")
    return " and ".join(parts)


def verdict_text(verdict: Verdict, qual: Qualification) -> str:
    state = "VALID" if verdict.valid else "NOT VALID"
    out = [f"{qual.title} ({qual.code}): {state}"]
    summary = verdict.credits
    figures = [f"{credits(summary.total)} in total", f"optional {summary.optional}"]
    for group in qual.groups:
        figures.append(f"group {group.code} {summary.groups[group.code]}")
    out.append("Credits: " + ", ".join(figures) + ".")
    limits = []
    for rule in qual.rules:
        label = {
            RuleScope.TOTAL: "total",
            RuleScope.OPTIONAL: "optional",
            RuleScope.GROUP: f"group {rule.group}",
        }[rule.scope]
        limits.append(f"{label} {_limit_text(rule)}")
    out.append("Rules: " + "; ".join(limits) + ".")
    if verdict.relies_on_indicative:
        out.append("This verdict relies on indicative credit values (see warnings).")
    for severity, heading in ((Severity.ERROR, "Errors"), (Severity.WARNING, "Warnings")):
        found = [f for f in verdict.findings if f.severity is severity]
        if found:
            out.append(f"{heading}:")
            out.extend(f"  - {f.message} [{f.code}]" for f in found)
    if verdict.suggestions:
        size = verdict.suggestions[0].size
        out.append(
            f"To make it valid (smallest change: {size} "
            f"{'change' if size == 1 else 'changes'}; "
            f"{verdict.alternatives} {'way' if verdict.alternatives == 1 else 'ways'} found):"
        )
        out.extend(f"  {i}. {s.message}" for i, s in enumerate(verdict.suggestions, start=1))
    return "\n".join(out)
