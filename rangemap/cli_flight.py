"""The command line's flight commands: ``flight-time`` and ``isochrones``.

Kept beside :mod:`rangemap.cli` (which adds them to its parser) so that neither file
grows past the house's 700 lines.

flight-time   minutes from launch to impact, per system, site and target
isochrones    areas reached within given minutes, as GeoJSON

Public names
------------
add_flight_commands
    Add both commands to the ``rangemap`` sub-parsers.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from rangemap._clio import FORMATS, emit, write_geojson
from rangemap.catalogue import find_system, find_systems, load_catalogue
from rangemap.flight import parse_minutes
from rangemap.flightgeo import flight_time_table, load_timings, site_isochrones
from rangemap.sites import resolve_sites
from rangemap.targets import resolve_targets

__all__ = ["add_flight_commands"]


def _cmd_flight_time(args: argparse.Namespace, out: TextIO) -> None:
    cat = load_catalogue()
    systems = find_systems(cat, args.system)
    table = flight_time_table(
        systems=systems,
        sites=resolve_sites(args.site),
        targets=resolve_targets(args.target),
        timings=load_timings(systems),
        rotating=args.rotating,
    )
    emit(table, args.format, out)


def _cmd_isochrones(args: argparse.Namespace, out: TextIO) -> None:
    minutes = parse_minutes(args.minutes)
    system = find_system(load_catalogue(), args.system)
    site = resolve_sites([args.site]).iloc[0]
    timings = load_timings(system.to_frame().T)
    write_geojson(site_isochrones(system, site, minutes, timings), args.output, out)


def add_flight_commands(sub: Any) -> None:
    """Add ``flight-time`` and ``isochrones`` to the sub-parsers of ``rangemap``."""
    p = sub.add_parser("flight-time", help="minutes from launch to impact (minimum-energy)")
    p.description = (
        "Flight time from each site to each target: exact WGS84 distance, in range or not, "
        "the model (ballistic minimum-energy, cruise or boost-glide at published mean "
        "speeds) and its low-high interval."
    )
    p.add_argument("--system", action="append", required=True, metavar="ID_OR_NAME",
                   help="system id, name or alias; repeat for more")  # fmt: skip
    p.add_argument("--site", action="append", required=True, metavar="ID|LAT,LON",
                   help="site id or name, or coordinates; repeat for more")  # fmt: skip
    p.add_argument("--target", action="append", required=True, metavar="NAME|LAT,LON",
                   help="a shipped city's name, or coordinates; repeat for more")  # fmt: skip
    p.add_argument("--rotating", action="store_true",
                   help="ballistic only: count Earth's rotation (inertial minimum-energy "
                   "flight; in_range from the rotation-aware footprint)")  # fmt: skip
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.set_defaults(func=_cmd_flight_time)

    p = sub.add_parser("isochrones", help="areas reached within given minutes, as GeoJSON")
    p.add_argument("--system", required=True, metavar="ID_OR_NAME")
    p.add_argument("--site", required=True, metavar="ID|LAT,LON")
    p.add_argument("--minutes", default="5,10,15", metavar="M[,M...]",
                   help="warning times in minutes (default 5,10,15)")  # fmt: skip
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(func=_cmd_isochrones)
