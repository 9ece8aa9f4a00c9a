"""The Streamlit dashboard (app.py), headless through streamlit.testing.v1.AppTest."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rangemap.catalogue import load_catalogue
from rangemap.claims import load_claims
from rangemap.sites import load_sites
from rangemap.targets import load_targets

APP = str(Path(__file__).resolve().parent.parent / "app.py")
XSS = "<img src=x onerror=alert(1)>"


def run(view: str | None = None, **params: str | list[str]) -> AppTest:
    """Run the app; bound widgets take URL values as their displayed labels."""
    at = AppTest.from_file(APP, default_timeout=180)
    if view:
        at.query_params["view"] = view
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def map_script(at: AppTest, index: int = 0) -> str:
    """What streamlit-folium hands the browser for the index-th map: header and script."""
    args = json.loads(at.get("component_instance")[index].proto.json_args)
    return args["header"] + args["script"]


def features(page: str, class_prefix: str) -> list[dict]:
    """GeoJSON features of the map whose style class starts with ``class_prefix``.

    The features travel in JSON data blocks that the map script hands to ``addData``.
    """
    blocks = re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', page)
    found = []
    for block_id, text in blocks:
        assert f'getElementById("{block_id}")' in page  # a layer reads this block
        found += [
            f
            for f in json.loads(text)["features"]
            if f["properties"].get("style", {}).get("className", "").startswith(class_prefix)
        ]
    return found


def ids_by_label() -> dict[str, str]:
    """Catalogue ids by the label the Systems list shows."""
    cat = load_catalogue()
    return dict(zip(cat["name"], cat["id"], strict=True))


def ring_keys(at: AppTest) -> set[tuple[str, str]]:
    return {
        (f["properties"]["system_id"], f["properties"]["band"])
        for f in features(map_script(at), "rm-ring")
    }


def test_map_view_draws_the_default_rings():
    at = run()
    assert not at.exception
    assert [t.label for t in at.tabs] == [
        "Map", "Target", "Basing", "Catalogue", "Compare", "Export"
    ]  # fmt: skip
    assert ring_keys(at) == {
        ("9m729", "nominal"),
        ("9m729", "low"),
        ("iskander-m", "nominal"),
        ("iskander-m", "high"),
    }
    assert len(features(map_script(at), "rm-site")) == 2
    # Issue 14: no region chosen, so the map fits the rings and the tables count the world.
    assert at.selectbox(key="region").value == "rings"
    assert at.subheader[0].value.startswith("Capitals in the world")
    table = at.dataframe[0].value
    assert len(table) and table["In range"].all()
    # Issue 14: one row per (capital, system), the bands as columns, km to 10 km.
    assert not table.duplicated(["Place", "System"]).any()
    assert {"Margin, low (km)", "Margin, nominal (km)", "Margin, high (km)"} <= set(table.columns)
    assert (table["Distance (km)"] % 10 == 0).all()
    (cover,) = [c.value for c in at.caption if "settlements (counted once" in c.value]
    assert "population of settlements ≥ 1,000 (GeoNames) in range: " in cover


def test_system_site_band_and_region_widgets_change_the_output():
    at = run()
    at.multiselect(key="systems").set_value(["df-26"])
    at.multiselect(key="sites").set_value(["guam"])
    at.run()
    assert not at.exception
    assert {s for s, _ in ring_keys(at)} == {"df-26"}
    (ring,) = [
        f for f in features(map_script(at), "rm-ring") if f["properties"]["band"] == "nominal"
    ]
    assert ring["properties"]["radius_km"] == 4000.0
    at.segmented_control(key="bands").set_value(["nominal"]).run()
    assert ring_keys(at) == {("df-26", "nominal")}
    at.selectbox(key="region").set_value("europe").run()
    europe = at.dataframe[0].value
    at.selectbox(key="region").set_value("east-asia").run()
    assert at.subheader[0].value.startswith("Capitals in East Asia")
    asia = at.dataframe[0].value
    assert "Manila" in set(asia["Place"]) and "Manila" not in set(europe["Place"])


def test_filters_hide_systems_outside_them():
    at = run()
    at.multiselect(key="systems").set_value(["9m729", "kalibr-3m14"]).run()
    assert {s for s, _ in ring_keys(at)} == {"9m729", "kalibr-3m14"}
    at.toggle(key="inf").set_value(True).run()  # Kalibr is sea-launched: not INF-class
    assert {s for s, _ in ring_keys(at)} == {"9m729"}
    # The list offers what passes the filters, and what is chosen (so it can be removed).
    ids = ids_by_label()
    offered = [ids[label] for label in at.multiselect(key="systems").options]
    assert "kalibr-3m14" in offered and "zircon" not in offered  # ship-launched
    at.multiselect(key="systems").set_value(offered).run()  # "Select all"
    drawn = {s for s, _ in ring_keys(at)}
    assert len(drawn) > 40 and "kalibr-3m14" not in drawn and "df-26" in drawn


def test_typed_sites_count_and_bad_lines_are_reported():
    at = run()
    at.text_area(key="coords").set_value("13.45,144.79\n95,0\nmozdok\n![x](https://e.org/x.png)")
    at.run()
    assert not at.exception
    assert len(features(map_script(at), "rm-site")) == 4  # 2 shipped + 2 good lines
    messages = [e.value for e in at.sidebar.error]
    assert any("line 2" in m and "95,0" in m for m in messages)
    # Messages are Markdown: what the user typed is escaped, so no image is loaded.
    assert any("\\!\\[x\\]\\(https" in m for m in messages), messages
    assert not any("![x](" in m for m in messages)


def test_uploaded_names_are_escaped_and_a_bad_upload_keeps_the_sites():
    at = run()
    at.sidebar.file_uploader[0].upload(
        "evil.csv", f"name,lat,lon\n{XSS},50,10\n".encode(), "text/csv"
    )
    at.run()
    assert not at.exception
    script = map_script(at)
    assert "<img" not in script
    tips = [f["properties"]["tooltip"] for f in features(script, "rm-site")]
    assert len(tips) == 3 and any("&lt;img src=x onerror=alert(1)&gt;" in t for t in tips)

    at.sidebar.file_uploader[0].upload("bad.csv", b"city,x,y\nA,1,2\n", "text/csv")
    at.run()
    assert not at.exception
    assert any("missing required column" in e.value for e in at.sidebar.error)
    assert len(features(map_script(at), "rm-site")) == 3  # the good upload still counts
    assert at.multiselect(key="systems").value == ["9m729", "iskander-m"]


def test_regression_14_a_replaced_upload_that_fails_keeps_the_sites_it_says_it_keeps():
    """Issue 14 bug 1: the browser empties the uploader before sending the new file, so the
    sites of the good upload were dropped while the error said they were kept."""
    at = run()
    good = b"name,lat,lon\nA,50,20\nB,51,21\nC,52,22\n"
    at.sidebar.file_uploader[0].upload("good.csv", good, "text/csv").run()
    assert len(features(map_script(at), "rm-site")) == 5
    at.sidebar.file_uploader[0].clear().run()  # what the browser sends first
    assert len(features(map_script(at), "rm-site")) == 2
    at.sidebar.file_uploader[0].upload("bad.csv", b"name,lat,lon\nX,95,20\n", "text/csv").run()
    assert not at.exception
    (error,) = [e.value.replace("\\", "") for e in at.sidebar.error]  # Markdown escapes
    assert "95" in error and "kept: 3 uploaded sites from before" in error
    assert len(features(map_script(at), "rm-site")) == 5
    # Removing the file for good removes its sites.
    at.sidebar.file_uploader[0].clear().run()
    assert len(features(map_script(at), "rm-site")) == 2 and not at.sidebar.error


def test_uploaded_sites_can_be_put_in_the_link_which_otherwise_does_not_hold_them():
    at = run()
    csv = "name,lat,lon\nRzeszów airport,50.11,22.02\nSite: two,51,21\n".encode()
    at.sidebar.file_uploader[0].upload("two.csv", csv, "text/csv").run()
    assert any("does not hold uploaded sites" in c.value for c in at.sidebar.caption)
    (button,) = [b for b in at.sidebar.button if "in the link" in b.label]
    assert button.label == "Put the 2 uploaded sites in the link"
    button.click().run()
    assert not at.exception and not at.sidebar.error
    assert at.query_params["coords"].splitlines() == ["Rzeszów airport: 50.11,22.02",
                                                      "Site: two: 51,21"]  # fmt: skip
    assert at.sidebar.file_uploader[0].value is None  # moved, not doubled
    tips = [f["properties"]["tooltip"] for f in features(map_script(at), "rm-site")]
    assert len(tips) == 4 and any("Site: two" in t for t in tips)
    assert not any("does not hold uploaded" in c.value for c in at.sidebar.caption)


def test_an_oversize_upload_is_refused():
    at = run()
    big = b"name,lat,lon\n" + b"X,1,2\n" * 400_000  # 2.4 MB
    at.sidebar.file_uploader[0].upload("big.csv", big, "text/csv")
    at.run()
    assert not at.exception
    assert any("over the limit" in e.value for e in at.sidebar.error)
    assert len(features(map_script(at), "rm-site")) == 2


def test_a_malformed_geojson_upload_is_an_error_message():
    at = run()
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": [1],
                "geometry": {"type": "Point", "coordinates": [1, 2]},
            }
        ],
    }
    at.sidebar.file_uploader[0].upload("x.geojson", json.dumps(doc).encode(), "application/json")
    at.run()
    assert not at.exception and at.sidebar.error


def test_regression_14_the_country_filter_filters_the_systems_list():
    """Issue 14 bug 3: with Country = CHN the list still offered 9M728, Kalibr, Sarmat."""
    at = run()
    at.multiselect(key="country").set_value(["CHN"]).run()
    offered = set(at.multiselect(key="systems").options)
    names = dict(zip(*(load_catalogue()[c] for c in ("id", "name")), strict=True))
    assert names["df-26"] in offered and names["df-21d"] in offered
    assert names["9m728"] not in offered and names["rs-28"] not in offered
    # A chosen system the filter hides stays in the list (so it can be removed), not drawn.
    assert {names["9m729"], names["iskander-m"]} <= offered
    assert ring_keys(at) == set()
    assert any("0 of 2 chosen systems pass the filters" in c.value for c in at.caption)


def test_regression_14_counts_read_as_words():
    """Issue 14 bug 10: "1 sites"."""
    at = run(systems="df-26", sites="guam", bands="nominal")
    (caption,) = [c.value for c in at.caption if "pass the filters" in c.value]
    assert "1 of 1 chosen system pass" in caption and "; 1 site; 1 ring." in caption


def test_query_parameters_reproduce_a_view():
    names = dict(zip(*(load_catalogue()[c] for c in ("id", "name")), strict=True))
    at = run(
        systems=[names["df-26"]], sites=["Guam", "Okinawa"], band="Nominal", region="East Asia"
    )
    assert not at.exception
    assert ring_keys(at) == {("df-26", "nominal")}
    (ring,) = features(map_script(at), "rm-ring")
    assert ring["properties"]["n_sites"] == 2
    assert at.subheader[0].value.startswith("Capitals in East Asia")


def test_regression_15_the_url_takes_ids_or_labels_and_says_what_it_did_not_understand():
    """?systems=df-26 showed the defaults: bound widgets matched only labels, silently."""
    at = run(systems=["df-26", "DF-62"], sites=["guam", "Okinawa"], region="east-asia",
             band="bogus", country="chn")  # fmt: skip
    assert not at.exception
    assert at.multiselect(key="systems").value == ["df-26"]
    assert at.multiselect(key="sites").value == ["guam", "okinawa"]
    assert at.selectbox(key="region").value == "east-asia" and at.multiselect(
        key="country"
    ).value == ["CHN"]
    warning = at.sidebar.warning[0].value.replace("\\", "")  # Markdown escapes removed
    assert "systems: DF-62" in warning and "bands: bogus" in warning
    # Issue 14: the URL is written back as short ids (labels break when a name changes).
    shared = at.query_params["systems"]  # one value is stored as a string
    assert (shared if isinstance(shared, list) else [shared]) == ["df-26"]
    assert at.query_params["region"] == "east-asia" and "band" not in at.query_params
    # <b> in a link is text, not markup.
    at = run(systems=["<b>x</b>"])
    assert "\\<b\\>x" in at.sidebar.warning[0].value


def test_catalogue_view_lists_systems_claims_and_links():
    at = run("Catalogue")
    assert not at.exception
    catalogue, claims, sources, *_ = (d.value for d in at.dataframe)
    n = len(load_catalogue())
    assert len(catalogue) == n and len(claims) == len(load_claims()) and len(sources) > n
    assert catalogue["Source"].dropna().str.startswith("http").all()
    assert {"Quality flag", "INF class", "Nominal figure from"} <= set(catalogue.columns)
    assert {"Kind", "Quality flag", "Date"} <= set(claims.columns)
    assert (sources["Kind"] != "—").all()
    config = json.loads(at.dataframe[0].proto.columns)
    assert config["Source"]["type_config"]["type"] == "link"
    at.toggle(key="inf").set_value(True).run()
    shown = at.dataframe[0].value
    assert 0 < len(shown) < n and set(shown["INF class"]) <= {"in", "disputed"}


def test_the_year_slider_draws_the_deployments_of_that_year():
    at = run()
    at.toggle(key="asof").set_value(True).run()
    at.slider(key="year").set_value(1987).run()
    assert not at.exception
    systems = {s for s, _ in ring_keys(at)}
    sites = " ".join(f["properties"]["tooltip"] for f in features(map_script(at), "rm-site"))
    assert {"pershing-2", "bgm-109g"} <= systems and "oreshnik" not in systems
    assert "Mutlangen" in sites and "Krichev" not in sites
    at.slider(key="year").set_value(2025).run()
    systems = {s for s, _ in ring_keys(at)}
    sites = " ".join(f["properties"]["tooltip"] for f in features(map_script(at), "rm-site"))
    assert "oreshnik" in systems and "pershing-2" not in systems and "Krichev" in sites
    assert "Deployments under way at the end of 2025" in " ".join(c.value for c in at.caption)
    at.checkbox(key="reported").check().run()  # asked: the SS-20, undated, at its sites
    assert {"rsd-10", "pershing-2"} <= {s for s, _ in ring_keys(at)}


def test_compare_view_maps_and_table():
    at = run("Compare")
    assert not at.exception
    # The gained/lost map, then one map per site.
    assert len(at.get("component_instance")) == 3
    # Issue 14: it says what it compares first (figures, region, population).
    (said,) = [c.value for c in at.caption if "Each pair of sites once" in c.value]
    assert "over the whole world" in said and "rangemap compare" in said
    small = features(map_script(at, 1), "rm-ring")  # the first site's own map
    assert {f["properties"]["system_id"] for f in small} == {"9m729", "iskander-m"}
    table = at.dataframe[0].value
    assert len(table) == 1 and {table["Site A"].item(), table["Site B"].item()} == {
        "Kaliningrad",
        "Asipovichy (Osipovichi) region",
    }  # each pair once
    settled = [c for c in table.columns if c.startswith("Settlement population")]
    assert settled and (table[settled].to_numpy() > 0).any()
    # The gained/lost map draws both changes, and its legend names the two sites.
    page = map_script(at, 0)
    gained, lost = (features(page, f"rm-change rm-change-{c}") for c in ("gained", "lost"))
    assert gained and lost
    assert "Kaliningrad" in page and "Asipovichy" in page
    at.multiselect(key="sites").set_value(
        ["kaliningrad", "belarus-asipovichy", "karelia-petrozavodsk"]
    ).run()
    (pick,) = [m for m in at.multiselect if m.label.startswith("Sites to compare")]
    pick.set_value(["kaliningrad", "belarus-asipovichy", "karelia-petrozavodsk"]).run()
    assert len(at.get("component_instance")) == 4 and len(at.dataframe[0].value) == 3
    at.selectbox(key="c_b").set_value("karelia-petrozavodsk").run()
    assert not at.exception and "Petrozavodsk" in map_script(at, 0)


def test_export_view_offers_downloads():
    at = run("Export")
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Rings (GeoJSON)", "Sites (GeoJSON)", "Coverage table (CSV)",
                      "This view as a scenario (TOML)", "Google Earth (KML)",
                      "QGIS (GeoPackage)", "Report figure (PNG, 300 dpi)"]  # fmt: skip


def test_export_offers_the_density_cells_when_the_layer_is_on():
    at = run("Export", density="true")
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert "Threat density cells (GeoPackage)" in labels
    assert "Threat density cells (GeoParquet)" in labels
    off = run("Export")
    assert not any("density" in b.label for b in off.get("download_button"))


def test_a_scenario_upload_sets_the_view_and_a_bad_one_is_a_message():
    at = run()
    toml = (b'systems = ["df-26"]\nsites = ["guam", {name = "Palau", lat = 7.5, lon = 134.6}]\n'
            b'bands = ["nominal"]\nregion = "east-asia"\n')  # fmt: skip
    at.sidebar.file_uploader[1].upload("view.toml", toml, "application/toml").run()
    assert not at.exception and not at.sidebar.error
    assert at.multiselect(key="systems").value == ["df-26"]
    assert at.multiselect(key="sites").value == ["guam"]
    # Issue 15: a named point keeps its name ("NAME: LAT,LON").
    assert at.text_area(key="coords").value == "Palau: 7.5,134.6"
    assert ring_keys(at) == {("df-26", "nominal")}
    sites = features(map_script(at), "rm-site")
    assert len(sites) == 2 and any("<b>Palau</b>" in f["properties"]["tooltip"] for f in sites)
    at.sidebar.file_uploader[1].upload("bad.toml", b'systems = ["df-62"]\nsites = ["guam"]\n',
                                       "application/toml").run()  # fmt: skip
    assert not at.exception
    assert "unknown system" in at.sidebar.error[0].value and "62" in at.sidebar.error[0].value
    assert ring_keys(at) == {("df-26", "nominal")}  # the view is kept


def test_regression_14_the_example_scenario_loads_whole():
    """Issue 14 bug 4: bands nominal+high became Nominal only and the title was not shown."""
    at = run()
    toml = (Path(APP).parent / "scenarios" / "example-east-asia.toml").read_bytes()
    at.sidebar.file_uploader[1].upload("example-east-asia.toml", toml, "application/toml").run()
    assert not at.exception and not at.sidebar.error
    assert at.segmented_control(key="bands").value == ["nominal", "high"]
    assert {b for _, b in ring_keys(at)} == {"nominal", "high"}
    assert {s for s, _ in ring_keys(at)} == {"tomahawk-typhon", "lrhw"}
    assert at.text_area(key="coords").value == "Notional site, Palau: 7.5,134.6"
    tips = [f["properties"]["tooltip"] for f in features(map_script(at), "rm-site")]
    assert len(tips) == 3 and any("Notional site, Palau" in t for t in tips)
    assert any("US mid-range systems at candidate Western Pacific sites"
               in m.value.replace("\\", "") for m in at.markdown)  # fmt: skip
    assert at.query_params["bands"] == ["nominal", "high"]  # ids in the link


@pytest.mark.slow
def test_full_catalogue_at_all_sites_draws_and_reruns():
    # Speed is measured by benchmarks/bench_dashboard.py, not asserted here.
    at = run()
    ids = ids_by_label()
    every = [ids[label] for label in at.multiselect(key="systems").options]  # "Select all"
    at.multiselect(key="systems").set_value(every)
    at.multiselect(key="sites").set_value(list(load_sites()["id"]))
    at.run()
    assert not at.exception
    n_rings = len(features(map_script(at), "rm-ring"))
    for change in (
        lambda: at.selectbox(key="region").set_value("world"),
        lambda: at.radio(key="basemap").set_value("osm"),
        lambda: at.toggle[-1].set_value(False),
    ):
        change()
        at.run()
        assert not at.exception
        assert len(features(map_script(at), "rm-ring")) == n_rings
    assert n_rings > 100


def test_isochrones_times_in_tooltips_and_table():
    """Issue 11: a warning-time layer, flight times in tooltips, the table and the export."""
    at = run()
    at.selectbox(key="iso_system").set_value("iskander-m").run()
    assert not at.exception and not at.error
    iso = features(map_script(at), "rm-iso")
    assert sorted({f["properties"]["minutes"] for f in iso}) == [5.0, 10.0, 15.0]
    assert all("min (" in f["properties"]["tooltip"] for f in iso)
    assert "Warning-time isochrones" in map_script(at)  # the legend says what they are
    targets = features(map_script(at), "rm-target-in")
    assert any("minimum-energy, boost 0–6 min (bound)" in f["properties"]["tooltip"]
               for f in targets)  # fmt: skip
    table = at.dataframe[0].value
    iskander = table.loc[table["System"].str.startswith("Iskander")]
    assert (iskander["Flight time, shortest (min)"] <= iskander["Flight time, longest (min)"]).all()
    assert any("minimum-energy" in c.value for c in at.caption)  # the model, said once
    # A system without a published speed says so, and draws nothing.
    at.selectbox(key="iso_system").set_value("9m729").run()
    assert "no published mean cruise speed" in at.error[0].value
    assert not features(map_script(at), "rm-iso")


def test_export_offers_the_isochrones():
    at = run("Export")
    at.selectbox(key="iso_system").set_value("iskander-m").run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Warning-time isochrones (GeoJSON)" in labels


def test_regression_15_an_upload_past_the_view_budget_is_refused_at_once():
    """10,000 uploaded sites under the default four figures held the server for 100 s."""
    rows = "".join(f"s{i},{(i % 100) * 0.1:.2f},{(i // 100) * 0.5:.2f}\n" for i in range(10_000))
    at = run()
    at.sidebar.file_uploader[0].upload("many.csv", b"name,lat,lon\n" + rows.encode(), "text/csv")
    at.run()  # join_sites refuses before any ring is made; bench_sessions times it
    assert any("over the limit of 10,000" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.get("component_instance")  # stopped before any map was built


def test_regression_15_a_heavy_upload_is_drawn_in_the_worker_process(monkeypatch):
    """Item 13: a view past rangemap.worker.HEAVY_RINGS is drawn outside the server's
    script threads (which share one interpreter lock with every other session)."""
    import rangemap.worker

    calls, real = [], rangemap.worker.in_worker
    monkeypatch.setattr(rangemap.worker, "in_worker",
                        lambda *a, **k: calls.append(a[0]) or real(*a, **k))  # fmt: skip
    rows = "".join(f"s{i},{(i % 50) * 0.2:.2f},{(i // 50) * 0.4:.2f}\n" for i in range(501))
    at = run()
    at.sidebar.file_uploader[0].upload("many.csv", b"name,lat,lon\n" + rows.encode(), "text/csv")
    at.run()
    assert not at.exception and not at.error
    assert len(calls) == 1  # 503 sites x 4 figures = 2,012 rings > 2,000
    assert any("2,012 rings" in c.value for c in at.caption)
    assert features(map_script(at), "rm-ring")  # the worker's layers reach the map


def test_target_tab_lists_who_reaches_the_places_and_draws_launch_areas():
    at = run("Target", t_places="Guam; Tokyo; Manila")
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    df26 = table.loc[table["System"] == "DF-26"]
    # DF-26 deployed in China reaches all three (Qingzhou to Tokyo is 1,907 km).
    assert set(df26["Place"]) == {"Guam", "Tokyo", "Manila"}
    assert df26.loc[df26["Place"] == "Tokyo", "Nearest site (km)"].item() == 1910  # to 10 km
    assert list(table["System's country"]) == sorted(table["System's country"])  # grouped
    # The sidebar's systems (Europe's defaults): 9M729's 2,500 km reaches all three from
    # around Okinawa (2,276, 1,552 and 1,462 km); Iskander-M's 500 km cannot: said, not drawn.
    (warning,) = [w.value for w in at.warning]
    assert "no place is within range of all these places" in warning and "Iskander" in warning
    (drawn,) = features(map_script(at), "rm-area")
    assert "9M729" in drawn["properties"]["tooltip"]
    at.multiselect(key="t_systems").set_value(["df-26"]).run()
    assert not at.exception and not at.warning
    (area,) = features(map_script(at), "rm-area")
    assert "Launch area" in area["properties"]["tooltip"]
    assert "Launch areas (GeoJSON)" in [b.proto.label for b in at.get("download_button")]
    assert "Guam; Tokyo; Manila" in area["properties"]["tooltip"]
    # At least two of three: a larger area (more coordinates to draw it).
    at.number_input(key="t_k").set_value(2).run()
    (two,) = features(map_script(at), "rm-area")
    assert "at least 2 of 3 targets" in two["properties"]["tooltip"]
    assert len(features(map_script(at), "rm-target-in")) == 3


def test_target_tab_takes_capitals_and_refuses_an_unknown_place_in_one_message():
    at = run("Target")
    assert not at.dataframe and any("Choose a capital" in i.value for i in at.info)
    caps = load_targets("capitals").set_index("name")
    seoul = f"Seoul: {caps.loc['Seoul', 'lat']},{caps.loc['Seoul', 'lon']}"  # the widget's value
    at.multiselect(key="t_caps").set_value([seoul]).run()
    assert "Seoul" in set(at.dataframe[0].value["Place"])
    at.text_input(key="t_places").set_value(f"Atlantis; {XSS}").run()
    assert not at.exception
    assert len(at.error) == 1 and "unknown target" in at.error[0].value


def test_map_tab_draws_the_reach_from_a_whole_country():
    at = run()
    at.selectbox(key="reach_from").set_value("BLR").run()
    assert not at.exception and not at.error
    areas = features(map_script(at), "rm-area")
    # One area per drawn system's nominal figure: 9M729 and Iskander-M from Belarus.
    assert len(areas) == 2
    assert all("Reach from anywhere in Belarus" in a["properties"]["tooltip"] for a in areas)
    assert "Reach from a region" in map_script(at)  # the legend names the layer
    export = run("Export")
    export.selectbox(key="reach_from").set_value("BLR").run()
    labels = [b.proto.label for b in export.get("download_button")]
    assert "Reach from Belarus (GeoJSON)" in labels


def test_basing_tab_ranks_sites_and_adds_one_to_compare():
    """Issue 13: a sweep from the dashboard, its table and map, and a site sent to Compare."""
    at = run("Basing")
    assert not at.exception and "press Run sweep" in at.info[0].value
    at.selectbox(key="b_within").set_value("POL")  # a bare 1,000 km radius by default
    at.segmented_control(key="b_goal").set_value("capitals")
    at.segmented_control(key="b_grid").set_value(100)
    at.number_input(key="b_top").set_value(3)
    at.button[0].click().run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert list(table.columns)[:4] == ["Rank", "Nearest settlement", "Latitude (°)",
                                       "Longitude (°)"]  # fmt: skip
    assert "Capitals in range" in table.columns
    assert table["Rank"].tolist() == [1, 2, 3]
    assert table["Nearest settlement"].str.contains(", POL").all()
    assert "capitals in range" in at.subheader[0].value
    note = " ".join(c.value for c in at.caption)
    assert "value\\_exact, an exact recount" in note and "HEALPix" in note
    page = map_script(at)
    assert features(page, "rm-heat") and page.count('class=\\"rm-rank\\"') == 3
    assert "capitals in range" in page  # the heat legend says what the cells count
    # Send the second site to Compare: it joins the typed sites and is picked there.
    at.selectbox(key="b_pick").set_value(2)
    [b for b in at.button if b.label == "Add to Compare"][0].click().run()
    (line,) = at.text_area(key="coords").value.splitlines()
    name = line.rpartition(":")[0]
    assert name.startswith("Basing #2 (near ") and name.endswith(", POL)")
    at.query_params["view"] = "Compare"
    at.run()
    assert not at.exception
    (pick,) = [m for m in at.multiselect if m.label.startswith("Sites to compare")]
    assert name in pick.options and len(pick.value) == 3
    assert name in set(at.dataframe[0].value["Site B"]) | set(at.dataframe[0].value["Site A"])


def test_threat_density_layer_draws_cells_with_their_legend():
    """Issue 13: the density layer under the rings, as of the timeline's year (1987: cheap)."""
    at = run(density="true", asof="true", year="1987")
    assert not at.exception and not at.error and at.checkbox(key="density").value
    page = map_script(at)
    cells = features(page, "rm-heat")
    assert cells and all("(system, site) pairs</b> reach this cell" in c["properties"]["tooltip"]
                         for c in cells)  # fmt: skip
    legend = "(system, site) pairs whose nominal range reaches the cell centre; as of 1987-12-31"
    assert legend in page
    assert {"pershing-2", "bgm-109g"} <= {s for s, _ in ring_keys(at)}  # rings stay on top
    at.checkbox(key="density").uncheck().run()
    assert not features(map_script(at), "rm-heat") and legend not in map_script(at)
