"""The command line's report outputs: ``export`` and ``figure``.

Kept beside :mod:`rangemap.cli` (which adds them to its parser) so that neither file
grows past the house's 700 lines, and so that nothing else loads what they need:
matplotlib and GDAL take seconds to load cold, and the choices of their options come
from the figure and report modules. :mod:`rangemap.cli` imports this module only when
one of the two commands runs or the whole parser is built.

export    turn a scenario file into GeoJSON, KML, GeoPackage, CSV, PNG, SVG or PDF
figure    draw a report figure of systems at sites (or the INF policy figure, or the
          by-state figure)

Public names
------------
add_report_commands
    Add both commands' arguments to the ``rangemap`` sub-parsers.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from rangemap._clio import examples_epilog, format_for, report_written
from rangemap._figtext import Lang
from rangemap.bystate import by_state_figure
from rangemap.catalogue import Band
from rangemap.deployments import deployment_rows
from rangemap.errors import ExportError
from rangemap.figure import (
    FIGURE_FORMATS,
    REPRESENTATIVE_SITES,
    draw_figure,
    inf_policy_figure,
    range_figure,
    save_figure,
)
from rangemap.flight import parse_minutes
from rangemap.mapframe import Projection
from rangemap.regions import Region
from rangemap.report import EXPORT_FORMATS, run_scenario
from rangemap.rings import rings_for
from rangemap.scenario import load_scenario
from rangemap.sites import load_sites

__all__ = ["add_report_commands"]


def _cmd_export(args: argparse.Namespace, out: TextIO) -> None:
    scenario = load_scenario(args.scenario)
    fmt = format_for(args.output, args.format, EXPORT_FORMATS)
    written = run_scenario(scenario, fmt, args.output, methods_note_path=args.methods_note,
                           date=args.date, as_of=args.as_of)  # fmt: skip
    report_written(written, out)
    if args.methods_note:
        report_written(args.methods_note, out)


def _cmd_figure(args: argparse.Namespace, out: TextIO) -> None:
    fmt = format_for(args.output, None, FIGURE_FORMATS)
    minutes = parse_minutes(args.isochrones) if args.isochrones else []
    if minutes and (args.by_state or args.as_of or args.policy_inf):
        raise ExportError("--isochrones goes with --system and --site")
    if args.by_state:
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
    report_written(save_figure(fig, args.output, dpi=args.dpi, format=fmt), out)


def add_report_commands(sub: Any) -> None:
    """Add ``export`` and ``figure`` to the sub-parsers of ``rangemap`` (help lines: ``cli``'s)."""
    p = sub.add_parser("export")
    p.description = ("Turn a scenario file (TOML) into one output; text outputs are the "
                     "same bytes on every run.")  # fmt: skip
    p.epilog = examples_epilog(
        "rangemap export scenarios/example-east-asia.toml --format kml -o typhon.kml",
        "rangemap export scenarios/example-east-asia.toml -o typhon.gpkg --methods-note methods.md",
    )
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
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("figure")
    p.description = ("A map for a report page: region-centred projection, country outlines, "
                     "rings with a legend, site labels, scale bar, and a footnote citing the "
                     "sources of every figure drawn and the method.")  # fmt: skip
    p.epilog = examples_epilog(
        "rangemap figure --system 9m729 --system iskander-m --site kaliningrad --region "
        "europe -o europe.png",
        "rangemap figure --policy-inf --region east-asia --lang ja -o east-asia-ja.pdf",
        "rangemap figure --by-state --as-of 2025-12-31 -o by-state.svg",
    )
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
    p.add_argument("--dpi", type=float, default=300.0, help="PNG resolution")
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
    p.set_defaults(func=_cmd_figure)
