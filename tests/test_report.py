"""rangemap.report: building and running scenarios, golden outputs, byte-stable reruns, the
methods note, and the report commands (``rangemap export`` and ``rangemap figure``).

Regenerate the golden files after a deliberate change with
``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_report.py`` and review the diff.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from rangemap import cli
from rangemap.errors import OptionError, ScenarioError
from rangemap.formats import read_layers
from rangemap.report import EXPORT_FORMATS, build_scenario, methods_note, run_scenario
from rangemap.scenario import load_scenario, scenario_from_dict

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
SCENARIO = DATA / "scenario" / "golden.toml"
GOLDEN = DATA / "golden"
TEXT_FORMATS = ("geojson", "kml", "csv")


def _normalise_note(text: str) -> str:
    """Mask what a golden note cannot pin: library versions and shipped data's hashes."""
    text = re.sub(r"^- Software: .*$", "- Software: <versions>", text, flags=re.M)
    return re.sub(r"(\| `data/[^`]+` \| )`[0-9a-f]{64}`", r"\1`<sha256>`", text)


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(SCENARIO)


@pytest.fixture(scope="module")
def outputs(scenario, tmp_path_factory):
    folder = tmp_path_factory.mktemp("golden")
    paths = {}
    for fmt in TEXT_FORMATS:
        note = folder / f"{fmt}-methods.md"
        paths[fmt] = run_scenario(scenario, fmt, folder / f"scenario.{fmt}",
                                  methods_note_path=note)  # fmt: skip
        paths[f"{fmt}-note"] = note
    return paths


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_golden_outputs(outputs, fmt):
    golden = GOLDEN / f"scenario.{fmt}"
    data = outputs[fmt].read_bytes()
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(data)
    assert data == golden.read_bytes(), (
        f"{fmt} output changed; if deliberate, rerun with UPDATE_GOLDEN=1 and review the diff"
    )


def test_golden_methods_note(outputs):
    golden = GOLDEN / "scenario-methods.md"
    text = outputs["csv-note"].read_text(encoding="utf-8")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert _normalise_note(text) == _normalise_note(golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_rerun_gives_the_same_bytes(scenario, outputs, fmt, tmp_path):
    note = tmp_path / "note.md"
    again = run_scenario(scenario, fmt, tmp_path / f"again.{fmt}", methods_note_path=note)
    assert again.read_bytes() == outputs[fmt].read_bytes()
    assert note.read_bytes() == outputs[f"{fmt}-note"].read_bytes().replace(
        f"scenario.{fmt}".encode(), f"again.{fmt}".encode()
    )


def test_golden_scenario_covers_the_hard_cases(outputs):
    layers = read_layers(outputs["kml"])
    rings = layers["rings"]
    assert set(rings["band"]) == {"nominal", "high"}
    assert rings["min_radius_km"].max() == 100.0  # the annulus of a minimum range
    assert {"東京試験場", "موقع الاختبار"} <= set(layers["sites"]["site"])
    fiji = rings.loc[rings["site_id"] == "fiji-test"].geometry.iloc[0]
    assert fiji.bounds[0] == -180.0 and fiji.bounds[2] == 180.0  # cut at the antimeridian
    assert "Nuku'alofa <script>" in set(layers["targets"]["target"])


def test_methods_note_cites_every_figure_and_the_method(scenario, outputs):
    note = outputs["geojson-note"].read_text(encoding="utf-8")
    assert "- Date: 2026-11-23" in note
    for url in ("https://example.org/srbm?a=1&b=2", "https://example.com/srbm-2",
                "https://example.org/glcm", "https://example.org/fiji"):  # fmt: skip
        assert f"<{url}>" in note
    assert "| 600 |" in note and "| 800 |" in note and "| 900 | 100 |" in note
    assert "WGS84" in note and "GeographicLib" in note and "within 50 m" in note
    assert "`missiles.csv`" in note  # the scenario's own catalogue, with its hash
    assert str(ROOT) not in note  # no machine paths


def test_note_date_from_the_caller_wins(scenario):
    result = build_scenario(scenario)
    assert "- Date: 2030-01-02" in methods_note(scenario, result, date="2030-01-02")
    undated = scenario_from_dict({"systems": ["df-26"], "sites": ["guam"], "targets": "none"})
    assert "- Date: not set" in methods_note(undated)
    with pytest.raises(ScenarioError, match="got 'tomorrow'"):
        methods_note(scenario, result, date="tomorrow")


def test_unknown_export_format_lists_all(scenario, tmp_path):
    with pytest.raises(OptionError, match=", ".join(EXPORT_FORMATS) + "; got 'docx'"):
        run_scenario(scenario, "docx", tmp_path / "x.docx")
    assert list(tmp_path.iterdir()) == []


def test_scenario_figure_and_gpkg(scenario, tmp_path):
    png = run_scenario(scenario, "png", tmp_path / "s.png")  # dpi 60 from the scenario
    assert png.read_bytes()[:4] == b"\x89PNG"
    gpkg = run_scenario(scenario, "gpkg", tmp_path / "s.gpkg")
    assert len(read_layers(gpkg)["rings"]) == 9


# --- the commands -------------------------------------------------------------------------


@pytest.fixture
def run_cli():
    """``rangemap`` as installed: cli.build_parser registers export and figure."""

    def run(*argv: str) -> tuple[int, str]:
        out = io.StringIO()
        return cli.main(list(argv), out=out), out.getvalue()

    return run


def test_cli_export_writes_output_and_note(run_cli, tmp_path, outputs):
    out, note = tmp_path / "x.kml", tmp_path / "x.md"
    code, text = run_cli("export", str(SCENARIO), "--format", "kml", "-o", str(out),
                         "--methods-note", str(note))  # fmt: skip
    assert code == 0 and f"wrote {out}" in text
    assert out.read_bytes() == outputs["kml"].read_bytes()
    assert note.read_text(encoding="utf-8").startswith("# Methods note: Golden test scenario")


def test_cli_export_takes_the_format_from_the_suffix(run_cli, tmp_path):
    code, _ = run_cli("export", str(SCENARIO), "-o", str(tmp_path / "x.csv"))
    assert code == 0 and (tmp_path / "x.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_cli_bad_scenario_exits_2_with_one_line(run_cli, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('systems = ["DF-62"]\nsites = ["guam"]\n')
    code, _ = run_cli("export", str(bad), "--format", "kml", "-o", str(tmp_path / "x.kml"))
    err = capsys.readouterr().err
    assert code == 2 and "key 'systems[0]': unknown system 'DF-62'" in err
    assert err.count("\n") == 1 and not (tmp_path / "x.kml").exists()


def test_cli_figure(run_cli, tmp_path):
    out = tmp_path / "f.svg"
    code, _ = run_cli("figure", "--system", "df-21", "--site", "-17.7,178.1", "--region",
                      "world", "--lang", "ja", "-o", str(out))  # fmt: skip
    assert code == 0 and "射程" in out.read_text(encoding="utf-8")
    code, _ = run_cli("figure", "--system", "df-21", "-o", str(tmp_path / "g.png"))
    assert code == 2
    code, _ = run_cli("figure", "--system", "df-21", "--site", "guam", "-o",
                      str(tmp_path / "g.gif"))  # fmt: skip
    assert code == 2 and not (tmp_path / "g.gif").exists()


def test_cli_policy_figure(run_cli, tmp_path):
    out = tmp_path / "policy.png"
    code, _ = run_cli("figure", "--policy-inf", "--dpi", "40", "-o", str(out))
    assert code == 0 and out.stat().st_size > 10_000


def test_regression_9_scenario_keeps_every_site_whatever_its_id(tmp_path):
    """Check fix for the silent site loss found 2026-12-01 (issue 9).

    Repeated ids were made unique by appending -2, -3 without looking at the ids already
    there: guam, guam, "Guam 2" became guam, guam-2, guam-2 and build_scenario dropped the
    third site with no error.
    """
    s = scenario_from_dict(
        {
            "systems": ["df-26"],
            "sites": ["guam", "guam", {"name": "Guam 2", "lat": 10.0, "lon": 140.0}],
            "targets": "none",
        }
    )
    result = build_scenario(s)
    assert result.sites["id"].tolist() == ["guam", "guam-3", "guam-2"]
    assert len(result.rings) == 3 and result.rings["site_id"].is_unique
    assert sorted(result.rings["lat"].round(2)) == [10.0, 13.48, 13.48]
    assert len(result.layers.sites) == 3
