"""What is in range: exact per-target answers, covered area, countries, site comparisons.

Public functions
----------------
distance_matrix_km, ring_distances_km, in_band
    Exact geodesic distances between targets and sites (km), all pairs; per ring, and
    whether each target lies in the ring's band.
settle_in_range
    In/out decisions for every (target, site, radius), settling most pairs with a proven
    spherical bound and computing exact geodesics only near a boundary.
settle_by_site, band_masks
    settle_in_range once per site position (all its rings' radii); ranks as booleans.
coverage_table
    One row per (target, site, system, band): distance, in range, margin.
coverage_area
    Covered area (km^2, on the ellipsoid), countries reached and the share of each, and
    city and settlement population in range, for a set of rings, optionally in a region.
compare_sites
    What each pair of candidate sites reaches that the other does not (at most
    :data:`MAX_COMPARE_SITES` sites unless the caller raises it).
targets_in_range
    Targets flagged in range of any ring, with the systems that reach each one.

Every in-range answer comes from a geodesic distance compared with the range (and the
minimum range), never from a point-in-polygon test on a drawn ring. Callers pass the
settlements in (``population=``): :mod:`rangemap.population` imports this module.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from rangemap.anyreach import reached_by_any
from rangemap.errors import SiteError
from rangemap.geodesy import (
    SPHERE_MAX_SCALE,
    SPHERE_MIN_SCALE,
    FloatArray,
    geodesic_distance_m,
    spherical_distance_m,
)
from rangemap.polygons import WORLD, geodesic_area_m2
from rangemap.regions import in_region, region_polygon
from rangemap.targets import load_countries, load_targets

if TYPE_CHECKING:  # for annotations only: rangemap.population imports this module
    from rangemap.population import Population

__all__ = [
    "MAX_COMPARE_SITES",
    "Settled",
    "compare_sites",
    "coverage_area",
    "coverage_table",
    "distance_matrix_km",
    "band_masks",
    "in_band",
    "settle_by_site",
    "ring_distances_km",
    "settle_in_range",
    "targets_in_range",
]

#: Most sites :func:`compare_sites` compares unless its caller raises ``max_sites``. Each
#: pair of sites costs polygon intersections and differences of their ring unions (rings of
#: hundreds to thousands of vertices) and their ellipsoidal areas, so the work grows as
#: n * (n - 1): 20 sites are 190 pairs (380 rows), a table no one reads past; 200 sites
#: once took 134 s (issue 15).
MAX_COMPARE_SITES = 20


def distance_matrix_km(
    target_lat: npt.ArrayLike,
    target_lon: npt.ArrayLike,
    site_lat: npt.ArrayLike,
    site_lon: npt.ArrayLike,
) -> FloatArray:
    """Exact geodesic distances (km) from every target (rows) to every site (columns).

    Examples
    --------
    >>> distance_matrix_km([0.0], [1.0], [0.0, 0.0], [0.0, 2.0]).round(3).tolist()
    [[111.319, 111.319]]
    """
    tl = np.asarray(target_lat, dtype=np.float64)[:, None]
    tn = np.asarray(target_lon, dtype=np.float64)[:, None]
    sl = np.asarray(site_lat, dtype=np.float64)[None, :]
    sn = np.asarray(site_lon, dtype=np.float64)[None, :]
    return geodesic_distance_m(lat1=sl, lon1=sn, lat2=tl, lon2=tn) / 1000.0


@dataclass
class Settled:
    """In/out decisions for every (target, site, radius).

    Attributes
    ----------
    radii_km : numpy.ndarray
        The radii tested, in the order given.
    count_below : numpy.ndarray of int, shape (targets, sites)
        How many of the sorted radii lie strictly below each pair's distance: radius k is
        reached exactly when its rank among the sorted radii is at least this count. This
        settles every radius for the pair in one small integer.
    distance_km : numpy.ndarray, shape (targets, sites)
        Exact distance where it was computed, NaN where the bound settled every radius.
    n_exact : int
        Number of (target, site) pairs that needed an exact geodesic.
    """

    radii_km: FloatArray
    count_below: npt.NDArray[np.int64]
    distance_km: FloatArray
    n_exact: int

    @property
    def inside(self) -> npt.NDArray[np.bool_]:
        """``distance <= radius`` as a bool array of shape (targets, sites, radii)."""
        rank = np.empty(self.radii_km.shape[0], dtype=np.int64)
        rank[np.argsort(self.radii_km, kind="stable")] = np.arange(self.radii_km.shape[0])
        return rank[None, None, :] >= self.count_below[:, :, None]


def _settle_chunk(
    tl: FloatArray, tn: FloatArray, sl: FloatArray, sn: FloatArray, sorted_r: FloatArray
) -> tuple[npt.NDArray[np.int64], FloatArray, int]:
    sph = spherical_distance_m(lat1=tl[:, None], lon1=tn[:, None], lat2=sl[None, :],
                               lon2=sn[None, :])  # fmt: skip
    n_lo = np.searchsorted(sorted_r, sph * SPHERE_MIN_SCALE, side="left")
    n_hi = np.searchsorted(sorted_r, sph * SPHERE_MAX_SCALE, side="right")
    # Equal counts: no radius lies between the bounds, so the bound settles every radius.
    ti, si = np.nonzero(n_lo != n_hi)
    dist = np.full(sph.shape, np.nan)
    if ti.size:
        exact = geodesic_distance_m(lat1=sl[si], lon1=sn[si], lat2=tl[ti], lon2=tn[ti])
        dist[ti, si] = exact
        n_lo[ti, si] = np.searchsorted(sorted_r, exact, side="left")
    return n_lo.astype(np.int64), dist, int(ti.size)


#: Pairs per worker chunk; GeographicLib (through pyproj) and numpy release the GIL, so
#: threads use every core.
_CHUNK_PAIRS = 50_000


def settle_in_range(
    target_lat: npt.ArrayLike,
    target_lon: npt.ArrayLike,
    site_lat: npt.ArrayLike,
    site_lon: npt.ArrayLike,
    radii_km: npt.ArrayLike,
    *,
    workers: int | None = None,
) -> Settled:
    """Decide ``distance <= radius`` for all (target, site, radius) exactly and fast.

    A pair is settled by the spherical bound when no radius falls between its lower and
    upper bound on the ellipsoidal distance (:data:`rangemap.geodesy.SPHERE_MIN_SCALE`);
    only the others get an exact GeographicLib distance. The answers are the same as
    computing every distance exactly. Work is split over threads (``workers``, default: all cores).

    Parameters
    ----------
    target_lat, target_lon, site_lat, site_lon : array_like
        Degrees.
    radii_km : array_like
        The radii to test, km (any order; a minimum range is a radius too).
    workers : int, optional
        Threads to use; default ``os.cpu_count()``.

    Returns
    -------
    Settled

    Examples
    --------
    >>> s = settle_in_range([0.0, 0.0], [0.0, 30.0], [0.0], [0.5], [100.0, 5000.0])
    >>> s.inside[:, 0, :].tolist()
    [[True, True], [False, True]]
    """
    tl = np.asarray(target_lat, dtype=np.float64).ravel()
    tn = np.asarray(target_lon, dtype=np.float64).ravel()
    sl = np.asarray(site_lat, dtype=np.float64).ravel()
    sn = np.asarray(site_lon, dtype=np.float64).ravel()
    radii = np.asarray(radii_km, dtype=np.float64).ravel()
    sorted_r = np.sort(radii) * 1000.0
    rows_per_chunk = max(1, _CHUNK_PAIRS // max(1, sn.shape[0]))
    bounds = list(range(0, tl.shape[0], rows_per_chunk)) + [tl.shape[0]]
    chunks = list(zip(bounds[:-1], bounds[1:], strict=True))
    n_workers = workers or os.cpu_count() or 1

    def run(span: tuple[int, int]):
        a, b = span
        return _settle_chunk(tl[a:b], tn[a:b], sl, sn, sorted_r)

    if n_workers > 1 and len(chunks) > 1:
        with ThreadPoolExecutor(max_workers=n_workers) as pool:
            parts = list(pool.map(run, chunks))
    else:
        parts = [run(c) for c in chunks]
    if not parts:
        empty = np.empty((0, sn.shape[0]))
        return Settled(radii, empty.astype(np.int64), empty, 0)
    return Settled(
        radii_km=radii,
        count_below=np.concatenate([p[0] for p in parts]),
        distance_km=np.concatenate([p[1] for p in parts]) / 1000.0,
        n_exact=sum(p[2] for p in parts),
    )


def coverage_table(
    rings: pd.DataFrame, targets: gpd.GeoDataFrame, *, region: str | None = None
) -> pd.DataFrame:
    """One row per (target, site, system, band) with exact distance and margin.

    Parameters
    ----------
    rings : pandas.DataFrame
        Rows with ``system_id, system, site_id, site, lat, lon, band, radius_km,
        min_radius_km`` (from :func:`rangemap.sites.join_sites` or
        :func:`rangemap.rings.range_rings`).
    targets : geopandas.GeoDataFrame
        From :func:`rangemap.targets.load_targets`.
    region : str, optional
        Keep only targets inside this region preset.

    Returns
    -------
    pandas.DataFrame
        ``target, country, lat, lon, site, system, band, radius_km, min_radius_km,
        distance_km, in_range, margin_km``; ``margin_km`` is positive inside (the distance
        to the nearer edge of the band) and negative outside.
    """
    tg = in_region(targets, region)
    n_t, n_r = len(tg), len(rings)
    # Rows go ring by ring, every target under each ring.
    d = ring_distances_km(rings, tg).T.ravel()  # (n_r * n_t,)
    rmax = np.repeat(rings["radius_km"].to_numpy(dtype=float), n_t)
    rmin = np.repeat(_min_radii_km(rings), n_t)
    # Positive inside (distance to the nearer edge of the band), negative outside.
    margin = np.minimum(rmax - d, np.where(rmin > 0, d - rmin, np.inf))
    system = rings["system"] if "system" in rings else pd.Series("", rings.index)
    return pd.DataFrame(
        {
            "target": np.tile(tg["name"].to_numpy(), n_r),
            "country": np.tile(tg["country"].to_numpy(), n_r),
            "lat": np.tile(tg["lat"].to_numpy(dtype=float), n_r),
            "lon": np.tile(tg["lon"].to_numpy(dtype=float), n_r),
            "site": np.repeat(rings["site"].to_numpy(), n_t),
            "system": np.repeat(system.to_numpy(), n_t),
            "band": np.repeat(rings["band"].to_numpy(), n_t),
            "radius_km": rmax,
            "min_radius_km": np.where(rmin > 0, rmin, np.nan),
            "distance_km": d,
            "in_range": (d <= rmax) & (d >= rmin),
            "margin_km": margin,
        }
    )


def ring_distances_km(rings: pd.DataFrame, targets: pd.DataFrame) -> FloatArray:
    """Exact distance (km) from every target (rows) to every ring's site (columns).

    Each distinct site position is measured once; rings at the same site share it.

    Examples
    --------
    >>> import pandas as pd
    >>> rings = pd.DataFrame({"lat": [0.0, 0.0], "lon": [0.0, 2.0]})
    >>> ring_distances_km(rings, pd.DataFrame({"lat": [0.0], "lon": [1.0]})).round(3).tolist()
    [[111.319, 111.319]]
    """
    site_lat, site_lon, column = _site_columns(rings)
    return distance_matrix_km(targets["lat"], targets["lon"], site_lat, site_lon)[:, column]


def in_band(rings: pd.DataFrame, distance_km: FloatArray) -> npt.NDArray[np.bool_]:
    """``min_radius <= distance <= radius`` per (target, ring), from exact distances.

    Parameters
    ----------
    rings : pandas.DataFrame
        With ``radius_km`` and (optionally) ``min_radius_km``.
    distance_km : numpy.ndarray
        From :func:`ring_distances_km`, shape (targets, rings).
    """
    rmax = rings["radius_km"].to_numpy(dtype=float)
    return (distance_km <= rmax) & (distance_km >= _min_radii_km(rings))


def settle_by_site(
    rings: pd.DataFrame, *, lat: npt.ArrayLike, lon: npt.ArrayLike, workers: int | None = None
) -> Iterator[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp], Settled]]:
    """Settle points once per distinct site position, against every radius of its rings.

    Many rings at few sites (a threat census) then cost one pass over the points per site.
    A point's *rank* is ``settled.count_below`` (how many of the site's sorted radii lie
    strictly below its distance): ring ``k`` holds the points of rank ``first[k]`` to
    ``last[k]`` and, for an annulus (``first[k] > 0``), those of rank ``first[k] - 1``
    whose exact distance equals its minimum range ``settled.radii_km[first[k] - 1]``.

    Parameters
    ----------
    rings : pandas.DataFrame
        ``lat, lon, radius_km`` and optionally ``min_radius_km`` (NaN or 0: none).
    lat, lon : array_like
        The points, degrees.
    workers : int, optional
        Threads for :func:`settle_in_range` (default: all cores).

    Yields
    ------
    rows, first, last : numpy.ndarray of int
        Positions (0..n-1) of one site's rings, and each one's ranks.
    settled : Settled
        The points against the site's radii (sorted, unique): one column.

    Examples
    --------
    >>> rings = pd.DataFrame({"lat": [0.0, 0.0], "lon": [0.0, 0.0], "radius_km": [200, 400],
    ...                       "min_radius_km": [float("nan"), 150]})
    >>> for rows, first, last, s in settle_by_site(rings, lat=[0, 0, 0], lon=[1, 3, 5]):
    ...     print(rows.tolist(), first.tolist(), last.tolist(), s.count_below[:, 0].tolist())
    [0, 1] [0, 1] [1, 2] [0, 2, 3]
    """
    if len(rings) == 0:
        return
    site_lat, site_lon, column = _site_columns(rings)
    rmax, rmin = rings["radius_km"].to_numpy(dtype=float), _min_radii_km(rings)
    for j in range(site_lat.shape[0]):
        rows = np.flatnonzero(column == j)
        hi, lo = rmax[rows], rmin[rows]
        radii = np.unique(np.concatenate([hi, lo[lo > 0]]))
        settled = settle_in_range(lat, lon, site_lat[j : j + 1], site_lon[j : j + 1], radii,
                                  workers=workers)  # fmt: skip
        # d <= radii[i]  <=>  i >= count_below;  d > radii[i]  <=>  i < count_below.
        first = np.where(lo > 0, np.searchsorted(radii, lo) + 1, 0)
        yield rows, first, np.searchsorted(radii, hi), settled


def band_masks(first: np.ndarray, last: np.ndarray, settled: Settled) -> np.ndarray:
    """Turn :func:`settle_by_site`'s ranks into ``in band`` per (point, ring) of one site."""
    first, last = first[None, :], last[None, :]
    rank, dist = settled.count_below[:, :1], settled.distance_km[:, :1]
    on_min = dist == settled.radii_km[np.maximum(first - 1, 0)]  # exactly on a minimum range
    return ((rank >= first) & (rank <= last)) | ((first > 0) & (rank == first - 1) & on_min)


def _min_radii_km(rings: pd.DataFrame) -> FloatArray:
    if "min_radius_km" not in rings:
        return np.zeros(len(rings))
    return np.nan_to_num(rings["min_radius_km"].to_numpy(dtype=float), nan=0.0)


def _site_columns(rings: pd.DataFrame) -> tuple[FloatArray, FloatArray, npt.NDArray[np.intp]]:
    """Distinct site positions of the rings, and each ring's index among them.

    Sites are told apart by their coordinates, not their ids, so two sites that happen to
    share an id (say, two uploads) are never confused.
    """
    coords = np.column_stack(
        [rings["lat"].to_numpy(dtype=float), rings["lon"].to_numpy(dtype=float)]
    ).reshape(-1, 2)
    unique, column = np.unique(coords, axis=0, return_inverse=True)
    return unique[:, 0], unique[:, 1], column.ravel()


def _distinct_footprints(rings: gpd.GeoDataFrame) -> list[shapely.Geometry]:
    """Pick the rings whose union is the covered area, leaving out redundant ones.

    Rings repeat across systems with equal figures, and at one site every full disc lies
    inside the largest full disc there; the union of the rest is the same set, found many
    times faster.
    """
    frame = pd.DataFrame(
        {
            "lat": rings["lat"].to_numpy(dtype=float),
            "lon": rings["lon"].to_numpy(dtype=float),
            "r": rings["radius_km"].to_numpy(dtype=float),
            "m": np.nan_to_num(rings["min_radius_km"].to_numpy(dtype=float), nan=0.0),
        }
    )
    frame = frame.drop_duplicates()
    disc = frame["m"] == 0
    largest = frame.loc[disc].groupby(["lat", "lon"])["r"].transform("max")
    keep = ~disc
    keep.loc[largest.index] = frame.loc[largest.index, "r"] == largest
    return list(rings.geometry.to_numpy()[frame.index[keep.to_numpy()]])


def _union(geoms: Sequence[shapely.Geometry]) -> shapely.Geometry:
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if not geoms:
        return shapely.Polygon()
    return shapely.union_all(geoms)


def coverage_area(
    rings: gpd.GeoDataFrame,
    *,
    region: str | None = None,
    targets: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
    population: Population | None = None,
) -> dict[str, object]:
    """Area, countries, city population and settlement population covered by rings.

    Parameters
    ----------
    rings : geopandas.GeoDataFrame
        From :func:`rangemap.rings.range_rings` (geometry = rings, lon/lat).
    region : str, optional
        Restrict everything to a region preset.
    targets : geopandas.GeoDataFrame, optional
        Cities for the population count; defaults to the shipped cities.
    countries : geopandas.GeoDataFrame, optional
        Country outlines; defaults to the shipped Natural Earth 1:110m set.
    population : rangemap.population.Population, optional
        Points with counts: :func:`rangemap.population.load_settlements` (as the command
        line passes), a user's raster or points; without it no ``settlement_*`` keys.

    Returns
    -------
    dict
        ``area_km2`` (ellipsoidal), ``region_area_km2``, ``share_of_region``,
        ``countries`` (DataFrame: name, iso_a3, covered_km2, area_km2, share),
        ``city_population`` (sum over shipped cities of population >= 100,000 and
        capitals in range: a city count, not a census total) and ``n_cities``; given
        ``population``, ``settlement_population`` (float: the counts of the points in the
        band of any ring, each once, by exact geodesic distance, in the region),
        ``n_settlements`` (points) and ``settlement_label`` (``population.label``, e.g.
        "population of settlements ≥ 1,000 (GeoNames)": what outputs must call it).

    Examples
    --------
    200 km rings at 0,0 and 0,2; points 111 km west of the first, in both, and 334 km
    east of the second:

    >>> from rangemap.population import Population
    >>> from rangemap.rings import radius_rows, rings_for
    >>> from rangemap.sites import resolve_sites
    >>> rings = rings_for(radius_rows(resolve_sites(["0,0", "0,2"]), radius_km=200.0))
    >>> pop = Population(lat=[0, 0, 0], lon=[-1, 1, 5], count=[10, 1, 5], label="x", source="")
    >>> found = coverage_area(rings, population=pop)
    >>> found["settlement_population"], found["n_settlements"], "n_cities" in found
    (11.0, 2, True)
    """
    area_poly = region_polygon(region) if region else WORLD
    covered = _union(_distinct_footprints(rings))
    if region:
        covered = shapely.intersection(covered, area_poly)
    area_km2 = geodesic_area_m2(covered) / 1e6
    region_km2 = geodesic_area_m2(area_poly) / 1e6
    ctry = load_countries() if countries is None else countries
    rows = []
    shapely.prepare(covered)  # in place: speeds up the many intersects tests below
    for name, iso, geom in zip(ctry["name"], ctry["iso_a3"], ctry.geometry, strict=True):
        if not shapely.intersects(covered, geom):
            continue
        part = shapely.intersection(covered, geom)
        cov = geodesic_area_m2(part) / 1e6
        if cov <= 0:
            continue
        total = geodesic_area_m2(geom) / 1e6
        rows.append({"name": name, "iso_a3": iso, "covered_km2": cov, "area_km2": total,
                     "share": min(cov / total, 1.0) if total else 0.0})  # fmt: skip
    countries_df = pd.DataFrame(rows, columns=["name", "iso_a3", "covered_km2", "area_km2",
                                               "share"]).sort_values(
        ["share", "covered_km2"], ascending=False, ignore_index=True)  # fmt: skip
    tg = in_region(load_targets("cities") if targets is None else targets, region)
    reached = _reached_mask(rings, tg)
    pop = pd.to_numeric(tg["population"], errors="coerce").fillna(0).to_numpy()
    result: dict[str, object] = {
        "area_km2": area_km2,
        "region_area_km2": region_km2,
        "share_of_region": area_km2 / region_km2 if region_km2 else 0.0,
        "countries": countries_df,
        "city_population": int(pop[reached].sum()),
        "n_cities": int(reached.sum()),
    }
    if population is not None:  # sums of whole counts are exact in float64 to 2**53
        points = _points(population, region)
        held = _reached_mask(rings, points)
        result["settlement_population"] = float(points["count"].to_numpy()[held].sum())
        result["n_settlements"] = int(held.sum())
        result["settlement_label"] = population.label
    return result


def _reached_mask(rings: pd.DataFrame, targets: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Targets (or points) within any ring's [min, max] distance, from exact distances."""
    return reached_by_any(lat=targets["lat"], lon=targets["lon"], site_lat=rings["lat"],
                          site_lon=rings["lon"], radius_km=rings["radius_km"],
                          min_radius_km=_min_radii_km(rings))  # fmt: skip


def _points(population: Population, region: str | None) -> pd.DataFrame:
    """Return a Population's ``lat, lon, count`` in the region (by in_region), or all."""
    cols = {"lat": population.lat, "lon": population.lon, "count": population.count}
    return in_region(pd.DataFrame(cols), region)


def compare_sites(
    rings: gpd.GeoDataFrame,
    *,
    targets: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
    region: str | None = None,
    max_sites: int = MAX_COMPARE_SITES,
    population: Population | None = None,
) -> pd.DataFrame:
    """For each ordered pair of sites (A, B): what A reaches that B does not, and shared.

    Parameters
    ----------
    rings : geopandas.GeoDataFrame
        Rings for the chosen systems at two or more sites (from
        :func:`rangemap.rings.range_rings`); all bands present are pooled per site.
    targets : geopandas.GeoDataFrame, optional
        Defaults to the shipped cities (capitals are those with ``capital``).
    countries : geopandas.GeoDataFrame, optional
        Defaults to the shipped outlines.
    region : str, optional
        Restrict areas and targets to a region preset.
    max_sites : int, optional
        Most distinct sites (:data:`MAX_COMPARE_SITES` by default), checked before any
        work: the work grows with the number of pairs.
    population : rangemap.population.Population, optional
        As for :func:`coverage_area`; without it no ``settlement_population_*`` columns.

    Returns
    -------
    pandas.DataFrame
        One row per ordered pair: ``site_a, site_b, area_a_only_km2, area_b_only_km2,
        overlap_km2, cities_a_only, cities_b_only, cities_shared, capitals_a_only,
        capitals_b_only, capitals_shared, population_a_only, population_b_only`` (city
        populations), given ``population`` ``settlement_population_a_only, _b_only,
        _shared`` (floats, exact as in :func:`coverage_area`; ``attrs["settlement_label"]``
        names them), ``countries_a_only, countries_b_only`` (names joined by ``; ``).
        A's gains are exactly B's losses in the reversed row: each pair is computed once.

    Raises
    ------
    SiteError
        Over ``max_sites`` distinct sites, naming the limit and how to raise it.

    Examples
    --------
    >>> import pandas as pd
    >>> compare_sites(pd.DataFrame({"site_id": ["a", "b", "c"]}), max_sites=2)
    Traceback (most recent call last):
    ...
    rangemap.errors.SiteError: compare_sites: 3 sites, over the limit of 2 (n * (n - 1) ...
    """
    site_ids = list(dict.fromkeys(rings["site_id"]))
    if len(site_ids) > max_sites:  # before any work (issue 15: 200 sites, 134 s)
        raise SiteError(
            f"compare_sites: {len(site_ids):,} sites, over the limit of {max_sites:,} "
            f"(n * (n - 1) polygon comparisons); raise it with max_sites= (rangemap compare "
            "--max-sites N)"
        )
    tg = in_region(load_targets("cities") if targets is None else targets, region)
    ctry = load_countries() if countries is None else countries
    area_poly = region_polygon(region) if region else WORLD
    union: dict[str, shapely.Geometry] = {}
    reach: dict[str, npt.NDArray[np.bool_]] = {}
    names: dict[str, str] = {}
    for sid in site_ids:
        sub = rings.loc[rings["site_id"] == sid]
        names[sid] = str(sub["site"].iloc[0])
        u = _union(_distinct_footprints(sub))
        union[sid] = shapely.intersection(u, area_poly) if region else u
        reach[sid] = _reached_mask(sub, tg)
    # Each site's settlements once (112,000 points), combined per pair as bool arrays.
    held, points = {}, None if population is None else _points(population, region)
    if points is not None:
        held = {sid: _reached_mask(rings.loc[rings["site_id"] == sid], points) for sid in site_ids}
    touched: dict[str, set[str]] = {}
    for sid in site_ids:
        hit = shapely.intersects(union[sid], ctry.geometry.to_numpy())
        touched[sid] = set(ctry.loc[hit, "name"])
    pop = pd.to_numeric(tg["population"], errors="coerce").fillna(0).to_numpy()
    cap = tg["capital"].to_numpy(dtype=bool)
    # (A only, B only, shared) areas, once per unordered pair: the reversed row mirrors it.
    areas: dict[tuple[str, str], tuple[float, float, float]] = {}
    settled: dict[tuple[str, str], tuple[float, float, float]] = {}  # the same, settlements
    for a, b in itertools.combinations(site_ids, 2):
        a_only, b_only, shared = (
            geodesic_area_m2(g) / 1e6
            for g in (shapely.difference(union[a], union[b]),
                      shapely.difference(union[b], union[a]),
                      shapely.intersection(union[a], union[b]))
        )  # fmt: skip
        areas[a, b], areas[b, a] = (a_only, b_only, shared), (b_only, a_only, shared)
        if held:
            ha, hb, n = held[a], held[b], points["count"].to_numpy()  # type: ignore[index]
            a_only, b_only, shared = (float(n @ m) for m in (ha & ~hb, hb & ~ha, ha & hb))
            settled[a, b], settled[b, a] = (a_only, b_only, shared), (b_only, a_only, shared)
    rows, keys = [], [f"settlement_population_{k}" for k in ("a_only", "b_only", "shared")]
    for a, b in itertools.permutations(site_ids, 2):
        ra, rb = reach[a], reach[b]
        rows.append(
            {
                "site_a": names[a],
                "site_b": names[b],
                "area_a_only_km2": areas[a, b][0],
                "area_b_only_km2": areas[a, b][1],
                "overlap_km2": areas[a, b][2],
                "cities_a_only": int((ra & ~rb).sum()),
                "cities_b_only": int((rb & ~ra).sum()),
                "cities_shared": int((ra & rb).sum()),
                "capitals_a_only": "; ".join(sorted(tg.loc[ra & ~rb & cap, "name"])),
                "capitals_b_only": "; ".join(sorted(tg.loc[rb & ~ra & cap, "name"])),
                "capitals_shared": int((ra & rb & cap).sum()),
                "population_a_only": int(pop[ra & ~rb].sum()),
                "population_b_only": int(pop[rb & ~ra].sum()),
                **dict(zip(keys, settled.get((a, b), ()), strict=False)),
                "countries_a_only": "; ".join(sorted(touched[a] - touched[b])),
                "countries_b_only": "; ".join(sorted(touched[b] - touched[a])),
            }
        )
    table = pd.DataFrame(rows)
    if population is not None:
        table.attrs["settlement_label"] = population.label
    return table


def targets_in_range(rings: pd.DataFrame, targets: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Flag the targets within any ring (exact geodesic distance, minimum range honoured).

    Parameters
    ----------
    rings : pandas.DataFrame
        Ring rows with ``system, lat, lon, band, radius_km, min_radius_km``.
    targets : geopandas.GeoDataFrame
        From :func:`rangemap.targets.load_targets`.

    Returns
    -------
    geopandas.GeoDataFrame
        ``targets`` plus ``in_range`` (bool) and ``reached_by`` (system names; a band
        other than nominal is named when only that band reaches).

    Examples
    --------
    >>> from rangemap.rings import range_rings
    >>> caps = load_targets("capitals")
    >>> hit = targets_in_range(range_rings(["iskander-m"], ["kaliningrad"]), caps)
    >>> sorted(hit.loc[hit["in_range"], "name"])
    ['Minsk', 'Riga', 'Vilnius', 'Warsaw']
    """
    out = targets.copy()
    out["in_range"] = False
    out["reached_by"] = ""
    if len(rings) == 0 or len(targets) == 0:
        return out
    inside = in_band(rings, ring_distances_km(rings, targets))
    systems = rings["system"].astype(str).to_numpy()
    bands = rings["band"].astype(str).to_numpy()
    reached = []
    for row in inside:
        by: dict[str, set[str]] = {}
        for k in np.flatnonzero(row):
            by.setdefault(systems[k], set()).add(bands[k])
        reached.append(
            "; ".join(
                name
                if ("nominal" in b or "custom" in b)
                else f"{name} ({'/'.join(sorted(b))} only)"
                for name, b in by.items()
            )
        )
    out["in_range"] = inside.any(axis=1)
    out["reached_by"] = reached
    return out
