"""Run every benchmark, each in a fresh process, and print (or record) the figures.

Usage::

    python benchmarks/run_all.py                  # print every benchmark's figures
    python benchmarks/run_all.py --write-readme   # also rewrite the results in README.md
    python benchmarks/run_all.py --only rings coverage --quick

Each ``bench_<name>.py`` runs in its own subprocess, so its imports, caches and memory
start from nothing and its peak resident memory is its own; within it, each phase (one
method on one piece of work) has its peak measured separately (see ``_common.peak``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402

HERE = Path(__file__).resolve().parent
BENCHMARKS = (
    "rings", "coverage", "area", "dashboard", "exports", "cli", "hostile", "flight", "sessions",
    "reverse", "scale", "browser",
)  # fmt: skip
README = HERE / "README.md"
START = "<!-- results:start (written by run_all.py --write-readme) -->"
END = "<!-- results:end -->"
TIMEOUT_S = 900


def run_one(name: str, quick: bool) -> dict[str, Any]:
    """Run ``bench_<name>.py`` in a subprocess; its figures (or why it failed)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        cmd = [sys.executable, str(HERE / f"bench_{name}.py"), "--json", str(out)]
        if quick:
            cmd.append("--quick")
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=C.ROOT, stderr=subprocess.PIPE, text=True)
        try:
            _, stderr = proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return _failed(name, f"timed out after {TIMEOUT_S} s")
        wall = time.perf_counter() - t0
        if proc.returncode != 0 or not out.exists():
            tail = " | ".join(stderr.strip().splitlines()[-3:])
            return _failed(name, f"exit status {proc.returncode}: {tail}")
        fig = json.loads(out.read_text())
    fig["wall_seconds"] = wall
    return fig


def _failed(name: str, why: str) -> dict[str, Any]:
    fig = C.unavailable(name, name, why)
    fig["rows"] = [C.row(name, f"FAILED ({why})")]
    fig["notes"] = [f"FAILED: {why}"]
    fig["failed"] = True
    return fig


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def _busy(machine: dict[str, str]) -> str:
    """Why the figures may be disturbed by other work ('' when the machine was quiet)."""
    try:
        load = float(machine["load average"].split()[0])
        cores = int(machine["cores"])
    except (KeyError, ValueError, IndexError):
        return ""
    if load > 0.25 * cores:
        return f"other work was running (load average {load:.2f} on {cores} cores at the start)"
    return ""


def markdown(results: list[dict[str, Any]], machine: dict[str, str], quick: bool) -> str:
    """The results section of benchmarks/README.md."""
    lines = [START, ""]
    if quick:
        lines += ["**Smoke-test sizes (--quick): these figures mean nothing.**", ""]
    lines += ["Machine: " + "; ".join(f"{k} {v}" for k, v in machine.items()) + ".", ""]
    busy = _busy(machine)
    if busy:
        lines += [f"**Provisional: {busy}.** Re-run `--write-readme` on a quiet machine.", ""]
    lines += [
        "| benchmark | measure | rangemap | alternative | ratio | peak RSS MB (rangemap / alt.) |",
        "|---|---|---|---|---|---|",
    ]
    for fig in results:
        for i, r in enumerate(fig["rows"]):
            cells = [fig["benchmark"] if i == 0 else "", r["measure"], r["rangemap"],
                     r["alternative"], r["ratio"], r["rss"]]  # fmt: skip
            lines.append("| " + " | ".join(_md_escape(c) for c in cells) + " |")
    lines += ["", "Targets:", ""]
    for fig in results:
        for t in fig["targets"]:
            mark = {True: "**met**", False: "**not met**", None: "not measured"}[t["met"]]
            lines.append(f"- {t['target']}: {t['measured']}: {mark}")
        if not fig["available"] and not fig["targets"]:
            lines.append(f"- {fig['benchmark']}: {fig['notes'][0]}")
    lines += ["", "Work and notes:", ""]
    for fig in results:
        peak = fig.get("process_peak_rss_mb")
        wall = fig.get("wall_seconds")
        extra = []
        if wall is not None:
            extra.append(f"run in {wall:,.0f} s")
        if peak is not None:
            extra.append(f"whole process peak RSS {peak:,.0f} MB")
        lines.append(
            f"- **{fig['benchmark']}**: {fig['work']}" + (f" ({', '.join(extra)})" if extra else "")
        )
        lines += [f"  - {n}" for n in fig["notes"]]
    lines += ["", END]
    return "\n".join(lines)


def write_readme(section: str) -> None:
    """Replace the results section of benchmarks/README.md (between the markers)."""
    text = README.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"{README}: results markers not found; restore them first")
    head = text[: text.index(START)]
    tail = text[text.index(END) + len(END) :]
    README.write_text(head + section + tail)


def main() -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, help="run only these")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    parser.add_argument(
        "--write-readme", action="store_true", help="rewrite the results in benchmarks/README.md"
    )
    args = parser.parse_args()
    machine = C.machine_info()
    print("machine: " + "; ".join(f"{k} {v}" for k, v in machine.items()), flush=True)
    if busy := _busy(machine):
        print(f"warning: {busy}; these figures are provisional", flush=True)
    print(flush=True)
    results = []
    t0 = time.perf_counter()
    for name in args.only or BENCHMARKS:
        fig = run_one(name, args.quick)
        C.print_figures(fig)
        results.append(fig)
    print(f"all benchmarks: {time.perf_counter() - t0:,.0f} s")
    if args.write_readme:
        write_readme(markdown(results, machine, args.quick))
        print(f"results written to {README.relative_to(C.ROOT)}")
    return 1 if any(f.get("failed") for f in results) else 0


if __name__ == "__main__":
    sys.exit(main())
