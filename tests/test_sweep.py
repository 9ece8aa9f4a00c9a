"""Tests for rangemap.sweep: screen every candidate, recount the best exactly.

The top sites' ``value_exact`` is checked against an independent recount (pyproj.Geod
over every point), and the top K against exact brute force on every candidate of sample
grids: the figures the docs state.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

from rangemap.errors import OptionError
from rangemap.grid import cell_centres, cells_within, nside_for_spacing_km
from rangemap.launch import area_geometry
from rangemap.polygons import geodesic_areas_m2, ring_polygons
from rangemap.population import Population, load_settlements
from rangemap.sweep import basing_sweep, exact_values, objective_points, sweep_many
from rangemap.targets import load_targets

GEOD = Geod(ellps="WGS84")


def _recount(pop: Population, lat: float, lon: float, r_km: float, r_min_km: float = 0.0) -> float:
    _, _, d = GEOD.inv(np.full(pop.lat.size, lon), np.full(pop.lat.size, lat), pop.lon, pop.lat)
    keep = (d / 1000.0 <= r_km) & (d / 1000.0 >= r_min_km)
    return float(pop.count[keep].sum())


def _agreement(top_values: np.ndarray, brute: np.ndarray, k: int) -> int:
    """Sites of the sweep's top K whose exact value reaches brute force's K-th (ties count)."""
    kth = np.sort(brute)[::-1][k - 1]
    return int((top_values >= kth).sum())


def _brute(objective: str, within: str, grid_km: float, radius_km: float, **kw) -> np.ndarray:
    nside = nside_for_spacing_km(grid_km)
    cells = cells_within(nside, area_geometry(within)[1])
    lat, lon = cell_centres(nside, cells)
    return exact_values(objective_points(objective, **kw), lat=lat, lon=lon, radius_km=radius_km)


def test_population_top_sites_are_exact_and_agree_with_brute_force() -> None:
    result = basing_sweep(radius_km=1000, objective="population", within="POL", grid_km=50,
                          top=10, scheduler="serial")  # fmt: skip
    top = result.top
    assert result.label == "population of settlements ≥ 1,000 (GeoNames)"
    assert top["rank"].tolist() == list(range(1, 11))
    assert (np.diff(top["value_exact"]) <= 0).all()
    pop = load_settlements()
    for _, row in top.head(3).iterrows():
        assert row["value_exact"] == _recount(pop, row["lat"], row["lon"], 1000.0)
    brute = _brute("population", "POL", 50, 1000.0)
    assert _agreement(top["value_exact"].to_numpy(), brute, 10) == 10
    np.testing.assert_array_equal(top["value_exact"], np.sort(brute)[::-1][:10])
    assert all(", " in near and "km)" in near for near in top["near"])


def test_capitals_with_ties_agree_with_brute_force() -> None:
    result = basing_sweep(radius_km=2000, objective="capitals", within="DEU,POL,FRA",
                          grid_km=50, top=10, scheduler="serial", near=False)  # fmt: skip
    brute = _brute("capitals", "DEU,POL,FRA", 50, 2000.0)
    np.testing.assert_array_equal(result.top["value_exact"], np.sort(brute)[::-1][:10])
    capitals = load_targets("capitals")
    row = result.top.iloc[0]
    _, _, d = GEOD.inv(np.full(len(capitals), row["lon"]), np.full(len(capitals), row["lat"]),
                       capitals["lon"].to_numpy(), capitals["lat"].to_numpy())  # fmt: skip
    assert row["value_exact"] == float((d <= 2_000_000.0).sum())


def test_area_is_the_exact_ring_on_land() -> None:
    result = basing_sweep(radius_km=800, objective="area", within="ESP", grid_km=100, top=3,
                          scheduler="serial", near=False)  # fmt: skip
    land = objective_points("area").land
    row = result.top.iloc[0]
    ring = ring_polygons(lat=[row["lat"]], lon=[row["lon"]], radius_m=800_000.0)[0]
    expected = geodesic_areas_m2([shapely.intersection(ring, land)])[0] / 1e6
    assert row["value_exact"] == pytest.approx(expected, rel=1e-12)
    assert 0 < row["value_exact"] < geodesic_areas_m2([ring])[0] / 1e6
    assert result.label.startswith("land area in range")


def test_minimum_range_and_custom_points() -> None:
    # Points 100, 500 and 900 km east of (0, 0): a site 300 km north of the middle one has
    # all three in the band 300-1,000 km; none holds them all with no minimum range hole.
    lons = [GEOD.fwd(0.0, 0.0, 90.0, d * 1000.0)[0] for d in (100, 500, 900)]
    pop = Population(lat=np.zeros(3), lon=np.array(lons), count=np.array([1.0, 10.0, 100.0]),
                     label="demo people", source="test")  # fmt: skip
    result = sweep_many(radii_km=[1000.0], min_radius_km=300.0, objective="population",
                        population=pop, within=None, grid_km=50,
                        top=5, scheduler="serial", near=False)  # fmt: skip
    assert result.label == "demo people"
    for _, row in result.top.iterrows():
        assert row["value_exact"] == _recount(pop, row["lat"], row["lon"], 1000.0, 300.0)
    assert result.top["value_exact"].max() == 111.0


def test_min_separation_keeps_sites_apart() -> None:
    result = basing_sweep(radius_km=1500, objective="population", within="DEU", grid_km=50,
                          top=4, min_separation_km=300, scheduler="serial", near=False)  # fmt: skip
    lat, lon = result.top["lat"].to_numpy(), result.top["lon"].to_numpy()
    for i in range(len(lat)):
        for j in range(i):
            assert GEOD.inv(lon[i], lat[i], lon[j], lat[j])[2] >= 300_000.0


def test_many_scenarios_and_a_system() -> None:
    result = sweep_many(systems=["iskander-m"], radii_km=[1200.0], objective="capitals",
                        within="BLR", grid_km=100, top=2, scheduler="threads",
                        near=False)  # fmt: skip
    assert sorted(result.top["scenario"].str.split(" ").str[0].unique()) == ["1,200", "Iskander-M"]
    iskander = result.top.loc[result.top["system_id"] == "iskander-m"]
    assert (iskander["radius_km"] == 500.0).all()
    assert result.meta["n_candidates"] == len(result.candidates) > 0


def test_targets_objective_counts_a_user_list() -> None:
    targets = load_targets("capitals").query("country in ['JPN', 'KOR', 'PHL']")
    result = basing_sweep(radius_km=2000, objective="targets", targets=targets, within="CHN",
                          grid_km=200, top=1, scheduler="serial", near=False)  # fmt: skip
    assert result.top["value_exact"].iloc[0] == 3.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"radius_km": 1000, "objective": "people"}, "objective must be one of"),
        ({"radius_km": 1000, "top": 0}, "top must be from 1"),
        ({"radius_km": 1000, "top": 5, "refine": 2}, "refine must be from top"),
        ({"radius_km": 0.5}, "radius_km must be from 1"),
        ({"radius_km": 1000, "grid_km": 1.0}, "grid spacing"),
        ({"radius_km": 1000, "objective": "targets"}, "needs a target list"),
        ({"radius_km": 1000, "min_radius_km": 2000}, "minimum range"),
        ({}, "exactly one of"),
    ],
)
def test_bad_options_are_clear(kwargs: dict, message: str) -> None:
    with pytest.raises(OptionError, match=message):
        basing_sweep(within="LUX", grid_km=kwargs.pop("grid_km", 100), scheduler="serial",
                     **kwargs)  # fmt: skip
