"""Cell validation for the loaders (private): one parser per kind of cell, and the policy.

Each parser raises :class:`CellError` with what is wrong; :func:`cell` adds the file, line
and column, so every loader (catalogue, claims, sites, targets) reports a bad cell the same
way. :class:`OnInvalid` and :func:`handle_invalid` are what a bulk loader does with a bad
row: raise, warn, or drop it.

Public names
------------
CellError, cell
    A cell parser's error, and the call that turns it into the loader's error.
parse_float, parse_count, parse_choice, parse_urls, parse_required
    Numbers, whole counts, choices, source URLs and required text.
OnInvalid, handle_invalid
    The ``on_invalid`` policy of bulk loaders.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any
from urllib.parse import urlparse

from rangemap._io import Table, cut_repr
from rangemap.errors import RangemapError, parse_option

__all__ = [
    "CellError",
    "OnInvalid",
    "cell",
    "handle_invalid",
    "parse_choice",
    "parse_count",
    "parse_float",
    "parse_required",
    "parse_urls",
]


class OnInvalid(StrEnum):
    """What a bulk loader does with an invalid row."""

    RAISE = "raise"
    WARN = "warn"
    DROP = "drop"

    @classmethod
    def parse(cls, value: str | OnInvalid) -> OnInvalid:
        """Return the member named ``value``; an unknown one lists the choices."""
        return parse_option(cls, value, what="on_invalid")


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
        raise CellError(f"must be a number, got {cut_repr(value)}") from None
    if not math.isfinite(out):
        raise CellError(f"must be a finite number, got {cut_repr(value)}")
    if positive and out <= 0:
        raise CellError(f"must be > 0, got {cut_repr(value)}")
    return out


def parse_required(value: str) -> str:
    """Return a cell that must not be blank (cells are already stripped)."""
    if not value:
        raise CellError("is required")
    return value


def parse_count(value: str) -> float:
    """Parse a whole count >= 0 (``nan`` for blank): launchers, missiles eliminated."""
    out = parse_float(value)
    if not math.isnan(out) and (out < 0 or out != int(out)):
        raise CellError(f"must be a whole number >= 0, got {cut_repr(value)}")
    return out


def parse_choice(value: str, choices: Iterable[str]) -> str:
    """Check ``value`` is one of ``choices`` and say which they are if not."""
    options = list(choices)
    if value not in options:
        raise CellError(f"must be one of {', '.join(options)}; got {cut_repr(value)}")
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
            raise CellError(f"is not a valid URL: {cut_repr(url)}") from None
        if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
            raise CellError(f"must hold http(s) URLs, got {cut_repr(url)}")
        if not _URL_RE.match(url):
            raise CellError(f"is not a valid URL: {cut_repr(url)}")
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
        where = f"{table.name}, line {table.lines[i]}, column {cut_repr(column)}"
        raise error(f"{where}: {exc}") from None
