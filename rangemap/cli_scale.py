"""The command line at scale: ``density`` and ``sweep``, run as Dask graphs.

Kept beside :mod:`rangemap.cli` (which adds them to its parser) so that neither file
grows past the house's 700 lines.

density   for every cell of an equal-area grid, how many (system, site) pairs and
          launchers reach it; GeoPackage, GeoParquet or GeoJSON
sweep     of every candidate site in an area, which reach the most settlement
          population, capitals, land area or targets; top K recounted exactly

Both run on a Dask LocalCluster by default (one worker per core) and on an existing
cluster with ``--scheduler tcp://HOST:8786`` (or ``RANGEMAP_SCHEDULER`` set to it); a
progress bar goes to standard error when it is a terminal.

Public names
------------
add_scale_commands
    Add both commands to the ``rangemap`` sub-parsers.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any, TextIO

from rangemap._clio import FORMATS, emit, examples_epilog, format_for, report_written
from rangemap.catalogue import Band
from rangemap.cli_reverse import area_spec
from rangemap.cluster import SCHEDULER_HELP
from rangemap.errors import RangemapError

__all__ = ["add_scale_commands"]

_GRID_FORMATS = ("gpkg", "parquet", "geojson")

_DENSITY_EPILOG = """\
pairs counts the (system, site) pairs whose range band reaches a cell's centre by exact
WGS84 geodesic distance. launchers_low adds a system's published low launcher count where
all of its sites reach the cell, launchers_high its high count where any does (counts are
published per system, never per site); uncounted_systems says how many reaching systems
have no published count. Cells are HEALPix cells of equal area on WGS84 (--resolution:
128 = 2,594 km² cells about 51 km wide; 256 about 25 km; 64 about 102 km).
"""

_DENSITY_EXAMPLES = (
    "rangemap density -o density.gpkg",
    "rangemap density --region east-asia --as-of 2026-06 --every-site -o east-asia.parquet",
    "rangemap density --region 'South Korea,Japan' --resolution 64 -o korea-japan.geojson",
    "rangemap density --resolution 64 --scheduler tcp://10.0.0.5:8786 -o world.geojson",
)

_SWEEP_EPILOG = """\
Objectives: population (settlements >= 1,000 people, GeoNames: say "population of
settlements", it is not a census), capitals, area (land area in range, Natural Earth
1:110m), or targets (--targets FILE). Every candidate is screened by a spherical-harmonic
convolution; the best (--refine, default 20 x --top) are recounted exactly by geodesic
distances, and value_exact is that recount. Give --system more than once, or several
--radius-km, to sweep many scenarios in one Dask graph.
"""

_SWEEP_EXAMPLES = (
    "rangemap sweep --system df-26 --within China --objective population --top 5",
    "rangemap sweep --radius-km 2500 --within land --region europe --objective capitals",
    "rangemap sweep --system 9m729 --system iskander-m --within Russia,Belarus --format csv",
    "rangemap sweep --radius-km 3000 --within CHN --scheduler tcp://10.0.0.5:8786",
)


def _default_scheduler() -> str:
    """``$RANGEMAP_SCHEDULER`` (a cluster's address, set once), else ``local``."""
    return os.environ.get("RANGEMAP_SCHEDULER", "").strip() or "local"


class _Bar:
    """A one-line progress bar on standard error, shown only when it is a terminal."""

    def __init__(self, what: str, stream: TextIO | None = None) -> None:
        self.what = what
        self.stream = sys.stderr if stream is None else stream
        self.shown = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if not self.shown:
            return
        width = 30
        filled = int(width * done / max(total, 1))
        elapsed = time.monotonic() - self.start
        self.stream.write(f"\r{self.what} [{'#' * filled}{'.' * (width - filled)}] "
                          f"{done}/{total} tasks, {elapsed:.0f} s")  # fmt: skip
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _cmd_density(args: argparse.Namespace, out: TextIO) -> None:
    # Here, not at the top: healpy, dask and the grid writers take a second to load, and
    # the CLI's other commands never need them.
    from rangemap.density import threat_density
    from rangemap.gridfiles import write_grid

    fmt = format_for(args.output, args.format, _GRID_FORMATS)
    grid = threat_density(
        nside=args.resolution,
        region=area_spec(args.region, option="--region"),
        as_of=args.as_of,
        band=args.band,
        every_site=args.every_site,
        scheduler=args.scheduler,
        on_progress=_Bar("density"),
    )
    write_grid(grid, args.output, fmt)
    top = int(grid["pairs"].max()) if len(grid) else 0
    report_written(
        args.output,
        out,
        f"{len(grid):,} cells of {grid.attrs['cell_km']} km (HEALPix nside {args.resolution}) "
        f"in {grid.attrs['region']}, as of {grid.attrs['as_of']}; "
        f"{grid.attrs['pairs_counted']} (system, site) pairs, at most {top} reaching one cell",
    )


def _cmd_sweep(args: argparse.Namespace, out: TextIO) -> None:
    # Here, not at the top: healpy and dask take a second to load.
    from rangemap.population import load_population_points, load_population_raster
    from rangemap.sweep import sweep_many
    from rangemap.targets import load_targets

    if not args.system and not args.radius_km:
        raise RangemapError("give --system ID or --radius-km R (either may be repeated)")
    population = None
    if args.population:
        suffix = args.population.lower()
        population = (load_population_raster(args.population)
                      if suffix.endswith((".tif", ".tiff", ".vrt"))
                      else load_population_points(args.population))  # fmt: skip
    targets = load_targets(args.targets) if args.targets else None
    result = sweep_many(
        systems=args.system or (),
        radii_km=args.radius_km or (),
        band=args.band,
        min_radius_km=args.min_radius_km,
        objective=args.objective,
        region=area_spec(args.region, option="--region"),
        within=None if args.within == "anywhere" else area_spec(args.within, option="--within"),
        grid_km=args.grid_km,
        top=args.top,
        refine=args.refine,
        min_separation_km=args.min_separation_km,
        population=population,
        targets=targets,
        scheduler=args.scheduler,
        on_progress=_Bar("sweep"),
    )
    table = result.top.copy()
    if args.format == "table":  # emit's format_table rounds and separates the figures
        table = table.drop(columns=["cell", "objective", "system_id", "min_radius_km"])
        meta = result.meta
        out.write(
            f"value = {result.label}; {meta['n_candidates']:,} candidates "
            f"({meta['grid_km']} km grid) in {meta['within']}, {meta['n_refined']:,} per "
            "scenario recounted exactly\n"
        )
    emit(table, args.format, out)


def add_scale_commands(sub: Any) -> None:
    """Add ``density`` and ``sweep`` to the sub-parsers of ``rangemap`` (help lines: ``cli``'s)."""
    p = sub.add_parser(
        "density",
        description=(
            "For every cell of an equal-area HEALPix grid, how many deployed (system, site) "
            "pairs reach its centre and how many launchers that may be (as of a date)."
        ),
        epilog=examples_epilog(*_DENSITY_EXAMPLES, text=_DENSITY_EPILOG),
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the grid: .gpkg, .parquet (GeoParquet) or .geojson")  # fmt: skip
    p.add_argument("--format", choices=_GRID_FORMATS, default=None,
                   help="default: from the file's suffix")  # fmt: skip
    p.add_argument("--region", default=None, metavar="R",
                   help="only cells in a preset (europe, east-asia), land, sea, countries "
                   "(ISO3 codes or names, comma-separated), or a GeoJSON polygon file "
                   "(default: the globe)")  # fmt: skip
    p.add_argument("--as-of", default=None, metavar="YYYY[-MM[-DD]]",
                   help="deployments under way and launcher counts published on this date "
                   "(default: today)")  # fmt: skip
    p.add_argument(
        "--resolution",
        type=int,
        default=128,
        metavar="NSIDE",
        help="HEALPix nside, a power of two up to 1024: 128 gives ~51 km cells",
    )
    p.add_argument("--band", choices=[b.value for b in Band if b is not Band.ALL],
                   default=Band.NOMINAL.value, help="which range figure reaches")  # fmt: skip
    p.add_argument("--every-site", action="store_true",
                   help="also every system at every shipped site of its own country "
                   "(hypothetical: could reach if based there)")  # fmt: skip
    p.add_argument("--scheduler", default=_default_scheduler(), metavar="ADDRESS",
                   help=SCHEDULER_HELP + "; default: $RANGEMAP_SCHEDULER, else local")  # fmt: skip
    p.set_defaults(func=_cmd_density)

    p = sub.add_parser(
        "sweep",
        description=(
            "Score every candidate site on an equal-area grid in an area by what a range "
            "band reaches from it, and list the best, recounted exactly."
        ),
        epilog=examples_epilog(*_SWEEP_EXAMPLES, text=_SWEEP_EPILOG),
    )
    p.add_argument(
        "--system",
        action="append",
        metavar="ID",
        help="a catalogue system (its figures in --band); repeat for more",
    )
    p.add_argument("--radius-km", action="append", type=float, metavar="R",
                   help="a bare range in km; repeat for more")  # fmt: skip
    p.add_argument("--min-radius-km", type=float, default=0.0, metavar="R",
                   help="minimum range with --radius-km")  # fmt: skip
    p.add_argument("--band", choices=[b.value for b in Band], default=Band.NOMINAL.value,
                   help="which published figures of --system")  # fmt: skip
    p.add_argument("--objective", default="population",
                   choices=("population", "capitals", "area", "targets"),
                   help="what to maximise")  # fmt: skip
    p.add_argument(
        "--region",
        default=None,
        metavar="R",
        help="count only what lies in this area (as --within; default: world)",
    )
    p.add_argument("--within", default="land", metavar="AREA",
                   help="where candidates may stand: land, sea, anywhere, countries (ISO3 "
                   "codes or names, comma-separated), a preset (europe, east-asia) or a "
                   "GeoJSON polygon file")  # fmt: skip
    p.add_argument("--grid-km", type=float, default=13.0, metavar="KM",
                   help="candidate spacing (at least 6.4 km)")  # fmt: skip
    p.add_argument("--top", type=int, default=10, metavar="K", help="sites per scenario")
    p.add_argument("--refine", type=int, default=None, metavar="N",
                   help="candidates recounted exactly per scenario (default: 20 x --top, "
                   "at least 200)")  # fmt: skip
    p.add_argument("--min-separation-km", type=float, default=0.0, metavar="KM",
                   help="keep listed sites at least this far apart")  # fmt: skip
    p.add_argument(
        "--population",
        metavar="FILE",
        default=None,
        help="population points (CSV lat,lon,population or GeoJSON) or raster "
        "(GeoTIFF: GHS-POP, WorldPop) instead of the GeoNames settlements",
    )
    p.add_argument(
        "--targets",
        metavar="FILE",
        default=None,
        help="targets for --objective targets (CSV name,lat,lon or GeoJSON)",
    )
    p.add_argument("--scheduler", default=_default_scheduler(), metavar="ADDRESS",
                   help=SCHEDULER_HELP + "; default: $RANGEMAP_SCHEDULER, else local")  # fmt: skip
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.set_defaults(func=_cmd_sweep)
