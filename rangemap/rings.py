"""Range rings for catalogue systems at launch sites, as GeoDataFrames (EPSG:4326).

Public functions
----------------
join_sites
    Every (system, site, band) combination as one ring row (:data:`ROW_COLUMNS`).
radius_rows
    Ring rows for a radius given by the user (band ``custom``) around sites.
rings_for
    Draw the rings of ring rows: adds ``area_km2`` and the ring geometry.
range_ring
    One ring (optionally an annulus) around a point, as a one-row GeoDataFrame.
range_rings
    Rings for every (system, site, band), with figures and sources as columns.

A *ring row* is the one schema every ring travels in (:data:`ROW_COLUMNS`; drawn rings
add :data:`RING_COLUMNS`' ``area_km2`` and a geometry). Rings are computed by
:mod:`rangemap.polygons` (exact geodesic boundaries on WGS84, split at the antimeridian)
and cached by centre and radii, so redrawing the same selection costs nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from rangemap.catalogue import Band, band_radii_km, find_systems, load_catalogue
from rangemap.geodesy import DEFAULT_TOLERANCE_M
from rangemap.polygons import Geometry, geodesic_areas_m2, ring_polygons
from rangemap.sites import resolve_sites

__all__ = [
    "RING_COLUMNS",
    "ROW_COLUMNS",
    "join_sites",
    "radius_rows",
    "range_ring",
    "range_rings",
    "rings_for",
]

#: The columns of a ring row: which system, from which site, which band, what radii.
ROW_COLUMNS = (
    "system_id", "system", "site_id", "site", "lat", "lon", "band",
    "radius_km", "min_radius_km", "sources",
)  # fmt: skip
#: The columns of a drawn ring (:func:`rings_for`), before its ``geometry``.
RING_COLUMNS = (*ROW_COLUMNS, "area_km2")


def join_sites(
    systems: pd.DataFrame, sites: pd.DataFrame, *, band: str | Band = Band.NOMINAL
) -> pd.DataFrame:
    """Every (system, site, band) combination with its radius, one ring row each.

    Parameters
    ----------
    systems : pandas.DataFrame
        Catalogue rows.
    sites : pandas.DataFrame
        Site rows (``id, name, lat, lon``).
    band : {"nominal", "low", "high", "all"}
        Which range figures to use; systems without a figure for a band are left out.

    Returns
    -------
    pandas.DataFrame
        :data:`ROW_COLUMNS`; systems in the order given, each system's bands (nominal,
        low, high), each band at every site.

    Examples
    --------
    >>> from rangemap.sites import resolve_sites
    >>> rows = join_sites(find_systems(load_catalogue(), ["iskander-m"]),
    ...                   resolve_sites(["kaliningrad", "luga"]), band="all")
    >>> [f"{b} {s} {r:g}" for b, s, r in rows[["band", "site_id", "radius_km"]].values]
    ['nominal kaliningrad 500', 'nominal luga 500', 'high kaliningrad 700', 'high luga 700']
    """
    bands = [
        {"system_id": sid, "system": name, "band": band_name, "radius_km": radius_km,
         "min_radius_km": float(mini) if np.isfinite(mini) else np.nan, "sources": src}
        for sid, name, mini, src, (_, row) in zip(
            systems["id"], systems["name"], systems["min_range_km"].astype(float),
            systems["sources"], systems.iterrows(), strict=True)
        for band_name, radius_km in band_radii_km(row, band)
    ]  # fmt: skip
    if not bands or len(sites) == 0:
        return pd.DataFrame(columns=list(ROW_COLUMNS))
    where = _site_columns(sites)
    # System-major order: each system's bands at every site, as a person reads the table.
    joined = pd.DataFrame(bands).merge(where, how="cross")
    return joined[list(ROW_COLUMNS)].reset_index(drop=True)


def _site_columns(sites: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {"site_id": sites["id"].astype(str).to_numpy(), "site": sites["name"].to_numpy(),
         "lat": sites["lat"].astype(float).to_numpy(),
         "lon": sites["lon"].astype(float).to_numpy()}
    )  # fmt: skip


def radius_rows(
    sites: pd.DataFrame, *, radius_km: float, min_radius_km: float | None = None
) -> pd.DataFrame:
    """Ring rows for a radius given by the user around each site (band ``custom``).

    Examples
    --------
    >>> from rangemap.sites import resolve_sites
    >>> radius_rows(resolve_sites(["guam"]), radius_km=1000)[["band", "radius_km"]].values
    array([['custom', 1000.0]], dtype=object)
    """
    rows = _site_columns(sites).assign(
        system_id="", system="", band="custom", radius_km=float(radius_km),
        min_radius_km=np.nan if min_radius_km is None else float(min_radius_km), sources="",
    )  # fmt: skip
    return rows[list(ROW_COLUMNS)]


#: Rings already computed, by (lat, lon, radius_m, min_radius_m), with their area (km^2).
#: Shared by the dashboard's sessions (threads): _LOCK guards every read and write.
_CACHE: dict[tuple[float, ...], tuple[Geometry, float]] = {}
_LOCK = threading.Lock()
_CACHE_LIMIT = 20_000


def _key(lat: float, lon: float, radius_km: float, min_km: float) -> tuple[float, ...]:
    # NaN never equals itself, so "no minimum" (NaN) is keyed as -inf; any other value,
    # even a bad one, is kept so that ring_polygons can refuse it.
    mini = float(min_km)
    return (float(lat), float(lon), float(radius_km) * 1000.0,
            -np.inf if np.isnan(mini) else mini * 1000.0)  # fmt: skip


def _polygons(frame: pd.DataFrame, tolerance_m: float) -> list[tuple[Geometry, float]]:
    """(polygon, area km^2) for the rows' (lat, lon, radius_km, min_radius_km).

    Rings not yet cached are computed in one batch; each distinct ring once.
    """
    keys = [
        _key(a, b, r, m)
        for a, b, r, m in zip(
            frame["lat"], frame["lon"], frame["radius_km"], frame["min_radius_km"], strict=True
        )
    ]
    use_cache = tolerance_m == DEFAULT_TOLERANCE_M
    with _LOCK:
        found = {k: _CACHE[k] for k in set(keys) if k in _CACHE} if use_cache else {}
    todo = sorted(set(keys) - set(found))
    if todo:
        arr = np.array(todo, dtype=np.float64)
        polys = ring_polygons(
            lat=arr[:, 0], lon=arr[:, 1], radius_m=arr[:, 2],
            min_radius_m=np.where(arr[:, 3] == -np.inf, np.nan, arr[:, 3]),
            tolerance_m=tolerance_m,
        )  # fmt: skip
        areas_km2 = geodesic_areas_m2(polys) / 1e6
        new = dict(zip(todo, zip(polys, areas_km2.tolist(), strict=True), strict=True))
        found.update(new)
        if use_cache:
            with _LOCK:
                if len(_CACHE) + len(new) > _CACHE_LIMIT:
                    _CACHE.clear()
                _CACHE.update(new)
    return [found[k] for k in keys]


def rings_for(
    joined: pd.DataFrame, *, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> gpd.GeoDataFrame:
    """Draw rings for ring rows (from :func:`join_sites` or :func:`radius_rows`).

    Any frame with the columns ``lat, lon, radius_km, min_radius_km`` will do.

    Returns
    -------
    geopandas.GeoDataFrame
        The input columns plus ``area_km2`` (ellipsoidal area of the drawn ring) and the
        ring ``geometry``, EPSG:4326.
    """
    frame = joined.copy()
    if "min_radius_km" not in frame:
        frame["min_radius_km"] = np.nan
    drawn = _polygons(frame, tolerance_m)
    # Rounded to 0.001 km^2: the boundary tolerance makes finer digits noise, and noise
    # digits would make exported files differ between machines.
    frame["area_km2"] = [round(area, 3) for _, area in drawn]
    return gpd.GeoDataFrame(frame, geometry=[g for g, _ in drawn], crs="EPSG:4326")


def range_ring(
    *,
    lat: float,
    lon: float,
    radius_km: float,
    min_radius_km: float | None = None,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> gpd.GeoDataFrame:
    """One geodesic ring around a point, as a one-row GeoDataFrame.

    Parameters
    ----------
    lat, lon : float
        Centre in degrees.
    radius_km : float
        Geodesic radius in km, > 0.
    min_radius_km : float, optional
        Inner radius in km for an annulus.
    tolerance_m : float
        Boundary tolerance in metres.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns of :data:`RING_COLUMNS` (system and site blank) and ``geometry``.

    Raises
    ------
    GeodesyError
        On bad coordinates or radii.

    Examples
    --------
    >>> ring = range_ring(lat=-17.7, lon=178.1, radius_km=1000)
    >>> ring.geometry.iloc[0].geom_type, round(float(ring["area_km2"].iloc[0]))
    ('MultiPolygon', 3135049)
    """
    label = f"{lat:g},{lon:g}"
    site = pd.DataFrame({"id": [label], "name": [label], "lat": [lat], "lon": [lon]})
    rows = radius_rows(site, radius_km=radius_km, min_radius_km=min_radius_km)
    return rings_for(rows, tolerance_m=tolerance_m)


def range_rings(
    systems: Sequence[str],
    sites: Sequence[str],
    *,
    band: str | Band = Band.NOMINAL,
    catalogue: pd.DataFrame | None = None,
    site_table: gpd.GeoDataFrame | None = None,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> gpd.GeoDataFrame:
    """Rings for systems (ids, names or aliases) at sites (ids, names or ``LAT,LON``).

    Parameters
    ----------
    systems : sequence of str
        Keys for :func:`rangemap.catalogue.find_system`.
    sites : sequence of str
        Keys for :func:`rangemap.sites.resolve_sites`.
    band : {"nominal", "low", "high", "all"}
        Which published range figures to draw.
    catalogue, site_table : optional
        Tables to use instead of the shipped ones.
    tolerance_m : float
        Boundary tolerance in metres.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per (system, site, band) with :data:`RING_COLUMNS` and ``geometry``.

    Raises
    ------
    CatalogueError, SiteError, GeodesyError
        For unknown systems or sites and bad values.

    Examples
    --------
    >>> rings = range_rings(["df-26"], ["guangdong-shaoguan", "-17.7,178.1"])
    >>> len(rings), rings.crs.to_epsg()
    (2, 4326)
    """
    cat = load_catalogue() if catalogue is None else catalogue
    chosen = find_systems(cat, systems)
    where = resolve_sites(sites, site_table)
    joined = join_sites(chosen, where, band=Band.parse(band).value)
    return rings_for(joined, tolerance_m=tolerance_m)
