"""The command line's threat census: ``threats`` (who can reach this city).

Kept beside :mod:`rangemap.cli` (which adds it to its parser) so that neither file grows
past the house's 700 lines.

threats   every deployed system (and with --every-site, every system at every site of
          its own country, as hypothetical) that can reach given targets: exact
          distance, margin, flight time, launchers, and the population of settlements
          ≥ 1,000 (GeoNames) within each ring

Light to import: the census and its constants are loaded when ``threats`` is parsed or run.

Public names
------------
add_threat_commands
    Add ``threats`` to the ``rangemap`` sub-parsers.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from rangemap._clio import FORMATS, emit, examples_epilog
from rangemap.catalogue import Band

__all__ = ["add_threat_commands"]

#: The columns the terminal table shows (csv and json keep every one).
_TABLE_COLUMNS = (
    "target", "system_country", "system_id", "site_id", "status", "band", "radius_km",
    "distance_km", "margin_km", "in_range", "flight_time_min_low", "flight_time_min_high",
    "launchers_low", "launchers_high",
)  # fmt: skip

_EPILOG = """\
Rows list every (target, system, site, band), in range or not; --in-range-only keeps
those in range. Distances are exact WGS84 geodesics (km); margin_km is positive inside
the band (to its nearer edge, a minimum range counting as one) and negative outside.
launchers_low/high count the system's launchers overall (its country's latest published
figure), never the launchers at one site. Rows with status hypothetical-site
(--every-site) say what a system could reach if based there: they are not deployments.
settlement_population_in_range (csv, json) is the {label}
within the row's ring, the same for every target; --summary gives
max_settlement_population_in_range, the most within one ring of the system.
"""

_EXAMPLES = (
    "rangemap threats --target Seoul --as-of 2026-06 --in-range-only",
    "rangemap threats --target Moscow --target London --as-of 1985 --band nominal",
    "rangemap threats --target -45,-20 --every-site --summary --format csv",
)


def _cmd_threats(args: argparse.Namespace, out: TextIO) -> None:
    # Here, not at the top: the census loads geopandas, the deployments and settlements.
    from rangemap.targets import resolve_targets
    from rangemap.threats import threat_census, threat_summary

    census = threat_census(
        resolve_targets(args.target),
        as_of=args.as_of,
        band=args.band,
        every_site=args.every_site,
        max_rows=args.max_rows,
    )
    label = census.attrs["settlement_label"]
    if args.summary:  # summed up before filtering, so n_sites counts every site
        table = threat_summary(census)
        if args.format != "table":  # a terminal table rounds km itself (format_table)
            table["min_distance_km"] = table["min_distance_km"].astype(float).round(1)
        most = "max_settlement_population_in_range"  # whole people
        table[most] = table[most].astype(float).round(0).astype("Int64")
        if args.in_range_only:
            table = table.loc[table["in_range"].astype(bool)].reset_index(drop=True)
        if args.format == "table":
            emit(table, args.format, out)
            out.write(f"{most}: the most {label} within one ring of the system\n")
            return
    else:
        if args.in_range_only:
            census = census.loc[census["in_range"].astype(bool)].reset_index(drop=True)
        # Metres at most in files; a terminal table rounds to whole km (format_table).
        table = census.round({"distance_km": 3, "margin_km": 3})
        if args.format == "table":
            table = table[list(_TABLE_COLUMNS)]
    emit(table, args.format, out)


def add_threat_commands(sub: Any) -> None:
    """Add ``threats`` to the sub-parsers of ``rangemap`` (its help line is ``cli``'s)."""
    # Here, not at the top: these constants' modules load geopandas and the settlements.
    from rangemap.population import SETTLEMENTS_LABEL
    from rangemap.threats import MAX_CENSUS_ROWS

    p = sub.add_parser(
        "threats",
        description=(
            "The threat census: for each target, every system deployed on the as-of date "
            "(data/deployments.csv) at each of its sites, in each range figure, with the "
            "exact distance, whether it is in range, the margin, the flight time and the "
            "system's published launcher count."
        ),
        epilog=examples_epilog(*_EXAMPLES, text=_EPILOG.format(label=SETTLEMENTS_LABEL)),
    )
    p.add_argument("--target", action="append", required=True, metavar="NAME|LAT,LON",
                   help="a shipped city's name, or coordinates; repeat for more")  # fmt: skip
    p.add_argument("--as-of", metavar="YYYY[-MM[-DD]]", default=None,
                   help="deployments under way and launcher counts published on this date "
                   "(a year or month means its last day; default: today)")  # fmt: skip
    p.add_argument("--band", choices=[b.value for b in Band], default=Band.ALL.value,
                   help="which range figures, each its own row")  # fmt: skip
    p.add_argument("--every-site", action="store_true",
                   help="also every catalogue system at every shipped site of its own "
                   "country, status hypothetical-site: could reach if based there, not a "
                   "deployment (default: off)")  # fmt: skip
    p.add_argument("--in-range-only", action="store_true",
                   help="only the rows in range (default: every row)")  # fmt: skip
    p.add_argument("--summary", action="store_true",
                   help="one row per (target, system's country, system): bands and sites in "
                   "range, nearest site, launchers once per system (default: off)")  # fmt: skip
    p.add_argument("--max-rows", type=int, default=MAX_CENSUS_ROWS, metavar="N",
                   help="most rows, targets x (system, site, band)")  # fmt: skip
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.set_defaults(func=_cmd_threats)
