"""The missile catalogue (``data/missiles.csv``) and its competing claims (``data/claims.csv``).

Public functions
----------------
load_catalogue
    Read and validate the catalogue into a DataFrame (one row per system).
load_claims
    Read and validate the claims table (one row per published claim).
find_system / find_systems
    Look a system up by id, name or alias; an unknown one suggests the closest names.
SystemIndex
    The same look-up with its index of names built once, for many keys (a scenario).
band_radii_km
    The radii (km) of a system for a band: nominal, low, high or all.
filter_systems
    Subset by country, class, status and INF class.
catalogue_table, claims_table, sources_table
    The catalogue, its competing claims and its sources as display tables (dashboard).

``basing``, ``status`` and ``nuclear`` may be blank (unknown) only when ``notes`` says why;
a blank ``range_km`` likewise. A system of unknown basing is not counted INF-class.

Whether a system is INF-class (ground-launched, 500-5,500 km maximum range, as in
Article II of the 1987 INF Treaty) is derived on load as the ``inf_class`` column, never
typed into the data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum

import numpy as np
import pandas as pd

from rangemap._cells import (
    CellError,
    OnInvalid,
    cell,
    handle_invalid,
    parse_choice,
    parse_float,
    parse_urls,
)
from rangemap._io import (
    DATA_DIR,
    Source,
    Table,
    closest_hint,
    cut_repr,
    read_table,
)
from rangemap.errors import CatalogueError, OptionError, parse_option

__all__ = [
    "BASINGS",
    "CATALOGUE_COLUMNS",
    "CLAIM_COLUMNS",
    "CATALOGUE_VIEW",
    "CLASSES",
    "GROUND_BASINGS",
    "INF_MAX_KM",
    "INF_MIN_KM",
    "MAX_RANGE_KM",
    "NUCLEAR",
    "PROPULSIONS",
    "STATUSES",
    "Band",
    "SystemIndex",
    "band_radii_km",
    "catalogue_table",
    "claims_table",
    "filter_systems",
    "find_system",
    "find_systems",
    "load_catalogue",
    "load_claims",
    "sources_table",
]


CATALOGUE_COLUMNS = (
    "id",
    "name",
    "aliases",
    "country",
    "class",
    "basing",
    "propulsion",
    "range_km",
    "range_low_km",
    "range_high_km",
    "min_range_km",
    "status",
    "first_deployed",
    "nuclear",
    "sources",
    "accessed",
    "notes",
)
CLAIM_COLUMNS = ("system_id", "claim_range_km", "claimant", "source", "date", "note")

CLASSES = (
    "SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "GLCM", "SLCM", "ALCM",
    "HGV", "HCM", "ASBM", "SAM", "UUV",
)  # fmt: skip
BASINGS = ("road-mobile", "rail-mobile", "silo", "ground-fixed", "ship", "submarine", "air")
#: Basings that make a system ground-launched in the INF Treaty's sense.
GROUND_BASINGS = frozenset({"road-mobile", "rail-mobile", "silo", "ground-fixed"})
PROPULSIONS = ("ballistic", "cruise", "boost-glide", "torpedo")
STATUSES = ("deployed", "development", "tested", "retired")
NUCLEAR = ("yes", "no", "dual")
#: INF Treaty Article II(5)-(6): intermediate range 1,000-5,500 km, shorter range
#: 500-1,000 km; both were eliminated, so the treaty's span is 500-5,500 km.
INF_MIN_KM = 500.0
INF_MAX_KM = 5500.0

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_ISO3_RE = re.compile(r"^[A-Z]{3}$")


class Band(StrEnum):
    """Which published range figure a ring is drawn for."""

    NOMINAL = "nominal"
    LOW = "low"
    HIGH = "high"
    ALL = "all"

    @classmethod
    def parse(cls, value: str | Band) -> Band:
        """Return the band named ``value``; an unknown one lists the valid choices."""
        return parse_option(cls, value, what="band")


_BAND_COLUMN = {Band.NOMINAL: "range_km", Band.LOW: "range_low_km", Band.HIGH: "range_high_km"}


def _parse_id(value: str) -> str:
    if not _ID_RE.match(value):
        raise CellError(f"must be a lowercase slug (letters, digits, '.', '_', '-'), got {value!r}")
    return value


def _parse_required(value: str) -> str:
    if not value:
        raise CellError("is required")
    return value


def _parse_iso3(value: str) -> str:
    if not _ISO3_RE.match(value):
        raise CellError(f"must be an ISO 3166-1 alpha-3 code such as 'RUS', got {value!r}")
    return value


def _parse_basing(value: str) -> str:
    parts = [p.strip() for p in value.split(";") if p.strip()]
    if not parts and value.strip():
        raise CellError(f"needs one or more of {', '.join(BASINGS)} separated by ';'")
    for part in parts:
        parse_choice(part, BASINGS)
    return ";".join(parts)


def _parse_year(value: str) -> float:
    if value == "":
        return math.nan
    if not re.fullmatch(r"\d{4}", value) or not 1900 <= int(value) <= 2100:
        raise CellError(f"must be a year such as 1987, got {value!r}")
    return float(value)


def _parse_date(value: str) -> str:
    if re.fullmatch(r"\d{4}", value):
        return value
    try:
        date.fromisoformat(value)
    except ValueError:
        raise CellError(f"must be a date YYYY-MM-DD (or a year), got {value!r}") from None
    return value


#: Largest range figure accepted (km): 2.5 times the Earth's circumference. Anything at or
#: beyond 20,004 km already reaches the whole globe; larger numbers are typing errors.
MAX_RANGE_KM = 100_000.0


def _parse_range(value: str) -> float:
    out = parse_float(value, positive=True)
    if out > MAX_RANGE_KM:
        raise CellError(f"must be at most {MAX_RANGE_KM:,.0f} km, got {value!r}")
    return out


def _catalogue_row(t: Table, i: int) -> dict[str, object]:
    err = CatalogueError
    row: dict[str, object] = {
        "id": cell(t, i, "id", _parse_id, err),
        "name": cell(t, i, "name", _parse_required, err),
        "aliases": t.rows[i]["aliases"],
        "country": cell(t, i, "country", _parse_iso3, err),
        "class": cell(t, i, "class", lambda v: parse_choice(v, CLASSES), err),
        "basing": cell(t, i, "basing", _parse_basing, err),
        "propulsion": cell(t, i, "propulsion", lambda v: parse_choice(v, PROPULSIONS), err),
        "status": cell(t, i, "status", lambda v: v and parse_choice(v, STATUSES), err),
        "first_deployed": cell(t, i, "first_deployed", _parse_year, err),
        "nuclear": cell(t, i, "nuclear", lambda v: v and parse_choice(v, NUCLEAR), err),
        "accessed": cell(t, i, "accessed", _parse_date, err),
        "notes": t.rows[i]["notes"],
    }
    for col in ("range_km", "range_low_km", "range_high_km", "min_range_km"):
        row[col] = cell(t, i, col, _parse_range, err)
    where = f"{t.name}, line {t.lines[i]}"
    rng, low, high, mini = (
        float(row[c])  # type: ignore[arg-type]
        for c in ("range_km", "range_low_km", "range_high_km", "min_range_km")
    )
    has_figure = not all(math.isnan(v) for v in (rng, low, high, mini))
    row["sources"] = " ".join(
        cell(t, i, "sources", lambda v: parse_urls(v, required=has_figure), err)
    )
    unknown = [c for c in ("basing", "status", "nuclear") if not row[c]]
    if unknown and not row["notes"]:
        raise CatalogueError(
            f"{where}, column {unknown[0]!r}: blank (unknown) needs a note saying why, got ''"
        )
    if math.isnan(rng) and not row["notes"]:
        raise CatalogueError(
            f"{where}, column 'range_km': blank range needs a note saying why, got ''"
        )
    if math.isnan(rng) and not (math.isnan(low) and math.isnan(high)):
        raise CatalogueError(f"{where}, column 'range_km': low/high given without a nominal range")
    if not math.isnan(low) and low > rng:
        raise CatalogueError(
            f"{where}, column 'range_low_km': low {low!r} is above range_km {rng!r}"
        )
    if not math.isnan(high) and high < rng:
        raise CatalogueError(
            f"{where}, column 'range_high_km': high {high!r} is below range_km {rng!r}"
        )
    if not math.isnan(mini) and not mini < rng:
        raise CatalogueError(
            f"{where}, column 'min_range_km': minimum {mini!r} is not below range_km {rng!r}"
        )
    return row


def _derive_inf_class(frame: pd.DataFrame) -> pd.Series:
    ground = frame["basing"].map(lambda b: bool(GROUND_BASINGS & set(b.split(";"))))
    in_span = frame["range_km"].between(INF_MIN_KM, INF_MAX_KM)
    return (ground & in_span).astype(bool)


def load_catalogue(
    source: Source | None = None,
    *,
    on_invalid: str | OnInvalid = OnInvalid.RAISE,
    name: str | None = None,
) -> pd.DataFrame:
    r"""Read and validate a missile catalogue CSV.

    Parameters
    ----------
    source : path, bytes or file object, optional
        Defaults to the shipped ``data/missiles.csv``.
    on_invalid : {"raise", "warn", "drop"}
        What to do with an invalid row. Whole-file problems (missing columns, empty file,
        duplicate ids) always raise.
    name : str, optional
        Name to show in errors for an in-memory upload.

    Returns
    -------
    pandas.DataFrame
        One row per system, indexed 0..n-1, with the columns of :data:`CATALOGUE_COLUMNS`
        (ranges as float km, NaN where blank; ``first_deployed`` as nullable Int64) plus
        the derived boolean ``inf_class``.

    Raises
    ------
    CatalogueError
        Naming file, line, column and the bad value.

    Examples
    --------
    >>> cat = load_catalogue()
    >>> bool(cat.set_index("id").loc["pershing-2", "inf_class"])
    True
    >>> load_catalogue(b"id,name\n")
    Traceback (most recent call last):
    ...
    rangemap.errors.CatalogueError: <upload>: missing required column(s) ['aliases', ...
    """
    policy = OnInvalid.parse(on_invalid)
    table = read_table(
        DATA_DIR / "missiles.csv" if source is None else source,
        required=CATALOGUE_COLUMNS,
        error=CatalogueError,
        name=name,
    )
    records: list[dict[str, object]] = []
    dropped: list[str] = []
    seen: dict[str, int] = {}
    for i in range(len(table.rows)):
        try:
            rec = _catalogue_row(table, i)
            sid = str(rec["id"])
            if sid in seen:
                raise CatalogueError(
                    f"{table.name}, line {table.lines[i]}, column 'id': duplicate id {sid!r} "
                    f"(first on line {seen[sid]})"
                )
        except CatalogueError as exc:
            handle_invalid(policy, str(exc), CatalogueError, dropped)
            continue
        seen[sid] = table.lines[i]
        records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=list(CATALOGUE_COLUMNS))
    for col in ("range_km", "range_low_km", "range_high_km", "min_range_km"):
        frame[col] = frame[col].astype("float64")
    frame["first_deployed"] = frame["first_deployed"].astype("float64").astype("Int64")
    frame["inf_class"] = _derive_inf_class(frame) if len(frame) else pd.Series(dtype=bool)
    frame.attrs["source"] = table.name
    frame.attrs["dropped"] = dropped
    return frame


def load_claims(
    source: Source | None = None,
    *,
    catalogue: pd.DataFrame | None = None,
    name: str | None = None,
) -> pd.DataFrame:
    """Read and validate the competing-claims table.

    Parameters
    ----------
    source : path, bytes or file object, optional
        Defaults to the shipped ``data/claims.csv``.
    catalogue : pandas.DataFrame, optional
        When given, every ``system_id`` must be one of its ids.
    name : str, optional
        Name to show in errors for an in-memory upload.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`CLAIM_COLUMNS`; ``claim_range_km`` float (NaN where a claim
        gives no figure, e.g. "unlimited range").

    Raises
    ------
    CatalogueError
        Naming file, line, column and the bad value.
    """
    table = read_table(
        DATA_DIR / "claims.csv" if source is None else source,
        required=CLAIM_COLUMNS,
        error=CatalogueError,
        name=name,
    )
    known = set(catalogue["id"]) if catalogue is not None else None
    err = CatalogueError
    records = []
    for i in range(len(table.rows)):
        sid = cell(table, i, "system_id", _parse_id, err)
        if known is not None and sid not in known:
            raise CatalogueError(
                f"{table.name}, line {table.lines[i]}, column 'system_id': unknown system {sid!r}"
            )
        records.append(
            {
                "system_id": sid,
                "claim_range_km": cell(table, i, "claim_range_km", _parse_range, err),
                "claimant": cell(table, i, "claimant", _parse_required, err),
                "source": " ".join(
                    cell(table, i, "source", lambda v: parse_urls(v, required=True), err)
                ),
                # Some claims are undated in their source: blank, not guessed.
                "date": cell(table, i, "date", lambda v: v and _parse_date(v), err),
                "note": table.rows[i]["note"],
            }
        )
    frame = pd.DataFrame.from_records(records, columns=list(CLAIM_COLUMNS))
    frame["claim_range_km"] = frame["claim_range_km"].astype("float64")
    return frame


def _names(catalogue: pd.DataFrame) -> dict[str, str]:
    """Map every lower-cased id, name and alias to its system id."""
    out: dict[str, str] = {}
    for sid, name, aliases in zip(
        catalogue["id"], catalogue["name"], catalogue["aliases"], strict=True
    ):
        for key in [sid, name, *str(aliases).split(";")]:
            key = key.strip().lower()
            if key:
                out.setdefault(key, sid)
    return out


class SystemIndex:
    """Every lower-cased id, name and alias of a catalogue, built once for many look-ups.

    Building the index walks the whole catalogue, so a caller with many keys (a scenario's
    ``systems``) builds it once: once per key made 20,000 repeated systems take 73 s
    (issue 15).

    Parameters
    ----------
    catalogue : pandas.DataFrame
        From :func:`load_catalogue`.

    Examples
    --------
    >>> index = SystemIndex(load_catalogue())
    >>> index.id_of("SSC-8"), index.id_of(" DF-26 ")
    ('9m729', 'df-26')
    >>> index.id_of("DF-62")
    Traceback (most recent call last):
    ...
    rangemap.errors.CatalogueError: unknown system 'DF-62'; closest: ...
    """

    def __init__(self, catalogue: pd.DataFrame) -> None:
        self._names = _names(catalogue)

    def id_of(self, key: str) -> str:
        """Return the id of the system a key names (id, name or alias, any case).

        Raises
        ------
        CatalogueError
            For an unknown key, suggesting the closest names.
        """
        sid = self._names.get(str(key).strip().lower())
        if sid is None:
            hint = closest_hint(key, self._names, listing="rangemap systems")
            raise CatalogueError(f"unknown system {cut_repr(key)}; closest: {hint}")
        return sid


def find_system(catalogue: pd.DataFrame, key: str) -> pd.Series:
    """Look a system up by id, name or alias (case-insensitive).

    Parameters
    ----------
    catalogue : pandas.DataFrame
        From :func:`load_catalogue`.
    key : str
        An id (``df-26``), name (``DF-26``) or alias (``SSC-8``).

    Returns
    -------
    pandas.Series
        The catalogue row.

    Raises
    ------
    CatalogueError
        For an unknown key, suggesting the closest names.

    Examples
    --------
    >>> find_system(load_catalogue(), "SSC-8")["id"]
    '9m729'
    >>> find_system(load_catalogue(), "DF-62")
    Traceback (most recent call last):
    ...
    rangemap.errors.CatalogueError: unknown system 'DF-62'; closest: ...
    """
    sid = SystemIndex(catalogue).id_of(key)
    return catalogue.loc[catalogue["id"] == sid].iloc[0]


def find_systems(catalogue: pd.DataFrame, keys: Iterable[str]) -> pd.DataFrame:
    """Rows for several keys (see :func:`find_system`), in the order given, deduplicated."""
    index = SystemIndex(catalogue)  # once, not once per key
    ids = list(dict.fromkeys(index.id_of(key) for key in keys))
    return catalogue.set_index("id").loc[ids].reset_index()


def band_radii_km(system: pd.Series, band: str | Band = Band.NOMINAL) -> list[tuple[str, float]]:
    """Return the (band, radius in km) pairs a system has figures for.

    Parameters
    ----------
    system : pandas.Series
        A catalogue row.
    band : {"nominal", "low", "high", "all"}
        ``all`` gives every band with a figure, nominal first; a low or high figure
        equal to the nominal one is not repeated.

    Returns
    -------
    list of (str, float)
        Empty when the system has no figure for the band.

    Examples
    --------
    >>> row = find_system(load_catalogue(), "pershing-2")
    >>> band_radii_km(row, "nominal")[0][0]
    'nominal'
    """
    chosen = Band.parse(band)
    bands = [Band.NOMINAL, Band.LOW, Band.HIGH] if chosen is Band.ALL else [chosen]
    out: list[tuple[str, float]] = []
    for b in bands:
        value = float(system[_BAND_COLUMN[b]])
        # With "all", a low or high figure equal to the nominal one adds no ring.
        if not np.isnan(value) and value not in [v for _, v in out]:
            out.append((b.value, value))
    return out


def filter_systems(
    catalogue: pd.DataFrame,
    *,
    countries: Sequence[str] = (),
    classes: Sequence[str] = (),
    statuses: Sequence[str] = (),
    inf_only: bool = False,
) -> pd.DataFrame:
    """Subset the catalogue; empty selections mean "any".

    Raises
    ------
    OptionError
        For a class or status that does not exist, listing the valid ones.
    """
    for value in classes:
        if value not in CLASSES:
            raise OptionError(f"class must be one of {', '.join(CLASSES)}; got {value!r}")
    for value in statuses:
        if value not in STATUSES:
            raise OptionError(f"status must be one of {', '.join(STATUSES)}; got {value!r}")
    mask = pd.Series(True, index=catalogue.index)
    if countries:
        mask &= catalogue["country"].isin([c.upper() for c in countries])
    if classes:
        mask &= catalogue["class"].isin(classes)
    if statuses:
        mask &= catalogue["status"].isin(statuses)
    if inf_only:
        mask &= catalogue["inf_class"]
    return catalogue.loc[mask].reset_index(drop=True)


#: Catalogue columns shown by :func:`catalogue_table`, in order.
CATALOGUE_VIEW = (
    "name", "country", "class", "basing", "status", "range_km", "range_low_km",
    "range_high_km", "min_range_km", "inf_class", "disputed", "source", "notes",
)  # fmt: skip


def catalogue_table(catalogue: pd.DataFrame, claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Build the catalogue's display table.

    It keeps the columns of :data:`CATALOGUE_VIEW`: the first source as a link (see
    :func:`sources_table` for all) and whether competing claims exist (``disputed``).

    Examples
    --------
    >>> t = catalogue_table(load_catalogue(), load_claims()).set_index("name")
    >>> bool(t.loc["9M729 (SSC-8 Screwdriver)", "disputed"]), t["source"].dropna().str[:4].unique()
    (True, array(['http'], dtype=object))
    """
    disputed = set(claims["system_id"]) if claims is not None else set()
    out = catalogue.assign(
        source=catalogue["sources"].astype(str).str.split().str[0],
        disputed=catalogue["id"].isin(disputed),
    )
    return out[list(CATALOGUE_VIEW)].reset_index(drop=True)


def claims_table(claims: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Build the competing claims' display table, naming each system.

    Examples
    --------
    >>> claims_table(load_claims(), load_catalogue()).columns.tolist()[:3]
    ['system', 'claim_range_km', 'claimant']
    """
    names = dict(zip(catalogue["id"], catalogue["name"], strict=True))
    out = claims.assign(system=claims["system_id"].map(names))
    return out[["system", "claim_range_km", "claimant", "date", "source", "note"]]


def sources_table(catalogue: pd.DataFrame) -> pd.DataFrame:
    """One row per (system, source URL), for a table of clickable sources.

    Examples
    --------
    >>> t = sources_table(load_catalogue())
    >>> list(t.columns), bool(t["source"].str.match("https?://").all())
    (['system', 'source'], True)
    """
    out = catalogue[["name", "sources"]].assign(source=catalogue["sources"].astype(str).str.split())
    out = out.explode("source").dropna(subset=["source"])
    return out.rename(columns={"name": "system"})[["system", "source"]].reset_index(drop=True)
