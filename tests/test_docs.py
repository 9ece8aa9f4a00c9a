"""Docs that are tested: README commands, CLI help, data README."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pandas as pd
import pytest

from rangemap.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DATA_README = (ROOT / "data" / "README.md").read_text(encoding="utf-8")


def _subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices


def test_readme_has_the_two_setup_commands():
    assert "make run" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_command_has_help_and_is_documented(name, capsys):
    sub = _subcommands()[name]
    assert sub.format_help().strip()
    module_doc = (ROOT / "rangemap" / "cli.py").read_text()
    assert re.search(rf"^{name}\s", module_doc, re.M), f"{name} missing from cli docstring"


README_COMMANDS = [
    shlex.split(line.split("rangemap", 1)[1].split("#")[0])
    for line in README.splitlines()
    if line.startswith(".venv/bin/rangemap ")
]


@pytest.mark.parametrize("argv", README_COMMANDS, ids=[" ".join(a[:3]) for a in README_COMMANDS])
def test_readme_cli_examples_run(argv, tmp_path, monkeypatch):
    # Run in a scratch folder (outputs land there); repository files by absolute path.
    argv = [str(ROOT / a) if (ROOT / a).is_file() and "/" in a else a for a in argv]
    monkeypatch.chdir(tmp_path)
    with open(tmp_path / "stdout.txt", "w") as out:
        assert main(argv, out=out) == 0


def test_data_readme_lists_every_flagged_row():
    cat = pd.read_csv(ROOT / "data" / "missiles.csv", dtype=str, keep_default_na=False)
    for sid in cat.loc[cat["notes"].str.startswith("FLAG"), "id"]:
        assert f"`{sid}`" in DATA_README, sid


def test_data_readme_documents_every_column():
    for name in (
        "missiles.csv",
        "claims.csv",
        "sites.csv",
        "cities.csv",
        "sources.csv",
        "deployments.csv",
        "inventory.csv",
        "inf_eliminated.csv",
        "speeds.csv",
        "boost.csv",
    ):
        header = (ROOT / "data" / name).read_text(encoding="utf-8").splitlines()[0]
        for col in header.split(","):
            assert f"`{col}`" in DATA_README or col in DATA_README, (name, col)


def test_readme_lists_every_input_limit_with_its_value():
    from rangemap import (
        _io,
        claims,
        flight,
        geodesy,
        grid,
        population,
        reach,
        rings,
        scenario,
        sites,
        sweep,
        targets,
    )

    limits = README.split("## Limits", 1)[1].split("\n## ", 1)[0]
    for value, where in [
        (f"{_io.MAX_FILE_BYTES:,}", "rangemap._io.MAX_FILE_BYTES"),
        (f"| {_io.MAX_COLUMNS} |", "rangemap._io.MAX_COLUMNS"),
        (f"{sites.MAX_SITES:,}", "rangemap.sites.MAX_SITES"),
        (f"| {targets.MAX_TARGETS:,} (", "rangemap.targets.MAX_TARGETS"),
        (f"| {sites.MAX_TYPED_SITES:,} |", "rangemap.sites.MAX_TYPED_SITES"),
        (f"{sites.MAX_UPLOAD_BYTES:,} bytes", "rangemap.sites.MAX_UPLOAD_BYTES"),
        (f"{scenario.MAX_SCENARIO_BYTES:,} bytes", "rangemap.scenario.MAX_SCENARIO_BYTES"),
        (f"{geodesy.MIN_RADIUS_M / 1000:g} km to", "rangemap.geodesy.MIN_RADIUS_M"),
        (f"{claims.MAX_RANGE_KM:,.0f} km", "rangemap.claims.MAX_RANGE_KM"),
        (f"cut to {_io.MAX_SHOWN} characters", ""),
        (
            f"{scenario.MAX_SCENARIO_SYSTEMS} / {scenario.MAX_SCENARIO_SITES:,}",
            "MAX_SCENARIO_SITES",
        ),
        (f"| {reach.MAX_COMPARE_SITES} (`--max-sites`", "rangemap.reach.MAX_COMPARE_SITES"),
        (f"| {targets.MAX_NAMED_TARGETS:,} |", "rangemap.targets.MAX_NAMED_TARGETS"),
        (f"| {rings.MAX_VIEW_RINGS:,} |", "rangemap.rings.MAX_VIEW_RINGS"),
        (f"| {flight.MAX_MINUTES} times", "rangemap.flight.MAX_MINUTES"),
        (f"nside up to {grid.MAX_NSIDE:,}", "rangemap.grid.MAX_NSIDE"),
        (f"| {sweep.MAX_TOP:,} (`--top`) / {sweep.MAX_REFINE:,}", "rangemap.sweep.MAX_REFINE"),
        (
            f"| {population.MAX_POPULATION_POINTS:,} / {population.MAX_RASTER_CELLS:,}",
            "MAX_RASTER_CELLS",
        ),
    ]:
        assert value in limits, value
        assert where in limits, where


def test_readme_python_api_example_runs():
    block = README.split("## Python API", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    names: dict = {}
    exec(compile(block, "README.md", "exec"), names)  # noqa: S102 (our own README)
    assert names["times"]["flight_time_min_low"].le(names["times"]["flight_time_min_high"]).all()
    assert names["eggs"].geometry.iloc[0].is_valid
