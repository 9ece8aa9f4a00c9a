"""Rings, sites and targets as layers for Google Earth (KML), QGIS (GeoPackage) and spreadsheets.

Three layers travel together (:class:`rangemap.layers.Layers`): ``rings`` (one polygon
per system, site and band), ``sites`` (launch points) and ``targets`` (points in range of
at least one ring, with the exact geodesic distance to the nearest site that reaches
them). They are written as:

- **KML** through GDAL's LIBKML driver (``pyogrio.write_dataframe``): one folder per layer,
  every placemark styled by its system's colour through an OGR style string (the
  ``OGR_STYLE`` field, which LIBKML turns into a KML ``<Style>``), with an HTML
  ``<description>`` giving the figures, their sources and the method. GDAL is kept by
  OSGeo, ships inside the pyogrio wheels and is the same writer as the GeoPackage, so the
  two files hold the same features; it styles per feature, which is why simplekml
  (last released 2021) or fastkml are not needed. Every value put into a description is
  HTML-escaped, so a name like ``<b>&`` shows as typed and cannot inject markup; control
  characters XML cannot hold become U+FFFD. GDAL 3.12's LIBKML writer crashes (SIGSEGV)
  on a ``SYMBOL`` style without an ``id``; every symbol here names its icon.
- **GeoPackage** through GDAL's GPKG driver: layers ``rings``, ``sites``, ``targets``.
- **CSV**: one row per feature of all three layers, a ``layer`` column first and the
  geometry as WKT (1e-6 degrees) last, UTF-8 with a byte-order mark so spreadsheet
  programs keep CJK and right-to-left names intact. Text a spreadsheet would run as a
  formula (``=``, ``+``, ``@``...) gets a leading ``'`` (OWASP's CSV-injection advice,
  :func:`rangemap._io.csv_text`, as in every CSV rangemap writes), which
  :func:`read_layers` removes. A ring's WKT can pass the 32,767 characters a
  spreadsheet cell holds; GDAL and QGIS read it whole.
- **GeoJSON** (RFC 7946): one FeatureCollection, every feature with a ``layer`` property.

Launch areas (:mod:`rangemap.launch`) and the reach from a region
(:mod:`rangemap.regionreach`) are written the same ways (not CSV) by :func:`write_areas`:
a polygon layer and a ``targets`` point layer. Placemark names and balloons are made in
:mod:`rangemap._kmltext`.

Every file is written atomically (:func:`rangemap._io.write_atomic`): to a temporary file
in the destination's folder, then renamed over it, so an error never leaves a half-written
file. The layers themselves are built by :func:`rangemap.layers.build_layers`; their
colours and band styles come from :mod:`rangemap.style`, as on the map and in figures.

Public functions
----------------
write_layers
    Write Layers in a format named or taken from the file's suffix.
to_kml, to_gpkg, to_csv, to_layers_geojson
    One writer per format.
dumps_csv, dumps_layers_geojson
    The text formats as deterministic strings.
write_areas
    Write launch areas or a region's reach (and their targets) as GeoJSON, KML or GPKG.
read_layers
    Read a written file back into one GeoDataFrame per layer.
write_gdal
    Write named layers through a GDAL driver, atomically (also for :mod:`rangemap.gridfiles`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from rangemap._io import csv_text, restore_formula, suffix_format, write_atomic
from rangemap._kmltext import (
    area_description,
    area_name,
    km,
    plain,
    point_description,
    ring_description,
    site_description,
    target_description,
    xml_safe,
)
from rangemap.errors import ExportError, parse_option
from rangemap.geojson import COORD_DECIMALS, dumps_geojson, to_geojson
from rangemap.layers import FIELDS, GEOMETRY_TYPES, LAYER_NAMES, Layers, empty_layer, field_dtype
from rangemap.style import PALETTE, kml_style

__all__ = [
    "AreaFormat",
    "LayerFormat",
    "dumps_csv",
    "dumps_layers_geojson",
    "read_layers",
    "to_csv",
    "to_gpkg",
    "to_kml",
    "to_layers_geojson",
    "write_areas",
    "write_gdal",
    "write_layers",
]


# Google Earth's stock icons (the LIBKML writer needs an icon id on every SYMBOL).
_SITE_ICON = "http://maps.google.com/mapfiles/kml/shapes/triangle.png"
_TARGET_ICON = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
_TARGET_STYLE = f'SYMBOL(id:"{_TARGET_ICON}",c:#B22222FF,s:0.8);LABEL(c:#FFFFFFFF,s:0.8)'


class LayerFormat(StrEnum):
    """Formats :func:`write_layers` writes."""

    GEOJSON = "geojson"
    KML = "kml"
    GPKG = "gpkg"
    CSV = "csv"

    @classmethod
    def parse(cls, value: str | LayerFormat) -> LayerFormat:
        """Return the format named ``value``; an unknown one lists the valid choices."""
        if isinstance(value, str) and value.lower().lstrip(".") in {m.value for m in cls}:
            value = value.lower().lstrip(".")
        return parse_option(cls, value, what="layer format")


# --- atomic writing through GDAL ------------------------------------------------------


def _gdal_atomic(path: str | os.PathLike[str], writer: Callable[[Path], object]) -> Path:
    """:func:`rangemap._io.write_atomic` with a GDAL writer; its errors as ExportError."""

    def guarded(tmp: Path) -> object:
        try:
            return writer(tmp)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError,
                pyogrio.errors.FieldError, pyogrio.errors.GeometryError) as exc:  # fmt: skip
            raise ExportError(f"cannot write {str(path)!r}: GDAL: {exc}") from None

    return write_atomic(path, guarded)


# --- KML ----------------------------------------------------------------------------------


def _is_text(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column)


def _kml_frame(name: str, layer: gpd.GeoDataFrame, colors: Mapping[str, str]) -> gpd.GeoDataFrame:
    frame = layer.copy()
    if name == "rings":
        labels, styles = [], []
        for _, row in frame.iterrows():
            color = colors.get(row["system_id"], PALETTE[0])
            what = row["system"] or "Custom radius"
            labels.append(f"{what} — {row['band']} {km(row['radius_km'])} from {row['site']}")
            styles.append(kml_style(row["band"], color))
        describe: Callable[[pd.Series], str] = ring_description
    elif name == "sites":
        labels = list(frame["site"])
        styles = [f'SYMBOL(id:"{_SITE_ICON}",c:#000000FF,s:1.1);LABEL(c:#FFFFFFFF)'] * len(frame)
        describe = site_description
    else:
        labels = list(frame["target"])
        styles = [_TARGET_STYLE] * len(frame)
        describe = target_description
    return _kml_table(frame, labels, styles, describe)


def _kml_table(frame: gpd.GeoDataFrame, labels: list[str], styles: list[str],
               describe: Callable[[pd.Series], str]) -> gpd.GeoDataFrame:  # fmt: skip
    """Placemark name, description and style, then the attributes, all made KML-safe."""
    out = pd.DataFrame(
        {
            "name": pd.Series([xml_safe(x) for x in labels], dtype="object"),
            "description": pd.Series(
                [xml_safe(describe(r)) for _, r in frame.iterrows()], dtype="object"
            ),
            "OGR_STYLE": pd.Series(styles, dtype="object"),
        }
    )
    own = [frame.geometry.name, *(c for c in out.columns if c in frame.columns)]
    attrs = pd.DataFrame(frame.drop(columns=own)).reset_index(drop=True)
    for col in attrs.columns:
        if _is_text(attrs[col]):
            attrs[col] = attrs[col].map(xml_safe)
    # LIBKML's schema has no 64-bit integer (it would write text); every count fits 32 bits.
    for col in attrs.columns:
        if pd.api.types.is_integer_dtype(attrs[col]):
            attrs[col] = attrs[col].astype("int32")
    return gpd.GeoDataFrame(pd.concat([out, attrs], axis=1), geometry=list(frame.geometry),
                            crs="EPSG:4326")  # fmt: skip


def _need_driver(driver: str) -> None:
    if driver not in pyogrio.list_drivers(write=True):
        raise ExportError(
            f"this GDAL build ({pyogrio.__gdal_version_string__}) cannot write {driver}; "
            "install a pyogrio wheel (it bundles GDAL with LIBKML and GPKG)"
        )


def to_kml(layers: Layers, path: str | os.PathLike[str]) -> Path:
    """Write the layers as a styled KML file for Google Earth.

    One folder per layer; rings are outlined and tinted in their system's colour, each band
    as :func:`rangemap.style.kml_style` gives it (the map's and the figures' look), sites
    are triangles, targets red dots.
    Each placemark's balloon gives the figures, the sources of the range figure and the
    method; values are HTML-escaped.

    Parameters
    ----------
    layers : Layers
        From :func:`rangemap.layers.build_layers`.
    path : path-like
        Destination (``.kml``).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ExportError
        If the file cannot be written (nothing is left behind).

    Examples
    --------
    >>> import tempfile, pathlib, pyogrio
    >>> from rangemap.layers import build_layers
    >>> from rangemap.rings import range_rings
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "x.kml"
    >>> _ = to_kml(build_layers(range_rings(["df-26"], ["-17.7,178.1"])), out)
    >>> [str(n) for n, _ in pyogrio.list_layers(out)]
    ['sites', 'targets', 'rings']
    """
    # LIBKML rewrites the whole file on every append: write the rings, by far the
    # largest layer, last (three times faster for the full catalogue).
    ordered = sorted(layers.items(), key=lambda item: item[0] == "rings")
    return write_gdal(path, "LIBKML", [(n, _kml_frame(n, layer, layers.colors), GEOMETRY_TYPES[n])
                                        for n, layer in ordered])  # fmt: skip


def write_gdal(
    path: str | os.PathLike[str],
    driver: str,
    parts: list[tuple[str, gpd.GeoDataFrame, str]],
    options: Any = None,
) -> Path:
    """Write (name, layer, geometry type) through GDAL, atomically; KML layers as folders."""
    _need_driver(driver)

    def write(tmp: Path) -> None:
        for i, (name, frame, kind) in enumerate(parts):
            pyogrio.write_dataframe(
                frame, tmp, layer=name, driver=driver, append=i > 0, geometry_type=kind,
                promote_to_multi=kind == "MultiPolygon",
                layer_options={"FOLDER": "YES", "NAME": name} if driver == "LIBKML" else options,
            )  # fmt: skip

    return _gdal_atomic(path, write)


# --- GeoPackage -----------------------------------------------------------------------------


def to_gpkg(layers: Layers, path: str | os.PathLike[str]) -> Path:
    """Write the layers as a GeoPackage for QGIS (layers ``rings``, ``sites``, ``targets``).

    Parameters
    ----------
    layers : Layers
        From :func:`rangemap.layers.build_layers`.
    path : path-like
        Destination (``.gpkg``); an existing file is replaced whole.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ExportError
        If the file cannot be written (nothing is left behind).

    Examples
    --------
    >>> import tempfile, pathlib, geopandas
    >>> from rangemap.layers import build_layers
    >>> from rangemap.rings import range_rings
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "x.gpkg"
    >>> _ = to_gpkg(build_layers(range_rings(["df-26"], ["guam"])), out)
    >>> geopandas.read_file(out, layer="rings")["radius_km"].tolist()
    [4000.0]
    """
    return write_gdal(path, "GPKG", [(n, layer, GEOMETRY_TYPES[n]) for n, layer in layers.items()],
                       {"DESCRIPTION": layers.title} if layers.title else None)  # fmt: skip


# --- CSV and GeoJSON (text, byte-stable) ---------------------------------------------------


def _csv_columns() -> list[str]:
    cols: list[str] = ["layer"]
    for name in LAYER_NAMES:
        cols += [c for c in FIELDS[name] if c not in cols]
    return [*cols, "wkt"]


def dumps_csv(layers: Layers) -> str:
    """All features as one CSV table (``layer`` first, geometry as ``wkt`` last).

    Numbers are written as Python's shortest repr of the rounded values (coordinates 1e-6
    degrees, distances 1 m, areas 0.1 km^2), so the text is the same on every run. Text a
    spreadsheet would run as a formula gets a leading ``'`` (:func:`rangemap._io.csv_text`).

    Examples
    --------
    >>> from rangemap.layers import build_layers
    >>> from rangemap.rings import range_rings
    >>> text = dumps_csv(build_layers(range_rings(["df-26"], ["guam"])))
    >>> text.splitlines()[0][:40]
    'layer,system_id,system,country,class,sit'
    >>> text.splitlines()[2][:40]
    'sites,,,GUM,,guam,Guam,13.48,144.75,,,,,'
    """
    cols = _csv_columns()
    parts = []
    for name, layer in layers.items():
        frame = pd.DataFrame(layer.drop(columns=layer.geometry.name)).copy()
        frame.insert(0, "layer", name)
        frame["wkt"] = [
            "" if g is None else shapely.to_wkt(g, rounding_precision=COORD_DECIMALS, trim=True)
            for g in layer.geometry
        ]
        parts.append(frame)
    table = pd.concat([p.reindex(columns=cols) for p in parts if len(p)] or
                      [pd.DataFrame(columns=cols)], ignore_index=True)  # fmt: skip
    for col in ("n_rings",):
        table[col] = table[col].map(lambda v: "" if pd.isna(v) else str(int(v)))
    table["capital"] = table["capital"].map(lambda v: "" if pd.isna(v) else str(bool(v)).lower())
    return csv_text(table)  # formulas defused; read_layers restores them


def to_csv(layers: Layers, path: str | os.PathLike[str]) -> Path:
    """Write :func:`dumps_csv` atomically as UTF-8 with a byte-order mark.

    The mark makes spreadsheet programs read the file as UTF-8 (CJK and right-to-left
    names intact); GDAL, pandas and rangemap's loaders skip it.

    Raises
    ------
    ExportError
        If the file cannot be written.
    """
    return write_atomic(path, "\ufeff" + dumps_csv(layers))


def dumps_layers_geojson(layers: Layers) -> str:
    """All features as one RFC 7946 FeatureCollection, each with a ``layer`` property.

    Examples
    --------
    >>> import json
    >>> from rangemap.layers import build_layers
    >>> from rangemap.rings import range_rings
    >>> fc = json.loads(dumps_layers_geojson(build_layers(range_rings(["df-26"], ["guam"]))))
    >>> [f["properties"]["layer"] for f in fc["features"]]
    ['rings', 'sites']
    """
    return _dumps_named(layers.items())


def _dumps_named(named: Iterable[tuple[str, gpd.GeoDataFrame]]) -> str:
    """One FeatureCollection of several layers, each feature with a ``layer`` property."""
    features: list[dict[str, Any]] = []
    for name, layer in named:
        for feat in to_geojson(layer)["features"]:
            feat["properties"] = {"layer": name, **feat["properties"]}
            features.append(feat)
    return dumps_geojson({"type": "FeatureCollection", "features": features})


def to_layers_geojson(layers: Layers, path: str | os.PathLike[str]) -> Path:
    """Write :func:`dumps_layers_geojson` atomically.

    Raises
    ------
    ExportError
        If the file cannot be written.
    """
    return write_atomic(path, dumps_layers_geojson(layers))


_WRITERS: dict[LayerFormat, Callable[[Layers, str | os.PathLike[str]], Path]] = {
    LayerFormat.GEOJSON: to_layers_geojson,
    LayerFormat.KML: to_kml,
    LayerFormat.GPKG: to_gpkg,
    LayerFormat.CSV: to_csv,
}


def write_layers(
    layers: Layers, path: str | os.PathLike[str], format: str | LayerFormat | None = None
) -> Path:
    """Write the layers in ``format`` (or the one named by the file's suffix).

    Parameters
    ----------
    layers : Layers
        From :func:`rangemap.layers.build_layers`.
    path : path-like
        Destination.
    format : {"geojson", "kml", "gpkg", "csv"}, optional
        Defaults to the suffix of ``path`` (``.json`` counts as GeoJSON).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    OptionError
        For an unknown format, listing the valid ones.
    ExportError
        For a failed write (nothing is left behind).

    Examples
    --------
    >>> from rangemap.layers import build_layers
    >>> from rangemap.rings import range_rings
    >>> write_layers(build_layers(range_rings(["df-26"], ["guam"])), "out.shp")
    Traceback (most recent call last):
    ...
    rangemap.errors.OptionError: layer format must be one of geojson, kml, gpkg, csv; got 'shp'
    """
    if format is None:
        format = suffix_format(path)
    return _WRITERS[LayerFormat.parse(format)](layers, path)


# --- areas (launch areas, reach from a region) -------------------------------------------


class AreaFormat(StrEnum):
    """Formats :func:`write_areas` writes."""

    GEOJSON = "geojson"
    KML = "kml"
    GPKG = "gpkg"


def _target_points(points: pd.DataFrame) -> gpd.GeoDataFrame:
    missing = [c for c in ("name", "lat", "lon") if c not in points.columns]
    if missing:
        raise ExportError(f"targets need columns name, lat, lon; missing {missing!r}")
    country = points["country"] if "country" in points.columns else pd.Series("", points.index)
    table = pd.DataFrame({"name": points["name"].map(plain), "country": country.map(plain),
                          "lat": points["lat"].astype(float),
                          "lon": points["lon"].astype(float)}).reset_index(drop=True)  # fmt: skip
    return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table["lon"], table["lat"]),
                            crs="EPSG:4326")  # fmt: skip


def write_areas(
    areas: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    points: gpd.GeoDataFrame | None = None,
    layer: str = "areas",
) -> Path:
    """Write launch areas or a region's reach as GeoJSON, KML or GeoPackage.

    A polygon layer named ``layer`` (rows with an empty geometry, where no place
    qualifies, are left out; with none left the layer is written empty) and, with
    ``points``, a ``targets`` point layer (``name, country, lat, lon``). KML: a folder per
    layer, each area named from its row ("Launch area — DF-26 nominal 4,000 km", "Reach
    from Belarus — 500 km") and tinted in the row's colour of
    :data:`rangemap.style.PALETTE` (as in :func:`rangemap.figure.area_figure`), its balloon
    giving the figures and the method, HTML-escaped. GeoPackage: the attributes as
    columns. GeoJSON: one FeatureCollection, each feature with a ``layer`` property.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        From :func:`rangemap.launch.launch_areas` or
        :func:`rangemap.regionreach.reach_from_frame`: lon/lat (Multi)Polygons.
    path : path-like
        Destination.
    format : {"geojson", "kml", "gpkg"}, optional
        Defaults to the suffix of ``path`` (``.json`` counts as GeoJSON).
    points : geopandas.GeoDataFrame, optional
        Targets with ``name, lat, lon`` (and ``country``), as
        :func:`rangemap.targets.resolve_targets` gives them.
    layer : str
        Name of the polygon layer (not ``targets`` when ``points`` are given).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    OptionError
        For an unknown format, listing the valid ones.
    ExportError
        For a bad layer name, areas or targets, or a failed write (nothing is left behind).

    Examples
    --------
    >>> import tempfile, pathlib, geopandas
    >>> from rangemap.launch import launch_areas
    >>> from rangemap.targets import resolve_targets
    >>> t = resolve_targets(["Seoul", "Tokyo"])
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.gpkg"
    >>> _ = write_areas(launch_areas(t, radius_km=1500), out, points=t)
    >>> geopandas.read_file(out, layer="areas")["radius_km"].tolist()
    [1500.0]
    >>> far = launch_areas(resolve_targets(["0,0", "0,108"]), radius_km=5000)  # none qualifies
    >>> len(geopandas.read_file(write_areas(far, out.with_suffix(".kml")), layer="areas"))
    0
    >>> write_areas(far, "areas.csv")
    Traceback (most recent call last):
    ...
    rangemap.errors.OptionError: area format must be one of geojson, kml, gpkg; got 'csv'
    """
    named = format.lower() if format else suffix_format(path)
    fmt = parse_option(AreaFormat, "geojson" if named == "json" else named, what="area format")
    if not isinstance(layer, str) or not layer.strip() or (points is not None and
                                                           layer == "targets"):  # fmt: skip
        raise ExportError(f"the areas' layer needs a name other than 'targets', got {layer!r}")
    if areas.crs is not None and areas.crs.to_epsg() != 4326:
        raise ExportError(f"areas must be in EPSG:4326 (lon/lat), got CRS {areas.crs.srs!r}")
    frame = areas.reset_index(drop=True)
    shown = frame.loc[~(frame.geometry.isna() | frame.geometry.is_empty)]  # index: row colour
    kinds = sorted(set(shown.geom_type) - {"Polygon", "MultiPolygon"})
    if kinds:
        raise ExportError(f"areas must be polygons, got {kinds!r}")
    polys = gpd.GeoDataFrame(shown.reset_index(drop=True), crs="EPSG:4326")
    pts = None if points is None else _target_points(points)
    if fmt is AreaFormat.KML:
        labels = [area_name(row) for _, row in shown.iterrows()]
        styles = [kml_style("nominal", PALETTE[int(i) % len(PALETTE)]) for i in shown.index]
        polys = _kml_table(polys.assign(name=labels), labels, styles, area_description)
        if pts is not None:
            pts = _kml_table(pts, list(pts["name"]), [_TARGET_STYLE] * len(pts), point_description)
    parts = [(layer, polys, "MultiPolygon")] + ([] if pts is None else [("targets", pts, "Point")])
    if fmt is AreaFormat.GEOJSON:
        return write_atomic(path, _dumps_named([(name, part) for name, part, _ in parts]))
    return write_gdal(path, "LIBKML" if fmt is AreaFormat.KML else "GPKG", parts)


# --- reading back -------------------------------------------------------------------------

#: Fields the LIBKML reader adds to every placemark (KML's own elements).
_KML_EXTRA = ("id", "Name", "description", "timestamp", "begin", "end", "altitudeMode",
              "tessellate", "extrude", "visibility", "drawOrder", "icon", "OGR_STYLE")  # fmt: skip


def read_layers(path: str | os.PathLike[str]) -> dict[str, gpd.GeoDataFrame]:
    """Read a file written by :func:`write_layers` back into one GeoDataFrame per layer.

    KML's own placemark fields (name, description, style...) are dropped and CSV text
    is parsed back to numbers, so each frame has the columns it was written with.

    Parameters
    ----------
    path : path-like
        A ``.kml``, ``.gpkg``, ``.csv`` or ``.geojson`` file.

    Returns
    -------
    dict
        ``{"rings": ..., "sites": ..., "targets": ...}`` (layers absent from the file are
        empty).

    Raises
    ------
    OptionError
        If the file's format (its suffix) is not one of the layer formats.
    ExportError
        If the file cannot be read.
    """
    src = Path(path)
    fmt = LayerFormat.parse(suffix_format(src))
    try:
        if fmt in (LayerFormat.KML, LayerFormat.GPKG):
            names = [str(n) for n, _ in pyogrio.list_layers(src)]
            out = {}
            for name in LAYER_NAMES:
                if name not in names:
                    out[name] = empty_layer(name)
                    continue
                frame = pyogrio.read_dataframe(src, layer=name)
                if fmt is LayerFormat.KML:
                    frame = frame.drop(columns=[c for c in _KML_EXTRA if c in frame.columns])
                out[name] = frame
            return out
        if fmt is LayerFormat.CSV:
            whole = pyogrio.read_dataframe(
                src, GEOM_POSSIBLE_NAMES="wkt", KEEP_GEOM_COLUMNS="NO", AUTODETECT_TYPE="NO"
            )
        else:
            whole = pyogrio.read_dataframe(src, DATE_AS_STRING="YES")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise ExportError(f"cannot read {str(src)!r}: {exc}") from None
    if "layer" not in whole.columns:  # an empty FeatureCollection has no properties
        return {name: empty_layer(name) for name in LAYER_NAMES}
    out = {}
    for name in LAYER_NAMES:
        part = whole.loc[whole["layer"] == name].reset_index(drop=True)
        cols = [c for c in FIELDS[name] if c in part.columns]
        frame = part[[*cols, "geometry"]].copy()
        if fmt is LayerFormat.CSV:
            for col in cols:
                kind = field_dtype(name, col)
                if kind == "float64":
                    frame[col] = pd.to_numeric(frame[col].replace("", np.nan))
                elif kind == "int32":
                    frame[col] = frame[col].astype("int32")
                elif kind == "bool":
                    frame[col] = frame[col].eq("true")
                else:
                    frame[col] = frame[col].fillna("").astype(object).map(restore_formula)
        out[name] = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
    return out
