"""Grid files: the cells of a threat density as GeoPackage, GeoParquet or GeoJSON.

Kept beside :mod:`rangemap.formats` (whose GDAL writer it uses) so that neither grows
past the house's 700 lines.

Public names
------------
GridFormat
    The formats.
write_grid
    Write grid cells to a file, atomically.
grid_bytes
    The same file's bytes (for a download).
"""

from __future__ import annotations

import os
import tempfile
from enum import StrEnum
from pathlib import Path

import geopandas as gpd

from rangemap._io import suffix_format, write_atomic
from rangemap.errors import parse_option
from rangemap.formats import write_gdal
from rangemap.geojson import dumps_geojson

__all__ = ["GridFormat", "grid_bytes", "write_grid"]


class GridFormat(StrEnum):
    """Formats :func:`write_grid` writes."""

    GPKG = "gpkg"
    PARQUET = "parquet"
    GEOJSON = "geojson"


def write_grid(
    cells: gpd.GeoDataFrame, path: str | os.PathLike[str], format: str | None = None,
    *, layer: str = "density",
) -> Path:  # fmt: skip
    """Write grid cells (one feature per cell) as GeoPackage, GeoParquet or GeoJSON.

    The columns only: the grid's resolution, date and method (the frame's ``attrs``) go
    in the command line's methods note.

    Parameters
    ----------
    cells : geopandas.GeoDataFrame
        From :func:`rangemap.density.threat_density`, EPSG:4326.
    path : path-like
    format : {"gpkg", "parquet", "geojson"}, optional
        Default from the suffix (``.json`` counts as GeoJSON).

    Raises
    ------
    OptionError
        For an unknown format, listing the valid ones.
    ExportError
        For a failed write (nothing is left behind).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from rangemap.density import threat_density
    >>> d = threat_density(nside=2, as_of="1987-12-08", scheduler="serial")
    >>> out = write_grid(d, pathlib.Path(tempfile.mkdtemp()) / "d.parquet")
    >>> int(gpd.read_parquet(out)["pairs"].sum()) == int(d["pairs"].sum())
    True
    >>> write_grid(d, "d.kml")
    Traceback (most recent call last):
    ...
    rangemap.errors.OptionError: grid format must be one of gpkg, parquet, geojson; got 'kml'
    """
    named = format.lower() if format else suffix_format(path)
    fmt = parse_option(GridFormat, "geojson" if named == "json" else named, what="grid format")
    frame = gpd.GeoDataFrame(cells.reset_index(drop=True), crs="EPSG:4326")
    if fmt is GridFormat.GEOJSON:
        return write_atomic(path, dumps_geojson(frame))
    if fmt is GridFormat.PARQUET:

        def parquet(tmp: Path) -> None:
            frame.to_parquet(tmp, index=False)

        return write_atomic(path, parquet)
    kind = "MultiPolygon" if set(frame.geom_type) - {"Point"} else "Point"
    return write_gdal(path, "GPKG", [(layer, frame, kind)])


def grid_bytes(cells: gpd.GeoDataFrame, format: str) -> bytes:
    """Return the bytes :func:`write_grid` would write, e.g. for a dashboard download.

    Examples
    --------
    >>> from rangemap.density import threat_density
    >>> d = threat_density(nside=1, as_of="2026", scheduler="serial")
    >>> grid_bytes(d, "parquet")[:4], grid_bytes(d, "gpkg")[:15]
    (b'PAR1', b'SQLite format 3')
    """
    with tempfile.TemporaryDirectory(prefix="rangemap-grid-") as folder:
        fmt = parse_option(GridFormat, format, what="grid format")
        return write_grid(cells, Path(folder) / f"grid.{fmt.value}", fmt.value).read_bytes()
