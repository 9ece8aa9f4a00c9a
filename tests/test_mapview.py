"""rangemap.mapview: layers and their options, escaping, offline assets, drawing error."""

from __future__ import annotations

import json
import re

import folium
import numpy as np
import pytest
import shapely
from streamlit_folium import generate_leaflet_string

from rangemap import _leaflet, mapview
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
