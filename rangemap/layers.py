"""The three layers of an export: rings, sites and the targets in range.

Public functions
----------------
build_layers
    Rings (from :func:`rangemap.rings.range_rings`) plus site and target tables -> Layers.
empty_layer, field_dtype
    An empty layer with the right columns and dtypes; the dtype of a layer's column.

The writers are in :mod:`rangemap.formats`; the colours (one per system, the same as on
the map and in figures) in :mod:`rangemap.style`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import geopandas as gpd
import pandas as pd
import shapely

from rangemap.catalogue import load_catalogue
from rangemap.flightgeo import add_flight_times_for
from rangemap.geojson import COORD_DECIMALS, round_geometry
from rangemap.reach import coverage_table
from rangemap.sites import load_sites
from rangemap.style import system_colors

__all__ = [
    "FIELDS",
    "GEOMETRY_TYPES",
    "LAYER_NAMES",
    "RING_FIELDS",
    "SITE_FIELDS",
    "TARGET_FIELDS",
    "Layers",
    "build_layers",
    "empty_layer",
    "field_dtype",
]

LAYER_NAMES = ("rings", "sites", "targets")

RING_FIELDS = (
    "system_id", "system", "country", "class", "site_id", "site", "lat", "lon", "band",
    "radius_km", "min_radius_km", "area_km2", "sources", "accessed", "quality",
    "nominal_basis", "inf_class",
)  # fmt: skip
SITE_FIELDS = ("site_id", "site", "country", "lat", "lon", "kind", "note", "source")
TARGET_FIELDS = (
    "target", "country", "lat", "lon", "population", "capital", "n_rings", "reached_by",
    "nearest_site", "distance_km", "margin_km", "time_model", "flight_time_min_low",
    "flight_time_min_high",
)  # fmt: skip
FIELDS = {"rings": RING_FIELDS, "sites": SITE_FIELDS, "targets": TARGET_FIELDS}
GEOMETRY_TYPES = {"rings": "MultiPolygon", "sites": "Point", "targets": "Point"}


@dataclass(frozen=True)
class Layers:
    """The three layers of an export, each a GeoDataFrame in EPSG:4326.

    Attributes
    ----------
    rings, sites, targets : geopandas.GeoDataFrame
        Columns :data:`RING_FIELDS`, :data:`SITE_FIELDS`, :data:`TARGET_FIELDS` and
        ``geometry``.
    colors : dict
        System id -> ``#RRGGBB``, as drawn.
    title : str
        Shown as the KML document's description and in notes.
    """

    rings: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    targets: gpd.GeoDataFrame
    colors: Mapping[str, str] = field(default_factory=dict)
    title: str = ""

    def items(self) -> Iterator[tuple[str, gpd.GeoDataFrame]]:
        """``(name, frame)`` for rings, sites and targets, in that order."""
        yield "rings", self.rings
        yield "sites", self.sites
        yield "targets", self.targets


def empty_layer(name: str) -> gpd.GeoDataFrame:
    """Make an empty layer ``rings``, ``sites`` or ``targets`` with its columns and dtypes."""
    frame = pd.DataFrame({c: pd.Series(dtype=field_dtype(name, c)) for c in FIELDS[name]})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")


def field_dtype(layer: str, column: str) -> str:
    """Return the pandas dtype of a layer's column (how CSV text is parsed back)."""
    if column in ("lat", "lon", "radius_km", "min_radius_km", "area_km2", "distance_km",
                  "margin_km", "population", "flight_time_min_low",
                  "flight_time_min_high"):  # fmt: skip
        return "float64"
    if column == "n_rings":
        return "int32"
    if column == "capital":
        return "bool"
    return "object"


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _ring_layer(rings: gpd.GeoDataFrame, catalogue: pd.DataFrame) -> gpd.GeoDataFrame:
    if len(rings) == 0:
        return empty_layer("rings")
    extra = ("country", "class", "accessed", "quality", "nominal_basis", "inf_class")
    info = catalogue.set_index("id").reindex(columns=list(extra))
    frame = pd.DataFrame(rings.drop(columns=rings.geometry.name)).reset_index(drop=True)
    known = frame["system_id"].isin(info.index)
    for col in extra:
        frame[col] = [
            _text(info.at[sid, col]) if ok else "" for sid, ok in zip(frame["system_id"],
                                                                     known, strict=True)
        ]  # fmt: skip
    for col in ("system_id", "system", "site_id", "site", "band", "sources"):
        frame[col] = frame[col].map(_text)
    out = frame[list(RING_FIELDS)].copy()
    out = out.round({"lat": COORD_DECIMALS, "lon": COORD_DECIMALS, "radius_km": 3,
                     "min_radius_km": 3, "area_km2": 1})  # fmt: skip
    geoms = [round_geometry(shapely.orient_polygons(g, exterior_cw=False)) for g in rings.geometry]
    return gpd.GeoDataFrame(out, geometry=geoms, crs="EPSG:4326")


def _site_layer(rings: gpd.GeoDataFrame, site_table: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    if len(rings) == 0:
        return empty_layer("sites")
    firsts = rings.drop_duplicates("site_id")
    table = (load_sites() if site_table is None else site_table).set_index("id")
    rows = []
    for sid, name, lat, lon in zip(firsts["site_id"], firsts["site"], firsts["lat"],
                                   firsts["lon"], strict=True):  # fmt: skip
        extra = table.loc[sid] if sid in table.index else None
        rows.append(
            {
                "site_id": _text(sid),
                "site": _text(name),
                "country": _text(extra["country"]) if extra is not None else "",
                "lat": round(float(lat), COORD_DECIMALS),
                "lon": round(float(lon), COORD_DECIMALS),
                "kind": _text(extra["kind"]) if extra is not None else "",
                "note": _text(extra["note"]) if extra is not None else "",
                "source": _text(extra["source"]) if extra is not None else "",
            }
        )
    frame = pd.DataFrame(rows, columns=list(SITE_FIELDS))
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    )


def _target_layer(
    rings: gpd.GeoDataFrame,
    targets: gpd.GeoDataFrame | None,
    region: str | None,
    catalogue: pd.DataFrame,
) -> gpd.GeoDataFrame:
    if targets is None or len(rings) == 0 or len(targets) == 0:
        return empty_layer("targets")
    rows_only = pd.DataFrame(rings.drop(columns=rings.geometry.name))
    # The flight time from the nearest site (issue 11: where a distance is shown, a time).
    table = add_flight_times_for(coverage_table(rows_only, targets, region=region), rows_only,
                                 catalogue)  # fmt: skip
    hit = table.loc[table["in_range"]].copy()
    if hit.empty:
        return empty_layer("targets")
    extra = targets.drop_duplicates(["name", "lat", "lon"]).set_index(["name", "lat", "lon"])
    hit["ring"] = [
        f"{s} ({b}, {r:,.0f} km) from {site}" if s else f"{r:,.0f} km from {site}"
        for s, b, r, site in zip(hit["system"], hit["band"], hit["radius_km"], hit["site"],
                                 strict=True)
    ]  # fmt: skip
    rows = []
    for key, group in hit.groupby(["target", "lat", "lon"], sort=False):
        name, lat, lon = cast(tuple[Any, float, float], key)
        best = group.loc[cast(Any, group["distance_km"].idxmin())]
        info = extra.loc[cast(Any, key)] if key in extra.index else None
        pop = float(info["population"]) if info is not None else math.nan
        rows.append(
            {
                "target": _text(name),
                "country": _text(best["country"]),
                "lat": round(float(lat), COORD_DECIMALS),
                "lon": round(float(lon), COORD_DECIMALS),
                "population": pop if math.isfinite(pop) else math.nan,
                "capital": bool(info["capital"]) if info is not None else False,
                "n_rings": len(group),
                "reached_by": "; ".join(dict.fromkeys(group["ring"])),
                "nearest_site": _text(best["site"]),
                "distance_km": round(float(best["distance_km"]), 3),
                "margin_km": round(float(group["margin_km"].max()), 3),
                "time_model": _text(best["model"]),
                "flight_time_min_low": float(best["flight_time_min_low"]),
                "flight_time_min_high": float(best["flight_time_min_high"]),
            }
        )
    frame = pd.DataFrame(rows, columns=list(TARGET_FIELDS))
    frame["n_rings"] = frame["n_rings"].astype("int32")
    frame["capital"] = frame["capital"].astype(bool)
    frame = frame.sort_values(["distance_km", "target"], kind="mergesort", ignore_index=True)
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    )


def build_layers(
    rings: gpd.GeoDataFrame,
    *,
    site_table: gpd.GeoDataFrame | None = None,
    targets: gpd.GeoDataFrame | None = None,
    catalogue: pd.DataFrame | None = None,
    region: str | None = None,
    title: str = "",
) -> Layers:
    """Assemble the rings, sites and targets-in-range layers of an export.

    Parameters
    ----------
    rings : geopandas.GeoDataFrame
        From :func:`rangemap.rings.range_rings` (or :func:`rangemap.rings.rings_for`).
    site_table : geopandas.GeoDataFrame, optional
        Site rows (``id, name, country, kind, note, source``) to describe the sites with,
        e.g. from :func:`rangemap.sites.resolve_sites`; defaults to the shipped sites
        (typed coordinates then get no country or source).
    targets : geopandas.GeoDataFrame, optional
        Points to test (from :func:`rangemap.targets.load_targets`); the ``targets`` layer
        keeps those in range of at least one ring, by exact geodesic distance. None gives
        an empty layer.
    catalogue : pandas.DataFrame, optional
        For each system's country, class and access date; defaults to the shipped one.
    region : str, optional
        Keep only targets inside this region preset.
    title : str
        Carried to the KML document and notes.

    Returns
    -------
    Layers

    Examples
    --------
    >>> from rangemap.rings import range_rings
    >>> from rangemap.targets import load_targets
    >>> layers = build_layers(range_rings(["df-26"], ["guam"]), targets=load_targets())
    >>> len(layers.rings), len(layers.sites), "Tokyo" in set(layers.targets["target"])
    (1, 1, True)
    >>> len(build_layers(range_rings(["df-26"], ["guam"])).targets)  # no targets given
    0
    """
    cat = load_catalogue() if catalogue is None else catalogue
    ring_layer = _ring_layer(rings, cat)
    return Layers(
        rings=ring_layer,
        sites=_site_layer(rings, site_table),
        targets=_target_layer(rings, targets, region, cat),
        colors=system_colors(ring_layer["system_id"]),
        title=title,
    )
