"""rangemap.bystate: the "INF-range missiles by state" table and figure (seed paper Fig. 1-1)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from conftest import CliRun

from rangemap.bystate import STATUS_COLUMNS, by_state_figure, by_state_table, status_on
from rangemap.catalogue import load_catalogue
from rangemap.figure import save_figure

CATALOGUE = load_catalogue()


def _row(**years) -> pd.Series:
    return pd.Series({"first_tested": None, "first_deployed": None, "retired": None,
                      "status": "deployed", "accessed": "2026-12-01", **years})  # fmt: skip


def test_status_on_a_past_date_comes_from_dated_milestones():
    row = _row(first_tested=1977, first_deployed=1983, retired=1991, status="retired")
    got = [status_on(row, dt.date(y, 12, 31)) for y in (1976, 1980, 1987, 1991, 2030)]
    assert got == [None, "tested", "deployed", "retired", "retired"]
    # With no milestone, a past date is unknown; on or after `accessed`, the status as read.
    assert status_on(_row(), dt.date(2000, 1, 1)) is None
    assert status_on(_row(), dt.date(2026, 12, 1)) == "deployed"


def test_the_treaty_year_and_today_differ_as_history_did():
    signed = by_state_table(as_of="1987-12-08").set_index("iso3")
    assert "Pershing II" in signed.loc["USA", "deployed"]
    assert "RSD-10" in signed.loc["SUN", "deployed"]  # the SS-20
    assert "DF-26" not in " ".join(signed.fillna("").to_numpy().ravel())  # not yet tested
    today = by_state_table(as_of="2026-12-01").set_index("iso3")
    assert "Pershing II" in today.loc["USA", "retired"]
    assert "DF-26" in today.loc["CHN", "deployed"]
    left_out = by_state_table(as_of="1987-12-08").attrs["left_out"]
    assert left_out and all(i in set(CATALOGUE["id"]) for i in left_out)


def test_rows_are_grouped_nuclear_weapon_states_first_and_every_listed_system_in_the_span():
    table = by_state_table(as_of="2026-12-01")
    groups = list(dict.fromkeys(table["group"]))
    assert groups[:3] == ["Nuclear-weapon states (NPT)", "Nuclear-armed states outside the NPT",
                          "Proliferation-concern states"]  # fmt: skip
    listed = CATALOGUE.set_index("id").loc[table.attrs["systems"]]
    assert listed["range_km"].between(500, 5500).all()
    assert list(table.columns[3:]) == list(STATUS_COLUMNS)
    # Marks: the 9M729 is disputed, the Kalibr is not ground-launched.
    russia = " ".join(table.set_index("iso3").loc["RUS", list(STATUS_COLUMNS)])
    assert re.search(r"9M729‡", russia) and re.search(r"Kalibr[^,]*†", russia)


def test_the_japanese_figure_renders_with_its_sources(tmp_path):
    fig = by_state_figure(as_of="2025-12-31", lang="ja")
    texts = [t.get_text() for t in fig.texts]
    assert texts[0] == "国別のINF射程ミサイル" and "2025-12-31" in texts[1]
    assert any("出典" in t and "csis.org" in t for t in texts)
    assert any("信頼度: 二次情報のみ" in t for t in texts)  # flags, in Japanese
    assert any(t == "配備済み" for t in texts) and any(t == "北朝鮮" for t in texts)
    out = save_figure(fig, tmp_path / "bystate.png", dpi=60)
    assert out.stat().st_size > 10_000


def test_cli_figure_by_state(tmp_path):
    out = tmp_path / "fig.svg"
    run = CliRun(["figure", "--by-state", "--as-of", "1987-12-08", "--lang", "ja", "-o", str(out)])
    run.check()
    assert run.code == 0, run.err
    text = out.read_text(encoding="utf-8")
    assert "国別のINF射程ミサイル" in text and "ソ連" in text
    refused = CliRun(["figure", "--by-state", "--system", "df-26", "-o", str(out)])
    refused.check()
    assert refused.code == 2 and "drop --system" in refused.err


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_by_state_table_names_states_in_both_languages(lang):
    table = by_state_table(as_of="2026-12-01", lang=lang)
    names = set(table["state"])
    assert ("China" if lang == "en" else "中国") in names
