"""rangemap: exact geodesic range rings and coverage for intermediate-range missiles.

The public API, for notebooks and scripts (every function returns pandas or geopandas
objects in EPSG:4326 where it returns geometry), by the module that defines it:

- catalogue: :func:`load_catalogue`, :func:`find_system`, :func:`filter_systems`
- sources and claims: :func:`load_sources`, :func:`load_claims`, :func:`derive_figures`
- treaty: :func:`load_eliminated`, :func:`inf_class_of`
- deployments and inventories: :func:`load_deployments`, :func:`deployed_at`,
  :func:`deployment_rows`, :func:`changes_between`, :func:`load_inventory`
- sites: :func:`load_sites`, :func:`resolve_sites`, :func:`parse_latlon`
- targets: :func:`load_targets`, :func:`load_countries`
- regions: :func:`region_polygon`
- rings: :func:`join_sites`, :func:`range_ring`, :func:`range_rings`
- polygons: :func:`ring_polygon`, :func:`geodesic_area_m2`
- reach: :func:`coverage_table`, :func:`coverage_area`, :func:`compare_sites`,
  :func:`settle_in_range`
- geojson: :func:`to_geojson`, :func:`dumps_geojson`
- geodesy: :func:`geodesic_distance_m`, :func:`ring_boundary`
- flight times: :func:`flight_time_table`, :func:`site_isochrones`, :func:`rotating_rings`,
  :func:`rotating_footprint`, :func:`load_timings` (``flightgeo``); :func:`flight_times`,
  :func:`add_flight_times` (``flight``); :func:`min_energy` (``ballistics``)
- targets by name: :func:`resolve_targets`
- reverse questions: :func:`launch_areas`, :func:`launch_area`, :func:`clip_region`
  (``launch``); :func:`reach_from`, :func:`reach_from_systems`, :func:`country_region`,
  :func:`region_distance_km` (``regionreach``); :func:`threat_census`,
  :func:`threat_summary` (``threats``); their exports :func:`write_areas` (``formats``),
  :func:`area_figure` (``figure``)
- at scale: :func:`load_settlements`, :func:`load_population_raster`,
  :func:`load_population_points`, :func:`population_in_range` (``population``);
  :func:`threat_density` (``density``); :func:`basing_sweep`, :func:`sweep_many`
  (``sweep``); :func:`write_grid` (``gridfiles``); where they run: ``cluster`` (Dask)

Errors on bad input are :class:`RangemapError` subclasses.

The house (``docs/architecture.md`` draws it): imports point one way, down this list.

- ``errors``; then ``_io`` (files in and out), ``geodesy``, ``style``, ``geojson``,
  ``sources``, ``ballistics`` (the physical model);
- ``polygons``, ``claims``, ``treaty``, ``catalogue``, ``inventory``, ``sites``,
  ``targets``, ``flight`` (time models); then ``regions``, ``rings``, ``flightgeo``,
  ``regionreach``, ``launch``;
- ``reach``, ``mapframe``, ``deployments``, ``threats``; then ``layers``, ``mapview`` (with
  ``_leaflet``), ``_figtext``;
- ``formats``, ``figure``, ``bystate``; then ``scenario`` (the spec); ``report`` (every
  output);
- ``cli`` and ``app.py`` on top.

Density grids and basing sweeps live in ``density.py`` and ``sweep.py`` beside
``reach`` (on the equal-area ``grid`` and the Dask runner ``cluster``); neither imports a
renderer: their maps and files are in ``heatmap`` and ``formats``.

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
    "load_claims": "claims",
    "derive_figures": "claims",
    "load_sources": "sources",
    "load_eliminated": "treaty",
    "inf_class_of": "treaty",
    "load_inventory": "inventory",
    "load_deployments": "deployments",
    "deployed_at": "deployments",
    "deployment_rows": "deployments",
    "changes_between": "deployments",
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
    "min_energy": "ballistics",
    "add_flight_times": "flight",
    "flight_times": "flight",
    "flight_time_table": "flightgeo",
    "load_timings": "flightgeo",
    "rotating_footprint": "flightgeo",
    "rotating_rings": "flightgeo",
    "site_isochrones": "flightgeo",
    "resolve_targets": "targets",
    "dumps_geojson": "geojson",
    "to_geojson": "geojson",
    "geodesic_distance_m": "geodesy",
    "ring_boundary": "geodesy",
    "launch_area": "launch",
    "launch_areas": "launch",
    "clip_region": "launch",
    "reach_from": "regionreach",
    "reach_from_systems": "regionreach",
    "country_region": "regionreach",
    "region_distance_km": "regionreach",
    "threat_census": "threats",
    "threat_summary": "threats",
    "write_areas": "formats",
    "area_figure": "figure",
    "load_settlements": "population",
    "load_population_raster": "population",
    "load_population_points": "population",
    "population_in_range": "population",
    "threat_density": "density",
    "basing_sweep": "sweep",
    "sweep_many": "sweep",
    "write_grid": "gridfiles",
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
    "changes_between",
    "compare_sites",
    "coverage_area",
    "coverage_table",
    "deployed_at",
    "deployment_rows",
    "derive_figures",
    "dumps_geojson",
    "filter_systems",
    "find_system",
    "geodesic_area_m2",
    "geodesic_distance_m",
    "inf_class_of",
    "join_sites",
    "add_flight_times",
    "flight_time_table",
    "flight_times",
    "load_timings",
    "min_energy",
    "resolve_targets",
    "rotating_footprint",
    "rotating_rings",
    "site_isochrones",
    "load_catalogue",
    "load_claims",
    "load_countries",
    "load_deployments",
    "load_eliminated",
    "load_inventory",
    "load_sites",
    "load_sources",
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
    "launch_area",
    "launch_areas",
    "clip_region",
    "reach_from",
    "reach_from_systems",
    "country_region",
    "region_distance_km",
    "threat_census",
    "threat_summary",
    "write_areas",
    "area_figure",
    "load_settlements",
    "load_population_raster",
    "load_population_points",
    "population_in_range",
    "threat_density",
    "basing_sweep",
    "sweep_many",
    "write_grid",
]

if TYPE_CHECKING:  # what type checkers and editors see; at run time, __getattr__ below
    from rangemap.ballistics import min_energy
    from rangemap.catalogue import filter_systems, find_system, load_catalogue
    from rangemap.claims import derive_figures, load_claims
    from rangemap.density import threat_density
    from rangemap.deployments import (
        changes_between,
        deployed_at,
        deployment_rows,
        load_deployments,
    )
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
    from rangemap.figure import area_figure
    from rangemap.flight import add_flight_times, flight_times
    from rangemap.flightgeo import (
        flight_time_table,
        load_timings,
        rotating_footprint,
        rotating_rings,
        site_isochrones,
    )
    from rangemap.formats import write_areas
    from rangemap.geodesy import geodesic_distance_m, ring_boundary
    from rangemap.geojson import dumps_geojson, to_geojson
    from rangemap.gridfiles import write_grid
    from rangemap.inventory import load_inventory
    from rangemap.launch import clip_region, launch_area, launch_areas
    from rangemap.polygons import geodesic_area_m2, ring_polygon
    from rangemap.population import (
        load_population_points,
        load_population_raster,
        load_settlements,
        population_in_range,
    )
    from rangemap.reach import compare_sites, coverage_area, coverage_table, settle_in_range
    from rangemap.regionreach import (
        country_region,
        reach_from,
        reach_from_systems,
        region_distance_km,
    )
    from rangemap.regions import region_polygon
    from rangemap.rings import join_sites, range_ring, range_rings
    from rangemap.sites import load_sites, parse_latlon, resolve_sites
    from rangemap.sources import load_sources
    from rangemap.sweep import basing_sweep, sweep_many
    from rangemap.targets import load_countries, load_targets, resolve_targets
    from rangemap.threats import threat_census, threat_summary
    from rangemap.treaty import inf_class_of, load_eliminated


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
