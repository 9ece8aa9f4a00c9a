"""rangemap.targets: shipped capitals and cities, and user target files (CSV, GeoJSON).

Regression tests of issue 15 item 9: GeoJSON target files were read as sites (capped at
10,000 with an error that called them "sites") while the same targets as CSV had no limit.
Both formats now obey one limit, :data:`rangemap.targets.MAX_TARGETS`, checked while
reading, with an error that says "targets".
"""

from __future__ import annotations

import json

import pytest
from conftest import CliRun, assert_one_line

from rangemap import targets as targets_module
from rangemap.errors import TargetError
from rangemap.sites import MAX_SITES
from rangemap.targets import MAX_TARGETS, TARGET_COLUMNS, load_targets


def _csv(n: int) -> bytes:
    return ("name,lat,lon\n" + "".join(f"t{i},{i % 80},{i % 170}\n" for i in range(n))).encode()


def _geojson(n: int, **props: object) -> bytes:
    feats = [{"type": "Feature", "properties": {"name": f"t{i}", **props},
              "geometry": {"type": "Point", "coordinates": [i % 170, i % 80]}}
             for i in range(n)]  # fmt: skip
    return json.dumps({"type": "FeatureCollection", "features": feats}).encode()


def test_shipped_capitals_and_cities():
    caps, cities = load_targets("capitals"), load_targets("cities")
    assert set(TARGET_COLUMNS) <= set(caps.columns)
    assert caps["capital"].all() and len(cities) > len(caps)


def test_regression_15_geojson_targets_over_the_limit_say_targets(monkeypatch):
    monkeypatch.setattr(targets_module, "MAX_TARGETS", 5)
    with pytest.raises(TargetError, match=r"^t\.geojson: 6 targets, over the limit of 5$") as info:
        load_targets(_geojson(6), name="t.geojson")
    assert "site" not in str(info.value)
    assert len(load_targets(_geojson(5), name="t.geojson")) == 5


def test_regression_15_csv_targets_over_the_limit_refused_while_reading(monkeypatch):
    monkeypatch.setattr(targets_module, "MAX_TARGETS", 5)
    # Line 9 is broken: refused at line 7, reading stopped before it.
    data = _csv(6) + b"bad,1,2,3,4\n"
    with pytest.raises(TargetError, match=r"^t\.csv, line 7: more than 5 targets, over the "
                       r"limit of 5 \(reading stopped here\)$") as info:  # fmt: skip
        load_targets(data, name="t.csv")
    assert_one_line(info.value)
    assert len(load_targets(_csv(5), name="t.csv")) == 5


@pytest.mark.parametrize("suffix", ["csv", "geojson"])
def test_regression_15_the_limit_is_the_same_through_the_cli(suffix, monkeypatch, tmp_path):
    monkeypatch.setattr(targets_module, "MAX_TARGETS", 3)
    path = tmp_path / f"t.{suffix}"
    path.write_bytes(_csv(4) if suffix == "csv" else _geojson(4))
    run = CliRun(["coverage", "--site", "guam", "--radius-km", "100", "--targets", str(path)])
    run.check()
    said = "more than 3 targets" if suffix == "csv" else "4 targets"
    assert run.code == 2 and f"{said}, over the limit of 3" in run.err
    assert "site" not in run.err.split(str(path), 1)[1]


def test_regression_15_geojson_targets_past_the_site_limit_load():
    """A GeoJSON of MAX_SITES + 1 targets was refused as "sites"; CSV loaded it."""
    n = MAX_SITES + 1
    assert len(load_targets(_geojson(n), name="t.geojson")) == n
    assert len(load_targets(_csv(n), name="t.csv")) == n


@pytest.mark.parametrize("kind", ["csv", "geojson"])
def test_regression_15_100000_targets_still_load(kind):
    # Issue 3: 100,000 targets must work; the limit is ten times that.
    assert MAX_TARGETS >= 1_000_000
    data = _csv(100_000) if kind == "csv" else _geojson(100_000)
    targets = load_targets(data, name=f"t.{kind}")
    assert len(targets) == 100_000 and targets["name"].iloc[-1] == "t99999"


def test_regression_15_geojson_targets_are_targets_not_sites():
    """Read as sites, GeoJSON targets lost population and capital, were refused for a
    "source" that is not a URL, and their errors spoke of sites and lines."""
    data = _geojson(2, population=250000, capital=True, source="Wikipedia", extra=1)
    targets = load_targets(data, name="t.geojson")
    assert targets["population"].tolist() == [250000, 250000]
    assert targets["capital"].tolist() == [True, True]
    assert targets.columns.tolist()[:6] == ["name", "country", "population", "capital",
                                            "lat", "lon"]  # fmt: skip
    bad = json.loads(_geojson(2))
    bad["features"][1]["geometry"]["coordinates"] = [10, 95]
    with pytest.raises(TargetError, match=r"t\.geojson, feature 2, columns 'lat','lon': "
                       r"target latitude"):  # fmt: skip
        load_targets(json.dumps(bad).encode(), name="t.geojson")


def test_geojson_target_without_a_name_is_named_by_id_or_number():
    doc = json.loads(_geojson(3))
    doc["features"][0]["properties"] = {"id": "pearl"}
    doc["features"][1]["properties"] = None
    # An unnamed upload is GeoJSON when it starts with "{".
    assert load_targets(json.dumps(doc).encode())["name"].tolist() == ["pearl", "target 2", "t2"]
