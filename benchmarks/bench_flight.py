"""Flight times: (site, target) pairs per second, and the rotating footprint's cost.

Work:

- **Flight times.** DF-26's time model (ballistic, minimum-energy, boost allowance) from
  random sites to random targets on the globe (distances 50-5,000 km): the exact WGS84
  distance plus :func:`rangemap.flight.flight_times` (the closed form, vectorised). The
  alternative is what a person would write without the closed form: integrate the
  two-body problem numerically (RK4, 1 s steps) from the minimum-energy burnout state
  until the missile returns to the surface, pair by pair. Both answers are compared.
- **Rotating footprint.** :func:`rangemap.flightgeo.rotating_footprint` (720 launch
  azimuths, each with its burnout angle optimised by golden section over Kepler
  propagations, then a footprint refined to 50 m) against the plain geodesic ring of the
  same range (:func:`rangemap.polygons.ring_polygon`), at sites from the equator to 80N.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402
import numpy as np  # noqa: E402


def _rk4_time_s(psi: float) -> float:
    """Free-flight time by RK4 integration of the two-body problem (the alternative)."""
    from rangemap.ballistics import EARTH_RADIUS_M, MU_M3_S2, min_energy

    me = min_energy(psi)
    r = np.array([EARTH_RADIUS_M, 0.0])
    v = me.speed_m_s * np.array([np.sin(me.angle_rad), np.cos(me.angle_rad)])
    dt, t = 1.0, 0.0

    def acc(x: np.ndarray) -> np.ndarray:
        return -MU_M3_S2 * x / np.linalg.norm(x) ** 3

    while True:
        k1v, k1r = acc(r), v
        k2v, k2r = acc(r + dt / 2 * k1r), v + dt / 2 * k1v
        k3v, k3r = acc(r + dt / 2 * k2r), v + dt / 2 * k2v
        k4v, k4r = acc(r + dt * k3r), v + dt * k3v
        r_new = r + dt / 6 * (k1r + 2 * k2r + 2 * k3r + k4r)
        v_new = v + dt / 6 * (k1v + 2 * k2v + 2 * k3v + k4v)
        if t > 1.0 and np.linalg.norm(r_new) < EARTH_RADIUS_M:
            # Linear interpolation of the surface crossing inside the last step.
            h0, h1 = np.linalg.norm(r) - EARTH_RADIUS_M, np.linalg.norm(r_new) - EARTH_RADIUS_M
            return t + dt * h0 / (h0 - h1)
        r, v, t = r_new, v_new, t + dt


def run(quick: bool = False) -> dict[str, Any]:
    """Time both pieces of work; return the figures."""
    from rangemap.ballistics import EARTH_RADIUS_M
    from rangemap.catalogue import load_catalogue
    from rangemap.flight import flight_times
    from rangemap.flightgeo import load_timings, rotating_footprint
    from rangemap.geodesy import WGS84
    from rangemap.polygons import ring_polygon

    rng = np.random.default_rng(11)
    n_pairs = 2_000 if quick else 200_000
    n_numeric = 5 if quick else 40
    lat1 = rng.uniform(-60, 60, n_pairs)
    lon1 = rng.uniform(-180, 180, n_pairs)
    az = rng.uniform(0, 360, n_pairs)
    dist = rng.uniform(50e3, 5_000e3, n_pairs)
    lon2, lat2, _ = WGS84.fwd(lon1, lat1, az, dist)
    timing = load_timings(load_catalogue().query("id == 'df-26'"))["df-26"]

    def closed() -> Any:
        _, _, d = WGS84.inv(lon1, lat1, lon2, lat2)
        return flight_times(timing, np.asarray(d) / 1000.0)

    t_closed, out, rss_closed = C.best_of(closed, repeat=3)
    sample = np.arange(n_numeric)
    d_sample = np.asarray(WGS84.inv(lon1[sample], lat1[sample], lon2[sample], lat2[sample])[2])

    def numeric() -> list[float]:
        return [_rk4_time_s(float(d) / EARTH_RADIUS_M) for d in d_sample]

    t_num, num, rss_num = C.best_of(numeric, repeat=1)
    free = out["free_flight_min"].to_numpy()[sample] * 60.0
    worst_rel = float(np.max(np.abs(np.array(num) - free) / free))
    rate_closed, rate_num = n_pairs / t_closed, n_numeric / t_num

    lats = [0.0, 40.0] if quick else [0.0, 20.0, 40.0, 60.0, 80.0]
    range_km = 5_500.0

    def eggs() -> list[Any]:
        return [rotating_footprint(lat=a, lon=170.0, range_km=range_km) for a in lats]

    def rings() -> list[Any]:
        return [ring_polygon(lat=a, lon=170.0, radius_m=range_km * 1e3) for a in lats]

    t_egg, egg_geoms, rss_egg = C.best_of(eggs, repeat=2)
    t_ring, _, rss_ring = C.best_of(rings, repeat=2)
    per_egg, per_ring = t_egg / len(lats), t_ring / len(lats)
    rows = [
        C.row("flight times, (site, target) pairs per second",
              C.fmt_rate(rate_closed, "pairs/s"), C.fmt_rate(rate_num, "pairs/s (RK4, 1 s)"),
              C.fmt_ratio(rate_closed / rate_num), C.fmt_rss(rss_closed, rss_num)),
        C.row("closed form vs numerical integration, worst relative difference",
              f"{worst_rel:.2e}", f"{n_numeric} pairs"),
        C.row(f"rotating footprint vs plain ring, {range_km:,.0f} km, per site",
              C.fmt_s(per_egg), C.fmt_s(per_ring) + " (ring)", C.fmt_ratio(per_egg / per_ring),
              C.fmt_rss(rss_egg, rss_ring)),
    ]  # fmt: skip
    return {
        "benchmark": "flight",
        "available": True,
        "work": f"{n_pairs:,} (site, target) pairs with DF-26's time model; rotating "
        f"footprints at {len(lats)} sites (latitudes {', '.join(f'{a:g}' for a in lats)})",
        "flight_pairs_per_s": rate_closed,
        "numerical_pairs_per_s": rate_num,
        "closed_vs_numerical_max_rel": worst_rel,
        "footprint_seconds": per_egg,
        "ring_seconds": per_ring,
        "footprint_over_ring": per_egg / per_ring,
        "footprints_valid": all(g.is_valid for g in egg_geoms),
        "rows": rows,
        "targets": [
            C.target(
                "closed form within 0.5 % of the numerical integration",
                f"{100 * worst_rel:.4f} %",
                worst_rel < 0.005,
            ),
        ],  # fmt: skip
        "notes": [
            "the numerical integration is the alternative a person writes without the "
            "closed form; a fixed 1 s RK4 step keeps it within 1e-4 of the exact time",
        ],
    }


if __name__ == "__main__":
    C.main(run, __doc__)
