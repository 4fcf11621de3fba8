"""Catalogue files: read as data, and every fault named by file, row and field."""

from __future__ import annotations

import shutil

import pytest

from assessor_app.store.catalogue_files import (
    CatalogueError,
    default_catalogue_dir,
    load_catalogue,
)


@pytest.fixture
def catalogue_copy(tmp_path):
    folder = tmp_path / "catalogue"
    shutil.copytree(str(default_catalogue_dir()), folder)
    return folder


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_copy_loads_like_the_original(catalogue_copy):
    qual = load_catalogue(catalogue_copy)
    assert qual.code == "L2-CARE"
    assert len(qual.units) == 55


def test_a_bad_credit_value_names_the_row_and_field(catalogue_copy):
    edit(catalogue_copy / "units.csv", "A4,A,Duty of care,1,", "A4,A,Duty of care,one,")
    with pytest.raises(CatalogueError, match=r"units.csv row 5: 'credits' must be a whole number"):
        load_catalogue(catalogue_copy)


def test_an_unknown_value_status_lists_the_allowed_ones(catalogue_copy):
    edit(
        catalogue_copy / "units.csv",
        "knowledge,confirmed,A/616/3047",
        "knowledge,guessed,A/616/3047",
    )
    with pytest.raises(CatalogueError, match="must be one of confirmed, indicative, missing"):
        load_catalogue(catalogue_copy)


def test_a_rule_for_an_unknown_group_is_refused(catalogue_copy):
    edit(catalogue_copy / "rules.csv", "group,C,,8", "group,D,,8")
    with pytest.raises(CatalogueError, match="rule names unknown group D"):
        load_catalogue(catalogue_copy)


def test_a_barred_pair_of_unknown_units_is_refused(catalogue_copy):
    (catalogue_copy / "barred_pairs.csv").write_text(
        "unit_a,unit_b,reason\nB4,Z1,similar\n", encoding="utf-8"
    )
    with pytest.raises(CatalogueError, match="barred pair names unknown unit Z1"):
        load_catalogue(catalogue_copy)


def test_a_missing_column_is_named(catalogue_copy):
    (catalogue_copy / "groups.csv").write_text("code,name\nA,Mandatory\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"groups.csv: column\(s\) mandatory missing"):
        load_catalogue(catalogue_copy)


def test_limits_and_barred_pairs_come_from_the_files(catalogue_copy):
    edit(catalogue_copy / "rules.csv", "group,C,,8", "group,C,,10")
    (catalogue_copy / "barred_pairs.csv").write_text(
        "unit_a,unit_b,reason\nB4,B5,overlap\n", encoding="utf-8"
    )
    qual = load_catalogue(catalogue_copy)
    assert qual.rules[-1].max_credits == 10
    assert [(p.unit_a, p.unit_b, p.reason) for p in qual.barred_pairs] == [("B4", "B5", "overlap")]
