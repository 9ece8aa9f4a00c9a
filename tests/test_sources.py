"""rangemap.sources and the shipped data's sourcing: kinds, dangling ids, no figure on weak
sources alone, every system strong or flagged, and the data README's audit."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest
from conftest import SOURCE_TEXT
from hypothesis import given
from hypothesis import strategies as st

from rangemap.catalogue import load_catalogue
from rangemap.claims import derive_figures, load_claims
from rangemap.deployments import load_deployments
from rangemap.errors import CatalogueError, SiteError
from rangemap.inventory import load_inventory
from rangemap.sites import load_sites
from rangemap.sources import (
    SOURCE_KINDS,
    STRONG_KINDS,
    WEAK_KINDS,
    Quality,
    figure_quality,
    load_sources,
)
from rangemap.treaty import load_eliminated

ROOT = Path(__file__).resolve().parents[1]
SOURCES = load_sources()
KIND = SOURCES["kind"].to_dict()
CLAIMS = load_claims()
CATALOGUE = load_catalogue()
FIGURES = derive_figures(CLAIMS)


def _kinds(ids: str) -> set[str]:
    return {KIND[s] for s in str(ids).split()}


def test_every_shipped_source_is_typed_dated_and_unique():
    assert set(SOURCES["kind"]) <= set(SOURCE_KINDS)
    assert SOURCES.index.is_unique and SOURCES["url"].is_unique
    assert (SOURCES["accessed"] != "").all() and (SOURCES["publisher"] != "").all()
    assert (SOURCES["quote"].str.len() <= 400).all(), "a quote is a sentence, not a page"


def _rows_citing():
    """(table, row label, ids) for every row of every table that cites sources."""
    yield from (("claims", f"{r.system_id} {r.kind} {r.claim_range_km}", r.sources)
                for r in CLAIMS.itertuples())  # fmt: skip
    shipped_sites = pd.read_csv(ROOT / "data" / "sites.csv", dtype=str, keep_default_na=False)
    yield from (("sites", r.id, r.sources) for r in shipped_sites.itertuples())
    yield from (("deployments", f"{r.system_id}@{r.site_id}", r.sources)
                for r in load_deployments().itertuples())  # fmt: skip
    yield from (("inventory", f"{r.system_id} {r.as_of}", r.sources)
                for r in load_inventory().itertuples())  # fmt: skip
    yield from (("eliminated", r.system_id, r.sources) for r in load_eliminated().itertuples())


ROWS = list(_rows_citing())


@pytest.mark.parametrize(("table", "label", "ids"), ROWS, ids=[f"{t}:{n}" for t, n, _ in ROWS])
def test_no_figure_rests_on_blog_or_aggregator_sources_alone(table, label, ids):
    kinds = _kinds(ids)
    assert kinds, f"{table} {label}: no source"
    assert kinds - WEAK_KINDS, f"{table} {label} rests only on {sorted(kinds)}"


@pytest.mark.parametrize("row", CATALOGUE.to_dict("records"), ids=list(CATALOGUE["id"]))
def test_every_system_has_a_strong_source_or_a_quality_flag(row):
    """Flags are derived: a system without a flag has a drawn figure backed by an official,
    think-tank, academic or wire source, and one with a flag has none."""
    if pd.isna(row["range_km"]):
        strong = bool(_kinds(row["source_ids"]) & STRONG_KINDS)
        assert bool(row["quality"]) != strong, "no figure: the row's own sources decide"
        return
    drawn = CLAIMS.loc[FIGURES.loc[row["id"], "nominal_claim"]]
    assert drawn["claim_range_km"] == row["range_km"] and drawn["system_id"] == row["id"]
    strong = bool(_kinds(drawn["sources"]) & STRONG_KINDS) and drawn["kind"] != "maker-claim"
    assert (row["quality"] == "") == strong, (row["quality"], drawn["claimant"])


def test_a_dangling_source_id_names_file_line_column_and_id():
    sources = load_sources(SOURCE_TEXT.encode())
    head = b"system_id,kind,claim_range_km,claimant,sources,date,note\n"
    bad = head + b"x,lower-bound,500,C,s1 s7,2019,\n"
    with pytest.raises(
        CatalogueError, match=r"c\.csv, line 2, column 'sources': unknown source id 's7'"
    ):
        load_claims(bad, sources=sources, name="c.csv")
    with pytest.raises(SiteError, match=r"line 2, column 'sources': unknown source id 'nope'"):
        load_sites(b"id,name,country,lat,lon,kind,note,sources\na,A,RUS,1,2,reported,,nope\n")


@pytest.mark.parametrize(
    ("row", "match"),
    [
        ("s3,https://e.org/3,rumour,P,,,2026-12-01,,", r"column 'kind': must be one of official"),
        ("s1,https://e.org/3,news,P,,,2026-12-01,,", r"duplicate id 's1' \(first on line 2\)"),
        ("s3,https://example.org/s1,news,P,,,2026-12-01,,", r"duplicate url"),
        ("s3,https://e.org/3,news,,,,2026-12-01,,", r"column 'publisher': is required"),
        ("s3,https://e.org/3,news,P,,2019-02-30,2026-12-01,,", r"column 'published'.*2019-02-30"),
        ("s3,https://e.org/a https://e.org/b,news,P,,,2026-12-01,,", r"one URL per source"),
    ],
)
def test_bad_sources_are_refused(row, match):
    with pytest.raises(CatalogueError, match=match):
        load_sources((SOURCE_TEXT + row + "\n").encode(), name="s.csv")


@given(st.lists(st.sampled_from(SOURCE_KINDS), max_size=6), st.booleans())
def test_property_a_strong_source_clears_the_flag_and_nothing_else_does(kinds, maker):
    flag = figure_quality(kinds, maker_claim=maker)
    assert flag in {"", *(q.value for q in Quality)}
    if not kinds:
        assert flag == "unsourced"
    elif maker:
        assert flag == "claimed-by-maker"
    else:
        assert (flag == "") == bool(STRONG_KINDS & set(kinds))


def test_the_data_readme_audit_is_up_to_date():
    spec = importlib.util.spec_from_file_location("audit_data", ROOT / "scripts" / "audit_data.py")
    assert spec and spec.loader
    audit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(audit)
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert audit.readme_with_audit(text) == text, "run python scripts/audit_data.py"
    for sid in CATALOGUE.loc[CATALOGUE["quality"] != "", "id"]:
        assert f"| `{sid}` |" in text  # every flagged row is listed, with its date
