"""Reverse questions: launch areas and reach from a region, against the usual recipes.

Work:

- **Launch areas** (the points within R of every target): :func:`rangemap.launch.launch_area`
  against *intersecting AEQD buffers*, the recipe a person writes: for each target,
  buffer the point by R with geopandas' default ``quad_segs`` (16: 64 chords) in an
  azimuthal-equidistant CRS centred on it (``+proj=aeqd +lat_0 +lon_0 +datum=WGS84``),
  ``to_crs(4326)``, and intersect the rings in lon/lat. When GEOS refuses the rings (a
  ring across the antimeridian or around a pole comes back self-intersecting) the recipe
  goes on as a person would, with ``shapely.make_valid`` on each ring; what it then
  returns is what is scored. The same recipe is also run back to longitudes in [0, 360)
  (``+lon_wrap=180``, the Pacific-centred frame a careful person picks) and scored in that
  frame. Cases: Guam, Tokyo and Manila at 4,000 km (DF-26; the Guam and Tokyo rings cross
  the antimeridian); Fiji, Samoa and Tonga at 2,500 km (across the antimeridian);
  Svalbard, Alert and Utqiagvik at 3,000 km (around the North Pole).
- **Reach from a region** (the points within R of any point of a country):
  :func:`rangemap.regionreach.reach_from` against the *union of sampled circles*: 1,000
  points evenly spaced along the outline (``line_interpolate_point`` on the lon/lat
  boundary), a circle around each, their union with the region. The circles are drawn
  three ways: exact geodesic rings (:func:`rangemap.polygons.ring_polygons`: only the
  sampling errs), 64-vertex ``Geod.fwd`` circles joined in lon/lat as a person draws
  them (``make_valid`` when GEOS refuses them, as above), and exact rings at every
  outline vertex only. Cases: Belarus at 500 km (Iskander-M), Japan at 1,000 km, Russia
  at 5,500 km (Natural Earth 1:110m outlines, as shipped).

Error, the same way for every method: sample points (a share near each method's drawn
boundary, moved by up to 1 % of R in a random direction, and a share uniform in caps of
radius R + 6 % around the targets or outline vertices), classify each by exact geodesic
distance (``pyproj.Geod.inv`` to every target; for a region,
:func:`rangemap.regionreach.region_distance_km`, itself checked against a brute-force
minimum over the outline densified to 0.01 degree) and by the method's polygon
(``intersects_xy``). A point is *misclassified* when the two differ and it lies more than
100 m from the true boundary; its error is that distance, ``|d - R|`` for the deciding
target (the one farthest past R, or the nearest to R inside) or for the region.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402
import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pyproj  # noqa: E402
import shapely  # noqa: E402
from shapely.errors import GEOSException  # noqa: E402

GEOD = pyproj.Geod(ellps="WGS84")
#: Points closer than this to the true boundary are not scored (the drawing tolerance).
MARGIN_M = 100.0
#: Jitter around a drawn boundary and extra cap radius, as shares of R.
JITTER = 0.01
CAP_EXTRA = 0.06
#: Shares of the sample points: near rangemap's boundary, near the alternatives', in caps.
SHARE_RANGEMAP, SHARE_ALTERNATIVES = 0.4, 0.4
OUTLINE_SAMPLES = 1_000
CIRCLE_VERTICES = 64
#: Brute-force oracle: outline densified to this step (degrees) for the check.
BRUTE_STEP_DEG = 0.01

LAUNCH_CASES = (
    ("Guam, Tokyo, Manila, 4,000 km (DF-26)", [13.44, 35.68, 14.60], [144.79, 139.69, 120.98],
     4_000.0),
    ("Fiji, Samoa, Tonga, 2,500 km (antimeridian)", [-17.7, -13.8, -21.1], [178.1, -171.8, -175.2],
     2_500.0),
    ("Svalbard, Alert, Utqiagvik, 3,000 km (North Pole)", [78.2, 82.5, 71.3], [15.6, -62.3, -156.8],
     3_000.0),
)  # fmt: skip
#: (ISO3, radius km, label, sample points in a full run).
REACH_CASES = (
    ("BLR", 500.0, "Iskander-M", 5_000),
    ("JPN", 1_000.0, "", 5_000),
    ("RUS", 5_500.0, "", 2_500),
)


# --- the alternatives --------------------------------------------------------------------


#: Lon/lat with longitudes in [0, 360): the Pacific-centred frame a careful person uses.
PACIFIC = "+proj=longlat +datum=WGS84 +lon_wrap=180 +no_defs"


def _aeqd_ring(lat: float, lon: float, radius_m: float, to: str | int = 4326) -> Any:
    """One target's ring: a buffer in the AEQD CRS centred on it, back to lon/lat."""
    crs = pyproj.CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs"
    )
    centre = gpd.GeoSeries([shapely.Point(0.0, 0.0)], crs=crs)
    return centre.buffer(radius_m).to_crs(to).iloc[0]


def _intersect_all(geoms: list[Any]) -> Any:
    out = geoms[0]
    for g in geoms[1:]:
        out = out.intersection(g)
    return out


def _as_a_person_would(op, geoms: list[Any]) -> tuple[Any, str]:
    """``op(geoms)``; when GEOS refuses the input, ``make_valid`` every piece and retry."""
    try:
        return op(geoms), "ok"
    except GEOSException as exc:
        first = str(exc).split(":")[0]
        fixed = [shapely.make_valid(g) for g in geoms]
        return op(fixed), f"raised {first}; scored after make_valid"


def aeqd_launch_area(
    lat: list[float], lon: list[float], radius_km: float, *, wrap: bool = False
) -> tuple[Any, str]:
    """Intersecting AEQD buffers (the recipe), and what happened on the way.

    ``wrap``: back to longitudes in [0, 360) (``+lon_wrap=180``) instead of EPSG:4326.
    """
    to = PACIFIC if wrap else 4326
    rings = [_aeqd_ring(a, b, radius_km * 1000.0, to) for a, b in zip(lat, lon, strict=True)]
    return _as_a_person_would(_intersect_all, rings)


def _outline_samples(region: Any, n: int) -> np.ndarray:
    """``n`` points evenly spaced (in lon/lat) along the region's outline, as (lon, lat)."""
    boundary = region.boundary
    at = np.linspace(0.0, boundary.length, n, endpoint=False)
    return shapely.get_coordinates(shapely.line_interpolate_point(boundary, at))


def _union_with_region(region: Any, circles: list[Any]) -> Any:
    return shapely.union_all([region, *circles])


def exact_circles_reach(region: Any, radius_km: float, xy: np.ndarray) -> Any:
    """Union of the region and exact geodesic rings around the points ``xy``."""
    from rangemap.polygons import ring_polygons

    circles = ring_polygons(lat=xy[:, 1], lon=xy[:, 0], radius_m=radius_km * 1000.0)
    return _union_with_region(region, circles)


def fwd_circles_reach(region: Any, radius_km: float, xy: np.ndarray) -> tuple[Any, str]:
    """Union of the region and 64-vertex Geod.fwd circles joined in lon/lat."""
    k = CIRCLE_VERTICES
    az = np.tile(np.linspace(0.0, 360.0, k, endpoint=False), xy.shape[0])
    lon, lat, _ = GEOD.fwd(np.repeat(xy[:, 0], k), np.repeat(xy[:, 1], k), az,
                           np.full(az.shape, radius_km * 1000.0))  # fmt: skip
    ring_xy = np.column_stack([lon, lat]).reshape(xy.shape[0], k, 2)
    circles = [shapely.Polygon(c) for c in ring_xy]
    return _as_a_person_would(lambda g: shapely.union_all(g), [region, *circles])


# --- sample points and the exact answer ----------------------------------------------------


def _boundary_edges(geom: Any) -> np.ndarray:
    """Every drawn edge (x0, y0, x1, y1) of a polygonal geometry."""
    if geom is None or geom.is_empty:
        return np.empty((0, 4))
    parts = shapely.get_parts(geom)
    rings = shapely.get_rings(parts)
    xy, idx = shapely.get_coordinates(rings, return_index=True)
    same = idx[1:] == idx[:-1]
    return np.column_stack([xy[:-1][same], xy[1:][same]])


def _near_boundary(
    geom: Any, n: int, jitter_m: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points on a geometry's drawn edges (by length), moved up to ``jitter_m``."""
    edges = _boundary_edges(geom)
    if n <= 0 or edges.shape[0] == 0:
        return np.empty(0), np.empty(0)
    x0, y0, x1, y1 = edges.T
    mid_lat = np.radians((y0 + y1) / 2.0)
    length = np.hypot((x1 - x0) * np.cos(mid_lat), y1 - y0)
    if length.sum() <= 0:
        return np.empty(0), np.empty(0)
    pick = rng.choice(edges.shape[0], size=n, p=length / length.sum())
    t = rng.uniform(0.0, 1.0, n)
    lon = x0[pick] + t * (x1[pick] - x0[pick])
    lat = y0[pick] + t * (y1[pick] - y0[pick])
    plon, plat, _ = GEOD.fwd(lon, lat, rng.uniform(0.0, 360.0, n), rng.uniform(0.0, jitter_m, n))
    return np.asarray(plon), np.asarray(plat)


def _in_caps(
    lon: np.ndarray, lat: np.ndarray, radius_m: float, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points uniform by area (sphere) in caps of ``radius_m`` around random centres."""
    k = rng.integers(0, lon.shape[0], n)
    cos_max = np.cos(radius_m / 6_371_008.8)
    angle = np.arccos(rng.uniform(cos_max, 1.0, n))
    plon, plat, _ = GEOD.fwd(lon[k], lat[k], rng.uniform(0.0, 360.0, n), angle * 6_371_008.8)
    return np.asarray(plon), np.asarray(plat)


def sample_points(
    rangemap_geom: Any,
    alternatives: list[Any],
    centres: np.ndarray,
    radius_m: float,
    n: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Points near every method's boundary and in caps around the centres (lon, lat)."""
    n_rm = int(SHARE_RANGEMAP * n)
    n_alt = int(SHARE_ALTERNATIVES * n) // max(1, len(alternatives))
    jitter = JITTER * radius_m
    parts = [_near_boundary(rangemap_geom, n_rm, jitter, rng)]
    parts += [_near_boundary(g, n_alt, jitter, rng) for g in alternatives]
    rest = n - sum(p[0].shape[0] for p in parts)
    parts.append(_in_caps(centres[:, 0], centres[:, 1], (1 + CAP_EXTRA) * radius_m, rest, rng))
    lon = np.concatenate([p[0] for p in parts])
    lat = np.concatenate([p[1] for p in parts])
    return (lon + 180.0) % 360.0 - 180.0, np.clip(lat, -90.0, 90.0)


def score(geom: Any, lon: np.ndarray, lat: np.ndarray, signed_m: np.ndarray) -> dict[str, Any]:
    """Misclassified points beyond the margin, and the worst error (km).

    ``signed_m`` is the exact signed distance past the boundary (<= 0: truly inside). The
    mask of the points misclassified beyond the margin is under ``"mask"``.
    """
    if geom is None or geom.is_empty:
        got = np.zeros(lon.shape[0], dtype=bool)
    else:
        shapely.prepare(geom)
        got = shapely.intersects_xy(geom, lon, lat)
    wrong = got != (signed_m <= 0.0)
    beyond = wrong & (np.abs(signed_m) > MARGIN_M)
    return {
        "points": int(lon.shape[0]),
        "wrong": int(beyond.sum()),
        "wrong_inside": int((beyond & (signed_m <= 0)).sum()),  # truly inside, drawn out
        "wrong_within_margin": int((wrong & ~beyond).sum()),
        "worst_km": float(np.abs(signed_m[wrong]).max()) / 1000.0 if wrong.any() else 0.0,
        "mask": beyond,
    }


def _public(s: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in s.items() if k != "mask"}


def _launch_signed_m(lon, lat, tlat, tlon, radius_m) -> np.ndarray:
    """max over targets of (distance - R): <= 0 inside the launch area."""
    n, k = lon.shape[0], len(tlat)
    d = GEOD.inv(np.repeat(lon, k), np.repeat(lat, k), np.tile(tlon, n), np.tile(tlat, n))[2]
    return (np.asarray(d).reshape(n, k) - radius_m).max(axis=1)


def _brute_distance_m(region: Any, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Distance to the region: 0 inside, else the minimum over the densified outline."""
    dense = shapely.get_coordinates(shapely.segmentize(region.boundary, BRUTE_STEP_DEG))
    out = np.zeros(lon.shape[0])
    inside = shapely.intersects_xy(region, lon, lat)
    for i in np.flatnonzero(~inside):
        m = dense.shape[0]
        d = GEOD.inv(np.full(m, lon[i]), np.full(m, lat[i]), dense[:, 0], dense[:, 1])[2]
        out[i] = float(np.min(d))
    return out


# --- formatting ----------------------------------------------------------------------------


def _err_text(s: dict[str, Any]) -> str:
    share = 100.0 * s["wrong"] / max(1, s["points"])
    text = f"{s['wrong']:,} of {s['points']:,} ({C.fmt_num(share)} %)"
    if s["wrong"] or s["worst_km"] > 0:
        km = s["worst_km"]
        text += f", worst {C.fmt_num(km)} km" if km >= 1 else f", worst {C.fmt_num(km * 1000)} m"
    return text


def _area_km2(geom: Any) -> float:
    from rangemap.polygons import geodesic_area_m2

    if geom is None or geom.is_empty:
        return 0.0
    return geodesic_area_m2(geom) / 1e6


# --- the benchmark -------------------------------------------------------------------------


LAUNCH_METHODS = ("aeqd", "aeqd_wrap")


def run_launch(quick: bool, rng: np.random.Generator) -> list[dict[str, Any]]:
    """Every launch-area case: times, scores, what the recipe returned."""
    from rangemap.launch import launch_area

    n_points = 2_000 if quick else 20_000
    repeat = 1 if quick else 3
    _aeqd_ring(0.0, 0.0, 1000.0)  # warm PROJ's database up, untimed
    out = []
    for label, tlat, tlon, r_km in LAUNCH_CASES:
        t_rm, rm, rss_rm = C.best_of(
            lambda tlat=tlat, tlon=tlon, r_km=r_km: launch_area(lat=tlat, lon=tlon, radius_km=r_km),
            repeat=repeat,
        )
        timed = {
            m: C.best_of(
                lambda tlat=tlat, tlon=tlon, r_km=r_km, w=(m == "aeqd_wrap"): aeqd_launch_area(
                    tlat, tlon, r_km, wrap=w
                ),
                repeat=repeat,
            )
            for m in LAUNCH_METHODS
        }
        geoms = {m: timed[m][1][0] for m in LAUNCH_METHODS}
        r_m = r_km * 1000.0
        centres = np.column_stack([tlon, tlat])
        lon, lat = sample_points(rm, list(geoms.values()), centres, r_m, n_points, rng)
        signed = _launch_signed_m(lon, lat, tlat, tlon, r_m)
        # The wrapped recipe's polygons have longitudes in [0, 360).
        lon_of = {"aeqd": lon, "aeqd_wrap": lon % 360.0}
        out.append({
            "case": label, "radius_km": r_km,
            "rangemap_seconds": t_rm, "rangemap_rss_mb": rss_rm,
            "rangemap_area_km2": _area_km2(rm),
            "rangemap": _public(score(rm, lon, lat, signed)),
            **{f"{m}_seconds": timed[m][0] for m in LAUNCH_METHODS},
            **{f"{m}_rss_mb": timed[m][2] for m in LAUNCH_METHODS},
            **{f"{m}_status": timed[m][1][1] for m in LAUNCH_METHODS},
            **{f"{m}_area_km2": _area_km2(geoms[m]) for m in LAUNCH_METHODS},
            **{f"{m}_geom_type": geoms[m].geom_type for m in LAUNCH_METHODS},
            **{f"{m}_empty": bool(geoms[m].is_empty) for m in LAUNCH_METHODS},
            **{m: _public(score(geoms[m], lon_of[m], lat, signed)) for m in LAUNCH_METHODS},
        })  # fmt: skip
    return out


REACH_METHODS = ("circles", "circles64", "vertices")


def run_reach(quick: bool, rng: np.random.Generator) -> list[dict[str, Any]]:
    """Every reach case: times, scores, the oracle check."""
    from rangemap.regionreach import country_region, reach_from, region_distance_km

    cases = REACH_CASES[:1] if quick else REACH_CASES
    out = []
    for iso, r_km, system, n_full in cases:
        name, region = country_region(iso)
        n_points = 400 if quick else n_full
        heavy = r_km > 2_000.0
        repeat = 1 if quick or heavy else 2
        xy = _outline_samples(region, OUTLINE_SAMPLES)
        verts = np.unique(shapely.get_coordinates(region), axis=0)
        t_rm, rm, rss_rm = C.best_of(lambda r=region, k=r_km: reach_from(r, radius_km=k),
                                     repeat=repeat)  # fmt: skip
        timed = {
            "circles": C.best_of(lambda r=region, k=r_km, p=xy: exact_circles_reach(r, k, p),
                                 repeat=repeat),
            "circles64": C.best_of(lambda r=region, k=r_km, p=xy: fwd_circles_reach(r, k, p),
                                   repeat=repeat),
            "vertices": C.best_of(lambda r=region, k=r_km, p=verts: exact_circles_reach(r, k, p),
                                  repeat=repeat),
        }  # fmt: skip
        geoms = {m: timed[m][1] for m in REACH_METHODS}
        status = dict.fromkeys(REACH_METHODS, "ok")
        geoms["circles64"], status["circles64"] = timed["circles64"][1]
        r_m = r_km * 1000.0
        lon, lat = sample_points(rm, [geoms[m] for m in REACH_METHODS], verts, r_m, n_points, rng)
        dist_m = region_distance_km(region, lat=lat, lon=lon) * 1000.0
        signed = dist_m - r_m
        scores = {m: score(geoms[m], lon, lat, signed) for m in REACH_METHODS}
        # The oracle checked by brute force on a few points: the alternatives' worst
        # misclassified ones and random ones, all at least R / 2 from the region (where
        # classification is decided; nearer, the densified outline's own error grows).
        n_check = 5 if quick else 20
        far = dist_m >= r_m / 2.0
        wrong_any = np.flatnonzero(np.logical_or.reduce([s["mask"] for s in scores.values()]) & far)
        worst = wrong_any[np.argsort(-np.abs(signed[wrong_any]))[:n_check]]
        pool = np.flatnonzero(far)
        check = np.unique(np.concatenate([worst, rng.choice(pool, min(n_check, pool.size))]))
        brute = _brute_distance_m(region, lon[check], lat[check])
        out.append({
            "case": f"{name}, {r_km:,.0f} km" + (f" ({system})" if system else ""),
            "iso": iso, "radius_km": r_km, "outline_vertices": int(verts.shape[0]),
            "rangemap_seconds": t_rm, "rangemap_rss_mb": rss_rm,
            **{f"{m}_seconds": timed[m][0] for m in REACH_METHODS},
            **{f"{m}_rss_mb": timed[m][2] for m in REACH_METHODS},
            **{f"{m}_status": status[m] for m in REACH_METHODS},
            "rangemap_area_km2": _area_km2(rm),
            **{f"{m}_area_km2": _area_km2(geoms[m]) for m in REACH_METHODS},
            "rangemap": _public(score(rm, lon, lat, signed)),
            **{m: _public(sc) for m, sc in scores.items()},
            "oracle_checked": int(check.shape[0]),
            "oracle_max_diff_m": float(np.max(np.abs(brute - dist_m[check]))),
        })  # fmt: skip
    return out


def run(quick: bool = False) -> dict[str, Any]:
    """Measure and return the figures (see the module docstring)."""
    rng = np.random.default_rng(7)
    launch = run_launch(quick, rng)
    reach = run_reach(quick, rng)

    rows = []
    launch_labels = {"aeqd": "AEQD buffers", "aeqd_wrap": "AEQD buffers, +lon_wrap=180"}
    for c in launch:
        for m in LAUNCH_METHODS:
            note = "" if c[f"{m}_status"] == "ok" else f" ({c[f'{m}_status']})"
            first = m == LAUNCH_METHODS[0]
            area = C.fmt_num(c[f"{m}_area_km2"]) + (" (empty)" if c[f"{m}_empty"] else "")
            rows += [
                C.row(f"launch area, {c['case']}: time" if first else "  time",
                      C.fmt_s(c["rangemap_seconds"]) if first else "",
                      f"{C.fmt_s(c[f'{m}_seconds'])} ({launch_labels[m]})" + note,
                      C.fmt_ratio(c[f"{m}_seconds"] / c["rangemap_seconds"]),
                      C.fmt_rss(c["rangemap_rss_mb"], c[f"{m}_rss_mb"])),
                C.row("  points misclassified beyond 100 m",
                      _err_text(c["rangemap"]) if first else "", _err_text(c[m])),
                C.row("  area km2", C.fmt_num(c["rangemap_area_km2"]) if first else "", area),
            ]  # fmt: skip
    labels = {
        "circles": f"{OUTLINE_SAMPLES:,} exact circles",
        "circles64": f"{OUTLINE_SAMPLES:,} {CIRCLE_VERTICES}-vertex Geod.fwd circles",
        "vertices": "exact circles at vertices",
    }
    for c in reach:
        for m in REACH_METHODS:
            note = "" if c[f"{m}_status"] == "ok" else f" ({c[f'{m}_status']})"
            first = m == REACH_METHODS[0]
            rows += [
                C.row(f"reach from {c['case']}: time" if first else "  time",
                      C.fmt_s(c["rangemap_seconds"]) if first else "",
                      f"{C.fmt_s(c[f'{m}_seconds'])} ({labels[m]})" + note,
                      C.fmt_ratio(c[f"{m}_seconds"] / c["rangemap_seconds"]),
                      C.fmt_rss(c["rangemap_rss_mb"], c[f"{m}_rss_mb"])),
                C.row("  points misclassified beyond 100 m",
                      _err_text(c["rangemap"]) if first else "",
                      _err_text(c[m])),
            ]  # fmt: skip

    def seconds(cases, key):
        return float(sum(c[key] for c in cases))

    def wrong(cases, method):
        return int(sum(c[method]["wrong"] for c in cases))

    points = ", ".join(f"{c['rangemap']['points']:,}" for c in reach)
    fig: dict[str, Any] = {
        "benchmark": "reverse",
        "available": True,
        "work": (
            f"launch areas for {len(launch)} target sets ({launch[0]['rangemap']['points']:,} "
            f"sample points each); reach from {', '.join(c['iso'] for c in reach)} "
            f"({points} sample points)"
        ),
        "launch_cases": launch,
        "reach_cases": reach,
        "launch_rangemap_seconds": seconds(launch, "rangemap_seconds"),
        "launch_points": sum(c["rangemap"]["points"] for c in launch),
        "launch_rangemap_wrong_points": wrong(launch, "rangemap"),
        "launch_rangemap_worst_error_km": max(c["rangemap"]["worst_km"] for c in launch),
        "reach_rangemap_seconds": seconds(reach, "rangemap_seconds"),
        "reach_points": sum(c["rangemap"]["points"] for c in reach),
        "reach_rangemap_wrong_points": wrong(reach, "rangemap"),
        "reach_rangemap_worst_error_km": max(c["rangemap"]["worst_km"] for c in reach),
        "reach_oracle_max_diff_m": max(c["oracle_max_diff_m"] for c in reach),
    }
    for m in LAUNCH_METHODS:
        fig[f"launch_{m}_seconds"] = seconds(launch, f"{m}_seconds")
        fig[f"launch_{m}_wrong_points"] = wrong(launch, m)
        fig[f"launch_{m}_worst_error_km"] = max(c[m]["worst_km"] for c in launch)
        fig[f"launch_{m}_refused_cases"] = sum(c[f"{m}_status"] != "ok" for c in launch)
    for m in REACH_METHODS:
        fig[f"reach_{m}_seconds"] = seconds(reach, f"{m}_seconds")
        fig[f"reach_{m}_wrong_points"] = wrong(reach, m)
        fig[f"reach_{m}_worst_error_km"] = max(c[m]["worst_km"] for c in reach)

    lw, rw = fig["launch_rangemap_wrong_points"], fig["reach_rangemap_wrong_points"]
    targets = [
        C.target("launch areas: 0 sample points misclassified beyond 100 m of the true boundary",
                 f"{lw:,} of {fig['launch_points']:,}", lw == 0),
        C.target("reach from a region: 0 sample points misclassified beyond 100 m",
                 f"{rw:,} of {fig['reach_points']:,}", rw == 0),
    ]  # fmt: skip
    checked = sum(c["oracle_checked"] for c in reach)
    notes = [
        "ratio: the alternative's time over rangemap's (above 1: rangemap is faster)",
        f"sample points: {100 * SHARE_RANGEMAP:.0f} % near rangemap's drawn boundary, "
        f"{100 * SHARE_ALTERNATIVES:.0f} % near the alternatives' (split evenly), the rest "
        f"uniform in caps of R + {100 * CAP_EXTRA:.0f} % around the targets or outline "
        f"vertices; boundary points moved up to {100 * JITTER:.0f} % of R; points within "
        f"{MARGIN_M:.0f} m of the true boundary are not scored",
        "an error is how far the wrongly classified point lies from the true boundary "
        "(|d - R| for the deciding target, or for the region); 'worst' counts every wrongly "
        "classified point, those within 100 m too",
        f"exact distance to a region by region_distance_km; checked against a brute-force "
        f"minimum over the outline densified to {BRUTE_STEP_DEG} degree on {checked} points "
        "at least R / 2 from the region: "
        f"largest difference {C.fmt_num(fig['reach_oracle_max_diff_m'])} m",
        "the AEQD recipe and the 64-vertex circles join their vertices by straight lon/lat "
        "lines; a ring crossing the antimeridian or around a pole then self-intersects, GEOS "
        "refuses it, and make_valid returns a different shape, which is what is scored",
        "AEQD buffers, +lon_wrap=180: the same recipe back to longitudes in [0, 360) "
        "(Pacific-centred), scored in that frame: it mends the antimeridian, not the pole",
        f"circles: {OUTLINE_SAMPLES:,} centres evenly spaced in lon/lat along the outline "
        "(shapely line_interpolate_point), unioned with the region",
    ]
    for c in launch:
        for m in LAUNCH_METHODS:
            if c[f"{m}_status"] == "ok" and not c[m]["wrong"]:
                continue
            a = c[m]
            notes.append(
                f"{c['case']}: {launch_labels[m]}: {c[f'{m}_status']}; it returned a "
                f"{'empty ' if c[f'{m}_empty'] else ''}{c[f'{m}_geom_type']} of "
                f"{C.fmt_num(c[f'{m}_area_km2'])} km2 (true "
                f"{C.fmt_num(c['rangemap_area_km2'])} km2); {a['wrong_inside']:,} of its "
                f"{a['wrong']:,} wrong points are truly inside"
            )
    fig.update({"rows": rows, "targets": targets, "notes": notes})
    return fig


if __name__ == "__main__":
    C.main(run, __doc__)
