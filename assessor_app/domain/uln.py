"""The Unique Learner Number (ULN): 10 digits, the last a check digit.

The Learning Records Service issues ULNs; 9999999999 is the sector's placeholder
for a learner whose ULN is not yet known.
"""

from __future__ import annotations

from assessor_app.domain.wording import plural

UNKNOWN_ULN = "9999999999"

_DIGITS = frozenset("0123456789")  # str.isdigit() would also accept '²' and other scripts' digits
_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_SHOWN = 20  # longest input quoted back in a message
_AGAIN = "copy it again from the Learner Record, or enter 9999999999 if it is not yet known."


class UlnError(ValueError):
    """A ULN that cannot be right; the message tells the user what to do."""


def uln_check_digit(first_nine: str) -> int | None:
    """The check digit for the first nine digits, or None when no check digit fits.

    Weights 10 down to 2, sum, remainder mod 11, check digit 10 - remainder; a
    remainder of 0 would need a check digit of 10, so no ULN starts that way.
    """
    remainder = sum(w * int(d) for w, d in zip(_WEIGHTS, first_nine, strict=True)) % 11
    return None if remainder == 0 else 10 - remainder


def parse_uln(text: str) -> str | None:
    """The ULN as 10 digits, or None when it is the 'not yet known' placeholder.

    Spaces (and other white space, such as a non-breaking space pasted from a
    document) are ignored. Raises UlnError when the number cannot be a ULN.
    """
    uln = "".join(text.split())
    if uln == UNKNOWN_ULN:
        return None
    if not uln:
        raise UlnError(
            "No ULN was entered: enter the learner's 10-digit Unique Learner Number, "
            "or 9999999999 if it is not yet known."
        )
    shown = uln if len(uln) <= _SHOWN else uln[:_SHOWN] + "…"
    stray = next((c for c in uln if c not in _DIGITS), None)
    if stray is not None:
        raise UlnError(
            f"The ULN '{shown}' contains '{stray}', but a ULN is made of digits only: {_AGAIN}"
        )
    if len(uln) != 10:
        raise UlnError(
            f"The ULN '{shown}' has {plural(len(uln), 'digit')}, but a ULN has exactly 10: {_AGAIN}"
        )
    if uln[0] == "0":
        raise UlnError(f"The ULN {uln} starts with 0, which no ULN does: {_AGAIN}")
    if uln_check_digit(uln[:9]) != int(uln[9]):
        raise UlnError(
            f"The ULN {uln} fails the check-digit test, so a digit is probably wrong: {_AGAIN}"
        )
    return uln
