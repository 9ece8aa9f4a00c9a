"""Display tables for the dashboard: the library's frames as a person reads them (issue 14).

Each function takes a frame a library function returns and gives a :class:`Table`: a
frame with human column names (units in the header, never in a cell) whose numbers stay
numbers, so that a click on a header sorts them, and the column settings that format them
(``Table.columns``: for each column, the :mod:`streamlit.column_config` class to use and
its keyword arguments; this module imports no streamlit). Text blanks are
:data:`BLANK`; number blanks stay NaN and are shown as :data:`BLANK` by the caller
(``st.dataframe(..., placeholder=BLANK)``).

Rounding: what the data supports
--------------------------------
- **Distances and margins to 10 km.** Launch sites are region-level markers
  (``data/README.md``: "approximate (city/region level)"): a town stands for a brigade
  somewhere in its region, e.g. Kaliningrad city for the 152nd brigade at Chernyakhovsk,
  about 75 km away. A distance from such a marker is uncertain by tens of kilometres, so
  a kilometre digit (let alone ``600.9554``) is false; 10 km is the finest step that is
  not, and still shows a margin shrink as a site moves. In-range answers stay exact (the
  unrounded geodesic distance against the figure): a margin shown as 0 beside a ticked
  "In range" is a place within 5 km of the edge, which the marker cannot settle.
- **Ranges as published**: the catalogue's figures are claims, not measurements; they are
  shown as given (whole kilometres, with thousands separators).
- **Areas to 1,000 km²**: a 10 km shift of a 500 km ring moves about 31,000 km² across
  its edge, so finer digits are noise as well.
- **Populations and counts** as whole numbers with thousands separators; **flight times**
  to 0.1 min as :func:`rangemap.flight.add_flight_times` gives them; a basing candidate's
  **coordinates** (exact grid points) to 0.01°.

Public names
------------
BLANK, Column, Table
    The blank mark; one column's display settings; a display frame with its settings.
coverage_view
    :func:`rangemap.reach.coverage_table` (with flight times): one row per (place,
    system), the bands as columns of margins.
compare_view, compare_command, compare_caption
    :func:`rangemap.reach.compare_sites`: each pair of sites once; the ``rangemap compare``
    command giving the same figures; the sentence saying what is compared and how the
    command line's output differs.
threat_view
    :func:`rangemap.threats.threat_summary`: the (system, place) pairs in range.
catalogue_view, claims_view, sources_view
    :func:`rangemap.catalogue.catalogue_table`, ``claims_table`` and ``sources_table``.
basing_view
    A basing sweep's top sites (:class:`rangemap.sweep.SweepResult` ``top`` and ``label``).
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from rangemap._popups import reader_note
from rangemap.catalogue import Band
from rangemap.errors import RangemapError
from rangemap.population import SETTLEMENTS_LABEL
from rangemap.regions import REGIONS, Region
from rangemap.threats import HYPOTHETICAL_SITE

__all__ = [
    "BLANK",
    "Column",
    "Table",
    "basing_view",
    "catalogue_view",
    "claims_view",
    "compare_caption",
    "compare_command",
    "compare_view",
    "coverage_view",
    "sources_view",
    "threat_view",
]

#: What an empty cell shows.
BLANK = "—"
#: The bands as columns, in the order a reader compares them.
BAND_ORDER = ("low", "nominal", "high")
KM = "%,d"  # distances, margins, ranges, areas (already rounded): "1,230"
COUNT = "%,d"  # populations and counts
MINUTES = "%.1f"
DEGREES = "%.2f"


class Column(NamedTuple):
    """How one column is shown: a :mod:`streamlit.column_config` class and its arguments.

    ``kind`` is ``NumberColumn``, ``TextColumn``, ``CheckboxColumn`` or ``LinkColumn``;
    the caller builds ``getattr(st.column_config, kind)(**options)``.
    """

    kind: str
    options: dict[str, Any]


@dataclass(frozen=True)
class Table:
    """A display frame and its columns' settings (every column of ``frame`` has one)."""

    frame: pd.DataFrame
    columns: dict[str, Column] = field(default_factory=dict)


def _number(fmt: str, help: str | None = None) -> Column:
    return Column("NumberColumn", {"format": fmt} | ({"help": help} if help else {}))


def _text(help: str | None = None) -> Column:
    return Column("TextColumn", {"help": help} if help else {})


def _check(help: str | None = None) -> Column:
    return Column("CheckboxColumn", {"help": help} if help else {})


def _link(help: str | None = None) -> Column:
    return Column("LinkColumn", {"display_text": "open ↗"} | ({"help": help} if help else {}))


def _table(frame: pd.DataFrame, columns: dict[str, Column]) -> Table:
    """Pair a frame with its settings: text columns get :data:`BLANK` for empty cells."""
    out = frame.reset_index(drop=True).copy()
    for name, spec in columns.items():
        if spec.kind in ("TextColumn", "LinkColumn"):
            out[name] = _blanked(out[name], BLANK if spec.kind == "TextColumn" else None)
    return Table(out, {c: columns[c] for c in out.columns})


def _blanked(values: pd.Series, blank: str | None) -> pd.Series:
    """Strings, with NaN, None and empty (or space-only) cells as ``blank``."""
    text = values.astype(object)
    empty = text.isna() | text.map(lambda v: isinstance(v, str) and not v.strip())
    return text.where(~empty, blank).map(lambda v: v if v is None else str(v))


def _round_km(values: npt.ArrayLike, step: float = 10.0) -> npt.NDArray[np.float64]:
    """Round to ``step`` km (NaN stays NaN), with no negative zero."""
    return np.round(np.asarray(values, dtype=float) / step) * step + 0.0


def _whole(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    return np.round(np.asarray(values, dtype=float)) + 0.0


def _as_published(values: pd.Series) -> str:
    """Pick the format that shows figures as published: whole km with separators, else 0.1."""
    v = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    return KM if np.all(v == np.round(v)) else "%.1f"


def _settlement_header(label: str) -> str:
    """Name a settlement count's column from its label (issue 13: never "population" alone)."""
    if label == SETTLEMENTS_LABEL:
        return "Settlement population (GeoNames ≥ 1,000)"
    return label[:1].upper() + label[1:]


def _band_key(band: str) -> tuple[int, str]:
    return (BAND_ORDER.index(band) if band in BAND_ORDER else len(BAND_ORDER), band)


def coverage_view(table: pd.DataFrame, *, in_range_only: bool = False) -> Table:
    """Pool a coverage table to one row per (place, system), the bands as margin columns.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`rangemap.reach.coverage_table`, with or without
        :func:`rangemap.flight.add_flight_times` (one row per place, site, system, band).
    in_range_only : bool
        Keep only the (place, system) pairs some figure reaches from some site.

    Returns
    -------
    Table
        ``Place, Country, System, In range`` (any figure from any site), ``Margin, BAND
        (km)`` for each band present (the best over the sites: positive inside, by that
        much; a system with no ring of its own for a low or high figure, because the
        figure equals its nominal one, shows its nominal margin), ``Nearest site`` (the
        nearest site that reaches the place, else the nearest), ``Distance (km)`` to it,
        ``Sites in range``, and with flight times ``Flight time, shortest (min)`` and
        ``Flight time, longest (min)`` from that site.

    Examples
    --------
    >>> t = pd.DataFrame({"target": ["Riga"] * 4, "country": ["LVA"] * 4,
    ...                   "lat": [56.9] * 4, "lon": [24.1] * 4, "site": ["A", "A", "B", "B"],
    ...                   "system": ["X"] * 4, "band": ["nominal", "high"] * 2,
    ...                   "distance_km": [604.4, 604.4, 286.0, 286.0],
    ...                   "in_range": [False, True, True, True],
    ...                   "margin_km": [-104.4, 95.6, 214.0, 414.0]})
    >>> view = coverage_view(t).frame
    >>> view[["Margin, nominal (km)", "Margin, high (km)", "Nearest site", "Distance (km)"]]
       Margin, nominal (km)  Margin, high (km) Nearest site  Distance (km)
    0                 210.0              410.0            B          290.0
    >>> coverage_view(t.iloc[:0]).frame.columns[:4].tolist()  # no rows, no bands
    ['Place', 'Country', 'System', 'In range']
    """
    t = table.reset_index(drop=True)
    keys = [c for c in ("target", "country", "lat", "lon") if c in t]
    place = t.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    system_code, systems = pd.factorize(t["system"].astype(str))
    group = place * max(len(systems), 1) + system_code  # place-major, systems as listed
    inside = t["in_range"].to_numpy(dtype=bool)
    distance = t["distance_km"].to_numpy(dtype=float)
    # The row each (place, system) is read from: in range first, then the nearest site.
    order = np.lexsort((distance, ~inside, group))
    first = order[np.r_[True, group[order][1:] != group[order][:-1]]] if len(t) else order
    ids = group[first]
    rows = t.iloc[first]
    band_code, band_names = pd.factorize(t["band"].astype(str))  # one pass, not one per row
    bands = sorted(band_names, key=_band_key)
    margins = (
        pd.DataFrame({"g": group, "band": band_names.take(band_code), "m": t["margin_km"]})
        .pivot_table(index="g", columns="band", values="m", aggfunc="max")
        .reindex(index=ids, columns=bands)
    )
    if "nominal" in margins:  # no ring of its own: the figure equals the nominal one
        for band in ("low", "high"):
            if band in margins:
                margins[band] = margins[band].fillna(margins["nominal"])
    reached = pd.Series(inside).groupby(group).any().reindex(ids).to_numpy(dtype=bool)
    n_sites = (
        t.loc[inside].groupby(group[inside])["site"].nunique().reindex(ids, fill_value=0)
    )  # fmt: skip
    frame = pd.DataFrame(
        {
            "Place": rows["target"].to_numpy(),
            "Country": rows["country"].to_numpy() if "country" in rows else "",
            "System": rows["system"].to_numpy(),
            "In range": reached,
            **{f"Margin, {b} (km)": _round_km(margins[b].to_numpy()) for b in bands},
            "Nearest site": rows["site"].to_numpy(),
            "Distance (km)": _round_km(rows["distance_km"].to_numpy()),
            "Sites in range": n_sites.to_numpy(dtype=int),
        }
    )
    columns = {
        "Place": _text(),
        "Country": _text("ISO 3166 alpha-3 code"),
        "System": _text(),
        "In range": _check("Reached by at least one published figure from at least one site"),
        **{
            f"Margin, {b} (km)": _number(
                KM,
                f"How far inside the {b} figure's band the place lies, from the best-placed "
                "site (negative: outside, by that much); 10 km steps: sites are region-level",
            )
            for b in bands
        },
        "Nearest site": _text("The nearest site that reaches the place; if none, the nearest"),
        "Distance (km)": _number(KM, "Geodesic (WGS84) distance from that site, to 10 km"),
        "Sites in range": _number(COUNT, "Sites from which some figure reaches the place"),
    }
    for column, name, help in (
        ("flight_time_min_low", "Flight time, shortest (min)", "From the nearest site listed"),
        ("flight_time_min_high", "Flight time, longest (min)", "From the nearest site listed"),
    ):
        if column in rows:
            frame[name] = np.round(rows[column].to_numpy(dtype=float), 1)
            columns[name] = _number(MINUTES, help)
    if in_range_only:
        frame = frame.loc[frame["In range"]]
    return _table(frame, columns)


def compare_view(table: pd.DataFrame) -> Table:
    """Keep each pair of sites once, from a :func:`rangemap.reach.compare_sites` table.

    :func:`~rangemap.reach.compare_sites` lists every ordered pair, (A, B) then later
    (B, A) with the sides swapped (itertools.permutations order); this keeps the pairs
    with A before B in the sites' order, which hold every figure.

    Returns
    -------
    Table
        ``Site A, Site B``; ``Area, A only / B only / both (km²)``; ``Cities, ...``
        (shipped cities ≥ 100,000 and capitals), ``Capitals, A only / B only`` (names),
        ``Capitals, both`` (count), ``City population, A only / B only``; with settlements
        ``Settlement population (GeoNames ≥ 1,000), A only / B only / both`` (the
        table's ``attrs["settlement_label"]``); ``Countries, A only / B only``.

    Raises
    ------
    RangemapError
        When the row count is not n (n - 1) for some n (not a compare_sites table).

    Examples
    --------
    >>> t = pd.DataFrame({"site_a": ["P", "Q"], "site_b": ["Q", "P"],
    ...                   "area_a_only_km2": [1499.9, 25.0], "capitals_a_only": ["", "Oslo"]})
    >>> compare_view(t).frame.values.tolist()
    [['P', 'Q', 1000.0, '—']]
    """
    n = round((1 + (1 + 4 * len(table)) ** 0.5) / 2) if len(table) else 0
    if n * (n - 1) != len(table):
        raise RangemapError(
            f"compare_view: {len(table)!r} rows is not n (n - 1) ordered pairs of n sites"
        )
    keep = [a < b for a in range(n) for b in range(n) if a != b]
    t = table.reset_index(drop=True).loc[keep]
    label = _settlement_header(table.attrs.get("settlement_label", SETTLEMENTS_LABEL))
    cities = "Shipped cities of 100,000 people or more, and capitals (GeoNames)"
    area, city = _number(KM, "WGS84 ellipsoid"), _number(COUNT, cities)
    spec = {  # source column -> (name, settings)
        "site_a": ("Site A", _text()), "site_b": ("Site B", _text()),
        "area_a_only_km2": ("Area, A only (km²)", area),
        "area_b_only_km2": ("Area, B only (km²)", area),
        "overlap_km2": ("Area, both (km²)", area),
        "cities_a_only": ("Cities, A only", city), "cities_b_only": ("Cities, B only", city),
        "cities_shared": ("Cities, both", city),
        "capitals_a_only": ("Capitals, A only", _text()),
        "capitals_b_only": ("Capitals, B only", _text()),
        "capitals_shared": ("Capitals, both", _number(COUNT)),
        "population_a_only": ("City population, A only", city),
        "population_b_only": ("City population, B only", city),
        "settlement_population_a_only": (f"{label}, A only", _number(COUNT)),
        "settlement_population_b_only": (f"{label}, B only", _number(COUNT)),
        "settlement_population_shared": (f"{label}, both", _number(COUNT)),
        "countries_a_only": ("Countries, A only", _text("Natural Earth 1:110m")),
        "countries_b_only": ("Countries, B only", _text("Natural Earth 1:110m")),
    }  # fmt: skip
    frame, columns = pd.DataFrame(index=t.index), {}
    for source, (name, column) in spec.items():
        if source not in t:
            continue
        if column.kind != "NumberColumn":
            frame[name] = t[source]
        else:  # areas to 1,000 km², counts whole
            frame[name] = _round_km(t[source], 1000.0) if "km2" in source else _whole(t[source])
        columns[name] = column
    return _table(frame, columns)


def _region_text(region: str | None) -> str:
    if region is None or Region.parse(region) is Region.WORLD:
        return "over the whole world"
    west, south, east, north = REGIONS[Region.parse(region)]
    box = f"{_degrees(west, 'W', 'E')}–{_degrees(east, 'W', 'E')}, "
    box += f"{_degrees(south, 'S', 'N')}–{_degrees(north, 'S', 'N')}"
    return f"within the {str(region).replace('-', ' ').title()} box ({box})"


def _degrees(value: float, negative: str, positive: str) -> str:
    return f"{abs(value):g}°{negative if value < 0 else positive}"


def _chosen(bands: str | Sequence[str]) -> tuple[str, ...]:
    """Return the bands chosen, low to high (``"all"``: the three)."""
    given = [Band.parse(b) for b in ([bands] if isinstance(bands, str) else bands)]
    return BAND_ORDER if Band.ALL in given else tuple(b for b in BAND_ORDER if b in given)


def _cli_band(chosen: tuple[str, ...]) -> str:
    """Return the ``--band`` that gives the same pooled reach as the chosen bands.

    A system's figures nest (low <= nominal <= high, checked on loading, with one minimum
    range), so pooled rings reach what the largest chosen figure reaches: two or three
    bands up to high are ``--band all``, low and nominal are ``--band nominal``.
    """
    if len(chosen) == 1:
        return chosen[0]
    return "all" if "high" in chosen else "nominal"


def compare_command(
    rings: pd.DataFrame,
    *,
    bands: str | Sequence[str],
    region: str | None,
    shipped: pd.DataFrame,
    as_of: str | None = None,
    reported_sites: bool = False,
) -> str:
    """Write the ``rangemap compare`` command that gives the same figures for the rings.

    Parameters
    ----------
    rings : pandas.DataFrame
        The rings passed to :func:`rangemap.reach.compare_sites` (``system_id, site_id,
        lat, lon``): their systems, and their sites in the same order.
    bands : str or sequence of str
        The bands the rings were drawn for (``low``, ``nominal``, ``high``; ``all``).
    region : str or None
        The region passed to ``compare_sites`` (``world`` or None: no ``--region``).
    shipped : pandas.DataFrame
        The shipped sites (``id, lat, lon``): a site that is one of them is named by its
        id, any other by its coordinates.
    as_of : str, optional
        The deployments' date: then ``--as-of`` instead of ``--site``.
    reported_sites : bool
        With ``as_of``: ``--reported-sites``.

    Raises
    ------
    OptionError
        For an unknown band, listing the bands.

    Examples
    --------
    >>> rings = pd.DataFrame({"system_id": ["x", "x"], "site_id": ["k", "u1"],
    ...                       "lat": [54.71, -17.7], "lon": [20.51, 178.1]})
    >>> shipped = pd.DataFrame({"id": ["k"], "lat": [54.71], "lon": [20.51]})
    >>> compare_command(rings, bands=("nominal", "high"), region="world", shipped=shipped)
    'rangemap compare --system x --site k --site -17.7,178.1 --band all'
    >>> compare_command(rings, bands=["low", "nominal"], region="europe", shipped=shipped)[-34:]
    '--site -17.7,178.1 --region europe'
    """
    known = {(str(i), float(la), float(lo)) for i, la, lo in shipped[["id", "lat", "lon"]].values}
    words = ["rangemap", "compare"]
    words += [w for s in dict.fromkeys(rings["system_id"].astype(str)) for w in ("--system", s)]
    if as_of:
        words += ["--as-of", str(as_of)] + (["--reported-sites"] if reported_sites else [])
    else:
        first = rings.drop_duplicates("site_id")
        for sid, lat, lon in first[["site_id", "lat", "lon"]].values:
            shown = str(sid) if (str(sid), float(lat), float(lon)) in known else (
                f"{float(lat)!r},{float(lon)!r}")  # fmt: skip
            words += ["--site", shown]
    return " ".join(shlex.quote(w) for w in words + _cli_options(_chosen(bands), region))


def _cli_options(chosen: tuple[str, ...], region: str | None) -> list[str]:
    """Return the options where the dashboard's choice is not the command line's default."""
    band = _cli_band(chosen)
    options = ["--band", band] if band != "nominal" else []
    if region is not None and Region.parse(region) is not Region.WORLD:
        options += ["--region", str(region)]
    return options


def compare_caption(
    rings: pd.DataFrame,
    *,
    bands: str | Sequence[str],
    region: str | None,
    shipped: pd.DataFrame,
    settlement_label: str = SETTLEMENTS_LABEL,
    as_of: str | None = None,
    reported_sites: bool = False,
) -> str:
    """Say what the compare table compares, and how ``rangemap compare``'s output differs.

    Parameters are as for :func:`compare_command`; ``settlement_label`` is the compare
    table's ``attrs["settlement_label"]``. Markdown (commands in backticks).

    Examples
    --------
    >>> rings = pd.DataFrame({"system_id": ["x"] * 2, "site_id": ["k", "b"],
    ...                       "lat": [54.71, 53.31], "lon": [20.51, 28.63]})
    >>> shipped = pd.DataFrame({"id": ["k", "b"], "lat": [54.71, 53.31], "lon": [20.51, 28.63]})
    >>> text = compare_caption(rings, bands="all", region="europe", shipped=shipped)
    >>> text[:60]
    'Each pair of sites once: what the rings at site A reach that'
    >>> "defaults, the nominal figure only and the whole world" in text
    True
    """
    chosen = _chosen(bands)
    if len(chosen) == 1:
        figures = f"the {chosen[0]} figure of each chosen system (systems without one left out)"
    else:
        figures = (
            f"the {', '.join(chosen[:-1])} and {chosen[-1]} figures of each chosen system, "
            "pooled: a place counts as reached if any of them reaches it (as the figures "
            "nest, that is what the largest of them reaches)"
        )
    what = (
        "Each pair of sites once: what the rings at site A reach that those at site B do not "
        f"(A only), the reverse (B only) and what both reach, from {figures}, "
        f"{_region_text(region)}. Areas are on the WGS84 ellipsoid, to 1,000 km²; cities are "
        "the shipped cities of 100,000 people or more and the capitals, and city population "
        f"is their sum; settlement population is the {settlement_label}, each settlement "
        "counted once however many rings reach it. "
    )
    command = compare_command(rings, bands=chosen, region=region, shipped=shipped, as_of=as_of,
                              reported_sites=reported_sites)  # fmt: skip
    if as_of:
        cli = (
            f"The command line compares every site deployed then: `{command}` (add "
            "`--max-sites N` past 20 sites); its rows for these pairs hold these figures. "
        )
    else:
        cli = f"The command line gives the same figures with `{command}`. "
    if options := _cli_options(chosen, region):
        cli += (
            f"Without `{' '.join(options)}` it uses its defaults, the nominal figure only and "
            "the whole world, so its figures differ. "
        )
    twice = "It also lists each pair twice (A, B, then B, A with the sides swapped) and prints "
    return what + cli + twice + "areas to 1 km²."


def threat_view(summary: pd.DataFrame) -> Table:
    """Show the (system, place) pairs in range of a :func:`rangemap.threats.threat_summary`.

    Returns
    -------
    Table
        ``System's country, Place, System, From`` (where deployed, or a site of its
        country if based there), ``Figures in range``, ``Sites in range``, ``Sites``,
        ``Nearest site``, ``Nearest site (km)`` (10 km), ``Launchers, low / high``
        (the system's published count overall, not per site), ``Launchers as of``, and the
        most settlement population within one ring of the system (named by the summary's
        ``attrs["settlement_label"]``).

    Examples
    --------
    >>> s = pd.DataFrame({"system_country": ["CHN"], "target": ["Seoul"], "system": ["DF-26"],
    ...     "basis": ["deployed"], "in_range": [True], "bands_in_range": ["nominal/high"],
    ...     "sites_in_range": [3], "n_sites": [3], "nearest_site": ["Dalian"],
    ...     "min_distance_km": [761.3], "launchers_low": [350.0], "launchers_high": [None],
    ...     "launchers_as_of": [None], "max_settlement_population_in_range": [1.5e9]})
    >>> threat_view(s).frame.values.tolist()[0][4:]
    ['nominal, high', 3, 3, 'Dalian', 760.0, 350.0, nan, '—', 1500000000.0]
    """
    shown = summary.loc[summary["in_range"].astype(bool)] if len(summary) else summary
    label = _settlement_header(summary.attrs.get("settlement_label", SETTLEMENTS_LABEL))
    settled = f"{label}, most in range of one site"
    frame = pd.DataFrame(
        {
            "System's country": shown["system_country"].to_numpy(),
            "Place": shown["target"].to_numpy(),
            "System": shown["system"].to_numpy(),
            "From": np.where(shown["basis"] == HYPOTHETICAL_SITE,
                             "a site of its country (if based there)", "where deployed"),
            "Figures in range": shown["bands_in_range"].astype(str).str.replace("/", ", "),
            "Sites in range": shown["sites_in_range"].to_numpy(dtype=int),
            "Sites": shown["n_sites"].to_numpy(dtype=int),
            "Nearest site": shown["nearest_site"].to_numpy(),
            "Nearest site (km)": _round_km(shown["min_distance_km"].to_numpy(dtype=float)),
            "Launchers, low": _whole(pd.to_numeric(shown["launchers_low"], errors="coerce")),
            "Launchers, high": _whole(pd.to_numeric(shown["launchers_high"], errors="coerce")),
            "Launchers as of": shown["launchers_as_of"].to_numpy(),
            settled: _whole(pd.to_numeric(shown["max_settlement_population_in_range"],
                                          errors="coerce")),
        }
    )  # fmt: skip
    launchers = "The system's published launcher count overall, not per site"
    return _table(frame, {
        "System's country": _text(), "Place": _text(), "System": _text(), "From": _text(),
        "Figures in range": _text("The published figures that reach the place from a site"),
        "Sites in range": _number(COUNT), "Sites": _number(COUNT), "Nearest site": _text(),
        "Nearest site (km)": _number(KM, "Geodesic (WGS84) distance, to 10 km"),
        "Launchers, low": _number(COUNT, launchers), "Launchers, high": _number(COUNT, launchers),
        "Launchers as of": _text(),
        settled: _number(COUNT, "Within any one of the row's rings, reaching the place or not"),
    })  # fmt: skip


def _codes(values: pd.Series) -> pd.Series:
    """Write data codes as words: ``max-range-estimate`` -> ``max range estimate``."""
    return values.astype(object).map(lambda v: v.replace("-", " ") if isinstance(v, str) else v)


def catalogue_view(table: pd.DataFrame) -> Table:
    """Name the columns of :func:`rangemap.catalogue.catalogue_table` for people.

    Examples
    --------
    >>> from rangemap.catalogue import catalogue_table, load_catalogue
    >>> view = catalogue_view(catalogue_table(load_catalogue()))
    >>> view.frame.columns[:6].tolist(), view.columns["Range (km)"].options["format"]
    (['System', 'Country', 'Class', 'Basing', 'Status', 'Range (km)'], '%,d')
    >>> bool(view.frame["Notes"].str.contains("FLAG:|range_km").any())  # words for readers
    False
    """
    names = {
        "name": "System", "country": "Country", "class": "Class", "basing": "Basing",
        "status": "Status", "range_km": "Range (km)", "range_low_km": "Range, low (km)",
        "range_high_km": "Range, high (km)", "min_range_km": "Minimum range (km)",
        "quality": "Quality flag", "nominal_basis": "Nominal figure from",
        "inf_class": "INF class", "disputed": "Competing claims", "source": "Source",
        "notes": "Notes",
    }  # fmt: skip
    frame = table.rename(columns=names)[[n for c, n in names.items() if c in table]]
    frame["Quality flag"] = _codes(frame["Quality flag"])
    if "Notes" in frame:  # the curator's shorthand ("FLAG:", column names) as sentences
        frame["Notes"] = frame["Notes"].map(lambda v: reader_note(v) if isinstance(v, str) else v)
    columns = {n: _text() for n in frame.columns}
    for name, help in (
        ("Range (km)", "The nominal figure: the most-cited published range"),
        ("Range, low (km)", "The lowest published figure"),
        ("Range, high (km)", "The highest published figure"),
        ("Minimum range (km)", "Where published"),
    ):
        columns[name] = _number(_as_published(frame[name]), help)
    columns |= {
        "Quality flag": _text("Set when no official, think-tank, academic or wire source backs "
                              "the nominal figure"),
        "Nominal figure from": _text("Who gives the nominal figure, and when"),
        "INF class": _text("Derived: in (ground-launched, 500–5,500 km), disputed, out"),
        "Competing claims": _check("More than one figure is claimed (the claims table below)"),
        "Source": _link("The first source; every source is under 'Every source, by kind'"),
    }  # fmt: skip
    return _table(frame, columns)


def claims_view(table: pd.DataFrame) -> Table:
    """Name the columns of :func:`rangemap.catalogue.claims_table` for people.

    A claim citing several pages links the first and lists the others as text.

    Examples
    --------
    >>> t = pd.DataFrame({"system_id": ["x"], "system": ["X"], "kind": ["maker-claim"],
    ...     "claim_range_km": [480.0], "claimant": ["Maker"], "date": ["2019-01"],
    ...     "quality": [""], "source": ["https://a.example https://b.example"], "note": [""]})
    >>> claims_view(t).frame.values.tolist()[0][:7]
    ['X', 'maker claim', 480.0, 'Maker', '2019-01', '—', 'https://a.example']
    >>> claims_view(t).frame.values.tolist()[0][7:]
    ['https://b.example', '—']
    """
    urls = table["source"].astype(object).map(lambda v: v.split() if isinstance(v, str) else [])
    frame = pd.DataFrame(
        {
            "System": table["system"].to_numpy(),
            "Kind": _codes(table["kind"]).to_numpy(),
            "Claimed range (km)": pd.to_numeric(table["claim_range_km"]).to_numpy(dtype=float),
            "Claimant": table["claimant"].to_numpy(),
            "Date": table["date"].to_numpy(),
            "Quality flag": _codes(table["quality"]).to_numpy(),
            "Source": [u[0] if u else None for u in urls],
            "More sources": [" ".join(u[1:]) for u in urls],
            "Note": table["note"].to_numpy(),
        }
    )
    columns = {n: _text() for n in frame.columns}
    columns |= {
        "Claimed range (km)": _number(_as_published(frame["Claimed range (km)"])),
        "Quality flag": _text("Set when no official, think-tank, academic or wire source "
                              "backs the claim"),
        "Source": _link(),
    }  # fmt: skip
    return _table(frame, columns)


def sources_view(table: pd.DataFrame) -> Table:
    """Name the columns of :func:`rangemap.catalogue.sources_table` for people.

    Examples
    --------
    >>> t = pd.DataFrame({"system": ["X"], "source": ["https://a.example"]})
    >>> sources_view(t).frame.columns.tolist()
    ['System', 'Source']
    """
    names = {"system": "System", "kind": "Kind", "publisher": "Publisher", "title": "Title",
             "published": "Published", "source": "Source"}  # fmt: skip
    frame = table.rename(columns=names)[[n for c, n in names.items() if c in table]]
    columns = {n: _text() for n in frame.columns} | {"Source": _link()}
    return _table(frame, columns)


def basing_view(top: pd.DataFrame, *, label: str) -> Table:
    """Show a basing sweep's top sites: rank, nearest settlement, position, exact value.

    Parameters
    ----------
    top : pandas.DataFrame
        :attr:`rangemap.sweep.SweepResult.top` (``rank, near, lat, lon, value_exact``).
    label : str
        :attr:`rangemap.sweep.SweepResult.label`: what the value counts.

    Examples
    --------
    >>> top = pd.DataFrame({"rank": [1], "near": [""], "lat": [50.2177], "lon": [18.0841],
    ...                     "value_exact": [1234567.4]})
    >>> view = basing_view(top, label=SETTLEMENTS_LABEL)
    >>> view.frame.values.tolist(), view.frame.columns[-1]
    ([[1, '—', 50.22, 18.08, 1234567.0]], 'Settlement population (GeoNames ≥ 1,000)')
    """
    value = _settlement_header(label)
    frame = pd.DataFrame(
        {
            "Rank": top["rank"].to_numpy(dtype=int),
            "Nearest settlement": top["near"].to_numpy(),
            "Latitude (°)": np.round(top["lat"].to_numpy(dtype=float), 2),
            "Longitude (°)": np.round(top["lon"].to_numpy(dtype=float), 2),
            value: _whole(top["value_exact"].to_numpy(dtype=float)),
        }
    )
    return _table(frame, {
        "Rank": _number(COUNT), "Nearest settlement": _text("Shipped settlement, distance"),
        "Latitude (°)": _number(DEGREES), "Longitude (°)": _number(DEGREES),
        value: _number(COUNT, "An exact recount at the site (the map's cells are the screen)"),
    })  # fmt: skip
