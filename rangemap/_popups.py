"""Map text (private): ring, site and target tooltips and popups, the legend, escaped.

Everything a person reads on the map is made here, every name through
:func:`rangemap._leaflet.escape`. Flight times come from :mod:`rangemap.flight`.

Public names
------------
quality_html
    Who gives the nominal figure, its quality flag and INF class.
ring_tooltip, ring_popup, site_tooltip, target_tooltips, legend_html
    The map's texts.
area_tooltip, area_legend_html
    Texts of launch areas and of the reach from a region.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlparse

import geopandas as gpd
import numpy as np
import pandas as pd

from rangemap._leaflet import escape
from rangemap.flight import Timing, time_arrays, time_label
from rangemap.reach import in_band, ring_distances_km
from rangemap.style import BAND_STYLES, legend_swatch_css

__all__ = [
    "area_legend_html",
    "area_tooltip",
    "isochrone_legend_html",
    "legend_html",
    "quality_html",
    "ring_popup",
    "ring_tooltip",
    "site_tooltip",
    "target_tooltips",
]


def _km(value: object) -> str:
    v = float(value)  # type: ignore[arg-type]
    return "n/a" if not math.isfinite(v) else f"{v:,.0f} km"


def _domains(sources: str, limit: int = 3) -> str:
    urls = str(sources).split()
    names = list(dict.fromkeys(urlparse(u).netloc.removeprefix("www.") for u in urls))
    more = f" +{len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def isochrone_legend_html() -> str:
    """Legend rows for warning-time isochrones (solid: surely, dashed: possibly)."""
    return (
        "<hr><b>Warning-time isochrones</b>"
        '<div class="row"><span class="sw" style="border-top:2px solid #b00020;height:0">'
        "</span>reached within the minutes shown</div>"
        '<div class="row"><span class="sw" style="border-top:1.5px dashed #b00020;height:0">'
        "</span>possibly reached (fastest published figures)</div>"
    )


def area_tooltip(row: Any) -> str:
    """Tooltip of a launch area (has ``targets``) or of a region's reach (has ``region``)."""
    system = escape(row.system) if getattr(row, "system", "") else ""
    band = f" ({escape(row.band)})" if system and getattr(row, "band", "") else ""
    figure = f"{system}{band}, {_km(row.radius_km)}" if system else _km(row.radius_km)
    if hasattr(row, "targets"):
        mini = float(getattr(row, "min_radius_km", float("nan")))
        beyond = f", beyond {_km(mini)}" if math.isfinite(mini) and mini > 0 else ""
        which = "every target" if row.at_least == row.n_targets else (
            f"at least {int(row.at_least)} of {int(row.n_targets)} targets")  # fmt: skip
        clip = f"<br>only {escape(row.clip)}" if getattr(row, "clip", "") else ""
        return (f"<b>Launch area</b>: {figure}{beyond}<br>from here it reaches {which}: "
                f"{escape(row.targets)}{clip}<br>{float(row.area_km2):,.0f} km²")  # fmt: skip
    return (
        f"<b>Reach from anywhere in {escape(row.region)}</b><br>{figure}<br>"
        f"outline: {escape(row.outline)}<br>{float(row.area_km2):,.0f} km²"
    )


def area_legend_html(title: str, entries: list[tuple[str, str]]) -> str:
    """Legend rows for areas: a title and (colour, label) pairs, labels escaped."""
    rows = [f"<hr><b>{escape(title)}</b>"]
    rows += [
        f'<div class="row"><span class="sw" style="background:{colour};opacity:.6"></span>'
        f"<span>{escape(label)}</span></div>"
        for colour, label in entries
    ]
    return "".join(rows)


def legend_html(fp: gpd.GeoDataFrame, colours: dict[str, str], n_targets: int | None) -> str:
    """Legend of the map: systems with their colours and figures, bands, marks."""
    rows = ["<b>Range rings</b>"]
    for sid, group in fp.groupby("system_id", sort=False):
        radius = group["radius_km"]
        span = _km(radius.min()) + (f"&ndash;{_km(radius.max())}" if radius.nunique() > 1 else "")
        rows.append(
            f'<div class="row"><span class="sw" style="background:{colours[str(sid)]}"></span>'
            f'<span>{escape(group["system"].iloc[0])}</span><span class="fig">{span}</span></div>'
        )
    if len(fp) == 0:
        rows.append("<i>no rings: choose systems and sites</i>")
    rows.append("<hr>")
    bands = set(fp["band"].astype(str))
    rows += [
        f'<div class="row"><span class="sw" style="{legend_swatch_css(b)}"></span>'
        f"{escape(BAND_STYLES[b].legend)}</div>"
        for b in ("nominal", "high", "low")
        if b in bands
    ]
    if fp["min_radius_km"].notna().any():
        rows.append(
            '<div class="row"><span class="sw" style="border:2px solid #444;'
            'background:radial-gradient(circle,#fff 30%,#4443 32%)"></span>'
            "hole = minimum range</div>"
        )
    rows.append(
        '<div class="row"><span class="dot" style="background:#fff;'
        'border:2px solid #111"></span>launch site</div>'
    )
    if n_targets is not None:
        rows.append(
            '<div class="row"><span class="dot" style="background:#ffd400;'
            'border:1.5px solid #111"></span>'
            f"capital in range ({n_targets} worldwide)</div>"
        )
    return "".join(rows)


def quality_html(system: pd.Series) -> str:
    """Who gives the nominal figure, its quality flag and INF class, escaped for HTML.

    Examples
    --------
    >>> quality_html(pd.Series({"quality": "secondary", "nominal_basis": "<b>X</b>, 2019",
    ...                         "inf_class": "disputed"}))
    'nominal figure: &lt;b&gt;X&lt;/b&gt;, 2019 &middot; <b>quality: secondary</b> &middot; INF...'
    """
    parts = []
    basis = str(system.get("nominal_basis", "") or "")
    if basis:
        parts.append(f"nominal figure: {escape(basis)}")
    flag = str(system.get("quality", "") or "")
    if flag:
        parts.append(f"<b>quality: {escape(flag)}</b>")
    inf = str(system.get("inf_class", "") or "")
    if inf:
        parts.append(f"INF class: {escape(inf)}")
    return " &middot; ".join(parts)


def ring_tooltip(row: pd.Series, system: pd.Series | None, timing: Timing | None = None) -> str:
    """Tooltip of a merged ring: figures, quality, minimum range, sites, flight time."""
    head = f"<b>{escape(row['system'])}</b>"
    if system is not None:
        head += f" &middot; {escape(system['country'])} &middot; {escape(system['class'])}"
    parts = [head, f"{escape(row['band'])} range: <b>{_km(row['radius_km'])}</b>"]
    if system is not None:
        figures = [
            f"{label} {_km(system[col])}"
            for label, col in (
                ("low", "range_low_km"),
                ("nominal", "range_km"),
                ("high", "range_high_km"),
            )
        ]
        parts.append("published: " + ", ".join(figures))
        parts.append(quality_html(system))
    if math.isfinite(float(row["min_radius_km"])):
        parts.append(f"minimum range: {_km(row['min_radius_km'])} (the hole)")
    if line := flight_line(timing, float(row["radius_km"])):
        parts.append(f"to full range, {line}")
    sites = str(row["sites"]).split("; ")
    shown = "; ".join(sites[:4]) + (f" +{len(sites) - 4} more" if len(sites) > 4 else "")
    parts.append(f"from {len(sites)} site{'s' if len(sites) != 1 else ''}: {escape(shown)}")
    parts.append(f"sources: {escape(_domains(row['sources']))} (click for links)")
    return "<br>".join(parts)


def ring_popup(row: pd.Series, system: pd.Series | None) -> str:
    """Popup of a merged ring: its figure, quality, notes and source links."""
    links = "".join(
        f'<li><a href="{escape(u)}" target="_blank" rel="noopener noreferrer">'
        f"{escape(urlparse(u).netloc)}</a></li>"
        for u in str(row["sources"]).split()
    )
    note = "" if system is None else f"<div>{quality_html(system)}</div>"
    if system is not None and str(system.get("notes", "") or ""):
        text = str(system["notes"])
        cut = "&hellip;" if len(text) > 400 else ""
        note += f"<p style='margin:4px 0'>{escape(text[:400])}{cut}</p>"
    return (
        f"<b>{escape(row['system'])}</b> &middot; {escape(row['band'])} {_km(row['radius_km'])}"
        f"{note}<div>Sources:</div><ul style='margin:0;padding-left:16px'>{links}</ul>"
    )


def site_tooltip(site: pd.Series) -> str:
    """Tooltip of a launch site: name, coordinates, kind and note."""
    text = f"<b>{escape(site['name'])}</b><br>{float(site['lat']):.4f}, {float(site['lon']):.4f}"
    kind = str(site.get("kind", "") or "")
    if kind:
        text += f" &middot; {escape(kind)} site"
    note = str(site.get("note", "") or "")
    if note:
        cut = "&hellip;" if len(note) > 160 else ""
        text += f"<br><span style='white-space:normal'>{escape(note[:160])}{cut}</span>"
    return text


def flight_line(timing: Timing | None, distance_km: float) -> str:
    """One line of flight time for a distance, escaped ("" without a timing).

    Examples
    --------
    >>> from rangemap.flight import FlightModel
    >>> t = Timing("x", FlightModel.BALLISTIC, (60.0, 180.0), (math.nan, math.nan), "")
    >>> flight_line(t, 2700.0)
    'flight time: ≈ 15–17 min (minimum-energy, boost 1–3 min)'
    """
    if timing is None:
        return ""
    row = time_arrays(timing, [distance_km])
    label = time_label(
        timing, float(row["flight_time_min_low"][0]), float(row["flight_time_min_high"][0])
    )
    return f"flight time: {escape(label)}"


#: Systems given a distance and time in one target's tooltip (the rest are counted).
_MAX_TIMED = 4


def target_tooltips(
    hit: gpd.GeoDataFrame, rings: pd.DataFrame, timings: dict[str, Timing] | None
) -> list[str]:
    """Tooltips of targets: who reaches them, from how far, and how fast.

    For each system in range, the nearest of its sites that reaches the target (exact
    distance, band honoured) and the flight time from there.

    Parameters
    ----------
    hit : geopandas.GeoDataFrame
        :func:`rangemap.reach.targets_in_range` of ``rings``.
    rings : pandas.DataFrame
        The ring rows (``system_id, system, site, lat, lon, band, radius_km``).
    timings : dict, optional
        System id -> :class:`rangemap.flight.Timing`; no times without it.
    """
    tips: list[str] = []
    distances = ring_distances_km(rings, hit) if len(rings) else None
    inside = in_band(rings, distances) if distances is not None else None
    ids = rings["system_id"].astype(str).to_numpy() if len(rings) else np.array([])
    names = rings["system"].astype(str).to_numpy() if len(rings) else np.array([])
    site_names = rings["site"].astype(str).to_numpy() if len(rings) else np.array([])
    # First each target's nearest reaching ring per system, then one time computation per
    # system for all of them (a call per target and system cost 0.15 s for the catalogue).
    heads: list[str] = []
    picks: list[list[tuple[str, int]]] = []
    for i, (name, country, reached, by) in enumerate(
        zip(hit["name"], hit["country"], hit["in_range"], hit["reached_by"], strict=True)
    ):
        head = f"<b>{escape(name)}</b> ({escape(country)})"
        if not reached or inside is None or distances is None:
            heads.append(f"{head}<br>not in range")
            picks.append([])
            continue
        heads.append(f"{head}<br>in range of: {escape(by)}")
        nearest: dict[str, int] = {}
        for k in map(int, np.flatnonzero(inside[i])):
            if ids[k] not in nearest or distances[i, k] < distances[i, nearest[ids[k]]]:
                nearest[ids[k]] = k
        picks.append(list(nearest.items()))
    times = _times_by_pick(picks, distances, timings or {})
    for i, (head, chosen) in enumerate(zip(heads, picks, strict=True)):
        lines = [head]
        for _, k in chosen[:_MAX_TIMED]:
            assert distances is not None
            when = times.get((i, k), "")
            lines.append(
                f"{escape(names[k])}: {float(distances[i, k]):,.0f} km from "
                f"{escape(site_names[k])}" + (f"<br>&nbsp;&nbsp;{escape(when)}" if when else "")
            )
        if len(chosen) > _MAX_TIMED:
            lines.append(f"+{len(chosen) - _MAX_TIMED} more systems")
        tips.append("<br>".join(lines))
    return tips


def _times_by_pick(
    picks: list[list[tuple[str, int]]], distances: Any, timings: dict[str, Timing]
) -> dict[tuple[int, int], str]:
    """Time labels for (target, ring) pairs, one :func:`time_arrays` call per system."""
    by_system: dict[str, list[tuple[int, int]]] = {}
    for i, chosen in enumerate(picks):
        for sid, k in chosen[:_MAX_TIMED]:
            by_system.setdefault(sid, []).append((i, k))
    out = {}
    for sid, pairs in by_system.items():
        timing = timings.get(sid)
        if timing is None:
            continue
        d = np.array([distances[i, k] for i, k in pairs], dtype=np.float64)
        arrays = time_arrays(timing, d)
        for j, pair in enumerate(pairs):
            low, high = arrays["flight_time_min_low"][j], arrays["flight_time_min_high"][j]
            out[pair] = time_label(timing, float(low), float(high))
    return out
