"""Reach from a whole region: every point within a distance of *any* point of a polygon.

"What does anything launched from anywhere in Belarus reach?" is the set of points whose
geodesic distance to the region is at most R: the region itself and the geodesic offset
of its outline. It is built exactly, not as a union of sampled circles:

1. The outline (every exterior and interior ring, as straight lon/lat edges, the lines
   RFC 7946 section 3.1.1 draws) is split into geodesic sub-edges short enough that each
   stays within :data:`OUTLINE_TOLERANCE_M` of its lon/lat edge (checked at the
   midpoint, and split in half until it fits).
2. The points within R of one geodesic segment AB form a *capsule*: two offset curves,
   the points at distance R along the geodesics perpendicular to AB (the shortest
   geodesic from a point to a geodesic meets it at a right angle), closed by half
   circles of radius R around A and B. Its boundary is traced and refined exactly like a
   ring's (:mod:`rangemap.geodesy`), so chords stay within the ring tolerance of it, and
   turned into lon/lat polygons across the antimeridian and around poles like a ring
   (:func:`rangemap.polygons.boundary_polygon`).
3. The reach is the union of the region and every capsule. At long range (2,000 km and
   more, with 300 sub-edges or more) most capsules lie inside their neighbours'; coarse
   capsules pick the ones that may show, and every capsule left out is then *checked*
   to lie inside the exact union (those that do not are added), so the union is the same
   as with every capsule, in about half the time (:func:`_pruned_reach`).

So a drawn boundary lies within ``tolerance_m`` + :data:`OUTLINE_TOLERANCE_M` (60 m by
default) of the true offset of the outline used. The perpendicular geodesics of a
segment meet again about a quarter meridian away (10,002 km), past which a capsule folds
over itself; radii are refused from :data:`MAX_REACH_FROM_KM` on, with a message.

Public functions
----------------
reach_from
    (Multi)Polygon of the points within a radius of a region.
reach_from_frame
    The same as a one-row GeoDataFrame with the region, radius and method.
reach_from_systems
    One row per (system, band) from a region, or one for a radius in km.
region_distance_km
    Exact geodesic distance from points to a region (0 inside), for in-range answers.
country_region, load_region
    A shipped country outline (by ISO3 code or name), or a user's GeoJSON polygon file.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from rangemap._io import closest_hint, cut_repr, read_text
from rangemap.catalogue import band_radii_km
from rangemap.errors import GeodesyError, TargetError
from rangemap.geodesy import (
    DEFAULT_TOLERANCE_M,
    MIN_RADIUS_M,
    WGS84,
    Boundary,
    FloatArray,
    _local_distance_m,
    _refine_parallel,
    _snap_poles,
    _wrap180,
)
from rangemap.polygons import Geometry, _polygonal, boundary_polygon, geodesic_area_m2
from rangemap.targets import load_countries

__all__ = [
    "MAX_OUTLINE_VERTICES",
    "MAX_REACH_FROM_KM",
    "OUTLINE_TOLERANCE_M",
    "REGION_METHOD_TEXT",
    "country_region",
    "load_region",
    "reach_from",
    "reach_from_frame",
    "reach_from_systems",
    "region_distance_km",
]

#: Largest distance (m) between a lon/lat outline edge and the geodesic sub-edges it is
#: split into.
OUTLINE_TOLERANCE_M = 10.0

#: Radii from this on are refused: perpendicular geodesics meet about 10,002 km away.
MAX_REACH_FROM_KM = 9_500.0

#: Outline vertices accepted from a user's polygon (Natural Earth's Russia has 1,000 at
#: 1:50m; a real analysis never needs more).
MAX_OUTLINE_VERTICES = 20_000

#: One sentence on the method, for exports, figures and methods notes.
REGION_METHOD_TEXT = (
    "Reach from a region: the region and every point within the radius of its outline "
    "(straight lon/lat edges), as the union of exact geodesic capsules around geodesic "
    f"sub-edges within {OUTLINE_TOLERANCE_M:g} m of the outline; boundaries within "
    f"{DEFAULT_TOLERANCE_M + OUTLINE_TOLERANCE_M:g} m of the true offset."
)


def _rings_of(region: BaseGeometry) -> list[FloatArray]:
    """Every exterior and interior ring of a (Multi)Polygon as an (n, 2) lon/lat array."""
    polys = list(getattr(region, "geoms", [region]))
    out = []
    for poly in polys:
        if not isinstance(poly, Polygon) or poly.is_empty:
            continue
        for ring in (poly.exterior, *poly.interiors):
            out.append(np.asarray(ring.coords, dtype=np.float64)[:, :2])
    return out


def _edges(region: BaseGeometry) -> tuple[FloatArray, FloatArray]:
    """Start and end points (lon, lat) of every outline edge, zero-length ones dropped."""
    starts, ends = [], []
    for coords in _rings_of(region):
        starts.append(coords[:-1])
        ends.append(coords[1:])
    if not starts:
        return np.empty((0, 2)), np.empty((0, 2))
    a, b = np.concatenate(starts), np.concatenate(ends)
    # Edges along a pole (Antarctica's lat = -90 line) have no length on the ellipsoid.
    along_pole = (np.abs(a[:, 1]) == 90.0) & (a[:, 1] == b[:, 1])
    keep = ~np.all(a == b, axis=1) & ~along_pole
    return a[keep], b[keep]


def _split_edges(a: FloatArray, b: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Split lon/lat edges until each geodesic sub-edge fits its edge (midpoint check).

    New vertices lie on the straight lon/lat edge, so the outline is unchanged.
    """
    done_a, done_b = [], []
    for _ in range(40):
        if a.shape[0] == 0:
            break
        mid_ll = (a + b) / 2.0
        az, _, dist = WGS84.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        glon, glat, _ = WGS84.fwd(a[:, 0], a[:, 1], az, np.asarray(dist) / 2.0)
        err = _local_distance_m(mid_ll[:, 0], mid_ll[:, 1], np.asarray(glon), np.asarray(glat))
        fits = err <= OUTLINE_TOLERANCE_M
        done_a.append(a[fits])
        done_b.append(b[fits])
        a, b = np.concatenate([a[~fits], mid_ll[~fits]]), np.concatenate([mid_ll[~fits], b[~fits]])
    else:
        raise GeodesyError("outline edges could not be split to fit their geodesics")
    return np.concatenate(done_a), np.concatenate(done_b)


def _check_radius_m(radius_km: float) -> float:
    try:
        radius_m = float(radius_km) * 1000.0
    except (TypeError, ValueError):
        raise GeodesyError(f"radius_km must be a number, got {radius_km!r}") from None
    if not np.isfinite(radius_m) or radius_m < MIN_RADIUS_M:
        raise GeodesyError(f"radius_km must be a finite number >= 1 km, got {radius_km!r}")
    if radius_m >= MAX_REACH_FROM_KM * 1000.0:
        raise GeodesyError(
            f"radius_km {radius_km!r} is not below {MAX_REACH_FROM_KM:,.0f} km, the largest "
            "reach from a region drawn exactly (perpendicular geodesics meet a quarter meridian "
            "away); at such ranges draw rings from sites instead"
        )
    return radius_m


def _check_region(region: BaseGeometry) -> Geometry:
    if not isinstance(region, (Polygon, MultiPolygon)) or region.is_empty:
        raise GeodesyError(f"region must be a non-empty (Multi)Polygon, got {cut_repr(region)}")
    xmin, ymin, xmax, ymax = region.bounds
    if xmin < -180.0 or xmax > 180.0 or ymin < -90.0 or ymax > 90.0:
        raise GeodesyError(
            f"region must lie in lon [-180, 180], lat [-90, 90]; its bounds are "
            f"{tuple(round(v, 6) for v in region.bounds)!r}"
        )
    n = int(shapely.get_num_coordinates(region))
    if n > MAX_OUTLINE_VERTICES:
        raise GeodesyError(
            f"region outline has {n:,} vertices, over the limit of {MAX_OUTLINE_VERTICES:,}: "
            "simplify it first (e.g. ogr2ogr -simplify)"
        )
    return region if region.is_valid else _polygonal(shapely.make_valid(region))


def reach_from(
    region: Geometry, *, radius_km: float, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> Geometry:
    """Return the points within ``radius_km`` (geodesic, WGS84) of any point of a region.

    Parameters
    ----------
    region : shapely.Polygon or shapely.MultiPolygon
        Lon/lat in [-180, 180] x [-90, 90] (split at the antimeridian as RFC 7946 wants);
        edges are straight lon/lat lines. At most :data:`MAX_OUTLINE_VERTICES` vertices.
    radius_km : float
        In [1, :data:`MAX_REACH_FROM_KM`) km.
    tolerance_m : float
        Largest distance between a drawn capsule chord and its true curve (m).

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        Lon/lat, split at the antimeridian, exteriors counter-clockwise, valid.

    Raises
    ------
    GeodesyError
        For an empty or out-of-range region, too many vertices, or a bad radius.

    Examples
    --------
    A square degree on the equator, reached from within 100 km:

    >>> from shapely.geometry import box
    >>> area = reach_from(box(10, 0, 11, 1), radius_km=100)
    >>> round(area.bounds[0], 2), round(area.bounds[2], 2)
    (9.1, 11.9)

    A region across the antimeridian stays split there:

    >>> area = reach_from(box(179, -1, 180, 1).union(box(-180, -1, -179, 1)), radius_km=50)
    >>> area.geom_type, area.bounds[0], area.bounds[2]
    ('MultiPolygon', -180.0, 180.0)
    """
    radius_m = _check_radius_m(radius_km)
    poly = _check_region(region)
    a, b = _split_edges(*_edges(poly))
    if a.shape[0] == 0:
        return _polygonal(poly)
    az_a, back_b, length = WGS84.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    seg = {
        "lon": a[:, 0],
        "lat": a[:, 1],
        "az_a": np.asarray(az_a),
        "az_b": np.asarray(back_b) + 180.0,  # forward azimuth at B
        "blon": b[:, 0],
        "blat": b[:, 1],
        "len": np.asarray(length),
    }
    n = a.shape[0]
    if n < _PRUNE_MIN_SEGMENTS or radius_m < _PRUNE_MIN_RADIUS_M:
        pieces = _capsules(seg, radius_m, tolerance_m, np.arange(n))
        return _polygonal(shapely.union_all([poly, *pieces]))
    return _pruned_reach(poly, seg, radius_m, tolerance_m)


#: Outlines of at least this many sub-edges, at radii of at least this, are drawn with
#: the pruning of :func:`_pruned_reach`. Below, drawing every capsule costs less than the
#: test (measured: Russia at 5,500 km 5.8 s instead of 10-12 s, Canada at 3,000 km 6 s
#: instead of 10 s; Russia at 500 km 7.8 s instead of 4.8 s).
_PRUNE_MIN_SEGMENTS = 300
_PRUNE_MIN_RADIUS_M = 2_000_000.0


def _capsules(
    seg: dict[str, FloatArray], radius_m: float, tolerance_m: float, which: npt.NDArray[np.intp]
) -> list[Geometry]:
    """Polygons of the capsules of the sub-edges ``which`` at one radius."""
    if which.size == 0:
        return []
    sub = {k: v[which] for k, v in seg.items()}

    def capsule(t: FloatArray, rid: npt.NDArray[np.intp]) -> tuple[FloatArray, FloatArray]:
        return _capsule_points(sub, radius_m, t, rid)

    centres = (sub["lat"], sub["lon"], np.full(which.size, radius_m))
    curves = _refine_parallel(capsule, centres, tolerance_m, 200_000)
    return [
        boundary_polygon(Boundary(lon=lo, lat=la, whole_globe=False, method="capsule"))
        for lo, la in curves
    ]


def _pruned_reach(
    poly: Geometry, seg: dict[str, FloatArray], radius_m: float, tolerance_m: float
) -> Geometry:
    """Unite the region and the capsules that matter, proven to miss none.

    At long range most capsules lie inside their neighbours' (a bay, an island near the
    coast, the far side of a country). Coarse capsules find the candidates: each
    sub-edge's capsule drawn loosely (chords within ``tau``) at ``R + 3 tau`` (the *outer*
    capsule, which holds the exact one) and at ``R - 3 tau`` (the *inner*, held by it). A
    sub-edge whose outer capsule lies inside the union of the region and every inner
    capsule is left out for now. The exact union of the others is then *checked*: every
    left-out sub-edge's outer capsule must lie inside it, and any that does not is drawn
    exactly and added, until none is missing (an enclave's edges, covered only by one
    another's capsules, come back this way). The result is the exact union.
    """
    n = seg["lon"].shape[0]
    tau = min(10_000.0, radius_m / 100.0)
    every = np.arange(n)
    outer = np.asarray(_capsules(seg, radius_m + 3.0 * tau, tau, every), dtype=object)
    # "Properly inside" (GEOS's fast prepared test) cannot hold for parts on the frame's
    # edges (the antimeridian cut, the pole's line), which both sides share: test the
    # outer capsules less a strip of _FRAME_EPS_DEG (11 m) along the frame.
    outer = shapely.intersection(outer, _INNER_FRAME)
    inner = _capsules(seg, radius_m - 3.0 * tau, tau, every)
    loose = shapely.union_all([poly, *inner])
    shapely.prepare(loose)
    todo = ~shapely.contains_properly(loose, outer)
    drawn = np.zeros(n, dtype=bool)
    union: Geometry = poly
    while todo.any():
        which = np.flatnonzero(todo)
        union = shapely.union_all([union, *_capsules(seg, radius_m, tolerance_m, which)])
        drawn[which] = True
        shapely.prepare(union)
        todo = ~drawn & ~shapely.contains_properly(union, outer)
    return _polygonal(union)


_FRAME_EPS_DEG = 1e-4
_INNER_FRAME = shapely.box(-180 + _FRAME_EPS_DEG, -90 + _FRAME_EPS_DEG, 180 - _FRAME_EPS_DEG,
                           90 - _FRAME_EPS_DEG)  # fmt: skip


def _capsule_points(
    seg: dict[str, FloatArray], radius_m: float, t: FloatArray, rid: npt.NDArray[np.intp]
) -> tuple[FloatArray, FloatArray]:
    """Points of capsule boundaries at parameters ``t`` in [0, 360), clockwise.

    [0, 90): the left offset from A to B; [90, 180): the half circle around B; [180,
    270): the right offset from B to A; [270, 360): the half circle around A.
    """
    t = np.asarray(t, dtype=np.float64) % 360.0
    quarter = np.minimum((t // 90.0).astype(int), 3)
    u = (t - 90.0 * quarter) / 90.0  # position within the quarter, [0, 1)
    lon0, lat0, az0 = seg["lon"][rid], seg["lat"][rid], seg["az_a"][rid]
    length = seg["len"][rid]
    # Foot of the perpendicular on AB (the sides), or the cap's centre (A or B).
    along = np.where(quarter == 0, u * length, (1.0 - u) * length)
    plon, plat, back = WGS84.fwd(lon0, lat0, az0, np.where(quarter % 2 == 0, along, 0.0))
    plon, plat, heading = np.asarray(plon), np.asarray(plat), np.asarray(back) + 180.0
    at_b = quarter == 1
    plon = np.where(at_b, seg["blon"][rid], np.where(quarter == 3, lon0, plon))
    plat = np.where(at_b, seg["blat"][rid], np.where(quarter == 3, lat0, plat))
    azimuth = np.select(
        [quarter == 0, quarter == 1, quarter == 2],
        [heading - 90.0, seg["az_b"][rid] - 90.0 + 180.0 * u, heading + 90.0],
        default=az0 + 90.0 + 180.0 * u,
    )
    lon, lat, _ = WGS84.fwd(plon, plat, azimuth, np.full(t.shape, radius_m))
    return _snap_poles(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))


def region_distance_km(region: Geometry, *, lat: npt.ArrayLike, lon: npt.ArrayLike) -> FloatArray:
    """Exact geodesic distance (km) from points to a region: 0 inside, else to its outline.

    The outline's lon/lat edges are split into geodesic sub-edges as in
    :func:`reach_from`; the distance to each sub-edge is minimised along it (golden
    section on the foot of the perpendicular), after pruning sub-edges by the triangle
    inequality. Accurate to about a metre plus :data:`OUTLINE_TOLERANCE_M`.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> d = region_distance_km(box(0, 0, 1, 1), lat=[0.5, 0.5], lon=[0.5, 2.0])
    >>> float(d[0]), round(float(d[1]), 1)
    (0.0, 111.3)
    """
    poly = _check_region(region)
    lat_a = np.atleast_1d(np.asarray(lat, dtype=np.float64))
    lon_a = _wrap180(np.atleast_1d(np.asarray(lon, dtype=np.float64)))
    inside = shapely.contains_xy(poly, lon_a, lat_a) | shapely.intersects_xy(
        poly.boundary, lon_a, lat_a
    )
    a, b = _split_edges(*_edges(poly))
    out = np.zeros(lat_a.shape[0])
    for i in np.flatnonzero(~inside):
        out[i] = _distance_to_edges_m(lat_a[i], lon_a[i], a, b) / 1000.0
    return out


def _distance_to_edges_m(lat: float, lon: float, a: FloatArray, b: FloatArray) -> float:
    n = a.shape[0]
    ones = np.ones(n)
    _, _, da = WGS84.inv(lon * ones, lat * ones, a[:, 0], a[:, 1])
    _, _, db = WGS84.inv(lon * ones, lat * ones, b[:, 0], b[:, 1])
    az, _, length = WGS84.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    da, db, az, length = (np.asarray(v) for v in (da, db, az, length))
    best = float(np.minimum(da, db).min())
    # d(X, P) >= (d(X, A) + d(X, B) - |AB|) / 2 for every P on AB.
    lower = (da + db - length) / 2.0
    keep = np.flatnonzero(lower < best)
    if keep.size == 0:
        return best
    lo, hi = np.zeros(keep.size), length[keep].copy()
    lon0, lat0, az0 = a[keep, 0], a[keep, 1], az[keep]
    x_lon, x_lat = np.full(keep.size, lon), np.full(keep.size, lat)

    def dist(s: FloatArray) -> FloatArray:
        plon, plat, _ = WGS84.fwd(lon0, lat0, az0, s)
        return np.asarray(WGS84.inv(x_lon, x_lat, plon, plat)[2])

    ratio = (np.sqrt(5.0) - 1.0) / 2.0
    c, d = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fc, fd = dist(c), dist(d)
    for _ in range(60):
        left = fc < fd
        hi = np.where(left, d, hi)
        lo = np.where(left, lo, c)
        d_new = np.where(left, c, lo + ratio * (hi - lo))
        c_new = np.where(left, hi - ratio * (hi - lo), d)
        fd_new = np.where(left, fc, np.nan)
        fc_new = np.where(left, np.nan, fd)
        need_c, need_d = np.isnan(fc_new), np.isnan(fd_new)
        if need_c.any():
            fc_new[need_c] = dist(c_new)[need_c]
        if need_d.any():
            fd_new[need_d] = dist(d_new)[need_d]
        c, d, fc, fd = c_new, d_new, fc_new, fd_new
        if float((hi - lo).max()) < 0.01:
            break
    return float(min(best, float(np.minimum(fc, fd).min())))


def country_region(spec: str) -> tuple[str, Geometry]:
    """Return a shipped country outline (Natural Earth 1:110m) by ISO3 code or name.

    Returns
    -------
    (str, shapely geometry)
        The country's name and outline.

    Raises
    ------
    TargetError
        For an unknown country, with the closest names.

    Examples
    --------
    >>> name, outline = country_region("BLR")
    >>> name, outline.geom_type
    ('Belarus', 'Polygon')
    """
    countries = load_countries()
    key = str(spec).strip().casefold()
    hit = countries.loc[
        (countries["iso_a3"].str.casefold() == key) | (countries["name"].str.casefold() == key)
    ]
    if hit.empty or key == "-99":
        names = [str(v).casefold() for v in (*countries["iso_a3"], *countries["name"])]
        hint = closest_hint(spec, names, listing="data/countries.geojson")
        raise TargetError(f"unknown country {cut_repr(spec)}; closest: {hint}")
    return str(hit["name"].iloc[0]), _polygonal(shapely.union_all(list(hit.geometry)))


def load_region(path: str | Path) -> tuple[str, Geometry]:
    """Read a user's region: the union of the (Multi)Polygons of a GeoJSON file.

    Raises
    ------
    TargetError
        Naming the file for unreadable JSON, no polygon, or coordinates out of range.
    """
    label = str(path)
    text = read_text(path, label=label, error=TargetError)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TargetError(f"{label}: not valid JSON ({exc})") from None
    try:
        frame = gpd.GeoDataFrame.from_features(
            doc["features"] if isinstance(doc, dict) and "features" in doc else [
                doc if isinstance(doc, dict) and doc.get("type") == "Feature"
                else {"type": "Feature", "geometry": doc, "properties": {}}
            ]
        )  # fmt: skip
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise TargetError(
            f"{label}: not a GeoJSON polygon, feature or collection ({exc})"
        ) from None
    polys = [g for g in frame.geometry if isinstance(g, (Polygon, MultiPolygon)) and not g.is_empty]
    if not polys:
        raise TargetError(f"{label}: no Polygon or MultiPolygon in the file")
    region = shapely.union_all(polys)
    try:
        _check_region(region)
    except GeodesyError as exc:
        raise TargetError(f"{label}: {exc}") from None
    return Path(label).stem, _polygonal(region)


def reach_from_frame(
    region: Geometry, *, radius_km: float, name: str, outline: str
) -> gpd.GeoDataFrame:
    """:func:`reach_from` as a one-row GeoDataFrame for export.

    Columns ``region, outline, radius_km, area_km2, method``; ``outline`` says which
    outline was used (e.g. "Natural Earth 1:110m").
    """
    geom = reach_from(region, radius_km=radius_km)
    return gpd.GeoDataFrame(
        pd.DataFrame(
            {
                "region": [name],
                "outline": [outline],
                "radius_km": [float(radius_km)],
                "area_km2": [geodesic_area_m2(geom) / 1e6],
                "method": [REGION_METHOD_TEXT],
            }
        ),
        geometry=[geom],
        crs="EPSG:4326",
    )


def reach_from_systems(
    region: Geometry,
    *,
    name: str,
    outline: str,
    systems: pd.DataFrame | None = None,
    band: str = "nominal",
    radius_km: float | None = None,
) -> gpd.GeoDataFrame:
    """Return the reach from a region of each system's figures, or of one radius in km.

    A minimum range is not applied: from a region wider than it, some point of the
    region is always far enough (for a region narrower than the minimum range the area
    is a slight over-statement near the region; the method says "within the radius").

    Parameters
    ----------
    region, name, outline
        As for :func:`reach_from_frame`.
    systems : pandas.DataFrame, optional
        Catalogue rows; each adds a row per figure of ``band`` it has.
    band : {"nominal", "low", "high", "all"}
    radius_km : float, optional
        Instead of systems.

    Returns
    -------
    geopandas.GeoDataFrame
        ``system_id, system, band`` then the columns of :func:`reach_from_frame`.

    Raises
    ------
    GeodesyError
        For neither or both of systems and radius_km, no figure for the band, or a bad
        radius or region.

    Examples
    --------
    >>> from rangemap.catalogue import find_systems, load_catalogue
    >>> name, outline = country_region("BLR")
    >>> frame = reach_from_systems(outline, name=name, outline="Natural Earth 1:110m",
    ...                            systems=find_systems(load_catalogue(), ["iskander-m"]),
    ...                            band="all")
    >>> frame[["band", "radius_km"]].values.tolist()
    [['nominal', 500.0], ['high', 700.0]]
    """
    if (systems is None) == (radius_km is None):
        raise GeodesyError("give either systems or radius_km for a reach from a region, not both")
    rows: list[tuple[str, str, str, float]] = []
    if systems is not None:
        for _, system in systems.iterrows():
            rows += [(str(system["id"]), str(system["name"]), b, r)
                     for b, r in band_radii_km(system, band)]  # fmt: skip
        if not rows:
            names = ", ".join(str(v) for v in systems["name"])
            raise GeodesyError(f"no range figure for the {band!r} band: {names}")
    else:
        assert radius_km is not None
        rows.append(("", "", "", float(radius_km)))
    parts = []
    for sid, system_name, band_name, radius in rows:
        part = reach_from_frame(region, radius_km=radius, name=name, outline=outline)
        part.insert(0, "band", band_name)
        part.insert(0, "system", system_name)
        part.insert(0, "system_id", sid)
        parts.append(part)
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs="EPSG:4326")
