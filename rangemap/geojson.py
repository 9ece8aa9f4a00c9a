"""GeoJSON (RFC 7946): the one writer of features, for exports and for the map.

Public functions
----------------
to_geojson
    A GeoDataFrame of rings, sites or targets as an RFC 7946 FeatureCollection (dict).
dumps_geojson
    The same as deterministic text (sorted keys, rounded coordinates).
geometry_object
    One geometry as a GeoJSON geometry object (polygons oriented, coordinates rounded,
    kept as numpy arrays for orjson); the map (:mod:`rangemap.mapview`) uses it too.
round_geometry
    A shapely geometry with its coordinates rounded as every export rounds them.

Files are written with :func:`rangemap._io.write_atomic`.

RFC 7946 points honoured: no ``crs`` member (section 4: WGS84 lon/lat only); positions
``[lon, lat]``; polygons crossing the antimeridian are already split (section 3.1.9) by
:mod:`rangemap.polygons`; exterior rings counter-clockwise, holes clockwise (section
3.1.6); coordinates rounded to 1e-6 degrees (about 0.1 m, section 11.2 advises against
needless precision).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

from rangemap.errors import ExportError

__all__ = [
    "COORD_DECIMALS",
    "dumps_geojson",
    "geometry_object",
    "round_geometry",
    "to_geojson",
]

#: Decimal places kept in coordinates: 1e-6 degrees is at most 0.11 m.
COORD_DECIMALS = 6


def _round_array(coords: np.ndarray, decimals: int = COORD_DECIMALS) -> np.ndarray:
    # Adding 0.0 turns -0.0 into 0.0.
    return np.round(coords, decimals) + 0.0


def round_geometry(geom: Any) -> Any:
    """Round a geometry's coordinates to :data:`COORD_DECIMALS` (as every export does).

    Adding 0.0 after rounding turns -0.0 into 0.0. Empty and missing geometries pass
    through.

    Examples
    --------
    >>> import shapely
    >>> round_geometry(shapely.Point(1.23456789, -0.0000001)).wkt
    'POINT (1.234568 0)'
    """
    if geom is None or geom.is_empty:
        return geom
    return shapely.transform(geom, _round_array)


def _json_value(value: Any) -> Any:
    """Make a property value JSON-safe: NaN/None -> null, numpy scalars -> Python."""
    if value is None:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return None if not math.isfinite(f) else f
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is pd.NA:
        return None
    return value if isinstance(value, (str, int)) else str(value)


def _round_polygon(poly: Polygon, decimals: int) -> list[np.ndarray]:
    return [
        _round_array(np.asarray(ring.coords), decimals) for ring in (poly.exterior, *poly.interiors)
    ]


def geometry_object(
    geom: Any, *, decimals: int = COORD_DECIMALS, multi: bool = False
) -> dict[str, Any] | None:
    """Build a GeoJSON geometry object: polygons oriented per RFC 7946, coordinates rounded.

    Polygon coordinates stay numpy arrays (rounded with numpy, not one Python call per
    number), which :func:`dumps_geojson` and the map's serialiser (orjson) write directly.

    Parameters
    ----------
    geom : shapely geometry or None
        Lon/lat degrees.
    decimals : int
        Decimal places of a degree kept (default :data:`COORD_DECIMALS`).
    multi : bool
        Write every polygon as a MultiPolygon (what the map's layers expect).

    Returns
    -------
    dict or None
        ``None`` for a missing or empty geometry.

    Examples
    --------
    >>> import shapely
    >>> geometry_object(shapely.Point(139.691706, 35.689487), decimals=2)
    {'type': 'Point', 'coordinates': (139.69, 35.69)}
    >>> square = shapely.box(0, 0, 1, 1, ccw=False)  # clockwise: turned counter-clockwise
    >>> geometry_object(square, multi=True)["coordinates"][0][0].tolist()[:3]
    [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]
    >>> geometry_object(shapely.Polygon()) is None
    True
    """
    if geom is None or geom.is_empty:
        return None
    if isinstance(geom, (Polygon, MultiPolygon)):
        geom = shapely.orient_polygons(geom, exterior_cw=False)
        if isinstance(geom, Polygon) and not multi:
            return {"type": "Polygon", "coordinates": _round_polygon(geom, decimals)}
        parts = shapely.get_parts(geom)
        return {"type": "MultiPolygon", "coordinates": [_round_polygon(p, decimals) for p in parts]}
    rounded = shapely.transform(geom, lambda c: _round_array(c, decimals))
    return dict(mapping(rounded))


def _features(frame: gpd.GeoDataFrame, properties: list[str] | None) -> list[dict[str, Any]]:
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        raise ExportError(f"GeoJSON needs EPSG:4326 coordinates, got CRS {frame.crs!r}")
    geom_col = frame.geometry.name
    cols = properties if properties is not None else [c for c in frame.columns if c != geom_col]
    return [
        {
            "type": "Feature",
            "properties": {c: _json_value(v) for c, v in zip(cols, values, strict=True)},
            "geometry": geometry_object(geom),
        }
        for values, geom in zip(frame[cols].itertuples(index=False), frame.geometry, strict=True)
    ]


def to_geojson(frame: gpd.GeoDataFrame, *, properties: list[str] | None = None) -> dict[str, Any]:
    """Convert a GeoDataFrame in EPSG:4326 to an RFC 7946 FeatureCollection.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Rings, sites or targets; must be in EPSG:4326 (or have no CRS).
    properties : list of str, optional
        Columns to keep as properties (default: every non-geometry column).

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "features": [...]}``; coordinates are plain
        nested lists.

    Raises
    ------
    ExportError
        If the frame is in another CRS.

    Examples
    --------
    >>> from rangemap.rings import range_ring
    >>> fc = to_geojson(range_ring(lat=-17.7, lon=178.1, radius_km=1000))
    >>> fc["features"][0]["geometry"]["type"], "crs" in fc
    ('MultiPolygon', False)
    """
    features = _features(frame, properties)
    for feature in features:
        geometry = feature["geometry"]
        if geometry is not None and geometry["type"] in ("Polygon", "MultiPolygon"):
            geometry["coordinates"] = _as_lists(geometry["coordinates"])
    return {"type": "FeatureCollection", "features": features}


def _as_lists(coords: Any) -> Any:
    """Nested lists of numpy coordinate arrays as plain nested lists."""
    if isinstance(coords, np.ndarray):
        return coords.tolist()
    return [_as_lists(c) for c in coords]


def dumps_geojson(
    collection: Mapping[str, Any] | gpd.GeoDataFrame, *, properties: list[str] | None = None
) -> str:
    """Deterministic GeoJSON text: sorted keys, compact, UTF-8 kept as is, newline at the end.

    Parameters
    ----------
    collection : mapping or geopandas.GeoDataFrame
        A FeatureCollection (as from :func:`to_geojson`), or a GeoDataFrame in EPSG:4326,
        written directly: orjson serialises the rounded numpy coordinate arrays in C,
        several times faster than the standard library.
    properties : list of str, optional
        For a GeoDataFrame, the columns to keep as properties (default: all).

    Returns
    -------
    str
        The FeatureCollection as text; the same for a frame and its :func:`to_geojson`.

    Raises
    ------
    ExportError
        If a GeoDataFrame is in another CRS.

    Examples
    --------
    >>> from rangemap.rings import range_ring
    >>> ring = range_ring(lat=0.0, lon=179.5, radius_km=100.0)
    >>> dumps_geojson(ring) == dumps_geojson(to_geojson(ring))
    True
    """
    if isinstance(collection, gpd.GeoDataFrame):
        collection = {"type": "FeatureCollection", "features": _features(collection, properties)}
    # Property values are already JSON-safe (_json_value turns NaN into null).
    text = orjson.dumps(collection, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_SORT_KEYS)
    return text.decode("utf-8") + "\n"
