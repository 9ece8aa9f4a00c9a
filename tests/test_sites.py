"""rangemap.sites: shipped sites, user files, typed coordinates, joins."""

from __future__ import annotations

import json

import pytest

from rangemap.errors import SiteError
from rangemap.rings import join_sites
from rangemap.sites import MAX_SITES, load_sites, parse_latlon, resolve_sites

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
    "jilin",
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
    assert row["kind"] in ("reported", "hypothetical")
    assert row["source"].startswith("http") or "no public source" in row["note"]


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
