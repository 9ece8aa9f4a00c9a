"""rangemap.geodesy: distances against Karney's test set; ring boundaries; restrictions."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from conftest import CliRun

from rangemap.errors import GeodesyError
from rangemap.geodesy import (
    MAX_DISTANCE_M,
    WGS84,
    check_point,
    geodesic_distance_m,
    ring_boundaries,
    ring_boundary,
)
from rangemap.sites import load_sites

KARNEY = Path(__file__).parent / "data" / "geodtest_500.csv"


def _karney_rows():
    with KARNEY.open() as fh:
        return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(fh)]


def test_distance_matches_karney_test_set():
    rows = _karney_rows()
    lat1 = np.array([r["lat1"] for r in rows])
    lon1 = np.array([r["lon1"] for r in rows])
    lat2 = np.array([r["lat2"] for r in rows])
    lon2 = np.array([r["lon2"] for r in rows])
    s12 = np.array([r["s12_m"] for r in rows])
    got = geodesic_distance_m(lat1=lat1, lon1=lon1, lat2=lat2, lon2=lon2)
    assert np.max(np.abs(got - s12)) < 1e-6


def test_direct_problem_matches_karney_test_set():
    # The ring's vertices come from Geod.fwd: check it lands where Karney says.
    rows = _karney_rows()
    lon2, lat2, _ = WGS84.fwd(
        [r["lon1"] for r in rows],
        [r["lat1"] for r in rows],
        [r["azi1"] for r in rows],
        [r["s12_m"] for r in rows],
    )
    exp_lat = np.array([r["lat2"] for r in rows])
    exp_lon = np.array([r["lon2"] for r in rows])
    dlon = (np.asarray(lon2) - exp_lon + 180.0) % 360.0 - 180.0
    # Near the poles longitude is ill-conditioned: compare positions by distance instead.
    err = geodesic_distance_m(
        lat1=exp_lat, lon1=exp_lon, lat2=np.asarray(lat2), lon2=exp_lon + dlon
    )
    assert np.max(err) < 1e-6


def test_distance_broadcasts_scalar_and_array(scalar_and_array):
    d = geodesic_distance_m(lat1=scalar_and_array(0.0), lon1=0.0, lat2=0.0, lon2=1.0)
    assert np.allclose(d, 111319.49079327357, atol=1e-6)
    assert np.shape(d) == np.shape(scalar_and_array(0.0))


def test_max_distance_is_half_meridian():
    assert pytest.approx(20_003_931.4586, abs=1e-3) == MAX_DISTANCE_M
    # No pair is farther apart than antipodes along a meridian.
    rng = np.random.default_rng(3)
    lat = rng.uniform(-90, 90, 2000)
    lon = rng.uniform(-180, 180, 2000)
    d = geodesic_distance_m(lat1=lat, lon1=lon, lat2=-lat, lon2=lon + 180.0)
    assert np.all(d <= MAX_DISTANCE_M + 1e-6)


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        (91.0, 0.0, "latitude"),
        (float("nan"), 0.0, "latitude"),
        (0.0, float("inf"), "longitude"),
        (0.0, 541.0, "longitude"),
        ("x", 0.0, "numbers"),
    ],
)
def test_check_point_rejects_bad_values(lat, lon, message):
    with pytest.raises(GeodesyError, match=message):
        check_point(lat=lat, lon=lon)


def test_check_point_normalises_longitude():
    assert check_point(lat=0.0, lon=540.0) == (0.0, -180.0)
    assert check_point(lat=0.0, lon=-190.0) == (0.0, 170.0)


@pytest.mark.parametrize("radius", [0.0, -5.0, float("nan"), float("inf")])
def test_ring_rejects_bad_radius(radius):
    with pytest.raises(GeodesyError, match="radius_m"):
        ring_boundary(lat=0.0, lon=0.0, radius_m=radius)


def test_ring_rejects_non_numeric_radius():
    with pytest.raises(GeodesyError, match="radius_m must be a number"):
        ring_boundary(lat=0.0, lon=0.0, radius_m="1000")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lat", "lon", "radius_m"),
    [
        (52.5, 13.4, 1_000.0),
        (54.7, 20.5, 5_500_000.0),
        (-17.7, 178.1, 2_000_000.0),
        (89.0, 0.0, 500_000.0),
        (0.0, 0.0, 10_001_965.729),  # a quarter meridian: passes through both poles
        (30.0, 100.0, 15_000_000.0),
    ],
)
def test_direct_ring_vertices_are_at_radius(lat, lon, radius_m):
    b = ring_boundary(lat=lat, lon=lon, radius_m=radius_m)
    assert b.method == "direct"
    d = geodesic_distance_m(lat1=lat, lon1=lon, lat2=b.lat, lon2=b.lon)
    assert np.max(np.abs(d - radius_m)) < 1e-3


@pytest.mark.parametrize("radius_m", [19_950_000.0, 19_999_000.0, MAX_DISTANCE_M - 1.0])
@pytest.mark.parametrize("lat", [0.0, 33.0, -71.0])
def test_near_antipodal_ring_vertices_are_at_radius(lat, radius_m):
    b = ring_boundary(lat=lat, lon=10.0, radius_m=radius_m)
    assert b.method == "antipodal"
    d = geodesic_distance_m(lat1=lat, lon1=10.0, lat2=b.lat, lon2=b.lon)
    assert np.max(np.abs(d - radius_m)) < 1e-3


def test_regression_2_fwd_points_past_cut_locus_are_not_the_boundary():
    """Beyond pi*b some Geod.fwd points are nearer than the radius (issue 2, section 4)."""
    lat0, r = 0.0, 19_990_000.0
    az = np.linspace(0, 360, 721)
    lon, lat, _ = WGS84.fwd(np.zeros_like(az), np.full_like(az, lat0), az, np.full_like(az, r))
    d = geodesic_distance_m(lat1=lat0, lon1=0.0, lat2=lat, lon2=lon)
    assert np.min(d) < r - 1_000  # the naive ring is wrong here...
    b = ring_boundary(lat=lat0, lon=0.0, radius_m=r)  # ...and ours is not
    assert np.allclose(
        geodesic_distance_m(lat1=lat0, lon1=0.0, lat2=b.lat, lon2=b.lon), r, atol=1e-3
    )


def test_whole_globe_at_max_distance():
    assert ring_boundary(lat=12.0, lon=34.0, radius_m=MAX_DISTANCE_M).whole_globe
    assert not ring_boundary(lat=12.0, lon=34.0, radius_m=MAX_DISTANCE_M - 10).whole_globe


def test_vertex_count_follows_error_not_a_fixed_count():
    small = ring_boundary(lat=40.0, lon=0.0, radius_m=100_000.0)
    large = ring_boundary(lat=40.0, lon=0.0, radius_m=5_000_000.0)
    coarse = ring_boundary(lat=40.0, lon=0.0, radius_m=5_000_000.0, tolerance_m=1_000.0)
    assert len(large.lon) > len(small.lon)
    assert len(coarse.lon) < len(large.lon)


def test_ring_boundaries_batch_equals_single_calls():
    lats, lons, radii = [10.0, -60.0, 89.9], [179.0, 20.0, -45.0], [3e6, 8e5, 2e6]
    batch = ring_boundaries(lat=lats, lon=lons, radius_m=radii)
    for b, la, lo, r in zip(batch, lats, lons, radii, strict=True):
        single = ring_boundary(lat=la, lon=lo, radius_m=r)
        assert np.array_equal(b.lon, single.lon) and np.array_equal(b.lat, single.lat)


def test_ring_through_pole_gets_a_pole_vertex():
    # From 45N the North Pole is exactly this far: the ring passes through it.
    r = float(geodesic_distance_m(lat1=45.0, lon1=0.0, lat2=90.0, lon2=0.0))
    b = ring_boundary(lat=45.0, lon=0.0, radius_m=r)
    assert np.any(b.lat == 90.0)
    assert math.isclose(float(np.max(b.lat)), 90.0)


@pytest.mark.parametrize("lon", ["20.51", "0.1", "139.6917", "-17.7"])
def test_regression_6_longitude_in_range_is_kept_exactly(lon, tmp_path):
    sites = load_sites(f"name,lat,lon\nP,10,{lon}\n".encode(), name="p.csv")
    assert sites["lon"].iloc[0] == float(lon)
    path = tmp_path / "p.csv"
    path.write_text(f"name,lat,lon\nP,10,{lon}\n")
    run = CliRun(["sites", "--file", str(path), "--format", "csv"])
    assert f",{lon}," in run.out
