"""rangemap.geojson: RFC 7946 GeoJSON that GDAL and geopandas read unchanged; atomic writes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import geojson
import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from shapely.geometry import shape

from rangemap._io import write_atomic
from rangemap.errors import ExportError
from rangemap.geojson import dumps_geojson, to_geojson
from rangemap.rings import range_ring, range_rings

GOLDEN = Path(__file__).parent / "data" / "golden"


def _all_positions(coords):
    if coords and isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords:
            yield from _all_positions(c)


def test_geojson_is_rfc7946():
    fc = to_geojson(
        range_rings(["df-26", "9m729"], ["guam", "kaliningrad", "-17.7,178.1"], band="all")
    )
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    for feat in fc["features"]:
        props = feat["properties"]
        assert {"system", "site", "band", "radius_km", "sources"} <= set(props)
        geom = shape(feat["geometry"])
        assert geom.is_valid
        for pos in _all_positions(feat["geometry"]["coordinates"]):
            assert -180 <= pos[0] <= 180 and -90 <= pos[1] <= 90
            assert list(pos) == [round(v, 6) for v in pos]
        polys = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
        for p in polys:
            assert p.exterior.is_ccw and all(not h.is_ccw for h in p.interiors)


def test_geojson_loads_in_gdal_and_geopandas_unchanged(tmp_path):
    rings = range_rings(["df-26"], ["guam", "-17.7,178.1"])
    path = tmp_path / "rings.geojson"
    write_atomic(path, dumps_geojson(to_geojson(rings)))
    info = pyogrio.read_info(path)
    assert info["features"] == 2 and info["geometry_type"] in ("MultiPolygon", "Polygon", "Unknown")
    back = gpd.read_file(path)
    assert back.crs.to_epsg() == 4326
    for a, b in zip(rings.geometry, back.geometry, strict=True):
        assert shapely.equals_exact(
            shapely.set_precision(a, 1e-6), shapely.set_precision(b, 1e-6), tolerance=2e-6
        )
    assert list(back["site"]) == list(rings["site"])


def test_golden_ring_geojson():
    text = dumps_geojson(to_geojson(range_ring(lat=-17.7, lon=178.1, radius_km=500.0)))
    golden = GOLDEN / "ring_fiji_500km.geojson"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_nan_properties_become_null():
    fc = to_geojson(range_ring(lat=0.0, lon=0.0, radius_km=100.0))
    assert fc["features"][0]["properties"]["min_radius_km"] is None
    json.loads(dumps_geojson(fc))  # strict JSON: no NaN


def test_cjk_and_rtl_names_kept_intact():
    ring = range_ring(lat=26.2, lon=127.7, radius_km=100.0)
    ring["site"] = "沖縄 القاعدة"
    text = dumps_geojson(to_geojson(ring))
    assert "沖縄 القاعدة" in text


def test_non_wgs84_frame_is_refused():
    ring = range_ring(lat=0.0, lon=0.0, radius_km=100.0).to_crs(3857)
    with pytest.raises(ExportError, match="EPSG:4326"):
        to_geojson(ring)


def test_export_is_deterministic():
    a = dumps_geojson(to_geojson(range_rings(["df-26"], ["guam"])))
    b = dumps_geojson(to_geojson(range_rings(["df-26"], ["guam"])))
    assert a == b
    assert np.isfinite(json.loads(a)["features"][0]["properties"]["area_km2"])


@pytest.mark.parametrize(
    ("lat", "lon", "radius_km"),
    [
        (60.0, 179.9, 500.0),
        (60.0, 179.9, 5_500.0),
        (0.0, 0.0, 10_001.966),
        (-89.0, 10.0, 3_000.0),
        (10.0, -180.0, 19_999.0),
        (45.0, 45.0, 25_000.0),
    ],
    ids=[
        "antimeridian",
        "pole-and-antimeridian",
        "both-poles",
        "south-pole",
        "near-antipodal",
        "whole-globe",
    ],
)
def test_independent_validator_accepts_hard_cases(lat, lon, radius_km):
    """python-geojson (a separate implementation) validates the hard cases too."""
    ring = range_ring(lat=lat, lon=lon, radius_km=radius_km, min_radius_km=radius_km / 4)
    for text in (dumps_geojson(ring), dumps_geojson(to_geojson(ring))):
        obj = geojson.loads(text)
        assert obj.is_valid, obj.errors()
