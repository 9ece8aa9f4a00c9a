"""Published range claims (``data/claims.csv``) and the rule that picks the rings drawn.

Every range figure of the shipped catalogue is a *claim*: who says what, when, of which
kind, citing which sources (ids of ``data/sources.csv``). The catalogue's nominal, low and
high radii are derived from the claims by one documented rule (:data:`RULE_TEXT`), never
typed in, so a new claim can change a ring only through the rule.

Public names
------------
CLAIM_COLUMNS, CLAIM_KINDS, RANGE_KINDS
    The table's columns; the kinds of claim, and those that set a ring.
RULE_TEXT
    The rule in words (the methods note and the data README quote it).
load_claims
    Read and validate the claims table, resolving source ids.
derive_figures
    Apply the rule: per system, the nominal / low / high radii, the claim drawn, its
    quality flag and the ids of the sources of the figures drawn.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from rangemap._cells import CellError, cell, parse_choice, parse_float, parse_required
from rangemap._io import DATA_DIR, Source, cut_repr, read_table
from rangemap.errors import CatalogueError
from rangemap.sources import Quality, SourceRefs, figure_quality, load_sources, parse_date

__all__ = [
    "CLAIM_COLUMNS",
    "CLAIM_KINDS",
    "MAX_RANGE_KM",
    "RANGE_KINDS",
    "RULE_TEXT",
    "derive_figures",
    "load_claims",
    "parse_range",
]

CLAIM_COLUMNS = ("system_id", "kind", "claim_range_km", "claimant", "sources", "date", "note")

#: ``max-range-estimate``: a third party's estimate of the maximum range;
#: ``official-declaration``: the developing or operating state's own figure;
#: ``maker-claim``: a maker's or state media's promotional figure; ``distance-flown``: a
#: distance flown in a test or in use; ``lower-bound``: "more than X km".
CLAIM_KINDS = (
    "max-range-estimate", "official-declaration", "maker-claim", "distance-flown", "lower-bound",
)  # fmt: skip
#: Claims that say what the maximum range *is*: they set the nominal, low and high rings.
RANGE_KINDS = frozenset({"max-range-estimate", "official-declaration", "maker-claim"})

RULE_TEXT = (
    "The nominal ring is the most recent max-range-estimate backed by an official, "
    "think-tank, academic or wire source; failing that, the most recent max-range-estimate "
    "of any source; failing that, the most recent official-declaration (the state's own "
    "figure), then any range claim. An independent estimate comes before a state's own "
    "declaration, which is a party's claim (Russia's 480 km for the 9M729 against the "
    "estimates of 2,500 km). A figure without a strong source carries its quality flag. "
    "Of claims with the same date, the larger figure is drawn (a band published as "
    "5,000-8,000 km claims a reach of 8,000 km). The low and high rings are the smallest "
    "and largest max-range-estimate, official-declaration or maker-claim figures. "
    "Distances flown and lower bounds are listed but never drawn."
)

#: Largest range figure accepted (km): 2.5 times the Earth's circumference. Anything at or
#: beyond 20,004 km already reaches the whole globe; larger numbers are typing errors.
MAX_RANGE_KM = 100_000.0


def parse_range(value: str) -> float:
    """Parse a range in km: blank is NaN; it must be > 0 and at most :data:`MAX_RANGE_KM`."""
    out = parse_float(value, positive=True)
    if out > MAX_RANGE_KM:
        raise CellError(f"must be at most {MAX_RANGE_KM:,.0f} km, got {cut_repr(value)}")
    return out


def load_claims(
    source: Source | None = None,
    *,
    sources: pd.DataFrame | None = None,
    system_ids: set[str] | None = None,
    name: str | None = None,
) -> pd.DataFrame:
    """Read and validate the claims table.

    Parameters
    ----------
    source : path, bytes or file object, optional
        Defaults to the shipped ``data/claims.csv``.
    sources : pandas.DataFrame, optional
        The sources table the ids point into; defaults to the shipped one.
    system_ids : set of str, optional
        When given, every ``system_id`` must be one of them.
    name : str, optional
        Name to show in errors for an in-memory upload.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`CLAIM_COLUMNS` (``sources`` as space-separated ids,
        ``claim_range_km`` float, NaN for a claim without a figure), plus ``urls``
        (space-separated), ``source_kinds`` (space-separated) and ``quality`` (the claim's
        flag, '' when a strong source backs it).

    Raises
    ------
    CatalogueError
        Naming file, line, column and the bad value (a dangling source id, an undated
        claim, an unknown kind...).

    Examples
    --------
    >>> claims = load_claims()
    >>> set(claims["kind"]) <= set(CLAIM_KINDS), bool((claims["date"] != "").all())
    (True, True)
    """
    src = load_sources() if sources is None else sources
    refs = SourceRefs(src)
    table = read_table(
        DATA_DIR / "claims.csv" if source is None else source,
        required=CLAIM_COLUMNS,
        error=CatalogueError,
        name=name,
    )
    err = CatalogueError
    records = []
    for i in range(len(table.rows)):
        sid = cell(table, i, "system_id", parse_required, err)
        if system_ids is not None and sid not in system_ids:
            raise err(
                f"{table.name}, line {table.lines[i]}, column 'system_id': "
                f"unknown system {cut_repr(sid)}"
            )
        kind = cell(table, i, "kind", lambda v: parse_choice(v, CLAIM_KINDS), err)
        ids = refs.strongest_first(refs.ids(table, i, "sources", err, required=True))
        kinds = refs.kinds(ids)
        records.append(
            {
                "system_id": sid,
                "kind": kind,
                "claim_range_km": cell(table, i, "claim_range_km", parse_range, err),
                "claimant": cell(table, i, "claimant", parse_required, err),
                "sources": " ".join(ids),
                "date": cell(table, i, "date", parse_date, err),
                "note": table.rows[i]["note"],
                "urls": " ".join(refs.urls(ids)),
                "source_kinds": " ".join(kinds),
                "quality": figure_quality(kinds, maker_claim=kind == "maker-claim"),
            }
        )
    columns = [*CLAIM_COLUMNS, "urls", "source_kinds", "quality"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame["claim_range_km"] = frame["claim_range_km"].astype("float64")
    frame.attrs["source"] = table.name
    return frame


#: The rule's tiers, in order: (kind wanted, strong source needed); None is any range kind.
_TIERS = (
    ("max-range-estimate", True),
    ("max-range-estimate", False),
    ("official-declaration", True),
    ("official-declaration", False),
    (None, False),
)


def _pick(figures: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Return the claim drawn as the nominal ring (see :data:`RULE_TEXT`), or None."""
    for kind, strong in _TIERS:
        tier = [
            c for c in figures
            if (kind is None or c["kind"] == kind) and (not strong or c["quality"] == "")
        ]  # fmt: skip
        if tier:
            # Of claims with the same date (a published band "5,000-8,000 km" is two claims),
            # the larger figure wins: the claim is that the range reaches it. max() keeps
            # the first of equals, so a full tie goes to the claim listed first.
            return max(tier, key=lambda c: (c["date"], c["claim_range_km"]))
    return None


def derive_figures(claims: pd.DataFrame) -> pd.DataFrame:
    """Apply :data:`RULE_TEXT` to every system with claims.

    Returns
    -------
    pandas.DataFrame
        Indexed by system id: ``range_km``, ``range_low_km``, ``range_high_km`` (float,
        NaN where no claim gives one), ``nominal_claim`` (the claims-table row index of the
        claim drawn, -1 for none), ``quality`` (the drawn claim's flag) and
        ``figure_sources`` (space-separated ids of the sources of the drawn figures,
        nominal first).

    Examples
    --------
    >>> fig = derive_figures(load_claims()).dropna(subset=["range_km"])
    >>> bool((fig["range_low_km"] <= fig["range_km"]).all())
    True
    >>> row = fig.loc["9m729"]
    >>> float(row["range_km"]), float(row["range_low_km"]), row["quality"]
    (2500.0, 476.0, 'secondary')
    """
    # Plain records, not a pandas group per system: this runs on every catalogue load, and
    # 93 groups cost 0.6 s that way (the CLI's start-up, issue 10).
    by_system: dict[str, list[dict[str, Any]]] = {}
    columns = ["system_id", "kind", "claim_range_km", "sources", "date", "quality"]
    for index, claim in zip(claims.index, claims[columns].to_dict("records"), strict=True):
        record = {str(k): v for k, v in claim.items()}
        by_system.setdefault(str(claim["system_id"]), []).append({**record, "index": index})
    rows = {}
    for sid, group in by_system.items():
        figures = [
            c for c in group if c["kind"] in RANGE_KINDS and not math.isnan(c["claim_range_km"])
        ]
        chosen = _pick(figures)
        if chosen is None:
            rows[sid] = {
                "range_km": math.nan, "range_low_km": math.nan, "range_high_km": math.nan,
                "nominal_claim": -1, "quality": Quality.UNSOURCED.value, "figure_sources": "",
            }  # fmt: skip
            continue
        low = min(figures, key=lambda c: c["claim_range_km"])
        high = max(figures, key=lambda c: c["claim_range_km"])
        ids = [*chosen["sources"].split(), *low["sources"].split(), *high["sources"].split()]
        rows[sid] = {
            "range_km": float(chosen["claim_range_km"]),
            "range_low_km": float(low["claim_range_km"]),
            "range_high_km": float(high["claim_range_km"]),
            "nominal_claim": int(chosen["index"]),
            "quality": str(chosen["quality"]),
            "figure_sources": " ".join(dict.fromkeys(ids)),
        }
    out = pd.DataFrame.from_dict(
        rows,
        orient="index",
        columns=["range_km", "range_low_km", "range_high_km", "nominal_claim", "quality",
                 "figure_sources"],
    )  # fmt: skip
    out.index.name = "system_id"
    return out
