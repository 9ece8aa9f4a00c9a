"""Launch areas and a region's reach on a report page (private to rangemap.figure).

The pieces :func:`rangemap.figure.area_figure` puts on the page of
:func:`rangemap._figmap.page`: which region preset frames the areas, each area as a tinted
and outlined ring in its row's colour of :data:`rangemap.style.PALETTE` (the KML's, from
:func:`rangemap.formats.write_areas`), the source region's outline, the legend labels,
the default title and the footnote (the rows' method, the projection, the outlines).

Public names
------------
area_region
    The smallest region preset holding the areas, targets and outline.
area_records, area_label
    What the map draws, with a legend entry (and its label) per area row.
area_title, area_footnote
    The default title and the footnote.
"""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import shapely
from matplotlib.lines import Line2D
from shapely.geometry.base import BaseGeometry

from rangemap._figmap import TINT_PER_FILL, Ring
from rangemap._figtext import TEXT, Lang, band_label, centre_text
from rangemap.mapframe import Frame, project_geometries, ring_outlines
from rangemap.regions import Region, region_polygon
from rangemap.style import PALETTE, band_style, matplotlib_line

__all__ = ["area_footnote", "area_label", "area_records", "area_region", "area_title"]

#: Colour of the source region's outline (dashed).
_REGION_COLOR = "#333333"


def area_region(
    areas: gpd.GeoDataFrame,
    *,
    points: pd.DataFrame | None = None,
    outline: BaseGeometry | None = None,
) -> Region:
    """Return the smallest region preset whose box holds the areas, targets and outline.

    Empty areas are left out; with nothing to hold, or no regional box holding it all (an
    area across the antimeridian spans every longitude), the world.

    Examples
    --------
    >>> from rangemap.regionreach import country_region
    >>> _, belarus = country_region("BLR")
    >>> area_region(gpd.GeoDataFrame(geometry=[belarus], crs="EPSG:4326")).value
    'europe'
    >>> area_region(gpd.GeoDataFrame(geometry=[shapely.Polygon()], crs="EPSG:4326")).value
    'world'
    """
    geoms = [g for g in areas.geometry if g is not None and not g.is_empty]
    if points is not None and len(points):
        geoms.append(shapely.MultiPoint(list(zip(points["lon"], points["lat"], strict=True))))
    if outline is not None and not outline.is_empty:
        geoms.append(outline)
    if not geoms:
        return Region.WORLD
    extent = shapely.box(*shapely.total_bounds(geoms))
    fits = [r for r in Region if r is not Region.WORLD and region_polygon(r).covers(extent)]
    return min(fits, key=lambda r: region_polygon(r).area, default=Region.WORLD)


def area_label(row: pd.Series, lang: Lang) -> str:
    """Legend label of an area row: 'Launch area — DF-26 4,000 km', 'Reach from X — 500 km'.

    Examples
    --------
    >>> row = pd.Series({"region": "Belarus", "system": "", "band": "", "radius_km": 500.0})
    >>> area_label(row, Lang.EN), area_label(row, Lang.JA)
    ('Reach from Belarus — 500 km', 'Belarusからの到達範囲 — 500 km')
    """
    words = TEXT[lang]
    low = float(row.get("min_radius_km", math.nan))
    radius = float(row.get("radius_km", math.nan))
    span = (f"{low:,.0f}–" if low > 0 else "") + f"{radius:,.0f} km" if radius > 0 else ""
    system = str(row.get("system") or "")
    band = band_label(str(row.get("band") or ""), lang) if system else ""
    what = " ".join(x for x in (system, span) if x) + (f" ({band})" if band else "")
    if "region" in row:
        label = words["reach_label"].format(region=row["region"], what=what)
    else:
        k, n = row.get("at_least"), row.get("n_targets")
        extra = words["at_least"].format(k=k, n=n) if k != n else ""
        label = words["launch_label"].format(what=what) + extra
    return label if what else label.replace(" — ", "", 1)


def area_records(
    rows: gpd.GeoDataFrame, frame: Frame, lang: Lang, outline: BaseGeometry | None
) -> tuple[list[Ring], list[tuple[Line2D, str]]]:
    """Tinted and outlined areas (and the source region dashed), with their legend entries."""
    words = TEXT[lang]
    style, width = matplotlib_line("nominal")
    tint = band_style("nominal").fill_opacity * TINT_PER_FILL
    rings, legend = [], []
    projected = project_geometries(rows.geometry, frame)
    outlines = ring_outlines(rows.geometry, frame)
    for i, (_, row) in enumerate(rows.iterrows()):
        color = PALETTE[i % len(PALETTE)]
        rings.append(Ring(geometry=projected[i], outline=outlines[i], color=color, style=style,
                          width=width, tint=tint))  # fmt: skip
        empty = row.geometry is None or row.geometry.is_empty
        label = area_label(row, lang) + (f" ({words['no_place']})" if empty else "")
        legend.append((Line2D([], [], color=color, linewidth=width), label))
    if outline is not None and not outline.is_empty:
        (line,) = ring_outlines([outline], frame)
        rings.append(Ring(geometry=line, outline=line, color=_REGION_COLOR, style=(0, (4, 2)),
                          width=0.9, tint=0.0))  # fmt: skip
        name = str(rows["region"].iloc[0]) if "region" in rows and len(rows) else ""
        handle = Line2D([], [], color=_REGION_COLOR, linewidth=0.9, linestyle="--")
        legend.append((handle, words["source_region"].format(region=name).rstrip(":： ")))
    return rings, legend


def area_title(rows: pd.DataFrame, targets: list[str], lang: Lang) -> str:
    """Return the default title: 'Reach from Belarus', 'Launch areas for Guam, Tokyo'.

    ``targets`` are the marked targets' names; without them, the rows' ``targets`` text.
    """
    words = TEXT[lang]
    sep = "、" if lang is Lang.JA else ", "
    if "region" in rows and len(rows):
        return words["reach_title"].format(region=sep.join(dict.fromkeys(map(str, rows["region"]))))
    if not targets and "targets" in rows and len(rows):
        targets = str(rows["targets"].iloc[0]).split("; ")
    return words["launch_title"].format(targets=sep.join(targets)) if targets else words[
        "area_title"]  # fmt: skip


def area_footnote(rows: pd.DataFrame, frame: Frame, lang: Lang) -> str:
    """Return the footnote: the rows' method sentences, the projection, the outlines used."""
    words = TEXT[lang]
    given = str(rows["outline"].iloc[0]) if "outline" in rows and len(rows) else ""
    methods = " ".join(dict.fromkeys(str(m) for m in rows.get("method", []) if str(m)))
    notes = [words[frame.kind].format(centre=centre_text(frame, lang)), words["outlines"],
             words["region_outline"].format(outline=given) if given else ""]  # fmt: skip
    # The method sentences are English (the rows' own); Japanese notes start a new line.
    rest = ("" if lang is Lang.JA else " ").join(x for x in notes if x)
    brk = "\n" if lang is Lang.JA else " "
    return f"{methods}{brk}{rest}" if methods else rest
