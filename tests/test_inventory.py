"""rangemap.inventory: published counts as low/high ranges, never a single invented number."""

from __future__ import annotations

from datetime import date

import pytest

from rangemap.catalogue import load_catalogue
from rangemap.errors import CatalogueError
from rangemap.inventory import COUNT_COLUMNS, INVENTORY_COLUMNS, inventory_at, load_inventory

INVENTORY = load_inventory()
HEAD = ",".join(INVENTORY_COLUMNS)
SID = INVENTORY["sources"].iloc[0].split()[0]


def _load(row: str):
    return load_inventory(f"{HEAD}\n{row}\n".encode(), name="inv.csv")


def test_shipped_inventory_names_known_systems_and_cites_sources():
    assert set(INVENTORY["system_id"]) <= set(load_catalogue()["id"])
    assert (INVENTORY["urls"] != "").all()
    counts = INVENTORY[list(COUNT_COLUMNS)]
    assert counts.notna().any(axis=1).all()
    for kind in ("launchers", "missiles"):
        both = INVENTORY[[f"{kind}_low", f"{kind}_high"]].dropna()
        assert (both[f"{kind}_low"] <= both[f"{kind}_high"]).all()


@pytest.mark.parametrize(
    ("row", "match"),
    [
        (
            f"df-26,CHN,,,,,2025,{SID},",
            r"line 2, column 'launchers_low': a row needs at least one count",
        ),
        (f"df-26,CHN,200,100,,,2025,{SID},", r"column 'launchers_low': low 200 is above high 100"),
        (
            f"df-26,CHN,about 80,,,,2025,{SID},",
            r"column 'launchers_low': must be a number, got 'about 80'",
        ),
        (f"df-26,CHN,80.5,,,,2025,{SID},", r"must be a whole number"),
        (f"df-26,CHN,80,,,,,{SID},", r"column 'as_of': must be a date"),
        ("df-26,CHN,80,,,,2025,nosuch,", r"unknown source id 'nosuch'"),
    ],
)
def test_bad_counts_are_refused(row, match):
    with pytest.raises(CatalogueError, match=match):
        _load(row)


def test_inventory_at_takes_each_system_s_latest_count_up_to_the_date():
    inv = load_inventory(
        f"{HEAD}\nx,CHN,16,30,,,2018,{SID},\nx,CHN,200,,,,2020-06,{SID},\nx,CHN,350,,,,2023,{SID},\n".encode()
    )
    assert inventory_at(inv, date(2021, 1, 1))["launchers_low"].tolist() == [200]
    assert inventory_at(inv, date(2019, 1, 1))["launchers_high"].tolist() == [30]
    assert inventory_at(inv, date(2017, 1, 1)).empty
