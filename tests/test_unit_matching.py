"""Typing a unit as a tutor would: titles without care for case or punctuation."""

from __future__ import annotations

import pytest

from assessor_app.domain.unit_matching import (
    SelectionLine,
    UnitIndex,
    parse_selection_text,
    title_key,
)


def test_titles_compare_without_case_spacing_or_punctuation():
    assert title_key("Health, safety and well-being in care settings") == title_key(
        "health safety and wellbeing in care settings"
    )
    assert title_key("Understand Parkinson's for Care staff") == title_key(
        "understand parkinsons for care staff"
    )
    assert title_key("Support & care") == title_key("support and care")


def test_selection_text_skips_blanks_and_comments_and_keeps_line_numbers():
    text = "\ufeffB1\r\n\r\n# a note\r\n   Awareness of Dementia  \r\n  # indented note\r\nC12"
    assert parse_selection_text(text) == [
        SelectionLine(1, "B1"),
        SelectionLine(4, "Awareness of Dementia"),
        SelectionLine(6, "C12"),
    ]


@pytest.mark.parametrize(
    ("typed", "ref"),
    [("b4", "B4"), ("AWARENESS OF DEMENTIA", "B4"), ("Duty of Care", "A4"), ("c 13", "C13")],
)
def test_refs_and_titles_find_the_unit(diploma, typed, ref):
    match = UnitIndex(diploma.units).match(SelectionLine(1, typed))
    assert match.unit is not None and match.unit.ref == ref
    assert match.in_qualification


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("Awarness of dementia", "B4"),
        ("Stroke", "B17"),
        ("Stroke care", "B17"),
        ("Infection control", "B8"),
        ("Helth and safty", "A8"),
        ("pressure sores", "C12"),
    ],
)
def test_unknown_titles_point_to_the_closest_units(diploma, typed, first):
    match = UnitIndex(diploma.units).match(SelectionLine(1, typed))
    assert match.unit is None
    assert match.closest[0].ref == first


def test_nonsense_gets_no_suggestions(diploma):
    assert UnitIndex(diploma.units).match(SelectionLine(1, "xyz")).closest == ()
