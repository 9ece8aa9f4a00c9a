"""rangemap.cli: the command-line contract of issues 2 and 3."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CliRun

from rangemap.cli import main

ROOT = Path(__file__).resolve().parent.parent


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
    assert "9m729,9M729 (SSC-8 Screwdriver),official-declaration,480" in text.replace(".0,", ",")


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
        "shandong-qingzhou",
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


# --- issue 15: output that cannot be written is one line and exit 2, not a traceback -----


def _shell(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    code = "from rangemap.cli import main_entry; main_entry()"
    return subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120, **kwargs
    )


def _one_line_error(done: subprocess.CompletedProcess, *parts: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("rangemap: error: "), done.stderr
    for part in parts:
        assert part in lines[0], (part, lines[0])


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="Linux /dev/full")
def test_regression_15_full_disk_on_standard_output():
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-c", "from rangemap.cli import main_entry; main_entry()",
             "systems"], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    _one_line_error(done, "No space left on device")


def test_regression_15_closed_standard_output():
    code = (
        "import sys; sys.stdout = None; from rangemap.cli import main; sys.exit(main(['systems']))"
    )
    closed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    _one_line_error(closed, "standard output is closed")


def test_regression_15_terminal_encoding_that_cannot_show_a_name(tmp_path):
    sites = tmp_path / "cjk.csv"
    sites.write_text("name,lat,lon\n東京,35.7,139.7\n", encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = _shell(["sites", "--file", str(sites)], env=env)
    _one_line_error(done, "encoding (ascii)", "PYTHONIOENCODING=utf-8")


def test_regression_15_output_file_name_too_long(tmp_path):
    out = tmp_path / ("a" * 300 + ".geojson")
    done = _shell(["ring", "--center", "0,0", "--radius-km", "100", "-o", str(out)])
    _one_line_error(done, "cannot write", "File name too long")


def test_regression_15_data_dir_missing_files(tmp_path):
    for name in ("missiles.csv", "claims.csv", "sites.csv"):
        (tmp_path / name).write_bytes((ROOT / "data" / name).read_bytes())
    env = {**os.environ, "RANGEMAP_DATA_DIR": str(tmp_path)}
    done = _shell(["systems"], env=env)  # every figure cites data/sources.csv (issue 10)
    _one_line_error(done, "sources.csv", "cannot read file")
    for name in ("sources.csv", "inf_eliminated.csv"):
        (tmp_path / name).write_bytes((ROOT / "data" / name).read_bytes())
    done = _shell(["coverage", "--site", "guam", "--radius-km", "100"], env=env)
    _one_line_error(done, "cities.csv", "shipped data file missing")
    done = _shell(["area", "--site", "guam", "--radius-km", "100"], env=env)
    _one_line_error(done, "shipped data file missing")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ring", "--center", "0,0", "--radius-km", "1e-9"], "--radius-km must be a number in [1,"),
        (["ring", "--center", "0,0", "--radius-km", "10", "--min-radius-km", "0.5"],
         "must be 0 or at least 1, got 0.5"),
    ],
)  # fmt: skip
def test_regression_15_radius_below_the_minimum_is_refused(argv, message):
    """A 1e-9 km ring came out as a polygon whose vertices were all one point."""
    run = CliRun(argv)
    run.check()
    assert run.code == 2 and message in run.err


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_regression_15_a_stopped_export_leaves_nothing_behind(tmp_path, signum):
    """SIGTERM/SIGHUP left the export's hidden temporary folder; SIGINT printed a traceback."""
    out = tmp_path / "ring.geojson"
    code = f"""
import os, signal, sys, time
import rangemap._clio as clio
import rangemap.cli as cli
real = clio.write_atomic
def halfway(path, text):
    def writer(tmp):
        tmp.write_text(text[:100])
        os.kill(os.getpid(), {int(signum)})
        time.sleep(30)
    return real(path, writer)
clio.write_atomic = halfway
sys.argv = ["rangemap", "ring", "--center", "0,0", "--radius-km", "100", "-o", {str(out)!r}]
cli.main_entry()
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 128 + signum, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and signal.Signals(signum).name in lines[0], done.stderr
    assert list(tmp_path.iterdir()) == []


#: Names a spreadsheet would run as formulas (issue 15), and what only looks like one.
FORMULA_NAMES = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2+3"]


def _points_file(path: Path, names: list[str]) -> str:
    rows = [["name", "lat", "lon"]] + [[n, -17.7 + 0.1 * i, 178.2] for i, n in enumerate(names)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return str(path)


def _csv_rows(run_: CliRun) -> list[dict[str, str]]:
    run_.check()
    assert run_.code == 0, run_.err
    return list(csv.DictReader(io.StringIO(run_.out, newline="")))


def test_regression_15_coverage_csv_defuses_formulas(tmp_path):
    """``--format csv`` passed ``=HYPERLINK(...)`` target names through to spreadsheets."""
    targets = _points_file(tmp_path / "t.csv", [*FORMULA_NAMES, "-17.7", "-17.7,178.1"])
    rows = _csv_rows(CliRun(["coverage", "--site", "-17.7,178.1", "--radius-km", "100",
                             "--targets", targets, "--format", "csv"]))  # fmt: skip
    assert [r["target"] for r in rows] == [
        *("'" + n for n in FORMULA_NAMES),
        "-17.7",
        "-17.7,178.1",
    ]
    assert {r["site"] for r in rows} == {"-17.7,178.1"}  # typed coordinates are data
    assert rows[0]["lat"] == "-17.7"  # and numbers are numbers


def test_regression_15_sites_csv_defuses_formulas(tmp_path):
    sites = _points_file(tmp_path / "s.csv", [*FORMULA_NAMES, "-17.7,178.1"])
    rows = _csv_rows(CliRun(["sites", "--file", sites, "--format", "csv"]))
    assert [r["name"] for r in rows] == [*("'" + n for n in FORMULA_NAMES), "-17.7,178.1"]
    assert rows[0]["lat"] == "-17.7"
    # JSON is not for spreadsheets: names there stay exactly as typed.
    run_ = CliRun(["sites", "--file", sites, "--format", "json"])
    assert [r["name"] for r in json.loads(run_.out)][:4] == FORMULA_NAMES


def test_regression_15_compare_and_area_csv_defuse_formulas(tmp_path):
    sites = _points_file(tmp_path / "s.csv", FORMULA_NAMES[:2])
    pick = ["--system", "df-26", "--sites-file", sites]
    rows = _csv_rows(CliRun(["compare", *pick, "--site", FORMULA_NAMES[0],
                             "--site", FORMULA_NAMES[1], "--format", "csv"]))  # fmt: skip
    assert [r["site_a"] for r in rows] == ["'" + n for n in FORMULA_NAMES[:2]]
    rows = _csv_rows(CliRun(["area", *pick, "--site", FORMULA_NAMES[1], "--format", "csv"]))
    assert rows and all(not r["name"].startswith(("=", "+", "@")) for r in rows)


def test_regression_15_compare_has_a_site_limit_the_user_can_raise():
    argv = ["compare", "--system", "iskander-m", "--site", "kaliningrad", "--site", "mozdok",
            "--site", "54,30", "--max-sites", "2"]  # fmt: skip
    run = CliRun(argv)
    run.check()
    assert run.code == 2 and "over the limit of 2" in run.err
    run = CliRun([*argv[:-1], "3", "--format", "csv"])
    run.check()
    assert run.code == 0 and len(run.out.splitlines()) == 1 + 3 * 2  # every ordered pair


# --- flight times (issue 11) ----------------------------------------------------------------


def test_flight_time_columns_and_formats():
    code, text = run("flight-time", "--system", "df-26", "--system", "tomahawk",
                     "--site", "guangdong-shaoguan", "--target", "Tokyo", "--target",
                     "-13.5,-172.5", "--format", "json")  # fmt: skip
    assert code == 0
    rows = json.loads(text)
    assert list(rows[0]) == [
        "system", "site", "target", "distance_km", "range_km", "in_range", "model",
        "free_flight_min", "boost_min_low", "boost_min_high", "flight_time_min_low",
        "flight_time_min_high", "apogee_km", "burnout_speed_km_s", "note",
    ]  # fmt: skip
    tokyo = rows[0]
    assert tokyo["target"] == "Tokyo" and tokyo["in_range"] is True
    assert tokyo["model"] == "ballistic, minimum-energy"
    assert 13 < tokyo["free_flight_min"] < 16 and tokyo["apogee_km"] > 500
    assert tokyo["flight_time_min_low"] <= tokyo["flight_time_min_high"]
    assert rows[1]["target"] == "-13.5,-172.5" and rows[1]["in_range"] is False
    cruise = rows[2]
    assert cruise["model"] == "cruise, mean speed" and cruise["apogee_km"] is None
    assert cruise["flight_time_min_low"] > 150  # subsonic: hours, not minutes


def test_flight_time_rotating_is_for_ballistic_systems_only():
    code, text = run("flight-time", "--system", "df-26", "--site", "guam", "--target",
                     "Tokyo", "--rotating", "--format", "csv")  # fmt: skip
    assert code == 0 and "rotating Earth" in text
    code, _ = run("flight-time", "--system", "9m729", "--site", "kaliningrad", "--target",
                  "Berlin", "--rotating")  # fmt: skip
    assert code == 2


def test_flight_time_unknown_target_names_the_closest(capsys):
    code, _ = run("flight-time", "--system", "df-26", "--site", "guam", "--target", "Tokio")
    assert code == 2
    assert "unknown target 'Tokio'" in capsys.readouterr().err


def test_isochrones_geojson_has_minutes_and_bounds(tmp_path):
    out = tmp_path / "iso.geojson"
    code, _ = run("isochrones", "--system", "df-26", "--site", "guam", "--minutes", "5,10,25",
                  "-o", str(out))  # fmt: skip
    assert code == 0
    doc = json.loads(out.read_text())
    props = [f["properties"] for f in doc["features"]]
    assert [(p["minutes"], p["bound"]) for p in props] == [
        (5.0, "possibly"), (10.0, "surely"), (10.0, "possibly"), (25.0, "surely"),
        (25.0, "possibly")]  # fmt: skip
    assert all(p["system"] == "DF-26" for p in props)
    assert props[-1]["capped"] is True and props[-1]["radius_km"] == 4000.0


@pytest.mark.parametrize("minutes", ["0", "-5", "abc", "5,,nan", ",".join(["1"] * 49)])
def test_isochrones_refuse_bad_minutes(minutes, capsys):
    code, _ = run("isochrones", "--system", "df-26", "--site", "guam", "--minutes", minutes)
    assert code == 2 and "minutes" in capsys.readouterr().err


def test_rings_rotating_draws_eggs_and_refuses_cruise(capsys):
    code, text = run("rings", "--system", "df-26", "--site", "guam", "--rotating")
    assert code == 0
    egg = json.loads(text)["features"][0]["properties"]
    code, text = run("rings", "--system", "df-26", "--site", "guam")
    ring = json.loads(text)["features"][0]["properties"]
    assert egg["model"] == "ballistic, minimum-energy, rotating Earth"
    assert egg["area_km2"] != ring["area_km2"]
    code, _ = run("rings", "--system", "9m729", "--site", "kaliningrad", "--rotating")
    assert code == 2 and "ballistic systems only" in capsys.readouterr().err


def test_coverage_carries_flight_times():
    code, text = run("coverage", "--system", "df-26", "--site", "guam", "--in-range-only",
                     "--format", "json")  # fmt: skip
    assert code == 0
    rows = json.loads(text)
    assert rows and all(r["flight_time_min_low"] <= r["flight_time_min_high"] for r in rows)
    assert {r["model"] for r in rows} == {"ballistic, minimum-energy"}


def test_area_and_compare_label_the_population_of_settlements():
    """Issue 13 item 6: the figures come from the settlements and carry their label."""
    import re

    from rangemap.population import SETTLEMENTS_LABEL, load_settlements
    from rangemap.reach import coverage_area
    from rangemap.rings import range_rings

    where = ["--system", "iskander-m", "--site", "kaliningrad", "--region", "europe"]
    code, text = run("area", *where)
    line = next(t for t in text.splitlines() if t.startswith(SETTLEMENTS_LABEL))
    assert code == 0 and re.fullmatch(r".* in range: [\d,]+ in [\d,]+ settlements", line)
    doc = json.loads(run("area", *where, "--format", "json")[1])
    found = coverage_area(range_rings(["iskander-m"], ["kaliningrad"]), region="europe",
                          population=load_settlements())  # fmt: skip
    assert doc["settlement_label"] == SETTLEMENTS_LABEL
    assert (doc["settlement_population"], doc["n_settlements"]) == (
        found["settlement_population"], found["n_settlements"])  # fmt: skip
    assert f"{found['settlement_population']:,.0f} in {found['n_settlements']:,}" in line
    pair = ["--system", "iskander-m", "--site", "kaliningrad", "--site", "belarus-asipovichy"]
    code, text = run("compare", *pair)
    assert code == 0 and text.splitlines()[-1] == f"settlement_population_*: {SETTLEMENTS_LABEL}"
    rows = json.loads(run("compare", *pair, "--format", "json")[1])
    assert rows[0]["settlement_population_a_only"] == rows[1]["settlement_population_b_only"]
    assert rows[0]["settlement_population_shared"] == rows[1]["settlement_population_shared"] > 0
    lines = run("compare", *pair, "--format", "csv")[1].splitlines()
    assert "settlement_population_shared" in lines[0] and len(lines) == 3  # no label line


# --- issue 14: the command line's first hour -----------------------------------------------


def _subparsers() -> dict:
    from rangemap.cli import build_parser

    action = next(a for a in build_parser()._actions if a.dest == "command")
    return action.choices


def _examples(help_text: str) -> list[str]:
    """The commands listed under ``Examples:`` at the end of a help text."""
    assert "\nExamples:\n" in help_text, help_text[-300:]
    section = help_text.split("\nExamples:\n", 1)[1]
    return [line.strip() for line in section.splitlines() if line.startswith("  rangemap ")]


SUBCOMMANDS = sorted(_subparsers())


def test_regression_14_every_command_is_listed_and_has_arguments():
    # The lazy parser lists every command; the whole parser gives each its arguments.
    assert len(SUBCOMMANDS) == 19 and {"systems", "figure", "flight-time"} <= set(SUBCOMMANDS)
    for name, sub in _subparsers().items():
        assert len(sub._actions) > 1, name


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_regression_14_help_shows_every_default_and_examples(name):
    """``--help`` showed no defaults for most commands and no example for most."""
    import argparse

    sub = _subparsers()[name]
    text = sub.format_help()
    examples = _examples(text)
    assert examples and all(f"{e} ".startswith(f"rangemap {name} ") for e in examples), examples
    formatter = sub._get_formatter()
    for action in sub._actions:
        if not action.option_strings or action.default in (None, False, argparse.SUPPRESS):
            continue
        line = formatter._expand_help(action)
        shown = {str(action.default), f"{action.default:,}" if type(action.default) is int else ""}
        assert "default" in line and any(s and s in line for s in shown), (action.dest, line)
    assert "(default: None)" not in text and "(default: False)" not in text


EXAMPLES = [(name, e) for name in SUBCOMMANDS for e in _examples(_subparsers()[name].format_help())]


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[e for _, e in EXAMPLES])
def test_regression_14_every_help_example_parses(name, example):
    """Each example parses, with the parser ``main`` builds for that command alone."""
    import shlex

    from rangemap.cli import _join_negative_coords, build_parser

    words = _join_negative_coords(shlex.split(example)[1:])
    args = build_parser(name).parse_args(words)
    assert args.command == name and callable(args.func)


CHEAP = ("systems", "sources", "inventory", "sites", "ring")


@pytest.mark.parametrize(
    "example", [e for name, e in EXAMPLES if name in CHEAP], ids=lambda e: e[9:40]
)
def test_regression_14_cheap_help_examples_run(example, tmp_path, monkeypatch):
    import shlex

    monkeypatch.chdir(tmp_path)
    run_ = CliRun(shlex.split(example)[1:])
    run_.check()
    assert run_.code == 0 and run_.out, run_.err


@pytest.mark.parametrize(
    ("typed", "code"),
    [("China", "CHN"), ("china", "CHN"), ("CHN", "CHN"), ("chn", "CHN"), ("Russia", "RUS"),
     ("United States", "USA"), ("USA", "USA"), ("united states of america", "USA"),
     ("North Korea", "PRK"), ("Soviet Union", "SUN")],
)  # fmt: skip
def test_regression_14_systems_country_takes_codes_and_names(typed, code):
    """``--country China`` listed nothing: only codes such as CHN were understood."""
    rows = json.loads(run("systems", "--country", typed, "--format", "json")[1])
    assert rows and {r["country"] for r in rows} == {code}


def test_regression_14_unknown_country_is_refused_with_close_names(capsys):
    code, _ = run("systems", "--country", "Chna")
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "--country: unknown country 'Chna'; closest: 'china'" in err
    code, text = run("systems", "--country", "France")  # a country with no systems: no rows
    assert code == 0 and text == "(no rows)\n"


def test_regression_14_ring_says_which_file_it_wrote(tmp_path):
    """``ring -o FILE`` wrote the file silently; export says ``wrote FILE``."""
    out = tmp_path / "fiji.geojson"
    code, text = run("ring", "--center", "-17.7,178.1", "--radius-km", "1000", "-o", str(out))
    assert code == 0 and text == f"wrote {out}\n" and out.stat().st_size > 1000
    code, text = run("rings", "--system", "df-26", "--site", "guam", "-o", str(out))
    assert code == 0 and text == f"wrote {out}\n"
    code, text = run("ring", "--center", "0,0", "--radius-km", "100")  # stdout: GeoJSON only
    assert json.loads(text)["type"] == "FeatureCollection"


def test_regression_14_tables_print_readable_numbers():
    """Tables printed ``600.955`` km for region-level sites, ``2500.0`` km, None and NaN."""
    code, text = run("coverage", "--site", "kaliningrad", "--radius-km", "500")
    mariehamn = next(line for line in text.splitlines() if line.startswith("Mariehamn"))
    # Distances and margins to 10 km (region-level sites, as the dashboard rounds them),
    # the range as given, latitude to 0.01°.
    assert code == 0 and " 600 " in mariehamn and "600.9" not in mariehamn
    assert " 60.10 " in mariehamn and " -100 " in mariehamn and " 500 " in mariehamn
    assert "NaN" not in text and "None" not in text and " — " in text
    # csv keeps every digit the library gives
    code, csv_out = run("coverage", "--site", "kaliningrad", "--radius-km", "500",
                        "--format", "csv")  # fmt: skip
    assert "600.955" in csv_out
    code, text = run("systems", "--country", "RUS")
    assert "2,500" in text and "2500.0" not in text and "nan" not in text.lower()
    code, text = run("inventory")
    assert code == 0 and "<NA>" not in text and "NaN" not in text


def test_regression_14_ascii_terminal_gets_ascii_blanks():
    """A terminal that cannot show "—" gets "-" rather than an encoding error."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    assert main(["systems", "--country", "RUS"], out=out) == 0
    out.flush()
    text = out.buffer.getvalue().decode("ascii")  # type: ignore[attr-defined]
    iskander = next(line for line in text.splitlines() if line.startswith("iskander-m "))
    assert iskander.endswith("  -")  # no quality flag: a blank, in ASCII


@pytest.mark.parametrize("argv", [["systems"], ["--help"], ["systems", "--help"]])
def test_regression_14_start_up_loads_no_geopandas(argv):
    """``rangemap systems`` loaded geopandas, shapely and pyproj it never uses (and
    ``--help`` matplotlib and GDAL): about 2 s of start-up."""
    code = (
        "import io, sys\n"
        "from rangemap.cli import main\n"
        "try:\n"
        f"    main({argv!r}, out=io.StringIO())\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('geopandas', 'shapely', 'pyproj', 'matplotlib', 'pyogrio', 'dask')\n"
        "print(','.join(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)  # fmt: skip
    assert done.stderr.strip() == "", done.stderr
