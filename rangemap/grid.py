"""An equal-area global grid: HEALPix on WGS84's authalic sphere.

HEALPix (Gorski et al. 2005, doi:10.1086/427976) divides the sphere into ``12 * nside**2``
cells of equal area. Laid on the *authalic* sphere (the sphere of WGS84's surface area,
radius :data:`AUTHALIC_RADIUS_M`), with a cell's HEALPix latitude read as the authalic
latitude, the cells are exactly equal in area on the ellipsoid too: the map from
geodetic to authalic latitude (keeping longitude) preserves area (Snyder 1987, *Map
Projections: A Working Manual*, USGS PP 1395, eqs. 3-11 to 3-18). Every cell therefore
has the area :func:`cell_area_km2` on WGS84.

Cells are answered by their *centre*: the density and the basing sweep decide membership
by exact geodesic distance from the centre (never by filling polygons, which fails near
the poles). The polygons from :func:`cell_polygons` are for drawing and export.

Public functions
----------------
authalic_latitude_deg, geodetic_latitude_deg
    Geodetic <-> authalic latitude (degrees).
nside_for_spacing_km, cell_spacing_km, cell_area_km2
    Grid resolution: the coarsest ``nside`` whose cells are no wider than a spacing.
cell_centres
    Geodetic latitude and longitude of cell centres.
cell_of
    The cell holding each point.
cell_polygons
    Lon/lat polygons of cells, split at the antimeridian, closed at the poles.
cells_within
    Cells whose centre lies in a lon/lat geometry.
"""

from __future__ import annotations

import healpy as hp
import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from rangemap.errors import OptionError
from rangemap.geodesy import WGS84

__all__ = [
    "AUTHALIC_RADIUS_M",
    "MAX_NSIDE",
    "authalic_latitude_deg",
    "cell_area_km2",
    "cell_centres",
    "cell_of",
    "cell_polygons",
    "cell_spacing_km",
    "cells_within",
    "geodetic_latitude_deg",
    "nside_for_spacing_km",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_E2 = float(WGS84.es)
_E = float(np.sqrt(_E2))


def _q(sin_phi: FloatArray) -> FloatArray:
    """Snyder's q(phi) (eq. 3-12) from sin(phi)."""
    es = _E * sin_phi
    return (1.0 - _E2) * (sin_phi / (1.0 - es * es) - np.log((1.0 - es) / (1.0 + es)) / (2.0 * _E))


_QP = float(_q(np.array(1.0)))
#: Radius of the sphere with WGS84's surface area (m), 6,371,007.18 m.
AUTHALIC_RADIUS_M: float = float(WGS84.a * np.sqrt(_QP / 2.0))

#: Finest grid the sweep and density accept: 12 * 1024**2 = 12.6 M cells of about 6.4 km;
#: one map is 100 MB and one spherical-harmonic pass takes seconds.
MAX_NSIDE = 1024

# Series for the geodetic latitude from the authalic one (Snyder eq. 3-18); the neglected
# e^8 terms are below 3e-9 rad (2 cm), and one Newton step on q (eq. 3-16) removes them.
_S2 = _E2 / 3.0 + 31.0 * _E2**2 / 180.0 + 517.0 * _E2**3 / 5040.0
_S4 = 23.0 * _E2**2 / 360.0 + 251.0 * _E2**3 / 3780.0
_S6 = 761.0 * _E2**3 / 45360.0


def authalic_latitude_deg(lat: npt.ArrayLike) -> FloatArray:
    """Return the authalic latitude (degrees) of geodetic latitudes (degrees).

    Examples
    --------
    >>> authalic_latitude_deg([0.0, 45.0, 90.0, -90.0]).round(6).tolist()
    [0.0, 44.871703, 90.0, -90.0]
    """
    sin_phi = np.sin(np.radians(np.asarray(lat, dtype=np.float64)))
    return np.degrees(np.arcsin(np.clip(_q(sin_phi) / _QP, -1.0, 1.0)))


def geodetic_latitude_deg(beta: npt.ArrayLike) -> FloatArray:
    """Return the geodetic latitude (degrees) of authalic latitudes (degrees).

    The inverse of :func:`authalic_latitude_deg` to better than 1e-10 degrees.

    Examples
    --------
    >>> geodetic_latitude_deg(authalic_latitude_deg([12.5, -89.9])).round(9).tolist()
    [12.5, -89.9]
    """
    b = np.radians(np.asarray(beta, dtype=np.float64))
    phi = b + _S2 * np.sin(2 * b) + _S4 * np.sin(4 * b) + _S6 * np.sin(6 * b)
    # One Newton step on q(phi) = qp sin(beta) where it is well conditioned (off the poles).
    s = np.sin(phi)
    c = np.cos(phi)
    w = 1.0 - _E2 * s * s
    with np.errstate(divide="ignore", invalid="ignore"):
        step = w * w / (2.0 * c) * ((_QP * np.sin(b) - _q(s)) / (1.0 - _E2))
    phi = np.where(np.abs(c) > 1e-6, phi + step, phi)
    return np.degrees(phi)


def cell_area_km2(nside: int) -> float:
    """Return the area of every cell on WGS84 (km²): the surface area / (12 nside²).

    Examples
    --------
    >>> round(cell_area_km2(128), 1)
    2594.3
    """
    return 4.0 * np.pi * AUTHALIC_RADIUS_M**2 / hp.nside2npix(_check_nside(nside)) / 1e6


def cell_spacing_km(nside: int) -> float:
    """Return a cell's typical width (km): the square root of its area.

    Examples
    --------
    >>> round(cell_spacing_km(128), 1), round(cell_spacing_km(512), 1)
    (50.9, 12.7)
    """
    return float(np.sqrt(cell_area_km2(nside)))


def _check_nside(nside: int) -> int:
    if not isinstance(nside, int | np.integer) or isinstance(nside, bool):
        raise OptionError(f"nside must be a power of two from 1 to {MAX_NSIDE}; got {nside!r}")
    if nside < 1 or nside > MAX_NSIDE or (int(nside) & (int(nside) - 1)):
        raise OptionError(f"nside must be a power of two from 1 to {MAX_NSIDE}; got {nside}")
    return int(nside)


def nside_for_spacing_km(spacing_km: float) -> int:
    """Return the nside whose cell width is nearest ``spacing_km`` (by ratio).

    Raises
    ------
    OptionError
        For a spacing that is not a positive number, or nearer a grid finer than
        :data:`MAX_NSIDE` (cells about 6.4 km wide) allows.

    Examples
    --------
    >>> nside_for_spacing_km(50.0), nside_for_spacing_km(25.0), nside_for_spacing_km(13.0)
    (128, 256, 512)
    >>> nside_for_spacing_km(1e4), nside_for_spacing_km(6.0)
    (1, 1024)
    >>> nside_for_spacing_km(4.0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rangemap.errors.OptionError: grid spacing must be at least 4.5 km (the finest grid, ...
    """
    finest = cell_spacing_km(MAX_NSIDE)
    if not isinstance(spacing_km, int | float) or not np.isfinite(spacing_km) or spacing_km <= 0:
        raise OptionError(f"grid spacing must be a positive number of km; got {spacing_km!r}")
    # Widths halve from one nside to the next: the nearest by ratio is within sqrt(2).
    if spacing_km < finest / np.sqrt(2.0):
        raise OptionError(
            f"grid spacing must be at least {finest / np.sqrt(2.0):.1f} km (the finest grid, "
            f"HEALPix nside {MAX_NSIDE}, has cells {finest:.1f} km wide); got {spacing_km:g}"
        )
    nside = 1
    while nside < MAX_NSIDE and cell_spacing_km(nside) / spacing_km > np.sqrt(2.0):
        nside *= 2
    return nside


def cell_centres(nside: int, cells: npt.ArrayLike | None = None) -> tuple[FloatArray, FloatArray]:
    """Return the geodetic (lat, lon) in degrees of cell centres (RING numbering).

    Parameters
    ----------
    nside : int
        A power of two up to :data:`MAX_NSIDE`.
    cells : array_like of int, optional
        Cell numbers; default every cell.

    Examples
    --------
    >>> lat, lon = cell_centres(1)
    >>> lat.round(4).tolist()[:5], lon.round(6).tolist()[:4]
    ([41.9379, 41.9379, 41.9379, 41.9379, 0.0], [45.0, 135.0, -135.0, -45.0])
    """
    n = _check_nside(nside)
    pix = np.arange(hp.nside2npix(n)) if cells is None else np.asarray(cells, dtype=np.int64)
    lon, beta = hp.pix2ang(n, pix, lonlat=True)
    lon = np.where(lon >= 180.0, lon - 360.0, lon)
    return geodetic_latitude_deg(beta), lon.astype(np.float64)


def cell_of(nside: int, *, lat: npt.ArrayLike, lon: npt.ArrayLike) -> IntArray:
    """Return the cell (RING numbering) holding each geodetic point.

    Examples
    --------
    >>> lat, lon = cell_centres(64, [5, 4000])
    >>> cell_of(64, lat=lat, lon=lon).tolist()
    [5, 4000]
    """
    n = _check_nside(nside)
    beta = authalic_latitude_deg(lat)
    return np.asarray(hp.ang2pix(n, np.asarray(lon, dtype=np.float64), beta, lonlat=True))


def cells_within(nside: int, geometry: BaseGeometry | None) -> IntArray:
    """Return the cells whose centre lies in a lon/lat geometry (edges count as inside).

    ``None`` means the whole globe.

    Examples
    --------
    >>> len(cells_within(8, None)), len(cells_within(8, shapely.box(-10, -10, 10, 10)))
    (768, 8)
    """
    n = _check_nside(nside)
    everything = np.arange(hp.nside2npix(n), dtype=np.int64)
    if geometry is None:
        return everything
    lat, lon = cell_centres(n, everything)
    xmin, ymin, xmax, ymax = geometry.bounds
    near = (lon >= xmin) & (lon <= xmax) & (lat >= ymin) & (lat <= ymax)
    shapely.prepare(geometry)
    inside = shapely.covers(geometry, shapely.points(lon[near], lat[near]))
    return everything[near][inside]


def cell_polygons(nside: int, cells: npt.ArrayLike, *, step: int = 2) -> npt.NDArray[np.object_]:
    """Return lon/lat polygons of cells: for maps and exports, not for membership.

    Each cell's edge is sampled at ``4 * step`` vertices (HEALPix edges are not straight in
    lon/lat); cells crossing the antimeridian come back as two-part MultiPolygons, and the
    eight cells touching a pole run along it.

    Examples
    --------
    >>> polys = cell_polygons(2, [0, 47])
    >>> [p.geom_type for p in polys], [round(p.bounds[3], 1) for p in polys]
    (['Polygon', 'Polygon'], [90.0, -41.9])
    >>> cell_polygons(1, [6])[0].geom_type  # crosses the antimeridian
    'MultiPolygon'
    """
    n = _check_nside(nside)
    pix = np.asarray(cells, dtype=np.int64)
    if pix.size == 0:
        return np.empty(0, dtype=object)
    xyz = hp.boundaries(n, pix, step=step)  # (cells, 3, 4 * step), or (3, k) for one
    xyz = xyz.reshape(pix.size, 3, -1)
    lon = np.degrees(np.arctan2(xyz[:, 1], xyz[:, 0]))
    beta = np.degrees(np.arcsin(np.clip(xyz[:, 2], -1.0, 1.0)))
    lat = geodetic_latitude_deg(beta)
    _, centre_lon = cell_centres(n, pix)
    # Unwrap every vertex to within 180 degrees of its cell's centre.
    lon = centre_lon[:, None] + (lon - centre_lon[:, None] + 180.0) % 360.0 - 180.0
    polys = shapely.polygons(np.stack([lon, lat], axis=-1))
    at_pole = np.abs(np.abs(lat) - 90.0) < 1e-9
    for i in np.flatnonzero(at_pole.any(axis=1)):  # run along the pole between neighbours
        x, y = lon[i], lat[i]
        k = int(np.flatnonzero(at_pole[i])[0])
        x = np.concatenate([x[:k], [x[k - 1], x[(k + 1) % x.size]], x[k + 1 :]])
        y = np.concatenate([y[:k], [y[k], y[k]], y[k + 1 :]])
        polys[i] = shapely.Polygon(np.column_stack([x, y]))
    west, _, east, _ = shapely.bounds(polys).T[[0, 1, 2, 3]]
    crossing = (west < -180.0) | (east > 180.0)
    world = shapely.box(-180.0, -90.0, 180.0, 90.0)
    for i in np.flatnonzero(crossing):
        p = polys[i]
        shift = 360.0 if west[i] < -180.0 else -360.0
        moved = shapely.transform(p, lambda c, s=shift: c + np.array([s, 0.0]))
        parts = shapely.get_parts([p.intersection(world), moved.intersection(world)])
        polys[i] = shapely.MultiPolygon([g for g in parts if g.geom_type == "Polygon"])
    return shapely.orient_polygons(polys)
