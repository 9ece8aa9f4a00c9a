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

Issue 14: every ``--help`` shows defaults and ends with examples that run as shown; a
country is an ISO3 code or a name ("China", "United States"); terminal tables round
figures to what the data support ("—" for a blank; csv and json keep every digit); a
command that writes ``-o FILE`` says ``wrote FILE``.

Bad input exits with status 2 and one line naming the bad value; there is no traceback
for any :class:`rangemap.errors.RangemapError`. In ``--format csv`` output, text a
spreadsheet would run as a formula (``=HYPERLINK(...)``) gets a leading ``'``.

Start-up stays light: a command's arguments are added, and the modules they need
imported, only when it runs (:func:`build_parser`): ``rangemap systems`` loads pandas and
the catalogue, never geopandas, matplotlib, folium or GDAL.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn, TextIO

import pandas as pd

from rangemap import __version__
from rangemap._clio import FORMATS, HelpFormatter, emit, examples_epilog, write_geojson
from rangemap.catalogue import CLASSES, Band, filter_systems, find_systems, load_catalogue
from rangemap.claims import MAX_RANGE_KM
from rangemap.cli_reach import print_area, print_compare
from rangemap.cli_reverse import add_reverse_commands, country_code
from rangemap.cli_scale import add_scale_commands
from rangemap.cli_threats import add_threat_commands
from rangemap.errors import RangemapError
from rangemap.treaty import InfClass

__all__ = ["build_parser", "main", "main_entry"]

_COORD_OPTIONS = ("--center", "--site", "--target")


def _cmd_systems(args: argparse.Namespace, out: TextIO) -> None:
    full = load_catalogue()
    known = set(full["country"])
    typed = [part for spec in args.country or () for part in spec.split(",") if part.strip()]
    countries = [country_code(c, option="--country", known=known) for c in typed]
    cat = filter_systems(full, countries=countries, classes=args.cls or (),
                         inf_only=args.inf_only, inf=args.inf or ())  # fmt: skip
    if args.claims:
        # Here, not at the top: only --claims reads the claims table.
        from rangemap.catalogue import claims_table
        from rangemap.claims import load_claims

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
    # Here, not at the top: only this command lists the sources table.
    from rangemap.catalogue import sources_table
    from rangemap.sources import load_sources

    sources = load_sources()
    if args.system:
        table = sources_table(find_systems(load_catalogue(), args.system), sources)
    else:
        table = sources.reset_index()[["id", "kind", "publisher", "title", "published", "url"]]
    if args.kind:
        table = table.loc[table["kind"].isin(args.kind)]
    emit(table.reset_index(drop=True), args.format, out)


def _cmd_inventory(args: argparse.Namespace, out: TextIO) -> None:
    # Here, not at the top: the deployments' module (for --as-of) loads geopandas.
    from rangemap.deployments import parse_as_of
    from rangemap.inventory import inventory_at, load_inventory

    inv = load_inventory()
    if args.as_of:
        inv = inventory_at(inv, parse_as_of(args.as_of))
    if args.system:
        ids = set(find_systems(load_catalogue(), args.system)["id"])
        inv = inv.loc[inv["system_id"].isin(ids)]
    cols = [c for c in inv.columns if args.format != "table" or c not in ("sources", "urls")]
    emit(inv[cols].reset_index(drop=True), args.format, out)


def _cmd_sites(args: argparse.Namespace, out: TextIO) -> None:
    # Here, not at the top: site tables are GeoDataFrames (geopandas).
    from rangemap.sites import load_sites

    sites = load_sites(args.file) if args.file else load_sites()
    frame = pd.DataFrame(sites.drop(columns="geometry"))
    if args.format == "table":
        frame = frame[["id", "name", "country", "lat", "lon", "kind"]]
    emit(frame, args.format, out)


def _check_radii(args: argparse.Namespace) -> None:
    """Refuse radii a person could not mean, naming the option and the value."""
    # Here, not at the top: the geodesy module loads pyproj.
    from rangemap.geodesy import MIN_RADIUS_M

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
    # Here, not at the top: rings load geopandas and shapely (as every command below).
    from rangemap.rings import range_ring
    from rangemap.sites import parse_latlon

    _check_radii(args)
    lat, lon = parse_latlon(args.center)
    ring = range_ring(lat=lat, lon=lon, radius_km=args.radius_km, min_radius_km=args.min_radius_km)
    write_geojson(ring, args.output, out)


def _joined_rows(args: argparse.Namespace) -> Any:
    """Ring rows: the deployments of ``--as-of``, or ``--system`` (or a radius) at ``--site``."""
    # Here, not at the top: deployments, rings and sites load geopandas.
    from rangemap.deployments import DEFAULT_STATUSES, deployment_rows
    from rangemap.rings import join_sites, radius_rows
    from rangemap.sites import load_sites, resolve_sites

    if args.as_of:
        if args.site:
            raise RangemapError("--as-of draws the deployments of that date; drop --site")
        return deployment_rows(args.as_of, systems=args.system or (), band=args.band,
                               statuses=args.status or DEFAULT_STATUSES,
                               reported_sites=args.reported_sites)  # fmt: skip
    if not args.site:
        raise RangemapError("give --site ID|LAT,LON (repeat for more) or --as-of DATE")
    table = load_sites(args.sites_file, default_kind="user") if args.sites_file else None
    sites = resolve_sites(args.site, table)
    if args.system:
        return join_sites(find_systems(load_catalogue(), args.system), sites, band=args.band)
    if args.radius_km is None:
        other = "--radius-km R" if args.command in ("coverage", "area") else "--as-of DATE"
        raise RangemapError(f"give --system ID_OR_NAME (repeat for more) or {other}")
    return radius_rows(sites, radius_km=args.radius_km, min_radius_km=args.min_radius_km or None)


def _cmd_rings(args: argparse.Namespace, out: TextIO) -> None:
    # Here, not at the top: rings load geopandas and shapely.
    from rangemap.flightgeo import rotating_rings
    from rangemap.rings import rings_for

    rows = _joined_rows(args)
    if args.rotating:  # rotation-aware footprints ("eggs"), ballistic systems only
        write_geojson(rotating_rings(rows, load_catalogue()), args.output, out)
        return
    write_geojson(rings_for(rows), args.output, out)


def _cmd_coverage(args: argparse.Namespace, out: TextIO) -> None:
    # Here, not at the top: coverage loads geopandas, shapely and the flight models.
    from rangemap.flightgeo import add_flight_times_for
    from rangemap.reach import coverage_table
    from rangemap.targets import load_targets

    _check_radii(args)
    joined = _joined_rows(args)
    targets = load_targets(args.targets)
    table = add_flight_times_for(coverage_table(joined, targets, region=args.region), joined)
    if args.in_range_only:
        table = table.loc[table["in_range"]]
    table = table.round({"distance_km": 3, "margin_km": 3})
    emit(table, args.format, out)


def _cmd_area(args: argparse.Namespace, out: TextIO) -> None:
    # Here, not at the top: covered areas load geopandas, shapely and the settlements.
    from rangemap.population import load_settlements
    from rangemap.reach import coverage_area
    from rangemap.rings import rings_for

    _check_radii(args)
    rings = rings_for(_joined_rows(args))
    result = coverage_area(rings, region=args.region, population=load_settlements())
    print_area(result, region=args.region, fmt=args.format, out=out)


def _cmd_compare(args: argparse.Namespace, out: TextIO) -> None:
    # Here, not at the top: comparisons load geopandas, shapely and the settlements.
    from rangemap.population import load_settlements
    from rangemap.reach import compare_sites
    from rangemap.rings import rings_for

    if not args.as_of and len(args.site or ()) < 2:
        raise RangemapError(f"compare needs two or more --site, got {len(args.site or ())}")
    rings = rings_for(_joined_rows(args))
    table = compare_sites(rings, region=args.region, max_sites=args.max_sites,
                          population=load_settlements())  # fmt: skip
    print_compare(table, fmt=args.format, out=out)


def _cmd_changes(args: argparse.Namespace, out: TextIO) -> None:
    # Here, not at the top: the deployments' module loads geopandas.
    from rangemap.deployments import DEFAULT_STATUSES, changes_between

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


# --- the parser: every command listed, its arguments added only when it runs ---------


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, like every other error.

    Its help shows defaults and keeps examples as typed (:class:`HelpFormatter`).
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(**kwargs)

    def error(self, message: str) -> NoReturn:
        """Print ``rangemap: error: MESSAGE`` (one line) and exit with status 2."""
        self.exit(2, f"{self.prog}: error: {message}\n")


#: Every command in the order ``rangemap --help`` lists them, with its one-line help.
_COMMANDS = {
    "systems": "list catalogue systems, or their published range claims",
    "sources": "list the sources table, or one system's sources",
    "inventory": "published launcher and missile counts (low-high)",
    "sites": "list launch sites",
    "ring": "one geodesic ring as GeoJSON",
    "rings": "rings for systems at sites as GeoJSON",
    "coverage": "targets in range: distance, in/out, margin",
    "area": "covered area, countries, cities, population of settlements ≥ 1,000",
    "compare": "compare candidate sites for the chosen systems",
    "changes": "what changed between two dates: deployments and reach",
    "flight-time": "minutes from launch to impact (minimum-energy)",
    "isochrones": "areas reached within given minutes, as GeoJSON",
    "launch-area": "where a system must be to reach the targets",
    "reach-from": "what anything launched anywhere in a region reaches",
    "threats": "who can reach given targets: deployed systems, distance, margin, flight time",
    "density": "threat density: (system, site) pairs and launchers reaching each grid cell",
    "sweep": "basing sweep: the candidate sites in an area that reach the most",
    "export": "write a scenario as GeoJSON, KML, GeoPackage, CSV, PNG, SVG or PDF",
    "figure": "draw a report figure (PNG 300 dpi, SVG or PDF)",
}


class _Commands:
    """The sub-parsers as the command modules fill them, with ``add_parser(name)``.

    Every command is already listed (with its help from :data:`_COMMANDS`); a module adding
    a command that is not wanted gets a scratch parser whose arguments are dropped.
    """

    def __init__(self, parsers: Mapping[str, argparse.ArgumentParser], wanted: list[str]) -> None:
        self.parsers = parsers
        self.wanted = wanted

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        """Return the parser of command ``name``, its ``description``/``epilog`` set."""
        if name not in self.wanted:
            return _Parser(add_help=False)
        parser = self.parsers[name]
        for key, value in kwargs.items():
            if key != "help":  # the one-line help is _COMMANDS'
                setattr(parser, key, value)
        return parser


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Build the argument parser of ``rangemap`` (also used by the docs tests).

    Parameters
    ----------
    command : str, optional
        None: the whole parser, every command's arguments (the docs tests walk it). A
        command's name: every command listed, only that one's arguments added, and only
        the modules their choices need imported (``figure`` loads matplotlib, ``systems``
        neither geopandas nor GDAL). Any other text (``main`` gives ``""`` when no command
        was typed, as for ``rangemap --help``): the commands listed, no arguments.
    """
    parser = _Parser(
        prog="rangemap",
        description="Geodesic range rings and coverage for intermediate-range missiles.",
        epilog=examples_epilog(
            "rangemap systems --country China --inf-only",
            text="`rangemap COMMAND --help` shows a command's options, "
            "their defaults and examples.",
        ),  # fmt: skip
    )
    parser.add_argument("--version", action="version", version=f"rangemap {__version__}")
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )
    parsers = {name: sub.add_parser(name, help=text) for name, text in _COMMANDS.items()}
    wanted = list(parsers) if command is None else [command] if command in parsers else []
    commands = _Commands(parsers, wanted)
    for add in dict.fromkeys(_ADDERS[name] for name in wanted):  # each module's once
        add(commands)
    return parser


def _format_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="table",
                   help="a table to read, or csv and json with every digit")  # fmt: skip


def _site_options(p: argparse.ArgumentParser, *, radius: bool) -> None:
    """--system, --site, --sites-file, --band, --as-of and its statuses (and radii)."""
    # Here, not at the top: the deployments' module (statuses) loads geopandas.
    from rangemap.deployments import DEFAULT_STATUSES, DEPLOYMENT_STATUSES

    p.add_argument("--system", action="append", metavar="ID_OR_NAME",
                   help="system id, name or alias; repeat for more")  # fmt: skip
    if radius:
        p.add_argument("--radius-km", type=float, metavar="R", help="instead of --system")
        p.add_argument("--min-radius-km", type=float, metavar="r", help="with --radius-km")
    p.add_argument("--site", action="append", metavar="ID|LAT,LON",
                   help="site id or name, or coordinates; repeat for more")  # fmt: skip
    p.add_argument("--sites-file", metavar="FILE", help="look site ids up in this file")
    p.add_argument("--band", choices=[b.value for b in Band], default="nominal",
                   help="range figure(s) to use")  # fmt: skip
    p.add_argument("--as-of", metavar="YYYY[-MM[-DD]]",
                   help="draw the deployments under way on that date (data/deployments."
                   "csv) instead of --site; a year or month means its last day")  # fmt: skip
    p.add_argument("--status", action="append", choices=DEPLOYMENT_STATUSES,
                   help="deployment statuses drawn with --as-of (default "
                   f"{', '.join(DEFAULT_STATUSES)}); repeat for more")  # fmt: skip
    p.add_argument("--reported-sites", action="store_true",
                   help="with --as-of: draw a listed system not deployed that day at "
                   "every site it was ever deployed at")  # fmt: skip


def _region_option(p: argparse.ArgumentParser) -> None:
    # Here, not at the top: the region presets' module loads shapely.
    from rangemap.regions import Region

    p.add_argument("--region", choices=[r.value for r in Region],
                   help="only targets and areas in this preset (default: the world)")  # fmt: skip


def _add_catalogue_commands(sub: Any) -> None:
    """``systems``, ``sources``, ``inventory``, ``sites``: tables of the shipped data."""
    # Here, not at the top: only the sources' kinds, for --kind.
    from rangemap.sources import SOURCE_KINDS

    p = sub.add_parser("systems")
    p.epilog = examples_epilog("rangemap systems --country China --inf-only",
                               "rangemap systems --country 'North Korea' --class MRBM",
                               "rangemap systems --inf disputed --claims --format csv")  # fmt: skip
    p.add_argument("--country", action="append", metavar="ISO3|NAME",
                   help="only this country's systems: ISO3 code or name (CHN, China, "
                   "'United States'); repeat for more")  # fmt: skip
    p.add_argument("--class", dest="cls", action="append", choices=CLASSES, metavar="CLASS",
                   help=f"filter by class ({', '.join(CLASSES)})")  # fmt: skip
    p.add_argument("--inf-only", action="store_true",
                   help="only INF-class systems, in or disputed (ground-launched, 500-5,500 "
                   "km)")  # fmt: skip
    p.add_argument("--inf", action="append", choices=[c.value for c in InfClass],
                   help="only systems of this INF class; repeat for more")  # fmt: skip
    p.add_argument("--claims", action="store_true", help="list the published range claims")
    _format_option(p)
    p.set_defaults(func=_cmd_systems)

    p = sub.add_parser("sources")
    p.epilog = examples_epilog("rangemap sources --system 9m729",
                               "rangemap sources --kind official --format csv")  # fmt: skip
    p.add_argument("--system", action="append", metavar="ID_OR_NAME",
                   help="only the sources of this system; repeat for more")  # fmt: skip
    p.add_argument("--kind", action="append", choices=SOURCE_KINDS, help="only this kind")
    _format_option(p)
    p.set_defaults(func=_cmd_sources)

    p = sub.add_parser("inventory")
    p.epilog = examples_epilog("rangemap inventory --as-of 2025",
                               "rangemap inventory --system df-26 --format json")  # fmt: skip
    p.add_argument("--system", action="append", metavar="ID_OR_NAME",
                   help="only this system; repeat for more")  # fmt: skip
    p.add_argument("--as-of", metavar="YYYY[-MM[-DD]]",
                   help="each system's latest counts published by that date")  # fmt: skip
    _format_option(p)
    p.set_defaults(func=_cmd_inventory)

    p = sub.add_parser("sites")
    p.epilog = examples_epilog("rangemap sites", "rangemap sites --format csv")
    p.add_argument("--file", help="a site CSV or GeoJSON instead of the shipped sites")
    _format_option(p)
    p.set_defaults(func=_cmd_sites)


def _add_ring_commands(sub: Any) -> None:
    """``ring`` and ``rings``: GeoJSON."""
    p = sub.add_parser("ring")
    p.epilog = examples_epilog(
        "rangemap ring --center -17.7,178.1 --radius-km 1000 -o fiji.geojson",
        "rangemap ring --center 54.7,20.5 --radius-km 500 --min-radius-km 50",
    )
    p.add_argument("--center", required=True, metavar="LAT,LON", help="centre, e.g. -17.7,178.1")
    p.add_argument("--radius-km", type=float, required=True, metavar="R", help="range in km")
    p.add_argument("--min-radius-km", type=float, metavar="r", help="inner radius (annulus)")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(func=_cmd_ring)

    p = sub.add_parser("rings")
    p.epilog = examples_epilog(
        "rangemap rings --system DF-26 --system SSC-8 --site guam --site kaliningrad --band "
        "all -o rings.geojson",
        "rangemap rings --as-of 1987-12-08 -o treaty-day.geojson",
        "rangemap rings --system df-26 --site guangdong-shaoguan --rotating -o eggs.geojson",
    )
    _site_options(p, radius=False)
    p.add_argument("--rotating", action="store_true",
                   help="ballistic systems: the rotation-aware footprint (a model: Kepler "
                   "flight in an inertial frame) instead of the ring")  # fmt: skip
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(func=_cmd_rings, radius_km=None, min_radius_km=None)  # rings: systems only


def _add_reach_commands(sub: Any) -> None:
    """``coverage``, ``area``, ``compare`` and ``changes``: what rings reach."""
    # Here, not at the top: the modules of these choices and limits load geopandas.
    from rangemap.deployments import DEPLOYMENT_STATUSES
    from rangemap.reach import MAX_COMPARE_SITES

    p = sub.add_parser("coverage")
    p.epilog = examples_epilog(
        "rangemap coverage --system tomahawk-typhon --site luzon-laoag --in-range-only",
        "rangemap coverage --site kaliningrad --radius-km 1500 --region europe --format csv",
    )
    _site_options(p, radius=True)
    _region_option(p)
    p.add_argument("--targets", default="capitals",
                   help="capitals, cities, or a CSV/GeoJSON of points")  # fmt: skip
    p.add_argument("--in-range-only", action="store_true", help="only the targets in range")
    _format_option(p)
    p.set_defaults(func=_cmd_coverage)

    p = sub.add_parser("area")
    p.epilog = examples_epilog("rangemap area --site kaliningrad --radius-km 5500 --region europe",
                               "rangemap area --as-of 2025-12-31 --region europe")  # fmt: skip
    _site_options(p, radius=True)
    _region_option(p)
    _format_option(p)
    p.set_defaults(func=_cmd_area)

    p = sub.add_parser("compare")
    p.epilog = examples_epilog(
        "rangemap compare --system df-26 --site fujian-yongan --site shandong-qingzhou"
    )
    _site_options(p, radius=False)
    _region_option(p)
    p.add_argument("--max-sites", type=int, default=MAX_COMPARE_SITES, metavar="N",
                   help="most sites compared; the work grows as n(n-1)")  # fmt: skip
    _format_option(p)
    # compare takes systems only: no radius options, so no radii to check
    p.set_defaults(func=_cmd_compare, radius_km=None, min_radius_km=None)

    p = sub.add_parser("changes")
    p.epilog = examples_epilog("rangemap changes --from 2019-08-01 --to 2025-12-31",
                               "rangemap changes --from 1987 --to 1991 --format json")  # fmt: skip
    p.add_argument("--from", dest="start", required=True, metavar="YYYY[-MM[-DD]]",
                   help="the earlier date")  # fmt: skip
    p.add_argument("--to", dest="end", required=True, metavar="YYYY[-MM[-DD]]",
                   help="the later date")  # fmt: skip
    p.add_argument("--system", action="append", metavar="ID_OR_NAME",
                   help="only these systems; repeat for more")  # fmt: skip
    p.add_argument("--band", choices=[b.value for b in Band], default="nominal",
                   help="range figure(s) to use")  # fmt: skip
    p.add_argument("--status", action="append", choices=DEPLOYMENT_STATUSES,
                   help="deployment statuses counted; repeat for more")  # fmt: skip
    _region_option(p)
    _format_option(p)
    p.set_defaults(func=_cmd_changes)


def _add_flight(sub: Any) -> None:
    """``flight-time`` and ``isochrones``, with their examples."""
    # Here, not at the top: the flight commands load geopandas and the flight models.
    from rangemap.cli_flight import add_flight_commands

    add_flight_commands(sub)
    sub.add_parser("flight-time").epilog = examples_epilog(
        "rangemap flight-time --system pershing-2 --site 48.83,9.80 --target Moscow --target "
        "London",
        "rangemap flight-time --system df-26 --site guangdong-shaoguan --target Guam --rotating",
    )
    sub.add_parser("isochrones").epilog = examples_epilog(
        "rangemap isochrones --system df-26 --site guangdong-shaoguan --minutes 5,10,15 -o "
        "iso.geojson"
    )


def _add_report(sub: Any) -> None:
    # Here, not at the top: export and figure load matplotlib and GDAL (seconds, cold).
    from rangemap.cli_report import add_report_commands

    add_report_commands(sub)


#: Which function adds each command's arguments (some add two or four; each runs once).
_ADDERS: dict[str, Callable[[Any], None]] = {
    **dict.fromkeys(("systems", "sources", "inventory", "sites"), _add_catalogue_commands),
    **dict.fromkeys(("ring", "rings"), _add_ring_commands),
    **dict.fromkeys(("coverage", "area", "compare", "changes"), _add_reach_commands),
    **dict.fromkeys(("flight-time", "isochrones"), _add_flight),
    **dict.fromkeys(("launch-area", "reach-from"), add_reverse_commands),
    "threats": add_threat_commands,
    **dict.fromkeys(("density", "sweep"), add_scale_commands),
    **dict.fromkeys(("export", "figure"), _add_report),
}


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
    args = build_parser(command or "").parse_args(words)
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


if __name__ == "__main__":  # pragma: no cover  (python -m rangemap.cli; see __main__.py)
    main_entry()
