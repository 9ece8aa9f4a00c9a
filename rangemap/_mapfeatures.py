"""Feature collections drawn on the map besides rings (private to rangemap.mapview).

Each function serialises one kind of overlay as a script-safe GeoJSON FeatureCollection
(:func:`rangemap._leaflet.feature_collection`), styled and labelled per feature, its
polygons densified for Web Mercator (:func:`rangemap._mapgeom.densify`) with the
allowance and rounding of :mod:`rangemap.mapview`'s error budget, which the caller
passes in.

Public names
------------
isochrone_features
    Warning-time isochrones (:func:`rangemap.flightgeo.isochrones`).
area_features
    Launch areas or a region's reach, with their legend entries.
change_features
    Gained, lost and shared areas of two sites (:func:`rangemap.gainloss.gain_loss`).
countries_json, shipped_countries_json
    Country outlines as the basemap, with a shifted copy of those just past 180 deg for
    views of rings drawn whole across the antimeridian.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely

from rangemap._leaflet import escape, feature_collection, polygon_features
from rangemap._mapgeom import densify, east_copies
from rangemap._popups import area_tooltip, change_tooltip
from rangemap.sites import slug
from rangemap.style import CHANGE_COLORS
from rangemap.targets import load_countries

__all__ = [
    "area_features",
    "change_features",
    "countries_json",
    "isochrone_features",
    "shipped_countries_json",
]


def isochrone_features(iso: gpd.GeoDataFrame, *, allowance_m: float, decimals: int) -> str:
    """Warning-time isochrones as a script-safe FeatureCollection with styles and tooltips.

    Examples
    --------
    >>> import math
    >>> from rangemap.flight import FlightModel, Timing
    >>> from rangemap.flightgeo import isochrones
    >>> t = Timing("x", FlightModel.BALLISTIC, (60.0, 120.0), (math.nan, math.nan), "")
    >>> iso = isochrones(timing=t, lat=0, lon=0, minutes=[10], range_km=4e3)
    >>> text = isochrone_features(iso, allowance_m=49.0, decimals=5)
    >>> "within 10 min (surely)" in text, "rm-iso" in text
    (True, True)
    """
    properties = []
    for row in iso.itertuples(index=False):
        surely = row.bound == "surely"
        cap = " (the whole range)" if row.capped else ""
        properties.append({
            "minutes": float(row.minutes), "bound": str(row.bound),
            "style": {"color": "#b00020", "weight": 2.0 if surely else 1.2, "fill": False,
                      "dashArray": None if surely else "6 4",
                      "className": f"rm-iso rm-iso-{slug(row.bound)}"},
            "tooltip": f"<b>Reached within {float(row.minutes):g} min ({escape(row.bound)})"
                       f"</b><br>Radius {float(row.radius_km):,.0f} km{cap}.<br>"
                       f"{escape(row.model)}",
        })  # fmt: skip
    geoms = [densify(g, allowance_m) for g in iso.geometry]
    return feature_collection(polygon_features(geoms, properties, decimals))


#: Colours of areas (launch areas, reach from a region): distinct from the ring palette's
#: first entries, so an area over rings of the same system stays apart.
_AREA_COLOURS = ("#6a3d9a", "#e66101", "#1b7837", "#b2182b", "#2166ac", "#8c510a")


def area_features(
    areas: gpd.GeoDataFrame, *, east: float = 180.0, allowance_m: float, decimals: int
) -> tuple[str, list[tuple[str, str]]]:
    """Areas as a script-safe FeatureCollection, and their legend entries (colour, label).

    ``areas`` comes from :func:`rangemap.launch.launch_areas` or
    :func:`rangemap.regionreach.reach_from_frame`; empty geometries are left out. Pieces
    west of the antimeridian are also drawn past 180 deg, up to ``east``.

    Examples
    --------
    >>> from rangemap.launch import launch_areas
    >>> from rangemap.targets import resolve_targets
    >>> areas = launch_areas(resolve_targets(["<b>x</b>: 1,2"]), radius_km=500)
    >>> text, legend = area_features(areas, allowance_m=49.0, decimals=5)
    >>> "u0026lt;b" in text, "<b>x" in text, legend[0][1]  # escaped, then script-safe
    (True, False, 'Launch area, 500 km')
    """
    shown = areas.loc[~areas.geometry.is_empty]
    properties, legend = [], []
    for i, row in enumerate(shown.itertuples(index=False)):
        colour = _AREA_COLOURS[i % len(_AREA_COLOURS)]
        what = "Launch area" if hasattr(row, "targets") else f"From {row.region}"
        name = f"{row.system} ({row.band})" if getattr(row, "system", "") else ""
        label = f"{what}, {name + ', ' if name else ''}{float(row.radius_km):,.0f} km"
        legend.append((colour, label))
        properties.append({
            "style": {"color": colour, "weight": 2.0, "fill": True, "fillColor": colour,
                      "fillOpacity": 0.18, "className": "rm-area"},
            "tooltip": area_tooltip(row),
        })  # fmt: skip
    geoms = [east_copies(densify(g, allowance_m), east) for g in shown.geometry]
    return feature_collection(polygon_features(geoms, properties, decimals)), legend


def change_features(
    changes: gpd.GeoDataFrame, *, east: float = 180.0, allowance_m: float, decimals: int
) -> str:
    """Gained (blue), lost (vermilion) and shared (grey) areas as a FeatureCollection.

    Each feature carries ``change`` and ``area_km2``, a style of class
    ``rm-change rm-change-<change>`` (colours: :data:`rangemap.style.CHANGE_COLORS`) and a
    tooltip; empty areas are left out.

    Examples
    --------
    >>> changes = gpd.GeoDataFrame({"change": ["gained", "lost"], "site_a": "A",
    ...     "site_b": "B", "band": "nominal", "systems": "X", "region": "",
    ...     "area_km2": [1.0, 0.0]}, geometry=[shapely.box(0, 0, 1, 1), shapely.Polygon()])
    >>> text = change_features(changes, allowance_m=49.0, decimals=5)
    >>> "rm-change-gained" in text, "rm-change-lost" in text
    (True, False)
    """
    shown = changes.loc[~changes.geometry.is_empty]
    properties = []
    for _, row in shown.iterrows():
        change = str(row["change"])
        colour = CHANGE_COLORS[change]
        properties.append({
            "change": change, "area_km2": float(row["area_km2"]),
            "style": {"color": colour, "weight": 1.2, "fill": True, "fillColor": colour,
                      "fillOpacity": 0.3 if change == "shared" else 0.45,
                      "className": f"rm-change rm-change-{change}"},
            "tooltip": change_tooltip(row),
        })  # fmt: skip
    geoms = [east_copies(densify(g, allowance_m), east) for g in shown.geometry]
    return feature_collection(polygon_features(geoms, properties, decimals))


@lru_cache(maxsize=8)
def shipped_countries_json(filled: bool, east: float = 180.0) -> str:
    """:func:`countries_json` of the shipped Natural Earth outlines, kept between maps."""
    return countries_json(load_countries(), filled, east)


def countries_json(outlines: gpd.GeoDataFrame, filled: bool, east: float = 180.0) -> str:
    """Country outlines, and past 180 deg up to ``east`` a shifted copy of those there.

    Examples
    --------
    >>> len(shipped_countries_json(True, 190.0)) > len(shipped_countries_json(True))
    True
    """
    style = {"color": "#8a8a8a", "weight": 0.6, "fill": filled, "fillColor": "#f4f1ea",
             "fillOpacity": 1.0}  # fmt: skip
    geoms = list(outlines.geometry)
    if east > 180.0:  # the strip past the antimeridian that a view of whole rings shows
        cut = shapely.clip_by_rect(np.array(geoms, dtype=object), -180, -90, east - 360, 90)
        geoms += [shapely.transform(g, lambda xy: xy + [360.0, 0.0]) for g in cut if not g.is_empty]
    # 1e-3 deg (< 160 m) is far finer than the 1:110m outlines themselves.
    styles = [{"style": style}] * len(geoms)
    return feature_collection(polygon_features(geoms, styles, 3))
