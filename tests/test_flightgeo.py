"""rangemap.flightgeo: rotation-aware footprints, isochrones and flight-time tables.

Footprints are checked against exact geodesic distances (pyproj), the reach factor of
:func:`rangemap.ballistics.rotating_reach` and plain rings; never against another
footprint. Timings are built here, not read from data/speeds.csv or data/boost.csv.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
import shapely
from hypothesis import example, given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon

from rangemap import flightgeo
from rangemap.ballistics import EARTH_RADIUS_M, FlightError, min_energy, rotating_reach
from rangemap.catalogue import find_systems
from rangemap.flight import FlightModel, Timing
from rangemap.flightgeo import (
    FLIGHT_TIME_COLUMNS,
    flight_time_table,
    isochrones,
    rotating_factor,
    rotating_footprint,
)
from rangemap.geodesy import WGS84, footprint_boundary, geodesic_distance_m
from rangemap.polygons import boundary_polygon, geodesic_area_m2, ring_polygon
from rangemap.sites import resolve_sites
from rangemap.targets import resolve_targets

NAN2 = (math.nan, math.nan)
BALLISTIC = Timing("x", FlightModel.BALLISTIC, (60.0, 120.0), NAN2, "")
CRUISE = Timing("c", FlightModel.CRUISE, (0.0, 0.0), (200.0, 250.0), "")
TOL_M = 100.0  # chord tolerance (50 m by default) with room to spare


# --- helpers (as in test_polygons.py) ---------------------------------------------------


def _polygons(geom) -> list[Polygon]:
    return list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]


def _rings(geom):
    for poly in _polygons(geom):
        yield poly.exterior, True
        for hole in poly.interiors:
            yield hole, False


def _assert_valid_rfc7946(geom):
    assert isinstance(geom, (Polygon, MultiPolygon)), geom.geom_type
    assert not geom.is_empty
    assert geom.is_valid, shapely.is_valid_reason(geom)
    minx, miny, maxx, maxy = geom.bounds
    assert minx >= -180.0 and maxx <= 180.0 and miny >= -90.0 and maxy <= 90.0
    for ring, exterior in _rings(geom):
        assert ring.is_ccw == exterior  # RFC 7946 section 3.1.6


def _fwd(lat, lon, az, dist_m):
    n = len(az)
    plon, plat, _ = WGS84.fwd(np.full(n, lon), np.full(n, lat), az, dist_m)
    return np.asarray(plon), np.asarray(plat)


def _dist_az(lat, lon, plat, plon):
    n = len(plat)
    az, _, d = WGS84.inv(np.full(n, lon), np.full(n, lat), plon, plat)
    return np.asarray(d), np.asarray(az) % 360.0


def _covers(geom, plon, plat):
    return shapely.covers(geom, shapely.points(plon, plat))


# --- 1. rotating footprints -----------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(
    lat=st.floats(-89.9, 89.9),
    lon=st.floats(-180.0, 180.0, exclude_max=True),
    range_km=st.floats(500.0, 5_500.0),
)
@example(lat=40.0, lon=179.5, range_km=2_000.0)  # across the antimeridian
@example(lat=85.0, lon=20.0, range_km=3_000.0)  # encloses the North Pole
@example(lat=-80.0, lon=-60.0, range_km=3_000.0)  # encloses the South Pole
@example(lat=60.0, lon=-179.9, range_km=5_500.0)  # both
def test_rotating_footprint_is_valid_and_exact(lat, lon, range_km):
    geom = rotating_footprint(lat=lat, lon=lon, range_km=range_km)
    _assert_valid_rfc7946(geom)
    factor = rotating_factor(lat=lat, lon=lon, range_km=range_km)

    def radius_m(az):
        return range_km * 1000.0 * factor(az)

    # The boundary itself: every vertex at range * factor(its azimuth), to 1 m.
    b = footprint_boundary(lat=lat, lon=lon, radius_m_at=radius_m)
    d, az = _dist_az(lat, lon, b.lat, b.lon)
    assert np.abs(d - radius_m(az)).max() <= 1.0
    # The polygon: vertices of the curve to 1 m, antimeridian cuts and chords within the
    # tolerance; pole vertices carry no point of the curve.
    for ring, _ in _rings(geom):
        xy = np.asarray(ring.coords)
        on_pole = np.abs(xy[:, 1]) == 90.0
        cut = (np.abs(xy[:, 0]) == 180.0) & ~on_pole
        curve = ~on_pole & ~cut
        d, az = _dist_az(lat, lon, xy[:, 1], xy[:, 0])
        assert np.all(np.abs(d[curve] - radius_m(az[curve])) <= 1.0)
        assert np.all(np.abs(d[cut] - radius_m(az[cut])) <= TOL_M)
        a, c = xy[:-1], xy[1:]
        along = curve[:-1] & curve[1:]
        mid = (a[along] + c[along]) / 2.0
        d, az = _dist_az(lat, lon, mid[:, 1], mid[:, 0])
        assert np.all(np.abs(d - radius_m(az)) <= TOL_M)
    # Membership, away from the boundary: 0.99 x the radius in, 1.01 x out.
    rng = np.random.default_rng(abs(hash((lat, lon, range_km))) % 2**32)
    azs = rng.uniform(0.0, 360.0, 64)
    r = radius_m(azs)
    inside = _covers(geom, *_fwd(lat, lon, azs, 0.99 * r))
    outside = _covers(geom, *_fwd(lat, lon, azs, 1.01 * r))
    assert inside.all(), azs[~inside]
    assert not outside.any(), azs[outside]
    assert geom.covers(shapely.Point(lon, lat))


def test_antimeridian_footprint_is_split_at_180():
    geom = rotating_footprint(lat=40.0, lon=179.5, range_km=2_000.0)
    _assert_valid_rfc7946(geom)
    assert geom.geom_type == "MultiPolygon"
    parts = _polygons(geom)
    assert len(parts) == 2
    assert min(p.bounds[0] for p in parts) == -180.0
    assert max(p.bounds[2] for p in parts) == 180.0
    # A point 500 km east of the site (across 180) is in the western part.
    plon, plat = _fwd(40.0, 179.5, np.array([90.0]), np.array([500e3]))
    assert plon[0] < -170.0 and _covers(geom, plon, plat)[0]


@pytest.mark.parametrize(("lat", "pole"), [(85.0, 90.0), (-80.0, -90.0)])
def test_footprint_near_a_pole_encloses_it(lat, pole):
    geom = rotating_footprint(lat=lat, lon=30.0, range_km=2_000.0)
    _assert_valid_rfc7946(geom)
    assert (geom.bounds[3] if pole > 0 else geom.bounds[1]) == pole
    assert geom.bounds[0] == -180.0 and geom.bounds[2] == 180.0
    near = np.linspace(-179.0, 179.0, 37)
    assert _covers(geom, near, np.full(near.shape, math.copysign(89.9, pole))).all()
    # The side of the site away from the pole ends at about 2,000 km.
    far = math.copysign(abs(lat) - 19.0, pole)
    assert not _covers(geom, np.array([30.0]), np.array([far]))[0]


def test_footprint_is_an_egg_reaching_farther_east():
    lat, lon, km = 40.0, 10.0, 5_528.0
    geom = rotating_footprint(lat=lat, lon=lon, range_km=km)
    az = np.array([90.0, 270.0])
    # NOTES: ~5,945 km east, ~5,220 km west.
    east_in = _covers(geom, *_fwd(lat, lon, az[:1], np.array([5_900e3])))[0]
    east_out = _covers(geom, *_fwd(lat, lon, az[:1], np.array([6_000e3])))[0]
    west_in = _covers(geom, *_fwd(lat, lon, az[1:], np.array([5_170e3])))[0]
    west_out = _covers(geom, *_fwd(lat, lon, az[1:], np.array([5_270e3])))[0]
    assert east_in and not east_out and west_in and not west_out


def test_rotating_factor_interpolates_rotating_reach():
    lat, lon, km = 40.0, 0.0, 5_528.0
    f = rotating_factor(lat=lat, lon=lon, range_km=km)
    # Launch azimuths the 720-azimuth table does not hold: exact factors at their own
    # arrival azimuths, which the interpolation must reproduce to 1e-4.
    rr = rotating_reach(lat=lat, lon=lon, psi_rad=km * 1000.0 / EARTH_RADIUS_M, n_azimuths=7)
    np.testing.assert_allclose(f(rr.arrival_azimuth_deg), rr.factor, rtol=1e-4)
    # Periodic in the azimuth, and a scalar-like array in gives an array out.
    np.testing.assert_allclose(f(np.array([0.0, 90.0])), f(np.array([360.0, -270.0])))
    east, west = f(np.array([90.0, 270.0]))
    assert east == pytest.approx(5_945 / 5_528, rel=0.01)
    assert west == pytest.approx(5_220 / 5_528, rel=0.01)


@pytest.mark.parametrize("bad", [0.0, -5.0, math.nan, math.inf, 20_100.0])
def test_rotating_factor_refuses_ranges_out_of_model(bad):
    with pytest.raises(FlightError, match=r"range_km must be in \(0, 20015\); got"):
        rotating_factor(lat=0.0, lon=0.0, range_km=bad)


@pytest.mark.parametrize(("lat", "lon"), [(30.0, 100.0), (40.0, 179.5), (70.0, -20.0)])
def test_footprint_with_minimum_range_is_an_egg_annulus(lat, lon):
    geom = rotating_footprint(lat=lat, lon=lon, range_km=4_000.0, min_range_km=1_000.0)
    assert isinstance(geom, (Polygon, MultiPolygon)) and geom.is_valid
    minx, miny, maxx, maxy = geom.bounds
    assert minx >= -180.0 and maxx <= 180.0 and miny >= -90.0 and maxy <= 90.0
    inner = rotating_factor(lat=lat, lon=lon, range_km=1_000.0)
    outer = rotating_factor(lat=lat, lon=lon, range_km=4_000.0)
    az = np.linspace(0.0, 360.0, 24, endpoint=False)
    assert not _covers(geom, *_fwd(lat, lon, az, 0.98e6 * inner(az))).any()
    assert _covers(geom, *_fwd(lat, lon, az, 1.02e6 * inner(az))).all()
    assert _covers(geom, *_fwd(lat, lon, az, 0.99 * 4e6 * outer(az))).all()
    assert not _covers(geom, *_fwd(lat, lon, az, 1.01 * 4e6 * outer(az))).any()
    assert not geom.covers(shapely.Point(lon, lat))
    # The minimum range has its own (slower) burnout speed, so its own factors.
    assert not np.allclose(inner(az), outer(az), rtol=1e-3)


def test_regression_11_footprint_with_minimum_range_is_oriented_per_rfc7946():
    # The difference of outer and inner was returned unoriented: exterior clockwise.
    geom = rotating_footprint(lat=30.0, lon=100.0, range_km=4_000.0, min_range_km=1_000.0)
    _assert_valid_rfc7946(geom)


# --- 2. without rotation the footprint is the plain ring ------------------------------


def _relative_difference(a, b):
    return geodesic_area_m2(a.symmetric_difference(b)) / geodesic_area_m2(b)


@pytest.mark.parametrize(
    ("lat", "lon", "km"),
    [(40.0, 10.0, 5_500.0), (-17.7, 178.1, 2_000.0), (75.0, 30.0, 3_000.0)],
    ids=["plain", "antimeridian", "pole"],
)
def test_constant_radius_footprint_is_the_ring(lat, lon, km):
    ring = ring_polygon(lat=lat, lon=lon, radius_m=km * 1000.0)
    b = footprint_boundary(lat=lat, lon=lon, radius_m_at=lambda az: km * 1000.0 + 0.0 * az)
    assert _relative_difference(boundary_polygon(b), ring) < 1e-4


@pytest.mark.parametrize(
    ("lat", "lon", "km"),
    [(40.0, 10.0, 5_500.0), (-17.7, 178.1, 2_000.0), (75.0, 30.0, 3_000.0)],
    ids=["plain", "antimeridian", "pole"],
)
def test_footprint_without_rotation_is_the_ring(monkeypatch, lat, lon, km):
    still = functools.partial(rotating_reach, omega_rad_s=0.0)
    monkeypatch.setattr(flightgeo, "rotating_reach", still)
    f = flightgeo.rotating_factor(lat=lat, lon=lon, range_km=km)
    np.testing.assert_allclose(f(np.linspace(0, 360, 100)), 1.0, atol=1e-6)
    egg = flightgeo.rotating_footprint(lat=lat, lon=lon, range_km=km)
    ring = ring_polygon(lat=lat, lon=lon, radius_m=km * 1000.0)
    assert _relative_difference(egg, ring) < 1e-4
    # With rotation the footprint is not the ring: the test can tell them apart.
    monkeypatch.undo()
    assert _relative_difference(rotating_footprint(lat=lat, lon=lon, range_km=km), ring) > 1e-2


# --- 3. isochrones ----------------------------------------------------------------------


def test_isochrones_grow_with_time_and_bound_each_other():
    minutes = [5.0, 10.0, 15.0, 20.0, 40.0]
    iso = isochrones(timing=BALLISTIC, lat=10.0, lon=179.0, minutes=minutes, range_km=4_000.0)
    assert iso.crs.to_epsg() == 4326
    assert list(iso.columns[:5]) == ["minutes", "bound", "radius_km", "capped", "model"]
    assert (iso["model"] == "ballistic, minimum-energy").all()
    surely = iso[iso["bound"] == "surely"].set_index("minutes")["radius_km"]
    possibly = iso[iso["bound"] == "possibly"].set_index("minutes")["radius_km"]
    assert list(surely.index) == minutes and list(possibly.index) == minutes
    assert surely.is_monotonic_increasing and possibly.is_monotonic_increasing
    assert (surely <= possibly).all()
    assert (iso["radius_km"] <= 4_000.0).all()
    capped = iso[iso["capped"]]
    assert (capped["radius_km"] == 4_000.0).all() and 40.0 in set(capped["minutes"])
    assert not iso.loc[iso["minutes"] == 5.0, "capped"].any()
    # The radius inverts the time model: boost (slow end for surely) + free flight.
    for t, r in surely.items():
        if r < 4_000.0:
            assert 120.0 + min_energy(r * 1000.0 / EARTH_RADIUS_M).time_s == pytest.approx(
                t * 60.0, abs=0.01
            )
    for t, r in possibly.items():
        if r < 4_000.0:
            assert 60.0 + min_energy(r * 1000.0 / EARTH_RADIUS_M).time_s == pytest.approx(
                t * 60.0, abs=0.01
            )


def test_isochrone_geometry_is_the_ring_of_its_radius():
    iso = isochrones(timing=BALLISTIC, lat=10.0, lon=179.0, minutes=[12.0], range_km=4_000.0)
    for geom, r_km in zip(iso.geometry, iso["radius_km"], strict=True):
        _assert_valid_rfc7946(geom)
        xy = np.asarray(_polygons(geom)[0].exterior.coords)
        keep = np.abs(xy[:, 0]) < 180.0
        d = geodesic_distance_m(lat1=10.0, lon1=179.0, lat2=xy[keep, 1], lon2=xy[keep, 0])
        assert np.abs(d - r_km * 1000.0).max() < 1.0
    assert iso.geometry.iloc[0].within(iso.geometry.iloc[1].buffer(1e-9))


def test_cruise_isochrones_are_distance_over_speed():
    iso = isochrones(timing=CRUISE, lat=0.0, lon=0.0, minutes=[60.0], range_km=2_500.0)
    assert iso["radius_km"].tolist() == [720.0, 900.0]  # 200 and 250 m/s for an hour


def test_isochrones_shorter_than_the_boost_give_no_feature():
    iso = isochrones(timing=BALLISTIC, lat=0.0, lon=0.0, minutes=[0.5, 1.0], range_km=4_000.0)
    assert len(iso) == 0 and list(iso.columns[:5]) == [
        "minutes", "bound", "radius_km", "capped", "model",
    ]  # fmt: skip
    # 90 s: past the short boost (60 s) but not the long one (120 s): only "possibly".
    iso = isochrones(timing=BALLISTIC, lat=0.0, lon=0.0, minutes=[1.5], range_km=4_000.0)
    assert iso["bound"].tolist() == ["possibly"]


def test_isochrones_beyond_a_minimum_range_are_annuli():
    iso = isochrones(timing=BALLISTIC, lat=30.0, lon=100.0, minutes=[4.0, 12.0],
                     range_km=4_000.0, min_range_km=500.0)  # fmt: skip
    assert (iso["radius_km"] > 500.0).all()
    for geom in iso.geometry:
        _assert_valid_rfc7946(geom)
        assert not geom.covers(shapely.Point(100.0, 30.0))
        assert len(_polygons(geom)[0].interiors) == 1


@pytest.mark.parametrize("bad", [[0.0], [-1.0], [math.nan], [], [10.0, math.inf]])
def test_bad_minutes_are_refused(bad):
    with pytest.raises(FlightError, match="minutes must be positive numbers"):
        isochrones(timing=BALLISTIC, lat=0.0, lon=0.0, minutes=bad, range_km=4_000.0)


def test_isochrones_need_a_time_model():
    none = Timing("t", None, NAN2, NAN2, "", "no time model for propulsion 'torpedo'")
    with pytest.raises(FlightError, match=r"no flight times for t: no time model"):
        isochrones(timing=none, lat=0.0, lon=0.0, minutes=[10.0], range_km=100.0)
    unsourced = Timing("u", FlightModel.BALLISTIC, NAN2, NAN2, "", "no published boost")
    with pytest.raises(FlightError, match="no published boost"):
        isochrones(timing=unsourced, lat=0.0, lon=0.0, minutes=[10.0], range_km=100.0)


# --- 4. flight-time tables ------------------------------------------------------------


@pytest.fixture(scope="module")
def timings():
    return {
        "df-26": Timing("df-26", FlightModel.BALLISTIC, (60.0, 120.0), NAN2, ""),
        "cj-10": Timing("cj-10", FlightModel.CRUISE, (0.0, 0.0), (200.0, 250.0), ""),
    }


def _targets_around(lat, lon, pairs):
    """Typed ``LAT,LON`` targets at (azimuth, km) from a site."""
    az = np.array([a for a, _ in pairs], dtype=float)
    d = np.array([k for _, k in pairs], dtype=float) * 1000.0
    plon, plat = _fwd(lat, lon, az, d)
    return resolve_targets([f"{y:.9f},{x:.9f}" for x, y in zip(plon, plat, strict=True)])


def test_flight_time_table_columns_and_in_range(catalogue, timings):
    systems = find_systems(catalogue, ["df-26", "cj-10"])
    sites = resolve_sites(["30,110", "-10,150"])
    targets = _targets_around(30.0, 110.0, [(0, 500), (45, 1_499), (90, 1_501), (200, 3_999),
                                            (300, 4_001), (120, 9_000)])  # fmt: skip
    table = flight_time_table(systems=systems, sites=sites, targets=targets, timings=timings)
    assert tuple(table.columns) == FLIGHT_TIME_COLUMNS
    assert len(table) == 2 * 2 * len(targets)
    assert table["system"].tolist()[:12] == ["DF-26"] * 12
    range_km = table["system"].map({"DF-26": 4_000.0, "CJ-10 / DH-10": 1_500.0})
    assert (table["range_km"] == range_km).all()
    assert (table["in_range"] == (table["distance_km"] <= table["range_km"])).all()
    first = table[(table["system"] == "DF-26") & (table["site"] == "30,110")]
    assert first["in_range"].tolist() == [True, True, True, True, False, False]
    d = geodesic_distance_m(lat1=30.0, lon1=110.0, lat2=targets["lat"], lon2=targets["lon"])
    np.testing.assert_allclose(first["distance_km"], d / 1000.0, atol=1e-3)
    cruise = table[(table["system"] == "CJ-10 / DH-10") & (table["site"] == "30,110")]
    assert cruise["in_range"].tolist() == [True, True, False, False, False, False]
    # Times: the ballistic closed form plus boost; the cruise distance over speed.
    psi = first["distance_km"].to_numpy() * 1000.0 / EARTH_RADIUS_M
    free = min_energy(psi).time_s / 60.0
    np.testing.assert_allclose(first["free_flight_min"], free, atol=0.051)
    np.testing.assert_allclose(first["flight_time_min_low"], free + 1.0, atol=0.051)
    np.testing.assert_allclose(first["flight_time_min_high"], free + 2.0, atol=0.051)
    np.testing.assert_allclose(first["burnout_speed_km_s"], min_energy(psi).speed_m_s / 1e3,
                               atol=5e-4)  # fmt: skip
    np.testing.assert_allclose(
        cruise["flight_time_min_low"], cruise["distance_km"] * 1000.0 / 250.0 / 60.0, atol=0.051
    )
    assert cruise["free_flight_min"].isna().all() and cruise["burnout_speed_km_s"].isna().all()


def test_flight_time_table_minimum_range(catalogue, timings):
    systems = find_systems(catalogue, ["df-26"]).assign(min_range_km=800.0)
    targets = _targets_around(30.0, 110.0, [(0, 500), (0, 900)])
    table = flight_time_table(systems=systems, sites=resolve_sites(["30,110"]),
                              targets=targets, timings=timings)  # fmt: skip
    assert table["in_range"].tolist() == [False, True]


def test_flight_time_table_with_no_systems_is_empty(catalogue, timings):
    table = flight_time_table(systems=find_systems(catalogue, ["df-26"]).iloc[:0],
                              sites=resolve_sites(["30,110"]),
                              targets=resolve_targets(["Tokyo"]), timings=timings)  # fmt: skip
    assert len(table) == 0 and tuple(table.columns) == FLIGHT_TIME_COLUMNS


def test_rotating_table_refuses_a_cruise_missile(catalogue, timings):
    systems = find_systems(catalogue, ["df-26", "cj-10"])
    with pytest.raises(FlightError, match=r"ballistic systems only; 'CJ-10 / DH-10' is cruise"):
        flight_time_table(systems=systems, sites=resolve_sites(["30,110"]),
                          targets=resolve_targets(["Tokyo"]), timings=timings,
                          rotating=True)  # fmt: skip


def test_rotating_table_reaches_farther_east_than_west(catalogue, timings):
    lat, lon = 30.0, 110.0
    systems = find_systems(catalogue, ["df-26"])
    assert float(systems["range_km"].iloc[0]) == 4_000.0
    targets = _targets_around(lat, lon, [(90.0, 4_160.0), (270.0, 4_160.0), (270.0, 3_900.0)])
    sites = resolve_sites([f"{lat},{lon}"])
    still = flight_time_table(systems=systems, sites=sites, targets=targets, timings=timings)
    turning = flight_time_table(systems=systems, sites=sites, targets=targets,
                                timings=timings, rotating=True)  # fmt: skip
    assert still["in_range"].tolist() == [False, False, True]
    assert turning["in_range"].tolist() == [True, False, False]
    assert (turning["model"] == "ballistic, minimum-energy, rotating Earth").all()
    assert (still["model"] == "ballistic, minimum-energy").all()
    np.testing.assert_allclose(turning["distance_km"], still["distance_km"])
    # The eastern target runs away during the flight, the western comes to meet it.
    east_t, west_t = turning["free_flight_min"].iloc[0], turning["free_flight_min"].iloc[1]
    assert east_t > still["free_flight_min"].iloc[0]
    assert west_t < still["free_flight_min"].iloc[1]
    # The factor in the targets' directions is what decides.
    f = rotating_factor(lat=lat, lon=lon, range_km=4_000.0)
    east_f, west_f = f(np.array([90.0, 270.0]))
    assert east_f * 4_000.0 > 4_160.0 and west_f * 4_000.0 < 3_900.0


def test_rotating_rings_draw_ballistic_rows_and_refuse_others(catalogue):
    from rangemap.rings import join_sites, radius_rows

    sites = resolve_sites(["30,110"])
    rows = join_sites(find_systems(catalogue, ["df-26"]), sites)
    eggs = flightgeo.rotating_rings(rows, catalogue)
    assert eggs.crs.to_epsg() == 4326
    assert eggs["model"].tolist() == ["ballistic, minimum-energy, rotating Earth"]
    egg = rotating_footprint(lat=30.0, lon=110.0, range_km=float(rows["radius_km"].iloc[0]))
    assert eggs.geometry.iloc[0].equals(egg)
    assert eggs["area_km2"].iloc[0] == pytest.approx(geodesic_area_m2(egg) / 1e6, abs=1e-3)
    with pytest.raises(FlightError, match=r"'CJ-10 / DH-10' is cruise"):
        flightgeo.rotating_rings(join_sites(find_systems(catalogue, ["cj-10"]), sites), catalogue)
    with pytest.raises(FlightError, match=r"'a bare radius' is not a catalogue system"):
        flightgeo.rotating_rings(radius_rows(sites, radius_km=1_000.0), catalogue)
