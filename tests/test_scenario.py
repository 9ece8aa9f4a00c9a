"""rangemap.scenario: the scenario spec. Loading and validating scenario TOML (errors name
the key and the value), round trips through ``scenario_to_toml``, and the regression
tests of its limits. Building and running a scenario is tests/test_report.py.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from conftest import PATHOLOGICAL_TOML, assert_one_line

from rangemap import scenario
from rangemap.errors import RangemapError, ScenarioError
from rangemap.scenario import load_scenario, loads_scenario, scenario_from_dict, scenario_to_toml
from rangemap.sites import load_sites

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "example-east-asia.toml"


def test_example_scenario_loads_and_round_trips_through_toml():
    scenario = load_scenario(EXAMPLE)
    assert scenario.region == "east-asia" and scenario.date == "2026-11-23"
    assert loads_scenario(scenario_to_toml(scenario), base_dir=EXAMPLE.parent) == scenario


def test_toml_writer_escapes_what_needs_escaping():
    tricky = 'Quote " backslash \\ tab \t 東京 طهران'
    site = {"name": tricky, "lat": -0.5, "lon": 179.999999}
    s = scenario_from_dict({"title": tricky, "systems": ["df-26"], "sites": [site]})
    back = loads_scenario(scenario_to_toml(s))
    assert back == s and back.title == tricky and back.sites[0].lon == 179.999999


BAD = [
    ('colour = "red"', r"unknown key 'colour' \(value 'red'\)"),
    ('systems = ["df-26", "DF-62"]', r"key 'systems\[1\]': unknown system 'DF-62'"),
    ('sites = [{name = "X", lat = 95, lon = 10}]', r"key 'sites\[0\]\.lat': .*got 95"),
    ('sites = [{name = "X", lat = 10, lon = "abc"}]', r"key 'sites\[0\]\.lon': .*got 'abc'"),
    ('sites = ["95,10"]', r"key 'sites\[0\]': bad coordinates '95,10'"),
    ('sites = ["atlantis"]', r"key 'sites\[0\]': unknown site 'atlantis'"),
    ('sites = [{name = "X", lat = 1, lon = 2, elevation = 3}]',
     r"unknown key 'sites\[0\]\.elevation' \(value 3\)"),
    ('bands = ["median"]', r"key 'bands\[0\]': must be one of .*got 'median'"),
    ('region = "mars"', r"key 'region': must be one of europe, east-asia, world; got 'mars'"),
    ('date = "23/11/2026"', r"key 'date': must be a date YYYY-MM-DD, got '23/11/2026'"),
    ('targets = "../../etc/passwd"', r"key 'targets': must be a path inside .*'\.\./\.\./etc"),
    ('catalogue = "missing.csv"', r"key 'catalogue': file not found: 'missing.csv'"),
    ("[output]\nlang = 'fr'", r"key 'output\.lang': must be one of en, ja; got 'fr'"),
    ("[output]\ndpi = 5000", r"key 'output\.dpi': .*got 5000"),
    ("[output]\ncolor = 'red'", r"unknown key 'output\.color' \(value 'red'\)"),
    ("systems = 'df-26", r"not valid TOML"),
]  # fmt: skip


@pytest.mark.parametrize("line, message", BAD, ids=[b[0][:30] for b in BAD])
def test_bad_scenarios_name_the_key_and_value(line, message, tmp_path):
    base = {"systems": 'systems = ["df-26"]', "sites": 'sites = ["guam"]'}
    key = line.split("=")[0].strip()
    lines = [v for k, v in base.items() if k != key]
    text = "\n".join([*lines, line] if line.startswith("[") else [line, *lines]) + "\n"
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=message) as info:
        load_scenario(path)
    assert str(path) in str(info.value)


def test_missing_required_keys_and_uploads_without_paths():
    with pytest.raises(ScenarioError, match="missing required key 'sites'"):
        loads_scenario('systems = ["df-26"]')
    with pytest.raises(ScenarioError, match="paths are not allowed in an uploaded scenario"):
        loads_scenario(b'systems = ["df-26"]\nsites = ["guam"]\ntargets = "pts.csv"\n')
    with pytest.raises(ScenarioError, match="not UTF-8"):
        loads_scenario(b"\xff\xfe")


@pytest.mark.parametrize("data", PATHOLOGICAL_TOML[:2], ids=["deep-nesting", "huge-integer"])
def test_regression_6_scenario_toml_limits(data):
    with pytest.raises(RangemapError, match="upload.toml") as info:
        scenario.loads_scenario(data, name="upload.toml")
    assert_one_line(info.value)


@pytest.mark.parametrize("key", ["catalogue", "sites_file", "targets"])
def test_regression_6_scenario_path_too_long(key, tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(f'systems = ["df-26"]\nsites = ["guam"]\n{key} = "{"a" * 300}"\n')
    with pytest.raises(RangemapError, match=key):
        scenario.load_scenario(path)


def test_regression_15_scenario_from_an_endless_stream_is_refused(tmp_path):
    """Check fix for scenarios read without a size limit (issue 15: 23.6 GB from a stream).

    A FIFO reports size 0, so a check of the size alone let an endless writer through.
    """
    fifo = tmp_path / "endless.toml"
    os.mkfifo(fifo)
    stop = threading.Event()

    def writer():
        with open(fifo, "wb") as handle:
            chunk = b"# " + b"x" * 65_000 + b"\n"
            try:
                while not stop.is_set():
                    handle.write(chunk)
            except BrokenPipeError:
                pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        with pytest.raises(ScenarioError, match="over the limit of 1,000,000 bytes"):
            load_scenario(fifo)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_regression_15_control_characters_in_an_uploaded_name_do_not_break_the_view():
    """An uploaded site named ``cr\\rname`` made the Export tab fail (issue 15)."""
    shipped = load_sites()
    upload = load_sites(b'name,lat,lon\n"cr\rname",10,20\n', name="up.csv", default_kind="user")
    view = scenario.scenario_from_view(
        systems=["df-26"], sites=upload, band="nominal", region="world", shipped=shipped
    )
    assert view.sites[0].name == "cr name"
    assert loads_scenario(scenario_to_toml(view)) == view


def _counting(monkeypatch, module, name):
    """Replace ``module.name`` by a wrapper that counts its calls; return the count list."""
    calls: list[int] = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def test_regression_15_repeated_systems_are_refused_before_any_look_up(monkeypatch):
    """Check fix for a 160 KB scenario of 20,000 repeated systems that took 73 s (issue 15):
    the list is refused by its length before any look-up, and the name index of the
    catalogue is built once for a scenario, not once per entry."""
    import rangemap.catalogue

    builds = _counting(monkeypatch, rangemap.catalogue, "_names")
    text = 'sites = ["guam"]\nsystems = [' + '"df-26", ' * 20_000 + "]\n"
    assert len(text) > 160_000
    with pytest.raises(ScenarioError, match=r"key 'systems': 20,000 entries, over the limit of "
                       r"500 \(pass max_systems= to scenario_from_dict") as info:  # fmt: skip
        loads_scenario(text, name="big.toml")
    assert_one_line(info.value)
    assert builds == []  # refused before the catalogue was searched
    s = scenario_from_dict({"systems": ["df-26", "SSC-8"] * 200, "sites": ["guam"]})
    assert s.systems == ("df-26", "9m729") and len(builds) == 1
    wide = scenario_from_dict({"systems": ["df-26"] * 600, "sites": ["guam"]}, max_systems=600)
    assert wide.systems == ("df-26",)


def test_regression_15_many_sites_are_bounded_and_resolved_with_one_index(monkeypatch):
    """Sites of a scenario are looked up with one index (once per entry took 13 s for
    2,000), and more than a site table holds is refused before the table is read."""
    reads = _counting(monkeypatch, scenario, "load_sites")
    indexes = _counting(monkeypatch, scenario, "SiteIndex")
    too_many = ["guam"] * (scenario.MAX_SCENARIO_SITES + 1)
    with pytest.raises(ScenarioError, match=r"key 'sites': 10,001 entries, over the limit of "
                       r"10,000 \(pass max_sites="):  # fmt: skip
        scenario_from_dict({"systems": ["df-26"], "sites": too_many})
    assert reads == [] and indexes == []
    specs = ["guam", "Guam", "13.4,144.8", {"name": "P", "lat": 1, "lon": 2}] * 100
    s = scenario_from_dict({"systems": ["df-26"], "sites": specs})
    assert len(indexes) == 1
    table = scenario.site_table(s)
    assert len(indexes) == 2 and len(table) == 400 and table["id"].is_unique
    assert table["name"].tolist()[:4] == ["Guam", "Guam", "13.4,144.8", "P"]
    with pytest.raises(ScenarioError, match=r"key 'sites\[3\]': unknown site 'atlantis'"):
        scenario_from_dict({"systems": ["df-26"], "sites": ["guam"] * 3 + ["atlantis"]})
