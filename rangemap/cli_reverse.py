"""The command line's reverse questions: ``launch-area`` and ``reach-from``.

Kept beside :mod:`rangemap.cli` (which adds them to its parser) so that neither file
grows past the house's 700 lines.

launch-area   where a system must be based to reach every (or K) of the targets
reach-from    what anything launched from anywhere in a country or polygon reaches

Both write GeoJSON to standard output or ``-o FILE``; the file's suffix picks KML,
GeoPackage or a report figure (PNG, SVG, PDF) instead.

Public names
------------
add_reverse_commands
    Add both commands to the ``rangemap`` sub-parsers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

import geopandas as gpd

from rangemap._clio import HelpFormatter, format_for, write_geojson
from rangemap.catalogue import Band, find_systems, load_catalogue
from rangemap.errors import RangemapError
from rangemap.launch import launch_areas
from rangemap.regionreach import country_region, load_region, reach_from_systems
from rangemap.targets import resolve_targets

__all__ = ["add_reverse_commands"]

_AREA_FORMATS = ("geojson", "kml", "gpkg", "png", "svg", "pdf")


def _format(path: str | None, given: str | None) -> str:
    return format_for(path, given, _AREA_FORMATS) if path and path != "-" else given or "geojson"


def _write(
    frame: gpd.GeoDataFrame,
    args: argparse.Namespace,
    out: TextIO,
    *,
    points: gpd.GeoDataFrame | None = None,
    outline: Any = None,
) -> None:
    """Write areas in the format the output asks for; report a file written."""
    fmt = _format(args.output, args.format)
    if fmt != "geojson" and (not args.output or args.output == "-"):
        raise RangemapError(f"--format {fmt} needs -o FILE")
    shown = frame.loc[~frame.geometry.is_empty].reset_index(drop=True)
    if fmt == "geojson":
        write_geojson(shown, args.output, out)
    elif fmt in ("kml", "gpkg"):
        # Here, not at the top: GDAL's writers take a second to load cold.
        from rangemap.formats import write_areas

        write_areas(frame, args.output, fmt, points=points)
    else:
        # Here, not at the top: matplotlib takes seconds to load cold.
        from rangemap.figure import area_figure, save_figure

        fig = area_figure(frame, points=points, outline=outline, region=args.region)
        save_figure(fig, args.output, format=fmt)
    if args.output and args.output != "-":
        out.write(f"wrote {args.output}\n")
    if args.methods_note:
        # Here, not at the top: the report module loads every writer.
        from rangemap._io import write_atomic
        from rangemap.report import areas_methods_note

        shown_as = [(fmt, Path(args.output).name)] if args.output and args.output != "-" else []
        note = areas_methods_note(frame, targets=points, date=args.date, outputs=shown_as)
        write_atomic(args.methods_note, note)
        out.write(f"wrote {args.methods_note}\n")


def _cmd_launch_area(args: argparse.Namespace, out: TextIO) -> None:
    if (args.system is None) == (args.radius_km is None):
        raise RangemapError("give --system ID or --radius-km R (one of them)")
    if args.system is None and args.band != "nominal":
        raise RangemapError("--band goes with --system; with --radius-km the band is in km")
    targets = resolve_targets(args.target)
    systems = find_systems(load_catalogue(), args.system) if args.system else None
    areas = launch_areas(targets, systems=systems, band=args.band, radius_km=args.radius_km,
                         min_radius_km=args.min_radius_km, at_least=args.at_least,
                         clip=args.clip)  # fmt: skip
    empty = areas.geometry.is_empty
    for _, row in areas.loc[empty].iterrows():
        what = f"{row['system']} ({row['band']})" if row["system"] else row["band"]
        print(f"rangemap: no place is within {what} of "
              f"{'all' if row['at_least'] == row['n_targets'] else row['at_least']} of the "
              f"targets{' in ' + row['clip'] if row['clip'] else ''}", file=sys.stderr)  # fmt: skip
    _write(areas, args, out, points=targets)


def _cmd_reach_from(args: argparse.Namespace, out: TextIO) -> None:
    if (args.country is None) == (args.polygon is None):
        raise RangemapError("give --country ISO3|NAME or --polygon FILE (one of them)")
    if (args.system is None) == (args.radius_km is None):
        raise RangemapError("give --system ID or --radius-km R (one of them)")
    if args.country is not None:
        name, region = country_region(args.country)
        outline = "Natural Earth 1:110m"
    else:
        name, region = load_region(args.polygon)
        outline = str(args.polygon)
    systems = find_systems(load_catalogue(), [args.system]) if args.system else None
    frame = reach_from_systems(region, name=name, outline=outline, systems=systems,
                               band=args.band, radius_km=args.radius_km)  # fmt: skip
    _write(frame, args, out, outline=region)


def add_reverse_commands(sub: Any) -> None:
    """Add ``launch-area`` and ``reach-from`` to the sub-parsers of ``rangemap``."""
    bands = [b.value for b in Band]
    p = sub.add_parser("launch-area", help="where a system must be to reach the targets",
                       formatter_class=HelpFormatter)  # fmt: skip
    p.description = (
        "The places from which a system reaches every target (or at least K): the "
        "intersection of the targets' own rings (geodesic distance is symmetric), exact "
        "on the WGS84 ellipsoid. Prints an empty FeatureCollection, and says so on "
        "standard error, when no place qualifies."
    )
    p.epilog = ("example:\n  rangemap launch-area --target Guam --target Tokyo --target Manila "
                "--system df-26 --clip land -o df26.geojson")  # fmt: skip
    p.add_argument("--target", action="append", required=True, metavar="NAME|LAT,LON",
                   help="a shipped city's name, or coordinates; repeat for more")  # fmt: skip
    p.add_argument("--system", action="append", metavar="ID_OR_NAME",
                   help="take the band from this system's figures; repeat for more")  # fmt: skip
    p.add_argument("--band", choices=bands, default="nominal", help="with --system")
    p.add_argument("--radius-km", type=float, metavar="R", help="or give the range in km")
    p.add_argument("--min-radius-km", type=float, default=0.0, metavar="r",
                   help="with --radius-km: minimum range")  # fmt: skip
    p.add_argument("--at-least", type=int, metavar="K",
                   help="places reaching at least K targets (default: all of them)")  # fmt: skip
    p.add_argument("--clip", metavar="land|sea|ISO3[,ISO3...]",
                   help="keep only the part on land, at sea, or in these countries")  # fmt: skip
    _output_options(p)
    p.set_defaults(func=_cmd_launch_area)

    p = sub.add_parser("reach-from", help="what anything launched anywhere in a region reaches",
                       formatter_class=HelpFormatter)  # fmt: skip
    p.description = (
        "The points within range of any point of a country (Natural Earth 1:110m outline) "
        "or of your GeoJSON polygon: the region and the exact geodesic offset of its outline, "
        "not a union of sampled circles."
    )
    p.epilog = "example:\n  rangemap reach-from --country BLR --system iskander-m -o belarus.kml"
    p.add_argument("--country", metavar="ISO3|NAME", help="a shipped country outline")
    p.add_argument("--polygon", metavar="FILE", help="or a GeoJSON (Multi)Polygon file")
    p.add_argument("--system", metavar="ID_OR_NAME", help="take the range from this system")
    p.add_argument("--band", choices=bands, default="nominal", help="with --system")
    p.add_argument("--radius-km", type=float, metavar="R", help="or give the range in km")
    _output_options(p)
    p.set_defaults(func=_cmd_reach_from)


def _output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write here (.geojson, .kml, .gpkg, .png, .svg, .pdf) instead of "
                   "GeoJSON on stdout")  # fmt: skip
    p.add_argument("--format", choices=_AREA_FORMATS, help="override the file's suffix")
    p.add_argument("--methods-note", metavar="FILE.md",
                   help="also write a Markdown methods note: method, data versions, figures "
                   "and their sources, targets")  # fmt: skip
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the date the methods note gives")
    p.add_argument("--region", default="auto", choices=["auto", "europe", "east-asia", "world"],
                   help="figures only: the map's region")  # fmt: skip
