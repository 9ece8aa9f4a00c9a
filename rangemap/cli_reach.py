"""The command line's reach output: what ``area`` and ``compare`` print.

Kept beside :mod:`rangemap.cli` (which parses their arguments and calls
:func:`rangemap.reach.coverage_area` and :func:`rangemap.reach.compare_sites`) so that
neither file grows past the house's 700 lines.

Every settlement figure is printed with its label (``settlement_label``, e.g.
"population of settlements ≥ 1,000 (GeoNames)"), never as "population" alone (issue 13).

Public names
------------
print_area
    A :func:`rangemap.reach.coverage_area` result as text, CSV (its countries) or JSON.
print_compare
    A :func:`rangemap.reach.compare_sites` table; on a terminal, with the settlements'
    label under it.
"""

from __future__ import annotations

import json
from typing import TextIO

import pandas as pd

from rangemap._clio import emit

__all__ = ["print_area", "print_compare"]


def print_area(result: dict[str, object], *, region: str | None, fmt: str, out: TextIO) -> None:
    """Print a :func:`rangemap.reach.coverage_area` result.

    Parameters
    ----------
    result : dict
        From :func:`rangemap.reach.coverage_area` (with ``population``, or without: then
        no settlement line).
    region : str or None
        The region preset asked for (None: the world).
    fmt : {"table", "csv", "json"}
        ``json``: every figure and the countries; ``csv``: the countries only; ``table``:
        the figures as lines of text, then the countries.
    out : file object
        Where to write.

    Examples
    --------
    >>> import io, sys
    >>> result = {"area_km2": 1e6, "region_area_km2": 4e6, "share_of_region": 0.25,
    ...           "countries": pd.DataFrame(columns=["name", "iso_a3", "covered_km2",
    ...                                              "area_km2", "share"]),
    ...           "city_population": 0, "n_cities": 0, "settlement_population": 1234.0,
    ...           "n_settlements": 2, "settlement_label": "population from p.csv"}
    >>> print_area(result, region="europe", fmt="table", out=sys.stdout)  # doctest: +ELLIPSIS
    covered area: 1,000,000 km2 (25.00 % of europe, 4,000,000 km2; WGS84 ellipsoid)
    city population in range: 0 in 0 shipped cities (...)
    population from p.csv in range: 1,234 in 2 settlements
    countries reached: 0
    (no rows)
    """
    countries = result["countries"]
    assert isinstance(countries, pd.DataFrame)
    if fmt == "json":
        doc = {k: v for k, v in result.items() if k != "countries"}
        doc["countries"] = countries.to_dict(orient="records")
        out.write(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        emit(countries, "csv", out)
        return
    out.write(
        f"covered area: {result['area_km2']:,.0f} km2 "
        f"({100 * float(result['share_of_region']):.2f} % of "  # type: ignore[arg-type]
        f"{region or 'world'}, {result['region_area_km2']:,.0f} km2; WGS84 ellipsoid)\n"
        f"city population in range: {result['city_population']:,} in {result['n_cities']} "
        "shipped cities (GeoNames, population >= 100,000, and capitals)\n"
    )
    if "settlement_label" in result:
        out.write(
            f"{result['settlement_label']} in range: {result['settlement_population']:,.0f} "
            f"in {result['n_settlements']:,} settlements\n"
        )
    out.write(f"countries reached: {len(countries)}\n")
    emit(countries, "table", out)  # format_table rounds km² to units and shares to 0.001


def print_compare(table: pd.DataFrame, *, fmt: str, out: TextIO) -> None:
    """Print a :func:`rangemap.reach.compare_sites` table, figures rounded to units.

    On a terminal (``fmt="table"``) a line under the table says what the
    ``settlement_population_*`` columns count (``table.attrs["settlement_label"]``);
    CSV and JSON carry the column names alone, so that they stay machine-readable.

    Examples
    --------
    >>> import sys
    >>> table = pd.DataFrame({"site_a": ["A"], "settlement_population_a_only": [12345.4]})
    >>> table.attrs["settlement_label"] = "population from p.csv"
    >>> print_compare(table, fmt="table", out=sys.stdout)
    site_a  settlement_population_a_only
    A                             12,345
    settlement_population_*: population from p.csv
    """
    emit(table.round(0), fmt, out)
    if fmt == "table" and "settlement_label" in table.attrs:
        out.write(f"settlement_population_*: {table.attrs['settlement_label']}\n")
