"""Minimum-energy ballistic flight: closed form, Kepler propagation, Earth's rotation.

A stated physical model, pure numpy, no I/O. It answers "how long, how high, how fast"
for a ballistic missile's free flight, and how far Earth's rotation moves its reach.
Distances on the ground still come from the WGS84 geodesic (:mod:`rangemap.geodesy`):
this module turns a ground distance into a central angle on its sphere and back.

The model
---------
- **Two-body vacuum flight over a spherical, homogeneous Earth** of radius
  :data:`EARTH_RADIUS_M` (6,371,008.8 m, the IUGG mean radius R1) and gravitational
  parameter :data:`MU_M3_S2` (3.986004418e14 m^3/s^2, WGS84/IERS). A ground distance
  ``d`` on WGS84 is flown as the central angle ``psi = d / R``.
- **Burnout at the surface.** The powered phase is not modelled: it is a separate
  allowance (seconds, by class, from published figures) added by :mod:`rangemap.flight`.
  Launch and impact are at radius R, so the ellipse is symmetric about its apogee.
- **Minimum-energy trajectory**: the burnout angle that reaches a range angle ``psi``
  with the least burnout speed, gamma = (pi - psi) / 4 (Wheelon 1959; Bate, Mueller &
  White, *Fundamentals of Astrodynamics*, 1971, ch. 6). Its closed form gives the
  burnout speed, free-flight time (Kepler's equation) and apogee: :func:`min_energy`.
- **Earth's rotation** (opt-in, :func:`rotating_reach`): the published range is read as
  the non-rotating minimum-energy range, which fixes the burnout speed *relative to the
  ground*. For each launch azimuth the burnout velocity plus the ground's own velocity
  (omega x r, omega = :data:`OMEGA_RAD_S`) is propagated as a Kepler orbit in an inertial
  frame (exact two-body solution, no step size), the burnout angle is optimised for the
  greatest ground range, and the impact point is rotated back by the Earth's turn during
  the flight. The result is a reach factor per direction; :mod:`rangemap.flight` applies
  it to the WGS84 distance.

Restrictions
------------
- Vacuum: no drag, no lift, no thrust after burnout. Atmospheric re-entry slows a
  warhead in its last tens of kilometres; the model's free-flight time is a floor.
- Spherical Earth for the physics only; latitude is used as geocentric latitude (the
  difference, under 0.2 degrees, moves a 5,500 km footprint by well under a kilometre).
- Minimum-energy trajectories only. Lofted and depressed trajectories (shorter or longer
  times for the same range) are out of scope; every output says "minimum-energy".
- Range angles in (0, pi): up to about 20,000 km. :func:`rotating_reach` refuses a
  burnout speed that puts any azimuth on an unbound (escape) orbit.

Public functions
----------------
min_energy
    Burnout speed, burnout angle, free-flight time and apogee for range angles.
min_energy_range_angle
    The inverse: the range angle whose minimum-energy free flight lasts a given time.
kepler_impact
    Propagate burnout states (inertial, at radius R) to their impact: time and place.
rotating_reach
    Ground range angle and direction of arrival per launch azimuth, Earth rotating.
inertial_min_energy
    Free flight to a target on the rotating Earth, minimum energy in the inertial frame.

Examples
--------
>>> me = min_energy(2_700_000.0 / EARTH_RADIUS_M)
>>> round(float(me.time_s) / 60, 1), round(float(me.apogee_m) / 1000)
(14.0, 599)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from rangemap.errors import RangemapError

__all__ = [
    "EARTH_RADIUS_M",
    "MU_M3_S2",
    "OMEGA_RAD_S",
    "FlightError",
    "MinEnergy",
    "RotatingReach",
    "inertial_min_energy",
    "kepler_impact",
    "min_energy",
    "min_energy_range_angle",
    "rotating_reach",
]

FloatArray = npt.NDArray[np.float64]

#: Mean radius of the Earth, IUGG R1 = (2a + b) / 3 of WGS84 (m).
EARTH_RADIUS_M = 6_371_008.8
#: Geocentric gravitational constant, WGS84 / IERS 2010 (m^3/s^2).
MU_M3_S2 = 3.986004418e14
#: Earth's rotation rate, WGS84 (rad/s).
OMEGA_RAD_S = 7.292115e-5

_TWO_PI = 2.0 * np.pi


class FlightError(RangemapError, ValueError):
    """A flight-model input outside the model's domain (shows the bad value)."""


@dataclass(frozen=True)
class MinEnergy:
    """The minimum-energy free flight for range angles (arrays, or floats for scalars).

    Attributes
    ----------
    speed_m_s : burnout speed (m/s)
    angle_rad : burnout flight-path angle above the local horizontal (rad)
    time_s : free-flight time, burnout to impact (s)
    apogee_m : apogee height above the sphere (m)
    """

    speed_m_s: FloatArray
    angle_rad: FloatArray
    time_s: FloatArray
    apogee_m: FloatArray


def _check_angle(psi: FloatArray, what: str) -> None:
    bad = ~np.isfinite(psi) | (psi < 0) | (psi >= np.pi)
    if bad.any():
        value = float(psi[int(np.argmax(bad))])
        raise FlightError(f"{what} must be a range angle in [0, pi) radians; got {value!r}")


def _time_to_apogee_s(a_m: FloatArray, e: FloatArray, q: FloatArray, phi: FloatArray) -> FloatArray:
    """Time to apogee from ``phi`` radians of true anomaly before it, on the ellipse (a, e).

    ``q`` is 1 - e^2 = p / a, passed in so that nothing cancels as e -> 1 (short range):
    with beta = pi - E (E the eccentric anomaly), tan(beta / 2) = (1 + e) / sqrt(q) *
    tan(phi / 2), and Kepler's equation gives pi - M = beta + e sin(beta).
    """
    beta = 2.0 * np.arctan((1.0 + e) / np.sqrt(q) * np.tan(phi / 2.0))
    return (beta + e * np.sin(beta)) * np.sqrt(a_m**3 / MU_M3_S2)


def min_energy(psi_rad: npt.ArrayLike) -> MinEnergy:
    """Closed-form minimum-energy free flight between two points at radius R.

    With s = sin(psi/2): burnout angle (pi - psi)/4, nu = v^2 R / mu = 2s / (1 + s),
    semi-major axis R (1 + s) / 2; the ellipse is symmetric about its apogee, so the
    time is twice the time from impact's true anomaly (pi - psi/2) to apogee.

    Parameters
    ----------
    psi_rad : array_like
        Range angles on the sphere in [0, pi) radians (ground distance / R).

    Returns
    -------
    MinEnergy
        Floats for a scalar input, arrays otherwise. ``psi = 0`` gives zeros.

    Raises
    ------
    FlightError
        For a NaN, negative or >= pi range angle.

    Examples
    --------
    >>> round(float(min_energy(5_500e3 / EARTH_RADIUS_M).time_s) / 60, 1)
    21.9
    >>> float(min_energy(0.0).time_s)
    0.0
    """
    psi = np.asarray(psi_rad, dtype=np.float64)
    _check_angle(np.atleast_1d(psi), "psi_rad")
    s = np.sin(psi / 2.0)
    nu = 2.0 * s / (1.0 + s)
    speed = np.sqrt(nu * MU_M3_S2 / EARTH_RADIUS_M)
    angle = (np.pi - psi) / 4.0
    a_m = EARTH_RADIUS_M * (1.0 + s) / 2.0
    p_m = EARTH_RADIUS_M * nu * np.cos(angle) ** 2
    q = p_m / a_m
    e = np.sqrt(np.clip(1.0 - q, 0.0, 1.0))
    with np.errstate(divide="ignore", invalid="ignore"):  # psi = 0: set to 0 below
        time = 2.0 * _time_to_apogee_s(a_m, e, q, psi / 2.0)
    apogee = a_m * (1.0 + e) - EARTH_RADIUS_M
    time = np.where(psi == 0, 0.0, time)
    apogee = np.where(psi == 0, 0.0, apogee)
    if psi.ndim == 0:
        return MinEnergy(float(speed), float(angle), float(time), float(apogee))  # type: ignore[arg-type]
    return MinEnergy(speed, angle, time, apogee)


def min_energy_range_angle(time_s: npt.ArrayLike) -> FloatArray:
    """Range angle whose minimum-energy free flight lasts ``time_s`` (the inverse).

    The free-flight time grows with the range angle (strictly, but for a flat 1e-8 s
    within 1e-6 rad of pi), so bisection on [0, pi) converges; 60 halvings leave under
    1e-15 rad (a nanometre on the ground). A time longer than the flight to the antipode
    gives NaN.

    Parameters
    ----------
    time_s : array_like
        Free-flight times (s), >= 0.

    Returns
    -------
    numpy.ndarray
        Range angles (rad), NaN where no minimum-energy flight lasts that long.

    Raises
    ------
    FlightError
        For a NaN or negative time.

    Examples
    --------
    >>> psi = min_energy_range_angle([0.0, 839.25])
    >>> [round(float(x) * EARTH_RADIUS_M / 1000) for x in psi]
    [0, 2700]
    """
    t = np.atleast_1d(np.asarray(time_s, dtype=np.float64))
    bad = ~np.isfinite(t) | (t < 0)
    if bad.any():
        raise FlightError(f"time_s must be >= 0 seconds; got {float(t[int(np.argmax(bad))])!r}")
    top = np.pi * (1.0 - 1e-12)
    lo, hi = np.zeros_like(t), np.full_like(t, top)
    for _ in range(60):
        mid = (lo + hi) / 2.0
        short = min_energy(mid).time_s < t
        lo, hi = np.where(short, mid, lo), np.where(short, hi, mid)
    out = np.where(t == 0, 0.0, (lo + hi) / 2.0)
    return np.where(t > min_energy(np.array([top])).time_s[0], np.nan, out)


def _unit(v: FloatArray) -> FloatArray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def kepler_impact(
    position_m: npt.ArrayLike, velocity_m_s: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Propagate burnout states at radius R to the next return to radius R.

    The two-body problem is solved exactly: the state gives the conic (energy, angular
    momentum, eccentricity vector); burnout and impact sit at the same radius, so their
    true anomalies are theta0 and 2 pi - theta0, and Kepler's equation gives the time.

    Parameters
    ----------
    position_m : array_like, shape (n, 3)
        Inertial burnout positions, each at radius :data:`EARTH_RADIUS_M`.
    velocity_m_s : array_like, shape (n, 3)
        Inertial burnout velocities, climbing (positive radial component).

    Returns
    -------
    (time_s, impact_m)
        Flight times (n,) and inertial impact positions (n, 3); NaN for an unbound orbit.
    """
    r = np.atleast_2d(np.asarray(position_m, dtype=np.float64))
    v = np.atleast_2d(np.asarray(velocity_m_s, dtype=np.float64))
    rn = np.linalg.norm(r, axis=1)
    v2 = np.einsum("ij,ij->i", v, v)
    rv = np.einsum("ij,ij->i", r, v)
    energy = v2 / 2.0 - MU_M3_S2 / rn
    with np.errstate(divide="ignore", invalid="ignore"):
        a_m = -MU_M3_S2 / (2.0 * energy)
        ecc_vec = ((v2 - MU_M3_S2 / rn)[:, None] * r - rv[:, None] * v) / MU_M3_S2
        e = np.linalg.norm(ecc_vec, axis=1)
        cos_t0 = np.clip(np.einsum("ij,ij->i", ecc_vec, r) / (e * rn), -1.0, 1.0)
    # Climbing: theta0 in (0, pi). The flight sweeps 2 pi - 2 theta0 of true anomaly.
    theta0 = np.arccos(cos_t0)
    sweep = _TWO_PI - 2.0 * theta0
    h = np.cross(r, v)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.einsum("ij,ij->i", h, h) / MU_M3_S2 / a_m  # p / a = 1 - e^2
        time = 2.0 * _time_to_apogee_s(a_m, e, q, np.pi - theta0)
    normal = _unit(np.cross(h, r))
    impact = rn[:, None] * (np.cos(sweep)[:, None] * _unit(r) + np.sin(sweep)[:, None] * normal)
    unbound = ~(energy < 0) | (rv <= 0)
    time = np.where(unbound, np.nan, time)
    impact = np.where(unbound[:, None], np.nan, impact)
    return time, impact


def _local_frame(lat_deg: float, lon_deg: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    phi, lam = np.radians(lat_deg), np.radians(lon_deg)
    up = np.array([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])
    east = np.array([-np.sin(lam), np.cos(lam), 0.0])
    north = np.array([-np.sin(phi) * np.cos(lam), -np.sin(phi) * np.sin(lam), np.cos(phi)])
    return up, east, north


def _rotate_z(x: FloatArray, angle_rad: FloatArray) -> FloatArray:
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    return np.column_stack([c * x[:, 0] - s * x[:, 1], s * x[:, 0] + c * x[:, 1], x[:, 2]])


def _ground_shot(
    up: FloatArray,
    east: FloatArray,
    north: FloatArray,
    speed_m_s: float,
    azimuth_rad: FloatArray,
    angle_rad: FloatArray,
    omega_rad_s: float,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Impact (Earth-fixed unit vector), range angle and time for ground-relative shots."""
    horiz = np.cos(azimuth_rad)[:, None] * north + np.sin(azimuth_rad)[:, None] * east
    v_ground = speed_m_s * (np.cos(angle_rad)[:, None] * horiz + np.sin(angle_rad)[:, None] * up)
    r0 = EARTH_RADIUS_M * up
    # The ground moves at omega x r; cross((0, 0, omega), r0) = omega * (-y, x, 0).
    v_frame = omega_rad_s * np.array([-r0[1], r0[0], 0.0])
    n = azimuth_rad.shape[0]
    time, impact = kepler_impact(np.tile(r0, (n, 1)), v_ground + v_frame)
    fixed = _unit(_rotate_z(impact, -omega_rad_s * time))
    psi = np.arccos(np.clip(fixed @ up, -1.0, 1.0))
    return fixed, psi, time


@dataclass(frozen=True)
class RotatingReach:
    """Reach per launch azimuth on the rotating Earth (arrays, one entry per azimuth).

    Attributes
    ----------
    launch_azimuth_deg : launch azimuths, clockwise from north
    arrival_azimuth_deg : azimuth from the site to the impact point (what a map shows)
    range_angle_rad : ground range angle from the site to the impact point
    factor : range_angle_rad over the non-rotating minimum-energy range angle
    angle_rad : optimised burnout angle
    time_s : free-flight time of the optimised shot
    """

    launch_azimuth_deg: FloatArray
    arrival_azimuth_deg: FloatArray
    range_angle_rad: FloatArray
    factor: FloatArray
    angle_rad: FloatArray
    time_s: FloatArray


_GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0


def rotating_reach(
    *,
    lat: float,
    lon: float,
    psi_rad: float,
    n_azimuths: int = 360,
    omega_rad_s: float = OMEGA_RAD_S,
) -> RotatingReach:
    """Greatest ground range per launch azimuth, Earth rotating, same ground speed.

    The burnout speed relative to the ground is that of the non-rotating minimum-energy
    shot over ``psi_rad``; for each azimuth the burnout angle is chosen (golden-section
    search, to 1e-9 rad) to maximise the ground range angle after Kepler propagation in
    the inertial frame and rotation of the impact point back to the Earth.

    Parameters
    ----------
    lat, lon : float
        Launch site (degrees; latitude used as geocentric).
    psi_rad : float
        Non-rotating minimum-energy range angle (published range / R), in (0, pi).
    n_azimuths : int
        Launch azimuths, evenly spaced from 0 degrees.
    omega_rad_s : float
        Rotation rate; 0 gives back ``psi_rad`` in every direction.

    Returns
    -------
    RotatingReach

    Raises
    ------
    FlightError
        For a range angle outside (0, pi), or a burnout speed that escapes (or does not
        come down within a revolution) on some azimuth.

    Examples
    --------
    >>> rr = rotating_reach(lat=40.0, lon=0.0, psi_rad=5_528e3 / EARTH_RADIUS_M, n_azimuths=4)
    >>> [round(float(f), 3) for f in rr.factor]  # north, east, south, west
    [0.999, 1.076, 1.005, 0.944]
    """
    psi0 = float(psi_rad)
    if not (np.isfinite(psi0) and 0.0 < psi0 < np.pi):
        raise FlightError(f"psi_rad must be a range angle in (0, pi) radians; got {psi_rad!r}")
    speed = float(min_energy(psi0).speed_m_s)
    up, east, north = _local_frame(lat, lon)
    azimuth = np.radians(np.linspace(0.0, 360.0, n_azimuths, endpoint=False))

    def range_of(angle: FloatArray) -> FloatArray:
        _, psi, time = _ground_shot(up, east, north, speed, azimuth, angle, omega_rad_s)
        return np.where(np.isfinite(time), psi, -1.0)

    # The ground range is unimodal in the burnout angle on (0, pi/2): golden section.
    lo, hi = np.full(azimuth.shape, 1e-3), np.full(azimuth.shape, np.pi / 2 - 1e-3)
    x1, x2 = hi - _GOLDEN * (hi - lo), lo + _GOLDEN * (hi - lo)
    f1, f2 = range_of(x1), range_of(x2)
    for _ in range(48):
        left = f1 > f2
        lo, hi = np.where(left, lo, x1), np.where(left, x2, hi)
        x1n, x2n = hi - _GOLDEN * (hi - lo), lo + _GOLDEN * (hi - lo)
        x1, x2 = x1n, x2n
        f1, f2 = range_of(x1), range_of(x2)
    best = (lo + hi) / 2.0
    fixed, psi, time = _ground_shot(up, east, north, speed, azimuth, best, omega_rad_s)
    bad = ~np.isfinite(time) | (psi <= 0) | (time * omega_rad_s >= _TWO_PI)
    if bad.any():
        az = float(np.degrees(azimuth[int(np.argmax(bad))]))
        raise FlightError(
            f"a minimum-energy burnout speed of {speed:.0f} m/s (range angle {psi0!r} rad) "
            f"does not come down on the rotating Earth at launch azimuth {az:g} deg: the "
            "rotating model covers suborbital flights only"
        )
    # Direction of arrival, from the site's local frame.
    arrival = np.degrees(np.arctan2(fixed @ east, fixed @ north)) % 360.0
    return RotatingReach(
        launch_azimuth_deg=np.degrees(azimuth),
        arrival_azimuth_deg=arrival,
        range_angle_rad=psi,
        factor=psi / psi0,
        angle_rad=best,
        time_s=time,
    )


def inertial_min_energy(
    *,
    lat: float,
    lon: float,
    target_lat: float,
    target_lon: float,
    omega_rad_s: float = OMEGA_RAD_S,
) -> tuple[float, MinEnergy]:
    """Minimum-energy free flight (inertial frame) to a target on the rotating Earth.

    The target moves with the Earth during the flight: the range angle flown is the one
    between the site at burnout and the target's inertial position at impact. A fixed
    point on the flight time (time -> target's position -> range angle -> time)
    converges in a few steps, the Earth turning under 0.4 degrees in a 25-minute flight.

    Returns
    -------
    (psi_rad, MinEnergy)
        The inertial range angle flown and its minimum-energy flight.
    """
    up, _, _ = _local_frame(lat, lon)
    target, _, _ = _local_frame(target_lat, target_lon)
    psi = float(np.arccos(np.clip(up @ target, -1.0, 1.0)))
    for _ in range(30):
        time = float(min_energy(psi).time_s)
        moved = _rotate_z(target[None, :], np.array([omega_rad_s * time]))[0]
        new = float(np.arccos(np.clip(up @ moved, -1.0, 1.0)))
        if abs(new - psi) < 1e-13:
            break
        psi = new
    return psi, min_energy(psi)
