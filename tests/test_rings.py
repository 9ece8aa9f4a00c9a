"""rangemap.rings: the ring cache (bounded by ring count and by an estimate of bytes).

Rings themselves (joins, radii, geometry properties) are tested in test_sites.py,
test_polygons.py and test_reach.py.
"""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

from rangemap import rings
from rangemap.catalogue import find_systems, load_catalogue
from rangemap.errors import SiteError
from rangemap.rings import MAX_VIEW_RINGS, join_sites, radius_rows, rings_for
from rangemap.sites import site_frame


def _sites(n: int):
    return site_frame([{"id": f"s{i}", "name": f"S{i}", "lat": 10.0 * i, "lon": 20.0 * i}
                       for i in range(n)])  # fmt: skip


def test_regression_15_ring_cache_is_bounded_by_bytes(monkeypatch):
    """Check fix for a ring cache bounded by count only (issue 15: a 131 KB upload took the
    server from 0.3 to 4.7 GB, which stayed): past a byte budget the least recently used
    rings go, and answers are the same with or without them."""
    monkeypatch.setattr(rings, "_CACHE", rings._RingCache())
    rows = radius_rows(_sites(5), radius_km=500.0)
    keys = [rings._key(lat, lon, 500.0, float("nan"))
            for lat, lon in zip(rows["lat"], rows["lon"], strict=True)]  # fmt: skip
    fresh = rings_for(rows)  # every ring fits while the limit is the default
    sizes = rings._ring_bytes(fresh.geometry)
    assert len(rings._CACHE) == 5 and rings._CACHE.n_bytes == sum(sizes)
    rings._CACHE.clear()
    assert rings._CACHE.n_bytes == 0
    budget = sizes[3] + sizes[4] + 1  # room for two rings, not three
    monkeypatch.setattr(rings, "_CACHE_MAX_BYTES", budget)
    again = rings_for(rows)
    assert len(rings._CACHE) == 2 and rings._CACHE.n_bytes <= budget
    # The last two computed are kept: the least recently used went first.
    assert set(rings._CACHE.get_many(keys)) == {keys[3], keys[4]}
    assert shapely.equals(again.geometry.to_numpy(), fresh.geometry.to_numpy()).all()
    assert again["area_km2"].tolist() == fresh["area_km2"].tolist()
    # A hit counts as a use: ring 3 drawn again outlives ring 4 when ring 0 comes in.
    rings_for(rows.iloc[[3]])
    rings_for(rows.iloc[[0]])
    assert set(rings._CACHE.get_many(keys)) == {keys[3], keys[0]}


def test_ring_cache_count_limit_and_rings_larger_than_the_cache(monkeypatch):
    monkeypatch.setattr(rings, "_CACHE", rings._RingCache())
    monkeypatch.setattr(rings, "_CACHE_LIMIT", 3)
    rows = radius_rows(_sites(5), radius_km=300.0)
    drawn = rings_for(rows)
    assert len(rings._CACHE) == 3
    monkeypatch.setattr(rings, "_CACHE_MAX_BYTES", 100)  # smaller than any ring
    rings._CACHE.clear()
    assert rings_for(rows)["area_km2"].tolist() == drawn["area_km2"].tolist()
    assert len(rings._CACHE) == 0 and rings._CACHE.n_bytes == 0


def test_regression_15_a_view_past_its_ring_budget_is_refused_before_the_work():
    """A 10,000-site upload under four figures held the dashboard's server for 100 s."""
    systems = find_systems(load_catalogue(), ["9m729", "iskander-m"])  # 4 figures, band all
    sites = pd.DataFrame({"id": [f"s{i}" for i in range(2_501)], "name": "x", "lat": 0.0,
                          "lon": 0.0})  # fmt: skip
    with pytest.raises(SiteError, match=r"10,004 rings \(4 range figures x 2,501 sites\)"):
        join_sites(systems, sites, band="all", max_rings=MAX_VIEW_RINGS)
    rows = join_sites(systems, sites.iloc[:2_500], band="all", max_rings=MAX_VIEW_RINGS)
    assert len(rows) == MAX_VIEW_RINGS
    assert len(join_sites(systems, sites, band="all")) == 10_004  # no budget: no limit
