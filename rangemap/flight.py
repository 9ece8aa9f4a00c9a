"""Flight and warning times: how long from launch to impact, and where by when.

Three stated models, one per propulsion (a system's ``propulsion`` picks it):

- **ballistic**: boost allowance + the minimum-energy free-flight time of
  :mod:`rangemap.ballistics` (vacuum, spherical Earth) over the WGS84 distance; the
  apogee and burnout speed come with it. ``rotating=True`` flies the minimum-energy
  trajectory in the inertial frame to the target as it turns with the Earth.
- **cruise**: distance / mean speed. The speed is a sourced figure (``data/speeds.csv``,
  phase ``cruise``), the spread of published speeds giving the interval. Routing around
  defences and terrain is out of scope: a cruise missile's real path is longer.
- **boost-glide**: boost allowance + distance / mean glide speed (phase ``glide``).

A Mach number is converted at 295.07 m/s (the ISA speed of sound from 11 to 20 km) for
the low speed and 340.29 m/s (ISA sea level) for the high one: the altitude a figure
means is seldom published, so the conversion widens the interval rather than guessing.
The boost allowance (``data/boost.csv``) is the published burn time of the system, else
of its class; it is *added* to a free flight over the whole distance, so the ground the
boost covers is counted twice and the upper time is conservative.

Every time is a low-high interval in minutes; every output names the model and says
"minimum-energy" for ballistic flight. Lofted and depressed trajectories, re-entry drag
and manoeuvring are out of scope.

Public names
------------
FLIGHT_MODEL_TEXT
    The models in words (methods note, README, popups' tooltips).
SPEED_COLUMNS, BOOST_COLUMNS, load_speeds, load_boost
    The sourced speeds and boost-phase times.
FlightModel, Timing, timing_for, timings_for
    Which model a system flies and its sourced parameters (one system; a catalogue).
flight_times, time_arrays, time_label
    Times (and apogee) for distances, as a table or arrays; the popup text.
TIME_COLUMNS, add_flight_times
    The time columns a coverage table gains.
isochrone_radii_km, parse_minutes, MAX_MINUTES
    The radii reached within given minutes (the inverse of the time model); minutes typed
    by a person (``"5,10,15"``), at most :data:`MAX_MINUTES` of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from rangemap._cells import cell, parse_choice, parse_float, parse_required
from rangemap._io import DATA_DIR, Source, cut_repr, read_table
from rangemap.ballistics import EARTH_RADIUS_M, FlightError, min_energy, min_energy_range_angle
from rangemap.catalogue import CLASSES
from rangemap.errors import CatalogueError
from rangemap.sources import SourceRefs, load_sources, parse_date

__all__ = [
    "BOOST_COLUMNS",
    "MAX_MINUTES",
    "FLIGHT_MODEL_TEXT",
    "SPEED_COLUMNS",
    "SPEED_PHASES",
    "SPEED_UNITS",
    "TIME_COLUMNS",
    "FlightModel",
    "Timing",
    "add_flight_times",
    "flight_times",
    "isochrone_radii_km",
    "load_boost",
    "load_speeds",
    "parse_minutes",
    "time_arrays",
    "time_label",
    "timing_for",
    "timings_for",
]

FloatArray = npt.NDArray[np.float64]

FLIGHT_MODEL_TEXT = (
    "Flight times are low-high intervals from stated models. Ballistic: a boost-phase "
    "allowance (the published burn time of the system or its class; where none is "
    "published, bounded from 0 to the longest published ICBM burn time) plus the free-flight "
    "time of the minimum-energy trajectory over the WGS84 distance, in a vacuum over a "
    "spherical Earth (R = 6,371.0088 km, mu = 3.986004418e14 m^3/s^2); lofted and "
    "depressed trajectories and re-entry drag are out of scope. Cruise: distance over the "
    "published mean speeds (route around defences and terrain out of scope). Boost-glide: "
    "boost allowance plus distance over the published mean glide speeds. A Mach number "
    "is converted at 295.07-340.29 m/s (ISA speed of sound, 11-20 km to sea level)."
)

SPEED_COLUMNS = (
    "system_id", "phase", "speed_low", "speed_high", "unit", "claimant", "sources", "date", "note",
)  # fmt: skip
BOOST_COLUMNS = (
    "scope", "boost_s_low", "boost_s_high", "propellant", "claimant", "sources", "date", "note",
)  # fmt: skip
#: ``cruise``/``glide``: a mean speed in that phase (these set the times); ``max`` and
#: ``terminal``: a top or impact speed, listed but not used as a mean.
SPEED_PHASES = ("cruise", "glide", "max", "terminal")
#: Metres per second per unit; Mach is a (low, high) pair (see the module docstring).
_UNIT_M_S: dict[str, tuple[float, float]] = {
    "mach": (295.07, 340.29),
    "kmh": (1 / 3.6, 1 / 3.6),
    "ms": (1.0, 1.0),
    "mph": (0.44704, 0.44704),
    "knots": (1852 / 3600, 1852 / 3600),
}
SPEED_UNITS = tuple(_UNIT_M_S)
#: The time columns a coverage or flight-time table carries.
TIME_COLUMNS = (
    "model", "free_flight_min", "boost_min_low", "boost_min_high",
    "flight_time_min_low", "flight_time_min_high", "apogee_km",
)  # fmt: skip


class FlightModel(StrEnum):
    """The time model a system flies, from its ``propulsion``."""

    BALLISTIC = "ballistic"
    CRUISE = "cruise"
    BOOST_GLIDE = "boost-glide"


#: Most isochrones one call draws.
MAX_MINUTES = 48


def parse_minutes(text: str) -> list[float]:
    """Parse comma-separated positive minutes (at most :data:`MAX_MINUTES` of them).

    Examples
    --------
    >>> parse_minutes("5, 10,15")
    [5.0, 10.0, 15.0]
    >>> parse_minutes("5,-1")
    Traceback (most recent call last):
    ...
    rangemap.ballistics.FlightError: minutes must be numbers in (0, 1440], got '-1'
    """
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    if not parts or len(parts) > MAX_MINUTES:
        raise FlightError(f"minutes: give 1 to {MAX_MINUTES} numbers, got {str(text)[:80]!r}")
    out = []
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and 0 < value <= 24 * 60):
            raise FlightError(f"minutes must be numbers in (0, 1440], got {part[:40]!r}")
        out.append(value)
    return out


def _positive(value: str) -> float:
    """Parse a required figure > 0 (a speed, a boost time)."""
    return parse_float(value, positive=True, allow_blank=False)


def load_speeds(
    source: Source | None = None,
    *,
    sources: pd.DataFrame | None = None,
    system_ids: set[str] | None = None,
    name: str | None = None,
) -> pd.DataFrame:
    """Read and validate the published speeds (``data/speeds.csv``).

    Returns
    -------
    pandas.DataFrame
        :data:`SPEED_COLUMNS` plus ``speed_m_s_low`` and ``speed_m_s_high`` (Mach at
        295.07 and 340.29 m/s) and ``urls``.

    Raises
    ------
    CatalogueError
        Naming file, line, column and value: an unknown unit or phase, low above high, a
        dangling source id, an unknown system.

    Examples
    --------
    >>> speeds = load_speeds()
    >>> bool((speeds["speed_m_s_low"] <= speeds["speed_m_s_high"]).all())
    True
    """
    refs = SourceRefs(load_sources() if sources is None else sources)
    table = read_table(DATA_DIR / "speeds.csv" if source is None else source,
                       required=SPEED_COLUMNS, error=CatalogueError, name=name)  # fmt: skip
    err = CatalogueError
    records = []
    for i in range(len(table.rows)):
        sid = cell(table, i, "system_id", parse_required, err)
        where = f"{table.name}, line {table.lines[i]}"
        if system_ids is not None and sid not in system_ids:
            raise err(f"{where}, column 'system_id': unknown system {cut_repr(sid)}")
        low, high = (
            cell(table, i, "speed_low", _positive, err),
            cell(table, i, "speed_high", _positive, err),
        )
        if low > high:
            raise err(f"{where}, column 'speed_low': {low!r} is above speed_high {high!r}")
        unit = cell(table, i, "unit", lambda v: parse_choice(v, SPEED_UNITS), err)
        ids = refs.ids(table, i, "sources", err, required=True)
        records.append({
            "system_id": sid,
            "phase": cell(table, i, "phase", lambda v: parse_choice(v, SPEED_PHASES), err),
            "speed_low": low, "speed_high": high, "unit": unit,
            "claimant": cell(table, i, "claimant", parse_required, err),
            "sources": " ".join(ids), "date": cell(table, i, "date", parse_date, err),
            "note": table.rows[i]["note"],
            "speed_m_s_low": low * _UNIT_M_S[unit][0], "speed_m_s_high": high * _UNIT_M_S[unit][1],
            "urls": " ".join(refs.urls(ids)),
        })  # fmt: skip
    columns = [*SPEED_COLUMNS, "speed_m_s_low", "speed_m_s_high", "urls"]
    return pd.DataFrame.from_records(records, columns=columns)


def load_boost(
    source: Source | None = None,
    *,
    sources: pd.DataFrame | None = None,
    system_ids: set[str] | None = None,
    name: str | None = None,
) -> pd.DataFrame:
    """Read and validate the published boost-phase times (``data/boost.csv``).

    ``scope`` is a class (:data:`rangemap.catalogue.CLASSES`) or a system id.

    Returns
    -------
    pandas.DataFrame
        :data:`BOOST_COLUMNS` (seconds as floats) plus ``urls``.

    Raises
    ------
    CatalogueError
        Naming file, line, column and value.

    Examples
    --------
    >>> boost = load_boost()
    >>> bool((boost["boost_s_low"] <= boost["boost_s_high"]).all())
    True
    """
    refs = SourceRefs(load_sources() if sources is None else sources)
    table = read_table(DATA_DIR / "boost.csv" if source is None else source,
                       required=BOOST_COLUMNS, error=CatalogueError, name=name)  # fmt: skip
    err = CatalogueError
    records = []
    for i in range(len(table.rows)):
        scope = cell(table, i, "scope", parse_required, err)
        where = f"{table.name}, line {table.lines[i]}"
        if scope not in CLASSES and system_ids is not None and scope not in system_ids:
            raise err(f"{where}, column 'scope': {cut_repr(scope)} is neither a class "
                      f"({', '.join(CLASSES)}) nor a system id")  # fmt: skip
        low = cell(table, i, "boost_s_low", _positive, err)
        high = cell(table, i, "boost_s_high", _positive, err)
        if low > high:
            raise err(f"{where}, column 'boost_s_low': {low!r} is above boost_s_high {high!r}")
        ids = refs.ids(table, i, "sources", err, required=True)
        records.append({
            "scope": scope, "boost_s_low": low, "boost_s_high": high,
            "propellant": cell(table, i, "propellant",
                               lambda v: v and parse_choice(v, ("solid", "liquid")), err),
            "claimant": cell(table, i, "claimant", parse_required, err),
            "sources": " ".join(ids), "date": cell(table, i, "date", parse_date, err),
            "note": table.rows[i]["note"], "urls": " ".join(refs.urls(ids)),
        })  # fmt: skip
    return pd.DataFrame.from_records(records, columns=[*BOOST_COLUMNS, "urls"])


@dataclass(frozen=True)
class Timing:
    """One system's time model and its sourced parameters.

    Attributes
    ----------
    system_id : str
    model : FlightModel or None
        None: no time model applies (a torpedo, say); ``why`` says so.
    boost_s : (low, high) seconds; (0, 0) for cruise; NaN where unsourced
    speed_m_s : (low, high) mean speed for cruise and boost-glide; NaN otherwise
    sources : space-separated source ids of the boost and speed figures used
    why : why a time is blank ("" when every time can be given)
    boost_basis : "" when the boost figures are the system's or its class's own; else
        how the allowance is bounded instead (see :func:`timing_for`)
    """

    system_id: str
    model: FlightModel | None
    boost_s: tuple[float, float]
    speed_m_s: tuple[float, float]
    sources: str
    why: str = ""
    boost_basis: str = ""

    @property
    def label(self) -> str:
        """The model in a few words, as tables show it."""
        return {
            FlightModel.BALLISTIC: "ballistic, minimum-energy",
            FlightModel.CRUISE: "cruise, mean speed",
            FlightModel.BOOST_GLIDE: "boost-glide, mean glide speed",
            None: "none",
        }[self.model]


_NAN2 = (math.nan, math.nan)


def timing_for(system: pd.Series, speeds: pd.DataFrame, boost: pd.DataFrame) -> Timing:
    """Pick a system's time model and its published parameters.

    The boost interval spans the rows for the system itself, else those for its class;
    the speed interval spans the mean-speed rows (phase ``cruise`` for cruise missiles,
    ``glide`` for boost-glide). Competing figures widen the interval; none is averaged.

    Where neither the system nor its class has a published boost time, the allowance is
    *bounded*, not guessed: from 0 to the longest published ICBM boost time (a shorter-range
    missile burns for no longer than an ICBM), said in ``boost_basis``.

    Parameters
    ----------
    system : pandas.Series
        A catalogue row (``id``, ``class``, ``propulsion``).
    speeds, boost : pandas.DataFrame
        From :func:`load_speeds` and :func:`load_boost`.

    Returns
    -------
    Timing

    Examples
    --------
    >>> from rangemap.catalogue import find_system, load_catalogue
    >>> t = timing_for(find_system(load_catalogue(), "df-26"), load_speeds(), load_boost())
    >>> t.model.value, t.why
    ('ballistic', '')
    """
    return _timing(
        str(system["id"]), str(system["class"]), str(system["propulsion"]),
        _records(speeds), _records(boost),
    )  # fmt: skip


Record = dict[str, Any]


def _records(frame: pd.DataFrame) -> list[Record]:
    return [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]


def _span(rows: list[Record], low: str, high: str) -> tuple[tuple[float, float], str]:
    """Return the interval spanned by rows' figures and their source ids (no average)."""
    ids = " ".join(dict.fromkeys(" ".join(str(r["sources"]) for r in rows).split()))
    return (min(float(r[low]) for r in rows), max(float(r[high]) for r in rows)), ids


def _timing(
    sid: str, cls: str, propulsion: str, speeds: list[Record], boost: list[Record]
) -> Timing:
    """:func:`timing_for` on plain records (a catalogue's worth costs milliseconds)."""
    try:
        model = FlightModel(propulsion)
    except ValueError:
        return Timing(sid, None, _NAN2, _NAN2, "", f"no time model for propulsion {propulsion!r}")
    why, ids = [], []
    boost_s, speed, basis = (0.0, 0.0), _NAN2, ""
    if model is not FlightModel.CRUISE:
        rows = [r for r in boost if r["scope"] == sid] or [r for r in boost if r["scope"] == cls]
        icbm = [r for r in boost if r["scope"] == "ICBM"]
        if rows:
            boost_s, found = _span(rows, "boost_s_low", "boost_s_high")
            ids.append(found)
        elif icbm:
            top = max(icbm, key=lambda r: float(r["boost_s_high"]))
            (_, high), found = _span([top], "boost_s_low", "boost_s_high")
            boost_s = (0.0, high)
            basis = f"no published boost time for class {cls}: 0 to the longest ICBM boost"
            ids.append(found)
        else:
            boost_s = _NAN2
            why.append(f"no published boost-phase time for {sid} or class {cls}")
    if model is not FlightModel.BALLISTIC:
        phase = "cruise" if model is FlightModel.CRUISE else "glide"
        rows = [r for r in speeds if r["system_id"] == sid and r["phase"] == phase]
        if rows:
            speed, found = _span(rows, "speed_m_s_low", "speed_m_s_high")
            ids.append(found)
        else:
            why.append(f"no published mean {phase} speed for {sid}")
    return Timing(sid, model, boost_s, speed, " ".join(ids), "; ".join(why), basis)


def timings_for(
    catalogue: pd.DataFrame, speeds: pd.DataFrame, boost: pd.DataFrame
) -> dict[str, Timing]:
    """:func:`timing_for` of every catalogue row, the tables grouped once.

    Examples
    --------
    >>> from rangemap.catalogue import load_catalogue
    >>> t = timings_for(load_catalogue(), load_speeds(), load_boost())
    >>> t["tomahawk"].model.value, t["poseidon"].model
    ('cruise', None)
    """
    speed_rows, boost_rows = _records(speeds), _records(boost)
    by_system: dict[str, list[Record]] = {}
    for r in speed_rows:
        by_system.setdefault(str(r["system_id"]), []).append(r)
    return {
        str(s["id"]): _timing(str(s["id"]), str(s["class"]), str(s["propulsion"]),
                              by_system.get(str(s["id"]), []), boost_rows)
        for s in _records(catalogue[["id", "class", "propulsion"]])
    }  # fmt: skip


def flight_times(
    timing: Timing, distance_km: npt.ArrayLike, *, range_angle_rad: npt.ArrayLike | None = None
) -> pd.DataFrame:
    """Compute the :data:`TIME_COLUMNS` for distances flown by one system.

    Parameters
    ----------
    timing : Timing
        From :func:`timing_for`.
    distance_km : array_like
        WGS84 geodesic distances (km).
    range_angle_rad : array_like, optional
        Ballistic range angles flown, instead of distance / R: the rotating model's
        inertial angles (:func:`rangemap.ballistics.inertial_min_energy`).

    Returns
    -------
    pandas.DataFrame
        One row per distance: ``model``, ``free_flight_min`` and ``apogee_km`` (ballistic
        only), ``boost_min_low``/``_high``, ``flight_time_min_low``/``_high``; NaN where
        the model or a published parameter is missing (``Timing.why``).

    Examples
    --------
    >>> t = Timing("x", FlightModel.BALLISTIC, (60.0, 120.0), (math.nan, math.nan), "")
    >>> [float(x) for x in flight_times(t, [2700.0]).round(1).iloc[0].tolist()[1:]]
    [14.0, 1.0, 2.0, 15.0, 16.0, 598.7]
    >>> c = Timing("c", FlightModel.CRUISE, (0.0, 0.0), (200.0, 250.0), "")
    >>> flight_times(c, [1500.0])[["flight_time_min_low", "flight_time_min_high"]].iloc[0].tolist()
    [100.0, 125.0]
    """
    arrays = time_arrays(timing, distance_km, range_angle_rad=range_angle_rad)
    return pd.DataFrame({"model": timing.label, **arrays})


def time_arrays(
    timing: Timing, distance_km: npt.ArrayLike, *, range_angle_rad: npt.ArrayLike | None = None
) -> dict[str, FloatArray]:
    """Compute the numeric :data:`TIME_COLUMNS` as arrays (:func:`flight_times`' numbers).

    Examples
    --------
    >>> c = Timing("c", FlightModel.CRUISE, (0.0, 0.0), (200.0, 250.0), "")
    >>> time_arrays(c, [1500.0])["flight_time_min_high"].tolist()
    [125.0]
    """
    d_m = np.atleast_1d(np.asarray(distance_km, dtype=np.float64)) * 1000.0
    nan = np.full(d_m.shape, np.nan)
    free, apogee = nan, nan
    b_low, b_high = timing.boost_s
    if timing.model is FlightModel.BALLISTIC:
        psi = d_m / EARTH_RADIUS_M if range_angle_rad is None else np.asarray(range_angle_rad)
        me = min_energy(np.clip(psi, 0.0, np.pi * (1 - 1e-12)))
        free = np.asarray(me.time_s, dtype=np.float64)
        apogee = np.asarray(me.apogee_m) / 1000.0
        low, high = free + b_low, free + b_high
    elif timing.model is None:
        low = high = nan
    else:
        v_low, v_high = timing.speed_m_s
        low, high = b_low + d_m / v_high, b_high + d_m / v_low
    return {
        "free_flight_min": free / 60.0,
        "boost_min_low": np.full(d_m.shape, b_low / 60.0),
        "boost_min_high": np.full(d_m.shape, b_high / 60.0),
        "flight_time_min_low": low / 60.0,
        "flight_time_min_high": high / 60.0,
        "apogee_km": apogee,
    }


def _minutes(x: float) -> str:
    return f"{x:.0f}" if x >= 10 else f"{x:.1f}".rstrip("0").rstrip(".")


def time_label(timing: Timing, low_min: float, high_min: float) -> str:
    """Popup text for one flight: "≈ 12–14 min (minimum-energy, boost 1–3 min)".

    Examples
    --------
    >>> t = Timing("x", FlightModel.BALLISTIC, (60.0, 180.0), (math.nan, math.nan), "")
    >>> time_label(t, 12.2, 14.4)
    '≈ 12–14 min (minimum-energy, boost 1–3 min)'
    >>> time_label(Timing("y", None, _NAN2, _NAN2, "", "no model"), math.nan, math.nan)
    'time not given: no model'
    """
    if not (math.isfinite(low_min) and math.isfinite(high_min)):
        return f"time not given: {timing.why or 'no published parameters'}"
    span = (
        _minutes(low_min)
        if round(low_min) == round(high_min) and low_min >= 10
        else (f"{_minutes(low_min)}–{_minutes(high_min)}")
    )
    b_low, b_high = (b / 60.0 for b in timing.boost_s)
    bound = " (bound)" if timing.boost_basis else ""
    if timing.model is FlightModel.BALLISTIC:
        how = f"minimum-energy, boost {_minutes(b_low)}–{_minutes(b_high)} min{bound}"
    elif timing.model is FlightModel.CRUISE:
        how = "mean cruise speed"
    else:
        how = f"mean glide speed, boost {_minutes(b_low)}–{_minutes(b_high)} min{bound}"
    return f"≈ {span} min ({how})"


def add_flight_times(
    table: pd.DataFrame, rings: pd.DataFrame, timings: dict[str, Timing]
) -> pd.DataFrame:
    """Add the time columns to a coverage table (:func:`rangemap.reach.coverage_table`).

    Parameters
    ----------
    table : pandas.DataFrame
        Rows ring by ring, every target under each ring (the coverage table's order).
    rings : pandas.DataFrame
        The ring rows the table was made from (``system_id`` picks the timing; a ring
        without one, such as a bare radius, gets blank times).
    timings : dict
        System id -> :class:`Timing`.

    Returns
    -------
    pandas.DataFrame
        ``table`` plus :data:`TIME_COLUMNS`, rounded to 0.1 min and 1 km.
    """
    n_r = len(rings)
    n_t = len(table) // n_r if n_r else 0
    ids = (rings["system_id"] if "system_id" in rings else pd.Series("", rings.index)).astype(str)
    # One computation per system over all its rows (the table goes ring by ring).
    codes, uniques = pd.factorize(ids.to_numpy())
    per_row = np.repeat(codes, n_t)
    distance = table["distance_km"].to_numpy(dtype=float)
    model = np.full(len(table), "none", dtype=object)
    numbers = {c: np.full(len(table), np.nan) for c in TIME_COLUMNS[1:]}
    for code, sid in enumerate(uniques):
        timing = timings.get(str(sid))
        if timing is None:
            continue
        rows = per_row == code
        model[rows] = timing.label
        for column, values in time_arrays(timing, distance[rows]).items():
            numbers[column][rows] = values
    extra = {c: np.round(v, 0 if c == "apogee_km" else 1) for c, v in numbers.items()}
    return table.reset_index(drop=True).assign(model=model, **extra)


def isochrone_radii_km(timing: Timing, minutes: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Distances reached within given minutes: (surely, possibly), the time inverted.

    ``surely`` uses the long end of the time interval (the slowest published speed, the
    longest boost): every point within it is reached in ``minutes`` under the model.
    ``possibly`` uses the short end. Zero where the boost alone takes longer; infinite
    past the longest minimum-energy flight; NaN where the model has no time.

    Examples
    --------
    >>> t = Timing("x", FlightModel.BALLISTIC, (60.0, 120.0), (math.nan, math.nan), "")
    >>> surely, possibly = isochrone_radii_km(t, [15.0, 16.0])
    >>> [round(float(x)) for x in surely], [round(float(x)) for x in possibly]
    ([2391, 2704], [2704, 3027])
    """
    t_s = np.atleast_1d(np.asarray(minutes, dtype=np.float64)) * 60.0
    b_low, b_high = timing.boost_s
    if timing.model is FlightModel.BALLISTIC:

        def reach(free_s: FloatArray) -> FloatArray:
            psi = min_energy_range_angle(np.maximum(free_s, 0.0))
            # Longer than any minimum-energy flight (to the antipode): reaches anywhere.
            return np.where(np.isnan(psi), np.inf, psi * EARTH_RADIUS_M / 1000.0)

        return reach(t_s - b_high), reach(t_s - b_low)
    if timing.model is None:
        return np.full(t_s.shape, np.nan), np.full(t_s.shape, np.nan)
    v_low, v_high = timing.speed_m_s
    return (
        np.maximum(t_s - b_high, 0.0) * v_low / 1000.0,
        np.maximum(t_s - b_low, 0.0) * v_high / 1000.0,
    )
