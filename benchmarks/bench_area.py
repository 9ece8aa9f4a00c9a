"""Area of unions: covered area of many overlapping rings, rangemap against geopandas.

Work: every INF-class system (``filter_systems(inf_only=True)``) at every shipped site
with all its bands: several thousand overlapping rings, many of them split at the
antimeridian or closed around a pole. The rings are drawn first (not timed).

- rangemap: ``shapely.union_all`` of the rings (what ``coverage_area`` does) and
  ``rangemap.polygons.geodesic_area_m2`` (exact on the ellipsoid for straight lon/lat
  edges); and ``rangemap.reach.coverage_area`` as a whole, which also intersects the
  union with every country and counts the cities in range.
- geopandas: ``GeoSeries.union_all()``, then ``to_crs("EPSG:6933")`` (an equal-area
  cylindrical projection of the whole globe) and ``.area``.
- pyproj: ``Geod.geometry_area_perimeter`` of the same union (it joins vertices by
  geodesics, not by the straight lon/lat lines GeoJSON draws).

Independent check: the share of random points (uniform by area on the ellipsoid) that
lie within some ring by exact geodesic distance, times the ellipsoid's area, with its
3-sigma sampling error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402
import numpy as np  # noqa: E402
import pyproj  # noqa: E402
import shapely  # noqa: E402

GEOD = pyproj.Geod(ellps="WGS84")
EQUAL_AREA = "EPSG:6933"


def load_work(quick: bool = False):
    """Rings of the INF-class systems at every site (drawn, with the joined rows)."""
    from rangemap.catalogue import filter_systems, load_catalogue
    from rangemap.rings import join_sites, rings_for
    from rangemap.sites import load_sites

    inf = filter_systems(load_catalogue(), inf_only=True)
    sites = load_sites()
    if quick:
        inf = inf.iloc[:3]
        sites = sites.iloc[:3]
    return rings_for(join_sites(inf, sites, band="all")), sites


def _zone_area(lat_deg: np.ndarray) -> np.ndarray:
    """Area (m^2) between the equator and each latitude, per radian of longitude."""
    e2 = GEOD.es
    e = np.sqrt(e2)
    s = np.sin(np.radians(lat_deg))
    return GEOD.b**2 / 2.0 * (s / (1.0 - e2 * s * s) + np.arctanh(e * s) / e)


def random_points(n: int, seed: int = 6) -> tuple[np.ndarray, np.ndarray, float]:
    """``n`` points uniform by area on the WGS84 ellipsoid: (lat, lon, ellipsoid area m^2)."""
    rng = np.random.default_rng(seed)
    grid = np.linspace(-90.0, 90.0, 200_001)
    zone = _zone_area(grid)
    lat = np.interp(rng.uniform(zone[0], zone[-1], n), zone, grid)
    lon = rng.uniform(-180.0, 180.0, n)
    return lat, lon, float(2.0 * np.pi * (zone[-1] - zone[0]))


def monte_carlo_km2(rings, n: int) -> tuple[float, float]:
    """Covered area by sampling (km^2) and its 3-sigma error, from exact distances."""
    from rangemap.reach import settle_in_range

    lat, lon, total_m2 = random_points(n)
    sites = rings.drop_duplicates("site_id")[["site_id", "lat", "lon"]].reset_index(drop=True)
    col_of = {sid: j for j, sid in enumerate(sites["site_id"])}
    r = rings["radius_km"].to_numpy(float)
    mins = np.nan_to_num(rings["min_radius_km"].to_numpy(float))
    radii = np.unique(np.concatenate([r, mins[mins > 0]]))
    settled = settle_in_range(lat, lon, sites["lat"], sites["lon"], radii)
    # covered[j, c]: a distance with c radii strictly below it is in some ring of site j.
    c = np.arange(radii.size + 1)
    covered = np.zeros((len(sites), c.size), dtype=bool)
    for sid, rk, mk in zip(rings["site_id"], r, mins, strict=True):
        inside = np.searchsorted(radii, rk) >= c
        if mk > 0:
            inside &= np.searchsorted(radii, mk) < c
        covered[col_of[sid]] |= inside
    hit = np.zeros(n, dtype=bool)
    for j in range(len(sites)):
        hit |= covered[j, settled.count_below[:, j]]
    p = float(hit.mean())
    return p * total_m2 / 1e6, 3.0 * np.sqrt(p * (1.0 - p) / n) * total_m2 / 1e6


def run(quick: bool = False) -> dict[str, Any]:
    """Measure and return the figures (see the module docstring)."""
    import geopandas as gpd

    from rangemap.polygons import geodesic_area_m2
    from rangemap.reach import coverage_area
    from rangemap.targets import load_countries, load_targets

    rings, _ = load_work(quick)
    geoms = list(rings.geometry)
    reps = 1 if quick else 2

    def rm_union_area() -> tuple[Any, float]:
        u = shapely.union_all(geoms)
        return u, geodesic_area_m2(u) / 1e6

    def gpd_union_area() -> tuple[Any, float]:
        u = rings.geometry.union_all()
        return u, float(gpd.GeoSeries([u], crs=4326).to_crs(EQUAL_AREA).area.iloc[0]) / 1e6

    t_rm, (union, a_rm), rss_rm = C.best_of(rm_union_area, repeat=reps)
    t_gp, (union_gp, a_gp), rss_gp = C.best_of(gpd_union_area, repeat=reps)
    t_rm_area, _, _ = C.best_of(lambda: geodesic_area_m2(union), repeat=5)
    t_gp_area, _, _ = C.best_of(
        lambda: gpd.GeoSeries([union_gp], crs=4326).to_crs(EQUAL_AREA).area, repeat=5
    )
    t_geod, geod_res, _ = C.best_of(lambda: GEOD.geometry_area_perimeter(union), repeat=5)
    a_geod = abs(float(geod_res[0])) / 1e6

    load_countries(), load_targets("cities")  # loaded once, as the dashboard does
    t_cov, cov, rss_cov = C.best_of(lambda: coverage_area(rings), repeat=1)
    t_mc, (a_mc, err_mc), rss_mc = C.best_of(
        lambda: monte_carlo_km2(rings, 5_000 if quick else 200_000), repeat=1
    )

    def diff(a: float) -> str:
        return f"{C.fmt_num(a)} km2 ({100 * (a - a_rm) / a_rm:+.2g} %)"

    n_vertices = int(shapely.get_num_coordinates(np.asarray(geoms, dtype=object)).sum())
    rows = [
        C.row(
            "union + area, s (geopandas: union_all, to_crs EPSG:6933, .area)",
            C.fmt_s(t_rm), C.fmt_s(t_gp), C.fmt_ratio(t_gp / t_rm), C.fmt_rss(rss_rm, rss_gp),
        ),
        C.row(
            "area of the union only (geopandas to_crs EPSG:6933 .area)",
            C.fmt_s(t_rm_area), C.fmt_s(t_gp_area), C.fmt_ratio(t_gp_area / t_rm_area),
        ),
        C.row(
            "area of the union only (pyproj Geod.geometry_area_perimeter)",
            C.fmt_s(t_rm_area), C.fmt_s(t_geod), C.fmt_ratio(t_geod / t_rm_area),
        ),
        C.row("covered area (EPSG:6933)", f"{C.fmt_num(a_rm)} km2", diff(a_gp)),
        C.row("covered area (geodesic edges)", f"{C.fmt_num(a_rm)} km2", diff(a_geod)),
        C.row(
            "covered area, Monte Carlo on exact distances (3 sigma)",
            f"{C.fmt_num(a_rm)} km2",
            f"{C.fmt_num(a_mc)} +/- {C.fmt_num(err_mc)} km2",
            "", C.fmt_rss(float("nan"), rss_mc),
        ),
        C.row(
            "coverage_area(): area + countries + cities in range",
            C.fmt_s(t_cov), "", "", C.fmt_rss(rss_cov, float("nan")),
        ),
    ]  # fmt: skip
    mc_ok = abs(a_rm - a_mc) <= err_mc
    notes = [
        "the union is the same shapely.union_all call in both and takes nearly all the time: "
        "the first row's ratio is noise around 1; the area rows compare the methods",
        f"{len(rings):,} rings ({rings['system_id'].nunique()} INF-class systems x "
        f"{rings['site_id'].nunique()} sites, all bands), {n_vertices:,} vertices; union "
        f"{int(shapely.get_num_coordinates(union)):,} vertices",
        f"the Monte Carlo check ({C.fmt_s(t_mc)}) "
        + ("agrees with" if mc_ok else "DISAGREES with")
        + " rangemap's area within 3 sigma",
        f"coverage_area reports {cov['n_cities']:,} cities and "
        f"{len(cov['countries']):,} countries reached",
    ]
    return {
        "benchmark": "area",
        "available": True,
        "work": f"union of {len(rings):,} overlapping rings (INF-class systems x all sites)",
        "n_rings": len(rings),
        "rangemap_seconds": t_rm,
        "rangemap_area_seconds": t_rm_area,
        "rangemap_area_km2": a_rm,
        "rangemap_peak_rss_mb": rss_rm,
        "coverage_area_seconds": t_cov,
        "coverage_area_peak_rss_mb": rss_cov,
        "geopandas_seconds": t_gp,
        "geopandas_area_seconds": t_gp_area,
        "geopandas_area_km2": a_gp,
        "geod_area_km2": a_geod,
        "monte_carlo_area_km2": a_mc,
        "monte_carlo_3sigma_km2": err_mc,
        "monte_carlo_agrees": bool(mc_ok),
        "rows": rows,
        "targets": [],
        "notes": notes,
    }


if __name__ == "__main__":
    C.main(run, __doc__)
