"""The record tabs' figures (Care Certificate, off-the-job pace, next review) are read
without the overview's checks, and must say exactly what the overview says."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import sign_in

from assessor_app.services.apprentice_queries import (
    apprentice_overview,
    list_apprentices,
    programme_standing,
)
from assessor_app.services.errors import NotFound


@pytest.mark.parametrize("today", [None, date(2027, 3, 1)])
def test_standing_agrees_with_the_overview_for_every_demo_apprentice(demo, today):
    tutor = sign_in(demo, "tutor")
    people = list_apprentices(demo, tutor)
    assert len(people) == 8  # completed, withdrawn, on a break, transferred, active
    for person in people:
        overview = apprentice_overview(demo, tutor, person.id, today=today)
        standing = programme_standing(demo, tutor, person.id, today=today)
        assert standing.start_date == overview.start_date
        assert standing.care_certificate == overview.care_certificate
        assert standing.off_the_job == overview.off_the_job
        assert standing.next_review_due == overview.next_review_due


def test_a_removed_apprentice_is_not_found(demo):
    with pytest.raises(NotFound):
        programme_standing(demo, sign_in(demo, "tutor"), 999_999)
