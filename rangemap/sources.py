"""The sources table (``data/sources.csv``): one row per public source, typed by kind.

Every figure in the catalogue, the claims, the sites, the deployments and the inventories
cites source *ids* of this table, so a source is described once (URL, kind, publisher,
title, date, the quoted sentence) and a reviewer can weigh it.

Public names
------------
SOURCE_COLUMNS, SOURCE_KINDS, STRONG_KINDS, WEAK_KINDS
    The table's columns; the kinds of source, and which of them are strong / weak.
Quality
    The quality flags a figure without a strong source carries.
load_sources
    Read and validate the table (indexed by id).
SourceRefs
    Resolve a cell of source ids to URLs and kinds, naming file, line and column for a
    dangling id.
figure_quality
    The quality flag of one figure, from the kinds of its sources.
parse_date, period_day
    A ``YYYY[-MM[-DD]]`` date as written in every table, and the first or last day it means.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date
from enum import StrEnum

import pandas as pd

from rangemap._cells import CellError, cell, parse_choice, parse_required, parse_urls
from rangemap._io import DATA_DIR, Source, Table, closest_hint, cut_repr, read_table
from rangemap.errors import CatalogueError, RangemapError

__all__ = [
    "SOURCE_COLUMNS",
    "SOURCE_KINDS",
    "STRONG_KINDS",
    "WEAK_KINDS",
    "Quality",
    "SourceRefs",
    "figure_quality",
    "load_sources",
    "parse_date",
    "parse_ids",
    "period_day",
]

SOURCE_COLUMNS = (
    "id",
    "url",
    "kind",
    "publisher",
    "title",
    "published",
    "accessed",
    "quote",
    "note",
)

#: The kinds of source, strongest first. ``official``: a government, treaty text or
#: military; ``think-tank``: CSIS, IISS, FAS, CNS/NTI, Carnegie, RAND, ACA, SIPRI...;
#: ``wire``: AP, Reuters, AFP, Kyodo, Yonhap...; ``aggregator``: reposts and content farms.
SOURCE_KINDS = (
    "official", "think-tank", "academic", "wire", "news", "state-media", "encyclopedia",
    "blog", "aggregator",
)  # fmt: skip
#: A figure backed by one of these needs no quality flag.
STRONG_KINDS = frozenset({"official", "think-tank", "academic", "wire"})
#: No figure may rest on these alone (checked over the shipped data by the tests).
WEAK_KINDS = frozenset({"blog", "aggregator"})


class Quality(StrEnum):
    """The flag a figure carries when no strong source backs it.

    ``secondary``: press, state media or encyclopedias only; ``single-source``: one such
    source only; ``claimed-by-maker``: only the maker's (or its state media's) claim;
    ``unsourced``: no source at all.
    """

    SECONDARY = "secondary"
    SINGLE_SOURCE = "single-source"
    CLAIMED_BY_MAKER = "claimed-by-maker"
    UNSOURCED = "unsourced"


_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def parse_date(value: str) -> str:
    """Check a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date and return it unchanged.

    Examples
    --------
    >>> parse_date("1987-12-08"), parse_date("2019-08"), parse_date("2025")
    ('1987-12-08', '2019-08', '2025')
    """
    if re.fullmatch(r"(19|20)\d\d", value):
        return value
    if re.fullmatch(r"(19|20)\d\d-(0[1-9]|1[0-2])", value):
        return value
    try:
        date.fromisoformat(value)
    except ValueError:
        raise CellError(
            f"must be a date YYYY-MM-DD, YYYY-MM or YYYY, got {cut_repr(value)}"
        ) from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise CellError(f"must be a date YYYY-MM-DD, YYYY-MM or YYYY, got {cut_repr(value)}")
    return value


def period_day(value: str, *, end: bool) -> date:
    """Return the first (or last) day of a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` period.

    Examples
    --------
    >>> period_day("1983", end=False), period_day("2024-02", end=True)
    (datetime.date(1983, 1, 1), datetime.date(2024, 2, 29))
    """
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        year, month = parts
        return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)


def parse_ids(value: str) -> list[str]:
    """Split a cell of source ids (spaces or ``;`` between them) and check each is a slug."""
    ids = [v for v in re.split(r"[\s;]+", value) if v]
    for sid in ids:
        if not _ID_RE.match(sid):
            raise CellError(f"must hold source ids (lowercase slugs), got {cut_repr(sid)}")
    return ids


def _parse_id(value: str) -> str:
    if not _ID_RE.match(value):
        raise CellError(
            f"must be a lowercase slug (letters, digits, '.', '_', '-'), got {cut_repr(value)}"
        )
    return value


def load_sources(source: Source | None = None, *, name: str | None = None) -> pd.DataFrame:
    r"""Read and validate the sources table.

    Parameters
    ----------
    source : path, bytes or file object, optional
        Defaults to the shipped ``data/sources.csv``.
    name : str, optional
        Name to show in errors for an in-memory upload.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``id``, with the other columns of :data:`SOURCE_COLUMNS` as text.

    Raises
    ------
    CatalogueError
        Naming file, line, column and the bad value; also for a duplicate id or URL.

    Examples
    --------
    >>> src = load_sources()
    >>> set(src["kind"]) <= set(SOURCE_KINDS), src.index.is_unique
    (True, True)
    >>> load_sources(b"id,url,kind,publisher,title,published,accessed,quote,note\n"
    ...              b"x,https://a.example/,rumour,A,T,,2026-12-01,,\n")
    Traceback (most recent call last):
    ...
    rangemap.errors.CatalogueError: <upload>, line 2, column 'kind': must be one of official, ...
    """
    table = read_table(
        DATA_DIR / "sources.csv" if source is None else source,
        required=SOURCE_COLUMNS,
        error=CatalogueError,
        name=name,
    )
    err = CatalogueError
    records: list[dict[str, str]] = []
    seen_id: dict[str, int] = {}
    seen_url: dict[str, int] = {}
    for i in range(len(table.rows)):
        line = table.lines[i]
        rec = {
            "id": cell(table, i, "id", _parse_id, err),
            "url": cell(table, i, "url", lambda v: parse_urls(v, required=True), err),
            "kind": cell(table, i, "kind", lambda v: parse_choice(v, SOURCE_KINDS), err),
            "publisher": cell(table, i, "publisher", parse_required, err),
            "title": table.rows[i]["title"],
            "published": cell(table, i, "published", lambda v: v and parse_date(v), err),
            "accessed": cell(table, i, "accessed", parse_date, err),
            "quote": table.rows[i]["quote"],
            "note": table.rows[i]["note"],
        }
        if len(rec["url"]) != 1:
            raise err(
                f"{table.name}, line {line}, column 'url': one URL per source, "
                f"got {cut_repr(table.rows[i]['url'])}"
            )
        rec["url"] = rec["url"][0]
        for key, seen in (("id", seen_id), ("url", seen_url)):
            if rec[key] in seen:
                raise err(
                    f"{table.name}, line {line}, column {key!r}: duplicate {key} "
                    f"{cut_repr(rec[key])} (first on line {seen[rec[key]]})"
                )
            seen[rec[key]] = line
        records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=list(SOURCE_COLUMNS)).set_index("id")
    frame.attrs["source"] = table.name
    return frame


def figure_quality(kinds: Sequence[str], *, maker_claim: bool = False) -> str:
    """Return the quality flag of a figure from the kinds of its sources ('' when strong).

    A maker's claim stays ``claimed-by-maker`` whoever reports it: a wire story that a
    maker says 3,000 km is strong evidence of the claim, not of the range.

    Examples
    --------
    >>> figure_quality(["news", "think-tank"]), figure_quality(["news", "state-media"])
    ('', 'secondary')
    >>> figure_quality(["news"]), figure_quality(["wire"], maker_claim=True)
    ('single-source', 'claimed-by-maker')
    >>> figure_quality([])
    'unsourced'
    """
    if not kinds:
        return Quality.UNSOURCED.value
    if maker_claim:
        return Quality.CLAIMED_BY_MAKER.value
    if STRONG_KINDS & set(kinds):
        return ""
    if len(kinds) == 1:
        return Quality.SINGLE_SOURCE.value
    return Quality.SECONDARY.value


class SourceRefs:
    """Resolve cells of source ids against a sources table.

    Parameters
    ----------
    sources : pandas.DataFrame
        From :func:`load_sources`.

    Examples
    --------
    >>> refs = SourceRefs(load_sources())
    >>> sid = load_sources().index[0]
    >>> refs.urls([sid])[0].startswith("http")
    True
    """

    def __init__(self, sources: pd.DataFrame) -> None:
        self._url = dict(zip(sources.index, sources["url"], strict=True))
        self._kind = dict(zip(sources.index, sources["kind"], strict=True))
        self.label = str(sources.attrs.get("source", "sources.csv"))

    def ids(
        self,
        table: Table,
        i: int,
        column: str,
        error: type[RangemapError] = CatalogueError,
        *,
        required: bool = False,
    ) -> list[str]:
        """Parse and check the source ids of one cell, naming file, line and column."""
        ids: list[str] = cell(table, i, column, parse_ids, error)
        where = f"{table.name}, line {table.lines[i]}, column {column!r}"
        if required and not ids:
            raise error(f"{where}: needs at least one source id from {self.label}, got ''")
        for sid in ids:
            if sid not in self._url:
                hint = closest_hint(sid, self._url, listing=self.label)
                raise error(
                    f"{where}: unknown source id {cut_repr(sid)} (not in {self.label}); "
                    f"closest: {hint}"
                )
        return ids

    def urls(self, ids: Sequence[str]) -> list[str]:
        """Return the URLs of known ids, in order."""
        return [self._url[s] for s in ids]

    def kinds(self, ids: Sequence[str]) -> list[str]:
        """Return the kinds of known ids, in order."""
        return [self._kind[s] for s in ids]

    def strongest_first(self, ids: Sequence[str]) -> list[str]:
        """Return the ids ordered by kind (official first), stable within a kind, deduplicated."""
        rank = {k: n for n, k in enumerate(SOURCE_KINDS)}
        unique = list(dict.fromkeys(ids))
        return sorted(unique, key=lambda s: rank[self._kind[s]])
