"""Checks on values typed into forms and imports; each refusal names the field."""

from __future__ import annotations

import re
from decimal import Decimal

from assessor_app.services.errors import FieldError

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def text(value: str, field: str, label: str, *, max_length: int, required: bool = True) -> str:
    cleaned = " ".join(value.split()) if "\n" not in value else value.strip()
    if required and not cleaned:
        raise FieldError(field, f"{label} is required.")
    if len(cleaned) > max_length:
        raise FieldError(field, f"{label} is too long: at most {max_length} characters.")
    return cleaned


def email(value: str, field: str = "email", label: str = "Email") -> str:
    cleaned = value.strip()
    if cleaned and not _EMAIL.match(cleaned):
        raise FieldError(field, f"{label} '{cleaned}' is not an email address (name@example.org).")
    return cleaned


def whole_number(
    value: int | None, field: str, label: str, *, minimum: int, maximum: int
) -> int | None:
    if value is None:
        return None
    if not minimum <= value <= maximum:
        raise FieldError(field, f"{label} must be between {minimum} and {maximum}, not {value}.")
    return value


def hours(value: Decimal, field: str, label: str, *, maximum: Decimal) -> Decimal:
    if not value.is_finite() or value <= 0 or value > maximum:
        raise FieldError(field, f"{label} must be more than 0 and at most {maximum}, not {value}.")
    if value != value.quantize(Decimal("0.01")):
        raise FieldError(field, f"{label} can have at most two decimal places, not {value}.")
    return value


def choice(value: str, field: str, label: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise FieldError(field, f"{label} must be one of {', '.join(allowed)}, not '{value}'.")
    return value
