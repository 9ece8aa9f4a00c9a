"""The folium map of ``rangemap.mapview.build_map`` in a real Chromium, offline (issue 14).

Each test saves a map as an HTML file that loads Leaflet from the repository's own
``static/leaflet/`` (as the dashboard serves it), opens it at the size a dashboard user
sees (a Compare-tab map of 380 px, a phone-width page of 400 px, a desktop map) and
blocks every request that would leave the machine. The checks are on what the browser
lays out: where the tooltip, the scale bar, the attribution and the legend end up, which
marker is on top, what the view shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _chromium import block_outside, browser  # noqa: F401  (browser: a fixture)

from rangemap import mapview
from rangemap.catalogue import load_catalogue
from rangemap.rings import range_rings
from rangemap.sites import resolve_sites
from rangemap.targets import load_targets

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

#: Leaflet 1.9.4 as the dashboard serves it (``static/leaflet/``).
LEAFLET = Path(__file__).resolve().parent.parent / "static" / "leaflet"


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _save(m, tmp_path, name: str = "map.html") -> str:
    path = tmp_path / name
    m.save(str(path))
    return path.as_uri()


def _map(rings, sites, **options):
    """build_map with Leaflet from the repository's static files (file: URLs)."""
    js, css = (LEAFLET / "leaflet.js").as_uri(), (LEAFLET / "leaflet.css").as_uri()
    return mapview.build_map(rings, sites, leaflet_js_url=js, leaflet_css_url=css, **options)


@pytest.fixture
def open_map(browser, tmp_path):  # noqa: F811  (the imported fixture)
    """Open a map at a viewport size; every off-machine request is blocked and recorded."""
    contexts = []

    def opener(m, width: int, height: int):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.blocked = block_outside(page)
        page.goto(_save(m, tmp_path, f"map-{len(contexts)}.html"))
        page.locator(".leaflet-container path.leaflet-interactive").first.wait_for(
            state="attached", timeout=20_000
        )
        page.wait_for_timeout(300)  # let Leaflet settle its view and controls
        return page

    yield opener
    for context in contexts:
        context.close()


def _map_box(page) -> dict:
    return page.locator(".leaflet-container").first.bounding_box()


def _inside(box: dict, frame: dict, slack: float = 1.0) -> bool:
    return (
        box["x"] >= frame["x"] - slack
        and box["y"] >= frame["y"] - slack
        and box["x"] + box["width"] <= frame["x"] + frame["width"] + slack
        and box["y"] + box["height"] <= frame["y"] + frame["height"] + slack
    )


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def _leaflet_map(page) -> str:
    """The page's Leaflet map variable (folium names it ``map_<hash>``)."""
    return page.evaluate("Object.keys(window).find(k => k.startsWith('map_'))")


@pytest.mark.parametrize("where", [0.8, 0.2], ids=["right-half", "left-half"])
def test_regression_14_bug5_ring_tooltip_stays_inside_the_map(open_map, catalogue, where):
    """Check fix for the tooltip cut off at the map's left edge (2026-12, issue 14, bug 5).

    Hovering a ring in the right half put its wide one-line tooltip left of the pointer,
    past the edge of a 400 px map (legend left out, as on the Compare tab's small maps).
    """
    rings = range_rings(["9m729"], ["kaliningrad"], band="all")
    m = _map(rings, resolve_sites(["kaliningrad"]), catalogue=catalogue, legend=False)
    page = open_map(m, 400, 380)
    frame = _map_box(page)
    ring = page.locator("path.rm-ring.rm-band-nominal").first.bounding_box()
    x = max(
        frame["x"] + 10, min(ring["x"] + ring["width"] * where, frame["x"] + frame["width"] - 10)
    )
    y = ring["y"] + ring["height"] * 0.5
    assert (x > frame["x"] + frame["width"] / 2) is (where > 0.5)
    page.mouse.move(x - 5, y)
    page.mouse.move(x, y, steps=3)
    tip = page.locator(".leaflet-tooltip")
    tip.first.wait_for(state="visible", timeout=5_000)
    assert "9M729" in tip.first.inner_text()
    box = tip.first.bounding_box()
    assert _inside(box, frame), (box, frame)
    assert page.blocked == []


@pytest.mark.parametrize(
    ("width", "height", "legend"),
    [(380, 380, False), (400, 620, True)],
    ids=["compare-380", "page-400"],
)
def test_regression_14_bug8_attribution_keeps_off_the_scale_bar(open_map, width, height, legend):
    """Check fix for the attribution over the scale bar on small maps (issue 14, bug 8)."""
    rings = range_rings(["iskander-m"], ["kaliningrad"])
    m = _map(rings, resolve_sites(["kaliningrad"]), region="europe", legend=legend)
    page = open_map(m, width, height)
    frame = _map_box(page)
    scale = page.locator(".leaflet-control-scale").first.bounding_box()
    credit = page.locator(".leaflet-control-attribution").first.bounding_box()
    assert scale and credit
    assert _inside(scale, frame) and _inside(credit, frame), (scale, credit, frame)
    assert not _overlap(scale, credit), (scale, credit)
    assert "Natural Earth" in page.locator(".leaflet-control-attribution").inner_text()


def test_regression_14_bug9_launch_site_is_drawn_over_the_capital(open_map):
    """Check fix for Guam's site marker under Hagåtña's capital marker (issue 14, bug 9)."""
    rings = range_rings(["df-26"], ["guam"])
    m = _map(rings, resolve_sites(["guam"]), targets=load_targets("capitals"), region="east-asia")
    page = open_map(m, 800, 600)
    site = page.locator("path.rm-site").first.bounding_box()
    x, y = site["x"] + site["width"] / 2, site["y"] + site["height"] / 2
    on_top = page.evaluate(f"document.elementFromPoint({x}, {y}).getAttribute('class')")
    assert "rm-site" in on_top, on_top
    page.mouse.move(x, y)
    page.locator(".leaflet-tooltip").first.wait_for(state="visible", timeout=5_000)
    assert page.locator(".leaflet-tooltip").first.inner_text().startswith("Guam")
    # The capital is there, under it (it is in range, so drawn as a yellow marker).
    assert page.locator("path.rm-target-in").count() > 0


def test_regression_14_legend_folds_away_on_a_400_px_page(open_map):
    """Check fix for the legend covering most of a phone-width map (issue 14)."""
    rings = range_rings(["9m729", "iskander-m"], ["kaliningrad"], band="all")
    page = open_map(_map(rings, resolve_sites(["kaliningrad"]), region="europe"), 400, 620)
    frame = _map_box(page)
    legend = page.locator(".rm-legend").first
    assert not legend.is_visible()
    button = page.get_by_role("button", name="Legend", exact=True)
    assert button.is_visible()
    folded = button.bounding_box()
    assert folded["width"] < 0.25 * frame["width"], folded  # the map keeps its width
    button.click()
    assert legend.is_visible() and legend.inner_text().startswith("Range rings")
    assert _inside(legend.bounding_box(), frame)
    page.get_by_role("button", name="Hide the legend").click()
    assert not legend.is_visible() and button.is_visible()


def test_legend_is_open_on_a_desktop_map(open_map):
    rings = range_rings(["9m729"], ["kaliningrad"])
    page = open_map(_map(rings, resolve_sites(["kaliningrad"]), region="europe"), 1200, 620)
    assert page.locator(".rm-legend").first.is_visible()
    assert not page.get_by_role("button", name="Legend", exact=True).is_visible()


def test_regression_14_a_ring_across_the_antimeridian_is_framed_and_drawn_whole(open_map):
    """The DF-26 ring from Guam spans +-180 deg: the view centres on it, drawn in one piece."""
    rings = range_rings(["df-26"], ["guam"])
    page = open_map(_map(rings, resolve_sites(["guam"])), 1000, 620)
    frame = _map_box(page)
    paths = page.locator("path.rm-ring")
    boxes = [paths.nth(i).bounding_box() for i in range(paths.count())]
    ring = max(boxes, key=lambda b: b["width"] * b["height"])
    assert _inside(ring, frame, slack=10), (ring, frame)
    assert ring["width"] < 0.8 * frame["width"]  # not a sliver at each edge of the world
    site = page.locator("path.rm-site").first.bounding_box()
    centre = frame["x"] + frame["width"] / 2
    assert abs(site["x"] + site["width"] / 2 - centre) < 0.1 * frame["width"]


@pytest.mark.parametrize(("width", "height"), [(1000, 620), (380, 380)])
def test_regression_14_world_view_fills_the_frame(open_map, width, height):
    """The World view shows one world edge to edge: no grey band, no second copy."""
    rings = range_rings(["iskander-m"], ["kaliningrad"])
    page = open_map(_map(rings, resolve_sites(["kaliningrad"]), region="world"), width, height)
    name = _leaflet_map(page)
    west, east, north, south = page.evaluate(
        f"[{name}.latLngToContainerPoint([0, -180]).x, {name}.latLngToContainerPoint([0, 180]).x,"
        f" {name}.latLngToContainerPoint([85.0511, 0]).y,"
        f" {name}.latLngToContainerPoint([-85.0511, 0]).y]"
    )
    assert west <= 0.5 and east >= width - 0.5, (west, east)  # no band at the sides
    assert east - west <= 1.1 * width, (west, east)  # the whole world, not a part of it
    assert north <= 0.5 and south >= height - 0.5, (north, south)  # none above or below
    # Zooming out stops at the world's width: no second world beside the first.
    page.evaluate(f"{name}.setZoom(0)")
    page.wait_for_timeout(300)
    west, east = page.evaluate(
        f"[{name}.latLngToContainerPoint([0, -180]).x, {name}.latLngToContainerPoint([0, 180]).x]"
    )
    assert east - west >= width - 1
