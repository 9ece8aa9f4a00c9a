"""Launch sites: the shipped ``data/sites.csv``, user files and ``LAT,LON`` typed by a person.

Public functions
----------------
load_sites
    Read and validate a site table (CSV, or GeoJSON points) into a GeoDataFrame.
parse_latlon
    Parse ``"LAT,LON"`` (also ``"LAT LON"``, ``"LAT;LON"``) into floats.
resolve_sites
    Turn a list of site ids, names or ``LAT,LON`` strings into rows of a site table.
join_sites
    Every (system, site) pair as one GeoDataFrame row, ready for ring drawing.

Coordinates are WGS84 degrees. Longitudes from -540 to 540 are accepted and normalised to
[-180, 180); latitudes outside [-90, 90] are refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd

from rangemap._io import (
    CellError,
    OnInvalid,
    Source,
    Table,
    cell,
    handle_invalid,
    parse_choice,
    parse_float,
    parse_urls,
    read_table,
    read_text,
    source_name,
)
from rangemap.catalogue import DATA_DIR
from rangemap.errors import GeodesyError, SiteError
from rangemap.geodesy import check_point

__all__ = [
    "MAX_SITES",
    "SITE_COLUMNS",
    "SITE_KINDS",
    "join_sites",
    "load_sites",
    "parse_latlon",
    "resolve_sites",
]

SITE_COLUMNS = ("id", "name", "country", "lat", "lon", "kind", "note", "source")
#: Only these columns must be present in a user's file; the rest default to blank.
REQUIRED_SITE_COLUMNS = ("name", "lat", "lon")
SITE_KINDS = ("reported", "hypothetical", "user")
#: Most sites one table may hold: enough for any deployment study, and it bounds the work
#: (rings, distances) one request can trigger.
MAX_SITES = 10_000

# Possessive quantifiers (Python 3.11) keep matching linear-time on hostile input.
_NUM = r"([-+]?(?:[0-9]++(?:\.[0-9]*+)?|\.[0-9]++)(?:[eE][-+]?[0-9]++)?)"
_LATLON_RE = re.compile(rf"^ *+\(? *+{_NUM}(?: *+[,;] *+| ++){_NUM} *+\)? *+$")
#: Longest coordinate text accepted; anything longer is not a typed coordinate pair.
_MAX_LATLON_CHARS = 100


def parse_latlon(text: str) -> tuple[float, float]:
    """Parse a coordinate pair typed by a person.

    Parameters
    ----------
    text : str
        ``"LAT,LON"`` in decimal degrees; a space or semicolon may separate them.

    Returns
    -------
    tuple of float
        ``(lat, lon)`` with ``lon`` normalised to [-180, 180).

    Raises
    ------
    SiteError
        When the text is not two numbers or a value is out of range.

    Examples
    --------
    >>> parse_latlon("-17.7,178.1")
    (-17.7, 178.1)
    >>> parse_latlon("54.7, 380")
    (54.7, 20.0)
    >>> parse_latlon("91,0")
    Traceback (most recent call last):
    ...
    rangemap.errors.SiteError: bad coordinates '91,0': site latitude must be a finite number ...
    """
    text = str(text)
    match = _LATLON_RE.match(text.strip()) if len(text) <= _MAX_LATLON_CHARS else None
    if not match:
        shown = text if len(text) <= _MAX_LATLON_CHARS else text[:_MAX_LATLON_CHARS] + "..."
        raise SiteError(f"expected LAT,LON in decimal degrees, got {shown!r}")
    try:
        lat, lon = check_point(lat=float(match.group(1)), lon=float(match.group(2)), what="site")
    except GeodesyError as exc:
        raise SiteError(f"bad coordinates {text!r}: {exc}") from None
    # Adding 0.0 turns a negative zero into zero.
    return round(lat, 10) + 0.0, round(lon, 10) + 0.0


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "site"


def _site_row(t: Table, i: int, default_kind: str) -> dict[str, object]:
    err = SiteError
    name = cell(t, i, "name", lambda v: v if v else _raise("is required"), err)
    lat = cell(t, i, "lat", lambda v: parse_float(v, allow_blank=False), err)
    lon = cell(t, i, "lon", lambda v: parse_float(v, allow_blank=False), err)
    try:
        lat, lon = check_point(lat=lat, lon=lon, what="site")
    except GeodesyError as exc:
        raise SiteError(f"{t.name}, line {t.lines[i]}, columns 'lat','lon': {exc}") from None
    row = t.rows[i]
    sid = row.get("id") or _slug(name)
    cell(t, i, "id", lambda v: v if (not v or re.fullmatch(r"[a-z0-9][a-z0-9._-]*", v))
         else _raise(f"must be a lowercase slug, got {v!r}"), err)  # fmt: skip
    kind = row.get("kind") or default_kind
    cell(t, i, "kind", lambda v: parse_choice(v or default_kind, SITE_KINDS), err)
    cell(t, i, "source", lambda v: parse_urls(v, required=False), err)
    return {
        "id": sid,
        "name": name,
        "country": row.get("country", ""),
        "lat": lat,
        "lon": lon,
        "kind": kind,
        "note": row.get("note", ""),
        "source": row.get("source", ""),
    }


def _raise(message: str) -> str:
    raise CellError(message)


def _geojson_table(text: str, label: str) -> Table:
    """Flatten a GeoJSON FeatureCollection of points into a string table."""
    try:
        doc = json.loads(text)
        # A lone surrogate ("\ud800") decodes but can never be written out again.
        json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except json.JSONDecodeError as exc:
        raise SiteError(f"{label}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except UnicodeEncodeError:
        raise SiteError(f"{label}: text holds an unpaired UTF-16 surrogate escape") from None
    except (ValueError, RecursionError) as exc:  # too deep, or a 4,300-digit integer
        raise SiteError(
            f"{label}: JSON too large or too deeply nested ({type(exc).__name__})"
        ) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise SiteError(f"{label}: expected a GeoJSON FeatureCollection")
    feats = doc.get("features")
    if not isinstance(feats, list) or not feats:
        raise SiteError(f"{label}: FeatureCollection has no features")
    rows: list[dict[str, str]] = []
    for n, feat in enumerate(feats, start=1):
        geom = feat.get("geometry") if isinstance(feat, dict) else None
        if not isinstance(geom, dict) or geom.get("type") != "Point":
            raise SiteError(f"{label}, feature {n}: geometry must be a Point, got {geom!r:.80}")
        coords = geom.get("coordinates")
        if not isinstance(coords, list) or len(coords) < 2:
            raise SiteError(f"{label}, feature {n}: bad coordinates {coords!r:.80}")
        props = feat.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, dict):
            raise SiteError(
                f"{label}, feature {n}: properties must be an object, got {props!r:.80}"
            )
        row = {k: "" if v is None else str(v) for k, v in props.items()}
        row["lon"], row["lat"] = str(coords[0]), str(coords[1])
        row.setdefault("name", row.get("id", f"site {n}"))
        rows.append(row)
    columns = sorted({k for r in rows for k in r})
    full = [{c: r.get(c, "") for c in columns} for r in rows]
    return Table(name=label, columns=columns, rows=full, lines=list(range(1, len(rows) + 1)))


def load_sites(
    source: Source | None = None,
    *,
    on_invalid: str | OnInvalid = OnInvalid.RAISE,
    name: str | None = None,
    default_kind: str = "reported",
) -> gpd.GeoDataFrame:
    r"""Read and validate launch sites.

    Parameters
    ----------
    source : path, bytes or file object, optional
        A CSV (columns ``name, lat, lon`` at least; see :data:`SITE_COLUMNS`) or a GeoJSON
        FeatureCollection of points. Defaults to the shipped ``data/sites.csv``.
    on_invalid : {"raise", "warn", "drop"}
        What to do with an invalid row.
    name : str, optional
        Name for error messages (uploads); a name ending in ``.geojson``/``.json`` (or
        text starting with ``{``) is read as GeoJSON.
    default_kind : str
        Kind given to rows without one (``user`` for uploads).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns of :data:`SITE_COLUMNS` plus point ``geometry``, EPSG:4326; ids unique
        (a clash gets ``-2``, ``-3``... appended).

    Raises
    ------
    SiteError
        Naming file, line, column and bad value; also over :data:`MAX_SITES` rows.

    Examples
    --------
    >>> sites = load_sites()
    >>> sites.crs.to_epsg(), bool((sites["lat"].abs() <= 90).all())
    (4326, True)
    >>> load_sites(b"name,lat,lon\nX,95,10\n")
    Traceback (most recent call last):
    ...
    rangemap.errors.SiteError: <upload>, line 2, columns 'lat','lon': site latitude must be ...
    """
    policy = OnInvalid.parse(on_invalid, SiteError)
    src = DATA_DIR / "sites.csv" if source is None else source
    label = source_name(src, name)
    is_json = label.lower().endswith((".geojson", ".json"))
    if isinstance(src, bytes) and src.lstrip()[:1] == b"{":
        is_json = True
    if is_json:
        table = _geojson_table(read_text(src, label=label, error=SiteError), label)
        missing = [c for c in REQUIRED_SITE_COLUMNS if c not in table.columns]
        if missing:
            raise SiteError(f"{label}: features lack propert(ies) {missing!r}")
    else:
        table = read_table(src, required=REQUIRED_SITE_COLUMNS, error=SiteError, name=name)
    if len(table.rows) > MAX_SITES:
        raise SiteError(f"{label}: {len(table.rows):,} sites, over the limit of {MAX_SITES:,}")
    records: list[dict[str, object]] = []
    dropped: list[str] = []
    for i in range(len(table.rows)):
        try:
            records.append(_site_row(table, i, default_kind))
        except SiteError as exc:
            handle_invalid(policy, str(exc), SiteError, dropped)
    frame = pd.DataFrame.from_records(records, columns=list(SITE_COLUMNS))
    frame["id"] = _dedupe(frame["id"].astype(str).tolist())
    frame["lat"] = frame["lat"].astype("float64")
    frame["lon"] = frame["lon"].astype("float64")
    out = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    )
    out.attrs["source"] = label
    out.attrs["dropped"] = dropped
    return out


def _dedupe(ids: list[str]) -> list[str]:
    """Make ids unique by appending -2, -3...; a suffix never collides with another id."""
    taken = set(ids)
    used: set[str] = set()
    out = []
    for sid in ids:
        new = sid
        n = 1
        while new in used or (new != sid and new in taken):
            n += 1
            new = f"{sid}-{n}"
        used.add(new)
        out.append(new)
    return out


def resolve_sites(specs: Iterable[str], sites: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Rows for site ids, names (case-insensitive) or typed ``LAT,LON`` strings.

    Parameters
    ----------
    specs : iterable of str
        Each an id (``kaliningrad``), a name, or coordinates (``"-17.7,178.1"``).
    sites : geopandas.GeoDataFrame, optional
        Table to look ids up in; defaults to the shipped sites.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per spec in order; typed coordinates get kind ``user`` and the
        coordinates as name.

    Raises
    ------
    SiteError
        For an unknown site (with the closest ids) or bad coordinates.

    Examples
    --------
    >>> resolve_sites(["kaliningrad", "13.4,144.8"])["kind"].tolist()
    ['reported', 'user']
    """
    import difflib

    table = load_sites() if sites is None else sites
    by_key = {str(k).lower(): i for i, k in enumerate(table["id"])}
    for i, nm in enumerate(table["name"]):
        by_key.setdefault(str(nm).lower(), i)
    rows = []
    for spec in specs:
        key = str(spec).strip()
        if key.lower() in by_key:
            rows.append(table.iloc[by_key[key.lower()]].to_dict())
            continue
        if re.search(r"\d", key) and len(key) <= _MAX_LATLON_CHARS and _LATLON_RE.match(key):
            lat, lon = parse_latlon(key)
            label = f"{lat:g},{lon:g}"
            rows.append(
                {"id": label, "name": label, "country": "", "lat": lat, "lon": lon,
                 "kind": "user", "note": "", "source": ""}
            )  # fmt: skip
            continue
        if re.search(r"\d", key) and re.search(r"[,;]", key):
            parse_latlon(key)  # raises a precise coordinate error
        close = difflib.get_close_matches(key.lower(), list(by_key), n=4, cutoff=0.5)
        hint = ", ".join(repr(c) for c in close) if close else "none (see `rangemap sites`)"
        raise SiteError(f"unknown site {key!r}; closest: {hint} (or give LAT,LON)")
    frame = pd.DataFrame.from_records(rows, columns=list(SITE_COLUMNS))
    frame["id"] = _dedupe(frame["id"].astype(str).tolist())
    return gpd.GeoDataFrame(
        frame,
        geometry=gpd.points_from_xy(frame["lon"].astype(float), frame["lat"].astype(float)),
        crs="EPSG:4326",
    )


def join_sites(
    systems: pd.DataFrame, sites: gpd.GeoDataFrame, *, band: str = "nominal"
) -> pd.DataFrame:
    """Every (system, site, band) combination with its radius, one row each.

    Parameters
    ----------
    systems : pandas.DataFrame
        Catalogue rows.
    sites : geopandas.GeoDataFrame
        Site rows.
    band : {"nominal", "low", "high", "all"}
        Which range figures to use; systems without a figure for a band are left out.

    Returns
    -------
    pandas.DataFrame
        Columns ``system_id, system, site_id, site, lat, lon, band, radius_km,
        min_radius_km, sources``.
    """
    from rangemap.catalogue import band_radii_km

    columns = ["system_id", "system", "site_id", "site", "lat", "lon", "band",
               "radius_km", "min_radius_km", "sources"]  # fmt: skip
    bands = [
        {"system_id": sid, "system": name, "band": band_name, "radius_km": radius_km,
         "min_radius_km": float(mini) if np.isfinite(mini) else np.nan, "sources": src}
        for sid, name, mini, src, (_, row) in zip(
            systems["id"], systems["name"], systems["min_range_km"].astype(float),
            systems["sources"], systems.iterrows(), strict=True)
        for band_name, radius_km in band_radii_km(row, band)
    ]  # fmt: skip
    if not bands or len(sites) == 0:
        return pd.DataFrame(columns=columns)
    where = pd.DataFrame(
        {"site_id": sites["id"].to_numpy(), "site": sites["name"].to_numpy(),
         "lat": sites["lat"].astype(float).to_numpy(),
         "lon": sites["lon"].astype(float).to_numpy()}
    )  # fmt: skip
    # System-major order: each system's bands at every site, as a person reads the table.
    joined = pd.DataFrame(bands).merge(where, how="cross")
    return joined[columns].reset_index(drop=True)
