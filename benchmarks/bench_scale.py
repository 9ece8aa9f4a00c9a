"""Scale: the basing sweep's screen and top sites against brute force, Dask, the density.

Work, all in one run:

- **Screen throughput.** The sweep's screen (:mod:`rangemap.sweep`: the objective's points
  binned on the HEALPix grid and convolved with the range band by spherical harmonics)
  over the whole globe at 13 km (nside 512, 3.1 M candidate sites, population of the
  shipped settlements, 2,000 km), timed by its pieces (``objective_points``,
  ``_weights_alm``, ``_screen_task``), in candidate sites per second; against brute force,
  :func:`rangemap.sweep.exact_values` (the exact recount, one core) on random candidates
  of the same grid. A full run also times one whole ``sweep_many`` call on that grid.
- **Top-K agreement.** :func:`rangemap.sweep.basing_sweep` (``top`` 10 and 50, default
  refine, one process) against brute force: the exact objective at *every* candidate of
  the same grid. A sweep site matches when its exact value is at least brute force's K-th
  value (ties count); the K exact values are also compared with brute force's K best.
  Cases: Poland at 1,000 km on a 13 km grid (nside 512, 1,914 candidates), China at
  3,000 km on a 50 km grid (population), and world capitals from Germany, Poland and
  France at 2,000 km on a 25 km grid. A K is skipped where its refine would recount every
  candidate (the sweep would then be brute force itself).
- **Exact recount cost** per candidate: population, capitals, land area.
- **Dask.** The same four-scenario sweep (population, 1,000-4,000 km, candidates on land)
  in one process (``serial``), on rangemap's LocalCluster of 1 worker and of 2 workers
  (one thread each; clusters started and warmed up untimed), results compared; and, as
  a diagnostic, 1 worker with the ``MALLOC_TRIM_THRESHOLD_`` that ``distributed``'s
  nanny sets for its workers by default (rangemap's cluster leaves it out). From these,
  an estimate for a 64-core cluster.
- **Whole-globe threat density** (:func:`rangemap.density.threat_density`) at nside 128
  (196,608 cells, about 51 km) and, in a full run, 256: the full catalogue with
  ``every_site`` (the most pairs), today's deployments, cell polygons; time and peak
  memory in one process; in a full run also nside 128 on the 2-worker cluster.

``--quick`` shrinks every part (no China, smaller grids and refines, two scenarios, no
diagnostic cluster, density at nside 128 only).
"""

from __future__ import annotations

import importlib
import logging
import math
import os
import resource
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402
import numpy as np  # noqa: E402

#: Whole-globe screen: grid, radius, brute-force sample.
SCREEN_GRID_KM = 13.0
SCREEN_RADIUS_KM = 2_000.0
#: Top-K cases: (label, objective, within, radius km, grid km, Ks; in quick mode (grid km,
#: Ks, refine or None for the default), or None to skip). A K is run only where its refine
#: leaves candidates out (else the sweep is brute force itself).
TOPK_CASES = (
    ("Poland, population, 1,000 km", "population", "POL", 1_000.0, 13.0, (10, 50),
     (50.0, (5,), 40)),
    ("China, population, 3,000 km", "population", "CHN", 3_000.0, 50.0, (10, 50), None),
    ("capitals from DEU, POL, FRA, 2,000 km", "capitals", "DEU,POL,FRA", 2_000.0, 25.0,
     (10, 50), (25.0, (10, 50), None)),
)  # fmt: skip
#: The Dask sweep: radii, grid, where candidates stand.
DASK_RADII_KM = (1_000.0, 2_000.0, 3_000.0, 4_000.0)
DASK_GRID_KM = 25.0
DASK_GRID_KM_QUICK = 50.0
#: Runs of each Dask sweep in a full run (the best is kept: the machine may be shared).
DASK_REPEAT = 2
#: The cluster estimate: scenarios of a global sweep at 13 km, cores.
EST_SCENARIOS, EST_CORES = 100, 64
#: The variable distributed's nanny sets for its workers (distributed.nanny.pre-spawn-environ).
TRIM = "MALLOC_TRIM_THRESHOLD_"
#: The diagnostic run: a worker as distributed starts it by default.
TRIMMED = "1 worker, distributed's default MALLOC_TRIM_THRESHOLD_"
#: Whole-globe density target (seconds).
DENSITY_TARGET_S = 600.0


def _brute(points: Any, lat: np.ndarray, lon: np.ndarray, radius_km: float) -> np.ndarray:
    """Exact objective at every site: what the sweep's refine does, on all cores."""
    from rangemap.population import population_in_range
    from rangemap.sweep import Objective, exact_values

    if points.objective is Objective.AREA:
        return exact_values(points, lat=lat, lon=lon, radius_km=radius_km)
    return np.atleast_1d(population_in_range(points.pop, site_lat=lat, site_lon=lon,
                                             radius_km=radius_km))  # fmt: skip


# --- 1. screen -------------------------------------------------------------------------


def run_screen(quick: bool, rng: np.random.Generator) -> dict[str, Any]:
    """The whole-globe screen by its pieces, against the exact recount on a sample."""
    from rangemap.grid import cell_centres, cells_within, nside_for_spacing_km
    from rangemap.sweep import (
        _scenarios,
        _screen_task,
        _weights_alm,
        exact_values,
        objective_points,
        sweep_many,
    )

    nside = nside_for_spacing_km(SCREEN_GRID_KM)
    scenario = _scenarios([], [SCREEN_RADIUS_KM], "nominal", 0.0)[0]
    objective_points("population")  # load the settlements once, untimed
    with C.peak() as p:
        t0 = time.perf_counter()
        points = objective_points("population")
        cells = cells_within(nside, None)
        t1 = time.perf_counter()
        alm = _weights_alm(points, nside)
        t2 = time.perf_counter()
        values = _screen_task(scenario, nside, alm, cells)
        t3 = time.perf_counter()
    t_again, _, _ = C.best_of(lambda: _screen_task(scenario, nside, alm, cells), repeat=1)
    n_sample = 30 if quick else 200
    pick = rng.choice(cells.size, n_sample, replace=False)
    lat, lon = cell_centres(nside, cells[pick])
    t_brute, exact, rss_brute = C.best_of(
        lambda: exact_values(points, lat=lat, lon=lon, radius_km=SCREEN_RADIUS_KM), repeat=1
    )
    screen_s = t3 - t0
    out = {
        "nside": nside, "candidates": int(cells.size), "settlements": len(points.pop.lat),
        "setup_seconds": t1 - t0, "alm_seconds": t2 - t1, "screen_seconds": t3 - t2,
        "seconds": screen_s, "rss_mb": p.mb, "further_scenario_seconds": t_again,
        "sites_per_s": cells.size / screen_s, "further_sites_per_s": cells.size / t_again,
        "brute_sample": n_sample, "brute_seconds": t_brute, "brute_rss_mb": rss_brute,
        "brute_sites_per_s": n_sample / t_brute,
        # How the screen ranks the sample against the exact values (Spearman).
        "sample_rank_correlation": _spearman(values[pick], exact),
    }  # fmt: skip
    out["ratio"] = out["sites_per_s"] / out["brute_sites_per_s"]
    if not quick:
        t_sweep, res, rss_sweep = C.best_of(
            lambda: sweep_many(radii_km=[SCREEN_RADIUS_KM], within=None, grid_km=SCREEN_GRID_KM,
                               top=10, scheduler="serial", near=False),
            repeat=1,
        )  # fmt: skip
        out.update(sweep_seconds=t_sweep, sweep_rss_mb=rss_sweep,
                   sweep_refined=res.meta["n_refined"])  # fmt: skip
    return out


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra = np.argsort(np.argsort(a)).astype(float)
    rb = np.argsort(np.argsort(b)).astype(float)
    if ra.std() == 0 or rb.std() == 0:
        return float("nan")
    return float(np.corrcoef(ra, rb)[0, 1])


# --- 2. top-K ----------------------------------------------------------------------------


def _compare(top: Any, cells: np.ndarray, brute: np.ndarray, screen: np.ndarray, k: int):
    """A sweep's top K against brute force on every candidate (ties count)."""
    best = np.sort(brute)[::-1]
    k = min(k, best.size)
    kth = best[k - 1]
    at = dict(zip(cells.tolist(), brute.tolist(), strict=True))
    sweep_cells = top["cell"].to_numpy()
    sweep_exact = top["value_exact"].to_numpy(dtype=float)
    brute_there = np.array([at[int(c)] for c in sweep_cells])
    matched = int((brute_there >= kth).sum())
    # How deep in the screen's order the refine must reach to hold K sites >= the K-th.
    order = np.argsort(-screen, kind="stable")
    depth = int(np.searchsorted(np.cumsum(brute[order] >= kth), k, side="left")) + 1
    missed = [
        {"cell": int(c), "lat": float(la), "lon": float(lo), "value": float(v)}
        for c, la, lo, v in zip(sweep_cells, top["lat"], top["lon"], brute_there, strict=True)
        if v < kth
    ]
    return {
        "k": k, "matched": matched, "kth_value": float(kth),
        "values_equal": bool(np.array_equal(np.sort(sweep_exact)[::-1], best[:k])),
        "value_max_diff": float(np.max(np.abs(sweep_exact - brute_there))),
        "screen_depth_needed": depth,
        "ties_at_kth": int((brute == kth).sum()), "missed": missed,
        "sweep_best": float(sweep_exact.max()), "brute_best": float(best[0]),
    }  # fmt: skip


def run_topk(quick: bool) -> list[dict[str, Any]]:
    """Every top-K case: sweep (top 10 and 50) and brute force on every candidate."""
    from rangemap.sweep import basing_sweep, objective_points

    out = []
    for label, objective, within, radius, grid, ks, quick_plan in TOPK_CASES:
        refine = None
        if quick:
            if quick_plan is None:
                continue
            grid, ks, refine = quick_plan
        points = objective_points(objective)
        options = {"radius_km": radius, "objective": objective, "within": within,
                   "grid_km": grid, "refine": refine, "scheduler": "serial",
                   "near": False}  # fmt: skip
        sweeps = {}
        for k in ks:
            n_refine = max(20 * k, 200) if refine is None else refine
            if sweeps and n_refine >= sweeps[ks[0]][1].meta["n_candidates"]:
                continue  # every candidate recounted: brute force itself, nothing to compare
            sweeps[k] = C.best_of(lambda k=k, o=options: basing_sweep(top=k, **o), repeat=1)
        first = sweeps[ks[0]][1]
        cand = first.candidates
        cells = cand["cell"].to_numpy()
        lat, lon = cand["lat"].to_numpy(), cand["lon"].to_numpy()
        screen = cand["value_screen"].to_numpy()
        t_brute, brute, rss_brute = C.best_of(
            lambda p=points, a=lat, b=lon, r=radius: _brute(p, a, b, r), repeat=1
        )
        case = {
            "case": f"{label}, {grid:g} km grid (nside {first.meta['nside']})",
            "objective": objective, "within": within, "radius_km": radius, "grid_km": grid,
            "nside": first.meta["nside"],
            "candidates": int(cells.size), "brute_seconds": t_brute, "brute_rss_mb": rss_brute,
            "per_k": [],
        }  # fmt: skip
        for k, (t, res, rss) in sweeps.items():
            comp = _compare(res.top, cells, brute, screen, k)
            comp.update(sweep_seconds=t, sweep_rss_mb=rss, refined=res.meta["n_refined"])
            case["per_k"].append(comp)
        out.append(case)
    return out


# --- 3. exact recount cost ---------------------------------------------------------------


def run_recount(quick: bool, rng: np.random.Generator) -> dict[str, Any]:
    """Milliseconds per candidate of the exact recount (the refine), one core."""
    from rangemap.grid import cell_centres, cells_within
    from rangemap.launch import area_geometry
    from rangemap.sweep import exact_values, objective_points

    land_cells = cells_within(128, area_geometry("land")[1])
    out: dict[str, Any] = {"radius_km": SCREEN_RADIUS_KM}
    for objective, n_full in (("population", 200), ("capitals", 1_000), ("area", 100)):
        n = max(10, n_full // 10) if quick else n_full
        lat, lon = cell_centres(128, rng.choice(land_cells, n, replace=False))
        points = objective_points(objective)
        t, _, _ = C.best_of(
            lambda p=points, a=lat, b=lon: exact_values(p, lat=a, lon=b,
                                                        radius_km=SCREEN_RADIUS_KM),
            repeat=1,
        )  # fmt: skip
        out[f"{objective}_ms"] = 1000.0 * t / n
        out[f"{objective}_sites"] = n
        out[f"{objective}_points"] = 0 if points.pop is None else len(points.pop.lat)
    return out


# --- 4. Dask -----------------------------------------------------------------------------


def _cpu_s(usage: Any) -> float:
    return float(usage.ru_utime + usage.ru_stime)


def _self_cpu_s() -> float:
    return _cpu_s(resource.getrusage(resource.RUSAGE_SELF))


def _worker_usage(client: Any) -> dict[str, Any]:
    """Each worker process's resource usage (peak RSS, CPU seconds so far)."""
    if client == "serial":
        return {}
    return client.run(resource.getrusage, resource.RUSAGE_SELF)


def _worker_peaks_mb(client: Any) -> list[float]:
    return [u.ru_maxrss / 1024.0 for u in _worker_usage(client).values()]


@contextmanager
def local_cluster(n_workers: int, *, default_trim: bool = False) -> Iterator[tuple[Any, float]]:
    """A LocalCluster of ``n_workers`` single-threaded processes, warmed up; its start time.

    As rangemap starts it (:func:`rangemap.cluster.start_local_cluster`: no
    ``MALLOC_TRIM_THRESHOLD_`` in the workers), or with ``default_trim`` as distributed
    starts workers by default (the variable set), for the diagnostic row.
    """
    from distributed import Client, LocalCluster

    from rangemap.cluster import start_local_cluster

    t0 = time.perf_counter()
    if default_trim:
        before = dict(os.environ)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "port 8787 is already in use"
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)  # fmt: skip
        for name in set(os.environ) - set(before):  # the nanny writes its variables here
            del os.environ[name]
    else:
        cluster = start_local_cluster(n_workers)
    client = Client(cluster, set_as_default=False)
    try:
        env = client.run(os.getenv, TRIM)
        if any((v is not None) != default_trim for v in env.values()):
            raise RuntimeError(f"{TRIM} in the workers is not as asked: {env}")
        # Warm up: every worker imports the library once (seconds), untimed below.
        for module in ("rangemap.sweep", "rangemap.density"):
            client.run(importlib.import_module, module)
        yield client, time.perf_counter() - t0
    finally:
        client.close()
        cluster.close()


def _timed_sweep(scheduler: Any, quick: bool) -> dict[str, Any]:
    """The Dask sweep on a scheduler: best time of the repeats, its stages, peak, result."""
    from rangemap.sweep import sweep_many

    radii = DASK_RADII_KM[:2] if quick else DASK_RADII_KM
    n = len(radii)
    best: dict[str, Any] = {}
    with C.peak() as p:
        for _ in range(1 if quick else DASK_REPEAT):
            ticks: list[float] = []
            before, cpu0 = _worker_usage(scheduler), _self_cpu_s()
            t0 = time.perf_counter()
            res = sweep_many(
                radii_km=list(radii), within="land", objective="population",
                grid_km=DASK_GRID_KM_QUICK if quick else DASK_GRID_KM,
                top=5 if quick else 10, refine=40 if quick else None, near=False,
                scheduler=scheduler,
                on_progress=lambda *_, t=ticks, t0=t0: t.append(time.perf_counter() - t0),
            )  # fmt: skip
            total = time.perf_counter() - t0
            cpu = _self_cpu_s() - cpu0
            after = _worker_usage(scheduler)
            if best and total >= best["seconds"]:
                continue
            best = {
                "seconds": total, "scenarios": n, "result": res, "client_cpu_seconds": cpu,
                "worker_cpu_seconds": [_cpu_s(after[k]) - _cpu_s(before[k]) for k in before],
                # Progress ticks: 1 after the weights, n after the screens, n after the recounts.
                "setup_alm_seconds": ticks[0], "screen_seconds": ticks[n] - ticks[0],
                "refine_seconds": ticks[2 * n] - ticks[n], "tail_seconds": total - ticks[2 * n],
            }  # fmt: skip
    best["rss_mb"] = p.mb
    return best


def _same(a: Any, b: Any) -> tuple[bool, str]:
    import pandas as pd

    try:
        pd.testing.assert_frame_equal(a.top, b.top, check_exact=True)
    except AssertionError as exc:
        return False, " ".join(str(exc).split())[:200]
    return True, ""


def run_dask(quick: bool) -> dict[str, Any]:
    """The sweep serial, on 1 and 2 workers (and 1 with distributed's trim); density on 2."""
    from rangemap.density import threat_density

    runs: dict[str, dict[str, Any]] = {"serial": _timed_sweep("serial", quick)}
    density_2w: list[dict[str, Any]] = []
    starts: dict[str, float] = {}
    worker_peaks: dict[str, list[float]] = {}
    plan = [("1 worker", 1, False), ("2 workers", 2, False)]
    if not quick:
        plan.insert(1, (TRIMMED, 1, True))
    for name, n, trim in plan:
        with local_cluster(n, default_trim=trim) as (client, start):
            starts[name] = start
            if name == "2 workers" and not quick:
                t0 = time.perf_counter()
                d = threat_density(nside=128, every_site=True, scheduler=client)
                density_2w.append({
                    "nside": 128, "seconds": time.perf_counter() - t0, "cells": len(d),
                    "worker_peak_mb": _worker_peaks_mb(client),
                })  # fmt: skip
            runs[name] = _timed_sweep(client, quick)
            worker_peaks[name] = _worker_peaks_mb(client)
    ref = runs["serial"]["result"]
    same = {name: _same(ref, r["result"]) for name, r in runs.items() if name != "serial"}
    t1, t2 = runs["1 worker"]["seconds"], runs["2 workers"]["seconds"]
    return {
        "runs": {k: {kk: vv for kk, vv in v.items() if kk != "result"} for k, v in runs.items()},
        "identical": {k: v[0] for k, v in same.items()},
        "differences": {k: v[1] for k, v in same.items() if not v[0]},
        "cluster_start_seconds": starts, "worker_peak_mb": worker_peaks,
        "candidates": ref.meta["n_candidates"], "nside": ref.meta["nside"],
        "refined": ref.meta["n_refined"], "speedup_2_over_1": t1 / t2,
        "efficiency": t1 / (2.0 * t2), "density_2w": density_2w,
    }  # fmt: skip


def cluster_estimate(screen: dict[str, Any], dask: dict[str, Any]) -> dict[str, Any]:
    """A global sweep of many scenarios at 13 km on many cores, from the measured parts.

    Per scenario: one band's screen at 13 km (measured in one process) and one scenario's
    exact recounts as measured on the 1-worker cluster (their number does not depend on
    the grid); serial in the client: the weights at 13 km. Spread over the cores at the
    2-worker parallel efficiency, and never under the waves of one scenario per core.
    """
    r1 = dask["runs"]["1 worker"]
    n = r1["scenarios"]
    refine_1w = r1["refine_seconds"] / n
    screen_1w = r1["screen_seconds"] / n
    screen_serial = dask["runs"]["serial"]["screen_seconds"] / n
    # Screens are slower in a worker too: scale the 13 km screen by the same factor.
    per_scenario = screen["further_scenario_seconds"] * screen_1w / screen_serial + refine_1w
    waves = math.ceil(EST_SCENARIOS / EST_CORES)
    fixed = screen["alm_seconds"]
    # A measured efficiency above 1 is noise on a shared machine, never a gain to project.
    spread = per_scenario * EST_SCENARIOS / (EST_CORES * min(dask["efficiency"], 1.0))
    out = {
        "per_scenario_seconds": per_scenario, "fixed_seconds": fixed, "waves": waves,
        "seconds": fixed + max(spread, waves * per_scenario),
    }  # fmt: skip
    return out


def near_cost_ms() -> float:
    """Milliseconds per top site of the sweep's nearest-settlement label (in the client)."""
    from rangemap.sweep import _near

    lat, lon = np.array([52.2, 35.7, -23.5, 40.7]), np.array([21.0, 139.7, -46.6, -74.0])
    _near(lat[:1], lon[:1])  # load the table once
    t, _, _ = C.best_of(lambda: _near(lat, lon), repeat=1)
    return 1000.0 * t / lat.size


# --- 5. density --------------------------------------------------------------------------


def run_density(quick: bool) -> list[dict[str, Any]]:
    """Whole-globe density, every site, today, in one process: time and peak memory."""
    from rangemap.density import threat_density
    from rangemap.threats import threat_rings

    threat_rings(every_site=True)  # load the tables once, untimed
    out = []
    for nside in (128,) if quick else (128, 256):
        t, d, rss = C.best_of(
            lambda n=nside: threat_density(nside=n, every_site=True, scheduler="serial"), repeat=1
        )
        out.append({
            "nside": nside, "cells": len(d), "cell_km": d.attrs["cell_km"], "seconds": t,
            "rss_mb": rss, "pairs_counted": d.attrs["pairs_counted"], "as_of": d.attrs["as_of"],
            "max_pairs": int(d["pairs"].max()), "systems": int(d["systems"].max()),
        })  # fmt: skip
    return out


# --- figures -----------------------------------------------------------------------------


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "n/a"


def run(quick: bool = False) -> dict[str, Any]:
    """Measure and return the figures (see the module docstring)."""
    rng = np.random.default_rng(13)
    load_start = _load()
    phases: dict[str, float] = {}

    def phase(name: str, fn: Any, *args: Any) -> Any:
        t0 = time.perf_counter()
        out = fn(*args)
        phases[name] = time.perf_counter() - t0
        return out

    screen = phase("screen", run_screen, quick, rng)
    recount = phase("recount", run_recount, quick, rng)
    topk = phase("top-K", run_topk, quick)
    density = phase("density", run_density, quick)
    near_ms = phase("labels", near_cost_ms)
    dask = phase("Dask", run_dask, quick)
    est = cluster_estimate(screen, dask)
    load_end = _load()
    runs = dask["runs"]
    nan = float("nan")

    rows = [
        C.row(f"screen, whole globe, {screen['candidates'] / 1e6:.2f} M candidates "
              f"(nside {screen['nside']}), {SCREEN_RADIUS_KM:,.0f} km",
              f"{C.fmt_rate(screen['sites_per_s'], 'sites/s')} ({C.fmt_s(screen['seconds'])})",
              f"{C.fmt_rate(screen['brute_sites_per_s'], 'sites/s')} (exact recount, "
              f"{screen['brute_sample']} sites, 1 core)",
              C.fmt_ratio(screen["ratio"]), C.fmt_rss(screen["rss_mb"], screen["brute_rss_mb"])),
        C.row("  each further scenario (screen only)",
              f"{C.fmt_rate(screen['further_sites_per_s'], 'sites/s')} "
              f"({C.fmt_s(screen['further_scenario_seconds'])})"),
    ]  # fmt: skip
    if "sweep_seconds" in screen:
        rows.append(C.row(
            f"  whole sweep_many call (screen + {screen['sweep_refined']} exact recounts)",
            C.fmt_s(screen["sweep_seconds"]), "", "", C.fmt_rss(screen["sweep_rss_mb"]),
        ))  # fmt: skip
    for case in topk:
        for i, c in enumerate(case["per_k"]):
            head = f"top-K, {case['case']}, {case['candidates']:,} candidates: " if i == 0 else "  "
            rows.append(C.row(
                f"{head}top {c['k']} in brute force's top {c['k']} (ties count); values equal",
                f"{c['matched']}/{c['k']}; {'yes' if c['values_equal'] else 'NO'} "
                f"(sweep {C.fmt_s(c['sweep_seconds'])}, {c['refined']:,} recounted)",
                f"brute force, every candidate: {C.fmt_s(case['brute_seconds'])}" if i == 0 else "",
                C.fmt_ratio(case["brute_seconds"] / c["sweep_seconds"]),
                C.fmt_rss(c["sweep_rss_mb"], case["brute_rss_mb"]),
            ))  # fmt: skip
    rows += [
        C.row(f"exact recount, population ({recount['population_points']:,} settlements), "
              f"{SCREEN_RADIUS_KM:,.0f} km", f"{C.fmt_num(recount['population_ms'])} ms/site"),
        C.row(f"exact recount, capitals ({recount['capitals_points']})",
              f"{C.fmt_num(recount['capitals_ms'])} ms/site"),
        C.row("exact recount, land area (ring polygon on land)",
              f"{C.fmt_num(recount['area_ms'])} ms/site"),
    ]  # fmt: skip
    serial_s = runs["serial"]["seconds"]
    for name, r in runs.items():
        first = name == "serial"
        same = "" if first else (
            "; top tables identical to serial" if dask["identical"][name] else "; DIFFER"
        )  # fmt: skip
        workers = "" if first else f" + workers {C.fmt_rss(*dask['worker_peak_mb'][name])}"
        cpu = f"CPU {r['client_cpu_seconds']:,.1f} s" if first else (
            f"CPU: client {r['client_cpu_seconds']:,.1f} s, workers "
            + " + ".join(f"{w:,.1f}" for w in r["worker_cpu_seconds"]) + " s"
        )  # fmt: skip
        rows.append(C.row(
            f"Dask: sweep, {r['scenarios']} scenarios, {dask['candidates']:,} land candidates "
            f"(nside {dask['nside']}): serial" if first else f"  {name}",
            f"{C.fmt_s(r['seconds'])} (screens {C.fmt_s(r['screen_seconds'])}, recounts "
            f"{C.fmt_s(r['refine_seconds'])}; {cpu}){same}",
            "" if first else f"serial {C.fmt_s(serial_s)}",
            "" if first else C.fmt_ratio(serial_s / r["seconds"]),
            C.fmt_rss(r["rss_mb"]) + workers,
        ))  # fmt: skip
    rows += [
        C.row("  2 workers over 1 worker: speed-up; parallel efficiency",
              f"{C.fmt_ratio(dask['speedup_2_over_1'])}; {100 * dask['efficiency']:.0f} %"),
        C.row(f"  estimate: {EST_SCENARIOS} scenarios, whole globe at 13 km, {EST_CORES} cores",
              f"~{C.fmt_s(est['seconds'])}"),
    ]  # fmt: skip
    for d in density:
        rows.append(C.row(
            f"whole-globe density, nside {d['nside']} ({d['cells']:,} cells, ~{d['cell_km']:g} "
            f"km), {d['pairs_counted']} pairs (every site), one process",
            C.fmt_s(d["seconds"]), "", "", C.fmt_rss(d["rss_mb"]),
        ))  # fmt: skip
    for d in dask["density_2w"]:
        rows.append(C.row(f"  nside {d['nside']} on the 2-worker cluster", C.fmt_s(d["seconds"]),
                          "", "", f"workers {C.fmt_rss(*d['worker_peak_mb'])}"))  # fmt: skip

    all_k = [c for case in topk for c in case["per_k"]]
    k10 = [c for c in all_k if c["k"] == 10]
    k50 = [c for c in all_k if c["k"] == 50]
    d128 = density[0]
    all_same = all(dask["identical"].values())

    def agree(cs: list[dict[str, Any]]) -> bool | None:
        return all(c["matched"] == c["k"] and c["values_equal"] for c in cs) if cs else None

    targets = [
        C.target(f"screen of the whole globe at 13 km ({screen['candidates'] / 1e6:.1f} M "
                 "candidates, one scenario) in seconds (< 10 s)",
                 C.fmt_s(screen["seconds"]), screen["seconds"] < 10.0),
        C.target("the sweep's top 10 are brute force's top 10 (ties count) on every test region",
                 "; ".join(f"{c['matched']}/{c['k']}" for c in k10), agree(k10)),
        C.target("the sweep's top 50 likewise, where 1,000 recounts leave candidates out",
                 "; ".join(f"{c['matched']}/{c['k']}" for c in k50) or "not run", agree(k50)),
        C.target("the same top sites serial and on 1 or 2 Dask workers",
                 "identical" if all_same else "differ", all_same),
        C.target(f"whole-globe density at ~50 km (nside 128, every site) < "
                 f"{DENSITY_TARGET_S / 60:.0f} min", C.fmt_s(d128["seconds"]),
                 d128["seconds"] < DENSITY_TARGET_S),
    ]  # fmt: skip

    r1, r2 = runs["1 worker"], runs["2 workers"]

    def cpu_text(name: str) -> str:
        r = runs[name]
        return f"{r['client_cpu_seconds'] + sum(r['worker_cpu_seconds']):,.1f} s"

    rn = runs.get(TRIMMED)
    radii = ", ".join(f"{r:,.0f}" for r in DASK_RADII_KM[: r1["scenarios"]])
    notes = [
        "ratio: the alternative's time over rangemap's (above 1: rangemap is faster); in the "
        "top-K rows, brute force on every candidate over the sweep",
        f"screen: {screen['settlements']:,} settlements binned at nside {screen['nside']}, "
        f"map2alm and alm2map to lmax {3 * screen['nside'] - 1}; its time counts the weights "
        f"({C.fmt_s(screen['alm_seconds'])}, once for all scenarios) and one band "
        f"({C.fmt_s(screen['screen_seconds'])}); brute force is the exact recount "
        "(exact_values, what the refine runs) on random candidates of the same grid; on "
        "those the screen's order has Spearman correlation "
        f"{screen['sample_rank_correlation']:.4f} with the exact values",
        "top-K: basing_sweep with the default refine (max(20 K, 200) candidates recounted; "
        "fewer in --quick), "
        "one process, no nearest-settlement labels; brute force: the exact objective at every "
        "candidate of the same grid (population_in_range, all cores); a sweep site matches "
        "when its exact value is at least brute force's K-th value; a grid of G km is the "
        "HEALPix nside nearest to G (rangemap.grid.nside_for_spacing_km)",
        f"exact recount: random land sites (nside 128), {SCREEN_RADIUS_KM:,.0f} km, one core; "
        "population and capitals decide every point by its geodesic distance (a spherical "
        "bound settles most, GeographicLib the rest); area intersects the exact ring "
        "polygon with Natural Earth 1:110m land",
    ]  # fmt: skip
    for case in topk:
        for c in case["per_k"]:
            notes.append(
                f"{case['case']}, top {c['k']}: K-th exact value {C.fmt_num(c['kth_value'], 6)} "
                f"(candidates with it: {c['ties_at_kth']}); the screen's order holds K sites at "
                f"or above it in its first {c['screen_depth_needed']:,} (recounted "
                f"{c['refined']:,}); sweep vs brute force at the same cells: largest "
                f"difference {C.fmt_num(c['value_max_diff'])}"
            )
            for m in c["missed"]:
                notes.append(
                    f"  missed: ({m['lat']:.2f}, {m['lon']:.2f}) value {C.fmt_num(m['value'], 6)}"
                    f" < K-th {C.fmt_num(c['kth_value'], 6)}"
                )
    notes += [
        f"Dask sweep (best of {1 if quick else DASK_REPEAT} runs each): population, radii "
        f"{radii} km, candidates on land at "
        f"{DASK_GRID_KM_QUICK if quick else DASK_GRID_KM:g} km "
        f"(nside {dask['nside']}), {dask['refined']} recounted per scenario, no "
        "nearest-settlement labels; timed from the call to its return, after the cluster "
        "started and every worker imported rangemap (start and warm-up, untimed: "
        + ", ".join(f"{k} {C.fmt_s(v)}" for k, v in dask["cluster_start_seconds"].items())
        + "); the candidates, the objective's weights and the top tables are made in the "
        "client (to the first progress tick: serial "
        f"{C.fmt_s(runs['serial']['setup_alm_seconds'])}, 1 worker "
        f"{C.fmt_s(r1['setup_alm_seconds'])}, 2 workers {C.fmt_s(r2['setup_alm_seconds'])}); "
        "peak RSS: the client process, then each worker "
        "since it started",
        "distributed's nanny starts its workers with MALLOC_TRIM_THRESHOLD_=65536 by "
        "default (distributed.nanny.pre-spawn-environ, for memory trimming); glibc then maps "
        "and unmaps every large temporary array, and the exact recount (numpy temporaries of "
        "50,000 pairs) cost twice the CPU in a worker: rangemap's LocalCluster "
        "(rangemap.cluster.start_local_cluster) starts its workers without it. CPU seconds, "
        f"which other load on the machine does not inflate: serial {cpu_text('serial')}, 1 "
        f"worker {cpu_text('1 worker')}, 2 workers {cpu_text('2 workers')}"
        + (f", 1 worker with distributed's default {cpu_text(TRIMMED)}" if rn else "") + ")",
        f"nearest-settlement labels (near=True, the default) cost {C.fmt_num(near_ms)} ms per "
        "top site, one after another in the client, on every scheduler; they are left out of "
        "the Dask times",
        f"estimate, not measured: {EST_SCENARIOS} scenarios over the whole globe at 13 km "
        f"(3.1 M candidates each) on {EST_CORES} cores ~ weights "
        f"{C.fmt_s(est['fixed_seconds'])} + per-scenario cost "
        f"{C.fmt_s(est['per_scenario_seconds'])} x {EST_SCENARIOS} / ({EST_CORES} x "
        f"efficiency {min(dask['efficiency'], 1.0):.2f}), and never under {est['waves']} "
        "waves of one "
        "scenario per core; per-scenario cost: a 13 km screen as timed above (scaled by how "
        "much slower the screens ran on the 1-worker cluster than in one process) plus one "
        f"scenario's recounts ({dask['refined']}, whatever the grid) as timed on the 1-worker "
        "cluster"
        + "; assumes cores as fast as these, the 2-worker efficiency held at 64 (optimistic: "
        "the candidates, the weights and the top tables stay serial in the client, and the "
        "weights, 19 MB at nside 512, go to every worker), memory for a 3.1 M-cell map per "
        f"worker, and no nearest-settlement labels ({EST_SCENARIOS} x 10 top sites would add "
        f"{C.fmt_s(EST_SCENARIOS * 10 * near_ms / 1000)} in the client)",
        f"density: today's deployments ({d128['as_of']}) plus every system at every shipped "
        f"site of its own country ({d128['pairs_counted']} pairs), nominal band, with cell "
        f"polygons; most pairs reaching one cell: {d128['max_pairs']}",
    ]  # fmt: skip
    for name, why in dask["differences"].items():
        notes.append(f"Dask {name} differs from serial: {why}")
    notes.append(
        f"load average (1 min) at the start {load_start} and the end {load_end}, on "
        f"{os.cpu_count()} cores: above the core count, other work shared the machine and "
        "every time here (the Dask ratios most) is provisional; phases: "
        + ", ".join(f"{k} {C.fmt_s(v)}" for k, v in phases.items())
    )

    return {
        "benchmark": "scale",
        "available": True,
        "work": (
            f"whole-globe screen ({screen['candidates']:,} candidates) vs the exact recount; "
            f"top-K on {len(topk)} regions vs brute force; a {runs['serial']['scenarios']}-"
            "scenario sweep serial and on 1 and 2 Dask workers; whole-globe density at nside "
            + ", ".join(str(d["nside"]) for d in density)
        ),
        "screen": screen, "topk_cases": topk, "recount": recount, "dask": dask,
        "estimate": est, "density_cases": density, "near_ms_per_site": near_ms,
        "phase_seconds": phases,
        "screen_sites_per_s": screen["sites_per_s"],
        "brute_sites_per_s": screen["brute_sites_per_s"],
        "screen_over_brute": screen["ratio"],
        "topk_matched": sum(c["matched"] for c in all_k),
        "topk_expected": sum(c["k"] for c in all_k),
        "topk_values_equal": all(c["values_equal"] for c in all_k),
        "topk_value_max_diff": max(c["value_max_diff"] for c in all_k),
        "recount_population_ms": recount["population_ms"],
        "recount_area_ms": recount["area_ms"],
        "dask_serial_seconds": serial_s,
        "dask_1_worker_seconds": r1["seconds"], "dask_2_workers_seconds": r2["seconds"],
        "dask_1_worker_default_trim_seconds": rn["seconds"] if rn else nan,
        "dask_speedup": dask["speedup_2_over_1"], "dask_efficiency": dask["efficiency"],
        "dask_identical": all_same, "cluster_estimate_seconds": est["seconds"],
        "dask_cpu_seconds": {k: v["client_cpu_seconds"] + sum(v["worker_cpu_seconds"])
                             for k, v in runs.items()},
        "density_seconds": d128["seconds"], "density_peak_mb": d128["rss_mb"],
        "density_cells": d128["cells"],
        "rows": rows, "targets": targets, "notes": notes,
    }  # fmt: skip


if __name__ == "__main__":
    C.main(run, __doc__)
