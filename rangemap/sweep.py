"""Basing sweeps: of every place a system could stand in an area, which reach the most.

For a range band, an *objective* and an area of candidate sites, every candidate on an
equal-area grid (:mod:`rangemap.grid`) is scored, and the best are returned with their
objective **recounted exactly** by geodesic distances.

Two stages, so that no step is brute force:

1. **Screen** (approximate, every candidate). The objective's points (settlements,
   capitals, targets, or land cells for area) are binned on the HEALPix grid and convolved
   with the range band (a disc, or an annulus with a minimum range) by spherical
   harmonics (healpy ``map2alm``/``alm2map``, band limit 3 nside - 1): one pass scores
   all 3.1 million candidates of a 13 km grid in seconds. It works on the authalic sphere
   (distances within about 0.5 % of the ellipsoid's) and its edges ring slightly, so it
   only ranks.
2. **Refine** (exact). The best ``refine`` candidates by screen (default 20 x top, at
   least 200) are recounted exactly: population, capitals and targets by
   :func:`rangemap.population.population_in_range` (every point decided by its exact
   WGS84 distance), area as the ellipsoidal area of the exact ring polygon intersected
   with the land. They are ranked by the exact value.

A candidate left out of the refine can still belong in the true top K when the screen
misranks it; the tests measure how often on sample grids against exact brute force
(:func:`exact_values` on every candidate) and the docs state the figure.

Objectives
----------
``population``
    Population of settlements >= 1,000 (GeoNames) in range, or a user's raster or points.
``capitals``
    National and territorial capitals in range (``data/cities.csv``).
``area``
    Land area in range (Natural Earth 1:110m land, km²).
``targets``
    A user's target list: how many are in range.

Public names
------------
Objective
    The objectives.
basing_sweep
    Top sites for one band (system figure or radius).
sweep_many
    The same for many scenarios (systems or radii) in one Dask graph.
exact_values
    The exact objective at given sites (the refine step, and brute force for tests).
objective_points, ObjectivePoints
    What an objective counts (points with counts, or the land).
SWEEP_METHOD_TEXT
    The method in one paragraph.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import geopandas as gpd
import healpy as hp
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from rangemap.catalogue import Band, band_radii_km, find_system, load_catalogue
from rangemap.cluster import Progress, run_chunks, scheduler_label
from rangemap.errors import OptionError, parse_option
from rangemap.geodesy import geodesic_distance_m
from rangemap.grid import (
    AUTHALIC_RADIUS_M,
    cell_area_km2,
    cell_centres,
    cell_of,
    cell_spacing_km,
    cells_within,
    nside_for_spacing_km,
)
from rangemap.launch import area_geometry, clip_region
from rangemap.polygons import geodesic_areas_m2, ring_polygons
from rangemap.population import (
    Population,
    load_settlements,
    population_in_range,
    settlements_frame,
)
from rangemap.targets import load_targets

__all__ = [
    "DEFAULT_GRID_KM",
    "SWEEP_COLUMNS",
    "SWEEP_METHOD_TEXT",
    "Objective",
    "ObjectivePoints",
    "SweepResult",
    "basing_sweep",
    "exact_values",
    "objective_points",
    "sweep_many",
]

FloatArray = npt.NDArray[np.float64]

#: Candidate spacing (km): HEALPix nside 512, 3.1 M cells over the globe, 12.7 km apart.
DEFAULT_GRID_KM = 13.0

#: Most sites one sweep returns, and most it recounts exactly.
MAX_TOP = 1_000
MAX_REFINE = 20_000

SWEEP_COLUMNS = (
    "rank", "lat", "lon", "objective", "value_exact", "value_screen", "near", "scenario",
    "system_id", "band", "radius_km", "min_radius_km", "cell",
)  # fmt: skip

SWEEP_METHOD_TEXT = (
    "Candidate sites are the centres of HEALPix cells (equal area on WGS84) in the chosen "
    "area. Every candidate is screened by a spherical-harmonic convolution of the "
    "objective's points with the range band on the authalic sphere; the best by screen "
    "are recounted exactly (each point decided by its WGS84 geodesic distance, "
    "GeographicLib; land area as the ellipsoidal area of the exact ring polygon on "
    "Natural Earth 1:110m land) and ranked by the exact value."
)


class Objective(StrEnum):
    """What a basing sweep maximises."""

    POPULATION = "population"
    CAPITALS = "capitals"
    AREA = "area"
    TARGETS = "targets"

    @classmethod
    def parse(cls, value: str | Objective) -> Objective:
        """Return the objective named ``value``; an unknown one lists the choices."""
        return parse_option(cls, value, what="objective")


@dataclass
class ObjectivePoints:
    """The objective's points (or, for area, its land geometry) and what to call them.

    Attributes
    ----------
    objective : Objective
    label : str
        What the values count.
    pop : Population or None
        Points with counts (None for area).
    land : shapely geometry or None
        The land (in the region) for area.
    """

    objective: Objective
    label: str
    pop: Population | None
    land: Any = None


@dataclass
class SweepResult:
    """What :func:`basing_sweep` returns.

    Attributes
    ----------
    top : pandas.DataFrame
        :data:`SWEEP_COLUMNS`, best first: ``value_exact`` is the exact objective,
        ``value_screen`` the screen's estimate, ``near`` the nearest settlement (a label).
    candidates : pandas.DataFrame
        ``cell, lat, lon, value_screen`` for every candidate (the heat map).
    label : str
        What the values count, e.g. "population of settlements ≥ 1,000 (GeoNames)".
    meta : dict
        ``nside, grid_km, n_candidates, n_refined, within, region, scheduler, method``.
    """

    top: pd.DataFrame
    candidates: pd.DataFrame
    label: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Scenario:
    name: str
    system_id: str
    band: str
    radius_km: float
    min_radius_km: float


def _scenarios(
    systems: Sequence[str], radii_km: Sequence[float], band: str | Band, min_radius_km: float
) -> list[_Scenario]:
    out: list[_Scenario] = []
    chosen = Band.parse(band)
    if systems:
        cat = load_catalogue()
        for key in systems:
            system = find_system(cat, key)
            bands = band_radii_km(system, chosen)
            if not bands:
                raise OptionError(f"{system['name']} has no {chosen.value} range figure")
            low = system.get("min_range_km")
            lo = float(low) if low is not None and not pd.isna(low) else 0.0
            for name, radius in bands:
                out.append(_Scenario(f"{system['name']} {name}", str(system["id"]), name,
                                     float(radius), lo))  # fmt: skip
    for radius in radii_km:
        r = float(radius)
        if not np.isfinite(r) or r < 1.0 or r > 19_000.0:
            raise OptionError(f"radius_km must be from 1 to 19,000 km; got {radius!r}")
        out.append(_Scenario(f"{r:,.0f} km", "", "", r, float(min_radius_km)))
    if not out:
        raise OptionError("give a system or a radius in km to sweep")
    for s in out:
        if not 0.0 <= s.min_radius_km < s.radius_km:
            raise OptionError(
                f"minimum range must be from 0 to below the range ({s.radius_km:g} km); "
                f"got {s.min_radius_km!r}"
            )
    return out


def objective_points(
    objective: str | Objective,
    region: str | None = None,
    population: Population | None = None,
    targets: gpd.GeoDataFrame | None = None,
) -> ObjectivePoints:
    """Return what an objective counts: its points (with counts), or for area the land.

    Parameters are as for :func:`sweep_many`.

    Examples
    --------
    >>> objective_points("capitals", region="POL").pop.total
    1.0
    """
    objective = Objective.parse(objective)
    area = None if region is None else area_geometry(region)[1]
    if objective is Objective.AREA:
        land = clip_region("land")[1]
        return ObjectivePoints(objective, "land area in range (Natural Earth 1:110m), km²", None,
                       land if area is None else land.intersection(area))  # fmt: skip
    if objective is Objective.POPULATION:
        pop = load_settlements() if population is None else population
        label = pop.label
        lat, lon, count = pop.lat, pop.lon, pop.count
    else:
        if objective is Objective.CAPITALS:
            frame = load_targets("capitals")
            label = "capitals in range"
        else:
            if targets is None or not len(targets):
                raise OptionError("the targets objective needs a target list (targets=)")
            frame, label = targets, "targets in range"
        lat = frame["lat"].to_numpy(dtype=float)
        lon = frame["lon"].to_numpy(dtype=float)
        count = np.ones(lat.size)
    if area is not None:
        keep = shapely.covers(area, shapely.points(lon, lat))
        lat, lon, count = lat[keep], lon[keep], count[keep]
    chosen = Population(lat=lat, lon=lon, count=count, label=label, source="sweep")
    return ObjectivePoints(objective, label, chosen)


def _legendre_disc(lmax: int, theta: float) -> FloatArray:
    """Funk-Hecke eigenvalues 2 pi * integral over [cos theta, 1] of P_l, l = 0..lmax."""
    x = np.cos(theta)
    p = np.empty(lmax + 2)
    p[0], p[1] = 1.0, x
    for ell in range(1, lmax + 1):
        p[ell + 1] = ((2 * ell + 1) * x * p[ell] - ell * p[ell - 1]) / (ell + 1)
    lam = np.empty(lmax + 1)
    lam[0] = 2.0 * np.pi * (1.0 - x)
    ells = np.arange(1, lmax + 1)
    lam[1:] = 2.0 * np.pi * (p[ells - 1] - p[ells + 1]) / (2 * ells + 1)
    return lam


def _weights_alm(points: ObjectivePoints, nside: int) -> npt.NDArray[np.complex128]:
    """Spherical-harmonic coefficients of the objective's density on the grid."""
    npix = hp.nside2npix(nside)
    if points.objective is Objective.AREA:
        lat, lon = cell_centres(nside)
        inside = np.zeros(npix)
        geom = points.land
        shapely.prepare(geom)
        inside[shapely.covers(geom, shapely.points(lon, lat))] = cell_area_km2(nside)
        weights = inside
    else:
        assert points.pop is not None
        cells = cell_of(nside, lat=points.pop.lat, lon=points.pop.lon)
        weights = np.bincount(cells, weights=points.pop.count, minlength=npix).astype(float)
    density = weights / hp.nside2pixarea(nside)
    return hp.map2alm(density, lmax=3 * nside - 1, iter=0)


def _screen_task(scenario: _Scenario, nside: int, alm: Any, cells: Any) -> FloatArray:
    """Screen one scenario: the convolved objective at the candidate cells."""
    lmax = 3 * nside - 1
    # Band limit smooths the band's edge; a Gaussian taper of one cell width keeps its
    # ringing from ranking a candidate by a side lobe.
    ells = np.arange(lmax + 1)
    sigma = np.sqrt(hp.nside2pixarea(nside))
    taper = np.exp(-0.5 * ells * (ells + 1) * sigma**2)
    kernel = _legendre_disc(lmax, scenario.radius_km * 1000.0 / AUTHALIC_RADIUS_M)
    if scenario.min_radius_km > 0:
        kernel = kernel - _legendre_disc(lmax, scenario.min_radius_km * 1000.0 / AUTHALIC_RADIUS_M)
    smoothed = hp.alm2map(hp.almxfl(alm, kernel * taper), nside, lmax=lmax)
    return np.asarray(smoothed[cells], dtype=float)


def exact_values(
    points: ObjectivePoints, *, lat: npt.ArrayLike, lon: npt.ArrayLike, radius_km: float,
    min_radius_km: float = 0.0,
) -> FloatArray:  # fmt: skip
    """Return the exact objective at sites (the refine step; brute force in tests).

    Parameters
    ----------
    points : ObjectivePoints
        From :func:`objective_points`.
    lat, lon : array_like
        Sites, degrees.
    radius_km, min_radius_km : float
        The band.
    """
    lat_a = np.atleast_1d(np.asarray(lat, dtype=float))
    lon_a = np.atleast_1d(np.asarray(lon, dtype=float))
    if points.objective is not Objective.AREA:
        assert points.pop is not None
        counts = population_in_range(points.pop, site_lat=lat_a, site_lon=lon_a,
                                     radius_km=radius_km, min_radius_km=min_radius_km,
                                     workers=1)  # fmt: skip
        return np.atleast_1d(counts)
    inner = None if min_radius_km <= 0 else np.full(lat_a.size, min_radius_km * 1000.0)
    rings = ring_polygons(lat=lat_a, lon=lon_a, radius_m=radius_km * 1000.0, min_radius_m=inner)
    land = points.land
    shapely.prepare(land)
    parts = shapely.intersection(np.asarray(rings, dtype=object), land)
    return geodesic_areas_m2(parts) / 1e6


def _refine_task(job: tuple[_Scenario, Any, Any], points: ObjectivePoints) -> FloatArray:
    scenario, lat, lon = job
    return exact_values(points, lat=lat, lon=lon, radius_km=scenario.radius_km,
                        min_radius_km=scenario.min_radius_km)  # fmt: skip


def _near(lat: FloatArray, lon: FloatArray) -> list[str]:
    """Name the nearest shipped settlement to each site, "Name, ISO3 (d km)" (a label)."""
    frame = settlements_frame()
    slat = frame["lat"].to_numpy(dtype=float)
    slon = frame["lon"].to_numpy(dtype=float)
    p1, l1 = np.radians(slat), np.radians(slon)
    out = []
    for la, lo in zip(lat, lon, strict=True):
        # The 32 nearest on the sphere hold the nearest on the ellipsoid (distances agree
        # within 0.6 %, and a label needs no more); exact distances among them.
        p0, l0 = np.radians(la), np.radians(lo)
        h = np.sin((p1 - p0) / 2) ** 2 + np.cos(p0) * np.cos(p1) * np.sin((l1 - l0) / 2) ** 2
        few = np.argpartition(h, min(32, h.size - 1))[:32]
        d = geodesic_distance_m(lat1=np.full(few.size, la), lon1=np.full(few.size, lo),
                                lat2=slat[few], lon2=slon[few])  # fmt: skip
        i = int(few[int(np.argmin(d))])
        out.append(f"{frame['name'].iat[i]}, {frame['country'].iat[i]} ({d.min() / 1000:,.0f} km)")
    return out


def _select(table: pd.DataFrame, top: int, min_separation_km: float) -> pd.DataFrame:
    """Best by exact value; with a separation, greedily skip sites too near a chosen one."""
    ordered = table.sort_values(["value_exact", "value_screen", "cell"],
                                ascending=[False, False, True], kind="stable")  # fmt: skip
    if min_separation_km <= 0:
        return ordered.head(top)
    chosen: list[int] = []
    lat = ordered["lat"].to_numpy()
    lon = ordered["lon"].to_numpy()
    for i in range(len(ordered)):
        if chosen:
            d = geodesic_distance_m(lat1=lat[chosen], lon1=lon[chosen],
                                    lat2=np.full(len(chosen), lat[i]),
                                    lon2=np.full(len(chosen), lon[i]))  # fmt: skip
            if (d < min_separation_km * 1000.0).any():
                continue
        chosen.append(i)
        if len(chosen) == top:
            break
    return ordered.iloc[chosen]


def sweep_many(
    *,
    systems: Sequence[str] = (),
    radii_km: Sequence[float] = (),
    band: str | Band = Band.NOMINAL,
    min_radius_km: float = 0.0,
    objective: str | Objective = Objective.POPULATION,
    region: str | None = None,
    within: str | None = "land",
    grid_km: float = DEFAULT_GRID_KM,
    top: int = 10,
    refine: int | None = None,
    min_separation_km: float = 0.0,
    population: Population | None = None,
    targets: gpd.GeoDataFrame | None = None,
    near: bool = True,
    scheduler: object = "local",
    on_progress: Progress | None = None,
) -> SweepResult:
    """Sweep candidate sites for many scenarios (systems and radii) in one Dask graph.

    Parameters
    ----------
    systems : sequence of str
        Catalogue systems (ids, names or aliases); each of its figures in ``band`` is a
        scenario, with the system's minimum range.
    radii_km : sequence of float
        Bare radii (km), each a scenario with ``min_radius_km``.
    band : {"nominal", "low", "high", "all"}
        Which published figures of the systems.
    objective : {"population", "capitals", "area", "targets"}
        What to maximise (see the module docstring).
    region : str, optional
        Count only the objective's points (or land) in this area: a preset, ``land``,
        ISO3 codes or names, or a GeoJSON file (:func:`rangemap.launch.area_geometry`).
        Default the world.
    within : str, optional
        Where candidates may stand, as ``region`` (default ``land``; None: anywhere).
    grid_km : float
        Candidate spacing, km (at least 6.4): the coarsest HEALPix grid no wider.
    top : int
        Sites per scenario, 1 to 1,000.
    refine : int, optional
        Candidates per scenario recounted exactly (default max(20 x top, 200)).
    min_separation_km : float
        Keep chosen sites at least this far apart (0: adjacent cells may all be chosen).
    population : Population, optional
        Points for ``population`` (default the shipped GeoNames settlements); e.g. from
        :func:`rangemap.population.load_population_raster`.
    targets : geopandas.GeoDataFrame, optional
        Points for ``targets`` (``lat``, ``lon``).
    near : bool
        Name the nearest settlement of each top site.
    scheduler : str or distributed.Client
        Where the work runs (:mod:`rangemap.cluster`).
    on_progress : callable, optional
        ``on_progress(done, total)``: screens, then exact recounts.

    Returns
    -------
    SweepResult
        ``top`` holds each scenario's best sites (``scenario`` names it).

    Raises
    ------
    OptionError
        For a bad objective, grid, band or radius, or a system with no figure.
    TargetError
        For an unknown area.
    """
    goal = Objective.parse(objective)
    if not 1 <= int(top) <= MAX_TOP:
        raise OptionError(f"top must be from 1 to {MAX_TOP:,}; got {top!r}")
    n_refine = max(20 * int(top), 200) if refine is None else int(refine)
    if not int(top) <= n_refine <= MAX_REFINE:
        raise OptionError(f"refine must be from top ({top}) to {MAX_REFINE:,}; got {refine!r}")
    scenarios = _scenarios(systems, radii_km, band, min_radius_km)
    nside = nside_for_spacing_km(grid_km)
    within_label, within_geom = ("anywhere", None) if within is None else area_geometry(within)
    cells = cells_within(nside, within_geom)
    if cells.size == 0:
        raise OptionError(f"no candidate cell centre lies in {within_label} at {grid_km:g} km")
    points = objective_points(goal, region, population, targets)
    total = 1 + 2 * len(scenarios)
    done = [0]

    def tick(*_: int) -> None:
        done[0] += 1
        if on_progress is not None:
            on_progress(done[0], total)

    (alm,) = run_chunks(_weights_alm, [points], shared=[nside], scheduler=scheduler,
                        on_progress=tick)  # fmt: skip
    screens = run_chunks(_screen_task, scenarios, shared=[nside, alm, cells],
                         scheduler=scheduler, on_progress=tick)  # fmt: skip
    lat, lon = cell_centres(nside, cells)
    jobs, picks = [], []
    for scenario, values in zip(scenarios, screens, strict=True):
        k = min(n_refine, cells.size)
        pick = np.argpartition(-values, k - 1)[:k] if k < cells.size else np.arange(cells.size)
        picks.append(pick)
        jobs.append((scenario, lat[pick], lon[pick]))
    exact = run_chunks(_refine_task, jobs, shared=[points], scheduler=scheduler,
                       on_progress=tick)  # fmt: skip
    tables = []
    for scenario, values, pick, value in zip(scenarios, screens, picks, exact, strict=True):
        table = pd.DataFrame({
            "lat": lat[pick], "lon": lon[pick], "value_exact": value,
            "value_screen": values[pick], "cell": cells[pick],
        })  # fmt: skip
        best = _select(table, int(top), float(min_separation_km)).reset_index(drop=True)
        tables.append(best.assign(
            rank=np.arange(1, len(best) + 1), objective=goal.value, scenario=scenario.name,
            system_id=scenario.system_id, band=scenario.band, radius_km=scenario.radius_km,
            min_radius_km=scenario.min_radius_km,
        ))  # fmt: skip
    top_table = pd.concat(tables, ignore_index=True)
    top_table["near"] = _near(top_table["lat"].to_numpy(), top_table["lon"].to_numpy()) \
        if near and len(top_table) else ""  # fmt: skip
    candidates = pd.DataFrame({"cell": cells, "lat": lat, "lon": lon, "value_screen": screens[0]})
    return SweepResult(
        top=top_table[list(SWEEP_COLUMNS)],
        candidates=candidates,
        label=points.label,
        meta={
            "nside": nside,
            "grid_km": round(cell_spacing_km(nside), 1),
            "n_candidates": int(cells.size),
            "n_refined": int(min(n_refine, cells.size)),
            "within": within_label,
            "region": region or "world",
            "scheduler": scheduler_label(scheduler),
            "method": SWEEP_METHOD_TEXT,
        },
    )


def basing_sweep(
    *,
    system: str | None = None,
    radius_km: float | None = None,
    **options: Any,
) -> SweepResult:
    """Return the top candidate sites for one system (its nominal figure) or one radius.

    Takes the options of :func:`sweep_many` (``band``, ``min_radius_km``, ``objective``,
    ``region``, ``within``, ``grid_km``, ``top``, ``refine``, ``min_separation_km``,
    ``population``, ``targets``, ``near``, ``scheduler``, ``on_progress``).

    Examples
    --------
    >>> r = basing_sweep(radius_km=1000, objective="capitals", within="POL", grid_km=100,
    ...                  top=3, scheduler="serial", near=False)
    >>> r.top[["rank", "objective"]].values.tolist()
    [[1, 'capitals'], [2, 'capitals'], [3, 'capitals']]
    >>> bool((r.top["value_exact"].diff().dropna() <= 0).all()), r.label
    (True, 'capitals in range')
    """
    if (system is None) == (radius_km is None):
        raise OptionError("give exactly one of system= or radius_km=")
    return sweep_many(
        systems=() if system is None else [system],
        radii_km=() if radius_km is None else [float(radius_km)],
        **options,
    )
