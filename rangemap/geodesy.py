"""Exact geodesics on the WGS84 ellipsoid: distances and range-ring boundaries.

Everything here goes through :class:`pyproj.Geod` (GeographicLib, C. F. F. Karney,
"Algorithms for geodesics", J. Geodesy 87, 43-55 (2013), doi:10.1007/s00190-012-0578-z),
which is accurate to about 15 nm. Inputs and outputs are numpy arrays; no pandas, no I/O.

Public functions
----------------
geodesic_distance_m
    Geodesic distance between points (broadcasting).
footprint_boundary
    Vertices of a star-shaped footprint whose radius varies with the azimuth (a
    rotation-aware ballistic reach), refined like the rings.
ring_boundary, ring_boundaries
    Vertices of the curve at a fixed geodesic distance from a centre, placed densely enough
    that straight lon/lat chords between them stay within a tolerance of the true curve.
check_point
    Validate one latitude/longitude pair.
spherical_distance_m, SPHERE_MIN_SCALE, SPHERE_MAX_SCALE
    A great-circle distance and the proven factors that bound the geodesic one by it.
METHOD_TEXT
    One sentence on how every ring and distance is computed, quoted in KML descriptions,
    figure footnotes and methods notes.

Restrictions
------------
- Latitudes in [-90, 90] degrees; longitudes in [-540, 540] degrees (normalised to
  [-180, 180)); NaN and infinities are refused with :class:`GeodesyError`.
- ``radius_m`` in [:data:`MIN_RADIUS_M`, inf): 1 km. No missile's range is shorter, and a
  ring of a metre or less cannot survive the 1e-6 degree (0.1 m) rounding of exports; a
  smaller radius is refused rather than drawn as a degenerate polygon (issue 15). A radius
  at or beyond :data:`MAX_DISTANCE_M`
  (20,003,931.459 m, half a meridian: the greatest geodesic distance between two points on
  WGS84, attained between antipodes) covers the whole ellipsoid and gives ``whole_globe``.
- Boundary accuracy: every vertex lies at ``radius_m`` to within GeographicLib's accuracy
  (better than 1 micrometre). Between vertices, the straight lon/lat chord (the segment
  GeoJSON, RFC 7946 section 3.1.1, draws) is checked at its midpoint and the vertex spacing
  halved until the chord lies within ``tolerance_m`` (default 50 m) of the true curve. The
  distance field has unit gradient, so ``|distance(centre, p) - radius|`` *is* the distance
  from ``p`` to the curve and the check is exact, not a heuristic on the vertex count.
- Vertex count: grows with radius and with closeness to a pole (a ring that passes within
  metres of a pole needs many vertices in lon/lat); capped by ``max_vertices``.
- Beyond about 19,970 km (pi times the semi-minor axis) some geodesics from the centre pass
  their cut point (the antipodal segment of the circle of latitude ``-lat``) before reaching
  ``radius_m``, and ``Geod.fwd`` points stop being on the boundary. There the boundary is
  traced instead from the antipode outwards: along each bearing from the antipode, the point
  at which the distance from the centre falls to ``radius_m`` is found by bisection.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pyproj import Geod

from rangemap.errors import GeodesyError

__all__ = [
    "DEFAULT_TOLERANCE_M",
    "MAX_DISTANCE_M",
    "METHOD_TEXT",
    "MIN_RADIUS_M",
    "SPHERE_MAX_SCALE",
    "SPHERE_MIN_SCALE",
    "SPHERE_RADIUS_M",
    "WGS84",
    "Boundary",
    "check_point",
    "footprint_boundary",
    "geodesic_distance_m",
    "ring_boundaries",
    "ring_boundary",
    "spherical_distance_m",
]

FloatArray = npt.NDArray[np.float64]

#: The WGS84 ellipsoid (a = 6378137 m, f = 1/298.257223563) as a GeographicLib geodesic.
WGS84 = Geod(ellps="WGS84")

#: Greatest geodesic distance on WGS84: between antipodes, along a meridian (m).
MAX_DISTANCE_M: float = float(WGS84.inv(0.0, 90.0, 0.0, -90.0)[2])

#: Smallest ring radius drawn (m); see the Restrictions.
MIN_RADIUS_M = 1_000.0

#: Default largest distance (m) between a drawn chord's midpoint and the true ring.
DEFAULT_TOLERANCE_M = 50.0

#: One line on how every ring and distance was computed; quoted in KML, figures and notes.
METHOD_TEXT = (
    "Geodesic distances on the WGS84 ellipsoid (GeographicLib via pyproj); ring boundaries "
    f"within {DEFAULT_TOLERANCE_M:g} m of the true curve."
)

#: Mean radius R1 = (2a + b) / 3 of WGS84 (m): the sphere of the cheap distance bound.
SPHERE_RADIUS_M = (2.0 * WGS84.a + WGS84.b) / 3.0
# Map the ellipsoid onto the sphere by keeping geodetic latitude and longitude. Its local
# scale factors are M/R1 along meridians and N cos(phi)/(R1 cos(phi)) = N/R1 along
# parallels, so every curve's length changes by a factor between the extremes of M/R1 and
# N/R1: M ranges from a(1-e^2) (equator) to a/sqrt(1-e^2) (poles), N from a to
# a/sqrt(1-e^2). Hence  s_ellipsoid in [SPHERE_MIN_SCALE, SPHERE_MAX_SCALE] * s_sphere, a
# proven bound (about -0.56 % / +0.45 %), widened by 1e-9 for rounding.
#: Lower bound of geodesic distance over :func:`spherical_distance_m`.
SPHERE_MIN_SCALE = WGS84.a * (1.0 - WGS84.es) / SPHERE_RADIUS_M - 1e-9
#: Upper bound of geodesic distance over :func:`spherical_distance_m`.
SPHERE_MAX_SCALE = WGS84.a / np.sqrt(1.0 - WGS84.es) / SPHERE_RADIUS_M + 1e-9

_INITIAL_VERTICES = 64
#: Largest longitude step between vertices; a larger one would make unwrapping ambiguous.
_MAX_DLON_DEG = 20.0
#: Parameter step (deg) below which a large longitude jump means the curve meets a pole.
_MIN_STEP_DEG = 1e-9
#: Vertices this close to a pole (deg of latitude) are treated as the pole itself.
POLE_EPS_DEG = 1e-9
_MAX_REFINEMENTS = 64
#: Below this radius every geodesic from any centre is still minimal (the shortest cut
#: distance on WGS84 is pi * b = 19,970.3 km, along the equator), so Geod.fwd points are
#: the boundary; at and above it the boundary is traced from the antipode.
_DIRECT_LIMIT_M = 19_900_000.0


@dataclass(frozen=True)
class Boundary:
    """Vertices of one closed ring boundary, in travel order (not repeated at the end).

    The ring lies on the *right* of the direction of travel (clockwise around the centre),
    so orientation fixes which side of the curve is inside, even for rings that enclose a
    pole or both poles. Vertices at a pole have latitude exactly +/-90.

    Attributes
    ----------
    lon, lat : numpy.ndarray
        Degrees; longitudes in [-180, 180].
    whole_globe : bool
        True when the radius reaches every point of the ellipsoid; ``lon``/``lat`` are empty.
    method : str
        ``"direct"`` (Geod.fwd from the centre), ``"antipodal"`` (traced from the antipode),
        ``"footprint"`` (:func:`footprint_boundary`) or ``"globe"``.
    """

    lon: FloatArray
    lat: FloatArray
    whole_globe: bool
    method: str


def check_point(*, lat: float, lon: float, what: str = "point") -> tuple[float, float]:
    """Validate a latitude/longitude pair and normalise the longitude to [-180, 180).

    Parameters
    ----------
    lat : float
        Latitude in degrees, [-90, 90].
    lon : float
        Longitude in degrees, [-540, 540].
    what : str
        Name of the point for the error message.

    Returns
    -------
    tuple of float
        ``(lat, lon)`` with ``lon`` in [-180, 180).

    Raises
    ------
    GeodesyError
        On NaN, infinity, or a value out of range.

    Examples
    --------
    >>> check_point(lat=10.0, lon=190.0)
    (10.0, -170.0)
    >>> check_point(lat=float("nan"), lon=0.0)
    Traceback (most recent call last):
    ...
    rangemap.errors.GeodesyError: point latitude must be a finite number in [-90, 90], got nan
    """
    try:
        lat_f = float(lat)
        lon_f = float(lon)
    except (TypeError, ValueError):
        raise GeodesyError(f"{what} coordinates must be numbers, got {lat!r}, {lon!r}") from None
    if not np.isfinite(lat_f) or not -90.0 <= lat_f <= 90.0:
        raise GeodesyError(f"{what} latitude must be a finite number in [-90, 90], got {lat!r}")
    if not np.isfinite(lon_f) or not -540.0 <= lon_f <= 540.0:
        raise GeodesyError(f"{what} longitude must be a finite number in [-540, 540], got {lon!r}")
    # Leave longitudes already in range untouched: (x + 180) % 360 - 180 is not exact.
    return lat_f, lon_f if -180.0 <= lon_f < 180.0 else float(_wrap180(np.float64(lon_f)))


def _wrap180(x: npt.ArrayLike) -> FloatArray:
    """Reduce angles in degrees to [-180, 180)."""
    return np.asarray((np.asarray(x, dtype=np.float64) + 180.0) % 360.0 - 180.0)


def geodesic_distance_m(
    *, lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Geodesic distance on WGS84 between points, broadcasting the inputs.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : array_like
        Degrees. Arrays broadcast against each other as in numpy.

    Returns
    -------
    numpy.ndarray
        Distances in metres, shape of the broadcast inputs (0-d for scalars).

    Raises
    ------
    GeodesyError
        If any latitude is outside [-90, 90] or any value is NaN or infinite.

    Examples
    --------
    >>> round(float(geodesic_distance_m(lat1=0, lon1=0, lat2=0, lon2=1)), 3)
    111319.491
    >>> float(geodesic_distance_m(lat1=0, lon1=179.5, lat2=0, lon2=-179.5)) < 111_320
    True
    """
    arrays = np.broadcast_arrays(
        *(np.asarray(v, dtype=np.float64) for v in (lat1, lon1, lat2, lon2))
    )
    # np.array, not np.ascontiguousarray: the latter turns 0-d scalars into 1-d arrays.
    la1, lo1, la2, lo2 = (np.array(a, dtype=np.float64) for a in arrays)
    if not all(np.isfinite(a).all() for a in (la1, lo1, la2, lo2)):
        raise GeodesyError("coordinates must be finite numbers (got NaN or infinity)")
    if (np.abs(la1) > 90).any() or (np.abs(la2) > 90).any():
        raise GeodesyError("latitudes must lie in [-90, 90]")
    shape = la1.shape
    _, _, dist = WGS84.inv(lo1.ravel(), la1.ravel(), lo2.ravel(), la2.ravel())
    return np.asarray(dist, dtype=np.float64).reshape(shape)


def spherical_distance_m(
    *, lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Great-circle distance on the sphere of radius :data:`SPHERE_RADIUS_M` (haversine).

    Not a distance rangemap reports: a cheap bound. Geodetic latitude and longitude are
    kept, so the geodesic distance lies between :data:`SPHERE_MIN_SCALE` and
    :data:`SPHERE_MAX_SCALE` times this one. No checks; arrays broadcast.

    Examples
    --------
    >>> s = float(spherical_distance_m(lat1=0, lon1=0, lat2=60, lon2=100))
    >>> d = float(geodesic_distance_m(lat1=0, lon1=0, lat2=60, lon2=100))
    >>> bool(SPHERE_MIN_SCALE * s <= d <= SPHERE_MAX_SCALE * s)
    True
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlam = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin((p2 - p1) / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlam / 2.0) ** 2
    return 2.0 * SPHERE_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _fwd(
    lat0: FloatArray, lon0: FloatArray, azimuth_deg: FloatArray, dist_m: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Vectorised Geod.fwd; every argument an array of one length. Returns (lon, lat)."""
    lon, lat, _ = WGS84.fwd(lon0, lat0, azimuth_deg, dist_m)
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def _dist(lat0: FloatArray, lon0: FloatArray, lon: FloatArray, lat: FloatArray) -> FloatArray:
    _, _, d = WGS84.inv(lon0, lat0, lon, lat)
    return np.asarray(d, dtype=np.float64)


def _snap_poles(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    at_pole = np.abs(lat) >= 90.0 - POLE_EPS_DEG
    lat = np.where(at_pole, np.sign(lat) * 90.0, lat)
    return _wrap180(lon), lat


def _local_distance_m(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
) -> FloatArray:
    """Distance between nearby points in the ellipsoid's local metric (m).

    ds^2 = (M dphi)^2 + (N cos(phi) dlambda)^2 at the mean latitude, with M and N the
    meridional and prime-vertical radii of curvature: exact to second order in the
    separation, which is all the refinement needs for separations of tens of metres.
    """
    phi = np.radians((lat1 + lat2) / 2.0)
    w2 = 1.0 - WGS84.es * np.sin(phi) ** 2
    n_radius = WGS84.a / np.sqrt(w2)
    m_radius = WGS84.a * (1.0 - WGS84.es) / w2**1.5
    dx = np.radians(_wrap180(lon2 - lon1)) * n_radius * np.cos(phi)
    dy = np.radians(lat2 - lat1) * m_radius
    return np.hypot(dx, dy)


Curve = Callable[[FloatArray, npt.NDArray[np.intp]], tuple[FloatArray, FloatArray]]


def _refine(
    curve: Curve,
    centres: tuple[FloatArray, FloatArray, FloatArray],
    *,
    tolerance_m: float,
    max_vertices: int,
) -> list[tuple[FloatArray, FloatArray]]:
    """Sample closed curves, each parametrised by an angle in [0, 360), until chords fit.

    All curves are refined together in one set of arrays (``rid`` says which curve a
    vertex belongs to), so the cost is a few vectorised GeographicLib calls per round
    whatever the number of rings, and each chord is checked once. A chord is split when
    its lon/lat midpoint lies farther than ``tolerance_m`` from the curve point at the mid
    parameter (an upper bound on its distance to the curve; that point then becomes the
    new vertex, so checking costs no extra geodesic), or when it spans more than
    ``_MAX_DLON_DEG`` of longitude (which would make unwrapping ambiguous). A chord
    that still jumps in longitude once its parameter step is below ``_MIN_STEP_DEG``
    passes through a pole: a pole vertex is inserted there.
    """
    lat0, lon0, radius = centres
    n_rings = lat0.shape[0]
    t = np.tile(np.linspace(0.0, 360.0, _INITIAL_VERTICES, endpoint=False), n_rings)
    rid = np.repeat(np.arange(n_rings), _INITIAL_VERTICES)
    lon, lat = _snap_poles(*curve(t, rid))
    # done[i]: the chord from vertex i to its successor has been checked and fits.
    done = np.zeros(t.shape[0], dtype=bool)
    for _ in range(_MAX_REFINEMENTS):
        # Index of each vertex's successor within its own ring (wrapping at the end).
        starts = np.flatnonzero(np.r_[True, rid[1:] != rid[:-1]])
        ends = np.r_[starts[1:], rid.shape[0]] - 1
        nxt = np.arange(rid.shape[0]) + 1
        nxt[ends] = starts
        todo = np.flatnonzero(~done)
        if todo.size == 0:
            break
        j = nxt[todo]
        t0, t1 = t[todo], np.where(j > todo, t[j], t[j] + 360.0)
        lo0, la0, lo1, la1 = lon[todo], lat[todo], lon[j], lat[j]
        dlon = _wrap180(lo1 - lo0)
        pole0, pole1 = np.abs(la0) == 90.0, np.abs(la1) == 90.0
        # A pole vertex's longitude is arbitrary: a chord to or from it runs along the
        # other end's meridian (see rangemap.polygons._unwrap).
        chord_lon = np.where(pole0, lo1, np.where(pole1, lo0, lo0 + dlon / 2.0))
        chord_lat = (la0 + la1) / 2.0
        t_mid = (t0 + t1) / 2.0
        mid_lon, mid_lat = _snap_poles(*curve(t_mid % 360.0, rid[todo]))
        # The chord midpoint's distance to the curve is at most its distance to the curve
        # point at the mid parameter, measured here in the local metric of the ellipsoid.
        err = _local_distance_m(chord_lon, chord_lat, mid_lon, mid_lat)
        wide = (np.abs(dlon) > _MAX_DLON_DEG) & ~pole0 & ~pole1
        small = (t1 - t0) < _MIN_STEP_DEG
        split = ((err > tolerance_m) | wide) & ~small
        through_pole = wide & small
        done[todo[~split & ~through_pole]] = True
        if not split.any() and not through_pole.any():
            break
        if t.shape[0] + int(split.sum()) > max_vertices * n_rings:
            raise GeodesyError(
                f"ring needs more than max_vertices={max_vertices} vertices to stay within "
                f"{tolerance_m} m; raise max_vertices or tolerance_m"
            )
        # The curve meets a pole between two vertices too close to separate: put the pole
        # itself in between (which pole from the neighbours' latitudes).
        pole_lat = np.sign(la0 + la1) * 90.0
        insert = split | through_pole
        new_lat = np.where(split, mid_lat, pole_lat)[insert]
        new_lon = np.where(split, mid_lon, lo0)[insert]
        done[todo[through_pole]] = True
        # A new vertex goes right after its chord's first vertex: inserting in place keeps
        # the arrays in (ring, parameter) order without sorting. Parameters stay unwrapped
        # (the chord that closes a ring has t_mid > 360), so the order holds.
        at = todo[insert] + 1
        t = np.insert(t, at, t_mid[insert])
        rid = np.insert(rid, at, rid[todo[insert]])
        lon = np.insert(lon, at, new_lon)
        lat = np.insert(lat, at, new_lat)
        done = np.insert(done, at, False)
    else:
        raise GeodesyError(f"ring refinement did not converge after {_MAX_REFINEMENTS} rounds")
    bounds = np.flatnonzero(np.r_[True, rid[1:] != rid[:-1], True])
    return [(lon[a:b], lat[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _antipodal_points(
    lat0: FloatArray, lon0: FloatArray, radius: FloatArray, azimuth_deg: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Points on rings traced outward from each centre's antipode along given bearings.

    Along each bearing from the antipode, bisect the distance ``t`` from the antipode at
    which the distance from the centre drops to ``radius``. At ``t = 0`` the distance is
    MAX_DISTANCE_M > radius; by the triangle inequality it is still at least ``radius`` at
    ``t = MAX_DISTANCE_M - radius``, so the search starts there and doubles until the
    distance falls below ``radius``.
    """
    alat, alon = -lat0, _wrap180(lon0 + 180.0)
    lo = np.zeros_like(radius)
    hi = np.maximum(MAX_DISTANCE_M - radius, 1e-3)
    for _ in range(80):
        lon, lat = _fwd(alat, alon, azimuth_deg, hi)
        above = _dist(lat0, lon0, lon, lat) >= radius
        if not above.any():
            break
        lo = np.where(above, hi, lo)
        hi = np.where(above, hi * 2.0, hi)
    for _ in range(64):
        mid = (lo + hi) / 2.0
        lon, lat = _fwd(alat, alon, azimuth_deg, mid)
        above = _dist(lat0, lon0, lon, lat) >= radius
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
        if np.all(hi - lo < 1e-6):
            break
    return _fwd(alat, alon, azimuth_deg, (lo + hi) / 2.0)


#: Rings per thread below which splitting the work is not worth it.
_MIN_RINGS_PER_THREAD = 32


def _refine_parallel(
    curve: Curve,
    centres: tuple[FloatArray, FloatArray, FloatArray],
    tolerance_m: float,
    max_vertices: int,
) -> list[tuple[FloatArray, FloatArray]]:
    """Run :func:`_refine` on slices of the rings in threads.

    GeographicLib, through pyproj, releases the GIL, so the slices run on all cores.
    """
    n = centres[0].shape[0]
    workers = min(os.cpu_count() or 1, n // _MIN_RINGS_PER_THREAD)
    if workers <= 1:
        return _refine(curve, centres, tolerance_m=tolerance_m, max_vertices=max_vertices)
    edges = np.linspace(0, n, workers + 1).astype(int)

    def run(span: tuple[int, int]) -> list[tuple[FloatArray, FloatArray]]:
        a, b = span
        part = (centres[0][a:b], centres[1][a:b], centres[2][a:b])

        def sliced(t: FloatArray, rid: npt.NDArray[np.intp]) -> tuple[FloatArray, FloatArray]:
            return curve(t, rid + a)

        return _refine(sliced, part, tolerance_m=tolerance_m, max_vertices=max_vertices)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(run, zip(edges[:-1], edges[1:], strict=True)))
    return [curve_xy for part in parts for curve_xy in part]


def ring_boundaries(
    *,
    lat: npt.ArrayLike,
    lon: npt.ArrayLike,
    radius_m: npt.ArrayLike,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    max_vertices: int = 200_000,
) -> list[Boundary]:
    """Boundaries of many rings at once (see :func:`ring_boundary`), refined together.

    Parameters
    ----------
    lat, lon, radius_m : array_like
        Centres (degrees) and radii (metres), broadcast to one length.
    tolerance_m, max_vertices
        As for :func:`ring_boundary`; ``max_vertices`` is per ring.

    Returns
    -------
    list of Boundary
        One per ring, in input order.

    Raises
    ------
    GeodesyError
        Naming the first bad centre or radius.
    """
    lat_a, lon_a, rad_a = _as_arrays(lat, lon, radius_m)
    for i in range(lat_a.shape[0]):
        lat_a[i], lon_a[i] = check_point(lat=lat_a[i], lon=lon_a[i], what="centre")
        if not np.isfinite(rad_a[i]) or rad_a[i] < MIN_RADIUS_M:
            raise GeodesyError(
                f"radius_m must be a finite number >= {MIN_RADIUS_M:g} m, got {float(rad_a[i])!r}"
            )
    if not np.isfinite(tolerance_m) or tolerance_m <= 0:
        raise GeodesyError(f"tolerance_m must be a finite number > 0, got {tolerance_m!r}")
    empty = np.empty(0, dtype=np.float64)
    out: list[Boundary] = [
        Boundary(lon=empty, lat=empty, whole_globe=True, method="globe")
    ] * lat_a.shape[0]
    direct = np.flatnonzero(rad_a < _DIRECT_LIMIT_M)
    antipodal = np.flatnonzero((rad_a >= _DIRECT_LIMIT_M) & (rad_a < MAX_DISTANCE_M))

    if direct.size:
        c = (lat_a[direct], lon_a[direct], rad_a[direct])

        def fwd_curve(t: FloatArray, rid: npt.NDArray[np.intp]) -> tuple[FloatArray, FloatArray]:
            return _fwd(c[0][rid], c[1][rid], t, c[2][rid])

        curves = _refine_parallel(fwd_curve, c, tolerance_m, max_vertices)
        for k, (lo, la) in zip(direct, curves, strict=True):
            out[k] = Boundary(lon=lo, lat=la, whole_globe=False, method="direct")
    if antipodal.size:
        c = (lat_a[antipodal], lon_a[antipodal], rad_a[antipodal])

        def anti_curve(t: FloatArray, rid: npt.NDArray[np.intp]) -> tuple[FloatArray, FloatArray]:
            # Decreasing bearing around the antipode is clockwise around the centre.
            return _antipodal_points(c[0][rid], c[1][rid], c[2][rid], (360.0 - t) % 360.0)

        curves = _refine(anti_curve, c, tolerance_m=tolerance_m, max_vertices=max_vertices)
        for k, (lo, la) in zip(antipodal, curves, strict=True):
            out[k] = Boundary(lon=lo, lat=la, whole_globe=False, method="antipodal")
    return out


def footprint_boundary(
    *,
    lat: float,
    lon: float,
    radius_m_at: Callable[[FloatArray], FloatArray],
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    max_vertices: int = 200_000,
) -> Boundary:
    """Boundary of a footprint whose geodesic radius depends on the azimuth.

    At each azimuth ``az`` (degrees clockwise from north, from the centre) the boundary
    is the point at geodesic distance ``radius_m_at(az)``; vertices are placed and refined
    exactly as for :func:`ring_boundary`, so chords stay within ``tolerance_m`` of the
    curve. A circle is the special case of a constant function.

    Parameters
    ----------
    lat, lon : float
        Centre (degrees).
    radius_m_at : callable
        Azimuths (degrees, array) -> radii (m, array); smooth and periodic, every radius
        in [:data:`MIN_RADIUS_M`, 19,900 km) (the direct method's span).
    tolerance_m, max_vertices
        As for :func:`ring_boundary`.

    Returns
    -------
    Boundary
        Travelling clockwise around the centre (the footprint on the right), method
        ``"footprint"``.

    Raises
    ------
    GeodesyError
        For a bad centre, or a radius out of span at any azimuth tried.

    Examples
    --------
    >>> b = footprint_boundary(lat=0, lon=179.0, radius_m_at=lambda az: 5e5 + 0 * az)
    >>> d = geodesic_distance_m(lat1=0, lon1=179.0, lat2=b.lat, lon2=b.lon)
    >>> bool(abs(d - 5e5).max() < 1e-6)
    True
    """
    lat0, lon0 = check_point(lat=lat, lon=lon, what="centre")
    if not np.isfinite(tolerance_m) or tolerance_m <= 0:
        raise GeodesyError(f"tolerance_m must be a finite number > 0, got {tolerance_m!r}")

    def curve(t: FloatArray, rid: npt.NDArray[np.intp]) -> tuple[FloatArray, FloatArray]:
        radius = np.asarray(radius_m_at(t), dtype=np.float64)
        bad = ~np.isfinite(radius) | (radius < MIN_RADIUS_M) | (radius >= _DIRECT_LIMIT_M)
        if bad.any():
            k = int(np.argmax(bad))
            raise GeodesyError(
                f"footprint radius at azimuth {float(t[k]):g} deg must be in "
                f"[{MIN_RADIUS_M:g}, {_DIRECT_LIMIT_M:g}) m, got {float(radius[k])!r}"
            )
        n = t.shape[0]
        return _fwd(np.full(n, lat0), np.full(n, lon0), t, radius)

    centre = (np.array([lat0]), np.array([lon0]), np.array([np.nan]))
    ((lo, la),) = _refine(curve, centre, tolerance_m=tolerance_m, max_vertices=max_vertices)
    return Boundary(lon=lo, lat=la, whole_globe=False, method="footprint")


def _as_arrays(*values: npt.ArrayLike) -> list[FloatArray]:
    try:
        arrays = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in values))
    except (TypeError, ValueError) as exc:
        raise GeodesyError(f"centres and radii must be numbers ({exc})") from None
    return [np.array(a, dtype=np.float64).ravel() for a in arrays]


def ring_boundary(
    *,
    lat: float,
    lon: float,
    radius_m: float,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    max_vertices: int = 200_000,
) -> Boundary:
    """Boundary of the set of points within ``radius_m`` (geodesic, WGS84) of a centre.

    Parameters
    ----------
    lat, lon : float
        Centre in degrees; latitude in [-90, 90], longitude in [-540, 540].
    radius_m : float
        Geodesic radius in metres, > 0. At or above :data:`MAX_DISTANCE_M` the ring is the
        whole ellipsoid.
    tolerance_m : float
        Largest distance in metres between a chord's midpoint and the true curve, > 0.
    max_vertices : int
        Refuse to produce more vertices than this.

    Returns
    -------
    Boundary
        Vertices clockwise around the centre (the ring on the right of travel).

    Raises
    ------
    GeodesyError
        On a bad coordinate, a non-positive or non-finite radius or tolerance.

    Examples
    --------
    >>> b = ring_boundary(lat=52.5, lon=13.4, radius_m=500_000)
    >>> b.method, bool(np.allclose(geodesic_distance_m(
    ...     lat1=52.5, lon1=13.4, lat2=b.lat, lon2=b.lon), 500_000, atol=1e-6))
    ('direct', True)

    A ring across the antimeridian keeps its longitudes in [-180, 180]:

    >>> b = ring_boundary(lat=-17.7, lon=178.1, radius_m=1_000_000)
    >>> bool(b.lon.min() < -170 and b.lon.max() > 170)
    True
    >>> ring_boundary(lat=0, lon=0, radius_m=float("nan"))
    Traceback (most recent call last):
    ...
    rangemap.errors.GeodesyError: radius_m must be a finite number >= 1000 m, got nan
    """
    for value, what in ((lat, "latitude"), (lon, "longitude"), (radius_m, "radius_m")):
        if not isinstance(value, (int, float, np.floating, np.integer)):
            raise GeodesyError(f"{what} must be a number, got {value!r}")
    return ring_boundaries(
        lat=lat, lon=lon, radius_m=radius_m, tolerance_m=tolerance_m, max_vertices=max_vertices
    )[0]
