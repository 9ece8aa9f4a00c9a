"""KML, GeoPackage, CSV and GeoJSON layers: round trips, styles, escaping, atomic writes."""

from __future__ import annotations

import csv
import html.parser
import io
import json
import math
import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from rangemap import formats
from rangemap.errors import ExportError, OptionError
from rangemap.formats import LayerFormat, dumps_csv, read_layers, to_kml, write_layers
from rangemap.layers import LAYER_NAMES, RING_FIELDS, SITE_FIELDS, TARGET_FIELDS, build_layers
from rangemap.rings import range_rings
from rangemap.sites import load_sites
from rangemap.style import band_style, system_colors
from rangemap.targets import load_targets

FIELDS = {"rings": RING_FIELDS, "sites": SITE_FIELDS, "targets": TARGET_FIELDS}
KML_NS = {"k": "http://www.opengis.net/kml/2.2"}

SITES_CSV = '''id,name,country,lat,lon,kind,note,source
fiji,Fiji <b>&amp; co</b>,FJI,-17.7,178.1,hypothetical,"Crosses 180°, ""quoted""",https://example.org/a?b=1&c=2
tokyo,東京試験場,JPN,35.68,139.77,user,CJK name,
tehran,طهران,IRN,35.69,51.39,user,right-to-left name,
'''.encode()

TARGETS_CSV = """name,country,lat,lon,population,capital
Suva,FJI,-18.1368,178.4253,77366,true
横浜,JPN,35.44,139.64,3700000,false
Nuku'alofa <script>alert(1)</script>,TON,-21.14,-175.2,23000,true
قم,IRN,34.64,50.88,1201158,false
Far away,BRA,-15.8,-47.9,1,false
""".encode()


@pytest.fixture(scope="module")
def layers():
    sites = load_sites(SITES_CSV, name="sites.csv", default_kind="user")
    rings = range_rings(["df-21", "df-26"], ["fiji", "tokyo", "tehran"],
                        band="all", site_table=sites)  # fmt: skip
    targets = load_targets(TARGETS_CSV, name="targets.csv")
    return build_layers(rings, site_table=sites, targets=targets, title="Test <layers>")


def _as_multi(geom):
    if geom.geom_type == "Polygon":
        return shapely.MultiPolygon([geom])
    return geom


def _assert_same_layer(name, original, back):
    assert len(back) == len(original), name
    for col in FIELDS[name]:
        assert col in back.columns, (name, col)
        for a, b in zip(original[col], back[col], strict=True):
            if isinstance(a, (float, np.floating)) and math.isnan(a):
                assert b is None or (isinstance(b, float) and math.isnan(b)), (name, col, b)
            elif isinstance(a, (bool, np.bool_)):
                assert bool(b) == bool(a), (name, col)
            elif isinstance(a, (int, float, np.integer, np.floating)):
                assert float(b) == pytest.approx(float(a), abs=1e-9), (name, col)
            else:
                assert ("" if b is None or (isinstance(b, float) and math.isnan(b)) else b) == a
    for g0, g1 in zip(original.geometry, back.geometry, strict=True):
        a, b = _as_multi(g0), _as_multi(g1)
        assert a.geom_type == b.geom_type
        assert shapely.hausdorff_distance(a, b) < 1e-6


def test_layers_hold_the_expected_features(layers):
    assert {"nominal", "low"} <= set(layers.rings["band"])
    assert len(layers.sites) == 3
    names = set(layers.targets["target"])
    assert {"Suva", "横浜", "قم"} <= names and "Far away" not in names
    # Fiji's ring crosses the antimeridian: cut there, as RFC 7946 asks.
    fiji = layers.rings.loc[layers.rings["site_id"] == "fiji"].geometry.iloc[0]
    assert fiji.geom_type == "MultiPolygon" and fiji.bounds[0] == -180.0


@pytest.mark.parametrize("fmt", [f.value for f in LayerFormat])
def test_round_trip_with_gdal(layers, fmt, tmp_path):
    out = write_layers(layers, tmp_path / f"layers.{fmt}")
    if fmt in ("kml", "gpkg"):
        # KML holds the rings last (LIBKML rewrites the file on each append).
        order = ["sites", "targets", "rings"] if fmt == "kml" else list(LAYER_NAMES)
        assert [str(n) for n, _ in pyogrio.list_layers(out)] == order
        for name in LAYER_NAMES:
            back = pyogrio.read_dataframe(out, layer=name)
            if fmt == "kml":
                # LIBKML adds KML's own placemark fields; the label is KML's <name>.
                assert "Name" in back.columns and "description" in back.columns
            _assert_same_layer(name, getattr(layers, name), back)
    else:
        options = {"GEOM_POSSIBLE_NAMES": "wkt", "KEEP_GEOM_COLUMNS": "NO"} if fmt == "csv" else {}
        whole = pyogrio.read_dataframe(out, **options)
        assert list(dict.fromkeys(whole["layer"])) == list(LAYER_NAMES)
        for name, frame in read_layers(out).items():
            _assert_same_layer(name, getattr(layers, name), frame)


def test_read_layers_undoes_kml_and_csv_specifics(layers, tmp_path):
    for fmt in ("kml", "csv", "gpkg"):
        back = read_layers(write_layers(layers, tmp_path / f"x.{fmt}"))
        for name in LAYER_NAMES:
            assert list(back[name].columns) == [*FIELDS[name], "geometry"], (fmt, name)
            _assert_same_layer(name, getattr(layers, name), back[name])


def test_rtl_and_cjk_names_survive_every_format(layers, tmp_path):
    for fmt in ("kml", "gpkg", "csv", "geojson"):
        back = read_layers(write_layers(layers, tmp_path / f"names.{fmt}"))
        assert {"東京試験場", "طهران"} <= set(back["sites"]["site"]), fmt
        assert {"横浜", "قم"} <= set(back["targets"]["target"]), fmt


def test_csv_starts_with_a_bom_and_is_utf8(layers, tmp_path):
    raw = write_layers(layers, tmp_path / "x.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text == dumps_csv(layers)
    assert text.splitlines()[0].startswith("layer,") and text.splitlines()[0].endswith(",wkt")


def _placemarks(path):
    doc = ET.parse(path).getroot()
    out = {}
    for folder in doc.iter("{http://www.opengis.net/kml/2.2}Folder"):
        name = folder.find("k:name", KML_NS).text
        out[name] = folder.findall("k:Placemark", KML_NS)
    return out


def _kml_color(hex_rgb, alpha):
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"{alpha}{b}{g}{r}".lower()


def test_kml_rings_are_styled_in_their_system_colour(layers, tmp_path):
    marks = _placemarks(to_kml(layers, tmp_path / "x.kml"))
    assert [len(marks[n]) for n in LAYER_NAMES] == [len(getattr(layers, n)) for n in LAYER_NAMES]
    colors = system_colors(layers.rings["system_id"])
    for mark, (_, row) in zip(marks["rings"], layers.rings.iterrows(), strict=True):
        line = mark.find("k:Style/k:LineStyle/k:color", KML_NS).text
        opacity = round(255 * band_style(row["band"]).opacity)
        assert line == _kml_color(colors[row["system_id"]], f"{opacity:02x}")
        assert mark.find("k:Style/k:PolyStyle", KML_NS) is not None
    for mark in marks["sites"] + marks["targets"]:
        href = mark.find("k:Style/k:IconStyle/k:Icon/k:href", KML_NS).text
        assert href.startswith("http://maps.google.com/mapfiles/kml/")


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.hrefs += [v for k, v in attrs if k == "href"]

    def handle_data(self, data):
        self.text.append(data)


def _description(mark) -> _Tags:
    parser = _Tags()
    parser.feed(mark.find("k:description", KML_NS).text)
    return parser


def test_kml_descriptions_give_figures_and_sources_html_escaped(layers, tmp_path):
    marks = _placemarks(to_kml(layers, tmp_path / "x.kml"))
    ring = _description(marks["rings"][0])
    row = layers.rings.iloc[0]
    assert f"{row['radius_km']:,.0f} km" in "".join(ring.text)
    assert ring.hrefs == row["sources"].split()
    assert "WGS84" in "".join(ring.text)
    sites = {m.find("k:name", KML_NS).text: _description(m) for m in marks["sites"]}
    fiji = sites["Fiji <b>&amp; co</b>"]
    # The site's name is text, not markup: no <b> element came from it.
    assert "Fiji <b>&amp; co</b>" in "".join(fiji.text) and fiji.tags.count("b") == 1
    assert fiji.hrefs == ["https://example.org/a?b=1&c=2"]
    targets = [_description(m) for m in marks["targets"]]
    assert not any("script" in t.tags for t in targets)
    assert any("<script>alert(1)</script>" in "".join(t.text) for t in targets)


def test_unknown_format_lists_the_valid_ones(layers, tmp_path):
    with pytest.raises(OptionError, match=r"geojson, kml, gpkg, csv; got 'shp'"):
        write_layers(layers, tmp_path / "x.shp")
    with pytest.raises(OptionError, match="got 'xlsx'"):
        write_layers(layers, tmp_path / "x.csv", format="xlsx")


def test_text_outputs_are_byte_stable(layers, tmp_path):
    for fmt in ("geojson", "kml", "csv"):
        a = write_layers(layers, tmp_path / f"a.{fmt}").read_bytes()
        b = write_layers(layers, tmp_path / f"b.{fmt}").read_bytes()
        assert a == b, fmt


def _folder_listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("fmt", ["kml", "gpkg"])
def test_gdal_failure_midway_leaves_no_partial_file(layers, tmp_path, monkeypatch, fmt):
    dest = tmp_path / f"out.{fmt}"
    dest.write_bytes(b"previous good file")
    real = pyogrio.write_dataframe
    calls = []

    def fail_on_second_layer(df, path, *args, **kwargs):
        calls.append(kwargs.get("layer"))
        if len(calls) == 2:
            Path(path).write_bytes(b"half written")  # a crash in the middle of the write
            raise pyogrio.errors.DataSourceError("simulated: disk full")
        return real(df, path, *args, **kwargs)

    monkeypatch.setattr(formats.pyogrio, "write_dataframe", fail_on_second_layer)
    with pytest.raises(ExportError, match="simulated: disk full"):
        write_layers(layers, dest)
    assert dest.read_bytes() == b"previous good file"
    assert _folder_listing(tmp_path) == [dest.name]


def test_text_failure_leaves_no_partial_file(layers, tmp_path, monkeypatch):
    dest = tmp_path / "out.csv"

    def no_rename(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(formats.os, "replace", no_rename)
    with pytest.raises(ExportError, match="No space left"):
        write_layers(layers, dest)
    assert _folder_listing(tmp_path) == []


def test_missing_folder_and_folder_destination_are_refused(layers, tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        write_layers(layers, tmp_path / "nope" / "x.kml")
    (tmp_path / "d.gpkg").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        write_layers(layers, tmp_path / "d.gpkg")


def test_written_files_follow_the_umask(layers, tmp_path):
    old = os.umask(0o022)
    try:
        for fmt in ("csv", "kml"):
            mode = stat.S_IMODE(write_layers(layers, tmp_path / f"m.{fmt}").stat().st_mode)
            assert mode == 0o644, (fmt, oct(mode))
    finally:
        os.umask(old)


def test_empty_layers_still_write_and_read(tmp_path):
    lone = build_layers(range_rings(["df-26"], ["guam"]))  # no targets given
    assert len(lone.targets) == 0
    for fmt in ("kml", "gpkg", "csv", "geojson"):
        back = read_layers(write_layers(lone, tmp_path / f"e.{fmt}"))
        assert len(back["rings"]) == 1 and len(back["targets"]) == 0, fmt


def test_system_colors_are_stable_and_distinct():
    ids = [f"s{i}" for i in range(8)]
    colors = system_colors(ids)
    assert len(set(colors.values())) == 8
    assert system_colors(reversed(ids))["s7"] == colors["s0"]


def test_targets_layer_uses_exact_distances(layers):
    row = layers.targets.set_index("target").loc["Suva"]
    assert row["nearest_site"] == "Fiji <b>&amp; co</b>"
    assert row["distance_km"] == pytest.approx(59.373, abs=1e-3)
    assert row["capital"] and row["n_rings"] >= 1
    assert pd.api.types.is_integer_dtype(layers.targets["n_rings"])


def test_control_characters_and_formulas_are_made_harmless(tmp_path):
    csv = b'name,lat,lon\na\x01b,10,10\n=HYPERLINK("http://x"),11,11\n\'=x,12,12\n'
    sites = load_sites(csv, name="s.csv")
    lone = build_layers(range_rings(["df-21"], [*sites["name"], "-17.7,178.1"], site_table=sites))
    # KML: XML cannot hold U+0001; the file must still open (the name shows U+FFFD).
    back = read_layers(write_layers(lone, tmp_path / "c.kml"))
    assert "a\ufffdb" in set(back["sites"]["site"])
    # CSV: a formula is defused for spreadsheets, and read back exactly.
    text = dumps_csv(lone)
    assert "'=HYPERLINK" in text and '\n"=HYPERLINK' not in text and ",=HYPERLINK" not in text
    assert ',"-17.7,178.1",' in text  # typed coordinates are data, not formulas
    back = read_layers(write_layers(lone, tmp_path / "c.csv"))
    assert list(back["sites"]["site"]) == list(lone.sites["site"])


def test_regression_15_cdata_end_in_a_name_gives_a_valid_kml(tmp_path):
    """A site named with ``]]>`` made LIBKML write a file that was not well-formed."""
    name = "x]]> <b>&</b>"
    table = load_sites(f"name,lat,lon\n{name},10,20\n".encode(), name="s.csv")
    rings = range_rings(["df-26"], table["id"].tolist(), site_table=table)
    path = to_kml(build_layers(rings, site_table=table), tmp_path / "x.kml")
    ET.parse(path)  # well-formed
    back = read_layers(path)
    assert [s.replace("\u200b", "") for s in back["sites"]["site"]] == [name]
    assert [s.replace("\u200b", "") for s in back["rings"]["site"]] == [name]


def test_regression_15_layers_csv_uses_the_one_formula_rule(tmp_path):
    """The layers CSV had its own rule, which let ``-2+3`` through (a minus sign followed
    by a digit counted as a number); every CSV now uses rangemap._io's one rule."""
    names = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2+3", "-17.7"]
    body = "name,lat,lon\n" + "".join(f'"{n.replace(chr(34), 2 * chr(34))}",10,{10 + i}\n'
                                      for i, n in enumerate(names))  # fmt: skip
    sites = load_sites(body.encode(), name="s.csv")
    layers = build_layers(range_rings(["df-21"], [*sites["id"], "-17.7,178.1"], site_table=sites))
    rows = list(csv.DictReader(io.StringIO(dumps_csv(layers), newline="")))
    # A negative number and typed coordinates are data, not formulas.
    data = {"-17.7", "-17.7,178.1"}
    assert {r["site"] for r in rows if r["layer"] == "sites"} == {"'" + n for n in names[:4]} | data
    back = read_layers(write_layers(layers, tmp_path / "x.csv"))
    assert list(back["sites"]["site"]) == list(layers.sites["site"])


# --- launch areas and the reach from a region (write_areas) --------------------------------

HOSTILE = "<b>x</b>]]>"
SCRIPT = "<script>a\x01</script>"


@pytest.fixture(scope="module")
def area_targets():
    from rangemap.targets import resolve_targets

    targets = resolve_targets(["Hagåtña", "Tokyo", "Manila", "20,130", "22,133"])
    targets.loc[3, "name"] = HOSTILE  # two hostile names, both inside the area's reach
    targets.loc[4, "name"] = SCRIPT
    return targets


@pytest.fixture(scope="module")
def launch(area_targets):
    from rangemap.launch import launch_areas

    return launch_areas(area_targets, radius_km=4000)


@pytest.fixture(scope="module")
def belarus():
    from rangemap.regionreach import country_region, reach_from_frame

    name, outline = country_region("BLR")
    return reach_from_frame(outline, radius_km=500, name=name, outline="Natural Earth 1:110m")


def _names(frame):
    return [str(n).replace("\u200b", "") for n in frame]


@pytest.mark.parametrize("fmt", ["kml", "gpkg", "geojson"])
def test_write_areas_round_trips_layers_counts_and_figures(launch, area_targets, fmt, tmp_path):
    assert not launch.geometry.iloc[0].is_empty
    path = formats.write_areas(launch, tmp_path / f"a.{fmt}", points=area_targets)
    if fmt == "geojson":
        whole = pyogrio.read_dataframe(path)
        areas = whole.loc[whole["layer"] == "areas"].reset_index(drop=True)
        points = whole.loc[whole["layer"] == "targets"].reset_index(drop=True)
    else:
        assert [str(n) for n, _ in pyogrio.list_layers(path)] == ["areas", "targets"]
        areas = pyogrio.read_dataframe(path, layer="areas")
        points = pyogrio.read_dataframe(path, layer="targets")
    assert len(areas) == 1 and len(points) == len(area_targets)
    assert float(areas["radius_km"].iloc[0]) == 4000.0
    assert float(areas["area_km2"].iloc[0]) == pytest.approx(launch["area_km2"].iloc[0], rel=1e-9)
    assert int(areas["n_targets"].iloc[0]) == 5
    # The hostile names survive (KML: U+FFFD for the control character, and a zero-width
    # space inside "]]>"), in the targets layer and in the areas' "targets" attribute.
    shown_script = SCRIPT.replace("\x01", "\ufffd") if fmt == "kml" else SCRIPT
    names = points["Name"] if fmt == "kml" else points["name"]
    assert _names(names)[3:] == [HOSTILE, shown_script]
    assert HOSTILE in areas["targets"].iloc[0].replace("\u200b", "")
    assert shapely.hausdorff_distance(_as_multi(areas.geometry.iloc[0]),
                                      _as_multi(launch.geometry.iloc[0])) < 1e-5  # fmt: skip


def test_kml_areas_are_named_styled_in_the_row_colour_and_escaped(launch, area_targets, tmp_path):
    from rangemap.launch import LAUNCH_METHOD_TEXT
    from rangemap.style import PALETTE

    path = formats.write_areas(launch, tmp_path / "a.kml", points=area_targets)
    tags = {el.tag.split("}")[-1] for el in ET.parse(path).iter()}  # well-formed XML
    assert not tags & {"script", "b"}  # names are text or CDATA, never elements
    marks = _placemarks(path)
    assert list(marks) == ["areas", "targets"]
    (area,) = marks["areas"]
    assert area.find("k:name", KML_NS).text == "Launch area — 4,000 km"
    fill = area.find("k:Style/k:PolyStyle/k:color", KML_NS).text
    assert fill == _kml_color(PALETTE[0], f"{round(255 * band_style('nominal').fill_opacity):02x}")
    balloon = _description(area)
    text = "".join(balloon.text)
    assert "4,000 km" in text and LAUNCH_METHOD_TEXT in text
    assert HOSTILE in text.replace("\u200b", "") and "script" not in balloon.tags
    targets = {m.find("k:name", KML_NS).text.replace("\u200b", ""): _description(m)
               for m in marks["targets"]}  # fmt: skip
    hostile = targets[HOSTILE]
    assert hostile.tags.count("b") == 1 and HOSTILE in "".join(hostile.text).replace("\u200b", "")
    assert not any("script" in t.tags for t in targets.values())


def test_reach_from_a_region_is_named_and_keeps_its_columns(belarus, tmp_path):
    from rangemap.regionreach import REGION_METHOD_TEXT

    marks = _placemarks(formats.write_areas(belarus, tmp_path / "r.kml"))
    assert list(marks) == ["areas"]
    (mark,) = marks["areas"]
    assert mark.find("k:name", KML_NS).text == "Reach from Belarus — 500 km"
    text = "".join(_description(mark).text)
    assert "Natural Earth 1:110m" in text and REGION_METHOD_TEXT in text
    back = pyogrio.read_dataframe(formats.write_areas(belarus, tmp_path / "r.gpkg"), layer="areas")
    assert list(back.columns) == [*belarus.columns[:-1], "geometry"]
    assert back["region"].tolist() == ["Belarus"] and back["radius_km"].tolist() == [500.0]


def test_empty_areas_are_left_out_and_an_empty_layer_still_written(area_targets, tmp_path):
    from rangemap.launch import launch_areas
    from rangemap.style import PALETTE

    three = area_targets.iloc[:3]
    mixed = pd.concat([launch_areas(three, radius_km=1000), launch_areas(three, radius_km=4000)],
                      ignore_index=True)  # fmt: skip
    assert mixed.geometry.is_empty.tolist() == [True, False]  # Guam-Manila is 2,600 km
    marks = _placemarks(formats.write_areas(mixed, tmp_path / "m.kml"))
    (mark,) = marks["areas"]  # only the non-empty row, in its own row's colour
    line = mark.find("k:Style/k:LineStyle/k:color", KML_NS).text
    assert line == _kml_color(PALETTE[1], "f2")
    nothing = mixed.iloc[:1]
    for fmt in ("kml", "gpkg", "geojson"):
        path = formats.write_areas(nothing, tmp_path / f"e.{fmt}", points=three)
        if fmt == "geojson":
            assert set(pyogrio.read_dataframe(path)["layer"]) == {"targets"}
            continue
        assert [str(n) for n, _ in pyogrio.list_layers(path)] == ["areas", "targets"]
        assert len(pyogrio.read_dataframe(path, layer="areas")) == 0, fmt
        assert len(pyogrio.read_dataframe(path, layer="targets")) == 3, fmt
    collection = json.loads(formats.write_areas(nothing, tmp_path / "n.json").read_text())
    assert collection == {"type": "FeatureCollection", "features": []}  # .json is GeoJSON


def test_write_areas_refuses_bad_formats_layers_and_targets(launch, area_targets, tmp_path):
    with pytest.raises(OptionError, match=r"area format must be one of geojson, kml, gpkg; "
                                          r"got 'shp'"):  # fmt: skip
        formats.write_areas(launch, tmp_path / "a.shp")
    with pytest.raises(OptionError, match="got 'csv'"):
        formats.write_areas(launch, tmp_path / "a.kml", format="csv")
    with pytest.raises(ExportError, match="other than 'targets', got 'targets'"):
        formats.write_areas(launch, tmp_path / "a.kml", points=area_targets, layer="targets")
    with pytest.raises(ExportError, match=r"missing \['lat'\]"):
        formats.write_areas(launch, tmp_path / "a.kml", points=area_targets.drop(columns="lat"))
    with pytest.raises(ExportError, match="EPSG:4326"):
        formats.write_areas(launch.to_crs(3857), tmp_path / "a.gpkg")
    assert list(tmp_path.iterdir()) == []


def test_write_areas_failure_midway_leaves_the_old_file(launch, area_targets, tmp_path,
                                                        monkeypatch):  # fmt: skip
    dest = tmp_path / "a.gpkg"
    dest.write_bytes(b"previous good file")
    real = pyogrio.write_dataframe

    def fail_on_targets(df, path, *args, **kwargs):
        if kwargs.get("layer") == "targets":
            raise pyogrio.errors.DataSourceError("simulated: disk full")
        return real(df, path, *args, **kwargs)

    monkeypatch.setattr(formats.pyogrio, "write_dataframe", fail_on_targets)
    with pytest.raises(ExportError, match="simulated: disk full"):
        formats.write_areas(launch, dest, points=area_targets)
    assert dest.read_bytes() == b"previous good file"
    assert _folder_listing(tmp_path) == [dest.name]
