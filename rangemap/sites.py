"""Launch sites: the shipped ``data/sites.csv``, user files and ``LAT,LON`` typed by a person.

Public functions
----------------
load_sites
    Read and validate a site table (CSV, or GeoJSON points) into a GeoDataFrame.
parse_latlon
    Parse ``"LAT,LON"`` (also ``"LAT LON"``, ``"LAT;LON"``) into floats.
resolve_sites
    Turn a list of site ids, names or ``LAT,LON`` strings into rows of a site table.
parse_site_lines, read_upload, combine_sites
    Sites as the dashboard takes them: typed one per line, uploaded, and stacked into one
    table.
site_frame, unique_ids, slug
    The one site-row schema (:data:`SITE_COLUMNS`) as a GeoDataFrame, the one rule that
    makes site ids unique, and the one rule that makes an id from a name.

Coordinates are WGS84 degrees. Longitudes from -540 to 540 are accepted and normalised to
[-180, 180); latitudes outside [-90, 90] are refused.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

import geopandas as gpd
import pandas as pd

from rangemap._io import (
    DATA_DIR,
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
from rangemap.errors import GeodesyError, SiteError
from rangemap.geodesy import check_point

__all__ = [
    "MAX_SITES",
    "MAX_TYPED_SITES",
    "MAX_UPLOAD_BYTES",
    "SITE_COLUMNS",
    "SITE_KINDS",
    "Upload",
    "combine_sites",
    "load_sites",
    "parse_latlon",
    "parse_site_lines",
    "read_upload",
    "resolve_sites",
    "site_frame",
    "slug",
    "unique_ids",
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


def slug(text: object, *, empty: str = "site") -> str:
    """Make an id from a name: lower case, runs of anything but letters and digits as ``-``.

    Letters of any script are kept (a user's ``東京`` stays ``東京``), so two names differ
    in their ids as they do on the page. The shipped ``data/sites.csv`` gives its own ASCII
    ids; this rule serves sites without one, and CSS class names on the map.

    Examples
    --------
    >>> slug("Luga (Leningrad region)"), slug("東京 2"), slug("!!!")
    ('luga-leningrad-region', '東京-2', 'site')
    """
    return re.sub(r"[\W_]+", "-", str(text).lower()).strip("-") or empty


def unique_ids(ids: Iterable[object]) -> list[str]:
    """Make ids unique: a repeat gets ``-2``, ``-3``..., never an id used or still to come.

    A row keeps its own id unless an earlier row has it, so ``["guam", "guam", "guam-2"]``
    becomes ``["guam", "guam-3", "guam-2"]``: the third site's own ``guam-2`` is not taken
    by the second (issue 9: a scenario lost a site that way). Linear in the number of ids,
    however many repeat.

    Examples
    --------
    >>> unique_ids(["guam", "guam", "guam-2"])
    ['guam', 'guam-3', 'guam-2']
    >>> unique_ids(["a", "a", "a"])
    ['a', 'a-2', 'a-3']
    """
    original = [str(sid) for sid in ids]
    still_to_come: dict[str, int] = {}
    for sid in original:
        still_to_come[sid] = still_to_come.get(sid, 0) + 1
    taken: set[str] = set()
    last_suffix: dict[str, int] = {}
    out = []
    for sid in original:
        still_to_come[sid] -= 1
        new = sid
        if new in taken:
            n = last_suffix.get(sid, 1)
            while new in taken or still_to_come.get(new, 0) > 0:
                n += 1
                new = f"{sid}-{n}"
            last_suffix[sid] = n
        taken.add(new)
        out.append(new)
    return out


def site_frame(records: Iterable[Mapping[str, Any]]) -> gpd.GeoDataFrame:
    """Build a site table from rows: the :data:`SITE_COLUMNS` schema, ids made unique.

    Missing text columns are blank and a blank ``kind`` is ``user``; ``lat``/``lon`` are
    floats and the geometry is their point, EPSG:4326.

    Examples
    --------
    >>> t = site_frame([{"id": "x", "name": "X", "lat": 1, "lon": 2},
    ...                 {"id": "x", "name": "Y", "lat": 3, "lon": 4}])
    >>> t["id"].tolist(), t["kind"].tolist(), t.crs.to_epsg()
    (['x', 'x-2'], ['user', 'user'], 4326)
    >>> len(site_frame([]))
    0
    """
    frame = pd.DataFrame.from_records(list(records), columns=list(SITE_COLUMNS))
    for col in ("id", "name", "country", "kind", "note", "source"):
        frame[col] = [("" if pd.isna(v) else str(v)) for v in frame[col]]
    frame["kind"] = frame["kind"].replace("", "user")
    frame["id"] = unique_ids(frame["id"])
    frame["lat"] = frame["lat"].astype("float64")
    frame["lon"] = frame["lon"].astype("float64")
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    )


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
    sid = row.get("id") or slug(name)
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
    policy = OnInvalid.parse(on_invalid)
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
        # Stop reading one row past the limit rather than parse a million rows to refuse them.
        table = read_table(
            src, required=REQUIRED_SITE_COLUMNS, error=SiteError, name=name, max_rows=MAX_SITES
        )
    if len(table.rows) > MAX_SITES:
        raise SiteError(f"{label}: {len(table.rows):,} sites, over the limit of {MAX_SITES:,}")
    records: list[dict[str, object]] = []
    dropped: list[str] = []
    for i in range(len(table.rows)):
        try:
            records.append(_site_row(table, i, default_kind))
        except SiteError as exc:
            handle_invalid(policy, str(exc), SiteError, dropped)
    out = site_frame(records)
    out.attrs["source"] = label
    out.attrs["dropped"] = dropped
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
            rows.append({"id": label, "name": label, "lat": lat, "lon": lon, "kind": "user"})
            continue
        if re.search(r"\d", key) and re.search(r"[,;]", key):
            parse_latlon(key)  # raises a precise coordinate error
        close = difflib.get_close_matches(key.lower(), list(by_key), n=4, cutoff=0.5)
        hint = ", ".join(repr(c) for c in close) if close else "none (see `rangemap sites`)"
        raise SiteError(f"unknown site {key!r}; closest: {hint} (or give LAT,LON)")
    return site_frame(rows)


def combine_sites(tables: Iterable[gpd.GeoDataFrame | None]) -> gpd.GeoDataFrame:
    """Stack site tables into one, every site with a unique id (see :func:`unique_ids`).

    Ids must be unique because rings and coverage tables key sites by id.

    Examples
    --------
    >>> a = resolve_sites(["kaliningrad"])
    >>> combine_sites([a, a, None])["id"].tolist()
    ['kaliningrad', 'kaliningrad-2']
    """
    parts = [t for t in tables if t is not None and len(t)]
    if not parts:
        return site_frame([])
    rows = pd.concat([pd.DataFrame(p.drop(columns="geometry")) for p in parts], ignore_index=True)
    return site_frame(rows.to_dict(orient="records"))  # type: ignore[arg-type]  # str keys


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


#: Largest uploaded site file accepted (bytes), checked before the upload is read.
MAX_UPLOAD_BYTES = 2_000_000


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
        Over ``max_bytes``, or anything :func:`load_sites` refuses.
    """
    if upload.size > max_bytes:
        raise SiteError(
            f"{upload.name}: file is {upload.size:,} bytes, over the limit of {max_bytes:,}"
        )
    return load_sites(upload.getvalue(), name=upload.name, default_kind="user")
