"""KML placemark text (private to :mod:`rangemap.formats`): names and HTML balloons.

Every value put into a balloon is HTML-escaped (:func:`esc`), so a name like ``<b>&`` shows
as typed and cannot inject markup; :func:`xml_safe` then makes any text something XML can
hold (LIBKML writes it as it is given).

Public names
------------
plain, esc, km, xml_safe
    Text of a value, HTML-escaped text, a distance in km, text XML can hold.
ring_description, site_description, target_description
    Balloons of the export layers.
area_name, area_description, point_description
    Names and balloons of launch areas, a region's reach and their targets.
"""

from __future__ import annotations

import html
import math
import re
from typing import Any

import numpy as np
import pandas as pd

from rangemap.geodesy import METHOD_TEXT

__all__ = [
    "area_description",
    "area_name",
    "esc",
    "km",
    "plain",
    "point_description",
    "ring_description",
    "site_description",
    "target_description",
    "xml_safe",
]


def plain(value: Any) -> str:
    """Return the text of a value; ``""`` for None and NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def esc(value: Any) -> str:
    """Return the HTML-escaped text of a value (quotes too), for a balloon."""
    return html.escape(plain(value), quote=True)


def _links(urls: str) -> str:
    items = [f'<a href="{esc(u)}">{esc(u)}</a>' for u in urls.split()]
    return "<br/>".join(items) if items else "none given"


def km(value: Any) -> str:
    """Format a distance as ``"4,000 km"``; ``"n/a"`` when missing or not finite."""
    f = float(value) if value is not None else math.nan
    return "n/a" if not math.isfinite(f) else f"{f:,.0f} km"


def _table(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><td>{esc(k)}</td><td>{v}</td></tr>" for k, v in rows)
    return f"<table>{body}</table>"


def ring_description(row: pd.Series) -> str:
    head = f"<p><b>{esc(row['system'] or 'Custom radius')}</b>"
    if row["class"] or row["country"]:
        head += f" ({esc(row['class'])}, {esc(row['country'])})"
    head += f" from <b>{esc(row['site'])}</b></p>"
    rows = [
        (f"Range ({row['band']})", esc(km(row["radius_km"]))),
        (
            "Minimum range",
            esc(km(row["min_radius_km"]))
            if math.isfinite(row["min_radius_km"])
            else "none published",
        ),
        ("Centre (lat, lon)", esc(f"{row['lat']:.4f}, {row['lon']:.4f}")),
        ("Area within ring", esc(f"{row['area_km2']:,.0f} km²")),
    ]
    if row.get("nominal_basis"):
        rows.append(("Nominal figure from", esc(row["nominal_basis"])))
    if row.get("quality"):
        rows.append(("Quality flag", f"<b>{esc(row['quality'])}</b>"))
    if row.get("inf_class"):
        rows.append(("INF class", esc(row["inf_class"])))
    accessed = f" (accessed {esc(row['accessed'])})" if row["accessed"] else ""
    return (
        f"{head}{_table(rows)}<p>Sources of the figure{accessed}:<br/>"
        f"{_links(row['sources'])}</p><p>{esc(METHOD_TEXT)}</p>"
    )


def site_description(row: pd.Series) -> str:
    rows = [
        ("Country", esc(row["country"])),
        ("Kind", esc(row["kind"])),
        ("Lat, lon", esc(f"{row['lat']:.4f}, {row['lon']:.4f}")),
    ]
    note = f"<p>{esc(row['note'])}</p>" if row["note"] else ""
    return (
        f"<p><b>{esc(row['site'])}</b></p>{_table(rows)}{note}<p>Sources:<br/>"
        f"{_links(row['source'])}</p>"
    )


def target_description(row: pd.Series) -> str:
    pop = row["population"]
    rows = [
        ("Country", esc(row["country"])),
        ("Population", esc(f"{pop:,.0f}" if math.isfinite(pop) else "n/a")),
        ("Capital", "yes" if row["capital"] else "no"),
        ("Nearest site reaching it", esc(row["nearest_site"])),
        ("Geodesic distance", esc(f"{row['distance_km']:,.1f} km")),
        ("Largest margin inside a ring", esc(f"{row['margin_km']:,.1f} km")),
    ]
    low, high = float(row["flight_time_min_low"]), float(row["flight_time_min_high"])
    if math.isfinite(low) and math.isfinite(high):
        time = f"{low:,.1f}-{high:,.1f} min ({row['time_model']})"
        rows.append(("Flight time from the nearest site", esc(time)))
    reached = "<br/>".join(esc(r) for r in str(row["reached_by"]).split("; "))
    return (
        f"<p><b>{esc(row['target'])}</b></p>{_table(rows)}<p>In range of:<br/>{reached}</p>"
        f"<p>{esc(METHOD_TEXT)}</p>"
    )


#: Characters XML 1.0 does not allow (section 2.2); LIBKML would write them as they are and
#: leave a file no reader opens.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value: Any) -> Any:
    r"""Make text KML can hold: U+FFFD for what XML cannot hold, and no ``]]>``.

    LIBKML writes text holding ``<`` or ``&`` as a CDATA section, which ``]]>`` would end
    early: the file was not well-formed and the export failed (issue 15). A zero-width
    space before the ``>`` keeps the name as it looks.

    Examples
    --------
    >>> xml_safe("a]]>b\x07")
    'a]]\u200b>b\ufffd'
    """
    if not isinstance(value, str):
        return value
    return _XML_ILLEGAL.sub("\ufffd", value).replace("]]>", "]]\u200b>")


#: An area's fields shown in its KML balloon, with their labels.
_AREA_FIELDS = {"region": "Region", "outline": "Outline used", "system": "System", "band": "Band",
                "radius_km": "Range", "min_radius_km": "Minimum range", "targets": "Targets",
                "n_targets": "Number of targets", "at_least": "Reaching at least",
                "clip": "Clipped to", "area_km2": "Area", "whole_globe": "Whole globe"}  # fmt: skip


def area_name(row: pd.Series) -> str:
    """Name an area: 'Launch area — DF-26 nominal 4,000 km', 'Reach from Belarus — 500 km'.

    Examples
    --------
    >>> area_name(pd.Series({"targets": "A; B", "system": "", "band": "1,500 km",
    ...                      "radius_km": 1500.0, "min_radius_km": 300.0,
    ...                      "at_least": 1, "n_targets": 2}))
    'Launch area — 300–1,500 km (at least 1 of 2 targets)'
    >>> area_name(pd.Series({"x": 1}))  # not an area of rangemap's: no figures to name
    'Area'
    """
    low = float(row.get("min_radius_km", math.nan))
    span = (f"{low:,.0f}–" if low > 0 else "") + km(row.get("radius_km"))  # NaN > 0 is False
    system = plain(row.get("system"))
    parts = (system, plain(row.get("band")) if system else "", span if "radius_km" in row else "")
    what = " ".join(x for x in parts if x)
    if "region" in row:
        head, tail = f"Reach from {plain(row['region'])}", ""
    else:
        k, n = row.get("at_least"), row.get("n_targets")
        head = "Launch area" if "targets" in row else "Area"
        tail = f" (at least {k} of {n} targets)" if k != n else ""
    return (f"{head} — {what}" if what else head) + tail


def area_description(row: pd.Series) -> str:
    """Return an area's balloon: its ``name``, the fields it has, its method."""

    def shown(col: str, value: Any) -> str:
        if isinstance(value, (bool, np.bool_)):
            return "yes" if value else "no"
        if col == "area_km2":
            return f"{float(value):,.0f} km²"
        return km(value) if col.endswith("_km") else plain(value)

    rows = [(label, esc(shown(col, row[col]))) for col, label in _AREA_FIELDS.items()
            if plain(row.get(col))]  # fmt: skip
    return f"<p><b>{esc(row['name'])}</b></p>{_table(rows)}<p>{esc(row.get('method'))}</p>"


def point_description(row: pd.Series) -> str:
    """Return a target point's balloon (``name, country, lat, lon``)."""
    where = esc(f"{row['lat']:.4f}, {row['lon']:.4f}")
    rows = [("Country", esc(row["country"])), ("Lat, lon", where)]
    return f"<p><b>{esc(row['name'])}</b></p>{_table(rows)}"
