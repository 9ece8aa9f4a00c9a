"""Region presets and the one region test (rangemap.regions)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from rangemap.errors import OptionError, RangemapError
from rangemap.polygons import WORLD
from rangemap.reach import coverage_table
from rangemap.regions import REGIONS, Region, in_region, region_polygon
from rangemap.rings import range_rings
from rangemap.targets import load_targets


def test_every_preset_has_a_box_and_a_polygon():
    assert set(REGIONS) == set(Region)
    for region, (west, south, east, north) in REGIONS.items():
        poly = region_polygon(region)
        assert poly.bounds == (west, south, east, north)
        assert poly.exterior.is_ccw
    assert region_polygon("world").equals(WORLD)


def test_an_unknown_region_is_an_option_error_listing_the_presets():
    message = r"region must be one of europe, east-asia, world; got 'mars'"
    with pytest.raises(OptionError, match=message):
        region_polygon("mars")
    with pytest.raises(RangemapError):  # and still a RangemapError, for the CLI and the app
        in_region(pd.DataFrame({"lat": [0.0], "lon": [0.0]}), "Europe")


def test_edges_count_as_inside_and_the_index_is_reset():
    west, south, east, north = REGIONS[Region.EUROPE]
    frame = pd.DataFrame(
        {"lat": [10.0, south, north, 50.0], "lon": [10.0, west, east, 10.0]}, index=[7, 8, 9, 10]
    )
    got = in_region(frame, "europe")
    assert got["lat"].tolist() == [south, north, 50.0]
    assert got.index.tolist() == [0, 1, 2]
    assert in_region(frame, None).index.tolist() == [0, 1, 2, 3]


def test_a_geodataframe_stays_a_geodataframe():
    caps = load_targets("capitals")
    got = in_region(caps, "east-asia")
    assert isinstance(got, gpd.GeoDataFrame) and got.crs.to_epsg() == 4326
    assert "Tokyo" in set(got["name"]) and "Paris" not in set(got["name"])
    inside = shapely.covers(region_polygon("east-asia"), shapely.points(got["lon"], got["lat"]))
    assert inside.all()


def test_coverage_table_and_the_dashboard_cut_agree():
    """Filtering a world table by region equals asking for the region (one test, not two)."""
    rings = range_rings(["df-26"], ["guam"])
    caps = load_targets("capitals")
    world = coverage_table(rings, caps)
    pd.testing.assert_frame_equal(
        in_region(world, "east-asia"), coverage_table(rings, caps, region="east-asia")
    )


def test_in_region_matches_coverage_table_region(capitals):
    from rangemap.reach import coverage_table

    rings = range_rings(["df-26"], ["guam"])
    world = coverage_table(rings, capitals)
    asia = coverage_table(rings, capitals, region="east-asia")
    cut = in_region(world, "east-asia")
    assert sorted(cut["target"]) == sorted(asia["target"]) and len(cut) < len(world)
