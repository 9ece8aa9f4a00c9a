"""Publication figures of range rings: PNG (300 dpi), SVG and PDF for a report page.

A figure is 7 inches wide (a report page's text width): a title, the map in a projection
centred on the region (:mod:`rangemap.mapframe`: Lambert azimuthal equal-area or azimuthal
equidistant for Europe and East Asia, Equal Earth for the world; never Web Mercator), the
shipped country outlines, the rings with a legend, site labels (kept off each other and
off the markers by ``adjustText``, with leader lines), a scale bar true at the centre,
and a footnote that states the method (WGS84 geodesics, GeographicLib via pyproj,
boundaries within 50 m) and cites the sources of every figure drawn, system by system.
A long title wraps onto up to three lines (issue 14).

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
area_figure
    Launch areas (:mod:`rangemap.launch`) or the reach from a region
    (:mod:`rangemap.regionreach`), with their targets, on the same page.
inf_policy_figure
    The policy-paper figure: INF-class systems held by each state, drawn from a
    representative site on its home territory (East Asia), one panel per state.
save_figure
    Write a figure as PNG, SVG or PDF, atomically, with fixed metadata.

Colours and band styles come from :mod:`rangemap.style` (a system has the same colour here
as on the map and in KML); projections from :mod:`rangemap.mapframe`; words and fonts from
:mod:`rangemap._figtext`; the pieces of area figures from :mod:`rangemap._figareas`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from shapely.geometry.base import BaseGeometry

from rangemap._figareas import area_footnote, area_records, area_region, area_title
from rangemap._figmap import TINT_PER_FILL, Panel, Ring, draw_map, page
from rangemap._figtext import (
    STATE_NAMES,
    TEXT,
    Lang,
    band_label,
    centre_text,
    rc_params,
    save_params,
    short_names,
    sources_text,
)
from rangemap._io import write_atomic
from rangemap.catalogue import find_systems, load_catalogue
from rangemap.errors import ExportError, OptionError
from rangemap.flightgeo import load_timings, site_isochrones
from rangemap.mapframe import (
    Frame,
    Projection,
    map_frame,
    project_geometries,
    ring_outlines,
)
from rangemap.regions import Region
from rangemap.rings import join_sites, range_rings, rings_for
from rangemap.sites import load_sites, resolve_sites
from rangemap.style import STATE_COLORS, band_style, matplotlib_line, system_colors

__all__ = [
    "FIGURE_FORMATS",
    "REPRESENTATIVE_SITES",
    "area_figure",
    "draw_figure",
    "inf_policy_figure",
    "range_figure",
    "save_figure",
]

FIGURE_FORMATS = ("png", "svg", "pdf")

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


def _ring_records(
    rings: gpd.GeoDataFrame, frame: Frame, lang: Lang, colors: Mapping[str, str], fill: bool
) -> tuple[list[Ring], list[tuple[Line2D, str]]]:
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
        tint = band_style(str(row["band"])).fill_opacity * TINT_PER_FILL if fill else 0.0
        out.append(Ring(geometry=geom, outline=outline, color=color, style=style,
                         width=width, tint=tint))  # fmt: skip
        key = (name, str(row["band"]), float(row["radius_km"]))
        if key not in seen:
            seen.add(key)
            handle = Line2D([], [], color=color, linestyle=cast(Any, style), linewidth=width)
            legend.append((handle, label))
    return out, legend


#: The isochrones' colour in figures (the map's).
_ISO_COLOR = "#b00020"


def _isochrone_records(
    iso: gpd.GeoDataFrame, frame: Frame, lang: Lang
) -> tuple[list[Ring], list[tuple[float, float, float, str, str]], tuple[Line2D, str]]:
    """Outlines, on-curve labels ("10 min") and the legend entry of isochrones."""
    outlines = ring_outlines(iso.geometry, frame)
    rings, labels = [], []
    for row, outline in zip(iso.itertuples(index=False), outlines, strict=True):
        surely = row.bound == "surely"
        style: Any = "-" if surely else (0, (4, 3))
        rings.append(Ring(geometry=outline, outline=outline, color=_ISO_COLOR, style=style,
                          width=0.9 if surely else 0.6, tint=0.0))  # fmt: skip
        if surely or not ((iso["minutes"] == row.minutes) & (iso["bound"] == "surely")).any():
            text = TEXT[lang]["minutes"].format(minutes=float(row.minutes))
            if "system" in iso and iso["system"].nunique() > 1:
                text = f"{row.system} {text}"
            labels.append((float(row.lon), float(row.lat), float(row.radius_km), text, _ISO_COLOR))
    handle = Line2D([], [], color=_ISO_COLOR, linewidth=0.9)
    return rings, labels, (handle, TEXT[lang]["iso_legend"])


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
    isochrones: gpd.GeoDataFrame | None = None,
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
        Overrides the default title ("Range of ... from ..."). A long title wraps onto up
        to three lines (between words; between characters in Japanese), the page growing
        to hold them; past three lines the last ends in an ellipsis "…".
    projection : {"laea", "aeqd"}
        Regional projection (the world is always Equal Earth).
    catalogue : pandas.DataFrame, optional
        For the access date of each system's sources; defaults to the shipped catalogue.
    labels : bool
        Label the launch sites, each clear of the other labels and of every marker,
        inside the map frame; a label moved away from its marker gets a leader line.
    fill : bool
        Tint the inside of rings as their band's style says (nominal, and paler up to the
        high figure; only with three systems or fewer, where tints stay apart).
    sources : {"auto", "urls", "hosts"}
        How the footnote cites each figure's sources: full URLs, their hosts, or URLs
        unless they pass 2,500 characters (then hosts, pointing to the full list).
    isochrones : geopandas.GeoDataFrame, optional
        :func:`rangemap.flightgeo.isochrones` (or ``site_isochrones``) to draw over the
        rings, each curve labelled with its minutes ("surely" solid, "possibly" dashed);
        the footnote then states the time model.

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
    extra, labels_on_rings = "", None
    if isochrones is not None and len(isochrones):
        iso_rings, labels_on_rings, iso_legend = _isochrone_records(isochrones, frame, language)
        ring_list += iso_rings
        legend.append(iso_legend)
        extra = words["iso_note"]
    footnote = _footnote(frame, language, sources_text(rings, cat, language, sources), extra)
    panel = Panel(rings=ring_list, sites=rings.drop_duplicates("site_id")[["site", "lat", "lon"]],
                  ring_labels=labels_on_rings)  # fmt: skip
    with matplotlib.rc_context(rc_params(language)):
        fig = Figure(dpi=100)
        (ax,) = page(fig, frame, title=heading, subtitle=subtitle, panels=1, ncols=1,
                      legend=legend, footnote=footnote, lang=language)  # fmt: skip
        draw_map(ax, frame, panel, language, labels=labels, scalebar=True)
    return fig


def _footnote(frame: Frame, lang: Lang, sources: str, extra: str = "") -> str:
    words = TEXT[lang]
    proj = words[frame.kind].format(centre=centre_text(frame, lang))
    sep = "" if lang is Lang.JA else " "
    head = sep.join(x for x in (words["method"], proj, words["outlines"], extra,
                                words["caveat"]) if x)  # fmt: skip
    return f"{head}\n{sources}"


def area_figure(
    areas: gpd.GeoDataFrame,
    *,
    points: gpd.GeoDataFrame | None = None,
    outline: BaseGeometry | None = None,
    region: str = "auto",
    lang: str | Lang = Lang.EN,
    title: str | None = None,
) -> Figure:
    """Draw a report figure of launch areas or of the reach from a region.

    The page of :func:`draw_figure`: each area tinted and outlined in its row's colour of
    :data:`rangemap.style.PALETTE` (as in :func:`rangemap.formats.write_areas`) with a
    legend entry, the targets as labelled markers, the source region's outline dashed,
    a scale bar, and a footnote with the method (the rows' ``method`` text), the
    projection and, for catalogue systems, the sources of their figures. Rows where no
    place qualifies are drawn as nothing and marked so in the legend; if none
    qualifies, the subtitle says so.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        :func:`rangemap.launch.launch_areas` or
        :func:`rangemap.regionreach.reach_from_frame` (lon/lat polygons).
    points : geopandas.GeoDataFrame, optional
        Targets to mark, with ``name, lat, lon``.
    outline : shapely geometry, optional
        The source region (lon/lat), for the reach from a region.
    region : {"auto", "europe", "east-asia", "world"}
        ``auto``: :func:`area_region`.
    lang : {"en", "ja"}
    title : str, optional
        Overrides the default ("Launch areas for ...", "Reach from ...").

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    OptionError, ExportError
        For an unknown region or language, targets without ``name, lat, lon``, or no
        Japanese font.

    Examples
    --------
    >>> from rangemap.launch import launch_areas
    >>> from rangemap.targets import resolve_targets
    >>> t = resolve_targets(["Seoul", "Tokyo"])
    >>> fig = area_figure(launch_areas(t, radius_km=1500), points=t)
    >>> fig.texts[0].get_text(), fig.texts[1].get_text()[:9]
    ('Launch areas for Seoul, Tokyo', 'East Asia')
    >>> far = resolve_targets(["0,0", "0,108"])  # 12,000 km apart: no place qualifies
    >>> area_figure(launch_areas(far, radius_km=5000), points=far).texts[1].get_text()[-18:]
    'no place qualifies'
    >>> area_figure(launch_areas(t, radius_km=1500), region="mars")
    Traceback (most recent call last):
    ...
    rangemap.errors.OptionError: region must be one of auto, europe, east-asia, world; got 'mars'
    """
    language = Lang.parse(lang)
    words = TEXT[language]
    if points is not None and not {"name", "lat", "lon"} <= set(points.columns):
        raise ExportError(f"targets need columns name, lat, lon; got {list(points.columns)!r}")
    if region != "auto" and region not in set(Region):
        choices = ", ".join(["auto", *Region])
        raise OptionError(f"region must be one of {choices}; got {region!r}")
    reg = area_region(areas, points=points, outline=outline) if region == "auto" else region
    frame = map_frame(Region.parse(reg))
    rows = areas.reset_index(drop=True)
    rings, legend = area_records(rows, frame, language, outline)
    sites = pd.DataFrame({"site": [], "lat": [], "lon": []})
    if points is not None and len(points):
        sites = pd.DataFrame({"site": points["name"].astype(str), "lat": points["lat"],
                              "lon": points["lon"]})  # fmt: skip
        legend.append((Line2D([], [], color="black", marker="^", linestyle="none"),
                       words["targets_legend"]))  # fmt: skip
    subtitle = words["area_subtitle"].format(region=words[frame.region.value])
    if not (~(rows.geometry.isna() | rows.geometry.is_empty)).any():
        subtitle += ("・" if language is Lang.JA else " · ") + words["no_place"]
    footnote = area_footnote(rows, frame, language)
    cited = rows.loc[rows["system_id"].astype(str) != ""] if "system_id" in rows else rows[:0]
    if len(cited):  # launch areas of catalogue systems: cite their figures, as draw_figure does
        cat = load_catalogue()
        cited = cited.merge(cat[["id", "sources"]], left_on="system_id", right_on="id")
        footnote += f"{'' if language is Lang.JA else ' '}{words['caveat']}\n" + sources_text(
            cited, cat, language)  # fmt: skip
    heading = title or area_title(rows, list(sites["site"]), language)
    with matplotlib.rc_context(rc_params(language)):
        fig = Figure(dpi=100)
        (ax,) = page(fig, frame, title=heading, subtitle=subtitle, panels=1, ncols=1,
                     legend=legend, footnote=footnote, lang=language)  # fmt: skip
        draw_map(ax, frame, Panel(rings=rings, sites=sites), language, labels=True, scalebar=True)
    return fig


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
    isochrone_minutes: Sequence[float] = (),
) -> Figure:
    """:func:`draw_figure` for systems and sites given as ids, names or ``LAT,LON``.

    ``isochrone_minutes`` adds the warning-time isochrones of every system with a time
    model at every site (:func:`rangemap.flightgeo.site_isochrones`).

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
    iso = None
    if isochrone_minutes:
        cat = load_catalogue()
        timings = load_timings(cat)
        chosen = find_systems(cat, systems)
        parts = [
            site_isochrones(system, site, list(isochrone_minutes), timings)
            for _, system in chosen.iterrows() if not timings[str(system["id"])].why
            for _, site in resolve_sites(sites, site_table).iterrows()
        ]  # fmt: skip
        iso = pd.concat(parts, ignore_index=True) if parts else None
    return draw_figure(rings, region=region, lang=lang, title=title, projection=projection,
                       isochrones=iso)  # fmt: skip


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
    panels: list[Panel] = []
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
            ring_list.append(Ring(geometry=first["projected"], outline=first["outline"],
                                   color=color, style="-",
                                   width=0.9, tint=0.0))  # fmt: skip
            names = "/".join(dict.fromkeys(short.get(str(i), str(i)) for i in same["system_id"]))
            labels.append((float(first["lon"]), float(first["lat"]), float(radius),
                           f"{names} {radius:,.0f}", color))  # fmt: skip
        panels.append(Panel(rings=ring_list, sites=group.iloc[:1][["site", "lat", "lon"]],
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
        axes = page(fig, frame, title=heading, subtitle=subtitle, panels=len(panels),
                     ncols=ncols, legend=[], footnote=footnote, lang=language)  # fmt: skip
        for i, (ax, panel) in enumerate(zip(axes, panels, strict=True)):
            draw_map(ax, frame, panel, language, labels=False,
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
