"""rangemap.heatmap: colour scale, coarsening, escaping, empty grids, the layers on a map."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import folium
import numpy as np
import pandas as pd
import pytest

from rangemap import heatmap, mapview
from rangemap.grid import cell_centres, cell_of
from rangemap.rings import range_rings
from rangemap.sites import parse_site_lines, resolve_sites

XSS = "<img src=x onerror=alert(1)>"
#: folium compiles rendered scripts as jinja templates: this must stay text, never 7006652.
SSTI = "{{ 1234*5678 }}"


def _density(pairs, *, nside=4, uncounted=None, **attrs) -> pd.DataFrame:
    n = len(pairs)
    frame = pd.DataFrame({
        "cell": np.arange(n), "pairs": pairs, "systems": np.minimum(pairs, 3),
        "launchers_low": np.asarray(pairs) * 2, "launchers_high": np.asarray(pairs) * 5,
        "uncounted_systems": np.zeros(n, dtype=int) if uncounted is None else uncounted,
    })  # fmt: skip
    frame.attrs.update(nside=nside, as_of="2025-12-31", band="nominal", **attrs)
    return frame


def _sweep(values, *, nside=4, cells=None, label="capitals in range", within="Poland",
           near="Opole, POL"):  # fmt: skip
    values = np.asarray(values, dtype=float)
    cells = np.arange(values.size) if cells is None else np.asarray(cells)
    lat, lon = cell_centres(nside, cells)
    best = np.argsort(-values, kind="stable")[:3]
    top = pd.DataFrame({
        "rank": np.arange(1, best.size + 1), "lat": lat[best], "lon": lon[best],
        "value_exact": values[best], "near": [f"{near} ({i} km)" for i in range(best.size)],
        "scenario": "1,000 km", "system_id": "",
    })  # fmt: skip
    meta = {"nside": nside, "grid_km": 1630.0, "n_candidates": values.size,
            "n_refined": values.size, "within": within,
            "method": "Screened; recounted."}  # fmt: skip
    candidates = pd.DataFrame({"cell": cells, "lat": lat, "lon": lon, "value_screen": values})
    return SimpleNamespace(top=top, candidates=candidates, label=label, meta=meta)


def _collection(cells: heatmap.HeatCells) -> list[dict]:
    return json.loads(cells.collection)["features"]


def _luminance(colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def test_the_colour_scale_darkens_with_the_value():
    shades = [_luminance(c) for c in heatmap.HEAT_COLOURS]
    assert all(a > b for a, b in zip(shades, shades[1:], strict=False))
    for n in range(1, len(heatmap.HEAT_COLOURS) + 1):
        picked = [_luminance(c) for c in heatmap.class_colours(n)]
        assert len(picked) == n and all(a > b for a, b in zip(picked, picked[1:], strict=False))


@pytest.mark.parametrize("integer", [True, False])
def test_classes_grow_with_the_value(integer):
    rng = np.random.default_rng(13)
    values = rng.lognormal(3.0, 2.0, 5_000)
    values = np.floor(values) if integer else values
    breaks = heatmap.class_breaks(values, integer=integer)
    assert 2 <= breaks.size <= 7 and (np.diff(breaks) > 0).all() and breaks[0] <= values.min()
    ordered = np.sort(values)
    classes = heatmap.classify(ordered, breaks)
    assert (np.diff(classes) >= 0).all() and classes[0] == 0 and classes[-1] == breaks.size - 1


def test_empty_and_missing_values_make_no_classes():
    assert heatmap.class_breaks([]).size == 0
    assert heatmap.class_breaks([np.nan, np.inf]).size == 0
    assert heatmap.classify([], []).tolist() == []
    n, cells, best = heatmap.coarsen_cells(16, [], [])
    assert n == 16 and cells.size == 0 and best.size == 0


def test_coarse_cells_hold_their_children_and_keep_the_best_value():
    rng = np.random.default_rng(5)
    cells = rng.choice(12 * 64**2, 3_000, replace=False)
    values = rng.random(cells.size)
    n, parents, best = heatmap.coarsen_cells(64, cells, values, max_cells=500)
    assert n < 64 and parents.size <= 500
    lat, lon = cell_centres(64, cells)
    parent_of = cell_of(n, lat=lat, lon=lon)  # each child's centre lies in its parent
    assert set(parent_of) == set(parents)
    expected = pd.Series(values).groupby(parent_of).max()
    assert np.allclose(pd.Series(best, index=parents).loc[expected.index], expected)


def test_density_cells_group_tooltips_and_leave_out_unreached_cells():
    frame = _density([0, 1, 1, 2, 9, 9], uncounted=[0, 0, 0, 1, 0, 3])
    cells = heatmap.density_cells(frame, every_site=True)
    features = _collection(cells)
    assert cells.n_cells == 5
    tips = [f["properties"]["tooltip"] for f in features]
    # Cells 1 and 2 say the same: one feature; cells 4 and 5 differ in launchers: two.
    assert len(features) == 4 == len(set(tips))
    assert len(features[0]["geometry"]["coordinates"]) == 2  # two cells, one feature
    assert "launchers: 2–5" in tips[0] and "no published count" not in tips[0]
    assert "launchers: 4–10<br>(+ 1 system with no published count)" in tips[1]
    assert "launchers: 18–45" in tips[2]
    assert "launchers: no published count" in tips[3]  # 3 systems, none with a count
    for feature in features:
        assert feature["geometry"]["type"] == "MultiPolygon"
        for polygon in feature["geometry"]["coordinates"]:
            ring = np.asarray(polygon[0])
            assert (ring[0] == ring[-1]).all() and (np.abs(ring[:, 0]) <= 180).all()
    assert "every site of each system's country (hypothetical)" in cells.legend
    assert "as of 2025-12-31" in cells.legend and "(about 1,630 km)" in cells.legend


def test_an_empty_density_or_sweep_draws_an_empty_layer():
    cells = heatmap.density_cells(_density([0, 0]))
    assert cells.n_cells == 0 and _collection(cells) == []
    sweep = _sweep([])
    sweep.top = sweep.top.iloc[:0]
    empty = heatmap.sweep_cells(sweep)
    assert empty.n_cells == 0 and _collection(empty) == []
    m = folium.Map(tiles=None)
    heatmap.heat_layer(empty).add_to(m)
    heatmap.rank_layer(sweep.top, sweep.label).add_to(m)
    assert "rm-heat-legend" in m.get_root().render()
    assert heatmap.basing_table(sweep).empty and heatmap.basing_sites(sweep.top) == {}


def test_hostile_names_stay_text_in_every_layer_table_and_site_line():
    sweep = _sweep(np.arange(12.0), label=f"{XSS}{SSTI}", within=SSTI, near=f"{XSS}{SSTI}")
    m = folium.Map(tiles=None)
    heatmap.heat_layer(heatmap.sweep_cells(sweep)).add_to(m)
    heatmap.rank_layer(sweep.top, sweep.label).add_to(m)
    html = m.get_root().render()
    assert "<img" not in html and "7006652" not in html  # not markup, not evaluated
    assert "u0026lt;img src=x onerror=alert(1)u0026gt;".replace("u", "\\u") in html
    assert "1234*5678" in html
    assert f"{XSS}{SSTI}" in heatmap.basing_table(sweep).columns  # a column name, shown as text
    # The typed site line names the place as it is and reads back as one site.
    lines = heatmap.basing_sites(sweep.top)
    sites, errors = parse_site_lines("\n".join(lines.values()))
    assert not errors and sites["name"].tolist() == [
        f"Basing #{r} (near {XSS}{SSTI})" for r in (1, 2, 3)
    ]
    assert np.allclose(sites["lat"], sweep.top["lat"], atol=1e-4)


def test_sweep_cells_colour_the_screen_and_the_table_reads_well():
    sweep = _sweep(np.linspace(0.0, 1e6, 48))
    cells = heatmap.sweep_cells(sweep, max_cells=12)
    features = _collection(cells)
    assert cells.n_cells <= 12 and 1 < len(features) <= 7
    fills = [f["properties"]["style"]["fillColor"] for f in features]
    assert fills == heatmap.class_colours(len(features))  # one feature per class, in order
    assert "capitals in range" in cells.legend and "best candidate" in cells.legend
    table = heatmap.basing_table(sweep)
    assert list(table.columns) == ["rank", "near", "lat", "lon", "capitals in range"]
    assert table["capitals in range"].iloc[0] == "1,000,000"
    assert table["lat"].tolist() == [round(v, 2) for v in sweep.top["lat"]]
    note = heatmap.basing_note(sweep)
    assert "value_exact, an exact recount" in note and note.endswith("Screened; recounted.")


def test_build_map_draws_extra_layers_and_frames_a_grid_only_map_on_them():
    lat, lon = np.meshgrid(np.arange(46.0, 55.0, 2.0), np.arange(10.0, 20.0, 2.0))
    where = np.unique(cell_of(16, lat=lat.ravel(), lon=lon.ravel()))
    sweep = _sweep(np.arange(where.size, 0.0, -1.0), nside=16, cells=where)
    cells = heatmap.sweep_cells(sweep)
    rings, sites = range_rings(["df-26"], ["guam"]).iloc[:0], resolve_sites(["guam"]).iloc[:0]
    m = mapview.build_map(rings, sites, legend=False, extra_layers=[
        heatmap.heat_layer(cells), heatmap.rank_layer(sweep.top, sweep.label)])  # fmt: skip
    html = m.get_root().render()
    assert "rm-heat" in html and html.count('class=\\"rm-rank\\"') == 3
    assert "rm-heat-legend" in html and "<b>Range rings" not in html  # no empty ring legend
    (fit,) = re.findall(r"fitBounds\(\s*(\[\[.*?\]\])", html, re.S)
    (south, west), (north, east) = json.loads(fit)
    assert (west, south, east, north) == pytest.approx(cells.bounds)  # framed on the cells
    assert 35 < south < 46 and 54 < north < 62 and 0 < west < 10 and 18 < east < 30
