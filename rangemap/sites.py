"""Launch sites: the shipped ``data/sites.csv``, user files and ``LAT,LON`` typed by a person.

Public functions
----------------
load_sites
    Read and validate a site table (CSV, or GeoJSON points) into a GeoDataFrame.
parse_latlon
    Parse a coordinate pair a person typed (``26.2, 127.7``, ``26°12'N 127°41'E``,
    ``50,04; 21,99``: the grammar of :mod:`rangemap.coords`) into floats.
resolve_sites
    Turn a list of site ids, names or ``LAT,LON`` strings into rows of a site table.
SiteIndex
    The same look-up, one spec at a time, with its index built once (a scenario's sites).
parse_site_lines, read_upload, combine_sites
    Sites as the dashboard takes them: typed one per line, uploaded, and stacked into one
    table.
site_frame, unique_ids, slug
    The one site-row schema (:data:`SITE_COLUMNS`) as a GeoDataFrame, the one rule that
    makes site ids unique, and the one rule that makes an id from a name.

Coordinates are WGS84 degrees. Longitudes from -540 to 540 are accepted and normalised to
[-180, 180); latitudes outside [-90, 90] are refused. A site file's ``lat`` and ``lon``
cells may also be written with a decimal comma (``50,04``), in degrees-minutes-seconds or
with a hemisphere letter (``26°12'30"N``, ``33.9S``); :func:`rangemap._io.read_table`
says which encodings and delimiters a CSV may use (issue 14).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

import geopandas as gpd
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
    MAX_HINT_CHARS,
    Source,
    Table,
    closest_hint,
    cut_repr,
    is_geojson,
    read_geojson_points,
    read_table,
    source_name,
)
from rangemap.coords import (
    MAX_COORDINATE_CHARS,
    looks_like_coordinates,
    parse_angle,
    parse_pair,
)
from rangemap.errors import GeodesyError, RangemapError, SiteError
from rangemap.geodesy import check_point
from rangemap.sources import SourceRefs, load_sources

__all__ = [
    "MAX_HINT_WORK",
    "MAX_SITES",
    "MAX_TYPED_SITES",
    "MAX_UPLOAD_BYTES",
    "SITE_COLUMNS",
    "SITE_KINDS",
    "SiteIndex",
    "Upload",
    "combine_sites",
    "load_sites",
    "parse_latlon",
    "parse_site_lines",
    "read_upload",
    "resolve_sites",
    "site_frame",
    "site_lines",
    "slug",
    "unique_ids",
]

SITE_COLUMNS = ("id", "name", "country", "lat", "lon", "kind", "note", "source")
#: Only these columns must be present in a user's file; the rest default to blank.
REQUIRED_SITE_COLUMNS = ("name", "lat", "lon")
#: ``reported``: public reports place systems there (now or in the past); ``claimed``: one
#: party claims it (the note names who); ``rumour``: unconfirmed reports; ``hypothetical``:
#: debated or proposed basing; ``user``: a point a user gave.
SITE_KINDS = ("reported", "claimed", "rumour", "hypothetical", "user")
#: Most sites one table may hold: enough for any deployment study, and it bounds the work
#: (rings, distances) one request can trigger.
MAX_SITES = 10_000

# Possessive quantifiers (Python 3.11) keep matching linear-time on hostile input.
_NUM = r"([-+]?(?:[0-9]++(?:\.[0-9]*+)?|\.[0-9]++)(?:[eE][-+]?[0-9]++)?)"
_LATLON_RE = re.compile(rf"^ *+\(? *+{_NUM}(?: *+[,;] *+| ++){_NUM} *+\)? *+$")


def parse_latlon(text: str) -> tuple[float, float]:
    """Parse a coordinate pair typed by a person.

    Decimal degrees ``LAT,LON`` (a space or semicolon may separate them) are read as
    they always were; anything else by the grammar of :mod:`rangemap.coords`:
    degrees-minutes-seconds, hemisphere letters before or after (``127.7E 26.2N`` is
    longitude first), a decimal comma with a ``;`` or space separator.

    Parameters
    ----------
    text : str
        Two coordinates, at most :data:`~rangemap.coords.MAX_COORDINATE_CHARS` characters.

    Returns
    -------
    tuple of float
        ``(lat, lon)`` with ``lon`` normalised to [-180, 180).

    Raises
    ------
    SiteError
        When the text is not a coordinate pair, reads in two ways (``12,34,56``), or a
        value is out of range; the message shows the text.

    Examples
    --------
    >>> parse_latlon("-17.7,178.1")
    (-17.7, 178.1)
    >>> parse_latlon("54.7, 380")
    (54.7, 20.0)
    >>> parse_latlon("33°52'S 151°12'E"), parse_latlon("50,04; 21,99")
    ((-33.8666666667, 151.2), (50.04, 21.99))
    >>> parse_latlon("91,0")
    Traceback (most recent call last):
    ...
    rangemap.errors.SiteError: bad coordinates '91,0': site latitude must be a finite number ...
    """
    text = str(text)
    if len(text) > MAX_COORDINATE_CHARS:
        shown = text[:MAX_COORDINATE_CHARS] + "..."
        raise SiteError(f"expected LAT,LON, got {shown!r} (over {MAX_COORDINATE_CHARS} characters)")
    match = _LATLON_RE.match(text.strip())
    try:
        # Decimal LAT,LON as before (exponents too); the grammar reads everything else.
        raw = (float(match.group(1)), float(match.group(2))) if match else parse_pair(text)
        lat, lon = check_point(lat=raw[0], lon=raw[1], what="site")
    except GeodesyError as exc:
        raise SiteError(f"bad coordinates {text!r}: {exc}") from None
    except RangemapError as exc:
        raise SiteError(str(exc)) from None
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


def _degrees(value: str, axis: str) -> float:
    """Parse a ``lat``/``lon`` cell: a number as before, else by :func:`parse_angle`.

    ``50,04`` (a decimal comma, issue 14), ``33.9S`` and ``26°12'30"N`` read. A blank or
    non-finite number (``inf``, ``1e309``) keeps its error, and so does a cell that is not
    coordinates at all (``ten``: "must be a number").
    """
    try:
        return parse_float(value, allow_blank=False)
    except CellError as exc:
        if not value or _is_float(value):
            raise
        first = exc
    try:
        return parse_angle(value, axis=axis)
    except RangemapError as exc:
        shown = exc if looks_like_coordinates(value, numbers=1) else first
        raise CellError(str(shown)) from None


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _site_row(t: Table, i: int, default_kind: str, refs: SourceRefs | None) -> dict[str, object]:
    err = SiteError
    name = cell(t, i, "name", lambda v: v if v else _raise("is required"), err)
    lat = cell(t, i, "lat", lambda v: _degrees(v, "lat"), err)
    lon = cell(t, i, "lon", lambda v: _degrees(v, "lon"), err)
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
    if refs is None:
        source = " ".join(cell(t, i, "source", lambda v: parse_urls(v, required=False), err))
    else:  # the shipped form cites ids of data/sources.csv
        source = " ".join(refs.urls(refs.ids(t, i, "sources", err, required=True)))
    return {
        "id": sid,
        "name": name,
        "country": row.get("country", ""),
        "lat": lat,
        "lon": lon,
        "kind": kind,
        "note": row.get("note", ""),
        "source": source,
    }


def _raise(message: str) -> str:
    raise CellError(message)


#: The properties kept from a GeoJSON site file (the rest of :data:`SITE_COLUMNS`).
_GEOJSON_PROPERTIES = tuple(c for c in SITE_COLUMNS if c not in ("lat", "lon"))


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
        FeatureCollection of points. Defaults to the shipped ``data/sites.csv``, which
        cites ids of ``data/sources.csv`` in a ``sources`` column (resolved to URLs in
        ``source``); a user's file cites URLs in ``source``. A CSV is read as a
        spreadsheet writes it (issue 14): UTF-8 with or without a BOM, UTF-16 with a BOM,
        or Windows-1252 (Latin-1); comma, semicolon or tab separated; any line ends; see
        :func:`rangemap._io.read_table`. ``lat``/``lon`` cells may use a decimal comma
        (``Rzeszów;50,04;21,99``), degrees-minutes-seconds or hemisphere letters
        (``26°12'30"N``, ``33.9S``); in a comma-separated file a decimal comma must be
        quoted (``"50,04"``): a row an unquoted one splits past the header's width is
        refused by line, column and value.
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
    >>> load_sites("name;lat;lon\r\nRzeszów;50,04;21,99\r\n".encode("cp1252"))[["name", "lat"]]
          name    lat
    0  Rzeszów  50.04
    """
    policy = OnInvalid.parse(on_invalid)
    src = DATA_DIR / "sites.csv" if source is None else source
    label = source_name(src, name)
    if is_geojson(src, label):
        # The one GeoJSON point reader: it keeps only these properties (a distinct property
        # per feature once cost 2.1 GB) and counts the features before building rows.
        table = read_geojson_points(
            src, properties=_GEOJSON_PROPERTIES, error=SiteError, name=name,
            max_rows=MAX_SITES, what="sites",
        )  # fmt: skip
        for n, row in zip(table.lines, table.rows, strict=True):
            row["name"] = row["name"] or row["id"] or f"site {n}"
    else:
        # Stop reading one row past the limit rather than parse a million rows to refuse them.
        table = read_table(
            src, required=REQUIRED_SITE_COLUMNS, error=SiteError, name=name, max_rows=MAX_SITES
        )
    if len(table.rows) > MAX_SITES:
        raise SiteError(f"{label}: {len(table.rows):,} sites, over the limit of {MAX_SITES:,}")
    refs = SourceRefs(load_sources()) if "sources" in table.columns else None
    records: list[dict[str, object]] = []
    dropped: list[str] = []
    for i in range(len(table.rows)):
        try:
            records.append(_site_row(table, i, default_kind, refs))
        except SiteError as exc:
            handle_invalid(policy, str(exc), SiteError, dropped)
    out = site_frame(records)
    out.attrs["source"] = label
    out.attrs["dropped"] = dropped
    return out


#: Most work one :class:`SiteIndex` spends on "closest:" hints, in characters compared:
#: a hint compares an unknown spec with every id and name (difflib), at a cost of up to
#: len(spec) x len(name) each, about 0.2 us per unit at worst, so this is about 1 s. A
#: 10,000-site table and a thousand bad typed lines would otherwise take minutes (issue 15).
#: The shipped table affords some 300 hints of a 12-character spec; past the limit, an
#: unknown site's error says the hint was not searched.
MAX_HINT_WORK = 5_000_000


class SiteIndex:
    """Look sites up one spec at a time: ids and names (any case) or typed coordinates.

    Coordinates are ``LAT,LON`` or ``NAME: LAT,LON`` in any form :func:`parse_latlon`
    reads (``Okinawa: 26°12'N 127°41'E``).

    The index of ids and names, and the table's columns, are built once, so resolving
    n specs costs O(n) plus one pass over the table (issue 15: once per spec, 10,000
    typed sites took 45 s). Hints for unknown specs spend at most :data:`MAX_HINT_WORK`
    in all.

    Parameters
    ----------
    sites : geopandas.GeoDataFrame, optional
        Table to look ids and names up in; defaults to the shipped sites.

    Examples
    --------
    >>> index = SiteIndex()
    >>> index.row("GUAM")["id"], index.row("13.4, 144.8")["name"]
    ('guam', '13.4,144.8')
    >>> index.row("atlantis")
    Traceback (most recent call last):
    ...
    rangemap.errors.SiteError: unknown site 'atlantis'; closest: ... (or give LAT,LON)
    """

    def __init__(self, sites: gpd.GeoDataFrame | None = None) -> None:
        table = load_sites() if sites is None else sites
        self._columns = {c: table[c].tolist() for c in SITE_COLUMNS if c in table}
        self._by_key = {str(k).lower(): i for i, k in enumerate(table["id"])}
        for i, nm in enumerate(table["name"]):
            self._by_key.setdefault(str(nm).lower(), i)
        self._key_chars = sum(map(len, self._by_key))
        self._hint_budget = MAX_HINT_WORK

    def row(self, spec: str) -> dict[str, Any]:
        """Return the site row (:data:`SITE_COLUMNS`) a spec names.

        Raises
        ------
        SiteError
            For an unknown site (with the closest ids) or bad coordinates.
        """
        key = str(spec).strip()
        found = self._by_key.get(key.lower())
        if found is not None:
            return {c: values[found] for c, values in self._columns.items()}
        name, _, point = key.rpartition(":")
        # Coordinates, right or wrong, get a coordinate error; "Site 12" is a name.
        if name.strip() and looks_like_coordinates(point):  # a named point "NAME: LAT,LON"
            lat, lon = parse_latlon(point.strip())
            return {"id": slug(name.strip()), "name": name.strip(), "lat": lat, "lon": lon,
                    "kind": "user"}  # fmt: skip
        if looks_like_coordinates(key):
            lat, lon = parse_latlon(key)
            label = f"{lat:g},{lon:g}"
            return {"id": label, "name": label, "lat": lat, "lon": lon, "kind": "user"}
        if re.search(r"\d", key) and re.search(r"[,;]", key):
            parse_latlon(key)  # raises a precise coordinate error
        cost = min(len(key), MAX_HINT_CHARS) * self._key_chars
        if cost <= self._hint_budget:
            self._hint_budget -= cost
            hint = closest_hint(key, self._by_key, listing="rangemap sites")
        else:
            hint = "not searched (the work spent on hints is limited: sites.MAX_HINT_WORK)"
        raise SiteError(f"unknown site {cut_repr(key)}; closest: {hint} (or give LAT,LON)")


def resolve_sites(specs: Iterable[str], sites: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Rows for site ids, names (case-insensitive) or typed ``LAT,LON`` strings.

    Parameters
    ----------
    specs : iterable of str
        Each an id (``kaliningrad``), a name, or coordinates (``"-17.7,178.1"``); at most
        :data:`MAX_SITES`, the limit of any site table.
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
        For an unknown site (with the closest ids), bad coordinates, or over
        :data:`MAX_SITES` specs (checked before any look-up).

    Examples
    --------
    >>> resolve_sites(["kaliningrad", "13.4,144.8"])["kind"].tolist()
    ['reported', 'user']
    >>> resolve_sites(["1,2"] * 10_001)
    Traceback (most recent call last):
    ...
    rangemap.errors.SiteError: 10,001 sites given, over the limit of 10,000 sites in one table
    """
    specs = list(specs)
    if len(specs) > MAX_SITES:
        raise SiteError(
            f"{len(specs):,} sites given, over the limit of {MAX_SITES:,} sites in one table"
        )
    index = SiteIndex(sites)
    return site_frame([index.row(spec) for spec in specs])


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
    r"""Read sites typed one per line (``LAT,LON``, ``NAME: LAT,LON``, or a site id or name).

    Coordinates are read as :func:`parse_latlon` reads them (issue 14): ``26.2, 127.7``,
    ``Okinawa: 26.2, 127.7``, ``26°12'N 127°41'E``, ``26 12 N, 127 41 E``,
    ``N26.2 E127.7``, ``33.9S, 151.2E``, ``127.7E 26.2N`` (letters decide the order),
    ``50,04; 21,99`` (a decimal comma needs ``;`` or a space between the two). A line that
    reads in two ways (``12,34,56``) or is out of range is an error naming the line and
    the text; the other lines still count.

    One :class:`SiteIndex` serves every line, so the work is linear in the lines and a
    bad line costs no more than a good one (hints are bounded in all).

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
    >>> sites, errors = parse_site_lines("13.4,144.8\n\n95,0\nmozdok\nPalau: 7.5,134.6")
    >>> sites["name"].tolist(), errors[0][:7]
    (['13.4,144.8', 'Mozdok (North Ossetia)', 'Palau'], 'line 3:')
    >>> sites, errors = parse_site_lines("Okinawa: 26°12'N 127°41'E\n12,34,56")
    >>> sites[["name", "lat", "lon"]].values.tolist(), errors[0][:41]
    ([['Okinawa', 26.2, 127.6833333333]], "line 2: cannot read '12,34,56' as LAT,LON")
    """
    lines = [(n, s.strip()) for n, s in enumerate(str(text).splitlines(), start=1) if s.strip()]
    errors: list[str] = []
    if len(lines) > MAX_TYPED_SITES:
        errors.append(
            f"{len(lines):,} typed sites, over the limit of {MAX_TYPED_SITES:,}: lines after "
            f"line {lines[MAX_TYPED_SITES - 1][0]} are ignored (upload a file instead)"
        )
        lines = lines[:MAX_TYPED_SITES]
    index = SiteIndex(sites)
    rows: list[dict[str, Any]] = []
    for n, spec in lines:
        try:
            rows.append(index.row(spec))
        except SiteError as exc:
            errors.append(f"line {n}: {exc}")
    return site_frame(rows), errors


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

    All of the file or nothing: any bad row refuses the upload, naming the file, line,
    column and value. What a CSV may look like (encodings, delimiters, decimal commas,
    degrees-minutes-seconds) is said in :func:`load_sites`.

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


def _degrees_text(value: float) -> str:
    """Return a coordinate to 1e-4 degrees (about 10 m), without trailing zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def site_lines(sites: pd.DataFrame) -> list[str]:
    r"""Return each site as a typed line ``NAME: LAT,LON``, what :func:`parse_site_lines` reads.

    Coordinates to 1e-4 degrees (about 10 m; sites are region-level); a control character
    in a name becomes a space, so each site stays on its line; a site named by its own
    coordinates is written as ``LAT,LON``.

    Examples
    --------
    >>> frame = pd.DataFrame({"name": ["Site: two", "a\nb", "7.5,134.6"],
    ...                       "lat": [51.0, -0.50001, 7.5], "lon": [21.123456, 9.0, 134.6]})
    >>> site_lines(frame)
    ['Site: two: 51,21.1235', 'a b: -0.5,9', '7.5,134.6']
    >>> parse_site_lines("\n".join(site_lines(frame)))[0]["name"].tolist()
    ['Site: two', 'a b', '7.5,134.6']
    """
    out = []
    for name, lat, lon in zip(sites["name"], sites["lat"], sites["lon"], strict=True):
        at = f"{_degrees_text(float(lat))},{_degrees_text(float(lon))}"
        shown = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", str(name)).split())
        out.append(at if shown in ("", at) else f"{shown}: {at}")
    return out
