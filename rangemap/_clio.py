"""What the command line prints (private): tables in three formats, files written, help.

Shared by :mod:`rangemap.cli` and its command modules (``cli_flight``, ``cli_reverse``,
``cli_threats``, ``cli_scale``, ``cli_report``). Light to import: geopandas and the
GeoJSON writer are loaded only when GeoJSON is written, so that ``rangemap systems`` and
``--help`` start fast (issue 14).

Public names
------------
FORMATS, emit, format_table
    The table formats; print a table; a table as a terminal shows it (numbers rounded
    to what the data support, thousands separated, blanks as "—").
write_geojson, report_written
    Write GeoJSON to ``-o FILE`` (atomically) or out; say which file was written.
HelpFormatter, examples_epilog
    ``--help`` with each option's default and wrapped text, examples kept as typed; the
    ``Examples:`` section every command's help ends with.
format_for
    The output format a file's suffix names (or the one given), among some choices.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import textwrap
from typing import TYPE_CHECKING, TextIO

import pandas as pd

from rangemap._io import csv_text, suffix_format, write_atomic
from rangemap.errors import ExportError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "BLANK",
    "FORMATS",
    "HelpFormatter",
    "emit",
    "examples_epilog",
    "format_for",
    "format_table",
    "report_written",
    "write_geojson",
]

FORMATS = ("table", "csv", "json")

#: What a terminal table shows for a missing value (None, NaN, NA, an empty text).
BLANK = "—"

#: Widest text cell a terminal table shows; longer text is cut and ends with "…".
_MAX_TEXT = 60

#: Integer columns printed without thousands separators (years, identifiers, grid sizes).
_NO_SEPARATOR = re.compile(r"year|(^|_)id$|geonameid|(^|_)cell$|nside|(^|_)rank$")


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """``--help`` that shows each option's default once, wraps prose, keeps examples.

    Un-indented lines of a description or epilog are re-wrapped to the terminal; indented
    lines (the examples) and short headings ending in ``:`` are kept as typed.
    """

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if (
            default in (None, False, argparse.SUPPRESS)
            or "(default" in text  # said in the text already (e.g. "default: today")
            or "default:" in text
            or (action.option_strings == [] or isinstance(action, argparse._HelpAction))
        ):
            return text
        shown = f"{default:,}" if isinstance(default, int) and default >= 10_000 else "%(default)s"
        return f"{text} (default: {shown})".lstrip()

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines: list[str] = []
        prose: list[str] = []

        def flush() -> None:
            if prose:
                lines.append(textwrap.fill(" ".join(prose), width, initial_indent=indent,
                                           subsequent_indent=indent))  # fmt: skip
                prose.clear()

        for line in text.splitlines():
            heading = line.rstrip().endswith(":") and len(line) < 30
            if not line.strip() or line[0].isspace() or heading:
                flush()
                lines.append(indent + line if line.strip() else "")
            else:
                prose.append(line.strip())
        flush()
        return "\n".join(lines) + "\n"


def examples_epilog(*examples: str, text: str = "") -> str:
    """Return the end of a command's ``--help``: ``text``, then ``Examples:``, one per line.

    Every example is a whole ``rangemap ...`` command that runs as shown (the CLI tests
    parse each one).

    Examples
    --------
    >>> print(examples_epilog("rangemap sites", text="Shipped sites."), end="")
    Shipped sites.
    <BLANKLINE>
    Examples:
      rangemap sites
    """
    head = f"{text.rstrip()}\n\n" if text.strip() else ""
    return head + "Examples:\n" + "".join(f"  {e}\n" for e in examples)


def _is_blank(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    try:
        missing = pd.isna(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False
    return missing is True or (isinstance(missing, bool) and missing)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _rounding(name: str, values: list[float]) -> tuple[float, int]:
    """Return the step a number column is rounded to, and the decimals it shows.

    By the unit its name carries, as the dashboard's tables round (:mod:`rangemap.tables`
    gives the reasons): launch sites are region-level markers, uncertain by tens of km,
    so distances and margins go to 10 km and areas to 1,000 km²; ranges are shown as
    published (whole km), coordinates to 0.01 degree, times to 0.1 minute. Other numbers:
    whole when they are, or when as large as 100; else two decimals.
    """
    key = name.lower()
    if key in ("lat", "lon") or key.endswith(("_lat", "_lon")):
        return 0.01, 2
    if key.endswith("_km2"):
        return 1000.0, 0
    if key.endswith("_km"):
        return (10.0 if "distance" in key or "margin" in key else 1.0), 0
    if re.search(r"(^|_)min(_low|_high)?$", key):
        return 0.1, 1
    if "share" in key:
        return 0.001, 3
    finite = [v for v in values if math.isfinite(v)]
    if all(v == round(v) for v in finite) or max((abs(v) for v in finite), default=0) >= 100:
        return 1.0, 0
    return 0.01, 2


def _number_cells(name: str, column: pd.Series, blank: str) -> list[str]:
    numbers = [float(v) for v in column if not _is_blank(v)]
    step, decimals = _rounding(name, numbers)
    sep = "" if _NO_SEPARATOR.search(name.lower()) else ","

    def show(v: object) -> str:
        if _is_blank(v):
            return blank
        x = float(v)  # type: ignore[arg-type]
        if not math.isfinite(x):
            return str(x)
        x = round(round(x / step) * step, decimals) + 0.0  # + 0.0: no "-0"
        return f"{x:{sep}.{decimals}f}"

    return [show(v) for v in column]


def _text_cells(column: pd.Series, blank: str, cut: str) -> list[str]:
    out = []
    for v in column:
        text = blank if _is_blank(v) else " ".join(str(v).split())
        out.append(text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - len(cut)] + cut)
    return out


def format_table(frame: pd.DataFrame, *, blank: str = BLANK, cut: str = "…") -> str:
    """Return a table as a terminal shows it: aligned, numbers formatted for reading.

    Numbers are right-aligned with thousands separators and rounded to what the data
    support (distances to 10 km, ranges in whole km, areas to 1,000 km², 0.01 degree,
    0.1 minute; see :func:`_rounding`); text is
    left-aligned and cut at 60 characters; a missing value (None, NaN, NA, empty text)
    shows ``blank``. Only for terminals: CSV and JSON keep every digit.

    Examples
    --------
    >>> frame = pd.DataFrame({"site": ["guam", None], "distance_km": [600.9554, 12345.6],
    ...                       "range_km": [2500.0, 480.0], "lat": [13.4812, float("nan")],
    ...                       "n": [1200, 3]})
    >>> print(format_table(frame))
    site  distance_km  range_km    lat      n
    guam          600     2,500  13.48  1,200
    —          12,350       480      —      3
    """
    columns: list[list[str]] = []
    right: list[bool] = []
    for name in frame.columns:
        column = frame[name]
        values = [v for v in column if not _is_blank(v)]
        numeric = (
            pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
        ) or (column.dtype == object and bool(values) and all(_is_number(v) for v in values))
        cells = (
            _number_cells(str(name), column, blank) if numeric else _text_cells(column, blank, cut)
        )
        columns.append([str(name), *cells])
        right.append(numeric)
    widths = [max(len(c) for c in cells) for cells in columns]
    rows = []
    for i in range(len(frame) + 1):
        cells = [
            col[i].rjust(w) if r else col[i].ljust(w)
            for col, w, r in zip(columns, widths, right, strict=True)
        ]
        rows.append("  ".join(cells).rstrip())
    return "\n".join(rows)


def _writable(out: TextIO, text: str) -> bool:
    """Whether ``out``'s encoding can show ``text`` (an ASCII terminal cannot show "—")."""
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def emit(frame: pd.DataFrame, fmt: str, out: TextIO) -> None:
    """Print a table: formatted for reading (:func:`format_table`), CSV or JSON records.

    CSV (formulas defused) and JSON keep the values exactly as computed.
    """
    if fmt == "csv":  # names a spreadsheet would run as formulas get a leading "'"
        out.write(csv_text(frame))
    elif fmt == "json":
        out.write(frame.to_json(orient="records", force_ascii=False, indent=1) + "\n")
    elif not len(frame):
        out.write("(no rows)\n")
    else:
        fancy = _writable(out, BLANK + "…")
        text = format_table(frame, blank=BLANK if fancy else "-", cut="…" if fancy else "...")
        out.write(text + "\n")


def report_written(path: str | os.PathLike[str], out: TextIO, detail: str = "") -> None:
    """Say on ``out`` which file a command wrote: ``wrote PATH`` (``: detail`` after it).

    Examples
    --------
    >>> import sys
    >>> report_written("fiji.geojson", sys.stdout)
    wrote fiji.geojson
    """
    out.write(f"wrote {os.fspath(path)}{': ' + detail if detail else ''}\n")


def write_geojson(frame: gpd.GeoDataFrame, path: str | None, out: TextIO) -> None:
    """Write RFC 7946 GeoJSON to ``path`` atomically and say so, or to ``out`` (none, ``-``)."""
    # Here, not at the top: the writer loads geopandas, shapely and orjson, which the
    # commands that print tables never need.
    from rangemap.geojson import dumps_geojson

    text = dumps_geojson(frame)
    if path and path != "-":
        write_atomic(path, text)
        report_written(path, out)
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
