"""Targets and regions shipped for offline use: cities, capitals, countries, region presets.

Public functions
----------------
load_targets
    ``"capitals"``, ``"cities"`` (shipped GeoNames subset) or a user CSV/GeoJSON of points.
load_countries
    Natural Earth 1:110m country outlines (shipped ``data/countries.geojson``).
region_polygon
    The lon/lat polygon of a region preset (``europe``, ``east-asia``, ``world``).

The shipped files are rebuilt by ``scripts/build_targets.py``; ``data/README.md`` gives
their sources, versions and licences.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Polygon, box

from rangemap._io import (
    CellError,
    OnInvalid,
    Source,
    handle_invalid,
    parse_float,
    read_table,
    source_name,
)
from rangemap.catalogue import DATA_DIR
from rangemap.coverage import WORLD
from rangemap.errors import GeodesyError, SiteError, TargetError, parse_option
from rangemap.geodesy import check_point

__all__ = [
    "REGIONS",
    "TARGET_COLUMNS",
    "Region",
    "load_countries",
    "load_targets",
    "region_polygon",
]

TARGET_COLUMNS = ("name", "country", "lat", "lon", "population", "capital")


class Region(StrEnum):
    """Named areas that frame maps and restrict coverage statistics."""

    EUROPE = "europe"
    EAST_ASIA = "east-asia"
    WORLD = "world"

    @classmethod
    def parse(cls, value: str | Region) -> Region:
        """Return the region named ``value``; an unknown one lists the choices."""
        return parse_option(cls, value, what="region", error=TargetError)


#: Region presets as lon/lat boxes (west, south, east, north). Europe reaches from the
#: Atlantic islands to the Urals and Caucasus; East Asia from Xinjiang to Guam and from
#: the Philippines and Indonesia's north to Sakhalin and Kamchatka's south.
REGIONS: dict[Region, tuple[float, float, float, float]] = {
    Region.EUROPE: (-25.0, 34.0, 60.0, 72.0),
    Region.EAST_ASIA: (73.0, -11.0, 160.0, 56.0),
    Region.WORLD: (-180.0, -90.0, 180.0, 90.0),
}


def region_polygon(region: str | Region) -> Polygon:
    """Return the lon/lat polygon of a region preset.

    Examples
    --------
    >>> region_polygon("europe").bounds
    (-25.0, 34.0, 60.0, 72.0)
    >>> region_polygon("mars")
    Traceback (most recent call last):
    ...
    rangemap.errors.TargetError: region must be one of europe, east-asia, world; got 'mars'
    """
    reg = Region.parse(region)
    return WORLD if reg is Region.WORLD else box(*REGIONS[reg], ccw=True)


@lru_cache(maxsize=1)
def _shipped_cities() -> pd.DataFrame:
    frame = pd.read_csv(
        DATA_DIR / "cities.csv",
        dtype={"name": "str", "country": "str", "geonameid": "int64"},
        keep_default_na=False,
    )
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
    """Points to test for range: shipped capitals or cities, or a user file.

    Parameters
    ----------
    source : "capitals", "cities", path, bytes or file object
        ``capitals`` (national and territorial capitals), ``cities`` (all shipped cities,
        population >= 100,000 plus capitals), or a CSV with ``name, lat, lon`` (any other
        columns kept) or a GeoJSON FeatureCollection of points.
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
        Naming file, line, column and value.

    Examples
    --------
    >>> caps = load_targets("capitals")
    >>> bool(caps["capital"].all()), "Tokyo" in set(caps["name"])
    (True, True)
    """
    if isinstance(source, str) and source in ("capitals", "cities"):
        frame = _shipped_cities()
        if source == "capitals":
            frame = frame.loc[frame["capital"]]
        return _to_gdf(frame.copy(), f"shipped {source}")
    policy = OnInvalid.parse(on_invalid, TargetError)
    label = source_name(source, name)
    if label.lower().endswith((".geojson", ".json")) or (
        isinstance(source, bytes) and source.lstrip()[:1] == b"{"
    ):
        from rangemap.sites import load_sites

        try:
            pts = load_sites(source, name=name, on_invalid=policy, default_kind="user")
        except SiteError as exc:  # the same GeoJSON reader; report it as a target file
            raise TargetError(str(exc)) from None
        frame = pd.DataFrame(pts.drop(columns="geometry"))
        frame = frame.drop(columns=["id", "kind", "note", "source"], errors="ignore")
    else:
        table = read_table(source, required=("name", "lat", "lon"), error=TargetError, name=name)
        records = []
        dropped: list[str] = []
        for i, row in enumerate(table.rows):
            where = f"{table.name}, line {table.lines[i]}"
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


@lru_cache(maxsize=1)
def _shipped_countries() -> gpd.GeoDataFrame:
    return gpd.read_file(DATA_DIR / "countries.geojson")


def load_countries() -> gpd.GeoDataFrame:
    """Natural Earth 1:110m country outlines (``name, iso_a3, continent``), EPSG:4326.

    Examples
    --------
    >>> len(load_countries()) > 170
    True
    """
    return _shipped_countries().copy()
