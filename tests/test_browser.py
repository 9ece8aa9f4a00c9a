"""The dashboard in a real Chromium, with every request off localhost blocked.

Starts ``streamlit run app.py`` on a free port and drives Debian's chromium through
Playwright (its own browser download is not possible here). Proves that the map draws
without the internet, reacts to the system picker, shows a hostile site name as text and
runs nothing; saves a screenshot (``docs/dashboard.png`` for the README when
``RANGEMAP_UPDATE_SCREENSHOT`` is set). In CI (``CI`` set) a missing
chromium is a failure, not a skip.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from _chromium import browser  # noqa: F401  (a fixture: one Chromium per module)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from _common import served  # noqa: E402  (benchmarks/ is scripts, not a package)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parent.parent
# The screenshot goes to tests/artifacts/ (ignored by git); set RANGEMAP_UPDATE_SCREENSHOT=1
# to refresh the README's docs/dashboard.png instead.
SCREENSHOT = ROOT / (
    "docs/dashboard.png" if os.environ.get("RANGEMAP_UPDATE_SCREENSHOT") else
    "tests/artifacts/dashboard.png"
)  # fmt: skip
MAP = "iframe[title='streamlit_folium.st_folium']"
XSS = "<img src=x onerror=alert(1)>"
SSTI = "{{ 1234*5678 }}"


@pytest.fixture(scope="module")
def server():
    """``streamlit run app.py`` on a free port (benchmarks/_common.served: one starter)."""
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(served(ROOT / "app.py"))
        except RuntimeError as exc:
            pytest.fail(str(exc))
        yield url


@pytest.fixture
def page(browser):  # noqa: F811  (the fixture imported from _chromium)
    """A page that may only talk to localhost; it records what it blocked and any dialog."""
    context = browser.new_context(viewport={"width": 1440, "height": 960})
    pg = context.new_page()
    pg.blocked, pg.dialogs = [], []

    def route(r):
        if urlparse(r.request.url).hostname in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            pg.blocked.append(r.request.url)
            r.abort()

    def on_dialog(d):
        pg.dialogs.append(d.message)
        d.dismiss()

    pg.route("**/*", route)
    pg.on("dialog", on_dialog)
    yield pg
    context.close()


def _rings(pg):
    frame = pg.frame_locator(MAP).first
    frame.locator("path.rm-ring").first.wait_for(state="attached", timeout=60_000)
    return frame


def _ring_classes(pg) -> set[str]:
    frame = _rings(pg)
    return {
        c
        for el in frame.locator("path.rm-ring").all()
        for c in (el.get_attribute("class") or "").split()
        if c.startswith("rm-sys-")
    }


def test_map_draws_offline_and_follows_the_system_picker(server, page):
    page.goto(server)
    assert _ring_classes(page) == {"rm-sys-9m729", "rm-sys-iskander-m"}
    frame = _rings(page)
    # Leaflet drew the four footprints (9M729 nominal and low, Iskander-M nominal and high).
    assert frame.locator("path.leaflet-interactive.rm-ring").count() == 4
    assert frame.locator("path.rm-site").count() == 2
    assert frame.locator("path.rm-target-in").count() > 10
    assert frame.locator(".rm-legend").inner_text().startswith("Range rings")
    page.wait_for_timeout(800)  # let the tiles-free basemap settle before the picture
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 20_000  # a drawn page, not a blank one

    # Pick another system in the sidebar: the map is redrawn with its rings.
    picker = page.get_by_role("combobox", name="Systems").first
    picker.click()
    picker.fill("DF-26")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    deadline = time.monotonic() + 30
    while "rm-sys-df-26" not in _ring_classes(page) and time.monotonic() < deadline:
        page.wait_for_timeout(300)
    assert _ring_classes(page) == {"rm-sys-9m729", "rm-sys-iskander-m", "rm-sys-df-26"}
    assert "systems=" in page.url  # the selection is in the link
    # Nothing the page needed came from outside: every off-localhost request was blocked.
    assert not [u for u in page.blocked if u.endswith((".js", ".css"))], page.blocked
    assert not page.dialogs


def test_hostile_site_names_show_as_text_and_run_nothing(server, page):
    page.goto(server)
    _rings(page)
    # Both in the open Atlantic, far from any capital's marker at every zoom (at 50N 10E the
    # site's marker could lie under Luxembourg's at low zoom and the hover found the capital).
    csv = f'name,lat,lon\n"{XSS}",47.0,-30.0\n"{SSTI}",40.0,-20.0\n'.encode()
    page.locator("input[type=file]").first.set_input_files(
        files=[{"name": "evil.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    frame = page.frame_locator(MAP).first
    deadline = time.monotonic() + 30
    while frame.locator("path.rm-site").count() != 4 and time.monotonic() < deadline:
        page.wait_for_timeout(300)
    assert frame.locator("path.rm-site").count() == 4
    shown = []
    for marker in frame.locator("path.rm-site").all()[2:]:
        marker.hover(force=True)
        page.wait_for_timeout(300)
        shown.append(frame.locator(".leaflet-tooltip").last.inner_text())
    assert any(t.startswith(XSS) for t in shown), shown  # the name, as typed
    assert any(t.startswith(SSTI) for t in shown), shown  # not evaluated on the server
    assert frame.locator("img[src='x']").count() == 0
    assert not page.dialogs


def test_isochrones_and_flight_times_show_on_the_map(server, page):
    page.goto(server)
    frame = _rings(page)
    page.get_by_text("Warning-time isochrones").first.click()
    picker = page.get_by_role("combobox", name="System", exact=True).first
    picker.click()
    picker.fill("Iskander-M")
    page.keyboard.press("Enter")
    deadline = time.monotonic() + 30  # until all five are drawn: a map mid-redraw has fewer
    while frame.locator("path.rm-iso").count() < 5 and time.monotonic() < deadline:
        page.wait_for_timeout(300)
    # 5, 10 and 15 minutes "possibly" (capped at the range past it); "surely" only for 10
    # and 15: Iskander-M's boost allowance (0-6 min, bounded) may take all of 5 minutes.
    assert frame.locator("path.rm-iso-surely").count() == 2
    assert frame.locator("path.rm-iso-possibly").count() == 3
    assert "Warning-time isochrones" in frame.locator(".rm-legend").inner_text()
    # A capital in range says how long the flight takes, from which site, and the model.
    tips = []
    for marker in frame.locator("path.rm-target-in").all()[:12]:
        marker.hover(force=True)
        page.wait_for_timeout(200)
        tips.append(frame.locator(".leaflet-tooltip").last.inner_text())
        if "minimum-energy" in tips[-1]:
            break
    timed = r"km from .+\s+≈ [\d.]+–[\d.]+ min \(minimum-energy"
    assert any(re.search(timed, t) for t in tips), tips
    assert not page.dialogs


def test_target_tab_draws_a_launch_area_and_adds_a_clicked_place(server, page):
    page.goto(f"{server}/?view=Target&t_places=Guam%3B+Tokyo%3B+Manila")
    frame = page.frame_locator(MAP).first
    frame.locator("path.rm-target-in").first.wait_for(state="attached", timeout=30_000)
    assert frame.locator("path.rm-target-in").count() == 3
    # Who reaches them: DF-26, deployed in China, for each of the three.
    page.get_by_text("Who reaches them").first.wait_for(timeout=30_000)
    picker = page.get_by_role("combobox", name="Launch areas of").first
    picker.click()
    picker.fill("DF-26")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    deadline = time.monotonic() + 30
    while frame.locator("path.rm-area").count() < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(300)
    # 9M729's area (the sidebar's default) and DF-26's; Iskander-M reaches no place from
    # which all three are in range, and the page says so.
    assert frame.locator("path.rm-area").count() == 2
    assert page.get_by_text("no place is within range of all these places").count() >= 1
    assert "Launch areas" in frame.locator(".rm-legend").inner_text()
    # Click the open Pacific: the page offers to add that place as a fourth target.
    box = page.locator(MAP).first.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.6)
    button = page.get_by_role("button", name=re.compile(r"Add a place at -?\d"))
    button.wait_for(timeout=30_000)
    button.click()
    deadline = time.monotonic() + 30
    while frame.locator("path.rm-target-in").count() != 4 and time.monotonic() < deadline:
        page.wait_for_timeout(300)
    assert frame.locator("path.rm-target-in").count() == 4
    assert "t_places=" in page.url
    assert not page.dialogs


def test_basing_tab_runs_a_sweep_and_paints_the_heat_map(server, page):
    """Issue 13: a small sweep in the browser: the table, the heat cells and the ranks."""
    page.goto(f"{server}/?view=Basing")
    within = page.get_by_role("combobox", name="Candidates stand").first
    within.click()
    within.fill("Poland")
    page.keyboard.press("Enter")
    page.get_by_role("radio", name="Capitals").click()  # segmented controls are radios
    page.get_by_role("radio", name="100 km (quick look)").click()
    page.wait_for_timeout(500)  # let the widgets' reruns settle before the sweep
    page.get_by_role("button", name="Run sweep").click()
    page.get_by_role("button", name="Add to Compare").wait_for(timeout=60_000)
    frame = page.frame_locator(MAP).first
    frame.locator("path.rm-heat").first.wait_for(state="attached", timeout=30_000)
    assert frame.locator("path.rm-heat").count() >= 2  # one path per colour class
    assert frame.locator(".rm-rank").count() == 5  # the default top 5, numbered
    assert "capitals in range" in frame.locator(".rm-heat-legend").inner_text()
    table = page.get_by_test_id("stDataFrame").first
    table.wait_for(timeout=10_000)
    assert page.get_by_text("Top sites: 1,000 km, capitals in range").count() == 1
    assert page.get_by_text("value_exact, an exact recount").count() == 1
    # Hover the first site: its place and exact value, escaped text.
    frame.locator("path.rm-rank-site").first.hover(force=True)
    page.wait_for_timeout(300)
    assert "(exact recount)" in frame.locator(".leaflet-tooltip").last.inner_text()
    assert not [u for u in page.blocked if u.endswith((".js", ".css"))], page.blocked
    assert not page.dialogs


def test_threat_density_layer_paints_cells_under_the_rings(server, page):
    page.goto(server)
    frame = _rings(page)
    page.get_by_text("Threat density (who reaches each place)").click()
    frame.locator("path.rm-heat").first.wait_for(state="attached", timeout=60_000)
    legend = frame.locator(".rm-heat-legend").inner_text()
    assert "pairs whose nominal range reaches the cell centre; as of" in legend
    assert frame.locator("path.rm-ring").count() == 4  # the rings are still drawn
    assert not page.dialogs


def _sites_become(pg, n: int) -> int:
    frame = pg.frame_locator(MAP).first
    deadline = time.monotonic() + 30
    while frame.locator("path.rm-site").count() != n and time.monotonic() < deadline:
        pg.wait_for_timeout(300)
    return frame.locator("path.rm-site").count()


def test_regression_14_a_site_is_added_by_clicking_inside_a_ring(server, page):
    """Issue 14 bug 2: the click went to the ring's popup and no "Add a site" appeared."""
    page.goto(server)
    ring = _rings(page).locator("path.rm-ring").first
    box = ring.bounding_box()
    assert box is not None
    # Inside the ring, away from its site's marker at the centre.
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.3)
    button = page.get_by_role("button", name=re.compile(r"Add a site at -?\d"))
    button.wait_for(timeout=30_000)
    button.click()
    assert _sites_become(page, 3) == 3
    assert "coords=" in page.url
    assert not page.dialogs


def test_regression_14_replacing_an_upload_with_a_bad_one_keeps_the_sites(server, page):
    """Issue 14 bug 1: the error said "keeping the sites you had" while they were dropped."""
    page.goto(server)
    _rings(page)
    uploader = page.locator("[data-testid=stSidebar] input[type=file]").first
    good = b"name,lat,lon\nA,50,20\nB,51,21\nC,52,22\n"
    uploader.set_input_files(files=[{"name": "good.csv", "mimeType": "text/csv", "buffer": good}])
    assert _sites_become(page, 5) == 5
    bad = b"name,lat,lon\nX,95,20\n"
    uploader.set_input_files(files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": bad}])
    error = page.get_by_text("kept: 3 uploaded sites from before")
    error.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)  # any rerun still under way has ended
    assert _sites_become(page, 5) == 5
    assert not page.dialogs


def test_regression_14_the_system_search_is_fuzzy(server, page):
    """Issue 14: `df26` finds DF-26 (Streamlit's own fuzzy filter over our labels)."""
    page.goto(server)
    _rings(page)
    picker = page.get_by_role("combobox", name="Systems").first
    picker.click()
    picker.fill("df26")
    options = page.get_by_role("option")
    options.first.wait_for(timeout=10_000)
    assert "DF-26" in options.all_inner_texts()
    page.keyboard.press("Escape")
