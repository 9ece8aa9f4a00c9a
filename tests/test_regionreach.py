"""Reach from a region (rangemap.regionreach): exact against distances to the outline."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from hypothesis import example, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon, box

from rangemap import regionreach
from rangemap.errors import GeodesyError, TargetError
from rangemap.geodesy import WGS84
from rangemap.regionreach import (
    MAX_REACH_FROM_KM,
    country_region,
    load_region,
    reach_from,
    reach_from_frame,
    region_distance_km,
)

MARGIN_M = 100.0


def _dense_outline(region, step_deg):
    """Points along every lon/lat edge of a region, ``step_deg`` apart (the test's oracle)."""
    pts = []
    for poly in getattr(region, "geoms", [region]):
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            for a, b in zip(xy[:-1], xy[1:], strict=True):
                n = max(2, int(np.ceil(np.abs(b - a).max() / step_deg)) + 1)
                pts.append(a + np.linspace(0, 1, n)[:, None] * (b - a))
    return np.concatenate(pts)


def _oracle_km(region, plat, plon, step_deg):
    """Distance to the region by brute force: 0 inside, else to the densified outline."""
    dense = _dense_outline(region, step_deg)
    n = len(dense)
    k = len(plon)
    _, _, d = WGS84.inv(np.repeat(plon, n), np.repeat(plat, n),
                        np.tile(dense[:, 0], k), np.tile(dense[:, 1], k))  # fmt: skip
    d = np.asarray(d).reshape(len(plon), len(dense)).min(axis=1) / 1000.0
    inside = shapely.covers(region, shapely.points(plon, plat))
    return np.where(inside, 0.0, d)


def _check(region, radius_km, rng, n=120):
    area = reach_from(region, radius_km=radius_km)
    assert area.is_valid
    xmin, ymin, xmax, ymax = area.bounds
    assert xmin >= -180 and xmax <= 180 and ymin >= -90 and ymax <= 90
    dense = _dense_outline(region, 0.5)
    pick = dense[rng.integers(0, len(dense), n)]
    plon, plat, _ = WGS84.fwd(pick[:, 0], pick[:, 1], rng.uniform(0, 360, n),
                              rng.uniform(0, radius_km * 1000.0 + 300e3, n))  # fmt: skip
    plat, plon = np.asarray(plat), np.asarray(plon)
    # An oracle step s overestimates a distance d by at most about s^2 / (8 d).
    step_deg = 0.01 if radius_km < 200 else 0.03
    d = _oracle_km(region, plat, plon, step_deg)
    inside = shapely.covers(area, shapely.points(plon, plat))
    assert inside[d <= radius_km - MARGIN_M / 1000.0].all()
    assert not inside[d >= radius_km + MARGIN_M / 1000.0].any()
    return area, d


@settings(max_examples=30)  # each example draws a reach and 120 brute-force distances
@given(
    lat=st.floats(-70.0, 70.0),
    lon=st.floats(-170.0, 170.0),
    radii_km=st.lists(st.floats(20.0, 400.0), min_size=3, max_size=9),
    radius_km=st.floats(50.0, 3000.0),
)
@example(lat=0.0, lon=0.0, radii_km=[300.0, 50.0, 300.0, 50.0, 300.0, 50.0], radius_km=100.0)
def test_reach_of_random_regions_matches_exact_distances(lat, lon, radii_km, radius_km):
    # A star-shaped (often concave) region around a centre.
    az = np.linspace(0, 360, len(radii_km), endpoint=False)
    x, y, _ = WGS84.fwd(np.full(len(az), lon), np.full(len(az), lat), az,
                        np.asarray(radii_km) * 1000.0)  # fmt: skip
    region = Polygon(np.column_stack([x, y]))
    if not region.is_valid:
        region = shapely.make_valid(region)
    _check(region, radius_km, np.random.default_rng(len(radii_km)))


def test_reach_across_the_antimeridian_and_around_a_pole():
    rng = np.random.default_rng(3)
    fiji_like = box(178, -19, 180, -16).union(box(-180, -19, -179, -16))
    area, _ = _check(fiji_like, 400.0, rng)
    assert area.bounds[0] == -180.0 and area.bounds[2] == 180.0
    polar_cap = box(-180, 85, 180, 90)
    area, _ = _check(polar_cap, 500.0, rng)
    # The reach of a cap around the pole is a larger cap: every meridian to about 80.5 N.
    assert area.bounds == pytest.approx((-180.0, 80.5, 180.0, 90.0), abs=0.05)
    assert area.covers(shapely.Point(0, 90)) and area.covers(shapely.Point(123, 80.6))


@pytest.mark.parametrize(
    ("region", "radius_km"),
    [
        (box(-30, 80, 30, 86), 4000.0),  # capsules around the pole
        (box(170, -85, 180, -80).union(box(-180, -85, -175, -80)), 2000.0),  # 180th, south
        (box(100, 60, 140, 75), 9000.0),  # near the largest radius drawn
        (box(-10, -5, 10, 5), 9400.0),
    ],
)
def test_reach_at_long_range_and_near_the_poles(region, radius_km):
    _check(region, radius_km, np.random.default_rng(7), n=150)


def test_belarus_500_km_golden_case():
    # The reach of a 500 km system (Iskander-M's nominal figure) from anywhere in Belarus,
    # with Natural Earth's 1:110m outline. Distances to that outline: Vilnius 27 km,
    # Warsaw 152 km, Kyiv 97 km, Riga 210 km, Moscow 412 km, Tallinn 417 km,
    # St Petersburg 438 km: all reached. Helsinki 485 km and Chisinau 486 km are reached
    # too; Budapest 558 km, Stockholm 652 km, Prague 661 km and Berlin 665 km are not.
    # (A launcher in Minsk alone, 500 km, reaches neither Warsaw (475 km: yes) nor Kyiv
    # (434 km: yes) nor Moscow (675 km: no): the region's reach is much larger.)
    _, outline = country_region("BLR")
    area = reach_from(outline, radius_km=500)
    cities = {
        "Vilnius": (25.28, 54.69, True), "Warsaw": (21.01, 52.23, True),
        "Kyiv": (30.52, 50.45, True), "Riga": (24.11, 56.95, True),
        "Moscow": (37.62, 55.76, True), "Tallinn": (24.75, 59.44, True),
        "Helsinki": (24.94, 60.17, True), "Chisinau": (28.86, 47.01, True),
        "Budapest": (19.04, 47.5, False), "Stockholm": (18.07, 59.33, False),
        "Prague": (14.44, 50.08, False), "Berlin": (13.40, 52.52, False),
    }  # fmt: skip
    for name, (x, y, reached) in cities.items():
        assert area.covers(shapely.Point(x, y)) == reached, name
    x = np.array([v[0] for v in cities.values()])
    y = np.array([v[1] for v in cities.values()])
    d = region_distance_km(outline, lat=y, lon=x)
    assert np.array_equal(d <= 500, [v[2] for v in cities.values()])
    assert d[1] == pytest.approx(_oracle_km(outline, y[1:2], x[1:2], 0.005)[0], abs=0.01)
    # The area is the region, a band along the outline and rounded corners (Steiner's
    # formula bounds it: at most A + P R + pi R^2 for the convex hull).
    frame = reach_from_frame(outline, radius_km=500, name="Belarus", outline="Natural Earth")
    hull = outline.convex_hull
    perimeter_km = WGS84.geometry_length(hull.exterior) / 1000.0
    hull_km2 = abs(WGS84.geometry_area_perimeter(hull)[0]) / 1e6
    assert frame["area_km2"].iloc[0] < hull_km2 + perimeter_km * 500 + np.pi * 500**2
    assert frame["area_km2"].iloc[0] > np.pi * 500**2 + 200_000


def test_region_distance_agrees_with_brute_force():
    _, outline = country_region("JPN")
    rng = np.random.default_rng(5)
    lat, lon = rng.uniform(20, 50, 40), rng.uniform(120, 155, 40)
    fast = region_distance_km(outline, lat=lat, lon=lon)
    slow = _oracle_km(outline, lat, lon, 0.005)
    assert np.allclose(fast, slow, atol=0.05)


def test_refusals(tmp_path):
    with pytest.raises(GeodesyError, match=f"not below {MAX_REACH_FROM_KM:,.0f} km"):
        reach_from(box(0, 0, 1, 1), radius_km=12_000)
    with pytest.raises(GeodesyError, match="bounds"):
        reach_from(box(170, 0, 190, 1), radius_km=100)
    with pytest.raises(TargetError, match="unknown country 'Narnia'"):
        country_region("Narnia")
    bad = tmp_path / "points.geojson"
    bad.write_text(json.dumps({"type": "Point", "coordinates": [0, 0]}))
    with pytest.raises(TargetError, match="points.geojson: no Polygon"):
        load_region(bad)
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json")
    with pytest.raises(TargetError, match="broken.geojson: not valid JSON"):
        load_region(broken)


def test_user_polygon_file(tmp_path):
    path = tmp_path / "kaliningrad.geojson"
    poly = {"type": "Polygon", "coordinates": [[[19.6, 54.3], [22.9, 54.3], [22.9, 55.3],
                                                [19.6, 55.3], [19.6, 54.3]]]}  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": poly, "properties": {}}]}))  # fmt: skip
    name, region = load_region(path)
    assert name == "kaliningrad" and region.equals(shapely.geometry.shape(poly))


def test_regression_12_pruned_capsules_give_the_same_reach_and_keep_an_enclave(monkeypatch):
    # At long range the capsules inside their neighbours' are left out, then every one
    # left out is checked against the union. An enclave's edges (a hole 2,200 km from the
    # outer edges) are covered only by one another's capsules: the check must bring them
    # back, or the enclave would stay unreached. Compared with drawing every capsule.
    outer_ring = shapely.segmentize(box(-20, -20, 20, 20), 0.2).exterior
    hole = shapely.segmentize(box(-1, -1, 1, 1), 0.2).exterior
    region = Polygon(outer_ring, [hole])
    pruned = reach_from(region, radius_km=2000)
    monkeypatch.setattr(regionreach, "_PRUNE_MIN_SEGMENTS", 10**9)
    full = reach_from(region, radius_km=2000)
    assert pruned.covers(shapely.Point(0, 0)) and full.covers(shapely.Point(0, 0))
    assert pruned.symmetric_difference(full).area < 1e-9
