"""Drawing a report page (private): page layout, map panels, rings and their labels.

The matplotlib side of :mod:`rangemap.figure`: one 7-inch page with a title, one or more
map panels, a legend and a footnote (:func:`page`), and a panel's map (:func:`draw_map`):
ocean, graticule, countries, tinted rings, outlines, sites, labels on rings, scale bar.
Artists are added directly rather than through ``GeoSeries.plot``, which redraws the whole
figure on every call.

Public names
------------
Ring, Panel
    What a panel draws.
page, draw_map, place_ring_labels, place_site_labels, add_polygons, add_lines
    The page and the map.
TITLE_LINES
    The most lines a title wraps onto.
TINT_PER_FILL
    Tint opacity per unit of a band's map fill opacity.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
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
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from matplotlib_scalebar.scalebar import ScaleBar
from shapely.geometry.base import BaseGeometry

from rangemap._figtext import Lang, families, fit_text, wrap_text
from rangemap.geodesy import WGS84
from rangemap.mapframe import (
    Frame,
    countries_in_frame,
    graticule_lines,
    map_transformer,
    project_geometries,
)
from rangemap.polygons import WORLD

__all__ = [
    "TINT_PER_FILL",
    "TITLE_LINES",
    "Panel",
    "Ring",
    "add_lines",
    "add_polygons",
    "draw_map",
    "page",
    "place_ring_labels",
    "place_site_labels",
]

#: A title wraps onto at most this many lines; past them its last line ends in "…".
TITLE_LINES = 3
#: Page geometry (inches): a report page's text width.
_WIDTH_IN = 7.0
_MARGIN_IN = 0.3

_OCEAN = "#DCE8F1"
_LAND = "#F4F2EB"
_BORDER = "#9C9C9C"
_GRATICULE = "#C3D1DC"
#: Tint opacity in figures per unit of a band's map fill opacity: paper shows tints
#: stronger than a screen, and tints of one colour are merged so overlaps do not darken.
TINT_PER_FILL = 0.4


@dataclass
class Ring:
    geometry: BaseGeometry  # projected polygon, for the tint
    outline: BaseGeometry  # projected true boundary, for the stroke
    color: str
    style: Any
    width: float
    tint: float  # fill opacity; 0 for none


@dataclass
class Panel:
    """One map of a page: its rings, sites, optional heading and on-ring labels."""

    rings: list[Ring]
    sites: pd.DataFrame
    heading: str = ""
    ring_labels: list[tuple[float, float, float, str, str]] | None = None  # lon, lat, km


def page(
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
    """Lay out title, map panel(s), legend and footnote on a report-width page.

    A title wider than the page wraps (between words, or between characters in
    Japanese) onto at most :data:`TITLE_LINES` lines; past them the last line ends in an
    ellipsis "…". Each added line makes the page taller, never the map smaller.
    """
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
    # DejaVu Sans has a bold face; the Japanese fonts here do not, so CJK titles stay regular.
    latin = not re.search(r"[\u3000-\u9fff\uff00-\uffef]", title)
    title_prop = FontProperties(family=["DejaVu Sans"] if latin else families(lang),
                                size=11.5, weight="bold" if latin else "normal")  # fmt: skip
    # A long title wraps (issue 14: it was cut, "...Tonghua regio..."); the page grows by
    # the lines added, so the map keeps its size.
    title_lines = wrap_text(title, inner * 72.0, title_prop, canvas, max_lines=TITLE_LINES)
    heading = fig.text(_MARGIN_IN / _WIDTH_IN, 0.0, "\n".join(title_lines),
                       fontproperties=title_prop, va="baseline", ha="left")  # fmt: skip
    extra_h, ascent = _title_metrics(heading, title_lines, canvas)
    title_h = 0.62 + extra_h
    height = title_h + maps_h + 0.1 + legend_h + foot_h + 0.2
    fig.set_size_inches(_WIDTH_IN, height)

    def y(inches_from_top: float) -> float:
        return 1.0 - inches_from_top / height

    # The first line's baseline where a one-line title's is, the others below it (top
    # alignment: which line "baseline" aligns differs between matplotlib versions).
    heading.set_verticalalignment("top")
    heading.set_y(y(0.24 - ascent))
    fig.text(_MARGIN_IN / _WIDTH_IN, y(0.46 + extra_h), subtitle, fontsize=7.5,
             color="#444444", va="baseline", ha="left")  # fmt: skip
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


def _title_metrics(text: Any, lines: list[str], canvas: FigureCanvasAgg) -> tuple[float, float]:
    """Return (inches ``text`` grows by past its first line, the first line's ascent)."""
    renderer = canvas.get_renderer()
    text.set_text(lines[0])
    text.set_verticalalignment("baseline")
    first = text.get_window_extent(renderer)  # drawn from y = 0: y1 is the ascent
    text.set_text("\n".join(lines))
    full = text.get_window_extent(renderer)
    dpi = canvas.figure.dpi
    return float(full.height - first.height) / dpi, float(first.y1) / dpi


def _polygon_path(geom: BaseGeometry) -> MplPath | None:
    """One compound matplotlib path for a (Multi)Polygon, holes included."""
    polys = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, shapely.Polygon)]
    rings = [r for p in polys if not p.is_empty for r in (p.exterior, *p.interiors)]
    if not rings:
        return None
    return MplPath.make_compound_path(
        *(MplPath(np.asarray(r.coords)[:, :2], closed=True) for r in rings)
    )


def add_polygons(ax: Any, geoms: Iterable[BaseGeometry], **style: Any) -> None:
    # Artists are added directly: geopandas' plot() redraws the whole figure every call.
    paths = [p for p in (_polygon_path(g) for g in geoms) if p is not None]
    if paths:
        ax.add_collection(PathCollection(paths, **style), autolim=False)


def add_lines(ax: Any, geoms: Iterable[BaseGeometry], **style: Any) -> None:
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


def draw_map(ax: Any, frame: Frame, panel: Panel, lang: Lang, *, labels: bool,
              scalebar: bool, small: bool = False) -> None:  # fmt: skip
    xmin, ymin, xmax, ymax = frame.bounds
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    if frame.kind == "eqearth":
        globe = project_geometries([WORLD], frame)[0]
        add_polygons(ax, [globe], facecolor=_OCEAN, edgecolor="#888888", linewidth=0.6)
        for spine in ax.spines.values():
            spine.set_visible(False)
    else:
        ax.set_facecolor(_OCEAN)
        for spine in ax.spines.values():
            spine.set_linewidth(0.6)
            spine.set_color("#555555")
    add_lines(ax, graticule_lines(frame), color=_GRATICULE, linewidth=0.35, zorder=1)
    add_polygons(ax, countries_in_frame(frame), facecolor=_LAND, edgecolor=_BORDER,
                  linewidth=0.25 if small else 0.3, zorder=2)  # fmt: skip
    # One tint per colour and opacity over the union of its rings, so overlaps of one
    # band do not darken; a paler band (high) shows around a stronger one (nominal).
    tints: dict[tuple[str, float], list[BaseGeometry]] = {}
    for ring in panel.rings:
        if ring.tint > 0 and not ring.geometry.is_empty:
            tints.setdefault((ring.color, ring.tint), []).append(ring.geometry)
    for (color, alpha), geoms in sorted(tints.items(), key=lambda kv: kv[0][1]):
        add_polygons(ax, [shapely.union_all(geoms)], facecolor=color, edgecolor="none",
                      alpha=alpha, zorder=3)  # fmt: skip
    for ring in panel.rings:
        add_lines(ax, [ring.outline], colors=ring.color, linewidths=ring.width,
                   linestyles=[ring.style], zorder=4)  # fmt: skip
    marker_pt = 3.5 if small else 5.0
    sites: list[tuple[float, float, str]] = []
    if len(panel.sites):
        pts = project_geometries(gpd.points_from_xy(panel.sites["lon"], panel.sites["lat"]),
                                 frame)  # fmt: skip
        for pt, name in zip(pts, panel.sites["site"], strict=True):
            if pt.is_empty:
                continue
            ax.plot(pt.x, pt.y, marker="^", markersize=marker_pt, color="black",
                    markeredgecolor="white", markeredgewidth=0.5, zorder=6)  # fmt: skip
            sites.append((pt.x, pt.y, str(name)))
    markers = _marker_boxes(ax, sites, marker_pt)
    avoid: list[Bbox] = []
    if panel.ring_labels:
        size = 4.8 if small else 6.0
        texts = place_ring_labels(ax, frame, panel.ring_labels, size=size, avoid=markers)
        renderer = ax.figure.canvas.get_renderer()
        pad = 0.12 * size * ax.figure.dpi / 72.0  # the label's backing box
        avoid += [t.get_window_extent(renderer).padded(pad) for t in texts]
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
        bar = ScaleBar(
            dx=1.0 / frame.scale, units="m", location="lower left",
            fixed_value=_nice_km(0.22 * (xmax - xmin) / frame.scale / 1000.0),
            fixed_units="km", box_alpha=0.75, border_pad=0.5,
            font_properties={"size": size, "family": families(lang)},
            scale_formatter=lambda value, unit: f"{value:,g} {unit}",
            label=where, label_loc="bottom", scale_loc="top", color="#222222",
        )  # fmt: skip
        ax.add_artist(bar)
        if labels and sites:
            ax.figure.draw_without_rendering()  # the scale bar knows its box once drawn
            avoid.append(bar.info.window_extent)
    if labels and sites:
        place_site_labels(ax, sites, size=4.8 if small else 6.5, markers=markers, avoid=avoid)


def place_ring_labels(ax: Any, frame: Frame, labels: list[tuple[float, float, float, str, str]],
                       size: float, avoid: Iterable[Bbox] = ()) -> list[Text]:  # fmt: skip
    """Write each label on its ring where it is in view and clear of the labels placed.

    ``avoid`` are boxes (display coordinates) the labels keep off, the site markers.
    Returns the labels written.
    """
    tr = map_transformer(frame.crs)
    to_px = ax.transData.transform
    bbox = ax.get_window_extent()
    px_per_pt = ax.figure.dpi / 72.0
    placed: list[tuple[float, float, float, float]] = [
        ((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2, b.width / 2, b.height / 2) for b in avoid
    ]
    written: list[Text] = []
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
                written.append(ax.text(x, y, text, fontsize=size, color=color, ha="center",
                                       va="center", zorder=8, bbox=backing))  # fmt: skip
                break
    return written


# --- site labels (issue 14: "Yong'an region (Fujian)" was drawn over "26.2,127.7") --------

#: Gap (points) between a marker and its label, and the site labels' halo.
_LABEL_GAP_PT = 3.0
_HALO = [pe.withStroke(linewidth=2.0, foreground="white")]
#: adjustText's iterations: counted, never timed, so the same input draws the same figure.
_ADJUST_ITERATIONS = 400
#: A label farther than this (points) from its marker is joined to it by a leader line.
_LEADER_PT = 7.0


def _marker_boxes(ax: Any, sites: list[tuple[float, float, str]], marker_pt: float) -> list[Bbox]:
    """Boxes (display coordinates) of the site markers, their white edge included."""
    half = (marker_pt / 2.0 + 0.5) * ax.figure.dpi / 72.0
    return [Bbox.from_extents(px - half, py - half, px + half, py + half)
            for px, py in (ax.transData.transform((x, y)) for x, y, _ in sites)]  # fmt: skip


def _clear(box: Bbox, others: Iterable[Bbox], frame: Bbox, pad: float) -> bool:
    """Whether ``box`` lies inside ``frame`` and at least ``pad`` from every other box."""
    if not (frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0
            and box.y1 <= frame.y1):  # fmt: skip
        return False
    return all(box.x1 + pad <= o.x0 or o.x1 + pad <= box.x0 or box.y1 + pad <= o.y0
               or o.y1 + pad <= box.y0 for o in others)  # fmt: skip


def _candidates(
    x: float, y: float, w: float, h: float, gap: float
) -> Iterable[tuple[float, float]]:
    """Centres (display) for a ``w`` x ``h`` label around a marker at (x, y), nearest first."""
    for step in (1.0, 2.0, 3.5, 5.0, 7.0, 10.0, 14.0):
        d = gap * step
        for ux, uy in ((1, 1), (-1, 1), (1, -1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1)):
            yield x + ux * (w / 2 + d), y + uy * (h / 2 + d)


def place_site_labels(ax: Any, sites: list[tuple[float, float, str]], *, size: float,
                      markers: list[Bbox], avoid: list[Bbox]) -> list[Text]:  # fmt: skip
    """Label each site beside its marker, clear of the other labels, every marker and ``avoid``.

    Each label starts at the upper right of its marker (upper left in the map's right
    quarter) and ``adjustText`` pushes labels off each other, off the markers and off
    ``avoid`` (the ring labels, the scale bar), inside the map frame. A label it leaves on
    another box or past the frame takes the first clear place of a fixed ring of
    candidates around its marker. A label that ends up away from its marker is joined
    to it by a thin leader line. A site outside the frame gets no label. Iterations are
    counted, never timed, so the same input draws the same figure.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The map, with its final size and limits.
    sites : list of (x, y, name)
        Marker positions in the map's coordinates.
    size : float
        Font size of the labels (points).
    markers, avoid : list of matplotlib.transforms.Bbox
        Display boxes of the markers, and of anything else to keep clear of.

    Returns
    -------
    list of matplotlib.text.Text
    """
    # adjustText imports pyplot and scipy (about 0.6 s): only figures with labels need it.
    from adjustText import adjust_text

    fig = ax.figure
    px = fig.dpi / 72.0
    gap = _LABEL_GAP_PT * px
    frame = ax.patch.get_extents()
    to_data = ax.transData.inverted()
    # A site off the map gets no label: its marker is clipped away.
    sites = [s for s in sites if frame.contains(*ax.transData.transform(s[:2]))]
    if not sites:
        return []
    anchors = [(float(sx), float(sy))
               for sx, sy in ax.transData.transform([(x, y) for x, y, _ in sites])]  # fmt: skip
    texts = []
    for (_, _, name), (sx, sy) in zip(sites, anchors, strict=True):
        right = (sx - frame.x0) / frame.width > 0.75  # near the right edge: to the left
        tx, ty = to_data.transform((sx - gap if right else sx + gap, sy + gap * 0.6))
        texts.append(ax.text(tx, ty, name, fontsize=size, ha="right" if right else "left",
                             va="bottom", zorder=7, path_effects=_HALO))  # fmt: skip
    static = [Bbox(to_data.transform(b.get_points())) for b in (*markers, *avoid)]
    adjust_text(texts, objects=static, target_x=[x for x, _, _ in sites],
                target_y=[y for _, y, _ in sites], avoid_self=False, ax=ax,
                iter_lim=_ADJUST_ITERATIONS, time_lim=None, expand=(1.1, 1.3),
                ensure_inside_axes=True)  # fmt: skip
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    for i, text in enumerate(texts):
        others = [*boxes[:i], *boxes[i + 1 :], *markers, *avoid]
        if _clear(boxes[i], others, frame, px):
            continue
        w, h = boxes[i].width, boxes[i].height
        for cx, cy in _candidates(anchors[i][0], anchors[i][1], w, h, gap):
            box = Bbox.from_extents(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if _clear(box, others, frame, px):
                text.set_position(to_data.transform((cx, cy)))
                text.set_horizontalalignment("center")
                text.set_verticalalignment("center")
                boxes[i] = text.get_window_extent(renderer)
                break
    for box, (sx, sy) in zip(boxes, anchors, strict=True):
        nx, ny = min(max(sx, box.x0), box.x1), min(max(sy, box.y0), box.y1)
        dist = math.hypot(nx - sx, ny - sy)
        if dist > _LEADER_PT * px:  # moved off its marker: a leader line shows whose it is
            start = (sx + (nx - sx) * 3.0 * px / dist, sy + (ny - sy) * 3.0 * px / dist)
            (x0, y0), (x1, y1) = to_data.transform([start, (nx, ny)])
            ax.add_line(Line2D([x0, x1], [y0, y1], color="#555555", linewidth=0.4,
                               zorder=5.5))  # fmt: skip
    return texts
