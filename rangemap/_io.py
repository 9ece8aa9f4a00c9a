"""Files in and out (private): where the shipped data live, reading tables, writing atomically.

Cell validation and the ``on_invalid`` policy of the loaders are in
:mod:`rangemap._cells`.

One reader serves the catalogue, claims, sites and target files so that every loader
treats hostile input the same way: a size limit checked before anything is read whole,
text as spreadsheets save it (UTF-8 with or without a BOM, UTF-16 with a BOM,
Windows-1252/Latin-1; comma-, semicolon- or tab-separated; any line ends: issue 14), an
empty file or a header with no rows, each with an error naming the file, line and column.
Encodings and delimiters are told apart in :mod:`rangemap._sniff`.

Limits (issue 15): work is linear in the size of the input, and bounded before it grows
with what the input claims: at most :data:`MAX_FILE_BYTES` bytes, :data:`MAX_COLUMNS`
columns (checked before any per-column work or any row is parsed), one cell at most
``csv.field_size_limit()`` characters (131,072), and at most ``max_rows`` data rows when
the caller gives that limit (checked while reading). An error shows user content cut to
:data:`MAX_SHOWN` characters (:func:`cut_repr`), never a whole header or row.

One writer, :func:`write_atomic`, serves every output (GeoJSON, KML, GeoPackage, CSV,
figures, methods notes): an error never leaves a half-written file.

Public names
------------
DATA_DIR
    Folder of the shipped data files.
read_table, read_geojson_points, read_text
    A size-limited CSV table or GeoJSON points as strings, or text; errors name the file.
cut_repr
    ``repr`` of a value for an error message, cut to a length.
MAX_FILE_BYTES, MAX_COLUMNS, MAX_SHOWN
    The limits above.
suffix_format
    The format a file's suffix names (``.json`` counts as GeoJSON).
csv_text, defuse_formula, restore_formula
    Every CSV written: text a spreadsheet would run as a formula gets a leading ``'``.
write_atomic
    Write bytes, text, or whatever a writer function makes, through a temporary file and
    a rename.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import glob
import io
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pandas as pd

from rangemap._sniff import decode_text, sniff_delimiter, split_decimal_comma
from rangemap.errors import ExportError, RangemapError

__all__ = [
    "DATA_DIR",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_SHOWN",
    "MAX_HINT_CHARS",
    "STALE_TMP_SECONDS",
    "Table",
    "closest_hint",
    "csv_text",
    "cut_repr",
    "defuse_formula",
    "is_geojson",
    "read_geojson_points",
    "read_table",
    "read_text",
    "restore_formula",
    "source_name",
    "suffix_format",
    "write_atomic",
]


def _data_dir() -> Path:
    """Folder of the shipped data: $RANGEMAP_DATA_DIR, the source tree, or the install."""
    override = os.environ.get("RANGEMAP_DATA_DIR")
    if override:
        return Path(override)
    tree = Path(__file__).resolve().parent.parent / "data"
    if (tree / "missiles.csv").is_file():
        return tree
    # A wheel installs the data files under <prefix>/share/rangemap/data (pyproject.toml).
    return Path(sys.prefix) / "share" / "rangemap" / "data"


#: Folder of the shipped data files.
DATA_DIR = _data_dir()

#: Largest input file read (bytes); bigger ones are refused before being read whole.
MAX_FILE_BYTES = 50 * 1024 * 1024

#: Most columns a table may have; a wider header is refused before any per-column work.
#: The widest shipped table (data/missiles.csv) has 17 columns (issue 15: a 40,000-column
#: header took 66 s in a quadratic duplicate check).
MAX_COLUMNS = 200

#: Most characters of user content (a header, a row) an error message shows.
MAX_SHOWN = 200

Source = str | os.PathLike[str] | bytes | IO[bytes] | IO[str]


@dataclass
class Table:
    """Rows of a delimited text file as strings, with the line each came from."""

    name: str
    columns: list[str]
    rows: list[dict[str, str]]
    lines: list[int]


def source_name(source: Source, name: str | None = None) -> str:
    """Return a printable, one-line name for a file path or an in-memory upload."""
    if name:
        label = str(name)
    elif isinstance(source, (str, os.PathLike)):
        label = str(source)
    else:
        label = str(getattr(source, "name", "<upload>"))
    # A newline (or other control character) in a name would split the one-line error.
    return label if label.isprintable() else repr(label)[1:-1]


def suffix_format(path: str | os.PathLike[str]) -> str:
    """Return the format a file's suffix names, lower case; ``.json`` counts as GeoJSON.

    Examples
    --------
    >>> suffix_format("out.KML"), suffix_format("a.json"), suffix_format("noext")
    ('kml', 'geojson', '')
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    return "geojson" if suffix == "json" else suffix


def cut_repr(value: object, limit: int = MAX_SHOWN) -> str:
    r"""Return ``repr(value)`` for an error message, cut to ``limit`` characters.

    An error shows the bad value (style guide), but a hostile header or row may be
    megabytes long (issue 15): past ``limit`` characters the text is cut, marked with
    ``...`` and followed by the full length. The result is one line, as ``repr`` is.

    Parameters
    ----------
    value : object
        The value to show.
    limit : int, optional
        Most characters of ``repr(value)`` shown (default :data:`MAX_SHOWN`).

    Returns
    -------
    str
        ``repr(value)`` if it is at most ``limit`` characters, else its first ``limit``
        characters, ``...`` and its length.

    Examples
    --------
    >>> cut_repr(["name", "lat"])
    "['name', 'lat']"
    >>> cut_repr("x" * 5000, limit=10)
    "'xxxxxxxxx... (5,002 characters)"
    >>> cut_repr("two\nlines")
    "'two\\nlines'"
    >>> cut_repr(10**5000)  # too many digits for repr
    '<int too large to show>'
    """
    try:
        shown = repr(value)
    except (ValueError, RecursionError):  # ints past 4,300 digits; nesting past the limit
        return f"<{type(value).__name__} too large to show>"
    if len(shown) <= limit:
        return shown
    return f"{shown[:limit]}... ({len(shown):,} characters)"


#: Most characters of an unknown key compared with the known names for a "closest" hint:
#: difflib's cost grows with the product of both lengths.
MAX_HINT_CHARS = 100


def closest_hint(key: object, names: Iterable[str], *, listing: str) -> str:
    """Up to four known names close to an unknown ``key``, for an error message.

    Parameters
    ----------
    key : object
        What the user gave; only its first :data:`MAX_HINT_CHARS` characters are compared.
    names : iterable of str
        The known names (lower case).
    listing : str
        Where every name is listed, said when none is close (e.g. ``"rangemap sites"``).

    Examples
    --------
    >>> closest_hint("GAUM", ["guam", "kaliningrad"], listing="rangemap sites")
    "'guam'"
    >>> closest_hint("x" * 5000, ["guam"], listing="rangemap sites")
    'none (see `rangemap sites`)'
    """
    text = str(key).strip().lower()[:MAX_HINT_CHARS]
    close = difflib.get_close_matches(text, list(names), n=4, cutoff=0.5)
    return ", ".join(repr(c) for c in close) if close else f"none (see `{listing}`)"


def _read_bytes(source: Source, label: str, max_bytes: int, error: type[RangemapError]) -> bytes:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise error(f"{label}: file is {size:,} bytes, over the limit of {max_bytes:,}")
            # Read at most one byte past the limit: a pipe or FIFO reports size 0.
            with path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise error(f"{label}: cannot read file ({exc.strerror or exc})") from None
        if len(data) > max_bytes:
            raise error(f"{label}: file is over the limit of {max_bytes:,} bytes")
        return data
    if isinstance(source, bytes):
        data = source
    else:
        # Read one byte past the limit so a huge upload is refused without reading it all.
        raw = source.read(max_bytes + 1)
        data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    if len(data) > max_bytes:
        raise error(f"{label}: file is over the limit of {max_bytes:,} bytes")
    return data


def read_text(
    source: Source,
    *,
    label: str,
    error: type[RangemapError],
    max_bytes: int = MAX_FILE_BYTES,
    spreadsheet: bool = False,
) -> str:
    """Read a file or upload as text, refusing oversize input (:mod:`rangemap._sniff`)."""
    data = _read_bytes(source, label, max_bytes, error)
    try:
        return decode_text(data, spreadsheet=spreadsheet)
    except ValueError as exc:
        raise error(f"{label}: {exc}") from None


def read_table(
    source: Source,
    *,
    required: Iterable[str],
    error: type[RangemapError],
    name: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    max_rows: int | None = None,
    allow_empty: bool = False,
    what: str = "data rows",
) -> Table:
    r"""Read a comma-, semicolon- or tab-separated table of strings.

    The text is UTF-8 (with or without a BOM), UTF-16 with a BOM, or, when it is not
    UTF-8, Windows-1252, which reads any Latin-1 (ISO-8859-1) text too; a file that mixes
    UTF-8 with another encoding is refused. The delimiter is the one of ``,`` ``;`` tab
    whose split of the first line finds the most ``required`` columns, then the most
    frequent outside quotes (:func:`rangemap._sniff.sniff_delimiter`). Cells are
    stripped, short rows padded with empty cells and blank rows skipped. Work is linear
    in the size of the input, and the header is checked (width, duplicates, required
    columns) before any row is parsed.

    Parameters
    ----------
    source : path-like, bytes or file object
        A file, or an upload as bytes or a binary or text file object.
    required : iterable of str
        Columns the header must have.
    error : type of RangemapError
        The loader's error class, raised for every refusal.
    name : str, optional
        Name used in messages (default: the path, or the file object's ``name``).
    max_bytes : int, optional
        Largest input in bytes, checked before the input is read whole.
    max_rows : int or None, optional
        Most data rows (blank rows do not count), >= 0; None for no limit but
        ``max_bytes``. Checked while parsing: parsing stops at the first row past the
        limit, so rows of a million-row file are not all parsed and held (issue 15); the
        text itself is still read, up to ``max_bytes``.
    allow_empty : bool, optional
        Accept a header without data rows.
    what : str, optional
        What a row is, in the message over ``max_rows`` (e.g. ``"targets"``).

    Returns
    -------
    Table
        The header, the rows as dicts of strings and the line each row came from.

    Raises
    ------
    RangemapError
        ``error``, naming the file (and the line, for a row), for an oversize or binary
        file, one in none of the encodings above, an empty file, a header of more than
        :data:`MAX_COLUMNS` columns, duplicate or missing columns, a row with more cells
        than the header (naming the column and value where a comma-separated file holds
        decimal commas), a cell over the CSV field limit (131,072 characters) or other CSV
        error, more than ``max_rows`` data rows, and a header without rows (unless
        ``allow_empty``).
    ValueError
        If ``max_rows`` is negative.

    Examples
    --------
    >>> t = read_table(b"name;lat\n\nA;1,5\n", required=["lat"], error=RangemapError)
    >>> t.columns, t.rows, t.lines
    (['name', 'lat'], [{'name': 'A', 'lat': '1,5'}], [3])
    >>> data = b"a,b\n1,2\n3,4\n5,6\n"
    >>> read_table(data, required=[], error=RangemapError, max_rows=2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rangemap.errors.RangemapError: <upload>, line 4: more than 2 data rows, over the limit of 2...
    >>> read_table(b"a,b,a\n1,2,3\n", required=[], error=RangemapError)
    Traceback (most recent call last):
    ...
    rangemap.errors.RangemapError: <upload>: duplicate column(s) ['a'] in header
    """
    if max_rows is not None and max_rows < 0:
        raise ValueError(f"max_rows must be >= 0, got {max_rows!r}")
    label = source_name(source, name)
    text = read_text(source, label=label, error=error, max_bytes=max_bytes, spreadsheet=True)
    if not text or text.isspace():
        raise error(f"{label}: file is empty")
    # The first line as the csv reader sees it, without splitting all the text into lines.
    first = io.StringIO(text, newline="").readline()
    required = list(required)
    delimiter = sniff_delimiter(first, required=required, max_columns=MAX_COLUMNS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    line = 1
    try:
        # Refuse a wide header before per-column work (issue 15: 40,000 columns, 66 s).
        # Without quotes a line has exactly its delimiters + 1 cells: a 20 MB header is
        # refused without splitting it into millions of strings.
        unquoted = first.count(delimiter) + 1 if '"' not in first else 0
        raw = next(reader, []) if unquoted <= MAX_COLUMNS else []
        width = max(len(raw), unquoted)
        if width > MAX_COLUMNS:
            raise error(f"{label}: header has {width:,} columns, over the limit of {MAX_COLUMNS:,}")
        header = [h.strip() for h in raw]
        dupes = sorted(h for h, n in Counter(header).items() if n > 1)
        if dupes:
            raise error(f"{label}: duplicate column(s) {cut_repr(dupes)} in header")
        missing = [c for c in required if c not in header]
        if missing:
            raise error(
                f"{label}: missing required column(s) {missing!r}; header has {cut_repr(header)}"
            )
        for rec in reader:
            line += 1
            if not any(cell.strip() for cell in rec):
                continue
            if max_rows is not None and len(rows) >= max_rows:
                raise error(
                    f"{label}, line {line}: more than {max_rows:,} {what}, over the limit "
                    f"of {max_rows:,} (reading stopped here)"
                )
            if len(rec) > len(header):
                clash = split_decimal_comma(len(header), rec) if delimiter == "," else None
                if clash is not None:  # issue 14: Rzeszów,50,04,21,99 under name,lat,lon
                    raise error(
                        f"{label}, line {line}, column {cut_repr(header[clash[0]])}: ambiguous"
                        f" value {cut_repr(clash[1])}: ',' is both the delimiter and a decimal"
                        f" comma ({len(rec):,} cells for {len(header)} columns); save the file"
                        " with ';' as the delimiter, or quote the numbers"
                    )
                raise error(
                    f"{label}, line {line}: {len(rec):,} cells but the header has "
                    f"{len(header)} columns (row {cut_repr(rec)})"
                )
            rec = rec + [""] * (len(header) - len(rec))
            rows.append({h: cell.strip() for h, cell in zip(header, rec, strict=True)})
            lines.append(line)
    except csv.Error as exc:
        # E.g. "field larger than field limit (131072)": a huge line without delimiters.
        raise error(f"{label}, line {reader.line_num}: not a valid CSV file ({exc})") from None
    if not rows and not allow_empty:
        raise error(f"{label}: header only, no data rows")
    return Table(name=label, columns=header, rows=rows, lines=lines)


def is_geojson(source: Source, label: str) -> bool:
    """Whether a point file is GeoJSON: by its name's suffix, or an upload starting ``{``.

    Examples
    --------
    >>> is_geojson(b' {"type": "FeatureCollection"}', "<upload>"), is_geojson(b"a,b", "x.csv")
    (True, False)
    """
    if label.lower().endswith((".geojson", ".json")):
        return True
    return isinstance(source, bytes) and source.lstrip()[:1] == b"{"


def read_geojson_points(
    source: Source,
    *,
    properties: Iterable[str],
    error: type[RangemapError],
    name: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    max_rows: int | None = None,
    what: str = "features",
) -> Table:
    r"""Read a GeoJSON FeatureCollection of points as a table of strings.

    Only ``properties`` are kept (issue 15: a distinct property per feature made 10,000
    features take 2.1 GB), and features are counted before any row is built.

    Parameters
    ----------
    source, error, name, max_bytes, max_rows, what
        As for :func:`read_table` (``max_rows`` counts features).
    properties : iterable of str
        Kept in this order, before ``lat``, ``lon``: ``""`` if missing or null, else ``str``.

    Returns
    -------
    Table
        Columns ``[*properties, "lat", "lon"]``; ``lines`` holds feature numbers from 1.

    Raises
    ------
    RangemapError
        ``error`` naming file and feature: no FeatureCollection of points, over
        ``max_rows``, or as :func:`read_text`.

    Examples
    --------
    >>> doc = b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
    >>> doc += b'{"name":"A","x":1},"geometry":{"type":"Point","coordinates":[178.1,-17.7]}}]}'
    >>> read_geojson_points(doc, properties=["name"], error=RangemapError).rows
    [{'name': 'A', 'lat': '-17.7', 'lon': '178.1'}]
    >>> read_geojson_points(doc, properties=[], error=RangemapError, max_rows=0, what="targets")
    Traceback (most recent call last):
    ...
    rangemap.errors.RangemapError: <upload>: 1 targets, over the limit of 0
    """
    label = source_name(source, name)
    text = read_text(source, label=label, error=error, max_bytes=max_bytes)
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:  # also too deep, or a 4,300-digit integer
        raise error(f"{label}: not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise error(f"{label}: expected a GeoJSON FeatureCollection")
    feats = doc.get("features")
    if not isinstance(feats, list) or not feats:
        raise error(f"{label}: FeatureCollection has no features")
    if max_rows is not None and len(feats) > max_rows:
        raise error(f"{label}: {len(feats):,} {what}, over the limit of {max_rows:,}")
    keep = list(properties)
    rows: list[dict[str, str]] = []
    for n, feat in enumerate(feats, start=1):
        geom = feat.get("geometry") if isinstance(feat, dict) else None
        if not isinstance(geom, dict) or geom.get("type") != "Point":
            raise error(f"{label}, feature {n}: geometry must be a Point, got {cut_repr(geom)}")
        coords = geom.get("coordinates")
        if not isinstance(coords, list) or len(coords) < 2:
            raise error(f"{label}, feature {n}: bad coordinates {cut_repr(coords)}")
        props = feat.get("properties") or {}  # null (or empty) is no properties
        if not isinstance(props, dict):
            raise error(f"{label}, feature {n}: properties {cut_repr(props)} are not an object")
        row = {k: "" if props.get(k) is None else str(props[k]) for k in keep}
        row["lat"], row["lon"] = str(coords[1]), str(coords[0])
        try:  # "\ud800" decodes but can never be written out again
            "".join(row.values()).encode("utf-8")
        except UnicodeEncodeError:
            raise error(f"{label}, feature {n}: text holds an unpaired UTF-16 surrogate") from None
        rows.append(row)
    return Table(name=label, columns=[*keep, "lat", "lon"], rows=rows,
                 lines=list(range(1, len(rows) + 1)))  # fmt: skip


#: A number as a spreadsheet reads one (possessive quantifiers: linear on hostile text).
_NUMBER = r"(?:[0-9]++(?:\.[0-9]*+)?|\.[0-9]++)(?:[eE][-+]?[0-9]++)?"
#: Text a spreadsheet runs as a formula (OWASP "CSV injection"): = + - @ tab CR first, and
#: ' (so a defused cell reads back exactly). A minus sign is data when the whole cell is a
#: negative number or typed coordinates (-17.7, "-17.7,178.1"); "-2+3" is a formula.
_FORMULA = re.compile(rf"[=+@\t\r']|-(?!{_NUMBER}(?:(?: *+[,;] *+| ++)[-+]?{_NUMBER})?\Z)")


def defuse_formula(value: Any) -> Any:
    r"""Prefix ``'`` to text a spreadsheet would run as a formula; other values pass.

    Examples
    --------
    >>> [defuse_formula(v) for v in ['=HYPERLINK("http://x","y")', "-2+3", "@SUM(A1)"]]
    ['\'=HYPERLINK("http://x","y")', "'-2+3", "'@SUM(A1)"]
    >>> [defuse_formula(v) for v in ["-17.7", "-17.7,178.1", -17.7, "Guam", None]]
    ['-17.7', '-17.7,178.1', -17.7, 'Guam', None]
    """
    return "'" + value if isinstance(value, str) and _FORMULA.match(value) else value


def restore_formula(value: Any) -> Any:
    """Undo :func:`defuse_formula` on a cell read back from a CSV file rangemap wrote.

    Examples
    --------
    >>> restore_formula(defuse_formula("=1+1")), restore_formula("'Guam")
    ('=1+1', "'Guam")
    """
    if isinstance(value, str) and value.startswith("'") and _FORMULA.match(value[1:]):
        return value[1:]
    return value


def csv_text(frame: pd.DataFrame) -> str:
    r"""Write a table as CSV text (no index, ``\n`` line ends), defused for spreadsheets.

    Every CSV rangemap writes goes through here (issue 15): text cells and column names
    pass :func:`defuse_formula`, so a name like ``=HYPERLINK(...)`` never runs.

    Examples
    --------
    >>> print(csv_text(pd.DataFrame({"name": ["+1+1", "-17.7,178.1"], "lat": [-17.7, None]})))
    name,lat
    '+1+1,-17.7
    "-17.7,178.1",
    <BLANKLINE>
    """
    out = frame.copy()
    for i in range(out.shape[1]):  # by position: column names may repeat
        column = out.iloc[:, i]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            out.isetitem(i, column.map(defuse_formula).to_numpy())
    out.columns = [defuse_formula(c) for c in out.columns]
    # Python 3.11's csv quotes only for line ends in the terminator: a bare "\r" went out
    # unquoted and split the row ("x\r=1": a live formula), so quote for "\r\n" too.
    parts = out.to_csv(index=False, lineterminator="\r\n").split('"')
    parts[::2] = [p.replace("\r\n", "\n") for p in parts[::2]]  # even: outside quotes
    return '"'.join(parts)


#: Temporary folders of :func:`write_atomic` older than this (seconds) are left over from a
#: killed run (SIGKILL leaves no chance to clean up) and are removed by the next write there.
STALE_TMP_SECONDS = 24 * 3600.0


def write_atomic(
    path: str | os.PathLike[str], content: str | bytes | Callable[[Path], object]
) -> Path:
    """Write a file through a temporary file and a rename: all of it, or nothing.

    ``content`` is bytes, text (written as UTF-8), or a writer called with a temporary
    path that must create that file (GDAL and matplotlib write this way). The temporary
    path lies in a fresh hidden folder next to the destination (same file system, so the
    rename is atomic) and keeps its name, so drivers that go by the suffix (GDAL's LIBKML
    and GPKG) see the right one. The file is synced before the rename. On any error, or an
    interrupt, the folder is removed and the destination is left as it was.

    What the destination is decides how it is written (issue 15):

    - a new file gets the permissions the user's umask gives new files; an existing one
      keeps its mode (and, where allowed, its owner and group);
    - a symbolic link is written through: its target is replaced, the link stays;
    - anything that is not a regular file (a terminal, ``/dev/stdout``, a pipe, a device)
      cannot be replaced by a rename: the content is made in a temporary folder first and
      then written to it, so a failure still writes nothing there;
    - a folder, or a name the system refuses (too long), is an error.

    Temporary folders of a killed run (older than :data:`STALE_TMP_SECONDS`) beside the
    destination are removed.

    Parameters
    ----------
    path : path-like
        Destination.
    content : bytes, str or callable
        What to write, or a function that writes it at the path it is given.

    Returns
    -------
    pathlib.Path
        The destination, as given.

    Raises
    ------
    ExportError
        If the folder is missing or unwritable, the destination is a folder or cannot be
        named, the writer made no file, or writing fails with an OS error (callers
        translate their own library's errors, as :mod:`rangemap.formats` does for GDAL's).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(d / "a.txt", "hi").read_text()
    'hi'
    >>> def broken(p):
    ...     p.write_text("half")
    ...     raise OSError(28, "No space left on device")
    >>> write_atomic(d / "b.txt", broken)
    Traceback (most recent call last):
    ...
    rangemap.errors.ExportError: cannot write ...b.txt': No space left on device
    >>> sorted(p.name for p in d.iterdir())
    ['a.txt']
    """
    writer: Callable[[Path], object]
    if isinstance(content, (str, bytes)):
        payload = content.encode("utf-8") if isinstance(content, str) else content
        writer = lambda tmp: tmp.write_bytes(payload)  # noqa: E731
    else:
        writer = content
    dest = Path(path)
    shown = cut_repr(str(dest))
    try:
        existing = dest.stat() if dest.exists() else None  # what a link points at
        if existing is not None and stat.S_ISDIR(existing.st_mode):
            raise ExportError(f"cannot write {shown}: it is a folder")
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            return _write_through(dest, writer, shown)  # /dev/stdout, a pipe, a device
        # A symlink is written through: the file it points at is the one replaced.
        target = Path(os.path.realpath(dest)) if dest.is_symlink() else dest
    except OSError as exc:  # e.g. ENAMETOOLONG, or a loop of symlinks
        raise ExportError(f"cannot write {shown}: {exc.strerror or exc}") from None
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {shown}: folder {cut_repr(str(folder))} does not exist")
    _sweep_stale(folder, target.name)
    try:
        tmpdir = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder))
    except OSError as exc:
        raise ExportError(f"cannot write {shown}: {exc.strerror or exc}") from None
    try:
        tmp = tmpdir / target.name
        writer(tmp)
        if not tmp.is_file():
            raise ExportError(f"cannot write {shown}: the writer made no file")
        if existing is not None:
            os.chmod(tmp, stat.S_IMODE(existing.st_mode))
            with contextlib.suppress(OSError):  # only root may give a file to someone else
                os.chown(tmp, existing.st_uid, existing.st_gid)
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        raise ExportError(f"cannot write {shown}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return dest


def _write_through(dest: Path, writer: Callable[[Path], object], shown: str) -> Path:
    """Make the content in a private temporary folder, then write it into ``dest``."""
    tmpdir = Path(tempfile.mkdtemp(prefix="rangemap-", suffix=".tmp"))
    try:
        tmp = tmpdir / (dest.name or "output")
        writer(tmp)
        if not tmp.is_file():
            raise ExportError(f"cannot write {shown}: the writer made no file")
        with tmp.open("rb") as source, open(dest, "wb") as sink:
            shutil.copyfileobj(source, sink)
    except OSError as exc:
        raise ExportError(f"cannot write {shown}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return dest


def _sweep_stale(folder: Path, name: str) -> None:
    """Remove this destination's temporary folders left by a killed run (best effort)."""
    now = time.time()
    with contextlib.suppress(OSError):
        for old in folder.glob(f".{glob.escape(name)}.*.tmp"):
            with contextlib.suppress(OSError):
                if old.is_dir() and now - old.stat().st_mtime > STALE_TMP_SECONDS:
                    shutil.rmtree(old, ignore_errors=True)
