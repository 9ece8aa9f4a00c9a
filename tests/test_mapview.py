"""rangemap.mapview: layers and their options, escaping, offline assets, drawing error."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import folium
import numpy as np
import pandas as pd
import pytest
import shapely
from streamlit_folium import generate_leaflet_string

from rangemap import _leaflet, _popups, mapview
from rangemap.catalogue import find_systems, load_catalogue
from rangemap.geodesy import geodesic_distance_m
from rangemap.rings import join_sites, range_rings, rings_for
from rangemap.sites import load_sites, resolve_sites
from rangemap.targets import load_targets

XSS = "<img src=x onerror=alert(1)>"
#: folium compiles rendered scripts as jinja templates: this must stay text, never 7006652.
SSTI = "{{ 1234*5678 }}"
CDN_HINTS = ("cdn.", "jsdelivr", "code.jquery", "bootstrapcdn", "cloudflare", "unpkg", "://")


def _walk(element):
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _layers(m: folium.Map) -> dict[str, folium.GeoJson]:
    return {e.layer_name: e for e in _walk(m) if isinstance(e, folium.GeoJson)}


def _features(layer: folium.GeoJson) -> list[dict]:
    (data,) = [c for c in layer._children.values() if isinstance(c, _leaflet._Features)]
    return json.loads(data.json)["features"]


def _script_sources(html: str) -> list[str]:
    return re.findall(r'<script[^>]*\bsrc="([^"]+)"', html) + re.findall(
        r'<link[^>]*\bhref="([^"]+)"', html
    )


def test_layers_and_band_styles(catalogue, capitals):
    rings = range_rings(
        ["9m729", "iskander-m"], ["kaliningrad", "karelia-petrozavodsk"], band="all"
    )
    m = mapview.build_map(
        rings,
        resolve_sites(["kaliningrad", "karelia-petrozavodsk"]),
        targets=capitals,
        region="europe",
        catalogue=catalogue,
    )
    layers = _layers(m)
    assert list(layers) == ["Countries", "Range rings", "Launch sites", "Capitals"]
    feats = _features(layers["Range rings"])
    # 9M729: nominal 2,500 and low 480 (its high equals nominal, so it is not drawn twice);
    # Iskander-M: high 700 and nominal 500.
    drawn = {(f["properties"]["system_id"], f["properties"]["band"]) for f in feats}
    assert drawn == {
        ("9m729", "nominal"),
        ("9m729", "low"),
        ("iskander-m", "nominal"),
        ("iskander-m", "high"),
    }
    style = {
        (f["properties"]["system_id"], f["properties"]["band"]): f["properties"]["style"]
        for f in feats
    }
    nominal, high = style["iskander-m", "nominal"], style["iskander-m", "high"]
    assert high["fillOpacity"] < nominal["fillOpacity"] and "dashArray" in high
    assert style["9m729", "low"]["fill"] is False and "dashArray" in style["9m729", "low"]
    # One colour per system, whatever the band.
    assert nominal["color"] == high["color"] != style["9m729", "nominal"]["color"]
    assert "rm-sys-iskander-m" in nominal["className"]
    # Largest first, so smaller rings are drawn on top and can be hovered.
    radii = [f["properties"]["radius_km"] for f in feats if f["properties"]["band"] != "low"]
    assert radii == sorted(radii, reverse=True)
    assert len(_features(layers["Launch sites"])) == 2
    caps = _features(layers["Capitals"])
    hit = [f for f in caps if f["properties"]["style"]["className"] == "rm-target-in"]
    assert 0 < len(hit) < len(caps)


def test_no_folium_circle_anywhere(catalogue):
    m = mapview.build_map(range_rings(["df-26"], ["guam"]), resolve_sites(["guam"]))
    assert not [e for e in _walk(m) if type(e) is folium.Circle]
    html = m.get_root().render()
    assert "L.circle(" not in html and "new L.Circle(" not in html


def test_minimum_range_is_a_hole():
    m = mapview.build_map(
        range_rings(["iskander-m"], ["kaliningrad"]), resolve_sites(["kaliningrad"])
    )
    (feature,) = _features(_layers(m)["Range rings"])
    polygons = feature["geometry"]["coordinates"]
    assert len(polygons) == 1 and len(polygons[0]) == 2  # exterior + the 50 km hole
    hole = shapely.Polygon(polygons[0][1])
    assert hole.contains(shapely.Point(20.51, 54.71))


def test_names_are_escaped_everywhere(catalogue):
    evil = "`${alert(2)}`</script>"
    sites = load_sites(
        f'name,lat,lon\n{XSS},50,10\n{SSTI},51,11\n"{evil}",52,12\n'.encode(),
        name="evil.csv",
        default_kind="user",
    )
    cat = catalogue.copy()
    cat.loc[cat["id"] == "9m729", "name"] = f"<b>bold</b>{SSTI}"
    rings = rings_for(join_sites(find_systems(cat, ["9m729"]), sites))
    m = mapview.build_map(rings, sites, catalogue=cat, targets=load_targets("capitals"))
    html = m.get_root().render()  # the full HTML (folium's own render pass)
    script = generate_leaflet_string(m)  # what streamlit-folium sends to the browser
    for text in (html, script):
        assert "<img" not in text and "<b>bold" not in text
        assert str(1234 * 5678) not in text  # no server-side template evaluation
        assert "${alert" not in text and "`${" not in text
        assert "</script>`" not in text
    # Decoded from the page's JSON, the names are HTML text, shown as typed.
    tips = [f["properties"]["tooltip"] for f in _features(_layers(m)["Launch sites"])]
    assert tips[0].startswith("<b>&lt;img src=x onerror=alert(1)&gt;</b>")
    assert tips[1].startswith("<b>&#123;&#123; 1234*5678 &#125;&#125;</b>")
    assert tips[2].startswith("<b>`$&#123;alert(2)&#125;`&lt;/script&gt;</b>")
    (legend,) = [e for e in _walk(m) if isinstance(e, _leaflet.Legend)]
    assert "&lt;b&gt;bold&lt;/b&gt;&#123;&#123; 1234*5678" in json.loads(legend.content)
    ring = _features(_layers(m)["Range rings"])[0]["properties"]
    assert ring["tooltip"].startswith("<b>&lt;b&gt;bold&lt;/b&gt;&#123;&#123;")


def test_offline_assets_only(catalogue):
    rings = range_rings(["df-26"], ["guam"])
    m = mapview.build_map(rings, resolve_sites(["guam"]), region="east-asia")
    html = m.get_root().render()
    assert _script_sources(html) == [mapview.LEAFLET_JS_URL, mapview.LEAFLET_CSS_URL]
    # The popups link sources (anchors, never loaded); nothing else may name a host.
    without_links = re.sub(r'href=\\"[^"\\]*\\"', "", html)
    for hint in CDN_HINTS:
        assert hint not in without_links.lower(), hint
    # The check can fail: the online basemap adds OpenStreetMap's tile server.
    online = mapview.build_map(rings, resolve_sites(["guam"]), basemap="osm").get_root().render()
    assert "tile.openstreetmap.org" in online


def test_custom_leaflet_urls():
    m = mapview.build_map(
        range_rings(["df-26"], ["guam"]),
        resolve_sites(["guam"]),
        leaflet_js_url="/x/l.js",
        leaflet_css_url="/x/l.css",
    )
    assert _script_sources(m.get_root().render()) == ["/x/l.js", "/x/l.css"]


def _worst_drawn_error_m(geom, lat: float, lon: float, radius_km: float) -> float:
    """Largest |distance - radius| along chords drawn straight in Web Mercator."""
    worst = 0.0
    for part in shapely.get_parts(geom):
        xy = np.asarray(part.exterior.coords)
        a, b = xy[:-1], xy[1:]
        keep = (np.abs(a[:, 0]) < 179.999) & (np.abs(b[:, 0]) < 179.999)
        keep &= (np.abs(a[:, 1]) < 85.0) & (np.abs(b[:, 1]) < 85.0)
        a, b = a[keep], b[keep]
        ya, yb = (np.log(np.tan(np.pi / 4 + np.radians(v[:, 1]) / 2)) for v in (a, b))
        for t in (0.25, 0.5, 0.75):
            plat = np.degrees(2 * np.arctan(np.exp(ya + (yb - ya) * t)) - np.pi / 2)
            plon = a[:, 0] + (b[:, 0] - a[:, 0]) * t
            d = geodesic_distance_m(lat1=lat, lon1=lon, lat2=plat, lon2=plon)
            worst = max(worst, float(np.abs(d - radius_km * 1000.0).max()))
    return worst


@pytest.mark.parametrize(
    ("lat", "lon", "radius_km", "raw_over"),
    [
        (70.0, 20.0, 2000.0, True),
        (-70.0, 20.0, 2000.0, True),
        (65.0, 100.0, 3000.0, True),
        (40.0, 20.0, 12000.0, True),
        (75.0, 0.0, 1000.0, False),
        (13.48, 144.75, 4000.0, False),
    ],
)
def test_drawn_rings_within_100_m(lat, lon, radius_km, raw_over):
    """Chords as Leaflet draws them (straight in Web Mercator) stay within the budget."""
    joined = join_sites(find_systems(load_catalogue(), ["df-26"]), resolve_sites([f"{lat},{lon}"]))
    rings = rings_for(joined.assign(radius_km=radius_km, min_radius_km=np.nan))
    drawn = mapview.footprints(rings).geometry.iloc[0]
    assert _worst_drawn_error_m(drawn, lat, lon, radius_km) < mapview.DRAW_BUDGET_M
    # Without the Mercator densification, these rings would break (or nearly) the budget.
    raw = mapview.footprints(rings, allowance_m=1e9).geometry.iloc[0]
    assert (_worst_drawn_error_m(raw, lat, lon, radius_km) > 75.0) is raw_over


def test_full_catalogue_map_html_size(catalogue, capitals):
    """The full catalogue, every band, at one site stays under 3 MB of map HTML."""
    sites = resolve_sites(["kaliningrad"])
    rings = rings_for(join_sites(catalogue, sites, band="all"))
    m = mapview.build_map(rings, sites, targets=capitals, catalogue=catalogue)
    size = len(m.get_root().render().encode())
    print(f"full catalogue, band=all, 1 site: {size / 1e6:.2f} MB of map HTML")
    assert 1_000_000 < size < 3_000_000


def test_footprints_merge_sites_and_skip_equal_bands():
    rings = range_rings(["9m729"], ["kaliningrad", "karelia-petrozavodsk", "mozdok"], band="all")
    fp = mapview.footprints(rings)
    assert list(fp["band"]) == ["nominal", "low"]  # high == nominal for the 9M729
    assert fp["n_sites"].tolist() == [3, 3]
    assert fp.geometry.iloc[0].contains(shapely.Point(29.85, 58.74))  # Luga


def test_bad_basemap_lists_choices():
    with pytest.raises(ValueError, match="countries, osm"):
        mapview.Basemap.parse("satellite")


# --- issue 14: what a first-time user of the dashboard found ----------------------------

ISSUE_14_SITES = ["kaliningrad", "belarus-asipovichy"]


class _Text(HTMLParser):
    """The text of legend or tooltip HTML as a browser lays it out: blocks on new lines."""

    BLOCKS = {"div", "p", "br", "hr", "li", "ul"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def _lines(markup: str) -> list[str]:
    parser = _Text()
    parser.feed(markup)
    return [ln.strip() for ln in "".join(parser.parts).splitlines() if ln.strip()]


def _setup(m: folium.Map) -> _leaflet.MapSetup:
    (setup,) = [e for e in _walk(m) if type(e).__name__ == "MapSetup"]
    return setup


def _fit(m: folium.Map) -> list[list[float]] | None:
    fits = [e for e in _walk(m) if isinstance(e, folium.FitBounds)]
    return fits[0].bounds if fits else None


def test_regression_14_bug5_tooltips_wrap_and_are_kept_inside_the_map():
    """Check fix for tooltips cut off at the map's edge (issue 14, bug 5; browser: Chromium)."""
    m = mapview.build_map(range_rings(["df-26"], ["guam"]), resolve_sites(["guam"]))
    for name, layer in _layers(m).items():
        if name == "Countries":
            continue
        bind = layer.on_each_feature.js_code
        assert "L.RmTooltip" in bind and "sticky: true" in bind, name
    # The map defines the tooltip once: placed by Leaflet, then moved inside the map and
    # capped to its width and height.
    setup = _setup(m)
    script = setup._template.module.script(setup, {})
    assert "L.RmTooltip = L.RmTooltip || L.Tooltip.extend(" in script
    assert "size.x - box.width - pad" in script and "maxWidth" in script
    assert ".leaflet-tooltip.rm-tip{white-space:normal" in setup.css


def test_regression_14_bug6_an_empty_legend_reads_as_a_sentence():
    """Check fix for "Range ringsno rings: choose…" (issue 14, bug 6)."""
    layers = mapview.prepare_layers(range_rings(["df-26"], ["guam"]).iloc[:0],
                                    resolve_sites(["guam"]))  # fmt: skip
    lines = _lines(layers.legend)
    assert lines[:2] == ["Range rings", "None drawn yet: choose systems and launch sites."]
    assert "ringsno" not in re.sub(r"<[^>]+>", "", layers.legend)


def test_regression_14_bug8_scale_bar_and_attribution_keep_apart():
    """Check fix for the attribution covering the scale bar (issue 14, bug 8; see browser)."""
    m = mapview.build_map(range_rings(["iskander-m"], ["kaliningrad"]),
                          resolve_sites(["kaliningrad"]), legend=False)  # fmt: skip
    assert m.control_scale is False  # folium's own scale bar is replaced by the setup's
    setup = _setup(m)
    script = setup._template.module.script(setup, {})
    assert "L.control.scale({imperial: false, maxWidth: 100})" in script
    # The bottom-right corner (attribution) starts right of the 100 px scale bar.
    left = re.search(r"\.leaflet-bottom\.leaflet-right\{left:(\d+)px\}", setup.css)
    assert left and int(left[1]) >= 100 + 10
    assert ".leaflet-control-attribution{max-width:100%" in setup.css


def test_regression_14_bug9_sites_are_drawn_over_capitals_over_rings(capitals):
    """Check fix for Guam's site marker under Hagåtña's (issue 14, bug 9; see browser)."""
    m = mapview.build_map(range_rings(["df-26"], ["guam"]), resolve_sites(["guam"]),
                          targets=capitals)  # fmt: skip
    layers = _layers(m)
    sites = {f["properties"]["style"]["pane"] for f in _features(layers["Launch sites"])}
    caps = {f["properties"]["style"]["pane"] for f in _features(layers["Capitals"])}
    assert sites == {"rm-sites"} and caps == {"rm-targets"}
    panes = json.loads(_setup(m).panes)
    # Leaflet's overlay pane (rings) is 400, its tooltip pane 650.
    assert 400 < panes["rm-targets"] < panes["rm-sites"] < 650


def test_regression_14_a_ring_across_the_antimeridian_is_framed_the_short_way():
    """DF-26 from Guam spans +-180 deg: framed on 107.6-181.9 deg E, not on the world."""
    rings = range_rings(["df-26"], ["guam"])
    m = mapview.build_map(rings, resolve_sites(["guam"]))
    (south, west), (north, east) = _fit(m)
    assert 107 < west < 108 and 181 < east < 183 and -23 < south < -22 and 49 < north < 50
    # The ring is drawn whole in that view: its piece past the antimeridian is copied
    # there and merged with the rest (no seam stroked at 180 deg); the sliver at -180
    # stays for views of the whole world.
    (feature,) = _features(_layers(m)["Range rings"])
    parts = [shapely.Polygon(p[0]) for p in feature["geometry"]["coordinates"]]
    spans = sorted((round(p.bounds[0], 1), round(p.bounds[2], 1)) for p in parts)
    assert spans == [(-180.0, -178.1), (107.6, 181.9)]
    # One world's width centred on the view, with the countries there.
    setup = _setup(m)
    assert float(setup.west) == pytest.approx((west + east) / 2 - 180)
    assert float(setup.east) == pytest.approx((west + east) / 2 + 180)
    countries = _features(_layers(m)["Countries"])
    lons = shapely.get_coordinates(
        shapely.from_geojson(
            json.dumps(
                {"type": "GeometryCollection", "geometries": [f["geometry"] for f in countries]}
            )
        )
    )[:, 0]
    assert lons.max() > 300  # the Americas, copied east of the antimeridian


@pytest.mark.parametrize(
    ("region", "expected"),
    [("europe", [[34.0, -25.0], [72.0, 60.0]]), ("east-asia", [[-11.0, 73.0], [56.0, 160.0]])],
)
def test_a_region_frames_the_map(region, expected):
    m = mapview.build_map(range_rings(["df-26"], ["guam"]), resolve_sites(["guam"]), region=region)
    assert _fit(m) == expected
    assert _setup(m).world == "false"


def test_regression_14_the_world_view_fills_the_frame():
    """World: no fitBounds (which leaves grey bands); the setup fills the map's width."""
    rings = range_rings(["iskander-m"], ["kaliningrad"])
    m = mapview.build_map(rings, resolve_sites(["kaliningrad"]), region="world")
    assert _fit(m) is None
    setup = _setup(m)
    assert setup.world == "true" and (float(setup.west), float(setup.east)) == (-180, 180)
    assert "Math.log2(width / 256)" in setup._template.module.script(setup, {})
    # A ring around the North Pole covers every longitude: the world view too.
    polar = mapview.build_map(
        range_rings(["df-41"], ["kaliningrad"]), resolve_sites(["kaliningrad"])
    )
    assert _fit(polar) is None and _setup(polar).world == "true"


def test_lon_span_takes_the_short_way_round():
    from rangemap._mapgeom import lon_span  # new in issue 14: imported here, see the others

    split = [shapely.box(170, 0, 180, 10), shapely.box(-180, 0, -170, 10)]
    assert lon_span(split) == (170.0, 0.0, 190.0, 10.0)
    assert lon_span([shapely.Point(-179, 5), shapely.Point(179, -5)]) == (179.0, -5.0, 181.0, 5.0)
    assert lon_span([shapely.Point(-100, 5), shapely.Point(60, -5)])[::2] == (-100.0, 60.0)
    assert lon_span([shapely.Point(-100, 5), shapely.Point(100, -5)])[::2] == (100.0, 260.0)
    assert lon_span([shapely.box(-180, 60, 180, 90)])[::2] == (-180.0, 180.0)  # a polar cap
    assert lon_span([]) == (-180.0, -60.0, 180.0, 78.0)


def test_regression_14_the_legend_folds_on_small_maps():
    """At a 400 px page the legend starts folded behind a button (browser: Chromium)."""
    m = mapview.build_map(range_rings(["9m729"], ISSUE_14_SITES), resolve_sites(ISSUE_14_SITES))
    (legend,) = [e for e in _walk(m) if isinstance(e, _leaflet.Legend)]
    assert legend.fold_below == 600
    script = legend._template.module.script(legend, {})
    assert "rm-legend-open" in script and "Hide the legend" in script
    assert ".rm-legend-box.rm-folded .rm-legend" in legend.css


def test_regression_14_the_band_spread_says_what_it_is():
    rings = range_rings(["9m729", "iskander-m"], ISSUE_14_SITES, band="all")
    lines = _lines(mapview.prepare_layers(rings, resolve_sites(ISSUE_14_SITES)).legend)
    assert "9M729 (SSC-8 Screwdriver)476–2,500 km" in lines
    assert ("Two figures, as 476–2,500 km: the spread of the published range figures drawn, "
            "lowest to highest.") in lines  # fmt: skip
    one = mapview.prepare_layers(
        range_rings(["9m729"], ISSUE_14_SITES), resolve_sites(ISSUE_14_SITES)
    )
    assert "spread" not in one.legend and "2,500 km" in one.legend


#: The curator's words that must not reach a reader (issue 14).
INTERNAL = re.compile(
    r"FLAG|corpus|max-range-estimate|official-declaration|maker-claim|quality:|"
    r"nominal figure:|\b[a-z]+_[a-z_]+\b| = |->|\d{4,} km"
)


def _reader_text(markup: str) -> str:
    return " ".join(_lines(re.sub(r'href="[^"]*"', "", markup)))


def test_regression_14_tooltips_and_popups_are_written_for_readers(catalogue):
    for _, system in catalogue.dropna(subset=["range_km"]).iterrows():
        for band, col in (("nominal", "range_km"), ("high", "range_high_km")):
            row = pd.Series({"system": system["name"], "band": band, "radius_km": system[col],
                             "min_radius_km": system["min_range_km"], "sites": "A; B",
                             "sources": system["sources"]})  # fmt: skip
            for text in (_popups.ring_tooltip(row, system), _popups.ring_popup(row, system)):
                shown = _reader_text(text)
                assert not INTERNAL.search(shown), (system["id"], INTERNAL.search(shown)[0])
    for _, site in load_sites().iterrows():
        shown = _reader_text(_popups.site_tooltip(site))
        assert not INTERNAL.search(shown), (site["id"], INTERNAL.search(shown)[0])
        assert re.search(r"\d+\.\d\d° [NS], \d+\.\d\d° [EW]", shown), shown


def test_regression_14_figures_read_as_sentences_with_separators(catalogue, capitals):
    nine = catalogue.set_index("id").loc["9m729"]
    row = pd.Series({"system": nine["name"], "band": "nominal", "radius_km": 2500.0,
                     "min_radius_km": float("nan"), "sites": "Kaliningrad",
                     "sources": nine["sources"]})  # fmt: skip
    tip = _lines(_popups.ring_tooltip(row, nine))
    assert tip[0] == "9M729 (SSC-8 Screwdriver) · Russia · GLCM"
    assert "Published figures: 476 km (lowest), 2,500 km (nominal and highest)." in tip
    assert any(re.fullmatch(r"Range 2,500 km \(nominal\), per .+ \(\d+ \w{3} \d{4}\), an "
                            r"estimate of its maximum range\.", ln) for ln in tip), tip  # fmt: skip
    assert "From 1 site: Kaliningrad." in tip
    # The quality flag and the INF class as sentences.
    assert any(ln.startswith("Caution: ") and ln.endswith(".") for ln in tip), tip
    assert "INF Treaty class disputed: published figures straddle a limit." in tip
    # Distances from a region-level site: rounded to 10 km.
    layers = mapview.prepare_layers(range_rings(["9m729"], ["kaliningrad"]),
                                    resolve_sites(["kaliningrad"]), targets=capitals)  # fmt: skip
    tips = [f["properties"]["tooltip"] for f in json.loads(layers.targets)["features"]]
    distances = [int(d.replace(",", "")) for t in tips for d in re.findall(r"≈ ([\d,]+) km", t)]
    assert distances and all(d % 10 == 0 for d in distances if d >= 100)


def test_reader_note_rewords_the_curators_shorthand():
    note = ("FLAG: no figure in the stored corpus; range_km 2500 = CSIS (first_deployed); "
            "basing left blank -> retired 1991.")  # fmt: skip
    assert _popups.reader_note(note) == (
        "Caution: no figure in the sources searched; nominal range 2,500 km, that is CSIS "
        "(first deployment year); basing not given, so retired 1991."
    )
    assert _popups.reader_note("DISPUTED (see claims): 476-480 km vs 2,500 km.").startswith(
        "Disputed (published claims differ): 476-480 km"
    )


def test_gain_loss_map_colours_and_names_the_changes():
    from rangemap.gainloss import gain_loss  # new in issue 14, with CHANGE_COLORS
    from rangemap.style import CHANGE_COLORS

    rings = range_rings(["iskander-m"], ISSUE_14_SITES)
    changes = gain_loss(rings, site_a=ISSUE_14_SITES[0], site_b=ISSUE_14_SITES[1], region="europe")
    m = mapview.gain_loss_map(changes, resolve_sites(ISSUE_14_SITES), region="europe")
    layers = _layers(m)
    assert list(layers) == ["Countries", "Gained, lost and shared", "Launch sites"]
    feats = _features(layers["Gained, lost and shared"])
    assert [f["properties"]["change"] for f in feats] == ["gained", "lost", "shared"]
    for f in feats:
        change = f["properties"]["change"]
        assert f["properties"]["style"]["fillColor"] == CHANGE_COLORS[change]
        assert f"rm-change-{change}" in f["properties"]["style"]["className"]
    assert len({CHANGE_COLORS[c] for c in ("gained", "lost", "shared")}) == 3
    (legend,) = [e for e in _walk(m) if isinstance(e, _leaflet.Legend)]
    lines = _lines(json.loads(legend.content))
    assert lines[:2] == ["From Kaliningrad to Asipovichy (Osipovichi) region",
                         "Iskander-M (9M723, SS-26 Stone), nominal range"]  # fmt: skip
    gained = next(ln for ln in lines if ln.startswith("gained"))
    assert gained.startswith("gained: reached from Asipovichy (Osipovichi) region, not from "
                             "Kaliningrad") and re.search(r"\d{3},\d{3} km²$", gained)  # fmt: skip
    assert "<br>Area in Europe: " in feats[2]["properties"]["tooltip"]
    sites = [f["properties"]["tooltip"] for f in _features(layers["Launch sites"])]
    assert any("Site A: the launchers move from here." in t for t in sites)
    assert _fit(m) == [[34.0, -25.0], [72.0, 60.0]]
