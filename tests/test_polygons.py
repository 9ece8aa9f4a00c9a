"""rangemap.polygons: ring polygons are exact and valid RFC 7946 geometry, in every case.

Property tests draw centres over the whole globe (poles and the antimeridian included) and
radii from 1 km to beyond the antipodal distance, and check every ring against exact
geodesic distances, never against another polygon.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import example, given
from hypothesis import strategies as st
from pyproj import CRS, Transformer
from shapely.geometry import MultiPolygon, Polygon

import rangemap.polygons as polygons_module
from rangemap.errors import GeodesyError
from rangemap.geodesy import (
    MAX_DISTANCE_M,
    MIN_RADIUS_M,
    WGS84,
    geodesic_distance_m,
    ring_boundaries,
    ring_boundary,
)
from rangemap.polygons import (
    WORLD,
    boundary_polygon,
    boundary_polygons,
    geodesic_area_m2,
    ring_polygon,
    ring_polygons,
)

TOL_M = 100.0  # issue 2: boundary error <= 100 m at every radius
HARD_RADII_KM = [
    1.0,
    500.0,
    5_500.0,
    10_001.965729,
    10_002.0,
    15_000.0,
    19_950.0,
    19_990.0,
    20_003.0,
    MAX_DISTANCE_M / 1000.0 - 0.001,
    20_004.0,
    25_000.0,
]

lats = st.one_of(
    st.floats(-90, 90, allow_nan=False),
    st.sampled_from([90.0, -90.0, 89.9999, -89.9999, 0.0, 45.0, 66.5, -75.0]),
)
lons = st.one_of(
    st.floats(-180, 180, allow_nan=False),
    st.sampled_from([180.0, -180.0, 179.999, -179.999, 0.0]),
)
radii_km = st.one_of(st.floats(1.0, 20_010.0), st.sampled_from(HARD_RADII_KM))


def _polygons(geom) -> list[Polygon]:
    return list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]


def _rings(geom):
    for poly in _polygons(geom):
        yield poly.exterior, True
        for hole in poly.interiors:
            yield hole, False


def _assert_valid_rfc7946(geom):
    assert geom.is_valid, shapely.is_valid_reason(geom)
    minx, miny, maxx, maxy = geom.bounds
    assert minx >= -180.0 and maxx <= 180.0 and miny >= -90.0 and maxy <= 90.0
    for ring, exterior in _rings(geom):
        assert ring.is_ccw == exterior  # RFC 7946 section 3.1.6


def _classify_points(lat, lon, radius_m, geom, rng, n=200):
    """Random points over the globe and near the boundary, judged by exact distance."""
    az = rng.uniform(0, 360, 64)
    near = []
    for delta in (-300.0, 300.0):
        dist = np.clip(radius_m + delta, 1.0, None)
        plon, plat, _ = WGS84.fwd(np.full(64, lon), np.full(64, lat), az, np.full(64, dist))
        near.append((np.asarray(plon), np.asarray(plat)))
    glat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    glon = rng.uniform(-180, 180, n)
    plon = np.concatenate([near[0][0], near[1][0], glon])
    plat = np.concatenate([near[0][1], near[1][1], glat])
    d = geodesic_distance_m(lat1=lat, lon1=lon, lat2=plat, lon2=plon)
    inside = shapely.covers(geom, shapely.points(plon, plat))
    return d, inside


@given(lat=lats, lon=lons, radius_km=radii_km)
@example(lat=0.0, lon=0.0, radius_km=10_001.965729)  # through both poles
@example(lat=90.0, lon=0.0, radius_km=5_500.0)  # centred on a pole
@example(lat=-17.7, lon=178.1, radius_km=2_000.0)  # across the antimeridian
@example(lat=60.0, lon=179.9, radius_km=5_500.0)  # encloses the pole, crosses 180
@example(lat=10.0, lon=-180.0, radius_km=19_999.0)  # near antipodal
def test_ring_is_exact_and_valid(lat, lon, radius_km):
    radius_m = radius_km * 1000.0
    geom = ring_polygon(lat=lat, lon=lon, radius_m=radius_m)
    _assert_valid_rfc7946(geom)
    # Every vertex that comes from the curve is at the radius to 1 m; vertices made by the
    # antimeridian cut lie on a chord, within the tolerance. Pole edges carry no vertex of
    # the curve.
    for ring, _ in _rings(geom):
        xy = np.asarray(ring.coords)
        on_pole = np.abs(xy[:, 1]) == 90.0
        cut = (np.abs(xy[:, 0]) == 180.0) & ~on_pole
        curve = ~on_pole & ~cut
        d = geodesic_distance_m(lat1=lat, lon1=lon, lat2=xy[:, 1], lon2=xy[:, 0])
        assert np.all(np.abs(d[curve] - radius_m) <= 1.0)
        assert np.all(np.abs(d[cut] - radius_m) <= TOL_M)
        # Chords between curve vertices stay within the tolerance of the true ring.
        a, b = xy[:-1], xy[1:]
        along = curve[:-1] & curve[1:]
        if along.any():
            t = np.linspace(0.1, 0.9, 5)[:, None, None]
            pts = a[along][None] + t * (b[along] - a[along])[None]
            pts = pts.reshape(-1, 2)
            dd = geodesic_distance_m(lat1=lat, lon1=lon, lat2=pts[:, 1], lon2=pts[:, 0])
            assert np.all(np.abs(dd - radius_m) <= TOL_M)
    if radius_m >= MAX_DISTANCE_M:
        assert geom.equals(WORLD)
    # The right side: every test point is in the polygon exactly when its geodesic
    # distance is within the radius (points within the tolerance band are not judged).
    rng = np.random.default_rng(abs(hash((lat, lon, radius_km))) % 2**32)
    d, inside = _classify_points(lat, lon, radius_m, geom, rng)
    clear_in = d <= radius_m - 150.0
    clear_out = d >= radius_m + 150.0
    assert np.all(inside[clear_in])
    assert not np.any(inside[clear_out])
    assert geom.covers(shapely.Point(lon if abs(lon) < 180 else 180.0 * np.sign(lon), lat)) or (
        abs(lat) == 90.0 and geom.covers(shapely.Point(0.0, lat))
    )


@given(lat=lats, lon=lons, outer_km=st.floats(100.0, 20_000.0), frac=st.floats(0.05, 0.95))
@example(lat=54.7, lon=20.5, outer_km=5_500.0, frac=0.1)
@example(lat=-17.7, lon=178.1, outer_km=4_000.0, frac=0.125)
def test_annulus_excludes_inside_minimum_range(lat, lon, outer_km, frac):
    outer_m, inner_m = outer_km * 1000.0, outer_km * frac * 1000.0
    geom = ring_polygon(lat=lat, lon=lon, radius_m=outer_m, min_radius_m=inner_m)
    _assert_valid_rfc7946(geom)
    rng = np.random.default_rng(7)
    d, inside = _classify_points(lat, lon, outer_m, geom, rng, n=300)
    clear_in = (d <= outer_m - 150.0) & (d >= inner_m + 150.0)
    clear_out = (d >= outer_m + 150.0) | (d <= inner_m - 150.0)
    assert np.all(inside[clear_in])
    assert not np.any(inside[clear_out])


def test_min_radius_must_be_below_radius():
    with pytest.raises(GeodesyError, match="min_radius_m"):
        ring_polygon(lat=0.0, lon=0.0, radius_m=1e6, min_radius_m=2e6)


def test_antimeridian_ring_is_split_at_180():
    geom = ring_polygon(lat=-17.7, lon=178.1, radius_m=1_000_000.0)
    parts = _polygons(geom)
    assert len(parts) == 2
    assert {round(p.bounds[0]) for p in parts} | {round(p.bounds[2]) for p in parts} >= {-180, 180}


def test_ring_enclosing_pole_reaches_the_pole_edge():
    geom = ring_polygon(lat=60.0, lon=20.0, radius_m=5_500_000.0)
    assert geom.bounds[3] == 90.0
    assert geom.covers(shapely.Point(-160.0, 89.0))


def test_ring_enclosing_both_poles_is_globe_minus_a_hole():
    geom = ring_polygon(lat=0.0, lon=0.0, radius_m=15_000_000.0)
    assert geom.covers(shapely.Point(0.0, 90.0)) and geom.covers(shapely.Point(0.0, -90.0))
    assert not geom.covers(shapely.Point(180.0, 0.0))


def test_batch_and_single_rings_agree():
    lats, lons, radii = [54.7, -17.7], [20.5, 178.1], [5.5e6, 2e6]
    batch = ring_polygons(lat=lats, lon=lons, radius_m=radii, min_radius_m=[5e5, np.nan])
    assert batch[0].equals(ring_polygon(lat=54.7, lon=20.5, radius_m=5.5e6, min_radius_m=5e5))
    assert batch[1].equals(ring_polygon(lat=-17.7, lon=178.1, radius_m=2e6))


@given(centres=st.lists(st.tuples(lats, lons, radii_km), min_size=1, max_size=12))
def test_many_boundaries_make_the_polygons_one_at_a_time_makes(centres):
    """Property: the vectorised path gives each ring's own polygon (poles, antimeridian,
    past a hemisphere and the antipode all fall back to it)."""
    lat, lon, radius_km = (np.array(c, dtype=float) for c in zip(*centres, strict=True))
    found = ring_boundaries(lat=lat, lon=lon, radius_m=radius_km * 1000.0)
    for fast, b in zip(boundary_polygons(found), found, strict=True):
        slow = boundary_polygon(b)
        assert fast.geom_type == slow.geom_type
        assert fast.equals_exact(slow, 1e-9)
        _assert_valid_rfc7946(fast)


def test_ordinary_rings_skip_the_one_at_a_time_path(monkeypatch):
    """Issue 15 item 13: 10,000 rings of an upload went one by one through Python
    (3 s); ordinary rings are built together, only the odd ones alone."""
    calls = []
    monkeypatch.setattr(polygons_module, "boundary_polygon",
                        lambda b: calls.append(b) or boundary_polygon(b))  # fmt: skip
    lat = [50.0, -30.0, 10.0, 89.0, 0.0, 20.0]
    lon = [20.0, 140.0, -60.0, 0.0, 179.5, 10.0]
    radius_m = [5e5, 2.5e6, 5.5e6, 5e5, 1e6, 1.9e7]  # a pole, the antimeridian, past half
    ring_polygons(lat=lat, lon=lon, radius_m=radius_m)
    assert len(calls) == 3


# --- area -----------------------------------------------------------------------------

WGS84_AREA_KM2 = 510_065_621.7


def test_whole_globe_area_is_the_ellipsoid_area():
    area = geodesic_area_m2(ring_polygon(lat=5.0, lon=5.0, radius_m=3e7)) / 1e6
    assert area == pytest.approx(WGS84_AREA_KM2, rel=1e-4)


def test_small_ring_area_matches_spherical_cap_to_flattening():
    r_m = 50_000.0
    area = geodesic_area_m2(ring_polygon(lat=45.0, lon=10.0, radius_m=r_m))
    radius = 6_371_008.8
    cap = 2 * np.pi * radius**2 * (1 - np.cos(r_m / radius))
    assert area == pytest.approx(cap, rel=1 / 298.257223563)


def _laea_area_m2(lat, lon, radius_m):
    """Area of the unsplit ring in an equal-area projection centred on its site."""
    b = ring_boundary(lat=lat, lon=lon, radius_m=radius_m, tolerance_m=1.0)
    laea = CRS.from_proj4(f"+proj=laea +lat_0={lat} +lon_0={lon} +ellps=WGS84 +units=m")
    x, y = Transformer.from_crs("EPSG:4326", laea, always_xy=True).transform(b.lon, b.lat)
    return Polygon(np.column_stack([x, y])).area


@pytest.mark.parametrize(
    ("lat", "lon", "radius_m"),
    [(75.0, 30.0, 3_000_000.0), (-17.7, 178.1, 2_000_000.0), (62.0, 179.5, 4_000_000.0)],
    ids=["pole-enclosing", "antimeridian", "both"],
)
def test_split_ring_area_equals_unsplit_equal_area_projection(lat, lon, radius_m):
    split = ring_polygon(lat=lat, lon=lon, radius_m=radius_m, tolerance_m=1.0)
    assert geodesic_area_m2(split) == pytest.approx(_laea_area_m2(lat, lon, radius_m), rel=5e-4)


def test_area_matches_geographiclib_polygon_area_for_geodesic_edges():
    # A quadrilateral with meridian and short edges: lon/lat-straight and geodesic agree
    # along meridians; compare a thin band where the two edge models coincide closely.
    poly = Polygon([(10, 40), (10.01, 40), (10.01, 41), (10, 41)])
    area, _ = WGS84.geometry_area_perimeter(poly)
    assert geodesic_area_m2(poly) == pytest.approx(abs(area), rel=1e-6)


@pytest.mark.parametrize("radius_m", [1e-9 * 1000, 0.5, 999.999])
def test_regression_15_radius_below_a_kilometre_is_refused(radius_m):
    """A 1e-9 km ring was drawn as a polygon whose vertices were all one point (issue 15)."""
    with pytest.raises(GeodesyError, match=r"radius_m must be a finite number >= 1000 m"):
        ring_polygon(lat=10.0, lon=20.0, radius_m=radius_m)
    with pytest.raises(GeodesyError, match=r"min_radius_m must be 0 or in \[1000, "):
        ring_polygon(lat=10.0, lon=20.0, radius_m=5e5, min_radius_m=radius_m)
    with pytest.raises(GeodesyError, match=r"min_radius_m must be 0 or in \[1000, "):
        ring_polygons(lat=[10.0], lon=[20.0], radius_m=[5e5], min_radius_m=[radius_m])
    # The smallest drawable ring is valid and holds its centre.
    small = ring_polygon(lat=10.0, lon=20.0, radius_m=MIN_RADIUS_M)
    assert small.is_valid and small.contains(shapely.Point(20.0, 10.0))
