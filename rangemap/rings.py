"""Range rings for catalogue systems at launch sites, as GeoDataFrames (EPSG:4326).

Public functions
----------------
range_ring
    One ring (optionally an annulus) around a point, as a one-row GeoDataFrame.
range_rings
    Rings for every (system, site, band), with figures and sources as columns.

Rings are computed by :mod:`rangemap.coverage` (exact geodesic boundaries on WGS84,
split at the antimeridian) and cached by centre and radii, so redrawing the same
selection costs nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from rangemap.catalogue import Band, find_systems, load_catalogue
from rangemap.coverage import Geometry, geodesic_areas_m2, ring_polygons
from rangemap.geodesy import DEFAULT_TOLERANCE_M
from rangemap.sites import join_sites, resolve_sites

__all__ = ["RING_COLUMNS", "range_ring", "range_rings", "rings_for"]

RING_COLUMNS = (
    "system_id", "system", "site_id", "site", "lat", "lon", "band",
    "radius_km", "min_radius_km", "area_km2", "sources",
)  # fmt: skip


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
    """Draw rings for rows of :func:`rangemap.sites.join_sites`.

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
    frame = pd.DataFrame(
        [
            {
                "system_id": "", "system": "", "site_id": label, "site": label,
                "lat": float(lat), "lon": float(lon), "band": "custom",
                "radius_km": float(radius_km),
                "min_radius_km": np.nan if min_radius_km is None else float(min_radius_km),
                "sources": "",
            }
        ]
    )  # fmt: skip
    return rings_for(frame, tolerance_m=tolerance_m)


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
