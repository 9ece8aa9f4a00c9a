"""The ``rangemap export`` and ``rangemap figure`` commands.

Commands
--------
export    turn a scenario file into GeoJSON, KML, GeoPackage, CSV, PNG, SVG or PDF,
          optionally with its Markdown methods note
figure    draw a report figure of systems at sites (or the INF policy figure)

:func:`add_commands` registers both on the ``rangemap`` parser's sub-parsers; the
functions take ``(args, out)`` like the other commands, and errors are
:class:`rangemap.errors.RangemapError` subclasses, which :func:`rangemap.cli.main` turns
into exit status 2 with one line naming the bad value.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from rangemap.catalogue import Band
from rangemap.errors import ExportError
from rangemap.figure import (
    FIGURE_FORMATS,
    REPRESENTATIVE_SITES,
    Lang,
    Projection,
    inf_policy_figure,
    range_figure,
    save_figure,
)
from rangemap.scenario import EXPORT_FORMATS, load_scenario, run_scenario
from rangemap.sites import load_sites
from rangemap.targets import Region

__all__ = ["add_commands"]


def _format_for(path: str, given: str | None, choices: tuple[str, ...]) -> str:
    if given:
        return given
    suffix = Path(path).suffix.lower().lstrip(".")
    suffix = "geojson" if suffix == "json" else suffix
    if suffix not in choices:
        raise ExportError(
            f"cannot tell the format of {path!r}; give --format ({', '.join(choices)})"
        )
    return suffix


def _cmd_export(args: argparse.Namespace, out: TextIO) -> None:
    scenario = load_scenario(args.scenario)
    fmt = _format_for(args.output, args.format, EXPORT_FORMATS)
    written = run_scenario(scenario, fmt, args.output, methods_note_path=args.methods_note,
                           date=args.date)  # fmt: skip
    out.write(f"wrote {written}\n")
    if args.methods_note:
        out.write(f"wrote {args.methods_note}\n")


def _cmd_figure(args: argparse.Namespace, out: TextIO) -> None:
    fmt = _format_for(args.output, None, FIGURE_FORMATS)
    if args.policy_inf:
        if args.system or args.site:
            raise ExportError("--policy-inf draws its own systems and sites; drop --system/--site")
        fig = inf_policy_figure(lang=args.lang, title=args.title)
    else:
        if not args.system or not args.site:
            raise ExportError("give --system and --site (or --policy-inf)")
        table = load_sites(args.sites_file, default_kind="user") if args.sites_file else None
        fig = range_figure(args.system, args.site, band=args.band, region=args.region,
                           lang=args.lang, title=args.title, projection=args.projection,
                           site_table=table)  # fmt: skip
    written = save_figure(fig, args.output, dpi=args.dpi, format=fmt)
    out.write(f"wrote {written}\n")


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``export`` and ``figure`` on the ``rangemap`` sub-parsers.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        From ``parser.add_subparsers()`` in :func:`rangemap.cli.build_parser`.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="rangemap")
    >>> add_commands(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["figure", "--system", "df-26", "--site", "guam",
    ...                           "-o", "map.svg", "--lang", "ja"])
    >>> args.lang, args.region, args.dpi
    ('ja', 'east-asia', 300.0)
    """
    p = sub.add_parser(
        "export",
        help="write a scenario as GeoJSON, KML, GeoPackage, CSV, PNG, SVG or PDF",
        description="Turn a scenario file (TOML) into one output; text outputs are the "
        "same bytes on every run.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario file (.toml)")
    p.add_argument("--format", choices=EXPORT_FORMATS,
                   help="output format (default: from the -o suffix)")  # fmt: skip
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="file to write")
    p.add_argument(
        "--methods-note",
        metavar="FILE",
        help="also write a Markdown methods note (sources, data versions, method)",
    )
    p.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="date printed in the methods note (default: the scenario's)",
    )
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser(
        "figure",
        help="draw a report figure (PNG 300 dpi, SVG or PDF)",
        description="A map for a report page: region-centred projection, country outlines, "
        "rings with a legend, site labels, scale bar, and a footnote citing the sources of "
        "every figure drawn and the method.",
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
    p.add_argument("--dpi", type=float, default=300.0, help="PNG resolution (default 300)")
    p.add_argument("--policy-inf", action="store_true",
                   help="INF-class systems held by each East Asian state, from "
                   f"{len(REPRESENTATIVE_SITES)} representative sites")  # fmt: skip
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="file to write: .png, .svg or .pdf")  # fmt: skip
    p.set_defaults(func=_cmd_figure)
