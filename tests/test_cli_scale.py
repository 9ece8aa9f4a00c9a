"""The scale commands (rangemap.cli_scale): density and sweep."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pytest
from conftest import CliRun

from rangemap import cluster
from rangemap.cli_scale import _Bar

pytestmark = pytest.mark.xdist_group("dask")


def test_density_writes_a_grid_and_reports_it(tmp_path) -> None:
    out = tmp_path / "d.parquet"
    run = CliRun(["density", "-o", str(out), "--resolution", "8", "--as-of", "1987-12-08",
                  "--region", "europe", "--scheduler", "serial"])  # fmt: skip
    run.check()
    assert run.code == 0
    grid = gpd.read_parquet(out)
    assert {"cell", "pairs", "launchers_low", "launchers_high", "uncounted_systems"} <= set(grid)
    assert int(grid["pairs"].max()) > 0
    assert run.out.startswith(f"wrote {out}: {len(grid):,} cells of ")
    assert "as of 1987-12-08" in run.out


def test_density_needs_a_known_suffix(tmp_path) -> None:
    run = CliRun(["density", "-o", str(tmp_path / "d.txt"), "--scheduler", "serial"])
    run.check()
    assert run.code == 2 and "give --format (gpkg, parquet, geojson)" in run.err


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_sweep_prints_ranked_exact_values(fmt: str) -> None:
    run = CliRun(["sweep", "--radius-km", "1500", "--within", "POL", "--objective", "capitals",
                  "--grid-km", "100", "--top", "3", "--scheduler", "serial",
                  "--format", fmt])  # fmt: skip
    run.check()
    assert run.code == 0
    if fmt == "json":
        rows = json.loads(run.out)
        assert [r["rank"] for r in rows] == [1, 2, 3]
        assert {"rank", "lat", "lon", "objective", "value_exact"} <= set(rows[0])
        assert rows[0]["objective"] == "capitals"
    elif fmt == "csv":
        assert run.out.splitlines()[0].startswith("rank,lat,lon,objective,value_exact")
    else:
        assert run.out.startswith("value = capitals in range; ")
        assert "recounted exactly" in run.out.splitlines()[0]


def test_regression_14_sweep_within_takes_a_country_name() -> None:
    """``--within Czechia`` (a name) sweeps the same candidates as ``--within CZE``."""
    argv = ["sweep", "--radius-km", "800", "--grid-km", "50", "--top", "1", "--objective",
            "capitals", "--scheduler", "serial", "--format", "json", "--within"]  # fmt: skip
    by_code, by_name = CliRun([*argv, "CZE"]), CliRun([*argv, "czechia"])
    by_name.check()
    assert by_code.code == by_name.code == 0 and json.loads(by_code.out) == json.loads(by_name.out)


def test_sweep_labels_settlement_population() -> None:
    run = CliRun(["sweep", "--radius-km", "800", "--within", "CZE", "--grid-km", "50",
                  "--top", "1", "--scheduler", "serial"])  # fmt: skip
    run.check()
    assert "population of settlements ≥ 1,000 (GeoNames)" in run.out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sweep", "--within", "POL"], "give --system ID or --radius-km R"),
        (["sweep", "--radius-km", "500", "--grid-km", "2"], "grid spacing must be at least"),
        (["sweep", "--system", "no-such-missile"], "no-such-missile"),
        (["sweep", "--radius-km", "500", "--within", "Atlantis"], "Atlantis"),
        (["density", "-o", "x.gpkg", "--resolution", "100"], "power of two"),
    ],
)
def test_refusals_are_one_line(argv: list[str], message: str) -> None:
    run = CliRun([*argv, "--scheduler", "serial"])
    run.check()
    assert run.code == 2 and message in run.err


def test_an_unreachable_scheduler_is_one_line(monkeypatch) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 1.0)
    run = CliRun(["sweep", "--radius-km", "500", "--within", "LUX", "--grid-km", "100",
                  "--scheduler", "tcp://127.0.0.1:9"])  # fmt: skip
    run.check()
    assert run.code == 2 and "could not reach a Dask scheduler" in run.err


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal() -> None:
    quiet = io.StringIO()
    _Bar("sweep", quiet)(1, 2)
    assert quiet.getvalue() == ""
    tty = _Tty()
    bar = _Bar("sweep", tty)
    bar(1, 4)
    bar(4, 4)
    assert "sweep [" in tty.getvalue() and "4/4 tasks" in tty.getvalue()
    assert tty.getvalue().endswith("\n")
