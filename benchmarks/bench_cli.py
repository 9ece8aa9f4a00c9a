"""Command line: start-up of ``rangemap systems`` and ``--help`` against bare imports.

Work: the whole process of ``rangemap systems`` (the console script pip installs next to
the interpreter, the table printed and discarded) and of ``rangemap --help``, against the
whole process of ``python -c "import pyproj, shapely, pandas"`` (the libraries any such
tool loads). One warm-up run of each, then N rounds (7; 2 with ``--quick``), each run in
the order ``systems``, baseline, ``--help``, each timed with ``time.perf_counter`` around
``subprocess.run``. Reported: the median time of each, and the median, minimum and
maximum of the per-round ratios command / baseline, each command paired with the baseline
run right beside it, so that the noise of a shared machine falls on both alike (issue 14:
both within 1.5x).

One more run of each command with ``PYTHONPROFILEIMPORTTIME=1`` (``-X importtime``) lists
every module the process imported, lazily imported ones included: none of matplotlib,
folium, streamlit, GDAL (pyogrio, fiona, osgeo), geopandas, scipy, dask, healpy or
rasterio may be among them.

The file cache is warm (caches are not dropped: that needs root); this is the start-up a
user sees from the second run on.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402

WHAT = "rangemap systems start-up"
#: Top-level packages ``rangemap systems`` and ``--help`` must not load (plotting, web map,
#: dashboard, GDAL, and the geometry, grid and cluster stacks they never use).
HEAVY = ("matplotlib", "folium", "streamlit", "pyogrio", "fiona", "osgeo", "geopandas",
         "scipy", "dask", "healpy", "rasterio")  # fmt: skip
#: Traced when loaded (who imported them first): the heavy ones, and the baseline's two
#: geometry libraries, which ``rangemap systems`` does not need either.
TRACED = (*HEAVY, "shapely", "pyproj")
BASELINE_IMPORTS = "import pyproj, shapely, pandas"
ARGS = ["systems"]
HELP_ARGS = ["--help"]
MAX_RATIO = 1.5


def command() -> tuple[list[str], str]:
    """The user-facing ``rangemap`` command (argv prefix) and how it is described."""
    script = Path(sys.executable).parent / "rangemap"  # not resolved: the venv's bin/
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)], "the console script `rangemap` installed next to the interpreter"
    code = "from rangemap.cli import main_entry; main_entry()"
    return [sys.executable, "-c", code], f'`python -c "{code}"` (no console script found)'


def _run(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Run a whole process; (wall seconds, stderr). Raises if it fails."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        argv, cwd=C.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
    )
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"{argv} exited with {proc.returncode}: {tail}")
    return seconds, proc.stderr


def _peak_rss_mb(argv: list[str]) -> float:
    """Peak resident memory (MB) of one whole run of ``argv`` (its own rusage)."""
    proc = subprocess.Popen(argv, cwd=C.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv} exited with {proc.returncode}")
    return usage.ru_maxrss / 1024.0


def imported(argv: list[str]) -> tuple[dict[str, float], dict[str, str]]:
    """Every module a run of ``argv`` imports: ({module: cumulative import s}, {module:
    the module that imported it first}).

    From ``PYTHONPROFILEIMPORTTIME=1`` (``-X importtime``), which logs every import of the
    process, at start-up or later, to stderr: a module's line follows those of the modules
    it imported, indented one step deeper.
    """
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
    _, stderr = _run(argv, env=env)
    modules: dict[str, float] = {}
    parent: dict[str, str] = {}
    pending: dict[int, list[str]] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        _, cumulative, field = line.split("|", 2)
        name = field.strip()
        depth = (len(field) - len(field.lstrip()) - 1) // 2
        for child in pending.pop(depth + 1, []):
            parent[child] = name
        pending.setdefault(depth, []).append(name)
        modules[name] = int(cumulative) / 1e6
    return modules, parent


def _chain(module: str, parent: dict[str, str]) -> str:
    """``first > ... > module``: who imported ``module``, up to the script."""
    chain = [module]
    while chain[-1] in parent and len(chain) < 50:
        chain.append(parent[chain[-1]])
    return " > ".join(reversed(chain))


def _top_level(modules: dict[str, float]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def _ratios(times: list[float], baseline: list[float]) -> tuple[float, float, float]:
    """Median, minimum and maximum of the per-round ratios ``times / baseline``."""
    ratios = [a / b for a, b in zip(times, baseline, strict=True)]
    return statistics.median(ratios), min(ratios), max(ratios)


def _heavy(argv: list[str]) -> tuple[dict[str, float], dict[str, str], list[str]]:
    """Modules a run imports, who imported each first, and the heavy ones among them."""
    modules, parent = imported(argv)
    return modules, parent, sorted(_top_level(modules) & set(HEAVY))


def run(quick: bool = False) -> dict[str, Any]:
    """Measure and return the figures (see the module docstring)."""
    prefix, how = command()
    cmd_a = [*prefix, *ARGS]
    cmd_h = [*prefix, *HELP_ARGS]
    cmd_b = [sys.executable, "-c", BASELINE_IMPORTS]
    pairs = 2 if quick else 7

    # Warm-up, one of each (also their peak memory, from their own rusage).
    rss_a, rss_b, rss_h = _peak_rss_mb(cmd_a), _peak_rss_mb(cmd_b), _peak_rss_mb(cmd_h)
    times_a: list[float] = []
    times_b: list[float] = []
    times_h: list[float] = []
    for _ in range(pairs):  # each command beside the baseline run it is compared with
        times_a.append(_run(cmd_a)[0])
        times_b.append(_run(cmd_b)[0])
        times_h.append(_run(cmd_h)[0])
    med_a, med_b, med_h = (statistics.median(t) for t in (times_a, times_b, times_h))
    r_med, r_min, r_max = _ratios(times_a, times_b)
    h_med, h_min, h_max = _ratios(times_h, times_b)
    advantage = statistics.median([b / a for a, b in zip(times_a, times_b, strict=True)])
    help_advantage = statistics.median([b / h for h, b in zip(times_h, times_b, strict=True)])

    mods_a, parent_a, heavy = _heavy(cmd_a)
    mods_h, parent_h, heavy_h = _heavy(cmd_h)
    mods_b, _ = imported(cmd_b)
    top_a, top_b = _top_level(mods_a), _top_level(mods_b)
    beyond = sorted(n for n in top_a - top_b if not n.startswith("_"))
    biggest = sorted(
        ((s, m) for m, s in mods_a.items() if "." not in m and m != "rangemap.cli"),
        reverse=True,
    )[:4]
    heavy_text = ", ".join(heavy) if heavy else "none"
    heavy_h_text = ", ".join(heavy_h) if heavy_h else "none"
    traced = [f"{m} loaded by {_chain(m, parent_a)}" for m in TRACED if m in mods_a]
    traced += [f"--help: {m} loaded by {_chain(m, parent_h)}" for m in TRACED if m in mods_h]

    def per_round(med: float, lo: float, hi: float) -> str:
        return f"{C.fmt_ratio(med)} ({C.fmt_ratio(lo)}-{C.fmt_ratio(hi)})"

    rows = [
        C.row(
            f"`rangemap {' '.join(ARGS)}` start-up, whole process, median of {pairs} (alt.: "
            f'python -c "{BASELINE_IMPORTS}")',
            C.fmt_s(med_a), C.fmt_s(med_b), C.fmt_ratio(advantage), C.fmt_rss(rss_a, rss_b),
        ),
        C.row("start-up / baseline start-up, per pair: median (min-max)",
              per_round(r_med, r_min, r_max)),
        C.row(
            f"`rangemap {' '.join(HELP_ARGS)}`, whole process, median of {pairs}",
            C.fmt_s(med_h), C.fmt_s(med_b), C.fmt_ratio(help_advantage),
            C.fmt_rss(rss_h, rss_b),
        ),
        C.row("--help / baseline start-up, per pair: median (min-max)",
              per_round(h_med, h_min, h_max)),
        C.row(f"heavy modules loaded ({', '.join(HEAVY)})",
              f"systems: {heavy_text}; --help: {heavy_h_text}"),
        C.row("modules imported (systems, --help / baseline)",
              f"{len(mods_a):,}, {len(mods_h):,}", f"{len(mods_b):,}"),
    ]  # fmt: skip
    met = not heavy and r_med <= MAX_RATIO
    help_met = not heavy_h and h_med <= MAX_RATIO
    return {
        "benchmark": "cli",
        "available": True,
        "work": f"`rangemap {' '.join(ARGS)}` and `rangemap {' '.join(HELP_ARGS)}` as whole "
        f"processes, {pairs} rounds with the baseline",
        "command": " ".join(cmd_a),
        "pairs": pairs,
        "rangemap_seconds": times_a,
        "baseline_seconds": times_b,
        "help_seconds": times_h,
        "rangemap_median_seconds": med_a,
        "baseline_median_seconds": med_b,
        "help_median_seconds": med_h,
        "ratio_median": r_med,
        "ratio_min": r_min,
        "ratio_max": r_max,
        "help_ratio_median": h_med,
        "help_ratio_min": h_min,
        "help_ratio_max": h_max,
        "heavy_modules_loaded": heavy,
        "help_heavy_modules_loaded": heavy_h,
        "modules_imported": len(mods_a),
        "help_modules_imported": len(mods_h),
        "baseline_modules_imported": len(mods_b),
        "rows": rows,
        "targets": [
            C.target(
                f"`rangemap systems` loads none of {', '.join(HEAVY)}; start-up within "
                f"{MAX_RATIO}x of importing pyproj+shapely+pandas",
                f"heavy modules loaded: {heavy_text}; start-up {per_round(r_med, r_min, r_max)}"
                f" the baseline's (median of {pairs} pairs)",
                met,
            ),
            C.target(
                f"`rangemap --help` loads none of them; within {MAX_RATIO}x of the baseline",
                f"heavy modules loaded: {heavy_h_text}; {per_round(h_med, h_min, h_max)} the "
                f"baseline's (median of {pairs} pairs)",
                help_met,
            ),
        ],
        "notes": [
            f"command: {how}, `rangemap {' '.join(ARGS)}` (the table, as typed) and "
            f"`rangemap {' '.join(HELP_ARGS)}`, stdout discarded; `python -m rangemap` "
            "runs the same code and is not timed separately",
            f"one warm-up run of each, then {pairs} rounds of systems, baseline, --help "
            "(each command paired with the baseline run beside it), perf_counter around "
            "subprocess.run; interpreter start-up is in every time; warm file cache "
            "(caches not dropped)",
            "the ratio column is the baseline's time over rangemap's (below 1: rangemap "
            "starts slower than the bare imports); the targets are judged on the per-pair "
            "ratio rangemap / baseline",
            f"times (s), systems: {', '.join(f'{t:.3f}' for t in times_a)}; "
            f"--help: {', '.join(f'{t:.3f}' for t in times_h)}; "
            f"baseline: {', '.join(f'{t:.3f}' for t in times_b)}",
            "slowest packages to import in `rangemap systems` (-X importtime, cumulative: each "
            "counts what it loaded first): " + ", ".join(f"{m} {C.fmt_s(s)}" for s, m in biggest),
            "top-level packages imported beyond the baseline's: " + (", ".join(beyond) or "none"),
            *traced,
        ],
    }


if __name__ == "__main__":
    C.main(run, __doc__)
