"""Hostile input: the worst input of each class of issue 15, before and after its fixes.

Work: ten inputs, one per class of issue 15 (quadratic parsing, unbounded work from small
inputs, an endless scenario stream, matplotlib math in names), each run as a whole
``rangemap`` process (``python -c "from rangemap.cli import main_entry; main_entry()"``
with the command's arguments) twice:

- **before**: the code of commit ``fb0cd79`` (the last commit before the issue's work),
  exported with ``git archive`` (``rangemap/`` and ``data/``) into a temporary folder and
  put first on ``PYTHONPATH``; the child runs in a scratch folder, so ``import rangemap``
  resolves there (checked: ``rangemap.__file__`` is printed by a separate process first);
- **after**: the current tree, the same way.

Every child has a timeout (``before``: 60 s, ``after``: 60 s; 10 s and 30 s with
``--quick``) and an address-space limit (``RLIMIT_AS``: 4 GB; 2 GB for the endless
stream), set in the child before it starts, so no input can hang the run or exhaust the
machine. A child still running at its timeout is killed (SIGKILL). Time is wall time
from spawn to exit; peak memory is the child's own ``ru_maxrss`` from ``os.wait4``. The
inputs are written to a temporary folder that is deleted at the end; standard output is
discarded, standard error kept to count its lines.

A case is **bounded** when its ``after`` run exits within 10 s, with status 0, or with
status 2 and exactly one line on standard error (a refusal naming the limit).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402

WHAT = "hostile inputs, before and after issue 15"
#: The last commit before the work on issue 15.
BEFORE_COMMIT = "fb0cd79"
#: The ``rangemap`` command, run by the interpreter with the command's arguments.
CLI_CODE = "import sys; sys.argv[0] = 'rangemap'; from rangemap.cli import main_entry; main_entry()"
#: A bounded case exits within this many seconds.
BOUND_S = 10.0
GB = 1024**3
MEM_LIMIT = 4 * GB
STREAM_MEM_LIMIT = 2 * GB
STDERR_SHOWN = 160


# --- the inputs -------------------------------------------------------------------------


class Case(NamedTuple):
    """One class of hostile input: how to build its worst input and run it."""

    key: str
    title: str  # the class, as issue 15 found it
    expect: str  # "ok" or "refused": what the current code should do
    build: Callable[[Path, bool], tuple[list[str], str]]  # (folder, quick) -> (argv, size)
    stream: bool = False  # fed through a FIFO by a writer thread


def _csv_lines(path: Path, header: str, rows: Any) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(header + "\n")
        f.writelines(rows)


def _wide_header(d: Path, quick: bool) -> tuple[list[str], str]:
    n = 1_000 if quick else 40_000
    path = d / "wide.csv"
    cols = ["name", "lat", "lon", *(f"c{i}" for i in range(3, n))]
    _csv_lines(path, ",".join(cols), ["Wide,10.0,20.0\n"])
    return ["sites", "--file", str(path)], f"{n:,} columns ({path.stat().st_size / 1e3:,.0f} KB)"


def _one_line(d: Path, quick: bool) -> tuple[list[str], str]:
    size = 50_000 if quick else 22_000_000
    path = d / "one-line.csv"
    with path.open("w", encoding="utf-8") as f:
        written, i = 0, 0
        while written < size:
            chunk = ",".join(f"c{j}" for j in range(i, i + 10_000)) + ","
            f.write(chunk)
            written += len(chunk)
            i += 10_000
        f.write("c\n")
    mb = path.stat().st_size / 1e6
    return ["sites", "--file", str(path)], f"{mb:,.1f} MB (about {i:,} columns)"


def _same_name(d: Path, quick: bool) -> tuple[list[str], str]:
    n = 500 if quick else 10_000
    path = d / "same-name.csv"
    rows = (f"Same,{10 + (i % 500) / 100:.2f},{100 + i // 500 / 100:.2f}\n" for i in range(n))
    _csv_lines(path, "name,lat,lon", rows)
    return ["sites", "--file", str(path)], f"{n:,} sites named 'Same'"


def _long_title(d: Path, quick: bool) -> tuple[list[str], str]:
    n = 200 if quick else 2_000
    title = ("Range of the DF-26 from Guam " * (n // 29 + 1))[:n]
    args = ["figure", "--system", "df-26", "--site", "guam", "--title", title]
    return [*args, "-o", str(d / "title.png"), "--dpi", "50"], f"{n:,} characters"


def _repeated_systems(d: Path, quick: bool) -> tuple[list[str], str]:
    n = 600 if quick else 20_000
    path = d / "repeated.toml"
    systems = ", ".join(['"df-26"'] * n)
    path.write_text(
        f'title = "hostile"\nregion = "east-asia"\nsystems = [{systems}]\n'
        'sites = ["guam"]\ntargets = "none"\n',
        encoding="utf-8",
    )
    kb = path.stat().st_size / 1e3
    return ["export", str(path), "-o", str(d / "x.geojson")], f"{n:,} systems ({kb:,.0f} KB)"


def _distinct_properties(d: Path, quick: bool) -> tuple[list[str], str]:
    n = 500 if quick else 10_000
    path = d / "props.geojson"
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [100 + i % 100 / 10, 10 + i // 100 / 10]},
            "properties": {"name": f"s{i}", f"p{i}": i},
        }
        for i in range(n)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), "utf-8")
    size = f"{n:,} features, one distinct property each ({path.stat().st_size / 1e3:,.0f} KB)"
    return ["sites", "--file", str(path)], size


def _compare_many(d: Path, quick: bool) -> tuple[list[str], str]:
    n = 25 if quick else 200
    args = ["compare", "--system", "df-26"]
    for i in range(n):
        args += ["--site", f"{20 + (i % 20) * 1.2:.1f},{100 + (i // 20) * 3.5:.1f}"]
    return args, f"{n} x --site LAT,LON"


def _million_rows(d: Path, quick: bool) -> tuple[list[str], str]:
    n = 20_000 if quick else 1_000_000
    path = d / "big.csv"
    rows = (f"s{i},Site {i},{(i % 1700) / 10 - 85:.1f},{(i // 1700) % 3600 / 10 - 180:.1f}\n"
            for i in range(n))  # fmt: skip
    _csv_lines(path, "id,name,lat,lon", rows)
    mb = path.stat().st_size / 1e6
    return ["sites", "--file", str(path)], f"{n:,} rows ({mb:,.1f} MB)"


def _endless(d: Path, quick: bool) -> tuple[list[str], str]:
    path = d / "endless.toml"
    os.mkfifo(path)
    args = ["export", str(path), "-o", str(d / "endless.geojson")]
    return args, "TOML comment lines fed without end by a writer thread"


def _math_name(d: Path, quick: bool) -> tuple[list[str], str]:
    path = d / "math-sites.csv"
    _csv_lines(path, "id,name,lat,lon", ["x,$x^$,13.48,144.75\n"])
    args = ["figure", "--system", "df-26", "--sites-file", str(path), "--site", "x"]
    return [*args, "-o", str(d / "math.png"), "--dpi", "50"], "site named '$x^$'"


CASES = (
    Case("wide-header", "wide CSV header, `sites --file`", "refused", _wide_header),
    Case("one-line", "one-line file named .csv, `sites --file`", "refused", _one_line),
    Case("same-name", "sites of one name, `sites --file`", "ok", _same_name),
    Case("long-title", "long title, `figure --title`", "ok", _long_title),
    Case("repeated-systems", "repeated systems in a scenario, `export`", "refused",
         _repeated_systems),
    Case("geojson-properties", "distinct GeoJSON properties, `sites --file`", "ok",
         _distinct_properties),
    Case("compare-200", "many sites, `compare`", "refused", _compare_many),
    Case("million-rows", "long site file, `sites --file`", "refused", _million_rows),
    Case("endless-stream", "endless scenario stream, `export` on a FIFO", "refused",
         _endless, stream=True),
    Case("math-name", "matplotlib math in a site name, `figure`", "ok", _math_name),
)  # fmt: skip


# --- running one child -------------------------------------------------------------------


def _feed_fifo(path: Path, stop: threading.Event) -> None:
    """Write TOML comment lines into the FIFO at ``path`` until the reader goes or ``stop``."""
    chunk = ("# endless scenario stream " + "x" * 100 + "\n").encode() * 8_000  # ~1 MB
    fd = -1
    while not stop.is_set():  # open without blocking: the reader may never come
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError:  # ENXIO: no reader yet
            time.sleep(0.01)
    if fd < 0:
        return
    try:
        os.set_blocking(fd, True)
        os.write(fd, b'title = "endless"\n')
        while not stop.is_set():
            os.write(fd, chunk)
    except OSError:  # BrokenPipeError: the reader closed the FIFO or was killed
        pass
    finally:
        os.close(fd)


def _limit_memory(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def _child_env(root: Path) -> dict[str, str]:
    """This environment without Python or rangemap settings; ``root`` first on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "RANGEMAP_"))}
    env.update(PYTHONPATH=str(root), MPLBACKEND="Agg", PYTHONIOENCODING="utf-8")
    return env


def _wait(pid: int, timeout: float) -> tuple[int, Any, bool]:
    """Wait for child ``pid`` at most ``timeout`` s, killing it then: (status, rusage, killed)."""
    killed = False
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    if pidfd is not None:
        try:
            ready, _, _ = select.select([pidfd], [], [], timeout)
            if not ready:
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
                killed = True
        finally:
            os.close(pidfd)
        _, status, usage = os.wait4(pid, 0)
        return status, usage, killed
    deadline = time.monotonic() + timeout
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage, killed
        if time.monotonic() > deadline and not killed:
            os.kill(pid, signal.SIGKILL)  # not reaped yet: the id is still this child's
            killed = True
        time.sleep(0.005)


def run_child(
    args: list[str],
    *,
    root: Path,
    cwd: Path,
    timeout: float,
    mem_limit: int,
    stream: Path | None = None,
    hide: Path | None = None,
) -> dict[str, Any]:
    """Run ``rangemap ARGS`` against the code in ``root``; its time, peak memory, status.

    ``stream``: a FIFO to feed without end while the child runs. ``hide``: a folder shown
    as ``<tmp>`` in the quoted standard error.
    """
    err_path = cwd / "stderr.txt"
    stop = threading.Event()
    with err_path.open("wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", CLI_CODE, *args],
            cwd=cwd,
            env=_child_env(root),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            preexec_fn=_limit_memory(mem_limit),  # only a setrlimit call
        )
        feeder = None
        if stream is not None:
            feeder = threading.Thread(target=_feed_fifo, args=(stream, stop), daemon=True)
            feeder.start()
        try:
            status, usage, killed = _wait(proc.pid, timeout)
        finally:
            stop.set()
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if feeder is not None:
        feeder.join(timeout=5)
    raw = err_path.read_bytes()
    err_path.unlink()
    text = raw.decode("utf-8", "replace")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    last = lines[-1] if lines else ""
    if hide is not None:
        last = last.replace(str(hide), "<tmp>")
    code = None if killed else proc.returncode
    return {
        "seconds": seconds,
        "peak_mb": usage.ru_maxrss / 1024.0,
        "exit": code,
        "timed_out": killed,
        "timeout_s": timeout,
        "mem_limit_gb": mem_limit / GB,
        "memory_error": "MemoryError" in text or "Cannot allocate memory" in text,
        "stderr_lines": len(lines),
        "stderr_bytes": len(raw),
        "stderr_last": _cut(last),
        "status": _status_text(code, killed, timeout, len(lines), text),
    }


def _lines(side: dict[str, Any]) -> str:
    n = side["stderr_lines"]
    return f"{n:,} line{'' if n == 1 else 's'} on stderr"


def _cut(text: str, n: int = STDERR_SHOWN) -> str:
    return text if len(text) <= n else text[:n] + f"... ({len(text):,} chars)"


def _status_text(code: int | None, killed: bool, timeout: float, lines: int, text: str) -> str:
    """What the run ended with, in a few words."""
    if killed:
        return f"> {timeout:.0f} s (timed out)"
    if code == 0:
        return "ok (exit 0)"
    if code == 2:
        return "refused (limit), exit 2" + ("" if lines == 1 else f", {lines:,} lines on stderr")
    if code is not None and code < 0:
        return f"killed by {signal.Signals(-code).name}"
    what = "traceback" if "Traceback (most recent call last)" in text else "error"
    if "MemoryError" in text:
        what = "MemoryError at the address-space limit"
    return f"{what}, exit {code} ({lines:,} line{'' if lines == 1 else 's'} on stderr)"


def bounded(after: dict[str, Any]) -> bool:
    """Within :data:`BOUND_S`, and either done (0) or refused in one line (2)."""
    if after["timed_out"] or after["seconds"] >= BOUND_S:
        return False
    return after["exit"] == 0 or (after["exit"] == 2 and after["stderr_lines"] == 1)


# --- the code before -----------------------------------------------------------------------


def export_before(dest: Path) -> str:
    """Export ``rangemap/`` and ``data/`` of :data:`BEFORE_COMMIT` into ``dest``; '' or why not."""
    if shutil.which("git") is None:
        return "git not found"
    proc = subprocess.run(
        ["git", "-C", str(C.ROOT), "archive", "--format=tar", BEFORE_COMMIT, "rangemap", "data"],
        capture_output=True,
    )
    if proc.returncode != 0:
        return f"git archive {BEFORE_COMMIT} failed: {proc.stderr.decode(errors='replace')[:200]}"
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return ""


def imported_from(root: Path, cwd: Path) -> str:
    """Where ``import rangemap`` resolves for a child run against ``root``."""
    proc = subprocess.run(
        [sys.executable, "-c", "import rangemap; print(rangemap.__file__)"],
        cwd=cwd,
        env=_child_env(root),
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.stdout.strip()


# --- the benchmark -----------------------------------------------------------------------


def _fmt_side(side: dict[str, Any] | None) -> tuple[str, str]:
    """(time and how it ended, peak MB) as shown in the table."""
    if side is None:
        return "not measured", "n/a"
    peak = f"{side['peak_mb']:,.0f}"
    if side["timed_out"]:
        return side["status"], peak
    return f"{C.fmt_s(side['seconds'])}, {side['status']}", peak


def run(quick: bool = False) -> dict[str, Any]:
    """Measure and return the figures (see the module docstring)."""
    before_timeout, after_timeout = (10.0, 30.0) if quick else (60.0, 60.0)
    results: list[dict[str, Any]] = []
    notes: list[str] = []
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rangemap-hostile-") as tmp:
        tmpdir = Path(tmp)
        scratch = tmpdir / "run"
        scratch.mkdir()
        before_root = tmpdir / "before"
        why_not = export_before(before_root)
        roots = {"after": C.ROOT}
        if why_not:
            notes.append(f"before: not measured ({why_not})")
        else:
            roots["before"] = before_root
        where = {side: imported_from(root, scratch) for side, root in roots.items()}
        for side, root in roots.items():
            expected = str(root / "rangemap" / "__init__.py")
            if where[side] != expected:
                raise RuntimeError(f"{side}: rangemap imported from {where[side]!r}, not {root}")
        shown = {side: w.replace(str(tmpdir), "<tmp>") for side, w in where.items()}
        for case in CASES:
            res: dict[str, Any] = {"key": case.key, "title": case.title, "expect": case.expect}
            for side in ("before", "after"):
                if side not in roots:
                    res[side] = None
                    continue
                folder = tmpdir / f"{case.key}-{side}"
                folder.mkdir()
                args, size = case.build(folder, quick)
                res["input"] = size
                stream = Path(args[1]) if case.stream else None
                res[side] = run_child(
                    args,
                    root=roots[side],
                    cwd=scratch,
                    timeout=before_timeout if side == "before" else after_timeout,
                    mem_limit=STREAM_MEM_LIMIT if case.stream else MEM_LIMIT,
                    stream=stream,
                    hide=tmpdir,
                )
                shutil.rmtree(folder)  # the inputs can be large: one case's at a time
            res["bounded"] = bounded(res["after"])
            res["as_expected"] = res["after"]["exit"] == (0 if case.expect == "ok" else 2)
            results.append(res)
            print(f"  {case.key}: before {res['before'] and res['before']['status']}; "
                  f"after {res['after']['status']}", file=sys.stderr, flush=True)  # fmt: skip
    total = time.perf_counter() - t_start

    rows = []
    for i, res in enumerate(results, 1):
        before, before_mb = _fmt_side(res["before"])
        after, after_mb = _fmt_side(res["after"])
        verdict = "bounded" if res["bounded"] else "NOT bounded"
        measure = f"{i}. {res['title']}: {res['input']}"
        rows.append(C.row(measure, f"{after}: {verdict}", before, "", f"{after_mb} / {before_mb}"))
    n_bounded = sum(r["bounded"] for r in results)
    n_expected = sum(r["as_expected"] for r in results)
    unbounded = [r["key"] for r in results if not r["bounded"]]
    notes += [
        "rangemap column: after (current tree); alternative column: before "
        f"(commit {BEFORE_COMMIT}); peak RSS: after / before, the child process's own "
        "ru_maxrss",
        'each run is a whole process: `python -c "from rangemap.cli import main_entry; '
        'main_entry()" ARGS` in a scratch folder with PYTHONPATH set to the tree measured '
        f"(rangemap imported from {shown.get('before', 'n/a')} and {shown['after']})",
        f"timeouts: before {before_timeout:.0f} s, after {after_timeout:.0f} s; address-space "
        f"limit {MEM_LIMIT / GB:.0f} GB ({STREAM_MEM_LIMIT / GB:.0f} GB for the endless stream); "
        "a run still going at its timeout is killed and shown as '> N s (timed out)'",
        f"{n_expected} of {len(results)} cases end as expected now (refused with exit 2, or "
        "done with exit 0); last stderr line of each refusal: "
        + "; ".join(
            f"{r['key']}: {r['after']['stderr_last']!r}" for r in results if r["after"]["exit"] == 2
        ),
        "before, last stderr line of the runs that failed: "
        + (
            "; ".join(
                f"{r['key']}: {r['before']['stderr_last']!r} ({_lines(r['before'])}, "
                f"{r['before']['stderr_bytes']:,} bytes)"
                for r in results
                if r["before"] and r["before"]["exit"] not in (0, None)
            )
            or "none"
        ),
    ]
    return {
        "benchmark": "hostile",
        "available": True,
        "work": f"{len(results)} hostile inputs (the worst of each class of issue 15) as whole "
        f"`rangemap` processes, before ({BEFORE_COMMIT}) and after",
        "seconds": total,
        "before_commit": BEFORE_COMMIT,
        "before_measured": "before" in roots,
        "cases": results,
        "cases_bounded": n_bounded,
        "rows": rows,
        "targets": [
            C.target(
                f"every class bounded: under {BOUND_S:.0f} s and one line when refused",
                f"{n_bounded} of {len(results)} bounded"
                + (f" (not: {', '.join(unbounded)})" if unbounded else ""),
                n_bounded == len(results),
            )
        ],
        "notes": notes,
    }


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        C.main(run, __doc__)
