"""One look everywhere: a system has the same colour on the map, in KML and in figures (#9)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import matplotlib.colors as mcolors
import pytest

from rangemap import _leaflet, mapview
from rangemap.figure import draw_figure
from rangemap.formats import to_kml
from rangemap.layers import build_layers
from rangemap.rings import range_rings
from rangemap.sites import resolve_sites
from rangemap.style import (
    BAND_STYLES,
    PALETTE,
    band_style,
    kml_style,
    leaflet_style,
    legend_swatch_css,
    matplotlib_line,
    system_colors,
)

KML = "{http://www.opengis.net/kml/2.2}"
SYSTEMS = ["df-26", "9m729", "iskander-m"]


@pytest.fixture(scope="module")
def rings():
    return range_rings(SYSTEMS, ["kaliningrad", "guam"], band="all")


def _map_colours(rings) -> dict[str, str]:
    layers = mapview.prepare_layers(rings, resolve_sites(["kaliningrad", "guam"]))
    feats = json.loads(layers.rings)["features"]
    out: dict[str, set[str]] = {}
    for f in feats:
        out.setdefault(f["properties"]["system_id"], set()).add(f["properties"]["style"]["color"])
    assert all(len(c) == 1 for c in out.values()), out  # one colour per system, every band
    return {sid: c.pop().upper() for sid, c in out.items()}


def _kml_colours(rings, tmp_path) -> dict[str, str]:
    path = to_kml(build_layers(rings), tmp_path / "x.kml")
    out: dict[str, set[str]] = {}
    for mark in ET.parse(path).getroot().iter(f"{KML}Placemark"):
        data = {d.get("name"): d.text for d in mark.iter(f"{KML}SimpleData")}
        sid = data.get("system_id")
        color = mark.findtext(f"{KML}Style/{KML}LineStyle/{KML}color")
        if sid and color:
            # KML writes aabbggrr.
            out.setdefault(sid, set()).add(f"#{color[6:8]}{color[4:6]}{color[2:4]}".upper())
    assert all(len(c) == 1 for c in out.values()), out
    return {sid: c.pop() for sid, c in out.items()}


def _figure_colours(rings) -> dict[str, str]:
    fig = draw_figure(rings, region="world")
    ax = fig.axes[0]
    strokes = [c for c in ax.collections if c.get_zorder() == 4]  # one outline per ring
    assert len(strokes) == len(rings)
    out: dict[str, set[str]] = {}
    for sid, stroke in zip(rings["system_id"], strokes, strict=True):
        out.setdefault(sid, set()).add(mcolors.to_hex(stroke.get_colors()[0]).upper())
    assert all(len(c) == 1 for c in out.values()), out
    return {sid: c.pop() for sid, c in out.items()}


def test_a_system_has_one_colour_on_the_map_in_kml_and_in_figures(rings, tmp_path):
    expected = system_colors(SYSTEMS)
    assert set(expected.values()) <= set(PALETTE)
    assert _map_colours(rings) == expected
    assert _kml_colours(rings, tmp_path) == expected
    assert _figure_colours(rings) == expected


def test_regression_9_df26_was_blue_on_the_map_and_orange_in_kml(rings, tmp_path):
    """Check fix for the two palettes found 2026-12 (issue 9): DF-26 first is orange."""
    assert _map_colours(rings)["df-26"] == _kml_colours(rings, tmp_path)["df-26"] == "#D55E00"


def test_band_styles_come_from_one_table():
    for band, s in BAND_STYLES.items():
        leaflet = leaflet_style(band, "#123456")
        assert leaflet["weight"] == s.width_px and leaflet["opacity"] == s.opacity
        assert ("dashArray" in leaflet) == bool(s.dash)
        assert leaflet.get("fillOpacity", 0.0) == s.fill_opacity
        linestyle, width = matplotlib_line(band)
        assert (linestyle == "-") == (not s.dash)
        assert width == pytest.approx(s.width_px * 0.7)
        pen, brush = kml_style(band, "#123456").split(";")
        assert pen.startswith("PEN(c:#123456") and f"w:{s.width_px:g}px" in pen
        assert brush.endswith(f"{round(255 * s.fill_opacity):02X})")
    # Nominal is solid and tinted; high paler and dotted; low dashed and unfilled.
    assert not band_style("nominal").dash and band_style("nominal").fill_opacity > 0
    assert 0 < band_style("high").fill_opacity < band_style("nominal").fill_opacity
    assert band_style("low").fill_opacity == 0 and band_style("low").dash
    assert "dotted" in legend_swatch_css("high") and "dashed" in legend_swatch_css("low")


def test_map_legend_describes_the_bands_from_the_table():
    rings = range_rings(["iskander-m"], ["kaliningrad"], band="all")
    layers = mapview.prepare_layers(rings, resolve_sites(["kaliningrad"]))
    assert BAND_STYLES["nominal"].legend in layers.legend
    assert BAND_STYLES["high"].legend in layers.legend
    assert legend_swatch_css("high") in layers.legend
    assert _leaflet.escape("<b>") == "&lt;b&gt;"


def test_system_colours_follow_first_appearance_and_repeat_past_the_palette():
    ids = [f"s{i}" for i in range(len(PALETTE) + 2)]
    colors = system_colors(ids)
    assert list(colors.values())[: len(PALETTE)] == list(PALETTE)
    assert colors[f"s{len(PALETTE)}"] == PALETTE[0]
    assert system_colors(["b", "a", "b"]) == {"b": PALETTE[0], "a": PALETTE[1]}


def test_change_colours_tell_gained_from_lost_with_any_colour_vision():
    """Issue 14's gained/lost map: Okabe & Ito's blue and vermilion, shared a grey."""
    from rangemap.style import CHANGE_COLORS  # new in issue 14

    assert list(CHANGE_COLORS) == ["gained", "lost", "shared"]
    assert CHANGE_COLORS["gained"] in PALETTE[:8] and CHANGE_COLORS["lost"] in PALETTE[:8]
    assert CHANGE_COLORS["gained"] != CHANGE_COLORS["lost"]
    r, g, b = mcolors.to_rgb(CHANGE_COLORS["shared"])
    assert r == g == b  # neutral
