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
and cached by centre and radii, so redrawing the same selection costs nothing. The cache
is shared by every caller (the dashboard's sessions) and bounded both by its number of
rings and by an estimate of its bytes, dropping the least recently used rings first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from rangemap.catalogue import Band, band_radii_km, find_systems, load_catalogue
from rangemap.errors import SiteError
from rangemap.geodesy import DEFAULT_TOLERANCE_M
from rangemap.polygons import Geometry, geodesic_areas_m2, ring_polygons
from rangemap.sites import resolve_sites

__all__ = [
    "MAX_VIEW_RINGS",
    "RING_COLUMNS",
    "ROW_COLUMNS",
    "join_sites",
    "radius_rows",
    "range_ring",
    "range_rings",
    "rings_for",
]

#: Most rings one dashboard view draws (systems' figures x sites): every shipped system in
#: every band at every shipped site is 7,854; past this a view costs tens of seconds of the
#: one server every session shares (issue 15, item 13), so it is refused before the work.
MAX_VIEW_RINGS = 10_000

#: The columns of a ring row: which system, from which site, which band, what radii.
ROW_COLUMNS = (
    "system_id", "system", "site_id", "site", "lat", "lon", "band",
    "radius_km", "min_radius_km", "sources",
)  # fmt: skip
#: The columns of a drawn ring (:func:`rings_for`), before its ``geometry``.
RING_COLUMNS = (*ROW_COLUMNS, "area_km2")


def join_sites(
    systems: pd.DataFrame,
    sites: pd.DataFrame,
    *,
    band: str | Band = Band.NOMINAL,
    max_rings: int | None = None,
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
    max_rings : int, optional
        Refuse, before any ring is made, a join of more rows than this (the dashboard's
        :data:`MAX_VIEW_RINGS`: one upload of 10,000 sites under four figures would be
        40,000 rings, minutes of one server's time).

    Returns
    -------
    pandas.DataFrame
        :data:`ROW_COLUMNS`; systems in the order given, each system's bands (nominal,
        low, high), each band at every site.

    Examples
    --------
    >>> from rangemap.sites import resolve_sites
    >>> rows = join_sites(find_systems(load_catalogue(), ["iskander-m"]),
    ...                   resolve_sites(["kaliningrad", "mozdok"]), band="all")
    >>> [f"{b} {s} {r:g}" for b, s, r in rows[["band", "site_id", "radius_km"]].values]
    ['nominal kaliningrad 500', 'nominal mozdok 500', 'high kaliningrad 700', 'high mozdok 700']
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
    if max_rings is not None and len(bands) * len(sites) > max_rings:
        raise SiteError(
            f"this view would draw {len(bands) * len(sites):,} rings ({len(bands)} range "
            f"figures x {len(sites):,} sites), over the limit of {max_rings:,}: choose fewer "
            "systems or sites, or one band (the command line and the API have no such limit)"
        )
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


#: Most rings the cache keeps.
_CACHE_LIMIT = 20_000
#: Most bytes the cache keeps, by estimate (:func:`_ring_bytes`). Measured, a cached ring
#: costs about 20 bytes per vertex (16 for its coordinates, the rest for the objects around
#: them): 256 MiB keeps about 26,000 rings of 500 vertices or 12,000 of 1,200 (8,000 km
#: rings), against 2,574 distinct rings (about 29 MiB) for every shipped system, in every
#: band, at every shipped site. A 131 KB upload of 10,000 sites once took the server from
#: 0.3 to 4.7 GB, which stayed (issue 15): a count of rings alone does not bound the bytes.
_CACHE_MAX_BYTES = 256 * 1024 * 1024
#: Bytes per coordinate pair, and per ring for its Python and GEOS objects, in the estimate.
_COORD_BYTES = 16
_RING_OVERHEAD_BYTES = 2048
#: A ring's cache key: lat, lon, radius_m, min_radius_m (-inf for none).
_Key = tuple[float, ...]


def _ring_bytes(geometries: Iterable[Geometry]) -> list[int]:
    """Estimated memory of each ring: its coordinates, and a fixed overhead."""
    counts = shapely.get_num_coordinates(np.asarray(list(geometries), dtype=object))
    return [int(n) * _COORD_BYTES + _RING_OVERHEAD_BYTES for n in np.atleast_1d(counts)]


class _RingCache:
    """Rings by key, least recently used first, within both limits.

    At most :data:`_CACHE_LIMIT` rings and :data:`_CACHE_MAX_BYTES` bytes by estimate.

    Not thread-safe on its own: callers hold :data:`_LOCK`.
    """

    def __init__(self) -> None:
        self._rings: OrderedDict[_Key, tuple[Geometry, float, int]] = OrderedDict()
        self.n_bytes = 0

    def __len__(self) -> int:
        return len(self._rings)

    def clear(self) -> None:
        """Drop every ring."""
        self._rings.clear()
        self.n_bytes = 0

    def get_many(self, keys: Iterable[_Key]) -> dict[_Key, tuple[Geometry, float]]:
        """Return the cached (ring, area) of the keys found, each marked as just used."""
        found: dict[_Key, tuple[Geometry, float]] = {}
        for key in keys:
            hit = self._rings.get(key)
            if hit is not None:
                self._rings.move_to_end(key)
                found[key] = hit[:2]
        return found

    def put_many(self, new: dict[_Key, tuple[Geometry, float]]) -> None:
        """Add rings, then drop the least recently used until within both limits."""
        sizes = _ring_bytes(g for g, _ in new.values())
        for (key, (geom, area)), size in zip(new.items(), sizes, strict=True):
            if size > _CACHE_MAX_BYTES:
                continue  # a ring larger than the whole cache is not kept
            old = self._rings.pop(key, None)
            self.n_bytes += size - (old[2] if old else 0)
            self._rings[key] = (geom, area, size)
        while self._rings and (len(self._rings) > _CACHE_LIMIT
                               or self.n_bytes > _CACHE_MAX_BYTES):  # fmt: skip
            self.n_bytes -= self._rings.popitem(last=False)[1][2]


#: Rings already computed, by (lat, lon, radius_m, min_radius_m), with their area (km^2).
#: Shared by the dashboard's sessions (threads): _LOCK guards every read and write.
_CACHE = _RingCache()
_LOCK = threading.Lock()


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
        found = _CACHE.get_many(set(keys)) if use_cache else {}
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
                _CACHE.put_many(new)
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
