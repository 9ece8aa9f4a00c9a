"""rangemap.sites: shipped sites, user files, typed coordinates, joins, the dashboard's
site inputs (typed lines, uploads, combined tables), and the regression tests of the site
bugs issue 6's fuzzing found (GeoJSON sites, site ids, coordinate parsing)."""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import time
from unittest import mock

import pytest
from conftest import DATA, assert_one_line
from hypothesis import given, settings
from hypothesis import strategies as st

import rangemap.coords
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
        ("26.2, 127.7", (26.2, 127.7)),
        ("1e1,-2E-1", (10.0, -0.2)),
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
        (b"name;lat;lon\nX;1e309;10\n", r"column 'lat': must be a finite number, got '1e309'"),
        (b"name;lat;lon\nX;10;\n", r"column 'lon': is required"),
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


# --- issue 14: coordinates and site files as people type and save them ------------------

#: What a first-time user typed (issue 14), and what it means.
TYPED_FORMS = [
    ("26°12'N 127°41'E", (26.2, 127 + 41 / 60)),
    ("26 12 N, 127 41 E", (26.2, 127 + 41 / 60)),
    ("26°12.5′N 127°41.3′E", (26 + 12.5 / 60, 127 + 41.3 / 60)),
    ("N26.2 E127.7", (26.2, 127.7)),
    ("13.4N 144.8E", (13.4, 144.8)),
    ("33.9S, 151.2E", (-33.9, 151.2)),
    ("50,04; 21,99", (50.04, 21.99)),
    ("50,04 21,99", (50.04, 21.99)),
    ("127.7E 26.2N", (26.2, 127.7)),
    ("26°12'30\"N 127°41'15\"W", (26 + 12.5 / 60, -(127 + 41.25 / 60))),
    ("26°12'30''S, 127°41'15''E", (-(26 + 12.5 / 60), 127 + 41.25 / 60)),
    ("n26.2 e127.7", (26.2, 127.7)),
    ("26.2N127.7E", (26.2, 127.7)),
    ("(26°12'N; 127°41'E)", (26.2, 127 + 41 / 60)),
    ("\u221233.9, 151.2", (-33.9, 151.2)),  # a typographic minus sign
    ("26.2N, 127.7", (26.2, 127.7)),
    ("127.7, 26.2N", (26.2, 127.7)),  # the letter says the second is the latitude
    ("26º 12’ N 127º 41’ E", (26.2, 127 + 41 / 60)),  # Iberian keyboards, smart quotes
    ("W180 N0", (0.0, -180.0)),
]


@pytest.mark.parametrize(("text", "expected"), TYPED_FORMS, ids=[t for t, _ in TYPED_FORMS])
def test_regression_14_typed_forms_are_read(text, expected):
    assert parse_latlon(text) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(("text", "expected"), TYPED_FORMS[:11])
def test_regression_14_typed_forms_in_the_sidebar_lines(text, expected):
    sites, errors = parse_site_lines(f"alpha\nOkinawa: {text}\n\n{text}\n", _tiny_table())
    assert errors == []
    assert sites["name"].tolist()[:2] == ["Alpha", "Okinawa"]
    assert sites["kind"].tolist() == ["reported", "user", "user"]
    assert sites[["lat", "lon"]].to_numpy()[1:].ravel() == pytest.approx(list(expected) * 2)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("12,34,56", r"'12,34,56' as LAT,LON: .*decimal comma \(is it 12,34; 56 or 12; 34,56\?\)"),
        ("50,04, 21,99", r"'50,04, 21,99'.*separate them with ';'"),
        ("95N 10E", r"latitude '95N' is beyond 90°"),
        ("95 10", r"'95 10'.*latitude must be a finite number in \[-90, 90\], got 95"),
        ("200E 10N", r"longitude '200E' is beyond 180°"),
        ("26.2N 27.5N", r"'26.2N' and '27.5N' are both latitudes"),
        ("127E, 26W", r"both longitudes"),
        ("-26.2S 127E", r"'-26.2S' has both a sign and a hemisphere letter"),
        ("26°72'N 127°E", r"minutes must be below 60, got '72'"),
        ("26°12'75\"N 127°E", r"seconds must be below 60, got '75'"),
        ("26.5°12'N 127°E", r"only the last part may have a fraction \('26.5'\)"),
        ("26 12, 127 41", r"'26 12' has 2 numbers without a mark"),
        ("26° 12", r"is '12' part of '26°' or the other coordinate\?"),
        ("26°12' 30", r"""is '30' part of "26°12'" or the other coordinate\?"""),
        ("10° 20,5", r"'10° 20,5' as LAT,LON: it reads as 10\.3333, 5 or 10, 20\.5"),
        ("12'N 127E", r"the mark after '12' says minutes"),
        ("N26.2N, 127", r"'N26.2N' has a hemisphere letter inside or more than one"),
        ("N26.2N 127E", r"more than 2 hemisphere letters"),
        ("26.2", r"expected two coordinates"),
        ("26.2; 127.7; 1", r"more than one ';'"),
        ("1 2 3", r"LAT,LON"),
        ("26.2 127.7 km", r"unexpected character 'k'"),
    ],
)
def test_regression_14_bad_or_ambiguous_typed_sites_are_refused(text, match):
    with pytest.raises(SiteError, match=match) as info:
        parse_latlon(text)
    assert_one_line(info.value)
    sites, errors = parse_site_lines(f"13.4N 144.8E\n{text}\nguam", SITES)
    assert sites["id"].tolist() == ["13.4,144.8", "guam"]  # the good lines still count
    assert len(errors) == 1 and errors[0].startswith("line 2: ")
    assert repr(text) in errors[0] or text in errors[0]  # the line and its value are named


@pytest.mark.parametrize("name", ["Stie 12", "s-300", "News 2"])
def test_names_with_digits_are_still_names_not_coordinates(name):
    """A site name with digits is looked up (with a hint), not read as coordinates."""
    with pytest.raises(SiteError, match=rf"unknown site '{name}'; closest"):
        SiteIndex(_tiny_table()).row(name)


@settings(max_examples=300)
@given(text=st.text(st.sampled_from("0123456789.,; \t°'\"NSEWnsew-+()"), max_size=100))
def test_coordinate_readings_are_bounded(text):
    """Any text of the coordinate alphabet: a pair in range or one SiteError, after at most
    50 coordinates tried (25 readings), however many spaces and letters it holds."""
    with mock.patch.object(rangemap.coords, "_term", wraps=rangemap.coords._term) as term:
        try:
            lat, lon = parse_latlon(text)
        except SiteError as exc:
            assert_one_line(exc)
        else:
            assert -90 <= lat <= 90 and -180 <= lon < 180
    assert term.call_count <= 50


# An exponent, a bare point, parentheses: what the decimal form took before issue 14.
_DECIMAL = st.one_of(
    st.floats(-90, 90).map(repr),
    st.integers(-90, 90).map(str),
    st.sampled_from(["1e1", "-1E-3", ".5", "5.", "+7", "-0"]),
)


@given(
    lat=_DECIMAL,
    lon=_DECIMAL | st.floats(-540, 540).map(repr),
    sep=st.sampled_from([",", ", ", " , ", ";", " ; ", " ", "   "]),
    paren=st.booleans(),
)
def test_decimal_pairs_read_as_before(lat, lon, sep, paren):
    """Every form accepted before issue 14 gives the same numbers (checked by float())."""
    text = f"({lat}{sep}{lon})" if paren else f"{lat}{sep}{lon}"
    got = parse_latlon(text)
    want_lon = float(lon) if -180 <= float(lon) < 180 else (float(lon) + 180) % 360 - 180
    assert got == pytest.approx((float(lat), want_lon), abs=1e-9)


#: Mark styles: ASCII, typographic primes, Iberian ordinal and smart quotes, two
#: apostrophes for seconds, and none (numbers apart, which needs the letter).
_MARKS = [("°", "'", '"'), ("°", "′", "″"), ("º", "’", "”"), ("°", "'", "''"), (" ", " ", "")]


def _dms(units: int, *, axis: str, places: int, marks: tuple[str, str, str], before: bool,
         lower: bool, spaced: bool) -> str:  # fmt: skip
    """Write ``units`` (1 / 10**places of an arcsecond, signed) in degrees-minutes-seconds."""
    scale = 10**places
    deg, rest = divmod(abs(units), 3600 * scale)
    minutes, sec = divmod(rest, 60 * scale)
    seconds = f"{sec // scale}.{sec % scale:0{places}d}" if places else str(sec)
    gap = " " if spaced else ""
    body = f"{deg}{marks[0]}{gap}{minutes}{marks[1]}{gap}{seconds}{marks[2]}".strip()
    letter = {("lat", False): "N", ("lat", True): "S", ("lon", False): "E", ("lon", True): "W"}[
        (axis, units < 0)
    ]
    letter = letter.lower() if lower else letter
    return f"{letter}{gap}{body}" if before else f"{body}{gap}{letter}"


_STYLE = st.fixed_dictionaries(
    {"marks": st.sampled_from(_MARKS), "before": st.booleans(), "lower": st.booleans(),
     "spaced": st.booleans()}
)  # fmt: skip


@given(
    lat=st.integers(-90 * 360_000, 90 * 360_000),
    lon=st.integers(-180 * 360_000 + 1, 180 * 360_000 - 1),
    style=_STYLE,
    sep=st.sampled_from([", ", " ", "; ", ",", ";", "  "]),
    lon_first=st.booleans(),
)
def test_dms_text_reads_as_its_decimal_value(lat, lon, style, sep, lon_first):
    """DMS -> decimal: hundredths of an arcsecond written any way read back exactly."""
    texts = [_dms(lat, axis="lat", places=2, **style), _dms(lon, axis="lon", places=2, **style)]
    if lon_first:  # the letters say which is which
        texts.reverse()
    got = parse_latlon(sep.join(texts))
    assert got == pytest.approx((lat / 360_000, lon / 360_000), abs=1e-9)


@given(
    lat=st.floats(-90, 90),
    lon=st.floats(-180, 180, exclude_max=True),
    style=_STYLE,
)
def test_decimal_degrees_survive_a_trip_through_dms(lat, lon, style):
    """Decimal -> DMS (seconds to 1e-6) -> decimal stays within 3e-10 degrees."""
    units = [round(v * 3600 * 10**6) for v in (lat, lon)]
    text = ", ".join(
        _dms(u, axis=axis, places=6, **style) for u, axis in zip(units, ("lat", "lon"), strict=True)
    )
    got = parse_latlon(text)
    assert got[0] == pytest.approx(lat, abs=3e-10)
    assert got[1] == pytest.approx(lon, abs=3e-10) or got[1] == pytest.approx(lon - 360, abs=3e-10)


@given(
    lat=st.integers(-90_000_000, 90_000_000),
    lon=st.integers(-179_000_000, 179_000_000),
    places=st.integers(1, 6),
    sep=st.sampled_from(["; ", ";", " ; ", " ", "\t"]),
)
def test_decimal_commas_read_with_a_semicolon_or_space_between(lat, lon, places, sep):
    def comma(v: int) -> str:
        return f"{v / 1e6:.{places}f}".replace(".", ",")

    text = f"{comma(lat)}{sep}{comma(lon)}"
    assert parse_latlon(text) == pytest.approx(
        (round(lat / 1e6, places), round(lon / 1e6, places)), abs=1e-9
    )


# --- issue 14: site files as European spreadsheets save them -----------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_regression_14_european_spreadsheet_csv(encoding, newline):
    text = newline.join(["name;lat;lon", "Rzeszów;50,04;21,99", "Kraków;50,06;19,94", ""])
    sites = read_upload(_Upload("stacje.csv", text.encode(encoding)))
    assert sites["name"].tolist() == ["Rzeszów", "Kraków"]
    assert sites["lat"].tolist() == [50.04, 50.06] and sites["lon"].tolist() == [21.99, 19.94]
    assert sites["kind"].tolist() == ["user", "user"]


def test_regression_14_tab_separated_and_dms_cells():
    text = "name\tlat\tlon\nOkinawa\t26°12'N\t127°41'E\nSydney\t33.9S\t151,2\n"
    sites = read_upload(_Upload("sites.tsv.csv", text.encode("utf-16")))  # Excel "Unicode text"
    assert sites["lat"].tolist() == pytest.approx([26.2, -33.9])
    assert sites["lon"].tolist() == pytest.approx([127 + 41 / 60, 151.2])


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ('name,lat,lon\nX,"1,5","2,5"\n', None),  # a quoted decimal comma is one cell
        ("name,lat,lon,note\nRzeszów,50,04,21,99\n",
         r"^up\.csv, line 2, column 'lat': ambiguous value '50,04': ',' is both the delimiter "
         r"and a decimal comma \(5 cells for 4 columns\)"),
        ("name,lat,lon\nA,1.5,2.5\nRzeszów,50,04,21,99\n",
         r"^up\.csv, line 3, column 'lat': ambiguous value '50,04'"),
        ("name;lat;lon\nX;127.7E;26.2\n",
         r"^up\.csv, line 2, column 'lat': cannot read '127\.7E' as a latitude: its letter says"),
        ("name;lat;lon\nX;26°72'N;1\n", r"column 'lat': cannot read .* minutes must be below 60"),
        ("name;lat;lon\nX;50,04;ten\n", r"line 2, column 'lon': must be a number, got 'ten'"),
        ("name;lat;lon\nX;95,5;1\n", r"line 2, columns 'lat','lon': site latitude must be"),
    ],
)  # fmt: skip
def test_regression_14_site_cells_and_ambiguous_commas(content, match):
    upload = _Upload("up.csv", content.encode())
    if match is None:
        assert read_upload(upload)[["lat", "lon"]].to_numpy().tolist() == [[1.5, 2.5]]
        return
    with pytest.raises(SiteError, match=match) as info:
        read_upload(upload)  # the whole file is refused: nothing half-loaded
    assert_one_line(info.value)


@pytest.mark.parametrize(
    "content",
    [
        "name,lat,lon\nX,1.5,2.5\n",
        "name;lat;lon\nX;1.5;2.5\n",
        "\ufeffname,lat,lon\r\nX,1.5,2.5\r\n",
    ],
)
def test_decimal_points_with_comma_or_semicolon_read_as_before(content):
    upload = _Upload("up.csv", content.encode())
    assert read_upload(upload)[["lat", "lon"]].to_numpy().tolist() == [[1.5, 2.5]]


_CP1252_NAME = (
    st.text(
        st.sampled_from("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 -'àáâäçèéêëíîïñóôöùúûüÿ;\t,\""),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)


@given(
    rows=st.lists(
        st.tuples(_CP1252_NAME, st.integers(-90_000_000, 90_000_000),
                  st.integers(-179_000_000, 179_000_000), st.integers(0, 6)),
        min_size=1,
        max_size=8,
    ),
    delimiter=st.sampled_from([";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    newline=st.sampled_from(["\n", "\r\n"]),
)  # fmt: skip
def test_decimal_comma_site_files_read_back(rows, delimiter, encoding, newline):
    """A site table saved with decimal commas in any of the accepted shapes reads back."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    writer.writerow(["name", "lat", "lon"])
    for name, lat, lon, places in rows:
        writer.writerow([name, *(f"{v / 1e6:.{places}f}".replace(".", ",") for v in (lat, lon))])
    sites = read_upload(_Upload("up.csv", buf.getvalue().encode(encoding)))
    assert sites["name"].tolist() == [name for name, *_ in rows]
    assert sites["lat"].tolist() == pytest.approx([round(r[1] / 1e6, r[3]) for r in rows])
    assert sites["lon"].tolist() == pytest.approx([round(r[2] / 1e6, r[3]) for r in rows])
