r"""Interactive range maps with folium (Leaflet): the only module that uses (lat, lon) order.

Public functions
----------------
build_map
    A :class:`folium.Map` of range rings, launch sites and targets, drawn offline.
prepare_layers
    The costly, view-independent part of a map (:class:`MapLayers`), to keep between
    views.
footprints
    Rings merged per (system, band) across sites, densified for Web Mercator drawing.
area_features
    Launch areas or a region's reach as a script-safe FeatureCollection.
target_layers
    :class:`MapLayers` whose marked points are targets (the dashboard's Target tab).
plain
    Text escaped for Streamlit's Markdown (names in the dashboard's labels and messages).

How rings are drawn
-------------------
Rings reach Leaflet only as GeoJSON polygons through :class:`folium.GeoJson`, never as
``folium.Circle`` (a planar approximation that fails near the poles and at long range).
Each system has one colour and each band one look, both from :mod:`rangemap.style` (the
same as in KML and figures):

- **nominal** (the figure the claims rule draws): solid outline, tinted fill;
- **high** (the largest published figure): dotted outline and a lighter fill, so the
  spread between nominal and high shows as a pale band around the nominal ring;
- **low** (the smallest published figure): dashed outline, no fill.

A minimum range is a hole in every ring (the polygons carry it). Rings of one system at
several sites are merged into one footprint per band; a band whose figure equals the
nominal one is drawn once, as nominal.

Error budget (issue 4: drawn geometry within 100 m of the true ring)
----------------------------------------------------------------------
- ring vertices lie on the true ring, and straight lon/lat chords between them stay
  within ``rangemap.geodesy.DEFAULT_TOLERANCE_M`` (50 m) of it;
- Leaflet draws chords straight in Web Mercator, not in lon/lat; the gap between the two
  grows with latitude (91 m at 70 deg N for a 2,000 km ring). :func:`footprints` splits
  every chord whose Mercator midpoint is further than :data:`MERCATOR_ALLOWANCE_M` (49 m)
  from its lon/lat midpoint, measured along the meridian with the largest meridian radius
  of curvature of WGS84, so the bound holds at any latitude Leaflet can show (|lat| <=
  85.0511 deg);
- coordinates are rounded to :data:`MAP_DECIMALS` (5) decimals of a degree: at most
  0.5e-5 deg in each of lat and lon, under 0.8 m on the ground, within the 1 m set aside
  for rounding (exports keep 6 decimals; the map saves a tenth of its size with 5).

Total: at most 50 + 49 + 0.8 < 100 m. No simplification is applied: removing vertices
from a boundary placed at a 50 m chord tolerance cannot stay inside the budget.

Safety and speed
----------------
Names reach HTML escaped and JavaScript as script-safe JSON, and the map's data reach the
page as JSON data blocks rather than through folium's jinja templates, which would
evaluate ``{{ ... }}`` in a name on the server: see :mod:`rangemap._leaflet`.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import folium
import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

from rangemap._leaflet import (
    Legend,
    escape,
    feature_collection,
    geojson_layer,
    point_features,
    polygon_features,
)
from rangemap._popups import (
    area_legend_html,
    area_tooltip,
    isochrone_legend_html,
    legend_html,
    ring_popup,
    ring_tooltip,
    site_tooltip,
    target_tooltips,
)
from rangemap.errors import parse_option
from rangemap.flight import Timing
from rangemap.geodesy import DEFAULT_TOLERANCE_M, WGS84
from rangemap.reach import targets_in_range
from rangemap.regions import Region, region_polygon
from rangemap.sites import slug
from rangemap.style import leaflet_style, system_colors
from rangemap.targets import load_countries

__all__ = [
    "DRAW_BUDGET_M",
    "LEAFLET_CSS_URL",
    "LEAFLET_JS_URL",
    "MAP_DECIMALS",
    "MERCATOR_ALLOWANCE_M",
    "Basemap",
    "MapLayers",
    "area_features",
    "build_map",
    "footprints",
    "isochrone_features",
    "plain",
    "prepare_layers",
    "target_layers",
]

#: Where the dashboard serves Leaflet 1.9.4 (``static/leaflet/`` through Streamlit's static
#: file serving); absolute paths, so they also resolve inside the map's component iframe.
LEAFLET_JS_URL = "/app/static/leaflet/leaflet.js"
LEAFLET_CSS_URL = "/app/static/leaflet/leaflet.css"

#: Largest distance (m) allowed between a drawn ring and the true one.
DRAW_BUDGET_M = 100.0
#: Share of the budget for the Web Mercator drawing of lon/lat chords (m); the rest is the
#: library's chord tolerance (50 m) and 1 m for coordinate rounding.
MERCATOR_ALLOWANCE_M = DRAW_BUDGET_M - DEFAULT_TOLERANCE_M - 1.0

_BAND_ORDER = {"high": 0, "nominal": 1, "custom": 1, "low": 2}

#: Decimals of a degree kept in the map's ring coordinates (see the error budget).
MAP_DECIMALS = 5

#: Web Mercator's latitude limit (deg): Leaflet clamps everything beyond it.
_MERCATOR_MAX_LAT = 85.0511287798
#: Largest meridian radius of curvature of WGS84 (at the poles), metres per radian.
_MAX_MERIDIAN_RADIUS_M = WGS84.a / math.sqrt(1.0 - WGS84.es)

_OFFLINE_ATTRIBUTION = "Countries: Natural Earth (public domain)"
_OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
_OSM_ATTRIBUTION = "&copy; OpenStreetMap contributors"


class Basemap(StrEnum):
    """What lies under the rings."""

    COUNTRIES = "countries"
    OSM = "osm"

    @classmethod
    def parse(cls, value: str | Basemap) -> Basemap:
        """Return the basemap named ``value``; an unknown one lists the choices."""
        return parse_option(cls, value, what="basemap")


# --- geometry for drawing --------------------------------------------------------------


def _mercator_y(lat_deg: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    lat = np.radians(np.clip(lat_deg, -_MERCATOR_MAX_LAT, _MERCATOR_MAX_LAT))
    return np.log(np.tan(np.pi / 4.0 + lat / 2.0))


def _mercator_gap_m(
    a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Distance (m) between the Web Mercator and lon/lat midpoints of chords a -> b.

    Both midpoints share a longitude, so they differ by a meridian arc, bounded with the
    largest meridian radius of curvature.
    """
    lat_a = np.clip(a[:, 1], -_MERCATOR_MAX_LAT, _MERCATOR_MAX_LAT)
    lat_b = np.clip(b[:, 1], -_MERCATOR_MAX_LAT, _MERCATOR_MAX_LAT)
    y_mid = (_mercator_y(lat_a) + _mercator_y(lat_b)) / 2.0
    lat_merc = 2.0 * np.arctan(np.exp(y_mid)) - np.pi / 2.0
    lat_lin = np.radians((lat_a + lat_b) / 2.0)
    return np.abs(lat_merc - lat_lin) * _MAX_MERIDIAN_RADIUS_M


def _densify_coords(coords: npt.NDArray[np.float64], allowance_m: float) -> npt.NDArray[np.float64]:
    """Split chords of a closed lon/lat ring until each is drawn within ``allowance_m``.

    Leaflet draws chords straight in Web Mercator; the gap to the lon/lat chord shrinks with
    the square of the chord length, so a chord is cut into ``ceil(sqrt(gap / allowance))``.
    """
    for _ in range(8):
        a, b = coords[:-1], coords[1:]
        gap = _mercator_gap_m(a, b)
        pieces = np.maximum(np.ceil(np.sqrt(gap / allowance_m)), 1).astype(np.int64)
        if (pieces == 1).all():
            break
        seg = np.repeat(np.arange(a.shape[0]), pieces)
        step = np.arange(seg.size) - np.repeat(np.cumsum(pieces) - pieces, pieces)
        frac = (step / pieces[seg])[:, None]
        coords = np.vstack([a[seg] + (b - a)[seg] * frac, coords[-1:]])
    return coords


def _densify(geom: shapely.Geometry, allowance_m: float) -> shapely.Geometry:
    """Densify every ring of a (Multi)Polygon for Web Mercator drawing."""
    if geom is None or geom.is_empty:
        return geom
    polys = []
    for part in shapely.get_parts(geom):
        if not isinstance(part, Polygon):
            continue
        shell = _densify_coords(np.asarray(part.exterior.coords), allowance_m)
        holes = [_densify_coords(np.asarray(r.coords), allowance_m) for r in part.interiors]
        polys.append(Polygon(shell, holes))
    return MultiPolygon(polys) if len(polys) != 1 else polys[0]


#: Merged, densified footprints by the rings they are made of: a rerun that keeps a
#: system keeps its footprint. Shared by the dashboard's sessions, hence the lock.
_FOOTPRINTS: dict[tuple[object, ...], shapely.Geometry] = {}
_FOOTPRINTS_LOCK = threading.Lock()
_FOOTPRINTS_LIMIT = 4_096


def _merged(group: pd.DataFrame, allowance_m: float) -> shapely.Geometry:
    """Union of one (system, band)'s rings across sites, densified for Web Mercator."""
    mins = np.nan_to_num(group["min_radius_km"].to_numpy(dtype=float), nan=-1.0)
    rows = zip(
        group["lat"].astype(float),
        group["lon"].astype(float),
        group["radius_km"].astype(float),
        mins,
        strict=True,
    )
    key = (allowance_m, *sorted(rows))
    with _FOOTPRINTS_LOCK:
        found = _FOOTPRINTS.get(key)
    if found is None:
        found = _densify(shapely.union_all(group.geometry.to_numpy()), allowance_m)
        with _FOOTPRINTS_LOCK:
            if len(_FOOTPRINTS) >= _FOOTPRINTS_LIMIT:
                _FOOTPRINTS.clear()
            _FOOTPRINTS[key] = found
    return found


def footprints(
    rings: gpd.GeoDataFrame, *, allowance_m: float = MERCATOR_ALLOWANCE_M
) -> gpd.GeoDataFrame:
    """Merge rings per (system, band) across sites and prepare them for Leaflet.

    Parameters
    ----------
    rings : geopandas.GeoDataFrame
        From :func:`rangemap.rings.rings_for` / :func:`rangemap.rings.range_rings`.
    allowance_m : float
        Largest gap (m) allowed between a chord drawn straight in Web Mercator and the
        same chord straight in lon/lat; see the module's error budget.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per drawn (system, band): ``system_id, system, band, radius_km,
        min_radius_km, n_sites, sites, sources`` and the merged ``geometry``; bands equal
        to the nominal figure are left out; largest radius first (drawn first, so that
        smaller rings stay on top and can be hovered).

    Examples
    --------
    >>> from rangemap.rings import range_rings
    >>> fp = footprints(range_rings(["iskander-m"], ["kaliningrad", "mozdok"], band="all"))
    >>> fp[["band", "radius_km", "n_sites"]].values.tolist()
    [['high', 700.0, 2], ['nominal', 500.0, 2]]
    >>> len(footprints(range_rings(["iskander-m"], ["kaliningrad"]).iloc[:0]))
    0
    """
    columns = [
        "system_id",
        "system",
        "band",
        "radius_km",
        "min_radius_km",
        "n_sites",
        "sites",
        "sources",
    ]
    if len(rings) == 0:
        return gpd.GeoDataFrame(
            columns=[*columns, "geometry"], geometry="geometry", crs="EPSG:4326"
        )
    frame = rings.reset_index(drop=True)
    nominal = frame.loc[frame["band"] == "nominal"].set_index(["system_id", "site_id"])
    key = pd.MultiIndex.from_frame(frame[["system_id", "site_id"]])
    nominal_radius = nominal["radius_km"].reindex(key).to_numpy()
    duplicate = (frame["band"] != "nominal").to_numpy() & (
        frame["radius_km"].to_numpy() == nominal_radius
    )
    frame = frame.loc[~duplicate]
    order = {sid: i for i, sid in enumerate(dict.fromkeys(frame["system_id"]))}
    rows = []
    for (sid, band), group in frame.groupby(["system_id", "band"], sort=False):
        merged = _merged(group, allowance_m)
        site_names = list(dict.fromkeys(group["site"].astype(str)))
        rows.append(
            {
                "system_id": sid,
                "system": group["system"].iloc[0],
                "band": band,
                "radius_km": float(group["radius_km"].max()),
                "min_radius_km": float(group["min_radius_km"].min()),
                "n_sites": len(site_names),
                "sites": "; ".join(site_names),
                "sources": str(group["sources"].iloc[0]),
                "geometry": merged,
                "_order": (
                    -float(group["radius_km"].max()),
                    _BAND_ORDER.get(str(band), 1),
                    order[sid],
                ),
            }
        )
    rows.sort(key=lambda r: r.pop("_order"))
    return gpd.GeoDataFrame(
        rows, columns=[*columns, "geometry"], geometry="geometry", crs="EPSG:4326"
    )


def isochrone_features(iso: gpd.GeoDataFrame) -> str:
    """Warning-time isochrones as a script-safe FeatureCollection with styles and tooltips.

    Examples
    --------
    >>> import math
    >>> from rangemap.flight import FlightModel, Timing
    >>> from rangemap.flightgeo import isochrones
    >>> t = Timing("x", FlightModel.BALLISTIC, (60.0, 120.0), (math.nan, math.nan), "")
    >>> text = isochrone_features(isochrones(timing=t, lat=0, lon=0, minutes=[10], range_km=4e3))
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
            "tooltip": f"<b>within {float(row.minutes):g} min ({escape(row.bound)})</b><br>"
                       f"radius {float(row.radius_km):,.0f} km{cap}<br>{escape(row.model)}",
        })  # fmt: skip
    geoms = [_densify(g, MERCATOR_ALLOWANCE_M) for g in iso.geometry]
    return feature_collection(polygon_features(geoms, properties, MAP_DECIMALS))


#: Colours of areas (launch areas, reach from a region): distinct from the ring palette's
#: first entries, so an area over rings of the same system stays apart.
_AREA_COLOURS = ("#6a3d9a", "#e66101", "#1b7837", "#b2182b", "#2166ac", "#8c510a")


def area_features(areas: gpd.GeoDataFrame) -> tuple[str, list[tuple[str, str]]]:
    """Areas as a script-safe FeatureCollection, and their legend entries (colour, label).

    ``areas`` comes from :func:`rangemap.launch.launch_areas` or
    :func:`rangemap.regionreach.reach_from_frame`; empty geometries are left out.

    Examples
    --------
    >>> from rangemap.launch import launch_areas
    >>> from rangemap.targets import resolve_targets
    >>> text, legend = area_features(launch_areas(resolve_targets(["<b>x</b>: 1,2"]),
    ...                                           radius_km=500))
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
    geoms = [_densify(g, MERCATOR_ALLOWANCE_M) for g in shown.geometry]
    return feature_collection(polygon_features(geoms, properties, MAP_DECIMALS)), legend


def _frame(region: str | Region | None, bounds: tuple[float, ...]) -> list[list[float]]:
    """[[south, west], [north, east]] to fit: the region, else the given bounds."""
    west, south, east, north = region_polygon(region).bounds if region is not None else bounds
    return [[max(south, -60.0), west], [min(north, 78.0), east]]


_SITE_STYLE = {"radius": 6, "fill": True, "color": "#111111", "weight": 2,
               "fillColor": "#ffffff", "fillOpacity": 1.0, "className": "rm-site"}  # fmt: skip
_TARGET_STYLES = {
    True: {"radius": 4.5, "fill": True, "color": "#111111", "weight": 1.5,
           "fillColor": "#ffd400", "fillOpacity": 1.0, "className": "rm-target-in"},
    False: {"radius": 2.5, "fill": True, "color": "#777777", "weight": 0.5,
            "fillColor": "#9a9a9a", "fillOpacity": 1.0, "className": "rm-target-out"},
}  # fmt: skip


@dataclass(frozen=True)
class MapLayers:
    """The costly parts of a map that do not depend on its framing or basemap.

    Build one with :func:`prepare_layers`, keep it (it is immutable text), and hand it to
    :func:`build_map` for each view.

    Attributes
    ----------
    rings, sites : str
        GeoJSON FeatureCollections, serialised safe for a ``<script>``, with per-feature
        style, tooltip and popup.
    targets : str or None
        The same for targets (``None`` when none were given).
    legend : str
        Legend HTML, names escaped.
    bounds : tuple of float
        ``(west, south, east, north)`` of the rings and sites, degrees.
    """

    rings: str
    sites: str
    targets: str | None
    legend: str
    bounds: tuple[float, float, float, float]


def prepare_layers(
    rings: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    *,
    targets: gpd.GeoDataFrame | None = None,
    catalogue: pd.DataFrame | None = None,
    drawn: gpd.GeoDataFrame | None = None,
    timings: dict[str, Timing] | None = None,
) -> MapLayers:
    """Serialise the rings, sites and targets of a map once, for any framing or basemap.

    Parameters
    ----------
    rings, sites, targets, catalogue
        As for :func:`build_map`.
    drawn : geopandas.GeoDataFrame, optional
        ``footprints(rings)`` when the caller already has it.
    timings : dict, optional
        System id -> :class:`rangemap.flight.Timing`: ring and target tooltips then show
        flight times (to the full range; to each target from its nearest site).

    Returns
    -------
    MapLayers

    Examples
    --------
    >>> from rangemap.rings import range_rings
    >>> from rangemap.sites import resolve_sites
    >>> layers = prepare_layers(range_rings(["df-26"], ["guam"]), resolve_sites(["guam"]))
    >>> '"system_id":"df-26"' in layers.rings, layers.targets is None
    (True, True)
    """
    fp = footprints(rings) if drawn is None else drawn
    by_id = catalogue.drop_duplicates("id").set_index("id") if catalogue is not None else None
    colours = system_colors(fp["system_id"])
    properties = []
    for _, row in fp.iterrows():
        sid = str(row["system_id"])
        system = by_id.loc[sid] if by_id is not None and sid in by_id.index else None
        assert system is None or isinstance(system, pd.Series)
        style = {
            **leaflet_style(str(row["band"]), colours[sid]),
            "className": f"rm-ring rm-sys-{slug(sid)} rm-band-{slug(row['band'])}",
        }
        properties.append(
            {
                "system_id": sid,
                "system": str(row["system"]),
                "band": str(row["band"]),
                "radius_km": float(row["radius_km"]),
                "n_sites": int(row["n_sites"]),
                "style": style,
                "tooltip": ring_tooltip(row, system, (timings or {}).get(sid)),
                "popup": ring_popup(row, system),
            }
        )
    site_tips = [site_tooltip(s) for _, s in sites.iterrows()]
    target_json, n_hit = None, None
    if targets is not None:
        hit = targets_in_range(rings, targets).sort_values("in_range", kind="stable")
        n_hit = int(hit["in_range"].sum())
        tips = target_tooltips(hit, rings, timings)
        styles = [_TARGET_STYLES[bool(inside)] for inside in hit["in_range"]]
        target_json = feature_collection(point_features(hit, styles, tips))
    geoms = [*fp.geometry, *sites.geometry]
    bounds = shapely.total_bounds(np.array(geoms, dtype=object)) if geoms else (-180, -60, 180, 78)
    return MapLayers(
        rings=feature_collection(polygon_features(fp.geometry, properties, MAP_DECIMALS)),
        sites=feature_collection(point_features(sites, [_SITE_STYLE] * len(sites), site_tips)),
        targets=target_json,
        legend=legend_html(fp, colours, n_hit),
        bounds=tuple(float(v) for v in bounds),  # type: ignore[arg-type]
    )


def target_layers(targets: gpd.GeoDataFrame) -> MapLayers:
    """Layers of a map of targets only: the targets marked, no rings (see :func:`build_map`).

    Examples
    --------
    >>> from rangemap.targets import resolve_targets
    >>> layers = target_layers(resolve_targets(["Tokyo", "<i>x</i>: 1,2"]))
    >>> "rm-target-in" in layers.sites, "target" in layers.legend, "<i>" in layers.sites
    (True, True, False)
    """
    where = zip(targets["name"], targets["lat"], targets["lon"], strict=True)
    tips = [f"<b>{escape(n)}</b><br>{float(la):.4f}, {float(lo):.4f}" for n, la, lo in where]
    styles = [{**_TARGET_STYLES[True], "radius": 6}] * len(targets)
    legend = ('<b>Targets</b><div class="row"><span class="dot" style="background:#ffd400;'
              'border:1.5px solid #111"></span>target</div>')  # fmt: skip
    bounds = tuple(float(v) for v in targets.total_bounds) if len(targets) else (-180, -60, 180, 78)
    return MapLayers(rings=feature_collection([]),
                     sites=feature_collection(point_features(targets, styles, tips)),
                     targets=None, legend=legend, bounds=bounds)  # type: ignore[arg-type]  # fmt: skip


@lru_cache(maxsize=2)
def _shipped_countries_json(filled: bool) -> str:
    return _countries_json(load_countries(), filled)


def _countries_json(outlines: gpd.GeoDataFrame, filled: bool) -> str:
    style = {"color": "#8a8a8a", "weight": 0.6, "fill": filled, "fillColor": "#f4f1ea",
             "fillOpacity": 1.0}  # fmt: skip
    # 1e-3 deg (< 160 m) is far finer than the 1:110m outlines themselves.
    styles = [{"style": style}] * len(outlines)
    return feature_collection(polygon_features(outlines.geometry, styles, 3))


def build_map(
    rings: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    *,
    targets: gpd.GeoDataFrame | None = None,
    region: str | Region | None = None,
    basemap: str | Basemap = Basemap.COUNTRIES,
    leaflet_js_url: str = LEAFLET_JS_URL,
    leaflet_css_url: str = LEAFLET_CSS_URL,
    catalogue: pd.DataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
    layers: MapLayers | None = None,
    legend: bool = True,
    isochrones: gpd.GeoDataFrame | None = None,
    areas: gpd.GeoDataFrame | None = None,
    sites_name: str = "Launch sites",
    extra_layers: Sequence[folium.FeatureGroup] = (),
) -> folium.Map:
    """Build a Leaflet map of range rings, launch sites and targets that needs no internet.

    Parameters
    ----------
    rings : geopandas.GeoDataFrame
        From :func:`rangemap.rings.rings_for` (columns of ``RING_COLUMNS``, lon/lat).
    sites : geopandas.GeoDataFrame
        Launch sites to mark (``name, lat, lon``; ``kind, note`` shown when present).
    targets : geopandas.GeoDataFrame, optional
        Points to test (e.g. capitals); those within a ring are highlighted.
    region : {"europe", "east-asia", "world"}, optional
        Frame the map on this region; otherwise on the rings and sites.
    basemap : {"countries", "osm"}
        ``countries``: the shipped Natural Earth outlines, no tiles (always works).
        ``osm``: OpenStreetMap tiles under the outlines (needs the internet).
    leaflet_js_url, leaflet_css_url : str
        Where the page loads Leaflet from; the defaults are served by the dashboard
        itself. They replace folium's CDN links (Leaflet, jQuery, Bootstrap, ...), none
        of which this map needs.
    catalogue : pandas.DataFrame, optional
        Catalogue rows, to show every published figure, class and country in tooltips.
    countries : geopandas.GeoDataFrame, optional
        Outlines to draw; defaults to :func:`rangemap.targets.load_countries`.
    layers : MapLayers, optional
        :func:`prepare_layers` of the same rings, sites, targets and catalogue, when the
        caller keeps it between views (it is the costly step); ``rings``, ``sites``,
        ``targets`` and ``catalogue`` are then not read again.
    legend : bool
        Show the legend (small maps side by side may leave it out).
    isochrones : geopandas.GeoDataFrame, optional
        :func:`rangemap.flightgeo.isochrones`, drawn as a layer ``Warning-time
        isochrones`` (outlines only: solid for "surely", dashed for "possibly"), each
        labelled with its minutes.
    areas : geopandas.GeoDataFrame, optional
        Launch areas or a region's reach (:func:`area_features`), drawn as a layer
        ``Areas`` under the rings, with legend entries; the map is then framed on them
        when no region is given.
    sites_name : str
        Name of the marked points' layer (``Targets`` with :func:`target_layers`).
    extra_layers : sequence of folium.FeatureGroup
        More layers over the countries, under everything else (e.g. heat maps of
        :mod:`rangemap.heatmap`, which carry their own legends); a map with no rings and
        no sites is framed on the first one's ``get_bounds()``.

    Returns
    -------
    folium.Map
        Four ``folium.GeoJson`` layers (``Countries``, ``Range rings``, ``Launch sites``,
        ``Capitals`` when targets are given; an OpenStreetMap tile layer for ``osm``), a
        legend and a layer control; Leaflet is loaded only from the given URLs.

    Raises
    ------
    ValueError
        For an unknown basemap; :class:`rangemap.errors.TargetError` for an unknown region.

    Examples
    --------
    >>> from rangemap.rings import range_rings
    >>> from rangemap.sites import resolve_sites
    >>> m = build_map(range_rings(["df-26"], ["guam"]), resolve_sites(["guam"]))
    >>> html = m.get_root().render()
    >>> "/app/static/leaflet/leaflet.js" in html, "cdn" in html
    (True, False)
    """
    base = Basemap.parse(basemap)
    if layers is None:
        layers = prepare_layers(rings, sites, targets=targets, catalogue=catalogue)
    m = folium.Map(tiles=None, control_scale=True, min_zoom=1)
    # Only Leaflet is needed to draw GeoJSON; folium's other defaults come from CDNs.
    m.default_js = [("leaflet", leaflet_js_url)]
    m.default_css = [("leaflet_css", leaflet_css_url)]
    if base is Basemap.OSM:
        folium.TileLayer(
            _OSM_TILES, attr=_OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19
        ).add_to(m)
    filled = base is Basemap.COUNTRIES
    outlines = (
        _shipped_countries_json(filled) if countries is None else _countries_json(countries, filled)
    )
    geojson_layer(
        outlines, "Countries", interactive=False, attribution=_OFFLINE_ATTRIBUTION
    ).add_to(m)
    area_legend, bounds = "", layers.bounds
    for extra in extra_layers:
        extra.add_to(m)
    if extra_layers and not len(rings) and not len(sites):  # a map of grids: framed on them
        (south, west), (north, east) = extra_layers[0].get_bounds()
        bounds = (west, south, east, north)  # type: ignore[assignment]
    if areas is not None and (~areas.geometry.is_empty).any():
        collection, entries = area_features(areas)
        geojson_layer(collection, "Areas").add_to(m)
        title = "Launch areas" if "targets" in areas else "Reach from a region"
        area_legend = area_legend_html(title, entries)
        if not len(rings):
            shown = areas.loc[~areas.geometry.is_empty].total_bounds
            bounds = (min(shown[0], bounds[0]), min(shown[1], bounds[1]),
                      max(shown[2], bounds[2]), max(shown[3], bounds[3]))  # fmt: skip
    geojson_layer(layers.rings, "Range rings").add_to(m)
    if isochrones is not None and len(isochrones):
        geojson_layer(isochrone_features(isochrones), "Warning-time isochrones").add_to(m)
    geojson_layer(layers.sites, sites_name, points=True).add_to(m)
    if layers.targets is not None:
        geojson_layer(layers.targets, "Capitals", points=True).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    if legend:
        drawn_iso = isochrones is not None and len(isochrones) > 0
        iso_legend = isochrone_legend_html() if drawn_iso else ""
        m.add_child(Legend(layers.legend + area_legend + iso_legend))
    m.fit_bounds(_frame(region, bounds))
    return m


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    r"""Escape text for Streamlit's Markdown, so that a name shows as typed.

    Streamlit renders labels, captions and messages as Markdown: an uploaded site called
    ``![x](https://example.org/x.png)`` would otherwise load an image from the internet.

    Examples
    --------
    >>> plain("![x](https://e.org/x.png) *a*")
    '\\!\\[x\\]\\(https\\://e\\.org/x\\.png\\) \\*a\\*'
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))
