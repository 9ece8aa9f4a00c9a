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

import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import mapping

from rangemap.errors import ExportError

__all__ = ["COORD_DECIMALS", "dumps_geojson", "to_geojson", "write_atomic", "write_atomic_with"]

#: Decimal places kept in coordinates: 1e-6 degrees is at most 0.11 m.
COORD_DECIMALS = 6


def _round_array(coords: np.ndarray) -> np.ndarray:
    return np.round(coords, COORD_DECIMALS) + 0.0


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
            # Round in numpy (adding 0.0 turns -0.0 into 0.0); mapping gives nested tuples,
            # which json writes as arrays.
            geometry = dict(mapping(shapely.transform(geom, _round_array)))
        props = {c: _json_value(v) for c, v in zip(cols, values, strict=True)}
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def dumps_geojson(collection: Mapping[str, Any] | gpd.GeoDataFrame) -> str:
    """Deterministic GeoJSON text: sorted keys, UTF-8 kept as is, newline at the end.

    Parameters
    ----------
    collection : mapping or geopandas.GeoDataFrame
        A FeatureCollection from :func:`to_geojson`, or a GeoDataFrame in EPSG:4326. A
        GeoDataFrame takes the fast path: GEOS writes the (rounded, oriented) geometries in
        C, which is several times faster than building and dumping nested lists. Both give
        the same features; a geometry's members come ``type`` first on the fast path.

    Returns
    -------
    str
        The FeatureCollection as text.

    Raises
    ------
    ExportError
        If a GeoDataFrame is in another CRS.

    Examples
    --------
    >>> from rangemap.rings import range_ring
    >>> ring = range_ring(lat=0.0, lon=179.5, radius_km=100.0)
    >>> text = dumps_geojson(ring)
    >>> json.loads(text)["features"][0]["geometry"] == json.loads(
    ...     dumps_geojson(to_geojson(ring)))["features"][0]["geometry"]
    True
    """
    if isinstance(collection, gpd.GeoDataFrame):
        return _dumps_frame(collection)
    return json.dumps(collection, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def _geometry_texts(geoms: np.ndarray) -> np.ndarray:
    """GeoJSON text of each geometry, rounded; in slices over threads (GEOS frees the GIL)."""

    def write(part: np.ndarray) -> np.ndarray:
        return np.asarray(shapely.to_geojson(shapely.transform(part, _round_array)))

    workers = min(os.cpu_count() or 1, len(geoms) // 64)
    if workers <= 1:
        return write(geoms)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return np.concatenate(list(pool.map(write, np.array_split(geoms, workers))))


def _dumps_frame(frame: gpd.GeoDataFrame) -> str:
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        raise ExportError(f"GeoJSON needs EPSG:4326 coordinates, got CRS {frame.crs!r}")
    geoms = frame.geometry.to_numpy()
    empty = shapely.is_empty(geoms) | shapely.is_missing(geoms)
    areal = np.isin(shapely.get_type_id(geoms), [3, 6])  # Polygon, MultiPolygon
    geoms = np.where(areal & ~empty, shapely.orient_polygons(geoms, exterior_cw=False), geoms)
    texts = _geometry_texts(geoms)
    cols = [c for c in frame.columns if c != frame.geometry.name]
    parts = []
    for geom_text, is_empty, values in zip(
        texts, empty, frame[cols].itertuples(index=False), strict=True
    ):
        props = {c: _json_value(v) for c, v in zip(cols, values, strict=True)}
        parts.append(
            '{"geometry":' + ("null" if is_empty else str(geom_text)) + ',"properties":'
            + json.dumps(props, sort_keys=True, ensure_ascii=False, allow_nan=False)
            + ',"type":"Feature"}'
        )  # fmt: skip
    return '{"features":[' + ",".join(parts) + '],"type":"FeatureCollection"}\n'


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
