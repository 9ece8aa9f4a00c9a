"""Files in and out (private): where the shipped data live, reading tables, writing atomically.

One reader serves the catalogue, claims, sites and target files so that every loader
treats hostile input the same way: a size limit checked before anything is read whole,
a UTF-8 BOM, Windows line endings, comma- or semicolon-separated text, an empty file or
a header with no rows, each with an error naming the file, line and column.

One writer, :func:`write_atomic`, serves every output (GeoJSON, KML, GeoPackage, CSV,
figures, methods notes): an error never leaves a half-written file.

Public names
------------
DATA_DIR
    Folder of the shipped data files.
read_table, read_text
    A size-limited CSV table of strings, or text; errors name file, line and column.
cell, parse_float, parse_choice, parse_urls, handle_invalid
    Cell validation for the loaders, and the ``on_invalid`` policy.
write_atomic
    Write bytes, text, or whatever a writer function makes, through a temporary file and
    a rename.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

from rangemap.errors import ExportError, RangemapError, parse_option

__all__ = [
    "DATA_DIR",
    "MAX_FILE_BYTES",
    "OnInvalid",
    "Table",
    "read_table",
    "read_text",
    "source_name",
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

Source = str | os.PathLike[str] | bytes | IO[bytes] | IO[str]


class OnInvalid(StrEnum):
    """What a bulk loader does with an invalid row."""

    RAISE = "raise"
    WARN = "warn"
    DROP = "drop"

    @classmethod
    def parse(cls, value: str | OnInvalid) -> OnInvalid:
        """Return the member named ``value``; an unknown one lists the choices."""
        return parse_option(cls, value, what="on_invalid")


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
    source: Source, *, label: str, error: type[RangemapError], max_bytes: int = MAX_FILE_BYTES
) -> str:
    """Read a file or upload as UTF-8 text (BOM removed), refusing oversize input."""
    data = _read_bytes(source, label, max_bytes, error)
    if b"\x00" in data:
        raise error(f"{label}: not a text file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{label}: not UTF-8 text (bad byte at offset {exc.start})") from None


def read_table(
    source: Source,
    *,
    required: Iterable[str],
    error: type[RangemapError],
    name: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    allow_empty: bool = False,
) -> Table:
    """Read a comma- or semicolon-separated table of strings.

    Raises ``error`` naming the file for: an oversize, binary or non-UTF-8 file, an empty
    file, a header without rows (unless ``allow_empty``), duplicate or missing columns, and
    rows with more cells than the header.
    """
    label = source_name(source, name)
    text = read_text(source, label=label, error=error, max_bytes=max_bytes)
    if not text.strip():
        raise error(f"{label}: file is empty")
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        header = [h.strip() for h in next(reader)]
        records = list(reader)
    except csv.Error as exc:
        raise error(f"{label}: not a valid CSV file ({exc})") from None
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise error(f"{label}: duplicate column(s) {dupes!r} in header")
    missing = [c for c in required if c not in header]
    if missing:
        raise error(f"{label}: missing required column(s) {missing!r}; header has {header!r}")
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    line = 1
    for rec in records:
        line += 1
        if not any(cell.strip() for cell in rec):
            continue
        if len(rec) > len(header):
            raise error(
                f"{label}, line {line}: {len(rec)} cells but the header has {len(header)} "
                f"columns (row {rec!r})"
            )
        rec = rec + [""] * (len(header) - len(rec))
        rows.append({h: cell.strip() for h, cell in zip(header, rec, strict=True)})
        lines.append(line)
    if not rows and not allow_empty:
        raise error(f"{label}: header only, no data rows")
    return Table(name=label, columns=header, rows=rows, lines=lines)


class CellError(Exception):
    """Raised by a cell parser; the caller adds file, line and column."""


def parse_float(value: str, *, positive: bool = False, allow_blank: bool = True) -> float:
    """Parse a finite float (``nan`` for blank when allowed)."""
    if value == "":
        if allow_blank:
            return math.nan
        raise CellError("is required")
    try:
        out = float(value)
    except ValueError:
        raise CellError(f"must be a number, got {value!r}") from None
    if not math.isfinite(out):
        raise CellError(f"must be a finite number, got {value!r}")
    if positive and out <= 0:
        raise CellError(f"must be > 0, got {value!r}")
    return out


def parse_choice(value: str, choices: Iterable[str]) -> str:
    """Check ``value`` is one of ``choices`` and say which they are if not."""
    options = list(choices)
    if value not in options:
        raise CellError(f"must be one of {', '.join(options)}; got {value!r}")
    return value


_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def parse_urls(value: str, *, required: bool) -> list[str]:
    """Split whitespace-separated URLs and check each is http(s) with a host."""
    urls = value.split()
    if required and not urls:
        raise CellError("needs at least one source URL")
    for url in urls:
        try:
            parsed = urlparse(url)
        except ValueError:  # e.g. "http://[abc": an unbalanced IPv6 bracket
            raise CellError(f"is not a valid URL: {url!r}") from None
        if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
            raise CellError(f"must hold http(s) URLs, got {url!r}")
        if not _URL_RE.match(url):
            raise CellError(f"is not a valid URL: {url!r}")
    return urls


def handle_invalid(
    policy: OnInvalid, message: str, error: type[RangemapError], dropped: list[str]
) -> None:
    """Apply an on_invalid policy to one bad row's message."""
    if policy is OnInvalid.RAISE:
        raise error(message)
    if policy is OnInvalid.WARN:
        warnings.warn(message, stacklevel=3)
    dropped.append(message)


def cell(
    table: Table,
    i: int,
    column: str,
    parser: Callable[[str], Any],
    error: type[RangemapError],
) -> Any:
    """Parse one cell, turning a CellError into ``error`` naming file, line and column."""
    try:
        return parser(table.rows[i].get(column, ""))
    except CellError as exc:
        raise error(f"{table.name}, line {table.lines[i]}, column {column!r}: {exc}") from None


def write_atomic(
    path: str | os.PathLike[str], content: str | bytes | Callable[[Path], object]
) -> Path:
    """Write a file through a temporary file and a rename: all of it, or nothing.

    ``content`` is bytes, text (written as UTF-8), or a writer called with a temporary
    path that must create that file (GDAL and matplotlib write this way). The temporary
    path lies in a fresh hidden folder next to ``path`` (same file system, so the rename
    is atomic) and keeps ``path``'s name, so drivers that go by the suffix (GDAL's LIBKML
    and GPKG) see the right one. The file is synced before the rename and gets the
    permissions the user's umask gives new files. On any error, or an interrupt, the
    folder is removed and ``path`` is left as it was.

    Parameters
    ----------
    path : path-like
        Destination.
    content : bytes, str or callable
        What to write, or a function that writes it at the path it is given.

    Returns
    -------
    pathlib.Path
        The destination.

    Raises
    ------
    ExportError
        If the folder is missing or unwritable, ``path`` is a folder, the writer made no
        file, or writing fails with an OS error (callers translate their own library's
        errors, as :mod:`rangemap.formats` does for GDAL's).

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
    folder = dest.parent if str(dest.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {str(dest)!r}: folder {str(folder)!r} does not exist")
    if dest.is_dir():
        raise ExportError(f"cannot write {str(dest)!r}: it is a folder")
    try:
        tmpdir = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=folder))
    except OSError as exc:
        raise ExportError(f"cannot write {str(dest)!r}: {exc.strerror}") from None
    try:
        tmp = tmpdir / dest.name
        writer(tmp)
        if not tmp.is_file():
            raise ExportError(f"cannot write {str(dest)!r}: the writer made no file")
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    except OSError as exc:
        raise ExportError(f"cannot write {str(dest)!r}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return dest
