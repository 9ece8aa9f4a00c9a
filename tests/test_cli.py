"""rangemap.cli: the command-line contract of issues 2 and 3."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from conftest import CliRun

from rangemap.cli import main


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_systems_filters_and_formats():
    code, text = run("systems", "--inf-only", "--country", "CHN", "--format", "json")
    rows = json.loads(text)
    assert code == 0 and rows and all(r["country"] == "CHN" and r["inf_class"] for r in rows)
    code, text = run("systems", "--class", "GLCM", "--format", "csv")
    assert text.splitlines()[0].startswith("id,name,")
    assert all(",GLCM," in line for line in text.splitlines()[1:])


def test_systems_claims():
    code, text = run("systems", "--claims", "--format", "csv")
    assert "9m729,480" in text.replace(".0,", ",")


def test_sites_table():
    code, text = run("sites")
    assert code == 0 and "kaliningrad" in text


def test_ring_negative_coordinates_as_people_type_them(tmp_path):
    out = tmp_path / "ring.geojson"
    code, _ = run("ring", "--center", "-17.7,178.1", "--radius-km", "1000", "-o", str(out))
    fc = json.loads(out.read_text())
    assert code == 0 and fc["features"][0]["geometry"]["type"] == "MultiPolygon"


def test_ring_annulus_to_stdout():
    code, text = run("ring", "--center=54.7,20.5", "--radius-km", "500", "--min-radius-km", "50")
    geom = json.loads(text)["features"][0]["geometry"]
    assert geom["type"] == "Polygon" and len(geom["coordinates"]) == 2  # exterior + hole


def test_rings_several_systems_and_sites():
    code, text = run(
        "rings",
        "--system",
        "DF-26",
        "--system",
        "SSC-8",
        "--site",
        "guam",
        "--site",
        "-33.9,151.2",
        "--band",
        "all",
    )
    feats = json.loads(text)["features"]
    # Per site: DF-26 nominal, low, high; 9M729 nominal and low (its high equals nominal).
    assert code == 0 and len(feats) == 10
    assert {f["properties"]["band"] for f in feats} == {"nominal", "low", "high"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["rings", "--system", "DF-62", "--site", "guam"], "unknown system 'DF-62'; closest:"),
        (["rings", "--system", "df-26", "--site", "gaum"], "unknown site 'gaum'; closest: 'guam'"),
        (["ring", "--center", "95,10", "--radius-km", "100"], "latitude"),
        (["ring", "--center", "10,10", "--radius-km", "-5"], "--radius-km must be"),
        (["ring", "--center", "10,10", "--radius-km", "nan"], "got nan"),
        (["ring", "--center", "10,10", "--radius-km", "1e308"], "got 1e+308"),
        (
            ["ring", "--center", "1,1", "--radius-km", "100", "--min-radius-km", "200"],
            "--min-radius-km must be in [0, --radius-km=100.0), got 200.0",
        ),
        (["ring", "--center", "1,1", "--radius-km", "100", "--min-radius-km", "-20"], "got -20.0"),
        (
            ["coverage", "--site", "0,0", "--radius-km", "100", "--min-radius-km", "200"],
            "--min-radius-km must be",
        ),
        (["ring", "--center", "1,1"], "required: --radius-km"),
        (["coverage", "--site", "guam"], "give --system"),
        (["compare", "--system", "df-26", "--site", "guam"], "two or more --site"),
    ],
)
def test_bad_input_exits_2_with_one_line(argv, message, capsys):
    try:
        code, _ = run(*argv)
    except SystemExit as exc:  # argparse usage errors exit from parse_args
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_no_partial_file_on_error(tmp_path):
    out = tmp_path / "x.geojson"
    code, _ = run("rings", "--system", "nope", "--site", "guam", "-o", str(out))
    assert code == 2 and not out.exists()


def test_coverage_answers_typhon_in_luzon():
    code, text = run(
        "coverage",
        "--system",
        "tomahawk-typhon",
        "--site",
        "luzon-laoag",
        "--targets",
        "capitals",
        "--in-range-only",
        "--format",
        "json",
    )
    rows = json.loads(text)
    names = {r["target"] for r in rows}
    # Nominal 1,600 km from Laoag: Taipei (~670 km), Hanoi (~1,500 km) in; Beijing
    # (2,440 km) out.
    assert {"Taipei", "Hanoi", "Manila"} <= names and "Beijing" not in names
    assert all(r["in_range"] and r["margin_km"] >= 0 for r in rows)
    assert {
        "target",
        "country",
        "lat",
        "lon",
        "site",
        "system",
        "band",
        "distance_km",
        "in_range",
        "margin_km",
    } <= set(rows[0])


def test_coverage_with_radius_has_empty_system():
    code, text = run(
        "coverage",
        "--site",
        "kaliningrad",
        "--radius-km",
        "5500",
        "--region",
        "europe",
        "--format",
        "csv",
    )
    lines = text.splitlines()
    assert code == 0 and len(lines) > 20
    assert lines[1].split(",")[5] == ""


def test_area_and_compare():
    code, text = run(
        "area",
        "--site",
        "kaliningrad",
        "--radius-km",
        "5500",
        "--region",
        "europe",
        "--format",
        "json",
    )
    doc = json.loads(text)
    assert doc["share_of_region"] == pytest.approx(1.0)
    code, text = run(
        "compare",
        "--system",
        "df-26",
        "--site",
        "jilin-tonghua",
        "--site",
        "fujian-yongan",
        "--format",
        "json",
    )
    rows = json.loads(text)
    assert len(rows) == 2 and rows[0]["cities_a_only"] == rows[1]["cities_b_only"]


def test_console_script_runs():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "rangemap.cli",
            "ring",
            "--center",
            "-17.7,178.1",
            "--radius-km",
            "x",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "invalid float value" in proc.stderr


@pytest.mark.parametrize("command", ["ring", "coverage", "area"])
def test_regression_6_negative_minimum_radius_is_refused(command):
    where = ["--center", "0,0"] if command == "ring" else ["--site", "0,0"]
    run = CliRun([command, *where, "--radius-km", "100", "--min-radius-km", "-20"])
    run.check()
    assert run.code == 2 and "min" in run.err


def test_regression_6_coverage_minimum_above_maximum_is_refused():
    run = CliRun(["coverage", "--site", "0,0", "--radius-km", "100", "--min-radius-km", "200"])
    run.check()
    assert run.code == 2 and "min" in run.err
