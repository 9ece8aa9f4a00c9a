"""Shared helpers for the benchmarks: timing, peak memory, machine facts, output.

Every ``bench_<name>.py`` module defines ``run(quick=False) -> dict`` and ends with
``main(run, __doc__)``, so it can be run alone (``python benchmarks/bench_rings.py``) or by
``run_all.py`` (which runs each one in a fresh subprocess and passes ``--json PATH``).

The figures dict every benchmark returns has at least these keys:

``benchmark``   name (``rings``, ``coverage``, ...)
``available``   False when the code it measures does not exist yet
``work``        one line describing the work measured
``rows``        table rows: dicts with ``measure``, ``rangemap``, ``alternative``,
                ``ratio`` and ``rss`` (peak resident memory, MB, rangemap / alternative)
``targets``     dicts with ``target``, ``measured`` and ``met`` (True, False or None)
``notes``       free text lines
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as _dt
import gc
import json
import os
import platform
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

_CLEAR_REFS = Path("/proc/self/clear_refs")
_STATUS = Path("/proc/self/status")


def _hwm_kb() -> int | None:
    """Peak resident set size of this process since the last reset (kB), from /proc."""
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _release_freed_memory() -> None:
    """Collect garbage and hand freed heap back to the system, so the next phase's peak
    does not start from memory the previous phase freed but glibc kept."""
    gc.collect()
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


#: Highest peak (kB) seen before any reset: resetting the kernel's counter also lowers
#: ``ru_maxrss``, so the whole process's peak is tracked here.
_max_seen_kb = 0


def process_peak_mb() -> float:
    """Peak resident memory of the whole process so far (MB), across phase resets."""
    kb = max(_max_seen_kb, _hwm_kb() or 0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return kb / 1024.0


def _reset_hwm() -> bool:
    """Reset the kernel's peak-RSS counter to the current RSS (Linux >= 4.0)."""
    global _max_seen_kb
    _max_seen_kb = max(_max_seen_kb, _hwm_kb() or 0)
    _release_freed_memory()
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


class Peak:
    """Peak resident memory (MB) of the process during a ``with peak() as p:`` block.

    On Linux the kernel's high-water mark (VmHWM) is reset at the start of the block, so
    each phase of a benchmark gets its own honest peak. Elsewhere the process-wide
    ``ru_maxrss`` is used, which never goes down (later phases then report at least the
    earlier peaks).
    """

    mb: float = float("nan")


@contextmanager
def peak() -> Iterator[Peak]:
    """Measure the peak resident memory of the process during the block."""
    p = Peak()
    exact = _reset_hwm()
    try:
        yield p
    finally:
        kb = _hwm_kb() if exact else None
        if kb is None:
            kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        p.mb = kb / 1024.0


def best_of(
    fn: Callable[[], Any],
    *,
    repeat: int,
    setup: Callable[[], Any] | None = None,
) -> tuple[float, Any, float]:
    """Run ``fn`` ``repeat`` times; return (best wall time in s, last result, peak RSS MB).

    ``setup`` runs before every repetition, untimed (e.g. to empty a cache). The best time
    is reported, as ``timeit`` advises: on a shared machine the slower runs measure the
    other work, not this code.
    """
    best = float("inf")
    result: Any = None
    with peak() as p:
        for _ in range(max(1, repeat)):
            if setup is not None:
                setup()
            t0 = time.perf_counter()
            result = fn()
            best = min(best, time.perf_counter() - t0)
    return best, result, p.mb


# --- formatting ------------------------------------------------------------------------


def fmt_num(x: float | None, digits: int = 3) -> str:
    """A number with thousands separators and about ``digits`` significant digits."""
    if x is None or x != x:  # NaN
        return "n/a"
    ax = abs(x)
    if ax >= 10 ** (digits - 1):
        return f"{x:,.0f}"
    if ax == 0:
        return "0"
    decimals = max(0, digits - 1 - int(f"{ax:e}".split("e")[1]))
    return f"{x:,.{decimals}f}"


def fmt_rate(x: float, unit: str) -> str:
    """A rate, in M when large."""
    if x >= 1e6:
        return f"{x / 1e6:,.2f} M {unit}"
    return f"{fmt_num(x)} {unit}"


def fmt_s(x: float) -> str:
    """Seconds or milliseconds."""
    if x != x:
        return "n/a"
    return f"{x * 1000:,.1f} ms" if x < 1 else f"{x:,.2f} s"


def fmt_ratio(x: float) -> str:
    """A ratio like ``12.3x``."""
    return "n/a" if x != x else f"{fmt_num(x)}x"


def fmt_rss(*mbs: float) -> str:
    """Peak RSS figures joined by `` / ``."""
    return " / ".join("n/a" if m != m else f"{m:,.0f}" for m in mbs)


def row(
    measure: str,
    rangemap: str,
    alternative: str = "",
    ratio: str = "",
    rss: str = "",
) -> dict[str, str]:
    """One table row."""
    return {
        "measure": measure,
        "rangemap": rangemap,
        "alternative": alternative,
        "ratio": ratio,
        "rss": rss,
    }


def target(text: str, measured: str, met: bool | None) -> dict[str, Any]:
    """One target line (``met`` None when it could not be measured)."""
    return {"target": text, "measured": measured, "met": met}


def unavailable(name: str, what: str, reason: str) -> dict[str, Any]:
    """Figures of a benchmark whose code does not exist yet."""
    return {
        "benchmark": name,
        "available": False,
        "work": what,
        "rows": [row(what, f"not available yet ({reason})")],
        "targets": [],
        "notes": [f"not available yet: {reason}"],
    }


# --- machine -----------------------------------------------------------------------------


def machine_info() -> dict[str, str]:
    """Cores, CPU model, date, load and the versions that matter to these figures."""
    import numpy
    import pyproj
    import shapely

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info = {
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pyproj": f"{pyproj.__version__} (PROJ {pyproj.proj_version_str})",
        "shapely": f"{shapely.__version__} (GEOS {shapely.geos_version_string})",
    }
    try:
        import geopandas
        import pyogrio

        info["geopandas"] = geopandas.__version__
        info["pyogrio"] = f"{pyogrio.__version__} (GDAL {pyogrio.__gdal_version_string__})"
    except ImportError:
        pass
    with suppress(OSError):
        info["load average"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return info


# --- command line ------------------------------------------------------------------------


def print_figures(fig: dict[str, Any]) -> None:
    """Print a benchmark's rows, targets and notes as aligned text."""
    print(f"== {fig['benchmark']}: {fig['work']}")
    rows = fig["rows"]
    head = row("measure", "rangemap", "alternative", "ratio", "peak RSS MB (rm / alt)")
    widths = {k: max(len(r[k]) for r in [head, *rows]) for k in head}
    for r in [head, *rows]:
        print("  " + "  ".join(r[k].ljust(widths[k]) for k in head).rstrip())
    for t in fig["targets"]:
        mark = {True: "MET", False: "NOT MET", None: "not measured"}[t["met"]]
        print(f"  target: {t['target']}: {t['measured']} -> {mark}")
    for note in fig["notes"]:
        print(f"  note: {note}")
    if "process_peak_rss_mb" in fig:
        print(f"  whole benchmark process: peak RSS {fig['process_peak_rss_mb']:,.0f} MB")
    print(flush=True)


def main(run: Callable[..., dict[str, Any]], doc: str | None) -> None:
    """Command line of a benchmark module: run it, print the figures, maybe save JSON."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args()
    fig = run(quick=args.quick)
    fig["process_peak_rss_mb"] = process_peak_mb()
    if args.json:
        Path(args.json).write_text(json.dumps(fig, indent=1, default=float))
    else:
        print_figures(fig)
    sys.stdout.flush()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(script: Path, *, start_s: float = 60.0) -> Iterator[str]:
    """Serve ``script`` with ``streamlit run`` from the repository root; yield its URL.

    The server's output goes to a temporary file (a pipe nobody reads could fill and stall
    it); when it does not start, the error ends with that output. tests/test_browser.py
    serves the dashboard through this too.
    """
    port = free_port()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + start_s
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                        if r.read() == b"ok":
                            break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        out = log.read().decode(errors="replace")[-4000:]
                        message = f"streamlit did not start for {script}:\n{out}"
                        raise RuntimeError(message) from None
                    time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
