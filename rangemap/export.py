"""GeoJSON (RFC 7946) output, written atomically.

Public functions
----------------
to_geojson
    A GeoDataFrame of rings, sites or targets as an RFC 7946 FeatureCollection (dict).
dumps_geojson
    The same as deterministic text (sorted keys, rounded coordinates).
write_atomic, write_atomic_with
    Write a file through a temporary file and a rename, so that an error never leaves a
    half-written file.

RFC 7946 points honoured: no ``crs`` member (section 4: WGS84 lon/lat only); positions
``[lon, lat]``; polygons crossing the antimeridian are already split (section 3.1.9) by
:mod:`rangemap.coverage`; exterior rings counter-clockwise, holes clockwise (section
3.1.6); coordinates rounded to 1e-6 degrees (about 0.1 m, section 11.2 advises against
needless precision).
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
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
    "round_geometry",
    "to_geojson",
    "write_atomic",
    "write_atomic_with",
]

#: Decimal places kept in coordinates: 1e-6 degrees is at most 0.11 m.
COORD_DECIMALS = 6


def _round_array(coords: np.ndarray) -> np.ndarray:
    return np.round(coords, COORD_DECIMALS) + 0.0


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


def _round_polygon(poly: Polygon) -> list[np.ndarray]:
    return [_round_array(np.asarray(ring.coords)) for ring in (poly.exterior, *poly.interiors)]


def _geometry_object(geom: Any) -> dict[str, Any] | None:
    """Build a GeoJSON geometry: polygons oriented per RFC 7946, coordinates rounded."""
    if geom is None or geom.is_empty:
        return None
    if isinstance(geom, (Polygon, MultiPolygon)):
        geom = shapely.orient_polygons(geom, exterior_cw=False)
        if isinstance(geom, Polygon):
            return {"type": "Polygon", "coordinates": _round_polygon(geom)}
        return {"type": "MultiPolygon", "coordinates": [_round_polygon(p) for p in geom.geoms]}
    return dict(mapping(round_geometry(geom)))


def _features(frame: gpd.GeoDataFrame, properties: list[str] | None) -> list[dict[str, Any]]:
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        raise ExportError(f"GeoJSON needs EPSG:4326 coordinates, got CRS {frame.crs!r}")
    geom_col = frame.geometry.name
    cols = properties if properties is not None else [c for c in frame.columns if c != geom_col]
    return [
        {
            "type": "Feature",
            "properties": {c: _json_value(v) for c, v in zip(cols, values, strict=True)},
            "geometry": _geometry_object(geom),
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


def write_atomic_with(path: str | os.PathLike[str], writer: Callable[[Path], object]) -> Path:
    """Let ``writer`` make a file at a temporary path, then rename it onto ``path``.

    The temporary path lies in a fresh hidden folder next to ``path`` (same file system,
    so the rename is atomic) and keeps ``path``'s name, so drivers that go by the suffix
    (GDAL's LIBKML and GPKG) see the right one; the file gets the permissions the user's
    umask gives new files. On any error, or an interrupt, the folder is removed and
    ``path`` is left as it was.

    Parameters
    ----------
    path : path-like
        Destination.
    writer : callable
        Called with the temporary path; must create that file.

    Returns
    -------
    pathlib.Path
        The destination.

    Raises
    ------
    ExportError
        If the folder is missing or unwritable, ``path`` is a folder, or the writer fails
        with an OS error (callers translate their own library's errors).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic_with(d / "a.txt", lambda p: p.write_text("hi")).read_text()
    'hi'
    >>> def broken(p):
    ...     p.write_text("half")
    ...     raise OSError(28, "No space left on device")
    >>> write_atomic_with(d / "b.txt", broken)
    Traceback (most recent call last):
    ...
    rangemap.errors.ExportError: cannot write ...b.txt': No space left on device
    >>> sorted(p.name for p in d.iterdir())
    ['a.txt']
    """
    dest = Path(path)
    folder = dest.parent if str(dest.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {str(dest)!r}: folder {str(folder)!r} does not exist")
    if dest.is_dir():
        raise ExportError(f"cannot write {str(dest)!r}: it is a folder")
    try:
        tmpdir = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=folder))
    except OSError as exc:
        raise ExportError(f"cannot write {str(dest)!r}: {exc.strerror}") from None
    try:
        tmp = tmpdir / dest.name
        writer(tmp)
        if not tmp.is_file():
            raise ExportError(f"cannot write {str(dest)!r}: the writer made no file")
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    except OSError as exc:
        raise ExportError(f"cannot write {str(dest)!r}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return dest


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write bytes, or text as UTF-8, atomically (see :func:`write_atomic_with`).

    Parameters
    ----------
    path : path-like
        Destination.
    data : str or bytes
        Content.

    Returns
    -------
    pathlib.Path
        The destination.

    Raises
    ------
    ExportError
        If the folder does not exist or cannot be written; the destination is untouched.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    return write_atomic_with(path, lambda tmp: tmp.write_bytes(payload))
