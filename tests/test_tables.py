"""The dashboard's display tables (rangemap.tables, issue 14: readable numbers, and a
Compare tab that says what it compares and agrees with ``rangemap compare``)."""

from __future__ import annotations

import io
import shlex

import numpy as np
import pandas as pd
import pytest

import rangemap as rm
from rangemap import tables
from rangemap.catalogue import catalogue_table, claims_table, find_systems, sources_table
from rangemap.cli import main
from rangemap.errors import RangemapError
from rangemap.flight import add_flight_times
from rangemap.flightgeo import load_timings
from rangemap.population import SETTLEMENTS_LABEL
from rangemap.regions import in_region
from rangemap.rings import MAX_VIEW_RINGS, rings_for
from rangemap.sites import combine_sites, parse_site_lines
from rangemap.sources import load_sources
from rangemap.threats import HYPOTHETICAL_SITE

SYSTEMS = ("9m729", "iskander-m")  # the dashboard's default systems
SITES = ["kaliningrad", "belarus-asipovichy"]  # and sites
ALL = ("low", "nominal", "high")  # and figures


def dashboard_rings(sites: pd.DataFrame, bands: tuple[str, ...] = ALL):
    """Rings as app.py's ``scene`` draws them: one join, then the chosen figures."""
    cat = rm.load_catalogue()
    rows = rm.join_sites(find_systems(cat, SYSTEMS), sites, max_rings=MAX_VIEW_RINGS,
                         band=bands[0] if len(bands) == 1 else "all")  # fmt: skip
    return rings_for(rows.loc[rows["band"].isin(bands)].reset_index(drop=True))


@pytest.fixture(scope="module")
def rings():
    return dashboard_rings(rm.resolve_sites(SITES))


@pytest.fixture(scope="module")
def coverage(rings):
    """The Map tab's capitals table in Europe, as app.py's ``coverage`` makes it."""
    caps = rm.load_targets("capitals")
    table = add_flight_times(
        rm.coverage_table(rings, caps), rings, load_timings(rm.load_catalogue())
    )
    return in_region(table, "europe")


# --- coverage: one row per (place, system), bands as columns --------------------------


def test_coverage_one_row_per_place_and_system(coverage):
    view = tables.coverage_view(coverage).frame
    n_places, n_systems = coverage["target"].nunique(), coverage["system"].nunique()
    assert (n_places, n_systems) == (61, 2)  # 8 rows per capital before: 2 sites x 4 rings
    assert len(coverage) == 8 * n_places
    assert len(view) == n_places * n_systems
    assert not view.duplicated(["Place", "Country", "System"]).any()
    assert [c for c in view.columns if c.startswith("Margin")] == [
        "Margin, low (km)", "Margin, nominal (km)", "Margin, high (km)"]  # fmt: skip
    assert not {"lat", "lon", "band", "range_km", "in_range"} & set(view.columns)


def test_coverage_margins_are_the_best_site_per_band(coverage):
    view = tables.coverage_view(coverage).frame.set_index(["Place", "System"])
    best = coverage.groupby(["target", "system", "band"])["margin_km"].max()
    for (place, system, band), margin in best.items():
        assert view.loc[(place, system), f"Margin, {band} (km)"] == np.round(margin, -1) + 0.0
    reached = coverage.groupby(["target", "system"])["in_range"].any()
    assert view["In range"].sort_index().tolist() == reached.sort_index().tolist()
    # Iskander-M's low figure equals its nominal one: no ring of its own, same margin shown.
    iskander = view.xs("Iskander-M (9M723, SS-26 Stone)", level="System")
    assert (iskander["Margin, low (km)"] == iskander["Margin, nominal (km)"]).all()
    # Warsaw: 278 km from Kaliningrad (in range of both), 528 km from Asipovichy.
    warsaw = view.loc[("Warsaw", "Iskander-M (9M723, SS-26 Stone)")]
    assert (warsaw["Nearest site"], warsaw["Distance (km)"], warsaw["Sites in range"]) == (
        "Kaliningrad", 280.0, 2)  # fmt: skip
    assert (warsaw["Flight time, shortest (min)"], warsaw["Flight time, longest (min)"]) == (
        4.0, 10.0)  # fmt: skip


def test_coverage_site_shown_reaches_the_place_before_a_nearer_one():
    """A place inside the minimum range of its nearest site is read from the site that
    reaches it: the distance and flight time must not come from a site that cannot fire."""
    t = pd.DataFrame({"target": ["P", "P"], "country": ["X", "X"], "lat": [0.0, 0.0],
                      "lon": [0.0, 0.0], "site": ["near", "far"], "system": ["S", "S"],
                      "band": ["nominal", "nominal"], "distance_km": [30.0, 400.0],
                      "in_range": [False, True], "margin_km": [-20.0, 100.0]})  # fmt: skip
    row = tables.coverage_view(t).frame.iloc[0]
    assert (row["Nearest site"], row["Distance (km)"], row["Sites in range"]) == ("far", 400.0, 1)


def test_coverage_in_range_only_keeps_whole_rows(coverage):
    view = tables.coverage_view(coverage, in_range_only=True).frame
    pairs = coverage.groupby(["target", "system"])["in_range"].any()
    assert len(view) == int(pairs.sum()) and view["In range"].all()
    assert view["Place"].nunique() == coverage.loc[coverage["in_range"], "target"].nunique()
    # The bands out of range keep their (negative) margins: rows are filtered after pooling.
    assert (view["Margin, low (km)"] < 0).any()


def test_coverage_rounding(coverage):
    view = tables.coverage_view(coverage).frame
    km = view[[c for c in view.columns if c.endswith("(km)")]].to_numpy(dtype=float)
    assert np.all(km % 10 == 0)  # region-level sites: 10 km steps
    assert not np.signbit(km[km == 0]).any()  # no "-0"
    minutes = view["Flight time, shortest (min)"].dropna().to_numpy()
    assert np.allclose(minutes, np.round(minutes, 1))
    assert coverage["distance_km"].iloc[0] % 1 != 0  # the raw table had the false digits


# --- compare: each pair once, and what it compares -----------------------------------


def test_compare_lists_each_pair_once():
    three = dashboard_rings(rm.resolve_sites([*SITES, "belarus-krichev"]))
    raw = rm.compare_sites(three, region="europe")
    assert len(raw) == 6  # before: every pair twice, A-B and B-A
    view = tables.compare_view(raw).frame
    pairs = [frozenset(p) for p in view[["Site A", "Site B"]].values]
    assert len(view) == 3 and len(set(pairs)) == 3
    # The dropped rows are the kept ones with the sides swapped: nothing is lost.
    for _, row in raw.iterrows():
        kept = view.loc[(view["Site A"] == row["site_b"]) & (view["Site B"] == row["site_a"])]
        if len(kept):
            assert kept["Area, A only (km²)"].iat[0] == np.round(row["area_b_only_km2"], -3)
            assert kept["Cities, B only"].iat[0] == row["cities_a_only"]
            assert kept["Capitals, A only"].iat[0] == (row["capitals_b_only"] or tables.BLANK)


def test_compare_view_refuses_a_table_that_is_not_ordered_pairs():
    with pytest.raises(RangemapError, match=r"3 rows is not n \(n - 1\)"):
        tables.compare_view(pd.DataFrame({"site_a": ["a", "b", "c"]}))
    assert tables.compare_view(pd.DataFrame(columns=["site_a", "site_b"])).frame.empty


def test_compare_caption_says_band_region_population_and_the_command(rings):
    shipped = rm.load_sites()
    text = tables.compare_caption(rings, bands=ALL, region="europe", shipped=shipped,
                                  settlement_label=SETTLEMENTS_LABEL)  # fmt: skip
    assert "Each pair of sites once" in text
    assert "the low, nominal and high figures of each chosen system, pooled" in text
    assert "within the Europe box (25°W–60°E, 34°N–72°N)" in text
    assert "population of settlements ≥ 1,000 (GeoNames), each settlement counted once" in text
    assert ("`rangemap compare --system 9m729 --system iskander-m --site kaliningrad "
            "--site belarus-asipovichy --band all --region europe`") in text  # fmt: skip
    assert "Without `--band all --region europe` it uses its defaults" in text
    assert "lists each pair twice" in text
    plain = tables.compare_caption(rings, bands=["nominal"], region="world", shipped=shipped)
    assert "the nominal figure of each chosen system" in plain and "over the whole world" in plain
    assert "Without" not in plain  # the command line's defaults: nothing else differs
    dated = tables.compare_caption(rings, bands="high", region="east-asia", shipped=shipped,
                                   as_of="2020", reported_sites=True)  # fmt: skip
    assert "--as-of 2020 --reported-sites --band high --region east-asia" in dated
    assert "--site" not in dated and "East Asia box (73°E–160°E, 11°S–56°N)" in dated
    with pytest.raises(RangemapError, match="band must be one of"):
        tables.compare_command(rings, bands=["medium"], region=None, shipped=shipped)


def cli_compare(command: str) -> pd.DataFrame:
    words = shlex.split(command)
    assert words[:2] == ["rangemap", "compare"]
    out = io.StringIO()
    assert main([*words[1:], "--format", "csv"], out=out) == 0
    return pd.read_csv(io.StringIO(out.getvalue()), keep_default_na=False)


def test_dashboard_compare_equals_rangemap_compare():
    """The Compare tab's figures are `rangemap compare`'s for the command its caption
    gives; the command line's defaults differ by exactly the band and the region."""
    shipped = rm.load_sites()
    typed, errors = parse_site_lines("Lviv: 49.84,24.03", shipped)  # a typed site too
    assert not errors
    sites = combine_sites([rm.resolve_sites(SITES, shipped), typed, None])
    pair, population = list(sites["id"]), rm.load_settlements()
    names = ["site_a", "site_b"]  # the typed site is named by its coordinates on the CLI

    def dashboard(bands: tuple[str, ...], region: str) -> tuple[pd.DataFrame, str]:
        drawn = dashboard_rings(sites, bands)
        drawn = drawn.loc[drawn["site_id"].isin(pair)]  # as app.py's Compare tab
        shown = rm.compare_sites(drawn, region=region, population=population)
        command = tables.compare_command(drawn, bands=bands, region=region, shipped=shipped)
        return shown.round(0), command

    def same(shown: pd.DataFrame, cli: pd.DataFrame) -> None:
        pd.testing.assert_frame_equal(shown.drop(columns=names), cli.drop(columns=names),
                                      check_dtype=False)  # fmt: skip

    shown, command = dashboard(ALL, "europe")  # the sidebar's defaults
    assert command.endswith("--site 49.84,24.03 --band all --region europe")
    cli = cli_compare(command)
    same(shown, cli)
    assert (shown["site_a"] == "Lviv").sum() == (cli["site_a"] == "49.84,24.03").sum() == 2
    # Nominal and high pool to what high reaches: the same command, the same figures.
    nominal_high, command_nh = dashboard(("nominal", "high"), "europe")
    assert command_nh == command
    same(nominal_high, cli)
    # The command line's defaults (nominal figure, whole world) give other figures ...
    default = cli_compare(command.replace(" --band all --region europe", ""))
    assert not default[["area_a_only_km2", "capitals_a_only"]].equals(
        cli[["area_a_only_km2", "capitals_a_only"]])  # fmt: skip
    # ... exactly the dashboard's with low and nominal (pooled: nominal) and the world.
    low_nominal, command_ln = dashboard(("low", "nominal"), "world")
    assert command_ln == command.replace(" --band all --region europe", "")
    same(low_nominal, default)


# --- blanks, names and settings -------------------------------------------------------


def views():
    cat, claims = rm.load_catalogue(), rm.load_claims()
    return {
        "catalogue": tables.catalogue_view(catalogue_table(cat, claims)),
        "claims": tables.claims_view(claims_table(claims, cat)),
        "sources": tables.sources_view(sources_table(cat, load_sources())),
    }


@pytest.mark.parametrize("name", ["catalogue", "claims", "sources"])
def test_text_blanks_are_a_dash_and_numbers_stay_numbers(name):
    view = views()[name]
    for column, spec in view.columns.items():
        values = view.frame[column]
        if spec.kind == "TextColumn":
            assert not values.isna().any(), column
            assert not values.map(lambda v: not str(v).strip()).any(), column
        elif spec.kind == "NumberColumn":
            assert pd.api.types.is_numeric_dtype(values), column  # sortable
    assert not any("_" in c for c in view.frame.columns)  # no machine names


def test_catalogue_and_claims_blanks_where_the_data_is_blank():
    cat, claims = rm.load_catalogue(), rm.load_claims()
    shown = views()
    raw = catalogue_table(cat, claims)
    assert (raw["quality"] == "").any() and (raw["status"] == "").any()
    frame = shown["catalogue"].frame
    assert (frame.loc[raw["quality"] == "", "Quality flag"] == tables.BLANK).all()
    assert (frame.loc[raw["status"] == "", "Status"] == tables.BLANK).all()
    assert frame.loc[raw["range_km"].isna(), "Range (km)"].isna().all()  # shown as BLANK
    # A claim citing several pages: the first is the link, the others are listed.
    listed = claims_table(claims, cat)["source"]
    several = listed.str.contains(" ")
    assert several.any()
    link = shown["claims"].frame["Source"]
    assert link.str.match(r"https?://\S+$").all()
    assert (shown["claims"].frame.loc[several, "More sources"] != tables.BLANK).all()


def test_threat_view_keeps_pairs_in_range_with_numbers():
    summary = pd.DataFrame({
        "system_country": ["CHN", "CHN", "RUS"], "target": ["Seoul", "Tokyo", "Seoul"],
        "system": ["DF-26", "DF-26", "X"], "basis": ["deployed", "deployed", HYPOTHETICAL_SITE],
        "in_range": [True, False, True], "bands_in_range": ["nominal/low/high", "", "high"],
        "sites_in_range": [3, 0, 1], "n_sites": [3, 3, 2], "nearest_site": ["Q", "Q", "V"],
        "min_distance_km": [761.3, 1907.2, 994.9],
        "launchers_low": pd.array([350, 350, None], dtype="Int64"),
        "launchers_high": pd.array([350, 350, None], dtype="Int64"),
        "launchers_as_of": ["2020-07", "2020-07", ""],
        "max_settlement_population_in_range": [1.52e9, 1.52e9, np.nan],
    })  # fmt: skip
    summary.attrs["settlement_label"] = "population from p.csv"
    view = tables.threat_view(summary)
    frame = view.frame
    assert frame["Place"].tolist() == ["Seoul", "Seoul"]
    assert frame["From"].tolist() == ["where deployed", "a site of its country (if based there)"]
    assert frame["Figures in range"].tolist() == ["nominal, low, high", "high"]
    assert frame["Nearest site (km)"].tolist() == [760.0, 990.0]
    assert frame["Launchers, low"].isna().tolist() == [False, True]
    assert frame["Launchers as of"].tolist() == ["2020-07", tables.BLANK]
    assert frame.columns[-1] == "Population from p.csv, most in range of one site"


def test_basing_view_names_the_value_by_its_label():
    top = pd.DataFrame({"rank": [1, 2], "near": ["Opole, POL (3 km)", None],
                        "lat": [50.21767, -0.5], "lon": [18.08411, 9.0],
                        "value_exact": [12.0, 3.0]})  # fmt: skip
    view = tables.basing_view(top, label="capitals in range")
    assert view.frame.columns.tolist() == ["Rank", "Nearest settlement", "Latitude (°)",
                                           "Longitude (°)", "Capitals in range"]  # fmt: skip
    assert view.frame["Nearest settlement"].tolist() == ["Opole, POL (3 km)", tables.BLANK]
    assert view.frame["Latitude (°)"].tolist() == [50.22, -0.5]


def test_every_setting_builds_a_streamlit_column_and_shows(coverage):
    """What app.py does with a Table: each setting is a real st.column_config call, and
    st.dataframe takes them with the blank as placeholder."""
    import streamlit as st  # the library does not import streamlit; its caller does
    from streamlit.testing.v1 import AppTest

    every = [*views().values(), tables.coverage_view(coverage)]
    for view in every:
        assert list(view.columns) == list(view.frame.columns)
        for spec in view.columns.values():
            getattr(st.column_config, spec.kind)(**spec.options)

    def page() -> None:
        import streamlit as st

        from rangemap import tables

        view = tables.basing_view(
            __import__("pandas").DataFrame({"rank": [1], "near": [""], "lat": [1.0],
                                            "lon": [2.0], "value_exact": [3.0]}),
            label="capitals in range",
        )  # fmt: skip
        config = {c: getattr(st.column_config, s.kind)(**s.options)
                  for c, s in view.columns.items()}  # fmt: skip
        st.dataframe(view.frame, hide_index=True, column_config=config,
                     placeholder=tables.BLANK)  # fmt: skip

    at = AppTest.from_function(page).run()
    assert not at.exception
    assert at.dataframe[0].value.columns.tolist()[-1] == "Capitals in range"
