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
read_layers
    Read a written file back into one GeoDataFrame per layer.
"""

from __future__ import annotations

import html
import math
import os
import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from rangemap._io import csv_text, restore_formula, write_atomic
from rangemap.errors import ExportError, parse_option
from rangemap.geodesy import METHOD_TEXT
from rangemap.geojson import COORD_DECIMALS, dumps_geojson, to_geojson
from rangemap.layers import FIELDS, GEOMETRY_TYPES, LAYER_NAMES, Layers, empty_layer, field_dtype
from rangemap.style import PALETTE, kml_style

__all__ = [
    "LayerFormat",
    "dumps_csv",
    "dumps_layers_geojson",
    "read_layers",
    "to_csv",
    "to_gpkg",
    "to_kml",
    "to_layers_geojson",
    "write_layers",
]


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


# Google Earth's stock icons (the LIBKML writer needs an icon id on every SYMBOL).
_SITE_ICON = "http://maps.google.com/mapfiles/kml/shapes/triangle.png"
_TARGET_ICON = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"


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


def _esc(value: Any) -> str:
    return html.escape(_text(value), quote=True)


def _links(urls: str) -> str:
    items = [f'<a href="{_esc(u)}">{_esc(u)}</a>' for u in urls.split()]
    return "<br/>".join(items) if items else "none given"


def _km(value: Any) -> str:
    f = float(value) if value is not None else math.nan
    return "n/a" if not math.isfinite(f) else f"{f:,.0f} km"


def _table(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><td>{_esc(k)}</td><td>{v}</td></tr>" for k, v in rows)
    return f"<table>{body}</table>"


def _ring_description(row: pd.Series) -> str:
    head = f"<p><b>{_esc(row['system'] or 'Custom radius')}</b>"
    if row["class"] or row["country"]:
        head += f" ({_esc(row['class'])}, {_esc(row['country'])})"
    head += f" from <b>{_esc(row['site'])}</b></p>"
    rows = [
        (f"Range ({row['band']})", _esc(_km(row["radius_km"]))),
        (
            "Minimum range",
            _esc(_km(row["min_radius_km"]))
            if math.isfinite(row["min_radius_km"])
            else "none published",
        ),
        ("Centre (lat, lon)", _esc(f"{row['lat']:.4f}, {row['lon']:.4f}")),
        ("Area within ring", _esc(f"{row['area_km2']:,.0f} km²")),
    ]
    if row.get("nominal_basis"):
        rows.append(("Nominal figure from", _esc(row["nominal_basis"])))
    if row.get("quality"):
        rows.append(("Quality flag", f"<b>{_esc(row['quality'])}</b>"))
    if row.get("inf_class"):
        rows.append(("INF class", _esc(row["inf_class"])))
    accessed = f" (accessed {_esc(row['accessed'])})" if row["accessed"] else ""
    return (
        f"{head}{_table(rows)}<p>Sources of the figure{accessed}:<br/>"
        f"{_links(row['sources'])}</p><p>{_esc(METHOD_TEXT)}</p>"
    )


def _site_description(row: pd.Series) -> str:
    rows = [
        ("Country", _esc(row["country"])),
        ("Kind", _esc(row["kind"])),
        ("Lat, lon", _esc(f"{row['lat']:.4f}, {row['lon']:.4f}")),
    ]
    note = f"<p>{_esc(row['note'])}</p>" if row["note"] else ""
    return (
        f"<p><b>{_esc(row['site'])}</b></p>{_table(rows)}{note}<p>Sources:<br/>"
        f"{_links(row['source'])}</p>"
    )


def _target_description(row: pd.Series) -> str:
    pop = row["population"]
    rows = [
        ("Country", _esc(row["country"])),
        ("Population", _esc(f"{pop:,.0f}" if math.isfinite(pop) else "n/a")),
        ("Capital", "yes" if row["capital"] else "no"),
        ("Nearest site reaching it", _esc(row["nearest_site"])),
        ("Geodesic distance", _esc(f"{row['distance_km']:,.1f} km")),
        ("Largest margin inside a ring", _esc(f"{row['margin_km']:,.1f} km")),
    ]
    low, high = float(row["flight_time_min_low"]), float(row["flight_time_min_high"])
    if math.isfinite(low) and math.isfinite(high):
        time = f"{low:,.1f}-{high:,.1f} min ({row['time_model']})"
        rows.append(("Flight time from the nearest site", _esc(time)))
    reached = "<br/>".join(_esc(r) for r in str(row["reached_by"]).split("; "))
    return (
        f"<p><b>{_esc(row['target'])}</b></p>{_table(rows)}<p>In range of:<br/>{reached}</p>"
        f"<p>{_esc(METHOD_TEXT)}</p>"
    )


#: Characters XML 1.0 does not allow (section 2.2); LIBKML would write them as they are and
#: leave a file no reader opens.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _is_text(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column)


def _xml_safe(value: Any) -> Any:
    r"""Make text KML can hold: U+FFFD for what XML cannot hold, and no ``]]>``.

    LIBKML writes text holding ``<`` or ``&`` as a CDATA section, which ``]]>`` would end
    early: the file was not well-formed and the export failed (issue 15). A zero-width
    space before the ``>`` keeps the name as it looks.

    Examples
    --------
    >>> _xml_safe("a]]>b\x07")
    'a]]\u200b>b\ufffd'
    """
    if not isinstance(value, str):
        return value
    return _XML_ILLEGAL.sub("\ufffd", value).replace("]]>", "]]\u200b>")


def _kml_frame(name: str, layer: gpd.GeoDataFrame, colors: Mapping[str, str]) -> gpd.GeoDataFrame:
    frame = layer.copy()
    if name == "rings":
        labels, styles = [], []
        for _, row in frame.iterrows():
            color = colors.get(row["system_id"], PALETTE[0])
            what = row["system"] or "Custom radius"
            labels.append(f"{what} — {row['band']} {_km(row['radius_km'])} from {row['site']}")
            styles.append(kml_style(row["band"], color))
        describe: Callable[[pd.Series], str] = _ring_description
    elif name == "sites":
        labels = list(frame["site"])
        styles = [f'SYMBOL(id:"{_SITE_ICON}",c:#000000FF,s:1.1);LABEL(c:#FFFFFFFF)'] * len(frame)
        describe = _site_description
    else:
        labels = list(frame["target"])
        styles = [f'SYMBOL(id:"{_TARGET_ICON}",c:#B22222FF,s:0.8);LABEL(c:#FFFFFFFF,s:0.8)'
                  ] * len(frame)  # fmt: skip
        describe = _target_description
    out = pd.DataFrame(
        {
            "name": pd.Series([_xml_safe(x) for x in labels], dtype="object"),
            "description": pd.Series(
                [_xml_safe(describe(r)) for _, r in frame.iterrows()], dtype="object"
            ),
            "OGR_STYLE": pd.Series(styles, dtype="object"),
        }
    )
    attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name)).reset_index(drop=True)
    for col in attrs.columns:
        if _is_text(attrs[col]):
            attrs[col] = attrs[col].map(_xml_safe)
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
    _need_driver("LIBKML")

    def write(tmp: Path) -> None:
        # LIBKML rewrites the whole file on every append: write the rings, by far the
        # largest layer, last (three times faster for the full catalogue).
        ordered = sorted(layers.items(), key=lambda item: item[0] == "rings")
        for i, (name, layer) in enumerate(ordered):
            frame = _kml_frame(name, layer, layers.colors)
            pyogrio.write_dataframe(
                frame, tmp, layer=name, driver="LIBKML", append=i > 0,
                geometry_type=GEOMETRY_TYPES[name], promote_to_multi=name == "rings",
                layer_options={"FOLDER": "YES", "NAME": name},
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
    _need_driver("GPKG")

    def write(tmp: Path) -> None:
        for i, (name, layer) in enumerate(layers.items()):
            pyogrio.write_dataframe(
                layer, tmp, layer=name, driver="GPKG", append=i > 0,
                geometry_type=GEOMETRY_TYPES[name], promote_to_multi=name == "rings",
                layer_options={"DESCRIPTION": layers.title} if layers.title else None,
            )  # fmt: skip

    return _gdal_atomic(path, write)


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
    features: list[dict[str, Any]] = []
    for name, layer in layers.items():
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
        suffix = Path(path).suffix.lower().lstrip(".")
        format = "geojson" if suffix == "json" else suffix
    return _WRITERS[LayerFormat.parse(format)](layers, path)


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
    suffix = src.suffix.lower().lstrip(".")
    fmt = LayerFormat.parse("geojson" if suffix == "json" else suffix)
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
