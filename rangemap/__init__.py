"""rangemap: exact geodesic range rings and coverage for intermediate-range missiles.

The public API, for notebooks and scripts (every function returns pandas or geopandas
objects in EPSG:4326 where it returns geometry), by the module that defines it:

- catalogue: :func:`load_catalogue`, :func:`load_claims`, :func:`find_system`,
  :func:`filter_systems`
- sites: :func:`load_sites`, :func:`resolve_sites`, :func:`parse_latlon`
- targets: :func:`load_targets`, :func:`load_countries`
- regions: :func:`region_polygon`
- rings: :func:`join_sites`, :func:`range_ring`, :func:`range_rings`
- polygons: :func:`ring_polygon`, :func:`geodesic_area_m2`
- reach: :func:`coverage_table`, :func:`coverage_area`, :func:`compare_sites`,
  :func:`settle_in_range`
- geojson: :func:`to_geojson`, :func:`dumps_geojson`
- geodesy: :func:`geodesic_distance_m`, :func:`ring_boundary`

Errors on bad input are :class:`RangemapError` subclasses.

The house (``docs/architecture.md`` draws it): imports point one way, down this list.

- ``errors``; then ``_io`` (files in and out), ``geodesy``, ``style``, ``geojson``;
- ``polygons``, ``catalogue``, ``sites``, ``targets``; then ``regions``, ``rings``;
- ``reach``, ``mapframe``; then ``layers``, ``mapview`` (with ``_leaflet``), ``_figtext``;
- ``formats``, ``figure``; then ``scenario`` (the spec); ``report`` (every output);
- ``cli`` and ``app.py`` on top.

Where a new family goes: flight physics (trajectories, flight and warning times) in
``flight.py`` beside ``rings`` (it uses ``geodesy`` and ``catalogue``); launch areas
(where a system must stand to reach a set of targets) in ``launch_areas.py`` beside
``reach``; deployments, inventories and "as of" dates in ``deployments.py`` beside
``catalogue`` and ``sites`` (data in, tables out); density maps and basing sweeps in
``density.py`` and ``sweep.py`` beside ``reach``. None of them imports a renderer; maps,
exports and figures of them go in ``layers``, ``mapview``, ``formats`` and ``figure``.

Names are imported on first use (PEP 562), so ``import rangemap`` and the command line
start without loading every dependency.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_EXPORTS = {
    "CatalogueError": "errors",
    "ExportError": "errors",
    "GeodesyError": "errors",
    "OptionError": "errors",
    "RangemapError": "errors",
    "ScenarioError": "errors",
    "SiteError": "errors",
    "TargetError": "errors",
    "filter_systems": "catalogue",
    "find_system": "catalogue",
    "load_catalogue": "catalogue",
    "load_claims": "catalogue",
    "load_sites": "sites",
    "parse_latlon": "sites",
    "resolve_sites": "sites",
    "load_countries": "targets",
    "load_targets": "targets",
    "region_polygon": "regions",
    "join_sites": "rings",
    "range_ring": "rings",
    "range_rings": "rings",
    "geodesic_area_m2": "polygons",
    "ring_polygon": "polygons",
    "compare_sites": "reach",
    "coverage_area": "reach",
    "coverage_table": "reach",
    "settle_in_range": "reach",
    "dumps_geojson": "geojson",
    "to_geojson": "geojson",
    "geodesic_distance_m": "geodesy",
    "ring_boundary": "geodesy",
}

__all__ = [
    "__version__",
    "CatalogueError",
    "ExportError",
    "GeodesyError",
    "OptionError",
    "RangemapError",
    "ScenarioError",
    "SiteError",
    "TargetError",
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

if TYPE_CHECKING:  # what type checkers and editors see; at run time, __getattr__ below
    from rangemap.catalogue import filter_systems, find_system, load_catalogue, load_claims
    from rangemap.errors import (
        CatalogueError,
        ExportError,
        GeodesyError,
        OptionError,
        RangemapError,
        ScenarioError,
        SiteError,
        TargetError,
    )
    from rangemap.geodesy import geodesic_distance_m, ring_boundary
    from rangemap.geojson import dumps_geojson, to_geojson
    from rangemap.polygons import geodesic_area_m2, ring_polygon
    from rangemap.reach import compare_sites, coverage_area, coverage_table, settle_in_range
    from rangemap.regions import region_polygon
    from rangemap.rings import join_sites, range_ring, range_rings
    from rangemap.sites import load_sites, parse_latlon, resolve_sites
    from rangemap.targets import load_countries, load_targets


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'rangemap' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"rangemap.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
