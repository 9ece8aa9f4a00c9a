"""rangemap.deployments: dated deployments, as-of dates everywhere, and what changed."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import CliRun

from rangemap.deployments import (
    DEPLOYMENT_COLUMNS,
    changes_between,
    deployed_at,
    deployment_rows,
    load_deployments,
    parse_as_of,
)
from rangemap.errors import CatalogueError, OptionError

DEPLOYMENTS = load_deployments()
HEAD = ",".join(DEPLOYMENT_COLUMNS)
SID = DEPLOYMENTS["sources"].iloc[0].split()[0]


def _load(*rows: str):
    return load_deployments(("\n".join([HEAD, *rows]) + "\n").encode(), name="dep.csv")


def _pairs(frame) -> set[tuple[str, str]]:
    return set(zip(frame["system_id"], frame["site_id"], strict=True))


def test_a_deployment_counts_only_when_it_certainly_was_under_way():
    dep = _load(f"pershing-2,mutlangen,1983,1990-06,reported,{SID},",
                f"df-26,henan-xinyang,2019-01,,exercise,{SID},")  # fmt: skip
    assert deployed_at(dep, "1983-06-30").empty  # "from 1983": certain only by 31 Dec 1983
    assert len(deployed_at(dep, "1983")) == 1 and len(deployed_at(dep, "1990-05-31")) == 1
    assert deployed_at(dep, "1990-06-02").empty or len(deployed_at(dep, "1990-06-02")) == 0
    # An exercise without an end lasts its "from" period, not for ever.
    assert _pairs(deployed_at(dep, "2019-01")) == {("df-26", "henan-xinyang")}
    assert deployed_at(dep, "2019-02-01").empty


@pytest.mark.parametrize(
    ("row", "match"),
    [
        (
            f"pershing-2,atlantis,1983,,reported,{SID},",
            r"line 2, column 'site_id': unknown site 'atlantis'",
        ),
        (f"ss-99,mutlangen,1983,,reported,{SID},", r"column 'system_id': unknown system 'ss-99'"),
        (
            f"pershing-2,mutlangen,1990,1983,reported,{SID},",
            r"column 'to': '1983' is before 'from' '1990'",
        ),
        (
            f"pershing-2,mutlangen,1983,,rumoured,{SID},",
            r"column 'status': must be one of reported",
        ),
        (f"pershing-2,mutlangen,,,reported,{SID},", r"column .from.: a blank start needs a note"),
        ("pershing-2,mutlangen,1983,,reported,,", r"column 'sources': needs at least one source"),
    ],
)
def test_bad_deployments_are_refused(row, match):
    with pytest.raises(CatalogueError, match=match):
        _load(row)


def test_as_of_dates_mean_the_last_day_of_a_year_or_month():
    assert parse_as_of("1987") == date(1987, 12, 31)
    assert parse_as_of("2024-02") == date(2024, 2, 29)
    for bad in ("1987-13", "87", "2025-12-31T00:00", ""):
        with pytest.raises(OptionError, match="as-of date must be YYYY, YYYY-MM or YYYY-MM-DD"):
            parse_as_of(bad)


def test_the_treaty_s_day_and_the_end_of_2025_draw_their_own_deployments():
    signed = _pairs(deployed_at(DEPLOYMENTS, "1987-12-08"))
    assert {("pershing-2", "mutlangen"), ("bgm-109g", "greenham-common")} <= signed
    # No public source dates an SS-20 site before the 1988 inspections: drawn only when asked.
    assert not any(s == "rsd-10" for s, _ in signed)
    asked = deployment_rows("1987-12-08", systems=["SS-20"], reported_sites=True)
    assert {"rechitsa", "postavy"} <= set(asked["site_id"])
    late = _pairs(deployed_at(DEPLOYMENTS, "2025-12-31"))
    assert {("oreshnik", "belarus-krichev"), ("tomahawk-typhon", "luzon-laoag")} <= late
    assert not {s for s, _ in late} & {"pershing-2", "bgm-109g", "rsd-10"}
    hypothetical = DEPLOYMENTS.loc[DEPLOYMENTS["status"] == "hypothetical"]
    assert not _pairs(hypothetical) & late, "a hypothetical deployment is not drawn by default"


def test_deployment_rows_keep_only_the_systems_asked_and_can_fall_back_to_reported_sites():
    rows = deployment_rows("2025-12-31", systems=["Oreshnik"])
    assert set(rows["system_id"]) == {"oreshnik"} and set(rows["site_id"]) == {"belarus-krichev"}
    assert deployment_rows("2025-12-31", systems=["pershing-2"]).empty
    fallback = deployment_rows("2025-12-31", systems=["pershing-2"], reported_sites=True)
    assert "mutlangen" in set(fallback["site_id"])
    assert set(fallback["deployment_status"]) == {"reported-site"}


def test_changes_between_two_dates_mirror_each_other():
    ch = changes_between("2019-08-01", "2025-12-31")
    assert ("oreshnik", "belarus-krichev") in _pairs(ch.added)
    assert not _pairs(ch.added) & _pairs(ch.removed)
    lost, gained = ch.reach.iloc[0], ch.reach.iloc[1]
    assert gained["area_a_only_km2"] == lost["area_b_only_km2"] > 0
    assert gained["capitals_a_only"] == lost["capitals_b_only"]
    back = changes_between("2025-12-31", "2019-08-01")
    assert _pairs(back.removed) == _pairs(ch.added)


def test_cli_rings_as_of_draws_that_day_s_deployments():
    run = CliRun(["rings", "--as-of", "1987-12-08", "--system", "pershing-2"])
    run.check()
    doc = json.loads(run.out)
    sites = {f["properties"]["site_id"] for f in doc["features"]}
    assert run.code == 0 and "mutlangen" in sites
    refused = CliRun(["rings", "--as-of", "1987", "--site", "guam", "--system", "df-26"])
    refused.check()
    assert refused.code == 2 and "--as-of draws the deployments of that date" in refused.err


@pytest.mark.parametrize("command", ["coverage", "area", "compare"])
def test_every_analysis_command_takes_as_of(command):
    run = CliRun([command, "--as-of", "2025-12-31", "--format", "json"])
    run.check()
    assert run.code == 0, run.err
    assert json.loads(run.out)


def test_cli_changes_reports_added_deployments_and_reach():
    run = CliRun(["changes", "--from", "2019-08-01", "--to", "2025-12-31"])
    run.check()
    assert run.code == 0 and "oreshnik" in run.out and "reach gained:" in run.out
    bad = CliRun(["changes", "--from", "yesterday", "--to", "2025"])
    bad.check()
    assert bad.code == 2 and "as-of date must be" in bad.err


def test_export_as_of_draws_the_scenario_s_systems_where_they_stood(tmp_path):
    from pathlib import Path

    scenario = Path(__file__).resolve().parents[1] / "scenarios" / "example-east-asia.toml"
    out, note = tmp_path / "typhon.geojson", tmp_path / "methods.md"
    run = CliRun(["export", str(scenario), "-o", str(out), "--methods-note", str(note),
                  "--as-of", "2025-12-31"])  # fmt: skip
    run.check()
    assert run.code == 0, run.err
    features = json.loads(out.read_text())["features"]
    rings = [f["properties"] for f in features if "band" in f["properties"]]
    assert {r["site_id"] for r in rings} == {
        "luzon-laoag"
    }  # Typhon's deployment, not the TOML's sites
    text = note.read_text(encoding="utf-8")
    assert "## Deployments as of 2025-12-31" in text and "data/deployments.csv" in text
