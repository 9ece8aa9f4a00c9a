"""Range rings as shapely polygons in lon/lat, exactly as RFC 7946 GeoJSON wants them.

A ring's boundary (from :mod:`rangemap.geodesy`) is turned into polygons in the plate
carree plane ``x = lon, y = lat`` in [-180, 180] x [-90, 90]:

1. *Unwrap* the longitudes so consecutive vertices differ by less than 180 degrees. A
   vertex at a pole is split into two, one on each meridian the curve meets the pole along,
   joined along the line ``y = +/-90`` in the direction that keeps the ring on the right of
   travel (east at the North Pole, west at the South Pole).
2. The total longitude change ("winding") tells the topology. Winding 0: the curve bounds
   a planar polygon P; the ring is P if P runs clockwise (the ring is on the right of
   travel) and the rest of the globe otherwise (rings enclosing both poles). Winding -1 /
   +1: the ring encloses the North / South Pole: the curve is repeated every 360 degrees and
   closed along that pole's edge.
3. *Fold* into [-180, 180]: cut at every antimeridian (RFC 7946 section 3.1.9) and shift.

No point-in-polygon guess and no heuristic about "large" rings is involved: orientation is
fixed by construction, so the same code is right for small rings, rings across the
antimeridian, rings around a pole or both poles, near-antipodal rings and the whole globe.

Public functions
----------------
ring_polygon, ring_polygons
    (Multi)Polygon of the points within ``radius_m`` of a centre (optionally beyond a
    minimum radius).
geodesic_area_m2, geodesic_areas_m2
    Area on the WGS84 ellipsoid of lon/lat (Multi)Polygons with straight lon/lat edges.
WORLD
    The whole plate carree rectangle as a polygon.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from rangemap.errors import GeodesyError
from rangemap.geodesy import (
    DEFAULT_TOLERANCE_M,
    MIN_RADIUS_M,
    WGS84,
    Boundary,
    FloatArray,
    _wrap180,
    ring_boundaries,
    ring_boundary,
)

__all__ = [
    "WORLD",
    "boundary_polygon",
    "boundary_polygons",
    "cut_out",
    "geodesic_area_m2",
    "geodesic_areas_m2",
    "ring_polygon",
    "ring_polygons",
]

#: The whole globe in lon/lat, exterior counter-clockwise.
WORLD: Polygon = box(-180.0, -90.0, 180.0, 90.0, ccw=True)

#: What a ring is: one polygon, or several when cut at the antimeridian.
Geometry: TypeAlias = Polygon | MultiPolygon


def _unwrap(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray, int]:
    """Unwrap a closed curve's longitudes; return (x, y, winding) with x continuous."""
    at_pole = np.abs(lat) == 90.0
    if not at_pole.any():
        x = lon[0] + np.concatenate([[0.0], np.cumsum(_wrap180(np.diff(lon)))])
        total = float(x[-1] + _wrap180(lon[0] - lon[-1]) - x[0])
        winding = int(round(total / 360.0))
        if abs(total - 360.0 * winding) > 1e-6 or abs(winding) > 1:
            raise GeodesyError(f"ring boundary does not close (longitude change {total!r} deg)")
        return x, lat.copy(), winding
    if at_pole.all():
        raise GeodesyError("degenerate ring: every vertex is at a pole")
    # Drop a pole vertex that repeats the previous one (two vertices at the same pole).
    keep = ~(at_pole & np.roll(at_pole, 1) & (lat == np.roll(lat, 1)))
    lon, lat, at_pole = lon[keep], lat[keep], at_pole[keep]
    # Rotate so the first vertex is not at a pole.
    first = int(np.argmax(~at_pole))
    lon, lat, at_pole = (np.roll(a, -first) for a in (lon, lat, at_pole))
    n = lon.shape[0]
    xs: list[float] = []
    ys: list[float] = []
    x = float(lon[0])
    prev_lon = float(lon[0])
    for i in range(n):
        if i > 0 and not at_pole[i]:
            x += float(_wrap180(lon[i] - prev_lon))
            prev_lon = float(lon[i])
        if not at_pole[i]:
            xs.append(x)
            ys.append(float(lat[i]))
            continue
        # Meet the pole along the previous vertex's meridian and leave along the next's.
        nxt = float(lon[(i + 1) % n])
        step = float((nxt - prev_lon) % 360.0)
        if lat[i] < 0:
            step -= 360.0
        xs.append(x)
        ys.append(float(lat[i]))
        x += step
        xs.append(x)
        ys.append(float(lat[i]))
        prev_lon = nxt
    # Closing step back to the first vertex.
    closing = x + float(_wrap180(lon[0] - prev_lon))
    total = closing - xs[0]
    winding = int(round(total / 360.0))
    if abs(total - 360.0 * winding) > 1e-6 or abs(winding) > 1:
        raise GeodesyError(f"ring boundary does not close (longitude change {total!r} deg)")
    return np.asarray(xs), np.asarray(ys), winding


def _fold(poly: BaseGeometry) -> BaseGeometry:
    """Cut a polygon in the unwrapped plane at every antimeridian and shift into [-180,180]."""
    xmin, _, xmax, _ = poly.bounds
    k_lo = int(np.floor((xmin + 180.0) / 360.0))
    k_hi = int(np.floor((xmax + 180.0) / 360.0))
    pieces = []
    for k in range(k_lo, k_hi + 1):
        window = box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        piece = poly.intersection(window)
        if not piece.is_empty:
            pieces.append(shapely.affinity.translate(piece, xoff=-360.0 * k))
    return shapely.union_all(pieces) if pieces else Polygon()


def _polygonal(geom: BaseGeometry) -> Geometry:
    """Keep the areal part of a geometry; orient exteriors counter-clockwise."""
    if geom.is_empty:
        return MultiPolygon()
    if isinstance(geom, (Polygon, MultiPolygon)):
        out: BaseGeometry = geom
    else:
        parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
        out = shapely.union_all(parts) if parts else MultiPolygon()
    if not out.is_valid:
        out = shapely.make_valid(out)
        if not isinstance(out, (Polygon, MultiPolygon)):
            return _polygonal(out)
    oriented = shapely.orient_polygons(out, exterior_cw=False)
    assert isinstance(oriented, (Polygon, MultiPolygon))
    return oriented


def cut_out(outer: Geometry, inner: Geometry) -> Geometry:
    """``outer`` minus ``inner`` (a minimum-range hole), valid, exteriors counter-clockwise.

    Examples
    --------
    >>> hole = cut_out(WORLD, box(0, 0, 1, 1))
    >>> hole.is_valid, len(hole.interiors), hole.exterior.is_ccw, hole.interiors[0].is_ccw
    (True, 1, True, False)
    """
    return _polygonal(outer.difference(inner))


def boundary_polygon(boundary: Boundary) -> Geometry:
    """Turn a ring boundary (ring on the right of travel) into lon/lat polygons.

    Parameters
    ----------
    boundary : Boundary
        From :func:`rangemap.geodesy.ring_boundary`.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        In [-180, 180] x [-90, 90], split at the antimeridian, exteriors counter-clockwise.
    """
    if boundary.whole_globe:
        return WORLD
    x, y, winding = _unwrap(boundary.lon, boundary.lat)
    if winding == 0:
        planar = Polygon(np.column_stack([x, y]))
        if not planar.is_valid:
            planar = shapely.make_valid(planar)
        xmin, _, xmax, _ = planar.bounds
        folded = planar if (xmin >= -180.0 and xmax <= 180.0) else _fold(planar)
        # Clockwise in the plane (negative shoelace area): the ring, on the right of
        # travel, is the inside; counter-clockwise: the ring is the rest of the globe.
        if float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) > 0:
            return _polygonal(WORLD.difference(folded))
        return _polygonal(folded)
    # Encloses one pole: travelling west (winding -1) the ring is to the north.
    pole_lat = 90.0 if winding < 0 else -90.0
    reps = [x + 360.0 * winding * j for j in range(-2, 3)]
    xs = np.concatenate(reps)
    ys = np.tile(y, 5)
    ring = np.column_stack([np.append(xs, [xs[-1], xs[0]]), np.append(ys, [pole_lat, pole_lat])])
    strip = Polygon(ring)
    if not strip.is_valid:
        strip = shapely.make_valid(strip)
    return _polygonal(strip.intersection(WORLD))


def boundary_polygons(boundaries: Sequence[Boundary]) -> list[Geometry]:
    """Turn many ring boundaries into polygons: :func:`boundary_polygon` for each, faster.

    Most rings neither touch a pole nor cross the antimeridian nor hold more than their
    side of the globe: their vertices, as computed, are the polygon's. Those are built and
    checked together (vectorised shapely); every other ring, and any that fails a check
    (an invalid polygon), goes through :func:`boundary_polygon`.
    """
    out: list[Geometry | None] = [None] * len(boundaries)
    simple = [i for i, b in enumerate(boundaries) if not b.whole_globe and b.lon.size >= 3]
    if simple:
        lon = np.concatenate([boundaries[i].lon for i in simple])
        lat = np.concatenate([boundaries[i].lat for i in simple])
        sizes = np.array([boundaries[i].lon.size for i in simple])
        ring = np.repeat(np.arange(len(simple)), sizes)
        nxt = np.arange(lon.size) + 1
        ends = np.cumsum(sizes)
        nxt[ends - 1] = ends - sizes  # each vertex's successor, closing its ring
        # A step of 180 degrees or more in longitude crosses the antimeridian.
        odd = (np.abs(lon[nxt] - lon) >= 180.0) | (np.abs(lat) == 90.0)
        fits = np.bincount(ring, weights=odd, minlength=len(simple)) == 0
        # Clockwise (negative shoelace area): the ring is the inside, on the right of travel.
        twice_area = np.bincount(ring, weights=lon * lat[nxt] - lat * lon[nxt],
                                 minlength=len(simple))  # fmt: skip
        fits &= twice_area < 0
        polys = shapely.polygons(shapely.linearrings(np.column_stack([lon, lat]), indices=ring))
        fits &= shapely.is_valid(polys)
        oriented = shapely.orient_polygons(polys, exterior_cw=False)
        for k in np.flatnonzero(fits):
            out[simple[k]] = oriented[k]
    return [boundary_polygon(b) if g is None else g for b, g in zip(boundaries, out, strict=True)]


def ring_polygons(
    *,
    lat: npt.ArrayLike,
    lon: npt.ArrayLike,
    radius_m: npt.ArrayLike,
    min_radius_m: npt.ArrayLike | None = None,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> list[Geometry]:
    """Polygons for many rings at once (see :func:`ring_polygon`); NaN min radius = none.

    The boundaries of all rings (outer and inner) are refined together, which is far
    faster than one call per ring.

    Raises
    ------
    GeodesyError
        On bad centres or radii, or a minimum radius not below its radius.
    """
    lat_a, lon_a, rad_a = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(v, dtype=np.float64)) for v in (lat, lon, radius_m))
    )
    n = lat_a.shape[0]
    bad_r = ~np.isfinite(rad_a) | (rad_a < MIN_RADIUS_M)
    if bad_r.any():
        value = float(rad_a[int(np.argmax(bad_r))])
        raise GeodesyError(f"radius_m must be a finite number >= {MIN_RADIUS_M:g} m, got {value!r}")
    if min_radius_m is None:
        inner_a = np.full(n, np.nan)
    else:
        try:
            inner_a = np.broadcast_to(np.asarray(min_radius_m, dtype=np.float64), (n,))
        except (TypeError, ValueError):
            raise GeodesyError(f"min_radius_m must be numbers, got {min_radius_m!r}") from None
    # A minimum radius is 0 (none) or a drawable radius (>= MIN_RADIUS_M) below the radius.
    drawable = (inner_a == 0) | (inner_a >= MIN_RADIUS_M)
    bad = ~np.isnan(inner_a) & ~((inner_a >= 0) & (inner_a < rad_a) & drawable)
    if bad.any():
        i = int(np.argmax(bad))
        raise GeodesyError(
            f"min_radius_m must be 0 or in [{MIN_RADIUS_M:g}, radius_m={float(rad_a[i])!r}), "
            f"got {float(inner_a[i])!r}"
        )
    has_inner = np.flatnonzero(~np.isnan(inner_a) & (inner_a > 0))
    boundaries = ring_boundaries(
        lat=np.concatenate([lat_a, lat_a[has_inner]]),
        lon=np.concatenate([lon_a, lon_a[has_inner]]),
        radius_m=np.concatenate([rad_a, inner_a[has_inner]]),
        tolerance_m=tolerance_m,
    )
    drawn = boundary_polygons(boundaries)
    polys = drawn[:n]
    for j, k in enumerate(has_inner):
        polys[k] = _polygonal(polys[k].difference(drawn[n + j]))
    return polys


def ring_polygon(
    *,
    lat: float,
    lon: float,
    radius_m: float,
    min_radius_m: float | None = None,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> Geometry:
    """Polygon of the points whose geodesic distance from a centre lies in the range.

    Parameters
    ----------
    lat, lon : float
        Centre in degrees.
    radius_m : float
        Outer geodesic radius in metres, > 0.
    min_radius_m : float, optional
        Inner radius in metres (a minimum range), 0 <= min_radius_m < radius_m. The ring is
        then an annulus: the points at distance in [min_radius_m, radius_m].
    tolerance_m : float
        Largest distance (m) between the drawn boundary and the true one; see
        :func:`rangemap.geodesy.ring_boundary`.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        Lon/lat, split at the antimeridian, exteriors counter-clockwise, valid.

    Raises
    ------
    GeodesyError
        On bad coordinates or radii.

    Examples
    --------
    >>> p = ring_polygon(lat=-17.7, lon=178.1, radius_m=1_000_000)
    >>> p.geom_type, p.bounds[0], p.bounds[2]
    ('MultiPolygon', -180.0, 180.0)
    >>> ring_polygon(lat=0, lon=0, radius_m=3e7).equals(WORLD)
    True
    """
    outer = boundary_polygon(
        ring_boundary(lat=lat, lon=lon, radius_m=radius_m, tolerance_m=tolerance_m)
    )
    if min_radius_m is None or min_radius_m == 0:
        return outer
    try:
        inner_m = float(min_radius_m)
    except (TypeError, ValueError):
        raise GeodesyError(f"min_radius_m must be a number, got {min_radius_m!r}") from None
    if not np.isfinite(inner_m) or not (inner_m == 0 or MIN_RADIUS_M <= inner_m < float(radius_m)):
        raise GeodesyError(
            f"min_radius_m must be 0 or in [{MIN_RADIUS_M:g}, radius_m={radius_m!r}), "
            f"got {min_radius_m!r}"
        )
    inner = boundary_polygon(
        ring_boundary(lat=lat, lon=lon, radius_m=inner_m, tolerance_m=tolerance_m)
    )
    return _polygonal(outer.difference(inner))


# --- area -----------------------------------------------------------------------------

_A = WGS84.a
_E2 = WGS84.es
_E = float(np.sqrt(_E2))
_B2 = WGS84.b**2
# Gauss-Legendre nodes along each edge: F is smooth and edges are short, so 3 points
# agree with 6 to 1e-14 relative on the whole shipped catalogue's rings.
_GL_X, _GL_W = np.polynomial.legendre.leggauss(3)


def _zone_area_per_radian(lat_rad: FloatArray) -> FloatArray:
    """Ellipsoid area between the equator and latitude phi per radian of longitude (m^2).

    F(phi) = b^2/2 [sin phi / (1 - e^2 sin^2 phi) + atanh(e sin phi) / e], the integral of
    M(phi) N(phi) cos(phi); 4 pi F(90 deg) is the ellipsoid's whole area.
    """
    s = np.sin(lat_rad)
    return _B2 / 2.0 * (s / (1.0 - _E2 * s * s) + np.arctanh(_E * s) / _E)


def geodesic_areas_m2(geoms: npt.ArrayLike) -> FloatArray:
    """Areas in m^2 on WGS84 of many lon/lat polygons with straight lon/lat edges, at once.

    This is the area of the region GeoJSON describes (RFC 7946 draws edges as straight
    lines in lon/lat), found exactly by Green's theorem with the ellipsoid's zone-area
    function F: area = -closed-integral F(phi) d(lambda) around counter-clockwise
    exteriors and clockwise holes (the polygons are oriented so first). It is right for
    polygons cut at the antimeridian and those reaching a pole, where geodesic-edge
    formulas need care. Every edge of every ring is integrated in one vectorised pass
    (3-point Gauss-Legendre along each edge; F is smooth).

    Parameters
    ----------
    geoms : array_like of shapely Polygon, MultiPolygon or None
        Lon/lat degrees; other geometry types count 0.

    Returns
    -------
    numpy.ndarray
        Areas in square metres, one per geometry.

    Examples
    --------
    >>> (geodesic_areas_m2([WORLD, Polygon(), None]) / 1e6).round().tolist()
    [510065622.0, 0.0, 0.0]
    """
    arr = np.asarray(geoms, dtype=object).ravel()
    areal = np.array([isinstance(g, (Polygon, MultiPolygon)) for g in arr], dtype=bool)
    out = np.zeros(arr.shape[0])
    if not areal.any():
        return out
    oriented = shapely.orient_polygons(arr[areal], exterior_cw=False)
    parts, part_owner = shapely.get_parts(oriented, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    owner = part_owner[ring_part]
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    # Edges join consecutive vertices of the same ring (each ring is closed).
    same = ring_of[1:] == ring_of[:-1]
    lon = np.radians(coords[:, 0])
    lat = np.radians(coords[:, 1])
    dlon = np.diff(lon)[same]
    lat0, lat1 = lat[:-1][same], lat[1:][same]
    u = (_GL_X + 1.0) / 2.0
    lat_nodes = lat0[:, None] + (lat1 - lat0)[:, None] * u[None, :]
    mean_f = (_zone_area_per_radian(lat_nodes) * (_GL_W / 2.0)[None, :]).sum(axis=1)
    per_edge = -(mean_f * dlon)
    geom_of_edge = owner[ring_of[:-1][same]]
    out[np.flatnonzero(areal)] = np.bincount(
        geom_of_edge, weights=per_edge, minlength=int(areal.sum())
    )
    return out


def geodesic_area_m2(geom: BaseGeometry) -> float:
    """Area in m^2 on WGS84 of a lon/lat polygon whose edges are straight in lon/lat.

    See :func:`geodesic_areas_m2` for the method.

    Parameters
    ----------
    geom : shapely Polygon or MultiPolygon
        Lon/lat degrees.

    Returns
    -------
    float
        Area in square metres (0 for an empty geometry).

    Examples
    --------
    >>> round(geodesic_area_m2(WORLD) / 1e6)
    510065622
    >>> geodesic_area_m2(Polygon())
    0.0
    """
    return float(geodesic_areas_m2([geom])[0])
