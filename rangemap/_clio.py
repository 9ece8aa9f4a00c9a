"""What the command line prints (private): tables in three formats, GeoJSON to a file.

Shared by :mod:`rangemap.cli` and its command modules (``cli_flight``, ``cli_reverse``,
``cli_threats``).

Public names
------------
FORMATS, emit, write_geojson
    The table formats; print a table; write GeoJSON to ``-o FILE`` (atomically) or out.
HelpFormatter
    ``--help`` with each option's default (when it has one) and the example kept as typed.
format_for
    The output format a file's suffix names (or the one given), among some choices.
"""

from __future__ import annotations

import argparse
from typing import TextIO

import geopandas as gpd
import pandas as pd

from rangemap._io import csv_text, suffix_format, write_atomic
from rangemap.errors import ExportError
from rangemap.geojson import dumps_geojson

__all__ = ["FORMATS", "HelpFormatter", "emit", "format_for", "write_geojson"]

FORMATS = ("table", "csv", "json")


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Show an option's default in ``--help`` when it has one worth saying, once."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if (
            default in (None, False, argparse.SUPPRESS)
            or "(default" in text  # said in the text already (e.g. "default: today")
            or (action.option_strings == [] or isinstance(action, argparse._HelpAction))
        ):
            return text
        return f"{text} (default: %(default)s)"


def emit(frame: pd.DataFrame, fmt: str, out: TextIO) -> None:
    """Print a table as an aligned text table, CSV (formulas defused) or JSON records."""
    if fmt == "csv":  # names a spreadsheet would run as formulas get a leading "'"
        out.write(csv_text(frame))
    elif fmt == "json":
        out.write(frame.to_json(orient="records", force_ascii=False, indent=1) + "\n")
    else:
        with pd.option_context("display.max_rows", None, "display.max_colwidth", 60,
                               "display.width", 200):  # fmt: skip
            out.write((frame.to_string(index=False) if len(frame) else "(no rows)") + "\n")


def write_geojson(frame: gpd.GeoDataFrame, path: str | None, out: TextIO) -> None:
    """Write RFC 7946 GeoJSON to ``path`` (atomically), or to ``out`` for none or ``-``."""
    text = dumps_geojson(frame)
    if path and path != "-":
        write_atomic(path, text)
    else:
        out.write(text)


def format_for(path: str, given: str | None, choices: tuple[str, ...]) -> str:
    """Return the format ``given``, else the one ``path``'s suffix names (``.json``: geojson).

    Raises
    ------
    ExportError
        When the suffix names none of ``choices``, listing them.

    Examples
    --------
    >>> format_for("out.KML", None, ("geojson", "kml")), format_for("a.json", None, ("geojson",))
    ('kml', 'geojson')
    """
    if given:
        return given
    suffix = suffix_format(path)
    if suffix not in choices:
        raise ExportError(
            f"cannot tell the format of {path!r}; give --format ({', '.join(choices)})"
        )
    return suffix
