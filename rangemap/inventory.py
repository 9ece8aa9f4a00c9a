"""Published inventories (``data/inventory.csv``): launchers and missiles as low/high ranges.

Counts are as published: one figure fills both low and high, "more than N" fills low
only, and a class total (all of a state's medium-range missiles, say) says so in its note.
No count is ever invented: a row without a figure is no row.

Public names
------------
INVENTORY_COLUMNS
    The table's columns.
load_inventory
    Read and validate the table, resolving source ids.
inventory_at
    Each system's latest published counts on or before a day.
latest_launchers
    Each system's latest published launcher count held by its own country.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from rangemap._cells import cell, parse_count
from rangemap._io import DATA_DIR, Source, cut_repr, read_table
from rangemap.errors import CatalogueError
from rangemap.sources import SourceRefs, load_sources, parse_date, period_day

__all__ = [
    "COUNT_COLUMNS",
    "INVENTORY_COLUMNS",
    "inventory_at",
    "latest_launchers",
    "load_inventory",
]

COUNT_COLUMNS = ("launchers_low", "launchers_high", "missiles_low", "missiles_high")
INVENTORY_COLUMNS = ("system_id", "country", *COUNT_COLUMNS, "as_of", "sources", "note")


def load_inventory(
    source: Source | None = None,
    *,
    sources: pd.DataFrame | None = None,
    system_ids: set[str] | None = None,
    name: str | None = None,
) -> pd.DataFrame:
    """Read and validate the inventory table.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`INVENTORY_COLUMNS` (counts as nullable Int64, blank where
        not published) plus ``urls``.

    Raises
    ------
    CatalogueError
        Naming file, line, column and value: a count that is not a whole number, low
        above high, a row with no count at all, an unknown system, a dangling source id.

    Examples
    --------
    >>> inv = load_inventory()
    >>> bool((inv["launchers_low"].fillna(0) <= inv["launchers_high"].fillna(10**9)).all())
    True
    """
    refs = SourceRefs(load_sources() if sources is None else sources)
    table = read_table(
        DATA_DIR / "inventory.csv" if source is None else source,
        required=INVENTORY_COLUMNS,
        error=CatalogueError,
        name=name,
    )
    err = CatalogueError
    records = []
    for i in range(len(table.rows)):
        where = f"{table.name}, line {table.lines[i]}"
        sid = table.rows[i]["system_id"]
        if system_ids is not None and sid not in system_ids:
            raise err(f"{where}, column 'system_id': unknown system {cut_repr(sid)}")
        counts = {c: cell(table, i, c, parse_count, err) for c in COUNT_COLUMNS}
        if all(v != v for v in counts.values()):
            raise err(f"{where}, column 'launchers_low': a row needs at least one count, got ''")
        for kind in ("launchers", "missiles"):
            low, high = counts[f"{kind}_low"], counts[f"{kind}_high"]
            if low == low and high == high and low > high:
                raise err(f"{where}, column '{kind}_low': low {low:g} is above high {high:g}")
        ids = refs.ids(table, i, "sources", err, required=True)
        records.append(
            {
                "system_id": sid,
                "country": table.rows[i]["country"],
                **counts,
                "as_of": cell(table, i, "as_of", parse_date, err),
                "sources": " ".join(ids),
                "note": table.rows[i]["note"],
                "urls": " ".join(refs.urls(ids)),
            }
        )
    frame = pd.DataFrame.from_records(records, columns=[*INVENTORY_COLUMNS, "urls"])
    for col in COUNT_COLUMNS:
        frame[col] = frame[col].astype("float64").astype("Int64")
    frame.attrs["source"] = table.name
    return frame


def inventory_at(inventory: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Each (system, country)'s most recent published counts dated on or before ``as_of``.

    Examples
    --------
    >>> latest = inventory_at(load_inventory(), date(2026, 1, 1))
    >>> bool(latest[["system_id", "country"]].duplicated().any())
    False
    """
    days = inventory["as_of"].map(lambda text: period_day(text, end=False))
    known = inventory.loc[days <= as_of].assign(_day=days)
    latest = known.sort_values("_day", kind="stable").groupby(["system_id", "country"]).tail(1)
    return latest.drop(columns="_day").reset_index(drop=True)


def latest_launchers(inventory: pd.DataFrame, day: date, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Each system's latest published launcher count on ``day`` (its own country's).

    Only rows with a launcher figure compete: :func:`inventory_at` takes the latest row
    whatever it counts, and a later missiles-only row (DF-26's 2025 class total of
    missiles) would blank the launcher count published before it.

    Returns
    -------
    pandas.DataFrame
        ``system_id, launchers_low, launchers_high`` (nullable Int64: blank where only
        one bound is published), ``launchers_as_of`` and ``launchers_class_total`` (the
        figure counts a whole class: "CLASS TOTAL" in the row's note).

    Examples
    --------
    >>> from rangemap.catalogue import load_catalogue
    >>> counts = latest_launchers(load_inventory(), date(2026, 6, 30), load_catalogue())
    >>> counts.set_index("system_id").loc["df-26", ["launchers_low", "launchers_high"]].tolist()
    [350, 350]
    """
    counted = inventory.loc[inventory[["launchers_low", "launchers_high"]].notna().any(axis=1)]
    latest = inventory_at(counted, day) if len(counted) else counted
    country = dict(zip(catalogue["id"].astype(str), catalogue["country"].astype(str), strict=True))
    own = latest.loc[latest["system_id"].map(country) == latest["country"]]
    return pd.DataFrame(
        {
            "system_id": own["system_id"].astype(str),
            "launchers_low": own["launchers_low"].astype("Int64"),
            "launchers_high": own["launchers_high"].astype("Int64"),
            "launchers_as_of": own["as_of"].astype(str),
            "launchers_class_total": own["note"].astype(str).str.contains("CLASS TOTAL"),
        }
    ).drop_duplicates("system_id", keep="last")
