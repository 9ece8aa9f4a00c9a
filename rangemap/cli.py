"""The ``rangemap`` command line: parse, call the library, print.

Commands
--------
systems   list catalogue systems (filters: --country, --class, --inf-only, --inf CLASS)
          or their published claims (--claims)
sources   list the sources table (kind, publisher, date), or one system's sources
inventory published launcher and missile counts as low-high ranges (--as-of DATE)
sites     list shipped launch sites
ring      one geodesic ring around LAT,LON as GeoJSON
rings     rings for systems at sites as GeoJSON
coverage  per-target distances, in-range answers, margins and flight times
area      covered area, countries, city population and the population of settlements
          ≥ 1,000 (GeoNames) in range
compare   what each candidate site reaches that another does not
changes   what changed between two dates: deployments added and removed, reach gained and
          lost
flight-time  minutes from launch to impact per system, site and target (minimum-energy)
isochrones   areas reached within given minutes (warning-time isochrones), as GeoJSON
launch-area  where a system must be based to reach every (or K) of a set of targets
reach-from   what anything launched from anywhere in a country or polygon reaches
threats      who can reach a target: every deployed system, site and band, in range or not
density      pairs and launchers reaching every cell of an equal-area grid (Dask)
sweep        the candidate sites in an area that reach the most, recounted exactly (Dask)
export    turn a scenario file into GeoJSON, KML, GeoPackage, CSV, PNG, SVG or PDF
figure    draw a report figure of systems at sites (or the INF policy figure, or the
          by-state figure)

``rings --rotating`` draws the rotation-aware footprints of ballistic systems.
``rings``, ``coverage``, ``area``, ``compare``, ``figure`` and ``export`` take ``--as-of
DATE``: the systems are drawn where public sources place them on that date
(``data/deployments.csv``) instead of at ``--site``.

Bad input exits with status 2 and one line naming the bad value; there is no traceback
for any :class:`rangemap.errors.RangemapError`. In ``--format csv`` output, text a
spreadsheet would run as a formula (``=HYPERLINK(...)``) gets a leading ``'``.

Start-up stays light: matplotlib and GDAL (seconds to load cold) are imported only by
the commands that need them, ``export`` and ``figure``, so ``rangemap systems`` never
loads matplotlib, folium or GDAL. Those two commands' arguments, whose choices come from
the figure and report modules, are added only when one of them runs or the whole parser
is asked for (:func:`build_parser`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

import geopandas as gpd
import pandas as pd

from rangemap import __version__
from rangemap._clio import FORMATS, emit, format_for, write_geojson
from rangemap.catalogue import (
    CLASSES,
    Band,
    claims_table,
    filter_systems,
    find_systems,
    load_catalogue,
    sources_table,
)
from rangemap.claims import MAX_RANGE_KM, load_claims
from rangemap.cli_flight import add_flight_commands
from rangemap.cli_reach import print_area, print_compare
from rangemap.cli_reverse import add_reverse_commands
from rangemap.cli_scale import add_scale_commands
from rangemap.cli_threats import add_threat_commands
from rangemap.deployments import (
    DEFAULT_STATUSES,
    DEPLOYMENT_STATUSES,
    changes_between,
    deployment_rows,
    parse_as_of,
)
from rangemap.errors import ExportError, RangemapError
from rangemap.flight import parse_minutes
from rangemap.flightgeo import add_flight_times_for, rotating_rings
from rangemap.geodesy import MIN_RADIUS_M
from rangemap.inventory import inventory_at, load_inventory
from rangemap.mapframe import Projection
from rangemap.population import load_settlements
from rangemap.reach import MAX_COMPARE_SITES, compare_sites, coverage_area, coverage_table
from rangemap.regions import Region
from rangemap.rings import join_sites, radius_rows, range_ring, rings_for
from rangemap.sites import load_sites, parse_latlon, resolve_sites
from rangemap.sources import SOURCE_KINDS, load_sources
from rangemap.targets import load_targets
from rangemap.treaty import InfClass

__all__ = ["build_parser", "main", "main_entry"]

_COORD_OPTIONS = ("--center", "--site", "--target")


def _cmd_systems(args: argparse.Namespace, out: TextIO) -> None:
    full = load_catalogue()
    cat = filter_systems(
        full,
        countries=args.country or (),
        classes=args.cls or (),
        inf_only=args.inf_only,
        inf=args.inf or (),
    )
    if args.claims:
        claims = load_claims()
        table = claims_table(claims.loc[claims["system_id"].isin(cat["id"])], full)
        # The terminal table leaves out the long columns; csv and json keep every one.
        shown = table if args.format != "table" else table.drop(columns=["note", "source"])
        emit(shown, args.format, out)
        return
    cols = ["id", "name", "country", "class", "basing", "range_km", "range_low_km",
            "range_high_km", "status", "inf_class", "quality"]  # fmt: skip
    if args.format != "table":
        cols = list(cat.columns)
    emit(cat[cols], args.format, out)


def _cmd_sources(args: argparse.Namespace, out: TextIO) -> None:
    sources = load_sources()
    if args.system:
        table = sources_table(find_systems(load_catalogue(), args.system), sources)
    else:
        table = sources.reset_index()[["id", "kind", "publisher", "title", "published", "url"]]
    if args.kind:
        table = table.loc[table["kind"].isin(args.kind)]
    emit(table.reset_index(drop=True), args.format, out)


def _cmd_inventory(args: argparse.Namespace, out: TextIO) -> None:
    inv = load_inventory()
    if args.as_of:
        inv = inventory_at(inv, parse_as_of(args.as_of))
    if args.system:
        ids = set(find_systems(load_catalogue(), args.system)["id"])
        inv = inv.loc[inv["system_id"].isin(ids)]
    cols = [c for c in inv.columns if args.format != "table" or c not in ("sources", "urls")]
    emit(inv[cols].reset_index(drop=True), args.format, out)


def _cmd_sites(args: argparse.Namespace, out: TextIO) -> None:
    sites = load_sites(args.file) if args.file else load_sites()
    frame = pd.DataFrame(sites.drop(columns="geometry"))
    if args.format == "table":
        frame = frame[["id", "name", "country", "lat", "lon", "kind"]]
    emit(frame, args.format, out)


def _check_radii(args: argparse.Namespace) -> None:
    """Refuse radii a person could not mean, naming the option and the value."""
    radius, mini = args.radius_km, args.min_radius_km
    least_km = MIN_RADIUS_M / 1000.0
    if radius is not None and not (least_km <= radius <= MAX_RANGE_KM):
        raise RangemapError(
            f"--radius-km must be a number in [{least_km:g}, {MAX_RANGE_KM:,.0f}], got {radius!r}"
        )
    if mini is not None:
        if radius is None:
            raise RangemapError("--min-radius-km needs --radius-km")
        if not (0 <= mini < radius):
            raise RangemapError(
                f"--min-radius-km must be in [0, --radius-km={radius!r}), got {mini!r}"
            )
        if 0 < mini < least_km:
            raise RangemapError(f"--min-radius-km must be 0 or at least {least_km:g}, got {mini!r}")


def _cmd_ring(args: argparse.Namespace, out: TextIO) -> None:
    _check_radii(args)
    lat, lon = parse_latlon(args.center)
    ring = range_ring(lat=lat, lon=lon, radius_km=args.radius_km, min_radius_km=args.min_radius_km)
    write_geojson(ring, args.output, out)


def _site_table(args: argparse.Namespace) -> gpd.GeoDataFrame | None:
    return load_sites(args.sites_file, default_kind="user") if args.sites_file else None


def _as_of_rows(args: argparse.Namespace) -> pd.DataFrame:
    """Ring rows for the deployments of ``--as-of`` (optionally only ``--system``)."""
    if args.site:
        raise RangemapError("--as-of draws the deployments of that date; drop --site")
    return deployment_rows(
        args.as_of,
        systems=args.system or (),
        band=args.band,
        statuses=args.status or DEFAULT_STATUSES,
        reported_sites=args.reported_sites,
    )


def _need_sites(args: argparse.Namespace) -> None:
    if not args.site:
        raise RangemapError("give --site ID|LAT,LON (repeat for more) or --as-of DATE")


def _cmd_rings(args: argparse.Namespace, out: TextIO) -> None:
    if args.as_of:
        rows = _as_of_rows(args)
    else:
        _need_sites(args)
        if not args.system:
            raise RangemapError("give --system ID_OR_NAME (repeat for more) or --as-of DATE")
        sites = resolve_sites(args.site, _site_table(args))
        rows = join_sites(find_systems(load_catalogue(), args.system), sites, band=args.band)
    if args.rotating:  # rotation-aware footprints ("eggs"), ballistic systems only
        write_geojson(rotating_rings(rows, load_catalogue()), args.output, out)
        return
    write_geojson(rings_for(rows), args.output, out)


def _rings_for_args(args: argparse.Namespace) -> pd.DataFrame:
    _check_radii(args)
    if args.as_of:
        return _as_of_rows(args)
    _need_sites(args)
    sites = resolve_sites(args.site, _site_table(args))
    if args.system:
        return join_sites(find_systems(load_catalogue(), args.system), sites, band=args.band)
    if args.radius_km is None:
        raise RangemapError("give --system ID ... or --radius-km R")
    return radius_rows(sites, radius_km=args.radius_km, min_radius_km=args.min_radius_km or None)


def _cmd_coverage(args: argparse.Namespace, out: TextIO) -> None:
    joined = _rings_for_args(args)
    targets = load_targets(args.targets)
    table = add_flight_times_for(coverage_table(joined, targets, region=args.region), joined)
    if args.in_range_only:
        table = table.loc[table["in_range"]]
    table = table.round({"distance_km": 3, "margin_km": 3})
    emit(table, args.format, out)


def _cmd_area(args: argparse.Namespace, out: TextIO) -> None:
    rings = rings_for(_rings_for_args(args))
    result = coverage_area(rings, region=args.region, population=load_settlements())
    print_area(result, region=args.region, fmt=args.format, out=out)


def _cmd_compare(args: argparse.Namespace, out: TextIO) -> None:
    if not args.as_of and len(args.site or ()) < 2:
        raise RangemapError(f"compare needs two or more --site, got {len(args.site or ())}")
    rings = rings_for(_rings_for_args(args))
    table = compare_sites(rings, region=args.region, max_sites=args.max_sites,
                          population=load_settlements())  # fmt: skip
    print_compare(table, fmt=args.format, out=out)


def _cmd_changes(args: argparse.Namespace, out: TextIO) -> None:
    ch = changes_between(args.start, args.end, systems=args.system or (), band=args.band,
                         statuses=args.status or DEFAULT_STATUSES, region=args.region)  # fmt: skip
    if args.format == "json":
        doc = {
            name: getattr(ch, name).to_dict(orient="records")
            for name in ("added", "removed", "reach")
        }
        out.write(json.dumps(doc, indent=1, ensure_ascii=False, default=str) + "\n")
        return
    if args.format == "csv":
        for title, frame in (("added", ch.added), ("removed", ch.removed), ("reach", ch.reach)):
            out.write(f"# {title}\n")
            emit(frame, "csv", out)
        return
    for title, frame in (("deployments added", ch.added), ("deployments removed", ch.removed)):
        out.write(f"{title} ({args.start} -> {args.end}):\n")
        emit(frame.drop(columns="urls"), "table", out)
    if ch.reach.empty:
        out.write("reach: no deployment on one of the two dates\n")
        return
    for label, row, side in (("gained", ch.reach.iloc[1], "a"), ("lost", ch.reach.iloc[0], "a")):
        out.write(
            f"reach {label}: {row[f'area_{side}_only_km2']:,.0f} km2, "
            f"{row[f'cities_{side}_only']:,} cities, population {row[f'population_{side}_only']:,}"
            f"\n  capitals: {row[f'capitals_{side}_only'] or 'none'}"
            f"\n  countries: {row[f'countries_{side}_only'] or 'none'}\n"
        )


def _cmd_export(args: argparse.Namespace, out: TextIO) -> None:
    # Here, not at the top: the outputs need matplotlib and GDAL (seconds to load cold).
    from rangemap.report import EXPORT_FORMATS, run_scenario
    from rangemap.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    fmt = format_for(args.output, args.format, EXPORT_FORMATS)
    written = run_scenario(scenario, fmt, args.output, methods_note_path=args.methods_note,
                           date=args.date, as_of=args.as_of)  # fmt: skip
    out.write(f"wrote {written}\n")
    if args.methods_note:
        out.write(f"wrote {args.methods_note}\n")


def _cmd_figure(args: argparse.Namespace, out: TextIO) -> None:
    # Here, not at the top: figures need matplotlib (seconds to load cold).
    from rangemap.figure import (
        FIGURE_FORMATS,
        draw_figure,
        inf_policy_figure,
        range_figure,
        save_figure,
    )

    fmt = format_for(args.output, None, FIGURE_FORMATS)
    minutes = parse_minutes(args.isochrones) if args.isochrones else []
    if minutes and (args.by_state or args.as_of or args.policy_inf):
        raise ExportError("--isochrones goes with --system and --site")
    if args.by_state:
        # Here, not at the top: the by-state figure needs matplotlib.
        from rangemap.bystate import by_state_figure

        if args.system or args.site or args.policy_inf:
            raise ExportError("--by-state draws every state's systems; drop --system/--site")
        fig = by_state_figure(as_of=args.as_of, lang=args.lang, title=args.title)
    elif args.as_of:
        if args.site:
            raise ExportError("--as-of draws the deployments of that date; drop --site")
        rows = deployment_rows(args.as_of, systems=args.system or (), band=args.band)
        if rows.empty:
            raise ExportError(f"no deployment under way on {args.as_of} for the systems asked")
        fig = draw_figure(rings_for(rows), region=args.region, lang=args.lang, title=args.title,
                          projection=args.projection)  # fmt: skip
    elif args.policy_inf:
        if args.system or args.site:
            raise ExportError("--policy-inf draws its own systems and sites; drop --system/--site")
        fig = inf_policy_figure(lang=args.lang, title=args.title)
    else:
        if not args.system or not args.site:
            raise ExportError("give --system and --site (or --policy-inf)")
        table = load_sites(args.sites_file, default_kind="user") if args.sites_file else None
        fig = range_figure(args.system, args.site, band=args.band, region=args.region,
                           lang=args.lang, title=args.title, projection=args.projection,
                           site_table=table, isochrone_minutes=minutes)  # fmt: skip
    written = save_figure(fig, args.output, dpi=args.dpi, format=fmt)
    out.write(f"wrote {written}\n")


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, like every other error."""

    def error(self, message: str) -> NoReturn:
        """Print ``rangemap: error: MESSAGE`` (one line) and exit with status 2."""
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Build the argument parser of ``rangemap`` (also used by the docs tests).

    Parameters
    ----------
    command : str, optional
        The command about to run. The arguments of ``export`` and ``figure`` (whose
        choices need matplotlib and GDAL) are added only for that command, or for None:
        the whole parser, as ``--help`` and the docs tests use it.
    """
    parser = _Parser(
        prog="rangemap",
        description="Geodesic range rings and coverage for intermediate-range missiles.",
    )
    parser.add_argument("--version", action="version", version=f"rangemap {__version__}")
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    def fmt(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=FORMATS, default="table", help="output format")

    p = sub.add_parser("systems", help="list catalogue systems")
    p.add_argument("--country", action="append", metavar="ISO3", help="filter by country")
    p.add_argument("--class", dest="cls", action="append", choices=CLASSES, metavar="CLASS",
                   help=f"filter by class ({', '.join(CLASSES)})")  # fmt: skip
    p.add_argument(
        "--inf-only",
        action="store_true",
        help="only INF-class systems, in or disputed (ground-launched, 500-5,500 km)",
    )
    p.add_argument(
        "--inf",
        action="append",
        choices=[c.value for c in InfClass],
        help="only systems of this INF class (in, disputed, out); repeat for more",
    )
    p.add_argument("--claims", action="store_true", help="list the published range claims")
    fmt(p)
    p.set_defaults(func=_cmd_systems)

    p = sub.add_parser("sources", help="list the sources table, or one system's sources")
    p.add_argument("--system", action="append", metavar="ID_OR_NAME",
                   help="only the sources of this system; repeat for more")  # fmt: skip
    p.add_argument("--kind", action="append", choices=SOURCE_KINDS, help="only this kind")
    fmt(p)
    p.set_defaults(func=_cmd_sources)

    p = sub.add_parser("inventory", help="published launcher and missile counts (low-high)")
    p.add_argument("--system", action="append", metavar="ID_OR_NAME",
                   help="only this system; repeat for more")  # fmt: skip
    p.add_argument(
        "--as-of",
        metavar="YYYY[-MM[-DD]]",
        help="each system's latest counts published for that date or before",
    )
    fmt(p)
    p.set_defaults(func=_cmd_inventory)

    p = sub.add_parser("sites", help="list launch sites")
    p.add_argument("--file", help="a site CSV or GeoJSON instead of the shipped sites")
    fmt(p)
    p.set_defaults(func=_cmd_sites)

    p = sub.add_parser("ring", help="one geodesic ring as GeoJSON")
    p.add_argument("--center", required=True, metavar="LAT,LON", help="centre, e.g. -17.7,178.1")
    p.add_argument("--radius-km", type=float, required=True, metavar="R")
    p.add_argument("--min-radius-km", type=float, metavar="r", help="inner radius (annulus)")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(func=_cmd_ring)

    def site_opts(p: argparse.ArgumentParser) -> None:
        p.add_argument("--site", action="append", metavar="ID|LAT,LON",
                       help="site id or name, or coordinates; repeat for more")  # fmt: skip
        p.add_argument("--sites-file", metavar="FILE", help="look site ids up in this file")
        p.add_argument("--band", choices=[b.value for b in Band], default="nominal",
                       help="range figure(s) to use")  # fmt: skip
        as_of_opts(p)

    def as_of_opts(p: argparse.ArgumentParser) -> None:
        p.add_argument("--as-of", metavar="YYYY[-MM[-DD]]",
                       help="draw the deployments under way on that date (data/deployments."
                       "csv) instead of --site; a year or month means its last day")  # fmt: skip
        p.add_argument("--status", action="append", choices=DEPLOYMENT_STATUSES,
                       help="deployment statuses drawn with --as-of (default "
                       f"{', '.join(DEFAULT_STATUSES)}); repeat for more")  # fmt: skip
        p.add_argument("--reported-sites", action="store_true",
                       help="with --as-of: draw a listed system not deployed that day at "
                       "every site it was ever deployed at")  # fmt: skip

    p = sub.add_parser("rings", help="rings for systems at sites as GeoJSON")
    p.add_argument("--system", action="append", metavar="ID_OR_NAME",
                   help="system id, name or alias; repeat for more")  # fmt: skip
    site_opts(p)
    p.add_argument("--rotating", action="store_true",
                   help="ballistic systems: the rotation-aware footprint (a model: Kepler "
                   "flight in an inertial frame) instead of the ring")  # fmt: skip
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(func=_cmd_rings)

    for name, func, helptext in (
        ("coverage", _cmd_coverage, "targets in range: distance, in/out, margin"),
        ("area", _cmd_area, "covered area, countries, cities, population of settlements ≥ 1,000"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--system", action="append", metavar="ID_OR_NAME")
        p.add_argument("--radius-km", type=float, metavar="R", help="instead of --system")
        p.add_argument("--min-radius-km", type=float, metavar="r")
        site_opts(p)
        p.add_argument("--region", choices=[r.value for r in Region])
        if name == "coverage":
            p.add_argument("--targets", default="capitals",
                           help="capitals, cities, or a CSV/GeoJSON of points")  # fmt: skip
            p.add_argument("--in-range-only", action="store_true")
        fmt(p)
        p.set_defaults(func=func)

    p = sub.add_parser("compare", help="compare candidate sites for the chosen systems")
    p.add_argument("--system", action="append", metavar="ID_OR_NAME")
    site_opts(p)
    p.add_argument("--region", choices=[r.value for r in Region])
    p.add_argument("--max-sites", type=int, default=MAX_COMPARE_SITES, metavar="N",
                   help=f"most sites compared (default {MAX_COMPARE_SITES}); the work grows "
                   "as n(n-1)")  # fmt: skip
    fmt(p)
    # compare takes systems only: no radius options, so no radii to check
    p.set_defaults(func=_cmd_compare, radius_km=None, min_radius_km=None)

    p = sub.add_parser("changes", help="what changed between two dates: deployments and reach")
    p.add_argument("--from", dest="start", required=True, metavar="YYYY[-MM[-DD]]")
    p.add_argument("--to", dest="end", required=True, metavar="YYYY[-MM[-DD]]")
    p.add_argument("--system", action="append", metavar="ID_OR_NAME",
                   help="only these systems; repeat for more")  # fmt: skip
    p.add_argument("--band", choices=[b.value for b in Band], default="nominal")
    p.add_argument("--status", action="append", choices=DEPLOYMENT_STATUSES)
    p.add_argument("--region", choices=[r.value for r in Region])
    fmt(p)
    p.set_defaults(func=_cmd_changes)

    add_flight_commands(sub)
    add_reverse_commands(sub)
    add_threat_commands(sub)
    add_scale_commands(sub)

    for name, helptext in _REPORT_COMMANDS.items():
        p = sub.add_parser(name, help=helptext)
        p.set_defaults(func=_cmd_export if name == "export" else _cmd_figure)
        if command in (None, name):
            _report_arguments(p, name)
    return parser


#: Commands whose options take their choices from the figure and report modules, which
#: import matplotlib and GDAL: their arguments are added only when they run.
_REPORT_COMMANDS = {
    "export": "write a scenario as GeoJSON, KML, GeoPackage, CSV, PNG, SVG or PDF",
    "figure": "draw a report figure (PNG 300 dpi, SVG or PDF)",
}


def _report_arguments(p: argparse.ArgumentParser, name: str) -> None:
    """Add the arguments of ``export`` or ``figure`` (importing what their choices need)."""
    # Imported here, not at the top: matplotlib and GDAL take seconds to load cold.
    from rangemap._figtext import Lang
    from rangemap.figure import REPRESENTATIVE_SITES
    from rangemap.report import EXPORT_FORMATS

    if name == "export":
        p.description = ("Turn a scenario file (TOML) into one output; text outputs are the "
                         "same bytes on every run.")  # fmt: skip
        p.add_argument("scenario", metavar="SCENARIO", help="scenario file (.toml)")
        p.add_argument("--format", choices=EXPORT_FORMATS,
                       help="output format (default: from the -o suffix)")  # fmt: skip
        p.add_argument("-o", "--output", required=True, metavar="OUT", help="file to write")
        p.add_argument("--methods-note", metavar="FILE",
                       help="also write a Markdown methods note (sources, data versions, "
                       "method)")  # fmt: skip
        p.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help="date printed in the methods note (default: the scenario's)",
        )
        p.add_argument("--as-of", metavar="YYYY[-MM[-DD]]",
                       help="draw the scenario's systems where they were deployed that date, "
                       "instead of at its sites")  # fmt: skip
        return
    p.description = ("A map for a report page: region-centred projection, country outlines, "
                     "rings with a legend, site labels, scale bar, and a footnote citing the "
                     "sources of every figure drawn and the method.")  # fmt: skip
    p.add_argument("--system", action="append", metavar="ID_OR_NAME",
                   help="system id, name or alias; repeat for more")  # fmt: skip
    p.add_argument("--site", action="append", metavar="ID|LAT,LON",
                   help="site id or name, or coordinates; repeat for more")  # fmt: skip
    p.add_argument("--sites-file", metavar="FILE", help="look site ids up in this file")
    p.add_argument("--band", choices=[b.value for b in Band], default="nominal",
                   help="range figure(s) to draw")  # fmt: skip
    p.add_argument("--region", choices=[r.value for r in Region], default="east-asia",
                   help="map preset")  # fmt: skip
    p.add_argument(
        "--projection",
        choices=[m.value for m in Projection],
        default="laea",
        help="regional projection (the world map is always Equal Earth)",
    )
    p.add_argument("--lang", choices=[m.value for m in Lang], default="en",
                   help="language of the figure's text")  # fmt: skip
    p.add_argument("--title", help="title instead of the default")
    p.add_argument("--dpi", type=float, default=300.0, help="PNG resolution (default 300)")
    p.add_argument("--policy-inf", action="store_true",
                   help="INF-class systems held by each East Asian state, from "
                   f"{len(REPRESENTATIVE_SITES)} representative sites")  # fmt: skip
    p.add_argument(
        "--by-state",
        action="store_true",
        help="the by-state figure: INF-range systems of each state by status",
    )
    p.add_argument("--as-of", metavar="YYYY[-MM[-DD]]",
                   help="draw the deployments of that date instead of --site (with --by-state:"
                   " the statuses of that date)")  # fmt: skip
    p.add_argument("--isochrones", metavar="M[,M...]",
                   help="also draw the warning-time isochrones of each system at each site, "
                   "labelled in minutes")  # fmt: skip
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="file to write: .png, .svg or .pdf")  # fmt: skip


def _join_negative_coords(argv: Sequence[str]) -> list[str]:
    """Keep ``--center -17.7,178.1`` working: argparse would read ``-17.7,...`` as a flag."""
    out: list[str] = []
    it = iter(argv)
    for arg in it:
        if arg in _COORD_OPTIONS:
            nxt = next(it, None)
            if nxt is not None and re.match(r"^-\d", nxt):
                out.append(f"{arg}={nxt}")
                continue
            out.append(arg)
            if nxt is not None:
                out.append(nxt)
            continue
        out.append(arg)
    return out


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the CLI; return the exit status: 0 ok, 2 refused, 128 + N stopped by signal N.

    Every refusal is one line on standard error, never a traceback: bad input
    (:class:`RangemapError`), and output that cannot be written (a full disk, a file name
    too long, closed standard output, a terminal encoding that cannot show a name).
    """
    stream = sys.stdout if out is None else out
    words = _join_negative_coords(sys.argv[1:] if argv is None else list(argv))
    command = next((w for w in words if not w.startswith("-")), None)
    args = build_parser(command).parse_args(words)
    try:
        if stream is None:  # started with standard output closed (`rangemap systems >&-`)
            raise RangemapError("standard output is closed; give -o FILE or redirect it")
        args.func(args, stream)
        stream.flush()  # here, not at exit, so that a full disk is reported as an error
    except RangemapError as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # e.g. `rangemap systems | head`
        _silence_stdout()
        return 0
    except (KeyboardInterrupt, _Stopped) as exc:
        # Raised inside the work, so every `finally` (the atomic writer's clean-up) has run.
        signum = exc.signum if isinstance(exc, _Stopped) else signal.SIGINT
        _fail(f"stopped by {signal.Signals(signum).name}; no output was left half-written")
        return 128 + signum
    except UnicodeEncodeError as exc:
        encoding = getattr(stream, "encoding", None) or exc.encoding
        return _fail(
            f"the output's encoding ({encoding}) cannot write {exc.object[exc.start : exc.end]!r}"
            "; set PYTHONIOENCODING=utf-8"
        )
    except OSError as exc:  # writing standard output or a file failed
        what = f" {exc.filename!r}" if exc.filename else " standard output"
        return _fail(f"cannot write{what}: {exc.strerror or exc}")
    return 0


def _fail(message: str) -> int:
    print(f"rangemap: error: {message}", file=sys.stderr)
    _silence_stdout()
    return 2


def _silence_stdout() -> None:
    """Point standard output at /dev/null so that the flush at exit cannot fail again."""
    try:
        if sys.stdout is not None:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (a test's StringIO): nothing to flush
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


class _Stopped(BaseException):
    """SIGTERM or SIGHUP, raised where the program is, so that clean-up code runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    raise _Stopped(signum)


def main_entry() -> None:
    """Console-script entry point: exit with :func:`main`'s status.

    SIGTERM and SIGHUP stop the command as Ctrl-C does, through the clean-up code (a
    killed export used to leave its hidden temporary folder, issue 15), with one line on
    standard error and the status 128 + the signal's number.
    """
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop)
    sys.exit(main())
