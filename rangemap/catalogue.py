"""The missile catalogue (``data/missiles.csv``), its figures drawn from the claims.

Public functions
----------------
load_catalogue
    Read and validate the catalogue into a DataFrame (one row per system).
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

``basing``, ``status`` and ``nuclear`` may be blank (unknown) only when ``notes`` says why,
and ``basing`` never for a class that is ground-launched by definition (SRBM, MRBM, IRBM,
GLCM): a blank there would silently take the missile out of INF class.

The shipped catalogue types no range figure: the radii come from ``data/claims.csv`` by
the rule of :mod:`rangemap.claims`, with the quality flag of the figure drawn. Whether a
system is INF-class (ground-launched, 500-5,500 km, as in Article II of the 1987 INF
Treaty) is derived on load as the ``inf_class`` column (``in``, ``disputed``, ``out``),
never typed into the data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum

import numpy as np
import pandas as pd

from rangemap._cells import (
    CellError,
    OnInvalid,
    cell,
    handle_invalid,
    parse_choice,
    parse_required,
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
from rangemap.claims import RANGE_KINDS, derive_figures, load_claims, parse_range
from rangemap.errors import CatalogueError, OptionError, parse_option
from rangemap.sources import Quality, SourceRefs, figure_quality, load_sources, parse_date
from rangemap.treaty import InfClass, inf_class_of, load_eliminated

__all__ = [
    "BASINGS",
    "CATALOGUE_COLUMNS",
    "CATALOGUE_VIEW",
    "CLASSES",
    "FRAME_COLUMNS",
    "GROUND_CLASSES",
    "NUCLEAR",
    "PROPULSIONS",
    "STATUSES",
    "TYPED_CATALOGUE_COLUMNS",
    "TYPED_FIGURE_COLUMNS",
    "Band",
    "SystemIndex",
    "band_radii_km",
    "catalogue_table",
    "claims_table",
    "filter_systems",
    "find_system",
    "find_systems",
    "load_catalogue",
    "sources_table",
]


#: Columns of the shipped catalogue file: no range figures (they come from the claims).
CATALOGUE_COLUMNS = (
    "id", "name", "aliases", "country", "class", "basing", "propulsion", "min_range_km",
    "status", "first_tested", "first_deployed", "retired", "nuclear", "sources", "accessed",
    "notes",
)  # fmt: skip
#: A user's catalogue may type its figures instead (and cite URLs, not source ids).
TYPED_FIGURE_COLUMNS = ("range_km", "range_low_km", "range_high_km")
#: The columns of such a typed catalogue (``first_tested``, ``retired`` and ``quality``
#: may be added).
TYPED_CATALOGUE_COLUMNS = (
    "id", "name", "aliases", "country", "class", "basing", "propulsion", "range_km",
    "range_low_km", "range_high_km", "min_range_km", "status", "first_deployed", "nuclear",
    "sources", "accessed", "notes",
)  # fmt: skip
#: Columns a catalogue may leave out (blank years).
_OPTIONAL_COLUMNS = ("first_tested", "retired")
#: Columns of the loaded frame, in order.
FRAME_COLUMNS = (
    "id", "name", "aliases", "country", "class", "basing", "propulsion", "range_km",
    "range_low_km", "range_high_km", "min_range_km", "status", "first_tested",
    "first_deployed", "retired", "nuclear", "sources", "source_ids", "accessed", "notes",
    "quality", "nominal_basis", "inf_class",
)  # fmt: skip

CLASSES = (
    "SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "GLCM", "SLCM", "ALCM",
    "HGV", "HCM", "ASBM", "SAM", "UUV",
)  # fmt: skip
#: Classes that are ground-launched by definition: their basing may not be blank.
GROUND_CLASSES = frozenset({"SRBM", "MRBM", "IRBM", "GLCM"})
#: ``ground``: ground-launched, the launch mode (mobile, fixed) not published.
BASINGS = (
    "road-mobile", "rail-mobile", "silo", "ground-fixed", "ground", "ship", "submarine", "air",
)  # fmt: skip
PROPULSIONS = ("ballistic", "cruise", "boost-glide", "torpedo")
STATUSES = ("deployed", "development", "tested", "retired")
NUCLEAR = ("yes", "no", "dual")


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


def _row_sources(t: Table, i: int, refs: SourceRefs | None, has_figure: bool) -> list[str]:
    """Parse the row's sources: ids resolved by ``refs`` (shipped form), URLs (typed form)."""
    if refs is None:
        return cell(t, i, "sources", lambda v: parse_urls(v, required=has_figure), CatalogueError)
    # A row without any source stays (flagged "unsourced") only if its notes say why.
    required = not t.rows[i]["notes"]
    return refs.strongest_first(refs.ids(t, i, "sources", CatalogueError, required=required))


def _catalogue_row(t: Table, i: int, refs: SourceRefs | None) -> dict[str, object]:
    err = CatalogueError
    row: dict[str, object] = {
        "id": cell(t, i, "id", _parse_id, err),
        "name": cell(t, i, "name", parse_required, err),
        "aliases": t.rows[i]["aliases"],
        "country": cell(t, i, "country", _parse_iso3, err),
        "class": cell(t, i, "class", lambda v: parse_choice(v, CLASSES), err),
        "basing": cell(t, i, "basing", _parse_basing, err),
        "propulsion": cell(t, i, "propulsion", lambda v: parse_choice(v, PROPULSIONS), err),
        "status": cell(t, i, "status", lambda v: v and parse_choice(v, STATUSES), err),
        "nuclear": cell(t, i, "nuclear", lambda v: v and parse_choice(v, NUCLEAR), err),
        "accessed": cell(t, i, "accessed", parse_date, err),
        "notes": t.rows[i]["notes"],
        "quality": "",
    }
    for col in ("first_tested", "first_deployed", "retired"):
        row[col] = cell(t, i, col, _parse_year, err)
    figure_cols = ("min_range_km",) if refs is not None else ("min_range_km", *TYPED_FIGURE_COLUMNS)
    for col in figure_cols:
        row[col] = cell(t, i, col, parse_range, err)
    where = f"{t.name}, line {t.lines[i]}"
    if row["class"] in GROUND_CLASSES and not row["basing"]:
        raise err(
            f"{where}, column 'basing': a {row['class']} is ground-launched, so its basing "
            f"decides its INF class and may not be blank, got ''"
        )
    has_figure = any(not math.isnan(float(row[c])) for c in figure_cols)  # type: ignore[arg-type]
    row["sources"] = _row_sources(t, i, refs, has_figure)
    unknown = [c for c in ("basing", "status", "nuclear") if not row[c]]
    if unknown and not row["notes"]:
        raise err(
            f"{where}, column {unknown[0]!r}: blank (unknown) needs a note saying why, got ''"
        )
    if refs is None:
        if "quality" in t.rows[i]:
            row["quality"] = cell(
                t, i, "quality", lambda v: v and parse_option(Quality, v, what="quality").value, err
            )
        _check_typed_figures(row, where)
    return row


def _check_typed_figures(row: dict[str, object], where: str) -> None:
    """Check the order of a typed row's figures (the claims rule guarantees it otherwise)."""
    rng, low, high, mini = (
        float(row[c])  # type: ignore[arg-type]
        for c in ("range_km", "range_low_km", "range_high_km", "min_range_km")
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


def load_catalogue(
    source: Source | None = None,
    *,
    on_invalid: str | OnInvalid = OnInvalid.RAISE,
    name: str | None = None,
    claims: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
) -> pd.DataFrame:
    r"""Read and validate a missile catalogue CSV.

    The shipped catalogue cites source ids and types no range figure: its radii come from
    ``data/claims.csv`` by the rule of :data:`rangemap.claims.RULE_TEXT`, and each system
    carries the quality flag of the figure drawn. A user's catalogue may instead type
    ``range_km``, ``range_low_km`` and ``range_high_km`` and cite URLs (an optional
    ``quality`` column flags them).

    Parameters
    ----------
    source : path, bytes or file object, optional
        Defaults to the shipped ``data/missiles.csv``.
    on_invalid : {"raise", "warn", "drop"}
        What to do with an invalid row. Whole-file problems (missing columns, empty file,
        duplicate ids) always raise.
    name : str, optional
        Name to show in errors for an in-memory upload.
    claims, sources : pandas.DataFrame, optional
        For a catalogue without typed figures: its claims (:func:`rangemap.claims.load_claims`)
        and sources; default to the shipped ones.

    Returns
    -------
    pandas.DataFrame
        One row per system, indexed 0..n-1, with the columns of :data:`FRAME_COLUMNS`:
        ranges as float km (NaN where blank), years as nullable Int64, ``sources`` the
        URLs of the figures drawn and of the row (strongest first), ``source_ids`` their
        ids, ``quality`` the flag of the nominal figure, ``nominal_basis`` who gives it and
        when, and the derived ``inf_class`` (``in``, ``disputed`` or ``out``).

    Raises
    ------
    CatalogueError
        Naming file, line, column and the bad value.

    Examples
    --------
    >>> cat = load_catalogue().set_index("id")
    >>> cat.loc["pershing-2", "inf_class"], cat.loc["9m729", "inf_class"]
    ('in', 'disputed')
    >>> load_catalogue(b"id,name\n")
    Traceback (most recent call last):
    ...
    rangemap.errors.CatalogueError: <upload>: missing required column(s) ['aliases', ...
    """
    policy = OnInvalid.parse(on_invalid)
    table = read_table(
        DATA_DIR / "missiles.csv" if source is None else source,
        required=[c for c in CATALOGUE_COLUMNS if c not in _OPTIONAL_COLUMNS],
        error=CatalogueError,
        name=name,
    )
    typed = any(c in table.columns for c in TYPED_FIGURE_COLUMNS)
    missing = [c for c in TYPED_FIGURE_COLUMNS if typed and c not in table.columns]
    if missing:
        raise CatalogueError(
            f"{table.name}: missing required column(s) {missing!r} (a catalogue that types "
            f"its figures needs all of {list(TYPED_FIGURE_COLUMNS)}); header has "
            f"{cut_repr(','.join(table.columns))}"
        )
    src = None if typed else (load_sources() if sources is None else sources)
    refs = None if src is None else SourceRefs(src)
    records: list[dict[str, object]] = []
    dropped: list[str] = []
    seen: dict[str, int] = {}
    for i in range(len(table.rows)):
        try:
            rec = _catalogue_row(table, i, refs)
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
    frame = pd.DataFrame.from_records(records)
    if refs is None or src is None:
        frame = _finish_typed(frame)
    else:
        if claims is None:
            # The shipped claims must all name a shipped row (a row dropped as invalid
            # drops its claims too); a user's catalogue of a few systems takes theirs.
            every_id = {row["id"] for row in table.rows} if source is None else None
            claims = load_claims(sources=src, system_ids=every_id)
        claim_table = claims.loc[claims["system_id"].isin(seen)].copy()
        # The treaty's record (citing the shipped sources) applies to these ids in any
        # catalogue that cites sources; the shipped table is read once.
        shipped = src if source is None and sources is None else None
        eliminated = set(load_eliminated(sources=shipped)["system_id"])
        frame = _finish_sourced(frame, claim_table, refs, eliminated)
    frame.attrs["source"] = table.name
    frame.attrs["dropped"] = dropped
    return frame


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in FRAME_COLUMNS})


def _years_and_floats(frame: pd.DataFrame) -> pd.DataFrame:
    for col in ("range_km", "range_low_km", "range_high_km", "min_range_km"):
        frame[col] = frame[col].astype("float64")
    for col in ("first_tested", "first_deployed", "retired"):
        frame[col] = frame[col].astype("float64").astype("Int64")
    return frame[list(FRAME_COLUMNS)].reset_index(drop=True)


def _finish_typed(frame: pd.DataFrame) -> pd.DataFrame:
    if not len(frame):
        return _years_and_floats(_empty_frame())
    frame = frame.assign(
        sources=frame["sources"].map(" ".join),
        source_ids="",
        nominal_basis="",
    )
    frame["inf_class"] = [
        inf_class_of(b, [r, lo, hi]).value
        for b, r, lo, hi in zip(
            frame["basing"],
            frame["range_km"],
            frame["range_low_km"],
            frame["range_high_km"],
            strict=True,
        )
    ]
    return _years_and_floats(frame)


def _finish_sourced(
    frame: pd.DataFrame, claims: pd.DataFrame, refs: SourceRefs, eliminated: set[str]
) -> pd.DataFrame:
    """Add the figures the claims give, their sources, flags and the derived INF class."""
    if not len(frame):
        return _years_and_floats(_empty_frame())
    figures = derive_figures(claims).reindex(frame["id"])
    ranges = (
        claims.loc[claims["kind"].isin(RANGE_KINDS)]
        .groupby("system_id")["claim_range_km"]
        .agg(list)
    )
    ids_all, urls_all, quality, basis, inf = [], [], [], [], []
    for k, (sid, row_ids) in enumerate(zip(frame["id"], frame["sources"], strict=True)):
        fig = figures.iloc[k]
        fig_ids = (
            str(fig["figure_sources"]).split() if isinstance(fig["figure_sources"], str) else []
        )
        ids = list(dict.fromkeys([*fig_ids, *row_ids]))
        ids_all.append(" ".join(ids))
        urls_all.append(" ".join(refs.urls(ids)))
        drawn = fig["nominal_claim"]
        if pd.notna(drawn) and int(drawn) >= 0:
            c = claims.loc[int(drawn)]
            basis.append(f"{c['claimant']}, {c['date']} ({c['kind']})")
            quality.append(str(fig["quality"]))
        else:
            basis.append("")
            quality.append(figure_quality(refs.kinds(row_ids)))
        inf.append(
            inf_class_of(
                frame["basing"].iloc[k], ranges.get(sid, []), eliminated=sid in eliminated
            ).value
        )
    frame = frame.assign(
        range_km=figures["range_km"].to_numpy(),
        range_low_km=figures["range_low_km"].to_numpy(),
        range_high_km=figures["range_high_km"].to_numpy(),
        sources=urls_all,
        source_ids=ids_all,
        quality=quality,
        nominal_basis=basis,
        inf_class=inf,
    )
    return _years_and_floats(frame)


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
    inf: Sequence[str | InfClass] = (),
) -> pd.DataFrame:
    """Subset the catalogue; empty selections mean "any".

    ``inf_only`` keeps the systems whose INF class is ``in`` or ``disputed`` (a disputed
    system, such as the 9M729, is at the heart of the debate); ``inf`` keeps exactly the
    classes named.

    Raises
    ------
    OptionError
        For a class, status or INF class that does not exist, listing the valid ones.

    Examples
    --------
    >>> cat = load_catalogue()
    >>> "9m729" in set(filter_systems(cat, inf=["disputed"])["id"])
    True
    """
    for value in classes:
        if value not in CLASSES:
            raise OptionError(f"class must be one of {', '.join(CLASSES)}; got {value!r}")
    for value in statuses:
        if value not in STATUSES:
            raise OptionError(f"status must be one of {', '.join(STATUSES)}; got {value!r}")
    wanted = {InfClass.parse(v).value for v in inf}
    mask = pd.Series(True, index=catalogue.index)
    if countries:
        mask &= catalogue["country"].isin([c.upper() for c in countries])
    if classes:
        mask &= catalogue["class"].isin(classes)
    if statuses:
        mask &= catalogue["status"].isin(statuses)
    if inf_only:
        mask &= catalogue["inf_class"].isin([InfClass.IN.value, InfClass.DISPUTED.value])
    if wanted:
        mask &= catalogue["inf_class"].isin(wanted)
    return catalogue.loc[mask].reset_index(drop=True)


#: Catalogue columns shown by :func:`catalogue_table`, in order.
CATALOGUE_VIEW = (
    "name", "country", "class", "basing", "status", "range_km", "range_low_km",
    "range_high_km", "min_range_km", "quality", "nominal_basis", "inf_class", "disputed",
    "source", "notes",
)  # fmt: skip


def catalogue_table(catalogue: pd.DataFrame, claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Build the catalogue's display table.

    It keeps the columns of :data:`CATALOGUE_VIEW`: the quality flag of the nominal
    figure and who gives it, the first source as a link (see :func:`sources_table` for
    all) and whether competing claims exist (``disputed``: more than one figure).

    Examples
    --------
    >>> t = catalogue_table(load_catalogue(), load_claims()).set_index("name")
    >>> bool(t.loc["9M729 (SSC-8 Screwdriver)", "disputed"]), t["source"].dropna().str[:4].unique()
    (True, array(['http'], dtype=object))
    """
    disputed: set[str] = set()
    if claims is not None:
        figures = claims.loc[claims["claim_range_km"].notna()]
        counts = figures.groupby("system_id")["claim_range_km"].nunique()
        disputed = set(counts.index[counts > 1])
    out = catalogue.assign(
        source=catalogue["sources"].astype(str).str.split().str[0],
        disputed=catalogue["id"].isin(disputed),
    )
    return out[list(CATALOGUE_VIEW)].reset_index(drop=True)


def claims_table(claims: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Build the claims' display table, naming each system, newest claim first.

    Examples
    --------
    >>> claims_table(load_claims(), load_catalogue()).columns.tolist()[:4]
    ['system_id', 'system', 'kind', 'claim_range_km']
    """
    names = dict(zip(catalogue["id"], catalogue["name"], strict=True))
    out = claims.assign(system=claims["system_id"].map(names), source=claims["urls"])
    out = out.sort_values(["system_id", "date"], ascending=[True, False], kind="stable")
    cols = ["system_id", "system", "kind", "claim_range_km", "claimant", "date", "quality",
            "source", "note"]  # fmt: skip
    return out[cols].reset_index(drop=True)


def sources_table(catalogue: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (system, source), strongest first, with the kind of each source.

    Parameters
    ----------
    catalogue : pandas.DataFrame
        From :func:`load_catalogue`.
    sources : pandas.DataFrame, optional
        The sources table; with it, each row has the source's kind, publisher, title and
        date (a typed catalogue, citing URLs, has only the URL).

    Examples
    --------
    >>> from rangemap.sources import load_sources
    >>> t = sources_table(load_catalogue(), load_sources())
    >>> list(t.columns), bool(t["source"].str.match("https?://").all())
    (['system', 'kind', 'publisher', 'title', 'published', 'source'], True)
    """
    out = catalogue[["name", "sources"]].assign(source=catalogue["sources"].astype(str).str.split())
    out = out.explode("source").dropna(subset=["source"]).rename(columns={"name": "system"})
    if sources is None:
        return out[["system", "source"]].reset_index(drop=True)
    meta = sources.reset_index().set_index("url")[["kind", "publisher", "title", "published"]]
    out = out.join(meta, on="source")
    return out[["system", "kind", "publisher", "title", "published", "source"]].reset_index(
        drop=True
    )
