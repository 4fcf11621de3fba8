"""Date arithmetic and wording shared by the schedule, rotation and deadline rules."""

from __future__ import annotations

import calendar
from datetime import date

# Fixed English abbreviations: strftime("%b") follows the machine's locale and
# "%-d" (no leading zero) does not exist on Windows.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(day: date) -> str:
    """'3 Mar 2025': no leading zero, the same on every platform and locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_period(start: date, end: date) -> str:
    """'1 Sep 2025 – 30 Nov 2025'."""
    return f"{format_date(start)} – {format_date(end)}"


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month.

    31 Jan + 1 month is 28 Feb (29 Feb in a leap year).
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on `day`.

    Someone born on 29 February becomes a year older on 1 March in a year with no
    29 February, as in English law (Family Law Reform Act 1969, s. 9).
    """
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def turns_age_on(date_of_birth: date, age: int) -> date:
    """The first day on which someone born on `date_of_birth` is `age` years old."""
    year = date_of_birth.year + age
    if date_of_birth.month == 2 and date_of_birth.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return date_of_birth.replace(year=year)
