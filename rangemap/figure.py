"""Publication figures of range rings: PNG (300 dpi), SVG and PDF for a report page.

A figure is 7 inches wide (a report page's text width): a title, the map in a projection
centred on the region (:mod:`rangemap.mapframe`: Lambert azimuthal equal-area or azimuthal
equidistant for Europe and East Asia, Equal Earth for the world; never Web Mercator), the
shipped country outlines, the rings with a legend, site labels, a scale bar true at the
centre, and a footnote that states the method (WGS84 geodesics, GeographicLib via pyproj,
boundaries within 50 m) and cites the sources of every figure drawn, system by system.

Text may be English or Japanese (:mod:`rangemap._figtext` chooses the fonts: the
``matplotlib-fontja`` dependency's IPAexGothic, else Debian's Noto Sans CJK JP). Figures are
built on :class:`matplotlib.figure.Figure` directly (no pyplot state), so they are safe to
make from a web app's threads, and artists are added directly rather than through
``GeoSeries.plot``, which redraws the whole figure on every call. Every name, title and
label is drawn as plain text, never as mathtext: ``$x^$`` is drawn as typed (issue 15).

Public functions
----------------
draw_figure
    Rings, sites, countries, legend, title, scale bar and a footnote with every
    figure's sources and the method, as a matplotlib Figure.
range_figure
    :func:`draw_figure` for systems and sites named as on the command line.
inf_policy_figure
    The policy-paper figure: INF-class systems held by each state, drawn from a
    representative site on its home territory (East Asia), one panel per state.
save_figure
    Write a figure as PNG, SVG or PDF, atomically, with fixed metadata.

Colours and band styles come from :mod:`rangemap.style` (a system has the same colour here
as on the map and in KML); projections from :mod:`rangemap.mapframe`; words and fonts from
:mod:`rangemap._figtext`.
"""

from __future__ import annotations

import io
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects as pe
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.path import Path as MplPath
from matplotlib_scalebar.scalebar import ScaleBar
from shapely.geometry.base import BaseGeometry

from rangemap._figtext import (
    STATE_NAMES,
    TEXT,
    Lang,
    band_label,
    centre_text,
    families,
    fit_text,
    rc_params,
    save_params,
    short_names,
    sources_text,
    wrap_text,
)
from rangemap._io import write_atomic
from rangemap.catalogue import load_catalogue
from rangemap.errors import ExportError, OptionError
from rangemap.geodesy import WGS84
from rangemap.mapframe import (
    Frame,
    Projection,
    countries_in_frame,
    graticule_lines,
    map_frame,
    map_transformer,
    project_geometries,
    ring_outlines,
)
from rangemap.polygons import WORLD
from rangemap.regions import Region
from rangemap.rings import join_sites, range_rings, rings_for
from rangemap.sites import load_sites, resolve_sites
from rangemap.style import STATE_COLORS, band_style, matplotlib_line, system_colors

__all__ = [
    "FIGURE_FORMATS",
    "REPRESENTATIVE_SITES",
    "draw_figure",
    "inf_policy_figure",
    "range_figure",
    "save_figure",
]

FIGURE_FORMATS = ("png", "svg", "pdf")

#: Page geometry (inches): a report page's text width.
_WIDTH_IN = 7.0
_MARGIN_IN = 0.3

_OCEAN = "#DCE8F1"
_LAND = "#F4F2EB"
_BORDER = "#9C9C9C"
_GRATICULE = "#C3D1DC"
#: Tint opacity in figures per unit of a band's map fill opacity: paper shows tints
#: stronger than a screen, and tints of one colour are merged so overlaps do not darken.
_TINT_PER_FILL = 0.4

#: One shipped site per state for :func:`inf_policy_figure`: where the sources place (or,
#: marked hypothetical in ``data/sites.csv``, debate placing) that state's intermediate-range
#: missiles, choosing for China the site of its first DF-26 brigade (Xinyang, inland, so
#: rings are not biased to the coast), for Russia its Pacific coast (its home territory
#: nearest the region), for the United States Guam (US territory in the region) and for
#: South Korea the notional Pyeongtaek marker. A capital would draw Russia's rings from
#: Moscow, outside the map; a deployment site is what policy papers draw from.
REPRESENTATIVE_SITES: dict[str, str] = {
    "CHN": "henan-xinyang",
    "PRK": "dprk-pyongyang",
    "KOR": "south-korea",
    "JPN": "kyushu-kumamoto",
    "TWN": "taiwan-taoyuan",
    "RUS": "primorye-vladivostok",
    "USA": "guam",
}


# --- drawing -------------------------------------------------------------------------------


@dataclass
class _Ring:
    geometry: BaseGeometry  # projected polygon, for the tint
    outline: BaseGeometry  # projected true boundary, for the stroke
    color: str
    style: Any
    width: float
    tint: float  # fill opacity; 0 for none


@dataclass
class _Panel:
    """One map of a page: its rings, sites, optional heading and on-ring labels."""

    rings: list[_Ring]
    sites: pd.DataFrame
    heading: str = ""
    ring_labels: list[tuple[float, float, float, str, str]] | None = None  # lon, lat, km


def _page(
    fig: Figure,
    frame: Frame,
    *,
    title: str,
    subtitle: str,
    panels: int,
    ncols: int,
    legend: list[tuple[Line2D, str]],
    footnote: str,
    lang: Lang,
) -> list[Any]:
    """Lay out title, map panel(s), legend and footnote on a report-width page."""
    canvas = FigureCanvasAgg(fig)
    inner = _WIDTH_IN - 2 * _MARGIN_IN
    gap, head_h = 0.14, (0.2 if panels > 1 else 0.0)
    panel_w = (inner - gap * (ncols - 1)) / ncols
    panel_h = panel_w * frame.aspect
    if panels == 1 and panel_h > 7.2:
        panel_h = 7.2
        panel_w = panel_h / frame.aspect
    rows = math.ceil(panels / ncols)
    maps_h = rows * (panel_h + head_h) + (rows - 1) * 0.1
    ncol_legend = 1 if len(legend) <= 3 else 2
    if max((len(lbl) for _, lbl in legend), default=0) > 60:
        ncol_legend = 1
    legend_h = (0.16 * math.ceil(len(legend) / ncol_legend) + 0.1) if legend else 0.0
    foot_size = 5.6 if len(footnote) < 4000 else 4.8
    foot_prop = FontProperties(family=families(lang), size=foot_size)
    # Measured at 100 dpi; keep a margin for hinting at other resolutions.
    foot_lines = wrap_text(footnote, inner * 72.0 * 0.96, foot_prop, canvas)
    foot_h = len(foot_lines) * foot_size * 1.3 / 72.0
    title_h = 0.62
    height = title_h + maps_h + 0.1 + legend_h + foot_h + 0.2
    fig.set_size_inches(_WIDTH_IN, height)

    def y(inches_from_top: float) -> float:
        return 1.0 - inches_from_top / height

    # DejaVu Sans has a bold face; the Japanese fonts here do not, so CJK titles stay regular.
    latin = not re.search(r"[\u3000-\u9fff\uff00-\uffef]", title)
    title_prop = FontProperties(family=["DejaVu Sans"] if latin else families(lang),
                                size=11.5, weight="bold" if latin else "normal")  # fmt: skip
    fig.text(_MARGIN_IN / _WIDTH_IN, y(0.24), fit_text(title, inner * 72.0, title_prop, canvas),
             fontproperties=title_prop, va="baseline", ha="left")  # fmt: skip
    fig.text(_MARGIN_IN / _WIDTH_IN, y(0.46), subtitle, fontsize=7.5, color="#444444",
             va="baseline", ha="left")  # fmt: skip
    axes = []
    left0 = (_WIDTH_IN - (ncols * panel_w + (ncols - 1) * gap)) / 2.0
    for i in range(panels):
        r, c = divmod(i, ncols)
        top = title_h + r * (panel_h + head_h + 0.1) + head_h
        left = left0 + c * (panel_w + gap)
        axes.append(fig.add_axes((left / _WIDTH_IN, y(top + panel_h), panel_w / _WIDTH_IN,
                                  panel_h / height)))  # fmt: skip
    top = title_h + maps_h + 0.1
    if legend:
        fig.legend(
            [h for h, _ in legend], [lbl for _, lbl in legend], loc="upper left",
            bbox_to_anchor=(_MARGIN_IN / _WIDTH_IN, y(top)), ncol=ncol_legend, frameon=False,
            fontsize=7, handlelength=2.6, borderaxespad=0.0, borderpad=0.0, columnspacing=1.6,
            labelspacing=0.35,
        )  # fmt: skip
        top += legend_h
    fig.text(_MARGIN_IN / _WIDTH_IN, y(top), "\n".join(foot_lines), fontproperties=foot_prop,
             va="top", ha="left", color="#333333", linespacing=1.3)  # fmt: skip
    return axes


def _polygon_path(geom: BaseGeometry) -> MplPath | None:
    """One compound matplotlib path for a (Multi)Polygon, holes included."""
    polys = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, shapely.Polygon)]
    rings = [r for p in polys if not p.is_empty for r in (p.exterior, *p.interiors)]
    if not rings:
        return None
    return MplPath.make_compound_path(
        *(MplPath(np.asarray(r.coords)[:, :2], closed=True) for r in rings)
    )


def _add_polygons(ax: Any, geoms: Iterable[BaseGeometry], **style: Any) -> None:
    # Artists are added directly: geopandas' plot() redraws the whole figure every call.
    paths = [p for p in (_polygon_path(g) for g in geoms) if p is not None]
    if paths:
        ax.add_collection(PathCollection(paths, **style), autolim=False)


def _add_lines(ax: Any, geoms: Iterable[BaseGeometry], **style: Any) -> None:
    segments = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        for part in getattr(geom, "geoms", [geom]):
            if isinstance(part, (shapely.Polygon,)):
                segments += [np.asarray(r.coords)[:, :2] for r in (part.exterior, *part.interiors)]
            elif isinstance(part, (shapely.LineString, shapely.LinearRing)):
                segments.append(np.asarray(part.coords)[:, :2])
    if segments:
        ax.add_collection(LineCollection(segments, **style), autolim=False)


def _nice_km(length_km: float) -> float:
    """Return the largest of 1, 2, 5 x 10^k km not above ``length_km``."""
    exp = 10.0 ** math.floor(math.log10(length_km))
    return max(m * exp for m in (1, 2, 5) if m * exp <= length_km)


def _draw_map(ax: Any, frame: Frame, panel: _Panel, lang: Lang, *, labels: bool,
              scalebar: bool, small: bool = False) -> None:  # fmt: skip
    xmin, ymin, xmax, ymax = frame.bounds
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    if frame.kind == "eqearth":
        globe = project_geometries([WORLD], frame)[0]
        _add_polygons(ax, [globe], facecolor=_OCEAN, edgecolor="#888888", linewidth=0.6)
        for spine in ax.spines.values():
            spine.set_visible(False)
    else:
        ax.set_facecolor(_OCEAN)
        for spine in ax.spines.values():
            spine.set_linewidth(0.6)
            spine.set_color("#555555")
    _add_lines(ax, graticule_lines(frame), color=_GRATICULE, linewidth=0.35, zorder=1)
    _add_polygons(ax, countries_in_frame(frame), facecolor=_LAND, edgecolor=_BORDER,
                  linewidth=0.25 if small else 0.3, zorder=2)  # fmt: skip
    # One tint per colour and opacity over the union of its rings, so overlaps of one
    # band do not darken; a paler band (high) shows around a stronger one (nominal).
    tints: dict[tuple[str, float], list[BaseGeometry]] = {}
    for ring in panel.rings:
        if ring.tint > 0 and not ring.geometry.is_empty:
            tints.setdefault((ring.color, ring.tint), []).append(ring.geometry)
    for (color, alpha), geoms in sorted(tints.items(), key=lambda kv: kv[0][1]):
        _add_polygons(ax, [shapely.union_all(geoms)], facecolor=color, edgecolor="none",
                      alpha=alpha, zorder=3)  # fmt: skip
    for ring in panel.rings:
        _add_lines(ax, [ring.outline], colors=ring.color, linewidths=ring.width,
                   linestyles=[ring.style], zorder=4)  # fmt: skip
    halo = [pe.withStroke(linewidth=2.0, foreground="white")]
    if len(panel.sites):
        pts = project_geometries(gpd.points_from_xy(panel.sites["lon"], panel.sites["lat"]),
                                 frame)  # fmt: skip
        for pt, name in zip(pts, panel.sites["site"], strict=True):
            if pt.is_empty:
                continue
            ax.plot(pt.x, pt.y, marker="^", markersize=3.5 if small else 5, color="black",
                    markeredgecolor="white", markeredgewidth=0.5, zorder=6)  # fmt: skip
            if labels:
                # Labels near the right edge go to the marker's left, so they stay on the map.
                right = (pt.x - xmin) / (xmax - xmin) > 0.75
                ax.annotate(str(name), (pt.x, pt.y), xytext=(-4 if right else 4, 3),
                            textcoords="offset points", ha="right" if right else "left",
                            fontsize=6.5, zorder=7, path_effects=halo)  # fmt: skip
    if panel.ring_labels:
        _place_ring_labels(ax, frame, panel.ring_labels, size=4.8 if small else 6.0)
    if panel.heading:
        prop = FontProperties(family=families(lang), size=6.5 if small else 7.5)
        width_pt = ax.get_position().width * ax.figure.get_figwidth() * 72.0
        text = fit_text(panel.heading, width_pt, prop, ax.figure.canvas)
        ax.set_title(text, fontproperties=prop, loc="left", pad=3)
    ax.set_xlabel("")
    ax.set_ylabel("")
    if scalebar:
        where = "at the equator" if frame.kind == "eqearth" else "at the centre"
        if lang is Lang.JA:
            where = "赤道上" if frame.kind == "eqearth" else "図の中心"
        size = 5.0 if small else 6.5
        ax.add_artist(
            ScaleBar(
                dx=1.0 / frame.scale, units="m", location="lower left",
                fixed_value=_nice_km(0.22 * (xmax - xmin) / frame.scale / 1000.0),
                fixed_units="km", box_alpha=0.75, border_pad=0.5,
                font_properties={"size": size, "family": families(lang)},
                scale_formatter=lambda value, unit: f"{value:,g} {unit}",
                label=where, label_loc="bottom", scale_loc="top", color="#222222",
            )
        )  # fmt: skip


def _place_ring_labels(ax: Any, frame: Frame, labels: list[tuple[float, float, float, str, str]],
                       size: float) -> None:  # fmt: skip
    """Write each label on its ring where it is in view and clear of the labels placed."""
    tr = map_transformer(frame.crs)
    to_px = ax.transData.transform
    bbox = ax.get_window_extent()
    px_per_pt = ax.figure.dpi / 72.0
    placed: list[tuple[float, float, float, float]] = []
    # A box, not a halo: the ring passes under the label and would show between words.
    backing = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none",
               "alpha": 0.85}  # fmt: skip
    for k, (lon0, lat0, radius_km, text, color) in enumerate(labels):
        w = 0.55 * size * len(text) * px_per_pt / 2 + 2
        h = 0.7 * size * px_per_pt + 1
        for step in range(72):
            az = (330.0 + 40.0 * k + 25.0 * step) % 360.0
            lon, lat, _ = WGS84.fwd(lon0, lat0, az, radius_km * 1000.0)
            if lon - frame.lon0 > 180:
                lon -= 360.0
            elif lon - frame.lon0 < -180:
                lon += 360.0
            x, y = tr.transform(lon, lat)
            px, py = to_px((x, y))
            inside = (bbox.x0 + w < px < bbox.x1 - w) and (bbox.y0 + h < py < bbox.y1 - h)
            clear = all(abs(px - qx) > w + qw or abs(py - qy) > h + qh
                        for qx, qy, qw, qh in placed)  # fmt: skip
            if inside and clear:
                placed.append((px, py, w, h))
                ax.text(x, y, text, fontsize=size, color=color, ha="center", va="center",
                        zorder=8, bbox=backing)  # fmt: skip
                break


def _ring_records(
    rings: gpd.GeoDataFrame, frame: Frame, lang: Lang, colors: Mapping[str, str], fill: bool
) -> tuple[list[_Ring], list[tuple[Line2D, str]]]:
    projected = project_geometries(rings.geometry, frame)
    outlines = ring_outlines(rings.geometry, frame)
    out, legend = [], []
    seen: set[tuple[str, str, float]] = set()
    for (_, row), geom, outline in zip(rings.iterrows(), projected, outlines, strict=True):
        color = colors.get(str(row["system_id"]), "#333333")
        style, width = matplotlib_line(str(row["band"]))
        band = band_label(str(row["band"]), lang)
        name = str(row["system"]) or TEXT[lang]["custom"]
        label = f"{name} — {float(row['radius_km']):,.0f} km" + (f" ({band})" if band else "")
        tint = band_style(str(row["band"])).fill_opacity * _TINT_PER_FILL if fill else 0.0
        out.append(_Ring(geometry=geom, outline=outline, color=color, style=style,
                         width=width, tint=tint))  # fmt: skip
        key = (name, str(row["band"]), float(row["radius_km"]))
        if key not in seen:
            seen.add(key)
            handle = Line2D([], [], color=color, linestyle=cast(Any, style), linewidth=width)
            legend.append((handle, label))
    return out, legend


def draw_figure(
    rings: gpd.GeoDataFrame,
    *,
    region: str | Region = Region.EAST_ASIA,
    lang: str | Lang = Lang.EN,
    title: str | None = None,
    projection: str | Projection = Projection.LAEA,
    catalogue: pd.DataFrame | None = None,
    labels: bool = True,
    fill: bool = True,
    sources: str = "auto",
) -> Figure:
    """Draw a report figure of range rings: map, legend, title, scale bar, sources, method.

    Parameters
    ----------
    rings : geopandas.GeoDataFrame
        From :func:`rangemap.rings.range_rings` (columns ``system_id, system, site, lat,
        lon, band, radius_km, sources`` and lon/lat ring geometry).
    region : {"europe", "east-asia", "world"}
        Preset that fixes the projection's centre and the view.
    lang : {"en", "ja"}
        Language of the title, legend, scale bar and footnote.
    title : str, optional
        Overrides the default title ("Range of ... from ...").
    projection : {"laea", "aeqd"}
        Regional projection (the world is always Equal Earth).
    catalogue : pandas.DataFrame, optional
        For the access date of each system's sources; defaults to the shipped catalogue.
    labels : bool
        Label the launch sites.
    fill : bool
        Tint the inside of rings as their band's style says (nominal, and paler up to the
        high figure; only with three systems or fewer, where tints stay apart).
    sources : {"auto", "urls", "hosts"}
        How the footnote cites each figure's sources: full URLs, their hosts, or URLs
        unless they pass 2,500 characters (then hosts, pointing to the full list).

    Returns
    -------
    matplotlib.figure.Figure
        7 inches wide; its height follows the region's shape, the legend and footnote.

    Raises
    ------
    OptionError, ExportError
        For an unknown language, projection or region, or no Japanese font.

    Examples
    --------
    >>> from rangemap.rings import range_rings
    >>> fig = draw_figure(range_rings(["df-26"], ["guam"]), region="east-asia")
    >>> float(fig.get_size_inches()[0])
    7.0
    >>> draw_figure(range_rings(["df-26"], ["guam"]), lang="fr")
    Traceback (most recent call last):
    ...
    rangemap.errors.OptionError: lang must be one of en, ja; got 'fr'
    """
    language = Lang.parse(lang)
    frame = map_frame(region, projection)
    cat = load_catalogue() if catalogue is None else catalogue
    words = TEXT[language]
    colors = system_colors(rings["system_id"].astype(str))
    fill = fill and rings["system_id"].nunique() <= 3
    ring_list, legend = _ring_records(rings, frame, language, colors, fill)
    short = short_names(cat)
    systems = list(dict.fromkeys(short.get(str(i), str(s)) if s else words["custom"]
                                 for i, s in zip(rings["system_id"], rings["system"],
                                                 strict=True)))  # fmt: skip
    site_names = list(dict.fromkeys(str(s) for s in rings["site"]))
    sep = "、" if language is Lang.JA else ", "
    heading = title or words["title"].format(systems=sep.join(systems), sites=sep.join(site_names))
    subtitle = words["subtitle"].format(region=words[frame.region.value])
    footnote = _footnote(frame, language, sources_text(rings, cat, language, sources))
    panel = _Panel(rings=ring_list, sites=rings.drop_duplicates("site_id")[["site", "lat", "lon"]])
    with matplotlib.rc_context(rc_params(language)):
        fig = Figure(dpi=100)
        (ax,) = _page(fig, frame, title=heading, subtitle=subtitle, panels=1, ncols=1,
                      legend=legend, footnote=footnote, lang=language)  # fmt: skip
        _draw_map(ax, frame, panel, language, labels=labels, scalebar=True)
    return fig


def _footnote(frame: Frame, lang: Lang, sources: str, extra: str = "") -> str:
    words = TEXT[lang]
    proj = words[frame.kind].format(centre=centre_text(frame, lang))
    sep = "" if lang is Lang.JA else " "
    head = sep.join(x for x in (words["method"], proj, words["outlines"], extra,
                                words["caveat"]) if x)  # fmt: skip
    return f"{head}\n{sources}"


def range_figure(
    systems: Sequence[str],
    sites: Sequence[str],
    *,
    band: str = "nominal",
    region: str | Region = Region.EAST_ASIA,
    lang: str | Lang = Lang.EN,
    title: str | None = None,
    projection: str | Projection = Projection.LAEA,
    site_table: gpd.GeoDataFrame | None = None,
) -> Figure:
    """:func:`draw_figure` for systems and sites given as ids, names or ``LAT,LON``.

    Raises
    ------
    CatalogueError, SiteError, OptionError, ExportError
        For unknown systems or sites, or bad options.

    Examples
    --------
    >>> fig = range_figure(["df-21"], ["shandong-qingzhou"], region="east-asia", lang="ja")
    >>> "射程" in fig.texts[0].get_text()
    True
    """
    rings = range_rings(systems, sites, band=band, site_table=site_table)
    return draw_figure(rings, region=region, lang=lang, title=title, projection=projection)


def inf_policy_figure(
    *,
    lang: str | Lang = Lang.EN,
    states: Sequence[str] | None = None,
    sites: Mapping[str, str] | None = None,
    catalogue: pd.DataFrame | None = None,
    statuses: Sequence[str] = ("deployed",),
    title: str | None = None,
    sources: str = "auto",
) -> Figure:
    """Draw the policy-paper figure: INF-class systems each state holds, from its territory.

    One panel per state, all on the same East Asia map (Lambert azimuthal equal-area, one
    scale): the catalogue's INF-class systems (ground-launched, 500-5,500 km) with a
    status in ``statuses`` are drawn as rings around one representative site
    (:data:`REPRESENTATIVE_SITES`, where the choice is explained). Systems of one state
    with the same range share a ring, labelled with every name.

    Parameters
    ----------
    lang : {"en", "ja"}
    states : sequence of str, optional
        ISO3 codes; defaults to the keys of :data:`REPRESENTATIVE_SITES`.
    sites : mapping, optional
        State -> site id (or ``LAT,LON``) overriding :data:`REPRESENTATIVE_SITES`.
    catalogue : pandas.DataFrame, optional
        Defaults to the shipped catalogue.
    statuses : sequence of str
        Which statuses count as "held" (default deployed only).
    title : str, optional
        Overrides the default title.
    sources : {"auto", "urls", "hosts"}
        How the footnote cites sources (see :func:`draw_figure`).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ExportError
        For a state without a site, or no system to draw.

    Examples
    --------
    >>> fig = inf_policy_figure(states=["PRK", "JPN"])
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ['North Korea — from Pyongyang (Sunan area)', 'Japan — from Kumamoto (Kyushu)']
    >>> inf_policy_figure(states=["FRA"])
    Traceback (most recent call last):
    ...
    rangemap.errors.ExportError: no representative site for state(s) ['FRA']; pass sites=
    """
    language = Lang.parse(lang)
    words = TEXT[language]
    cat = load_catalogue() if catalogue is None else catalogue
    where = dict(REPRESENTATIVE_SITES, **(sites or {}))
    chosen = list(states) if states is not None else list(REPRESENTATIVE_SITES)
    missing = [s for s in chosen if s not in where]
    if missing:
        raise ExportError(f"no representative site for state(s) {missing!r}; pass sites=")
    held = cat.loc[cat["inf_class"].isin(["in", "disputed"]) & cat["status"].isin(list(statuses))]
    table = load_sites()
    parts = []
    for state in chosen:
        systems = held.loc[held["country"] == state]
        if not systems.empty:
            site = resolve_sites([where[state]], table)
            parts.append(join_sites(systems, site, band="nominal").assign(state=state))
    if not parts:
        raise ExportError(f"no INF-class systems with status {list(statuses)!r} for {chosen!r}")
    rings = rings_for(pd.concat(parts, ignore_index=True))
    short = short_names(cat)
    frame = map_frame(Region.EAST_ASIA)
    rings["projected"] = project_geometries(rings.geometry, frame)
    rings["outline"] = ring_outlines(rings.geometry, frame)
    panels: list[_Panel] = []
    used: list[str] = []
    for state, group in rings.groupby("state", sort=False):
        color = STATE_COLORS.get(str(state), "#333333")
        name = STATE_NAMES[language].get(str(state), str(state))
        site_name = str(group["site"].iloc[0])
        heading = (f"{name} — {words['from']} {site_name}" if language is Lang.EN
                   else f"{name}（{site_name}から）")  # fmt: skip
        used.append(f"{name} — {site_name}")
        ring_list, labels = [], []
        for radius, same in group.groupby("radius_km", sort=True):
            first = same.iloc[0]
            ring_list.append(_Ring(geometry=first["projected"], outline=first["outline"],
                                   color=color, style="-",
                                   width=0.9, tint=0.0))  # fmt: skip
            names = "/".join(dict.fromkeys(short.get(str(i), str(i)) for i in same["system_id"]))
            labels.append((float(first["lon"]), float(first["lat"]), float(radius),
                           f"{names} {radius:,.0f}", color))  # fmt: skip
        panels.append(_Panel(rings=ring_list, sites=group.iloc[:1][["site", "lat", "lon"]],
                             heading=heading, ring_labels=labels))  # fmt: skip
    heading = title or words["policy_title"]
    subtitle = words["subtitle"].format(region=words["east-asia"]) + (
        " · ranges in km" if language is Lang.EN else "・射程はkm")  # fmt: skip
    extra = words["policy_sites"].format(sites="; ".join(used)) + (
        "" if language is Lang.JA else " ") + words["deployed"]  # fmt: skip
    footnote = _footnote(frame, language, sources_text(rings, cat, language, sources), extra)
    ncols = 1 if len(panels) == 1 else 2 if len(panels) in (2, 4) else 3
    with matplotlib.rc_context(rc_params(language)):
        fig = Figure(dpi=100)
        axes = _page(fig, frame, title=heading, subtitle=subtitle, panels=len(panels),
                     ncols=ncols, legend=[], footnote=footnote, lang=language)  # fmt: skip
        for i, (ax, panel) in enumerate(zip(axes, panels, strict=True)):
            _draw_map(ax, frame, panel, language, labels=False,
                      scalebar=i == len(panels) - 1, small=ncols > 1)  # fmt: skip
    return fig


# --- saving ------------------------------------------------------------------------------


def save_figure(
    fig: Figure,
    path: str | os.PathLike[str],
    *,
    dpi: float = 300,
    format: str | None = None,
) -> Path:
    """Write a figure as PNG, SVG or PDF, atomically and with fixed metadata.

    SVG keeps text as text (``svg.fonttype='none'``) and PDF embeds TrueType fonts, so the
    legend and footnote can be searched and copied. No creation date is written, so the
    same figure gives the same SVG bytes on every run.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        From :func:`draw_figure` or :func:`inf_policy_figure`.
    path : path-like
        Destination.
    dpi : float
        Raster resolution (PNG); 300 for print.
    format : {"png", "svg", "pdf"}, optional
        Defaults to the suffix of ``path``.

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
    >>> save_figure(Figure(), "map.gif")
    Traceback (most recent call last):
    ...
    rangemap.errors.OptionError: figure format must be one of png, svg, pdf; got 'gif'
    """
    fmt = (format or Path(path).suffix.lstrip(".")).lower()
    if fmt not in FIGURE_FORMATS:
        raise OptionError(f"figure format must be one of {', '.join(FIGURE_FORMATS)}; got {fmt!r}")
    if not (isinstance(dpi, (int, float)) and 10 <= dpi <= 1200):
        raise ExportError(f"dpi must be a number in [10, 1200], got {dpi!r}")
    metadata: Any = {
        "png": {"Software": f"rangemap (matplotlib {matplotlib.__version__})"},
        "svg": {"Date": None, "Creator": "rangemap"},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": "rangemap", "Producer": None},
    }[fmt]
    buffer = io.BytesIO()
    # Every text artist carries its own font (set when the figure was drawn, in either
    # language); saving needs only the output settings and a fallback that has both scripts.
    with matplotlib.rc_context(save_params()):
        FigureCanvasAgg(fig)
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    data = buffer.getvalue()
    return write_atomic(path, data)
