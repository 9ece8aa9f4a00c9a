"""Dated deployments (``data/deployments.csv``): which system stood where, and when.

A deployment is a (system, site, from, to, status) row citing source ids. An *as-of* date
selects the deployments certainly under way that day, and those give the rings: a system
is drawn where it stood then, not wherever it was ever reported.

Dates are as precise as the sources: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``. A deployment
counts as under way on a day only when it certainly was: from the *end* of its ``from``
period (a deployment "from 1983" certainly by 31 Dec 1983) to the *start* of its ``to``
period (one "to 1991" certainly until 1 Jan 1991); a blank ``to`` means still there,
except for an exercise, which then lasts only its ``from`` period. A blank ``from`` (no
source dates the start; the note must say so) is never counted as under way: the site is
one the system was reported at, drawn only when asked (``reported_sites``). An as-of date
given as a year or a month means its last day.

Public names
------------
DEPLOYMENT_COLUMNS, DEPLOYMENT_STATUSES, DEFAULT_STATUSES
    The table's columns; the statuses, and those drawn unless asked otherwise.
parse_as_of
    An as-of date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) as the day it means.
load_deployments
    Read and validate the table, resolving source ids.
deployed_at
    The deployments under way on a day.
deployment_rows
    Ring rows (as :func:`rangemap.rings.join_sites` makes them) for the deployments of a day.
changes_between
    What changed between two days: deployments added and removed, and the area,
    countries, cities and capitals gained and lost (through :func:`rangemap.reach.compare_sites`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import pandas as pd

from rangemap._cells import CellError, cell, parse_choice
from rangemap._io import DATA_DIR, Source, cut_repr, read_table
from rangemap.catalogue import Band, SystemIndex, load_catalogue
from rangemap.errors import CatalogueError, OptionError
from rangemap.reach import compare_sites
from rangemap.rings import join_sites, rings_for
from rangemap.sites import load_sites
from rangemap.sources import SourceRefs, load_sources, parse_date, period_day

__all__ = [
    "DEFAULT_STATUSES",
    "DEPLOYMENT_COLUMNS",
    "DEPLOYMENT_STATUSES",
    "Changes",
    "changes_between",
    "deployed_at",
    "deployment_rows",
    "load_deployments",
    "parse_as_of",
]

DEPLOYMENT_COLUMNS = ("system_id", "site_id", "from", "to", "status", "sources", "note")
#: ``reported``: public reports place the system there; ``claimed``: one party says so
#: (the note names who); ``exercise``: a temporary deployment for an exercise;
#: ``hypothetical``: announced, proposed or debated.
DEPLOYMENT_STATUSES = ("reported", "claimed", "exercise", "hypothetical")
#: Statuses drawn unless asked otherwise: a hypothetical deployment is not a deployment.
DEFAULT_STATUSES = ("reported", "claimed", "exercise")


def parse_as_of(value: str | date) -> date:
    """Return the day an as-of date means: a year or a month means its last day.

    Raises
    ------
    OptionError
        For anything but ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    Examples
    --------
    >>> parse_as_of("1987-12-08"), parse_as_of("2019-02"), parse_as_of("2025")
    (datetime.date(1987, 12, 8), datetime.date(2019, 2, 28), datetime.date(2025, 12, 31))
    >>> parse_as_of("next year")
    Traceback (most recent call last):
    ...
    rangemap.errors.OptionError: as-of date must be YYYY, YYYY-MM or YYYY-MM-DD, got 'next year'
    """
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
            raise CellError(text)
        return period_day(parse_date(text), end=True)
    except (CellError, ValueError):
        raise OptionError(
            f"as-of date must be YYYY, YYYY-MM or YYYY-MM-DD, got {cut_repr(value)}"
        ) from None


def load_deployments(
    source: Source | None = None,
    *,
    sources: pd.DataFrame | None = None,
    system_ids: set[str] | None = None,
    site_ids: set[str] | None = None,
    name: str | None = None,
) -> pd.DataFrame:
    """Read and validate the deployments table.

    Parameters
    ----------
    source : path, bytes or file object, optional
        Defaults to the shipped ``data/deployments.csv``.
    sources : pandas.DataFrame, optional
        The sources table the ids point into; defaults to the shipped one.
    system_ids, site_ids : set of str, optional
        Known ids; default to the shipped catalogue's and sites'.
    name : str, optional
        Name to show in errors for an in-memory upload.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`DEPLOYMENT_COLUMNS` plus ``start`` and ``end`` (the days the
        deployment was certainly under way; ``end`` is None while it still is) and ``urls``.

    Raises
    ------
    CatalogueError
        Naming file, line, column and the bad value: an unknown system or site, a bad
        date, ``to`` before ``from``, a dangling source id.

    Examples
    --------
    >>> dep = load_deployments()
    >>> set(dep["status"]) <= set(DEPLOYMENT_STATUSES)
    True
    """
    refs = SourceRefs(load_sources() if sources is None else sources)
    systems = set(load_catalogue()["id"]) if system_ids is None else system_ids
    places = set(load_sites()["id"]) if site_ids is None else site_ids
    table = read_table(
        DATA_DIR / "deployments.csv" if source is None else source,
        required=DEPLOYMENT_COLUMNS,
        error=CatalogueError,
        name=name,
    )
    err = CatalogueError

    def known(choices: set[str], what: str):  # type: ignore[no-untyped-def]
        def check(value: str) -> str:
            if value not in choices:
                raise CellError(f"unknown {what} {cut_repr(value)}")
            return value

        return check

    records = []
    for i in range(len(table.rows)):
        where = f"{table.name}, line {table.lines[i]}"
        start_text = cell(table, i, "from", lambda v: v and parse_date(v), err)
        if not start_text and not table.rows[i]["note"]:
            raise err(f"{where}, column 'from': a blank start needs a note saying why, got ''")
        end_text = cell(table, i, "to", lambda v: v and parse_date(v), err)
        start = period_day(start_text, end=True) if start_text else None
        end = period_day(end_text, end=False) if end_text else None
        status = cell(table, i, "status", lambda v: parse_choice(v, DEPLOYMENT_STATUSES), err)
        if status == "exercise" and not end_text and start_text:  # not a standing deployment
            end = start
        if (
            start_text
            and end_text
            and period_day(end_text, end=True) < period_day(start_text, end=False)
        ):
            raise err(f"{where}, column 'to': {end_text!r} is before 'from' {start_text!r}")
        ids = refs.ids(table, i, "sources", err, required=True)
        records.append(
            {
                "system_id": cell(table, i, "system_id", known(systems, "system"), err),
                "site_id": cell(table, i, "site_id", known(places, "site"), err),
                "from": start_text,
                "to": end_text,
                "status": status,
                "sources": " ".join(ids),
                "note": table.rows[i]["note"],
                "start": start,
                "end": end,
                "urls": " ".join(refs.urls(ids)),
            }
        )
    frame = pd.DataFrame.from_records(
        records, columns=[*DEPLOYMENT_COLUMNS, "start", "end", "urls"]
    )
    frame.attrs["source"] = table.name
    return frame


def _statuses(statuses: Sequence[str]) -> list[str]:
    for value in statuses:
        if value not in DEPLOYMENT_STATUSES:
            raise OptionError(
                f"deployment status must be one of {', '.join(DEPLOYMENT_STATUSES)}; got {value!r}"
            )
    return list(statuses)


def deployed_at(
    deployments: pd.DataFrame,
    as_of: str | date,
    *,
    statuses: Sequence[str] = DEFAULT_STATUSES,
) -> pd.DataFrame:
    """Return the deployments certainly under way on a day (see the module's date rule).

    Examples
    --------
    >>> dep = deployed_at(load_deployments(), "1987-12-08")
    >>> {"pershing-2", "bgm-109g"} <= set(dep["system_id"])
    True
    """
    day = parse_as_of(as_of)
    wanted = _statuses(statuses)
    started = deployments["start"].map(lambda d: d is not None and not pd.isna(d) and d <= day)
    going = deployments["end"].map(lambda d: d is None or pd.isna(d) or d >= day)
    mask = started & going & deployments["status"].isin(wanted)
    return deployments.loc[mask].reset_index(drop=True)


def deployment_rows(
    as_of: str | date,
    *,
    systems: Sequence[str] = (),
    band: str | Band = Band.NOMINAL,
    statuses: Sequence[str] = DEFAULT_STATUSES,
    reported_sites: bool = False,
    catalogue: pd.DataFrame | None = None,
    sites: gpd.GeoDataFrame | None = None,
    deployments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Ring rows for the deployments under way on a day.

    Parameters
    ----------
    as_of : str or datetime.date
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a year or month means its last day).
    systems : sequence of str, optional
        Keep only these systems (ids, names or aliases); default every deployed system.
    band : {"nominal", "low", "high", "all"}
    statuses : sequence of str
        Deployment statuses drawn (default :data:`DEFAULT_STATUSES`).
    reported_sites : bool
        Draw a listed system with no deployment that day at every site it was ever
        deployed at (any status), rather than leave it out.

    Returns
    -------
    pandas.DataFrame
        As :func:`rangemap.rings.join_sites` returns, one row per (system, site, band),
        with ``deployment_status`` and ``deployment`` (its from-to) added.

    Examples
    --------
    >>> rows = deployment_rows("1987-12-08", systems=["Pershing II"])
    >>> sorted(set(rows["system_id"])), len(rows) > 0
    (['pershing-2'], True)
    """
    cat = load_catalogue() if catalogue is None else catalogue
    site_table = load_sites() if sites is None else sites
    if deployments is None:  # checked against the tables at hand, not loaded twice
        dep = load_deployments(system_ids=set(cat["id"]), site_ids=set(site_table["id"]))
    else:
        dep = deployments
    active = deployed_at(dep, as_of, statuses=statuses)
    if systems:
        index = SystemIndex(cat)
        wanted = list(dict.fromkeys(index.id_of(s) for s in systems))
        active = active.loc[active["system_id"].isin(wanted)]
        if reported_sites:
            missing = [s for s in wanted if s not in set(active["system_id"])]
            extra = dep.loc[dep["system_id"].isin(missing)].drop_duplicates(
                ["system_id", "site_id"]
            )
            active = pd.concat([active, extra.assign(status="reported-site")], ignore_index=True)
    frames = []
    by_id = cat.set_index("id", drop=False)
    site_by_id = site_table.set_index("id", drop=False)
    for (sid, site_id), group in active.groupby(["system_id", "site_id"], sort=False):
        rows = join_sites(
            by_id.loc[[sid]].reset_index(drop=True),
            site_by_id.loc[[site_id]].reset_index(drop=True),
            band=band,
        )
        first = group.iloc[0]
        when = f"{first['from'] or 'start unknown'}–{first['to'] or 'now'}"
        frames.append(rows.assign(deployment_status=first["status"], deployment=when))
    if not frames:
        empty = join_sites(cat.iloc[0:0], site_table.iloc[0:0], band=band)
        return empty.assign(deployment_status=pd.Series(dtype=str), deployment=pd.Series(dtype=str))
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class Changes:
    """What changed between two days (see :func:`changes_between`)."""

    added: pd.DataFrame
    removed: pd.DataFrame
    reach: pd.DataFrame


def changes_between(
    start: str | date,
    end: str | date,
    *,
    systems: Sequence[str] = (),
    band: str | Band = Band.NOMINAL,
    statuses: Sequence[str] = DEFAULT_STATUSES,
    region: str | None = None,
) -> Changes:
    """Report what changed between two days: deployments added and removed, and reach.

    ``reach`` is :func:`rangemap.reach.compare_sites` run on the deployments of the two
    days pooled as two "sites" named by their dates: its first row reads "what the first
    day reached that the second does not" (lost), the second row the reverse (gained),
    with areas, countries, cities and capitals.

    Examples
    --------
    >>> ch = changes_between("1987-12-08", "1991-12-31", systems=["pershing-2"])
    >>> ch.removed["system_id"].unique().tolist(), len(ch.added)
    (['pershing-2'], 0)
    """
    day_a, day_b = parse_as_of(start), parse_as_of(end)
    # Each table is read once and handed down.
    cat, sites = load_catalogue(), load_sites()
    dep = load_deployments(system_ids=set(cat["id"]), site_ids=set(sites["id"]))
    index = SystemIndex(cat)
    wanted = {index.id_of(s) for s in systems}
    key = ["system_id", "site_id"]
    pairs = {}
    for day in (day_a, day_b):
        active = deployed_at(dep, day, statuses=statuses)
        if wanted:
            active = active.loc[active["system_id"].isin(wanted)]
        pairs[day] = active.drop_duplicates(key)
    a, b = pairs[day_a], pairs[day_b]
    merged = a[key].merge(b[key], how="outer", indicator=True)
    cols = [*key, "status", "from", "to", "urls"]
    added = b.merge(merged.loc[merged["_merge"] == "right_only", key], on=key)[cols]
    removed = a.merge(merged.loc[merged["_merge"] == "left_only", key], on=key)[cols]
    ring_sets = []
    for day in (day_a, day_b):
        rows = deployment_rows(day, systems=systems, band=band, statuses=statuses,
                               catalogue=cat, sites=sites, deployments=dep)  # fmt: skip
        label = day.isoformat()
        ring_sets.append(rows.assign(site_id=label, site=label))
    both = pd.concat(ring_sets, ignore_index=True)
    if both.empty or both["site_id"].nunique() < 2:
        reach = pd.DataFrame()
    else:
        reach = compare_sites(rings_for(both), region=region)
    return Changes(
        added=added.reset_index(drop=True), removed=removed.reset_index(drop=True), reach=reach
    )
