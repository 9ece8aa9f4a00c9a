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
gain_loss_map
    What moving launchers from one site to another gains, loses and keeps
    (:func:`rangemap.gainloss.gain_loss`), drawn in three colours.
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

Framing
-------
A map is framed on its region, or else on what it draws the short way round the globe
(:mod:`rangemap._mapgeom`): a DF-26 ring from Guam spans about 107.6 to 181.9 deg E, and
the piece of it past the antimeridian is drawn beside the rest, over a copy of the
countries there. The world view fills the map's width exactly (fractional zoom), and no
map zooms out past one world's width.

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

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from rangemap._leaflet import (
    Legend,
    MapSetup,
    escape,
    feature_collection,
    geojson_layer,
    point_features,
    polygon_features,
)
from rangemap._mapfeatures import (
    area_features,
    change_features,
    countries_json,
    isochrone_features,
    shipped_countries_json,
)
from rangemap._mapgeom import (
    WORLD_BOUNDS,
    bounds_boxes,
    copies_east,
    densify,
    east_copies,
    east_point_copies,
    frame_bounds,
    lon_span,
    view_limits,
    world_centre_lat,
)
from rangemap._popups import (
    area_legend_html,
    change_legend_html,
    isochrone_legend_html,
    legend_html,
    ring_popup,
    ring_tooltip,
    site_tooltip,
    target_tooltips,
)
from rangemap.errors import parse_option
from rangemap.flight import Timing
from rangemap.geodesy import DEFAULT_TOLERANCE_M
from rangemap.reach import targets_in_range
from rangemap.regions import Region
from rangemap.sites import slug
from rangemap.style import leaflet_style, system_colors

__all__ = [
    "DRAW_BUDGET_M",
    "LEAFLET_CSS_URL",
    "LEAFLET_JS_URL",
    "MAP_DECIMALS",
    "MERCATOR_ALLOWANCE_M",
    "Basemap",
    "MapLayers",
    "build_map",
    "footprints",
    "gain_loss_map",
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
        found = densify(shapely.union_all(group.geometry.to_numpy()), allowance_m)
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


#: Panes of the marked points, over the rings (Leaflet's overlay pane, z-index 400) and
#: under tooltips (650): launch sites over capitals (issue 14, bug 9: Guam's site was
#: drawn under Hagåtña's capital marker and could not be hovered).
_PANES = {"rm-targets": 440, "rm-sites": 450}
_SITE_STYLE = {"radius": 6, "fill": True, "color": "#111111", "weight": 2,
               "fillColor": "#ffffff", "fillOpacity": 1.0, "className": "rm-site",
               "pane": "rm-sites"}  # fmt: skip
_TARGET_STYLES = {
    True: {"radius": 4.5, "fill": True, "color": "#111111", "weight": 1.5,
           "fillColor": "#ffd400", "fillOpacity": 1.0, "className": "rm-target-in",
           "pane": "rm-targets"},
    False: {"radius": 2.5, "fill": True, "color": "#777777", "weight": 0.5,
            "fillColor": "#9a9a9a", "fillOpacity": 1.0, "className": "rm-target-out",
            "pane": "rm-targets"},
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
        ``(west, south, east, north)`` of the rings and sites, degrees, the short way
        round (:func:`rangemap._mapgeom.lon_span`): ``east`` passes 180 when they cross
        the antimeridian (a DF-26 ring from Guam: about 107.6 to 181.9). The layers then
        also hold copies, shifted by +360 deg, of what lies west of 0 deg, so that a view
        centred on the rings shows them whole, and their neighbours with them.
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
    geoms = [*fp.geometry, *sites.geometry]
    bounds = lon_span(geoms) if geoms else WORLD_BOUNDS
    east = copies_east(bounds)  # rings crossing the antimeridian are drawn whole past it
    site_tips = [site_tooltip(s) for _, s in sites.iterrows()]
    site_features = point_features(sites, [_SITE_STYLE] * len(sites), site_tips)
    target_json, n_hit = None, None
    if targets is not None:
        hit = targets_in_range(rings, targets).sort_values("in_range", kind="stable")
        n_hit = int(hit["in_range"].sum())
        tips = target_tooltips(hit, rings, timings)
        styles = [_TARGET_STYLES[bool(inside)] for inside in hit["in_range"]]
        target_json = feature_collection(east_point_copies(point_features(hit, styles, tips), east))
    drawn_geoms = [east_copies(g, east) for g in fp.geometry]
    return MapLayers(
        rings=feature_collection(polygon_features(drawn_geoms, properties, MAP_DECIMALS)),
        sites=feature_collection(east_point_copies(site_features, east)),
        targets=target_json,
        legend=legend_html(fp, colours, n_hit),
        bounds=bounds,
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
    bounds = lon_span(targets.geometry)
    return MapLayers(rings=feature_collection([]), targets=None, legend=legend, bounds=bounds,
                     sites=feature_collection(east_point_copies(
                         point_features(targets, styles, tips), copies_east(bounds))))  # fmt: skip


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
    rings_name: str = "Range rings",
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
        Frame the map on this region; otherwise on the rings and sites, the short way
        round the globe (a ring across the antimeridian is framed and drawn whole, its
        part past 180 deg beside the rest). ``world`` (or rings around a pole) shows
        the whole world across the map's width, with no grey band or second copy of
        the world beside it; the map never zooms out further than that.
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
    rings_name : str
        Name of the rings' layer (``Gained, lost and shared`` with
        :func:`gain_loss_map`).

    Returns
    -------
    folium.Map
        Four ``folium.GeoJson`` layers (``Countries``, ``Range rings``, ``Launch sites``,
        ``Capitals`` when targets are given; an OpenStreetMap tile layer for ``osm``), a
        legend (folded behind a button on maps narrower than 600 px) and a layer control;
        launch sites are drawn over capitals, both over the rings; a metric scale bar
        bottom left, the attribution bottom right beside it. Leaflet is loaded only from
        the given URLs.

    Raises
    ------
    OptionError
        For an unknown basemap or region (a :class:`ValueError`).

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
    reg = None if region is None else Region.parse(region)
    if layers is None:
        layers = prepare_layers(rings, sites, targets=targets, catalogue=catalogue)
    bounds = layers.bounds
    if extra_layers and not len(rings) and not len(sites):  # a map of grids: framed on them
        (south, west), (north, east) = extra_layers[0].get_bounds()
        bounds = (west, south, east, north)  # type: ignore[assignment]
    shown = None if areas is None else areas.loc[~areas.geometry.is_empty]
    if shown is not None and len(shown) and not len(rings):  # framed on the areas too
        bounds = lon_span([*bounds_boxes(bounds), *shown.geometry])
    # The whole world fills the frame; other views fit their region or what is drawn.
    world = reg is Region.WORLD or (reg is None and bounds[2] - bounds[0] >= 360.0 - 1e-6)
    frame = frame_bounds(reg, bounds)
    west, east = view_limits(frame, crossing=max(bounds[2], layers.bounds[2]) > 180.0, world=world)
    m = folium.Map(tiles=None, zoom_snap=0.1)
    # Only Leaflet is needed to draw GeoJSON; folium's other defaults come from CDNs.
    m.default_js = [("leaflet", leaflet_js_url)]
    m.default_css = [("leaflet_css", leaflet_css_url)]
    m.add_child(MapSetup(panes=_PANES, west=west, east=east, world=world,
                         centre_lat=world_centre_lat()))  # fmt: skip
    if base is Basemap.OSM:
        folium.TileLayer(
            _OSM_TILES, attr=_OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19
        ).add_to(m)
    filled = base is Basemap.COUNTRIES
    strip = math.ceil(east)  # whole degrees, so that cached outlines serve nearby views
    outlines = (
        shipped_countries_json(filled, strip)
        if countries is None
        else countries_json(countries, filled, strip)
    )
    geojson_layer(
        outlines, "Countries", interactive=False, attribution=_OFFLINE_ATTRIBUTION
    ).add_to(m)
    for extra in extra_layers:
        extra.add_to(m)
    area_legend = ""
    if shown is not None and len(shown):
        collection, entries = area_features(
            shown, east=east, allowance_m=MERCATOR_ALLOWANCE_M, decimals=MAP_DECIMALS
        )
        geojson_layer(collection, "Areas").add_to(m)
        title = "Launch areas" if "targets" in shown else "Reach from a region"
        area_legend = area_legend_html(title, entries)
    geojson_layer(layers.rings, rings_name).add_to(m)
    if isochrones is not None and len(isochrones):
        iso = isochrone_features(
            isochrones, allowance_m=MERCATOR_ALLOWANCE_M, decimals=MAP_DECIMALS
        )
        geojson_layer(iso, "Warning-time isochrones").add_to(m)
    geojson_layer(layers.sites, sites_name, points=True).add_to(m)
    if layers.targets is not None:
        geojson_layer(layers.targets, "Capitals", points=True).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    if legend:
        drawn_iso = isochrones is not None and len(isochrones) > 0
        iso_legend = isochrone_legend_html() if drawn_iso else ""
        m.add_child(Legend(layers.legend + area_legend + iso_legend))
    if not world:
        m.fit_bounds(frame, padding=(8, 8))
    return m


def gain_loss_map(
    changes: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    *,
    region: str | Region | None = None,
    basemap: str | Basemap = Basemap.COUNTRIES,
    leaflet_js_url: str = LEAFLET_JS_URL,
    leaflet_css_url: str = LEAFLET_CSS_URL,
    countries: gpd.GeoDataFrame | None = None,
    legend: bool = True,
) -> folium.Map:
    """Draw what moving launchers from site A to site B gains, loses and keeps.

    Parameters
    ----------
    changes : geopandas.GeoDataFrame
        :func:`rangemap.gainloss.gain_loss` (rows ``gained``, ``lost``, ``shared``).
    sites : geopandas.GeoDataFrame
        The sites to mark (``name, lat, lon``; usually sites A and B).
    region, basemap, leaflet_js_url, leaflet_css_url, countries, legend
        As for :func:`build_map`; without a region the map is framed on the areas.

    Returns
    -------
    folium.Map
        Layers ``Countries``, ``Gained, lost and shared`` (gained blue, lost vermilion,
        shared grey: :data:`rangemap.style.CHANGE_COLORS`; class ``rm-change-<change>``)
        and ``Launch sites``; the legend names the sites, the systems and the band, and
        gives each change's area.

    Examples
    --------
    >>> from rangemap.gainloss import gain_loss
    >>> from rangemap.rings import range_rings
    >>> from rangemap.sites import resolve_sites
    >>> rings = range_rings(["df-26"], ["guam", "13.5,130"])
    >>> m = gain_loss_map(gain_loss(rings, site_a="13.5,130", site_b="guam"),
    ...                   resolve_sites(["guam", "13.5,130"]))
    >>> html = m.get_root().render()
    >>> "rm-change-gained" in html, "From 13.5,130 to Guam" in html
    (True, True)
    """
    drawn = changes.loc[~changes.geometry.is_empty]
    bounds = lon_span([*drawn.geometry, *sites.geometry])
    east = copies_east(bounds)
    collection = change_features(drawn, east=east, allowance_m=MERCATOR_ALLOWANCE_M,
                                 decimals=MAP_DECIMALS)  # fmt: skip
    role = {} if not len(changes) else {
        str(changes["site_a"].iloc[0]): "Site A: the launchers move from here.",
        str(changes["site_b"].iloc[0]): "Site B: the launchers move here.",
    }  # fmt: skip
    tips = [site_tooltip(s) + (f"<br>{role[s['name']]}" if s["name"] in role else "")
            for _, s in sites.iterrows()]  # fmt: skip
    points = point_features(sites, [_SITE_STYLE] * len(sites), tips)
    layers = MapLayers(
        rings=collection,
        sites=feature_collection(east_point_copies(points, east)),
        targets=None,
        legend=change_legend_html(changes) if len(changes) else "",
        bounds=bounds,
    )
    return build_map(changes.iloc[:0], sites.iloc[:0], layers=layers, region=region,
                     basemap=basemap, leaflet_js_url=leaflet_js_url, countries=countries,
                     leaflet_css_url=leaflet_css_url, legend=legend and len(changes) > 0,
                     rings_name="Gained, lost and shared")  # fmt: skip


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
