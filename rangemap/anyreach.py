"""Which points at least one ring reaches: the union of many rings' bands, decided exactly.

"Is this settlement in range of any of these rings?" is the question behind the
population and the cities a view covers. Asked one site at a time it costs every point
against every site: 112,320 settlements and a 2,500-site upload are 280 million pairs and
about a minute (issue 15, item 13), however few points lie near a boundary.

:func:`reached_by_any` asks it the other way round. The bands of each site are merged
into a disc and annuli; sites are grouped by disc radius and put in a k-d tree on the
sphere (:data:`rangemap.geodesy.SPHERE_RADIUS_M`, geodetic latitude kept). A point's
nearest site then settles it unless its spherical distance lies within the proven bound
(:data:`rangemap.geodesy.SPHERE_MIN_SCALE`, ``SPHERE_MAX_SCALE``, about -0.56/+0.45 %) of
the radius; only those points get exact WGS84 geodesics (GeographicLib), to every site the
bound cannot rule out. The answers are those of computing every distance exactly: a
distance equal to a range or a minimum range is in its band.

Public functions
----------------
reached_by_any
    For each point, whether any (site, radius, minimum radius) row's band holds it.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from rangemap.geodesy import (
    SPHERE_MAX_SCALE,
    SPHERE_MIN_SCALE,
    SPHERE_RADIUS_M,
    FloatArray,
    geodesic_distance_m,
)

__all__ = ["reached_by_any"]

#: Slack (radians, about 0.6 m) on the angle read back from a chord: near antipodes
#: arcsin magnifies the chord's rounding to about 1e-8 rad. Pairs inside it go exact.
_ANGLE_SLACK_RAD = 1e-7
#: (point, site) pairs looked at in one block: about 100 MB of indices and distances.
_PAIRS_PER_BLOCK = 2_000_000


def _unit(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """Return unit vectors of geodetic latitude and longitude (degrees), shape (n, 3)."""
    p, q = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(p) * np.cos(q), np.cos(p) * np.sin(q), np.sin(p)])


def _angle(chord: FloatArray) -> FloatArray:
    return 2.0 * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))


def _chord_within(distance_m: float) -> float:
    """Chord (unit sphere) past which no point is within ``distance_m`` geodesic metres."""
    angle = distance_m / (SPHERE_RADIUS_M * SPHERE_MIN_SCALE) + _ANGLE_SLACK_RAD
    return 2.0 + 1e-9 if angle >= np.pi else float(2.0 * np.sin(angle / 2.0)) * (1 + 1e-12)


def _bands(
    site: npt.NDArray[np.intp], hi: FloatArray, lo: FloatArray
) -> tuple[FloatArray, list[tuple[int, float, float]]]:
    """Merge each site's bands: its disc radius (km; -1: none) and the annuli beyond it.

    Bands that touch or overlap join (``[0, 300]`` and ``[300, 500]`` are ``[0, 500]``:
    both ends belong to their bands).
    """
    disc = np.full(int(site.max()) + 1 if site.size else 0, -1.0)
    annuli: list[tuple[int, float, float]] = []
    order = np.lexsort((lo, site))
    current, start, end = -1, 0.0, -1.0
    for k in order.tolist() + [-1]:
        s = -2 if k < 0 else int(site[k])
        if s == current and lo[k] <= end:
            end = max(end, float(hi[k]))
            continue
        if current >= 0:
            if start == 0.0:
                disc[current] = end
            else:
                annuli.append((current, start, end))
        if k < 0:
            break
        current, start, end = s, float(lo[k]), float(hi[k])
    return disc, annuli


def _exact_pairs(
    points: FloatArray, sites: FloatArray, pi: npt.NDArray[np.intp], si: npt.NDArray[np.intp]
) -> FloatArray:
    """Exact distances (m) for (point, site) index pairs; site first, as the settlers call."""
    return geodesic_distance_m(lat1=sites[si, 0], lon1=sites[si, 1], lat2=points[pi, 0],
                               lon2=points[pi, 1])  # fmt: skip


def _ball_pairs(
    tree: cKDTree, vectors: FloatArray, chord: float
) -> Iterator[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]]:
    """(query index, tree index) of the tree points within ``chord`` of each vector.

    A bounded number of pairs at a time (:data:`_PAIRS_PER_BLOCK`), so many points near
    many sites never make one huge array.
    """
    counts = np.asarray(tree.query_ball_point(vectors, chord, return_length=True))
    ends = np.cumsum(counts)
    start = 0
    while start < len(vectors):
        base = ends[start - 1] if start else 0
        stop = max(start + 1, int(np.searchsorted(ends, base + _PAIRS_PER_BLOCK, "right")))
        found = tree.query_ball_point(vectors[start:stop], chord, return_sorted=False)
        n = counts[start:stop]
        qi = np.repeat(np.arange(start, stop), n)
        ti = np.fromiter((i for f in found for i in f), dtype=np.intp, count=int(n.sum()))
        yield qi, ti
        start = stop


def _bounds(angle: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Proven lower and upper geodesic distances (m) for a spherical angle (rad)."""
    return ((angle - _ANGLE_SLACK_RAD) * SPHERE_RADIUS_M * SPHERE_MIN_SCALE,
            (angle + _ANGLE_SLACK_RAD) * SPHERE_RADIUS_M * SPHERE_MAX_SCALE)  # fmt: skip


def _at_most(d_m: FloatArray, radius_km: float) -> npt.NDArray[np.bool_]:
    """``d <= range`` as :func:`rangemap.reach.settle_in_range` decides it (in metres)."""
    return d_m <= radius_km * 1000.0


def _at_least(d_m: FloatArray, min_km: float) -> npt.NDArray[np.bool_]:
    """``d >= minimum range`` as :func:`rangemap.reach.band_masks` decides it.

    Beyond the minimum in metres, or equal to it in km: the same rounding as the
    per-site settlers, so both give the same answer on a boundary point.
    """
    return (d_m > min_km * 1000.0) | (d_m / 1000.0 == min_km)


def _in_discs(
    points: FloatArray,
    vec: FloatArray,
    sites: FloatArray,
    tree: cKDTree,
    radius_km: float,
    *,
    hole: bool = False,
) -> npt.NDArray[np.bool_]:
    """Whether each point lies within ``radius_km`` (geodesic) of any site of ``tree``.

    ``hole``: closer than a minimum range of ``radius_km`` instead (not at or beyond it).
    """
    radius_m = radius_km * 1000.0

    def within(d_m: FloatArray) -> npt.NDArray[np.bool_]:
        return ~_at_least(d_m, radius_km) if hole else _at_most(d_m, radius_km)

    chord, nearest = tree.query(vec, k=1)
    low, high = _bounds(_angle(np.asarray(chord, dtype=float)))
    inside = high < radius_m  # the nearest site surely reaches it (0.6 m of slack)
    open_ = np.flatnonzero(~inside & (low <= radius_m))  # the bound cannot tell
    if open_.size:  # the nearest site first: it settles most points near the edge
        found = within(_exact_pairs(points, sites, open_, np.asarray(nearest)[open_]))
        inside[open_[found]] = True
        open_ = open_[~found]
    if open_.size:  # every other site the bound leaves in reach
        for qi, si in _ball_pairs(tree, vec[open_], _chord_within(radius_m)):
            hit = within(_exact_pairs(points, sites, open_[qi], si))
            inside[open_[qi[hit]]] = True
    return inside


def _in_annuli(
    points: FloatArray,
    vec: FloatArray,
    sites: FloatArray,
    tree: cKDTree,
    min_km: float,
    radius_km: float,
) -> npt.NDArray[np.bool_]:
    """Whether each point lies in ``[min_km, radius_km]`` (geodesic) of any site of ``tree``.

    A point within the range of some site and in the minimum range's hole of none is in
    that site's band. Only the points in some site's hole get a pair-by-pair look.
    """
    inside = _in_discs(points, vec, sites, tree, radius_km)
    near = np.flatnonzero(inside)
    hole = near[_in_discs(points[near], vec[near], sites, tree, min_km, hole=True)]
    inside[hole] = False
    lo_m, hi_m = min_km * 1000.0, radius_km * 1000.0
    for qi, si in _ball_pairs(tree, vec[hole], _chord_within(hi_m)):
        low, high = _bounds(_angle(np.linalg.norm(vec[hole[qi]] - tree.data[si], axis=1)))
        sure = (low > lo_m) & (high < hi_m)
        inside[hole[qi[sure]]] = True
        open_ = np.flatnonzero(~sure & (high >= lo_m) & (low <= hi_m) & ~inside[hole[qi]])
        if open_.size:
            d = _exact_pairs(points, sites, hole[qi[open_]], si[open_])
            inside[hole[qi[open_[_at_least(d, min_km) & _at_most(d, radius_km)]]]] = True
    return inside


def reached_by_any(
    *,
    lat: npt.ArrayLike,
    lon: npt.ArrayLike,
    site_lat: npt.ArrayLike,
    site_lon: npt.ArrayLike,
    radius_km: npt.ArrayLike,
    min_radius_km: npt.ArrayLike = 0.0,
) -> npt.NDArray[np.bool_]:
    """Tell which points lie within the band of at least one ring, by exact distance.

    A ring is a row of ``site_lat, site_lon, radius_km, min_radius_km``; a point is in its
    band when ``min_radius_km <= d <= radius_km`` for its WGS84 geodesic distance ``d``
    from the site. The answer is the same as computing every (point, ring) distance
    exactly, in about the time of one k-d tree query per point.

    Parameters
    ----------
    lat, lon : array_like
        The points, degrees (latitudes in [-90, 90]).
    site_lat, site_lon, radius_km, min_radius_km : array_like
        One entry per ring (broadcast together): site degrees, range km, minimum range
        km (0 or NaN: none; at most the range).

    Returns
    -------
    numpy.ndarray of bool
        One per point.

    Examples
    --------
    A 200 km ring on the antimeridian and a 100-1,500 km annulus at 170°E (170.5°E is in
    its minimum range, 55 km away; 150°E is 2,226 km away):

    >>> reached_by_any(lat=[0, 0, 0, 0, 0], lon=[-179, 179, 171, 170.5, 150], site_lat=[0, 0],
    ...                site_lon=[180, 170], radius_km=[200, 1500],
    ...                min_radius_km=[float("nan"), 100]).tolist()
    [True, True, True, False, False]
    """
    plat, plon = (np.asarray(v, dtype=np.float64).ravel() for v in (lat, lon))
    cols = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in
                                 (site_lat, site_lon, radius_km, min_radius_km)))  # fmt: skip
    slat, slon, hi, lo = (np.array(c, dtype=np.float64).ravel() for c in cols)
    reached = np.zeros(plat.size, dtype=bool)
    if not plat.size or not slat.size:
        return reached
    positions, site = np.unique(np.column_stack([slat, slon]), axis=0, return_inverse=True)
    disc, annuli = _bands(site.ravel(), hi, np.nan_to_num(lo, nan=0.0))
    points = np.column_stack([plat, plon])
    vec, svec = _unit(plat, plon), _unit(positions[:, 0], positions[:, 1])
    groups: dict[tuple[float, float], list[int]] = {}
    for s in np.flatnonzero(disc >= 0).tolist():
        groups.setdefault((0.0, float(disc[s])), []).append(s)
    for s, start, end in annuli:
        groups.setdefault((start, end), []).append(s)
    for (lo_km, hi_km), members_list in groups.items():  # discs first: they settle the most
        todo = np.flatnonzero(~reached)
        members = np.asarray(members_list, dtype=np.intp)
        tree = cKDTree(svec[members])
        args = (points[todo], vec[todo], positions[members], tree)
        found = _in_discs(*args, hi_km) if lo_km == 0 else _in_annuli(*args, lo_km, hi_km)
        reached[todo[found]] = True
    return reached
