"""rangemap.anyreach: the union of many rings' bands, the same as every distance computed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rangemap.anyreach as anyreach
from rangemap.anyreach import reached_by_any
from rangemap.geodesy import WGS84, geodesic_distance_m
from rangemap.reach import band_masks, settle_by_site


def _per_site(lat, lon, site_lat, site_lon, hi, lo) -> np.ndarray:
    """The answer one site at a time (rangemap.reach's settlers), as before issue 15/13."""
    rings = pd.DataFrame({"lat": site_lat, "lon": site_lon, "radius_km": hi, "min_radius_km": lo})
    reached = np.zeros(len(lat), dtype=bool)
    for _, first, last, settled in settle_by_site(rings, lat=lat, lon=lon):
        reached |= band_masks(first, last, settled).any(axis=1)
    return reached


def _every_distance(lat, lon, site_lat, site_lon, hi, lo) -> tuple[np.ndarray, np.ndarray]:
    """In any band by the full distance matrix; and which points lie within 1 mm of an edge."""
    s_lat, s_lon = np.asarray(site_lat)[None, :], np.asarray(site_lon)[None, :]
    d_m = geodesic_distance_m(lat1=s_lat, lon1=s_lon, lat2=np.asarray(lat)[:, None],
                              lon2=np.asarray(lon)[:, None])  # fmt: skip
    d_km = d_m / 1e3
    lo0 = np.nan_to_num(np.asarray(lo, dtype=float), nan=0.0)[None, :]
    hi0 = np.asarray(hi, dtype=float)[None, :]
    inside = ((d_km >= lo0) & (d_km <= hi0)).any(axis=1)
    edge = ((np.abs(d_km - hi0) < 1e-6) | ((lo0 > 0) & (np.abs(d_km - lo0) < 1e-6))).any(axis=1)
    return inside, edge


def _points(sites_lat, sites_lon, hi, lo, seed: int, n_random: int = 400):
    """Random points on the globe, plus points exactly on each ring's edges and the sites."""
    rng = np.random.default_rng(seed)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n_random)))
    lon = rng.uniform(-180, 180, n_random)
    k = rng.integers(0, len(sites_lat), 120)
    radius = np.where(rng.random(120) < 0.5, hi[k], np.nan_to_num(lo[k], nan=0.0))
    elon, elat, _ = WGS84.fwd(sites_lon[k], sites_lat[k], rng.uniform(-180, 180, 120),
                              radius * 1000.0)  # fmt: skip
    return (np.concatenate([lat, elat, sites_lat]), np.concatenate([lon, elon, sites_lon]))


SITE_SETS = {
    "anywhere": lambda rng, n: (rng.uniform(-90, 90, n), rng.uniform(-180, 180, n)),
    "near a pole": lambda rng, n: (rng.uniform(84, 90, n), rng.uniform(-180, 180, n)),
    "on the antimeridian": lambda rng, n: (rng.uniform(-5, 5, n),
                                           rng.choice([-180.0, 180.0, 179.99, -179.99], n)),
    "a tight cluster": lambda rng, n: (rng.uniform(50, 51, n), rng.uniform(20, 21, n)),
    "on a grid (ties)": lambda rng, n: (np.round(rng.uniform(-3, 3, n)),
                                        np.round(rng.uniform(-3, 3, n))),
}  # fmt: skip


@given(
    kind=st.sampled_from(sorted(SITE_SETS)),
    n_sites=st.integers(1, 40),
    radii=st.lists(st.sampled_from([1.0, 50.0, 480.0, 500.0, 2500.0, 5500.0, 10_008.0,
                                    15_000.0, 19_990.0, 20_004.0, 25_000.0]),
                   min_size=1, max_size=4),
    holes=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
)  # fmt: skip
def test_the_union_is_every_distance_computed(kind, n_sites, radii, holes, seed):
    """Property: the same answer as the per-site settlers, and as the full distance matrix
    away from the edges; rings across the antimeridian, at poles, past a quarter meridian
    and past the antipodal distance, with minimum ranges (holes) other sites may fill."""
    rng = np.random.default_rng(seed)
    lat, lon = SITE_SETS[kind](rng, n_sites)
    hi = rng.choice(np.asarray(radii), n_sites)
    lo = np.where(rng.random(n_sites) < holes, rng.uniform(0.0, 1.0, n_sites) * hi, np.nan)
    lo = np.where(rng.random(n_sites) < 0.3, np.round(lo, -1), lo)  # ties between bands
    plat, plon = _points(lat, lon, hi, lo, seed)
    got = reached_by_any(lat=plat, lon=plon, site_lat=lat, site_lon=lon, radius_km=hi,
                         min_radius_km=lo)  # fmt: skip
    np.testing.assert_array_equal(got, _per_site(plat, plon, lat, lon, hi, lo))
    inside, edge = _every_distance(plat, plon, lat, lon, hi, lo)
    np.testing.assert_array_equal(got[~edge], inside[~edge])


def test_a_point_exactly_on_a_range_or_a_minimum_range_is_in_its_band():
    lon, lat, _ = WGS84.fwd([10.0, 10.0, 10.0], [50.0] * 3, [0.0, 90.0, 200.0],
                            [500e3, 100e3, 99_999.0])  # fmt: skip
    d_km = geodesic_distance_m(lat1=50.0, lon1=10.0, lat2=lat, lon2=lon) / 1e3
    got = reached_by_any(lat=lat, lon=lon, site_lat=[50.0], site_lon=[10.0],
                         radius_km=[d_km[0]], min_radius_km=[d_km[1]])  # fmt: skip
    assert got.tolist() == [True, True, False]  # on the range, on the minimum, inside it


def test_a_hole_is_filled_by_another_sites_band_and_touching_bands_join():
    # Minimum range 300 km at 0,0; a second site 400 km east reaches the hole's centre.
    east = float(WGS84.fwd(0.0, 0.0, 90.0, 400e3)[0])
    got = reached_by_any(lat=[0.0, 0.0], lon=[0.0, -1.0], site_lat=[0.0, 0.0],
                         site_lon=[0.0, east], radius_km=[1000.0, 450.0],
                         min_radius_km=[300.0, 0.0])  # fmt: skip
    assert got.tolist() == [True, False]
    # [0, 300] and [300, 500] at one site are one disc of 500 km.
    at_300 = WGS84.fwd(0.0, 0.0, 45.0, 300e3)
    got = reached_by_any(lat=[at_300[1], 0.0], lon=[at_300[0], 4.0], site_lat=[0.0, 0.0],
                         site_lon=[0.0, 0.0], radius_km=[300.0, 500.0],
                         min_radius_km=[0.0, 300.0])  # fmt: skip
    assert got.tolist() == [True, True]


def test_no_points_or_no_rings_reach_nothing():
    assert reached_by_any(lat=[], lon=[], site_lat=[0], site_lon=[0], radius_km=[1]).size == 0
    assert not reached_by_any(lat=[0], lon=[0], site_lat=[], site_lon=[], radius_km=[]).any()


def test_many_sites_cost_exact_distances_only_near_the_edges(monkeypatch):
    """Issue 15 item 13: a 2,500-site upload settled 112,320 settlements one site at a
    time (280 million pairs, a minute). The union asks GeographicLib only near an edge."""
    rng = np.random.default_rng(7)
    site_lat, site_lon = rng.uniform(-5, 5, 2500), rng.uniform(0, 12, 2500)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, 20_000)))
    lon = rng.uniform(-180, 180, 20_000)
    pairs = []

    def counted(**kw):
        pairs.append(np.size(kw["lat2"]))
        return geodesic_distance_m(**kw)

    monkeypatch.setattr(anyreach, "geodesic_distance_m", counted)
    hi = np.tile([500.0, 2500.0], 1250)
    lo = np.tile([50.0, np.nan], 1250)
    got = reached_by_any(lat=lat, lon=lon, site_lat=site_lat, site_lon=site_lon, radius_km=hi,
                         min_radius_km=lo)  # fmt: skip
    assert 0 < got.sum() < got.size
    assert sum(pairs) < 0.001 * 20_000 * 2500  # under 50,000 of 50 million pairs


@pytest.mark.parametrize(("radius_km", "reaches"), [(19_990.0, False), (20_004.0, True),
                                                    (30_000.0, True)])  # fmt: skip
def test_a_ring_reaches_the_antipode_only_past_half_a_meridian(radius_km, reaches):
    # Antipodes are 20,003.93 km apart (over a pole) whatever the latitude.
    got = reached_by_any(lat=[-10.0, 10.0], lon=[-150.0, 30.0], site_lat=[10.0],
                         site_lon=[30.0], radius_km=[radius_km],
                         min_radius_km=[19_000.0])  # fmt: skip
    assert got.tolist() == [reaches, False]
