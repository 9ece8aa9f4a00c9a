"""rangemap.reach: in-range answers from exact distances, areas, countries, comparisons."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rangemap.geodesy import WGS84, geodesic_distance_m
from rangemap.reach import (
    compare_sites,
    coverage_area,
    coverage_table,
    settle_in_range,
    targets_in_range,
)
from rangemap.rings import range_ring, range_rings
from rangemap.targets import load_targets


def _ring_rows(lat, lon, radius_km, min_km=np.nan, site="S"):
    return pd.DataFrame(
        [
            {
                "system_id": "",
                "system": "",
                "site_id": site,
                "site": site,
                "lat": lat,
                "lon": lon,
                "band": "custom",
                "radius_km": radius_km,
                "min_radius_km": min_km,
                "sources": "",
            }
        ]
    )


def _targets_at(lat, lon, dists_m, az):
    tlon, tlat, _ = WGS84.fwd(np.full(len(az), lon), np.full(len(az), lat), az, dists_m)
    import geopandas as gpd

    return gpd.GeoDataFrame(
        {
            "name": [f"t{i}" for i in range(len(az))],
            "country": "",
            "lat": tlat,
            "lon": tlon,
            "population": 1.0,
            "capital": False,
        },
        geometry=gpd.points_from_xy(tlon, tlat),
        crs="EPSG:4326",
    )


@given(
    lat=st.floats(-89.9, 89.9),
    lon=st.floats(-180, 180),
    radius_km=st.floats(10, 19_000),
    az=st.floats(0, 360),
)
def test_target_100m_inside_or_outside_is_judged_exactly(lat, lon, radius_km, az):
    r_m = radius_km * 1000.0
    tg = _targets_at(lat, lon, np.array([r_m - 100.0, r_m + 100.0]), np.array([az, az]))
    table = coverage_table(_ring_rows(lat, lon, radius_km), tg)
    assert table["in_range"].tolist() == [True, False]
    assert table["margin_km"].iloc[0] == pytest.approx(0.1, abs=1e-6)
    assert table["margin_km"].iloc[1] == pytest.approx(-0.1, abs=1e-6)


def test_minimum_range_excludes_close_targets():
    tg = _targets_at(
        54.7, 20.5, np.array([20_000.0, 60_000.0, 600_000.0]), np.array([10.0, 10.0, 10.0])
    )
    table = coverage_table(_ring_rows(54.7, 20.5, 500.0, min_km=50.0), tg)
    assert table["in_range"].tolist() == [False, True, False]


@given(seed=st.integers(0, 2**31))
def test_settle_in_range_agrees_with_brute_force(seed):
    rng = np.random.default_rng(seed)
    tl = np.degrees(np.arcsin(rng.uniform(-1, 1, 300)))
    tn = rng.uniform(-180, 180, 300)
    sl = np.degrees(np.arcsin(rng.uniform(-1, 1, 7)))
    sn = rng.uniform(-180, 180, 7)
    radii = np.concatenate([rng.uniform(100, 20_000, 20), [500.0, 5500.0]])
    settled = settle_in_range(tl, tn, sl, sn, radii)
    exact = (
        geodesic_distance_m(lat1=sl[None, :], lon1=sn[None, :], lat2=tl[:, None], lon2=tn[:, None])
        / 1000.0
    )
    assert np.array_equal(settled.inside, exact[:, :, None] <= radii[None, None, :])
    assert settled.n_exact < exact.size  # the bound settles most pairs


def test_settle_in_range_on_the_boundary_exactly():
    d_km = float(geodesic_distance_m(lat1=10.0, lon1=20.0, lat2=30.0, lon2=40.0)) / 1000.0
    s = settle_in_range([30.0], [40.0], [10.0], [20.0], [d_km, np.nextafter(d_km, 0)])
    assert s.inside[0, 0].tolist() == [True, False]


@given(r1=st.floats(100, 10_000), r2=st.floats(100, 10_000))
def test_in_range_set_grows_with_range(r1, r2):
    lo, hi = sorted((r1, r2))
    caps = load_targets("capitals")
    a = coverage_table(_ring_rows(50.0, 10.0, lo), caps)["in_range"].to_numpy()
    b = coverage_table(_ring_rows(50.0, 10.0, hi), caps)["in_range"].to_numpy()
    assert np.all(b[a])


# Golden cases, reasoned from GeographicLib distances on WGS84 (printed by
# `rangemap coverage ...`): Kaliningrad-Berlin 528.7 km, so Iskander-M's nominal 500 km
# falls short and its high published figure (700 km) reaches; Kaliningrad-London 1,421 km is
# out of any Iskander band but within 9M729's US-estimated 2,500 km and outside Russia's
# 480 km claim (the catalogue's low band).
@pytest.mark.parametrize(
    ("system", "band", "capital", "expected"),
    [
        ("iskander-m", "nominal", "Berlin", False),
        ("iskander-m", "high", "Berlin", True),
        ("iskander-m", "high", "London", False),
        ("9m729", "nominal", "London", True),
        ("9m729", "low", "London", False),
    ],
)
def test_golden_kaliningrad(system, band, capital, expected):
    rings = range_rings([system], ["kaliningrad"], band=band)
    caps = load_targets("capitals")
    table = coverage_table(rings, caps.loc[caps["name"] == capital])
    assert table["in_range"].tolist() == [expected]


#: Tonghua (Jilin), typed: the shipped site was dropped in issue 10 (its only source was a
#: blog post about an ICBM brigade); the geometry the goldens check is the same.
TONGHUA = "41.72,125.93"


def test_golden_guam_from_fujian_and_jilin():
    # Yong'an-Hagatna 3,176 km, Tonghua-Hagatna 3,621 km: with DF-26's low published figure
    # (3,000 km) Guam is out from both; with the nominal 4,000 km in from both; DF-21
    # (2,100 km) reaches it from neither.
    caps = load_targets("capitals")
    guam = caps.loc[caps["name"] == "Hagåtña"]
    for system, band, expected in (
        ("df-26", "low", False),
        ("df-26", "nominal", True),
        ("df-21", "nominal", False),
    ):
        rings = range_rings([system], ["fujian-yongan", TONGHUA], band=band)
        assert coverage_table(rings, guam)["in_range"].tolist() == [expected, expected]


def test_compare_is_symmetric_and_consistent():
    rings = range_rings(["df-26"], ["fujian-yongan", TONGHUA])
    table = compare_sites(rings)
    ab, ba = table.iloc[0], table.iloc[1]
    assert ab["cities_a_only"] == ba["cities_b_only"]
    assert ab["capitals_a_only"] == ba["capitals_b_only"]
    assert ab["area_a_only_km2"] == pytest.approx(ba["area_b_only_km2"])
    assert ab["overlap_km2"] == pytest.approx(ba["overlap_km2"])
    total_a = rings.loc[rings["site_id"] == "fujian-yongan", "area_km2"].iloc[0]
    assert ab["area_a_only_km2"] + ab["overlap_km2"] == pytest.approx(total_a, rel=1e-6)
    # Fujian reaches Jakarta (about 3,200 km) and Jilin does not (about 5,000 km).
    assert "Jakarta" in ab["capitals_a_only"]


def test_area_of_union_and_countries():
    one = range_ring(lat=54.71, lon=20.51, radius_km=500.0)
    result = coverage_area(one)
    assert result["area_km2"] == pytest.approx(one["area_km2"].iloc[0], rel=1e-9)
    countries = result["countries"]
    lithuania = countries.loc[countries["iso_a3"] == "LTU"].iloc[0]
    assert lithuania["share"] == pytest.approx(1.0, abs=1e-6)  # all within 500 km
    assert 0 < countries.loc[countries["iso_a3"] == "POL", "share"].iloc[0] < 1
    # Two overlapping rings: the union counts the overlap once.
    two = range_rings(["iskander-m"], ["kaliningrad", "belarus-asipovichy"])
    union = coverage_area(two)["area_km2"]
    assert union < two["area_km2"].sum()
    assert union > two["area_km2"].max()


def test_region_restricts_area_and_targets():
    rings = range_rings(["df-26"], ["guam"])
    world = coverage_area(rings)
    east = coverage_area(rings, region="east-asia")
    assert east["area_km2"] < world["area_km2"]
    assert east["share_of_region"] <= 1.0
    caps = load_targets("capitals")
    east_table = coverage_table(rings, caps, region="east-asia")
    world_table = coverage_table(rings, caps)
    assert "Tokyo" in set(east_table["target"]) and "Paris" not in set(east_table["target"])
    assert len(world_table) == len(caps) > len(east_table)


def test_regression_sites_sharing_an_id_are_told_apart_by_position():
    rows = pd.concat([_ring_rows(0.0, 0.0, 500.0, site="up"), _ring_rows(0.0, 90.0, 500.0,
                                                                         site="up")])  # fmt: skip
    tg = _targets_at(0.0, 90.0, np.array([100_000.0]), np.array([0.0]))
    table = coverage_table(rows, tg)
    assert table["in_range"].tolist() == [False, True]


def test_regression_dashboard_targets_in_range_tells_shared_ids_apart():
    from rangemap.reach import targets_in_range

    rows = pd.concat([_ring_rows(0.0, 0.0, 500.0, site="up"), _ring_rows(0.0, 90.0, 500.0,
                                                                         site="up")])  # fmt: skip
    tg = _targets_at(0.0, 90.0, np.array([100_000.0]), np.array([0.0]))
    assert targets_in_range(rows, tg)["in_range"].tolist() == [True]


def test_targets_in_range_agrees_with_coverage_table(capitals):
    from rangemap.reach import coverage_table

    rings = range_rings(["iskander-m", "df-26"], ["kaliningrad", "guam"], band="all")
    hit = targets_in_range(rings, capitals)
    table = coverage_table(rings, capitals)
    expected = set(table.loc[table["in_range"], "target"])
    assert set(hit.loc[hit["in_range"], "name"]) == expected and expected
    assert "DF-26" in hit.set_index("name").loc["Manila", "reached_by"]


def test_regression_15_compare_refuses_too_many_sites_before_any_work(monkeypatch):
    """Check fix for `compare` with 200 sites taking 134 s (issue 15): over max_sites the
    call is refused before any ring union is computed; each pair is computed once."""
    import rangemap.reach
    from rangemap.errors import SiteError
    from rangemap.reach import MAX_COMPARE_SITES

    unions = []
    real = rangemap.reach._union
    monkeypatch.setattr(rangemap.reach, "_union", lambda g: unions.append(1) or real(g))
    rows = pd.concat(
        [_ring_rows(0.0, i, 500.0, site=f"s{i}") for i in range(MAX_COMPARE_SITES + 1)]
    )
    with pytest.raises(
        SiteError,
        match=r"21 sites, over the limit of 20 .*max_sites= \(rangemap compare --max-sites N\)",
    ):
        compare_sites(rows)
    assert unions == []
    rings = range_rings(
        ["iskander-m"], ["kaliningrad", "belarus-asipovichy", "karelia-petrozavodsk"]
    )
    with pytest.raises(SiteError, match="3 sites, over the limit of 2"):
        compare_sites(rings, max_sites=2)
    assert unions == []
    table = compare_sites(rings).set_index(["site_a", "site_b"])
    assert len(unions) == 3 and len(table) == 6  # one union per site; every ordered pair
    for (a, b), row in table.iterrows():
        back = table.loc[(b, a)]
        assert row["area_a_only_km2"] == back["area_b_only_km2"]  # exactly: computed once
        assert row["overlap_km2"] == back["overlap_km2"]


# --- issue 13 item 6: population of settlements in range, exact --------------------------


def _brute_held(pop, rings):
    """Per point: in the band of any ring row, by pyproj.Geod.inv (every distance)."""
    from pyproj import Geod

    n, held = len(pop), np.zeros(len(pop), dtype=bool)
    cols = ["lat", "lon", "radius_km", "min_radius_km"]
    for lat, lon, rmax, rmin in rings[cols].itertuples(index=False):
        _, _, d_m = Geod(ellps="WGS84").inv(np.full(n, lon), np.full(n, lat), pop.lon, pop.lat)
        d = np.asarray(d_m) / 1000.0
        held |= (d <= rmax) & (d >= np.nan_to_num(rmin))
    return held


def _scattered(n, lat, lon, seed=13, label="scattered"):
    """n points with counts 1..n scattered over a lat/lon box."""
    from rangemap.population import Population

    rng = np.random.default_rng(seed)
    return Population(lat=rng.uniform(*lat, n), lon=rng.uniform(*lon, n),
                      count=np.arange(1.0, n + 1), label=label, source="test")  # fmt: skip


def _in_region(pop, region):
    from rangemap.regions import in_region

    frame = pd.DataFrame({"lat": pop.lat, "lon": pop.lon, "i": np.arange(len(pop))})
    keep = np.zeros(len(pop), dtype=bool)
    keep[in_region(frame, region)["i"].to_numpy()] = True
    return keep


@pytest.mark.parametrize("region", [None, "europe"])
def test_coverage_area_settlements_equal_brute_force(region):
    # Iskander-M's 50-500 km annulus and 9M729's figures at two sites, overlapping: each
    # point counts once, by its exact distance, and only inside the region.
    rings = range_rings(["iskander-m", "9m729"], ["kaliningrad", "belarus-asipovichy"],
                        band="all")  # fmt: skip
    pop = _scattered(4000, (30.0, 75.0), (-30.0, 70.0))
    held = _brute_held(pop, rings) & (_in_region(pop, region) if region else True)
    got = coverage_area(rings, region=region, population=pop)
    assert got["settlement_population"] == float(pop.count[held].sum())
    assert got["n_settlements"] == int(held.sum()) > 0
    assert got["settlement_label"] == "scattered"
    assert got["n_cities"] == coverage_area(rings, region=region)["n_cities"]  # unchanged


def test_coverage_area_settlements_across_the_antimeridian_with_a_minimum_range():
    from rangemap.rings import radius_rows, rings_for
    from rangemap.sites import resolve_sites

    rings = rings_for(radius_rows(resolve_sites(["10,179.8", "-5,-175"]), radius_km=900.0,
                                  min_radius_km=150.0))  # fmt: skip
    pop = _scattered(3000, (-20.0, 25.0), (170.0, 190.0))
    pop = type(pop)(lat=pop.lat, lon=(pop.lon + 180.0) % 360.0 - 180.0, count=pop.count,
                    label=pop.label, source="")  # fmt: skip
    held = _brute_held(pop, rings)
    got = coverage_area(rings, population=pop)
    assert (got["settlement_population"], got["n_settlements"]) == (
        float(pop.count[held].sum()), int(held.sum()))  # fmt: skip
    assert 0 < held.sum() < len(pop)


def test_coverage_area_shipped_settlements_near_kaliningrad_by_brute_force():
    from rangemap.population import SETTLEMENTS_LABEL, load_settlements

    rings = range_rings(["iskander-m"], ["kaliningrad"])  # 50-500 km
    pop = load_settlements()
    held = _brute_held(pop, rings)
    got = coverage_area(rings, population=pop)
    assert got["settlement_population"] == float(pop.count[held].sum()) > 1e7
    assert got["n_settlements"] == int(held.sum())
    assert got["settlement_label"] == SETTLEMENTS_LABEL
    assert "settlement_population" not in coverage_area(rings)  # none asked for: none made


def test_compare_sites_settlements_equal_brute_force_per_pair():
    sites = ["kaliningrad", "belarus-asipovichy", "karelia-petrozavodsk"]
    rings = range_rings(["iskander-m", "9m729"], sites, band="all")
    pop = _scattered(3000, (40.0, 70.0), (0.0, 50.0), label="demo label")
    table = compare_sites(rings, population=pop, region="europe")
    keep = _in_region(pop, "europe")
    held = {
        name: _brute_held(pop, rings.loc[rings["site"] == name]) & keep
        for name in rings["site"].unique()
    }
    assert len(table) == 6 and table.attrs["settlement_label"] == "demo label"
    for _, row in table.iterrows():
        a, b = held[row["site_a"]], held[row["site_b"]]
        assert row["settlement_population_a_only"] == float(pop.count[a & ~b].sum())
        assert row["settlement_population_b_only"] == float(pop.count[b & ~a].sum())
        assert row["settlement_population_shared"] == float(pop.count[a & b].sum())
    columns = list(table.columns)
    at = columns.index("population_b_only")
    assert columns[at + 1 : at + 4] == [
        "settlement_population_a_only", "settlement_population_b_only",
        "settlement_population_shared"]  # fmt: skip
    # A only + shared is everything A covers.
    one = rings.loc[rings["site_id"] == "kaliningrad"]
    first = table.loc[table["site_a"] == "Kaliningrad"].iloc[0]
    assert first["settlement_population_a_only"] + first["settlement_population_shared"] == (
        coverage_area(one, region="europe", population=pop)["settlement_population"])  # fmt: skip
    plain = compare_sites(rings)
    assert not any(c.startswith("settlement") for c in plain.columns)
    assert "settlement_label" not in plain.attrs


def test_compare_sites_settles_each_site_once_not_each_pair(monkeypatch):
    import rangemap.reach

    calls, real = [], rangemap.reach._reached_mask

    def counted(rings, points):
        calls.append(len(points))
        return real(rings, points)

    monkeypatch.setattr(rangemap.reach, "_reached_mask", counted)
    rings = range_rings(["iskander-m"], ["kaliningrad", "belarus-asipovichy",
                                         "karelia-petrozavodsk", "mozdok"])  # fmt: skip
    pop = _scattered(500, (40.0, 70.0), (0.0, 50.0))
    table = compare_sites(rings, population=pop)
    assert len(table) == 12  # 6 pairs, both ways
    assert calls.count(len(pop)) == 4  # the settlements: once per site, not per pair
