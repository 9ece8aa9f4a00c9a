"""Gained, lost and shared reach between two launch sites, as polygons.

The dashboard's Compare tab tabulates what each pair of sites reaches
(:func:`rangemap.reach.compare_sites`); this module gives the same split as areas to
draw: moving a system's launchers from site A to site B *gains* what only B reaches,
*loses* what only A reaches, and keeps what both reach (*shared*).

Public names
------------
gain_loss
    For one range band, the gained, lost and shared areas of two sites' rings, optionally
    clipped to a region preset (:mod:`rangemap.regions`), as a GeoDataFrame.
CHANGES, GAIN_LOSS_COLUMNS
    The three changes, in row order, and the columns of :func:`gain_loss`.

The polygons are set operations on the exact ring polygons (split at the antimeridian,
as every ring is, so a ring around Guam stays whole), and the areas are ellipsoidal, as
in :func:`rangemap.reach.compare_sites`, with which they agree.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

from rangemap.errors import OptionError, SiteError
from rangemap.polygons import geodesic_area_m2
from rangemap.regions import Region, region_polygon

__all__ = ["CHANGES", "GAIN_LOSS_COLUMNS", "gain_loss"]

#: The rows of :func:`gain_loss`, in order: reached from B only, from A only, from both.
CHANGES = ("gained", "lost", "shared")

#: The columns of :func:`gain_loss`, before its ``geometry``.
GAIN_LOSS_COLUMNS = ("change", "site_a", "site_b", "band", "systems", "region", "area_km2")


def _polygonal(geom: shapely.Geometry) -> Polygon | MultiPolygon:
    """Keep the polygons of a set operation's result (touching rings leave lines, points)."""
    parts = [
        p for p in shapely.get_parts(geom) if isinstance(p, Polygon | MultiPolygon) and p.area > 0
    ]
    if not parts:
        return Polygon()
    merged = shapely.union_all(parts)
    return merged if isinstance(merged, Polygon | MultiPolygon) else Polygon()


def _site_union(rings: pd.DataFrame, site_id: str) -> shapely.Geometry:
    """Union of one site's rings (any number of systems), or an empty polygon."""
    geoms = [g for g in rings.loc[rings["site_id"] == site_id].geometry if not g.is_empty]
    return shapely.union_all(geoms) if geoms else Polygon()


def gain_loss(
    rings: gpd.GeoDataFrame,
    *,
    site_a: str,
    site_b: str,
    band: str | None = "nominal",
    region: str | Region | None = None,
) -> gpd.GeoDataFrame:
    """Split two sites' reach in one band into gained, lost and shared areas.

    Parameters
    ----------
    rings : geopandas.GeoDataFrame
        Rings of :func:`rangemap.rings.range_rings` (or ``rings_for``) holding both sites;
        the rings of every system at a site in ``band`` are pooled, and the minimum-range
        holes they carry are honoured.
    site_a, site_b : str
        Site ids (``site_id``): from A (the site given up) to B (the site moved to).
    band : str or None
        The one range band compared (``nominal``, ``low``, ``high`` or ``custom``): it
        must be among the rings' bands. ``None`` pools every band the rings hold, as
        :func:`rangemap.reach.compare_sites` does (the dashboard's chosen figures); the
        ``band`` column then lists them (``low, nominal, high``).
    region : {"europe", "east-asia", "world"}, optional
        Clip every area to this preset's polygon (as ``compare_sites`` does).

    Returns
    -------
    geopandas.GeoDataFrame
        Three rows in the order of :data:`CHANGES`, columns :data:`GAIN_LOSS_COLUMNS` and a
        lon/lat ``geometry`` (EPSG:4326; an empty polygon when nothing changes):
        ``gained`` is reached from B but not from A, ``lost`` from A but not from B,
        ``shared`` from both. ``site_a``/``site_b`` are the sites' names, ``systems`` the
        pooled systems' names (``; ``), ``area_km2`` the ellipsoidal area. ``gained`` and
        ``lost`` equal ``area_b_only_km2`` and ``area_a_only_km2`` of
        :func:`rangemap.reach.compare_sites` for the same rings.

    Raises
    ------
    SiteError
        For a site id that is not among the rings' sites, or the same site twice.
    OptionError
        For a band that no ring has, listing the bands the rings have; for an unknown
        region.

    Examples
    --------
    500 km rings at 0,0 and 0,5 (555 km apart) overlap; from the first to the second:

    >>> from rangemap.rings import radius_rows, rings_for
    >>> from rangemap.sites import resolve_sites
    >>> rings = rings_for(radius_rows(resolve_sites(["A: 0,0", "B: 0,5"]), radius_km=500.0))
    >>> found = gain_loss(rings, site_a="a", site_b="b", band="custom")
    >>> found["change"].tolist(), found["area_km2"].round(-3).tolist()
    (['gained', 'lost', 'shared'], [526000.0, 526000.0, 259000.0])

    A ring across the antimeridian (DF-26 from Guam) against one that stops short of it:

    >>> from rangemap.rings import range_rings
    >>> ring = range_rings(["df-26"], ["guam", "13.5,130"])
    >>> gained = gain_loss(ring, site_a="13.5,130", site_b="guam").geometry.iloc[0]
    >>> gained.bounds[0] == -180.0, gained.bounds[2] == 180.0
    (True, True)
    """
    present = list(dict.fromkeys(rings["site_id"].astype(str))) if len(rings) else []
    for which, sid in (("site_a", site_a), ("site_b", site_b)):
        if str(sid) not in present:
            raise SiteError(f"gain_loss: {which} {sid!r} has no rings; the rings' sites are "
                            f"{', '.join(present) or 'none'}")  # fmt: skip
    if str(site_a) == str(site_b):
        raise SiteError(f"gain_loss: site_a and site_b are the same site, {site_a!r}")
    bands = list(dict.fromkeys(rings["band"].astype(str)))
    if band is not None and str(band) not in bands:
        raise OptionError(f"band must be one of {', '.join(bands)}; got {band!r}")
    area_poly = region_polygon(region) if region is not None else None
    chosen = rings if band is None else rings.loc[rings["band"].astype(str) == str(band)]
    union = {}
    for sid in (str(site_a), str(site_b)):
        u = _site_union(chosen, sid)
        union[sid] = shapely.intersection(u, area_poly) if area_poly is not None else u
    a, b = union[str(site_a)], union[str(site_b)]
    geoms = [
        _polygonal(shapely.difference(b, a)),
        _polygonal(shapely.difference(a, b)),
        _polygonal(shapely.intersection(a, b)),
    ]
    names = dict(zip(rings["site_id"].astype(str), rings["site"].astype(str), strict=True))
    systems = "; ".join(dict.fromkeys(chosen["system"].astype(str)))
    rows = [
        {
            "change": change,
            "site_a": names[str(site_a)],
            "site_b": names[str(site_b)],
            "band": ", ".join(bands) if band is None else str(band),
            "systems": systems,
            "region": "" if region is None else str(Region.parse(region)),
            "area_km2": geodesic_area_m2(geom) / 1e6,
            "geometry": geom,
        }
        for change, geom in zip(CHANGES, geoms, strict=True)
    ]
    return gpd.GeoDataFrame(
        rows, columns=[*GAIN_LOSS_COLUMNS, "geometry"], geometry="geometry", crs="EPSG:4326"
    )
