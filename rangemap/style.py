"""One look for every output: the system palette, the band styles and the state colours.

The interactive map (Leaflet, :mod:`rangemap.mapview`), Google Earth (KML,
:mod:`rangemap.formats`) and report figures (matplotlib, :mod:`rangemap.figure`) all take
their colours and line styles from here, so a system has the same colour, and a band the
same look, wherever it is drawn (issue 9: DF-26 was blue on the map and orange in the KML).

Public names
------------
PALETTE, system_colors
    Okabe & Ito's colour-blind-safe colours, then more; one colour per system id, in the
    order the systems are given.
BandStyle, BAND_STYLES, band_style
    How each range band (nominal, high, low, custom) is stroked and filled.
leaflet_style, matplotlib_line, kml_style, legend_swatch_css
    A band's style in the terms of each renderer.
STATE_COLORS
    A colour per state (ISO 3166-1 alpha-3) for figures drawn state by state.
CHANGE_COLORS
    Gained, lost and shared reach when launchers move between two sites.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BAND_STYLES",
    "CHANGE_COLORS",
    "PALETTE",
    "STATE_COLORS",
    "BandStyle",
    "band_style",
    "kml_style",
    "leaflet_style",
    "legend_swatch_css",
    "matplotlib_line",
    "system_colors",
]

#: Okabe & Ito's colour-blind-safe set (yellow left out: unreadable on white), then
#: matplotlib's tab10 for the ninth system on; repeats after sixteen systems.
PALETTE = (
    "#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
    "#8C564B", "#7F7F7F", "#BCBD22", "#17BECF", "#9467BD", "#1F77B4", "#2CA02C",
    "#D62728", "#FF7F0E",
)  # fmt: skip

#: Colours for the states of the state-by-state policy figure (colour-blind-safe first).
STATE_COLORS = {
    "CHN": "#D55E00", "PRK": "#7B3294", "KOR": "#0072B2", "JPN": "#009E73",
    "TWN": "#E69F00", "RUS": "#444444", "USA": "#56B4E9",
}  # fmt: skip


#: Gained, lost and shared reach between two sites (:mod:`rangemap.gainloss`): gained blue
#: and lost vermilion, Okabe & Ito's pair told apart with any colour vision (not green and
#: red), shared a neutral grey that recedes behind both.
CHANGE_COLORS = {"gained": "#0072B2", "lost": "#D55E00", "shared": "#9A9A9A"}


def system_colors(system_ids: Iterable[str]) -> dict[str, str]:
    """Give each system id a colour of :data:`PALETTE`, in order of first appearance.

    Parameters
    ----------
    system_ids : iterable of str
        Ids in drawing order; repeats keep their first colour.

    Returns
    -------
    dict
        Id -> ``#RRGGBB``; past :data:`PALETTE`'s length colours repeat.

    Examples
    --------
    >>> system_colors(["df-26", "df-21", "df-26"])
    {'df-26': '#D55E00', 'df-21': '#0072B2'}
    >>> system_colors([])
    {}
    """
    out: dict[str, str] = {}
    for sid in system_ids:
        sid = str(sid)
        if sid not in out:
            out[sid] = PALETTE[len(out) % len(PALETTE)]
    return out


@dataclass(frozen=True)
class BandStyle:
    """How one range band is drawn, in renderer-neutral terms.

    Attributes
    ----------
    width_px : float
        Outline width in screen pixels (Leaflet, KML); figures scale it to points.
    opacity : float
        Outline opacity, 0-1.
    dash : tuple of float
        Dash pattern as on/off lengths in multiples of the line width; empty for solid.
    fill_opacity : float
        Fill opacity, 0-1; 0 draws the outline only.
    legend : str
        What the band means, for legends.
    """

    width_px: float
    opacity: float
    dash: tuple[float, ...]
    fill_opacity: float
    legend: str


#: The one band-style table. Nominal (the claims rule's figure): solid and tinted. High (the
#: largest published figure): dotted with a paler tint, so the spread between nominal and
#: high shows as a pale band around the nominal ring. Low (the smallest published figure):
#: dashed, no fill. A custom radius is drawn as a nominal figure.
BAND_STYLES: dict[str, BandStyle] = {
    "nominal": BandStyle(2.0, 0.95, (), 0.17, "nominal range (claims rule)"),
    "high": BandStyle(1.0, 0.6, (1.0, 4.0), 0.07, "up to the highest figure"),
    "low": BandStyle(1.5, 0.95, (4.0, 2.7), 0.0, "lowest published figure"),
    "custom": BandStyle(2.0, 0.95, (), 0.17, "custom radius"),
}

#: Figure line widths (pt) per screen pixel: a 2 px map outline is a 1.4 pt printed line.
_PT_PER_PX = 0.7


def band_style(band: str) -> BandStyle:
    """Return the style of a band; an unknown band is drawn as nominal.

    Examples
    --------
    >>> band_style("low").fill_opacity, band_style("mystery") == band_style("nominal")
    (0.0, True)
    """
    return BAND_STYLES.get(str(band), BAND_STYLES["nominal"])


def leaflet_style(band: str, color: str) -> dict[str, Any]:
    """Leaflet path options (``color, weight, opacity, dashArray, fill...``) for a band.

    Examples
    --------
    >>> leaflet_style("high", "#D55E00")["dashArray"]
    '1 4'
    >>> leaflet_style("low", "#D55E00")["fill"]
    False
    """
    s = band_style(band)
    out: dict[str, Any] = {"color": color, "weight": s.width_px, "opacity": s.opacity}
    if s.dash:
        out["dashArray"] = " ".join(f"{d * s.width_px:g}" for d in s.dash)
    if s.fill_opacity > 0:
        out.update(fillColor=color, fillOpacity=s.fill_opacity)
    else:
        out["fill"] = False
    return out


def matplotlib_line(band: str) -> tuple[Any, float]:
    """``(linestyle, linewidth_pt)`` of a band for matplotlib.

    matplotlib scales dash patterns by the line width, as :attr:`BandStyle.dash` does.

    Examples
    --------
    >>> matplotlib_line("nominal")
    ('-', 1.4)
    >>> matplotlib_line("high")
    ((0, (1.0, 4.0)), 0.7)
    """
    s = band_style(band)
    style: Any = (0, s.dash) if s.dash else "-"
    return style, round(s.width_px * _PT_PER_PX, 3)


def kml_style(band: str, color: str) -> str:
    """Return an OGR style string (``PEN``/``BRUSH``) for a band; GDAL's LIBKML writes KML.

    KML has no dashes: bands differ by width and fill (none for ``low``).

    Examples
    --------
    >>> kml_style("nominal", "#0072B2")
    'PEN(c:#0072B2F2,w:2px);BRUSH(fc:#0072B22B)'
    >>> kml_style("low", "#0072B2")
    'PEN(c:#0072B2F2,w:1.5px);BRUSH(fc:#0072B200)'
    """
    s = band_style(band)
    pen = f"{color.upper()}{round(255 * s.opacity):02X}"
    brush = f"{color.upper()}{round(255 * s.fill_opacity):02X}"
    return f"PEN(c:{pen},w:{s.width_px:g}px);BRUSH(fc:{brush})"


def legend_swatch_css(band: str, color: str = "#444444") -> str:
    """CSS for a legend swatch showing a band: its border style and tint.

    Examples
    --------
    >>> legend_swatch_css("low")
    'border:1.5px dashed #444444'
    """
    s = band_style(band)
    kind = "solid" if not s.dash else ("dotted" if s.dash[0] <= 1.0 else "dashed")
    css = f"border:{s.width_px:g}px {kind} {color}"
    if s.fill_opacity > 0:
        css += f";background:{color}{round(255 * s.fill_opacity):02x}"
    return css
