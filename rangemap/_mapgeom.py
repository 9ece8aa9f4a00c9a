"""Geometry for drawing on the Leaflet map (private to rangemap.mapview).

Leaflet draws lon/lat straight in Web Mercator and never wraps a vector layer around the
globe, so two things are done here before any polygon reaches the page:

- **Mercator densification** (:func:`densify`): chords are split until the Web Mercator
  drawing stays within an allowance of the lon/lat chord (the error budget is in
  :mod:`rangemap.mapview`);
- **the antimeridian** (:func:`lon_span`, :func:`east_copies`, :func:`east_point_copies`):
  rings are stored split at +-180 deg (RFC 7946). A ring around Guam then has a sliver at
  -180 deg, and the plain lon/lat bounds of the two pieces span the whole globe. The span
  here is the shortest longitude interval that holds every piece (``east`` may pass
  180), and the pieces west of 0 deg get a copy shifted by +360 deg, so the ring is
  drawn whole in a view of, say, 100-190 deg E;
- **framing** (:func:`frame_bounds`, :func:`view_limits`, :func:`world_centre_lat`): what
  a map fits, and how far it may be panned (one world's width, no more).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import MultiPolygon, Polygon

from rangemap.geodesy import WGS84
from rangemap.regions import Region, region_polygon

__all__ = [
    "MERCATOR_MAX_LAT",
    "WORLD_BOUNDS",
    "bounds_boxes",
    "copies_east",
    "densify",
    "east_copies",
    "east_point_copies",
    "frame_bounds",
    "lon_span",
    "view_limits",
    "world_centre_lat",
]

#: Web Mercator's latitude limit (deg): Leaflet clamps everything beyond it.
MERCATOR_MAX_LAT = 85.0511287798
#: Largest meridian radius of curvature of WGS84 (at the poles), metres per radian.
_MAX_MERIDIAN_RADIUS_M = WGS84.a / math.sqrt(1.0 - WGS84.es)
#: ``(west, south, east, north)`` framed when there is nothing to frame.
WORLD_BOUNDS = (-180.0, -60.0, 180.0, 78.0)


def _mercator_y(lat_deg: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    lat = np.radians(np.clip(lat_deg, -MERCATOR_MAX_LAT, MERCATOR_MAX_LAT))
    return np.log(np.tan(np.pi / 4.0 + lat / 2.0))


def _mercator_gap_m(
    a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Distance (m) between the Web Mercator and lon/lat midpoints of chords a -> b.

    Both midpoints share a longitude, so they differ by a meridian arc, bounded with the
    largest meridian radius of curvature.
    """
    lat_a = np.clip(a[:, 1], -MERCATOR_MAX_LAT, MERCATOR_MAX_LAT)
    lat_b = np.clip(b[:, 1], -MERCATOR_MAX_LAT, MERCATOR_MAX_LAT)
    y_mid = (_mercator_y(lat_a) + _mercator_y(lat_b)) / 2.0
    lat_merc = 2.0 * np.arctan(np.exp(y_mid)) - np.pi / 2.0
    lat_lin = np.radians((lat_a + lat_b) / 2.0)
    return np.abs(lat_merc - lat_lin) * _MAX_MERIDIAN_RADIUS_M


def _densify_coords(coords: npt.NDArray[np.float64], allowance_m: float) -> npt.NDArray[np.float64]:
    """Split chords of a closed lon/lat ring until each is drawn within ``allowance_m``.

    Leaflet draws chords straight in Web Mercator; the gap to the lon/lat chord shrinks with
    the square of the chord length, so a chord is cut into ``ceil(sqrt(gap / allowance))``.
    """
    for _ in range(8):
        a, b = coords[:-1], coords[1:]
        gap = _mercator_gap_m(a, b)
        pieces = np.maximum(np.ceil(np.sqrt(gap / allowance_m)), 1).astype(np.int64)
        if (pieces == 1).all():
            break
        seg = np.repeat(np.arange(a.shape[0]), pieces)
        step = np.arange(seg.size) - np.repeat(np.cumsum(pieces) - pieces, pieces)
        frac = (step / pieces[seg])[:, None]
        coords = np.vstack([a[seg] + (b - a)[seg] * frac, coords[-1:]])
    return coords


def densify(geom: shapely.Geometry, allowance_m: float) -> shapely.Geometry:
    """Densify every ring of a (Multi)Polygon for Web Mercator drawing."""
    if geom is None or geom.is_empty:
        return geom
    polys = []
    for part in shapely.get_parts(geom):
        if not isinstance(part, Polygon):
            continue
        shell = _densify_coords(np.asarray(part.exterior.coords), allowance_m)
        holes = [_densify_coords(np.asarray(r.coords), allowance_m) for r in part.interiors]
        polys.append(Polygon(shell, holes))
    return MultiPolygon(polys) if len(polys) != 1 else polys[0]


def lon_span(geoms: Iterable[shapely.Geometry]) -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` of lon/lat geometries, the short way round the globe.

    ``west`` lies in [-180, 180) and ``east`` in (``west``, ``west`` + 360]: pieces on
    both sides of the antimeridian give ``east`` > 180. The span leaves out the widest
    longitude gap between the pieces; a piece spanning every longitude (a ring around a
    pole) gives the whole globe. Nothing at all gives :data:`WORLD_BOUNDS`.

    Examples
    --------
    >>> from shapely import box
    >>> lon_span([box(107.6, -22.7, 180, 49.6), box(-180, 4.4, -178.1, 28.4)])
    (107.6, -22.7, 181.9, 49.6)
    >>> lon_span([box(10, 40, 20, 50)]), lon_span([])
    ((10.0, 40.0, 20.0, 50.0), (-180.0, -60.0, 180.0, 78.0))
    """
    spans: list[tuple[float, float]] = []
    south, north = math.inf, -math.inf
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        for part in shapely.get_parts(geom):
            west, s, east, n = part.bounds
            spans.append((float(west), float(east)))
            south, north = min(south, float(s)), max(north, float(n))
    if not spans:
        return WORLD_BOUNDS
    spans.sort()
    merged = [list(spans[0])]
    for west, east in spans[1:]:
        if west <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], east)
        else:
            merged.append([west, east])
    if merged[0][1] - merged[0][0] >= 360.0 - 1e-9:
        return (-180.0, south, 180.0, north)
    # The widest gap: around the back (after the last piece, to the first + 360) or
    # between two pieces (the span then starts after it and wraps past 180).
    best, west, east = merged[0][0] + 360.0 - merged[-1][1], merged[0][0], merged[-1][1]
    for before, after in zip(merged, merged[1:], strict=False):
        if after[0] - before[1] > best:
            best, west, east = after[0] - before[1], after[0], before[1] + 360.0
    return (round(west, 9), south, round(east, 9), north)


def east_copies(geom: shapely.Geometry, east: float = 360.0) -> shapely.Geometry:
    """Add copies, shifted by +360 deg, of the pieces west of 0 deg, for views past 180.

    Pieces wholly west of 0 deg that start west of ``east - 360`` are copied (a piece
    around a pole, which spans every longitude, never is), and a copy that meets a piece
    at 180 deg is merged with it, so no seam is stroked there. The originals stay, for
    views of the whole world. Returns ``geom`` itself when nothing is copied.

    Examples
    --------
    A ring around Guam, split at the antimeridian: its sliver at -180 deg is copied to
    180-181.9 deg and merged with the main piece.

    >>> from shapely import MultiPolygon, box
    >>> ring = MultiPolygon([box(107.6, -22.7, 180, 49.6), box(-180, 4.4, -178.1, 28.4)])
    >>> sorted(p.bounds[::2] for p in east_copies(ring).geoms)
    [(-180.0, -178.1), (107.6, 181.9)]
    >>> east_copies(ring, 180.0) is ring
    True
    """
    if east <= 180.0 or geom is None or geom.is_empty:
        return geom
    parts = list(shapely.get_parts(geom))
    west = [p for p in parts if p.bounds[2] <= 0.0 and p.bounds[0] < east - 360.0]
    if not west:
        return geom
    copies = [shapely.transform(p, lambda xy: xy + np.array([360.0, 0.0])) for p in west]
    meets = [p for p in parts if p.bounds[2] >= 180.0]
    rest = [p for p in parts if p.bounds[2] < 180.0]
    # On a 1e-9 deg grid (0.1 mm): the two sides of a cut share their vertices up to
    # floating-point noise, and must merge exactly for the seam to go.
    merged = shapely.union_all([*meets, *copies], grid_size=1e-9)
    out = [*rest, *(p for p in shapely.get_parts(merged) if isinstance(p, Polygon))]
    return MultiPolygon(out)


def east_point_copies(features: list[dict[str, Any]], east: float = 360.0) -> list[dict[str, Any]]:
    """Point features and copies, shifted by +360 deg, of those west of ``east - 360``.

    Examples
    --------
    >>> f = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-179.0, 1.0]}}
    >>> [g["geometry"]["coordinates"][0] for g in east_point_copies([f])]
    [-179.0, 181.0]
    >>> len(east_point_copies([f], 180.0))
    1
    """
    if east <= 180.0:
        return features
    copies = []
    for feature in features:
        lon, lat = feature["geometry"]["coordinates"][:2]
        if lon + 360.0 <= east:
            point = {"type": "Point", "coordinates": [lon + 360.0, lat]}
            copies.append({**feature, "geometry": point})
    return [*features, *copies]


# --- framing ---------------------------------------------------------------------------

#: Latitudes a frame is kept within (deg): Mercator's polar stretch is not worth showing.
_FRAME_LATS = _FRAME_SOUTH, _FRAME_NORTH = -60.0, 78.0


def frame_bounds(region: str | Region | None, bounds: tuple[float, ...]) -> list[list[float]]:
    """``[[south, west], [north, east]]`` to fit: the region, else the given bounds.

    Examples
    --------
    >>> frame_bounds("europe", ()), frame_bounds(None, (107.6, -80, 181.9, 49.6))
    ([[34.0, -25.0], [72.0, 60.0]], [[-60.0, 107.6], [49.6, 181.9]])
    """
    west, south, east, north = region_polygon(region).bounds if region is not None else bounds
    return [[max(south, _FRAME_SOUTH), west], [min(north, _FRAME_NORTH), east]]


def world_centre_lat() -> float:
    """Return the latitude (deg) halfway, in Web Mercator, between the frame's limits.

    Examples
    --------
    >>> round(world_centre_lat(), 1)
    25.9
    """
    y = [math.log(math.tan(math.pi / 4 + math.radians(v) / 2)) for v in _FRAME_LATS]
    return math.degrees(2 * math.atan(math.exp(sum(y) / 2)) - math.pi / 2)


def copies_east(bounds: tuple[float, ...]) -> float:
    """How far east copies past the antimeridian go: a world's width when it is crossed."""
    return 360.0 if bounds[2] > 180.0 else 180.0


def view_limits(frame: list[list[float]], *, crossing: bool, world: bool) -> tuple[float, float]:
    """Westmost and eastmost longitudes a map may show: one world's width.

    The world view and maps that draw nothing across the antimeridian keep to -180..180;
    otherwise the world's width is centred on the frame, where the copies past 180 deg
    are drawn.

    Examples
    --------
    >>> view_limits([[-22.7, 107.6], [49.6, 181.9]], crossing=True, world=False)
    (-35.25, 324.75)
    >>> view_limits([[34.0, -25.0], [72.0, 60.0]], crossing=False, world=False)
    (-180.0, 180.0)
    """
    centre = (frame[0][1] + frame[1][1]) / 2.0
    if world or not crossing or centre <= 0.0:
        return -180.0, 180.0
    return centre - 180.0, centre + 180.0


def bounds_boxes(bounds: tuple[float, ...]) -> list[shapely.Geometry]:
    """Boxes covering ``(west, south, east, north)``, cut at 180 deg when east passes it."""
    west, south, east, north = bounds
    if east <= 180.0:
        return [shapely.box(west, south, east, north)]
    return [shapely.box(west, south, 180.0, north), shapely.box(-180.0, south, east - 360.0, north)]
