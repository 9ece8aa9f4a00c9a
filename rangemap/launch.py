"""Launch areas: where a system must be based to reach every one of a set of targets.

Geodesic distance is symmetric, so the points from which a missile with range band
[r, R] reaches a target T are the points within [r, R] of T: the target's own ring.
The launch area for targets T1..Tn is the intersection of their rings; with
``at_least=K``, the points inside at least K of them. Both are built from the exact rings
of :mod:`rangemap.polygons` (boundaries within 50 m of the true curves, split at the
antimeridian, closed around poles) with boolean operations in the lon/lat plane, where
every ring is represented exactly, so the result is as exact as the rings:

- all n: ``A1 & A2 & ... & An``;
- at least K of n: ``L_j`` (points in at least j rings so far) is updated ring by ring,
  ``L_j = L_j | (L_{j-1} & A_i)`` for j = K..1, with ``L_0`` the whole globe: n * K
  boolean operations, never the C(n, K) subsets.

An empty intersection is an empty geometry (reported, never drawn as the "full
envelope"); radii past the antipodal distance make the whole globe. Clipping keeps the
part on land, at sea, or in named countries (the shipped Natural Earth 1:110m outlines).

Public functions
----------------
launch_area
    (Multi)Polygon of the points within a band of all (or K) targets.
launch_areas
    One feature per (system, band) or per band in km, with its targets and method.
clip_region
    The land, the sea, or named countries as one geometry to clip to.
area_geometry
    Any area a user can name: a region preset, land, sea, countries or a GeoJSON file.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from rangemap.catalogue import band_radii_km
from rangemap.errors import GeodesyError, TargetError
from rangemap.geodesy import DEFAULT_TOLERANCE_M, METHOD_TEXT
from rangemap.polygons import WORLD, Geometry, _polygonal, geodesic_area_m2, ring_polygons
from rangemap.regionreach import country_region, load_region
from rangemap.regions import Region, region_polygon
from rangemap.targets import load_countries

__all__ = [
    "LAUNCH_METHOD_TEXT",
    "MAX_LAUNCH_TARGETS",
    "area_geometry",
    "clip_region",
    "launch_area",
    "launch_areas",
]

#: Targets one launch area takes (the at-least-K update costs targets x K operations).
MAX_LAUNCH_TARGETS = 200

#: One sentence on the method, quoted in exports, figures and methods notes.
LAUNCH_METHOD_TEXT = (
    "Launch area: the points whose geodesic distance to every target (or to at least K) "
    "lies in the range band, the intersection of the targets' own rings. " + METHOD_TEXT
)

_COLUMNS = [
    "system_id", "system", "band", "radius_km", "min_radius_km", "targets", "n_targets",
    "at_least", "clip", "area_km2", "whole_globe", "method",
]  # fmt: skip


def launch_area(
    *,
    lat: npt.ArrayLike,
    lon: npt.ArrayLike,
    radius_km: float,
    min_radius_km: float = 0.0,
    at_least: int | None = None,
    clip: Geometry | None = None,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> Geometry:
    """Points whose geodesic distance to every target (or ``at_least`` of them) is in band.

    Parameters
    ----------
    lat, lon : array_like
        Targets in degrees; 1 to :data:`MAX_LAUNCH_TARGETS` of them.
    radius_km : float
        Largest range (km), >= 1. Past half a meridian (20,004 km) a ring is the globe.
    min_radius_km : float
        Minimum range (km): 0, or in [1, radius_km).
    at_least : int, optional
        Points reaching at least this many targets (1..n); default all of them.
    clip : shapely geometry, optional
        Keep only the part inside it (see :func:`clip_region`).
    tolerance_m : float
        Ring boundary tolerance (m).

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        Lon/lat, split at the antimeridian, valid; empty when no point qualifies.

    Raises
    ------
    GeodesyError
        On bad targets, radii or ``at_least``.

    Examples
    --------
    A 4,000 km system, to reach Guam, Tokyo and Manila at once:

    >>> area = launch_area(lat=[13.44, 35.68, 14.60], lon=[144.79, 139.69, 120.98],
    ...                    radius_km=4000)
    >>> area.is_empty, area.is_valid
    (False, True)

    Two targets 12,000 km apart cannot both be within 5,000 km of one place:

    >>> launch_area(lat=[0, 0], lon=[0, 108], radius_km=5000).is_empty
    True
    """
    lat_a = np.atleast_1d(np.asarray(lat, dtype=np.float64))
    lon_a = np.atleast_1d(np.asarray(lon, dtype=np.float64))
    n = lat_a.shape[0]
    if n == 0 or n > MAX_LAUNCH_TARGETS or lon_a.shape[0] != n:
        raise GeodesyError(
            f"a launch area takes 1 to {MAX_LAUNCH_TARGETS} targets (lat and lon of one "
            f"length), got {n} latitudes and {lon_a.shape[0]} longitudes"
        )
    k = n if at_least is None else at_least
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= n:
        raise GeodesyError(f"at_least must be a whole number in [1, {n}], got {at_least!r}")
    try:
        outer_m, inner_m = float(radius_km) * 1000.0, float(min_radius_km) * 1000.0
    except (TypeError, ValueError):
        raise GeodesyError(
            f"radius_km and min_radius_km must be numbers, got {radius_km!r}, {min_radius_km!r}"
        ) from None
    rings = ring_polygons(lat=lat_a, lon=lon_a, radius_m=outer_m, min_radius_m=inner_m,
                          tolerance_m=tolerance_m)  # fmt: skip
    area = _at_least(rings, int(k))
    if clip is not None and not area.is_empty:
        area = area.intersection(clip)
    return _polygonal(area)


def _at_least(rings: Sequence[Geometry], k: int) -> Geometry:
    """Points inside at least ``k`` of ``rings`` (see the module notes)."""
    if k == len(rings):
        out: Geometry = rings[0]
        for ring in rings[1:]:
            if out.is_empty:
                break
            out = out.intersection(ring)
        return out
    layers: list[Geometry] = [WORLD] + [shapely.Polygon()] * k  # layers[j]: in >= j rings
    for i, ring in enumerate(rings):
        for j in range(min(i + 1, k), 0, -1):
            gained = layers[j - 1].intersection(ring)
            if not gained.is_empty:
                layers[j] = layers[j].union(gained)
    return layers[k]


def clip_region(spec: str) -> tuple[str, Geometry]:
    """Return the area to clip a launch area to: ``land``, ``sea``, or ISO3 codes/names.

    Parameters
    ----------
    spec : str
        ``land`` (every shipped country: ground-launched systems), ``sea`` (the rest of
        the globe: sea-launched systems), or comma-separated ISO3 codes or country names.

    Returns
    -------
    (str, shapely geometry)
        A label for the output and the area.

    Raises
    ------
    TargetError
        For an unknown country, with the closest names.

    Examples
    --------
    >>> label, area = clip_region("CHN,PRK")
    >>> label, area.geom_type
    ('China, North Korea', 'MultiPolygon')
    """
    key = str(spec).strip()
    if key.casefold() in ("land", "sea"):
        land = _land()
        if key.casefold() == "land":
            return "land (Natural Earth 1:110m)", _polygonal(land)
        return "sea (outside Natural Earth 1:110m land)", _polygonal(WORLD.difference(land))
    parts = [p.strip() for p in key.split(",") if p.strip()]
    if not parts:
        raise TargetError(f"--clip must be land, sea or ISO3 codes, got {spec!r}")
    found = [country_region(p) for p in parts]
    label = ", ".join(name for name, _ in found)
    return label, _polygonal(shapely.union_all([geom for _, geom in found]))


def area_geometry(spec: str) -> tuple[str, Geometry]:
    """Return an area a user names, for density cells and sweep candidates.

    Parameters
    ----------
    spec : str
        A region preset (``europe``, ``east-asia``, ``world``), anything
        :func:`clip_region` takes (``land``, ``sea``, ISO3 codes or country names,
        comma-separated), or the path of a GeoJSON polygon file (``.geojson``/``.json``).

    Returns
    -------
    (str, shapely geometry)
        A label and the lon/lat area.

    Raises
    ------
    TargetError
        For an unknown country or an unreadable file.

    Examples
    --------
    >>> area_geometry("europe")[1].bounds
    (-25.0, 34.0, 60.0, 72.0)
    >>> area_geometry("POL")[0]
    'Poland'
    """
    key = str(spec).strip()
    if key.casefold() in {r.value for r in Region}:
        return key.casefold(), region_polygon(key.casefold())
    if key.lower().endswith((".geojson", ".json")):
        return load_region(key)
    return clip_region(key)


@lru_cache(maxsize=1)
def _land() -> Geometry:
    """Every shipped country outline as one geometry (0.1 s to unite; shapely's are immutable)."""
    return shapely.union_all(list(load_countries().geometry))


def launch_areas(
    targets: pd.DataFrame,
    *,
    systems: pd.DataFrame | None = None,
    band: str = "nominal",
    radius_km: float | None = None,
    min_radius_km: float = 0.0,
    at_least: int | None = None,
    clip: str | None = None,
) -> gpd.GeoDataFrame:
    """Launch areas as a GeoDataFrame: one row per (system, band), or one for a band in km.

    Parameters
    ----------
    targets : pandas.DataFrame
        ``name, lat, lon`` (from :func:`rangemap.targets.resolve_targets`).
    systems : pandas.DataFrame, optional
        Catalogue rows; each gives its figures for ``band`` and its minimum range.
    band : {"nominal", "low", "high", "all"}
    radius_km, min_radius_km : float
        A band given in km instead of systems.
    at_least : int, optional
        As for :func:`launch_area`.
    clip : str, optional
        As for :func:`clip_region`.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``system_id, system, band, radius_km, min_radius_km, targets, n_targets,
        at_least, clip, area_km2, whole_globe, method``; rows with no qualifying place have
        an empty geometry and ``area_km2`` 0.

    Raises
    ------
    GeodesyError, TargetError, CatalogueError
        For bad targets, radii, bands or clip areas.

    Examples
    --------
    >>> from rangemap.targets import resolve_targets
    >>> t = resolve_targets(["Seoul", "Tokyo"])
    >>> areas = launch_areas(t, radius_km=1500, min_radius_km=300)
    >>> areas[["band", "radius_km", "targets"]].values.tolist()
    [['1,500 km', 1500.0, 'Seoul; Tokyo']]
    """
    if (systems is None) == (radius_km is None):
        raise GeodesyError("give either systems or radius_km for a launch area, not both")
    rows: list[tuple[str, str, str, float, float]] = []
    if systems is not None:
        for _, system in systems.iterrows():
            mini = float(system["min_range_km"])
            for band_name, radius in band_radii_km(system, band):
                rows.append((str(system["id"]), str(system["name"]), band_name, radius,
                             mini if np.isfinite(mini) else 0.0))  # fmt: skip
        if not rows:
            raise GeodesyError(f"no chosen system has a {band!r} range figure")
    else:
        assert radius_km is not None
        rows.append(("", "", f"{float(radius_km):,.0f} km", float(radius_km), float(min_radius_km)))
    clip_label, clip_area = clip_region(clip) if clip else ("", None)
    names = "; ".join(str(v) for v in targets["name"])
    lat, lon = targets["lat"].to_numpy(dtype=float), targets["lon"].to_numpy(dtype=float)
    k = len(targets) if at_least is None else at_least
    records, geoms = [], []
    for sid, name, band_name, radius, mini in rows:
        geom = launch_area(lat=lat, lon=lon, radius_km=radius, min_radius_km=mini,
                           at_least=at_least, clip=clip_area)  # fmt: skip
        geoms.append(geom)
        area_km2 = geodesic_area_m2(geom) / 1e6 if not geom.is_empty else 0.0
        records.append((sid, name, band_name, radius, mini if mini > 0 else np.nan, names,
                        len(targets), k, clip_label, area_km2, bool(geom.equals(WORLD)),
                        LAUNCH_METHOD_TEXT))  # fmt: skip
    frame = pd.DataFrame.from_records(records, columns=_COLUMNS)
    return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")
