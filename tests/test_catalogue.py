"""rangemap.catalogue: the shipped catalogue row by row, one test per schema error, and the
dashboard's display tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rangemap.catalogue import (
    CATALOGUE_VIEW,
    DATA_DIR,
    TYPED_CATALOGUE_COLUMNS,
    SystemIndex,
    band_radii_km,
    catalogue_table,
    claims_table,
    filter_systems,
    find_system,
    find_systems,
    load_catalogue,
    sources_table,
)
from rangemap.claims import RANGE_KINDS, load_claims
from rangemap.errors import CatalogueError, OptionError
from rangemap.sources import load_sources
from rangemap.treaty import inf_class_of, load_eliminated

CATALOGUE = load_catalogue()
CLAIMS = load_claims()
HEADER = ",".join(TYPED_CATALOGUE_COLUMNS)
GOOD = (
    "x1,X One,,RUS,GLCM,road-mobile,cruise,2500,480,2500,,deployed,2017,dual,"
    "https://example.org/a,2026-11-23,note"
)

#: Systems the INF debate names that issue 2 requires in the catalogue.
REQUIRED_IDS = [
    "9m729",
    "9m728",
    "iskander-m",
    "kalibr-3m14",
    "rsd-10",
    "otr-22",
    "otr-23",
    "rs-28",
    "avangard",
    "9m730",
    "poseidon",
    "oreshnik",
    "df-26",
    "df-21",
    "df-21d",
    "df-17",
    "df-15",
    "df-16",
    "cj-10",
    "cj-100",
    "hn-1",
    "hn-2",
    "hn-3",
    "df-31",
    "df-41",
    "df-27",
    "pershing-2",
    "bgm-109g",
    "tomahawk-typhon",
    "sm-6-typhon",
    "prsm",
    "lrhw",
]


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


@pytest.mark.parametrize("system_id", REQUIRED_IDS)
def test_required_system_is_catalogued(system_id):
    assert system_id in set(CATALOGUE["id"])


@pytest.mark.parametrize("country", ["PRK", "IRN", "IND", "PAK", "ISR", "KOR", "TWN", "JPN"])
def test_other_states_have_inf_range_systems(country):
    rows = CATALOGUE.loc[CATALOGUE["country"] == country]
    assert (rows["range_km"].between(500, 5500)).any()


@pytest.mark.parametrize("row", CATALOGUE.to_dict("records"), ids=list(CATALOGUE["id"]))
def test_catalogue_row_is_sound(row):
    rng, low, high = row["range_km"], row["range_low_km"], row["range_high_km"]
    if math.isnan(rng):
        assert row["notes"], "a blank range must say why"
        return
    assert rng > 0
    assert math.isnan(low) or low <= rng
    assert math.isnan(high) or rng <= high
    assert row["sources"].startswith(("http://", "https://"))
    assert row["accessed"]
    assert row["nominal_basis"], "a drawn figure says who gives it"
    mine = CLAIMS.loc[(CLAIMS["system_id"] == row["id"]) & CLAIMS["kind"].isin(RANGE_KINDS)]
    assert low == mine["claim_range_km"].min() and high == mine["claim_range_km"].max()
    eliminated = row["id"] in set(load_eliminated()["system_id"])
    expected = inf_class_of(row["basing"], mine["claim_range_km"], eliminated=eliminated)
    assert row["inf_class"] == expected.value


def test_inf_class_is_derived_not_stored():
    header = (DATA_DIR / "missiles.csv").read_text().splitlines()[0].split(",")
    assert not {"inf_class", "range_km", "range_low_km", "quality"} & set(header)
    assert find_system(CATALOGUE, "pershing-2")["inf_class"] == "in"
    assert find_system(CATALOGUE, "kalibr-3m14")["inf_class"] == "out"  # sea-launched
    assert find_system(CATALOGUE, "9m729")["inf_class"] == "disputed"  # 480 km v. 2,500 km


def test_every_system_the_treaty_eliminated_is_inf_class_in():
    eliminated = load_eliminated()
    cat = CATALOGUE.set_index("id")
    assert set(eliminated["system_id"]) <= set(cat.index)
    assert (cat.loc[eliminated["system_id"], "inf_class"] == "in").all()
    # Without the treaty's record, the Soviet 400 km claim would make the SS-23 disputed.
    otr23 = CLAIMS.loc[(CLAIMS["system_id"] == "otr-23") & CLAIMS["kind"].isin(RANGE_KINDS)]
    assert inf_class_of("road-mobile", otr23["claim_range_km"]).value == "disputed"


def test_blank_basing_of_a_ground_launched_class_is_an_error():
    row = GOOD.replace(",road-mobile,", ",,")
    with pytest.raises(CatalogueError, match=r"line 2, column 'basing': a GLCM is ground-launched"):
        load_catalogue(_csv(row))
    cat = load_catalogue(_csv(GOOD.replace(",road-mobile,", ",ground,")))
    assert cat.loc[0, "inf_class"] == "disputed"  # 480 v. 2,500 km, launch mode unpublished


def test_disputed_9m729_keeps_competing_claims():
    claims = CLAIMS.loc[CLAIMS["system_id"] == "9m729"]
    assert 480.0 in set(claims["claim_range_km"])
    assert (claims["claim_range_km"] > 2000).any()
    assert claims["claimant"].nunique() >= 2


@pytest.mark.parametrize("row", CLAIMS.to_dict("records"))
def test_claim_row_is_sourced_and_dated(row):
    assert row["urls"].startswith(("http://", "https://"))
    assert row["claimant"] and row["date"]


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "file is empty"),
        (HEADER.encode() + b"\n", "header only"),
        (b"id,name\nx,y\n", r"missing required column\(s\) \['aliases'"),
        (_csv(GOOD.replace(",2500,480,", ",far,480,")), r"line 2, column 'range_km'.*'far'"),
        (_csv(GOOD.replace(",2500,480,", ",-5,,")), r"column 'range_km': must be > 0, got '-5'"),
        (_csv(GOOD.replace(",2500,480,", ",0,,")), r"must be > 0, got '0'"),
        (_csv(GOOD.replace(",2500,480,2500,", ",2500,3000,3500,")), r"range_low_km.*3000"),
        (_csv(GOOD.replace(",2500,480,2500,", ",2500,480,2000,")), r"range_high_km.*2000"),
        (_csv(GOOD.replace(",GLCM,", ",XRBM,")), r"column 'class'.*'XRBM'"),
        (_csv(GOOD, GOOD), r"line 3, column 'id': duplicate id 'x1' \(first on line 2\)"),
        (_csv(GOOD.replace("https://example.org/a", "ftp://x.org/a")), r"'ftp://x.org/a'"),
        (_csv(GOOD.replace(",RUS,", ",Russia,")), r"column 'country'.*'Russia'"),
        (_csv(GOOD.replace(",road-mobile,", ",catapult,")), r"column 'basing'.*'catapult'"),
        (_csv(GOOD.replace(",2017,", ",17,")), r"column 'first_deployed'.*'17'"),
        (_csv(GOOD.replace(",2500,480,2500,,", ",2500,480,2500,3000,")), r"min_range_km"),
        (_csv(GOOD.replace(",2500,480,", ",nan,480,")), r"finite"),
        (_csv(GOOD.replace(",2500,480,", ",1e400,480,")), r"finite"),
        (b"\x00\x01binary", "not a text file"),
    ],
    ids=[
        "empty",
        "header-only",
        "missing-column",
        "non-numeric",
        "negative",
        "zero",
        "low-above",
        "high-below",
        "unknown-class",
        "duplicate-id",
        "url-scheme",
        "country",
        "basing",
        "year",
        "min-above",
        "nan",
        "inf",
        "binary",
    ],
)
def test_schema_errors_name_file_line_column_value(content, match):
    with pytest.raises(CatalogueError, match=match):
        load_catalogue(content, name="bad.csv")


def test_error_names_the_file(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_bytes(_csv(GOOD.replace(",GLCM,", ",XRBM,")))
    with pytest.raises(CatalogueError, match=r"mine\.csv, line 2, column 'class'"):
        load_catalogue(path)


def test_bom_crlf_and_semicolons_are_read():
    text = ("\ufeff" + HEADER + "\r\n" + GOOD + "\r\n").replace(",", ";")
    cat = load_catalogue(text.encode("utf-8"))
    assert cat.loc[0, "id"] == "x1" and cat.loc[0, "range_km"] == 2500


def test_on_invalid_drop_and_warn_keep_good_rows():
    content = _csv(GOOD, GOOD.replace("x1,", "x2,").replace(",GLCM,", ",XRBM,"))
    assert list(load_catalogue(content, on_invalid="drop")["id"]) == ["x1"]
    with pytest.warns(UserWarning, match="XRBM"):
        assert len(load_catalogue(content, on_invalid="warn")) == 1
    with pytest.raises(
        OptionError, match="on_invalid must be one of raise, warn, drop; got 'ignore'"
    ):
        load_catalogue(content, on_invalid="ignore")


def test_blank_range_needs_a_note():
    row = GOOD.replace(",2500,480,2500,", ",,,,").replace(",note", ",")
    with pytest.raises(CatalogueError, match="blank range needs a note"):
        load_catalogue(_csv(row))


def test_find_system_by_id_name_alias_and_suggestions():
    assert find_system(CATALOGUE, "SSC-8")["id"] == "9m729"
    assert find_system(CATALOGUE, "df-26")["id"] == "df-26"
    with pytest.raises(CatalogueError, match=r"unknown system 'DF-62'; closest: .*df-"):
        find_system(CATALOGUE, "DF-62")
    assert list(find_systems(CATALOGUE, ["df-26", "DF-26", "pershing-2"])["id"]) == [
        "df-26",
        "pershing-2",
    ]


def test_bands(tiny_catalogue):
    row = find_system(tiny_catalogue, "test-irbm")
    assert band_radii_km(row, "all") == [("nominal", 4000.0), ("low", 3000.0), ("high", 5000.0)]
    assert band_radii_km(find_system(tiny_catalogue, "test-slcm"), "low") == []
    with pytest.raises(OptionError, match="band must be one of nominal, low, high, all"):
        band_radii_km(row, "median")


def test_filter_systems(tiny_catalogue):
    assert list(filter_systems(tiny_catalogue, inf_only=True)["id"]) == ["test-glcm", "test-irbm"]
    assert list(filter_systems(tiny_catalogue, countries=["usa"])["id"]) == ["test-slcm"]
    with pytest.raises(OptionError, match="class must be one of"):
        filter_systems(tiny_catalogue, classes=["XRBM"])


def test_tiny_catalogue_types(tiny_catalogue):
    assert tiny_catalogue["range_km"].dtype == "float64"
    assert str(tiny_catalogue["first_deployed"].dtype) == "Int64"
    assert pd.isna(tiny_catalogue.set_index("id").loc["test-blank", "range_km"])


def test_catalogue_tables(catalogue):
    claims = load_claims()
    table = catalogue_table(catalogue, claims)
    assert list(table.columns) == list(CATALOGUE_VIEW) and len(table) == len(catalogue)
    figures = claims.dropna(subset=["claim_range_km"]).groupby("system_id")["claim_range_km"]
    assert table["disputed"].sum() == (figures.nunique() > 1).sum()
    shown = claims_table(claims, catalogue)
    assert shown["system"].notna().all() and {"kind", "quality"} <= set(shown.columns)
    listed = sources_table(catalogue, load_sources())
    assert len(listed) == catalogue["sources"].str.split().str.len().sum()
    assert listed["kind"].notna().all()


def test_regression_15_many_keys_build_the_name_index_once(monkeypatch):
    """Check fix for a look-up that rebuilt the name index per key (issue 15: 20,000
    repeated systems in a scenario took 73 s); counts index builds, not seconds."""
    import rangemap.catalogue

    builds = []
    real = rangemap.catalogue._names
    monkeypatch.setattr(rangemap.catalogue, "_names", lambda cat: builds.append(1) or real(cat))
    rows = find_systems(CATALOGUE, ["SSC-8", "df-26"] * 5_000)
    assert rows["id"].tolist() == ["9m729", "df-26"] and len(builds) == 1
    index = SystemIndex(CATALOGUE)
    assert [index.id_of(k) for k in ("pershing-2", " Pershing II ", "mgm-31b")] == [
        "pershing-2"
    ] * 3
    assert len(builds) == 2  # one per index, however many keys
    # An unknown key is shown cut, not echoed whole.
    with pytest.raises(CatalogueError, match=r"unknown system 'x+\.\.\. \(100,002 characters\)"):
        index.id_of("x" * 100_000)


def test_a_catalogue_that_cites_sources_takes_its_figures_from_its_claims():
    from conftest import SOURCE_TEXT

    sources = load_sources(SOURCE_TEXT.encode())
    head = ",".join(
        ["id", "name", "aliases", "country", "class", "basing", "propulsion", "min_range_km",
         "status", "first_deployed", "nuclear", "sources", "accessed", "notes"]
    )  # fmt: skip
    cat_csv = f"{head}\nx1,X One,,RUS,GLCM,road-mobile,cruise,,deployed,2017,dual,s2,2026-12-01,\n"
    claims = load_claims(
        b"system_id,kind,claim_range_km,claimant,sources,date,note\n"
        b"x1,official-declaration,480,Maker state,s1,2019,\n"
        b"x1,max-range-estimate,2500,Analyst,s2,2018,\n",
        sources=sources,
    )
    row = load_catalogue(cat_csv.encode(), claims=claims, sources=sources).iloc[0]
    assert (row["range_km"], row["range_low_km"], row["range_high_km"]) == (2500, 480, 2500)
    assert row["quality"] == "single-source" and row["inf_class"] == "disputed"
    assert row["sources"].split() == ["https://example.org/s2", "https://example.org/s1"]
    assert row["nominal_basis"] == "Analyst, 2018 (max-range-estimate)"
