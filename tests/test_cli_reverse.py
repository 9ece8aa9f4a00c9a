"""The reverse commands (rangemap.cli_reverse): launch-area and reach-from."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from rangemap.cli import main
from rangemap.geodesy import geodesic_distance_m


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def _geometry(doc):
    return shapely.union_all([shape(f["geometry"]) for f in doc["features"]])


def test_launch_area_for_df26_on_land(capsys):
    code, text = run("launch-area", "--target", "Guam", "--target", "Tokyo", "--target",
                     "Manila", "--system", "df-26", "--clip", "land")  # fmt: skip
    assert code == 0, capsys.readouterr().err
    doc = json.loads(text)
    (props,) = [f["properties"] for f in doc["features"]]
    assert props["system_id"] == "df-26" and props["band"] == "nominal"
    assert props["targets"] == "Guam; Tokyo; Manila" and props["n_targets"] == 3
    assert props["clip"].startswith("land")
    area = _geometry(doc)
    # Every vertex is on land and within the band (4,000 km) of each target, to 100 m
    # (vertices on the coast come from the land outline, inside the band).
    xy = np.asarray(shapely.get_coordinates(area))
    for lat, lon in ((13.48, 144.75), (35.6895, 139.69171), (14.6042, 120.9822)):
        d = geodesic_distance_m(lat1=lat, lon1=lon, lat2=xy[:, 1], lon2=xy[:, 0])
        assert d.max() <= 4_000_100.0
    assert area.covers(shapely.Point(113.6, 24.8))  # Shaoguan, DF-26's reported base
    assert not area.covers(shapely.Point(130.0, 20.0))  # the Philippine Sea: clipped


def test_launch_area_empty_is_an_empty_collection_and_a_message(capsys):
    code, text = run("launch-area", "--target", "0,0", "--target", "0,108",
                     "--radius-km", "5000")  # fmt: skip
    assert code == 0
    assert json.loads(text) == {"features": [], "type": "FeatureCollection"}
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no place is within 5,000 km of all of the targets" in err


def test_launch_area_at_least_and_minimum_range():
    code, text = run("launch-area", "--target", "Seoul", "--target", "Tokyo", "--target",
                     "-33.87,151.21", "--radius-km", "2500", "--min-radius-km", "300",
                     "--at-least", "2")  # fmt: skip
    assert code == 0
    area = _geometry(json.loads(text))
    assert area.covers(shapely.Point(131.0, 36.5))  # between Seoul and Tokyo, beyond 300 km
    assert not area.covers(shapely.Point(126.98, 37.57))  # Seoul itself: inside 300 km


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--target", "Tokyo"], "give --system ID or --radius-km R"),
        (["--target", "Tokyo", "--system", "df-26", "--radius-km", "5"], "one of them"),
        (["--target", "Tokyo", "--radius-km", "500", "--band", "high"], "--band goes with"),
        (["--target", "Tokio", "--radius-km", "500"], "unknown target 'Tokio'"),
        (["--target", "Tokyo", "--radius-km", "500", "--at-least", "2"], "at_least"),
        (["--target", "Tokyo", "--radius-km", "500", "--clip", "Atlantis"], "unknown country"),
        (["--target", "Tokyo", "--radius-km", "500", "-o", "x.shp"], "cannot tell the format"),
    ],
)
def test_launch_area_refusals_are_one_line(argv, message, capsys):
    code, _ = run("launch-area", *argv)
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1


def test_reach_from_country_every_band(tmp_path, capsys):
    out = tmp_path / "blr.geojson"
    code, text = run("reach-from", "--country", "belarus", "--system", "iskander-m",
                     "--band", "all", "-o", str(out))  # fmt: skip
    assert code == 0 and text == f"wrote {out}\n"
    doc = json.loads(out.read_text())
    props = [f["properties"] for f in doc["features"]]
    assert [(p["band"], p["radius_km"]) for p in props] == [("nominal", 500.0), ("high", 700.0)]
    assert all(p["region"] == "Belarus" and p["outline"] == "Natural Earth 1:110m" for p in props)
    nominal, high = (shape(f["geometry"]) for f in doc["features"])
    assert high.area > nominal.area
    berlin = shapely.Point(13.40, 52.52)  # 665 km from the outline
    assert not nominal.covers(berlin) and high.covers(berlin)


def test_reach_from_polygon_file_and_refusals(tmp_path, capsys):
    path = tmp_path / "box.geojson"
    path.write_text(json.dumps({"type": "Polygon", "coordinates": [
        [[179, -1], [180, -1], [180, 1], [179, 1], [179, -1]]]}))  # fmt: skip
    code, text = run("reach-from", "--polygon", str(path), "--radius-km", "300")
    assert code == 0
    area = _geometry(json.loads(text))
    assert area.covers(shapely.Point(-177.5, 0))  # 2.5 deg east of the box, over the 180th
    assert json.loads(text)["features"][0]["properties"]["region"] == "box"
    for argv, message in (
        (["--country", "BLR", "--radius-km", "12000"], "not below 9,500 km"),
        (["--country", "Narnia", "--radius-km", "100"], "unknown country 'Narnia'"),
        (["--radius-km", "100"], "--country ISO3|NAME or --polygon FILE"),
        (["--country", "BLR", "--system", "hn-2"], "no range figure for the 'nominal' band: HN-2"),
    ):
        code, _ = run("reach-from", *argv)
        err = capsys.readouterr().err
        assert code == 2 and message in err, (argv, err)


def test_help_shows_defaults_and_an_example(capsys):
    with pytest.raises(SystemExit):
        main(["launch-area", "--help"])
    text = capsys.readouterr().out
    assert "(default: nominal)" in text and "Examples:\n  rangemap launch-area" in text
    assert "(default: None)" not in text


def test_exports_kml_gpkg_figure_and_methods_note(tmp_path):
    import pyogrio

    note = tmp_path / "note.md"
    for suffix in ("kml", "gpkg", "png"):
        out = tmp_path / f"area.{suffix}"
        code, text = run("launch-area", "--target", "Guam", "--target", "Tokyo", "--system",
                         "df-26", "-o", str(out), "--methods-note", str(note), "--date",
                         "2026-12-02")  # fmt: skip
        assert code == 0 and text == f"wrote {out}\nwrote {note}\n"
        assert out.stat().st_size > 1000
        if suffix != "png":
            layers = [str(n) for n, _ in pyogrio.list_layers(out)]
            assert "areas" in layers and "targets" in layers
    text = note.read_text()
    assert "- Date: 2026-12-02" in text and "`area.png` (png)" in text
    assert "intersection of the targets' own rings" in text  # the method
    assert "| DF-26 | nominal | 4,000 |" in text and "| Guam | 13.4800 | 144.7500 |" in text
    code, _ = run("reach-from", "--country", "BLR", "--radius-km", "500", "-o",
                  str(tmp_path / "r.gpkg"), "--methods-note", str(note))  # fmt: skip
    assert code == 0
    assert "exact geodesic capsules" in note.read_text()
    assert "from Belarus (Natural Earth 1:110m)" in note.read_text()


# --- issue 14: countries by name -------------------------------------------------------------


def test_regression_14_reach_from_and_clip_take_country_names(capsys):
    """``--country 'North Korea'``, ``--clip 'north korea'``: the same as PRK."""
    by_code = run("reach-from", "--country", "PRK", "--radius-km", "300")
    by_name = run("reach-from", "--country", "North Korea", "--radius-km", "300")
    assert by_code[0] == by_name[0] == 0 and by_code[1] == by_name[1]
    argv = ["launch-area", "--target", "Seoul", "--target", "Tokyo", "--radius-km", "1500"]
    by_code = run(*argv, "--clip", "PRK")
    by_name = run(*argv, "--clip", "north korea")
    assert by_code[0] == by_name[0] == 0 and by_code[1] == by_name[1]
    assert "North Korea" in json.loads(by_name[1])["features"][0]["properties"]["clip"]
    code, _ = run("reach-from", "--country", "United States", "--radius-km", "300")
    assert code == 0
    for argv, message in (
        (["reach-from", "--country", "Soviet Union", "--radius-km", "300"],
         "--country: no shipped outline for the Soviet Union (SUN)"),
        (["reach-from", "--country", "Nroth Korea", "--radius-km", "300"],
         "--country: unknown country 'Nroth Korea'; closest: 'north korea'"),
    ):  # fmt: skip
        code, _ = run(*argv)
        err = capsys.readouterr().err
        assert code == 2 and message in err and err.count("\n") == 1, err


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("China, north korea", "CHN,PRK"), ("RUS,Belarus", "RUS,BLR"), ("land", "land"),
     ("Europe", "Europe"), ("anywhere", "anywhere"), ("area.geojson", "area.geojson"),
     ("the Netherlands", "NLD"), ("U.S.", "USA"), (None, None)],
)  # fmt: skip
def test_regression_14_area_specs_take_country_names(spec, expected):
    from rangemap.cli_reverse import area_spec

    assert area_spec(spec, option="--within") == expected
