"""rangemap: exact geodesic range rings and coverage for intermediate-range missiles.

The public API, for notebooks and scripts (every function returns pandas or geopandas
objects in EPSG:4326 where it returns geometry):

- catalogue: :func:`load_catalogue`, :func:`load_claims`, :func:`find_system`,
  :func:`filter_systems`
- sites: :func:`load_sites`, :func:`resolve_sites`, :func:`parse_latlon`, :func:`join_sites`
- rings: :func:`range_ring`, :func:`range_rings`, :func:`ring_polygon`
- coverage: :func:`coverage_table`, :func:`coverage_area`, :func:`compare_sites`,
  :func:`settle_in_range`
- targets: :func:`load_targets`, :func:`load_countries`, :func:`region_polygon`
- export: :func:`to_geojson`, :func:`dumps_geojson`
- geodesy: :func:`geodesic_distance_m`, :func:`ring_boundary`, :func:`geodesic_area_m2`

Errors on bad input are :class:`RangemapError` subclasses.
"""

from __future__ import annotations

__version__ = "0.1.0"

from rangemap.catalogue import filter_systems, find_system, load_catalogue, load_claims
from rangemap.coverage import geodesic_area_m2, ring_polygon
from rangemap.errors import (
    CatalogueError,
    ExportError,
    GeodesyError,
    RangemapError,
    ScenarioError,
    SiteError,
    TargetError,
)
from rangemap.export import dumps_geojson, to_geojson
from rangemap.geodesy import geodesic_distance_m, ring_boundary
from rangemap.reach import compare_sites, coverage_area, coverage_table, settle_in_range
from rangemap.rings import range_ring, range_rings
from rangemap.sites import join_sites, load_sites, parse_latlon, resolve_sites
from rangemap.targets import load_countries, load_targets, region_polygon

__all__ = [
    "CatalogueError",
    "ExportError",
    "GeodesyError",
    "RangemapError",
    "ScenarioError",
    "SiteError",
    "TargetError",
    "__version__",
    "compare_sites",
    "coverage_area",
    "coverage_table",
    "dumps_geojson",
    "filter_systems",
    "find_system",
    "geodesic_area_m2",
    "geodesic_distance_m",
    "join_sites",
    "load_catalogue",
    "load_claims",
    "load_countries",
    "load_sites",
    "load_targets",
    "parse_latlon",
    "range_ring",
    "range_rings",
    "region_polygon",
    "resolve_sites",
    "ring_boundary",
    "ring_polygon",
    "settle_in_range",
    "to_geojson",
]
