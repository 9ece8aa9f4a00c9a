"""Dashboard: server time of an app rerun with the full catalogue, and the map's size.

Work: ``app.py`` run headless with ``streamlit.testing.v1.AppTest`` (default sites, band
and view), then the systems multiselect (``key="systems"``) set to every catalogue system
and the app rerun. Timed:

- the first run (default selection);
- the rerun after selecting the full catalogue, with rangemap's ring cache emptied first
  (the rings are computed during the rerun);
- the rerun after dropping one system from it (rings cached, map rebuilt);
- a rerun with nothing changed.

The map's size is the length of the script streamlit-folium hands to the browser
(``component_instance.proto.json_args``). The alternative is the naive map of the same
rings: ``rings_for`` (cold cache), then ``folium.GeoJson(rings)`` on a ``folium.Map``,
rendered to HTML. Measured only when ``app.py`` and ``rangemap.mapview`` exist.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402

APP = C.ROOT / "app.py"
WHAT = "dashboard rerun"


def _available() -> str:
    """Why the dashboard cannot be measured yet ('' when it can)."""
    if not APP.exists():
        return "app.py does not exist"
    try:
        from streamlit.testing.v1 import AppTest  # noqa: F401

        import rangemap.mapview  # noqa: F401
    except ImportError as exc:
        return f"import failed: {exc}"
    return ""


def _timed_run(at: Any) -> tuple[float, float]:
    """Run the app; (seconds, peak RSS MB). Raises if the app raised."""
    with C.peak() as p:
        t0 = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(f"app.py raised: {at.exception[0].value}")
    return seconds, p.mb


def _map_chars(at: Any) -> int:
    maps = at.get("component_instance")
    return sum(len(m.proto.json_args) for m in maps)


def run(quick: bool = False) -> dict[str, Any]:
    """Measure and return the figures (see the module docstring)."""
    why_not = _available()
    if why_not:
        return C.unavailable("dashboard", WHAT, why_not)

    import folium
    from streamlit.testing.v1 import AppTest

    import rangemap.rings as rings_mod
    from rangemap.catalogue import find_systems, load_catalogue
    from rangemap.rings import join_sites
    from rangemap.sites import resolve_sites

    cat = load_catalogue()
    at = AppTest.from_file(str(APP), default_timeout=600)
    t_first, rss_first = _timed_run(at)
    try:
        widget = at.multiselect(key="systems")
        sites = list(at.multiselect(key="sites").value)
        bands = at.segmented_control(key="bands").value
        band = bands[0] if len(bands) == 1 else "all"  # the default: every figure
    except (KeyError, IndexError) as exc:
        # The benchmark drives the widgets by key; say so rather than fail obscurely.
        return C.unavailable("dashboard", WHAT, f"app.py has no widget {exc}")
    # The Systems list offers the systems with a range (the others draw nothing).
    offered = list(cat.dropna(subset=["range_km"])["id"])
    chosen = offered[:3] if quick else offered

    rings_mod._CACHE.clear()
    widget.set_value(chosen)
    t_full, rss_full = _timed_run(at)
    map_chars = _map_chars(at)
    at.multiselect(key="systems").set_value(chosen[1:])
    t_change, rss_change = _timed_run(at)
    t_same, _ = _timed_run(at)

    def naive() -> str:
        rings = rings_mod.rings_for(
            join_sites(find_systems(cat, chosen), resolve_sites(sites), band=band)
        )
        m = folium.Map(tiles=None)
        folium.GeoJson(rings[["system_id", "band", "radius_km", "geometry"]]).add_to(m)
        return m.get_root().render()

    t_naive, html, rss_naive = C.best_of(naive, repeat=1, setup=rings_mod._CACHE.clear)
    n_rings = len(
        rings_mod.rings_for(join_sites(find_systems(cat, chosen), resolve_sites(sites), band=band))
    )
    rows = [
        C.row("first run (default selection)", C.fmt_s(t_first), "", "",
              C.fmt_rss(rss_first, float("nan"))),
        C.row(
            "rerun after selecting the full catalogue (naive: rings_for + folium.GeoJson)",
            C.fmt_s(t_full), C.fmt_s(t_naive), C.fmt_ratio(t_naive / t_full),
            C.fmt_rss(rss_full, rss_naive),
        ),
        C.row("rerun after dropping one system (rings cached)", C.fmt_s(t_change), "", "",
              C.fmt_rss(rss_change, float("nan"))),
        C.row("rerun with nothing changed", C.fmt_s(t_same)),
        C.row(
            "map sent to the browser (naive: folium.GeoJson HTML)",
            f"{map_chars / 1e6:,.2f} MB", f"{len(html) / 1e6:,.2f} MB",
            C.fmt_ratio(len(html) / map_chars) if map_chars else "n/a",
        ),
    ]  # fmt: skip
    return {
        "benchmark": "dashboard",
        "available": True,
        "work": (
            f"app.py, {len(chosen)} systems x {len(sites)} default sites ({', '.join(sites)}), "
            f"band {band}: {n_rings:,} rings"
        ),
        "first_run_seconds": t_first,
        "full_catalogue_rerun_seconds": t_full,
        "change_rerun_seconds": t_change,
        "same_rerun_seconds": t_same,
        "map_mb": map_chars / 1e6,
        "naive_seconds": t_naive,
        "naive_map_mb": len(html) / 1e6,
        "rows": rows,
        "targets": [
            C.target(
                "dashboard rerun < 1 s (after selecting the full catalogue)",
                C.fmt_s(t_full),
                t_full < 1.0,
            ),
        ],
        "notes": [
            "AppTest runs the script in this process: the time is the server's (widgets, "
            "rings, coverage table, map serialisation), not the browser's drawing",
        ],
    }


if __name__ == "__main__":
    C.main(run, __doc__)
