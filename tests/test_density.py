"""Tests for rangemap.density: pairs and launchers per equal-area cell, by exact distance."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from rangemap.density import DENSITY_COLUMNS, threat_density
from rangemap.errors import OptionError, TargetError
from rangemap.grid import cell_area_km2, cell_centres
from rangemap.gridfiles import write_grid
from rangemap.threats import threat_rings

GEOD = Geod(ellps="WGS84")


def _brute_pairs(rings: pd.DataFrame, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    count = np.zeros(lat.size, dtype=int)
    for _, row in rings.iterrows():
        _, _, d = GEOD.inv(np.full(lat.size, row["lon"]), np.full(lat.size, row["lat"]), lon, lat)
        lo = 0.0 if pd.isna(row["min_radius_km"]) else row["min_radius_km"]
        count += ((d / 1000.0 <= row["radius_km"]) & (d / 1000.0 >= lo)).astype(int)
    return count


def test_pairs_equal_brute_force_distances() -> None:
    rings = threat_rings("2026-06-30", every_site=True)
    assert len(rings) > 20 and (rings["min_radius_km"].fillna(0) > 0).any()
    grid = threat_density(nside=16, as_of="2026-06-30", every_site=True, scheduler="serial",
                          polygons=False)  # fmt: skip
    lat, lon = cell_centres(16)
    assert (grid["cell"].to_numpy() == np.arange(lat.size)).all()
    np.testing.assert_array_equal(grid["pairs"].to_numpy(), _brute_pairs(rings, lat, lon))


def _rings(rows: list[tuple[str, float, float, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["system_id", "lat", "lon", "radius_km", "min_radius_km"])


def test_launchers_low_needs_every_site_high_any_site() -> None:
    # System "a" at two sites 30 degrees apart, 2,000 km each; "b" (no count) between.
    rings = _rings([("a", 0.0, 0.0, 2000.0, 0.0), ("a", 0.0, 30.0, 2000.0, 0.0),
                    ("b", 0.0, 15.0, 1500.0, 0.0)])  # fmt: skip
    catalogue = pd.DataFrame({"id": ["a", "b"], "country": ["AAA", "BBB"]})
    inventory = pd.DataFrame({
        "system_id": ["a"], "country": ["AAA"], "launchers_low": pd.array([10], "Int64"),
        "launchers_high": pd.array([30], "Int64"), "missiles_low": pd.array([None], "Int64"),
        "missiles_high": pd.array([None], "Int64"), "as_of": ["2020"], "sources": [""],
        "note": [""],
    })  # fmt: skip
    grid = threat_density(nside=32, rings=rings, catalogue=catalogue, inventory=inventory,
                          as_of="2026", scheduler="serial", polygons=False)  # fmt: skip
    grid = grid.set_index("cell")
    lat, lon = cell_centres(32)
    near_a0 = int(np.argmin((lat - 0.0) ** 2 + (lon - 1.0) ** 2))
    row = grid.loc[near_a0]
    assert (row["pairs"], row["systems"]) == (1, 1)
    # Only one of "a"'s two sites reaches: its launchers may be in range, not surely.
    assert (row["launchers_low"], row["launchers_high"], row["uncounted_systems"]) == (0, 30, 0)
    # Where both of "a"'s sites (and "b") reach: a's low count is surely in range.
    both = grid["pairs"] == 3
    assert both.any()
    assert (grid.loc[both, "launchers_low"] == 10).all()
    assert (grid.loc[both, "launchers_high"] == 30).all()
    assert (grid.loc[both, "uncounted_systems"] == 1).all()
    assert (grid["launchers_high"] >= grid["launchers_low"]).all()


def test_minimum_range_leaves_a_hole() -> None:
    rings = _rings([("a", 10.0, 10.0, 3000.0, 1000.0)])
    catalogue = pd.DataFrame({"id": ["a"], "country": ["AAA"]})
    grid = threat_density(nside=64, rings=rings, catalogue=catalogue, scheduler="serial",
                          polygons=False)  # fmt: skip
    _, _, d = GEOD.inv(np.full(len(grid), 10.0), np.full(len(grid), 10.0),
                       grid["lon"].to_numpy(), grid["lat"].to_numpy())  # fmt: skip
    inside = grid["pairs"].to_numpy() == 1
    assert inside.any() and (d[inside] / 1000 >= 1000).all() and (d[inside] / 1000 <= 3000).all()
    assert not ((d / 1000 > 1000.5) & (d / 1000 < 2999.5) & ~inside).any()


def test_region_keeps_cells_with_centres_inside_and_columns() -> None:
    grid = threat_density(nside=32, region="europe", as_of="2026-06-30", scheduler="serial")
    assert list(grid.columns[: len(DENSITY_COLUMNS)]) == list(DENSITY_COLUMNS)
    assert grid["lon"].between(-25, 60).all() and grid["lat"].between(34, 72).all()
    assert (grid["area_km2"] == cell_area_km2(32)).all()
    assert grid.crs.to_epsg() == 4326 and grid.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert grid.attrs["as_of"] == "2026-06-30" and grid.attrs["nside"] == 32
    assert "geodesic" in grid.attrs["method"]
    # Kaliningrad's Iskander-M reaches the Baltic region in 2026.
    baltic = grid.loc[(grid["lat"].between(53, 57)) & (grid["lon"].between(19, 23))]
    assert (baltic["pairs"] > 0).any()


def test_bad_options_are_clear() -> None:
    with pytest.raises(OptionError, match="power of two"):
        threat_density(nside=100, scheduler="serial")
    with pytest.raises(TargetError):
        threat_density(nside=8, region="Atlantis", scheduler="serial")
    with pytest.raises(OptionError):
        threat_density(nside=8, band="widest", scheduler="serial")


@pytest.mark.parametrize("suffix", [".gpkg", ".parquet", ".geojson"])
def test_grid_files_round_trip(tmp_path, suffix: str) -> None:
    grid = threat_density(nside=4, as_of="2026-06-30", scheduler="serial")
    out = write_grid(grid, tmp_path / f"d{suffix}")
    back = gpd.read_parquet(out) if suffix == ".parquet" else gpd.read_file(out)
    assert len(back) == len(grid) == 192
    assert back["pairs"].astype(int).tolist() == grid["pairs"].astype(int).tolist()
    assert back.geometry.is_valid.all()
