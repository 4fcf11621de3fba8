"""The Unique Learner Number: format, placeholder and check digit."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from assessor_app.domain.uln import UNKNOWN_ULN, UlnError, parse_uln, uln_check_digit

AGAIN = "copy it again from the Learner Record, or enter 9999999999 if it is not yet known."


def test_a_valid_uln_is_returned_as_ten_digits():
    assert parse_uln("9276308686") == "9276308686"


def test_spaces_and_pasted_white_space_are_ignored():
    assert parse_uln(" 927 630 8686 ") == "9276308686"
    assert parse_uln("9276\u00a0308686\t") == "9276308686"


def test_the_placeholder_means_not_yet_known():
    assert UNKNOWN_ULN == "9999999999"
    assert parse_uln("9999999999") is None
    assert parse_uln("99999 99999") is None


def test_the_placeholder_is_not_itself_a_valid_number():
    # Its check digit would be 8, so it can never be mistaken for a real ULN.
    assert uln_check_digit("999999999") == 8


def test_a_wrong_check_digit_is_refused_with_what_to_do():
    with pytest.raises(UlnError) as caught:
        parse_uln("9276308687")
    assert str(caught.value) == (
        "The ULN 9276308687 fails the check-digit test, so a digit is probably wrong: " + AGAIN
    )


def test_two_swapped_digits_fail_the_check():
    with pytest.raises(UlnError, match="fails the check-digit test"):
        parse_uln("2976308686")


def test_too_few_digits():
    with pytest.raises(UlnError) as caught:
        parse_uln("123")
    assert str(caught.value) == "The ULN '123' has 3 digits, but a ULN has exactly 10: " + AGAIN


def test_too_many_digits_and_one_digit():
    with pytest.raises(UlnError, match="has 11 digits"):
        parse_uln("92763086861")
    with pytest.raises(UlnError, match="has 1 digit, but"):
        parse_uln("9")


def test_letters_are_named():
    with pytest.raises(UlnError) as caught:
        parse_uln("92763O8686")
    assert str(caught.value) == (
        "The ULN '92763O8686' contains 'O', but a ULN is made of digits only: " + AGAIN
    )


def test_digits_of_other_scripts_are_not_digits():
    with pytest.raises(UlnError, match="contains '²'"):
        parse_uln("927630868²")


def test_a_long_paste_is_shortened_in_the_message():
    with pytest.raises(UlnError) as caught:
        parse_uln("1" * 40)
    assert "'11111111111111111111…' has 40 digits" in str(caught.value)


def test_a_leading_zero_is_refused():
    with pytest.raises(UlnError) as caught:
        parse_uln("0276308686")
    assert str(caught.value) == "The ULN 0276308686 starts with 0, which no ULN does: " + AGAIN


def test_nothing_entered():
    with pytest.raises(UlnError) as caught:
        parse_uln("   ")
    assert str(caught.value) == (
        "No ULN was entered: enter the learner's 10-digit Unique Learner Number, "
        "or 9999999999 if it is not yet known."
    )


def test_a_prefix_whose_remainder_is_zero_has_no_valid_check_digit():
    prefix = "100000006"  # 1*10 + 6*2 = 22, a multiple of 11
    assert uln_check_digit(prefix) is None
    for last in "0123456789":
        with pytest.raises(UlnError, match="fails the check-digit test"):
            parse_uln(prefix + last)


def independent_valid_digits(prefix: str) -> set[str]:
    """Written from the rule alone: the full weighted sum, check digit weight 1, is 10 mod 11."""
    weighted = sum(int(d) * (10 - i) for i, d in enumerate(prefix))
    return {c for c in "0123456789" if (weighted + int(c)) % 11 == 10}


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=100_000_000, max_value=999_999_999))
@example(927630868)
@example(999999999)
def test_each_prefix_has_at_most_one_check_digit_and_parse_accepts_exactly_it(number):
    prefix = str(number)
    valid = independent_valid_digits(prefix)
    assert len(valid) <= 1
    accepted = set()
    for last in "0123456789":
        text = prefix + last
        if text == UNKNOWN_ULN:
            assert parse_uln(text) is None
            continue
        try:
            assert parse_uln(text) == text
            accepted.add(last)
        except UlnError:
            pass
    assert accepted == valid
