"""rangemap.claims: typed, dated claims and the documented rule that picks the rings drawn."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SOURCE_TEXT
from hypothesis import given
from hypothesis import strategies as st

from rangemap.catalogue import load_catalogue
from rangemap.claims import (
    CLAIM_COLUMNS,
    CLAIM_KINDS,
    RANGE_KINDS,
    RULE_TEXT,
    derive_figures,
    load_claims,
)
from rangemap.errors import CatalogueError
from rangemap.sources import load_sources

SOURCES = load_sources(SOURCE_TEXT.encode())  # s1 think-tank, s2 news
CLAIMS = load_claims()
CATALOGUE = load_catalogue().set_index("id")
HEADER = ",".join(CLAIM_COLUMNS)


def _claims(*rows: str) -> pd.DataFrame:
    text = "\n".join([HEADER, *rows]) + "\n"
    return load_claims(text.encode(), sources=SOURCES, name="claims.csv")


def _nominal(*rows: str) -> float:
    return float(derive_figures(_claims(*rows)).loc["x", "range_km"])


def test_a_strong_estimate_beats_a_newer_weak_one():
    assert (
        _nominal(
            "x,max-range-estimate,2000,Think tank,s1,2019,",
            "x,max-range-estimate,3000,A newspaper,s2,2024,",
        )
        == 2000
    )


def test_an_independent_estimate_beats_the_state_s_own_declaration():
    """The 9M729 case: a party's figure about its own missile is drawn only when nobody
    else gives one, even when the estimate has only press sources (and is flagged)."""
    rows = (
        "x,official-declaration,480,Russian MoD via a think tank,s1,2019-01-23,",
        "x,max-range-estimate,2500,US estimate via a newspaper,s2,2018-11-27,",
    )
    figures = derive_figures(_claims(*rows)).loc["x"]
    assert figures["range_km"] == 2500 and figures["quality"] == "single-source"
    assert (figures["range_low_km"], figures["range_high_km"]) == (480, 2500)
    assert _nominal(rows[0]) == 480  # with no estimate, the declaration is drawn


def test_flown_distances_and_lower_bounds_are_shown_never_drawn():
    rows = (
        "x,max-range-estimate,1000,Think tank,s1,2015,",
        "x,distance-flown,1500,Test flight,s1,2021,",
        "x,lower-bound,5000,Analyst,s1,2022,more than 5000 km",
    )
    figures = derive_figures(_claims(*rows)).loc["x"]
    assert (figures["range_km"], figures["range_low_km"], figures["range_high_km"]) == (1000,) * 3
    only_flown = derive_figures(_claims(rows[1])).loc["x"]
    assert pd.isna(only_flown["range_km"]) and only_flown["quality"] == "unsourced"


def test_a_maker_claim_is_flagged_even_when_a_wire_reports_it():
    figures = derive_figures(_claims("x,maker-claim,3000,Maker via a think tank,s1,2020,"))
    assert figures.loc["x", "quality"] == "claimed-by-maker"


def test_claims_of_one_date_draw_the_larger_figure_whatever_their_order():
    a, b = "x,max-range-estimate,5000,DoD,s1,2025,", "x,max-range-estimate,8000,DoD,s1,2025,"
    assert _nominal(a, b) == _nominal(b, a) == 8000


@given(st.lists(st.tuples(st.sampled_from(CLAIM_KINDS), st.integers(100, 20000),
                          st.sampled_from(["s1", "s2"]), st.integers(1980, 2026)),
                min_size=1, max_size=8))  # fmt: skip
def test_property_the_drawn_rings_are_published_figures_in_order(claims):
    rows = [f"x,{k},{km},C,{s},{y}," for k, km, s, y in claims]
    figures = derive_figures(_claims(*rows)).loc["x"]
    ranged = [km for k, km, _, _ in claims if k in RANGE_KINDS]
    if not ranged:
        assert pd.isna(figures["range_km"])
        return
    assert figures["range_km"] in ranged  # never an average, never invented
    assert figures["range_low_km"] == min(ranged) and figures["range_high_km"] == max(ranged)


@pytest.mark.parametrize(
    ("row", "match"),
    [
        ("x,max-range-estimate,2000,C,s1,,", r"line 2, column 'date': must be a date"),
        ("x,estimate,2000,C,s1,2019,", r"line 2, column 'kind': must be one of max-range-est"),
        ("x,max-range-estimate,2000,C,s9,2019,", r"column 'sources': unknown source id 's9'"),
        ("x,max-range-estimate,2000,C,,2019,", r"column 'sources': needs at least one source"),
        ("x,max-range-estimate,2000,C,https://e.org/a,2019,", r"must hold source ids"),
        ("x,max-range-estimate,2000,,s1,2019,", r"column 'claimant': is required"),
        ("x,max-range-estimate,2000,C,s1,2019-13,", r"column 'date'.*'2019-13'"),
    ],
)
def test_bad_claims_are_refused_naming_line_column_and_value(row, match):
    with pytest.raises(CatalogueError, match=match):
        _claims(row)


def test_every_shipped_claim_is_typed_dated_and_sourced():
    assert set(CLAIMS["kind"]) <= set(CLAIM_KINDS)
    assert (CLAIMS["date"] != "").all() and (CLAIMS["urls"] != "").all()


def test_the_rule_matters_for_the_9m729():
    """Russia's 480 km (its own declaration) stays on record, but the drawn ring is the
    independent estimate, flagged while no official or think-tank page carries it."""
    mine = CLAIMS.loc[CLAIMS["system_id"] == "9m729"]
    russia = mine.loc[mine["claim_range_km"] == 480]
    assert len(russia) and set(russia["kind"]) == {"official-declaration"}
    row = CATALOGUE.loc["9m729"]
    assert row["range_km"] >= 2000 and row["range_low_km"] < 500
    assert "max-range-estimate" in row["nominal_basis"]
    assert row["inf_class"] == "disputed"


@pytest.mark.parametrize("system_id", ["9m728", "otr-23", "rs-26", "hwasong-16b", "pukguksong-2"])
def test_the_disputes_the_audit_found_missing_are_on_record(system_id):
    mine = CLAIMS.loc[CLAIMS["system_id"] == system_id]
    assert mine["claimant"].nunique() >= 2 and mine["claim_range_km"].nunique() >= 2


def test_burevestnik_flown_distance_is_a_distance_not_a_range():
    flown = CLAIMS.loc[(CLAIMS["system_id"] == "9m730") & (CLAIMS["kind"] == "distance-flown")]
    assert (flown["claim_range_km"] >= 10_000).any()


def test_the_rule_is_written_where_readers_look():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    assert RULE_TEXT in (root / "data" / "README.md").read_text(encoding="utf-8").replace("\n", " ")
