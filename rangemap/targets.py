"""Targets shipped for offline use: cities, capitals and countries; user target files.

Public functions
----------------
load_targets
    ``"capitals"``, ``"cities"`` (shipped GeoNames subset) or a user CSV/GeoJSON of points
    (at most :data:`MAX_TARGETS`).
resolve_targets
    Targets named by the user: shipped city names or typed ``LAT,LON``.
load_countries
    Natural Earth 1:110m country outlines (shipped ``data/countries.geojson``).
shipped_file
    The path of a shipped data file, or an error saying where it was looked for.

Region presets are in :mod:`rangemap.regions`.

The shipped files are rebuilt by ``scripts/build_targets.py``; ``data/README.md`` gives
their sources, versions and licences.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from rangemap._cells import (
    CellError,
    OnInvalid,
    handle_invalid,
    parse_float,
)
from rangemap._io import (
    DATA_DIR,
    Source,
    closest_hint,
    cut_repr,
    is_geojson,
    read_geojson_points,
    read_table,
    source_name,
)
from rangemap.errors import GeodesyError, SiteError, TargetError
from rangemap.geodesy import check_point
from rangemap.sites import REQUIRED_SITE_COLUMNS, parse_latlon

__all__ = [
    "MAX_NAMED_TARGETS",
    "MAX_TARGETS",
    "TARGET_COLUMNS",
    "load_countries",
    "load_targets",
    "resolve_targets",
    "shipped_file",
]

TARGET_COLUMNS = ("name", "country", "lat", "lon", "population", "capital")

#: Most targets one user file may hold, CSV or GeoJSON alike (issue 15): ten times the
#: 100,000 that must work (issue 3; testing a point for range is cheap), and a bound on the
#: work one file can cause. Checked while reading, before the rows are built.
MAX_TARGETS = 1_000_000

#: GeoJSON properties kept for a target (others are ignored, so any feature costs the same);
#: ``id`` names a feature without a ``name``.
_GEOJSON_PROPERTIES = ("name", "id", "country", "population", "capital")


@lru_cache(maxsize=1)
def _shipped_cities() -> pd.DataFrame:
    path = shipped_file("cities.csv")
    try:
        frame = pd.read_csv(
            path,
            dtype={"name": "str", "country": "str", "geonameid": "int64"},
            keep_default_na=False,
        )
    except (OSError, ValueError) as exc:  # unreadable, or not the shipped table
        raise TargetError(f"{path}: cannot read the shipped cities ({exc})") from None
    frame["capital"] = frame["capital"].astype(str).str.lower().eq("true")
    return frame


def _to_gdf(frame: pd.DataFrame, label: str) -> gpd.GeoDataFrame:
    out = gpd.GeoDataFrame(
        frame.reset_index(drop=True),
        geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
        crs="EPSG:4326",
    )
    out.attrs["source"] = label
    return out


def load_targets(
    source: str | Source = "capitals",
    *,
    on_invalid: str | OnInvalid = OnInvalid.RAISE,
    name: str | None = None,
) -> gpd.GeoDataFrame:
    r"""Points to test for range: shipped capitals or cities, or a user file.

    Parameters
    ----------
    source : "capitals", "cities", path, bytes or file object
        ``capitals`` (national and territorial capitals), ``cities`` (all shipped cities,
        population >= 100,000 plus capitals), or a CSV with ``name, lat, lon`` (as a site
        file; any other columns kept) or a GeoJSON FeatureCollection of points (properties
        ``name`` (else ``id``), ``country``, ``population``, ``capital``). A user file
        holds at most :data:`MAX_TARGETS` targets.
    on_invalid : {"raise", "warn", "drop"}
        What to do with an invalid row of a user file.
    name : str, optional
        Name for errors and format detection (uploads).

    Returns
    -------
    geopandas.GeoDataFrame
        At least :data:`TARGET_COLUMNS` (``population`` NaN and ``capital`` False where a
        user file lacks them), EPSG:4326.

    Raises
    ------
    TargetError
        Naming file, line (or feature), column and value; over :data:`MAX_TARGETS`
        targets, naming the limit (reading stops there).

    Examples
    --------
    >>> caps = load_targets("capitals")
    >>> bool(caps["capital"].all()), "Tokyo" in set(caps["name"])
    (True, True)
    >>> load_targets(b"name,lat,lon\nPole,90,0\nX,-91,0\n", on_invalid="drop")["name"].tolist()
    ['Pole']
    """
    if isinstance(source, str) and source in ("capitals", "cities"):
        frame = _shipped_cities()
        if source == "capitals":
            frame = frame.loc[frame["capital"]]
        return _to_gdf(frame.copy(), f"shipped {source}")
    policy = OnInvalid.parse(on_invalid)
    label = source_name(source, name)
    # One limit and one wording for both formats (issue 15: GeoJSON targets used to be
    # read as sites, capped at 10,000 "sites", while CSV had no limit at all).
    if is_geojson(source, label):
        table = read_geojson_points(source, properties=_GEOJSON_PROPERTIES, error=TargetError,
                                    name=name, max_rows=MAX_TARGETS, what="targets")  # fmt: skip
        for n, row in zip(table.lines, table.rows, strict=True):
            ident = row.pop("id")
            row["name"] = row["name"] or ident or f"target {n}"
        table.columns.remove("id")
        place = "feature"
    else:
        table = read_table(source, required=REQUIRED_SITE_COLUMNS, error=TargetError,
                           name=name, max_rows=MAX_TARGETS, what="targets")  # fmt: skip
        place = "line"
    records = []
    dropped: list[str] = []
    for i, row in enumerate(table.rows):
        where = f"{table.name}, {place} {table.lines[i]}"
        try:
            if not row["name"]:
                raise TargetError(f"{where}, column 'name': is required, got ''")
            try:
                lat = parse_float(row["lat"], allow_blank=False)
                lon = parse_float(row["lon"], allow_blank=False)
                lat, lon = check_point(lat=lat, lon=lon, what="target")
            except (GeodesyError, CellError) as exc:
                raise TargetError(f"{where}, columns 'lat','lon': {exc}") from None
            rec: dict[str, object] = dict(row)
            rec["lat"], rec["lon"] = lat, lon
            records.append(rec)
        except TargetError as exc:
            handle_invalid(policy, str(exc), TargetError, dropped)
    frame = pd.DataFrame.from_records(records, columns=table.columns)
    frame["country"] = frame.get("country", "")
    frame["population"] = (
        pd.to_numeric(frame["population"], errors="coerce") if "population" in frame else np.nan
    )
    if "capital" in frame:
        frame["capital"] = frame["capital"].astype(str).str.lower().isin(["true", "yes", "1"])
    else:
        frame["capital"] = False
    frame["lat"] = frame["lat"].astype(float)
    frame["lon"] = frame["lon"].astype(float)
    return _to_gdf(frame, label)


#: Most targets named on one command line.
MAX_NAMED_TARGETS = 1_000


def resolve_targets(specs: list[str]) -> gpd.GeoDataFrame:
    """Targets for names of shipped cities or places, or typed ``LAT,LON``.

    A name is looked up (case-insensitive) among the shipped cities, then among the
    shipped places of ``data/sites.csv`` by id or name (``Guam``, ``Okinawa``: places
    argued over as bases are targets too). A name shared by several shipped cities takes
    the most populous (``Moscow`` is the capital, not Moscow, Idaho). Coordinates may
    carry a name: ``Palau: 7.5,134.6``.

    Raises
    ------
    TargetError
        For an unknown name (with the closest names) or bad coordinates, or more than
        :data:`MAX_NAMED_TARGETS` targets.

    Examples
    --------
    >>> resolve_targets(["moscow", "13.48,144.8"])[["name", "country"]].values.tolist()
    [['Moscow', 'RUS'], ['13.48,144.8', '']]
    >>> resolve_targets(["Guam", "Palau: 7.5,134.6"])[["name", "lat"]].values.tolist()
    [['Guam', 13.48], ['Palau', 7.5]]
    """
    if len(specs) > MAX_NAMED_TARGETS:
        raise TargetError(f"{len(specs):,} targets given, over the limit of {MAX_NAMED_TARGETS:,}")
    cities = _shipped_cities().sort_values("population", ascending=False, kind="stable")
    first = cities.assign(key=cities["name"].str.lower()).drop_duplicates("key")
    by_name = first.set_index("key")
    places = _shipped_places()
    rows: list[dict[Any, Any]] = []
    for spec in specs:
        text = str(spec).strip()
        key = text.lower()
        if key in by_name.index:
            rows.append(by_name.loc[key, list(TARGET_COLUMNS)].to_dict())
            continue
        if key in places:
            rows.append(dict(places[key]))
            continue
        name, sep, coords = text.rpartition(":")
        name, coords = (name.strip(), coords) if sep and name.strip() else (text, text)
        if any(ch.isdigit() for ch in coords) and any(c in coords for c in ", ;"):
            try:
                lat, lon = parse_latlon(coords)
            except SiteError as exc:
                raise TargetError(f"target {cut_repr(text)}: {exc}") from None
            rows.append({"name": name, "country": "", "lat": lat, "lon": lon,
                         "population": np.nan, "capital": False})  # fmt: skip
            continue
        known = [*by_name.index, *places]
        hint = closest_hint(key, known, listing="rangemap coverage --targets cities")
        raise TargetError(f"unknown target {cut_repr(text)}; closest: {hint} (or give LAT,LON)")
    return _to_gdf(pd.DataFrame(rows, columns=list(TARGET_COLUMNS)), "named targets")


@lru_cache(maxsize=1)
def _shipped_places() -> dict[str, dict[str, object]]:
    """Shipped places (data/sites.csv) as target rows, by lower-case id and name."""
    # Here, not at the top: the sites' loader reads the sources table, needed only now.
    from rangemap.sites import load_sites

    out: dict[str, dict[str, object]] = {}
    for row in load_sites().itertuples(index=False):
        record = {"name": row.name, "country": row.country, "lat": float(row.lat),
                  "lon": float(row.lon), "population": np.nan, "capital": False}  # fmt: skip
        out.setdefault(str(row.id).lower(), record)
        out.setdefault(str(row.name).lower(), record)
    return out


@lru_cache(maxsize=1)
def _shipped_countries() -> gpd.GeoDataFrame:
    path = shipped_file("countries.geojson")
    try:
        return gpd.read_file(path)
    except (OSError, RuntimeError, ValueError) as exc:  # GDAL's errors are RuntimeErrors
        raise TargetError(f"{path}: cannot read the shipped countries ({exc})") from None


def shipped_file(name: str) -> Path:
    """Return the path of a shipped data file, or a TargetError saying where it looked."""
    path = DATA_DIR / name
    if not path.is_file():
        raise TargetError(
            f"{path}: shipped data file missing (is RANGEMAP_DATA_DIR={str(DATA_DIR)!r} a "
            "complete copy of data/?)"
        )
    return path


def load_countries() -> gpd.GeoDataFrame:
    """Natural Earth 1:110m country outlines (``name, iso_a3, continent``), EPSG:4326.

    Examples
    --------
    >>> len(load_countries()) > 170
    True
    """
    return _shipped_countries().copy()
