"""The INF Treaty's own data: its dates, its range span and the missiles it eliminated.

Public names
------------
INF_MIN_KM, INF_MAX_KM
    The treaty's span of ranges (Article II(5)-(6)).
SIGNED, IN_FORCE, ELIMINATION_DONE, ENDED
    The treaty's dates (ISO).
InfClass, inf_class_of, GROUND_BASINGS
    Whether a system is of the range the treaty banned (in, disputed, out), derived from
    its basing and published figures; the basings that make it ground-launched.
ELIMINATED_COLUMNS
    The columns of ``data/inf_eliminated.csv``.
load_eliminated
    Missiles and launchers eliminated per type, from the treaty's records.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from enum import StrEnum

import pandas as pd

from rangemap._cells import cell, parse_choice, parse_count, parse_required
from rangemap._io import DATA_DIR, Source, cut_repr, read_table
from rangemap.errors import CatalogueError, parse_option
from rangemap.sources import SourceRefs, load_sources

__all__ = [
    "ELIMINATED_COLUMNS",
    "GROUND_BASINGS",
    "InfClass",
    "inf_class_of",
    "ELIMINATION_DONE",
    "ENDED",
    "INF_MAX_KM",
    "INF_MIN_KM",
    "IN_FORCE",
    "SIGNED",
    "load_eliminated",
]

#: INF Treaty Article II(5)-(6): intermediate range 1,000-5,500 km, shorter range
#: 500-1,000 km; both were eliminated, so the treaty's span is 500-5,500 km.
INF_MIN_KM = 500.0
INF_MAX_KM = 5500.0
#: Signed in Washington; in force; last missiles eliminated; US withdrawal took effect.
SIGNED = "1987-12-08"
IN_FORCE = "1988-06-01"
ELIMINATION_DONE = "1991-05-31"
ENDED = "2019-08-02"

#: Basings that make a system ground-launched in the INF Treaty's sense (``ground``: the
#: launch mode is not published).
GROUND_BASINGS = frozenset({"road-mobile", "rail-mobile", "silo", "ground-fixed", "ground"})


class InfClass(StrEnum):
    """Whether a system is of the range the INF Treaty banned, derived on load.

    ``in``: ground-launched and every published range figure within 500-5,500 km, or a
    type the treaty eliminated; ``disputed``: ground-launched with published figures on
    both sides of 500 or of 5,500 km; ``out``: otherwise (not ground-launched, no figure, or
    every figure outside).
    """

    IN = "in"
    DISPUTED = "disputed"
    OUT = "out"

    @classmethod
    def parse(cls, value: str | InfClass) -> InfClass:
        """Return the class named ``value``; an unknown one lists the valid choices."""
        return parse_option(cls, value, what="INF class")


def inf_class_of(basing: str, figures_km: Iterable[float], *, eliminated: bool = False) -> InfClass:
    """Derive a system's INF class (see :class:`InfClass`) from its basing and figures.

    Examples
    --------
    >>> inf_class_of("road-mobile", [4000, 3000, 5000]).value
    'in'
    >>> inf_class_of("road-mobile", [480, 2500]).value, inf_class_of("ship", [2500]).value
    ('disputed', 'out')
    >>> inf_class_of("road-mobile", [400], eliminated=True).value
    'in'
    """
    if not GROUND_BASINGS & set(basing.split(";")):
        return InfClass.OUT
    if eliminated:
        return InfClass.IN
    sides = {
        "below" if f < INF_MIN_KM else "above" if f > INF_MAX_KM else "in"
        for f in figures_km
        if not math.isnan(f)
    }
    if sides == {"in"}:
        return InfClass.IN
    return InfClass.DISPUTED if len(sides) > 1 else InfClass.OUT


ELIMINATED_COLUMNS = (
    "system_id",
    "party",
    "missiles_eliminated",
    "launchers_eliminated",
    "sources",
    "note",
)


def load_eliminated(
    source: Source | None = None,
    *,
    sources: pd.DataFrame | None = None,
    name: str | None = None,
) -> pd.DataFrame:
    """Read the missiles and launchers eliminated under the treaty, one row per type.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`ELIMINATED_COLUMNS`; counts as nullable Int64 (blank where
        the records give none), ``sources`` as space-separated ids, plus ``urls``.

    Examples
    --------
    >>> t = load_eliminated()
    >>> t.groupby("party")["missiles_eliminated"].sum().to_dict()
    {'SUN': 1846, 'USA': 846}
    """
    refs = SourceRefs(load_sources() if sources is None else sources)
    table = read_table(
        DATA_DIR / "inf_eliminated.csv" if source is None else source,
        required=ELIMINATED_COLUMNS,
        error=CatalogueError,
        name=name,
    )
    err = CatalogueError
    records = []
    for i in range(len(table.rows)):
        ids = refs.ids(table, i, "sources", err, required=True)
        records.append(
            {
                "system_id": cell(table, i, "system_id", parse_required, err),
                "party": cell(table, i, "party", lambda v: parse_choice(v, ["USA", "SUN"]), err),
                "missiles_eliminated": cell(table, i, "missiles_eliminated", parse_count, err),
                "launchers_eliminated": cell(table, i, "launchers_eliminated", parse_count, err),
                "sources": " ".join(ids),
                "note": table.rows[i]["note"],
                "urls": " ".join(refs.urls(ids)),
            }
        )
    frame = pd.DataFrame.from_records(records, columns=[*ELIMINATED_COLUMNS, "urls"])
    for col in ("missiles_eliminated", "launchers_eliminated"):
        frame[col] = frame[col].astype("float64").astype("Int64")
    if frame["system_id"].duplicated().any():
        dup = frame.loc[frame["system_id"].duplicated(), "system_id"].iloc[0]
        raise err(f"{table.name}, column 'system_id': duplicate system {cut_repr(dup)}")
    frame.attrs["source"] = table.name
    return frame
