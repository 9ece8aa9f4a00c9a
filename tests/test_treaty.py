"""rangemap.treaty: the INF Treaty's span, its eliminations table and the derived INF class."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rangemap.catalogue import load_catalogue
from rangemap.errors import CatalogueError
from rangemap.treaty import INF_MAX_KM, INF_MIN_KM, InfClass, inf_class_of, load_eliminated

ELIMINATED = load_eliminated()
CATALOGUE = load_catalogue().set_index("id")


def test_the_treaty_records_846_us_and_1846_soviet_missiles():
    totals = ELIMINATED.groupby("party")["missiles_eliminated"].sum().to_dict()
    assert totals == {"USA": 846, "SUN": 1846}


@pytest.mark.parametrize("system_id", ["pershing-2", "bgm-109g", "pershing-1a", "rsd-10", "r-12",
                                       "r-14", "rk-55", "otr-22", "otr-23"])  # fmt: skip
def test_every_type_the_treaty_eliminated_is_catalogued_retired_and_inf_class_in(system_id):
    assert system_id in set(ELIMINATED["system_id"])
    row = CATALOGUE.loc[system_id]
    assert row["inf_class"] == "in" and row["status"] == "retired"
    assert row["retired"] <= 1991  # the treaty's deadline: 1 June 1991


def test_current_inf_range_systems_the_audit_found_missing_are_catalogued():
    for sid in ("hwasal-1", "hwasal-2", "paveh", "shaheen-1", "shaurya", "flamingo", "df-4"):
        assert sid in CATALOGUE.index, sid


@given(
    st.lists(st.floats(100, 20_000), min_size=1, max_size=5),
    st.sampled_from(["road-mobile", "silo", "ground", "ship", "air", "submarine;road-mobile"]),
)
def test_property_inf_class_follows_the_figures_and_the_basing(figures, basing):  # fmt: skip
    got = inf_class_of(basing, figures)
    if basing in ("ship", "air"):
        assert got is InfClass.OUT
        return
    inside = [INF_MIN_KM <= f <= INF_MAX_KM for f in figures]
    below, above = any(f < INF_MIN_KM for f in figures), any(f > INF_MAX_KM for f in figures)
    if all(inside):
        assert got is InfClass.IN
    elif sum([any(inside), below, above]) > 1:
        assert got is InfClass.DISPUTED
    else:
        assert got is InfClass.OUT
    assert inf_class_of(basing, figures, eliminated=True) is InfClass.IN


def test_the_span_is_inclusive_at_both_ends():
    assert inf_class_of("road-mobile", [500.0, 5500.0]) is InfClass.IN
    assert inf_class_of("road-mobile", [499.0]) is InfClass.OUT
    assert inf_class_of("road-mobile", [5500.5, 4000]) is InfClass.DISPUTED


def test_bad_eliminations_rows_are_refused():
    head = b"system_id,party,missiles_eliminated,launchers_eliminated,sources,note\n"
    sid = load_eliminated()["sources"].iloc[0].split()[0].encode()
    with pytest.raises(CatalogueError, match=r"line 2, column 'party': must be one of USA, SUN"):
        load_eliminated(head + b"x,FRA,1,," + sid + b",\n")
    with pytest.raises(CatalogueError, match=r"column 'missiles_eliminated'.*'1.5'"):
        load_eliminated(head + b"x,USA,1.5,," + sid + b",\n")
