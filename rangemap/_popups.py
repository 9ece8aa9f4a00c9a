"""Map text (private): ring, site and target tooltips and popups, the legend, escaped.

Everything a person reads on the map is made here, every name through
:func:`rangemap._leaflet.escape`. Flight times come from :mod:`rangemap.flight`.

The texts are sentences for readers (issue 14): no column names, no claim kinds as
slugs, no curator's shorthand. Catalogue notes are written for the people who keep the
data (``FLAG: ...``, ``first_deployed``, ``the stored corpus``); :func:`reader_note`
rewords them. Published range figures are shown as published; distances from a site are
rounded to 10 km and areas to three significant figures, since sites are placed at the
level of a town or region.

Public names
------------
quality_html
    Who gives the nominal figure, how strong its sources are, and its INF class.
reader_note, km_text, area_text
    A catalogue or site note for readers; a distance and an area, rounded for reading.
ring_tooltip, ring_popup, site_tooltip, target_tooltips, legend_html, flight_line
    The map's texts.
area_tooltip, area_legend_html, isochrone_legend_html
    Texts of launch areas, of the reach from a region and of warning-time isochrones.
change_tooltip, change_legend_html
    Texts of the gained, lost and shared areas of two sites (:mod:`rangemap.gainloss`).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

import geopandas as gpd
import numpy as np
import pandas as pd

from rangemap._leaflet import escape
from rangemap.flight import Timing, time_arrays, time_label
from rangemap.reach import in_band, ring_distances_km
from rangemap.style import BAND_STYLES, CHANGE_COLORS, legend_swatch_css
from rangemap.targets import load_countries

__all__ = [
    "area_legend_html",
    "area_text",
    "area_tooltip",
    "change_legend_html",
    "change_tooltip",
    "flight_line",
    "km_text",
    "reader_note",
    "isochrone_legend_html",
    "legend_html",
    "quality_html",
    "ring_popup",
    "ring_tooltip",
    "site_tooltip",
    "target_tooltips",
]


def _km(value: object) -> str:
    """Write a published figure as published: ``2,500 km`` (``n/a`` when unknown)."""
    v = float(value)  # type: ignore[arg-type]
    return "n/a" if not math.isfinite(v) else f"{v:,.0f} km"


def km_text(value: object) -> str:
    """Write a distance from a site rounded for reading (sites stand for a town or region).

    Examples
    --------
    >>> km_text(2347.6), km_text(87.4), km_text(float("nan"))
    ('≈ 2,350 km', '≈ 87 km', 'n/a')
    """
    v = float(value)  # type: ignore[arg-type]
    if not math.isfinite(v):
        return "n/a"
    return f"≈ {round(v, -1) if v >= 100 else round(v):,.0f} km"


def area_text(value_km2: object) -> str:
    """Write an area to three significant figures, with thousands separators.

    Examples
    --------
    >>> area_text(11888190.4), area_text(525.4), area_text(0)
    ('11,900,000 km²', '525 km²', '0 km²')
    """
    v = float(value_km2)  # type: ignore[arg-type]
    if not math.isfinite(v) or v <= 0:
        return "0 km²"
    digits = 2 - math.floor(math.log10(v))
    return f"{round(v, digits):,.0f} km²"


def _domains(sources: str, limit: int = 3) -> str:
    urls = str(sources).split()
    names = list(dict.fromkeys(urlparse(u).netloc.removeprefix("www.") for u in urls))
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-3 -> country name (Natural Earth), with the Soviet Union."""
    names = dict(zip(load_countries()["iso_a3"], load_countries()["name"], strict=True))
    return {**names, "SUN": "Soviet Union"}


def _country(code: object) -> str:
    return _country_names().get(str(code), str(code))


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _date_text(date: str) -> str:
    """``2025-10-31`` -> ``31 Oct 2025``; ``2018-02`` -> ``Feb 2018``; a year stays."""
    parts = date.split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = _MONTHS[int(parts[1]) - 1]
        return f"{int(parts[2])} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"
    return date


#: How each kind of claim reads (:data:`rangemap.claims.CLAIM_KINDS`).
_KIND_TEXT = {
    "max-range-estimate": "an estimate of its maximum range",
    "official-declaration": "the state's own figure",
    "maker-claim": "the maker's claim",
    "distance-flown": "a distance flown",
    "lower-bound": "a lower bound",
}
_BASIS = re.compile(r"^(?P<who>.+), (?P<date>\d{4}(?:-\d{2}){0,2}) \((?P<kind>[a-z-]+)\)$")


def _basis_sentence(basis: str, range_km: object) -> str:
    """``Range 2,500 km (nominal), per <who> (<date>), <kind>.``, escaped."""
    figure = f"Range {_km(range_km)} (nominal)"
    found = _BASIS.match(basis)
    if found is None:
        return f"{figure}, per {escape(basis)}."
    kind = _KIND_TEXT.get(found["kind"], found["kind"].replace("-", " "))
    return f"{figure}, per {escape(found['who'])} ({_date_text(found['date'])}), {kind}."


#: The quality flags of ``data/README.md`` as sentences.
_QUALITY_TEXT = {
    "secondary": "only press, state-media or encyclopedia sources give this figure",
    "single-source": "a single press or state-media source gives this figure",
    "claimed-by-maker": "only the maker or its state media give this figure",
    "unsourced": "no source gives this figure",
}
_INF_TEXT = {
    "in": "In the INF Treaty's class (ground-launched, 500–5,500 km).",
    "disputed": "INF Treaty class disputed: published figures straddle a limit.",
    "out": "Outside the INF Treaty's class.",
}

#: Curator's shorthand in ``notes`` -> words for readers (see :func:`reader_note`).
_NOTE_WORDS = [
    (re.compile(r"\bFLAG:\s*"), "Caution: "),
    (re.compile(r"\bDISPUTED \(see claims\):\s*"), "Disputed (published claims differ): "),
    (re.compile(r"\bDISPUTED\b"), "disputed"),
    (re.compile(r"\bin (?:the )?(?:stored |search )?corpus\b"), "in the sources searched"),
    (re.compile(r"\b(?:the )?(?:stored |search )corpus\b"), "the sources searched"),
    (re.compile(r"\bcorpus\b"), "sources searched"),
    (
        re.compile(r"\b(min_range_km|min_range|range_high_km|range_low_km|range_km)\s+(\d+)\b"),
        r"\1 \2 km",
    ),  # fmt: skip
    (re.compile(r"\bmin_range(?:_km)?\b"), "minimum range"),
    (re.compile(r"\brange_high_km\b"), "highest figure"),
    (re.compile(r"\brange_low_km\b"), "lowest figure"),
    (re.compile(r"\brange_km\b"), "nominal range"),
    (re.compile(r"\bfirst_deployed\b"), "first deployment year"),
    (re.compile(r"\bfirst_tested\b"), "first test year"),
    (re.compile(r"\binf_class\b"), "INF class"),
    (re.compile(r"\bleft blank\b"), "not given"),
    (re.compile(r"\s+=\s+"), ", that is "),
    (re.compile(r"\b([a-z]+)=([a-z]+)\b"), r"\1 '\2'"),
    (re.compile(r"\s*->\s*"), ", so "),
]


def reader_note(text: object, limit: int | None = None) -> str:
    """Reword a catalogue or site note for readers, escaped, cut at a sentence if long.

    Parameters
    ----------
    text : str
        A ``notes`` cell: ``FLAG:`` opens a doubtful row, column names and ``=`` are the
        curator's shorthand.
    limit : int, optional
        Most characters kept: the text is cut at the last sentence end before it (or at
        a word) and ends with an ellipsis.

    Examples
    --------
    >>> reader_note("FLAG: only source in the stored corpus; range_km 2500 = CSIS.")
    'Caution: only source in the sources searched; nominal range 2,500 km, that is CSIS.'
    >>> reader_note("First sentence here. Second one is long.", limit=30)
    'First sentence here. &hellip;'
    """
    out = str(text or "").strip()
    for pattern, words in _NOTE_WORDS:
        out = pattern.sub(words, out)
    out = re.sub(r"(?<![\d,.])(\d{4,}) km", lambda m: f"{int(m[1]):,} km", out)
    if limit is not None and len(out) > limit:
        cut = out[:limit]
        end = cut.rfind(". ")
        cut = cut[: end + 1] if end > limit // 2 else cut[: cut.rfind(" ")].rstrip(",;:")
        return f"{escape(cut)} &hellip;"
    return escape(out)


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
    band = f" ({escape(row.band)} range)" if system and getattr(row, "band", "") else ""
    figure = f"{system}{band}, {_km(row.radius_km)}" if system else _km(row.radius_km)
    if hasattr(row, "targets"):
        mini = float(getattr(row, "min_radius_km", float("nan")))
        beyond = f", beyond {_km(mini)}" if math.isfinite(mini) and mini > 0 else ""
        which = "every target" if row.at_least == row.n_targets else (
            f"at least {int(row.at_least)} of {int(row.n_targets)} targets")  # fmt: skip
        clip = f"<br>Only {escape(row.clip)}." if getattr(row, "clip", "") else ""
        return (f"<b>Launch area</b>: {figure}{beyond}<br>From here it reaches {which}: "
                f"{escape(row.targets)}.{clip}<br>Area: {area_text(row.area_km2)}")  # fmt: skip
    return (
        f"<b>Reach from anywhere in {escape(row.region)}</b><br>{figure}<br>"
        f"Outline: {escape(row.outline)}.<br>Area: {area_text(row.area_km2)}"
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
    """Legend of the map: systems with their colours and figures, bands, marks.

    A system drawn in several bands shows the spread of its published figures (lowest to
    highest), and a note says so; a legend with no rings says, in a sentence, how to get
    some (issue 14).
    """
    rows, spread = ["<b>Range rings</b>"], ""
    for sid, group in fp.groupby("system_id", sort=False):
        radius = group["radius_km"]
        span = _km(radius.min())
        if radius.nunique() > 1:
            span = f"{radius.min():,.0f}&ndash;{_km(radius.max())}"
            spread = spread or span
        rows.append(
            f'<div class="row"><span class="sw" style="background:{colours[str(sid)]}"></span>'
            f'<span>{escape(group["system"].iloc[0])}</span><span class="fig">{span}</span></div>'
        )
    if len(fp) == 0:
        rows.append('<div class="note">None drawn yet: choose systems and launch sites.</div>')
    if spread:
        rows.append(
            f'<div class="note">Two figures, as {spread}: the spread of the published range '
            "figures drawn, lowest to highest.</div>"
        )
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
            f"capital in range ({n_targets:,} worldwide)</div>"
        )
    return "".join(rows)


def quality_html(system: pd.Series) -> str:
    """Who gives the nominal figure, how strong its sources are, and its INF class.

    Sentences for readers, escaped for HTML and joined by line breaks.

    Examples
    --------
    >>> text = quality_html(pd.Series({"quality": "secondary", "range_km": 2500,
    ...     "nominal_basis": "A & B, 2019-10-31 (max-range-estimate)", "inf_class": "out"}))
    >>> for line in text.split("<br>"):
    ...     print(line)
    Range 2,500 km (nominal), per A &amp; B (31 Oct 2019), an estimate of its maximum range.
    <b>Caution:</b> only press, state-media or encyclopedia sources give this figure.
    Outside the INF Treaty's class.
    """
    parts = []
    basis = str(system.get("nominal_basis", "") or "")
    if basis:
        parts.append(_basis_sentence(basis, system.get("range_km", math.nan)))
    flag = str(system.get("quality", "") or "")
    if flag:
        what = _QUALITY_TEXT.get(flag, f"its sources are flagged {escape(flag)}")
        parts.append(f"<b>Caution:</b> {what}.")
    inf = str(system.get("inf_class", "") or "")
    if inf:
        parts.append(_INF_TEXT.get(inf, f"INF class: {escape(inf)}."))
    return "<br>".join(parts)


#: How each band reads in a tooltip's second line.
_BAND_TEXT = {
    "nominal": "Nominal range",
    "high": "Highest published range",
    "low": "Lowest published range",
    "custom": "Custom radius",
}


def _published(system: pd.Series) -> str:
    """Say which figures are published: ``Published figures: 476 km (lowest), ...``."""
    found: dict[float, list[str]] = {}
    for label, col in (("lowest", "range_low_km"), ("nominal", "range_km"),
                       ("highest", "range_high_km")):  # fmt: skip
        v = float(system.get(col, math.nan))
        if math.isfinite(v):
            found.setdefault(v, []).append(label)
    if not found:
        return "No published range figure."
    what = ", ".join(f"{_km(v)} ({' and '.join(labels)})" for v, labels in found.items())
    return f"Published figure{'s' if len(found) > 1 else ''}: {what}."


def ring_tooltip(row: pd.Series, system: pd.Series | None, timing: Timing | None = None) -> str:
    """Tooltip of a merged ring: figures, their sources' strength, minimum range, sites."""
    head = f"<b>{escape(row['system'])}</b>"
    if system is not None:
        head += f" &middot; {escape(_country(system['country']))} &middot; "
        head += escape(system["class"])
    band = _BAND_TEXT.get(str(row["band"]), f"{escape(row['band'])} range")
    parts = [head]
    if row["band"] != "nominal" or system is None or not system.get("nominal_basis"):
        parts.append(f"{band}: <b>{_km(row['radius_km'])}</b>")  # else the basis says it
    if system is not None:
        parts.append(_published(system))
        if quality := quality_html(system):
            parts.append(quality)
    if math.isfinite(float(row["min_radius_km"])):
        parts.append(f"Minimum range {_km(row['min_radius_km'])} (the hole in the ring).")
    if line := flight_line(timing, float(row["radius_km"])):
        parts.append(f"Flight time to full range: {line}.")
    sites = str(row["sites"]).split("; ")
    shown = "; ".join(sites[:4]) + (f" and {len(sites) - 4} more" if len(sites) > 4 else "")
    parts.append(f"From {len(sites)} site{'s' if len(sites) != 1 else ''}: {escape(shown)}.")
    parts.append(f"Sources: {escape(_domains(row['sources']))} (click the ring for links).")
    return "<br>".join(parts)


def ring_popup(row: pd.Series, system: pd.Series | None) -> str:
    """Popup of a merged ring: its figure, sources' strength, notes and source links."""
    links = "".join(
        f'<li><a href="{escape(u)}" target="_blank" rel="noopener noreferrer">'
        f"{escape(urlparse(u).netloc)}</a></li>"
        for u in str(row["sources"]).split()
    )
    band = _BAND_TEXT.get(str(row["band"]), f"{escape(row['band'])} range").lower()
    note = "" if system is None else f"<div>{quality_html(system)}</div>"
    if system is not None and str(system.get("notes", "") or ""):
        note += f"<p style='margin:4px 0'>{reader_note(system['notes'], limit=400)}</p>"
    return (
        f"<b>{escape(row['system'])}</b>, {band} {_km(row['radius_km'])}"
        f"{note}<div>Sources:</div><ul style='margin:0;padding-left:16px'>{links}</ul>"
    )


def _where(lat: float, lon: float) -> str:
    """``13.48° N, 144.75° E``: two decimals, as sites are placed (town or region)."""
    return f"{abs(lat):.2f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.2f}° {'E' if lon >= 0 else 'W'}"


#: What each kind of site (:data:`rangemap.sites.SITE_KINDS`) reads as.
_SITE_KINDS = {"rumour": "rumoured site", "user": "site you added"}


def site_tooltip(site: pd.Series) -> str:
    """Tooltip of a launch site: name, where (to two decimals), kind and note."""
    text = f"<b>{escape(site['name'])}</b><br>{_where(float(site['lat']), float(site['lon']))}"
    kind = str(site.get("kind", "") or "")
    if kind:
        text += f" &middot; {escape(_SITE_KINDS.get(kind, f'{kind} site'))}"
    note = str(site.get("note", "") or "")
    if note:
        text += f"<br><span style='white-space:normal'>{reader_note(note, limit=160)}</span>"
    return text


#: What each change of :func:`rangemap.gainloss.gain_loss` means, with {a} and {b}.
_CHANGE_TEXT = {
    "gained": "reached from {b}, not from {a}",
    "lost": "reached from {a}, no longer from {b}",
    "shared": "reached from both",
}


#: How the region presets (:data:`rangemap.regions.REGIONS`) read in a sentence.
_REGION_NAMES = {"europe": "Europe", "east-asia": "East Asia", "world": "the world"}


def change_tooltip(row: pd.Series) -> str:
    """Tooltip of one area of :func:`rangemap.gainloss.gain_loss`."""
    a, b = escape(row["site_a"]), escape(row["site_b"])
    what = _CHANGE_TEXT[str(row["change"])].format(a=a, b=b)
    systems = f"{escape(row['systems'])}, " if str(row["systems"]) else ""
    where = str(row.get("region", "") or "")
    region = f" in {_REGION_NAMES.get(where, escape(where))}" if where else ""
    return (
        f"<b>{escape(str(row['change']).capitalize())}</b> moving from {a} to {b}: {what}<br>"
        f"{systems}{escape(row['band'])} range<br>Area{region}: {area_text(row['area_km2'])}"
    )


def change_legend_html(changes: pd.DataFrame) -> str:
    """Legend of a gained/lost map: the two sites, the band, and each change's area."""
    first = changes.iloc[0]
    a, b = escape(first["site_a"]), escape(first["site_b"])
    systems = f"{escape(first['systems'])}, " if str(first["systems"]) else ""
    rows = [
        f"<b>From {a} to {b}</b>",
        f'<div class="note">{systems}{escape(first["band"])} range</div>',
    ]
    for _, row in changes.iterrows():
        change = str(row["change"])
        what = _CHANGE_TEXT[change].format(a=a, b=b)
        rows.append(
            f'<div class="row"><span class="sw" style="background:{CHANGE_COLORS[change]};'
            f'opacity:.75"></span><span><b>{change}</b>: {what}</span>'
            f'<span class="fig">{area_text(row["area_km2"])}</span></div>'
        )
    rows.append(
        '<hr><div class="row"><span class="dot" style="background:#fff;'
        'border:2px solid #111"></span>launch site</div>'
    )
    return "".join(rows)


def flight_line(timing: Timing | None, distance_km: float) -> str:
    """Say how long a flight over a distance takes, escaped ("" without a timing).

    The system's id, which :func:`rangemap.flight.time_label` names when no time can be
    given, is left out: the tooltip already names the system.

    Examples
    --------
    >>> from rangemap.flight import FlightModel
    >>> t = Timing("x", FlightModel.BALLISTIC, (60.0, 180.0), (math.nan, math.nan), "")
    >>> flight_line(t, 2700.0)
    '≈ 15–17 min (minimum-energy, boost 1–3 min)'
    >>> flight_line(Timing("df-9", None, (0, 0), (0, 0), "", why="no mean speed for df-9"), 1)
    'time not given: no mean speed'
    """
    if timing is None:
        return ""
    row = time_arrays(timing, [distance_km])
    label = time_label(
        timing, float(row["flight_time_min_low"][0]), float(row["flight_time_min_high"][0])
    )
    return escape(label.replace(f" for {timing.system_id}", ""))


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
        head = f"<b>{escape(name)}</b> ({escape(_country(country))})"
        if not reached or inside is None or distances is None:
            heads.append(f"{head}<br>Not in range of the rings drawn.")
            picks.append([])
            continue
        heads.append(f"{head}<br>In range of {escape(by)}.")
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
                f"{escape(names[k])}: {km_text(distances[i, k])} from "
                f"{escape(site_names[k])}" + (f"<br>&nbsp;&nbsp;{escape(when)}" if when else "")
            )
        if len(chosen) > _MAX_TIMED:
            lines.append(f"and {len(chosen) - _MAX_TIMED} more systems")
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
            label = time_label(timing, float(low), float(high))
            out[pair] = label.replace(f" for {timing.system_id}", "")
    return out
