r"""Heat maps of grid cells for the interactive map: threat density and basing sweeps.

The dashboard draws two grids of :mod:`rangemap.grid` (HEALPix, equal area on WGS84):
the threat density of :func:`rangemap.density.threat_density` (who reaches each cell)
and the screen values of a basing sweep (:func:`rangemap.sweep.basing_sweep`), with the
sweep's top sites numbered by rank. As in :mod:`rangemap.mapview`, the costly part (the
cells serialised as GeoJSON, :class:`HeatCells`) is made once and kept, and a cheap
folium layer is made from it for each map.

Public names
------------
HEAT_COLOURS, class_breaks, classify, class_colours
    One sequential colour scale (light = few, dark = many) and its classes.
coarsen_cells
    Cells merged into their HEALPix parents, keeping the largest value, until few enough
    to draw.
HeatCells, density_cells, sweep_cells
    Cells of a density grid or a sweep, serialised once, with their legend.
HeatLayer, heat_layer, rank_layer
    folium layers (for ``build_map(extra_layers=...)``): the coloured cells with their
    own legend, and the top sites marked with their rank.
basing_table, basing_note, basing_sites
    A sweep's top sites as a readable table, its method note, and each site as a typed
    site line (``NAME: LAT,LON``) for the dashboard's Compare tab.

Drawing
-------
Cells are drawn as lon/lat polygons through ``folium.GeoJson`` (never ``folium.Circle``),
from their four HEALPix corners, coordinates rounded to :data:`HEAT_DECIMALS` (about
110 m, far below the 25 km and wider cells drawn). Cells of one class (and, for the
density, one tooltip) form one MultiPolygon feature, so tens of thousands of cells reach
the browser as a few hundred paths. Every text is HTML-escaped, and reaches the page as
script-safe JSON (:mod:`rangemap._leaflet`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import folium
import geopandas as gpd
import healpy as hp
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.template import Template

from rangemap._leaflet import (
    Legend,
    escape,
    feature_collection,
    geojson_layer,
    point_features,
    safe_json,
)
from rangemap.grid import cell_area_km2, cell_polygons, cell_spacing_km

if TYPE_CHECKING:  # for annotations only: the sweep pulls in population and Dask
    from rangemap.sweep import SweepResult

__all__ = [
    "HEAT_COLOURS",
    "HEAT_DECIMALS",
    "MAX_DRAWN_CELLS",
    "HeatCells",
    "HeatLayer",
    "basing_note",
    "basing_sites",
    "basing_table",
    "class_breaks",
    "class_colours",
    "classify",
    "coarsen_cells",
    "density_cells",
    "heat_layer",
    "rank_layer",
    "sweep_cells",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Sequential scale, light (few) to dark (many): ColorBrewer's YlOrRd (Cynthia Brewer,
#: colorbrewer2.org, Apache-2.0), its seven darkest of nine classes, so that the lightest
#: class still shows on the beige land of the offline basemap.
HEAT_COLOURS = ("#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026")

#: Decimals of a degree kept in cell corners: at most 0.005 deg (under 600 m) off, on
#: cells 25 km wide and more; a fifth less text than 3 decimals.
HEAT_DECIMALS = 2

#: Most cells one heat layer draws; finer grids are drawn on coarser parent cells.
MAX_DRAWN_CELLS = 20_000

_FILL_OPACITY = 0.6


def class_breaks(values: npt.ArrayLike, n_classes: int = 7, *, integer: bool = False) -> FloatArray:
    """Return the lower bounds of up to ``n_classes`` colour classes (ascending).

    Few distinct values get a class each; otherwise the classes hold about as many
    values each (quantiles), bounds rounded down to three significant digits (whole
    numbers with ``integer``). NaN and infinite values are left out.

    Examples
    --------
    >>> class_breaks([1, 1, 2, 5], integer=True).tolist()
    [1.0, 2.0, 5.0]
    >>> class_breaks(np.arange(1, 101), 4).tolist()
    [1.0, 25.7, 50.5, 75.2]
    >>> class_breaks([np.nan]).tolist()
    []
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return np.zeros(0)
    distinct = np.unique(v)
    if distinct.size <= n_classes:
        return distinct
    q = np.quantile(v, np.linspace(0.0, 1.0, n_classes + 1)[:-1])
    if integer:
        q = np.floor(q)
    else:
        with np.errstate(divide="ignore"):
            digits = np.where(q == 0, 0, 2 - np.floor(np.log10(np.abs(q)))).astype(int)
        q = np.array([np.floor(x * 10.0**d) / 10.0**d for x, d in zip(q, digits, strict=True)])
    q[0] = min(q[0], distinct[0])
    return np.unique(q)


def classify(values: npt.ArrayLike, breaks: npt.ArrayLike) -> IntArray:
    """Return the class of each value: the last lower bound it reaches (0 below the first).

    Examples
    --------
    >>> classify([0, 1, 2, 4, 9], [1, 2, 5]).tolist()
    [0, 0, 1, 1, 2]
    """
    b = np.asarray(breaks, dtype=float)
    found = np.searchsorted(b, np.asarray(values, dtype=float), side="right") - 1
    return np.clip(found, 0, max(b.size - 1, 0)).astype(np.int64)


def class_colours(n_classes: int) -> list[str]:
    """Return ``n_classes`` colours of :data:`HEAT_COLOURS`, spread light to dark.

    Examples
    --------
    >>> class_colours(2), class_colours(1), class_colours(0)
    (['#fed976', '#800026'], ['#fc4e2a'], [])
    """
    last = len(HEAT_COLOURS) - 1
    if n_classes <= 1:
        return [HEAT_COLOURS[last // 2]] * n_classes
    n = min(n_classes, len(HEAT_COLOURS))
    return [HEAT_COLOURS[round(i * last / (n - 1))] for i in range(n)]


def coarsen_cells(
    nside: int, cells: npt.ArrayLike, values: npt.ArrayLike, *, max_cells: int = MAX_DRAWN_CELLS
) -> tuple[int, IntArray, FloatArray]:
    """Merge cells into their HEALPix parents, keeping the largest value, until few enough.

    Parameters
    ----------
    nside : int
        Grid of ``cells`` (RING numbering).
    cells, values : array_like
        Cells and one value each.
    max_cells : int
        Most cells to return; each coarser grid has a quarter as many.

    Returns
    -------
    (int, numpy.ndarray, numpy.ndarray)
        The grid drawn (``nside`` when the cells are few enough), its cells (RING,
        ascending in NESTED order) and the largest value of the cells each holds.

    Examples
    --------
    >>> n, cells, best = coarsen_cells(2, np.arange(48), np.arange(48.0), max_cells=12)
    >>> n, len(cells), float(best.max())
    (1, 12, 47.0)
    >>> coarsen_cells(8, [], [])[0]
    8
    """
    nest = hp.ring2nest(nside, np.asarray(cells, dtype=np.int64))
    v = np.asarray(values, dtype=float)
    n = int(nside)
    parents, inverse = np.unique(nest, return_inverse=True)
    while parents.size > max_cells and n > 1:
        nest, n = nest // 4, n // 2
        parents, inverse = np.unique(nest, return_inverse=True)
    best = np.full(parents.size, -np.inf)
    np.maximum.at(best, inverse, v)
    return n, np.asarray(hp.nest2ring(n, parents), dtype=np.int64), best


def _number(value: float, integer: bool) -> str:
    if integer or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _class_labels(breaks: FloatArray, top: float, integer: bool) -> list[str]:
    """Each class as ``low–high`` (a single number where a class holds one value)."""
    highs = [*(breaks[1:] - 1 if integer else breaks[1:]), top][: breaks.size]
    return [
        _number(low, integer)
        if high <= low
        else f"{_number(low, integer)}–{_number(high, integer)}"
        for low, high in zip(breaks, highs, strict=True)
    ]


def _legend_rows(colours: list[str], labels: list[str]) -> str:
    return "".join(
        f'<div class="row"><span class="sw" style="background:{c};opacity:{_FILL_OPACITY}">'
        f"</span><span>{escape(label)}</span></div>"
        for c, label in zip(colours, labels, strict=True)
    )


def _style(colour: str) -> dict[str, Any]:
    # nonzero: a sliver where two rounded cells overlap stays filled (evenodd empties it).
    return {"color": colour, "weight": 0, "fill": True, "fillColor": colour,
            "fillOpacity": _FILL_OPACITY, "fillRule": "nonzero",
            "className": "rm-heat"}  # fmt: skip


def _cell_features(
    polys: npt.NDArray[np.object_], groups: list[IntArray], properties: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One MultiPolygon feature per group of cells, coordinates rounded in bulk.

    Cell polygons have no holes and are counter-clockwise already (RFC 7946 section 3.1.6,
    :func:`rangemap.grid.cell_polygons`), so their rings are written straight from one
    array: rounding tens of thousands of small polygons one by one
    (:func:`rangemap.geojson.geometry_object`) took seconds.
    """
    if polys.size == 0:
        return []
    parts, cell_of_part = shapely.get_parts(polys, return_index=True)
    coords, ring_of = shapely.get_coordinates(shapely.get_exterior_ring(parts), return_index=True)
    rings = np.split(np.round(coords, HEAT_DECIMALS), np.flatnonzero(np.diff(ring_of)) + 1)
    by_cell: list[list[list[FloatArray]]] = [[] for _ in range(polys.size)]
    for ring, cell in zip(rings, cell_of_part, strict=True):
        by_cell[cell].append([ring])
    return [
        {"type": "Feature", "properties": props,
         "geometry": {"type": "MultiPolygon",
                      "coordinates": [part for i in group for part in by_cell[i]]}}
        for group, props in zip(groups, properties, strict=True)
    ]  # fmt: skip


def _bounds(polys: npt.NDArray[np.object_]) -> tuple[float, float, float, float]:
    if polys.size == 0:
        return (-180.0, -60.0, 180.0, 78.0)
    west, south, east, north = shapely.total_bounds(polys)
    return (float(west), float(south), float(east), float(north))


@dataclass(frozen=True)
class HeatCells:
    """Coloured cells serialised once (keep it), for :func:`heat_layer`.

    Attributes
    ----------
    name : str
        The layer's name in the layer control.
    collection : str
        Script-safe GeoJSON FeatureCollection, one MultiPolygon feature per class (and
        tooltip), with style and escaped tooltip.
    legend : str
        Legend HTML, text escaped.
    bounds : tuple of float
        ``(west, south, east, north)`` of the cells, degrees.
    n_cells : int
        Cells drawn.
    """

    name: str
    collection: str
    legend: str
    bounds: tuple[float, float, float, float]
    n_cells: int


def _density_tooltip(pairs: int, systems: int, low: int, high: int, uncounted: int) -> str:
    """Tooltip of a density cell: pairs, systems and launchers (or that none are published)."""
    rows = [f"<b>{escape(f'{pairs:,}')} (system, site) pairs</b> reach this cell",
            f"{escape(f'{systems:,}')} system{'s' if systems != 1 else ''}"]  # fmt: skip
    if uncounted >= systems:
        rows.append("launchers: no published count")
    else:
        span = f"{low:,}" if low == high else f"{low:,}–{high:,}"
        rows.append(f"launchers: {escape(span)}")
        if uncounted:
            rows.append(f"(+ {escape(uncounted)} system{'s' if uncounted != 1 else ''} with "
                        "no published count)")  # fmt: skip
    return "<br>".join(rows)


def density_cells(density: pd.DataFrame, *, every_site: bool = False) -> HeatCells:
    """Serialise the reached cells of a threat density, coloured by pairs, with a legend.

    Parameters
    ----------
    density : pandas.DataFrame
        From :func:`rangemap.density.threat_density` (its ``attrs`` give ``nside``,
        ``as_of`` and ``band``; the geometry is not read). Cells no pair reaches are
        left out.
    every_site : bool
        The density counted every site of each system's country: the legend says so.

    Returns
    -------
    HeatCells
        One feature per distinct (pairs, systems, launchers) tooltip.

    Examples
    --------
    >>> frame = pd.DataFrame({"cell": [0, 1, 2], "pairs": [0, 2, 9], "systems": [0, 1, 2],
    ...                       "launchers_low": [0, 0, 4], "launchers_high": [0, 0, 8],
    ...                       "uncounted_systems": [0, 1, 1]})
    >>> frame.attrs.update(nside=4, as_of="2025-12-31", band="nominal")
    >>> cells = density_cells(frame)
    >>> cells.n_cells, "no published count" in cells.collection, "4–8" in cells.collection
    (2, True, True)
    >>> "nominal range reaches the cell centre; as of 2025-12-31" in cells.legend
    True
    >>> density_cells(frame.iloc[:1]).n_cells  # no cell reached: an empty layer
    0
    """
    nside = int(density.attrs["nside"])
    reached = density.loc[density["pairs"] > 0].reset_index(drop=True)
    keys = ["pairs", "systems", "launchers_low", "launchers_high", "uncounted_systems"]
    pairs = reached["pairs"].to_numpy(dtype=float)
    breaks = class_breaks(pairs, integer=True)
    colours = class_colours(breaks.size)
    polys = cell_polygons(nside, reached["cell"].to_numpy(dtype=np.int64), step=1)
    groups: list[IntArray] = []
    properties = []
    for key, index in reached.groupby(keys, sort=True).indices.items():
        p, s, low, high, u = (int(x) for x in cast(tuple, key))
        groups.append(np.asarray(index, dtype=np.int64))
        colour = colours[int(classify([p], breaks)[0])]
        properties.append({"pairs": p, "style": _style(colour),
                           "tooltip": _density_tooltip(p, s, low, high, u)})  # fmt: skip
    band = escape(density.attrs.get("band", "nominal"))
    as_of = escape(density.attrs.get("as_of", "today"))
    area = cell_area_km2(nside)
    legend = (
        "<b>Threat density</b>"
        + _legend_rows(colours, _class_labels(breaks, float(pairs.max(initial=0)), True))
        + f"<div>(system, site) pairs whose {band} range reaches the cell centre; "
        f"as of {as_of}</div>"
        + ("<div>with every site of each system's country (hypothetical)</div>"
           if every_site else "")
        + f"<div>cells of {area:,.0f} km² (about {cell_spacing_km(nside):,.0f} km)</div>"
    )  # fmt: skip
    return HeatCells(
        name="Threat density",
        collection=feature_collection(_cell_features(polys, groups, properties)),
        legend=legend,
        bounds=_bounds(polys),
        n_cells=len(reached),
    )


def sweep_cells(result: SweepResult, *, max_cells: int = MAX_DRAWN_CELLS) -> HeatCells:
    """Serialise a sweep's candidates coloured by the screen value, with a legend.

    Past ``max_cells`` candidates, cells are merged into their HEALPix parents, each
    showing its best candidate's value (:func:`coarsen_cells`).

    Parameters
    ----------
    result : rangemap.sweep.SweepResult
        ``candidates`` (``cell, value_screen``), ``meta`` (``nside``, ``grid_km``,
        ``within``) and ``label`` are read.
    max_cells : int
        Most cells to draw.

    Returns
    -------
    HeatCells
        One feature per colour class.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> result = SimpleNamespace(
    ...     candidates=pd.DataFrame({"cell": np.arange(48), "value_screen": np.arange(48.0)}),
    ...     meta={"nside": 2, "grid_km": 3258.8, "within": "<i>anywhere</i>"},
    ...     label="capitals in range", top=pd.DataFrame({"scenario": ["1,000 km"]}))
    >>> cells = sweep_cells(result, max_cells=12)
    >>> cells.n_cells, "capitals in range" in cells.legend, "<i>" in cells.legend
    (12, True, False)
    """
    meta = result.meta
    frame = result.candidates
    n, cells, best = coarsen_cells(
        int(meta["nside"]), frame["cell"].to_numpy(), frame["value_screen"].to_numpy(),
        max_cells=max_cells,
    )  # fmt: skip
    breaks = class_breaks(best)
    colours = class_colours(breaks.size)
    labels = _class_labels(breaks, float(best.max(initial=0.0)), False)
    classes = classify(best, breaks)
    polys = cell_polygons(n, cells, step=1)
    groups, properties = [], []
    label = escape(result.label)
    for k in np.unique(classes):
        groups.append(np.flatnonzero(classes == k))
        properties.append({
            "style": _style(colours[k]),
            "tooltip": f"<b>{escape(labels[k])}</b><br>{label} (screen estimate)",
        })  # fmt: skip
    scenario = str(result.top["scenario"].iat[0]) if len(result.top) else ""
    drawn = f"best candidate per cell of about {cell_spacing_km(n):,.0f} km; " \
        if n != int(meta["nside"]) else ""  # fmt: skip
    legend = (
        f"<b>{escape(scenario) + ': ' if scenario else ''}{label}</b>"
        + _legend_rows(colours, labels)
        + f"<div>screen estimate at {len(frame):,} candidates {escape(meta['grid_km'])} km "
        f"apart in {escape(meta['within'])}; {drawn}numbers: top sites</div>"
    )
    return HeatCells(
        name="Basing sweep",
        collection=feature_collection(_cell_features(polys, groups, properties)),
        legend=legend,
        bounds=_bounds(polys),
        n_cells=int(cells.size),
    )


class _LayerLegend(MacroElement):
    """A legend control shown while its parent layer is on the map (bottom left)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            (function () {
                var layer = {{ this._parent.get_name() }};
                var legend = L.control({position: "bottomleft"});
                legend.onAdd = function () {
                    var div = L.DomUtil.create("div", "rm-legend rm-heat-legend");
                    div.innerHTML = {{ this.content }};
                    L.DomEvent.disableClickPropagation(div);
                    L.DomEvent.disableScrollPropagation(div);
                    return div;
                };
                layer.on("add", function () { legend.addTo(layer._map); });
                layer.on("remove", function () { legend.remove(); });
                if (layer._map) { legend.addTo(layer._map); }
            })();
        {% endmacro %}
        """
    )

    def __init__(self, content: str):
        super().__init__()
        self._name = "LayerLegend"
        self.css = Legend.css  # also when the map has no other legend
        self.content = safe_json(content)


class HeatLayer(folium.FeatureGroup):
    """Coloured cells as one toggleable layer, with a legend shown while it is on.

    ``get_bounds()`` gives the cells' extent, for framing a map of cells only.
    """

    def __init__(self, cells: HeatCells, *, show: bool = True):
        super().__init__(name=cells.name, show=show)
        self.cells = cells
        # smooth_factor 0: Leaflet's default simplification (1 px) collapses cells a few
        # pixels wide when zoomed out, and the basemap shows through them as hatching.
        geojson_layer(cells.collection, cells.name, control=False, smooth_factor=0).add_to(self)
        self.add_child(_LayerLegend(cells.legend))

    def get_bounds(self) -> list[list[float | None]]:
        """Return ``[[south, west], [north, east]]`` of the cells."""
        west, south, east, north = self.cells.bounds
        return [[south, west], [north, east]]


def heat_layer(cells: HeatCells, *, show: bool = True) -> HeatLayer:
    """Make the folium layer of serialised cells (cheap: the data are not copied).

    Examples
    --------
    >>> frame = pd.DataFrame({"cell": [5], "pairs": [1], "systems": [1],
    ...                       "launchers_low": [2], "launchers_high": [2],
    ...                       "uncounted_systems": [0]})
    >>> frame.attrs.update(nside=2, as_of="2025-12-31", band="nominal")
    >>> m = folium.Map(tiles=None)
    >>> layer = heat_layer(density_cells(frame)).add_to(m)
    >>> html = m.get_root().render()
    >>> "rm-heat-legend" in html, "launchers: 2" in html, layer.get_bounds()[0][0] < 90
    (True, True, True)
    """
    return HeatLayer(cells, show=show)


_RANK_STYLE = {"radius": 12, "fill": True, "color": "#111111", "weight": 2,
               "fillColor": "#ffffff", "fillOpacity": 0.95,
               "className": "rm-rank-site"}  # fmt: skip
_RANK_HTML = (
    '<div class="rm-rank" style="font:700 12px/24px system-ui,sans-serif;text-align:center;'
    'color:#111">{rank}</div>'
)


def rank_layer(top: pd.DataFrame, label: str, *, name: str = "Top sites") -> folium.FeatureGroup:
    """Mark a sweep's top sites with their rank; hover one for its place and exact value.

    Parameters
    ----------
    top : pandas.DataFrame
        ``SweepResult.top`` (``rank, lat, lon, near, value_exact``).
    label : str
        What the values count (``SweepResult.label``).

    Examples
    --------
    >>> top = pd.DataFrame({"rank": [1], "lat": [50.2], "lon": [18.1], "value_exact": [28.0],
    ...                     "near": ["<b>Opole</b>, POL (3 km)"]})
    >>> m = folium.Map(tiles=None)
    >>> _ = rank_layer(top, "capitals in range").add_to(m)
    >>> html = m.get_root().render()
    >>> "rm-rank" in html, "u0026lt;b" in html, "<b>Opole" in html  # escaped, script-safe
    (True, True, False)
    """
    group = folium.FeatureGroup(name=name)
    points = gpd.GeoDataFrame(top, geometry=gpd.points_from_xy(top["lon"], top["lat"]),
                              crs="EPSG:4326")  # fmt: skip
    columns = (top["rank"].astype(int), top["lat"].astype(float), top["lon"].astype(float),
               top["value_exact"].astype(float), top["near"].astype(str))  # fmt: skip
    rows = list(zip(*columns, strict=True))
    tips = [
        f"<b>#{rank}</b> near {escape(near)}<br>{lat:.4f}, {lon:.4f}<br>{escape(label)}: "
        f"{value:,.0f} (exact recount)"
        for rank, lat, lon, value, near in rows
    ]
    collection = feature_collection(point_features(points, [_RANK_STYLE] * len(top), tips))
    geojson_layer(collection, name, points=True, control=False).add_to(group)
    for rank, lat, lon, _, _ in rows:  # the number over each marker; hover goes through it
        icon = folium.DivIcon(html=_RANK_HTML.format(rank=int(rank)), icon_size=(24, 24),
                              icon_anchor=(12, 12), class_name="rm-rank-icon")  # fmt: skip
        folium.Marker([lat, lon], icon=icon, interactive=False).add_to(group)
    return group


def basing_table(result: SweepResult) -> pd.DataFrame:
    """Return a sweep's top sites for reading: rank, near, lat, lon and the exact value.

    The value column is named by the sweep's label and written with thousands
    separators; latitude and longitude are rounded to 2 decimals.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> top = pd.DataFrame({"rank": [1], "near": ["Opole, POL (3 km)"], "lat": [50.2177],
    ...                     "lon": [18.0841], "value_exact": [1234567.0]})
    >>> basing_table(SimpleNamespace(top=top, label="population")).values.tolist()
    [[1, 'Opole, POL (3 km)', 50.22, 18.08, '1,234,567']]
    """
    top = result.top
    return pd.DataFrame({
        "rank": top["rank"].astype(int).to_numpy(),
        "near": top["near"].astype(str).to_numpy(),
        "lat": top["lat"].astype(float).round(2).to_numpy(),
        "lon": top["lon"].astype(float).round(2).to_numpy(),
        result.label: [f"{float(v):,.0f}" for v in top["value_exact"]],
    })  # fmt: skip


def basing_note(result: SweepResult) -> str:
    """Say how a sweep was made: its grid and candidates, and its method (plain text).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> meta = {"grid_km": 50.9, "n_candidates": 117, "n_refined": 117, "within": "Poland",
    ...         "method": "Screened, then recounted."}
    >>> basing_note(SimpleNamespace(meta=meta, label="capitals in range"))[:60]
    '117 candidate sites 50.9 km apart in Poland; the best 117 by'
    """
    meta = result.meta
    return (
        f"{meta['n_candidates']:,} candidate sites {meta['grid_km']} km apart in "
        f"{meta['within']}; the best {meta['n_refined']:,} by screen were recounted. The "
        f"table's {result.label} is value_exact, an exact recount at each site; the map's "
        f"cells show the screen estimate. {meta['method']}"
    )


_DISTANCE = re.compile(r"\s*\([\d,.]+ km\)\s*$")


def basing_sites(top: pd.DataFrame) -> dict[int, str]:
    """Each top site as a typed site line ``Basing #RANK (near PLACE): LAT,LON``, by rank.

    What :func:`rangemap.sites.parse_site_lines` reads; coordinates to 1e-4 degrees.

    Examples
    --------
    >>> top = pd.DataFrame({"rank": [1, 2], "lat": [50.21767, -0.5], "lon": [18.08411, 9.0],
    ...                     "near": ["Polska Cerekiew, POL (3 km)", ""]})
    >>> basing_sites(top)
    {1: 'Basing #1 (near Polska Cerekiew, POL): 50.2177,18.0841', 2: 'Basing #2: -0.5000,9.0000'}
    """
    out = {}
    for rank, lat, lon, near in zip(top["rank"].astype(int), top["lat"].astype(float),
                                    top["lon"].astype(float), top["near"].astype(str),
                                    strict=True):  # fmt: skip
        place = " ".join(_DISTANCE.sub("", near).split())
        name = f"Basing #{rank}" + (f" (near {place})" if place else "")
        out[int(rank)] = f"{name}: {lat:.4f},{lon:.4f}"
    return out
