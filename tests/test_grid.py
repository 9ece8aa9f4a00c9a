"""Tests for rangemap.grid: the HEALPix grid on WGS84's authalic sphere."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import example, given
from hypothesis import strategies as st

from rangemap import grid
from rangemap.errors import OptionError
from rangemap.polygons import geodesic_areas_m2

LAT = st.floats(-90.0, 90.0, allow_nan=False)
LON = st.floats(-180.0, 180.0, allow_nan=False, exclude_max=True)


def test_authalic_radius_gives_the_ellipsoid_s_area() -> None:
    whole_m2 = geodesic_areas_m2([shapely.box(-180.0, -90.0, 180.0, 90.0)])[0]
    assert pytest.approx(6_371_007.18, abs=0.01) == grid.AUTHALIC_RADIUS_M
    assert grid.cell_area_km2(1) * 12 * 1e6 == pytest.approx(whole_m2, rel=1e-12)


@given(LAT)
def test_authalic_latitude_round_trips(lat: float) -> None:
    beta = grid.authalic_latitude_deg(lat)
    assert abs(float(beta)) <= 90.0
    assert float(grid.geodetic_latitude_deg(beta)) == pytest.approx(lat, abs=1e-9)


def test_authalic_latitude_matches_the_cap_area() -> None:
    # The ellipsoid's cap north of phi has the area of the authalic sphere's cap north of
    # beta: what makes HEALPix cells equal in area on WGS84.
    lat = np.array([-60.0, 10.0, 35.0, 60.0, 85.0])
    beta = np.radians(grid.authalic_latitude_deg(lat))
    caps_m2 = geodesic_areas_m2([shapely.box(-180.0, x, 180.0, 90.0) for x in lat])
    half_m2 = 2.0 * np.pi * grid.AUTHALIC_RADIUS_M**2
    assert caps_m2 == pytest.approx(half_m2 * (1.0 - np.sin(beta)), rel=1e-9)


@pytest.mark.parametrize("nside", [1, 2, 4, 16])
def test_cells_tile_the_globe_with_valid_polygons(nside: int) -> None:
    cells = np.arange(12 * nside * nside)
    polys = grid.cell_polygons(nside, cells, step=8)
    assert shapely.is_valid(polys).all()
    areas_km2 = geodesic_areas_m2(polys) / 1e6
    total = 4.0 * np.pi * grid.AUTHALIC_RADIUS_M**2 / 1e6
    assert areas_km2.sum() == pytest.approx(total, rel=1e-9)
    # Drawn with straight lon/lat edges between samples: within 5 % of the true area.
    assert np.abs(areas_km2 / grid.cell_area_km2(nside) - 1.0).max() < 0.05
    # Polygons do not overlap: their union has the same area.
    assert geodesic_areas_m2([shapely.union_all(polys)])[0] / 1e6 == pytest.approx(total, rel=1e-6)


def test_cells_at_the_antimeridian_and_poles() -> None:
    polys = grid.cell_polygons(4, np.arange(192))
    bounds = shapely.bounds(polys)
    assert bounds[:, 0].min() >= -180.0 and bounds[:, 2].max() <= 180.0
    assert (bounds[:, 3] == 90.0).sum() == 4 and (bounds[:, 1] == -90.0).sum() == 4
    assert any(p.geom_type == "MultiPolygon" for p in polys)


@given(LAT, LON)
@example(lat=0.0, lon=179.99999999999997)  # a cell whose corner is on the antimeridian (CI)
def test_a_point_lies_in_the_polygon_of_its_cell(lat: float, lon: float) -> None:
    nside = 8
    cell = int(grid.cell_of(nside, lat=lat, lon=lon))
    poly = grid.cell_polygons(nside, [cell], step=32)[0]
    # The drawn edges are sampled: allow a few hundredths of a degree at the edges. A point
    # on the antimeridian may be drawn at -180 or +180: the same place, so try both.
    near = poly.buffer(0.05)
    assert any(near.covers(shapely.Point(lon + turn, lat)) for turn in (-360.0, 0.0, 360.0))


def test_centres_are_in_their_own_cells() -> None:
    nside = 64
    lat, lon = grid.cell_centres(nside)
    assert (grid.cell_of(nside, lat=lat, lon=lon) == np.arange(lat.size)).all()
    assert lon.min() >= -180.0 and lon.max() < 180.0


def test_cells_within_uses_centres_and_edges() -> None:
    box = shapely.box(-10.0, -10.0, 10.0, 10.0)
    inside = grid.cells_within(16, box)
    lat, lon = grid.cell_centres(16, inside)
    assert (np.abs(lat) <= 10).all() and (np.abs(lon) <= 10).all()
    lat_all, lon_all = grid.cell_centres(16)
    expected = (np.abs(lat_all) <= 10) & (np.abs(lon_all) <= 10)
    assert inside.size == int(expected.sum())


@pytest.mark.parametrize("bad", [0, 3, 2048, -8, True, 2.0])
def test_bad_nside_is_refused(bad: object) -> None:
    with pytest.raises(OptionError, match="power of two"):
        grid.cell_centres(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [0.0, -5.0, float("nan"), float("inf"), 1.0])
def test_bad_spacing_is_refused(bad: float) -> None:
    with pytest.raises(OptionError, match="grid spacing"):
        grid.nside_for_spacing_km(bad)


@given(st.floats(4.6, 20_000.0))
def test_spacing_picks_the_nearest_grid(spacing_km: float) -> None:
    nside = grid.nside_for_spacing_km(spacing_km)
    width = grid.cell_spacing_km(nside)
    if nside not in (1, grid.MAX_NSIDE):
        assert 1 / np.sqrt(2) <= width / spacing_km <= np.sqrt(2)
