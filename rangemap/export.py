"""GeoJSON (RFC 7946) output, written atomically.

Public functions
----------------
to_geojson
    A GeoDataFrame of rings, sites or targets as an RFC 7946 FeatureCollection (dict).
dumps_geojson
    The same as deterministic text (sorted keys, rounded coordinates).
write_atomic
    Write bytes or text to a path through a temporary file and a rename, so that an
    error never leaves a half-written file.

RFC 7946 points honoured: no ``crs`` member (section 4: WGS84 lon/lat only); positions
``[lon, lat]``; polygons crossing the antimeridian are already split (section 3.1.9) by
:mod:`rangemap.coverage`; exterior rings counter-clockwise, holes clockwise (section
3.1.6); coordinates rounded to 1e-6 degrees (about 0.1 m, section 11.2 advises against
needless precision).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import mapping

from rangemap.errors import ExportError

__all__ = ["COORD_DECIMALS", "dumps_geojson", "to_geojson", "write_atomic"]

#: Decimal places kept in coordinates: 1e-6 degrees is at most 0.11 m.
COORD_DECIMALS = 6


def _round_coords(obj: Any) -> Any:
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), COORD_DECIMALS) + 0.0 for v in obj]
        return [_round_coords(v) for v in obj]
    return obj


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
    if value is getattr(__import__("pandas"), "NA", object()):
        return None
    return value if isinstance(value, (str, int)) else str(value)


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
        ``{"type": "FeatureCollection", "features": [...]}``.

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
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        raise ExportError(f"GeoJSON needs EPSG:4326 coordinates, got CRS {frame.crs!r}")
    geom_col = frame.geometry.name
    cols = properties if properties is not None else [c for c in frame.columns if c != geom_col]
    features = []
    for values, geom in zip(frame[cols].itertuples(index=False), frame.geometry, strict=True):
        if geom is None or geom.is_empty:
            geometry = None
        else:
            if geom.geom_type in ("Polygon", "MultiPolygon"):
                geom = shapely.orient_polygons(geom, exterior_cw=False)
            geometry = dict(mapping(geom))
            geometry["coordinates"] = _round_coords(geometry["coordinates"])
        props = {c: _json_value(v) for c, v in zip(cols, values, strict=True)}
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def dumps_geojson(collection: Mapping[str, Any]) -> str:
    """Deterministic GeoJSON text: sorted keys, UTF-8 kept as is, newline at the end."""
    return json.dumps(collection, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write a file through a temporary file in the same folder, then rename it in place.

    Parameters
    ----------
    path : path-like
        Destination.
    data : str or bytes
        Content; text is written as UTF-8.

    Returns
    -------
    pathlib.Path
        The destination.

    Raises
    ------
    ExportError
        If the folder does not exist or cannot be written; the destination is untouched.
    """
    dest = Path(path)
    folder = dest.parent if str(dest.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {str(dest)!r}: folder {str(folder)!r} does not exist")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportError(f"cannot write {str(dest)!r}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ExportError(f"cannot write {str(dest)!r}: {exc.strerror}") from None
        raise
    return dest
