"""What the command line prints (private): tables in three formats, GeoJSON to a file.

Shared by :mod:`rangemap.cli` and :mod:`rangemap.cli_flight`.

Public names
------------
FORMATS, emit, write_geojson
    The table formats; print a table; write GeoJSON to ``-o FILE`` (atomically) or out.
"""

from __future__ import annotations

from typing import TextIO

import geopandas as gpd
import pandas as pd

from rangemap._io import csv_text, write_atomic
from rangemap.geojson import dumps_geojson

__all__ = ["FORMATS", "emit", "write_geojson"]

FORMATS = ("table", "csv", "json")


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
