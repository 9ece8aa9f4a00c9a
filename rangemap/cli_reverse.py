"""The command line's reverse questions, and the country names every command accepts.

Kept beside :mod:`rangemap.cli` (which adds them to its parser) so that neither file
grows past the house's 700 lines.

launch-area   where a system must be based to reach every (or K) of the targets
reach-from    what anything launched from anywhere in a country or polygon reaches

Both write GeoJSON to standard output or ``-o FILE``; the file's suffix picks KML,
GeoPackage or a report figure (PNG, SVG, PDF) instead.

Wherever a command takes a country (``systems --country``, ``reach-from --country``,
``launch-area --clip``, ``density --region``, ``sweep --within``/``--region``), it takes
an ISO3 code or a name, in any case: a Natural Earth name ("China", "North Korea"), or a
common one ("United States", "USA", "Soviet Union"); an unknown one is refused with the
closest names (issue 14).

Light to import: geopandas and the geodesic modules are loaded by the commands that run.

Public names
------------
add_reverse_commands
    Add both commands to the ``rangemap`` sub-parsers.
country_code, area_spec
    A country typed on the command line as its ISO3 code; an area with its countries as
    codes (presets, ``land``, ``sea`` and files kept).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from rangemap._clio import examples_epilog, format_for, report_written, write_geojson
from rangemap._io import closest_hint, cut_repr
from rangemap.catalogue import Band
from rangemap.errors import RangemapError, TargetError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["add_reverse_commands", "area_spec", "country_code"]

#: Names people type that Natural Earth spells otherwise, and states gone from its map
#: that the catalogue still lists (SUN: the Soviet Union; GUM: Guam, a shipped site).
_COUNTRY_ALIASES = {
    "united states": "USA", "us": "USA", "america": "USA", "uk": "GBR", "britain": "GBR",
    "great britain": "GBR", "soviet union": "SUN", "ussr": "SUN", "sun": "SUN",
    "guam": "GUM", "gum": "GUM", "prc": "CHN", "people's republic of china": "CHN",
    "dprk": "PRK", "democratic people's republic of korea": "PRK", "rok": "KOR",
    "republic of korea": "KOR", "russian federation": "RUS", "czech republic": "CZE",
    "ivory coast": "CIV", "burma": "MMR", "uae": "ARE", "swaziland": "SWZ",
    "north macedonia": "MKD", "bosnia and herzegovina": "BIH", "south sudan": "SSD",
    "central african republic": "CAF", "dominican republic": "DOM", "dr congo": "COD",
    "democratic republic of the congo": "COD", "equatorial guinea": "GNQ",
    "solomon islands": "SLB", "falkland islands": "FLK", "western sahara": "ESH",
}  # fmt: skip

#: Codes with no shipped outline (Natural Earth 1:110m draws neither).
_NO_OUTLINE = {"SUN": "the Soviet Union", "GUM": "Guam"}


def _key(text: str) -> str:
    """Return a name as looked up: case, dots, repeated spaces and a leading "the" ignored."""
    key = " ".join(text.replace(".", "").casefold().split())
    return key.removeprefix("the ")


@lru_cache(maxsize=1)
def _country_keys() -> dict[str, str]:
    """Every Natural Earth code and name (and the aliases), as looked up -> ISO3 code."""
    # Here, not at the top: the outlines load geopandas and GDAL, needed only for a name.
    from rangemap.targets import load_countries

    countries = load_countries()
    keys = {
        _key(text): str(code)
        for code, name in zip(countries["iso_a3"], countries["name"], strict=True)
        if re.fullmatch(r"[A-Z]{3}", str(code))  # "-99": disputed areas have no code
        for text in (str(code), str(name))
    }
    for alias, code in _COUNTRY_ALIASES.items():
        keys.setdefault(_key(alias), code)
    return keys


def country_code(
    spec: str, *, option: str, known: Collection[str] = (), outline: bool = False
) -> str:
    """Return the ISO3 code of a country typed as a code or a name, in any case.

    Parameters
    ----------
    spec : str
        ``CHN``, ``chn``, ``China``, ``north korea``, ``United States``, ``USSR``...
    option : str
        The option it was given to, for the error (``--country``).
    known : collection of str, optional
        Codes accepted as they are without loading the country names (the catalogue's).
    outline : bool, optional
        Refuse a country with no shipped outline (the Soviet Union, Guam).

    Raises
    ------
    TargetError
        For an unknown country, with the closest names and codes.

    Examples
    --------
    >>> [country_code(s, option="--country") for s in ("china", "USA", "North  Korea")]
    ['CHN', 'USA', 'PRK']
    >>> country_code("Narnia", option="--country")
    Traceback (most recent call last):
    ...
    rangemap.errors.TargetError: --country: unknown country 'Narnia'; closest: ...
    """
    text = str(spec).strip()
    if text.upper() in known and not (outline and text.upper() in _NO_OUTLINE):
        return text.upper()
    keys = _country_keys()
    code = keys.get(_key(text))
    if code is None:
        hint = closest_hint(_key(text), keys, listing="data/countries.geojson")
        raise TargetError(f"{option}: unknown country {cut_repr(spec)}; closest: {hint}")
    if outline and code in _NO_OUTLINE:
        raise TargetError(f"{option}: no shipped outline for {_NO_OUTLINE[code]} ({code})")
    return code


def area_spec(spec: str | None, *, option: str) -> str | None:
    """Return an area (``--within``, ``--region``, ``--clip``) with its countries as codes.

    Region presets, ``land``, ``sea``, ``anywhere`` and GeoJSON files are kept as given;
    anything else is comma-separated countries, each read by :func:`country_code`.

    Examples
    --------
    >>> area_spec("China, north korea", option="--within"), area_spec("land", option="--clip")
    ('CHN,PRK', 'land')
    """
    if spec is None:
        return None
    # Here, not at the top: the presets' module loads shapely.
    from rangemap.regions import Region

    text = str(spec).strip()
    words = {"land", "sea", "anywhere", *(r.value for r in Region)}
    parts = [p for p in text.split(",") if p.strip()]
    if not parts or text.casefold() in words or text.lower().endswith((".geojson", ".json")):
        return spec
    return ",".join(country_code(p, option=option, outline=True) for p in parts)


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
        write_geojson(shown, args.output, out)  # says which file it wrote
    elif fmt in ("kml", "gpkg"):
        # Here, not at the top: GDAL's writers take a second to load cold.
        from rangemap.formats import write_areas

        write_areas(frame, args.output, fmt, points=points)
    else:
        # Here, not at the top: matplotlib takes seconds to load cold.
        from rangemap.figure import area_figure, save_figure

        fig = area_figure(frame, points=points, outline=outline, region=args.region)
        save_figure(fig, args.output, format=fmt)
    if fmt != "geojson":
        report_written(args.output, out)
    if args.methods_note:
        # Here, not at the top: the report module loads every writer.
        from rangemap._io import write_atomic
        from rangemap.report import areas_methods_note

        shown_as = [(fmt, Path(args.output).name)] if args.output and args.output != "-" else []
        note = areas_methods_note(frame, targets=points, date=args.date, outputs=shown_as)
        write_atomic(args.methods_note, note)
        report_written(args.methods_note, out)


def _cmd_launch_area(args: argparse.Namespace, out: TextIO) -> None:
    # Here, not at the top: the geodesic modules load geopandas (as in _cmd_reach_from).
    from rangemap.catalogue import find_systems, load_catalogue
    from rangemap.launch import launch_areas
    from rangemap.targets import resolve_targets

    if (args.system is None) == (args.radius_km is None):
        raise RangemapError("give --system ID or --radius-km R (one of them)")
    if args.system is None and args.band != "nominal":
        raise RangemapError("--band goes with --system; with --radius-km the band is in km")
    targets = resolve_targets(args.target)
    systems = find_systems(load_catalogue(), args.system) if args.system else None
    areas = launch_areas(targets, systems=systems, band=args.band, radius_km=args.radius_km,
                         min_radius_km=args.min_radius_km, at_least=args.at_least,
                         clip=area_spec(args.clip, option="--clip"))  # fmt: skip
    empty = areas.geometry.is_empty
    for _, row in areas.loc[empty].iterrows():
        what = f"{row['system']} ({row['band']})" if row["system"] else row["band"]
        print(f"rangemap: no place is within {what} of "
              f"{'all' if row['at_least'] == row['n_targets'] else row['at_least']} of the "
              f"targets{' in ' + row['clip'] if row['clip'] else ''}", file=sys.stderr)  # fmt: skip
    _write(areas, args, out, points=targets)


def _cmd_reach_from(args: argparse.Namespace, out: TextIO) -> None:
    # Here, not at the top: the geodesic modules load geopandas and shapely.
    from rangemap.catalogue import find_systems, load_catalogue
    from rangemap.regionreach import country_region, load_region, reach_from_systems

    if (args.country is None) == (args.polygon is None):
        raise RangemapError("give --country ISO3|NAME or --polygon FILE (one of them)")
    if (args.system is None) == (args.radius_km is None):
        raise RangemapError("give --system ID or --radius-km R (one of them)")
    if args.country is not None:
        name, region = country_region(country_code(args.country, option="--country",
                                                   outline=True))  # fmt: skip
        outline = "Natural Earth 1:110m"
    else:
        name, region = load_region(args.polygon)
        outline = str(args.polygon)
    systems = find_systems(load_catalogue(), [args.system]) if args.system else None
    frame = reach_from_systems(region, name=name, outline=outline, systems=systems,
                               band=args.band, radius_km=args.radius_km)  # fmt: skip
    _write(frame, args, out, outline=region)


def add_reverse_commands(sub: Any) -> None:
    """Add ``launch-area`` and ``reach-from`` to the sub-parsers of ``rangemap``.

    Their one-line help is :mod:`rangemap.cli`'s (the list ``rangemap --help`` prints).
    """
    bands = [b.value for b in Band]
    p = sub.add_parser("launch-area")
    p.description = (
        "The places from which a system reaches every target (or at least K): the "
        "intersection of the targets' own rings (geodesic distance is symmetric), exact "
        "on the WGS84 ellipsoid. Prints an empty FeatureCollection, and says so on "
        "standard error, when no place qualifies."
    )
    p.epilog = examples_epilog(
        "rangemap launch-area --target Guam --target Tokyo --target Manila --system df-26 "
        "--clip land -o df26.geojson",
        "rangemap launch-area --target Seoul --target Tokyo --radius-km 1500 --clip 'North Korea'",
    )
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
    p.add_argument("--clip", metavar="land|sea|COUNTRY[,COUNTRY...]",
                   help="keep only the part on land, at sea, or in these countries (ISO3 "
                   "codes or names)")  # fmt: skip
    _output_options(p)
    p.set_defaults(func=_cmd_launch_area)

    p = sub.add_parser("reach-from")
    p.description = (
        "The points within range of any point of a country (Natural Earth 1:110m outline) "
        "or of your GeoJSON polygon: the region and the exact geodesic offset of its outline, "
        "not a union of sampled circles."
    )
    p.epilog = examples_epilog(
        "rangemap reach-from --country Belarus --system iskander-m -o belarus.kml",
        "rangemap reach-from --country 'North Korea' --radius-km 1300 -o north-korea.geojson",
    )
    p.add_argument("--country", metavar="ISO3|NAME",
                   help="a shipped country outline: ISO3 code or name (BLR, Belarus)")  # fmt: skip
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
