"""Data behind the dashboard's views: site inputs, targets in range, display tables.

Pure functions (no Streamlit, no folium) used by ``app.py`` and :mod:`rangemap.mapview`.

Public functions
----------------
targets_in_range
    Targets with an ``in_range`` flag and the systems that reach each one.
in_region
    Rows of a table whose ``lat``/``lon`` lie in a region preset.
combine_sites, parse_site_lines, read_upload
    Launch sites from the dashboard's inputs: shipped, typed ``LAT,LON`` and uploaded.
catalogue_table, claims_table, sources_table
    The catalogue, its competing claims and its sources as display tables.
plain
    Text escaped for Streamlit's Markdown (names in labels and messages).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from rangemap.errors import SiteError
from rangemap.reach import in_band, ring_distances_km
from rangemap.sites import SITE_COLUMNS, load_sites, resolve_sites
from rangemap.targets import Region, region_polygon

__all__ = [
    "CATALOGUE_VIEW",
    "MAX_TYPED_SITES",
    "MAX_UPLOAD_BYTES",
    "catalogue_table",
    "claims_table",
    "combine_sites",
    "in_region",
    "parse_site_lines",
    "plain",
    "read_upload",
    "sources_table",
    "targets_in_range",
]

#: Largest uploaded site file accepted (bytes), checked before the upload is read.
MAX_UPLOAD_BYTES = 2_000_000


def targets_in_range(rings: pd.DataFrame, targets: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Flag the targets within any ring (exact geodesic distance, minimum range honoured).

    Parameters
    ----------
    rings : pandas.DataFrame
        Rows with ``system, site_id, lat, lon, band, radius_km, min_radius_km``.
    targets : geopandas.GeoDataFrame
        From :func:`rangemap.targets.load_targets`.

    Returns
    -------
    geopandas.GeoDataFrame
        ``targets`` plus ``in_range`` (bool) and ``reached_by`` (system names; a band
        other than nominal is named when only that band reaches).

    Examples
    --------
    >>> from rangemap.rings import range_rings
    >>> from rangemap.targets import load_targets
    >>> caps = load_targets("capitals")
    >>> hit = targets_in_range(range_rings(["iskander-m"], ["kaliningrad"]), caps)
    >>> sorted(hit.loc[hit["in_range"], "name"])
    ['Minsk', 'Riga', 'Vilnius', 'Warsaw']
    """
    out = targets.copy()
    out["in_range"] = False
    out["reached_by"] = ""
    if len(rings) == 0 or len(targets) == 0:
        return out
    inside = in_band(rings, ring_distances_km(rings, targets))
    systems = rings["system"].astype(str).to_numpy()
    bands = rings["band"].astype(str).to_numpy()
    reached = []
    for row in inside:
        by: dict[str, set[str]] = {}
        for k in np.flatnonzero(row):
            by.setdefault(systems[k], set()).add(bands[k])
        reached.append(
            "; ".join(
                name
                if ("nominal" in b or "custom" in b)
                else f"{name} ({'/'.join(sorted(b))} only)"
                for name, b in by.items()
            )
        )
    out["in_range"] = inside.any(axis=1)
    out["reached_by"] = reached
    return out


def in_region(frame: pd.DataFrame, region: str | Region | None) -> pd.DataFrame:
    """Rows whose ``lat``/``lon`` lie in a region preset (all rows for ``None``).

    Uses the same test as :func:`rangemap.reach.coverage_table` (``shapely.covers`` on the
    region's lon/lat polygon), so filtering a world table equals asking for the region.

    Examples
    --------
    >>> t = pd.DataFrame({"lat": [48.9, 35.7], "lon": [2.35, 139.7]})
    >>> len(in_region(t, "europe")), len(in_region(t, None))
    (1, 2)
    """
    if region is None:
        return frame
    mask = shapely.covers(region_polygon(region), shapely.points(frame["lon"], frame["lat"]))
    return frame.loc[mask].reset_index(drop=True)


def combine_sites(tables: Iterable[gpd.GeoDataFrame | None]) -> gpd.GeoDataFrame:
    """Stack site tables, giving every site a unique id (a clash gets ``-2``, ``-3``...).

    Ids must be unique because rings and coverage tables key sites by id.

    Examples
    --------
    >>> a = resolve_sites(["kaliningrad"])
    >>> combine_sites([a, a, None])["id"].tolist()
    ['kaliningrad', 'kaliningrad-2']
    """
    parts = [t for t in tables if t is not None and len(t)]
    if not parts:
        return gpd.GeoDataFrame(
            columns=[*SITE_COLUMNS, "geometry"], geometry="geometry", crs="EPSG:4326"
        )
    out = gpd.GeoDataFrame(
        pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326"
    )
    original = [str(sid) for sid in out["id"]]
    # A row keeps its own id unless an earlier row has it; a suffix skips every id in use
    # or still to come, so an uploaded ``kaliningrad-2`` stays distinct too.
    still_to_come = Counter(original)
    taken: set[str] = set()
    last_suffix: dict[str, int] = {}
    ids = []
    for sid in original:
        still_to_come[sid] -= 1
        new = sid
        if new in taken:
            n = last_suffix.get(sid, 1)
            while new in taken or still_to_come[new] > 0:
                n += 1
                new = f"{sid}-{n}"
            last_suffix[sid] = n
        taken.add(new)
        ids.append(new)
    out["id"] = ids
    return out


#: Most sites typed in the text box; more belong in an uploaded file.
MAX_TYPED_SITES = 1_000


def parse_site_lines(
    text: str, sites: gpd.GeoDataFrame | None = None
) -> tuple[gpd.GeoDataFrame, list[str]]:
    r"""Read sites typed one per line (``LAT,LON``, or a site id or name).

    Good lines are resolved together; only a batch holding a bad line is split (in
    halves) to find it, so typing many sites stays fast.

    Parameters
    ----------
    text : str
        The lines; blank ones are skipped; at most :data:`MAX_TYPED_SITES` are read.
    sites : geopandas.GeoDataFrame, optional
        Where ids and names are looked up; defaults to the shipped sites.

    Returns
    -------
    (geopandas.GeoDataFrame, list of str)
        The good sites in order, and one message per bad line (the others still count).

    Examples
    --------
    >>> sites, errors = parse_site_lines("13.4,144.8\n\n95,0\nluga")
    >>> sites["name"].tolist(), errors[0][:7]
    (['13.4,144.8', 'Luga (Leningrad region)'], 'line 3:')
    """
    table = load_sites() if sites is None else sites
    lines = [(n, s.strip()) for n, s in enumerate(str(text).splitlines(), start=1) if s.strip()]
    errors: list[str] = []
    if len(lines) > MAX_TYPED_SITES:
        errors.append(
            f"{len(lines):,} typed sites, over the limit of {MAX_TYPED_SITES:,}: lines after "
            f"line {lines[MAX_TYPED_SITES - 1][0]} are ignored (upload a file instead)"
        )
        lines = lines[:MAX_TYPED_SITES]
    good: list[gpd.GeoDataFrame] = []

    def resolve(batch: list[tuple[int, str]]) -> None:
        try:
            good.append(resolve_sites([spec for _, spec in batch], table))
        except SiteError as exc:
            if len(batch) == 1:
                errors.append(f"line {batch[0][0]}: {exc}")
                return
            resolve(batch[: len(batch) // 2])
            resolve(batch[len(batch) // 2 :])

    if lines:
        resolve(lines)
    return combine_sites(good), errors


class Upload(Protocol):
    """What :func:`read_upload` needs of an upload (Streamlit's ``UploadedFile``)."""

    name: str
    size: int

    def getvalue(self) -> bytes:
        """Return the whole content."""
        ...


def read_upload(upload: Upload, *, max_bytes: int = MAX_UPLOAD_BYTES) -> gpd.GeoDataFrame:
    """Read an uploaded CSV or GeoJSON of sites, refusing it by size before reading it.

    Raises
    ------
    SiteError
        Over ``max_bytes``, or anything :func:`rangemap.sites.load_sites` refuses.
    """
    if upload.size > max_bytes:
        raise SiteError(
            f"{upload.name}: file is {upload.size:,} bytes, over the limit of {max_bytes:,}"
        )
    return load_sites(upload.getvalue(), name=upload.name, default_kind="user")


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
    >>> from rangemap.catalogue import load_catalogue, load_claims
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
    >>> from rangemap.catalogue import load_catalogue, load_claims
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
    >>> from rangemap.catalogue import load_catalogue
    >>> t = sources_table(load_catalogue())
    >>> list(t.columns), bool(t["source"].str.match("https?://").all())
    (['system', 'source'], True)
    """
    out = catalogue[["name", "sources"]].assign(source=catalogue["sources"].astype(str).str.split())
    out = out.explode("source").dropna(subset=["source"])
    return out.rename(columns={"name": "system"})[["system", "source"]].reset_index(drop=True)


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    r"""Escape text for Streamlit's Markdown, so that a name shows as typed.

    Streamlit renders labels, captions and messages as Markdown: an uploaded site called
    ``![x](https://example.org/x.png)`` would otherwise load an image from the internet.

    Examples
    --------
    >>> plain("![x](https://e.org/x.png) *a*")
    '\\!\\[x\\]\\(https\\://e\\.org/x\\.png\\) \\*a\\*'
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))
