"""Hostile input (issue 6, section 2): every loader and every CLI command, fuzzed.

The property, for every input: a result, or a :class:`RangemapError` whose message is one
line. Never another exception, a hang, or a partial output file. For the CLI: exit status
0 or 2, no traceback, and a bad value reported on one ``rangemap: error:`` line.

Strategies build structurally plausible but broken input (the right header with hostile
cells; valid rows with a few cells replaced; GeoJSON of the right shape with wrong parts)
as well as random bytes and random JSON, so that the fuzzing reaches the validation code
and not only the first "missing column" check.

Then come the cases issue 6 asks for by name (``test_named_*``), the dashboard's inputs
and scenario files.

The regression tests of the bugs the fuzzing found (``test_regression_6_*``) are not here:
each sits beside the module it guards (style guide), in tests/test_io.py (URLs, folders,
pipes and file names as input), tests/test_sites.py (GeoJSON sites, site ids, typed
coordinates and site lines), tests/test_geodesy.py (longitudes kept exactly),
tests/test_cli.py (minimum radius options) and tests/test_scenario.py (TOML limits, long
paths). A new bug gets its regression test there, ``xfail(strict=True)`` until fixed, and
an entry in :data:`KNOWN_BUGS` so that the properties tolerate its exception meanwhile.
The harness those tests share with this file (:class:`CliRun`, ``assert_one_line``, the
loader texts) lives in tests/conftest.py.

Documented behaviour checked here:

- longitudes from -540 to 540 are accepted and normalised to [-180, 180) (540 -> -180,
  -540 -> -180); latitudes outside [-90, 90] are refused;
- a site table holds at most :data:`rangemap.sites.MAX_SITES` rows (10,000); a target
  file at most :data:`rangemap.targets.MAX_TARGETS` (1,000,000: 100,000 targets load);
- an input larger than :data:`rangemap._io.MAX_FILE_BYTES` (50 MB) is refused before it
  is read whole;
- names are data: loaders and text exports keep ``<script>``, right-to-left and CJK text
  exactly; HTML outputs escape them.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import math
import re
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import (
    CAT_TEXT,
    CLAIM_HEADER,
    CLAIM_ROWS,
    CLAIM_TEXT,
    LOADERS,
    PATHOLOGICAL_TOML,
    CliRun,
    _catalogue_with,
    _load,
    assert_one_line,
    time_limit,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rangemap import formats, mapview, scenario
from rangemap._io import MAX_FILE_BYTES, restore_formula
from rangemap.catalogue import find_system, load_catalogue
from rangemap.claims import load_claims
from rangemap.errors import CatalogueError, RangemapError, SiteError, TargetError
from rangemap.geojson import dumps_geojson, to_geojson
from rangemap.layers import build_layers
from rangemap.reach import coverage_table
from rangemap.rings import join_sites, range_rings, rings_for
from rangemap.sites import (
    MAX_SITES,
    SITE_COLUMNS,
    load_sites,
    parse_latlon,
    parse_site_lines,
    read_upload,
    resolve_sites,
)
from rangemap.targets import load_targets

DATA = Path(__file__).parent / "data"

#: Loaders answer small inputs in milliseconds; anything near this is a hang.
LOADER_SECONDS = 20.0

#: Examples per property: the profile's count (ci: 150) for loaders, fewer for CLI
#: commands, which draw rings and read the shipped tables (about 10-60 ms each).
N = settings.default.max_examples
N_CLI = max(10, N // 3)

#: Exceptions raised today instead of a RangemapError, each pinned by an xfail regression
#: test beside the module it guards. When a bug is fixed, delete its entry here and the
#: xfail marker there (issue 6).
KNOWN_BUGS: dict[str, tuple[type[BaseException], str]] = {}


def _known_bug(exc: BaseException) -> str | None:
    if isinstance(exc, RangemapError):
        return None
    for label, (kind, pattern) in KNOWN_BUGS.items():
        if isinstance(exc, kind) and re.search(pattern, str(exc)):
            return label
    return None


# --- harness --------------------------------------------------------------------------


def outcome(call: Callable[[], object]) -> object | None:
    """Run a loader: its result, or None after a one-line RangemapError or a known bug.

    Any other exception propagates and fails the property.
    """
    with time_limit(LOADER_SECONDS), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # on_invalid="warn" and pandas' own warnings
        try:
            return call()
        except RangemapError as exc:
            assert_one_line(exc)
            return None
        except Exception as exc:
            if _known_bug(exc) is None:
                raise
            return None


def cli_outcome(argv: list[str]) -> CliRun | None:
    """Run the CLI and check it; None when a known bug (see KNOWN_BUGS) escaped ``main``."""
    try:
        run = CliRun(argv)
    except Exception as exc:
        if _known_bug(exc) is None:
            raise
        return None
    run.check()
    return run


FUZZ = settings(max_examples=N, suppress_health_check=[HealthCheck.too_slow])
FUZZ_CLI = settings(max_examples=N_CLI, suppress_health_check=[HealthCheck.too_slow])


# --- strategies -----------------------------------------------------------------------

HOSTILE_CELLS = [
    "", " ", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e308", "-1e308", "1e309",
    "-0", "-0.0", "0", "1e-320", "9" * 400, "-" + "9" * 40, "0x10", "1_000", "\u0661\u0662",
    "\u00b2", "NULL", "None", "true", '"', '""', '"a,b"', "a\nb", "a\r\nb", "a\rb", "a;b",
    ";", ",", "\t", "\ufeff", "\u200f\u05e9\u05dc\u05d5\u05dd", "\u202eevil", "東京",
    "서울", "القاعدة", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "&amp;&lt;", "' OR 1=1 --", '=HYPERLINK("http://x")', "http://[", "http://ex\uff03am.org",
    "https://", "javascript:alert(1)", "https://example.org/a", "91", "-91", "540", "-540",
    "541", "180", "-180", "90", "-90", "2026-13-45", "2026-11-23", "1987", "0001",
    "road-mobile", "ship;submarine", "GLCM", "RUS", "deployed", "dual", "reported",
    "x" * 300,
]  # fmt: skip

cells = st.one_of(
    st.sampled_from(HOSTILE_CELLS),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**30), 10**30).map(str),
)
BAD_URLS = ["http://[abc", "http://[::1", "https://ex\uff03am.org/", "https:///x", "ftp://x.org",
            "http://a b", "https://example.org/a https://", "javascript:alert(1)",
            "http://\u0430.org", "http://x.org:99999", "HTTPS://EXAMPLE.ORG",
            "https://x.org/<script>", "//x.org"]  # fmt: skip
url_cells = st.one_of(st.sampled_from(BAD_URLS), st.text(max_size=10).map(lambda t: "https://" + t))
number_cells = st.one_of(
    st.sampled_from(HOSTILE_CELLS[:20] + ["91", "-91", "540", "-540", "541", "180", "-180"]),
    st.floats(-600, 600).map(repr),
    st.floats(-1e6, 1e6).map(lambda f: f"{f:.3e}"),
)
#: Cells aimed at what a column checks, so that a mutation reaches the column's parser.
COLUMN_CELLS = {
    "sources": url_cells, "source": url_cells,
    "lat": number_cells, "lon": number_cells, "population": number_cells,
    "range_km": number_cells, "range_low_km": number_cells, "range_high_km": number_cells,
    "min_range_km": number_cells, "claim_range_km": number_cells,
    "id": st.sampled_from(["test-glcm", "test-slcm", "alpha", "fiji", "a", "a-2", "A", "-x"]),
    "system_id": st.sampled_from(["test-glcm", "9m729", "no-such", "X"]),
    "accessed": st.sampled_from(["2026", "2026-02-30", "26-01-01", "\u0662\u0660\u0662\u0666"]),
    "date": st.sampled_from(["2026", "2026-02-30", "", "yesterday"]),
    "first_deployed": st.sampled_from(["1899", "2101", "1987.0", "\u0661\u0669\u0668\u0667"]),
}  # fmt: skip


def _cell_for(column: str) -> st.SearchStrategy[str]:
    special = COLUMN_CELLS.get(column)
    return cells if special is None else st.one_of(special, special, cells)


def _tiny_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


CAT_HEADER, CAT_ROWS = _tiny_rows(DATA / "tiny_catalogue.csv")
SITE_HEADER, SITE_ROWS = _tiny_rows(DATA / "tiny_sites.csv")
TARGET_HEADER = ["name", "country", "lat", "lon", "population", "capital"]
TARGET_ROWS = [
    ["Tokyo", "JPN", "35.6895", "139.6917", "8336599", "true"],
    ["Suva", "FJI", "-18.1416", "178.4415", "", "yes"],
    ["Nowhere", "", "0", "-179.999", "12", ""],
]


@st.composite
def tables(
    draw: st.DrawFn, header: list[str], valid_rows: list[list[str]], max_rows: int = 6
) -> bytes:
    """A delimited file: valid rows with a few cells made hostile, and a broken header now
    and then; comma or semicolon, LF or CRLF, BOM or not, quoted properly or not."""
    columns = list(header)
    if draw(st.booleans()):
        columns = draw(st.permutations(columns))
    header_edit = draw(st.sampled_from(["none"] * 10 + ["drop", "dupe", "rename", "extra"]))
    picked = draw(st.lists(st.sampled_from(valid_rows), min_size=1, max_size=max_rows))
    rows = []
    for base in picked:
        row = dict(zip(header, base, strict=True))
        cells_out = [row[c] for c in columns]
        for _ in range(draw(st.sampled_from([0, 0, 1, 1, 1, 2, 3]))):
            j = draw(st.integers(0, len(cells_out) - 1))
            cells_out[j] = draw(_cell_for(columns[j]))
        if draw(st.integers(0, 9)) == 0:
            cells_out = cells_out[: draw(st.integers(0, len(cells_out)))]
        elif draw(st.integers(0, 9)) == 0:
            cells_out = cells_out + draw(st.lists(cells, min_size=1, max_size=3))
        rows.append(cells_out)
    if header_edit == "drop" and columns:
        del columns[draw(st.integers(0, len(columns) - 1))]
    elif header_edit == "dupe" and columns:
        columns.append(draw(st.sampled_from(columns)))
    elif header_edit == "rename" and columns:
        columns[draw(st.integers(0, len(columns) - 1))] = draw(cells)
    elif header_edit == "extra":
        columns.append(draw(cells))
    delimiter = draw(st.sampled_from([",", ",", ";"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    buf = io.StringIO()
    if draw(st.integers(0, 4)) == 0:  # raw join: broken quoting, stray separators
        buf.write(newline.join(delimiter.join(r) for r in [columns, *rows]) + newline)
    else:
        writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
        writer.writerow(columns)
        writer.writerows(rows)
    text = buf.getvalue()
    if draw(st.integers(0, 4)) == 0:
        text = "\ufeff" + text
    data = text.encode("utf-8")
    if draw(st.integers(0, 14)) == 0:  # a stray byte: NUL, non-UTF-8, truncation
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(min_size=1, max_size=3)) + data[cut:]
    return data


def _csv_inputs(header: list[str], rows: list[list[str]]) -> st.SearchStrategy[bytes]:
    head = ",".join(header).encode()
    return st.one_of(
        tables(header, rows),
        tables(header, rows),
        tables(header, rows),
        st.binary(max_size=300),
        st.binary(max_size=300).map(lambda b: head + b"\n" + b),
        st.text(max_size=300).map(lambda t: head + b"\n" + t.encode("utf-8", "surrogatepass")),
    )


#: Text as JSON can carry it: "\\ud800" escapes decode to lone surrogates.
json_text = st.text(max_size=10) | st.text(st.characters(categories=["Cs"]), min_size=1, max_size=2)
json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers(-(10**20), 10**20) | json_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
)

coordinates = st.one_of(
    st.floats(-600, 600),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([91, -91, 540, -540, 541, 1e308, -0.0, 180, -180, 90, -90, 0]),
    st.integers(-(10**25), 10**25),
    st.text(max_size=6),
    json_values,
)


@st.composite
def feature_collections(draw: st.DrawFn) -> bytes:
    """GeoJSON text: point features with hostile properties and coordinates, or junk."""
    features = []
    for _ in range(draw(st.integers(0, 5))):
        props = draw(
            st.one_of(
                st.fixed_dictionaries(
                    {"name": cells | json_text},
                    optional={c: _cell_for(c) | json_values for c in SITE_COLUMNS if c != "name"},
                ),
                st.fixed_dictionaries({"name": cells | json_text}),
                json_values,
            )
        )
        point = st.builds(
            lambda xy: {"type": "Point", "coordinates": xy},
            st.lists(coordinates, min_size=2, max_size=3),
        )
        junk = st.builds(
            lambda kind, xy: {"type": kind, "coordinates": xy},
            st.sampled_from(["Point", "LineString", "point", ""]),
            st.lists(coordinates, max_size=4) | json_values,
        )
        geometry = draw(st.one_of(point, point, point, junk, json_values))
        feature = {"type": "Feature", "properties": props, "geometry": geometry}
        features.append(feature if draw(st.integers(0, 19)) else draw(json_values))
    doc: object = {
        "type": draw(st.sampled_from(["FeatureCollection"] * 6 + ["Feature", "", None])),
        "features": features if draw(st.integers(0, 9)) else draw(json_values),
    }
    if draw(st.integers(0, 9)) == 0:
        doc = draw(json_values)
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()), allow_nan=True)
    if draw(st.integers(0, 14)) == 0:
        return draw(st.sampled_from(PATHOLOGICAL_JSON))
    return text.encode("utf-8", "surrogatepass")


def _fc(features: str) -> bytes:
    return ('{"type":"FeatureCollection","features":' + features + "}").encode()


def _with_props(props: str) -> bytes:
    point = '{"type":"Point","coordinates":[1,2]}'
    return _fc('[{"type":"Feature","properties":' + props + ',"geometry":' + point + "}]")


#: JSON that random generation does not reach: depth, size of numbers, odd tokens.
PATHOLOGICAL_JSON = [
    _fc("[" * 50_000 + "]" * 50_000),
    _fc("[" + "1" * 5000 + "]"),
    _with_props('{"name": 1e999}'),
    _with_props('{"name": "\\udfff"}'),
    _with_props('{"name": "a", "name": null}'),
    _with_props("[]"),
    _with_props("NaN"),
    b"\xef\xbb\xbf" + _with_props("{}"),
    _fc("[]")[:-1],
    _fc("[" + "{}," * 20_000 + "{}]"),
]


_number = st.one_of(
    st.floats(-600, 600).map(repr),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-1000, 1000).map(str),
    st.sampled_from(["91", "-91", "540", "-540", "541", "1e308", "-0", ".5", "5.", "1e", "+1"]),
)
latlon_text = st.one_of(
    st.builds(
        lambda a, sep, b, paren: ("({}{}{})" if paren else "{}{}{}").format(a, sep, b),
        _number,
        st.sampled_from([",", ", ", ";", " ", "  ", " , ", "\t", ",,", ""]),
        _number,
        st.booleans(),
    ),
    st.text(max_size=30),
    st.sampled_from(HOSTILE_CELLS),
)


# --- fuzzing the loaders --------------------------------------------------------------


@FUZZ
@given(data=_csv_inputs(CAT_HEADER, CAT_ROWS), policy=st.sampled_from(["raise", "warn", "drop"]))
def test_fuzz_load_catalogue(data, policy):
    cat = outcome(lambda: load_catalogue(data, name="missiles.csv", on_invalid=policy))
    if cat is None:
        return
    assert cat["id"].is_unique
    ranges = cat["range_km"].dropna()
    assert ((ranges > 0) & ranges.map(math.isfinite)).all()
    # What loads must also draw: every band of every system at one site, or a clean error.
    if len(cat):
        assert find_system(cat, cat["id"].iloc[0])["id"] == cat["id"].iloc[0]
        joined = join_sites(cat, _fiji(), band="all")
        outcome(lambda: rings_for(joined))


@FUZZ
@given(data=_csv_inputs(CLAIM_HEADER, CLAIM_ROWS))
def test_fuzz_load_claims(data):
    claims = outcome(lambda: load_claims(data, name="claims.csv"))
    if claims is not None:
        assert (claims["claim_range_km"].dropna() > 0).all()


def _check_points(frame) -> None:
    """Coordinates in range, and the frame exports: what loads must also be written."""
    assert frame["lat"].between(-90, 90).all()
    assert ((frame["lon"] >= -180) & (frame["lon"] < 180)).all()
    assert frame.crs.to_epsg() == 4326
    text = dumps_geojson(to_geojson(frame))
    text.encode("utf-8")  # as write_atomic will
    assert len(json.loads(text)["features"]) == len(frame)


@FUZZ
@given(data=_csv_inputs(SITE_HEADER, SITE_ROWS), policy=st.sampled_from(["raise", "warn", "drop"]))
def test_fuzz_load_sites_csv(data, policy):
    sites = outcome(lambda: load_sites(data, name="sites.csv", on_invalid=policy))
    if sites is not None:
        _check_points(sites)
        assert list(sites.columns[: len(SITE_COLUMNS)]) == list(SITE_COLUMNS)


@FUZZ
@given(data=st.one_of(feature_collections(), st.binary(max_size=200)), as_name=st.booleans())
@example(data=b'{"type":"FeatureCollection","features":[]}', as_name=False)
@example(data=b"{", as_name=False)
def test_fuzz_load_sites_geojson(data, as_name):
    # Detected by the name's suffix, or by a leading "{" in an unnamed upload.
    sites = outcome(lambda: load_sites(data, name="sites.geojson" if as_name else None))
    if sites is not None:
        _check_points(sites)


@FUZZ
@given(
    data=st.one_of(_csv_inputs(TARGET_HEADER, TARGET_ROWS), feature_collections()),
    suffix=st.sampled_from([".csv", ".geojson", ".json", ""]),
    policy=st.sampled_from(["raise", "drop"]),
)
def test_fuzz_load_targets(data, suffix, policy):
    targets = outcome(lambda: load_targets(data, name=f"targets{suffix}", on_invalid=policy))
    if targets is not None:
        _check_points(targets)
        assert {"name", "country", "lat", "lon", "population", "capital"} <= set(targets)
        table = coverage_table(_fiji_ring(), targets)
        assert len(table) == len(targets)


@FUZZ
@given(text=latlon_text)
@example(text="-0,540")
@example(text="(90;-540)")
def test_fuzz_parse_latlon(text):
    got = outcome(lambda: parse_latlon(text))
    if got is not None:
        lat, lon = got
        assert -90 <= lat <= 90 and -180 <= lon < 180


@functools.cache
def _fiji():
    return load_sites(DATA / "tiny_sites.csv").iloc[[1]]


@functools.cache
def _fiji_ring():
    return range_rings(["df-26"], ["fiji"], site_table=_fiji())


@pytest.fixture(scope="module")
def tiny_site_table():
    return load_sites(DATA / "tiny_sites.csv")


@FUZZ
@given(specs=st.lists(latlon_text | st.sampled_from(["alpha", "FIJI", "north"]), max_size=4))
def test_fuzz_resolve_sites(specs, tiny_site_table):
    got = outcome(lambda: resolve_sites(specs, tiny_site_table))
    if got is not None:
        assert len(got) == len(specs) and got["id"].is_unique
        _check_points(got)


@FUZZ
@given(data=st.binary(max_size=64), limit=st.integers(0, 80))
def test_fuzz_size_limit_is_exact(data, limit):
    """An input of ``max_bytes`` bytes may be read; one more is refused (bytes, streams)."""
    from rangemap._io import read_text

    def read(source: object) -> object:
        return read_text(source, label="f", error=SiteError, max_bytes=limit)

    for source in (data, io.BytesIO(data)):
        got = outcome(lambda src=source: read(src))
        if len(data) > limit:
            assert got is None


# --- fuzzing the CLI ------------------------------------------------------------------

SYSTEM_KEYS = ["df-26", "DF-26", "SSC-8", "9m729", "pershing-2", "tomahawk-typhon"]
SITE_KEYS = ["guam", "kaliningrad", "Kaliningrad", "luzon-laoag", "-17.7,178.1", "13.4,144.8"]
RADII = ["100", "1000", "5500", "0", "-0", "-5", "nan", "inf", "-inf", "1e308", "1e-300",
         "20004", "30000", "abc", "", "1_000", "0x10"]  # fmt: skip
_good_radius = st.floats(0.001, 25_000).map(repr)
radius_text = st.one_of(st.sampled_from(RADII), _good_radius, _good_radius)
#: What argv can hold: no NUL, no lone surrogates.
free_text = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12
)
system_key = st.one_of(st.sampled_from(SYSTEM_KEYS), st.sampled_from(SYSTEM_KEYS), free_text)
#: Valid coordinates as people type them (longitudes up to +-540), to reach the maths.
good_latlon = st.builds(
    lambda lat, lon, style: style.format(lat, lon),
    st.floats(-90, 90),
    st.floats(-540, 540),
    st.sampled_from(["{},{}", "{:.4f}, {:.4f}", "({:.2f} {:.2f})", "{:g};{:g}"]),
)
site_key = st.one_of(
    st.sampled_from(SITE_KEYS),
    good_latlon,
    good_latlon,
    latlon_text.filter(lambda s: "\x00" not in s),
)
fmt_opts = st.sampled_from([[], ["--format", "csv"], ["--format", "json"], ["--format", "xml"]])
band_opts = st.sampled_from([[], ["--band", "all"], ["--band", "low"], ["--band", "max"]])
region_opts = st.sampled_from([[], ["--region", "europe"], ["--region", "east-asia"],
                               ["--region", "mars"]])  # fmt: skip


def _flags(name: str, values: list[str]) -> list[str]:
    return [a for v in values for a in (name, v)]


def _optional(opt: str, strategy: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return st.one_of(st.just([]), strategy.map(lambda v: [opt, v]))


argv_ring = st.builds(
    lambda c, r, m: ["ring", "--center", c, "--radius-km", r, *m],
    site_key,
    radius_text,
    _optional("--min-radius-km", radius_text),
)
argv_rings = st.builds(
    lambda s, t, b: ["rings", *_flags("--system", s), *_flags("--site", t), *b],
    st.lists(system_key, min_size=1, max_size=2),
    st.lists(site_key, min_size=1, max_size=2),
    band_opts,
)
argv_systems = st.builds(
    lambda c, k, extra, f: ["systems", *_flags("--country", c), *_flags("--class", k), *extra, *f],
    st.lists(st.one_of(st.sampled_from(["CHN", "rus", "USA"]), free_text), max_size=2),
    st.lists(st.sampled_from(["GLCM", "IRBM", "XYZ"]), max_size=2),
    st.sampled_from([[], ["--inf-only"], ["--claims"], ["--inf-only", "--claims"]]),
    fmt_opts,
)
argv_reach = st.builds(
    lambda cmd, s, r, m, t, reg, f, extra: [cmd, *_flags("--system", s), *r, *m,
                                            *_flags("--site", t), *reg, *f, *extra],
    st.sampled_from(["coverage", "area"]),
    st.lists(system_key, max_size=1),
    st.one_of(st.just([]), radius_text.map(lambda v: ["--radius-km", v]),
              _good_radius.map(lambda v: ["--radius-km", v])),
    _optional("--min-radius-km", radius_text),
    st.lists(site_key, min_size=1, max_size=2),
    region_opts,
    fmt_opts,
    st.sampled_from([[], ["--in-range-only"], ["--targets", "cities"], ["--targets", "nope"]]),
)  # fmt: skip
argv_compare = st.builds(
    lambda s, t, f: ["compare", *_flags("--system", s), *_flags("--site", t), *f],
    st.lists(system_key, min_size=1, max_size=2),
    st.lists(site_key, min_size=1, max_size=3),
    fmt_opts,
)
argv_flight = st.one_of(
    st.builds(
        lambda s, t, g, extra, f: ["flight-time", *_flags("--system", s), *_flags("--site", t),
                                   *_flags("--target", g), *extra, *f],
        st.lists(system_key, min_size=1, max_size=2),
        st.lists(site_key, min_size=1, max_size=2),
        st.lists(st.one_of(site_key, st.sampled_from(["Tokyo", "moscow", "Hagåtña"])),
                 min_size=1, max_size=2),
        st.sampled_from([[], ["--rotating"]]),
        fmt_opts,
    ),
    st.builds(
        lambda s, t, m: ["isochrones", "--system", s, "--site", t, "--minutes", m],
        system_key, site_key, st.one_of(free_text, st.sampled_from(["5,10", "1e9", "0"])),
    ),
)  # fmt: skip
OPTION_WORDS = ["systems", "sites", "ring", "rings", "coverage", "area", "compare", "--site",
                "--system", "--center", "--radius-km", "--min-radius-km", "--format", "--band",
                "--region", "--targets", "--file", "--sites-file", "-o", "--inf-only", "-",
                "--", "--version", "-h"]  # fmt: skip
argv_random = st.lists(st.one_of(st.sampled_from(OPTION_WORDS), free_text, site_key), max_size=7)


@FUZZ_CLI
@given(
    argv=st.one_of(
        argv_ring, argv_rings, argv_systems, argv_reach, argv_compare, argv_flight, argv_random
    )
)
@example(argv=["ring", "--center", "91,0", "--radius-km", "100"])
@example(argv=["ring", "--center", "0,540", "--radius-km", "1e308"])
@example(argv=["coverage", "--site", "guam", "--radius-km", "nan"])
@example(argv=["area", "--site", "-90,0", "--radius-km", "20004"])
@example(argv=["systems", "--country", "<script>", "--format", "json"])
@example(argv=["isochrones", "--system", "df-26", "--site", "guam", "--minutes", "1e308"])
@example(argv=["flight-time", "--system", "minuteman-3", "--site", "-90,0", "--target",
               "90,0", "--rotating"])  # fmt: skip
def test_fuzz_cli_commands(argv):
    # In an empty folder: random words may well include "-o NAME".
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        run = cli_outcome(argv)
    stdout_json = argv[:1] in (["ring"], ["rings"], ["isochrones"]) and "-o" not in argv
    if run and run.code == 0 and not run.usage_error and stdout_json:
        assert json.loads(run.out)["type"] == "FeatureCollection"


@FUZZ_CLI
@given(
    argv=st.one_of(argv_ring, argv_rings),
    existing=st.sampled_from([None, b"SENTINEL: an earlier export\n"]),
)
def test_fuzz_cli_no_partial_output_file(argv, existing):
    with tempfile.TemporaryDirectory() as folder:
        dest = Path(folder) / "out.geojson"
        if existing is not None:
            dest.write_bytes(existing)
        run = cli_outcome([*argv, "-o", str(dest)])
        if run is None:
            return
        if run.code == 0:
            assert json.loads(dest.read_text(encoding="utf-8"))["type"] == "FeatureCollection"
            assert run.out == f"wrote {dest}\n"  # issue 14: -o says what it wrote
        elif existing is None:
            assert not dest.exists()
        else:
            assert dest.read_bytes() == existing
        leftovers = [p.name for p in Path(folder).iterdir() if p.name != "out.geojson"]
        assert leftovers == [], f"temporary files left behind: {leftovers}"


@FUZZ_CLI
@given(
    data=st.one_of(_csv_inputs(SITE_HEADER, SITE_ROWS), feature_collections()),
    suffix=st.sampled_from([".csv", ".geojson"]),
    command=st.sampled_from(["sites", "rings", "coverage-targets", "coverage-sites"]),
    fmt=st.sampled_from(["table", "csv", "json"]),
)
def test_fuzz_cli_file_inputs(data, suffix, command, fmt):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        argv = {
            "sites": ["sites", "--file", str(path), "--format", fmt],
            "rings": ["rings", "--system", "df-26", "--site", "alpha", "--site", "site",
                      "--sites-file", str(path)],
            "coverage-targets": ["coverage", "--site", "guam", "--radius-km", "3000",
                                 "--targets", str(path), "--format", fmt],
            "coverage-sites": ["coverage", "--system", "df-26", "--site", "fiji",
                               "--sites-file", str(path), "--format", fmt],
        }[command]  # fmt: skip
        cli_outcome(argv)


# --- named cases (issue 6) ------------------------------------------------------------

loader_names = pytest.mark.parametrize("which", list(LOADERS))


@loader_names
def test_named_empty_file(which):
    error = LOADERS[which][2]
    for data in (b"", b"\n\n", b"  \r\n", b"\xef\xbb\xbf"):
        with pytest.raises(error, match="empty") as info:
            _load(which, data)
        assert_one_line(info.value)


@loader_names
def test_named_header_only(which):
    text, error = LOADERS[which][1], LOADERS[which][2]
    header = text.splitlines()[0]
    for data in (header, header + "\n", header + "\r\n\r\n", header + "\n,,,\n"):
        with pytest.raises(error, match="header only") as info:
            _load(which, data.encode())
        assert_one_line(info.value)


def _same(a, b) -> None:
    assert list(a.columns) == list(b.columns)
    assert a.drop(columns="geometry", errors="ignore").equals(
        b.drop(columns="geometry", errors="ignore")
    )


@loader_names
def test_named_bom(which):
    text = LOADERS[which][1]
    plain = _load(which, text.encode())
    assert len(plain) == LOADERS[which][3]
    _same(_load(which, b"\xef\xbb\xbf" + text.encode()), plain)
    # A BOM must not stick to the first column's name.
    assert not any(str(c).startswith("\ufeff") for c in plain.columns)


@loader_names
def test_named_windows_line_endings(which):
    text = LOADERS[which][1]
    crlf = _load(which, text.replace("\n", "\r\n").encode())
    _same(crlf, _load(which, text.encode()))
    assert (
        not crlf.drop(columns="geometry", errors="ignore")
        .astype(str)
        .apply(lambda col: col.str.contains("\r"))
        .any()
        .any()
    )


@loader_names
def test_named_semicolon_separated(which):
    text = LOADERS[which][1]
    rows = list(csv.reader(io.StringIO(text)))
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
    # Cells holding ';' (basing "ship;submarine", aliases) get quoted, as a spreadsheet does.
    _same(_load(which, buf.getvalue().encode()), _load(which, text.encode()))


def _points(which: str, lat: str, lon: str):
    body = f"name,lat,lon\nP,{lat},{lon}\n".encode()
    return load_sites(body, name="p.csv") if which == "sites" else load_targets(body, name="p.csv")


point_loaders = pytest.mark.parametrize("which", ["sites", "targets"])


@point_loaders
@pytest.mark.parametrize("lat", ["91", "-91", "90.0000001", "1e308"])
def test_named_latitude_91_is_refused(which, lat):
    with pytest.raises((SiteError, TargetError), match=r"line 2, columns 'lat','lon'.*latitude"):
        _points(which, lat, "10")
    with pytest.raises(SiteError, match="latitude"):
        parse_latlon(f"{lat},10")


@point_loaders
@pytest.mark.parametrize(
    ("lon", "expected"),
    [("540", -180.0), ("-540", -180.0), ("180", -180.0), ("360", 0.0), ("190", -170.0),
     ("-180", -180.0), ("179.5", 179.5)],
)  # fmt: skip
def test_named_longitude_540_is_normalised(which, lon, expected):
    """Documented: longitudes in [-540, 540] are normalised to [-180, 180)."""
    got = _points(which, "10", lon)
    assert got["lon"].iloc[0] == pytest.approx(expected, abs=1e-9)
    assert parse_latlon(f"10,{lon}")[1] == pytest.approx(expected, abs=1e-9)


@point_loaders
@pytest.mark.parametrize("lon", ["541", "-540.5", "1e308"])
def test_named_longitude_beyond_540_is_refused(which, lon):
    with pytest.raises((SiteError, TargetError), match="longitude"):
        _points(which, "10", lon)


@point_loaders
@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "Infinity", "1e309"])
def test_named_nan_and_inf_coordinates(which, value):
    for lat, lon in ((value, "10"), ("10", value)):
        with pytest.raises((SiteError, TargetError), match="finite") as info:
            _points(which, lat, lon)
        assert_one_line(info.value)
    with pytest.raises(SiteError):
        parse_latlon(f"{value},{value}")


@pytest.mark.parametrize("column", ["range_km", "range_low_km", "range_high_km", "min_range_km"])
@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf"])
def test_named_nan_and_inf_ranges(column, value):
    with pytest.raises(CatalogueError, match=rf"line 2, column '{column}': must be a finite"):
        load_catalogue(_catalogue_with(**{column: value}), name="m.csv")


@pytest.mark.parametrize(
    ("site", "match"),
    [({"lat": 91, "lon": 0}, r"sites\[0\]\.lat"), ({"lat": 0, "lon": 540}, r"sites\[0\]\.lon"),
     ({"lat": float("nan"), "lon": 0}, r"sites\[0\]\.lat"), ("91,0", "latitude")],
)  # fmt: skip
def test_named_latitude_91_and_longitude_540_in_a_scenario(site, match):
    """Documented (rangemap.scenario): a {name, lat, lon} site takes lon in [-180, 180]
    and refuses 540, unlike a site file or LAT,LON, which normalise it."""
    if isinstance(site, dict):
        site = {"name": "P", **site}
    with pytest.raises(RangemapError, match=match) as info:
        scenario.loads_scenario(_toml({"systems": ["df-26"], "sites": [site]}), name="s.toml")
    assert_one_line(info.value)


def test_named_1e308_range():
    """1e308 km is finite but no real range: loaders and the CLI refuse it, naming it."""
    with pytest.raises(CatalogueError, match=r"column 'range_km': must be at most 100,000 km, "
                                             r"got '1e308'"):  # fmt: skip
        load_catalogue(_catalogue_with(range_km="1e308", range_high_km="1e308"), name="m.csv")
    for argv in (
        ["ring", "--center", "0,0", "--radius-km", "1e308"],
        ["coverage", "--site", "0,0", "--radius-km", "1e308", "--format", "json"],
    ):
        run = CliRun(argv)
        run.check()
        assert run.code == 2 and "got 1e+308" in run.err


@pytest.mark.parametrize("value", ["-1", "-0.001", "-1e308", "0", "-0", "0.0"])
def test_named_negative_range_and_range_of_zero(value):
    with pytest.raises(CatalogueError, match=r"column 'range_km': must be > 0"):
        load_catalogue(_catalogue_with(range_km=value), name="m.csv")
    claims = CLAIM_TEXT.replace(",480,", f",{value},")
    with pytest.raises(CatalogueError, match=r"column 'claim_range_km': must be > 0"):
        load_claims(claims.encode(), name="c.csv")
    for argv in (
        ["ring", "--center", "0,0", "--radius-km", value],
        ["coverage", "--site", "guam", "--radius-km", value],
        ["area", "--site", "guam", "--radius-km", value],
    ):
        run = CliRun(argv)
        run.check()
        assert run.code == 2, argv


@pytest.mark.parametrize(
    ("cells", "match"),
    [
        ({"min_range_km": "3000"}, "minimum 3000.0 is not below range_km 2500.0"),
        ({"min_range_km": "2500"}, "minimum 2500.0 is not below"),
        ({"range_low_km": "2600"}, "low 2600.0 is above range_km 2500.0"),
        ({"range_high_km": "2400"}, "high 2400.0 is below range_km 2500.0"),
    ],
)
def test_named_minimum_above_maximum_in_the_catalogue(cells, match):
    with pytest.raises(CatalogueError, match=match):
        load_catalogue(_catalogue_with(**cells), name="m.csv")


@pytest.mark.parametrize("command", ["ring", "area"])
def test_named_minimum_above_maximum_on_the_command_line(command):
    where = ["--center", "0,0"] if command == "ring" else ["--site", "0,0"]
    run = CliRun([command, *where, "--radius-km", "100", "--min-radius-km", "200"])
    run.check()
    assert run.code == 2 and "--min-radius-km must be in [0, --radius-km=100.0)" in run.err


def test_named_duplicated_ids_in_the_catalogue():
    text = CAT_TEXT + CAT_TEXT.splitlines()[2] + "\n"
    with pytest.raises(CatalogueError, match=r"line 6, column 'id': duplicate id 'test-slcm' "
                                             r"\(first on line 3\)"):  # fmt: skip
        load_catalogue(text.encode(), name="m.csv")
    # "drop" keeps the first row of an id.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cat = load_catalogue(text.encode(), on_invalid="drop")
    assert cat["id"].tolist() == ["test-glcm", "test-slcm", "test-irbm", "test-blank"]


def test_named_duplicated_ids_in_sites_get_a_suffix():
    sites = load_sites(b"id,name,lat,lon\nx,A,1,2\nx,B,3,4\n,x,5,6\n", name="s.csv")
    assert sites["id"].tolist() == ["x", "x-2", "x-3"]
    assert sites["name"].tolist() == ["A", "B", "x"]


def test_named_duplicated_claims_are_kept():
    # Two claimants may give the same figure; a claim is never merged away.
    claims = load_claims((CLAIM_TEXT + CLAIM_TEXT.splitlines()[1] + "\n").encode())
    assert len(claims) == 3


def _many_points(n: int) -> bytes:
    return ("name,lat,lon\n" + "".join(f"s{i},{i % 80},{i % 170}\n" for i in range(n))).encode()


def test_named_100000_sites_hit_a_clear_limit():
    with pytest.raises(
        SiteError,
        match=r"big\.csv, line 10002: more than 10,000 data rows, over the limit of 10,000",
    ):
        load_sites(_many_points(100_000), name="big.csv")
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": f"s{i}"},
         "geometry": {"type": "Point", "coordinates": [i % 170, i % 80]}}
        for i in range(100_000)]}  # fmt: skip
    with pytest.raises(SiteError, match=f"over the limit of {MAX_SITES:,}"):
        load_sites(json.dumps(fc).encode(), name="big.geojson")
    assert len(load_sites(_many_points(MAX_SITES), name="ok.csv")) == MAX_SITES


def test_named_100000_sites_through_the_cli(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(_many_points(100_000))
    for argv in (
        ["sites", "--file", str(path)],
        ["rings", "--system", "df-26", "--site", "s1", "--sites-file", str(path)],
    ):
        run = CliRun(argv)
        run.check()
        assert run.code == 2 and "over the limit of 10,000" in run.err


def test_named_100000_targets_work():
    # Settling 100,000 points is cheap (issue 3): far below MAX_TARGETS (1,000,000).
    targets = load_targets(_many_points(100_000), name="t.csv")
    assert len(targets) == 100_000


class CountingUpload(io.RawIOBase):
    """A 200 MB upload that never holds 200 MB: it counts what is asked of it and
    fails the test if anyone asks for more than ``limit + 1`` bytes in total."""

    def __init__(self, name: str, size: int = 200 * 1024 * 1024, limit: int = MAX_FILE_BYTES):
        self.name, self.size, self.limit, self.served = name, size, limit, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        remaining = self.size - self.served
        want = remaining if n is None or n < 0 else min(n, remaining)
        assert n is not None and n >= 0, "the whole upload was requested"
        assert self.served + want <= self.limit + 1, (
            f"asked for {self.served + want:,} bytes, more than the limit + 1"
        )
        self.served += want
        return b"x" * want

    def readinto(self, buffer) -> int:  # pragma: no cover - read() is what loaders call
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


@pytest.mark.parametrize(
    ("which", "name"),
    [("catalogue", "m.csv"), ("claims", "c.csv"), ("sites", "s.csv"),
     ("sites", "s.geojson"), ("targets", "t.csv"), ("targets", "t.geojson")],
)  # fmt: skip
def test_named_200mb_upload_refused_before_read_whole(which, name):
    upload = CountingUpload(name)
    with pytest.raises(RangemapError, match="over the limit") as info:
        LOADERS[which][0](upload)
    assert_one_line(info.value)
    assert upload.served <= MAX_FILE_BYTES + 1


@loader_names
def test_named_200mb_file_refused_by_its_size(which, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:  # sparse: no 200 MB written or allocated
        handle.truncate(200 * 1024 * 1024)
    with pytest.raises(RangemapError, match=r"209,715,200 bytes, over the limit") as info:
        LOADERS[which][0](path)
    assert_one_line(info.value)
    run = CliRun(["sites", "--file", str(path)])
    run.check()
    assert run.code == 2 and "over the limit of 52,428,800" in run.err


HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "A & B <b>bold</b> 'quoted'",
    "=cmd|' /C calc'!A0",
    "${alert(1)} {{7*7}}",
]
RTL_CJK_NAMES = ["القاعدة الجوية", "בסיס חיל האוויר", "沖縄・嘉手納", "서울", "\u202eevil\u202c"]
ALL_NAMES = HOSTILE_NAMES + RTL_CJK_NAMES


def _named_sites_csv(names: list[str]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["name", "lat", "lon"])
    writer.writerows([n, 10 + i, 100 + i] for i, n in enumerate(names))
    return buf.getvalue().encode()


def _named_geojson(names: list[str]) -> bytes:
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": n},
         "geometry": {"type": "Point", "coordinates": [100 + i, 10 + i]}}
        for i, n in enumerate(names)]}  # fmt: skip
    return json.dumps(fc, ensure_ascii=False).encode()


@pytest.mark.parametrize("kind", ["csv", "geojson"])
def test_named_html_rtl_cjk_names_kept_by_loaders(kind):
    data = _named_sites_csv(ALL_NAMES) if kind == "csv" else _named_geojson(ALL_NAMES)
    name = f"s.{kind}"
    assert load_sites(data, name=name)["name"].tolist() == ALL_NAMES
    assert load_targets(data, name=name)["name"].tolist() == ALL_NAMES
    rows = [["id", "name"] + CAT_HEADER[2:]]
    for i, n in enumerate(ALL_NAMES):
        rows.append([f"sys-{i}", n] + CAT_ROWS[0][2:])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    assert load_catalogue(buf.getvalue().encode())["name"].tolist() == ALL_NAMES


def test_named_names_kept_in_geojson_export():
    sites = load_sites(_named_sites_csv(ALL_NAMES), name="s.csv")
    text = dumps_geojson(to_geojson(sites))
    assert [f["properties"]["name"] for f in json.loads(text)["features"]] == ALL_NAMES
    for n in RTL_CJK_NAMES:
        assert n in text  # written as UTF-8, not \u escapes


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_named_names_kept_in_cli_output(fmt, tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(_named_sites_csv(ALL_NAMES))
    run = CliRun(["sites", "--file", str(path), "--format", fmt])
    run.check()
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(run.out)))
        # A spreadsheet would run "=..." as a formula: every CSV defuses it with a "'".
        assert [restore_formula(r["name"]) for r in rows] == ALL_NAMES
    else:
        assert [r["name"] for r in json.loads(run.out)] == ALL_NAMES
    # And through the ring export of a site looked up in the same file.
    out = tmp_path / "r.geojson"
    run = CliRun(["rings", "--system", "df-26", "--site", "沖縄・嘉手納", "--site", "서울",
                  "--sites-file", str(path), "-o", str(out)])  # fmt: skip
    run.check()
    sites = [f["properties"]["site"] for f in json.loads(out.read_text("utf-8"))["features"]]
    assert sites == ["沖縄・嘉手納", "서울"]


def test_named_names_kept_and_escaped_in_layer_exports():
    table = load_sites(_named_sites_csv(ALL_NAMES), name="s.csv", default_kind="user")
    rings = range_rings(["df-26"], table["id"].tolist(), site_table=table)
    layers = build_layers(rings, site_table=table)
    rows = list(csv.DictReader(io.StringIO(formats.dumps_csv(layers))))
    # A spreadsheet would run "=..." as a formula: the CSV may defuse it with a leading "'".
    csv_sites = {r["site"] for r in rows if r["layer"] == "rings"}
    assert {re.sub(r"^'(?=[=+\-@])", "", v) for v in csv_sites} == set(ALL_NAMES)
    features = json.loads(formats.dumps_layers_geojson(layers))["features"]
    ring_sites = {f["properties"]["site"] for f in features if f["properties"]["layer"] == "rings"}
    assert ring_sites == set(ALL_NAMES)
    # KML: a <name> is text (kept as typed); a <description> is HTML (names escaped in it).
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.kml"
        formats.to_kml(layers, path)  # pyogrio's wheels bundle GDAL with LIBKML
        root = ElementTree.fromstring(path.read_bytes())
    texts = {el.tag.rsplit("}", 1)[-1]: [] for el in root.iter()}
    for el in root.iter():
        texts[el.tag.rsplit("}", 1)[-1]].append(el.text or "")
    assert set(ALL_NAMES) <= set(texts["name"])
    for raw in HOSTILE_NAMES:
        if "<" in raw:
            assert not any(raw in html for html in texts["description"]), raw
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in h for h in texts["description"])


def test_named_names_escaped_in_the_map_html():
    # Hostile text in system names, site names and target names at once.
    rows = [CAT_HEADER, ["sys-a", HOSTILE_NAMES[0], *CAT_ROWS[0][2:]],
            ["sys-b", "沖縄 " + HOSTILE_NAMES[2], *CAT_ROWS[2][2:]]]  # fmt: skip
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    cat = load_catalogue(buf.getvalue().encode())
    table = load_sites(_named_sites_csv(ALL_NAMES), name="s.csv", default_kind="user")
    targets = load_targets(_named_sites_csv(ALL_NAMES), name="t.csv")
    rings = range_rings(["sys-a", "sys-b"], table["id"].tolist()[:4], site_table=table,
                        catalogue=cat)  # fmt: skip
    page = mapview.build_map(rings, table, targets=targets, catalogue=cat).get_root().render()
    for raw in [*HOSTILE_NAMES, "${alert(1)}"]:
        if "<" in raw or "${" in raw:
            assert raw not in page, f"unescaped name in the map HTML: {raw!r}"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "\\u003cscript" in page
    for name in RTL_CJK_NAMES[:4]:  # shown as typed (escaped only for markup characters)
        assert name in page or json.dumps(name)[1:-1] in page


def test_dashboard_site_inputs_fuzz():
    """The dashboard's own site inputs: typed lines and uploads (rangemap.mapview)."""

    class Upload:
        def __init__(self, name: str, data: bytes) -> None:
            self.name, self.size, self._data = name, len(data), data

        def getvalue(self) -> bytes:
            return self._data

    @FUZZ
    @given(
        text=st.lists(latlon_text | st.sampled_from(SITE_KEYS), max_size=4).map("\n".join),
        data=_csv_inputs(SITE_HEADER, SITE_ROWS) | feature_collections(),
        name=st.sampled_from(["up.csv", "up.geojson", "up.json", "up"]),
    )
    def check(text, data, name):
        got = outcome(lambda: parse_site_lines(text))
        if got is not None:
            sites, errors = got
            assert all(len(e.splitlines()) == 1 for e in errors)
        outcome(lambda: read_upload(Upload(name, data)))

    check()


class _ScenarioRaw(str):
    """A TOML value written as is (dates, times, broken syntax)."""


def _toml_value(value: object) -> str:
    if isinstance(value, _ScenarioRaw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return (
            "nan"
            if math.isnan(value)
            else ("inf" if value > 0 else "-inf")
            if math.isinf(value)
            else repr(value)
        )
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string, bar lone-surrogate escapes
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
        )
    return json.dumps(str(value))


def _toml(doc: dict[str, object]) -> str:
    lines, tables = [], []
    for key, value in doc.items():
        if isinstance(value, dict) and key == "output":
            tables.append(f"[{key}]\n" + "".join(f"{json.dumps(k)} = {_toml_value(v)}\n"
                                                  for k, v in value.items()))  # fmt: skip
        else:
            lines.append(f"{json.dumps(key)} = {_toml_value(value)}\n")
    return "".join(lines) + "".join(tables)


toml_scalars = st.one_of(
    st.text(max_size=8), st.integers(-(10**6), 10**6), st.floats(), st.booleans(),
    st.sampled_from([_ScenarioRaw(v) for v in ("2026-11-23", "2026-11-23T10:00:00", "10:00:00",
                                                "1979-05-27T07:32:00Z", "0x10", "1e999")]),
)  # fmt: skip
toml_values = st.recursive(toml_scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=6)
PATH_VALUES = ["missiles.csv", "sites.csv", "targets.csv", "../missiles.csv", "/etc/passwd",
               "nope.csv", ".", "", "sub/../sites.csv", "a" * 300, "x\u0000y"]  # fmt: skip
scenario_docs = st.fixed_dictionaries(
    {},
    optional={
        "systems": st.lists(system_key | st.sampled_from(["test-srbm", "TG-2"]), max_size=3)
        | toml_values,
        "sites": st.lists(
            site_key
            | st.sampled_from(["fiji-test", "tokyo-test"])
            | st.fixed_dictionaries(
                {"name": cells, "lat": toml_scalars | st.floats(-100, 100),
                 "lon": toml_scalars | st.floats(-600, 600)},
                optional={"country": cells, "id": cells, "colour": cells},
            ),
            max_size=3,
        ) | toml_values,
        "bands": st.lists(st.sampled_from(["nominal", "low", "high", "all", "max"]), max_size=3)
        | toml_values,
        "region": st.sampled_from(["world", "europe", "east-asia", "mars"]) | toml_scalars,
        "targets": st.sampled_from(["capitals", "cities", "none", *PATH_VALUES]) | toml_scalars,
        "catalogue": st.sampled_from(PATH_VALUES) | toml_scalars,
        "sites_file": st.sampled_from(PATH_VALUES) | toml_scalars,
        "title": cells | toml_scalars,
        "date": st.sampled_from([_ScenarioRaw("2026-11-23"), "2026-02-30", "2026-11-23",
                                 _ScenarioRaw("2026-11-23T10:00:00")]) | toml_scalars,
        "output": st.fixed_dictionaries({}, optional={
            "lang": st.sampled_from(["en", "ja", "fr"]) | toml_scalars,
            "dpi": st.sampled_from([9, 10, 300, 1200, 1201, 10**30]) | toml_scalars,
            "projection": st.sampled_from(["laea", "aeqd", "merc"]) | toml_scalars,
            "fill": toml_scalars, "labels": toml_scalars,
            "sources": st.sampled_from(["auto", "urls", "hosts", "all"]) | toml_scalars,
            "colour": toml_scalars,
        }) | toml_scalars,
        "colour": toml_values,
    },
)  # fmt: skip


@FUZZ
@given(
    doc=scenario_docs,
    text=st.one_of(st.none(), st.text(max_size=60), st.sampled_from(PATHOLOGICAL_TOML)),
    cut=st.integers(0, 400) | st.none(),
)
def test_fuzz_load_scenario(doc, text, cut):
    if text is None:
        data = _toml({"systems": ["df-26"], "sites": ["guam"], **doc}).encode("utf-8", "replace")
        if cut is not None and cut < len(data) and cut % 5 == 0:  # now and then, truncated
            data = data[:cut]
    else:
        data = text if isinstance(text, bytes) else text.encode("utf-8")
    # As an upload (no paths allowed) ...
    outcome(lambda: scenario.loads_scenario(data, name="upload.toml"))
    # ... and as a file next to its own catalogue, sites and targets.
    with tempfile.TemporaryDirectory() as folder:
        for src in (DATA / "scenario").glob("*.csv"):
            (Path(folder) / src.name).write_bytes(src.read_bytes())
        path = Path(folder) / "s.toml"
        path.write_bytes(data)
        outcome(lambda: scenario.load_scenario(path))


def test_fuzz_cli_export():
    @settings(FUZZ_CLI, max_examples=max(5, N_CLI // 3))
    @given(doc=scenario_docs, fmt=st.sampled_from(["geojson", "csv", "kml", "xyz", ""]))
    def check(doc, fmt):
        with tempfile.TemporaryDirectory() as folder:
            for src in (DATA / "scenario").glob("*.csv"):
                (Path(folder) / src.name).write_bytes(src.read_bytes())
            scen = Path(folder) / "s.toml"
            text = _toml({"systems": ["test-srbm"], "sites": ["fiji-test"], **doc})
            scen.write_bytes(text.encode("utf-8", "replace"))
            dest = Path(folder) / f"out.{fmt or 'geojson'}"
            dest.write_bytes(b"SENTINEL")
            run = cli_outcome(["export", str(scen), "-o", str(dest)])
            if run is not None and run.code != 0:
                assert dest.read_bytes() == b"SENTINEL"

    check()
