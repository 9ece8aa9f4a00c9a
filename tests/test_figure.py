"""Publication figures: files, sizes, searchable text, projections, Japanese glyphs."""

from __future__ import annotations

import math
import re
import struct
import warnings
import xml.etree.ElementTree as ET

import matplotlib
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from rangemap import _figtext
from rangemap._figmap import TITLE_LINES
from rangemap._figtext import Lang, cjk_font_family
from rangemap.catalogue import load_catalogue
from rangemap.errors import ExportError, OptionError
from rangemap.figure import REPRESENTATIVE_SITES, draw_figure, inf_policy_figure, save_figure
from rangemap.mapframe import map_frame, project_geometries, ring_outlines
from rangemap.polygons import ring_polygon
from rangemap.rings import range_rings
from rangemap.sites import load_sites

LOW_DPI = 40
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def rings():
    return range_rings(["df-26", "type-12-improved"], ["guam", "kyushu-kumamoto"])


@pytest.fixture(scope="module")
def fig_en(rings):
    return draw_figure(rings, region="east-asia")


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _png_dpi(data: bytes) -> float:
    i = data.index(b"pHYs")
    x, _, unit = struct.unpack(">IIB", data[i + 4 : i + 13])
    assert unit == 1  # metres
    return x * 0.0254


def _svg_text(path) -> str:
    root = ET.parse(path).getroot()
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))


def test_png_at_300_dpi_is_report_width(fig_en, tmp_path):
    out = save_figure(fig_en, tmp_path / "map.png")
    data = out.read_bytes()
    width, height = _png_size(data)
    assert width == 7 * 300  # 7 inches at 300 dpi: a report page's text width
    assert 0.8 < height / width < 2.0
    assert round(_png_dpi(data)) == 300
    assert len(data) > 200_000


def test_svg_has_searchable_legend_footnote_and_title(fig_en, rings, tmp_path):
    out = save_figure(fig_en, tmp_path / "map.svg")
    text = _svg_text(out)
    assert "DF-26 — 4,000 km" in text and "Type 12 SSM" in text  # legend
    assert "Range of DF-26, Type 12 SSM" in text  # title
    assert "WGS84 ellipsoid" in text and "GeographicLib" in text and "50 m" in text
    assert "Natural Earth" in text and "Lambert azimuthal equal-area" in text
    flat = re.sub(r"\s+", "", text)  # a URL longer than a line is broken across lines
    for url in " ".join(dict.fromkeys(rings["sources"])).split():  # every figure's sources
        assert re.sub(r"^https?://", "", url) in flat
    assert "Guam" in text and "Kumamoto (Kyushu)" in text  # site labels
    assert "at the centre" in text  # the scale bar's caveat


def test_footnote_is_not_cut_at_the_page_edge(fig_en):
    fig_en.canvas.draw()
    page = fig_en.bbox
    for text in fig_en.texts:
        box = text.get_window_extent()
        assert page.x0 <= box.x0 and box.x1 <= page.x1 + 0.5, text.get_text()[:40]


def test_pdf_and_svg_are_written(fig_en, tmp_path):
    pdf = save_figure(fig_en, tmp_path / "map.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000
    assert b"CreationDate" not in pdf


def test_svg_bytes_are_stable(rings, tmp_path):
    a = save_figure(draw_figure(rings, region="europe"), tmp_path / "a.svg").read_bytes()
    b = save_figure(draw_figure(rings, region="europe"), tmp_path / "b.svg").read_bytes()
    assert a == b


@pytest.mark.parametrize("region", ["europe", "east-asia", "world"])
def test_every_preset_draws(region, tmp_path):
    rings = range_rings(["oreshnik"], ["kaliningrad", "chukotka-anadyr"])
    out = save_figure(draw_figure(rings, region=region), tmp_path / "m.png", dpi=LOW_DPI)
    width, _ = _png_size(out.read_bytes())
    assert width == 7 * LOW_DPI


def test_regional_projection_is_azimuthal_and_centred():
    for region, (lon0, lat0) in (("europe", (17.5, 53.0)), ("east-asia", (116.5, 22.5))):
        frame = map_frame(region)
        method = frame.crs.coordinate_operation.method_name
        assert method == "Lambert Azimuthal Equal Area"  # never Web Mercator
        assert (frame.lon0, frame.lat0) == (lon0, lat0)
        assert frame.scale == pytest.approx(1.0, abs=1e-9)
    aeqd = map_frame("east-asia", "aeqd").crs.coordinate_operation.method_name
    assert aeqd == "Azimuthal Equidistant"
    assert map_frame("world").crs.coordinate_operation.method_name == "Equal Earth"
    with pytest.raises(OptionError, match="laea, aeqd; got 'merc'"):
        map_frame("europe", "merc")


def test_a_ring_at_the_centre_is_a_true_circle():
    frame = map_frame("east-asia")
    ring = ring_polygon(lat=frame.lat0, lon=frame.lon0, radius_m=2_000_000)
    (projected,) = project_geometries([ring], frame)
    r = np.hypot(*np.asarray(projected.exterior.coords).T)
    # Lambert azimuthal equal-area at its centre: the 2,000 km geodesic circle's
    # projected radius is 2 R sin(s / 2R) ~ 1,983 km, the same in every direction.
    assert r.max() - r.min() < 0.006 * r.mean()
    assert r.mean() == pytest.approx(1_983_000, rel=0.01)


def test_antimeridian_ring_is_one_piece_and_its_outline_has_no_seam():
    ring = ring_polygon(lat=13.48, lon=144.75, radius_m=4_000_000)  # Guam, crosses 180
    assert ring.geom_type == "MultiPolygon"
    frame = map_frame("east-asia")
    (poly,) = project_geometries([ring], frame)
    assert poly.geom_type == "Polygon"
    world = map_frame("world")
    (outline,) = ring_outlines([ring], world)
    # The world map's edge is the cut: no stroke runs along it.
    xmin = project_geometries([shapely.box(-180, -90, 180, 90)], world)[0].bounds[0]
    xs = shapely.get_coordinates(outline)[:, 0]
    assert not np.any(np.isclose(xs, xmin) & np.isclose(np.roll(xs, 1), xmin))


def test_scale_bar_matches_the_projection_scale(fig_en):
    from matplotlib_scalebar.scalebar import ScaleBar

    bars = [a for a in fig_en.axes[0].artists if isinstance(a, ScaleBar)]
    assert len(bars) == 1 and bars[0].dx == pytest.approx(1.0)
    world = map_frame("world")
    assert 0.8 < world.scale < 0.9  # Equal Earth along the equator


def test_japanese_font_has_the_glyphs():
    family = cjk_font_family()
    path = font_manager.findfont(font_manager.FontProperties(family=family),
                                 fallback_to_default=False)  # fmt: skip
    charmap = FT2Font(path).get_charmap()
    for ch in "東アジア射程出典図法縮尺中心国境測地線楕円体":
        assert ord(ch) in charmap, ch


def test_japanese_figure_renders_without_tofu(rings, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = draw_figure(rings, region="east-asia", lang="ja")
        save_figure(fig, tmp_path / "ja.png", dpi=LOW_DPI)
        out = save_figure(fig, tmp_path / "ja.svg")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    text = _svg_text(out)
    assert "の射程" in text and "図中の数値の出典" in text and "測地線" in text


def test_cjk_site_names_render_in_english_figures(tmp_path):
    sites = load_sites("name,lat,lon\n東京試験場,35.68,139.77\n".encode(), name="s.csv")
    rings = range_rings(["df-21"], ["東京試験場"], site_table=sites)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        save_figure(draw_figure(rings), tmp_path / "x.png", dpi=LOW_DPI)
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_policy_figure_has_a_panel_per_state(tmp_path):
    fig = inf_policy_figure()
    headings = [ax.get_title(loc="left") for ax in fig.axes]
    assert len(headings) == len(REPRESENTATIVE_SITES)
    assert headings[0].startswith("China — from Xinyang region")
    out = save_figure(fig, tmp_path / "policy.svg")
    text = _svg_text(out)
    cat = load_catalogue().set_index("id")
    typhon = cat.loc["tomahawk-typhon", "range_km"]
    assert "DF-26 4,000" in text and f"Typhon {typhon:,.0f}" in text  # ring labels
    assert "quality: " in text  # flags of figures without a strong source
    assert "missilethreat.csis.org" in text  # sources, by publisher for this many systems
    assert "representative site" in text


def test_policy_figure_in_japanese(tmp_path):
    fig = inf_policy_figure(lang="ja", states=["PRK", "JPN"])
    assert fig.axes[0].get_title(loc="left").startswith("北朝鮮")
    save_figure(fig, tmp_path / "p.png", dpi=LOW_DPI)


def test_bad_options_name_the_valid_choices(rings, fig_en, tmp_path):
    with pytest.raises(OptionError, match="en, ja; got 'de'"):
        draw_figure(rings, lang="de")
    with pytest.raises(OptionError, match="png, svg, pdf; got 'jpg'"):
        save_figure(fig_en, tmp_path / "x.jpg")
    with pytest.raises(OptionError, match="auto, urls, hosts; got 'none'"):
        draw_figure(rings, sources="none")
    with pytest.raises(ExportError, match="no representative site"):
        inf_policy_figure(states=["FRA"])
    assert list(tmp_path.iterdir()) == []


def test_missing_japanese_font_gives_an_install_hint(monkeypatch, rings):
    monkeypatch.setattr(_figtext, "_cjk_font", lambda: None)
    with pytest.raises(ExportError, match="matplotlib-fontja"):
        draw_figure(rings, lang="ja")


# --- issue 15: names are text, never mathtext; titles fitted in few measurements ----------


def _draw_and_save(fig, tmp_path) -> str:
    """Save ``fig`` as PNG (low dpi) and SVG; check no text is mathtext; return SVG text."""
    save_figure(fig, tmp_path / "f.png", dpi=LOW_DPI)
    svg = save_figure(fig, tmp_path / "f.svg")
    mathtext = [t.get_text() for t in fig.findobj(Text) if t.get_parse_math()]
    assert mathtext == []
    return _svg_text(svg)


def test_regression_15_dollar_site_name_is_drawn_as_typed(tmp_path):
    sites = load_sites(b"name,lat,lon\n$x^$,35.68,139.77\n", name="s.csv")
    fig = draw_figure(range_rings(["df-21"], ["$x^$"], site_table=sites))
    text = _draw_and_save(fig, tmp_path)  # was: ValueError from the mathtext parser
    assert "Range of DF-21 from $x^$" in text
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels == ["$x^$"]  # the site label (drawn as a path under its halo)


def test_regression_15_dollar_title_keeps_its_dollars(rings, tmp_path):
    title = r"$\foo$ and Costs $5 and $10"
    text = _draw_and_save(draw_figure(rings, title=title), tmp_path)
    assert title in text  # was: a traceback for $\foo$, and "Costs 5 and " silently


def test_regression_15_dollar_system_name_in_legend_footnote_and_ring_labels(tmp_path):
    rings = range_rings(["df-26"], ["guam"])
    rings["system"] = "Costs $5 and $10 $x^$"
    text = _draw_and_save(draw_figure(rings), tmp_path)
    assert "Costs $5 and $10 $x^$ — 4,000 km" in text  # legend
    assert "Costs $5 and $10 $x^$ [4,000 km]" in text  # footnote's sources
    cat = load_catalogue().copy()
    cat.loc[cat["id"] == "type-12-improved", "name"] = "$x^$ (Costs $5)"
    fig = inf_policy_figure(states=["JPN"], catalogue=cat)
    text = _draw_and_save(fig, tmp_path)
    assert "$x^$ 1,000" in text and "$x^$ (Costs $5) [1,000 km]" in text  # ring, footnote


def _count_measurements(monkeypatch) -> list[str]:
    """Record the text of every width measurement made through the Agg renderer."""
    calls: list[str] = []
    measure = RendererAgg.get_text_width_height_descent

    def counting(self, s, prop, ismath):
        calls.append(s)
        return measure(self, s, prop, ismath)

    monkeypatch.setattr(RendererAgg, "get_text_width_height_descent", counting)
    return calls


def _title_setup():
    canvas = FigureCanvasAgg(Figure(dpi=100))
    # As titles are drawn: bold DejaVu Sans, with the Japanese font as per-glyph fallback.
    prop = FontProperties(family=_figtext.families(Lang.EN), size=11.5, weight="bold")
    return canvas, prop, _figtext.measure_text(canvas)


def test_regression_15_long_title_is_fitted_in_few_measurements(monkeypatch):
    canvas, prop, width = _title_setup()
    title = ("Range of DF-26 from Guam, Kumamoto (Kyushu), Costs $5 and $10 " * 40)[:2000]
    calls = _count_measurements(monkeypatch)
    fitted = _figtext.fit_text(title, 475.0, prop, canvas)
    # One whole-title measurement, then a search on the cut point: was ~1,900 (83 s).
    assert len(calls) <= 2 * math.log2(len(title)) + 3
    assert max(len(s) for s in calls[1:]) < 600  # and the prefixes measured stay short
    assert fitted.endswith("…") and title.startswith(fitted[:-1])
    assert width(fitted, prop) <= 475.0 < width(title[: len(fitted)] + "…", prop)


def test_regression_15_long_title_fits_the_page(rings):
    long = "Costs $5 and $10 " * 125
    fig = draw_figure(rings, title=long)
    title = fig.texts[0]
    lines = title.get_text().split("\n")
    # Wrapped onto the most lines a title takes (issue 14), the last cut short.
    assert len(lines) == TITLE_LINES and lines[-1].endswith("…")
    assert _pieces_of([*lines[:-1], lines[-1][:-1]], long, whole=False)
    assert len(title.get_text()) < 3 * 80  # ...and no more
    fig.canvas.draw()
    assert title.get_window_extent().x1 <= fig.bbox.x1


def test_regression_15_long_word_is_broken_in_few_measurements(monkeypatch):
    canvas, prop, width = _title_setup()
    word = "example.org/" + "abcdefghij/" * 180  # a 2,000-character URL
    calls = _count_measurements(monkeypatch)
    lines = _figtext.wrap_text(word, 300.0, prop, canvas)
    per_line = 2 * math.log2(len(word)) + 4
    assert len(calls) <= len(lines) * per_line
    assert "".join(lines) == word
    for line, rest in zip(lines, lines[1:], strict=False):
        # Each line is the longest prefix that fits: one more character does not.
        assert width(line, prop) <= 300.0 < width(line + rest[0], prop)


def _fit_text_one_by_one(text, width_pt, prop, width):
    """The rule before issue 15, one measurement per character: the reference."""
    if width(text, prop) <= width_pt:
        return text
    cut = len(text)
    while cut > 1 and width(text[:cut].rstrip(" ,、") + "…", prop) > width_pt:
        cut -= 1
    return text[:cut].rstrip(" ,、") + "…"


@settings(max_examples=25, deadline=None)
@given(
    text=st.text(alphabet="aiWm $^\\,、.東京…-", min_size=1, max_size=40),
    width_pt=st.floats(min_value=0.0, max_value=260.0),
)
def test_regression_15_fit_text_keeps_the_one_by_one_rule(text, width_pt):
    canvas, prop, width = _title_setup()
    expected = _fit_text_one_by_one(text, width_pt, prop, width)
    assert _figtext.fit_text(text, width_pt, prop, canvas) == expected


def _texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


@pytest.mark.parametrize(("lang", "label"), [("en", "15 min"), ("ja", "15分")])
def test_isochrones_are_drawn_and_labelled_in_minutes(lang, label):
    from rangemap.figure import range_figure

    plain = range_figure(["df-26"], ["guangdong-shaoguan"], lang=lang)
    fig = range_figure(["df-26"], ["guangdong-shaoguan"], lang=lang, isochrone_minutes=[10, 15])
    assert label in _texts(fig) and label not in _texts(plain)
    footnote = fig.texts[-1].get_text()
    assert ("isochrones" in footnote) if lang == "en" else ("等時線" in footnote)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert len(legend) == len([t.get_text() for t in plain.legends[0].get_texts()]) + 1
    # Two curves per time, drawn in the isochrone colour over the rings.
    red = matplotlib.colors.to_rgba("#b00020")
    drawn = [c for c in fig.axes[0].collections
             if len(c.get_edgecolor()) and tuple(c.get_edgecolor()[0]) == red]  # fmt: skip
    assert len(drawn) == 4


def test_isochrones_skip_systems_without_a_time_and_name_systems_when_several():
    from rangemap.figure import range_figure

    fig = range_figure(["df-26", "df-21", "9m729"], ["guangdong-shaoguan"],
                       isochrone_minutes=[12])  # fmt: skip
    texts = _texts(fig)
    assert any(t.startswith("DF-26") and t.endswith("12 min") for t in texts)
    assert not any(t.startswith("9M729") and t.endswith("min") for t in texts)


# --- launch areas and the reach from a region (area_figure) --------------------------------


def _flat(text: str) -> str:
    return " ".join(text.split())  # the footnote is wrapped into lines


@pytest.fixture(scope="module")
def guam_tokyo_manila():
    from rangemap.launch import launch_areas
    from rangemap.targets import resolve_targets

    targets = resolve_targets(["Hagåtña", "Tokyo", "Manila"])
    targets.loc[0, "name"] = "Guam"
    return targets, launch_areas(targets, radius_km=4000)


@pytest.fixture(scope="module")
def belarus_reach():
    from rangemap.regionreach import country_region, reach_from_frame

    name, outline = country_region("BLR")
    reach = reach_from_frame(outline, radius_km=500, name=name, outline="Natural Earth 1:110m")
    return outline, reach


def test_launch_area_figure_has_title_region_legend_targets_and_method(guam_tokyo_manila,
                                                                      tmp_path):  # fmt: skip
    from rangemap._figareas import area_region
    from rangemap.figure import area_figure
    from rangemap.launch import LAUNCH_METHOD_TEXT
    from rangemap.style import PALETTE

    targets, areas = guam_tokyo_manila
    assert area_region(areas, points=targets).value == "east-asia"
    fig = area_figure(areas, points=targets)
    title, subtitle, footnote = (t.get_text() for t in fig.texts)
    assert title == "Launch areas for Guam, Tokyo, Manila"
    assert subtitle.startswith("East Asia ·") and "no place" not in subtitle
    assert _flat(LAUNCH_METHOD_TEXT) in _flat(footnote)
    assert "Lambert azimuthal equal-area" in _flat(footnote)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Launch area — 4,000 km", "Targets"]
    assert [t.get_text() for t in fig.axes[0].texts] == ["Guam", "Tokyo", "Manila"]
    tinted = [
        c
        for c in fig.axes[0].collections
        if len(c.get_facecolor())
        and tuple(c.get_facecolor()[0][:3]) == matplotlib.colors.to_rgb(PALETTE[0])
    ]
    assert len(tinted) == 1  # the area's tint, in the first row's colour
    data = save_figure(fig, tmp_path / "a.png", dpi=LOW_DPI).read_bytes()
    assert _png_size(data)[0] == 7 * LOW_DPI


def test_reach_figure_draws_the_source_region_in_europe(belarus_reach, tmp_path):
    from rangemap._figareas import area_region
    from rangemap.figure import area_figure
    from rangemap.regionreach import REGION_METHOD_TEXT

    outline, reach = belarus_reach
    assert area_region(reach, outline=outline).value == "europe"
    fig = area_figure(reach, outline=outline)
    title, subtitle, footnote = (t.get_text() for t in fig.texts)
    assert title == "Reach from Belarus" and subtitle.startswith("Europe ·")
    assert _flat(REGION_METHOD_TEXT) in _flat(footnote)
    assert "Source region's outline: Natural Earth 1:110m." in _flat(footnote)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Reach from Belarus — 500 km", "Source region: Belarus"]
    text = _svg_text(save_figure(fig, tmp_path / "r.svg"))
    assert "Reach from Belarus — 500 km" in text
    assert save_figure(fig, tmp_path / "r.png", dpi=LOW_DPI).read_bytes()[:4] == b"\x89PNG"


def test_area_figure_in_japanese_renders_without_tofu(guam_tokyo_manila, tmp_path):
    from rangemap.figure import area_figure

    targets, areas = guam_tokyo_manila
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = area_figure(areas, points=targets, lang="ja")
        save_figure(fig, tmp_path / "ja.png", dpi=LOW_DPI)
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
    title, subtitle, _ = (t.get_text() for t in fig.texts)
    assert title == "Guam、Tokyo、Manilaを射程に収める発射可能地域"
    assert subtitle.startswith("東アジア・")
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["発射可能地域 — 4,000 km", "目標"]


@pytest.mark.parametrize(("lang", "words"), [("en", "no place qualifies"),
                                             ("ja", "条件を満たす地点なし")])  # fmt: skip
def test_empty_area_figure_draws_the_targets_and_says_no_place_qualifies(lang, words):
    from rangemap.figure import area_figure
    from rangemap.launch import launch_areas
    from rangemap.targets import resolve_targets

    far = resolve_targets(["0,0", "0,108"])  # 12,000 km apart
    areas = launch_areas(far, radius_km=5000)
    assert areas.geometry.is_empty.all()
    fig = area_figure(areas, points=far, lang=lang)
    assert fig.texts[1].get_text().endswith(words)
    assert fig.legends[0].get_texts()[0].get_text().endswith(f"{words})")
    assert [t.get_text() for t in fig.axes[0].texts] == ["0,0", "0,108"]  # targets still drawn


def test_area_figure_names_are_text_and_options_are_checked(guam_tokyo_manila, tmp_path):
    from rangemap.figure import area_figure

    targets, areas = guam_tokyo_manila
    dollars = targets.assign(name=["$x^$", "Tokyo", "Manila"])
    fig = area_figure(areas, points=dollars, region="world")
    text = _draw_and_save(fig, tmp_path)  # no mathtext anywhere
    assert "Launch areas for $x^$, Tokyo, Manila" in text
    assert fig.texts[1].get_text().startswith("World ·")  # the region given, not "auto"
    with pytest.raises(OptionError, match="auto, europe, east-asia, world; got 'mars'"):
        area_figure(areas, region="mars")
    with pytest.raises(OptionError, match="lang must be one of en, ja; got 'fr'"):
        area_figure(areas, lang="fr")
    with pytest.raises(ExportError, match="name, lat, lon"):
        area_figure(areas, points=targets.drop(columns="lon"))


# --- issue 14: place labels clear of each other and of the markers; titles wrap ------------

#: The sites of the report (issue 14): "Yong'an region (Fujian)" was drawn over
#: "26.2,127.7", hiding the Okinawa marker.
CROWDED = ["fujian-yongan", "26.2,127.7", "okinawa", "taiwan-taoyuan"]


def _scenario_figure(monkeypatch, extra_sites=()):
    """The dashboard's "Report figure (PNG)" of the example scenario: the figure drawn."""
    import tomllib
    from pathlib import Path

    import rangemap.report
    from rangemap.report import scenario_bytes
    from rangemap.scenario import scenario_from_dict

    path = Path(__file__).resolve().parents[1] / "scenarios" / "example-east-asia.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["sites"] = [*data["sites"], *extra_sites]
    data["output"]["dpi"] = LOW_DPI
    drawn = []

    def keep(fig, *args, **kwargs):
        drawn.append(fig)
        return save_figure(fig, *args, **kwargs)

    monkeypatch.setattr(rangemap.report, "save_figure", keep)
    png = scenario_bytes(scenario_from_dict(data, base_dir=path.parent), "png")
    assert _png_size(png)[0] == 7 * LOW_DPI
    return drawn[0]


def _label_layout(fig):
    """(labels, their boxes, marker boxes, leader lines, map box), in pixels, once drawn."""
    fig.canvas.draw()
    ax = fig.axes[0]
    labels = list(ax.texts)
    markers = [line for line in ax.lines if line.get_marker() == "^"]
    leaders = [line for line in ax.lines if line.get_marker() in (None, "None", "")]
    return (labels, [t.get_window_extent() for t in labels],
            [m.get_window_extent() for m in markers], leaders, ax.bbox)  # fmt: skip


def _apart(a, b) -> bool:
    return a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0


@pytest.mark.parametrize("case", ["crowded sites", "example scenario"])
def test_regression_14_place_labels_clear_each_other_and_every_marker(case, monkeypatch):
    if case == "crowded sites":
        fig = draw_figure(range_rings(["df-26"], CROWDED), region="east-asia")
    else:
        fig = _scenario_figure(monkeypatch, extra_sites=CROWDED)
    labels, boxes, markers, leaders, frame = _label_layout(fig)
    names = [t.get_text() for t in labels]
    assert "Yong'an region (Fujian)" in names and "26.2,127.7" in names and "Okinawa" in names
    assert len(markers) == len(labels)  # one label per marker, all on the map
    for i, box in enumerate(boxes):
        for other, name in zip(boxes[i + 1 :], names[i + 1 :], strict=True):
            assert _apart(box, other), f"{names[i]!r} overlaps {name!r}"
        for marker in markers:
            assert _apart(box, marker), f"{names[i]!r} covers a site marker"
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, names[i]  # inside the map frame
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, names[i]


def _nearest(box, x, y) -> float:
    return math.dist((x, y), (min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1)))


def test_regression_14_a_moved_label_has_a_leader_line_to_its_marker():
    fig = draw_figure(range_rings(["df-26"], CROWDED), region="east-asia")
    labels, boxes, markers, leaders, _ = _label_layout(fig)
    px = fig.dpi / 72.0
    ends = [fig.axes[0].transData.transform(line.get_xydata()) for line in leaders]
    moved = 0
    for box, marker in zip(boxes, markers, strict=True):  # in the order of the sites
        x, y = (marker.x0 + marker.x1) / 2, (marker.y0 + marker.y1) / 2
        if _nearest(box, x, y) <= 7 * px:
            continue  # beside its marker: no line needed
        moved += 1
        # A line from next to the marker to the label's edge.
        assert any(math.dist(a, (x, y)) < 4 * px and _nearest(box, *b) < 0.5
                   for a, b in ends), box  # fmt: skip
    assert moved >= 1 and len(leaders) == moved  # the crowd moves at least one label


def test_regression_14_labels_are_placed_the_same_every_time():
    def layout():
        fig = draw_figure(range_rings(["df-26"], CROWDED), region="east-asia")
        ax = fig.axes[0]
        return ([t.get_position() for t in ax.texts],
                [line.get_xydata().tolist() for line in ax.lines])  # fmt: skip

    assert layout() == layout()


def test_regression_14_sites_off_the_map_get_no_label():
    fig = draw_figure(range_rings(["df-26"], ["guam", "kaliningrad"]), region="east-asia")
    assert [t.get_text() for t in fig.axes[0].texts] == ["Guam"]


def _pieces_of(lines: list[str], text: str, *, whole: bool = True) -> bool:
    """Whether ``lines`` are ``text`` (or, not ``whole``, its start) cut in order, only
    whitespace dropped at the cuts."""
    pos = 0
    for line in lines:
        while pos < len(text) and text[pos].isspace() and not line[:1].isspace():
            pos += 1
        if not text.startswith(line, pos):
            return False
        pos += len(line)
    return not whole or not text[pos:].strip()


LONG_TITLES = {
    "en": "Range of Tomahawk (Typhon) and LRHW (Dark Eagle) from Yong'an region (Fujian), "
    "26.2,127.7, Tonghua region (Jilin), Kumamoto (Kyushu), Guam and Northern Luzon",
    "ja": "トマホーク（タイフォン）とLRHW（ダークイーグル）の射程（永安地区（福建省）、"
    "26.2,127.7、通化地区（吉林省）、熊本（九州）、グアム、ルソン島北部から）",
}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_regression_14_long_title_wraps_whole_and_fits_the_page(lang, rings):
    title = LONG_TITLES[lang]
    fig = draw_figure(rings, title=title, lang=lang)
    short = draw_figure(rings, title="Range", lang=lang)
    heading, subtitle = fig.texts[0], fig.texts[1]
    lines = heading.get_text().split("\n")
    assert 2 <= len(lines) <= 3
    assert _pieces_of(lines, title)  # was: cut, "…Tonghua regio…"
    assert "…" not in heading.get_text()
    if lang == "ja":  # kinsoku: closing punctuation never starts a line
        assert not any(line[0] in "、。）」" for line in lines[1:])
    fig.canvas.draw()
    page = fig.bbox
    renderer = fig.canvas.get_renderer()
    for line in lines:  # every line inside the page, in the title's font
        probe = fig.text(heading.get_position()[0], 0.5, line,
                         fontproperties=heading.get_fontproperties())  # fmt: skip
        box = probe.get_window_extent(renderer)
        probe.remove()
        assert page.x0 <= box.x0 and box.x1 <= page.x1, line
    box = heading.get_window_extent(renderer)
    assert box.y1 <= page.y1 and box.y0 > subtitle.get_window_extent(renderer).y1
    assert subtitle.get_window_extent(renderer).y0 > fig.axes[0].get_window_extent().y1

    def map_inches(f):
        pos = f.axes[0].get_position()
        return pos.width * f.get_figwidth(), pos.height * f.get_figheight()

    assert map_inches(fig) == pytest.approx(map_inches(short))  # the map keeps its room
    assert fig.get_figheight() > short.get_figheight()
