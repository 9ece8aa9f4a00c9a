"""Where by when: rotation-aware footprints, warning-time isochrones, flight-time tables.

The geometry of :mod:`rangemap.flight`'s time models, on the WGS84 ellipsoid:

- A **rotating footprint** ("egg") is the set of points a ballistic system reaches once
  Earth's rotation is counted (:func:`rangemap.ballistics.rotating_reach`): in the
  direction ``az`` from the site its geodesic radius is the published range times the
  model's reach factor for that direction, interpolated between 720 launch azimuths
  (within 1e-4 of the factor computed afresh, under 0.6 km at 5,500 km, far inside the
  model's own uncertainty). It is drawn like a ring (vertices refined to 50 m of that
  curve, split at the antimeridian, poles enclosed), so it is a valid RFC 7946 polygon.
- An **isochrone** for ``t`` minutes is the ring of points reached within ``t``: the
  time model inverted (:func:`rangemap.flight.isochrone_radii_km`), capped at the
  system's range, in two bounds: ``surely`` (the slow end of the interval) and
  ``possibly`` (the fast end). Isochrones do not model the rotation.
- A **flight-time table** answers "how long from this site to that target" for each
  system, with the exact distance and whether the target is in range.

Public names
------------
ROTATING_MODEL_TEXT
    The rotation model in words.
rotating_factor, rotating_footprint, rotating_rings
    Reach factor by direction; one footprint; footprints for ring rows.
isochrones, site_isochrones
    Warning-time isochrones for one system at one site (a catalogue row and a site row).
FLIGHT_TIME_COLUMNS, flight_time_table, load_timings, add_flight_times_for
    Flight times from sites to targets; the timings of a catalogue; a coverage table
    with its flight times.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from rangemap.ballistics import (
    EARTH_RADIUS_M,
    FlightError,
    inertial_min_energy,
    min_energy,
    rotating_reach,
)
from rangemap.catalogue import load_catalogue
from rangemap.flight import (
    TIME_COLUMNS,
    FlightModel,
    Timing,
    add_flight_times,
    flight_times,
    isochrone_radii_km,
    load_boost,
    load_speeds,
    timings_for,
)
from rangemap.geodesy import DEFAULT_TOLERANCE_M, MIN_RADIUS_M, WGS84, geodesic_distance_m
from rangemap.geodesy import footprint_boundary as _footprint_boundary
from rangemap.polygons import (
    Geometry,
    boundary_polygon,
    cut_out,
    geodesic_areas_m2,
    ring_polygons,
)
from rangemap.sources import load_sources

__all__ = [
    "FLIGHT_TIME_COLUMNS",
    "ROTATING_MODEL_TEXT",
    "add_flight_times_for",
    "flight_time_table",
    "isochrones",
    "load_timings",
    "rotating_factor",
    "rotating_footprint",
    "rotating_rings",
    "site_isochrones",
]

FloatArray = npt.NDArray[np.float64]

ROTATING_MODEL_TEXT = (
    "Rotation-aware reach (a model, opt-in): the published range is read as the "
    "minimum-energy range on a non-rotating Earth, which fixes the burnout speed relative "
    "to the ground; for each launch azimuth the burnout angle is optimised and the flight "
    "propagated as a Kepler orbit in an inertial frame (vacuum, spherical Earth), the "
    "impact point rotated back with the Earth. The reach factor by direction scales the "
    "WGS84 geodesic radius."
)

#: Launch azimuths sampled for a footprint; the factor is interpolated between them (it
#: varies by under 0.03 % between neighbours 0.5 degrees apart at 5,500 km).
_N_AZIMUTHS = 720

FLIGHT_TIME_COLUMNS = (
    "system", "site", "target", "distance_km", "range_km", "in_range", *TIME_COLUMNS,
    "burnout_speed_km_s", "note",
)  # fmt: skip


def rotating_factor(
    *, lat: float, lon: float, range_km: float
) -> Callable[[FloatArray], FloatArray]:
    """Reach factor by arrival azimuth (degrees) for a ballistic range at a site.

    Returns
    -------
    callable
        Azimuths from the site (degrees) -> reach factor (periodic linear interpolation of
        :func:`rangemap.ballistics.rotating_reach` at 720 launch azimuths).

    Raises
    ------
    FlightError
        For a range the rotating model cannot fly (see its Restrictions).

    Examples
    --------
    >>> f = rotating_factor(lat=40.0, lon=0.0, range_km=5528.0)
    >>> [round(float(x), 3) for x in f(np.array([0.0, 90.0, 270.0]))]
    [0.995, 1.075, 0.944]
    """
    if not (math.isfinite(range_km) and 0 < range_km * 1000.0 < math.pi * EARTH_RADIUS_M):
        raise FlightError(f"range_km must be in (0, {math.pi * EARTH_RADIUS_M / 1000:.0f}); "
                          f"got {range_km!r}")  # fmt: skip
    rr = rotating_reach(lat=lat, lon=lon, psi_rad=range_km * 1000.0 / EARTH_RADIUS_M,
                        n_azimuths=_N_AZIMUTHS)  # fmt: skip
    order = np.argsort(rr.arrival_azimuth_deg)
    azimuth, factor = rr.arrival_azimuth_deg[order], rr.factor[order]

    def at(azimuth_deg: FloatArray) -> FloatArray:
        return np.interp(np.asarray(azimuth_deg, dtype=np.float64) % 360.0, azimuth, factor,
                         period=360.0)  # fmt: skip

    return at


def rotating_footprint(
    *,
    lat: float,
    lon: float,
    range_km: float,
    min_range_km: float | None = None,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> Geometry:
    """Draw the rotation-aware footprint of a ballistic range at a site (lon/lat polygon).

    A minimum range is scaled by its own factor (its own, slower burnout speed).

    Raises
    ------
    FlightError, GeodesyError
        For a range the model cannot fly or a footprint past the direct method's span.

    Examples
    --------
    >>> egg = rotating_footprint(lat=40.0, lon=170.0, range_km=5500.0)
    >>> egg.geom_type, egg.is_valid, egg.bounds[2]
    ('MultiPolygon', True, 180.0)
    """
    factor = rotating_factor(lat=lat, lon=lon, range_km=range_km)
    outer = boundary_polygon(_footprint_boundary(
        lat=lat, lon=lon, radius_m_at=lambda az: range_km * 1000.0 * factor(az),
        tolerance_m=tolerance_m))  # fmt: skip
    if min_range_km is None or not math.isfinite(min_range_km) or min_range_km <= 0:
        return outer
    inner_factor = rotating_factor(lat=lat, lon=lon, range_km=min_range_km)
    inner = boundary_polygon(_footprint_boundary(
        lat=lat, lon=lon, radius_m_at=lambda az: min_range_km * 1000.0 * inner_factor(az),
        tolerance_m=tolerance_m))  # fmt: skip
    return cut_out(outer, inner)


def _check_ballistic(rows: pd.DataFrame, catalogue: pd.DataFrame) -> None:
    propulsion = dict(zip(catalogue["id"], catalogue["propulsion"], strict=True))
    names = dict(zip(catalogue["id"], catalogue["name"], strict=True))
    for sid in dict.fromkeys(rows["system_id"].astype(str)):
        kind = propulsion.get(sid, "")
        if kind != "ballistic":
            what = names.get(sid, sid) or "a bare radius"
            raise FlightError(f"the rotating model (--rotating) is for ballistic systems only; "
                              f"{what!r} is {kind or 'not a catalogue system'}")  # fmt: skip


def rotating_rings(
    rows: pd.DataFrame, catalogue: pd.DataFrame, *, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> gpd.GeoDataFrame:
    """Rotation-aware footprints for ring rows (:func:`rangemap.rings.join_sites`).

    Returns
    -------
    geopandas.GeoDataFrame
        The rows plus ``area_km2``, ``model`` and the footprint ``geometry``, EPSG:4326.

    Raises
    ------
    FlightError
        For a row whose system is not ballistic (a cruise missile, a bare radius).
    """
    _check_ballistic(rows, catalogue)
    frame = rows.copy().reset_index(drop=True)
    geoms = [
        rotating_footprint(lat=lat, lon=lon, range_km=km, min_range_km=mini,
                           tolerance_m=tolerance_m)
        for lat, lon, km, mini in zip(
            frame["lat"].astype(float), frame["lon"].astype(float),
            frame["radius_km"].astype(float), frame["min_radius_km"].astype(float), strict=True)
    ]  # fmt: skip
    frame["area_km2"] = np.round(geodesic_areas_m2(np.array(geoms, dtype=object)) / 1e6, 3)
    frame["model"] = "ballistic, minimum-energy, rotating Earth"
    return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")


def add_flight_times_for(
    table: pd.DataFrame, rings: pd.DataFrame, catalogue: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Add the flight-time columns of its rings' systems to a coverage table.

    See :func:`rangemap.flight.add_flight_times`; the timings come from the shipped
    speeds and boost tables for the systems of ``rings``.

    Examples
    --------
    >>> from rangemap.reach import coverage_table
    >>> from rangemap.rings import range_rings
    >>> from rangemap.targets import load_targets
    >>> rings = range_rings(["df-26"], ["guangdong-shaoguan"])
    >>> table = add_flight_times_for(coverage_table(rings, load_targets("capitals")), rings)
    >>> row = table.loc[table["target"] == "Tokyo"].iloc[0]
    >>> bool(row["in_range"]), row["model"], bool(row["flight_time_min_low"] > 10)
    (True, 'ballistic, minimum-energy', True)
    """
    cat = load_catalogue() if catalogue is None else catalogue
    ids = set(rings["system_id"].astype(str)) if "system_id" in rings else set()
    return add_flight_times(table, rings, load_timings(cat.loc[cat["id"].isin(ids)]))


def load_timings(catalogue: pd.DataFrame) -> dict[str, Timing]:
    """Every catalogue system's :class:`~rangemap.flight.Timing` (shipped speeds, boost)."""
    sources = load_sources()
    speeds, boost = load_speeds(sources=sources), load_boost(sources=sources)
    return timings_for(catalogue, speeds, boost)


def isochrones(
    *,
    timing: Timing,
    lat: float,
    lon: float,
    minutes: list[float],
    range_km: float,
    min_range_km: float | None = None,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> gpd.GeoDataFrame:
    """Warning-time isochrones: the areas reached within each of ``minutes``.

    Two features per time: ``bound`` ``surely`` (radius from the slow end of the time
    interval) and ``possibly`` (the fast end). A radius past the system's range is cut to
    it (``capped`` True); a time too short to reach 1 km gives no feature.

    Returns
    -------
    geopandas.GeoDataFrame
        ``minutes, bound, radius_km, capped, model``, the site's ``lat, lon`` and
        ``geometry`` (rings, annuli beyond a minimum range), EPSG:4326.

    Raises
    ------
    FlightError
        For a non-positive or non-finite time, or a system without a time model.

    Examples
    --------
    >>> t = Timing("x", FlightModel.BALLISTIC, (60.0, 120.0), (math.nan, math.nan), "")
    >>> iso = isochrones(timing=t, lat=10, lon=179, minutes=[15, 30], range_km=4000)
    >>> iso[["minutes", "bound", "capped"]].values.tolist()[:3]
    [[15.0, 'surely', False], [15.0, 'possibly', False], [30.0, 'surely', True]]
    """
    times = np.asarray(minutes, dtype=np.float64)
    if times.size == 0 or not np.all(np.isfinite(times)) or np.any(times <= 0):
        raise FlightError(f"minutes must be positive numbers; got {list(minutes)!r}")
    if timing.model is None or timing.why:
        raise FlightError(f"no flight times for {timing.system_id}: {timing.why or 'no model'}")
    surely, possibly = isochrone_radii_km(timing, times)
    rows = []
    for t, radii in zip(times, zip(surely, possibly, strict=True), strict=True):
        for bound, radius in zip(("surely", "possibly"), radii, strict=True):
            capped = bool(radius > range_km)
            r = min(float(radius), range_km)
            if r * 1000.0 < max(MIN_RADIUS_M, (min_range_km or 0.0) * 1000.0 + MIN_RADIUS_M):
                continue
            rows.append({"minutes": float(t), "bound": bound, "radius_km": round(r, 3),
                         "capped": capped, "model": timing.label, "lat": lat,
                         "lon": lon})  # fmt: skip
    columns = ["minutes", "bound", "radius_km", "capped", "model", "lat", "lon"]
    frame = pd.DataFrame(rows, columns=columns)
    inner = np.nan if not min_range_km else float(min_range_km) * 1000.0
    geoms = ring_polygons(lat=np.full(len(frame), lat), lon=np.full(len(frame), lon),
                          radius_m=frame["radius_km"].to_numpy() * 1000.0,
                          min_radius_m=np.full(len(frame), inner),
                          tolerance_m=tolerance_m) if len(frame) else []  # fmt: skip
    return gpd.GeoDataFrame(frame, geometry=list(geoms), crs="EPSG:4326")


def site_isochrones(
    system: pd.Series, site: pd.Series, minutes: list[float], timings: dict[str, Timing]
) -> gpd.GeoDataFrame:
    """Isochrones of a catalogue system at a site row, with ``system`` and ``site`` columns.

    Examples
    --------
    >>> from rangemap.catalogue import find_system, load_catalogue
    >>> from rangemap.sites import resolve_sites
    >>> cat = load_catalogue()
    >>> iso = site_isochrones(find_system(cat, "df-26"), resolve_sites(["guam"]).iloc[0],
    ...                       [10.0], load_timings(cat))
    >>> iso[["system", "minutes", "bound"]].values.tolist()
    [['DF-26', 10.0, 'surely'], ['DF-26', 10.0, 'possibly']]
    """
    mini = float(system["min_range_km"])
    iso = isochrones(timing=timings[str(system["id"])], lat=float(site["lat"]),
                     lon=float(site["lon"]), minutes=minutes, range_km=float(system["range_km"]),
                     min_range_km=mini if math.isfinite(mini) else None)  # fmt: skip
    iso.insert(0, "system", system["name"])
    iso.insert(1, "site", site["name"])
    return iso


def flight_time_table(
    *,
    systems: pd.DataFrame,
    sites: pd.DataFrame,
    targets: pd.DataFrame,
    timings: dict[str, Timing],
    rotating: bool = False,
) -> pd.DataFrame:
    """Flight times from every site to every target, for each system.

    ``in_range`` compares the exact WGS84 distance with the system's nominal range (and
    minimum range); with ``rotating`` it compares it with the rotation-aware radius in the
    target's direction, and the free flight is the inertial minimum-energy flight to the
    turning target (ballistic systems only).

    Returns
    -------
    pandas.DataFrame
        :data:`FLIGHT_TIME_COLUMNS`, systems in order, then sites, then targets.

    Raises
    ------
    FlightError
        With ``rotating`` for a system that is not ballistic.

    Examples
    --------
    >>> from rangemap.catalogue import find_systems, load_catalogue
    >>> from rangemap.sites import resolve_sites
    >>> from rangemap.targets import resolve_targets
    >>> cat = load_catalogue()
    >>> row = flight_time_table(systems=find_systems(cat, ["pershing-2"]),
    ...     sites=resolve_sites(["49.16,9.26"]), targets=resolve_targets(["Moscow"]),
    ...     timings=load_timings(cat)).iloc[0]
    >>> round(row["distance_km"]), bool(row["in_range"]), float(row["free_flight_min"])
    (2045, False, 11.8)
    """
    if rotating:
        _check_ballistic(systems.rename(columns={"id": "system_id"}), systems)
    parts = []
    t_lat, t_lon = targets["lat"].to_numpy(dtype=float), targets["lon"].to_numpy(dtype=float)
    for _, system in systems.iterrows():
        sid, range_km = str(system["id"]), float(system["range_km"])
        mini = float(system["min_range_km"]) if pd.notna(system["min_range_km"]) else 0.0
        timing = timings[sid]
        for _, site in sites.iterrows():
            lat, lon = float(site["lat"]), float(site["lon"])
            d_km = geodesic_distance_m(lat1=lat, lon1=lon, lat2=t_lat, lon2=t_lon) / 1000.0
            psi, limit = d_km * 1000.0 / EARTH_RADIUS_M, np.full(d_km.shape, range_km)
            if rotating:
                psi = np.array([inertial_min_energy(lat=lat, lon=lon, target_lat=a,
                                                    target_lon=b)[0]
                                for a, b in zip(t_lat, t_lon, strict=True)])  # fmt: skip
                n = t_lat.shape[0]
                az = np.asarray(WGS84.inv(np.full(n, lon), np.full(n, lat), t_lon, t_lat)[0])
                limit = range_km * rotating_factor(lat=lat, lon=lon, range_km=range_km)(az)
            times = flight_times(timing, d_km, range_angle_rad=psi)
            speed = np.full(d_km.shape, np.nan)
            if timing.model is FlightModel.BALLISTIC:
                safe = np.clip(psi, 0.0, np.pi * (1 - 1e-12))
                speed = np.asarray(min_energy(safe).speed_m_s) / 1000.0
            frame = pd.DataFrame({
                "system": system["name"], "site": site["name"],
                "target": targets["name"].to_numpy(),
                "distance_km": d_km.round(3), "range_km": range_km,
                "in_range": (d_km <= limit) & (d_km >= mini),
            })  # fmt: skip
            frame = pd.concat([frame, times], axis=1)
            if rotating:
                frame["model"] = frame["model"] + ", rotating Earth"
            frame["burnout_speed_km_s"] = speed.round(3)
            frame["note"] = timing.why
            parts.append(frame)
    if not parts:
        return pd.DataFrame(columns=list(FLIGHT_TIME_COLUMNS))
    out = pd.concat(parts, ignore_index=True)[list(FLIGHT_TIME_COLUMNS)]
    return out.round(dict.fromkeys(TIME_COLUMNS[1:-1], 1) | {"apogee_km": 0})
