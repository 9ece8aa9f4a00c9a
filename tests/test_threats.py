"""rangemap.threats: the threat census ("who can reach this city").

Every case below was computed first with the shipped data, and each comment gives the
numbers that decide it, so a change in the data or the code shows up as a failure here.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from rangemap.catalogue import load_catalogue
from rangemap.deployments import load_deployments
from rangemap.errors import OptionError, SiteError, TargetError
from rangemap.flightgeo import load_timings
from rangemap.inventory import load_inventory
from rangemap.sites import load_sites
from rangemap.targets import MAX_NAMED_TARGETS, resolve_targets
from rangemap.threats import (
    CENSUS_COLUMNS,
    HYPOTHETICAL_SITE,
    SUMMARY_COLUMNS,
    threat_census,
    threat_summary,
)

# The shipped tables, read once for the whole file (each census then takes ~0.1 s).
CAT = load_catalogue()
SITES = load_sites()
DEP = load_deployments(system_ids=set(CAT["id"]), site_ids=set(SITES["id"]))
INV = load_inventory()
TIMINGS = load_timings(CAT)
TABLES = {"catalogue": CAT, "sites": SITES, "deployments": DEP, "inventory": INV,
          "timings": TIMINGS}  # fmt: skip
#: A fixed day, so that "today" never changes an answer: every current deployment in
#: data/deployments.csv (Oreshnik at Krichev from 2025-12-17) is under way.
DAY = "2026-06-30"


def census(targets: list[str], **kwargs):
    return threat_census(resolve_targets(targets), **{"as_of": DAY, **TABLES, **kwargs})


def test_columns_and_every_row_kept_in_and_out_of_range():
    table = census(["Seoul"])
    assert tuple(table.columns) == CENSUS_COLUMNS
    assert table["in_range"].any() and not table["in_range"].all()
    assert set(table["status"]) == {"reported"}  # no exercise is under way on DAY


def test_seoul_is_in_range_of_df26_from_all_three_deployed_sites():
    # DF-26 stands at Qingzhou (from 2020-01), Xinyang (2018-04) and Korla (2021-01).
    # Seoul is 761, 1,325 and 3,501 km from them: inside the nominal 4,000 km from all
    # three, but Korla is 501 km beyond the low figure of 3,000 km.
    table = census(["Seoul"])
    df26 = table.loc[table["system_id"] == "df-26"].set_index(["site_id", "band"])
    assert set(df26.index.get_level_values(0)) == {
        "shandong-qingzhou", "henan-xinyang", "xinjiang-korla"}  # fmt: skip
    assert df26.loc[("shandong-qingzhou", "nominal"), "distance_km"] == pytest.approx(761, abs=1)
    assert df26.xs("nominal", level="band")["in_range"].all()
    korla_low = df26.loc[("xinjiang-korla", "low")]
    assert not korla_low["in_range"]
    assert korla_low["margin_km"] == pytest.approx(3000 - 3501.2, abs=0.1)
    assert (df26["system_country"] == "CHN").all() and (df26["target_country"] == "KOR").all()


def test_distances_are_exact_wgs84_geodesics():
    table = census(["Seoul", "Tokyo", "-45,-20"], every_site=True)
    targets = resolve_targets(["Seoul", "Tokyo", "-45,-20"]).set_index("name")
    site = SITES.set_index("id").loc[table["site_id"]]
    target = targets.loc[table["target"]]
    _, _, d_m = Geod(ellps="WGS84").inv(
        site["lon"].to_numpy(), site["lat"].to_numpy(),
        target["lon"].to_numpy(), target["lat"].to_numpy(),
    )  # fmt: skip
    np.testing.assert_allclose(table["distance_km"], np.asarray(d_m) / 1000.0, rtol=0, atol=1e-6)


def test_margin_is_positive_inside_and_negative_outside():
    table = census(["Seoul", "Kaliningrad", "Warsaw"])
    assert ((table["margin_km"] > 0) == table["in_range"]).all()  # no target on an edge
    plain = table["min_radius_km"].isna()
    np.testing.assert_allclose(
        table.loc[plain, "margin_km"],
        table.loc[plain, "radius_km"] - table.loc[plain, "distance_km"],
    )


def test_minimum_range_leaves_kaliningrad_out_of_its_own_iskanders_reach():
    # Iskander-M: 50-500 km (min_range_km 50). The Kaliningrad site is a marker 0.4 km
    # from the city; a point at 54.71,21.2 is 44.5 km east. Both lie inside the 50 km
    # minimum: out of range, the margin (distance - 50) negative.
    table = census(["Kaliningrad", "54.71,21.2"], band="nominal")
    rows = table.loc[(table["system_id"] == "iskander-m") & (table["site_id"] == "kaliningrad")]
    rows = rows.set_index("target")
    assert (rows["min_radius_km"] == 50).all() and not rows["in_range"].any()
    assert rows.loc["Kaliningrad", "distance_km"] < 1
    assert rows.loc["54.71,21.2", "margin_km"] == pytest.approx(
        rows.loc["54.71,21.2", "distance_km"] - 50
    )
    assert -6 < rows.loc["54.71,21.2", "margin_km"] < -5


def test_1985_pershing_ii_cannot_reach_moscow_but_the_florennes_glcm_can():
    # On 31 Dec 1985 Pershing II (1,770 km; low 1,609) stood at Mutlangen, Heilbronn and
    # Neu-Ulm, 2,032-2,049 km from Moscow: short by 262 km at best. The BGM-109G (2,414
    # km) at Florennes (from 1985-03) is 2,274 km away: in range; from Greenham Common
    # (2,588 km) and Comiso (2,713 km) it is not.
    table = census(["Moscow"], as_of="1985")
    p2 = table.loc[table["system_id"] == "pershing-2"]
    assert set(p2["site_id"]) == {"mutlangen", "heilbronn", "neu-ulm"}
    assert not p2["in_range"].any()
    assert p2["margin_km"].max() == pytest.approx(1770 - 2032.3, abs=0.1)
    glcm = table.loc[table["system_id"] == "bgm-109g"].set_index("site_id")["in_range"]
    assert glcm.to_dict() == {"florennes": True, "greenham-common": False, "comiso": False}
    # Hasselbach (from 1986-03) is not yet under way on the as-of day.
    assert "hasselbach" not in set(table["site_id"])


def test_south_atlantic_point_is_reached_by_nothing_inf_class():
    # -45,-20 is over 11,500 km from every shipped site: even with every system at every
    # site of its own country, only intercontinental systems (DF-41, RS-28, 9M730) reach
    # it, and none is INF-class (500-5,500 km).
    table = census(["-45,-20"], every_site=True)
    hit = table.loc[table["in_range"]]
    assert len(hit) and (hit["status"] == HYPOTHETICAL_SITE).all()
    inf = hit["system_id"].map(CAT.set_index("id")["inf_class"])
    assert set(inf) == {"out"}
    assert table["distance_km"].min() > 11_500
    assert not census(["-45,-20"])["in_range"].any()  # deployments alone: nothing


def test_summary_takes_launchers_once_per_system_never_summed_over_sites():
    # DF-26 reaches Seoul from 3 sites; its latest launcher count on DAY is 350 (NASIC
    # via Gertz, 2020-07), a count of all DF-26 launchers, so the summary says 350, not
    # 3 x 350 = 1,050.
    summary = threat_summary(census(["Seoul"]))
    assert tuple(summary.columns) == SUMMARY_COLUMNS
    df26 = summary.loc[summary["system_id"] == "df-26"]
    assert len(df26) == 1
    row = df26.iloc[0]
    assert row["sites_in_range"] == 3 and row["n_sites"] == 3
    assert (row["launchers_low"], row["launchers_high"]) == (350, 350)
    assert row["bands_in_range"] == "nominal/low/high"
    assert row["nearest_site"] == "Qingzhou region (Shandong)"
    typhon = summary.set_index("system_id").loc["tomahawk-typhon"]
    assert typhon["bands_in_range"] == "high"  # 2,235 km: beyond 1,800, within 2,700
    assert pd.isna(typhon["launchers_high"])  # no published figure: blank


def test_launcher_count_follows_the_as_of_date_and_is_not_blanked_by_a_later_class_total():
    # inventory.csv has DF-26 launchers "up to 80" (2018), 200 (2019-12), 350 (2020-07),
    # then a 2025 CLASS TOTAL row with missiles only. Mid-2019 gives the 2018 figure (high
    # only); DAY gives 350, not the blank launchers of the later missiles-only row.
    mid_2019 = census(["Seoul"], as_of="2019-06")
    df26 = mid_2019.loc[mid_2019["system_id"] == "df-26"].iloc[0]
    assert pd.isna(df26["launchers_low"]) and df26["launchers_high"] == 80
    assert df26["launchers_as_of"] == "2018"
    now = census(["Seoul"])
    df26 = now.loc[now["system_id"] == "df-26"].iloc[0]
    assert df26["launchers_high"] == 350 and df26["launchers_as_of"] == "2020-07"
    assert not df26["launchers_class_total"]
    # 9M729 has only a missile count (64, 2019-02): launchers blank.
    assert now.loc[now["system_id"] == "9m729", "launchers_high"].isna().all()


def test_flight_times_from_the_time_models_blank_without_parameters():
    table = census(["Seoul"])
    df26 = table.loc[table["system_id"] == "df-26"]
    assert (df26["time_model"] == "ballistic, minimum-energy").all()
    assert (df26["flight_time_min_low"] <= df26["flight_time_min_high"]).all()
    assert df26["flight_time_min_low"].between(5, 30).all()
    # Typhon's Tomahawk has no published mean speed (data/README.md): no time.
    typhon = table.loc[table["system_id"] == "tomahawk-typhon"]
    assert typhon["flight_time_min_low"].isna().all()
    assert (typhon["time_model"] == "cruise, mean speed").all()


def test_every_site_adds_hypothetical_own_country_rows_and_keeps_the_deployments():
    deployed = census(["Tokyo"])
    both = census(["Tokyo"], every_site=True)
    hypo = both.loc[both["status"] == HYPOTHETICAL_SITE]
    assert len(hypo) and (hypo["site_country"] == hypo["system_country"]).all()
    assert {"df-21", "hwasong-12", "hyunmoo-5", "type-12-improved"} <= set(hypo["system_id"])
    # The deployment rows are the same; no deployed (system, site) is repeated as
    # hypothetical (DF-26 at Qingzhou stays "reported" only).
    kept = both.loc[both["status"] != HYPOTHETICAL_SITE]
    key = ["system_id", "site_id", "band"]
    pd.testing.assert_frame_equal(
        kept.sort_values(key).reset_index(drop=True),
        deployed.sort_values(key).reset_index(drop=True),
    )
    pairs = set(zip(kept["system_id"], kept["site_id"], strict=True))
    assert not pairs & set(zip(hypo["system_id"], hypo["site_id"], strict=True))
    summary = threat_summary(both)
    assert set(summary["basis"]) == {"deployed", HYPOTHETICAL_SITE}


def test_rows_sorted_by_country_then_target_then_in_range_first_then_distance():
    table = census(["Seoul", "Warsaw"], every_site=True)
    assert table["system_country"].is_monotonic_increasing
    for _, group in table.groupby(["system_country", "target"], sort=False):
        flags = group["in_range"].to_numpy()
        assert not (~flags[:-1] & flags[1:]).any()  # no in-range row after an outside one
        for _, part in group.groupby("in_range"):
            assert part["distance_km"].is_monotonic_increasing
    # Targets in the order given within each country.
    for _, group in table.groupby("system_country"):
        assert list(dict.fromkeys(group["target"])) == ["Seoul", "Warsaw"]


def test_one_band_only():
    table = census(["Seoul"], band="nominal")
    assert set(table["band"]) == {"nominal"}
    with pytest.raises(OptionError, match="band must be one of"):
        census(["Seoul"], band="median")


def test_a_day_with_no_deployment_gives_empty_tables_with_the_columns():
    table = census(["Seoul"], as_of="1950")
    assert table.empty and tuple(table.columns) == CENSUS_COLUMNS
    assert threat_summary(table).empty


def test_too_many_targets_refused_before_any_work_naming_the_limit():
    many = pd.DataFrame({"name": ["x"] * (MAX_NAMED_TARGETS + 1), "lat": 0.0, "lon": 0.0})
    # The tables are bogus: the check must come before any of them is touched.
    with pytest.raises(TargetError, match=r"1,001 targets, over the limit of 1,000.*max_targets="):
        threat_census(many, catalogue="not read", sites="not read")  # type: ignore[arg-type]


def test_too_many_rows_refused_before_any_distance(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("distances computed before the row limit was checked")

    monkeypatch.setattr("rangemap.threats.coverage_table", boom)
    with pytest.raises(SiteError, match=r"over the limit of 10;.*max_rows=.*--max-rows"):
        census(["Seoul", "Tokyo"], max_rows=10)


# --- the command line -----------------------------------------------------------------
# These call rangemap.cli.main: they need add_threat_commands wired into rangemap/cli.py
# (skip them with -k "not cli" until it is).


def _run_cli(*argv: str) -> tuple[int, str]:
    from rangemap.cli import main

    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_cli_threats_in_range_only_json():
    code, text = _run_cli("threats", "--target", "Seoul", "--as-of", DAY, "--in-range-only",
                          "--format", "json")  # fmt: skip
    rows = json.loads(text)
    assert code == 0 and rows and all(r["in_range"] for r in rows)
    assert {r["system_id"] for r in rows} == {"df-26", "tomahawk-typhon"}
    assert set(rows[0]) == set(CENSUS_COLUMNS)


def test_cli_threats_summary_csv_with_a_negative_coordinate():
    code, text = _run_cli("threats", "--target", "-45,-20", "--as-of", DAY, "--every-site",
                          "--summary", "--in-range-only", "--format", "csv")  # fmt: skip
    lines = text.splitlines()
    assert code == 0 and lines[0].startswith("target,target_country,system_country,")
    assert len(lines) > 1 and all(HYPOTHETICAL_SITE in line for line in lines[1:])


def test_cli_threats_help_shows_defaults_and_an_example(capsys):
    with pytest.raises(SystemExit):
        _run_cli("threats", "--help")
    text = capsys.readouterr().out
    assert "default: all" in text and "default: today" in text
    assert "rangemap threats --target Seoul" in text


def test_cli_threats_bad_input_exits_2(capsys):
    code, _ = _run_cli("threats", "--target", "Seoul", "--as-of", "soon")
    assert code == 2 and "as-of date must be" in capsys.readouterr().err
    code, _ = _run_cli("threats", "--target", "Seoul", "--every-site", "--max-rows", "10")
    assert code == 2 and "--max-rows" in capsys.readouterr().err


# --- issue 13 item 6: the population of settlements within each ring ----------------------


def _settlement_sample(n: int = 2000, label: str = "sample of settlements"):
    from rangemap.population import Population, load_settlements

    pop = load_settlements()
    pick = np.random.default_rng(13).choice(len(pop), n, replace=False)
    return Population(lat=pop.lat[pick], lon=pop.lon[pick], count=pop.count[pick],
                      label=label, source="test")  # fmt: skip


def _brute_ring_population(pop, lat, lon, radius_km, min_radius_km):
    n = len(pop)
    _, _, d_m = Geod(ellps="WGS84").inv(np.full(n, lon), np.full(n, lat), pop.lon, pop.lat)
    d = np.asarray(d_m) / 1000.0
    rmin = 0.0 if pd.isna(min_radius_km) else min_radius_km
    return float(pop.count[(d <= radius_km) & (d >= rmin)].sum())


def test_settlement_population_per_ring_equals_brute_force_for_every_target():
    pop = _settlement_sample()
    table = census(["Seoul", "Tokyo", "-45,-20"], every_site=True, population=pop)
    assert table.attrs["settlement_label"] == "sample of settlements"
    ring = ["system_id", "site_id", "band"]
    # The same figure for every target: it belongs to the ring, not the target.
    assert (table.groupby(ring)["settlement_population_in_range"].nunique() == 1).all()
    where = SITES.set_index("id")
    rows = table.drop_duplicates(ring)
    assert len(rows) > 300  # every system at every site of its own country, all bands
    for _, row in rows.iterrows():
        site = where.loc[row["site_id"]]
        expected = _brute_ring_population(pop, float(site["lat"]), float(site["lon"]),
                                          row["radius_km"], row["min_radius_km"])  # fmt: skip
        assert row["settlement_population_in_range"] == expected, tuple(row[ring])


def test_settlement_population_defaults_to_the_shipped_settlements():
    from rangemap.population import SETTLEMENTS_LABEL, load_settlements

    table = census(["Seoul"])
    assert table.attrs["settlement_label"] == SETTLEMENTS_LABEL
    row = table.set_index(["system_id", "site_id", "band"]).loc[
        ("df-26", "shandong-qingzhou", "nominal")]  # fmt: skip
    site = SITES.set_index("id").loc["shandong-qingzhou"]
    expected = _brute_ring_population(load_settlements(), float(site["lat"]),
                                      float(site["lon"]), 4000.0, np.nan)  # fmt: skip
    assert row["settlement_population_in_range"] == expected > 5e8


def test_settlement_population_computed_once_per_census_not_per_target(monkeypatch):
    import rangemap.threats

    calls = []
    real = rangemap.threats.population_in_rings

    def counted(pop, rings, **kwargs):
        calls.append(len(rings))
        return real(pop, rings, **kwargs)

    monkeypatch.setattr(rangemap.threats, "population_in_rings", counted)
    table = census(["Seoul", "Tokyo", "Warsaw", "-45,-20"], population=_settlement_sample(200))
    assert len(calls) == 1 and len(table) == 4 * calls[0]


def test_summary_and_table_show_the_most_of_one_ring_with_its_label():
    pop = _settlement_sample(label="population from test.csv")
    found = census(["Seoul"], every_site=True, population=pop)
    summary = threat_summary(found)
    assert summary.attrs["settlement_label"] == "population from test.csv"
    keys = ["target", "system_id", "basis"]
    basis = np.where(found["status"] == HYPOTHETICAL_SITE, HYPOTHETICAL_SITE, "deployed")
    most = found.assign(basis=basis).groupby(keys)["settlement_population_in_range"].max()
    got = summary.set_index(keys)["max_settlement_population_in_range"]
    pd.testing.assert_series_equal(got.sort_index(), most.sort_index(), check_names=False)
    from rangemap.threats import threat_table

    table = threat_table(summary)
    header = "Most population from test.csv in range of one site"
    assert table.columns[-1] == header
    df26 = table.loc[(table["System"] == "DF-26") & (table["From"] == "where deployed")]
    expected = summary.set_index(["system_id", "basis"]).loc[
        ("df-26", "deployed"), "max_settlement_population_in_range"]  # fmt: skip
    assert df26[header].tolist() == [f"{expected:,.0f}"]
    empty = threat_summary(census(["Seoul"], as_of="1950", population=pop))
    assert empty.attrs["settlement_label"] == "population from test.csv"
    assert "max_settlement_population_in_range" in empty.columns


def test_cli_threats_labels_the_settlement_population():
    from rangemap.population import SETTLEMENTS_LABEL

    code, text = _run_cli("threats", "--target", "Seoul", "--as-of", DAY, "--summary",
                          "--in-range-only")  # fmt: skip
    assert code == 0 and "max_settlement_population_in_range" in text
    assert text.splitlines()[-1] == (
        f"max_settlement_population_in_range: the most {SETTLEMENTS_LABEL} within one ring "
        "of the system"
    )
    code, text = _run_cli("threats", "--target", "Seoul", "--as-of", DAY, "--format", "csv")
    assert "settlement_population_in_range" in text.splitlines()[0]
    code, text = _run_cli("threats", "--target", "Seoul", "--as-of", DAY, "--summary",
                          "--format", "json")  # fmt: skip
    rows = json.loads(text)
    assert all(float(r["max_settlement_population_in_range"]).is_integer() for r in rows)
