"""The threat census: who can reach a city, from where, how far inside range, how fast.

For each target, every (system, site, band) that could strike it, one row each, with the
exact WGS84 distance, the margin to the edge of the band, the flight time, the published
launcher count of the system, and the population of settlements ≥ 1,000 (GeoNames)
within that ring (:func:`rangemap.population.population_in_rings`: the same for every
target, computed once per ring).

Two kinds of (system, site) pair, kept apart in the ``status`` column:

- **deployments**: the dated deployments under way on the as-of day
  (``data/deployments.csv``, through :func:`rangemap.deployments.deployment_rows`), with
  the deployment's own status (``reported``, ``claimed``, ``exercise``);
- **hypothetical sites** (``every_site=True``): every catalogue system with a range
  figure at every shipped site of its own country (the ``country`` of ``data/sites.csv``
  equal to the system's), status ``hypothetical-site``. These rows say what a system
  *could reach if based there*; they are not deployments and no source places the system
  at those sites.

Every in-range answer is an exact geodesic distance compared with the range figure and
the minimum range (:func:`rangemap.reach.coverage_table`), never a point-in-polygon test.

Public names
------------
MAX_CENSUS_ROWS, HYPOTHETICAL_SITE, CENSUS_COLUMNS, SUMMARY_COLUMNS
    The row limit, the status of a hypothetical site, the columns of the two tables.
threat_census
    One row per (target, system, site, band): distance, margin, in range, flight time,
    launchers.
threat_summary
    One row per (target, system's country, system): bands and sites in range, nearest
    distance, launchers (once per system).
own_country_rows, threat_rings
    Ring rows of every system at every shipped site of its own country (hypothetical);
    the rows a census or a density counts on a day.
threat_table
    The summary's pairs in range for people: named columns, rounded, blanks as "—".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd

from rangemap.catalogue import Band, load_catalogue
from rangemap.deployments import DEFAULT_STATUSES, deployment_rows, parse_as_of
from rangemap.errors import SiteError, TargetError
from rangemap.flight import Timing, add_flight_times
from rangemap.flightgeo import load_timings
from rangemap.inventory import latest_launchers, load_inventory
from rangemap.population import (
    SETTLEMENTS_LABEL,
    Population,
    load_settlements,
    population_in_rings,
)
from rangemap.reach import coverage_table
from rangemap.rings import join_sites
from rangemap.sites import load_sites
from rangemap.targets import MAX_NAMED_TARGETS

__all__ = [
    "CENSUS_COLUMNS",
    "HYPOTHETICAL_SITE",
    "MAX_CENSUS_ROWS",
    "SUMMARY_COLUMNS",
    "own_country_rows",
    "threat_census",
    "threat_rings",
    "threat_summary",
    "threat_table",
]

#: Most rows (targets x ring rows) one census builds unless its caller raises
#: ``max_rows``. Every system in every band at every shipped site of its own country is
#: about 900 ring rows, so the default lets the MAX_NAMED_TARGETS (1,000) targets of a
#: command line through with ``every_site``; past it the table alone takes gigabytes.
MAX_CENSUS_ROWS = 1_000_000

#: The ``status`` of a (system, site) pair that is no deployment: a site of the system's
#: own country, listed to show what the system could reach if based there.
HYPOTHETICAL_SITE = "hypothetical-site"

CENSUS_COLUMNS = (
    "target", "target_country", "system_id", "system", "system_country", "site_id", "site",
    "site_country", "status", "deployment", "band", "radius_km", "min_radius_km",
    "distance_km", "margin_km", "in_range", "flight_time_min_low", "flight_time_min_high",
    "time_model", "launchers_low", "launchers_high", "launchers_as_of",
    "launchers_class_total", "settlement_population_in_range",
)  # fmt: skip

SUMMARY_COLUMNS = (
    "target", "target_country", "system_country", "system_id", "system", "basis",
    "in_range", "bands_in_range", "sites_in_range", "n_sites", "nearest_site",
    "min_distance_km", "statuses", "launchers_low", "launchers_high", "launchers_as_of",
    "launchers_class_total", "max_settlement_population_in_range",
)  # fmt: skip

#: Order of the bands within a (target, system, site): as join_sites lists them.
_BAND_ORDER = {"nominal": 0, "low": 1, "high": 2}
_LAUNCHER_COLUMNS = ("launchers_low", "launchers_high", "launchers_as_of", "launchers_class_total")


def own_country_rows(
    catalogue: pd.DataFrame, sites: pd.DataFrame, band: Band, deployed: pd.DataFrame
) -> pd.DataFrame:
    """Ring rows of every system at every site of its own country not already deployed."""
    if "country" not in sites:
        return deployed.iloc[0:0]
    frames = []
    for country, systems in catalogue.groupby("country", sort=False):
        here = sites.loc[sites["country"].astype(str) == str(country)]
        if len(here):
            frames.append(join_sites(systems, here, band=band.value))
    if not frames:
        return deployed.iloc[0:0]
    rows = pd.concat(frames, ignore_index=True)
    taken = set(zip(deployed["system_id"], deployed["site_id"], strict=True))
    fresh = [pair not in taken for pair in zip(rows["system_id"], rows["site_id"], strict=True)]
    return rows.loc[fresh].assign(deployment_status=HYPOTHETICAL_SITE, deployment="")


def _empty_census(label: str) -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype=object) for c in CENSUS_COLUMNS})
    out.attrs["settlement_label"] = label
    return out


def threat_rings(
    as_of: str | date | None = None,
    *,
    band: str | Band = Band.NOMINAL,
    every_site: bool = False,
    statuses: Sequence[str] = DEFAULT_STATUSES,
    catalogue: pd.DataFrame | None = None,
    sites: gpd.GeoDataFrame | None = None,
    deployments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the (system, site, band) rows a census or a density counts on a day.

    Parameters
    ----------
    as_of : str or datetime.date, optional
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; default today.
    band : {"nominal", "low", "high"}
        Which published figure draws each pair.
    every_site : bool
        Add every system at every shipped site of its own country (``hypothetical-site``).

    Returns
    -------
    pandas.DataFrame
        As :func:`rangemap.deployments.deployment_rows` returns.

    Examples
    --------
    >>> rows = threat_rings("1987-12-08")
    >>> sorted(set(rows["system_id"]))
    ['bgm-109g', 'pershing-1a', 'pershing-2']
    """
    day = date.today() if as_of is None else parse_as_of(as_of)
    chosen = Band.parse(band)
    cat = load_catalogue() if catalogue is None else catalogue
    site_table = load_sites() if sites is None else sites
    rows = deployment_rows(day, band=chosen, statuses=statuses, catalogue=cat,
                           sites=site_table, deployments=deployments)  # fmt: skip
    if every_site:
        extra = own_country_rows(cat, site_table, chosen, rows)
        rows = pd.concat([rows, extra], ignore_index=True) if len(extra) else rows
    return rows.reset_index(drop=True)


def threat_census(
    targets: gpd.GeoDataFrame,
    *,
    as_of: str | date | None = None,
    band: str | Band = Band.ALL,
    every_site: bool = False,
    catalogue: pd.DataFrame | None = None,
    sites: gpd.GeoDataFrame | None = None,
    deployments: pd.DataFrame | None = None,
    inventory: pd.DataFrame | None = None,
    timings: dict[str, Timing] | None = None,
    max_targets: int = MAX_NAMED_TARGETS,
    max_rows: int = MAX_CENSUS_ROWS,
    population: Population | None = None,
) -> pd.DataFrame:
    """List who can reach each target: one row per (target, system, site, band).

    Parameters
    ----------
    targets : geopandas.GeoDataFrame
        ``name, country, lat, lon`` (from :func:`rangemap.targets.resolve_targets` or
        :func:`rangemap.targets.load_targets`); at most ``max_targets`` of them.
    as_of : str or datetime.date, optional
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a year or month means its last day);
        default today. Picks the deployments under way (default statuses: reported,
        claimed, exercise) and the launcher counts published by then.
    band : {"all", "nominal", "low", "high"}
        ``all``: each published figure of a system as its own row (a low or high figure
        equal to the nominal one is not repeated); else that figure only, systems without
        it left out.
    every_site : bool
        Also list every catalogue system with a range figure at every shipped site of its
        own country, status :data:`HYPOTHETICAL_SITE`: what it *could reach if based
        there*, not a deployment. A pair already deployed that day keeps its deployment
        row only. Retired and untested systems are listed too; a site's country must equal
        the system's (no Soviet ``SUN`` system gets a Russian or Belarusian site).
    catalogue, sites, deployments, inventory : pandas.DataFrame, optional
        Tables to use instead of the shipped ones.
    timings : dict, optional
        System id -> :class:`rangemap.flight.Timing`; default the shipped speeds and boost
        times (:func:`rangemap.flightgeo.load_timings`).
    max_targets : int
        Most targets (default :data:`rangemap.targets.MAX_NAMED_TARGETS`).
    max_rows : int
        Most rows, targets x ring rows (default :data:`MAX_CENSUS_ROWS`).
    population : rangemap.population.Population, optional
        Points with counts for ``settlement_population_in_range``; default the shipped
        settlements (:func:`rangemap.population.load_settlements`), or a user's raster or
        points.

    Returns
    -------
    pandas.DataFrame
        :data:`CENSUS_COLUMNS`, in range or not (filter on ``in_range``), sorted by
        ``system_country``, then target (in the order given), in-range rows first, then
        ``distance_km``. ``distance_km`` is the exact geodesic distance from the site;
        ``margin_km`` is positive inside (the distance to the nearer edge of the band,
        the minimum range counting as an edge) and negative outside; ``in_range`` is
        ``min_radius_km <= distance_km <= radius_km``. ``flight_time_min_low``/``_high``
        come from :func:`rangemap.flight.add_flight_times` for every row (blank where
        the system has no time model or no published parameter, ``time_model`` saying
        which): they mean something only where ``in_range``. ``launchers_low``/``_high``
        are the system's launchers *overall*, held by its own country (the latest
        published figure on or before ``as_of``, ``launchers_as_of`` its date), NOT the
        launchers at that site; blank where none is published.
        ``launchers_class_total`` is True where the figure counts a whole class
        ("CLASS TOTAL" in the inventory's note), not the system alone.
        ``settlement_population_in_range`` is the population within the row's ring (its
        band, by exact geodesic distance from its site), the same for every target:
        "population of settlements ≥ 1,000 (GeoNames)" by default, the label every output
        must give it, kept in ``attrs["settlement_label"]`` (``population.label``).

    Raises
    ------
    TargetError
        Over ``max_targets`` targets, naming the limit and how to raise it.
    SiteError
        Over ``max_rows`` rows, naming the limit and how to raise it; checked before any
        distance is computed.
    OptionError
        For a bad ``as_of`` or ``band``.

    Examples
    --------
    >>> from rangemap.targets import resolve_targets
    >>> census = threat_census(resolve_targets(["Seoul"]), as_of="2026-06-30")
    >>> sorted(set(census.loc[census["in_range"], "system_id"]))
    ['df-26', 'tomahawk-typhon']
    >>> census.loc[census["system_id"] == "tomahawk-typhon", ["band", "in_range"]].values.tolist()
    [['high', True], ['nominal', False]]
    >>> bool(threat_census(resolve_targets(["-45,-20"]), as_of="2026")["in_range"].any())
    False
    >>> census.attrs["settlement_label"]
    'population of settlements ≥ 1,000 (GeoNames)'
    >>> threat_census(resolve_targets(["Seoul", "Tokyo"]), max_targets=1)
    Traceback (most recent call last):
    ...
    rangemap.errors.TargetError: threat_census: 2 targets, over the limit of 1; ...
    """
    if len(targets) > max_targets:  # before any table is read
        raise TargetError(
            f"threat_census: {len(targets):,} targets, over the limit of {max_targets:,}; "
            "give fewer targets, or raise it with max_targets= (the default is "
            "rangemap.targets.MAX_NAMED_TARGETS)"
        )
    day = date.today() if as_of is None else parse_as_of(as_of)
    chosen = Band.parse(band)
    cat = load_catalogue() if catalogue is None else catalogue
    site_table = load_sites() if sites is None else sites
    rings = threat_rings(day, band=chosen, every_site=every_site, catalogue=cat,
                         sites=site_table, deployments=deployments)  # fmt: skip
    n_rows = len(rings) * len(targets)
    if n_rows > max_rows:  # before any distance, flight time or row is computed
        raise SiteError(
            f"threat_census: {len(targets):,} targets x {len(rings):,} (system, site, band) "
            f"rows = {n_rows:,} rows, over the limit of {max_rows:,}; give fewer targets or "
            "one band, leave out every_site, or raise it with max_rows= (rangemap threats "
            "--max-rows N)"
        )
    if n_rows == 0:
        return _empty_census(SETTLEMENTS_LABEL if population is None else population.label)
    pop = load_settlements() if population is None else population
    ids = set(rings["system_id"].astype(str))
    times = load_timings(cat.loc[cat["id"].isin(ids)]) if timings is None else timings
    table = add_flight_times(coverage_table(rings, targets), rings, times)
    n_t = len(targets)
    system_country = dict(zip(cat["id"].astype(str), cat["country"].astype(str), strict=True))
    site_country = (
        dict(zip(site_table["id"].astype(str), site_table["country"].astype(str), strict=True))
        if "country" in site_table
        else {}
    )

    def per_ring(values: object) -> np.ndarray:
        return np.repeat(np.asarray(values, dtype=object), n_t)

    system_ids = rings["system_id"].astype(str)
    out = pd.DataFrame(
        {
            "target": table["target"].to_numpy(),
            "target_country": table["country"].fillna("").to_numpy(),
            "system_id": per_ring(system_ids),
            "system": per_ring(rings["system"]),
            "system_country": per_ring(system_ids.map(system_country).fillna("")),
            "site_id": per_ring(rings["site_id"].astype(str)),
            "site": per_ring(rings["site"]),
            "site_country": per_ring(rings["site_id"].astype(str).map(site_country).fillna("")),
            "status": per_ring(rings["deployment_status"]),
            "deployment": per_ring(rings["deployment"]),
            "band": table["band"].to_numpy(),
            "radius_km": table["radius_km"].to_numpy(dtype=float),
            "min_radius_km": table["min_radius_km"].to_numpy(dtype=float),
            "distance_km": table["distance_km"].to_numpy(dtype=float),
            "margin_km": table["margin_km"].to_numpy(dtype=float),
            "in_range": table["in_range"].to_numpy(dtype=bool),
            "flight_time_min_low": table["flight_time_min_low"].to_numpy(dtype=float),
            "flight_time_min_high": table["flight_time_min_high"].to_numpy(dtype=float),
            "time_model": table["model"].to_numpy(),
            # Once per ring (a few dozen sites settled), never once per target.
            "settlement_population_in_range": np.repeat(population_in_rings(pop, rings), n_t),
            "_target": np.tile(np.arange(n_t), len(rings)),
        }
    )
    inv = load_inventory() if inventory is None else inventory
    out = out.merge(latest_launchers(inv, day, cat), on="system_id", how="left")
    out["launchers_class_total"] = out["launchers_class_total"].astype("boolean")
    out = out.assign(_band=out["band"].map(_BAND_ORDER).fillna(len(_BAND_ORDER)))
    out = out.sort_values(
        ["system_country", "_target", "in_range", "distance_km", "system_id", "site_id", "_band"],
        ascending=[True, True, False, True, True, True, True],
        kind="stable",
    )
    out = out[list(CENSUS_COLUMNS)].reset_index(drop=True)
    out.attrs["settlement_label"] = pop.label
    return out


def threat_summary(census: pd.DataFrame) -> pd.DataFrame:
    """One row per (target, system's country, system) of a :func:`threat_census`.

    Deployments and hypothetical sites are never pooled: ``basis`` is ``deployed`` or
    :data:`HYPOTHETICAL_SITE`, so a census with ``every_site`` may give a system two rows
    for one target (what it reaches from where it stands, and what it could reach if
    based at the other sites of its country).

    Parameters
    ----------
    census : pandas.DataFrame
        From :func:`threat_census`.

    Returns
    -------
    pandas.DataFrame
        :data:`SUMMARY_COLUMNS`: ``in_range`` (any band from any site),
        ``bands_in_range`` (the bands in range from at least one site, ``/``-joined,
        nominal, low, high; in band ``all`` a low or high figure equal to the nominal one
        has no row of its own), ``sites_in_range`` (distinct sites from which some band
        reaches) of ``n_sites``, the ``nearest_site`` and its ``min_distance_km``,
        ``statuses`` (``/``-joined) and the system's launchers, taken once per system
        (they count its launchers overall and are never summed over sites), and
        ``max_settlement_population_in_range``: the most population within any one of
        the row's rings (any of its sites and figures, reaching the target or not),
        labelled as the census's ``attrs["settlement_label"]`` (kept in ``attrs``).
        Sorted as the census: system's country, target, in range first, nearest first.

    Examples
    --------
    >>> from rangemap.targets import resolve_targets
    >>> census = threat_census(resolve_targets(["Seoul"]), as_of="2026-06-30")
    >>> df26 = threat_summary(census).set_index("system_id").loc["df-26"]
    >>> df26["bands_in_range"], int(df26["sites_in_range"]), int(df26["launchers_high"])
    ('nominal/low/high', 3, 350)
    >>> threat_summary(census.iloc[0:0]).empty
    True
    """
    label = census.attrs.get("settlement_label", SETTLEMENTS_LABEL)
    if census.empty:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in SUMMARY_COLUMNS})
        empty.attrs["settlement_label"] = label
        return empty
    frame = census.reset_index(drop=True).assign(
        basis=np.where(census["status"] == HYPOTHETICAL_SITE, HYPOTHETICAL_SITE, "deployed"),
        _target=pd.factorize(census["target"])[0],
        in_range=census["in_range"].astype(bool).to_numpy(),
    )
    keys = ["_target", "system_country", "system_id", "basis"]
    # Vectorised: a census of 1,000 targets has tens of thousands of groups.
    groups = frame.groupby(keys, sort=False)
    out = groups[["target", "target_country", "system", *_LAUNCHER_COLUMNS]].first()
    out["in_range"] = groups["in_range"].any()
    hit = frame.loc[frame["in_range"]]
    out["sites_in_range"] = hit.groupby(keys)["site_id"].nunique()
    out["sites_in_range"] = out["sites_in_range"].fillna(0).astype(int)
    out["n_sites"] = groups["site_id"].nunique()
    out["max_settlement_population_in_range"] = groups["settlement_population_in_range"].max()
    nearest = frame.loc[groups["distance_km"].idxmin()].set_index(keys)
    out["nearest_site"] = nearest["site"]
    out["min_distance_km"] = nearest["distance_km"].astype(float)
    reached = {
        band: hit.loc[hit["band"] == band].groupby(keys).size().reindex(out.index).notna()
        for band in _BAND_ORDER
    }
    out["bands_in_range"] = [
        "/".join(b for b, flags in zip(_BAND_ORDER, row, strict=True) if flags)
        for row in zip(*(reached[b].to_numpy() for b in _BAND_ORDER), strict=True)
    ]
    statuses = frame.drop_duplicates([*keys, "status"]).astype({"status": str})
    out["statuses"] = statuses.groupby(keys, sort=False)["status"].agg("/".join)
    out = out.reset_index()
    for c in ("launchers_low", "launchers_high"):
        out[c] = out[c].astype("Int64")
    out["launchers_class_total"] = out["launchers_class_total"].astype("boolean")
    out = out.sort_values(
        ["system_country", "_target", "in_range", "min_distance_km", "system_id", "basis"],
        ascending=[True, True, False, True, True, True],
        kind="stable",
    )
    out = out[list(SUMMARY_COLUMNS)].reset_index(drop=True)
    out.attrs["settlement_label"] = label
    return out


def threat_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Show a :func:`threat_summary` to people: pairs in range, named columns, rounded.

    Distances are rounded to the kilometre (sites are region-level), launchers shown as
    ``low–high`` (one figure when they agree), blanks as "—". The last column, the most
    population within one ring of the system, is headed with the summary's
    ``attrs["settlement_label"]`` (default "population of settlements ≥ 1,000 (GeoNames)").

    Examples
    --------
    >>> from rangemap.targets import resolve_targets
    >>> table = threat_table(threat_summary(threat_census(resolve_targets(["Seoul"]),
    ...                                                   as_of="2026-06-30")))
    >>> row = table.loc[table["System"] == "DF-26"].iloc[0]
    >>> row["Nearest site (km)"], row["Launchers"], row["Sites in range"]
    ('761', '350', '3 of 3')
    >>> table.columns[-1]
    'Most population of settlements ≥ 1,000 (GeoNames) in range of one site'
    """
    shown = summary.loc[summary["in_range"].astype(bool)]
    label = summary.attrs.get("settlement_label", SETTLEMENTS_LABEL)

    def launchers(low: object, high: object) -> str:
        lo, hi = (None if pd.isna(v) else f"{int(v):,}" for v in (low, high))  # type: ignore[call-overload]
        if lo is None and hi is None:
            return "—"
        return lo or hi if lo == hi or None in (lo, hi) else f"{lo}–{hi}"  # type: ignore[return-value]

    return pd.DataFrame(
        {
            "System's country": shown["system_country"].to_numpy(),
            "Place": shown["target"].to_numpy(),
            "System": shown["system"].to_numpy(),
            "From": np.where(shown["basis"] == HYPOTHETICAL_SITE,
                             "a site of its country (if based there)", "where deployed"),
            "Figures in range": shown["bands_in_range"].to_numpy(),
            "Sites in range": [f"{int(a)} of {int(b)}" for a, b in
                               zip(shown["sites_in_range"], shown["n_sites"], strict=True)],
            "Nearest site": shown["nearest_site"].to_numpy(),
            "Nearest site (km)": [f"{float(d):,.0f}" for d in shown["min_distance_km"]],
            "Launchers": [launchers(a, b) for a, b in
                          zip(shown["launchers_low"], shown["launchers_high"], strict=True)],
            "Launchers as of": shown["launchers_as_of"].fillna("—").to_numpy(),
            f"Most {label} in range of one site": [
                "—" if pd.isna(v) else f"{float(v):,.0f}"
                for v in shown["max_settlement_population_in_range"]],
        }
    )  # fmt: skip
