"""Map frames: region-centred projections, and lon/lat geometry projected into them.

A figure is drawn in a projection suited to its region, never Web Mercator:

- ``europe`` and ``east-asia``: Lambert azimuthal equal-area (or azimuthal equidistant)
  centred on the region's box, so areas (or distances from the centre) are true and rings
  keep their shape; the scale factor is 1 at the centre.
- ``world``: Equal Earth (equal-area, EPSG:8857's definition on WGS84); its scale varies.

Rings arrive as lon/lat polygons cut at the antimeridian (RFC 7946). Before projecting,
each geometry is *recentred*: pieces beyond the meridian opposite the map's centre are
shifted by 360 degrees and merged with their other half, so the cut disappears instead of
being stroked across the map. Each is then clipped to a spherical cap of 9,000 km around
the centre (the azimuthal projections are singular at the antipode), densified to 0.25
degrees so long straight lon/lat edges bend as they should, projected with pyproj and
clipped to the view.

Public functions
----------------
map_frame
    The projection, centre, scale and view of a region preset.
project_geometries
    Lon/lat geometries -> projected and clipped to a frame.
ring_outlines
    The true boundaries of rings, projected: no stroke along an antimeridian cut.
countries_in_frame, graticule_lines
    The shipped country outlines and a graticule, projected (cached per frame).
map_transformer
    The (cached) pyproj transformer from lon/lat to a frame's CRS.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from shapely.geometry import LineString, box
from shapely.geometry.base import BaseGeometry

from rangemap.errors import parse_option
from rangemap.polygons import WORLD, ring_polygon
from rangemap.regions import REGIONS, Region
from rangemap.targets import load_countries

__all__ = [
    "Frame",
    "Projection",
    "countries_in_frame",
    "graticule_lines",
    "map_frame",
    "map_transformer",
    "project_geometries",
    "ring_outlines",
]

#: Radius (m) of the cap around the centre that regional maps keep before projecting.
_CAP_M = 9_000_000.0
#: Longest straight lon/lat edge (degrees) left before projecting.
_DENSIFY_DEG = 0.25


class Projection(StrEnum):
    """Projections for regional maps (the world preset always uses Equal Earth)."""

    LAEA = "laea"
    AEQD = "aeqd"

    @classmethod
    def parse(cls, value: str | Projection) -> Projection:
        """Return the projection named ``value``; an unknown one lists the valid choices."""
        return parse_option(cls, value, what="projection")


@dataclass(frozen=True)
class Frame:
    """Where and how a region is drawn.

    Attributes
    ----------
    region : Region
    crs : pyproj.CRS
        The map's projected CRS (metres).
    lon0, lat0 : float
        Centre of the projection, degrees.
    bounds : tuple of float
        ``(xmin, ymin, xmax, ymax)`` of the view, projected metres.
    scale : float
        Scale factor along x at the scale bar's reference (1 at an azimuthal centre).
    kind : str
        ``laea``, ``aeqd`` or ``eqearth``.
    """

    region: Region
    crs: pyproj.CRS
    lon0: float
    lat0: float
    bounds: tuple[float, float, float, float]
    scale: float
    kind: str

    @property
    def aspect(self) -> float:
        """Height over width of the view."""
        xmin, ymin, xmax, ymax = self.bounds
        return (ymax - ymin) / (xmax - xmin)


@lru_cache(maxsize=16)
def map_frame(region: str | Region, projection: str | Projection = Projection.LAEA) -> Frame:
    """Return the projection and view of a region preset.

    Parameters
    ----------
    region : {"europe", "east-asia", "world"}
    projection : {"laea", "aeqd"}
        For regional presets; the world is always Equal Earth.

    Returns
    -------
    Frame

    Raises
    ------
    OptionError
        For an unknown region or projection.

    Examples
    --------
    >>> f = map_frame("east-asia")
    >>> f.kind, f.lon0, f.lat0, round(f.scale, 9)
    ('laea', 116.5, 22.5, 1.0)
    >>> map_frame("world").kind
    'eqearth'
    """
    reg = Region.parse(region)
    proj = Projection.parse(projection)
    if reg is Region.WORLD:
        crs = pyproj.CRS.from_proj4("+proj=eqearth +lon_0=0 +datum=WGS84 +units=m +no_defs")
        lon0 = lat0 = 0.0
        kind = "eqearth"
    else:
        west, south, east, north = REGIONS[reg]
        lon0, lat0 = (west + east) / 2.0, (south + north) / 2.0
        kind = proj.value
        crs = pyproj.CRS.from_proj4(
            f"+proj={kind} +lat_0={lat0:g} +lon_0={lon0:g} +datum=WGS84 +units=m +no_defs"
        )
    factors = pyproj.Proj(crs).get_factors(lon0, lat0)
    frame = Frame(region=reg, crs=crs, lon0=lon0, lat0=lat0, bounds=(0.0, 0.0, 1.0, 1.0),
                  scale=float(factors.parallel_scale), kind=kind)  # fmt: skip
    outline = WORLD if reg is Region.WORLD else box(*REGIONS[reg])
    projected = _to_plane(outline, frame)
    xmin, ymin, xmax, ymax = projected.bounds
    pad = 0.02 * max(xmax - xmin, ymax - ymin) if reg is not Region.WORLD else 0.0
    return Frame(region=reg, crs=crs, lon0=lon0, lat0=lat0, scale=frame.scale, kind=kind,
                 bounds=(xmin - pad, ymin - pad, xmax + pad, ymax + pad))  # fmt: skip


def _recentre(geom: BaseGeometry, lon0: float) -> BaseGeometry:
    """Move the parts beyond the meridian opposite ``lon0`` by 360 degrees and merge."""
    if lon0 == 0.0 or geom.is_empty:
        return geom
    if lon0 > 0:
        edge = lon0 - 180.0
        keep, move, shift = box(edge, -90, 180, 90), box(-180, -90, edge, 90), 360.0
    else:
        edge = lon0 + 180.0
        keep, move, shift = box(-180, -90, edge, 90), box(edge, -90, 180, 90), -360.0
    moved = geom.intersection(move)
    if moved.is_empty:
        return geom
    kept = geom.intersection(keep)
    return shapely.union_all([kept, shapely.affinity.translate(moved, xoff=shift)])


@lru_cache(maxsize=16)
def map_transformer(crs: pyproj.CRS) -> pyproj.Transformer:
    """Return the pyproj transformer from lon/lat (EPSG:4326, x = lon) to ``crs`` (cached)."""
    return pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)


@lru_cache(maxsize=16)
def _cap(lat0: float, lon0: float) -> BaseGeometry:
    return _recentre(ring_polygon(lat=lat0, lon=lon0, radius_m=_CAP_M), lon0)


def _to_plane(geom: BaseGeometry, frame: Frame) -> BaseGeometry:
    """Recentre, clip to the cap, densify and project one lon/lat geometry."""
    if geom is None or geom.is_empty:
        return shapely.Polygon()
    g = _recentre(geom, frame.lon0)
    if frame.kind != "eqearth":
        g = g.intersection(_cap(frame.lat0, frame.lon0))
        if g.is_empty:
            return g
    g = shapely.segmentize(g, _DENSIFY_DEG)
    tr = map_transformer(frame.crs)

    def fwd(xy: np.ndarray) -> np.ndarray:
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(g, fwd)


#: The lines where :mod:`rangemap.polygons` cuts rings (antimeridian) or closes them
#: (poles): edges of the lon/lat plane, not of the ring.
_PLANE_EDGES = shapely.MultiLineString(
    [[(180, -90), (180, 90)], [(-180, -90), (-180, 90)], [(-180, 90), (180, 90)],
     [(-180, -90), (180, -90)]]
)  # fmt: skip


def ring_outlines(geoms: Iterable[BaseGeometry], frame: Frame) -> list[BaseGeometry]:
    """Project the true boundaries of lon/lat rings: no stroke along a cut.

    A ring cut at the antimeridian (or closed along a pole's edge) has polygon edges on
    those lines; they are removed before projecting, so a world map does not outline its
    own edge and a regional map shows no seam.

    Examples
    --------
    >>> from rangemap.polygons import ring_polygon
    >>> ring = ring_polygon(lat=-17.7, lon=178.1, radius_m=1e6)
    >>> world = map_frame("world")
    >>> outline = ring_outlines([ring], world)[0]
    >>> outline.geom_type, round(outline.length / 1e3) < 6400  # circumference, no seam
    ('MultiLineString', True)
    """
    lines = []
    for geom in geoms:
        if geom is None or geom.is_empty:
            lines.append(shapely.LineString())
            continue
        lines.append(shapely.line_merge(geom.boundary.difference(_PLANE_EDGES)))
    return project_geometries(lines, frame)


def project_geometries(geoms: Iterable[BaseGeometry], frame: Frame) -> list[BaseGeometry]:
    """Project lon/lat geometries into a frame, clipped to its view.

    Parameters
    ----------
    geoms : iterable of shapely geometries
        Lon/lat degrees, cut at the antimeridian or not.
    frame : Frame
        From :func:`map_frame`.

    Returns
    -------
    list of shapely geometries
        In the frame's metres; empty where nothing is in view.

    Examples
    --------
    >>> from rangemap.polygons import ring_polygon
    >>> ring = ring_polygon(lat=13.48, lon=144.75, radius_m=4e6)  # crosses 180 degrees
    >>> ring.geom_type, project_geometries([ring], map_frame("east-asia"))[0].geom_type
    ('MultiPolygon', 'Polygon')
    """
    xmin, ymin, xmax, ymax = frame.bounds
    pad = 0.01 * (xmax - xmin)
    view = box(xmin - pad, ymin - pad, xmax + pad, ymax + pad)
    out = []
    for geom in geoms:
        g = _to_plane(geom, frame)
        if not g.is_empty and frame.kind != "eqearth":
            g = g.intersection(view)
        out.append(g)
    return out


@lru_cache(maxsize=8)
def countries_in_frame(frame: Frame) -> gpd.GeoSeries:
    """Project the shipped country outlines into a frame (cached per frame)."""
    geoms = project_geometries(load_countries().geometry, frame)
    return gpd.GeoSeries([g for g in geoms if not g.is_empty])


def graticule_lines(frame: Frame) -> gpd.GeoSeries:
    """Project meridians and parallels (every 10 degrees, 30 for the world) into a frame."""
    step = 30 if frame.region is Region.WORLD else 10
    lines: list[BaseGeometry] = []
    lat_max = 90 if frame.region is Region.WORLD else 80
    for lon in range(-180, 181, step):
        lines.append(LineString([(lon, -lat_max), (lon, lat_max)]))
    for lat in range(-90 + step, 90, step):
        lines.append(LineString([(-180, lat), (180, lat)]))
    return gpd.GeoSeries([g for g in project_geometries(lines, frame) if not g.is_empty])
