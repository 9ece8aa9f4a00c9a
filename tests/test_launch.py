"""Launch areas (rangemap.launch): exact against geodesic distances, and two golden cases."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import example, given
from hypothesis import strategies as st

from rangemap.catalogue import find_systems, load_catalogue
from rangemap.errors import GeodesyError, TargetError
from rangemap.geodesy import WGS84, geodesic_distance_m
from rangemap.launch import MAX_LAUNCH_TARGETS, clip_region, launch_area, launch_areas
from rangemap.polygons import WORLD
from rangemap.targets import resolve_targets

MARGIN_M = 100.0  # the boundary tolerance; rings are drawn within 50 m


def _assert_rfc7946(geom):
    assert geom.is_valid
    if geom.is_empty:
        return
    xmin, ymin, xmax, ymax = geom.bounds
    assert xmin >= -180.0 and xmax <= 180.0 and ymin >= -90.0 and ymax <= 90.0
    for poly in getattr(geom, "geoms", [geom]):
        assert poly.exterior.is_ccw


def _points(lat, lon, reach_m, rng, n=160):
    """Test points: around each target out to beyond its band, and over the globe."""
    k = len(lat)
    az = rng.uniform(0, 360, n * k)
    dist = rng.uniform(0, min(reach_m + 300e3, 2.0e7), n * k)
    plon, plat, _ = WGS84.fwd(np.repeat(lon, n), np.repeat(lat, n), az, dist)
    glat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    glon = rng.uniform(-180, 180, n)
    return np.r_[np.asarray(plat), glat], np.r_[np.asarray(plon), glon]


def _check_against_distances(lat, lon, outer_m, inner_m, k, geom, rng):
    plat, plon = _points(lat, lon, outer_m, rng)
    d = geodesic_distance_m(lat1=np.asarray(lat)[:, None], lon1=np.asarray(lon)[:, None],
                            lat2=plat[None, :], lon2=plon[None, :])  # fmt: skip
    surely = ((d >= inner_m + MARGIN_M) | (inner_m == 0)) & (d <= outer_m - MARGIN_M)
    maybe = (d >= inner_m - MARGIN_M) & (d <= outer_m + MARGIN_M)
    inside = shapely.covers(geom, shapely.points(plon, plat)) if not geom.is_empty else (
        np.zeros(plat.shape, dtype=bool))  # fmt: skip
    must_in = surely.sum(axis=0) >= k
    must_out = maybe.sum(axis=0) < k
    assert inside[must_in].all(), "a point in band of enough targets is outside the area"
    assert not inside[must_out].any(), "a point out of band of too many targets is inside"
    return must_in, must_out


targets_st = st.lists(
    st.tuples(st.floats(-89.9, 89.9), st.floats(-180.0, 180.0)), min_size=1, max_size=4
)


@given(
    base=st.tuples(st.floats(-90.0, 90.0), st.floats(-180.0, 180.0)),
    spread_km=st.sampled_from([0.0, 50.0, 800.0, 4000.0, 15_000.0]),
    offsets=st.lists(st.tuples(st.floats(0, 360), st.floats(0, 1)), min_size=0, max_size=3),
    outer_km=st.floats(300.0, 19_000.0),
    inner_frac=st.one_of(st.just(0.0), st.floats(0.05, 0.9)),
    k_frac=st.floats(0.0, 1.0),
)
@example(
    base=(13.4, 179.5),
    spread_km=800.0,
    offsets=[(90, 1.0), (200, 0.7)],
    outer_km=1500.0,
    inner_frac=0.0,
    k_frac=1.0,
)  # across the antimeridian
@example(
    base=(88.0, 0.0),
    spread_km=800.0,
    offsets=[(180, 1.0)],
    outer_km=2500.0,
    inner_frac=0.2,
    k_frac=1.0,
)  # around the North Pole
@example(
    base=(0.0, 0.0),
    spread_km=15_000.0,
    offsets=[(90, 1.0)],
    outer_km=5000.0,
    inner_frac=0.0,
    k_frac=1.0,
)  # too far apart: empty
@example(
    base=(45.0, 10.0),
    spread_km=50.0,
    offsets=[(0, 1.0), (120, 1.0)],
    outer_km=3000.0,
    inner_frac=0.0,
    k_frac=1.0,
)  # close together: nearly a disc
@example(
    base=(-60.0, -170.0),
    spread_km=4000.0,
    offsets=[(10, 1.0), (250, 0.5), (120, 0.8)],
    outer_km=6000.0,
    inner_frac=0.3,
    k_frac=0.5,
)  # at least 2 of 4, with a hole
def test_launch_area_matches_exact_distances(base, spread_km, offsets, outer_km, inner_frac,
                                             k_frac):  # fmt: skip
    lat = [base[0]]
    lon = [base[1]]
    for az, frac in offsets:
        plon, plat, _ = WGS84.fwd(base[1], base[0], az, max(spread_km * frac * 1000.0, 0.0))
        lat.append(float(plat))
        lon.append(float(plon))
    inner_km = outer_km * inner_frac
    if 0 < inner_km < 1.0:
        inner_km = 0.0
    k = max(1, round(k_frac * len(lat)))
    geom = launch_area(lat=lat, lon=lon, radius_km=outer_km, min_radius_km=inner_km, at_least=k)
    _assert_rfc7946(geom)
    rng = np.random.default_rng(abs(hash((base, outer_km, k))) % 2**32)
    _check_against_distances(lat, lon, outer_km * 1e3, inner_km * 1e3, k, geom, rng)


def test_guam_tokyo_manila_golden_case():
    # A 4,000 km system (DF-26's nominal figure) reaching Guam, Tokyo and Manila at once.
    # Okinawa is 2,276 / 1,552 / 1,462 km from them, Shanghai 3,094 / 1,761 / 1,842 km:
    # both inside. Beijing is 4,037 km from Guam (just out), Hanoi 4,215 km, and
    # Shaoguan (DF-26's reported base) 3,503 / 2,774 / 1,368 km: inside. Darwin is
    # 5,409 km from Tokyo: out. Every corner is within 4,000 km of all three, so the
    # area lies in the western Pacific between about 108E and 159E.
    t = resolve_targets(["13.44,144.79", "35.68,139.69", "14.60,120.98"])
    area = launch_areas(t, radius_km=4000).geometry.iloc[0]
    inside = {"Okinawa": (127.7, 26.2), "Shanghai": (121.47, 31.23), "Shaoguan": (113.6, 24.8)}
    outside = {"Beijing": (116.4, 39.9), "Hanoi": (105.85, 21.03), "Darwin": (130.84, -12.46)}
    for name, (x, y) in inside.items():
        assert area.covers(shapely.Point(x, y)), name
    for name, (x, y) in outside.items():
        assert not area.covers(shapely.Point(x, y)), name
    xmin, _, xmax, _ = area.bounds
    assert 105 < xmin < 110 and 155 < xmax < 160
    # At least two of the three: a larger area, containing the area for all three.
    two = launch_area(lat=t["lat"], lon=t["lon"], radius_km=4000, at_least=2)
    assert two.area > area.area and two.buffer(1e-9).covers(area)
    assert two.covers(shapely.Point(116.4, 39.9))  # Beijing reaches Tokyo and Manila


def test_system_bands_and_minimum_range_are_used():
    systems = find_systems(load_catalogue(), ["df-26"])
    t = resolve_targets(["Tokyo"])
    areas = launch_areas(t, systems=systems, band="all")
    assert list(areas["system_id"].unique()) == ["df-26"]
    nominal = areas.loc[areas["band"] == "nominal"].iloc[0]
    assert nominal["radius_km"] == float(systems.iloc[0]["range_km"])
    # One target: the launch area is the target's own ring, so its area is the ring's.
    ring = launch_area(lat=t["lat"], lon=t["lon"], radius_km=nominal["radius_km"])
    assert nominal.geometry.symmetric_difference(ring).area < 1e-6


def test_clip_to_land_countries_and_sea():
    t = resolve_targets(["Tokyo", "Seoul"])
    _, land = clip_region("land")
    label, chn = clip_region("CHN")
    assert label == "China"
    on_land = launch_areas(t, radius_km=1500, clip="land").geometry.iloc[0]
    at_sea = launch_areas(t, radius_km=1500, clip="sea").geometry.iloc[0]
    in_china = launch_areas(t, radius_km=1500, clip="china").geometry.iloc[0]
    whole = launch_area(lat=t["lat"], lon=t["lon"], radius_km=1500)
    # Land and sea split the area between them.
    assert on_land.area + at_sea.area == pytest.approx(whole.area, rel=1e-6)
    assert chn.buffer(1e-9).covers(in_china) and not in_china.is_empty
    assert in_china.area < on_land.area


def test_empty_and_whole_globe_are_honest():
    far = launch_areas(resolve_targets(["0,0", "0,108"]), radius_km=5000)
    assert far.geometry.iloc[0].is_empty and far["area_km2"].iloc[0] == 0.0
    globe = launch_areas(resolve_targets(["0,0", "40,100"]), radius_km=20_100)
    assert bool(globe["whole_globe"].iloc[0]) and globe.geometry.iloc[0].equals(WORLD)


def test_refusals_name_the_value():
    with pytest.raises(GeodesyError, match=r"at_least must be a whole number in \[1, 2\], got 3"):
        launch_area(lat=[0, 1], lon=[0, 1], radius_km=100, at_least=3)
    with pytest.raises(GeodesyError, match=f"1 to {MAX_LAUNCH_TARGETS} targets"):
        launch_area(lat=[0.0] * (MAX_LAUNCH_TARGETS + 1), lon=[0.0] * (MAX_LAUNCH_TARGETS + 1),
                    radius_km=100)  # fmt: skip
    with pytest.raises(GeodesyError, match="min_radius_m"):
        launch_area(lat=[0], lon=[0], radius_km=100, min_radius_km=200)
    with pytest.raises(TargetError, match="unknown country 'Atlantis'"):
        clip_region("Atlantis")
    with pytest.raises(GeodesyError, match="either systems or radius_km"):
        launch_areas(resolve_targets(["Tokyo"]))
