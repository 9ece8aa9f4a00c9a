"""rangemap.sites: shipped sites, user files, typed coordinates, joins, the dashboard's
site inputs (typed lines, uploads, combined tables), and the regression tests of the site
bugs issue 6's fuzzing found (GeoJSON sites, site ids, coordinate parsing)."""

from __future__ import annotations

import difflib
import json
import math
import time

import pytest
from conftest import DATA, assert_one_line

import rangemap.sites
from rangemap.errors import SiteError
from rangemap.rings import join_sites
from rangemap.sites import (
    MAX_HINT_WORK,
    MAX_SITES,
    MAX_TYPED_SITES,
    MAX_UPLOAD_BYTES,
    SITE_COLUMNS,
    SiteIndex,
    combine_sites,
    load_sites,
    parse_latlon,
    parse_site_lines,
    read_upload,
    resolve_sites,
    site_frame,
)

SITES = load_sites()

REQUIRED_REGIONS = [
    "kaliningrad",
    "belarus",
    "guam",
    "okinawa",
    "luzon",
    "hokkaido",
    "kyushu",
    "chukotka",
    "primorye",
    "xinjiang",
    "henan",
    "shandong",
    "fujian",
    "darwin",
    "poland",
    "romania",
    "germany",
]


@pytest.mark.parametrize("row", SITES.to_dict("records"), ids=list(SITES["id"]))
def test_shipped_site_is_sound(row):
    assert -90 <= row["lat"] <= 90 and -180 <= row["lon"] < 180
    assert row["kind"] in ("reported", "claimed", "rumour", "hypothetical")
    assert row["source"].startswith("http")
    if row["kind"] in ("claimed", "rumour"):
        assert row["note"], "a claim or rumour names who makes it"


@pytest.mark.parametrize("word", REQUIRED_REGIONS)
def test_debated_region_has_a_site(word):
    text = " ".join(
        f"{a} {b} {c}" for a, b, c in zip(SITES["id"], SITES["name"], SITES["note"], strict=True)
    ).lower()
    assert word in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-17.7,178.1", (-17.7, 178.1)),
        ("54.7, 20.5", (54.7, 20.5)),
        ("10 200", (10.0, -160.0)),
        ("(1.5;-2.5)", (1.5, -2.5)),
        ("0,540", (0.0, -180.0)),
    ],
)
def test_parse_latlon(text, expected):
    assert parse_latlon(text) == expected


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("91,0", "latitude"),
        ("0,541", "longitude"),
        ("nan,0", "LAT,LON"),
        ("Berlin", "LAT,LON"),
        ("1,2,3", "LAT,LON"),
        ("", "LAT,LON"),
    ],
)
def test_parse_latlon_rejects(text, match):
    with pytest.raises(SiteError, match=match):
        parse_latlon(text)


def test_user_csv_with_only_name_lat_lon():
    sites = load_sites(b"name,lat,lon\nMy base,35.5,139.7\n", name="mine.csv", default_kind="user")
    assert sites.loc[0, "id"] == "my-base" and sites.loc[0, "kind"] == "user"


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"name,lat,lon\nX,95,10\n", r"mine\.csv, line 2, columns 'lat','lon'"),
        (b"name,lat,lon\nX,ten,10\n", r"line 2, column 'lat': must be a number, got 'ten'"),
        (b"name,lat,lon\nX,,10\n", r"column 'lat': is required"),
        (b"name,lat\nX,1\n", r"missing required column\(s\) \['lon'\]"),
        (b"name,lat,lon\n", "header only"),
        (b"", "empty"),
        (b"name,lat,lon\nX,inf,10\n", "finite"),
    ],
)
def test_bad_site_files(content, match):
    with pytest.raises(SiteError, match=match):
        load_sites(content, name="mine.csv")


def test_geojson_sites_and_rtl_cjk_names_survive():
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "沖縄"},
                "geometry": {"type": "Point", "coordinates": [127.7, 26.2]},
            },
            {
                "type": "Feature",
                "properties": {"name": "القاعدة"},
                "geometry": {"type": "Point", "coordinates": [45.0, 30.0]},
            },
        ],
    }
    sites = load_sites(json.dumps(doc, ensure_ascii=False).encode(), name="s.geojson")
    assert list(sites["name"]) == ["沖縄", "القاعدة"]
    with pytest.raises(SiteError, match="geometry must be a Point"):
        doc["features"][0]["geometry"] = {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
        load_sites(json.dumps(doc).encode(), name="s.geojson")


def test_too_many_sites_is_a_clear_limit():
    body = "name,lat,lon\n" + "".join(f"s{i},{i % 80},{i % 170}\n" for i in range(MAX_SITES + 1))
    with pytest.raises(SiteError, match="over the limit"):
        load_sites(body.encode(), name="big.csv")


def test_oversize_upload_refused_before_read():
    class Endless:
        name = "huge.csv"
        read_calls = 0

        def read(self, n=-1):
            self.read_calls += 1
            assert n > 0, "must not read the whole stream"
            return b"x" * n

    with pytest.raises(SiteError, match="over the limit"):
        load_sites(Endless())


def test_resolve_sites_ids_names_coordinates(tiny_sites):
    got = resolve_sites(["alpha", "FIJI", "-33.9,151.2"], tiny_sites)
    assert list(got["kind"]) == ["reported", "hypothetical", "user"]
    assert got.loc[2, "lat"] == -33.9
    with pytest.raises(SiteError, match=r"unknown site 'alpah'; closest: 'alpha'"):
        resolve_sites(["alpah"], tiny_sites)
    with pytest.raises(SiteError, match="latitude"):
        resolve_sites(["95,10"], tiny_sites)


def test_join_sites_bands(tiny_catalogue, tiny_sites):
    joined = join_sites(tiny_catalogue, tiny_sites, band="all")
    irbm = joined.loc[joined["system_id"] == "test-irbm"]
    assert len(irbm) == 3 * len(tiny_sites)
    assert set(irbm["min_radius_km"]) == {500.0}
    assert "test-blank" not in set(joined["system_id"])


# --- the dashboard's site inputs ------------------------------------------------------


def test_combine_sites_gives_unique_ids():
    a = resolve_sites(["kaliningrad", "13.4,144.8"])
    out = combine_sites([a, a, None])
    assert out["id"].is_unique and len(out) == 4
    assert len(combine_sites([])) == 0


def test_regression_combine_sites_suffix_never_clashes():
    """Found by tests/test_fuzz.py: a suffix equal to an uploaded id made a duplicate."""
    typed = resolve_sites(["kaliningrad"])
    uploaded = load_sites(b"id,name,lat,lon\nkaliningrad-2,Mine,1,2\n", name="up.csv")
    out = combine_sites([typed, typed, uploaded])
    assert out["id"].is_unique
    assert out.set_index("name").loc["Mine", "id"] == "kaliningrad-2"  # its own id is kept


def test_parse_site_lines_keeps_good_lines():
    sites, errors = parse_site_lines("13.4,144.8\nnot a site\n95,10\nguam\n")
    assert sites["name"].tolist() == ["13.4,144.8", "Guam"]
    assert len(errors) == 2 and errors[0].startswith("line 2") and "95,10" in errors[1]


def test_regression_parse_site_lines_is_fast_and_bounded(monkeypatch):
    """Found by tests/test_fuzz.py: every line reloaded the shipped sites (7 s per 1,000)."""
    text = "\n".join(f"{i % 80},{i % 170}" for i in range(MAX_TYPED_SITES + 5))
    calls = []
    real = rangemap.sites.load_sites
    monkeypatch.setattr(
        rangemap.sites, "load_sites", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    sites, errors = parse_site_lines(text + "\n95,0")
    assert len(calls) <= 1  # the shipped sites are read once, not once per line
    assert len(sites) == MAX_TYPED_SITES and len(errors) == 1
    assert "over the limit" in errors[0]
    few, errors = parse_site_lines("\n".join(["1,2"] * 300 + ["95,0"] + ["3,4"] * 300))
    assert len(few) == 600 and len(errors) == 1 and errors[0].startswith("line 301:")


class _Upload:
    def __init__(self, name: str, data: bytes, size: int | None = None):
        self.name, self._data, self.size = name, data, len(data) if size is None else size

    def getvalue(self) -> bytes:
        if self.size > MAX_UPLOAD_BYTES:
            raise AssertionError("an oversize upload was read")
        return self._data


def test_read_upload_refuses_oversize_before_reading():
    with pytest.raises(SiteError, match="over the limit"):
        read_upload(_Upload("big.csv", b"", size=MAX_UPLOAD_BYTES + 1))
    sites = read_upload(_Upload("ok.csv", b"name,lat,lon\nX,1,2\n"))
    assert sites["kind"].tolist() == ["user"]


# --- regression tests for bugs found by the fuzzing (issue 6) ---------------------------


@pytest.mark.parametrize("props", [[1, 2], "text", 5, True])
def test_regression_6_geojson_properties_not_an_object(props):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props,
         "geometry": {"type": "Point", "coordinates": [1, 2]}}]}  # fmt: skip
    with pytest.raises(SiteError, match=r"feature 1"):
        load_sites(json.dumps(fc).encode(), name="s.geojson")


def test_regression_6_geojson_nested_too_deep():
    data = b'{"type":"FeatureCollection","features":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(SiteError, match=r"s\.geojson"):
        load_sites(data, name="s.geojson")


def test_regression_6_geojson_huge_integer():
    data = b'{"type":"FeatureCollection","features":[],"x":' + b"1" * 5000 + b"}"
    with pytest.raises(SiteError, match=r"s\.geojson"):
        load_sites(data, name="s.geojson")


def test_regression_6_geojson_lone_surrogate():
    data = (
        b'{"type":"FeatureCollection","features":[{"type":"Feature",'
        b'"properties":{"name":"\\ud800x"},"geometry":{"type":"Point","coordinates":[1,2]}}]}'
    )
    with pytest.raises(SiteError, match="unpaired UTF-16 surrogate"):
        load_sites(data, name="s.geojson")


@pytest.mark.parametrize("ids", [["a", "a", "a-2"], ["a-2", "a", "a"], ["b", "b", "b-2", "b-2"]])
def test_regression_6_deduplicated_site_ids_are_unique(ids):
    body = "id,name,lat,lon\n" + "".join(f"{s},N{i},1,2\n" for i, s in enumerate(ids))
    sites = load_sites(body.encode(), name="s.csv")
    assert sites["id"].is_unique


@pytest.mark.parametrize("text", ["1" * 8000 + "x", "1" + " " * 8000 + "x"])
def test_regression_6_coordinate_parsing_is_linear(text):
    for call in (lambda: parse_latlon(text), lambda: resolve_sites([text], _tiny_table())):
        start = time.perf_counter()
        with pytest.raises(SiteError):
            call()
        assert time.perf_counter() - start < 0.5


def _tiny_table():
    return load_sites(DATA / "tiny_sites.csv")


@pytest.mark.parametrize("text", ["-1e-11,1", "1,-1e-11", "-0.00000000001 -0.00000000001"])
def test_regression_6_no_negative_zero_from_parse_latlon(text):
    lat, lon = parse_latlon(text)
    assert math.copysign(1, lat) > 0 and math.copysign(1, lon) > 0
    # resolve_sites labels typed coordinates with them: "-0,1" would be shown.
    assert not resolve_sites([text], _tiny_table())["name"].iloc[0].startswith("-0")


def test_regression_6_combined_dashboard_site_ids_are_unique():
    typed = resolve_sites(["kaliningrad"])
    uploaded = load_sites(b"id,name,lat,lon\nkaliningrad-2,Mine,1,2\n", name="up.csv")
    assert combine_sites([typed, typed, uploaded])["id"].is_unique


def test_regression_6_typed_site_lines_are_fast_and_bounded():
    text = "\n".join(f"{i % 80},{i % 170}" for i in range(500))
    start = time.perf_counter()
    sites, errors = parse_site_lines(text)
    assert len(sites) == 500 and not errors
    assert time.perf_counter() - start < 1.0


# --- regression tests for issue 15 (bounded work) ----------------------------------------


def _many_named_sites(n: int):
    return site_frame(
        [{"id": f"site-{i}", "name": f"Site {i}", "lat": i % 80, "lon": i % 170} for i in range(n)]
    )


def test_regression_15_typed_sites_are_linear_and_hints_bounded(monkeypatch):
    """Check fix for typed sites that took 45 s (issue 15): one index for every line, and
    "closest:" hints (difflib over every id and name, at a cost of up to len(spec) x
    len(name) each) spend at most MAX_HINT_WORK in all. Counts index builds and the
    characters compared, not seconds."""
    builds, work = [], []
    real_init = SiteIndex.__init__
    monkeypatch.setattr(
        SiteIndex, "__init__", lambda self, t=None: builds.append(1) or real_init(self, t)
    )
    real_close = difflib.get_close_matches
    monkeypatch.setattr(
        difflib,
        "get_close_matches",
        lambda word, keys, **k: (
            work.append(len(word) * sum(map(len, keys))) or real_close(word, keys, **k)
        ),
    )
    table = _many_named_sites(2_000)  # 4,000 ids and names
    text = "\n".join(f"Stie {i}" for i in range(MAX_TYPED_SITES))
    sites, errors = parse_site_lines(text, table)
    assert len(sites) == 0 and len(errors) == MAX_TYPED_SITES and len(builds) == 1
    assert 1 < len(work) < 100 and sum(work) <= MAX_HINT_WORK
    assert "closest: 'site 0'" in errors[0]
    assert "closest: not searched (the work spent on hints is limited" in errors[-1]
    good = resolve_sites([f"site {i % 2_000}" for i in range(MAX_SITES)], table)
    assert len(good) == MAX_SITES and good["id"].is_unique and len(builds) == 2
    with pytest.raises(SiteError, match="10,001 sites given, over the limit of 10,000"):
        resolve_sites(["1,2"] * (MAX_SITES + 1), table)
    assert len(builds) == 2  # refused before the index was built


def test_regression_15_geojson_property_names_and_features_bounded_before_rows():
    """Check fix for GeoJSON with a distinct property per feature (issue 15: 10,000
    features, 23.5 s and 2.1 GB): only the site columns are kept from each feature, and
    features are counted like CSV rows (MAX_SITES) before a row is built."""
    feats = [
        {"type": "Feature", "properties": {f"p{i}": i, "name": f"s{i}"},
         "geometry": {"type": "Point", "coordinates": [1, 2]}}
        for i in range(MAX_SITES)
    ]  # fmt: skip
    data = json.dumps({"type": "FeatureCollection", "features": feats}).encode()
    wide = load_sites(data, name="wide.geojson")
    assert len(wide) == MAX_SITES and list(wide.columns) == [*SITE_COLUMNS, "geometry"]
    # Features are counted first: these have no geometry at all, yet the count refuses them.
    many = json.dumps({"type": "FeatureCollection", "features": [{}] * (MAX_SITES + 1)})
    with pytest.raises(SiteError, match=r"10,001 sites, over the limit of 10,000") as info:
        load_sites(many.encode(), name="many.geojson")
    assert_one_line(info.value)
